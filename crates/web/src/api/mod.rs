//! The JSON API under `/api/v1/`, with its OpenAPI document at `/api/openapi.json`.
//!
//! Callers authenticate with a bearer token (`daihoi token create`) or the browser session
//! (then with the `X-CSRF-Token` header on changes). Scope rules are the pages' rules.

mod auth;
mod campaign;
mod elections;
pub(crate) mod error;
mod members;
mod units;

use crate::routing::RouteList;

pub use auth::ApiUser;

/// The OpenAPI document, kept beside the routes it describes (a test checks they agree).
pub const OPENAPI: &str = include_str!("openapi.json");

/// Routes of the API.
pub fn routes() -> RouteList {
    RouteList::new()
        .get("/openapi.json", openapi)
        .get("/v1/me", me)
        .merge(units::routes())
        .merge(members::routes())
        .merge(elections::routes())
        .merge(campaign::routes())
}

/// `GET /api/v1/me`: the caller and its grants.
async fn me(user: ApiUser) -> axum::Json<serde_json::Value> {
    axum::Json(serde_json::json!({
        "id": user.user.id,
        "username": user.user.username,
        "display_name": user.user.display_name,
        "grants": user.access.grants().iter().map(|grant| serde_json::json!({
            "role": grant.role.code(),
            "unit_id": grant.unit_id,
        })).collect::<Vec<_>>(),
    }))
}

async fn openapi() -> impl axum::response::IntoResponse {
    ([(axum::http::header::CONTENT_TYPE, "application/json")], OPENAPI)
}
