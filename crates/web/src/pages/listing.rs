//! Paged, sorted tables: reading `page`, `sort` and `dir` leniently from the query string, and
//! building the links of sortable column headers and of the page list, filters kept.

use serde::Serialize;

use crate::error::urlencode;

/// A query string being built; empty values are left out.
#[derive(Debug, Clone, Default)]
pub struct QueryParams {
    pairs: Vec<(&'static str, String)>,
}

impl QueryParams {
    /// No parameter yet.
    pub fn new() -> QueryParams {
        QueryParams::default()
    }

    /// Adds a parameter (skipped when empty).
    pub fn with(mut self, key: &'static str, value: impl Into<String>) -> QueryParams {
        let value = value.into();
        if !value.is_empty() {
            self.pairs.push((key, value));
        }
        self
    }

    /// The parameters with one replaced (or removed when `value` is empty).
    pub fn set(&self, key: &'static str, value: impl Into<String>) -> QueryParams {
        let mut copy = self.clone();
        copy.pairs.retain(|(existing, _)| *existing != key);
        copy.with(key, value)
    }

    /// `base?k=v&…`, or `base` alone.
    pub fn href(&self, base: &str) -> String {
        if self.pairs.is_empty() {
            return base.to_string();
        }
        let query = self
            .pairs
            .iter()
            .map(|(key, value)| format!("{key}={}", urlencode(value)))
            .collect::<Vec<_>>()
            .join("&");
        format!("{base}?{query}")
    }
}

/// Reads a 1-based page number; anything else is page 1.
pub fn page_number(text: Option<&str>) -> u32 {
    text.and_then(|text| text.trim().parse::<u32>().ok()).filter(|n| *n >= 1).unwrap_or(1)
}

/// Whether `dir` asks for descending order.
pub fn descending(dir: Option<&str>) -> bool {
    dir == Some("desc")
}

/// A sortable column header.
#[derive(Debug, Clone, Serialize)]
pub struct SortHeader {
    /// The sort key (`name`, `members`, …).
    pub key: &'static str,
    /// The link that sorts by this column (reversing the order if it is the current one).
    pub href: String,
    /// `ascending`/`descending` on the current column, empty on the others.
    pub aria_sort: &'static str,
}

/// The headers of sortable columns. `params` holds the filters (and the current sort, which
/// is replaced); sorting goes back to page 1.
pub fn sort_headers(
    keys: &[&'static str],
    current: &str,
    desc: bool,
    base: &str,
    params: &QueryParams,
) -> Vec<SortHeader> {
    keys.iter()
        .map(|key| {
            let is_current = *key == current;
            let next_desc = is_current && !desc;
            let href = params
                .set("sort", *key)
                .set("dir", if next_desc { "desc" } else { "" })
                .set("page", "")
                .href(base);
            let aria_sort = match (is_current, desc) {
                (false, _) => "",
                (true, false) => "ascending",
                (true, true) => "descending",
            };
            SortHeader { key, href, aria_sort }
        })
        .collect()
}

/// One entry of the page list: a numbered link or a gap.
#[derive(Debug, Clone, Serialize)]
pub struct PageLink {
    /// Page number; 0 for a gap ("…").
    pub number: i64,
    /// Link to that page.
    pub href: String,
    /// Whether it is the page shown.
    pub current: bool,
}

/// The pagination block of a table.
#[derive(Debug, Clone, Serialize)]
pub struct Pagination {
    /// Rows in all pages.
    pub total: i64,
    /// Current page.
    pub page: i64,
    /// Number of pages.
    pub pages: i64,
    /// First row shown (1-based), 0 when there is none.
    pub first_row: i64,
    /// Last row shown.
    pub last_row: i64,
    /// Previous page link, empty on the first page.
    pub prev_href: String,
    /// Next page link, empty on the last page.
    pub next_href: String,
    /// Numbered links: first, last, and two either side of the current page.
    pub links: Vec<PageLink>,
}

/// The pagination of a page of `total` rows; `params` holds the filters and sort.
pub fn pagination(
    total: i64,
    page: u32,
    page_size: u32,
    n_rows: usize,
    base: &str,
    params: &QueryParams,
) -> Pagination {
    let size = i64::from(page_size.max(1));
    let pages = ((total + size - 1) / size).max(1);
    let page = i64::from(page);
    let link = |number: i64| {
        let value = if number == 1 { String::new() } else { number.to_string() };
        params.set("page", value).href(base)
    };
    let mut links = Vec::new();
    let mut last_added = 0;
    for number in 1..=pages {
        let near = (number - page).abs() <= 2;
        if number == 1 || number == pages || near {
            if number > last_added + 1 {
                links.push(PageLink { number: 0, href: String::new(), current: false });
            }
            links.push(PageLink { number, href: link(number), current: number == page });
            last_added = number;
        }
    }
    let first_row = if n_rows == 0 { 0 } else { (page - 1) * size + 1 };
    Pagination {
        total,
        page,
        pages,
        first_row,
        last_row: if n_rows == 0 { 0 } else { first_row + n_rows as i64 - 1 },
        prev_href: if page > 1 { link(page - 1) } else { String::new() },
        next_href: if page < pages { link(page + 1) } else { String::new() },
        links,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_links_keep_filters_and_skip_far_pages() {
        let params = QueryParams::new().with("q", "Hà Nội").with("sort", "name");
        let p = pagination(1000, 10, 20, 20, "/members", &params);
        assert_eq!(p.pages, 50);
        let numbers: Vec<i64> = p.links.iter().map(|l| l.number).collect();
        assert_eq!(numbers, vec![1, 0, 8, 9, 10, 11, 12, 0, 50]);
        assert_eq!(p.prev_href, "/members?q=H%C3%A0%20N%E1%BB%99i&sort=name&page=9");
        assert_eq!(p.links[0].href, "/members?q=H%C3%A0%20N%E1%BB%99i&sort=name");
        assert_eq!((p.first_row, p.last_row), (181, 200));
        let last = pagination(1000, 50, 20, 20, "/members", &params);
        assert_eq!(last.next_href, "");
    }

    #[test]
    fn sorting_the_current_column_reverses_it() {
        let params = QueryParams::new().with("sort", "name").with("page", "3");
        let headers = sort_headers(&["name", "members"], "name", false, "/units/5", &params);
        assert_eq!(headers[0].href, "/units/5?sort=name&dir=desc");
        assert_eq!(headers[0].aria_sort, "ascending");
        assert_eq!(headers[1].href, "/units/5?sort=members");
        assert_eq!(headers[1].aria_sort, "");
        assert_eq!(page_number(Some("x")), 1);
        assert_eq!(page_number(Some("0")), 1);
        assert_eq!(page_number(Some("4")), 4);
    }
}
