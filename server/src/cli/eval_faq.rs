//! `cybercenter eval-faq --train TRAIN.tsv|demo --eval EVAL.tsv [--threshold T]`: builds the FAQ
//! matcher from TRAIN only, scores EVAL, and reports accuracy and the auto-answer trade-off
//! (coverage vs precision per confidence threshold). The last line is machine-readable.
//!
//! With `--model lexical|semantic|ensemble` it evaluates the server's matcher with that choice of
//! heads (`domain::matcher::blend`; the semantic head needs the e5 model, `--encoder PATH`), and
//! the auto-answer threshold is fixed on the training set's out-of-fold answers before the
//! evaluation set is looked at.

use app::domain::matcher::features::script_is_korean;
use app::domain::matcher::compact::DEFAULT_BUDGET;
use app::domain::matcher::blend::{Blend, Example, Heads};
use app::domain::matcher::dense::DenseOptions;
use app::domain::matcher::{tsv, Classifier, TrainOptions};
use std::io::Write;
use std::collections::HashMap;
use std::time::Instant;

/// Auto-answers must be right this often on held-out data (DESIGN section 3).
pub const TARGET_PRECISION: f64 = 0.98;

#[derive(Debug, PartialEq)]
pub struct Args {
    pub train: String,
    pub eval: String,
    pub threshold: Option<f64>,
    /// Print every query whose best template was wrong (to improve the FAQ data).
    pub show_errors: bool,
    /// Training settings to try instead of the defaults (`--epochs`, `--learning-rate`, `--l2`,
    /// `--average on|off`), for choosing them on a dev split.
    pub overrides: Overrides,
    /// `--model`: the server's blended matcher with these heads, threshold from training only.
    pub heads: Option<Heads>,
    pub encoder: String,
}

#[derive(Debug, Default, PartialEq, Clone, Copy)]
pub struct Overrides {
    pub epochs: Option<usize>,
    pub learning_rate: Option<f32>,
    pub l2: Option<f32>,
    pub average: Option<bool>,
}

impl Overrides {
    pub fn apply(&self, mut o: TrainOptions) -> TrainOptions {
        o.epochs = self.epochs.unwrap_or(o.epochs);
        o.learning_rate = self.learning_rate.unwrap_or(o.learning_rate);
        o.l2 = self.l2.unwrap_or(o.l2);
        o.average = self.average.unwrap_or(o.average);
        o
    }
}

fn positive<T: std::str::FromStr + PartialOrd + Default>(name: &str, v: &str) -> Result<T, String> {
    v.parse::<T>().ok().filter(|x| *x > T::default()).ok_or_else(|| format!("{name} must be a positive number, got {v:?}"))
}

pub fn parse_args(args: &[String]) -> Result<Args, String> {
    let (mut train, mut eval, mut threshold, mut show_errors) = (None, None, None, false);
    let (mut heads, mut encoder) = (None, super::embeddings::DEFAULT_MODEL.to_string());
    let mut overrides = Overrides::default();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let mut value = |name: &str| it.next().cloned().ok_or_else(|| format!("{name} needs a value"));
        match a.as_str() {
            "--train" => train = Some(value("--train")?),
            "--eval" => eval = Some(value("--eval")?),
            "--threshold" => {
                let v = value("--threshold")?;
                let t: f64 = v.parse().map_err(|_| format!("--threshold must be a number in [0, 1], got {v:?}"))?;
                if !(0.0..=1.0).contains(&t) {
                    return Err(format!("--threshold must be in [0, 1], got {t}"));
                }
                threshold = Some(t);
            }
            "--show-errors" => show_errors = true,
            "--model" => {
                let v = value("--model")?;
                heads = Some(Heads::parse(&v).ok_or_else(|| format!("--model must be lexical, semantic or ensemble, got {v:?}"))?);
            }
            "--encoder" => encoder = value("--encoder")?,
            "--epochs" => overrides.epochs = Some(positive("--epochs", &value("--epochs")?)?),
            "--learning-rate" => overrides.learning_rate = Some(positive("--learning-rate", &value("--learning-rate")?)?),
            "--l2" => overrides.l2 = Some(value("--l2")?.parse::<f32>().ok().filter(|x| *x >= 0.0 && x.is_finite()).ok_or("--l2 must be a number >= 0")?),
            "--average" => {
                overrides.average = Some(match value("--average")?.as_str() {
                    "on" => true,
                    "off" => false,
                    other => return Err(format!("--average must be on or off, got {other:?}")),
                })
            }
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    Ok(Args {
        train: train.ok_or("--train TRAIN.tsv is required")?,
        eval: eval.ok_or("--eval EVAL.tsv is required")?,
        threshold,
        show_errors,
        overrides,
        heads,
        encoder,
    })
}

/// (confidence of the top answer, whether it was right) for every eval query.
pub struct Scored {
    /// The pruned model the browser downloads: weights kept, encoded bytes, gzip bytes, top-1.
    pub browser: (usize, usize, usize, f64),
    pub top1: f64,
    pub top3: f64,
    pub answers: Vec<(f32, bool)>,
    /// (query, expected label, best label, confidence) of every wrong best answer.
    pub errors: Vec<(String, String, String, f32)>,
    pub ms_per_query: f64,
}

/// Coverage and precision of auto-answering every query whose confidence ≥ `t`.
pub fn at_threshold(answers: &[(f32, bool)], t: f64) -> (f64, f64) {
    let taken: Vec<bool> = answers.iter().filter(|(c, _)| *c as f64 >= t).map(|(_, ok)| *ok).collect();
    let coverage = taken.len() as f64 / answers.len().max(1) as f64;
    let precision = if taken.is_empty() { 1.0 } else { taken.iter().filter(|ok| **ok).count() as f64 / taken.len() as f64 };
    (coverage, precision)
}

/// The lowest threshold (largest coverage) whose precision reaches `target`; considers every
/// distinct confidence, so the choice is exact for this data.
pub fn choose_threshold(answers: &[(f32, bool)], target: f64) -> Option<f64> {
    let mut sorted: Vec<(f32, bool)> = answers.to_vec();
    sorted.sort_by(|a, b| b.0.total_cmp(&a.0));
    let (mut right, mut best) = (0usize, None);
    for (i, (c, ok)) in sorted.iter().enumerate() {
        right += *ok as usize;
        let next_same = sorted.get(i + 1).is_some_and(|n| n.0 == *c);
        if !next_same && right as f64 / (i + 1) as f64 >= target {
            best = Some(*c as f64);
        }
    }
    best
}

pub fn evaluate(train: &[(String, String)], eval: &[(String, String)], overrides: Overrides) -> Result<(Scored, f64), String> {
    let mut class_of: HashMap<&str, usize> = HashMap::new();
    for (_, label) in train {
        let n = class_of.len();
        class_of.entry(label.as_str()).or_insert(n);
    }
    let texts: Vec<&str> = train.iter().map(|(t, _)| t.as_str()).collect();
    // when the labels are in both Korean and English (an FAQ in two languages), a query is
    // answered in its own language, as the portal does
    let mut korean = vec![false; class_of.len()];
    for (label, &c) in &class_of {
        korean[c] = script_is_korean(label);
    }
    let korean = (korean.contains(&true) && korean.contains(&false)).then_some(korean);
    let labels: Vec<usize> = train.iter().map(|(_, l)| class_of[l.as_str()]).collect();
    let started = Instant::now();
    let opts = overrides.apply(TrainOptions::for_examples(texts.len()));
    let model = Classifier::train(&texts, &labels, class_of.len(), korean, opts).ok_or("no training data")?;
    let train_s = started.elapsed().as_secs_f64();
    let started = Instant::now();
    let (mut top1, mut top3) = (0usize, 0usize);
    let mut answers = Vec::with_capacity(eval.len());
    let mut errors = Vec::new();
    let mut names: Vec<&str> = vec![""; class_of.len()];
    for (name, &c) in &class_of {
        names[c] = name;
    }
    for (text, label) in eval {
        let ranked = model.rank(text, 3);
        let truth = class_of.get(label.as_str()).copied();
        let right = |i: usize| ranked.get(i).is_some_and(|m| Some(m.class) == truth);
        top1 += right(0) as usize;
        top3 += (0..3).any(right) as usize;
        let confidence = ranked.first().map(|m| m.confidence).unwrap_or(0.0);
        answers.push((confidence, right(0)));
        if !right(0) {
            let best = ranked.first().and_then(|m| names.get(m.class)).map(|s| s.to_string()).unwrap_or_default();
            errors.push((text.clone(), label.clone(), best, confidence));
        }
    }
    let n = eval.len().max(1) as f64;
    let ms_per_query = started.elapsed().as_secs_f64() * 1000.0 / n;
    let compact = model.compact(DEFAULT_BUDGET);
    let browser_top1 = eval.iter().filter(|(text, label)| compact.rank(text, 1).first().map(|m| m.class) == class_of.get(label.as_str()).copied()).count();
    let mut w = app::domain::matcher::codec::Writer::default();
    compact.encode(&mut w);
    let gzip = gzip_len(&w.bytes);
    let browser = (compact.model().weights(), w.bytes.len(), gzip, browser_top1 as f64 / n);
    Ok((Scored { browser, top1: top1 as f64 / n, top3: top3 as f64 / n, answers, errors, ms_per_query }, train_s))
}

/// The size of `bytes` gzip-compressed (level 6, what a web server sends).
pub fn gzip_len(bytes: &[u8]) -> usize {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    match e.write_all(bytes).and_then(|_| e.finish()) {
        Ok(out) => out.len(),
        Err(_) => bytes.len(),
    }
}

/// What `--model` reports.
pub struct BlendReport {
    pub top1: f64,
    pub top3: f64,
    /// (calibrated confidence, right?) on the evaluation set
    pub answers: Vec<(f32, bool)>,
    /// the threshold fixed on training's out-of-fold answers (None: none reaches the target)
    pub threshold: Option<f64>,
    pub train_s: f64,
    pub encode_s: f64,
    pub ms_per_query: f64,
}

pub fn evaluate_blend(train: &[(String, String)], eval: &[(String, String)], heads: Heads, encoder: &str, overrides: Overrides) -> Result<BlendReport, String> {
    let mut class_of: HashMap<&str, usize> = HashMap::new();
    for (_, label) in train {
        let n = class_of.len();
        class_of.entry(label.as_str()).or_insert(n);
    }
    let mut korean = vec![false; class_of.len()];
    for (label, &c) in &class_of {
        korean[c] = script_is_korean(label);
    }
    let korean = (korean.contains(&true) && korean.contains(&false)).then_some(korean);
    let texts: Vec<&str> = train.iter().map(|(t, _)| t.as_str()).collect();
    let queries: Vec<&str> = eval.iter().map(|(t, _)| t.as_str()).collect();
    let labels: Vec<usize> = train.iter().map(|(_, l)| class_of[l.as_str()]).collect();
    let started = Instant::now();
    let (train_vectors, eval_vectors) = if heads == Heads::Lexical {
        (vec![Vec::new(); texts.len()], vec![Vec::new(); queries.len()])
    } else {
        let path = std::path::Path::new(encoder);
        let enc = super::embeddings::load(path)?;
        let kind = e5::Kind::Query;
        (super::embeddings::embed_all(&enc, path, &texts, kind)?, super::embeddings::embed_all(&enc, path, &queries, kind)?)
    };
    let encode_s = started.elapsed().as_secs_f64();
    let examples: Vec<Example> = texts.iter().zip(&train_vectors).map(|(t, v)| Example { text: t, embedding: v }).collect();
    let started = Instant::now();
    let lex = overrides.apply(TrainOptions::converged(texts.len()));
    let dense = DenseOptions::for_examples(texts.len());
    let blend = Blend::train(heads, &examples, &labels, class_of.len(), korean, lex, dense).ok_or("no training data")?;
    let oof = blend.held_out().iter().filter(|(_, ok)| *ok).count() as f64 / blend.held_out().len().max(1) as f64;
    println!("out-of-fold top-1 on training: {oof:.4} ({} answers); semantic weight {}", blend.held_out().len(), blend.weight());
    let train_s = started.elapsed().as_secs_f64();
    let threshold = choose_threshold(blend.held_out(), TARGET_PRECISION);
    let started = Instant::now();
    let (mut top1, mut top3, mut answers) = (0usize, 0usize, Vec::with_capacity(eval.len()));
    for ((text, label), v) in eval.iter().zip(&eval_vectors) {
        let ranked = blend.rank(Example { text, embedding: v }, 3);
        let truth = class_of.get(label.as_str()).copied();
        let right = |i: usize| ranked.get(i).is_some_and(|m| Some(m.class) == truth);
        top1 += right(0) as usize;
        top3 += (0..3).any(right) as usize;
        answers.push((ranked.first().map(|m| m.confidence).unwrap_or(0.0), right(0)));
    }
    let n = eval.len().max(1) as f64;
    let ms_per_query = started.elapsed().as_secs_f64() * 1000.0 / n;
    Ok(BlendReport { top1: top1 as f64 / n, top3: top3 as f64 / n, answers, threshold, train_s, encode_s, ms_per_query })
}

fn run_blend(args: &Args, heads: Heads, train: &[(String, String)], eval: &[(String, String)]) -> Result<(), String> {
    let r = evaluate_blend(train, eval, heads, &args.encoder, args.overrides)?;
    println!("train: {} examples ({}), eval: {} queries ({}), heads: {heads:?}", train.len(), args.train, eval.len(), args.eval);
    println!("encoding {:.1} s (cached after the first run); training {:.2} s; matching {:.3} ms per query", r.encode_s, r.train_s, r.ms_per_query);
    println!("top-1 accuracy {:.4}, top-3 accuracy {:.4}", r.top1, r.top3);
    let threshold = args.threshold.or(r.threshold);
    match (args.threshold, r.threshold) {
        (Some(t), _) => println!("fixed threshold {t} (from --threshold)"),
        (None, Some(t)) => println!("threshold {t:.4}: the lowest confidence with precision >= {TARGET_PRECISION} on training's out-of-fold answers"),
        (None, None) => println!("no threshold reaches precision {TARGET_PRECISION} on training's out-of-fold answers: auto-answer nothing"),
    }
    let (coverage, precision) = at_threshold(&r.answers, threshold.unwrap_or(1.01));
    if let Some(t) = choose_threshold(&r.answers, TARGET_PRECISION) {
        let (c, _) = at_threshold(&r.answers, t);
        println!("for comparison, chosen on the evaluation set itself: threshold {t:.4}, coverage {c:.4}");
    }
    println!(
        "top1={:.4} top3={:.4} threshold={:.4} precision={:.4} coverage={:.4} ms_per_query={:.4}",
        r.top1,
        r.top3,
        threshold.unwrap_or(1.0),
        precision,
        coverage,
        r.ms_per_query
    );
    Ok(())
}

pub fn run(args: &[String]) -> Result<(), String> {
    let args = parse_args(args)?;
    let read = |path: &str| -> Result<Vec<(String, String)>, String> {
        let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read {path}: {e}"))?;
        tsv::read_labelled(&text).map_err(|e| format!("{path}: {e}"))
    };
    // `--train demo`: the FAQ templates `make run` loads, to check them against paraphrases
    // `--train demo:3`: the same with at most 3 phrasings per template
    let train = match args.train.strip_prefix("demo") {
        Some("") => app::demo::faq_training_examples(),
        Some(n) => match n.strip_prefix(':').and_then(|n| n.parse::<usize>().ok()) {
            Some(n) => app::demo::faq_training_examples_with(n),
            None => return Err(format!("--train demo:N needs a number of phrasings, got {:?}", args.train)),
        },
        None => read(&args.train)?,
    };
    let eval = read(&args.eval)?;
    if train.is_empty() || eval.is_empty() {
        return Err("both files need at least one row after the header".into());
    }
    if let Some(heads) = args.heads {
        return run_blend(&args, heads, &train, &eval);
    }
    let (scored, train_s) = evaluate(&train, &eval, args.overrides)?;
    if args.show_errors {
        println!("confidence  expected  ->  best  :  query");
        for (q, expected, best, c) in &scored.errors {
            println!("{c:10.3}  {expected}  ->  {best}  :  {q}");
        }
    }
    println!("train: {} examples ({}), eval: {} queries ({})", train.len(), args.train, eval.len(), args.eval);
    println!("training took {train_s:.2} s; matching {:.3} ms per query", scored.ms_per_query);
    println!("top-1 accuracy {:.4}, top-3 accuracy {:.4}", scored.top1, scored.top3);
    let (weights, raw, gz, top1) = scored.browser;
    println!(
        "browser model (pruned to {weights} weights): {:.1} KB, {:.1} KB gzip; its top-1 accuracy {top1:.4}",
        raw as f64 / 1024.0,
        gz as f64 / 1024.0
    );
    println!("threshold  coverage  precision");
    for i in 0..=19 {
        let t = i as f64 * 0.05;
        let (c, p) = at_threshold(&scored.answers, t);
        println!("{t:9.2}  {c:8.4}  {p:9.4}");
    }
    let threshold = match args.threshold {
        Some(t) => {
            println!("fixed threshold {t} (from --threshold)");
            t
        }
        None => match choose_threshold(&scored.answers, TARGET_PRECISION) {
            Some(t) => {
                println!("chosen threshold: the lowest confidence with precision >= {TARGET_PRECISION}");
                t
            }
            None => {
                println!("no threshold reaches precision {TARGET_PRECISION}: auto-answer nothing");
                1.0
            }
        },
    };
    let (coverage, precision) = at_threshold(&scored.answers, threshold);
    println!(
        "top1={:.4} top3={:.4} threshold={:.4} precision={:.4} coverage={:.4} ms_per_query={:.4}",
        scored.top1, scored.top3, threshold, precision, coverage, scored.ms_per_query
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &[&str]) -> Vec<String> {
        v.iter().map(|x| x.to_string()).collect()
    }

    #[test]
    fn arguments() {
        assert_eq!(
            parse_args(&s(&["--train", "a.tsv", "--eval", "b.tsv"])),
            Ok(Args {
                train: "a.tsv".into(),
                eval: "b.tsv".into(),
                threshold: None,
                show_errors: false,
                overrides: Overrides::default(),
                heads: None,
                encoder: super::super::embeddings::DEFAULT_MODEL.into()
            })
        );
        assert_eq!(parse_args(&s(&["--train", "a", "--eval", "b", "--threshold", "0.9"])).map(|a| a.threshold), Ok(Some(0.9)));
        assert!(parse_args(&s(&["--train", "a"])).is_err());
        assert!(parse_args(&s(&["--train", "a", "--eval", "b", "--threshold", "2"])).is_err());
        assert!(parse_args(&s(&["--train", "a", "--eval", "b", "--threshold", "x"])).is_err());
        assert!(parse_args(&s(&["--train"])).is_err());
        assert!(parse_args(&s(&["--bogus"])).is_err());
        assert_eq!(parse_args(&s(&["--train", "a", "--eval", "b", "--model", "ensemble"])).map(|a| a.heads), Ok(Some(Heads::Both)));
        assert!(parse_args(&s(&["--train", "a", "--eval", "b", "--model", "neural"])).is_err());
        let o = parse_args(&s(&["--train", "a", "--eval", "b", "--epochs", "20", "--l2", "0", "--average", "on"])).expect("parses").overrides;
        assert_eq!((o.epochs, o.l2, o.average), (Some(20), Some(0.0), Some(true)));
        assert!(parse_args(&s(&["--train", "a", "--eval", "b", "--epochs", "0"])).is_err());
        assert!(parse_args(&s(&["--train", "a", "--eval", "b", "--average", "maybe"])).is_err());
    }

    #[test]
    fn threshold_choice_is_the_largest_coverage_at_target_precision() {
        // confidences with correctness: precision at >= 0.9 is 3/3, at >= 0.5 is 4/5
        let answers = [(0.99, true), (0.95, true), (0.9, true), (0.6, false), (0.5, true)];
        assert_eq!(choose_threshold(&answers, 0.98), Some(0.9f32 as f64));
        assert_eq!(choose_threshold(&answers, 0.8), Some(0.5f32 as f64));
        assert_eq!(choose_threshold(&[(0.9, false)], 0.98), None);
        let (c, p) = at_threshold(&answers, 0.9f32 as f64);
        assert_eq!((c, p), (0.6, 1.0));
        assert_eq!(at_threshold(&answers, 1.0), (0.0, 1.0));
    }

    #[test]
    fn calibrated_confidence_means_more_right_answers_on_unseen_paraphrases() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../eval/demo-faq-paraphrases.tsv");
        let eval = tsv::read_labelled(&std::fs::read_to_string(path).expect("eval set")).expect("parses");
        assert!(eval.iter().filter(|(t, l)| l != "-" && script_is_korean(t)).count() >= 150, "at least 150 Korean paraphrases");
        let (scored, _) = evaluate(&app::demo::faq_training_examples(), &eval, Overrides::default()).expect("evaluates");
        // precision within confidence bands rises with the band
        let band = |lo: f32, hi: f32| {
            let v: Vec<bool> = scored.answers.iter().filter(|(c, _)| *c >= lo && *c < hi).map(|(_, ok)| *ok).collect();
            assert!(v.len() >= 20, "band {lo}..{hi} has {} answers", v.len());
            v.iter().filter(|ok| **ok).count() as f64 / v.len() as f64
        };
        let (low, mid, high) = (band(0.0, 0.5), band(0.5, 0.8), band(0.8, 1.01));
        assert!(low < mid && mid < high, "{low} {mid} {high}");
        assert!(high >= 0.97, "confident answers are right: {high}");
        assert!(scored.top1 >= 0.75, "top-1 {}", scored.top1);
    }
}
