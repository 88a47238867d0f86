//! Inquiry types as admins set them up: names, routing group, first-response target and FAQ
//! automation. Every change is audited.

use super::Db;
use crate::model::GroupOption;
use crate::domain::inquiry_type::TypeDraft;
use crate::error::{AppError, FieldCode};
use crate::i18n::Locale;

/// Every agent group, named in the reader's language.
pub async fn groups(db: &Db, locale: Locale) -> Result<Vec<GroupOption>, AppError> {
    let rows: Vec<super::NamedRow> = sqlx::query_as("SELECT code, name_ko, name_en FROM agent_groups ORDER BY id").fetch_all(db).await?;
    Ok(rows.into_iter().map(|r| r.in_locale(locale)).map(|(code, name)| GroupOption { code, name }).collect())
}

/// A type's settings as stored, as selected by `t.code, t.name_ko, t.name_en, g.code AS group_code,
/// t.first_response_target_s, t.auto_answer, t.auto_answer_threshold, t.retired` (type `t` joined
/// with its group `g`): the audit's "before" image and the admin's list read them through this.
#[derive(sqlx::FromRow)]
pub struct StoredType {
    code: String,
    name_ko: String,
    name_en: String,
    group_code: String,
    first_response_target_s: i64,
    #[sqlx(try_from = "crate::model::Flag")]
    auto_answer: bool,
    auto_answer_threshold: f64,
    #[sqlx(try_from = "crate::model::Flag")]
    retired: bool,
}

impl From<StoredType> for TypeDraft {
    fn from(r: StoredType) -> TypeDraft {
        TypeDraft {
            code: r.code,
            name_ko: r.name_ko,
            name_en: r.name_en,
            group_code: r.group_code,
            first_response_minutes: r.first_response_target_s / 60,
            auto_answer: r.auto_answer,
            threshold: r.auto_answer_threshold,
            retired: r.retired,
        }
    }
}

fn draft_json(d: &TypeDraft) -> serde_json::Value {
    serde_json::json!({
        "code": d.code, "name_ko": d.name_ko, "name_en": d.name_en, "group": d.group_code,
        "first_response_minutes": d.first_response_minutes, "auto_answer": d.auto_answer,
        "threshold": d.threshold, "retired": d.retired,
    })
}

/// Creates a type (`create`) or updates the one with the draft's code. The code of an existing
/// type never changes: inquiries and reports refer to it.
pub async fn save(db: &Db, create: bool, d: &TypeDraft, admin: i64, now: i64) -> Result<(), AppError> {
    let mut tx = super::write_tx(db).await?;
    tx.lock(super::Lock::TypeCode(&d.code)).await?;
    let group: i64 = sqlx::query_scalar("SELECT id FROM agent_groups WHERE code = $1")
        .bind(&d.group_code)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(|| AppError::invalid("group_code", FieldCode::InvalidChoice))?;
    // the audit's "before" image, read in the transaction that replaces it
    let before = sqlx::query_as::<_, StoredType>(
        "SELECT t.code, t.name_ko, t.name_en, g.code AS group_code, t.first_response_target_s, t.auto_answer,
                t.auto_answer_threshold, t.retired
         FROM inquiry_types t JOIN agent_groups g ON g.id = t.group_id WHERE t.code = $1",
    )
    .bind(&d.code)
    .fetch_optional(&mut *tx)
    .await?
    .map(TypeDraft::from);
    match (create, &before) {
        (true, Some(_)) => return Err(AppError::invalid("code", FieldCode::CodeTaken)),
        (false, None) => return Err(AppError::NotFound),
        _ => {}
    }
    let id: i64 = if create {
        sqlx::query_scalar(
            "INSERT INTO inquiry_types (code, name_ko, name_en, group_id, first_response_target_s, auto_answer, auto_answer_threshold, retired, sort_order)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, (SELECT COALESCE(MAX(sort_order), 0) + 1 FROM inquiry_types))
             ON CONFLICT (code) DO NOTHING RETURNING id",
        )
        .bind(&d.code)
        .bind(&d.name_ko)
        .bind(&d.name_en)
        .bind(group)
        .bind(d.first_response_minutes * 60)
        .bind(d.auto_answer as i64)
        .bind(d.threshold)
        .bind(d.retired as i64)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(|| AppError::invalid("code", FieldCode::CodeTaken))?
    } else {
        sqlx::query_scalar(
            "UPDATE inquiry_types SET name_ko = $1, name_en = $2, group_id = $3, first_response_target_s = $4, auto_answer = $5,
                    auto_answer_threshold = $6, retired = $7
             WHERE code = $8 RETURNING id",
        )
        .bind(&d.name_ko)
        .bind(&d.name_en)
        .bind(group)
        .bind(d.first_response_minutes * 60)
        .bind(d.auto_answer as i64)
        .bind(d.threshold)
        .bind(d.retired as i64)
        .bind(&d.code)
        .fetch_one(&mut *tx)
        .await?
    };
    let action = if create { "type.create" } else { "type.update" };
    super::audit::record(&mut tx, admin, action, "inquiry_type", id, before.as_ref().map(draft_json).as_ref(), Some(&draft_json(d)), now)
        .await?;
    tx.commit().await?;
    Ok(())
}
