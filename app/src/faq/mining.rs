//! Question mining at run time: groups a period's inquiries that no template answered by the
//! meaning of their questions (the embeddings the similar-inquiries index already holds), tells
//! for each group whether a template answers it now, comes close, or none exists, and measures
//! what templates cover per type and what each proposal would add.

use crate::admin::mining::{Coverage, MinedDraft, MinedGroup, MiningView, TypeCoverage};
use crate::domain::mining::{draft_phrasings, group, language_of, most_common, pareto, Group, MIN_SIZE, PARAMS};
use crate::domain::similar::Quantised;
use crate::error::AppError;
use crate::i18n::Locale;
use crate::store::mining::Unanswered;

/// The most inquiries grouped at once (the newest of the period): grouping compares each with
/// each, 12.5 million comparisons for 5,000 (well under a second on one core).
pub const MINE_MAX: usize = 5_000;
/// A template with a wording at least this similar to a group's question (cosine of the
/// embeddings once the direction all inquiries share is taken away) says the same thing. Plain
/// cosine could not tell: a complaint about a rude courier was 0.91 from "when will my order
/// arrive?" and a return pickup that never came 0.95 from "how do I return an item?".
const CLOSE: f32 = 0.70;
/// Ids a group hands to the draft (the most typical first): the phrasings a template takes at most.
pub const DRAFT_IDS: usize = crate::domain::faq_template::MAX_PHRASINGS;
/// Examples shown per group.
const EXAMPLES: usize = 8;
/// Points of the 20:80 curve.
const CURVE_POINTS: usize = 40;

pub async fn mine(state: &crate::state::AppState, weeks: u32, now: i64, locale: Locale) -> Result<MiningView, AppError> {
    let since = now - i64::from(weeks) * 7 * crate::domain::calendar::DAY_MS;
    let db = &state.db;
    let volumes = crate::store::mining::volume_by_type(db, since).await?;
    let template_answers = crate::store::mining::template_answers(db, since).await?;
    let mut rows = crate::store::mining::unanswered(db, since, MINE_MAX as i64 + 1).await?;
    let more_than_read = rows.len() > MINE_MAX;
    rows.truncate(MINE_MAX);
    let semantic = state.faq.semantic.encoder().is_some();

    // the inquiries the index holds a meaning for
    let index = &state.faq.semantic.similar;
    let (embedded, vectors): (Vec<usize>, Vec<Quantised>) = rows.iter().enumerate().filter_map(|(k, r)| index.vector_of(r.id).map(|v| (k, v))).unzip();
    let not_embedded = rows.len() - embedded.len();
    // the direction all inquiries share, from every inquiry this server holds
    let common = index.mean();
    let common_for_templates = common.clone();
    let found: Vec<(Group, Vec<f32>)> = state
        .faq
        .semantic
        .in_background(move || {
            let refs: Vec<&Quantised> = vectors.iter().collect();
            group(&refs, &common, PARAMS)
                .into_iter()
                .map(|g| {
                    let centre = &vectors[g.members[0]];
                    let v = centre.vector.iter().map(|x| f32::from(*x) * centre.scale).collect();
                    (g, v)
                })
                .collect()
        })
        .await?;

    let faq = state.faq.current();
    let inquiries: i64 = volumes.iter().map(|v| v.inquiries).sum();
    let mut groups = Vec::with_capacity(found.len());
    let mut suggested = Vec::new();
    for (g, centre) in &found {
        let members: Vec<&Unanswered> = g.members.iter().map(|m| &rows[embedded[*m]]).collect();
        let c = members[0];
        let text = super::similar::question_text(&c.subject, c.body.as_deref().unwrap_or(""));
        let best = if faq.has_semantic() { faq.semantic_best(&text, centre) } else { faq.best(&text) };
        let closest = faq.closest_template(&crate::domain::similar::quantise(centre), &common_for_templates);
        suggested.extend(best.as_ref().map(|b| b.template_id));
        suggested.extend(closest.map(|c| c.0));
        let type_code = most_common(members.iter().map(|m| m.type_code.as_str())).unwrap_or_default().to_string();
        let answers: Vec<&str> = members.iter().filter_map(|m| m.answer.as_deref()).map(str::trim).filter(|a| !a.is_empty()).collect();
        groups.push(MinedGroup {
            size: members.len(),
            share: crate::admin::mining::ratio(members.len() as i64, inquiries),
            type_name: volumes.iter().find(|v| v.code == type_code).map(|v| locale.pick(v.name_ko.clone(), v.name_en.clone())).unwrap_or_else(|| type_code.clone()),
            type_code,
            language: most_common(members.iter().map(|m| language_of(&m.subject))).unwrap_or("en").to_string(),
            examples: members.iter().take(EXAMPLES).map(|m| (m.id, m.subject.clone())).collect(),
            ids: members.iter().take(DRAFT_IDS).map(|m| m.id).collect(),
            answered_by_agents: answers.len(),
            answer: most_common(answers.iter().copied()).map(|a| a.chars().take(300).collect()),
            cohesion: g.closeness.iter().sum::<f32>() / g.closeness.len().max(1) as f32,
            // filled in below, once the templates' questions are read
            coverage: Coverage::New,
        });
        // the FAQ answers it now with `best` when that reaches its type's threshold
        let answers = best.filter(|b| volumes.iter().any(|v| v.id == b.type_id && v.auto_answer && b.confidence >= v.threshold as f32));
        let last = groups.len() - 1;
        groups[last].coverage = match (answers, closest) {
            (Some(b), Some((c, s))) if c == b.template_id && s >= CLOSE => Coverage::Answered { template_id: b.template_id, question: String::new(), confidence: b.confidence },
            // without the semantic head there are no wordings to compare: the matcher's word
            (Some(b), None) => Coverage::Answered { template_id: b.template_id, question: String::new(), confidence: b.confidence },
            (Some(b), Some(_)) => Coverage::Misanswered { template_id: b.template_id, question: String::new(), confidence: b.confidence },
            (None, Some((c, s))) if s >= CLOSE => Coverage::Near { template_id: c, question: String::new(), similarity: s },
            (None, _) => Coverage::New,
        };
    }
    let ids: Vec<i64> = suggested;
    let questions = crate::store::faq::questions(db, &ids).await?;
    for g in &mut groups {
        if let Coverage::Answered { template_id, question, .. } | Coverage::Near { template_id, question, .. } | Coverage::Misanswered { template_id, question, .. } = &mut g.coverage {
            *question = questions.iter().find(|q| q.0 == *template_id).map(|q| q.1.clone()).unwrap_or_default();
        }
    }

    let types = volumes
        .iter()
        .map(|v| {
            let proposals: Vec<(usize, usize)> =
                groups.iter().enumerate().filter(|(_, g)| g.type_code == v.code && !matches!(g.coverage, Coverage::Answered { .. })).map(|(k, g)| (k, g.size)).collect();
            let added: i64 = proposals.iter().map(|p| p.1 as i64).sum();
            TypeCoverage {
                code: v.code.clone(),
                name: locale.pick(v.name_ko.clone(), v.name_en.clone()),
                auto_answer: v.auto_answer,
                inquiries: v.inquiries,
                answered: v.answered,
                proposals,
                would_answer: (v.answered + added).min(v.inquiries),
            }
        })
        .collect::<Vec<_>>();
    // the questions of the period: each template by its answers, each group, and each inquiry
    // in no group as a question of its own
    let grouped: usize = groups.iter().map(|g| g.size).sum();
    let mut sizes: Vec<i64> = template_answers.iter().map(|t| t.1).collect();
    sizes.extend(groups.iter().map(|g| g.size as i64));
    sizes.extend(std::iter::repeat_n(1, rows.len() - grouped));
    let answered: i64 = volumes.iter().map(|v| v.answered).sum();
    let would: i64 = types.iter().filter(|t| t.auto_answer).map(|t| t.would_answer).sum::<i64>() + types.iter().filter(|t| !t.auto_answer).map(|t| t.answered).sum::<i64>();
    Ok(MiningView {
        weeks,
        semantic,
        inquiries,
        answered,
        would_answer: would,
        unanswered: rows.len(),
        more_than_read,
        not_embedded,
        grouped,
        min_size: MIN_SIZE,
        pareto: pareto(&sizes, CURVE_POINTS),
        groups,
        types,
    })
}

/// A draft template from a group's inquiries (`ids`, the most typical first): the first one's
/// subject as the question, the others' as phrasings, the type and language most of them have,
/// and the reply agents resolved most of them with.
pub async fn draft(db: &crate::store::Db, ids: &[i64]) -> Result<Option<MinedDraft>, AppError> {
    use crate::domain::faq_template::{PHRASING_MAX_CHARS, QUESTION_MAX_CHARS};
    let rows = crate::store::mining::by_ids(db, ids).await?;
    let Some(first) = rows.first() else { return Ok(None) };
    let question: String = first.subject.trim().chars().take(QUESTION_MAX_CHARS).collect();
    // subjects first (what customers typed as their question), then short first messages
    let texts = rows.iter().skip(1).map(|r| r.subject.as_str()).chain(rows.iter().filter_map(|r| r.body.as_deref()));
    let phrasings = draft_phrasings(&question, texts, PHRASING_MAX_CHARS, crate::domain::mining::DRAFT_PHRASINGS);
    let answers = rows.iter().filter_map(|r| r.answer.as_deref()).map(str::trim).filter(|a| !a.is_empty());
    Ok(Some(MinedDraft {
        type_code: most_common(rows.iter().map(|r| r.type_code.as_str())).unwrap_or_default().to_string(),
        language: most_common(rows.iter().map(|r| language_of(&r.subject))).unwrap_or("en").to_string(),
        question,
        phrasings,
        answer: most_common(answers).unwrap_or_default().to_string(),
        inquiries: rows.len(),
    }))
}
