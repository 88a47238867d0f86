//! An attached file as a thread shows it: its name, size and kind, and where to get it.

use crate::domain::attachment::{FileKind, Refusal};
use serde::{Deserialize, Serialize};

/// The server functions that take forms with files (multipart, defined for the server only: the
/// browser posts these forms natively, so the pages need just their addresses).
pub mod forms {
    pub const FILE_INQUIRY: &str = "/api/file_inquiry";
    pub const REPLY_WITH_FILES: &str = "/api/reply_with_files";
    pub const AGENT_COMPOSE: &str = "/api/agent_compose";
    pub const CHAT_ATTACH: &str = "/api/chat_attach";
    pub const ALL: [&str; 4] = [FILE_INQUIRY, REPLY_WITH_FILES, AGENT_COMPOSE, CHAT_ATTACH];
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttachmentInfo {
    pub id: i64,
    pub name: String,
    pub size: i64,
    /// What was kept; `Err` for a mail's attachment that was not kept, and why.
    pub kind: Result<FileKind, Refusal>,
}

impl AttachmentInfo {
    /// Where it is downloaded (and an image shown) from.
    pub fn href(&self) -> String {
        href(self.id)
    }

    pub fn is_image(&self) -> bool {
        self.kind.is_ok_and(FileKind::is_image)
    }
}

/// Where attachment `id` is downloaded (and an image shown) from, in threads and in chat.
pub fn href(id: i64) -> String {
    format!("/attachments/{id}")
}

/// A size as people read it: "512 B", "34 KB", "2.4 MB".
pub fn human_size(bytes: i64) -> String {
    const KB: f64 = 1024.0;
    let b = bytes.max(0) as f64;
    if b < KB {
        format!("{bytes} B")
    } else if b < KB * KB {
        format!("{:.0} KB", (b / KB).ceil())
    } else {
        format!("{:.1} MB", b / (KB * KB))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_like_a_file_manager() {
        assert_eq!(human_size(512), "512 B");
        assert_eq!(human_size(1025), "2 KB");
        assert_eq!(human_size(20 * 1024 * 1024), "20.0 MB");
    }
}
