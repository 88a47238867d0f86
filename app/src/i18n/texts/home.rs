//! The public home page and the FAQ search and suggestions shown before and while asking.

texts! {
    home_title: "무엇을 도와드릴까요?", "How can we help?";
    home_lead: "자주 묻는 질문은 바로 답을 찾고, 주문과 문의는 직접 확인하세요. 상담원이 필요하면 언제든 연결해 드립니다.", "Find answers to frequent questions at once, and check your orders and inquiries yourself. An agent is there whenever you need a person.";
    faq_search_label: "자주 묻는 질문 검색", "Search frequently asked questions";
    faq_search_placeholder: "예: 배송은 언제 오나요?", "e.g. When will my order arrive?";
    faq_search_button: "검색", "Search";
    faq_title: "자주 묻는 질문", "Frequently asked questions";
    faq_no_results: "일치하는 질문이 없습니다. 다른 단어로 검색하거나 문의를 남겨 주세요.", "No question matches. Try other words, or send us an inquiry.";
    faq_results_for: "검색어", "Search";
    home_login_cta: "로그인하고 내 주문·문의 보기", "Log in to see your orders and inquiries";
    home_register_cta: "처음이신가요? 회원가입", "New here? Register";
    home_staff_note: "상담원과 관리자도 같은 로그인 화면을 사용합니다.", "Agents and admins use the same login.";
    faq_suggest_title: "이 답변이 도움이 될 수 있어요", "These answers may help";
    faq_suggest_hint: "문의를 보내기 전에 확인해 보세요. 질문을 열어 답변을 볼 수 있어요.", "Check them before you send: open a question to read its answer.";
    faq_that_answered: "이 답변으로 해결됐어요", "That answered it";
    faq_deflected: "도움이 되어 다행이에요. 문의는 보내지 않았어요.", "Glad it helped. No inquiry was sent.";
    faq_deflect_failed: "기록하지 못했어요. 잠시 후 다시 시도해 주세요.", "That could not be recorded. Please try again in a moment.";
    faq_other: "기타", "Other";
    deflections: "문의 전 해결", "Solved before asking";
}
