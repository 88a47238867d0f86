//! Shared widgets: form fields with their errors, form alerts, status pages.

pub mod charts;
pub mod hydration;

use crate::error::{AppError, FieldCode};
use crate::i18n::{error_message, field_message, use_i18n};
use leptos::prelude::*;

/// The field errors for `field` in an action's latest result.
pub fn field_errors<T: Send + Sync + 'static>(
    value: Signal<Option<Result<T, AppError>>>,
    field: &'static str,
) -> Signal<Vec<FieldCode>> {
    Signal::derive(move || {
        value.with(|v| match v {
            Some(Err(e)) => e.field_errors(field),
            _ => Vec::new(),
        })
    })
}

/// The words for one field's errors from the last (plain form) submission, read once: for a form
/// rendered on the server, whose errors come with the page.
pub fn field_text<T: Send + Sync + 'static>(value: Signal<Option<Result<T, AppError>>>, field: &'static str) -> String {
    let t = use_i18n().t();
    field_errors(value, field).get_untracked().iter().map(|c| field_message(t, c)).collect::<Vec<_>>().join(" ")
}

/// A labelled input with its error text tied to it for screen readers.
#[component]
pub fn TextField(
    #[prop(into)] label: Signal<&'static str>,
    name: &'static str,
    #[prop(default = "text")] kind: &'static str,
    #[prop(default = "off")] autocomplete: &'static str,
    #[prop(into)] errors: Signal<Vec<FieldCode>>,
    #[prop(optional, into)] hint: Option<Signal<&'static str>>,
    /// The initial value (rendered on the server, so it is there before and without WASM).
    #[prop(optional, into)]
    value: Option<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = format!("field-{name}");
    let hint_id = format!("{id}-hint");
    let error_id = format!("{id}-error");
    let described_by = format!("{hint_id} {error_id}");
    let invalid = move || errors.with(|e| !e.is_empty());
    view! {
        <div class="field" class:invalid=invalid>
            <label for=id.clone()>{label}</label>
            <input
                id=id
                type=kind
                name=name
                autocomplete=autocomplete
                aria-required="true"
                aria-invalid=move || if invalid() { "true" } else { "false" }
                aria-describedby=described_by
                value=value
            />
            {hint.map(|h| view! { <p class="hint" id=hint_id.clone()>{h}</p> })}
            <p class="field-error" id=error_id>
                {move || {
                    let t = i18n.t();
                    errors.get().iter().map(|c| field_message(t, c)).collect::<Vec<_>>().join(" ")
                }}
            </p>
        </div>
    }
}

/// The message at the top of a form when the last submission failed.
#[component]
pub fn FormAlert<T: Send + Sync + 'static>(value: Signal<Option<Result<T, AppError>>>) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        value.with(|v| match v {
            Some(Err(e)) => {
                let t = i18n.t();
                let msg = error_message(t, e);
                // an error summary: every rejected field in words, also for screen readers
                let details: Vec<String> = match e {
                    AppError::Invalid(errors) => errors.iter().map(|f| field_message(t, &f.code)).collect(),
                    _ => Vec::new(),
                };
                Some(view! {
                    <div class="alert error" role="alert">
                        <p>{msg}</p>
                        {(!details.is_empty()).then(|| view! {
                            <ul>{details.into_iter().map(|d| view! { <li>{d}</li> }).collect_view()}</ul>
                        })}
                    </div>
                })
            }
            _ => None,
        })
    }
}

/// A form that posts to a server function (`action` is its URL, `MyFn::url()`) the plain HTML
/// way: exactly what `<ActionForm>` renders on the server, without the action, submit handler and
/// signals only a hydrated island would use. Outside islands nothing hydrates, so `ActionForm`
/// built them for nothing on every request: My page's fifteen arrange forms cost a tenth of its
/// server time. Inside an island, `ActionForm` is the right tool.
#[component]
pub fn PostForm(action: &'static str, #[prop(optional)] class: Option<&'static str>, children: Children) -> impl IntoView {
    view! { <form action=action method="post" class=class>{children()}</form> }
}

/// A submit button that says it is working while the action is pending.
#[component]
pub fn SubmitButton(#[prop(into)] label: Signal<&'static str>, pending: Signal<bool>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <button type="submit" class="primary" disabled=pending aria-busy=move || pending.get().to_string()>
            {move || if pending.get() { i18n.t().working() } else { label.get() }}
        </button>
    }
}

/// The error a plain form post to the server function at `path` came back with: Leptos redirects
/// the browser back to the form's page with the error in the address, for forms that have no
/// `ServerAction` (the multipart ones, which post natively with or without JavaScript).
pub fn posted_error(path: &'static str) -> Signal<Option<Result<String, AppError>>> {
    use leptos::server_fn::error::ServerFnUrlError;
    let err = use_context::<leptos::server::ServerActionError>()
        .filter(|e| e.path() == path)
        .map(|e| Err(ServerFnUrlError::<AppError>::decode_err(e.err())));
    Signal::stored(err)
}

/// After a successful JavaScript submission that returns a path, load that page fresh (so the
/// whole app sees the new sign-in state). Plain form posts are redirected by the server instead.
pub fn navigate_on_success(value: Signal<Option<Result<String, AppError>>>) {
    Effect::new(move |_| {
        if let Some(Ok(path)) = value.get() {
            #[cfg(feature = "hydrate")]
            if let Some(w) = web_sys::window() {
                let _ = w.location().assign(&path);
            }
            #[cfg(not(feature = "hydrate"))]
            let _ = path;
        }
    });
}

/// Sets the HTTP status of the page being rendered on the server.
pub fn set_page_status(code: u16) {
    #[cfg(feature = "ssr")]
    if let (Some(res), Ok(status)) = (
        use_context::<leptos_axum::ResponseOptions>(),
        http::StatusCode::from_u16(code),
    ) {
        res.set_status(status);
    }
    #[cfg(not(feature = "ssr"))]
    let _ = code;
}

#[component]
pub fn NotFound() -> impl IntoView {
    set_page_status(404);
    let i18n = use_i18n();
    view! {
        <section class="card status-page">
            <h1>{move || i18n.t().not_found_title()}</h1>
            <p>{move || i18n.t().not_found_body()}</p>
            <a href="/" class="button">{move || i18n.t().back_home()}</a>
        </section>
    }
}

#[component]
pub fn NotAllowed() -> impl IntoView {
    set_page_status(403);
    let i18n = use_i18n();
    view! {
        <section class="card status-page">
            <h1>{move || i18n.t().not_allowed_title()}</h1>
            <p>{move || i18n.t().not_allowed_body()}</p>
            <a href="/" class="button">{move || i18n.t().back_home()}</a>
        </section>
    }
}

/// Shows an error that stopped a page from loading.
#[component]
pub fn PageError(error: AppError) -> impl IntoView {
    set_page_status(error.status());
    let i18n = use_i18n();
    view! { <div class="alert error" role="alert">{move || error_message(i18n.t(), &error)}</div> }
}

/// Formats UTC milliseconds as a date and time in the centre's time zone (Asia/Seoul, UTC+9,
/// no daylight saving), e.g. "2026-11-22 14:03".
pub fn format_datetime(ms: i64) -> String {
    use crate::domain::calendar::{local, CENTRE_OFFSET_MS, HOUR_MS};
    let l = local(ms, CENTRE_OFFSET_MS);
    let minute = (ms + CENTRE_OFFSET_MS).rem_euclid(HOUR_MS) / 60_000;
    format!("{:04}-{:02}-{:02} {:02}:{minute:02}", l.year, l.month, l.day, l.hour)
}

pub fn format_date(ms: i64) -> String {
    crate::domain::calendar::format_date(ms, crate::domain::calendar::CENTRE_OFFSET_MS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn datetimes_are_shown_in_seoul_time() {
        assert_eq!(format_datetime(0), "1970-01-01 09:00");
        // 2026-11-22T05:03:00Z is 14:03 in Seoul
        assert_eq!(format_datetime(1_795_323_780_000), "2026-11-22 14:03");
        // 2024-02-29T15:30:00Z is 2024-03-01 00:30 in Seoul (leap day rolls over)
        assert_eq!(format_datetime(1_709_220_600_000), "2024-03-01 00:30");
        assert_eq!(format_date(1_709_220_600_000), "2024-03-01");
    }
}

/// Previous/next links for a paginated list; `base` ends with `?` or `&`.
#[component]
pub fn Pager(base: String, page: u32, pages: u32) -> impl IntoView {
    let i18n = use_i18n();
    let prev = (page > 1).then(|| format!("{base}page={}", page - 1));
    let next = (page < pages).then(|| format!("{base}page={}", page + 1));
    (pages > 1).then(|| {
        view! {
            <nav class="pager" aria-label=move || i18n.t().pagination()>
                {prev.map(|href| view! { <a href=href rel="prev">{move || i18n.t().prev_page()}</a> })}
                <span>{move || i18n.t().page_of(page, pages)}</span>
                {next.map(|href| view! { <a href=href rel="next">{move || i18n.t().next_page()}</a> })}
            </nav>
        }
    })
}

/// A one-select GET filter for a list page (works without JavaScript): "All" plus `options`,
/// each shown through `option_label` in the current language.
#[component]
pub fn FilterForm(
    action: &'static str,
    name: &'static str,
    #[prop(into)] label: Signal<&'static str>,
    options: &'static [&'static str],
    option_label: fn(&crate::i18n::Texts, &str) -> &'static str,
    #[prop(into)] selected: Signal<Option<String>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = format!("filter-{name}");
    view! {
        <form method="get" action=action class="filters">
            <label for=id.clone()>{label}</label>
            <select id=id name=name>
                <option value="" selected=move || selected.with(Option::is_none)>{move || i18n.t().all_statuses()}</option>
                {options
                    .iter()
                    .map(|o| view! {
                        <option value=*o selected=move || selected.with(|s| s.as_deref() == Some(*o))>
                            {move || option_label(i18n.t(), o)}
                        </option>
                    })
                    .collect_view()}
            </select>
            <button type="submit">{move || i18n.t().apply()}</button>
        </form>
    }
}

/// An FAQ answer's simple formatting (`domain::rich_text`): HTML written by `to_html`, where
/// every piece of text is escaped and links are http(s) only, opened without referrer or opener.
#[component]
pub fn RichText(#[prop(into)] text: String) -> impl IntoView {
    view! { <div class="rich-text" inner_html=crate::domain::rich_text::to_html(&text)></div> }
}

/// A thread message's text, in the customer's and the agent's thread alike: the bot's words are
/// an FAQ answer, whose simple formatting is rendered (safely); everyone else's are plain text.
#[component]
pub fn MessageBody(bot: bool, body: String) -> impl IntoView {
    if bot {
        view! { <div class="msg-body rich"><RichText text=body /></div> }.into_any()
    } else {
        view! { <p class="msg-body">{body}</p> }.into_any()
    }
}

/// The files of a thread message: images as thumbnails (a link to the full picture), everything
/// else as a download link with its size; a mail's attachment that was not kept says why.
#[component]
pub fn AttachmentList(files: Vec<crate::model::attachment::AttachmentInfo>) -> impl IntoView {
    use crate::domain::attachment::Refusal;
    use crate::model::attachment::human_size;
    let t = use_i18n().t();
    (!files.is_empty()).then(|| {
        let items = files
            .into_iter()
            .map(|f| {
                let size = human_size(f.size);
                match f.kind {
                    Ok(_) if f.is_image() => view! {
                        <li class="attachment image">
                            <a href=f.href() target="_blank" rel="noopener">
                                <img src=f.href() alt=f.name.clone() loading="lazy" decoding="async" />
                            </a>
                            <span class="meta">{f.name.clone()} " · " {size}</span>
                        </li>
                    }
                    .into_any(),
                    Ok(_) => view! {
                        <li class="attachment file">
                            <a href=f.href() download=f.name.clone()>{f.name.clone()}</a>
                            " " <span class="meta">{size}</span>
                        </li>
                    }
                    .into_any(),
                    Err(why) => {
                        let reason = match why {
                            Refusal::Executable => t.attachment_not_kept_program(),
                            Refusal::NotAllowed | Refusal::Empty => t.attachment_not_kept_kind(),
                        };
                        view! {
                            <li class="attachment refused">
                                <span>{f.name.clone()}</span> " " <span class="meta">{size} " · " {reason}</span>
                            </li>
                        }
                        .into_any()
                    }
                }
            })
            .collect_view();
        view! { <ul class="attachments" aria-label=t.attachments()>{items}</ul> }
    })
}

/// The address of the upload script (progress per file, sizes checked before sending; see
/// `upload.js`): named by its content, so a new build's script is never served from an old cache.
pub fn upload_script_src() -> String {
    #[cfg(feature = "ssr")]
    {
        static SRC: std::sync::LazyLock<String> =
            std::sync::LazyLock::new(|| format!("/js/upload.{}.js", &crate::files::FileKey::of(UPLOAD_SCRIPT.as_bytes()).as_str()[..16]));
        SRC.clone()
    }
    #[cfg(not(feature = "ssr"))]
    String::from("/js/upload.js")
}

/// The script behind [`AttachField`]: plain JavaScript, 2 KB, loaded only by pages with a form
/// that takes files (an island would put the WASM runtime on pages that otherwise have none).
pub const UPLOAD_SCRIPT: &str = include_str!("upload.js");

/// The file picker of a form with files (`name="files"`, several at once), with what is taken
/// and the limits. Works as a plain form field; with JavaScript the form is sent with a progress
/// bar per file, and files over the limits are named before anything is sent. Its form must be
/// `enctype="multipart/form-data"` with `data-upload`.
#[component]
pub fn AttachField(
    #[prop(into)] error: String,
    /// The input's id (several forms on one page need their own).
    #[prop(optional, into)]
    id: Option<String>,
    /// The label, when not "attach files (optional)".
    #[prop(optional)]
    label: Option<&'static str>,
    /// Without the line of limits under it (it becomes the input's tooltip): for a form that
    /// must stay short, like the agent's composer.
    #[prop(optional)]
    compact: bool,
) -> impl IntoView {
    let t = use_i18n().t();
    let id = id.unwrap_or_else(|| "field-files".to_string());
    let (hint_id, error_id) = (format!("{id}-hint"), format!("{id}-error"));
    #[cfg(feature = "ssr")]
    let limits = crate::state::AppState::get().map(|s| s.attach).unwrap_or_default();
    #[cfg(not(feature = "ssr"))]
    let limits = crate::domain::attachment::AttachLimits::default();
    let mib = crate::domain::attachment::MIB;
    let (file_mb, message_mb) = (limits.per_file / mib, limits.per_message / mib);
    let hint = t.attach_hint(file_mb, message_mb, limits.files);
    let invalid = !error.is_empty();
    view! {
        <div class="field attach-field" class:invalid=invalid
            data-max-file=limits.per_file.to_string()
            data-max-total=limits.per_message.to_string()
            data-max-files=limits.files.to_string()
            data-msg-file=t.err_file_too_large("{name}", file_mb)
            data-msg-total=t.err_files_too_large("{name}", message_mb)
            data-msg-count=t.err_files_too_many("{name}", limits.files)
            data-msg-failed=t.upload_failed()
        >
            <label for=id.clone()>{label.unwrap_or(t.attach_files())}</label>
            <input id=id type="file" name="files" multiple=true aria-describedby=format!("{hint_id} {error_id}")
                title=compact.then(|| hint.clone()) />
            <p class="hint" id=hint_id hidden=compact>{hint}</p>
            <ul class="upload-progress" aria-live="polite"></ul>
            <p class="field-error" id=error_id aria-live="polite">{error}</p>
            <script src=upload_script_src() defer=true></script>
        </div>
    }
}

/// Sending files in a chat: a form of its own beside the chat room (the room's messages go over
/// the WebSocket; files go as a form post). With JavaScript the page stays and the files arrive in
/// the room like any message; without it the page comes back with them.
#[component]
pub fn ChatFiles(chat_id: i64, client_id: String) -> impl IntoView {
    let t = use_i18n().t();
    let error = field_text(posted_error(crate::model::attachment::forms::CHAT_ATTACH), "files");
    view! {
        <form class="chat-files" action={crate::model::attachment::forms::CHAT_ATTACH} method="post" enctype="multipart/form-data" data-upload="" data-stay="">
            <input type="hidden" name="chat_id" value=chat_id />
            <input type="hidden" name="client_id" value=format!("f{client_id}") />
            <AttachField error=error id=format!("chat-files-{chat_id}") label=t.chat_send_files() compact=true />
            <button type="submit">{t.chat_send_files_button()}</button>
        </form>
    }
}

/// POSTs a URL-encoded form to `url` as a script would (JSON answer asked for) and says whether
/// the server accepted it (a 2xx).
#[cfg(feature = "hydrate")]
pub async fn post_form(url: &str, body: &str) -> bool {
    use wasm_bindgen::JsCast;
    let Some(window) = web_sys::window() else { return false };
    let init = web_sys::RequestInit::new();
    init.set_method("POST");
    init.set_body(&wasm_bindgen::JsValue::from_str(body));
    let Ok(headers) = web_sys::Headers::new() else { return false };
    if headers.set("content-type", "application/x-www-form-urlencoded").is_err() || headers.set("accept", "application/json").is_err() {
        return false;
    }
    init.set_headers(&headers);
    let Ok(response) = wasm_bindgen_futures::JsFuture::from(window.fetch_with_str_and_init(url, &init)).await else { return false };
    response.dyn_into::<web_sys::Response>().is_ok_and(|r| r.ok())
}

/// The FAQ pack (`/faq/pack`), fetched once per page and decoded; the browser's HTTP cache
/// keeps it between pages (the server answers 304 while it is unchanged).
#[cfg(feature = "hydrate")]
pub async fn load_faq_pack() -> Option<crate::domain::faq_pack::FaqPack> {
    use wasm_bindgen::JsCast;
    let window = web_sys::window()?;
    let response = wasm_bindgen_futures::JsFuture::from(window.fetch_with_str("/faq/pack")).await.ok()?;
    let response: web_sys::Response = response.dyn_into().ok()?;
    if !response.ok() {
        return None;
    }
    let buffer = wasm_bindgen_futures::JsFuture::from(response.array_buffer().ok()?).await.ok()?;
    let bytes = js_sys::Uint8Array::new(&buffer).to_vec();
    crate::domain::faq_pack::FaqPack::decode(&bytes).ok()
}
