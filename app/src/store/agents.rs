//! Agents and agent groups as admins manage them: accounts, group memberships, chat limits,
//! disabling (the agent's sessions end at once: every request re-reads the account), groups with
//! the supervisors flag and push mode. Audited.

use super::Db;
use crate::domain::roles::Role;
use crate::error::{AppError, FieldCode};
use crate::i18n::Locale;

/// The codes of an agent's groups, sorted, from `GROUP_CONCAT(code, ',')` (NULL: none).
pub fn group_codes(concatenated: Option<String>) -> Vec<String> {
    let mut codes: Vec<String> = concatenated.unwrap_or_default().split(',').filter(|s| !s.is_empty()).map(str::to_string).collect();
    codes.sort();
    codes
}

async fn group_ids(tx: &mut crate::store::WriteTx, codes: &[String]) -> Result<Vec<i64>, AppError> {
    let mut ids = Vec::with_capacity(codes.len());
    for c in codes {
        let id: i64 = sqlx::query_scalar("SELECT id FROM agent_groups WHERE code = $1")
            .bind(c)
            .fetch_optional(&mut **tx)
            .await?
            .ok_or_else(|| AppError::invalid("groups", FieldCode::InvalidChoice))?;
        ids.push(id);
    }
    Ok(ids)
}

async fn set_memberships(tx: &mut crate::store::WriteTx, user: i64, groups: &[i64]) -> Result<(), AppError> {
    sqlx::query("DELETE FROM agent_memberships WHERE agent_user_id = $1").bind(user).execute(&mut **tx).await?;
    for g in groups {
        sqlx::query("INSERT INTO agent_memberships (agent_user_id, group_id) VALUES ($1, $2) ON CONFLICT DO NOTHING")
            .bind(user)
            .bind(g)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

#[allow(clippy::too_many_arguments)]
pub async fn create_agent(
    db: &Db,
    name: &str,
    public_name: &str,
    email: &str,
    password_hash: &str,
    groups: &[String],
    chat_limit: i64,
    admin: i64,
    now: i64,
) -> Result<i64, AppError> {
    let mut tx = super::write_tx(db).await?;
    let group_ids = group_ids(&mut tx, groups).await?;
    let id = super::users::insert_user(&mut *tx, email, password_hash, Role::Agent, name, Locale::Ko, now).await?;
    sqlx::query("INSERT INTO agents (user_id, chat_limit, public_name) VALUES ($1, $2, $3)")
        .bind(id)
        .bind(chat_limit)
        .bind(public_name)
        .execute(&mut *tx)
        .await?;
    set_memberships(&mut tx, id, &group_ids).await?;
    let after = serde_json::json!({ "name": name, "public_name": public_name, "email": email, "groups": groups, "chat_limit": chat_limit });
    super::audit::record(&mut tx, admin, "agent.create", "user", id, None, Some(&after), now).await?;
    tx.commit().await?;
    Ok(id)
}

/// Groups, chat limit and disabled flag of an agent.
/// What an admin sets on an agent (shifts already checked and in canonical form).
pub struct AgentUpdate<'a> {
    /// The name customers see (already checked); `None` leaves it.
    pub public_name: Option<&'a str>,
    pub groups: &'a [String],
    pub chat_limit: i64,
    pub disabled: bool,
    pub shifts: &'a str,
}

/// What an admin sets on an agent, as stored (the audit's "before" image).
#[derive(sqlx::FromRow)]
struct AgentSettingsRow {
    #[sqlx(try_from = "crate::model::Flag")]
    disabled: bool,
    chat_limit: i64,
    shifts: Option<String>,
    public_name: String,
    /// `GROUP_CONCAT` of the group codes (see [`group_codes`]).
    groups: Option<String>,
}

/// Returns the chats that went back to a queue because the agent may no longer serve them.
pub async fn update_agent(db: &Db, user: i64, u: AgentUpdate<'_>, admin: i64, now: i64) -> Result<Vec<RequeuedChat>, AppError> {
    let AgentUpdate { public_name, groups, chat_limit, disabled, shifts } = u;
    let mut tx = super::write_tx(db).await?;
    tx.lock(super::Lock::Account(user)).await?;
    // the audit's "before" image, read in the transaction that replaces it
    let before: AgentSettingsRow = sqlx::query_as(
        &format!(
        "SELECT u.disabled, a.chat_limit, a.shifts, a.public_name,
                (SELECT {} FROM agent_memberships m JOIN agent_groups g ON g.id = m.group_id
                 WHERE m.agent_user_id = u.id) AS groups
         FROM users u JOIN agents a ON a.user_id = u.id WHERE u.id = $1 AND u.role = 'agent'",
        super::dialect::comma_list(super::Backend::of(db), "g.code")
    ),
    )
    .bind(user)
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(AppError::NotFound)?;
    let b = serde_json::json!({
        "public_name": before.public_name,
        "groups": group_codes(before.groups),
        "chat_limit": before.chat_limit,
        "disabled": before.disabled,
        "shifts": before.shifts.unwrap_or_default(),
    });
    let group_ids = group_ids(&mut tx, groups).await?;
    // disabling moves the session epoch on: enabling the account again later does not bring its
    // old sessions back
    sqlx::query(
        "UPDATE users SET disabled = $1, session_epoch = session_epoch + (CASE WHEN $1 = 1 AND disabled = 0 THEN 1 ELSE 0 END), updated_at = $2
          WHERE id = $3 AND role = 'agent'",
    )
        .bind(disabled as i64)
        .bind(now)
        .bind(user)
        .execute(&mut *tx)
        .await?;
    sqlx::query("UPDATE agents SET chat_limit = $1, shifts = $2, public_name = COALESCE($4, public_name) WHERE user_id = $3")
        .bind(chat_limit)
        .bind(Some(shifts).filter(|s| !s.is_empty()))
        .bind(user)
        .bind(public_name)
        .execute(&mut *tx)
        .await?;
    set_memberships(&mut tx, user, &group_ids).await?;
    // active chats the agent may no longer serve (disabled, or out of the chat's group) go back
    // to their group's queue: their customers would otherwise wait on someone who cannot answer
    let taken_back: Vec<(i64, i64)> = sqlx::query_as(
        "UPDATE chats SET status = 'waiting', agent_user_id = NULL, accepted_at = NULL
          WHERE agent_user_id = $1 AND status = 'active'
            AND ($2 = 1 OR group_id NOT IN (SELECT group_id FROM agent_memberships WHERE agent_user_id = $1))
          RETURNING id, group_id",
    )
    .bind(user)
    .bind(disabled as i64)
    .fetch_all(&mut *tx)
    .await?;
    let mut requeued = Vec::with_capacity(taken_back.len());
    for (chat_id, group_id) in taken_back {
        let seq = super::chats::system_event(&mut tx, chat_id, "requeued", now).await?;
        requeued.push(RequeuedChat { chat_id, group_id, seq });
    }
    if disabled {
        // their inquiries go back to the queue rather than waiting for someone who is gone
        sqlx::query("UPDATE inquiries SET assigned_agent_id = NULL, updated_at = $1 WHERE assigned_agent_id = $2 AND status IN ('new', 'open')")
            .bind(now)
            .bind(user)
            .execute(&mut *tx)
            .await?;
    }
    let a = serde_json::json!({ "public_name": public_name, "groups": groups, "chat_limit": chat_limit, "disabled": disabled, "shifts": shifts });
    super::audit::record(&mut tx, admin, "agent.update", "user", user, Some(&b), Some(&a), now).await?;
    tx.commit().await?;
    Ok(requeued)
}

/// A chat put back in its group's queue, and the sequence number of the event that says so.
pub struct RequeuedChat {
    pub chat_id: i64,
    pub group_id: i64,
    pub seq: i64,
}

/// A group's settings as stored (the audit's "before" image).
#[derive(sqlx::FromRow)]
struct GroupSettingsRow {
    name_ko: String,
    name_en: String,
    #[sqlx(try_from = "crate::model::Flag")]
    is_supervisors: bool,
    #[sqlx(try_from = "crate::model::Flag")]
    push_mode: bool,
}

#[allow(clippy::too_many_arguments)]
pub async fn save_group(
    db: &Db,
    create: bool,
    code: &str,
    name_ko: &str,
    name_en: &str,
    supervisors: bool,
    push_mode: bool,
    admin: i64,
    now: i64,
) -> Result<(), AppError> {
    let mut tx = super::write_tx(db).await?;
    tx.lock(super::Lock::GroupCode(code)).await?;
    // the audit's "before" image, read in the transaction that replaces it
    let before = sqlx::query_as::<_, GroupSettingsRow>("SELECT name_ko, name_en, is_supervisors, push_mode FROM agent_groups WHERE code = $1")
        .bind(code)
        .fetch_optional(&mut *tx)
        .await?
        .map(|g| {
            serde_json::json!({
                "code": code,
                "name_ko": g.name_ko,
                "name_en": g.name_en,
                "supervisors": g.is_supervisors,
                "push_mode": g.push_mode,
            })
        });
    match (create, &before) {
        (true, Some(_)) => return Err(AppError::invalid("code", FieldCode::CodeTaken)),
        (false, None) => return Err(AppError::NotFound),
        _ => {}
    }
    let id: i64 = if create {
        sqlx::query_scalar(
            "INSERT INTO agent_groups (code, name_ko, name_en, is_supervisors, push_mode, created_at) VALUES ($1, $2, $3, $4, $5, $6)
             ON CONFLICT (code) DO NOTHING RETURNING id",
        )
        .bind(code)
        .bind(name_ko)
        .bind(name_en)
        .bind(supervisors as i64)
        .bind(push_mode as i64)
        .bind(now)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(|| AppError::invalid("code", FieldCode::CodeTaken))?
    } else {
        sqlx::query_scalar("UPDATE agent_groups SET name_ko = $1, name_en = $2, is_supervisors = $3, push_mode = $4 WHERE code = $5 RETURNING id")
            .bind(name_ko)
            .bind(name_en)
            .bind(supervisors as i64)
            .bind(push_mode as i64)
            .bind(code)
            .fetch_one(&mut *tx)
            .await?
    };
    let b = before;
    let a = serde_json::json!({ "code": code, "name_ko": name_ko, "name_en": name_en, "supervisors": supervisors, "push_mode": push_mode });
    super::audit::record(&mut tx, admin, if create { "group.create" } else { "group.update" }, "agent_group", id, b.as_ref(), Some(&a), now).await?;
    tx.commit().await?;
    Ok(())
}

/// The agent's chat limit (admins without an agent record: the default).
pub async fn chat_limit(db: &Db, user: i64) -> Result<i64, AppError> {
    let limit: Option<i64> = sqlx::query_scalar("SELECT chat_limit FROM agents WHERE user_id = $1").bind(user).fetch_optional(db).await?;
    Ok(limit.unwrap_or(crate::domain::chat::DEFAULT_CHAT_LIMIT))
}

/// Chat connections move presence: the first one brings an offline agent online, the last one
/// takes the agent offline (whatever they had set). Returns whether anything changed.
pub async fn set_presence_from_connections(db: &Db, user: i64, connected: bool, now: i64) -> Result<bool, AppError> {
    let sql = if connected {
        "UPDATE agents SET presence = 'online', presence_at = $1 WHERE user_id = $2 AND presence = 'offline'"
    } else {
        "UPDATE agents SET presence = 'offline', presence_at = $1 WHERE user_id = $2 AND presence <> 'offline'"
    };
    Ok(sqlx::query(sql).bind(now).bind(user).execute(db).await?.rows_affected() > 0)
}

/// Sets the agent's own presence (online, away, offline): push mode assigns only to online agents.
pub async fn set_presence(db: &Db, user: i64, presence: crate::model::Presence, now: i64) -> Result<(), AppError> {
    sqlx::query("UPDATE agents SET presence = $1, presence_at = $2 WHERE user_id = $3").bind(presence).bind(now).bind(user).execute(db).await?;
    Ok(())
}
