//! Who is signed in and what accounts exist: passwords, sessions, the login throttle, users.

pub mod auth;
pub mod password;
pub mod session_cache;
pub mod throttle;
pub mod users;
