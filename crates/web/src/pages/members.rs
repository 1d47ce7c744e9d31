//! Member rosters in the browser: the list of a unit's subtree and of all the user's subtrees,
//! filtered, sorted and paged on the server; a member's page; the forms that add, edit and
//! remove members.

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use daihoi_core::access::Action;
use daihoi_core::member::{Education, MemberStatus, Membership, Sex, TheoryLevel};
use daihoi_store::{Member, MemberFilter, MemberInput, MemberSort, Page, Unit};
use minijinja::value::Serde;
use serde::{Deserialize, Serialize};
use time::Date;

use super::forms::{
    FieldErrors, FormData, Refusal, date_value, form_date, id_field, optional_date, refusal,
};
use super::listing::{QueryParams, descending, page_number, pagination, sort_headers};
use super::units::{SelectOption, UnitView};
use super::{render, respond};
use crate::auth::CurrentUser;
use crate::routing::RouteList;
use crate::scope::{Subtrees, member_for, unit_for};
use crate::{AppError, AppState, Lang};

/// Members shown per page of a roster.
const MEMBERS_PAGE_SIZE: u32 = 50;

/// Routes of this module.
pub fn routes() -> RouteList {
    RouteList::new()
        .get("/members", all_members)
        .get("/units/{id}/members", unit_members)
        .get("/units/{id}/members/new", new_form)
        .post("/units/{id}/members/new", create)
        .get("/members/{id}", show)
        .get("/members/{id}/edit", edit_form)
        .post("/members/{id}/edit", update)
        .get("/members/{id}/remove", remove_form)
        .post("/members/{id}/remove", remove)
}

/// Full years between a birth date and `today`.
pub fn age_on(birth: Date, today: Date) -> i32 {
    let mut age = today.year() - birth.year();
    if (u8::from(today.month()), today.day()) < (u8::from(birth.month()), birth.day()) {
        age -= 1;
    }
    age
}

/// A member as templates see it, labels in the page's language.
#[derive(Debug, Clone, Serialize)]
pub struct MemberView {
    id: i64,
    unit_id: i64,
    full_name: String,
    birth_date: Option<String>,
    age: Option<i32>,
    sex: String,
    ethnicity: String,
    joined_date: Option<String>,
    membership: &'static str,
    membership_label: &'static str,
    status: &'static str,
    status_label: &'static str,
    education: String,
    theory_level: String,
    note: String,
    version: i64,
}

impl MemberView {
    /// The view of a member, with the age on `today`.
    pub fn of(member: &Member, lang: Lang, today: Date) -> MemberView {
        let iso = |date| Some(date_value(date)).filter(|text| !text.is_empty());
        MemberView {
            id: member.id,
            unit_id: member.unit_id,
            full_name: member.full_name.clone(),
            birth_date: iso(member.birth_date),
            age: member.birth_date.map(|birth| age_on(birth, today)),
            sex: member
                .sex
                .map(|sex| lang.pick(sex.label_vi(), sex.label_en()))
                .unwrap_or("")
                .into(),
            ethnicity: member.ethnicity.clone().unwrap_or_default(),
            joined_date: iso(member.joined_date),
            membership: member.membership.code(),
            membership_label: lang.pick(member.membership.label_vi(), member.membership.label_en()),
            status: member.status.code(),
            status_label: lang.pick(member.status.label_vi(), member.status.label_en()),
            education: member
                .education
                .map(|e| lang.pick(e.label_vi(), e.label_en()))
                .unwrap_or("")
                .into(),
            theory_level: member
                .theory_level
                .map(|t| lang.pick(t.label_vi(), t.label_en()))
                .unwrap_or("")
                .into(),
            note: member.note.clone().unwrap_or_default(),
            version: member.version,
        }
    }
}

/// Options of a coded field, with an empty first option.
fn options<T: Copy>(
    all: &[T],
    code: impl Fn(T) -> &'static str,
    label: impl Fn(T) -> (&'static str, &'static str),
    lang: Lang,
    empty: &str,
) -> Vec<SelectOption> {
    let mut out = vec![SelectOption::new("", empty)];
    out.extend(all.iter().map(|value| {
        let (vi, en) = label(*value);
        SelectOption::new(code(*value), lang.pick(vi, en))
    }));
    out
}

/// The select options of the member form and filters.
fn member_options(lang: Lang, empty: &str) -> minijinja::Value {
    minijinja::context! {
        membership => Serde(options(Membership::ALL, Membership::code, |m| (m.label_vi(), m.label_en()), lang, empty)),
        status => Serde(options(MemberStatus::ALL, MemberStatus::code, |s| (s.label_vi(), s.label_en()), lang, empty)),
        sex => Serde(options(Sex::ALL, Sex::code, |s| (s.label_vi(), s.label_en()), lang, empty)),
        education => Serde(options(Education::ALL, Education::code, |e| (e.label_vi(), e.label_en()), lang, empty)),
        theory_level => Serde(options(TheoryLevel::ALL, TheoryLevel::code, |t| (t.label_vi(), t.label_en()), lang, empty)),
    }
}

/// The ethnic groups most often met on rosters, offered as suggestions (any text is accepted).
const ETHNICITIES: [&str; 16] = [
    "Kinh",
    "Tày",
    "Thái",
    "Mường",
    "Khmer",
    "Hoa",
    "Nùng",
    "Mông",
    "Dao",
    "Gia Rai",
    "Ê Đê",
    "Ba Na",
    "Sán Chay",
    "Chăm",
    "Cơ Ho",
    "Khơ Mú",
];

// ---------------------------------------------------------------------------------------------
// Lists

#[derive(Debug, Deserialize, Default)]
struct ListQuery {
    q: Option<String>,
    membership: Option<String>,
    status: Option<String>,
    sex: Option<String>,
    ethnicity: Option<String>,
    sort: Option<String>,
    dir: Option<String>,
    page: Option<String>,
    done: Option<String>,
}

fn sort_key(sort: MemberSort) -> &'static str {
    match sort {
        MemberSort::Name => "name",
        MemberSort::BirthDate => "birth_date",
        MemberSort::Joined => "joined",
    }
}

/// A row of a roster table: the member and the name of their unit.
#[derive(Debug, Clone, Serialize)]
struct MemberRow {
    member: MemberView,
    unit_name: String,
}

/// Renders a roster: `unit` for a unit's subtree, `None` for all the user's subtrees.
async fn roster(
    state: &AppState,
    user: &CurrentUser,
    headers: &HeaderMap,
    unit: Option<Unit>,
    query: ListQuery,
) -> Result<Response, AppError> {
    let lang = user.lang;
    let subtrees = match &unit {
        Some(unit) => Some(Subtrees::single(&unit.path)),
        None => Subtrees::of(&user.access, Action::View),
    };
    let text = |value: &Option<String>| value.as_deref().map(str::trim).unwrap_or("").to_string();
    let filter_values = minijinja::context! {
        q => text(&query.q),
        membership => text(&query.membership),
        status => text(&query.status),
        sex => text(&query.sex),
        ethnicity => text(&query.ethnicity),
    };
    let sort = MemberSort::parse(query.sort.as_deref().unwrap_or(""));
    let desc = descending(query.dir.as_deref());
    let page = Page::new(page_number(query.page.as_deref()), MEMBERS_PAGE_SIZE);
    let base = match &unit {
        Some(unit) => format!("/units/{}/members", unit.id),
        None => "/members".to_string(),
    };
    let params = QueryParams::new()
        .with("q", text(&query.q))
        .with("membership", text(&query.membership))
        .with("status", text(&query.status))
        .with("sex", text(&query.sex))
        .with("ethnicity", text(&query.ethnicity))
        .with("sort", if sort == MemberSort::Name { "" } else { sort_key(sort) })
        .with("dir", if desc { "desc" } else { "" });
    let (rows, pager) = match subtrees {
        None => (Vec::new(), pagination(0, 1, MEMBERS_PAGE_SIZE, 0, &base, &params)),
        Some(subtrees) => {
            let filter = MemberFilter {
                unit_id: None,
                subtree_paths: subtrees.paths().to_vec(),
                query: Some(text(&query.q)).filter(|q| !q.is_empty()),
                membership: query.membership.as_deref().and_then(Membership::parse),
                status: query.status.as_deref().and_then(MemberStatus::parse),
                sex: query.sex.as_deref().and_then(Sex::parse),
                ethnicity: Some(text(&query.ethnicity)).filter(|e| !e.is_empty()),
            };
            let members = state.store.members(&filter, sort, desc, page).await?;
            // The units of the rows on this page, in one query.
            let mut unit_ids: Vec<i64> = members.items.iter().map(|m| m.unit_id).collect();
            unit_ids.sort_unstable();
            unit_ids.dedup();
            let units = state.store.units_by_ids(&unit_ids).await?;
            let today = daihoi_store::today();
            let rows: Vec<MemberRow> = members
                .items
                .iter()
                .map(|member| MemberRow {
                    member: MemberView::of(member, lang, today),
                    unit_name: units
                        .iter()
                        .find(|unit| unit.id == member.unit_id)
                        .map(|unit| unit.name.clone())
                        .unwrap_or_default(),
                })
                .collect();
            let pager = pagination(
                members.total,
                members.page,
                members.page_size,
                members.items.len(),
                &base,
                &params.clone().with("page", members.page.to_string()),
            );
            (rows, pager)
        }
    };
    let headers_sort =
        sort_headers(&["name", "birth_date", "joined"], sort_key(sort), desc, &base, &params);
    let (breadcrumbs, can_add) = match &unit {
        Some(unit) => {
            let ancestors = state.store.ancestors(unit).await?;
            let crumbs: Vec<minijinja::Value> = ancestors
                .iter()
                .filter(|ancestor| user.access.can(Action::View, &ancestor.path))
                .map(|ancestor| minijinja::context! { id => ancestor.id, name => ancestor.name.clone() })
                .collect();
            (
                crumbs,
                unit.kind.is_cell()
                    && !unit.retired
                    && user.access.can(Action::EditMembers, &unit.path),
            )
        }
        None => (Vec::new(), false),
    };
    let any_filter = [&query.q, &query.membership, &query.status, &query.sex, &query.ethnicity]
        .iter()
        .any(|value| !text(value).is_empty());
    Ok(render(
        state,
        user,
        headers,
        "members",
        "members/list.html",
        minijinja::context! {
            unit => Serde(unit.as_ref().map(UnitView::of)),
            breadcrumbs => breadcrumbs,
            current => lang.pick("Danh sách đảng viên", "Members"),
            rows => Serde(rows),
            pagination => Serde(pager),
            sort_headers => Serde(headers_sort),
            f => filter_values,
            options => member_options(lang, lang.pick("Tất cả", "All")),
            ethnicities => ETHNICITIES.to_vec(),
            base => base,
            any_filter => any_filter,
            can_add => can_add,
            done => done_message(query.done.as_deref(), lang),
        },
    ))
}

async fn all_members(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    Query(query): Query<ListQuery>,
) -> Response {
    let result = roster(&state, &user, &headers, None, query).await;
    respond(&state, &user, &headers, result)
}

async fn unit_members(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Query(query): Query<ListQuery>,
) -> Response {
    let result = async {
        let unit = unit_for(&state, &user.access, id, Action::View).await?;
        roster(&state, &user, &headers, Some(unit), query).await
    }
    .await;
    respond(&state, &user, &headers, result)
}

// ---------------------------------------------------------------------------------------------
// One member

async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Query(query): Query<DoneQuery>,
) -> Response {
    let result = async {
        let member = member_for(&state, &user.access, id, Action::View).await?;
        let unit = state.store.unit(member.unit_id).await?;
        let ancestors = state.store.ancestors(&unit).await?;
        let breadcrumbs: Vec<minijinja::Value> = ancestors
            .iter()
            .filter(|ancestor| user.access.can(Action::View, &ancestor.path))
            .map(
                |ancestor| minijinja::context! { id => ancestor.id, name => ancestor.name.clone() },
            )
            .collect();
        Ok(render(
            &state,
            &user,
            &headers,
            "members",
            "members/show.html",
            minijinja::context! {
                member => Serde(MemberView::of(&member, user.lang, daihoi_store::today())),
                unit => Serde(UnitView::of(&unit)),
                breadcrumbs => breadcrumbs,
                current => member.full_name.clone(),
                can_edit => user.access.can(Action::EditMembers, &member.unit_path),
                done => done_message(query.done.as_deref(), user.lang),
            },
        ))
    }
    .await;
    respond(&state, &user, &headers, result)
}

/// The `done` marker a page gets after a successful change (`?done=created`).
#[derive(Debug, Deserialize, Default)]
struct DoneQuery {
    done: Option<String>,
}

fn done_message(done: Option<&str>, lang: Lang) -> Option<&'static str> {
    match done {
        Some("created") => Some(lang.pick("Đã thêm đảng viên.", "The member was added.")),
        Some("updated") => Some(lang.pick("Đã lưu thay đổi.", "Your changes were saved.")),
        Some("removed") => Some(lang.pick(
            "Đã đưa đảng viên ra khỏi danh sách.",
            "The member was removed from the roster.",
        )),
        _ => None,
    }
}

// ---------------------------------------------------------------------------------------------
// Add and edit

/// The member form's values as typed.
#[derive(Debug, Clone, Serialize, Default)]
struct MemberValues {
    full_name: String,
    birth_date: String,
    sex: String,
    ethnicity: String,
    joined_date: String,
    membership: String,
    status: String,
    education: String,
    theory_level: String,
    note: String,
    version: String,
}

impl MemberValues {
    fn of(member: &Member) -> MemberValues {
        MemberValues {
            full_name: member.full_name.clone(),
            birth_date: form_date(member.birth_date),
            sex: member.sex.map(Sex::code).unwrap_or("").into(),
            ethnicity: member.ethnicity.clone().unwrap_or_default(),
            joined_date: form_date(member.joined_date),
            membership: member.membership.code().into(),
            status: member.status.code().into(),
            education: member.education.map(Education::code).unwrap_or("").into(),
            theory_level: member.theory_level.map(TheoryLevel::code).unwrap_or("").into(),
            note: member.note.clone().unwrap_or_default(),
            version: member.version.to_string(),
        }
    }

    fn from_form(form: &FormData) -> MemberValues {
        MemberValues {
            full_name: form.get("full_name").into(),
            birth_date: form.get("birth_date").into(),
            sex: form.get("sex").into(),
            ethnicity: form.get("ethnicity").into(),
            joined_date: form.get("joined_date").into(),
            membership: form.get("membership").into(),
            status: form.get("status").into(),
            education: form.get("education").into(),
            theory_level: form.get("theory_level").into(),
            note: form.get("note").into(),
            version: form.get("version").into(),
        }
    }
}

/// The input showing a store rule's field.
fn member_input(field: &str) -> &'static str {
    match field {
        "birth_date" => "birth_date",
        "joined_date" => "joined_date",
        "membership" => "membership",
        "status" => "status",
        "ethnicity" => "ethnicity",
        _ => "full_name",
    }
}

/// Reads a coded select; an unknown code is a problem at that field.
fn coded<T>(
    form: &FormData,
    field: &str,
    parse: impl Fn(&str) -> Option<T>,
    lang: Lang,
    errors: &mut FieldErrors,
) -> Option<T> {
    let text = form.get(field);
    if text.is_empty() {
        return None;
    }
    let value = parse(text);
    if value.is_none() {
        errors.add_tr(lang, field, "Hãy chọn trong danh sách.", "Choose from the list.");
    }
    value
}

/// Reads and checks the member form.
fn read_member(form: &FormData, lang: Lang, errors: &mut FieldErrors) -> MemberInput {
    let full_name = form.get("full_name").to_string();
    if full_name.is_empty() {
        errors.add_tr(
            lang,
            "full_name",
            "Hãy nhập họ và tên đảng viên.",
            "Enter the member's full name.",
        );
    }
    let birth_date = optional_date(form, "birth_date", lang, errors);
    let sex = coded(form, "sex", Sex::parse, lang, errors);
    let joined_date = optional_date(form, "joined_date", lang, errors);
    let today = daihoi_store::today();
    if birth_date.is_some_and(|date| date > today) {
        errors.add_tr(
            lang,
            "birth_date",
            "Ngày sinh ở tương lai.",
            "The birth date is in the future.",
        );
    }
    if joined_date.is_some_and(|date| date > today) {
        errors.add_tr(
            lang,
            "joined_date",
            "Ngày vào Đảng ở tương lai.",
            "The date joined is in the future.",
        );
    }
    let membership = coded(form, "membership", Membership::parse, lang, errors);
    if membership.is_none() && form.get("membership").is_empty() {
        errors.add_tr(
            lang,
            "membership",
            "Hãy chọn đảng viên chính thức hay dự bị.",
            "Choose official or probationary.",
        );
    }
    let status = coded(form, "status", MemberStatus::parse, lang, errors);
    let education = coded(form, "education", Education::parse, lang, errors);
    let theory_level = coded(form, "theory_level", TheoryLevel::parse, lang, errors);
    MemberInput {
        full_name,
        birth_date,
        sex,
        ethnicity: Some(form.get("ethnicity").to_string()).filter(|e| !e.is_empty()),
        joined_date,
        membership: membership.unwrap_or(Membership::Official),
        status: status.unwrap_or(MemberStatus::Active),
        education,
        theory_level,
        note: Some(form.get("note").to_string()).filter(|n| !n.is_empty()),
    }
}

struct MemberFormPage {
    mode: &'static str,
    unit: Unit,
    member: Option<Member>,
    values: MemberValues,
    errors: FieldErrors,
    stale: Option<String>,
}

fn render_member_form(
    state: &AppState,
    user: &CurrentUser,
    headers: &HeaderMap,
    page: MemberFormPage,
) -> Response {
    let failed = !page.errors.is_empty() || page.stale.is_some();
    let today = daihoi_store::today();
    let mut response = render(
        state,
        user,
        headers,
        "members",
        "members/form.html",
        minijinja::context! {
            mode => page.mode,
            unit => Serde(UnitView::of(&page.unit)),
            member => Serde(page.member.as_ref().map(|m| MemberView::of(m, user.lang, today))),
            v => Serde(page.values),
            errors => page.errors.to_value(),
            stale => page.stale,
            options => member_options(user.lang, "—"),
            ethnicities => ETHNICITIES.to_vec(),
        },
    );
    if failed && response.status() == StatusCode::OK {
        *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    response
}

async fn new_form(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> Response {
    let result = async {
        let unit = unit_for(&state, &user.access, id, Action::EditMembers).await?;
        Ok(render_member_form(
            &state,
            &user,
            &headers,
            MemberFormPage {
                mode: "create",
                unit,
                member: None,
                values: MemberValues {
                    membership: Membership::Official.code().into(),
                    status: MemberStatus::Active.code().into(),
                    ..MemberValues::default()
                },
                errors: FieldErrors::new(),
                stale: None,
            },
        ))
    }
    .await;
    respond(&state, &user, &headers, result)
}

async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
    form: FormData,
) -> Response {
    let result = async {
        let lang = user.lang;
        let unit = unit_for(&state, &user.access, id, Action::EditMembers).await?;
        let mut errors = FieldErrors::new();
        let input = read_member(&form, lang, &mut errors);
        if errors.is_empty() {
            let outcome = async {
                let mut tx = state.store.begin_write(&user.actor()).await?;
                let member = state.store.create_member(&mut tx, unit.id, &input).await?;
                tx.commit().await?;
                Ok(member)
            }
            .await;
            match outcome {
                Ok(member) => {
                    return Ok(Redirect::to(&format!("/members/{}?done=created", member.id))
                        .into_response());
                }
                Err(error) => match refusal(error, lang, member_input) {
                    Refusal::Field(e) => errors.add(&e.field, e.message),
                    Refusal::Stale(message) => errors.add("full_name", message),
                    Refusal::Other(error) => return Err(error.into()),
                },
            }
        }
        Ok(render_member_form(
            &state,
            &user,
            &headers,
            MemberFormPage {
                mode: "create",
                unit,
                member: None,
                values: MemberValues::from_form(&form),
                errors,
                stale: None,
            },
        ))
    }
    .await;
    respond(&state, &user, &headers, result)
}

async fn edit_form(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> Response {
    let result = async {
        let member = member_for(&state, &user.access, id, Action::EditMembers).await?;
        let unit = state.store.unit(member.unit_id).await?;
        Ok(render_member_form(
            &state,
            &user,
            &headers,
            MemberFormPage {
                mode: "edit",
                unit,
                values: MemberValues::of(&member),
                member: Some(member),
                errors: FieldErrors::new(),
                stale: None,
            },
        ))
    }
    .await;
    respond(&state, &user, &headers, result)
}

async fn update(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
    form: FormData,
) -> Response {
    let result = async {
        let lang = user.lang;
        let member = member_for(&state, &user.access, id, Action::EditMembers).await?;
        let unit = state.store.unit(member.unit_id).await?;
        let mut errors = FieldErrors::new();
        let input = read_member(&form, lang, &mut errors);
        let version = id_field(&form, "version").unwrap_or(-1);
        let mut stale = None;
        if errors.is_empty() {
            let outcome = async {
                let mut tx = state.store.begin_write(&user.actor()).await?;
                let member = state.store.update_member(&mut tx, member.id, version, &input).await?;
                tx.commit().await?;
                Ok(member)
            }
            .await;
            match outcome {
                Ok(member) => {
                    return Ok(Redirect::to(&format!("/members/{}?done=updated", member.id))
                        .into_response());
                }
                Err(error) => match refusal(error, lang, member_input) {
                    Refusal::Field(e) => errors.add(&e.field, e.message),
                    Refusal::Stale(message) => stale = Some(message),
                    Refusal::Other(error) => return Err(error.into()),
                },
            }
        }
        Ok(render_member_form(
            &state,
            &user,
            &headers,
            MemberFormPage {
                mode: "edit",
                unit,
                member: Some(member),
                values: MemberValues::from_form(&form),
                errors,
                stale,
            },
        ))
    }
    .await;
    respond(&state, &user, &headers, result)
}

// ---------------------------------------------------------------------------------------------
// Remove

/// Why members leave a roster, as the party file records it: code, Vietnamese, English.
const REMOVAL_REASONS: [(&str, &str, &str); 5] = [
    ("transferred", "Chuyển sinh hoạt đảng chính thức đi nơi khác", "Transferred to another unit"),
    ("deceased", "Từ trần", "Deceased"),
    ("removed", "Xóa tên khỏi danh sách đảng viên", "Name struck off"),
    ("expelled", "Khai trừ khỏi Đảng", "Expelled"),
    ("entry_error", "Nhập sai, xóa bản ghi", "Entered by mistake"),
];

fn removal_reasons(lang: Lang) -> Vec<SelectOption> {
    let mut options =
        vec![SelectOption::new("", lang.pick("— Chọn lý do —", "— Choose a reason —"))];
    options.extend(
        REMOVAL_REASONS.iter().map(|(code, vi, en)| SelectOption::new(*code, lang.pick(vi, en))),
    );
    options
}

fn render_remove(
    state: &AppState,
    user: &CurrentUser,
    headers: &HeaderMap,
    member: &Member,
    values: minijinja::Value,
    errors: FieldErrors,
    stale: Option<String>,
) -> Response {
    let failed = !errors.is_empty() || stale.is_some();
    let mut response = render(
        state,
        user,
        headers,
        "members",
        "members/remove.html",
        minijinja::context! {
            member => Serde(MemberView::of(member, user.lang, daihoi_store::today())),
            v => values,
            errors => errors.to_value(),
            stale => stale,
            reasons => Serde(removal_reasons(user.lang)),
        },
    );
    if failed && response.status() == StatusCode::OK {
        *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    response
}

async fn remove_form(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> Response {
    let result = async {
        let member = member_for(&state, &user.access, id, Action::EditMembers).await?;
        let values = minijinja::context! { reason => "", version => member.version.to_string() };
        Ok(render_remove(&state, &user, &headers, &member, values, FieldErrors::new(), None))
    }
    .await;
    respond(&state, &user, &headers, result)
}

async fn remove(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
    form: FormData,
) -> Response {
    let result = async {
        let lang = user.lang;
        let member = member_for(&state, &user.access, id, Action::EditMembers).await?;
        let mut errors = FieldErrors::new();
        let reason = form.get("reason");
        if !REMOVAL_REASONS.iter().any(|(code, _, _)| *code == reason) {
            errors.add_tr(
                lang,
                "reason",
                "Hãy chọn lý do đưa đảng viên ra khỏi danh sách.",
                "Choose why the member leaves the roster.",
            );
        }
        let version = id_field(&form, "version").unwrap_or(-1);
        let mut stale = None;
        if errors.is_empty() {
            let outcome = async {
                let mut tx = state.store.begin_write(&user.actor()).await?;
                state.store.remove_member(&mut tx, member.id, version, reason).await?;
                tx.commit().await
            }
            .await;
            match outcome {
                Ok(()) => {
                    return Ok(Redirect::to(&format!(
                        "/units/{}/members?done=removed",
                        member.unit_id
                    ))
                    .into_response());
                }
                Err(error) => match refusal(error, lang, |_| "reason") {
                    Refusal::Field(e) => errors.add(&e.field, e.message),
                    Refusal::Stale(message) => stale = Some(message),
                    Refusal::Other(error) => return Err(error.into()),
                },
            }
        }
        let values = minijinja::context! { reason => reason, version => form.get("version") };
        Ok(render_remove(&state, &user, &headers, &member, values, errors, stale))
    }
    .await;
    respond(&state, &user, &headers, result)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::Month;

    #[test]
    fn age_counts_full_years_only() {
        let date = |y, m, d| Date::from_calendar_date(y, m, d).unwrap();
        let birth = date(1980, Month::March, 15);
        assert_eq!(age_on(birth, date(2020, Month::March, 14)), 39);
        assert_eq!(age_on(birth, date(2020, Month::March, 15)), 40);
        assert_eq!(age_on(birth, date(2020, Month::December, 1)), 40);
        let leap = date(2000, Month::February, 29);
        assert_eq!(age_on(leap, date(2021, Month::February, 28)), 20);
        assert_eq!(age_on(leap, date(2021, Month::March, 1)), 21);
    }
}
