//! Login, registration, logout and password pages, and the guard that wraps protected pages.

use super::api::{registration_link, ChangePassword, ConfirmRegistration, Login, Logout, Register};
use super::CurrentUser;
use crate::domain::roles::Area;
use crate::error::AppError;
use crate::i18n::use_i18n;
use leptos::server_fn::ServerFn;
use crate::ui::{field_errors, navigate_on_success, FormAlert, NotAllowed, PageError, SubmitButton, TextField};
use leptos::prelude::*;
use leptos_router::components::Redirect;
use leptos_router::hooks::{use_location, use_query_map};

/// The signed-in user for the whole app, loaded once per page load.
pub type UserResource = Resource<Result<Option<CurrentUser>, AppError>>;

pub fn provide_user_resource() -> UserResource {
    let user = Resource::new(|| (), |_| super::api::get_current_user());
    provide_context(user);
    user
}

pub fn use_user() -> Option<UserResource> {
    use_context::<UserResource>()
}

#[component]
pub fn LoginPage() -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<Login>::new();
    let value = Signal::derive(move || action.value().get());
    navigate_on_success(value);
    let query = use_query_map();
    let next = move || query.read().get("next").unwrap_or_default();
    view! {
        <section class="card narrow">
            <h1>{move || i18n.t().login_title()}</h1>
            <FormAlert value=value />
            <ActionForm action=action>
                <TextField
                    label=Signal::derive(move || i18n.t().email())
                    name="email"
                    kind="email"
                    autocomplete="username"
                    errors=field_errors(value, "email")
                />
                <TextField
                    label=Signal::derive(move || i18n.t().password())
                    name="password"
                    kind="password"
                    autocomplete="current-password"
                    errors=field_errors(value, "password")
                />
                <input type="hidden" name="next" value=next />
                <SubmitButton label=Signal::derive(move || i18n.t().login_button()) pending=action.pending().into() />
            </ActionForm>
            <p class="aside">
                {move || i18n.t().no_account()} " " <a href="/register">{move || i18n.t().nav_register()}</a>
            </p>
        </section>
    }
}

#[component]
pub fn RegisterPage() -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<Register>::new();
    let value = Signal::derive(move || action.value().get());
    let sent_before = use_query_map().read_untracked().get("done").as_deref() == Some("sent");
    let sent = move || sent_before || matches!(value.get(), Some(Ok(())));
    view! {
        <section class="card narrow">
            <h1>{move || i18n.t().register_title()}</h1>
            <FormAlert value=value />
            <div class="alert success" role="status" hidden=move || !sent()>
                <p><strong>{move || i18n.t().register_sent_title()}</strong></p>
                <p>{move || i18n.t().register_sent_body()}</p>
                <p><a href="/register">{move || i18n.t().register_other()}</a></p>
            </div>
            <ActionForm action=action attr:hidden=move || sent()>
                <TextField
                    label=Signal::derive(move || i18n.t().name())
                    name="name"
                    autocomplete="name"
                    errors=field_errors(value, "name")
                />
                <TextField
                    label=Signal::derive(move || i18n.t().email())
                    name="email"
                    kind="email"
                    autocomplete="email"
                    errors=field_errors(value, "email")
                />
                <TextField
                    label=Signal::derive(move || i18n.t().password())
                    name="password"
                    kind="password"
                    autocomplete="new-password"
                    hint=Signal::derive(move || i18n.t().password_hint())
                    errors=field_errors(value, "password")
                />
                <TextField
                    label=Signal::derive(move || i18n.t().password_confirm())
                    name="password_confirm"
                    kind="password"
                    autocomplete="new-password"
                    errors=field_errors(value, "password_confirm")
                />
                <SubmitButton label=Signal::derive(move || i18n.t().register_button()) pending=action.pending().into() />
            </ActionForm>
            <p class="aside">
                {move || i18n.t().have_account()} " " <a href="/login">{move || i18n.t().nav_login()}</a>
            </p>
        </section>
    }
}

/// The page a registration mail links to: says which address it is for and finishes the
/// registration with one button (a form post: opening the link alone changes nothing).
#[component]
pub fn ConfirmRegistrationPage() -> impl IntoView {
    let i18n = use_i18n();
    let token = use_query_map().read_untracked().get("token").unwrap_or_default();
    let lookup = token.clone();
    let link = Resource::new(|| (), move |_| registration_link(lookup.clone()));
    let action = ServerAction::<ConfirmRegistration>::new();
    let value = Signal::derive(move || action.value().get());
    navigate_on_success(value);
    view! {
        <section class="card narrow">
            <h1>{move || i18n.t().confirm_registration_title()}</h1>
            <Suspense fallback=move || view! { <p class="loading">{i18n.t().loading()}</p> }>
                {move || {
                    let token = token.clone();
                    Suspend::new(async move {
                        let t = i18n.t();
                        match link.await {
                            Ok(Some(email)) => view! {
                                <p>{t.confirm_registration_lead(&email)}</p>
                                <FormAlert value=value />
                                <ActionForm action=action>
                                    <input type="hidden" name="token" value=token />
                                    <SubmitButton label=Signal::derive(move || i18n.t().confirm_registration_button()) pending=action.pending().into() />
                                </ActionForm>
                            }.into_any(),
                            Ok(None) => view! {
                                <div class="alert error" role="alert"><p>{t.err_link_invalid()}</p></div>
                                <p><a href="/register">{t.register_again()}</a></p>
                            }.into_any(),
                            Err(e) => view! { <PageError error=e /> }.into_any(),
                        }
                    })
                }}
            </Suspense>
        </section>
    }
}

#[component]
pub fn ChangePasswordPage() -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<ChangePassword>::new();
    let value = Signal::derive(move || action.value().get());
    let done_before = use_query_map().read_untracked().get("done").is_some();
    view! {
        <Guarded area=None>
            <section class="card narrow">
                <h1>{move || i18n.t().password_title()}</h1>
                <FormAlert value=value />
                {move || {
                    (done_before || matches!(value.get(), Some(Ok(()))))
                        .then(|| view! { <div class="alert success" role="status">{i18n.t().password_changed()}</div> })
                }}
                <ActionForm action=action>
                    <TextField
                        label=Signal::derive(move || i18n.t().current_password())
                        name="current_password"
                        kind="password"
                        autocomplete="current-password"
                        errors=field_errors(value, "current_password")
                    />
                    <TextField
                        label=Signal::derive(move || i18n.t().new_password())
                        name="new_password"
                        kind="password"
                        autocomplete="new-password"
                        hint=Signal::derive(move || i18n.t().password_hint())
                        errors=field_errors(value, "new_password")
                    />
                    <TextField
                        label=Signal::derive(move || i18n.t().password_confirm())
                        name="new_password_confirm"
                        kind="password"
                        autocomplete="new-password"
                        errors=field_errors(value, "new_password_confirm")
                    />
                    <SubmitButton label=Signal::derive(move || i18n.t().save()) pending=action.pending().into() />
                </ActionForm>
            </section>
        </Guarded>
    }
}

/// The log-out button: a real form, so it works before (and without) JavaScript.
#[component]
pub fn LogoutButton() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <crate::ui::PostForm action=Logout::url() class="inline-form">
            <button type="submit" class="link-button">{i18n.t().nav_logout()}</button>
        </crate::ui::PostForm>
    }
}

/// Renders `children` only for a signed-in user whose role may use `area` (any signed-in user
/// when `area` is `None`). Signed-out visitors are sent to the login page with a return path;
/// signed-in users of another role see "not allowed" (403), never the content.
///
/// A page creates its resources and actions *before* this and puts only its view inside: on the
/// server a `<Suspense>` builds its children again on every walk, and a resource created inside
/// would be fetched again each time (`server/tests/page_statements.rs` counts it).
#[component]
pub fn Guarded(area: Option<Area>, children: ChildrenFn) -> impl IntoView {
    let i18n = use_i18n();
    let user = use_user();
    let location = use_location();
    view! {
        <Suspense fallback=move || view! { <p class="loading">{i18n.t().loading()}</p> }>
            {move || {
                let children = children.clone();
                Suspend::new(async move {
                    let result = match user {
                        Some(user) => user.await,
                        None => Ok(None),
                    };
                    match result {
                        // consoles use the screen's width (`main:has(.console)`)
                        Ok(Some(u)) if area.is_none_or(|a| u.role.may_enter(a)) => match area {
                            Some(Area::Agent | Area::Admin) => view! { <div class="console">{children()}</div> }.into_any(),
                            _ => children().into_any(),
                        },
                        Ok(Some(_)) => view! { <NotAllowed /> }.into_any(),
                        Ok(None) => {
                            let here = format!(
                                "{}{}",
                                location.pathname.get_untracked(),
                                location.search.get_untracked()
                            );
                            let target = format!("/login?next={}", encode_query_value(&here));
                            view! { <Redirect path=target /> }.into_any()
                        }
                        Err(e) => view! { <PageError error=e /> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}

/// Percent-encodes a query value (RFC 3986 unreserved characters pass through).
pub fn encode_query_value(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => out.push(b as char),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::encode_query_value;

    #[test]
    fn return_paths_are_encoded_for_the_query() {
        assert_eq!(encode_query_value("/admin"), "/admin");
        assert_eq!(encode_query_value("/my?tab=a b&x=1"), "/my%3Ftab%3Da%20b%26x%3D1");
        assert_eq!(encode_query_value("/고객"), "/%EA%B3%A0%EA%B0%9D");
    }
}
