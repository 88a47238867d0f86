//! Analytics, forecasts, the service report, voice of customer and the staffing plan.

texts! {
    staffing_title: "인력 계획", "Staffing";
    staffing_lead: "다음 주 예측(지난 4주의 요일·시간별 평균 × 추세)에서 시작합니다. 값을 바꾸면 브라우저에서 바로 다시 계산합니다(Erlang C).", "Starts from next week's forecast (the mean arrivals per weekday and hour over the last 4 weeks × the trend). Change any value and the plan is recomputed in your browser (Erlang C).";
    staffing_controls: "가정", "Assumptions";
    staffing_day: "요일", "Day";
    staffing_hour: "시간", "Hour";
    staffing_arrivals: "시간당 문의 수", "Arrivals per hour";
    staffing_aht: "평균 처리 시간(분)", "Average handling time (min)";
    staffing_automation: "FAQ 자동 응답 비율", "FAQ automation rate";
    staffing_target: "서비스 수준 목표(%)", "Service level target (%)";
    staffing_within: "응답 시간 목표(초)", "Answered within (s)";
    staffing_shrinkage: "비가동률(%)", "Shrinkage (%)";
    staffing_occupancy: "최대 점유율(%)", "Maximum occupancy (%)";
    staffing_concurrency: "상담원당 동시 채팅", "Chats per agent at once";
    staffing_result: "필요 인원", "Agents needed";
    staffing_before: "자동화 전", "Without automation";
    staffing_after: "자동화 후", "With automation";
    staffing_service_level: "서비스 수준", "Service level";
    staffing_asa: "평균 응답 시간", "Average speed of answer";
    staffing_occupancy_result: "점유율", "Occupancy";
    staffing_steps: "계산 단계(자동화 후)", "Steps (with automation)";
    staffing_web: "웹 문의", "Web inquiries";
    staffing_chat: "채팅", "Chat";
    staffing_chat_arrivals: "시간당 채팅 수", "Chats per hour";
    staffing_chat_aht: "채팅 1건 처리 시간(분)", "Minutes per chat";
    staffing_roster_line(r: u32, short: u64) -> String: if short > 0 { format!("근무표 {r}명: {short}명 부족") } else { format!("근무표 {r}명: 충분") }, if short > 0 { format!("{r} on the roster: {short} short") } else { format!("{r} on the roster: covered") };
    staffing_web_workload: "웹 문의 업무량(명)", "Web workload (agents)";
    staffing_web_scheduled: "웹 문의 배치 인원", "Web agents to schedule";
    staffing_chat_agents: "채팅 근무 인원", "Chat agents on the floor";
    staffing_chat_scheduled: "채팅 배치 인원", "Chat agents to schedule";
    staffing_total: "배치 인원 합계", "Agents to schedule, total";
    staffing_floor_total: "근무 인원 합계(채널 혼합)", "Agents on the floor, both channels";
    staffing_plan_hint: "웹 문의는 기다릴 수 있어 채팅 사이에 답합니다: 근무 인원 = 채팅에 필요한 인원과 (채팅 부하 + 웹 업무량) ÷ 최대 점유율 중 큰 값, 배치 인원 = 근무 인원 ÷ (1 − 비가동률). 근무표(상담원 관리에서 근무 시간 편집)가 자동화 후 필요 인원보다 적은 시간은 빨간색입니다.", "Web inquiries can wait, so agents answer them between chats: agents on the floor = the larger of what chat needs and (chat load + web workload) ÷ maximum occupancy; to schedule = on the floor ÷ (1 − shrinkage). Hours where the roster (shifts are edited under Agents) has fewer than the plan with automation needs are red.";
    staffing_roster: "근무표", "Roster";
    staffing_shortfall: "부족", "Short";
    staffing_chart_title: "시간대별 배치 인원과 근무표", "Agents to schedule and the roster, by hour";
    forecast_chat_trend(t: f64) -> String: format!("채팅 추세 {t:.2}."), format!("Chat trend {t:.2}.");
    staffing_csv: "이 가정으로 한 주 계획 CSV 내려받기", "Download the week's plan with these assumptions (CSV)";
    forecast_chart_title: "지난주 요일별 예측과 실제", "Last week per day: forecast and actual";
    staffing_invalid: "계산할 수 없습니다:", "Cannot plan with these values:";
    staffing_saved(b: u64, a: u64) -> String: format!("자동화 전 {b}명 → 자동화 후 {a}명"), format!("{b} agents without automation → {a} with it");
    staffing_day_plan(d: &str) -> String: format!("{d} 시간대별 필요 인원"), format!("{d}, hour by hour");
    shifts_label: "근무 시간", "Shifts";
    public_name: "고객에게 보이는 이름", "Name customers see";
    public_name_hint: "답변과 채팅에서 고객에게 이 이름만 보입니다 (로그인 정보는 보이지 않습니다).", "Customers see only this name on answers and in chat, never the login.";
    shifts_hint: "예: 월-금 09-18, 토 10-14 (밤샘 근무는 22-06). 비워 두면 근무표에 없습니다.", "For example mon-fri 09-18, sat 10-14 (a night shift: 22-06). Empty: not on the roster.";
    analytics_title: "문의 통계", "Inquiry analytics";
    analytics_lead: "연·월·요일·시간대별 문의량과 요일 × 시간 분포 (한국 시간 기준, 시간별 집계에서 계산).", "Inquiry volume by year, month, weekday and hour, and the weekday × hour pattern (Korea time, from the hourly rollups).";
    date_from: "시작일", "From";
    date_to: "종료일", "To";
    arrivals_unit: "건", "inquiries";
    arrivals_total: "접수된 문의", "Inquiries received";
    auto_answered_total: "자동 답변", "Answered automatically";
    download_csv: "CSV 내려받기", "Download CSV";
    heatmap_title: "요일 × 시간대별 문의량", "Inquiries by weekday and hour";
    by_hour_title: "시간대별 문의량", "By hour of the day";
    by_weekday_title: "요일별 문의량", "By weekday";
    by_month_title: "월별 문의량", "By month";
    by_year_title: "연도별 문의량", "By year";
    by_type_title: "문의 유형별", "By inquiry type";
    by_channel_title: "채널별", "By channel";
    forecast_title: "예측과 지난주 실제", "Forecast, and last week against it";
    summary_title: "문의 현황", "Volume";
    summary_lead: "오늘 들어온 문의와 최근 4주의 요일 × 시간대 분포 (읽기 전용).", "Today's inquiries and the weekday × hour pattern of the last four weeks (read-only).";
    today_arrivals: "오늘 접수된 문의", "Inquiries today";
    today_by_hour: "오늘 시간대별 문의량", "Today by hour";
    forecast_how(w: usize, t: f64) -> String: format!("다음 주 예측 = 최근 {w}주 같은 요일·시간대 평균 × 추세 {t:.2} (최근 2주 ÷ 전체 평균)."), format!("Next week = the mean of the same weekday-hour over the last {w} weeks × trend {t:.2} (last 2 weeks ÷ all).");
    forecast_no_backtest: "지난주를 검증할 만큼 기록이 아직 없습니다.", "Not enough history yet to check last week.";
    forecast_day: "요일", "Day";
    forecast_col: "예측", "Forecast";
    actual_col: "실제", "Actual";
    service_title: "서비스 품질", "Service";
    service_lead: "이 기간에 접수된 문의의 첫 응답·해결 시간(중앙값 / 90%), 목표 시간 내 첫 응답 비율, 만족도. 시간은 구간별 집계에서 읽은 값으로 오차 9% 이내입니다.", "For the inquiries that arrived in the range: first-response and resolution time (median / p90), first answers within target, satisfaction. Times are read from bucketed rollups, within 9%.";
    service_type_col: "유형", "Type";
    first_response_col: "첫 응답 (중앙값 / 90%)", "First response (median / p90)";
    resolution_col: "해결 (중앙값 / 90%)", "Resolution (median / p90)";
    sla_col: "목표 내 첫 응답", "Answered within target";
    csat_col: "만족도 (평균, 건수)", "Satisfaction (average, ratings)";
    sla_overdue(n: i64) -> String: format!("아직 답하지 않았고 목표 시간을 넘긴 문의 {n}건은 미달로 셉니다."), format!("{n} unanswered inquiries are past their target and count as missed.");
    csat_title: "만족도 분포", "Satisfaction ratings";
    csat_unit: "건", "ratings";
    voc_title: "고객의 소리(VOC) 추이", "Voice of customer over time";
    voc_period_col(week: bool) -> &'static str: if week { "주 (월요일)" } else { "월" }, if week { "Week of" } else { "Month" };
    download_service_csv: "서비스 품질 CSV 내려받기", "Download service CSV";
}

impl super::Texts {
    /// How far last week's forecast was off: mean absolute error per hour, and as a share of
    /// the total when there was volume.
    pub fn forecast_error(&self, mae: f64, wape: Option<f64>) -> String {
        match wape {
            Some(p) => self.pick(
                format!("같은 방식으로 예측한 지난주: 시간당 평균 오차 {mae:.1}건, 전체 대비 {p:.0}%."),
                format!("Last week, forecast the same way: off by {mae:.1} inquiries per hour on average, {p:.0}% of the total."),
            ),
            None => self.pick(
                format!("같은 방식으로 예측한 지난주: 시간당 평균 오차 {mae:.1}건."),
                format!("Last week, forecast the same way: off by {mae:.1} inquiries per hour on average."),
            ),
        }
    }
}
