//! Election rule packs: the regulation a count follows, held as data (articles, bases, caps,
//! tests), so that a new regulation is a new value here rather than a new code path.
//!
//! Two packs exist: `qd190-2024` (Quy chế bầu cử trong Đảng issued with Quyết định
//! 190-QĐ/TW of 10/10/2024, in force, the default) and `qd244-2014` (the same regulation issued
//! with Quyết định 244-QĐ/TW of 9/6/2014, replaced by 190). Every rule carries the article it
//! comes from and how sure the reference material is about it ([`Confidence`]), so that a
//! result, its text report and the counting minutes can say *why*.

use std::fmt;

use serde::Serialize;

/// The rule packs this build knows, in the order `daihoi rules list` prints them.
pub static RULE_PACKS: [&RulePack; 2] = [&QD190_2024, &QD244_2014];

/// The identifier of a rule pack, as written in election files (`"rules": "qd190-2024"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Default)]
pub enum RulePackId {
    /// Quy chế bầu cử trong Đảng, Quyết định 190-QĐ/TW, 10/10/2024 (in force).
    #[default]
    #[serde(rename = "qd190-2024")]
    Qd190_2024,
    /// Quy chế bầu cử trong Đảng, Quyết định 244-QĐ/TW, 9/6/2014 (replaced by 190).
    #[serde(rename = "qd244-2014")]
    Qd244_2014,
}

impl RulePackId {
    /// Reads a pack code such as `qd190-2024`; `None` for a code no pack has.
    pub fn from_code(code: &str) -> Option<RulePackId> {
        RULE_PACKS.iter().find(|pack| pack.code == code).map(|pack| pack.id)
    }

    /// The code written in files (`qd190-2024`).
    pub fn code(self) -> &'static str {
        self.pack().code
    }

    /// The pack itself.
    pub fn pack(self) -> &'static RulePack {
        match self {
            RulePackId::Qd190_2024 => &QD190_2024,
            RulePackId::Qd244_2014 => &QD244_2014,
        }
    }
}

/// How sure the reference material is about a rule (see `domain/election-rules.md`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Confidence {
    /// Seen in a public source.
    Confirmed,
    /// The excerpt was cut off, or the older regulation's wording is assumed unchanged.
    Partial,
    /// From background knowledge of the regulation, not re-verified against a source.
    Memory,
    /// Not found; the value is a documented default.
    Unknown,
}

impl Confidence {
    /// The one-letter tag used in the domain notes: C, P, M or U.
    pub fn tag(self) -> &'static str {
        match self {
            Confidence::Confirmed => "C",
            Confidence::Partial => "P",
            Confidence::Memory => "M",
            Confidence::Unknown => "U",
        }
    }
}

/// Where a rule comes from: an article (and clause) of a pack's regulation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Citation {
    /// The decision that issued the regulation, e.g. `190-QĐ/TW`.
    pub document: &'static str,
    /// The article (Điều); `None` when the reference material did not locate it.
    pub article: Option<u16>,
    /// The clause (khoản) inside the article, when known.
    pub clause: Option<u16>,
    /// How sure the reference material is.
    pub confidence: Confidence,
}

impl Citation {
    /// The citation in Vietnamese: `QĐ 190-QĐ/TW, Điều 30 khoản 2`.
    pub fn vi(&self) -> String {
        match (self.article, self.clause) {
            (Some(article), Some(clause)) => {
                format!("QĐ {}, Điều {article} khoản {clause}", self.document)
            }
            (Some(article), None) => format!("QĐ {}, Điều {article}", self.document),
            (None, _) => format!("QĐ {} (chưa xác định điều)", self.document),
        }
    }

    /// The citation in English: `QĐ 190-QĐ/TW, Art. 30 cl. 2`.
    pub fn en(&self) -> String {
        match (self.article, self.clause) {
            (Some(article), Some(clause)) => {
                format!("QĐ {}, Art. {article} cl. {clause}", self.document)
            }
            (Some(article), None) => format!("QĐ {}, Art. {article}", self.document),
            (None, _) => format!("QĐ {} (article not located)", self.document),
        }
    }
}

impl fmt::Display for Citation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.en())
    }
}

/// One election regulation, as data.
#[derive(Debug, Serialize)]
pub struct RulePack {
    /// The identifier.
    #[serde(skip)]
    pub id: RulePackId,
    /// The code written in files: `qd190-2024`.
    pub code: &'static str,
    /// The issuing decision: `190-QĐ/TW`.
    pub document: &'static str,
    /// Date of issue, `YYYY-MM-DD`.
    pub issued: &'static str,
    /// Who issued it (Vietnamese).
    pub issuer_vi: &'static str,
    /// Who issued it (English).
    pub issuer_en: &'static str,
    /// Title of the regulation (Vietnamese).
    pub title_vi: &'static str,
    /// Title of the regulation (English).
    pub title_en: &'static str,
    /// Whether the regulation is in force.
    pub in_force: bool,
    /// The implementing guidance read with it.
    pub guidance: &'static str,
    /// Where each part of the count comes from.
    pub articles: Articles,
    /// "More than half": the winner test `votes × denominator > D × numerator`.
    pub majority: Majority,
    /// The majority base D per congress type.
    pub bases: [BaseRule; 3],
    /// Surplus (số dư) on the election list.
    pub surplus: SurplusRule,
    /// The test a person nominated at the congress must pass to join the list; `None` when
    /// the regulation has no such test in this form.
    pub floor_nomination: Option<FloorNominationRule>,
    /// What happens when equal votes straddle the last seat.
    pub tie: TieRule,
    /// Decimals shown in `percent_of_base` (display only; never used to decide).
    pub percent_decimals: u32,
}

/// The articles of a pack, one per part of the count.
#[derive(Debug, Serialize)]
pub struct Articles {
    /// The vote-counting committee (Ban kiểm phiếu): its duties, and that it rules on doubtful
    /// ballots.
    pub counting_committee: Citation,
    /// Ballot forms and validity (phiếu bầu, hợp lệ / không hợp lệ).
    pub ballot_validity: Citation,
    /// Computing results (tính kết quả bầu cử): votes from valid ballots, more than half of D.
    pub results: Citation,
    /// Delegates to the higher congress and their alternates.
    pub delegates: Citation,
    /// Further rounds for delegates when round one leaves seats empty.
    pub further_rounds: Citation,
    /// Further rounds for other bodies (the same practice; article not located).
    pub further_rounds_other: Citation,
    /// Surplus on the election list.
    pub surplus: Citation,
    /// Tie at the last seat: a further ballot among the tied.
    pub tie_break: Citation,
}

/// A fraction `numerator / denominator` of D that votes must strictly exceed.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Majority {
    /// Numerator (1 for "more than half").
    pub numerator: u32,
    /// Denominator (2 for "more than half").
    pub denominator: u32,
}

impl Majority {
    /// Whether `votes` strictly exceeds the fraction of `base`, in integers.
    pub fn is_met(&self, votes: u64, base: u64) -> bool {
        u128::from(votes) * u128::from(self.denominator)
            > u128::from(base) * u128::from(self.numerator)
    }

    /// The fewest votes that meet the test: `floor(base × numerator / denominator) + 1`.
    pub fn threshold(&self, base: u64) -> u64 {
        let floor = u128::from(base) * u128::from(self.numerator) / u128::from(self.denominator);
        // base ≤ u32::MAX and numerator/denominator ≤ 1 in every pack, so this fits.
        u64::try_from(floor + 1).unwrap_or(u64::MAX)
    }
}

/// The congress (or conference) whose voters make up the base D.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CongressType {
    /// Đại hội đảng viên: every official member is summoned.
    Members,
    /// Đại hội đại biểu: official delegates are summoned.
    Delegates,
    /// Hội nghị of a committee (BCH, BTV, UBKT): its incumbent members.
    Conference,
}

impl CongressType {
    /// Every congress type, in a fixed order.
    pub const ALL: [CongressType; 3] =
        [CongressType::Members, CongressType::Delegates, CongressType::Conference];

    /// The code written in files.
    pub fn code(self) -> &'static str {
        match self {
            CongressType::Members => "members",
            CongressType::Delegates => "delegates",
            CongressType::Conference => "conference",
        }
    }

    /// Reads a code written in files.
    pub fn from_code(code: &str) -> Option<CongressType> {
        CongressType::ALL.into_iter().find(|congress| congress.code() == code)
    }
}

/// A count subtracted from those summoned to get the base D.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Exclusion {
    /// Members on temporary transfer to another đảng bộ who did not attend.
    TemporarilyTransferredAbsent,
    /// Members exempted from work and party activity who did not attend.
    ExemptAbsent,
    /// Members suspended from party (or committee) activity.
    Suspended,
    /// Members prosecuted, indicted or detained.
    Prosecuted,
    /// Official members absent for the whole congress with a reason the convening committee
    /// accepted.
    AbsentApproved,
    /// Convening-committee members (ex officio delegates) absent for the whole congress.
    CommitteeAbsent,
    /// Official delegates absent for the whole congress with no alternate seated for them.
    DelegateAbsentUnreplaced,
}

impl Exclusion {
    /// Every exclusion, in a fixed order.
    pub const ALL: [Exclusion; 7] = [
        Exclusion::TemporarilyTransferredAbsent,
        Exclusion::ExemptAbsent,
        Exclusion::Suspended,
        Exclusion::Prosecuted,
        Exclusion::AbsentApproved,
        Exclusion::CommitteeAbsent,
        Exclusion::DelegateAbsentUnreplaced,
    ];

    /// The key written in files.
    pub fn code(self) -> &'static str {
        match self {
            Exclusion::TemporarilyTransferredAbsent => "temporarily_transferred_absent",
            Exclusion::ExemptAbsent => "exempt_absent",
            Exclusion::Suspended => "suspended",
            Exclusion::Prosecuted => "prosecuted",
            Exclusion::AbsentApproved => "absent_approved",
            Exclusion::CommitteeAbsent => "committee_absent",
            Exclusion::DelegateAbsentUnreplaced => "delegate_absent_unreplaced",
        }
    }

    /// Reads a key written in files.
    pub fn from_code(code: &str) -> Option<Exclusion> {
        Exclusion::ALL.into_iter().find(|exclusion| exclusion.code() == code)
    }
}

/// How the base D is derived for one congress type.
#[derive(Debug, Serialize)]
pub struct BaseRule {
    /// The congress type.
    pub congress: CongressType,
    /// What `summoned` counts, in Vietnamese.
    pub summoned_vi: &'static str,
    /// What `summoned` counts, in English.
    pub summoned_en: &'static str,
    /// The counts that may be subtracted, in the regulation's order.
    pub exclusions: &'static [Exclusion],
    /// The clause that defines this base.
    pub cites: Citation,
}

/// How a surplus cap is rounded when 30% of the seats is not a whole number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Rounding {
    /// Round down (a 3–5-seat body gets at most 1 extra name).
    Floor,
}

/// The surplus (số dư) rule for election lists.
#[derive(Debug, Serialize)]
pub struct SurplusRule {
    /// The cap as a percentage of the seats (30).
    pub cap_percent: u32,
    /// How the cap is rounded.
    pub rounding: Rounding,
    /// The least cap when a surplus is required, so that a small body can have one at all.
    pub min_cap: u32,
    /// The bodies whose list must have more names than seats.
    pub required_for: &'static [ElectionKind],
    /// The surplus the convening committee should prepare, in percent (low, high), if the
    /// regulation says.
    pub advised_percent: Option<(u32, u32)>,
    /// Where the rule comes from.
    pub cites: Citation,
}

impl SurplusRule {
    /// The largest surplus allowed for `seats`: `floor(cap_percent × seats / 100)`, at least
    /// `min_cap`.
    pub fn cap(&self, seats: u32) -> u32 {
        let raw = u64::from(self.cap_percent) * u64::from(seats) / 100;
        let raw = u32::try_from(raw).unwrap_or(u32::MAX);
        match self.rounding {
            Rounding::Floor => raw.max(self.min_cap),
        }
    }

    /// Whether the list for `kind` must have a surplus.
    pub fn is_required(&self, kind: ElectionKind) -> bool {
        self.required_for.contains(&kind)
    }
}

/// Who forms the base of the floor-nomination test.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FloorNominationBase {
    /// Delegates or members present (dự) at the congress.
    Present,
}

/// The test for a self-nominee or a person nominated from the floor to join the list.
#[derive(Debug, Serialize)]
pub struct FloorNominationRule {
    /// The percentage of the base that agreement must exceed (30).
    pub percent: u32,
    /// `true`: agreement must be strictly more than the percentage.
    pub strict: bool,
    /// Who the percentage is of.
    pub base: FloorNominationBase,
    /// Where the rule comes from.
    pub cites: Citation,
}

impl FloorNominationRule {
    /// Whether `agree` opinion-ballot votes pass: `agree × 100 > percent × present` (strict).
    pub fn passes(&self, agree: u32, present: u32) -> bool {
        let left = u64::from(agree) * 100;
        let right = u64::from(self.percent) * u64::from(present);
        if self.strict { left > right } else { left >= right }
    }
}

/// How a tie at the last seat is resolved.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TieBreak {
    /// A further ballot among the tied candidates only, for the seats they compete for.
    ///
    /// There is deliberately no variant that decides by age or seniority: that is the State
    /// elections' rule (Luật bầu cử 2015, Art. 78), not the Party's.
    RevoteAmongTied,
}

/// How a tie for the last alternate place is handled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AlternateTiePolicy {
    /// Report it; the congress decides (a further ballot or a vote). Never resolved by the
    /// engine.
    AskCongress,
}

/// The tie rules of a pack.
#[derive(Debug, Serialize)]
pub struct TieRule {
    /// Ties at the last elected seat.
    pub tie_break: TieBreak,
    /// Whether the winner of a tie-break round needs more than half of D (no: highest wins).
    pub tie_break_needs_majority: bool,
    /// Ties for the last alternate place.
    pub alternate_tie: AlternateTiePolicy,
    /// Where the rule comes from.
    pub cites: Citation,
}

/// The body or post an election fills.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ElectionKind {
    /// Executive committee (ban chấp hành, cấp ủy; chi ủy).
    Committee,
    /// Standing committee (ban thường vụ).
    StandingCommittee,
    /// Secretary (bí thư).
    Secretary,
    /// Deputy secretary (phó bí thư).
    DeputySecretary,
    /// Inspection committee (ủy ban kiểm tra).
    InspectionCommittee,
    /// Chair of the inspection committee (chủ nhiệm ủy ban kiểm tra).
    InspectionChair,
    /// Official delegates to the higher congress, with alternates from the same list.
    Delegates,
    /// A separate ballot for alternate delegates.
    AlternateDelegates,
    /// Any other election.
    Other,
}

impl ElectionKind {
    /// Every kind, in a fixed order.
    pub const ALL: [ElectionKind; 9] = [
        ElectionKind::Committee,
        ElectionKind::StandingCommittee,
        ElectionKind::Secretary,
        ElectionKind::DeputySecretary,
        ElectionKind::InspectionCommittee,
        ElectionKind::InspectionChair,
        ElectionKind::Delegates,
        ElectionKind::AlternateDelegates,
        ElectionKind::Other,
    ];

    /// The code written in files.
    pub fn code(self) -> &'static str {
        match self {
            ElectionKind::Committee => "committee",
            ElectionKind::StandingCommittee => "standing_committee",
            ElectionKind::Secretary => "secretary",
            ElectionKind::DeputySecretary => "deputy_secretary",
            ElectionKind::InspectionCommittee => "inspection_committee",
            ElectionKind::InspectionChair => "inspection_chair",
            ElectionKind::Delegates => "delegates",
            ElectionKind::AlternateDelegates => "alternate_delegates",
            ElectionKind::Other => "other",
        }
    }

    /// Reads a code written in files.
    pub fn from_code(code: &str) -> Option<ElectionKind> {
        ElectionKind::ALL.into_iter().find(|kind| kind.code() == code)
    }
}

const DOC_190: &str = "190-QĐ/TW";
const DOC_244: &str = "244-QĐ/TW";

const fn cite(
    document: &'static str,
    article: u16,
    clause: Option<u16>,
    confidence: Confidence,
) -> Citation {
    Citation { document, article: Some(article), clause, confidence }
}

const MEMBERS_EXCLUSIONS: [Exclusion; 5] = [
    Exclusion::TemporarilyTransferredAbsent,
    Exclusion::ExemptAbsent,
    Exclusion::Suspended,
    Exclusion::Prosecuted,
    Exclusion::AbsentApproved,
];
const DELEGATES_EXCLUSIONS: [Exclusion; 2] =
    [Exclusion::CommitteeAbsent, Exclusion::DelegateAbsentUnreplaced];
const CONFERENCE_EXCLUSIONS: [Exclusion; 2] = [Exclusion::Suspended, Exclusion::Prosecuted];

// 190 Art. 14 cl. 1: the executive committee and the standing committee must be elected from a
// list with more names than seats. 244 had the same requirement (article not located).
const SURPLUS_REQUIRED: [ElectionKind; 2] =
    [ElectionKind::Committee, ElectionKind::StandingCommittee];

const SUMMONED_MEMBERS_VI: &str = "đảng viên chính thức được triệu tập";
const SUMMONED_MEMBERS_EN: &str = "official members summoned";
const SUMMONED_DELEGATES_VI: &str = "đại biểu chính thức được triệu tập";
const SUMMONED_DELEGATES_EN: &str = "official delegates summoned";
const SUMMONED_CONFERENCE_VI: &str = "thành viên đương nhiệm của cơ quan";
const SUMMONED_CONFERENCE_EN: &str = "incumbent members of the body";

/// Quy chế bầu cử trong Đảng, Quyết định 190-QĐ/TW (10/10/2024): in force.
pub static QD190_2024: RulePack = RulePack {
    id: RulePackId::Qd190_2024,
    code: "qd190-2024",
    document: DOC_190,
    issued: "2024-10-10",
    issuer_vi: "Ban Chấp hành Trung ương khóa XIII",
    issuer_en: "13th Central Committee",
    title_vi: "Quy chế bầu cử trong Đảng",
    title_en: "Regulation on elections within the Party",
    in_force: true,
    guidance: "04-HD/TW (31/12/2024)",
    articles: Articles {
        counting_committee: cite(DOC_190, 8, None, Confidence::Confirmed),
        ballot_validity: cite(DOC_190, 15, None, Confidence::Partial),
        results: cite(DOC_190, 30, Some(1), Confidence::Confirmed),
        delegates: cite(DOC_190, 18, None, Confidence::Confirmed),
        further_rounds: cite(DOC_190, 18, Some(2), Confidence::Partial),
        further_rounds_other: Citation {
            document: DOC_190,
            article: None,
            clause: None,
            confidence: Confidence::Memory,
        },
        surplus: cite(DOC_190, 14, Some(1), Confidence::Confirmed),
        tie_break: cite(DOC_190, 30, None, Confidence::Memory),
    },
    majority: Majority { numerator: 1, denominator: 2 },
    bases: [
        BaseRule {
            congress: CongressType::Members,
            summoned_vi: SUMMONED_MEMBERS_VI,
            summoned_en: SUMMONED_MEMBERS_EN,
            exclusions: &MEMBERS_EXCLUSIONS,
            cites: cite(DOC_190, 30, Some(2), Confidence::Confirmed),
        },
        BaseRule {
            congress: CongressType::Delegates,
            summoned_vi: SUMMONED_DELEGATES_VI,
            summoned_en: SUMMONED_DELEGATES_EN,
            exclusions: &DELEGATES_EXCLUSIONS,
            cites: cite(DOC_190, 30, Some(3), Confidence::Partial),
        },
        BaseRule {
            congress: CongressType::Conference,
            summoned_vi: SUMMONED_CONFERENCE_VI,
            summoned_en: SUMMONED_CONFERENCE_EN,
            exclusions: &CONFERENCE_EXCLUSIONS,
            cites: cite(DOC_190, 30, Some(4), Confidence::Memory),
        },
    ],
    surplus: SurplusRule {
        cap_percent: 30,
        rounding: Rounding::Floor,
        min_cap: 1,
        required_for: &SURPLUS_REQUIRED,
        advised_percent: Some((10, 15)),
        cites: cite(DOC_190, 14, Some(1), Confidence::Confirmed),
    },
    floor_nomination: Some(FloorNominationRule {
        percent: 30,
        strict: true,
        base: FloorNominationBase::Present,
        cites: cite(DOC_190, 14, Some(2), Confidence::Confirmed),
    }),
    tie: TieRule {
        tie_break: TieBreak::RevoteAmongTied,
        tie_break_needs_majority: false,
        alternate_tie: AlternateTiePolicy::AskCongress,
        cites: cite(DOC_190, 30, None, Confidence::Memory),
    },
    percent_decimals: 2,
};

/// Quy chế bầu cử trong Đảng, Quyết định 244-QĐ/TW (9/6/2014): replaced by 190.
pub static QD244_2014: RulePack = RulePack {
    id: RulePackId::Qd244_2014,
    code: "qd244-2014",
    document: DOC_244,
    issued: "2014-06-09",
    issuer_vi: "Ban Chấp hành Trung ương khóa XI",
    issuer_en: "11th Central Committee",
    title_vi: "Quy chế bầu cử trong Đảng",
    title_en: "Regulation on elections within the Party",
    in_force: false,
    guidance: "03-HD/TW (20/3/2020)",
    articles: Articles {
        counting_committee: cite(DOC_244, 7, None, Confidence::Confirmed),
        ballot_validity: cite(DOC_244, 17, None, Confidence::Confirmed),
        results: cite(DOC_244, 32, Some(1), Confidence::Confirmed),
        delegates: cite(DOC_244, 20, None, Confidence::Confirmed),
        further_rounds: cite(DOC_244, 20, Some(2), Confidence::Confirmed),
        further_rounds_other: Citation {
            document: DOC_244,
            article: None,
            clause: None,
            confidence: Confidence::Memory,
        },
        surplus: Citation {
            document: DOC_244,
            article: None,
            clause: None,
            confidence: Confidence::Partial,
        },
        tie_break: cite(DOC_244, 32, None, Confidence::Memory),
    },
    majority: Majority { numerator: 1, denominator: 2 },
    bases: [
        BaseRule {
            congress: CongressType::Members,
            summoned_vi: SUMMONED_MEMBERS_VI,
            summoned_en: SUMMONED_MEMBERS_EN,
            exclusions: &MEMBERS_EXCLUSIONS,
            cites: cite(DOC_244, 32, Some(2), Confidence::Confirmed),
        },
        BaseRule {
            congress: CongressType::Delegates,
            summoned_vi: SUMMONED_DELEGATES_VI,
            summoned_en: SUMMONED_DELEGATES_EN,
            exclusions: &DELEGATES_EXCLUSIONS,
            cites: cite(DOC_244, 32, Some(3), Confidence::Confirmed),
        },
        BaseRule {
            congress: CongressType::Conference,
            summoned_vi: SUMMONED_CONFERENCE_VI,
            summoned_en: SUMMONED_CONFERENCE_EN,
            exclusions: &CONFERENCE_EXCLUSIONS,
            cites: cite(DOC_244, 32, Some(4), Confidence::Memory),
        },
    ],
    surplus: SurplusRule {
        cap_percent: 30,
        rounding: Rounding::Floor,
        min_cap: 1,
        required_for: &SURPLUS_REQUIRED,
        advised_percent: None,
        cites: Citation {
            document: DOC_244,
            article: None,
            clause: None,
            confidence: Confidence::Partial,
        },
    },
    // The "more than 30% of those present" test for floor nominees is one of 190's new points;
    // the reference material has no equivalent test for 244.
    floor_nomination: None,
    tie: TieRule {
        tie_break: TieBreak::RevoteAmongTied,
        tie_break_needs_majority: false,
        alternate_tie: AlternateTiePolicy::AskCongress,
        cites: cite(DOC_244, 32, None, Confidence::Memory),
    },
    percent_decimals: 2,
};

impl RulePack {
    /// The base rule for a congress type.
    pub fn base_rule(&self, congress: CongressType) -> &BaseRule {
        // `bases` holds one rule per congress type, in `CongressType::ALL` order.
        match congress {
            CongressType::Members => &self.bases[0],
            CongressType::Delegates => &self.bases[1],
            CongressType::Conference => &self.bases[2],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bases_are_in_congress_order() {
        for pack in RULE_PACKS {
            for (rule, congress) in pack.bases.iter().zip(CongressType::ALL) {
                assert_eq!(rule.congress, congress, "{}", pack.code);
            }
        }
    }

    #[test]
    fn codes_round_trip() {
        for pack in RULE_PACKS {
            assert_eq!(RulePackId::from_code(pack.code), Some(pack.id));
            assert_eq!(pack.id.pack().code, pack.code);
        }
        assert_eq!(RulePackId::from_code("qd190"), None);
        for kind in ElectionKind::ALL {
            assert_eq!(ElectionKind::from_code(kind.code()), Some(kind));
        }
        for exclusion in Exclusion::ALL {
            assert_eq!(Exclusion::from_code(exclusion.code()), Some(exclusion));
        }
    }

    #[test]
    fn surplus_cap_is_thirty_percent_rounded_down_at_least_one() {
        let rule = &QD190_2024.surplus;
        assert_eq!(rule.cap(3), 1);
        assert_eq!(rule.cap(5), 1);
        assert_eq!(rule.cap(6), 1);
        assert_eq!(rule.cap(7), 2);
        assert_eq!(rule.cap(10), 3);
        assert_eq!(rule.cap(180), 54);
    }

    #[test]
    fn majority_is_strictly_more_than_half() {
        let majority = QD190_2024.majority;
        assert!(majority.is_met(6, 11));
        assert!(!majority.is_met(5, 10));
        assert!(majority.is_met(501, 1001));
        assert_eq!(majority.threshold(10), 6);
        assert_eq!(majority.threshold(11), 6);
        assert_eq!(majority.threshold(38), 20);
    }

    #[test]
    fn ties_are_broken_by_a_further_ballot_never_by_age() {
        for pack in RULE_PACKS {
            // `TieBreak` has no age or seniority variant at all (T11); the winner of the
            // further ballot needs no majority.
            assert_eq!(pack.tie.tie_break, TieBreak::RevoteAmongTied, "{}", pack.code);
            assert!(!pack.tie.tie_break_needs_majority, "{}", pack.code);
            assert_eq!(pack.tie.alternate_tie, AlternateTiePolicy::AskCongress, "{}", pack.code);
        }
    }

    #[test]
    fn citations_read_in_both_languages() {
        let cites = QD190_2024.base_rule(CongressType::Members).cites;
        assert_eq!(cites.vi(), "QĐ 190-QĐ/TW, Điều 30 khoản 2");
        assert_eq!(cites.en(), "QĐ 190-QĐ/TW, Art. 30 cl. 2");
        assert_eq!(QD244_2014.articles.ballot_validity.en(), "QĐ 244-QĐ/TW, Art. 17");
    }
}
