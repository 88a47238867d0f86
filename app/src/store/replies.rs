//! Saved replies (per group and language) and the answers library the composer searches: the
//! saved replies of the inquiry's group and the active FAQ answers, in the customer's language.
//! Agents keep the replies of their groups; admins of every group.

use super::workspace::{access, my_groups, Actor};
use super::Db;
use crate::error::{AppError, FieldCode};
use crate::i18n::Locale;
use crate::model::saved_reply::{AnswerSource, LibraryAnswer, SavedReply};

/// The saved replies of the actor's groups, by group, language and title.
pub async fn list(db: &Db, actor: Actor) -> Result<Vec<SavedReply>, AppError> {
    Ok(sqlx::query_as(concat!(
        "SELECT r.id, g.code AS group_code, r.language, r.title, r.body, r.updated_at
         FROM saved_replies r JOIN agent_groups g ON g.id = r.group_id
         WHERE ",
        my_groups!(),
        " ORDER BY g.id, r.language, r.title"
    ))
    .bind(actor.user_id)
    .bind(actor.is_admin as i64)
    .fetch_all(db)
    .await?)
}

/// What a saved reply is made of (checked by the caller).
pub struct ReplyFields<'a> {
    pub group_code: &'a str,
    pub language: Locale,
    pub title: &'a str,
    pub body: &'a str,
}

/// The id of a group the actor may keep replies for: 422 on the group field otherwise.
async fn my_group(conn: &mut crate::store::Conn, actor: Actor, code: &str) -> Result<i64, AppError> {
    sqlx::query_scalar(concat!("SELECT g.id FROM agent_groups g WHERE g.code = $3 AND ", my_groups!()))
        .bind(actor.user_id)
        .bind(actor.is_admin as i64)
        .bind(code)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or_else(|| AppError::invalid("group_code", FieldCode::InvalidChoice))
}

/// Creates (`id` None) or replaces a saved reply. The reply being replaced must be in one of the
/// actor's groups as well (404 otherwise: another group's replies are not the actor's to see).
pub async fn save(db: &Db, actor: Actor, id: Option<i64>, f: ReplyFields<'_>, now: i64) -> Result<i64, AppError> {
    let mut tx = super::write_tx(db).await?;
    let group = my_group(&mut tx, actor, f.group_code).await?;
    if let Some(id) = id {
        mine(&mut tx, actor, id).await?;
    }
    let taken: Option<i64> = sqlx::query_scalar("SELECT id FROM saved_replies WHERE group_id = $1 AND language = $2 AND title = $3")
        .bind(group)
        .bind(f.language.code())
        .bind(f.title)
        .fetch_optional(&mut *tx)
        .await?;
    if taken.is_some_and(|t| Some(t) != id) {
        return Err(AppError::invalid("title", FieldCode::TitleTaken));
    }
    let id = match id {
        Some(id) => {
            sqlx::query("UPDATE saved_replies SET group_id = $1, language = $2, title = $3, body = $4, updated_by = $5, updated_at = $6 WHERE id = $7")
                .bind(group)
                .bind(f.language.code())
                .bind(f.title)
                .bind(f.body)
                .bind(actor.user_id)
                .bind(now)
                .bind(id)
                .execute(&mut *tx)
                .await?;
            id
        }
        None => {
            sqlx::query_scalar(
                "INSERT INTO saved_replies (group_id, language, title, body, created_by, updated_by, created_at, updated_at)
                 VALUES ($1, $2, $3, $4, $5, $5, $6, $6) RETURNING id",
            )
            .bind(group)
            .bind(f.language.code())
            .bind(f.title)
            .bind(f.body)
            .bind(actor.user_id)
            .bind(now)
            .fetch_one(&mut *tx)
            .await?
        }
    };
    tx.commit().await?;
    Ok(id)
}

/// 404 unless saved reply `id` exists in one of the actor's groups.
async fn mine(conn: &mut crate::store::Conn, actor: Actor, id: i64) -> Result<(), AppError> {
    let found: Option<i64> = sqlx::query_scalar(concat!(
        "SELECT r.id FROM saved_replies r JOIN agent_groups g ON g.id = r.group_id WHERE r.id = $3 AND ",
        my_groups!()
    ))
    .bind(actor.user_id)
    .bind(actor.is_admin as i64)
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?;
    found.map(|_| ()).ok_or(AppError::NotFound)
}

pub async fn delete(db: &Db, actor: Actor, id: i64) -> Result<(), AppError> {
    let mut tx = super::write_tx(db).await?;
    mine(&mut tx, actor, id).await?;
    sqlx::query("DELETE FROM saved_replies WHERE id = $1").bind(id).execute(&mut *tx).await?;
    tx.commit().await?;
    Ok(())
}

/// A library entry as read.
#[derive(sqlx::FromRow)]
struct LibraryRow {
    #[sqlx(try_from = "crate::model::Flag")]
    saved: bool,
    id: i64,
    title: String,
    body: String,
}

/// The answers for inquiry `inquiry_id` that match `q` (in title or text; empty: all), in the
/// customer's language: the saved replies of the inquiry's group first, then FAQ answers, at most
/// `limit`. The actor must be allowed to work on the inquiry.
pub async fn library(db: &Db, actor: Actor, inquiry_id: i64, q: &str, limit: i64) -> Result<Vec<LibraryAnswer>, AppError> {
    let mut conn = db.acquire().await?;
    access(&mut *conn, actor, inquiry_id).await?;
    let pattern = super::like_anywhere(q.trim());
    let rows: Vec<LibraryRow> = sqlx::query_as(
        "WITH ctx AS (SELECT i.group_id, u.locale FROM inquiries i JOIN customers c ON c.id = i.customer_id JOIN users u ON u.id = c.user_id WHERE i.id = $1)
         SELECT * FROM (
           SELECT 1 AS saved, r.id, r.title, r.body FROM saved_replies r, ctx
            WHERE r.group_id = ctx.group_id AND r.language = ctx.locale
              AND (LOWER(r.title) LIKE LOWER($2) ESCAPE '\\' OR LOWER(r.body) LIKE LOWER($2) ESCAPE '\\')
            ORDER BY r.title LIMIT $3) AS saved_rows
         UNION ALL
         SELECT * FROM (
           SELECT 0 AS saved, t.id, t.question AS title, t.answer AS body FROM faq_templates t, ctx
            WHERE t.retired = 0 AND t.language = ctx.locale
              AND (LOWER(t.question) LIKE LOWER($2) ESCAPE '\\' OR LOWER(t.answer) LIKE LOWER($2) ESCAPE '\\')
            ORDER BY t.hits DESC, t.id LIMIT $3) AS faq_rows",
    )
    .bind(inquiry_id)
    .bind(pattern)
    .bind(limit)
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows
        .into_iter()
        .take(limit as usize)
        .map(|r| LibraryAnswer {
            source: if r.saved { AnswerSource::Saved } else { AnswerSource::Faq },
            id: r.id,
            title: r.title,
            body: r.body,
        })
        .collect())
}

/// The groups the actor keeps replies for, with their names in `locale`.
pub async fn my_group_options(db: &Db, actor: Actor, locale: Locale) -> Result<Vec<crate::model::GroupOption>, AppError> {
    let rows: Vec<super::NamedRow> = sqlx::query_as(concat!("SELECT g.code, g.name_ko, g.name_en FROM agent_groups g WHERE ", my_groups!(), " ORDER BY g.id"))
        .bind(actor.user_id)
        .bind(actor.is_admin as i64)
        .fetch_all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|r| r.in_locale(locale))
        .map(|(code, name)| crate::model::GroupOption { code, name })
        .collect())
}
