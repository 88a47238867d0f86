//! cybercenter: the customer portal and cyber customer center (one Leptos app, SSR + hydration).

pub mod admin;
pub mod agent;
pub mod auth;
pub mod chat;
pub mod customer;
pub mod domain;
pub mod error;
pub mod faq;
pub mod home;
pub mod i18n;
pub mod model;
pub mod ui;

#[cfg(feature = "ssr")]
pub mod store;
#[cfg(feature = "ssr")]
pub mod demo;
#[cfg(feature = "ssr")]
pub mod state;
#[cfg(feature = "ssr")]
pub mod limits;
#[cfg(feature = "ssr")]
pub mod mail;
#[cfg(feature = "ssr")]
pub mod files;
#[cfg(feature = "ssr")]
pub mod uploads;
#[cfg(feature = "ssr")]
pub mod secrets;
#[cfg(feature = "ssr")]
pub mod assets;

use crate::auth::pages::{provide_user_resource, ChangePasswordPage, ConfirmRegistrationPage, LoginPage, RegisterPage};
use crate::i18n::provide_i18n;
use crate::ui::NotFound;
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Title};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{path, SsrMode};

/// The HTML document around the app (rendered on the server only).
pub fn shell(options: LeptosOptions) -> impl IntoView {
    let lang = i18n::initial_locale().code();
    set_content_security_policy();
    // the page's first island registers the hydration scripts with the head (`ui::hydration`):
    // a page without islands loads no JavaScript and no WASM at all
    provide_context(options);
    // islands mode: only islands are hydrated, so the page around them is rendered without
    // hydration markers (what `HydrationScripts` did when it sat here)
    if let Some(sc) = Owner::current_shared_context() {
        sc.set_is_hydrating(false);
    }
    view! {
        <!DOCTYPE html>
        <html lang=lang>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="color-scheme" content="light" />
                <link rel="icon" href="data:," />
                <link rel="stylesheet" id="leptos" href=stylesheet_href() />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// The stylesheet of the build serving this page (content-hashed in release builds).
fn stylesheet_href() -> String {
    #[cfg(feature = "ssr")]
    if let Ok(state) = state::AppState::get() {
        return state.assets.css.clone();
    }
    "/pkg/cybercenter.css".to_string()
}

/// A strict CSP for every page: scripts only from this origin or carrying this response's nonce
/// (the hydration bootstrap), WebAssembly allowed, nothing inline otherwise, no framing.
fn set_content_security_policy() {
    #[cfg(feature = "ssr")]
    if let (Some(nonce), Some(res)) = (leptos::nonce::use_nonce(), use_context::<leptos_axum::ResponseOptions>()) {
        let policy = format!(
            "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; style-src 'self'; \
             img-src 'self' data:; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self'; \
             form-action 'self'; frame-ancestors 'none'"
        );
        if let Ok(value) = http::HeaderValue::from_str(&policy) {
            res.insert_header(http::header::CONTENT_SECURITY_POLICY, value);
        }
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    let i18n = provide_i18n();
    provide_user_resource();
    view! {
        // A plain string, not a closure: leptos_meta reads the title after the page has rendered,
        // outside the request's reactive arena, where reading a signal could panic (seen under
        // load: "no Arena is active"). Pages are rendered in one language; a switch reloads.
        <Title text=i18n.t().app_name() />
        <Router>
            <a class="skip-link" href="#main">{move || i18n.t().skip_to_content()}</a>
            <home::Header />
            <main id="main">
                // Async SSR everywhere: guards decide (redirect, 403) before the first byte is sent.
                <Routes fallback=|| view! { <NotFound /> }>
                    <Route path=path!("") view=home::HomePage ssr=SsrMode::Async />
                    <Route path=path!("faq") view=home::FaqPage ssr=SsrMode::Async />
                    <Route path=path!("login") view=LoginPage ssr=SsrMode::Async />
                    <Route path=path!("register") view=RegisterPage ssr=SsrMode::Async />
                    <Route path=path!("register/confirm") view=ConfirmRegistrationPage ssr=SsrMode::Async />
                    <Route path=path!("account/password") view=ChangePasswordPage ssr=SsrMode::Async />
                    <Route path=path!("account/email") view=customer::profile::ConfirmEmailChangePage ssr=SsrMode::Async />
                    <Route path=path!("my") view=customer::MyPage ssr=SsrMode::Async />
                    <Route path=path!("my/chat") view=customer::chat::ChatPage ssr=SsrMode::Async />
                    <Route path=path!("my/chats/:id") view=customer::chat::ChatTranscriptPage ssr=SsrMode::Async />
                    <Route path=path!("my/history") view=customer::history::HistoryPageView ssr=SsrMode::Async />
                    <Route path=path!("my/profile") view=customer::profile::ProfilePage ssr=SsrMode::Async />
                    <Route path=path!("my/orders") view=customer::orders::OrdersPage ssr=SsrMode::Async />
                    <Route path=path!("my/orders/:order_no") view=customer::orders::OrderDetailPage ssr=SsrMode::Async />
                    <Route path=path!("my/inquiries") view=customer::inquiries::InquiriesPage ssr=SsrMode::Async />
                    <Route path=path!("my/inquiries/new") view=customer::inquiries::NewInquiryPage ssr=SsrMode::Async />
                    <Route path=path!("my/inquiries/:id") view=customer::inquiries::InquiryDetailPage ssr=SsrMode::Async />
                    <Route path=path!("agent") view=agent::AgentHome ssr=SsrMode::Async />
                    <Route path=path!("agent/inquiries/:id") view=agent::AgentInquiryPage ssr=SsrMode::Async />
                    <Route path=path!("agent/replies") view=agent::SavedRepliesPage ssr=SsrMode::Async />
                    <Route path=path!("agent/summary") view=admin::analytics::VolumeSummaryPage ssr=SsrMode::Async />
                    <Route path=path!("agent/chats") view=agent::ChatDeskPage ssr=SsrMode::Async />
                    <Route path=path!("agent/customers") view=agent::CustomerSearchPage ssr=SsrMode::Async />
                    <Route path=path!("agent/customers/:no") view=agent::CustomerRecordPage ssr=SsrMode::Async />
                    <Route path=path!("admin") view=admin::AdminHome ssr=SsrMode::Async />
                    <Route path=path!("admin/faq") view=admin::faq::FaqAdminPage ssr=SsrMode::Async />
                    <Route path=path!("admin/types") view=admin::types::TypesPage ssr=SsrMode::Async />
                    <Route path=path!("admin/grades") view=admin::grades::GradesPage ssr=SsrMode::Async />
                    <Route path=path!("admin/agents") view=admin::agents::AgentsPage ssr=SsrMode::Async />
                    <Route path=path!("admin/audit") view=admin::audit::AuditPage ssr=SsrMode::Async />
                    <Route path=path!("admin/mail") view=admin::mail::MailAdminPage ssr=SsrMode::Async />
                    <Route path=path!("admin/notices") view=admin::notices::NoticesAdminPage ssr=SsrMode::Async />
                    <Route path=path!("admin/analytics") view=admin::analytics::AnalyticsPage ssr=SsrMode::Async />
                    <Route path=path!("admin/staffing") view=admin::staffing::StaffingPage ssr=SsrMode::Async />
                    <Route path=path!("admin/faq/new") view=admin::faq::FaqEditPage ssr=SsrMode::Async />
                    <Route path=path!("admin/faq/mining") view=admin::mining::QuestionMiningPage ssr=SsrMode::Async />
                    <Route path=path!("admin/faq/proposals") view=admin::faq::FaqProposalsPage ssr=SsrMode::Async />
                    <Route path=path!("admin/faq/:id") view=admin::faq::FaqEditPage ssr=SsrMode::Async />
                </Routes>
            </main>
        </Router>
    }
}
