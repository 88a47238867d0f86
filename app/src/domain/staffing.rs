//! Staffing math (DESIGN 4), pure and shared by the server, the `cybercenter staffing` CLI and
//! the browser's what-if controls: the workload formula, Erlang C by the stable Erlang B
//! recursion (no factorials or powers: exact for 1 agent, correct for 10,000+ Erlangs), chat
//! concurrency, an occupancy cap and shrinkage, each applied as a visible step.

use serde::{Deserialize, Serialize};

/// Bad inputs, each named: no NaN or infinity ever comes out of this module.
#[derive(Debug, Clone, PartialEq, thiserror::Error, Serialize, Deserialize)]
pub enum StaffingError {
    #[error("arrivals must be a finite number >= 0, got {0}")]
    Arrivals(f64),
    #[error("the interval must be a finite number of seconds > 0, got {0}")]
    Interval(f64),
    #[error("the average handling time must be a finite number of seconds > 0, got {0}")]
    HandlingTime(f64),
    #[error("the service level target must be a share in (0, 1), got {0}")]
    Target(f64),
    #[error("the answer time must be a finite number of seconds >= 0, got {0}")]
    AnswerTime(f64),
    #[error("shrinkage must be a share in [0, 1), got {0}")]
    Shrinkage(f64),
    #[error("the maximum occupancy must be a share in (0, 1], got {0}")]
    Occupancy(f64),
    #[error("concurrency must be a whole number of chats from 1 to 20, got {0}")]
    Concurrency(u32),
    #[error("the automation rate must be a share in [0, 1], got {0}")]
    Automation(f64),
    #[error("the agent count must be at least 1, got {0}")]
    Agents(u64),
    #[error("the load of {0} Erlangs is beyond what this planner computes (at most 1,000,000)")]
    TooLarge(f64),
}

/// The largest offered load planned for: 10⁶ Erlangs is far beyond any contact centre, and
/// bounds the search loops.
pub const MAX_ERLANGS: f64 = 1_000_000.0;
pub const DEFAULT_SHRINKAGE: f64 = 0.30;
/// Hours in a week: weekday-hour slots, Monday 0:00 first.
pub const WEEK_HOURS: usize = 7 * 24;
pub const DEFAULT_MAX_OCCUPANCY: f64 = 0.85;

/// Offered load in Erlangs: arrivals × AHT ÷ interval.
pub fn offered_load(arrivals: f64, interval_s: f64, aht_s: f64) -> Result<f64, StaffingError> {
    if !arrivals.is_finite() || arrivals < 0.0 {
        return Err(StaffingError::Arrivals(arrivals));
    }
    if !interval_s.is_finite() || interval_s <= 0.0 {
        return Err(StaffingError::Interval(interval_s));
    }
    if !aht_s.is_finite() || aht_s <= 0.0 {
        return Err(StaffingError::HandlingTime(aht_s));
    }
    let a = arrivals * aht_s / interval_s;
    if a > MAX_ERLANGS {
        return Err(StaffingError::TooLarge(a));
    }
    Ok(a)
}

/// The workload formula: agents = AHT × arrivals ÷ interval, with the share `automation` of the
/// arrivals answered by the FAQ automation taken away first. 10 min × 10/hour = 1.67; with
/// 8 of 10 automated, 0.33.
pub fn workload(arrivals: f64, interval_s: f64, aht_s: f64, automation: f64) -> Result<f64, StaffingError> {
    let automation = if automation.is_finite() { automation.clamp(0.0, 1.0) } else { 0.0 };
    offered_load(arrivals * (1.0 - automation), interval_s, aht_s)
}

/// Erlang B (blocking probability) for `n` servers and load `a`, by the recursion
/// B₀ = 1, Bₖ = a·Bₖ₋₁ / (k + a·Bₖ₋₁): every value stays in [0, 1].
pub fn erlang_b(n: u64, a: f64) -> f64 {
    let mut b = 1.0;
    for k in 1..=n {
        b = a * b / (k as f64 + a * b);
    }
    b
}

/// Erlang C: the probability that a contact waits, for `n` agents and load `a`. 1 when the
/// queue is unstable (n ≤ a).
pub fn erlang_c(n: u64, a: f64) -> f64 {
    if a <= 0.0 {
        return 0.0;
    }
    if (n as f64) <= a {
        return 1.0;
    }
    let b = erlang_b(n, a);
    let nf = n as f64;
    (nf * b / (nf - a * (1.0 - b))).clamp(0.0, 1.0)
}

/// What `n` agents achieve on a load: all finite; an unstable queue (n ≤ a) reports service
/// level 0, probability of waiting 1 and `asa_s = None` (infinite), never NaN.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Performance {
    pub agents: u64,
    pub service_level: f64,
    pub probability_of_waiting: f64,
    /// Average speed of answer in seconds; `None` when the queue grows without bound.
    pub asa_s: Option<f64>,
    pub occupancy: f64,
}

/// Service level, waiting probability, ASA and occupancy of `n` agents (the inverse question:
/// "what do we get with this many?").
pub fn performance(n: u64, a: f64, aht_s: f64, within_s: f64) -> Performance {
    let nf = n as f64;
    let occupancy = if n == 0 { 1.0 } else { (a / nf).min(1.0) };
    if a <= 0.0 {
        return Performance { agents: n, service_level: 1.0, probability_of_waiting: 0.0, asa_s: Some(0.0), occupancy: 0.0 };
    }
    if nf <= a {
        return Performance { agents: n, service_level: 0.0, probability_of_waiting: 1.0, asa_s: None, occupancy };
    }
    let c = erlang_c(n, a);
    let service_level = (1.0 - c * (-(nf - a) * within_s / aht_s).exp()).clamp(0.0, 1.0);
    Performance { agents: n, service_level, probability_of_waiting: c, asa_s: Some(c * aht_s / (nf - a)), occupancy }
}

/// The smallest agent count whose service level reaches `target` within `within_s` seconds.
/// Service level rises with agents, so it is found by doubling then bisecting, each probe
/// one O(n) recursion.
pub fn agents_for_service_level(a: f64, aht_s: f64, target: f64, within_s: f64) -> u64 {
    let meets = |n: u64| performance(n, a, aht_s, within_s).service_level >= target;
    let mut low = a.floor() as u64; // never enough: n ≤ a is unstable
    if a <= 0.0 {
        return 0;
    }
    let mut high = low.max(1);
    while !meets(high) {
        low = high;
        high = high.saturating_mul(2).max(high + 1);
    }
    // invariant: !meets(low) (or low is the unstable floor), meets(high)
    while high - low > 1 {
        let mid = low + (high - low) / 2;
        if meets(mid) {
            high = mid;
        } else {
            low = mid;
        }
    }
    high
}

/// A planning question for a real-time channel (chat, phone).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct RealTimeInput {
    pub arrivals: f64,
    pub interval_s: f64,
    pub aht_s: f64,
    /// Share answered within `within_s`, in (0, 1).
    pub target: f64,
    pub within_s: f64,
    pub shrinkage: f64,
    pub max_occupancy: f64,
    /// Chats an agent handles at once (1 for phone).
    pub concurrency: u32,
}

impl RealTimeInput {
    pub fn new(arrivals: f64, interval_s: f64, aht_s: f64, target: f64, within_s: f64) -> RealTimeInput {
        RealTimeInput { arrivals, interval_s, aht_s, target, within_s, shrinkage: DEFAULT_SHRINKAGE, max_occupancy: DEFAULT_MAX_OCCUPANCY, concurrency: 1 }
    }

    fn check(&self) -> Result<(), StaffingError> {
        if !(self.target > 0.0 && self.target < 1.0) {
            return Err(StaffingError::Target(self.target));
        }
        if !self.within_s.is_finite() || self.within_s < 0.0 {
            return Err(StaffingError::AnswerTime(self.within_s));
        }
        if !(self.shrinkage >= 0.0 && self.shrinkage < 1.0) {
            return Err(StaffingError::Shrinkage(self.shrinkage));
        }
        if !(self.max_occupancy > 0.0 && self.max_occupancy <= 1.0) {
            return Err(StaffingError::Occupancy(self.max_occupancy));
        }
        if !(1..=20).contains(&self.concurrency) {
            return Err(StaffingError::Concurrency(self.concurrency));
        }
        Ok(())
    }
}

/// One step of the calculation, for a planner to follow.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Step {
    pub what: String,
    pub value: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Plan {
    /// Agents on the floor (after the occupancy cap).
    pub agents: u64,
    /// Agents to schedule: agents ÷ (1 − shrinkage), rounded up.
    pub scheduled: u64,
    pub performance: Performance,
    /// The workload formula's figure, for comparison.
    pub workload_agents: f64,
    pub steps: Vec<Step>,
}

fn step(what: &str, value: f64) -> Step {
    Step { what: what.to_string(), value }
}

/// Scheduled heads for `agents` on the floor with `shrinkage` away (breaks, training).
pub fn scheduled(agents: u64, shrinkage: f64) -> u64 {
    if agents == 0 {
        return 0;
    }
    // a tiny tolerance keeps 14 / 0.7 = 20.000000000000004 at 20
    ((agents as f64 / (1.0 - shrinkage)) - 1e-9).ceil().max(agents as f64) as u64
}

/// Erlang C staffing: the smallest count meeting the service level, raised until occupancy
/// ≤ the cap, then shrinkage. With concurrency k, an agent is k servers: the Erlang C servers
/// are divided by k (rounded up), each chat still taking the full AHT.
pub fn plan_real_time(input: &RealTimeInput) -> Result<Plan, StaffingError> {
    input.check()?;
    let a = offered_load(input.arrivals, input.interval_s, input.aht_s)?;
    let k = input.concurrency as u64;
    let mut steps = vec![step("offered load (Erlangs) = arrivals × AHT ÷ interval", a)];
    let workload_agents = a / k as f64;
    steps.push(step("workload formula (agents) = load ÷ concurrency", workload_agents));
    if a == 0.0 {
        let performance = performance(0, 0.0, input.aht_s, input.within_s);
        steps.push(step("no arrivals: no agents needed", 0.0));
        return Ok(Plan { agents: 0, scheduled: 0, performance, workload_agents, steps });
    }
    let servers = agents_for_service_level(a, input.aht_s, input.target, input.within_s);
    steps.push(step("agent slots meeting the service level (Erlang C)", servers as f64));
    // occupancy cap: load per slot ≤ the cap
    let capped = servers.max((a / input.max_occupancy - 1e-9).ceil() as u64);
    steps.push(step("slots after the occupancy cap (load ÷ slots ≤ max occupancy)", capped as f64));
    let agents = capped.div_ceil(k);
    steps.push(step("agents = slots ÷ concurrency, rounded up", agents as f64));
    let perf = performance(agents * k, a, input.aht_s, input.within_s);
    let scheduled = scheduled(agents, input.shrinkage);
    steps.push(step("scheduled agents = agents ÷ (1 − shrinkage), rounded up", scheduled as f64));
    Ok(Plan { agents, scheduled, performance: perf, workload_agents, steps })
}

/// Asynchronous web inquiries with a first-response target of hours: the binding constraint is
/// throughput, so agents = the workload ÷ the occupancy cap (at least enough that the queue is
/// stable), then shrinkage.
pub fn plan_async(arrivals: f64, interval_s: f64, aht_s: f64, max_occupancy: f64, shrinkage: f64) -> Result<Plan, StaffingError> {
    if !(max_occupancy > 0.0 && max_occupancy <= 1.0) {
        return Err(StaffingError::Occupancy(max_occupancy));
    }
    if !(shrinkage >= 0.0 && shrinkage < 1.0) {
        return Err(StaffingError::Shrinkage(shrinkage));
    }
    let a = offered_load(arrivals, interval_s, aht_s)?;
    let mut steps = vec![step("workload (agents) = arrivals × AHT ÷ interval", a)];
    let agents = if a == 0.0 { 0 } else { (a / max_occupancy - 1e-9).ceil() as u64 };
    steps.push(step("agents = workload ÷ max occupancy, rounded up", agents as f64));
    let scheduled = scheduled(agents, shrinkage);
    steps.push(step("scheduled agents = agents ÷ (1 − shrinkage), rounded up", scheduled as f64));
    let occupancy = if agents == 0 { 0.0 } else { a / agents as f64 };
    let performance = Performance { agents, service_level: 1.0, probability_of_waiting: 0.0, asa_s: None, occupancy };
    Ok(Plan { agents, scheduled, performance, workload_agents: a, steps })
}

/// Agents needed without and with the FAQ automation answering the share `automation` of
/// arrivals: what the automation saves.
pub fn automation_saving(input: &RealTimeInput, automation: f64) -> Result<(Plan, Plan), StaffingError> {
    let automation = if automation.is_finite() { automation.clamp(0.0, 1.0) } else { 0.0 };
    let before = plan_real_time(input)?;
    let after = plan_real_time(&RealTimeInput { arrivals: input.arrivals * (1.0 - automation), ..*input })?;
    Ok((before, after))
}

/// The assumptions of a staffing plan for both channels: web inquiries are asynchronous
/// (workload against the occupancy cap; the FAQ automation answers a share of them), chats are
/// real-time (Erlang C against the service level, with concurrency). Shrinkage applies to both.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ChannelInputs {
    pub web_aht_s: f64,
    pub chat_aht_s: f64,
    /// Share of web inquiries the FAQ automation answers for good, in [0, 1].
    pub automation: f64,
    pub target: f64,
    pub within_s: f64,
    pub shrinkage: f64,
    pub max_occupancy: f64,
    pub concurrency: u32,
}

/// One hour's plan: web before and after the automation, chat, and the agents on the roster.
/// The totals blend the channels: web inquiries can wait (their targets are hours), so agents
/// answer them between chats. On the floor = the chat agents Erlang C asks for, or more if the
/// chat load (÷ concurrency) plus the web workload needs more under the occupancy cap; then
/// shrinkage once. The channels are not rounded up one by one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HourPlan {
    pub web_before: Plan,
    pub web_after: Plan,
    pub chat: Plan,
    pub rostered: u32,
    /// Agents on the floor / to schedule for both channels, without and with the automation.
    pub floor_before: u64,
    pub floor_after: u64,
    pub scheduled_before: u64,
    pub scheduled_after: u64,
}

impl HourPlan {
    /// Agents to schedule for both channels without the automation.
    pub fn needed_before(&self) -> u64 {
        self.scheduled_before
    }

    /// Agents to schedule for both channels with the automation.
    pub fn needed_after(&self) -> u64 {
        self.scheduled_after
    }

    /// Agents missing from the roster for the plan with the automation (0: covered).
    pub fn shortfall(&self) -> u64 {
        self.needed_after().saturating_sub(self.rostered as u64)
    }
}

/// Plans one hour (`interval_s` long) of `web` and `chat` arrivals against `rostered` agents.
pub fn plan_hour(i: &ChannelInputs, interval_s: f64, web: f64, chat: f64, rostered: u32) -> Result<HourPlan, StaffingError> {
    if !(i.automation >= 0.0 && i.automation <= 1.0) {
        return Err(StaffingError::Automation(i.automation));
    }
    let web_before = plan_async(web, interval_s, i.web_aht_s, i.max_occupancy, i.shrinkage)?;
    let web_after = plan_async(web * (1.0 - i.automation), interval_s, i.web_aht_s, i.max_occupancy, i.shrinkage)?;
    let mut rt = RealTimeInput::new(chat, interval_s, i.chat_aht_s, i.target, i.within_s);
    rt.shrinkage = i.shrinkage;
    rt.max_occupancy = i.max_occupancy;
    rt.concurrency = i.concurrency;
    let chat = plan_real_time(&rt)?;
    let floor = |web: &Plan| chat.agents.max(((chat.workload_agents + web.workload_agents) / i.max_occupancy - 1e-9).ceil().max(0.0) as u64);
    let (floor_before, floor_after) = (floor(&web_before), floor(&web_after));
    Ok(HourPlan {
        scheduled_before: scheduled(floor_before, i.shrinkage),
        scheduled_after: scheduled(floor_after, i.shrinkage),
        floor_before,
        floor_after,
        web_before,
        web_after,
        chat,
        rostered,
    })
}

/// The week's plan as CSV, one line per weekday-hour (Monday 0:00 first): the forecast
/// arrivals, agents to schedule per channel before and after the automation, the roster and the
/// shortfall.
pub fn week_csv(inquiries: &[f64], chats: &[f64], roster: &[u32], i: &ChannelInputs) -> Result<String, StaffingError> {
    const DAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
    let mut out = String::from(
        "weekday,hour,inquiries,chats,web_scheduled_before,web_scheduled_after,chat_scheduled,scheduled_before,scheduled_after,roster,short\r\n",
    );
    for s in 0..WEEK_HOURS {
        let (w, c, r) = (inquiries.get(s).copied().unwrap_or(0.0), chats.get(s).copied().unwrap_or(0.0), roster.get(s).copied().unwrap_or(0));
        let p = plan_hour(i, 3600.0, w, c, r)?;
        out.push_str(&format!(
            "{},{:02}:00,{w:.1},{c:.1},{},{},{},{},{},{r},{}\r\n",
            DAYS[s / 24],
            s % 24,
            p.web_before.scheduled,
            p.web_after.scheduled,
            p.chat.scheduled,
            p.needed_before(),
            p.needed_after(),
            p.shortfall()
        ));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_week_as_csv_has_a_line_per_hour() {
        let i = ChannelInputs { web_aht_s: 600.0, chat_aht_s: 180.0, automation: 0.5, target: 0.8, within_s: 20.0, shrinkage: 0.3, max_occupancy: 0.85, concurrency: 1 };
        let mut web = vec![0.0; WEEK_HOURS];
        web[10] = 10.0; // Monday 10:00
        let csv = week_csv(&web, &[], &[1; WEEK_HOURS], &i).expect("csv");
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(lines.len(), 1 + WEEK_HOURS);
        // 10 × 10 min = 1.67 → 2 agents → 3 scheduled; half automated: 0.83 → 1 → 2
        assert_eq!(lines[11], "Mon,10:00,10.0,0.0,3,2,0,3,2,1,1");
        assert_eq!(lines[1 + 6 * 24 + 23], "Sun,23:00,0.0,0.0,0,0,0,0,0,1,0");
        assert!(week_csv(&web, &[], &[], &ChannelInputs { shrinkage: 1.0, ..i }).is_err());
    }

    #[test]
    fn an_hour_of_both_channels_against_the_roster() {
        let i = ChannelInputs {
            web_aht_s: 600.0,
            chat_aht_s: 180.0,
            automation: 0.8,
            target: 0.8,
            within_s: 20.0,
            shrinkage: 0.3,
            max_occupancy: 0.85,
            concurrency: 1,
        };
        // web: 10 per hour × 10 min = 1.67 agents of work (DESIGN 4); 2 after automation → 0.33
        let p = plan_hour(&i, 3600.0, 10.0, 200.0, 12).expect("plan");
        assert!((p.web_before.workload_agents - 10.0 / 6.0).abs() < 1e-9);
        assert!((p.web_after.workload_agents - 2.0 / 6.0).abs() < 1e-9);
        assert_eq!(p.web_before.agents, 2, "1.67 ÷ 0.85 → 2");
        assert_eq!(p.web_after.agents, 1);
        // chat: 200 per hour × 3 min = 10 Erlangs → 14 agents for 80% in 20 s (reference case 1:
        // 13 give 79.6%)
        assert_eq!(p.chat.agents, 14);
        assert_eq!(p.chat.scheduled, 20, "14 ÷ 0.7");
        // blended: chat's 14 have room for the web work: (10 + 1.67) ÷ 0.85 = 13.7 → 14 either way
        assert_eq!((p.floor_before, p.needed_before()), (14, 20));
        assert_eq!((p.floor_after, p.needed_after()), (14, 20));
        // more web work than the chat agents' spare time: (10 + 5) ÷ 0.85 = 17.6 → 18 → 26;
        // 80% automated: (10 + 1) ÷ 0.85 = 12.9 → the chat's 14 → 20
        let busy = plan_hour(&i, 3600.0, 30.0, 200.0, 12).expect("plan");
        assert_eq!((busy.floor_before, busy.needed_before(), busy.floor_after, busy.needed_after()), (18, 26, 14, 20));
        assert!(p.needed_before() <= p.web_before.scheduled + p.chat.scheduled, "never more than channel by channel");
        assert!(busy.needed_after() < busy.needed_before());
        assert_eq!(p.shortfall(), p.needed_after() - 12);
        let covered = plan_hour(&i, 3600.0, 10.0, 200.0, 40).expect("plan");
        assert_eq!(covered.shortfall(), 0);
        let quiet = plan_hour(&i, 3600.0, 0.0, 0.0, 0).expect("plan");
        assert_eq!((quiet.needed_before(), quiet.shortfall()), (0, 0));
        // a trickle on both channels: one agent on the floor, not one per channel
        let trickle = plan_hour(&i, 3600.0, 0.2, 0.2, 0).expect("plan");
        assert_eq!((trickle.web_before.scheduled + trickle.chat.scheduled, trickle.floor_before, trickle.needed_before()), (4, 1, 2), "one agent does both");
        assert!(plan_hour(&ChannelInputs { automation: 1.5, ..i }, 3600.0, 1.0, 1.0, 0).is_err());
        assert!(plan_hour(&ChannelInputs { concurrency: 0, ..i }, 3600.0, 1.0, 1.0, 0).is_err());
    }

    fn close(a: f64, b: f64, tol: f64) -> bool {
        (a - b).abs() <= tol
    }

    // ---- staffing-reference.md, case 1: 100 per 30 min, AHT 180 s, 80% in 20 s ----
    #[test]
    fn case_1_the_classic_worked_example() {
        let a = offered_load(100.0, 1800.0, 180.0).expect("load");
        assert!(close(a, 10.0, 1e-12));
        for (n, pw, sl, asa, occ) in [
            (11, 0.68212, 0.38961, 122.78, 0.9091),
            (12, 0.44939, 0.64016, 40.44, 0.8333),
            (13, 0.28527, 0.79559, 17.12, 0.7692),
            (14, 0.17413, 0.88835, 7.836, 0.7143),
        ] {
            let p = performance(n, a, 180.0, 20.0);
            assert!(close(p.probability_of_waiting, pw, 5e-5), "N={n}: {p:?}");
            assert!(close(p.service_level, sl, 5e-5), "N={n}: {p:?}");
            let got = p.asa_s.expect("stable");
            assert!(close(got, asa, asa * 1e-3), "N={n}: {p:?}");
            assert!(close(p.occupancy, occ, 5e-5), "N={n}: {p:?}");
        }
        let mut input = RealTimeInput::new(100.0, 1800.0, 180.0, 0.8, 20.0);
        let plan = plan_real_time(&input).expect("plan");
        assert_eq!((plan.agents, plan.scheduled), (14, 20));
        input.max_occupancy = 0.70;
        let plan = plan_real_time(&input).expect("plan");
        assert_eq!((plan.agents, plan.scheduled), (15, 22));
        assert!(close(plan.performance.service_level, 0.94145, 5e-5));
        assert!(close(plan.performance.probability_of_waiting, 0.10204, 5e-5));
        assert!(close(plan.performance.occupancy, 0.667, 5e-4));
    }

    #[test]
    fn case_2_larger_load() {
        let a = offered_load(360.0, 1800.0, 240.0).expect("load");
        assert!(close(a, 48.0, 1e-12));
        let p = performance(55, a, 240.0, 15.0);
        assert!(close(p.occupancy, 0.87273, 5e-5));
        assert!(close(p.probability_of_waiting, 0.23870, 5e-5), "{p:?}");
        assert!(close(p.asa_s.expect("stable"), 8.184, 5e-3), "{p:?}");
        assert!(close(p.service_level, 0.84588, 5e-5), "{p:?}");
    }

    #[test]
    fn case_3_very_large_loads_stay_exact() {
        for (a, n, pw) in [(50.0, 60, 0.1173020561), (150.0, 170, 0.0714010024), (1000.0, 1030, 0.2489087858), (10000.0, 10100, 0.2247629065)] {
            let c = erlang_c(n, a);
            assert!(close(c, pw, 1e-9), "A={a} N={n}: {c}");
        }
        // the smallest N with P(wait) <= 0.2 at A = 1000
        let n = (1001..).find(|&n| erlang_c(n, 1000.0) <= 0.2).expect("found");
        assert_eq!(n, 1034);
        for (a, expected) in [(100.0, 108), (1000.0, 1015), (10000.0, 10021)] {
            assert_eq!(agents_for_service_level(a, 300.0, 0.8, 20.0), expected, "A={a}");
        }
    }

    #[test]
    fn case_4_the_design_example() {
        // 10 per hour, AHT 10 min
        assert!(close(workload(10.0, 3600.0, 600.0, 0.0).expect("w"), 1.6667, 1e-4));
        assert!(close(workload(10.0, 3600.0, 600.0, 0.8).expect("w"), 0.3333, 1e-4));
        let mut input = RealTimeInput::new(10.0, 3600.0, 600.0, 0.8, 20.0);
        input.max_occupancy = 1.0;
        let plan = plan_real_time(&input).expect("plan");
        assert_eq!(plan.agents, 4);
        assert!(close(plan.performance.service_level, 0.905, 1e-3), "{plan:?}");
        assert!(close(plan.performance.asa_s.expect("stable"), 26.0, 1.0), "{plan:?}");
        let (before, after) = automation_saving(&input, 0.8).expect("saving");
        assert_eq!((before.agents, after.agents), (4, 2));
        assert!(close(performance(1, 1.0 / 3.0, 600.0, 20.0).service_level, 0.674, 1e-3));
        // web inquiries with a 4-hour target: throughput binds (N > A)
        assert_eq!(plan_async(10.0, 3600.0, 600.0, 1.0, 0.0).expect("async").agents, 2);
        assert_eq!(plan_async(2.0, 3600.0, 600.0, 1.0, 0.0).expect("async").agents, 1);
        // with the default 85% cap, 1.67 Erlangs need 2 agents as well
        assert_eq!(plan_async(10.0, 3600.0, 600.0, 0.85, 0.3).expect("async").scheduled, 3);
    }

    #[test]
    fn one_agent_is_exact() {
        // M/M/1: P(wait) = ρ, SL = 1 − ρ·e^{−(1−ρ)t/AHT}
        for rho in [0.1, 0.5, 0.9] {
            let p = performance(1, rho, 100.0, 10.0);
            assert!(close(p.probability_of_waiting, rho, 1e-12));
            assert!(close(p.service_level, 1.0 - rho * (-(1.0 - rho) * 0.1f64).exp(), 1e-12));
        }
    }

    #[test]
    fn service_level_rises_with_agents_and_the_answer_is_the_smallest() {
        for a in [0.2, 1.0, 7.5, 42.0, 333.0, 2500.0] {
            let mut last = -1.0;
            for n in (a as u64)..(a as u64 + 60) {
                let sl = performance(n, a, 240.0, 20.0).service_level;
                assert!(sl >= last, "A={a} N={n}");
                last = sl;
            }
            for target in [0.5, 0.8, 0.95] {
                let n = agents_for_service_level(a, 240.0, target, 20.0);
                assert!(performance(n, a, 240.0, 20.0).service_level >= target);
                assert!(performance(n - 1, a, 240.0, 20.0).service_level < target, "A={a} target={target}: {n} is not the smallest");
            }
        }
    }

    #[test]
    fn nothing_is_nan_or_infinite_in_range() {
        for arrivals in [0.0, 0.001, 1.0, 17.0, 1e3, 1e5] {
            for aht in [1.0, 30.0, 600.0, 7200.0] {
                for concurrency in [1, 3] {
                    let mut input = RealTimeInput::new(arrivals, 3600.0, aht, 0.8, 20.0);
                    input.concurrency = concurrency;
                    let plan = plan_real_time(&input).expect("in range");
                    let p = plan.performance;
                    assert!(p.service_level.is_finite() && p.probability_of_waiting.is_finite() && p.occupancy.is_finite());
                    assert!(p.asa_s.is_none_or(f64::is_finite));
                    assert!(plan.steps.iter().all(|s| s.value.is_finite()));
                    assert!(plan.scheduled >= plan.agents);
                }
            }
        }
        // unstable queues are reported as such
        let p = performance(5, 10.0, 180.0, 20.0);
        assert_eq!((p.service_level, p.probability_of_waiting, p.asa_s), (0.0, 1.0, None));
    }

    #[test]
    fn concurrency_shares_slots_between_chats() {
        let mut input = RealTimeInput::new(100.0, 1800.0, 180.0, 0.8, 20.0);
        input.concurrency = 3;
        let plan = plan_real_time(&input).expect("plan");
        assert_eq!(plan.agents, 5); // 14 slots ÷ 3, rounded up
        assert!(plan.steps.iter().any(|s| s.what.contains("concurrency")));
    }

    #[test]
    fn bad_inputs_are_typed_errors() {
        let ok = RealTimeInput::new(100.0, 1800.0, 180.0, 0.8, 20.0);
        let bad = |f: fn(&mut RealTimeInput)| {
            let mut i = ok;
            f(&mut i);
            plan_real_time(&i).expect_err("refused")
        };
        assert_eq!(bad(|i| i.arrivals = -1.0), StaffingError::Arrivals(-1.0));
        assert_eq!(bad(|i| i.aht_s = 0.0), StaffingError::HandlingTime(0.0));
        assert_eq!(bad(|i| i.interval_s = 0.0), StaffingError::Interval(0.0));
        assert_eq!(bad(|i| i.target = 1.2), StaffingError::Target(1.2));
        assert_eq!(bad(|i| i.target = 1.0), StaffingError::Target(1.0));
        assert_eq!(bad(|i| i.within_s = -3.0), StaffingError::AnswerTime(-3.0));
        assert_eq!(bad(|i| i.shrinkage = 1.0), StaffingError::Shrinkage(1.0));
        assert_eq!(bad(|i| i.max_occupancy = 0.0), StaffingError::Occupancy(0.0));
        assert_eq!(bad(|i| i.concurrency = 0), StaffingError::Concurrency(0));
        assert!(matches!(bad(|i| i.arrivals = f64::NAN), StaffingError::Arrivals(_)));
        assert!(matches!(bad(|i| i.arrivals = 1e12), StaffingError::TooLarge(_)));
    }
}
