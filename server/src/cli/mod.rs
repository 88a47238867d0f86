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

/// `[--inquiries N]` of the benches that fill a database, `default` without it.
pub(crate) fn parse_inquiries(args: &[String], default: usize, command: &str) -> Result<usize, String> {
    match args {
        [] => Ok(default),
        [flag, n] if flag == "--inquiries" => n.parse::<usize>().map_err(|_| format!("--inquiries needs a whole number, got {n:?}")),
        _ => Err(format!("usage: cybercenter {command} [--inquiries N]")),
    }
}

/// A temporary SQLite database with the demo and `n` bulk inquiries (the rollups rebuilt); the
/// directory goes away with the returned guard.
pub(crate) async fn bulk_database(n: usize, now: i64) -> Result<(tempfile::TempDir, app::db::Db), String> {
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let url = format!("sqlite://{}", dir.path().join("bench.db").display());
    let db = app::db::connect_and_migrate(&url).await.map_err(|e| e.to_string())?;
    app::db::demo::load_if_empty(&db).await.map_err(|e| e.to_string())?;
    let started = std::time::Instant::now();
    let added = app::db::demo::add_bulk_inquiries(&db, n, now).await.map_err(|e| e.to_string())?;
    println!("added {added} inquiries (and rebuilt the rollups) in {:.1} s", started.elapsed().as_secs_f64());
    Ok((dir, db))
}

/// Runs `f` `runs` times one after another: (p50, p99) in milliseconds.
pub(crate) async fn time_ms<F, Fut, T>(runs: usize, mut f: F) -> Result<(f64, f64), String>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<T, String>>,
{
    let mut ms = Vec::with_capacity(runs);
    for _ in 0..runs {
        let started = std::time::Instant::now();
        f().await?;
        ms.push(started.elapsed().as_secs_f64() * 1000.0);
    }
    ms.sort_by(f64::total_cmp);
    Ok((percentile(&ms, 0.5), percentile(&ms, 0.99)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inquiry_counts_from_the_arguments() {
        let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        assert_eq!(parse_inquiries(&s(&[]), 7, "bench-x"), Ok(7));
        assert_eq!(parse_inquiries(&s(&["--inquiries", "500"]), 7, "bench-x"), Ok(500));
        assert!(parse_inquiries(&s(&["--inquiries", "x"]), 7, "bench-x").is_err());
        assert_eq!(parse_inquiries(&s(&["--bogus"]), 7, "bench-x"), Err("usage: cybercenter bench-x [--inquiries N]".to_string()));
    }

    #[test]
    fn percentiles_of_sorted_samples() {
        assert_eq!(percentile(&[1.0, 2.0, 3.0], 0.5), 2.0);
        assert_eq!(percentile(&[1.0, 2.0, 3.0], 0.99), 3.0);
        assert_eq!(percentile::<f64>(&[], 0.5), 0.0);
    }

    #[tokio::test]
    async fn timing_runs_each_call() {
        let mut calls = 0;
        let (p50, p99) = time_ms(5, || {
            calls += 1;
            async { Ok::<_, String>(()) }
        })
        .await
        .expect("timed");
        assert_eq!(calls, 5);
        assert!(p50 >= 0.0 && p99 >= p50);
        assert!(time_ms(3, || async { Err::<(), _>("boom".to_string()) }).await.is_err());
    }
}
