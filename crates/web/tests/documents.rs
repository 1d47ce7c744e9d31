//! The document register and congress preparation through HTTP, on every backend: registering
//! a document (errors beside the fields, then success), proposing the next number, uploading
//! (a bad file refused with nothing stored, a PDF kept) and downloading with the right headers,
//! recording a conference, the preparation pages with overdue tasks, updating a task, the
//! comments export and the budget form.

mod common;

use axum::body::{Body, to_bytes};
use axum::http::{Request, StatusCode, header};
use common::{Answer, App, Session, account, apps, get, post, session, unit};
use daihoi_core::access::Role;
use daihoi_core::prep::SubcommitteeKind;
use daihoi_core::unit::UnitKind;
use daihoi_store::Actor;
use daihoi_store::congress::{CongressContent, CongressKind, NewCongress, SessionKind};
use daihoi_store::prep::{DraftKind, NewSubcommittee, SubRole};
use time::macros::date;
use tower::ServiceExt;

/// A district with an administrator's session; returns (district id, session).
async fn district(app: &App) -> (i64, Session) {
    let central = unit(&app.store, None, "Trung ương", UnitKind::Central, 0).await;
    let province =
        unit(&app.store, Some(central.id), "Đảng bộ tỉnh Điện Biên", UnitKind::Province, 1000)
            .await;
    let city = unit(
        &app.store,
        Some(province.id),
        "Đảng bộ thành phố Điện Biên Phủ",
        UnitKind::District,
        300,
    )
    .await;
    let admin = account(&app.store, "bantochuc", Role::OrgBoard, city.id).await;
    (city.id, session(&app.store, admin.id).await)
}

/// Sends a multipart upload with one file, as a browser does.
async fn upload(app: &App, uri: &str, session: &Session, file_name: &str, data: &[u8]) -> Answer {
    let boundary = "----daihoiTestBoundary7MA4YWxk";
    let mut body = Vec::new();
    body.extend_from_slice(
        format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\nContent-Type: application/octet-stream\r\n\r\n")
            .as_bytes(),
    );
    body.extend_from_slice(data);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let request = Request::builder()
        .method("POST")
        .uri(format!("{uri}?_csrf={}", session.csrf))
        .header(header::HOST, "localhost")
        .header(header::COOKIE, &session.cookie)
        .header(header::CONTENT_TYPE, format!("multipart/form-data; boundary={boundary}"))
        .body(Body::from(body))
        .unwrap();
    let response = app.router.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = to_bytes(response.into_body(), 64 * 1024 * 1024).await.unwrap();
    Answer { status, headers, body: String::from_utf8_lossy(&bytes).into_owned() }
}

async fn raw_get(
    app: &App,
    uri: &str,
    session: &Session,
) -> (StatusCode, axum::http::HeaderMap, Vec<u8>) {
    let request = Request::builder()
        .uri(uri)
        .header(header::HOST, "localhost")
        .header(header::COOKIE, &session.cookie)
        .body(Body::empty())
        .unwrap();
    let response = app.router.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = to_bytes(response.into_body(), 64 * 1024 * 1024).await.unwrap();
    (status, headers, bytes.to_vec())
}

fn id_from(location: &str, prefix: &str) -> i64 {
    location
        .strip_prefix(prefix)
        .and_then(|rest| rest.split(['?', '#']).next())
        .and_then(|id| id.parse().ok())
        .unwrap_or_else(|| panic!("{location}"))
}

#[tokio::test]
async fn a_document_is_registered_numbered_attached_and_downloaded() {
    for app in apps().await {
        let (city, admin) = district(&app).await;
        let unit = city.to_string();
        // The form, then a malformed symbol and a missing date: errors beside the fields.
        let answer = get(&app, &format!("/documents/new?unit={city}"), &admin).await;
        assert_eq!(answer.status, StatusCode::OK, "[{}] {}", app.label, answer.body);
        let answer = post(
            &app,
            "/documents/new",
            &admin,
            &[
                ("unit", &unit),
                ("origin", "received"),
                ("symbol", "35CT/TW"),
                ("issued_on", ""),
                ("issuer_name", "Bộ Chính trị"),
                ("summary", "Về đại hội"),
            ],
        )
        .await;
        assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY, "[{}]", app.label);
        assert!(answer.body.contains("Thiếu dấu gạch nối"), "{}", answer.body);
        assert!(answer.body.contains("Hãy nhập ngày ban hành"));
        assert_eq!(
            app.store
                .documents(&Default::default(), daihoi_store::Page::default())
                .await
                .unwrap()
                .total,
            0
        );
        let answer = post(
            &app,
            "/documents/new",
            &admin,
            &[
                ("unit", &unit),
                ("origin", "received"),
                ("symbol", "Số 35-CT/TW"),
                ("issued_on", "30/05/2019"),
                ("issuer_name", "Bộ Chính trị"),
                ("summary", "Về đại hội đảng bộ các cấp"),
            ],
        )
        .await;
        assert_eq!(answer.status, StatusCode::SEE_OTHER, "[{}] {}", app.label, answer.body);
        let id = id_from(answer.location(), "/documents/");
        // The same document again is refused at the symbol.
        let again = post(
            &app,
            "/documents/new",
            &admin,
            &[
                ("unit", &unit),
                ("origin", "received"),
                ("symbol", "35-CT/TW"),
                ("issued_on", "30/5/2019"),
                ("issuer_name", "Bộ Chính trị"),
                ("summary", "x"),
            ],
        )
        .await;
        assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            again.text().contains("Sổ đã có văn bản 35-CT/TW ngày 30/05/2019"),
            "{}",
            again.text()
        );
        let page = get(&app, &format!("/documents/{id}"), &admin).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.text().contains("35-CT/TW") && page.body.contains("Bộ Chính trị"));
        // The register finds it by symbol and by a word of the summary, not by another.
        assert!(
            get(&app, "/documents?q=35-ct", &admin)
                .await
                .body
                .contains(&format!("/documents/{id}\""))
        );
        assert!(
            get(&app, "/documents?q=dai+hoi", &admin)
                .await
                .body
                .contains(&format!("/documents/{id}\""))
        );
        assert!(
            !get(&app, "/documents?q=ngan+sach", &admin)
                .await
                .body
                .contains(&format!("/documents/{id}\""))
        );
        // The next number of the unit's own guidelines, then an own document with it.
        let answer = get(
            &app,
            &format!("/documents/new?unit={city}&propose=1&take_type=HD&take_date=17/12/2019"),
            &admin,
        )
        .await;
        assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
        let district_abbrev = app.store.unit(city).await.unwrap().issuer_abbrev.unwrap();
        let first = format!("01-HD/{district_abbrev}");
        assert!(answer.text().contains(&format!("id=\"proposal\">{first}<")), "{}", answer.body);
        let answer = post(
            &app,
            "/documents/new",
            &admin,
            &[
                ("unit", &unit),
                ("origin", "own"),
                ("symbol", &first),
                ("issued_on", "17/12/2019"),
                ("summary", "Hướng dẫn chuẩn bị đại hội"),
            ],
        )
        .await;
        assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.body);
        let answer = get(
            &app,
            &format!("/documents/new?unit={city}&propose=1&take_type=HD&take_date=18/12/2019"),
            &admin,
        )
        .await;
        assert!(answer.text().contains(&format!("02-HD/{district_abbrev}")), "[{}]", app.label);
        // A file that is not a PDF or DOCX is refused and nothing is stored.
        let answer = upload(
            &app,
            &format!("/documents/{id}/attachments"),
            &admin,
            "chi-thi.pdf",
            b"MZ\x90\x00 not a pdf",
        )
        .await;
        assert_eq!(
            answer.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "[{}] {}",
            app.label,
            answer.body
        );
        assert!(answer.body.contains("Chỉ nhận tệp PDF hoặc DOCX"), "{}", answer.body);
        assert_eq!(app.store.stored_file_count().await.unwrap(), 0);
        let answer = upload(&app, &format!("/documents/{id}/attachments"), &admin, "", b"").await;
        assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(answer.body.contains("Hãy chọn tệp PDF hoặc DOCX"));
        // A PDF is kept and comes back with its type and name.
        let pdf = b"%PDF-1.4\n% chi thi 35\n%%EOF\n";
        let answer =
            upload(&app, &format!("/documents/{id}/attachments"), &admin, "Chỉ thị 35.pdf", pdf)
                .await;
        assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.body);
        let attachment = app.store.attachments(id).await.unwrap().remove(0);
        let (status, headers, body) =
            raw_get(&app, &format!("/attachments/{}", attachment.id), &admin).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(headers[header::CONTENT_TYPE], "application/pdf");
        let disposition = headers[header::CONTENT_DISPOSITION].to_str().unwrap();
        assert!(disposition.starts_with("attachment; filename=\""), "{disposition}");
        assert!(
            disposition.contains("filename*=UTF-8''Ch%E1%BB%89%20th%E1%BB%8B%2035.pdf"),
            "{disposition}"
        );
        assert_eq!(headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
        assert_eq!(body, pdf);
        assert!(
            get(&app, &format!("/documents/{id}"), &admin)
                .await
                .body
                .contains(&format!("/attachments/{}", attachment.id))
        );
    }
}

#[tokio::test]
async fn a_conference_is_recorded_and_shown() {
    for app in apps().await {
        let (city, admin) = district(&app).await;
        let unit = city.to_string();
        let answer = post(
            &app,
            "/documents/new",
            &admin,
            &[
                ("unit", &unit),
                ("origin", "received"),
                ("symbol", "35-CT/TW"),
                ("issued_on", "30/05/2019"),
                ("issuer_name", "Bộ Chính trị"),
                ("summary", "Về đại hội"),
            ],
        )
        .await;
        let document = id_from(answer.location(), "/documents/");
        let answer =
            post(&app, "/conferences/new", &admin, &[("unit", &unit), ("title", "Hội nghị")]).await;
        assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            answer.body.contains("Hãy nhập ngày tổ chức hội nghị")
                && answer.body.contains("Hãy nhập người chủ trì")
        );
        let answer = post(
            &app,
            "/conferences/new",
            &admin,
            &[
                ("unit", &unit),
                ("held_on", "07/01/2020"),
                ("title", "Hội nghị cán bộ Thành phố quán triệt, triển khai Kế hoạch"),
                ("organiser", "Ban Thường vụ Thành ủy"),
                ("chair_name", "Lê Tiến Dũng"),
                ("chair_title", "Phó Bí thư Thường trực Thành ủy"),
                ("presenters", "Lê Tiến Dũng; Phó Bí thư Thường trực Thành ủy\nNguyễn Hồng; Chủ nhiệm Ủy ban Kiểm tra"),
                ("documents", &document.to_string()),
                ("conclusions", "Đảm bảo an toàn, tiết kiệm."),
            ],
        )
        .await;
        assert_eq!(answer.status, StatusCode::SEE_OTHER, "[{}] {}", app.label, answer.body);
        let page = get(&app, answer.location(), &admin).await;
        assert_eq!(page.status, StatusCode::OK);
        let text = page.text();
        for expected in [
            "07/01/2020",
            "Lê Tiến Dũng, Phó Bí thư Thường trực Thành ủy",
            "Nguyễn Hồng, Chủ nhiệm Ủy ban Kiểm tra",
            "35-CT/TW",
            "Đảm bảo an toàn, tiết kiệm.",
        ] {
            assert!(text.contains(expected), "[{}] {expected} missing", app.label);
        }
        // The document's page names the conference.
        assert!(
            get(&app, &format!("/documents/{document}"), &admin)
                .await
                .body
                .contains("/conferences/")
        );
    }
}

#[tokio::test]
async fn preparation_pages_show_overdue_tasks_and_take_changes() {
    for app in apps().await {
        let (city, admin) = district(&app).await;
        let mut tx = app.store.begin_write(&Actor::system("test")).await.unwrap();
        let congress = app
            .store
            .create_congress(
                &mut tx,
                NewCongress {
                    unit_id: city,
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
        let sub = app
            .store
            .create_subcommittee(
                &mut tx,
                NewSubcommittee {
                    congress_id: congress.id,
                    kind: SubcommitteeKind::Documents,
                    decision: None,
                    members: vec![("Trần Văn Thắng".into(), None, SubRole::Head)],
                    prefill: true,
                },
            )
            .await
            .unwrap();
        let draft = app
            .store
            .create_draft(
                &mut tx,
                congress.id,
                DraftKind::PoliticalReport,
                "",
                date!(2020 - 04 - 10),
            )
            .await
            .unwrap();
        app.store.set_preparation_as_of(&mut tx, Some(date!(2020 - 05 - 01))).await.unwrap();
        tx.commit().await.unwrap();
        let page = get(&app, &format!("/congresses/{}/preparation", congress.id), &admin).await;
        assert_eq!(page.status, StatusCode::OK, "[{}] {}", app.label, page.body);
        // As of 1 May 2020 the outline, the report and the review report are late.
        assert_eq!(page.body.matches("class=\"task-overdue\"").count(), 3, "[{}]", app.label);
        let fragment = get(&app, "/preparation/overdue", &admin).await;
        assert_eq!(fragment.body.matches("<li>").count(), 3, "{}", fragment.body);
        assert!(!fragment.body.contains("<html"), "a fragment, not a page");
        // Marking the report done takes it off the list; a stale form is refused.
        let report =
            sub.tasks.iter().find(|t| t.template.as_deref() == Some("political_report")).unwrap();
        let answer = post(
            &app,
            &format!("/tasks/{}", report.id),
            &admin,
            &[
                ("status", "done"),
                ("owner", "Tổ biên tập"),
                ("due_on", "16/04/2020"),
                ("version", "1"),
            ],
        )
        .await;
        assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.body);
        let stale = post(
            &app,
            &format!("/tasks/{}", report.id),
            &admin,
            &[("status", "todo"), ("version", "1")],
        )
        .await;
        assert_eq!(stale.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(app.store.task(report.id).await.unwrap().done_on, Some(date!(2020 - 05 - 01)));
        assert_eq!(get(&app, "/preparation/overdue", &admin).await.body.matches("<li>").count(), 2);
        // A second subcommittee of the same kind is refused beside the field.
        let answer = post(
            &app,
            &format!("/congresses/{}/subcommittees", congress.id),
            &admin,
            &[("kind", "documents"), ("prefill", "1")],
        )
        .await;
        assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
        let answer = post(
            &app,
            &format!("/congresses/{}/subcommittees", congress.id),
            &admin,
            &[
                ("kind", "personnel"),
                ("head", "Trần Văn Thắng; Bí thư"),
                ("deputies", "Lê Quang Xuyến; Trưởng Ban Tổ chức"),
                ("prefill", "1"),
            ],
        )
        .await;
        assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.body);
        assert_eq!(app.store.subcommittees(congress.id).await.unwrap().len(), 2);
        // Comments, then the XLSX summary.
        let version = draft.versions[0].id.to_string();
        let answer = post(
            &app,
            &format!("/drafts/{}/comments", draft.draft.id),
            &admin,
            &[("version_id", &version), ("author", ""), ("body", "")],
        )
        .await;
        assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
        let answer = post(
            &app,
            &format!("/drafts/{}/comments", draft.draft.id),
            &admin,
            &[
                ("version_id", &version),
                ("author", "Đồng chí cán bộ lão thành"),
                ("section", "Phần I"),
                ("body", "Bổ sung số liệu"),
                ("received_on", "24/04/2020"),
            ],
        )
        .await;
        assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.body);
        assert!(
            get(&app, &format!("/drafts/{}", draft.draft.id), &admin)
                .await
                .body
                .contains("Bổ sung số liệu")
        );
        let (status, headers, body) =
            raw_get(&app, &format!("/drafts/{}/comments.xlsx", draft.draft.id), &admin).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(
            headers[header::CONTENT_TYPE],
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        );
        assert!(body.starts_with(b"PK\x03\x04"));
        let (status, headers, body) =
            raw_get(&app, &format!("/drafts/{}/comments.docx", draft.draft.id), &admin).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(
            headers[header::CONTENT_TYPE],
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        );
        assert!(
            daihoi_core::attachment::sniff(&body) == Some(daihoi_core::attachment::FileKind::Docx)
        );
        // The budget: a bad amount beside its field, then a line and the total.
        let answer = post(
            &app,
            &format!("/congresses/{}/budget", congress.id),
            &admin,
            &[("item", "Hội trường"), ("planned", "ba mươi triệu")],
        )
        .await;
        assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(answer.body.contains("Dự toán phải là số đồng"));
        let answer = post(
            &app,
            &format!("/congresses/{}/budget", congress.id),
            &admin,
            &[("item", "Hội trường"), ("planned", "30.000.000"), ("actual", "28.500.000")],
        )
        .await;
        assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.body);
        let page = get(&app, &format!("/congresses/{}/budget", congress.id), &admin).await;
        assert!(
            page.body.contains("30.000.000") && page.body.contains("-1.500.000"),
            "[{}] {}",
            app.label,
            page.body
        );
    }
}

#[tokio::test]
async fn a_document_is_edited_its_link_and_file_removed_then_the_document() {
    for app in apps().await {
        let label = app.label;
        let (city, admin) = district(&app).await;
        let unit = city.to_string();
        let mut ids = Vec::new();
        for (symbol, date, summary) in [
            ("35-CT/TW", "30/05/2019", "Về đại hội đảng bộ các cấp"),
            ("26-HD/BTCTW", "18/10/2019", "Hướng dẫn"),
        ] {
            let answer = post(
                &app,
                "/documents/new",
                &admin,
                &[
                    ("unit", &unit),
                    ("origin", "received"),
                    ("symbol", symbol),
                    ("issued_on", date),
                    ("issuer_name", "Trung ương"),
                    ("summary", summary),
                ],
            )
            .await;
            assert_eq!(answer.status, StatusCode::SEE_OTHER, "[{label}] {}", answer.body);
            ids.push(id_from(answer.location(), "/documents/"));
        }
        let (directive, guide) = (ids[0], ids[1]);
        let to = directive.to_string();
        let linked = post(
            &app,
            &format!("/documents/{guide}/links"),
            &admin,
            &[("kind", "guides"), ("to_id", &to)],
        )
        .await;
        assert_eq!(linked.status, StatusCode::SEE_OTHER, "[{label}]");
        let pdf = b"%PDF-1.4\n1 0 obj <<>> endobj\n%%EOF\n";
        let uploaded =
            upload(&app, &format!("/documents/{guide}/attachments"), &admin, "hd.pdf", pdf).await;
        assert_eq!(uploaded.status, StatusCode::SEE_OTHER, "[{label}] {}", uploaded.body);

        // Edit: an empty summary is refused beside the field; then saved.
        let form = get(&app, &format!("/documents/{guide}/edit"), &admin).await;
        assert_eq!(form.status, StatusCode::OK, "[{label}]");
        let version = app.store.document(guide).await.unwrap().version.to_string();
        let empty = post(
            &app,
            &format!("/documents/{guide}/edit"),
            &admin,
            &[("summary", " "), ("signer", "X"), ("version", &version)],
        )
        .await;
        assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY, "[{label}]");
        assert!(empty.body.contains("Hãy nhập trích yếu"), "[{label}]");
        let saved = post(
            &app,
            &format!("/documents/{guide}/edit"),
            &admin,
            &[
                ("summary", "Hướng dẫn một số vấn đề cụ thể"),
                ("signer", "Phạm Minh Chính"),
                ("version", &version),
            ],
        )
        .await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "[{label}] {}", saved.body);
        let stale = post(
            &app,
            &format!("/documents/{guide}/edit"),
            &admin,
            &[("summary", "Cũ"), ("version", &version)],
        )
        .await;
        assert_eq!(stale.status, StatusCode::UNPROCESSABLE_ENTITY, "[{label}] a stale form");
        assert_eq!(
            app.store.document(guide).await.unwrap().summary,
            "Hướng dẫn một số vấn đề cụ thể",
            "[{label}]"
        );

        // The directive cannot be removed while the guide links to it: the page says why.
        let confirm = get(&app, &format!("/documents/{directive}/remove"), &admin).await;
        assert_eq!(confirm.status, StatusCode::OK, "[{label}]");
        let refused = post(&app, &format!("/documents/{directive}/remove"), &admin, &[]).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "[{label}]");
        assert!(
            refused.text().contains("26-HD/BTCTW ngày 18/10/2019"),
            "[{label}] names the referring document"
        );
        assert!(app.store.document(directive).await.is_ok(), "[{label}]");

        // Unlink, remove the attachment, remove both documents.
        let link = app.store.links(guide).await.unwrap()[0].id;
        let unlinked =
            post(&app, &format!("/documents/{guide}/links/{link}/remove"), &admin, &[]).await;
        assert_eq!(unlinked.status, StatusCode::SEE_OTHER, "[{label}]");
        let file = app.store.attachments(guide).await.unwrap()[0].id;
        let detached = post(&app, &format!("/attachments/{file}/remove"), &admin, &[]).await;
        assert_eq!(detached.status, StatusCode::SEE_OTHER, "[{label}]");
        assert!(app.store.attachments(guide).await.unwrap().is_empty(), "[{label}]");
        for id in [directive, guide] {
            let removed = post(&app, &format!("/documents/{id}/remove"), &admin, &[]).await;
            assert_eq!(removed.status, StatusCode::SEE_OTHER, "[{label}]");
            assert_eq!(removed.location(), "/documents?done=removed", "[{label}]");
        }
        let list = get(&app, "/documents?done=removed", &admin).await;
        assert!(list.body.contains("Đã xóa văn bản khỏi sổ"), "[{label}]");
        assert!(!list.body.contains("35-CT/TW"), "[{label}]");
        assert!(app.store.verify_audit().await.unwrap().is_ok(), "[{label}]");
    }
}
