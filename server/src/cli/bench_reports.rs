//! `cybercenter bench-reports [--inquiries N]`: how fast the analytics and staffing reports stay
//! with N inquiries (default 1,000,000) spread over a year. Loads the demo into a temporary
//! SQLite file, adds N answered, rated and VOC-filed inquiries, rebuilds the rollups (timed),
//! then times each report as the page runs it against baselines measured in the same run: a
//! trivial query, the same year's volume counted from the raw inquiries, and the year's first
//! answers read and sorted from the raw inquiries (what the reports would cost without rollups).

use super::time_ms;
use app::admin::analytics::{overdue_report, service_report, volume_report, volume_rows, Scope};
use std::time::Instant;

pub fn parse_args(args: &[String]) -> Result<usize, String> {
    super::parse_inquiries(args, 1_000_000, "bench-reports")
}

pub async fn run(args: &[String]) -> Result<(), String> {
    let n = parse_args(args)?;
    let e = |e: app::error::AppError| e.to_string();
    let now = app::store::now_ms();
    let (_dir, db) = super::bulk_database(n, 0.03, now).await?;
    let mut conn = db.acquire().await.map_err(|e| e.to_string())?;
    let started = Instant::now();
    app::store::service_metrics::rebuild(&mut conn).await.map_err(|e| e.to_string())?;
    let rebuild_s = started.elapsed().as_secs_f64();
    drop(conn);
    let count = |sql: &'static str| {
        let db = db.clone();
        async move { sqlx::query_scalar::<_, i64>(sql).fetch_one(&db).await.map_err(|e| e.to_string()) }
    };
    println!(
        "database: {} inquiries; rollup rows: {} volume, {} service, {} chat; service rollups rebuilt from scratch in {rebuild_s:.1} s",
        count("SELECT COUNT(*) FROM inquiries").await?,
        count("SELECT COUNT(*) FROM inquiry_rollups").await?,
        count("SELECT COUNT(*) FROM service_rollups").await?,
        count("SELECT COUNT(*) FROM chat_rollups").await?,
    );
    let types = app::store::inquiries::types(&db, app::i18n::Locale::Ko).await.map_err(e)?;
    let year = Scope::parse(
        &app::domain::calendar::format_date(now - 364 * app::domain::calendar::DAY_MS, app::domain::calendar::CENTRE_OFFSET_MS),
        "",
        "",
        &types,
        now,
    )
    .map_err(e)?;
    let eight_weeks = Scope::parse("", "", "", &types, now).map_err(e)?;
    let runs = 20;
    let base = time_ms(runs, || async { sqlx::query_scalar::<_, i64>("SELECT 1").fetch_one(&db).await.map_err(|e| e.to_string()) }).await?;
    let raw = time_ms(5, || async {
        sqlx::query_as::<_, (i64, i64)>("SELECT created_at / 3600000, COUNT(*) FROM inquiries WHERE created_at >= $1 AND created_at < $2 GROUP BY created_at / 3600000")
            .bind(year.start)
            .bind(year.end)
            .fetch_all(&db)
            .await
            .map_err(|e| e.to_string())
    })
    .await?;
    // what the service report would cost without rollups: every first answer of the year, sorted
    // per type for its median and p90
    let raw_service = time_ms(3, || async {
        sqlx::query_as::<_, (i64, i64)>(
            "SELECT type_id, first_response_at - created_at FROM inquiries
              WHERE created_at >= $1 AND created_at < $2 AND first_response_at IS NOT NULL ORDER BY 1, 2",
        )
        .bind(year.start)
        .bind(year.end)
        .fetch_all(&db)
        .await
        .map_err(|e| e.to_string())
    })
    .await?;
    let volume_year = time_ms(runs, || async { volume_report(&db, &year).await.map_err(|e| e.to_string()) }).await?;
    let volume_8w = time_ms(runs, || async { volume_report(&db, &eight_weeks).await.map_err(|e| e.to_string()) }).await?;
    let service_year = time_ms(runs, || service_page(&db, &year, now)).await?;
    let service_8w = time_ms(runs, || service_page(&db, &eight_weeks, now)).await?;
    // the service report's three queries one by one
    let service_rows = time_ms(runs, || async { app::store::service_metrics::rows(&db, year.start, year.end, None).await.map_err(|e| e.to_string()) }).await?;
    let service_voc = time_ms(runs, || async { app::store::service_metrics::voc_days(&db, year.start, year.end, None).await.map_err(|e| e.to_string()) }).await?;
    let service_overdue = time_ms(runs, || async {
        app::store::service_metrics::overdue_unanswered(&db, year.start, year.end, None, now).await.map_err(|e| e.to_string())
    })
    .await?;
    let csv_year = time_ms(5, || async {
        let rows = volume_rows(&db, &year).await.map_err(|e| e.to_string())?;
        Ok::<_, String>(app::domain::analytics::csv(&rows, app::domain::calendar::CENTRE_OFFSET_MS).len())
    })
    .await?;
    let staffing = time_ms(runs, || async {
        let h = app::store::staffing::history(&db, now, 5).await.map_err(|e| e.to_string())?;
        let r = app::store::staffing::roster(&db).await.map_err(|e| e.to_string())?;
        Ok::<_, String>((app::domain::forecast::forecast(&h.inquiries), r))
    })
    .await?;
    println!("                               p50 ms   p99 ms   p50 / SELECT 1   p50 / raw scan");
    let rows = [
        ("baseline SELECT 1", base),
        ("baseline raw scan, 1 year", raw),
        ("raw first answers, sorted", raw_service),
        ("volume report, 1 year", volume_year),
        ("volume report, 8 weeks", volume_8w),
        ("service report, 1 year", service_year),
        ("service report, 8 weeks", service_8w),
        ("  histograms, 1 year", service_rows),
        ("  VOC by day, 1 year", service_voc),
        ("  unanswered past target", service_overdue),
        ("volume CSV, 1 year", csv_year),
        ("staffing history + roster", staffing),
    ];
    for (name, (p50, p99)) in rows {
        println!("{name:<28} {p50:8.2} {p99:8.2} {:>14.1}x {:>15.3}x", p50 / base.0.max(1e-6), p50 / raw.0.max(1e-6));
    }
    Ok(())
}

/// The service section as the page reads it: the figures, and the unanswered past target.
async fn service_page(db: &app::store::Db, scope: &Scope, now: i64) -> Result<(), String> {
    service_report(db, scope).await.map_err(|e| e.to_string())?;
    overdue_report(db, scope, now).await.map_err(|e| e.to_string())?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arguments() {
        let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        assert_eq!(parse_args(&s(&[])), Ok(1_000_000));
        assert_eq!(parse_args(&s(&["--inquiries", "5000"])), Ok(5000));
        assert!(parse_args(&s(&["--inquiries", "many"])).is_err());
        assert!(parse_args(&s(&["--rows"])).is_err());
    }
}
