//! Saved replies and the answers library the composer searches with "/".

use serde::{Deserialize, Serialize};

/// A saved reply as agents manage it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct SavedReply {
    pub id: i64,
    pub group_code: String,
    pub language: String,
    pub title: String,
    pub body: String,
    pub updated_at: i64,
}

/// Where a library answer comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum AnswerSource {
    /// An FAQ template (its id goes with the reply, so the automation learns from it).
    Faq,
    /// A saved reply of one of the agent's groups.
    Saved,
}

/// One answer the composer can insert.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LibraryAnswer {
    pub source: AnswerSource,
    pub id: i64,
    pub title: String,
    pub body: String,
}
