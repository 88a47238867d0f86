//! Types more than one feature uses, compiled for the server and the browser: the states records
//! move through, as enums (stored and sent as the snake_case words of DESIGN 2), so a new state
//! is a compile error wherever it is not handled, labels included.

pub mod chat;
pub mod grade;
pub mod history;
pub mod inquiry;
pub mod inquiry_status;
pub mod options;
pub mod page;
pub mod order_status;
pub mod presence;
pub mod user;
pub mod voc;

pub use grade::Grade;
pub use inquiry_status::InquiryStatus;
pub use options::{GroupOption, TypeOption};
pub use order_status::OrderStatus;
pub use page::Page;
pub use presence::Presence;
pub use user::CurrentUser;
pub use voc::VocCategory;
