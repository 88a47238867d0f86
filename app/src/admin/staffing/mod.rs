//! Staffing plan and what-if: next week's inquiries and chats per hour (forecast from the last
//! weeks), the agents each hour needs per channel before and after the FAQ automation, and the
//! hours the agents' roster does not cover. Every control recomputes in the browser with the same
//! Rust staffing module the server and the CLI use — no request per change.

mod pages;
pub use pages::*;

#[cfg(feature = "ssr")]
use crate::auth::guard::AdminCtx;
use crate::auth::pages::Guarded;
use crate::domain::roles::Area;
use crate::domain::staffing::{plan_hour, ChannelInputs, HourPlan, WEEK_HOURS};
use crate::error::AppError;
use crate::i18n::use_i18n;
use crate::ui::charts::StackedBarChart;
use crate::ui::PageError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// Weeks of history the starting figures are averaged over.
pub const HISTORY_WEEKS: i64 = 4;
/// Chat handling time assumed when no chat has been handled yet (minutes).
pub const DEFAULT_CHAT_AHT_MIN: f64 = 6.0;

/// What the what-if island starts from (small: it travels in the page as the island's props).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlanData {
    /// Forecast inquiries per weekday-hour for the coming week (Monday 0:00 first, centre time):
    /// the mean of the last weeks times the trend.
    pub inquiries: Vec<f64>,
    /// Forecast chats, the same way.
    pub chats: Vec<f64>,
    /// Agents on shift per weekday-hour (the roster of enabled agents).
    pub roster: Vec<u32>,
    /// Share of inquiries answered by the FAQ automation and not escalated.
    pub automation_rate: f64,
    /// Mean handling time of the chats agents handled, if any were.
    pub chat_aht_s: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StaffingHistory {
    pub plan: PlanData,
    pub trend: f64,
    pub chat_trend: f64,
    pub weeks: usize,
    /// Last week forecast the same way from the weeks before it: inquiries and chats.
    pub last_week: Option<LastWeek>,
    pub chat_last_week: Option<LastWeek>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LastWeek {
    pub forecast_per_day: Vec<f64>,
    pub actual_per_day: Vec<f64>,
    /// Mean absolute error per hour (arrivals), and weighted absolute percentage error.
    pub mae: f64,
    pub wape: Option<f64>,
}

#[server(endpoint = "admin_staffing_history")]
pub async fn admin_staffing_history() -> Result<StaffingHistory, AppError> {
    let AdminCtx { state, now, .. } = AdminCtx::require().await?;
    plan_history(&state.db, now).await
}

/// The forecast, roster and measured rates the page (and its CSV) plan from.
#[cfg(feature = "ssr")]
pub async fn plan_history(db: &crate::store::Db, now: i64) -> Result<StaffingHistory, AppError> {
    use crate::domain::forecast::{backtest, forecast, per_day};
    // one week more than the forecast uses: last week is forecast from the weeks before it
    let h = crate::store::staffing::history(db, now, HISTORY_WEEKS + 1).await?;
    let recent = |weeks: &[Vec<f64>]| weeks[weeks.len().saturating_sub(HISTORY_WEEKS as usize)..].to_vec();
    let inquiries = forecast(&recent(&h.inquiries));
    let chats = forecast(&recent(&h.chats));
    let check = |weeks: &[Vec<f64>]| {
        backtest(weeks).map(|b| LastWeek { forecast_per_day: per_day(&b.forecast), actual_per_day: per_day(&b.actual), mae: b.mae, wape: b.wape })
    };
    Ok(StaffingHistory {
        // to a tenth, as the page shows them: the page, its CSV and the island plan the same figures
        plan: PlanData {
            inquiries: inquiries.per_slot.into_iter().map(tenth).collect(),
            chats: chats.per_slot.into_iter().map(tenth).collect(),
            roster: crate::store::staffing::roster(db).await?,
            automation_rate: h.automation_rate,
            chat_aht_s: h.chat_aht_s,
        },
        trend: inquiries.trend,
        chat_trend: chats.trend,
        weeks: inquiries.weeks,
        last_week: check(&h.inquiries),
        chat_last_week: check(&h.chats),
    })
}

/// The what-if assumptions, in the units the controls show. Arrivals are per weekday-hour (the
/// forecast, editable hour by hour in the page); everything else applies to the whole week.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Assumptions {
    pub web_aht_min: f64,
    pub chat_aht_min: f64,
    pub automation_pct: f64,
    pub target_pct: f64,
    pub within_s: f64,
    pub shrinkage_pct: f64,
    pub occupancy_pct: f64,
    pub concurrency: u32,
}

/// To a tenth, as the page shows figures.
fn tenth(v: f64) -> f64 {
    (v * 10.0).round() / 10.0
}

/// The shortest handling time planned with (minutes).
pub const MIN_AHT_MIN: f64 = 1.0;

/// The names of the assumptions in the plan CSV's query string, with their allowed ranges.
pub const ASSUMPTION_FIELDS: [(&str, f64, f64); 8] = [
    ("web_aht_min", MIN_AHT_MIN, 600.0),
    ("chat_aht_min", MIN_AHT_MIN, 600.0),
    ("automation_pct", 0.0, 100.0),
    ("target_pct", 1.0, 99.0),
    ("within_s", 0.0, 3600.0),
    ("shrinkage_pct", 0.0, 95.0),
    ("occupancy_pct", 1.0, 100.0),
    ("concurrency", 1.0, 20.0),
];

impl Assumptions {
    /// What the page starts from: 10 minutes per inquiry, the measured chat handling time (6
    /// minutes before any chat), the measured automation rate, 80% of chats within 20 s, 30%
    /// shrinkage, 85% occupancy, 2 chats at once.
    pub fn defaults(data: &PlanData) -> Assumptions {
        Assumptions {
            web_aht_min: 10.0,
            chat_aht_min: tenth(data.chat_aht_s.map(|s| s / 60.0).unwrap_or(DEFAULT_CHAT_AHT_MIN)).max(MIN_AHT_MIN),
            automation_pct: (data.automation_rate * 100.0).round(),
            target_pct: 80.0,
            within_s: 20.0,
            shrinkage_pct: 30.0,
            occupancy_pct: 85.0,
            concurrency: 2,
        }
    }

    fn values(&self) -> [f64; 8] {
        [self.web_aht_min, self.chat_aht_min, self.automation_pct, self.target_pct, self.within_s, self.shrinkage_pct, self.occupancy_pct, self.concurrency as f64]
    }

    /// The query string of the plan CSV with these assumptions.
    pub fn query(&self) -> String {
        ASSUMPTION_FIELDS.iter().zip(self.values()).map(|((name, ..), v)| format!("{name}={v}")).collect::<Vec<_>>().join("&")
    }

    /// Assumptions from query parameters (`get` looks one up), the defaults for missing ones;
    /// a value that is not a number in its range is a field error.
    pub fn from_query(defaults: Assumptions, get: impl Fn(&str) -> Option<String>) -> Result<Assumptions, AppError> {
        let mut v = defaults.values();
        let mut errors = Vec::new();
        for (slot, (name, min, max)) in v.iter_mut().zip(ASSUMPTION_FIELDS) {
            let Some(raw) = get(name).filter(|s| !s.trim().is_empty()) else { continue };
            match raw.trim().parse::<f64>() {
                Ok(x) if x.is_finite() && (min..=max).contains(&x) => *slot = x,
                _ => errors.push(crate::error::FieldError::new(name, crate::error::FieldCode::OutOfRange { min: min.ceil() as i64, max: max as i64 })),
            }
        }
        if !errors.is_empty() {
            return Err(AppError::Invalid(errors));
        }
        let [web_aht_min, chat_aht_min, automation_pct, target_pct, within_s, shrinkage_pct, occupancy_pct, concurrency] = v;
        Ok(Assumptions { web_aht_min, chat_aht_min, automation_pct, target_pct, within_s, shrinkage_pct, occupancy_pct, concurrency: concurrency.round() as u32 })
    }

    pub fn inputs(&self) -> ChannelInputs {
        ChannelInputs {
            web_aht_s: self.web_aht_min * 60.0,
            chat_aht_s: self.chat_aht_min * 60.0,
            automation: self.automation_pct / 100.0,
            target: self.target_pct / 100.0,
            within_s: self.within_s,
            shrinkage: self.shrinkage_pct / 100.0,
            max_occupancy: self.occupancy_pct / 100.0,
            concurrency: self.concurrency,
        }
    }
}

fn busiest(a: &[f64], b: &[f64]) -> usize {
    (0..a.len().min(b.len())).fold(0, |best, i| if a[i] + b[i] > a[best] + b[best] { i } else { best })
}

fn fit<T: Clone + Default>(v: Vec<T>) -> Vec<T> {
    if v.len() == WEEK_HOURS {
        v
    } else {
        vec![T::default(); WEEK_HOURS]
    }
}

#[island(lazy)]
fn WhatIf(data: PlanData) -> impl IntoView {
    crate::ui::hydration::island_ready("what_if");
    let i18n = use_i18n();
    let controls = RwSignal::new(Assumptions::defaults(&data));
    // the server rounded the forecast to tenths already
    let web = RwSignal::new(fit(data.inquiries));
    let chats = RwSignal::new(fit(data.chats));
    let roster = StoredValue::new(fit(data.roster));
    let start = web.with_untracked(|w| chats.with_untracked(|c| busiest(w, c)));
    let day = RwSignal::new(start / 24);
    let hour = RwSignal::new(start % 24);
    let slot = move || (day.get() * 24 + hour.get()).min(WEEK_HOURS - 1);
    let plan_of = move |c: &Assumptions, s: usize| -> Result<HourPlan, String> {
        let (w, ch) = (web.with(|v| v[s]), chats.with(|v| v[s]));
        plan_hour(&c.inputs(), 3600.0, w, ch, roster.with_value(|r| r[s])).map_err(|e| e.to_string())
    };
    // a numeric control bound to the assumptions; an unparsable entry leaves the last value
    let number = move |label: &'static str, id: &'static str, min: &'static str, max: &'static str, step: &'static str, get: fn(&Assumptions) -> f64, set: fn(&mut Assumptions, f64)| {
        view! {
            <div class="field">
                <label for=id>{label}</label>
                <input id=id type="number" min=min max=max step=step
                    prop:value=move || controls.with(|c| get(c)).to_string()
                    on:input=move |ev| {
                        if let Ok(v) = event_target_value(&ev).parse::<f64>() {
                            controls.update(|c| set(c, v));
                        }
                    } />
            </div>
        }
    };
    // the selected hour's arrivals of one channel
    let arrivals = move |label: &'static str, id: &'static str, series: RwSignal<Vec<f64>>| {
        view! {
            <div class="field">
                <label for=id>{label}</label>
                <input id=id type="number" min="0" max="100000" step="0.1"
                    prop:value=move || series.with(|v| v[slot()]).to_string()
                    on:input=move |ev| {
                        if let Ok(v) = event_target_value(&ev).parse::<f64>() {
                            let s = slot();
                            series.update(|x| x[s] = v);
                        }
                    } />
            </div>
        }
    };
    let result = Memo::new(move |_| controls.with(|c| plan_of(c, slot())));
    let day_plan = Memo::new(move |_| {
        let d = day.get();
        controls.with(|c| (0..24).map(|h| (h, web.with(|v| v[d * 24 + h]), chats.with(|v| v[d * 24 + h]), plan_of(c, d * 24 + h).ok())).collect::<Vec<_>>())
    });
    let pct = |v: f64| format!("{:.1}%", v * 100.0);
    view! {
        <div class="workspace">
            <section class="card workspace-main">
                <h2>{move || i18n.t().staffing_controls()}</h2>
                <div class="field">
                    <label for="wi-day">{move || i18n.t().staffing_day()}</label>
                    <select id="wi-day" on:change=move |ev| day.set(event_target_value(&ev).parse().unwrap_or(0).min(6))>
                        {move || (0..7).map(|d| view! { <option value=d selected=day.get() == d>{i18n.t().weekdays()[d]}</option> }).collect_view()}
                    </select>
                    <label for="wi-hour">{move || i18n.t().staffing_hour()}</label>
                    <select id="wi-hour" on:change=move |ev| hour.set(event_target_value(&ev).parse().unwrap_or(0).min(23))>
                        {move || (0..24).map(|h| view! { <option value=h selected=hour.get() == h>{format!("{h:02}:00")}</option> }).collect_view()}
                    </select>
                </div>
                <fieldset>
                    <legend>{move || i18n.t().staffing_web()}</legend>
                    {arrivals(i18n.t().staffing_arrivals(), "wi-arrivals", web)}
                    {number(i18n.t().staffing_aht(), "wi-aht", "1", "600", "0.5", |c| c.web_aht_min, |c, v| c.web_aht_min = v)}
                    <div class="field">
                        <label for="wi-automation">{move || i18n.t().staffing_automation()} " " <output>{move || format!("{}%", controls.with(|c| c.automation_pct))}</output></label>
                        <input id="wi-automation" type="range" min="0" max="100" step="1"
                            prop:value=move || controls.with(|c| c.automation_pct).to_string()
                            on:input=move |ev| {
                                if let Ok(v) = event_target_value(&ev).parse::<f64>() {
                                    controls.update(|c| c.automation_pct = v);
                                }
                            } />
                    </div>
                    {number(i18n.t().staffing_occupancy(), "wi-occupancy", "1", "100", "1", |c| c.occupancy_pct, |c, v| c.occupancy_pct = v)}
                </fieldset>
                <fieldset>
                    <legend>{move || i18n.t().staffing_chat()}</legend>
                    {arrivals(i18n.t().staffing_chat_arrivals(), "wi-chat-arrivals", chats)}
                    {number(i18n.t().staffing_chat_aht(), "wi-chat-aht", "1", "600", "0.5", |c| c.chat_aht_min, |c, v| c.chat_aht_min = v)}
                    {number(i18n.t().staffing_target(), "wi-target", "1", "99", "1", |c| c.target_pct, |c, v| c.target_pct = v)}
                    {number(i18n.t().staffing_within(), "wi-within", "0", "3600", "5", |c| c.within_s, |c, v| c.within_s = v)}
                    {number(i18n.t().staffing_concurrency(), "wi-concurrency", "1", "20", "1", |c| c.concurrency as f64, |c, v| c.concurrency = v as u32)}
                </fieldset>
                {number(i18n.t().staffing_shrinkage(), "wi-shrinkage", "0", "95", "1", |c| c.shrinkage_pct, |c, v| c.shrinkage_pct = v)}
            </section>
            <aside class="workspace-side">
                <section class="card" aria-live="polite">
                    <h2>{move || format!("{} · {} {:02}:00", i18n.t().staffing_result(), i18n.t().weekdays()[day.get()], hour.get())}</h2>
                    {move || match result.get() {
                        Err(e) => view! { <p class="field-error" role="alert">{i18n.t().staffing_invalid()} " " {e}</p> }.into_any(),
                        Ok(p) => {
                            let t = i18n.t();
                            let short = p.shortfall();
                            let row = |label: &'static str, before: String, after: String| view! {
                                <tr><th scope="row">{label}</th><td class="num">{before}</td><td class="num">{after}</td></tr>
                            };
                            let chat_sl = pct(p.chat.performance.service_level);
                            let chat_asa = p.chat.performance.asa_s.map(|s| format!("{s:.1} s")).unwrap_or_else(|| "∞".into());
                            view! {
                                <p class="big" id="wi-saved">{t.staffing_saved(p.needed_before(), p.needed_after())}</p>
                                <p id="wi-roster" class:short={short > 0}>{t.staffing_roster_line(p.rostered, short)}</p>
                                <table class="staffing">
                                    <thead><tr><th></th><th scope="col">{t.staffing_before()}</th><th scope="col">{t.staffing_after()}</th></tr></thead>
                                    <tbody>
                                        {row(t.staffing_web_workload(), format!("{:.2}", p.web_before.workload_agents), format!("{:.2}", p.web_after.workload_agents))}
                                        {row(t.staffing_web_scheduled(), p.web_before.scheduled.to_string(), p.web_after.scheduled.to_string())}
                                        {row(t.staffing_chat_agents(), p.chat.agents.to_string(), p.chat.agents.to_string())}
                                        {row(t.staffing_chat_scheduled(), p.chat.scheduled.to_string(), p.chat.scheduled.to_string())}
                                        {row(t.staffing_service_level(), chat_sl.clone(), chat_sl)}
                                        {row(t.staffing_asa(), chat_asa.clone(), chat_asa)}
                                        {row(t.staffing_occupancy_result(), pct(p.chat.performance.occupancy), pct(p.chat.performance.occupancy))}
                                        {row(t.staffing_floor_total(), p.floor_before.to_string(), p.floor_after.to_string())}
                                        {row(t.staffing_total(), p.needed_before().to_string(), p.needed_after().to_string())}
                                    </tbody>
                                </table>
                                <h3>{t.staffing_steps()}</h3>
                                <p class="hint">{t.staffing_web()}</p>
                                <ol class="steps">
                                    {p.web_after.steps.iter().map(|s| view! { <li>{s.what.clone()} ": " <strong>{format!("{:.2}", s.value)}</strong></li> }).collect_view()}
                                </ol>
                                <p class="hint">{t.staffing_chat()}</p>
                                <ol class="steps">
                                    {p.chat.steps.iter().map(|s| view! { <li>{s.what.clone()} ": " <strong>{format!("{:.2}", s.value)}</strong></li> }).collect_view()}
                                </ol>
                            }.into_any()
                        }
                    }}
                </section>
            </aside>
        </div>
        <section class="card" aria-labelledby="day-plan-title">
            <h2 id="day-plan-title">{move || i18n.t().staffing_day_plan(i18n.t().weekdays()[day.get()])}</h2>
            <p class="hint">{move || i18n.t().staffing_plan_hint()}</p>
            <p><a class="button" id="plan-csv" download="staffing-plan.csv"
                href=move || controls.with(|c| format!("/admin/staffing.csv?{}", c.query()))>{move || i18n.t().staffing_csv()}</a></p>
            {move || view! { <DayChart hours=day_plan.get() /> }}
            <div class="table-wrap">
                <table class="staffing-day">
                    <thead><tr>
                        <th scope="col">{move || i18n.t().staffing_hour()}</th>
                        <th scope="col" class="num">{move || i18n.t().staffing_web()}</th>
                        <th scope="col" class="num">{move || i18n.t().staffing_chat()}</th>
                        <th scope="col" class="num">{move || i18n.t().staffing_before()}</th>
                        <th scope="col" class="num">{move || i18n.t().staffing_after()}</th>
                        <th scope="col" class="num">{move || i18n.t().staffing_roster()}</th>
                        <th scope="col" class="num">{move || i18n.t().staffing_shortfall()}</th>
                    </tr></thead>
                    <tbody>
                        {move || day_plan.get().into_iter().map(|(h, w, c, p)| {
                            let short = p.as_ref().map(|p| p.shortfall()).unwrap_or(0);
                            view! {
                                <tr class:selected=move || hour.get() == h class:short={short > 0} data-hour=h>
                                    <td>{format!("{h:02}:00")}</td>
                                    <td class="num">{format!("{w:.1}")}</td>
                                    <td class="num">{format!("{c:.1}")}</td>
                                    <td class="num">{p.as_ref().map(|p| p.needed_before().to_string()).unwrap_or_default()}</td>
                                    <td class="num">{p.as_ref().map(|p| p.needed_after().to_string()).unwrap_or_default()}</td>
                                    <td class="num">{p.as_ref().map(|p| p.rostered.to_string()).unwrap_or_default()}</td>
                                    <td class="num" class:short={short > 0}>{if short > 0 { format!("−{short}") } else { "✓".to_string() }}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn data() -> PlanData {
        PlanData { inquiries: vec![], chats: vec![], roster: vec![], automation_rate: 0.537, chat_aht_s: Some(372.0) }
    }

    #[test]
    fn assumptions_start_from_the_measured_rates_and_travel_in_a_query_string() {
        let d = Assumptions::defaults(&data());
        assert_eq!((d.automation_pct, d.chat_aht_min, d.web_aht_min, d.concurrency), (54.0, 6.2, 10.0, 2));
        assert_eq!(Assumptions::defaults(&PlanData { chat_aht_s: None, ..data() }).chat_aht_min, DEFAULT_CHAT_AHT_MIN);
        let changed = Assumptions { automation_pct: 80.0, within_s: 30.0, concurrency: 3, ..d };
        let q = changed.query();
        assert!(q.starts_with("web_aht_min=10&chat_aht_min=6.2&automation_pct=80&"), "{q}");
        let pairs: std::collections::HashMap<String, String> =
            q.split('&').filter_map(|kv| kv.split_once('=')).map(|(k, v)| (k.to_string(), v.to_string())).collect();
        assert_eq!(Assumptions::from_query(d, |k| pairs.get(k).cloned()).expect("parsed"), changed);
        assert_eq!(Assumptions::from_query(d, |_| None).expect("defaults"), d);
        let bad = Assumptions::from_query(d, |k| match k {
            "target_pct" => Some("150".into()),
            "web_aht_min" => Some("ten".into()),
            _ => None,
        });
        match bad {
            Err(AppError::Invalid(errors)) => {
                let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
                assert_eq!(fields, ["web_aht_min", "target_pct"]);
            }
            other => panic!("{other:?}"),
        }
    }
}
