//! How long the registry pages take on a city-sized organisation: 50 grassroots committees of
//! 4 cells each, 7,000 members, on SQLite, answered in process (`oneshot`, no socket). Run with
//! `cargo bench -p daihoi-web --bench registry`; the figures go in BENCHMARKS.md.

use std::sync::OnceLock;

use axum::Router;
use axum::body::{Body, to_bytes};
use axum::http::{Request, StatusCode, header};
use daihoi_core::access::Role;
use daihoi_core::member::{MemberStatus, Membership, Sex};
use daihoi_core::unit::UnitKind;
use daihoi_store::testing::{TestDb, sqlite};
use daihoi_store::{Actor, MemberInput, NewUnit};
use daihoi_web::{AppState, Config, router};
use tower::ServiceExt;

fn main() {
    divan::main();
}

struct Fixture {
    runtime: tokio::runtime::Runtime,
    router: Router,
    cookie: String,
    city: i64,
    committee: i64,
    _db: TestDb,
}

fn unit(parent: i64, name: String, kind: UnitKind, official: i64) -> NewUnit {
    NewUnit {
        parent_id: Some(parent),
        name,
        kind,
        issuer_abbrev: None,
        declared_official: official,
        declared_probationary: 0,
        valid_from: None,
        valid_to: None,
        note: None,
        lineage: Vec::new(),
    }
}

const FAMILIES: [&str; 8] = ["Nguyễn", "Trần", "Lê", "Lò", "Quàng", "Cà", "Giàng", "Vừ"];
const GIVENS: [&str; 10] = ["An", "Hà", "Hải", "Hùng", "Lan", "Mai", "Nam", "Páo", "Thắm", "Tuấn"];

fn fixture() -> &'static Fixture {
    static FIXTURE: OnceLock<Fixture> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        let runtime = tokio::runtime::Runtime::new().expect("runtime");
        let (db, city, committee, cookie) = runtime.block_on(async {
            let db = sqlite().await;
            let store = &db.store;
            let mut tx = store.begin_write(&Actor::system("bench")).await.expect("begin");
            let mut root = unit(0, "Ban Chấp hành Trung ương".into(), UnitKind::Central, 0);
            root.parent_id = None;
            let (central, _) = store.create_unit(&mut tx, root).await.expect("central");
            let (province, _) = store
                .create_unit(
                    &mut tx,
                    unit(central.id, "Đảng bộ tỉnh Điện Biên".into(), UnitKind::Province, 100),
                )
                .await
                .expect("province");
            let (city, _) = store
                .create_unit(
                    &mut tx,
                    unit(
                        province.id,
                        "Đảng bộ thành phố Điện Biên Phủ".into(),
                        UnitKind::District,
                        30,
                    ),
                )
                .await
                .expect("city");
            let mut first_committee = 0;
            let mut n = 0_usize;
            for g in 1..=50 {
                let name = format!("Đảng bộ cơ quan số {g:02}");
                let (committee, _) = store
                    .create_unit(&mut tx, unit(city.id, name, UnitKind::GrassrootsCommittee, 30))
                    .await
                    .expect("committee");
                if first_committee == 0 {
                    first_committee = committee.id;
                }
                for c in 1..=4 {
                    let (cell, _) = store
                        .create_unit(
                            &mut tx,
                            unit(
                                committee.id,
                                format!("Chi bộ {c} cơ quan {g:02}"),
                                UnitKind::Cell,
                                3,
                            ),
                        )
                        .await
                        .expect("cell");
                    for _ in 0..35 {
                        n += 1;
                        let input = MemberInput {
                            full_name: format!("{} Văn {}", FAMILIES[n % 8], GIVENS[(n / 8) % 10]),
                            birth_date: time::Date::from_ordinal_date(
                                1950 + (n % 50) as i32,
                                1 + (n % 365) as u16,
                            )
                            .ok(),
                            sex: Some(if n.is_multiple_of(3) { Sex::Female } else { Sex::Male }),
                            ethnicity: None,
                            joined_date: None,
                            membership: if n.is_multiple_of(10) {
                                Membership::Probationary
                            } else {
                                Membership::Official
                            },
                            status: MemberStatus::Active,
                            education: None,
                            theory_level: None,
                            note: None,
                        };
                        store.create_member(&mut tx, cell.id, &input).await.expect("member");
                    }
                }
            }
            let user = store
                .create_user(&mut tx, "bantochuc", "", "a-long-bench-password", "vi")
                .await
                .expect("user");
            store.grant_role(&mut tx, user.id, Role::OrgBoard, city.id).await.expect("grant");
            tx.commit().await.expect("commit");
            let secret = store.create_session(user.id).await.expect("session");
            (db, city.id, first_committee, format!("daihoi_session={secret}"))
        });
        let state = AppState::new(db.store.clone(), Config::default()).expect("templates");
        Fixture { runtime, router: router(state), cookie, city, committee, _db: db }
    })
}

fn get(path: &str) -> usize {
    let fixture = fixture();
    fixture.runtime.block_on(async {
        let request = Request::builder()
            .uri(path)
            .header(header::COOKIE, &fixture.cookie)
            .body(Body::empty())
            .expect("request");
        let response = fixture.router.clone().oneshot(request).await.expect("answer");
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        to_bytes(response.into_body(), usize::MAX).await.expect("body").len()
    })
}

#[divan::bench]
fn unit_page_of_the_city_sorted_by_members(bencher: divan::Bencher<'_, '_>) {
    let path = format!("/units/{}?sort=members&page=2", fixture().city);
    bencher.bench(|| get(&path));
}

#[divan::bench]
fn tree_node_of_the_city(bencher: divan::Bencher<'_, '_>) {
    let path = format!("/units/{}/tree", fixture().city);
    bencher.bench(|| get(&path));
}

#[divan::bench]
fn member_list_of_a_committee(bencher: divan::Bencher<'_, '_>) {
    let path = format!("/units/{}/members?sort=birth_date&dir=desc&page=2", fixture().committee);
    bencher.bench(|| get(&path));
}

#[divan::bench]
fn member_list_of_the_city_filtered(bencher: divan::Bencher<'_, '_>) {
    bencher.bench(|| get("/members?q=ha&sex=female&page=3"));
}

#[divan::bench]
fn search_without_accents(bencher: divan::Bencher<'_, '_>) {
    bencher.bench(|| get("/search?q=nguyen+van+a"));
}

#[divan::bench]
fn api_children_of_the_city(bencher: divan::Bencher<'_, '_>) {
    let path = format!("/api/v1/units/{}/children?sort=name&page_size=50", fixture().city);
    bencher.bench(|| get(&path));
}
