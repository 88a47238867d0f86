//! The audit log: who changed what in the admin area, when, with the record before and after.

#[cfg(feature = "ssr")]
use crate::auth::guard::AdminCtx;
use crate::auth::pages::Guarded;
use crate::domain::roles::Area;
use crate::error::AppError;
use crate::i18n::use_i18n;
use crate::ui::{format_datetime, PageError};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct AuditEntry {
    pub id: i64,
    pub at: i64,
    pub actor: Option<String>,
    pub action: String,
    pub entity: String,
    pub entity_id: Option<String>,
    #[cfg_attr(feature = "ssr", sqlx(rename = "before_json"))]
    pub before: Option<String>,
    #[cfg_attr(feature = "ssr", sqlx(rename = "after_json"))]
    pub after: Option<String>,
}

pub const ENTITIES: [&str; 6] = ["faq_template", "inquiry_type", "user", "agent_group", "customer", "settings"];

#[server(endpoint = "admin_audit")]
pub async fn admin_audit(entity: String) -> Result<Vec<AuditEntry>, AppError> {
    let AdminCtx { state, .. } = AdminCtx::require().await?;
    let entity = Some(entity).filter(|e| !e.is_empty());
    if entity.as_deref().is_some_and(|e| !ENTITIES.contains(&e)) {
        return Err(AppError::invalid("entity", crate::error::FieldCode::InvalidChoice));
    }
    super::queries::audit_entries(&state.db, entity.as_deref(), 200).await
}

#[component]
pub fn AuditPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let entity = move || query.read().get("entity").unwrap_or_default();
    let data = Resource::new(entity, admin_audit);
    view! {
        <Guarded area=Some(Area::Admin)>
            <section class="page-head"><h1>{move || i18n.t().audit_title()}</h1></section>
            <form method="get" action="/admin/audit" class="filters">
                <label for="filter-entity">{move || i18n.t().audit_entity()}</label>
                <select id="filter-entity" name="entity">
                    <option value="">{move || i18n.t().all_statuses()}</option>
                    {ENTITIES.iter().map(|e| view! { <option value=*e selected=move || entity() == *e>{*e}</option> }).collect_view()}
                </select>
                <button type="submit">{move || i18n.t().apply()}</button>
            </form>
            <Transition fallback=move || view! { <p class="loading">{i18n.t().loading()}</p> }>
                {move || Suspend::new(async move {
                    let t = i18n.t();
                    match data.await {
                        Ok(list) => view! {
                            <div class="table-wrap card">
                                <table class="audit">
                                    <thead><tr>
                                        <th scope="col">{t.audit_when()}</th>
                                        <th scope="col">{t.audit_who()}</th>
                                        <th scope="col">{t.audit_what()}</th>
                                        <th scope="col">{t.audit_change()}</th>
                                    </tr></thead>
                                    <tbody>
                                        {list.into_iter().map(|a| view! {
                                            <tr>
                                                <td>{format_datetime(a.at)}</td>
                                                <td>{a.actor.unwrap_or_default()}</td>
                                                <td>{a.action} " · " {a.entity} " #" {a.entity_id.unwrap_or_default()}</td>
                                                <td>
                                                    <details>
                                                        <summary>{t.audit_show()}</summary>
                                                        <p><strong>{t.audit_before()}</strong></p><pre>{a.before.unwrap_or_else(|| "—".into())}</pre>
                                                        <p><strong>{t.audit_after()}</strong></p><pre>{a.after.unwrap_or_else(|| "—".into())}</pre>
                                                    </details>
                                                </td>
                                            </tr>
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            </div>
                        }.into_any(),
                        Err(e) => view! { <PageError error=e /> }.into_any(),
                    }
                })}
            </Transition>
        </Guarded>
    }
}
