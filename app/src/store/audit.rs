//! The audit log: who changed what in the admin area, when, with the record before and after.

use crate::error::AppError;

#[allow(clippy::too_many_arguments)]
pub async fn record(
    tx: &mut crate::store::WriteTx,
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

