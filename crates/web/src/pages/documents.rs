//! The document register in the browser: the list with search and filters, a document's page
//! with its links, attachments (upload checked by content, download with its type and name) and
//! the conferences that introduced it; registering a document with a proposed next number; and
//! the records of dissemination conferences.

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use daihoi_core::access::Action;
use daihoi_core::symbol::{self, DocumentSymbol};
use daihoi_store::documents::{
    Attachment, Conference, ConferenceRecord, Document, DocumentEdit, DocumentFilter, Issuer,
    LinkKind, NewConference, NewDocument, Origin,
};
use daihoi_store::{Page, StoreError, Unit, UnitSort};
use minijinja::value::Serde;
use serde::{Deserialize, Serialize};

use super::forms::{FieldErrors, FormData, Refusal, date_value, form_date, optional_date, refusal};
use super::import::{attachment as attachment_response, multipart};
use super::listing::{QueryParams, page_number, pagination};
use super::units::SelectOption;
use super::{render, respond};
use crate::auth::CurrentUser;
use crate::routing::RouteList;
use crate::scope::{Subtrees, require, unit_for};
use crate::{AppError, AppState, Lang};

const DOCUMENTS_PAGE_SIZE: u32 = 50;

/// Routes of this module.
pub fn routes() -> RouteList {
    RouteList::new()
        .get("/documents", list)
        .get("/documents/new", new_form)
        .post("/documents/new", create)
        .get("/documents/{id}", show)
        .post("/documents/{id}/attachments", upload)
        .post("/documents/{id}/links", add_link)
        .get("/documents/{id}/edit", edit_form)
        .post("/documents/{id}/edit", update)
        .get("/documents/{id}/remove", remove_confirm)
        .post("/documents/{id}/remove", remove)
        .post("/documents/{id}/links/{link}/remove", remove_link)
        .post("/attachments/{id}/remove", remove_attachment)
        .get("/attachments/{id}", download)
        .get("/conferences", conferences)
        .get("/conferences/new", new_conference_form)
        .post("/conferences/new", create_conference)
        .get("/conferences/{id}", conference)
}

/// A document as templates see it.
#[derive(Debug, Clone, Serialize)]
pub struct DocView {
    id: i64,
    unit_id: i64,
    symbol: String,
    issued_on: String,
    doc_type: String,
    type_label: String,
    issuer_name: String,
    origin: &'static str,
    origin_label: &'static str,
    summary: String,
    signer: String,
    note: String,
}

impl DocView {
    /// The view of a document in the page's language.
    pub fn of(document: &Document, lang: Lang) -> DocView {
        DocView {
            id: document.id,
            unit_id: document.unit_id,
            symbol: document.symbol.clone(),
            issued_on: date_value(Some(document.issued_on)),
            doc_type: document.doc_type.clone(),
            type_label: symbol::document_type(&document.doc_type)
                .map(|known| lang.pick(known.vi, known.en).to_string())
                .unwrap_or_else(|| document.doc_type.clone()),
            issuer_name: document.issuer_name.clone(),
            origin: document.origin.code(),
            origin_label: lang.pick(document.origin.label_vi(), document.origin.label_en()),
            summary: document.summary.clone(),
            signer: document.signer.clone().unwrap_or_default(),
            note: document.note.clone().unwrap_or_default(),
        }
    }
}

fn type_options(lang: Lang, empty: &str) -> Vec<SelectOption> {
    let mut out = vec![SelectOption::new("", empty)];
    out.extend(symbol::DOCUMENT_TYPES.iter().map(|known| {
        SelectOption::new(known.code, format!("{} — {}", known.code, lang.pick(known.vi, known.en)))
    }));
    out
}

fn origin_options(lang: Lang, empty: Option<&str>) -> Vec<SelectOption> {
    let mut out = Vec::new();
    if let Some(empty) = empty {
        out.push(SelectOption::new("", empty));
    }
    out.extend(
        Origin::ALL
            .iter()
            .map(|o| SelectOption::new(o.code(), lang.pick(o.label_vi(), o.label_en()))),
    );
    out
}

/// The units where the user may register documents: the roots of their RunCongress grants and
/// the units directly under them.
async fn writable_units(state: &AppState, user: &CurrentUser) -> Result<Vec<Unit>, AppError> {
    let ids: Vec<i64> =
        user.access.roots(Action::RunCongress).iter().map(|grant| grant.unit_id).collect();
    let roots = state.store.units_by_ids(&ids).await?;
    let mut out = Vec::new();
    for root in roots {
        let children =
            state.store.children(root.id, UnitSort::Name, false, false, Page::new(1, 200)).await?;
        out.push(root);
        out.extend(children.items);
    }
    Ok(out)
}

// ---------------------------------------------------------------------------------------------
// The register

#[derive(Debug, Deserialize, Default)]
struct ListQuery {
    q: Option<String>,
    doc_type: Option<String>,
    year: Option<String>,
    origin: Option<String>,
    page: Option<String>,
    done: Option<String>,
}

async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    Query(query): Query<ListQuery>,
) -> Response {
    let result = async {
        let lang = user.lang;
        let text =
            |value: &Option<String>| value.as_deref().map(str::trim).unwrap_or("").to_string();
        let year: Option<i32> =
            text(&query.year).parse().ok().filter(|y| (1930..=2200).contains(y));
        let page = Page::new(page_number(query.page.as_deref()), DOCUMENTS_PAGE_SIZE);
        let params = QueryParams::new()
            .with("q", text(&query.q))
            .with("doc_type", text(&query.doc_type))
            .with("year", text(&query.year))
            .with("origin", text(&query.origin));
        let (rows, pager) = match Subtrees::of(&user.access, Action::View) {
            None => (Vec::new(), pagination(0, 1, DOCUMENTS_PAGE_SIZE, 0, "/documents", &params)),
            Some(subtrees) => {
                let filter = DocumentFilter {
                    subtree_paths: subtrees.paths().to_vec(),
                    query: Some(text(&query.q)).filter(|q| !q.is_empty()),
                    doc_type: Some(text(&query.doc_type)).filter(|t| !t.is_empty()),
                    year,
                    origin: query.origin.as_deref().and_then(Origin::parse),
                };
                let found = state.store.documents(&filter, page).await?;
                let rows: Vec<DocView> = found.items.iter().map(|d| DocView::of(d, lang)).collect();
                let pager = pagination(
                    found.total,
                    found.page,
                    found.page_size,
                    found.items.len(),
                    "/documents",
                    &params.clone().with("page", found.page.to_string()),
                );
                (rows, pager)
            }
        };
        let any_filter = [&query.q, &query.doc_type, &query.year, &query.origin]
            .iter()
            .any(|value| !text(value).is_empty());
        Ok(render(
            &state,
            &user,
            &headers,
            "documents",
            "documents/list.html",
            minijinja::context! {
                rows => Serde(rows),
                pagination => Serde(pager),
                f => minijinja::context! {
                    q => text(&query.q), doc_type => text(&query.doc_type),
                    year => text(&query.year), origin => text(&query.origin),
                },
                type_options => Serde(type_options(lang, lang.pick("Tất cả", "All"))),
                origin_options => Serde(origin_options(lang, Some(lang.pick("Tất cả", "All")))),
                any_filter => any_filter,
                can_add => user.access.can_anywhere(Action::RunCongress),
                done => (query.done.as_deref() == Some("removed"))
                    .then(|| lang.pick("Đã xóa văn bản khỏi sổ.", "The document was removed from the register.")),
            },
        ))
    }
    .await;
    respond(&state, &user, &headers, result)
}

// ---------------------------------------------------------------------------------------------
// One document

#[derive(Debug, Deserialize, Default)]
struct DoneQuery {
    done: Option<String>,
}

/// A document the caller may do `action` on.
async fn document_for(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
    action: Action,
) -> Result<Document, AppError> {
    let document = state.store.document(id).await?;
    require(&user.access, action, &document.unit_path)?;
    Ok(document)
}

#[derive(Debug, Serialize)]
struct AttachmentView {
    id: i64,
    file_name: String,
    kind: &'static str,
    size: String,
    sha256: String,
    uploaded_at: i64,
    uploaded_by: String,
}

fn attachment_view(attachment: &Attachment) -> AttachmentView {
    let kb = (attachment.size_bytes + 1023) / 1024;
    AttachmentView {
        id: attachment.id,
        file_name: attachment.file_name.clone(),
        kind: if attachment.content_type == "application/pdf" { "PDF" } else { "DOCX" },
        size: if kb >= 1024 { format!("{:.1} MB", kb as f64 / 1024.0) } else { format!("{kb} KB") },
        sha256: attachment.sha256.clone(),
        uploaded_at: attachment.uploaded_at,
        uploaded_by: attachment.uploaded_by.clone(),
    }
}

#[derive(Debug, Serialize)]
struct ConferenceRow {
    id: i64,
    held_on: String,
    title: String,
    chair_name: String,
}

fn conference_row(conference: &Conference) -> ConferenceRow {
    ConferenceRow {
        id: conference.id,
        held_on: date_value(Some(conference.held_on)),
        title: conference.title.clone(),
        chair_name: conference.chair_name.clone(),
    }
}

/// Problems of the upload and link forms on the document page.
#[derive(Default)]
struct PageProblems {
    errors: FieldErrors,
    link_errors: FieldErrors,
}

async fn document_page(
    state: &AppState,
    user: &CurrentUser,
    headers: &HeaderMap,
    document: Document,
    done: Option<&str>,
    problems: PageProblems,
) -> Result<Response, AppError> {
    let lang = user.lang;
    let unit = state.store.unit(document.unit_id).await?;
    let attachments: Vec<AttachmentView> =
        state.store.attachments(document.id).await?.iter().map(attachment_view).collect();
    let links: Vec<minijinja::Value> = state
        .store
        .links(document.id)
        .await?
        .iter()
        .map(|link| {
            let relation = if link.outgoing {
                lang.pick(link.kind.label_vi(), link.kind.label_en())
            } else {
                lang.pick(link.kind.inverse_vi(), link.kind.inverse_en())
            };
            minijinja::context! {
                id => link.id,
                outgoing => link.outgoing,
                relation => relation,
                other => Serde(DocView::of(&link.other, lang)),
            }
        })
        .collect();
    let conferences: Vec<ConferenceRow> = state
        .store
        .conferences_of_document(document.id)
        .await?
        .iter()
        .map(conference_row)
        .collect();
    let same_symbol: Vec<DocView> = match document.parsed_symbol() {
        Some(parsed) => state
            .store
            .documents_with_symbol(document.unit_id, &parsed)
            .await?
            .iter()
            .filter(|other| other.id != document.id)
            .map(|other| DocView::of(other, lang))
            .collect(),
        None => Vec::new(),
    };
    let can_edit = user.access.can(Action::RunCongress, &document.unit_path);
    let others: Vec<SelectOption> = if can_edit {
        let register = state
            .store
            .documents(
                &DocumentFilter { subtree_paths: vec![unit.path.clone()], ..Default::default() },
                Page::new(1, 500),
            )
            .await?;
        register
            .items
            .iter()
            .filter(|other| other.id != document.id && other.unit_id == document.unit_id)
            .map(|other| {
                SelectOption::new(
                    other.id.to_string(),
                    format!(
                        "{} ({}) — {}",
                        other.symbol,
                        form_date(Some(other.issued_on)),
                        other.summary
                    ),
                )
            })
            .collect()
    } else {
        Vec::new()
    };
    let link_kinds: Vec<SelectOption> = LinkKind::ALL
        .iter()
        .map(|kind| SelectOption::new(kind.code(), lang.pick(kind.label_vi(), kind.label_en())))
        .collect();
    let failed = !problems.errors.is_empty() || !problems.link_errors.is_empty();
    let done = match done {
        Some("created") => Some(lang.pick("Đã vào sổ văn bản.", "The document was registered.")),
        Some("attached") => Some(lang.pick("Đã đính kèm tệp.", "The file was attached.")),
        Some("linked") => Some(lang.pick("Đã thêm liên kết.", "The link was added.")),
        Some("edited") => Some(lang.pick("Đã sửa văn bản.", "The document was edited.")),
        Some("unlinked") => Some(lang.pick("Đã gỡ liên kết.", "The link was removed.")),
        Some("detached") => Some(lang.pick("Đã gỡ tệp đính kèm.", "The attachment was removed.")),
        _ => None,
    };
    let mut response = render(
        state,
        user,
        headers,
        "documents",
        "documents/show.html",
        minijinja::context! {
            doc => Serde(DocView::of(&document, lang)),
            unit => minijinja::context! { id => unit.id, name => unit.name.clone() },
            attachments => Serde(attachments),
            links => links,
            conferences => Serde(conferences),
            same_symbol => Serde(same_symbol),
            can_edit => can_edit,
            others => Serde(others),
            link_kinds => Serde(link_kinds),
            errors => problems.errors.to_value(),
            link_errors => problems.link_errors.to_value(),
            done => done,
            max_mb => daihoi_core::attachment::MAX_ATTACHMENT_BYTES / (1024 * 1024),
        },
    );
    if failed && response.status() == StatusCode::OK {
        *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(response)
}

async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Query(query): Query<DoneQuery>,
) -> Response {
    let result = async {
        let document = document_for(&state, &user, id, Action::View).await?;
        document_page(
            &state,
            &user,
            &headers,
            document,
            query.done.as_deref(),
            PageProblems::default(),
        )
        .await
    }
    .await;
    respond(&state, &user, &headers, result)
}

async fn upload(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
    body: Bytes,
) -> Response {
    let result = async {
        let lang = user.lang;
        let document = document_for(&state, &user, id, Action::RunCongress).await?;
        let content_type =
            headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
        let mut problems = PageProblems::default();
        let parts = multipart(content_type, &body);
        let file = parts.as_ref().and_then(|parts| {
            parts.iter().find(|part| {
                part.name == "file" && part.filename.as_deref().is_some_and(|n| !n.is_empty())
            })
        });
        match file {
            None => problems.errors.add_tr(
                lang,
                "file",
                "Hãy chọn tệp PDF hoặc DOCX để đính kèm.",
                "Choose a PDF or DOCX file to attach.",
            ),
            Some(file) => {
                let name = file.filename.clone().unwrap_or_default();
                let outcome = async {
                    let mut tx = state.store.begin_write(&user.actor()).await?;
                    let attachment =
                        state.store.add_attachment(&mut tx, document.id, &name, &file.data).await?;
                    tx.commit().await?;
                    Ok(attachment)
                }
                .await;
                match outcome {
                    Ok(_) => {
                        return Ok(Redirect::to(&format!(
                            "/documents/{}?done=attached",
                            document.id
                        ))
                        .into_response());
                    }
                    Err(error) => match refusal(error, lang, |_| "file") {
                        Refusal::Field(e) => problems.errors.add(&e.field, e.message),
                        Refusal::Stale(message) => problems.errors.add("file", message),
                        Refusal::Other(error) => return Err(error.into()),
                    },
                }
            }
        }
        document_page(&state, &user, &headers, document, None, problems).await
    }
    .await;
    respond(&state, &user, &headers, result)
}

async fn download(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> Response {
    let result = async {
        let attachment = state.store.attachment(id).await?;
        document_for(&state, &user, attachment.document_id, Action::View).await?;
        let content = state.store.attachment_content(id).await?;
        let mut response =
            attachment_response(&attachment.content_type, &attachment.file_name, content);
        response
            .headers_mut()
            .insert(header::X_CONTENT_TYPE_OPTIONS, header::HeaderValue::from_static("nosniff"));
        Ok(response)
    }
    .await;
    respond(&state, &user, &headers, result)
}

async fn add_link(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
    form: FormData,
) -> Response {
    let result = async {
        let lang = user.lang;
        let document = document_for(&state, &user, id, Action::RunCongress).await?;
        let mut problems = PageProblems::default();
        let kind = LinkKind::parse(form.get("kind"));
        let other: Option<i64> = form.get("to_id").parse().ok();
        if kind.is_none() {
            problems.link_errors.add_tr(lang, "kind", "Hãy chọn quan hệ.", "Choose the relation.");
        }
        if other.is_none() {
            problems.link_errors.add_tr(
                lang,
                "to_id",
                "Hãy chọn văn bản liên quan.",
                "Choose the related document.",
            );
        }
        if let (Some(kind), Some(other)) = (kind, other) {
            // The other end must be visible to the caller too; otherwise it does not exist.
            let target = state.store.document(other).await;
            let visible =
                target.as_ref().is_ok_and(|t| user.access.can(Action::View, &t.unit_path));
            if !visible {
                problems.link_errors.add_tr(
                    lang,
                    "to_id",
                    "Không có văn bản này trong sổ.",
                    "There is no such document in the register.",
                );
            } else {
                let outcome = async {
                    let mut tx = state.store.begin_write(&user.actor()).await?;
                    state.store.link_documents(&mut tx, document.id, other, kind).await?;
                    tx.commit().await?;
                    Ok(())
                }
                .await;
                match outcome {
                    Ok(()) => {
                        return Ok(Redirect::to(&format!(
                            "/documents/{}?done=linked",
                            document.id
                        ))
                        .into_response());
                    }
                    Err(error) => match refusal(error, lang, |_| "to_id") {
                        Refusal::Field(e) => problems.link_errors.add(&e.field, e.message),
                        Refusal::Stale(message) => problems.link_errors.add("to_id", message),
                        Refusal::Other(error) => return Err(error.into()),
                    },
                }
            }
        }
        document_page(&state, &user, &headers, document, None, problems).await
    }
    .await;
    respond(&state, &user, &headers, result)
}

// ---------------------------------------------------------------------------------------------
// Registering a document

#[derive(Debug, Clone, Serialize, Default)]
struct DocValues {
    unit: String,
    symbol: String,
    issued_on: String,
    origin: String,
    issuer_name: String,
    summary: String,
    signer: String,
    congress_id: String,
    note: String,
    doc_type: String,
}

#[derive(Debug, Deserialize, Default)]
struct NewQuery {
    unit: Option<String>,
    origin: Option<String>,
    /// The "take a number" form: type, date and congress.
    take_type: Option<String>,
    take_date: Option<String>,
    take_congress: Option<String>,
    propose: Option<String>,
}

/// Bodies outside the tree that documents commonly come from (suggestions; any name is
/// accepted).
const KNOWN_BODIES: [&str; 8] = [
    "Bộ Chính trị",
    "Ban Chấp hành Trung ương",
    "Ban Bí thư",
    "Ban Tổ chức Trung ương",
    "Văn phòng Trung ương Đảng",
    "Ban Tuyên giáo Trung ương",
    "Ủy ban Kiểm tra Trung ương",
    "Tỉnh ủy",
];

struct DocFormPage {
    units: Vec<Unit>,
    unit: Option<Unit>,
    values: DocValues,
    errors: FieldErrors,
    warnings: Vec<String>,
    proposal: Option<String>,
}

async fn render_doc_form(
    state: &AppState,
    user: &CurrentUser,
    headers: &HeaderMap,
    page: DocFormPage,
) -> Result<Response, AppError> {
    let lang = user.lang;
    let failed = !page.errors.is_empty();
    let unit_options: Vec<SelectOption> = page
        .units
        .iter()
        .map(|unit| SelectOption::new(unit.id.to_string(), unit.name.clone()))
        .collect();
    let congresses: Vec<SelectOption> = match &page.unit {
        Some(unit) => {
            let mut out = vec![SelectOption::new("", lang.pick("— Không —", "— None —"))];
            out.extend(
                state
                    .store
                    .congresses_of_unit(unit.id)
                    .await?
                    .iter()
                    .map(|c| SelectOption::new(c.id.to_string(), c.title.clone())),
            );
            out
        }
        None => Vec::new(),
    };
    let mut response = render(
        state,
        user,
        headers,
        "documents",
        "documents/form.html",
        minijinja::context! {
            unit => page.unit.as_ref().map(|u| minijinja::context! { id => u.id, name => u.name.clone(), abbrev => u.issuer_abbrev.clone() }),
            unit_options => Serde(unit_options),
            v => Serde(page.values),
            errors => page.errors.to_value(),
            warnings => page.warnings,
            proposal => page.proposal,
            type_options => Serde(type_options(lang, "—")),
            origin_options => Serde(origin_options(lang, None)),
            congress_options => Serde(congresses),
            bodies => KNOWN_BODIES.to_vec(),
        },
    );
    if failed && response.status() == StatusCode::OK {
        *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(response)
}

/// The unit of a form, which the caller must be allowed to prepare congresses in.
async fn chosen_unit(
    state: &AppState,
    user: &CurrentUser,
    text: &str,
) -> Result<Option<Unit>, AppError> {
    match text.trim().parse::<i64>() {
        Ok(id) => Ok(Some(unit_for(state, &user.access, id, Action::RunCongress).await?)),
        Err(_) if text.trim().is_empty() => Ok(None),
        Err(_) => Err(AppError::NotFound),
    }
}

async fn new_form(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    Query(query): Query<NewQuery>,
) -> Response {
    let result = async {
        let lang = user.lang;
        if !user.access.can_anywhere(Action::RunCongress) {
            return Err(AppError::Forbidden);
        }
        let unit = chosen_unit(&state, &user, query.unit.as_deref().unwrap_or("")).await?;
        let units = writable_units(&state, &user).await?;
        let text =
            |value: &Option<String>| value.as_deref().map(str::trim).unwrap_or("").to_string();
        let mut values = DocValues {
            unit: unit.as_ref().map(|u| u.id.to_string()).unwrap_or_default(),
            origin: Some(text(&query.origin))
                .filter(|o| !o.is_empty())
                .unwrap_or_else(|| "received".into()),
            doc_type: text(&query.take_type),
            issued_on: text(&query.take_date),
            congress_id: text(&query.take_congress),
            ..DocValues::default()
        };
        let mut errors = FieldErrors::new();
        let mut proposal = None;
        // "Lấy số": the next number of the unit's own documents of this type on this day.
        if query.propose.is_some()
            && let Some(unit) = &unit
        {
            values.origin = "own".into();
            let day = super::forms::parse_date(&values.issued_on);
            match (day, symbol::document_type(&values.doc_type)) {
                (None, _) => errors.add_tr(
                    lang,
                    "issued_on",
                    "Hãy nhập ngày ban hành để lấy số.",
                    "Enter the date of issue to take a number.",
                ),
                (_, None) => errors.add_tr(
                    lang,
                    "doc_type",
                    "Hãy chọn loại văn bản để lấy số.",
                    "Choose the document type to take a number.",
                ),
                (Some(day), Some(_)) => {
                    let congress_id = values.congress_id.parse().ok();
                    match state
                        .store
                        .propose_number(unit.id, &values.doc_type, day, congress_id)
                        .await
                    {
                        Ok(next) => {
                            values.symbol = next.symbol.clone();
                            values.issued_on = form_date(Some(day));
                            proposal = Some(next.symbol);
                        }
                        Err(error) => match refusal(error, lang, |_| "take_type") {
                            Refusal::Field(e) => errors.add(&e.field, e.message),
                            Refusal::Stale(message) => errors.add("take_type", message),
                            Refusal::Other(error) => return Err(error.into()),
                        },
                    }
                }
            }
        }
        render_doc_form(
            &state,
            &user,
            &headers,
            DocFormPage { units, unit, values, errors, warnings: Vec::new(), proposal },
        )
        .await
    }
    .await;
    respond(&state, &user, &headers, result)
}

fn doc_input(field: &str) -> &'static str {
    match field {
        "summary" => "summary",
        "issued_on" => "issued_on",
        "issuer_name" => "issuer_name",
        "origin" => "origin",
        "congress_id" => "congress_id",
        _ => "symbol",
    }
}

async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    form: FormData,
) -> Response {
    let result = async {
        let lang = user.lang;
        if !user.access.can_anywhere(Action::RunCongress) {
            return Err(AppError::Forbidden);
        }
        let unit = chosen_unit(&state, &user, form.get("unit")).await?;
        let values = DocValues {
            unit: form.get("unit").into(),
            symbol: form.get("symbol").into(),
            issued_on: form.get("issued_on").into(),
            origin: form.get("origin").into(),
            issuer_name: form.get("issuer_name").into(),
            summary: form.get("summary").into(),
            signer: form.get("signer").into(),
            congress_id: form.get("congress_id").into(),
            note: form.get("note").into(),
            doc_type: String::new(),
        };
        let mut errors = FieldErrors::new();
        let mut warnings = Vec::new();
        if unit.is_none() {
            errors.add_tr(lang, "unit", "Hãy chọn sổ của đơn vị nào.", "Choose whose register.");
        }
        let parsed = match DocumentSymbol::parse(&values.symbol) {
            Ok(parsed) => {
                warnings = parsed
                    .warnings
                    .iter()
                    .map(|w| lang.pick(&w.message_vi(), &w.message_en()).to_string())
                    .collect();
                Some(parsed.symbol)
            }
            Err(error) => {
                errors.add("symbol", lang.pick(&error.message_vi(), &error.message_en()));
                None
            }
        };
        let issued_on = optional_date(&form, "issued_on", lang, &mut errors);
        if issued_on.is_none() && values.issued_on.is_empty() {
            errors.add_tr(lang, "issued_on", "Hãy nhập ngày ban hành.", "Enter the date of issue.");
        }
        let origin = Origin::parse(&values.origin);
        if origin.is_none() {
            errors.add_tr(
                lang,
                "origin",
                "Hãy chọn văn bản đến hay văn bản đi.",
                "Choose received or issued.",
            );
        }
        if origin == Some(Origin::Received) && values.issuer_name.is_empty() {
            errors.add_tr(
                lang,
                "issuer_name",
                "Hãy nhập cơ quan ban hành.",
                "Enter the issuing body.",
            );
        }
        if values.summary.is_empty() {
            errors.add_tr(lang, "summary", "Hãy nhập trích yếu nội dung.", "Enter the summary.");
        }
        let congress_id: Option<i64> = values.congress_id.parse().ok();
        if let (true, Some(unit), Some(symbol), Some(issued_on), Some(origin)) =
            (errors.is_empty(), &unit, parsed, issued_on, origin)
        {
            let new = NewDocument {
                unit_id: unit.id,
                symbol,
                issued_on,
                issuer: match origin {
                    Origin::Own => Issuer::Unit(unit.id),
                    Origin::Received => Issuer::Named(values.issuer_name.clone()),
                },
                origin,
                summary: values.summary.clone(),
                signer: Some(values.signer.clone()),
                congress_id: if origin == Origin::Own { congress_id } else { None },
                note: Some(values.note.clone()),
            };
            let outcome = async {
                let mut tx = state.store.begin_write(&user.actor()).await?;
                let (document, _) =
                    state.store.create_document(&mut tx, new, daihoi_store::today()).await?;
                tx.commit().await?;
                Ok(document)
            }
            .await;
            match outcome {
                Ok(document) => {
                    return Ok(Redirect::to(&format!("/documents/{}?done=created", document.id))
                        .into_response());
                }
                Err(error) => match refusal(error, lang, doc_input) {
                    Refusal::Field(e) => errors.add(&e.field, e.message),
                    Refusal::Stale(message) => errors.add("symbol", message),
                    Refusal::Other(error) => return Err(error.into()),
                },
            }
        }
        let units = writable_units(&state, &user).await?;
        render_doc_form(
            &state,
            &user,
            &headers,
            DocFormPage { units, unit, values, errors, warnings, proposal: None },
        )
        .await
    }
    .await;
    respond(&state, &user, &headers, result)
}

// ---------------------------------------------------------------------------------------------
// Conferences

async fn conferences(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
) -> Response {
    let result = async {
        let rows: Vec<ConferenceRow> = match Subtrees::of(&user.access, Action::View) {
            Some(subtrees) => state.store.conferences(subtrees.paths()).await?.iter().map(conference_row).collect(),
            None => Vec::new(),
        };
        Ok(render(
            &state,
            &user,
            &headers,
            "documents",
            "documents/conferences.html",
            minijinja::context! { rows => Serde(rows), can_add => user.access.can_anywhere(Action::RunCongress) },
        ))
    }
    .await;
    respond(&state, &user, &headers, result)
}

async fn conference(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Query(query): Query<DoneQuery>,
) -> Response {
    let result = async {
        let lang = user.lang;
        let record: ConferenceRecord = state.store.conference(id).await?;
        require(&user.access, Action::View, &record.conference.unit_path)?;
        let unit = state.store.unit(record.conference.unit_id).await?;
        let c = &record.conference;
        let documents: Vec<minijinja::Value> = record
            .documents
            .iter()
            .map(|introduced| {
                let presenter = introduced
                    .presenter_id
                    .and_then(|pid| record.presenters.iter().find(|p| p.id == pid))
                    .map(|p| p.full_name.clone());
                minijinja::context! { doc => Serde(DocView::of(&introduced.document, lang)), presenter => presenter }
            })
            .collect();
        let joint = record.documents.iter().any(|d| d.presenter_id.is_none());
        let presenters: Vec<minijinja::Value> = record
            .presenters
            .iter()
            .map(|p| minijinja::context! { full_name => p.full_name.clone(), title => p.title.clone() })
            .collect();
        let invitees: Vec<minijinja::Value> = record
            .invitees
            .iter()
            .map(|i| minijinja::context! { unit_id => i.unit_id, unit_name => i.unit_name.clone(), attended => i.attended, attendees => i.attendees })
            .collect();
        Ok(render(
            &state,
            &user,
            &headers,
            "documents",
            "documents/conference.html",
            minijinja::context! {
                c => minijinja::context! {
                    id => c.id, held_on => date_value(Some(c.held_on)), title => c.title.clone(),
                    organiser => c.organiser.clone(), audience => c.audience.clone(), venue => c.venue.clone(),
                    chair_name => c.chair_name.clone(), chair_title => c.chair_title.clone(),
                    conclusions => c.conclusions.clone(), source => c.source.clone(),
                },
                unit => minijinja::context! { id => unit.id, name => unit.name.clone() },
                presenters => presenters,
                documents => documents,
                joint => joint,
                invitees => invitees,
                done => (query.done.as_deref() == Some("created")).then(|| lang.pick("Đã lưu hội nghị.", "The conference was recorded.")),
            },
        ))
    }
    .await;
    respond(&state, &user, &headers, result)
}

#[derive(Debug, Clone, Serialize, Default)]
struct ConferenceValues {
    unit: String,
    held_on: String,
    title: String,
    organiser: String,
    audience: String,
    venue: String,
    chair_name: String,
    chair_title: String,
    presenters: String,
    conclusions: String,
    source: String,
    documents: Vec<String>,
    invited: Vec<String>,
    attended: Vec<String>,
}

async fn render_conference_form(
    state: &AppState,
    user: &CurrentUser,
    headers: &HeaderMap,
    unit: Option<Unit>,
    values: ConferenceValues,
    errors: FieldErrors,
) -> Result<Response, AppError> {
    let lang = user.lang;
    let failed = !errors.is_empty();
    let units = writable_units(state, user).await?;
    let (documents, children) = match &unit {
        Some(unit) => {
            let register = state
                .store
                .documents(
                    &DocumentFilter {
                        subtree_paths: vec![unit.path.clone()],
                        ..Default::default()
                    },
                    Page::new(1, 500),
                )
                .await?;
            let documents: Vec<DocView> = register
                .items
                .iter()
                .filter(|d| d.unit_id == unit.id)
                .map(|d| DocView::of(d, lang))
                .collect();
            let children = state
                .store
                .children(unit.id, UnitSort::Name, false, false, Page::new(1, 200))
                .await?;
            let children: Vec<minijinja::Value> = children
                .items
                .iter()
                .map(|c| minijinja::context! { id => c.id, name => c.name.clone() })
                .collect();
            (documents, children)
        }
        None => (Vec::new(), Vec::new()),
    };
    let unit_options: Vec<SelectOption> =
        units.iter().map(|u| SelectOption::new(u.id.to_string(), u.name.clone())).collect();
    let mut response = render(
        state,
        user,
        headers,
        "documents",
        "documents/conference_form.html",
        minijinja::context! {
            unit => unit.as_ref().map(|u| minijinja::context! { id => u.id, name => u.name.clone() }),
            unit_options => Serde(unit_options),
            v => Serde(values),
            errors => errors.to_value(),
            documents => Serde(documents),
            children => children,
        },
    );
    if failed && response.status() == StatusCode::OK {
        *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(response)
}

#[derive(Debug, Deserialize, Default)]
struct UnitQuery {
    unit: Option<String>,
}

async fn new_conference_form(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    Query(query): Query<UnitQuery>,
) -> Response {
    let result = async {
        if !user.access.can_anywhere(Action::RunCongress) {
            return Err(AppError::Forbidden);
        }
        let unit = chosen_unit(&state, &user, query.unit.as_deref().unwrap_or("")).await?;
        let values = ConferenceValues {
            unit: unit.as_ref().map(|u| u.id.to_string()).unwrap_or_default(),
            ..Default::default()
        };
        render_conference_form(&state, &user, &headers, unit, values, FieldErrors::new()).await
    }
    .await;
    respond(&state, &user, &headers, result)
}

fn conference_input(field: &str) -> &'static str {
    match field {
        "held_on" => "held_on",
        "organiser" => "organiser",
        "chair_name" => "chair_name",
        "documents" => "documents",
        "invitees" => "invitees",
        _ => "title",
    }
}

async fn create_conference(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    form: FormData,
) -> Response {
    let result = async {
        let lang = user.lang;
        if !user.access.can_anywhere(Action::RunCongress) {
            return Err(AppError::Forbidden);
        }
        let unit = chosen_unit(&state, &user, form.get("unit")).await?;
        let strings =
            |name: &str| form.all(name).into_iter().map(str::to_string).collect::<Vec<_>>();
        let values = ConferenceValues {
            unit: form.get("unit").into(),
            held_on: form.get("held_on").into(),
            title: form.get("title").into(),
            organiser: form.get("organiser").into(),
            audience: form.get("audience").into(),
            venue: form.get("venue").into(),
            chair_name: form.get("chair_name").into(),
            chair_title: form.get("chair_title").into(),
            presenters: form.get("presenters").into(),
            conclusions: form.get("conclusions").into(),
            source: form.get("source").into(),
            documents: strings("documents"),
            invited: strings("invited"),
            attended: strings("attended"),
        };
        let mut errors = FieldErrors::new();
        if unit.is_none() {
            errors.add_tr(
                lang,
                "unit",
                "Hãy chọn đơn vị tổ chức hội nghị.",
                "Choose the unit holding the conference.",
            );
        }
        let held_on = optional_date(&form, "held_on", lang, &mut errors);
        if held_on.is_none() && values.held_on.is_empty() {
            errors.add_tr(
                lang,
                "held_on",
                "Hãy nhập ngày tổ chức hội nghị.",
                "Enter the day of the conference.",
            );
        }
        for (field, vi, en) in [
            ("title", "Hãy nhập tên hội nghị.", "Enter the conference's title."),
            ("organiser", "Hãy nhập cơ quan tổ chức.", "Enter who organised it."),
            ("chair_name", "Hãy nhập người chủ trì.", "Enter who chaired it."),
        ] {
            if form.get(field).is_empty() {
                errors.add_tr(lang, field, vi, en);
            }
        }
        if let (true, Some(unit)) = (errors.is_empty(), &unit) {
            // One presenter a line: "Full name; post".
            let presenters: Vec<(String, Option<String>)> = values
                .presenters
                .lines()
                .map(str::trim)
                .filter(|line| !line.is_empty())
                .map(|line| match line.split_once(';') {
                    Some((name, title)) => {
                        (name.trim().to_string(), Some(title.trim().to_string()))
                    }
                    None => (line.to_string(), None),
                })
                .collect();
            let documents: Vec<(i64, Option<usize>)> = values
                .documents
                .iter()
                .filter_map(|d| d.parse().ok())
                .map(|id| (id, None))
                .collect();
            let invitees: Vec<(i64, Option<bool>, Option<i64>)> = values
                .invited
                .iter()
                .filter_map(|i| i.parse::<i64>().ok())
                .map(|id| (id, Some(values.attended.iter().any(|a| a == &id.to_string())), None))
                .collect();
            let new = NewConference {
                unit_id: unit.id,
                held_on,
                title: values.title.clone(),
                organiser: values.organiser.clone(),
                audience: Some(values.audience.clone()),
                venue: Some(values.venue.clone()),
                chair_name: values.chair_name.clone(),
                chair_title: Some(values.chair_title.clone()),
                conclusions: Some(values.conclusions.clone()),
                source: Some(values.source.clone()),
                presenters,
                documents,
                invitees,
            };
            let outcome = async {
                let mut tx = state.store.begin_write(&user.actor()).await?;
                let record = state.store.create_conference(&mut tx, new).await?;
                tx.commit().await?;
                Ok(record)
            }
            .await;
            match outcome {
                Ok(record) => {
                    return Ok(Redirect::to(&format!(
                        "/conferences/{}?done=created",
                        record.conference.id
                    ))
                    .into_response());
                }
                Err(daihoi_store::StoreError::NotFound) => {
                    errors.add_tr(
                        lang,
                        "documents",
                        "Có văn bản hoặc đơn vị không còn trong sổ.",
                        "A document or unit chosen no longer exists.",
                    );
                }
                Err(error) => match refusal(error, lang, conference_input) {
                    Refusal::Field(e) => errors.add(&e.field, e.message),
                    Refusal::Stale(message) => errors.add("title", message),
                    Refusal::Other(error) => return Err(error.into()),
                },
            }
        }
        render_conference_form(&state, &user, &headers, unit, values, errors).await
    }
    .await;
    respond(&state, &user, &headers, result)
}

// ---------------------------------------------------------------------------------------------
// Editing and removing

async fn edit_page(
    state: &AppState,
    user: &CurrentUser,
    headers: &HeaderMap,
    document: &Document,
    values: minijinja::Value,
    errors: FieldErrors,
) -> Result<Response, AppError> {
    let lang = user.lang;
    let failed = !errors.is_empty();
    let mut response = render(
        state,
        user,
        headers,
        "documents",
        "documents/edit.html",
        minijinja::context! {
            doc => Serde(DocView::of(document, lang)),
            version => document.version,
            v => values,
            errors => errors.to_value(),
        },
    );
    if failed && response.status() == StatusCode::OK {
        *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(response)
}

async fn edit_form(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> Response {
    let result = async {
        let document = document_for(&state, &user, id, Action::RunCongress).await?;
        let values = minijinja::context! {
            summary => document.summary.clone(),
            signer => document.signer.clone().unwrap_or_default(),
            note => document.note.clone().unwrap_or_default(),
        };
        edit_page(&state, &user, &headers, &document, values, FieldErrors::default()).await
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
        let document = document_for(&state, &user, id, Action::RunCongress).await?;
        let edit = DocumentEdit {
            summary: form.get("summary").to_string(),
            signer: Some(form.get("signer").to_string()),
            note: Some(form.get("note").to_string()),
        };
        let version: i64 = form.get("version").parse().unwrap_or(-1);
        let outcome = async {
            let mut tx = state.store.begin_write(&user.actor()).await?;
            state.store.update_document(&mut tx, id, version, &edit).await?;
            tx.commit().await
        }
        .await;
        let mut errors = FieldErrors::default();
        match outcome {
            Ok(()) => {
                return Ok(Redirect::to(&format!("/documents/{id}?done=edited")).into_response());
            }
            Err(error) => match refusal(error, lang, |_| "summary") {
                Refusal::Field(e) => errors.add(&e.field, e.message),
                Refusal::Stale(message) => errors.add("summary", message),
                Refusal::Other(error) => return Err(error.into()),
            },
        }
        let values = minijinja::context! {
            summary => form.get("summary"),
            signer => form.get("signer"),
            note => form.get("note"),
        };
        edit_page(&state, &user, &headers, &document, values, errors).await
    }
    .await;
    respond(&state, &user, &headers, result)
}

/// A removal refused by the store: the document page with the message.
async fn refused_removal(
    state: &AppState,
    user: &CurrentUser,
    headers: &HeaderMap,
    document: Document,
    error: StoreError,
) -> Result<Response, AppError> {
    let mut problems = PageProblems::default();
    match refusal(error, user.lang, |_| "document") {
        Refusal::Field(e) => problems.link_errors.add("document", e.message),
        Refusal::Stale(message) => problems.link_errors.add("document", message),
        Refusal::Other(error) => return Err(error.into()),
    }
    document_page(state, user, headers, document, None, problems).await
}

/// Asks before removing: what goes with the document.
async fn remove_confirm(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> Response {
    let result = async {
        let lang = user.lang;
        let document = document_for(&state, &user, id, Action::RunCongress).await?;
        let attachments = state.store.attachments(id).await?.len();
        let links = state.store.links(id).await?.iter().filter(|l| l.outgoing).count();
        Ok(render(
            &state,
            &user,
            &headers,
            "documents",
            "documents/remove.html",
            minijinja::context! {
                doc => Serde(DocView::of(&document, lang)),
                attachments => attachments,
                links => links,
            },
        ))
    }
    .await;
    respond(&state, &user, &headers, result)
}

/// Runs a removal in its own transaction: to `done` when it commits, else the document page
/// with the store's reason.
async fn removal<F, Fut>(
    state: &AppState,
    user: &CurrentUser,
    headers: &HeaderMap,
    document: Document,
    done: String,
    change: F,
) -> Result<Response, AppError>
where
    F: FnOnce(daihoi_store::WriteTx) -> Fut,
    Fut: std::future::Future<Output = Result<(), StoreError>>,
{
    let tx = state.store.begin_write(&user.actor()).await?;
    match change(tx).await {
        Ok(()) => Ok(Redirect::to(&done).into_response()),
        Err(error) => refused_removal(state, user, headers, document, error).await,
    }
}

async fn remove(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> Response {
    let result = async {
        let document = document_for(&state, &user, id, Action::RunCongress).await?;
        let store = state.store.clone();
        let done = "/documents?done=removed".to_string();
        removal(&state, &user, &headers, document, done, |mut tx| async move {
            store.remove_document(&mut tx, id).await?;
            tx.commit().await
        })
        .await
    }
    .await;
    respond(&state, &user, &headers, result)
}

async fn remove_link(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    Path((id, link)): Path<(i64, i64)>,
) -> Response {
    let result = async {
        let document = document_for(&state, &user, id, Action::RunCongress).await?;
        // Only a link of this document, so the check above covers it.
        if !state.store.links(id).await?.iter().any(|l| l.id == link) {
            return Err(AppError::from(StoreError::NotFound));
        }
        let store = state.store.clone();
        let done = format!("/documents/{id}?done=unlinked");
        removal(&state, &user, &headers, document, done, |mut tx| async move {
            store.remove_link(&mut tx, link).await?;
            tx.commit().await
        })
        .await
    }
    .await;
    respond(&state, &user, &headers, result)
}

async fn remove_attachment(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> Response {
    let result = async {
        let attachment = state.store.attachment(id).await?;
        let document =
            document_for(&state, &user, attachment.document_id, Action::RunCongress).await?;
        let store = state.store.clone();
        let done = format!("/documents/{}?done=detached", document.id);
        removal(&state, &user, &headers, document, done, |mut tx| async move {
            store.remove_attachment(&mut tx, id).await?;
            tx.commit().await
        })
        .await
    }
    .await;
    respond(&state, &user, &headers, result)
}
