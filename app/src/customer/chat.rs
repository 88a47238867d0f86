//! The customer's live chat: start one about an inquiry type (with an optional first message),
//! wait with the queue position and estimated wait shown live, chat with the agent, end it and
//! rate it. Past chats are read on `/my/chats/{id}` (linked from the contact history).

#[cfg(feature = "ssr")]
use crate::auth::guard::CustomerCtx;
use crate::auth::pages::Guarded;
use crate::chat::protocol::Author;
use crate::chat::room::ChatRoom;
use crate::chat::ChatView;
use crate::model::TypeOption;
use crate::domain::roles::Area;
use crate::error::AppError;
use crate::i18n::{use_i18n, Locale};
use crate::ui::{format_datetime, FormAlert, PageError};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MyChat {
    /// The open chat (waiting or active), if any.
    pub current: Option<ChatView>,
    /// A chat that ended lately and waits for a rating.
    pub unrated: Option<i64>,
    pub types: Vec<TypeOption>,
    /// A fresh client message id for the message box (a plain form post resent twice is
    /// stored once).
    pub client_id: String,
}

/// A client message id made by the server, for the plain form.
#[cfg(feature = "ssr")]
pub(crate) fn server_client_id() -> String {
    format!("s{}", crate::store::new_request_id())
}

#[cfg(feature = "ssr")]
async fn customer() -> Result<(crate::store::chats::Participant, crate::state::AppState), AppError> {
    let CustomerCtx { user, customer_id, state, .. } = CustomerCtx::require().await?;
    Ok((crate::store::chats::Participant::Customer { user_id: user.id, customer_id }, state))
}

#[server(endpoint = "my_chat")]
pub async fn get_my_chat(locale: Locale) -> Result<MyChat, AppError> {
    let (who, state) = customer().await?;
    let crate::store::chats::Participant::Customer { customer_id, .. } = who else { return Err(AppError::Forbidden) };
    let now = state.clock.now_ms();
    let current = match crate::store::chats::current(&state.db, customer_id).await? {
        Some(id) => Some(crate::store::chats::view(&state.db, who, id, locale, now).await?),
        None => None,
    };
    Ok(MyChat {
        current,
        unrated: crate::store::chats::unrated(&state.db, customer_id, now).await?,
        types: crate::store::inquiries::types(&state.db, locale).await?,
        client_id: server_client_id(),
    })
}

/// Starts a chat (or returns to the open one). `body` may be empty.
#[server(endpoint = "start_chat")]
pub async fn start_chat(type_code: String, body: String) -> Result<String, AppError> {
    let (who, state) = customer().await?;
    let crate::store::chats::Participant::Customer { user_id, customer_id } = who else { return Err(AppError::Forbidden) };
    let first = match body.trim() {
        "" => None,
        text => Some(crate::domain::chat::validate_message(text).map_err(|c| AppError::invalid("body", c))?),
    };
    let (_, group) = crate::store::chats::start(&state.db, user_id, customer_id, type_code.trim(), first.as_deref(), state.clock.now_ms()).await?;
    crate::chat::service::refresh_queue(&state, group).await?;
    crate::auth::api::finish_with_redirect("/my/chat".to_string())
}

/// A message from the plain form (without JavaScript the page posts here; hydrated pages send
/// over the WebSocket). Customers and agents alike.
#[server(endpoint = "chat_send")]
pub async fn chat_send(chat_id: i64, client_id: String, body: String) -> Result<(), AppError> {
    let user = crate::auth::guard::require_user().await?;
    let state = crate::state::AppState::get()?;
    let (who, back) = chat_participant(&user)?;
    crate::chat::service::post_message(&state, who, chat_id, 0, Some(client_id.trim()), &body, &[]).await?;
    crate::auth::api::redirect_plain_post(back);
    Ok(())
}

/// Files sent in a chat (customers and agents alike): multipart, posted by the chat's file form.
#[cfg(feature = "ssr")]
mod with_files {
    use super::*;
    use leptos::server_fn::codec::{MultipartData, MultipartFormData};

    /// `chat_id`, `client_id`, an optional `body` to go with them, and `files`.
    #[server(endpoint = "chat_attach", input = MultipartFormData)]
    pub async fn chat_attach(data: MultipartData) -> Result<(), AppError> {
        let user = crate::auth::guard::require_user().await?;
        let state = crate::state::AppState::get()?;
        let (who, back) = chat_participant(&user)?;
        let upload = crate::uploads::read(data, &*state.files, state.attach).await?;
        let chat_id: i64 = upload.field("chat_id").trim().parse().map_err(|_| AppError::BadRequest("chat_id is not a number".into()))?;
        // a file form with no file (and none refused) has nothing to send
        let chosen = match upload.files.is_empty() && upload.problems.is_empty() {
            true => Err(vec![crate::error::FieldError::new(crate::uploads::FILES_FIELD, crate::error::FieldCode::Required)]),
            false => Ok(()),
        };
        upload.checked(chosen)?;
        let client_id = upload.field("client_id").trim().to_string();
        let body = upload.field("body").to_string();
        // the chat is checked before anything is kept (a stranger's chat id keeps nothing)
        crate::store::chats::open_for(&state.db, who, chat_id).await?;
        let files = upload.keep(&*state.files).await?;
        let client_id = Some(client_id.as_str()).filter(|c| !c.is_empty());
        crate::chat::service::post_message(&state, who, chat_id, 0, client_id, &body, &files).await?;
        crate::auth::api::redirect_plain_post(back);
        Ok(())
    }

    #[cfg(test)]
    #[test]
    fn the_chat_file_form_posts_where_the_function_is() {
        use leptos::server_fn::ServerFn;
        assert_eq!(<ChatAttach as ServerFn>::PATH, crate::model::attachment::forms::CHAT_ATTACH);
    }
}

/// The caller as a chat participant, and the page their chats live on.
#[cfg(feature = "ssr")]
pub(crate) fn chat_participant(user: &crate::model::CurrentUser) -> Result<(crate::store::chats::Participant, &'static str), AppError> {
    use crate::store::chats::Participant;
    let who = Participant::of(user)?;
    let back = match who {
        Participant::Customer { .. } => "/my/chat",
        Participant::Agent(_) => "/agent/chats",
    };
    Ok((who, back))
}

/// Ends the chat (the customer, or the agent who has it).
#[server(endpoint = "end_chat")]
pub async fn end_chat(chat_id: i64) -> Result<(), AppError> {
    let user = crate::auth::guard::require_user().await?;
    let state = crate::state::AppState::get()?;
    let (who, back) = chat_participant(&user)?;
    let (chat, seq) = crate::store::chats::end(&state.db, who, chat_id, state.clock.now_ms()).await?;
    crate::chat::service::announce(&state, chat_id, seq).await?;
    if chat.status == crate::model::chat::ChatStatus::Waiting {
        crate::chat::service::refresh_queue(&state, chat.group_id).await?;
    }
    let back = match who {
        crate::store::chats::Participant::Customer { .. } => format!("/my/chats/{chat_id}"),
        crate::store::chats::Participant::Agent(_) => back.to_string(),
    };
    crate::auth::api::redirect_plain_post(&back);
    Ok(())
}

#[server(endpoint = "rate_chat")]
pub async fn rate_chat(chat_id: i64, csat: i64) -> Result<(), AppError> {
    let (who, state) = customer().await?;
    let crate::store::chats::Participant::Customer { customer_id, .. } = who else { return Err(AppError::Forbidden) };
    if !(1..=5).contains(&csat) {
        return Err(AppError::invalid("csat", crate::error::FieldCode::OutOfRange { min: 1, max: 5 }));
    }
    crate::store::chats::rate(&state.db, customer_id, chat_id, csat).await?;
    crate::auth::api::redirect_plain_post(&format!("/my/chats/{chat_id}"));
    Ok(())
}

/// Mails the chat's transcript to the customer's sign-in address (at most a few an hour).
#[server(endpoint = "mail_chat_transcript")]
pub async fn mail_chat_transcript(chat_id: i64) -> Result<(), AppError> {
    use crate::mail::outbox::{queue_transcript, Queued, Recipient};
    let (who, state) = customer().await?;
    let crate::store::chats::Participant::Customer { user_id, .. } = who else { return Err(AppError::Forbidden) };
    let now = state.clock.now_ms();
    let (email, name, locale) = crate::store::users::contact(&state.db, user_id).await?.ok_or(AppError::NotFound)?;
    // another customer's chat is "not found", as everywhere
    let chat = crate::store::chats::view(&state.db, who, chat_id, locale, now).await?;
    let t = crate::i18n::texts(locale);
    let lines: Vec<String> = chat
        .messages
        .iter()
        .map(|m| {
            let (author, body) = match m.author {
                Author::Customer => (name.clone(), m.body.clone()),
                Author::Agent => (m.author_name.clone().unwrap_or_else(|| t.author_agent().to_string()), m.body.clone()),
                Author::System => (t.author_system().to_string(), t.chat_event(&m.body)),
            };
            format!("[{}] {author}: {body}", format_datetime(m.at))
        })
        .collect();
    let link = format!("{}/my/chats/{chat_id}", state.mail.public_url);
    let template = crate::mail::templates::Template::ChatTranscript { name: &name, chat_id, topic: &chat.type_name, lines: &lines, link: &link };
    let mut tx = crate::store::write_tx(&state.db).await?;
    if queue_transcript(&mut tx, &state.mail, Recipient { address: &email, locale, user_id: Some(user_id) }, template, now).await? == Queued::CappedForAddress {
        return Err(AppError::RateLimited { retry_after_s: 3600, what: crate::error::Limited::TranscriptMails });
    }
    tx.commit().await?;
    state.mail.queued();
    crate::auth::api::redirect_plain_post(&format!("/my/chats/{chat_id}?mailed=1"));
    Ok(())
}

#[server(endpoint = "my_chat_transcript")]
pub async fn get_chat_transcript(chat_id: i64, locale: Locale) -> Result<ChatView, AppError> {
    let (who, state) = customer().await?;
    crate::store::chats::view(&state.db, who, chat_id, locale, state.clock.now_ms()).await
}

#[component]
pub fn ChatPage() -> impl IntoView {
    let i18n = use_i18n();
    let start = ServerAction::<StartChat>::new();
    let end = ServerAction::<EndChat>::new();
    let send = ServerAction::<ChatSend>::new();
    let data = Resource::new(move || (i18n.locale.get(), start.version().get(), end.version().get()), |(l, ..)| get_my_chat(l));
    let start_value = Signal::derive(move || start.value().get());
    crate::ui::navigate_on_success(start_value);
    let other = Signal::derive(move || end.value().get().or_else(|| send.value().get()));
    view! {
        <Guarded area=Some(Area::Customer)>
            <section class="page-head">
                <h1>{move || i18n.t().chat_title()}</h1>
                <p class="lead">{move || i18n.t().chat_lead()}</p>
            </section>
            <FormAlert value=start_value />
            <FormAlert value=other />
            <Transition fallback=move || view! { <p class="loading">{i18n.t().loading()}</p> }>
                {move || Suspend::new(async move {
                    let t = i18n.t();
                    match data.await {
                        Ok(c) => {
                            let unrated = c.unrated.map(|id| view! {
                                <p class="card notice">{t.chat_please_rate()} " " <a href=format!("/my/chats/{id}")>{t.chat_rate_link()}</a></p>
                            });
                            match c.current {
                                Some(chat) => {
                                    let id = chat.id;
                                    let files = chat.may_write.then(|| view! { <crate::ui::ChatFiles chat_id=id client_id=c.client_id.clone() /> });
                                    view! {
                                        <section class="card chat-card" aria-labelledby="chat-now">
                                            <h2 id="chat-now">{chat.type_name.clone()} " · " {format_datetime(chat.created_at)}</h2>
                                            <ChatRoom chat=chat me=Author::Customer client_id=c.client_id />
                                            {files}
                                            <ActionForm action=end attr:class="inline-form">
                                                <input type="hidden" name="chat_id" value=id />
                                                <button type="submit">{t.chat_end()}</button>
                                            </ActionForm>
                                        </section>
                                    }.into_any()
                                }
                                None => view! {
                                    {unrated}
                                    <section class="card" aria-labelledby="chat-start">
                                        <h2 id="chat-start">{t.chat_start()}</h2>
                                        <ActionForm action=start>
                                            <div class="field">
                                                <label for="field-chat-type">{t.inquiry_type()}</label>
                                                <select id="field-chat-type" name="type_code">
                                                    {c.types.into_iter().map(|o| view! { <option value=o.code>{o.name}</option> }).collect_view()}
                                                </select>
                                            </div>
                                            <div class="field">
                                                <label for="field-chat-first">{t.chat_first_message()}</label>
                                                <textarea id="field-chat-first" name="body" rows="3"></textarea>
                                                <p class="hint">{t.chat_first_message_hint()}</p>
                                            </div>
                                            <button type="submit" class="primary">{t.chat_start()}</button>
                                        </ActionForm>
                                    </section>
                                }.into_any(),
                            }
                        }
                        Err(e) => view! { <PageError error=e /> }.into_any(),
                    }
                })}
            </Transition>
        </Guarded>
    }
}

#[component]
pub fn ChatTranscriptPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let rate = ServerAction::<RateChat>::new();
    let mail = ServerAction::<MailChatTranscript>::new();
    let id = move || params.read().get("id").and_then(|s| s.parse::<i64>().ok()).unwrap_or(0);
    let data = Resource::new(move || (id(), i18n.locale.get(), rate.version().get()), |(id, l, _)| get_chat_transcript(id, l));
    let rate_value = Signal::derive(move || rate.value().get());
    let mail_value = Signal::derive(move || mail.value().get());
    let query = leptos_router::hooks::use_query_map();
    let mailed = move || matches!(mail.value().get(), Some(Ok(()))) || query.read().get("mailed").is_some();
    view! {
        <Guarded area=Some(Area::Customer)>
            <FormAlert value=rate_value />
            <FormAlert value=mail_value />
            {move || mailed().then(|| view! { <p class="card notice" role="status">{i18n.t().chat_transcript_mailed()}</p> })}
            <Transition fallback=move || view! { <p class="loading">{i18n.t().loading()}</p> }>
                {move || Suspend::new(async move {
                    let t = i18n.t();
                    match data.await {
                        Ok(chat) => {
                            let id = chat.id;
                            let ended = chat.status == crate::model::chat::ChatStatus::Ended;
                            let csat = chat.csat;
                            view! {
                                <section class="page-head">
                                    <p><a href="/my/history?kind=chat">{t.back_to_history()}</a></p>
                                    <h1>{t.chat_transcript_title(id)}</h1>
                                    <p class="lead">{chat.type_name.clone()} " · " {format_datetime(chat.created_at)}</p>
                                </section>
                                <section class="card">
                                    <ol class="chat-log">
                                        {chat.messages.into_iter().map(|m| {
                                            let who = match m.author {
                                                Author::Customer => t.chat_you().to_string(),
                                                Author::Agent => m.author_name.clone().unwrap_or_else(|| t.author_agent().to_string()),
                                                Author::System => t.author_system().to_string(),
                                            };
                                            let body = if m.author == Author::System { t.chat_event(&m.body) } else { m.body };
                                            view! {
                                                <li class="chat-msg" data-seq=m.seq>
                                                    <p class="msg-head"><strong>{who}</strong> " " <time>{format_datetime(m.at)}</time></p>
                                                    <p class="msg-body">{body}</p>
                                                </li>
                                            }
                                        }).collect_view()}
                                    </ol>
                                    {(!ended).then(|| view! { <p><a class="button" href="/my/chat">{t.chat_back_to_live()}</a></p> })}
                                    <ActionForm action=mail attr:class="transcript-mail">
                                        <input type="hidden" name="chat_id" value=id />
                                        <button type="submit">{t.chat_mail_transcript()}</button>
                                    </ActionForm>
                                </section>
                                {match (ended, csat) {
                                    (true, Some(score)) => Some(view! { <p class="card">{t.chat_rated(score)}</p> }.into_any()),
                                    (true, None) => Some(view! {
                                        <section class="card" aria-labelledby="rate-chat">
                                            <h2 id="rate-chat">{t.chat_rate_title()}</h2>
                                            <ActionForm action=rate>
                                                <input type="hidden" name="chat_id" value=id />
                                                <fieldset class="rating">
                                                    <legend>{t.chat_rate_title()}</legend>
                                                    {(1..=5).map(|n| view! {
                                                        <label class="check"><input type="radio" name="csat" value=n required=n == 1 /> {n}</label>
                                                    }).collect_view()}
                                                </fieldset>
                                                <button type="submit" class="primary">{t.rate_submit()}</button>
                                            </ActionForm>
                                        </section>
                                    }.into_any()),
                                    _ => None,
                                }}
                            }.into_any()
                        }
                        Err(e) => view! { <PageError error=e /> }.into_any(),
                    }
                })}
            </Transition>
        </Guarded>
    }
}
