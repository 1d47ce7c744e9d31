//! `/api/v1/units…`: read a unit, its children and a name search; create, edit (with the
//! optimistic `version`), move and retire units. The wire structs here are the public shapes
//! documented in `openapi.json`; they are resolved into store commands in one place each.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use daihoi_core::access::Action;
use daihoi_core::unit::{Lineage, UnitFinding, UnitKind};
use daihoi_store::{NewUnit, Page, Paged, Unit, UnitEdit, UnitRef, UnitSort};
use serde::{Deserialize, Deserializer, Serialize};
use time::Date;

use super::ApiUser;
use super::error::{ApiError, ApiJson};
use crate::AppState;
use crate::pages::forms::date_value;
use crate::pages::units::registry_findings;
use crate::routing::RouteList;
use crate::scope::{Subtrees, require, unit_for};

/// Routes of this module (under `/api`).
pub fn routes() -> RouteList {
    RouteList::new()
        .get("/v1/units/search", search)
        .post("/v1/units", create)
        .get("/v1/units/{id}", get_unit)
        .patch("/v1/units/{id}", update)
        .get("/v1/units/{id}/children", children)
        .post("/v1/units/{id}/move", move_unit)
        .post("/v1/units/{id}/retire", retire)
}

/// A unit as the API returns it.
#[derive(Debug, Clone, Serialize)]
pub struct UnitOut {
    id: i64,
    parent_id: Option<i64>,
    path: String,
    depth: i64,
    name: String,
    kind: &'static str,
    kind_label: &'static str,
    kind_label_en: &'static str,
    issuer_abbrev: Option<String>,
    declared_official: i64,
    declared_probationary: i64,
    roster_size: i64,
    official: i64,
    probationary: i64,
    sub_units: i64,
    sub_official: i64,
    sub_probationary: i64,
    valid_from: Option<String>,
    valid_to: Option<String>,
    retired: bool,
    note: Option<String>,
    version: i64,
}

/// `YYYY-MM-DD`, or nothing.
pub fn iso(date: Option<Date>) -> Option<String> {
    date.map(|date| date_value(Some(date)))
}

impl UnitOut {
    /// The wire view of a unit.
    pub fn of(unit: &Unit) -> UnitOut {
        UnitOut {
            id: unit.id,
            parent_id: unit.parent_id,
            path: unit.path.clone(),
            depth: unit.depth,
            name: unit.name.clone(),
            kind: unit.kind.code(),
            kind_label: unit.kind.label_vi(),
            kind_label_en: unit.kind.label_en(),
            issuer_abbrev: unit.issuer_abbrev.clone(),
            declared_official: unit.declared_official,
            declared_probationary: unit.declared_probationary,
            roster_size: unit.roster_size,
            official: unit.official,
            probationary: unit.probationary,
            sub_units: unit.sub_units,
            sub_official: unit.sub_official,
            sub_probationary: unit.sub_probationary,
            valid_from: iso(unit.valid_from),
            valid_to: iso(unit.valid_to),
            retired: unit.retired,
            note: unit.note.clone(),
            version: unit.version,
        }
    }
}

/// A registry-rule finding that did not block the change.
#[derive(Debug, Clone, Serialize)]
struct WarningOut {
    code: &'static str,
    field: &'static str,
    message: String,
    message_en: String,
}

fn warnings(findings: Vec<UnitFinding>) -> Vec<WarningOut> {
    findings
        .into_iter()
        .map(|finding| WarningOut {
            code: finding.code,
            field: finding.field,
            message: finding.message_vi,
            message_en: finding.message_en,
        })
        .collect()
}

/// A unit after a change, with the warnings of the registry rules.
#[derive(Debug, Serialize)]
struct UnitChanged {
    #[serde(flatten)]
    unit: UnitOut,
    warnings: Vec<WarningOut>,
}

#[derive(Debug, Serialize)]
struct UnitLink {
    id: i64,
    name: String,
    kind: &'static str,
}

#[derive(Debug, Serialize)]
struct LineageOut {
    id: i64,
    name: String,
    relation: &'static str,
}

/// `GET /units/{id}`: the unit, its visible ancestors, warnings and lineage.
#[derive(Debug, Serialize)]
struct UnitDetail {
    #[serde(flatten)]
    unit: UnitOut,
    ancestors: Vec<UnitLink>,
    warnings: Vec<WarningOut>,
    formed_from: Vec<LineageOut>,
    gave_rise_to: Vec<LineageOut>,
    n_children: i64,
    n_retired_children: i64,
}

async fn get_unit(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<i64>,
) -> Result<Response, ApiError> {
    let unit = unit_for(&state, &user.access, id, Action::View).await?;
    let ancestors = state.store.ancestors(&unit).await?;
    let counts = state.store.child_counts(unit.id).await?;
    let (sources, successors) = state.store.lineage(unit.id).await?;
    let findings =
        registry_findings(&unit, ancestors.last().map(|parent| parent.kind), counts.active);
    let visible = |links: Vec<(UnitRef, Lineage)>| -> Vec<LineageOut> {
        links
            .into_iter()
            .filter(|(unit_ref, _)| user.access.can(Action::View, &unit_ref.path))
            .map(|(unit_ref, relation)| LineageOut {
                id: unit_ref.id,
                name: unit_ref.name,
                relation: relation.code(),
            })
            .collect()
    };
    let detail = UnitDetail {
        ancestors: ancestors
            .iter()
            .filter(|ancestor| user.access.can(Action::View, &ancestor.path))
            .map(|ancestor| UnitLink {
                id: ancestor.id,
                name: ancestor.name.clone(),
                kind: ancestor.kind.code(),
            })
            .collect(),
        unit: UnitOut::of(&unit),
        warnings: warnings(findings),
        formed_from: visible(sources),
        gave_rise_to: visible(successors),
        n_children: counts.active,
        n_retired_children: counts.retired,
    };
    Ok(axum::Json(detail).into_response())
}

/// A page of results.
#[derive(Debug, Serialize)]
pub struct PageOut<T> {
    items: Vec<T>,
    total: i64,
    page: u32,
    page_size: u32,
    pages: i64,
}

impl<T> PageOut<T> {
    /// The wire view of a page, rows converted.
    pub fn of<U>(paged: &Paged<U>, convert: impl Fn(&U) -> T) -> PageOut<T> {
        PageOut {
            items: paged.items.iter().map(convert).collect(),
            total: paged.total,
            page: paged.page,
            page_size: paged.page_size,
            pages: paged.pages(),
        }
    }
}

/// Reads `page` and `page_size` (1–500, 50 by default); anything else is a 422.
pub fn page_params(page: Option<&str>, page_size: Option<&str>) -> Result<Page, ApiError> {
    let number = |name: &str, text: Option<&str>, default: u32, max: u32| match text {
        None | Some("") => Ok(default),
        Some(text) => text.parse::<u32>().ok().filter(|n| (1..=max).contains(n)).ok_or_else(|| {
            ApiError::invalid(
                name,
                format!("“{name}” phải là số nguyên từ 1 đến {max}."),
                format!("“{name}” must be a whole number from 1 to {max}."),
            )
        }),
    };
    Ok(Page::new(number("page", page, 1, u32::MAX)?, number("page_size", page_size, 50, 500)?))
}

/// Reads `dir`: `asc` (default) or `desc`.
pub fn dir_param(dir: Option<&str>) -> Result<bool, ApiError> {
    match dir {
        None | Some("") | Some("asc") => Ok(false),
        Some("desc") => Ok(true),
        Some(_) => Err(ApiError::bad_code("dir", &["asc", "desc"])),
    }
}

#[derive(Debug, Deserialize)]
struct ChildrenQuery {
    page: Option<String>,
    page_size: Option<String>,
    sort: Option<String>,
    dir: Option<String>,
    include_retired: Option<String>,
}

async fn children(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<i64>,
    Query(query): Query<ChildrenQuery>,
) -> Result<Response, ApiError> {
    let unit = unit_for(&state, &user.access, id, Action::View).await?;
    let page = page_params(query.page.as_deref(), query.page_size.as_deref())?;
    let sort = match query.sort.as_deref() {
        None | Some("") | Some("name") => UnitSort::Name,
        Some("members") => UnitSort::Members,
        Some("kind") => UnitSort::Kind,
        Some(_) => return Err(ApiError::bad_code("sort", &["name", "members", "kind"])),
    };
    let desc = dir_param(query.dir.as_deref())?;
    let include_retired = bool_param("include_retired", query.include_retired.as_deref())?;
    let paged = state.store.children(unit.id, sort, desc, include_retired, page).await?;
    Ok(axum::Json(PageOut::of(&paged, UnitOut::of)).into_response())
}

/// Reads a boolean parameter: `true`/`false` (or `1`/`0`).
fn bool_param(name: &str, text: Option<&str>) -> Result<bool, ApiError> {
    match text {
        None | Some("") | Some("false") | Some("0") => Ok(false),
        Some("true") | Some("1") => Ok(true),
        Some(_) => Err(ApiError::bad_code(name, &["true", "false"])),
    }
}

#[derive(Debug, Deserialize)]
struct SearchQuery {
    q: Option<String>,
    limit: Option<String>,
    include_retired: Option<String>,
}

#[derive(Debug, Serialize)]
struct SearchOut {
    items: Vec<UnitOut>,
}

async fn search(
    State(state): State<AppState>,
    user: ApiUser,
    Query(query): Query<SearchQuery>,
) -> Result<Response, ApiError> {
    let q = query.q.unwrap_or_default();
    let limit = match query.limit.as_deref() {
        None | Some("") => 20,
        Some(text) => {
            text.parse::<i64>().ok().filter(|n| (1..=100).contains(n)).ok_or_else(|| {
                ApiError::invalid(
                    "limit",
                    "“limit” phải là số nguyên từ 1 đến 100.",
                    "“limit” must be a whole number from 1 to 100.",
                )
            })?
        }
    };
    let include_retired = bool_param("include_retired", query.include_retired.as_deref())?;
    let items = match Subtrees::of(&user.access, Action::View) {
        Some(subtrees) if !q.trim().is_empty() => {
            state.store.search_units(&q, subtrees.paths(), include_retired, limit).await?
        }
        _ => Vec::new(),
    };
    Ok(axum::Json(SearchOut { items: items.iter().map(UnitOut::of).collect() }).into_response())
}

// ---------------------------------------------------------------------------------------------
// Changes

/// Absent → `None`; `null` → `Some(None)`; a value → `Some(Some(value))`: PATCH keeps absent
/// fields and clears `null` ones.
fn nullable<'de, D, T>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(deserializer).map(Some)
}

/// Parses a `YYYY-MM-DD` field.
pub fn date_text(field: &str, text: &str) -> Result<Date, ApiError> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    Date::parse(text, format).map_err(|_| ApiError::bad_date(field))
}

/// Parses an optional `YYYY-MM-DD` field.
pub fn date_param(field: &str, text: Option<&str>) -> Result<Option<Date>, ApiError> {
    text.map(|text| date_text(field, text)).transpose()
}

fn kind_param(text: &str) -> Result<UnitKind, ApiError> {
    UnitKind::ALL
        .into_iter()
        .find(|kind| kind.code() == text)
        .ok_or_else(|| ApiError::bad_code("kind", &UnitKind::ALL.map(UnitKind::code)))
}

fn count_param(field: &str, value: i64) -> Result<i64, ApiError> {
    if value < 0 {
        return Err(ApiError::invalid(
            field,
            format!("“{field}” không được âm."),
            format!("“{field}” cannot be negative."),
        ));
    }
    Ok(value)
}

/// One source of a new unit.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct LineageIn {
    unit_id: i64,
    relation: String,
}

/// `POST /units`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct NewUnitIn {
    parent_id: i64,
    name: String,
    kind: String,
    #[serde(default)]
    issuer_abbrev: Option<String>,
    #[serde(default)]
    declared_official: i64,
    #[serde(default)]
    declared_probationary: i64,
    #[serde(default)]
    valid_from: Option<String>,
    #[serde(default)]
    valid_to: Option<String>,
    #[serde(default)]
    note: Option<String>,
    #[serde(default)]
    lineage: Vec<LineageIn>,
}

async fn create(
    State(state): State<AppState>,
    user: ApiUser,
    ApiJson(body): ApiJson<NewUnitIn>,
) -> Result<Response, ApiError> {
    let parent = unit_for(&state, &user.access, body.parent_id, Action::EditUnits).await?;
    let mut lineage = Vec::new();
    for source in &body.lineage {
        let relation = match source.relation.as_str() {
            "merged_from" => Lineage::MergedFrom,
            "split_from" => Lineage::SplitFrom,
            _ => {
                return Err(ApiError::bad_code("lineage.relation", &["merged_from", "split_from"]));
            }
        };
        let source_unit = unit_for(&state, &user.access, source.unit_id, Action::View).await?;
        lineage.push((source_unit.id, relation));
    }
    let new = NewUnit {
        parent_id: Some(parent.id),
        name: body.name,
        kind: kind_param(&body.kind)?,
        issuer_abbrev: body.issuer_abbrev,
        declared_official: count_param("declared_official", body.declared_official)?,
        declared_probationary: count_param("declared_probationary", body.declared_probationary)?,
        valid_from: date_param("valid_from", body.valid_from.as_deref())?,
        valid_to: date_param("valid_to", body.valid_to.as_deref())?,
        note: body.note,
        lineage,
    };
    let mut tx = state.store.begin_write(&user.actor()).await?;
    let (unit, findings) = state.store.create_unit(&mut tx, new).await?;
    tx.commit().await?;
    let body = UnitChanged { unit: UnitOut::of(&unit), warnings: warnings(findings) };
    Ok((StatusCode::CREATED, axum::Json(body)).into_response())
}

/// `PATCH /units/{id}`: the fields to change, with the version read.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct UnitPatch {
    version: i64,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    kind: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    issuer_abbrev: Option<Option<String>>,
    #[serde(default)]
    declared_official: Option<i64>,
    #[serde(default)]
    declared_probationary: Option<i64>,
    #[serde(default, deserialize_with = "nullable")]
    valid_from: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    valid_to: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    note: Option<Option<String>>,
}

/// Applies a patch field: absent keeps `current`, `null` clears, a value is parsed.
fn patched<T: Clone, U>(
    current: Option<T>,
    patch: Option<Option<U>>,
    parse: impl Fn(U) -> Result<T, ApiError>,
) -> Result<Option<T>, ApiError> {
    match patch {
        None => Ok(current),
        Some(None) => Ok(None),
        Some(Some(value)) => parse(value).map(Some),
    }
}

async fn update(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<i64>,
    ApiJson(patch): ApiJson<UnitPatch>,
) -> Result<Response, ApiError> {
    let unit = unit_for(&state, &user.access, id, Action::EditUnits).await?;
    let edit = UnitEdit {
        name: patch.name.unwrap_or_else(|| unit.name.clone()),
        kind: match patch.kind.as_deref() {
            Some(text) => kind_param(text)?,
            None => unit.kind,
        },
        issuer_abbrev: patched(unit.issuer_abbrev.clone(), patch.issuer_abbrev, Ok)?,
        declared_official: count_param(
            "declared_official",
            patch.declared_official.unwrap_or(unit.declared_official),
        )?,
        declared_probationary: count_param(
            "declared_probationary",
            patch.declared_probationary.unwrap_or(unit.declared_probationary),
        )?,
        valid_from: patched(unit.valid_from, patch.valid_from, |text: String| {
            date_text("valid_from", &text)
        })?,
        valid_to: patched(unit.valid_to, patch.valid_to, |text: String| {
            date_text("valid_to", &text)
        })?,
        note: patched(unit.note.clone(), patch.note, Ok)?,
    };
    let mut tx = state.store.begin_write(&user.actor()).await?;
    let (unit, findings) = state.store.update_unit(&mut tx, unit.id, patch.version, edit).await?;
    tx.commit().await?;
    Ok(axum::Json(UnitChanged { unit: UnitOut::of(&unit), warnings: warnings(findings) })
        .into_response())
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct MoveIn {
    version: i64,
    parent_id: i64,
}

async fn move_unit(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<MoveIn>,
) -> Result<Response, ApiError> {
    let unit = unit_for(&state, &user.access, id, Action::EditUnits).await?;
    let parent = state.store.unit(body.parent_id).await.map_err(ApiError::from)?;
    require(&user.access, Action::EditUnits, &parent.path)?;
    let mut tx = state.store.begin_write(&user.actor()).await?;
    let moved = state.store.move_unit(&mut tx, unit.id, body.version, parent.id).await?;
    tx.commit().await?;
    Ok(axum::Json(UnitChanged { unit: UnitOut::of(&moved), warnings: Vec::new() }).into_response())
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RetireIn {
    version: i64,
    valid_to: String,
}

async fn retire(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<RetireIn>,
) -> Result<Response, ApiError> {
    let unit = unit_for(&state, &user.access, id, Action::EditUnits).await?;
    let valid_to = date_text("valid_to", &body.valid_to)?;
    let mut tx = state.store.begin_write(&user.actor()).await?;
    let retired = state.store.retire_unit(&mut tx, unit.id, body.version, valid_to).await?;
    tx.commit().await?;
    Ok(axum::Json(UnitChanged { unit: UnitOut::of(&retired), warnings: Vec::new() })
        .into_response())
}
