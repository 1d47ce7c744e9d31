//! The congress campaign: levels and their timetable, the two directives as templates, the
//! status pipeline of a unit derived from facts, and the checks of a plan (deadlines, lengths,
//! bottom-up order, notice, reporting and approval delays in working days).
//!
//! Sources: congress-process §0 (bottom-up order), §1.1 (Directive 35-CT/TW, 2020), §1.2
//! (Directive 45-CT/TW, 2025), §5.1 item 6 (congress date announced 30 working days ahead),
//! §5.2 (QĐ 24-QĐ/TW item 16.1: report within 7 working days of closing, approval within 15
//! working days of receipt).

use std::collections::HashMap;

use serde::Serialize;
use time::Date;
use time::macros::date;

use crate::calendar::WorkCalendar;
use crate::unit::UnitKind;

/// Working days of notice before the opening (§5.1 item 6).
pub const NOTICE_WORKING_DAYS: u32 = 30;
/// Working days after the closing day to report the results upward (§5.2).
pub const REPORT_WORKING_DAYS: u32 = 7;
/// Working days after receipt for the upper committee to approve (§5.2).
pub const APPROVAL_WORKING_DAYS: u32 = 15;
/// Members at and above which a congress of delegates is held rather than of all members
/// (HD 26-HD/BTCTW practice, congress-process §3.1).
pub const DELEGATES_CONGRESS_FROM: i64 = 200;
/// A unit not yet scheduled this many working days before its level's deadline is at risk.
pub const AT_RISK_WORKING_DAYS: u32 = 30;

/// A level of the campaign's timetable: every level has its own window and deadline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// Chi bộ trực thuộc and đảng bộ bộ phận: held before their grassroots unit.
    Cell,
    /// Tổ chức cơ sở đảng: grassroots committees and grassroots cells.
    Grassroots,
    /// Cấp trên trực tiếp cơ sở: districts (to 2025) and communes, wards, special zones.
    Upper,
    /// Trực thuộc Trung ương: provinces, central blocs, Army, Public Security.
    CentralDirect,
    /// The National Congress.
    National,
}

impl Level {
    /// Every level, bottom first (the order congresses are held in).
    pub const ALL: [Level; 5] =
        [Level::Cell, Level::Grassroots, Level::Upper, Level::CentralDirect, Level::National];

    /// The level of a unit kind.
    pub fn of(kind: UnitKind) -> Level {
        match kind {
            UnitKind::Cell | UnitKind::SubCommittee => Level::Cell,
            UnitKind::GrassrootsCommittee | UnitKind::GrassrootsCell => Level::Grassroots,
            UnitKind::District | UnitKind::Commune => Level::Upper,
            UnitKind::Province
            | UnitKind::CentralBloc
            | UnitKind::Army
            | UnitKind::PublicSecurity => Level::CentralDirect,
            UnitKind::Central => Level::National,
        }
    }

    /// An SQL `CASE` giving the level code of the unit kind in `column` (one source of truth
    /// for the store's set-based statements).
    pub fn sql_case(column: &str) -> String {
        let mut sql = String::from("CASE");
        for kind in UnitKind::ALL {
            sql.push_str(&format!(
                " WHEN {column} = '{}' THEN '{}'",
                kind.code(),
                Level::of(kind).code()
            ));
        }
        sql.push_str(" ELSE 'cell' END");
        sql
    }

    /// Stable code.
    pub fn code(self) -> &'static str {
        match self {
            Level::Cell => "cell",
            Level::Grassroots => "grassroots",
            Level::Upper => "upper",
            Level::CentralDirect => "central_direct",
            Level::National => "national",
        }
    }

    /// Parses a code.
    pub fn parse(code: &str) -> Option<Level> {
        Level::ALL.into_iter().find(|level| level.code() == code)
    }

    /// Vietnamese name.
    pub fn label_vi(self) -> &'static str {
        match self {
            Level::Cell => "Chi bộ trực thuộc, đảng bộ bộ phận",
            Level::Grassroots => "Cấp cơ sở",
            Level::Upper => "Cấp trên trực tiếp cơ sở",
            Level::CentralDirect => "Trực thuộc Trung ương",
            Level::National => "Toàn quốc",
        }
    }

    /// English name.
    pub fn label_en(self) -> &'static str {
        match self {
            Level::Cell => "Cells and sub-committees",
            Level::Grassroots => "Grassroots",
            Level::Upper => "Upper-grassroots",
            Level::CentralDirect => "Directly under the Central Committee",
            Level::National => "National",
        }
    }
}

/// The timetable of one level.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LevelRule {
    /// The level.
    pub level: Level,
    /// First day of the general wave.
    pub window_start: Option<Date>,
    /// Last day of the general wave.
    pub window_end: Option<Date>,
    /// Hard deadline: every congress of the level closes on or before it.
    pub deadline: Option<Date>,
    /// Longest congress, in calendar days, preparatory session included.
    pub max_days: Option<u32>,
    /// Reference date for ages (thời điểm tính tuổi).
    pub age_reference: Option<Date>,
    /// Pilot congresses (đại hội điểm): first day.
    pub pilot_start: Option<Date>,
    /// Pilot congresses: last day.
    pub pilot_end: Option<Date>,
}

/// A campaign as its directive sets it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Template {
    /// Stable key (`ct35-2020`, `ct45-2025`).
    pub key: &'static str,
    /// Campaign name.
    pub name: &'static str,
    /// First year of the term.
    pub term_start: i32,
    /// Last year of the term.
    pub term_end: i32,
    /// The directive, keyed by number, symbol and date (§1.2: numbers collide).
    pub directive: &'static str,
    /// Guidelines and conclusions under it.
    pub guidance: &'static str,
    /// Per-level timetable.
    pub levels: Vec<LevelRule>,
}

/// The two campaigns described in congress-process §1.
pub fn templates() -> Vec<Template> {
    vec![
        Template {
            key: "ct35-2020",
            name: "Đại hội đảng bộ các cấp nhiệm kỳ 2020 - 2025",
            term_start: 2020,
            term_end: 2025,
            directive: "Chỉ thị 35-CT/TW ngày 30/5/2019 của Bộ Chính trị",
            guidance: "Hướng dẫn 26-HD/BTCTW ngày 18/10/2019; Kết luận 79-KL/TW ngày 16/6/2020; Hướng dẫn 62-HD/VPTW ngày 4/2/2020",
            levels: vec![
                // Cells under grassroots committees met in Jan–Mar 2020 (Điện Biên, §1.1).
                LevelRule {
                    level: Level::Cell,
                    window_start: Some(date!(2020 - 01 - 01)),
                    window_end: Some(date!(2020 - 03 - 31)),
                    deadline: Some(date!(2020 - 03 - 31)),
                    max_days: Some(1),
                    age_reference: None,
                    pilot_start: None,
                    pilot_end: None,
                },
                LevelRule {
                    level: Level::Grassroots,
                    window_start: Some(date!(2020 - 04 - 01)),
                    window_end: Some(date!(2020 - 06 - 30)),
                    deadline: Some(date!(2020 - 06 - 30)),
                    max_days: Some(2),
                    age_reference: None,
                    // The month is cut off in the source (⚠); practice points to Jan–Mar.
                    pilot_start: Some(date!(2020 - 01 - 01)),
                    pilot_end: Some(date!(2020 - 03 - 31)),
                },
                LevelRule {
                    level: Level::Upper,
                    window_start: Some(date!(2020 - 07 - 01)),
                    window_end: Some(date!(2020 - 08 - 31)),
                    deadline: Some(date!(2020 - 08 - 31)),
                    max_days: Some(3),
                    age_reference: None,
                    pilot_start: Some(date!(2020 - 06 - 01)),
                    pilot_end: Some(date!(2020 - 07 - 15)),
                },
                LevelRule {
                    level: Level::CentralDirect,
                    window_start: Some(date!(2020 - 09 - 01)),
                    window_end: Some(date!(2020 - 10 - 31)),
                    deadline: Some(date!(2020 - 10 - 31)),
                    max_days: Some(4),
                    age_reference: None,
                    pilot_start: None,
                    pilot_end: None,
                },
                LevelRule {
                    level: Level::National,
                    window_start: Some(date!(2021 - 01 - 25)),
                    window_end: Some(date!(2021 - 02 - 02)),
                    deadline: Some(date!(2021 - 02 - 02)),
                    max_days: Some(9),
                    age_reference: None,
                    pilot_start: None,
                    pilot_end: None,
                },
            ],
        },
        Template {
            key: "ct45-2025",
            name: "Đại hội đảng bộ các cấp nhiệm kỳ 2025 - 2030",
            term_start: 2025,
            term_end: 2030,
            directive: "Chỉ thị 45-CT/TW ngày 14/4/2025 của Bộ Chính trị",
            guidance: "Kết luận 163-KL/TW ngày 6/6/2025; Kết luận 185-KL/TW ngày 22/8/2025; Kết luận 190-KL/TW, 191-KL/TW (9/2025)",
            levels: vec![
                LevelRule {
                    level: Level::Cell,
                    window_start: Some(date!(2025 - 01 - 01)),
                    window_end: Some(date!(2025 - 05 - 31)),
                    deadline: Some(date!(2025 - 05 - 31)),
                    max_days: Some(1),
                    age_reference: Some(date!(2025 - 04 - 01)),
                    pilot_start: None,
                    pilot_end: None,
                },
                LevelRule {
                    level: Level::Grassroots,
                    window_start: Some(date!(2025 - 04 - 01)),
                    window_end: Some(date!(2025 - 06 - 30)),
                    deadline: Some(date!(2025 - 06 - 30)),
                    max_days: Some(2),
                    age_reference: Some(date!(2025 - 04 - 01)),
                    pilot_start: None,
                    pilot_end: None,
                },
                LevelRule {
                    level: Level::Upper,
                    window_start: Some(date!(2025 - 07 - 01)),
                    window_end: Some(date!(2025 - 08 - 31)),
                    deadline: Some(date!(2025 - 08 - 31)),
                    max_days: Some(2),
                    age_reference: Some(date!(2025 - 07 - 01)),
                    pilot_start: None,
                    pilot_end: None,
                },
                LevelRule {
                    level: Level::CentralDirect,
                    window_start: Some(date!(2025 - 09 - 01)),
                    window_end: Some(date!(2025 - 10 - 31)),
                    deadline: Some(date!(2025 - 10 - 31)),
                    max_days: Some(4),
                    age_reference: Some(date!(2025 - 09 - 01)),
                    pilot_start: None,
                    pilot_end: None,
                },
                LevelRule {
                    level: Level::National,
                    window_start: Some(date!(2026 - 01 - 19)),
                    window_end: Some(date!(2026 - 01 - 25)),
                    deadline: Some(date!(2026 - 01 - 25)),
                    max_days: Some(7),
                    age_reference: None,
                    pilot_start: None,
                    pilot_end: None,
                },
            ],
        },
    ]
}

/// The template with this key.
pub fn template(key: &str) -> Option<Template> {
    templates().into_iter().find(|template| template.key == key)
}

/// The congress format suggested by the member count (§3.1): 200 or more members hold a
/// congress of delegates.
pub fn suggested_delegates_congress(members: i64) -> bool {
    members >= DELEGATES_CONGRESS_FROM
}

/// Where a unit stands in the campaign.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// No date planned.
    NotPlanned,
    /// A date is planned.
    Planned,
    /// The congress is being prepared: its date announced, or its congress record open.
    Preparing,
    /// The congress was held (closed).
    Held,
    /// Results reported upward, awaiting approval.
    Reported,
    /// The upper committee approved the results (chuẩn y).
    Approved,
    /// The upper committee returned or annulled the results.
    Returned,
}

impl Status {
    /// Every status in pipeline order.
    pub const ALL: [Status; 7] = [
        Status::NotPlanned,
        Status::Planned,
        Status::Preparing,
        Status::Held,
        Status::Reported,
        Status::Approved,
        Status::Returned,
    ];

    /// Stable code.
    pub fn code(self) -> &'static str {
        match self {
            Status::NotPlanned => "not_planned",
            Status::Planned => "planned",
            Status::Preparing => "preparing",
            Status::Held => "held",
            Status::Reported => "reported",
            Status::Approved => "approved",
            Status::Returned => "returned",
        }
    }

    /// Parses a code.
    pub fn parse(code: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|status| status.code() == code)
    }

    /// Vietnamese label.
    pub fn label_vi(self) -> &'static str {
        match self {
            Status::NotPlanned => "Chưa có kế hoạch",
            Status::Planned => "Đã lên lịch",
            Status::Preparing => "Đang chuẩn bị",
            Status::Held => "Đã tổ chức",
            Status::Reported => "Đã báo cáo kết quả",
            Status::Approved => "Đã chuẩn y",
            Status::Returned => "Bị trả lại",
        }
    }

    /// English label.
    pub fn label_en(self) -> &'static str {
        match self {
            Status::NotPlanned => "Not planned",
            Status::Planned => "Planned",
            Status::Preparing => "Preparing",
            Status::Held => "Held",
            Status::Reported => "Results reported",
            Status::Approved => "Approved",
            Status::Returned => "Returned",
        }
    }

    /// Whether the congress has taken place.
    pub fn is_held(self) -> bool {
        matches!(self, Status::Held | Status::Reported | Status::Approved | Status::Returned)
    }
}

/// The state of the congress record (congresses.status).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CongressState {
    /// Being prepared.
    Preparing,
    /// In session.
    InSession,
    /// Closed.
    Closed,
}

/// The upper committee's decision on reported results (approvals.status).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApprovalState {
    /// Reported, not decided.
    Pending,
    /// Approved (chuẩn y).
    Approved,
    /// Returned or annulled.
    Returned,
}

/// The facts a unit's status is derived from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Facts {
    /// Planned opening day.
    pub planned_start: Option<Date>,
    /// Day the congress date was announced.
    pub notice_on: Option<Date>,
    /// The congress record of this campaign, if any.
    pub congress: Option<CongressState>,
    /// The latest report of its results, if any.
    pub approval: Option<ApprovalState>,
}

/// The status of a unit: facts decide it, nobody ticks it. The store computes the same thing
/// in one set-based statement; a test compares the two.
pub fn derive_status(facts: &Facts, today: Date) -> Status {
    match (facts.approval, facts.congress) {
        (Some(ApprovalState::Approved), _) => Status::Approved,
        (Some(ApprovalState::Returned), _) => Status::Returned,
        (Some(ApprovalState::Pending), _) => Status::Reported,
        (None, Some(CongressState::Closed)) => Status::Held,
        (None, Some(_)) => Status::Preparing,
        (None, None) if facts.notice_on.is_some_and(|notice| notice <= today) => Status::Preparing,
        (None, None) if facts.planned_start.is_some() => Status::Planned,
        (None, None) => Status::NotPlanned,
    }
}

/// One unit of a plan, with what is known of its congress.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PlanRow {
    /// The unit.
    pub unit_id: i64,
    /// Its parent unit.
    pub parent_id: Option<i64>,
    /// Its level.
    pub level: Level,
    /// A congress of delegates (its delegates come from the congresses of its children).
    pub delegates_congress: bool,
    /// A 4-item congress: it elects (among others) the delegates to its parent's congress; a
    /// 2-item congress elects nobody (the upper level appoints, §1.2).
    pub four_items: bool,
    /// Pilot congress.
    pub pilot: bool,
    /// Planned (or actual, once held) opening day.
    pub starts_on: Option<Date>,
    /// Planned (or actual) closing day.
    pub ends_on: Option<Date>,
    /// Day the date was announced.
    pub notice_on: Option<Date>,
    /// Derived status.
    pub status: Status,
    /// Day the results reached the upper committee.
    pub reported_on: Option<Date>,
    /// Day the upper committee decided.
    pub decided_on: Option<Date>,
}

/// What is wrong with a unit's plan or progress.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ProblemKind {
    /// The congress closes after its level's deadline.
    AfterDeadline,
    /// The congress lasts longer than its level allows.
    TooLong,
    /// The congress opens before its level's window (and is not a pilot in the pilot window).
    BeforeWindow,
    /// The congress opens before (or on the day) a child congress that elects its delegates
    /// closes, or that child has no date.
    BeforeChildren,
    /// The congress opens before the results of such a child can be approved (7 + 15
    /// working days after it closes) or were approved.
    BeforeChildApproval,
    /// The date was announced fewer than 30 working days ahead.
    ShortNotice,
    /// The date should have been announced by now.
    NoticeOverdue,
    /// The planned closing day has passed and the congress was not held.
    NotHeld,
    /// No date yet and the level's deadline is near or past.
    NotScheduled,
    /// Results not reported within 7 working days of closing.
    ReportOverdue,
    /// Results not approved within 15 working days of receipt.
    ApprovalOverdue,
}

/// How a problem weighs on the dashboard.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// A date has passed: the unit is late.
    Late,
    /// Nothing has passed yet, but the plan will miss a rule.
    AtRisk,
}

impl ProblemKind {
    /// Every kind.
    pub const ALL: [ProblemKind; 11] = [
        ProblemKind::AfterDeadline,
        ProblemKind::TooLong,
        ProblemKind::BeforeWindow,
        ProblemKind::BeforeChildren,
        ProblemKind::BeforeChildApproval,
        ProblemKind::ShortNotice,
        ProblemKind::NoticeOverdue,
        ProblemKind::NotHeld,
        ProblemKind::NotScheduled,
        ProblemKind::ReportOverdue,
        ProblemKind::ApprovalOverdue,
    ];

    /// Stable code.
    pub fn code(self) -> &'static str {
        match self {
            ProblemKind::AfterDeadline => "after_deadline",
            ProblemKind::TooLong => "too_long",
            ProblemKind::BeforeWindow => "before_window",
            ProblemKind::BeforeChildren => "before_children",
            ProblemKind::BeforeChildApproval => "before_child_approval",
            ProblemKind::ShortNotice => "short_notice",
            ProblemKind::NoticeOverdue => "notice_overdue",
            ProblemKind::NotHeld => "not_held",
            ProblemKind::NotScheduled => "not_scheduled",
            ProblemKind::ReportOverdue => "report_overdue",
            ProblemKind::ApprovalOverdue => "approval_overdue",
        }
    }

    /// Parses a code.
    pub fn parse(code: &str) -> Option<ProblemKind> {
        ProblemKind::ALL.into_iter().find(|kind| kind.code() == code)
    }

    /// Vietnamese description.
    pub fn label_vi(self) -> &'static str {
        match self {
            ProblemKind::AfterDeadline => "Bế mạc sau hạn chót của cấp",
            ProblemKind::TooLong => "Thời gian đại hội dài hơn quy định",
            ProblemKind::BeforeWindow => "Khai mạc trước thời gian quy định của cấp",
            ProblemKind::BeforeChildren => "Khai mạc trước đại hội cấp dưới bầu đại biểu",
            ProblemKind::BeforeChildApproval => {
                "Khai mạc trước khi kết quả đại hội cấp dưới được chuẩn y"
            }
            ProblemKind::ShortNotice => "Thông báo ngày đại hội chưa đủ 30 ngày làm việc",
            ProblemKind::NoticeOverdue => "Đến hạn thông báo ngày đại hội (30 ngày làm việc)",
            ProblemKind::NotHeld => "Quá ngày dự kiến mà chưa tổ chức đại hội",
            ProblemKind::NotScheduled => "Chưa có lịch đại hội, gần hoặc quá hạn chót",
            ProblemKind::ReportOverdue => "Quá 7 ngày làm việc chưa báo cáo kết quả",
            ProblemKind::ApprovalOverdue => "Quá 15 ngày làm việc chưa chuẩn y",
        }
    }

    /// English description.
    pub fn label_en(self) -> &'static str {
        match self {
            ProblemKind::AfterDeadline => "Closes after the level's deadline",
            ProblemKind::TooLong => "Longer than the level allows",
            ProblemKind::BeforeWindow => "Opens before the level's window",
            ProblemKind::BeforeChildren => {
                "Opens before the child congresses electing its delegates"
            }
            ProblemKind::BeforeChildApproval => {
                "Opens before the child congresses' results can be approved"
            }
            ProblemKind::ShortNotice => "Announced fewer than 30 working days ahead",
            ProblemKind::NoticeOverdue => "The congress date is due to be announced",
            ProblemKind::NotHeld => "Planned date passed, congress not held",
            ProblemKind::NotScheduled => "No date yet, deadline near or past",
            ProblemKind::ReportOverdue => "Results not reported within 7 working days",
            ProblemKind::ApprovalOverdue => "Not approved within 15 working days",
        }
    }

    /// Late (a date has passed) or at risk.
    pub fn severity(self) -> Severity {
        match self {
            ProblemKind::NotHeld
            | ProblemKind::ReportOverdue
            | ProblemKind::ApprovalOverdue
            | ProblemKind::NoticeOverdue => Severity::Late,
            _ => Severity::AtRisk,
        }
    }
}

/// A problem of one unit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// The unit.
    pub unit_id: i64,
    /// What is wrong.
    pub kind: ProblemKind,
    /// The child unit concerned, for the order checks.
    pub other_unit: Option<i64>,
    /// The date that was or will be missed.
    pub due: Option<Date>,
}

/// Date cut-offs for "today" under a calendar: a unit is late when a fact's date is before the
/// cut-off. The store binds these so its set-based query needs no calendar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cutoffs {
    /// Today.
    pub today: Date,
    /// A congress closed before this day should have reported (today − 7 working days).
    pub report_closed_before: Date,
    /// Results received before this day should be approved (today − 15 working days).
    pub approval_received_before: Date,
    /// A congress opening on or before this day should be announced (today + 30 working days).
    pub notice_opening_by: Date,
    /// A level whose deadline is on or before this day needs every date set (today + 30 wd).
    pub schedule_deadline_by: Date,
}

impl Cutoffs {
    /// The cut-offs of `today`.
    pub fn new(calendar: &WorkCalendar, today: Date) -> Cutoffs {
        Cutoffs {
            today,
            report_closed_before: calendar.sub_working_days(today, REPORT_WORKING_DAYS),
            approval_received_before: calendar.sub_working_days(today, APPROVAL_WORKING_DAYS),
            notice_opening_by: calendar.add_working_days(today, NOTICE_WORKING_DAYS),
            schedule_deadline_by: calendar.add_working_days(today, AT_RISK_WORKING_DAYS),
        }
    }
}

/// Calendar days from `start` to `end`, both counted.
pub fn length_in_days(start: Date, end: Date) -> i64 {
    (end - start).whole_days() + 1
}

/// Every problem of a plan on `today`, sorted by unit and kind.
pub fn check_plan(
    rules: &[LevelRule],
    calendar: &WorkCalendar,
    rows: &[PlanRow],
    today: Date,
) -> Vec<Problem> {
    let rule_of: HashMap<Level, &LevelRule> = rules.iter().map(|rule| (rule.level, rule)).collect();
    let mut children: HashMap<i64, Vec<&PlanRow>> = HashMap::new();
    for row in rows {
        if let Some(parent) = row.parent_id {
            children.entry(parent).or_default().push(row);
        }
    }
    let cutoffs = Cutoffs::new(calendar, today);
    let mut problems = Vec::new();
    for row in rows {
        let rule = rule_of.get(&row.level);
        let mut push = |kind, other_unit, due| {
            problems.push(Problem { unit_id: row.unit_id, kind, other_unit, due })
        };
        let deadline = rule.and_then(|rule| rule.deadline);
        match (row.starts_on, row.ends_on) {
            (Some(start), Some(end)) => {
                if let Some(deadline) = deadline
                    && end > deadline
                {
                    push(ProblemKind::AfterDeadline, None, Some(deadline));
                }
                if let Some(max) = rule.and_then(|rule| rule.max_days)
                    && length_in_days(start, end) > i64::from(max)
                {
                    push(ProblemKind::TooLong, None, None);
                }
                if let Some(window_start) = rule.and_then(|rule| rule.window_start) {
                    let in_pilot_window = row.pilot
                        && rule.and_then(|rule| rule.pilot_start).is_some_and(|from| start >= from);
                    if start < window_start && !in_pilot_window {
                        push(ProblemKind::BeforeWindow, None, Some(window_start));
                    }
                }
                if row.delegates_congress {
                    for child in children.get(&row.unit_id).into_iter().flatten() {
                        if !child.four_items {
                            continue;
                        }
                        match child.ends_on {
                            Some(child_end) if child_end < start => {
                                let approval_by = child.decided_on.unwrap_or_else(|| {
                                    let report = child.reported_on.unwrap_or_else(|| {
                                        calendar.add_working_days(child_end, REPORT_WORKING_DAYS)
                                    });
                                    calendar.add_working_days(report, APPROVAL_WORKING_DAYS)
                                });
                                let approved = child.status == Status::Approved;
                                if !approved && approval_by >= start {
                                    push(
                                        ProblemKind::BeforeChildApproval,
                                        Some(child.unit_id),
                                        Some(approval_by),
                                    );
                                }
                            }
                            _ => push(
                                ProblemKind::BeforeChildren,
                                Some(child.unit_id),
                                child.ends_on,
                            ),
                        }
                    }
                }
                if !row.status.is_held() {
                    match row.notice_on {
                        Some(notice)
                            if calendar.working_days_between(notice, start)
                                < i64::from(NOTICE_WORKING_DAYS) =>
                        {
                            push(ProblemKind::ShortNotice, None, None);
                        }
                        Some(_) => {}
                        None if start <= cutoffs.notice_opening_by => {
                            push(
                                ProblemKind::NoticeOverdue,
                                None,
                                Some(calendar.sub_working_days(start, NOTICE_WORKING_DAYS)),
                            );
                        }
                        None => {}
                    }
                    if end < today {
                        push(ProblemKind::NotHeld, None, Some(end));
                    }
                }
            }
            _ => {
                if !row.status.is_held()
                    && let Some(deadline) = deadline
                    && deadline <= cutoffs.schedule_deadline_by
                {
                    push(ProblemKind::NotScheduled, None, Some(deadline));
                }
            }
        }
        if row.status == Status::Held
            && let Some(end) = row.ends_on
            && end < cutoffs.report_closed_before
        {
            push(
                ProblemKind::ReportOverdue,
                None,
                Some(calendar.add_working_days(end, REPORT_WORKING_DAYS)),
            );
        }
        if row.status == Status::Reported
            && let Some(received) = row.reported_on
            && received < cutoffs.approval_received_before
        {
            push(
                ProblemKind::ApprovalOverdue,
                None,
                Some(calendar.add_working_days(received, APPROVAL_WORKING_DAYS)),
            );
        }
    }
    problems.sort_by_key(|problem| (problem.unit_id, problem.kind, problem.other_unit));
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_follows_the_facts() {
        let today = date!(2020 - 05 - 01);
        let mut facts = Facts::default();
        assert_eq!(derive_status(&facts, today), Status::NotPlanned);
        facts.planned_start = Some(date!(2020 - 06 - 10));
        assert_eq!(derive_status(&facts, today), Status::Planned);
        facts.notice_on = Some(date!(2020 - 05 - 02));
        assert_eq!(derive_status(&facts, today), Status::Planned, "announced tomorrow");
        facts.notice_on = Some(date!(2020 - 04 - 20));
        assert_eq!(derive_status(&facts, today), Status::Preparing);
        facts.congress = Some(CongressState::InSession);
        assert_eq!(derive_status(&facts, today), Status::Preparing);
        facts.congress = Some(CongressState::Closed);
        assert_eq!(derive_status(&facts, today), Status::Held);
        facts.approval = Some(ApprovalState::Pending);
        assert_eq!(derive_status(&facts, today), Status::Reported);
        facts.approval = Some(ApprovalState::Returned);
        assert_eq!(derive_status(&facts, today), Status::Returned);
        facts.approval = Some(ApprovalState::Approved);
        assert_eq!(derive_status(&facts, today), Status::Approved);
    }

    #[test]
    fn the_sql_level_case_names_every_kind() {
        let sql = Level::sql_case("u.kind");
        for kind in UnitKind::ALL {
            assert!(sql.contains(&format!("'{}' THEN '{}'", kind.code(), Level::of(kind).code())));
        }
    }

    #[test]
    fn two_hundred_members_hold_a_delegates_congress() {
        assert!(!suggested_delegates_congress(199));
        assert!(suggested_delegates_congress(200));
    }

    #[test]
    fn templates_are_ordered_bottom_up() {
        for template in templates() {
            let deadlines: Vec<Date> =
                template.levels.iter().filter_map(|rule| rule.deadline).collect();
            assert!(deadlines.windows(2).all(|pair| pair[0] <= pair[1]), "{}", template.key);
            assert_eq!(template.levels.len(), Level::ALL.len());
        }
        assert!(template("ct35-2020").is_some());
        assert!(template("ct45-2025").is_some());
    }
}
