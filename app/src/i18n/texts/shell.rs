//! The page frame: header, navigation, language switch, not-found and not-allowed pages.

texts! {
    app_name: "사이버 고객센터", "Cyber Customer Center";
    skip_to_content: "본문으로 건너뛰기", "Skip to content";
    switch_language: "English", "한국어";
    switch_language_label: "Switch to English", "한국어로 보기";
    nav_label: "주 메뉴", "Main menu";
    menu: "메뉴", "Menu";
    nav_home: "홈", "Home";
    nav_my: "마이페이지", "My page";
    nav_orders: "주문 내역", "Orders";
    nav_inquiries: "문의 내역", "Inquiries";
    nav_faq: "자주 묻는 질문", "FAQ";
    nav_queue: "상담 대기열", "Queue";
    nav_admin: "관리 개요", "Overview";
    nav_login: "로그인", "Log in";
    nav_register: "회원가입", "Register";
    nav_logout: "로그아웃", "Log out";
    nav_password: "비밀번호 변경", "Change password";
    signed_in_as: "로그인 사용자", "Signed in as";
    not_found_title: "페이지를 찾을 수 없습니다", "Page not found";
    not_found_body: "주소가 바뀌었거나 없는 페이지입니다.", "The address has changed or the page does not exist.";
    not_allowed_title: "접근 권한이 없습니다", "Not allowed";
    not_allowed_body: "이 페이지는 현재 계정으로 볼 수 없습니다.", "Your account is not allowed to see this page.";
    back_home: "홈으로", "Back to home";
    loading: "불러오는 중…", "Loading…";
    nav_profile: "내 정보", "Profile";
    nav_history: "상담 이력", "History";
    nav_chat: "채팅 상담", "Chat";
    nav_chats: "채팅", "Chats";
    // the admin's navigation: short words, so it keeps one line on a desktop
    nav_admin_faq: "FAQ 템플릿", "FAQ";
    nav_types: "문의 유형", "Types";
    nav_grades: "고객 등급", "Grades";
    nav_agents: "상담원", "Agents";
    nav_audit: "감사 로그", "Audit";
    nav_mail: "메일", "Mail";
    nav_analytics: "통계", "Analytics";
}
