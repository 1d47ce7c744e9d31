//! The roster of a congress: summoning the unit's members, adding delegates, filters by role and
//! status in Vietnamese name order, each person's status decided with who and when, and the
//! roster's XLSX export and all-or-nothing import.

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use daihoi_core::access::Action;
use daihoi_core::records::RowProblem;
use daihoi_format::table::{TableFormat, read_table};
use daihoi_store::Page;
use daihoi_store::congress::{
    Absence, Congress, CongressKind, Credentials, NewPerson, Person, PersonRole, Standing,
    StatusDecision,
};
use daihoi_store::congress_day::{RosterFilter, RosterRow, RosterStatus};
use minijinja::value::Serde;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::roster_file::{read_roster, roster_sheet};
use super::{CongressView, congress_for, download, local_time, person_of};
use crate::auth::CurrentUser;
use crate::pages::forms::{FieldErrors, FormData, Refusal, id_field, refusal};
use crate::pages::import::multipart;
use crate::pages::listing::{QueryParams, page_number, pagination};
use crate::pages::units::SelectOption;
use crate::pages::{render, respond};
use crate::routing::RouteList;
use crate::{AppError, AppState, Lang};

const ROSTER_PAGE_SIZE: u32 = 100;

pub(super) fn routes() -> RouteList {
    RouteList::new()
        .get("/congresses/{id}/people", people)
        .post("/congresses/{id}/people/summon", summon)
        .post("/congresses/{id}/people/new", add_person)
        .get("/congresses/{id}/people/export.xlsx", export_xlsx)
        .get("/congresses/{id}/people/import", import_form)
        .post("/congresses/{id}/people/import", import_upload)
        .get("/congresses/{id}/people/{person}", person_form)
        .post("/congresses/{id}/people/{person}", decide)
        .post("/congresses/{id}/people/{person}/presence", presence)
}

/// A roster row as templates see it.
#[derive(Debug, Clone, Serialize)]
pub(super) struct PersonView {
    id: i64,
    badge_no: i64,
    badge: String,
    full_name: String,
    birth_year: String,
    sex: String,
    delegation: String,
    role: &'static str,
    role_label: &'static str,
    alternate_rank: Option<i64>,
    holds_vote: bool,
    status: &'static str,
    status_label: &'static str,
    standing: &'static str,
    absence: &'static str,
    absence_reason: String,
    credentials: &'static str,
    credentials_label: &'static str,
    credentials_note: String,
    decided_by: String,
    decided_at: String,
    replaced_by: String,
    seated_for: Option<i64>,
    version: i64,
}

impl PersonView {
    pub(super) fn of(row: &RosterRow, lang: Lang) -> PersonView {
        let person = &row.person;
        let status = row.status();
        PersonView {
            id: person.id,
            badge_no: person.badge_no,
            badge: super::checkin::badge_text(person.badge_no),
            full_name: person.full_name.clone(),
            birth_year: person.birth_date.map(|d| d.year().to_string()).unwrap_or_default(),
            sex: person.sex.map(|s| lang.pick(s.label_vi(), s.label_en())).unwrap_or("").into(),
            delegation: person.delegation.clone().unwrap_or_default(),
            role: person.role.code(),
            role_label: lang.pick(person.role.label_vi(), person.role.label_en()),
            alternate_rank: person.alternate_rank,
            holds_vote: person.holds_vote(),
            status: status.code(),
            status_label: lang.pick(status.label_vi(), status.label_en()),
            standing: person.standing.code(),
            absence: person.absence.code(),
            absence_reason: person.absence_reason.clone().unwrap_or_default(),
            credentials: person.credentials.code(),
            credentials_label: lang
                .pick(person.credentials.label_vi(), person.credentials.label_en()),
            credentials_note: person.credentials_note.clone().unwrap_or_default(),
            decided_by: person.decided_by.clone().unwrap_or_default(),
            decided_at: person.decided_at.map(local_time).unwrap_or_default(),
            replaced_by: row.replaced_by.as_ref().map(|(_, name)| name.clone()).unwrap_or_default(),
            seated_for: person.seated_for,
            version: person.version,
        }
    }
}

fn options<T: Copy>(
    all: &[T],
    code: impl Fn(T) -> &'static str,
    label: impl Fn(T) -> (&'static str, &'static str),
    lang: Lang,
    empty: Option<&str>,
) -> Vec<SelectOption> {
    let mut out = Vec::new();
    if let Some(empty) = empty {
        out.push(SelectOption::new("", empty));
    }
    out.extend(all.iter().map(|value| {
        let (vi, en) = label(*value);
        SelectOption::new(code(*value), lang.pick(vi, en))
    }));
    out
}

/// The roles that may be added by hand to a congress of this kind.
fn roles_for(kind: CongressKind) -> &'static [PersonRole] {
    match kind {
        CongressKind::Members => {
            &[PersonRole::OfficialMember, PersonRole::ProbationaryMember, PersonRole::Guest]
        }
        CongressKind::Delegates => &[
            PersonRole::ExOfficio,
            PersonRole::Elected,
            PersonRole::Appointed,
            PersonRole::Alternate,
            PersonRole::Guest,
        ],
    }
}

#[derive(Debug, Deserialize, Default)]
struct RosterQuery {
    q: Option<String>,
    role: Option<String>,
    status: Option<String>,
    page: Option<String>,
    done: Option<String>,
}

async fn roster_page(
    state: &AppState,
    user: &CurrentUser,
    headers: &HeaderMap,
    congress: &Congress,
    query: RosterQuery,
    add: Option<(minijinja::Value, FieldErrors)>,
) -> Result<Response, AppError> {
    let lang = user.lang;
    let text = |value: &Option<String>| value.as_deref().map(str::trim).unwrap_or("").to_string();
    let filter = RosterFilter {
        query: Some(text(&query.q)).filter(|q| !q.is_empty()),
        role: query.role.as_deref().and_then(PersonRole::parse),
        status: query.status.as_deref().and_then(RosterStatus::parse),
    };
    let page = Page::new(page_number(query.page.as_deref()), ROSTER_PAGE_SIZE);
    let rows = state.store.roster(congress.id, &filter, page).await?;
    let base = format!("/congresses/{}/people", congress.id);
    let params = QueryParams::new()
        .with("q", text(&query.q))
        .with("role", text(&query.role))
        .with("status", text(&query.status));
    let pager = pagination(
        rows.total,
        rows.page,
        rows.page_size,
        rows.items.len(),
        &base,
        &params.clone().with("page", rows.page.to_string()),
    );
    let views: Vec<PersonView> = rows.items.iter().map(|row| PersonView::of(row, lang)).collect();
    let all = lang.pick("Tất cả", "All");
    let failed = add.is_some();
    let (add_values, add_errors) = add.unwrap_or_else(|| {
        (minijinja::context! { role => "", full_name => "", delegation => "", alternate_rank => "" }, FieldErrors::new())
    });
    let mut response = render(
        state,
        user,
        headers,
        "units",
        "congress/people.html",
        minijinja::context! {
            congress => Serde(CongressView::of(congress, lang)),
            rows => Serde(views),
            total => rows.total,
            pagination => Serde(pager),
            f => minijinja::context! { q => text(&query.q), role => text(&query.role), status => text(&query.status) },
            role_options => Serde(options(PersonRole::ALL, PersonRole::code, |r| (r.label_vi(), r.label_en()), lang, Some(all))),
            status_options => Serde(options(&RosterStatus::ALL, RosterStatus::code, |s| (s.label_vi(), s.label_en()), lang, Some(all))),
            add_role_options => Serde(options(roles_for(congress.kind), PersonRole::code, |r| (r.label_vi(), r.label_en()), lang, Some("—"))),
            add => add_values,
            errors => add_errors.to_value(),
            can_run => user.access.can(Action::RunCongress, &congress.unit_path),
            done => match query.done.as_deref() {
                Some("summoned") => Some(lang.pick("Đã triệu tập đảng viên của đơn vị.", "The unit's members were summoned.")),
                Some("added") => Some(lang.pick("Đã thêm vào danh sách.", "Added to the roster.")),
                Some("imported") => Some(lang.pick("Đã nhập danh sách từ tệp.", "The roster was imported.")),
                Some("decided") => Some(lang.pick("Đã ghi quyết định.", "The decision was recorded.")),
                _ => None,
            },
        },
    );
    if failed && response.status() == StatusCode::OK {
        *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(response)
}

async fn people(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Query(query): Query<RosterQuery>,
) -> Response {
    let result = async {
        let congress = congress_for(&state, &user.access, id, Action::View).await?;
        roster_page(&state, &user, &headers, &congress, query, None).await
    }
    .await;
    respond(&state, &user, &headers, result)
}

async fn summon(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> Response {
    let result = async {
        let congress = congress_for(&state, &user.access, id, Action::RunCongress).await?;
        if congress.kind != CongressKind::Members {
            return Err(AppError::bad_request(
                "Chỉ đại hội đảng viên mới triệu tập toàn bộ đảng viên; đại hội đại biểu nhập danh sách đại biểu.",
                "Only a members' congress summons every member; a delegates' congress imports its delegates.",
            ));
        }
        let mut tx = state.store.begin_write(&user.actor()).await?;
        state.store.summon_members(&mut tx, congress.id).await?;
        tx.commit().await?;
        Ok(Redirect::to(&format!("/congresses/{}/people?done=summoned", congress.id))
            .into_response())
    }
    .await;
    respond(&state, &user, &headers, result)
}

async fn add_person(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
    form: FormData,
) -> Response {
    let result = async {
        let lang = user.lang;
        let congress = congress_for(&state, &user.access, id, Action::RunCongress).await?;
        let mut errors = FieldErrors::new();
        let full_name = form.get("full_name").to_string();
        if full_name.is_empty() {
            errors.add_tr(lang, "full_name", "Hãy nhập họ và tên.", "Enter the full name.");
        }
        let role = PersonRole::parse(form.get("role"))
            .filter(|role| roles_for(congress.kind).contains(role));
        if role.is_none() {
            errors.add_tr(
                lang,
                "role",
                "Hãy chọn loại đại biểu trong danh sách.",
                "Choose the role from the list.",
            );
        }
        let rank = match form.get("alternate_rank") {
            "" => None,
            text => match text.parse::<i64>() {
                Ok(rank) if rank >= 1 && role == Some(PersonRole::Alternate) => Some(rank),
                _ => {
                    errors.add_tr(
                        lang,
                        "alternate_rank",
                        "Thứ tự dự khuyết là số từ 1 trở lên, chỉ ghi cho đại biểu dự khuyết.",
                        "The alternate rank is a number from 1, for alternates only.",
                    );
                    None
                }
            },
        };
        if errors.is_empty() {
            let person = NewPerson {
                member_id: None,
                full_name: full_name.clone(),
                birth_date: None,
                sex: None,
                ethnicity: None,
                delegation: Some(form.get("delegation").to_string()).filter(|d| !d.is_empty()),
                source_unit_id: None,
                role: role.unwrap_or(PersonRole::Guest),
                alternate_rank: rank,
                standing: Standing::Active,
            };
            let outcome = async {
                let mut tx = state.store.begin_write(&user.actor()).await?;
                state.store.add_people(&mut tx, congress.id, &[person]).await?;
                tx.commit().await
            }
            .await;
            match outcome {
                Ok(()) => {
                    return Ok(Redirect::to(&format!(
                        "/congresses/{}/people?done=added",
                        congress.id
                    ))
                    .into_response());
                }
                Err(error) => match refusal(error, lang, |_| "full_name") {
                    Refusal::Field(e) => errors.add(&e.field, e.message),
                    Refusal::Stale(message) => errors.add("full_name", message),
                    Refusal::Other(error) => return Err(error.into()),
                },
            }
        }
        let values = minijinja::context! {
            role => form.get("role"),
            full_name => form.get("full_name"),
            delegation => form.get("delegation"),
            alternate_rank => form.get("alternate_rank"),
        };
        roster_page(
            &state,
            &user,
            &headers,
            &congress,
            RosterQuery::default(),
            Some((values, errors)),
        )
        .await
    }
    .await;
    respond(&state, &user, &headers, result)
}

// ---------------------------------------------------------------------------------------------
// One person's status

/// A person's row with their attendance now, read from the roll.
async fn row_of(state: &AppState, person: Person) -> Result<RosterRow, AppError> {
    let roll = state.store.roll(person.congress_id).await?;
    let entry = roll.iter().find(|entry| entry.person_id == person.id);
    Ok(RosterRow {
        present_now: entry.is_some_and(|e| e.present_now),
        attended: entry.is_some_and(|e| e.attended),
        replaced_by: None,
        person,
    })
}

/// What the person page shows besides the person.
struct PersonPage<'a> {
    values: minijinja::Value,
    errors: FieldErrors,
    stale: Option<String>,
    done: Option<&'a str>,
}

fn render_person(
    state: &AppState,
    user: &CurrentUser,
    headers: &HeaderMap,
    congress: &Congress,
    person: &RosterRow,
    page: PersonPage<'_>,
) -> Response {
    let PersonPage { values, errors, stale, done } = page;
    let lang = user.lang;
    let failed = !errors.is_empty() || stale.is_some();
    let mut response = render(
        state,
        user,
        headers,
        "units",
        "congress/person.html",
        minijinja::context! {
            congress => Serde(CongressView::of(congress, lang)),
            person => Serde(PersonView::of(person, lang)),
            checked_in => person.attended,
            in_hall => person.present_now,
            done => match done {
                Some("left") => Some(lang.pick("Đã ghi: rời hội trường.", "Recorded: left the hall.")),
                Some("returned") => Some(lang.pick("Đã ghi: trở lại hội trường.", "Recorded: back in the hall.")),
                _ => None,
            },
            v => values,
            errors => errors.to_value(),
            stale => stale,
            standing_options => Serde(options(Standing::ALL, Standing::code, |s| (s.label_vi(), s.label_en()), lang, None)),
            absence_options => Serde(options(Absence::ALL, Absence::code, |a| (a.label_vi(), a.label_en()), lang, None)),
            credentials_options => Serde(options(Credentials::ALL, Credentials::code, |c| (c.label_vi(), c.label_en()), lang, None)),
            can_run => user.access.can(Action::RunCongress, &congress.unit_path),
        },
    );
    if failed && response.status() == StatusCode::OK {
        *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    response
}

#[derive(Debug, Deserialize, Default)]
struct DoneQuery {
    done: Option<String>,
}

async fn person_form(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    Path((id, person_id)): Path<(i64, i64)>,
    Query(query): Query<DoneQuery>,
) -> Response {
    let result = async {
        let congress = congress_for(&state, &user.access, id, Action::View).await?;
        let person = person_of(&state, &congress, person_id).await?;
        let values = minijinja::context! {
            standing => person.standing.code(),
            absence => person.absence.code(),
            reason => person.absence_reason.clone().unwrap_or_default(),
            credentials => person.credentials.code(),
            credentials_note => person.credentials_note.clone().unwrap_or_default(),
            version => person.version,
        };
        let row = row_of(&state, person).await?;
        let page = PersonPage {
            values,
            errors: FieldErrors::new(),
            stale: None,
            done: query.done.as_deref(),
        };
        Ok(render_person(&state, &user, &headers, &congress, &row, page))
    }
    .await;
    respond(&state, &user, &headers, result)
}

async fn decide(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    Path((id, person_id)): Path<(i64, i64)>,
    form: FormData,
) -> Response {
    let result = async {
        let lang = user.lang;
        let congress = congress_for(&state, &user.access, id, Action::RunCongress).await?;
        let person = person_of(&state, &congress, person_id).await?;
        let mut errors = FieldErrors::new();
        let standing = Standing::parse(form.get("standing"));
        if standing.is_none() {
            errors.add_tr(lang, "standing", "Hãy chọn tình trạng.", "Choose the standing.");
        }
        let absence = Absence::parse(form.get("absence"));
        if absence.is_none() {
            errors.add_tr(lang, "absence", "Hãy chọn có vắng mặt không.", "Choose the absence.");
        }
        let credentials = Credentials::parse(form.get("credentials"));
        if credentials.is_none() {
            errors.add_tr(
                lang,
                "credentials",
                "Hãy chọn kết quả thẩm tra tư cách.",
                "Choose the credentials decision.",
            );
        }
        let reason = form.get("reason").to_string();
        if absence == Some(Absence::Approved) && reason.is_empty() {
            errors.add_tr(
                lang,
                "reason",
                "Vắng có lý do được chấp thuận: hãy ghi lý do.",
                "An approved absence needs its reason.",
            );
        }
        if credentials == Some(Credentials::Rejected) && form.get("credentials_note").is_empty() {
            errors.add_tr(
                lang,
                "credentials_note",
                "Không đủ tư cách: hãy ghi căn cứ.",
                "Rejected credentials need the grounds.",
            );
        }
        let version = id_field(&form, "version").unwrap_or(-1);
        let mut stale = None;
        if errors.is_empty() {
            let decision = StatusDecision {
                standing: standing.unwrap_or(Standing::Active),
                absence: absence.unwrap_or(Absence::None),
                reason: Some(reason).filter(|r| !r.is_empty()),
                credentials: credentials.unwrap_or(Credentials::Pending),
                credentials_note: Some(form.get("credentials_note").to_string())
                    .filter(|n| !n.is_empty()),
            };
            let outcome = async {
                let mut tx = state.store.begin_write(&user.actor()).await?;
                state.store.decide_status(&mut tx, person.id, version, &decision).await?;
                tx.commit().await
            }
            .await;
            match outcome {
                Ok(()) => {
                    return Ok(Redirect::to(&format!(
                        "/congresses/{}/people?done=decided",
                        congress.id
                    ))
                    .into_response());
                }
                Err(error) => match refusal(error, lang, |_| "standing") {
                    Refusal::Field(e) => errors.add(&e.field, e.message),
                    Refusal::Stale(message) => stale = Some(message),
                    Refusal::Other(error) => return Err(error.into()),
                },
            }
        }
        let values = minijinja::context! {
            standing => form.get("standing"),
            absence => form.get("absence"),
            reason => form.get("reason"),
            credentials => form.get("credentials"),
            credentials_note => form.get("credentials_note"),
            version => form.get("version"),
        };
        let row = row_of(&state, person).await?;
        let page = PersonPage { values, errors, stale, done: None };
        Ok(render_person(&state, &user, &headers, &congress, &row, page))
    }
    .await;
    respond(&state, &user, &headers, result)
}

/// Marks a checked-in person as having left the hall (`left=yes`) or back in (`left=no`): they
/// stay in D (present at the congress), but are not counted present for the next vote.
async fn presence(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    Path((id, person_id)): Path<(i64, i64)>,
    form: FormData,
) -> Response {
    let result = async {
        let congress = congress_for(&state, &user.access, id, Action::RunCongress).await?;
        let person = person_of(&state, &congress, person_id).await?;
        let left = match form.get("left") {
            "yes" => true,
            "no" => false,
            _ => {
                return Err(AppError::bad_request(
                    "Hãy chọn rời hội trường hay trở lại.",
                    "Choose left or back in the hall.",
                ));
            }
        };
        let outcome = async {
            let mut tx = state.store.begin_write(&user.actor()).await?;
            state.store.mark_left(&mut tx, congress.id, person.id, left).await?;
            tx.commit().await
        }
        .await;
        match outcome {
            Ok(()) => Ok(Redirect::to(&format!(
                "/congresses/{}/people/{}?done={}",
                congress.id,
                person.id,
                if left { "left" } else { "returned" }
            ))
            .into_response()),
            Err(daihoi_store::StoreError::Rule { message_vi, message_en, .. }) => {
                Err(AppError::bad_request(message_vi, message_en))
            }
            Err(error) => Err(error.into()),
        }
    }
    .await;
    respond(&state, &user, &headers, result)
}

// ---------------------------------------------------------------------------------------------
// Export and import

/// Every row of a roster, in name order.
pub(super) async fn whole_roster(
    state: &AppState,
    congress_id: i64,
) -> Result<Vec<RosterRow>, AppError> {
    let mut rows = Vec::new();
    let mut number = 1;
    loop {
        let page = state
            .store
            .roster(congress_id, &RosterFilter::default(), Page::new(number, 1000))
            .await?;
        let n = page.items.len();
        rows.extend(page.items);
        if n < 1000 {
            return Ok(rows);
        }
        number += 1;
    }
}

async fn export_xlsx(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> Response {
    let result = async {
        let congress = congress_for(&state, &user.access, id, Action::View).await?;
        let rows = whole_roster(&state, congress.id).await?;
        let body = daihoi_render::xlsx_table(&[roster_sheet(&rows)])
            .map_err(|e| AppError::Internal(e.to_string()))?;
        Ok(download(
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            &format!("danh-sach-dai-hoi-{}.xlsx", congress.id),
            body,
        ))
    }
    .await;
    respond(&state, &user, &headers, result)
}

/// A problem as the import page lists it.
#[derive(Debug, Clone, Serialize)]
struct ProblemView {
    row: u32,
    column: String,
    message: String,
}

fn render_import(
    state: &AppState,
    user: &CurrentUser,
    headers: &HeaderMap,
    congress: &Congress,
    problems: &[RowProblem],
    file_name: &str,
) -> Response {
    let lang = user.lang;
    let views: Vec<ProblemView> = problems
        .iter()
        .map(|p| ProblemView {
            row: p.row,
            column: p.column.clone(),
            message: lang.pick(&p.message_vi, &p.message_en).to_string(),
        })
        .collect();
    let mut response = render(
        state,
        user,
        headers,
        "units",
        "congress/import.html",
        minijinja::context! {
            congress => Serde(CongressView::of(congress, lang)),
            problems => Serde(views),
            file_name => file_name,
            headers_list => super::roster_file::ROSTER_FIELDS.iter().map(|f| f.export_header).collect::<Vec<_>>(),
        },
    );
    if !problems.is_empty() && response.status() == StatusCode::OK {
        *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    response
}

async fn import_form(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> Response {
    let result = async {
        let congress = congress_for(&state, &user.access, id, Action::RunCongress).await?;
        Ok(render_import(&state, &user, &headers, &congress, &[], ""))
    }
    .await;
    respond(&state, &user, &headers, result)
}

async fn import_upload(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
    body: Bytes,
) -> Response {
    let result = async {
        let congress = congress_for(&state, &user.access, id, Action::RunCongress).await?;
        let content_type =
            headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
        let parts = multipart(content_type, &body).ok_or_else(|| {
            AppError::bad_request("Không đọc được tệp gửi lên.", "The upload could not be read.")
        })?;
        let Some(file) =
            parts.into_iter().find(|part| part.name == "file" && !part.data.is_empty())
        else {
            let problem = RowProblem::new(
                0,
                "",
                "Hãy chọn tệp XLSX hoặc CSV.",
                "Choose an XLSX or CSV file.",
            );
            return Ok(render_import(&state, &user, &headers, &congress, &[problem], ""));
        };
        let file_name = file.filename.clone().unwrap_or_else(|| "upload".into());
        let format = TableFormat::detect(&file_name, &file.data);
        let people = read_table(&file.data, format)
            .map_err(|problem| vec![problem])
            .and_then(|table| read_roster(&table));
        let people = match people {
            Ok(people) => people,
            Err(problems) => {
                return Ok(render_import(
                    &state, &user, &headers, &congress, &problems, &file_name,
                ));
            }
        };
        let sha256 = hex::encode(Sha256::digest(&file.data));
        let outcome = async {
            let mut tx = state.store.begin_write(&user.actor()).await?;
            state.store.import_roster(&mut tx, congress.id, &people, &file_name, &sha256).await?;
            tx.commit().await
        }
        .await;
        match outcome {
            Ok(()) => {
                Ok(Redirect::to(&format!("/congresses/{}/people?done=imported", congress.id))
                    .into_response())
            }
            Err(daihoi_store::StoreError::Rule { message_vi, message_en, .. }) => {
                let problem = RowProblem::new(0, "", message_vi, message_en);
                Ok(render_import(&state, &user, &headers, &congress, &[problem], &file_name))
            }
            Err(error) => Err(error.into()),
        }
    }
    .await;
    respond(&state, &user, &headers, result)
}
