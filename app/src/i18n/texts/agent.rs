//! The agent console: the queue, the inquiry workspace, the customer 360° and customer search.

texts! {
    agent_title: "상담 콘솔", "Agent console";
    agent_lead: "내 그룹에 배정된 문의입니다. 우선순위: 고객 등급, SLA 마감, 접수 순.", "Inquiries routed to your groups. Priority: customer grade, then SLA due time, then age.";
    queue_group: "상담 그룹", "Agent group";
    queue_waiting: "대기", "Waiting";
    queue_overdue: "SLA 초과", "Overdue";
    queue_top: "대기 중인 문의", "Waiting inquiries";
    queue_empty: "대기 중인 문의가 없습니다.", "No inquiries are waiting.";
    sla_due: "SLA 마감", "SLA due";
    take_next: "다음 문의 받기", "Take next";
    queue_nothing_to_take: "지금 받을 수 있는 대기 문의가 없습니다.", "There is nothing waiting in your queues right now.";
    all_types: "전체 유형", "All types";
    all_grades: "전체 등급", "All grades";
    overdue_only: "SLA 초과만", "Overdue only";
    queue_mine: "내가 맡은 문의", "My inquiries";
    queue_mine_empty: "맡은 문의가 없습니다. '다음 문의 받기'를 눌러 시작하세요.", "Nothing assigned to you. Press “Take next” to start.";
    back_to_queue: "← 대기열로", "← Back to the queue";
    escalated_badge: "상담원 요청", "Asked for a person";
    assigned_to: "담당", "Assigned to";
    unassigned: "담당자 없음", "Unassigned";
    take_this: "이 문의 맡기", "Take this inquiry";
    thread: "대화 내용", "Thread";
    internal_note: "내부 메모", "Internal note";
    internal_note_hint: "상담원만 볼 수 있습니다. 고객에게는 보이지 않습니다.", "Only agents see this; the customer never does.";
    note_label: "메모 내용", "Note";
    add_note: "메모 추가", "Add note";
    faq_suggestions: "추천 답변 (FAQ)", "Suggested answers (FAQ)";
    no_suggestions: "맞는 FAQ 답변이 없습니다.", "No FAQ answer matches.";
    use_answer: "이 답변 사용", "Use this answer";
    reply_to_customer: "고객에게 답변", "Reply to the customer";
    status_after_reply: "보낸 뒤 상태", "Status after sending";
    manage_inquiry: "문의 관리", "Manage inquiry";
    retype: "유형 변경", "Re-type";
    transfer: "이관", "Transfer";
    transfer_note: "이관 메모", "Transfer note";
    customer_360: "고객 정보 (360°)", "Customer (360°)";
    consent_yes: "동의", "Yes";
    consent_no: "미동의", "No";
    watch_flag: "주의 고객", "Watch-flagged";
    language: "언어", "Language";
    contact_history: "상담 이력", "Contact history";
    customer_search: "고객 검색", "Customer search";
    no_customers_found: "찾는 고객이 없습니다.", "No customer matches.";
    customer_search_hint: "이름, 이메일, 전화번호, 고객 번호, 주문 번호로 찾습니다.", "Find a customer by name, email, phone, customer number or order number.";
}
