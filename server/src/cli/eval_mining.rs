//! `cybercenter eval-mining [--eval FILE.tsv]… [--encoder PATH] [--min-size N]`: how well
//! question mining's grouping (`domain::mining::group`) finds the questions in labelled
//! paraphrases, for a range of its settings (neighbours kept, how many shared, the cosine floor): purity (of the grouped texts, the share in
//! their group's majority question), the share grouped, and the questions recovered (a group whose
//! majority is the question and that holds at least half of its texts). Texts labelled `-` ask
//! questions of their own (each its own label). Then the cost of grouping and of the similar-
//! inquiries scan at production sizes (5,000 and 50,000 embeddings). The last line is machine-readable.

use app::domain::mining::{group, mean, Params, PARAMS};
use app::domain::similar::{nearest, quantise, Quantised};
use std::collections::HashMap;
use std::time::Instant;

pub struct Args {
    pub sets: Vec<String>,
    pub encoder: String,
    pub min_size: usize,
}

pub fn parse_args(args: &[String]) -> Result<Args, String> {
    let mut out = Args { sets: Vec::new(), encoder: super::embeddings::DEFAULT_MODEL.to_string(), min_size: app::domain::mining::MIN_SIZE };
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let mut value = |name: &str| it.next().cloned().ok_or_else(|| format!("{name} needs a value"));
        match a.as_str() {
            "--eval" => out.sets.push(value("--eval")?),
            "--encoder" => out.encoder = value("--encoder")?,
            "--min-size" => {
                let v = value("--min-size")?;
                out.min_size = v.parse().ok().filter(|n| *n >= 2).ok_or_else(|| format!("--min-size must be 2 or more, got {v:?}"))?;
            }
            other => return Err(format!("unknown argument {other:?}\nusage: cybercenter eval-mining [--eval FILE.tsv]... [--encoder PATH] [--min-size N]")),
        }
    }
    if out.sets.is_empty() {
        return Err("give at least one --eval FILE.tsv (text<TAB>label; several files of one set joined with +)".into());
    }
    Ok(out)
}

/// What grouping made of one labelled set at one threshold.
#[derive(Debug, Clone, PartialEq)]
pub struct Score {
    pub groups: usize,
    /// share of the grouped texts in their group's majority label
    pub purity: f64,
    /// share of all texts in some group
    pub grouped: f64,
    /// labels with at least `min_size` texts that a group recovered
    pub recovered: usize,
    pub recoverable: usize,
}

/// Scores `groups` (of indices into `labels`) against the labels.
pub fn score(labels: &[String], groups: &[Vec<usize>], min_size: usize) -> Score {
    let mut per_label: HashMap<&str, usize> = HashMap::new();
    for l in labels {
        *per_label.entry(l.as_str()).or_default() += 1;
    }
    let (mut pure, mut grouped) = (0usize, 0usize);
    let mut recovered: Vec<&str> = Vec::new();
    for g in groups {
        let mut counts: HashMap<&str, usize> = HashMap::new();
        for m in g {
            *counts.entry(labels[*m].as_str()).or_default() += 1;
        }
        let Some((label, n)) = counts.into_iter().max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(a.0))) else { continue };
        pure += n;
        grouped += g.len();
        if 2 * n >= per_label[label] && !recovered.contains(&label) {
            recovered.push(label);
        }
    }
    Score {
        groups: groups.len(),
        purity: if grouped == 0 { 0.0 } else { pure as f64 / grouped as f64 },
        grouped: grouped as f64 / labels.len().max(1) as f64,
        recovered: recovered.len(),
        recoverable: per_label.values().filter(|n| **n >= min_size).count(),
    }
}

fn read_set(spec: &str) -> Result<Vec<(String, String)>, String> {
    let mut out = Vec::new();
    for file in spec.split('+') {
        let text = std::fs::read_to_string(file).map_err(|e| format!("{file}: {e}"))?;
        out.extend(app::domain::matcher::tsv::read_labelled(&text).map_err(|e| format!("{file}: {e}"))?);
    }
    // a `-` asks a question of its own
    Ok(out.into_iter().enumerate().map(|(k, (t, l))| if l == "-" { (t, format!("-{k}")) } else { (t, l) }).collect())
}

pub fn run(args: &[String]) -> Result<(), String> {
    let a = parse_args(args)?;
    let model = std::path::Path::new(&a.encoder);
    let encoder = super::embeddings::load(model)?;
    let mut settings: Vec<Params> = Vec::new();
    for (neighbours, shared) in [(5, 3), (5, 4), (7, 4), (7, 5), (7, 6), (10, 6), (10, 7)] {
        for floor in [0.35, 0.45, 0.55] {
            settings.push(Params { neighbours, shared, floor, min_size: a.min_size });
        }
    }
    let mut all: Vec<Quantised> = Vec::new();
    let mut summary = Vec::new();
    for spec in &a.sets {
        let set = read_set(spec)?;
        let texts: Vec<&str> = set.iter().map(|(t, _)| t.as_str()).collect();
        let labels: Vec<String> = set.iter().map(|(_, l)| l.clone()).collect();
        let started = Instant::now();
        let vectors: Vec<Quantised> = super::embeddings::embed_all(&encoder, model, &texts, e5::Kind::Query)?.iter().map(|v| quantise(v)).collect();
        let questions = {
            let mut l = labels.clone();
            l.sort();
            l.dedup();
            l.len()
        };
        println!(
            "\n{spec}: {} texts, {questions} questions ({} with {}+ texts); encoded or read in {:.1} s",
            texts.len(),
            score(&labels, &[], a.min_size).recoverable,
            a.min_size,
            started.elapsed().as_secs_f64()
        );
        println!("neighbours  shared  floor  groups  purity  grouped  questions recovered");
        let refs: Vec<&Quantised> = vectors.iter().collect();
        let common = mean(&refs);
        for p in &settings {
            let groups: Vec<Vec<usize>> = group(&refs, &common, *p).into_iter().map(|g| g.members).collect();
            let s = score(&labels, &groups, a.min_size);
            let used = p.neighbours == PARAMS.neighbours && p.shared == PARAMS.shared && (p.floor - PARAMS.floor).abs() < 1e-6;
            println!(
                "{:>10}  {:>2} of {:<2} {:>5.2}  {:>6}  {:>6.3}  {:>7.3}  {:>3} of {:<3}{}",
                p.neighbours,
                p.shared,
                p.neighbours + 1,
                p.floor,
                s.groups,
                s.purity,
                s.grouped,
                s.recovered,
                s.recoverable,
                if used { "  <- used" } else { "" }
            );
            if used {
                summary.push(format!("{}:purity={:.3},grouped={:.3},recovered={}/{}", spec.rsplit('/').next().unwrap_or(spec), s.purity, s.grouped, s.recovered, s.recoverable));
            }
        }
        all.extend(vectors);
    }

    // cost at production sizes: the sets' embeddings repeated (a repeat is a perfect neighbour,
    // so grouping does its most work)
    if !all.is_empty() {
        let tile = |n: usize| -> Vec<Quantised> { all.iter().cycle().take(n).cloned().collect() };
        let five = tile(app::faq::mining::MINE_MAX);
        let refs: Vec<&Quantised> = five.iter().collect();
        let started = Instant::now();
        let groups = group(&refs, &mean(&refs), Params { min_size: a.min_size, ..PARAMS });
        let grouping = started.elapsed();
        let fifty: Vec<(i64, Quantised)> = tile(app::faq::similar::INDEX_MAX).into_iter().enumerate().map(|(k, q)| (k as i64, q)).collect();
        let started = Instant::now();
        let queries = 20;
        for q in all.iter().take(queries) {
            std::hint::black_box(nearest(q, &fifty, 100, 0.88, None));
        }
        let scan = started.elapsed() / queries as u32;
        println!(
            "\ncost, one thread: grouping {} embeddings {:.0} ms ({} groups); nearest 100 among {} {:.2} ms a query",
            five.len(),
            grouping.as_secs_f64() * 1000.0,
            groups.len(),
            fifty.len(),
            scan.as_secs_f64() * 1000.0
        );
        summary.push(format!("group{}ms={:.0},scan{}ms={:.2}", five.len(), grouping.as_secs_f64() * 1000.0, fifty.len(), scan.as_secs_f64() * 1000.0));
    }
    println!("eval-mining: neighbours={} shared={} floor={} min_size={} {}", PARAMS.neighbours, PARAMS.shared, PARAMS.floor, a.min_size, summary.join(" "));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &[&str]) -> Vec<String> {
        v.iter().map(|x| x.to_string()).collect()
    }

    #[test]
    fn scores_purity_coverage_and_recovered_questions() {
        let labels = s(&["a", "a", "a", "a", "b", "b", "b", "-1", "-2", "c"]);
        // a group of three a's and a b; a group of the two other b's with a stray
        let groups = vec![vec![0, 1, 2, 4], vec![5, 6, 7]];
        let sc = score(&labels, &groups, 3);
        assert_eq!(sc.groups, 2);
        assert!((sc.purity - 5.0 / 7.0).abs() < 1e-9);
        assert!((sc.grouped - 0.7).abs() < 1e-9);
        // a: 3 of 4 in its group; b: 2 of 3 in its group
        assert_eq!((sc.recovered, sc.recoverable), (2, 2));
        assert_eq!(score(&labels, &[], 3).purity, 0.0);
    }

    #[test]
    fn arguments() {
        assert!(parse_args(&[]).is_err());
        assert!(parse_args(&s(&["--eval"])).is_err());
        assert!(parse_args(&s(&["--eval", "x.tsv", "--min-size", "1"])).is_err());
        let a = parse_args(&s(&["--eval", "x.tsv+y.tsv", "--min-size", "4"])).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!((a.sets, a.min_size), (vec!["x.tsv+y.tsv".to_string()], 4));
    }
}
