//! The registry pages and API doing their work, in process, on every backend: forms that keep
//! values and store nothing on error, stale versions, server-side paging and sorting,
//! Vietnamese-aware search, the audit page, accounts, and the JSON API's answers and errors.

mod common;

use axum::http::{Method, StatusCode};
use common::{App, Payload, account, apps, get, member, post, send, session, unit};
use daihoi_core::access::Role;
use daihoi_core::member::Membership;
use daihoi_core::unit::UnitKind;
use daihoi_store::{Actor, AuditFilter, Page, UnitSort};

/// Central → province → city (district) → ward (grassroots committee); an administrator of
/// the city.
struct Tree {
    city: i64,
    ward: i64,
    admin: i64,
}

async fn tree(app: &App) -> Tree {
    let store = &app.store;
    let central = unit(store, None, "Ban Chấp hành Trung ương", UnitKind::Central, 0).await;
    let province =
        unit(store, Some(central.id), "Đảng bộ tỉnh Điện Biên", UnitKind::Province, 40_000).await;
    let city =
        unit(store, Some(province.id), "Đảng bộ thành phố Điện Biên Phủ", UnitKind::District, 300)
            .await;
    let ward =
        unit(store, Some(city.id), "Đảng bộ phường Him Lam", UnitKind::GrassrootsCommittee, 42)
            .await;
    let admin = account(store, "bantochuc", Role::Admin, city.id).await;
    Tree { city: city.id, ward: ward.id, admin: admin.id }
}

#[tokio::test]
async fn a_unit_form_with_a_bad_value_shows_the_error_at_the_field_keeps_values_and_stores_nothing()
{
    for app in apps().await {
        let t = tree(&app).await;
        let s = session(&app.store, t.admin).await;
        let ward = t.ward.to_string();
        let fields = |official: &'static str| {
            vec![
                ("name", "Chi bộ Tổ dân phố 9"),
                ("kind", "cell"),
                ("parent_id", ward.as_str()),
                ("declared_official", official),
                ("declared_probationary", "1"),
                ("valid_from", "07/01/2020"),
            ]
        };
        let audit_before =
            app.store.audit_entries(&AuditFilter::default(), Page::new(1, 1)).await.unwrap().total;
        // Not a number: refused by the form itself.
        let answer = post(&app, "/units/new", &s, &fields("hai")).await;
        assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY, "[{}]", app.label);
        assert!(
            answer.body.contains("href=\"#declared_official\""),
            "[{}] summary links to the field",
            app.label
        );
        assert!(
            answer.body.contains("id=\"declared_official-error\""),
            "[{}] error beside the field",
            app.label
        );
        assert!(
            answer.body.contains("value=\"Chi bộ Tổ dân phố 9\""),
            "[{}] the name is kept",
            app.label
        );
        assert!(
            answer.body.contains("value=\"hai\""),
            "[{}] the wrong value is kept to correct",
            app.label
        );
        // Two official members: refused by the registry rule (Statute Art. 21), at the same field.
        let answer = post(&app, "/units/new", &s, &fields("2")).await;
        assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY, "[{}]", app.label);
        assert!(
            answer.body.contains("ít nhất 3 đảng viên chính thức"),
            "[{}] {}",
            app.label,
            answer.body
        );
        assert!(answer.body.contains("id=\"declared_official-error\""), "[{}]", app.label);
        assert!(answer.body.contains("checked"), "[{}] the chosen parent stays chosen", app.label);
        let children =
            app.store.children(t.ward, UnitSort::Name, false, true, Page::default()).await.unwrap();
        assert_eq!(children.total, 0, "[{}] nothing stored", app.label);
        let audit_after =
            app.store.audit_entries(&AuditFilter::default(), Page::new(1, 1)).await.unwrap().total;
        assert_eq!(audit_after, audit_before, "[{}] nothing audited", app.label);
        // Corrected: stored, audited under the user's name, and the page says so.
        let answer = post(&app, "/units/new", &s, &fields("5")).await;
        assert_eq!(answer.status, StatusCode::SEE_OTHER, "[{}] {}", app.label, answer.body);
        let children =
            app.store.children(t.ward, UnitSort::Name, false, true, Page::default()).await.unwrap();
        assert_eq!(children.total, 1, "[{}]", app.label);
        let cell = &children.items[0];
        assert_eq!((cell.declared_official, cell.declared_probationary), (5, 1));
        assert_eq!(cell.valid_from.map(|d| d.to_string()), Some("2020-01-07".into()));
        assert_eq!(answer.location(), format!("/units/{}?done=created", cell.id));
        let page = get(&app, answer.location(), &s).await;
        assert!(page.body.contains("Đã thêm tổ chức đảng"), "[{}]", app.label);
        let entries =
            app.store.audit_entries(&AuditFilter::default(), Page::new(1, 1)).await.unwrap();
        assert_eq!(entries.items[0].action, "unit.create");
        assert_eq!(entries.items[0].actor, "bantochuc");
        // Typing the parent's name instead of choosing it works when one unit matches.
        let answer = post(
            &app,
            "/units/new",
            &s,
            &[
                ("name", "Chi bộ Tổ dân phố 10"),
                ("kind", "cell"),
                ("parent_q", "him lam"),
                ("declared_official", "4"),
            ],
        )
        .await;
        assert_eq!(answer.status, StatusCode::SEE_OTHER, "[{}] {}", app.label, answer.body);
    }
}

#[tokio::test]
async fn an_edit_on_a_stale_version_is_refused_with_a_clear_message() {
    for app in apps().await {
        let t = tree(&app).await;
        let s = session(&app.store, t.admin).await;
        let form = get(&app, &format!("/units/{}/edit", t.ward), &s).await;
        assert!(form.body.contains("name=\"version\" value=\"1\""), "[{}]", app.label);
        // Someone else edits first.
        let mut tx = app.store.begin_write(&Actor::system("other")).await.unwrap();
        let current = app.store.unit(t.ward).await.unwrap();
        let edit = daihoi_store::UnitEdit {
            name: "Đảng bộ phường Him Lam (mới)".into(),
            kind: current.kind,
            issuer_abbrev: current.issuer_abbrev.clone(),
            declared_official: current.declared_official,
            declared_probationary: 0,
            valid_from: None,
            valid_to: None,
            note: None,
        };
        app.store.update_unit(&mut tx, t.ward, 1, edit).await.unwrap();
        tx.commit().await.unwrap();
        let answer = post(
            &app,
            &format!("/units/{}/edit", t.ward),
            &s,
            &[
                ("name", "Tên của tôi"),
                ("kind", "grassroots_committee"),
                ("declared_official", "42"),
                ("version", "1"),
            ],
        )
        .await;
        assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY, "[{}]", app.label);
        assert!(answer.body.contains("người khác đã thay đổi"), "[{}]", app.label);
        assert!(
            answer.body.contains("value=\"Tên của tôi\""),
            "[{}] the user's input is kept",
            app.label
        );
        assert_eq!(app.store.unit(t.ward).await.unwrap().name, "Đảng bộ phường Him Lam (mới)");
        // With the current version the edit goes through.
        let answer = post(
            &app,
            &format!("/units/{}/edit", t.ward),
            &s,
            &[
                ("name", "Tên của tôi"),
                ("kind", "grassroots_committee"),
                ("declared_official", "42"),
                ("version", "2"),
            ],
        )
        .await;
        assert_eq!(answer.status, StatusCode::SEE_OTHER, "[{}] {}", app.label, answer.body);
        assert_eq!(app.store.unit(t.ward).await.unwrap().name, "Tên của tôi");
    }
}

#[tokio::test]
async fn the_children_table_pages_and_sorts_on_the_server_and_the_tree_loads_lazily() {
    for app in apps().await {
        let t = tree(&app).await;
        let s = session(&app.store, t.admin).await;
        // 30 cells with 3..=32 official members; names sort in Vietnamese order.
        let mut tx = app.store.begin_write(&Actor::system("test")).await.unwrap();
        for n in 1..=30_i64 {
            let new =
                common::new_unit(Some(t.ward), &format!("Chi bộ số {n:02}"), UnitKind::Cell, 2 + n);
            app.store.create_unit(&mut tx, new).await.unwrap();
        }
        tx.commit().await.unwrap();
        let first = get(&app, &format!("/units/{}", t.ward), &s).await;
        assert!(
            first.body.contains("Chi bộ số 01") && first.body.contains("Chi bộ số 25"),
            "[{}]",
            app.label
        );
        assert!(!first.body.contains("Chi bộ số 26"), "[{}] 25 rows per page", app.label);
        assert!(first.body.contains("?page=2"), "[{}] a link to page 2", app.label);
        let second = get(&app, &format!("/units/{}?page=2", t.ward), &s).await;
        assert!(
            second.body.contains("Chi bộ số 26") && !second.body.contains("Chi bộ số 25"),
            "[{}]",
            app.label
        );
        let desc = get(&app, &format!("/units/{}?sort=name&dir=desc", t.ward), &s).await;
        let (p30, p29) =
            (desc.body.find("Chi bộ số 30").unwrap(), desc.body.find("Chi bộ số 29").unwrap());
        assert!(p30 < p29, "[{}] descending by name", app.label);
        assert!(!desc.body.contains("Chi bộ số 05"), "[{}]", app.label);
        let members = get(&app, &format!("/units/{}?sort=members", t.ward), &s).await;
        let (most, next) = (
            members.body.find("Chi bộ số 30").unwrap(),
            members.body.find("Chi bộ số 29").unwrap(),
        );
        assert!(most < next, "[{}] most members first", app.label);
        assert!(members.body.contains("aria-sort=\"ascending\""), "[{}]", app.label);
        // The tree: the city node lists the ward, which expands into its 30 cells.
        let nodes = get(&app, &format!("/units/{}/tree", t.city), &s).await;
        assert!(nodes.body.contains("Đảng bộ phường Him Lam"), "[{}]", app.label);
        assert!(
            nodes.body.contains(&format!("hx-get=\"/units/{}/tree\"", t.ward)),
            "[{}]",
            app.label
        );
        assert!(nodes.body.contains("aria-expanded=\"false\""), "[{}]", app.label);
        assert!(!nodes.body.contains("<html"), "[{}] a fragment, not a page", app.label);
        let cells = get(&app, &format!("/units/{}/tree", t.ward), &s).await;
        assert_eq!(cells.body.matches("<li>").count(), 30, "[{}]", app.label);
        // A cell of 9 or more official members may elect a cell committee (Statute Art. 24).
        let big = app.store.search_units("so 30", &[], false, 1).await.unwrap().remove(0);
        let page = get(&app, &format!("/units/{}", big.id), &s).await;
        assert!(page.body.contains("được bầu chi ủy"), "[{}]", app.label);
    }
}

#[tokio::test]
async fn search_finds_names_with_or_without_accents_inside_the_scope_only() {
    for app in apps().await {
        let t = tree(&app).await;
        let s = session(&app.store, t.admin).await;
        let cell = unit(&app.store, Some(t.ward), "Chi bộ Tổ dân phố 3", UnitKind::Cell, 5).await;
        member(&app.store, cell.id, "Nguyễn Văn An", Membership::Official).await;
        member(&app.store, cell.id, "Lò Thị Hà", Membership::Probationary).await;
        member(&app.store, cell.id, "Quàng Văn Hải", Membership::Official).await;
        let answer = get(&app, "/search?q=nguyen+van+a", &s).await;
        assert!(answer.body.contains("Nguyễn Văn An"), "[{}]", app.label);
        assert!(!answer.body.contains("Lò Thị Hà"), "[{}]", app.label);
        let answer = get(&app, "/search?q=ha", &s).await;
        assert!(
            answer.body.contains("Lò Thị Hà") && answer.body.contains("Quàng Văn Hải"),
            "[{}]",
            app.label
        );
        assert!(!answer.body.contains("Nguyễn Văn An"), "[{}]", app.label);
        let answer = get(&app, "/search?q=H%C3%A0", &s).await;
        assert!(answer.body.contains("Lò Thị Hà"), "[{}] typed with accents", app.label);
        let answer = get(&app, "/search?q=him+lam", &s).await;
        assert!(answer.body.contains(&format!("href=\"/units/{}\"", t.ward)), "[{}]", app.label);
        // The member list filters on the server.
        let answer = get(&app, "/members?membership=probationary", &s).await;
        assert!(
            answer.body.contains("Lò Thị Hà") && !answer.body.contains("Quàng Văn Hải"),
            "[{}]",
            app.label
        );
        let answer =
            get(&app, &format!("/units/{}/members?q=hai&sort=birth_date&dir=desc", t.ward), &s)
                .await;
        assert!(
            answer.body.contains("Quàng Văn Hải") && !answer.body.contains("Nguyễn Văn An"),
            "[{}]",
            app.label
        );
        // The province is outside the city administrator's scope.
        let answer = get(&app, "/search?q=dien+bien", &s).await;
        assert!(answer.body.contains("Đảng bộ thành phố Điện Biên Phủ"), "[{}]", app.label);
        assert!(!answer.body.contains("Đảng bộ tỉnh Điện Biên<"), "[{}]", app.label);
    }
}

#[tokio::test]
async fn members_are_added_edited_and_removed_with_the_same_error_patterns_and_audited() {
    for app in apps().await {
        let t = tree(&app).await;
        let s = session(&app.store, t.admin).await;
        let cell = unit(&app.store, Some(t.ward), "Chi bộ Tổ dân phố 3", UnitKind::Cell, 5).await;
        let uri = format!("/units/{}/members/new", cell.id);
        let answer = post(
            &app,
            &uri,
            &s,
            &[
                ("full_name", "Lò Thị Hà"),
                ("birth_date", "1990-04-02"),
                ("joined_date", "1985-01-01"),
                ("membership", "official"),
                ("status", "active"),
            ],
        )
        .await;
        assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY, "[{}]", app.label);
        assert!(answer.body.contains("href=\"#joined_date\""), "[{}] {}", app.label, answer.body);
        assert!(answer.body.contains("Ngày vào Đảng phải sau ngày sinh"), "[{}]", app.label);
        let answer = post(
            &app,
            &uri,
            &s,
            &[
                ("full_name", "Lò Thị Hà"),
                ("birth_date", "02/04/1990"),
                ("sex", "female"),
                ("ethnicity", "Thái"),
                ("joined_date", "2015-05-19"),
                ("membership", "probationary"),
                ("status", "active"),
            ],
        )
        .await;
        assert_eq!(answer.status, StatusCode::SEE_OTHER, "[{}] {}", app.label, answer.body);
        let id: i64 = answer
            .location()
            .trim_start_matches("/members/")
            .split('?')
            .next()
            .unwrap()
            .parse()
            .unwrap();
        let page = get(&app, answer.location(), &s).await;
        assert!(
            page.body.contains("02/04/1990") && page.body.contains("tuổi"),
            "[{}] {}",
            app.label,
            page.body
        );
        assert_eq!(app.store.unit(cell.id).await.unwrap().probationary, 1);
        let answer = post(
            &app,
            &format!("/members/{id}/edit"),
            &s,
            &[
                ("full_name", "Lò Thị Hà"),
                ("membership", "official"),
                ("status", "active"),
                ("version", "1"),
            ],
        )
        .await;
        assert_eq!(answer.status, StatusCode::SEE_OTHER, "[{}] {}", app.label, answer.body);
        assert_eq!(app.store.unit(cell.id).await.unwrap().official, 1);
        let answer =
            post(&app, &format!("/members/{id}/remove"), &s, &[("reason", ""), ("version", "2")])
                .await;
        assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY, "[{}]", app.label);
        assert!(answer.body.contains("href=\"#reason\""), "[{}]", app.label);
        let answer = post(
            &app,
            &format!("/members/{id}/remove"),
            &s,
            &[("reason", "transferred"), ("version", "2")],
        )
        .await;
        assert_eq!(answer.status, StatusCode::SEE_OTHER, "[{}] {}", app.label, answer.body);
        assert!(app.store.member(id).await.is_err());
        // The audit page of the unit shows the three changes, newest first, readably.
        let audit = get(&app, &format!("/units/{}/audit", cell.id), &s).await;
        let removed = audit.body.find("Đưa đảng viên ra khỏi danh sách").expect("removal shown");
        let edited = audit.body.find("Sửa thông tin đảng viên").expect("edit shown");
        let added = audit.body.find("Thêm đảng viên").expect("addition shown");
        assert!(removed < edited && edited < added, "[{}] newest first", app.label);
        assert!(
            audit.body.contains("<del>Dự bị</del>") && audit.body.contains("<ins>Chính thức</ins>"),
            "[{}]",
            app.label
        );
        assert!(audit.text().contains("02/04/1990"), "[{}] dates readable in the diff", app.label);
    }
}

#[tokio::test]
async fn units_are_moved_and_retired_through_their_forms() {
    for app in apps().await {
        let t = tree(&app).await;
        let s = session(&app.store, t.admin).await;
        let other_ward = unit(
            &app.store,
            Some(t.city),
            "Đảng bộ phường Tân Thanh",
            UnitKind::GrassrootsCommittee,
            40,
        )
        .await;
        let cell = unit(&app.store, Some(t.ward), "Chi bộ Tổ dân phố 7", UnitKind::Cell, 6).await;
        let answer = post(
            &app,
            &format!("/units/{}/move", cell.id),
            &s,
            &[("parent_id", &cell.id.to_string()), ("version", "1")],
        )
        .await;
        assert_eq!(
            answer.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "[{}] a unit under itself",
            app.label
        );
        assert!(answer.body.contains("href=\"#parent_q\""), "[{}]", app.label);
        let answer = post(
            &app,
            &format!("/units/{}/move", cell.id),
            &s,
            &[("parent_q", "tan thanh"), ("version", "1")],
        )
        .await;
        assert_eq!(answer.status, StatusCode::SEE_OTHER, "[{}] {}", app.label, answer.body);
        let moved = app.store.unit(cell.id).await.unwrap();
        assert_eq!(moved.parent_id, Some(other_ward.id));
        let answer = post(
            &app,
            &format!("/units/{}/retire", moved.id),
            &s,
            &[("valid_to", "30/06/2025"), ("version", &moved.version.to_string())],
        )
        .await;
        assert_eq!(
            answer.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "[{}] confirmation required",
            app.label
        );
        assert!(answer.body.contains("href=\"#confirm\""), "[{}]", app.label);
        let answer = post(
            &app,
            &format!("/units/{}/retire", moved.id),
            &s,
            &[
                ("valid_to", "30/06/2025"),
                ("confirm", "yes"),
                ("version", &moved.version.to_string()),
            ],
        )
        .await;
        assert_eq!(answer.status, StatusCode::SEE_OTHER, "[{}] {}", app.label, answer.body);
        assert!(app.store.unit(cell.id).await.unwrap().retired);
        let page = get(&app, &format!("/units/{}", cell.id), &s).await;
        assert!(
            page.body.contains("Đã giải thể") && page.body.contains("30/06/2025"),
            "[{}]",
            app.label
        );
    }
}

#[tokio::test]
async fn accounts_are_created_granted_revoked_disabled_and_enabled() {
    for app in apps().await {
        let t = tree(&app).await;
        let s = session(&app.store, t.admin).await;
        let ward = t.ward.to_string();
        let answer = post(
            &app,
            "/admin/users/new",
            &s,
            &[
                ("username", "vanphong.himlam"),
                ("display_name", "Văn phòng"),
                ("password", "short"),
                ("password_confirm", "short"),
                ("lang", "vi"),
                ("role", "clerk"),
                ("unit_id", &ward),
            ],
        )
        .await;
        assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY, "[{}]", app.label);
        assert!(
            answer.body.contains("id=\"password-error\"")
                && answer.body.contains("ít nhất 10 ký tự"),
            "[{}]",
            app.label
        );
        assert!(
            app.store.user_by_username("vanphong.himlam").await.is_err(),
            "[{}] not created",
            app.label
        );
        let answer = post(
            &app,
            "/admin/users/new",
            &s,
            &[
                ("username", "vanphong.himlam"),
                ("display_name", "Văn phòng"),
                ("password", "mat-khau-du-dai"),
                ("password_confirm", "mat-khau-du-dai"),
                ("lang", "vi"),
                ("role", "clerk"),
                ("unit_id", &ward),
            ],
        )
        .await;
        assert_eq!(answer.status, StatusCode::SEE_OTHER, "[{}] {}", app.label, answer.body);
        let clerk = app.store.user_by_username("vanphong.himlam").await.unwrap();
        assert_eq!(app.store.grants(clerk.id).await.unwrap().len(), 1);
        let list = get(&app, "/admin/users", &s).await;
        assert!(
            list.body.contains("vanphong.himlam") && list.body.contains("Văn phòng cấp ủy"),
            "[{}]",
            app.label
        );
        let answer = post(
            &app,
            &format!("/admin/users/{}/grant", clerk.id),
            &s,
            &[("role", "viewer"), ("unit_id", &t.city.to_string())],
        )
        .await;
        assert_eq!(answer.status, StatusCode::SEE_OTHER, "[{}] {}", app.label, answer.body);
        let answer = post(
            &app,
            &format!("/admin/users/{}/grant", clerk.id),
            &s,
            &[("role", "viewer"), ("unit_id", &t.city.to_string())],
        )
        .await;
        assert_eq!(
            answer.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "[{}] the same role twice",
            app.label
        );
        assert_eq!(app.store.grants(clerk.id).await.unwrap().len(), 2);
        let answer = post(
            &app,
            &format!("/admin/users/{}/revoke", clerk.id),
            &s,
            &[("role", "viewer"), ("unit_id", &t.city.to_string())],
        )
        .await;
        assert_eq!(answer.status, StatusCode::SEE_OTHER, "[{}] {}", app.label, answer.body);
        assert_eq!(app.store.grants(clerk.id).await.unwrap().len(), 1);
        // Disabling ends the account's sessions at once; enabling lets it log in again.
        let clerk_session = session(&app.store, clerk.id).await;
        assert_eq!(get(&app, "/units", &clerk_session).await.status, StatusCode::OK);
        let answer = post(&app, &format!("/admin/users/{}/disable", clerk.id), &s, &[]).await;
        assert_eq!(answer.status, StatusCode::SEE_OTHER, "[{}] {}", app.label, answer.body);
        let refused = get(&app, "/units", &clerk_session).await;
        assert_eq!(
            refused.status,
            StatusCode::SEE_OTHER,
            "[{}] a disabled account's session ends",
            app.label
        );
        assert!(refused.location().starts_with("/login"), "[{}]", app.label);
        assert!(
            app.store.check_login("vanphong.himlam", "mat-khau-du-dai").await.unwrap().is_none()
        );
        let answer = post(&app, &format!("/admin/users/{}/enable", clerk.id), &s, &[]).await;
        assert_eq!(answer.status, StatusCode::SEE_OTHER, "[{}]", app.label);
        assert!(
            app.store.check_login("vanphong.himlam", "mat-khau-du-dai").await.unwrap().is_some()
        );
        // No one disables themselves.
        let answer = post(&app, &format!("/admin/users/{}/disable", t.admin), &s, &[]).await;
        assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY, "[{}]", app.label);
        let actions: Vec<String> = app
            .store
            .audit_entries(&AuditFilter::default(), Page::new(1, 10))
            .await
            .unwrap()
            .items
            .into_iter()
            .map(|entry| entry.action)
            .collect();
        for action in ["user.enable", "user.disable", "user.revoke", "user.grant", "user.create"] {
            assert!(
                actions.contains(&action.to_string()),
                "[{}] {action} audited: {actions:?}",
                app.label
            );
        }
    }
}

#[tokio::test]
async fn the_api_reads_and_changes_the_registry_with_json_errors() {
    for app in apps().await {
        let t = tree(&app).await;
        let s = session(&app.store, t.admin).await;
        let json = |value: serde_json::Value| Payload::Json(value);
        // Create: 201 with warnings; a rule violation: 422 naming the field and the rule.
        let answer = send(&app, Method::POST, "/api/v1/units", Some(&s), json(serde_json::json!({
            "parent_id": t.ward, "name": "Chi bộ Tổ dân phố 5", "kind": "cell", "declared_official": 2
        }))).await;
        assert_eq!(
            answer.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "[{}] {}",
            app.label,
            answer.body
        );
        let error = answer.json();
        assert_eq!(error["error"], "too_few_official_members");
        assert_eq!(error["field"], "official");
        assert!(error["message"].as_str().unwrap().contains("ít nhất 3"));
        assert!(error["message_en"].as_str().unwrap().contains("at least 3"));
        let answer = send(&app, Method::POST, "/api/v1/units", Some(&s), json(serde_json::json!({
            "parent_id": t.ward, "name": "Chi bộ Tổ dân phố 5", "kind": "chi_bo", "declared_official": 12
        }))).await;
        assert_eq!(
            (answer.status, answer.json()["field"].clone()),
            (StatusCode::UNPROCESSABLE_ENTITY, serde_json::json!("kind"))
        );
        let answer = send(&app, Method::POST, "/api/v1/units", Some(&s), json(serde_json::json!({
            "parent_id": t.ward, "name": "Chi bộ Tổ dân phố 5", "kind": "cell", "declared_official": 12, "valid_from": "2020-01-07"
        }))).await;
        assert_eq!(answer.status, StatusCode::CREATED, "[{}] {}", app.label, answer.body);
        let created = answer.json();
        let id = created["id"].as_i64().unwrap();
        assert_eq!(created["valid_from"], "2020-01-07");
        assert_eq!(created["version"], 1);
        // Read: the unit with its ancestors inside the scope only.
        let detail =
            send(&app, Method::GET, &format!("/api/v1/units/{id}"), Some(&s), Payload::None)
                .await
                .json();
        let names: Vec<&str> = detail["ancestors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["name"].as_str().unwrap())
            .collect();
        assert_eq!(names, vec!["Đảng bộ thành phố Điện Biên Phủ", "Đảng bộ phường Him Lam"]);
        let children = send(
            &app,
            Method::GET,
            &format!("/api/v1/units/{}/children?sort=name&page_size=10", t.ward),
            Some(&s),
            Payload::None,
        )
        .await
        .json();
        assert_eq!(children["total"], 1);
        assert_eq!(children["items"][0]["id"], id);
        let bad = send(
            &app,
            Method::GET,
            &format!("/api/v1/units/{}/children?sort=size", t.ward),
            Some(&s),
            Payload::None,
        )
        .await;
        assert_eq!(
            (bad.status, bad.json()["field"].clone()),
            (StatusCode::UNPROCESSABLE_ENTITY, serde_json::json!("sort"))
        );
        let found =
            send(&app, Method::GET, "/api/v1/units/search?q=to+dan+pho+5", Some(&s), Payload::None)
                .await
                .json();
        assert_eq!(found["items"][0]["id"], id);
        // Patch with the version read; a second patch on the old version is stale.
        let answer = send(
            &app,
            Method::PATCH,
            &format!("/api/v1/units/{id}"),
            Some(&s),
            json(serde_json::json!({
                "version": 1, "declared_official": 14, "valid_from": null
            })),
        )
        .await;
        assert_eq!(answer.status, StatusCode::OK, "[{}] {}", app.label, answer.body);
        let patched = answer.json();
        assert_eq!(
            (patched["declared_official"].clone(), patched["valid_from"].clone()),
            (serde_json::json!(14), serde_json::Value::Null)
        );
        assert_eq!(patched["name"], "Chi bộ Tổ dân phố 5", "absent fields are kept");
        let stale = send(
            &app,
            Method::PATCH,
            &format!("/api/v1/units/{id}"),
            Some(&s),
            json(serde_json::json!({"version": 1, "name": "X"})),
        )
        .await;
        assert_eq!(stale.status, StatusCode::CONFLICT, "[{}]", app.label);
        assert_eq!(stale.json()["error"], "stale");
        let typo = send(
            &app,
            Method::PATCH,
            &format!("/api/v1/units/{id}"),
            Some(&s),
            json(serde_json::json!({"version": 2, "nmae": "X"})),
        )
        .await;
        assert_eq!(
            typo.status,
            StatusCode::BAD_REQUEST,
            "[{}] unknown fields are refused",
            app.label
        );
        assert_eq!(typo.json()["error"], "bad_json");
        // Members.
        let answer = send(&app, Method::POST, &format!("/api/v1/units/{id}/members"), Some(&s), json(serde_json::json!({
            "full_name": "Lò Thị Hà", "birth_date": "1990-04-02", "sex": "female", "membership": "probationary"
        }))).await;
        assert_eq!(answer.status, StatusCode::CREATED, "[{}] {}", app.label, answer.body);
        let member = answer.json();
        let member_id = member["id"].as_i64().unwrap();
        assert!(member["age"].as_i64().unwrap() >= 35);
        let bad = send(
            &app,
            Method::POST,
            &format!("/api/v1/units/{id}/members"),
            Some(&s),
            json(serde_json::json!({
                "full_name": "Lò Văn Páo", "birth_date": "02/04/1990"
            })),
        )
        .await;
        assert_eq!(
            (bad.status, bad.json()["field"].clone()),
            (StatusCode::UNPROCESSABLE_ENTITY, serde_json::json!("birth_date"))
        );
        let list = send(
            &app,
            Method::GET,
            &format!("/api/v1/units/{}/members?q=ha&membership=probationary", t.ward),
            Some(&s),
            Payload::None,
        )
        .await
        .json();
        assert_eq!(list["total"], 1);
        assert_eq!(list["items"][0]["full_name"], "Lò Thị Hà");
        let answer = send(
            &app,
            Method::PATCH,
            &format!("/api/v1/members/{member_id}"),
            Some(&s),
            json(serde_json::json!({"version": 1, "membership": "official"})),
        )
        .await;
        assert_eq!(answer.status, StatusCode::OK, "[{}] {}", app.label, answer.body);
        assert_eq!(answer.json()["birth_date"], "1990-04-02");
        let answer = send(
            &app,
            Method::DELETE,
            &format!("/api/v1/members/{member_id}?version=1&reason=deceased"),
            Some(&s),
            Payload::None,
        )
        .await;
        assert_eq!(answer.status, StatusCode::CONFLICT, "[{}] stale delete", app.label);
        let answer = send(
            &app,
            Method::DELETE,
            &format!("/api/v1/members/{member_id}?version=2&reason=deceased"),
            Some(&s),
            Payload::None,
        )
        .await;
        assert_eq!(answer.status, StatusCode::NO_CONTENT, "[{}] {}", app.label, answer.body);
        let gone = send(
            &app,
            Method::GET,
            &format!("/api/v1/members/{member_id}"),
            Some(&s),
            Payload::None,
        )
        .await;
        assert_eq!(
            (gone.status, gone.json()["error"].clone()),
            (StatusCode::NOT_FOUND, serde_json::json!("not_found"))
        );
        // Move and retire.
        let answer = send(
            &app,
            Method::POST,
            &format!("/api/v1/units/{id}/move"),
            Some(&s),
            json(serde_json::json!({"version": 2, "parent_id": t.city})),
        )
        .await;
        assert_eq!(answer.status, StatusCode::OK, "[{}] {}", app.label, answer.body);
        assert_eq!(answer.json()["parent_id"], t.city);
        let answer = send(
            &app,
            Method::POST,
            &format!("/api/v1/units/{id}/retire"),
            Some(&s),
            json(serde_json::json!({"version": 3, "valid_to": "2025-06-30"})),
        )
        .await;
        assert_eq!(answer.status, StatusCode::OK, "[{}] {}", app.label, answer.body);
        assert_eq!(answer.json()["retired"], true);
        // No session and no token: 401 in the same JSON shape.
        let anonymous =
            send(&app, Method::GET, &format!("/api/v1/units/{id}"), None, Payload::None).await;
        assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
        assert_eq!(anonymous.json()["error"], "unauthenticated");
        assert!(anonymous.json()["message_en"].is_string());
    }
}

#[tokio::test]
async fn a_bearer_token_calls_the_api_without_a_csrf_token() {
    for app in apps().await {
        let t = tree(&app).await;
        let mut tx = app.store.begin_write(&Actor::system("test")).await.unwrap();
        let (_, token) = app.store.create_api_token(&mut tx, t.admin, "script").await.unwrap();
        tx.commit().await.unwrap();
        let request = axum::http::Request::builder()
            .method(Method::POST)
            .uri(format!("/api/v1/units/{}/members", t.ward))
            .header("authorization", format!("Bearer {token}"))
            .header("content-type", "application/json")
            .body(axum::body::Body::from(r#"{"full_name":"Nguyễn Văn An"}"#))
            .unwrap();
        use tower::ServiceExt;
        let response = app.router.clone().oneshot(request).await.unwrap();
        assert_eq!(response.status(), StatusCode::CREATED, "[{}]", app.label);
        let entries =
            app.store.audit_entries(&AuditFilter::default(), Page::new(1, 1)).await.unwrap();
        assert_eq!(
            (entries.items[0].action.as_str(), entries.items[0].actor.as_str()),
            ("member.create", "bantochuc")
        );
    }
}
