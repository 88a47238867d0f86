//! cybercenter: the customer portal and cyber customer center (one Leptos app, SSR + hydration).

pub mod admin;
pub mod agent;
pub mod auth;
pub mod customer;
pub mod domain;
pub mod error;
pub mod home;
pub mod i18n;
pub mod ui;

#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod state;

use crate::auth::pages::{provide_user_resource, ChangePasswordPage, LoginPage, RegisterPage};
use crate::i18n::provide_i18n;
use crate::ui::NotFound;
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Stylesheet, Title};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{path, SsrMode};

/// The HTML document around the app (rendered on the server only).
pub fn shell(options: LeptosOptions) -> impl IntoView {
    let lang = i18n::initial_locale().code();
    view! {
        <!DOCTYPE html>
        <html lang=lang>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="color-scheme" content="light" />
                <link rel="icon" href="data:," />
                <HydrationScripts options />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    let i18n = provide_i18n();
    provide_user_resource();
    view! {
        <Stylesheet id="leptos" href="/pkg/cybercenter.css" />
        <Title text=move || i18n.t().app_name />
        <Router>
            <a class="skip-link" href="#main">{move || i18n.t().skip_to_content}</a>
            <home::Header />
            <main id="main">
                // Async SSR everywhere: guards decide (redirect, 403) before the first byte is sent.
                <Routes fallback=|| view! { <NotFound /> }>
                    <Route path=path!("") view=home::HomePage ssr=SsrMode::Async />
                    <Route path=path!("faq") view=home::FaqPage ssr=SsrMode::Async />
                    <Route path=path!("login") view=LoginPage ssr=SsrMode::Async />
                    <Route path=path!("register") view=RegisterPage ssr=SsrMode::Async />
                    <Route path=path!("account/password") view=ChangePasswordPage ssr=SsrMode::Async />
                    <Route path=path!("my") view=customer::MyPage ssr=SsrMode::Async />
                    <Route path=path!("agent") view=agent::AgentHome ssr=SsrMode::Async />
                    <Route path=path!("admin") view=admin::AdminHome ssr=SsrMode::Async />
                </Routes>
            </main>
        </Router>
    }
}
