//! The agent console: queues of the agent's groups with "take next", and the workspace where an
//! inquiry is answered with the customer's 360° view and FAQ suggestions beside it.

pub mod chats;
pub mod customers;
pub mod queue;
pub mod workspace;

pub use chats::ChatDeskPage;
pub use customers::{CustomerRecordPage, CustomerSearchPage};
pub use queue::AgentHome;
pub use workspace::AgentInquiryPage;

#[cfg(feature = "ssr")]
pub(crate) async fn actor() -> Result<crate::db::workspace::Actor, crate::error::AppError> {
    let user = crate::auth::guard::require_area(crate::domain::roles::Area::Agent).await?;
    Ok(crate::db::workspace::Actor { user_id: user.id, is_admin: user.role == crate::domain::roles::Role::Admin })
}
