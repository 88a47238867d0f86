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
use app::chat::fanout::AccessChange;
use app::chat::resume::Seen;
use app::chat::protocol::{ClientFrame, ErrorCode, ServerFrame, CLOSE_NOT_ALLOWED, CLOSE_SIGNED_OUT};
use app::chat::service;
use app::store::chats::{self, Participant};
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

/// What a connection must keep true: the session it was opened with, and its account's epoch.
#[derive(Debug, Clone)]
pub struct Access {
    pub user_id: i64,
    /// The session's id at the handshake ("" when the store had none).
    pub session: String,
    pub epoch: i64,
    /// When the session signed in (ms): the connection ends with the session's lifetime.
    pub since: i64,
}

/// Who the session belongs to, as a chat participant (401 without a signed-in, enabled account).
async fn participant(state: &AppState, session: &Session) -> Result<(Participant, Access), AppError> {
    let account = app::auth::guard::session_account(state, session).await?.ok_or(AppError::Unauthorized)?;
    let who = Participant::of(&account.user)?;
    let access = Access {
        user_id: account.user.id,
        session: session.id().map(|id| id.to_string()).unwrap_or_default(),
        epoch: account.epoch,
        since: account.since,
    };
    Ok((who, access))
}

/// Why a live connection must close, if it must: its session, account and right to the chat
/// checked again as at the handshake.
pub async fn recheck(state: &AppState, access: &Access, chat_id: i64) -> Option<u16> {
    let user = match app::auth::guard::still_signed_in(state, access.user_id, access.epoch, access.since).await {
        Ok(Some(user)) => user,
        Ok(None) => return Some(CLOSE_SIGNED_OUT),
        // the database did not answer: keep the connection, the next change checks again
        Err(_) => return None,
    };
    let who = match Participant::of(&user) {
        Ok(who) => who,
        Err(AppError::Internal { .. } | AppError::Unavailable) => return None,
        Err(_) => return Some(CLOSE_NOT_ALLOWED),
    };
    match chats::open_for(&state.db, who, chat_id).await {
        Ok(_) => None,
        Err(AppError::Internal { .. } | AppError::Unavailable) => None,
        Err(_) => Some(CLOSE_NOT_ALLOWED),
    }
}

pub async fn upgrade(state: AppState, ws: WebSocketUpgrade, chat_id: i64, resume: Resume, session: Session, headers: HeaderMap) -> Response {
    if is_cross_origin(&headers) {
        tracing::warn!(chat_id, "refused cross-origin chat connection");
        return (StatusCode::FORBIDDEN, "cross-origin request refused").into_response();
    }
    let (who, access) = match participant(&state, &session).await {
        Ok(found) => found,
        Err(e) => return crate::middleware::error_response(e),
    };
    if let Err(e) = chats::open_for(&state.db, who, chat_id).await {
        return crate::middleware::error_response(e);
    }
    let Some(slot) = state.chat.claim_connection(access.user_id) else {
        return crate::middleware::error_response(AppError::RateLimited { retry_after_s: 5, what: app::error::Limited::ChatConnections });
    };
    ws.max_message_size(MAX_FRAME_BYTES)
        .max_frame_size(MAX_FRAME_BYTES)
        // small per-connection buffers: 5,000 connections at the default 128 KiB read buffer
        // cost 730 MiB of RSS; frames are small, and each one is written out at once
        .read_buffer_size(READ_BUFFER_BYTES)
        .write_buffer_size(0)
        .max_write_buffer_size(MAX_WRITE_BUFFER_BYTES)
        .on_upgrade(move |socket| async move {
        let (sink, stream) = socket.split();
        run(state, who, access, chat_id, resume.after, sink, stream).await;
        drop(slot);
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
pub async fn run<S, R>(state: AppState, who: Participant, access: Access, chat_id: i64, after: i64, sink: S, stream: R)
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
            let _ = app::store::agents::set_presence_from_connections(&state.db, user, true, state.clock.now_ms()).await;
        }
    }
    let rx = state.chat.fanout.subscribe(chat_id);
    let changes = state.chat.access_changes();
    let mut conn = Connection {
        state: state.clone(),
        who,
        access,
        chat_id,
        id: state.chat.connection_id(),
        out: Outgoing { sink },
        messages: SendRate::with(state.clock.now_ms(), RATE_PER_S, RATE_BURST),
        others: SendRate::with(state.clock.now_ms(), OTHER_FRAMES_PER_S, 2.0 * OTHER_FRAMES_PER_S),
        last_typing: i64::MIN,
    };
    conn.serve(after, rx, changes, stream).await;
    state.chat.fanout.release(chat_id);
    if let Some(user) = agent {
        if state.chat.agent_disconnected(user) {
            let _ = app::store::agents::set_presence_from_connections(&state.db, user, false, state.clock.now_ms()).await;
        }
    }
}

struct Connection<S> {
    state: AppState,
    who: Participant,
    access: Access,
    chat_id: i64,
    id: u64,
    out: Outgoing<S>,
    messages: SendRate,
    others: SendRate,
    last_typing: i64,
}

impl<S: Sink<Message> + Unpin> Connection<S> {
    async fn serve<R>(
        &mut self,
        after: i64,
        mut rx: tokio::sync::broadcast::Receiver<app::chat::fanout::Event>,
        mut changes: tokio::sync::broadcast::Receiver<AccessChange>,
        mut stream: R,
    ) where
        R: Stream<Item = Result<Message, axum::Error>> + Unpin,
    {
        // subscribed first, then the backlog: nothing published in between is missed, and what
        // the backlog already carried is skipped when it arrives live (by the sequence numbers
        // this connection has sent, which also say where to catch up from)
        let mut sent = Seen::starting_after(after.max(0));
        if !self.replay(&mut sent).await {
            return;
        }
        let mut heartbeat = tokio::time::interval(HEARTBEAT);
        heartbeat.tick().await;
        // the session's absolute lifetime ends the connection too
        let left_ms = (self.access.since + self.state.session_lifetime_ms - self.state.clock.now_ms()).max(0) as u64;
        let expiry = tokio::time::sleep(Duration::from_millis(left_ms));
        tokio::pin!(expiry);
        loop {
            tokio::select! {
                change = changes.recv() => {
                    let concerned = match &change {
                        Ok(AccessChange::Account(user)) => *user == self.access.user_id,
                        Ok(AccessChange::SessionEnded { user_id, session }) => {
                            if *user_id == self.access.user_id && *session == self.access.session {
                                self.close(CLOSE_SIGNED_OUT).await;
                                return;
                            }
                            false
                        }
                        Ok(AccessChange::Chat(chat)) => *chat == self.chat_id,
                        // missed some: check everything
                        Err(RecvError::Lagged(_)) => true,
                        Err(RecvError::Closed) => false,
                    };
                    if concerned {
                        if let Some(code) = recheck(&self.state, &self.access, self.chat_id).await {
                            self.close(code).await;
                            return;
                        }
                    }
                }
                () = &mut expiry => {
                    self.close(CLOSE_SIGNED_OUT).await;
                    return;
                }
                incoming = stream.next() => {
                    let Some(Ok(msg)) = incoming else { return };
                    let keep = match msg {
                        Message::Text(text) => self.handle(text.as_str(), &mut sent).await,
                        Message::Binary(_) => self.error(ErrorCode::Malformed, None).await,
                        Message::Close(_) => false,
                        Message::Ping(_) | Message::Pong(_) => true,
                    };
                    if !keep {
                        return;
                    }
                }
                event = rx.recv() => match event {
                    Ok(ev) if ev.is_catch_up() => {
                        // live delivery from the other servers was down: what came meanwhile
                        // is in the database, and a change of access may have been missed
                        if let Some(code) = recheck(&self.state, &self.access, self.chat_id).await {
                            self.close(code).await;
                            return;
                        }
                        if !self.replay(&mut sent).await {
                            return;
                        }
                    }
                    Ok(ev) => {
                        if ev.origin == self.id || (ev.seq > 0 && !sent.insert(ev.seq)) {
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

    /// Sends the state and the messages after the last one `sent` holds without a gap that it
    /// does not hold yet; false when the connection should close.
    async fn replay(&mut self, sent: &mut Seen) -> bool {
        let now = self.state.clock.now_ms();
        let Ok(state) = chats::state(&self.state.db, self.chat_id, now).await else { return false };
        if !self.out.frame(&ServerFrame::State(state)).await {
            return false;
        }
        let mut last = sent.resume_after();
        loop {
            let Ok(page) = chats::messages_after(&self.state.db, self.chat_id, last, BACKLOG_PAGE).await else { return false };
            let full = page.len() as i64 == BACKLOG_PAGE;
            for m in page {
                last = m.seq;
                if sent.insert(m.seq) && !self.out.frame(&ServerFrame::Message(m)).await {
                    return false;
                }
            }
            if !full {
                return true;
            }
        }
    }

    /// Ends the connection with a close code that tells the client why.
    async fn close(&mut self, code: u16) {
        tracing::info!(chat_id = self.chat_id, user_id = self.access.user_id, code, "chat connection closed: access changed");
        let reason = if code == CLOSE_SIGNED_OUT { "signed out" } else { "not allowed" };
        let _ = self.out.send(Message::Close(Some(axum::extract::ws::CloseFrame { code, reason: reason.into() }))).await;
    }

    async fn error(&mut self, code: ErrorCode, client_id: Option<String>) -> bool {
        self.out.frame(&ServerFrame::Error { code, client_id }).await
    }

    /// Handles one text frame; false when the connection should close.
    async fn handle(&mut self, text: &str, sent: &mut Seen) -> bool {
        let Ok(frame) = serde_json::from_str::<ClientFrame>(text) else {
            if !self.others.allow(self.state.clock.now_ms()) {
                return self.error(ErrorCode::RateLimited, None).await;
            }
            return self.error(ErrorCode::Malformed, None).await;
        };
        let now = self.state.clock.now_ms();
        match frame {
            ClientFrame::Send { client_id, body } => {
                if !self.messages.allow(now) {
                    return self.error(ErrorCode::RateLimited, Some(client_id)).await;
                }
                match service::post_message(&self.state, self.who, self.chat_id, self.id, Some(&client_id), &body, &[]).await {
                    Ok(posted) => {
                        let seq = posted.message.seq;
                        sent.insert(seq);
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
        AppError::RateLimited { .. } => ErrorCode::RateLimited,
        _ => ErrorCode::Unavailable,
    }
}
