//! What the staffing page starts from, read from the hourly rollups: complete weeks of inquiry
//! and chat arrivals per weekday-hour (centre time), the share of inquiries the FAQ automation
//! answered for good, the chats' handling time, and the agents' roster.

use super::Db;
use crate::domain::calendar::{local, CENTRE_OFFSET_MS, DAY_MS, HOUR_MS};
use crate::domain::staffing::WEEK_HOURS;
use crate::error::AppError;

const WEEK_MS: i64 = 7 * DAY_MS;

/// Monday 0:00 (centre time) of the week `now` falls in, as UTC milliseconds.
pub fn week_start(now: i64) -> i64 {
    let day_start = (now + CENTRE_OFFSET_MS).div_euclid(DAY_MS) * DAY_MS - CENTRE_OFFSET_MS;
    day_start - local(now, CENTRE_OFFSET_MS).weekday as i64 * DAY_MS
}

/// What the staffing plan starts from, for the `weeks` complete weeks before the current one.
#[derive(Debug, Clone, PartialEq)]
pub struct History {
    /// Inquiries (web and the other asynchronous channels) per week (oldest first) and
    /// weekday-hour (Monday 0:00 first).
    pub inquiries: Vec<Vec<f64>>,
    /// Live chats started, the same way.
    pub chats: Vec<Vec<f64>>,
    /// (Answered automatically − escalated) ÷ inquiries.
    pub automation_rate: f64,
    /// Mean handling time of the chats agents handled (accepted → ended), if any.
    pub chat_aht_s: Option<f64>,
}

pub async fn history(db: &Db, now: i64, weeks: i64) -> Result<History, AppError> {
    let end = week_start(now);
    let start = end - weeks * WEEK_MS;
    let empty = || vec![vec![0.0f64; WEEK_HOURS]; weeks.max(0) as usize];
    let mut h = History { inquiries: empty(), chats: empty(), automation_rate: 0.0, chat_aht_s: None };
    let (mut arrivals, mut automated) = (0i64, 0i64);
    for (hour_at, c) in super::analytics::totals_by_hour(db, start, end).await? {
        if let Some(v) = slot(&mut h.inquiries, start, hour_at) {
            *v += c.arrivals as f64;
        }
        arrivals += c.arrivals;
        automated += c.auto_answered - c.escalated;
    }
    h.automation_rate = if arrivals > 0 { (automated.max(0) as f64 / arrivals as f64).min(1.0) } else { 0.0 };
    let (mut handled, mut handle_ms) = (0i64, 0i64);
    for (hour_at, n, done, ms) in super::analytics::chats_by_hour(db, start, end).await? {
        if let Some(v) = slot(&mut h.chats, start, hour_at) {
            *v += n as f64;
        }
        handled += done;
        handle_ms += ms;
    }
    h.chat_aht_s = (handled > 0 && handle_ms > 0).then(|| handle_ms as f64 / handled as f64 / 1000.0);
    Ok(h)
}

/// The cell of `hour_at` in per-week matrices starting at `start`.
fn slot(m: &mut [Vec<f64>], start: i64, hour_at: i64) -> Option<&mut f64> {
    let offset = hour_at - start;
    if offset < 0 {
        return None;
    }
    let (w, s) = ((offset / WEEK_MS) as usize, ((offset % WEEK_MS) / HOUR_MS) as usize);
    m.get_mut(w).and_then(|week| week.get_mut(s))
}

/// Agents on shift per weekday-hour (Monday 0:00 first, centre time), enabled agents only.
pub async fn roster(db: &Db) -> Result<Vec<u32>, AppError> {
    let texts: Vec<String> = sqlx::query_scalar(
        "SELECT a.shifts FROM agents a JOIN users u ON u.id = a.user_id WHERE u.disabled = 0 AND a.shifts IS NOT NULL AND a.shifts <> ''",
    )
    .fetch_all(db)
    .await?;
    // stored in canonical form; one that no longer reads (never expected) counts as no shifts
    let weeks: Vec<Vec<bool>> = texts.iter().filter_map(|t| crate::domain::roster::parse_stored(t).ok()).collect();
    Ok(crate::domain::roster::coverage(&weeks))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::calendar::parse_date;

    #[test]
    fn weeks_start_on_monday_midnight_in_seoul() {
        let monday = parse_date("2026-11-23", CENTRE_OFFSET_MS).expect("date");
        assert_eq!(week_start(monday), monday);
        assert_eq!(week_start(monday + 6 * DAY_MS + 23 * HOUR_MS), monday, "Sunday 23:00");
        assert_eq!(week_start(monday - 1), monday - WEEK_MS, "a millisecond before is last week");
    }
}
