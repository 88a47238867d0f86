//! An inquiry as lists show it (the customer's list and My page, the agent's customer record).

use super::InquiryStatus;
use serde::{Deserialize, Serialize};

/// One row of an inquiry list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InquiryListItem {
    pub id: i64,
    pub subject: String,
    pub status: InquiryStatus,
    pub type_name: String,
    pub created_at: i64,
    pub updated_at: i64,
}


/// Whom an agent's answer is for, as the mail about it needs them: the customer's sign-in address,
/// name and language (`ko`/`en`), and the inquiry the mail threads under.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct AnswerFor {
    pub inquiry_id: i64,
    pub inquiry_created_at: i64,
    pub subject: String,
    pub user_id: i64,
    pub email: String,
    pub name: String,
    pub locale: String,
}
