//! Pure domain logic shared by server and browser: no I/O, no Leptos.
pub mod roles;
pub mod throttle;
pub mod validation;
