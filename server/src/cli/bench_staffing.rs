//! `cybercenter bench-staffing`: Erlang C staffing for answers from 1 to 2,000 agents — time per
//! call against one Erlang C evaluation at the answer (the baseline, measured in the same run),
//! and the reference cases of `staffing-reference.md` recomputed to show no loss of accuracy.

use app::domain::staffing::{agents_for_service_level, erlang_c, performance};
use std::hint::black_box;
use std::time::Instant;

pub fn run() {
    println!("{:>10} {:>8} {:>14} {:>14} {:>7}", "load (E)", "agents", "plan (µs)", "1 Erlang C (µs)", "ratio");
    let aht = 300.0;
    let mut worst_ratio: f64 = 0.0;
    for a in [0.05, 0.5, 2.0, 10.0, 50.0, 100.0, 250.0, 500.0, 1000.0, 1500.0, 1950.0] {
        let rounds = if a < 100.0 { 2_000 } else { 100 };
        let started = Instant::now();
        let mut n = 0;
        for _ in 0..rounds {
            n = agents_for_service_level(black_box(a), aht, 0.8, 20.0);
        }
        let plan_us = started.elapsed().as_secs_f64() * 1e6 / rounds as f64;
        let started = Instant::now();
        for _ in 0..rounds {
            black_box(erlang_c(black_box(n), a));
        }
        let one_us = started.elapsed().as_secs_f64() * 1e6 / rounds as f64;
        let ratio = plan_us / one_us.max(1e-9);
        worst_ratio = worst_ratio.max(ratio);
        println!("{a:>10.2} {n:>8} {plan_us:>14.2} {one_us:>14.3} {ratio:>7.1}");
    }
    println!("reference cases (staffing-reference.md):");
    let mut worst: f64 = 0.0;
    for (a, n, expected) in [(50.0, 60, 0.1173020561), (150.0, 170, 0.0714010024), (1000.0, 1030, 0.2489087858), (10000.0, 10100, 0.2247629065)] {
        let got = erlang_c(n, a);
        worst = worst.max((got - expected).abs());
        println!("  P(wait) A={a} N={n}: {got:.10} (published {expected:.10}, diff {:.1e})", (got - expected).abs());
    }
    let case1 = performance(13, 10.0, 180.0, 20.0);
    println!("  case 1, N=13: SL {:.5} (published 0.79559), P(wait) {:.5} (0.28527)", case1.service_level, case1.probability_of_waiting);
    for (a, expected) in [(100.0, 108), (1000.0, 1015), (10000.0, 10021)] {
        let n = agents_for_service_level(a, 300.0, 0.8, 20.0);
        println!("  80% in 20 s, AHT 300 s, A={a}: N={n} (published {expected}){}", if n == expected { "" } else { "  MISMATCH" });
    }
    println!("largest P(wait) difference {worst:.1e}; plan time at most {worst_ratio:.1}x one Erlang C evaluation");
}
