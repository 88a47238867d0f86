//! Live chat between customers and agents: the wire protocol (shared with the browser), the
//! fan-out and the chat room island used on both sides.

#[cfg(feature = "ssr")]
pub mod fanout;
#[cfg(feature = "ssr")]
pub mod pg_fanout;
pub mod protocol;
pub mod resume;
pub mod room;
#[cfg(feature = "ssr")]
pub mod service;

pub use crate::model::chat::{ChatView, WaitingChat};

