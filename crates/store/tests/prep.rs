//! Congress preparation on every backend: subcommittees with prefilled checklists and due
//! dates, overdue tasks found across a subtree only, drafts with versions and comments, budget.

use daihoi_core::prep::SubcommitteeKind;
use daihoi_core::unit::UnitKind;
use daihoi_store::congress::{CongressContent, CongressKind, NewCongress, SessionKind};
use daihoi_store::prep::{DraftKind, NewComment, NewSubcommittee, SubRole, TaskEdit, TaskStatus};
use daihoi_store::testing::every_backend;
use daihoi_store::{Actor, NewUnit, Store, StoreError};
use time::macros::date;

fn new_unit(parent: Option<i64>, name: &str, kind: UnitKind) -> NewUnit {
    NewUnit {
        parent_id: parent,
        name: name.into(),
        kind,
        issuer_abbrev: None,
        declared_official: 50,
        declared_probationary: 0,
        valid_from: None,
        valid_to: None,
        note: None,
        lineage: Vec::new(),
    }
}

async fn congress(store: &Store, unit_id: i64, opens: time::Date) -> i64 {
    let mut tx = store.begin_write(&Actor::system("test")).await.unwrap();
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
                sessions: vec![(SessionKind::Official, Some(opens), opens.next_day())],
            },
        )
        .await
        .unwrap();
    tx.commit().await.unwrap();
    congress.id
}

#[tokio::test]
async fn checklists_are_prefilled_and_overdue_tasks_stay_in_their_subtree() {
    for db in every_backend().await {
        let store = &db.store;
        let actor = Actor::system("test");
        let mut tx = store.begin_write(&actor).await.unwrap();
        let (root, _) = store
            .create_unit(&mut tx, new_unit(None, "Trung ương", UnitKind::Central))
            .await
            .unwrap();
        let (province, _) = store
            .create_unit(&mut tx, new_unit(Some(root.id), "Tỉnh", UnitKind::Province))
            .await
            .unwrap();
        let (city, _) = store
            .create_unit(&mut tx, new_unit(Some(province.id), "Thành phố", UnitKind::District))
            .await
            .unwrap();
        let (other, _) = store
            .create_unit(&mut tx, new_unit(Some(province.id), "Huyện khác", UnitKind::District))
            .await
            .unwrap();
        tx.commit().await.unwrap();
        let city_congress = congress(store, city.id, date!(2020 - 08 - 14)).await;
        let other_congress = congress(store, other.id, date!(2020 - 08 - 20)).await;
        let mut tx = store.begin_write(&actor).await.unwrap();
        let documents = store
            .create_subcommittee(
                &mut tx,
                NewSubcommittee {
                    congress_id: city_congress,
                    kind: SubcommitteeKind::Documents,
                    decision: Some("Quyết định số 215-QĐ/TU".into()),
                    members: vec![
                        ("Nguyễn Văn Ba".into(), None, SubRole::Member),
                        ("Lê Văn Một".into(), Some("Bí thư Thành ủy".into()), SubRole::Head),
                        ("Trần Thị Hai".into(), None, SubRole::Deputy),
                    ],
                    prefill: true,
                },
            )
            .await
            .unwrap();
        store
            .create_subcommittee(
                &mut tx,
                NewSubcommittee {
                    congress_id: other_congress,
                    kind: SubcommitteeKind::Documents,
                    decision: None,
                    members: Vec::new(),
                    prefill: true,
                },
            )
            .await
            .unwrap();
        let error = store
            .create_subcommittee(
                &mut tx,
                NewSubcommittee {
                    congress_id: city_congress,
                    kind: SubcommitteeKind::Documents,
                    decision: None,
                    members: Vec::new(),
                    prefill: false,
                },
            )
            .await
            .unwrap_err();
        assert!(matches!(error, StoreError::Rule { code: "duplicate_subcommittee", .. }));
        tx.commit().await.unwrap();
        let roles: Vec<SubRole> = documents.members.iter().map(|m| m.role).collect();
        assert_eq!(roles, vec![SubRole::Head, SubRole::Deputy, SubRole::Member], "[{}]", db.label);
        let report = documents
            .tasks
            .iter()
            .find(|t| t.template.as_deref() == Some("political_report"))
            .unwrap();
        assert_eq!(report.due_on, Some(date!(2020 - 04 - 16)), "[{}]", db.label);
        assert_eq!(report.title, "Dự thảo báo cáo chính trị");
        // On 1 May 2020 the outline and the political report are overdue in each congress.
        let today = date!(2020 - 05 - 01);
        let city_path = store.unit(city.id).await.unwrap().path;
        let overdue =
            store.overdue_tasks(std::slice::from_ref(&city_path), today, 50).await.unwrap();
        let codes: Vec<&str> = overdue.iter().filter_map(|o| o.task.template.as_deref()).collect();
        assert_eq!(
            codes,
            vec!["political_report_outline", "political_report", "review_report"],
            "[{}]",
            db.label
        );
        assert!(overdue.iter().all(|o| o.task.congress_id == city_congress));
        let everywhere = store.overdue_tasks(&[], today, 50).await.unwrap();
        assert_eq!(everywhere.len(), 6, "[{}]", db.label);
        // Done tasks are no longer overdue; a stale edit is refused.
        let mut tx = store.begin_write(&actor).await.unwrap();
        let done = store
            .update_task(
                &mut tx,
                report.id,
                TaskEdit {
                    status: TaskStatus::Done,
                    owner: Some("Tổ biên tập".into()),
                    due_on: report.due_on,
                    version: report.version,
                },
                today,
            )
            .await
            .unwrap();
        assert_eq!(done.done_on, Some(today));
        let error = store
            .update_task(
                &mut tx,
                report.id,
                TaskEdit {
                    status: TaskStatus::Todo,
                    owner: None,
                    due_on: None,
                    version: report.version,
                },
                today,
            )
            .await
            .unwrap_err();
        assert!(matches!(error, StoreError::Stale));
        tx.commit().await.unwrap();
        let overdue =
            store.overdue_tasks(std::slice::from_ref(&city_path), today, 50).await.unwrap();
        assert_eq!(overdue.len(), 2, "[{}]", db.label);
    }
}

#[tokio::test]
async fn drafts_collect_versions_and_comments_and_the_budget_adds_up() {
    for db in every_backend().await {
        let store = &db.store;
        let actor = Actor::system("test");
        let mut tx = store.begin_write(&actor).await.unwrap();
        let (root, _) = store
            .create_unit(&mut tx, new_unit(None, "Trung ương", UnitKind::Central))
            .await
            .unwrap();
        let (city, _) = store
            .create_unit(&mut tx, new_unit(Some(root.id), "Thành phố", UnitKind::Province))
            .await
            .unwrap();
        let (ward, _) = store
            .create_unit(
                &mut tx,
                new_unit(Some(city.id), "Đảng bộ phường Him Lam", UnitKind::GrassrootsCommittee),
            )
            .await
            .unwrap();
        let (stranger, _) = store
            .create_unit(&mut tx, new_unit(Some(root.id), "Tỉnh khác", UnitKind::Province))
            .await
            .unwrap();
        tx.commit().await.unwrap();
        let congress_id = congress(store, city.id, date!(2020 - 08 - 14)).await;
        let mut tx = store.begin_write(&actor).await.unwrap();
        let record = store
            .create_draft(
                &mut tx,
                congress_id,
                DraftKind::PoliticalReport,
                "",
                date!(2020 - 04 - 10),
            )
            .await
            .unwrap();
        assert_eq!(record.draft.title, "Báo cáo chính trị");
        let second = store
            .add_draft_version(
                &mut tx,
                record.draft.id,
                "",
                date!(2020 - 06 - 01),
                Some("Sau góp ý"),
            )
            .await
            .unwrap();
        assert_eq!((second.number, second.label.as_str()), (2, "Dự thảo lần 2"));
        let error = store
            .add_draft_version(&mut tx, record.draft.id, "", date!(2020 - 05 - 01), None)
            .await
            .unwrap_err();
        assert!(matches!(error, StoreError::Rule { code: "version_date", .. }));
        let comment = store
            .add_draft_comment(
                &mut tx,
                record.draft.id,
                NewComment {
                    version_id: record.versions[0].id,
                    from_unit_id: Some(ward.id),
                    author: String::new(),
                    section: Some("Phần I".into()),
                    body: "Bổ sung số liệu".into(),
                    received_on: date!(2020 - 05 - 05),
                },
            )
            .await
            .unwrap();
        assert_eq!(comment.author, "Đảng bộ phường Him Lam", "[{}]", db.label);
        let error = store
            .add_draft_comment(
                &mut tx,
                record.draft.id,
                NewComment {
                    version_id: record.versions[0].id,
                    from_unit_id: Some(stranger.id),
                    author: String::new(),
                    section: None,
                    body: "x".into(),
                    received_on: date!(2020 - 05 - 05),
                },
            )
            .await
            .unwrap_err();
        assert!(matches!(error, StoreError::Rule { code: "outside_subtree", .. }));
        store
            .add_budget_line(&mut tx, congress_id, "Hội trường", 30_000_000, Some(28_500_000), None)
            .await
            .unwrap();
        store
            .add_budget_line(&mut tx, congress_id, "Tài liệu", 12_000_000, None, None)
            .await
            .unwrap();
        let error =
            store.add_budget_line(&mut tx, congress_id, "Sai", -1, None, None).await.unwrap_err();
        assert!(matches!(error, StoreError::Rule { field: "planned", .. }));
        tx.commit().await.unwrap();
        let read = store.draft(record.draft.id).await.unwrap();
        assert_eq!(read.versions.len(), 2, "[{}]", db.label);
        assert_eq!(read.comments.len(), 1);
        assert_eq!(read.comments[0].version_number, 1);
        let budget = store.budget(congress_id).await.unwrap();
        assert_eq!(budget.iter().map(|l| l.planned).sum::<i64>(), 42_000_000, "[{}]", db.label);
        assert_eq!(budget[0].actual, Some(28_500_000));
    }
}
