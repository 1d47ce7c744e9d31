//! Access control on every route, on every backend: a user scoped to one subtree walks every
//! page and API route against the units, members and accounts of a sibling subtree and gets
//! 404 (or a page without them) and never their names; a viewer gets 403 for every change in
//! its own subtree and no edit buttons. The list of routes walked is compared with the router's
//! own list, so a new route cannot skip this test.

mod common;

use std::collections::BTreeSet;

use axum::http::{Method, StatusCode};
use common::{App, Payload, Session, account, apps, form, member, send, session, unit};
use daihoi_core::access::Role;
use daihoi_core::member::Membership;
use daihoi_core::unit::UnitKind;

/// Routes that concern no unit, member or account record, with the reason they are not walked.
const UNSCOPED: [(&str, &str, &str); 8] = [
    ("GET", "/healthz", "health check, no data"),
    ("GET", "/login", "login form"),
    ("POST", "/login", "logging in (needs the peer address; covered by the browser tests)"),
    ("POST", "/logout", "ends the caller's own session"),
    ("GET", "/account/password", "the caller's own password form"),
    ("POST", "/account/password", "the caller's own password"),
    ("GET", "/lang/{code}", "language switch"),
    ("GET", "/assets/{*path}", "static files"),
];

/// The other subtree's records, as the test walks them.
struct Other {
    /// District B.
    district: i64,
    /// A cell in district B.
    cell: i64,
    /// A member of that cell.
    member: i64,
    /// An account holding a role in district B only.
    user: i64,
    /// Names that must not appear in any answer to the user of district A.
    names: Vec<String>,
    /// Personnel records of district B.
    personnel: PersonnelOther,
}

/// The user's own subtree, for the routes that take one record of each side.
struct Own {
    district: i64,
    cell: i64,
    member: i64,
    admin_user: i64,
    viewer_user: i64,
    /// Viewer in the user's subtree and clerk in the other one.
    dual_user: i64,
}

/// One request of the walk: the route template it exercises, the concrete request, and what
/// the answer must be.
struct Step {
    method: &'static str,
    template: &'static str,
    uri: String,
    payload: Payload,
    expect: StatusCode,
}

fn step(
    method: &'static str,
    template: &'static str,
    uri: String,
    payload: Payload,
    expect: StatusCode,
) -> Step {
    Step { method, template, uri, payload, expect }
}

fn json(value: serde_json::Value) -> Payload {
    Payload::Json(value)
}

/// Every scoped route, aimed at the other subtree.
fn walk(other: &Other, own: &Own) -> Vec<Step> {
    use StatusCode as S;
    let (b, bc, bm, bu) = (other.district, other.cell, other.member, other.user);
    let word = "nam ke"; // a word of the other cell's name, to search for
    let mut steps = vec![
        // Pages that list: they answer, without the other subtree.
        step("GET", "/", "/".into(), Payload::None, S::OK),
        step("GET", "/units", "/units".into(), Payload::None, S::OK),
        step("GET", "/members", "/members?q=giang".into(), Payload::None, S::OK),
        step(
            "GET",
            "/search",
            format!("/search?q={}", word.replace(' ', "+")),
            Payload::None,
            S::OK,
        ),
        step("GET", "/search", "/search?q=giang+a+pao".into(), Payload::None, S::OK),
        // The user's own root is found; its parent, above the subtree, stays unnamed.
        step("GET", "/search", "/search?q=dien+bien".into(), Payload::None, S::OK),
        step(
            "GET",
            "/units/picker",
            "/units/picker?field=parent&parent_q=dien+bien".into(),
            Payload::None,
            S::OK,
        ),
        step(
            "GET",
            "/api/v1/units/{id}",
            format!("/api/v1/units/{}", own.district),
            Payload::None,
            S::OK,
        ),
        step("GET", "/units/{id}", format!("/units/{}", own.district), Payload::None, S::OK),
        step(
            "GET",
            "/units/picker",
            "/units/picker?field=parent&parent_q=nam+ke".into(),
            Payload::None,
            S::OK,
        ),
        step(
            "GET",
            "/units/picker",
            "/units/picker?field=lineage&lineage_q=muong+nhe".into(),
            Payload::None,
            S::OK,
        ),
        step(
            "GET",
            "/units/picker",
            "/units/picker?field=grant&grant_q=muong+nhe".into(),
            Payload::None,
            S::OK,
        ),
        step("GET", "/audit", "/audit".into(), Payload::None, S::OK),
        step("GET", "/admin/users", "/admin/users".into(), Payload::None, S::OK),
        step("GET", "/admin/users/new", "/admin/users/new".into(), Payload::None, S::OK),
        step("GET", "/api/openapi.json", "/api/openapi.json".into(), Payload::None, S::OK),
        step("GET", "/api/v1/me", "/api/v1/me".into(), Payload::None, S::OK),
        step(
            "GET",
            "/api/v1/units/search",
            "/api/v1/units/search?q=nam+ke&include_retired=true".into(),
            Payload::None,
            S::OK,
        ),
        // Pages of the other subtree's records: not found.
        step("GET", "/units/new", format!("/units/new?parent={b}"), Payload::None, S::NOT_FOUND),
        step("GET", "/units/{id}", format!("/units/{b}"), Payload::None, S::NOT_FOUND),
        step("GET", "/units/{id}/tree", format!("/units/{b}/tree"), Payload::None, S::NOT_FOUND),
        step("GET", "/units/{id}/edit", format!("/units/{bc}/edit"), Payload::None, S::NOT_FOUND),
        step("GET", "/units/{id}/move", format!("/units/{bc}/move"), Payload::None, S::NOT_FOUND),
        step(
            "GET",
            "/units/{id}/retire",
            format!("/units/{bc}/retire"),
            Payload::None,
            S::NOT_FOUND,
        ),
        step(
            "GET",
            "/units/{id}/members",
            format!("/units/{bc}/members"),
            Payload::None,
            S::NOT_FOUND,
        ),
        step(
            "GET",
            "/units/{id}/members/new",
            format!("/units/{bc}/members/new"),
            Payload::None,
            S::NOT_FOUND,
        ),
        step("GET", "/units/{id}/audit", format!("/units/{b}/audit"), Payload::None, S::NOT_FOUND),
        step(
            "GET",
            "/units/{id}/import",
            format!("/units/{b}/import"),
            Payload::None,
            S::NOT_FOUND,
        ),
        step(
            "POST",
            "/units/{id}/import",
            format!("/units/{b}/import"),
            Payload::None,
            S::NOT_FOUND,
        ),
        step(
            "POST",
            "/units/{id}/import/{token}",
            format!("/units/{b}/import/0123456789abcdef"),
            Payload::None,
            S::NOT_FOUND,
        ),
        step(
            "GET",
            "/units/{id}/import/jobs/{job}",
            format!("/units/{b}/import/jobs/1"),
            Payload::None,
            S::NOT_FOUND,
        ),
        step(
            "GET",
            "/units/{id}/import/jobs/{job}/progress",
            format!("/units/{b}/import/jobs/1/progress"),
            Payload::None,
            S::NOT_FOUND,
        ),
        step(
            "GET",
            "/units/{id}/export.csv",
            format!("/units/{b}/export.csv"),
            Payload::None,
            S::NOT_FOUND,
        ),
        step(
            "GET",
            "/units/{id}/export.xlsx",
            format!("/units/{b}/export.xlsx"),
            Payload::None,
            S::NOT_FOUND,
        ),
        step("GET", "/members/{id}", format!("/members/{bm}"), Payload::None, S::NOT_FOUND),
        step(
            "GET",
            "/members/{id}/edit",
            format!("/members/{bm}/edit"),
            Payload::None,
            S::NOT_FOUND,
        ),
        step(
            "GET",
            "/members/{id}/remove",
            format!("/members/{bm}/remove"),
            Payload::None,
            S::NOT_FOUND,
        ),
        step("GET", "/admin/users/{id}", format!("/admin/users/{bu}"), Payload::None, S::NOT_FOUND),
        // Changes to the other subtree's records, or reaching into it: not found.
        step(
            "POST",
            "/units/new",
            "/units/new".into(),
            form(&[
                ("name", "Chi bộ mới"),
                ("kind", "cell"),
                ("declared_official", "5"),
                ("parent_id", &b.to_string()),
            ]),
            S::NOT_FOUND,
        ),
        step(
            "POST",
            "/units/new",
            "/units/new".into(),
            form(&[
                ("name", "Chi bộ mới"),
                ("kind", "cell"),
                ("declared_official", "5"),
                ("parent_id", &own.district.to_string()),
                ("lineage_relation", "split_from"),
                ("lineage_id", &bc.to_string()),
            ]),
            S::NOT_FOUND,
        ),
        step(
            "POST",
            "/units/{id}/edit",
            format!("/units/{bc}/edit"),
            form(&[
                ("name", "Đổi tên"),
                ("kind", "cell"),
                ("declared_official", "5"),
                ("version", "1"),
            ]),
            S::NOT_FOUND,
        ),
        step(
            "POST",
            "/units/{id}/move",
            format!("/units/{bc}/move"),
            form(&[("parent_id", &own.district.to_string()), ("version", "1")]),
            S::NOT_FOUND,
        ),
        step(
            "POST",
            "/units/{id}/move",
            format!("/units/{}/move", own.cell),
            form(&[("parent_id", &b.to_string()), ("version", "1")]),
            S::NOT_FOUND,
        ),
        step(
            "POST",
            "/units/{id}/retire",
            format!("/units/{bc}/retire"),
            form(&[("valid_to", "2025-06-30"), ("confirm", "yes"), ("version", "1")]),
            S::NOT_FOUND,
        ),
        step(
            "POST",
            "/units/{id}/members/new",
            format!("/units/{bc}/members/new"),
            form(&[("full_name", "Lò Văn Mới"), ("membership", "official"), ("status", "active")]),
            S::NOT_FOUND,
        ),
        step(
            "POST",
            "/members/{id}/edit",
            format!("/members/{bm}/edit"),
            form(&[
                ("full_name", "Đổi Tên"),
                ("membership", "official"),
                ("status", "active"),
                ("version", "1"),
            ]),
            S::NOT_FOUND,
        ),
        step(
            "POST",
            "/members/{id}/remove",
            format!("/members/{bm}/remove"),
            form(&[("reason", "deceased"), ("version", "1")]),
            S::NOT_FOUND,
        ),
        step(
            "POST",
            "/admin/users/new",
            "/admin/users/new".into(),
            form(&[
                ("username", "moi"),
                ("password", "a-long-password"),
                ("password_confirm", "a-long-password"),
                ("lang", "vi"),
                ("role", "viewer"),
                ("unit_id", &b.to_string()),
            ]),
            S::NOT_FOUND,
        ),
        step(
            "POST",
            "/admin/users/{id}/grant",
            format!("/admin/users/{bu}/grant"),
            form(&[("role", "viewer"), ("unit_id", &own.district.to_string())]),
            S::NOT_FOUND,
        ),
        step(
            "POST",
            "/admin/users/{id}/grant",
            format!("/admin/users/{}/grant", own.viewer_user),
            form(&[("role", "viewer"), ("unit_id", &b.to_string())]),
            S::NOT_FOUND,
        ),
        step(
            "POST",
            "/admin/users/{id}/revoke",
            format!("/admin/users/{bu}/revoke"),
            form(&[("role", "clerk"), ("unit_id", &b.to_string())]),
            S::NOT_FOUND,
        ),
        step(
            "POST",
            "/admin/users/{id}/revoke",
            format!("/admin/users/{}/revoke", own.dual_user),
            form(&[("role", "clerk"), ("unit_id", &b.to_string())]),
            S::NOT_FOUND,
        ),
        step(
            "POST",
            "/admin/users/{id}/disable",
            format!("/admin/users/{bu}/disable"),
            form(&[]),
            S::NOT_FOUND,
        ),
        step(
            "POST",
            "/admin/users/{id}/enable",
            format!("/admin/users/{bu}/enable"),
            form(&[]),
            S::NOT_FOUND,
        ),
        // The API.
        step(
            "GET",
            "/api/v1/units/{id}",
            format!("/api/v1/units/{b}"),
            Payload::None,
            S::NOT_FOUND,
        ),
        step(
            "GET",
            "/api/v1/units/{id}/children",
            format!("/api/v1/units/{b}/children?include_retired=true"),
            Payload::None,
            S::NOT_FOUND,
        ),
        step(
            "GET",
            "/api/v1/units/{id}/members",
            format!("/api/v1/units/{bc}/members"),
            Payload::None,
            S::NOT_FOUND,
        ),
        step(
            "GET",
            "/api/v1/members/{id}",
            format!("/api/v1/members/{bm}"),
            Payload::None,
            S::NOT_FOUND,
        ),
        step(
            "POST",
            "/api/v1/units",
            "/api/v1/units".into(),
            json(
                serde_json::json!({"parent_id": b, "name": "Chi bộ mới", "kind": "cell", "declared_official": 5}),
            ),
            S::NOT_FOUND,
        ),
        step(
            "POST",
            "/api/v1/units",
            "/api/v1/units".into(),
            json(
                serde_json::json!({"parent_id": own.district, "name": "Chi bộ mới", "kind": "cell", "declared_official": 5,
                                    "lineage": [{"unit_id": bc, "relation": "split_from"}]}),
            ),
            S::NOT_FOUND,
        ),
        step(
            "PATCH",
            "/api/v1/units/{id}",
            format!("/api/v1/units/{bc}"),
            json(serde_json::json!({"version": 1, "name": "Đổi tên"})),
            S::NOT_FOUND,
        ),
        step(
            "POST",
            "/api/v1/units/{id}/move",
            format!("/api/v1/units/{bc}/move"),
            json(serde_json::json!({"version": 1, "parent_id": own.district})),
            S::NOT_FOUND,
        ),
        step(
            "POST",
            "/api/v1/units/{id}/move",
            format!("/api/v1/units/{}/move", own.cell),
            json(serde_json::json!({"version": 1, "parent_id": b})),
            S::NOT_FOUND,
        ),
        step(
            "POST",
            "/api/v1/units/{id}/retire",
            format!("/api/v1/units/{bc}/retire"),
            json(serde_json::json!({"version": 1, "valid_to": "2025-06-30"})),
            S::NOT_FOUND,
        ),
        step(
            "POST",
            "/api/v1/units/{id}/members",
            format!("/api/v1/units/{bc}/members"),
            json(serde_json::json!({"full_name": "Lò Văn Mới"})),
            S::NOT_FOUND,
        ),
        step(
            "PATCH",
            "/api/v1/members/{id}",
            format!("/api/v1/members/{bm}"),
            json(serde_json::json!({"version": 1, "full_name": "Đổi Tên"})),
            S::NOT_FOUND,
        ),
        step(
            "DELETE",
            "/api/v1/members/{id}",
            format!("/api/v1/members/{bm}?version=1&reason=deceased"),
            Payload::None,
            S::NOT_FOUND,
        ),
    ];
    // An account with a role on each side is the manager's to see but not to disable.
    steps.push(step(
        "POST",
        "/admin/users/{id}/disable",
        format!("/admin/users/{}/disable", own.dual_user),
        form(&[]),
        S::FORBIDDEN,
    ));
    steps.extend(personnel_walk(other));
    steps
}

/// Every change a viewer could try in its own subtree: each must be refused with 403.
fn viewer_changes(own: &Own) -> Vec<Step> {
    use StatusCode as S;
    let (a, ac, am) = (own.district, own.cell, own.member);
    vec![
        step("GET", "/units/new", format!("/units/new?parent={a}"), Payload::None, S::FORBIDDEN),
        step("GET", "/units/{id}/edit", format!("/units/{ac}/edit"), Payload::None, S::FORBIDDEN),
        step("GET", "/units/{id}/move", format!("/units/{ac}/move"), Payload::None, S::FORBIDDEN),
        step(
            "GET",
            "/units/{id}/retire",
            format!("/units/{ac}/retire"),
            Payload::None,
            S::FORBIDDEN,
        ),
        step(
            "GET",
            "/units/{id}/members/new",
            format!("/units/{ac}/members/new"),
            Payload::None,
            S::FORBIDDEN,
        ),
        step(
            "GET",
            "/members/{id}/edit",
            format!("/members/{am}/edit"),
            Payload::None,
            S::FORBIDDEN,
        ),
        step(
            "GET",
            "/members/{id}/remove",
            format!("/members/{am}/remove"),
            Payload::None,
            S::FORBIDDEN,
        ),
        step("GET", "/units/{id}/audit", format!("/units/{a}/audit"), Payload::None, S::FORBIDDEN),
        step("GET", "/audit", "/audit".into(), Payload::None, S::FORBIDDEN),
        step("GET", "/admin/users", "/admin/users".into(), Payload::None, S::FORBIDDEN),
        step(
            "POST",
            "/units/new",
            "/units/new".into(),
            form(&[
                ("name", "Chi bộ mới"),
                ("kind", "cell"),
                ("declared_official", "5"),
                ("parent_id", &a.to_string()),
            ]),
            S::FORBIDDEN,
        ),
        step(
            "POST",
            "/units/{id}/edit",
            format!("/units/{ac}/edit"),
            form(&[
                ("name", "Đổi tên"),
                ("kind", "cell"),
                ("declared_official", "5"),
                ("version", "1"),
            ]),
            S::FORBIDDEN,
        ),
        step(
            "POST",
            "/units/{id}/move",
            format!("/units/{ac}/move"),
            form(&[("parent_id", &a.to_string()), ("version", "1")]),
            S::FORBIDDEN,
        ),
        step(
            "POST",
            "/units/{id}/retire",
            format!("/units/{ac}/retire"),
            form(&[("valid_to", "2025-06-30"), ("confirm", "yes"), ("version", "1")]),
            S::FORBIDDEN,
        ),
        step(
            "POST",
            "/units/{id}/members/new",
            format!("/units/{ac}/members/new"),
            form(&[("full_name", "Lò Văn Mới"), ("membership", "official"), ("status", "active")]),
            S::FORBIDDEN,
        ),
        step(
            "POST",
            "/members/{id}/edit",
            format!("/members/{am}/edit"),
            form(&[
                ("full_name", "Đổi Tên"),
                ("membership", "official"),
                ("status", "active"),
                ("version", "1"),
            ]),
            S::FORBIDDEN,
        ),
        step(
            "POST",
            "/members/{id}/remove",
            format!("/members/{am}/remove"),
            form(&[("reason", "deceased"), ("version", "1")]),
            S::FORBIDDEN,
        ),
        step(
            "POST",
            "/admin/users/new",
            "/admin/users/new".into(),
            form(&[("username", "moi")]),
            S::FORBIDDEN,
        ),
        step(
            "POST",
            "/admin/users/{id}/disable",
            format!("/admin/users/{}/disable", own.admin_user),
            form(&[]),
            S::FORBIDDEN,
        ),
        step(
            "POST",
            "/api/v1/units",
            "/api/v1/units".into(),
            json(
                serde_json::json!({"parent_id": a, "name": "Chi bộ mới", "kind": "cell", "declared_official": 5}),
            ),
            S::FORBIDDEN,
        ),
        step(
            "PATCH",
            "/api/v1/units/{id}",
            format!("/api/v1/units/{ac}"),
            json(serde_json::json!({"version": 1, "name": "Đổi tên"})),
            S::FORBIDDEN,
        ),
        step(
            "POST",
            "/api/v1/units/{id}/move",
            format!("/api/v1/units/{ac}/move"),
            json(serde_json::json!({"version": 1, "parent_id": a})),
            S::FORBIDDEN,
        ),
        step(
            "POST",
            "/api/v1/units/{id}/retire",
            format!("/api/v1/units/{ac}/retire"),
            json(serde_json::json!({"version": 1, "valid_to": "2025-06-30"})),
            S::FORBIDDEN,
        ),
        step(
            "POST",
            "/api/v1/units/{id}/members",
            format!("/api/v1/units/{ac}/members"),
            json(serde_json::json!({"full_name": "Lò Văn Mới"})),
            S::FORBIDDEN,
        ),
        step(
            "PATCH",
            "/api/v1/members/{id}",
            format!("/api/v1/members/{am}"),
            json(serde_json::json!({"version": 1, "note": "x"})),
            S::FORBIDDEN,
        ),
        step(
            "DELETE",
            "/api/v1/members/{id}",
            format!("/api/v1/members/{am}?version=1&reason=deceased"),
            Payload::None,
            S::FORBIDDEN,
        ),
    ]
}

async fn arrange(app: &App) -> (Other, Own) {
    let store = &app.store;
    let central = unit(store, None, "Trung ương", UnitKind::Central, 0).await;
    let province =
        unit(store, Some(central.id), "Đảng bộ tỉnh Điện Biên", UnitKind::Province, 1000).await;
    let district_a =
        unit(store, Some(province.id), "Đảng bộ thành phố Điện Biên Phủ", UnitKind::District, 300)
            .await;
    let ward_a = unit(
        store,
        Some(district_a.id),
        "Đảng bộ phường Him Lam",
        UnitKind::GrassrootsCommittee,
        40,
    )
    .await;
    let cell_a = unit(store, Some(ward_a.id), "Chi bộ tổ dân phố 1", UnitKind::Cell, 12).await;
    let member_a = member(store, cell_a.id, "Lò Văn Hùng", Membership::Official).await;
    let district_b =
        unit(store, Some(province.id), "Đảng bộ huyện Mường Nhé", UnitKind::District, 200).await;
    let commune_b = unit(
        store,
        Some(district_b.id),
        "Đảng bộ xã Chung Chải",
        UnitKind::GrassrootsCommittee,
        35,
    )
    .await;
    let cell_b = unit(store, Some(commune_b.id), "Chi bộ bản Nậm Kè", UnitKind::Cell, 10).await;
    let member_b = member(store, cell_b.id, "Giàng A Páo", Membership::Official).await;
    let admin_a = account(store, "admin.a", Role::Admin, district_a.id).await;
    let viewer_a = account(store, "xem.a", Role::Viewer, district_a.id).await;
    let clerk_b = account(store, "vanphong.muongnhe", Role::Clerk, district_b.id).await;
    let dual = account(store, "hai.vai", Role::Viewer, district_a.id).await;
    let mut tx = store.begin_write(&daihoi_store::Actor::system("test")).await.unwrap();
    store.grant_role(&mut tx, dual.id, Role::Clerk, district_b.id).await.unwrap();
    tx.commit().await.unwrap();
    let personnel = personnel_arrange(store, district_b.id).await;
    let other = Other {
        personnel,
        district: district_b.id,
        cell: cell_b.id,
        member: member_b.id,
        user: clerk_b.id,
        names: vec![
            // Above the user's subtree: never named either (breadcrumbs, pickers, search).
            province.name.clone(),
            district_b.name.clone(),
            commune_b.name.clone(),
            cell_b.name.clone(),
            member_b.full_name.clone(),
            clerk_b.username.clone(),
        ],
    };
    let own = Own {
        district: district_a.id,
        cell: cell_a.id,
        member: member_a.id,
        admin_user: admin_a.id,
        viewer_user: viewer_a.id,
        dual_user: dual.id,
    };
    (other, own)
}

fn method(name: &str) -> Method {
    Method::from_bytes(name.as_bytes()).expect("method")
}

async fn run(app: &App, session: &Session, steps: &[Step], secrets: &[String]) {
    for step in steps {
        let answer =
            send(app, method(step.method), &step.uri, Some(session), step.payload.clone()).await;
        assert_eq!(
            answer.status,
            step.expect,
            "[{}] {} {} answered {}: {}",
            app.label,
            step.method,
            step.uri,
            answer.status,
            &answer.body[..answer.body.len().min(600)]
        );
        for secret in secrets {
            assert!(
                !answer.body.contains(secret.as_str()),
                "[{}] {} {} shows “{secret}” from outside the caller's subtree",
                app.label,
                step.method,
                step.uri
            );
        }
    }
}

#[tokio::test]
async fn nothing_outside_the_users_subtree_can_be_seen_or_changed() {
    for app in apps().await {
        let (other, own) = arrange(&app).await;
        let admin = session(&app.store, own.admin_user).await;
        let before_unit = app.store.unit(other.cell).await.unwrap();
        let before_member = app.store.member(other.member).await.unwrap();
        let before_audit = app
            .store
            .audit_entries(&Default::default(), daihoi_store::Page::new(1, 1))
            .await
            .unwrap()
            .total;
        run(&app, &admin, &walk(&other, &own), &other.names).await;
        // Nothing of the other subtree changed, and nothing at all was written.
        let after_unit = app.store.unit(other.cell).await.unwrap();
        let after_member = app.store.member(other.member).await.unwrap();
        assert_eq!(
            (after_unit.version, after_unit.name),
            (before_unit.version, before_unit.name),
            "[{}]",
            app.label
        );
        assert_eq!(after_member.version, before_member.version, "[{}]", app.label);
        assert_eq!(app.store.unit(other.district).await.unwrap().sub_units, 2, "[{}]", app.label);
        let after_audit = app
            .store
            .audit_entries(&Default::default(), daihoi_store::Page::new(1, 1))
            .await
            .unwrap()
            .total;
        assert_eq!(
            after_audit, before_audit,
            "[{}] a refused request wrote to the audit log",
            app.label
        );
        assert_eq!(app.store.grants(other.user).await.unwrap().len(), 1, "[{}]", app.label);
        assert_eq!(app.store.grants(own.dual_user).await.unwrap().len(), 2, "[{}]", app.label);
        assert_eq!(app.store.grants(own.viewer_user).await.unwrap().len(), 1, "[{}]", app.label);
        assert!(!app.store.user(other.user).await.unwrap().disabled, "[{}]", app.label);
        assert!(!app.store.user(own.dual_user).await.unwrap().disabled, "[{}]", app.label);
    }
}

#[tokio::test]
async fn a_viewer_is_refused_every_change_and_sees_no_edit_button() {
    for app in apps().await {
        let (_, own) = arrange(&app).await;
        let viewer = session(&app.store, own.viewer_user).await;
        let before_audit = app
            .store
            .audit_entries(&Default::default(), daihoi_store::Page::new(1, 1))
            .await
            .unwrap()
            .total;
        run(&app, &viewer, &viewer_changes(&own), &[]).await;
        let after_audit = app
            .store
            .audit_entries(&Default::default(), daihoi_store::Page::new(1, 1))
            .await
            .unwrap()
            .total;
        assert_eq!(after_audit, before_audit, "[{}] a refused change was written", app.label);
        for uri in [
            format!("/units/{}", own.cell),
            format!("/units/{}", own.district),
            format!("/members/{}", own.member),
        ] {
            let answer = common::get(&app, &uri, &viewer).await;
            assert_eq!(answer.status, StatusCode::OK, "[{}] {uri}", app.label);
            for action in [
                "/edit\"",
                "/move\"",
                "/retire\"",
                "/members/new\"",
                "/remove\"",
                "/units/new?parent",
            ] {
                assert!(
                    !answer.body.contains(action),
                    "[{}] {uri} offers {action} to a viewer",
                    app.label
                );
            }
        }
        // The administrator of the subtree does get the buttons (the assertion above can fail).
        let admin = session(&app.store, own.admin_user).await;
        let answer = common::get(&app, &format!("/units/{}", own.cell), &admin).await;
        assert!(answer.body.contains(&format!("/units/{}/edit\"", own.cell)), "[{}]", app.label);
    }
}

#[tokio::test]
async fn a_user_without_a_role_sees_nothing() {
    for app in apps().await {
        let (other, own) = arrange(&app).await;
        let mut tx = app.store.begin_write(&daihoi_store::Actor::system("test")).await.unwrap();
        let nobody = app
            .store
            .create_user(&mut tx, "nobody", "", "a-long-test-password", "vi")
            .await
            .unwrap();
        tx.commit().await.unwrap();
        let session = session(&app.store, nobody.id).await;
        let mut secrets = other.names.clone();
        secrets.push("Him Lam".into());
        for uri in [
            "/units",
            "/members",
            "/search?q=chi+bo",
            "/units/picker?field=parent&parent_q=chi",
            "/api/v1/units/search?q=chi",
        ] {
            let answer = common::get(&app, uri, &session).await;
            assert_eq!(answer.status, StatusCode::OK, "[{}] {uri}", app.label);
            for secret in &secrets {
                assert!(
                    !answer.body.contains(secret.as_str()),
                    "[{}] {uri} shows {secret}",
                    app.label
                );
            }
        }
        let answer = common::get(&app, &format!("/units/{}", own.cell), &session).await;
        assert_eq!(answer.status, StatusCode::NOT_FOUND, "[{}]", app.label);
    }
}

#[test]
fn the_walk_covers_every_route_of_the_router() {
    let other = Other {
        district: 1,
        cell: 2,
        member: 3,
        user: 4,
        names: Vec::new(),
        personnel: PersonnelOther::default(),
    };
    let own = Own { district: 5, cell: 6, member: 7, admin_user: 8, viewer_user: 9, dual_user: 10 };
    let mut walked: BTreeSet<(String, String)> = walk(&other, &own)
        .iter()
        .map(|step| (step.method.to_string(), step.template.to_string()))
        .collect();
    walked.extend(UNSCOPED.iter().map(|(method, path, _)| (method.to_string(), path.to_string())));
    let served: BTreeSet<(String, String)> = daihoi_web::route_paths()
        .into_iter()
        .map(|route| (route.method.to_string(), route.path))
        .collect();
    let missing: Vec<_> = served.difference(&walked).collect();
    let unknown: Vec<_> = walked.difference(&served).collect();
    assert!(missing.is_empty(), "routes served but not walked by the access test: {missing:?}");
    assert!(unknown.is_empty(), "routes walked but not served: {unknown:?}");
    // Every change the viewer tries is a real route too.
    for step in viewer_changes(&own) {
        assert!(
            served.contains(&(step.method.to_string(), step.template.to_string())),
            "{} {} is not a route",
            step.method,
            step.template
        );
    }
}

/// District B's congress and a dossier of it, for the personnel routes.
#[derive(Default)]
struct PersonnelOther {
    congress: i64,
    dossier: i64,
}

async fn personnel_arrange(store: &daihoi_store::Store, district: i64) -> PersonnelOther {
    use daihoi_store::congress::{CongressContent, CongressKind, NewCongress, SessionKind};
    let mut tx = store.begin_write(&daihoi_store::Actor::system("test")).await.unwrap();
    let congress = store
        .create_congress(
            &mut tx,
            NewCongress {
                unit_id: district,
                ordinal: Some(14),
                term_start: 2020,
                term_end: 2025,
                kind: CongressKind::Delegates,
                content: CongressContent::FourItems,
                rules: "qd190-2024".into(),
                title: String::new(),
                place: None,
                venue: None,
                pilot: false,
                sessions: vec![(SessionKind::Official, None, None)],
            },
        )
        .await
        .unwrap();
    let input = daihoi_store::personnel::DossierInput {
        full_name: "Giàng A Páo".into(),
        birth: daihoi_core::personnel::Birth::parse("1975"),
        sex: Some(daihoi_core::member::Sex::Male),
        ..Default::default()
    };
    let dossier = store.create_dossier(&mut tx, congress.id, &input).await.unwrap();
    tx.commit().await.unwrap();
    PersonnelOther { congress: congress.id, dossier: dossier.id }
}

/// The personnel routes aimed at district B's congress: all 404.
fn personnel_walk(other: &Other) -> Vec<Step> {
    use StatusCode as S;
    let (c, d, b) = (other.personnel.congress, other.personnel.dossier, other.district);
    let plan =
        || form(&[("campaign", "ct35-2019"), ("level", "grassroots"), ("committee_size", "9")]);
    vec![
        step("GET", "/personnel", "/personnel".into(), Payload::None, S::OK),
        step(
            "GET",
            "/congresses/{id}/personnel",
            format!("/congresses/{c}/personnel"),
            Payload::None,
            S::NOT_FOUND,
        ),
        step(
            "POST",
            "/congresses/{id}/personnel/plan",
            format!("/congresses/{c}/personnel/plan"),
            plan(),
            S::NOT_FOUND,
        ),
        step(
            "GET",
            "/congresses/{id}/personnel/targets",
            format!("/congresses/{c}/personnel/targets"),
            Payload::None,
            S::NOT_FOUND,
        ),
        step(
            "POST",
            "/congresses/{id}/personnel/elected",
            format!("/congresses/{c}/personnel/elected"),
            form(&[("elected", &d.to_string())]),
            S::NOT_FOUND,
        ),
        step(
            "GET",
            "/congresses/{id}/personnel/dossiers/new",
            format!("/congresses/{c}/personnel/dossiers/new"),
            Payload::None,
            S::NOT_FOUND,
        ),
        step(
            "POST",
            "/congresses/{id}/personnel/dossiers/new",
            format!("/congresses/{c}/personnel/dossiers/new"),
            form(&[
                ("full_name", "X"),
                ("birth", "1970"),
                ("sex", "male"),
                ("planned_post", "member"),
            ]),
            S::NOT_FOUND,
        ),
        step(
            "GET",
            "/congresses/{id}/personnel/summary.xlsx",
            format!("/congresses/{c}/personnel/summary.xlsx"),
            Payload::None,
            S::NOT_FOUND,
        ),
        step(
            "GET",
            "/dossiers/{id}/edit",
            format!("/dossiers/{d}/edit"),
            Payload::None,
            S::NOT_FOUND,
        ),
        step(
            "POST",
            "/dossiers/{id}/edit",
            format!("/dossiers/{d}/edit"),
            form(&[
                ("full_name", "X"),
                ("birth", "1970"),
                ("sex", "male"),
                ("planned_post", "member"),
            ]),
            S::NOT_FOUND,
        ),
        step(
            "GET",
            "/dossiers/{id}/cv.docx",
            format!("/dossiers/{d}/cv.docx"),
            Payload::None,
            S::NOT_FOUND,
        ),
        step(
            "GET",
            "/congresses/{id}/personnel/steps",
            format!("/congresses/{c}/personnel/steps"),
            Payload::None,
            S::NOT_FOUND,
        ),
        step(
            "POST",
            "/congresses/{id}/personnel/steps",
            format!("/congresses/{c}/personnel/steps"),
            form(&[("track", "re"), ("step", "1"), ("summoned", "9"), ("attended", "9")]),
            S::NOT_FOUND,
        ),
        step(
            "GET",
            "/congresses/{id}/allocation",
            format!("/congresses/{c}/allocation?total=10"),
            Payload::None,
            S::NOT_FOUND,
        ),
        step(
            "POST",
            "/congresses/{id}/allocation",
            format!("/congresses/{c}/allocation"),
            form(&[("total", "10")]),
            S::NOT_FOUND,
        ),
        step(
            "POST",
            "/congresses/{id}/allocation/appoint",
            format!("/congresses/{c}/allocation/appoint"),
            form(&[("unit_id", &b.to_string()), ("names", "Giàng A Páo")]),
            S::NOT_FOUND,
        ),
        step(
            "POST",
            "/congresses/{id}/allocation/replace",
            format!("/congresses/{c}/allocation/replace"),
            form(&[("delegate", "1")]),
            S::NOT_FOUND,
        ),
        step(
            "GET",
            "/congresses/{id}/allocation/notice.docx",
            format!("/congresses/{c}/allocation/notice.docx"),
            Payload::None,
            S::NOT_FOUND,
        ),
        step(
            "GET",
            "/congresses/{id}/allocation.xlsx",
            format!("/congresses/{c}/allocation.xlsx"),
            Payload::None,
            S::NOT_FOUND,
        ),
        step(
            "GET",
            "/units/{id}/composition",
            format!("/units/{b}/composition"),
            Payload::None,
            S::NOT_FOUND,
        ),
        step(
            "GET",
            "/units/{id}/composition.xlsx",
            format!("/units/{b}/composition.xlsx"),
            Payload::None,
            S::NOT_FOUND,
        ),
    ]
}
