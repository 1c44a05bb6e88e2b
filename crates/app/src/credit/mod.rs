//! Credit discipline (信用惩戒): the dishonest-debtor list and consumption restrictions, their
//! publication and their sharing with partner agencies.

pub mod listings;
pub mod publication;
pub mod sharing;
