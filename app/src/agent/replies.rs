//! Saved replies: answers agents and admins keep per group and language, for the composer's
//! answers library ("/" in the message box), beside the FAQ answers.

#[cfg(feature = "ssr")]
use crate::auth::guard::AgentCtx;
use crate::auth::pages::Guarded;
use crate::domain::roles::Area;
use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::error::FieldCode;
use crate::i18n::{use_i18n, Locale};
use crate::model::saved_reply::{LibraryAnswer, SavedReply};
use crate::model::GroupOption;
use crate::ui::{format_datetime, FormAlert, PageError, PostForm};
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_router::hooks::use_query_map;
use serde::{Deserialize, Serialize};

/// A saved reply's title is a short label; its text is as long as a reply may be.
pub const TITLE_MAX_CHARS: usize = 80;

/// How many answers the library offers at once.
#[cfg(feature = "ssr")]
const LIBRARY_LIMIT: i64 = 8;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SavedRepliesView {
    pub replies: Vec<SavedReply>,
    pub groups: Vec<GroupOption>,
}

#[server(endpoint = "saved_replies")]
pub async fn get_saved_replies(locale: Locale) -> Result<SavedRepliesView, AppError> {
    let AgentCtx { actor, state, .. } = AgentCtx::require().await?;
    Ok(SavedRepliesView {
        replies: crate::store::replies::list(&state.db, actor).await?,
        groups: crate::store::replies::my_group_options(&state.db, actor, locale).await?,
    })
}

/// Creates (`id` empty) or replaces a saved reply of one of the caller's groups.
#[server(endpoint = "save_reply")]
pub async fn save_reply(id: String, group_code: String, language: String, title: String, body: String) -> Result<(), AppError> {
    use crate::error::FieldError;
    let AgentCtx { actor, state, now, .. } = AgentCtx::require().await?;
    let id = match id.trim() {
        "" => None,
        n => Some(n.parse::<i64>().map_err(|_| AppError::NotFound)?),
    };
    let mut errors = Vec::new();
    let language = Locale::parse(language.trim()).ok_or_else(|| errors.push(FieldError::new("language", FieldCode::InvalidChoice))).ok();
    let title = crate::domain::inquiry::validate_text(&title, TITLE_MAX_CHARS, false).map_err(|c| errors.push(FieldError::new("title", c))).ok();
    let body = crate::domain::inquiry::validate_text(&body, crate::domain::inquiry::BODY_MAX_CHARS, true)
        .map_err(|c| errors.push(FieldError::new("body", c)))
        .ok();
    let (Some(language), Some(title), Some(body)) = (language, title, body) else { return Err(AppError::Invalid(errors)) };
    let fields = crate::store::replies::ReplyFields { group_code: group_code.trim(), language, title: &title, body: &body };
    let id = crate::store::replies::save(&state.db, actor, id, fields, now).await?;
    crate::auth::api::redirect_plain_post(&format!("/agent/replies?saved={id}#reply-{id}"));
    Ok(())
}

#[server(endpoint = "delete_reply")]
pub async fn delete_reply(id: i64) -> Result<(), AppError> {
    let AgentCtx { actor, state, .. } = AgentCtx::require().await?;
    crate::store::replies::delete(&state.db, actor, id).await?;
    crate::auth::api::redirect_plain_post("/agent/replies?deleted=1");
    Ok(())
}

/// The answers for an inquiry's composer that match `q`: saved replies of its group and FAQ
/// answers, in the customer's language.
#[server(endpoint = "answer_library")]
pub async fn answer_library(inquiry_id: i64, q: String) -> Result<Vec<LibraryAnswer>, AppError> {
    let AgentCtx { actor, state, .. } = AgentCtx::require().await?;
    if q.chars().count() > 100 {
        return Err(AppError::invalid("q", FieldCode::TooLong { max: 100 }));
    }
    crate::store::replies::library(&state.db, actor, inquiry_id, &q, LIBRARY_LIMIT).await
}

#[component]
pub fn SavedRepliesPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let save = ServerAction::<SaveReply>::new();
    let delete = ServerAction::<DeleteReply>::new();
    let data = Resource::new(move || i18n.locale.get(), get_saved_replies);
    let saved = move || query.read().get("saved").is_some();
    let deleted = move || query.read().get("deleted").is_some();
    view! {
        <Guarded area=Some(Area::Agent)>
            <section class="page-head">
                <h1>{move || i18n.t().saved_replies_title()}</h1>
                <p class="lead">{move || i18n.t().saved_replies_lead()}</p>
            </section>
            <FormAlert value=Signal::derive(move || save.value().get()) />
            <FormAlert value=Signal::derive(move || delete.value().get()) />
            {move || saved().then(|| view! { <p class="alert success" role="status">{i18n.t().saved()}</p> })}
            {move || deleted().then(|| view! { <p class="alert success" role="status">{i18n.t().saved_reply_deleted()}</p> })}
            <Transition fallback=move || view! { <p class="loading">{i18n.t().loading()}</p> }>
                {move || Suspend::new(async move {
                    let t = i18n.t();
                    match data.await {
                        Ok(v) => {
                            let groups = v.groups;
                            view! {
                                <div class="replies-page">
                                <section class="card" aria-labelledby="new-reply-title">
                                    <h2 id="new-reply-title">{t.saved_reply_new()}</h2>
                                    {reply_form(t, None, &groups)}
                                </section>
                                {if v.replies.is_empty() {
                                    view! { <p class="card">{t.saved_replies_none()}</p> }.into_any()
                                } else {
                                    view! {
                                        <section class="card" aria-labelledby="replies-title">
                                            <h2 id="replies-title">{t.saved_replies_title()}</h2>
                                            <ul class="item-list saved-replies">
                                                {v.replies.into_iter().map(|r| {
                                                    let group = groups.iter().find(|g| g.code == r.group_code).map(|g| g.name.clone()).unwrap_or_else(|| r.group_code.clone());
                                                    let id = r.id;
                                                    view! {
                                                        <li id=format!("reply-{id}")>
                                                            <details>
                                                                <summary>
                                                                    <strong>{r.title.clone()}</strong> " "
                                                                    <span class="meta">{group} " · " {r.language.clone()} " · " {format_datetime(r.updated_at)}</span>
                                                                </summary>
                                                                {reply_form(t, Some(&r), &groups)}
                                                                <PostForm action=DeleteReply::url() class="inline-form">
                                                                    <input type="hidden" name="id" value=id />
                                                                    <button type="submit">{t.delete()}</button>
                                                                </PostForm>
                                                            </details>
                                                        </li>
                                                    }
                                                }).collect_view()}
                                            </ul>
                                        </section>
                                    }.into_any()
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

/// The form for a new saved reply (`r` None) or for changing one.
fn reply_form(t: &'static crate::i18n::Texts, r: Option<&SavedReply>, groups: &[GroupOption]) -> impl IntoView + use<> {
    let p = r.map(|r| format!("r{}", r.id)).unwrap_or_else(|| "new".into());
    let (id, group, language, title, body) = match r {
        Some(r) => (r.id.to_string(), r.group_code.clone(), r.language.clone(), r.title.clone(), r.body.clone()),
        None => (String::new(), String::new(), String::from("ko"), String::new(), String::new()),
    };
    let options: Vec<(String, String, bool)> = groups.iter().map(|g| (g.code.clone(), g.name.clone(), g.code == group)).collect();
    view! {
        <PostForm action=SaveReply::url() class="reply-form">
            <input type="hidden" name="id" value=id />
            <div class="field">
                <label for=format!("{p}-group")>{t.queue_group()}</label>
                <select id=format!("{p}-group") name="group_code">
                    {options.into_iter().map(|(code, name, sel)| view! { <option value=code selected=sel>{name}</option> }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for=format!("{p}-language")>{t.language()}</label>
                <select id=format!("{p}-language") name="language">
                    <option value="ko" selected=language == "ko">"한국어"</option>
                    <option value="en" selected=language == "en">"English"</option>
                </select>
            </div>
            <div class="field">
                <label for=format!("{p}-title")>{t.saved_reply_title()}</label>
                <input id=format!("{p}-title") type="text" name="title" value=title maxlength=TITLE_MAX_CHARS />
            </div>
            <div class="field">
                <label for=format!("{p}-body")>{t.saved_reply_body()}</label>
                <textarea id=format!("{p}-body") name="body" rows="5">{body}</textarea>
            </div>
            <button type="submit" class="primary">{t.save()}</button>
        </PostForm>
    }
}
