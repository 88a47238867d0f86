//! Service metrics (DESIGN 4): first-response and resolution times (median, p90), first-response
//! target attainment, customer satisfaction and voice-of-customer categories, per inquiry type.
//!
//! The server keeps a histogram per arrival day (centre time), type, channel and metric (the
//! service rollups; a day, not an hour, because nothing reports these by hour, and a year of
//! them stays a few hundred thousand rows at a million inquiries):
//! what each inquiry contributes is [`contributions`] of its current facts, and a change to an
//! inquiry moves its contributions by [`diff`] in the same transaction. Durations go into
//! logarithmic buckets, eight per doubling, so a median or p90 read from the buckets is within
//! one bucket (±4.5%) of the exact figure however many millions of inquiries it covers.
//! Pure, so the page, the CSV export and the tests compute the same figures.

use super::calendar::{local, Local, CENTRE_OFFSET_MS, DAY_MS};
use serde::{Deserialize, Serialize};

/// Buckets per doubling of a duration.
pub const BUCKETS_PER_DOUBLING: i64 = 8;
/// The last bucket holds everything from 2^26 s (about two years) up.
pub const MAX_BUCKET: i64 = 26 * BUCKETS_PER_DOUBLING;

/// What a rollup row counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Metric {
    /// Seconds from arrival to the first answer by an agent; bucket = duration bucket.
    FirstResponse,
    /// Seconds from arrival to resolution; bucket = duration bucket.
    Resolution,
    /// First answer within the type's target: bucket 1 met, 0 missed.
    Sla,
    /// Satisfaction score; bucket = 1..=5.
    Csat,
    /// Voice-of-customer category; bucket = index in [`VOC_CATEGORIES`].
    Voc,
}

impl Metric {
    pub const ALL: [Metric; 5] = [Metric::FirstResponse, Metric::Resolution, Metric::Sla, Metric::Csat, Metric::Voc];

    pub fn code(self) -> &'static str {
        match self {
            Metric::FirstResponse => "first_response",
            Metric::Resolution => "resolution",
            Metric::Sla => "sla",
            Metric::Csat => "csat",
            Metric::Voc => "voc",
        }
    }

    pub fn parse(code: &str) -> Option<Metric> {
        Metric::ALL.into_iter().find(|m| m.code() == code)
    }
}

pub const VOC_CATEGORIES: [&str; 4] = crate::model::VocCategory::WORDS;

pub fn voc_index(category: &str) -> Option<usize> {
    VOC_CATEGORIES.iter().position(|c| *c == category)
}

/// The bucket of a duration in whole seconds (negative durations, from clock skew, count as 0).
pub fn duration_bucket(seconds: i64) -> i64 {
    if seconds <= 0 {
        return 0;
    }
    let b = ((seconds as f64 + 1.0).log2() * BUCKETS_PER_DOUBLING as f64).floor() as i64;
    b.clamp(0, MAX_BUCKET)
}

/// [lower, upper) seconds of a duration bucket.
pub fn bucket_bounds(bucket: i64) -> (f64, f64) {
    let edge = |b: i64| 2f64.powf(b as f64 / BUCKETS_PER_DOUBLING as f64) - 1.0;
    (edge(bucket), edge(bucket + 1))
}

/// What the metrics need to know of one inquiry (timestamps in UTC milliseconds).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Facts {
    pub created_at: i64,
    pub type_id: i64,
    pub channel: String,
    pub first_response_at: Option<i64>,
    pub resolved_at: Option<i64>,
    pub sla_due_at: i64,
    pub csat: Option<i64>,
    pub voc: Option<String>,
}

/// One histogram cell: arrival day (UTC milliseconds of its midnight in the centre's time zone),
/// type, channel, metric and bucket.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Key {
    pub day_at: i64,
    pub type_id: i64,
    pub channel: String,
    pub metric: Metric,
    pub bucket: i64,
}

/// The cells one inquiry counts in, each once.
pub fn contributions(f: &Facts) -> Vec<Key> {
    let day_at = day_of(f.created_at);
    let key = |metric, bucket| Key { day_at, type_id: f.type_id, channel: f.channel.clone(), metric, bucket };
    let secs = |at: i64| (at - f.created_at).div_euclid(1000);
    let mut out = Vec::with_capacity(5);
    if let Some(at) = f.first_response_at {
        out.push(key(Metric::FirstResponse, duration_bucket(secs(at))));
        out.push(key(Metric::Sla, (at <= f.sla_due_at) as i64));
    }
    if let Some(at) = f.resolved_at {
        out.push(key(Metric::Resolution, duration_bucket(secs(at))));
    }
    if let Some(score) = f.csat.filter(|s| (1..=5).contains(s)) {
        out.push(key(Metric::Csat, score));
    }
    if let Some(i) = f.voc.as_deref().and_then(voc_index) {
        out.push(key(Metric::Voc, i as i64));
    }
    out
}

/// The centre-time midnight (as UTC milliseconds) of the day `at` falls in.
pub fn day_of(at: i64) -> i64 {
    (at + CENTRE_OFFSET_MS).div_euclid(DAY_MS) * DAY_MS - CENTRE_OFFSET_MS
}

/// What to add to the rollups when an inquiry's facts change from `before` to `after` (None: it
/// did not exist / no longer does); cells whose count does not change are left out.
pub fn diff(before: Option<&Facts>, after: Option<&Facts>) -> Vec<(Key, i64)> {
    let mut out: Vec<(Key, i64)> = Vec::new();
    let mut add = |k: Key, d: i64| match out.iter_mut().find(|(x, _)| *x == k) {
        Some((_, n)) => *n += d,
        None => out.push((k, d)),
    };
    for k in before.map(contributions).unwrap_or_default() {
        add(k, -1);
    }
    for k in after.map(contributions).unwrap_or_default() {
        add(k, 1);
    }
    out.retain(|(_, n)| *n != 0);
    out
}

/// A report's input: the count of one type, metric and bucket over the report's range (the
/// database adds up the days).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MetricRow {
    pub type_code: String,
    pub metric: Metric,
    pub bucket: i64,
    pub n: i64,
}

/// VOC filed for the inquiries of one arrival day: (day, category index, count).
pub type VocDay = (i64, i64, i64);

/// A duration histogram: bucket → count.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Histogram(pub Vec<(i64, i64)>);

impl Histogram {
    fn add(&mut self, bucket: i64, n: i64) {
        match self.0.binary_search_by_key(&bucket, |(b, _)| *b) {
            Ok(i) => self.0[i].1 += n,
            Err(i) => self.0.insert(i, (bucket, n)),
        }
    }

    pub fn count(&self) -> i64 {
        self.0.iter().map(|(_, n)| n.max(&0)).sum()
    }

    /// The q-quantile (0..=1) in seconds, interpolated within its bucket; None when empty.
    pub fn quantile(&self, q: f64) -> Option<f64> {
        let total = self.count();
        if total == 0 {
            return None;
        }
        let rank = (q.clamp(0.0, 1.0) * total as f64).max(f64::MIN_POSITIVE);
        let mut below = 0i64;
        for &(bucket, n) in &self.0 {
            let n = n.max(0);
            if n > 0 && (below + n) as f64 >= rank {
                let (lo, hi) = bucket_bounds(bucket);
                let within = ((rank - below as f64) / n as f64).clamp(0.0, 1.0);
                return Some(lo + (hi - lo) * within);
            }
            below += n;
        }
        self.0.last().map(|(b, _)| bucket_bounds(*b).1)
    }
}

/// Median and p90 of a duration.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct Times {
    pub count: i64,
    pub median_s: Option<f64>,
    pub p90_s: Option<f64>,
}

/// The service figures of one inquiry type (or of all, `type_code` empty).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TypeService {
    pub type_code: String,
    pub first_response: Times,
    pub resolution: Times,
    pub sla_met: i64,
    pub sla_total: i64,
    /// Ratings 1..=5 at index 0..=4.
    pub csat: [i64; 5],
}

impl TypeService {
    pub fn sla_attainment(&self) -> Option<f64> {
        (self.sla_total > 0).then(|| self.sla_met as f64 / self.sla_total as f64)
    }

    pub fn csat_count(&self) -> i64 {
        self.csat.iter().sum()
    }

    pub fn csat_average(&self) -> Option<f64> {
        let n = self.csat_count();
        (n > 0).then(|| self.csat.iter().enumerate().map(|(i, c)| (i as i64 + 1) * c).sum::<i64>() as f64 / n as f64)
    }
}

/// VOC counts per period: a month ("2026-11") or the week starting on a Monday ("2026-11-23").
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct VocPeriod {
    pub period: String,
    /// Counts in the order of [`VOC_CATEGORIES`].
    pub counts: [i64; 4],
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Service {
    pub all: TypeService,
    /// Per type, in the order types first appear in the rows (callers sort for display).
    pub by_type: Vec<TypeService>,
    pub voc: Vec<VocPeriod>,
    pub voc_by_week: bool,
}

/// How VOC is grouped over time: weeks for ranges up to about three months, months beyond.
pub fn voc_by_week(range_days: i64) -> bool {
    range_days <= 92
}

/// Adds up the rows per type and overall, and the VOC days per week or month (centre time,
/// `offset_ms` from UTC).
pub fn service(rows: &[MetricRow], voc_days: &[VocDay], offset_ms: i64, by_week: bool) -> Service {
    struct Acc {
        code: String,
        first: Histogram,
        resolution: Histogram,
        s: TypeService,
    }
    let mut all = Acc { code: String::new(), first: Histogram::default(), resolution: Histogram::default(), s: TypeService::default() };
    let mut types: Vec<Acc> = Vec::new();
    let mut voc: Vec<VocPeriod> = Vec::new();
    for r in rows {
        let idx = match types.iter().position(|a| a.code == r.type_code) {
            Some(i) => i,
            None => {
                types.push(Acc { code: r.type_code.clone(), first: Histogram::default(), resolution: Histogram::default(), s: TypeService::default() });
                types.len() - 1
            }
        };
        for acc in [&mut all, &mut types[idx]] {
            match r.metric {
                Metric::FirstResponse => acc.first.add(r.bucket, r.n),
                Metric::Resolution => acc.resolution.add(r.bucket, r.n),
                Metric::Sla => {
                    acc.s.sla_total += r.n;
                    if r.bucket == 1 {
                        acc.s.sla_met += r.n;
                    }
                }
                Metric::Csat => {
                    if let Some(c) = usize::try_from(r.bucket - 1).ok().and_then(|i| acc.s.csat.get_mut(i)) {
                        *c += r.n;
                    }
                }
                Metric::Voc => {}
            }
        }
    }
    for &(day_at, bucket, n) in voc_days {
        let Some(i) = usize::try_from(bucket).ok().filter(|i| *i < VOC_CATEGORIES.len()) else { continue };
        let period = period_of(day_at, offset_ms, by_week);
        let at = match voc.binary_search_by(|p| p.period.cmp(&period)) {
            Ok(at) => at,
            Err(at) => {
                voc.insert(at, VocPeriod { period, counts: [0; 4] });
                at
            }
        };
        voc[at].counts[i] += n;
    }
    let finish = |a: Acc| {
        let times = |h: &Histogram| Times { count: h.count(), median_s: h.quantile(0.5), p90_s: h.quantile(0.9) };
        TypeService { type_code: a.code, first_response: times(&a.first), resolution: times(&a.resolution), ..a.s }
    };
    Service { all: finish(all), by_type: types.into_iter().map(finish).collect(), voc, voc_by_week: by_week }
}

/// The month ("YYYY-MM") or Monday ("YYYY-MM-DD") of the week a moment falls in, local time.
fn period_of(at: i64, offset_ms: i64, by_week: bool) -> String {
    let Local { year, month, weekday, .. } = local(at, offset_ms);
    if by_week {
        super::calendar::format_date(at - weekday as i64 * DAY_MS, offset_ms)
    } else {
        format!("{year:04}-{month:02}")
    }
}

/// A duration for people: "45 s", "12 min", "3.5 h", "2.1 d".
pub fn format_duration(seconds: f64) -> String {
    if seconds < 90.0 {
        format!("{seconds:.0} s")
    } else if seconds < 90.0 * 60.0 {
        format!("{:.0} min", seconds / 60.0)
    } else if seconds < 36.0 * 3600.0 {
        format!("{:.1} h", seconds / 3600.0)
    } else {
        format!("{:.1} d", seconds / 86_400.0)
    }
}

/// The per-type figures as CSV (seconds, rounded to whole seconds), all types first.
pub fn csv_by_type(s: &Service) -> String {
    let mut out = String::from(
        "inquiry_type,first_responses,first_response_median_s,first_response_p90_s,resolutions,resolution_median_s,resolution_p90_s,\
         within_target,target_total,target_attainment,csat_1,csat_2,csat_3,csat_4,csat_5,csat_average\r\n",
    );
    let secs = |v: Option<f64>| v.map(|s| format!("{:.0}", s)).unwrap_or_default();
    let mut types: Vec<&TypeService> = s.by_type.iter().collect();
    types.sort_by(|a, b| a.type_code.cmp(&b.type_code));
    for t in std::iter::once(&s.all).chain(types) {
        let name = if t.type_code.is_empty() { "(all)" } else { t.type_code.as_str() };
        out.push_str(&format!(
            "{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{}\r\n",
            super::analytics::field(name),
            t.first_response.count,
            secs(t.first_response.median_s),
            secs(t.first_response.p90_s),
            t.resolution.count,
            secs(t.resolution.median_s),
            secs(t.resolution.p90_s),
            t.sla_met,
            t.sla_total,
            t.sla_attainment().map(|a| format!("{a:.4}")).unwrap_or_default(),
            t.csat[0],
            t.csat[1],
            t.csat[2],
            t.csat[3],
            t.csat[4],
            t.csat_average().map(|a| format!("{a:.2}")).unwrap_or_default(),
        ));
    }
    out
}

/// VOC counts per period as CSV.
pub fn csv_voc(s: &Service) -> String {
    let mut out = format!("{},{}\r\n", if s.voc_by_week { "week_of" } else { "month" }, VOC_CATEGORIES.join(","));
    for p in &s.voc {
        out.push_str(&format!("{},{},{},{},{}\r\n", p.period, p.counts[0], p.counts[1], p.counts[2], p.counts[3]));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts() -> Facts {
        Facts {
            created_at: 1_700_000_000_000,
            type_id: 3,
            channel: "web".into(),
            first_response_at: None,
            resolved_at: None,
            sla_due_at: 1_700_000_000_000 + 3_600_000,
            csat: None,
            voc: None,
        }
    }

    #[test]
    fn buckets_grow_by_an_eighth_of_a_doubling() {
        assert_eq!(duration_bucket(0), 0);
        assert_eq!(duration_bucket(-5), 0);
        let mut last = 0;
        for s in [1, 2, 10, 60, 61, 600, 3600, 86_400, 30 * 86_400] {
            let b = duration_bucket(s);
            assert!(b >= last, "{s}");
            let (lo, hi) = bucket_bounds(b);
            assert!(lo <= s as f64 + 1e-9 && (s as f64) < hi, "{s} in [{lo}, {hi})");
            assert!(((hi + 1.0) / (lo + 1.0) - 2f64.powf(1.0 / 8.0)).abs() < 1e-9, "{s}: width");
            last = b;
        }
        assert_eq!(duration_bucket(i64::MAX), MAX_BUCKET);
    }

    #[test]
    fn an_inquiry_counts_in_each_metric_it_has() {
        let mut f = facts();
        assert!(contributions(&f).is_empty(), "nothing answered yet");
        f.first_response_at = Some(f.created_at + 600_000);
        f.resolved_at = Some(f.created_at + 7_200_000);
        f.csat = Some(4);
        f.voc = Some("question".into());
        let got: Vec<(Metric, i64)> = contributions(&f).into_iter().map(|k| (k.metric, k.bucket)).collect();
        assert_eq!(
            got,
            vec![
                (Metric::FirstResponse, duration_bucket(600)),
                (Metric::Sla, 1),
                (Metric::Resolution, duration_bucket(7200)),
                (Metric::Csat, 4),
                (Metric::Voc, 1)
            ]
        );
        f.first_response_at = Some(f.sla_due_at + 1);
        assert!(contributions(&f).iter().any(|k| k.metric == Metric::Sla && k.bucket == 0), "late is missed");
        assert!(contributions(&f).iter().all(|k| k.day_at == day_of(f.created_at)));
        use crate::domain::calendar::parse_date;
        let midnight = parse_date("2026-11-29", CENTRE_OFFSET_MS).expect("date");
        assert_eq!(day_of(midnight + DAY_MS - 1), midnight, "23:59:59.999 Seoul is the same day");
        assert_eq!(day_of(midnight - 1), midnight - DAY_MS);
    }

    #[test]
    fn a_change_moves_only_what_changed() {
        let mut before = facts();
        before.first_response_at = Some(before.created_at + 60_000);
        before.resolved_at = Some(before.created_at + 120_000);
        let mut after = before.clone();
        after.resolved_at = None; // reopened
        let d = diff(Some(&before), Some(&after));
        assert_eq!(d.len(), 1);
        assert_eq!((d[0].0.metric, d[0].1), (Metric::Resolution, -1));
        assert!(diff(Some(&before), Some(&before)).is_empty());
        let mut retyped = before.clone();
        retyped.type_id = 9;
        let d = diff(Some(&before), Some(&retyped));
        assert_eq!(d.iter().map(|x| x.1).sum::<i64>(), 0);
        assert_eq!(d.len(), 6, "three cells out, three in");
    }

    fn row(metric: Metric, bucket: i64, n: i64, type_code: &str) -> MetricRow {
        MetricRow { type_code: type_code.into(), metric, bucket, n }
    }

    #[test]
    fn quantiles_are_within_one_bucket_of_the_exact_figure() {
        // 1..=1000 minutes: exact median 500.5 min, p90 900.1 min
        let mut h = Histogram::default();
        for m in 1..=1000i64 {
            h.add(duration_bucket(m * 60), 1);
        }
        let width = 2f64.powf(1.0 / 8.0);
        let median = h.quantile(0.5).expect("median");
        assert!(median / (500.5 * 60.0) < width && (500.5 * 60.0) / median < width, "{median}");
        let p90 = h.quantile(0.9).expect("p90");
        assert!(p90 / (900.1 * 60.0) < width && (900.1 * 60.0) / p90 < width, "{p90}");
        assert_eq!(Histogram::default().quantile(0.5), None);
        let mut one = Histogram::default();
        one.add(duration_bucket(3600), 1);
        let (lo, hi) = bucket_bounds(duration_bucket(3600));
        let q = one.quantile(0.5).expect("one value");
        assert!(lo <= q && q <= hi);
    }

    #[test]
    fn the_report_adds_up_per_type_and_overall() {
        let rows = vec![
            row(Metric::Sla, 1, 3, "delivery"),
            row(Metric::Sla, 0, 1, "delivery"),
            row(Metric::Sla, 1, 1, "refund"),
            row(Metric::Csat, 5, 2, "delivery"),
            row(Metric::Csat, 2, 1, "refund"),
            row(Metric::Csat, 7, 9, "refund"),
            row(Metric::Voc, 0, 2, "refund"),
            row(Metric::Voc, 3, 1, "delivery"),
            row(Metric::FirstResponse, duration_bucket(600), 4, "delivery"),
        ];
        let day = day_of(1_700_000_000_000);
        let s = service(&rows, &[(day, 0, 2), (day, 3, 1), (day, 9, 5)], 9 * 3_600_000, true);
        assert_eq!(s.all.sla_met, 4);
        assert_eq!(s.all.sla_total, 5);
        assert_eq!(s.all.sla_attainment(), Some(0.8));
        assert_eq!(s.all.csat, [0, 1, 0, 0, 2], "out-of-range scores are ignored");
        assert_eq!(s.all.csat_average(), Some(4.0));
        let delivery = s.by_type.iter().find(|t| t.type_code == "delivery").expect("delivery");
        assert_eq!(delivery.sla_attainment(), Some(0.75));
        assert_eq!(delivery.first_response.count, 4);
        assert_eq!(s.voc.len(), 1);
        assert_eq!(s.voc[0].counts, [2, 0, 0, 1]);
        assert_eq!(s.all.resolution, Times::default());
    }

    #[test]
    fn voc_periods_are_weeks_from_monday_or_months() {
        use crate::domain::calendar::{parse_date, CENTRE_OFFSET_MS as OFF};
        let wednesday = parse_date("2026-11-25", OFF).expect("date") + 10 * 3_600_000;
        assert_eq!(period_of(wednesday, OFF, true), "2026-11-23");
        assert_eq!(period_of(wednesday, OFF, false), "2026-11");
        let sunday_late = parse_date("2026-11-29", OFF).expect("date") + 23 * 3_600_000;
        assert_eq!(period_of(sunday_late, OFF, true), "2026-11-23");
        assert!(voc_by_week(56) && !voc_by_week(365));
    }

    #[test]
    fn durations_read_naturally() {
        assert_eq!(format_duration(42.0), "42 s");
        assert_eq!(format_duration(600.0), "10 min");
        assert_eq!(format_duration(5400.0), "1.5 h");
        assert_eq!(format_duration(3.0 * 86_400.0), "3.0 d");
    }
}
