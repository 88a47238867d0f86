//! The meaning of inquiries' questions (`inquiry_embeddings`): written once per inquiry, read in
//! order of writing by each server's in-memory index, and the past inquiries they point to.

use super::Db;
use crate::domain::similar::Quantised;
use crate::error::AppError;

/// Keeps embeddings of inquiries (an inquiry already embedded keeps its first).
pub async fn save(db: &Db, rows: &[(i64, Quantised)]) -> Result<(), AppError> {
    if rows.is_empty() {
        return Ok(());
    }
    let mut tx = super::write_tx(db).await?;
    for (id, q) in rows {
        let bytes: Vec<u8> = q.vector.iter().map(|b| *b as u8).collect();
        sqlx::query("INSERT INTO inquiry_embeddings (inquiry_id, scale, vector) VALUES ($1, $2, $3) ON CONFLICT (inquiry_id) DO NOTHING")
            .bind(id)
            .bind(q.scale as f64)
            .bind(bytes)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// An embedding as stored: its place in the order of writing, and its inquiry.
pub struct Stored {
    pub seq: i64,
    pub inquiry_id: i64,
    pub q: Quantised,
}

/// Up to `limit` embeddings written after `seq`, in the order they were written.
pub async fn since(db: &Db, seq: i64, limit: i64) -> Result<Vec<Stored>, AppError> {
    let rows: Vec<(i64, i64, f64, Vec<u8>)> =
        sqlx::query_as("SELECT id, inquiry_id, scale, vector FROM inquiry_embeddings WHERE id > $1 ORDER BY id LIMIT $2").bind(seq).bind(limit).fetch_all(db).await?;
    Ok(rows
        .into_iter()
        .map(|(seq, inquiry_id, scale, v)| Stored { seq, inquiry_id, q: Quantised { scale: scale as f32, vector: v.into_iter().map(|b| b as i8).collect() } })
        .collect())
}

/// An inquiry's question, to be embedded.
#[derive(sqlx::FromRow)]
pub struct Question {
    pub id: i64,
    pub subject: String,
    pub body: Option<String>,
    #[sqlx(try_from = "crate::model::Flag")]
    pub embedded: bool,
}

/// Which way [`questions`] walks from an inquiry id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Walk {
    /// the inquiries filed after it, oldest first
    Newer,
    /// those before it, newest first
    Older,
}

/// Up to `limit` inquiries next to `from` in the direction of `walk`, each with whether it has
/// an embedding already.
pub async fn questions(db: &Db, from: i64, walk: Walk, limit: i64) -> Result<Vec<Question>, AppError> {
    let (cmp, order) = match walk {
        Walk::Newer => (">", "ASC"),
        Walk::Older => ("<", "DESC"),
    };
    Ok(sqlx::query_as(&format!(
        "SELECT i.id, i.subject,
                (SELECT m.body FROM inquiry_messages m WHERE m.inquiry_id = i.id AND m.author_kind = 'customer'
                 ORDER BY m.created_at, m.id LIMIT 1) AS body,
                CASE WHEN EXISTS (SELECT 1 FROM inquiry_embeddings e WHERE e.inquiry_id = i.id) THEN 1 ELSE 0 END AS embedded
         FROM inquiries i WHERE i.id {cmp} $1 ORDER BY i.id {order} LIMIT $2"
    ))
    .bind(from)
    .bind(limit)
    .fetch_all(db)
    .await?)
}

/// The newest embedding's place in the order of writing (0 without any).
pub async fn newest_seq(db: &Db) -> Result<i64, AppError> {
    Ok(sqlx::query_scalar("SELECT COALESCE(MAX(id), 0) FROM inquiry_embeddings").fetch_one(db).await?)
}

/// The newest inquiry's id (0 without any).
pub async fn newest_inquiry(db: &Db) -> Result<i64, AppError> {
    Ok(sqlx::query_scalar("SELECT COALESCE(MAX(id), 0) FROM inquiries").fetch_one(db).await?)
}

/// A resolved inquiry like the one an agent works on, with the answer that resolved it.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct Resolved {
    pub id: i64,
    pub subject: String,
    pub question: Option<String>,
    /// the last reply an agent sent the customer
    pub answer: Option<String>,
    pub resolved_at: Option<i64>,
}

/// Of `ids`, the inquiries resolved or closed with an agent's reply that `actor` may open (an
/// admin any, an agent those of their groups or assigned to them), in no particular order.
pub async fn resolved_among(db: &Db, actor: super::workspace::Actor, ids: &[i64]) -> Result<Vec<Resolved>, AppError> {
    let rows: Vec<Resolved> = among(
        db,
        actor,
        ids,
        "SELECT i.id, i.subject, i.resolved_at,
                (SELECT m.body FROM inquiry_messages m WHERE m.inquiry_id = i.id AND m.author_kind = 'customer'
                 ORDER BY m.created_at, m.id LIMIT 1) AS question,
                (SELECT m.body FROM inquiry_messages m WHERE m.inquiry_id = i.id AND m.author_kind = 'agent' AND m.internal = 0
                 ORDER BY m.created_at DESC, m.id DESC LIMIT 1) AS answer
         FROM inquiries i",
        "AND i.status IN ('resolved', 'closed')",
    )
    .await?;
    Ok(rows.into_iter().filter(|r| r.answer.as_deref().is_some_and(|a| !a.trim().is_empty())).collect())
}

/// The rows `select` (its columns and `FROM inquiries i` with any joins) reads for those of
/// `ids` that `actor` may open and that meet `condition` (`AND …`, or empty): an admin any, an
/// agent those of their groups or assigned to them — the rule of `workspace::access`.
async fn among<R>(db: &Db, actor: super::workspace::Actor, ids: &[i64], select: &str, condition: &str) -> Result<Vec<R>, AppError>
where
    R: for<'r> sqlx::FromRow<'r, sqlx::any::AnyRow> + Send + Unpin,
{
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    // one parameter per id, after the two of the access rule
    let marks: Vec<String> = (0..ids.len()).map(|n| format!("${}", n + 3)).collect();
    let sql = format!(
        "{select}
         WHERE i.id IN ({}) {condition}
           AND ($1 = 1 OR i.assigned_agent_id = $2
                OR i.group_id IN (SELECT g.group_id FROM agent_memberships g WHERE g.agent_user_id = $2))",
        marks.join(", ")
    );
    let mut q = sqlx::query_as::<_, R>(&sql).bind(i64::from(actor.is_admin)).bind(actor.user_id);
    for id in ids {
        q = q.bind(id);
    }
    Ok(q.fetch_all(db).await?)
}

/// The answer that resolved inquiry `id`, for the reply box, if `actor` may open it.
pub async fn resolving_answer(db: &Db, actor: super::workspace::Actor, id: i64) -> Result<Option<String>, AppError> {
    Ok(resolved_among(db, actor, &[id]).await?.into_iter().next().and_then(|r| r.answer))
}

/// An inquiry a search by meaning found, with its customer.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct Visible {
    pub id: i64,
    pub subject: String,
    pub status: crate::model::InquiryStatus,
    pub created_at: i64,
    pub customer_no: String,
    pub customer_name: String,
}

/// Of `ids`, the inquiries `actor` may open (an admin any, an agent those of their groups or
/// assigned to them), with their customers, in no particular order.
pub async fn visible_among(db: &Db, actor: super::workspace::Actor, ids: &[i64]) -> Result<Vec<Visible>, AppError> {
    among(
        db,
        actor,
        ids,
        "SELECT i.id, i.subject, i.status, i.created_at, c.customer_no, c.name AS customer_name
         FROM inquiries i JOIN customers c ON c.id = i.customer_id",
        "",
    )
    .await
}
