//! The cybercenter server: configuration, router assembly and request-level protections.
//! `main.rs` is a thin CLI over this library, which the integration tests start directly.

pub mod app;
pub mod attachments;
pub mod chat_ws;
pub mod exports;
pub mod cli;
pub mod config;
pub mod middleware;
pub mod sessions;
pub mod workers;

pub use app::{build, serve, serve_on, Built, ConnectionLimits, StartError};
pub use config::Config;
