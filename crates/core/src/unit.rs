//! The unit tree of the Party Statute: unit kinds, which kind may sit under which, and the
//! registry rules (minimum members, grassroots cell vs committee, cell committees).

use serde::{Deserialize, Serialize};

/// The kind of a party unit, from the Central Committee down to the cell.
///
/// The tree is the one of the Party Statute (Điều lệ Đảng, Art. 21–24) as it stood before and
/// after the restructuring of 1 July 2025: district-level committees existed until then, commune
/// / ward / special-zone committees directly under the province from then on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UnitKind {
    /// Ban Chấp hành Trung ương: the root of the tree.
    Central,
    /// Tỉnh ủy / Thành ủy trực thuộc Trung ương.
    Province,
    /// Đảng bộ khối / central bloc party committees directly under the Central Committee.
    CentralBloc,
    /// Đảng bộ Quân đội (led by the Central Military Commission).
    Army,
    /// Đảng bộ Công an Trung ương.
    PublicSecurity,
    /// Huyện ủy, Quận ủy, Thị ủy, Thành ủy thuộc tỉnh and equivalents (until 30 June 2025).
    District,
    /// Đảng ủy xã, phường, đặc khu directly under the province (from 1 July 2025).
    Commune,
    /// Đảng bộ cơ sở: a grassroots unit with 30 or more members and cells under it.
    GrassrootsCommittee,
    /// Chi bộ cơ sở: a grassroots unit with fewer than 30 members and no units under it.
    GrassrootsCell,
    /// Đảng bộ bộ phận: a sub-committee between a grassroots committee and its cells.
    SubCommittee,
    /// Chi bộ trực thuộc: a cell under a grassroots, commune or sub-committee.
    Cell,
}

impl UnitKind {
    /// Every kind, top of the tree first.
    pub const ALL: [UnitKind; 11] = [
        UnitKind::Central,
        UnitKind::Province,
        UnitKind::CentralBloc,
        UnitKind::Army,
        UnitKind::PublicSecurity,
        UnitKind::District,
        UnitKind::Commune,
        UnitKind::GrassrootsCommittee,
        UnitKind::GrassrootsCell,
        UnitKind::SubCommittee,
        UnitKind::Cell,
    ];

    /// The stable code used in files, the API and the database.
    pub fn code(self) -> &'static str {
        match self {
            UnitKind::Central => "central",
            UnitKind::Province => "province",
            UnitKind::CentralBloc => "central_bloc",
            UnitKind::Army => "army",
            UnitKind::PublicSecurity => "public_security",
            UnitKind::District => "district",
            UnitKind::Commune => "commune",
            UnitKind::GrassrootsCommittee => "grassroots_committee",
            UnitKind::GrassrootsCell => "grassroots_cell",
            UnitKind::SubCommittee => "sub_committee",
            UnitKind::Cell => "cell",
        }
    }

    /// Parses a code, or a Vietnamese or English label as people write it in spreadsheets.
    pub fn parse(text: &str) -> Option<UnitKind> {
        let folded = crate::vn::fold(text);
        let folded = folded.trim();
        UnitKind::ALL.into_iter().find(|kind| {
            kind.code() == folded
                || crate::vn::fold(kind.label_vi()) == folded
                || kind.label_en().eq_ignore_ascii_case(folded)
                || kind.aliases().contains(&folded)
        })
    }

    /// Vietnamese name of the kind, as printed.
    pub fn label_vi(self) -> &'static str {
        match self {
            UnitKind::Central => "Trung ương",
            UnitKind::Province => "Đảng bộ tỉnh, thành phố",
            UnitKind::CentralBloc => "Đảng bộ trực thuộc Trung ương",
            UnitKind::Army => "Đảng bộ Quân đội",
            UnitKind::PublicSecurity => "Đảng bộ Công an Trung ương",
            UnitKind::District => "Đảng bộ huyện và tương đương",
            UnitKind::Commune => "Đảng bộ xã, phường, đặc khu",
            UnitKind::GrassrootsCommittee => "Đảng bộ cơ sở",
            UnitKind::GrassrootsCell => "Chi bộ cơ sở",
            UnitKind::SubCommittee => "Đảng bộ bộ phận",
            UnitKind::Cell => "Chi bộ",
        }
    }

    /// English name of the kind.
    pub fn label_en(self) -> &'static str {
        match self {
            UnitKind::Central => "Central Committee",
            UnitKind::Province => "Province or city",
            UnitKind::CentralBloc => "Central bloc",
            UnitKind::Army => "Army",
            UnitKind::PublicSecurity => "Public Security",
            UnitKind::District => "District level",
            UnitKind::Commune => "Commune, ward or special zone",
            UnitKind::GrassrootsCommittee => "Grassroots committee",
            UnitKind::GrassrootsCell => "Grassroots cell",
            UnitKind::SubCommittee => "Sub-committee",
            UnitKind::Cell => "Cell",
        }
    }

    fn aliases(self) -> &'static [&'static str] {
        match self {
            UnitKind::Central => &["trung uong", "tw"],
            UnitKind::Province => &["tinh uy", "thanh uy truc thuoc trung uong", "dang bo tinh"],
            UnitKind::CentralBloc => &["dang bo khoi"],
            UnitKind::Army => &["quan doi"],
            UnitKind::PublicSecurity => &["cong an trung uong"],
            UnitKind::District => &["huyen uy", "quan uy", "thi uy", "dang bo huyen", "thanh uy"],
            UnitKind::Commune => &["dang bo xa", "dang bo phuong", "dang uy xa", "dang uy phuong"],
            UnitKind::GrassrootsCommittee => &["dang bo co so", "dbcs"],
            UnitKind::GrassrootsCell => &["chi bo co so", "cbcs"],
            UnitKind::SubCommittee => &["dang bo bo phan"],
            UnitKind::Cell => &["chi bo", "chi bo truc thuoc"],
        }
    }

    /// Whether units of this kind may have units under them at all.
    pub fn may_have_children(self) -> bool {
        // Điều lệ Đảng Art. 21: a cell is the smallest unit; a grassroots cell has only party
        // groups (tổ đảng), which are not units.
        !matches!(self, UnitKind::Cell | UnitKind::GrassrootsCell)
    }

    /// Whether a unit of `self` may sit directly under a unit of `parent`.
    pub fn may_sit_under(self, parent: UnitKind) -> bool {
        use UnitKind::*;
        let top_level = matches!(parent, Province | CentralBloc | Army | PublicSecurity);
        match self {
            Central => false,
            Province | CentralBloc | Army | PublicSecurity => parent == Central,
            District | Commune => top_level,
            GrassrootsCommittee | GrassrootsCell => {
                top_level || matches!(parent, District | Commune)
            }
            SubCommittee => matches!(parent, GrassrootsCommittee | Commune | Army | PublicSecurity),
            Cell => matches!(parent, GrassrootsCommittee | Commune | SubCommittee | District),
        }
    }

    /// Grassroots units (tổ chức cơ sở đảng), where the 30-member rule applies.
    pub fn is_grassroots(self) -> bool {
        matches!(self, UnitKind::GrassrootsCommittee | UnitKind::GrassrootsCell)
    }

    /// Cells of either kind: the units that may elect a cell committee.
    pub fn is_cell(self) -> bool {
        matches!(self, UnitKind::Cell | UnitKind::GrassrootsCell)
    }

    /// The usual issuer abbreviation in document symbols (congress-process.md §6.3).
    pub fn default_issuer_abbrev(self) -> &'static str {
        match self {
            UnitKind::Central => "TW",
            UnitKind::Province => "TU",
            UnitKind::District => "HU",
            UnitKind::Cell | UnitKind::GrassrootsCell => "CB",
            _ => "ĐU",
        }
    }
}

/// A problem with a unit as entered. `blocking` ones reject the change; the others are warnings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UnitFinding {
    /// Stable code, e.g. `cell_has_children`.
    pub code: &'static str,
    /// The form field it concerns (`kind`, `parent`, `official`, …).
    pub field: &'static str,
    /// Whether the change must be refused.
    pub blocking: bool,
    /// Vietnamese message.
    pub message_vi: String,
    /// English message.
    pub message_en: String,
}

/// What the registry rules need to know about a unit being created, edited or moved.
#[derive(Debug, Clone)]
pub struct UnitFacts {
    /// The unit's kind.
    pub kind: UnitKind,
    /// The parent's kind, `None` for the root.
    pub parent_kind: Option<UnitKind>,
    /// Official members (declared, or counted from the roster); for a unit with units under it,
    /// the total of its whole subtree.
    pub official: i64,
    /// Probationary members.
    pub probationary: i64,
    /// Whether the counts come from the member roster rather than a declared figure.
    pub counted_from_roster: bool,
    /// Number of child units it has now.
    pub n_children: i64,
}

/// Statute thresholds (Điều lệ Đảng Art. 21 and 24; congress-process.md §2.2).
pub const MIN_OFFICIAL_MEMBERS: i64 = 3;
/// A grassroots unit with this many members or more is a grassroots committee.
pub const GRASSROOTS_COMMITTEE_MIN_MEMBERS: i64 = 30;
/// A cell with this many official members or more may elect a cell committee (chi ủy).
pub const CELL_COMMITTEE_MIN_OFFICIAL: i64 = 9;

/// Checks a unit against the registry rules and returns every finding, blocking ones first.
pub fn check_unit(facts: &UnitFacts) -> Vec<UnitFinding> {
    let mut findings = Vec::new();
    let kind = facts.kind;
    match facts.parent_kind {
        None if kind != UnitKind::Central => findings.push(UnitFinding {
            code: "parent_required",
            field: "parent",
            blocking: true,
            message_vi: "Chỉ Trung ương mới không có đơn vị cấp trên; hãy chọn đơn vị cấp trên."
                .into(),
            message_en: "Only the Central Committee has no parent unit; choose a parent.".into(),
        }),
        Some(parent) if !kind.may_have_children_under(parent) => findings.push(UnitFinding {
            code: "kind_not_allowed_under_parent",
            field: "parent",
            blocking: true,
            message_vi: format!(
                "Loại “{}” không thể trực thuộc “{}”.",
                kind.label_vi(),
                parent.label_vi()
            ),
            message_en: format!(
                "A unit of kind “{}” cannot sit under a “{}”.",
                kind.label_en(),
                parent.label_en()
            ),
        }),
        _ => {}
    }
    if !kind.may_have_children() && facts.n_children > 0 {
        findings.push(UnitFinding {
            code: "cell_has_children",
            field: "kind",
            blocking: true,
            message_vi: format!(
                "{} không có đơn vị trực thuộc, nhưng đơn vị này đang có {} đơn vị trực thuộc.",
                kind.label_vi(),
                facts.n_children
            ),
            message_en: format!(
                "A {} has no units under it, but this unit has {}.",
                kind.label_en().to_lowercase(),
                facts.n_children
            ),
        });
    }
    if facts.official < 0 || facts.probationary < 0 {
        findings.push(UnitFinding {
            code: "negative_count",
            field: "official",
            blocking: true,
            message_vi: "Số đảng viên không được âm.".into(),
            message_en: "Member counts cannot be negative.".into(),
        });
    }
    let is_organisation = kind != UnitKind::Central;
    if is_organisation && facts.official < MIN_OFFICIAL_MEMBERS && facts.official >= 0 {
        // Điều lệ Đảng Art. 21: a party organisation needs at least 3 official members. A
        // cell's declared figure below 3 is refused; a roster still being entered only warns,
        // and so does a committee, whose members sit in the cells under it and may not have
        // been entered yet (its figure is the total of its subtree).
        findings.push(UnitFinding {
            code: "too_few_official_members",
            field: "official",
            blocking: !facts.counted_from_roster && !kind.may_have_children(),
            message_vi: format!(
                "Tổ chức đảng phải có ít nhất {MIN_OFFICIAL_MEMBERS} đảng viên chính thức (hiện có {}).",
                facts.official
            ),
            message_en: format!(
                "A party organisation needs at least {MIN_OFFICIAL_MEMBERS} official members (it has {}).",
                facts.official
            ),
        });
    }
    let members = facts.official + facts.probationary;
    if kind == UnitKind::GrassrootsCell && members >= GRASSROOTS_COMMITTEE_MIN_MEMBERS {
        findings.push(UnitFinding {
            code: "grassroots_cell_too_large",
            field: "kind",
            blocking: false,
            message_vi: format!(
                "Có {members} đảng viên (từ {GRASSROOTS_COMMITTEE_MIN_MEMBERS} trở lên): theo Điều lệ nên là đảng bộ cơ sở."
            ),
            message_en: format!(
                "{members} members ({GRASSROOTS_COMMITTEE_MIN_MEMBERS} or more): the Statute makes this a grassroots committee."
            ),
        });
    }
    if kind == UnitKind::GrassrootsCommittee && members < GRASSROOTS_COMMITTEE_MIN_MEMBERS {
        findings.push(UnitFinding {
            code: "grassroots_committee_too_small",
            field: "kind",
            blocking: false,
            message_vi: format!(
                "Chỉ có {members} đảng viên (dưới {GRASSROOTS_COMMITTEE_MIN_MEMBERS}): theo Điều lệ nên là chi bộ cơ sở."
            ),
            message_en: format!(
                "Only {members} members (under {GRASSROOTS_COMMITTEE_MIN_MEMBERS}): the Statute makes this a grassroots cell."
            ),
        });
    }
    findings.sort_by_key(|finding| !finding.blocking);
    findings
}

impl UnitKind {
    fn may_have_children_under(self, parent: UnitKind) -> bool {
        parent.may_have_children() && self.may_sit_under(parent)
    }
}

/// Whether a cell may elect a cell committee (chi ủy): 9 or more official members
/// (Điều lệ Đảng Art. 24 cl. 4). Smaller cells elect only a secretary and, if needed, a deputy.
pub fn may_elect_cell_committee(kind: UnitKind, official: i64) -> bool {
    kind.is_cell() && official >= CELL_COMMITTEE_MIN_OFFICIAL
}

/// Why a unit joined the tree from other units (the 2025 restructuring).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Lineage {
    /// Formed by merging the source unit (with others) into this one.
    MergedFrom,
    /// Formed by splitting the source unit.
    SplitFrom,
}

impl Lineage {
    /// Stable code.
    pub fn code(self) -> &'static str {
        match self {
            Lineage::MergedFrom => "merged_from",
            Lineage::SplitFrom => "split_from",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(kind: UnitKind, parent: Option<UnitKind>, official: i64) -> UnitFacts {
        UnitFacts {
            kind,
            parent_kind: parent,
            official,
            probationary: 0,
            counted_from_roster: false,
            n_children: 0,
        }
    }

    fn codes(findings: &[UnitFinding]) -> Vec<&'static str> {
        findings.iter().map(|f| f.code).collect()
    }

    #[test]
    fn a_cell_may_not_have_children_and_nothing_sits_under_it() {
        let mut cell = facts(UnitKind::Cell, Some(UnitKind::GrassrootsCommittee), 12);
        assert!(check_unit(&cell).is_empty());
        cell.n_children = 2;
        assert_eq!(codes(&check_unit(&cell)), ["cell_has_children"]);
        let under_cell = facts(UnitKind::Cell, Some(UnitKind::Cell), 5);
        assert_eq!(codes(&check_unit(&under_cell)), ["kind_not_allowed_under_parent"]);
    }

    #[test]
    fn three_official_members_are_needed_but_a_roster_only_warns() {
        let declared = facts(UnitKind::Cell, Some(UnitKind::GrassrootsCommittee), 2);
        let found = check_unit(&declared);
        assert_eq!(codes(&found), ["too_few_official_members"]);
        assert!(found[0].blocking);
        let mut roster = declared.clone();
        roster.counted_from_roster = true;
        assert!(!check_unit(&roster)[0].blocking);
        assert!(check_unit(&facts(UnitKind::Cell, Some(UnitKind::Commune), 3)).is_empty());
    }

    #[test]
    fn the_thirty_member_rule_warns_without_blocking() {
        let big_cell = facts(UnitKind::GrassrootsCell, Some(UnitKind::District), 30);
        let found = check_unit(&big_cell);
        assert_eq!(codes(&found), ["grassroots_cell_too_large"]);
        assert!(!found[0].blocking);
        let small = facts(UnitKind::GrassrootsCommittee, Some(UnitKind::District), 29);
        assert_eq!(codes(&check_unit(&small)), ["grassroots_committee_too_small"]);
        let ok = facts(UnitKind::GrassrootsCell, Some(UnitKind::District), 29);
        assert!(check_unit(&ok).is_empty());
    }

    #[test]
    fn cell_committee_from_nine_official_members() {
        assert!(!may_elect_cell_committee(UnitKind::Cell, 8));
        assert!(may_elect_cell_committee(UnitKind::Cell, 9));
        assert!(may_elect_cell_committee(UnitKind::GrassrootsCell, 9));
        assert!(!may_elect_cell_committee(UnitKind::GrassrootsCommittee, 40));
    }

    #[test]
    fn kinds_parse_from_codes_and_vietnamese_labels() {
        for kind in UnitKind::ALL {
            assert_eq!(UnitKind::parse(kind.code()), Some(kind));
            assert_eq!(UnitKind::parse(kind.label_vi()), Some(kind));
        }
        assert_eq!(UnitKind::parse("Chi bộ"), Some(UnitKind::Cell));
        assert_eq!(UnitKind::parse("ĐẢNG BỘ CƠ SỞ"), Some(UnitKind::GrassrootsCommittee));
        assert_eq!(UnitKind::parse("chi bo co so"), Some(UnitKind::GrassrootsCell));
        assert_eq!(UnitKind::parse("nothing"), None);
    }

    #[test]
    fn the_root_is_the_only_unit_without_a_parent() {
        assert!(check_unit(&facts(UnitKind::Central, None, 0)).is_empty());
        assert_eq!(codes(&check_unit(&facts(UnitKind::Province, None, 100))), ["parent_required"]);
    }
}
