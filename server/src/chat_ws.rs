//! The chat WebSocket endpoint: `GET /ws/chats/{id}?after={seq}`. The session cookie and the
//! Origin are checked, and the caller's right to the chat, before the upgrade: a missing session
//! gets 401, a foreign chat 404 (customers) or 403 (agents of other groups), another site 403.
//!
//! After the upgrade the server sends the chat's state and every message after `after` (what a
//! reconnecting client missed), then live frames from the chat's fan-out. Every message is
//! stored before it is acknowledged or fanned out. Bounded everywhere: frames over 64 KiB close
//! the connection, messages over 2,000 characters and floods get error frames (the connection
//! stays usable), and a connection that falls behind its chat's fan-out, or whose socket does not
//! take a frame within 10 s, is dropped (its client reconnects and catches up from the database).
//! The loop is written over any `Sink`/`Stream` of WebSocket messages.

use crate::middleware::is_cross_origin;
use app::chat::protocol::{ClientFrame, ErrorCode, ServerFrame};
use app::chat::service;
use app::db::chats::{self, Participant};
use app::domain::chat::{SendRate, RATE_BURST, RATE_PER_S};
use app::error::{AppError, FieldCode};
use app::state::AppState;
use axum::extract::ws::{Message, WebSocketUpgrade};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use futures_util::{Sink, SinkExt, Stream, StreamExt};
use std::time::Duration;
use tokio::sync::broadcast::error::RecvError;
use tower_sessions::Session;

/// The largest WebSocket frame or message accepted (a 2,000-character message is at most 8 KB).
pub const MAX_FRAME_BYTES: usize = 64 * 1024;
/// The initial read buffer of a connection (it grows for a larger frame, up to the limit above).
const READ_BUFFER_BYTES: usize = 4 * 1024;
/// Bytes a connection may have waiting to be written before it counts as too slow and is dropped.
const MAX_WRITE_BUFFER_BYTES: usize = 256 * 1024;
/// A socket that does not take a frame within this time belongs to a client that is gone or
/// too slow: it is dropped.
const SEND_TIMEOUT: Duration = Duration::from_secs(10);
/// A ping this often finds connections whose peer vanished without closing.
const HEARTBEAT: Duration = Duration::from_secs(30);
/// Typing indicators are passed on at most this often per connection.
const TYPING_EVERY_MS: i64 = 2_000;
/// Frames other than messages (typing, read receipts, pings) a connection may send per second.
const OTHER_FRAMES_PER_S: f64 = 20.0;
/// Messages a reconnect replays per database read.
const BACKLOG_PAGE: i64 = 500;

#[derive(Debug, serde::Deserialize)]
pub struct Resume {
    #[serde(default)]
    pub after: i64,
}

/// Who the session belongs to, as a chat participant (401 without a signed-in, enabled account).
async fn participant(state: &AppState, session: &Session) -> Result<Participant, AppError> {
    let user = app::auth::guard::session_user(state, session).await?.ok_or(AppError::Unauthorized)?;
    Participant::of(&state.db, &user).await
}

pub async fn upgrade(state: AppState, ws: WebSocketUpgrade, chat_id: i64, resume: Resume, session: Session, headers: HeaderMap) -> Response {
    if is_cross_origin(&headers) {
        tracing::warn!(chat_id, "refused cross-origin chat connection");
        return (StatusCode::FORBIDDEN, "cross-origin request refused").into_response();
    }
    let who = match participant(&state, &session).await {
        Ok(who) => who,
        Err(e) => return crate::middleware::error_response(e),
    };
    if let Err(e) = chats::open_for(&state.db, who, chat_id).await {
        return crate::middleware::error_response(e);
    }
    ws.max_message_size(MAX_FRAME_BYTES)
        .max_frame_size(MAX_FRAME_BYTES)
        // small per-connection buffers: 5,000 connections at the default 128 KiB read buffer
        // cost 730 MiB of RSS; frames are small, and each one is written out at once
        .read_buffer_size(READ_BUFFER_BYTES)
        .write_buffer_size(0)
        .max_write_buffer_size(MAX_WRITE_BUFFER_BYTES)
        .on_upgrade(move |socket| async move {
        let (sink, stream) = socket.split();
        run(state, who, chat_id, resume.after, sink, stream).await;
    })
}

/// One connection's outgoing side: every send is bounded in time.
struct Outgoing<S> {
    sink: S,
}

impl<S: Sink<Message> + Unpin> Outgoing<S> {
    async fn send(&mut self, msg: Message) -> bool {
        matches!(tokio::time::timeout(SEND_TIMEOUT, self.sink.send(msg)).await, Ok(Ok(())))
    }

    async fn frame(&mut self, frame: &ServerFrame) -> bool {
        self.send(Message::Text(frame.to_json().into())).await
    }
}

/// Serves one connection until it closes, fails, or falls behind.
pub async fn run<S, R>(state: AppState, who: Participant, chat_id: i64, after: i64, sink: S, stream: R)
where
    S: Sink<Message> + Unpin,
    R: Stream<Item = Result<Message, axum::Error>> + Unpin,
{
    let agent = match who {
        Participant::Agent(a) => Some(a.user_id),
        Participant::Customer { .. } => None,
    };
    if let Some(user) = agent {
        if state.chat.agent_connected(user) {
            let _ = app::db::agents::set_presence_from_connections(&state.db, user, true, app::db::now_ms()).await;
        }
    }
    let rx = state.chat.fanout.subscribe(chat_id);
    let mut conn = Connection {
        state: state.clone(),
        who,
        chat_id,
        id: state.chat.connection_id(),
        out: Outgoing { sink },
        messages: SendRate::with(app::db::now_ms(), RATE_PER_S, RATE_BURST),
        others: SendRate::with(app::db::now_ms(), OTHER_FRAMES_PER_S, 2.0 * OTHER_FRAMES_PER_S),
        last_typing: i64::MIN,
    };
    conn.serve(after, rx, stream).await;
    state.chat.fanout.release(chat_id);
    if let Some(user) = agent {
        if state.chat.agent_disconnected(user) {
            let _ = app::db::agents::set_presence_from_connections(&state.db, user, false, app::db::now_ms()).await;
        }
    }
}

struct Connection<S> {
    state: AppState,
    who: Participant,
    chat_id: i64,
    id: u64,
    out: Outgoing<S>,
    messages: SendRate,
    others: SendRate,
    last_typing: i64,
}

impl<S: Sink<Message> + Unpin> Connection<S> {
    async fn serve<R>(&mut self, after: i64, mut rx: tokio::sync::broadcast::Receiver<app::chat::fanout::Event>, mut stream: R)
    where
        R: Stream<Item = Result<Message, axum::Error>> + Unpin,
    {
        // subscribed first, then the backlog: nothing published in between is missed, and what
        // the backlog already carried is skipped when it arrives live
        let Some(replayed) = self.replay(after.max(0)).await else { return };
        let mut heartbeat = tokio::time::interval(HEARTBEAT);
        heartbeat.tick().await;
        loop {
            tokio::select! {
                incoming = stream.next() => {
                    let Some(Ok(msg)) = incoming else { return };
                    let keep = match msg {
                        Message::Text(text) => self.handle(text.as_str()).await,
                        Message::Binary(_) => self.error(ErrorCode::Malformed, None).await,
                        Message::Close(_) => false,
                        Message::Ping(_) | Message::Pong(_) => true,
                    };
                    if !keep {
                        return;
                    }
                }
                event = rx.recv() => match event {
                    Ok(ev) => {
                        if ev.origin == self.id || (ev.seq > 0 && ev.seq <= replayed) {
                            continue;
                        }
                        if !self.out.send(Message::Text(ev.frame.as_ref().into())).await {
                            return;
                        }
                    }
                    Err(RecvError::Lagged(missed)) => {
                        tracing::info!(chat_id = self.chat_id, missed, "chat connection fell behind: dropped");
                        return;
                    }
                    Err(RecvError::Closed) => return,
                },
                _ = heartbeat.tick() => {
                    if !self.out.send(Message::Ping(Default::default())).await {
                        return;
                    }
                }
            }
        }
    }

    /// Sends the state and the messages after `after`; returns the last sequence number sent.
    async fn replay(&mut self, after: i64) -> Option<i64> {
        let now = app::db::now_ms();
        let state = chats::state(&self.state.db, self.chat_id, now).await.ok()?;
        if !self.out.frame(&ServerFrame::State(state)).await {
            return None;
        }
        let mut last = after;
        loop {
            let page = chats::messages_after(&self.state.db, self.chat_id, last, BACKLOG_PAGE).await.ok()?;
            let full = page.len() as i64 == BACKLOG_PAGE;
            for m in page {
                last = m.seq;
                if !self.out.frame(&ServerFrame::Message(m)).await {
                    return None;
                }
            }
            if !full {
                return Some(last);
            }
        }
    }

    async fn error(&mut self, code: ErrorCode, client_id: Option<String>) -> bool {
        self.out.frame(&ServerFrame::Error { code, client_id }).await
    }

    /// Handles one text frame; false when the connection should close.
    async fn handle(&mut self, text: &str) -> bool {
        let Ok(frame) = serde_json::from_str::<ClientFrame>(text) else {
            if !self.others.allow(app::db::now_ms()) {
                return self.error(ErrorCode::RateLimited, None).await;
            }
            return self.error(ErrorCode::Malformed, None).await;
        };
        let now = app::db::now_ms();
        match frame {
            ClientFrame::Send { client_id, body } => {
                if !self.messages.allow(now) {
                    return self.error(ErrorCode::RateLimited, Some(client_id)).await;
                }
                match service::post_message(&self.state, self.who, self.chat_id, self.id, Some(&client_id), &body).await {
                    Ok(posted) => {
                        let seq = posted.message.seq;
                        self.out.frame(&ServerFrame::Message(posted.message)).await
                            && self.out.frame(&ServerFrame::Ack { client_id, seq }).await
                    }
                    Err(e) => self.error(error_code(&e), Some(client_id)).await,
                }
            }
            ClientFrame::Typing => {
                if now.saturating_sub(self.last_typing) >= TYPING_EVERY_MS {
                    self.last_typing = now;
                    self.state.chat.publish(self.chat_id, self.id, &ServerFrame::Typing { who: self.who.author() });
                }
                true
            }
            ClientFrame::Read { seq } => {
                if !self.others.allow(now) {
                    return self.error(ErrorCode::RateLimited, None).await;
                }
                match chats::mark_read(&self.state.db, self.who.author(), self.chat_id, seq).await {
                    Ok(stored) => {
                        self.state.chat.publish(self.chat_id, self.id, &ServerFrame::Read { who: self.who.author(), seq: stored });
                        true
                    }
                    Err(e) => self.error(error_code(&e), None).await,
                }
            }
            ClientFrame::Ping => {
                if !self.others.allow(now) {
                    return self.error(ErrorCode::RateLimited, None).await;
                }
                self.out.frame(&ServerFrame::Pong).await
            }
        }
    }
}

/// The error frame for a refused message.
fn error_code(e: &AppError) -> ErrorCode {
    match e {
        AppError::Invalid(errors) => match errors.first().map(|f| &f.code) {
            Some(FieldCode::TooLong { .. }) if errors[0].field == "body" => ErrorCode::TooLong,
            Some(FieldCode::ChatEnded | FieldCode::ChatNotYours) => ErrorCode::NotAllowed,
            _ => ErrorCode::Invalid,
        },
        AppError::NotFound | AppError::Forbidden => ErrorCode::NotAllowed,
        _ => ErrorCode::Unavailable,
    }
}
