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

