//! Live chats: starting one (routed like an inquiry of its type), messages with per-chat sequence
//! numbers and idempotent client ids, the waiting queue with positions and wait estimates,
//! accepting within the agent's chat limit, transfer, end, rating, and turning a chat into an
//! inquiry. Access: a customer sees only their own chats ("not found" otherwise); an agent the
//! chats of their groups or accepted by them; an admin all.

use super::workspace::Actor;
use super::Db;
use crate::model::chat::{Author, ChatMessage, ChatState, ChatStatus, ChatView, WaitingChat};
use crate::domain::chat as rules;
use crate::domain::queue::queue_cmp;
use crate::error::{AppError, FieldCode};
use crate::i18n::Locale;

/// Who is on a chat connection or calling a chat server function.
#[derive(Debug, Clone, Copy)]
pub enum Participant {
    Customer { user_id: i64, customer_id: i64 },
    Agent(Actor),
}

impl Participant {
    /// A signed-in user as a chat participant: customers by their customer record, agents and
    /// admins as actors.
    pub fn of(user: &crate::model::CurrentUser) -> Result<Participant, AppError> {
        use crate::domain::roles::Role;
        Ok(match user.role {
            Role::Customer => Participant::Customer { user_id: user.id, customer_id: user.customer_id.ok_or(AppError::NotFound)? },
            Role::Agent => Participant::Agent(Actor { user_id: user.id, is_admin: false }),
            Role::Admin => Participant::Agent(Actor { user_id: user.id, is_admin: true }),
        })
    }

    pub fn author(self) -> Author {
        match self {
            Participant::Customer { .. } => Author::Customer,
            Participant::Agent(_) => Author::Agent,
        }
    }

    pub fn user_id(self) -> i64 {
        match self {
            Participant::Customer { user_id, .. } => user_id,
            Participant::Agent(a) => a.user_id,
        }
    }
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ChatRow {
    pub id: i64,
    pub customer_id: i64,
    pub type_id: i64,
    pub group_id: i64,
    pub agent_user_id: Option<i64>,
    pub status: ChatStatus,
    pub last_seq: i64,
    pub created_at: i64,
    pub csat: Option<i64>,
    pub inquiry_id: Option<i64>,
}

async fn load(db: &Db, id: i64) -> Result<ChatRow, AppError> {
    sqlx::query_as(
        "SELECT id, customer_id, type_id, group_id, agent_user_id, status, last_seq, created_at, csat, inquiry_id
         FROM chats WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(db)
    .await?
    .ok_or(AppError::NotFound)
}

async fn in_group(db: &Db, user_id: i64, group_id: i64) -> Result<bool, AppError> {
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM agent_memberships WHERE agent_user_id = $1 AND group_id = $2")
        .bind(user_id)
        .bind(group_id)
        .fetch_one(db)
        .await?;
    Ok(n > 0)
}

/// The chat, if `who` may see it: the customer's own (404 otherwise); for agents, a chat of
/// their groups or accepted by them (403 otherwise); for admins, any.
pub async fn open_for(db: &Db, who: Participant, id: i64) -> Result<ChatRow, AppError> {
    let chat = load(db, id).await?;
    match who {
        Participant::Customer { customer_id, .. } if chat.customer_id == customer_id => Ok(chat),
        Participant::Customer { .. } => Err(AppError::NotFound),
        // the chat's group decides, also for the agent who accepted it: an agent taken out of the
        // group, or whose chat was transferred to a group they are not in, is off the chat
        Participant::Agent(a) if a.is_admin || in_group(db, a.user_id, chat.group_id).await? => Ok(chat),
        Participant::Agent(_) => Err(AppError::Forbidden),
    }
}

/// An active inquiry type as a new chat is routed by it.
#[derive(sqlx::FromRow)]
struct ChatTypeRow {
    id: i64,
    group_id: i64,
}

/// The routing of a new chat of type `type_code` for this customer: (type id, group).
async fn route(db: &Db, customer_id: i64, type_code: &str) -> Result<(i64, i64), AppError> {
    let ty: ChatTypeRow = sqlx::query_as("SELECT id, group_id FROM inquiry_types WHERE code = $1 AND retired = 0")
        .bind(type_code)
        .fetch_optional(db)
        .await?
        .ok_or_else(|| AppError::invalid("type_code", FieldCode::InvalidChoice))?;
    let (group, _) = super::inquiries::routed_group(db, customer_id, ty.group_id).await?;
    Ok((ty.id, group))
}

/// The customer's open chat (waiting or active), if any.
pub async fn current(db: &Db, customer_id: i64) -> Result<Option<i64>, AppError> {
    Ok(sqlx::query_scalar("SELECT id FROM chats WHERE customer_id = $1 AND status <> 'ended' ORDER BY id DESC LIMIT 1")
        .bind(customer_id)
        .fetch_optional(db)
        .await?)
}

/// Starts a chat of the given type, or returns the customer's open chat (one at a time: a second
/// tab or a double click lands in the same conversation). `first` is an optional first message.
pub async fn start(db: &Db, user_id: i64, customer_id: i64, type_code: &str, first: Option<&str>, now: i64) -> Result<(i64, i64), AppError> {
    let mut tx = super::write_tx(db).await?;
    // under the write lock: two tabs starting at once land in the same chat, and a customer with
    // an open chat is taken to it whatever type the form carried (no routing needed then)
    let open: Option<(i64, i64)> = sqlx::query_as("SELECT id, group_id FROM chats WHERE customer_id = $1 AND status <> 'ended' ORDER BY id DESC LIMIT 1")
        .bind(customer_id)
        .fetch_optional(&mut *tx)
        .await?;
    if let Some(found) = open {
        tx.rollback().await?;
        return Ok(found);
    }
    let (type_id, group) = route(db, customer_id, type_code).await?;
    super::enforce_quota(
        &mut tx,
        "SELECT COUNT(*) AS n, MIN(created_at) AS oldest FROM chats WHERE customer_id = $1 AND created_at > $2",
        customer_id,
        crate::domain::quota::CHATS,
        crate::error::Limited::NewChats,
        now,
    )
    .await?;
    let made: Result<i64, sqlx::Error> = sqlx::query_scalar(
        "INSERT INTO chats (customer_id, type_id, group_id, status, created_at, last_seq) VALUES ($1, $2, $3, 'waiting', $4, 0) RETURNING id",
    )
    .bind(customer_id)
    .bind(type_id)
    .bind(group)
    .bind(now)
    .fetch_one(&mut *tx)
    .await;
    let id = match made {
        Ok(id) => id,
        // another server started one between our check and this insert (the unique index on open
        // chats): the customer lands in that one, as a second tab of this server would
        Err(sqlx::Error::Database(e)) if e.is_unique_violation() => {
            tx.rollback().await?;
            return sqlx::query_as("SELECT id, group_id FROM chats WHERE customer_id = $1 AND status <> 'ended'")
                .bind(customer_id)
                .fetch_optional(db)
                .await?
                .ok_or(AppError::Busy { retry_after_s: 1 });
        }
        Err(e) => return Err(e.into()),
    };
    super::analytics::count_chat(&mut tx, now, type_id, 1, 0, 0).await?;
    if let Some(body) = first {
        append(&mut tx, id, Author::Customer, Some(user_id), None, body, now).await?;
    }
    tx.commit().await?;
    Ok((id, group))
}

/// Appends a message with the chat's next sequence number (the chat row is written first, so the
/// transaction holds SQLite's write lock from its first statement).
async fn append(
    tx: &mut crate::store::WriteTx,
    chat_id: i64,
    author: Author,
    user_id: Option<i64>,
    client_id: Option<&str>,
    body: &str,
    now: i64,
) -> Result<i64, AppError> {
    let seq: i64 = sqlx::query_scalar("UPDATE chats SET last_seq = last_seq + 1 WHERE id = $1 RETURNING last_seq")
        .bind(chat_id)
        .fetch_one(&mut **tx)
        .await?;
    insert_message(tx, chat_id, seq, author, user_id, client_id, body, now).await?;
    Ok(seq)
}

/// The one place chat messages are written, under a sequence number already taken from the chat.
#[allow(clippy::too_many_arguments)]
async fn insert_message(
    tx: &mut crate::store::WriteTx,
    chat_id: i64,
    seq: i64,
    author: Author,
    user_id: Option<i64>,
    client_id: Option<&str>,
    body: &str,
    now: i64,
) -> Result<i64, AppError> {
    Ok(sqlx::query_scalar(
        "INSERT INTO chat_messages (chat_id, seq, author_kind, author_user_id, client_msg_id, body, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(chat_id)
    .bind(seq)
    .bind(author.as_str())
    .bind(user_id)
    .bind(client_id)
    .bind(body)
    .bind(now)
    .fetch_one(&mut **tx)
    .await?)
}

/// A message stored before under the same client id (a resend).
#[derive(sqlx::FromRow)]
struct StoredMessage {
    seq: i64,
    body: String,
    created_at: i64,
}

/// A stored message and whether it was stored before (a resend of the same client id).
#[derive(Debug, Clone)]
pub struct Posted {
    pub message: ChatMessage,
    pub duplicate: bool,
}

/// An agent's name in a chat: the one customers see (both sides read the same messages).
const PUBLIC_NAME_SQL: &str = "COALESCE(NULLIF((SELECT a.public_name FROM agents a WHERE a.user_id = u.id), ''), u.display_name)";

async fn display_name(db: &Db, user_id: i64) -> Result<Option<String>, AppError> {
    Ok(sqlx::query_scalar(&format!("SELECT {PUBLIC_NAME_SQL} FROM users u WHERE u.id = $1")).bind(user_id).fetch_optional(db).await?)
}

/// Stores a message from a participant. Customers write while the chat waits or is active;
/// agents only in a chat they accepted. A `client_id` seen before returns the stored message
/// (nothing is written twice).
pub async fn post(db: &Db, who: Participant, chat_id: i64, client_id: Option<&str>, body: &str, files: &[crate::uploads::Kept], now: i64) -> Result<Posted, AppError> {
    let user_id = who.user_id();
    // the write comes first: the chat row must still accept messages from this participant (its
    // customer while it is open, its agent while it is active); that implies the right to the
    // chat, so the access check runs only to explain a refusal
    let (customer_id, is_admin) = match who {
        Participant::Customer { customer_id, .. } => (Some(customer_id), false),
        Participant::Agent(a) => (None, a.is_admin),
    };
    let mut tx = super::write_tx(db).await?;
    // an agent writes while the chat is theirs and in one of their groups (taken out of the
    // group, they are off the chat at once, also before anyone re-queues it)
    let writer_ok: Option<i64> = sqlx::query_scalar(
        "UPDATE chats SET last_seq = last_seq + 1
          WHERE id = $1 AND status <> 'ended'
            AND (customer_id = $2
                 OR (status = 'active' AND agent_user_id = $3 AND $2 IS NULL
                     AND ($4 = 1 OR EXISTS (SELECT 1 FROM agent_memberships m WHERE m.agent_user_id = $3 AND m.group_id = chats.group_id))))
          RETURNING last_seq",
    )
    .bind(chat_id)
    .bind(customer_id)
    .bind(user_id)
    .bind(is_admin as i64)
    .fetch_optional(&mut *tx)
    .await?;
    let Some(seq) = writer_ok else {
        tx.rollback().await?;
        let chat = open_for(db, who, chat_id).await?;
        return Err(if chat.status == ChatStatus::Ended {
            AppError::invalid("body", FieldCode::ChatEnded)
        } else {
            AppError::invalid("body", FieldCode::ChatNotYours)
        });
    };
    if let Some(cid) = client_id {
        let earlier: Option<StoredMessage> = sqlx::query_as(
            "SELECT seq, body, created_at FROM chat_messages WHERE chat_id = $1 AND author_user_id = $2 AND client_msg_id = $3",
        )
        .bind(chat_id)
        .bind(user_id)
        .bind(cid)
        .fetch_optional(&mut *tx)
        .await?;
        if let Some(r) = earlier {
            tx.rollback().await?;
            let message = ChatMessage {
                seq: r.seq,
                author: who.author(),
                author_name: author_name(db, who).await?,
                client_id: Some(cid.to_string()),
                body: r.body,
                at: r.created_at,
                files: super::attachments::of_chat(db, chat_id, r.seq - 1).await?.remove(&r.seq).unwrap_or_default(),
            };
            return Ok(Posted { message, duplicate: true });
        }
    }
    let message_id = insert_message(&mut tx, chat_id, seq, who.author(), Some(user_id), client_id, body, now).await?;
    let files = super::attachments::add_to_chat(&mut tx, chat_id, message_id, files, now).await?;
    tx.commit().await?;
    let message = ChatMessage {
        seq,
        author: who.author(),
        author_name: author_name(db, who).await?,
        client_id: client_id.map(str::to_string),
        body: body.to_string(),
        at: now,
        files,
    };
    Ok(Posted { message, duplicate: false })
}

async fn author_name(db: &Db, who: Participant) -> Result<Option<String>, AppError> {
    match who {
        Participant::Agent(a) => display_name(db, a.user_id).await,
        Participant::Customer { .. } => Ok(None),
    }
}

/// A transcript message as stored, with its author's display name.
#[derive(sqlx::FromRow)]
struct MessageRow {
    seq: i64,
    author_kind: String,
    author_name: Option<String>,
    client_msg_id: Option<String>,
    body: String,
    created_at: i64,
}

impl From<MessageRow> for ChatMessage {
    fn from(r: MessageRow) -> ChatMessage {
        let author = Author::parse(&r.author_kind);
        ChatMessage {
            seq: r.seq,
            author,
            // only agents are named in a transcript
            author_name: if author == Author::Agent { r.author_name } else { None },
            client_id: r.client_msg_id,
            body: r.body,
            at: r.created_at,
            files: Vec::new(),
        }
    }
}

/// Messages with a sequence number above `after`, in order (at most `limit`).
pub async fn messages_after(db: &Db, chat_id: i64, after: i64, limit: i64) -> Result<Vec<ChatMessage>, AppError> {
    let rows: Vec<MessageRow> = sqlx::query_as(
        &format!(
            "SELECT m.seq, m.author_kind, {PUBLIC_NAME_SQL} AS author_name, m.client_msg_id, m.body, m.created_at
               FROM chat_messages m LEFT JOIN users u ON u.id = m.author_user_id
              WHERE m.chat_id = $1 AND m.seq > $2 ORDER BY m.seq LIMIT $3"
        ),
    )
    .bind(chat_id)
    .bind(after)
    .bind(limit)
    .fetch_all(db)
    .await?;
    let mut files = super::attachments::of_chat(db, chat_id, after).await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let mut m = ChatMessage::from(r);
            m.files = files.remove(&m.seq).unwrap_or_default();
            m
        })
        .collect())
}

/// Records that `who` has read up to `seq` (never moves backwards). Returns the stored value.
pub async fn mark_read(db: &Db, who: Author, chat_id: i64, seq: i64) -> Result<i64, AppError> {
    let column = match who {
        Author::Customer => "customer_read_seq",
        _ => "agent_read_seq",
    };
    let stored: Option<i64> = sqlx::query_scalar(&format!(
        "UPDATE chats SET {column} = CASE WHEN $2 > {column} AND $2 <= last_seq THEN $2 ELSE {column} END WHERE id = $1 RETURNING {column}"
    ))
    .bind(chat_id)
    .bind(seq)
    .fetch_optional(db)
    .await?;
    stored.ok_or(AppError::NotFound)
}

/// How far each side has read: (customer, agent).
pub async fn read_seqs(db: &Db, chat_id: i64) -> Result<(i64, i64), AppError> {
    Ok(sqlx::query_as("SELECT customer_read_seq, agent_read_seq FROM chats WHERE id = $1").bind(chat_id).fetch_one(db).await?)
}

/// The average handling time of the group's chats ended in the last 7 days, in seconds.
async fn recent_aht_s(db: &Db, group_id: i64, now: i64) -> Result<f64, AppError> {
    let avg: Option<f64> = sqlx::query_scalar(
        "SELECT AVG(CAST(ended_at - accepted_at AS DOUBLE PRECISION)) FROM chats
          WHERE group_id = $1 AND status = 'ended' AND accepted_at IS NOT NULL AND ended_at >= $2",
    )
    .bind(group_id)
    .bind(now - 7 * 24 * 3_600_000)
    .fetch_one(db)
    .await?;
    Ok(avg.map(|ms| ms / 1000.0).filter(|s| *s > 0.0).unwrap_or(rules::DEFAULT_AHT_S))
}

/// Chat slots of the group's online agents (the sum of their chat limits).
async fn online_slots(db: &Db, group_id: i64) -> Result<i64, AppError> {
    Ok(sqlx::query_scalar(
        "SELECT COALESCE(CAST(SUM(a.chat_limit) AS BIGINT), 0) FROM agents a
           JOIN agent_memberships m ON m.agent_user_id = a.user_id JOIN users u ON u.id = a.user_id
          WHERE m.group_id = $1 AND a.presence = 'online' AND u.disabled = 0",
    )
    .bind(group_id)
    .fetch_one(db)
    .await?)
}

/// Queue position and estimated wait of every waiting chat of the group: (chat id, position, wait s).
pub async fn waiting_positions(db: &Db, group_id: i64, now: i64) -> Result<Vec<(i64, i64, i64)>, AppError> {
    let rows: Vec<(i64, crate::model::Grade, i64)> = sqlx::query_as(
        "SELECT ch.id, c.grade, ch.created_at FROM chats ch JOIN customers c ON c.id = ch.customer_id
          WHERE ch.status = 'waiting' AND ch.group_id = $1",
    )
    .bind(group_id)
    .fetch_all(db)
    .await?;
    let mut keys: Vec<_> = rows.iter().map(|(id, grade, at)| rules::waiting_key(*grade, *at, *id)).collect();
    keys.sort_by(queue_cmp);
    let aht = recent_aht_s(db, group_id, now).await?;
    let slots = online_slots(db, group_id).await?;
    Ok(keys.iter().enumerate().map(|(i, k)| (k.id, i as i64 + 1, rules::estimated_wait_s(i + 1, aht, slots))).collect())
}

/// A chat's state as stored, with its agent's display name.
#[derive(sqlx::FromRow)]
struct StateRow {
    status: ChatStatus,
    group_id: i64,
    customer_read_seq: i64,
    agent_read_seq: i64,
    agent_name: Option<String>,
}

/// Where the chat stands now.
pub async fn state(db: &Db, chat_id: i64, now: i64) -> Result<ChatState, AppError> {
    let r: StateRow = sqlx::query_as(
        &format!(
            "SELECT ch.status, ch.group_id, ch.customer_read_seq, ch.agent_read_seq, {PUBLIC_NAME_SQL} AS agent_name
               FROM chats ch LEFT JOIN users u ON u.id = ch.agent_user_id WHERE ch.id = $1"
        ),
    )
    .bind(chat_id)
    .fetch_optional(db)
    .await?
    .ok_or(AppError::NotFound)?;
    let status = r.status;
    let (mut position, mut wait_s) = (None, None);
    if status == ChatStatus::Waiting {
        if let Some((_, p, w)) = waiting_positions(db, r.group_id, now).await?.into_iter().find(|(id, _, _)| *id == chat_id) {
            position = Some(p);
            wait_s = Some(w);
        }
    }
    Ok(ChatState {
        agent_name: if status == ChatStatus::Waiting { None } else { r.agent_name },
        status,
        position,
        wait_s,
        customer_read_seq: r.customer_read_seq,
        agent_read_seq: r.agent_read_seq,
    })
}

/// A system event in the transcript ("accepted", "transferred", "ended"), in the same
/// transaction as the change it records.
pub(super) async fn system_event(tx: &mut crate::store::WriteTx, chat_id: i64, event: &str, now: i64) -> Result<i64, AppError> {
    append(tx, chat_id, Author::System, None, None, event, now).await
}

/// An agent accepts a waiting chat of their groups, within their chat limit (default 3). The
/// check and the claim are one statement, so two agents never get the same chat and an agent
/// never exceeds the limit.
/// Returns the sequence number of the "accepted" event.
pub async fn accept(db: &Db, actor: Actor, chat_id: i64, now: i64) -> Result<i64, AppError> {
    let chat = open_for(db, Participant::Agent(actor), chat_id).await?;
    let mut tx = super::write_tx(db).await?;
    // the count of the agent's active chats and the claim, one accept of this agent at a time (two
    // chats accepted at once on two servers would otherwise both see room under the limit)
    tx.lock(super::Lock::Account(actor.user_id)).await?;
    let claimed: Option<i64> = sqlx::query_scalar(
        "UPDATE chats SET status = 'active', agent_user_id = $2, accepted_at = $3
          WHERE id = $1 AND status = 'waiting'
            AND (SELECT COUNT(*) FROM chats WHERE agent_user_id = $2 AND status = 'active')
                < COALESCE((SELECT chat_limit FROM agents WHERE user_id = $2), $4)
          RETURNING id",
    )
    .bind(chat_id)
    .bind(actor.user_id)
    .bind(now)
    .bind(rules::DEFAULT_CHAT_LIMIT)
    .fetch_optional(&mut *tx)
    .await?;
    if claimed.is_none() {
        tx.rollback().await?;
        if chat.status != ChatStatus::Waiting {
            return Err(AppError::invalid("chat", if chat.status == ChatStatus::Ended { FieldCode::ChatEnded } else { FieldCode::AlreadyTaken }));
        }
        let limit: Option<i64> = sqlx::query_scalar("SELECT chat_limit FROM agents WHERE user_id = $1").bind(actor.user_id).fetch_optional(db).await?;
        return Err(AppError::invalid("chat", FieldCode::ChatLimitReached { limit: limit.unwrap_or(rules::DEFAULT_CHAT_LIMIT) }));
    }
    let seq = system_event(&mut tx, chat_id, "accepted", now).await?;
    tx.commit().await?;
    Ok(seq)
}

/// Who may end or hand on a chat: the customer (end only), the agent who accepted it, an admin.
fn may_manage(who: Participant, chat: &ChatRow) -> bool {
    match who {
        Participant::Customer { customer_id, .. } => chat.customer_id == customer_id,
        Participant::Agent(a) => a.is_admin || chat.agent_user_id == Some(a.user_id),
    }
}

/// Ends the chat (customer, its agent, or an admin). Ending an ended chat changes nothing.
/// Returns the chat as it was and the sequence number of the "ended" event.
pub async fn end(db: &Db, who: Participant, chat_id: i64, now: i64) -> Result<(ChatRow, Option<i64>), AppError> {
    let chat = open_for(db, who, chat_id).await?;
    if !may_manage(who, &chat) {
        return Err(AppError::invalid("chat", FieldCode::ChatNotYours));
    }
    let mut tx = super::write_tx(db).await?;
    let ended: Option<(i64, i64, Option<i64>)> =
        sqlx::query_as("UPDATE chats SET status = 'ended', ended_at = $2 WHERE id = $1 AND status <> 'ended' RETURNING created_at, type_id, accepted_at")
            .bind(chat_id)
            .bind(now)
            .fetch_optional(&mut *tx)
            .await?;
    let seq = match ended {
        Some((created_at, type_id, accepted_at)) => {
            // an agent's chat counts its handling time (accepted → ended) for the chat AHT
            if let Some(accepted) = accepted_at {
                super::analytics::count_chat(&mut tx, created_at, type_id, 0, 1, now - accepted).await?;
            }
            Some(system_event(&mut tx, chat_id, "ended", now).await?)
        }
        None => None,
    };
    tx.commit().await?;
    Ok((chat, seq))
}

/// Hands the chat to another group's queue (its agent or an admin). Returns the old group, the
/// new group and the sequence number of the "transferred" event.
pub async fn transfer(db: &Db, actor: Actor, chat_id: i64, group_code: &str, now: i64) -> Result<(i64, i64, i64), AppError> {
    let chat = open_for(db, Participant::Agent(actor), chat_id).await?;
    if !may_manage(Participant::Agent(actor), &chat) {
        return Err(AppError::invalid("group_code", FieldCode::ChatNotYours));
    }
    let group: i64 = sqlx::query_scalar("SELECT id FROM agent_groups WHERE code = $1")
        .bind(group_code)
        .fetch_optional(db)
        .await?
        .ok_or_else(|| AppError::invalid("group_code", FieldCode::InvalidChoice))?;
    let mut tx = super::write_tx(db).await?;
    let moved = sqlx::query(
        "UPDATE chats SET group_id = $2, status = 'waiting', agent_user_id = NULL, accepted_at = NULL WHERE id = $1 AND status <> 'ended'",
    )
    .bind(chat_id)
    .bind(group)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if moved == 0 {
        tx.rollback().await?;
        return Err(AppError::invalid("group_code", FieldCode::ChatEnded));
    }
    let seq = system_event(&mut tx, chat_id, "transferred", now).await?;
    tx.commit().await?;
    Ok((chat.group_id, group, seq))
}

/// The customer's rating of an ended chat, once.
pub async fn rate(db: &Db, customer_id: i64, chat_id: i64, csat: i64) -> Result<(), AppError> {
    let chat = load(db, chat_id).await?;
    if chat.customer_id != customer_id {
        return Err(AppError::NotFound);
    }
    if chat.status != ChatStatus::Ended {
        return Err(AppError::invalid("csat", FieldCode::InvalidChoice));
    }
    let mut tx = super::write_tx(db).await?;
    let rated = sqlx::query("UPDATE chats SET csat = $2 WHERE id = $1 AND csat IS NULL").bind(chat_id).bind(csat).execute(&mut *tx).await?.rows_affected();
    if rated == 0 {
        return Err(AppError::invalid("csat", FieldCode::AlreadyRated));
    }
    super::service_metrics::add(&mut tx, &super::service_metrics::chat_rating(chat.created_at, chat.type_id, csat), 1).await?;
    tx.commit().await?;
    Ok(())
}

/// Turns the chat into an inquiry for follow-up (channel "chat", assigned to the agent, the
/// transcript as its first message), once: a second call returns the same inquiry.
pub async fn to_inquiry(db: &Db, actor: Actor, chat_id: i64, now: i64) -> Result<i64, AppError> {
    let chat = open_for(db, Participant::Agent(actor), chat_id).await?;
    if let Some(id) = chat.inquiry_id {
        return Ok(id);
    }
    if !may_manage(Participant::Agent(actor), &chat) {
        return Err(AppError::invalid("chat", FieldCode::ChatNotYours));
    }
    let messages = messages_after(db, chat_id, 0, 10_000).await?;
    let first = messages.iter().find(|m| m.author == Author::Customer).map(|m| m.body.clone());
    let subject: String = match first {
        Some(f) => f.chars().take(crate::domain::inquiry::SUBJECT_MAX_CHARS.min(80)).collect(),
        None => format!("Chat #{chat_id}"),
    };
    let transcript = transcript_text(&messages);
    let (target_s, grade): (i64, crate::model::Grade) = sqlx::query_as(
        "SELECT t.first_response_target_s, c.grade FROM inquiry_types t, customers c WHERE t.id = $1 AND c.id = $2",
    )
    .bind(chat.type_id)
    .bind(chat.customer_id)
    .fetch_one(db)
    .await?;
    let mut tx = super::write_tx(db).await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO inquiries (customer_id, type_id, subject, status, priority, channel, group_id, assigned_agent_id,
                                created_at, updated_at, sla_due_at, first_response_at)
         VALUES ($1, $2, $3, 'open', $4, 'chat', $5, $6, $7, $7, $8, $7) RETURNING id",
    )
    .bind(chat.customer_id)
    .bind(chat.type_id)
    .bind(&subject)
    .bind(grade.priority())
    .bind(chat.group_id)
    .bind(actor.user_id)
    .bind(now)
    .bind(crate::domain::routing::sla_due(now, target_s))
    .fetch_one(&mut *tx)
    .await?;
    let body: String = transcript.chars().take(crate::domain::inquiry::BODY_MAX_CHARS).collect();
    let m = super::inquiries::NewMessage { kind: "customer", author: None, body: &body, internal: false, template_id: None };
    super::inquiries::insert_message(&mut tx, id, m, now).await?;
    super::analytics::count(&mut tx, now, chat.type_id, "chat", super::analytics::Counts::of(false, false)).await?;
    // the customer was answered in the chat: the follow-up starts answered, never "past target"
    super::service_metrics::restate(&mut tx, id, None).await?;
    let linked = sqlx::query("UPDATE chats SET inquiry_id = $2 WHERE id = $1 AND inquiry_id IS NULL")
        .bind(chat_id)
        .bind(id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    if linked == 0 {
        // a concurrent call linked another inquiry first: keep that one
        tx.rollback().await?;
        return load(db, chat_id).await?.inquiry_id.ok_or(AppError::NotFound);
    }
    tx.commit().await?;
    Ok(id)
}

/// The transcript as plain text, one line per message (system events by their code).
pub fn transcript_text(messages: &[ChatMessage]) -> String {
    messages
        .iter()
        .map(|m| match m.author {
            Author::Customer => format!("[customer] {}", m.body),
            Author::Agent => format!("[{}] {}", m.author_name.as_deref().unwrap_or("agent"), m.body),
            Author::System => format!("[system] {}", m.body),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// A chat as its page shows it: facts, state and the whole transcript.
pub async fn view(db: &Db, who: Participant, chat_id: i64, locale: Locale, now: i64) -> Result<ChatView, AppError> {
    let chat = open_for(db, who, chat_id).await?;
    let (type_name_ko, type_name_en): (String, String) =
        sqlx::query_as("SELECT name_ko, name_en FROM inquiry_types WHERE id = $1").bind(chat.type_id).fetch_one(db).await?;
    let type_name = locale.pick(type_name_ko, type_name_en);
    let messages = messages_after(db, chat_id, 0, 10_000).await?;
    let may_write = match who {
        Participant::Customer { .. } => chat.status != ChatStatus::Ended,
        Participant::Agent(a) => chat.status == ChatStatus::Active && chat.agent_user_id == Some(a.user_id),
    };
    Ok(ChatView {
        id: chat.id,
        type_name,
        status: chat.status,
        created_at: chat.created_at,
        csat: chat.csat,
        inquiry_id: chat.inquiry_id,
        state: state(db, chat_id, now).await?,
        last_seq: messages.last().map(|m| m.seq).unwrap_or(0),
        messages,
        may_write,
    })
}

/// The customer's latest ended chat that still waits for a rating (within a day of ending).
pub async fn unrated(db: &Db, customer_id: i64, now: i64) -> Result<Option<i64>, AppError> {
    Ok(sqlx::query_scalar(
        "SELECT id FROM chats WHERE customer_id = $1 AND status = 'ended' AND csat IS NULL AND ended_at >= $2 ORDER BY id DESC LIMIT 1",
    )
    .bind(customer_id)
    .bind(now - 24 * 3_600_000)
    .fetch_optional(db)
    .await?)
}

/// A waiting chat as stored, its type's and group's names in both languages.
#[derive(sqlx::FromRow)]
struct WaitingRow {
    id: i64,
    customer_name: String,
    grade: crate::model::Grade,
    #[sqlx(flatten)]
    type_name: super::TypeName,
    #[sqlx(flatten)]
    group_name: super::GroupName,
    created_at: i64,
    first_message: Option<String>,
}

impl WaitingRow {
    fn into_waiting(self, locale: Locale, now: i64) -> WaitingChat {
        WaitingChat {
            id: self.id,
            customer_name: self.customer_name,
            grade: self.grade,
            type_name: self.type_name.in_locale(locale),
            group_name: self.group_name.in_locale(locale),
            created_at: self.created_at,
            first_message: self.first_message,
            waited_s: (now - self.created_at).max(0) / 1000,
        }
    }
}

/// Waiting chats of the actor's groups in queue order (grade, then age), and the actor's active chats.
pub async fn desk(db: &Db, actor: Actor, locale: Locale, now: i64) -> Result<(Vec<WaitingChat>, Vec<i64>), AppError> {
    let rows: Vec<WaitingRow> = sqlx::query_as(
        "SELECT ch.id, c.name AS customer_name, c.grade, t.name_ko AS type_name_ko, t.name_en AS type_name_en,
                g.name_ko AS group_name_ko, g.name_en AS group_name_en, ch.created_at,
                (SELECT m.body FROM chat_messages m WHERE m.chat_id = ch.id AND m.author_kind = 'customer' ORDER BY m.seq LIMIT 1) AS first_message
           FROM chats ch JOIN customers c ON c.id = ch.customer_id JOIN inquiry_types t ON t.id = ch.type_id
           JOIN agent_groups g ON g.id = ch.group_id
          WHERE ch.status = 'waiting' AND ($2 = 1 OR ch.group_id IN (SELECT group_id FROM agent_memberships WHERE agent_user_id = $1))",
    )
    .bind(actor.user_id)
    .bind(actor.is_admin as i64)
    .fetch_all(db)
    .await?;
    let mut waiting: Vec<WaitingChat> = rows.into_iter().map(|r| r.into_waiting(locale, now)).collect();
    waiting.sort_by(|a, b| queue_cmp(&rules::waiting_key(a.grade, a.created_at, a.id), &rules::waiting_key(b.grade, b.created_at, b.id)));
    let active: Vec<i64> = sqlx::query_scalar("SELECT id FROM chats WHERE agent_user_id = $1 AND status = 'active' ORDER BY accepted_at, id")
        .bind(actor.user_id)
        .fetch_all(db)
        .await?;
    Ok((waiting, active))
}

/// The customer whose chat this is (for the agent's 360° panel).
pub async fn customer_of(db: &Db, chat_id: i64) -> Result<i64, AppError> {
    Ok(load(db, chat_id).await?.customer_id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transcripts_name_each_side() {
        let m = |seq, author, name: Option<&str>, body: &str| ChatMessage {
            seq,
            author,
            author_name: name.map(str::to_string),
            client_id: None,
            body: body.into(),
            at: 0,
            files: Vec::new(),
        };
        let text = transcript_text(&[m(1, Author::Customer, None, "배송이 늦어요"), m(2, Author::System, None, "accepted"), m(3, Author::Agent, Some("김상담"), "확인하겠습니다")]);
        assert_eq!(text, "[customer] 배송이 늦어요\n[system] accepted\n[김상담] 확인하겠습니다");
    }
}
