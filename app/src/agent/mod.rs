//! The agent console: queues of the agent's groups with "take next", and the workspace where an
//! inquiry is answered with the customer's 360° view and FAQ suggestions beside it.

pub mod chats;
pub mod customers;
#[cfg(feature = "ssr")]
pub mod queries;
pub mod queue;
pub mod replies;
pub mod workspace;

pub use chats::ChatDeskPage;
pub use customers::{CustomerRecordPage, CustomerSearchPage};
pub use queue::AgentHome;
pub use replies::SavedRepliesPage;
pub use workspace::AgentInquiryPage;

