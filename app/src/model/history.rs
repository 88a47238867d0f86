//! A customer's contact timeline (inquiries, answers, order events, chats, mails), newest first:
//! the customer's History page and the agent's customer record show it.

use serde::{Deserialize, Serialize};

/// One event; `kind` is inquiry, message, order, chat or email.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct HistoryEntry {
    pub kind: String,
    pub ref_id: i64,
    pub at: i64,
    pub title: String,
    pub detail: String,
}

/// One page of the timeline.
pub type HistoryPage = super::Page<HistoryEntry>;
