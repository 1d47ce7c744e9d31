//! Elections in the browser: the elections of a congress with its show-of-hands votes and
//! counting committee; list building (nominations, opinion ballots, withdrawals, the approval
//! vote); a round's page (ballot counts, teams, sign-off, next round, alternates); the counting
//! screen (numbers of the crossed-out names and Enter, each ballot acknowledged after commit);
//! reconciliation of the teams' piles with the committee's decisions; results, the projector
//! view; and the parent unit's approvals.

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use daihoi_core::access::Action;
use daihoi_core::counting::{BallotForm, CommitteeReason, ElectionKind};
use daihoi_core::keyed::{self, KeyedBallot, Resolution};
use daihoi_store::StoreError;
use daihoi_store::congress::Congress;
use daihoi_store::elections::{
    CandidateSource, Election, NewCandidate, NewElection, Round, RoundState, Voters, Votes,
    kind_label_en, kind_label_vi,
};
use minijinja::value::Serde;
use serde::Serialize;

use super::forms::{FormData, parse_count};
use super::{html, render, respond};
use crate::auth::CurrentUser;
use crate::election_docs::{ballot_words, next_step_words};
use crate::routing::RouteList;
use crate::scope::{Subtrees, require};
use crate::{AppError, AppState, Lang};

/// Routes of this module.
pub fn routes() -> RouteList {
    RouteList::new()
        .get("/elections", index_page)
        .get("/congresses/{id}/elections", congress_page)
        .post("/congresses/{id}/elections", create_election)
        .post("/congresses/{id}/hand-votes", hand_vote)
        .post("/congresses/{id}/counting-committee", counting_committee)
        .post("/congresses/{id}/report", report)
        .get("/elections/{id}", election_page)
        .post("/elections/{id}/candidates", add_candidate)
        .post("/elections/{id}/approve", approve_list)
        .get("/elections/{id}/plenum", plenum_page)
        .post("/elections/{id}/plenum", plenum_save)
        .post("/candidates/{id}/opinion", opinion)
        .post("/candidates/{id}/withdrawal", withdrawal)
        .get("/rounds/{id}", round_page)
        .post("/rounds/{id}/figures", figures)
        .post("/rounds/{id}/teams", teams)
        .post("/rounds/{id}/lock", lock)
        .post("/rounds/{id}/next", next_round)
        .post("/rounds/{id}/alternates", alternates)
        .get("/rounds/{id}/count/{team}", count_page)
        .post("/rounds/{id}/count/{team}", enter_ballot)
        .post("/rounds/{id}/count/{team}/undo", undo_ballot)
        .get("/rounds/{id}/reconcile", reconcile_page)
        .post("/rounds/{id}/decisions", decide)
        .get("/rounds/{id}/result", result_page)
        .get("/rounds/{id}/projector", projector_page)
        .get("/approvals", approvals_page)
        .post("/approvals/{id}", decide_approval)
}

// ---------------------------------------------------------------------------------------------
// Access

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

async fn election_for(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
    action: Action,
) -> Result<(Election, Congress), AppError> {
    let election = state.store.election(id).await?;
    let congress = congress_for(state, user, election.congress_id, action).await?;
    Ok((election, congress))
}

async fn round_for(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
    action: Action,
) -> Result<(Round, Election, Congress), AppError> {
    let round = state.store.round(id).await?;
    let (election, congress) = election_for(state, user, round.election_id, action).await?;
    Ok((round, election, congress))
}

/// A refused change: the store's message in the user's language, or an error page.
fn refused(error: StoreError, lang: Lang) -> Result<String, AppError> {
    match error {
        StoreError::Rule { message_vi, message_en, .. } => {
            Ok(lang.pick(&message_vi, &message_en).to_string())
        }
        other => Err(other.into()),
    }
}

fn count_field(
    form: &FormData,
    field: &str,
    lang: Lang,
    label_vi: &str,
    label_en: &str,
) -> Result<i64, String> {
    parse_count(form.get(field)).ok_or_else(|| {
        lang.pick(
            &format!("“{label_vi}” phải là một số không âm."),
            &format!("“{label_en}” must be a whole number."),
        )
        .to_string()
    })
}

fn read_votes(form: &FormData, lang: Lang) -> Result<Votes, String> {
    Ok(Votes {
        votes_for: count_field(form, "votes_for", lang, "Tán thành", "For")?,
        against: if form.get("against").is_empty() {
            0
        } else {
            count_field(form, "against", lang, "Không tán thành", "Against")?
        },
        abstain: if form.get("abstain").is_empty() {
            0
        } else {
            count_field(form, "abstain", lang, "Không biểu quyết", "Abstaining")?
        },
        present: count_field(form, "present", lang, "Có mặt", "Present")?,
    })
}

fn unprocessable(response: Response) -> Response {
    (StatusCode::UNPROCESSABLE_ENTITY, response).into_response()
}

// ---------------------------------------------------------------------------------------------
// Views

#[derive(Debug, Serialize)]
struct ElectionView {
    id: i64,
    title: String,
    kind: &'static str,
    kind_label: &'static str,
    seats: i64,
    alternate_seats: i64,
    plenum: bool,
    conference_of: Option<i64>,
    status: &'static str,
    status_label: &'static str,
}

impl ElectionView {
    fn of(election: &Election, lang: Lang) -> ElectionView {
        ElectionView {
            id: election.id,
            title: election.title.clone(),
            kind: election.kind.code(),
            kind_label: lang.pick(kind_label_vi(election.kind), kind_label_en(election.kind)),
            seats: election.seats,
            alternate_seats: election.alternate_seats,
            plenum: election.voters == Voters::Plenum,
            conference_of: election.conference_of,
            status: election.status.code(),
            status_label: lang.pick(election.status.label_vi(), election.status.label_en()),
        }
    }
}

#[derive(Debug, Serialize)]
struct RoundView {
    id: i64,
    number: i64,
    tie_break: bool,
    seats: i64,
    alternate_seats: i64,
    locked: bool,
    teams: i64,
    code: String,
    issued: Option<i64>,
    collected: Option<i64>,
    present: Option<i64>,
    base: Option<u32>,
    lock_hash: Option<String>,
}

impl RoundView {
    fn of(round: &Round) -> RoundView {
        RoundView {
            id: round.id,
            number: round.number,
            tie_break: round.round_type == daihoi_core::counting::RoundType::TieBreak,
            seats: round.seats,
            alternate_seats: round.alternate_seats,
            locked: round.is_locked(),
            teams: round.teams,
            code: round.code.clone(),
            issued: round.ballots_issued,
            collected: round.ballots_collected,
            present: round.present,
            base: round
                .base
                .as_ref()
                .map(|b| b.summoned - b.excluded.iter().map(|(_, n)| *n).sum::<u32>()),
            lock_hash: round.lock_hash.clone(),
        }
    }
}

fn election_kinds(lang: Lang) -> Vec<(&'static str, &'static str)> {
    ElectionKind::ALL
        .iter()
        .filter(|k| **k != ElectionKind::Other)
        .map(|k| (k.code(), lang.pick(kind_label_vi(*k), kind_label_en(*k))))
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Index: the elections of the congresses the user may see

async fn index_page(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
) -> Response {
    let result = async {
        let elections = match Subtrees::of(&user.access, Action::View) {
            Some(subtrees) => state.store.elections_in(subtrees.paths()).await?,
            None => Vec::new(),
        };
        let mut congresses: Vec<(i64, String, Vec<ElectionView>)> = Vec::new();
        for (election, title) in &elections {
            let view = ElectionView::of(election, user.lang);
            match congresses.iter_mut().find(|(id, _, _)| *id == election.congress_id) {
                Some((_, _, list)) => list.push(view),
                None => congresses.push((election.congress_id, title.clone(), vec![view])),
            }
        }
        Ok(render(
            &state,
            &user,
            &headers,
            "elections",
            "elections/index.html",
            minijinja::context! { congresses => Serde(congresses) },
        ))
    }
    .await;
    respond(&state, &user, &headers, result)
}

// ---------------------------------------------------------------------------------------------
// Congress: elections, hand votes, counting committee, report upward

async fn congress_view(
    state: &AppState,
    user: &CurrentUser,
    headers: &HeaderMap,
    congress: Congress,
    error: Option<String>,
) -> Result<Response, AppError> {
    let lang = user.lang;
    let elections = state.store.elections(congress.id).await?;
    let hand_votes = state.store.hand_votes(congress.id).await?;
    let committee = state.store.counting_committee(congress.id).await?;
    let approvals = state.store.approvals_of_congress(congress.id).await?;
    let attendance = state.store.attendance(congress.id).await?;
    let committees: Vec<_> = elections
        .iter()
        .filter(|e| e.kind == ElectionKind::Committee)
        .map(|e| (e.id, e.title.clone()))
        .collect();
    let response = render(
        state,
        user,
        headers,
        "elections",
        "elections/congress.html",
        minijinja::context! {
            congress => Serde(&congress),
            elections => Serde(elections.iter().map(|e| ElectionView::of(e, lang)).collect::<Vec<_>>()),
            hand_votes => Serde(&hand_votes),
            committee => Serde(&committee),
            committee_text => committee.iter().map(|(name, position)| format!("{name}{}", match position.as_str() { "head" => " (Trưởng ban)", "deputy" => " (Phó Trưởng ban)", _ => "" })).collect::<Vec<_>>().join("\n"),
            approvals => Serde(&approvals),
            attendance => Serde(&attendance),
            kinds => Serde(election_kinds(lang)),
            committees => Serde(committees),
            can_run => user.access.can(Action::RunCongress, &congress.unit_path),
            error => error,
        },
    );
    Ok(response)
}

async fn congress_page(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> Response {
    let result = async {
        let congress = congress_for(&state, &user, id, Action::View).await?;
        congress_view(&state, &user, &headers, congress, None).await
    }
    .await;
    respond(&state, &user, &headers, result)
}

async fn create_election(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
    form: FormData,
) -> Response {
    let result = async {
        let lang = user.lang;
        let congress = congress_for(&state, &user, id, Action::RunCongress).await?;
        let kinds: Vec<ElectionKind> =
            form.all("kind").iter().filter_map(|k| ElectionKind::from_code(k)).collect();
        let seats = parse_count(form.get("seats"));
        let alternates = if form.get("alternate_seats").is_empty() {
            Some(0)
        } else {
            parse_count(form.get("alternate_seats"))
        };
        let voters = if form.get("voters") == "plenum" { Voters::Plenum } else { Voters::Congress };
        let error = match (seats, alternates) {
            (Some(seats), Some(alternate_seats)) => {
                let outcome = async {
                    let mut tx = state.store.begin_write(&user.actor()).await?;
                    let election = state
                        .store
                        .create_election(
                            &mut tx,
                            congress.id,
                            NewElection {
                                offices: kinds,
                                title: form.get("title").to_string(),
                                seats,
                                alternate_seats,
                                voters,
                                conference_of: form.get("conference_of").parse().ok(),
                            },
                        )
                        .await?;
                    tx.commit().await?;
                    Ok::<_, StoreError>(election)
                }
                .await;
                match outcome {
                    Ok(election) => {
                        return Ok(
                            Redirect::to(&format!("/elections/{}", election.id)).into_response()
                        );
                    }
                    Err(error) => refused(error, lang)?,
                }
            }
            _ => lang
                .pick("Số lượng cần bầu phải là số.", "The number of seats must be a number.")
                .to_string(),
        };
        Ok(unprocessable(congress_view(&state, &user, &headers, congress, Some(error)).await?))
    }
    .await;
    respond(&state, &user, &headers, result)
}

async fn hand_vote(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
    form: FormData,
) -> Response {
    let result = async {
        let congress = congress_for(&state, &user, id, Action::RunCongress).await?;
        let error = match read_votes(&form, user.lang) {
            Ok(votes) => {
                let outcome = async {
                    let mut tx = state.store.begin_write(&user.actor()).await?;
                    state
                        .store
                        .record_hand_vote(&mut tx, congress.id, form.get("title"), &votes)
                        .await?;
                    tx.commit().await
                }
                .await;
                match outcome {
                    Ok(()) => {
                        return Ok(Redirect::to(&format!("/congresses/{id}/elections#hand-votes"))
                            .into_response());
                    }
                    Err(error) => refused(error, user.lang)?,
                }
            }
            Err(message) => message,
        };
        Ok(unprocessable(congress_view(&state, &user, &headers, congress, Some(error)).await?))
    }
    .await;
    respond(&state, &user, &headers, result)
}

async fn counting_committee(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
    form: FormData,
) -> Response {
    let result = async {
        let congress = congress_for(&state, &user, id, Action::RunCongress).await?;
        // One name a line; the first is the head; "(Phó Trưởng ban)" marks a deputy.
        let members: Vec<(String, String)> = form
            .get("members")
            .lines()
            .map(str::trim)
            .filter(|line| !line.is_empty())
            .enumerate()
            .map(|(index, line)| {
                let (name, position) = if let Some(name) = line.strip_suffix("(Phó Trưởng ban)")
                {
                    (name, "deputy")
                } else if let Some(name) = line.strip_suffix("(Trưởng ban)") {
                    (name, "head")
                } else {
                    (line, if index == 0 { "head" } else { "member" })
                };
                (name.trim().to_string(), position.to_string())
            })
            .collect();
        let outcome = async {
            let mut tx = state.store.begin_write(&user.actor()).await?;
            state.store.set_counting_committee(&mut tx, congress.id, &members).await?;
            tx.commit().await
        }
        .await;
        match outcome {
            Ok(()) => {
                Ok(Redirect::to(&format!("/congresses/{id}/elections#committee")).into_response())
            }
            Err(error) => {
                let message = refused(error, user.lang)?;
                Ok(unprocessable(
                    congress_view(&state, &user, &headers, congress, Some(message)).await?,
                ))
            }
        }
    }
    .await;
    respond(&state, &user, &headers, result)
}

async fn report(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> Response {
    let result = async {
        let congress = congress_for(&state, &user, id, Action::RunCongress).await?;
        let outcome = async {
            let mut tx = state.store.begin_write(&user.actor()).await?;
            state.store.report_results(&mut tx, congress.id).await?;
            tx.commit().await
        }
        .await;
        match outcome {
            Ok(()) => {
                Ok(Redirect::to(&format!("/congresses/{id}/elections#report")).into_response())
            }
            Err(error) => {
                let message = refused(error, user.lang)?;
                Ok(unprocessable(
                    congress_view(&state, &user, &headers, congress, Some(message)).await?,
                ))
            }
        }
    }
    .await;
    respond(&state, &user, &headers, result)
}

// ---------------------------------------------------------------------------------------------
// Election: the list

#[derive(Debug, Serialize)]
struct CandidateView {
    id: i64,
    full_name: String,
    source: &'static str,
    source_label: &'static str,
    opinion: Option<String>,
    admitted: bool,
    withdrawn: bool,
    note: String,
}

async fn election_view(
    state: &AppState,
    user: &CurrentUser,
    headers: &HeaderMap,
    election: Election,
    congress: Congress,
    error: Option<String>,
) -> Result<Response, AppError> {
    let lang = user.lang;
    let candidates = state.store.candidates(election.id).await?;
    let rounds = state.store.rounds(election.id).await?;
    let outcome = state.store.election_outcome(election.id).await?;
    let people =
        state.store.people(congress.id, None, None, daihoi_store::Page::new(1, 2000)).await?.items;
    let on_list = candidates.iter().filter(|c| c.admitted && !c.withdrawn).count();
    let views: Vec<CandidateView> = candidates
        .iter()
        .map(|c| CandidateView {
            id: c.id,
            full_name: c.full_name.clone(),
            source: c.source.code(),
            source_label: match (c.source, lang) {
                (s, Lang::Vi) => s.label_vi(),
                (CandidateSource::Committee, Lang::En) => "Committee's list",
                (CandidateSource::Floor, Lang::En) => "Nominated from the floor",
                (CandidateSource::SelfNominated, Lang::En) => "Self-nominated",
            },
            opinion: c.opinion_agree.zip(c.opinion_present).map(|(a, p)| format!("{a}/{p}")),
            admitted: c.admitted,
            withdrawn: c.withdrawn,
            note: c.note.clone().unwrap_or_default(),
        })
        .collect();
    let attendance = state.store.attendance(congress.id).await?;
    Ok(render(
        state,
        user,
        headers,
        "elections",
        "elections/election.html",
        minijinja::context! {
            congress => Serde(&congress),
            election => Serde(ElectionView::of(&election, lang)),
            candidates => Serde(views),
            on_list => on_list,
            rounds => Serde(rounds.iter().map(RoundView::of).collect::<Vec<_>>()),
            elected => Serde(&outcome.elected),
            alternates => Serde(&outcome.alternates),
            people => Serde(people.iter().filter(|p| p.holds_vote()).map(|p| (p.id, p.full_name.clone(), p.badge_no)).collect::<Vec<_>>()),
            present => attendance.present,
            preparing => election.status == daihoi_store::elections::ElectionStatus::Preparing,
            can_run => user.access.can(Action::RunCongress, &congress.unit_path),
            error => error,
        },
    ))
}

async fn election_page(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> Response {
    let result = async {
        let (election, congress) = election_for(&state, &user, id, Action::View).await?;
        election_view(&state, &user, &headers, election, congress, None).await
    }
    .await;
    respond(&state, &user, &headers, result)
}

async fn add_candidate(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
    form: FormData,
) -> Response {
    let result = async {
        let (election, congress) = election_for(&state, &user, id, Action::RunCongress).await?;
        let source =
            CandidateSource::parse(form.get("source")).unwrap_or(CandidateSource::Committee);
        let person_id = form.get("person_id").parse::<i64>().ok();
        let outcome = async {
            let mut tx = state.store.begin_write(&user.actor()).await?;
            state
                .store
                .add_candidate(
                    &mut tx,
                    election.id,
                    NewCandidate {
                        person_id,
                        full_name: form.get("full_name").to_string(),
                        source,
                        note: Some(form.get("note").to_string()),
                    },
                )
                .await?;
            tx.commit().await
        }
        .await;
        match outcome {
            Ok(()) => Ok(Redirect::to(&format!("/elections/{id}#list")).into_response()),
            Err(error) => {
                let message = refused(error, user.lang)?;
                Ok(unprocessable(
                    election_view(&state, &user, &headers, election, congress, Some(message))
                        .await?,
                ))
            }
        }
    }
    .await;
    respond(&state, &user, &headers, result)
}

async fn candidate_action(
    state: &AppState,
    user: &CurrentUser,
    headers: &HeaderMap,
    id: i64,
    form: &FormData,
    withdraw: bool,
) -> Result<Response, AppError> {
    let candidate = state.store.candidate(id).await?;
    let (election, congress) =
        election_for(state, user, candidate.election_id, Action::RunCongress).await?;
    let lang = user.lang;
    let outcome: Result<Result<(), StoreError>, String> = if withdraw {
        match read_votes(form, lang) {
            Ok(votes) => Ok(async {
                let mut tx = state.store.begin_write(&user.actor()).await?;
                state.store.decide_withdrawal(&mut tx, id, &votes).await?;
                tx.commit().await
            }
            .await),
            Err(message) => Err(message),
        }
    } else {
        let agree = count_field(form, "agree", lang, "Đồng ý", "Agreeing");
        let present = count_field(form, "present", lang, "Có mặt", "Present");
        match (agree, present) {
            (Ok(agree), Ok(present)) => Ok(async {
                let mut tx = state.store.begin_write(&user.actor()).await?;
                state.store.record_opinion(&mut tx, id, agree, present).await?;
                tx.commit().await
            }
            .await),
            (Err(message), _) | (_, Err(message)) => Err(message),
        }
    };
    let message = match outcome {
        Ok(Ok(())) => {
            return Ok(Redirect::to(&format!("/elections/{}#list", election.id)).into_response());
        }
        Ok(Err(error)) => refused(error, lang)?,
        Err(message) => message,
    };
    Ok(unprocessable(election_view(state, user, headers, election, congress, Some(message)).await?))
}

async fn opinion(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
    form: FormData,
) -> Response {
    let result = candidate_action(&state, &user, &headers, id, &form, false).await;
    respond(&state, &user, &headers, result)
}

async fn withdrawal(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
    form: FormData,
) -> Response {
    let result = candidate_action(&state, &user, &headers, id, &form, true).await;
    respond(&state, &user, &headers, result)
}

async fn approve_list(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
    form: FormData,
) -> Response {
    let result = async {
        let (election, congress) = election_for(&state, &user, id, Action::RunCongress).await?;
        let message = match read_votes(&form, user.lang) {
            Ok(votes) => {
                let outcome = async {
                    let mut tx = state.store.begin_write(&user.actor()).await?;
                    let (vote, round) = state.store.approve_list(&mut tx, election.id, &votes).await?;
                    tx.commit().await?;
                    Ok::<_, StoreError>((vote, round))
                }
                .await;
                match outcome {
                    Ok((_, Some(round))) => {
                        return Ok(Redirect::to(&format!("/rounds/{}", round.id)).into_response());
                    }
                    Ok((_, None)) => user
                        .lang
                        .pick(
                            "Đại hội không biểu quyết thông qua danh sách (chưa quá một nửa tán thành).",
                            "The congress did not approve the list (not more than half for).",
                        )
                        .to_string(),
                    Err(error) => refused(error, user.lang)?,
                }
            }
            Err(message) => message,
        };
        Ok(unprocessable(election_view(&state, &user, &headers, election, congress, Some(message)).await?))
    }
    .await;
    respond(&state, &user, &headers, result)
}

// ---------------------------------------------------------------------------------------------
// The roll of the new committee's first plenum: the base D of the plenum's elections

#[derive(Debug, Serialize)]
struct PlenumRow {
    candidate_id: i64,
    full_name: String,
    status: &'static str,
    status_label: &'static str,
    note: String,
    decided_by: Option<String>,
}

async fn plenum_view(
    state: &AppState,
    user: &CurrentUser,
    headers: &HeaderMap,
    id: i64,
    error: Option<String>,
) -> Result<Response, AppError> {
    use daihoi_store::plenum::{PLENUM_STATUSES, status_label_en, status_label_vi};
    let lang = user.lang;
    let (election, congress) = election_for(state, user, id, Action::View).await?;
    let roll = state.store.plenum_roll(election.id).await?;
    let base = state.store.plenum_base(election.id).await.ok();
    let label = |s| lang.pick(status_label_vi(s), status_label_en(s));
    let rows: Vec<PlenumRow> = roll
        .iter()
        .map(|m| PlenumRow {
            candidate_id: m.candidate_id,
            full_name: m.full_name.clone(),
            status: m.status.code(),
            status_label: label(m.status),
            note: m.note.clone().unwrap_or_default(),
            decided_by: m.decided_by.clone(),
        })
        .collect();
    let statuses: Vec<(&str, &str)> =
        PLENUM_STATUSES.iter().map(|s| (s.code(), label(*s))).collect();
    let plenum_elections: Vec<ElectionView> = state
        .store
        .elections(congress.id)
        .await?
        .iter()
        .filter(|e| e.conference_of == Some(election.id))
        .map(|e| ElectionView::of(e, lang))
        .collect();
    Ok(render(
        state,
        user,
        headers,
        "elections",
        "elections/plenum.html",
        minijinja::context! {
            congress => Serde(&congress),
            election => Serde(ElectionView::of(&election, lang)),
            rows => Serde(rows),
            statuses => Serde(statuses),
            base => Serde(&base),
            plenum_elections => Serde(plenum_elections),
            can_run => user.access.can(Action::RunCongress, &congress.unit_path),
            error => error,
        },
    ))
}

async fn plenum_page(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> Response {
    let result = plenum_view(&state, &user, &headers, id, None).await;
    respond(&state, &user, &headers, result)
}

/// Saves the whole roll in one transaction: every changed row is checked and recorded, or
/// nothing is (the first refusal is shown and the roll stays as it was).
async fn plenum_save(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
    form: FormData,
) -> Response {
    let result = async {
        let lang = user.lang;
        election_for(&state, &user, id, Action::RunCongress).await?;
        let roll = state.store.plenum_roll(id).await?;
        let mut tx = state.store.begin_write(&user.actor()).await?;
        let mut message = None;
        for member in &roll {
            let code = form.get(&format!("status-{}", member.candidate_id));
            let note = form.get(&format!("note-{}", member.candidate_id));
            if code.is_empty() {
                continue;
            }
            let Some(status) = daihoi_store::plenum::plenum_status(code) else {
                message = Some(
                    lang.pick(
                        &format!("{}: trạng thái “{code}” không hợp lệ.", member.full_name),
                        &format!("{}: “{code}” is not a valid status.", member.full_name),
                    )
                    .to_string(),
                );
                break;
            };
            if status == member.status && note == member.note.as_deref().unwrap_or("") {
                continue;
            }
            let note = (!note.is_empty()).then_some(note);
            if let Err(error) =
                state.store.set_plenum_status(&mut tx, id, member.candidate_id, status, note).await
            {
                message = Some(format!("{}: {}", member.full_name, refused(error, lang)?));
                break;
            }
        }
        match message {
            None => {
                tx.commit().await?;
                Ok(Redirect::to(&format!("/elections/{id}/plenum")).into_response())
            }
            Some(message) => {
                drop(tx);
                Ok(unprocessable(plenum_view(&state, &user, &headers, id, Some(message)).await?))
            }
        }
    }
    .await;
    respond(&state, &user, &headers, result)
}

// ---------------------------------------------------------------------------------------------
// Round

#[derive(Debug, Serialize)]
struct ResultRow {
    position: usize,
    name: String,
    votes: u64,
    percent: String,
    qualified: bool,
    elected: bool,
    alternate: bool,
    agree: Option<u64>,
    disagree: Option<u64>,
}

#[derive(Debug, Serialize, Default)]
struct ResultView {
    available: bool,
    problem: Option<String>,
    base: u32,
    threshold: Option<u64>,
    summoned: u32,
    present: u32,
    issued: u32,
    collected: u32,
    valid: u64,
    invalid: u64,
    invalid_reasons: Vec<(String, u64)>,
    rows: Vec<ResultRow>,
    elected: Vec<(String, u64)>,
    alternates: Vec<(String, u64)>,
    next_steps: Vec<String>,
    tie: bool,
    unfilled: u32,
    outcome: String,
    agree_disagree: bool,
}

async fn result_view(state: &AppState, round_id: i64, lang: Lang) -> Result<ResultView, AppError> {
    let count = match state.store.count_round(round_id).await {
        Ok(count) => count,
        Err(StoreError::Rule { message_vi, message_en, .. }) => {
            return Ok(ResultView {
                problem: Some(lang.pick(&message_vi, &message_en).to_string()),
                ..ResultView::default()
            });
        }
        Err(other) => return Err(other.into()),
    };
    let report = &count.report;
    let format_lang = match lang {
        Lang::Vi => daihoi_format::election::Lang::Vi,
        Lang::En => daihoi_format::election::Lang::En,
    };
    let separator = if lang == Lang::Vi { ',' } else { '.' };
    let named = |ids: &[daihoi_core::counting::CandidateId]| -> Vec<(String, u64)> {
        ids.iter()
            .filter_map(|id| report.candidates.iter().find(|c| &c.id == id))
            .map(|c| (c.name.clone(), c.votes))
            .collect()
    };
    Ok(ResultView {
        available: true,
        problem: None,
        base: report.base.value(),
        threshold: report.threshold,
        summoned: report.summoned,
        present: report.present,
        issued: report.ballots.issued,
        collected: report.ballots.collected,
        valid: report.ballots.valid,
        invalid: report.ballots.invalid,
        invalid_reasons: report
            .ballots
            .invalid_by_reason
            .iter()
            .map(|(reason, n)| {
                (daihoi_format::election::result::reason_text(*reason, format_lang).to_string(), *n)
            })
            .collect(),
        rows: report
            .candidates
            .iter()
            .enumerate()
            .map(|(index, c)| ResultRow {
                position: index + 1,
                name: c.name.clone(),
                votes: c.votes,
                percent: c.percent_of_base.with_separator(separator),
                qualified: c.qualified,
                elected: c.elected,
                alternate: c.alternate,
                agree: c.marks.map(|m| m.agree),
                disagree: c.marks.map(|m| m.disagree),
            })
            .collect(),
        elected: named(&report.elected),
        alternates: named(&report.alternates),
        next_steps: report
            .next_steps()
            .iter()
            .map(|s| next_step_words(s, &count.names, lang == Lang::Vi))
            .collect(),
        tie: report.tie.is_some(),
        unfilled: report.unfilled_seats,
        outcome: report.outcome.code().to_string(),
        agree_disagree: report.form == BallotForm::AgreeDisagree,
    })
}

#[derive(Debug, Serialize)]
struct TeamView {
    team: u32,
    ballots: usize,
}

async fn round_view(
    state: &AppState,
    user: &CurrentUser,
    headers: &HeaderMap,
    round_id: i64,
    error: Option<String>,
) -> Result<Response, AppError> {
    let lang = user.lang;
    let (round, election, congress) = round_for(state, user, round_id, Action::View).await?;
    let round_state = state.store.round_state(round.id).await?;
    let rounds = state.store.rounds(election.id).await?;
    let latest = rounds.last().map(|r| r.id) == Some(round.id);
    let result = result_view(state, round.id, lang).await?;
    let alternates_voted = state
        .store
        .hand_votes(congress.id)
        .await?
        .iter()
        .any(|v| v.subject == "alternates" && v.round_id == Some(round.id));
    let base_now = state.store.election_base(election.id).await.ok();
    let response = render(
        state,
        user,
        headers,
        "elections",
        "elections/round.html",
        minijinja::context! {
            congress => Serde(&congress),
            election => Serde(ElectionView::of(&election, lang)),
            round => Serde(RoundView::of(&round)),
            names => Serde(&round_state.names),
            teams => Serde(round_state.piles.iter().map(|(team, pile)| TeamView { team: *team, ballots: pile.len() }).collect::<Vec<_>>()),
            discrepancies => round_state.pending.discrepancies.len(),
            doubtful => round_state.pending.doubtful.len(),
            final_count => round_state.final_pile.len(),
            result => Serde(&result),
            latest => latest,
            alternates_voted => alternates_voted,
            base_now => Serde(&base_now),
            can_count => user.access.can(Action::Count, &congress.unit_path),
            can_run => user.access.can(Action::RunCongress, &congress.unit_path),
            error => error,
        },
    );
    Ok(response)
}

async fn round_page(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> Response {
    let result = round_view(&state, &user, &headers, id, None).await;
    respond(&state, &user, &headers, result)
}

/// Runs a change on a round: redirect to `done` on success; the round page with the message
/// when the store refuses.
async fn round_change<F, Fut>(
    state: &AppState,
    user: &CurrentUser,
    headers: &HeaderMap,
    id: i64,
    action: Action,
    done: String,
    change: F,
) -> Result<Response, AppError>
where
    F: FnOnce(daihoi_store::WriteTx) -> Fut,
    Fut: std::future::Future<Output = Result<Result<String, String>, StoreError>>,
{
    round_for(state, user, id, action).await?;
    let tx = state.store.begin_write(&user.actor()).await?;
    let message = match change(tx).await {
        Ok(Ok(target)) => {
            let target = if target.is_empty() { done } else { target };
            return Ok(Redirect::to(&target).into_response());
        }
        Ok(Err(message)) => message,
        Err(StoreError::Locked(_)) => return Err(AppError::Locked("round".into())),
        Err(error) => refused(error, user.lang)?,
    };
    Ok(unprocessable(round_view(state, user, headers, id, Some(message)).await?))
}

async fn figures(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
    form: FormData,
) -> Response {
    let lang = user.lang;
    let issued = count_field(&form, "issued", lang, "Số phiếu phát ra", "Ballots issued");
    let collected = count_field(&form, "collected", lang, "Số phiếu thu về", "Ballots collected");
    let store = state.store.clone();
    let result = round_change(
        &state,
        &user,
        &headers,
        id,
        Action::Count,
        format!("/rounds/{id}"),
        |mut tx| async move {
            let (issued, collected) = match (issued, collected) {
                (Ok(i), Ok(c)) => (i, c),
                (Err(m), _) | (_, Err(m)) => return Ok(Err(m)),
            };
            store.set_round_figures(&mut tx, id, issued, collected).await?;
            tx.commit().await?;
            Ok(Ok(String::new()))
        },
    )
    .await;
    respond(&state, &user, &headers, result)
}

async fn teams(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
    form: FormData,
) -> Response {
    let teams = parse_count(form.get("teams")).unwrap_or(0);
    let store = state.store.clone();
    let result = round_change(
        &state,
        &user,
        &headers,
        id,
        Action::Count,
        format!("/rounds/{id}"),
        |mut tx| async move {
            store.set_round_teams(&mut tx, id, teams).await?;
            tx.commit().await?;
            Ok(Ok(String::new()))
        },
    )
    .await;
    respond(&state, &user, &headers, result)
}

async fn lock(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> Response {
    let store = state.store.clone();
    let result = round_change(
        &state,
        &user,
        &headers,
        id,
        Action::Count,
        format!("/rounds/{id}/result"),
        |mut tx| async move {
            store.lock_round(&mut tx, id).await?;
            tx.commit().await?;
            Ok(Ok(String::new()))
        },
    )
    .await;
    respond(&state, &user, &headers, result)
}

async fn next_round(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
    form: FormData,
) -> Response {
    let votes = read_votes(&form, user.lang);
    let store = state.store.clone();
    let result = round_change(
        &state,
        &user,
        &headers,
        id,
        Action::RunCongress,
        String::new(),
        |mut tx| async move {
            let votes = match votes {
                Ok(v) => v,
                Err(m) => return Ok(Err(m)),
            };
            let outcome = store.next_round(&mut tx, id, &votes).await;
            // A declined vote still records the vote and closes the election.
            if let Err(StoreError::Rule {
                code: "congress_declined", message_vi, message_en, ..
            }) = &outcome
            {
                tx.commit().await?;
                return Ok(Err(format!("{message_vi} / {message_en}")));
            }
            let round = outcome?;
            tx.commit().await?;
            Ok(Ok(format!("/rounds/{}", round.id)))
        },
    )
    .await;
    respond(&state, &user, &headers, result)
}

async fn alternates(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
    form: FormData,
) -> Response {
    let votes = read_votes(&form, user.lang);
    let store = state.store.clone();
    let result = round_change(
        &state,
        &user,
        &headers,
        id,
        Action::RunCongress,
        format!("/rounds/{id}"),
        |mut tx| async move {
            let votes = match votes {
                Ok(v) => v,
                Err(m) => return Ok(Err(m)),
            };
            store.approve_alternates(&mut tx, id, &votes).await?;
            tx.commit().await?;
            Ok(Ok(String::new()))
        },
    )
    .await;
    respond(&state, &user, &headers, result)
}

// ---------------------------------------------------------------------------------------------
// Counting screen

#[derive(Debug, Serialize)]
struct PileRow {
    number: usize,
    keys: String,
    words: String,
}

fn pile_rows(state: &RoundState, team: u32) -> Vec<PileRow> {
    state
        .piles
        .iter()
        .find(|(t, _)| *t == team)
        .map(|(_, pile)| {
            pile.iter()
                .enumerate()
                .map(|(index, ballot)| PileRow {
                    number: index + 1,
                    keys: ballot.keys(),
                    words: ballot_words(ballot, &state.names),
                })
                .collect()
        })
        .unwrap_or_default()
}

/// Running count of a team's pile: votes per name so far (display only).
fn running(state: &RoundState, team: u32) -> Vec<u64> {
    let mut votes = vec![0u64; state.names.len()];
    let Some((_, pile)) = state.piles.iter().find(|(t, _)| *t == team) else { return votes };
    for ballot in pile {
        match ballot {
            KeyedBallot::Crossed { n } => {
                // A ballot keeping more names than seats, or none, is invalid: no votes.
                let kept = state.names.len().saturating_sub(n.len());
                if kept == 0 || kept as i64 > state.round.seats {
                    continue;
                }
                for (index, vote) in votes.iter_mut().enumerate() {
                    if !n.contains(&(index as u32 + 1)) {
                        *vote += 1;
                    }
                }
            }
            KeyedBallot::Marks { disagree, both, none } => {
                for (index, vote) in votes.iter_mut().enumerate() {
                    let p = index as u32 + 1;
                    if !disagree.contains(&p) && !both.contains(&p) && !none.contains(&p) {
                        *vote += 1;
                    }
                }
            }
            _ => {}
        }
    }
    votes
}

async fn count_page(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    Path((id, team)): Path<(i64, u32)>,
) -> Response {
    let result = async {
        let (round, election, congress) = round_for(&state, &user, id, Action::Count).await?;
        if team == 0 || i64::from(team) > round.teams {
            return Err(AppError::NotFound);
        }
        let round_state = state.store.round_state(round.id).await?;
        let rows = pile_rows(&round_state, team);
        let votes = running(&round_state, team);
        Ok(render(
            &state,
            &user,
            &headers,
            "elections",
            "elections/count.html",
            minijinja::context! {
                congress => Serde(&congress),
                election => Serde(ElectionView::of(&election, user.lang)),
                round => Serde(RoundView::of(&round)),
                team => team,
                names => Serde(round_state.names.iter().zip(votes).map(|(n, v)| (n.position, n.name.clone(), v)).collect::<Vec<_>>()),
                agree_disagree => round_state.form == BallotForm::AgreeDisagree,
                rows => Serde(rows.iter().rev().take(15).collect::<Vec<_>>()),
                total => rows.len(),
                collected => round.ballots_collected,
            },
        ))
    }
    .await;
    respond(&state, &user, &headers, result)
}

fn wants_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("application/json"))
}

fn json(status: StatusCode, value: serde_json::Value) -> Response {
    (status, axum::Json(value)).into_response()
}

/// One ballot: committed before the answer, so an acknowledged ballot survives a crash.
async fn enter_ballot(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    Path((id, team)): Path<(i64, u32)>,
    form: FormData,
) -> Response {
    let result = async {
        let (round, _, _) = round_for(&state, &user, id, Action::Count).await?;
        let names = state.store.round_names(round.id).await?;
        let outcome = async {
            let mut tx = state.store.begin_write(&user.actor()).await?;
            let entered = state
                .store
                .enter_ballot(&mut tx, round.id, i64::from(team), form.get("keys"))
                .await?;
            tx.commit().await?;
            Ok::<_, StoreError>(entered)
        }
        .await;
        match outcome {
            Ok(entered) => {
                if wants_json(&headers) {
                    let ballot = entered.ballot.unwrap_or(KeyedBallot::Doubtful);
                    return Ok(json(
                        StatusCode::OK,
                        serde_json::json!({
                            "ok": true,
                            "ballot_no": entered.ballot_no,
                            "seq": entered.seq,
                            "keys": ballot.keys(),
                            "words": ballot_words(&ballot, &names),
                            "ballot": ballot,
                        }),
                    ));
                }
                Ok(Redirect::to(&format!("/rounds/{id}/count/{team}")).into_response())
            }
            Err(StoreError::Locked(_)) => Err(AppError::Locked("round".into())),
            Err(error) => {
                let message = refused(error, user.lang)?;
                if wants_json(&headers) {
                    return Ok(json(
                        StatusCode::UNPROCESSABLE_ENTITY,
                        serde_json::json!({ "ok": false, "error": message }),
                    ));
                }
                Err(AppError::bad_request(message.clone(), message))
            }
        }
    }
    .await;
    match result {
        Err(error) if wants_json(&headers) => json(
            error.status(),
            serde_json::json!({ "ok": false, "error": error.message(user.lang) }),
        ),
        other => respond(&state, &user, &headers, other),
    }
}

async fn undo_ballot(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    Path((id, team)): Path<(i64, u32)>,
) -> Response {
    let result = async {
        let (round, _, _) = round_for(&state, &user, id, Action::Count).await?;
        let outcome = async {
            let mut tx = state.store.begin_write(&user.actor()).await?;
            let entered = state.store.undo_ballot(&mut tx, round.id, i64::from(team)).await?;
            tx.commit().await?;
            Ok::<_, StoreError>(entered)
        }
        .await;
        match outcome {
            Ok(entered) => {
                if wants_json(&headers) {
                    return Ok(json(
                        StatusCode::OK,
                        serde_json::json!({ "ok": true, "ballot_no": entered.ballot_no }),
                    ));
                }
                Ok(Redirect::to(&format!("/rounds/{id}/count/{team}")).into_response())
            }
            Err(StoreError::Locked(_)) => Err(AppError::Locked("round".into())),
            Err(error) => {
                let message = refused(error, user.lang)?;
                if wants_json(&headers) {
                    return Ok(json(
                        StatusCode::UNPROCESSABLE_ENTITY,
                        serde_json::json!({ "ok": false, "error": message }),
                    ));
                }
                Err(AppError::bad_request(message.clone(), message))
            }
        }
    }
    .await;
    match result {
        Err(error) if wants_json(&headers) => json(
            error.status(),
            serde_json::json!({ "ok": false, "error": error.message(user.lang) }),
        ),
        other => respond(&state, &user, &headers, other),
    }
}

// ---------------------------------------------------------------------------------------------
// Reconciliation

#[derive(Debug, Serialize)]
struct Reading {
    team: u32,
    keys: String,
    words: String,
}

#[derive(Debug, Serialize)]
struct OpenBallot {
    ballot: u32,
    kind: &'static str,
    readings: Vec<Reading>,
    decided: Option<String>,
}

async fn reconcile_view(
    state: &AppState,
    user: &CurrentUser,
    headers: &HeaderMap,
    id: i64,
    error: Option<String>,
) -> Result<Response, AppError> {
    let (round, election, congress) = round_for(state, user, id, Action::View).await?;
    let round_state = state.store.round_state(round.id).await?;
    let mut open = Vec::new();
    let reading = |team: u32, ballot: Option<&KeyedBallot>| Reading {
        team,
        keys: ballot.map(KeyedBallot::keys).unwrap_or_else(|| "—".into()),
        words: ballot
            .map(|b| ballot_words(b, &round_state.names))
            .unwrap_or_else(|| user.lang.pick("(không có phiếu này)", "(no such ballot)").into()),
    };
    let decided = |n: u32| {
        round_state.decisions.get(&n).map(|d| match &d.resolution {
            Resolution::Ballot { ballot } => ballot_words(ballot, &round_state.names),
            Resolution::NoBallot => user.lang.pick("Không tính (nhập thừa)", "Not a ballot").into(),
        })
    };
    for d in &round_state.discrepancies {
        open.push(OpenBallot {
            ballot: d.ballot,
            kind: "discrepancy",
            readings: d.readings.iter().map(|(t, b)| reading(*t, b.as_ref())).collect(),
            decided: decided(d.ballot),
        });
    }
    for (index, ballot) in
        round_state.piles.first().map(|(_, p)| p.clone()).unwrap_or_default().iter().enumerate()
    {
        let n = index as u32 + 1;
        if ballot.is_doubtful() && !open.iter().any(|o| o.ballot == n) {
            open.push(OpenBallot {
                ballot: n,
                kind: "ruling",
                readings: round_state
                    .piles
                    .iter()
                    .map(|(t, p)| reading(*t, p.get(index)))
                    .collect(),
                decided: decided(n),
            });
        }
    }
    open.sort_by_key(|o| o.ballot);
    let reasons: Vec<(usize, &'static str)> = CommitteeReason::ALL
        .iter()
        .enumerate()
        .map(|(i, r)| {
            (
                i + 1,
                daihoi_format::election::result::reason_text(
                    daihoi_core::counting::InvalidReason::Committee(*r),
                    if user.lang == Lang::Vi {
                        daihoi_format::election::Lang::Vi
                    } else {
                        daihoi_format::election::Lang::En
                    },
                ),
            )
        })
        .collect();
    Ok(render(
        state,
        user,
        headers,
        "elections",
        "elections/reconcile.html",
        minijinja::context! {
            congress => Serde(&congress),
            election => Serde(ElectionView::of(&election, user.lang)),
            round => Serde(RoundView::of(&round)),
            names => Serde(&round_state.names),
            open => Serde(open),
            pending_discrepancies => round_state.pending.discrepancies.len(),
            pending_doubtful => round_state.pending.doubtful.len(),
            reasons => Serde(reasons),
            agree_disagree => round_state.form == BallotForm::AgreeDisagree,
            can_count => user.access.can(Action::Count, &congress.unit_path) && !round.is_locked(),
            error => error,
        },
    ))
}

async fn reconcile_page(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> Response {
    let result = reconcile_view(&state, &user, &headers, id, None).await;
    respond(&state, &user, &headers, result)
}

async fn decide(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
    form: FormData,
) -> Response {
    let result = async {
        let lang = user.lang;
        let (round, _, _) = round_for(&state, &user, id, Action::Count).await?;
        let names = state.store.round_names(round.id).await?;
        let form_kind = if names.len() as i64 > round.seats {
            BallotForm::StrikeThrough
        } else {
            BallotForm::AgreeDisagree
        };
        let ballot = form.get("ballot").parse::<u32>().unwrap_or(0);
        let kind = if form.get("kind") == "ruling" { "ruling" } else { "discrepancy" };
        let keys = form.get("keys");
        let resolution = if form.get("no_ballot") == "1" {
            Ok(Resolution::NoBallot)
        } else {
            keyed::parse_keys(keys, names.len() as u32, form_kind)
                .map(|ballot| {
                    let ballot = match ballot {
                        KeyedBallot::Invalid { reason, .. } => KeyedBallot::Invalid {
                            reason,
                            note: Some(form.get("note").to_string()).filter(|n| !n.is_empty()),
                        },
                        other => other,
                    };
                    Resolution::Ballot { ballot }
                })
                .map_err(|e| match lang {
                    Lang::Vi => e.message_vi(),
                    Lang::En => e.to_string(),
                })
        };
        let message = match resolution {
            Ok(resolution) => {
                let outcome = async {
                    let mut tx = state.store.begin_write(&user.actor()).await?;
                    state
                        .store
                        .decide_ballot(
                            &mut tx,
                            round.id,
                            ballot,
                            kind,
                            &resolution,
                            Some(form.get("note")),
                        )
                        .await?;
                    tx.commit().await
                }
                .await;
                match outcome {
                    Ok(()) => {
                        return Ok(Redirect::to(&format!("/rounds/{id}/reconcile")).into_response());
                    }
                    Err(StoreError::Locked(_)) => return Err(AppError::Locked("round".into())),
                    Err(error) => refused(error, lang)?,
                }
            }
            Err(message) => message,
        };
        Ok(unprocessable(
            reconcile_view(
                &state,
                &user,
                &headers,
                id,
                Some(format!("{} {ballot}: {message}", lang.pick("Phiếu số", "Ballot"))),
            )
            .await?,
        ))
    }
    .await;
    respond(&state, &user, &headers, result)
}

// ---------------------------------------------------------------------------------------------
// Results

async fn result_page(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> Response {
    let result = async {
        let (round, election, congress) = round_for(&state, &user, id, Action::View).await?;
        let view = result_view(&state, round.id, user.lang).await?;
        let rounds = state.store.rounds(election.id).await?;
        let latest = rounds.last().map(|r| r.id) == Some(round.id);
        let alternates_voted = state
            .store
            .hand_votes(congress.id)
            .await?
            .iter()
            .any(|v| v.subject == "alternates" && v.round_id == Some(round.id));
        Ok(render(
            &state,
            &user,
            &headers,
            "elections",
            "elections/result.html",
            minijinja::context! {
                congress => Serde(&congress),
                election => Serde(ElectionView::of(&election, user.lang)),
                round => Serde(RoundView::of(&round)),
                result => Serde(&view),
                latest => latest,
                alternates_voted => alternates_voted,
                can_run => user.access.can(Action::RunCongress, &congress.unit_path),
                can_count => user.access.can(Action::Count, &congress.unit_path),
            },
        ))
    }
    .await;
    respond(&state, &user, &headers, result)
}

async fn projector_page(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> Response {
    let result = async {
        let (round, election, congress) = round_for(&state, &user, id, Action::View).await?;
        let view = result_view(&state, round.id, user.lang).await?;
        let body = state.templates.render(
            "elections/projector.html",
            minijinja::context! {
                lang => user.lang.code(),
                congress => Serde(&congress),
                election => Serde(ElectionView::of(&election, user.lang)),
                round => Serde(RoundView::of(&round)),
                result => Serde(&view),
            },
        )?;
        Ok(html(body))
    }
    .await;
    respond(&state, &user, &headers, result)
}

// ---------------------------------------------------------------------------------------------
// Approvals (chuẩn y)

async fn approvals_view(
    state: &AppState,
    user: &CurrentUser,
    headers: &HeaderMap,
    error: Option<String>,
) -> Result<Response, AppError> {
    let approvals = match Subtrees::of(&user.access, Action::Approve) {
        Some(subtrees) => state.store.approvals_for(subtrees.paths()).await?,
        None => Vec::new(),
    };
    Ok(render(
        state,
        user,
        headers,
        "approvals",
        "elections/approvals.html",
        minijinja::context! {
            pending => Serde(approvals.iter().filter(|a| a.status == "pending").collect::<Vec<_>>()),
            decided => Serde(approvals.iter().filter(|a| a.status != "pending").collect::<Vec<_>>()),
            error => error,
        },
    ))
}

async fn approvals_page(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
) -> Response {
    let result = approvals_view(&state, &user, &headers, None).await;
    respond(&state, &user, &headers, result)
}

async fn decide_approval(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
    form: FormData,
) -> Response {
    let result = async {
        let approval = state.store.approval(id).await?;
        require(&user.access, Action::Approve, &approval.parent_unit_path)?;
        let approve = form.get("decision") == "approve";
        let outcome = async {
            let mut tx = state.store.begin_write(&user.actor()).await?;
            state.store.decide_approval(&mut tx, id, approve, Some(form.get("note"))).await?;
            tx.commit().await
        }
        .await;
        match outcome {
            Ok(()) => Ok(Redirect::to("/approvals").into_response()),
            Err(error) => {
                let message = refused(error, user.lang)?;
                Ok(unprocessable(approvals_view(&state, &user, &headers, Some(message)).await?))
            }
        }
    }
    .await;
    respond(&state, &user, &headers, result)
}
