//! The demo's document register and congress preparation, after the seed article: the chain
//! Directive 35-CT/TW (30/5/2019) → Guideline 26-HD/BTCTW (18/10/2019) → the province's Plan
//! 79-KH/TU (14/8/2019) → the city's Guideline 03-HD/TU (17/12/2019), linked; the city's
//! dissemination conference of 7 January 2020 exactly as the article tells it; and the city
//! congress's subcommittees, task checklists, political report draft and budget, judged as of
//! 20 May 2020.
//!
//! Only the conference and the four documents come from the article (and congress-process
//! §5.1, §7). Subcommittee members, task progress, comments and costs are invented for the
//! demo and say so in their notes.

use daihoi_core::prep::SubcommitteeKind;
use daihoi_core::symbol::DocumentSymbol;
use daihoi_store::congress::{CongressContent, CongressKind, NewCongress, SessionKind};
use daihoi_store::documents::{Issuer, LinkKind, NewConference, NewDocument, Origin};
use daihoi_store::prep::{DraftKind, NewComment, NewSubcommittee, SubRole, TaskEdit, TaskStatus};
use daihoi_store::{Store, StoreError, WriteTx};
use time::Date;
use time::macros::date;

use crate::DemoTree;

/// The day the demo's preparation is judged on: tasks due before it and not done are overdue.
pub const DEMO_AS_OF: Date = date!(2020 - 05 - 20);

/// The city, as the demo tree names it.
const CITY: &str = "Đảng bộ thành phố Điện Biên Phủ";

/// The article's conclusion, word for word (the article by Đỗ Quang Khải).
const CONCLUSIONS: &str = "Với tinh thần tập trung, nghiêm túc, trách nhiệm, hội nghị đã triển khai, quán triệt quan điểm, định hướng, ý nghĩa, yêu cầu, nội dung và công tác chuẩn bị Đại hội Đảng bộ các cấp tiến tới Đại hội toàn quốc lần thứ XIII của Đảng. Đây là đợt sinh hoạt chính trị quan trọng của Đảng bộ, chính quyền và nhân dân các dân tộc Thành phố Điện Biên Phủ. Vì vậy cùng với nhiệm vụ lãnh đạo phát triển kinh tế - xã hội, đảm bảo quốc phòng - an ninh, các cấp ủy Đảng tập trung làm thật tốt các công tác chuẩn bị nội dung và nhân sự cho Đại hội. Đại hội các cấp phải được tiến hành một cách nghiêm túc, chu đáo. Từng cấp ủy xây dựng chương trình, kế hoạch; thành lập các tiểu ban giúp cấp ủy trong quá trình Đại hội. Đảm bảo an toàn, tiết kiệm, tránh hình thức, tránh lãng phí. Theo đó từng Đảng bộ tích cực triển khai, thực hiện theo đúng Hướng dẫn số 03 ngày 17/12/2019 của Ban Thường vụ Thành ủy.";

fn symbol(text: &str) -> Result<DocumentSymbol, StoreError> {
    DocumentSymbol::parse(text).map(|parsed| parsed.symbol).map_err(|error| {
        StoreError::rule("bad_symbol", "symbol", error.message_vi(), error.message_en())
    })
}

fn received(
    unit_id: i64,
    text: &str,
    issued_on: Date,
    issuer: &str,
    summary: &str,
) -> Result<NewDocument, StoreError> {
    Ok(NewDocument {
        unit_id,
        symbol: symbol(text)?,
        issued_on,
        issuer: Issuer::Named(issuer.into()),
        origin: Origin::Received,
        summary: summary.into(),
        signer: None,
        congress_id: None,
        note: None,
    })
}

/// Writes the register, the conference and the preparation of the city congress.
pub async fn write_documents(
    store: &Store,
    tx: &mut WriteTx,
    tree: &DemoTree,
) -> Result<(), StoreError> {
    let city = tree.id(CITY)?;
    let today = DEMO_AS_OF;
    let (directive, _) = store
        .create_document(
            tx,
            received(
                city,
                "35-CT/TW",
                date!(2019 - 05 - 30),
                "Bộ Chính trị",
                "Chỉ thị về đại hội đảng bộ các cấp tiến tới Đại hội đại biểu toàn quốc lần thứ XIII của Đảng",
            )?,
            today,
        )
        .await?;
    let (guideline, _) = store
        .create_document(
            tx,
            received(
                city,
                "26-HD/BTCTW",
                date!(2019 - 10 - 18),
                "Ban Tổ chức Trung ương",
                "Hướng dẫn một số vấn đề cụ thể thực hiện Chỉ thị số 35-CT/TW ngày 30/5/2019 của Bộ Chính trị về đại hội đảng bộ các cấp tiến tới Đại hội đại biểu toàn quốc lần thứ XIII của Đảng",
            )?,
            today,
        )
        .await?;
    // The guideline of the previous campaign carries the same symbol: the date tells them apart.
    store
        .create_document(
            tx,
            NewDocument {
                note: Some("Cùng số, ký hiệu với Hướng dẫn ngày 18/10/2019; phân biệt theo ngày ban hành.".into()),
                ..received(
                    city,
                    "26-HD/BTCTW",
                    date!(2014 - 08 - 18),
                    "Ban Tổ chức Trung ương",
                    "Hướng dẫn về đại hội đảng bộ các cấp nhiệm kỳ 2015 - 2020, tiến tới Đại hội đại biểu toàn quốc lần thứ XII của Đảng",
                )?
            },
            today,
        )
        .await?;
    let (plan, _) = store
        .create_document(
            tx,
            received(
                city,
                "79-KH/TU",
                date!(2019 - 08 - 14),
                "Tỉnh ủy Điện Biên",
                "Kế hoạch thực hiện Chỉ thị số 35-CT/TW của Bộ Chính trị về đại hội đảng bộ các cấp tiến tới Đại hội đại biểu toàn quốc lần thứ XIII của Đảng",
            )?,
            today,
        )
        .await?;
    // "Hướng dẫn số 03 ngày 17/12/2019 của Ban Thường vụ Thành ủy": a standing committee issues
    // under its committee's symbol (congress-process §6.3).
    let (city_guideline, _) = store
        .create_document(
            tx,
            NewDocument {
                unit_id: city,
                symbol: symbol("03-HD/TU")?,
                issued_on: date!(2019 - 12 - 17),
                issuer: Issuer::Unit(city),
                origin: Origin::Own,
                summary: "Hướng dẫn chuẩn bị và tổ chức đại hội đảng bộ các cấp tiến tới Đại hội đại biểu toàn quốc lần thứ XIII của Đảng".into(),
                signer: Some("T/M Ban Thường vụ Thành ủy".into()),
                congress_id: None,
                note: Some("Ban Thường vụ Thành ủy ban hành.".into()),
            },
            today,
        )
        .await?;
    store.link_documents(tx, guideline.id, directive.id, LinkKind::Guides).await?;
    store.link_documents(tx, plan.id, directive.id, LinkKind::Implements).await?;
    store.link_documents(tx, city_guideline.id, plan.id, LinkKind::Implements).await?;
    store.link_documents(tx, city_guideline.id, directive.id, LinkKind::Guides).await?;
    store
        .create_conference(
            tx,
            NewConference {
                unit_id: city,
                held_on: Some(date!(2020 - 01 - 07)),
                title: "Hội nghị cán bộ Thành phố quán triệt, triển khai Kế hoạch về Đại hội Đảng bộ các cấp, tiến tới Đại hội đại biểu toàn quốc lần thứ XIII của Đảng".into(),
                organiser: "Ban Thường vụ Thành ủy".into(),
                audience: Some("Cán bộ Thành phố".into()),
                venue: None,
                chair_name: "Lê Tiến Dũng".into(),
                chair_title: Some("Phó Bí thư Thường trực Thành ủy".into()),
                conclusions: Some(CONCLUSIONS.into()),
                source: Some("Bài “TP. Điện Biên Phủ: Tích cực chuẩn bị Đại hội Đảng bộ các cấp”, tác giả Đỗ Quang Khải".into()),
                presenters: vec![
                    ("Lê Tiến Dũng".into(), Some("Phó Bí thư Thường trực Thành ủy".into())),
                    ("Lê Quang Xuyến".into(), Some("Ủy viên Ban Thường vụ, Trưởng Ban Tổ chức Thành ủy".into())),
                    ("Nguyễn Hồng".into(), Some("Ủy viên Ban Thường vụ, Chủ nhiệm Ủy ban Kiểm tra Thành ủy".into())),
                ],
                // The article: the three "trực tiếp giới thiệu" the directive and the guiding
                // documents of the Central Organization Commission, the province and the city,
                // together (no one is said to have presented one document alone).
                documents: vec![
                    (directive.id, None),
                    (guideline.id, None),
                    (plan.id, None),
                    (city_guideline.id, None),
                ],
                invitees: Vec::new(),
            },
        )
        .await?;
    write_preparation(store, tx, tree, city).await
}

async fn write_preparation(
    store: &Store,
    tx: &mut WriteTx,
    tree: &DemoTree,
    city: i64,
) -> Result<(), StoreError> {
    // The 7th congress of the city (14–15 Aug 2020, congress-process §7), unless an earlier step
    // of the demo wrote it already.
    let congress = match store.congress_for_term(tx, city, 2020).await? {
        Some(congress) => congress,
        None => {
            store
                .create_congress(
                    tx,
                    NewCongress {
                        unit_id: city,
                        ordinal: Some(7),
                        term_start: 2020,
                        term_end: 2025,
                        kind: CongressKind::Delegates,
                        content: CongressContent::FourItems,
                        rules: "qd190-2024".into(),
                        title: String::new(),
                        place: Some("Điện Biên Phủ".into()),
                        venue: None,
                        pilot: false,
                        sessions: vec![(
                            SessionKind::Official,
                            Some(date!(2020 - 08 - 14)),
                            Some(date!(2020 - 08 - 15)),
                        )],
                    },
                )
                .await?
        }
    };
    let demo = |name: &str, title: &str| (name.to_string(), Some(format!("{title} (dữ liệu mẫu)")));
    let with_role = |(name, title): (String, Option<String>), role| (name, title, role);
    let documents = store
        .create_subcommittee(
            tx,
            NewSubcommittee {
                congress_id: congress.id,
                kind: SubcommitteeKind::Documents,
                decision: Some("Quyết định thành lập Tiểu ban Văn kiện (dữ liệu mẫu)".into()),
                members: vec![
                    with_role(demo("Trần Văn Thắng", "Bí thư Thành ủy"), SubRole::Head),
                    with_role(
                        demo("Lê Tiến Dũng", "Phó Bí thư Thường trực Thành ủy"),
                        SubRole::Deputy,
                    ),
                    with_role(
                        demo("Phạm Thị Hương", "Trưởng Ban Tuyên giáo Thành ủy"),
                        SubRole::Member,
                    ),
                    with_role(demo("Lò Văn Tiến", "Chánh Văn phòng Thành ủy"), SubRole::Member),
                ],
                prefill: true,
            },
        )
        .await?;
    let personnel = store
        .create_subcommittee(
            tx,
            NewSubcommittee {
                congress_id: congress.id,
                kind: SubcommitteeKind::Personnel,
                decision: Some("Quyết định thành lập Tiểu ban Nhân sự (dữ liệu mẫu)".into()),
                members: vec![
                    with_role(demo("Trần Văn Thắng", "Bí thư Thành ủy"), SubRole::Head),
                    with_role(
                        demo("Lê Quang Xuyến", "Trưởng Ban Tổ chức Thành ủy"),
                        SubRole::Deputy,
                    ),
                    with_role(
                        demo("Nguyễn Hồng", "Chủ nhiệm Ủy ban Kiểm tra Thành ủy"),
                        SubRole::Member,
                    ),
                ],
                prefill: true,
            },
        )
        .await?;
    let logistics = store
        .create_subcommittee(
            tx,
            NewSubcommittee {
                congress_id: congress.id,
                kind: SubcommitteeKind::Logistics,
                decision: Some(
                    "Quyết định thành lập Tiểu ban Tổ chức phục vụ (dữ liệu mẫu)".into(),
                ),
                members: vec![
                    with_role(demo("Lò Văn Tiến", "Chánh Văn phòng Thành ủy"), SubRole::Head),
                    with_role(demo("Vũ Đức Hòa", "Phó Chánh Văn phòng Thành ủy"), SubRole::Deputy),
                ],
                prefill: true,
            },
        )
        .await?;
    // Progress as of 20 May 2020: most early tasks done; the review report (due 16 Apr) and
    // the personnel plan (due 16 May) are late.
    let progress: [(&[daihoi_store::prep::Task], &str, TaskStatus, &str); 5] = [
        (&documents.tasks, "political_report_outline", TaskStatus::Done, "Tổ biên tập"),
        (&documents.tasks, "political_report", TaskStatus::Done, "Tổ biên tập"),
        (&documents.tasks, "review_report", TaskStatus::InProgress, "Văn phòng Thành ủy"),
        (&personnel.tasks, "personnel_plan", TaskStatus::InProgress, "Ban Tổ chức Thành ủy"),
        (&logistics.tasks, "programme_plan", TaskStatus::Done, "Văn phòng Thành ủy"),
    ];
    for (tasks, code, status, owner) in progress {
        let task = tasks
            .iter()
            .find(|t| t.template.as_deref() == Some(code))
            .ok_or(StoreError::NotFound)?;
        let finished = task.due_on.and_then(|due| due.previous_day()).unwrap_or(DEMO_AS_OF);
        let edit = TaskEdit {
            status,
            owner: Some(owner.into()),
            due_on: task.due_on,
            version: task.version,
        };
        store.update_task(tx, task.id, edit, finished).await?;
    }
    let report = store
        .create_draft(tx, congress.id, DraftKind::PoliticalReport, "Báo cáo chính trị của Ban Chấp hành Đảng bộ thành phố khóa VI trình Đại hội đại biểu lần thứ VII", date!(2020 - 04 - 10))
        .await?;
    let second = store
        .add_draft_version(
            tx,
            report.draft.id,
            "Dự thảo lần 2",
            date!(2020 - 05 - 15),
            Some("Tiếp thu ý kiến các đảng bộ, chi bộ trực thuộc (dữ liệu mẫu)"),
        )
        .await?;
    let first = report.versions[0].id;
    // Commenting unit (or none), author, section, text, version, day received.
    type Comment<'a> = (Option<&'a str>, &'a str, &'a str, &'a str, i64, Date);
    let comments: [Comment<'_>; 4] = [
        (
            Some("Đảng bộ phường Him Lam"),
            "",
            "Phần I, mục 1",
            "Bổ sung số liệu về xây dựng nông thôn mới và chỉnh trang đô thị ở các bản mới sáp nhập. (dữ liệu mẫu)",
            first,
            date!(2020 - 04 - 24),
        ),
        (
            Some("Đảng bộ phường Mường Thanh"),
            "",
            "Phần II, mục 3",
            "Làm rõ chỉ tiêu phát triển du lịch gắn với di tích lịch sử Điện Biên Phủ. (dữ liệu mẫu)",
            first,
            date!(2020 - 04 - 27),
        ),
        (
            None,
            "Đồng chí nguyên Bí thư Thành ủy (cán bộ lão thành)",
            "Phần III",
            "Nhấn mạnh công tác xây dựng Đảng ở các xã mới sáp nhập vào thành phố. (dữ liệu mẫu)",
            first,
            date!(2020 - 04 - 29),
        ),
        (
            Some("Đảng bộ phường Him Lam"),
            "",
            "Phần II, mục 1",
            "Đồng ý với các chỉ tiêu kinh tế - xã hội trong dự thảo lần 2. (dữ liệu mẫu)",
            second.id,
            date!(2020 - 05 - 19),
        ),
    ];
    for (unit, author, section, body, version_id, received_on) in comments {
        let from_unit_id = match unit {
            Some(name) => Some(tree.id(name)?),
            None => None,
        };
        store
            .add_draft_comment(
                tx,
                report.draft.id,
                NewComment {
                    version_id,
                    from_unit_id,
                    author: author.into(),
                    section: Some(section.into()),
                    body: body.into(),
                    received_on,
                },
            )
            .await?;
    }
    for (item, planned, actual) in [
        ("Hội trường, trang trí, khánh tiết", 85_000_000, None),
        ("In ấn tài liệu, thẻ đại biểu", 40_000_000, Some(12_500_000)),
        ("Hậu cần, ăn nghỉ đại biểu", 120_000_000, None),
        ("Tuyên truyền, báo chí", 25_000_000, Some(6_000_000)),
    ] {
        store.add_budget_line(tx, congress.id, item, planned, actual, Some("Dữ liệu mẫu")).await?;
    }
    store.set_preparation_as_of(tx, Some(DEMO_AS_OF)).await
}
