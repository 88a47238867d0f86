//! Staffing what-if: agents needed per hour before and after the FAQ automation, from the
//! busiest weekday-hours of the last weeks. Every control recomputes in the browser with the
//! same Rust staffing module the server and the CLI use — no request per change.

use crate::auth::pages::Guarded;
use crate::domain::roles::Area;
#[cfg(feature = "ssr")]
use crate::domain::roles::Role;
use crate::domain::staffing::{automation_saving, Plan, RealTimeInput, WEEK_HOURS};
use crate::error::AppError;
use crate::i18n::use_i18n;
use crate::ui::PageError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// Weeks of history the starting figures are averaged over.
pub const HISTORY_WEEKS: i64 = 4;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StaffingHistory {
    /// Forecast arrivals per weekday-hour for the coming week (Monday 0:00 first, centre time):
    /// the mean of the last weeks times the trend.
    pub per_slot: Vec<f64>,
    /// Share of inquiries answered by the FAQ automation and not escalated.
    pub automation_rate: f64,
    pub trend: f64,
    pub weeks: usize,
    /// Last week forecast the same way from the weeks before it, per weekday: (forecast, actual).
    pub last_week: Option<LastWeek>,
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
    use crate::domain::forecast::{backtest, forecast, per_day};
    crate::auth::guard::require_role(Role::Admin).await?;
    let state = crate::state::AppState::get()?;
    // one week more than the forecast uses: last week is forecast from the weeks before it
    let (weeks, automation_rate) = crate::db::staffing::history(&state.db, crate::db::now_ms(), HISTORY_WEEKS + 1).await?;
    let recent = &weeks[weeks.len().saturating_sub(HISTORY_WEEKS as usize)..];
    let f = forecast(recent);
    let last_week = backtest(&weeks).map(|b| LastWeek {
        forecast_per_day: per_day(&b.forecast),
        actual_per_day: per_day(&b.actual),
        mae: b.mae,
        wape: b.wape,
    });
    Ok(StaffingHistory { per_slot: f.per_slot, automation_rate, trend: f.trend, weeks: f.weeks, last_week })
}

#[component]
pub fn StaffingPage() -> impl IntoView {
    view! {
        <Guarded area=Some(Area::Admin)>
            <Staffing />
        </Guarded>
    }
}

#[component]
fn Staffing() -> impl IntoView {
    let i18n = use_i18n();
    let data = Resource::new(|| (), |_| admin_staffing_history());
    view! {
        <section class="page-head">
            <h1>{move || i18n.t().staffing_title}</h1>
            <p class="lead">{move || i18n.t().staffing_lead}</p>
        </section>
        <Transition fallback=move || view! { <p class="loading">{i18n.t().loading}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(h) => {
                        let quality = view! { <ForecastQuality history=h.clone() /> };
                        view! { <WhatIf history=h /> {quality} }.into_any()
                    }
                    Err(e) => view! { <PageError error=e /> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// How the forecast was made, and how the same rule did last week, day by day.
#[component]
fn ForecastQuality(history: StaffingHistory) -> impl IntoView {
    let t = use_i18n().t();
    view! {
        <section class="card" aria-labelledby="forecast-title">
            <h2 id="forecast-title">{t.forecast_title}</h2>
            <p>{(t.forecast_how)(history.weeks, history.trend)}</p>
            {match history.last_week {
                None => view! { <p>{t.forecast_no_backtest}</p> }.into_any(),
                Some(w) => view! {
                    <p>{(t.forecast_error)(w.mae, w.wape.map(|e| e * 100.0))}</p>
                    <div class="table-wrap">
                        <table class="forecast-check">
                            <thead><tr>
                                <th scope="col">{t.forecast_day}</th>
                                <th scope="col" class="num">{t.forecast_col}</th>
                                <th scope="col" class="num">{t.actual_col}</th>
                            </tr></thead>
                            <tbody>
                                {w.forecast_per_day.iter().zip(&w.actual_per_day).enumerate().map(|(d, (f, a))| view! {
                                    <tr>
                                        <th scope="row">{t.weekdays[d]}</th>
                                        <td class="num">{format!("{f:.1}")}</td>
                                        <td class="num">{format!("{a:.0}")}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any(),
            }}
        </section>
    }
}

/// The what-if controls for one hour (arrivals preset from history) and the selected day's
/// plan hour by hour.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Controls {
    arrivals: f64,
    aht_min: f64,
    automation_pct: f64,
    target_pct: f64,
    within_s: f64,
    shrinkage_pct: f64,
    occupancy_pct: f64,
    concurrency: u32,
}

impl Controls {
    fn input(&self, arrivals: f64) -> RealTimeInput {
        let mut i = RealTimeInput::new(arrivals, 3600.0, self.aht_min * 60.0, self.target_pct / 100.0, self.within_s);
        i.shrinkage = self.shrinkage_pct / 100.0;
        i.max_occupancy = self.occupancy_pct / 100.0;
        i.concurrency = self.concurrency;
        i
    }

    /// (before, after) the automation, or the reason the inputs do not make a plan.
    fn plans(&self, arrivals: f64) -> Result<(Plan, Plan), String> {
        automation_saving(&self.input(arrivals), self.automation_pct / 100.0).map_err(|e| e.to_string())
    }
}

fn busiest(per_slot: &[f64]) -> usize {
    per_slot.iter().enumerate().fold(0, |best, (i, v)| if *v > per_slot[best] { i } else { best })
}

#[island]
fn WhatIf(history: StaffingHistory) -> impl IntoView {
    let i18n = use_i18n();
    let per_slot = if history.per_slot.len() == WEEK_HOURS { history.per_slot } else { vec![0.0; WEEK_HOURS] };
    let start = busiest(&per_slot);
    let day = RwSignal::new(start / 24);
    let hour = RwSignal::new(start % 24);
    let round1 = |v: f64| (v * 10.0).round() / 10.0;
    let controls = RwSignal::new(Controls {
        arrivals: round1(per_slot[start]),
        aht_min: 10.0,
        automation_pct: (history.automation_rate * 100.0).round(),
        target_pct: 80.0,
        within_s: 20.0,
        shrinkage_pct: 30.0,
        occupancy_pct: 85.0,
        concurrency: 1,
    });
    let slots = StoredValue::new(per_slot);
    let pick = move |d: usize, h: usize| {
        day.set(d);
        hour.set(h);
        let v = slots.with_value(|s| s[(d * 24 + h).min(WEEK_HOURS - 1)]);
        controls.update(|c| c.arrivals = round1(v));
    };
    // a numeric control: its value in the signal, an unparsable entry leaves the last value
    let number = move |label: &'static str, id: &'static str, min: &'static str, max: &'static str, step: &'static str, get: fn(&Controls) -> f64, set: fn(&mut Controls, f64)| {
        view! {
            <div class="field">
                <label for=id>{label}</label>
                <input
                    id=id
                    type="number"
                    min=min
                    max=max
                    step=step
                    prop:value=move || controls.with(|c| get(c)).to_string()
                    on:input=move |ev| {
                        if let Ok(v) = event_target_value(&ev).parse::<f64>() {
                            controls.update(|c| set(c, v));
                        }
                    }
                />
            </div>
        }
    };
    let result = Memo::new(move |_| controls.with(|c| c.plans(c.arrivals)));
    let day_plan = Memo::new(move |_| {
        let d = day.get();
        controls.with(|c| slots.with_value(|s| (0..24).map(|h| (h, s[d * 24 + h], c.plans(s[d * 24 + h]).ok().map(|(b, a)| (b.agents, a.agents)))).collect::<Vec<_>>()))
    });
    let pct = |v: f64| format!("{:.1}%", v * 100.0);
    view! {
        <div class="workspace">
            <section class="card workspace-main">
                <h2>{move || i18n.t().staffing_controls}</h2>
                <div class="field">
                    <label for="wi-day">{move || i18n.t().staffing_day}</label>
                    <select id="wi-day" on:change=move |ev| pick(event_target_value(&ev).parse().unwrap_or(0).min(6), hour.get_untracked())>
                        {move || (0..7).map(|d| view! { <option value=d selected=day.get() == d>{i18n.t().weekdays[d]}</option> }).collect_view()}
                    </select>
                    <label for="wi-hour">{move || i18n.t().staffing_hour}</label>
                    <select id="wi-hour" on:change=move |ev| pick(day.get_untracked(), event_target_value(&ev).parse().unwrap_or(0).min(23))>
                        {move || (0..24).map(|h| view! { <option value=h selected=hour.get() == h>{format!("{h:02}:00")}</option> }).collect_view()}
                    </select>
                </div>
                {number(i18n.t().staffing_arrivals, "wi-arrivals", "0", "100000", "0.1", |c| c.arrivals, |c, v| c.arrivals = v)}
                {number(i18n.t().staffing_aht, "wi-aht", "0.1", "600", "0.5", |c| c.aht_min, |c, v| c.aht_min = v)}
                <div class="field">
                    <label for="wi-automation">{move || i18n.t().staffing_automation} " " <output>{move || format!("{}%", controls.with(|c| c.automation_pct))}</output></label>
                    <input
                        id="wi-automation"
                        type="range"
                        min="0"
                        max="100"
                        step="1"
                        prop:value=move || controls.with(|c| c.automation_pct).to_string()
                        on:input=move |ev| {
                            if let Ok(v) = event_target_value(&ev).parse::<f64>() {
                                controls.update(|c| c.automation_pct = v);
                            }
                        }
                    />
                </div>
                {number(i18n.t().staffing_target, "wi-target", "1", "99", "1", |c| c.target_pct, |c, v| c.target_pct = v)}
                {number(i18n.t().staffing_within, "wi-within", "0", "3600", "5", |c| c.within_s, |c, v| c.within_s = v)}
                {number(i18n.t().staffing_shrinkage, "wi-shrinkage", "0", "95", "1", |c| c.shrinkage_pct, |c, v| c.shrinkage_pct = v)}
                {number(i18n.t().staffing_occupancy, "wi-occupancy", "1", "100", "1", |c| c.occupancy_pct, |c, v| c.occupancy_pct = v)}
                {number(i18n.t().staffing_concurrency, "wi-concurrency", "1", "20", "1", |c| c.concurrency as f64, |c, v| c.concurrency = v as u32)}
            </section>
            <aside class="workspace-side">
                <section class="card" aria-live="polite">
                    <h2>{move || i18n.t().staffing_result}</h2>
                    {move || match result.get() {
                        Err(e) => view! { <p class="field-error" role="alert">{i18n.t().staffing_invalid} " " {e}</p> }.into_any(),
                        Ok((before, after)) => {
                            let t = i18n.t();
                            let row = |label: &'static str, f: &dyn Fn(&Plan) -> String| view! {
                                <tr><th scope="row">{label}</th><td>{f(&before)}</td><td>{f(&after)}</td></tr>
                            };
                            view! {
                                <p class="big" id="wi-saved">{(t.staffing_saved)(before.agents, after.agents)}</p>
                                <table class="staffing">
                                    <thead><tr><th></th><th scope="col">{t.staffing_before}</th><th scope="col">{t.staffing_after}</th></tr></thead>
                                    <tbody>
                                        {row(t.staffing_workload, &|p| format!("{:.2}", p.workload_agents))}
                                        {row(t.staffing_agents, &|p| p.agents.to_string())}
                                        {row(t.staffing_scheduled, &|p| p.scheduled.to_string())}
                                        {row(t.staffing_service_level, &|p| pct(p.performance.service_level))}
                                        {row(t.staffing_wait, &|p| pct(p.performance.probability_of_waiting))}
                                        {row(t.staffing_asa, &|p| p.performance.asa_s.map(|s| format!("{s:.1} s")).unwrap_or_else(|| "∞".into()))}
                                        {row(t.staffing_occupancy_result, &|p| pct(p.performance.occupancy))}
                                    </tbody>
                                </table>
                                <h3>{t.staffing_steps}</h3>
                                <ol class="steps">
                                    {after.steps.iter().map(|s| view! { <li>{s.what.clone()} ": " <strong>{format!("{:.2}", s.value)}</strong></li> }).collect_view()}
                                </ol>
                            }.into_any()
                        }
                    }}
                </section>
            </aside>
        </div>
        <section class="card">
            <h2>{move || (i18n.t().staffing_day_plan)(i18n.t().weekdays[day.get()])}</h2>
            <div class="table-wrap">
                <table class="staffing-day">
                    <thead><tr>
                        <th scope="col">{move || i18n.t().staffing_hour}</th>
                        <th scope="col">{move || i18n.t().staffing_arrivals}</th>
                        <th scope="col">{move || i18n.t().staffing_before}</th>
                        <th scope="col">{move || i18n.t().staffing_after}</th>
                    </tr></thead>
                    <tbody>
                        {move || day_plan.get().into_iter().map(|(h, arrivals, agents)| view! {
                            <tr class:selected=move || hour.get() == h>
                                <td>{format!("{h:02}:00")}</td>
                                <td>{format!("{arrivals:.1}")}</td>
                                <td>{agents.map(|a| a.0.to_string()).unwrap_or_default()}</td>
                                <td>{agents.map(|a| a.1.to_string()).unwrap_or_default()}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
    }
}
