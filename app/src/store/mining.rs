//! What question mining reads: a period's inquiries that no template answered (each with what it
//! asked and the reply that resolved it), every type's volume and automatic answers in the
//! period, and each template's automatic answers.

use super::Db;
use crate::error::AppError;

/// An inquiry no template answered (none matched, or the customer said the answer did not help).
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct Unanswered {
    pub id: i64,
    pub type_code: String,
    pub subject: String,
    /// the customer's first message
    pub body: Option<String>,
    /// the last reply an agent sent the customer, once the inquiry was resolved or closed
    pub answer: Option<String>,
}

const COLUMNS: &str = "i.id, t.code AS type_code, i.subject,
    (SELECT m.body FROM inquiry_messages m WHERE m.inquiry_id = i.id AND m.author_kind = 'customer'
     ORDER BY m.created_at, m.id LIMIT 1) AS body,
    CASE WHEN i.status IN ('resolved', 'closed') THEN
        (SELECT m.body FROM inquiry_messages m WHERE m.inquiry_id = i.id AND m.author_kind = 'agent' AND m.internal = 0
         ORDER BY m.created_at DESC, m.id DESC LIMIT 1)
    END AS answer
    FROM inquiries i JOIN inquiry_types t ON t.id = i.type_id";

/// Up to `limit` inquiries filed at or after `since` that no template answered, newest first.
pub async fn unanswered(db: &Db, since: i64, limit: i64) -> Result<Vec<Unanswered>, AppError> {
    Ok(sqlx::query_as(&format!(
        "SELECT {COLUMNS} WHERE i.created_at >= $1 AND (i.auto_template_id IS NULL OR i.escalated = 1) ORDER BY i.id DESC LIMIT $2"
    ))
    .bind(since)
    .bind(limit)
    .fetch_all(db)
    .await?)
}

/// The inquiries of `ids` (any status), in the order of `ids`; unknown ids are left out.
pub async fn by_ids(db: &Db, ids: &[i64]) -> Result<Vec<Unanswered>, AppError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let marks: Vec<String> = (1..=ids.len()).map(|n| format!("${n}")).collect();
    let sql = format!("SELECT {COLUMNS} WHERE i.id IN ({})", marks.join(", "));
    let mut q = sqlx::query_as::<_, Unanswered>(&sql);
    for id in ids {
        q = q.bind(id);
    }
    let rows = q.fetch_all(db).await?;
    Ok(ids.iter().filter_map(|id| rows.iter().find(|r| r.id == *id).cloned()).collect())
}

/// A type's inquiries in the period and how many a template answered.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct TypeVolume {
    pub id: i64,
    pub code: String,
    pub name_ko: String,
    pub name_en: String,
    #[sqlx(try_from = "crate::model::Flag")]
    pub auto_answer: bool,
    pub threshold: f64,
    pub inquiries: i64,
    pub answered: i64,
}

/// Every type not retired (and any retired one with inquiries in the period), in the admins' order.
pub async fn volume_by_type(db: &Db, since: i64) -> Result<Vec<TypeVolume>, AppError> {
    Ok(sqlx::query_as(
        "SELECT t.id, t.code, t.name_ko, t.name_en, t.auto_answer, t.auto_answer_threshold AS threshold,
                COUNT(i.id) AS inquiries,
                CAST(COALESCE(SUM(CASE WHEN i.auto_template_id IS NOT NULL AND i.escalated = 0 THEN 1 ELSE 0 END), 0) AS BIGINT) AS answered
         FROM inquiry_types t LEFT JOIN inquiries i ON i.type_id = t.id AND i.created_at >= $1
         GROUP BY t.id, t.code, t.name_ko, t.name_en, t.auto_answer, t.auto_answer_threshold, t.sort_order, t.retired
         HAVING t.retired = 0 OR COUNT(i.id) > 0
         ORDER BY t.sort_order, t.id",
    )
    .bind(since)
    .fetch_all(db)
    .await?)
}

/// Each template's automatic answers in the period that the customer did not turn down.
pub async fn template_answers(db: &Db, since: i64) -> Result<Vec<(i64, i64)>, AppError> {
    Ok(sqlx::query_as(
        "SELECT i.auto_template_id, COUNT(*) FROM inquiries i
         WHERE i.created_at >= $1 AND i.auto_template_id IS NOT NULL AND i.escalated = 0
         GROUP BY i.auto_template_id",
    )
    .bind(since)
    .fetch_all(db)
    .await?)
}
