//! What the staffing page starts from: the busiest weekday-hour of the last weeks and the share
//! of inquiries the FAQ automation answered for good. (Reads inquiries directly; the hourly
//! rollups of the analytics issue will replace this scan.)

use super::Db;
use crate::domain::staffing::WEEK_HOURS;
use crate::error::AppError;

const HOUR_MS: i64 = 3_600_000;
/// Asia/Seoul, no daylight saving.
const CENTRE_OFFSET_MS: i64 = 9 * HOUR_MS;

/// (mean arrivals per weekday-hour over `weeks` weeks (Monday 0:00 first), automation rate).
pub async fn history(db: &Db, now: i64, weeks: i64) -> Result<(Vec<f64>, f64), AppError> {
    let since = now - weeks * 7 * 24 * HOUR_MS;
    let rows: Vec<(i64, Option<i64>, Option<String>)> =
        sqlx::query_as("SELECT created_at, auto_template_id, faq_outcome FROM inquiries WHERE created_at >= $1 AND created_at < $2")
            .bind(since)
            .bind(now)
            .fetch_all(db)
            .await?;
    let mut counts = vec![0.0f64; WEEK_HOURS];
    let mut automated = 0usize;
    for (at, template, outcome) in &rows {
        let local_hours = (at + CENTRE_OFFSET_MS).div_euclid(HOUR_MS);
        // 1970-01-01 was a Thursday: shift so that Monday 0:00 is slot 0
        let slot = (local_hours + 3 * 24).rem_euclid(WEEK_HOURS as i64) as usize;
        counts[slot] += 1.0;
        automated += (template.is_some() && outcome.as_deref() != Some("escalated")) as usize;
    }
    for c in counts.iter_mut() {
        *c /= weeks as f64;
    }
    let rate = if rows.is_empty() { 0.0 } else { automated as f64 / rows.len() as f64 };
    Ok((counts, rate))
}
