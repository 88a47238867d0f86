//! The queue page: counts per group, the waiting inquiries in priority order (grade, SLA due
//! time, age) with filters, "take next", and the inquiries the agent is working on. The lists are
//! an island that refreshes itself, so new inquiries appear without a reload.

#[cfg(feature = "ssr")]
use crate::auth::guard::AgentCtx;
use crate::auth::pages::Guarded;
use crate::model::TypeOption;
use crate::domain::roles::Area;
use crate::error::AppError;
use crate::i18n::{use_i18n, Locale};
use crate::ui::{FormAlert, PageError, PostForm};
use leptos::server_fn::ServerFn;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupQueue {
    pub code: String,
    pub group_name: String,
    pub waiting: i64,
    pub overdue: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QueueItem {
    pub id: i64,
    pub subject: String,
    pub status: crate::model::InquiryStatus,
    pub customer_name: String,
    pub grade: crate::model::Grade,
    pub type_name: String,
    pub group_name: String,
    pub created_at: i64,
    pub sla_due_at: i64,
    pub overdue: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct QueueFilter {
    pub type_code: Option<String>,
    pub grade: Option<crate::model::Grade>,
    pub overdue: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QueueView {
    pub groups: Vec<GroupQueue>,
    pub waiting: Vec<QueueItem>,
    pub mine: Vec<QueueItem>,
    pub types: Vec<TypeOption>,
    pub now: i64,
    /// The caller's own presence.
    pub presence: crate::model::Presence,
}

/// What the live lists need, with the server's clock so "time left" is the server's.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QueueLists {
    pub groups: Vec<GroupQueue>,
    pub waiting: Vec<QueueItem>,
    pub mine: Vec<QueueItem>,
    pub now: i64,
}

/// The caller's queues. Filters: type code, grade, overdue only (empty strings mean "all").
#[server(endpoint = "agent_queue")]
pub async fn get_agent_queue(type_code: String, grade: String, overdue: bool, locale: Locale) -> Result<QueueView, AppError> {
    let AgentCtx { actor, state, now, .. } = AgentCtx::require().await?;
    let filter = QueueFilter {
        type_code: Some(type_code.trim().to_string()).filter(|s| !s.is_empty()),
        grade: match grade.trim() {
            "" => None,
            word => Some(crate::model::Grade::parse(word).ok_or_else(|| AppError::invalid("grade", crate::error::FieldCode::InvalidChoice))?),
        },
        overdue,
    };
    super::queries::queue(&state.db, actor, &filter, locale, now).await
}

/// The lists only, for the live refresh.
#[server(endpoint = "agent_queue_lists")]
pub async fn get_queue_lists(type_code: String, grade: String, overdue: bool, locale: Locale) -> Result<QueueLists, AppError> {
    let v = get_agent_queue(type_code, grade, overdue, locale).await?;
    Ok(QueueLists { groups: v.groups, waiting: v.waiting, mine: v.mine, now: v.now })
}

/// Claims the top waiting inquiry of the caller's groups and opens it; with an empty queue,
/// back to the queue with a message.
#[server(endpoint = "take_next_inquiry")]
pub async fn take_next_inquiry() -> Result<String, AppError> {
    let AgentCtx { actor, state, now, .. } = AgentCtx::require().await?;
    match crate::store::workspace::take_next(&state.db, actor, now).await? {
        Some(id) => crate::auth::api::finish_with_redirect(format!("/agent/inquiries/{id}")),
        None => crate::auth::api::finish_with_redirect("/agent?empty=1".to_string()),
    }
}

/// The agent's presence: push mode assigns new inquiries only to online agents.
#[server(endpoint = "set_presence")]
pub async fn set_presence(presence: String) -> Result<(), AppError> {
    let AgentCtx { actor, state, now, .. } = AgentCtx::require().await?;
    let presence = crate::model::Presence::parse(&presence).ok_or_else(|| AppError::invalid("presence", crate::error::FieldCode::InvalidChoice))?;
    crate::store::agents::set_presence(&state.db, actor.user_id, presence, now).await
}

#[component]
pub fn AgentHome() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let param = move |k: &str| query.read().get(k).unwrap_or_default();
    let presence = ServerAction::<SetPresence>::new();
    let data = Resource::new(
        move || (param("type"), param("grade"), param("overdue") == "1", i18n.locale.get(), presence.version().get()),
        |(ty, g, o, l, _)| get_agent_queue(ty, g, o, l),
    );
    let take = ServerAction::<TakeNextInquiry>::new();
    let take_value = Signal::derive(move || take.value().get());
    crate::ui::navigate_on_success(take_value);
    let empty = move || param("empty") == "1";
    view! {
        <Guarded area=Some(Area::Agent)>
            <section class="page-head">
                <h1>{move || i18n.t().agent_title()}</h1>
                <p class="lead">{move || i18n.t().agent_lead()}</p>
                <PostForm action=TakeNextInquiry::url() class="inline-form">
                    <button type="submit" class="primary">{move || i18n.t().take_next()}</button>
                </PostForm>

            </section>
            <FormAlert value=take_value />
            {move || empty().then(|| view! { <p class="card notice" role="status">{i18n.t().queue_nothing_to_take()}</p> })}
            <Transition fallback=move || view! { <p class="loading">{i18n.t().loading()}</p> }>
                {move || Suspend::new(async move {
                    let t = i18n.t();
                    match data.await {
                        Ok(v) => {
                            let (ty, grade, overdue) = (param("type"), param("grade"), param("overdue") == "1");
                            let lists = QueueLists { groups: v.groups, waiting: v.waiting, mine: v.mine, now: v.now };
                            let current = v.presence;
                            view! {
                                <PostForm action=SetPresence::url() class="inline-form presence">
                                    <label for="field-presence">{t.presence()}</label>
                                    <select id="field-presence" name="presence">
                                        {crate::model::Presence::ALL.into_iter().map(|p| view! { <option value=p.as_str() selected=current == p>{t.presence_name(p)}</option> }).collect_view()}
                                    </select>
                                    <button type="submit">{t.save()}</button>
                                </PostForm>
                                <form method="get" action="/agent" class="filters">
                                    <label for="filter-type">{t.inquiry_type()}</label>
                                    <select id="filter-type" name="type">
                                        <option value="" selected=ty.is_empty()>{t.all_types()}</option>
                                        {v.types.into_iter().map(|o| {
                                            let sel = o.code == ty;
                                            view! { <option value=o.code selected=sel>{o.name}</option> }
                                        }).collect_view()}
                                    </select>
                                    <label for="filter-grade">{t.grade()}</label>
                                    <select id="filter-grade" name="grade">
                                        <option value="" selected=grade.is_empty()>{t.all_grades()}</option>
                                        {crate::model::Grade::ALL.iter().map(|g| view! { <option value=g.as_str() selected=grade == g.as_str()>{t.grade_name(*g)}</option> }).collect_view()}
                                    </select>
                                    <label class="check"><input type="checkbox" name="overdue" value="1" checked=overdue /> {t.overdue_only()}</label>
                                    <button type="submit">{t.apply()}</button>
                                </form>
                                <LiveQueue initial=lists type_code=ty grade=grade overdue=overdue />
                            }.into_any()
                        }
                        Err(e) => view! { <PageError error=e /> }.into_any(),
                    }
                })}
            </Transition>
        </Guarded>
    }
}

/// How often the queue asks the server for changes.
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
const REFRESH_MS: u64 = 5_000;

/// The queue lists, refreshed in the background every few seconds (only while the tab is
/// visible), so new inquiries appear without a reload.
#[island(lazy)]
fn LiveQueue(initial: QueueLists, type_code: String, grade: String, overdue: bool) -> impl IntoView {
    crate::ui::hydration::island_ready("live_queue");
    let i18n = use_i18n();
    let lists = RwSignal::new(initial);
    #[cfg(feature = "hydrate")]
    {
        let (ty, g) = (type_code.clone(), grade.clone());
        let handle = set_interval_with_handle(
            move || {
                let hidden = leptos::prelude::document().hidden();
                if hidden {
                    return;
                }
                let (ty, g) = (ty.clone(), g.clone());
                leptos::task::spawn_local(async move {
                    if let Ok(fresh) = get_queue_lists(ty, g, overdue, i18n.locale.get_untracked()).await {
                        lists.set(fresh);
                    }
                });
            },
            std::time::Duration::from_millis(REFRESH_MS),
        );
        if let Ok(h) = handle {
            on_cleanup(move || h.clear());
        }
    }
    let _ = (&type_code, &grade, overdue);
    view! {
        <div class="stats" aria-live="polite">
            {move || lists.with(|l| l.groups.iter().map(|g| {
                let t = i18n.t();
                view! {
                    <section class="card stat" data-group=g.code.clone()>
                        <h2>{g.group_name.clone()}</h2>
                        <p><span class="big">{g.waiting}</span> " " {t.queue_waiting()}</p>
                        <p class:warn={g.overdue > 0}>{g.overdue} " " {t.queue_overdue()}</p>
                    </section>
                }
            }).collect_view())}
        </div>
        <section class="card">
            <h2>{move || i18n.t().queue_top()}</h2>
            {move || {
                let t = i18n.t();
                lists.with(|l| queue_table(t, &l.waiting, l.now, t.queue_empty()))
            }}
        </section>
        <section class="card">
            <h2>{move || i18n.t().queue_mine()}</h2>
            {move || {
                let t = i18n.t();
                lists.with(|l| queue_table(t, &l.mine, l.now, t.queue_mine_empty()))
            }}
        </section>
    }
}

fn queue_table(t: &'static crate::i18n::Texts, items: &[QueueItem], now: i64, empty: &'static str) -> AnyView {
    if items.is_empty() {
        return view! { <p>{empty}</p> }.into_any();
    }
    view! {
        <div class="table-wrap">
            <table class="queue stack">
                <thead><tr>
                    <th scope="col">{t.subject()}</th>
                    <th scope="col">{t.customer()}</th>
                    <th scope="col">{t.grade()}</th>
                    <th scope="col">{t.inquiry_type()}</th>
                    <th scope="col">{t.queue_group()}</th>
                    <th scope="col">{t.sla_due()}</th>
                </tr></thead>
                <tbody>
                    {items.iter().map(|q| {
                        let left = crate::domain::queue::time_left(q.sla_due_at, now);
                        view! {
                            <tr class:overdue=q.overdue>
                                <td data-label=t.subject()><a href=format!("/agent/inquiries/{}", q.id)>{q.subject.clone()}</a></td>
                                <td data-label=t.customer()>{q.customer_name.clone()}</td>
                                <td data-label=t.grade()><span class=format!("badge grade-{}", q.grade)>{t.grade_name(q.grade)}</span></td>
                                <td data-label=t.inquiry_type()>{q.type_name.clone()}</td>
                                <td data-label=t.queue_group()>{q.group_name.clone()}</td>
                                <td data-label=t.sla_due()>
                                    {t.time_left(left / 60_000)}
                                    {q.overdue.then(|| view! { " " <span class="badge overdue">{t.queue_overdue()}</span> })}
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}
