//! Congress preparation rules: the subcommittees a committee sets up (congress-process §5.1
//! item 3) and the checklist each starts from, with due dates counted back from the congress's
//! first day; and when a task is overdue.

use time::{Date, Duration};

/// The subcommittees that help the committee prepare its congress (§5.1, §5.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SubcommitteeKind {
    /// Tiểu ban Văn kiện: political report, review report, draft resolution, comments.
    Documents,
    /// Tiểu ban Nhân sự: personnel plans, delegates to the upper congress, candidate files.
    Personnel,
    /// Tiểu ban Tổ chức phục vụ: venue, decoration, security, media, budget, materials.
    Logistics,
}

impl SubcommitteeKind {
    /// Every kind, in the order they are usually listed.
    pub const ALL: [SubcommitteeKind; 3] =
        [SubcommitteeKind::Documents, SubcommitteeKind::Personnel, SubcommitteeKind::Logistics];

    /// Stable code.
    pub fn code(self) -> &'static str {
        match self {
            SubcommitteeKind::Documents => "documents",
            SubcommitteeKind::Personnel => "personnel",
            SubcommitteeKind::Logistics => "logistics",
        }
    }

    /// Parses a stable code.
    pub fn parse(code: &str) -> Option<SubcommitteeKind> {
        SubcommitteeKind::ALL.into_iter().find(|kind| kind.code() == code)
    }

    /// Vietnamese name.
    pub fn label_vi(self) -> &'static str {
        match self {
            SubcommitteeKind::Documents => "Tiểu ban Văn kiện",
            SubcommitteeKind::Personnel => "Tiểu ban Nhân sự",
            SubcommitteeKind::Logistics => "Tiểu ban Tổ chức phục vụ",
        }
    }

    /// English name.
    pub fn label_en(self) -> &'static str {
        match self {
            SubcommitteeKind::Documents => "Documents subcommittee",
            SubcommitteeKind::Personnel => "Personnel subcommittee",
            SubcommitteeKind::Logistics => "Organisation and logistics subcommittee",
        }
    }
}

/// One task of a subcommittee's starting checklist.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TaskTemplate {
    /// Stable code.
    pub code: &'static str,
    /// The subcommittee it belongs to.
    pub kind: SubcommitteeKind,
    /// Vietnamese title.
    pub vi: &'static str,
    /// English title.
    pub en: &'static str,
    /// Due this many days before the congress's first day.
    pub days_before: i64,
}

const fn task(
    code: &'static str,
    kind: SubcommitteeKind,
    vi: &'static str,
    en: &'static str,
    days_before: i64,
) -> TaskTemplate {
    TaskTemplate { code, kind, vi, en, days_before }
}

/// The checklists (§4.1, §4.2, §5.1). The lead times are the office's usual planning
/// figures, not regulation; every due date can be changed on the task.
pub const TASK_TEMPLATES: &[TaskTemplate] = {
    use SubcommitteeKind::{Documents as D, Logistics as L, Personnel as P};
    &[
        task(
            "political_report_outline",
            D,
            "Đề cương báo cáo chính trị",
            "Outline of the political report",
            150,
        ),
        task("political_report", D, "Dự thảo báo cáo chính trị", "Draft political report", 120),
        task(
            "review_report",
            D,
            "Dự thảo báo cáo kiểm điểm sự lãnh đạo, chỉ đạo của Ban Chấp hành",
            "Draft review report of the outgoing committee",
            120,
        ),
        task("draft_resolution", D, "Dự thảo nghị quyết đại hội", "Draft congress resolution", 45),
        task(
            "comments_collected",
            D,
            "Tổng hợp ý kiến góp ý dự thảo văn kiện",
            "Summary of comments on the drafts",
            60,
        ),
        task(
            "upper_review_documents",
            D,
            "Trình cấp trên cho ý kiến về dự thảo văn kiện",
            "Drafts sent to the upper committee for comment",
            40,
        ),
        task(
            "personnel_plan",
            P,
            "Đề án nhân sự Ban Chấp hành, Ban Thường vụ, Bí thư, Phó Bí thư, Ủy ban Kiểm tra",
            "Personnel plan for the committee and its bodies",
            90,
        ),
        task(
            "five_steps",
            P,
            "Thực hiện quy trình 5 bước giới thiệu nhân sự",
            "Five-step nomination procedure",
            75,
        ),
        task(
            "delegate_allocation",
            P,
            "Phân bổ đại biểu cho các đảng bộ, chi bộ trực thuộc",
            "Delegate allocation to subordinate units",
            60,
        ),
        task("candidate_files", P, "Hoàn thiện hồ sơ nhân sự", "Candidate files completed", 45),
        task(
            "upper_review_personnel",
            P,
            "Trình cấp trên cho ý kiến về phương án nhân sự",
            "Personnel plan sent to the upper committee",
            40,
        ),
        task(
            "programme_plan",
            L,
            "Chương trình, kế hoạch tổ chức đại hội",
            "Congress programme and plan",
            90,
        ),
        task("budget", L, "Dự toán kinh phí đại hội", "Congress budget", 60),
        task("venue", L, "Bố trí hội trường, địa điểm", "Venue", 30),
        task(
            "decoration_media",
            L,
            "Trang trí, khánh tiết, tuyên truyền",
            "Decoration, ceremony and media",
            15,
        ),
        task(
            "security_health",
            L,
            "Bảo đảm an ninh, y tế, hậu cần",
            "Security, health and catering",
            7,
        ),
        task("materials", L, "In ấn tài liệu, thẻ đại biểu", "Printed materials and badges", 5),
    ]
};

/// The starting checklist of a kind of subcommittee.
pub fn templates_for(kind: SubcommitteeKind) -> impl Iterator<Item = &'static TaskTemplate> {
    TASK_TEMPLATES.iter().filter(move |template| template.kind == kind)
}

/// The due date of a template task for a congress opening on `congress_start`.
pub fn due_date(template: &TaskTemplate, congress_start: Date) -> Date {
    congress_start.checked_sub(Duration::days(template.days_before)).unwrap_or(congress_start)
}

/// A task is overdue when it is not done and its due date is before `today` (on the due day
/// itself it is still on time).
pub fn is_overdue(due_on: Option<Date>, done: bool, today: Date) -> bool {
    !done && due_on.is_some_and(|due| due < today)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn every_kind_has_a_checklist_and_codes_are_unique() {
        for kind in SubcommitteeKind::ALL {
            assert!(templates_for(kind).count() >= 5, "{kind:?}");
            assert_eq!(SubcommitteeKind::parse(kind.code()), Some(kind));
        }
        let mut codes: Vec<&str> = TASK_TEMPLATES.iter().map(|t| t.code).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), TASK_TEMPLATES.len());
    }

    #[test]
    fn due_dates_count_back_and_overdue_starts_the_next_day() {
        let report = TASK_TEMPLATES.iter().find(|t| t.code == "political_report").unwrap();
        assert_eq!(due_date(report, date!(2020 - 08 - 14)), date!(2020 - 04 - 16));
        let due = Some(date!(2020 - 04 - 16));
        assert!(!is_overdue(due, false, date!(2020 - 04 - 16)));
        assert!(is_overdue(due, false, date!(2020 - 04 - 17)));
        assert!(!is_overdue(due, true, date!(2020 - 05 - 01)));
        assert!(!is_overdue(None, false, date!(2020 - 05 - 01)));
    }
}
