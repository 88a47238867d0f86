//! `cybercenter staffing --arrivals N --interval-s S --aht-s S --target 0.8 --within-s 20
//! [--shrinkage 0.3] [--max-occupancy 0.85] [--concurrency k] [--automation r]`: the staffing
//! module for planners' scripts. Prints one JSON object; bad arguments exit non-zero with a
//! clear message.

use app::domain::staffing::{automation_saving, plan_real_time, Plan, RealTimeInput};
use serde_json::{json, Value};

fn number(name: &str, v: Option<&String>) -> Result<f64, String> {
    let v = v.ok_or(format!("{name} needs a value"))?;
    v.parse::<f64>().ok().filter(|x| x.is_finite()).ok_or(format!("{name} must be a number, got {v:?}"))
}

pub fn parse_args(args: &[String]) -> Result<(RealTimeInput, Option<f64>), String> {
    let (mut arrivals, mut interval, mut aht, mut target, mut within) = (None, None, None, None, None);
    let (mut shrinkage, mut occupancy, mut concurrency, mut automation) = (None, None, None, None);
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let v = number(a, it.next());
        match a.as_str() {
            "--arrivals" => arrivals = Some(v?),
            "--interval-s" => interval = Some(v?),
            "--aht-s" => aht = Some(v?),
            "--target" => target = Some(v?),
            "--within-s" => within = Some(v?),
            "--shrinkage" => shrinkage = Some(v?),
            "--max-occupancy" => occupancy = Some(v?),
            "--concurrency" => {
                let k = v?;
                if k.fract() != 0.0 || !(1.0..=20.0).contains(&k) {
                    return Err(format!("--concurrency must be a whole number from 1 to 20, got {k}"));
                }
                concurrency = Some(k as u32);
            }
            "--automation" => {
                let r = v?;
                if !(0.0..=1.0).contains(&r) {
                    return Err(format!("--automation must be a share in [0, 1], got {r}"));
                }
                automation = Some(r);
            }
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    let need = |v: Option<f64>, name: &str| v.ok_or(format!("{name} is required"));
    let mut input = RealTimeInput::new(
        need(arrivals, "--arrivals")?,
        need(interval, "--interval-s")?,
        need(aht, "--aht-s")?,
        need(target, "--target")?,
        need(within, "--within-s")?,
    );
    input.shrinkage = shrinkage.unwrap_or(input.shrinkage);
    input.max_occupancy = occupancy.unwrap_or(input.max_occupancy);
    input.concurrency = concurrency.unwrap_or(input.concurrency);
    Ok((input, automation))
}

fn plan_json(plan: &Plan) -> Value {
    let p = &plan.performance;
    json!({
        "agents": plan.agents,
        "scheduled_agents": plan.scheduled,
        "service_level": p.service_level,
        "probability_of_waiting": p.probability_of_waiting,
        "asa_s": p.asa_s,
        "occupancy": p.occupancy,
        "workload_agents": plan.workload_agents,
        "steps": plan.steps.iter().map(|s| json!({ "step": s.what, "value": s.value })).collect::<Vec<_>>(),
    })
}

pub fn compute(args: &[String]) -> Result<Value, String> {
    let (input, automation) = parse_args(args)?;
    match automation {
        None => Ok(plan_json(&plan_real_time(&input).map_err(|e| e.to_string())?)),
        Some(r) => {
            let (before, after) = automation_saving(&input, r).map_err(|e| e.to_string())?;
            let mut out = plan_json(&before);
            out["with_automation"] = plan_json(&after);
            out["automation"] = json!(r);
            out["agents_saved"] = json!(before.agents.saturating_sub(after.agents));
            Ok(out)
        }
    }
}

pub fn run(args: &[String]) -> Result<(), String> {
    println!("{}", compute(args)?);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &str) -> Vec<String> {
        v.split_whitespace().map(str::to_string).collect()
    }

    #[test]
    fn prints_the_plan_and_its_steps() {
        let v = compute(&s("--arrivals 100 --interval-s 1800 --aht-s 180 --target 0.8 --within-s 20")).expect("plan");
        assert_eq!(v["agents"], 14);
        assert_eq!(v["scheduled_agents"], 20);
        assert!(v["steps"].as_array().is_some_and(|s| s.len() >= 5));
        let v = compute(&s("--arrivals 10 --interval-s 3600 --aht-s 600 --target 0.8 --within-s 20 --max-occupancy 1 --automation 0.8")).expect("plan");
        assert_eq!((v["agents"].as_u64(), v["with_automation"]["agents"].as_u64(), v["agents_saved"].as_u64()), (Some(4), Some(2), Some(2)));
    }

    #[test]
    fn bad_arguments_say_what_is_wrong() {
        for (args, says) in [
            ("--arrivals 10", "--interval-s is required"),
            ("--arrivals x", "must be a number"),
            ("--arrivals 10 --interval-s 3600 --aht-s 0 --target 0.8 --within-s 20", "handling time"),
            ("--arrivals 10 --interval-s 3600 --aht-s 60 --target 1.5 --within-s 20", "service level target"),
            ("--arrivals -4 --interval-s 3600 --aht-s 60 --target 0.8 --within-s 20", "arrivals"),
            ("--concurrency 2.5", "whole number"),
            ("--bogus 1", "unknown argument"),
        ] {
            let e = compute(&s(args)).expect_err(args);
            assert!(e.contains(says), "{args}: {e}");
        }
    }
}
