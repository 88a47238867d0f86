//! FAQ templates as the public FAQ page reads them.

use super::Db;
use crate::error::AppError;
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
