//! FAQ automation at run time: the live index the server matches inquiries against.

#[cfg(feature = "ssr")]
pub mod index;
#[cfg(feature = "ssr")]
pub mod mining;
#[cfg(feature = "ssr")]
pub mod semantic;
#[cfg(feature = "ssr")]
pub mod similar;
