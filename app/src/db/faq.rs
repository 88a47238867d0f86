//! FAQ templates as the public FAQ page reads them.

use super::Db;
use crate::error::AppError;
use crate::faq::index::{inquiry_text, TemplateRef};
use crate::home::FaqEntry;
use crate::i18n::Locale;
use sqlx::Row;

pub async fn published(db: &Db, locale: Locale) -> Result<Vec<FaqEntry>, AppError> {
    Ok(sqlx::query(
        "SELECT id, question, answer FROM faq_templates WHERE retired = 0 AND language = $1 ORDER BY hits DESC, id",
    )
    .bind(locale.code())
    .fetch_all(db)
    .await?
    .iter()
    .map(|r| Ok(FaqEntry { id: r.try_get("id")?, question: r.try_get("question")?, answer: r.try_get("answer")? }))
    .collect::<Result<Vec<_>, sqlx::Error>>()?)
}

/// How many confirmed inquiries per template join its training examples: enough to learn how
/// customers really ask, few enough that the question and phrasings still count.
const LEARNED_PER_TEMPLATE: i64 = 50;

/// The active templates and their training examples (template id, text): question, phrasings,
/// the inquiries customers confirmed it solved, and the inquiries agents answered with it.
pub async fn training_set(db: &Db) -> Result<(Vec<TemplateRef>, Vec<(i64, String)>), AppError> {
    let rows = sqlx::query("SELECT id, type_id, language, question, alternatives FROM faq_templates WHERE retired = 0 ORDER BY id")
        .fetch_all(db)
        .await?;
    let mut templates = Vec::with_capacity(rows.len());
    let mut examples = Vec::new();
    for r in &rows {
        let id: i64 = r.try_get("id")?;
        let question: String = r.try_get("question")?;
        let alternatives: String = r.try_get("alternatives")?;
        examples.push((id, question.clone()));
        // a malformed list (edited by hand in the database) costs the phrasings, not the template
        for alt in serde_json::from_str::<Vec<String>>(&alternatives).unwrap_or_default() {
            examples.push((id, alt));
        }
        templates.push(TemplateRef { id, type_id: r.try_get("type_id")?, language: r.try_get("language")?, question });
    }
    let learned = sqlx::query(
        "SELECT template_id, subject, body FROM (
            SELECT x.template_id, i.subject,
                   (SELECT m.body FROM inquiry_messages m WHERE m.inquiry_id = i.id AND m.author_kind = 'customer'
                    ORDER BY m.created_at, m.id LIMIT 1) AS body,
                   ROW_NUMBER() OVER (PARTITION BY x.template_id ORDER BY i.id DESC) AS n
            FROM (SELECT id AS inquiry_id, auto_template_id AS template_id FROM inquiries WHERE faq_outcome = 'solved'
                  UNION
                  SELECT DISTINCT inquiry_id, template_id FROM inquiry_messages WHERE template_id IS NOT NULL AND author_kind = 'agent') x
            JOIN inquiries i ON i.id = x.inquiry_id
            JOIN faq_templates t ON t.id = x.template_id AND t.retired = 0
         ) WHERE n <= $1",
    )
    .bind(LEARNED_PER_TEMPLATE)
    .fetch_all(db)
    .await?;
    for r in &learned {
        let subject: String = r.try_get("subject")?;
        let body: Option<String> = r.try_get("body")?;
        examples.push((r.try_get("template_id")?, inquiry_text(&subject, body.as_deref().unwrap_or(""))));
    }
    Ok((templates, examples))
}
