//! The centre's calendar: UTC milliseconds to the local year, month, weekday and hour that
//! reports group by (DESIGN 4: the centre's time zone, default Asia/Seoul). A fixed offset: Korea
//! has no daylight saving time.

pub const HOUR_MS: i64 = 3_600_000;
pub const DAY_MS: i64 = 24 * HOUR_MS;
/// Asia/Seoul, UTC+9.
pub const CENTRE_OFFSET_MS: i64 = 9 * HOUR_MS;

/// A moment as the centre's clock shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Local {
    pub year: i32,
    /// 1–12
    pub month: u32,
    pub day: u32,
    /// Monday 0 … Sunday 6
    pub weekday: usize,
    /// 0–23
    pub hour: usize,
}

/// The local calendar fields of `utc_ms` at `offset_ms` from UTC.
pub fn local(utc_ms: i64, offset_ms: i64) -> Local {
    let ms = utc_ms + offset_ms;
    let days = ms.div_euclid(DAY_MS);
    let hour = (ms.rem_euclid(DAY_MS) / HOUR_MS) as usize;
    // 1970-01-01 was a Thursday (weekday 3 when Monday is 0)
    let weekday = (days + 3).rem_euclid(7) as usize;
    let (year, month, day) = civil_from_days(days);
    Local { year, month, day, weekday, hour }
}

/// Days since 1970-01-01 to (year, month, day) (Howard Hinnant's algorithm).
fn civil_from_days(days: i64) -> (i32, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
    (year, month, day)
}

/// Days since 1970-01-01 of a (year, month, day).
pub fn days_from_civil(year: i32, month: u32, day: u32) -> i64 {
    let y = i64::from(year) - i64::from(month <= 2);
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Local midnight of a `YYYY-MM-DD` date as UTC milliseconds, or `None` for anything else.
pub fn parse_date(s: &str, offset_ms: i64) -> Option<i64> {
    let mut parts = s.trim().splitn(3, '-');
    let year: i32 = parts.next()?.parse().ok()?;
    let month: u32 = parts.next()?.parse().ok()?;
    let day: u32 = parts.next()?.parse().ok()?;
    if !(1970..=9999).contains(&year) || !(1..=12).contains(&month) || day == 0 || day > 31 {
        return None;
    }
    let days = days_from_civil(year, month, day);
    // 31 February is not a date: it would come back as another day
    if civil_from_days(days) != (year, month, day) {
        return None;
    }
    Some(days * DAY_MS - offset_ms)
}

/// The local date of `utc_ms` as `YYYY-MM-DD`.
pub fn format_date(utc_ms: i64, offset_ms: i64) -> String {
    let l = local(utc_ms, offset_ms);
    format!("{:04}-{:02}-{:02}", l.year, l.month, l.day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seoul_is_nine_hours_ahead_and_weeks_start_on_monday() {
        // 2026-11-29 15:30 UTC = 2026-11-30 00:30 in Seoul, a Monday
        let utc = parse_date("2026-11-29", 0).expect("date") + 15 * HOUR_MS + 30 * 60_000;
        assert_eq!(local(utc, CENTRE_OFFSET_MS), Local { year: 2026, month: 11, day: 30, weekday: 0, hour: 0 });
        assert_eq!(local(utc, 0), Local { year: 2026, month: 11, day: 29, weekday: 6, hour: 15 });
        assert_eq!(local(0, 0), Local { year: 1970, month: 1, day: 1, weekday: 3, hour: 0 });
        // the last hour of a year and a leap day
        let nye = parse_date("2024-12-31", CENTRE_OFFSET_MS).expect("date") + 23 * HOUR_MS;
        assert_eq!(local(nye, CENTRE_OFFSET_MS), Local { year: 2024, month: 12, day: 31, weekday: 1, hour: 23 });
        assert_eq!(local(parse_date("2024-02-29", 0).expect("leap day"), 0).day, 29);
    }

    #[test]
    fn dates_parse_strictly_and_round_trip() {
        for bad in ["", "2026", "2026-13-01", "2026-02-30", "2026-00-10", "20260-1-1", "2026-1-x", "1969-12-31"] {
            assert_eq!(parse_date(bad, CENTRE_OFFSET_MS), None, "{bad:?}");
        }
        let ms = parse_date("2026-03-01", CENTRE_OFFSET_MS).expect("date");
        assert_eq!(format_date(ms, CENTRE_OFFSET_MS), "2026-03-01");
        assert_eq!(local(ms, CENTRE_OFFSET_MS).hour, 0, "local midnight");
        for days in [-1_000, 0, 59, 60, 365 * 56 + 14, 2_932_896] {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
    }
}
