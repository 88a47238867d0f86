//! The public part: app header with per-role navigation and the language switch, the home page
//! and the public FAQ list.

use crate::auth::api::SetLocale;
use crate::auth::pages::{use_user, LogoutButton};
use crate::model::CurrentUser;
use crate::domain::roles::Role;
use crate::error::AppError;
use crate::i18n::{use_i18n, Locale};
use crate::ui::{PageError, PostForm};
use leptos::server_fn::ServerFn;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use serde::{Deserialize, Serialize};

/// The language switch: a plain form (the header is not an island): the server sets the cookie
/// and sends the browser back to the page, now in the other language.
#[component]
pub fn LanguageSwitch() -> impl IntoView {
    let i18n = use_i18n();
    let (t, other) = (i18n.t(), i18n.locale.get_untracked().other().code());
    view! {
        <PostForm action=SetLocale::url() class="inline-form lang-switch">
            <input type="hidden" name="locale" value=other />
            // the visible word is the whole name (axe: label-content-name-mismatch); the title says more
            <button type="submit" class="link-button" lang=other title=t.switch_language_label()>
                {t.switch_language()}
            </button>
        </PostForm>
    }
}

fn nav_links(user: Option<&CurrentUser>) -> Vec<(&'static str, fn(&crate::i18n::Texts) -> &'static str)> {
    match user.map(|u| u.role) {
        None => vec![("/", |t| t.nav_home()), ("/faq", |t| t.nav_faq())],
        Some(Role::Customer) => vec![
            ("/my", |t| t.nav_my()),
            ("/my/orders", |t| t.nav_orders()),
            ("/my/inquiries", |t| t.nav_inquiries()),
            ("/my/chat", |t| t.nav_chat()),
            ("/my/history", |t| t.nav_history()),
            ("/faq", |t| t.nav_faq()),
        ],
        Some(Role::Agent) => vec![("/agent", |t| t.nav_queue()), ("/agent/chats", |t| t.nav_chats()), ("/agent/customers", |t| t.customer_search()), ("/agent/replies", |t| t.saved_replies_title()), ("/agent/summary", |t| t.summary_title())],
        Some(Role::Admin) => vec![
            ("/admin", |t| t.nav_admin()),
            ("/admin/faq", |t| t.nav_admin_faq()),
            ("/admin/types", |t| t.nav_types()),
            ("/admin/grades", |t| t.nav_grades()),
            ("/admin/agents", |t| t.nav_agents()),
            ("/admin/mail", |t| t.nav_mail()),
            ("/admin/notices", |t| t.nav_notices()),
            ("/admin/audit", |t| t.nav_audit()),
            ("/admin/analytics", |t| t.nav_analytics()),
            ("/admin/staffing", |t| t.staffing_title()),
            ("/agent", |t| t.nav_queue()),
            ("/agent/chats", |t| t.nav_chats()),
            ("/agent/replies", |t| t.saved_replies_title()),
        ],
    }
}

#[component]
pub fn Header() -> impl IntoView {
    let i18n = use_i18n();
    let user = use_user();
    let nav = move || {
        Suspend::new(async move {
            let current = match user {
                Some(u) => u.await.ok().flatten(),
                None => None,
            };
            let links = nav_links(current.as_ref())
                .into_iter()
                .map(|(href, label)| view! { <li><a href=href>{move || label(i18n.t())}</a></li> })
                .collect_view();
            let account = match current {
                // the account's links under the name: the navigation keeps one line on a desktop
                Some(u) => view! {
                    <li class="who">
                        <details class="account-menu">
                            <summary><span class="visually-hidden">{move || i18n.t().signed_in_as()} " "</span>{u.name.clone()}</summary>
                            <ul>
                                {(u.role == Role::Customer).then(|| view! { <li><a href="/my/profile">{move || i18n.t().nav_profile()}</a></li> })}
                                <li><a href="/account/password">{move || i18n.t().nav_password()}</a></li>
                                <li><LogoutButton /></li>
                            </ul>
                        </details>
                    </li>
                }
                .into_any(),
                None => view! {
                    <li><a href="/login">{move || i18n.t().nav_login()}</a></li>
                    <li><a href="/register">{move || i18n.t().nav_register()}</a></li>
                }
                .into_any(),
            };
            view! {
                <ul class="nav-main">{links}</ul>
                <ul class="nav-account">{account}</ul>
            }
        })
    };
    view! {
        <header class="site-header">
            <a class="brand" href="/">{move || i18n.t().app_name()}</a>
            // on a phone the menu folds behind one button that opens without JavaScript (a
            // checkbox and its label; CSS shows the menu while it is checked)
            <input type="checkbox" id="menu-toggle" class="menu-toggle" />
            <label for="menu-toggle" class="menu-button"><span aria-hidden="true">"☰ "</span>{move || i18n.t().menu()}</label>
            <div class="site-menu">
                <nav aria-label=move || i18n.t().nav_label()>
                    <Transition fallback=|| ()>{nav}</Transition>
                </nav>
                <LanguageSwitch />
            </div>
        </header>
    }
}

#[component]
pub fn HomePage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="hero">
            <h1>{move || i18n.t().home_title()}</h1>
            <p class="lead">{move || i18n.t().home_lead()}</p>
            <FaqSearchForm value=String::new() />
            <div class="cta">
                <a class="button primary" href="/login">{move || i18n.t().home_login_cta()}</a>
                <a class="button" href="/register">{move || i18n.t().home_register_cta()}</a>
            </div>
            <p class="aside">{move || i18n.t().home_staff_note()}</p>
        </section>
    }
}

/// A plain GET form: works the same with and without JavaScript.
#[component]
fn FaqSearchForm(value: String) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <form class="search" method="get" action="/faq" role="search">
            <label for="faq-q">{move || i18n.t().faq_search_label()}</label>
            <div class="search-row">
                <input id="faq-q" type="search" name="q" value=value placeholder=move || i18n.t().faq_search_placeholder() />
                <button type="submit" class="primary">{move || i18n.t().faq_search_button()}</button>
            </div>
        </form>
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FaqEntry {
    pub id: i64,
    pub question: String,
    pub answer: String,
}

/// A heading (the inquiry type; empty for ranked search results) and its answers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FaqGroup {
    pub title: String,
    pub entries: Vec<FaqEntry>,
}

/// Search results shown at most.
const FAQ_RESULTS: usize = 20;
#[cfg(feature = "ssr")]
const FAQ_QUERY_MAX_CHARS: usize = 200;

/// The public FAQ in one language: grouped by inquiry type (most used first) without a query,
/// ranked by BM25 with one. The server renders it and the browser recomputes it while typing,
/// from the same pack with the same code.
pub fn browse_faq(pack: &crate::domain::faq_pack::FaqPack, q: &str, korean: bool, other: &str) -> Vec<FaqGroup> {
    let entry = |i: usize| pack.templates.get(i).map(|t| FaqEntry { id: t.id, question: t.question.clone(), answer: t.answer.clone() });
    let q = q.trim();
    if !q.is_empty() {
        let entries: Vec<FaqEntry> = pack.search(q, korean, FAQ_RESULTS).into_iter().filter_map(entry).collect();
        return if entries.is_empty() { Vec::new() } else { vec![FaqGroup { title: String::new(), entries }] };
    }
    let mine = |type_known: &dyn Fn(i64) -> bool| -> Vec<FaqEntry> {
        pack.templates.iter().enumerate().filter(|(_, t)| t.korean == korean && type_known(t.type_id)).filter_map(|(i, _)| entry(i)).collect()
    };
    let mut groups: Vec<FaqGroup> = pack
        .types
        .iter()
        .map(|ty| FaqGroup { title: pack.type_name(ty.id, korean).unwrap_or_default().to_string(), entries: mine(&|id| id == ty.id) })
        .filter(|g| !g.entries.is_empty())
        .collect();
    let orphans = mine(&|id| pack.type_name(id, korean).is_none());
    if !orphans.is_empty() {
        groups.push(FaqGroup { title: other.to_string(), entries: orphans });
    }
    groups
}

#[server(endpoint = "search_faq")]
pub async fn search_faq(q: String, locale: Locale) -> Result<Vec<FaqGroup>, AppError> {
    if q.chars().count() > FAQ_QUERY_MAX_CHARS {
        return Err(AppError::invalid("q", crate::error::FieldCode::TooLong { max: FAQ_QUERY_MAX_CHARS }));
    }
    let state = crate::state::AppState::get()?;
    let index = state.faq.current();
    Ok(browse_faq(index.pack(), &q, locale == Locale::Ko, crate::i18n::texts(locale).faq_other()))
}

#[component]
pub fn FaqPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let q = move || query.read().get("q").unwrap_or_default();
    let results = Resource::new(move || (q(), i18n.locale.get()), |(q, locale)| search_faq(q, locale));
    view! {
        <section class="card">
            <h1>{move || i18n.t().faq_title()}</h1>
            <Transition fallback=move || view! { <p class="loading">{i18n.t().loading()}</p> }>
                {move || Suspend::new(async move {
                    match results.await {
                        Ok(groups) => view! { <FaqSearch query=q() initial=groups /> }.into_any(),
                        Err(e) => view! { <FaqSearchForm value=q() /> <PageError error=e /> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

/// The FAQ search box with instant results: rendered by the server (and as a plain GET form
/// without JavaScript); in the browser, results follow every keystroke from the FAQ pack
/// fetched once, without a request per search.
#[island(lazy)]
fn FaqSearch(query: String, initial: Vec<FaqGroup>) -> impl IntoView {
    crate::ui::hydration::island_ready("faq_search");
    use crate::domain::faq_pack::FaqPack;
    use std::sync::Arc;
    let i18n = use_i18n();
    let pack: RwSignal<Option<Arc<FaqPack>>> = RwSignal::new(None);
    let text = RwSignal::new(query.clone());
    #[cfg(feature = "hydrate")]
    leptos::task::spawn_local(async move {
        if let Some(p) = crate::ui::load_faq_pack().await {
            pack.set(Some(Arc::new(p)));
        }
    });
    let groups = Memo::new(move |_| {
        let korean = i18n.locale.get() == Locale::Ko;
        pack.with(|p| match p {
            Some(p) => text.with(|q| browse_faq(p, q, korean, i18n.t().faq_other())),
            None => initial.clone(),
        })
    });
    view! {
        <form class="search" method="get" action="/faq" role="search" data-ready=move || pack.with(|p| p.is_some()).to_string()>
            <label for="faq-q">{move || i18n.t().faq_search_label()}</label>
            <div class="search-row">
                <input
                    id="faq-q"
                    type="search"
                    name="q"
                    value=query
                    autocomplete="off"
                    placeholder=move || i18n.t().faq_search_placeholder()
                    on:input=move |ev| text.set(event_target_value(&ev))
                />
                <button type="submit" class="primary">{move || i18n.t().faq_search_button()}</button>
            </div>
        </form>
        <div class="faq-results" aria-live="polite">
            {move || groups.with(|gs| {
                if gs.is_empty() {
                    return view! { <p>{i18n.t().faq_no_results()}</p> }.into_any();
                }
                gs.iter().map(|g| view! {
                    <section class="faq-group">
                        {(!g.title.is_empty()).then(|| view! { <h2>{g.title.clone()}</h2> })}
                        <ul class="faq-list">
                            {g.entries.iter().map(|e| view! {
                                <li data-template=e.id>
                                    <details>
                                        <summary>{e.question.clone()}</summary>
                                        <crate::ui::RichText text=e.answer.clone() />
                                    </details>
                                </li>
                            }).collect_view()}
                        </ul>
                    </section>
                }).collect_view().into_any()
            })}
        </div>
    }
}
