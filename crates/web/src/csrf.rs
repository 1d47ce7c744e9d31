//! The guard in front of every request: it loads the session once, and refuses any
//! state-changing request that does not prove it comes from our own pages.
//!
//! A state-changing request (POST, PUT, PATCH, DELETE) passes only if
//! 1. it carries an API bearer token (scripts are not browsers; the token is the proof), or
//! 2. it is same-origin (`Sec-Fetch-Site`, `Origin` checked when the browser sends them) and
//!    carries the CSRF token: the session's token when logged in, the `daihoi_csrf` cookie's
//!    value when not (login form), in the `X-CSRF-Token` header (htmx, fetch), in the `_csrf`
//!    field of a url-encoded form, or in the `_csrf` query parameter (multipart uploads).

use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use daihoi_store::SessionInfo;

use crate::auth::SESSION_COOKIE;
use crate::i18n::cookie;
use crate::{AppState, Lang};

/// The cookie holding the CSRF token of a visitor who is not logged in.
pub const ANON_CSRF_COOKIE: &str = "daihoi_csrf";

/// The session of this request, if any, loaded once by the guard.
#[derive(Clone, Debug)]
pub struct LoadedSession(pub Option<SessionInfo>);

fn is_unsafe(method: &Method) -> bool {
    !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

fn same_origin(headers: &HeaderMap) -> bool {
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok())
        && !matches!(site, "same-origin" | "none")
    {
        return false;
    }
    if let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) {
        let host = headers.get(header::HOST).and_then(|v| v.to_str().ok()).unwrap_or("");
        let origin_host = origin.split_once("://").map(|(_, rest)| rest).unwrap_or(origin);
        if origin != "null" && origin_host != host {
            return false;
        }
    }
    true
}

fn form_field(body: &[u8], name: &str) -> Option<String> {
    form_urlencoded_pairs(body).find(|(key, _)| key == name).map(|(_, value)| value)
}

fn form_urlencoded_pairs(body: &[u8]) -> impl Iterator<Item = (String, String)> + '_ {
    body.split(|b| *b == b'&').filter_map(|pair| {
        let mut parts = pair.splitn(2, |b| *b == b'=');
        let key = decode(parts.next()?);
        let value = decode(parts.next().unwrap_or_default());
        Some((key, value))
    })
}

fn decode(bytes: &[u8]) -> String {
    let mut out = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        match bytes[index] {
            b'+' => out.push(b' '),
            b'%' if index + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[index + 1..index + 3]).ok();
                match hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                    Some(byte) => {
                        out.push(byte);
                        index += 2;
                    }
                    None => out.push(b'%'),
                }
            }
            byte => out.push(byte),
        }
        index += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn query_field(query: Option<&str>, name: &str) -> Option<String> {
    query.and_then(|query| form_field(query.as_bytes(), name))
}

/// Compares secrets in time independent of where they differ.
fn constant_time_eq(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

fn refuse(headers: &HeaderMap) -> Response {
    let lang = Lang::from_headers(headers);
    let message = lang.pick(
        "Biểu mẫu đã hết hạn hoặc không hợp lệ (thiếu mã bảo vệ CSRF). Hãy tải lại trang và gửi lại.",
        "The form has expired or is not valid (CSRF token missing). Reload the page and submit again.",
    );
    (StatusCode::FORBIDDEN, [(header::CONTENT_TYPE, "text/plain; charset=utf-8")], message)
        .into_response()
}

/// The middleware.
pub async fn guard(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let (mut parts, body) = request.into_parts();
    let session = match cookie(&parts.headers, SESSION_COOKIE) {
        Some(secret) if !secret.is_empty() => match state.store.session(&secret).await {
            Ok(session) => session,
            Err(error) => {
                tracing::error!(%error, "loading the session");
                return (StatusCode::SERVICE_UNAVAILABLE, "database unavailable").into_response();
            }
        },
        _ => None,
    };
    let bearer = parts
        .headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("Bearer "));
    let mut body = body;
    if is_unsafe(&parts.method) && !bearer {
        if !same_origin(&parts.headers) {
            return refuse(&parts.headers);
        }
        let expected = match &session {
            Some(session) => Some(session.csrf_token.clone()),
            None => cookie(&parts.headers, ANON_CSRF_COOKIE).filter(|v| v.len() >= 32),
        };
        let Some(expected) = expected else { return refuse(&parts.headers) };
        let mut presented = parts
            .headers
            .get("x-csrf-token")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
            .or_else(|| query_field(parts.uri.query(), "_csrf"));
        let content_type =
            parts.headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
        if presented.is_none() && content_type.starts_with("application/x-www-form-urlencoded") {
            let bytes = match to_bytes(body, state.config.max_body_bytes).await {
                Ok(bytes) => bytes,
                Err(_) => {
                    return (StatusCode::PAYLOAD_TOO_LARGE, "request too large").into_response();
                }
            };
            presented = form_field(&bytes, "_csrf");
            body = Body::from(bytes);
        }
        match presented {
            Some(token) if constant_time_eq(&token, &expected) => {}
            _ => return refuse(&parts.headers),
        }
    }
    parts.extensions.insert(LoadedSession(session));
    next.run(Request::from_parts(parts, body)).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn form_fields_are_decoded() {
        assert_eq!(form_field(b"a=1&_csrf=ab%2Bc&x=y+z", "_csrf").as_deref(), Some("ab+c"));
        assert_eq!(form_field(b"x=y+z", "x").as_deref(), Some("y z"));
        assert_eq!(form_field(b"name=H%C3%A0", "name").as_deref(), Some("Hà"));
        assert_eq!(form_field(b"a=%", "a").as_deref(), Some("%"));
        assert_eq!(form_field(b"a=%4", "a").as_deref(), Some("%4"));
        assert!(form_field(b"a=1", "_csrf").is_none());
    }

    #[test]
    fn cross_site_requests_are_not_same_origin() {
        let mut headers = HeaderMap::new();
        headers.insert(header::HOST, "127.0.0.1:8080".parse().unwrap());
        assert!(same_origin(&headers));
        headers.insert(header::ORIGIN, "http://127.0.0.1:8080".parse().unwrap());
        assert!(same_origin(&headers));
        headers.insert(header::ORIGIN, "http://evil.example".parse().unwrap());
        assert!(!same_origin(&headers));
        headers.remove(header::ORIGIN);
        headers.insert("sec-fetch-site", "cross-site".parse().unwrap());
        assert!(!same_origin(&headers));
        assert!(constant_time_eq("abc", "abc"));
        assert!(!constant_time_eq("abc", "abd"));
    }
}
