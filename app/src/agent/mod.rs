//! The agent console. This first slice shows the queues of the agent's groups; taking,
//! answering and the 360° view come with the agent console issue.

use crate::auth::pages::Guarded;
use crate::domain::roles::Area;
use crate::error::AppError;
use crate::i18n::{use_i18n, Locale};
use crate::ui::{format_datetime, PageError};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupQueue {
    pub group_name: String,
    pub waiting: i64,
    pub overdue: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QueueItem {
    pub id: i64,
    pub subject: String,
    pub customer_name: String,
    pub grade: String,
    pub type_name: String,
    pub sla_due_at: i64,
    pub overdue: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AgentOverview {
    pub groups: Vec<GroupQueue>,
    pub top: Vec<QueueItem>,
}

/// Queues of the caller's groups (all groups for an admin).
#[server(endpoint = "agent_overview")]
pub async fn get_agent_overview(locale: Locale) -> Result<AgentOverview, AppError> {
    let user = crate::auth::guard::require_area(Area::Agent).await?;
    let state = crate::state::AppState::get()?;
    let all_groups = user.role == crate::domain::roles::Role::Admin;
    crate::db::overview::agent(&state.db, user.id, all_groups, locale, crate::db::now_ms()).await
}

#[component]
pub fn AgentHome() -> impl IntoView {
    view! {
        <Guarded area=Some(Area::Agent)>
            <AgentQueues />
        </Guarded>
    }
}

#[component]
fn AgentQueues() -> impl IntoView {
    let i18n = use_i18n();
    let data = Resource::new(move || i18n.locale.get(), get_agent_overview);
    view! {
        <section class="page-head">
            <h1>{move || i18n.t().agent_title}</h1>
            <p class="lead">{move || i18n.t().agent_lead}</p>
        </section>
        <Transition fallback=move || view! { <p class="loading">{i18n.t().loading}</p> }>
            {move || Suspend::new(async move {
                let t = i18n.t();
                match data.await {
                    Ok(o) => view! {
                        <div class="stats">
                            {o.groups.into_iter().map(|g| view! {
                                <section class="card stat">
                                    <h2>{g.group_name}</h2>
                                    <p><span class="big">{g.waiting}</span> " " {t.queue_waiting}</p>
                                    <p class:warn={g.overdue > 0}>{g.overdue} " " {t.queue_overdue}</p>
                                </section>
                            }).collect_view()}
                        </div>
                        <section class="card">
                            <h2>{t.queue_top}</h2>
                            {if o.top.is_empty() {
                                view! { <p>{t.queue_empty}</p> }.into_any()
                            } else {
                                view! {
                                    <table>
                                        <thead><tr>
                                            <th scope="col">{t.subject}</th>
                                            <th scope="col">{t.customer}</th>
                                            <th scope="col">{t.grade}</th>
                                            <th scope="col">{t.inquiry_type}</th>
                                            <th scope="col">{t.sla_due}</th>
                                        </tr></thead>
                                        <tbody>
                                            {o.top.into_iter().map(|q| view! {
                                                <tr class:overdue=q.overdue>
                                                    <td>{q.subject}</td>
                                                    <td>{q.customer_name}</td>
                                                    <td><span class=format!("badge grade-{}", q.grade)>{(t.grade_name)(&q.grade)}</span></td>
                                                    <td>{q.type_name}</td>
                                                    <td>
                                                        {format_datetime(q.sla_due_at)}
                                                        {q.overdue.then(|| view! { " " <span class="badge overdue">{t.queue_overdue}</span> })}
                                                    </td>
                                                </tr>
                                            }).collect_view()}
                                        </tbody>
                                    </table>
                                }.into_any()
                            }}
                        </section>
                    }.into_any(),
                    Err(e) => view! { <PageError error=e /> }.into_any(),
                }
            })}
        </Transition>
    }
}
