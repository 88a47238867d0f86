//! Read models for the agent and admin landing pages.

use super::Db;
use crate::admin::{AdminOverview, TypeRoute};
use crate::error::AppError;
use crate::i18n::Locale;
use sqlx::Row;

fn name_cols(locale: Locale) -> (&'static str, &'static str) {
    match locale {
        Locale::Ko => ("g.name_ko", "t.name_ko"),
        Locale::En => ("g.name_en", "t.name_en"),
    }
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
