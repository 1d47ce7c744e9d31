//! The unit tree in the browser: the user's subtrees, a unit's page (breadcrumbs, facts, subtree
//! figures, registry-rule warnings, the paged and sorted table of units under it, a lazily
//! loaded tree), and the forms that create, edit, move and retire units.

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use daihoi_core::access::Action;
use daihoi_core::unit::{Lineage, UnitKind, check_unit, may_elect_cell_committee};
use daihoi_store::{NewUnit, Page, Unit, UnitEdit, UnitSort};
use minijinja::Value;
use minijinja::value::Serde;
use serde::{Deserialize, Serialize};

use super::forms::{
    FieldErrors, FormData, Refusal, count_field, date_value, form_date, id_field, optional_date,
    refusal,
};
use super::listing::{QueryParams, descending, page_number, pagination, sort_headers};
use super::{html, render, respond};
use crate::auth::CurrentUser;
use crate::routing::RouteList;
use crate::scope::{Subtrees, unit_for};
use crate::{AppError, AppState, Lang};

/// Units under a unit shown per page of its table.
const CHILDREN_PAGE_SIZE: u32 = 25;
/// Units listed when a tree node is expanded; the rest are one link away.
const TREE_NODE_LIMIT: u32 = 100;
/// Results of a unit search in a picker.
const PICKER_LIMIT: i64 = 12;

/// Routes of this module.
pub fn routes() -> RouteList {
    RouteList::new()
        .get("/units", index)
        .get("/units/new", new_form)
        .post("/units/new", create)
        .get("/units/picker", picker)
        .get("/units/{id}", show)
        .get("/units/{id}/tree", tree)
        .get("/units/{id}/edit", edit_form)
        .post("/units/{id}/edit", update)
        .get("/units/{id}/move", move_form)
        .post("/units/{id}/move", move_unit)
        .get("/units/{id}/retire", retire_form)
        .post("/units/{id}/retire", retire)
}

/// A unit as templates see it: dates as `YYYY-MM-DD` text for the `vndate` filter.
#[derive(Debug, Clone, Serialize)]
pub struct UnitView {
    id: i64,
    name: String,
    kind: &'static str,
    kind_vi: &'static str,
    kind_en: &'static str,
    issuer_abbrev: String,
    declared_official: i64,
    declared_probationary: i64,
    roster_size: i64,
    official: i64,
    probationary: i64,
    sub_units: i64,
    sub_official: i64,
    sub_probationary: i64,
    valid_from: Option<String>,
    valid_to: Option<String>,
    retired: bool,
    note: String,
    version: i64,
    counted_from_roster: bool,
    may_have_children: bool,
    /// Cells keep the member rosters (every member belongs to a cell, Statute Art. 21).
    is_cell: bool,
}

impl UnitView {
    /// The view of a stored unit.
    pub fn of(unit: &Unit) -> UnitView {
        let iso = |date| Some(date_value(date)).filter(|text| !text.is_empty());
        UnitView {
            id: unit.id,
            name: unit.name.clone(),
            kind: unit.kind.code(),
            kind_vi: unit.kind.label_vi(),
            kind_en: unit.kind.label_en(),
            issuer_abbrev: unit.issuer_abbrev.clone().unwrap_or_default(),
            declared_official: unit.declared_official,
            declared_probationary: unit.declared_probationary,
            roster_size: unit.roster_size,
            official: unit.official,
            probationary: unit.probationary,
            sub_units: unit.sub_units,
            sub_official: unit.sub_official,
            sub_probationary: unit.sub_probationary,
            valid_from: iso(unit.valid_from),
            valid_to: iso(unit.valid_to),
            retired: unit.retired,
            note: unit.note.clone().unwrap_or_default(),
            version: unit.version,
            counted_from_roster: unit.counted_from_roster(),
            may_have_children: unit.kind.may_have_children(),
            is_cell: unit.kind.is_cell(),
        }
    }
}

/// A node of the expandable tree.
#[derive(Debug, Clone, Serialize)]
struct TreeNode {
    unit: UnitView,
    /// Children shown already (the node is rendered expanded).
    children: Vec<TreeNode>,
    /// Children not shown in `children` (a "see all" link).
    more: i64,
}

/// An option of a select, label already in the page's language.
#[derive(Debug, Clone, Serialize)]
pub struct SelectOption {
    value: String,
    label: String,
}

impl SelectOption {
    /// An option.
    pub fn new(value: impl Into<String>, label: impl Into<String>) -> SelectOption {
        SelectOption { value: value.into(), label: label.into() }
    }
}

fn kind_options(lang: Lang) -> Vec<SelectOption> {
    UnitKind::ALL
        .iter()
        .map(|kind| SelectOption::new(kind.code(), lang.pick(kind.label_vi(), kind.label_en())))
        .collect()
}

fn lineage_options(lang: Lang) -> Vec<SelectOption> {
    vec![
        SelectOption::new("", lang.pick("Không (thành lập mới)", "None (newly formed)")),
        SelectOption::new(
            Lineage::MergedFrom.code(),
            lang.pick("Hình thành do sáp nhập từ", "Formed by merging"),
        ),
        SelectOption::new(
            Lineage::SplitFrom.code(),
            lang.pick("Hình thành do chia tách từ", "Formed by splitting"),
        ),
    ]
}

// ---------------------------------------------------------------------------------------------
// Browsing

async fn index(State(state): State<AppState>, user: CurrentUser, headers: HeaderMap) -> Response {
    let result = async {
        let Some(subtrees) = Subtrees::of(&user.access, Action::View) else {
            return Ok(render(
                &state,
                &user,
                &headers,
                "units",
                "units/index.html",
                minijinja::context! { nodes => Serde(Vec::<TreeNode>::new()) },
            ));
        };
        let ids: Vec<i64> =
            user.access.roots(Action::View).iter().map(|grant| grant.unit_id).collect();
        let mut roots = state.store.units_by_ids(&ids).await?;
        roots.sort_by(|a, b| a.depth.cmp(&b.depth).then_with(|| a.name.cmp(&b.name)));
        debug_assert_eq!(roots.len(), subtrees.paths().len());
        let mut nodes = Vec::new();
        // One query per subtree root the user holds (a handful at most).
        for root in &roots {
            let children = state
                .store
                .children(root.id, UnitSort::Name, false, false, Page::new(1, TREE_NODE_LIMIT))
                .await?;
            nodes.push(TreeNode {
                unit: UnitView::of(root),
                more: children.total - children.items.len() as i64,
                children: children
                    .items
                    .iter()
                    .map(|child| TreeNode {
                        unit: UnitView::of(child),
                        children: Vec::new(),
                        more: 0,
                    })
                    .collect(),
            });
        }
        Ok(render(
            &state,
            &user,
            &headers,
            "units",
            "units/index.html",
            minijinja::context! { nodes => Serde(nodes) },
        ))
    }
    .await;
    respond(&state, &user, &headers, result)
}

/// `GET /units/{id}/tree`: the children of a node, as `<li>` items (htmx swaps them in).
async fn tree(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> Response {
    let result = async {
        let unit = unit_for(&state, &user.access, id, Action::View).await?;
        let children = state
            .store
            .children(unit.id, UnitSort::Name, false, false, Page::new(1, TREE_NODE_LIMIT))
            .await?;
        let nodes: Vec<TreeNode> = children
            .items
            .iter()
            .map(|child| TreeNode { unit: UnitView::of(child), children: Vec::new(), more: 0 })
            .collect();
        let ctx = super::PageCtx::for_user(&user, "units");
        let body = state.templates.render(
            "units/tree.html",
            ctx.with(minijinja::context! {
                nodes => Serde(nodes),
                parent => Serde(UnitView::of(&unit)),
                more => children.total - children.items.len() as i64,
            }),
        )?;
        Ok(html(body))
    }
    .await;
    respond(&state, &user, &headers, result)
}

#[derive(Debug, Deserialize, Default)]
struct ShowQuery {
    sort: Option<String>,
    dir: Option<String>,
    page: Option<String>,
    retired: Option<String>,
    done: Option<String>,
}

fn sort_key(sort: UnitSort) -> &'static str {
    match sort {
        UnitSort::Name => "name",
        UnitSort::Members => "members",
        UnitSort::Kind => "kind",
    }
}

/// A finding of the registry rules, in the page's language.
#[derive(Debug, Clone, Serialize)]
struct Warning {
    code: &'static str,
    message: String,
}

/// A unit of the lineage with its relation, for the facts list.
#[derive(Debug, Clone, Serialize)]
struct LineageLink {
    id: i64,
    name: String,
    relation: &'static str,
}

async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Query(query): Query<ShowQuery>,
) -> Response {
    let result = async {
        let lang = user.lang;
        let unit = unit_for(&state, &user.access, id, Action::View).await?;
        let ancestors = state.store.ancestors(&unit).await?;
        let parent_kind = ancestors.last().map(|parent| parent.kind);
        // Breadcrumbs show only the part of the path the user may see.
        let breadcrumbs: Vec<_> = ancestors
            .iter()
            .filter(|ancestor| user.access.can(Action::View, &ancestor.path))
            .map(|ancestor| minijinja::context! { id => ancestor.id, name => ancestor.name.clone() })
            .collect();
        let counts = state.store.child_counts(unit.id).await?;
        let sort = UnitSort::parse(query.sort.as_deref().unwrap_or(""));
        let desc = descending(query.dir.as_deref());
        let include_retired = query.retired.as_deref() == Some("1");
        let page = Page::new(page_number(query.page.as_deref()), CHILDREN_PAGE_SIZE);
        let children = state.store.children(unit.id, sort, desc, include_retired, page).await?;
        let (sources, successors) = state.store.lineage(unit.id).await?;
        let visible_lineage = |links: Vec<(daihoi_store::UnitRef, Lineage)>| {
            let total = links.len();
            let shown: Vec<LineageLink> = links
                .into_iter()
                .filter(|(unit_ref, _)| user.access.can(Action::View, &unit_ref.path))
                .map(|(unit_ref, relation)| LineageLink {
                    id: unit_ref.id,
                    name: unit_ref.name,
                    relation: relation.code(),
                })
                .collect();
            let hidden = total - shown.len();
            (shown, hidden)
        };
        let (sources, hidden_sources) = visible_lineage(sources);
        let (successors, hidden_successors) = visible_lineage(successors);
        let warnings: Vec<Warning> = registry_findings(&unit, parent_kind, counts.active)
            .into_iter()
            .map(|finding| Warning {
                code: finding.code,
                message: lang.pick(&finding.message_vi, &finding.message_en).to_string(),
            })
            .collect();
        let cell_committee =
            !unit.retired && may_elect_cell_committee(unit.kind, unit.official);
        let base = format!("/units/{}", unit.id);
        let params = QueryParams::new()
            .with("sort", if sort == UnitSort::Name { "" } else { sort_key(sort) })
            .with("dir", if desc { "desc" } else { "" })
            .with("retired", if include_retired { "1" } else { "" });
        let headers_sort =
            sort_headers(&["name", "kind", "members"], sort_key(sort), desc, &base, &params);
        let pager = pagination(
            children.total,
            children.page,
            children.page_size,
            children.items.len(),
            &base,
            &params.clone().with("page", children.page.to_string()),
        );
        let retired_toggle = params.set("retired", if include_retired { "" } else { "1" }).href(&base);
        let can_edit = user.access.can(Action::EditUnits, &unit.path);
        let done = match query.done.as_deref() {
            Some("created") => Some(lang.pick("Đã thêm tổ chức đảng.", "The unit was created.")),
            Some("updated") => Some(lang.pick("Đã lưu thay đổi.", "Your changes were saved.")),
            Some("moved") => Some(lang.pick(
                "Đã chuyển tổ chức đảng sang đơn vị cấp trên mới.",
                "The unit was moved under its new parent.",
            )),
            Some("retired") => Some(lang.pick("Đã giải thể tổ chức đảng.", "The unit was retired.")),
            _ => None,
        };
        // The tree starts folded at this unit: expanding it asks for its children.
        let node = TreeNode { unit: UnitView::of(&unit), children: Vec::new(), more: 0 };
        Ok(render(
            &state,
            &user,
            &headers,
            "units",
            "units/show.html",
            minijinja::context! {
                unit => Serde(UnitView::of(&unit)),
                node => Serde(node),
                breadcrumbs => breadcrumbs,
                parent => ancestors.last().filter(|p| user.access.can(Action::View, &p.path)).map(|p| minijinja::context! { id => p.id, name => p.name.clone() }),
                children => Serde(children.items.iter().map(UnitView::of).collect::<Vec<_>>()),
                sort_headers => Serde(headers_sort),
                pagination => Serde(pager),
                counts => minijinja::context! { active => counts.active, retired => counts.retired },
                include_retired => include_retired,
                retired_toggle => retired_toggle,
                sources => Serde(sources),
                successors => Serde(successors),
                hidden_lineage => hidden_sources + hidden_successors,
                warnings => Serde(warnings),
                cell_committee => cell_committee,
                can_edit => can_edit,
                can_edit_members => user.access.can(Action::EditMembers, &unit.path),
                can_read_audit => user.access.can(Action::ReadAudit, &unit.path),
                done => done,
            },
        ))
    }
    .await;
    respond(&state, &user, &headers, result)
}

/// The registry rules' findings for a unit as it stands, shown as warnings on its page and in
/// the API. The member-count rules look at the whole subtree: a grassroots committee's members
/// sit in its cells, and the Statute counts them all (Điều lệ Đảng Art. 21).
pub fn registry_findings(
    unit: &Unit,
    parent_kind: Option<UnitKind>,
    n_children: i64,
) -> Vec<daihoi_core::unit::UnitFinding> {
    if unit.retired {
        return Vec::new();
    }
    let mut findings = check_unit(&unit.facts(parent_kind, n_children));
    if unit.parent_id.is_none() {
        findings.retain(|finding| finding.code != "parent_required");
    }
    findings
}

// ---------------------------------------------------------------------------------------------
// Unit pickers: choosing a unit by typing part of its name

/// What a picker chooses, which decides its scope and its input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PickerKind {
    /// The parent of a new unit, or the new parent of a moved one (units the user may edit).
    Parent,
    /// Units a new unit was merged or split from (any visible unit, retired ones included).
    Lineage,
    /// The unit over whose subtree a role is granted (units where the user manages accounts).
    Grant,
}

impl PickerKind {
    fn parse(text: &str) -> Option<PickerKind> {
        match text {
            "parent" => Some(PickerKind::Parent),
            "lineage" => Some(PickerKind::Lineage),
            "grant" => Some(PickerKind::Grant),
            _ => None,
        }
    }

    fn code(self) -> &'static str {
        match self {
            PickerKind::Parent => "parent",
            PickerKind::Lineage => "lineage",
            PickerKind::Grant => "grant",
        }
    }

    /// The action the user must hold on a chosen unit.
    pub fn action(self) -> Action {
        match self {
            PickerKind::Parent => Action::EditUnits,
            PickerKind::Lineage => Action::View,
            PickerKind::Grant => Action::ManageUsers,
        }
    }

    /// The name of the search box (`parent_q`), also the id the error summary links to.
    pub fn search_input(self) -> &'static str {
        match self {
            PickerKind::Parent => "parent_q",
            PickerKind::Lineage => "lineage_q",
            PickerKind::Grant => "grant_q",
        }
    }

    /// The name of the radio buttons or checkboxes carrying the chosen ids.
    pub fn choice_input(self) -> &'static str {
        match self {
            PickerKind::Parent => "parent_id",
            PickerKind::Lineage => "lineage_id",
            PickerKind::Grant => "unit_id",
        }
    }

    fn multiple(self) -> bool {
        self == PickerKind::Lineage
    }
}

/// A unit offered in a picker, with its parent's name to tell apart units of the same name.
#[derive(Debug, Clone, Serialize)]
pub struct Choice {
    id: i64,
    name: String,
    kind_vi: &'static str,
    kind_en: &'static str,
    parent_name: String,
    retired: bool,
    checked: bool,
}

/// Everything the picker include needs.
#[derive(Debug, Clone, Serialize)]
pub struct PickerView {
    kind: &'static str,
    search_input: &'static str,
    choice_input: &'static str,
    input_type: &'static str,
    label: String,
    hint: String,
    query: String,
    selected: Vec<Choice>,
    results: Vec<Choice>,
    searched: bool,
}

/// The choices for these units, with their parents' names (one query); a parent outside the
/// user's subtrees stays unnamed.
async fn choices(
    state: &AppState,
    user: &CurrentUser,
    units: &[Unit],
    checked: bool,
) -> Result<Vec<Choice>, AppError> {
    let parent_ids: Vec<i64> = units.iter().filter_map(|unit| unit.parent_id).collect();
    let mut parents = state.store.units_by_ids(&parent_ids).await?;
    parents.retain(|parent| user.access.can(Action::View, &parent.path));
    Ok(units
        .iter()
        .map(|unit| Choice {
            id: unit.id,
            name: unit.name.clone(),
            kind_vi: unit.kind.label_vi(),
            kind_en: unit.kind.label_en(),
            parent_name: unit
                .parent_id
                .and_then(|parent_id| parents.iter().find(|parent| parent.id == parent_id))
                .map(|parent| parent.name.clone())
                .unwrap_or_default(),
            retired: unit.retired,
            checked,
        })
        .collect())
}

/// Units matching a typed name inside the picker's scope.
async fn search_choices(
    state: &AppState,
    user: &CurrentUser,
    kind: PickerKind,
    query: &str,
) -> Result<Vec<Unit>, AppError> {
    let Some(subtrees) = Subtrees::of(&user.access, kind.action()) else {
        return Ok(Vec::new());
    };
    let include_retired = kind == PickerKind::Lineage;
    Ok(state.store.search_units(query, subtrees.paths(), include_retired, PICKER_LIMIT).await?)
}

/// Builds a picker for a form: the chosen units checked, and search results if the user typed
/// something that did not resolve to one unit.
pub async fn picker_view(
    state: &AppState,
    user: &CurrentUser,
    kind: PickerKind,
    label: String,
    hint: String,
    query: &str,
    selected: &[Unit],
    search: bool,
) -> Result<PickerView, AppError> {
    let selected_choices = choices(state, user, selected, true).await?;
    let results = if search && !query.trim().is_empty() {
        let found = search_choices(state, user, kind, query).await?;
        let found: Vec<Unit> = found
            .into_iter()
            .filter(|unit| !selected.iter().any(|chosen| chosen.id == unit.id))
            .collect();
        choices(state, user, &found, false).await?
    } else {
        Vec::new()
    };
    Ok(PickerView {
        kind: kind.code(),
        search_input: kind.search_input(),
        choice_input: kind.choice_input(),
        input_type: if kind.multiple() { "checkbox" } else { "radio" },
        label,
        hint,
        query: query.to_string(),
        selected: selected_choices,
        results,
        searched: search && !query.trim().is_empty(),
    })
}

/// The units a submitted picker chose: the checked ids (each checked against the user's access:
/// a unit outside it is "not found"), or, when none is checked and a name was typed, the one
/// unit matching it. `Ok(None)`-like outcomes are reported as field errors.
pub async fn picked_units(
    state: &AppState,
    user: &CurrentUser,
    form: &FormData,
    kind: PickerKind,
    errors: &mut FieldErrors,
) -> Result<Vec<Unit>, AppError> {
    let mut ids: Vec<i64> = Vec::new();
    for text in form.all(kind.choice_input()) {
        match text.parse::<i64>() {
            Ok(id) if !ids.contains(&id) => ids.push(id),
            Ok(_) => {}
            Err(_) => return Err(AppError::NotFound),
        }
    }
    let mut units = Vec::new();
    for id in ids {
        units.push(unit_for(state, &user.access, id, kind.action()).await?);
    }
    let typed = form.get(kind.search_input());
    if units.is_empty() && !typed.is_empty() {
        let found = search_choices(state, user, kind, typed).await?;
        match found.len() {
            1 => units.extend(found),
            0 => errors.add_tr(
                user.lang,
                kind.search_input(),
                "Không tìm thấy tổ chức đảng nào có tên như vậy trong phạm vi của bạn.",
                "No unit with such a name in your scope.",
            ),
            n => errors.add(
                kind.search_input(),
                match user.lang {
                    Lang::Vi => format!("Có {n} tổ chức đảng khớp với tên đã gõ: hãy chọn một."),
                    Lang::En => format!("{n} units match what you typed: choose one."),
                },
            ),
        }
    }
    Ok(units)
}

#[derive(Debug, Deserialize)]
struct PickerQuery {
    field: Option<String>,
    parent_q: Option<String>,
    lineage_q: Option<String>,
    grant_q: Option<String>,
}

/// `GET /units/picker?field=parent&parent_q=…`: the matching units as radio buttons or
/// checkboxes (an htmx fragment).
async fn picker(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    Query(query): Query<PickerQuery>,
) -> Response {
    let result = async {
        let kind = query.field.as_deref().and_then(PickerKind::parse).ok_or_else(|| {
            AppError::bad_request("Thiếu loại ô chọn đơn vị.", "Unknown picker field.")
        })?;
        let typed = match kind {
            PickerKind::Parent => query.parent_q,
            PickerKind::Lineage => query.lineage_q,
            PickerKind::Grant => query.grant_q,
        }
        .unwrap_or_default();
        let view =
            picker_view(&state, &user, kind, String::new(), String::new(), &typed, &[], true)
                .await?;
        let ctx = super::PageCtx::for_user(&user, "units");
        Ok(html(
            state
                .templates
                .render("units/picker.html", ctx.with(minijinja::context! { p => Serde(view) }))?,
        ))
    }
    .await;
    respond(&state, &user, &headers, result)
}

// ---------------------------------------------------------------------------------------------
// Create and edit

/// The unit form's values as typed, kept when the form comes back with errors.
#[derive(Debug, Clone, Serialize, Default)]
struct UnitValues {
    name: String,
    kind: String,
    issuer_abbrev: String,
    declared_official: String,
    declared_probationary: String,
    valid_from: String,
    valid_to: String,
    note: String,
    lineage_relation: String,
    version: String,
}

impl UnitValues {
    fn of(unit: &Unit) -> UnitValues {
        UnitValues {
            name: unit.name.clone(),
            kind: unit.kind.code().to_string(),
            issuer_abbrev: unit.issuer_abbrev.clone().unwrap_or_default(),
            declared_official: unit.declared_official.to_string(),
            declared_probationary: unit.declared_probationary.to_string(),
            valid_from: form_date(unit.valid_from),
            valid_to: form_date(unit.valid_to),
            note: unit.note.clone().unwrap_or_default(),
            lineage_relation: String::new(),
            version: unit.version.to_string(),
        }
    }

    fn from_form(form: &FormData) -> UnitValues {
        UnitValues {
            name: form.get("name").to_string(),
            kind: form.get("kind").to_string(),
            issuer_abbrev: form.get("issuer_abbrev").to_string(),
            declared_official: form.get("declared_official").to_string(),
            declared_probationary: form.get("declared_probationary").to_string(),
            valid_from: form.get("valid_from").to_string(),
            valid_to: form.get("valid_to").to_string(),
            note: form.get("note").to_string(),
            lineage_relation: form.get("lineage_relation").to_string(),
            version: form.get("version").to_string(),
        }
    }
}

/// The input showing a store rule's field.
fn unit_input(field: &str) -> &'static str {
    match field {
        "name" => "name",
        "kind" => "kind",
        "parent" => "parent_q",
        "official" | "declared_official" => "declared_official",
        "probationary" | "declared_probationary" => "declared_probationary",
        "valid_from" => "valid_from",
        "valid_to" => "valid_to",
        "lineage" => "lineage_q",
        "issuer_abbrev" => "issuer_abbrev",
        "note" => "note",
        _ => "name",
    }
}

/// The fields common to creating and editing, read and checked.
fn read_unit_fields(form: &FormData, lang: Lang, errors: &mut FieldErrors) -> UnitEdit {
    let name = form.get("name").to_string();
    if name.is_empty() {
        errors.add_tr(
            lang,
            "name",
            "Hãy nhập tên tổ chức đảng, ví dụ “Chi bộ Tổ dân phố 3”.",
            "Enter the unit's name, for example “Chi bộ Tổ dân phố 3”.",
        );
    }
    let kind = UnitKind::parse(form.get("kind"));
    if kind.is_none() {
        errors.add_tr(lang, "kind", "Hãy chọn loại tổ chức đảng.", "Choose the kind of unit.");
    }
    let issuer_abbrev = form.get("issuer_abbrev");
    if issuer_abbrev.chars().count() > 20 {
        errors.add_tr(
            lang,
            "issuer_abbrev",
            "Ký hiệu viết tắt dài quá 20 ký tự.",
            "The abbreviation is longer than 20 characters.",
        );
    }
    let declared_official = count_field(form, "declared_official", lang, errors);
    let declared_probationary = count_field(form, "declared_probationary", lang, errors);
    let valid_from = optional_date(form, "valid_from", lang, errors);
    let valid_to = optional_date(form, "valid_to", lang, errors);
    let note = form.get("note");
    UnitEdit {
        name,
        kind: kind.unwrap_or(UnitKind::Cell),
        issuer_abbrev: Some(issuer_abbrev.to_string()).filter(|text| !text.is_empty()),
        declared_official,
        declared_probationary,
        valid_from,
        valid_to,
        note: Some(note.to_string()).filter(|text| !text.is_empty()),
    }
}

#[derive(Debug, Deserialize)]
struct NewQuery {
    parent: Option<String>,
}

/// What the unit form template needs besides the common page context.
struct UnitFormPage {
    mode: &'static str,
    unit: Option<Unit>,
    values: UnitValues,
    errors: FieldErrors,
    stale: Option<String>,
    parent_picker: Option<PickerView>,
    lineage_picker: Option<PickerView>,
}

fn render_unit_form(
    state: &AppState,
    user: &CurrentUser,
    headers: &HeaderMap,
    page: UnitFormPage,
) -> Response {
    let status = if page.errors.is_empty() && page.stale.is_none() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let mut response = render(
        state,
        user,
        headers,
        "units",
        "units/form.html",
        minijinja::context! {
            mode => page.mode,
            unit => Serde(page.unit.as_ref().map(UnitView::of)),
            v => Serde(page.values),
            errors => page.errors.to_value(),
            stale => page.stale,
            parent_picker => Serde(page.parent_picker),
            lineage_picker => Serde(page.lineage_picker),
            kind_options => Serde(kind_options(user.lang)),
            lineage_options => Serde(lineage_options(user.lang)),
        },
    );
    if response.status() == StatusCode::OK {
        *response.status_mut() = status;
    }
    response
}

fn parent_labels(lang: Lang) -> (String, String) {
    (
        lang.pick("Đơn vị cấp trên trực tiếp", "Parent unit").to_string(),
        lang.pick(
            "Gõ vài chữ trong tên đơn vị cấp trên (không cần dấu) rồi chọn trong danh sách.",
            "Type part of the parent unit's name (accents optional), then choose it in the list.",
        )
        .to_string(),
    )
}

fn lineage_labels(lang: Lang) -> (String, String) {
    (
        lang.pick("Tổ chức đảng trước sáp nhập, chia tách", "Units merged or split from")
            .to_string(),
        lang.pick(
            "Không bắt buộc. Gõ tên để tìm; có thể chọn nhiều đơn vị, kể cả đơn vị đã giải thể.",
            "Optional. Type a name to search; you may choose several units, retired ones too.",
        )
        .to_string(),
    )
}

async fn new_form(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    Query(query): Query<NewQuery>,
) -> Response {
    let result = async {
        let parent = match query.parent.as_deref().filter(|text| !text.is_empty()) {
            Some(text) => {
                let id = text.parse::<i64>().map_err(|_| AppError::NotFound)?;
                Some(unit_for(&state, &user.access, id, Action::EditUnits).await?)
            }
            None => {
                if !user.access.can_anywhere(Action::EditUnits) {
                    return Err(AppError::Forbidden);
                }
                None
            }
        };
        let (label, hint) = parent_labels(user.lang);
        let selected: Vec<Unit> = parent.iter().cloned().collect();
        let parent_picker =
            picker_view(&state, &user, PickerKind::Parent, label, hint, "", &selected, false)
                .await?;
        let (label, hint) = lineage_labels(user.lang);
        let lineage_picker =
            picker_view(&state, &user, PickerKind::Lineage, label, hint, "", &[], false).await?;
        let default_kind = parent
            .as_ref()
            .and_then(|parent| {
                UnitKind::ALL.into_iter().rev().find(|kind| kind.may_sit_under(parent.kind))
            })
            .map(|kind| kind.code().to_string())
            .unwrap_or_default();
        Ok(render_unit_form(
            &state,
            &user,
            &headers,
            UnitFormPage {
                mode: "create",
                unit: None,
                values: UnitValues { kind: default_kind, ..UnitValues::default() },
                errors: FieldErrors::new(),
                stale: None,
                parent_picker: Some(parent_picker),
                lineage_picker: Some(lineage_picker),
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
        let lang = user.lang;
        if !user.access.can_anywhere(Action::EditUnits) {
            return Err(if user.access.can_anywhere(Action::View) {
                AppError::Forbidden
            } else {
                AppError::NotFound
            });
        }
        let mut errors = FieldErrors::new();
        let fields = read_unit_fields(&form, lang, &mut errors);
        let parents = picked_units(&state, &user, &form, PickerKind::Parent, &mut errors).await?;
        let parent = parents.first().cloned();
        if parent.is_none() && !errors.list().iter().any(|e| e.field == "parent_q") {
            errors.add_tr(
                lang,
                "parent_q",
                "Hãy chọn đơn vị cấp trên trực tiếp.",
                "Choose the parent unit.",
            );
        }
        let sources = picked_units(&state, &user, &form, PickerKind::Lineage, &mut errors).await?;
        let relation = match form.get("lineage_relation") {
            "merged_from" => Some(Lineage::MergedFrom),
            "split_from" => Some(Lineage::SplitFrom),
            _ => None,
        };
        if relation.is_some() && sources.is_empty() {
            errors.add_tr(
                lang,
                "lineage_q",
                "Hãy chọn tổ chức đảng trước sáp nhập hoặc chia tách.",
                "Choose the units it was merged or split from.",
            );
        }
        if relation.is_none() && !sources.is_empty() {
            errors.add_tr(
                lang,
                "lineage_relation",
                "Hãy cho biết đơn vị được hình thành do sáp nhập hay chia tách.",
                "Say whether the unit was formed by merging or by splitting.",
            );
        }
        if errors.is_empty()
            && let Some(parent) = &parent
        {
            let new = NewUnit {
                parent_id: Some(parent.id),
                name: fields.name.clone(),
                kind: fields.kind,
                issuer_abbrev: fields.issuer_abbrev.clone(),
                declared_official: fields.declared_official,
                declared_probationary: fields.declared_probationary,
                valid_from: fields.valid_from,
                valid_to: fields.valid_to,
                note: fields.note.clone(),
                lineage: match relation {
                    Some(relation) => sources.iter().map(|source| (source.id, relation)).collect(),
                    None => Vec::new(),
                },
            };
            let outcome = async {
                let mut tx = state.store.begin_write(&user.actor()).await?;
                let (unit, _) = state.store.create_unit(&mut tx, new).await?;
                tx.commit().await?;
                Ok(unit)
            }
            .await;
            match outcome {
                Ok(unit) => {
                    return Ok(
                        Redirect::to(&format!("/units/{}?done=created", unit.id)).into_response()
                    );
                }
                Err(error) => match refusal(error, lang, unit_input) {
                    Refusal::Field(field_error) => {
                        errors.add(&field_error.field, field_error.message)
                    }
                    Refusal::Stale(message) => errors.add("name", message),
                    Refusal::Other(error) => return Err(error.into()),
                },
            }
        }
        let (label, hint) = parent_labels(lang);
        let parent_picker = picker_view(
            &state,
            &user,
            PickerKind::Parent,
            label,
            hint,
            form.get("parent_q"),
            &parents,
            parents.is_empty(),
        )
        .await?;
        let (label, hint) = lineage_labels(lang);
        let lineage_picker = picker_view(
            &state,
            &user,
            PickerKind::Lineage,
            label,
            hint,
            form.get("lineage_q"),
            &sources,
            sources.is_empty(),
        )
        .await?;
        Ok(render_unit_form(
            &state,
            &user,
            &headers,
            UnitFormPage {
                mode: "create",
                unit: None,
                values: UnitValues::from_form(&form),
                errors,
                stale: None,
                parent_picker: Some(parent_picker),
                lineage_picker: Some(lineage_picker),
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
        let unit = unit_for(&state, &user.access, id, Action::EditUnits).await?;
        Ok(render_unit_form(
            &state,
            &user,
            &headers,
            UnitFormPage {
                mode: "edit",
                values: UnitValues::of(&unit),
                unit: Some(unit),
                errors: FieldErrors::new(),
                stale: None,
                parent_picker: None,
                lineage_picker: None,
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
        let unit = unit_for(&state, &user.access, id, Action::EditUnits).await?;
        let mut errors = FieldErrors::new();
        let edit = read_unit_fields(&form, lang, &mut errors);
        let version = id_field(&form, "version").unwrap_or(-1);
        let mut stale = None;
        if errors.is_empty() {
            let outcome = async {
                let mut tx = state.store.begin_write(&user.actor()).await?;
                let (unit, _) = state.store.update_unit(&mut tx, unit.id, version, edit).await?;
                tx.commit().await?;
                Ok(unit)
            }
            .await;
            match outcome {
                Ok(unit) => {
                    return Ok(
                        Redirect::to(&format!("/units/{}?done=updated", unit.id)).into_response()
                    );
                }
                Err(error) => match refusal(error, lang, unit_input) {
                    Refusal::Field(field_error) => {
                        errors.add(&field_error.field, field_error.message)
                    }
                    Refusal::Stale(message) => stale = Some(message),
                    Refusal::Other(error) => return Err(error.into()),
                },
            }
        }
        Ok(render_unit_form(
            &state,
            &user,
            &headers,
            UnitFormPage {
                mode: "edit",
                values: UnitValues::from_form(&form),
                unit: Some(unit),
                errors,
                stale,
                parent_picker: None,
                lineage_picker: None,
            },
        ))
    }
    .await;
    respond(&state, &user, &headers, result)
}

// ---------------------------------------------------------------------------------------------
// Move and retire

fn render_move(
    state: &AppState,
    user: &CurrentUser,
    headers: &HeaderMap,
    unit: &Unit,
    current_parent: Option<&Unit>,
    picker: PickerView,
    errors: FieldErrors,
    stale: Option<String>,
    version: String,
) -> Response {
    let failed = !errors.is_empty() || stale.is_some();
    let mut response = render(
        state,
        user,
        headers,
        "units",
        "units/move.html",
        minijinja::context! {
            unit => Serde(UnitView::of(unit)),
            current_parent => Serde(current_parent.filter(|p| user.access.can(Action::View, &p.path)).map(UnitView::of)),
            picker => Serde(picker),
            errors => errors.to_value(),
            stale => stale,
            version => version,
        },
    );
    if failed && response.status() == StatusCode::OK {
        *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    response
}

fn move_labels(lang: Lang) -> (String, String) {
    (
        lang.pick("Đơn vị cấp trên mới", "New parent unit").to_string(),
        lang.pick(
            "Gõ vài chữ trong tên đơn vị sẽ quản lý tổ chức đảng này rồi chọn. Toàn bộ đơn vị trực thuộc và đảng viên được chuyển theo.",
            "Type part of the name of the unit that will lead this one, then choose it. Every unit and member under it moves too.",
        )
        .to_string(),
    )
}

async fn move_form(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> Response {
    let result = async {
        let unit = unit_for(&state, &user.access, id, Action::EditUnits).await?;
        if unit.parent_id.is_none() {
            return Err(AppError::bad_request(
                "Không thể chuyển đơn vị gốc.",
                "The root unit cannot be moved.",
            ));
        }
        let current_parent = match unit.parent_id {
            Some(parent_id) => Some(state.store.unit(parent_id).await?),
            None => None,
        };
        let (label, hint) = move_labels(user.lang);
        let picker =
            picker_view(&state, &user, PickerKind::Parent, label, hint, "", &[], false).await?;
        let version = unit.version.to_string();
        Ok(render_move(
            &state,
            &user,
            &headers,
            &unit,
            current_parent.as_ref(),
            picker,
            FieldErrors::new(),
            None,
            version,
        ))
    }
    .await;
    respond(&state, &user, &headers, result)
}

async fn move_unit(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
    form: FormData,
) -> Response {
    let result = async {
        let lang = user.lang;
        let unit = unit_for(&state, &user.access, id, Action::EditUnits).await?;
        let mut errors = FieldErrors::new();
        let parents = picked_units(&state, &user, &form, PickerKind::Parent, &mut errors).await?;
        let version = id_field(&form, "version").unwrap_or(-1);
        let mut stale = None;
        match parents.first() {
            None if errors.is_empty() => errors.add_tr(
                lang,
                "parent_q",
                "Hãy chọn đơn vị cấp trên mới.",
                "Choose the new parent unit.",
            ),
            None => {}
            Some(new_parent) => {
                let outcome = async {
                    let mut tx = state.store.begin_write(&user.actor()).await?;
                    let moved =
                        state.store.move_unit(&mut tx, unit.id, version, new_parent.id).await?;
                    tx.commit().await?;
                    Ok(moved)
                }
                .await;
                match outcome {
                    Ok(moved) => {
                        return Ok(Redirect::to(&format!("/units/{}?done=moved", moved.id))
                            .into_response());
                    }
                    Err(error) => match refusal(error, lang, |_| "parent_q") {
                        Refusal::Field(field_error) => {
                            errors.add(&field_error.field, field_error.message)
                        }
                        Refusal::Stale(message) => stale = Some(message),
                        Refusal::Other(error) => return Err(error.into()),
                    },
                }
            }
        }
        let current_parent = match unit.parent_id {
            Some(parent_id) => Some(state.store.unit(parent_id).await?),
            None => None,
        };
        let (label, hint) = move_labels(lang);
        let picker = picker_view(
            &state,
            &user,
            PickerKind::Parent,
            label,
            hint,
            form.get("parent_q"),
            &parents,
            parents.is_empty(),
        )
        .await?;
        Ok(render_move(
            &state,
            &user,
            &headers,
            &unit,
            current_parent.as_ref(),
            picker,
            errors,
            stale,
            form.get("version").to_string(),
        ))
    }
    .await;
    respond(&state, &user, &headers, result)
}

fn render_retire(
    state: &AppState,
    user: &CurrentUser,
    headers: &HeaderMap,
    unit: &Unit,
    values: Value,
    errors: FieldErrors,
    stale: Option<String>,
) -> Response {
    let failed = !errors.is_empty() || stale.is_some();
    let mut response = render(
        state,
        user,
        headers,
        "units",
        "units/retire.html",
        minijinja::context! {
            unit => Serde(UnitView::of(unit)),
            v => values,
            errors => errors.to_value(),
            stale => stale,
        },
    );
    if failed && response.status() == StatusCode::OK {
        *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    response
}

async fn retire_form(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> Response {
    let result = async {
        let unit = unit_for(&state, &user.access, id, Action::EditUnits).await?;
        let values = minijinja::context! {
            valid_to => form_date(Some(daihoi_store::today())),
            confirm => false,
            version => unit.version.to_string(),
        };
        Ok(render_retire(&state, &user, &headers, &unit, values, FieldErrors::new(), None))
    }
    .await;
    respond(&state, &user, &headers, result)
}

async fn retire(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
    form: FormData,
) -> Response {
    let result = async {
        let lang = user.lang;
        let unit = unit_for(&state, &user.access, id, Action::EditUnits).await?;
        let mut errors = FieldErrors::new();
        let valid_to = optional_date(&form, "valid_to", lang, &mut errors);
        if valid_to.is_none() && errors.is_empty() {
            errors.add_tr(
                lang,
                "valid_to",
                "Hãy nhập ngày giải thể.",
                "Enter the date the unit ceases to exist.",
            );
        }
        let confirmed = form.get("confirm") == "yes";
        if !confirmed {
            errors.add_tr(
                lang,
                "confirm",
                "Hãy đánh dấu ô xác nhận giải thể.",
                "Tick the box to confirm the retirement.",
            );
        }
        let version = id_field(&form, "version").unwrap_or(-1);
        let mut stale = None;
        if let (true, Some(valid_to)) = (errors.is_empty(), valid_to) {
            let outcome = async {
                let mut tx = state.store.begin_write(&user.actor()).await?;
                let retired = state.store.retire_unit(&mut tx, unit.id, version, valid_to).await?;
                tx.commit().await?;
                Ok(retired)
            }
            .await;
            match outcome {
                Ok(retired) => {
                    return Ok(Redirect::to(&format!("/units/{}?done=retired", retired.id))
                        .into_response());
                }
                Err(error) => match refusal(error, lang, |_| "valid_to") {
                    Refusal::Field(field_error) => {
                        errors.add(&field_error.field, field_error.message)
                    }
                    Refusal::Stale(message) => stale = Some(message),
                    Refusal::Other(error) => return Err(error.into()),
                },
            }
        }
        let values = minijinja::context! {
            valid_to => form.get("valid_to"),
            confirm => confirmed,
            version => form.get("version"),
        };
        Ok(render_retire(&state, &user, &headers, &unit, values, errors, stale))
    }
    .await;
    respond(&state, &user, &headers, result)
}
