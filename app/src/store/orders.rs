//! Orders as their customer sees them. Every query is keyed by the customer id, so another
//! customer's order number simply is not found.

use super::Db;
use crate::error::AppError;

/// The order's internal id if it belongs to this customer.
pub async fn id_for_customer(db: &Db, customer_id: i64, order_no: &str) -> Result<i64, AppError> {
    sqlx::query_scalar("SELECT id FROM orders WHERE customer_id = $1 AND order_no = $2")
        .bind(customer_id)
        .bind(order_no)
        .fetch_optional(db)
        .await?
        .ok_or(AppError::NotFound)
}

