//! Subcommands of the `cybercenter` binary besides `serve`.
pub mod eval_faq;
