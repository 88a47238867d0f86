//! Live chat records as both sides see them: who wrote, a stored message, where a chat stands.

use serde::{Deserialize, Serialize};

/// Where a chat stands (stored as these words in `chats.status`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ssr", derive(sqlx::Type))]
#[cfg_attr(feature = "ssr", sqlx(rename_all = "snake_case"))]
pub enum ChatStatus {
    /// In its group's queue, no agent yet.
    Waiting,
    /// An agent accepted it.
    Active,
    /// Either side ended it (or it became an inquiry).
    Ended,
}

impl ChatStatus {
    pub const ALL: [ChatStatus; 3] = [ChatStatus::Waiting, ChatStatus::Active, ChatStatus::Ended];

    pub const fn as_str(self) -> &'static str {
        match self {
            ChatStatus::Waiting => "waiting",
            ChatStatus::Active => "active",
            ChatStatus::Ended => "ended",
        }
    }

    pub fn parse(word: &str) -> Option<ChatStatus> {
        ChatStatus::ALL.into_iter().find(|s| s.as_str() == word)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_words_round_trip_and_match_serde() {
        for s in ChatStatus::ALL {
            assert_eq!(ChatStatus::parse(s.as_str()), Some(s));
            assert_eq!(serde_json::to_string(&s).ok(), Some(format!("\"{}\"", s.as_str())));
        }
        assert_eq!(ChatStatus::parse("closed"), None);
    }
}
