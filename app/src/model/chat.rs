//! Live chat records as both sides see them: who wrote, a stored message, where a chat stands.

use serde::{Deserialize, Serialize};

stored_words! {
    /// Where a chat stands (stored as these words in `chats.status`).
    pub enum ChatStatus {
        /// In its group's queue, no agent yet.
        Waiting = "waiting",
        /// An agent accepted it.
        Active = "active",
        /// Either side ended it (or it became an inquiry).
        Ended = "ended",
    }
}

/// Who wrote a message or is typing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Author {
    Customer,
    Agent,
    System,
}

impl Author {
    pub fn as_str(self) -> &'static str {
        match self {
            Author::Customer => "customer",
            Author::Agent => "agent",
            Author::System => "system",
        }
    }

    pub fn parse(s: &str) -> Author {
        match s {
            "customer" => Author::Customer,
            "agent" => Author::Agent,
            _ => Author::System,
        }
    }
}

/// One stored message. `seq` numbers the chat's messages 1, 2, 3, … without gaps.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChatMessage {
    pub seq: i64,
    pub author: Author,
    pub author_name: Option<String>,
    pub client_id: Option<String>,
    pub body: String,
    pub at: i64,
    /// Files sent with it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub files: Vec<ChatFile>,
}

/// A file in a chat, as the chat room shows it (plain fields: the browser decodes it cheaply).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChatFile {
    pub id: i64,
    pub name: String,
    pub size: i64,
    /// Shown as a thumbnail.
    pub image: bool,
}

/// Where the chat stands: waiting (with queue position and estimated wait), active (with the
/// agent's name) or ended.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChatState {
    pub status: ChatStatus,
    pub position: Option<i64>,
    pub wait_s: Option<i64>,
    pub agent_name: Option<String>,
    /// The last message each side has read (read receipts).
    pub customer_read_seq: i64,
    pub agent_read_seq: i64,
}

/// A chat as its page shows it (customer or agent).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChatView {
    pub id: i64,
    pub type_name: String,
    pub status: ChatStatus,
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
