//! Pure domain logic shared by server and browser: no I/O, no Leptos.
pub mod auto_answer;
pub mod dashboard;
pub mod diff;
pub mod faq_template;
pub mod grading;
pub mod inquiry;
pub mod inquiry_type;
pub mod matcher;
pub mod paging;
pub mod phone;
pub mod profile;
pub mod queue;
pub mod roles;
pub mod routing;
pub mod status;
pub mod throttle;
pub mod validation;
