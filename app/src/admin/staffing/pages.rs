//! The staffing pages (components rendered on the server; the islands and server functions
//! they use are in `mod.rs`).

use super::*;

#[component]
pub fn StaffingPage() -> impl IntoView {
    let i18n = use_i18n();
    let data = Resource::new(|| (), |_| admin_staffing_history());
    view! {
        <Guarded area=Some(Area::Admin)>
            <section class="page-head">
                <h1>{move || i18n.t().staffing_title()}</h1>
                <p class="lead">{move || i18n.t().staffing_lead()}</p>
            </section>
            <Transition fallback=move || view! { <p class="loading">{i18n.t().loading()}</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(h) => {
                            let plan = h.plan.clone();
                            view! { <WhatIf data=plan /> <ForecastQuality history=h /> }.into_any()
                        }
                        Err(e) => view! { <PageError error=e /> }.into_any(),
                    }
                })}
            </Transition>
        </Guarded>
    }
}

/// How the forecast was made, and how the same rule did last week, day by day, for inquiries
/// and chats.
#[component]
pub(crate) fn ForecastQuality(history: StaffingHistory) -> impl IntoView {
    let t = use_i18n().t();
    let error = |w: &Option<LastWeek>| w.as_ref().map(|w| t.forecast_error(w.mae, w.wape.map(|e| e * 100.0)));
    let (inq_error, chat_error) = (error(&history.last_week), error(&history.chat_last_week));
    view! {
        <section class="card" aria-labelledby="forecast-title">
            <h2 id="forecast-title">{t.forecast_title()}</h2>
            <p>{t.forecast_how(history.weeks, history.trend)} " " {t.forecast_chat_trend(history.chat_trend)}</p>
            {match history.last_week {
                None => view! { <p>{t.forecast_no_backtest()}</p> }.into_any(),
                Some(w) => {
                    let chats = history.chat_last_week.unwrap_or(LastWeek { forecast_per_day: vec![0.0; 7], actual_per_day: vec![0.0; 7], mae: 0.0, wape: None });
                    // forecast against actual per day, both channels, as grouped bars
                    let labels: Vec<String> = t.weekdays_short().iter().map(|d| d.to_string()).collect();
                    let series: Vec<String> = vec![
                        format!("{} · {}", t.staffing_web(), t.forecast_col()),
                        format!("{} · {}", t.staffing_web(), t.actual_col()),
                        format!("{} · {}", t.staffing_chat(), t.forecast_col()),
                        format!("{} · {}", t.staffing_chat(), t.actual_col()),
                    ];
                    let day = |x: &[f64], d: usize| x.get(d).copied().unwrap_or(0.0).round() as i64;
                    let values: Vec<Vec<i64>> = (0..7)
                        .map(|d| vec![day(&w.forecast_per_day, d), day(&w.actual_per_day, d), day(&chats.forecast_per_day, d), day(&chats.actual_per_day, d)])
                        .collect();
                    view! {
                        <p>{t.staffing_web()} ": " {inq_error} <br /> {t.staffing_chat()} ": " {chat_error}</p>
                        <StackedBarChart id="forecast-chart".into() title=t.forecast_chart_title().into() labels=labels series=series values=values
                            value_label=t.arrivals_unit().into() label_heading=t.forecast_day().into() grouped=true />
                        <div class="table-wrap">
                            <table class="forecast-check">
                                <thead>
                                    <tr>
                                        <th scope="col" rowspan="2">{t.forecast_day()}</th>
                                        <th scope="colgroup" colspan="2">{t.staffing_web()}</th>
                                        <th scope="colgroup" colspan="2">{t.staffing_chat()}</th>
                                    </tr>
                                    <tr>
                                        <th scope="col" class="num">{t.forecast_col()}</th>
                                        <th scope="col" class="num">{t.actual_col()}</th>
                                        <th scope="col" class="num">{t.forecast_col()}</th>
                                        <th scope="col" class="num">{t.actual_col()}</th>
                                    </tr>
                                </thead>
                                <tbody>
                                    {(0..7).map(|d| {
                                        let v = |x: &[f64]| x.get(d).copied().unwrap_or(0.0);
                                        view! {
                                            <tr>
                                                <th scope="row">{t.weekdays()[d]}</th>
                                                <td class="num">{format!("{:.1}", v(&w.forecast_per_day))}</td>
                                                <td class="num">{format!("{:.0}", v(&w.actual_per_day))}</td>
                                                <td class="num">{format!("{:.1}", v(&chats.forecast_per_day))}</td>
                                                <td class="num">{format!("{:.0}", v(&chats.actual_per_day))}</td>
                                            </tr>
                                        }
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                    }.into_any()
                }
            }}
        </section>
    }
}

/// The day's plan as bars (agents to schedule without the automation, light, and with it, dark)
/// and the roster as a line; hours the roster does not cover are marked red.
#[component]
pub(crate) fn DayChart(hours: Vec<(usize, f64, f64, Option<HourPlan>)>) -> impl IntoView {
    let t = use_i18n().t();
    let (w, h, left, bottom, top) = (640.0, 200.0, 36.0, 24.0, 8.0);
    let max = hours
        .iter()
        .filter_map(|(_, _, _, p)| p.as_ref().map(|p| p.needed_before().max(p.rostered as u64)))
        .max()
        .unwrap_or(0);
    // a multiple of 4 (at least 4), so the five ticks are whole agents
    let top_v = (max.max(1).div_ceil(4) * 4) as f64;
    let plot_h = h - top - bottom;
    let slot = (w - left - 8.0) / 24.0;
    let y = move |v: f64| top + plot_h - plot_h * v / top_v;
    let roster_points: String = hours
        .iter()
        .filter_map(|(hr, _, _, p)| p.as_ref().map(|p| (*hr, p.rostered)))
        .flat_map(|(hr, r)| {
            let x0 = left + slot * hr as f64;
            [format!("{x0:.1},{:.1}", y(r as f64)), format!("{:.1},{:.1}", x0 + slot, y(r as f64))]
        })
        .collect::<Vec<_>>()
        .join(" ");
    view! {
        <figure class="chart" id="plan-chart">
            <figcaption>{t.staffing_chart_title()}</figcaption>
            <ul class="legend">
                <li><span class="swatch before"></span>{t.staffing_before()}</li>
                <li><span class="swatch after"></span>{t.staffing_after()}</li>
                <li><span class="swatch roster"></span>{t.staffing_roster()}</li>
                <li><span class="swatch short"></span>{t.staffing_shortfall()}</li>
            </ul>
            <svg viewBox=format!("0 0 {w} {h}") role="img" aria-label=t.staffing_chart_title() class="bar-chart plan-chart">
                {(0..=4).map(|i| {
                    let v = top_v * i as f64 / 4.0;
                    view! {
                        <line x1=left y1=y(v) x2=w - 8.0 y2=y(v) class="grid" />
                        <text x=left - 6.0 y=y(v) + 4.0 class="tick" text-anchor="end">{format!("{v:.0}")}</text>
                    }
                }).collect_view()}
                {hours.iter().filter_map(|(hr, _, _, p)| p.as_ref().map(|p| (*hr, p.clone()))).map(|(hr, p)| {
                    let x = left + slot * hr as f64 + slot * 0.15;
                    let bw = slot * 0.7;
                    let (b, a) = (p.needed_before() as f64, p.needed_after() as f64);
                    let tip = format!("{hr:02}:00 — {} {} · {} {} · {} {}", t.staffing_before(), p.needed_before(), t.staffing_after(), p.needed_after(), t.staffing_roster(), p.rostered);
                    let class = if p.shortfall() > 0 { "bar after short" } else { "bar after" };
                    view! {
                        <g>
                            <title>{tip}</title>
                            <rect x=x y=y(b) width=bw height=y(0.0) - y(b) class="bar before" />
                            <rect x=x + bw * 0.2 y=y(a) width=bw * 0.6 height=y(0.0) - y(a) class=class />
                            {(hr % 3 == 0).then(|| view! { <text x=x + bw / 2.0 y=h - 8.0 class="tick" text-anchor="middle">{hr}</text> })}
                        </g>
                    }
                }).collect_view()}
                <polyline points=roster_points class="roster-line" />
            </svg>
        </figure>
    }
}
