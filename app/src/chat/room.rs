//! The chat room: the transcript, the state line (queue position and estimated wait, the agent's
//! name, ended), the typing indicator, read receipts and the message box. Rendered on the server
//! with the whole transcript and a plain form (so it works without JavaScript); hydrated, it
//! holds a WebSocket to `/ws/chats/{id}`: own messages appear at once and are confirmed by the
//! server, the other side's arrive without polling, and after a dropped connection it reconnects
//! with backoff, fetches what it missed (`after` = the last sequence number up to which it has
//! every message) and resends unconfirmed messages under the same client ids, so nothing is lost
//! and nothing doubles.

use crate::chat::protocol::{Author, ChatMessage, ChatStatus, ErrorCode};
use crate::chat::ChatView;
use crate::i18n::use_i18n;
use crate::ui::format_datetime;
use leptos::prelude::*;

/// One line of the transcript: a stored message, or one of ours still on its way (no `seq`).
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    pub seq: Option<i64>,
    pub client_id: Option<String>,
    pub author: Author,
    pub author_name: Option<String>,
    pub body: String,
    pub at: i64,
    /// Refused by the server (too long, chat ended): shown as not sent.
    pub failed: bool,
    pub files: Vec<crate::model::chat::ChatFile>,
}

impl From<ChatMessage> for Line {
    fn from(m: ChatMessage) -> Line {
        Line { seq: Some(m.seq), client_id: m.client_id, author: m.author, author_name: m.author_name, body: m.body, at: m.at, failed: false, files: m.files }
    }
}

/// Adds a stored message to the transcript: it replaces our pending line with the same client
/// id, a sequence number already shown is ignored (a replay after reconnecting), and stored
/// lines stay in sequence order with pending ones after them.
pub fn merge(lines: &mut Vec<Line>, m: ChatMessage) {
    if lines.iter().any(|l| l.seq == Some(m.seq)) {
        return;
    }
    if let Some(cid) = m.client_id.as_deref() {
        lines.retain(|l| !(l.seq.is_none() && l.client_id.as_deref() == Some(cid)));
    }
    let line = Line::from(m);
    let at = lines.iter().position(|l| l.seq.is_none_or(|s| Some(s) > line.seq)).unwrap_or(lines.len());
    lines.insert(at, line);
}

/// What a reconnect asks to continue after: the highest sequence number below which the
/// transcript (loaded from the chat's start) misses nothing, so a message still on its way when
/// the connection dropped is fetched again even if a later one is already shown.
pub fn last_seq(lines: &[Line]) -> i64 {
    super::resume::resume_after(lines.iter().filter_map(|l| l.seq))
}

/// The highest sequence number written by the other side.
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
fn last_from_others(lines: &[Line], me: Author) -> i64 {
    lines.iter().filter(|l| l.author != me).filter_map(|l| l.seq).max().unwrap_or(0)
}

#[island(lazy)]
pub fn ChatRoom(chat: ChatView, me: Author, client_id: String) -> impl IntoView {
    crate::ui::hydration::island_ready("chat_room");
    let i18n = use_i18n();
    let chat_id = chat.id;
    let may_write = chat.may_write;
    let lines = RwSignal::new(chat.messages.into_iter().map(Line::from).collect::<Vec<_>>());
    let state = RwSignal::new(chat.state);
    // None: not connected yet (server render, or no JavaScript); then whether the socket is open
    let connected: RwSignal<Option<bool>> = RwSignal::new(None);
    // the server closed the connection because this account may no longer be on the chat (signed
    // out, disabled, moved to another group, chat transferred) and a new one was refused too
    let gone = RwSignal::new(false);
    let typing = RwSignal::new(false);
    let error: RwSignal<Option<ErrorCode>> = RwSignal::new(None);
    let draft = RwSignal::new(String::new());
    let ended = move || state.with(|s| s.status == ChatStatus::Ended);

    #[cfg(feature = "hydrate")]
    let socket = live::Socket::start(chat_id, me, live::Signals { lines, state, connected, gone, typing, error });
    #[cfg(feature = "hydrate")]
    let send_now = {
        let socket = socket.clone();
        move || {
            let text = draft.get_untracked();
            match crate::domain::chat::validate_message(&text) {
                Ok(body) => {
                    error.set(None);
                    socket.send_message(body);
                    draft.set(String::new());
                }
                Err(crate::error::FieldCode::TooLong { .. }) => error.set(Some(ErrorCode::TooLong)),
                Err(_) => error.set(Some(ErrorCode::Invalid)),
            }
        }
    };
    #[cfg(feature = "hydrate")]
    let on_submit = {
        let send_now = send_now.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            send_now();
        }
    };
    #[cfg(not(feature = "hydrate"))]
    let on_submit = |_: leptos::ev::SubmitEvent| {};
    #[cfg(feature = "hydrate")]
    let on_keydown = {
        let send_now = send_now.clone();
        move |ev: leptos::ev::KeyboardEvent| {
            // Enter sends, Shift+Enter starts a new line
            if ev.key() == "Enter" && !ev.shift_key() && !ev.is_composing() {
                ev.prevent_default();
                send_now();
            }
        }
    };
    #[cfg(not(feature = "hydrate"))]
    let on_keydown = |_: leptos::ev::KeyboardEvent| {};
    #[cfg(feature = "hydrate")]
    let on_input = {
        let socket = socket.clone();
        move |ev: leptos::ev::Event| {
            draft.set(event_target_value(&ev));
            socket.typing();
        }
    };
    #[cfg(not(feature = "hydrate"))]
    let on_input = move |ev: leptos::ev::Event| draft.set(event_target_value(&ev));

    let field_id = format!("chat-body-{chat_id}");
    let state_line = move || {
        let t = i18n.t();
        state.with(|s| match s.status {
            ChatStatus::Waiting => match (s.position, s.wait_s) {
                (Some(p), Some(w)) => t.chat_waiting(p, w),
                _ => t.chat_waiting_plain().to_string(),
            },
            ChatStatus::Active => t.chat_active_with(s.agent_name.as_deref().unwrap_or(t.author_agent())),
            ChatStatus::Ended => t.chat_ended().to_string(),
        })
    };
    let other_read = move || state.with(|s| if me == Author::Customer { s.agent_read_seq } else { s.customer_read_seq });
    view! {
        <div class="chat-room" data-chat=chat_id data-status=move || state.with(|s| s.status.as_str())
            data-connected=move || match connected.get() { Some(true) => "yes", Some(false) => "no", None => "" }>
            <p class="chat-state" role="status">{state_line}</p>
            <p class="chat-conn warn" role="status" hidden=move || connected.get() != Some(false) || ended() || gone.get()>
                {move || i18n.t().chat_reconnecting()}
            </p>
            <p class="chat-conn warn" role="alert" hidden=move || !gone.get()>
                {move || i18n.t().chat_access_ended()}
            </p>
            <ol class="chat-log" aria-live="polite" aria-label=move || i18n.t().chat_transcript()>
                <For each=move || lines.get() key=|l| (l.seq, l.client_id.clone(), l.failed) let:l>
                    {
                        let t = i18n.t();
                        let mine = l.author == me;
                        let who = match l.author {
                            _ if mine => t.chat_you().to_string(),
                            Author::Customer => t.author_customer().to_string(),
                            Author::Agent => l.author_name.clone().unwrap_or_else(|| t.author_agent().to_string()),
                            Author::System => t.author_system().to_string(),
                        };
                        let body = if l.author == Author::System { t.chat_event(&l.body) } else { l.body.clone() };
                        let seq = l.seq;
                        let class = match l.author {
                            Author::System => "chat-msg from-system",
                            _ if mine => "chat-msg from-me",
                            _ => "chat-msg from-them",
                        };
                        view! {
                            <li class=class class:pending=seq.is_none() && !l.failed class:failed=l.failed data-seq=seq.unwrap_or(0)>
                                <p class="msg-head">
                                    <strong>{who}</strong> " " <time>{format_datetime(l.at)}</time>
                                    {move || {
                                        let t = i18n.t();
                                        match seq {
                                            _ if !mine => None,
                                            None => Some(if l.failed { t.chat_not_sent() } else { t.chat_sending() }),
                                            Some(s) if other_read() >= s => Some(t.chat_read()),
                                            Some(_) => Some(t.chat_delivered()),
                                        }.map(|r| view! { " " <span class="receipt">{r}</span> })
                                    }}
                                </p>
                                <p class="msg-body">{body}</p>
                                {(!l.files.is_empty()).then(|| view! {
                                    <ul class="attachments">
                                        {l.files.iter().map(|f| {
                                            let href = crate::model::attachment::href(f.id);
                                            if f.image {
                                                view! {
                                                    <li class="attachment image">
                                                        <a href=href.clone() target="_blank" rel="noopener"><img src=href.clone() alt=f.name.clone() loading="lazy" /></a>
                                                    </li>
                                                }.into_any()
                                            } else {
                                                view! { <li class="attachment file"><a href=href download=f.name.clone()>{f.name.clone()}</a></li> }.into_any()
                                            }
                                        }).collect_view()}
                                    </ul>
                                })}
                            </li>
                        }
                    }
                </For>
            </ol>
            <p class="chat-typing hint" aria-live="polite">
                {move || typing.get().then(|| {
                    let t = i18n.t();
                    if me == Author::Customer { t.chat_agent_typing() } else { t.chat_customer_typing() }
                })}
            </p>
            <p class="field-error" role="alert">
                {move || error.get().map(|e| i18n.t().chat_error(e))}
            </p>
            {move || ended().then(|| view! {
                <p class="notice">
                    {i18n.t().chat_ended()}
                    {(me == Author::Customer).then(|| view! { " " <a href=format!("/my/chats/{chat_id}")>{i18n.t().chat_rate_link()}</a> })}
                </p>
            })}
            <form method="post" action="/api/chat_send" class="chat-compose" hidden=move || !may_write || ended() || gone.get() on:submit=on_submit>
                <input type="hidden" name="chat_id" value=chat_id />
                <input type="hidden" name="client_id" value=client_id />
                <label for=field_id.clone()>{move || i18n.t().chat_message_label()}</label>
                <textarea id=field_id name="body" rows="3" prop:value=move || draft.get() on:input=on_input on:keydown=on_keydown></textarea>
                <button type="submit" class="primary">{move || i18n.t().send()}</button>
            </form>
        </div>
    }
}

#[cfg(feature = "hydrate")]
mod live {
    //! The browser's side of the connection.

    use super::{last_from_others, last_seq, merge, Line};
    use crate::chat::protocol::{Author, ChatState, ChatStatus, ClientFrame, ErrorCode, ServerFrame};
    use leptos::prelude::*;
    use std::cell::{Cell, RefCell};
    use std::rc::Rc;
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::JsCast;
    use web_sys::{CloseEvent, MessageEvent, WebSocket};

    #[derive(Clone, Copy)]
    pub struct Signals {
        pub lines: RwSignal<Vec<Line>>,
        pub state: RwSignal<ChatState>,
        pub connected: RwSignal<Option<bool>>,
        pub gone: RwSignal<bool>,
        pub typing: RwSignal<bool>,
        pub error: RwSignal<Option<ErrorCode>>,
    }

    pub struct Inner {
        chat_id: i64,
        me: Author,
        s: Signals,
        ws: RefCell<Option<WebSocket>>,
        attempts: Cell<u32>,
        stopped: Cell<bool>,
        /// The server closed the last connection for access reasons; cleared when one opens.
        revoked: Cell<bool>,
        read_sent: Cell<i64>,
        typing_sent: Cell<f64>,
        typing_generation: Cell<u32>,
        handlers: RefCell<Vec<Box<dyn std::any::Any>>>,
    }

    #[derive(Clone)]
    pub struct Socket(Rc<Inner>);

    fn now_ms() -> f64 {
        js_sys::Date::now()
    }

    /// A client message id: time and randomness, letters and digits only.
    fn new_client_id() -> String {
        let r = (js_sys::Math::random() * 1e15) as u64;
        format!("c{:x}{:x}", now_ms() as u64, r)
    }

    fn after(ms: u64, f: impl FnOnce() + 'static) {
        leptos::prelude::set_timeout(f, std::time::Duration::from_millis(ms));
    }

    impl Socket {
        pub fn start(chat_id: i64, me: Author, s: Signals) -> Socket {
            let inner = Inner {
                chat_id,
                me,
                s,
                ws: RefCell::new(None),
                attempts: Cell::new(0),
                stopped: Cell::new(false),
                revoked: Cell::new(false),
                read_sent: Cell::new(0),
                typing_sent: Cell::new(0.0),
                typing_generation: Cell::new(0),
                handlers: RefCell::new(Vec::new()),
            };
            let socket = Socket(Rc::new(inner));
            if s.state.with_untracked(|st| st.status != ChatStatus::Ended) {
                socket.connect();
            }
            // the island lives in one browser thread: the wrapper only satisfies the hook's bounds
            let closing = send_wrapper::SendWrapper::new(socket.clone());
            on_cleanup(move || closing.stop());
            socket
        }

        fn stop(&self) {
            self.0.stopped.set(true);
            if let Some(ws) = self.0.ws.borrow_mut().take() {
                let _ = ws.close();
            }
        }

        fn url(&self) -> String {
            let loc = leptos::prelude::window().location();
            let scheme = if loc.protocol().ok().as_deref() == Some("https:") { "wss" } else { "ws" };
            let host = loc.host().unwrap_or_default();
            let after = self.0.s.lines.with_untracked(|l| last_seq(l));
            format!("{scheme}://{host}/ws/chats/{}?after={after}", self.0.chat_id)
        }

        fn connect(&self) {
            if self.0.stopped.get() {
                return;
            }
            let Ok(ws) = WebSocket::new(&self.url()) else {
                self.retry();
                return;
            };
            let on_open = {
                let me = self.clone();
                Closure::<dyn FnMut()>::new(move || me.opened())
            };
            let on_message = {
                let me = self.clone();
                Closure::<dyn FnMut(MessageEvent)>::new(move |ev: MessageEvent| {
                    if let Some(frame) = ev.data().as_string().as_deref().and_then(crate::chat::protocol::decode_server_frame) {
                        me.received(frame);
                    }
                })
            };
            let on_close = {
                let me = self.clone();
                Closure::<dyn FnMut(CloseEvent)>::new(move |ev: CloseEvent| me.closed(ev.code()))
            };
            ws.set_onopen(Some(on_open.as_ref().unchecked_ref()));
            ws.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
            ws.set_onclose(Some(on_close.as_ref().unchecked_ref()));
            // the handlers live as long as their socket: replaced at the next connect
            *self.0.handlers.borrow_mut() = vec![Box::new(on_open), Box::new(on_message), Box::new(on_close)];
            *self.0.ws.borrow_mut() = Some(ws);
        }

        fn retry(&self) {
            if self.0.stopped.get() {
                return;
            }
            let attempt = self.0.attempts.get();
            self.0.attempts.set(attempt.saturating_add(1));
            let delay = crate::domain::chat::reconnect_delay_ms(attempt, js_sys::Math::random());
            let me = self.clone();
            after(delay, move || me.connect());
        }

        fn opened(&self) {
            self.0.attempts.set(0);
            self.0.revoked.set(false);
            self.0.s.connected.set(Some(true));
            self.0.read_sent.set(0);
            // whatever was typed while offline goes now, under the same client ids
            let pending: Vec<(String, String)> = self.0.s.lines.with_untracked(|l| {
                l.iter().filter(|x| x.seq.is_none() && !x.failed).filter_map(|x| x.client_id.clone().map(|c| (c, x.body.clone()))).collect()
            });
            for (client_id, body) in pending {
                self.frame(&ClientFrame::Send { client_id, body });
            }
        }

        /// `CLOSE_SIGNED_OUT`: the session ended; `CLOSE_NOT_ALLOWED`: the account may no longer
        /// be on this chat. One more try at once (this browser may still be signed in, e.g.
        /// after changing its own password); if that is refused too, the room says so and stops.
        fn closed(&self, code: u16) {
            self.0.ws.borrow_mut().take();
            if self.0.stopped.get() {
                return;
            }
            self.0.s.connected.set(Some(false));
            if self.0.revoked.get() {
                self.0.stopped.set(true);
                self.0.s.gone.set(true);
                return;
            }
            if code == crate::chat::protocol::CLOSE_SIGNED_OUT || code == crate::chat::protocol::CLOSE_NOT_ALLOWED {
                self.0.revoked.set(true);
                self.connect();
                return;
            }
            self.retry();
        }

        fn frame(&self, frame: &ClientFrame) -> bool {
            let Ok(text) = serde_json::to_string(frame) else { return false };
            match self.0.ws.borrow().as_ref() {
                Some(ws) if ws.ready_state() == WebSocket::OPEN => ws.send_with_str(&text).is_ok(),
                _ => false,
            }
        }

        /// Shows the message at once and sends it (or keeps it for the next connection).
        pub fn send_message(&self, body: String) {
            let client_id = new_client_id();
            let line = Line {
                seq: None,
                client_id: Some(client_id.clone()),
                author: self.0.me,
                author_name: None,
                body: body.clone(),
                at: now_ms() as i64,
                failed: false,
                files: Vec::new(),
            };
            self.0.s.lines.update(|l| l.push(line));
            self.frame(&ClientFrame::Send { client_id, body });
        }

        /// Tells the other side we are typing, at most every two seconds.
        pub fn typing(&self) {
            let now = now_ms();
            if now - self.0.typing_sent.get() >= 2_000.0 {
                self.0.typing_sent.set(now);
                self.frame(&ClientFrame::Typing);
            }
        }

        fn mark_read(&self) {
            let seen = self.0.s.lines.with_untracked(|l| last_from_others(l, self.0.me));
            let visible = !leptos::prelude::document().hidden();
            if visible && seen > self.0.read_sent.get() && self.frame(&ClientFrame::Read { seq: seen }) {
                self.0.read_sent.set(seen);
            }
        }

        fn resend_later(&self, client_id: String, ms: u64) {
            let me = self.clone();
            after(ms, move || {
                let body = me.0.s.lines.with_untracked(|l| {
                    l.iter().find(|x| x.seq.is_none() && x.client_id.as_deref() == Some(client_id.as_str())).map(|x| x.body.clone())
                });
                if let Some(body) = body {
                    me.frame(&ClientFrame::Send { client_id, body });
                }
            });
        }

        fn received(&self, frame: ServerFrame) {
            let s = self.0.s;
            match frame {
                ServerFrame::Message(m) => {
                    let from_other = m.author != self.0.me;
                    s.lines.update(|l| merge(l, m));
                    if from_other {
                        s.typing.set(false);
                        self.mark_read();
                    }
                }
                ServerFrame::Ack { client_id, seq } => s.lines.update(|l| {
                    if let Some(x) = l.iter_mut().find(|x| x.seq.is_none() && x.client_id.as_deref() == Some(client_id.as_str())) {
                        x.seq = Some(seq);
                    }
                }),
                ServerFrame::Typing { who } if who != self.0.me => {
                    s.typing.set(true);
                    let generation = self.0.typing_generation.get().wrapping_add(1);
                    self.0.typing_generation.set(generation);
                    let me = self.clone();
                    after(4_000, move || {
                        if me.0.typing_generation.get() == generation {
                            me.0.s.typing.set(false);
                        }
                    });
                }
                ServerFrame::Typing { .. } => {}
                ServerFrame::Read { who, seq } => s.state.update(|st| match who {
                    Author::Customer => st.customer_read_seq = st.customer_read_seq.max(seq),
                    _ => st.agent_read_seq = st.agent_read_seq.max(seq),
                }),
                ServerFrame::State(new) => {
                    let done = new.status == ChatStatus::Ended;
                    s.state.update(|st| {
                        let (c, a) = (st.customer_read_seq, st.agent_read_seq);
                        *st = new;
                        st.customer_read_seq = st.customer_read_seq.max(c);
                        st.agent_read_seq = st.agent_read_seq.max(a);
                    });
                    if done {
                        self.stop();
                    } else {
                        self.mark_read();
                    }
                }
                ServerFrame::Error { code, client_id } => {
                    s.error.set(Some(code));
                    match (code, client_id) {
                        (ErrorCode::RateLimited, Some(c)) => self.resend_later(c, 1_500),
                        (ErrorCode::Unavailable, Some(c)) => self.resend_later(c, 3_000),
                        (_, Some(c)) => s.lines.update(|l| {
                            for x in l.iter_mut().filter(|x| x.seq.is_none() && x.client_id.as_deref() == Some(c.as_str())) {
                                x.failed = true;
                            }
                        }),
                        (_, None) => {}
                    }
                }
                ServerFrame::Pong => {}
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn msg(seq: i64, client: Option<&str>, body: &str) -> ChatMessage {
        ChatMessage { seq, author: Author::Customer, author_name: None, client_id: client.map(str::to_string), body: body.into(), at: seq, files: Vec::new() }
    }

    fn pending(client: &str, body: &str) -> Line {
        Line { seq: None, client_id: Some(client.into()), author: Author::Customer, author_name: None, body: body.into(), at: 0, failed: false, files: Vec::new() }
    }

    #[test]
    fn a_confirmed_message_replaces_its_pending_line_once() {
        let mut lines = vec![Line::from(msg(1, None, "a")), pending("c2", "b")];
        merge(&mut lines, msg(2, Some("c2"), "b"));
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[1].seq, Some(2));
        // the replay after a reconnect carries it again: still once
        merge(&mut lines, msg(2, Some("c2"), "b"));
        assert_eq!(lines.len(), 2);
        assert_eq!(last_seq(&lines), 2);
    }

    #[test]
    fn stored_lines_stay_in_order_with_pending_ones_last() {
        let mut lines = vec![Line::from(msg(1, None, "a")), pending("c9", "mine")];
        merge(&mut lines, msg(3, None, "c"));
        // 2 is still on its way: a reconnect now asks for everything after 1
        assert_eq!(last_seq(&lines), 1);
        merge(&mut lines, msg(2, None, "b"));
        assert_eq!(last_seq(&lines), 3);
        let seqs: Vec<Option<i64>> = lines.iter().map(|l| l.seq).collect();
        assert_eq!(seqs, [Some(1), Some(2), Some(3), None]);
        assert_eq!(last_from_others(&lines, Author::Agent), 3);
        assert_eq!(last_from_others(&lines, Author::Customer), 0);
    }
}
