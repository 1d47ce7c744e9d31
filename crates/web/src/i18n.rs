//! Vietnamese first, English on request: the language of a request and the pick between the
//! two texts every message carries.

use axum::http::HeaderMap;
use axum::http::header::COOKIE;

/// The language a page is rendered in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    /// Tiếng Việt (the default).
    #[default]
    Vi,
    /// English.
    En,
}

/// The cookie that remembers the language switch.
pub const LANG_COOKIE: &str = "daihoi_lang";

impl Lang {
    /// `vi` or `en`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Vi => "vi",
            Lang::En => "en",
        }
    }

    /// Parses `vi` / `en`; anything else is Vietnamese.
    pub fn parse(text: &str) -> Lang {
        if text.trim().eq_ignore_ascii_case("en") { Lang::En } else { Lang::Vi }
    }

    /// The language chosen with the switch (a cookie), Vietnamese otherwise.
    pub fn from_headers(headers: &HeaderMap) -> Lang {
        cookie(headers, LANG_COOKIE).map(|value| Lang::parse(&value)).unwrap_or_default()
    }

    /// Picks the text for this language.
    pub fn pick<'a>(self, vi: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Vi => vi,
            Lang::En => en,
        }
    }
}

/// Reads one cookie from the request headers.
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookies_choose_the_language() {
        let mut headers = HeaderMap::new();
        assert_eq!(Lang::from_headers(&headers), Lang::Vi);
        headers.insert(COOKIE, "a=1; daihoi_lang=en; b=2".parse().unwrap());
        assert_eq!(Lang::from_headers(&headers), Lang::En);
        assert_eq!(Lang::En.pick("Đơn vị", "Units"), "Units");
    }
}
