//! The audit log in the browser: entries of the user's subtrees (or of one unit's subtree),
//! newest first, paged, each with who, when, what and a readable before → after comparison.

use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use daihoi_core::access::{Action, Role};
use daihoi_core::member::{Education, MemberStatus, Membership, Sex, TheoryLevel};
use daihoi_core::unit::UnitKind;
use daihoi_store::{AuditEntry, AuditFilter, Page, Unit};
use minijinja::value::Serde;
use serde::{Deserialize, Serialize};
use serde_json::Value as Json;

use super::listing::{QueryParams, page_number, pagination};
use super::units::UnitView;
use super::{render, respond};
use crate::auth::CurrentUser;
use crate::routing::RouteList;
use crate::scope::{Subtrees, unit_for};
use crate::templates::vn_date;
use crate::{AppError, AppState, Lang};

/// Entries per page.
const AUDIT_PAGE_SIZE: u32 = 30;

/// Routes of this module.
pub fn routes() -> RouteList {
    RouteList::new().get("/audit", all_entries).get("/units/{id}/audit", unit_entries)
}

#[derive(Debug, Deserialize)]
struct AuditQuery {
    page: Option<String>,
}

/// One changed field of an entry.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct DiffRow {
    /// The field, in the page's language.
    pub field: String,
    /// The value before, readable; empty when the record did not exist.
    pub before: String,
    /// The value after, readable; empty when the record no longer exists.
    pub after: String,
}

/// An entry as the page shows it.
#[derive(Debug, Clone, Serialize)]
struct EntryView {
    seq: i64,
    at: i64,
    actor: String,
    action: String,
    entity: String,
    entity_label: String,
    link: String,
    rows: Vec<DiffRow>,
    /// Whether the record existed before (else the table shows only the values after).
    has_before: bool,
    /// Whether the record still exists after (else only the values before).
    has_after: bool,
}

/// Fields not worth showing: identifiers and bookkeeping that change with every edit.
const HIDDEN_FIELDS: [&str; 4] = ["id", "version", "path", "unit_path"];

fn field_label(field: &str, lang: Lang) -> String {
    let (vi, en) = match field {
        "name" => ("Tên", "Name"),
        "kind" => ("Loại tổ chức", "Kind"),
        "issuer_abbrev" => ("Ký hiệu viết tắt", "Abbreviation"),
        "declared_official" => ("Số đảng viên chính thức (báo cáo)", "Official members (declared)"),
        "declared_probationary" => {
            ("Số đảng viên dự bị (báo cáo)", "Probationary members (declared)")
        }
        "valid_from" => ("Hiệu lực từ", "Valid from"),
        "valid_to" => ("Hiệu lực đến", "Valid to"),
        "retired" => ("Đã giải thể", "Retired"),
        "note" => ("Ghi chú", "Note"),
        "parent_id" => ("Mã đơn vị cấp trên", "Parent unit id"),
        "full_name" => ("Họ và tên", "Full name"),
        "birth_date" => ("Ngày sinh", "Birth date"),
        "sex" => ("Giới tính", "Sex"),
        "ethnicity" => ("Dân tộc", "Ethnicity"),
        "joined_date" => ("Ngày vào Đảng", "Date joined"),
        "membership" => ("Đảng viên", "Membership"),
        "status" => ("Tình trạng sinh hoạt", "Status"),
        "education" => ("Trình độ chuyên môn", "Education"),
        "theory_level" => ("Lý luận chính trị", "Political theory"),
        "unit_id" => ("Mã tổ chức đảng", "Unit id"),
        "role" => ("Vai trò", "Role"),
        "reason" => ("Lý do", "Reason"),
        "username" => ("Tên đăng nhập", "Username"),
        "display_name" => ("Tên hiển thị", "Display name"),
        "lang" => ("Ngôn ngữ", "Language"),
        "disabled" => ("Đã khóa", "Disabled"),
        "user_id" => ("Mã tài khoản", "Account id"),
        other => return other.to_string(),
    };
    lang.pick(vi, en).to_string()
}

fn action_label(action: &str, lang: Lang) -> String {
    let (vi, en) = match action {
        "unit.create" => ("Thêm tổ chức đảng", "Unit created"),
        "unit.update" => ("Sửa thông tin tổ chức đảng", "Unit edited"),
        "unit.move" => ("Chuyển đơn vị cấp trên", "Unit moved"),
        "unit.retire" => ("Giải thể tổ chức đảng", "Unit retired"),
        "member.create" => ("Thêm đảng viên", "Member added"),
        "member.update" => ("Sửa thông tin đảng viên", "Member edited"),
        "member.remove" => ("Đưa đảng viên ra khỏi danh sách", "Member removed"),
        "user.create" => ("Tạo tài khoản", "Account created"),
        "user.grant" => ("Phân quyền", "Role granted"),
        "user.revoke" => ("Thu hồi quyền", "Role revoked"),
        "user.disable" => ("Khóa tài khoản", "Account disabled"),
        "user.enable" => ("Mở khóa tài khoản", "Account enabled"),
        "user.password" => ("Đổi mật khẩu", "Password changed"),
        "token.create" => ("Tạo mã truy cập API", "API token created"),
        other => return other.to_string(),
    };
    lang.pick(vi, en).to_string()
}

/// A JSON value as a person reads it, codes turned into labels.
fn readable(field: &str, value: &Json, lang: Lang) -> String {
    let label = |pair: Option<(&'static str, &'static str)>, code: &str| {
        pair.map(|(vi, en)| lang.pick(vi, en).to_string()).unwrap_or_else(|| code.to_string())
    };
    match value {
        Json::Null => "—".to_string(),
        Json::Bool(true) => lang.pick("Có", "Yes").to_string(),
        Json::Bool(false) => lang.pick("Không", "No").to_string(),
        Json::Number(number) => match number.as_i64() {
            Some(n) if field.ends_with("_id") => n.to_string(),
            Some(n) => crate::templates::thousands(n),
            None => number.to_string(),
        },
        Json::String(text) => match field {
            "kind" => label(UnitKind::parse(text).map(|k| (k.label_vi(), k.label_en())), text),
            "membership" => {
                label(Membership::parse(text).map(|m| (m.label_vi(), m.label_en())), text)
            }
            "status" => {
                label(MemberStatus::parse(text).map(|s| (s.label_vi(), s.label_en())), text)
            }
            "sex" => label(Sex::parse(text).map(|s| (s.label_vi(), s.label_en())), text),
            "education" => {
                label(Education::parse(text).map(|e| (e.label_vi(), e.label_en())), text)
            }
            "theory_level" => {
                label(TheoryLevel::parse(text).map(|t| (t.label_vi(), t.label_en())), text)
            }
            "role" => label(Role::parse(text).map(|r| (r.label_vi(), r.label_en())), text),
            field if is_date_field(field) => vn_date(text),
            _ => text.clone(),
        },
        // Dates serialised by the `time` crate without its human-readable feature come as
        // [year, day of the year].
        Json::Array(parts) if is_date_field(field) => {
            match (parts.first().and_then(Json::as_i64), parts.get(1).and_then(Json::as_i64)) {
                (Some(year), Some(ordinal)) => i32::try_from(year)
                    .ok()
                    .zip(u16::try_from(ordinal).ok())
                    .and_then(|(year, ordinal)| time::Date::from_ordinal_date(year, ordinal).ok())
                    .map(|date| {
                        format!("{:02}/{:02}/{}", date.day(), u8::from(date.month()), date.year())
                    })
                    .unwrap_or_else(|| value.to_string()),
                _ => value.to_string(),
            }
        }
        other => other.to_string(),
    }
}

fn is_date_field(field: &str) -> bool {
    matches!(field, "valid_from" | "valid_to" | "birth_date" | "joined_date")
}

/// The fields that differ between the JSON before and after a change, readable. A record
/// created or removed shows all its filled fields on one side.
pub fn diff(before: Option<&str>, after: Option<&str>, lang: Lang) -> Vec<DiffRow> {
    let parse =
        |text: Option<&str>| -> Option<Json> { text.and_then(|t| serde_json::from_str(t).ok()) };
    let (before, after) = (parse(before), parse(after));
    let object = |value: &Option<Json>| -> serde_json::Map<String, Json> {
        match value {
            Some(Json::Object(map)) => map.clone(),
            Some(other) => {
                let mut map = serde_json::Map::new();
                map.insert("value".to_string(), other.clone());
                map
            }
            None => serde_json::Map::new(),
        }
    };
    let (old, new) = (object(&before), object(&after));
    let mut keys: Vec<&String> = old.keys().chain(new.keys()).collect();
    keys.sort();
    keys.dedup();
    let mut rows = Vec::new();
    for key in keys {
        if HIDDEN_FIELDS.contains(&key.as_str()) {
            continue;
        }
        let old_value = old.get(key);
        let new_value = new.get(key);
        if old_value == new_value {
            continue;
        }
        let side = |value: Option<&Json>, exists: bool| -> String {
            match (value, exists) {
                (_, false) => String::new(),
                (Some(value), true) => readable(key, value, lang),
                (None, true) => "—".to_string(),
            }
        };
        // A field that is empty on a created or removed record says nothing.
        let empty = |value: Option<&Json>| value.is_none_or(Json::is_null);
        if (before.is_none() && empty(new_value)) || (after.is_none() && empty(old_value)) {
            continue;
        }
        rows.push(DiffRow {
            field: field_label(key, lang),
            before: side(old_value, before.is_some()),
            after: side(new_value, after.is_some()),
        });
    }
    rows
}

fn entry_view(entry: &AuditEntry, lang: Lang, can_manage_users: bool) -> EntryView {
    let name_in = |text: &Option<String>| -> Option<String> {
        let value: Json = serde_json::from_str(text.as_deref()?).ok()?;
        value
            .get("name")
            .or_else(|| value.get("full_name"))
            .or_else(|| value.get("username"))
            .and_then(Json::as_str)
            .map(str::to_string)
    };
    let name = name_in(&entry.after_json).or_else(|| name_in(&entry.before_json));
    let (kind_label, link) = match entry.entity.as_str() {
        "unit" => (lang.pick("Tổ chức đảng", "Unit"), format!("/units/{}", entry.entity_id)),
        "member" if entry.action != "member.remove" => {
            (lang.pick("Đảng viên", "Member"), format!("/members/{}", entry.entity_id))
        }
        "member" => (lang.pick("Đảng viên", "Member"), String::new()),
        "user" if can_manage_users => {
            (lang.pick("Tài khoản", "Account"), format!("/admin/users/{}", entry.entity_id))
        }
        "user" => (lang.pick("Tài khoản", "Account"), String::new()),
        _ => (entry.entity.as_str(), String::new()),
    };
    EntryView {
        seq: entry.seq,
        at: entry.at,
        actor: entry.actor.clone(),
        action: action_label(&entry.action, lang),
        entity: kind_label.to_string(),
        entity_label: name.unwrap_or_else(|| format!("#{}", entry.entity_id)),
        link,
        rows: diff(entry.before_json.as_deref(), entry.after_json.as_deref(), lang),
        has_before: entry.before_json.is_some(),
        has_after: entry.after_json.is_some(),
    }
}

async fn entries_page(
    state: &AppState,
    user: &CurrentUser,
    headers: &HeaderMap,
    unit: Option<Unit>,
    filter: AuditFilter,
    query: AuditQuery,
) -> Result<Response, AppError> {
    let page = Page::new(page_number(query.page.as_deref()), AUDIT_PAGE_SIZE);
    let entries = state.store.audit_entries(&filter, page).await?;
    let base = match &unit {
        Some(unit) => format!("/units/{}/audit", unit.id),
        None => "/audit".to_string(),
    };
    let params = QueryParams::new().with("page", entries.page.to_string());
    let pager = pagination(
        entries.total,
        entries.page,
        entries.page_size,
        entries.items.len(),
        &base,
        &params,
    );
    let can_manage_users = user.access.can_anywhere(Action::ManageUsers);
    let views: Vec<EntryView> =
        entries.items.iter().map(|entry| entry_view(entry, user.lang, can_manage_users)).collect();
    let breadcrumbs: Vec<minijinja::Value> = match &unit {
        Some(unit) => state
            .store
            .ancestors(unit)
            .await?
            .iter()
            .filter(|ancestor| user.access.can(Action::View, &ancestor.path))
            .map(
                |ancestor| minijinja::context! { id => ancestor.id, name => ancestor.name.clone() },
            )
            .collect(),
        None => Vec::new(),
    };
    Ok(render(
        state,
        user,
        headers,
        "audit",
        "audit/list.html",
        minijinja::context! {
            unit => Serde(unit.as_ref().map(UnitView::of)),
            breadcrumbs => breadcrumbs,
            current => user.lang.pick("Nhật ký thay đổi", "Audit log"),
            entries => Serde(views),
            pagination => Serde(pager),
        },
    ))
}

async fn all_entries(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    Query(query): Query<AuditQuery>,
) -> Response {
    let result = async {
        let Some(subtrees) = Subtrees::of(&user.access, Action::ReadAudit) else {
            return Err(AppError::Forbidden);
        };
        // Entries about accounts belong to no unit: only a whole-tree administrator sees them.
        let unit_paths =
            if user.access.is_global_admin() { Vec::new() } else { subtrees.paths().to_vec() };
        let filter = AuditFilter { unit_paths, ..AuditFilter::default() };
        entries_page(&state, &user, &headers, None, filter, query).await
    }
    .await;
    respond(&state, &user, &headers, result)
}

async fn unit_entries(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Query(query): Query<AuditQuery>,
) -> Response {
    let result = async {
        let unit = unit_for(&state, &user.access, id, Action::ReadAudit).await?;
        let filter = AuditFilter { unit_paths: vec![unit.path.clone()], ..AuditFilter::default() };
        entries_page(&state, &user, &headers, Some(unit), filter, query).await
    }
    .await;
    respond(&state, &user, &headers, result)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_diff_shows_changed_fields_readably() {
        let before = r#"{"id":5,"name":"Chi bộ 1","kind":"cell","declared_official":12,"valid_to":null,"version":1}"#;
        let after = r#"{"id":5,"name":"Chi bộ Tổ dân phố 1","kind":"cell","declared_official":1200,"valid_to":"2025-06-30","version":2}"#;
        let rows = diff(Some(before), Some(after), Lang::Vi);
        assert_eq!(
            rows,
            vec![
                DiffRow {
                    field: "Số đảng viên chính thức (báo cáo)".into(),
                    before: "12".into(),
                    after: "1.200".into()
                },
                DiffRow {
                    field: "Tên".into(),
                    before: "Chi bộ 1".into(),
                    after: "Chi bộ Tổ dân phố 1".into()
                },
                DiffRow {
                    field: "Hiệu lực đến".into(),
                    before: "—".into(),
                    after: "30/06/2025".into()
                },
            ]
        );
    }

    #[test]
    fn a_created_record_shows_its_filled_fields_with_labels() {
        let after =
            r#"{"full_name":"Lò Thị Hà","membership":"probationary","sex":"female","note":null}"#;
        let rows = diff(None, Some(after), Lang::En);
        let fields: Vec<&str> = rows.iter().map(|row| row.field.as_str()).collect();
        assert_eq!(fields, vec!["Full name", "Membership", "Sex"]);
        let tuple_date = r#"{"birth_date":[1980,75]}"#;
        assert_eq!(diff(None, Some(tuple_date), Lang::Vi)[0].after, "15/03/1980");
        assert_eq!(rows[1].after, "Probationary");
        assert_eq!(rows[1].before, "");
        assert_eq!(rows[2].after, "Female");
    }
}
