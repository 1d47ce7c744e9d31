//! `/search?q=`: units and members by name inside the user's subtrees, with Vietnamese-aware
//! matching ("ha" finds "Hà", "nguyen van a" finds "Nguyễn Văn An").

use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use daihoi_core::access::Action;
use daihoi_store::{MemberFilter, MemberSort, Page, Unit};
use minijinja::value::Serde;
use serde::{Deserialize, Serialize};

use super::listing::{QueryParams, page_number, pagination};
use super::members::MemberView;
use super::units::UnitView;
use super::{render, respond};
use crate::auth::CurrentUser;
use crate::routing::RouteList;
use crate::scope::Subtrees;
use crate::{AppError, AppState};

/// Units shown for a search (the search is meant to be narrowed, not paged through).
const UNIT_RESULTS: i64 = 20;
/// Members per page of results.
const MEMBER_RESULTS: u32 = 20;

/// Routes of this module.
pub fn routes() -> RouteList {
    RouteList::new().get("/search", search)
}

#[derive(Debug, Deserialize)]
struct SearchQuery {
    q: Option<String>,
    page: Option<String>,
}

#[derive(Debug, Serialize)]
struct UnitHit {
    unit: UnitView,
    parent_name: String,
}

#[derive(Debug, Serialize)]
struct MemberHit {
    member: MemberView,
    unit_name: String,
}

async fn search(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    Query(query): Query<SearchQuery>,
) -> Response {
    let result = async {
        let q = query.q.as_deref().unwrap_or("").trim().to_string();
        let page = Page::new(page_number(query.page.as_deref()), MEMBER_RESULTS);
        let mut unit_hits = Vec::new();
        let mut member_hits = Vec::new();
        let mut member_total = 0;
        let mut pager = pagination(0, 1, MEMBER_RESULTS, 0, "/search", &QueryParams::new());
        if let (false, Some(subtrees)) = (q.is_empty(), Subtrees::of(&user.access, Action::View)) {
            let units = state.store.search_units(&q, subtrees.paths(), true, UNIT_RESULTS).await?;
            let members = state
                .store
                .members(
                    &MemberFilter {
                        subtree_paths: subtrees.paths().to_vec(),
                        query: Some(q.clone()),
                        ..MemberFilter::default()
                    },
                    MemberSort::Name,
                    false,
                    page,
                )
                .await?;
            // Parents of the units found and units of the members found, in one query.
            let mut ids: Vec<i64> = units.iter().filter_map(|unit| unit.parent_id).collect();
            ids.extend(members.items.iter().map(|member| member.unit_id));
            ids.sort_unstable();
            ids.dedup();
            // A parent outside the user's subtrees stays unnamed, as in breadcrumbs.
            let related: Vec<Unit> = state
                .store
                .units_by_ids(&ids)
                .await?
                .into_iter()
                .filter(|unit| user.access.can(Action::View, &unit.path))
                .collect();
            let name_of = |id: Option<i64>| -> String {
                id.and_then(|id| related.iter().find(|unit: &&Unit| unit.id == id))
                    .map(|unit| unit.name.clone())
                    .unwrap_or_default()
            };
            unit_hits = units
                .iter()
                .map(|unit| UnitHit {
                    unit: UnitView::of(unit),
                    parent_name: name_of(unit.parent_id),
                })
                .collect();
            let today = daihoi_store::today();
            member_hits = members
                .items
                .iter()
                .map(|member| MemberHit {
                    member: MemberView::of(member, user.lang, today),
                    unit_name: name_of(Some(member.unit_id)),
                })
                .collect();
            member_total = members.total;
            let params =
                QueryParams::new().with("q", q.clone()).with("page", members.page.to_string());
            pager = pagination(
                members.total,
                members.page,
                members.page_size,
                members.items.len(),
                "/search",
                &params,
            );
        }
        Ok::<_, AppError>(render(
            &state,
            &user,
            &headers,
            "search",
            "search.html",
            minijinja::context! {
                q => q,
                units => Serde(unit_hits),
                unit_limit => UNIT_RESULTS,
                members => Serde(member_hits),
                member_total => member_total,
                pagination => Serde(pager),
            },
        ))
    }
    .await;
    respond(&state, &user, &headers, result)
}
