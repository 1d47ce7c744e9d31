//! `/api/v1/campaigns/…` and `/api/v1/documents/…`: the campaign area for scripts and the
//! upper level's tools — campaigns, a unit's plan and status, the dashboard figures of a
//! subtree, its problems, and the document register. Read-only; the same scope rules as the
//! pages: a unit outside the caller's subtrees does not exist.

use axum::Json;
use axum::extract::{Path, Query, State};
use daihoi_core::access::Action;
use daihoi_core::campaign::{Level, Status};
use daihoi_store::Unit;
use daihoi_store::campaign::{Campaign, Plan};
use daihoi_store::documents::{Document, DocumentFilter};
use serde::{Deserialize, Serialize};
use time::Date;

use super::ApiUser;
use super::error::ApiError;
use super::units::{PageOut, date_param, iso, page_params};
use crate::pages::campaign::calendar;
use crate::routing::RouteList;
use crate::scope::{Subtrees, require};
use crate::{AppError, AppState};

/// Routes of this module.
pub fn routes() -> RouteList {
    RouteList::new()
        .get("/v1/campaigns", list)
        .get("/v1/campaigns/{id}", get_campaign)
        .get("/v1/campaigns/{id}/dashboard", dashboard)
        .get("/v1/campaigns/{id}/problems", problems)
        .get("/v1/campaigns/{id}/plans/{unit}", plan)
        .get("/v1/documents", documents)
        .get("/v1/documents/{id}", document)
}

#[derive(Debug, Serialize)]
struct LevelOut {
    level: &'static str,
    window_start: Option<String>,
    window_end: Option<String>,
    deadline: Option<String>,
    max_days: Option<u32>,
}

#[derive(Debug, Serialize)]
struct CampaignOut {
    id: i64,
    name: String,
    term_start: i64,
    term_end: i64,
    directive: String,
    guidance: String,
    root_unit_id: i64,
    statuses_on: Option<String>,
    levels: Vec<LevelOut>,
}

impl CampaignOut {
    fn of(campaign: &Campaign) -> CampaignOut {
        CampaignOut {
            id: campaign.id,
            name: campaign.name.clone(),
            term_start: campaign.term_start,
            term_end: campaign.term_end,
            directive: campaign.directive.clone(),
            guidance: campaign.guidance.clone(),
            root_unit_id: campaign.root_unit_id,
            statuses_on: iso(campaign.statuses_on),
            levels: campaign
                .levels
                .iter()
                .map(|rule| LevelOut {
                    level: rule.level.code(),
                    window_start: iso(rule.window_start),
                    window_end: iso(rule.window_end),
                    deadline: iso(rule.deadline),
                    max_days: rule.max_days,
                })
                .collect(),
        }
    }
}

#[derive(Debug, Serialize)]
struct PlanOut {
    unit_id: i64,
    unit_name: String,
    level: &'static str,
    members: i64,
    starts_on: Option<String>,
    ends_on: Option<String>,
    notice_on: Option<String>,
    kind: &'static str,
    pilot: bool,
    delegates_up: i64,
    status: &'static str,
    congress_id: Option<i64>,
    held_start: Option<String>,
    held_end: Option<String>,
}

impl PlanOut {
    fn of(plan: &Plan) -> PlanOut {
        PlanOut {
            unit_id: plan.unit_id,
            unit_name: plan.unit_name.clone(),
            level: plan.level.code(),
            members: plan.members,
            starts_on: iso(plan.starts_on),
            ends_on: iso(plan.ends_on),
            notice_on: iso(plan.notice_on),
            kind: plan.kind.code(),
            pilot: plan.pilot,
            delegates_up: plan.delegates_up,
            status: plan.status.code(),
            congress_id: plan.congress_id,
            held_start: iso(plan.held_start),
            held_end: iso(plan.held_end),
        }
    }
}

#[derive(Debug, Deserialize, Default)]
struct FocusParams {
    unit: Option<String>,
    on: Option<String>,
    page: Option<String>,
    page_size: Option<String>,
}

/// The campaign, the unit of the subtree asked for (the caller's highest unit in the campaign
/// by default) and the day statuses are judged on.
async fn focus(
    state: &AppState,
    user: &ApiUser,
    id: i64,
    params: &FocusParams,
) -> Result<(Campaign, Unit, Date), ApiError> {
    let campaign = state.store.campaign(id).await?;
    let unit_id = match params.unit.as_deref().map(str::trim).filter(|u| !u.is_empty()) {
        Some(text) => text.parse::<i64>().map_err(|_| {
            ApiError::invalid("unit", "“unit” phải là mã đơn vị.", "“unit” must be a unit id.")
        })?,
        None if user.access.can(Action::View, &campaign.root_path) => campaign.root_unit_id,
        None => user
            .access
            .roots(Action::View)
            .into_iter()
            .find(|grant| grant.unit_path.starts_with(&campaign.root_path))
            .map(|grant| grant.unit_id)
            .ok_or(AppError::NotFound)?,
    };
    let unit = state.store.unit(unit_id).await?;
    if !unit.path.starts_with(&campaign.root_path) {
        return Err(AppError::NotFound.into());
    }
    require(&user.access, Action::View, &unit.path)?;
    let on = date_param("on", params.on.as_deref())?
        .or(campaign.statuses_on)
        .unwrap_or_else(daihoi_store::today);
    Ok((campaign, unit, on))
}

/// `GET /api/v1/campaigns`: the campaigns that concern the caller's subtrees.
async fn list(
    State(state): State<AppState>,
    user: ApiUser,
) -> Result<Json<Vec<CampaignOut>>, ApiError> {
    let paths: Vec<String> = match Subtrees::of(&user.access, Action::View) {
        None => return Ok(Json(Vec::new())),
        Some(subtrees) => subtrees.paths().to_vec(),
    };
    let campaigns = state.store.campaigns(&paths).await?;
    Ok(Json(campaigns.iter().map(CampaignOut::of).collect()))
}

/// `GET /api/v1/campaigns/{id}`.
async fn get_campaign(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<i64>,
) -> Result<Json<CampaignOut>, ApiError> {
    let (campaign, _, _) = focus(&state, &user, id, &FocusParams::default()).await?;
    Ok(Json(CampaignOut::of(&campaign)))
}

#[derive(Debug, Serialize)]
struct LevelFigures {
    level: &'static str,
    units: i64,
    by_status: std::collections::BTreeMap<&'static str, i64>,
    held_after_deadline: i64,
    pilots_held: i64,
}

#[derive(Debug, Serialize)]
struct ChildFigures {
    unit_id: i64,
    name: String,
    units: i64,
    held: i64,
    by_status: std::collections::BTreeMap<&'static str, i64>,
}

#[derive(Debug, Serialize)]
struct Dashboard {
    campaign_id: i64,
    unit_id: i64,
    unit_name: String,
    on: String,
    units: i64,
    by_status: std::collections::BTreeMap<&'static str, i64>,
    levels: Vec<LevelFigures>,
    children: Vec<ChildFigures>,
    units_with_problems: i64,
    late_units: i64,
}

/// `GET /api/v1/campaigns/{id}/dashboard?unit=&on=`: the figures of the dashboard page.
async fn dashboard(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<i64>,
    Query(params): Query<FocusParams>,
) -> Result<Json<Dashboard>, ApiError> {
    let (campaign, unit, on) = focus(&state, &user, id, &params).await?;
    let rollup = state.store.campaign_rollup(campaign.id, &unit.path).await?;
    let mut by_status = std::collections::BTreeMap::new();
    for status in Status::ALL {
        by_status.insert(status.code(), rollup.with_status(status));
    }
    let levels = Level::ALL
        .into_iter()
        .filter(|level| rollup.total(*level) > 0)
        .map(|level| LevelFigures {
            level: level.code(),
            units: rollup.total(level),
            by_status: Status::ALL
                .into_iter()
                .map(|status| {
                    (status.code(), rollup.counts.get(&(level, status)).copied().unwrap_or(0))
                })
                .filter(|(_, n)| *n > 0)
                .collect(),
            held_after_deadline: rollup.held_late.get(&level).copied().unwrap_or(0),
            pilots_held: rollup.pilots_held.get(&level).copied().unwrap_or(0),
        })
        .collect();
    let children = state
        .store
        .campaign_children(campaign.id, unit.id)
        .await?
        .into_iter()
        .map(|child| ChildFigures {
            unit_id: child.unit_id,
            name: child.name,
            units: child.counts.values().sum(),
            held: child.counts.iter().filter(|(s, _)| s.is_held()).map(|(_, n)| n).sum(),
            by_status: child.counts.iter().map(|(s, n)| (s.code(), *n)).collect(),
        })
        .collect();
    let counts = state.store.campaign_problem_counts(&campaign, calendar(), &unit.path, on).await?;
    Ok(Json(Dashboard {
        campaign_id: campaign.id,
        unit_id: unit.id,
        unit_name: unit.name.clone(),
        on: iso(Some(on)).unwrap_or_default(),
        units: by_status.values().sum(),
        by_status,
        levels,
        children,
        units_with_problems: counts.units,
        late_units: counts.late,
    }))
}

#[derive(Debug, Serialize)]
struct ProblemOut {
    unit_id: i64,
    unit_name: String,
    level: &'static str,
    status: &'static str,
    problem: &'static str,
    severity: &'static str,
    due: Option<String>,
    other_unit_id: Option<i64>,
    other_unit_name: Option<String>,
}

#[derive(Debug, Serialize)]
struct ProblemsPage {
    on: String,
    page: u32,
    page_size: u32,
    items: Vec<ProblemOut>,
    more: bool,
}

/// `GET /api/v1/campaigns/{id}/problems?unit=&on=&page=&page_size=`: the problems of a
/// subtree in tree order, a page at a time.
async fn problems(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<i64>,
    Query(params): Query<FocusParams>,
) -> Result<Json<ProblemsPage>, ApiError> {
    let (campaign, unit, on) = focus(&state, &user, id, &params).await?;
    let page = page_params(params.page.as_deref(), params.page_size.as_deref())?;
    let offset = i64::from(page.number.saturating_sub(1)) * i64::from(page.size);
    // One row more than the page tells whether another page follows.
    let mut rows = state
        .store
        .campaign_problems(
            &campaign,
            calendar(),
            &unit.path,
            on,
            false,
            offset,
            i64::from(page.size) + 1,
        )
        .await?;
    let more = rows.len() > page.size as usize;
    rows.truncate(page.size as usize);
    let items = rows
        .iter()
        .map(|row| ProblemOut {
            unit_id: row.plan.unit_id,
            unit_name: row.plan.unit_name.clone(),
            level: row.plan.level.code(),
            status: row.plan.status.code(),
            problem: row.problem.kind.code(),
            severity: match row.problem.kind.severity() {
                daihoi_core::campaign::Severity::Late => "late",
                daihoi_core::campaign::Severity::AtRisk => "at_risk",
            },
            due: iso(row.problem.due),
            other_unit_id: row.problem.other_unit,
            other_unit_name: row.other_name.clone(),
        })
        .collect();
    Ok(Json(ProblemsPage {
        on: iso(Some(on)).unwrap_or_default(),
        page: page.number,
        page_size: page.size,
        items,
        more,
    }))
}

/// `GET /api/v1/campaigns/{id}/plans/{unit}`: a unit's planned congress and its status.
async fn plan(
    State(state): State<AppState>,
    user: ApiUser,
    Path((id, unit_id)): Path<(i64, i64)>,
) -> Result<Json<PlanOut>, ApiError> {
    let params = FocusParams { unit: Some(unit_id.to_string()), ..FocusParams::default() };
    let (campaign, unit, _) = focus(&state, &user, id, &params).await?;
    let plan = state.store.plan_of_unit(campaign.id, unit.id).await?;
    Ok(Json(PlanOut::of(&plan)))
}

#[derive(Debug, Serialize)]
struct DocumentOut {
    id: i64,
    unit_id: i64,
    symbol: String,
    doc_type: String,
    number: i64,
    issued_on: Option<String>,
    issuer_name: String,
    origin: &'static str,
    summary: String,
    signer: Option<String>,
    congress_id: Option<i64>,
    note: Option<String>,
}

impl DocumentOut {
    fn of(document: &Document) -> DocumentOut {
        DocumentOut {
            id: document.id,
            unit_id: document.unit_id,
            symbol: document.symbol.clone(),
            doc_type: document.doc_type.clone(),
            number: document.number,
            issued_on: iso(Some(document.issued_on)),
            issuer_name: document.issuer_name.clone(),
            origin: document.origin.code(),
            summary: document.summary.clone(),
            signer: document.signer.clone(),
            congress_id: document.congress_id,
            note: document.note.clone(),
        }
    }
}

#[derive(Debug, Deserialize, Default)]
struct DocumentParams {
    q: Option<String>,
    year: Option<String>,
    page: Option<String>,
    page_size: Option<String>,
}

/// `GET /api/v1/documents?q=&year=&page=`: the registers of the caller's subtrees, newest first.
async fn documents(
    State(state): State<AppState>,
    user: ApiUser,
    Query(params): Query<DocumentParams>,
) -> Result<Json<PageOut<DocumentOut>>, ApiError> {
    let page = page_params(params.page.as_deref(), params.page_size.as_deref())?;
    let year = match params.year.as_deref().map(str::trim).filter(|y| !y.is_empty()) {
        Some(text) => {
            Some(text.parse::<i32>().ok().filter(|y| (1930..=2200).contains(y)).ok_or_else(
                || ApiError::invalid("year", "“year” phải là một năm.", "“year” must be a year."),
            )?)
        }
        None => None,
    };
    let Some(subtrees) = Subtrees::of(&user.access, Action::View) else {
        let empty: daihoi_store::Paged<Document> = daihoi_store::Paged {
            items: Vec::new(),
            total: 0,
            page: page.number,
            page_size: page.size,
        };
        return Ok(Json(PageOut::of(&empty, DocumentOut::of)));
    };
    let filter = DocumentFilter {
        subtree_paths: subtrees.paths().to_vec(),
        query: params.q.as_deref().map(str::trim).filter(|q| !q.is_empty()).map(str::to_string),
        year,
        ..DocumentFilter::default()
    };
    let found = state.store.documents(&filter, page).await?;
    Ok(Json(PageOut::of(&found, DocumentOut::of)))
}

#[derive(Debug, Serialize)]
struct DocumentDetail {
    #[serde(flatten)]
    document: DocumentOut,
    links: Vec<LinkOut>,
    attachments: Vec<AttachmentOut>,
}

#[derive(Debug, Serialize)]
struct LinkOut {
    kind: &'static str,
    outgoing: bool,
    document_id: i64,
    symbol: String,
}

#[derive(Debug, Serialize)]
struct AttachmentOut {
    id: i64,
    file_name: String,
    content_type: String,
    size_bytes: i64,
    sha256: String,
}

/// `GET /api/v1/documents/{id}`: one document with its links (to documents the caller may
/// see) and its attachments' metadata (the files at `/attachments/{id}`).
async fn document(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<i64>,
) -> Result<Json<DocumentDetail>, ApiError> {
    let document = state.store.document(id).await?;
    require(&user.access, Action::View, &document.unit_path)?;
    let links = state
        .store
        .links(id)
        .await?
        .into_iter()
        .filter(|link| user.access.can(Action::View, &link.other.unit_path))
        .map(|link| LinkOut {
            kind: link.kind.code(),
            outgoing: link.outgoing,
            document_id: link.other.id,
            symbol: link.other.symbol,
        })
        .collect();
    let attachments = state
        .store
        .attachments(id)
        .await?
        .into_iter()
        .map(|a| AttachmentOut {
            id: a.id,
            file_name: a.file_name,
            content_type: a.content_type,
            size_bytes: a.size_bytes,
            sha256: a.sha256,
        })
        .collect();
    Ok(Json(DocumentDetail { document: DocumentOut::of(&document), links, attachments }))
}
