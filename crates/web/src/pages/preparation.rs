//! Congress preparation in the browser: the congresses of the user's subtrees with their
//! overdue tasks; a congress's subcommittees with members and task checklists (overdue tasks
//! highlighted); drafts with their versions and the comments collected, exported as XLSX; the
//! budget; and the small overdue-tasks list the home page loads.

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use daihoi_core::access::Action;
use daihoi_core::prep::SubcommitteeKind;
use daihoi_render::{
    Cell, CommentLine, CommentsSummary, Sheet, SheetColumn, comments_summary_docx, xlsx_table,
};
use daihoi_store::congress::Congress;
use daihoi_store::prep::{
    DraftKind, DraftRecord, NewComment, NewSubcommittee, SubRole, Task, TaskEdit, TaskStatus,
};
use daihoi_store::{Page, UnitSort};
use minijinja::value::Serde;
use serde::{Deserialize, Serialize};

use super::forms::{
    FieldErrors, FormData, Refusal, date_value, form_date, optional_date, parse_count, refusal,
};
use super::import::attachment as attachment_response;
use super::units::SelectOption;
use super::{html, render, respond};
use crate::auth::CurrentUser;
use crate::routing::RouteList;
use crate::scope::{Subtrees, require};
use crate::{AppError, AppState, Lang};

/// Routes of this module.
pub fn routes() -> RouteList {
    RouteList::new()
        .get("/preparation", overview)
        .get("/preparation/overdue", overdue_fragment)
        .get("/congresses/{id}/preparation", congress_page)
        .post("/congresses/{id}/subcommittees", create_subcommittee)
        .post("/subcommittees/{id}/tasks", add_task)
        .post("/tasks/{id}", update_task)
        .get("/congresses/{id}/drafts", drafts_page)
        .post("/congresses/{id}/drafts", create_draft)
        .get("/drafts/{id}", draft_page)
        .post("/drafts/{id}/versions", add_version)
        .post("/drafts/{id}/comments", add_comment)
        .get("/drafts/{id}/comments.xlsx", export_comments)
        .get("/drafts/{id}/comments.docx", export_comments_docx)
        .get("/congresses/{id}/budget", budget_page)
        .post("/congresses/{id}/budget", add_budget_line)
        .post("/budget/{id}", update_budget_line)
}

/// The day tasks are judged against: the day the database pins (the demo campaign of 2020
/// does), otherwise today in Vietnam.
pub async fn today(state: &AppState) -> time::Date {
    state.store.preparation_as_of().await.ok().flatten().unwrap_or_else(daihoi_store::today)
}

/// A congress the caller may do `action` on.
async fn congress_for(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
    action: Action,
) -> Result<Congress, AppError> {
    let congress = state.store.congress(id).await?;
    require(&user.access, action, &congress.unit_path)?;
    Ok(congress)
}

#[derive(Debug, Serialize)]
struct TaskView {
    id: i64,
    title: String,
    owner: String,
    due_on: String,
    due_form: String,
    status: &'static str,
    status_label: &'static str,
    done_on: String,
    overdue: bool,
    version: i64,
    subcommittee: String,
    congress_id: i64,
    congress_title: String,
}

fn task_view(task: &Task, lang: Lang, today: time::Date) -> TaskView {
    TaskView {
        id: task.id,
        title: task.title.clone(),
        owner: task.owner.clone().unwrap_or_default(),
        due_on: date_value(task.due_on),
        due_form: form_date(task.due_on),
        status: task.status.code(),
        status_label: lang.pick(task.status.label_vi(), task.status.label_en()),
        done_on: date_value(task.done_on),
        overdue: task.overdue(today),
        version: task.version,
        subcommittee: String::new(),
        congress_id: task.congress_id,
        congress_title: String::new(),
    }
}

async fn overdue_views(
    state: &AppState,
    user: &CurrentUser,
    limit: i64,
) -> Result<Vec<TaskView>, AppError> {
    let today = today(state).await;
    let Some(subtrees) = Subtrees::of(&user.access, Action::View) else { return Ok(Vec::new()) };
    Ok(state
        .store
        .overdue_tasks(subtrees.paths(), today, limit)
        .await?
        .iter()
        .map(|overdue| TaskView {
            subcommittee: overdue.subcommittee.clone(),
            congress_title: overdue.congress_title.clone(),
            ..task_view(&overdue.task, user.lang, today)
        })
        .collect())
}

async fn overview(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
) -> Response {
    let result = async {
        let congresses: Vec<minijinja::Value> = match Subtrees::of(&user.access, Action::View) {
            Some(subtrees) => state
                .store
                .congresses(subtrees.paths(), Page::new(1, 200))
                .await?
                .items
                .iter()
                .map(|c| minijinja::context! { id => c.id, title => c.title.clone() })
                .collect(),
            None => Vec::new(),
        };
        let overdue = overdue_views(&state, &user, 100).await?;
        Ok(render(
            &state,
            &user,
            &headers,
            "preparation",
            "preparation/overview.html",
            minijinja::context! { congresses => congresses, overdue => Serde(overdue), today => date_value(Some(today(&state).await)) },
        ))
    }
    .await;
    respond(&state, &user, &headers, result)
}

/// `GET /preparation/overdue`: the few most overdue tasks of the user's subtrees, as a fragment
/// the home page loads.
async fn overdue_fragment(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
) -> Response {
    let result = async {
        let overdue = overdue_views(&state, &user, 8).await?;
        let ctx = super::PageCtx::for_user(&user, "home");
        let body = state
            .templates
            .render(
                "preparation/_overdue.html",
                ctx.with(minijinja::context! { overdue => Serde(overdue) }),
            )
            .map_err(|error| AppError::Internal(error.to_string()))?;
        Ok(html(body))
    }
    .await;
    respond(&state, &user, &headers, result)
}

// ---------------------------------------------------------------------------------------------
// Subcommittees and tasks

async fn congress_page_with(
    state: &AppState,
    user: &CurrentUser,
    headers: &HeaderMap,
    congress: Congress,
    errors: FieldErrors,
    done: Option<&str>,
) -> Result<Response, AppError> {
    let lang = user.lang;
    let today = today(state).await;
    let subcommittees: Vec<minijinja::Value> = state
        .store
        .subcommittees(congress.id)
        .await?
        .iter()
        .map(|sub| {
            let members: Vec<minijinja::Value> = sub
                .members
                .iter()
                .map(|m| minijinja::context! {
                    full_name => m.full_name.clone(), title => m.title.clone(),
                    role => m.role.code(), role_label => lang.pick(m.role.label_vi(), m.role.label_en()),
                })
                .collect();
            let tasks: Vec<TaskView> = sub.tasks.iter().map(|t| task_view(t, lang, today)).collect();
            let n_overdue = tasks.iter().filter(|t| t.overdue).count();
            let n_done = tasks.iter().filter(|t| t.status == "done").count();
            minijinja::context! {
                id => sub.id, name => lang.pick(sub.kind.label_vi(), sub.kind.label_en()),
                decision => sub.decision.clone(), members => members, tasks => Serde(tasks),
                n_overdue => n_overdue, n_done => n_done,
            }
        })
        .collect();
    let existing: Vec<SubcommitteeKind> =
        state.store.subcommittees(congress.id).await?.iter().map(|s| s.kind).collect();
    let kinds: Vec<SelectOption> = SubcommitteeKind::ALL
        .iter()
        .filter(|kind| !existing.contains(kind))
        .map(|kind| SelectOption::new(kind.code(), lang.pick(kind.label_vi(), kind.label_en())))
        .collect();
    let statuses: Vec<SelectOption> = TaskStatus::ALL
        .iter()
        .map(|s| SelectOption::new(s.code(), lang.pick(s.label_vi(), s.label_en())))
        .collect();
    let failed = !errors.is_empty();
    let mut response = render(
        state,
        user,
        headers,
        "preparation",
        "preparation/congress.html",
        minijinja::context! {
            congress => minijinja::context! { id => congress.id, title => congress.title.clone(), unit_id => congress.unit_id },
            subcommittees => subcommittees,
            kinds => Serde(kinds),
            statuses => Serde(statuses),
            can_edit => user.access.can(Action::RunCongress, &congress.unit_path),
            errors => errors.to_value(),
            today => date_value(Some(today)),
            done => done,
        },
    );
    if failed && response.status() == StatusCode::OK {
        *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(response)
}

#[derive(Debug, Deserialize, Default)]
struct DoneQuery {
    done: Option<String>,
}

fn done_message(done: Option<&str>, lang: Lang) -> Option<&'static str> {
    match done {
        Some("saved") => Some(lang.pick("Đã lưu.", "Saved.")),
        Some("created") => {
            Some(lang.pick("Đã thành lập tiểu ban.", "The subcommittee was set up."))
        }
        _ => None,
    }
}

async fn congress_page(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Query(query): Query<DoneQuery>,
) -> Response {
    let result = async {
        let congress = congress_for(&state, &user, id, Action::View).await?;
        let done = done_message(query.done.as_deref(), user.lang);
        congress_page_with(&state, &user, &headers, congress, FieldErrors::new(), done).await
    }
    .await;
    respond(&state, &user, &headers, result)
}

/// People typed one a line as "Full name; post".
fn people(text: &str, role: SubRole) -> Vec<(String, Option<String>, SubRole)> {
    text.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .map(|line| match line.split_once(';') {
            Some((name, title)) => (name.trim().to_string(), Some(title.trim().to_string()), role),
            None => (line.to_string(), None, role),
        })
        .collect()
}

async fn create_subcommittee(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
    form: FormData,
) -> Response {
    let result = async {
        let lang = user.lang;
        let congress = congress_for(&state, &user, id, Action::RunCongress).await?;
        let mut errors = FieldErrors::new();
        let kind = SubcommitteeKind::parse(form.get("kind"));
        if kind.is_none() {
            errors.add_tr(lang, "kind", "Hãy chọn tiểu ban.", "Choose the subcommittee.");
        }
        let mut members = people(form.get("head"), SubRole::Head);
        if members.len() > 1 {
            errors.add_tr(lang, "head", "Chỉ nhập một Trưởng Tiểu ban.", "Enter one head only.");
        }
        members.extend(people(form.get("deputies"), SubRole::Deputy));
        members.extend(people(form.get("members"), SubRole::Member));
        if let (true, Some(kind)) = (errors.is_empty(), kind) {
            let new = NewSubcommittee {
                congress_id: congress.id,
                kind,
                decision: Some(form.get("decision").to_string()),
                members,
                prefill: form.get("prefill") == "1",
            };
            let outcome = async {
                let mut tx = state.store.begin_write(&user.actor()).await?;
                state.store.create_subcommittee(&mut tx, new).await?;
                tx.commit().await?;
                Ok(())
            }
            .await;
            match outcome {
                Ok(()) => {
                    return Ok(Redirect::to(&format!(
                        "/congresses/{}/preparation?done=created",
                        congress.id
                    ))
                    .into_response());
                }
                Err(error) => {
                    match refusal(error, lang, |f| if f == "members" { "head" } else { "kind" }) {
                        Refusal::Field(e) => errors.add(&e.field, e.message),
                        Refusal::Stale(message) => errors.add("kind", message),
                        Refusal::Other(error) => return Err(error.into()),
                    }
                }
            }
        }
        congress_page_with(&state, &user, &headers, congress, errors, None).await
    }
    .await;
    respond(&state, &user, &headers, result)
}

async fn add_task(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
    form: FormData,
) -> Response {
    let result = async {
        let lang = user.lang;
        let sub = state.store.subcommittee(id).await?;
        let congress = congress_for(&state, &user, sub.congress_id, Action::RunCongress).await?;
        let mut errors = FieldErrors::new();
        let field = format!("task-title-{}", sub.id);
        let due = optional_date(&form, "due_on", lang, &mut errors);
        if form.get("title").is_empty() {
            errors.add_tr(lang, &field, "Hãy nhập nội dung công việc.", "Enter the task.");
        }
        if errors.is_empty() {
            let outcome = async {
                let mut tx = state.store.begin_write(&user.actor()).await?;
                let owner = Some(form.get("owner")).filter(|o| !o.is_empty());
                state.store.add_task(&mut tx, sub.id, form.get("title"), owner, due).await?;
                tx.commit().await?;
                Ok(())
            }
            .await;
            match outcome {
                Ok(()) => {
                    return Ok(Redirect::to(&format!(
                        "/congresses/{}/preparation?done=saved",
                        congress.id
                    ))
                    .into_response());
                }
                Err(error) => match refusal(error, lang, |_| "title") {
                    Refusal::Field(e) => errors.add(&field, e.message),
                    Refusal::Stale(message) => errors.add(&field, message),
                    Refusal::Other(error) => return Err(error.into()),
                },
            }
        }
        congress_page_with(&state, &user, &headers, congress, errors, None).await
    }
    .await;
    respond(&state, &user, &headers, result)
}

async fn update_task(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
    form: FormData,
) -> Response {
    let result = async {
        let lang = user.lang;
        let task = state.store.task(id).await?;
        let congress = congress_for(&state, &user, task.congress_id, Action::RunCongress).await?;
        let mut errors = FieldErrors::new();
        let field = format!("task-{}", task.id);
        let status = TaskStatus::parse(form.get("status"));
        if status.is_none() {
            errors.add_tr(lang, &field, "Hãy chọn trạng thái.", "Choose a status.");
        }
        let due_text = form.get("due_on");
        let due_on = if due_text.is_empty() { None } else { super::forms::parse_date(due_text) };
        if !due_text.is_empty() && due_on.is_none() {
            errors.add_tr(
                lang,
                &field,
                "Hạn hoàn thành không phải là ngày (ngày/tháng/năm).",
                "The due date is not a date (day/month/year).",
            );
        }
        let version = form.get("version").parse().unwrap_or(-1);
        if let (true, Some(status)) = (errors.is_empty(), status) {
            let edit =
                TaskEdit { status, owner: Some(form.get("owner").to_string()), due_on, version };
            let day = today(&state).await;
            let outcome = async {
                let mut tx = state.store.begin_write(&user.actor()).await?;
                state.store.update_task(&mut tx, task.id, edit, day).await?;
                tx.commit().await?;
                Ok(())
            }
            .await;
            match outcome {
                Ok(()) => {
                    return Ok(Redirect::to(&format!(
                        "/congresses/{}/preparation?done=saved#task-{}",
                        congress.id, task.id
                    ))
                    .into_response());
                }
                Err(error) => match refusal(error, lang, |_| "status") {
                    Refusal::Field(e) => errors.add(&field, e.message),
                    Refusal::Stale(message) => errors.add(&field, message),
                    Refusal::Other(error) => return Err(error.into()),
                },
            }
        }
        congress_page_with(&state, &user, &headers, congress, errors, None).await
    }
    .await;
    respond(&state, &user, &headers, result)
}

// ---------------------------------------------------------------------------------------------
// Drafts

async fn drafts_page_with(
    state: &AppState,
    user: &CurrentUser,
    headers: &HeaderMap,
    congress: Congress,
    errors: FieldErrors,
) -> Result<Response, AppError> {
    let lang = user.lang;
    let drafts: Vec<minijinja::Value> = state
        .store
        .drafts(congress.id)
        .await?
        .iter()
        .map(|d| minijinja::context! { id => d.id, title => d.title.clone(), kind => lang.pick(d.kind.label_vi(), d.kind.label_en()) })
        .collect();
    let kinds: Vec<SelectOption> = DraftKind::ALL
        .iter()
        .map(|k| SelectOption::new(k.code(), lang.pick(k.label_vi(), k.label_en())))
        .collect();
    let failed = !errors.is_empty();
    let mut response = render(
        state,
        user,
        headers,
        "preparation",
        "preparation/drafts.html",
        minijinja::context! {
            congress => minijinja::context! { id => congress.id, title => congress.title.clone() },
            drafts => drafts,
            kinds => Serde(kinds),
            can_edit => user.access.can(Action::RunCongress, &congress.unit_path),
            errors => errors.to_value(),
        },
    );
    if failed && response.status() == StatusCode::OK {
        *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(response)
}

async fn drafts_page(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> Response {
    let result = async {
        let congress = congress_for(&state, &user, id, Action::View).await?;
        drafts_page_with(&state, &user, &headers, congress, FieldErrors::new()).await
    }
    .await;
    respond(&state, &user, &headers, result)
}

async fn create_draft(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
    form: FormData,
) -> Response {
    let result = async {
        let lang = user.lang;
        let congress = congress_for(&state, &user, id, Action::RunCongress).await?;
        let mut errors = FieldErrors::new();
        let kind = DraftKind::parse(form.get("kind"));
        if kind.is_none() {
            errors.add_tr(lang, "kind", "Hãy chọn loại văn kiện.", "Choose the kind of document.");
        }
        let prepared_on = optional_date(&form, "prepared_on", lang, &mut errors);
        if prepared_on.is_none() && form.get("prepared_on").is_empty() {
            errors.add_tr(
                lang,
                "prepared_on",
                "Hãy nhập ngày của bản dự thảo.",
                "Enter the draft's date.",
            );
        }
        if let (true, Some(kind), Some(prepared_on)) = (errors.is_empty(), kind, prepared_on) {
            let outcome = async {
                let mut tx = state.store.begin_write(&user.actor()).await?;
                let record = state
                    .store
                    .create_draft(&mut tx, congress.id, kind, form.get("title"), prepared_on)
                    .await?;
                tx.commit().await?;
                Ok(record)
            }
            .await;
            match outcome {
                Ok(record) => {
                    return Ok(
                        Redirect::to(&format!("/drafts/{}", record.draft.id)).into_response()
                    );
                }
                Err(error) => match refusal(error, lang, |_| "title") {
                    Refusal::Field(e) => errors.add(&e.field, e.message),
                    Refusal::Stale(message) => errors.add("title", message),
                    Refusal::Other(error) => return Err(error.into()),
                },
            }
        }
        drafts_page_with(&state, &user, &headers, congress, errors).await
    }
    .await;
    respond(&state, &user, &headers, result)
}

async fn draft_for(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
    action: Action,
) -> Result<DraftRecord, AppError> {
    let record = state.store.draft(id).await?;
    require(&user.access, action, &record.draft.unit_path)?;
    Ok(record)
}

async fn draft_page_with(
    state: &AppState,
    user: &CurrentUser,
    headers: &HeaderMap,
    record: DraftRecord,
    errors: FieldErrors,
) -> Result<Response, AppError> {
    let lang = user.lang;
    let congress = state.store.congress(record.draft.congress_id).await?;
    let versions: Vec<minijinja::Value> = record
        .versions
        .iter()
        .map(|v| {
            let n_comments = record.comments.iter().filter(|c| c.version_id == v.id).count();
            minijinja::context! {
                id => v.id, number => v.number, label => v.label.clone(),
                prepared_on => date_value(Some(v.prepared_on)), note => v.note.clone(), n_comments => n_comments,
            }
        })
        .collect();
    let comments: Vec<minijinja::Value> = record
        .comments
        .iter()
        .map(|c| minijinja::context! {
            version_number => c.version_number, author => c.author.clone(), from_unit_id => c.from_unit_id,
            section => c.section.clone(), body => c.body.clone(), received_on => date_value(Some(c.received_on)),
        })
        .collect();
    let children = state
        .store
        .children(congress.unit_id, UnitSort::Name, false, false, Page::new(1, 200))
        .await?;
    let mut unit_options = vec![SelectOption::new(
        "",
        lang.pick("— Cá nhân, không theo đơn vị —", "— A person, not a unit —"),
    )];
    unit_options
        .extend(children.items.iter().map(|u| SelectOption::new(u.id.to_string(), u.name.clone())));
    let version_options: Vec<SelectOption> = record
        .versions
        .iter()
        .rev()
        .map(|v| SelectOption::new(v.id.to_string(), v.label.clone()))
        .collect();
    let failed = !errors.is_empty();
    let mut response = render(
        state,
        user,
        headers,
        "preparation",
        "preparation/draft.html",
        minijinja::context! {
            draft => minijinja::context! { id => record.draft.id, title => record.draft.title.clone(), kind => lang.pick(record.draft.kind.label_vi(), record.draft.kind.label_en()) },
            congress => minijinja::context! { id => congress.id, title => congress.title.clone() },
            versions => versions,
            comments => comments,
            unit_options => Serde(unit_options),
            version_options => Serde(version_options),
            can_edit => user.access.can(Action::RunCongress, &record.draft.unit_path),
            errors => errors.to_value(),
        },
    );
    if failed && response.status() == StatusCode::OK {
        *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(response)
}

async fn draft_page(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> Response {
    let result = async {
        let record = draft_for(&state, &user, id, Action::View).await?;
        draft_page_with(&state, &user, &headers, record, FieldErrors::new()).await
    }
    .await;
    respond(&state, &user, &headers, result)
}

async fn add_version(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
    form: FormData,
) -> Response {
    let result = async {
        let lang = user.lang;
        let record = draft_for(&state, &user, id, Action::RunCongress).await?;
        let mut errors = FieldErrors::new();
        let prepared_on = optional_date(&form, "prepared_on", lang, &mut errors);
        if prepared_on.is_none() && form.get("prepared_on").is_empty() {
            errors.add_tr(
                lang,
                "prepared_on",
                "Hãy nhập ngày của bản dự thảo.",
                "Enter the draft's date.",
            );
        }
        if let (true, Some(prepared_on)) = (errors.is_empty(), prepared_on) {
            let outcome = async {
                let mut tx = state.store.begin_write(&user.actor()).await?;
                let note = Some(form.get("note")).filter(|n| !n.is_empty());
                state
                    .store
                    .add_draft_version(
                        &mut tx,
                        record.draft.id,
                        form.get("label"),
                        prepared_on,
                        note,
                    )
                    .await?;
                tx.commit().await?;
                Ok(())
            }
            .await;
            match outcome {
                Ok(()) => {
                    return Ok(
                        Redirect::to(&format!("/drafts/{}", record.draft.id)).into_response()
                    );
                }
                Err(error) => match refusal(error, lang, |_| "prepared_on") {
                    Refusal::Field(e) => errors.add(&e.field, e.message),
                    Refusal::Stale(message) => errors.add("prepared_on", message),
                    Refusal::Other(error) => return Err(error.into()),
                },
            }
        }
        draft_page_with(&state, &user, &headers, record, errors).await
    }
    .await;
    respond(&state, &user, &headers, result)
}

async fn add_comment(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
    form: FormData,
) -> Response {
    let result = async {
        let lang = user.lang;
        let record = draft_for(&state, &user, id, Action::RunCongress).await?;
        let mut errors = FieldErrors::new();
        let received_on = optional_date(&form, "received_on", lang, &mut errors);
        if received_on.is_none() && form.get("received_on").is_empty() {
            errors.add_tr(
                lang,
                "received_on",
                "Hãy nhập ngày nhận góp ý.",
                "Enter the day the comment came in.",
            );
        }
        if form.get("body").is_empty() {
            errors.add_tr(lang, "body", "Hãy nhập nội dung góp ý.", "Enter the comment.");
        }
        let version_id: Option<i64> = form.get("version_id").parse().ok();
        if version_id.is_none() {
            errors.add_tr(lang, "version_id", "Hãy chọn bản dự thảo.", "Choose the version.");
        }
        let from_unit_id: Option<i64> = form.get("from_unit_id").parse().ok();
        if from_unit_id.is_none() && form.get("author").is_empty() {
            errors.add_tr(
                lang,
                "author",
                "Hãy nhập người góp ý hoặc chọn đơn vị.",
                "Enter who commented or choose a unit.",
            );
        }
        if let (true, Some(received_on), Some(version_id)) =
            (errors.is_empty(), received_on, version_id)
        {
            let comment = NewComment {
                version_id,
                from_unit_id,
                author: form.get("author").to_string(),
                section: Some(form.get("section").to_string()),
                body: form.get("body").to_string(),
                received_on,
            };
            let outcome = async {
                let mut tx = state.store.begin_write(&user.actor()).await?;
                state.store.add_draft_comment(&mut tx, record.draft.id, comment).await?;
                tx.commit().await?;
                Ok(())
            }
            .await;
            match outcome {
                Ok(()) => {
                    return Ok(Redirect::to(&format!("/drafts/{}#comments", record.draft.id))
                        .into_response());
                }
                Err(daihoi_store::StoreError::NotFound) => {
                    errors.add_tr(
                        lang,
                        "from_unit_id",
                        "Không có đơn vị này.",
                        "There is no such unit.",
                    );
                }
                Err(error) => match refusal(error, lang, |f| match f {
                    "from_unit_id" => "from_unit_id",
                    "version_id" => "version_id",
                    "author" => "author",
                    _ => "body",
                }) {
                    Refusal::Field(e) => errors.add(&e.field, e.message),
                    Refusal::Stale(message) => errors.add("body", message),
                    Refusal::Other(error) => return Err(error.into()),
                },
            }
        }
        draft_page_with(&state, &user, &headers, record, errors).await
    }
    .await;
    respond(&state, &user, &headers, result)
}

/// `GET /drafts/{id}/comments.xlsx`: the summary of comments (báo cáo tổng hợp ý kiến), one row
/// per comment, by version then arrival.
async fn export_comments(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> Response {
    let result = async {
        let record = draft_for(&state, &user, id, Action::View).await?;
        let rows: Vec<Vec<Cell>> = record
            .comments
            .iter()
            .enumerate()
            .map(|(index, c)| {
                vec![
                    Cell::Int(index as i64 + 1),
                    Cell::Text(
                        record
                            .versions
                            .iter()
                            .find(|v| v.id == c.version_id)
                            .map(|v| v.label.clone())
                            .unwrap_or_default(),
                    ),
                    Cell::Text(c.author.clone()),
                    c.section.clone().map(Cell::Text).unwrap_or(Cell::Empty),
                    Cell::Text(c.body.clone()),
                    Cell::Date(c.received_on),
                ]
            })
            .collect();
        let sheet = Sheet {
            name: "Tổng hợp ý kiến".into(),
            columns: vec![
                SheetColumn::new("STT", 6.0),
                SheetColumn::new("Bản dự thảo", 18.0),
                SheetColumn::new("Người, đơn vị góp ý", 32.0),
                SheetColumn::new("Phần, mục", 16.0),
                SheetColumn::new("Nội dung góp ý", 70.0),
                SheetColumn::new("Ngày nhận", 12.0),
            ],
            rows,
        };
        let bytes = xlsx_table(&[sheet]).map_err(|error| AppError::Internal(error.to_string()))?;
        let name = format!(
            "tong-hop-y-kien-{}.xlsx",
            daihoi_core::vn::fold(&record.draft.title).replace(' ', "-")
        );
        Ok(attachment_response(
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            &name,
            bytes,
        ))
    }
    .await;
    respond(&state, &user, &headers, result)
}

/// `GET /drafts/{id}/comments.docx`: the same summary as a report of the documents
/// subcommittee, with the Party header (congress-process §6.4), signed by its head.
async fn export_comments_docx(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> Response {
    let result = async {
        let record = draft_for(&state, &user, id, Action::View).await?;
        let congress = state.store.congress(record.draft.congress_id).await?;
        let unit = state.store.unit(congress.unit_id).await?;
        let head = state
            .store
            .subcommittees(congress.id)
            .await?
            .into_iter()
            .find(|sub| sub.kind == SubcommitteeKind::Documents)
            .and_then(|sub| sub.members.into_iter().find(|m| m.role == SubRole::Head))
            .map(|m| m.full_name);
        let summary = CommentsSummary {
            organisation: unit.name.clone(),
            issuer: SubcommitteeKind::Documents.label_vi().into(),
            place: congress.place.clone().unwrap_or_default(),
            date: today(&state).await,
            draft_title: record.draft.title.clone(),
            comments: record
                .comments
                .iter()
                .map(|c| CommentLine {
                    version: record
                        .versions
                        .iter()
                        .find(|v| v.id == c.version_id)
                        .map(|v| v.label.clone())
                        .unwrap_or_default(),
                    author: c.author.clone(),
                    section: c.section.clone().unwrap_or_default(),
                    body: c.body.clone(),
                    received_on: c.received_on,
                })
                .collect(),
            head,
        };
        let bytes = comments_summary_docx(&summary)
            .map_err(|error| AppError::Internal(error.to_string()))?;
        let name = format!(
            "tong-hop-y-kien-{}.docx",
            daihoi_core::vn::fold(&record.draft.title).replace(' ', "-")
        );
        Ok(attachment_response(
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            &name,
            bytes,
        ))
    }
    .await;
    respond(&state, &user, &headers, result)
}

// ---------------------------------------------------------------------------------------------
// Budget

async fn budget_page_with(
    state: &AppState,
    user: &CurrentUser,
    headers: &HeaderMap,
    congress: Congress,
    errors: FieldErrors,
    values: minijinja::Value,
) -> Result<Response, AppError> {
    let lines = state.store.budget(congress.id).await?;
    let planned: i64 = lines.iter().map(|l| l.planned).sum();
    let actual: i64 = lines.iter().filter_map(|l| l.actual).sum();
    let rows: Vec<minijinja::Value> = lines
        .iter()
        .map(|l| {
            minijinja::context! {
                id => l.id, version => l.version, item => l.item.clone(), planned => l.planned, actual => l.actual,
                difference => l.actual.map(|a| a - l.planned), note => l.note.clone(),
            }
        })
        .collect();
    let failed = !errors.is_empty();
    let mut response = render(
        state,
        user,
        headers,
        "preparation",
        "preparation/budget.html",
        minijinja::context! {
            congress => minijinja::context! { id => congress.id, title => congress.title.clone() },
            rows => rows, planned => planned, actual => actual,
            can_edit => user.access.can(Action::RunCongress, &congress.unit_path),
            errors => errors.to_value(),
            v => values,
        },
    );
    if failed && response.status() == StatusCode::OK {
        *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(response)
}

async fn budget_page(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> Response {
    let result = async {
        let congress = congress_for(&state, &user, id, Action::View).await?;
        let values = minijinja::context! { item => "", planned => "", actual => "", note => "" };
        budget_page_with(&state, &user, &headers, congress, FieldErrors::new(), values).await
    }
    .await;
    respond(&state, &user, &headers, result)
}

async fn add_budget_line(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
    form: FormData,
) -> Response {
    let result = async {
        let lang = user.lang;
        let congress = congress_for(&state, &user, id, Action::RunCongress).await?;
        let mut errors = FieldErrors::new();
        if form.get("item").is_empty() {
            errors.add_tr(lang, "item", "Hãy nhập khoản chi.", "Enter the cost item.");
        }
        let planned = parse_count(form.get("planned"));
        if planned.is_none() {
            errors.add_tr(lang, "planned", "Dự toán phải là số đồng, ví dụ 30.000.000.", "The planned cost must be a number of đồng, e.g. 30.000.000.");
        }
        let actual = if form.get("actual").is_empty() { None } else { parse_count(form.get("actual")).map(Some).unwrap_or_else(|| {
            errors.add_tr(lang, "actual", "Thực chi phải là số đồng, ví dụ 28.500.000.", "The actual cost must be a number of đồng, e.g. 28.500.000.");
            None
        }) };
        if let (true, Some(planned)) = (errors.is_empty(), planned) {
            let outcome = async {
                let mut tx = state.store.begin_write(&user.actor()).await?;
                let note = Some(form.get("note")).filter(|n| !n.is_empty());
                state.store.add_budget_line(&mut tx, congress.id, form.get("item"), planned, actual, note).await?;
                tx.commit().await?;
                Ok(())
            }
            .await;
            match outcome {
                Ok(()) => return Ok(Redirect::to(&format!("/congresses/{}/budget", congress.id)).into_response()),
                Err(error) => match refusal(error, lang, |f| match f {
                    "planned" => "planned",
                    "actual" => "actual",
                    _ => "item",
                }) {
                    Refusal::Field(e) => errors.add(&e.field, e.message),
                    Refusal::Stale(message) => errors.add("item", message),
                    Refusal::Other(error) => return Err(error.into()),
                },
            }
        }
        let values = minijinja::context! {
            item => form.get("item"), planned => form.get("planned"), actual => form.get("actual"), note => form.get("note"),
        };
        budget_page_with(&state, &user, &headers, congress, errors, values).await
    }
    .await;
    respond(&state, &user, &headers, result)
}

/// `POST /budget/{id}`: the actual cost of a line, once known.
async fn update_budget_line(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
    form: FormData,
) -> Response {
    let result = async {
        let lang = user.lang;
        let line = state.store.budget_line(id).await?;
        let congress = congress_for(&state, &user, line.congress_id, Action::RunCongress).await?;
        let mut errors = FieldErrors::new();
        let field = format!("actual-{}", line.id);
        let text = form.get("actual");
        let actual = if text.is_empty() { None } else { parse_count(text) };
        if !text.is_empty() && actual.is_none() {
            errors.add_tr(
                lang,
                &field,
                "Thực chi phải là số đồng, ví dụ 28.500.000.",
                "The actual cost must be a number of đồng, e.g. 28.500.000.",
            );
        }
        let version = form.get("version").parse().unwrap_or(-1);
        if errors.is_empty() {
            let outcome = async {
                let mut tx = state.store.begin_write(&user.actor()).await?;
                state.store.set_budget_actual(&mut tx, line.id, actual, version).await?;
                tx.commit().await?;
                Ok(())
            }
            .await;
            match outcome {
                Ok(()) => {
                    return Ok(Redirect::to(&format!("/congresses/{}/budget", congress.id))
                        .into_response());
                }
                Err(error) => match refusal(error, lang, |_| "actual") {
                    Refusal::Field(e) => errors.add(&field, e.message),
                    Refusal::Stale(message) => errors.add(&field, message),
                    Refusal::Other(error) => return Err(error.into()),
                },
            }
        }
        let values = minijinja::context! { item => "", planned => "", actual => "", note => "" };
        budget_page_with(&state, &user, &headers, congress, errors, values).await
    }
    .await;
    respond(&state, &user, &headers, result)
}
