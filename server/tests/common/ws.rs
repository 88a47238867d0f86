//! WebSocket helpers for tests of the chat endpoint: handshakes with a cookie and an Origin, and
//! reading frames with a deadline.

#![allow(dead_code)]

use super::TestServer;
use futures_util::{SinkExt, StreamExt};
use serde_json::{json, Value};
use std::time::Duration;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::Message;

pub type Ws = tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

pub fn json_of(body: &str) -> Value {
    serde_json::from_str(body).unwrap_or_else(|e| panic!("not JSON ({e}): {body}"))
}

pub fn request(srv: &TestServer, chat: i64, after: i64, cookie: Option<&str>, origin: Option<&str>) -> tokio_tungstenite::tungstenite::handshake::client::Request {
    let mut req = format!("ws://{}/ws/chats/{chat}?after={after}", srv.addr).into_client_request().expect("request");
    if let Some(c) = cookie {
        req.headers_mut().insert("cookie", c.parse().expect("cookie header"));
    }
    if let Some(o) = origin {
        req.headers_mut().insert("origin", o.parse().expect("origin header"));
    }
    req
}

pub async fn connect(srv: &TestServer, chat: i64, after: i64, cookie: &str) -> Ws {
    let (ws, _) = tokio_tungstenite::connect_async(request(srv, chat, after, Some(cookie), Some(&srv.base))).await.expect("websocket connects");
    ws
}

/// The HTTP status a refused handshake got.
pub async fn refused(srv: &TestServer, chat: i64, cookie: Option<&str>, origin: Option<&str>) -> u16 {
    match tokio_tungstenite::connect_async(request(srv, chat, 0, cookie, origin)).await {
        Ok(_) => panic!("the handshake should have been refused"),
        Err(tokio_tungstenite::tungstenite::Error::Http(res)) => res.status().as_u16(),
        Err(e) => panic!("unexpected handshake error: {e}"),
    }
}

/// The next frame (skipping pings), within 5 s.
pub async fn next(ws: &mut Ws) -> Value {
    loop {
        let msg = tokio::time::timeout(Duration::from_secs(5), ws.next()).await.expect("a frame within 5 s").expect("open").expect("frame");
        if let Message::Text(t) = msg {
            return json_of(t.as_str());
        }
    }
}

/// Frames until one of type `t` arrives; returns it and everything before it.
pub async fn until(ws: &mut Ws, t: &str) -> (Value, Vec<Value>) {
    let mut before = Vec::new();
    loop {
        let f = next(ws).await;
        if f["t"] == t {
            return (f, before);
        }
        before.push(f);
    }
}

/// State frames until one with `status` arrives.
pub async fn until_status(ws: &mut Ws, status: &str) -> Value {
    loop {
        let (state, _) = until(ws, "state").await;
        if state["status"] == status {
            return state;
        }
    }
}

pub async fn send(ws: &mut Ws, frame: Value) {
    ws.send(Message::Text(frame.to_string().into())).await.expect("send");
}

pub async fn say(ws: &mut Ws, client_id: &str, body: &str) {
    send(ws, json!({"t": "send", "client_id": client_id, "body": body})).await;
}

/// Starts a chat as the customer; returns its id.
pub async fn start_chat(srv: &TestServer, c: &reqwest::Client, type_code: &str, first: &str) -> i64 {
    let (status, body) = srv.call(c, "start_chat", &[("type_code", type_code), ("body", first)]).await;
    assert_eq!(status, 200, "{body}");
    sqlx::query_scalar("SELECT id FROM chats ORDER BY id DESC LIMIT 1").fetch_one(&srv.db).await.expect("chat")
}

pub async fn accept(srv: &TestServer, c: &reqwest::Client, chat: i64) -> (u16, String) {
    srv.call(c, "accept_chat", &[("chat_id", &chat.to_string())]).await
}


/// The close code the server ends the connection with, waiting at most `within` (other frames
/// are skipped). Panics if the connection stays open.
pub async fn closed_with(ws: &mut Ws, within: Duration) -> u16 {
    let deadline = tokio::time::Instant::now() + within;
    loop {
        let msg = tokio::time::timeout_at(deadline, ws.next()).await.unwrap_or_else(|_| panic!("the connection was still open after {within:?}"));
        match msg {
            Some(Ok(Message::Close(Some(frame)))) => return u16::from(frame.code),
            Some(Ok(Message::Close(None))) | None | Some(Err(_)) => return 0,
            Some(Ok(_)) => {}
        }
    }
}
