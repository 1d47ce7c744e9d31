//! `/api/v1/elections/{id}/…`: the result document of a round (`daihoi.result/1`), the counting
//! minutes as PDF and DOCX, and the ballots to print.

use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use daihoi_core::access::Action;
use daihoi_format::election::{Lang as FormatLang, ResultFile};
use daihoi_render::Paper;
use daihoi_store::elections::Round;
use serde::Deserialize;

use super::ApiUser;
use super::error::ApiError;
use crate::routing::RouteList;
use crate::scope::require;
use crate::{AppError, AppState, election_docs};

/// Routes of this module.
pub fn routes() -> RouteList {
    RouteList::new()
        .get("/v1/elections/{id}/result", result)
        .get("/v1/elections/{id}/minutes.pdf", minutes_pdf)
        .get("/v1/elections/{id}/minutes.docx", minutes_docx)
        .get("/v1/elections/{id}/ballots.pdf", ballots_pdf)
}

#[derive(Debug, Deserialize, Default)]
struct RoundQuery {
    round: Option<String>,
    paper: Option<String>,
    copies: Option<String>,
    lang: Option<String>,
}

/// The round asked for (`?round=N`), else the latest signed-off one (`locked`) or the latest.
async fn pick_round(
    state: &AppState,
    user: &ApiUser,
    election_id: i64,
    query: &RoundQuery,
    locked: bool,
) -> Result<Round, ApiError> {
    let election = state.store.election(election_id).await?;
    let congress = state.store.congress(election.congress_id).await?;
    require(&user.access, Action::View, &congress.unit_path)?;
    let rounds = state.store.rounds(election.id).await?;
    let round = match query.round.as_deref().map(str::trim).filter(|r| !r.is_empty()) {
        Some(text) => {
            let number: i64 = text.parse().map_err(|_| {
                ApiError::invalid(
                    "round",
                    "“round” phải là số vòng bầu.",
                    "“round” must be a round number.",
                )
            })?;
            rounds.into_iter().find(|r| r.number == number)
        }
        None if locked => rounds.into_iter().rev().find(Round::is_locked),
        None => rounds.into_iter().next_back(),
    };
    round.ok_or_else(|| {
        ApiError::from(AppError::bad_request(
            "Chưa có vòng bầu nào được ký xác nhận kết quả.",
            "No round has a signed-off result yet.",
        ))
    })
}

async fn result(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<i64>,
    Query(query): Query<RoundQuery>,
) -> Result<Response, ApiError> {
    let round = pick_round(&state, &user, id, &query, true).await?;
    let count = state.store.count_round(round.id).await?;
    let lang = match query.lang.as_deref() {
        Some("en") => FormatLang::En,
        _ => FormatLang::Vi,
    };
    let file = ResultFile::from_report(&count.report, lang);
    Ok(([(header::CONTENT_TYPE, "application/json")], file.to_json()).into_response())
}

fn download(bytes: Vec<u8>, content_type: &'static str, name: String) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type.to_string()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}\"")),
        ],
        bytes,
    )
        .into_response()
}

async fn minutes_of(
    state: &AppState,
    user: &ApiUser,
    id: i64,
    query: &RoundQuery,
) -> Result<(daihoi_render::CountingMinutes, Round), ApiError> {
    let round = pick_round(state, user, id, query, true).await?;
    let count = state.store.count_round(round.id).await?;
    Ok((election_docs::minutes(&state.store, &count).await?, round))
}

async fn minutes_pdf(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<i64>,
    Query(query): Query<RoundQuery>,
) -> Result<Response, ApiError> {
    let (minutes, round) = minutes_of(&state, &user, id, &query).await?;
    let bytes = tokio::task::spawn_blocking(move || daihoi_render::counting_minutes_pdf(&minutes))
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?
        .map_err(|e| {
            AppError::bad_request(
                format!("Không lập được biên bản: {e}"),
                format!("The minutes cannot be made: {e}"),
            )
        })?;
    Ok(download(bytes, "application/pdf", format!("bien-ban-kiem-phieu-{}.pdf", round.code)))
}

async fn minutes_docx(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<i64>,
    Query(query): Query<RoundQuery>,
) -> Result<Response, ApiError> {
    let (minutes, round) = minutes_of(&state, &user, id, &query).await?;
    let bytes = daihoi_render::counting_minutes_docx(&minutes).map_err(|e| {
        AppError::bad_request(
            format!("Không lập được biên bản: {e}"),
            format!("The minutes cannot be made: {e}"),
        )
    })?;
    Ok(download(
        bytes,
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        format!("bien-ban-kiem-phieu-{}.docx", round.code),
    ))
}

async fn ballots_pdf(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<i64>,
    Query(query): Query<RoundQuery>,
) -> Result<Response, ApiError> {
    let round = pick_round(&state, &user, id, &query, false).await?;
    let paper = match query.paper.as_deref().unwrap_or("a4") {
        "a4" | "A4" => Paper::A4,
        "a5" | "A5" => Paper::A5,
        _ => return Err(ApiError::bad_code("paper", &["a4", "a5"])),
    };
    let copies = match query.copies.as_deref().map(str::trim).filter(|c| !c.is_empty()) {
        None => round.ballots_issued.map_or(1, |n| n.max(1)) as u32,
        Some(text) => match text.parse::<u32>() {
            Ok(n) if (1..=daihoi_render::MAX_BALLOT_COPIES).contains(&n) => n,
            _ => {
                return Err(ApiError::invalid(
                    "copies",
                    format!("Số bản in phải từ 1 đến {}.", daihoi_render::MAX_BALLOT_COPIES),
                    format!("Copies must be between 1 and {}.", daihoi_render::MAX_BALLOT_COPIES),
                ));
            }
        },
    };
    let spec = election_docs::ballots(&state.store, round.id, paper, copies).await?;
    let bytes = tokio::task::spawn_blocking(move || daihoi_render::ballots_pdf(&spec))
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?
        .map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(download(bytes, "application/pdf", format!("phieu-bau-{}.pdf", round.code)))
}
