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
    /// A congress of the other subtree and a person on its roster.
    congress: CongressSide,
    /// Documents and congress preparation records of district B.
    prep: PrepIds,
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
    /// A congress of the user's own subtree.
    congress: i64,
    /// Documents and congress preparation records of district A.
    prep: PrepIds,
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
    steps.extend(congress_walk(other, own));
    // An account with a role on each side is the manager's to see but not to disable.
    steps.push(step(
        "POST",
        "/admin/users/{id}/disable",
        format!("/admin/users/{}/disable", own.dual_user),
        form(&[]),
        S::FORBIDDEN,
    ));
    steps.extend(campaign_walk(other, own));
    steps.extend(prep_walk(other, own));
    steps.extend(personnel_walk(other));
    steps
}

/// Every change a viewer could try in its own subtree: each must be refused with 403.
fn viewer_changes(own: &Own) -> Vec<Step> {
    use StatusCode as S;
    let (a, ac, am) = (own.district, own.cell, own.member);
    let mut steps = congress_viewer_changes(own);
    steps.extend(vec![
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
    ]);
    steps.extend(campaign_viewer_changes(own));
    steps.extend(prep_viewer_changes(own));
    steps
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
    let (other_prep, prep_names) = prep_arrange(store, district_b.id, "Mường Nhé").await;
    let (own_prep, _) = prep_arrange(store, district_a.id, "Điện Biên Phủ").await;
    let personnel = personnel_arrange(store, district_b.id).await;
    let other = Other {
        personnel,
        district: district_b.id,
        cell: cell_b.id,
        member: member_b.id,
        user: clerk_b.id,
        congress: congress_side(store, commune_b.id).await,
        names: vec![
            // Above the user's subtree: never named either (breadcrumbs, pickers, search).
            province.name.clone(),
            district_b.name.clone(),
            commune_b.name.clone(),
            cell_b.name.clone(),
            member_b.full_name.clone(),
            clerk_b.username.clone(),
        ]
        .into_iter()
        .chain(prep_names)
        .collect(),
        prep: other_prep,
    };
    let own = Own {
        district: district_a.id,
        cell: cell_a.id,
        member: member_a.id,
        admin_user: admin_a.id,
        viewer_user: viewer_a.id,
        dual_user: dual.id,
        congress: 0,
        prep: own_prep,
    };
    let own = Own { congress: own_congress(store, ward_a.id).await, ..own };
    campaign_arrange(store, province.id, district_a.id, district_b.id).await;
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
        congress: CongressSide { congress: 11, person: 12 },
        prep: PrepIds::default(),
        personnel: PersonnelOther::default(),
    };
    let own = Own {
        district: 5,
        cell: 6,
        member: 7,
        admin_user: 8,
        viewer_user: 9,
        dual_user: 10,
        congress: 13,
        prep: PrepIds::default(),
    };
    let mut walked: BTreeSet<(String, String)> = walk(&other, &own)
        .iter()
        .map(|step| (step.method.to_string(), step.template.to_string()))
        .collect();
    walked.extend(UNSCOPED.iter().map(|(method, path, _)| (method.to_string(), path.to_string())));
    walked.extend(
        elections_walk(&OtherElection::default())
            .iter()
            .map(|s| (s.method.to_string(), s.template.to_string())),
    );
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

// ---------------------------------------------------------------------------------------------
// Congress day: the congress and its people

/// A congress of the other subtree and one person on its roster.
struct CongressSide {
    congress: i64,
    person: i64,
}

fn new_congress(unit_id: i64) -> daihoi_store::congress::NewCongress {
    daihoi_store::congress::NewCongress {
        unit_id,
        ordinal: Some(12),
        term_start: 2020,
        term_end: 2025,
        kind: daihoi_store::congress::CongressKind::Members,
        content: daihoi_store::congress::CongressContent::FourItems,
        rules: "qd190-2024".into(),
        title: String::new(),
        place: None,
        venue: None,
        pilot: false,
        sessions: vec![(daihoi_store::congress::SessionKind::Official, None, None)],
    }
}

/// The other subtree's congress, its members summoned.
async fn congress_side(store: &daihoi_store::Store, unit_id: i64) -> CongressSide {
    let mut tx = store.begin_write(&daihoi_store::Actor::system("test")).await.unwrap();
    let congress = store.create_congress(&mut tx, new_congress(unit_id)).await.unwrap();
    store.summon_members(&mut tx, congress.id).await.unwrap();
    tx.commit().await.unwrap();
    let roster =
        store.people(congress.id, None, None, daihoi_store::Page::new(1, 10)).await.unwrap();
    CongressSide { congress: congress.id, person: roster.items[0].id }
}

/// A congress in the user's own subtree, its members summoned.
async fn own_congress(store: &daihoi_store::Store, unit_id: i64) -> i64 {
    let mut tx = store.begin_write(&daihoi_store::Actor::system("test")).await.unwrap();
    let congress = store.create_congress(&mut tx, new_congress(unit_id)).await.unwrap();
    store.summon_members(&mut tx, congress.id).await.unwrap();
    tx.commit().await.unwrap();
    congress.id
}

/// Every congress route aimed at the other subtree's congress: not found.
fn congress_walk(other: &Other, own: &Own) -> Vec<Step> {
    use StatusCode as S;
    let (b, c, p) = (other.district, other.congress.congress, other.congress.person);
    let none = || Payload::None;
    let congress_form = || {
        form(&[
            ("ordinal", "13"),
            ("term_start", "2025"),
            ("term_end", "2030"),
            ("kind", "members"),
            ("content", "four_items"),
            ("rules", "qd190-2024"),
            ("quorum", "2/3"),
            ("version", "1"),
        ])
    };
    vec![
        step(
            "GET",
            "/units/{id}/congresses",
            format!("/units/{b}/congresses"),
            none(),
            S::NOT_FOUND,
        ),
        step(
            "GET",
            "/units/{id}/congresses/new",
            format!("/units/{b}/congresses/new"),
            none(),
            S::NOT_FOUND,
        ),
        step(
            "POST",
            "/units/{id}/congresses/new",
            format!("/units/{b}/congresses/new"),
            congress_form(),
            S::NOT_FOUND,
        ),
        step("GET", "/congresses/{id}", format!("/congresses/{c}"), none(), S::NOT_FOUND),
        step("GET", "/congresses/{id}/edit", format!("/congresses/{c}/edit"), none(), S::NOT_FOUND),
        step(
            "POST",
            "/congresses/{id}/edit",
            format!("/congresses/{c}/edit"),
            congress_form(),
            S::NOT_FOUND,
        ),
        step(
            "POST",
            "/congresses/{id}/session",
            format!("/congresses/{c}/session"),
            form(&[("session_id", "1")]),
            S::NOT_FOUND,
        ),
        step(
            "GET",
            "/congresses/{id}/people",
            format!("/congresses/{c}/people?q=giang"),
            none(),
            S::NOT_FOUND,
        ),
        step(
            "POST",
            "/congresses/{id}/people/summon",
            format!("/congresses/{c}/people/summon"),
            form(&[]),
            S::NOT_FOUND,
        ),
        step(
            "POST",
            "/congresses/{id}/people/new",
            format!("/congresses/{c}/people/new"),
            form(&[("full_name", "Lò Văn Mới"), ("role", "guest")]),
            S::NOT_FOUND,
        ),
        step(
            "GET",
            "/congresses/{id}/people/export.xlsx",
            format!("/congresses/{c}/people/export.xlsx"),
            none(),
            S::NOT_FOUND,
        ),
        step(
            "GET",
            "/congresses/{id}/people/import",
            format!("/congresses/{c}/people/import"),
            none(),
            S::NOT_FOUND,
        ),
        step(
            "POST",
            "/congresses/{id}/people/import",
            format!("/congresses/{c}/people/import"),
            form(&[]),
            S::NOT_FOUND,
        ),
        step(
            "GET",
            "/congresses/{id}/people/{person}",
            format!("/congresses/{c}/people/{p}"),
            none(),
            S::NOT_FOUND,
        ),
        // Another congress's person through the user's own congress: not found either.
        step(
            "GET",
            "/congresses/{id}/people/{person}",
            format!("/congresses/{}/people/{p}", own.congress),
            none(),
            S::NOT_FOUND,
        ),
        step(
            "POST",
            "/congresses/{id}/people/{person}",
            format!("/congresses/{c}/people/{p}"),
            form(&[
                ("standing", "active"),
                ("absence", "none"),
                ("credentials", "accepted"),
                ("version", "1"),
            ]),
            S::NOT_FOUND,
        ),
        step(
            "POST",
            "/congresses/{id}/people/{person}",
            format!("/congresses/{}/people/{p}", own.congress),
            form(&[
                ("standing", "active"),
                ("absence", "none"),
                ("credentials", "accepted"),
                ("version", "1"),
            ]),
            S::NOT_FOUND,
        ),
        step(
            "POST",
            "/congresses/{id}/people/{person}/presence",
            format!("/congresses/{c}/people/{p}/presence"),
            form(&[("left", "yes")]),
            S::NOT_FOUND,
        ),
        step(
            "GET",
            "/congresses/{id}/credentials",
            format!("/congresses/{c}/credentials"),
            none(),
            S::NOT_FOUND,
        ),
        step(
            "POST",
            "/congresses/{id}/credentials/seat",
            format!("/congresses/{c}/credentials/seat"),
            form(&[("delegate_id", &p.to_string())]),
            S::NOT_FOUND,
        ),
        step(
            "GET",
            "/congresses/{id}/credentials.pdf",
            format!("/congresses/{c}/credentials.pdf"),
            none(),
            S::NOT_FOUND,
        ),
        step(
            "GET",
            "/congresses/{id}/credentials.docx",
            format!("/congresses/{c}/credentials.docx"),
            none(),
            S::NOT_FOUND,
        ),
        step(
            "GET",
            "/congresses/{id}/badges.pdf",
            format!("/congresses/{c}/badges.pdf"),
            none(),
            S::NOT_FOUND,
        ),
        step(
            "GET",
            "/congresses/{id}/checkin",
            format!("/congresses/{c}/checkin"),
            none(),
            S::NOT_FOUND,
        ),
        step(
            "POST",
            "/congresses/{id}/checkin",
            format!("/congresses/{c}/checkin"),
            form(&[("badge_no", "1")]),
            S::NOT_FOUND,
        ),
        step(
            "GET",
            "/congresses/{id}/attendance",
            format!("/congresses/{c}/attendance"),
            none(),
            S::NOT_FOUND,
        ),
        step(
            "GET",
            "/congresses/{id}/projector",
            format!("/congresses/{c}/projector"),
            none(),
            S::NOT_FOUND,
        ),
    ]
}

/// Every congress change a viewer could try in its own subtree: refused with 403.
fn congress_viewer_changes(own: &Own) -> Vec<Step> {
    use StatusCode as S;
    let (a, c) = (own.district, own.congress);
    vec![
        step(
            "POST",
            "/congresses/{id}/people/{person}/presence",
            format!("/congresses/{c}/people/1/presence"),
            form(&[("left", "yes")]),
            S::FORBIDDEN,
        ),
        step(
            "GET",
            "/units/{id}/congresses/new",
            format!("/units/{a}/congresses/new"),
            Payload::None,
            S::FORBIDDEN,
        ),
        step(
            "POST",
            "/units/{id}/congresses/new",
            format!("/units/{a}/congresses/new"),
            form(&[("term_start", "2025"), ("term_end", "2030"), ("kind", "members")]),
            S::FORBIDDEN,
        ),
        step(
            "GET",
            "/congresses/{id}/edit",
            format!("/congresses/{c}/edit"),
            Payload::None,
            S::FORBIDDEN,
        ),
        step(
            "POST",
            "/congresses/{id}/edit",
            format!("/congresses/{c}/edit"),
            form(&[]),
            S::FORBIDDEN,
        ),
        step(
            "POST",
            "/congresses/{id}/session",
            format!("/congresses/{c}/session"),
            form(&[("session_id", "1")]),
            S::FORBIDDEN,
        ),
        step(
            "POST",
            "/congresses/{id}/people/summon",
            format!("/congresses/{c}/people/summon"),
            form(&[]),
            S::FORBIDDEN,
        ),
        step(
            "POST",
            "/congresses/{id}/people/new",
            format!("/congresses/{c}/people/new"),
            form(&[("full_name", "X"), ("role", "guest")]),
            S::FORBIDDEN,
        ),
        step(
            "GET",
            "/congresses/{id}/people/import",
            format!("/congresses/{c}/people/import"),
            Payload::None,
            S::FORBIDDEN,
        ),
        step(
            "POST",
            "/congresses/{id}/people/import",
            format!("/congresses/{c}/people/import"),
            form(&[]),
            S::FORBIDDEN,
        ),
        step(
            "POST",
            "/congresses/{id}/credentials/seat",
            format!("/congresses/{c}/credentials/seat"),
            form(&[("delegate_id", "1")]),
            S::FORBIDDEN,
        ),
        step(
            "GET",
            "/congresses/{id}/checkin",
            format!("/congresses/{c}/checkin"),
            Payload::None,
            S::FORBIDDEN,
        ),
        step(
            "POST",
            "/congresses/{id}/checkin",
            format!("/congresses/{c}/checkin"),
            form(&[("badge_no", "1")]),
            S::FORBIDDEN,
        ),
    ]
}

// ---------------------------------------------------------------------------------------------
// Campaign routes

/// The campaign over district B (ids are assigned in order on a fresh database).
const OTHER_CAMPAIGN: i64 = 1;
/// The campaign over the province, above both districts.
const SHARED_CAMPAIGN: i64 = 2;
/// The campaign over district A.
const OWN_CAMPAIGN: i64 = 3;

async fn campaign_arrange(
    store: &daihoi_store::Store,
    province: i64,
    district_a: i64,
    district_b: i64,
) {
    use daihoi_store::campaign::CampaignInput;
    let template = daihoi_core::campaign::template("ct35-2020").unwrap();
    let mut tx = store.begin_write(&daihoi_store::Actor::system("test")).await.unwrap();
    for (root, expected) in
        [(district_b, OTHER_CAMPAIGN), (province, SHARED_CAMPAIGN), (district_a, OWN_CAMPAIGN)]
    {
        let mut input = CampaignInput::from_template(&template, root);
        if root == district_b {
            // The name carries a secret of the other subtree: no page may show it.
            input.name = "Đại hội Đảng bộ huyện Mường Nhé 2020".into();
        }
        let campaign = store.create_campaign(&mut tx, input).await.unwrap();
        assert_eq!(campaign.id, expected);
    }
    tx.commit().await.unwrap();
}

/// Every campaign route, aimed at the other subtree: its campaign, and the shared campaign
/// focused on the other district.
fn campaign_walk(other: &Other, own: &Own) -> Vec<Step> {
    use StatusCode as S;
    let (b, bc) = (other.district, other.cell);
    let (o, sh, own_c) = (OTHER_CAMPAIGN, SHARED_CAMPAIGN, OWN_CAMPAIGN);
    let a = own.district;
    let mut steps = vec![
        step("GET", "/api/v1/campaigns", "/api/v1/campaigns".into(), Payload::None, S::OK),
        step(
            "GET",
            "/api/v1/campaigns/{id}",
            format!("/api/v1/campaigns/{o}"),
            Payload::None,
            S::NOT_FOUND,
        ),
        step(
            "GET",
            "/api/v1/campaigns/{id}/dashboard",
            format!("/api/v1/campaigns/{sh}/dashboard?unit={b}"),
            Payload::None,
            S::NOT_FOUND,
        ),
        step(
            "GET",
            "/api/v1/campaigns/{id}/problems",
            format!("/api/v1/campaigns/{o}/problems"),
            Payload::None,
            S::NOT_FOUND,
        ),
        step(
            "GET",
            "/api/v1/campaigns/{id}/plans/{unit}",
            format!("/api/v1/campaigns/{sh}/plans/{bc}"),
            Payload::None,
            S::NOT_FOUND,
        ),
        step("GET", "/campaigns", "/campaigns".into(), Payload::None, S::OK),
        step("GET", "/campaigns/{id}", format!("/campaigns/{sh}"), Payload::None, S::OK),
        step(
            "GET",
            "/campaigns/{id}",
            format!("/campaigns/{own_c}?unit={a}"),
            Payload::None,
            S::OK,
        ),
        step(
            "GET",
            "/campaigns/{id}/schedule",
            format!("/campaigns/{sh}/schedule"),
            Payload::None,
            S::OK,
        ),
        step(
            "GET",
            "/campaigns/{id}/problems",
            format!("/campaigns/{sh}/problems"),
            Payload::None,
            S::OK,
        ),
        step(
            "POST",
            "/campaigns",
            "/campaigns".into(),
            form(&[("template", "ct35-2020"), ("root", &b.to_string())]),
            S::NOT_FOUND,
        ),
        // A forged row of the other district in the shared campaign's table.
        step(
            "POST",
            "/campaigns/{id}/schedule",
            format!("/campaigns/{sh}/schedule?unit={a}"),
            form(&[("row", &bc.to_string()), (&format!("start_{bc}"), "2020-03-10")]),
            S::NOT_FOUND,
        ),
    ];
    for campaign in [o, sh] {
        let q = if campaign == sh { format!("?unit={b}") } else { String::new() };
        for (method, template, tail, payload) in [
            ("GET", "/campaigns/{id}", "", Payload::None),
            ("GET", "/campaigns/{id}/schedule", "/schedule", Payload::None),
            ("GET", "/campaigns/{id}/problems", "/problems", Payload::None),
            ("GET", "/campaigns/{id}/schedule.xlsx", "/schedule.xlsx", Payload::None),
            ("GET", "/campaigns/{id}/dashboard.xlsx", "/dashboard.xlsx", Payload::None),
            ("GET", "/campaigns/{id}/report.docx", "/report.docx", Payload::None),
            ("GET", "/campaigns/{id}/report.pdf", "/report.pdf", Payload::None),
            ("POST", "/campaigns/{id}/schedule", "/schedule", form(&[("row", &bc.to_string())])),
            (
                "POST",
                "/campaigns/{id}/schedule/bulk",
                "/schedule/bulk",
                form(&[("bulk_level", "cell"), ("bulk_start", "2020-03-10")]),
            ),
            ("POST", "/campaigns/{id}/schedule/import", "/schedule/import", Payload::None),
        ] {
            steps.push(step(
                method,
                template,
                format!("/campaigns/{campaign}{tail}{q}"),
                payload,
                S::NOT_FOUND,
            ));
        }
        steps.push(step(
            "GET",
            "/campaigns/{id}/edit",
            format!("/campaigns/{campaign}/edit"),
            Payload::None,
            S::NOT_FOUND,
        ));
        steps.push(step(
            "POST",
            "/campaigns/{id}/edit",
            format!("/campaigns/{campaign}/edit"),
            form(&[("name", "x")]),
            S::NOT_FOUND,
        ));
        steps.push(step(
            "POST",
            "/campaigns/{id}/recompute",
            format!("/campaigns/{campaign}/recompute"),
            form(&[]),
            S::NOT_FOUND,
        ));
    }
    steps
}

/// Every campaign change a viewer of district A could try on district A's campaign.
fn campaign_viewer_changes(own: &Own) -> Vec<Step> {
    use StatusCode as S;
    let (a, ac, c) = (own.district, own.cell, OWN_CAMPAIGN);
    vec![
        step(
            "POST",
            "/campaigns",
            "/campaigns".into(),
            form(&[("template", "ct35-2020"), ("root", &a.to_string())]),
            S::FORBIDDEN,
        ),
        step(
            "GET",
            "/campaigns/{id}/edit",
            format!("/campaigns/{c}/edit"),
            Payload::None,
            S::FORBIDDEN,
        ),
        step(
            "POST",
            "/campaigns/{id}/edit",
            format!("/campaigns/{c}/edit"),
            form(&[("name", "x")]),
            S::FORBIDDEN,
        ),
        step(
            "POST",
            "/campaigns/{id}/schedule",
            format!("/campaigns/{c}/schedule"),
            form(&[("row", &ac.to_string()), (&format!("start_{ac}"), "2020-03-10")]),
            S::FORBIDDEN,
        ),
        step(
            "POST",
            "/campaigns/{id}/schedule/bulk",
            format!("/campaigns/{c}/schedule/bulk"),
            form(&[("bulk_level", "cell"), ("bulk_start", "2020-03-10")]),
            S::FORBIDDEN,
        ),
        step(
            "POST",
            "/campaigns/{id}/schedule/import",
            format!("/campaigns/{c}/schedule/import"),
            Payload::None,
            S::FORBIDDEN,
        ),
        step(
            "POST",
            "/campaigns/{id}/recompute",
            format!("/campaigns/{c}/recompute"),
            form(&[]),
            S::FORBIDDEN,
        ),
    ]
}

// ---------------------------------------------------------------------------------------------
// Documents and congress preparation

/// The document register and preparation records of one side of the walk.
#[derive(Debug, Clone, Copy, Default)]
struct PrepIds {
    document: i64,
    attachment: i64,
    conference: i64,
    congress: i64,
    subcommittee: i64,
    task: i64,
    draft: i64,
    budget_line: i64,
}

/// A document with an attachment, a conference, a congress of 2020 with a documents
/// subcommittee (whose tasks are overdue today), a draft with a comment and a budget line, all
/// in `unit_id`'s register; and the texts that name them.
async fn prep_arrange(
    store: &daihoi_store::Store,
    unit_id: i64,
    place: &str,
) -> (PrepIds, Vec<String>) {
    use daihoi_core::prep::SubcommitteeKind;
    use daihoi_core::symbol::DocumentSymbol;
    use daihoi_store::congress::{CongressContent, CongressKind, NewCongress, SessionKind};
    use daihoi_store::documents::{Issuer, NewConference, NewDocument, Origin};
    use daihoi_store::prep::{DraftKind, NewComment, NewSubcommittee, SubRole};
    use time::macros::date;
    let summary = format!("Kế hoạch riêng của {place}");
    let conference_title = format!("Hội nghị quán triệt tại {place}");
    let draft_title = format!("Dự thảo báo cáo chính trị {place}");
    let mut tx = store.begin_write(&daihoi_store::Actor::system("test")).await.unwrap();
    let (document, _) = store
        .create_document(
            &mut tx,
            NewDocument {
                unit_id,
                symbol: DocumentSymbol::parse("12-KH/HU").unwrap().symbol,
                issued_on: date!(2019 - 12 - 20),
                issuer: Issuer::Unit(unit_id),
                origin: Origin::Own,
                summary: summary.clone(),
                signer: None,
                congress_id: None,
                note: None,
            },
            date!(2026 - 01 - 01),
        )
        .await
        .unwrap();
    let attachment =
        store.add_attachment(&mut tx, document.id, "ke-hoach.pdf", b"%PDF-1.4 test").await.unwrap();
    let conference = store
        .create_conference(
            &mut tx,
            NewConference {
                unit_id,
                held_on: Some(date!(2020 - 01 - 07)),
                title: conference_title.clone(),
                organiser: "Ban Thường vụ".into(),
                chair_name: "Người chủ trì".into(),
                documents: vec![(document.id, None)],
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let congress = store
        .create_congress(
            &mut tx,
            NewCongress {
                unit_id,
                ordinal: Some(7),
                term_start: 2020,
                term_end: 2025,
                kind: CongressKind::Delegates,
                content: CongressContent::FourItems,
                rules: "qd190-2024".into(),
                title: String::new(),
                place: None,
                venue: None,
                pilot: false,
                sessions: vec![(
                    SessionKind::Official,
                    Some(date!(2020 - 08 - 14)),
                    Some(date!(2020 - 08 - 15)),
                )],
            },
        )
        .await
        .unwrap();
    let subcommittee = store
        .create_subcommittee(
            &mut tx,
            NewSubcommittee {
                congress_id: congress.id,
                kind: SubcommitteeKind::Documents,
                decision: None,
                members: vec![(format!("Trưởng tiểu ban {place}"), None, SubRole::Head)],
                prefill: true,
            },
        )
        .await
        .unwrap();
    let draft = store
        .create_draft(
            &mut tx,
            congress.id,
            DraftKind::PoliticalReport,
            &draft_title,
            date!(2020 - 04 - 01),
        )
        .await
        .unwrap();
    store
        .add_draft_comment(
            &mut tx,
            draft.draft.id,
            NewComment {
                version_id: draft.versions[0].id,
                from_unit_id: None,
                author: format!("Đồng chí góp ý {place}"),
                section: None,
                body: "Bổ sung".into(),
                received_on: date!(2020 - 05 - 01),
            },
        )
        .await
        .unwrap();
    let budget_line = store
        .add_budget_line(&mut tx, congress.id, &format!("Hội trường {place}"), 1_000, None, None)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let ids = PrepIds {
        document: document.id,
        attachment: attachment.id,
        conference: conference.conference.id,
        congress: congress.id,
        subcommittee: subcommittee.id,
        task: subcommittee.tasks[0].id,
        draft: draft.draft.id,
        budget_line: budget_line.id,
    };
    let names = vec![
        summary,
        conference_title,
        draft_title,
        format!("Trưởng tiểu ban {place}"),
        format!("Đồng chí góp ý {place}"),
        format!("Hội trường {place}"),
        congress.title,
    ];
    (ids, names)
}

/// The register and preparation routes, aimed at district B's records.
fn prep_walk(other: &Other, own: &Own) -> Vec<Step> {
    use StatusCode as S;
    let b = other.prep;
    let unit = other.district.to_string();
    let a_doc = own.prep.document;
    let congress = b.congress;
    let draft = b.draft;
    vec![
        // Lists answer without the other subtree's records.
        step("GET", "/documents", "/documents?q=ke+hoach".into(), Payload::None, S::OK),
        step("GET", "/conferences", "/conferences".into(), Payload::None, S::OK),
        step("GET", "/preparation", "/preparation".into(), Payload::None, S::OK),
        step("GET", "/preparation/overdue", "/preparation/overdue".into(), Payload::None, S::OK),
        // Records and forms of the other subtree do not exist.
        step(
            "GET",
            "/documents/new",
            format!("/documents/new?unit={unit}"),
            Payload::None,
            S::NOT_FOUND,
        ),
        step(
            "POST",
            "/documents/new",
            "/documents/new".into(),
            form(&[
                ("unit", &unit),
                ("symbol", "13-KH/HU"),
                ("issued_on", "01/01/2020"),
                ("origin", "own"),
                ("summary", "x"),
            ]),
            S::NOT_FOUND,
        ),
        step(
            "GET",
            "/documents/{id}",
            format!("/documents/{}", b.document),
            Payload::None,
            S::NOT_FOUND,
        ),
        step(
            "POST",
            "/documents/{id}/attachments",
            format!("/documents/{}/attachments", b.document),
            form(&[("file", "x")]),
            S::NOT_FOUND,
        ),
        step(
            "POST",
            "/documents/{id}/links",
            format!("/documents/{}/links", b.document),
            form(&[("kind", "guides"), ("to_id", &a_doc.to_string())]),
            S::NOT_FOUND,
        ),
        // Linking one's own document to the other's: the other does not exist (form error).
        step(
            "POST",
            "/documents/{id}/links",
            format!("/documents/{a_doc}/links"),
            form(&[("kind", "guides"), ("to_id", &b.document.to_string())]),
            S::UNPROCESSABLE_ENTITY,
        ),
        step(
            "GET",
            "/attachments/{id}",
            format!("/attachments/{}", b.attachment),
            Payload::None,
            S::NOT_FOUND,
        ),
        step("GET", "/api/v1/documents", "/api/v1/documents".into(), Payload::None, S::OK),
        step(
            "GET",
            "/api/v1/documents/{id}",
            format!("/api/v1/documents/{}", b.document),
            Payload::None,
            S::NOT_FOUND,
        ),
        step(
            "GET",
            "/documents/{id}/edit",
            format!("/documents/{}/edit", b.document),
            Payload::None,
            S::NOT_FOUND,
        ),
        step(
            "POST",
            "/documents/{id}/edit",
            format!("/documents/{}/edit", b.document),
            form(&[("summary", "X"), ("version", "1")]),
            S::NOT_FOUND,
        ),
        step(
            "GET",
            "/documents/{id}/remove",
            format!("/documents/{}/remove", b.document),
            Payload::None,
            S::NOT_FOUND,
        ),
        step(
            "POST",
            "/documents/{id}/remove",
            format!("/documents/{}/remove", b.document),
            Payload::None,
            S::NOT_FOUND,
        ),
        step(
            "POST",
            "/documents/{id}/links/{link}/remove",
            format!("/documents/{}/links/1/remove", b.document),
            Payload::None,
            S::NOT_FOUND,
        ),
        step(
            "POST",
            "/attachments/{id}/remove",
            format!("/attachments/{}/remove", b.attachment),
            Payload::None,
            S::NOT_FOUND,
        ),
        step(
            "GET",
            "/conferences/new",
            format!("/conferences/new?unit={unit}"),
            Payload::None,
            S::NOT_FOUND,
        ),
        step(
            "POST",
            "/conferences/new",
            "/conferences/new".into(),
            form(&[
                ("unit", &unit),
                ("held_on", "07/01/2020"),
                ("title", "x"),
                ("organiser", "x"),
                ("chair_name", "x"),
            ]),
            S::NOT_FOUND,
        ),
        // A conference of one's own unit cannot list the other's document.
        step(
            "POST",
            "/conferences/new",
            "/conferences/new".into(),
            form(&[
                ("unit", &own.district.to_string()),
                ("held_on", "07/01/2020"),
                ("title", "x"),
                ("organiser", "x"),
                ("chair_name", "x"),
                ("documents", &b.document.to_string()),
            ]),
            S::UNPROCESSABLE_ENTITY,
        ),
        step(
            "GET",
            "/conferences/{id}",
            format!("/conferences/{}", b.conference),
            Payload::None,
            S::NOT_FOUND,
        ),
        step(
            "GET",
            "/congresses/{id}/preparation",
            format!("/congresses/{congress}/preparation"),
            Payload::None,
            S::NOT_FOUND,
        ),
        step(
            "POST",
            "/congresses/{id}/subcommittees",
            format!("/congresses/{congress}/subcommittees"),
            form(&[("kind", "personnel")]),
            S::NOT_FOUND,
        ),
        step(
            "POST",
            "/subcommittees/{id}/tasks",
            format!("/subcommittees/{}/tasks", b.subcommittee),
            form(&[("title", "x")]),
            S::NOT_FOUND,
        ),
        step(
            "POST",
            "/tasks/{id}",
            format!("/tasks/{}", b.task),
            form(&[("status", "done"), ("version", "1")]),
            S::NOT_FOUND,
        ),
        step(
            "GET",
            "/congresses/{id}/drafts",
            format!("/congresses/{congress}/drafts"),
            Payload::None,
            S::NOT_FOUND,
        ),
        step(
            "POST",
            "/congresses/{id}/drafts",
            format!("/congresses/{congress}/drafts"),
            form(&[("kind", "resolution"), ("prepared_on", "01/05/2020")]),
            S::NOT_FOUND,
        ),
        step("GET", "/drafts/{id}", format!("/drafts/{draft}"), Payload::None, S::NOT_FOUND),
        step(
            "POST",
            "/drafts/{id}/versions",
            format!("/drafts/{draft}/versions"),
            form(&[("prepared_on", "01/06/2020")]),
            S::NOT_FOUND,
        ),
        step(
            "POST",
            "/drafts/{id}/comments",
            format!("/drafts/{draft}/comments"),
            form(&[
                ("version_id", "1"),
                ("author", "x"),
                ("body", "x"),
                ("received_on", "01/06/2020"),
            ]),
            S::NOT_FOUND,
        ),
        step(
            "GET",
            "/drafts/{id}/comments.xlsx",
            format!("/drafts/{draft}/comments.xlsx"),
            Payload::None,
            S::NOT_FOUND,
        ),
        step(
            "GET",
            "/drafts/{id}/comments.docx",
            format!("/drafts/{draft}/comments.docx"),
            Payload::None,
            S::NOT_FOUND,
        ),
        step(
            "GET",
            "/congresses/{id}/budget",
            format!("/congresses/{congress}/budget"),
            Payload::None,
            S::NOT_FOUND,
        ),
        step(
            "POST",
            "/congresses/{id}/budget",
            format!("/congresses/{congress}/budget"),
            form(&[("item", "x"), ("planned", "1")]),
            S::NOT_FOUND,
        ),
        step(
            "POST",
            "/budget/{id}",
            format!("/budget/{}", b.budget_line),
            form(&[("actual", "1"), ("version", "1")]),
            S::NOT_FOUND,
        ),
    ]
}

/// The register and preparation changes a viewer could try in its own subtree.
fn prep_viewer_changes(own: &Own) -> Vec<Step> {
    use StatusCode as S;
    let a = own.prep;
    let unit = own.district.to_string();
    vec![
        step(
            "GET",
            "/documents/new",
            format!("/documents/new?unit={unit}"),
            Payload::None,
            S::FORBIDDEN,
        ),
        step(
            "POST",
            "/documents/new",
            "/documents/new".into(),
            form(&[
                ("unit", &unit),
                ("symbol", "13-KH/HU"),
                ("issued_on", "01/01/2020"),
                ("origin", "own"),
                ("summary", "x"),
            ]),
            S::FORBIDDEN,
        ),
        step(
            "POST",
            "/documents/{id}/attachments",
            format!("/documents/{}/attachments", a.document),
            form(&[]),
            S::FORBIDDEN,
        ),
        step(
            "POST",
            "/documents/{id}/links",
            format!("/documents/{}/links", a.document),
            form(&[]),
            S::FORBIDDEN,
        ),
        step(
            "GET",
            "/conferences/new",
            format!("/conferences/new?unit={unit}"),
            Payload::None,
            S::FORBIDDEN,
        ),
        step(
            "POST",
            "/conferences/new",
            "/conferences/new".into(),
            form(&[("unit", &unit)]),
            S::FORBIDDEN,
        ),
        step(
            "POST",
            "/congresses/{id}/subcommittees",
            format!("/congresses/{}/subcommittees", a.congress),
            form(&[("kind", "personnel")]),
            S::FORBIDDEN,
        ),
        step(
            "POST",
            "/subcommittees/{id}/tasks",
            format!("/subcommittees/{}/tasks", a.subcommittee),
            form(&[("title", "x")]),
            S::FORBIDDEN,
        ),
        step(
            "POST",
            "/tasks/{id}",
            format!("/tasks/{}", a.task),
            form(&[("status", "done"), ("version", "1")]),
            S::FORBIDDEN,
        ),
        step(
            "POST",
            "/congresses/{id}/drafts",
            format!("/congresses/{}/drafts", a.congress),
            form(&[]),
            S::FORBIDDEN,
        ),
        step(
            "POST",
            "/drafts/{id}/versions",
            format!("/drafts/{}/versions", a.draft),
            form(&[]),
            S::FORBIDDEN,
        ),
        step(
            "POST",
            "/drafts/{id}/comments",
            format!("/drafts/{}/comments", a.draft),
            form(&[]),
            S::FORBIDDEN,
        ),
        step(
            "POST",
            "/congresses/{id}/budget",
            format!("/congresses/{}/budget", a.congress),
            form(&[]),
            S::FORBIDDEN,
        ),
        step(
            "POST",
            "/budget/{id}",
            format!("/budget/{}", a.budget_line),
            form(&[("actual", "1"), ("version", "1")]),
            S::FORBIDDEN,
        ),
    ]
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
            "/congresses/{id}/delegations",
            format!("/congresses/{c}/delegations"),
            Payload::None,
            S::NOT_FOUND,
        ),
        step(
            "GET",
            "/congresses/{id}/delegations.xlsx",
            format!("/congresses/{c}/delegations.xlsx"),
            Payload::None,
            S::NOT_FOUND,
        ),
        step(
            "POST",
            "/congresses/{id}/personnel/present",
            format!("/congresses/{c}/personnel/present"),
            form(&[("election_id", "1")]),
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

// ---------------------------------------------------------------------------------------------
// Elections

/// An election of the other subtree's congress, counted, signed off and reported upward.
#[derive(Default)]
struct OtherElection {
    congress: i64,
    election: i64,
    candidate: i64,
    round: i64,
    approval: i64,
}

async fn arrange_election(app: &App, other: &Other) -> OtherElection {
    arrange_election_in(app, other.cell).await
}

/// A counted, signed-off and reported election of the congress of the unit above `cell`.
async fn arrange_election_in(app: &App, cell: i64) -> OtherElection {
    use daihoi_store::congress::{CongressContent, CongressKind, NewCongress, SessionKind};
    use daihoi_store::elections::{CandidateSource, NewCandidate, NewElection, Voters, Votes};
    let store = &app.store;
    let commune = store.unit(cell).await.unwrap().parent_id.unwrap();
    let mut tx = store.begin_write(&daihoi_store::Actor::system("test")).await.unwrap();
    let congress = store
        .create_congress(
            &mut tx,
            NewCongress {
                unit_id: commune,
                ordinal: Some(5),
                term_start: 2020,
                term_end: 2025,
                kind: CongressKind::Members,
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
    store.summon_members(&mut tx, congress.id).await.unwrap();
    store.check_in(&mut tx, congress.id, 1, "cửa").await.unwrap();
    store
        .set_counting_committee(&mut tx, congress.id, &[("Vàng A Dình".into(), "head".into())])
        .await
        .unwrap();
    let election = store
        .create_election(
            &mut tx,
            congress.id,
            NewElection {
                offices: vec![daihoi_core::counting::ElectionKind::Secretary],
                title: String::new(),
                seats: 1,
                alternate_seats: 0,
                voters: Voters::Congress,
                conference_of: None,
            },
        )
        .await
        .unwrap();
    let person = store.person_by_badge(congress.id, 1).await;
    let person_id = match person {
        Ok(p) => Some(p.id),
        Err(_) => None,
    };
    let candidate = store
        .add_candidate(
            &mut tx,
            election.id,
            NewCandidate {
                person_id,
                full_name: "Giàng A Páo".into(),
                source: CandidateSource::Committee,
                note: None,
            },
        )
        .await
        .unwrap();
    let votes = Votes { votes_for: 1, against: 0, abstain: 0, present: 1 };
    let round = store.approve_list(&mut tx, election.id, &votes).await.unwrap().1.unwrap();
    tx.commit().await.unwrap();
    let mut tx = store.begin_write(&daihoi_store::Actor::system("test")).await.unwrap();
    store.set_round_teams(&mut tx, round.id, 1).await.unwrap();
    store.set_round_figures(&mut tx, round.id, 1, 1).await.unwrap();
    store.enter_ballot(&mut tx, round.id, 1, "0").await.unwrap();
    store.lock_round(&mut tx, round.id).await.unwrap();
    let approval = store.report_results(&mut tx, congress.id).await.unwrap();
    tx.commit().await.unwrap();
    OtherElection {
        congress: congress.id,
        election: election.id,
        candidate: candidate.id,
        round: round.id,
        approval: approval.id,
    }
}

/// Every election route, aimed at the other subtree's election: not found, nothing written.
fn elections_walk(o: &OtherElection) -> Vec<Step> {
    use StatusCode as S;
    let (c, e, k, r, a) = (o.congress, o.election, o.candidate, o.round, o.approval);
    let votes = || form(&[("votes_for", "1"), ("present", "1")]);
    vec![
        step(
            "GET",
            "/congresses/{id}/elections",
            format!("/congresses/{c}/elections"),
            Payload::None,
            S::NOT_FOUND,
        ),
        step(
            "POST",
            "/congresses/{id}/elections",
            format!("/congresses/{c}/elections"),
            form(&[("kind", "committee"), ("seats", "3")]),
            S::NOT_FOUND,
        ),
        step(
            "POST",
            "/congresses/{id}/hand-votes",
            format!("/congresses/{c}/hand-votes"),
            form(&[("title", "x"), ("votes_for", "1"), ("present", "1")]),
            S::NOT_FOUND,
        ),
        step(
            "POST",
            "/congresses/{id}/counting-committee",
            format!("/congresses/{c}/counting-committee"),
            form(&[("members", "X")]),
            S::NOT_FOUND,
        ),
        step(
            "POST",
            "/congresses/{id}/report",
            format!("/congresses/{c}/report"),
            Payload::None,
            S::NOT_FOUND,
        ),
        step("GET", "/elections/{id}", format!("/elections/{e}"), Payload::None, S::NOT_FOUND),
        step(
            "POST",
            "/elections/{id}/candidates",
            format!("/elections/{e}/candidates"),
            form(&[("full_name", "X")]),
            S::NOT_FOUND,
        ),
        step(
            "POST",
            "/elections/{id}/approve",
            format!("/elections/{e}/approve"),
            votes(),
            S::NOT_FOUND,
        ),
        step(
            "GET",
            "/elections/{id}/plenum",
            format!("/elections/{e}/plenum"),
            Payload::None,
            S::NOT_FOUND,
        ),
        step(
            "POST",
            "/elections/{id}/plenum",
            format!("/elections/{e}/plenum"),
            form(&[("status-1", "absent_approved")]),
            S::NOT_FOUND,
        ),
        step(
            "POST",
            "/candidates/{id}/opinion",
            format!("/candidates/{k}/opinion"),
            form(&[("agree", "1"), ("present", "1")]),
            S::NOT_FOUND,
        ),
        step(
            "POST",
            "/candidates/{id}/withdrawal",
            format!("/candidates/{k}/withdrawal"),
            votes(),
            S::NOT_FOUND,
        ),
        step("GET", "/rounds/{id}", format!("/rounds/{r}"), Payload::None, S::NOT_FOUND),
        step(
            "POST",
            "/rounds/{id}/figures",
            format!("/rounds/{r}/figures"),
            form(&[("issued", "1"), ("collected", "1")]),
            S::NOT_FOUND,
        ),
        step(
            "POST",
            "/rounds/{id}/teams",
            format!("/rounds/{r}/teams"),
            form(&[("teams", "2")]),
            S::NOT_FOUND,
        ),
        step("POST", "/rounds/{id}/lock", format!("/rounds/{r}/lock"), Payload::None, S::NOT_FOUND),
        step("POST", "/rounds/{id}/next", format!("/rounds/{r}/next"), votes(), S::NOT_FOUND),
        step(
            "POST",
            "/rounds/{id}/alternates",
            format!("/rounds/{r}/alternates"),
            votes(),
            S::NOT_FOUND,
        ),
        step(
            "GET",
            "/rounds/{id}/count/{team}",
            format!("/rounds/{r}/count/1"),
            Payload::None,
            S::NOT_FOUND,
        ),
        step(
            "POST",
            "/rounds/{id}/count/{team}",
            format!("/rounds/{r}/count/1"),
            form(&[("keys", "0")]),
            S::NOT_FOUND,
        ),
        step(
            "POST",
            "/rounds/{id}/count/{team}/undo",
            format!("/rounds/{r}/count/1/undo"),
            Payload::None,
            S::NOT_FOUND,
        ),
        step(
            "GET",
            "/rounds/{id}/reconcile",
            format!("/rounds/{r}/reconcile"),
            Payload::None,
            S::NOT_FOUND,
        ),
        step(
            "POST",
            "/rounds/{id}/decisions",
            format!("/rounds/{r}/decisions"),
            form(&[("ballot", "1"), ("keys", "0")]),
            S::NOT_FOUND,
        ),
        step(
            "GET",
            "/rounds/{id}/result",
            format!("/rounds/{r}/result"),
            Payload::None,
            S::NOT_FOUND,
        ),
        step(
            "GET",
            "/rounds/{id}/projector",
            format!("/rounds/{r}/projector"),
            Payload::None,
            S::NOT_FOUND,
        ),
        step("GET", "/approvals", "/approvals".into(), Payload::None, S::OK),
        step("GET", "/elections", "/elections".into(), Payload::None, S::OK),
        step(
            "POST",
            "/approvals/{id}",
            format!("/approvals/{a}"),
            form(&[("decision", "approve")]),
            S::NOT_FOUND,
        ),
        step(
            "GET",
            "/api/v1/elections/{id}/result",
            format!("/api/v1/elections/{e}/result"),
            Payload::None,
            S::NOT_FOUND,
        ),
        step(
            "GET",
            "/api/v1/elections/{id}/minutes.pdf",
            format!("/api/v1/elections/{e}/minutes.pdf"),
            Payload::None,
            S::NOT_FOUND,
        ),
        step(
            "GET",
            "/api/v1/elections/{id}/minutes.docx",
            format!("/api/v1/elections/{e}/minutes.docx"),
            Payload::None,
            S::NOT_FOUND,
        ),
        step(
            "GET",
            "/api/v1/elections/{id}/ballots.pdf",
            format!("/api/v1/elections/{e}/ballots.pdf"),
            Payload::None,
            S::NOT_FOUND,
        ),
    ]
}

#[tokio::test]
async fn no_election_of_another_subtree_can_be_seen_or_changed() {
    for app in apps().await {
        let (other, own) = arrange(&app).await;
        let o = arrange_election(&app, &other).await;
        let admin = session(&app.store, own.admin_user).await;
        let before = app
            .store
            .audit_entries(&Default::default(), daihoi_store::Page::new(1, 1))
            .await
            .unwrap()
            .total;
        let mut secrets = other.names.clone();
        secrets.push("Giàng A Páo".into());
        run(&app, &admin, &elections_walk(&o), &secrets).await;
        let after = app
            .store
            .audit_entries(&Default::default(), daihoi_store::Page::new(1, 1))
            .await
            .unwrap()
            .total;
        assert_eq!(after, before, "[{}] a refused request wrote to the audit log", app.label);
        assert_eq!(
            app.store.approval(o.approval).await.unwrap().status,
            "pending",
            "[{}]",
            app.label
        );
        // The clerk of the other district does see its approval waiting (the walk can fail).
        let clerk = session(&app.store, other.user).await;
        let page = common::get(&app, "/approvals", &clerk).await;
        assert_eq!(page.status, StatusCode::OK, "[{}]", app.label);
        let counter =
            account(&app.store, "kiemphieu.muongnhe", Role::Counter, other.district).await;
        let counter = session(&app.store, counter.id).await;
        let page = common::get(&app, &format!("/rounds/{}/result", o.round), &counter).await;
        assert!(page.body.contains("Giàng A Páo"), "[{}] the result names the winner", app.label);
    }
}

#[tokio::test]
async fn a_viewer_is_refused_every_election_change_in_its_own_subtree() {
    for app in apps().await {
        let (_, own) = arrange(&app).await;
        let mine = arrange_election_in(&app, own.cell).await;
        let viewer = session(&app.store, own.viewer_user).await;
        let before = app
            .store
            .audit_entries(&Default::default(), daihoi_store::Page::new(1, 1))
            .await
            .unwrap()
            .total;
        let changes: Vec<Step> = elections_walk(&mine)
            .into_iter()
            .filter(|s| s.method == "POST")
            .map(|s| Step { expect: StatusCode::FORBIDDEN, ..s })
            .collect();
        assert_eq!(changes.len(), 18, "every change route is tried");
        run(&app, &viewer, &changes, &[]).await;
        let after = app
            .store
            .audit_entries(&Default::default(), daihoi_store::Page::new(1, 1))
            .await
            .unwrap()
            .total;
        assert_eq!(after, before, "[{}] a refused change was written", app.label);
        // The viewer does see the election and its result.
        let page = common::get(&app, &format!("/rounds/{}/result", mine.round), &viewer).await;
        assert_eq!(page.status, StatusCode::OK, "[{}]", app.label);
        assert!(!page.body.contains("/lock\""), "[{}] no sign-off button for a viewer", app.label);
    }
}
