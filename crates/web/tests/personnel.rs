//! Personnel pages in process, on every backend: the plan form with its errors, dossiers, the
//! live target panel with a ticked subset, the 5-step pages with a tie, the allocation page
//! (preview, tie decision, save, notice and table), documents, and composition statistics.

mod common;

use axum::http::{StatusCode, header};
use common::{App, account, apps, get, member, post, session, unit};
use daihoi_core::access::Role;
use daihoi_core::member::Membership;
use daihoi_core::unit::UnitKind;
use daihoi_store::congress::{CongressContent, CongressKind, NewCongress, SessionKind};

struct Arranged {
    city: i64,
    congress: i64,
    ward_congress: i64,
    wards: Vec<i64>,
}

async fn arrange(app: &App) -> Arranged {
    let store = &app.store;
    let central = unit(store, None, "Trung ương", UnitKind::Central, 0).await;
    let province =
        unit(store, Some(central.id), "Đảng bộ tỉnh Điện Biên", UnitKind::Province, 1000).await;
    let city =
        unit(store, Some(province.id), "Đảng bộ thành phố Điện Biên Phủ", UnitKind::District, 0)
            .await;
    let mut wards = Vec::new();
    for (name, n) in [
        ("Đảng bộ phường Him Lam", 6),
        ("Đảng bộ phường Mường Thanh", 4),
        ("Đảng bộ phường Tân Thanh", 2),
    ] {
        let ward = unit(store, Some(city.id), name, UnitKind::GrassrootsCommittee, 0).await;
        let cell = unit(store, Some(ward.id), "Chi bộ 1", UnitKind::Cell, 3).await;
        for index in 0..n {
            member(store, cell.id, &format!("Đảng viên {name} {index}"), Membership::Official)
                .await;
        }
        wards.push(ward.id);
    }
    let mut tx = store.begin_write(&daihoi_store::Actor::system("test")).await.unwrap();
    let new = |unit_id, kind| NewCongress {
        unit_id,
        ordinal: Some(13),
        term_start: 2020,
        term_end: 2025,
        kind,
        content: CongressContent::FourItems,
        rules: "qd190-2024".into(),
        title: String::new(),
        place: None,
        venue: None,
        pilot: false,
        sessions: vec![(SessionKind::Official, None, None)],
    };
    let congress =
        store.create_congress(&mut tx, new(city.id, CongressKind::Delegates)).await.unwrap().id;
    let ward_congress =
        store.create_congress(&mut tx, new(wards[0], CongressKind::Members)).await.unwrap().id;
    tx.commit().await.unwrap();
    Arranged { city: city.id, congress, ward_congress, wards }
}

fn dossier<'a>(
    name: &'a str,
    birth: &'a str,
    sex: &'a str,
    incumbent: bool,
) -> Vec<(&'a str, &'a str)> {
    let mut pairs = vec![
        ("full_name", name),
        ("birth", birth),
        ("sex", sex),
        ("ethnicity", "Thái"),
        ("planned_post", "member"),
    ];
    if incumbent {
        pairs.push(("incumbent", "1"));
    }
    pairs
}

#[tokio::test]
async fn plan_dossiers_targets_and_documents() {
    for app in apps().await {
        let a = arrange(&app).await;
        let admin = account(&app.store, "admin", Role::Admin, a.city).await;
        let s = session(&app.store, admin.id).await;
        let c = a.ward_congress;
        let base = format!("/congresses/{c}/personnel");
        let page = get(&app, &base, &s).await;
        assert_eq!(page.status, StatusCode::OK, "[{}] {}", app.label, page.body);
        assert!(page.text().contains("Chỉ thị 35-CT/TW"), "[{}]", app.label);
        assert!(get(&app, "/personnel", &s).await.body.contains(&base), "[{}]", app.label);

        // A bad plan: the field is named, nothing stored.
        let bad = post(
            &app,
            &format!("{base}/plan"),
            &s,
            &[
                ("campaign", "ct35-2019"),
                ("level", "grassroots"),
                ("reference_date", "31/02/2020"),
                ("committee_size", "3"),
            ],
        )
        .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "[{}]", app.label);
        assert!(bad.body.contains("Ngày không hợp lệ"), "[{}] {}", app.label, bad.body);
        assert!(!app.store.personnel_plan(c).await.unwrap().saved, "[{}]", app.label);
        let ok = post(
            &app,
            &format!("{base}/plan"),
            &s,
            &[
                ("campaign", "ct35-2019"),
                ("level", "upper_grassroots"),
                ("reference_date", "01/06/2020"),
                ("committee_size", "3"),
                ("standing_size", "1"),
            ],
        )
        .await;
        assert_eq!(ok.status, StatusCode::SEE_OTHER, "[{}] {}", app.label, ok.body);

        // Dossiers: one refused (no birth), four added.
        let refused =
            post(&app, &format!("{base}/dossiers/new"), &s, &dossier("Lò Văn A", "", "male", true))
                .await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "[{}]", app.label);
        assert!(refused.body.contains("ngày sinh"), "[{}]", app.label);
        for (name, birth, sex, inc) in [
            ("Lò Văn A", "1962", "male", true),
            ("Lò Thị B", "12/03/1978", "female", true),
            ("Cà Văn D", "1985", "male", false),
            ("Quàng Văn E", "1990", "male", false),
        ] {
            let answer =
                post(&app, &format!("{base}/dossiers/new"), &s, &dossier(name, birth, sex, inc))
                    .await;
            assert_eq!(answer.status, StatusCode::SEE_OTHER, "[{}] {}", app.label, answer.body);
        }
        let dossiers = app.store.dossiers(c).await.unwrap();
        assert_eq!(dossiers.len(), 4, "[{}]", app.label);
        // Lò Văn A (born 1962, re-election, reference 06/2020): 1/2022 − 6/2020 = 19 < 30 months.
        let page = get(&app, &base, &s).await;
        assert!(page.text().contains("19/30"), "[{}]", app.label);

        // The panel on the whole list: 4 for 3 members is 33% surplus (needs 4 to 3… 10–15%).
        let panel = get(&app, &format!("{base}/targets"), &s).await;
        assert_eq!(panel.status, StatusCode::OK, "[{}]", app.label);
        assert!(panel.body.contains("data-target=\"surplus\""), "[{}]", app.label);
        assert!(panel.body.contains("Lò Văn A"), "[{}] the ineligible are named", app.label);
        // Women 1/4 = 25% ≥ 15%: met. Without B (the only woman): missed, and she is no longer counted.
        let women_row = |body: &str| {
            body.split("<tr")
                .find(|row| row.contains("Cán bộ nữ") && !row.contains("Ban Thường vụ"))
                .map(str::to_owned)
                .unwrap_or_default()
        };
        assert!(
            women_row(&panel.body).contains("met"),
            "[{}] {}",
            app.label,
            women_row(&panel.body)
        );
        let b = dossiers.iter().find(|d| d.full_name == "Lò Thị B").unwrap();
        let others: Vec<String> =
            dossiers.iter().filter(|d| d.id != b.id).map(|d| format!("in={}", d.id)).collect();
        let subset = get(&app, &format!("{base}/targets?list=1&{}", others.join("&")), &s).await;
        assert!(women_row(&subset.body).contains("missed"), "[{}]", app.label);
        assert!(subset.body.contains("(3 người)"), "[{}]", app.label);

        // Documents.
        let cv = get(&app, &format!("/dossiers/{}/cv.docx", b.id), &s).await;
        assert_eq!(cv.status, StatusCode::OK, "[{}]", app.label);
        assert!(cv.body.starts_with("PK"), "[{}]", app.label);
        assert!(
            cv.headers
                .get(header::CONTENT_DISPOSITION)
                .unwrap()
                .to_str()
                .unwrap()
                .contains(".docx"),
            "[{}]",
            app.label
        );
        let xlsx = get(&app, &format!("{base}/summary.xlsx"), &s).await;
        assert!(xlsx.body.starts_with("PK"), "[{}]", app.label);

        // Edit with a stale version is refused; the current one is saved.
        let edit = format!("/dossiers/{}/edit", b.id);
        assert_eq!(get(&app, &edit, &s).await.status, StatusCode::OK, "[{}]", app.label);
        let mut pairs = dossier("Lò Thị Bình", "12/03/1978", "female", true);
        pairs.push(("version", "99"));
        assert_eq!(
            post(&app, &edit, &s, &pairs).await.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "[{}]",
            app.label
        );
        let version = b.version.to_string();
        let mut pairs = dossier("Lò Thị Bình", "12/03/1978", "female", true);
        pairs.push(("version", &version));
        assert_eq!(
            post(&app, &edit, &s, &pairs).await.status,
            StatusCode::SEE_OTHER,
            "[{}]",
            app.label
        );
        assert_eq!(
            app.store.dossier(b.id).await.unwrap().full_name,
            "Lò Thị Bình",
            "[{}]",
            app.label
        );

        // The election result feeds the composition statistics of the city.
        let ids: Vec<String> = dossiers.iter().take(3).map(|d| d.id.to_string()).collect();
        let mut pairs: Vec<(&str, &str)> = ids.iter().map(|id| ("elected", id.as_str())).collect();
        pairs.push(("secretary", ids[0].as_str()));
        pairs.push(("direct", "1"));
        assert_eq!(
            post(&app, &format!("{base}/elected"), &s, &pairs).await.status,
            StatusCode::SEE_OTHER,
            "[{}]",
            app.label
        );
        let stats = get(&app, &format!("/units/{}/composition", a.city), &s).await;
        assert_eq!(stats.status, StatusCode::OK, "[{}]", app.label);
        assert!(stats.body.contains("<svg"), "[{}]", app.label);
        assert!(stats.body.contains("Đảng bộ phường Him Lam"), "[{}]", app.label);
        assert!(stats.body.contains("1 (33,3%)"), "[{}] one woman of three", app.label);
        let stats_xlsx = get(&app, &format!("/units/{}/composition.xlsx", a.city), &s).await;
        assert!(stats_xlsx.body.starts_with("PK"), "[{}]", app.label);
    }
}

#[tokio::test]
async fn the_five_steps_with_a_tie() {
    for app in apps().await {
        let a = arrange(&app).await;
        let admin = account(&app.store, "admin", Role::Admin, a.city).await;
        let s = session(&app.store, admin.id).await;
        let c = a.ward_congress;
        let base = format!("/congresses/{c}/personnel");
        for (name, birth) in [("Lò Văn A", "1975"), ("Lò Văn C", "1976")] {
            post(&app, &format!("{base}/dossiers/new"), &s, &dossier(name, birth, "male", true))
                .await;
        }
        let ids: Vec<i64> = app.store.dossiers(c).await.unwrap().iter().map(|d| d.id).collect();
        let steps = format!("{base}/steps");
        let page = get(&app, &steps, &s).await;
        assert!(page.body.contains("name=\"summoned\""), "[{}]", app.label);
        let va = format!("votes_{}", ids[0]);
        let vc = format!("votes_{}", ids[1]);
        // 9 summoned: 4 votes are not more than half.
        let one = post(
            &app,
            &steps,
            &s,
            &[
                ("track", "re"),
                ("step", "1"),
                ("summoned", "9"),
                ("attended", "8"),
                (&va, "5"),
                (&vc, "4"),
            ],
        )
        .await;
        assert_eq!(one.status, StatusCode::SEE_OTHER, "[{}] {}", app.label, one.body);
        let bad = post(
            &app,
            &steps,
            &s,
            &[("track", "re"), ("step", "2"), ("summoned", "9"), ("attended", "8"), (&va, "9")],
        )
        .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "[{}]", app.label);
        assert!(bad.body.contains("Số phiếu"), "[{}]", app.label);
        let page = get(&app, &steps, &s).await;
        assert!(page.body.contains("Không đạt"), "[{}]", app.label);
        assert_eq!(
            app.store
                .step_candidates(c, daihoi_store::personnel::StepTrack::Reelection, 2)
                .await
                .unwrap()
                .len(),
            1,
            "[{}]",
            app.label
        );
        // Steps 2 to 5 carry A; the list after step 5 goes onto the committee election.
        for step in ["2", "3", "4", "5"] {
            let answer = post(
                &app,
                &steps,
                &s,
                &[
                    ("track", "re"),
                    ("step", step),
                    ("summoned", "9"),
                    ("attended", "8"),
                    (&va, "8"),
                ],
            )
            .await;
            assert_eq!(answer.status, StatusCode::SEE_OTHER, "[{}] step {step}", app.label);
        }
        let page = get(&app, &steps, &s).await;
        assert!(page.body.contains("id=\"present\""), "[{}]", app.label);
        assert!(!page.body.contains("name=\"election_id\""), "[{}] no election yet", app.label);
        let created = post(
            &app,
            &format!("/congresses/{c}/elections"),
            &s,
            &[("kind", "committee"), ("seats", "3"), ("voters", "congress")],
        )
        .await;
        assert_eq!(created.status, StatusCode::SEE_OTHER, "[{}] {}", app.label, created.body);
        let election: i64 = created
            .location()
            .trim_start_matches("/elections/")
            .split(['/', '#'])
            .next()
            .and_then(|id| id.parse().ok())
            .unwrap();
        let page = get(&app, &steps, &s).await;
        assert!(page.body.contains("name=\"election_id\""), "[{}]", app.label);
        let bad = post(&app, &format!("{base}/present"), &s, &[("election_id", "x")]).await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "[{}]", app.label);
        assert!(app.store.candidates(election).await.unwrap().is_empty(), "[{}]", app.label);
        let id = election.to_string();
        let presented = post(&app, &format!("{base}/present"), &s, &[("election_id", &id)]).await;
        assert_eq!(presented.status, StatusCode::SEE_OTHER, "[{}] {}", app.label, presented.body);
        assert_eq!(presented.location(), format!("/elections/{election}#list"), "[{}]", app.label);
        let names: Vec<String> = app
            .store
            .candidates(election)
            .await
            .unwrap()
            .into_iter()
            .map(|c| c.full_name)
            .collect();
        assert_eq!(names, ["Lò Văn A"], "[{}]", app.label);
    }
}

#[tokio::test]
async fn allocation_preview_tie_and_save() {
    for app in apps().await {
        let a = arrange(&app).await;
        let admin = account(&app.store, "admin", Role::Admin, a.city).await;
        let s = session(&app.store, admin.id).await;
        let base = format!("/congresses/{}/allocation", a.congress);
        let page = get(&app, &base, &s).await;
        assert_eq!(page.status, StatusCode::OK, "[{}]", app.label);
        assert!(page.body.contains("Đảng bộ phường Him Lam"), "[{}]", app.label);
        // D'Hondt, no base, 4 seats for 6:4:2 members: 6, 4, 3, then 2 (6/3), 2 (4/2), 2 (2/1) tie.
        let preview =
            get(&app, &format!("{base}?total=4&base=0&alternates=0&method=dhondt"), &s).await;
        assert!(preview.body.contains("personnel-tie"), "[{}] {}", app.label, preview.body);
        let refused = post(
            &app,
            &base,
            &s,
            &[("total", "4"), ("base", "0"), ("alternates", "0"), ("method", "dhondt")],
        )
        .await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "[{}]", app.label);
        assert!(app.store.allocation(a.congress).await.unwrap().is_none(), "[{}]", app.label);
        let tie = a.wards[2].to_string();
        let appointed = format!("appointed_{}", a.wards[1]);
        let saved = post(
            &app,
            &base,
            &s,
            &[
                ("total", "4"),
                ("base", "0"),
                ("alternates", "1"),
                ("method", "dhondt"),
                ("tie", &tie),
                ("tie_note", "Ban Thường vụ quyết định"),
                (&appointed, "1"),
            ],
        )
        .await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "[{}] {}", app.label, saved.body);
        let stored = app.store.allocation(a.congress).await.unwrap().unwrap();
        let seats: Vec<(i64, bool)> =
            stored.rows.iter().map(|r| (r.elected, r.appointed)).collect();
        assert_eq!(seats, [(2, false), (1, true), (1, false)], "[{}]", app.label);
        assert_eq!(stored.tie_note.as_deref(), Some("Ban Thường vụ quyết định"), "[{}]", app.label);
        let page = get(&app, &base, &s).await;
        assert!(page.body.contains("Ban Thường vụ quyết định"), "[{}]", app.label);
        let notice = get(&app, &format!("{base}/notice.docx"), &s).await;
        assert!(notice.body.starts_with("PK"), "[{}]", app.label);
        let table = get(&app, &format!("/congresses/{}/allocation.xlsx", a.congress), &s).await;
        assert!(table.body.starts_with("PK"), "[{}]", app.label);

        // Mường Thanh elects none: its one delegate is appointed; a second is refused.
        let ward = a.wards[1].to_string();
        let appoint = format!("{base}/appoint");
        let one =
            post(&app, &appoint, &s, &[("unit_id", &ward), ("names", "Lê Văn Chỉ Định")]).await;
        assert_eq!(one.status, StatusCode::SEE_OTHER, "[{}] {}", app.label, one.body);
        let two = post(&app, &appoint, &s, &[("unit_id", &ward), ("names", "Người Thứ Hai")]).await;
        assert_eq!(two.status, StatusCode::UNPROCESSABLE_ENTITY, "[{}]", app.label);
        // An elected delegate of Him Lam who cannot attend is replaced by its first alternate.
        let person = |name: &str, role, rank| daihoi_store::congress::NewPerson {
            member_id: None,
            full_name: name.into(),
            birth_date: None,
            sex: None,
            ethnicity: None,
            delegation: Some("Him Lam".into()),
            source_unit_id: Some(a.wards[0]),
            role,
            alternate_rank: rank,
            standing: daihoi_store::congress::Standing::Active,
        };
        use daihoi_store::congress::PersonRole;
        let mut tx = app.store.begin_write(&daihoi_store::Actor::system("test")).await.unwrap();
        let added = app
            .store
            .add_people(
                &mut tx,
                a.congress,
                &[
                    person("Đại biểu Một", PersonRole::Elected, None),
                    person("Dự khuyết Một", PersonRole::Alternate, Some(1)),
                ],
            )
            .await
            .unwrap();
        tx.commit().await.unwrap();
        let delegate = added[0].id.to_string();
        let replaced = post(&app, &format!("{base}/replace"), &s, &[("delegate", &delegate)]).await;
        assert_eq!(replaced.status, StatusCode::SEE_OTHER, "[{}] {}", app.label, replaced.body);
        assert_eq!(
            app.store.person(added[1].id).await.unwrap().seated_for,
            Some(added[0].id),
            "[{}]",
            app.label
        );
        let again = post(&app, &format!("{base}/replace"), &s, &[("delegate", &delegate)]).await;
        assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY, "[{}]", app.label);
    }
}

#[tokio::test]
async fn a_viewer_reads_but_cannot_change() {
    for app in apps().await {
        let a = arrange(&app).await;
        let viewer = account(&app.store, "xem", Role::Viewer, a.city).await;
        let s = session(&app.store, viewer.id).await;
        let c = a.ward_congress;
        let page = get(&app, &format!("/congresses/{c}/personnel"), &s).await;
        assert_eq!(page.status, StatusCode::OK, "[{}]", app.label);
        assert!(!page.body.contains("/personnel/dossiers/new\""), "[{}] no add button", app.label);
        for (uri, pairs) in [
            (
                format!("/congresses/{c}/personnel/plan"),
                vec![("campaign", "ct35-2019"), ("level", "grassroots")],
            ),
            (
                format!("/congresses/{c}/personnel/dossiers/new"),
                dossier("Lò Văn A", "1970", "male", true),
            ),
            (
                format!("/congresses/{c}/personnel/steps"),
                vec![("track", "re"), ("step", "1"), ("summoned", "9"), ("attended", "9")],
            ),
            (format!("/congresses/{}/allocation", a.congress), vec![("total", "10")]),
        ] {
            assert_eq!(
                post(&app, &uri, &s, &pairs).await.status,
                StatusCode::FORBIDDEN,
                "[{}] {uri}",
                app.label
            );
        }
        assert!(app.store.dossiers(c).await.unwrap().is_empty(), "[{}]", app.label);
        assert_eq!(
            get(&app, &format!("/congresses/{c}/personnel/dossiers/new"), &s).await.status,
            StatusCode::FORBIDDEN,
            "[{}]",
            app.label
        );
    }
}

#[tokio::test]
async fn a_dossier_from_the_roster() {
    for app in apps().await {
        let a = arrange(&app).await;
        let admin = account(&app.store, "admin", Role::Admin, a.city).await;
        let s = session(&app.store, admin.id).await;
        let c = a.ward_congress;
        let new = format!("/congresses/{c}/personnel/dossiers/new");
        let found = get(&app, &format!("{new}?q=dang+vien+dang+bo+phuong+him"), &s).await;
        assert!(
            found.body.contains("Đảng viên Đảng bộ phường Him Lam 3"),
            "[{}] {}",
            app.label,
            found.body
        );
        // A member of another ward is not offered, and cannot be taken.
        assert!(!found.body.contains("Mường Thanh"), "[{}]", app.label);
        let members = app
            .store
            .members(
                &daihoi_store::MemberFilter {
                    unit_id: None,
                    subtree_paths: vec![],
                    query: Some("dang vien dang bo phuong muong".into()),
                    membership: None,
                    status: None,
                    sex: None,
                    ethnicity: None,
                },
                daihoi_store::MemberSort::Name,
                false,
                daihoi_store::Page::new(1, 5),
            )
            .await
            .unwrap();
        let outsider = members.items[0].id;
        assert_eq!(
            get(&app, &format!("{new}?member={outsider}"), &s).await.status,
            StatusCode::NOT_FOUND,
            "[{}]",
            app.label
        );
        let insider = app
            .store
            .members(
                &daihoi_store::MemberFilter {
                    unit_id: None,
                    subtree_paths: vec![],
                    query: Some("dang vien dang bo phuong him".into()),
                    membership: None,
                    status: None,
                    sex: None,
                    ethnicity: None,
                },
                daihoi_store::MemberSort::Name,
                false,
                daihoi_store::Page::new(1, 5),
            )
            .await
            .unwrap()
            .items[0]
            .clone();
        let form = get(&app, &format!("{new}?member={}", insider.id), &s).await;
        assert!(
            form.body.contains(&format!("name=\"member_id\" value=\"{}\"", insider.id)),
            "[{}]",
            app.label
        );
        let id = insider.id.to_string();
        let outsider_id = outsider.to_string();
        let mut pairs = dossier(&insider.full_name, "1980", "male", false);
        pairs.push(("member_id", &outsider_id));
        assert_eq!(
            post(&app, &new, &s, &pairs).await.status,
            StatusCode::NOT_FOUND,
            "[{}]",
            app.label
        );
        let mut pairs = dossier(&insider.full_name, "1980", "male", false);
        pairs.push(("member_id", &id));
        assert_eq!(
            post(&app, &new, &s, &pairs).await.status,
            StatusCode::SEE_OTHER,
            "[{}]",
            app.label
        );
        assert_eq!(
            app.store.dossiers(c).await.unwrap()[0].member_id,
            Some(insider.id),
            "[{}]",
            app.label
        );
    }
}

#[tokio::test]
async fn the_delegations_of_the_city_congress_and_their_composition() {
    use daihoi_core::member::Sex;
    use daihoi_store::congress::{NewPerson, PersonRole, Standing};
    for app in apps().await {
        let a = arrange(&app).await;
        let admin = account(&app.store, "admin", Role::Admin, a.city).await;
        let s = session(&app.store, admin.id).await;
        let c = a.congress;
        let empty = get(&app, &format!("/congresses/{c}/delegations"), &s).await;
        assert_eq!(empty.status, StatusCode::OK, "[{}]", app.label);
        assert!(empty.body.contains("chưa có đại biểu"), "[{}]", app.label);
        let person = |name: &str, sex, ethnicity: &str, delegation: &str, role, rank| NewPerson {
            member_id: None,
            full_name: name.into(),
            birth_date: Some(time::macros::date!(1975 - 05 - 01)),
            sex: Some(sex),
            ethnicity: Some(ethnicity.into()),
            delegation: Some(delegation.into()),
            source_unit_id: None,
            role,
            alternate_rank: rank,
            standing: Standing::Active,
        };
        let people = vec![
            person(
                "Lò Thị Xuân",
                Sex::Female,
                "Thái",
                "Đảng bộ phường Him Lam",
                PersonRole::Elected,
                None,
            ),
            person(
                "Trần Văn Nam",
                Sex::Male,
                "Kinh",
                "Đảng bộ phường Him Lam",
                PersonRole::Elected,
                None,
            ),
            person(
                "Cà Văn Hùng",
                Sex::Male,
                "Thái",
                "Đảng bộ phường Him Lam",
                PersonRole::Alternate,
                Some(1),
            ),
            person(
                "Nguyễn Thị Hà",
                Sex::Female,
                "Kinh",
                "Đảng bộ phường Mường Thanh",
                PersonRole::Elected,
                None,
            ),
            person("Giàng A Páo", Sex::Male, "Mông", "", PersonRole::ExOfficio, None),
        ];
        let mut tx = app.store.begin_write(&daihoi_store::Actor::system("test")).await.unwrap();
        app.store.add_people(&mut tx, c, &people).await.unwrap();
        tx.commit().await.unwrap();
        let page = get(&app, &format!("/congresses/{c}/delegations"), &s).await;
        assert_eq!(page.status, StatusCode::OK, "[{}]", app.label);
        assert!(page.body.contains("<svg"), "[{}] the chart", app.label);
        let him_lam = page.body.find("Đảng bộ phường Him Lam").unwrap();
        let muong_thanh = page.body.find("Đảng bộ phường Mường Thanh").unwrap();
        assert!(him_lam < muong_thanh, "[{}] the largest delegation first", app.label);
        assert!(page.body.contains("Đại biểu đương nhiên"), "[{}]", app.label);
        // Him Lam: 3 people, 1 alternate, 1 woman (33,3%), 2 minorities (66,7%).
        assert!(
            page.body.contains("1 (33,3%)") && page.body.contains("2 (66,7%)"),
            "[{}]",
            app.label
        );
        let (status, _, bytes) =
            common::download(&app, &format!("/congresses/{c}/delegations.xlsx"), &s).await;
        assert_eq!(status, StatusCode::OK, "[{}]", app.label);
        let table =
            daihoi_format::table::read_table(&bytes, daihoi_format::table::TableFormat::Xlsx)
                .unwrap();
        let cells: Vec<Vec<String>> = table
            .rows
            .iter()
            .map(|row| row.cells.iter().map(|c| c.text().unwrap_or_default()).collect())
            .collect();
        let him_lam_row = cells.iter().find(|r| r[0] == "Đảng bộ phường Him Lam").unwrap();
        assert_eq!(&him_lam_row[1..5], ["3", "1", "1", "2"], "[{}]", app.label);
        let total = cells.iter().find(|r| r[0] == "Cộng").unwrap();
        assert_eq!(total[1], "5", "[{}]", app.label);
        // Another subtree's user is refused.
        let other = account(&app.store, "khac", Role::Viewer, a.wards[1]).await;
        let other = session(&app.store, other.id).await;
        let refused = get(&app, &format!("/congresses/{c}/delegations"), &other).await;
        assert_eq!(refused.status, StatusCode::NOT_FOUND, "[{}]", app.label);
    }
}
