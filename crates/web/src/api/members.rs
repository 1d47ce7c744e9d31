//! `/api/v1/…members…`: a unit's roster filtered, sorted and paged; one member; adding,
//! editing (with the optimistic `version`) and removing members.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use daihoi_core::access::Action;
use daihoi_core::member::{Education, MemberStatus, Membership, Sex, TheoryLevel};
use daihoi_store::{Member, MemberFilter, MemberInput, MemberSort};
use serde::{Deserialize, Deserializer, Serialize};

use super::ApiUser;
use super::error::{ApiError, ApiJson};
use super::units::{PageOut, date_text, dir_param, iso, page_params};
use crate::AppState;
use crate::pages::members::age_on;
use crate::routing::RouteList;
use crate::scope::{member_for, unit_for};

/// Routes of this module (under `/api`).
pub fn routes() -> RouteList {
    RouteList::new()
        .get("/v1/units/{id}/members", list)
        .post("/v1/units/{id}/members", create)
        .get("/v1/members/{id}", get_member)
        .patch("/v1/members/{id}", update)
        .delete("/v1/members/{id}", remove)
}

/// A member as the API returns it.
#[derive(Debug, Clone, Serialize)]
struct MemberOut {
    id: i64,
    unit_id: i64,
    full_name: String,
    birth_date: Option<String>,
    age: Option<i32>,
    sex: Option<&'static str>,
    ethnicity: Option<String>,
    joined_date: Option<String>,
    membership: &'static str,
    status: &'static str,
    education: Option<&'static str>,
    theory_level: Option<&'static str>,
    note: Option<String>,
    version: i64,
}

impl MemberOut {
    fn of(member: &Member) -> MemberOut {
        let today = daihoi_store::today();
        MemberOut {
            id: member.id,
            unit_id: member.unit_id,
            full_name: member.full_name.clone(),
            birth_date: iso(member.birth_date),
            age: member.birth_date.map(|birth| age_on(birth, today)),
            sex: member.sex.map(Sex::code),
            ethnicity: member.ethnicity.clone(),
            joined_date: iso(member.joined_date),
            membership: member.membership.code(),
            status: member.status.code(),
            education: member.education.map(Education::code),
            theory_level: member.theory_level.map(TheoryLevel::code),
            note: member.note.clone(),
            version: member.version,
        }
    }
}

/// Parses a code of one of the coded enums, strictly (the API takes codes, not labels).
fn code_param<T: Copy>(
    field: &str,
    text: &str,
    all: &[T],
    code: impl Fn(T) -> &'static str,
) -> Result<T, ApiError> {
    all.iter().copied().find(|value| code(*value) == text).ok_or_else(|| {
        let codes: Vec<&str> = all.iter().map(|value| code(*value)).collect();
        ApiError::bad_code(field, &codes)
    })
}

#[derive(Debug, Deserialize)]
struct ListQuery {
    q: Option<String>,
    membership: Option<String>,
    status: Option<String>,
    sex: Option<String>,
    ethnicity: Option<String>,
    sort: Option<String>,
    dir: Option<String>,
    page: Option<String>,
    page_size: Option<String>,
}

fn optional_code<T: Copy>(
    field: &str,
    text: Option<&str>,
    all: &[T],
    code: impl Fn(T) -> &'static str,
) -> Result<Option<T>, ApiError> {
    match text {
        None | Some("") => Ok(None),
        Some(text) => code_param(field, text, all, code).map(Some),
    }
}

async fn list(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<i64>,
    Query(query): Query<ListQuery>,
) -> Result<Response, ApiError> {
    let unit = unit_for(&state, &user.access, id, Action::View).await?;
    let page = page_params(query.page.as_deref(), query.page_size.as_deref())?;
    let sort = match query.sort.as_deref() {
        None | Some("") | Some("name") => MemberSort::Name,
        Some("birth_date") => MemberSort::BirthDate,
        Some("joined") => MemberSort::Joined,
        Some(_) => return Err(ApiError::bad_code("sort", &["name", "birth_date", "joined"])),
    };
    let desc = dir_param(query.dir.as_deref())?;
    let filter = MemberFilter {
        unit_id: None,
        subtree_paths: vec![unit.path.clone()],
        query: query.q.filter(|q| !q.trim().is_empty()),
        membership: optional_code(
            "membership",
            query.membership.as_deref(),
            Membership::ALL,
            Membership::code,
        )?,
        status: optional_code(
            "status",
            query.status.as_deref(),
            MemberStatus::ALL,
            MemberStatus::code,
        )?,
        sex: optional_code("sex", query.sex.as_deref(), Sex::ALL, Sex::code)?,
        ethnicity: query.ethnicity.filter(|e| !e.trim().is_empty()),
    };
    let paged = state.store.members(&filter, sort, desc, page).await?;
    Ok(axum::Json(PageOut::of(&paged, MemberOut::of)).into_response())
}

async fn get_member(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<i64>,
) -> Result<Response, ApiError> {
    let member = member_for(&state, &user.access, id, Action::View).await?;
    Ok(axum::Json(MemberOut::of(&member)).into_response())
}

/// `POST /units/{id}/members`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct MemberIn {
    full_name: String,
    #[serde(default)]
    birth_date: Option<String>,
    #[serde(default)]
    sex: Option<String>,
    #[serde(default)]
    ethnicity: Option<String>,
    #[serde(default)]
    joined_date: Option<String>,
    #[serde(default)]
    membership: Option<String>,
    #[serde(default)]
    status: Option<String>,
    #[serde(default)]
    education: Option<String>,
    #[serde(default)]
    theory_level: Option<String>,
    #[serde(default)]
    note: Option<String>,
}

impl MemberIn {
    fn resolve(self) -> Result<MemberInput, ApiError> {
        Ok(MemberInput {
            full_name: self.full_name,
            birth_date: self.birth_date.map(|t| date_text("birth_date", &t)).transpose()?,
            sex: optional_code("sex", self.sex.as_deref(), Sex::ALL, Sex::code)?,
            ethnicity: self.ethnicity,
            joined_date: self.joined_date.map(|t| date_text("joined_date", &t)).transpose()?,
            membership: optional_code(
                "membership",
                self.membership.as_deref(),
                Membership::ALL,
                Membership::code,
            )?
            .unwrap_or(Membership::Official),
            status: optional_code(
                "status",
                self.status.as_deref(),
                MemberStatus::ALL,
                MemberStatus::code,
            )?
            .unwrap_or(MemberStatus::Active),
            education: optional_code(
                "education",
                self.education.as_deref(),
                Education::ALL,
                Education::code,
            )?,
            theory_level: optional_code(
                "theory_level",
                self.theory_level.as_deref(),
                TheoryLevel::ALL,
                TheoryLevel::code,
            )?,
            note: self.note,
        })
    }
}

async fn create(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<MemberIn>,
) -> Result<Response, ApiError> {
    let unit = unit_for(&state, &user.access, id, Action::EditMembers).await?;
    let input = body.resolve()?;
    let mut tx = state.store.begin_write(&user.actor()).await?;
    let member = state.store.create_member(&mut tx, unit.id, &input).await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, axum::Json(MemberOut::of(&member))).into_response())
}

fn nullable<'de, D, T>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(deserializer).map(Some)
}

/// `PATCH /members/{id}`: the fields to change (absent: kept, `null`: cleared), and the version.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct MemberPatch {
    version: i64,
    #[serde(default)]
    full_name: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    birth_date: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    sex: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    ethnicity: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    joined_date: Option<Option<String>>,
    #[serde(default)]
    membership: Option<String>,
    #[serde(default)]
    status: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    education: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    theory_level: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    note: Option<Option<String>>,
}

/// Absent keeps `current`, `null` clears, a value is parsed.
fn patched<T, U>(
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
    ApiJson(patch): ApiJson<MemberPatch>,
) -> Result<Response, ApiError> {
    let member = member_for(&state, &user.access, id, Action::EditMembers).await?;
    let input = MemberInput {
        full_name: patch.full_name.unwrap_or_else(|| member.full_name.clone()),
        birth_date: patched(member.birth_date, patch.birth_date, |t: String| {
            date_text("birth_date", &t)
        })?,
        sex: patched(member.sex, patch.sex, |t: String| {
            code_param("sex", &t, Sex::ALL, Sex::code)
        })?,
        ethnicity: patched(member.ethnicity.clone(), patch.ethnicity, Ok)?,
        joined_date: patched(member.joined_date, patch.joined_date, |t: String| {
            date_text("joined_date", &t)
        })?,
        membership: match patch.membership.as_deref() {
            Some(t) => code_param("membership", t, Membership::ALL, Membership::code)?,
            None => member.membership,
        },
        status: match patch.status.as_deref() {
            Some(t) => code_param("status", t, MemberStatus::ALL, MemberStatus::code)?,
            None => member.status,
        },
        education: patched(member.education, patch.education, |t: String| {
            code_param("education", &t, Education::ALL, Education::code)
        })?,
        theory_level: patched(member.theory_level, patch.theory_level, |t: String| {
            code_param("theory_level", &t, TheoryLevel::ALL, TheoryLevel::code)
        })?,
        note: patched(member.note.clone(), patch.note, Ok)?,
    };
    let mut tx = state.store.begin_write(&user.actor()).await?;
    let updated = state.store.update_member(&mut tx, member.id, patch.version, &input).await?;
    tx.commit().await?;
    Ok(axum::Json(MemberOut::of(&updated)).into_response())
}

#[derive(Debug, Deserialize)]
struct RemoveQuery {
    version: Option<String>,
    reason: Option<String>,
}

async fn remove(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<i64>,
    Query(query): Query<RemoveQuery>,
) -> Result<Response, ApiError> {
    let member = member_for(&state, &user.access, id, Action::EditMembers).await?;
    let version =
        query.version.as_deref().and_then(|v| v.parse::<i64>().ok()).ok_or_else(|| {
            ApiError::invalid(
                "version",
                "Thiếu “version” (số phiên bản đã đọc).",
                "“version” (the version read) is required.",
            )
        })?;
    let reason = query.reason.unwrap_or_default();
    if reason.trim().is_empty() {
        return Err(ApiError::invalid(
            "reason",
            "Thiếu “reason” (lý do đưa ra khỏi danh sách).",
            "“reason” (why the member leaves the roster) is required.",
        ));
    }
    let mut tx = state.store.begin_write(&user.actor()).await?;
    state.store.remove_member(&mut tx, member.id, version, reason.trim()).await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}
