//! Importing units and members under a unit (upload, preview with every problem, confirm,
//! progress) and exporting a unit's subtree as CSV or XLSX.
//!
//! Import state lives in memory ([`ImportJobs`] in the `AppState`), not in a table: an import is
//! one database transaction, so if the process stops the transaction rolls back and the job is
//! gone with it; a table would keep a "running" row that no process runs any more. Parsed
//! uploads wait there for the user's confirmation for at most 30 minutes.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use daihoi_core::access::{Access, Action};
use daihoi_core::records::{MemberFile, RowProblem, UnitFile};
use daihoi_format::table::{
    Cell, CsvWriter, Table, TableFormat, XLSX_MAX_ROWS, read_table, write_xlsx,
};
use daihoi_format::{members_file, units_file};
use daihoi_store::{
    AuditFilter, BulkSummary, ImportError, ImportScope, ImportSource, Page, Store, Unit,
};
use minijinja::context;
use serde::Deserialize;
use sha2::{Digest, Sha256};

use crate::auth::CurrentUser;
use crate::pages::{render, respond};
use crate::routing::RouteList;
use crate::{AppError, AppState, Lang};

/// Routes of this module.
pub fn routes() -> RouteList {
    RouteList::new()
        .get("/units/{id}/import", form)
        .post("/units/{id}/import", upload)
        .post("/units/{id}/import/{token}", confirm)
        .get("/units/{id}/import/jobs/{job}", job_page)
        .get("/units/{id}/import/jobs/{job}/progress", job_progress)
        .get("/units/{id}/export.csv", export_csv)
        .get("/units/{id}/export.xlsx", export_xlsx)
}

/// How long a parsed upload waits for its confirmation.
const PENDING_TTL: Duration = Duration::from_secs(30 * 60);
/// How long a finished job's result stays readable.
const JOB_TTL: Duration = Duration::from_secs(2 * 60 * 60);
/// Rows shown in the preview.
const PREVIEW_ROWS: usize = 20;
/// Problems listed on one page (the count says how many more there are).
const SHOWN_PROBLEMS: usize = 500;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum What {
    Units,
    Members,
}

impl What {
    fn parse(text: &str) -> Option<What> {
        match text {
            "units" => Some(What::Units),
            "members" => Some(What::Members),
            _ => None,
        }
    }

    fn code(self) -> &'static str {
        match self {
            What::Units => "units",
            What::Members => "members",
        }
    }

    fn action(self) -> Action {
        match self {
            What::Units => Action::EditUnits,
            What::Members => Action::EditMembers,
        }
    }
}

#[derive(Debug)]
enum Parsed {
    Units(UnitFile),
    Members(MemberFile),
}

#[derive(Debug)]
struct Pending {
    user_id: i64,
    unit_id: i64,
    parsed: Parsed,
    source: ImportSource,
    rows: u64,
    created: Instant,
}

#[derive(Debug, Clone)]
enum JobState {
    Running,
    Done(BulkSummary),
    Rejected(Vec<RowProblem>),
    Failed,
}

/// One import running (or finished) in the background.
#[derive(Debug)]
struct Job {
    user_id: i64,
    unit_id: i64,
    what: What,
    file_name: String,
    total: u64,
    done: AtomicU64,
    state: Mutex<JobState>,
    finished: Mutex<Option<Instant>>,
}

/// Uploads waiting for confirmation and imports under way, shared by every request.
#[derive(Debug, Default)]
pub struct ImportJobs {
    pending: Mutex<HashMap<String, Pending>>,
    jobs: Mutex<HashMap<String, Arc<Job>>>,
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    // A panic while holding the lock leaves plain data behind; keep serving it.
    mutex.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl ImportJobs {
    fn add_pending(&self, pending: Pending) -> String {
        let token = daihoi_store::users::random_secret();
        let mut map = lock(&self.pending);
        map.retain(|_, p| p.created.elapsed() < PENDING_TTL);
        // At most three waiting uploads per user: a parsed file can be large.
        let mut mine: Vec<(String, Instant)> = map
            .iter()
            .filter(|(_, p)| p.user_id == pending.user_id)
            .map(|(k, p)| (k.clone(), p.created))
            .collect();
        mine.sort_by_key(|(_, created)| *created);
        while mine.len() >= 3 {
            let (oldest, _) = mine.remove(0);
            map.remove(&oldest);
        }
        map.insert(token.clone(), pending);
        token
    }

    fn take_pending(&self, token: &str, user_id: i64, unit_id: i64) -> Option<Pending> {
        let mut map = lock(&self.pending);
        match map.get(token) {
            Some(p)
                if p.user_id == user_id
                    && p.unit_id == unit_id
                    && p.created.elapsed() < PENDING_TTL =>
            {
                map.remove(token)
            }
            _ => None,
        }
    }

    fn add_job(&self, job: Arc<Job>) -> String {
        let id = daihoi_store::users::random_secret();
        let mut jobs = lock(&self.jobs);
        jobs.retain(|_, job| lock(&job.finished).is_none_or(|at| at.elapsed() < JOB_TTL));
        jobs.insert(id.clone(), job);
        id
    }

    fn job(&self, id: &str, user_id: i64, unit_id: i64) -> Option<Arc<Job>> {
        lock(&self.jobs)
            .get(id)
            .filter(|job| job.user_id == user_id && job.unit_id == unit_id)
            .cloned()
    }
}

/// The unit, if the user may see it (404 otherwise, so other units' existence does not leak).
async fn visible_unit(state: &AppState, user: &CurrentUser, id: i64) -> Result<Unit, AppError> {
    let unit = state.store.unit(id).await?;
    if !user.access.can(Action::View, &unit.path) {
        return Err(AppError::NotFound);
    }
    Ok(unit)
}

fn unit_context(unit: &Unit) -> minijinja::Value {
    context! {
        id => unit.id,
        name => unit.name.clone(),
        kind_vi => unit.kind.label_vi(),
        kind_en => unit.kind.label_en(),
    }
}

fn problems_context(problems: &[RowProblem], lang: Lang) -> Vec<minijinja::Value> {
    problems
        .iter()
        .take(SHOWN_PROBLEMS)
        .map(|problem| {
            context! {
                row => problem.row,
                column => problem.column.clone(),
                message => lang.pick(&problem.message_vi, &problem.message_en).to_string(),
            }
        })
        .collect()
}

async fn form(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> Response {
    let result = async {
        let unit = visible_unit(&state, &user, id).await?;
        let can_units = user.access.can(Action::EditUnits, &unit.path);
        let can_members = user.access.can(Action::EditMembers, &unit.path);
        if !can_units && !can_members {
            return Err(AppError::Forbidden);
        }
        Ok(render(
            &state,
            &user,
            &headers,
            "units",
            "import/form.html",
            context! {
                unit => unit_context(&unit),
                can_units => can_units,
                can_members => can_members,
                unit_headers => units_file::export_headers(),
                member_headers => members_file::export_headers(),
            },
        ))
    }
    .await;
    respond(&state, &user, &headers, result)
}

/// One part of a `multipart/form-data` body.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Part {
    pub(crate) name: String,
    pub(crate) filename: Option<String>,
    pub(crate) data: Vec<u8>,
}

fn find(haystack: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    if needle.is_empty() || from > haystack.len() {
        return None;
    }
    haystack[from..].windows(needle.len()).position(|window| window == needle).map(|at| at + from)
}

fn header_param(headers: &str, name: &str) -> Option<String> {
    // `form-data; name="file"; filename="đơn vị.csv"`: browsers send the name in UTF-8 and
    // escape a double quote as %22.
    let key = format!("{name}=\"");
    let start = headers.find(&key)? + key.len();
    let end = headers[start..].find('"')? + start;
    Some(headers[start..end].replace("%22", "\""))
}

/// Splits a `multipart/form-data` body into its parts (RFC 7578). Only what browsers send
/// is understood: CRLF line ends, a boundary parameter, a Content-Disposition per part.
pub(crate) fn multipart(content_type: &str, body: &[u8]) -> Option<Vec<Part>> {
    let boundary = content_type
        .split(';')
        .map(str::trim)
        .find_map(|param| param.strip_prefix("boundary="))?
        .trim_matches('"');
    let delimiter = format!("--{boundary}").into_bytes();
    let mut next_delimiter = b"\r\n".to_vec();
    next_delimiter.extend_from_slice(&delimiter);
    let mut parts = Vec::new();
    let mut position = find(body, &delimiter, 0)? + delimiter.len();
    loop {
        let rest = &body[position..];
        if rest.starts_with(b"--") {
            return Some(parts);
        }
        if !rest.starts_with(b"\r\n") {
            return None;
        }
        position += 2;
        let headers_end = find(body, b"\r\n\r\n", position)?;
        let headers = String::from_utf8_lossy(&body[position..headers_end]).into_owned();
        let data_start = headers_end + 4;
        let data_end = find(body, &next_delimiter, data_start)?;
        let disposition = headers
            .lines()
            .find(|line| line.to_ascii_lowercase().starts_with("content-disposition:"))
            .unwrap_or("");
        parts.push(Part {
            name: header_param(disposition, "name").unwrap_or_default(),
            filename: header_param(disposition, "filename"),
            data: body[data_start..data_end].to_vec(),
        });
        position = data_end + next_delimiter.len();
    }
}

#[derive(Debug, Deserialize)]
struct UploadQuery {
    what: Option<String>,
}

fn preview_rows(table: &Table) -> Vec<Vec<String>> {
    table
        .rows
        .iter()
        .take(PREVIEW_ROWS)
        .map(|row| {
            let mut cells = vec![row.number.to_string()];
            cells.extend(row.cells.iter().map(|cell| cell.text().unwrap_or_default()));
            cells
        })
        .collect()
}

async fn upload(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Query(query): Query<UploadQuery>,
    body: Bytes,
) -> Response {
    let result = async {
        let unit = visible_unit(&state, &user, id).await?;
        let content_type =
            headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
        let parts = multipart(content_type, &body).ok_or_else(|| {
            AppError::bad_request("Không đọc được tệp gửi lên.", "The upload could not be read.")
        })?;
        let field = |name: &str| parts.iter().find(|part| part.name == name);
        let what_text = field("what")
            .map(|part| String::from_utf8_lossy(&part.data).trim().to_string())
            .or(query.what)
            .unwrap_or_default();
        let what = What::parse(&what_text).ok_or_else(|| {
            AppError::bad_request(
                "Hãy chọn nhập đơn vị hay nhập đảng viên.",
                "Choose whether to import units or members.",
            )
        })?;
        if !user.access.can(what.action(), &unit.path) {
            return Err(AppError::Forbidden);
        }
        let file = field("file").filter(|part| !part.data.is_empty()).ok_or_else(|| {
            AppError::bad_request("Hãy chọn tệp CSV hoặc XLSX.", "Choose a CSV or XLSX file.")
        })?;
        let file_name = file.filename.clone().unwrap_or_else(|| "upload".into());
        let format = TableFormat::detect(&file_name, &file.data);
        let source = ImportSource {
            file_name: file_name.clone(),
            sha256: hex::encode(Sha256::digest(&file.data)),
        };
        let scope = ImportScope { access: Some(&user.access), under: Some(unit.id) };
        let mut problems = Vec::new();
        let mut warnings = Vec::new();
        let mut table_headers = Vec::new();
        let mut rows = Vec::new();
        let mut n_rows = 0;
        let mut parsed = None;
        match read_table(&file.data, format) {
            Err(problem) => problems.push(problem),
            Ok(table) => {
                table_headers = table.headers.clone();
                rows = preview_rows(&table);
                n_rows = table.rows.len() as u64;
                let checked = match what {
                    What::Units => match units_file::read_units(&table) {
                        Err(found) => Err(found),
                        Ok(file) => {
                            let check = state.store.check_unit_import(&file, &scope).await?;
                            Ok((check, Parsed::Units(file)))
                        }
                    },
                    What::Members => match members_file::read_members(&table) {
                        Err(found) => Err(found),
                        Ok(file) => {
                            let check = state.store.check_member_import(&file, &scope).await?;
                            Ok((check, Parsed::Members(file)))
                        }
                    },
                };
                match checked {
                    Err(found) => problems = found,
                    Ok((check, file)) => {
                        problems = check.problems;
                        warnings = check.warnings;
                        if problems.is_empty() {
                            parsed = Some(file);
                        }
                    }
                }
            }
        }
        let token = parsed.map(|parsed| {
            state.imports.add_pending(Pending {
                user_id: user.user.id,
                unit_id: unit.id,
                parsed,
                source,
                rows: n_rows,
                created: Instant::now(),
            })
        });
        let status =
            if problems.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
        let mut response = render(
            &state,
            &user,
            &headers,
            "units",
            "import/preview.html",
            context! {
                unit => unit_context(&unit),
                what => what.code(),
                file_name => file_name,
                n_rows => n_rows,
                headers => table_headers,
                rows => rows,
                more_rows => n_rows as usize > PREVIEW_ROWS,
                problems => problems_context(&problems, user.lang),
                n_problems => problems.len(),
                warnings => problems_context(&warnings, user.lang),
                token => token,
            },
        );
        *response.status_mut() = status;
        Ok(response)
    }
    .await;
    respond(&state, &user, &headers, result)
}

async fn confirm(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    Path((id, token)): Path<(i64, String)>,
) -> Response {
    let result = async {
        let unit = visible_unit(&state, &user, id).await?;
        let pending =
            state.imports.take_pending(&token, user.user.id, unit.id).ok_or_else(|| {
                AppError::bad_request(
                    "Tệp chờ nhập đã hết hạn hoặc đã được nhập. Hãy tải tệp lên lại.",
                    "The upload has expired or was already imported. Upload the file again.",
                )
            })?;
        let what = match &pending.parsed {
            Parsed::Units(_) => What::Units,
            Parsed::Members(_) => What::Members,
        };
        if !user.access.can(what.action(), &unit.path) {
            return Err(AppError::Forbidden);
        }
        let job = Arc::new(Job {
            user_id: user.user.id,
            unit_id: unit.id,
            what,
            file_name: pending.source.file_name.clone(),
            total: pending.rows,
            done: AtomicU64::new(0),
            state: Mutex::new(JobState::Running),
            finished: Mutex::new(None),
        });
        let job_id = state.imports.add_job(job.clone());
        // The import runs on its own task so a large file does not hold the request open;
        // the page polls its progress. It is one transaction: all of it lands, or nothing.
        let store = state.store.clone();
        let access = user.access.clone();
        let actor = user.actor();
        let unit_id = unit.id;
        tokio::spawn(async move {
            let outcome = run_import(&store, &actor, &access, unit_id, &pending, &job).await;
            let new_state = match outcome {
                Ok(summary) => JobState::Done(summary),
                Err(ImportError::Rejected(problems)) => JobState::Rejected(problems),
                Err(ImportError::Store(error)) => {
                    tracing::error!(%error, "import failed");
                    JobState::Failed
                }
            };
            *lock(&job.state) = new_state;
            *lock(&job.finished) = Some(Instant::now());
        });
        Ok(Redirect::to(&format!("/units/{unit_id}/import/jobs/{job_id}")).into_response())
    }
    .await;
    respond(&state, &user, &headers, result)
}

async fn run_import(
    store: &Store,
    actor: &daihoi_store::Actor,
    access: &Access,
    unit_id: i64,
    pending: &Pending,
    job: &Job,
) -> Result<BulkSummary, ImportError> {
    let scope = ImportScope { access: Some(access), under: Some(unit_id) };
    let progress = |done: u64| job.done.store(done, Ordering::Relaxed);
    match &pending.parsed {
        Parsed::Units(file) => {
            store.import_units(actor, file, &scope, &pending.source, &progress).await
        }
        Parsed::Members(file) => {
            store.import_members(actor, file, &scope, &pending.source, &progress).await
        }
    }
}

async fn job_context(
    state: &AppState,
    user: &CurrentUser,
    unit: &Unit,
    job_id: &str,
    job: &Job,
) -> Result<minijinja::Value, AppError> {
    let job_state = lock(&job.state).clone();
    let done = job.done.load(Ordering::Relaxed).min(job.total);
    let percent = (done * 100).checked_div(job.total).unwrap_or(100);
    let mut result = context! {};
    match &job_state {
        JobState::Done(summary) => {
            let (entity, ids) = match job.what {
                What::Units => ("unit", summary.unit_ids),
                What::Members => ("member", summary.member_ids),
            };
            let range = ids.map(|(a, b)| format!("{a}-{b}"));
            let filter = AuditFilter {
                unit_paths: Vec::new(),
                entity: Some(entity.into()),
                entity_id: range.clone(),
            };
            let entry = match range {
                Some(_) => state.store.audit_entries(&filter, Page::new(1, 1)).await?.items.pop(),
                None => None,
            };
            let new_units = match (job.what, summary.unit_ids) {
                (What::Units, Some((first, last))) => {
                    let ids: Vec<i64> = (first..=last).take(50).collect();
                    let mut units = state.store.units_by_ids(&ids).await?;
                    units.sort_by_key(|u| u.id);
                    units
                        .iter()
                        .filter(|u| user.access.can(Action::View, &u.path))
                        .map(|u| context! { id => u.id, name => u.name.clone(), kind_vi => u.kind.label_vi(), kind_en => u.kind.label_en() })
                        .collect()
                }
                _ => Vec::new(),
            };
            result = context! {
                units => summary.units,
                members => summary.members,
                new_units => new_units,
                audit => entry.map(|e| context! { seq => e.seq, action => e.action, hash => e.hash, at => e.at }),
            };
        }
        JobState::Rejected(problems) => {
            result = context! { problems => problems_context(problems, user.lang) };
        }
        JobState::Running | JobState::Failed => {}
    }
    Ok(context! {
        unit => unit_context(unit),
        job_id => job_id,
        what => job.what.code(),
        file_name => job.file_name.clone(),
        total => job.total,
        done => done,
        percent => percent,
        state => match job_state {
            JobState::Running => "running",
            JobState::Done(_) => "done",
            JobState::Rejected(_) => "rejected",
            JobState::Failed => "failed",
        },
        result => result,
    })
}

async fn job_page(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    Path((id, job_id)): Path<(i64, String)>,
) -> Response {
    let result = async {
        let unit = visible_unit(&state, &user, id).await?;
        let job = state.imports.job(&job_id, user.user.id, unit.id).ok_or(AppError::NotFound)?;
        let ctx = job_context(&state, &user, &unit, &job_id, &job).await?;
        Ok(render(&state, &user, &headers, "units", "import/job.html", context! { job => ctx }))
    }
    .await;
    respond(&state, &user, &headers, result)
}

async fn job_progress(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    Path((id, job_id)): Path<(i64, String)>,
) -> Response {
    let result = async {
        let unit = visible_unit(&state, &user, id).await?;
        let job = state.imports.job(&job_id, user.user.id, unit.id).ok_or(AppError::NotFound)?;
        let ctx = job_context(&state, &user, &unit, &job_id, &job).await?;
        Ok(render(
            &state,
            &user,
            &headers,
            "units",
            "import/progress.html",
            context! { job => ctx },
        ))
    }
    .await;
    respond(&state, &user, &headers, result)
}

#[derive(Debug, Deserialize)]
struct ExportQuery {
    what: Option<String>,
}

/// Every row of an export of `unit`'s subtree.
async fn export_rows(store: &Store, unit: &Unit, what: What) -> Result<Vec<Vec<Cell>>, AppError> {
    let mut rows = Vec::new();
    match what {
        What::Units => {
            for unit in store.subtree_units(unit.id).await? {
                let line = units_file::UnitLine {
                    id: unit.id,
                    parent_id: unit.parent_id,
                    name: unit.name,
                    kind: unit.kind,
                    issuer_abbrev: unit.issuer_abbrev,
                    official: unit.official,
                    probationary: unit.probationary,
                    valid_from: unit.valid_from,
                    valid_to: unit.valid_to,
                    note: unit.note,
                };
                rows.push(line.cells());
            }
        }
        What::Members => {
            let mut cursor = None;
            loop {
                let (page, next) =
                    store.subtree_members_page(&unit.path, cursor.as_ref(), 10_000).await?;
                if page.is_empty() {
                    break;
                }
                for (member, unit_name) in page {
                    let line = members_file::MemberLine {
                        full_name: member.full_name,
                        birth_date: member.birth_date,
                        sex: member.sex,
                        ethnicity: member.ethnicity,
                        joined_date: member.joined_date,
                        membership: member.membership,
                        status: member.status,
                        education: member.education,
                        theory_level: member.theory_level,
                        unit_id: member.unit_id,
                        unit_name,
                        note: member.note,
                    };
                    rows.push(line.cells());
                }
                cursor = next;
            }
        }
    }
    Ok(rows)
}

pub(crate) fn attachment(content_type: &str, file_name: &str, body: Vec<u8>) -> Response {
    // The ASCII fallback name plus the UTF-8 one (RFC 6266) for the Vietnamese name.
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

async fn export(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
    what: Option<String>,
    format: TableFormat,
) -> Result<Response, AppError> {
    let unit = visible_unit(state, user, id).await?;
    let what = What::parse(what.as_deref().unwrap_or("units")).ok_or_else(|| {
        AppError::bad_request(
            "Tham số what phải là units hoặc members.",
            "what must be units or members.",
        )
    })?;
    // A page request builds the whole file in memory: past a spreadsheet's worth of rows,
    // the command line (`daihoi export`, which streams) is the tool.
    let n_rows = match what {
        What::Units => unit.sub_units + 1,
        What::Members => unit.sub_official + unit.sub_probationary,
    };
    if n_rows as usize >= XLSX_MAX_ROWS {
        return Err(AppError::bad_request(
            format!(
                "Có {n_rows} dòng, quá nhiều để tải qua trang web: hãy dùng lệnh “daihoi export” hoặc chọn đơn vị nhỏ hơn."
            ),
            format!(
                "{n_rows} rows are too many for a download from the page: use “daihoi export” or a smaller unit."
            ),
        ));
    }
    let rows = export_rows(&state.store, &unit, what).await?;
    if rows.len() >= XLSX_MAX_ROWS {
        return Err(AppError::bad_request(
            "Quá nhiều dòng để tải qua trang web: hãy dùng lệnh “daihoi export”.",
            "Too many rows for a download from the page: use “daihoi export”.",
        ));
    }
    let headers = match what {
        What::Units => units_file::export_headers(),
        What::Members => members_file::export_headers(),
    };
    let stem = match what {
        What::Units => "don-vi",
        What::Members => "dang-vien",
    };
    match format {
        TableFormat::Csv => {
            let mut writer = CsvWriter::new(Vec::new(), &headers, true)
                .map_err(|e| AppError::Internal(e.to_string()))?;
            for row in &rows {
                writer.row(row).map_err(|e| AppError::Internal(e.to_string()))?;
            }
            let body = writer.finish().map_err(|e| AppError::Internal(e.to_string()))?;
            Ok(attachment("text/csv; charset=utf-8", &format!("{stem}-{}.csv", unit.id), body))
        }
        TableFormat::Xlsx => {
            let sheet = match what {
                What::Units => "Đơn vị",
                What::Members => "Đảng viên",
            };
            let body =
                write_xlsx(sheet, &headers, rows).map_err(|e| AppError::Internal(e.to_string()))?;
            Ok(attachment(
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                &format!("{stem}-{}.xlsx", unit.id),
                body,
            ))
        }
    }
}

async fn export_csv(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Query(query): Query<ExportQuery>,
) -> Response {
    let result = export(&state, &user, id, query.what, TableFormat::Csv).await;
    respond(&state, &user, &headers, result)
}

async fn export_xlsx(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Query(query): Query<ExportQuery>,
) -> Response {
    let result = export(&state, &user, id, query.what, TableFormat::Xlsx).await;
    respond(&state, &user, &headers, result)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn multipart_bodies_split_into_named_parts() {
        let body =
            b"--XyZ\r\nContent-Disposition: form-data; name=\"what\"\r\n\r\nunits\r\n--XyZ\r\n\
Content-Disposition: form-data; name=\"file\"; filename=\"\xc4\x91\xc6\xa1n v\xe1\xbb\x8b.csv\"\r\n\
Content-Type: text/csv\r\n\r\na,b\r\n1,2\r\n\r\n--XyZ--\r\n";
        let parts = multipart("multipart/form-data; boundary=XyZ", body).unwrap();
        assert_eq!(parts.len(), 2);
        assert_eq!(parts[0], Part { name: "what".into(), filename: None, data: b"units".to_vec() });
        assert_eq!(parts[1].name, "file");
        assert_eq!(parts[1].filename.as_deref(), Some("đơn vị.csv"));
        assert_eq!(parts[1].data, b"a,b\r\n1,2\r\n");
        assert!(multipart("multipart/form-data", body).is_none());
        assert!(multipart("multipart/form-data; boundary=XyZ", b"garbage").is_none());
    }
}
