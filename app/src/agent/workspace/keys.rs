//! The workspace's keyboard and answers library, one lazy island over the server-rendered forms:
//! shortcuts for the whole workspace (never taken from a text field), `?` lists them; typing `/`
//! in the message box searches FAQ answers and saved replies and inserts the chosen one for
//! editing; a suggestion's "use this answer" puts it into the box without a reload. Without
//! JavaScript none of this is there and every form still posts.

use crate::i18n::use_i18n;
use crate::model::saved_reply::{AnswerSource, LibraryAnswer};
use leptos::prelude::*;

/// The shortcuts, as the overlay lists them: (keys, what they do in Korean, in English).
pub const SHORTCUTS: [(&str, &str, &str); 10] = [
    ("t", "다음 문의 받기", "Take the next inquiry"),
    ("r", "답변 쓰기", "Write a reply"),
    ("n", "내부 메모 쓰기", "Write an internal note"),
    ("Ctrl + Enter", "보내기 (작성 칸에서)", "Send (in the message box)"),
    ("j / k", "대기열의 다음 / 이전 문의", "Next / previous inquiry in the queue"),
    ("s", "추천 답변으로 이동 (↑ ↓, Enter로 넣기)", "Go to the suggested answers (↑ ↓, Enter inserts)"),
    ("/", "답변 모음 검색 (FAQ와 저장된 답변)", "Search the answers library (FAQ and saved replies)"),
    ("p", "문의 속성으로 이동", "Go to the inquiry's properties"),
    ("Esc", "작성 칸에서 나가기 · 닫기", "Leave the message box · close"),
    ("?", "이 도움말", "This help"),
];

/// Where a `/` search starts in the message box: the slash at or before the caret that begins the
/// text or follows whitespace, with no line break between it and the caret (UTF-16 offsets, as
/// the browser counts them). Returns the slash's offset and the words typed after it.
pub fn slash_query(text: &[u16], caret: usize) -> Option<(usize, String)> {
    const MAX: usize = 40;
    let caret = caret.min(text.len());
    let from = caret.saturating_sub(MAX + 1);
    let mut i = caret;
    while i > from {
        i -= 1;
        let c = text[i];
        if c == u16::from(b'\n') {
            return None;
        }
        if c == u16::from(b'/') {
            let starts = i == 0 || char::from_u32(u32::from(text[i - 1])).is_some_and(char::is_whitespace);
            return starts.then(|| (i, String::from_utf16_lossy(&text[i + 1..caret])));
        }
    }
    None
}

/// The box's text with `text[slash..caret]` replaced by `insert`, and the caret after it.
pub fn replace_query(text: &[u16], slash: usize, caret: usize, insert: &str) -> (String, usize) {
    let mut out: Vec<u16> = text[..slash.min(text.len())].to_vec();
    out.extend(insert.encode_utf16());
    let at = out.len();
    out.extend_from_slice(&text[caret.min(text.len())..]);
    (String::from_utf16_lossy(&out), at)
}

#[island(lazy)]
pub fn WorkspaceKeys(inquiry_id: i64) -> impl IntoView {
    crate::ui::hydration::island_ready("workspace_keys");
    let i18n = use_i18n();
    let help = RwSignal::new(false);
    let results: RwSignal<Vec<LibraryAnswer>> = RwSignal::new(Vec::new());
    let open = RwSignal::new(false);
    let active = RwSignal::new(0usize);
    let insert = move |n: usize| {
        #[cfg(feature = "hydrate")]
        if let Some(a) = results.with_untracked(|r| r.get(n).cloned()) {
            dom::insert_answer(&a);
            open.set(false);
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = n;
    };
    #[cfg(feature = "hydrate")]
    {
        let generation = StoredValue::new(0u64);
        let search = move || {
            let Some((_, q)) = dom::body_query() else {
                open.set(false);
                return;
            };
            generation.update_value(|g| *g += 1);
            let mine = generation.get_value();
            set_timeout(
                move || {
                    if generation.get_value() != mine {
                        return;
                    }
                    leptos::task::spawn_local(async move {
                        if let Ok(found) = crate::agent::replies::answer_library(inquiry_id, q).await {
                            if generation.get_value() == mine {
                                results.set(found);
                                active.set(0);
                                open.set(true);
                            }
                        }
                    });
                },
                std::time::Duration::from_millis(120),
            );
        };
        dom::wire_body();
        let input = window_event_listener(leptos::ev::input, move |ev| {
            if dom::target_id(ev.target()) == "field-body" {
                search();
            }
        });
        let click = window_event_listener(leptos::ev::click, move |ev| {
            if dom::use_suggestion(ev.target()) {
                ev.prevent_default();
            }
        });
        let keydown = window_event_listener(leptos::ev::keydown, move |ev| {
            let key = ev.key();
            let id = dom::target_id(ev.target());
            if help.get_untracked() {
                if key == "Escape" || key == "?" {
                    help.set(false);
                    ev.prevent_default();
                }
                return;
            }
            if id == "field-body" && open.get_untracked() {
                let len = results.with_untracked(Vec::len);
                match key.as_str() {
                    "ArrowDown" if len > 0 => active.update(|a| *a = (*a + 1) % len),
                    "ArrowUp" if len > 0 => active.update(|a| *a = (*a + len - 1) % len),
                    "Enter" | "Tab" if len > 0 => insert(active.get_untracked()),
                    "Escape" => open.set(false),
                    _ => return,
                }
                ev.prevent_default();
                return;
            }
            if id == "field-body" && key == "Enter" && (ev.ctrl_key() || ev.meta_key()) {
                dom::submit_composer();
                ev.prevent_default();
                return;
            }
            if dom::is_text_field(ev.target()) {
                if key == "Escape" {
                    dom::blur(ev.target());
                }
                return;
            }
            if dom::is_suggestion(ev.target()) && (key == "ArrowDown" || key == "ArrowUp") {
                dom::move_in_suggestions(ev.target(), key == "ArrowDown");
                ev.prevent_default();
                return;
            }
            if ev.ctrl_key() || ev.meta_key() || ev.alt_key() {
                return;
            }
            let done = match key.as_str() {
                "?" => {
                    help.set(true);
                    true
                }
                "t" => dom::click("#take-next"),
                "r" => dom::compose("reply"),
                "n" => dom::compose("note"),
                "j" => dom::click("#queue-next"),
                "k" => dom::click("#queue-prev"),
                "s" => dom::focus(".ws-suggestions .button"),
                "p" => dom::focus("#field-status") || dom::focus("#field-type"),
                "/" => {
                    let started = dom::start_slash();
                    if started {
                        search();
                    }
                    started
                }
                _ => false,
            };
            if done {
                ev.prevent_default();
            }
        });
        on_cleanup(move || {
            input.remove();
            click.remove();
            keydown.remove();
        });
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = inquiry_id;
    let t = move || i18n.t();
    view! {
        <div class="ws-keys">
            <div id="answer-library" class="answer-library" role="listbox" aria-label=move || t().library_label() hidden=move || !open.get()>
                {move || results.get().into_iter().enumerate().map(|(n, a)| {
                    let source = match a.source {
                        AnswerSource::Faq => t().library_faq(),
                        AnswerSource::Saved => t().library_saved(),
                    };
                    let snippet: String = a.body.chars().take(90).collect();
                    view! {
                        <div
                            role="option"
                            id=format!("library-option-{n}")
                            class="library-option"
                            class:active=move || active.get() == n
                            aria-selected=move || (active.get() == n).to_string()
                            on:mousedown=move |ev| {
                                ev.prevent_default();
                                insert(n);
                            }
                        >
                            <span class="badge">{source}</span> " " <strong>{a.title}</strong>
                            <span class="meta">{snippet}</span>
                        </div>
                    }
                }).collect_view()}
                {move || (open.get() && results.with(Vec::is_empty)).then(|| view! { <p class="hint">{t().library_none()}</p> })}
            </div>
            <p class="visually-hidden" aria-live="polite">
                {move || open.get().then(|| t().library_count(results.with(Vec::len)))}
            </p>
            <p class="hint keys-hint">{move || t().keys_hint()}</p>
            {move || help.get().then(|| view! {
                <div class="keys-overlay" role="dialog" aria-modal="true" aria-labelledby="keys-title">
                    <div class="card">
                        <h2 id="keys-title">{t().keys_title()}</h2>
                        <dl class="keys-list">
                            {SHORTCUTS.iter().map(|(keys, ko, en)| view! {
                                <dt><kbd>{*keys}</kbd></dt>
                                <dd>{i18n.locale.get_untracked().pick(*ko, *en)}</dd>
                            }).collect_view()}
                        </dl>
                        <button type="button" id="keys-close" on:click=move |_| help.set(false)>{t().close()}</button>
                    </div>
                </div>
            })}
        </div>
    }
}

/// What the island does to the server-rendered workspace (ids and classes of `pages.rs`).
#[cfg(feature = "hydrate")]
mod dom {
    use crate::model::saved_reply::{AnswerSource, LibraryAnswer};
    use wasm_bindgen::JsCast;

    fn document() -> web_sys::Document {
        leptos::prelude::document()
    }

    fn element(target: Option<web_sys::EventTarget>) -> Option<web_sys::Element> {
        target.and_then(|t| t.dyn_into::<web_sys::Element>().ok())
    }

    pub fn target_id(target: Option<web_sys::EventTarget>) -> String {
        element(target).map(|e| e.id()).unwrap_or_default()
    }

    fn body() -> Option<web_sys::HtmlTextAreaElement> {
        document().get_element_by_id("field-body")?.dyn_into().ok()
    }

    /// The message box tells assistive technology about the library it controls.
    pub fn wire_body() {
        if let Some(b) = body() {
            let _ = b.set_attribute("aria-controls", "answer-library");
            let _ = b.set_attribute("aria-autocomplete", "list");
        }
    }

    /// The `/` search at the caret of the message box, if one is being typed.
    pub fn body_query() -> Option<(usize, String)> {
        let b = body()?;
        let text: Vec<u16> = b.value().encode_utf16().collect();
        let caret = b.selection_start().ok().flatten()? as usize;
        super::slash_query(&text, caret)
    }

    /// Focuses the message box and types a `/` at its caret (a search starting).
    pub fn start_slash() -> bool {
        let Some(b) = body() else { return false };
        let _ = b.focus();
        let text: Vec<u16> = b.value().encode_utf16().collect();
        let caret = b.selection_start().ok().flatten().map_or(text.len(), |c| c as usize);
        let needs_space = caret > 0 && text.get(caret - 1).is_some_and(|c| !char::from_u32(u32::from(*c)).is_some_and(char::is_whitespace));
        let (value, at) = super::replace_query(&text, caret, caret, if needs_space { " /" } else { "/" });
        b.set_value(&value);
        let _ = b.set_selection_range(at as u32, at as u32);
        true
    }

    /// Replaces the `/` search (or inserts at the caret) with the answer, for editing; an FAQ
    /// answer's template goes with the reply (the automation learns which answers help).
    pub fn insert_answer(a: &LibraryAnswer) {
        let Some(b) = body() else { return };
        let text: Vec<u16> = b.value().encode_utf16().collect();
        let caret = b.selection_start().ok().flatten().map_or(text.len(), |c| c as usize);
        let slash = super::slash_query(&text, caret).map_or(caret, |(s, _)| s);
        let (value, at) = super::replace_query(&text, slash, caret, &a.body);
        b.set_value(&value);
        let _ = b.set_selection_range(at as u32, at as u32);
        let _ = b.focus();
        if a.source == AnswerSource::Faq {
            set_template(a.id);
        }
    }

    fn set_template(id: i64) {
        if let Some(i) = document()
            .query_selector("#composer input[name=template_id]")
            .ok()
            .flatten()
            .and_then(|e| e.dyn_into::<web_sys::HtmlInputElement>().ok())
        {
            i.set_value(&id.to_string());
        }
    }

    /// "Use this answer" on a suggestion: its answer into the message box, no reload.
    pub fn use_suggestion(target: Option<web_sys::EventTarget>) -> bool {
        let Some(link) = element(target).and_then(|e| e.closest(".ws-suggestions a[data-template-id]").ok().flatten()) else { return false };
        let Some(id) = link.get_attribute("data-template-id").and_then(|v| v.parse::<i64>().ok()) else { return false };
        let answer = link
            .closest("li")
            .ok()
            .flatten()
            .and_then(|li| li.query_selector(".suggestion-answer").ok().flatten())
            .and_then(|p| p.text_content())
            .unwrap_or_default();
        compose("reply");
        insert_answer(&LibraryAnswer { source: AnswerSource::Faq, id, title: String::new(), body: answer });
        true
    }

    pub fn is_text_field(target: Option<web_sys::EventTarget>) -> bool {
        let Some(e) = element(target) else { return false };
        match e.tag_name().as_str() {
            "TEXTAREA" | "SELECT" => true,
            "INPUT" => !matches!(e.get_attribute("type").as_deref(), Some("radio" | "checkbox" | "submit" | "button")),
            _ => e.dyn_ref::<web_sys::HtmlElement>().is_some_and(|h| h.is_content_editable()),
        }
    }

    pub fn blur(target: Option<web_sys::EventTarget>) {
        if let Some(h) = element(target).and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()) {
            let _ = h.blur();
        }
    }

    fn html(selector: &str) -> Option<web_sys::HtmlElement> {
        document().query_selector(selector).ok().flatten()?.dyn_into().ok()
    }

    pub fn click(selector: &str) -> bool {
        html(selector).map(|e| e.click()).is_some()
    }

    pub fn focus(selector: &str) -> bool {
        html(selector).is_some_and(|e| e.focus().is_ok())
    }

    /// Reply or note: the composer's switch set, the message box focused.
    pub fn compose(kind: &str) -> bool {
        let radio = document()
            .query_selector(&format!("#composer input[name=kind][value={kind}]"))
            .ok()
            .flatten()
            .and_then(|e| e.dyn_into::<web_sys::HtmlInputElement>().ok());
        match radio {
            Some(r) if !r.disabled() => r.set_checked(true),
            _ => return false,
        }
        focus("#field-body")
    }

    pub fn submit_composer() {
        if let Some(f) = document()
            .query_selector("#composer form")
            .ok()
            .flatten()
            .and_then(|e| e.dyn_into::<web_sys::HtmlFormElement>().ok())
        {
            let _ = f.request_submit();
        }
    }

    pub fn is_suggestion(target: Option<web_sys::EventTarget>) -> bool {
        element(target).is_some_and(|e| e.matches(".ws-suggestions .button").unwrap_or(false))
    }

    /// Arrow keys among the suggestions' "use this answer" buttons.
    pub fn move_in_suggestions(target: Option<web_sys::EventTarget>, down: bool) {
        let Ok(list) = document().query_selector_all(".ws-suggestions .button") else { return };
        let Some(current) = element(target) else { return };
        let current: web_sys::Node = current.into();
        let n = list.length();
        let at = (0..n).find(|i| list.item(*i).is_some_and(|e| e.is_same_node(Some(&current))));
        let Some(at) = at else { return };
        let next = if down { (at + 1) % n } else { (at + n - 1) % n };
        if let Some(h) = list.item(next).and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()) {
            let _ = h.focus();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utf16(s: &str) -> Vec<u16> {
        s.encode_utf16().collect()
    }

    #[test]
    fn a_slash_at_the_start_or_after_a_space_starts_a_search() {
        assert_eq!(slash_query(&utf16("/배송"), 3), Some((0, "배송".into())));
        assert_eq!(slash_query(&utf16("안녕하세요 /교환"), 9), Some((6, "교환".into())));
        assert_eq!(slash_query(&utf16("/"), 1), Some((0, String::new())));
    }

    #[test]
    fn a_slash_inside_a_word_or_before_a_line_break_does_not() {
        assert_eq!(slash_query(&utf16("1/2"), 3), None);
        assert_eq!(slash_query(&utf16("http://x"), 8), None);
        assert_eq!(slash_query(&utf16("/교환\n다음"), 6), None);
        assert_eq!(slash_query(&utf16("no slash"), 8), None);
    }

    #[test]
    fn the_search_replaced_by_the_answer_leaves_the_rest() {
        let text = utf16("고객님, /교환 감사합니다");
        let (slash, query) = slash_query(&text, 8).unwrap();
        assert_eq!((slash, query.as_str()), (5, "교환"));
        let (out, caret) = replace_query(&text, slash, 8, "교환을 접수했습니다.");
        assert_eq!(out, "고객님, 교환을 접수했습니다. 감사합니다");
        assert_eq!(caret, 5 + "교환을 접수했습니다.".encode_utf16().count());
    }
}
