//! Arrivals forecast for the coming week, per weekday-hour (DESIGN 4): the mean of the same
//! weekday-hour over the recent weeks, times a trend factor (the last two weeks against all of
//! them), and how good that rule was last week: last week forecast from the weeks before it,
//! against what actually arrived.

use super::staffing::WEEK_HOURS;

/// The trend factor is kept within these bounds: one odd week must not halve or double a plan.
pub const TREND_MIN: f64 = 0.5;
pub const TREND_MAX: f64 = 2.0;
/// Weeks the trend compares against the whole history.
const TREND_WEEKS: usize = 2;

/// The forecast and how it was made.
#[derive(Debug, Clone, PartialEq)]
pub struct Forecast {
    /// Expected arrivals per weekday-hour, Monday 0:00 first.
    pub per_slot: Vec<f64>,
    pub trend: f64,
    pub weeks: usize,
}

/// Forecast from complete weeks of arrivals per weekday-hour (oldest first). No weeks: zeros.
/// With fewer than three weeks the trend is 1 (too little history to tell a trend from noise).
pub fn forecast(weeks: &[Vec<f64>]) -> Forecast {
    let n = weeks.len();
    let mut per_slot = vec![0.0; WEEK_HOURS];
    if n == 0 {
        return Forecast { per_slot, trend: 1.0, weeks: 0 };
    }
    for w in weeks {
        for (acc, v) in per_slot.iter_mut().zip(w) {
            *acc += v / n as f64;
        }
    }
    let total = |w: &Vec<f64>| w.iter().sum::<f64>();
    let mean_all = weeks.iter().map(total).sum::<f64>() / n as f64;
    let trend = if n > TREND_WEEKS && mean_all > 0.0 {
        let recent = weeks[n - TREND_WEEKS..].iter().map(total).sum::<f64>() / TREND_WEEKS as f64;
        (recent / mean_all).clamp(TREND_MIN, TREND_MAX)
    } else {
        1.0
    };
    for v in per_slot.iter_mut() {
        *v *= trend;
    }
    Forecast { per_slot, trend, weeks: n }
}

/// How last week's forecast compared with what arrived.
#[derive(Debug, Clone, PartialEq)]
pub struct Backtest {
    pub forecast: Vec<f64>,
    pub actual: Vec<f64>,
    /// Mean absolute error per hour, in arrivals.
    pub mae: f64,
    /// Weighted absolute percentage error: Σ|forecast − actual| ÷ Σ actual (None without arrivals).
    pub wape: Option<f64>,
}

/// Forecasts the last of `weeks` from the ones before it. `None` with fewer than two weeks.
pub fn backtest(weeks: &[Vec<f64>]) -> Option<Backtest> {
    let (last, before) = weeks.split_last()?;
    if before.is_empty() {
        return None;
    }
    let f = forecast(before).per_slot;
    let abs: f64 = f.iter().zip(last).map(|(a, b)| (a - b).abs()).sum();
    let actual_total: f64 = last.iter().sum();
    Some(Backtest {
        mae: abs / WEEK_HOURS as f64,
        wape: (actual_total > 0.0).then(|| abs / actual_total),
        forecast: f,
        actual: last.clone(),
    })
}

/// Sums per weekday (7 values, Monday first) of a per-weekday-hour series.
pub fn per_day(per_slot: &[f64]) -> Vec<f64> {
    per_slot.chunks(24).map(|d| d.iter().sum()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn week(level: f64) -> Vec<f64> {
        // busy weekday mornings: 3x the level at 10:00 on weekdays
        (0..WEEK_HOURS).map(|s| if s / 24 < 5 && s % 24 == 10 { 3.0 * level } else { level }).collect()
    }

    #[test]
    fn a_flat_history_forecasts_itself() {
        let f = forecast(&[week(2.0), week(2.0), week(2.0), week(2.0)]);
        assert_eq!(f.trend, 1.0);
        assert_eq!(f.per_slot, week(2.0));
        let b = backtest(&[week(2.0), week(2.0), week(2.0)]).expect("backtest");
        assert_eq!((b.mae, b.wape), (0.0, Some(0.0)));
    }

    #[test]
    fn growth_raises_the_forecast_within_bounds() {
        let f = forecast(&[week(1.0), week(1.0), week(2.0), week(2.0)]);
        // recent mean 2 vs overall 1.5
        assert!((f.trend - 4.0 / 3.0).abs() < 1e-12);
        assert!((f.per_slot[10] - 1.5 * 3.0 * 4.0 / 3.0).abs() < 1e-9);
        let boom = forecast(&[week(1.0), week(1.0), week(1.0), week(1.0), week(50.0), week(50.0)]);
        assert_eq!(boom.trend, TREND_MAX);
        let bust = forecast(&[week(10.0), week(10.0), week(10.0), week(0.0), week(0.0)]);
        assert_eq!(bust.trend, TREND_MIN);
        // two weeks: too short for a trend
        assert_eq!(forecast(&[week(1.0), week(5.0)]).trend, 1.0);
    }

    #[test]
    fn backtest_measures_last_week_against_the_weeks_before() {
        let b = backtest(&[week(1.0), week(1.0), week(2.0)]).expect("backtest");
        assert_eq!(b.forecast, week(1.0));
        let diff: f64 = week(1.0).iter().sum();
        assert!((b.mae - diff / WEEK_HOURS as f64).abs() < 1e-12);
        assert_eq!(b.wape, Some(0.5));
        assert!(backtest(&[week(1.0)]).is_none());
        assert!(backtest(&[]).is_none());
        assert_eq!(backtest(&[week(1.0), vec![0.0; WEEK_HOURS]]).expect("b").wape, None);
        assert_eq!(per_day(&week(1.0)), [26.0, 26.0, 26.0, 26.0, 26.0, 24.0, 24.0]);
        assert!(forecast(&[]).per_slot.iter().all(|v| *v == 0.0));
    }
}
