//! Who is signed in.

use crate::domain::roles::Role;
use crate::i18n::Locale;
use serde::{Deserialize, Serialize};

/// The signed-in person, as every page and server function sees them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CurrentUser {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub role: Role,
    pub locale: Locale,
    /// The customer record of a customer's account, read with the account (the customer
    /// pages need it on every request); the server's own business, never sent to a browser.
    #[serde(skip)]
    pub customer_id: Option<i64>,
}
