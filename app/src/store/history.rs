//! One timeline per customer: inquiries, answers to them, order status events, chats and
//! mails sent, newest first. Internal notes are never part of it.

use super::Db;
use crate::model::history::{HistoryEntry, HistoryPage};
use crate::domain::paging;
use crate::error::AppError;

const TIMELINE: &str = "
    SELECT 'inquiry' AS kind, i.id AS ref_id, i.created_at AS at, i.subject AS title, i.status AS detail
      FROM inquiries i WHERE i.customer_id = $1
    UNION ALL
    SELECT 'message', m.inquiry_id, m.created_at, i.subject, m.author_kind
      FROM inquiry_messages m JOIN inquiries i ON i.id = m.inquiry_id
     WHERE i.customer_id = $1 AND m.internal = 0 AND m.author_kind IN ('agent', 'bot')
    UNION ALL
    SELECT 'order', o.id, e.at, o.order_no, e.status
      FROM order_events e JOIN orders o ON o.id = e.order_id WHERE o.customer_id = $1
    UNION ALL
    SELECT 'chat', c.id, c.created_at, '', c.status FROM chats c WHERE c.customer_id = $1
    UNION ALL
    SELECT 'email', x.id, x.created_at, x.subject, x.kind FROM email_outbox x WHERE x.customer_id = $1";

pub async fn page(db: &Db, customer_id: i64, kind: Option<&str>, page: u32) -> Result<HistoryPage, AppError> {
    let total: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM ({TIMELINE}) h WHERE ($2 IS NULL OR h.kind = $2)"))
        .bind(customer_id)
        .bind(kind)
        .fetch_one(db)
        .await?;
    let page = paging::clamp_page(page, total, paging::PER_PAGE);
    let entries: Vec<HistoryEntry> = sqlx::query_as(&format!(
        "SELECT kind, ref_id, at, title, detail FROM ({TIMELINE}) h
         WHERE ($2 IS NULL OR h.kind = $2)
         ORDER BY at DESC, kind, ref_id DESC LIMIT $3 OFFSET $4"
    ))
    .bind(customer_id)
    .bind(kind)
    .bind(paging::PER_PAGE as i64)
    .bind(paging::offset(page, paging::PER_PAGE))
    .fetch_all(db)
    .await?;
    Ok(HistoryPage { items: entries, page, pages: paging::page_count(total, paging::PER_PAGE), total })
}

/// The customer's latest contacts as agents see them: the customer's own timeline plus the
/// internal notes agents wrote (kind `note`) on inquiries of the viewer's groups — the notes an
/// agent could read in those inquiries' threads anyway. Notes on inquiries routed elsewhere (the
/// supervisors' notes on a watch-flagged customer, say) stay there; admins read all.
pub async fn recent_for_agent(db: &Db, customer_id: i64, viewer: super::workspace::Actor, limit: i64) -> Result<Vec<HistoryEntry>, AppError> {
    Ok(sqlx::query_as(&format!(
        "SELECT kind, ref_id, at, title, detail FROM ({TIMELINE}
            UNION ALL
            SELECT 'note', m.inquiry_id, m.created_at, i.subject, m.body
              FROM inquiry_messages m JOIN inquiries i ON i.id = m.inquiry_id
             WHERE i.customer_id = $1 AND m.internal = 1
               AND ($3 = 1 OR i.group_id IN (SELECT group_id FROM agent_memberships WHERE agent_user_id = $4))) h
         ORDER BY at DESC, kind, ref_id DESC LIMIT $2"
    ))
    .bind(customer_id)
    .bind(limit)
    .bind(viewer.is_admin as i64)
    .bind(viewer.user_id)
    .fetch_all(db)
    .await?)
}
