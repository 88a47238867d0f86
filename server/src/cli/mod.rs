//! Subcommands of the `cybercenter` binary besides `serve`.
pub mod bench_chat;
pub mod bench_faq;
pub mod bench_queue;
pub mod bench_staffing;
pub mod eval_faq;
pub mod staffing;
