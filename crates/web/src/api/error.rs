//! The API's error answer — `{"error": code, "message": vi, "message_en": en, "field": …}` —
//! and the JSON body extractor whose failures answer in that shape too.
//!
//! Statuses: 400 malformed JSON, 401 no valid token or session, 403 allowed to see but not to
//! change, 404 not found or outside the caller's subtrees, 409 changed by someone else (stale
//! `version`) or conflicting, 422 a value or a registry rule refused (with the field).

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use daihoi_store::StoreError;
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::{AppError, Lang};

/// An error answered by the API.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    /// HTTP status.
    pub status: StatusCode,
    /// Stable code: `not_found`, `forbidden`, `stale`, … or the registry rule's own code.
    pub code: String,
    /// Vietnamese message.
    pub message: String,
    /// English message.
    pub message_en: String,
    /// The request field concerned, when there is one.
    pub field: Option<String>,
}

#[derive(Serialize)]
struct Body<'a> {
    error: &'a str,
    message: &'a str,
    message_en: &'a str,
    field: Option<&'a str>,
}

impl ApiError {
    /// A 422 about one field.
    pub fn invalid(field: &str, vi: impl Into<String>, en: impl Into<String>) -> ApiError {
        ApiError {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            code: "invalid".into(),
            message: vi.into(),
            message_en: en.into(),
            field: Some(field.to_string()),
        }
    }

    /// A 422 for a value that is not a date.
    pub fn bad_date(field: &str) -> ApiError {
        ApiError::invalid(
            field,
            format!("“{field}” phải là ngày dạng YYYY-MM-DD."),
            format!("“{field}” must be a date written YYYY-MM-DD."),
        )
    }

    /// A 422 for a code outside its list.
    pub fn bad_code(field: &str, allowed: &[&str]) -> ApiError {
        let list = allowed.join(", ");
        ApiError::invalid(
            field,
            format!("“{field}” phải là một trong: {list}."),
            format!("“{field}” must be one of: {list}."),
        )
    }
}

impl From<AppError> for ApiError {
    fn from(error: AppError) -> ApiError {
        if let AppError::Internal(details) = &error {
            tracing::error!(%details, "internal error");
        }
        let status = error.status();
        ApiError {
            status,
            code: crate::error::code(&error).to_string(),
            message: error.message(Lang::Vi),
            message_en: error.message(Lang::En),
            field: None,
        }
    }
}

impl From<StoreError> for ApiError {
    fn from(error: StoreError) -> ApiError {
        match error {
            StoreError::Rule { code, field, message_vi, message_en } => ApiError {
                status: StatusCode::UNPROCESSABLE_ENTITY,
                code: code.to_string(),
                message: message_vi,
                message_en,
                field: Some(field.to_string()),
            },
            StoreError::Stale => ApiError {
                status: StatusCode::CONFLICT,
                code: "stale".into(),
                message: "Bản ghi đã được người khác thay đổi: hãy đọc lại để lấy version mới."
                    .into(),
                message_en:
                    "The record was changed by someone else: read it again for the new version."
                        .into(),
                field: Some("version".into()),
            },
            other => ApiError::from(AppError::from(other)),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = Body {
            error: &self.code,
            message: &self.message,
            message_en: &self.message_en,
            field: self.field.as_deref(),
        };
        (self.status, axum::Json(body)).into_response()
    }
}

/// A JSON request body; a body that is not the expected JSON answers 400 in the API's shape,
/// naming the line and column.
#[derive(Debug)]
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, ApiError> {
        let bytes = Bytes::from_request(request, state).await.map_err(|_| ApiError {
            status: StatusCode::BAD_REQUEST,
            code: "bad_body".into(),
            message: "Không đọc được nội dung yêu cầu.".into(),
            message_en: "The request body could not be read.".into(),
            field: None,
        })?;
        serde_json::from_slice(&bytes).map(ApiJson).map_err(|error| ApiError {
            status: StatusCode::BAD_REQUEST,
            code: "bad_json".into(),
            message: format!("Nội dung JSON không hợp lệ: {error}"),
            message_en: format!("The JSON body is not valid: {error}"),
            field: None,
        })
    }
}
