//! The credentials review (thẩm tra tư cách đại biểu): the committee's decision per delegate,
//! alternates seated in place of absent delegates in the order of their votes, and the
//! credentials report as PDF and DOCX with the figures the congress hears.

use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use daihoi_core::access::Action;
use daihoi_core::date::Term;
use daihoi_render::{
    CompositionLine, CredentialsReport, DelegateKinds, Issuer, Paper, ReasonCount, congress_line,
};
use daihoi_store::Unit;
use daihoi_store::congress::{Absence, Congress, CongressKind, Credentials, PersonRole, Standing};
use daihoi_store::congress_day::RosterRow;
use minijinja::value::Serde;
use serde::{Deserialize, Serialize};

use super::roster::{PersonView, whole_roster};
use super::{CongressView, congress_for, download, person_of};
use crate::auth::CurrentUser;
use crate::pages::forms::{FormData, id_field};
use crate::pages::{render, respond};
use crate::routing::RouteList;
use crate::{AppError, AppState};

pub(super) fn routes() -> RouteList {
    RouteList::new()
        .get("/congresses/{id}/credentials", review)
        .post("/congresses/{id}/credentials/seat", seat)
        .get("/congresses/{id}/credentials.pdf", report_pdf)
        .get("/congresses/{id}/credentials.docx", report_docx)
}

fn is_official_delegate(role: PersonRole) -> bool {
    matches!(role, PersonRole::ExOfficio | PersonRole::Elected | PersonRole::Appointed)
}

/// Summoned: not "not summoned", and at a delegates' congress not suspended or prosecuted
/// before the opening (HD 04-HD/TW 2024).
fn summoned(row: &RosterRow) -> bool {
    !matches!(
        row.person.standing,
        Standing::NotSummoned | Standing::Suspended | Standing::Prosecuted
    )
}

/// The figures of the credentials report, from the roster (pure: the page and the documents
/// show the same numbers).
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub(crate) struct Figures {
    pub(crate) ex_officio: u32,
    pub(crate) elected: u32,
    pub(crate) appointed: u32,
    pub(crate) total: u32,
    pub(crate) present: u32,
    pub(crate) absent_approved: u32,
    pub(crate) absent_unexcused: u32,
    pub(crate) not_arrived: u32,
    pub(crate) alternates_seated: u32,
    pub(crate) accepted: u32,
    pub(crate) rejected: u32,
    pub(crate) pending: u32,
    pub(crate) women: u32,
    pub(crate) minorities: u32,
}

pub(crate) fn figures(rows: &[RosterRow]) -> Figures {
    let mut f = Figures::default();
    for row in rows.iter().filter(|r| is_official_delegate(r.person.role) && summoned(r)) {
        let person = &row.person;
        match person.role {
            PersonRole::ExOfficio => f.ex_officio += 1,
            PersonRole::Elected => f.elected += 1,
            _ => f.appointed += 1,
        }
        f.total += 1;
        if row.attended {
            f.present += 1;
        } else if person.absence == Absence::Approved {
            f.absent_approved += 1;
        } else if person.absence == Absence::Unexcused {
            f.absent_unexcused += 1;
        } else {
            f.not_arrived += 1;
        }
        match person.credentials {
            Credentials::Accepted => f.accepted += 1,
            Credentials::Rejected => f.rejected += 1,
            Credentials::Pending => f.pending += 1,
        }
        if person.sex == Some(daihoi_core::member::Sex::Female) {
            f.women += 1;
        }
        if person.ethnicity.as_deref().is_some_and(|e| {
            let folded = daihoi_core::vn::fold(e);
            !folded.is_empty() && folded != "kinh"
        }) {
            f.minorities += 1;
        }
    }
    f.alternates_seated = rows
        .iter()
        .filter(|r| r.person.role == PersonRole::Alternate && r.person.seated_for.is_some())
        .count() as u32;
    f
}

fn report(
    congress: &Congress,
    unit: &Unit,
    rows: &[RosterRow],
    query: &ReportQuery,
) -> CredentialsReport {
    let f = figures(rows);
    let mut absent = Vec::new();
    for (reason, count) in [
        ("Vắng có lý do", f.absent_approved),
        ("Vắng không có lý do", f.absent_unexcused),
        ("Chưa có mặt", f.not_arrived),
    ] {
        if count > 0 {
            absent.push(ReasonCount::new(reason, count));
        }
    }
    let problems = rows
        .iter()
        .filter(|r| r.person.credentials == Credentials::Rejected)
        .map(|r| {
            format!(
                "Đồng chí {}: không đủ tư cách đại biểu{}",
                r.person.full_name,
                r.person
                    .credentials_note
                    .as_deref()
                    .map(|note| format!(" ({note})"))
                    .unwrap_or_default()
            )
        })
        .collect();
    let term = i32::try_from(congress.term_start)
        .ok()
        .zip(i32::try_from(congress.term_end).ok())
        .and_then(|(start, end)| Term::new(start, end).ok());
    let line = congress
        .ordinal
        .and_then(|n| u32::try_from(n).ok())
        .and_then(|n| congress_line(daihoi_render::CongressKind::Delegates, n))
        .unwrap_or_else(|| "ĐẠI HỘI ĐẠI BIỂU".into());
    CredentialsReport {
        paper: Paper::A4,
        issuer: Issuer::Congress { organisation: unit.name.to_uppercase(), congress: line, term },
        number: Some(query.number.clone().unwrap_or_default()).filter(|n| !n.trim().is_empty()),
        place: congress.place.clone().unwrap_or_default(),
        date: daihoi_store::today(),
        congress_name: congress.title.clone(),
        basis: vec![
            "Điều lệ Đảng".into(),
            "Quy chế bầu cử trong Đảng".into(),
            "Quy chế làm việc của Đại hội".into(),
        ],
        summoned: DelegateKinds {
            ex_officio: f.ex_officio,
            elected: f.elected,
            appointed: f.appointed,
        },
        present: f.present,
        absent,
        alternates_seated: f.alternates_seated,
        composition: vec![
            CompositionLine { label: "Đại biểu nữ".into(), count: f.women },
            CompositionLine {
                label: "Đại biểu dân tộc thiểu số".into(), count: f.minorities
            },
        ],
        problems,
        conclusion: format!(
            "Căn cứ kết quả thẩm tra, Ban Thẩm tra tư cách đại biểu đề nghị Đại hội xác nhận {} \
             đồng chí đủ tư cách đại biểu dự Đại hội{}.",
            f.accepted,
            [(f.rejected, "không đủ tư cách"), (f.pending, "chưa được thẩm tra xong")]
                .iter()
                .filter(|(count, _)| *count > 0)
                .map(|(count, what)| format!("; {count} đồng chí {what}"))
                .collect::<String>()
        ),
        chair: query.chair.clone().unwrap_or_default(),
    }
}

#[derive(Debug, Deserialize, Default)]
struct ReviewQuery {
    done: Option<String>,
    error: Option<String>,
}

async fn review(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Query(query): Query<ReviewQuery>,
) -> Response {
    let result = async {
        let lang = user.lang;
        let congress = congress_for(&state, &user.access, id, Action::View).await?;
        let rows = whole_roster(&state, congress.id).await?;
        let delegates: Vec<PersonView> = rows
            .iter()
            .filter(|r| is_official_delegate(r.person.role))
            .map(|r| PersonView::of(r, lang))
            .collect();
        let mut alternates: Vec<&RosterRow> =
            rows.iter().filter(|r| r.person.role == PersonRole::Alternate).collect();
        alternates.sort_by_key(|r| (r.person.alternate_rank.unwrap_or(i64::MAX), r.person.id));
        let alternates: Vec<PersonView> = alternates.iter().map(|r| PersonView::of(r, lang)).collect();
        // Seats an alternate may take: official delegates (not ex officio) not in the hall at
        // all and not already replaced.
        let open_seats: Vec<PersonView> = rows
            .iter()
            .filter(|r| {
                matches!(r.person.role, PersonRole::Elected | PersonRole::Appointed)
                    && !r.attended
                    && r.replaced_by.is_none()
                    && summoned(r)
            })
            .map(|r| PersonView::of(r, lang))
            .collect();
        Ok(render(
            &state,
            &user,
            &headers,
            "units",
            "congress/credentials.html",
            minijinja::context! {
                congress => Serde(CongressView::of(&congress, lang)),
                delegates => Serde(delegates),
                alternates => Serde(alternates),
                open_seats => Serde(open_seats),
                f => Serde(figures(&rows)),
                can_run => user.access.can(Action::RunCongress, &congress.unit_path),
                done => (query.done.as_deref() == Some("seated")).then(|| lang.pick("Đã ghi việc thay thế đại biểu.", "The replacement was recorded.")),
                error => match query.error.as_deref() {
                    Some("no_alternate") => Some(lang.pick("Không còn đại biểu dự khuyết nào chưa được thay thế.", "No alternate is left to seat.")),
                    _ => None,
                },
            },
        ))
    }
    .await;
    respond(&state, &user, &headers, result)
}

/// Seats the next alternate in vote order in an absent delegate's place (`delegate_id`), or
/// unseats an alternate (`unseat` = the alternate's id).
async fn seat(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
    form: FormData,
) -> Response {
    let result = async {
        let congress = congress_for(&state, &user.access, id, Action::RunCongress).await?;
        if congress.kind != CongressKind::Delegates {
            return Err(AppError::bad_request(
                "Chỉ đại hội đại biểu mới có đại biểu dự khuyết.",
                "Only a delegates' congress has alternates.",
            ));
        }
        if let Some(alternate_id) = id_field(&form, "unseat") {
            let alternate = person_of(&state, &congress, alternate_id).await?;
            let mut tx = state.store.begin_write(&user.actor()).await?;
            state.store.seat_alternate(&mut tx, alternate.id, None).await?;
            tx.commit().await?;
            return Ok(Redirect::to(&format!(
                "/congresses/{}/credentials?done=seated",
                congress.id
            ))
            .into_response());
        }
        let delegate_id = id_field(&form, "delegate_id").ok_or_else(|| {
            AppError::bad_request(
                "Hãy chọn đại biểu vắng mặt được thay thế.",
                "Choose the absent delegate to replace.",
            )
        })?;
        let delegate = person_of(&state, &congress, delegate_id).await?;
        let rows = whole_roster(&state, congress.id).await?;
        if rows.iter().any(|r| r.person.id == delegate.id && r.attended) {
            return Err(AppError::bad_request(
                "Đại biểu này đã có mặt tại đại hội, không thay thế được.",
                "This delegate has attended the congress and cannot be replaced.",
            ));
        }
        // 190 Art. 18: alternates replace absent delegates in the order of their votes.
        let next = rows
            .iter()
            .filter(|r| {
                r.person.role == PersonRole::Alternate
                    && r.person.seated_for.is_none()
                    && summoned(r)
            })
            .min_by_key(|r| (r.person.alternate_rank.unwrap_or(i64::MAX), r.person.id));
        let Some(next) = next else {
            return Ok(Redirect::to(&format!(
                "/congresses/{}/credentials?error=no_alternate",
                congress.id
            ))
            .into_response());
        };
        let mut tx = state.store.begin_write(&user.actor()).await?;
        state.store.seat_alternate(&mut tx, next.person.id, Some(delegate.id)).await?;
        tx.commit().await?;
        Ok(Redirect::to(&format!("/congresses/{}/credentials?done=seated", congress.id))
            .into_response())
    }
    .await;
    respond(&state, &user, &headers, result)
}

#[derive(Debug, Deserialize, Default)]
struct ReportQuery {
    chair: Option<String>,
    number: Option<String>,
}

async fn build(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
    query: &ReportQuery,
) -> Result<CredentialsReport, AppError> {
    let congress = congress_for(state, &user.access, id, Action::View).await?;
    if congress.kind != CongressKind::Delegates {
        return Err(AppError::bad_request(
            "Báo cáo thẩm tra tư cách đại biểu chỉ có ở đại hội đại biểu; đại hội đảng viên báo cáo số đảng viên có mặt trên bảng điểm danh.",
            "The credentials report belongs to a delegates' congress; a members' congress reports attendance from the attendance panel.",
        ));
    }
    let unit = state.store.unit(congress.unit_id).await?;
    let rows = whole_roster(state, congress.id).await?;
    let report = report(&congress, &unit, &rows, query);
    if report.summoned.total() == 0 {
        return Err(AppError::bad_request(
            "Danh sách chưa có đại biểu chính thức nào.",
            "The roster has no official delegate yet.",
        ));
    }
    Ok(report)
}

async fn report_pdf(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Query(query): Query<ReportQuery>,
) -> Response {
    let result = async {
        let report = build(&state, &user, id, &query).await?;
        let body = daihoi_render::credentials_report_pdf(&report).map_err(render_error)?;
        Ok(download("application/pdf", &format!("bao-cao-tham-tra-tu-cach-{id}.pdf"), body))
    }
    .await;
    respond(&state, &user, &headers, result)
}

async fn report_docx(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Query(query): Query<ReportQuery>,
) -> Response {
    let result = async {
        let report = build(&state, &user, id, &query).await?;
        let body = daihoi_render::credentials_report_docx(&report).map_err(render_error)?;
        Ok(download(
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            &format!("bao-cao-tham-tra-tu-cach-{id}.docx"),
            body,
        ))
    }
    .await;
    respond(&state, &user, &headers, result)
}

/// A document that cannot be made from these figures is the caller's data, not a crash.
pub(super) fn render_error(error: daihoi_render::RenderError) -> AppError {
    match error {
        daihoi_render::RenderError::Inconsistent(what)
        | daihoi_render::RenderError::Unprintable(what) => AppError::bad_request(
            format!("Không lập được tài liệu: {what}."),
            format!("The document cannot be made: {what}."),
        ),
        other => AppError::Internal(other.to_string()),
    }
}
