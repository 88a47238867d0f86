//! Delivery of chat frames to every connection on a chat. The chat logic talks to the `Fanout`
//! trait only, so delivery across several servers (PostgreSQL LISTEN/NOTIFY) can be added as
//! another implementation without touching it. `LocalFanout` delivers within this process over
//! one bounded tokio broadcast channel per chat: a connection that falls more than `CAPACITY`
//! frames behind is told it lagged and is dropped (its client reconnects and fetches what it
//! missed from the database), so a slow client never grows the server's memory.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use tokio::sync::broadcast;

/// Frames a connection may fall behind before it is dropped.
pub const CAPACITY: usize = 256;

/// One serialised frame for a chat. `origin` is the connection that caused it (0: the server),
/// so nothing is echoed to the connection that sent it; `seq` is the message's sequence number
/// (0 for other frames), so a connection that sent a message from its backlog skips it live.
#[derive(Debug, Clone)]
pub struct Event {
    pub origin: u64,
    pub seq: i64,
    pub frame: Arc<str>,
}

/// The `seq` of [`Event::catch_up`], below every message's.
const CATCH_UP_SEQ: i64 = -1;

impl Event {
    /// Not a frame: live delivery from the other servers was interrupted, so every connection
    /// re-reads what it may have missed (messages, the chat's state) and re-checks its access.
    pub fn catch_up() -> Event {
        Event { origin: 0, seq: CATCH_UP_SEQ, frame: Arc::from("") }
    }

    pub fn is_catch_up(&self) -> bool {
        self.seq == CATCH_UP_SEQ
    }
}

pub trait Fanout: Send + Sync + 'static {
    /// Sends `event` to every current subscriber of `chat_id` (none: nothing happens).
    fn publish(&self, chat_id: i64, event: Event);
    /// A receiver of every event published to `chat_id` from now on.
    fn subscribe(&self, chat_id: i64) -> broadcast::Receiver<Event>;
    /// Forgets the chat's channel when its last receiver has gone.
    fn release(&self, chat_id: i64);
    /// Tells the other servers (if any) of a change they must follow; this server has already
    /// acted on it.
    fn share(&self, _news: Shared) {}
    /// Whether the link to the other servers is up (`None`: there are none to link to).
    fn linked(&self) -> Option<bool> {
        None
    }
}

/// What servers sharing a database tell each other besides chat frames.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Shared {
    /// Live connections must re-check their access (see [`AccessChange`]).
    Access(AccessChange),
    /// The FAQ templates changed: rebuild the index from the database.
    FaqChanged,
}

#[derive(Default)]
pub struct LocalFanout {
    chats: Mutex<HashMap<i64, broadcast::Sender<Event>>>,
}

impl LocalFanout {
    fn chats(&self) -> std::sync::MutexGuard<'_, HashMap<i64, broadcast::Sender<Event>>> {
        // a panic while holding the lock leaves the map itself intact
        self.chats.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Chats with a channel (tests check that released chats are forgotten).
    pub fn open_chats(&self) -> usize {
        self.chats().len()
    }

    /// Tells every open chat's connections to catch up from the database (after live delivery
    /// from the other servers was interrupted); the number of chats told.
    pub fn catch_up_all(&self) -> usize {
        let mut chats = self.chats();
        chats.retain(|_, tx| tx.send(Event::catch_up()).is_ok());
        chats.len()
    }
}

impl Fanout for LocalFanout {
    fn publish(&self, chat_id: i64, event: Event) {
        let mut chats = self.chats();
        if let Some(tx) = chats.get(&chat_id) {
            if tx.send(event).is_err() {
                chats.remove(&chat_id);
            }
        }
    }

    fn subscribe(&self, chat_id: i64) -> broadcast::Receiver<Event> {
        self.chats().entry(chat_id).or_insert_with(|| broadcast::channel(CAPACITY).0).subscribe()
    }

    fn release(&self, chat_id: i64) {
        let mut chats = self.chats();
        if chats.get(&chat_id).is_some_and(|tx| tx.receiver_count() == 0) {
            chats.remove(&chat_id);
        }
    }
}

/// A change to who may do what. Every live chat connection hears every change and checks the
/// ones that concern it against the database again, so a socket follows its account the way a
/// request does: logout, disabling, a group change, a password change and a transfer close (or
/// narrow) the sockets they affect at once, not at their next handshake.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum AccessChange {
    /// The account's rights or credentials changed (disabled, groups, password, email).
    Account(i64),
    /// One session of the account ended (logout); `session` is its id.
    SessionEnded { user_id: i64, session: String },
    /// The chat moved (transfer): who may be on it changed.
    Chat(i64),
}

/// Access changes waiting for a slow connection before it must re-check everything.
const ACCESS_CAPACITY: usize = 1024;

/// Live chat connections an account may hold at once (tabs and devices together).
pub const MAX_CONNECTIONS_PER_USER: usize = 16;

/// The chat side of the server state: the fan-out, connection ids, how many chat connections
/// each account holds (an agent whose last connection closes goes offline; no account holds more
/// than `MAX_CONNECTIONS_PER_USER`), and the access changes live connections follow.
pub struct ChatHub {
    pub fanout: Arc<dyn Fanout>,
    next_connection: AtomicU64,
    agent_connections: Mutex<HashMap<i64, usize>>,
    user_connections: Mutex<HashMap<i64, usize>>,
    access: broadcast::Sender<AccessChange>,
}

/// One account's claim on a chat connection; dropping it gives the place back.
pub struct ConnectionSlot {
    hub: Arc<ChatHub>,
    user_id: i64,
}

impl Drop for ConnectionSlot {
    fn drop(&mut self) {
        let mut users = self.hub.users();
        if let Some(n) = users.get_mut(&self.user_id) {
            *n -= 1;
            if *n == 0 {
                users.remove(&self.user_id);
            }
        }
    }
}

impl Default for ChatHub {
    fn default() -> Self {
        ChatHub::new(Arc::new(LocalFanout::default()))
    }
}

impl ChatHub {
    pub fn new(fanout: Arc<dyn Fanout>) -> ChatHub {
        ChatHub {
            fanout,
            next_connection: AtomicU64::new(1),
            agent_connections: Mutex::new(HashMap::new()),
            user_connections: Mutex::new(HashMap::new()),
            access: broadcast::channel(ACCESS_CAPACITY).0,
        }
    }

    fn users(&self) -> std::sync::MutexGuard<'_, HashMap<i64, usize>> {
        self.user_connections.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// A place for one more chat connection of the account, or `None` when it holds the most.
    pub fn claim_connection(self: &Arc<Self>, user_id: i64) -> Option<ConnectionSlot> {
        let mut users = self.users();
        let n = users.entry(user_id).or_insert(0);
        if *n >= MAX_CONNECTIONS_PER_USER {
            return None;
        }
        *n += 1;
        Some(ConnectionSlot { hub: self.clone(), user_id })
    }

    /// Tells every live connection, on this server and the others, that access changed.
    pub fn access_changed(&self, change: AccessChange) {
        self.fanout.share(Shared::Access(change.clone()));
        self.access_changed_here(change);
    }

    /// Tells this server's live connections that access changed (none listening: nothing happens).
    pub fn access_changed_here(&self, change: AccessChange) {
        let _ = self.access.send(change);
    }

    /// The access changes from now on.
    pub fn access_changes(&self) -> broadcast::Receiver<AccessChange> {
        self.access.subscribe()
    }

    pub fn connection_id(&self) -> u64 {
        self.next_connection.fetch_add(1, Ordering::Relaxed)
    }

    /// Publishes a frame caused by connection `origin` (0: the server itself).
    pub fn publish(&self, chat_id: i64, origin: u64, frame: &crate::chat::protocol::ServerFrame) {
        let seq = match frame {
            crate::chat::protocol::ServerFrame::Message(m) => m.seq,
            _ => 0,
        };
        self.fanout.publish(chat_id, Event { origin, seq, frame: Arc::from(frame.to_json()) });
    }

    fn agents(&self) -> std::sync::MutexGuard<'_, HashMap<i64, usize>> {
        self.agent_connections.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Counts an agent's new connection; true when it is the agent's first.
    pub fn agent_connected(&self, user_id: i64) -> bool {
        let mut agents = self.agents();
        let n = agents.entry(user_id).or_insert(0);
        *n += 1;
        *n == 1
    }

    /// Counts a closed connection; true when it was the agent's last.
    pub fn agent_disconnected(&self, user_id: i64) -> bool {
        let mut agents = self.agents();
        match agents.get_mut(&user_id) {
            Some(n) if *n > 1 => {
                *n -= 1;
                false
            }
            Some(_) => {
                agents.remove(&user_id);
                true
            }
            None => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn events_reach_every_subscriber_of_their_chat_only() {
        let f = LocalFanout::default();
        let mut a = f.subscribe(1);
        let mut b = f.subscribe(1);
        let mut other = f.subscribe(2);
        f.publish(1, Event { origin: 7, seq: 0, frame: Arc::from("x") });
        assert_eq!(&*a.recv().await.expect("a").frame, "x");
        assert_eq!(b.recv().await.expect("b").origin, 7);
        assert!(other.try_recv().is_err());
        drop((a, b));
        f.release(1);
        assert_eq!(f.open_chats(), 1, "chat 2 still has a subscriber");
    }

    #[tokio::test]
    async fn catching_up_reaches_every_open_chat_and_forgets_abandoned_ones() {
        let f = LocalFanout::default();
        let mut a = f.subscribe(1);
        let gone = f.subscribe(2);
        drop(gone);
        assert_eq!(f.catch_up_all(), 1);
        assert!(a.recv().await.expect("a").is_catch_up());
        assert_eq!(f.open_chats(), 1, "chat 2 had no one left");
        f.publish(1, Event { origin: 0, seq: 3, frame: Arc::from("m") });
        assert!(!a.recv().await.expect("a").is_catch_up());
    }

    #[tokio::test]
    async fn a_slow_subscriber_lags_instead_of_growing_memory() {
        let f = LocalFanout::default();
        let mut slow = f.subscribe(1);
        for i in 0..(CAPACITY + 10) {
            f.publish(1, Event { origin: 0, seq: 0, frame: Arc::from(i.to_string()) });
        }
        assert!(matches!(slow.recv().await, Err(broadcast::error::RecvError::Lagged(10))));
    }

    #[test]
    fn an_account_holds_a_bounded_number_of_connections() {
        let hub = Arc::new(ChatHub::default());
        let slots: Vec<ConnectionSlot> = (0..MAX_CONNECTIONS_PER_USER).filter_map(|_| hub.claim_connection(9)).collect();
        assert_eq!(slots.len(), MAX_CONNECTIONS_PER_USER);
        assert!(hub.claim_connection(9).is_none(), "one more than the bound");
        assert!(hub.claim_connection(10).is_some(), "another account is not affected");
        drop(slots);
        assert!(hub.claim_connection(9).is_some(), "places come back when connections close");
    }

    #[tokio::test]
    async fn access_changes_reach_every_listener() {
        let hub = ChatHub::default();
        let mut a = hub.access_changes();
        let mut b = hub.access_changes();
        hub.access_changed(AccessChange::Account(4));
        assert_eq!(a.recv().await.expect("a"), AccessChange::Account(4));
        assert_eq!(b.recv().await.expect("b"), AccessChange::Account(4));
    }

    #[test]
    fn an_agent_goes_offline_with_the_last_connection() {
        let hub = ChatHub::default();
        assert!(hub.agent_connected(5));
        assert!(!hub.agent_connected(5));
        assert!(!hub.agent_disconnected(5));
        assert!(hub.agent_disconnected(5));
        assert!(!hub.agent_disconnected(5), "unknown agent: nothing to do");
    }
}
