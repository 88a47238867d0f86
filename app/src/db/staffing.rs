//! What the staffing page starts from, read from the hourly rollups: complete weeks of arrivals
//! per weekday-hour (centre time) and the share of inquiries the FAQ automation answered for good.

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

/// The `weeks` complete weeks before the current one (oldest first), arrivals per weekday-hour
/// (Monday 0:00 first), and the automation rate over them ((answered automatically − escalated)
/// ÷ arrivals).
pub async fn history(db: &Db, now: i64, weeks: i64) -> Result<(Vec<Vec<f64>>, f64), AppError> {
    let end = week_start(now);
    let start = end - weeks * WEEK_MS;
    let mut matrix = vec![vec![0.0f64; WEEK_HOURS]; weeks.max(0) as usize];
    let (mut arrivals, mut automated) = (0i64, 0i64);
    for (hour_at, c) in super::analytics::totals_by_hour(db, start, end).await? {
        let offset = hour_at - start;
        let (w, slot) = ((offset / WEEK_MS) as usize, ((offset % WEEK_MS) / HOUR_MS) as usize);
        if let Some(cell) = matrix.get_mut(w).and_then(|week| week.get_mut(slot)) {
            *cell += c.arrivals as f64;
        }
        arrivals += c.arrivals;
        automated += c.auto_answered - c.escalated;
    }
    let rate = if arrivals > 0 { (automated.max(0) as f64 / arrivals as f64).min(1.0) } else { 0.0 };
    Ok((matrix, rate))
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
