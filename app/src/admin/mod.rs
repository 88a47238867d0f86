//! The admin area: the overview (counts and the routing of inquiry types) and the FAQ editor.

pub mod agents;
pub mod analytics;
pub mod audit;
pub mod faq;
pub mod grades;
pub mod mail;
pub mod mining;
pub mod notices;
#[cfg(feature = "ssr")]
pub mod queries;
pub mod staffing;
pub mod types;

#[cfg(feature = "ssr")]
use crate::auth::guard::AdminCtx;
use crate::auth::pages::Guarded;
use crate::domain::roles::Area;
use crate::error::AppError;
use crate::i18n::{use_i18n, Locale};
use crate::ui::PageError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TypeRoute {
    pub code: String,
    pub name: String,
    pub group_name: String,
    pub first_response_target_s: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AdminOverview {
    pub customers: i64,
    pub agents: i64,
    pub inquiries: i64,
    pub open_inquiries: i64,
    pub templates: i64,
    pub types: Vec<TypeRoute>,
}

#[server(endpoint = "admin_overview")]
pub async fn get_admin_overview(locale: Locale) -> Result<AdminOverview, AppError> {
    let AdminCtx { state, .. } = AdminCtx::require().await?;
    queries::overview(&state.db, locale).await
}

#[component]
pub fn AdminHome() -> impl IntoView {
    let i18n = use_i18n();
    let data = Resource::new(move || i18n.locale.get(), get_admin_overview);
    view! {
        <Guarded area=Some(Area::Admin)>
            <section class="page-head">
                <h1>{move || i18n.t().admin_title()}</h1>
                <p class="lead">{move || i18n.t().admin_lead()}</p>
            </section>
            <Transition fallback=move || view! { <p class="loading">{i18n.t().loading()}</p> }>
                {move || Suspend::new(async move {
                    let t = i18n.t();
                    match data.await {
                        Ok(o) => view! {
                            <div class="stats">
                                <section class="card stat"><h2>{t.stat_customers()}</h2><p class="big">{o.customers}</p></section>
                                <section class="card stat"><h2>{t.stat_agents()}</h2><p class="big">{o.agents}</p></section>
                                <section class="card stat"><h2>{t.stat_inquiries()}</h2><p class="big">{o.inquiries}</p></section>
                                <section class="card stat"><h2>{t.stat_open_inquiries()}</h2><p class="big">{o.open_inquiries}</p></section>
                                <section class="card stat"><h2>{t.stat_templates()}</h2><p class="big">{o.templates}</p></section>
                            </div>
                            <section class="card">
                                <h2>{t.inquiry_types_title()}</h2>
                                <table>
                                    <thead><tr>
                                        <th scope="col">{t.inquiry_type()}</th>
                                        <th scope="col">{t.routes_to()}</th>
                                        <th scope="col" class="num">{t.first_response_target()}</th>
                                    </tr></thead>
                                    <tbody>
                                        {o.types.into_iter().map(|ty| view! {
                                            <tr>
                                                <td>{ty.name} " " <code>{ty.code}</code></td>
                                                <td>{ty.group_name}</td>
                                                <td class="num">{t.minutes(ty.first_response_target_s / 60)}</td>
                                            </tr>
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            </section>
                        }.into_any(),
                        Err(e) => view! { <PageError error=e /> }.into_any(),
                    }
                })}
            </Transition>
        </Guarded>
    }
}
