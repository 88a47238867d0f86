//! Every string the UI shows, in Korean and English. A struct (not a map) so that a string
//! missing in one language is a compile error, not a blank on screen.

pub struct Texts {
    pub app_name: &'static str,
    pub skip_to_content: &'static str,
    pub switch_language: &'static str,
    pub switch_language_label: &'static str,
    pub nav_label: &'static str,
    pub nav_home: &'static str,
    pub nav_my: &'static str,
    pub nav_orders: &'static str,
    pub nav_inquiries: &'static str,
    pub nav_faq: &'static str,
    pub nav_queue: &'static str,
    pub nav_admin: &'static str,
    pub nav_login: &'static str,
    pub nav_register: &'static str,
    pub nav_logout: &'static str,
    pub nav_password: &'static str,
    pub signed_in_as: &'static str,

    pub home_title: &'static str,
    pub home_lead: &'static str,
    pub faq_search_label: &'static str,
    pub faq_search_placeholder: &'static str,
    pub faq_search_button: &'static str,
    pub faq_title: &'static str,
    pub faq_no_results: &'static str,
    pub faq_results_for: &'static str,
    pub home_login_cta: &'static str,
    pub home_register_cta: &'static str,
    pub home_staff_note: &'static str,

    pub login_title: &'static str,
    pub email: &'static str,
    pub password: &'static str,
    pub login_button: &'static str,
    pub login_failed: &'static str,
    pub login_throttled: fn(u64) -> String,
    pub no_account: &'static str,
    pub have_account: &'static str,
    pub register_title: &'static str,
    pub name: &'static str,
    pub password_confirm: &'static str,
    pub password_hint: &'static str,
    pub register_button: &'static str,
    pub working: &'static str,

    pub password_title: &'static str,
    pub current_password: &'static str,
    pub new_password: &'static str,
    pub save: &'static str,
    pub password_changed: &'static str,

    pub err_required: &'static str,
    pub err_too_short: fn(usize) -> String,
    pub err_too_long: fn(usize) -> String,
    pub err_invalid_email: &'static str,
    pub err_email_taken: &'static str,
    pub err_password_mismatch: &'static str,
    pub err_wrong_password: &'static str,
    pub err_control_chars: &'static str,
    pub err_invalid_choice: &'static str,
    pub err_form: &'static str,
    pub err_internal: fn(&str) -> String,
    pub err_unavailable: &'static str,
    pub err_bad_request: &'static str,
    pub err_sign_in: &'static str,

    pub not_found_title: &'static str,
    pub not_found_body: &'static str,
    pub not_allowed_title: &'static str,
    pub not_allowed_body: &'static str,
    pub back_home: &'static str,
    pub loading: &'static str,

    pub my_title: &'static str,
    pub my_welcome: fn(&str) -> String,
    pub customer_no: &'static str,
    pub grade: &'static str,
    pub grade_name: fn(&str) -> &'static str,
    pub recent_orders: &'static str,
    pub open_inquiries: &'static str,
    pub no_orders: &'static str,
    pub no_inquiries: &'static str,
    pub order_no: &'static str,
    pub order_date: &'static str,
    pub order_total: &'static str,
    pub status: &'static str,
    pub order_status: fn(&str) -> &'static str,
    pub inquiry_status: fn(&str) -> &'static str,
    pub subject: &'static str,
    pub inquiry_type: &'static str,
    pub created: &'static str,
    pub won: fn(i64) -> String,
    pub orders_title: &'static str,
    pub inquiries_title: &'static str,

    pub agent_title: &'static str,
    pub agent_lead: &'static str,
    pub queue_group: &'static str,
    pub queue_waiting: &'static str,
    pub queue_overdue: &'static str,
    pub queue_top: &'static str,
    pub queue_empty: &'static str,
    pub sla_due: &'static str,
    pub customer: &'static str,

    pub admin_title: &'static str,
    pub admin_lead: &'static str,
    pub stat_customers: &'static str,
    pub stat_agents: &'static str,
    pub stat_inquiries: &'static str,
    pub stat_open_inquiries: &'static str,
    pub stat_templates: &'static str,
    pub stat_types: &'static str,
    pub inquiry_types_title: &'static str,
    pub routes_to: &'static str,
    pub first_response_target: &'static str,
    pub minutes: fn(i64) -> String,
}

fn ko_grade(g: &str) -> &'static str {
    match g {
        "vip" => "VIP",
        "gold" => "골드",
        "general" => "일반",
        _ => "신규",
    }
}

fn en_grade(g: &str) -> &'static str {
    match g {
        "vip" => "VIP",
        "gold" => "Gold",
        "general" => "General",
        _ => "New",
    }
}

fn ko_order_status(s: &str) -> &'static str {
    match s {
        "placed" => "주문 접수",
        "paid" => "결제 완료",
        "shipped" => "배송 중",
        "delivered" => "배송 완료",
        "cancelled" => "주문 취소",
        "returned" => "반품",
        _ => "알 수 없음",
    }
}

fn en_order_status(s: &str) -> &'static str {
    match s {
        "placed" => "Placed",
        "paid" => "Paid",
        "shipped" => "Shipped",
        "delivered" => "Delivered",
        "cancelled" => "Cancelled",
        "returned" => "Returned",
        _ => "Unknown",
    }
}

fn ko_inquiry_status(s: &str) -> &'static str {
    match s {
        "new" => "접수",
        "auto_answered" => "자동 답변",
        "open" => "처리 중",
        "waiting_customer" => "고객 답변 대기",
        "resolved" => "해결",
        "closed" => "종료",
        _ => "알 수 없음",
    }
}

fn en_inquiry_status(s: &str) -> &'static str {
    match s {
        "new" => "New",
        "auto_answered" => "Auto-answered",
        "open" => "Open",
        "waiting_customer" => "Waiting for you",
        "resolved" => "Resolved",
        "closed" => "Closed",
        _ => "Unknown",
    }
}

/// Groups digits by thousands: 1234567 → "1,234,567".
pub fn group_thousands(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if n < 0 {
        out.push('-');
    }
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

pub const KO: Texts = Texts {
    app_name: "사이버 고객센터",
    skip_to_content: "본문으로 건너뛰기",
    switch_language: "English",
    switch_language_label: "Switch to English",
    nav_label: "주 메뉴",
    nav_home: "홈",
    nav_my: "마이페이지",
    nav_orders: "주문 내역",
    nav_inquiries: "문의 내역",
    nav_faq: "자주 묻는 질문",
    nav_queue: "상담 대기열",
    nav_admin: "관리 개요",
    nav_login: "로그인",
    nav_register: "회원가입",
    nav_logout: "로그아웃",
    nav_password: "비밀번호 변경",
    signed_in_as: "로그인 사용자",

    home_title: "무엇을 도와드릴까요?",
    home_lead: "자주 묻는 질문은 바로 답을 찾고, 주문과 문의는 직접 확인하세요. 상담원이 필요하면 언제든 연결해 드립니다.",
    faq_search_label: "자주 묻는 질문 검색",
    faq_search_placeholder: "예: 배송은 언제 오나요?",
    faq_search_button: "검색",
    faq_title: "자주 묻는 질문",
    faq_no_results: "일치하는 질문이 없습니다. 다른 단어로 검색하거나 문의를 남겨 주세요.",
    faq_results_for: "검색어",
    home_login_cta: "로그인하고 내 주문·문의 보기",
    home_register_cta: "처음이신가요? 회원가입",
    home_staff_note: "상담원과 관리자도 같은 로그인 화면을 사용합니다.",

    login_title: "로그인",
    email: "이메일",
    password: "비밀번호",
    login_button: "로그인",
    login_failed: "이메일 또는 비밀번호가 올바르지 않습니다.",
    login_throttled: |s| format!("로그인 시도가 너무 많습니다. {}분 후에 다시 시도해 주세요.", s.div_ceil(60)),
    no_account: "아직 계정이 없으신가요?",
    have_account: "이미 계정이 있으신가요?",
    register_title: "회원가입",
    name: "이름",
    password_confirm: "비밀번호 확인",
    password_hint: "10자 이상 128자 이하",
    register_button: "가입하기",
    working: "처리 중…",

    password_title: "비밀번호 변경",
    current_password: "현재 비밀번호",
    new_password: "새 비밀번호",
    save: "저장",
    password_changed: "비밀번호를 변경했습니다.",

    err_required: "필수 입력 항목입니다.",
    err_too_short: |n| format!("{n}자 이상 입력해 주세요."),
    err_too_long: |n| format!("{n}자 이하로 입력해 주세요."),
    err_invalid_email: "올바른 이메일 주소가 아닙니다. (예: name@example.com)",
    err_email_taken: "이미 가입된 이메일입니다.",
    err_password_mismatch: "비밀번호가 일치하지 않습니다.",
    err_wrong_password: "현재 비밀번호가 올바르지 않습니다.",
    err_control_chars: "사용할 수 없는 문자가 포함되어 있습니다.",
    err_invalid_choice: "목록에 있는 값을 선택해 주세요.",
    err_form: "입력 내용을 확인해 주세요.",
    err_internal: |id| format!("문제가 발생했습니다. 잠시 후 다시 시도해 주세요. (오류 번호 {id})"),
    err_unavailable: "서버에 연결할 수 없습니다. 잠시 후 다시 시도해 주세요.",
    err_bad_request: "잘못된 요청입니다.",
    err_sign_in: "로그인이 필요합니다.",

    not_found_title: "페이지를 찾을 수 없습니다",
    not_found_body: "주소가 바뀌었거나 없는 페이지입니다.",
    not_allowed_title: "접근 권한이 없습니다",
    not_allowed_body: "이 페이지는 현재 계정으로 볼 수 없습니다.",
    back_home: "홈으로",
    loading: "불러오는 중…",

    my_title: "마이페이지",
    my_welcome: |n| format!("{n}님, 안녕하세요."),
    customer_no: "고객 번호",
    grade: "등급",
    grade_name: ko_grade,
    recent_orders: "최근 주문",
    open_inquiries: "진행 중인 문의",
    no_orders: "주문 내역이 없습니다.",
    no_inquiries: "진행 중인 문의가 없습니다.",
    order_no: "주문 번호",
    order_date: "주문일",
    order_total: "결제 금액",
    status: "상태",
    order_status: ko_order_status,
    inquiry_status: ko_inquiry_status,
    subject: "제목",
    inquiry_type: "문의 유형",
    created: "접수일",
    won: |n| format!("{}원", group_thousands(n)),
    orders_title: "주문 내역",
    inquiries_title: "문의 내역",

    agent_title: "상담 콘솔",
    agent_lead: "내 그룹에 배정된 문의입니다. 우선순위: 고객 등급, SLA 마감, 접수 순.",
    queue_group: "상담 그룹",
    queue_waiting: "대기",
    queue_overdue: "SLA 초과",
    queue_top: "대기 중인 문의",
    queue_empty: "대기 중인 문의가 없습니다.",
    sla_due: "SLA 마감",
    customer: "고객",

    admin_title: "관리 개요",
    admin_lead: "고객센터 현황과 문의 유형별 라우팅입니다.",
    stat_customers: "고객",
    stat_agents: "상담원",
    stat_inquiries: "전체 문의",
    stat_open_inquiries: "미해결 문의",
    stat_templates: "FAQ 템플릿",
    stat_types: "문의 유형",
    inquiry_types_title: "문의 유형과 라우팅",
    routes_to: "배정 그룹",
    first_response_target: "첫 응답 목표",
    minutes: |m| format!("{m}분"),
};

pub const EN: Texts = Texts {
    app_name: "Cyber Customer Center",
    skip_to_content: "Skip to content",
    switch_language: "한국어",
    switch_language_label: "한국어로 보기",
    nav_label: "Main menu",
    nav_home: "Home",
    nav_my: "My page",
    nav_orders: "Orders",
    nav_inquiries: "Inquiries",
    nav_faq: "FAQ",
    nav_queue: "Queue",
    nav_admin: "Overview",
    nav_login: "Log in",
    nav_register: "Register",
    nav_logout: "Log out",
    nav_password: "Change password",
    signed_in_as: "Signed in as",

    home_title: "How can we help?",
    home_lead: "Find answers to frequent questions at once, and check your orders and inquiries yourself. An agent is there whenever you need a person.",
    faq_search_label: "Search frequently asked questions",
    faq_search_placeholder: "e.g. When will my order arrive?",
    faq_search_button: "Search",
    faq_title: "Frequently asked questions",
    faq_no_results: "No question matches. Try other words, or send us an inquiry.",
    faq_results_for: "Search",
    home_login_cta: "Log in to see your orders and inquiries",
    home_register_cta: "New here? Register",
    home_staff_note: "Agents and admins use the same login.",

    login_title: "Log in",
    email: "Email",
    password: "Password",
    login_button: "Log in",
    login_failed: "Email or password is incorrect.",
    login_throttled: |s| format!("Too many login attempts. Try again in {} minutes.", s.div_ceil(60)),
    no_account: "No account yet?",
    have_account: "Already have an account?",
    register_title: "Register",
    name: "Name",
    password_confirm: "Confirm password",
    password_hint: "10 to 128 characters",
    register_button: "Create account",
    working: "Working…",

    password_title: "Change password",
    current_password: "Current password",
    new_password: "New password",
    save: "Save",
    password_changed: "Your password has been changed.",

    err_required: "This field is required.",
    err_too_short: |n| format!("Enter at least {n} characters."),
    err_too_long: |n| format!("Enter at most {n} characters."),
    err_invalid_email: "This is not a valid email address (e.g. name@example.com).",
    err_email_taken: "An account with this email already exists.",
    err_password_mismatch: "The passwords do not match.",
    err_wrong_password: "The current password is incorrect.",
    err_control_chars: "This contains characters that are not allowed.",
    err_invalid_choice: "Choose one of the listed values.",
    err_form: "Please check the highlighted fields.",
    err_internal: |id| format!("Something went wrong. Please try again. (error id {id})"),
    err_unavailable: "The server cannot be reached. Please try again shortly.",
    err_bad_request: "The request was not valid.",
    err_sign_in: "Please log in first.",

    not_found_title: "Page not found",
    not_found_body: "The address has changed or the page does not exist.",
    not_allowed_title: "Not allowed",
    not_allowed_body: "Your account is not allowed to see this page.",
    back_home: "Back to home",
    loading: "Loading…",

    my_title: "My page",
    my_welcome: |n| format!("Hello, {n}."),
    customer_no: "Customer number",
    grade: "Grade",
    grade_name: en_grade,
    recent_orders: "Recent orders",
    open_inquiries: "Open inquiries",
    no_orders: "No orders yet.",
    no_inquiries: "No open inquiries.",
    order_no: "Order number",
    order_date: "Ordered",
    order_total: "Total",
    status: "Status",
    order_status: en_order_status,
    inquiry_status: en_inquiry_status,
    subject: "Subject",
    inquiry_type: "Inquiry type",
    created: "Created",
    won: |n| format!("₩{}", group_thousands(n)),
    orders_title: "Orders",
    inquiries_title: "Inquiries",

    agent_title: "Agent console",
    agent_lead: "Inquiries routed to your groups. Priority: customer grade, then SLA due time, then age.",
    queue_group: "Agent group",
    queue_waiting: "Waiting",
    queue_overdue: "Overdue",
    queue_top: "Waiting inquiries",
    queue_empty: "No inquiries are waiting.",
    sla_due: "SLA due",
    customer: "Customer",

    admin_title: "Overview",
    admin_lead: "The customer center at a glance, and how each inquiry type is routed.",
    stat_customers: "Customers",
    stat_agents: "Agents",
    stat_inquiries: "All inquiries",
    stat_open_inquiries: "Unresolved inquiries",
    stat_templates: "FAQ templates",
    stat_types: "Inquiry types",
    inquiry_types_title: "Inquiry types and routing",
    routes_to: "Routed to",
    first_response_target: "First-response target",
    minutes: |m| format!("{m} min"),
};

pub fn texts(locale: super::Locale) -> &'static Texts {
    match locale {
        super::Locale::Ko => &KO,
        super::Locale::En => &EN,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_grouping() {
        assert_eq!(group_thousands(0), "0");
        assert_eq!(group_thousands(999), "999");
        assert_eq!(group_thousands(1000), "1,000");
        assert_eq!(group_thousands(1234567), "1,234,567");
        assert_eq!(group_thousands(-45000), "-45,000");
    }

    #[test]
    fn parameterised_strings_are_filled_in_both_languages() {
        assert_eq!((KO.err_too_short)(10), "10자 이상 입력해 주세요.");
        assert_eq!((EN.err_too_short)(10), "Enter at least 10 characters.");
        assert_eq!((KO.login_throttled)(61), "로그인 시도가 너무 많습니다. 2분 후에 다시 시도해 주세요.");
        assert_eq!((EN.won)(15000), "₩15,000");
    }
}
