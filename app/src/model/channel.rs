//! Where an inquiry came in (`inquiries.channel`, and the analytics' channel column).

stored_words! {
    pub enum Channel {
        Web = "web",
        Chat = "chat",
        Email = "email",
        Phone = "phone",
    }
}
