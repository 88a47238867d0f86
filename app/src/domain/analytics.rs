//! Inquiry volume from the hourly rollups: totals by year, month, weekday and hour of the day in
//! the centre's time zone, the weekday × hour heatmap, and the split by inquiry type and channel.
//! Pure, so the page, the CSV export and the tests compute the same figures.

use super::calendar::{local, Local};
use serde::{Deserialize, Serialize};

/// One rollup row: arrivals in one UTC hour for one inquiry type and channel.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HourRow {
    pub hour_at: i64,
    pub type_code: String,
    pub channel: String,
    pub arrivals: i64,
    pub auto_answered: i64,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Volume {
    pub total: i64,
    pub auto_answered: i64,
    /// Hour of the day 0–23.
    pub by_hour: Vec<i64>,
    /// Monday first.
    pub by_weekday: Vec<i64>,
    /// ("YYYY-MM", arrivals), in order.
    pub by_month: Vec<(String, i64)>,
    /// (year, arrivals), in order.
    pub by_year: Vec<(i32, i64)>,
    /// `heatmap[weekday][hour]`, Monday first.
    pub heatmap: Vec<Vec<i64>>,
    /// (type code, arrivals), most first.
    pub by_type: Vec<(String, i64)>,
    /// (channel, arrivals), most first.
    pub by_channel: Vec<(String, i64)>,
}

fn bump(list: &mut Vec<(String, i64)>, key: &str, n: i64) {
    match list.iter_mut().find(|(k, _)| k == key) {
        Some((_, v)) => *v += n,
        None => list.push((key.to_string(), n)),
    }
}

/// Adds up the rows in the centre's time zone (`offset_ms` from UTC).
pub fn volume(rows: &[HourRow], offset_ms: i64) -> Volume {
    let mut hours: Vec<HourTotal> = Vec::new();
    let (mut by_type, mut by_channel) = (Vec::new(), Vec::new());
    for r in rows {
        match hours.binary_search_by_key(&r.hour_at, |h| h.0) {
            Ok(i) => {
                hours[i].1 += r.arrivals;
                hours[i].2 += r.auto_answered;
            }
            Err(i) => hours.insert(i, (r.hour_at, r.arrivals, r.auto_answered)),
        }
        bump(&mut by_type, &r.type_code, r.arrivals);
        bump(&mut by_channel, &r.channel, r.arrivals);
    }
    volume_of(&hours, by_type, by_channel, offset_ms)
}

/// Arrivals and automatic answers of one UTC hour, all types and channels together.
pub type HourTotal = (i64, i64, i64);

/// The volume from totals the database has already added up: per UTC hour, per type and per
/// channel (what the page reads, so a year is 8,760 rows however many inquiries it holds).
pub fn volume_of(hours: &[HourTotal], by_type: Vec<(String, i64)>, by_channel: Vec<(String, i64)>, offset_ms: i64) -> Volume {
    let mut v = Volume { by_hour: vec![0; 24], by_weekday: vec![0; 7], heatmap: vec![vec![0; 24]; 7], by_type, by_channel, ..Volume::default() };
    for &(hour_at, arrivals, auto_answered) in hours {
        let Local { year, month, weekday, hour, .. } = local(hour_at, offset_ms);
        v.total += arrivals;
        v.auto_answered += auto_answered;
        v.by_hour[hour] += arrivals;
        v.by_weekday[weekday] += arrivals;
        v.heatmap[weekday][hour] += arrivals;
        let m = format!("{year:04}-{month:02}");
        match v.by_month.last_mut() {
            Some((last, n)) if *last == m => *n += arrivals,
            _ => bump(&mut v.by_month, &m, arrivals),
        }
        match v.by_year.iter_mut().find(|(y, _)| *y == year) {
            Some((_, n)) => *n += arrivals,
            None => v.by_year.push((year, arrivals)),
        }
    }
    v.by_type.retain(|x| x.1 != 0);
    v.by_channel.retain(|x| x.1 != 0);
    v.by_month.sort();
    v.by_year.sort();
    for list in [&mut v.by_type, &mut v.by_channel] {
        list.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    }
    v
}

/// Share of arrivals answered by the FAQ automation, 0 with no arrivals.
pub fn automation_share(v: &Volume) -> f64 {
    if v.total == 0 {
        0.0
    } else {
        v.auto_answered as f64 / v.total as f64
    }
}

/// A CSV text field: quoted when it holds a comma, quote or line break (RFC 4180), and one that
/// a spreadsheet would read as a formula (starting with `=`, `+`, `-`, `@`, a tab or a carriage
/// return) gets a leading `'` so it stays text (OWASP, CSV injection). Only for text: numbers
/// are written as numbers.
pub(crate) fn field(s: &str) -> String {
    let formula = s.starts_with(['=', '+', '-', '@', '\t', '\r']);
    let s = if formula { format!("'{s}") } else { s.to_string() };
    if formula || s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

/// The rows behind the page, one line per local hour, type and channel, in time order.
pub fn csv(rows: &[HourRow], offset_ms: i64) -> String {
    let mut sorted: Vec<&HourRow> = rows.iter().collect();
    sorted.sort_by(|a, b| a.hour_at.cmp(&b.hour_at).then(a.type_code.cmp(&b.type_code)).then(a.channel.cmp(&b.channel)));
    let mut out = String::from("date,weekday,hour,inquiry_type,channel,arrivals,auto_answered\r\n");
    const DAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
    for r in sorted {
        let l = local(r.hour_at, offset_ms);
        out.push_str(&format!(
            "{:04}-{:02}-{:02},{},{},{},{},{},{}\r\n",
            l.year,
            l.month,
            l.day,
            DAYS[l.weekday],
            l.hour,
            field(&r.type_code),
            field(&r.channel),
            r.arrivals,
            r.auto_answered
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::calendar::{parse_date, CENTRE_OFFSET_MS, HOUR_MS};

    fn row(date: &str, local_hour: i64, ty: &str, channel: &str, n: i64, auto: i64) -> HourRow {
        let hour_at = parse_date(date, CENTRE_OFFSET_MS).expect("date") + local_hour * HOUR_MS;
        HourRow { hour_at, type_code: ty.into(), channel: channel.into(), arrivals: n, auto_answered: auto }
    }

    #[test]
    fn volume_adds_up_by_every_calendar_unit() {
        let rows = [
            row("2026-11-30", 9, "delivery", "web", 5, 4), // Monday 09
            row("2026-11-30", 9, "payment", "chat", 2, 0),
            row("2026-12-06", 23, "delivery", "web", 1, 1), // Sunday 23
            row("2027-01-01", 0, "other", "web", 3, 0),     // Friday 00, next year
        ];
        let v = volume(&rows, CENTRE_OFFSET_MS);
        assert_eq!((v.total, v.auto_answered), (11, 5));
        assert_eq!(v.by_hour[9], 7);
        assert_eq!(v.by_hour[23], 1);
        assert_eq!(v.by_hour[0], 3);
        assert_eq!(v.by_weekday, [7, 0, 0, 0, 3, 0, 1]);
        assert_eq!(v.heatmap[0][9], 7);
        assert_eq!(v.heatmap[6][23], 1);
        assert_eq!(v.by_month, [("2026-11".to_string(), 7), ("2026-12".to_string(), 1), ("2027-01".to_string(), 3)]);
        assert_eq!(v.by_year, [(2026, 8), (2027, 3)]);
        assert_eq!(v.by_type, [("delivery".to_string(), 6), ("other".to_string(), 3), ("payment".to_string(), 2)]);
        assert_eq!(v.by_channel, [("web".to_string(), 9), ("chat".to_string(), 2)]);
        assert_eq!(v.heatmap.iter().flatten().sum::<i64>(), v.total);
        assert!((automation_share(&v) - 5.0 / 11.0).abs() < 1e-12);
        assert_eq!(automation_share(&volume(&[], CENTRE_OFFSET_MS)), 0.0);
    }

    #[test]
    fn text_that_a_spreadsheet_would_run_stays_text() {
        assert_eq!(field("=HYPERLINK(\"http://x\")"), "\"'=HYPERLINK(\"\"http://x\"\")\"");
        assert_eq!(field("+1"), "\"'+1\"");
        assert_eq!(field("-cmd"), "\"'-cmd\"");
        assert_eq!(field("@SUM(A1)"), "\"'@SUM(A1)\"");
        assert_eq!(field("배송 문의"), "배송 문의");
        assert_eq!(field("a,b"), "\"a,b\"");
    }

    #[test]
    fn csv_lists_local_hours_in_order_and_quotes_fields() {
        let rows = [row("2026-12-06", 23, "a,b", "web", 1, 1), row("2026-11-30", 9, "delivery", "web", 5, 4)];
        let text = csv(&rows, CENTRE_OFFSET_MS);
        let lines: Vec<&str> = text.split("\r\n").collect();
        assert_eq!(lines[0], "date,weekday,hour,inquiry_type,channel,arrivals,auto_answered");
        assert_eq!(lines[1], "2026-11-30,Mon,9,delivery,web,5,4");
        assert_eq!(lines[2], "2026-12-06,Sun,23,\"a,b\",web,1,1");
        assert_eq!(lines[3], "");
    }
}
