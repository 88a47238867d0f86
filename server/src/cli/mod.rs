//! Subcommands of the `cybercenter` binary besides `serve`.
pub mod bench_chat;
pub mod bench_faq;
pub mod bench_queue;
pub mod bench_reports;
pub mod bench_staffing;
pub mod eval_faq;
pub mod staffing;

/// The value at quantile `p` (0..=1) of sorted samples; the default for none.
pub(crate) fn percentile<T: Copy + Default>(sorted: &[T], p: f64) -> T {
    if sorted.is_empty() {
        return T::default();
    }
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}
