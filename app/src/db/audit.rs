//! The audit log: who changed what in the admin area, when, with the record before and after.

use crate::error::AppError;

#[allow(clippy::too_many_arguments)]
pub async fn record(
    tx: &mut crate::db::WriteTx,
    actor: i64,
    action: &str,
    entity: &str,
    entity_id: i64,
    before: Option<&serde_json::Value>,
    after: Option<&serde_json::Value>,
    now: i64,
) -> Result<(), AppError> {
    sqlx::query(
        "INSERT INTO audit_log (actor_user_id, action, entity, entity_id, before_json, after_json, at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(actor)
    .bind(action)
    .bind(entity)
    .bind(entity_id.to_string())
    .bind(before.map(|v| v.to_string()))
    .bind(after.map(|v| v.to_string()))
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The latest entries, newest first (optionally one entity kind).
pub async fn recent(db: &super::Db, entity: Option<&str>, limit: i64) -> Result<Vec<crate::admin::audit::AuditEntry>, AppError> {
    use sqlx::Row;
    Ok(sqlx::query(
        "SELECT a.id, a.at, u.display_name AS actor, a.action, a.entity, a.entity_id, a.before_json, a.after_json
         FROM audit_log a LEFT JOIN users u ON u.id = a.actor_user_id
         WHERE ($1 IS NULL OR a.entity = $1) ORDER BY a.at DESC, a.id DESC LIMIT $2",
    )
    .bind(entity)
    .bind(limit)
    .fetch_all(db)
    .await?
    .iter()
    .map(|r| {
        Ok(crate::admin::audit::AuditEntry {
            id: r.try_get("id")?,
            at: r.try_get("at")?,
            actor: r.try_get("actor")?,
            action: r.try_get("action")?,
            entity: r.try_get("entity")?,
            entity_id: r.try_get("entity_id")?,
            before: r.try_get("before_json")?,
            after: r.try_get("after_json")?,
        })
    })
    .collect::<Result<Vec<_>, sqlx::Error>>()?)
}
