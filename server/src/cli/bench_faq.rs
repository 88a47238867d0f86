//! `cybercenter bench-faq [--templates 1000] [--phrasings 10] [--queries 2000]`: the FAQ matcher
//! at the size of a large FAQ (DESIGN 7: ≤ 1 ms per query against 1,000 templates, training on
//! 10,000 examples ≤ 10 s on one core, the browser's model ≤ 1 MB gzip). The templates are
//! synthetic (each a handful of topic words drawn from a made-up Korean and English vocabulary,
//! its phrasings random mixes of them with filler words), so the figures measure size and speed,
//! not language. The baseline measured in the same run is feature extraction alone.

use super::eval_faq::gzip_len;
use app::domain::faq_pack::{FaqPack, PackTemplate};
use app::domain::matcher::compact::DEFAULT_BUDGET;
use app::domain::matcher::features::counts;
use app::domain::matcher::{Classifier, Scorer, TrainOptions};
use app::domain::rng::SplitMix64;
use std::time::Instant;

struct Rng(SplitMix64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0.below(n as u64) as usize
    }
}

const KO_SYLLABLES: [&str; 24] = ["배", "송", "환", "불", "주", "문", "결", "제", "카", "드", "비", "번", "상", "품", "교", "환", "취", "소", "적", "립", "쿠", "폰", "회", "원"];
const EN_SYLLABLES: [&str; 20] = ["ord", "er", "pay", "ment", "card", "ship", "ping", "re", "fund", "ac", "count", "pass", "word", "de", "liv", "ery", "vo", "uch", "mem", "ber"];
const KO_FILLERS: [&str; 8] = ["언제", "어떻게", "왜", "안", "돼요", "하나요", "해주세요", "문의"];
const EN_FILLERS: [&str; 8] = ["when", "how", "why", "can", "my", "the", "please", "help"];

fn word(rng: &mut Rng, korean: bool) -> String {
    let n = 2 + rng.below(2);
    (0..n).map(|_| if korean { KO_SYLLABLES[rng.below(KO_SYLLABLES.len())] } else { EN_SYLLABLES[rng.below(EN_SYLLABLES.len())] }).collect()
}

fn phrasing(rng: &mut Rng, topic: &[String], korean: bool) -> String {
    let mut parts: Vec<String> = (0..4).map(|_| topic[rng.below(topic.len())].clone()).collect();
    for _ in 0..3 {
        parts.push(if korean { KO_FILLERS[rng.below(8)] } else { EN_FILLERS[rng.below(8)] }.to_string());
    }
    for i in (1..parts.len()).rev() {
        parts.swap(i, rng.below(i + 1));
    }
    parts.join(" ")
}

fn flag(args: &[String], name: &str, default: usize) -> Result<usize, String> {
    match args.iter().position(|a| a == name) {
        None => Ok(default),
        Some(i) => {
            let v = args.get(i + 1).ok_or(format!("{name} needs a value"))?;
            v.parse::<usize>().ok().filter(|&n| n > 0).ok_or(format!("{name} must be a positive whole number, got {v:?}"))
        }
    }
}

pub fn run(args: &[String]) -> Result<(), String> {
    for a in args.iter().step_by(2) {
        if !matches!(a.as_str(), "--templates" | "--phrasings" | "--queries" | "--pack-out") {
            return Err(format!("unknown argument {a:?}"));
        }
    }
    // where to write the browser's download, for timing its loading in Chromium (bench/faq-browser.sh)
    let pack_out = match args.iter().position(|a| a == "--pack-out") {
        Some(i) => Some(args.get(i + 1).ok_or("--pack-out needs a file name")?.clone()),
        None => None,
    };
    let templates = flag(args, "--templates", 1_000)?;
    let phrasings = flag(args, "--phrasings", 10)?;
    let queries = flag(args, "--queries", 2_000)?;
    let mut rng = Rng(SplitMix64(0x5eed));
    let korean: Vec<bool> = (0..templates).map(|i| i % 2 == 0).collect();
    let topics: Vec<Vec<String>> = (0..templates).map(|c| (0..6).map(|_| word(&mut rng, korean[c])).collect()).collect();
    let (mut texts, mut labels) = (Vec::new(), Vec::new());
    for c in 0..templates {
        for _ in 0..phrasings {
            texts.push(phrasing(&mut rng, &topics[c], korean[c]));
            labels.push(c);
        }
    }
    let eval: Vec<(String, usize)> = (0..queries).map(|_| {
        let c = rng.below(templates);
        (phrasing(&mut rng, &topics[c], korean[c]), c)
    }).collect();
    println!("bench-faq: {templates} templates x {phrasings} phrasings = {} training examples, {queries} queries", texts.len());

    let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
    let started = Instant::now();
    let classifier = Classifier::train(&refs, &labels, templates, Some(korean.clone()), TrainOptions::for_examples(refs.len())).ok_or("nothing to train on")?;
    let train_s = started.elapsed().as_secs_f64();
    println!("training (model + held-out calibration): {train_s:.2} s (budget 10 s for 10,000 examples)");

    let time = |f: &dyn Fn(&str) -> usize| -> (f64, usize) {
        let started = Instant::now();
        let mut right = 0;
        for (q, c) in &eval {
            right += (f(q) == *c) as usize;
        }
        (started.elapsed().as_secs_f64() * 1000.0 / eval.len() as f64, right)
    };
    let (base_ms, _) = time(&|q| counts(q).len());
    let (full_ms, full_right) = time(&|q| classifier.rank(q, 3).first().map(|m| m.class).unwrap_or(usize::MAX));
    let compact = classifier.compact(DEFAULT_BUDGET);
    let (compact_ms, compact_right) = time(&|q| compact.rank(q, 3).first().map(|m| m.class).unwrap_or(usize::MAX));
    let n = eval.len() as f64;
    println!("baseline (features only): {base_ms:.4} ms per query");
    println!("server model:  {full_ms:.4} ms per query ({:.1}x baseline), top-1 {:.3} (budget 1 ms)", full_ms / base_ms, full_right as f64 / n);
    println!("browser model: {compact_ms:.4} ms per query ({:.1}x baseline), top-1 {:.3}", compact_ms / base_ms, compact_right as f64 / n);
    let _ = compact.model().classes();

    let pack_templates = (0..templates)
        .map(|c| PackTemplate {
            id: c as i64 + 1,
            type_id: 1,
            korean: korean[c],
            question: texts[c * phrasings].clone(),
            // an answer of typical length (about 300 characters)
            answer: (0..12).map(|_| word(&mut rng, korean[c])).collect::<Vec<_>>().join(" ").repeat(3),
        })
        .collect();
    let pack = FaqPack::new(Vec::new(), pack_templates, Some(compact)).map_err(|e| e.to_string())?;
    let bytes = pack.encode();
    let gz = gzip_len(&bytes);
    if let Some(path) = &pack_out {
        std::fs::write(path, &bytes).map_err(|e| format!("cannot write {path}: {e}"))?;
    }
    println!(
        "browser download (templates + pruned model, {} weights kept): {:.1} KB, {:.1} KB gzip (budget 1024 KB gzip)",
        pack.classifier.as_ref().map(|c| c.model().weights()).unwrap_or(0),
        bytes.len() as f64 / 1024.0,
        gz as f64 / 1024.0
    );
    // what the browser does once per page: decode the pack and build the BM25 search index
    let started = Instant::now();
    let rounds = 5;
    for _ in 0..rounds {
        FaqPack::decode(&bytes).map_err(|e| e.to_string())?;
    }
    let decode_ms = started.elapsed().as_secs_f64() * 1000.0 / rounds as f64;
    println!("loading the pack (decode + BM25 index), native: {decode_ms:.1} ms (budget 200 ms in the browser)");
    println!(
        "templates={templates} examples={} train_s={train_s:.2} ms_per_query={full_ms:.4} browser_ms_per_query={compact_ms:.4} pack_gzip_kb={:.1} load_ms={decode_ms:.1}",
        texts.len(),
        gz as f64 / 1024.0
    );
    Ok(())
}
