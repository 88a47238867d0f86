//! Chat operations that change a chat and tell every connection on it: the one path for a
//! message (WebSocket and plain form alike: validated, stored, then fanned out), and the state
//! announcements after accept, transfer and end (including the new queue positions of the
//! chats still waiting in the group).

use crate::chat::protocol::ServerFrame;
use crate::store::chats::{self, Participant, Posted};
use crate::error::AppError;
use crate::state::AppState;

/// Validates, stores and fans out a message. A resend of a stored client id is not fanned out
/// again. `origin` is the sender's connection (0 for a plain form post).
pub async fn post_message(
    state: &AppState,
    who: Participant,
    chat_id: i64,
    origin: u64,
    client_id: Option<&str>,
    body: &str,
    files: &[crate::uploads::Kept],
) -> Result<Posted, AppError> {
    // files may come without words
    let body = match crate::domain::chat::validate_message(body) {
        Err(crate::error::FieldCode::Required) if !files.is_empty() => String::new(),
        checked => checked.map_err(|c| AppError::invalid("body", c))?,
    };
    // the plain form has no connection to hold a rate: it is limited per account (a WebSocket
    // has its own bucket, and an account holds a bounded number of them)
    if origin == 0 {
        if let Some(retry_after_s) = state.limits.chat_messages.check(&who.user_id().to_string(), state.clock.now_ms()) {
            return Err(AppError::RateLimited { retry_after_s, what: crate::error::Limited::ChatMessages });
        }
    }
    if let Some(cid) = client_id {
        crate::domain::chat::validate_client_id(cid).map_err(|c| AppError::invalid("client_id", c))?;
    }
    let posted = chats::post(&state.db, who, chat_id, client_id, &body, files, state.clock.now_ms()).await?;
    if !posted.duplicate {
        state.chat.publish(chat_id, origin, &ServerFrame::Message(posted.message.clone()));
    }
    Ok(posted)
}

/// Sends the chat's connections the system event `seq` (if any) and the chat's new state.
pub async fn announce(state: &AppState, chat_id: i64, seq: Option<i64>) -> Result<(), AppError> {
    if let Some(seq) = seq {
        for m in chats::messages_after(&state.db, chat_id, seq - 1, 1).await? {
            state.chat.publish(chat_id, 0, &ServerFrame::Message(m));
        }
    }
    let s = chats::state(&state.db, chat_id, state.clock.now_ms()).await?;
    state.chat.publish(chat_id, 0, &ServerFrame::State(s));
    Ok(())
}

/// Tells every chat waiting in `group_id` its new position and estimated wait.
pub async fn refresh_queue(state: &AppState, group_id: i64) -> Result<(), AppError> {
    for (chat_id, position, wait_s) in chats::waiting_positions(&state.db, group_id, state.clock.now_ms()).await? {
        let (customer_read_seq, agent_read_seq) = chats::read_seqs(&state.db, chat_id).await?;
        let s = crate::chat::protocol::ChatState {
            status: crate::model::chat::ChatStatus::Waiting,
            position: Some(position),
            wait_s: Some(wait_s),
            agent_name: None,
            customer_read_seq,
            agent_read_seq,
        };
        state.chat.publish(chat_id, 0, &ServerFrame::State(s));
    }
    Ok(())
}
