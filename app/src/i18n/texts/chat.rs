//! Live chat for customers and the agents' chat desk.

texts! {
    chat_mail_transcript: "대화 내용을 메일로 받기", "Email me this transcript";
    chat_transcript_mailed: "대화 내용을 로그인 이메일로 보냈습니다.", "The transcript is on its way to your sign-in email.";
    chat_title: "채팅 상담", "Live chat";
    chat_lead: "상담원과 실시간으로 대화하세요. 대화 내용은 상담 이력에 남습니다.", "Talk to an agent in real time. The conversation stays in your history.";
    chat_start: "채팅 시작", "Start a chat";
    chat_first_message: "먼저 남길 말 (선택)", "Your first message (optional)";
    chat_first_message_hint: "기다리는 동안 상담원이 미리 읽을 수 있습니다.", "The agent can read it while you wait.";
    chat_end: "채팅 종료", "End chat";
    chat_please_rate: "지난 채팅 상담은 어떠셨나요?", "How was your last chat?";
    chat_rate_link: "상담 평가하기", "Rate this chat";
    chat_rate_title: "이 채팅 상담을 평가해 주세요 (1–5)", "Rate this chat (1–5)";
    chat_rated(n: i64) -> String: format!("평가해 주셔서 감사합니다: {n}점"), format!("Thank you for your rating: {n}");
    chat_transcript_title(id: i64) -> String: format!("채팅 상담 #{id}"), format!("Chat #{id}");
    chat_back_to_live: "진행 중인 채팅으로", "Back to the live chat";
    back_to_history: "상담 이력으로", "Back to history";
    chat_waiting(p: i64, w: i64) -> String: format!("대기 순서 {p}번 · 예상 대기 약 {}분", (w + 59) / 60), format!("You are number {p} in the queue · estimated wait about {} min", (w + 59) / 60);
    chat_waiting_plain: "상담원 연결을 기다리고 있습니다.", "Waiting for an agent.";
    chat_active_with(n: &str) -> String: format!("{n} 상담원과 대화 중입니다."), format!("You are chatting with {n}.");
    chat_ended: "채팅이 종료되었습니다.", "The chat has ended.";
    chat_reconnecting: "연결이 끊겼습니다. 다시 연결하는 중…", "Connection lost. Reconnecting…";
    chat_access_ended: "이 대화에 더 이상 접근할 수 없습니다(로그아웃, 권한 변경 또는 이관). 페이지를 새로 고치거나 다시 로그인해 주세요.", "You no longer have access to this chat (signed out, permissions changed or transferred). Reload the page or sign in again.";
    chat_transcript: "대화 내용", "Conversation";
    chat_you: "나", "You";
    chat_not_sent: "전송 실패", "Not sent";
    chat_sending: "전송 중…", "Sending…";
    chat_read: "읽음", "Read";
    chat_delivered: "전송됨", "Delivered";
    chat_agent_typing: "상담원이 입력 중입니다…", "The agent is typing…";
    chat_customer_typing: "고객이 입력 중입니다…", "The customer is typing…";
    chat_message_label: "메시지", "Message";
    chat_desk_title: "채팅 상담", "Chats";
    chat_desk_lead: "대기 중인 채팅을 수락하고, 진행 중인 채팅을 고객 정보와 함께 나란히 봅니다.", "Accept waiting chats and work your active chats side by side with each customer's record.";
    chat_waiting_title: "대기 중인 채팅", "Waiting chats";
    chat_capacity(a: i64, l: i64) -> String: format!("진행 중 {a}건 / 최대 {l}건"), format!("{a} active of at most {l}");
    chat_none_active: "진행 중인 채팅이 없습니다.", "No active chats.";
    chat_make_inquiry: "문의로 전환", "Turn into inquiry";
    chat_no_waiting: "대기 중인 채팅이 없습니다.", "No chats are waiting.";
    chat_waited(s: i64) -> String: format!("{}분 대기", s / 60), format!("waiting {} min", s / 60);
    chat_accept: "수락", "Accept";
    chat_in_progress: "진행 중인 채팅 상담이 있습니다.", "You have a chat in progress.";
    chat_panel_hint: "상담원과 바로 이야기하고 싶으면 채팅을 시작하세요.", "Want to talk to an agent now? Start a chat.";
}

impl super::Texts {
    /// A chat event shown in the room, by its code (unknown codes are shown as they are).
    pub fn chat_event(&self, event: &str) -> String {
        let (ko, en) = match event {
            "accepted" => ("상담원이 연결되었습니다.", "An agent has joined."),
            "transferred" => ("다른 상담 그룹으로 연결 중입니다.", "Passing you to another team."),
            "requeued" => ("상담원이 더 이상 응대할 수 없어 다른 상담원을 연결하는 중입니다.", "Your agent is no longer available; connecting you to another one."),
            "ended" => ("채팅이 종료되었습니다.", "The chat has ended."),
            other => (other, other),
        };
        self.pick(ko, en).to_string()
    }

    pub fn chat_error(&self, code: crate::chat::protocol::ErrorCode) -> &'static str {
        use crate::chat::protocol::ErrorCode;
        let (ko, en) = match code {
            ErrorCode::TooLong => ("메시지는 2,000자까지 보낼 수 있습니다.", "A message can be at most 2,000 characters."),
            ErrorCode::RateLimited => ("메시지를 너무 빨리 보내고 있습니다. 잠시 후 다시 보냅니다.", "You are sending too fast. The message will be resent in a moment."),
            ErrorCode::NotAllowed => ("이 채팅에는 더 이상 메시지를 보낼 수 없습니다.", "Messages can no longer be sent in this chat."),
            ErrorCode::Unavailable => ("메시지를 저장하지 못했습니다. 곧 다시 보냅니다.", "The message could not be stored. It will be resent shortly."),
            ErrorCode::Invalid => ("빈 메시지나 제어 문자는 보낼 수 없습니다.", "Empty messages and control characters cannot be sent."),
            ErrorCode::Malformed => ("알 수 없는 요청입니다.", "Unknown request."),
        };
        self.pick(ko, en)
    }
}
