//! One error type for every server function: variants a person can act on, mapped to an HTTP
//! status by the server and to a translated message by the UI. Internals are logged, not shown.

use serde::{Deserialize, Serialize};
use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};

/// Why one form field was rejected. The UI turns the code into words in the user's language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    pub field: String,
    pub code: FieldCode,
}

impl FieldError {
    pub fn new(field: &str, code: FieldCode) -> Self {
        Self { field: field.to_string(), code }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum FieldCode {
    Required,
    TooShort { min: usize },
    TooLong { max: usize },
    /// A list longer than allowed (e.g. FAQ phrasings).
    TooMany { max: usize },
    /// A number outside its allowed range.
    OutOfRange { min: i64, max: i64 },
    InvalidEmail,
    EmailTaken,
    PasswordMismatch,
    WrongPassword,
    ControlCharacters,
    InvalidChoice,
    InvalidPhone,
    InvalidPostalCode,
    /// The six-digit Korean postal code, replaced by five digits in 2015.
    OldPostalCode,
    /// Postal code and first address line go together.
    AddressIncomplete,
    /// The inquiry is closed: reopen it first.
    InquiryClosed,
    /// Reopening is possible only within 14 days.
    ReopenExpired,
    AlreadyRated,
    /// "Solved" / "I need a person" answers an automatic answer that is still waiting.
    NotAutoAnswered,
    /// Another agent has taken the inquiry.
    AlreadyTaken,
    /// A code another record already uses.
    CodeTaken,
    /// A saved reply of the same group and language already has this title.
    TitleTaken,
    /// No customer has this customer number.
    NoSuchCustomer,
    /// VIP thresholds must be at least as demanding as gold ones.
    VipBelowGold,
    /// The chat has ended: start a new one.
    ChatEnded,
    /// The agent already holds as many chats as their limit allows.
    ChatLimitReached { limit: i64 },
    /// Only the agent who accepted the chat may write in it or hand it on.
    ChatNotYours,
    /// Not a date (YYYY-MM-DD) that exists.
    InvalidDate,
    /// The end of a range lies before its start.
    DateOrder,
    /// A date range longer than reports add up at once.
    RangeTooLong { max_days: i64 },
    /// Part of an agent's shift text that is not days and hours.
    InvalidShift { part: String },
    /// A mailed link that does not work (unknown, already used, or expired).
    LinkInvalid,
    /// The new email is the one the account already uses.
    SameEmail,
    /// A support mailbox's URL that cannot be used, and why.
    MailboxUrl { problem: crate::domain::mailbox::UrlProblem },
    /// An attached file that was not taken: which one, and why.
    Attachment { name: String, problem: crate::domain::attachment::AttachProblem },
}

/// What was attempted too often, so the message can say what to wait for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Limited {
    Login,
    Registration,
    NewInquiries,
    NewChats,
    ChatMessages,
    ChatConnections,
    FaqProposals,
    EmailChanges,
    /// Chat transcripts mailed to oneself.
    TranscriptMails,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    /// Not signed in (401): the page sends the person to the login form.
    #[error("sign-in required")]
    Unauthorized,
    /// Signed in, but the role does not allow it (403).
    #[error("not allowed")]
    Forbidden,
    /// No such record, or not one the caller may see (404: never confirms it exists).
    #[error("not found")]
    NotFound,
    /// Login failed: deliberately does not say whether the email exists.
    #[error("email or password is incorrect")]
    BadCredentials,
    /// One or more fields were rejected (422); nothing was saved.
    #[error("invalid input")]
    Invalid(Vec<FieldError>),
    /// Too many attempts of one kind (429); try again after the given number of seconds.
    #[error("too many attempts")]
    RateLimited { retry_after_s: u64, what: Limited },
    /// The request itself was malformed (400), e.g. a missing or non-text argument.
    #[error("bad request: {0}")]
    BadRequest(String),
    /// The server could not be reached or is not ready (503).
    #[error("service unavailable")]
    Unavailable,
    /// The server is at a bound it keeps under load (503 with Retry-After), e.g. password
    /// hashing: nothing was done, the same request may be sent again after the wait.
    #[error("server busy")]
    Busy { retry_after_s: u64 },
    /// Anything else (500): logged with this id, shown as "something went wrong".
    #[error("internal error {request_id}")]
    Internal { request_id: String },
}

impl AppError {
    pub fn invalid(field: &str, code: FieldCode) -> Self {
        AppError::Invalid(vec![FieldError::new(field, code)])
    }

    /// The HTTP status the server answers with.
    pub fn status(&self) -> u16 {
        match self {
            AppError::Unauthorized => 401,
            AppError::Forbidden => 403,
            AppError::NotFound => 404,
            AppError::BadCredentials => 401,
            AppError::Invalid(_) => 422,
            AppError::RateLimited { .. } => 429,
            AppError::BadRequest(_) => 400,
            AppError::Unavailable | AppError::Busy { .. } => 503,
            AppError::Internal { .. } => 500,
        }
    }

    /// Seconds to wait before trying again, for the `Retry-After` header.
    pub fn retry_after_s(&self) -> Option<u64> {
        match self {
            AppError::RateLimited { retry_after_s, .. } | AppError::Busy { retry_after_s } => Some(*retry_after_s),
            _ => None,
        }
    }

    /// The errors for one field, for showing beside that input.
    pub fn field_errors(&self, field: &str) -> Vec<FieldCode> {
        match self {
            AppError::Invalid(errors) => errors
                .iter()
                .filter(|e| e.field == field)
                .map(|e| e.code.clone())
                .collect(),
            _ => Vec::new(),
        }
    }

    /// Log an internal failure with a fresh id and return the generic error that names it.
    #[cfg(feature = "ssr")]
    pub fn internal(context: &str, err: impl std::fmt::Display) -> Self {
        let request_id = crate::store::new_request_id();
        tracing::error!(%request_id, context, error = %err, "internal error");
        AppError::Internal { request_id }
    }
}

/// A parser's message names what it could not read, which may be the whole (hostile, huge)
/// input: keep the start, enough to say which field and why.
fn bounded(msg: String) -> String {
    const MAX_CHARS: usize = 200;
    match msg.char_indices().nth(MAX_CHARS) {
        Some((cut, _)) => format!("{}…", &msg[..cut]),
        None => msg,
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    /// Every server-function error becomes its response here, in the request's reactive scope:
    /// so this is where it gets its real status (401, 403, 404, 422, 429, 503 with Retry-After,
    /// only an internal error 500) through Leptos' `ResponseOptions`. A plain HTML form post
    /// (no JavaScript) is left alone: it is answered with a redirect that carries the error.
    fn ser(&self) -> leptos::server_fn::Bytes {
        #[cfg(feature = "ssr")]
        self.set_response_status();
        <JsonEncoding as leptos::server_fn::Encodes<AppError>>::encode(self)
            .unwrap_or_else(|_| leptos::server_fn::Bytes::from_static(br#"{"Internal":{"request_id":"encode"}}"#))
    }

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            ServerFnErrorErr::Args(msg)
            | ServerFnErrorErr::MissingArg(msg)
            | ServerFnErrorErr::UnsupportedRequestMethod(msg) => AppError::BadRequest(bounded(msg)),
            ServerFnErrorErr::Request(_) => AppError::Unavailable,
            _other => {
                #[cfg(feature = "ssr")]
                let other = _other;
                #[cfg(feature = "ssr")]
                tracing::error!(error = %other, "server function transport error");
                AppError::Internal { request_id: "transport".to_string() }
            }
        }
    }
}

/// True when the request is a plain HTML form post (no JavaScript): it expects a redirect, so
/// its errors travel in the redirect rather than in the status.
#[cfg(feature = "ssr")]
pub fn is_plain_form_post() -> bool {
    leptos::prelude::use_context::<http::request::Parts>()
        .and_then(|p| p.headers.get(http::header::ACCEPT).and_then(|v| v.to_str().ok()).map(|v| v.contains("text/html")))
        .unwrap_or(false)
}

#[cfg(feature = "ssr")]
impl AppError {
    fn set_response_status(&self) {
        let Some(response) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() else { return };
        if is_plain_form_post() {
            return;
        }
        if let Ok(status) = http::StatusCode::from_u16(self.status()) {
            response.set_status(status);
        }
        if let Some(s) = self.retry_after_s() {
            response.insert_header(http::header::RETRY_AFTER, http::HeaderValue::from(s));
        }
    }
}

#[cfg(feature = "ssr")]
impl From<sqlx::Error> for AppError {
    fn from(err: sqlx::Error) -> Self {
        match err {
            sqlx::Error::RowNotFound => AppError::NotFound,
            sqlx::Error::PoolTimedOut => AppError::Unavailable,
            // PostgreSQL cannot hold a NUL character in text (SQLite can; validation refuses it
            // where text is stored, but a lookup may still carry one): bad input, not a fault
            sqlx::Error::Database(e) if e.code().as_deref() == Some("22021") => AppError::BadRequest("text with a NUL character".into()),
            // another process held the database past the busy timeout, or PostgreSQL broke a
            // deadlock or a serialization conflict: contention, not a fault
            sqlx::Error::Database(e) if e.code().as_deref().is_some_and(is_contention_code) => {
                AppError::Busy { retry_after_s: 1 }
            }
            other => AppError::internal("database", other),
        }
    }
}

/// SQLite's SQLITE_BUSY and SQLITE_LOCKED, with their extended codes (the low byte is the
/// primary); PostgreSQL's serialization_failure, deadlock_detected and lock_not_available.
#[cfg(feature = "ssr")]
fn is_contention_code(code: &str) -> bool {
    // PostgreSQL's SQLSTATEs are five characters; SQLite's codes are numbers of at most four digits
    if code.len() == 5 {
        return matches!(code, "40001" | "40P01" | "55P03");
    }
    code.parse::<i32>().is_ok_and(|n| matches!(n & 0xff, 5 | 6))
}

#[cfg(feature = "ssr")]
impl From<tower_sessions::session::Error> for AppError {
    fn from(err: tower_sessions::session::Error) -> Self {
        AppError::internal("session", err)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(feature = "ssr")]
    #[test]
    fn contention_is_busy_and_a_constraint_is_not() {
        for busy in ["5", "261", "517", "773", "6", "262", "40001", "40P01", "55P03"] {
            assert!(is_contention_code(busy), "{busy}");
        }
        // SQLite's error, constraint, unique, primary key and corrupt; PostgreSQL's unique,
        // foreign key and check violations
        for other in ["1", "19", "2067", "1555", "11", "23505", "23503", "23514", "22021"] {
            assert!(!is_contention_code(other), "{other}");
        }
    }

    #[test]
    fn user_errors_map_to_4xx_and_only_internal_to_500() {
        let cases = [
            (AppError::Unauthorized, 401),
            (AppError::Forbidden, 403),
            (AppError::NotFound, 404),
            (AppError::BadCredentials, 401),
            (AppError::invalid("email", FieldCode::InvalidEmail), 422),
            (AppError::RateLimited { retry_after_s: 60, what: Limited::Login }, 429),
            (AppError::Busy { retry_after_s: 1 }, 503),
            (AppError::BadRequest("x".into()), 400),
            (AppError::Unavailable, 503),
            (AppError::Internal { request_id: "r".into() }, 500),
        ];
        for (err, status) in cases {
            assert_eq!(err.status(), status, "{err:?}");
        }
    }

    #[test]
    fn malformed_arguments_become_bad_request() {
        let err = AppError::from_server_fn_error(ServerFnErrorErr::Args("missing field".into()));
        assert_eq!(err.status(), 400);
        // the input a parser quotes back is cut short
        let AppError::BadRequest(msg) = AppError::from_server_fn_error(ServerFnErrorErr::Args(format!("unknown variant `{}`", "가".repeat(100_000)))) else {
            panic!("bad request")
        };
        assert_eq!(msg.chars().count(), 201);
    }

    #[test]
    fn errors_round_trip_through_the_wire_encoding() {
        let err = AppError::Invalid(vec![FieldError::new("password", FieldCode::TooShort { min: 10 })]);
        let bytes = err.ser();
        assert_eq!(AppError::de(bytes), err);
    }
}
