//! Turning controlled property into money and paying it out: the reference price (参考价),
//! the online judicial auction (网络司法拍卖) and the case account (案款, 一案一账号).

pub mod auction;
pub mod funds;
pub mod valuation;
