//! The document register on every backend: documents told apart by symbol, date and issuer;
//! attachments checked by content with nothing stored when refused; numbering sequences per
//! type and committee term and one per congress; links; conference records.

use daihoi_core::symbol::{DocumentSymbol, Sequence};
use daihoi_core::unit::UnitKind;
use daihoi_store::congress::{CongressContent, CongressKind, NewCongress, SessionKind};
use daihoi_store::documents::{DocumentEdit, Issuer, LinkKind, NewConference, NewDocument, Origin};
use daihoi_store::testing::every_backend;
use daihoi_store::{Actor, NewUnit, Store, StoreError};
use time::Date;
use time::macros::date;

const TODAY: Date = date!(2026 - 11 - 24);

fn new_unit(parent: Option<i64>, name: &str, kind: UnitKind, abbrev: Option<&str>) -> NewUnit {
    NewUnit {
        parent_id: parent,
        name: name.into(),
        kind,
        issuer_abbrev: abbrev.map(str::to_string),
        declared_official: 100,
        declared_probationary: 0,
        valid_from: None,
        valid_to: None,
        note: None,
        lineage: Vec::new(),
    }
}

/// A province and a city under it; returns (province, city).
async fn tree(store: &Store) -> (i64, i64) {
    let mut tx = store.begin_write(&Actor::system("test")).await.unwrap();
    let (central, _) = store
        .create_unit(&mut tx, new_unit(None, "Trung ương", UnitKind::Central, Some("TW")))
        .await
        .unwrap();
    let (province, _) = store
        .create_unit(
            &mut tx,
            new_unit(Some(central.id), "Đảng bộ tỉnh Điện Biên", UnitKind::Province, Some("TU")),
        )
        .await
        .unwrap();
    let (city, _) = store
        .create_unit(
            &mut tx,
            new_unit(
                Some(province.id),
                "Đảng bộ thành phố Điện Biên Phủ",
                UnitKind::District,
                Some("TU"),
            ),
        )
        .await
        .unwrap();
    tx.commit().await.unwrap();
    (province.id, city.id)
}

fn symbol(text: &str) -> DocumentSymbol {
    DocumentSymbol::parse(text).unwrap().symbol
}

fn received(unit_id: i64, text: &str, issued_on: Date, issuer: &str, summary: &str) -> NewDocument {
    NewDocument {
        unit_id,
        symbol: symbol(text),
        issued_on,
        issuer: Issuer::Named(issuer.into()),
        origin: Origin::Received,
        summary: summary.into(),
        signer: None,
        congress_id: None,
        note: None,
    }
}

fn own(unit_id: i64, text: &str, issued_on: Date, congress_id: Option<i64>) -> NewDocument {
    NewDocument {
        unit_id,
        symbol: symbol(text),
        issued_on,
        issuer: Issuer::Unit(unit_id),
        origin: Origin::Own,
        summary: format!("Văn bản {text}"),
        signer: None,
        congress_id,
        note: None,
    }
}

async fn audit_total(store: &Store) -> i64 {
    store.audit_entries(&Default::default(), daihoi_store::Page::new(1, 1)).await.unwrap().total
}

#[tokio::test]
async fn two_documents_with_one_symbol_are_told_apart_by_date() {
    for db in every_backend().await {
        let store = &db.store;
        let (_, city) = tree(store).await;
        let mut tx = store.begin_write(&Actor::system("test")).await.unwrap();
        let (first, warnings) = store
            .create_document(
                &mut tx,
                received(
                    city,
                    "35-CT/TW",
                    date!(2019 - 05 - 30),
                    "Bộ Chính trị",
                    "Về đại hội đảng bộ các cấp tiến tới Đại hội XIII",
                ),
                TODAY,
            )
            .await
            .unwrap();
        assert!(warnings.is_empty());
        let (second, _) = store
            .create_document(
                &mut tx,
                received(
                    city,
                    "35-CT/TW",
                    date!(2024 - 06 - 14),
                    "Bộ Chính trị",
                    "Một chỉ thị khác cùng số",
                ),
                TODAY,
            )
            .await
            .unwrap();
        tx.commit().await.unwrap();
        assert_ne!(first.id, second.id, "[{}]", db.label);
        let same = store.documents_with_symbol(city, &symbol("35-CT/TW")).await.unwrap();
        let dates: Vec<Date> = same.iter().map(|d| d.issued_on).collect();
        assert_eq!(dates, vec![date!(2019 - 05 - 30), date!(2024 - 06 - 14)], "[{}]", db.label);
        // The same symbol, date and issuer again is the same document: refused, nothing written.
        let before = audit_total(store).await;
        let mut tx = store.begin_write(&Actor::system("test")).await.unwrap();
        let error = store
            .create_document(
                &mut tx,
                received(city, "Số 35-ct/tw", date!(2019 - 05 - 30), "Bộ  Chính trị ", "Trùng"),
                TODAY,
            )
            .await
            .unwrap_err();
        drop(tx);
        assert!(
            matches!(error, StoreError::Rule { code: "duplicate_document", .. }),
            "[{}] {error:?}",
            db.label
        );
        assert_eq!(audit_total(store).await, before, "[{}]", db.label);
        // Search by symbol finds both; by a word of the summary, one.
        let filter = |q: &str| daihoi_store::documents::DocumentFilter {
            subtree_paths: Vec::new(),
            query: Some(q.into()),
            ..Default::default()
        };
        let page = daihoi_store::Page::new(1, 50);
        assert_eq!(
            store.documents(&filter("35-ct/tw"), page).await.unwrap().total,
            2,
            "[{}]",
            db.label
        );
        assert_eq!(
            store.documents(&filter("dai hoi XIII"), page).await.unwrap().total,
            1,
            "[{}]",
            db.label
        );
        // A date in the future and an empty summary are refused.
        let mut tx = store.begin_write(&Actor::system("test")).await.unwrap();
        let error = store
            .create_document(
                &mut tx,
                received(city, "36-CT/TW", date!(2030 - 01 - 01), "Bộ Chính trị", "x"),
                TODAY,
            )
            .await
            .unwrap_err();
        assert!(matches!(error, StoreError::Rule { field: "issued_on", .. }), "{error:?}");
        let error = store
            .create_document(
                &mut tx,
                received(city, "36-CT/TW", date!(2020 - 01 - 01), "Bộ Chính trị", "  "),
                TODAY,
            )
            .await
            .unwrap_err();
        assert!(matches!(error, StoreError::Rule { field: "summary", .. }), "{error:?}");
    }
}

#[tokio::test]
async fn a_bad_attachment_is_refused_and_nothing_is_stored() {
    for db in every_backend().await {
        let store = &db.store;
        let (_, city) = tree(store).await;
        let mut tx = store.begin_write(&Actor::system("test")).await.unwrap();
        let (document, _) = store
            .create_document(
                &mut tx,
                received(
                    city,
                    "26-HD/BTCTW",
                    date!(2019 - 10 - 18),
                    "Ban Tổ chức Trung ương",
                    "Hướng dẫn",
                ),
                TODAY,
            )
            .await
            .unwrap();
        tx.commit().await.unwrap();
        let before = audit_total(store).await;
        let mut big = b"%PDF-1.4\n".to_vec();
        big.resize(20 * 1024 * 1024 + 1, b'x');
        for (name, data, code) in [
            ("chi-thi.pdf", b"MZ\x90\x00 not a pdf".to_vec(), "not_pdf_or_docx"),
            ("bang.pdf", b"PK\x03\x04 xl/workbook.xml".to_vec(), "not_pdf_or_docx"),
            ("scan.docx", b"%PDF-1.4 a pdf".to_vec(), "extension_mismatch"),
            ("trong.pdf", Vec::new(), "empty_file"),
            ("lon.pdf", big, "file_too_large"),
        ] {
            let mut tx = store.begin_write(&Actor::system("test")).await.unwrap();
            let error = store.add_attachment(&mut tx, document.id, name, &data).await.unwrap_err();
            drop(tx);
            assert!(
                matches!(error, StoreError::Rule { code, .. } if code == code),
                "[{}] {name}: {error:?}",
                db.label
            );
            if let StoreError::Rule { code: got, field, .. } = &error {
                assert_eq!((*got, *field), (code, "file"), "[{}] {name}", db.label);
            }
        }
        assert_eq!(store.stored_file_count().await.unwrap(), 0, "[{}]", db.label);
        assert!(store.attachments(document.id).await.unwrap().is_empty(), "[{}]", db.label);
        assert_eq!(audit_total(store).await, before, "[{}]", db.label);
        // A real PDF is kept, once, however often it is attached.
        let pdf = b"%PDF-1.4\n1 0 obj <<>> endobj\n%%EOF\n".to_vec();
        let mut tx = store.begin_write(&Actor::system("test")).await.unwrap();
        let first =
            store.add_attachment(&mut tx, document.id, "C:\\scan\\26-HD.pdf", &pdf).await.unwrap();
        let second = store.add_attachment(&mut tx, document.id, "ban sao", &pdf).await.unwrap();
        tx.commit().await.unwrap();
        assert_eq!(first.file_name, "26-HD.pdf", "[{}]", db.label);
        assert_eq!(second.file_name, "ban sao.pdf", "[{}]", db.label);
        assert_eq!(first.content_type, "application/pdf");
        assert_eq!(store.stored_file_count().await.unwrap(), 1, "[{}]", db.label);
        assert_eq!(store.attachments(document.id).await.unwrap().len(), 2);
        assert_eq!(store.attachment_content(first.id).await.unwrap(), pdf, "[{}]", db.label);
        assert_eq!(audit_total(store).await, before + 2, "[{}]", db.label);
    }
}

#[tokio::test]
async fn numbers_follow_a_sequence_per_type_and_term_and_one_per_congress() {
    for db in every_backend().await {
        let store = &db.store;
        let (_, city) = tree(store).await;
        let actor = Actor::system("test");
        // The congress of 2015 closed on 19 July: the term runs from 20 July 2015.
        let mut tx = store.begin_write(&actor).await.unwrap();
        let congress_2015 = store
            .create_congress(
                &mut tx,
                NewCongress {
                    unit_id: city,
                    ordinal: Some(6),
                    term_start: 2015,
                    term_end: 2020,
                    kind: CongressKind::Delegates,
                    content: CongressContent::FourItems,
                    rules: "qd190-2024".into(),
                    title: String::new(),
                    place: None,
                    venue: None,
                    pilot: false,
                    sessions: vec![(
                        SessionKind::Official,
                        Some(date!(2015 - 07 - 18)),
                        Some(date!(2015 - 07 - 19)),
                    )],
                },
            )
            .await
            .unwrap();
        tx.commit().await.unwrap();
        let day = date!(2019 - 12 - 17);
        let proposal = store.propose_number(city, "HD", day, None).await.unwrap();
        assert_eq!((proposal.number, proposal.symbol.as_str()), (1, "01-HD/TU"), "[{}]", db.label);
        assert_eq!(proposal.scope, "term:2015-07-20");
        let mut tx = store.begin_write(&actor).await.unwrap();
        store.create_document(&mut tx, own(city, "01-HD/TU", day, None), TODAY).await.unwrap();
        // A number typed ahead of the sequence moves it on.
        store.create_document(&mut tx, own(city, "03-HD/TU", day, None), TODAY).await.unwrap();
        tx.commit().await.unwrap();
        assert_eq!(store.propose_number(city, "HD", day, None).await.unwrap().symbol, "04-HD/TU");
        // Plans have their own sequence.
        assert_eq!(store.propose_number(city, "KH", day, None).await.unwrap().number, 1);
        // A number used in the sequence is refused, even on another day of the term.
        let mut tx = store.begin_write(&actor).await.unwrap();
        let error = store
            .create_document(&mut tx, own(city, "03-HD/TU", date!(2020 - 02 - 01), None), TODAY)
            .await
            .unwrap_err();
        assert!(
            matches!(error, StoreError::Rule { code: "number_used", .. }),
            "[{}] {error:?}",
            db.label
        );
        drop(tx);
        // The 2020 congress closes on 15 August: the new term starts again at 01.
        let mut tx = store.begin_write(&actor).await.unwrap();
        let congress_2020 = store
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
        tx.commit().await.unwrap();
        let after = date!(2020 - 09 - 01);
        let proposal = store.propose_number(city, "HD", after, None).await.unwrap();
        assert_eq!(
            (proposal.number, proposal.scope.as_str()),
            (1, "term:2020-08-16"),
            "[{}]",
            db.label
        );
        // 03-HD/TU of the new term is a different document from 03-HD/TU of the old one.
        let mut tx = store.begin_write(&actor).await.unwrap();
        store.create_document(&mut tx, own(city, "03-HD/TU", after, None), TODAY).await.unwrap();
        // Congress documents share one sequence across types.
        store
            .create_document(
                &mut tx,
                own(city, "01-BB/TU", date!(2020 - 08 - 14), Some(congress_2020.id)),
                TODAY,
            )
            .await
            .unwrap();
        tx.commit().await.unwrap();
        let next = store
            .propose_number(city, "NQ", date!(2020 - 08 - 15), Some(congress_2020.id))
            .await
            .unwrap();
        assert_eq!((next.number, next.symbol.as_str()), (2, "02-NQ/TU"), "[{}]", db.label);
        assert_eq!(
            store
                .sequence_last(city, &Sequence::Congress { congress_id: congress_2020.id })
                .await
                .unwrap(),
            Some(1)
        );
        assert_eq!(
            store
                .sequence_last(city, &Sequence::Congress { congress_id: congress_2015.id })
                .await
                .unwrap(),
            None
        );
        // A cell numbers its documents under its own default abbreviation, from 01.
        let mut tx = store.begin_write(&actor).await.unwrap();
        let (cell, _) = store
            .create_unit(&mut tx, new_unit(Some(city), "Chi bộ 1", UnitKind::Cell, None))
            .await
            .unwrap();
        tx.commit().await.unwrap();
        let proposal = store.propose_number(cell.id, "HD", after, None).await.unwrap();
        assert_eq!(
            (proposal.symbol.as_str(), proposal.scope.as_str()),
            ("01-HD/CB", "term:initial")
        );
        let error = store.propose_number(cell.id, "XYZ", after, None).await.unwrap_err();
        assert!(matches!(error, StoreError::Rule { code: "unknown_type", .. }), "{error:?}");
    }
}

#[tokio::test]
async fn links_and_conference_records_read_back() {
    for db in every_backend().await {
        let store = &db.store;
        let (province, city) = tree(store).await;
        let mut tx = store.begin_write(&Actor::system("test")).await.unwrap();
        let (directive, _) = store
            .create_document(
                &mut tx,
                received(city, "35-CT/TW", date!(2019 - 05 - 30), "Bộ Chính trị", "Chỉ thị"),
                TODAY,
            )
            .await
            .unwrap();
        let (guide, _) = store
            .create_document(
                &mut tx,
                received(
                    city,
                    "26-HD/BTCTW",
                    date!(2019 - 10 - 18),
                    "Ban Tổ chức Trung ương",
                    "Hướng dẫn",
                ),
                TODAY,
            )
            .await
            .unwrap();
        let mut plan = received(city, "79-KH/TU", date!(2019 - 08 - 14), "", "Kế hoạch");
        plan.issuer = Issuer::Unit(province);
        let (plan, _) = store.create_document(&mut tx, plan, TODAY).await.unwrap();
        assert_eq!(plan.issuer_name, "Đảng bộ tỉnh Điện Biên");
        store.link_documents(&mut tx, guide.id, directive.id, LinkKind::Guides).await.unwrap();
        store.link_documents(&mut tx, plan.id, directive.id, LinkKind::Implements).await.unwrap();
        let error =
            store.link_documents(&mut tx, plan.id, plan.id, LinkKind::Amends).await.unwrap_err();
        assert!(matches!(error, StoreError::Rule { code: "self_link", .. }));
        let error = store
            .link_documents(&mut tx, guide.id, directive.id, LinkKind::Guides)
            .await
            .unwrap_err();
        assert!(matches!(error, StoreError::Rule { code: "duplicate_link", .. }));
        let record = store
            .create_conference(
                &mut tx,
                NewConference {
                    unit_id: city,
                    held_on: Some(date!(2020 - 01 - 07)),
                    title: "Hội nghị quán triệt".into(),
                    organiser: "Ban Thường vụ Thành ủy".into(),
                    chair_name: "Lê Tiến Dũng".into(),
                    chair_title: Some("Phó Bí thư Thường trực Thành ủy".into()),
                    presenters: vec![("Lê Tiến Dũng".into(), None), ("Nguyễn Hồng".into(), None)],
                    documents: vec![(directive.id, None), (plan.id, Some(1))],
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        tx.commit().await.unwrap();
        let links = store.links(directive.id).await.unwrap();
        let seen: Vec<(&str, bool, &str)> =
            links.iter().map(|l| (l.kind.code(), l.outgoing, l.other.symbol.as_str())).collect();
        assert_eq!(
            seen,
            vec![("guides", false, "26-HD/BTCTW"), ("implements", false, "79-KH/TU")],
            "[{}]",
            db.label
        );
        let read = store.conference(record.conference.id).await.unwrap();
        assert_eq!(read.presenters.len(), 2);
        assert_eq!(read.documents[0].document.symbol, "35-CT/TW");
        assert_eq!(read.documents[0].presenter_id, None);
        assert_eq!(read.documents[1].presenter_id, Some(read.presenters[1].id), "[{}]", db.label);
        assert_eq!(store.conferences_of_document(plan.id).await.unwrap().len(), 1);
        // Scoped listing: the province's subtree holds it, a sibling path does not.
        let city_unit = store.unit(city).await.unwrap();
        assert_eq!(
            store.conferences(std::slice::from_ref(&city_unit.path)).await.unwrap().len(),
            1
        );
        assert!(
            store.conferences(&["/999/".to_string()]).await.unwrap().is_empty(),
            "[{}]",
            db.label
        );
    }
}

#[tokio::test]
async fn documents_are_edited_and_removed_with_their_files_and_links_unless_referred_to() {
    for db in every_backend().await {
        let store = &db.store;
        let label = db.label;
        let (_, city) = tree(store).await;
        let mut tx = store.begin_write(&Actor::system("test")).await.unwrap();
        let (directive, _) = store
            .create_document(
                &mut tx,
                received(city, "35-CT/TW", date!(2019 - 05 - 30), "Bộ Chính trị", "Chỉ thị"),
                TODAY,
            )
            .await
            .unwrap();
        let (guide, _) = store
            .create_document(
                &mut tx,
                received(
                    city,
                    "26-HD/BTCTW",
                    date!(2019 - 10 - 18),
                    "Ban Tổ chức Trung ương",
                    "HD",
                ),
                TODAY,
            )
            .await
            .unwrap();
        store.link_documents(&mut tx, guide.id, directive.id, LinkKind::Guides).await.unwrap();
        let pdf = b"%PDF-1.4\n1 0 obj <<>> endobj\n%%EOF\n".to_vec();
        let on_guide = store.add_attachment(&mut tx, guide.id, "hd.pdf", &pdf).await.unwrap();
        store.add_attachment(&mut tx, directive.id, "ct.pdf", &pdf).await.unwrap();
        tx.commit().await.unwrap();

        // Edit: the content fields; an empty summary and a stale version are refused.
        let edit = DocumentEdit {
            summary: "Hướng dẫn một số vấn đề cụ thể thực hiện Chỉ thị 35".into(),
            signer: Some("Phạm Minh Chính".into()),
            note: None,
        };
        let mut tx = store.begin_write(&Actor::system("test")).await.unwrap();
        let empty = DocumentEdit { summary: "  ".into(), ..edit.clone() };
        let error = store.update_document(&mut tx, guide.id, guide.version, &empty).await;
        assert!(matches!(error, Err(StoreError::Rule { code: "empty_summary", .. })), "{label}");
        let edited = store.update_document(&mut tx, guide.id, guide.version, &edit).await.unwrap();
        let stale = store.update_document(&mut tx, guide.id, guide.version, &edit).await;
        assert!(matches!(stale, Err(StoreError::Stale)), "{label}");
        tx.commit().await.unwrap();
        assert_eq!(edited.summary, edit.summary, "{label}");
        assert_eq!(edited.signer.as_deref(), Some("Phạm Minh Chính"), "{label}");
        assert_eq!(edited.symbol, "26-HD/BTCTW", "{label}: the identity stays");

        // The directive cannot go while the guide refers to it; nothing changes.
        let before = audit_total(store).await;
        let mut tx = store.begin_write(&Actor::system("test")).await.unwrap();
        let refused = store.remove_document(&mut tx, directive.id).await;
        drop(tx);
        assert!(matches!(refused, Err(StoreError::Rule { code: "linked_from", .. })), "{label}");
        assert_eq!(audit_total(store).await, before, "{label}");
        assert_eq!(store.links(directive.id).await.unwrap().len(), 1, "{label}");

        // One attachment removed: the file stays while the directive's copy uses it.
        let mut tx = store.begin_write(&Actor::system("test")).await.unwrap();
        store.remove_attachment(&mut tx, on_guide.id).await.unwrap();
        tx.commit().await.unwrap();
        assert!(store.attachments(guide.id).await.unwrap().is_empty(), "{label}");
        assert_eq!(store.stored_file_count().await.unwrap(), 1, "{label}");

        // The guide goes with its link; then the directive with its file.
        let mut tx = store.begin_write(&Actor::system("test")).await.unwrap();
        store.remove_document(&mut tx, guide.id).await.unwrap();
        store.remove_document(&mut tx, directive.id).await.unwrap();
        tx.commit().await.unwrap();
        assert!(matches!(store.document(guide.id).await, Err(StoreError::NotFound)), "{label}");
        assert!(matches!(store.document(directive.id).await, Err(StoreError::NotFound)));
        assert_eq!(store.stored_file_count().await.unwrap(), 0, "{label}: no orphan file");
        assert_eq!(audit_total(store).await, before + 3, "{label}");
        assert!(store.verify_audit().await.unwrap().is_ok(), "{label}");
    }
}
