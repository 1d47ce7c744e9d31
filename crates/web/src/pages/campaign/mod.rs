//! The congress campaign in the browser: the list of campaigns and creation from a directive's
//! template, the timetable form, the scheduling table of a subtree (edited like a spreadsheet,
//! saved at once, refused cell by cell; bulk scheduling; XLSX export and import), the
//! dashboard of a subtree (statuses, completion by level against deadlines, late and at-risk
//! units, a timeline drawn as SVG on the server, drill-down to the cells), the problems page,
//! and the progress report (XLSX, DOCX, PDF).
//!
//! Every route reads the campaign and a *focus* unit inside it: the caller must be allowed to
//! view the focus unit, whose subtree bounds every figure shown. A campaign whose root is
//! neither above nor inside one of the caller's subtrees does not exist for the caller (404).

mod chart;
mod export;

use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use daihoi_core::access::Action;
use daihoi_core::calendar::{WorkCalendar, iso};
use daihoi_core::campaign::{Level, LevelRule, Severity, Status, templates};
use daihoi_store::campaign::{Campaign, CampaignInput, Plan, PlanEdit, ProblemRow, Rollup};
use daihoi_store::congress::{CongressContent, CongressKind};
use daihoi_store::{Unit, UnitRef};
use minijinja::Value;
use minijinja::value::Serde;
use serde::{Deserialize, Serialize};
use time::Date;

use super::forms::{FieldErrors, FormData, id_field};
use super::{render, respond};
use crate::auth::CurrentUser;
use crate::routing::RouteList;
use crate::scope::require;
use crate::{AppError, AppState, Lang};

/// Rows of the scheduling table per page.
const SCHEDULE_PAGE_SIZE: i64 = 200;
/// Late and at-risk units listed on the dashboard (the problems page lists them all).
const DASHBOARD_PROBLEMS: usize = 15;
/// Problems per page of the problems page.
const PROBLEMS_PAGE_SIZE: usize = 100;

/// Routes of this module.
pub fn routes() -> RouteList {
    RouteList::new()
        .get("/campaigns", index)
        .post("/campaigns", create)
        .get("/campaigns/{id}", dashboard)
        .get("/campaigns/{id}/edit", edit_form)
        .post("/campaigns/{id}/edit", update)
        .get("/campaigns/{id}/schedule", schedule)
        .post("/campaigns/{id}/schedule", save_schedule)
        .post("/campaigns/{id}/schedule/bulk", bulk_schedule)
        .get("/campaigns/{id}/schedule.xlsx", export::schedule_xlsx)
        .post("/campaigns/{id}/schedule/import", export::import_schedule)
        .get("/campaigns/{id}/problems", problems)
        .post("/campaigns/{id}/recompute", recompute)
        .get("/campaigns/{id}/dashboard.xlsx", export::dashboard_xlsx)
        .get("/campaigns/{id}/report.docx", export::progress_docx)
        .get("/campaigns/{id}/report.pdf", export::progress_pdf)
}

/// Query of the campaign pages: the focus unit, the day to judge on, a page.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct FocusQuery {
    unit: Option<i64>,
    on: Option<String>,
    page: Option<i64>,
    level: Option<String>,
    done: Option<String>,
}

/// A campaign and the unit whose subtree a page shows.
pub(crate) struct Focus {
    pub campaign: Campaign,
    pub unit: Unit,
    pub today: Date,
}

/// Reads the campaign and the focus unit, checking `action` on the focus unit. Without a
/// `unit`, the focus is the campaign's root if the caller may see it, else the caller's own
/// subtree inside the campaign.
pub(crate) async fn focus(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
    query: &FocusQuery,
    action: Action,
) -> Result<Focus, AppError> {
    let campaign = state.store.campaign(id).await?;
    let unit_id = match query.unit {
        Some(unit_id) => unit_id,
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
        return Err(AppError::NotFound);
    }
    require(&user.access, action, &unit.path)?;
    let today = query
        .on
        .as_deref()
        .and_then(parse_day)
        .or(campaign.statuses_on)
        .unwrap_or_else(daihoi_store::today);
    Ok(Focus { campaign, unit, today })
}

/// A date typed as `YYYY-MM-DD` (date inputs) or `dd/mm/yyyy`.
pub(crate) fn parse_day(text: &str) -> Option<Date> {
    let text = text.trim();
    daihoi_core::calendar::parse_iso(text).or_else(|| super::forms::parse_date(text))
}

fn day_text(date: Option<Date>) -> String {
    date.map(iso).unwrap_or_default()
}

/// The working-day calendar pages judge with.
pub(crate) fn calendar() -> &'static WorkCalendar {
    static CALENDAR: std::sync::OnceLock<WorkCalendar> = std::sync::OnceLock::new();
    CALENDAR.get_or_init(WorkCalendar::vietnam)
}

fn level_label(lang: Lang, level: Level) -> &'static str {
    lang.pick(level.label_vi(), level.label_en())
}

fn status_label(lang: Lang, status: Status) -> &'static str {
    lang.pick(status.label_vi(), status.label_en())
}

/// The breadcrumbs from the highest unit the caller may see down to the focus unit.
async fn crumbs(
    state: &AppState,
    user: &CurrentUser,
    focus: &Focus,
) -> Result<Vec<UnitRef>, AppError> {
    let ancestors = state.store.ancestors(&focus.unit).await?;
    Ok(ancestors
        .into_iter()
        .filter(|unit| {
            unit.path.starts_with(&focus.campaign.root_path)
                && user.access.can(Action::View, &unit.path)
        })
        .collect())
}

#[derive(Debug, Serialize)]
struct CampaignView {
    id: i64,
    name: String,
    term: String,
    term_start: String,
    term_end: String,
    directive: String,
    guidance: String,
    root_unit_id: i64,
    statuses_on: Option<String>,
    version: i64,
    levels: Vec<LevelView>,
}

#[derive(Debug, Serialize)]
struct LevelView {
    code: &'static str,
    label: &'static str,
    window_start: String,
    window_end: String,
    deadline: String,
    max_days: String,
    age_reference: String,
    pilot_start: String,
    pilot_end: String,
}

fn campaign_view(lang: Lang, campaign: &Campaign) -> CampaignView {
    let levels = Level::ALL
        .into_iter()
        .map(|level| {
            let rule = campaign.rule(level);
            let date = |pick: fn(&LevelRule) -> Option<Date>| day_text(rule.and_then(pick));
            LevelView {
                code: level.code(),
                label: level_label(lang, level),
                window_start: date(|rule| rule.window_start),
                window_end: date(|rule| rule.window_end),
                deadline: date(|rule| rule.deadline),
                max_days: rule
                    .and_then(|rule| rule.max_days)
                    .map(|days| days.to_string())
                    .unwrap_or_default(),
                age_reference: date(|rule| rule.age_reference),
                pilot_start: date(|rule| rule.pilot_start),
                pilot_end: date(|rule| rule.pilot_end),
            }
        })
        .collect();
    CampaignView {
        id: campaign.id,
        name: campaign.name.clone(),
        term: format!("{} - {}", campaign.term_start, campaign.term_end),
        term_start: campaign.term_start.to_string(),
        term_end: campaign.term_end.to_string(),
        directive: campaign.directive.clone(),
        guidance: campaign.guidance.clone(),
        root_unit_id: campaign.root_unit_id,
        statuses_on: campaign.statuses_on.map(iso),
        version: campaign.version,
        levels,
    }
}

#[derive(Debug, Serialize)]
struct Choice {
    value: String,
    label: String,
}

// ---------------------------------------------------------------------------------------------
// List and create

async fn index(State(state): State<AppState>, user: CurrentUser, headers: HeaderMap) -> Response {
    let result = async {
        let lang = user.lang;
        let roots: Vec<String> =
            user.access.roots(Action::View).iter().map(|grant| grant.unit_path.clone()).collect();
        let campaigns =
            if roots.is_empty() { Vec::new() } else { state.store.campaigns(&roots).await? };
        let list: Vec<CampaignView> =
            campaigns.iter().map(|campaign| campaign_view(lang, campaign)).collect();
        let template_choices: Vec<Choice> = templates()
            .into_iter()
            .map(|template| Choice {
                value: template.key.to_string(),
                label: format!("{} ({})", template.name, template.directive),
            })
            .collect();
        let mut root_choices = Vec::new();
        for grant in user.access.roots(Action::EditUnits) {
            let unit = state.store.unit(grant.unit_id).await?;
            root_choices.push(Choice { value: unit.id.to_string(), label: unit.name.clone() });
        }
        Ok(render(
            &state,
            &user,
            &headers,
            "campaign",
            "campaign/index.html",
            minijinja::context! {
                campaigns => Serde(list),
                template_choices => Serde(template_choices),
                root_choices => Serde(root_choices),
                errors => FieldErrors::new().to_value(),
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
    form: FormData,
) -> Response {
    let result = async {
        let root_id = id_field(&form, "root").ok_or(AppError::NotFound)?;
        let root = state.store.unit(root_id).await?;
        require(&user.access, Action::EditUnits, &root.path)?;
        let template = daihoi_core::campaign::template(form.get("template"))
            .ok_or_else(|| AppError::bad_request("Hãy chọn một chỉ thị.", "Choose a directive."))?;
        let mut input = CampaignInput::from_template(&template, root.id);
        if !form.get("name").is_empty() {
            input.name = form.get("name").to_string();
        }
        let mut tx = state.store.begin_write(&user.actor()).await?;
        let campaign = state.store.create_campaign(&mut tx, input).await?;
        tx.commit().await?;
        Ok(Redirect::to(&format!("/campaigns/{}/edit?done=created", campaign.id)).into_response())
    }
    .await;
    respond(&state, &user, &headers, result)
}

// ---------------------------------------------------------------------------------------------
// Timetable

async fn edit_form(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Query(query): Query<FocusQuery>,
) -> Response {
    let result = async {
        let campaign = state.store.campaign(id).await?;
        require(&user.access, Action::EditUnits, &campaign.root_path)?;
        let view = campaign_view(user.lang, &campaign);
        Ok(render_edit(&state, &user, &headers, &view, FieldErrors::new(), query.done))
    }
    .await;
    respond(&state, &user, &headers, result)
}

fn render_edit(
    state: &AppState,
    user: &CurrentUser,
    headers: &HeaderMap,
    view: &CampaignView,
    errors: FieldErrors,
    done: Option<String>,
) -> Response {
    render(
        state,
        user,
        headers,
        "campaign",
        "campaign/edit.html",
        minijinja::context! { campaign => Serde(view), errors => errors.to_value(), done => done },
    )
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
        let campaign = state.store.campaign(id).await?;
        require(&user.access, Action::EditUnits, &campaign.root_path)?;
        let mut errors = FieldErrors::new();
        let term_start = form.get("term_start").parse::<i64>().unwrap_or_else(|_| {
            errors.add_tr(
                lang,
                "term_start",
                "Năm bắt đầu không hợp lệ.",
                "The first year is not valid.",
            );
            campaign.term_start
        });
        let term_end = form.get("term_end").parse::<i64>().unwrap_or_else(|_| {
            errors.add_tr(
                lang,
                "term_end",
                "Năm kết thúc không hợp lệ.",
                "The last year is not valid.",
            );
            campaign.term_end
        });
        let mut levels = Vec::new();
        for level in Level::ALL {
            let mut date = |name: &str| {
                let field = format!("{}_{name}", level.code());
                let text = form.get(&field);
                if text.is_empty() {
                    return None;
                }
                let parsed = parse_day(text);
                if parsed.is_none() {
                    errors.add_tr(
                        lang,
                        &field,
                        "Ngày không hợp lệ (dd/mm/yyyy).",
                        "Not a date (dd/mm/yyyy).",
                    );
                }
                parsed
            };
            let window_start = date("window_start");
            let window_end = date("window_end");
            let deadline = date("deadline");
            let age_reference = date("age_reference");
            let pilot_start = date("pilot_start");
            let pilot_end = date("pilot_end");
            let max_field = format!("{}_max_days", level.code());
            let max_days = match form.get(&max_field) {
                "" => None,
                text => match text.parse::<u32>() {
                    Ok(days) => Some(days),
                    Err(_) => {
                        errors.add_tr(
                            lang,
                            &max_field,
                            "Số ngày không hợp lệ.",
                            "Not a number of days.",
                        );
                        None
                    }
                },
            };
            levels.push(LevelRule {
                level,
                window_start,
                window_end,
                deadline,
                max_days,
                age_reference,
                pilot_start,
                pilot_end,
            });
        }
        let input = CampaignInput {
            name: form.get("name").to_string(),
            term_start,
            term_end,
            directive: form.get("directive").to_string(),
            guidance: form.get("guidance").to_string(),
            template: campaign.template.clone(),
            root_unit_id: campaign.root_unit_id,
            levels,
        };
        let version = id_field(&form, "version").unwrap_or(-1);
        if errors.is_empty() {
            let outcome = async {
                let mut tx = state.store.begin_write(&user.actor()).await?;
                let saved =
                    state.store.update_campaign(&mut tx, id, version, input.clone()).await?;
                tx.commit().await?;
                Ok::<_, daihoi_store::StoreError>(saved)
            }
            .await;
            match outcome {
                Ok(saved) => {
                    return Ok(Redirect::to(&format!("/campaigns/{}?done=updated", saved.id))
                        .into_response());
                }
                Err(error) => match super::forms::refusal(error, lang, |field| match field {
                    "window_end" => "grassroots_window_end",
                    "pilot_end" => "grassroots_pilot_end",
                    "max_days" => "grassroots_max_days",
                    "term_start" => "term_start",
                    _ => "name",
                }) {
                    super::forms::Refusal::Field(error) => errors.add(&error.field, error.message),
                    super::forms::Refusal::Stale(message) => errors.add("name", message),
                    super::forms::Refusal::Other(error) => return Err(error.into()),
                },
            }
        }
        // Show what was typed.
        let mut view = campaign_view(lang, &campaign);
        view.name = form.get("name").to_string();
        view.directive = form.get("directive").to_string();
        view.guidance = form.get("guidance").to_string();
        view.term_start = form.get("term_start").to_string();
        view.term_end = form.get("term_end").to_string();
        for level in &mut view.levels {
            let get = |name: &str| form.get(&format!("{}_{name}", level.code)).to_string();
            level.window_start = get("window_start");
            level.window_end = get("window_end");
            level.deadline = get("deadline");
            level.max_days = get("max_days");
            level.age_reference = get("age_reference");
            level.pilot_start = get("pilot_start");
            level.pilot_end = get("pilot_end");
        }
        Ok(render_edit(&state, &user, &headers, &view, errors, None))
    }
    .await;
    respond(&state, &user, &headers, result)
}

// ---------------------------------------------------------------------------------------------
// Scheduling table

/// A row of the scheduling table as the template sees it.
#[derive(Debug, Clone, Serialize)]
struct PlanView {
    unit_id: i64,
    name: String,
    indent: i64,
    kind_label: &'static str,
    level: &'static str,
    level_label: &'static str,
    members: i64,
    starts_on: String,
    ends_on: String,
    notice_on: String,
    congress_kind: &'static str,
    suggested_kind: &'static str,
    content: &'static str,
    pilot: bool,
    delegates_up: String,
    status: &'static str,
    status_label: &'static str,
    held_start: String,
    held_end: String,
}

fn plan_view(lang: Lang, plan: &Plan, base_depth: i64) -> PlanView {
    PlanView {
        unit_id: plan.unit_id,
        name: plan.unit_name.clone(),
        indent: (plan.depth - base_depth).clamp(0, 8),
        kind_label: lang.pick(plan.unit_kind.label_vi(), plan.unit_kind.label_en()),
        level: plan.level.code(),
        level_label: level_label(lang, plan.level),
        members: plan.members,
        starts_on: day_text(plan.starts_on),
        ends_on: day_text(plan.ends_on),
        notice_on: day_text(plan.notice_on),
        congress_kind: plan.kind.code(),
        suggested_kind: daihoi_store::campaign::suggested_kind(plan.members).code(),
        content: plan.content.code(),
        pilot: plan.pilot,
        delegates_up: plan.delegates_up.to_string(),
        status: plan.status.code(),
        status_label: status_label(lang, plan.status),
        held_start: day_text(plan.held_start),
        held_end: day_text(plan.held_end),
    }
}

fn kind_choices(lang: Lang) -> Vec<Choice> {
    CongressKind::ALL
        .iter()
        .map(|kind| Choice {
            value: kind.code().into(),
            label: lang.pick(kind.label_vi(), kind.label_en()).into(),
        })
        .collect()
}

fn content_choices(lang: Lang) -> Vec<Choice> {
    CongressContent::ALL
        .iter()
        .map(|content| Choice {
            value: content.code().into(),
            label: lang.pick(content.label_vi(), content.label_en()).into(),
        })
        .collect()
}

fn level_choices(lang: Lang) -> Vec<Choice> {
    Level::ALL
        .into_iter()
        .map(|level| Choice { value: level.code().into(), label: level_label(lang, level).into() })
        .collect()
}

#[allow(clippy::too_many_arguments)]
async fn render_schedule(
    state: &AppState,
    user: &CurrentUser,
    headers: &HeaderMap,
    focus: &Focus,
    query: &FocusQuery,
    rows: Option<Vec<PlanView>>,
    cell_errors: Vec<(i64, String, String)>,
    summary: Option<String>,
) -> Result<Response, AppError> {
    let lang = user.lang;
    let level = query.level.as_deref().and_then(Level::parse);
    let page = query.page.unwrap_or(1).max(1);
    let (plans, total) = state
        .store
        .plans(
            focus.campaign.id,
            &focus.unit.path,
            level,
            (page - 1) * SCHEDULE_PAGE_SIZE,
            SCHEDULE_PAGE_SIZE,
        )
        .await?;
    let rows = rows.unwrap_or_else(|| {
        plans.iter().map(|plan| plan_view(lang, plan, focus.unit.depth)).collect()
    });
    let errors: std::collections::BTreeMap<String, String> = cell_errors
        .iter()
        .map(|(unit_id, field, message)| (format!("{field}_{unit_id}"), message.clone()))
        .collect();
    let pages = ((total + SCHEDULE_PAGE_SIZE - 1) / SCHEDULE_PAGE_SIZE).max(1);
    let crumbs = crumbs(state, user, focus).await?;
    Ok(render(
        state,
        user,
        headers,
        "campaign",
        "campaign/schedule.html",
        minijinja::context! {
            campaign => Serde(campaign_view(lang, &focus.campaign)),
            unit => minijinja::context! { id => focus.unit.id, name => focus.unit.name.clone() },
            crumbs => Serde(crumbs),
            rows => Serde(rows),
            errors => Serde(errors),
            n_errors => cell_errors.len(),
            summary => summary,
            total => total,
            page => page,
            pages => pages,
            level => level.map(Level::code).unwrap_or(""),
            kind_choices => Serde(kind_choices(lang)),
            content_choices => Serde(content_choices(lang)),
            level_choices => Serde(level_choices(lang)),
            can_edit => user.access.can(Action::EditUnits, &focus.unit.path),
            done => query.done.clone(),
        },
    ))
}

async fn schedule(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Query(query): Query<FocusQuery>,
) -> Response {
    let result = async {
        let focus = focus(&state, &user, id, &query, Action::View).await?;
        render_schedule(&state, &user, &headers, &focus, &query, None, Vec::new(), None).await
    }
    .await;
    respond(&state, &user, &headers, result)
}

/// Reads the rows of a submitted scheduling table: `row` repeats the unit ids; each cell is
/// `<field>_<unit id>`. Unreadable cells are reported per cell.
fn read_rows(form: &FormData, lang: Lang) -> (Vec<PlanEdit>, Vec<(i64, String, String)>) {
    let mut edits = Vec::new();
    let mut errors = Vec::new();
    for unit_text in form.all("row") {
        let Ok(unit_id) = unit_text.parse::<i64>() else { continue };
        let mut date = |field: &str| {
            let text = form.get(&format!("{field}_{unit_id}"));
            if text.is_empty() {
                return None;
            }
            let parsed = parse_day(text);
            if parsed.is_none() {
                errors.push((
                    unit_id,
                    field.to_string(),
                    lang.pick("Ngày không hợp lệ (dd/mm/yyyy).", "Not a date (dd/mm/yyyy).")
                        .to_string(),
                ));
            }
            parsed
        };
        let starts_on = date("start");
        let ends_on = date("end");
        let notice_on = date("notice");
        let delegates_text = form.get(&format!("delegates_{unit_id}"));
        let delegates_up = if delegates_text.is_empty() {
            0
        } else {
            delegates_text.parse::<i64>().unwrap_or_else(|_| {
                errors.push((
                    unit_id,
                    "delegates".into(),
                    lang.pick("Số đại biểu không hợp lệ.", "Not a number of delegates.").into(),
                ));
                0
            })
        };
        edits.push(PlanEdit {
            unit_id,
            starts_on,
            ends_on,
            notice_on,
            kind: CongressKind::parse(form.get(&format!("kind_{unit_id}")))
                .unwrap_or(CongressKind::Members),
            content: CongressContent::parse(form.get(&format!("content_{unit_id}")))
                .unwrap_or(CongressContent::FourItems),
            pilot: form.get(&format!("pilot_{unit_id}")) == "1",
            delegates_up,
        });
    }
    (edits, errors)
}

fn store_field(field: &str) -> &'static str {
    match field {
        "starts_on" => "start",
        "ends_on" => "end",
        "notice_on" => "notice",
        "delegates_up" => "delegates",
        _ => "start",
    }
}

/// Checks that every edited unit lies in the focus subtree (a forged row is "not found").
async fn rows_in_focus(
    state: &AppState,
    focus: &Focus,
    edits: &[PlanEdit],
) -> Result<(), AppError> {
    for edit in edits {
        let plan = state.store.plan_of_unit(focus.campaign.id, edit.unit_id).await?;
        if !plan.unit_path.starts_with(&focus.unit.path) {
            return Err(AppError::NotFound);
        }
    }
    Ok(())
}

async fn save_schedule(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Query(query): Query<FocusQuery>,
    form: FormData,
) -> Response {
    let result = async {
        let lang = user.lang;
        let focus = focus(&state, &user, id, &query, Action::EditUnits).await?;
        let (edits, mut cell_errors) = read_rows(&form, lang);
        rows_in_focus(&state, &focus, &edits).await?;
        if cell_errors.is_empty() {
            for error in state.store.check_plan_edits(&focus.campaign, &edits).await? {
                cell_errors.push((
                    error.unit_id,
                    store_field(error.field).to_string(),
                    lang.pick(&error.message_vi, &error.message_en).to_string(),
                ));
            }
        }
        if cell_errors.is_empty() {
            let mut tx = state.store.begin_write(&user.actor()).await?;
            let changed = state
                .store
                .schedule_plans(&mut tx, &focus.campaign, calendar(), &edits, focus.today)
                .await?;
            tx.commit().await?;
            let level = query.level.as_deref().unwrap_or("");
            return Ok(Redirect::to(&format!(
                "/campaigns/{}/schedule?unit={}&level={level}&page={}&done={changed}",
                focus.campaign.id,
                focus.unit.id,
                query.page.unwrap_or(1)
            ))
            .into_response());
        }
        // Show the table as typed, with the message in each refused cell.
        let mut rows = Vec::new();
        for edit in &edits {
            let plan = state.store.plan_of_unit(focus.campaign.id, edit.unit_id).await?;
            let mut view = plan_view(lang, &plan, focus.unit.depth);
            let typed = |field: &str| form.get(&format!("{field}_{}", edit.unit_id)).to_string();
            view.starts_on = typed("start");
            view.ends_on = typed("end");
            view.notice_on = typed("notice");
            view.delegates_up = typed("delegates");
            view.congress_kind = edit.kind.code();
            view.content = edit.content.code();
            view.pilot = edit.pilot;
            rows.push(view);
        }
        let summary = Some(
            lang.pick(
                "Chưa lưu: có ô cần sửa (tô đỏ). Không dòng nào được lưu.",
                "Not saved: some cells need correcting (in red). No row was saved.",
            )
            .to_string(),
        );
        let response = render_schedule(
            &state,
            &user,
            &headers,
            &focus,
            &query,
            Some(rows),
            cell_errors,
            summary,
        )
        .await?;
        Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, response).into_response())
    }
    .await;
    respond(&state, &user, &headers, result)
}

async fn bulk_schedule(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Query(query): Query<FocusQuery>,
    form: FormData,
) -> Response {
    let result = async {
        let focus = focus(&state, &user, id, &query, Action::EditUnits).await?;
        let level = Level::parse(form.get("bulk_level"))
            .ok_or_else(|| AppError::bad_request("Hãy chọn cấp.", "Choose a level."))?;
        let start = parse_day(form.get("bulk_start")).ok_or_else(|| {
            AppError::bad_request("Ngày khai mạc không hợp lệ.", "The opening day is not valid.")
        })?;
        let end = match form.get("bulk_end") {
            "" => start,
            text => parse_day(text).ok_or_else(|| {
                AppError::bad_request("Ngày bế mạc không hợp lệ.", "The closing day is not valid.")
            })?,
        };
        let notice = match form.get("bulk_notice") {
            "" => None,
            text => Some(parse_day(text).ok_or_else(|| {
                AppError::bad_request(
                    "Ngày thông báo không hợp lệ.",
                    "The announcement day is not valid.",
                )
            })?),
        };
        let only_unscheduled = form.get("bulk_only_unscheduled") == "1";
        let (plans, _) = state
            .store
            .plans(focus.campaign.id, &focus.unit.path, Some(level), 0, 1_000_000)
            .await?;
        let edits: Vec<PlanEdit> = plans
            .iter()
            .filter(|plan| !only_unscheduled || plan.starts_on.is_none())
            .filter(|plan| !plan.status.is_held())
            .map(|plan| PlanEdit {
                unit_id: plan.unit_id,
                starts_on: Some(start),
                ends_on: Some(end),
                notice_on: notice.or(plan.notice_on),
                kind: plan.kind,
                content: plan.content,
                pilot: plan.pilot,
                delegates_up: plan.delegates_up,
            })
            .collect();
        let mut tx = state.store.begin_write(&user.actor()).await?;
        let changed = state
            .store
            .schedule_plans(&mut tx, &focus.campaign, calendar(), &edits, focus.today)
            .await?;
        tx.commit().await?;
        Ok(Redirect::to(&format!(
            "/campaigns/{}/schedule?unit={}&level={}&done={changed}",
            focus.campaign.id,
            focus.unit.id,
            level.code()
        ))
        .into_response())
    }
    .await;
    respond(&state, &user, &headers, result)
}

// ---------------------------------------------------------------------------------------------
// Dashboard, problems, recomputation

/// The figures of one level on the dashboard.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct LevelFigures {
    pub code: &'static str,
    pub label: &'static str,
    pub total: i64,
    pub held: i64,
    pub percent: i64,
    pub deadline: String,
    pub held_late: i64,
    pub remaining: i64,
    pub past_deadline: bool,
    pub approved: i64,
    pub pilots_held: i64,
}

pub(crate) fn level_figures(
    lang: Lang,
    campaign: &Campaign,
    rollup: &Rollup,
    today: Date,
) -> Vec<LevelFigures> {
    Level::ALL
        .into_iter()
        .filter(|level| rollup.total(*level) > 0)
        .map(|level| {
            let total = rollup.total(level);
            let held = rollup.held(level);
            let deadline = campaign.rule(level).and_then(|rule| rule.deadline);
            LevelFigures {
                code: level.code(),
                label: level_label(lang, level),
                total,
                held,
                percent: if total > 0 { held * 100 / total } else { 0 },
                deadline: day_text(deadline),
                held_late: rollup.held_late.get(&level).copied().unwrap_or(0),
                remaining: total - held,
                past_deadline: deadline.is_some_and(|deadline| deadline < today),
                approved: rollup.counts.get(&(level, Status::Approved)).copied().unwrap_or(0),
                pilots_held: rollup.pilots_held.get(&level).copied().unwrap_or(0),
            }
        })
        .collect()
}

/// A problem as the template sees it.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct ProblemView {
    pub unit_id: i64,
    pub unit_name: String,
    pub level: &'static str,
    pub late: bool,
    pub reason: &'static str,
    pub other: Option<String>,
    pub due: String,
    pub status: &'static str,
    pub starts_on: String,
}

pub(crate) fn problem_view(lang: Lang, row: &ProblemRow) -> ProblemView {
    ProblemView {
        unit_id: row.plan.unit_id,
        unit_name: row.plan.unit_name.clone(),
        level: level_label(lang, row.plan.level),
        late: row.problem.kind.severity() == Severity::Late,
        reason: lang.pick(row.problem.kind.label_vi(), row.problem.kind.label_en()),
        other: row.other_name.clone(),
        due: day_text(row.problem.due),
        status: status_label(lang, row.plan.status),
        starts_on: day_text(row.plan.effective_dates().0),
    }
}

#[derive(Debug, Serialize)]
struct StatusCount {
    code: &'static str,
    label: &'static str,
    count: i64,
}

async fn dashboard(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Query(query): Query<FocusQuery>,
) -> Response {
    let result = async {
        let lang = user.lang;
        let focus = focus(&state, &user, id, &query, Action::View).await?;
        let rollup = state.store.campaign_rollup(focus.campaign.id, &focus.unit.path).await?;
        let levels = level_figures(lang, &focus.campaign, &rollup, focus.today);
        let statuses: Vec<StatusCount> = Status::ALL
            .into_iter()
            .map(|status| StatusCount {
                code: status.code(),
                label: status_label(lang, status),
                count: rollup.with_status(status),
            })
            .collect();
        let counts = state
            .store
            .campaign_problem_counts(&focus.campaign, calendar(), &focus.unit.path, focus.today)
            .await?;
        // Late units first, then the others at risk. The counts are exact, so a query that
        // can find nothing is not run (it would read the whole subtree to find so).
        let mut problems = if counts.late > 0 {
            state
                .store
                .campaign_problems(&focus.campaign, calendar(), &focus.unit.path, focus.today, true, 0, 40)
                .await?
        } else {
            Vec::new()
        };
        if problems.len() < DASHBOARD_PROBLEMS && counts.units > 0 {
            let others = state
                .store
                .campaign_problems(&focus.campaign, calendar(), &focus.unit.path, focus.today, false, 0, 40)
                .await?;
            problems.extend(others.into_iter().filter(|row| row.problem.kind.severity() == Severity::AtRisk));
        }
        let shown: Vec<ProblemView> =
            problems.iter().take(DASHBOARD_PROBLEMS).map(|row| problem_view(lang, row)).collect();
        let n_shown = shown.len();
        let children = state.store.campaign_children(focus.campaign.id, focus.unit.id).await?;
        let children: Vec<_> = children
            .into_iter()
            .map(|child| {
                let total: i64 = child.counts.values().sum();
                let held: i64 = child
                    .counts
                    .iter()
                    .filter(|(status, _)| status.is_held())
                    .map(|(_, count)| count)
                    .sum();
                minijinja::context! {
                    id => child.unit_id,
                    name => child.name,
                    total => total,
                    held => held,
                    percent => if total > 0 { held * 100 / total } else { 0 },
                    not_planned => child.counts.get(&Status::NotPlanned).copied().unwrap_or(0),
                    approved => child.counts.get(&Status::Approved).copied().unwrap_or(0),
                }
            })
            .collect();
        let timeline = state.store.campaign_timeline(focus.campaign.id, &focus.unit.path).await?;
        let svg = chart::timeline_svg(lang, &focus.campaign, &timeline, focus.today);
        let crumbs = crumbs(&state, &user, &focus).await?;
        Ok(render(
            &state,
            &user,
            &headers,
            "campaign",
            "campaign/dashboard.html",
            minijinja::context! {
                campaign => Serde(campaign_view(lang, &focus.campaign)),
                unit => minijinja::context! { id => focus.unit.id, name => focus.unit.name.clone() },
                crumbs => Serde(crumbs),
                today => iso(focus.today),
                statuses => Serde(statuses),
                total => rollup.all(),
                levels => Serde(levels),
                problems => Serde(shown),
                n_problems => counts.units,
                n_shown => n_shown,
                n_late_units => counts.late,
                n_at_risk_units => counts.units - counts.late,
                children => children,
                timeline => Value::from_safe_string(svg),
                can_edit => user.access.can(Action::EditUnits, &focus.unit.path),
                can_edit_campaign => user.access.can(Action::EditUnits, &focus.campaign.root_path),
                done => query.done.clone(),
            },
        ))
    }
    .await;
    respond(&state, &user, &headers, result)
}

async fn problems(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Query(query): Query<FocusQuery>,
) -> Response {
    let result = async {
        let lang = user.lang;
        let focus = focus(&state, &user, id, &query, Action::View).await?;
        let counts = state
            .store
            .campaign_problem_counts(&focus.campaign, calendar(), &focus.unit.path, focus.today)
            .await?;
        let page = query.page.unwrap_or(1).max(1);
        let size = PROBLEMS_PAGE_SIZE as i64;
        let pages = ((counts.units + size - 1) / size).max(1);
        let found = if counts.units > 0 {
            state
                .store
                .campaign_problems(
                    &focus.campaign,
                    calendar(),
                    &focus.unit.path,
                    focus.today,
                    false,
                    (page - 1) * size,
                    size,
                )
                .await?
        } else {
            Vec::new()
        };
        let shown: Vec<ProblemView> = found.iter().map(|row| problem_view(lang, row)).collect();
        let crumbs = crumbs(&state, &user, &focus).await?;
        Ok(render(
            &state,
            &user,
            &headers,
            "campaign",
            "campaign/problems.html",
            minijinja::context! {
                campaign => Serde(campaign_view(lang, &focus.campaign)),
                unit => minijinja::context! { id => focus.unit.id, name => focus.unit.name.clone() },
                crumbs => Serde(crumbs),
                today => iso(focus.today),
                problems => Serde(shown),
                total => counts.units,
                late => counts.late,
                page => page,
                pages => pages,
            },
        ))
    }
    .await;
    respond(&state, &user, &headers, result)
}

async fn recompute(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
    form: FormData,
) -> Response {
    let result = async {
        let campaign = state.store.campaign(id).await?;
        require(&user.access, Action::EditUnits, &campaign.root_path)?;
        let today = parse_day(form.get("on")).unwrap_or_else(daihoi_store::today);
        let mut tx = state.store.begin_write(&user.actor()).await?;
        state.store.recompute_campaign(&mut tx, campaign.id, today).await?;
        tx.commit().await?;
        Ok(Redirect::to(&format!("/campaigns/{}?done=recomputed", campaign.id)).into_response())
    }
    .await;
    respond(&state, &user, &headers, result)
}
