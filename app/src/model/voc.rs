//! Voice-of-customer categories an agent files an inquiry under (for analysis, not handling).

stored_words! {
    pub enum VocCategory {
        Complaint = "complaint",
        Question = "question",
        Compliment = "compliment",
        Suggestion = "suggestion",
    }
}
