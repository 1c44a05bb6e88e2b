//! Oversight and cooperation between courts: supervision orders (督办), entrusted tasks
//! (事项委托), complaints (执行信访) and recordings (音视频记录).

pub mod complaints;
pub mod entrusted;
pub mod recordings;
pub mod supervision;
