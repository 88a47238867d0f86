//! Live chat between customers and agents: the wire protocol (shared with the browser), the
//! fan-out and the chat room island used on both sides.

#[cfg(feature = "ssr")]
pub mod fanout;
pub mod protocol;
pub mod room;
#[cfg(feature = "ssr")]
pub mod service;

use protocol::{ChatMessage, ChatState};
use serde::{Deserialize, Serialize};

/// A chat as its page shows it (customer or agent).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChatView {
    pub id: i64,
    pub type_name: String,
    pub status: String,
    pub created_at: i64,
    pub csat: Option<i64>,
    pub inquiry_id: Option<i64>,
    pub state: ChatState,
    pub messages: Vec<ChatMessage>,
    pub last_seq: i64,
    /// Whether the viewer may send messages now.
    pub may_write: bool,
}

/// A chat waiting in an agent's queue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WaitingChat {
    pub id: i64,
    pub customer_name: String,
    pub grade: crate::model::Grade,
    pub type_name: String,
    pub group_name: String,
    pub created_at: i64,
    pub first_message: Option<String>,
    pub waited_s: i64,
}
