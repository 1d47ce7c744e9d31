//! Congress day in the browser, the congress and its people: the congresses of a unit, the
//! congress form (ordinal, term, kind, content, sessions, rule pack, attendance minimum), the
//! roster with statuses and its XLSX import and export, the credentials review and report,
//! badges, check-in by badge number or QR code, and the live attendance panel with the
//! majority base D.

mod checkin;
mod credentials;
mod roster;
mod roster_file;
mod setup;

use axum::http::header;
use axum::response::{IntoResponse, Response};
use daihoi_core::access::{Access, Action};
use daihoi_store::congress::{Congress, Person, Session};
use serde::Serialize;

use super::forms::form_date;
use crate::routing::RouteList;
use crate::scope::require;
use crate::{AppError, AppState, Lang};

/// Routes of this module.
pub fn routes() -> RouteList {
    setup::routes().merge(roster::routes()).merge(credentials::routes()).merge(checkin::routes())
}

/// The congress `id`, if the caller may do `action` on its unit (404 outside the caller's
/// subtrees, 403 inside without the right).
pub(crate) async fn congress_for(
    state: &AppState,
    access: &Access,
    id: i64,
    action: Action,
) -> Result<Congress, AppError> {
    let congress = state.store.congress(id).await?;
    require(access, action, &congress.unit_path)?;
    Ok(congress)
}

/// A person of this congress, by id (404 when the person belongs to another congress).
pub(crate) async fn person_of(
    state: &AppState,
    congress: &Congress,
    person_id: i64,
) -> Result<Person, AppError> {
    let person = state.store.person(person_id).await?;
    if person.congress_id != congress.id {
        return Err(AppError::NotFound);
    }
    Ok(person)
}

/// A congress as templates see it.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct CongressView {
    id: i64,
    unit_id: i64,
    title: String,
    ordinal: Option<i64>,
    term: String,
    kind: &'static str,
    kind_label: &'static str,
    content: &'static str,
    content_label: &'static str,
    rules: String,
    quorum: String,
    status: &'static str,
    status_label: &'static str,
    is_delegates: bool,
    version: i64,
}

impl CongressView {
    pub(crate) fn of(congress: &Congress, lang: Lang) -> CongressView {
        CongressView {
            id: congress.id,
            unit_id: congress.unit_id,
            title: congress.title.clone(),
            ordinal: congress.ordinal,
            term: format!("{} - {}", congress.term_start, congress.term_end),
            kind: congress.kind.code(),
            kind_label: lang.pick(congress.kind.label_vi(), congress.kind.label_en()),
            content: congress.content.code(),
            content_label: lang.pick(congress.content.label_vi(), congress.content.label_en()),
            rules: congress.rules.clone(),
            quorum: format!("{}/{}", congress.quorum_num, congress.quorum_den),
            status: congress.status.code(),
            status_label: lang.pick(congress.status.label_vi(), congress.status.label_en()),
            is_delegates: congress.kind == daihoi_store::congress::CongressKind::Delegates,
            version: congress.version,
        }
    }
}

/// A session as templates see it.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct SessionView {
    id: i64,
    number: i64,
    kind: &'static str,
    label: &'static str,
    starts_on: String,
    ends_on: String,
    venue: String,
    is_current: bool,
}

impl SessionView {
    pub(crate) fn of(session: &Session, lang: Lang) -> SessionView {
        SessionView {
            id: session.id,
            number: session.number,
            kind: session.kind.code(),
            label: lang.pick(session.kind.label_vi(), session.kind.label_en()),
            starts_on: form_date(session.starts_on),
            ends_on: form_date(session.ends_on),
            venue: session.venue.clone().unwrap_or_default(),
            is_current: session.is_current,
        }
    }
}

/// A file download.
pub(crate) fn download(content_type: &str, file_name: &str, body: Vec<u8>) -> Response {
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

/// Ms since the epoch as `dd/mm/yyyy hh:mm` (UTC+7, the time people in the hall read).
pub(crate) fn local_time(ms: i64) -> String {
    let Ok(at) = time::OffsetDateTime::from_unix_timestamp(ms.div_euclid(1000)) else {
        return String::new();
    };
    let at = at.to_offset(time::UtcOffset::from_hms(7, 0, 0).unwrap_or(time::UtcOffset::UTC));
    format!(
        "{:02}/{:02}/{:04} {:02}:{:02}",
        at.day(),
        u8::from(at.month()),
        at.year(),
        at.hour(),
        at.minute()
    )
}
