//! Accounts administration (`Action::ManageUsers`): the accounts of the administrator's scope
//! with their roles, creating an account, granting and revoking a role over a unit's subtree,
//! disabling and enabling an account. Every change is audited by the store.
//!
//! Scope: an administrator of a subtree sees the accounts holding a role inside it, grants only
//! over units inside it, and disables only accounts whose every role lies inside it; the
//! administrator of the whole tree sees every account.

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use daihoi_core::access::{Action, Role};
use daihoi_store::{Page, StoreError, User, UserGrant};
use minijinja::value::Serde;
use serde::{Deserialize, Serialize};

use super::forms::{FieldErrors, FormData, Refusal, refusal};
use super::listing::{QueryParams, page_number, pagination};
use super::units::{PickerKind, SelectOption, picked_units, picker_view};
use super::{render, respond};
use crate::auth::CurrentUser;
use crate::routing::RouteList;
use crate::scope::{Subtrees, unit_for};
use crate::{AppError, AppState, Lang};

/// Accounts per page.
const USERS_PAGE_SIZE: u32 = 50;

/// Routes of this module.
pub fn routes() -> RouteList {
    RouteList::new()
        .get("/admin/users", list)
        .get("/admin/users/new", new_form)
        .post("/admin/users/new", create)
        .get("/admin/users/{id}", show)
        .post("/admin/users/{id}/grant", grant)
        .post("/admin/users/{id}/revoke", revoke)
        .post("/admin/users/{id}/disable", disable)
        .post("/admin/users/{id}/enable", enable)
}

/// The administrator's reach: the subtrees where they manage accounts.
struct Manager {
    subtrees: Subtrees,
    whole_tree: bool,
}

impl Manager {
    /// The reach of the current user; 403 for users who manage no account at all (the
    /// accounts section is not a secret, only its content is).
    fn of(user: &CurrentUser) -> Result<Manager, AppError> {
        let subtrees =
            Subtrees::of(&user.access, Action::ManageUsers).ok_or(AppError::Forbidden)?;
        Ok(Manager { subtrees, whole_tree: user.access.is_global_admin() })
    }

    fn covers(&self, path: &str) -> bool {
        self.subtrees.paths().iter().any(|root| path.starts_with(root.as_str()))
    }

    /// The paths to list accounts by: none means every account.
    fn list_scope(&self) -> Vec<String> {
        if self.whole_tree { Vec::new() } else { self.subtrees.paths().to_vec() }
    }

    /// Whether the account is the manager's to see: it holds a role inside the reach.
    fn sees(&self, grants: &[UserGrant]) -> bool {
        self.whole_tree || grants.iter().any(|grant| self.covers(&grant.unit_path))
    }

    /// Whether the manager may disable the account: every role it holds lies inside the reach.
    fn owns(&self, grants: &[UserGrant]) -> bool {
        self.whole_tree || grants.iter().all(|grant| self.covers(&grant.unit_path))
    }
}

/// A grant as the pages show it.
#[derive(Debug, Clone, Serialize)]
struct GrantView {
    role: &'static str,
    role_label: &'static str,
    unit_id: i64,
    unit_name: String,
}

fn grant_view(grant: &UserGrant, lang: Lang) -> GrantView {
    GrantView {
        role: grant.role.code(),
        role_label: lang.pick(grant.role.label_vi(), grant.role.label_en()),
        unit_id: grant.unit_id,
        unit_name: grant.unit_name.clone(),
    }
}

fn role_options(lang: Lang, empty: Option<&str>) -> Vec<SelectOption> {
    let mut options: Vec<SelectOption> =
        empty.map(|e| SelectOption::new("", e)).into_iter().collect();
    options.extend(
        Role::ALL.iter().map(|role| {
            SelectOption::new(role.code(), lang.pick(role.label_vi(), role.label_en()))
        }),
    );
    options
}

/// An account with the roles the manager may see.
#[derive(Debug, Clone, Serialize)]
struct AccountRow {
    id: i64,
    username: String,
    display_name: String,
    disabled: bool,
    grants: Vec<GrantView>,
    hidden_grants: usize,
}

fn account_row(user: &User, grants: &[UserGrant], manager: &Manager, lang: Lang) -> AccountRow {
    let mine: Vec<&UserGrant> = grants.iter().filter(|g| g.user_id == user.id).collect();
    let shown: Vec<GrantView> = mine
        .iter()
        .filter(|grant| manager.whole_tree || manager.covers(&grant.unit_path))
        .map(|grant| grant_view(grant, lang))
        .collect();
    AccountRow {
        id: user.id,
        username: user.username.clone(),
        display_name: user.display_name.clone(),
        disabled: user.disabled,
        hidden_grants: mine.len() - shown.len(),
        grants: shown,
    }
}

// ---------------------------------------------------------------------------------------------
// List and show

#[derive(Debug, Deserialize)]
struct ListQuery {
    page: Option<String>,
}

async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    Query(query): Query<ListQuery>,
) -> Response {
    let result = async {
        let manager = Manager::of(&user)?;
        let page = Page::new(page_number(query.page.as_deref()), USERS_PAGE_SIZE);
        let users = state.store.users_page(&manager.list_scope(), page).await?;
        let ids: Vec<i64> = users.items.iter().map(|u| u.id).collect();
        let grants = state.store.grants_of_users(&ids).await?;
        let rows: Vec<AccountRow> =
            users.items.iter().map(|u| account_row(u, &grants, &manager, user.lang)).collect();
        let pager = pagination(
            users.total,
            users.page,
            users.page_size,
            users.items.len(),
            "/admin/users",
            &QueryParams::new().with("page", users.page.to_string()),
        );
        Ok(render(
            &state,
            &user,
            &headers,
            "admin",
            "admin/users.html",
            minijinja::context! { rows => Serde(rows), pagination => Serde(pager) },
        ))
    }
    .await;
    respond(&state, &user, &headers, result)
}

/// The account `id` with its grants, if the manager may see it (404 otherwise).
async fn managed_account(
    state: &AppState,
    manager: &Manager,
    id: i64,
) -> Result<(User, Vec<UserGrant>), AppError> {
    let account = state.store.user(id).await?;
    let grants = state.store.grants_of_users(&[id]).await?;
    if !manager.sees(&grants) {
        return Err(AppError::NotFound);
    }
    Ok((account, grants))
}

#[derive(Debug, Deserialize)]
struct ShowQuery {
    done: Option<String>,
}

async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Query(query): Query<ShowQuery>,
) -> Response {
    let result = async {
        let manager = Manager::of(&user)?;
        let (account, grants) = managed_account(&state, &manager, id).await?;
        render_account(
            &state,
            &user,
            &headers,
            &manager,
            &account,
            &grants,
            AccountForm::blank(),
            query.done.as_deref(),
        )
        .await
    }
    .await;
    respond(&state, &user, &headers, result)
}

/// The grant form of the account page, as typed.
struct AccountForm {
    role: String,
    errors: FieldErrors,
    picker_query: String,
    picked: Vec<daihoi_store::Unit>,
    search: bool,
}

impl AccountForm {
    fn blank() -> AccountForm {
        AccountForm {
            role: Role::Viewer.code().to_string(),
            errors: FieldErrors::new(),
            picker_query: String::new(),
            picked: Vec::new(),
            search: false,
        }
    }
}

async fn render_account(
    state: &AppState,
    user: &CurrentUser,
    headers: &HeaderMap,
    manager: &Manager,
    account: &User,
    grants: &[UserGrant],
    form: AccountForm,
    done: Option<&str>,
) -> Result<Response, AppError> {
    let lang = user.lang;
    let row = account_row(account, grants, manager, lang);
    let picker = picker_view(
        state,
        user,
        PickerKind::Grant,
        lang.pick("Phạm vi: tổ chức đảng", "Scope: unit").to_string(),
        lang.pick(
            "Vai trò áp dụng cho tổ chức đảng này và mọi tổ chức đảng trực thuộc. Gõ tên để tìm.",
            "The role applies to this unit and every unit under it. Type a name to search.",
        )
        .to_string(),
        &form.picker_query,
        &form.picked,
        form.search,
    )
    .await?;
    let done = match done {
        Some("created") => Some(lang.pick("Đã tạo tài khoản.", "The account was created.")),
        Some("granted") => Some(lang.pick("Đã phân quyền.", "The role was granted.")),
        Some("revoked") => Some(lang.pick("Đã thu hồi quyền.", "The role was revoked.")),
        Some("disabled") => Some(lang.pick(
            "Đã khóa tài khoản; các phiên đăng nhập của tài khoản đã kết thúc.",
            "The account was disabled; its sessions have ended.",
        )),
        Some("enabled") => Some(lang.pick("Đã mở khóa tài khoản.", "The account was enabled.")),
        _ => None,
    };
    let failed = !form.errors.is_empty();
    let mut response = render(
        state,
        user,
        headers,
        "admin",
        "admin/user.html",
        minijinja::context! {
            account => Serde(row),
            is_self => account.id == user.user.id,
            may_disable => account.id != user.user.id && manager.owns(grants),
            role_options => Serde(role_options(lang, None)),
            role => form.role,
            errors => form.errors.to_value(),
            picker => Serde(picker),
            done => done,
        },
    );
    if failed && response.status() == StatusCode::OK {
        *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(response)
}

// ---------------------------------------------------------------------------------------------
// Create

#[derive(Debug, Clone, Serialize, Default)]
struct NewAccountValues {
    username: String,
    display_name: String,
    lang: String,
    role: String,
}

fn account_input(field: &str) -> &'static str {
    match field {
        "username" => "username",
        "password" => "password",
        "display_name" => "display_name",
        _ => "username",
    }
}

async fn render_new(
    state: &AppState,
    user: &CurrentUser,
    headers: &HeaderMap,
    manager: &Manager,
    values: NewAccountValues,
    errors: FieldErrors,
    picker_query: &str,
    picked: &[daihoi_store::Unit],
) -> Result<Response, AppError> {
    let lang = user.lang;
    let picker = picker_view(
        state,
        user,
        PickerKind::Grant,
        lang.pick("Phạm vi: tổ chức đảng", "Scope: unit").to_string(),
        lang.pick(
            "Vai trò áp dụng cho tổ chức đảng này và mọi tổ chức đảng trực thuộc. Gõ tên để tìm.",
            "The role applies to this unit and every unit under it. Type a name to search.",
        )
        .to_string(),
        picker_query,
        picked,
        picked.is_empty(),
    )
    .await?;
    let failed = !errors.is_empty();
    let empty_role =
        manager.whole_tree.then(|| lang.pick("— Chưa phân quyền —", "— No role yet —"));
    let mut response = render(
        state,
        user,
        headers,
        "admin",
        "admin/new.html",
        minijinja::context! {
            v => Serde(values),
            errors => errors.to_value(),
            picker => Serde(picker),
            role_options => Serde(role_options(lang, empty_role)),
            lang_options => Serde(vec![SelectOption::new("vi", "Tiếng Việt"), SelectOption::new("en", "English")]),
            role_required => !manager.whole_tree,
        },
    );
    if failed && response.status() == StatusCode::OK {
        *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(response)
}

async fn new_form(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
) -> Response {
    let result = async {
        let manager = Manager::of(&user)?;
        let values = NewAccountValues {
            lang: "vi".into(),
            role: if manager.whole_tree { String::new() } else { Role::Viewer.code().into() },
            ..NewAccountValues::default()
        };
        render_new(&state, &user, &headers, &manager, values, FieldErrors::new(), "", &[]).await
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
        let manager = Manager::of(&user)?;
        let mut errors = FieldErrors::new();
        let values = NewAccountValues {
            username: form.get("username").to_string(),
            display_name: form.get("display_name").to_string(),
            lang: form.get("lang").to_string(),
            role: form.get("role").to_string(),
        };
        if values.username.is_empty() {
            errors.add_tr(lang, "username", "Hãy nhập tên đăng nhập.", "Enter a username.");
        }
        let password = form.raw("password");
        if let Err(StoreError::Rule { message_vi, message_en, .. }) =
            daihoi_store::users::check_password_policy(password)
        {
            errors.add("password", lang.pick(&message_vi, &message_en));
        }
        if password != form.raw("password_confirm") {
            errors.add_tr(
                lang,
                "password_confirm",
                "Hai lần nhập mật khẩu không khớp.",
                "The two passwords differ.",
            );
        }
        let role = Role::parse(&values.role);
        if role.is_none() && (!values.role.is_empty() || !manager.whole_tree) {
            errors.add_tr(lang, "role", "Hãy chọn vai trò.", "Choose a role.");
        }
        let units = picked_units(&state, &user, &form, PickerKind::Grant, &mut errors).await?;
        if role.is_some() && units.is_empty() && errors.list().iter().all(|e| e.field != "grant_q")
        {
            errors.add_tr(
                lang,
                "grant_q",
                "Hãy chọn tổ chức đảng mà vai trò áp dụng.",
                "Choose the unit the role applies to.",
            );
        }
        if errors.is_empty() {
            let outcome = async {
                let mut tx = state.store.begin_write(&user.actor()).await?;
                let account = state
                    .store
                    .create_user(
                        &mut tx,
                        &values.username,
                        &values.display_name,
                        password,
                        &values.lang,
                    )
                    .await?;
                if let (Some(role), Some(unit)) = (role, units.first()) {
                    state.store.grant_role(&mut tx, account.id, role, unit.id).await?;
                }
                tx.commit().await?;
                Ok(account)
            }
            .await;
            match outcome {
                Ok(account) => {
                    return Ok(Redirect::to(&format!("/admin/users/{}?done=created", account.id))
                        .into_response());
                }
                Err(error) => match refusal(error, lang, account_input) {
                    Refusal::Field(e) => errors.add(&e.field, e.message),
                    Refusal::Stale(message) => errors.add("username", message),
                    Refusal::Other(error) => return Err(error.into()),
                },
            }
        }
        render_new(&state, &user, &headers, &manager, values, errors, form.get("grant_q"), &units)
            .await
    }
    .await;
    respond(&state, &user, &headers, result)
}

// ---------------------------------------------------------------------------------------------
// Grant, revoke, disable, enable

async fn grant(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
    form: FormData,
) -> Response {
    let result = async {
        let lang = user.lang;
        let manager = Manager::of(&user)?;
        let (account, grants) = managed_account(&state, &manager, id).await?;
        let mut errors = FieldErrors::new();
        let role = Role::parse(form.get("role"));
        if role.is_none() {
            errors.add_tr(lang, "role", "Hãy chọn vai trò.", "Choose a role.");
        }
        let units = picked_units(&state, &user, &form, PickerKind::Grant, &mut errors).await?;
        if units.is_empty() && errors.list().iter().all(|e| e.field != "grant_q") {
            errors.add_tr(
                lang,
                "grant_q",
                "Hãy chọn tổ chức đảng mà vai trò áp dụng.",
                "Choose the unit the role applies to.",
            );
        }
        if account.id == user.user.id && errors.is_empty() {
            errors.add_tr(
                lang,
                "role",
                "Không thể tự phân quyền cho chính mình.",
                "You cannot change your own roles.",
            );
        }
        if let (true, Some(role), Some(unit)) = (errors.is_empty(), role, units.first()) {
            let outcome = async {
                let mut tx = state.store.begin_write(&user.actor()).await?;
                state.store.grant_role(&mut tx, account.id, role, unit.id).await?;
                tx.commit().await
            }
            .await;
            match outcome {
                Ok(()) => {
                    return Ok(Redirect::to(&format!("/admin/users/{}?done=granted", account.id))
                        .into_response());
                }
                Err(StoreError::Conflict { .. }) => errors.add_tr(
                    lang,
                    "role",
                    "Tài khoản đã có vai trò này tại tổ chức đảng này.",
                    "The account already holds this role over this unit.",
                ),
                Err(error) => return Err(error.into()),
            }
        }
        let form_state = AccountForm {
            role: form.get("role").to_string(),
            errors,
            picker_query: form.get("grant_q").to_string(),
            search: units.is_empty(),
            picked: units,
        };
        render_account(&state, &user, &headers, &manager, &account, &grants, form_state, None).await
    }
    .await;
    respond(&state, &user, &headers, result)
}

async fn revoke(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
    form: FormData,
) -> Response {
    let result = async {
        let manager = Manager::of(&user)?;
        let (account, _) = managed_account(&state, &manager, id).await?;
        let unit_id: i64 = form.get("unit_id").parse().map_err(|_| AppError::NotFound)?;
        let unit = unit_for(&state, &user.access, unit_id, Action::ManageUsers).await?;
        let role = Role::parse(form.get("role")).ok_or(AppError::NotFound)?;
        if account.id == user.user.id {
            return Err(AppError::bad_request(
                "Không thể tự thu hồi quyền của chính mình.",
                "You cannot revoke your own roles.",
            ));
        }
        let mut tx = state.store.begin_write(&user.actor()).await?;
        state.store.revoke_role(&mut tx, account.id, role, unit.id).await?;
        tx.commit().await?;
        Ok(Redirect::to(&format!("/admin/users/{}?done=revoked", account.id)).into_response())
    }
    .await;
    respond(&state, &user, &headers, result)
}

async fn set_disabled(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
    disabled: bool,
) -> Result<Response, AppError> {
    let manager = Manager::of(user)?;
    let (account, grants) = managed_account(state, &manager, id).await?;
    if account.id == user.user.id {
        return Err(AppError::bad_request(
            "Không thể tự khóa tài khoản của chính mình.",
            "You cannot disable your own account.",
        ));
    }
    if !manager.owns(&grants) {
        return Err(AppError::Forbidden);
    }
    let mut tx = state.store.begin_write(&user.actor()).await?;
    state.store.set_user_disabled(&mut tx, account.id, disabled).await?;
    tx.commit().await?;
    let done = if disabled { "disabled" } else { "enabled" };
    Ok(Redirect::to(&format!("/admin/users/{}?done={done}", account.id)).into_response())
}

async fn disable(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> Response {
    let result = set_disabled(&state, &user, id, true).await;
    respond(&state, &user, &headers, result)
}

async fn enable(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> Response {
    let result = set_disabled(&state, &user, id, false).await;
    respond(&state, &user, &headers, result)
}
