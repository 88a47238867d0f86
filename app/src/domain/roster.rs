//! Agents' weekly shifts, as an admin writes them ("mon-fri 09-18, sat 10-14"), and the roster
//! they make: how many agents are on shift in each hour of the week (Monday 0:00 first, centre
//! time), which the staffing plan compares with the agents each hour needs.
//!
//! Grammar: entries separated by commas, semicolons or new lines; an entry is days then hours.
//! Days: `mon`…`sun` (or `월`…`일`), a run `mon-fri`, a list `mon/wed/fri`, `daily` (`매일`),
//! `weekdays` (`평일`), `weekend` (`주말`). Hours: `09-18` or `09:00-18:00`, whole hours, end
//! `24` allowed; an end before the start runs past midnight into the next day (`22-06`).

use super::staffing::WEEK_HOURS;

/// At most this many characters of shift text an admin enters (the canonical text written back
/// may be longer: it spells out day lists; stored text is read back without this bound).
pub const MAX_CHARS: usize = 1000;

const EN_DAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
const KO_DAYS: [&str; 7] = ["월", "화", "수", "목", "금", "토", "일"];

/// The part of the text that is not a shift (shown back to the admin), or too much text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ShiftError {
    Invalid(String),
    TooLong,
}

fn day(word: &str) -> Option<usize> {
    let w = word.trim().to_lowercase();
    const EN_FULL: [&str; 7] = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];
    (0..7).find(|&i| w == EN_DAYS[i] || w == EN_FULL[i] || w == KO_DAYS[i] || w == format!("{}요일", KO_DAYS[i]))
}

fn days(spec: &str) -> Option<Vec<usize>> {
    match spec.trim().to_lowercase().as_str() {
        "daily" | "매일" => return Some((0..7).collect()),
        "weekdays" | "평일" => return Some((0..5).collect()),
        "weekend" | "weekends" | "주말" => return Some(vec![5, 6]),
        _ => {}
    }
    let mut out = Vec::new();
    for part in spec.split('/') {
        match part.split_once('-') {
            Some((a, b)) => {
                let (a, b) = (day(a)?, day(b)?);
                // a run may wrap the week: sat-mon
                let mut d = a;
                loop {
                    out.push(d);
                    if d == b {
                        break;
                    }
                    d = (d + 1) % 7;
                }
            }
            None => out.push(day(part)?),
        }
    }
    Some(out)
}

fn hour(s: &str) -> Option<usize> {
    let s = s.trim();
    let h = match s.split_once(':') {
        Some((h, "00")) => h,
        Some(_) => return None,
        None => s,
    };
    if h.is_empty() || h.len() > 2 || !h.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    h.parse().ok().filter(|h| *h <= 24)
}

/// The hours of the week an admin's text puts an agent on shift (empty text: none), at most
/// [`MAX_CHARS`] characters.
pub fn parse(text: &str) -> Result<Vec<bool>, ShiftError> {
    if text.chars().count() > MAX_CHARS {
        return Err(ShiftError::TooLong);
    }
    parse_stored(text)
}

/// The hours of stored (canonical) shift text, whatever its length.
pub fn parse_stored(text: &str) -> Result<Vec<bool>, ShiftError> {
    let mut week = vec![false; WEEK_HOURS];
    for entry in text.split([',', ';', '\n']).map(str::trim).filter(|e| !e.is_empty()) {
        let bad = || ShiftError::Invalid(entry.to_string());
        // the hours are the last word; the days are everything before it
        let (day_spec, hours) = entry.rsplit_once(char::is_whitespace).ok_or_else(bad)?;
        let days = days(day_spec).ok_or_else(bad)?;
        let (from, to) = hours.split_once('-').ok_or_else(bad)?;
        let (from, to) = (hour(from).ok_or_else(bad)?, hour(to).ok_or_else(bad)?);
        if from == to || from == 24 {
            return Err(bad());
        }
        for d in days {
            let span = if to > from { to - from } else { 24 - from + to };
            for k in 0..span {
                week[(d * 24 + from + k) % WEEK_HOURS] = true;
            }
        }
    }
    Ok(week)
}

/// The shortest text of the form admins write that [`parse`]s back to the same hours: runs of
/// days with the same hours share an entry ("mon-fri 09-18, sat 10-14").
pub fn format(week: &[bool]) -> String {
    let ranges = |d: usize| -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        let mut h = 0;
        while h < 24 {
            if week.get(d * 24 + h).copied().unwrap_or(false) {
                let start = h;
                while h < 24 && week.get(d * 24 + h).copied().unwrap_or(false) {
                    h += 1;
                }
                out.push((start, h));
            } else {
                h += 1;
            }
        }
        out
    };
    let per_day: Vec<Vec<(usize, usize)>> = (0..7).map(ranges).collect();
    let mut entries = Vec::new();
    let mut d = 0;
    while d < 7 {
        let mut end = d;
        while end + 1 < 7 && per_day[end + 1] == per_day[d] {
            end += 1;
        }
        let spec = match (d, end) {
            (0, 6) => "daily".to_string(),
            _ if d == end => EN_DAYS[d].to_string(),
            _ => format!("{}-{}", EN_DAYS[d], EN_DAYS[end]),
        };
        for (from, to) in &per_day[d] {
            entries.push(format!("{spec} {from:02}-{to:02}"));
        }
        d = end + 1;
    }
    entries.join(", ")
}

/// Agents on shift per hour of the week.
pub fn coverage<'a>(weeks: impl IntoIterator<Item = &'a Vec<bool>>) -> Vec<u32> {
    let mut out = vec![0u32; WEEK_HOURS];
    for week in weeks {
        for (slot, on) in out.iter_mut().zip(week) {
            *slot += *on as u32;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hours_on(week: &[bool], d: usize) -> Vec<usize> {
        (0..24).filter(|h| week[d * 24 + h]).collect()
    }

    #[test]
    fn office_hours_and_a_saturday_morning() {
        let w = parse("mon-fri 09-18, sat 10:00-14:00").expect("shifts");
        for d in 0..5 {
            assert_eq!(hours_on(&w, d), (9..18).collect::<Vec<_>>(), "day {d}");
        }
        assert_eq!(hours_on(&w, 5), vec![10, 11, 12, 13]);
        assert!(hours_on(&w, 6).is_empty());
        assert_eq!(w.iter().filter(|x| **x).count(), 5 * 9 + 4);
    }

    #[test]
    fn korean_day_names_lists_and_night_shifts() {
        let w = parse("평일 9-13; 월/수 22-06\n일요일 0-24").expect("shifts");
        assert_eq!(hours_on(&w, 0), vec![9, 10, 11, 12, 22, 23]);
        assert_eq!(hours_on(&w, 1), vec![0, 1, 2, 3, 4, 5, 9, 10, 11, 12], "Monday night runs into Tuesday");
        assert_eq!(hours_on(&w, 6), (0..24).collect::<Vec<_>>());
        // Sunday night wraps to Monday morning
        let w = parse("sun 23-02").expect("shifts");
        assert_eq!(hours_on(&w, 6), vec![23]);
        assert_eq!(hours_on(&w, 0), vec![0, 1]);
        assert_eq!(parse("sat-mon 10-12").expect("wrap").iter().filter(|x| **x).count(), 6);
        assert_eq!(parse("Monday 10-12"), parse("mon 10-12"));
        assert_eq!(parse("  ").expect("empty"), vec![false; WEEK_HOURS]);
    }

    #[test]
    fn what_is_not_a_shift_is_named() {
        for bad in ["mon 9", "funday 09-18", "mon 09:30-18", "mon 09-09", "mon 25-26", "mon-fri", "09-18", "mon 24-02", "mon x-y"] {
            let e = parse(&format!("tue 10-12, {bad}")).expect_err(bad);
            assert_eq!(e, ShiftError::Invalid(bad.to_string()), "{bad}");
        }
        assert_eq!(parse(&"mon 09-18, ".repeat(100)), Err(ShiftError::TooLong));
    }

    #[test]
    fn the_canonical_text_reads_back_the_same() {
        for text in ["mon-fri 09-18, sat 10-14", "daily 00-24", "mon 09-12, mon 13-18, wed 22-24, thu 00-06", "", "sun 07-15"] {
            let w = parse(text).expect(text);
            let f = format(&w);
            assert_eq!(parse(&f).expect("again"), w, "{text} → {f}");
        }
        assert_eq!(format(&parse("월-금 9-18; 토 10-14").expect("ko")), "mon-fri 09-18, sat 10-14");
        assert_eq!(format(&parse("daily 9-18").expect("daily")), "daily 09-18");
        // every other hour on three days: the canonical text is long, and still reads back
        let odd: String = (0..12).map(|h| format!("mon/wed/fri {:02}-{:02}", 2 * h, 2 * h + 1)).collect::<Vec<_>>().join(", ");
        let w = parse(&odd).expect("odd hours");
        let f = format(&w);
        assert!(f.chars().count() > odd.chars().count());
        assert_eq!(parse_stored(&f).expect("stored"), w);
    }

    #[test]
    fn the_roster_counts_agents_on_shift() {
        let a = parse("mon-fri 09-18").expect("a");
        let b = parse("mon 12-20").expect("b");
        let c = coverage([&a, &b]);
        assert_eq!(c[9], 1);
        assert_eq!(c[12], 2);
        assert_eq!(c[19], 1);
        assert_eq!(c[24 + 12], 1);
        assert_eq!(c.iter().map(|n| *n as usize).sum::<usize>(), 45 + 8);
    }
}
