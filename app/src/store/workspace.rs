//! Inquiries from the agent's side: queues of the agent's groups, taking the next inquiry, and
//! everything done in the workspace (reply, internal note, status, re-type, transfer). Agents act
//! only on inquiries of their groups or assigned to them; admins on all.

use super::inquiries::{insert_message, NewMessage};
use super::Db;
use crate::domain::queue::{ORDER_SQL, WAITING_SQL};
use crate::error::{AppError, FieldCode};

/// Who is acting: agents see their groups, admins every group.
#[derive(Debug, Clone, Copy)]
pub struct Actor {
    pub user_id: i64,
    pub is_admin: bool,
}

/// SQL condition "group `g.id` is one of the actor's": bind `$1` to the actor's user id and `$2`
/// to 1 for an admin (every group), 0 for an agent. A macro, so that the statements using it stay
/// static text (`concat!`).
macro_rules! my_groups {
    () => {
        "($2 = 1 OR g.id IN (SELECT group_id FROM agent_memberships WHERE agent_user_id = $1))"
    };
}
pub(crate) use my_groups;

/// The ids of the actor's groups, in order.
async fn actor_groups(db: &Db, actor: Actor) -> Result<Vec<i64>, AppError> {
    Ok(sqlx::query_scalar(concat!("SELECT g.id FROM agent_groups g WHERE ", my_groups!(), " ORDER BY g.id"))
        .bind(actor.user_id)
        .bind(actor.is_admin as i64)
        .fetch_all(db)
        .await?)
}

/// The top `limit` waiting inquiries of each of `groups` groups (parameters `$5`, `$6`, … are
/// their ids), in queue order, as `id` and the order columns: one ordered read of the
/// `inquiries_waiting` index per group, however long the queue. Optional filters: `$2` a type
/// id, `$3` a priority (grade), `$4` = 1 for overdue only (before `$1`, now).
pub fn waiting_top_sql(groups: usize, limit: i64) -> String {
    let arms: Vec<String> = (0..groups)
        .map(|n| {
            format!(
                "SELECT * FROM (SELECT i.id, i.priority, i.sla_due_at, i.created_at FROM inquiries i INDEXED BY inquiries_waiting
                   WHERE i.group_id = ${} AND i.status IN {WAITING_SQL} AND i.assigned_agent_id IS NULL
                     AND ($2 IS NULL OR i.type_id = $2) AND ($3 IS NULL OR i.priority = $3) AND ($4 = 0 OR i.sla_due_at < $1)
                   ORDER BY {ORDER_SQL} LIMIT {limit}) AS w{n}",
                n + 5
            )
        })
        .collect();
    arms.join(" UNION ALL ")
}

/// Gives the actor the top unassigned inquiry of their groups. One UPDATE picks and claims it,
/// so two agents pressing "take next" at once never get the same inquiry (SQLite runs writes one
/// at a time; the `assigned_agent_id IS NULL` guard keeps the claim safe on any database).
pub async fn take_next(db: &Db, actor: Actor, now: i64) -> Result<Option<i64>, AppError> {
    let my = actor_groups(db, actor).await?;
    if my.is_empty() {
        return Ok(None);
    }
    // $1 now, $2–$4 the (unused) filters, then the groups, then the actor
    let backend = super::Backend::of(db);
    let sql = format!(
        "UPDATE inquiries SET assigned_agent_id = ${actor}, status = 'open', updated_at = $1
         WHERE id = (SELECT top.id FROM ({top}) top ORDER BY top.priority DESC, top.sla_due_at, top.created_at, top.id LIMIT 1)
           AND assigned_agent_id IS NULL
         RETURNING id",
        top = waiting_top_sql(my.len(), 1),
        actor = 5 + my.len()
    );
    let sql = super::dialect::adapt(backend, sql);
    for _ in 0..5 {
        let mut q = sqlx::query_scalar::<_, i64>(&sql).bind(now).bind(None::<i64>).bind(None::<i64>).bind(0i64);
        for id in &my {
            q = q.bind(id);
        }
        q = q.bind(actor.user_id);
        let id = q.fetch_optional(db).await?;
        if id.is_some() {
            return Ok(id);
        }
        // nothing claimed: either the queue is empty or another agent won the same row
        let group_ids: Vec<String> = my.iter().map(|id| id.to_string()).collect();
        let left: i64 = sqlx::query_scalar(&super::dialect::adapt(backend, format!(
            "SELECT COUNT(*) FROM (SELECT 1 FROM inquiries i INDEXED BY inquiries_waiting WHERE i.group_id IN ({}) AND i.status IN {WAITING_SQL} AND i.assigned_agent_id IS NULL LIMIT 1) AS one",
            group_ids.join(", ")
        )))
        .fetch_one(db)
        .await?;
        if left == 0 {
            return Ok(None);
        }
    }
    Ok(None)
}

/// What the access check learns about an inquiry.
pub struct Access {
    pub customer_id: i64,
    pub status: crate::model::InquiryStatus,
    pub assigned: Option<i64>,
}

/// 404 when the inquiry does not exist, 403 when it is neither in the actor's groups nor
/// assigned to the actor. A change that depends on the status reads it with this inside its
/// write transaction (pass the transaction's connection), so no other change comes between.
pub async fn access<'c>(db: impl sqlx::AnyExecutor<'c>, actor: Actor, id: i64) -> Result<Access, AppError> {
    let row: AccessRow = sqlx::query_as(
        "SELECT i.customer_id, i.status, i.assigned_agent_id,
                EXISTS (SELECT 1 FROM agent_memberships m WHERE m.agent_user_id = $2 AND m.group_id = i.group_id) AS member
         FROM inquiries i WHERE i.id = $1",
    )
    .bind(id)
    .bind(actor.user_id)
    .fetch_optional(db)
    .await?
    .ok_or(AppError::NotFound)?;
    let assigned = row.assigned_agent_id;
    if !(actor.is_admin || row.member || assigned == Some(actor.user_id)) {
        return Err(AppError::Forbidden);
    }
    Ok(Access { customer_id: row.customer_id, status: row.status, assigned })
}

/// An inquiry as the access check reads it, and whether the actor is in its group.
#[derive(sqlx::FromRow)]
struct AccessRow {
    customer_id: i64,
    status: crate::model::InquiryStatus,
    assigned_agent_id: Option<i64>,
    #[sqlx(try_from = "crate::model::Flag")]
    member: bool,
}

/// Claims one inquiry for the actor (picking it from the queue instead of "take next").
pub async fn take(db: &Db, actor: Actor, id: i64, now: i64) -> Result<(), AppError> {
    let a = access(db, actor, id).await?;
    if a.assigned.is_some_and(|u| u != actor.user_id) {
        return Err(AppError::invalid("id", FieldCode::AlreadyTaken));
    }
    let done = sqlx::query(
        "UPDATE inquiries SET assigned_agent_id = $1, status = CASE WHEN status = 'new' THEN 'open' ELSE status END, updated_at = $2
         WHERE id = $3 AND (assigned_agent_id IS NULL OR assigned_agent_id = $1)",
    )
    .bind(actor.user_id)
    .bind(now)
    .bind(id)
    .execute(db)
    .await?;
    if done.rows_affected() == 0 {
        return Err(AppError::invalid("id", FieldCode::AlreadyTaken));
    }
    Ok(())
}

/// The first customer message of an inquiry with its subject: the text suggestions are for.
pub async fn inquiry_text(db: &Db, actor: Actor, id: i64) -> Result<String, AppError> {
    access(db, actor, id).await?;
    let r: InquiryTextRow = sqlx::query_as(
        "SELECT i.subject, (SELECT m.body FROM inquiry_messages m WHERE m.inquiry_id = i.id AND m.author_kind = 'customer'
                            ORDER BY m.created_at, m.id LIMIT 1) AS body
         FROM inquiries i WHERE i.id = $1",
    )
    .bind(id)
    .fetch_one(db)
    .await?;
    Ok(crate::domain::faq_training::inquiry_text(&r.subject, r.body.as_deref().unwrap_or("")))
}

/// An inquiry's subject and first customer message.
#[derive(sqlx::FromRow)]
struct InquiryTextRow {
    subject: String,
    body: Option<String>,
}

/// The answer of an active template (to put into the reply box).
pub async fn template_answer(db: &Db, template_id: i64) -> Result<Option<String>, AppError> {
    Ok(sqlx::query_scalar("SELECT answer FROM faq_templates WHERE id = $1 AND retired = 0")
        .bind(template_id)
        .fetch_optional(db)
        .await?)
}

/// An agent's reply the customer sees. It records the first response, claims an unassigned
/// inquiry for the agent, and sets the status the agent chose (waiting for the customer by
/// default; `None` keeps it). `template_id` records which FAQ answer it started from (the automation learns).
/// Runs in the caller's transaction (the answer's mail is queued in it too) and returns whom the
/// answer is for and the answer's message id.
pub async fn reply(
    tx: &mut super::WriteTx,
    actor: Actor,
    id: i64,
    body: &str,
    template_id: Option<i64>,
    next_status: Option<crate::model::InquiryStatus>,
    now: i64,
) -> Result<(crate::model::inquiry::AnswerFor, i64), AppError> {
    tx.lock(super::Lock::Inquiry(id)).await?;
    let template_id = match template_id {
        Some(t) => sqlx::query_scalar::<_, i64>("SELECT id FROM faq_templates WHERE id = $1 AND retired = 0").bind(t).fetch_optional(&mut **tx).await?,
        None => None,
    };
    let a = access(&mut **tx, actor, id).await?;
    if a.status == crate::model::InquiryStatus::Closed {
        return Err(AppError::invalid("body", FieldCode::InquiryClosed));
    }
    // "as it is" keeps the status, except that an answered inquiry is no longer new
    let next_status = next_status.unwrap_or(match a.status {
        crate::model::InquiryStatus::New => crate::model::InquiryStatus::Open,
        s => s,
    });
    let before = super::service_metrics::facts(tx, id).await?;
    let message = insert_message(tx, id, NewMessage { kind: "agent", author: Some(actor.user_id), body, internal: false, template_id }, now).await?;
    sqlx::query(
        "UPDATE inquiries SET status = $1, updated_at = $2, first_response_at = COALESCE(first_response_at, $2),
                resolved_at = CASE WHEN $1 = 'resolved' THEN $2 ELSE NULL END,
                assigned_agent_id = COALESCE(assigned_agent_id, $3)
         WHERE id = $4",
    )
    .bind(next_status)
    .bind(now)
    .bind(actor.user_id)
    .bind(id)
    .execute(&mut **tx)
    .await?;
    super::service_metrics::restate(tx, id, before).await?;
    Ok((super::inquiries::answer_for(tx, id).await?, message))
}

/// An internal note: agents see it, the customer never does.
pub async fn note(db: &Db, actor: Actor, id: i64, body: &str, now: i64) -> Result<(), AppError> {
    access(db, actor, id).await?;
    let mut tx = super::write_tx(db).await?;
    insert_message(&mut tx, id, NewMessage { kind: "agent", author: Some(actor.user_id), body, internal: true, template_id: None }, now).await?;
    sqlx::query("UPDATE inquiries SET updated_at = $1 WHERE id = $2").bind(now).bind(id).execute(&mut *tx).await?;
    tx.commit().await?;
    Ok(())
}

/// What the workspace's properties form asks for: each `None` leaves that property as it is.
#[derive(Debug, Default, Clone)]
pub struct PropertyChange<'a> {
    /// One of the statuses an agent may set (open, waiting for the customer, resolved).
    pub status: Option<crate::model::InquiryStatus>,
    /// A type code: re-typing re-routes (the new type's group, its first-response target).
    pub type_code: Option<&'a str>,
    /// `Some(None)` clears the voice-of-customer category.
    pub voc: Option<Option<crate::model::VocCategory>>,
    /// A group code: moving to another group puts the inquiry back in that group's queue.
    pub group_code: Option<&'a str>,
    /// `Some(None)` releases the inquiry to the queue; `Some(Some(user))` assigns it.
    pub assignee: Option<Option<i64>>,
    /// For the agents of the new group when the inquiry moves, else an internal note.
    pub note: Option<&'a str>,
}

/// The properties of an inquiry as they are before a change.
#[derive(sqlx::FromRow)]
struct CurrentProperties {
    customer_id: i64,
    status: crate::model::InquiryStatus,
    type_id: i64,
    type_code: String,
    group_id: i64,
    voc_category: Option<String>,
    assigned_agent_id: Option<i64>,
    created_at: i64,
    channel: String,
    auto_template_id: Option<i64>,
    faq_outcome: Option<String>,
}

/// Changes an inquiry's properties together, in one transaction: type (which re-routes), VOC
/// category, group, assignee, status, and a note. Each change that takes effect leaves its line in
/// the thread; what is unchanged leaves none. A change of group (by type or directly) returns the
/// inquiry to the new group's queue, so the assignee asked for then does not apply. Agents assign
/// an inquiry that is unassigned or theirs, to themselves or a member of its group; admins any.
///
/// Runs in the caller's transaction (the notice of a resolved inquiry is queued in it) and says
/// what it did.
pub async fn update_properties(tx: &mut super::WriteTx, actor: Actor, id: i64, change: PropertyChange<'_>, now: i64) -> Result<Updated, AppError> {
    tx.lock(super::Lock::Inquiry(id)).await?;
    access(&mut **tx, actor, id).await?;
    let cur: CurrentProperties = sqlx::query_as(
        "SELECT i.customer_id, i.status, i.type_id, t.code AS type_code, i.group_id, i.voc_category, i.assigned_agent_id,
                i.created_at, i.channel, i.auto_template_id, i.faq_outcome
         FROM inquiries i JOIN inquiry_types t ON t.id = i.type_id WHERE i.id = $1",
    )
    .bind(id)
    .fetch_one(&mut **tx)
    .await?;
    let before = super::service_metrics::facts(tx, id).await?;
    let system = |body: String| NewMessageOwned { kind: "system", author: actor.user_id, body, internal: true };
    let mut lines: Vec<NewMessageOwned> = Vec::new();
    let mut group = cur.group_id;
    let mut assignee = cur.assigned_agent_id;

    // the type first: it decides the group
    if let Some(code) = change.type_code.filter(|c| *c != cur.type_code) {
        let ty: RetypeTarget = sqlx::query_as("SELECT id, group_id, first_response_target_s FROM inquiry_types WHERE code = $1 AND retired = 0")
            .bind(code)
            .fetch_optional(&mut **tx)
            .await?
            .ok_or_else(|| AppError::invalid("type_code", FieldCode::InvalidChoice))?;
        let (routed, _) = super::inquiries::routed_group_on(tx, cur.customer_id, ty.group_id).await?;
        // the rollups count an inquiry under its current type: move it
        let counts = super::analytics::Counts::of(cur.auto_template_id.is_some(), cur.faq_outcome.as_deref() == Some("escalated"));
        super::analytics::count(tx, cur.created_at, cur.type_id, &cur.channel, counts.negated()).await?;
        super::analytics::count(tx, cur.created_at, ty.id, &cur.channel, counts).await?;
        sqlx::query("UPDATE inquiries SET type_id = $1, group_id = $2, sla_due_at = created_at + $3 * 1000 WHERE id = $4")
            .bind(ty.id)
            .bind(routed)
            .bind(ty.first_response_target_s)
            .bind(id)
            .execute(&mut **tx)
            .await?;
        lines.push(system(format!("retyped:{code}")));
        if routed != group {
            group = routed;
            assignee = None;
        }
    }
    if let Some(voc) = change.voc.map(|v| v.map(crate::model::VocCategory::as_str)).filter(|v| *v != cur.voc_category.as_deref()) {
        sqlx::query("UPDATE inquiries SET voc_category = $1 WHERE id = $2").bind(voc).bind(id).execute(&mut **tx).await?;
        lines.push(system(format!("voc:{}", voc.unwrap_or("-"))));
    }
    let note = change.note.map(str::trim).filter(|n| !n.is_empty());
    let retyped_away = group != cur.group_id;
    let mut transferred = false;
    if let Some(code) = change.group_code {
        let target: i64 = sqlx::query_scalar("SELECT id FROM agent_groups WHERE code = $1")
            .bind(code)
            .fetch_optional(&mut **tx)
            .await?
            .ok_or_else(|| AppError::invalid("group_code", FieldCode::InvalidChoice))?;
        if target != group {
            group = target;
            assignee = None;
            transferred = true;
            lines.push(NewMessageOwned { kind: "agent", author: actor.user_id, body: format!("→ {code}: {}", note.unwrap_or("")), internal: true });
        } else if let Some(n) = note {
            lines.push(NewMessageOwned { kind: "agent", author: actor.user_id, body: n.to_string(), internal: true });
        }
    } else if let Some(n) = note {
        lines.push(NewMessageOwned { kind: "agent", author: actor.user_id, body: n.to_string(), internal: true });
    }
    if retyped_away || transferred {
        // back to the new group's queue; a transferred inquiry is open there unless it waits for
        // the customer or is resolved
        sqlx::query(
            "UPDATE inquiries SET group_id = $1, assigned_agent_id = NULL,
                    status = CASE WHEN $2 = 0 OR status IN ('waiting_customer', 'resolved', 'closed') THEN status ELSE 'open' END
             WHERE id = $3",
        )
        .bind(group)
        .bind(i64::from(transferred))
        .bind(id)
        .execute(&mut **tx)
        .await?;
    } else if let Some(wanted) = change.assignee.filter(|w| *w != assignee) {
        if !actor.is_admin && assignee.is_some_and(|u| u != actor.user_id) {
            return Err(AppError::invalid("assignee", FieldCode::AlreadyTaken));
        }
        let name = match wanted {
            None => "-".to_string(),
            Some(user) => sqlx::query_scalar::<_, String>(
                "SELECT u.display_name FROM agent_memberships m JOIN users u ON u.id = m.agent_user_id
                 WHERE m.agent_user_id = $1 AND m.group_id = $2 AND u.disabled = 0",
            )
            .bind(user)
            .bind(group)
            .fetch_optional(&mut **tx)
            .await?
            .ok_or_else(|| AppError::invalid("assignee", FieldCode::InvalidChoice))?,
        };
        sqlx::query("UPDATE inquiries SET assigned_agent_id = $1, status = CASE WHEN status = 'new' AND $1 IS NOT NULL THEN 'open' ELSE status END WHERE id = $2")
            .bind(wanted)
            .bind(id)
            .execute(&mut **tx)
            .await?;
        lines.push(system(format!("assigned:{name}")));
    }
    if let Some(status) = change.status.filter(|s| *s != cur.status) {
        if cur.status == crate::model::InquiryStatus::Closed {
            return Err(AppError::invalid("status", FieldCode::InquiryClosed));
        }
        sqlx::query("UPDATE inquiries SET status = $1, resolved_at = CASE WHEN $1 = 'resolved' THEN $2 ELSE NULL END WHERE id = $3")
            .bind(status)
            .bind(now)
            .bind(id)
            .execute(&mut **tx)
            .await?;
        lines.push(system(format!("status:{status}")));
    }
    if lines.is_empty() {
        return Ok(Updated { resolved: false, note: None });
    }
    let mut note = None;
    for l in &lines {
        let message = insert_message(tx, id, NewMessage { kind: l.kind, author: Some(l.author), body: &l.body, internal: l.internal, template_id: None }, now).await?;
        // the one line an agent wrote (the system lines say what changed)
        if l.kind == "agent" {
            note = Some(message);
        }
    }
    sqlx::query("UPDATE inquiries SET updated_at = $1 WHERE id = $2").bind(now).bind(id).execute(&mut **tx).await?;
    super::service_metrics::restate(tx, id, before).await?;
    let resolved = change.status == Some(crate::model::InquiryStatus::Resolved) && cur.status != crate::model::InquiryStatus::Resolved;
    Ok(Updated { resolved, note })
}

/// What a properties change did: whether it resolved the inquiry, and the message of its note.
pub struct Updated {
    pub resolved: bool,
    pub note: Option<i64>,
}

/// A line the properties change leaves in the thread.
struct NewMessageOwned {
    kind: &'static str,
    author: i64,
    body: String,
    internal: bool,
}

/// A properties change that cannot resolve the inquiry, in its own transaction.
async fn update_other(db: &Db, actor: Actor, id: i64, change: PropertyChange<'_>, now: i64) -> Result<(), AppError> {
    let mut tx = super::write_tx(db).await?;
    update_properties(&mut tx, actor, id, change, now).await?;
    tx.commit().await?;
    Ok(())
}

/// Files the inquiry under a voice-of-customer category (complaint, question, compliment,
/// suggestion), or none. Closed inquiries can still be categorised: it is analysis, not
/// handling.
pub async fn set_voc(db: &Db, actor: Actor, id: i64, category: Option<crate::model::VocCategory>, now: i64) -> Result<(), AppError> {
    update_other(db, actor, id, PropertyChange { voc: Some(category), ..Default::default() }, now).await
}

/// Re-types an inquiry, which re-routes it: the new type's group (supervisors for a watched
/// customer), its first-response target from the inquiry's creation, and back to the queue.
pub async fn retype(db: &Db, actor: Actor, id: i64, type_code: &str, now: i64) -> Result<(), AppError> {
    update_other(db, actor, id, PropertyChange { type_code: Some(type_code), ..Default::default() }, now).await
}

/// The active type an inquiry is re-typed to: its routing and first-response target.
#[derive(sqlx::FromRow)]
struct RetypeTarget {
    id: i64,
    group_id: i64,
    first_response_target_s: i64,
}

/// Moves an inquiry to another group's queue with a note for the agents there.
pub async fn transfer(db: &Db, actor: Actor, id: i64, group_code: &str, note: &str, now: i64) -> Result<(), AppError> {
    update_other(db, actor, id, PropertyChange { group_code: Some(group_code), note: Some(note), ..Default::default() }, now).await
}

/// A token that changes whenever the inquiry or its thread changes (for the live notice).
pub async fn version(db: &Db, actor: Actor, id: i64) -> Result<String, AppError> {
    access(db, actor, id).await?;
    let (updated, messages): (i64, i64) =
        sqlx::query_as("SELECT i.updated_at, (SELECT COUNT(*) FROM inquiry_messages m WHERE m.inquiry_id = i.id) FROM inquiries i WHERE i.id = $1")
            .bind(id)
            .fetch_one(db)
            .await?;
    Ok(format!("{updated}-{messages}"))
}
