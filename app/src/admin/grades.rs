//! Customer grades: RFM thresholds, recompute on demand (and nightly in the background), and the
//! manual watch flag with a reason. Audited.

#[cfg(feature = "ssr")]
use crate::auth::guard::AdminCtx;
use crate::model::Grade;
use crate::auth::pages::Guarded;
use crate::domain::grading::GradeRules;
use crate::domain::roles::Area;
use crate::error::AppError;
use crate::i18n::use_i18n;
use crate::ui::{FormAlert, PageError};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GradesView {
    pub rules: GradeRules,
    /// Customers per grade: VIP, gold, general, new.
    pub counts: [i64; 4],
    pub watched: Vec<(String, String, Option<String>)>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Recomputed {
    pub counts: [i64; 4],
    pub changed: i64,
}

#[server(endpoint = "admin_grades")]
pub async fn admin_grades() -> Result<GradesView, AppError> {
    let AdminCtx { state, .. } = AdminCtx::require().await?;
    let counts = crate::store::grades::counts(&state.db).await?;
    Ok(GradesView {
        rules: crate::store::grades::rules(&state.db).await?,
        counts,
        watched: crate::store::grades::watched(&state.db).await?,
    })
}

#[allow(clippy::too_many_arguments)]
#[server(endpoint = "admin_grade_rules")]
pub async fn admin_grade_rules(
    vip_recency_days: String,
    vip_min_orders: String,
    vip_min_amount_won: String,
    gold_recency_days: String,
    gold_min_orders: String,
    gold_min_amount_won: String,
    general_recency_days: String,
) -> Result<(), AppError> {
    use crate::domain::grading::Tier;
    use crate::error::{FieldCode, FieldError};
    let AdminCtx { user: admin, state, now } = AdminCtx::require().await?;
    let mut errors = Vec::new();
    let mut num = |field: &'static str, raw: &str, max: i64| match raw.trim().parse::<i64>() {
        Ok(v) if (0..=max).contains(&v) => v,
        _ => {
            errors.push(FieldError::new(field, FieldCode::OutOfRange { min: 0, max }));
            0
        }
    };
    const DAYS: i64 = 3_650;
    const ORDERS: i64 = 100_000;
    const WON: i64 = 1_000_000_000_000;
    let rules = GradeRules {
        vip: Tier {
            recency_days: num("vip_recency_days", &vip_recency_days, DAYS),
            min_orders: num("vip_min_orders", &vip_min_orders, ORDERS),
            min_amount_won: num("vip_min_amount_won", &vip_min_amount_won, WON),
        },
        gold: Tier {
            recency_days: num("gold_recency_days", &gold_recency_days, DAYS),
            min_orders: num("gold_min_orders", &gold_min_orders, ORDERS),
            min_amount_won: num("gold_min_amount_won", &gold_min_amount_won, WON),
        },
        general_recency_days: num("general_recency_days", &general_recency_days, DAYS),
    };
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    crate::domain::grading::validate_rules(&rules).map_err(|_| AppError::invalid("vip_min_orders", FieldCode::VipBelowGold))?;
    crate::store::grades::save_rules(&state.db, &rules, admin.id, now).await
}

#[server(endpoint = "admin_grades_recompute")]
pub async fn admin_grades_recompute() -> Result<Recomputed, AppError> {
    let AdminCtx { state, now, .. } = AdminCtx::require().await?;
    let (counts, changed) = crate::store::grades::recompute(&state.db, now).await?;
    // a form post comes back to the page with the result in the address
    crate::auth::api::redirect_plain_post(&format!(
        "/admin/grades?changed={changed}&vip={}&gold={}&general={}&new={}",
        counts[0], counts[1], counts[2], counts[3]
    ));
    Ok(Recomputed { counts, changed })
}

/// Sets (`on` = "true") or clears the watch flag; setting it needs a reason.
#[server(endpoint = "admin_watch")]
pub async fn admin_watch(customer_no: String, on: String, reason: String) -> Result<(), AppError> {
    let AdminCtx { user: admin, state, now } = AdminCtx::require().await?;
    let on = on == "true";
    let reason = if on {
        Some(crate::domain::inquiry::validate_text(&reason, 200, false).map_err(|c| AppError::invalid("reason", c))?)
    } else {
        None
    };
    crate::store::grades::set_watch(&state.db, customer_no.trim(), on, reason.as_deref(), admin.id, now).await
}

#[component]
pub fn GradesPage() -> impl IntoView {
    let i18n = use_i18n();
    let rules = ServerAction::<AdminGradeRules>::new();
    let recompute = ServerAction::<AdminGradesRecompute>::new();
    let watch = ServerAction::<AdminWatch>::new();
    let data = Resource::new(
        move || (rules.version().get(), recompute.version().get(), watch.version().get()),
        |_| admin_grades(),
    );
    let rules_value = Signal::derive(move || rules.value().get());
    let watch_value = Signal::derive(move || watch.value().get());
    let recompute_value = Signal::derive(move || recompute.value().get());
    let query = leptos_router::hooks::use_query_map();
    let from_query = move || {
        let q = query.read();
        let n = |k: &str| q.get(k).and_then(|v| v.parse::<i64>().ok());
        Some(Recomputed { changed: n("changed")?, counts: [n(Grade::Vip.as_str())?, n(Grade::Gold.as_str())?, n(Grade::General.as_str())?, n(Grade::New.as_str())?] })
    };
    view! {
        <Guarded area=Some(Area::Admin)>
            <section class="page-head">
                <h1>{move || i18n.t().grades_title()}</h1>
                <p class="lead">{move || i18n.t().grades_lead()}</p>
            </section>
            <FormAlert value=rules_value />
            <FormAlert value=watch_value />
            <FormAlert value=recompute_value />
            {move || recompute_value.get().and_then(Result::ok).or_else(from_query).map(|r| view! {
                <p class="card notice" role="status">{i18n.t().recomputed(r.changed, r.counts[0], r.counts[1], r.counts[2], r.counts[3])}</p>
            })}
            <Transition fallback=move || view! { <p class="loading">{i18n.t().loading()}</p> }>
                {move || Suspend::new(async move {
                    let t = i18n.t();
                    match data.await {
                        Ok(v) => {
                            let r = v.rules;
                            view! {
                                <div class="stats">
                                    {Grade::ALL.into_iter().zip(v.counts).map(|(g, n)| view! {
                                        <section class="card stat"><h2>{t.grade_name(g)}</h2><p><span class="big">{n}</span></p></section>
                                    }).collect_view()}
                                </div>
                                <section class="card">
                                    <h2>{t.grade_rules()}</h2>
                                    <ActionForm action=rules attr:class="grid-form">
                                        {[(Grade::Vip, r.vip), (Grade::Gold, r.gold)].into_iter().map(|(g, tier)| view! {
                                            <fieldset>
                                                <legend>{t.grade_name(g)}</legend>
                                                <label for=format!("{g}-recency")>{t.rfm_recency()}</label>
                                                <input id=format!("{g}-recency") type="number" min="0" name=format!("{g}_recency_days") value=tier.recency_days />
                                                <label for=format!("{g}-orders")>{t.rfm_orders()}</label>
                                                <input id=format!("{g}-orders") type="number" min="0" name=format!("{g}_min_orders") value=tier.min_orders />
                                                <label for=format!("{g}-amount")>{t.rfm_amount()}</label>
                                                <input id=format!("{g}-amount") type="number" min="0" name=format!("{g}_min_amount_won") value=tier.min_amount_won />
                                            </fieldset>
                                        }).collect_view()}
                                        <fieldset>
                                            <legend>{t.grade_name(Grade::General)}</legend>
                                            <label for="general-recency">{t.rfm_general_recency()}</label>
                                            <input id="general-recency" type="number" min="0" name="general_recency_days" value=r.general_recency_days />
                                        </fieldset>
                                        <button type="submit" class="primary">{t.save()}</button>
                                    </ActionForm>
                                    <ActionForm action=recompute attr:class="inline-form">
                                        <button type="submit">{t.recompute_grades()}</button>
                                    </ActionForm>
                                    <p class="hint">{t.recompute_hint()}</p>
                                </section>
                                <section class="card">
                                    <h2>{t.watch_flag()}</h2>
                                    <ActionForm action=watch attr:class="grid-form">
                                        <input type="hidden" name="on" value="true" />
                                        <label for="watch-no">{t.customer_no()}</label>
                                        <input id="watch-no" type="text" name="customer_no" />
                                        <label for="watch-reason">{t.watch_reason()}</label>
                                        <input id="watch-reason" type="text" name="reason" />
                                        <button type="submit">{t.set_watch()}</button>
                                    </ActionForm>
                                    <ul class="item-list">
                                        {v.watched.into_iter().map(|(no, name, reason)| view! {
                                            <li>
                                                <strong>{name}</strong> " " <span class="meta">{no.clone()} " · " {reason.unwrap_or_default()}</span>
                                                <ActionForm action=watch attr:class="inline-form">
                                                    <input type="hidden" name="on" value="false" />
                                                    <input type="hidden" name="customer_no" value=no />
                                                    <input type="hidden" name="reason" value="" />
                                                    <button type="submit">{t.clear_watch()}</button>
                                                </ActionForm>
                                            </li>
                                        }).collect_view()}
                                    </ul>
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
