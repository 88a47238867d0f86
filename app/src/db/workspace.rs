//! Inquiries from the agent's side: queues of the agent's groups, taking the next inquiry, and
//! everything done in the workspace (reply, internal note, status, re-type, transfer). Agents act
//! only on inquiries of their groups or assigned to them; admins on all.

use super::inquiries::{insert_message, NewMessage};
use super::Db;
use crate::agent::queue::{GroupQueue, QueueFilter, QueueItem, QueueView};
use crate::agent::workspace::{AgentInquiry, AgentMessage, Customer360, GroupOption, OrderBrief, SuggestionView};
use crate::customer::inquiries::TypeOption;
use crate::domain::queue::{ORDER_SQL, WAITING_SQL};
use crate::error::{AppError, FieldCode};
use crate::i18n::Locale;
use sqlx::Row;

/// Who is acting: agents see their groups, admins every group.
#[derive(Debug, Clone, Copy)]
pub struct Actor {
    pub user_id: i64,
    pub is_admin: bool,
}

pub(super) fn group_name_col(locale: Locale) -> &'static str {
    match locale {
        Locale::Ko => "g.name_ko",
        Locale::En => "g.name_en",
    }
}

/// SQL condition "group `g.id` is one of the actor's" (parameter $1 is the actor's user id).
fn my_groups(actor: Actor) -> &'static str {
    if actor.is_admin {
        "($1 = $1)"
    } else {
        "g.id IN (SELECT group_id FROM agent_memberships WHERE agent_user_id = $1)"
    }
}

fn queue_item(r: &sqlx::sqlite::SqliteRow, now: i64) -> Result<QueueItem, sqlx::Error> {
    let sla_due_at: i64 = r.try_get("sla_due_at")?;
    Ok(QueueItem {
        id: r.try_get("id")?,
        subject: r.try_get("subject")?,
        status: r.try_get("status")?,
        customer_name: r.try_get("customer_name")?,
        grade: r.try_get("grade")?,
        type_name: r.try_get("type_name")?,
        group_name: r.try_get("group_name")?,
        created_at: r.try_get("created_at")?,
        sla_due_at,
        overdue: sla_due_at < now,
    })
}

/// The actor's groups, in order: ids, codes and names.
async fn actor_groups(db: &Db, actor: Actor, locale: Locale) -> Result<Vec<(i64, String, String)>, AppError> {
    let gname = group_name_col(locale);
    let mine_groups = my_groups(actor);
    Ok(sqlx::query_as(&format!("SELECT g.id, g.code, {gname} FROM agent_groups g WHERE {mine_groups} ORDER BY g.id"))
        .bind(actor.user_id)
        .fetch_all(db)
        .await?)
}

/// The top `limit` waiting inquiries of each of `groups` groups (parameters `$5`, `$6`, … are
/// their ids), in queue order, as `id` and the order columns: one ordered read of the
/// `inquiries_waiting` index per group, however long the queue. Optional filters: `$2` a type
/// id, `$3` a priority (grade), `$4` = 1 for overdue only (before `$1`, now).
fn waiting_top_sql(groups: usize, limit: i64) -> String {
    let arms: Vec<String> = (0..groups)
        .map(|n| {
            format!(
                "SELECT * FROM (SELECT i.id, i.priority, i.sla_due_at, i.created_at FROM inquiries i INDEXED BY inquiries_waiting
                   WHERE i.group_id = ${} AND i.status IN {WAITING_SQL} AND i.assigned_agent_id IS NULL
                     AND ($2 IS NULL OR i.type_id = $2) AND ($3 IS NULL OR i.priority = $3) AND ($4 = 0 OR i.sla_due_at < $1)
                   ORDER BY {ORDER_SQL} LIMIT {limit})",
                n + 5
            )
        })
        .collect();
    arms.join(" UNION ALL ")
}

/// Each of `groups` groups' waiting and overdue counts (parameters `$2`, `$3`, … are their ids;
/// `$1` is now), as `(group id, waiting, overdue)`, one arm per group in one statement. Each arm
/// counts from its group's range of the waiting index alone (no table rows read); named, because
/// the planner otherwise takes (group_id, status, …) and reads every row for the assignment test
/// (14 ms instead of 1 ms at 13,000 waiting). One `GROUP BY` over a join of the groups reads the
/// rows as well: 1.2 ms instead of 0.5 ms at 6,000 waiting.
fn waiting_counts_sql(groups: usize) -> String {
    let arms: Vec<String> = (0..groups)
        .map(|n| {
            format!(
                "SELECT ${p} AS group_id, COUNT(*), COALESCE(SUM(i.sla_due_at < $1), 0) FROM inquiries i INDEXED BY inquiries_waiting
                 WHERE i.group_id = ${p} AND i.status IN {WAITING_SQL} AND i.assigned_agent_id IS NULL",
                p = n + 2
            )
        })
        .collect();
    arms.join(" UNION ALL ")
}

/// The actor's queues: counts per group, the waiting inquiries in queue order (filtered), and the
/// inquiries assigned to the actor that are still being worked.
pub async fn queue(db: &Db, actor: Actor, filter: &QueueFilter, locale: Locale, now: i64) -> Result<QueueView, AppError> {
    let gname = group_name_col(locale);
    let tname = super::inquiries::type_name_col(locale);
    // the actor's groups with the actor's presence, then every group's counts in one statement
    let mine_groups = my_groups(actor);
    let rows: Vec<(i64, String, String, Option<crate::model::Presence>)> = sqlx::query_as(&format!(
        "SELECT g.id, g.code, {gname}, (SELECT presence FROM agents WHERE user_id = $1)
         FROM agent_groups g WHERE {mine_groups} ORDER BY g.id"
    ))
    .bind(actor.user_id)
    .fetch_all(db)
    .await?;
    let presence = match rows.first() {
        Some(first) => first.3.clone(),
        // in no group: no row carried it
        None => sqlx::query_scalar("SELECT presence FROM agents WHERE user_id = $1").bind(actor.user_id).fetch_optional(db).await?,
    };
    let my: Vec<(i64, String, String)> = rows.into_iter().map(|(id, code, name, _)| (id, code, name)).collect();
    let counts: Vec<(i64, i64, i64)> = if my.is_empty() {
        Vec::new()
    } else {
        let sql = waiting_counts_sql(my.len());
        let mut q = sqlx::query_as(&sql).bind(now);
        for (id, _, _) in &my {
            q = q.bind(id);
        }
        q.fetch_all(db).await?
    };
    let groups: Vec<GroupQueue> = my
        .iter()
        .map(|(id, code, name)| {
            let (waiting, overdue) = counts.iter().find(|c| c.0 == *id).map_or((0, 0), |c| (c.1, c.2));
            GroupQueue { code: code.clone(), group_name: name.clone(), waiting, overdue }
        })
        .collect();
    let select = format!(
        "SELECT i.id, i.subject, i.status, c.name AS customer_name, c.grade, {tname} AS type_name, {gname} AS group_name,
                i.created_at, i.sla_due_at
         FROM inquiries i
         JOIN customers c ON c.id = i.customer_id
         JOIN inquiry_types t ON t.id = i.type_id
         JOIN agent_groups g ON g.id = i.group_id"
    );
    let type_id: Option<i64> = match filter.type_code.as_deref() {
        Some(code) => Some(
            sqlx::query_scalar("SELECT id FROM inquiry_types WHERE code = $1").bind(code).fetch_optional(db).await?.unwrap_or(-1),
        ),
        None => None,
    };
    let waiting = if my.is_empty() {
        Vec::new()
    } else {
        let sql = format!(
            "{select}
             JOIN ({top}) top ON top.id = i.id
             ORDER BY top.priority DESC, top.sla_due_at, top.created_at, top.id
             LIMIT {QUEUE_PAGE}",
            top = waiting_top_sql(my.len(), QUEUE_PAGE)
        );
        let mut q = sqlx::query(&sql)
            .bind(now)
            .bind(type_id)
            .bind(filter.grade.map(crate::model::Grade::priority))
            .bind(filter.overdue as i64);
        for (id, _, _) in &my {
            q = q.bind(id);
        }
        q.fetch_all(db).await?.iter().map(|r| queue_item(r, now)).collect::<Result<Vec<_>, sqlx::Error>>()?
    };
    let mine = sqlx::query(&format!(
        "{select}
         WHERE i.assigned_agent_id = $1 AND i.status IN ('new', 'open', 'waiting_customer') AND $2 = $2
         ORDER BY {ORDER_SQL}
         LIMIT $3"
    ))
    .bind(actor.user_id)
    .bind(now)
    .bind(QUEUE_PAGE)
    .fetch_all(db)
    .await?
    .iter()
    .map(|r| queue_item(r, now))
    .collect::<Result<Vec<_>, sqlx::Error>>()?;
    let types = super::inquiries::types(db, locale).await?;
    Ok(QueueView { groups, waiting, mine, types, now, presence: presence.unwrap_or(crate::model::Presence::Offline) })
}

/// How many waiting inquiries a queue page lists.
const QUEUE_PAGE: i64 = 100;

/// Gives the actor the top unassigned inquiry of their groups. One UPDATE picks and claims it,
/// so two agents pressing "take next" at once never get the same inquiry (SQLite runs writes one
/// at a time; the `assigned_agent_id IS NULL` guard keeps the claim safe on any database).
pub async fn take_next(db: &Db, actor: Actor, now: i64) -> Result<Option<i64>, AppError> {
    let my = actor_groups(db, actor, Locale::Ko).await?;
    if my.is_empty() {
        return Ok(None);
    }
    // $1 now, $2–$4 the (unused) filters, then the groups, then the actor
    let sql = format!(
        "UPDATE inquiries SET assigned_agent_id = ${actor}, status = 'open', updated_at = $1
         WHERE id = (SELECT top.id FROM ({top}) top ORDER BY top.priority DESC, top.sla_due_at, top.created_at, top.id LIMIT 1)
           AND assigned_agent_id IS NULL
         RETURNING id",
        top = waiting_top_sql(my.len(), 1),
        actor = 5 + my.len()
    );
    for _ in 0..5 {
        let mut q = sqlx::query_scalar::<_, i64>(&sql).bind(now).bind(None::<i64>).bind(None::<i64>).bind(0i64);
        for (id, _, _) in &my {
            q = q.bind(id);
        }
        q = q.bind(actor.user_id);
        let id = q.fetch_optional(db).await?;
        if id.is_some() {
            return Ok(id);
        }
        // nothing claimed: either the queue is empty or another agent won the same row
        let group_ids: Vec<String> = my.iter().map(|(id, _, _)| id.to_string()).collect();
        let left: i64 = sqlx::query_scalar(&format!(
            "SELECT COUNT(*) FROM (SELECT 1 FROM inquiries i INDEXED BY inquiries_waiting WHERE i.group_id IN ({}) AND i.status IN {WAITING_SQL} AND i.assigned_agent_id IS NULL LIMIT 1)",
            group_ids.join(", ")
        ))
        .fetch_one(db)
        .await?;
        if left == 0 {
            return Ok(None);
        }
    }
    Ok(None)
}

/// What the access check learns about an inquiry.
struct Access {
    customer_id: i64,
    status: crate::model::InquiryStatus,
    assigned: Option<i64>,
}

/// 404 when the inquiry does not exist, 403 when it is neither in the actor's groups nor
/// assigned to the actor. A change that depends on the status reads it with this inside its
/// write transaction (pass the transaction's connection), so no other change comes between.
async fn access<'c>(db: impl sqlx::SqliteExecutor<'c>, actor: Actor, id: i64) -> Result<Access, AppError> {
    let row = sqlx::query(
        "SELECT i.customer_id, i.status, i.assigned_agent_id,
                EXISTS (SELECT 1 FROM agent_memberships m WHERE m.agent_user_id = $2 AND m.group_id = i.group_id) AS member
         FROM inquiries i WHERE i.id = $1",
    )
    .bind(id)
    .bind(actor.user_id)
    .fetch_optional(db)
    .await?
    .ok_or(AppError::NotFound)?;
    let assigned: Option<i64> = row.try_get("assigned_agent_id")?;
    let member: i64 = row.try_get("member")?;
    if !(actor.is_admin || member != 0 || assigned == Some(actor.user_id)) {
        return Err(AppError::Forbidden);
    }
    Ok(Access { customer_id: row.try_get("customer_id")?, status: row.try_get("status")?, assigned })
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

/// The workspace: the whole thread with internal notes, the customer's 360° view, and the FAQ
/// suggestions for the inquiry's text (template ids and confidences from the live index).
/// `suggest` gets the inquiry's text (subject and first customer message) and returns template
/// ids with confidences; the workspace's version (as [`version`]) comes back with it, read in the
/// same statement as the inquiry, so the page checks access once.
pub async fn detail(
    db: &Db,
    actor: Actor,
    id: i64,
    suggest: impl FnOnce(&str) -> Vec<(i64, f32)>,
    locale: Locale,
) -> Result<(AgentInquiry, String), AppError> {
    let a = access(db, actor, id).await?;
    let gname = group_name_col(locale);
    let tname = super::inquiries::type_name_col(locale);
    let r = sqlx::query(&format!(
        "SELECT i.id, i.subject, i.status, t.code AS type_code, {tname} AS type_name, g.code AS group_code, {gname} AS group_name,
                u.display_name AS assigned_name, i.created_at, i.sla_due_at, i.first_response_at, o.order_no, i.escalated,
                i.auto_score, i.voc_category, i.updated_at,
                (SELECT COUNT(*) FROM inquiry_messages m WHERE m.inquiry_id = i.id) AS message_count,
                (SELECT m.body FROM inquiry_messages m WHERE m.inquiry_id = i.id AND m.author_kind = 'customer'
                 ORDER BY m.created_at, m.id LIMIT 1) AS first_body
         FROM inquiries i
         JOIN inquiry_types t ON t.id = i.type_id
         JOIN agent_groups g ON g.id = i.group_id
         LEFT JOIN users u ON u.id = i.assigned_agent_id
         LEFT JOIN orders o ON o.id = i.order_id
         WHERE i.id = $1"
    ))
    .bind(id)
    .fetch_one(db)
    .await?;
    let messages = sqlx::query(
        "SELECT m.id, m.author_kind, u.display_name AS author_name, m.body, m.internal, m.created_at
         FROM inquiry_messages m LEFT JOIN users u ON u.id = m.author_user_id
         WHERE m.inquiry_id = $1 ORDER BY m.created_at, m.id",
    )
    .bind(id)
    .fetch_all(db)
    .await?
    .iter()
    .map(|m| {
        Ok(AgentMessage {
            id: m.try_get("id")?,
            author_kind: m.try_get("author_kind")?,
            author_name: m.try_get("author_name")?,
            body: m.try_get("body")?,
            internal: m.try_get::<i64, _>("internal")? != 0,
            at: m.try_get("created_at")?,
        })
    })
    .collect::<Result<Vec<_>, sqlx::Error>>()?;
    let subject: String = r.try_get("subject")?;
    let first_body: Option<String> = r.try_get("first_body")?;
    let suggestions = suggest(&crate::faq::index::inquiry_text(&subject, first_body.as_deref().unwrap_or("")));
    let version = format!("{}-{}", r.try_get::<i64, _>("updated_at")?, r.try_get::<i64, _>("message_count")?);
    // the suggested templates that are still active, in one statement, in the matcher's order
    let mut suggestion_views = Vec::with_capacity(suggestions.len());
    if !suggestions.is_empty() {
        let marks: Vec<String> = (1..=suggestions.len()).map(|n| format!("${n}")).collect();
        let sql = format!("SELECT id, question, answer FROM faq_templates WHERE retired = 0 AND id IN ({})", marks.join(", "));
        let mut q = sqlx::query(&sql);
        for (template_id, _) in &suggestions {
            q = q.bind(template_id);
        }
        let rows = q.fetch_all(db).await?;
        for (template_id, confidence) in &suggestions {
            if let Some(t) = rows.iter().find(|t| t.try_get::<i64, _>("id").ok() == Some(*template_id)) {
                suggestion_views.push(SuggestionView {
                    template_id: *template_id,
                    question: t.try_get("question")?,
                    answer: t.try_get("answer")?,
                    confidence: *confidence,
                });
            }
        }
    }
    let groups = sqlx::query(&format!("SELECT g.code, {gname} AS name FROM agent_groups g ORDER BY g.id"))
        .fetch_all(db)
        .await?
        .iter()
        .map(|g| Ok(GroupOption { code: g.try_get("code")?, name: g.try_get("name")? }))
        .collect::<Result<Vec<_>, sqlx::Error>>()?;
    let types: Vec<TypeOption> = super::inquiries::types(db, locale).await?;
    let inquiry = AgentInquiry {
        id: r.try_get("id")?,
        subject,
        status: a.status,
        type_code: r.try_get("type_code")?,
        type_name: r.try_get("type_name")?,
        group_code: r.try_get("group_code")?,
        group_name: r.try_get("group_name")?,
        assigned_name: r.try_get("assigned_name")?,
        assigned_to_me: a.assigned == Some(actor.user_id),
        created_at: r.try_get("created_at")?,
        sla_due_at: r.try_get("sla_due_at")?,
        first_response_at: r.try_get("first_response_at")?,
        order_no: r.try_get("order_no")?,
        escalated: r.try_get::<i64, _>("escalated")? != 0,
        voc: r.try_get("voc_category")?,
        messages,
        customer: customer_360(db, a.customer_id, actor).await?,
        suggestions: suggestion_views,
        types,
        groups,
    };
    Ok((inquiry, version))
}

/// The customer behind an inquiry, as an agent needs them: profile, grade, watch flag, consent,
/// recent orders and all recent contacts, with the internal notes the viewer may read (those on
/// inquiries of the viewer's groups; admins read all).
pub async fn customer_360(db: &Db, customer_id: i64, viewer: Actor) -> Result<Customer360, AppError> {
    let c = sqlx::query(
        "SELECT c.customer_no, c.name, u.email, c.phone, c.grade, c.watch_flag, c.watch_reason, c.email_consent, c.sms_consent,
                u.locale
         FROM customers c JOIN users u ON u.id = c.user_id WHERE c.id = $1",
    )
    .bind(customer_id)
    .fetch_one(db)
    .await?;
    let orders = sqlx::query(
        "SELECT order_no, status, total_won, placed_at FROM orders WHERE customer_id = $1 ORDER BY placed_at DESC, id DESC LIMIT 10",
    )
    .bind(customer_id)
    .fetch_all(db)
    .await?
    .iter()
    .map(|o| {
        Ok(OrderBrief {
            order_no: o.try_get("order_no")?,
            status: o.try_get("status")?,
            total_won: o.try_get("total_won")?,
            placed_at: o.try_get("placed_at")?,
        })
    })
    .collect::<Result<Vec<_>, sqlx::Error>>()?;
    let phone: Option<String> = c.try_get("phone")?;
    Ok(Customer360 {
        customer_no: c.try_get("customer_no")?,
        name: c.try_get("name")?,
        email: c.try_get("email")?,
        phone: phone.map(|p| crate::domain::phone::format_phone(&p)),
        grade: c.try_get("grade")?,
        watch_flag: c.try_get::<i64, _>("watch_flag")? != 0,
        watch_reason: c.try_get("watch_reason")?,
        email_consent: c.try_get::<i64, _>("email_consent")? != 0,
        sms_consent: c.try_get::<i64, _>("sms_consent")? != 0,
        locale: c.try_get("locale")?,
        orders,
        contacts: super::history::recent_for_agent(db, customer_id, viewer, 30).await?,
    })
}

/// The first customer message of an inquiry with its subject: the text suggestions are for.
pub async fn inquiry_text(db: &Db, actor: Actor, id: i64) -> Result<String, AppError> {
    access(db, actor, id).await?;
    let r = sqlx::query(
        "SELECT i.subject, (SELECT m.body FROM inquiry_messages m WHERE m.inquiry_id = i.id AND m.author_kind = 'customer'
                            ORDER BY m.created_at, m.id LIMIT 1) AS body
         FROM inquiries i WHERE i.id = $1",
    )
    .bind(id)
    .fetch_one(db)
    .await?;
    let body: Option<String> = r.try_get("body")?;
    Ok(crate::faq::index::inquiry_text(&r.try_get::<String, _>("subject")?, body.as_deref().unwrap_or("")))
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
/// default). `template_id` records which FAQ answer it started from (the automation learns).
pub async fn reply(
    db: &Db,
    actor: Actor,
    id: i64,
    body: &str,
    template_id: Option<i64>,
    next_status: crate::model::InquiryStatus,
    now: i64,
) -> Result<(), AppError> {
    let template_id = match template_id {
        Some(t) => template_answer(db, t).await?.map(|_| t),
        None => None,
    };
    let mut tx = super::write_tx(db).await?;
    let a = access(&mut *tx, actor, id).await?;
    if a.status == crate::model::InquiryStatus::Closed {
        return Err(AppError::invalid("body", FieldCode::InquiryClosed));
    }
    let before = super::service_metrics::facts(&mut tx, id).await?;
    insert_message(&mut tx, id, NewMessage { kind: "agent", author: Some(actor.user_id), body, internal: false, template_id }, now).await?;
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
    .execute(&mut *tx)
    .await?;
    super::service_metrics::restate(&mut tx, id, before).await?;
    tx.commit().await?;
    Ok(())
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

/// Sets one of the statuses an agent may set (open, waiting for the customer, resolved).
pub async fn set_status(db: &Db, actor: Actor, id: i64, status: crate::model::InquiryStatus, now: i64) -> Result<(), AppError> {
    let mut tx = super::write_tx(db).await?;
    let a = access(&mut *tx, actor, id).await?;
    if a.status == crate::model::InquiryStatus::Closed {
        return Err(AppError::invalid("status", FieldCode::InquiryClosed));
    }
    let before = super::service_metrics::facts(&mut tx, id).await?;
    insert_message(&mut tx, id, NewMessage { kind: "system", author: Some(actor.user_id), body: &format!("status:{status}"), internal: true, template_id: None }, now).await?;
    sqlx::query(
        "UPDATE inquiries SET status = $1, updated_at = $2, resolved_at = CASE WHEN $1 = 'resolved' THEN $2 ELSE NULL END WHERE id = $3",
    )
    .bind(status)
    .bind(now)
    .bind(id)
    .execute(&mut *tx)
    .await?;
    super::service_metrics::restate(&mut tx, id, before).await?;
    tx.commit().await?;
    Ok(())
}

/// Files the inquiry under a voice-of-customer category (complaint, question, compliment,
/// suggestion), or none (`""`). Closed inquiries can still be categorised: it is analysis, not
/// handling.
pub async fn set_voc(db: &Db, actor: Actor, id: i64, category: &str, now: i64) -> Result<(), AppError> {
    let category = match category.trim() {
        "" => None,
        c => Some(crate::domain::service_metrics::VOC_CATEGORIES.iter().find(|v| **v == c).ok_or_else(|| AppError::invalid("voc", FieldCode::InvalidChoice))?),
    };
    access(db, actor, id).await?;
    let mut tx = super::write_tx(db).await?;
    let before = super::service_metrics::facts(&mut tx, id).await?;
    if before.as_ref().and_then(|f| f.voc.as_deref()) == category.copied() {
        return Ok(());
    }
    let body = format!("voc:{}", category.copied().unwrap_or("-"));
    insert_message(&mut tx, id, NewMessage { kind: "system", author: Some(actor.user_id), body: &body, internal: true, template_id: None }, now).await?;
    sqlx::query("UPDATE inquiries SET voc_category = $1, updated_at = $2 WHERE id = $3").bind(category.copied()).bind(now).bind(id).execute(&mut *tx).await?;
    super::service_metrics::restate(&mut tx, id, before).await?;
    tx.commit().await?;
    Ok(())
}

/// Re-types an inquiry, which re-routes it: the new type's group (supervisors for a watched
/// customer), its first-response target from the inquiry's creation, and back to the queue.
pub async fn retype(db: &Db, actor: Actor, id: i64, type_code: &str, now: i64) -> Result<(), AppError> {
    let a = access(db, actor, id).await?;
    let ty = sqlx::query("SELECT id, group_id, first_response_target_s FROM inquiry_types WHERE code = $1 AND retired = 0")
        .bind(type_code)
        .fetch_optional(db)
        .await?
        .ok_or_else(|| AppError::invalid("type_code", FieldCode::InvalidChoice))?;
    let (group, _) = super::inquiries::routed_group(db, a.customer_id, ty.try_get("group_id")?).await?;
    let target: i64 = ty.try_get("first_response_target_s")?;
    let new_type: i64 = ty.try_get("id")?;
    let mut tx = super::write_tx(db).await?;
    let before = super::service_metrics::facts(&mut tx, id).await?;
    // the rollups count an inquiry under its current type: move it
    let (old_type, created_at, channel, auto, outcome): (i64, i64, String, Option<i64>, Option<String>) =
        sqlx::query_as("SELECT type_id, created_at, channel, auto_template_id, faq_outcome FROM inquiries WHERE id = $1").bind(id).fetch_one(&mut *tx).await?;
    if old_type != new_type {
        let counts = super::analytics::Counts::of(auto.is_some(), outcome.as_deref() == Some("escalated"));
        super::analytics::count(&mut tx, created_at, old_type, &channel, counts.negated()).await?;
        super::analytics::count(&mut tx, created_at, new_type, &channel, counts).await?;
    }
    insert_message(&mut tx, id, NewMessage { kind: "system", author: Some(actor.user_id), body: &format!("retyped:{type_code}"), internal: true, template_id: None }, now).await?;
    sqlx::query(
        "UPDATE inquiries SET type_id = $1, group_id = $2, sla_due_at = created_at + $3 * 1000, updated_at = $4,
                assigned_agent_id = CASE WHEN group_id = $2 THEN assigned_agent_id ELSE NULL END
         WHERE id = $5",
    )
    .bind(ty.try_get::<i64, _>("id")?)
    .bind(group)
    .bind(target)
    .bind(now)
    .bind(id)
    .execute(&mut *tx)
    .await?;
    super::service_metrics::restate(&mut tx, id, before).await?;
    tx.commit().await?;
    Ok(())
}

/// Moves an inquiry to another group's queue with a note for the agents there.
pub async fn transfer(db: &Db, actor: Actor, id: i64, group_code: &str, note: &str, now: i64) -> Result<(), AppError> {
    access(db, actor, id).await?;
    let group: i64 = sqlx::query_scalar("SELECT id FROM agent_groups WHERE code = $1")
        .bind(group_code)
        .fetch_optional(db)
        .await?
        .ok_or_else(|| AppError::invalid("group_code", FieldCode::InvalidChoice))?;
    let mut tx = super::write_tx(db).await?;
    insert_message(&mut tx, id, NewMessage { kind: "agent", author: Some(actor.user_id), body: &format!("→ {group_code}: {note}"), internal: true, template_id: None }, now).await?;
    sqlx::query(
        "UPDATE inquiries SET group_id = $1, assigned_agent_id = NULL, updated_at = $2,
                status = CASE WHEN status IN ('waiting_customer', 'resolved') THEN status ELSE 'open' END
         WHERE id = $3",
    )
    .bind(group)
    .bind(now)
    .bind(id)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Customers matching a search: exact customer number, email, phone or order number, or a part
/// of the name. At most 20, by name.
pub async fn search_customers(db: &Db, q: &str) -> Result<Vec<crate::agent::customers::CustomerHit>, AppError> {
    let phone = crate::domain::phone::normalize_phone(q).ok();
    let rows = sqlx::query(
        "SELECT c.customer_no, c.name, u.email, c.phone, c.grade FROM customers c JOIN users u ON u.id = c.user_id
         WHERE c.customer_no = $1 OR u.email_key = $2 OR c.phone = $3 OR c.name LIKE $4 ESCAPE '\\'
            OR c.id IN (SELECT o.customer_id FROM orders o WHERE o.order_no = $1)
         ORDER BY c.name, c.id LIMIT 20",
    )
    .bind(q.to_uppercase())
    .bind(q.to_lowercase())
    .bind(phone)
    .bind(super::like_anywhere(q))
    .fetch_all(db)
    .await?;
    rows.iter()
        .map(|r| {
            let phone: Option<String> = r.try_get("phone")?;
            Ok(crate::agent::customers::CustomerHit {
                customer_no: r.try_get("customer_no")?,
                name: r.try_get("name")?,
                email: r.try_get("email")?,
                phone: phone.map(|p| crate::domain::phone::format_phone(&p)),
                grade: r.try_get("grade")?,
            })
        })
        .collect::<Result<Vec<_>, sqlx::Error>>()
        .map_err(Into::into)
}

/// A customer's 360° view and every inquiry, by customer number (404 when there is none).
pub async fn customer_record(db: &Db, customer_no: &str, locale: Locale, viewer: Actor) -> Result<crate::agent::customers::CustomerRecord, AppError> {
    let id: i64 = sqlx::query_scalar("SELECT id FROM customers WHERE customer_no = $1")
        .bind(customer_no)
        .fetch_optional(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let col = super::inquiries::type_name_col(locale);
    let inquiries = sqlx::query(&format!(
        "SELECT i.id, i.subject, i.status, {col} AS type_name, i.created_at, i.updated_at
         FROM inquiries i JOIN inquiry_types t ON t.id = i.type_id
         WHERE i.customer_id = $1 ORDER BY i.created_at DESC, i.id DESC LIMIT 100"
    ))
    .bind(id)
    .fetch_all(db)
    .await?
    .iter()
    .map(super::inquiries::list_item)
    .collect::<Result<Vec<_>, sqlx::Error>>()?;
    Ok(crate::agent::customers::CustomerRecord { customer: customer_360(db, id, viewer).await?, inquiries })
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
