//! The customer's own pages. Every query is keyed by the signed-in customer, never by a
//! customer id taken from the request.

pub mod chat;
pub mod history;
pub mod inquiries;
pub mod my_page;
pub mod orders;
pub mod profile;
#[cfg(feature = "ssr")]
pub mod queries;

pub use my_page::{MyOverview, MyPage, OrderSummary};
