//! Question mining (issue 20; seed 003, "standard templates come from analysing inquiry types"):
//! the questions of the last weeks that no template answered, grouped by meaning, each with its
//! share of the volume and its typical wordings, a draft template one click away, and per type
//! what the templates cover and what each proposal would add — the 20:80 curve, measured.

#[cfg(feature = "ssr")]
use crate::auth::guard::AdminCtx;
use crate::auth::pages::Guarded;
use crate::domain::mining::Pareto;
use crate::domain::roles::Area;
use crate::error::AppError;
use crate::i18n::{use_i18n, Locale, Texts};
use crate::ui::PageError;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use serde::{Deserialize, Serialize};

/// The periods an admin picks from, in weeks (the default first).
pub const PERIODS: [u32; 6] = [4, 1, 2, 8, 12, 26];

/// Whether a template answers a group's question now.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Coverage {
    /// no template's wordings come close: a new question
    New,
    /// a template's wordings come close (`similarity`, cosine of the embeddings) but the FAQ does
    /// not answer with it: the group's wordings belong in that template
    Near { template_id: i64, question: String, similarity: f32 },
    /// the FAQ would answer it now with this template (`confidence` at or over the type's
    /// threshold) although none of the template's wordings is close: most likely a wrong answer
    /// (a closed-set classifier is sure of something for any question), so a template of its own
    Misanswered { template_id: i64, question: String, confidence: f32 },
    /// the FAQ answers it now with a template whose wordings are close (it was missed then: the
    /// template is newer, the type did not answer automatically, or the customer turned it down)
    Answered { template_id: i64, question: String, confidence: f32 },
}

/// A group of inquiries asking the same thing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MinedGroup {
    pub size: usize,
    /// of all inquiries in the period
    pub share: f64,
    pub type_code: String,
    pub type_name: String,
    pub language: String,
    /// (inquiry id, subject), the most typical first
    pub examples: Vec<(i64, String)>,
    /// the inquiries a draft is made from, the most typical first
    pub ids: Vec<i64>,
    /// members resolved with an agent's reply
    pub answered_by_agents: usize,
    /// the reply agents resolved most of them with (its start)
    pub answer: Option<String>,
    /// mean similarity of the members to the centre
    pub cohesion: f32,
    pub coverage: Coverage,
}

/// A type's volume in the period, what templates answered, and the groups proposed for it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TypeCoverage {
    pub code: String,
    pub name: String,
    pub auto_answer: bool,
    pub inquiries: i64,
    pub answered: i64,
    /// (index into `MiningView::groups`, size), largest first
    pub proposals: Vec<(usize, usize)>,
    /// answered plus every proposal's inquiries
    pub would_answer: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MiningView {
    pub weeks: u32,
    /// whether this server reads meaning (the sentence model is installed)
    pub semantic: bool,
    /// all inquiries of the period
    pub inquiries: i64,
    /// answered automatically (and not turned down)
    pub answered: i64,
    /// answered automatically if every proposal became a template
    pub would_answer: i64,
    /// inquiries no template answered that were read (the newest, up to a limit)
    pub unanswered: usize,
    pub more_than_read: bool,
    /// of those, not yet embedded (the background job is still reading them)
    pub not_embedded: usize,
    /// of those, in some group
    pub grouped: usize,
    pub min_size: usize,
    /// every question of the period: templates by their answers, groups, single inquiries
    pub pareto: Pareto,
    pub groups: Vec<MinedGroup>,
    pub types: Vec<TypeCoverage>,
}

/// A template drafted from a group's inquiries, for the FAQ editor.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MinedDraft {
    pub type_code: String,
    pub language: String,
    pub question: String,
    pub phrasings: Vec<String>,
    pub answer: String,
    /// the inquiries it was made from
    pub inquiries: usize,
}

/// The period in weeks: empty for the default, else one of [`PERIODS`].
pub fn parse_weeks(s: &str) -> Result<u32, AppError> {
    match s.trim() {
        "" => Ok(PERIODS[0]),
        s => s
            .parse::<u32>()
            .ok()
            .filter(|w| PERIODS.contains(w))
            .ok_or_else(|| AppError::invalid("weeks", crate::error::FieldCode::InvalidChoice)),
    }
}

/// The inquiry ids of a draft link (`from=12,34,…`): at most a template's phrasings' worth.
pub fn parse_ids(s: &str) -> Result<Vec<i64>, AppError> {
    let bad = || AppError::invalid("from", crate::error::FieldCode::InvalidChoice);
    let ids = s.split(',').map(str::trim).filter(|p| !p.is_empty()).map(|p| p.parse::<i64>().map_err(|_| bad())).collect::<Result<Vec<_>, _>>()?;
    if ids.len() > crate::domain::faq_template::MAX_PHRASINGS {
        return Err(AppError::invalid("from", crate::error::FieldCode::TooMany { max: crate::domain::faq_template::MAX_PHRASINGS }));
    }
    Ok(ids)
}

#[server(endpoint = "admin_question_mining")]
pub async fn admin_question_mining(weeks: String, locale: Locale) -> Result<MiningView, AppError> {
    let AdminCtx { state, now, .. } = AdminCtx::require().await?;
    let weeks = parse_weeks(&weeks)?;
    crate::faq::mining::mine(&state, weeks, now, locale).await
}

fn percent(x: f64) -> String {
    format!("{:.0}%", x * 100.0)
}

/// `part` of `whole` (0 for nothing to share).
pub fn ratio(part: i64, whole: i64) -> f64 {
    if whole <= 0 { 0.0 } else { part as f64 / whole as f64 }
}

fn ids_param(ids: &[i64]) -> String {
    ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",")
}

#[component]
pub fn QuestionMiningPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let weeks = move || query.read().get("weeks").unwrap_or_default();
    let data = Resource::new(move || (weeks(), i18n.locale.get()), |(w, l)| admin_question_mining(w, l));
    view! {
        <Guarded area=Some(Area::Admin)>
            <p><a href="/admin/faq">{move || i18n.t().faq_templates()}</a></p>
            <section class="page-head">
                <h1>{move || i18n.t().mining_title()}</h1>
                <p class="lead">{move || i18n.t().mining_lead()}</p>
            </section>
            <Transition fallback=move || view! { <p class="loading">{i18n.t().loading()}</p> }>
                {move || Suspend::new(async move {
                    let t = i18n.t();
                    match data.await {
                        Ok(v) => mining_view(t, v).into_any(),
                        Err(e) => view! { <PageError error=e /> }.into_any(),
                    }
                })}
            </Transition>
        </Guarded>
    }
}

fn mining_view(t: &'static Texts, v: MiningView) -> impl IntoView {
    let weeks = v.weeks;
    let (proposed, answered): (Vec<(usize, MinedGroup)>, Vec<(usize, MinedGroup)>) =
        v.groups.iter().cloned().enumerate().partition(|(_, g)| !matches!(g.coverage, Coverage::Answered { .. }));
    let proposed_count = proposed.len();
    let curve = v.pareto.clone();
    view! {
        <form method="get" action="/admin/faq/mining" class="filters">
            <label for="mining-weeks">{t.mining_period()}</label>
            <select id="mining-weeks" name="weeks">
                {PERIODS.iter().map(|w| view! { <option value=w.to_string() selected=*w == weeks>{t.last_n_weeks(*w)}</option> }).collect_view()}
            </select>
            <button type="submit">{t.apply()}</button>
        </form>
        {(!v.semantic).then(|| view! { <p class="card notice" role="status">{t.mining_needs_model()}</p> })}
        {(v.not_embedded > 0 && v.semantic).then(|| view! { <p class="hint" role="status">{t.mining_still_reading(v.not_embedded)}</p> })}
        {v.more_than_read.then(|| view! { <p class="hint">{t.mining_newest_only(v.unanswered)}</p> })}
        <div class="stats">
            <section class="card stat"><h2>{t.mining_inquiries(weeks)}</h2><p class="big">{v.inquiries}</p></section>
            <section class="card stat"><h2>{t.mining_answered_now()}</h2><p class="big">{percent(ratio(v.answered, v.inquiries))}</p><p class="meta">{v.answered}</p></section>
            <section class="card stat"><h2>{t.mining_with_proposals()}</h2><p class="big">{percent(ratio(v.would_answer, v.inquiries))}</p><p class="meta">{t.mining_n_proposals(proposed_count)}</p></section>
            <section class="card stat"><h2>{t.mining_top_fifth()}</h2><p class="big">{percent(v.pareto.top_fifth)}</p><p class="meta">{t.mining_of_questions(v.pareto.questions)}</p></section>
        </div>
        <section aria-labelledby="mining-proposals">
            <h2 id="mining-proposals">{t.mining_proposals_title()}</h2>
            <p class="hint">{t.mining_proposals_hint(v.unanswered, v.grouped, v.min_size)}</p>
            {if proposed.is_empty() {
                view! { <p class="card">{t.mining_no_proposals()}</p> }.into_any()
            } else {
                view! {
                    <ol class="item-list mined">
                        {proposed.into_iter().map(|(k, g)| group_card(t, k, g)).collect_view()}
                    </ol>
                }.into_any()
            }}
        </section>
        <section class="card" aria-labelledby="mining-coverage">
            <h2 id="mining-coverage">{t.mining_coverage_title()}</h2>
            <p class="hint">{t.mining_coverage_hint()}</p>
            <div class="table-wrap">
                <table class="coverage">
                    <thead><tr>
                        <th scope="col">{t.inquiry_type()}</th>
                        <th scope="col" class="num">{t.stat_inquiries()}</th>
                        <th scope="col" class="num">{t.mining_answered_now()}</th>
                        <th scope="col">{t.mining_proposals_added()}</th>
                        <th scope="col" class="num">{t.mining_with_proposals()}</th>
                    </tr></thead>
                    <tbody>
                        {v.types.into_iter().filter(|ty| ty.inquiries > 0).map(|ty| {
                            let now = ratio(ty.answered, ty.inquiries);
                            let would = ratio(ty.would_answer, ty.inquiries);
                            view! {
                                <tr>
                                    <th scope="row">{ty.name}</th>
                                    <td class="num">{ty.inquiries}</td>
                                    <td class="num">{percent(now)}</td>
                                    <td>
                                        {if ty.proposals.is_empty() {
                                            view! { <span class="meta">"—"</span> }.into_any()
                                        } else {
                                            view! {
                                                <span class="added">
                                                    {ty.proposals.iter().map(|(k, size)| view! {
                                                        <a href=format!("#mined-{k}")>{format!("+{}", percent(ratio(*size as i64, ty.inquiries)))}</a>
                                                    }).collect_view()}
                                                </span>
                                            }.into_any()
                                        }}
                                        {(!ty.auto_answer).then(|| view! { <span class="meta">" " {t.mining_type_not_automatic()}</span> })}
                                    </td>
                                    <td class="num">
                                        // SVG, not styled spans: the page's CSP allows no inline style
                                        <svg class="coverage-bar" viewBox="0 0 100 6" preserveAspectRatio="none" aria-hidden="true">
                                            <rect class="track" width="100" height="6" />
                                            <rect class="now" width=format!("{:.1}", now * 100.0) height="6" />
                                            <rect class="added" x=format!("{:.1}", now * 100.0) width=format!("{:.1}", (would - now).max(0.0) * 100.0) height="6" />
                                        </svg>
                                        {percent(would)}
                                    </td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
        <section class="card" aria-labelledby="mining-curve">
            <h2 id="mining-curve">{t.mining_curve_title()}</h2>
            <ParetoCurve pareto=curve label=t.mining_curve_caption(v.pareto.questions, v.pareto.inquiries, v.pareto.top_fifth) />
        </section>
        {(!answered.is_empty()).then(|| view! {
            <section class="card" aria-labelledby="mining-answered">
                <h2 id="mining-answered">{t.mining_answered_title()}</h2>
                <p class="hint">{t.mining_answered_hint()}</p>
                <ul class="plain">
                    {answered.into_iter().map(|(k, g)| {
                        let (tid, question) = match &g.coverage { Coverage::Answered { template_id, question, .. } => (*template_id, question.clone()), _ => (0, String::new()) };
                        let first = g.examples.first().map(|e| e.1.clone()).unwrap_or_default();
                        view! {
                            <li id=format!("mined-{k}")>
                                {first} " · " {t.mining_n_inquiries(g.size)} " → "
                                <a href=format!("/admin/faq/{tid}?from={}", ids_param(&g.ids))>{question}</a>
                                " · " <a href=format!("/admin/faq/new?from={}", ids_param(&g.ids))>{t.mining_draft_instead()}</a>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            </section>
        })}
    }
}

fn group_card(t: &'static Texts, k: usize, g: MinedGroup) -> impl IntoView {
    let title = g.examples.first().map(|e| e.1.clone()).unwrap_or_default();
    let from = ids_param(&g.ids);
    let mut shown: Vec<(i64, String)> = g.examples.iter().skip(1).cloned().collect();
    let more = shown.split_off(shown.len().min(3));
    let action = match &g.coverage {
        Coverage::Misanswered { template_id, question, confidence } => view! {
            <p class="warning">{t.mining_misanswered(question.clone(), *confidence)}</p>
            <div class="actions">
                <a class="button primary" href=format!("/admin/faq/new?from={from}")>{t.mining_draft()}</a>
                <a class="button" href=format!("/admin/faq/{template_id}")>{t.mining_open_template()}</a>
            </div>
        }
        .into_any(),
        Coverage::Near { template_id, question, similarity } => view! {
            <p class="meta">{t.mining_near(question.clone(), *similarity)}</p>
            <div class="actions">
                <a class="button primary" href=format!("/admin/faq/{template_id}?from={from}")>{t.mining_add_wordings()}</a>
                <a class="button" href=format!("/admin/faq/new?from={from}")>{t.mining_draft()}</a>
            </div>
        }
        .into_any(),
        _ => view! {
            <p class="meta">{t.mining_new_question()}</p>
            <div class="actions">
                <a class="button primary" href=format!("/admin/faq/new?from={from}")>{t.mining_draft()}</a>
            </div>
        }
        .into_any(),
    };
    view! {
        <li class="card" id=format!("mined-{k}")>
            <h3>{title}</h3>
            <p class="meta">
                <span class="badge">{t.mining_n_inquiries(g.size)}</span> " "
                {percent(g.share)} " · " {g.type_name} " · " {t.language_name(&g.language)}
            </p>
            {(!shown.is_empty()).then(|| view! {
                <ul class="examples">
                    {shown.into_iter().map(|(id, s)| view! { <li><a href=format!("/agent/inquiries/{id}")>{s}</a></li> }).collect_view()}
                </ul>
            })}
            {(!more.is_empty()).then(|| view! {
                <details>
                    <summary>{t.mining_more_examples(more.len())}</summary>
                    <ul class="examples">
                        {more.into_iter().map(|(id, s)| view! { <li><a href=format!("/agent/inquiries/{id}")>{s}</a></li> }).collect_view()}
                    </ul>
                </details>
            })}
            {match g.answer {
                Some(a) => view! { <p class="agent-answer"><span class="meta">{t.mining_agents_answered(g.answered_by_agents, g.size)}</span> " " {a}</p> }.into_any(),
                None => view! { <p class="meta">{t.mining_no_agent_answer()}</p> }.into_any(),
            }}
            {action}
        </li>
    }
}

/// Share of inquiries (up) by share of questions (across), from the most frequent question on,
/// with the 20% line.
#[component]
fn ParetoCurve(pareto: Pareto, label: String) -> impl IntoView {
    const W: f64 = 320.0;
    const H: f64 = 180.0;
    const PAD: f64 = 28.0;
    let x = |f: f64| PAD + f * (W - 2.0 * PAD);
    let y = |f: f64| H - PAD - f * (H - 2.0 * PAD);
    let points = pareto.curve.iter().map(|(a, b)| format!("{:.1},{:.1}", x(*a), y(*b))).collect::<Vec<_>>().join(" ");
    let fifth_y = y(pareto.top_fifth);
    view! {
        <figure class="pareto">
            <svg viewBox=format!("0 0 {W} {H}") role="img" aria-label=label.clone()>
                <line class="axis" x1=x(0.0) y1=y(0.0) x2=x(1.0) y2=y(0.0) />
                <line class="axis" x1=x(0.0) y1=y(0.0) x2=x(0.0) y2=y(1.0) />
                <line class="guide" x1=x(0.2) y1=y(0.0) x2=x(0.2) y2=fifth_y />
                <line class="guide" x1=x(0.0) y1=fifth_y x2=x(0.2) y2=fifth_y />
                <polyline class="curve" points=points />
                <text x=x(0.2) y=H - 8.0 text-anchor="middle">"20%"</text>
                <text x=x(1.0) y=H - 8.0 text-anchor="end">"100%"</text>
                <text x=4.0 y=fifth_y + 4.0>{format!("{:.0}%", pareto.top_fifth * 100.0)}</text>
            </svg>
            <figcaption>{label}</figcaption>
        </figure>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_and_ids_are_checked() {
        assert_eq!(parse_weeks("").ok(), Some(4));
        assert_eq!(parse_weeks(" 8 ").ok(), Some(8));
        for bad in ["3", "0", "-1", "x", "1000000000000"] {
            assert_eq!(parse_weeks(bad).err().map(|e| e.status()), Some(422), "{bad}");
        }
        assert_eq!(parse_ids("3, 1,2,").ok(), Some(vec![3, 1, 2]));
        assert_eq!(parse_ids("").ok(), Some(vec![]));
        assert!(parse_ids("1,x").is_err());
        assert!(parse_ids(&(0..51).map(|n| n.to_string()).collect::<Vec<_>>().join(",")).is_err());
    }
}
