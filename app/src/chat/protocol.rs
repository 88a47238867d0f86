//! The chat wire protocol: JSON text frames over the WebSocket `/ws/chats/{id}?after={seq}`,
//! one connection per chat and participant. The server first sends the chat's state and every
//! message after `after` (so a reconnect fetches exactly what it missed), then live frames.

use serde::{Deserialize, Serialize};

/// What a browser (or the load client) sends.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "t", rename_all = "snake_case")]
pub enum ClientFrame {
    /// A message. `client_id` makes a resend after a reconnect idempotent.
    Send { client_id: String, body: String },
    /// The sender is typing (sent at most every few seconds).
    Typing,
    /// Everything up to `seq` has been shown to the reader.
    Read { seq: i64 },
    Ping,
}

pub use crate::model::chat::{Author, ChatMessage, ChatState, ChatStatus};

/// Close code for a connection whose session ended (logout, a password change elsewhere, a
/// disabled account, the session's lifetime): the client may try once more with the cookie it
/// has now.
pub const CLOSE_SIGNED_OUT: u16 = 4401;
/// Close code for a connection whose account may no longer be on the chat (its group changed,
/// the chat was transferred).
pub const CLOSE_NOT_ALLOWED: u16 = 4403;

/// Why a frame was refused. The connection stays open for every one of these.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// Not JSON, or not a frame this protocol knows.
    Malformed,
    /// Empty, or control characters.
    Invalid,
    /// Over 2,000 characters.
    TooLong,
    /// More messages per second than allowed: wait a moment.
    RateLimited,
    /// The chat has ended, or the agent may not write in it (not yet accepted).
    NotAllowed,
    /// The server could not store the message: send it again (same client id).
    Unavailable,
}

/// What the server sends.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "t", rename_all = "snake_case")]
pub enum ServerFrame {
    Message(ChatMessage),
    /// The sender's message `client_id` is stored as `seq` (also sent for a duplicate resend).
    Ack { client_id: String, seq: i64 },
    Typing { who: Author },
    Read { who: Author, seq: i64 },
    State(ChatState),
    Error { code: ErrorCode, client_id: Option<String> },
    Pong,
}

impl ServerFrame {
    pub fn to_json(&self) -> String {
        // the frames are plain data: serialising them cannot fail
        serde_json::to_string(self).unwrap_or_else(|_| String::from("{\"t\":\"error\",\"code\":\"unavailable\",\"client_id\":null}"))
    }
}

/// Every field any server frame has, flat: decoding into one plain struct keeps the browser's
/// WASM small (an internally tagged enum is decoded through serde's buffering `Content`, which
/// cost several KB per frame type).
#[derive(Deserialize)]
struct WireFrame {
    t: String,
    #[serde(default)]
    seq: i64,
    #[serde(default)]
    author: Option<Author>,
    #[serde(default)]
    author_name: Option<String>,
    #[serde(default)]
    client_id: Option<String>,
    #[serde(default)]
    body: String,
    #[serde(default)]
    at: i64,
    #[serde(default)]
    who: Option<Author>,
    #[serde(default)]
    status: Option<ChatStatus>,
    #[serde(default)]
    position: Option<i64>,
    #[serde(default)]
    wait_s: Option<i64>,
    #[serde(default)]
    agent_name: Option<String>,
    #[serde(default)]
    customer_read_seq: i64,
    #[serde(default)]
    agent_read_seq: i64,
    #[serde(default)]
    code: Option<ErrorCode>,
    #[serde(default)]
    files: Vec<crate::model::chat::ChatFile>,
}

/// Decodes a server frame the way the browser does; `None` for anything that is not one.
pub fn decode_server_frame(text: &str) -> Option<ServerFrame> {
    let w: WireFrame = serde_json::from_str(text).ok()?;
    Some(match w.t.as_str() {
        "message" => ServerFrame::Message(ChatMessage {
            seq: w.seq,
            author: w.author?,
            author_name: w.author_name,
            client_id: w.client_id,
            body: w.body,
            at: w.at,
            files: w.files,
        }),
        "ack" => ServerFrame::Ack { client_id: w.client_id?, seq: w.seq },
        "typing" => ServerFrame::Typing { who: w.who? },
        "read" => ServerFrame::Read { who: w.who?, seq: w.seq },
        "state" => ServerFrame::State(ChatState {
            status: w.status?,
            position: w.position,
            wait_s: w.wait_s,
            agent_name: w.agent_name,
            customer_read_seq: w.customer_read_seq,
            agent_read_seq: w.agent_read_seq,
        }),
        "error" => ServerFrame::Error { code: w.code?, client_id: w.client_id },
        "pong" => ServerFrame::Pong,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_flat_decoder_reads_every_frame_the_server_writes() {
        let frames = [
            ServerFrame::Message(ChatMessage { seq: 3, author: Author::Customer, author_name: None, client_id: Some("c-1".into()), body: "배송".into(), at: 9, files: vec![crate::model::chat::ChatFile { id: 4, name: "a.png".into(), size: 10, image: true }] }),
            ServerFrame::Message(ChatMessage { seq: 4, author: Author::System, author_name: None, client_id: None, body: "accepted".into(), at: 10, files: Vec::new() }),
            ServerFrame::Ack { client_id: "c-1".into(), seq: 3 },
            ServerFrame::Typing { who: Author::Agent },
            ServerFrame::Read { who: Author::Customer, seq: 4 },
            ServerFrame::State(ChatState { status: ChatStatus::Waiting, position: Some(2), wait_s: Some(150), agent_name: None, customer_read_seq: 1, agent_read_seq: 0 }),
            ServerFrame::State(ChatState { status: ChatStatus::Active, position: None, wait_s: None, agent_name: Some("김".into()), customer_read_seq: 4, agent_read_seq: 3 }),
            ServerFrame::Error { code: ErrorCode::RateLimited, client_id: Some("c-2".into()) },
            ServerFrame::Error { code: ErrorCode::Malformed, client_id: None },
            ServerFrame::Pong,
        ];
        for f in frames {
            assert_eq!(decode_server_frame(&f.to_json()), Some(f.clone()), "{f:?}");
        }
        assert_eq!(decode_server_frame(r#"{"t":"shout"}"#), None);
        assert_eq!(decode_server_frame(r#"{"t":"ack","seq":1}"#), None, "an ack without its client id");
        assert_eq!(decode_server_frame("not json"), None);
    }

    #[test]
    fn frames_have_a_stable_json_shape() {
        let f: ClientFrame = serde_json::from_str(r#"{"t":"send","client_id":"c1","body":"안녕하세요"}"#).expect("send frame");
        assert_eq!(f, ClientFrame::Send { client_id: "c1".into(), body: "안녕하세요".into() });
        assert_eq!(serde_json::from_str::<ClientFrame>(r#"{"t":"read","seq":4}"#).ok(), Some(ClientFrame::Read { seq: 4 }));
        assert!(serde_json::from_str::<ClientFrame>(r#"{"t":"shout"}"#).is_err());
        assert!(serde_json::from_str::<ClientFrame>("not json").is_err());
        let ack = ServerFrame::Ack { client_id: "c1".into(), seq: 7 }.to_json();
        assert_eq!(ack, r#"{"t":"ack","client_id":"c1","seq":7}"#);
        let err = ServerFrame::Error { code: ErrorCode::TooLong, client_id: None }.to_json();
        assert_eq!(err, r#"{"t":"error","code":"too_long","client_id":null}"#);
        let m = ServerFrame::Message(ChatMessage { seq: 1, author: Author::Agent, author_name: Some("A".into()), client_id: None, body: "hi".into(), at: 5, files: Vec::new() });
        assert_eq!(serde_json::from_str::<ServerFrame>(&m.to_json()).ok(), Some(m));
    }
}
