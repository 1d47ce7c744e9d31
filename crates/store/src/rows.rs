//! Paging and small helpers for converting rows.

use serde::Serialize;
use time::Date;
use time::macros::format_description;

/// A page request: 1-based page number and page size.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Page {
    /// 1-based page number.
    pub number: u32,
    /// Rows per page (capped at 500).
    pub size: u32,
}

impl Page {
    /// Page `number` of `size` rows, clamped to sane values.
    pub fn new(number: u32, size: u32) -> Page {
        Page { number: number.max(1), size: size.clamp(1, 500) }
    }

    /// SQL OFFSET.
    pub fn offset(&self) -> i64 {
        i64::from(self.number - 1) * i64::from(self.size)
    }

    /// SQL LIMIT.
    pub fn limit(&self) -> i64 {
        i64::from(self.size)
    }
}

impl Default for Page {
    fn default() -> Page {
        Page::new(1, 50)
    }
}

/// One page of results and the total count.
#[derive(Debug, Clone, Serialize)]
pub struct Paged<T> {
    /// The rows of this page.
    pub items: Vec<T>,
    /// Rows in all pages.
    pub total: i64,
    /// 1-based page number.
    pub page: u32,
    /// Rows per page.
    pub page_size: u32,
}

impl<T> Paged<T> {
    /// Number of pages (at least 1).
    pub fn pages(&self) -> i64 {
        let size = i64::from(self.page_size.max(1));
        ((self.total + size - 1) / size).max(1)
    }
}

/// Formats a date as stored: `YYYY-MM-DD`.
pub(crate) fn date_text(date: Option<Date>) -> Option<String> {
    date.map(|date| date.format(format_description!("[year]-[month]-[day]")).unwrap_or_default())
}

/// Parses a stored date; a malformed value reads as absent rather than failing a whole page.
pub(crate) fn parse_date(text: Option<String>) -> Option<Date> {
    text.and_then(|text| Date::parse(&text, format_description!("[year]-[month]-[day]")).ok())
}
