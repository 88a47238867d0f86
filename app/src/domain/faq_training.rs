//! What the FAQ matcher learns from: the active templates and example texts per template.

use super::faq_pack::PackType;

/// An active template as the index knows it.
#[derive(Debug, Clone, PartialEq)]
pub struct TemplateRef {
    pub id: i64,
    pub type_id: i64,
    pub language: String,
    pub question: String,
    pub answer: String,
}

/// What an index is built from.
#[derive(Debug, Clone, Default)]
pub struct TrainingSet {
    pub types: Vec<PackType>,
    /// Most used first.
    pub templates: Vec<TemplateRef>,
    /// (template id, text)
    pub examples: Vec<(i64, String)>,
}

/// The text of an inquiry as the matcher reads it.
pub fn inquiry_text(subject: &str, body: &str) -> String {
    format!("{subject}\n{body}")
}
