//! `cybercenter bench-semantic [--rate 100] [--seconds 20] [--model PATH]`: the time from an
//! inquiry's submission to its automatic answer when the semantic FAQ head decides (issue 20).
//!
//! A server (child process, release build, temporary SQLite database with the demo) is loaded
//! open-loop at `--rate` inquiries a second for `--seconds`: each inquiry is one of the demo
//! paraphrases (`eval/demo-faq-paraphrases*.tsv`, 471 colloquial, misspelled and out-of-scope
//! questions, most of which the words alone do not settle), filed under its template's type by
//! its own customer, in the body under a plain subject ("문의", "Question"). The same load runs twice in one run: once with matching lexical only
//! (`CYBERCENTER_E5_MODEL=off`, the baseline) and once with the semantic worker. From the
//! database afterwards: answered at submission, answered later by the worker (the time between
//! the inquiry's and the answer's timestamps), whether the answered template is the paraphrase's
//! own, and what was left to the agents. Then, on the same server, `--burst` seconds of
//! submissions at full speed (32 clients): inquiry submission must stay ≥ 1,000/s (DESIGN 7)
//! with the worker encoding beside it.

use super::percentile;
use std::sync::Arc;
use std::time::{Duration, Instant};

#[derive(Debug, PartialEq)]
pub struct Options {
    pub rate: u32,
    pub seconds: u32,
    pub model: Option<String>,
    /// seconds of submissions at full speed (32 clients) after the paced ones; 0: none
    pub burst: u32,
}

pub fn parse_args(args: &[String]) -> Result<Options, String> {
    let usage = || "usage: cybercenter bench-semantic [--rate INQUIRIES_PER_S] [--seconds S] [--burst S] [--model PATH]".to_string();
    let mut o = Options { rate: 100, seconds: 20, model: None, burst: 5 };
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let v = it.next().ok_or_else(usage)?;
        match a.as_str() {
            "--rate" => o.rate = v.parse().ok().filter(|r| (1..=2_000).contains(r)).ok_or("--rate: 1 to 2000 inquiries a second")?,
            "--seconds" => o.seconds = v.parse().ok().filter(|s| (1..=600).contains(s)).ok_or("--seconds: 1 to 600")?,
            "--model" => o.model = Some(v.clone()),
            "--burst" => o.burst = v.parse().ok().filter(|s| *s <= 60).ok_or("--burst: 0 to 60 seconds")?,
            _ => return Err(usage()),
        }
    }
    Ok(o)
}

/// A paraphrase and the template question it asks ("-": none).
struct Paraphrase {
    text: String,
    label: String,
}

fn paraphrases() -> Result<Vec<Paraphrase>, String> {
    let mut out = Vec::new();
    for file in ["eval/demo-faq-paraphrases.tsv", "eval/demo-faq-paraphrases-ko2.tsv"] {
        let text = std::fs::read_to_string(file).map_err(|e| format!("{file}: {e} (run from the project root)"))?;
        for line in text.lines().skip(1) {
            if let Some((t, l)) = line.split_once('\t') {
                out.push(Paraphrase { text: t.trim().to_string(), label: l.trim().to_string() });
            }
        }
    }
    if out.is_empty() {
        return Err("no paraphrases in eval/".into());
    }
    Ok(out)
}

fn form_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() * 3);
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => out.push(b as char),
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// What one phase measured.
struct Phase {
    sent: usize,
    accepted: usize,
    took_s: f64,
    submit_ms: Vec<f64>,
    at_once: usize,
    at_once_right: usize,
    later_ms: Vec<f64>,
    later_right: usize,
    left: usize,
    in_scope: usize,
    overflowed: u64,
    /// at full speed: submissions a second, p50 and p99 ms (every one accepted, or the run fails)
    burst: Option<(f64, f64, f64)>,
}

pub async fn run(args: &[String]) -> Result<(), String> {
    let o = parse_args(args)?;
    let model = std::path::PathBuf::from(o.model.clone().unwrap_or_else(|| "data/models/e5-small-q4.bin".into()));
    let model = model.canonicalize().map_err(|_| format!("no e5 model at {}: bash scripts/install-tools.sh model", model.display()))?;
    let texts = Arc::new(paraphrases()?);
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let url = format!("sqlite://{}", dir.path().join("bench.db").display());
    let db = app::store::connect_and_migrate(&url).await.map_err(|e| e.to_string())?;
    app::demo::load_if_empty(&db).await.map_err(|e| e.to_string())?;
    let total = (o.rate * o.seconds) as usize;
    let quota = app::domain::quota::INQUIRIES.max as usize;
    let per_phase = total / quota + 1;
    // at full speed: enough customers that none reaches the hourly quota at 2,000 a second
    let burst_customers = if o.burst > 0 { o.burst as usize * 2_000 / quota + 1 } else { 0 };
    super::bench_pages::add_submitters(&db, 2 * (per_phase + burst_customers)).await?;
    // the type each template belongs to: a paraphrase is filed under its template's type, an
    // out-of-scope one under "other" (the customer's honest choice)
    let types: Vec<(String, String)> = sqlx::query_as(
        "SELECT f.question, t.code FROM faq_templates f JOIN inquiry_types t ON t.id = f.type_id WHERE f.retired = 0",
    )
    .fetch_all(&db)
    .await
    .map_err(|e| e.to_string())?;
    let types: std::collections::HashMap<String, String> = types.into_iter().collect();
    println!(
        "{} paraphrases ({} out of scope), {} inquiries a second for {} s, {} customers a phase; SQLite; {} cores",
        texts.len(),
        texts.iter().filter(|p| p.label == "-").count(),
        o.rate,
        o.seconds,
        per_phase,
        std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1)
    );
    let mut results = Vec::new();
    for (name, semantic) in [("lexical only (baseline)", false), ("lexical + semantic worker", true)] {
        let offset = if semantic { per_phase + burst_customers } else { 0 };
        let phase = phase(&o, dir.path(), &url, &db, &texts, &types, semantic, &model, offset, (per_phase, burst_customers)).await?;
        results.push((name, phase));
    }
    println!("\n{:<27} {:>9} {:>10} {:>10} {:>9} {:>14} {:>11} {:>11} {:>11} {:>8}", "", "sent/s", "submit p50", "submit p99", "at once", "by the worker", "worker p50", "worker p99", "worker max", "left");
    for (name, p) in &results {
        let mut s = p.submit_ms.clone();
        s.sort_by(f64::total_cmp);
        let mut l = p.later_ms.clone();
        l.sort_by(f64::total_cmp);
        println!(
            "{name:<27} {:>9.1} {:>8.1}ms {:>8.1}ms {:>9} {:>14} {:>9.0}ms {:>9.0}ms {:>9.0}ms {:>8}",
            p.sent as f64 / p.took_s,
            percentile(&s, 0.5),
            percentile(&s, 0.99),
            p.at_once,
            l.len(),
            percentile(&l, 0.5),
            percentile(&l, 0.99),
            l.last().copied().unwrap_or(0.0),
            p.left
        );
    }
    for (name, p) in &results {
        let answered = p.at_once + p.later_ms.len();
        let right = p.at_once_right + p.later_right;
        println!(
            "{name}: {} of {} accepted; answered {answered} ({:.1} % of the {} in scope), {right} with the paraphrase's own template (precision {:.3}); {} not queued (worker full)",
            p.accepted,
            p.sent,
            100.0 * answered as f64 / p.in_scope.max(1) as f64,
            p.in_scope,
            right as f64 / answered.max(1) as f64,
            p.overflowed
        );
    }
    for (name, p) in &results {
        if let Some((rps, p50, p99)) = p.burst {
            println!("{name}, at full speed (32 clients, {} s): {rps:.0} submissions/s, p50 {p50:.1} ms, p99 {p99:.1} ms, all accepted", o.burst);
        }
    }
    if let [(_, base), (_, sem)] = &results[..] {
        if let (Some(b), Some(s)) = (base.burst, sem.burst) {
            println!("submissions/s at full speed with the worker / without: {:.2}x", s.0 / b.0.max(1e-6));
        }
        let p99 = |v: &[f64]| {
            let mut v = v.to_vec();
            v.sort_by(f64::total_cmp);
            percentile(&v, 0.99)
        };
        println!(
            "submission p99 with the worker / without: {:.2}x; automatically answered with / without: {:.2}x",
            p99(&sem.submit_ms) / p99(&base.submit_ms).max(1e-6),
            (sem.at_once + sem.later_ms.len()) as f64 / (base.at_once + base.later_ms.len()).max(1) as f64
        );
    }
    Ok(())
}

#[allow(clippy::too_many_arguments)]
async fn phase(
    o: &Options,
    dir: &std::path::Path,
    url: &str,
    db: &app::store::Db,
    texts: &Arc<Vec<Paraphrase>>,
    types: &std::collections::HashMap<String, String>,
    semantic: bool,
    model: &std::path::Path,
    first_customer: usize,
    (customers, burst_customers): (usize, usize),
) -> Result<Phase, String> {
    let first_id: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(id), 0) FROM inquiries").fetch_one(db).await.map_err(|e| e.to_string())?;
    let addr = super::free_addr()?;
    let mut command = super::server_command(dir, url, &addr, "warn")?;
    command.env("CYBERCENTER_E5_MODEL", if semantic { model.as_os_str() } else { std::ffi::OsStr::new("off") });
    let mut server = command.spawn().map_err(|e| format!("cannot start the server: {e}"))?;
    let result = async {
        super::wait_until_up(&addr).await?;
        let started = Instant::now();
        if semantic {
            loop {
                let health = super::http(None, &addr, "GET", "/healthz", "", "").await?;
                if health.body.contains(r#""faq":"semantic""#) {
                    break;
                }
                if started.elapsed() > Duration::from_secs(180) {
                    return Err("the semantic head was not ready in 180 s".to_string());
                }
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            println!("\nsemantic head ready {:.1} s after the server listened", started.elapsed().as_secs_f64());
        }
        let mut cookies = Vec::with_capacity(customers);
        for i in first_customer..first_customer + customers {
            cookies.push(super::sign_in(&addr, &format!("bench{i}@example.com")).await?);
        }
        let (cookies, addr) = (Arc::new(cookies), Arc::<str>::from(addr.as_str()));
        let total = (o.rate * o.seconds) as usize;
        let interval = Duration::from_secs_f64(1.0 / o.rate as f64);
        let mut tasks = Vec::with_capacity(total);
        let started = Instant::now();
        for n in 0..total {
            // open loop: each inquiry at its own moment, however long the earlier ones take
            tokio::time::sleep_until((started + interval * n as u32).into()).await;
            let form = inquiry_form(&texts[n % texts.len()], types, &format!("semantic-{semantic}-{n}"));
            let (addr, cookie) = (addr.clone(), cookies[n % cookies.len()].clone());
            tasks.push(tokio::spawn(async move {
                let t = Instant::now();
                let answer = super::http(None, &addr, "POST", "/api/create_inquiry", &cookie, &form).await;
                (t.elapsed().as_secs_f64() * 1000.0, answer.map(|a| a.status).unwrap_or(0))
            }));
        }
        let mut submit_ms = Vec::with_capacity(total);
        let mut accepted = 0;
        for t in tasks {
            let (ms, status) = t.await.map_err(|e| e.to_string())?;
            submit_ms.push(ms);
            accepted += usize::from((200..400).contains(&status));
        }
        let took_s = started.elapsed().as_secs_f64();
        // the worker's last answers: wait until nothing has changed for two seconds
        let mut last = (-1, -1);
        let mut quiet = Instant::now();
        loop {
            let now: (i64, i64) = sqlx::query_as("SELECT COUNT(*), COALESCE(MAX(updated_at), 0) FROM inquiries WHERE id > $1 AND status = 'auto_answered'")
                .bind(first_id)
                .fetch_one(db)
                .await
                .map_err(|e| e.to_string())?;
            if now != last {
                (last, quiet) = (now, Instant::now());
            } else if quiet.elapsed() > Duration::from_secs(2) || !semantic {
                break;
            }
            tokio::time::sleep(Duration::from_millis(250)).await;
        }
        let health = super::http(None, &addr, "GET", "/healthz", "", "").await?.body;
        let overflowed = health.split(r#""faq_overflowed":"#).nth(1).and_then(|r| r.trim_end_matches('}').parse().ok()).unwrap_or(0);
        let last_id: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(id), 0) FROM inquiries").fetch_one(db).await.map_err(|e| e.to_string())?;
        let burst = if burst_customers > 0 {
            let mut cookies = Vec::with_capacity(burst_customers);
            for i in first_customer + customers..first_customer + customers + burst_customers {
                cookies.push(super::sign_in(&addr, &format!("bench{i}@example.com")).await?);
            }
            // 32 clients, each sending the next inquiry as soon as its last is answered
            let (texts, types) = (texts.clone(), types.clone());
            let target = super::bench_pages::Target {
                name: "inquiry submission".into(),
                request: Arc::new(move |n| super::bench_pages::Request {
                    method: "POST",
                    path: "/api/create_inquiry".into(),
                    cookie: cookies[n % cookies.len()].clone(),
                    form: inquiry_form(&texts[n % texts.len()], &types, &format!("burst-{semantic}-{n}")),
                }),
                expect: 200..=399,
                clients: 32,
            };
            let f = super::bench_pages::load(addr.clone(), &target, o.burst as u64).await?;
            Some((f.rps, f.p50, f.p99))
        } else {
            None
        };
        Ok((submit_ms, accepted, took_s, overflowed, last_id, burst))
    }
    .await;
    let _ = server.kill();
    let _ = server.wait();
    let (submit_ms, accepted, took_s, overflowed, last_id, burst) = result?;
    // what became of each inquiry: its text, whether and when it was answered, with which template
    let rows: Vec<(String, String, i64, Option<i64>, Option<String>)> = sqlx::query_as(
        "SELECT m.body, i.status, i.created_at,
                (SELECT MIN(b.created_at) FROM inquiry_messages b WHERE b.inquiry_id = i.id AND b.author_kind = 'bot'),
                f.question
         FROM inquiries i
         JOIN inquiry_messages m ON m.inquiry_id = i.id AND m.author_kind = 'customer'
         LEFT JOIN faq_templates f ON f.id = i.auto_template_id
         WHERE i.id > $1 AND i.id <= $2",
    )
    .bind(first_id)
    .bind(last_id)
    .fetch_all(db)
    .await
    .map_err(|e| e.to_string())?;
    let label: std::collections::HashMap<&str, &str> = texts.iter().map(|p| (p.text.as_str(), p.label.as_str())).collect();
    let mut phase = Phase {
        sent: submit_ms.len(),
        accepted,
        took_s,
        submit_ms,
        at_once: 0,
        at_once_right: 0,
        later_ms: Vec::new(),
        later_right: 0,
        left: 0,
        in_scope: 0,
        overflowed,
        burst,
    };
    for (body, status, created, answered, question) in rows {
        let own = label.get(body.as_str()).copied().unwrap_or("-");
        phase.in_scope += usize::from(own != "-");
        let right = question.as_deref() == Some(own);
        match (status.as_str(), answered) {
            ("auto_answered", Some(at)) if at == created => {
                phase.at_once += 1;
                phase.at_once_right += usize::from(right);
            }
            ("auto_answered", Some(at)) => {
                phase.later_ms.push((at - created) as f64);
                phase.later_right += usize::from(right);
            }
            _ => phase.left += 1,
        }
    }
    Ok(phase)
}

/// The form of a new inquiry asking paraphrase `p` under its template's type: the question in the
/// body under a plain subject, as most customers write.
fn inquiry_form(p: &Paraphrase, types: &std::collections::HashMap<String, String>, key: &str) -> String {
    let code = types.get(&p.label).map(String::as_str).unwrap_or("other");
    let subject = if p.text.chars().any(|c| ('가'..='힣').contains(&c)) { "%EB%AC%B8%EC%9D%98" } else { "Question" };
    format!("type_code={code}&order_no=&subject={subject}&body={}&idempotency_key={key}", form_escape(&p.text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arguments() {
        let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        assert_eq!(parse_args(&s(&[])), Ok(Options { rate: 100, seconds: 20, model: None, burst: 5 }));
        assert_eq!(
            parse_args(&s(&["--rate", "50", "--seconds", "5", "--model", "m.bin", "--burst", "0"])),
            Ok(Options { rate: 50, seconds: 5, model: Some("m.bin".into()), burst: 0 })
        );
        assert!(parse_args(&s(&["--burst", "61"])).is_err());
        assert!(parse_args(&s(&["--rate", "0"])).is_err());
        assert!(parse_args(&s(&["--seconds"])).is_err());
        assert!(parse_args(&s(&["--bogus", "1"])).is_err());
    }

    #[test]
    fn form_values_are_escaped() {
        assert_eq!(form_escape("a b&c=d"), "a+b%26c%3Dd");
        assert_eq!(form_escape("배"), "%EB%B0%B0");
    }
}
