//! Where an order stands: placed, paid, shipped, delivered, or cancelled / returned.

stored_words! {
    pub enum OrderStatus {
        Placed = "placed",
        Paid = "paid",
        Shipped = "shipped",
        Delivered = "delivered",
        Cancelled = "cancelled",
        Returned = "returned",
    }
}
