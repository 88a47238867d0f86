//! Choices offered in forms and filters across the areas: an inquiry type or an agent group by
//! its code, with its name in the reader's language.

use serde::{Deserialize, Serialize};

/// An inquiry type to choose (customer's form, queue and analytics filters, FAQ templates).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TypeOption {
    pub code: String,
    pub name: String,
}

/// An agent group to choose (transfers, type routing).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupOption {
    pub code: String,
    pub name: String,
}
