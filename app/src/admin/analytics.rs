//! Analytics (admins): inquiry volume by year, month, weekday and hour of the day in the centre's
//! time zone, the weekday × hour heatmap, and the split by inquiry type and channel, for a date
//! range and optionally one type, read from the hourly rollups; everything as CSV too.

use crate::auth::pages::{encode_query_value, Guarded};
use crate::customer::inquiries::TypeOption;
use crate::domain::analytics::Volume;
use crate::domain::roles::Area;
use crate::error::AppError;
use crate::i18n::{use_i18n, Locale};
use crate::ui::charts::{BarChart, Heatmap};
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

/// The rollup rows behind the page and its CSV: the checked range (with the local dates shown)
/// and inquiry type (empty: all).
#[cfg(feature = "ssr")]
pub async fn volume_rows(
    db: &crate::db::Db,
    from: &str,
    to: &str,
    type_code: &str,
    types: &[TypeOption],
    now: i64,
) -> Result<(Vec<crate::domain::analytics::HourRow>, String, String), AppError> {
    let (start, end, from, to) = range(from, to, now)?;
    let type_code = Some(type_code.trim()).filter(|t| !t.is_empty());
    if type_code.is_some_and(|code| !types.iter().any(|t| t.code == code)) {
        return Err(AppError::invalid("type", crate::error::FieldCode::InvalidChoice));
    }
    Ok((crate::db::analytics::hours(db, start, end, type_code).await?, from, to))
}

#[server(endpoint = "admin_volume")]
pub async fn get_volume(from: String, to: String, type_code: String, locale: Locale) -> Result<VolumeView, AppError> {
    crate::auth::guard::require_role(crate::domain::roles::Role::Admin).await?;
    let state = crate::state::AppState::get()?;
    let types = crate::db::inquiries::types(&state.db, locale).await?;
    let (rows, from, to) = volume_rows(&state.db, &from, &to, &type_code, &types, crate::db::now_ms()).await?;
    let volume = crate::domain::analytics::volume(&rows, crate::domain::calendar::CENTRE_OFFSET_MS);
    Ok(VolumeView { volume, from, to, type_code: type_code.trim().to_string(), types })
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
    crate::auth::guard::require_area(Area::Agent).await?;
    let state = crate::state::AppState::get()?;
    let now = crate::db::now_ms();
    // the default range ends with today
    let (_, end, _, to) = range("", "", now)?;
    let four_weeks_start = end - 28 * DAY_MS;
    let rows = crate::db::analytics::hours(&state.db, four_weeks_start, end, None).await?;
    let today_start = end - DAY_MS;
    let today: Vec<_> = rows.iter().filter(|r| r.hour_at >= today_start).cloned().collect();
    Ok(VolumeSummary {
        today: crate::domain::analytics::volume(&today, OFF),
        four_weeks: crate::domain::analytics::volume(&rows, OFF),
        from: crate::domain::calendar::format_date(four_weeks_start, OFF),
        to,
    })
}

/// The agents' read-only summary.
#[component]
pub fn VolumeSummaryPage() -> impl IntoView {
    view! {
        <Guarded area=Some(Area::Agent)>
            <Summary />
        </Guarded>
    }
}

#[component]
fn Summary() -> impl IntoView {
    let i18n = use_i18n();
    let data = Resource::new(|| (), |_| get_volume_summary());
    view! {
        <section class="page-head">
            <h1>{move || i18n.t().summary_title}</h1>
            <p class="lead">{move || i18n.t().summary_lead}</p>
        </section>
        <Transition fallback=move || view! { <p class="loading">{i18n.t().loading}</p> }>
            {move || Suspend::new(async move {
                let t = i18n.t();
                match data.await {
                    Ok(s) => {
                        let unit = t.arrivals_unit.to_string();
                        let days: Vec<String> = t.weekdays_short.iter().map(|d| d.to_string()).collect();
                        let share = crate::domain::analytics::automation_share(&s.today);
                        view! {
                            <div class="stats">
                                <section class="card stat"><h2>{t.today_arrivals}</h2><p class="big">{crate::i18n::texts::group_thousands(s.today.total)}</p></section>
                                <section class="card stat"><h2>{t.auto_answered_total}</h2><p class="big">{crate::i18n::texts::group_thousands(s.today.auto_answered)}</p>
                                    <p>{format!("{:.1}%", share * 100.0)}</p></section>
                            </div>
                            <section class="card">
                                <BarChart id="today-by-hour".into() title=t.today_by_hour.into() labels=(0..24).map(|h| h.to_string()).collect() values=s.today.by_hour.clone() value_label=unit.clone() />
                            </section>
                            <section class="card">
                                <p class="hint">{format!("{} – {}", s.from, s.to)}</p>
                                <Heatmap id="heatmap".into() title=t.heatmap_title.into() days=days cells=s.four_weeks.heatmap.clone() value_label=unit />
                            </section>
                        }.into_any()
                    }
                    Err(e) => view! { <PageError error=e /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
pub fn AnalyticsPage() -> impl IntoView {
    view! {
        <Guarded area=Some(Area::Admin)>
            <Analytics />
        </Guarded>
    }
}

#[component]
fn Analytics() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let param = move |k: &str| query.read().get(k).unwrap_or_default();
    let data = Resource::new(
        move || (param("from"), param("to"), param("type"), i18n.locale.get()),
        |(f, t, ty, l)| get_volume(f, t, ty, l),
    );
    view! {
        <section class="page-head">
            <h1>{move || i18n.t().analytics_title}</h1>
            <p class="lead">{move || i18n.t().analytics_lead}</p>
        </section>
        <Transition fallback=move || view! { <p class="loading">{i18n.t().loading}</p> }>
            {move || Suspend::new(async move {
                let t = i18n.t();
                let filters = |from: String, to: String, ty: String, types: Vec<TypeOption>| view! {
                    <form method="get" action="/admin/analytics" class="filters">
                        <label for="filter-from">{t.date_from}</label>
                        <input id="filter-from" type="date" name="from" value=from />
                        <label for="filter-to">{t.date_to}</label>
                        <input id="filter-to" type="date" name="to" value=to />
                        <label for="filter-type">{t.inquiry_type}</label>
                        <select id="filter-type" name="type">
                            <option value="" selected=ty.is_empty()>{t.all_types}</option>
                            {types.into_iter().map(|o| {
                                let sel = o.code == ty;
                                view! { <option value=o.code selected=sel>{o.name}</option> }
                            }).collect_view()}
                        </select>
                        <button type="submit">{t.apply}</button>
                    </form>
                };
                match data.await {
                    Ok(v) => {
                        let csv = format!(
                            "/admin/analytics.csv?from={}&to={}&type={}",
                            encode_query_value(&v.from),
                            encode_query_value(&v.to),
                            encode_query_value(&v.type_code)
                        );
                        let names: std::collections::HashMap<String, String> = v.types.iter().map(|o| (o.code.clone(), o.name.clone())).collect();
                        let vol = v.volume;
                        let share = crate::domain::analytics::automation_share(&vol);
                        let unit = t.arrivals_unit.to_string();
                        let days: Vec<String> = t.weekdays_short.iter().map(|d| d.to_string()).collect();
                        view! {
                            {filters(v.from.clone(), v.to.clone(), v.type_code.clone(), v.types.clone())}
                            <div class="stats">
                                <section class="card stat"><h2>{t.arrivals_total}</h2><p class="big">{crate::i18n::texts::group_thousands(vol.total)}</p></section>
                                <section class="card stat"><h2>{t.auto_answered_total}</h2><p class="big">{crate::i18n::texts::group_thousands(vol.auto_answered)}</p>
                                    <p>{format!("{:.1}%", share * 100.0)}</p></section>
                            </div>
                            <p><a class="button" href=csv download="inquiry-volume.csv">{t.download_csv}</a></p>
                            <section class="card">
                                <Heatmap id="heatmap".into() title=t.heatmap_title.into() days=days cells=vol.heatmap.clone() value_label=unit.clone() />
                            </section>
                            <div class="chart-grid">
                                <section class="card">
                                    <BarChart id="by-hour".into() title=t.by_hour_title.into() labels=(0..24).map(|h| h.to_string()).collect() values=vol.by_hour.clone() value_label=unit.clone() />
                                </section>
                                <section class="card">
                                    <BarChart id="by-weekday".into() title=t.by_weekday_title.into() labels=t.weekdays_short.iter().map(|d| d.to_string()).collect() values=vol.by_weekday.clone() value_label=unit.clone() />
                                </section>
                                <section class="card">
                                    <BarChart id="by-month".into() title=t.by_month_title.into() labels=vol.by_month.iter().map(|m| m.0.clone()).collect() values=vol.by_month.iter().map(|m| m.1).collect() value_label=unit.clone() />
                                </section>
                                <section class="card">
                                    <BarChart id="by-year".into() title=t.by_year_title.into() labels=vol.by_year.iter().map(|y| y.0.to_string()).collect() values=vol.by_year.iter().map(|y| y.1).collect() value_label=unit.clone() />
                                </section>
                                <section class="card">
                                    <BarChart id="by-type".into() title=t.by_type_title.into()
                                        labels=vol.by_type.iter().map(|x| names.get(&x.0).cloned().unwrap_or_else(|| x.0.clone())).collect()
                                        values=vol.by_type.iter().map(|x| x.1).collect() value_label=unit.clone() />
                                </section>
                                <section class="card">
                                    <BarChart id="by-channel".into() title=t.by_channel_title.into()
                                        labels=vol.by_channel.iter().map(|x| (t.channel_name)(&x.0).to_string()).collect()
                                        values=vol.by_channel.iter().map(|x| x.1).collect() value_label=unit.clone() />
                                </section>
                            </div>
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
