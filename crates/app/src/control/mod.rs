//! Online and traditional investigation (网络查控, 传统查控) and the control measures on what
//! they find (控制措施).

pub mod field;
pub mod institutions;
pub mod investigation;
pub mod measures;
pub mod query;
