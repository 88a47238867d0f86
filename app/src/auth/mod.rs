//! Accounts, sessions and role guards: who is asking, and may they.

pub mod api;
#[cfg(feature = "ssr")]
pub mod guard;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod password;

pub use crate::model::CurrentUser;

