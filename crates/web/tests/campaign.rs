//! The campaign pages on every backend: creation from a directive, the timetable form, the
//! scheduling table (save all, refusals per cell, bulk scheduling, XLSX export and import),
//! the dashboard with a late unit, the problems page and the progress report files.

mod common;

use axum::body::{Body, to_bytes};
use axum::http::{Request, StatusCode, header};
use common::{App, account, apps, get, post, session, unit};
use daihoi_core::access::Role;
use daihoi_core::campaign::Status;
use daihoi_core::unit::UnitKind;
use daihoi_render::{Cell, Sheet, SheetColumn, xlsx_table};
use time::macros::date;
use tower::ServiceExt;

struct Arranged {
    province: i64,
    ward: i64,
    cells: [i64; 2],
    admin: common::Session,
}

async fn arrange(app: &App) -> Arranged {
    let store = &app.store;
    let central = unit(store, None, "Trung ương", UnitKind::Central, 0).await;
    let province =
        unit(store, Some(central.id), "Đảng bộ tỉnh Điện Biên", UnitKind::Province, 0).await;
    let city =
        unit(store, Some(province.id), "Đảng bộ thành phố Điện Biên Phủ", UnitKind::District, 0)
            .await;
    let ward =
        unit(store, Some(city.id), "Đảng bộ phường Him Lam", UnitKind::GrassrootsCommittee, 0)
            .await;
    let cell_a = unit(store, Some(ward.id), "Chi bộ tổ dân phố 1", UnitKind::Cell, 150).await;
    let cell_b = unit(store, Some(ward.id), "Chi bộ tổ dân phố 2", UnitKind::Cell, 90).await;
    let admin = account(store, "bantochuc", Role::Admin, province.id).await;
    let admin = session(store, admin.id).await;
    Arranged { province: province.id, ward: ward.id, cells: [cell_a.id, cell_b.id], admin }
}

async fn raw(app: &App, request: Request<Body>) -> (StatusCode, String, Vec<u8>) {
    let response = app.router.clone().oneshot(request).await.expect("infallible");
    let status = response.status();
    let content_type = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .unwrap_or("")
        .to_string();
    let bytes = to_bytes(response.into_body(), 64 * 1024 * 1024).await.expect("body").to_vec();
    (status, content_type, bytes)
}

async fn download(
    app: &App,
    uri: &str,
    session: &common::Session,
) -> (StatusCode, String, Vec<u8>) {
    let request = Request::builder()
        .uri(uri)
        .header(header::HOST, "localhost")
        .header(header::COOKIE, &session.cookie)
        .body(Body::empty())
        .unwrap();
    raw(app, request).await
}

async fn upload(
    app: &App,
    uri: &str,
    session: &common::Session,
    name: &str,
    data: &[u8],
) -> (StatusCode, String) {
    let boundary = "----daihoi-test-boundary";
    let mut body = Vec::new();
    body.extend_from_slice(
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(data);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let request = Request::builder()
        .method("POST")
        .uri(uri)
        .header(header::HOST, "localhost")
        .header(header::COOKIE, &session.cookie)
        .header("x-csrf-token", &session.csrf)
        .header(header::CONTENT_TYPE, format!("multipart/form-data; boundary={boundary}"))
        .body(Body::from(body))
        .unwrap();
    let (status, _, bytes) = raw(app, request).await;
    (status, String::from_utf8_lossy(&bytes).into_owned())
}

#[tokio::test]
async fn a_campaign_is_created_scheduled_and_tracked() {
    for app in apps().await {
        let label = app.label;
        let a = arrange(&app).await;
        let s = &a.admin;
        let province = a.province.to_string();
        let created = post(
            &app,
            "/campaigns",
            s,
            &[("template", "ct35-2020"), ("root", &province), ("name", "")],
        )
        .await;
        assert_eq!(created.status, StatusCode::SEE_OTHER, "[{label}] {}", created.body);
        let campaign = app.store.campaigns(&[]).await.unwrap().remove(0);
        assert_eq!(created.location(), format!("/campaigns/{}/edit?done=created", campaign.id));
        let list = get(&app, "/campaigns", s).await;
        assert!(list.body.contains("Đại hội đảng bộ các cấp nhiệm kỳ 2020 - 2025"), "[{label}]");
        assert!(
            get(&app, "/", s).await.body.contains("href=\"/campaigns\""),
            "[{label}] menu item"
        );

        // The timetable form refuses a bad date where it was typed, then saves.
        let edit_uri = format!("/campaigns/{}/edit", campaign.id);
        let version = campaign.version.to_string();
        let mut fields = vec![
            ("name", "Đại hội nhiệm kỳ 2020 - 2025"),
            ("term_start", "2020"),
            ("term_end", "2025"),
            ("directive", "Chỉ thị 35-CT/TW ngày 30/5/2019"),
            ("guidance", "Hướng dẫn 26-HD/BTCTW"),
            ("version", &version),
            ("cell_deadline", "2020-03-31"),
            ("grassroots_deadline", "31/02/2020"),
        ];
        let refused = post(&app, &edit_uri, s, &fields).await;
        assert_eq!(refused.status, StatusCode::OK, "[{label}] {}", refused.body);
        assert!(refused.body.contains("Ngày không hợp lệ"), "[{label}]");
        fields[7] = ("grassroots_deadline", "30/06/2020");
        fields.push(("upper_deadline", "2020-08-31"));
        fields.push(("grassroots_max_days", "2"));
        let saved = post(&app, &edit_uri, s, &fields).await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "[{label}] {}", saved.body);
        let campaign = app.store.campaign(campaign.id).await.unwrap();
        assert_eq!(campaign.name, "Đại hội nhiệm kỳ 2020 - 2025");
        assert_eq!(
            campaign.rule(daihoi_core::campaign::Level::Grassroots).unwrap().deadline,
            Some(date!(2020 - 06 - 30))
        );

        // The scheduling table: one refused cell keeps every row unsaved.
        let table_uri = format!("/campaigns/{}/schedule", campaign.id);
        let table = get(&app, &table_uri, s).await;
        assert_eq!(table.status, StatusCode::OK, "[{label}]");
        assert!(table.body.contains("Chi bộ tổ dân phố 2"), "[{label}]");
        let (ca, cb, w) = (a.cells[0].to_string(), a.cells[1].to_string(), a.ward.to_string());
        let row = |id: &str, start: &str, end: &str| {
            vec![
                ("row".to_string(), id.to_string()),
                (format!("start_{id}"), start.to_string()),
                (format!("end_{id}"), end.to_string()),
                (format!("notice_{id}"), String::new()),
                (format!("kind_{id}"), "members".to_string()),
                (format!("content_{id}"), "four_items".to_string()),
                (format!("pilot_{id}"), "0".to_string()),
                (format!("delegates_{id}"), "5".to_string()),
            ]
        };
        let mut bad: Vec<(String, String)> = row(&ca, "2020-03-10", "2020-03-10");
        bad.extend(row(&cb, "2020-03-12", "2020-03-11"));
        let pairs: Vec<(&str, &str)> = bad.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let refused = post(&app, &table_uri, s, &pairs).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "[{label}]");
        assert!(refused.body.contains("Ngày bế mạc trước ngày khai mạc"), "[{label}]");
        assert!(
            refused.body.contains(&format!("id=\"end_{cb}-error\"")),
            "[{label}] the message sits in the cell"
        );
        assert_eq!(
            app.store.plan_of_unit(campaign.id, a.cells[0]).await.unwrap().starts_on,
            None,
            "[{label}]"
        );

        let mut good: Vec<(String, String)> = row(&ca, "2020-03-10", "2020-03-10");
        good.extend(row(&cb, "12/03/2020", "12/03/2020"));
        good.extend(row(&w, "2020-05-14", "2020-05-15"));
        let pairs: Vec<(&str, &str)> = good.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let saved = post(&app, &table_uri, s, &pairs).await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "[{label}] {}", saved.body);
        let plan = app.store.plan_of_unit(campaign.id, a.cells[1]).await.unwrap();
        assert_eq!(
            (plan.starts_on, plan.delegates_up, plan.status),
            (Some(date!(2020 - 03 - 12)), 5, Status::Planned)
        );

        // Bulk: every upper-grassroots unit without a date gets one.
        let bulk = post(
            &app,
            &format!("{table_uri}/bulk"),
            s,
            &[
                ("bulk_level", "upper"),
                ("bulk_start", "2020-08-14"),
                ("bulk_end", "2020-08-15"),
                ("bulk_notice", ""),
                ("bulk_only_unscheduled", "1"),
            ],
        )
        .await;
        assert_eq!(bulk.status, StatusCode::SEE_OTHER, "[{label}] {}", bulk.body);
        let (plans, _) = app
            .store
            .plans(
                campaign.id,
                &campaign.root_path,
                Some(daihoi_core::campaign::Level::Upper),
                0,
                10,
            )
            .await
            .unwrap();
        assert!(
            plans.iter().all(|plan| plan.starts_on == Some(date!(2020 - 08 - 14))),
            "[{label}]"
        );

        // On 20 March the first cell has not held its congress: a late unit on the dashboard.
        let dashboard = get(&app, &format!("/campaigns/{}?on=2020-03-20", campaign.id), s).await;
        assert_eq!(dashboard.status, StatusCode::OK, "[{label}]");
        assert!(dashboard.body.contains("Quá ngày dự kiến mà chưa tổ chức đại hội"), "[{label}]");
        assert!(dashboard.body.contains("<svg class=\"timeline\""), "[{label}]");
        assert!(dashboard.body.contains("Đảng bộ thành phố Điện Biên Phủ"), "[{label}] drill-down");
        let drill =
            get(&app, &format!("/campaigns/{}?unit={}&on=2020-03-20", campaign.id, a.ward), s)
                .await;
        assert!(drill.body.contains("Chi bộ tổ dân phố 1"), "[{label}]");
        let problems =
            get(&app, &format!("/campaigns/{}/problems?on=2020-03-20", campaign.id), s).await;
        assert!(problems.body.contains("Chi bộ tổ dân phố 1"), "[{label}]");
        let recompute = post(
            &app,
            &format!("/campaigns/{}/recompute", campaign.id),
            s,
            &[("on", "2020-03-20")],
        )
        .await;
        assert_eq!(recompute.status, StatusCode::SEE_OTHER, "[{label}]");
        assert_eq!(
            app.store.campaign(campaign.id).await.unwrap().statuses_on,
            Some(date!(2020 - 03 - 20))
        );

        // Files.
        let (status, content_type, bytes) =
            download(&app, &format!("/campaigns/{}/report.pdf?on=2020-03-20", campaign.id), s)
                .await;
        assert_eq!(
            (status, content_type.as_str()),
            (StatusCode::OK, "application/pdf"),
            "[{label}]"
        );
        assert!(bytes.starts_with(b"%PDF"));
        let (status, _, bytes) =
            download(&app, &format!("/campaigns/{}/report.docx", campaign.id), s).await;
        assert_eq!(status, StatusCode::OK);
        assert!(bytes.starts_with(b"PK"));
        let (status, _, bytes) =
            download(&app, &format!("/campaigns/{}/dashboard.xlsx", campaign.id), s).await;
        assert_eq!(status, StatusCode::OK);
        assert!(bytes.starts_with(b"PK"));

        // XLSX round trip: the exported file imports with no change; a changed date is saved;
        // a wrong cell is named by row and column and nothing is saved.
        let (status, _, exported) = download(&app, &format!("{table_uri}.xlsx"), s).await;
        assert_eq!(status, StatusCode::OK);
        let (status, body) =
            upload(&app, &format!("{table_uri}/import"), s, "lich.xlsx", &exported).await;
        assert_eq!(status, StatusCode::SEE_OTHER, "[{label}] {body}");
        let sheet = |start: Cell| Sheet {
            name: "Lịch".into(),
            columns: [
                "Mã đơn vị",
                "Tên tổ chức đảng",
                "Cấp",
                "Số đảng viên",
                "Ngày khai mạc",
                "Ngày bế mạc",
            ]
            .into_iter()
            .map(|title| SheetColumn::new(title, 10.0))
            .collect(),
            rows: vec![vec![
                Cell::Int(a.cells[0]),
                Cell::Empty,
                Cell::Empty,
                Cell::Empty,
                start.clone(),
                start,
            ]],
        };
        let changed = xlsx_table(&[sheet(Cell::Date(date!(2020 - 03 - 17)))]).unwrap();
        let (status, body) =
            upload(&app, &format!("{table_uri}/import"), s, "lich.xlsx", &changed).await;
        assert_eq!(status, StatusCode::SEE_OTHER, "[{label}] {body}");
        assert_eq!(
            app.store.plan_of_unit(campaign.id, a.cells[0]).await.unwrap().starts_on,
            Some(date!(2020 - 03 - 17))
        );
        let wrong = xlsx_table(&[sheet(Cell::Text("ngày mai".into()))]).unwrap();
        let (status, body) =
            upload(&app, &format!("{table_uri}/import"), s, "lich.xlsx", &wrong).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "[{label}]");
        assert!(
            body.contains("Dòng 2, Ngày khai mạc"),
            "[{label}] {}",
            &body[..body.len().min(300)]
        );
        assert_eq!(
            app.store.plan_of_unit(campaign.id, a.cells[0]).await.unwrap().starts_on,
            Some(date!(2020 - 03 - 17))
        );
        // Every page write kept the dashboard's tallies equal to a recomputation.
        assert_eq!(app.store.campaign_tally_problems().await.unwrap(), Vec::<String>::new());
    }
}

#[tokio::test]
async fn the_campaign_api_answers_within_the_callers_subtree_only() {
    for app in apps().await {
        let label = app.label;
        let a = arrange(&app).await;
        let s = &a.admin;
        let province = a.province.to_string();
        let created = post(
            &app,
            "/campaigns",
            s,
            &[("template", "ct35-2020"), ("root", &province), ("name", "")],
        )
        .await;
        assert_eq!(created.status, StatusCode::SEE_OTHER, "[{label}] {}", created.body);
        let campaign = app.store.campaigns(&[]).await.unwrap().remove(0);
        let c = campaign.id;
        let registered = post(
            &app,
            "/documents/new",
            s,
            &[
                ("unit", &province),
                ("origin", "received"),
                ("symbol", "35-CT/TW"),
                ("issued_on", "30/05/2019"),
                ("issuer_name", "Bộ Chính trị"),
                ("summary", "Về đại hội đảng bộ các cấp"),
            ],
        )
        .await;
        assert_eq!(registered.status, StatusCode::SEE_OTHER, "[{label}] {}", registered.body);
        let filter = daihoi_store::documents::DocumentFilter::default();
        let registered = app.store.documents(&filter, daihoi_store::Page::default()).await;
        let document = registered.unwrap().items.remove(0).id;

        let list = get(&app, "/api/v1/campaigns", s).await;
        assert_eq!(list.status, StatusCode::OK, "[{label}]");
        assert_eq!(list.json()[0]["id"], c, "[{label}]");
        let one = get(&app, &format!("/api/v1/campaigns/{c}"), s).await.json();
        assert_eq!(one["term_start"], 2020, "[{label}]");
        assert!(one["levels"].as_array().is_some_and(|l| !l.is_empty()), "[{label}]");
        let dashboard = get(&app, &format!("/api/v1/campaigns/{c}/dashboard"), s).await;
        assert_eq!(dashboard.status, StatusCode::OK, "[{label}] {}", dashboard.body);
        let dashboard = dashboard.json();
        assert_eq!(dashboard["units"], 5, "[{label}] province, city, ward, two cells");
        assert_eq!(dashboard["by_status"]["not_planned"], 5, "[{label}]");
        assert_eq!(dashboard["children"][0]["units"], 4, "[{label}] the city's subtree");
        let ward = get(&app, &format!("/api/v1/campaigns/{c}/dashboard?unit={}", a.ward), s).await;
        assert_eq!(ward.json()["units"], 3, "[{label}]");
        let plan = get(&app, &format!("/api/v1/campaigns/{c}/plans/{}", a.cells[0]), s).await;
        assert_eq!(plan.status, StatusCode::OK, "[{label}]");
        assert_eq!(plan.json()["level"], "cell", "[{label}]");
        assert_eq!(plan.json()["status"], "not_planned", "[{label}]");
        let problems =
            get(&app, &format!("/api/v1/campaigns/{c}/problems?on=2020-06-22&page_size=2"), s)
                .await;
        assert_eq!(problems.status, StatusCode::OK, "[{label}] {}", problems.body);
        let problems = problems.json();
        assert_eq!(problems["on"], "2020-06-22", "[{label}]");
        assert!(problems["items"].as_array().is_some_and(|i| i.len() <= 2), "[{label}]");
        for bad in ["on=ngay-mai", "unit=abc", "page=0"] {
            let answer = get(&app, &format!("/api/v1/campaigns/{c}/problems?{bad}"), s).await;
            assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY, "[{label}] {bad}");
        }
        let documents = get(&app, "/api/v1/documents?q=dai+hoi", s).await.json();
        assert_eq!(documents["total"], 1, "[{label}]");
        let one = get(&app, &format!("/api/v1/documents/{document}"), s).await.json();
        assert_eq!(one["symbol"], "35-CT/TW", "[{label}]");
        assert_eq!(one["issued_on"], "2019-05-30", "[{label}]");

        // A user of another province: the campaign, its plans and the register do not exist.
        let central = app.store.root_units().await.unwrap().remove(0);
        let other =
            unit(&app.store, Some(central.id), "Đảng bộ tỉnh Lai Châu", UnitKind::Province, 0)
                .await;
        let stranger = account(&app.store, "laichau", Role::OrgBoard, other.id).await;
        let stranger = session(&app.store, stranger.id).await;
        assert_eq!(get(&app, "/api/v1/campaigns", &stranger).await.json(), serde_json::json!([]));
        for uri in [
            format!("/api/v1/campaigns/{c}"),
            format!("/api/v1/campaigns/{c}/dashboard"),
            format!("/api/v1/campaigns/{c}/dashboard?unit={}", a.ward),
            format!("/api/v1/campaigns/{c}/problems"),
            format!("/api/v1/campaigns/{c}/plans/{}", a.cells[0]),
            format!("/api/v1/documents/{document}"),
        ] {
            let answer = get(&app, &uri, &stranger).await;
            assert_eq!(answer.status, StatusCode::NOT_FOUND, "[{label}] {uri}");
            assert!(
                !answer.body.contains("Him Lam") && !answer.body.contains("35-CT"),
                "[{label}]"
            );
        }
        assert_eq!(get(&app, "/api/v1/documents", &stranger).await.json()["total"], 0, "[{label}]");
        assert_eq!(
            app.store.campaign_tally_problems().await.unwrap(),
            Vec::<String>::new(),
            "[{label}]"
        );
    }
}
