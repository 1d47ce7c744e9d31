//! Check-in: the badge sheet (PDF with a QR code per person), the check-in page (badge number
//! and Enter, or a badge QR code read by the camera), the live attendance panel with the
//! majority base D, and the projector view of attendance.

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use daihoi_core::access::Action;
use daihoi_core::date::Term;
use daihoi_render::{Badge, BadgeRole, BadgeSheet};
use daihoi_store::StoreError;
use daihoi_store::congress::{Congress, PersonRole, attendance_from_roll};
use daihoi_store::congress_day::MajorityBase;
use minijinja::value::Serde;
use serde::Serialize;

use super::credentials::render_error;
use super::roster::whole_roster;
use super::{CongressView, SessionView, congress_for, download};
use crate::auth::CurrentUser;
use crate::pages::forms::FormData;
use crate::pages::{render, respond};
use crate::routing::RouteList;
use crate::{AppError, AppState, Lang};

pub(super) fn routes() -> RouteList {
    RouteList::new()
        .get("/congresses/{id}/badges.pdf", badges)
        .get("/congresses/{id}/checkin", checkin_page)
        .post("/congresses/{id}/checkin", checkin)
        .get("/congresses/{id}/attendance", attendance)
        .get("/congresses/{id}/projector", projector)
}

/// The number printed on a badge and encoded in its QR code.
pub(crate) fn badge_text(badge_no: i64) -> String {
    format!("{badge_no:03}")
}

/// Reads a badge number as typed or scanned: digits, leading zeros allowed.
pub(crate) fn parse_badge(text: &str) -> Option<i64> {
    let text = text.trim();
    if text.is_empty() || text.len() > 9 || !text.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    text.parse().ok().filter(|n| *n > 0)
}

async fn badges(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> Response {
    let result = async {
        let congress = congress_for(&state, &user.access, id, Action::View).await?;
        let mut rows = whole_roster(&state, congress.id).await?;
        rows.sort_by_key(|row| row.person.badge_no);
        if rows.is_empty() {
            return Err(AppError::bad_request(
                "Danh sách chưa có ai để in thẻ.",
                "The roster is empty: there is no badge to print.",
            ));
        }
        let badges: Vec<Badge> = rows
            .iter()
            .map(|row| {
                let person = &row.person;
                Badge {
                    number: badge_text(person.badge_no),
                    name: person.full_name.clone(),
                    role: match person.role {
                        PersonRole::Alternate => BadgeRole::Alternate,
                        PersonRole::Guest => BadgeRole::Guest,
                        PersonRole::ProbationaryMember => {
                            BadgeRole::Other("Đảng viên dự bị".into())
                        }
                        PersonRole::OfficialMember => BadgeRole::Other("Đảng viên".into()),
                        _ => BadgeRole::Official,
                    },
                    unit: person.delegation.clone().unwrap_or_default(),
                }
            })
            .collect();
        let term = i32::try_from(congress.term_start)
            .ok()
            .zip(i32::try_from(congress.term_end).ok())
            .and_then(|(start, end)| Term::new(start, end).ok());
        let congress_name =
            congress.title.split(", nhiệm kỳ").next().unwrap_or(&congress.title).to_string();
        let body =
            daihoi_render::badges_pdf(&badges, &BadgeSheet { congress: congress_name, term })
                .map_err(render_error)?;
        Ok(download("application/pdf", &format!("the-dai-bieu-{}.pdf", congress.id), body))
    }
    .await;
    respond(&state, &user, &headers, result)
}

/// One line of the attendance panel.
#[derive(Debug, Clone, Serialize)]
struct ReasonLine {
    label: &'static str,
    count: i64,
}

fn reason_label(code: &str, lang: Lang) -> &'static str {
    match code {
        "approved" => lang.pick("Vắng có lý do được chấp thuận", "Absent, reason approved"),
        "unexcused" => lang.pick("Vắng không lý do", "Absent without approved reason"),
        "exempt" => lang.pick("Miễn sinh hoạt, không có mặt", "Exempt, not here"),
        "temporarily_transferred" => {
            lang.pick("Sinh hoạt tạm thời nơi khác, không có mặt", "Transferred, not here")
        }
        "suspended" => lang.pick("Đình chỉ sinh hoạt", "Suspended"),
        "prosecuted" => lang.pick("Bị khởi tố, truy tố, tạm giam", "Prosecuted or detained"),
        "left" => lang.pick("Đã rời hội trường", "Left the hall"),
        _ => lang.pick("Chưa điểm danh", "Not checked in"),
    }
}

/// The attendance panel's values: attendance of the current session and D now.
async fn panel(
    state: &AppState,
    congress: &Congress,
    lang: Lang,
) -> Result<minijinja::Value, AppError> {
    let full_roll = state.store.roll(congress.id).await?;
    let base = daihoi_store::congress_day::majority_base_from(congress, &full_roll);
    // A delegate whose seat an alternate holds is counted once, through the alternate.
    let replaced: Vec<i64> = full_roll.iter().filter_map(|entry| entry.seated_for).collect();
    let roll: Vec<_> =
        full_roll.into_iter().filter(|entry| !replaced.contains(&entry.person_id)).collect();
    let figures = attendance_from_roll(&roll, congress.quorum_num, congress.quorum_den);
    let reasons: Vec<ReasonLine> = figures
        .absent_by_reason
        .iter()
        .map(|(code, count)| ReasonLine { label: reason_label(code, lang), count: *count })
        .collect();
    let base: Result<MajorityBase, String> = match base {
        Ok(base) => Ok(base),
        Err(StoreError::Rule { message_vi, message_en, .. }) => {
            Err(lang.pick(&message_vi, &message_en).to_string())
        }
        Err(error) => return Err(error.into()),
    };
    let sessions = state.store.sessions(congress.id).await?;
    let current = sessions.iter().find(|s| s.is_current).map(|s| SessionView::of(s, lang));
    let needed =
        (figures.summoned * congress.quorum_num + congress.quorum_den - 1) / congress.quorum_den;
    let derivation: Vec<minijinja::Value> = match &base {
        Ok(base) => base
            .derivation
            .iter()
            .map(|line| {
                minijinja::context! {
                    label => lang.pick(line.label_vi, line.label_en),
                    delta => line.delta,
                }
            })
            .collect(),
        Err(_) => Vec::new(),
    };
    Ok(minijinja::context! {
        summoned => figures.summoned,
        present => figures.present,
        absent => figures.summoned - figures.present,
        others_present => figures.others_present,
        reasons => Serde(reasons),
        share => format!("{},{:02}", figures.share_bp / 100, figures.share_bp % 100),
        share_bp => figures.share_bp,
        quorum => format!("{}/{}", congress.quorum_num, congress.quorum_den),
        quorum_needed => needed,
        quorum_met => figures.quorum_met,
        session => Serde(current),
        base => base.as_ref().ok().map(|b| minijinja::context! {
            value => b.value,
            votes_needed => b.votes_needed,
            present => b.present,
            cites => lang.pick(&b.cites_vi, &b.cites_en).to_string(),
        }),
        derivation => derivation,
        base_error => base.err(),
    })
}

async fn checkin_page(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> Response {
    let result = async {
        let congress = congress_for(&state, &user.access, id, Action::RunCongress).await?;
        let panel = panel(&state, &congress, user.lang).await?;
        Ok(render(
            &state,
            &user,
            &headers,
            "units",
            "congress/checkin.html",
            minijinja::context! {
                congress => Serde(CongressView::of(&congress, user.lang)),
                p => panel,
            },
        ))
    }
    .await;
    respond(&state, &user, &headers, result)
}

async fn checkin(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
    form: FormData,
) -> Response {
    let result = async {
        let lang = user.lang;
        let congress = congress_for(&state, &user.access, id, Action::RunCongress).await?;
        let station = Some(form.get("station")).filter(|s| !s.is_empty()).unwrap_or("web");
        let outcome = match parse_badge(form.get("badge_no")) {
            None => Err(lang
                .pick(
                    "Số thẻ chỉ gồm chữ số, ví dụ 027.",
                    "A badge number is digits only, for example 027.",
                )
                .to_string()),
            Some(badge_no) => {
                let checked = async {
                    let mut tx = state.store.begin_write(&user.actor()).await?;
                    let outcome =
                        state.store.check_in(&mut tx, congress.id, badge_no, station).await?;
                    tx.commit().await?;
                    Ok::<_, StoreError>(outcome)
                }
                .await;
                match checked {
                    Ok(outcome) => Ok(outcome),
                    Err(StoreError::Rule { message_vi, message_en, .. }) => {
                        Err(lang.pick(&message_vi, &message_en).to_string())
                    }
                    Err(error) => return Err(error.into()),
                }
            }
        };
        if !headers.contains_key("hx-request") {
            // Without scripts the form posts and comes back to the page.
            return Ok(
                Redirect::to(&format!("/congresses/{}/checkin", congress.id)).into_response()
            );
        }
        let status =
            if outcome.is_ok() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
        let context = match &outcome {
            Ok(outcome) => minijinja::context! {
                ok => true,
                already => outcome.already,
                name => outcome.person.full_name.clone(),
                badge => badge_text(outcome.person.badge_no),
                role => lang.pick(outcome.person.role.label_vi(), outcome.person.role.label_en()),
                votes => outcome.person.holds_vote(),
            },
            Err(message) => minijinja::context! { ok => false, message => message },
        };
        let mut response =
            render(&state, &user, &headers, "units", "congress/_checkin_result.html", context);
        if response.status() == StatusCode::OK {
            *response.status_mut() = status;
        }
        Ok(response)
    }
    .await;
    respond(&state, &user, &headers, result)
}

async fn attendance(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> Response {
    let result = async {
        let congress = congress_for(&state, &user.access, id, Action::View).await?;
        let panel = panel(&state, &congress, user.lang).await?;
        let projector = headers
            .get("hx-target")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|target| target == "projector-panel");
        Ok(render(
            &state,
            &user,
            &headers,
            "units",
            if projector { "congress/_projector_panel.html" } else { "congress/_attendance.html" },
            minijinja::context! {
                congress => Serde(CongressView::of(&congress, user.lang)),
                p => panel,
            },
        ))
    }
    .await;
    respond(&state, &user, &headers, result)
}

async fn projector(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> Response {
    let result = async {
        let congress = congress_for(&state, &user.access, id, Action::View).await?;
        let panel = panel(&state, &congress, user.lang).await?;
        Ok(render(
            &state,
            &user,
            &headers,
            "units",
            "congress/projector.html",
            minijinja::context! {
                congress => Serde(CongressView::of(&congress, user.lang)),
                p => panel,
            },
        ))
    }
    .await;
    respond(&state, &user, &headers, result)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn badge_numbers_read_as_printed_and_scanned() {
        assert_eq!(parse_badge("027"), Some(27));
        assert_eq!(parse_badge(" 1600 "), Some(1600));
        assert_eq!(parse_badge("0"), None);
        assert_eq!(parse_badge("27a"), None);
        assert_eq!(parse_badge(""), None);
        assert_eq!(badge_text(7), "007");
        assert_eq!(parse_badge(&badge_text(1234)), Some(1234));
    }
}
