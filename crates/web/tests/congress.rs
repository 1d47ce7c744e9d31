//! Congress day in the browser, on every backend: the congress form with its errors, the
//! roster (summon, filters, status decisions), the roster XLSX round trip and its refusals,
//! the credentials report's figures read back from the PDF, badges, check-in by badge number
//! with the attendance panel and D, and four stations checking in 1,600 badges at once.

mod common;

use std::process::Command;

use axum::body::{Body, to_bytes};
use axum::http::{Request, StatusCode, header};
use common::{App, Session, account, apps, download, get, member, post, session, unit};
use daihoi_core::access::Role;
use daihoi_core::member::Membership;
use daihoi_core::unit::UnitKind;
use daihoi_format::table::{TableFormat, read_table};
use daihoi_render::{Cell, Sheet, SheetColumn, xlsx_table};
use daihoi_store::congress::{NewPerson, PersonRole, Standing};
use daihoi_store::congress_day::RosterFilter;
use daihoi_store::{Actor, Page};
use tower::ServiceExt;

/// A ward with one cell of members, and a clerk of the ward logged in.
struct Ward {
    ward: i64,
    clerk: Session,
}

async fn ward(app: &App, names: &[&str]) -> Ward {
    let store = &app.store;
    let central = unit(store, None, "Trung ương", UnitKind::Central, 0).await;
    let province =
        unit(store, Some(central.id), "Đảng bộ tỉnh Điện Biên", UnitKind::Province, 500).await;
    let ward =
        unit(store, Some(province.id), "Đảng bộ phường Him Lam", UnitKind::GrassrootsCommittee, 40)
            .await;
    let cell = unit(store, Some(ward.id), "Chi bộ tổ dân phố 1", UnitKind::Cell, 10).await;
    for (index, name) in names.iter().enumerate() {
        let membership =
            if index + 1 == names.len() { Membership::Probationary } else { Membership::Official };
        member(store, cell.id, name, membership).await;
    }
    let clerk = account(store, "vanphong.himlam", Role::Clerk, ward.id).await;
    Ward { ward: ward.id, clerk: session(store, clerk.id).await }
}

fn congress_form<'a>(extra: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut pairs = vec![
        ("ordinal", "13"),
        ("term_start", "2020"),
        ("term_end", "2025"),
        ("kind", "members"),
        ("content", "four_items"),
        ("rules", "qd190-2024"),
        ("quorum", "2/3"),
        ("place", "Điện Biên Phủ"),
        ("preparatory", "yes"),
        ("prep_starts", "09/06/2020"),
        ("prep_venue", "Hội trường phường"),
        ("official_starts", "10/06/2020"),
        ("official_ends", "11/06/2020"),
        ("official_venue", "Hội trường phường"),
    ];
    for (key, value) in extra {
        match pairs.iter_mut().find(|(k, _)| k == key) {
            Some(pair) => pair.1 = value,
            None => pairs.push((key, value)),
        }
    }
    pairs
}

/// Creates a congress through the form and returns its id.
async fn create_congress(app: &App, ward: &Ward, extra: &[(&str, &str)]) -> i64 {
    let answer = post(
        app,
        &format!("/units/{}/congresses/new", ward.ward),
        &ward.clerk,
        &congress_form(extra),
    )
    .await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER, "[{}] {}", app.label, answer.body);
    answer
        .location()
        .trim_start_matches("/congresses/")
        .split('?')
        .next()
        .and_then(|id| id.parse().ok())
        .unwrap_or_else(|| panic!("[{}] no congress id in {}", app.label, answer.location()))
}

async fn audit_total(app: &App) -> i64 {
    app.store.audit_entries(&Default::default(), Page::new(1, 1)).await.unwrap().total
}

/// Sends a multipart upload with one file field.
async fn upload(
    app: &App,
    uri: &str,
    session: &Session,
    file_name: &str,
    data: &[u8],
) -> common::Answer {
    let boundary = "daihoi-test-boundary";
    let mut body = Vec::new();
    body.extend_from_slice(
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n{}\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\nContent-Type: application/octet-stream\r\n\r\n",
            session.csrf
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
    let response = app.router.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = to_bytes(response.into_body(), 16 * 1024 * 1024).await.unwrap();
    common::Answer { status, headers, body: String::from_utf8_lossy(&bytes).into_owned() }
}

/// The raw bytes of a download.
fn pdf_text(pdf: &[u8]) -> String {
    let dir = std::env::temp_dir().join(format!("daihoi-congress-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!("{}.pdf", rand_name(pdf)));
    std::fs::write(&path, pdf).unwrap();
    let out = Command::new("pdftotext")
        .arg("-layout")
        .arg(&path)
        .arg("-")
        .output()
        .expect("pdftotext (Debian poppler-utils) must be installed");
    assert!(out.status.success(), "pdftotext failed");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn rand_name(bytes: &[u8]) -> String {
    use std::hash::{DefaultHasher, Hash, Hasher};
    let mut hasher = DefaultHasher::new();
    bytes.hash(&mut hasher);
    format!("{:x}", hasher.finish())
}

#[tokio::test]
async fn a_congress_is_created_and_edited_through_its_form() {
    for app in apps().await {
        let label = app.label;
        let ward = ward(&app, &["Lò Văn Hùng", "Quàng Thị Lan"]).await;
        let id = create_congress(&app, &ward, &[]).await;
        let congress = app.store.congress(id).await.unwrap();
        assert_eq!(
            congress.title, "Đại hội Đảng bộ phường Him Lam lần thứ XIII, nhiệm kỳ 2020 - 2025",
            "[{label}]"
        );
        assert_eq!((congress.quorum_num, congress.quorum_den), (2, 3), "[{label}]");
        let sessions = app.store.sessions(id).await.unwrap();
        assert_eq!(sessions.len(), 2, "[{label}]");
        assert_eq!(sessions[1].venue.as_deref(), Some("Hội trường phường"), "[{label}]");

        // The unit page's section lists it.
        let list = get(&app, &format!("/units/{}/congresses", ward.ward), &ward.clerk).await;
        assert_eq!(list.status, StatusCode::OK, "[{label}]");
        assert!(list.body.contains(&format!("/congresses/{id}")), "[{label}]");
        let page = get(&app, &format!("/congresses/{id}"), &ward.clerk).await;
        assert!(page.text().contains("Phiên trù bị"), "[{label}]");
        assert!(page.text().contains("10/06/2020"), "[{label}]");

        // Edit: a merged unit's 2-item congress under the 2014 regulation, minimum 1/2.
        let answer = post(
            &app,
            &format!("/congresses/{id}/edit"),
            &ward.clerk,
            &congress_form(&[
                ("content", "two_items"),
                ("rules", "qd244-2014"),
                ("quorum", "1/2"),
                ("preparatory", ""),
                ("version", "2"),
            ]),
        )
        .await;
        assert_eq!(answer.status, StatusCode::SEE_OTHER, "[{label}] {}", answer.body);
        let edited = app.store.congress(id).await.unwrap();
        assert_eq!(edited.content.code(), "two_items", "[{label}]");
        assert_eq!((edited.quorum_num, edited.quorum_den), (1, 2), "[{label}]");
        assert_eq!(app.store.sessions(id).await.unwrap().len(), 1, "[{label}]");

        // The same old version again is refused as stale, nothing changes.
        let stale = post(
            &app,
            &format!("/congresses/{id}/edit"),
            &ward.clerk,
            &congress_form(&[("quorum", "3/4"), ("version", "2")]),
        )
        .await;
        assert_eq!(stale.status, StatusCode::UNPROCESSABLE_ENTITY, "[{label}]");
        assert_eq!(app.store.congress(id).await.unwrap().quorum_num, 1, "[{label}]");
    }
}

#[tokio::test]
async fn bad_congress_forms_show_errors_beside_the_fields_and_store_nothing() {
    for app in apps().await {
        let label = app.label;
        let ward = ward(&app, &["Lò Văn Hùng"]).await;
        let before = audit_total(&app).await;
        let answer = post(
            &app,
            &format!("/units/{}/congresses/new", ward.ward),
            &ward.clerk,
            &congress_form(&[
                ("ordinal", "mười ba"),
                ("term_end", "2019"),
                ("quorum", "66%"),
                ("official_starts", "31/02/2020"),
                ("rules", "qd999"),
            ]),
        )
        .await;
        assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY, "[{label}]");
        let body = answer.text();
        for (field, message) in [
            ("ordinal", "Lần thứ phải là số từ 1 đến 100"),
            ("term_end", "Năm kết thúc nhiệm kỳ phải sau năm bắt đầu"),
            ("quorum", "dạng phân số, ví dụ 2/3"),
            ("official_starts", "Ngày chưa đúng"),
            ("rules", "Hãy chọn quy chế bầu cử"),
        ] {
            assert!(body.contains(message), "[{label}] no message for {field}: {body}");
            assert!(
                body.contains(&format!("id=\"{field}-error\"")),
                "[{label}] {field} not marked"
            );
        }
        assert!(body.contains("value=\"mười ba\""), "[{label}] the typed value is kept");
        assert!(app.store.congresses_of_unit(ward.ward).await.unwrap().is_empty(), "[{label}]");
        assert_eq!(audit_total(&app).await, before, "[{label}] nothing written");
    }
}

#[tokio::test]
async fn the_roster_is_summoned_filtered_and_each_status_decided_with_who_and_when() {
    for app in apps().await {
        let label = app.label;
        let ward =
            ward(&app, &["Trần Văn Đức", "Lò Thị Ánh", "Lò Văn Anh", "Nguyễn Văn Bình"]).await;
        let id = create_congress(&app, &ward, &[]).await;
        let answer = post(&app, &format!("/congresses/{id}/people/summon"), &ward.clerk, &[]).await;
        assert_eq!(answer.status, StatusCode::SEE_OTHER, "[{label}] {}", answer.body);
        let page = get(&app, &format!("/congresses/{id}/people"), &ward.clerk).await;
        let body = page.text();
        let order: Vec<usize> = ["Lò Văn Anh", "Lò Thị Ánh", "Nguyễn Văn Bình", "Trần Văn Đức"]
            .iter()
            .map(|name| body.find(name).unwrap_or_else(|| panic!("[{label}] {name} missing")))
            .collect();
        assert!(
            order.windows(2).all(|w| w[0] < w[1]),
            "[{label}] Vietnamese name order: {order:?}"
        );
        assert!(
            body.contains("class=\"tag\">không biểu quyết"),
            "[{label}] the probationary member is marked"
        );

        let roster =
            app.store.roster(id, &RosterFilter::default(), Page::new(1, 10)).await.unwrap();
        let duc = roster.items.iter().find(|r| r.person.full_name == "Trần Văn Đức").unwrap();
        let uri = format!("/congresses/{id}/people/{}", duc.person.id);
        // An approved absence without its reason is refused, nothing stored.
        let refused = post(
            &app,
            &uri,
            &ward.clerk,
            &[
                ("standing", "active"),
                ("absence", "approved"),
                ("credentials", "accepted"),
                ("version", "1"),
            ],
        )
        .await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "[{label}]");
        assert!(refused.text().contains("hãy ghi lý do"), "[{label}]");
        assert_eq!(app.store.person(duc.person.id).await.unwrap().version, 1, "[{label}]");
        let decided = post(
            &app,
            &uri,
            &ward.clerk,
            &[
                ("standing", "active"),
                ("absence", "approved"),
                ("reason", "Đi công tác theo quyết định của cấp ủy"),
                ("credentials", "accepted"),
                ("version", "1"),
            ],
        )
        .await;
        assert_eq!(decided.status, StatusCode::SEE_OTHER, "[{label}] {}", decided.body);
        let filtered =
            get(&app, &format!("/congresses/{id}/people?status=absent_approved"), &ward.clerk)
                .await;
        let text = filtered.text();
        assert!(text.contains("Trần Văn Đức"), "[{label}]");
        assert!(!text.contains("Lò Văn Anh"), "[{label}]");
        assert!(
            text.contains("vanphong.himlam <span class=\"muted\">"),
            "[{label}] who decided is shown"
        );
    }
}

fn roster_file(rows: &[[&str; 4]]) -> Vec<u8> {
    xlsx_table(&[Sheet {
        name: "Đại biểu".into(),
        columns: ["Họ và tên", "Loại đại biểu", "Đoàn đại biểu", "Thứ tự dự khuyết"]
            .iter()
            .map(|h| SheetColumn::new(*h, 20.0))
            .collect(),
        rows: rows
            .iter()
            .map(|row| {
                row.iter()
                    .map(
                        |cell| {
                            if cell.is_empty() { Cell::Empty } else { Cell::Text((*cell).into()) }
                        },
                    )
                    .collect()
            })
            .collect(),
    }])
    .unwrap()
}

const DELEGATES: [[&str; 4]; 7] = [
    ["Lò Văn Bí", "Đại biểu đương nhiên", "Ban Chấp hành", ""],
    ["Quàng Thị Mai", "Đại biểu đương nhiên", "Ban Chấp hành", ""],
    ["Giàng A Páo", "Đại biểu được bầu", "Đoàn Chi bộ 1", ""],
    ["Lò Thị Hoa", "Đại biểu được bầu", "Đoàn Chi bộ 2", ""],
    ["Tòng Văn Hặc", "Đại biểu chỉ định", "Đoàn Chi bộ 3", ""],
    ["Cà Văn Khoa", "Đại biểu dự khuyết", "Đoàn Chi bộ 1", "2"],
    ["Lường Thị Xuân", "Đại biểu dự khuyết", "Đoàn Chi bộ 2", "1"],
];

#[tokio::test]
async fn the_roster_round_trips_through_xlsx_and_a_bad_file_adds_nobody() {
    for app in apps().await {
        let label = app.label;
        let ward = ward(&app, &["Lò Văn Hùng"]).await;
        let first = create_congress(&app, &ward, &[("kind", "delegates")]).await;
        let answer = upload(
            &app,
            &format!("/congresses/{first}/people/import"),
            &ward.clerk,
            "dai-bieu.xlsx",
            &roster_file(&DELEGATES),
        )
        .await;
        assert_eq!(answer.status, StatusCode::SEE_OTHER, "[{label}] {}", answer.body);
        let (status, content_type, exported) =
            download(&app, &format!("/congresses/{first}/people/export.xlsx"), &ward.clerk).await;
        assert_eq!(status, StatusCode::OK, "[{label}]");
        assert!(content_type.contains("spreadsheetml"), "[{label}]");

        // The exported file imports into a second congress as the same roster.
        let second =
            create_congress(&app, &ward, &[("kind", "delegates"), ("ordinal", "14")]).await;
        let answer = upload(
            &app,
            &format!("/congresses/{second}/people/import"),
            &ward.clerk,
            "xuat.xlsx",
            &exported,
        )
        .await;
        assert_eq!(answer.status, StatusCode::SEE_OTHER, "[{label}] {}", answer.body);
        let (_, _, again) =
            download(&app, &format!("/congresses/{second}/people/export.xlsx"), &ward.clerk).await;
        let read = |bytes: &[u8]| {
            let table = read_table(bytes, TableFormat::Xlsx).unwrap();
            table
                .rows
                .iter()
                .map(|row| {
                    row.cells
                        .iter()
                        .skip(1)
                        .map(|c| c.text().unwrap_or_default())
                        .collect::<Vec<_>>()
                })
                .collect::<Vec<_>>()
        };
        let first_rows = read(&exported);
        assert_eq!(first_rows.len(), 7, "[{label}]");
        assert_eq!(
            first_rows,
            read(&again),
            "[{label}] the round trip keeps every cell but the badge"
        );
        let alternates = app
            .store
            .roster(
                second,
                &RosterFilter { role: Some(PersonRole::Alternate), ..RosterFilter::default() },
                Page::new(1, 10),
            )
            .await
            .unwrap();
        let ranks: Vec<_> = alternates
            .items
            .iter()
            .map(|r| (r.person.full_name.as_str(), r.person.alternate_rank))
            .collect();
        assert!(ranks.contains(&("Lường Thị Xuân", Some(1))), "[{label}] {ranks:?}");

        // A file with a bad row: every problem named by row and column, nobody added.
        let before = audit_total(&app).await;
        let bad = roster_file(&[
            ["Lò Văn Mới", "Đại biểu được bầu", "Đoàn 1", ""],
            ["", "Đại biểu được bầu", "Đoàn 1", ""],
            ["Cà Thị Sen", "Thư ký", "Đoàn 2", ""],
            ["Lò Văn Một", "Đại biểu được bầu", "Đoàn 2", "1"],
        ]);
        let third = create_congress(&app, &ward, &[("kind", "delegates"), ("ordinal", "15")]).await;
        let after_create = audit_total(&app).await;
        assert!(after_create > before);
        let answer = upload(
            &app,
            &format!("/congresses/{third}/people/import"),
            &ward.clerk,
            "sai.xlsx",
            &bad,
        )
        .await;
        assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY, "[{label}]");
        let text = answer.text();
        assert!(text.contains("Thiếu họ và tên"), "[{label}] {text}");
        assert!(text.contains("<td>3</td><td>Họ và tên</td>"), "[{label}] row 3, column named");
        assert!(text.contains("<td>4</td><td>Loại đại biểu</td>"), "[{label}] row 4: unknown role");
        assert!(
            text.contains("<td>5</td><td>Thứ tự dự khuyết</td>"),
            "[{label}] row 5: rank for a non-alternate"
        );
        let roster =
            app.store.roster(third, &RosterFilter::default(), Page::new(1, 10)).await.unwrap();
        assert_eq!(roster.total, 0, "[{label}] all or nothing");
        assert_eq!(audit_total(&app).await, after_create, "[{label}] nothing written");
    }
}

#[tokio::test]
async fn the_credentials_report_states_the_figures_the_congress_hears() {
    for app in apps().await {
        let label = app.label;
        let ward = ward(&app, &["Lò Văn Hùng"]).await;
        let id = create_congress(&app, &ward, &[("kind", "delegates")]).await;
        let answer = upload(
            &app,
            &format!("/congresses/{id}/people/import"),
            &ward.clerk,
            "dai-bieu.xlsx",
            &roster_file(&DELEGATES),
        )
        .await;
        assert_eq!(answer.status, StatusCode::SEE_OTHER, "[{label}] {}", answer.body);
        let roster =
            app.store.roster(id, &RosterFilter::default(), Page::new(1, 20)).await.unwrap();
        let find = |name: &str| {
            roster.items.iter().find(|r| r.person.full_name == name).unwrap().person.clone()
        };
        // Lò Thị Hoa (elected) is absent with a reason; the first alternate in vote order
        // (Lường Thị Xuân, rank 1) takes her seat. Quàng Thị Mai (ex officio) is absent.
        for name in ["Lò Thị Hoa", "Quàng Thị Mai"] {
            let person = find(name);
            let answer = post(
                &app,
                &format!("/congresses/{id}/people/{}", person.id),
                &ward.clerk,
                &[
                    ("standing", "active"),
                    ("absence", "approved"),
                    ("reason", "Ốm"),
                    ("credentials", "accepted"),
                    ("version", &person.version.to_string()),
                ],
            )
            .await;
            assert_eq!(answer.status, StatusCode::SEE_OTHER, "[{label}] {}", answer.body);
        }
        let hoa = find("Lò Thị Hoa");
        let seat = post(
            &app,
            &format!("/congresses/{id}/credentials/seat"),
            &ward.clerk,
            &[("delegate_id", &hoa.id.to_string())],
        )
        .await;
        assert_eq!(seat.status, StatusCode::SEE_OTHER, "[{label}] {}", seat.body);
        let xuan = app.store.person(find("Lường Thị Xuân").id).await.unwrap();
        assert_eq!(xuan.seated_for, Some(hoa.id), "[{label}] rank 1 is seated first");
        for name in ["Lò Văn Bí", "Giàng A Páo", "Tòng Văn Hặc", "Lường Thị Xuân"] {
            let answer = common::send(
                &app,
                axum::http::Method::POST,
                &format!("/congresses/{id}/checkin"),
                Some(&ward.clerk),
                common::form(&[("badge_no", &find(name).badge_no.to_string())]),
            )
            .await;
            assert_eq!(answer.status, StatusCode::SEE_OTHER, "[{label}]");
        }
        let page = get(&app, &format!("/congresses/{id}/credentials"), &ward.clerk).await;
        assert_eq!(page.status, StatusCode::OK, "[{label}]");
        let (status, content_type, pdf) = download(
            &app,
            &format!("/congresses/{id}/credentials.pdf?chair=L%C3%B2+V%C4%83n+B%C3%AD&number=05-BC%2F%C4%90H"),
            &ward.clerk,
        )
        .await;
        assert_eq!(status, StatusCode::OK, "[{label}] {}", String::from_utf8_lossy(&pdf));
        assert_eq!(content_type, "application/pdf", "[{label}]");
        let text = pdf_text(&pdf);
        let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
        for expected in [
            "BÁO CÁO",
            "Tổng số đại biểu chính thức được triệu tập: 5 đồng chí",
            "Số đại biểu chính thức có mặt: 3 đồng chí",
            "Số đại biểu chính thức vắng mặt: 2 đồng chí",
            "Vắng có lý do: 2 đồng chí",
            "Số đại biểu dự khuyết được triệu tập thay thế: 1 đồng chí",
            "Tổng số đại biểu tham dự Đại hội: 4 đồng chí",
            "Lò Văn Bí",
            "05-BC/ĐH",
        ] {
            assert!(flat.contains(expected), "[{label}] the report lacks “{expected}”:\n{text}");
        }
        let (status, content_type, docx) =
            download(&app, &format!("/congresses/{id}/credentials.docx"), &ward.clerk).await;
        assert_eq!(status, StatusCode::OK, "[{label}]");
        assert!(content_type.contains("wordprocessingml"), "[{label}]");
        assert!(docx.starts_with(b"PK"), "[{label}] a DOCX is a zip");

        // The attendance panel shows D: 5 summoned − 1 ex officio absent = 4.
        let panel = get(&app, &format!("/congresses/{id}/attendance"), &ward.clerk).await;
        assert!(panel.body.contains("data-figure=\"base\">4<"), "[{label}] {}", panel.body);
    }
}

#[tokio::test]
async fn check_in_by_badge_number_updates_the_attendance_panel_and_prints_badges() {
    for app in apps().await {
        let label = app.label;
        let ward =
            ward(&app, &["Lò Văn Hùng", "Quàng Thị Lan", "Lò Văn Anh", "Cà Văn Dự Bị"]).await;
        let id = create_congress(&app, &ward, &[("preparatory", "")]).await;
        post(&app, &format!("/congresses/{id}/people/summon"), &ward.clerk, &[]).await;
        let panel = get(&app, &format!("/congresses/{id}/attendance"), &ward.clerk).await;
        assert!(panel.body.contains("data-figure=\"summoned\">3<"), "[{label}] {}", panel.body);
        assert!(panel.body.contains("data-figure=\"present\">0<"), "[{label}]");
        let checkin = |badge: &str| {
            let badge = badge.to_string();
            let app = &app;
            let clerk = &ward.clerk;
            async move {
                let mut answer = common::send(
                    app,
                    axum::http::Method::POST,
                    &format!("/congresses/{id}/checkin"),
                    Some(clerk),
                    common::form(&[("badge_no", &badge), ("station", "Bàn 2")]),
                )
                .await;
                // The page posts with htmx; the plain form falls back to a redirect.
                if answer.status == StatusCode::SEE_OTHER {
                    answer.body = String::new();
                }
                answer
            }
        };
        // Through htmx, the fragment names the person.
        let roster =
            app.store.roster(id, &RosterFilter::default(), Page::new(1, 10)).await.unwrap();
        let hung = roster.items.iter().find(|r| r.person.full_name == "Lò Văn Hùng").unwrap();
        let request = Request::builder()
            .method("POST")
            .uri(format!("/congresses/{id}/checkin"))
            .header(header::HOST, "localhost")
            .header(header::COOKIE, &ward.clerk.cookie)
            .header("x-csrf-token", &ward.clerk.csrf)
            .header("hx-request", "true")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(format!("badge_no={:03}", hung.person.badge_no)))
            .unwrap();
        let response = app.router.clone().oneshot(request).await.unwrap();
        assert_eq!(response.status(), StatusCode::OK, "[{label}]");
        let body = String::from_utf8_lossy(&to_bytes(response.into_body(), 1 << 20).await.unwrap())
            .into_owned();
        assert!(body.contains("Lò Văn Hùng") && body.contains("Đã điểm danh."), "[{label}] {body}");
        // Again: already checked in, still one check-in.
        let again = checkin(&hung.person.badge_no.to_string()).await;
        assert_eq!(again.status, StatusCode::SEE_OTHER, "[{label}]");
        let panel = get(&app, &format!("/congresses/{id}/attendance"), &ward.clerk).await;
        assert!(panel.body.contains("data-figure=\"present\">1<"), "[{label}] {}", panel.body);
        assert!(panel.body.contains("data-quorum=\"not_met\""), "[{label}]");
        // D with its derivation: 3 official members summoned, nobody excluded.
        assert!(panel.body.contains("data-figure=\"base\">3<"), "[{label}]");
        assert!(panel.text().contains("Đảng viên chính thức được triệu tập"), "[{label}]");
        let lan = roster.items.iter().find(|r| r.person.full_name == "Quàng Thị Lan").unwrap();
        checkin(&lan.person.badge_no.to_string()).await;
        let panel = get(&app, &format!("/congresses/{id}/attendance"), &ward.clerk).await;
        assert!(panel.body.contains("data-quorum=\"met\""), "[{label}] 2 of 3 meets 2/3");
        let projector = get(&app, &format!("/congresses/{id}/projector"), &ward.clerk).await;
        assert!(
            projector.body.contains("projector-number\" data-figure=\"present\">2<"),
            "[{label}]"
        );

        // Lan leaves the hall before a vote: no longer present, still in D.
        let left = post(
            &app,
            &format!("/congresses/{id}/people/{}/presence", lan.person.id),
            &ward.clerk,
            &[("left", "yes")],
        )
        .await;
        assert_eq!(left.status, StatusCode::SEE_OTHER, "[{label}] {}", left.body);
        let panel = get(&app, &format!("/congresses/{id}/attendance"), &ward.clerk).await;
        assert!(panel.body.contains("data-figure=\"present\">1<"), "[{label}]");
        assert!(panel.body.contains("data-figure=\"base\">3<"), "[{label}] D unchanged");
        assert!(panel.text().contains("Đã rời hội trường"), "[{label}]");
        let person =
            get(&app, &format!("/congresses/{id}/people/{}", lan.person.id), &ward.clerk).await;
        assert!(person.text().contains("Ghi trở lại hội trường"), "[{label}]");
        // Someone never checked in cannot leave.
        let anh = roster.items.iter().find(|r| r.person.full_name == "Lò Văn Anh").unwrap();
        let refused = post(
            &app,
            &format!("/congresses/{id}/people/{}/presence", anh.person.id),
            &ward.clerk,
            &[("left", "yes")],
        )
        .await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "[{label}]");
        assert!(refused.text().contains("chưa điểm danh"), "[{label}] {}", refused.body);

        // Bad input: a clear message, nothing stored.
        let before = audit_total(&app).await;
        for (badge, message) in
            [("abc", "Số thẻ chỉ gồm chữ số"), ("999", "Không có thẻ đại biểu số 999")]
        {
            let request = Request::builder()
                .method("POST")
                .uri(format!("/congresses/{id}/checkin"))
                .header(header::HOST, "localhost")
                .header(header::COOKIE, &ward.clerk.cookie)
                .header("x-csrf-token", &ward.clerk.csrf)
                .header("hx-request", "true")
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from(format!("badge_no={badge}")))
                .unwrap();
            let response = app.router.clone().oneshot(request).await.unwrap();
            assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY, "[{label}] {badge}");
            let body =
                String::from_utf8_lossy(&to_bytes(response.into_body(), 1 << 20).await.unwrap())
                    .into_owned();
            assert!(body.contains(message), "[{label}] {body}");
        }
        assert_eq!(audit_total(&app).await, before, "[{label}]");

        // The badge sheet: one badge per person, number and name printed.
        let (status, content_type, pdf) =
            download(&app, &format!("/congresses/{id}/badges.pdf"), &ward.clerk).await;
        assert_eq!(status, StatusCode::OK, "[{label}]");
        assert_eq!(content_type, "application/pdf", "[{label}]");
        let text = pdf_text(&pdf);
        assert!(text.contains("Quàng Thị Lan"), "[{label}] {text}");
        assert!(text.contains("001") && text.contains("004"), "[{label}] {text}");
    }
}

#[tokio::test]
async fn four_stations_check_in_1600_badges_at_once_and_none_is_lost_or_doubled() {
    for app in apps().await {
        let label = app.label;
        let ward = ward(&app, &["Lò Văn Hùng"]).await;
        let id = create_congress(&app, &ward, &[("kind", "delegates"), ("preparatory", "")]).await;
        let people: Vec<NewPerson> = (0..1600)
            .map(|index| NewPerson {
                member_id: None,
                full_name: format!("Đại Biểu Số {index}"),
                birth_date: None,
                sex: None,
                ethnicity: None,
                delegation: Some(format!("Đoàn {}", index % 40)),
                source_unit_id: None,
                role: PersonRole::Elected,
                alternate_rank: None,
                standing: Standing::Active,
            })
            .collect();
        let mut tx = app.store.begin_write(&Actor::system("test")).await.unwrap();
        app.store.add_people(&mut tx, id, &people).await.unwrap();
        tx.commit().await.unwrap();
        // Each station takes its quarter of the badges, then re-scans 100 of its neighbour's.
        let mut stations = Vec::new();
        for station in 0..4_i64 {
            let router = app.router.clone();
            let clerk = ward.clerk.clone();
            stations.push(tokio::spawn(async move {
                let mut badges: Vec<i64> = (station * 400 + 1..=station * 400 + 400).collect();
                let neighbour = (station + 1) % 4;
                badges.extend((neighbour * 400 + 1..=neighbour * 400 + 100).rev());
                let mut fresh = 0;
                for badge in badges {
                    let request = Request::builder()
                        .method("POST")
                        .uri(format!("/congresses/{id}/checkin"))
                        .header(header::HOST, "localhost")
                        .header(header::COOKIE, &clerk.cookie)
                        .header("x-csrf-token", &clerk.csrf)
                        .header("hx-request", "true")
                        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                        .body(Body::from(format!("badge_no={badge}&station=B%C3%A0n+{station}")))
                        .unwrap();
                    let response = router.clone().oneshot(request).await.unwrap();
                    assert_eq!(response.status(), StatusCode::OK, "badge {badge}");
                    let body = to_bytes(response.into_body(), 1 << 20).await.unwrap();
                    let body = String::from_utf8_lossy(&body);
                    if body.contains("checkin-ok") {
                        fresh += 1;
                    } else {
                        assert!(body.contains("checkin-again"), "badge {badge}: {body}");
                    }
                }
                fresh
            }));
        }
        let mut fresh = 0;
        for station in stations {
            fresh += station.await.unwrap();
        }
        assert_eq!(fresh, 1600, "[{label}] exactly one acknowledged check-in per badge");
        let roll = app.store.roll(id).await.unwrap();
        assert_eq!(roll.iter().filter(|entry| entry.present_now).count(), 1600, "[{label}]");
        let attendance = app.store.attendance(id).await.unwrap();
        assert_eq!((attendance.summoned, attendance.present), (1600, 1600), "[{label}]");
        let base = app.store.majority_base(id).await.unwrap();
        assert_eq!((base.value, base.present), (1600, 1600), "[{label}]");
        assert!(app.store.verify_audit().await.unwrap().is_ok(), "[{label}]");
    }
}
