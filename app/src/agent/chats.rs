//! The agent's chat desk: the chats waiting in the agent's groups (grade first, then age;
//! refreshed live), accepting up to the agent's chat limit, and every active chat side by side
//! with its customer's 360° panel: end it, transfer it to another group, or turn it into an
//! inquiry for follow-up.

#[cfg(feature = "ssr")]
use crate::auth::guard::AgentCtx;
use crate::agent::workspace::{Customer360, CustomerPanel};
use crate::model::GroupOption;
use crate::auth::pages::Guarded;
use crate::chat::protocol::Author;
use crate::chat::room::ChatRoom;
use crate::chat::{ChatView, WaitingChat};
use crate::domain::roles::Area;
use crate::error::AppError;
use crate::i18n::{use_i18n, Locale};
use crate::ui::{FormAlert, PageError};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ActiveChat {
    pub chat: ChatView,
    pub customer: Customer360,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChatDesk {
    pub waiting: Vec<WaitingChat>,
    pub active: Vec<ActiveChat>,
    pub groups: Vec<GroupOption>,
    pub chat_limit: i64,
    pub client_id: String,
}

#[server(endpoint = "agent_chat_desk")]
pub async fn get_chat_desk(locale: Locale) -> Result<ChatDesk, AppError> {
    let AgentCtx { actor, state, now, .. } = AgentCtx::require().await?;
    let (waiting, active_ids) = crate::store::chats::desk(&state.db, actor, locale, now).await?;
    let mut active = Vec::with_capacity(active_ids.len());
    for id in active_ids {
        let chat = crate::store::chats::view(&state.db, crate::store::chats::Participant::Agent(actor), id, locale, now).await?;
        let customer = super::queries::customer_360(&state.db, crate::store::chats::customer_of(&state.db, id).await?, actor).await?;
        active.push(ActiveChat { chat, customer });
    }
    Ok(ChatDesk {
        waiting,
        active,
        groups: crate::store::types::groups(&state.db, locale).await?,
        chat_limit: crate::store::agents::chat_limit(&state.db, actor.user_id).await?,
        client_id: crate::customer::chat::server_client_id(),
    })
}

/// The waiting chats only, for the live list.
#[server(endpoint = "agent_waiting_chats")]
pub async fn get_waiting_chats(locale: Locale) -> Result<Vec<WaitingChat>, AppError> {
    let AgentCtx { actor, state, now, .. } = AgentCtx::require().await?;
    Ok(crate::store::chats::desk(&state.db, actor, locale, now).await?.0)
}

#[server(endpoint = "accept_chat")]
pub async fn accept_chat(chat_id: i64) -> Result<String, AppError> {
    let AgentCtx { actor, state, now, .. } = AgentCtx::require().await?;
    let group = crate::store::chats::open_for(&state.db, crate::store::chats::Participant::Agent(actor), chat_id).await?.group_id;
    let seq = crate::store::chats::accept(&state.db, actor, chat_id, now).await?;
    crate::chat::service::announce(&state, chat_id, Some(seq)).await?;
    crate::chat::service::refresh_queue(&state, group).await?;
    crate::auth::api::finish_with_redirect(format!("/agent/chats#chat-{chat_id}"))
}

#[server(endpoint = "transfer_chat")]
pub async fn transfer_chat(chat_id: i64, group_code: String) -> Result<String, AppError> {
    let AgentCtx { actor, state, now, .. } = AgentCtx::require().await?;
    let (from, to, seq) = crate::store::chats::transfer(&state.db, actor, chat_id, group_code.trim(), now).await?;
    // connections of agents who are not in the new group close; the rest see the new state
    state.chat.access_changed(crate::chat::fanout::AccessChange::Chat(chat_id));
    crate::chat::service::announce(&state, chat_id, Some(seq)).await?;
    crate::chat::service::refresh_queue(&state, to).await?;
    if from != to {
        crate::chat::service::refresh_queue(&state, from).await?;
    }
    crate::auth::api::finish_with_redirect("/agent/chats".to_string())
}

/// Turns the chat into an inquiry (assigned to the agent) and opens it.
#[server(endpoint = "chat_to_inquiry")]
pub async fn chat_to_inquiry(chat_id: i64) -> Result<String, AppError> {
    let AgentCtx { actor, state, now, .. } = AgentCtx::require().await?;
    let id = crate::store::chats::to_inquiry(&state.db, actor, chat_id, now).await?;
    crate::auth::api::finish_with_redirect(format!("/agent/inquiries/{id}"))
}

#[component]
pub fn ChatDeskPage() -> impl IntoView {
    let i18n = use_i18n();
    let accept = ServerAction::<AcceptChat>::new();
    let transfer = ServerAction::<TransferChat>::new();
    let to_inquiry = ServerAction::<ChatToInquiry>::new();
    let end = ServerAction::<crate::customer::chat::EndChat>::new();
    let send = ServerAction::<crate::customer::chat::ChatSend>::new();
    let data = Resource::new(move || i18n.locale.get(), get_chat_desk);
    let go = Signal::derive(move || accept.value().get().or_else(|| transfer.value().get()).or_else(|| to_inquiry.value().get()));
    crate::ui::navigate_on_success(go);
    let other = Signal::derive(move || end.value().get().or_else(|| send.value().get()));
    view! {
        <Guarded area=Some(Area::Agent)>
            <section class="page-head">
                <h1>{move || i18n.t().chat_desk_title()}</h1>
                <p class="lead">{move || i18n.t().chat_desk_lead()}</p>
            </section>
            <FormAlert value=go />
            <FormAlert value=other />
            <Transition fallback=move || view! { <p class="loading">{i18n.t().loading()}</p> }>
                {move || Suspend::new(async move {
                    let t = i18n.t();
                    match data.await {
                        Ok(d) => {
                            let full = d.active.len() as i64 >= d.chat_limit;
                            view! {
                                <section class="card" aria-labelledby="waiting-chats">
                                    <h2 id="waiting-chats">{t.chat_waiting_title()}</h2>
                                    <p class="hint">{t.chat_capacity(d.active.len() as i64, d.chat_limit)}</p>
                                    <LiveWaitingChats initial=d.waiting full=full />
                                </section>
                                <div class="chat-desk">
                                    {if d.active.is_empty() {
                                        view! { <p class="card">{t.chat_none_active()}</p> }.into_any()
                                    } else {
                                        d.active.into_iter().map(|a| {
                                            let id = a.chat.id;
                                            let groups = d.groups.clone();
                                            let client_id = format!("{}-{id}", d.client_id);
                                            let files = a.chat.may_write.then(|| view! { <crate::ui::ChatFiles chat_id=id client_id=client_id.clone() /> });
                                            view! {
                                                <section class="card chat-card" id=format!("chat-{id}") aria-labelledby=format!("chat-title-{id}")>
                                                    <h2 id=format!("chat-title-{id}")>{a.customer.name.clone()} " · " {a.chat.type_name.clone()}</h2>
                                                    <ChatRoom chat=a.chat me=Author::Agent client_id=client_id />
                                                    {files}
                                                    <div class="actions-grid">
                                                        <ActionForm action=end attr:class="inline-form">
                                                            <input type="hidden" name="chat_id" value=id />
                                                            <button type="submit">{t.chat_end()}</button>
                                                        </ActionForm>
                                                        <ActionForm action=to_inquiry attr:class="inline-form">
                                                            <input type="hidden" name="chat_id" value=id />
                                                            <button type="submit">{t.chat_make_inquiry()}</button>
                                                        </ActionForm>
                                                        <ActionForm action=transfer attr:class="inline-form">
                                                            <input type="hidden" name="chat_id" value=id />
                                                            <label for=format!("field-chat-transfer-{id}")>{t.queue_group()}</label>
                                                            <select id=format!("field-chat-transfer-{id}") name="group_code">
                                                                {groups.into_iter().map(|g| view! { <option value=g.code>{g.name}</option> }).collect_view()}
                                                            </select>
                                                            <button type="submit">{t.transfer()}</button>
                                                        </ActionForm>
                                                    </div>
                                                    <details class="chat-360">
                                                        <summary>{t.customer_360()}</summary>
                                                        <CustomerPanel c=a.customer scope=id />
                                                    </details>
                                                </section>
                                            }
                                        }).collect_view().into_any()
                                    }}
                                </div>
                            }.into_any()
                        }
                        Err(e) => view! { <PageError error=e /> }.into_any(),
                    }
                })}
            </Transition>
        </Guarded>
    }
}

#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
const WAITING_REFRESH_MS: u64 = 3_000;

/// The waiting chats with "Accept", refreshed every few seconds while the tab is visible.
#[island(lazy)]
fn LiveWaitingChats(initial: Vec<WaitingChat>, full: bool) -> impl IntoView {
    crate::ui::hydration::island_ready("live_waiting_chats");
    let i18n = use_i18n();
    let waiting = RwSignal::new(initial);
    #[cfg(feature = "hydrate")]
    {
        let handle = set_interval_with_handle(
            move || {
                if leptos::prelude::document().hidden() {
                    return;
                }
                leptos::task::spawn_local(async move {
                    if let Ok(fresh) = get_waiting_chats(i18n.locale.get_untracked()).await {
                        waiting.set(fresh);
                    }
                });
            },
            std::time::Duration::from_millis(WAITING_REFRESH_MS),
        );
        if let Ok(h) = handle {
            on_cleanup(move || h.clear());
        }
    }
    view! {
        <div aria-live="polite">
            {move || {
                let t = i18n.t();
                waiting.with(|w| if w.is_empty() {
                    view! { <p class="chat-waiting-empty">{t.chat_no_waiting()}</p> }.into_any()
                } else {
                    view! {
                        <ul class="item-list chat-waiting">
                            {w.iter().map(|c| view! {
                                <li data-chat=c.id>
                                    <strong>{c.customer_name.clone()}</strong> " "
                                    <span class=format!("badge grade-{}", c.grade)>{t.grade_name(c.grade)}</span> " "
                                    {c.type_name.clone()} " · " {c.group_name.clone()} " · " {t.chat_waited(c.waited_s)}
                                    {c.first_message.clone().map(|m| view! { <p class="hint">{m}</p> })}
                                    <form method="post" action="/api/accept_chat" class="inline-form">
                                        <input type="hidden" name="chat_id" value=c.id />
                                        <button type="submit" class="primary" disabled=full>{t.chat_accept()}</button>
                                    </form>
                                </li>
                            }).collect_view()}
                        </ul>
                    }.into_any()
                })
            }}
        </div>
    }
}
