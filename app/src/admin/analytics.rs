//! Analytics (admins): inquiry volume by year, month, weekday and hour of the day in the centre's
//! time zone, the weekday × hour heatmap, and the split by inquiry type and channel, for a date
//! range and optionally one type, read from the hourly rollups; everything as CSV too.

#[cfg(feature = "ssr")]
use crate::auth::guard::AdminCtx;
use crate::auth::pages::{encode_query_value, Guarded};
use crate::model::TypeOption;
use crate::domain::analytics::Volume;
use crate::domain::roles::Area;
use crate::error::AppError;
use crate::i18n::{use_i18n, Locale};
use crate::ui::charts::{BarChart, Heatmap, StackedBarChart};
use crate::ui::PageError;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VolumeView {
    pub volume: Volume,
    /// The range actually shown (local dates, both included).
    pub from: String,
    pub to: String,
    pub type_code: String,
    pub types: Vec<TypeOption>,
    pub service: crate::domain::service_metrics::Service,
    /// Unanswered inquiries of the range past their first-response target now.
    pub overdue: i64,
}

/// Days shown when no range is given: the last eight weeks.
pub const DEFAULT_DAYS: i64 = 56;
/// The longest range one page adds up (the rollups make it cheap; the limit keeps it bounded).
pub const MAX_DAYS: i64 = 3 * 366;

/// The range [from 00:00, to 24:00) in local dates as UTC milliseconds, with the dates shown.
/// Empty strings mean the default range ending today.
pub fn range(from: &str, to: &str, now: i64) -> Result<(i64, i64, String, String), AppError> {
    use crate::domain::calendar::{format_date, parse_date, CENTRE_OFFSET_MS as OFF, DAY_MS};
    use crate::error::FieldCode;
    let today = parse_date(&format_date(now, OFF), OFF).unwrap_or(now);
    let end = match to.trim() {
        "" => today + DAY_MS,
        t => parse_date(t, OFF).ok_or_else(|| AppError::invalid("to", FieldCode::InvalidDate))? + DAY_MS,
    };
    let start = match from.trim() {
        "" => end - DEFAULT_DAYS * DAY_MS,
        f => parse_date(f, OFF).ok_or_else(|| AppError::invalid("from", FieldCode::InvalidDate))?,
    };
    if start >= end {
        return Err(AppError::invalid("to", FieldCode::DateOrder));
    }
    if end - start > MAX_DAYS * DAY_MS {
        return Err(AppError::invalid("from", FieldCode::RangeTooLong { max_days: MAX_DAYS }));
    }
    Ok((start, end, format_date(start, OFF), format_date(end - DAY_MS, OFF)))
}

/// What a report covers: [start, end) in UTC milliseconds, the local dates shown, and one
/// inquiry type or all.
#[derive(Debug, Clone, PartialEq)]
pub struct Scope {
    pub start: i64,
    pub end: i64,
    pub from: String,
    pub to: String,
    pub type_code: Option<String>,
}

impl Scope {
    /// Checks the range and the type (empty: all) as the page and the CSVs receive them.
    pub fn parse(from: &str, to: &str, type_code: &str, types: &[TypeOption], now: i64) -> Result<Scope, AppError> {
        let (start, end, from, to) = range(from, to, now)?;
        let type_code = Some(type_code.trim()).filter(|t| !t.is_empty());
        if type_code.is_some_and(|code| !types.iter().any(|t| t.code == code)) {
            return Err(AppError::invalid("type", crate::error::FieldCode::InvalidChoice));
        }
        Ok(Scope { start, end, from, to, type_code: type_code.map(str::to_string) })
    }

    pub fn days(&self) -> i64 {
        (self.end - self.start) / crate::domain::calendar::DAY_MS
    }
}

/// The volume report of a scope (the page).
#[cfg(feature = "ssr")]
pub async fn volume_report(db: &crate::store::Db, scope: &Scope) -> Result<Volume, AppError> {
    crate::store::analytics::volume(db, scope.start, scope.end, scope.type_code.as_deref()).await
}

/// The volume rollup rows of a scope, one per hour, type and channel (the CSV).
#[cfg(feature = "ssr")]
pub async fn volume_rows(db: &crate::store::Db, scope: &Scope) -> Result<Vec<crate::domain::analytics::HourRow>, AppError> {
    crate::store::analytics::hours(db, scope.start, scope.end, scope.type_code.as_deref()).await
}

/// The service figures of a scope: times, attainment and ratings per type, and VOC over time.
#[cfg(feature = "ssr")]
pub async fn service_report(db: &crate::store::Db, scope: &Scope) -> Result<crate::domain::service_metrics::Service, AppError> {
    let rows = crate::store::service_metrics::rows(db, scope.start, scope.end, scope.type_code.as_deref()).await?;
    service_of(db, scope, &rows).await
}

/// VOC over time only (the VOC CSV): no histograms read.
#[cfg(feature = "ssr")]
pub async fn voc_report(db: &crate::store::Db, scope: &Scope) -> Result<crate::domain::service_metrics::Service, AppError> {
    service_of(db, scope, &[]).await
}

#[cfg(feature = "ssr")]
async fn service_of(db: &crate::store::Db, scope: &Scope, rows: &[crate::domain::service_metrics::MetricRow]) -> Result<crate::domain::service_metrics::Service, AppError> {
    use crate::domain::service_metrics::{service, voc_by_week};
    let voc = crate::store::service_metrics::voc_days(db, scope.start, scope.end, scope.type_code.as_deref()).await?;
    Ok(service(rows, &voc, crate::domain::calendar::CENTRE_OFFSET_MS, voc_by_week(scope.days())))
}

/// How many unanswered inquiries of a scope are past their target at `now` (the page only).
#[cfg(feature = "ssr")]
pub async fn overdue_report(db: &crate::store::Db, scope: &Scope, now: i64) -> Result<i64, AppError> {
    crate::store::service_metrics::overdue_unanswered(db, scope.start, scope.end, scope.type_code.as_deref(), now).await
}

#[server(endpoint = "admin_volume")]
pub async fn get_volume(from: String, to: String, type_code: String, locale: Locale) -> Result<VolumeView, AppError> {
    let AdminCtx { state, now, .. } = AdminCtx::require().await?;
    let types = crate::store::inquiries::types(&state.db, locale).await?;
    let scope = Scope::parse(&from, &to, &type_code, &types, now)?;
    let volume = volume_report(&state.db, &scope).await?;
    let service = service_report(&state.db, &scope).await?;
    let overdue = overdue_report(&state.db, &scope, now).await?;
    Ok(VolumeView { volume, from: scope.from, to: scope.to, type_code: scope.type_code.unwrap_or_default(), types, service, overdue })
}

/// What agents see (read-only): today so far, and the last four weeks by weekday and hour.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VolumeSummary {
    pub today: Volume,
    pub four_weeks: Volume,
    pub from: String,
    pub to: String,
}

#[server(endpoint = "agent_volume_summary")]
pub async fn get_volume_summary() -> Result<VolumeSummary, AppError> {
    use crate::domain::calendar::{CENTRE_OFFSET_MS as OFF, DAY_MS};
    use crate::store::analytics::volume;
    crate::auth::guard::require_area(Area::Agent).await?;
    let state = crate::state::AppState::get()?;
    let now = state.clock.now_ms();
    // the default range ends with today
    let (_, end, _, to) = range("", "", now)?;
    let four_weeks_start = end - 28 * DAY_MS;
    Ok(VolumeSummary {
        today: volume(&state.db, end - DAY_MS, end, None).await?,
        four_weeks: volume(&state.db, four_weeks_start, end, None).await?,
        from: crate::domain::calendar::format_date(four_weeks_start, OFF),
        to,
    })
}

/// The agents' read-only summary.
#[component]
pub fn VolumeSummaryPage() -> impl IntoView {
    let i18n = use_i18n();
    let data = Resource::new(|| (), |_| get_volume_summary());
    view! {
        <Guarded area=Some(Area::Agent)>
            <section class="page-head">
                <h1>{move || i18n.t().summary_title()}</h1>
                <p class="lead">{move || i18n.t().summary_lead()}</p>
            </section>
            <Transition fallback=move || view! { <p class="loading">{i18n.t().loading()}</p> }>
                {move || Suspend::new(async move {
                    let t = i18n.t();
                    match data.await {
                        Ok(s) => {
                            let unit = t.arrivals_unit().to_string();
                            let days: Vec<String> = t.weekdays_short().iter().map(|d| d.to_string()).collect();
                            let share = crate::domain::analytics::automation_share(&s.today);
                            view! {
                                <div class="stats">
                                    <section class="card stat"><h2>{t.today_arrivals()}</h2><p class="big">{crate::i18n::texts::group_thousands(s.today.total)}</p></section>
                                    <section class="card stat"><h2>{t.auto_answered_total()}</h2><p class="big">{crate::i18n::texts::group_thousands(s.today.auto_answered)}</p>
                                        <p>{format!("{:.1}%", share * 100.0)}</p></section>
                                </div>
                                <section class="card">
                                    <BarChart id="today-by-hour".into() title=t.today_by_hour().into() labels=(0..24).map(|h| h.to_string()).collect() values=s.today.by_hour.clone() value_label=unit.clone() />
                                </section>
                                <section class="card">
                                    <p class="hint">{format!("{} – {}", s.from, s.to)}</p>
                                    <Heatmap id="heatmap".into() title=t.heatmap_title().into() days=days cells=s.four_weeks.heatmap.clone() value_label=unit />
                                </section>
                            }.into_any()
                        }
                        Err(e) => view! { <PageError error=e /> }.into_any(),
                    }
                })}
            </Transition>
        </Guarded>
    }
}

#[component]
pub fn AnalyticsPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let param = move |k: &str| query.read().get(k).unwrap_or_default();
    let data = Resource::new(
        move || (param("from"), param("to"), param("type"), i18n.locale.get()),
        |(f, t, ty, l)| get_volume(f, t, ty, l),
    );
    view! {
        <Guarded area=Some(Area::Admin)>
            <section class="page-head">
                <h1>{move || i18n.t().analytics_title()}</h1>
                <p class="lead">{move || i18n.t().analytics_lead()}</p>
            </section>
            <Transition fallback=move || view! { <p class="loading">{i18n.t().loading()}</p> }>
                {move || Suspend::new(async move {
                    let t = i18n.t();
                    let filters = |from: String, to: String, ty: String, types: Vec<TypeOption>| view! {
                        <form method="get" action="/admin/analytics" class="filters">
                            <label for="filter-from">{t.date_from()}</label>
                            <input id="filter-from" type="date" name="from" value=from />
                            <label for="filter-to">{t.date_to()}</label>
                            <input id="filter-to" type="date" name="to" value=to />
                            <label for="filter-type">{t.inquiry_type()}</label>
                            <select id="filter-type" name="type">
                                <option value="" selected=ty.is_empty()>{t.all_types()}</option>
                                {types.into_iter().map(|o| {
                                    let sel = o.code == ty;
                                    view! { <option value=o.code selected=sel>{o.name}</option> }
                                }).collect_view()}
                            </select>
                            <button type="submit">{t.apply()}</button>
                        </form>
                    };
                    match data.await {
                        Ok(v) => {
                            let query = format!(
                                "from={}&to={}&type={}",
                                encode_query_value(&v.from),
                                encode_query_value(&v.to),
                                encode_query_value(&v.type_code)
                            );
                            let csv = format!("/admin/analytics.csv?{query}");
                            let names: std::collections::HashMap<String, String> = v.types.iter().map(|o| (o.code.clone(), o.name.clone())).collect();
                            let vol = v.volume;
                            let share = crate::domain::analytics::automation_share(&vol);
                            let unit = t.arrivals_unit().to_string();
                            let days: Vec<String> = t.weekdays_short().iter().map(|d| d.to_string()).collect();
                            view! {
                                {filters(v.from.clone(), v.to.clone(), v.type_code.clone(), v.types.clone())}
                                <div class="stats">
                                    <section class="card stat"><h2>{t.arrivals_total()}</h2><p class="big">{crate::i18n::texts::group_thousands(vol.total)}</p></section>
                                    <section class="card stat"><h2>{t.auto_answered_total()}</h2><p class="big">{crate::i18n::texts::group_thousands(vol.auto_answered)}</p>
                                        <p>{format!("{:.1}%", share * 100.0)}</p></section>
                                </div>
                                <p><a class="button" href=csv download="inquiry-volume.csv">{t.download_csv()}</a></p>
                                <section class="card">
                                    <Heatmap id="heatmap".into() title=t.heatmap_title().into() days=days cells=vol.heatmap.clone() value_label=unit.clone() />
                                </section>
                                <div class="chart-grid">
                                    <section class="card">
                                        <BarChart id="by-hour".into() title=t.by_hour_title().into() labels=(0..24).map(|h| h.to_string()).collect() values=vol.by_hour.clone() value_label=unit.clone() />
                                    </section>
                                    <section class="card">
                                        <BarChart id="by-weekday".into() title=t.by_weekday_title().into() labels=t.weekdays_short().iter().map(|d| d.to_string()).collect() values=vol.by_weekday.clone() value_label=unit.clone() />
                                    </section>
                                    <section class="card">
                                        <BarChart id="by-month".into() title=t.by_month_title().into() labels=vol.by_month.iter().map(|m| m.0.clone()).collect() values=vol.by_month.iter().map(|m| m.1).collect() value_label=unit.clone() />
                                    </section>
                                    <section class="card">
                                        <BarChart id="by-year".into() title=t.by_year_title().into() labels=vol.by_year.iter().map(|y| y.0.to_string()).collect() values=vol.by_year.iter().map(|y| y.1).collect() value_label=unit.clone() />
                                    </section>
                                    <section class="card">
                                        <BarChart id="by-type".into() title=t.by_type_title().into()
                                            labels=vol.by_type.iter().map(|x| names.get(&x.0).cloned().unwrap_or_else(|| x.0.clone())).collect()
                                            values=vol.by_type.iter().map(|x| x.1).collect() value_label=unit.clone() />
                                    </section>
                                    <section class="card">
                                        <BarChart id="by-channel".into() title=t.by_channel_title().into()
                                            labels=vol.by_channel.iter().map(|x| t.channel_name(&x.0).to_string()).collect()
                                            values=vol.by_channel.iter().map(|x| x.1).collect() value_label=unit.clone() />
                                    </section>
                                </div>
                                <ServiceSection service=v.service overdue=v.overdue names=names query=query />
                            }.into_any()
                        }
                        Err(e) => {
                            // what was wrong with the range, field by field
                            let details: Vec<String> = match &e {
                                AppError::Invalid(errors) => errors.iter().map(|f| crate::i18n::field_message(t, &f.code)).collect(),
                                _ => Vec::new(),
                            };
                            view! {
                                {filters(param("from"), param("to"), param("type"), Vec::new())}
                                <PageError error=e />
                                <ul class="field-errors">{details.into_iter().map(|d| view! { <li class="field-error">{d}</li> }).collect_view()}</ul>
                            }.into_any()
                        }
                    }
                })}
            </Transition>
        </Guarded>
    }
}

/// First-response and resolution times, target attainment and satisfaction per type; the
/// satisfaction distribution; VOC categories over time.
#[component]
fn ServiceSection(
    service: crate::domain::service_metrics::Service,
    overdue: i64,
    names: std::collections::HashMap<String, String>,
    query: String,
) -> impl IntoView {
    use crate::domain::service_metrics::{format_duration, Times, TypeService};
    let t = use_i18n().t();
    let times = |x: &Times| match (x.median_s, x.p90_s) {
        (Some(m), Some(p)) => format!("{} / {}", format_duration(m), format_duration(p)),
        _ => "–".to_string(),
    };
    let pct = |v: Option<f64>| v.map(|a| format!("{:.1}%", a * 100.0)).unwrap_or_else(|| "–".into());
    let mut types: Vec<TypeService> = service.by_type.clone();
    types.sort_by(|a, b| b.first_response.count.cmp(&a.first_response.count).then(a.type_code.cmp(&b.type_code)));
    let row = move |s: TypeService, label: String, class: &'static str| {
        let csat = match s.csat_average() {
            Some(avg) => format!("{avg:.2} ({})", s.csat_count()),
            None => "–".into(),
        };
        view! {
            <tr class=class data-type=s.type_code.clone()>
                <th scope="row">{label}</th>
                <td class="num frt">{times(&s.first_response)} " " <small>{format!("({})", s.first_response.count)}</small></td>
                <td class="num res">{times(&s.resolution)} " " <small>{format!("({})", s.resolution.count)}</small></td>
                <td class="num sla">{pct(s.sla_attainment())} " " <small>{format!("({}/{})", s.sla_met, s.sla_total)}</small></td>
                <td class="num csat">{csat}</td>
            </tr>
        }
    };
    let all = service.all.clone();
    let csat_counts = all.csat.to_vec();
    let voc_series: Vec<String> = crate::model::VocCategory::ALL.iter().map(|c| t.voc_name(*c).to_string()).collect();
    let voc_labels: Vec<String> = service.voc.iter().map(|p| p.period.clone()).collect();
    let voc_values: Vec<Vec<i64>> = service.voc.iter().map(|p| p.counts.to_vec()).collect();
    view! {
        <section class="card" aria-labelledby="service-title" id="service">
            <h2 id="service-title">{t.service_title()}</h2>
            <p class="hint">{t.service_lead()}</p>
            <div class="table-wrap">
                <table class="service">
                    <thead><tr>
                        <th scope="col">{t.service_type_col()}</th>
                        <th scope="col" class="num">{t.first_response_col()}</th>
                        <th scope="col" class="num">{t.resolution_col()}</th>
                        <th scope="col" class="num">{t.sla_col()}</th>
                        <th scope="col" class="num">{t.csat_col()}</th>
                    </tr></thead>
                    <tbody>
                        {row(all, t.all_types().to_string(), "all")}
                        {types.into_iter().map(|s| {
                            let label = names.get(&s.type_code).cloned().unwrap_or_else(|| s.type_code.clone());
                            row(s, label, "type")
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
            {(overdue > 0).then(|| view! { <p class="hint overdue">{t.sla_overdue(overdue)}</p> })}
            <p>
                <a class="button" href=format!("/admin/service.csv?{query}") download="service.csv">{t.download_service_csv()}</a>
                " "
                <a class="button" href=format!("/admin/voc.csv?{query}") download="voc.csv">{t.download_csv()} " (VOC)"</a>
            </p>
        </section>
        <div class="chart-grid">
            <section class="card">
                <BarChart id="csat".into() title=t.csat_title().into() labels=(1..=5).map(|s| s.to_string()).collect() values=csat_counts value_label=t.csat_unit().into() />
            </section>
            <section class="card">
                <StackedBarChart id="voc".into() title=t.voc_title().into() labels=voc_labels series=voc_series values=voc_values
                    value_label=t.arrivals_unit().into() label_heading=t.voc_period_col(service.voc_by_week).into() />
            </section>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::calendar::{parse_date, CENTRE_OFFSET_MS, DAY_MS};
    use crate::error::FieldCode;

    #[test]
    fn ranges_are_local_days_both_included() {
        let now = parse_date("2026-11-29", CENTRE_OFFSET_MS).expect("date") + 10 * 3_600_000;
        let (start, end, from, to) = range("2026-11-01", "2026-11-29", now).expect("range");
        assert_eq!((from.as_str(), to.as_str()), ("2026-11-01", "2026-11-29"));
        assert_eq!(end - start, 29 * DAY_MS);
        let (_, end, from, to) = range("", "", now).expect("default");
        assert_eq!(to, "2026-11-29");
        assert_eq!(from, "2026-10-05");
        assert!(end > now);
        let code = |r: Result<(i64, i64, String, String), AppError>| match r {
            Err(AppError::Invalid(e)) => e[0].code.clone(),
            other => panic!("{other:?}"),
        };
        assert_eq!(code(range("2026-11-30", "2026-11-01", now)), FieldCode::DateOrder);
        assert_eq!(code(range("yesterday", "", now)), FieldCode::InvalidDate);
        assert_eq!(code(range("2026-02-30", "", now)), FieldCode::InvalidDate);
        assert_eq!(code(range("2020-01-01", "2026-01-01", now)), FieldCode::RangeTooLong { max_days: MAX_DAYS });
    }
}
