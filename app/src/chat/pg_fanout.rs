//! Live delivery across servers that share one PostgreSQL: PostgreSQL's `LISTEN/NOTIFY` behind the
//! same [`Fanout`] the chat logic already talks to. A frame is delivered to this server's own
//! connections at once (as [`LocalFanout`] does) and sent to the other servers as a notification
//! on one channel; each server's listener hands what the others sent to its own connections.
//!
//! - A notification carries the frame when it fits PostgreSQL's 8,000-byte payload limit (typing,
//!   receipts, most messages); a longer message goes as its chat and sequence number, and the
//!   receiving server reads the row.
//! - Access changes (logout, disabling, a transfer) and FAQ edits travel the same way.
//! - When the listener's connection drops (a PostgreSQL restart), the server reconnects with
//!   backoff (0.1 s doubling to 5 s). Its chat connections stay open (what this server's own
//!   clients write still reaches them); once the listener is back, every connection catches up
//!   in place: it re-reads from the database the messages after the last one it has sent without
//!   a gap, sends the chat's state again and re-checks its access (a logout on another server may
//!   have been missed), so nothing committed is lost and no client has to reconnect. The FAQ
//!   index is rebuilt after a reconnect (an edit may have been missed).

use super::fanout::{ChatHub, Event, Fanout, LocalFanout, Shared};
use crate::faq::index::FaqLive;
use crate::store::Db;
use serde::{Deserialize, Serialize};
use sqlx::postgres::{PgListener, PgPool};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Weak};
use std::time::Duration;
use tokio::sync::{broadcast, mpsc};

/// The one channel every server listens on.
pub const CHANNEL: &str = "cybercenter";

/// PostgreSQL refuses a payload of 8,000 bytes or more.
const MAX_PAYLOAD: usize = 7_900;

/// What one notification says, as it is read.
#[derive(Debug, Deserialize)]
struct Note {
    /// The sending server (its own notifications come back to it and are skipped).
    from: u64,
    what: What,
}

/// [`Note`] as it is written (borrowing what it says).
#[derive(Serialize)]
struct NoteOut<'a> {
    from: u64,
    what: &'a What,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
enum What {
    /// A chat frame; `frame` is `None` when it did not fit (a message: read it by `seq`). The
    /// connection that caused it is not sent: its id means nothing on another server, and none
    /// of that server's connections is it.
    Chat { chat: i64, seq: i64, frame: Option<String> },
    Shared(Shared),
}

pub struct PgFanout {
    local: LocalFanout,
    server: u64,
    outbox: mpsc::UnboundedSender<String>,
    linked: AtomicBool,
}

/// What the listener acts on: the hub's connections, the FAQ index and the database.
pub struct Links {
    pub hub: Weak<ChatHub>,
    pub faq: Arc<FaqLive>,
    pub db: Db,
}

impl PgFanout {
    /// A fan-out over `pool` (a small pool of its own: one connection listens, one notifies).
    /// Call [`PgFanout::listen`] once the hub it serves exists.
    pub fn start(pool: PgPool) -> Arc<PgFanout> {
        let (outbox, mut queued) = mpsc::unbounded_channel::<String>();
        let mut id = [0u8; 8];
        let server = match getrandom::fill(&mut id) {
            Ok(()) => u64::from_le_bytes(id),
            Err(_) => u64::from(std::process::id()) << 32 | crate::store::now_ms() as u64 & 0xffff_ffff,
        };
        // one sender, so the other servers hear this server's frames in the order it sent them
        tokio::spawn(async move {
            while let Some(payload) = queued.recv().await {
                if let Err(e) = sqlx::query("SELECT pg_notify($1, $2)").bind(CHANNEL).bind(&payload).execute(&pool).await {
                    // PostgreSQL is away: the other servers' listeners are down too and catch up
                    // from the database when they are back
                    tracing::warn!(error = %e, "notifying the other servers failed");
                }
            }
        });
        Arc::new(PgFanout { local: LocalFanout::default(), server, outbox, linked: AtomicBool::new(false) })
    }

    fn send(&self, what: What) {
        if let Some(payload) = self.payload(what) {
            let _ = self.outbox.send(payload);
        }
    }

    /// The notification for `what`, within PostgreSQL's limit: a chat frame that does not fit
    /// goes without its frame when it is a message (the receiver reads it by sequence number);
    /// anything else that does not fit is not sent.
    fn payload(&self, what: What) -> Option<String> {
        let payload = serde_json::to_string(&NoteOut { from: self.server, what: &what }).ok()?;
        if payload.len() <= MAX_PAYLOAD {
            return Some(payload);
        }
        match what {
            What::Chat { chat, seq, .. } if seq > 0 => {
                serde_json::to_string(&NoteOut { from: self.server, what: &What::Chat { chat, seq, frame: None } }).ok()
            }
            _ => {
                tracing::warn!(bytes = payload.len(), "a notification too long to send and not a message: other servers miss it");
                None
            }
        }
    }

    /// Listens for the other servers' notifications for as long as the server runs, reconnecting
    /// after a lost connection.
    pub fn listen(self: &Arc<Self>, pool: PgPool, links: Links) {
        let me = self.clone();
        tokio::spawn(async move { me.run(pool, links).await });
    }

    async fn run(self: Arc<Self>, pool: PgPool, links: Links) {
        let mut backoff = Duration::from_millis(100);
        let mut first = true;
        loop {
            if let Some(mut listener) = connect(&pool).await {
                backoff = Duration::from_millis(100);
                if !first {
                    tracing::info!("listening to the other servers again");
                    self.catch_up(&links).await;
                }
                first = false;
                // linked once every connection was told to catch up
                self.linked.store(true, Ordering::SeqCst);
                loop {
                    match listener.try_recv().await {
                        Ok(Some(n)) => self.receive(n.payload(), &links).await,
                        Ok(None) | Err(_) => break,
                    }
                }
                tracing::warn!("lost the connection that listens to the other servers; reconnecting");
                // connections miss the other servers' frames until the link is back, and then
                // catch up
                self.linked.store(false, Ordering::SeqCst);
            }
            tokio::time::sleep(backoff).await;
            backoff = (backoff * 2).min(Duration::from_secs(5));
        }
    }

    /// After the link was down: every connection catches up from the database, and the FAQ
    /// index is rebuilt.
    async fn catch_up(&self, links: &Links) {
        let chats = self.local.catch_up_all();
        tracing::info!(chats, "chat connections asked to catch up from the database");
        if let Err(e) = links.faq.rebuild(&links.db).await {
            tracing::warn!(error = %e, "rebuilding the FAQ index after a reconnect failed");
        }
    }

    async fn receive(&self, payload: &str, links: &Links) {
        let note: Note = match serde_json::from_str(payload) {
            Ok(n) => n,
            Err(e) => {
                tracing::warn!(error = %e, "a notification that is not ours");
                return;
            }
        };
        if note.from == self.server {
            return;
        }
        match note.what {
            What::Chat { chat, seq, frame } => {
                let frame = match frame {
                    Some(f) => f,
                    None => match crate::store::chats::messages_after(&links.db, chat, seq - 1, 1).await {
                        Ok(mut m) if !m.is_empty() => super::protocol::ServerFrame::Message(m.remove(0)).to_json(),
                        Ok(_) => return,
                        Err(e) => {
                            tracing::warn!(error = %e, chat, seq, "reading a message another server announced failed");
                            return;
                        }
                    },
                };
                self.local.publish(chat, Event { origin: 0, seq, frame: Arc::from(frame) });
            }
            What::Shared(Shared::Access(change)) => {
                if let Some(hub) = links.hub.upgrade() {
                    hub.access_changed_here(change);
                }
            }
            What::Shared(Shared::FaqChanged) => {
                if let Err(e) = links.faq.rebuild(&links.db).await {
                    tracing::warn!(error = %e, "rebuilding the FAQ index after another server's edit failed");
                }
            }
        }
    }
}

async fn connect(pool: &PgPool) -> Option<PgListener> {
    let mut listener = match PgListener::connect_with(pool).await {
        Ok(l) => l,
        Err(e) => {
            tracing::debug!(error = %e, "listener cannot connect yet");
            return None;
        }
    };
    match listener.listen(CHANNEL).await {
        Ok(()) => Some(listener),
        Err(e) => {
            tracing::debug!(error = %e, "LISTEN failed");
            None
        }
    }
}

impl Fanout for PgFanout {
    fn publish(&self, chat_id: i64, event: Event) {
        self.send(What::Chat { chat: chat_id, seq: event.seq, frame: Some(event.frame.to_string()) });
        self.local.publish(chat_id, event);
    }

    fn subscribe(&self, chat_id: i64) -> broadcast::Receiver<Event> {
        self.local.subscribe(chat_id)
    }

    fn release(&self, chat_id: i64) {
        self.local.release(chat_id)
    }

    fn share(&self, news: Shared) {
        self.send(What::Shared(news));
    }

    fn linked(&self) -> Option<bool> {
        Some(self.linked.load(Ordering::SeqCst))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fanout() -> PgFanout {
        PgFanout { local: LocalFanout::default(), server: u64::MAX, outbox: mpsc::unbounded_channel().0, linked: AtomicBool::new(false) }
    }

    #[test]
    fn every_notification_fits_and_a_long_message_travels_as_its_sequence_number() {
        let f = fanout();
        // quotes double when a JSON frame is escaped into the envelope: the payload is measured
        let long = format!("{{\"t\":\"message\",\"body\":{:?}}}", "\"가\"".repeat(2_000));
        let payload = f.payload(What::Chat { chat: i64::MAX, seq: 9, frame: Some(long) }).expect("sent by reference");
        assert!(payload.len() <= MAX_PAYLOAD, "{}", payload.len());
        let note: Note = serde_json::from_str(&payload).expect("json");
        assert!(matches!(note.what, What::Chat { seq: 9, frame: None, .. }), "{payload}");

        let short = f.payload(What::Chat { chat: 1, seq: 0, frame: Some("{\"t\":\"typing\"}".into()) }).expect("inline");
        assert!(matches!(serde_json::from_str::<Note>(&short).expect("json").what, What::Chat { frame: Some(_), .. }));

        let not_a_message = f.payload(What::Chat { chat: 1, seq: 0, frame: Some("x".repeat(9_000)) });
        assert!(not_a_message.is_none(), "nothing to read it back by");

        let access = f
            .payload(What::Shared(Shared::Access(super::super::fanout::AccessChange::SessionEnded { user_id: 1, session: "s".repeat(64) })))
            .expect("access");
        assert!(matches!(serde_json::from_str::<Note>(&access).expect("json").what, What::Shared(Shared::Access(_))));
    }
}
