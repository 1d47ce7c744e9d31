//! The demo's register, conference and preparation on every backend: the seed article's chain
//! of documents and its conference of 7 January 2020, as the article tells it.

use daihoi_core::symbol::DocumentSymbol;
use daihoi_demo::documents::DEMO_AS_OF;
use daihoi_store::testing::every_backend;
use time::macros::date;

#[tokio::test]
async fn the_demo_holds_the_seed_articles_documents_and_conference() {
    for db in every_backend().await {
        let store = &db.store;
        daihoi_demo::load_demo(store).await.unwrap();
        let found = store.search_units("thanh pho dien bien phu", &[], false, 5).await.unwrap();
        let city = found.iter().find(|u| u.name == "Đảng bộ thành phố Điện Biên Phủ").unwrap();
        // Two 26-HD/BTCTW, told apart by their dates.
        let symbol = |text: &str| DocumentSymbol::parse(text).unwrap().symbol;
        let guidelines =
            store.documents_with_symbol(city.id, &symbol("26-HD/BTCTW")).await.unwrap();
        let dates: Vec<_> = guidelines.iter().map(|d| d.issued_on).collect();
        assert_eq!(dates, vec![date!(2014 - 08 - 18), date!(2019 - 10 - 18)], "[{}]", db.label);
        let directive =
            store.documents_with_symbol(city.id, &symbol("35-CT/TW")).await.unwrap().remove(0);
        assert_eq!(
            (directive.issued_on, directive.issuer_name.as_str()),
            (date!(2019 - 05 - 30), "Bộ Chính trị")
        );
        let links: Vec<(String, &str)> = store
            .links(directive.id)
            .await
            .unwrap()
            .iter()
            .map(|l| (l.other.symbol.clone(), l.kind.code()))
            .collect();
        assert!(links.contains(&("26-HD/BTCTW".into(), "guides")), "{links:?}");
        assert!(links.contains(&("79-KH/TU".into(), "implements")), "{links:?}");
        assert!(links.contains(&("03-HD/TU".into(), "guides")), "{links:?}");
        // The conference, as the article tells it.
        let conferences = store.conferences(std::slice::from_ref(&city.path)).await.unwrap();
        assert_eq!(conferences.len(), 1, "[{}]", db.label);
        let record = store.conference(conferences[0].id).await.unwrap();
        let c = &record.conference;
        assert_eq!(c.held_on, date!(2020 - 01 - 07));
        assert_eq!(c.organiser, "Ban Thường vụ Thành ủy");
        assert_eq!(
            (c.chair_name.as_str(), c.chair_title.as_deref()),
            ("Lê Tiến Dũng", Some("Phó Bí thư Thường trực Thành ủy"))
        );
        assert!(c.title.starts_with(
            "Hội nghị cán bộ Thành phố quán triệt, triển khai Kế hoạch về Đại hội Đảng bộ các cấp"
        ));
        let presenters: Vec<&str> =
            record.presenters.iter().map(|p| p.full_name.as_str()).collect();
        assert_eq!(presenters, vec!["Lê Tiến Dũng", "Lê Quang Xuyến", "Nguyễn Hồng"]);
        let introduced: Vec<&str> =
            record.documents.iter().map(|d| d.document.symbol.as_str()).collect();
        assert_eq!(introduced, vec!["35-CT/TW", "26-HD/BTCTW", "79-KH/TU", "03-HD/TU"]);
        assert!(record.documents.iter().all(|d| d.presenter_id.is_none()), "introduced jointly");
        assert_eq!(
            record.documents[1].document.issued_on,
            date!(2019 - 10 - 18),
            "the 2019 guideline"
        );
        let conclusions = c.conclusions.as_deref().unwrap();
        assert!(conclusions.starts_with("Với tinh thần tập trung, nghiêm túc, trách nhiệm"));
        assert!(
            conclusions
                .ends_with("theo đúng Hướng dẫn số 03 ngày 17/12/2019 của Ban Thường vụ Thành ủy.")
        );
        // The city's own guideline moved its sequence: the next guideline is 04-HD/TU.
        let next = store.propose_number(city.id, "HD", date!(2020 - 01 - 10), None).await.unwrap();
        assert_eq!(next.symbol, "04-HD/TU", "[{}]", db.label);
        // Preparation: judged on the demo's day (22 June 2020), two tasks are late.
        assert_eq!(store.preparation_as_of().await.unwrap(), Some(DEMO_AS_OF));
        let overdue =
            store.overdue_tasks(std::slice::from_ref(&city.path), DEMO_AS_OF, 50).await.unwrap();
        let late: Vec<&str> = overdue.iter().filter_map(|o| o.task.template.as_deref()).collect();
        assert_eq!(late, vec!["comments_collected", "delegate_allocation"], "[{}]", db.label);
        let congress = store
            .congresses_of_unit(city.id)
            .await
            .unwrap()
            .into_iter()
            .find(|c| c.ordinal == Some(7))
            .unwrap();
        assert_eq!(store.subcommittees(congress.id).await.unwrap().len(), 3);
        let drafts = store.drafts(congress.id).await.unwrap();
        let report = store.draft(drafts[0].id).await.unwrap();
        assert_eq!((report.versions.len(), report.comments.len()), (2, 4), "[{}]", db.label);
        assert!(store.verify_audit().await.unwrap().is_ok());
    }
}
