//! Personnel work in the browser: the plan of the new committee, candidate dossiers with the
//! months-left test, the live structure-target panel (htmx), the 5-step procedure, the short CV
//! and the one-line summary (DOCX, XLSX), the delegate allocation with its tie decision and
//! notice, and composition statistics rolled up the tree with SVG charts.

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use daihoi_core::access::Action;
use daihoi_core::apportion::{Allocation, AllocationError, EXPLANATION_COLUMNS, Method};
use daihoi_core::member::{Education, Sex, TheoryLevel};
use daihoi_core::personnel::{
    Birth, Campaign, Composition, Level, Plan, STEPS, Status, TargetOutcome, age_at, eligibility,
    evaluate, surplus_check,
};
use daihoi_render::{
    Align, Block, Cell, Column, Paper, Paragraph, Report, Row, Sheet, SheetColumn, Span, Table,
    report_docx, xlsx_table,
};
use daihoi_store::congress::Congress;
use daihoi_store::personnel::{
    AllocationSetup, AllocationUnitInput, CompositionTree, Dossier, DossierInput, PersonnelPlan,
    PlanInput, PlannedPost, StepInput, StepTrack,
};
use daihoi_store::{Page, StoreError};
use minijinja::value::Serde;
use serde::Serialize;

use super::forms::{FieldErrors, FormData, Refusal, parse_date, refusal};
use super::units::SelectOption;
use super::{render, respond};
use crate::auth::CurrentUser;
use crate::routing::RouteList;
use crate::scope::{Subtrees, require, unit_for};
use crate::{AppError, AppState, Lang};

/// Routes of this module.
pub fn routes() -> RouteList {
    RouteList::new()
        .get("/personnel", index)
        .get("/congresses/{id}/personnel", overview)
        .post("/congresses/{id}/personnel/plan", save_plan)
        .get("/congresses/{id}/personnel/targets", targets_panel)
        .post("/congresses/{id}/personnel/elected", save_elected)
        .get("/congresses/{id}/personnel/dossiers/new", new_dossier)
        .post("/congresses/{id}/personnel/dossiers/new", create_dossier)
        .get("/congresses/{id}/personnel/summary.xlsx", summary_xlsx)
        .get("/dossiers/{id}/edit", edit_dossier)
        .post("/dossiers/{id}/edit", update_dossier)
        .get("/dossiers/{id}/cv.docx", cv_docx)
        .get("/congresses/{id}/personnel/steps", steps_page)
        .post("/congresses/{id}/personnel/steps", record_step)
        .post("/congresses/{id}/personnel/present", present_list)
        .get("/congresses/{id}/allocation", allocation_page)
        .post("/congresses/{id}/allocation", save_allocation)
        .get("/congresses/{id}/allocation/notice.docx", allocation_notice)
        .post("/congresses/{id}/allocation/appoint", appoint)
        .post("/congresses/{id}/allocation/replace", replace_delegate)
        .get("/congresses/{id}/allocation.xlsx", allocation_xlsx)
        .get("/units/{id}/composition", composition_page)
        .get("/congresses/{id}/delegations", delegations_page)
        .get("/congresses/{id}/delegations.xlsx", delegations_xlsx)
        .get("/units/{id}/composition.xlsx", composition_xlsx)
}

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
const DOCX: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

fn attachment(content_type: &str, file_name: &str, body: Vec<u8>) -> Response {
    let ascii: String = daihoi_core::vn::fold(file_name)
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || c == '.' || c == '-' { c } else { '-' })
        .collect();
    let disposition = format!(
        "attachment; filename=\"{ascii}\"; filename*=UTF-8''{}",
        crate::error::urlencode(file_name)
    );
    (
        [
            (header::CONTENT_TYPE, content_type.to_string()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        body,
    )
        .into_response()
}

fn render_error(error: daihoi_render::RenderError) -> AppError {
    AppError::Internal(format!("render: {error}"))
}

/// The congress `id`, if the caller may do `action` on its unit.
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

/// The dossier `id` and its congress, if the caller may do `action` on them.
async fn dossier_for(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
    action: Action,
) -> Result<(Dossier, Congress), AppError> {
    let dossier = state.store.dossier(id).await?;
    require(&user.access, action, &dossier.unit_path)?;
    let congress = state.store.congress(dossier.congress_id).await?;
    Ok((dossier, congress))
}

fn month_year(date: time::Date) -> String {
    format!("{:02}/{}", u8::from(date.month()), date.year())
}

/// A dossier as the templates see it.
#[derive(Debug, Clone, Serialize)]
struct DossierView {
    id: i64,
    full_name: String,
    birth: String,
    age: Option<i32>,
    sex: String,
    ethnicity: String,
    education: String,
    theory_level: String,
    current_post: String,
    planned_post: String,
    incumbent: bool,
    science_tech: bool,
    origin: String,
    months_left: Option<i64>,
    required: u32,
    eligible: Option<bool>,
    retires: String,
    elected: bool,
    secretary: bool,
}

fn dossier_view(dossier: &Dossier, plan: &PersonnelPlan, lang: Lang) -> DossierView {
    let campaign = plan.campaign;
    let required =
        if dossier.incumbent { campaign.reelection_months() } else { campaign.first_time_months() };
    let verdict = match (dossier.birth, dossier.sex) {
        (Some(birth), Some(sex)) => {
            Some(eligibility(&campaign.retirement(), sex, birth, plan.reference_date, required))
        }
        _ => None,
    };
    DossierView {
        id: dossier.id,
        full_name: dossier.full_name.clone(),
        birth: dossier.birth.map(Birth::display).unwrap_or_default(),
        age: dossier.birth.map(|birth| age_at(birth, plan.reference_date)),
        sex: dossier.sex.map(|s| lang.pick(s.label_vi(), s.label_en())).unwrap_or("").into(),
        ethnicity: dossier.ethnicity.clone().unwrap_or_default(),
        education: dossier
            .education
            .map(|e| lang.pick(e.label_vi(), e.label_en()))
            .unwrap_or("")
            .into(),
        theory_level: dossier
            .theory_level
            .map(|t| lang.pick(t.label_vi(), t.label_en()))
            .unwrap_or("")
            .into(),
        current_post: dossier.current_post.clone().unwrap_or_default(),
        planned_post: lang
            .pick(dossier.planned_post.label_vi(), dossier.planned_post.label_en())
            .into(),
        incumbent: dossier.incumbent,
        science_tech: dossier.science_tech,
        origin: dossier.origin.clone().unwrap_or_default(),
        months_left: verdict.map(|v| v.months_left),
        required,
        eligible: verdict.map(|v| v.eligible),
        retires: verdict.map(|v| month_year(v.retires)).unwrap_or_default(),
        elected: dossier.elected,
        secretary: dossier.planned_post == PlannedPost::Secretary,
    }
}

fn plan_view(plan: &PersonnelPlan, lang: Lang) -> minijinja::Value {
    minijinja::context! {
        campaign => plan.campaign.code(),
        campaign_label => plan.campaign.label(),
        level => plan.level.code(),
        level_label => lang.pick(plan.level.label_vi(), plan.level.label_en()),
        reference_date => super::forms::form_date(Some(plan.reference_date)),
        committee_size => plan.committee_size,
        standing_size => plan.standing_size,
        saved => plan.saved,
        first_time_months => plan.campaign.first_time_months(),
        reelection_months => plan.campaign.reelection_months(),
        retirement => plan.campaign.retirement().source,
    }
}

// ---------------------------------------------------------------------------------------------
// Index and overview

async fn index(State(state): State<AppState>, user: CurrentUser, headers: HeaderMap) -> Response {
    let result = async {
        let congresses = match Subtrees::of(&user.access, Action::View) {
            // Personnel work concerns the congresses still to be held: closed ones are left out.
            Some(subtrees) => state
                .store
                .congresses(subtrees.paths(), Page::new(1, 1_000))
                .await?
                .items
                .into_iter()
                .filter(|c| c.status != daihoi_store::congress::CongressStatus::Closed)
                .take(200)
                .collect(),
            None => Vec::new(),
        };
        let roots: Vec<minijinja::Value> = match Subtrees::of(&user.access, Action::View) {
            Some(subtrees) => {
                let mut roots = Vec::new();
                for path in subtrees.paths() {
                    if let Some(id) = path.trim_end_matches('/').rsplit('/').next().and_then(|s| s.parse::<i64>().ok()) {
                        let unit = state.store.unit(id).await?;
                        roots.push(minijinja::context! { id => unit.id, name => unit.name });
                    }
                }
                roots
            }
            None => Vec::new(),
        };
        Ok(render(
            &state,
            &user,
            &headers,
            "personnel",
            "personnel/index.html",
            minijinja::context! {
                congresses => congresses.iter().map(|c| minijinja::context! { id => c.id, title => c.title.clone(), unit_id => c.unit_id }).collect::<Vec<_>>(),
                roots => roots,
            },
        ))
    }
    .await;
    respond(&state, &user, &headers, result)
}

#[derive(Debug, serde::Deserialize, Default)]
struct DoneQuery {
    done: Option<String>,
}

fn done_message(done: Option<&str>, lang: Lang) -> Option<&'static str> {
    match done {
        Some("plan") => {
            Some(lang.pick("Đã lưu phương án nhân sự.", "The personnel plan was saved."))
        }
        Some("dossier") => Some(lang.pick("Đã lưu hồ sơ nhân sự.", "The dossier was saved.")),
        Some("elected") => {
            Some(lang.pick("Đã ghi nhận kết quả bầu cấp ủy.", "The election result was recorded."))
        }
        Some("step") => Some(lang.pick("Đã ghi nhận kết quả bước.", "The step was recorded.")),
        Some("allocation") => {
            Some(lang.pick("Đã lưu phân bổ đại biểu.", "The allocation was saved."))
        }
        _ => None,
    }
}

fn campaign_options() -> Vec<SelectOption> {
    Campaign::ALL.iter().map(|c| SelectOption::new(c.code(), c.label())).collect()
}

fn level_options(lang: Lang) -> Vec<SelectOption> {
    Level::ALL
        .iter()
        .map(|l| SelectOption::new(l.code(), lang.pick(l.label_vi(), l.label_en())))
        .collect()
}

async fn overview_page(
    state: &AppState,
    user: &CurrentUser,
    headers: &HeaderMap,
    congress: Congress,
    done: Option<&'static str>,
    plan_errors: FieldErrors,
) -> Result<Response, AppError> {
    let lang = user.lang;
    let plan = state.store.personnel_plan(congress.id).await?;
    let dossiers = state.store.dossiers(congress.id).await?;
    let views: Vec<DossierView> = dossiers.iter().map(|d| dossier_view(d, &plan, lang)).collect();
    let failed = !plan_errors.is_empty();
    let mut response = render(
        state,
        user,
        headers,
        "personnel",
        "personnel/overview.html",
        minijinja::context! {
            congress => minijinja::context! { id => congress.id, title => congress.title.clone(), unit_id => congress.unit_id },
            plan => plan_view(&plan, lang),
            dossiers => Serde(views),
            can_edit => user.access.can(Action::RunCongress, &congress.unit_path),
            campaigns => Serde(campaign_options()),
            levels => Serde(level_options(lang)),
            errors => plan_errors.to_value(),
            done => done,
        },
    );
    if failed && response.status() == StatusCode::OK {
        *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(response)
}

async fn overview(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Query(query): Query<DoneQuery>,
) -> Response {
    let result = async {
        let congress = congress_for(&state, &user, id, Action::View).await?;
        overview_page(
            &state,
            &user,
            &headers,
            congress,
            done_message(query.done.as_deref(), user.lang),
            FieldErrors::new(),
        )
        .await
    }
    .await;
    respond(&state, &user, &headers, result)
}

fn optional_count(
    form: &FormData,
    field: &str,
    lang: Lang,
    errors: &mut FieldErrors,
) -> Option<i64> {
    let text = form.get(field);
    if text.is_empty() {
        return None;
    }
    let value = super::forms::parse_count(text);
    if value.is_none() {
        errors.add_tr(lang, field, "Hãy nhập một số nguyên.", "Enter a whole number.");
    }
    value
}

async fn save_plan(
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
        let campaign = Campaign::parse(form.get("campaign"));
        if campaign.is_none() {
            errors.add_tr(lang, "campaign", "Hãy chọn chỉ thị.", "Choose the directive.");
        }
        let level = Level::parse(form.get("level"));
        if level.is_none() {
            errors.add_tr(lang, "level", "Hãy chọn cấp.", "Choose the level.");
        }
        let reference = if form.get("reference_date").is_empty() {
            campaign.zip(level).map(|(c, l)| c.reference_date(l))
        } else {
            let date = parse_date(form.get("reference_date"));
            if date.is_none() {
                errors.add_tr(
                    lang,
                    "reference_date",
                    "Ngày không hợp lệ (ngày/tháng/năm).",
                    "Not a date (day/month/year).",
                );
            }
            date
        };
        let committee_size = optional_count(&form, "committee_size", lang, &mut errors);
        let standing_size = optional_count(&form, "standing_size", lang, &mut errors);
        if errors.is_empty()
            && let (Some(campaign), Some(level), Some(reference_date)) =
                (campaign, level, reference)
        {
            let outcome = async {
                let mut tx = state.store.begin_write(&user.actor()).await?;
                state
                    .store
                    .set_personnel_plan(
                        &mut tx,
                        congress.id,
                        PlanInput {
                            campaign,
                            level,
                            reference_date,
                            committee_size,
                            standing_size,
                        },
                    )
                    .await?;
                tx.commit().await?;
                Ok::<_, StoreError>(())
            }
            .await;
            match outcome {
                Ok(()) => {
                    return Ok(Redirect::to(&format!("/congresses/{id}/personnel?done=plan"))
                        .into_response());
                }
                Err(error) => match refusal(error, lang, |field| {
                    if field == "standing_size" { "standing_size" } else { "committee_size" }
                }) {
                    Refusal::Field(e) => errors.add(&e.field, e.message),
                    Refusal::Stale(message) => errors.add("committee_size", message),
                    Refusal::Other(error) => return Err(error.into()),
                },
            }
        }
        overview_page(&state, &user, &headers, congress, None, errors).await
    }
    .await;
    respond(&state, &user, &headers, result)
}

// ---------------------------------------------------------------------------------------------
// The live target panel

#[derive(Debug, Serialize)]
struct OutcomeView {
    label: String,
    bound: String,
    count: u64,
    base: u64,
    percent: String,
    status: &'static str,
    confirmed: bool,
    size: bool,
    people: Vec<String>,
}

fn outcome_view(outcome: &TargetOutcome, names: &[(i64, String)], lang: Lang) -> OutcomeView {
    let metric = outcome.target.metric;
    let size = matches!(
        metric,
        daihoi_core::personnel::Metric::CommitteeSize
            | daihoi_core::personnel::Metric::StandingSize
    );
    OutcomeView {
        label: if lang == Lang::En { metric.label_en() } else { metric.label_vi() },
        bound: outcome.target.bound.text(),
        count: outcome.count,
        base: outcome.base,
        percent: match (outcome.count * 1000 + outcome.base / 2).checked_div(outcome.base) {
            Some(tenths) => format!("{},{}%", tenths / 10, tenths % 10),
            None => String::new(),
        },
        status: match outcome.status {
            Status::Met => "met",
            Status::Missed => "missed",
            Status::NotSet => "not_set",
        },
        confirmed: outcome.target.confirmed,
        size,
        people: outcome
            .counted
            .iter()
            .filter_map(|key| names.iter().find(|(id, _)| id == key).map(|(_, n)| n.clone()))
            .collect(),
    }
}

async fn targets_panel(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Response {
    let result = async {
        let lang = user.lang;
        let congress = congress_for(&state, &user, id, Action::View).await?;
        let plan = state.store.personnel_plan(congress.id).await?;
        let dossiers = state.store.dossiers(congress.id).await?;
        // With the list form included (`list=1`), only the ticked dossiers count.
        let chosen: Vec<i64> = pairs.iter().filter(|(k, _)| k == "in").filter_map(|(_, v)| v.parse().ok()).collect();
        let filtered = pairs.iter().any(|(k, _)| k == "list");
        let list: Vec<&Dossier> = dossiers.iter().filter(|d| !filtered || chosen.contains(&d.id)).collect();
        let profiles: Vec<_> = list.iter().map(|d| d.profile()).collect();
        let names: Vec<(i64, String)> = list.iter().map(|d| (d.id, d.full_name.clone())).collect();
        let sizes = Plan {
            committee: plan.committee_size.and_then(|n| u64::try_from(n).ok()),
            standing: plan.standing_size.and_then(|n| u64::try_from(n).ok()),
        };
        let outcomes = evaluate(&plan.campaign.targets(plan.level), &profiles, sizes, plan.reference_date);
        let views: Vec<OutcomeView> = outcomes.iter().map(|o| outcome_view(o, &names, lang)).collect();
        let (low, high) = plan.campaign.surplus();
        let surplus = sizes.committee.map(|planned| surplus_check(planned, list.len() as u64, low, high));
        let ineligible: Vec<String> = list
            .iter()
            .map(|d| dossier_view(d, &plan, lang))
            .filter(|v| v.eligible == Some(false))
            .map(|v| v.full_name)
            .collect();
        Ok(render(
            &state,
            &user,
            &headers,
            "personnel",
            "personnel/_targets.html",
            minijinja::context! {
                outcomes => Serde(views),
                listed => list.len(),
                surplus => surplus.map(|s| minijinja::context! {
                    planned => s.planned, listed => s.listed, min => s.min_listed, max => s.max_listed,
                    met => s.status == Status::Met,
                }),
                ineligible => ineligible,
                plan => plan_view(&plan, lang),
            },
        ))
    }
    .await;
    respond(&state, &user, &headers, result)
}

async fn save_elected(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
    form: FormData,
) -> Response {
    let result = async {
        let congress = congress_for(&state, &user, id, Action::RunCongress).await?;
        let elected: Vec<i64> = form.all("elected").iter().filter_map(|v| v.parse().ok()).collect();
        let secretary = form
            .get("secretary")
            .parse::<i64>()
            .ok()
            .map(|sid| (sid, form.get("direct") == "1", form.get("non_local") == "1"));
        let mut tx = state.store.begin_write(&user.actor()).await?;
        state.store.record_elected(&mut tx, congress.id, &elected, secretary).await?;
        tx.commit().await?;
        Ok(Redirect::to(&format!("/congresses/{id}/personnel?done=elected")).into_response())
    }
    .await;
    respond(&state, &user, &headers, result)
}

// ---------------------------------------------------------------------------------------------
// Dossier forms

#[derive(Debug, Clone, Serialize, Default)]
struct DossierValues {
    full_name: String,
    birth: String,
    sex: String,
    ethnicity: String,
    hometown: String,
    education: String,
    theory_level: String,
    joined_date: String,
    current_post: String,
    planned_post: String,
    incumbent: bool,
    science_tech: bool,
    origin: String,
    note: String,
    version: String,
    member_id: String,
}

impl DossierValues {
    fn of(d: &Dossier) -> DossierValues {
        DossierValues {
            full_name: d.full_name.clone(),
            birth: d.birth.map(Birth::display).unwrap_or_default(),
            sex: d.sex.map(Sex::code).unwrap_or("").into(),
            ethnicity: d.ethnicity.clone().unwrap_or_default(),
            hometown: d.hometown.clone().unwrap_or_default(),
            education: d.education.map(Education::code).unwrap_or("").into(),
            theory_level: d.theory_level.map(TheoryLevel::code).unwrap_or("").into(),
            joined_date: super::forms::form_date(d.joined_date),
            current_post: d.current_post.clone().unwrap_or_default(),
            planned_post: d.planned_post.code().into(),
            incumbent: d.incumbent,
            science_tech: d.science_tech,
            origin: d.origin.clone().unwrap_or_default(),
            note: d.note.clone().unwrap_or_default(),
            version: d.version.to_string(),
            member_id: d.member_id.map(|id| id.to_string()).unwrap_or_default(),
        }
    }

    /// The values taken from a member of the roster.
    fn of_member(m: &daihoi_store::Member) -> DossierValues {
        DossierValues {
            full_name: m.full_name.clone(),
            birth: m.birth_date.map(|d| Birth::Date(d).display()).unwrap_or_default(),
            sex: m.sex.map(Sex::code).unwrap_or("").into(),
            ethnicity: m.ethnicity.clone().unwrap_or_default(),
            education: m.education.map(Education::code).unwrap_or("").into(),
            theory_level: m.theory_level.map(TheoryLevel::code).unwrap_or("").into(),
            joined_date: super::forms::form_date(m.joined_date),
            planned_post: PlannedPost::Member.code().into(),
            member_id: m.id.to_string(),
            ..DossierValues::default()
        }
    }

    fn from_form(form: &FormData) -> DossierValues {
        DossierValues {
            full_name: form.get("full_name").into(),
            birth: form.get("birth").into(),
            sex: form.get("sex").into(),
            ethnicity: form.get("ethnicity").into(),
            hometown: form.get("hometown").into(),
            education: form.get("education").into(),
            theory_level: form.get("theory_level").into(),
            joined_date: form.get("joined_date").into(),
            current_post: form.get("current_post").into(),
            planned_post: form.get("planned_post").into(),
            incumbent: form.get("incumbent") == "1",
            science_tech: form.get("science_tech") == "1",
            origin: form.get("origin").into(),
            note: form.get("note").into(),
            version: form.get("version").into(),
            member_id: form.get("member_id").into(),
        }
    }
}

fn read_dossier(form: &FormData, lang: Lang, errors: &mut FieldErrors) -> DossierInput {
    let text = |name: &str| Some(form.get(name).to_string()).filter(|t| !t.is_empty());
    if form.get("full_name").is_empty() {
        errors.add_tr(lang, "full_name", "Hãy nhập họ và tên.", "Enter the full name.");
    }
    let birth = Birth::parse(form.get("birth"));
    if birth.is_none() {
        errors.add_tr(
            lang,
            "birth",
            "Hãy nhập ngày sinh (ngày/tháng/năm) hoặc năm sinh, ví dụ 07/01/1975 hoặc 1975.",
            "Enter the birth date (day/month/year) or year, for example 07/01/1975 or 1975.",
        );
    }
    let sex = Sex::parse(form.get("sex"));
    if sex.is_none() {
        errors.add_tr(lang, "sex", "Hãy chọn giới tính.", "Choose the sex.");
    }
    let coded = |name: &str| form.get(name);
    let education = Education::parse(coded("education"));
    let theory_level = TheoryLevel::parse(coded("theory_level"));
    let planned_post = PlannedPost::parse(coded("planned_post"));
    if planned_post.is_none() {
        errors.add_tr(
            lang,
            "planned_post",
            "Hãy chọn chức danh dự kiến.",
            "Choose the planned post.",
        );
    }
    let joined_date = if form.get("joined_date").is_empty() {
        None
    } else {
        let date = parse_date(form.get("joined_date"));
        if date.is_none() {
            errors.add_tr(
                lang,
                "joined_date",
                "Ngày không hợp lệ (ngày/tháng/năm).",
                "Not a date (day/month/year).",
            );
        }
        date
    };
    DossierInput {
        member_id: form.get("member_id").parse().ok(),
        person_id: None,
        full_name: form.get("full_name").into(),
        birth,
        sex,
        ethnicity: text("ethnicity"),
        hometown: text("hometown"),
        education,
        theory_level,
        joined_date,
        current_post: text("current_post"),
        planned_post,
        incumbent: form.get("incumbent") == "1",
        science_tech: form.get("science_tech") == "1",
        origin_unit_id: None,
        origin: text("origin"),
        note: text("note"),
    }
}

fn dossier_options(lang: Lang) -> minijinja::Value {
    let mut sex = vec![SelectOption::new("", "—")];
    sex.extend(
        Sex::ALL.iter().map(|s| SelectOption::new(s.code(), lang.pick(s.label_vi(), s.label_en()))),
    );
    let mut education = vec![SelectOption::new("", "—")];
    education.extend(
        Education::ALL
            .iter()
            .map(|e| SelectOption::new(e.code(), lang.pick(e.label_vi(), e.label_en()))),
    );
    let mut theory = vec![SelectOption::new("", "—")];
    theory.extend(
        TheoryLevel::ALL
            .iter()
            .map(|t| SelectOption::new(t.code(), lang.pick(t.label_vi(), t.label_en()))),
    );
    let posts: Vec<SelectOption> = PlannedPost::ALL
        .iter()
        .map(|p| SelectOption::new(p.code(), lang.pick(p.label_vi(), p.label_en())))
        .collect();
    minijinja::context! {
        sex => Serde(sex), education => Serde(education), theory_level => Serde(theory), planned_post => Serde(posts),
    }
}

/// The member search on the new-dossier form: what was typed, and (id, name, birth) found.
type MemberChoices = (String, Vec<(i64, String, String)>);

fn dossier_form(
    state: &AppState,
    user: &CurrentUser,
    headers: &HeaderMap,
    congress: &Congress,
    dossier: Option<&Dossier>,
    values: DossierValues,
    errors: FieldErrors,
    search: Option<MemberChoices>,
) -> Response {
    let failed = !errors.is_empty();
    let mut response = render(
        state,
        user,
        headers,
        "personnel",
        "personnel/dossier_form.html",
        minijinja::context! {
            mode => if dossier.is_some() { "edit" } else { "create" },
            congress => minijinja::context! { id => congress.id, title => congress.title.clone() },
            dossier_id => dossier.map(|d| d.id),
            v => Serde(values),
            errors => errors.to_value(),
            options => dossier_options(user.lang),
            search => search.map(|(q, found)| minijinja::context! { q => q, found => found }),
        },
    );
    if failed && response.status() == StatusCode::OK {
        *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    response
}

#[derive(Debug, serde::Deserialize, Default)]
struct NewDossierQuery {
    member: Option<String>,
    q: Option<String>,
}

/// A member of the roster, if inside the congress's subtree and visible to the caller.
async fn member_in(
    state: &AppState,
    user: &CurrentUser,
    congress: &Congress,
    id: i64,
) -> Result<daihoi_store::Member, AppError> {
    let member = state.store.member(id).await?;
    require(&user.access, Action::View, &member.unit_path)?;
    if !member.unit_path.starts_with(&congress.unit_path) {
        return Err(AppError::NotFound);
    }
    Ok(member)
}

async fn new_dossier(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Query(query): Query<NewDossierQuery>,
) -> Response {
    let result = async {
        let congress = congress_for(&state, &user, id, Action::RunCongress).await?;
        let values = match query.member.as_deref().and_then(|m| m.parse::<i64>().ok()) {
            Some(member_id) => {
                DossierValues::of_member(&member_in(&state, &user, &congress, member_id).await?)
            }
            None => DossierValues {
                planned_post: PlannedPost::Member.code().into(),
                ethnicity: "Kinh".into(),
                ..DossierValues::default()
            },
        };
        let q = query.q.unwrap_or_default().trim().to_string();
        let search = if q.is_empty() {
            None
        } else {
            let filter = daihoi_store::MemberFilter {
                unit_id: None,
                subtree_paths: vec![congress.unit_path.clone()],
                query: Some(q.clone()),
                membership: None,
                status: None,
                sex: None,
                ethnicity: None,
            };
            let found = state
                .store
                .members(&filter, daihoi_store::MemberSort::Name, false, Page::new(1, 20))
                .await?;
            Some((
                q,
                found
                    .items
                    .iter()
                    .map(|m| {
                        (
                            m.id,
                            m.full_name.clone(),
                            m.birth_date.map(|d| Birth::Date(d).display()).unwrap_or_default(),
                        )
                    })
                    .collect(),
            ))
        };
        Ok(dossier_form(
            &state,
            &user,
            &headers,
            &congress,
            None,
            values,
            FieldErrors::new(),
            search,
        ))
    }
    .await;
    respond(&state, &user, &headers, result)
}

fn dossier_input_field(field: &str) -> &'static str {
    match field {
        "birth" => "birth",
        "sex" => "sex",
        _ => "full_name",
    }
}

async fn create_dossier(
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
        let input = read_dossier(&form, lang, &mut errors);
        if let Some(member_id) = input.member_id {
            member_in(&state, &user, &congress, member_id).await?;
        }
        if errors.is_empty() {
            let outcome = async {
                let mut tx = state.store.begin_write(&user.actor()).await?;
                state.store.create_dossier(&mut tx, congress.id, &input).await?;
                tx.commit().await
            }
            .await;
            match outcome {
                Ok(()) => {
                    return Ok(Redirect::to(&format!("/congresses/{id}/personnel?done=dossier"))
                        .into_response());
                }
                Err(error) => match refusal(error, lang, dossier_input_field) {
                    Refusal::Field(e) => errors.add(&e.field, e.message),
                    Refusal::Stale(message) => errors.add("full_name", message),
                    Refusal::Other(error) => return Err(error.into()),
                },
            }
        }
        Ok(dossier_form(
            &state,
            &user,
            &headers,
            &congress,
            None,
            DossierValues::from_form(&form),
            errors,
            None,
        ))
    }
    .await;
    respond(&state, &user, &headers, result)
}

async fn edit_dossier(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> Response {
    let result = async {
        let (dossier, congress) = dossier_for(&state, &user, id, Action::RunCongress).await?;
        Ok(dossier_form(
            &state,
            &user,
            &headers,
            &congress,
            Some(&dossier),
            DossierValues::of(&dossier),
            FieldErrors::new(),
            None,
        ))
    }
    .await;
    respond(&state, &user, &headers, result)
}

async fn update_dossier(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
    form: FormData,
) -> Response {
    let result = async {
        let lang = user.lang;
        let (dossier, congress) = dossier_for(&state, &user, id, Action::RunCongress).await?;
        let mut errors = FieldErrors::new();
        let input = read_dossier(&form, lang, &mut errors);
        let version = form.get("version").parse::<i64>().unwrap_or(dossier.version);
        if errors.is_empty() {
            let outcome = async {
                let mut tx = state.store.begin_write(&user.actor()).await?;
                state.store.update_dossier(&mut tx, id, version, &input).await?;
                tx.commit().await
            }
            .await;
            match outcome {
                Ok(()) => {
                    return Ok(Redirect::to(&format!(
                        "/congresses/{}/personnel?done=dossier",
                        congress.id
                    ))
                    .into_response());
                }
                Err(error) => match refusal(error, lang, dossier_input_field) {
                    Refusal::Field(e) => errors.add(&e.field, e.message),
                    Refusal::Stale(message) => errors.add("full_name", message),
                    Refusal::Other(error) => return Err(error.into()),
                },
            }
        }
        Ok(dossier_form(
            &state,
            &user,
            &headers,
            &congress,
            Some(&dossier),
            DossierValues::from_form(&form),
            errors,
            None,
        ))
    }
    .await;
    respond(&state, &user, &headers, result)
}

// ---------------------------------------------------------------------------------------------
// Documents: the short CV and the one-line summary

/// The sơ yếu lý lịch of one candidate as a report.
fn cv_report(dossier: &Dossier, view: &DossierView, congress: &Congress) -> Report {
    let line = |label: &str, value: &str| {
        Block::Paragraph(Paragraph::new(vec![
            Span::bold(format!("{label}: ")),
            Span::regular(if value.is_empty() { "…".to_string() } else { value.to_string() }),
        ]))
    };
    let mut blocks = vec![
        Block::Paragraph(Paragraph::new(vec![Span::bold("SƠ YẾU LÝ LỊCH")]).aligned(Align::Center)),
        Block::Paragraph(
            Paragraph::new(vec![Span::italic(format!("(Nhân sự {})", congress.title))])
                .aligned(Align::Center),
        ),
        Block::Space(8.0),
    ];
    blocks.extend([
        line("1. Họ và tên", &dossier.full_name),
        line("2. Ngày sinh", &view.birth),
        line("3. Giới tính", dossier.sex.map(Sex::label_vi).unwrap_or("")),
        line("4. Dân tộc", &view.ethnicity),
        line("5. Quê quán", dossier.hometown.as_deref().unwrap_or("")),
        line("6. Ngày vào Đảng", &super::forms::form_date(dossier.joined_date)),
        line("7. Trình độ chuyên môn", dossier.education.map(Education::label_vi).unwrap_or("")),
        line(
            "8. Trình độ lý luận chính trị",
            dossier.theory_level.map(TheoryLevel::label_vi).unwrap_or(""),
        ),
        line("9. Chức vụ hiện tại", &view.current_post),
        line("10. Đơn vị công tác", &view.origin),
        line("11. Dự kiến giới thiệu", dossier.planned_post.label_vi()),
        line("12. Tái cử hay tham gia lần đầu", dossier.track().label_vi()),
        line(
            "13. Thời gian công tác còn lại tại thời điểm tính tuổi",
            &view
                .months_left
                .map(|m| format!("{m} tháng (nghỉ hưu {})", view.retires))
                .unwrap_or_default(),
        ),
    ]);
    if let Some(note) = &dossier.note {
        blocks.push(line("Ghi chú", note));
    }
    Report {
        paper: Paper::A4,
        title: format!("Sơ yếu lý lịch {}", dossier.full_name),
        header: None,
        blocks,
        page_numbers: false,
    }
}

async fn cv_docx(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> Response {
    let result = async {
        let (dossier, congress) = dossier_for(&state, &user, id, Action::View).await?;
        let plan = state.store.personnel_plan(congress.id).await?;
        let view = dossier_view(&dossier, &plan, Lang::Vi);
        let bytes = report_docx(&cv_report(&dossier, &view, &congress)).map_err(render_error)?;
        Ok(attachment(DOCX, &format!("so-yeu-ly-lich-{}.docx", dossier.full_name), bytes))
    }
    .await;
    respond(&state, &user, &headers, result)
}

async fn summary_xlsx(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> Response {
    let result = async {
        let congress = congress_for(&state, &user, id, Action::View).await?;
        let plan = state.store.personnel_plan(congress.id).await?;
        let dossiers = state.store.dossiers(congress.id).await?;
        let columns = [
            ("STT", 6.0),
            ("Họ và tên", 26.0),
            ("Ngày sinh", 12.0),
            ("Giới tính", 9.0),
            ("Dân tộc", 10.0),
            ("Chuyên môn", 14.0),
            ("Lý luận chính trị", 14.0),
            ("Chức vụ hiện tại", 30.0),
            ("Dự kiến", 22.0),
            ("Tái cử / lần đầu", 16.0),
            ("Tháng công tác còn lại", 12.0),
            ("Đủ điều kiện tuổi", 10.0),
        ];
        let rows: Vec<Vec<Cell>> = dossiers
            .iter()
            .enumerate()
            .map(|(index, d)| {
                let v = dossier_view(d, &plan, Lang::Vi);
                vec![
                    Cell::Int(index as i64 + 1),
                    Cell::Text(d.full_name.clone()),
                    Cell::Text(v.birth.clone()),
                    Cell::Text(v.sex.clone()),
                    Cell::Text(v.ethnicity.clone()),
                    Cell::Text(v.education.clone()),
                    Cell::Text(v.theory_level.clone()),
                    Cell::Text(v.current_post.clone()),
                    Cell::Text(v.planned_post.clone()),
                    Cell::Text(d.track().label_vi().into()),
                    v.months_left.map(Cell::Int).unwrap_or(Cell::Empty),
                    Cell::Text(match v.eligible {
                        Some(true) => "Đủ".into(),
                        Some(false) => "Không đủ".into(),
                        None => String::new(),
                    }),
                ]
            })
            .collect();
        let sheet = Sheet {
            name: "Trích ngang".into(),
            columns: columns.iter().map(|(h, w)| SheetColumn::new(*h, *w)).collect(),
            rows,
        };
        let bytes = xlsx_table(&[sheet]).map_err(render_error)?;
        Ok(attachment(XLSX, &format!("trich-ngang-dai-hoi-{}.xlsx", congress.id), bytes))
    }
    .await;
    respond(&state, &user, &headers, result)
}

// ---------------------------------------------------------------------------------------------
// The 5-step procedure

#[derive(Debug, Serialize)]
struct StepSlot {
    step: i64,
    body: &'static str,
    recorded: Option<daihoi_store::personnel::StepMeeting>,
    candidates: Vec<(i64, String)>,
    next: bool,
}

async fn track_view(
    state: &AppState,
    congress_id: i64,
    track: StepTrack,
    lang: Lang,
) -> Result<minijinja::Value, AppError> {
    let meetings = state.store.steps(congress_id, track).await?;
    let mut slots = Vec::new();
    let mut next_found = false;
    for (number, vi, en) in STEPS {
        let number = i64::from(number);
        let recorded = meetings.iter().find(|m| m.step == number);
        let pending = recorded.is_some_and(|m| m.tie_pending);
        let candidates = state.store.step_candidates(congress_id, track, number).await?;
        let next = !next_found && (recorded.is_none() || pending);
        if next {
            next_found = true;
        }
        slots.push(StepSlot {
            step: number,
            body: lang.pick(vi, en),
            recorded: recorded.cloned(),
            candidates: candidates.iter().map(|d| (d.id, d.full_name.clone())).collect(),
            next: next && !candidates.is_empty(),
        });
    }
    let final_list = state.store.step_candidates(congress_id, track, 6).await?;
    Ok(minijinja::context! {
        code => track.code(),
        label => lang.pick(track.label_vi(), track.label_en()),
        slots => Serde(slots),
        final_list => final_list.iter().map(|d| d.full_name.clone()).collect::<Vec<_>>(),
    })
}

async fn steps_view(
    state: &AppState,
    user: &CurrentUser,
    headers: &HeaderMap,
    congress: &Congress,
    done: Option<&'static str>,
    problem: Option<String>,
) -> Result<Response, AppError> {
    let lang = user.lang;
    let tracks = vec![
        track_view(state, congress.id, StepTrack::Reelection, lang).await?,
        track_view(state, congress.id, StepTrack::FirstTime, lang).await?,
    ];
    let failed = problem.is_some();
    // The committee elections whose list is still being built can take the final list.
    let elections: Vec<(i64, String)> = state
        .store
        .elections(congress.id)
        .await?
        .into_iter()
        .filter(|e| {
            e.kind == daihoi_core::counting::ElectionKind::Committee
                && e.status == daihoi_store::elections::ElectionStatus::Preparing
        })
        .map(|e| (e.id, e.title))
        .collect();
    let mut response = render(
        state,
        user,
        headers,
        "personnel",
        "personnel/steps.html",
        minijinja::context! {
            congress => minijinja::context! { id => congress.id, title => congress.title.clone() },
            elections => elections,
            tracks => tracks,
            can_edit => user.access.can(Action::RunCongress, &congress.unit_path),
            done => done,
            problem => problem,
        },
    );
    if failed && response.status() == StatusCode::OK {
        *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(response)
}

async fn steps_page(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Query(query): Query<DoneQuery>,
) -> Response {
    let result = async {
        let congress = congress_for(&state, &user, id, Action::View).await?;
        steps_view(
            &state,
            &user,
            &headers,
            &congress,
            done_message(query.done.as_deref(), user.lang),
            None,
        )
        .await
    }
    .await;
    respond(&state, &user, &headers, result)
}

async fn record_step(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
    form: FormData,
) -> Response {
    let result = async {
        let lang = user.lang;
        let congress = congress_for(&state, &user, id, Action::RunCongress).await?;
        let number = |name: &str| super::forms::parse_count(form.get(name));
        let track = StepTrack::parse(form.get("track"));
        let (Some(track), Some(step), Some(summoned), Some(attended)) =
            (track, number("step"), number("summoned"), number("attended"))
        else {
            let problem = lang
                .pick(
                    "Hãy nhập số được triệu tập và số có mặt (số nguyên).",
                    "Enter the number summoned and the number attending (whole numbers).",
                )
                .to_string();
            return steps_view(&state, &user, &headers, &congress, None, Some(problem)).await;
        };
        let mut votes = Vec::new();
        let candidates = state.store.step_candidates(congress.id, track, step).await?;
        for dossier in &candidates {
            let field = format!("votes_{}", dossier.id);
            let text = form.get(&field);
            match super::forms::parse_count(text) {
                Some(count) => votes.push((dossier.id, count)),
                None => {
                    let problem = format!(
                        "{} {}",
                        lang.pick("Hãy nhập số phiếu cho đồng chí", "Enter the votes for"),
                        dossier.full_name
                    );
                    return steps_view(&state, &user, &headers, &congress, None, Some(problem))
                        .await;
                }
            }
        }
        let input = StepInput {
            track,
            step,
            held_on: parse_date(form.get("held_on")),
            summoned,
            attended,
            places: number("places"),
            votes,
            tie_decision: form.all("tie").iter().filter_map(|v| v.parse().ok()).collect(),
            tie_note: Some(form.get("tie_note").to_string()).filter(|t| !t.is_empty()),
        };
        let outcome = async {
            let mut tx = state.store.begin_write(&user.actor()).await?;
            state.store.record_step(&mut tx, congress.id, &input).await?;
            tx.commit().await
        }
        .await;
        match outcome {
            Ok(()) => Ok(Redirect::to(&format!("/congresses/{id}/personnel/steps?done=step"))
                .into_response()),
            Err(StoreError::Rule { message_vi, message_en, .. }) => {
                let problem = if lang == Lang::En { message_en } else { message_vi };
                steps_view(&state, &user, &headers, &congress, None, Some(problem)).await
            }
            Err(other) => Err(other.into()),
        }
    }
    .await;
    respond(&state, &user, &headers, result)
}

/// Hands the list after step 5 to a committee election of the congress (its candidates from
/// the outgoing committee), then shows that election's list.
async fn present_list(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
    form: FormData,
) -> Response {
    let result = async {
        let lang = user.lang;
        let congress = congress_for(&state, &user, id, Action::RunCongress).await?;
        let Some(election_id) = form.get("election_id").parse::<i64>().ok() else {
            let problem = lang
                .pick("Hãy chọn cuộc bầu Ban Chấp hành.", "Choose the committee election.")
                .to_string();
            return steps_view(&state, &user, &headers, &congress, None, Some(problem)).await;
        };
        let outcome = async {
            let mut tx = state.store.begin_write(&user.actor()).await?;
            let added = state.store.present_to_congress(&mut tx, congress.id, election_id).await?;
            tx.commit().await?;
            Ok::<usize, StoreError>(added)
        }
        .await;
        match outcome {
            Ok(_) => Ok(Redirect::to(&format!("/elections/{election_id}#list")).into_response()),
            Err(StoreError::Rule { message_vi, message_en, .. }) => {
                let problem = if lang == Lang::En { message_en } else { message_vi };
                steps_view(&state, &user, &headers, &congress, None, Some(problem)).await
            }
            Err(other) => Err(other.into()),
        }
    }
    .await;
    respond(&state, &user, &headers, result)
}

// ---------------------------------------------------------------------------------------------
// Delegate allocation

fn read_setup(
    pairs: &[(String, String)],
    units: &[daihoi_store::personnel::AllocationCandidate],
    saved: Option<&daihoi_store::personnel::SavedAllocation>,
) -> AllocationSetup {
    let get = |name: &str| pairs.iter().find(|(k, _)| k == name).map(|(_, v)| v.trim().to_string());
    let number =
        |name: &str, default: u64| get(name).and_then(|v| v.parse::<u64>().ok()).unwrap_or(default);
    let fresh = get("total").is_none();
    let method = get("method")
        .and_then(|m| m.parse::<Method>().ok())
        .or_else(|| saved.and_then(|s| s.method.parse().ok()))
        .unwrap_or(Method::Hamilton);
    let units = units
        .iter()
        .map(|unit| {
            let line = saved.and_then(|s| s.rows.iter().find(|r| r.unit_id == unit.unit_id));
            let ex_default = line.map(|l| l.ex_officio).unwrap_or(unit.ex_officio);
            AllocationUnitInput {
                unit_id: unit.unit_id,
                ex_officio: number(
                    &format!("ex_{}", unit.unit_id),
                    u64::try_from(ex_default).unwrap_or(0),
                ),
                adjustment: number(
                    &format!("adj_{}", unit.unit_id),
                    line.map(|l| l.adjustment as u64).unwrap_or(0),
                ),
                appointed: if fresh {
                    line.is_some_and(|l| l.appointed)
                } else {
                    get(&format!("appointed_{}", unit.unit_id)).as_deref() == Some("1")
                },
            }
        })
        .collect();
    AllocationSetup {
        total_seats: number("total", saved.map(|s| s.total_seats as u64).unwrap_or(0)),
        base_per_unit: number("base", saved.map(|s| s.base_per_unit as u64).unwrap_or(1)),
        method,
        alternates_per_unit: number(
            "alternates",
            saved.map(|s| s.alternates_per_unit as u64).unwrap_or(0),
        ),
        units,
        tie_decision: pairs
            .iter()
            .filter(|(k, _)| k == "tie")
            .filter_map(|(_, v)| v.parse().ok())
            .collect(),
        tie_note: get("tie_note").filter(|t| !t.is_empty()),
    }
}

fn explanation_view(allocation: &Allocation, lang: Lang) -> minijinja::Value {
    let headers: Vec<&str> =
        EXPLANATION_COLUMNS.iter().map(|(_, vi, en)| lang.pick(vi, en)).collect();
    minijinja::context! { headers => headers, rows => allocation.explanation().iter().map(|r| r.to_vec()).collect::<Vec<_>>() }
}

async fn allocation_view(
    state: &AppState,
    user: &CurrentUser,
    headers: &HeaderMap,
    congress: &Congress,
    pairs: &[(String, String)],
    done: Option<&'static str>,
    problem: Option<String>,
) -> Result<Response, AppError> {
    let lang = user.lang;
    let candidates = state.store.allocation_candidates(congress.id).await?;
    let saved = state.store.allocation(congress.id).await?;
    let setup = read_setup(pairs, &candidates, saved.as_ref());
    let preview_requested = pairs.iter().any(|(k, _)| k == "total");
    let (preview, tie) = if preview_requested && setup.total_seats > 0 && !candidates.is_empty() {
        match state.store.preview_allocation(congress.id, &setup).await? {
            Ok(allocation) => (Some(explanation_view(&allocation, lang)), None),
            Err(AllocationError::Tie(tie)) => (
                None,
                Some(minijinja::context! {
                    seats => tie.seats,
                    units => tie.units.iter().map(|&i| minijinja::context! { id => candidates[i].unit_id, name => candidates[i].name.clone() }).collect::<Vec<_>>(),
                }),
            ),
            Err(error) => (None, Some(minijinja::context! { error => error.to_string() })),
        }
    } else {
        (None, None)
    };
    let methods: Vec<SelectOption> = Method::ALL
        .iter()
        .map(|m| {
            let label = match m {
                Method::Hamilton => {
                    lang.pick("Số dư lớn nhất (Hamilton)", "Largest remainder (Hamilton)")
                }
                Method::DHondt => "D'Hondt",
                Method::SainteLague => "Sainte-Laguë",
                Method::HuntingtonHill => "Huntington–Hill",
            };
            SelectOption::new(m.name(), label)
        })
        .collect();
    let rows: Vec<minijinja::Value> = candidates
        .iter()
        .zip(&setup.units)
        .map(|(c, u)| {
            minijinja::context! {
                id => c.unit_id, name => c.name.clone(), members => c.members,
                ex_officio => u.ex_officio, adjustment => u.adjustment, appointed => u.appointed,
            }
        })
        .collect();
    let delegates: Vec<minijinja::Value> = state
        .store
        .people(congress.id, None, None, Page::new(1, 2000))
        .await?
        .items
        .iter()
        .filter(|p| {
            matches!(
                p.role,
                daihoi_store::congress::PersonRole::Elected
                    | daihoi_store::congress::PersonRole::Appointed
                    | daihoi_store::congress::PersonRole::Alternate
            )
        })
        .map(|p| {
            minijinja::context! {
                id => p.id, name => p.full_name.clone(), role => p.role.code(),
                role_label => lang.pick(p.role.label_vi(), p.role.label_en()),
                delegation => p.delegation.clone().unwrap_or_default(),
                rank => p.alternate_rank, seated_for => p.seated_for,
            }
        })
        .collect();
    let failed = problem.is_some();
    let mut response = render(
        state,
        user,
        headers,
        "personnel",
        "personnel/allocation.html",
        minijinja::context! {
            congress => minijinja::context! { id => congress.id, title => congress.title.clone() },
            setup => minijinja::context! {
                total => setup.total_seats, base => setup.base_per_unit, method => setup.method.name(),
                alternates => setup.alternates_per_unit,
            },
            methods => Serde(methods),
            rows => rows,
            preview => preview,
            tie => tie,
            saved => Serde(saved),
            delegates => delegates,
            can_edit => user.access.can(Action::RunCongress, &congress.unit_path),
            done => done,
            problem => problem,
        },
    );
    if failed && response.status() == StatusCode::OK {
        *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(response)
}

async fn allocation_page(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Response {
    let result = async {
        let congress = congress_for(&state, &user, id, Action::View).await?;
        let done = done_message(
            pairs.iter().find(|(k, _)| k == "done").map(|(_, v)| v.as_str()),
            user.lang,
        );
        allocation_view(&state, &user, &headers, &congress, &pairs, done, None).await
    }
    .await;
    respond(&state, &user, &headers, result)
}

async fn save_allocation(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
    axum::Form(pairs): axum::Form<Vec<(String, String)>>,
) -> Response {
    let result = async {
        let congress = congress_for(&state, &user, id, Action::RunCongress).await?;
        let candidates = state.store.allocation_candidates(congress.id).await?;
        let setup = read_setup(&pairs, &candidates, None);
        let outcome = async {
            let mut tx = state.store.begin_write(&user.actor()).await?;
            state.store.save_allocation(&mut tx, congress.id, &setup).await?;
            tx.commit().await
        }
        .await;
        match outcome {
            Ok(()) => Ok(Redirect::to(&format!("/congresses/{id}/allocation?done=allocation"))
                .into_response()),
            Err(StoreError::Rule { message_vi, message_en, .. }) => {
                let problem = if user.lang == Lang::En { message_en } else { message_vi };
                allocation_view(&state, &user, &headers, &congress, &pairs, None, Some(problem))
                    .await
            }
            Err(other) => Err(other.into()),
        }
    }
    .await;
    respond(&state, &user, &headers, result)
}

async fn appoint(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
    form: FormData,
) -> Response {
    let result = async {
        let congress = congress_for(&state, &user, id, Action::RunCongress).await?;
        let unit_id = form.get("unit_id").parse::<i64>().map_err(|_| AppError::NotFound)?;
        let people: Vec<daihoi_store::congress::NewPerson> = form
            .get("names")
            .lines()
            .map(str::trim)
            .filter(|line| !line.is_empty())
            .map(|name| daihoi_store::congress::NewPerson {
                member_id: None,
                full_name: name.to_string(),
                birth_date: None,
                sex: None,
                ethnicity: None,
                delegation: None,
                source_unit_id: Some(unit_id),
                role: daihoi_store::congress::PersonRole::Appointed,
                alternate_rank: None,
                standing: daihoi_store::congress::Standing::Active,
            })
            .collect();
        let outcome = async {
            let mut tx = state.store.begin_write(&user.actor()).await?;
            state.store.appoint_delegates(&mut tx, congress.id, unit_id, &people).await?;
            tx.commit().await
        }
        .await;
        match outcome {
            Ok(()) => Ok(Redirect::to(&format!("/congresses/{id}/allocation?done=appointed"))
                .into_response()),
            Err(StoreError::Rule { message_vi, message_en, .. }) => {
                let problem = if user.lang == Lang::En { message_en } else { message_vi };
                allocation_view(&state, &user, &headers, &congress, &[], None, Some(problem)).await
            }
            Err(other) => Err(other.into()),
        }
    }
    .await;
    respond(&state, &user, &headers, result)
}

async fn replace_delegate(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
    form: FormData,
) -> Response {
    let result = async {
        let congress = congress_for(&state, &user, id, Action::RunCongress).await?;
        let delegate_id = form.get("delegate").parse::<i64>().map_err(|_| AppError::NotFound)?;
        if state.store.person(delegate_id).await?.congress_id != congress.id {
            return Err(AppError::NotFound);
        }
        let outcome = async {
            let mut tx = state.store.begin_write(&user.actor()).await?;
            state.store.replace_with_next_alternate(&mut tx, delegate_id).await?;
            tx.commit().await
        }
        .await;
        match outcome {
            Ok(()) => {
                Ok(Redirect::to(&format!("/congresses/{id}/allocation?done=replaced"))
                    .into_response())
            }
            Err(StoreError::Rule { message_vi, message_en, .. }) => {
                let problem = if user.lang == Lang::En { message_en } else { message_vi };
                allocation_view(&state, &user, &headers, &congress, &[], None, Some(problem)).await
            }
            Err(other) => Err(other.into()),
        }
    }
    .await;
    respond(&state, &user, &headers, result)
}

fn saved_table(
    saved: &daihoi_store::personnel::SavedAllocation,
) -> (Vec<&'static str>, Vec<Vec<String>>) {
    let headers: Vec<&'static str> = EXPLANATION_COLUMNS.iter().map(|(_, vi, _)| *vi).collect();
    let mut rows: Vec<Vec<String>> = saved
        .rows
        .iter()
        .map(|r| {
            vec![
                if r.appointed { format!("{} (chỉ định)", r.name) } else { r.name.clone() },
                r.members.to_string(),
                r.ex_officio.to_string(),
                r.base.to_string(),
                r.quota.clone(),
                r.proportional.to_string(),
                r.adjustment.to_string(),
                r.elected.to_string(),
                r.total.to_string(),
                r.alternates.to_string(),
            ]
        })
        .collect();
    let sum = |f: fn(&daihoi_store::personnel::AllocationLine) -> i64| {
        saved.rows.iter().map(f).sum::<i64>().to_string()
    };
    rows.push(vec![
        "Cộng".into(),
        saved.total_members.to_string(),
        sum(|r| r.ex_officio),
        sum(|r| r.base),
        saved.pool.to_string(),
        sum(|r| r.proportional),
        sum(|r| r.adjustment),
        sum(|r| r.elected),
        sum(|r| r.total),
        sum(|r| r.alternates),
    ]);
    (headers, rows)
}

async fn allocation_notice(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> Response {
    let result = async {
        let congress = congress_for(&state, &user, id, Action::View).await?;
        let saved = state.store.allocation(congress.id).await?.ok_or(AppError::NotFound)?;
        let (titles, rows) = saved_table(&saved);
        let mut blocks = vec![
            Block::Paragraph(Paragraph::new(vec![Span::bold("THÔNG BÁO")]).aligned(Align::Center)),
            Block::Paragraph(Paragraph::new(vec![Span::bold(format!("Số lượng và phân bổ đại biểu dự {}", congress.title))]).aligned(Align::Center)),
            Block::Space(6.0),
            Block::Paragraph(Paragraph::text(format!(
                "Tổng số đại biểu: {} (trong đó {} đại biểu đương nhiên). Số đại biểu phân bổ theo tỷ lệ đảng viên: {} trên tổng số {} đảng viên chính thức; phương pháp: {}. Mỗi đơn vị có {} suất cơ bản.",
                saved.total_seats,
                saved.rows.iter().map(|r| r.ex_officio).sum::<i64>(),
                saved.pool,
                saved.total_members,
                saved.method,
                saved.base_per_unit,
            ))),
        ];
        if let (Some(units), Some(decision)) = (&saved.tie_units, &saved.tie_decision) {
            blocks.push(Block::Paragraph(Paragraph::text(format!(
                "Các đơn vị {units} bằng nhau cho suất cuối cùng; cấp ủy quyết định dành cho: {decision}{}.",
                saved.tie_note.as_deref().map(|n| format!(" ({n})")).unwrap_or_default()
            ))));
        }
        let weights = [30u16, 10, 10, 8, 14, 10, 10, 10, 10, 10];
        blocks.push(Block::Table(Table {
            columns: titles
                .iter()
                .zip(weights)
                .enumerate()
                .map(|(i, (t, w))| Column::new(*t, w, if i == 0 { Align::Left } else { Align::Right }))
                .collect(),
            rows: rows
                .iter()
                .enumerate()
                .map(|(i, r)| if i + 1 == rows.len() { Row::bold(r.clone()) } else { Row::new(r.clone()) })
                .collect(),
            size: 10.0,
        }));
        let appointed: Vec<&str> = saved.rows.iter().filter(|r| r.appointed).map(|r| r.name.as_str()).collect();
        if !appointed.is_empty() {
            blocks.push(Block::Paragraph(Paragraph::text(format!(
                "Đơn vị không bầu đại biểu, cấp ủy chỉ định đại biểu: {}.",
                appointed.join("; ")
            ))));
        }
        let report = Report { paper: Paper::A4, title: "Thông báo phân bổ đại biểu".into(), header: None, blocks, page_numbers: true };
        let bytes = report_docx(&report).map_err(render_error)?;
        Ok(attachment(DOCX, &format!("thong-bao-phan-bo-dai-bieu-{}.docx", congress.id), bytes))
    }
    .await;
    respond(&state, &user, &headers, result)
}

async fn allocation_xlsx(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> Response {
    let result = async {
        let congress = congress_for(&state, &user, id, Action::View).await?;
        let saved = state.store.allocation(congress.id).await?.ok_or(AppError::NotFound)?;
        let (titles, rows) = saved_table(&saved);
        let sheet = Sheet {
            name: "Phân bổ đại biểu".into(),
            columns: titles
                .iter()
                .enumerate()
                .map(|(i, t)| SheetColumn::new(*t, if i == 0 { 34.0 } else { 14.0 }))
                .collect(),
            rows: rows
                .iter()
                .map(|r| {
                    r.iter()
                        .enumerate()
                        .map(|(i, v)| match (i, v.parse::<i64>()) {
                            (0, _) | (4, _) => Cell::Text(v.clone()),
                            (_, Ok(n)) => Cell::Int(n),
                            _ => Cell::Text(v.clone()),
                        })
                        .collect()
                })
                .collect(),
        };
        let bytes = xlsx_table(&[sheet]).map_err(render_error)?;
        Ok(attachment(XLSX, &format!("phan-bo-dai-bieu-{}.xlsx", congress.id), bytes))
    }
    .await;
    respond(&state, &user, &headers, result)
}

// ---------------------------------------------------------------------------------------------
// Composition statistics

#[derive(Debug, Serialize)]
struct Bar {
    label: String,
    count: u64,
    percent: String,
    width: u64,
}

fn bars(stats: &Composition, lang: Lang) -> Vec<Bar> {
    let total = stats.total.max(1);
    let bar = |vi: &str, en: &str, count: u64| Bar {
        label: lang.pick(vi, en).to_string(),
        count,
        percent: stats.percent(count),
        width: count * 300 / total,
    };
    vec![
        bar("Nữ", "Women", stats.women),
        bar("Dân tộc thiểu số", "Ethnic minorities", stats.minorities),
        bar("Dưới 40 tuổi", "Under 40", stats.under_40),
        bar("Từ 40 đến 50 tuổi", "40 to 50", stats.from_40_to_50),
        bar("Trên 50 tuổi", "Over 50", stats.over_50),
        bar("Tái cử", "Re-elected", stats.reelected),
        bar("Tham gia lần đầu", "New", stats.new_members),
        bar(
            "Đại học trở lên",
            "University or higher",
            stats.education[4] + stats.education[5] + stats.education[6],
        ),
        bar(
            "Cao cấp, cử nhân lý luận",
            "Advanced political theory",
            stats.theory[3] + stats.theory[4],
        ),
    ]
}

fn stats_row(name: &str, stats: &Composition) -> minijinja::Value {
    minijinja::context! {
        name => name, lists => stats.lists, total => stats.total, women => stats.women,
        women_pct => stats.percent(stats.women), minorities => stats.minorities,
        under_40 => stats.under_40, from_40_to_50 => stats.from_40_to_50, over_50 => stats.over_50,
        reelected => stats.reelected, new_members => stats.new_members,
        secretary_direct => stats.secretary_direct, secretary_non_local => stats.secretary_non_local,
    }
}

async fn composition_tree_for(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
) -> Result<std::sync::Arc<CompositionTree>, AppError> {
    unit_for(state, &user.access, id, Action::View).await?;
    Ok(state.store.composition_tree(id).await?)
}

async fn composition_page(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> Response {
    let result = async {
        let lang = user.lang;
        let tree = composition_tree_for(&state, &user, id).await?;
        let mut rows = vec![];
        if tree.own.total > 0 {
            rows.push(stats_row(
                lang.pick("Cấp ủy của đơn vị", "The unit's own committee"),
                &tree.own,
            ));
        }
        let children: Vec<minijinja::Value> = tree
            .children
            .iter()
            .filter(|(_, _, s)| s.total > 0)
            .map(|(cid, name, s)| minijinja::context! { id => cid, row => stats_row(name, s) })
            .collect();
        Ok(render(
            &state,
            &user,
            &headers,
            "personnel",
            "personnel/composition.html",
            minijinja::context! {
                unit => minijinja::context! { id => tree.unit_id, name => tree.unit_name.clone() },
                own => rows,
                children => children,
                total => stats_row(lang.pick("Toàn đảng bộ", "Whole subtree"), &tree.total),
                bars => Serde(bars(&tree.total, lang)),
            },
        ))
    }
    .await;
    respond(&state, &user, &headers, result)
}

async fn composition_xlsx(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> Response {
    let result = async {
        let tree = composition_tree_for(&state, &user, id).await?;
        let header = [
            "Đơn vị",
            "Số cấp ủy",
            "Số người",
            "Nữ",
            "Dân tộc thiểu số",
            "Dưới 40",
            "40–50",
            "Trên 50",
            "Tái cử",
            "Lần đầu",
            "Bí thư bầu trực tiếp",
            "Bí thư không là người địa phương",
        ];
        let line = |name: &str, s: &Composition| -> Vec<Cell> {
            vec![
                Cell::Text(name.into()),
                Cell::Int(s.lists as i64),
                Cell::Int(s.total as i64),
                Cell::Int(s.women as i64),
                Cell::Int(s.minorities as i64),
                Cell::Int(s.under_40 as i64),
                Cell::Int(s.from_40_to_50 as i64),
                Cell::Int(s.over_50 as i64),
                Cell::Int(s.reelected as i64),
                Cell::Int(s.new_members as i64),
                Cell::Int(s.secretary_direct as i64),
                Cell::Int(s.secretary_non_local as i64),
            ]
        };
        let mut rows = vec![line(&format!("{} (cấp ủy của đơn vị)", tree.unit_name), &tree.own)];
        rows.extend(tree.children.iter().map(|(_, name, s)| line(name, s)));
        rows.push(line("Cộng", &tree.total));
        let sheet = Sheet {
            name: "Cơ cấu cấp ủy".into(),
            columns: header
                .iter()
                .enumerate()
                .map(|(i, h)| SheetColumn::new(*h, if i == 0 { 36.0 } else { 12.0 }))
                .collect(),
            rows,
        };
        let bytes = xlsx_table(&[sheet]).map_err(render_error)?;
        Ok(attachment(XLSX, &format!("co-cau-cap-uy-{}.xlsx", tree.unit_id), bytes))
    }
    .await;
    respond(&state, &user, &headers, result)
}

// ---------------------------------------------------------------------------------------------
// Delegations of a delegates' congress

/// The figures of a delegation's row (the committee-only columns left out).
fn delegation_row(name: &str, d: &Composition, alternates: u64) -> minijinja::Value {
    minijinja::context! {
        name => name, total => d.total, alternates => alternates, women => d.women,
        women_pct => d.percent(d.women), minorities => d.minorities,
        minorities_pct => d.percent(d.minorities), under_40 => d.under_40,
        from_40_to_50 => d.from_40_to_50, over_50 => d.over_50,
        university => d.education[4] + d.education[5] + d.education[6],
        advanced_theory => d.theory[3] + d.theory[4],
    }
}

async fn delegations_page(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> Response {
    let result = async {
        let lang = user.lang;
        let congress = congress_for(&state, &user, id, Action::View).await?;
        let (reference, delegations) = state.store.delegations(congress.id).await?;
        let total = Composition::sum(delegations.iter().map(|d| &d.composition));
        let alternates: u64 = delegations.iter().map(|d| d.alternates).sum();
        let rows: Vec<minijinja::Value> = delegations
            .iter()
            .map(|d| delegation_row(&d.name, &d.composition, d.alternates))
            .collect();
        // Re-election does not apply to delegates: the chart leaves those bars out.
        let chart: Vec<Bar> = bars(&total, lang).into_iter().enumerate()
            .filter(|(index, _)| *index != 5 && *index != 6)
            .map(|(_, bar)| bar)
            .collect();
        Ok(render(
            &state,
            &user,
            &headers,
            "personnel",
            "personnel/delegations.html",
            minijinja::context! {
                congress => minijinja::context! { id => congress.id, title => congress.title.clone() },
                reference => daihoi_format::table::format_date(reference),
                rows => rows,
                total => delegation_row(lang.pick("Cộng", "Total"), &total, alternates),
                bars => Serde(chart),
            },
        ))
    }
    .await;
    respond(&state, &user, &headers, result)
}

async fn delegations_xlsx(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> Response {
    let result = async {
        let congress = congress_for(&state, &user, id, Action::View).await?;
        let (_, delegations) = state.store.delegations(congress.id).await?;
        let header = [
            "Đoàn đại biểu",
            "Số người",
            "Dự khuyết",
            "Nữ",
            "Dân tộc thiểu số",
            "Dưới 40",
            "40–50",
            "Trên 50",
            "Đại học trở lên",
            "Cao cấp, cử nhân lý luận",
        ];
        let line = |name: &str, d: &Composition, alternates: u64| -> Vec<Cell> {
            vec![
                Cell::Text(name.into()),
                Cell::Int(d.total as i64),
                Cell::Int(alternates as i64),
                Cell::Int(d.women as i64),
                Cell::Int(d.minorities as i64),
                Cell::Int(d.under_40 as i64),
                Cell::Int(d.from_40_to_50 as i64),
                Cell::Int(d.over_50 as i64),
                Cell::Int((d.education[4] + d.education[5] + d.education[6]) as i64),
                Cell::Int((d.theory[3] + d.theory[4]) as i64),
            ]
        };
        let mut rows: Vec<Vec<Cell>> =
            delegations.iter().map(|d| line(&d.name, &d.composition, d.alternates)).collect();
        let total = Composition::sum(delegations.iter().map(|d| &d.composition));
        rows.push(line("Cộng", &total, delegations.iter().map(|d| d.alternates).sum()));
        let sheet = Sheet {
            name: "Cơ cấu đoàn đại biểu".into(),
            columns: header
                .iter()
                .enumerate()
                .map(|(i, h)| SheetColumn::new(*h, if i == 0 { 40.0 } else { 12.0 }))
                .collect(),
            rows,
        };
        let bytes = xlsx_table(&[sheet]).map_err(render_error)?;
        Ok(attachment(XLSX, &format!("co-cau-doan-dai-bieu-{}.xlsx", congress.id), bytes))
    }
    .await;
    respond(&state, &user, &headers, result)
}
