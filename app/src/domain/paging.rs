//! Page arithmetic for lists (1-based pages).

pub const PER_PAGE: u32 = 20;

/// The page to show: at least 1, at most the last page (an empty list has one empty page).
pub fn clamp_page(requested: u32, total: i64, per_page: u32) -> u32 {
    requested.clamp(1, page_count(total, per_page))
}

pub fn page_count(total: i64, per_page: u32) -> u32 {
    let per = per_page.max(1) as i64;
    (((total.max(0) + per - 1) / per).max(1)).min(u32::MAX as i64) as u32
}

pub fn offset(page: u32, per_page: u32) -> i64 {
    (page.max(1) as i64 - 1) * per_page as i64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paging_table() {
        assert_eq!(page_count(0, 20), 1);
        assert_eq!(page_count(20, 20), 1);
        assert_eq!(page_count(21, 20), 2);
        assert_eq!(page_count(45, 20), 3);
        assert_eq!(clamp_page(0, 45, 20), 1);
        assert_eq!(clamp_page(9, 45, 20), 3);
        assert_eq!(offset(1, 20), 0);
        assert_eq!(offset(3, 20), 40);
    }
}
