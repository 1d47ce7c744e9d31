//! The one error type of the HTTP edge: each variant maps to a status, pages get an HTML page,
//! htmx requests a fragment, the API a JSON body. Internal errors are logged, never shown.

use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use daihoi_store::StoreError;
use serde::Serialize;

use crate::Lang;

/// An error while answering a request.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// Not logged in: pages redirect to the login form, the API answers 401.
    #[error("not logged in")]
    Unauthenticated {
        /// Where to come back to after logging in.
        next: String,
    },
    /// Logged in but not allowed. Used only where the record's existence is not a secret;
    /// records outside the user's subtree answer [`AppError::NotFound`].
    #[error("forbidden")]
    Forbidden,
    /// No such page or record (or not visible to this user).
    #[error("not found")]
    NotFound,
    /// The request is malformed; the message says what and where, in both languages.
    #[error("{en}")]
    BadRequest {
        /// Vietnamese message.
        vi: String,
        /// English message.
        en: String,
    },
    /// The record changed since the user read it.
    #[error("conflict")]
    Conflict {
        /// Vietnamese message.
        vi: String,
        /// English message.
        en: String,
    },
    /// The record is locked and cannot change.
    #[error("locked")]
    Locked(String),
    /// Too many attempts.
    #[error("too many requests")]
    TooManyRequests,
    /// Anything else: logged with details, shown as a generic message.
    #[error("internal error: {0}")]
    Internal(String),
}

impl AppError {
    /// A bad request with messages in both languages.
    pub fn bad_request(vi: impl Into<String>, en: impl Into<String>) -> AppError {
        AppError::BadRequest { vi: vi.into(), en: en.into() }
    }

    /// The HTTP status of this error.
    pub(crate) fn status(&self) -> StatusCode {
        match self {
            AppError::Unauthenticated { .. } => StatusCode::UNAUTHORIZED,
            AppError::Forbidden => StatusCode::FORBIDDEN,
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::BadRequest { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::Conflict { .. } => StatusCode::CONFLICT,
            AppError::Locked(_) => StatusCode::CONFLICT,
            AppError::TooManyRequests => StatusCode::TOO_MANY_REQUESTS,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The message for the user in their language.
    pub fn message(&self, lang: Lang) -> String {
        let (vi, en): (&str, &str) = match self {
            AppError::Unauthenticated { .. } => {
                ("Vui lòng đăng nhập để tiếp tục.", "Please log in to continue.")
            }
            AppError::Forbidden => {
                ("Bạn không có quyền thực hiện việc này.", "You are not allowed to do this.")
            }
            AppError::NotFound => (
                "Không tìm thấy trang hoặc bạn không có quyền xem nội dung này.",
                "Not found, or you may not see it.",
            ),
            AppError::BadRequest { vi, en } | AppError::Conflict { vi, en } => {
                return lang.pick(vi, en).to_string();
            }
            AppError::Locked(_) => (
                "Vòng bầu đã được khóa sau khi Ban kiểm phiếu ký biên bản; không thể thay đổi.",
                "This round is locked after the counting committee signed off; it cannot change.",
            ),
            AppError::TooManyRequests => (
                "Quá nhiều lần thử. Vui lòng đợi 15 phút rồi thử lại.",
                "Too many attempts. Wait 15 minutes and try again.",
            ),
            AppError::Internal(_) => (
                "Đã có lỗi hệ thống; thao tác chưa được thực hiện. Vui lòng thử lại hoặc báo quản trị.",
                "Something went wrong on our side; nothing was changed. Try again or tell the administrator.",
            ),
        };
        lang.pick(vi, en).to_string()
    }
}

impl From<StoreError> for AppError {
    fn from(error: StoreError) -> AppError {
        match error {
            StoreError::NotFound => AppError::NotFound,
            StoreError::Rule { message_vi, message_en, .. } => {
                AppError::BadRequest { vi: message_vi, en: message_en }
            }
            StoreError::Stale => AppError::Conflict {
                vi: "Dữ liệu vừa được người khác thay đổi. Hãy tải lại trang và nhập lại.".into(),
                en: "Someone else changed this record. Reload the page and try again.".into(),
            },
            StoreError::Conflict { constraint } => AppError::Conflict {
                vi: format!("Trùng hoặc vi phạm ràng buộc dữ liệu ({constraint})."),
                en: format!("This conflicts with existing data ({constraint})."),
            },
            StoreError::Locked(message) => AppError::Locked(message),
            other => AppError::Internal(other.to_string()),
        }
    }
}

impl From<minijinja::Error> for AppError {
    fn from(error: minijinja::Error) -> AppError {
        AppError::Internal(format!("template: {error:#}"))
    }
}

#[derive(Serialize)]
struct ErrorBody<'a> {
    error: &'a str,
    message: String,
    message_en: String,
    field: Option<&'a str>,
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        // The language and response kind are not known here; `respond` in pages does better.
        // This path serves the API and anything that fails before a page context exists.
        if let AppError::Internal(details) = &self {
            tracing::error!(%details, "internal error");
        }
        let status = self.status();
        let body = ErrorBody {
            error: code(&self),
            message: self.message(Lang::Vi),
            message_en: self.message(Lang::En),
            field: None,
        };
        (status, axum::Json(body)).into_response()
    }
}

/// Stable error codes for the API.
pub fn code(error: &AppError) -> &'static str {
    match error {
        AppError::Unauthenticated { .. } => "unauthenticated",
        AppError::Forbidden => "forbidden",
        AppError::NotFound => "not_found",
        AppError::BadRequest { .. } => "bad_request",
        AppError::Conflict { .. } => "conflict",
        AppError::Locked(_) => "locked",
        AppError::TooManyRequests => "too_many_requests",
        AppError::Internal(_) => "internal",
    }
}

/// Renders an error for a page request: login redirect, an HTML page, or an htmx fragment.
pub fn page_error(
    error: AppError,
    lang: Lang,
    headers: &HeaderMap,
    templates: &crate::Templates,
) -> Response {
    if let AppError::Internal(details) = &error {
        tracing::error!(%details, "internal error");
    }
    if let AppError::Unauthenticated { next } = &error {
        let target = format!("/login?next={}", urlencode(next));
        if headers.contains_key("hx-request") {
            return (StatusCode::UNAUTHORIZED, [("HX-Redirect", target)]).into_response();
        }
        return Redirect::to(&target).into_response();
    }
    let status = error.status();
    let message = error.message(lang);
    let htmx = headers.contains_key("hx-request");
    let template = if htmx { "partials/error.html" } else { "error.html" };
    // The layout needs the page context even without a user: an empty one (no menu).
    let context = minijinja::context! {
        lang => lang.code(),
        status => status.as_u16(),
        message => message.clone(),
        csrf => "",
        section => "",
        user => (),
        can => minijinja::context! {},
    };
    match templates.render(template, context) {
        Ok(html) => {
            (status, [(header::CONTENT_TYPE, "text/html; charset=utf-8")], html).into_response()
        }
        Err(_) => (status, message).into_response(),
    }
}

/// Percent-encodes a path for a query string.
pub fn urlencode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                out.push(byte as char)
            }
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

/// The fallback for unknown routes.
pub async fn not_found(
    axum::extract::State(state): axum::extract::State<crate::AppState>,
    headers: HeaderMap,
    uri: axum::http::Uri,
) -> Response {
    if uri.path().starts_with("/api/") {
        return AppError::NotFound.into_response();
    }
    let lang = Lang::from_headers(&headers);
    page_error(AppError::NotFound, lang, &headers, &state.templates)
}
