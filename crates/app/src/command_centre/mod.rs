//! The command centre (指挥中心): indicators rolled up the court tree, alerts, and the watch
//! worker that raises them.

pub mod alerts;
pub mod indicators;
pub mod query;
pub mod watch;
