//! One page of a long list (a customer's orders, inquiries, contact history): the items, which
//! page this is (from 1), how many pages there are, and how many items in all.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub page: u32,
    pub pages: u32,
    pub total: i64,
}
