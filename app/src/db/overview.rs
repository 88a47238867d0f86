//! Read models for the agent and admin landing pages.

use super::Db;
use crate::admin::{AdminOverview, TypeRoute};
use crate::agent::{AgentOverview, GroupQueue, QueueItem};
use crate::error::AppError;
use crate::i18n::Locale;
use sqlx::Row;

/// Statuses in which an inquiry waits for an agent.
const WAITING: &str = "('new', 'open')";

fn name_cols(locale: Locale) -> (&'static str, &'static str) {
    match locale {
        Locale::Ko => ("g.name_ko", "t.name_ko"),
        Locale::En => ("g.name_en", "t.name_en"),
    }
}

pub async fn agent(db: &Db, user_id: i64, all_groups: bool, locale: Locale, now: i64) -> Result<AgentOverview, AppError> {
    let (group_name, type_name) = name_cols(locale);
    let group_filter = if all_groups {
        "1 = 1"
    } else {
        "g.id IN (SELECT group_id FROM agent_memberships WHERE agent_user_id = $2)"
    };
    // every interpolated piece is a fixed string chosen above, never user input
    let groups = sqlx::query(&format!(
        "SELECT {group_name} AS group_name,
                COUNT(i.id) AS waiting,
                COALESCE(SUM(CASE WHEN i.sla_due_at < $1 THEN 1 ELSE 0 END), 0) AS overdue
         FROM agent_groups g
         LEFT JOIN inquiries i ON i.group_id = g.id AND i.status IN {WAITING}
         WHERE {group_filter}
         GROUP BY g.id, {group_name}
         ORDER BY g.id"
    ))
    .bind(now)
    .bind(user_id)
    .fetch_all(db)
    .await?
    .iter()
    .map(|r| {
        Ok(GroupQueue {
            group_name: r.try_get("group_name")?,
            waiting: r.try_get("waiting")?,
            overdue: r.try_get("overdue")?,
        })
    })
    .collect::<Result<Vec<_>, sqlx::Error>>()?;
    let top = sqlx::query(&format!(
        "SELECT i.id, i.subject, c.name AS customer_name, c.grade, {type_name} AS type_name, i.sla_due_at
         FROM inquiries i
         JOIN customers c ON c.id = i.customer_id
         JOIN inquiry_types t ON t.id = i.type_id
         JOIN agent_groups g ON g.id = i.group_id
         WHERE i.status IN {WAITING} AND i.assigned_agent_id IS NULL AND {group_filter}
         ORDER BY CASE c.grade WHEN 'vip' THEN 0 WHEN 'gold' THEN 1 WHEN 'general' THEN 2 ELSE 3 END,
                  i.sla_due_at, i.created_at, i.id
         LIMIT 20"
    ))
    .bind(now)
    .bind(user_id)
    .fetch_all(db)
    .await?
    .iter()
    .map(|r| {
        let sla_due_at: i64 = r.try_get("sla_due_at")?;
        Ok(QueueItem {
            id: r.try_get("id")?,
            subject: r.try_get("subject")?,
            customer_name: r.try_get("customer_name")?,
            grade: r.try_get("grade")?,
            type_name: r.try_get("type_name")?,
            sla_due_at,
            overdue: sla_due_at < now,
        })
    })
    .collect::<Result<Vec<_>, sqlx::Error>>()?;
    Ok(AgentOverview { groups, top })
}

pub async fn admin(db: &Db, locale: Locale) -> Result<AdminOverview, AppError> {
    let (group_name, type_name) = name_cols(locale);
    let count = |sql: &'static str| async move { sqlx::query_scalar::<_, i64>(sql).fetch_one(db).await };
    let types = sqlx::query(&format!(
        "SELECT t.code, {type_name} AS name, {group_name} AS group_name, t.first_response_target_s
         FROM inquiry_types t JOIN agent_groups g ON g.id = t.group_id
         WHERE t.retired = 0 ORDER BY t.sort_order, t.id"
    ))
    .fetch_all(db)
    .await?
    .iter()
    .map(|r| {
        Ok(TypeRoute {
            code: r.try_get("code")?,
            name: r.try_get("name")?,
            group_name: r.try_get("group_name")?,
            first_response_target_s: r.try_get("first_response_target_s")?,
        })
    })
    .collect::<Result<Vec<_>, sqlx::Error>>()?;
    Ok(AdminOverview {
        customers: count("SELECT COUNT(*) FROM customers").await?,
        agents: count("SELECT COUNT(*) FROM users WHERE role = 'agent' AND disabled = 0").await?,
        inquiries: count("SELECT COUNT(*) FROM inquiries").await?,
        open_inquiries: count("SELECT COUNT(*) FROM inquiries WHERE status NOT IN ('resolved', 'closed')").await?,
        templates: count("SELECT COUNT(*) FROM faq_templates WHERE retired = 0").await?,
        types,
    })
}
