//! The public part: app header with per-role navigation and the language switch, the home page
//! and the public FAQ list.

use crate::auth::api::SetLocale;
use crate::auth::pages::{use_user, LogoutButton};
use crate::auth::CurrentUser;
use crate::domain::roles::Role;
use crate::error::AppError;
use crate::i18n::{use_i18n, Locale};
use crate::ui::PageError;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use serde::{Deserialize, Serialize};

/// The language switch: a form, so it also works without JavaScript (the server sets the
/// cookie and sends the browser back); with JavaScript the page changes language in place.
#[component]
pub fn LanguageSwitch() -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<SetLocale>::new();
    Effect::new(move |_| {
        if let Some(Ok(locale)) = action.value().get() {
            i18n.set(locale);
        }
    });
    view! {
        <ActionForm action=action attr:class="inline-form lang-switch">
            <input type="hidden" name="locale" value=move || i18n.locale.get().other().code() />
            <button
                type="submit"
                class="link-button"
                lang=move || i18n.locale.get().other().code()
                aria-label=move || i18n.t().switch_language_label
            >
                {move || i18n.t().switch_language}
            </button>
        </ActionForm>
    }
}

fn nav_links(user: Option<&CurrentUser>) -> Vec<(&'static str, fn(&crate::i18n::Texts) -> &'static str)> {
    match user.map(|u| u.role) {
        None => vec![("/", |t| t.nav_home), ("/faq", |t| t.nav_faq)],
        Some(Role::Customer) => vec![
            ("/my", |t| t.nav_my),
            ("/my/orders", |t| t.nav_orders),
            ("/my/inquiries", |t| t.nav_inquiries),
            ("/my/history", |t| t.nav_history),
            ("/faq", |t| t.nav_faq),
        ],
        Some(Role::Agent) => vec![("/agent", |t| t.nav_queue), ("/agent/customers", |t| t.customer_search)],
        Some(Role::Admin) => vec![("/admin", |t| t.nav_admin), ("/admin/faq", |t| t.faq_templates), ("/admin/types", |t| t.inquiry_types_title), ("/admin/grades", |t| t.grades_title), ("/admin/agents", |t| t.agents_title), ("/admin/audit", |t| t.audit_title), ("/agent", |t| t.nav_queue)],
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
                Some(u) => view! {
                    <li class="who">
                        <span class="visually-hidden">{move || i18n.t().signed_in_as} " "</span>
                        {if u.role == Role::Customer {
                            view! { <a href="/my/profile" title=move || i18n.t().nav_profile>{u.name.clone()}</a> }.into_any()
                        } else {
                            view! { <span>{u.name.clone()}</span> }.into_any()
                        }}
                    </li>
                    <li><a href="/account/password">{move || i18n.t().nav_password}</a></li>
                    <li><LogoutButton /></li>
                }
                .into_any(),
                None => view! {
                    <li><a href="/login">{move || i18n.t().nav_login}</a></li>
                    <li><a href="/register">{move || i18n.t().nav_register}</a></li>
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
            <a class="brand" href="/">{move || i18n.t().app_name}</a>
            <nav aria-label=move || i18n.t().nav_label>
                <Transition fallback=|| ()>{nav}</Transition>
            </nav>
            <LanguageSwitch />
        </header>
    }
}

#[component]
pub fn HomePage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="hero">
            <h1>{move || i18n.t().home_title}</h1>
            <p class="lead">{move || i18n.t().home_lead}</p>
            <FaqSearchForm value=String::new() />
            <div class="cta">
                <a class="button primary" href="/login">{move || i18n.t().home_login_cta}</a>
                <a class="button" href="/register">{move || i18n.t().home_register_cta}</a>
            </div>
            <p class="aside">{move || i18n.t().home_staff_note}</p>
        </section>
    }
}

/// A plain GET form: works the same with and without JavaScript.
#[component]
fn FaqSearchForm(value: String) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <form class="search" method="get" action="/faq" role="search">
            <label for="faq-q">{move || i18n.t().faq_search_label}</label>
            <div class="search-row">
                <input id="faq-q" type="search" name="q" value=value placeholder=move || i18n.t().faq_search_placeholder />
                <button type="submit" class="primary">{move || i18n.t().faq_search_button}</button>
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

/// FAQ templates in the visitor's language whose question or answer contains every word of
/// the query (all of them for an empty query). Ranked search comes with the FAQ engine.
#[server(endpoint = "search_faq")]
pub async fn search_faq(q: String, locale: Locale) -> Result<Vec<FaqEntry>, AppError> {
    if q.chars().count() > 200 {
        return Err(AppError::invalid("q", crate::error::FieldCode::TooLong { max: 200 }));
    }
    let state = crate::state::AppState::get()?;
    let all = crate::db::faq::published(&state.db, locale).await?;
    let words: Vec<String> = q.split_whitespace().map(str::to_lowercase).collect();
    Ok(all
        .into_iter()
        .filter(|e| {
            let hay = format!("{} {}", e.question, e.answer).to_lowercase();
            words.iter().all(|w| hay.contains(w.as_str()))
        })
        .collect())
}

#[component]
pub fn FaqPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let q = move || query.read().get("q").unwrap_or_default();
    let results = Resource::new(move || (q(), i18n.locale.get()), |(q, locale)| search_faq(q, locale));
    view! {
        <section class="card">
            <h1>{move || i18n.t().faq_title}</h1>
            <FaqSearchForm value=q() />
            <Transition fallback=move || view! { <p class="loading">{i18n.t().loading}</p> }>
                {move || Suspend::new(async move {
                    match results.await {
                        Ok(entries) if entries.is_empty() => view! { <p>{i18n.t().faq_no_results}</p> }.into_any(),
                        Ok(entries) => view! {
                            <ul class="faq-list">
                                {entries.into_iter().map(|e| view! {
                                    <li>
                                        <details>
                                            <summary>{e.question}</summary>
                                            <p>{e.answer}</p>
                                        </details>
                                    </li>
                                }).collect_view()}
                            </ul>
                        }.into_any(),
                        Err(e) => view! { <PageError error=e /> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}
