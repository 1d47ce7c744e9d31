//! The start page after login: the subtrees the user works on, and the health check.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use daihoi_core::access::Action;

use crate::AppState;
use crate::auth::CurrentUser;
use crate::pages::{render, respond};
use crate::routing::RouteList;

/// Routes of this module.
pub fn routes() -> RouteList {
    RouteList::new().get("/", home).get("/healthz", healthz)
}

async fn home(State(state): State<AppState>, user: CurrentUser, headers: HeaderMap) -> Response {
    let result = async {
        let ids: Vec<i64> = user.access.roots(Action::View).iter().map(|grant| grant.unit_id).collect();
        let mut units = state.store.units_by_ids(&ids).await?;
        units.sort_by(|a, b| a.depth.cmp(&b.depth).then(a.name.cmp(&b.name)));
        let roles: Vec<minijinja::Value> = user
            .access
            .grants()
            .iter()
            .map(|grant| {
                minijinja::context! {
                    role_vi => grant.role.label_vi(),
                    role_en => grant.role.label_en(),
                    unit_id => grant.unit_id,
                    unit_name => units.iter().find(|u| u.id == grant.unit_id).map(|u| u.name.clone()),
                }
            })
            .collect();
        let units: Vec<minijinja::Value> = units
            .iter()
            .map(|unit| {
                minijinja::context! {
                    id => unit.id,
                    name => unit.name.clone(),
                    kind_vi => unit.kind.label_vi(),
                    kind_en => unit.kind.label_en(),
                    sub_units => unit.sub_units,
                    sub_official => unit.sub_official,
                    sub_probationary => unit.sub_probationary,
                }
            })
            .collect();
        Ok(render(
            &state,
            &user,
            &headers,
            "home",
            "home.html",
            minijinja::context! { units => units, roles => roles },
        ))
    }
    .await;
    respond(&state, &user, &headers, result)
}

/// `GET /healthz`: 200 when the database answers, 503 when it does not.
async fn healthz(State(state): State<AppState>) -> Response {
    match state.store.ping().await {
        Ok(()) => (StatusCode::OK, "ok").into_response(),
        Err(error) => {
            tracing::error!(%error, "health check");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable").into_response()
        }
    }
}
