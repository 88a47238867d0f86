//! `cargo run --release -p e5 --example speed [MODEL]`: load time, ms per text alone and in
//! batches of 32, on the demo's kind of text.
use e5::{Encoder, Kind};
use std::time::Instant;

fn main() {
    let path = std::env::args().nth(1).unwrap_or_else(|| "data/models/e5-small-q4.bin".into());
    let t = Instant::now();
    let enc = match Encoder::load(std::path::Path::new(&path)) {
        Ok(e) => e,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(2);
        }
    };
    println!("load {:.0} ms", t.elapsed().as_secs_f64() * 1e3);
    let texts: Vec<String> = (0..64)
        .map(|i| if i % 2 == 0 { format!("주문한 상품 {i}번이 아직 안 왔어요. 배송 조회는 어디서 하나요?") } else { format!("I was charged twice for order {i}, how do I get a refund?") })
        .collect();
    let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
    let tokens: usize = refs.iter().map(|t| enc.token_ids(t, Kind::Query).len()).sum();
    enc.embed(&refs[..2], Kind::Query);
    let t = Instant::now();
    for t in &refs {
        enc.embed(&[t], Kind::Query);
    }
    let single = t.elapsed().as_secs_f64() * 1e3 / refs.len() as f64;
    let t = Instant::now();
    for b in refs.chunks(32) {
        enc.embed(b, Kind::Query);
    }
    let batch = t.elapsed().as_secs_f64() * 1e3 / refs.len() as f64;
    println!("{} texts, {:.1} tokens each: {single:.2} ms per text alone, {batch:.2} ms per text in batches of 32", refs.len(), tokens as f64 / refs.len() as f64);
}
