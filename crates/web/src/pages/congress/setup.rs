//! The congresses of a unit, the congress form (create and edit), the congress's own page and
//! the choice of the session check-ins apply to.

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use daihoi_core::access::Action;
use daihoi_core::rules::RULE_PACKS;
use daihoi_store::Unit;
use daihoi_store::congress::{Congress, CongressContent, CongressKind, NewCongress, SessionKind};
use daihoi_store::congress_day::{CongressEdit, SessionEdit};
use minijinja::value::Serde;
use serde::{Deserialize, Serialize};

use super::{CongressView, SessionView, congress_for};
use crate::auth::CurrentUser;
use crate::pages::forms::{
    FieldErrors, FormData, Refusal, form_date, id_field, optional_date, refusal,
};
use crate::pages::units::{SelectOption, UnitView};
use crate::pages::{render, respond};
use crate::routing::RouteList;
use crate::scope::unit_for;
use crate::{AppError, AppState, Lang};

pub(super) fn routes() -> RouteList {
    RouteList::new()
        .get("/units/{id}/congresses", unit_congresses)
        .get("/units/{id}/congresses/new", new_form)
        .post("/units/{id}/congresses/new", create)
        .get("/congresses/{id}", show)
        .get("/congresses/{id}/edit", edit_form)
        .post("/congresses/{id}/edit", update)
        .post("/congresses/{id}/session", choose_session)
}

// ---------------------------------------------------------------------------------------------
// The list

async fn unit_congresses(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> Response {
    let result = async {
        let unit = unit_for(&state, &user.access, id, Action::View).await?;
        let congresses: Vec<CongressView> = state
            .store
            .congresses_of_unit(unit.id)
            .await?
            .iter()
            .map(|congress| CongressView::of(congress, user.lang))
            .collect();
        // The unit page loads the list into its own section; a direct visit gets a page.
        let template = if headers.contains_key("hx-request") {
            "congress/_list.html"
        } else {
            "congress/list.html"
        };
        Ok(render(
            &state,
            &user,
            &headers,
            "units",
            template,
            minijinja::context! {
                unit => Serde(UnitView::of(&unit)),
                congresses => Serde(congresses),
                can_create => !unit.retired && user.access.can(Action::RunCongress, &unit.path),
            },
        ))
    }
    .await;
    respond(&state, &user, &headers, result)
}

// ---------------------------------------------------------------------------------------------
// The form

/// The congress form's values as typed.
#[derive(Debug, Clone, Serialize, Default)]
struct CongressValues {
    ordinal: String,
    term_start: String,
    term_end: String,
    kind: String,
    content: String,
    rules: String,
    title: String,
    place: String,
    quorum: String,
    preparatory: bool,
    prep_starts: String,
    prep_ends: String,
    prep_venue: String,
    official_starts: String,
    official_ends: String,
    official_venue: String,
    version: String,
}

impl CongressValues {
    fn defaults(unit: &Unit) -> CongressValues {
        CongressValues {
            kind: if unit.kind.is_cell() || unit.sub_official < 200 {
                CongressKind::Members.code().into()
            } else {
                CongressKind::Delegates.code().into()
            },
            content: CongressContent::FourItems.code().into(),
            rules: "qd190-2024".into(),
            quorum: "2/3".into(),
            preparatory: !unit.kind.is_cell(),
            ..CongressValues::default()
        }
    }

    fn of(congress: &Congress, sessions: &[daihoi_store::congress::Session]) -> CongressValues {
        let prep = sessions.iter().find(|s| s.kind == SessionKind::Preparatory);
        let official = sessions.iter().find(|s| s.kind == SessionKind::Official);
        CongressValues {
            ordinal: congress.ordinal.map(|n| n.to_string()).unwrap_or_default(),
            term_start: congress.term_start.to_string(),
            term_end: congress.term_end.to_string(),
            kind: congress.kind.code().into(),
            content: congress.content.code().into(),
            rules: congress.rules.clone(),
            title: congress.title.clone(),
            place: congress.place.clone().unwrap_or_default(),
            quorum: format!("{}/{}", congress.quorum_num, congress.quorum_den),
            preparatory: prep.is_some(),
            prep_starts: form_date(prep.and_then(|s| s.starts_on)),
            prep_ends: form_date(prep.and_then(|s| s.ends_on)),
            prep_venue: prep.and_then(|s| s.venue.clone()).unwrap_or_default(),
            official_starts: form_date(official.and_then(|s| s.starts_on)),
            official_ends: form_date(official.and_then(|s| s.ends_on)),
            official_venue: official.and_then(|s| s.venue.clone()).unwrap_or_default(),
            version: congress.version.to_string(),
        }
    }

    fn from_form(form: &FormData) -> CongressValues {
        CongressValues {
            ordinal: form.get("ordinal").into(),
            term_start: form.get("term_start").into(),
            term_end: form.get("term_end").into(),
            kind: form.get("kind").into(),
            content: form.get("content").into(),
            rules: form.get("rules").into(),
            title: form.get("title").into(),
            place: form.get("place").into(),
            quorum: form.get("quorum").into(),
            preparatory: form.get("preparatory") == "yes",
            prep_starts: form.get("prep_starts").into(),
            prep_ends: form.get("prep_ends").into(),
            prep_venue: form.get("prep_venue").into(),
            official_starts: form.get("official_starts").into(),
            official_ends: form.get("official_ends").into(),
            official_venue: form.get("official_venue").into(),
            version: form.get("version").into(),
        }
    }
}

/// Reads `a/b` as a fraction between 0 and 1.
pub(crate) fn parse_quorum(text: &str) -> Option<(i64, i64)> {
    let (num, den) = text.split_once('/')?;
    let num: i64 = num.trim().parse().ok()?;
    let den: i64 = den.trim().parse().ok()?;
    (num >= 1 && den >= 1 && num <= den && den <= 1000).then_some((num, den))
}

fn year(form: &FormData, field: &str, lang: Lang, errors: &mut FieldErrors) -> i64 {
    let text = form.get(field);
    match text.parse::<i64>() {
        Ok(year) if (1930..=2200).contains(&year) => year,
        _ if text.is_empty() => {
            errors.add_tr(
                lang,
                field,
                "Hãy nhập năm, ví dụ 2025.",
                "Enter a year, for example 2025.",
            );
            0
        }
        _ => {
            errors.add_tr(
                lang,
                field,
                "Năm phải là số có bốn chữ số, ví dụ 2025.",
                "The year must be four digits, for example 2025.",
            );
            0
        }
    }
}

/// Reads and checks the congress form.
fn read_congress(form: &FormData, lang: Lang, errors: &mut FieldErrors) -> CongressEdit {
    let ordinal = match form.get("ordinal") {
        "" => None,
        text => match text.parse::<i64>() {
            Ok(n) if (1..=100).contains(&n) => Some(n),
            _ => {
                errors.add_tr(
                    lang,
                    "ordinal",
                    "Lần thứ phải là số từ 1 đến 100, ví dụ 14.",
                    "The ordinal must be a number from 1 to 100, for example 14.",
                );
                None
            }
        },
    };
    let term_start = year(form, "term_start", lang, errors);
    let term_end = year(form, "term_end", lang, errors);
    if term_start > 0 && term_end > 0 && term_end <= term_start {
        errors.add_tr(
            lang,
            "term_end",
            "Năm kết thúc nhiệm kỳ phải sau năm bắt đầu.",
            "The term's last year must come after its first year.",
        );
    }
    let kind = CongressKind::parse(form.get("kind"));
    if kind.is_none() {
        errors.add_tr(
            lang,
            "kind",
            "Hãy chọn đại hội đảng viên hay đại hội đại biểu.",
            "Choose a members' or a delegates' congress.",
        );
    }
    let content = CongressContent::parse(form.get("content"));
    if content.is_none() {
        errors.add_tr(
            lang,
            "content",
            "Hãy chọn nội dung đại hội.",
            "Choose the congress content.",
        );
    }
    let rules = form.get("rules").to_string();
    if !RULE_PACKS.iter().any(|pack| pack.code == rules) {
        errors.add_tr(lang, "rules", "Hãy chọn quy chế bầu cử.", "Choose the election regulation.");
    }
    let quorum = parse_quorum(form.get("quorum"));
    if quorum.is_none() {
        errors.add_tr(
            lang,
            "quorum",
            "Hãy ghi tỷ lệ có mặt tối thiểu dạng phân số, ví dụ 2/3.",
            "Write the attendance minimum as a fraction, for example 2/3.",
        );
    }
    let mut sessions = Vec::new();
    if form.get("preparatory") == "yes" {
        let starts_on = optional_date(form, "prep_starts", lang, errors);
        let ends_on = optional_date(form, "prep_ends", lang, errors);
        if let (Some(start), Some(end)) = (starts_on, ends_on)
            && end < start
        {
            errors.add_tr(
                lang,
                "prep_ends",
                "Ngày kết thúc trước ngày bắt đầu.",
                "The last day is before the first day.",
            );
        }
        sessions.push(SessionEdit {
            kind: SessionKind::Preparatory,
            starts_on,
            ends_on,
            venue: Some(form.get("prep_venue").to_string()),
        });
    }
    let starts_on = optional_date(form, "official_starts", lang, errors);
    let ends_on = optional_date(form, "official_ends", lang, errors);
    if let (Some(start), Some(end)) = (starts_on, ends_on)
        && end < start
    {
        errors.add_tr(
            lang,
            "official_ends",
            "Ngày kết thúc trước ngày bắt đầu.",
            "The last day is before the first day.",
        );
    }
    if let (Some(prep), Some(start)) = (sessions.first().and_then(|s| s.starts_on), starts_on)
        && start < prep
    {
        errors.add_tr(
            lang,
            "official_starts",
            "Phiên chính thức không thể trước phiên trù bị.",
            "The official session cannot come before the preparatory one.",
        );
    }
    sessions.push(SessionEdit {
        kind: SessionKind::Official,
        starts_on,
        ends_on,
        venue: Some(form.get("official_venue").to_string()),
    });
    let (quorum_num, quorum_den) = quorum.unwrap_or((2, 3));
    CongressEdit {
        ordinal,
        term_start,
        term_end,
        kind: kind.unwrap_or(CongressKind::Members),
        content: content.unwrap_or(CongressContent::FourItems),
        rules,
        title: form.get("title").to_string(),
        place: Some(form.get("place").to_string()).filter(|p| !p.is_empty()),
        quorum_num,
        quorum_den,
        sessions,
    }
}

fn congress_input(field: &str) -> &'static str {
    match field {
        "ordinal" => "ordinal",
        "kind" => "kind",
        "term_start" => "term_start",
        "rules" => "rules",
        "quorum" => "quorum",
        "sessions" => "official_starts",
        _ => "title",
    }
}

fn form_options(lang: Lang) -> minijinja::Value {
    let kinds: Vec<SelectOption> = CongressKind::ALL
        .iter()
        .map(|k| SelectOption::new(k.code(), lang.pick(k.label_vi(), k.label_en())))
        .collect();
    let contents: Vec<SelectOption> = CongressContent::ALL
        .iter()
        .map(|c| SelectOption::new(c.code(), lang.pick(c.label_vi(), c.label_en())))
        .collect();
    let rules: Vec<SelectOption> = RULE_PACKS
        .iter()
        .map(|pack| {
            let label = match pack.code {
                "qd190-2024" => lang.pick(
                    "Quyết định 190-QĐ/TW (2024, đang hiệu lực)",
                    "Decision 190-QĐ/TW (2024, in force)",
                ),
                "qd244-2014" => {
                    lang.pick("Quyết định 244-QĐ/TW (2014)", "Decision 244-QĐ/TW (2014)")
                }
                other => other,
            };
            SelectOption::new(pack.code, label)
        })
        .collect();
    minijinja::context! { kind => Serde(kinds), content => Serde(contents), rules => Serde(rules) }
}

struct FormPage<'a> {
    mode: &'static str,
    unit: &'a Unit,
    congress: Option<&'a Congress>,
    values: CongressValues,
    errors: FieldErrors,
    stale: Option<String>,
}

fn render_form(
    state: &AppState,
    user: &CurrentUser,
    headers: &HeaderMap,
    page: FormPage<'_>,
) -> Response {
    let failed = !page.errors.is_empty() || page.stale.is_some();
    let mut response = render(
        state,
        user,
        headers,
        "units",
        "congress/form.html",
        minijinja::context! {
            mode => page.mode,
            unit => Serde(UnitView::of(page.unit)),
            congress => Serde(page.congress.map(|c| CongressView::of(c, user.lang))),
            v => Serde(page.values),
            errors => page.errors.to_value(),
            stale => page.stale,
            options => form_options(user.lang),
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
        let unit = unit_for(&state, &user.access, id, Action::RunCongress).await?;
        Ok(render_form(
            &state,
            &user,
            &headers,
            FormPage {
                mode: "create",
                unit: &unit,
                congress: None,
                values: CongressValues::defaults(&unit),
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
        let unit = unit_for(&state, &user.access, id, Action::RunCongress).await?;
        let mut errors = FieldErrors::new();
        let edit = read_congress(&form, lang, &mut errors);
        if errors.is_empty() {
            let outcome = async {
                let mut tx = state.store.begin_write(&user.actor()).await?;
                let created = state
                    .store
                    .create_congress(
                        &mut tx,
                        NewCongress {
                            unit_id: unit.id,
                            ordinal: edit.ordinal,
                            term_start: edit.term_start,
                            term_end: edit.term_end,
                            kind: edit.kind,
                            content: edit.content,
                            rules: edit.rules.clone(),
                            title: edit.title.clone(),
                            place: edit.place.clone(),
                            venue: edit.sessions.last().and_then(|s| s.venue.clone()),
                            pilot: false,
                            sessions: edit
                                .sessions
                                .iter()
                                .map(|s| (s.kind, s.starts_on, s.ends_on))
                                .collect(),
                        },
                    )
                    .await?;
                // The attendance minimum and the venues of the sessions.
                let settled = state
                    .store
                    .update_congress(&mut tx, created.id, created.version, &edit)
                    .await?;
                tx.commit().await?;
                Ok(settled)
            }
            .await;
            match outcome {
                Ok(congress) => {
                    return Ok(Redirect::to(&format!("/congresses/{}?done=created", congress.id))
                        .into_response());
                }
                Err(error) => match refusal(error, lang, congress_input) {
                    Refusal::Field(e) => errors.add(&e.field, e.message),
                    Refusal::Stale(message) => errors.add("title", message),
                    Refusal::Other(error) => return Err(error.into()),
                },
            }
        }
        Ok(render_form(
            &state,
            &user,
            &headers,
            FormPage {
                mode: "create",
                unit: &unit,
                congress: None,
                values: CongressValues::from_form(&form),
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
        let congress = congress_for(&state, &user.access, id, Action::RunCongress).await?;
        let unit = state.store.unit(congress.unit_id).await?;
        let sessions = state.store.sessions(congress.id).await?;
        Ok(render_form(
            &state,
            &user,
            &headers,
            FormPage {
                mode: "edit",
                unit: &unit,
                congress: Some(&congress),
                values: CongressValues::of(&congress, &sessions),
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
        let congress = congress_for(&state, &user.access, id, Action::RunCongress).await?;
        let unit = state.store.unit(congress.unit_id).await?;
        let mut errors = FieldErrors::new();
        let edit = read_congress(&form, lang, &mut errors);
        let version = id_field(&form, "version").unwrap_or(-1);
        let mut stale = None;
        if errors.is_empty() {
            let outcome = async {
                let mut tx = state.store.begin_write(&user.actor()).await?;
                state.store.update_congress(&mut tx, congress.id, version, &edit).await?;
                tx.commit().await
            }
            .await;
            match outcome {
                Ok(()) => {
                    return Ok(Redirect::to(&format!("/congresses/{}?done=updated", congress.id))
                        .into_response());
                }
                Err(error) => match refusal(error, lang, congress_input) {
                    Refusal::Field(e) => errors.add(&e.field, e.message),
                    Refusal::Stale(message) => stale = Some(message),
                    Refusal::Other(error) => return Err(error.into()),
                },
            }
        }
        Ok(render_form(
            &state,
            &user,
            &headers,
            FormPage {
                mode: "edit",
                unit: &unit,
                congress: Some(&congress),
                values: CongressValues::from_form(&form),
                errors,
                stale,
            },
        ))
    }
    .await;
    respond(&state, &user, &headers, result)
}

// ---------------------------------------------------------------------------------------------
// The congress page

#[derive(Debug, Deserialize, Default)]
struct DoneQuery {
    done: Option<String>,
}

fn done_message(done: Option<&str>, lang: Lang) -> Option<&'static str> {
    match done {
        Some("created") => Some(lang.pick("Đã tạo đại hội.", "The congress was created.")),
        Some("updated") => Some(lang.pick("Đã lưu thay đổi.", "Your changes were saved.")),
        Some("session") => {
            Some(lang.pick(
                "Đã chuyển phiên họp điểm danh.",
                "Check-in now applies to the chosen session.",
            ))
        }
        _ => None,
    }
}

async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
    axum::extract::Query(query): axum::extract::Query<DoneQuery>,
) -> Response {
    let result = async {
        let congress = congress_for(&state, &user.access, id, Action::View).await?;
        let unit = state.store.unit(congress.unit_id).await?;
        let sessions: Vec<SessionView> = state
            .store
            .sessions(congress.id)
            .await?
            .iter()
            .map(|s| SessionView::of(s, user.lang))
            .collect();
        let roster =
            state.store.people(congress.id, None, None, daihoi_store::Page::new(1, 1)).await?.total;
        Ok(render(
            &state,
            &user,
            &headers,
            "units",
            "congress/show.html",
            minijinja::context! {
                unit => Serde(UnitView::of(&unit)),
                congress => Serde(CongressView::of(&congress, user.lang)),
                sessions => Serde(sessions),
                roster_size => roster,
                can_run => user.access.can(Action::RunCongress, &congress.unit_path),
                done => done_message(query.done.as_deref(), user.lang),
            },
        ))
    }
    .await;
    respond(&state, &user, &headers, result)
}

async fn choose_session(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
    form: FormData,
) -> Response {
    let result = async {
        let congress = congress_for(&state, &user.access, id, Action::RunCongress).await?;
        let session_id = id_field(&form, "session_id")
            .ok_or_else(|| AppError::bad_request("Hãy chọn phiên họp.", "Choose a session."))?;
        let mut tx = state.store.begin_write(&user.actor()).await?;
        state.store.set_current_session(&mut tx, congress.id, session_id).await?;
        tx.commit().await?;
        Ok(Redirect::to(&format!("/congresses/{}?done=session", congress.id)).into_response())
    }
    .await;
    respond(&state, &user, &headers, result)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quorum_is_a_fraction_up_to_one() {
        assert_eq!(parse_quorum("2/3"), Some((2, 3)));
        assert_eq!(parse_quorum(" 1 / 2 "), Some((1, 2)));
        assert_eq!(parse_quorum("3/2"), None);
        assert_eq!(parse_quorum("0/3"), None);
        assert_eq!(parse_quorum("66%"), None);
    }
}
