//! Personnel records of a congress: the planned size of the new committee, candidate dossiers,
//! the 5-step procedure's meetings and votes, the list handed to the congress, the delegate
//! allocation among subordinate units with appointed delegates and alternates, and composition
//! statistics of elected committees rolled up the tree (cached by a change counter).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use daihoi_core::apportion::{
    Allocation, AllocationError, AllocationInput, AllocationUnit, AlternateRule, Method,
    allocate_delegates,
};
use daihoi_core::member::{Education, Sex, TheoryLevel};
use daihoi_core::personnel::steps::carry;
use daihoi_core::personnel::{Birth, Campaign, Composition, Level, Profile, compose};
use daihoi_core::unit::UnitKind;
use daihoi_core::vn;
use serde::Serialize;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};
use time::Date;

use crate::audit::AuditRecord;
use crate::congress::{Congress, NewPerson, Person, PersonRole, Standing, congress_on, person_on};
use crate::rows::{date_text, parse_date};
use crate::units::next_id;
use crate::{Store, StoreError, WriteTx};

macro_rules! code_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident => $code:literal, $vi:literal, $en:literal;)* }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($(#[$vmeta])* $variant),* }

        impl $name {
            /// Every value.
            pub const ALL: &'static [$name] = &[$($name::$variant),*];
            /// Stable code.
            pub fn code(self) -> &'static str { match self { $($name::$variant => $code),* } }
            /// Vietnamese label.
            pub fn label_vi(self) -> &'static str { match self { $($name::$variant => $vi),* } }
            /// English label.
            pub fn label_en(self) -> &'static str { match self { $($name::$variant => $en),* } }
            /// Parses a stable code.
            pub fn parse(code: &str) -> Option<$name> {
                $name::ALL.iter().copied().find(|value| value.code() == code)
            }
        }
    };
}

code_enum!(
    /// The post a candidate is planned for in the new committee.
    PlannedPost {
        /// Bí thư.
        Secretary => "secretary", "Bí thư", "Secretary";
        /// Phó Bí thư.
        DeputySecretary => "deputy_secretary", "Phó Bí thư", "Deputy secretary";
        /// Ủy viên Ban Thường vụ.
        Standing => "standing", "Ủy viên Ban Thường vụ", "Standing committee member";
        /// Ủy viên Ban Chấp hành.
        Member => "member", "Ủy viên Ban Chấp hành", "Executive committee member";
    }
);

impl PlannedPost {
    /// Whether the post sits on the standing committee.
    pub fn on_standing(self) -> bool {
        !matches!(self, PlannedPost::Member)
    }
}

code_enum!(
    /// The two tracks of the 5-step procedure: re-election first, then first-time candidates.
    StepTrack {
        /// Tái cử.
        Reelection => "re", "Tái cử", "Re-election";
        /// Tham gia lần đầu.
        FirstTime => "first", "Tham gia lần đầu", "First time";
    }
);

/// The level of a unit's committee, for the campaign's rules.
pub fn level_of(kind: UnitKind) -> Level {
    match kind {
        UnitKind::Central
        | UnitKind::Province
        | UnitKind::CentralBloc
        | UnitKind::Army
        | UnitKind::PublicSecurity => Level::CentralDirect,
        UnitKind::District => Level::UpperGrassroots,
        UnitKind::Commune => Level::Commune,
        UnitKind::GrassrootsCommittee
        | UnitKind::GrassrootsCell
        | UnitKind::SubCommittee
        | UnitKind::Cell => Level::Grassroots,
    }
}

/// The personnel plan of a congress.
#[derive(Debug, Clone, Serialize)]
pub struct PersonnelPlan {
    /// Congress.
    pub congress_id: i64,
    /// Campaign whose rules apply.
    pub campaign: Campaign,
    /// Level of the committee.
    pub level: Level,
    /// Reference date for ages.
    pub reference_date: Date,
    /// Planned executive committee size.
    pub committee_size: Option<i64>,
    /// Planned standing committee size.
    pub standing_size: Option<i64>,
    /// Whether it was saved (false: defaults derived from the congress).
    pub saved: bool,
    /// Version (0 when not saved).
    pub version: i64,
}

/// What the plan form sets.
#[derive(Debug, Clone)]
pub struct PlanInput {
    /// Campaign.
    pub campaign: Campaign,
    /// Level.
    pub level: Level,
    /// Reference date.
    pub reference_date: Date,
    /// Planned executive committee size.
    pub committee_size: Option<i64>,
    /// Planned standing committee size.
    pub standing_size: Option<i64>,
}

/// A candidate's dossier (hồ sơ nhân sự).
#[derive(Debug, Clone, Serialize)]
pub struct Dossier {
    /// Id.
    pub id: i64,
    /// Congress.
    pub congress_id: i64,
    /// The congress unit's path (scope checks).
    pub unit_path: String,
    /// Member record, when taken from a roster.
    pub member_id: Option<i64>,
    /// Congress roster entry, when taken from it.
    pub person_id: Option<i64>,
    /// Full name.
    pub full_name: String,
    /// Birth date or year.
    pub birth: Option<Birth>,
    /// Sex.
    pub sex: Option<Sex>,
    /// Ethnicity.
    pub ethnicity: Option<String>,
    /// Hometown (quê quán).
    pub hometown: Option<String>,
    /// Professional education.
    pub education: Option<Education>,
    /// Political theory level.
    pub theory_level: Option<TheoryLevel>,
    /// Date of joining the Party.
    pub joined_date: Option<Date>,
    /// Current post (chức vụ hiện tại).
    pub current_post: Option<String>,
    /// Planned post.
    pub planned_post: PlannedPost,
    /// On the outgoing committee (tái cử).
    pub incumbent: bool,
    /// Science-and-technology background.
    pub science_tech: bool,
    /// Unit of origin.
    pub origin_unit_id: Option<i64>,
    /// Unit of origin as printed.
    pub origin: Option<String>,
    /// Note.
    pub note: Option<String>,
    /// Elected to the new committee.
    pub elected: bool,
    /// For the secretary: elected directly by the congress.
    pub elected_directly: bool,
    /// For the secretary: not a local person.
    pub non_local: bool,
    /// Version.
    pub version: i64,
}

impl Dossier {
    /// The track of the 5-step procedure this dossier follows.
    pub fn track(&self) -> StepTrack {
        if self.incumbent { StepTrack::Reelection } else { StepTrack::FirstTime }
    }

    /// Whether the ethnicity is a minority (anything but Kinh).
    pub fn minority(&self) -> bool {
        self.ethnicity.as_deref().is_some_and(|e| !e.trim().is_empty() && vn::fold(e) != "kinh")
    }

    /// The facts the targets and statistics look at.
    pub fn profile(&self) -> Profile {
        Profile {
            key: self.id,
            name: self.full_name.clone(),
            birth: self.birth,
            sex: self.sex,
            minority: self.minority(),
            incumbent: self.incumbent,
            standing: self.planned_post.on_standing(),
            secretary: self.planned_post == PlannedPost::Secretary,
            science_tech: self.science_tech,
            education: self.education,
            theory: self.theory_level,
            elected_directly: self.elected_directly,
            non_local: self.non_local,
        }
    }
}

/// What the dossier form sets.
#[derive(Debug, Clone, Default)]
pub struct DossierInput {
    /// Member record.
    pub member_id: Option<i64>,
    /// Congress roster entry.
    pub person_id: Option<i64>,
    /// Full name.
    pub full_name: String,
    /// Birth date or year.
    pub birth: Option<Birth>,
    /// Sex.
    pub sex: Option<Sex>,
    /// Ethnicity.
    pub ethnicity: Option<String>,
    /// Hometown.
    pub hometown: Option<String>,
    /// Education.
    pub education: Option<Education>,
    /// Theory level.
    pub theory_level: Option<TheoryLevel>,
    /// Joined.
    pub joined_date: Option<Date>,
    /// Current post.
    pub current_post: Option<String>,
    /// Planned post (member when none).
    pub planned_post: Option<PlannedPost>,
    /// Incumbent.
    pub incumbent: bool,
    /// Science and technology.
    pub science_tech: bool,
    /// Unit of origin.
    pub origin_unit_id: Option<i64>,
    /// Unit of origin as printed.
    pub origin: Option<String>,
    /// Note.
    pub note: Option<String>,
}

/// One candidate's line at a 5-step meeting.
#[derive(Debug, Clone, Serialize)]
pub struct StepVote {
    /// Dossier.
    pub dossier_id: i64,
    /// Name.
    pub full_name: String,
    /// Votes in favour.
    pub votes: i64,
    /// More than half of those summoned.
    pub passed: bool,
    /// Carried to the next step.
    pub carried: bool,
    /// Carried by the tie decision.
    pub tie_decided: bool,
}

/// One meeting of the 5-step procedure.
#[derive(Debug, Clone, Serialize)]
pub struct StepMeeting {
    /// Id.
    pub id: i64,
    /// Congress.
    pub congress_id: i64,
    /// Track.
    pub track: StepTrack,
    /// Step 1–5.
    pub step: i64,
    /// Date held.
    pub held_on: Option<Date>,
    /// Summoned (the denominator).
    pub summoned: i64,
    /// Attended.
    pub attended: i64,
    /// Places to fill at this step, if limited.
    pub places: Option<i64>,
    /// The fewest votes that pass: ⌊summoned / 2⌋ + 1.
    pub threshold: i64,
    /// A tie for the last place awaits a decision.
    pub tie_pending: bool,
    /// The recorded decision on a tie.
    pub tie_note: Option<String>,
    /// Candidates and votes, in name order.
    pub votes: Vec<StepVote>,
}

/// What a 5-step meeting records.
#[derive(Debug, Clone)]
pub struct StepInput {
    /// Track.
    pub track: StepTrack,
    /// Step 1–5.
    pub step: i64,
    /// Date held.
    pub held_on: Option<Date>,
    /// Summoned.
    pub summoned: i64,
    /// Attended.
    pub attended: i64,
    /// Places, if limited.
    pub places: Option<i64>,
    /// Votes per dossier.
    pub votes: Vec<(i64, i64)>,
    /// Dossiers chosen among those tied (decided by the level above).
    pub tie_decision: Vec<i64>,
    /// Who decided the tie and how.
    pub tie_note: Option<String>,
}

/// One unit's setting in a delegate allocation.
#[derive(Debug, Clone)]
pub struct AllocationUnitInput {
    /// The subordinate unit.
    pub unit_id: i64,
    /// Ex-officio delegates active in it.
    pub ex_officio: u64,
    /// Importance adjustment.
    pub adjustment: u64,
    /// The unit elects no delegates: its delegates are appointed (chỉ định).
    pub appointed: bool,
}

/// The convening committee's allocation decision.
#[derive(Debug, Clone)]
pub struct AllocationSetup {
    /// Delegates of the congress, ex officio included.
    pub total_seats: u64,
    /// Base seats per unit.
    pub base_per_unit: u64,
    /// Method of the proportional split.
    pub method: Method,
    /// Alternates per unit.
    pub alternates_per_unit: u64,
    /// Units, in table order.
    pub units: Vec<AllocationUnitInput>,
    /// Units (ids) chosen for tied seats.
    pub tie_decision: Vec<i64>,
    /// Who decided a tie and how.
    pub tie_note: Option<String>,
}

/// A subordinate unit the allocation may cover, with the figures the form pre-fills.
#[derive(Debug, Clone, Serialize)]
pub struct AllocationCandidate {
    /// Unit id.
    pub unit_id: i64,
    /// Name.
    pub name: String,
    /// Official members in its subtree.
    pub members: i64,
    /// Ex-officio delegates on the congress roster coming from its subtree.
    pub ex_officio: i64,
}

/// A stored allocation row.
#[derive(Debug, Clone, Serialize)]
pub struct AllocationLine {
    /// Unit id.
    pub unit_id: i64,
    /// Name.
    pub name: String,
    /// Members.
    pub members: i64,
    /// Ex officio.
    pub ex_officio: i64,
    /// Base.
    pub base: i64,
    /// Exact quota, e.g. `7 127/329`.
    pub quota: String,
    /// Proportional seats.
    pub proportional: i64,
    /// Adjustment.
    pub adjustment: i64,
    /// Elected (or appointed) delegates.
    pub elected: i64,
    /// Total delegation.
    pub total: i64,
    /// Alternates.
    pub alternates: i64,
    /// Delegates appointed rather than elected.
    pub appointed: bool,
}

/// A stored allocation.
#[derive(Debug, Clone, Serialize)]
pub struct SavedAllocation {
    /// Congress.
    pub congress_id: i64,
    /// Total seats.
    pub total_seats: i64,
    /// Base per unit.
    pub base_per_unit: i64,
    /// Method code.
    pub method: String,
    /// Alternates per unit.
    pub alternates_per_unit: i64,
    /// Proportional pool.
    pub pool: i64,
    /// All members.
    pub total_members: i64,
    /// Tied units (names), if a tie was decided.
    pub tie_units: Option<String>,
    /// Units given the tied seats (names).
    pub tie_decision: Option<String>,
    /// The decision's note.
    pub tie_note: Option<String>,
    /// Who decided.
    pub decided_by: String,
    /// When.
    pub decided_at: i64,
    /// Rows.
    pub rows: Vec<AllocationLine>,
}

/// Composition of a unit's subtree: its own committee, each child's subtree, and the total.
#[derive(Debug, Clone, Serialize)]
pub struct CompositionTree {
    /// The unit.
    pub unit_id: i64,
    /// Its name.
    pub unit_name: String,
    /// Its own elected committee (empty if none recorded).
    pub own: Composition,
    /// Each child: id, name, subtree composition.
    pub children: Vec<(i64, String, Composition)>,
    /// The whole subtree.
    pub total: Composition,
    /// The change counter it was computed at.
    pub counter: i64,
}

/// Composition trees already computed, keyed by unit, valid while the counter is unchanged.
#[derive(Debug, Clone, Default)]
pub struct CompositionCache(Arc<Mutex<HashMap<i64, Arc<CompositionTree>>>>);

const DOSSIER_COLUMNS: &str = "id, congress_id, unit_path, member_id, person_id, full_name, \
    birth, sex, ethnicity, hometown, education, theory_level, joined_date, current_post, \
    planned_post, incumbent, science_tech, origin_unit_id, origin, note, elected, \
    elected_directly, non_local, version";

fn dossier_from_row(row: &AnyRow) -> Result<Dossier, sqlx::Error> {
    let text = |name: &str| -> Result<Option<String>, sqlx::Error> { row.try_get(name) };
    let flag = |name: &str| -> Result<bool, sqlx::Error> { Ok(row.try_get::<i64, _>(name)? != 0) };
    Ok(Dossier {
        id: row.try_get("id")?,
        congress_id: row.try_get("congress_id")?,
        unit_path: row.try_get("unit_path")?,
        member_id: row.try_get("member_id")?,
        person_id: row.try_get("person_id")?,
        full_name: row.try_get("full_name")?,
        birth: text("birth")?.as_deref().and_then(Birth::parse),
        sex: text("sex")?.as_deref().and_then(Sex::parse),
        ethnicity: text("ethnicity")?,
        hometown: text("hometown")?,
        education: text("education")?.as_deref().and_then(Education::parse),
        theory_level: text("theory_level")?.as_deref().and_then(TheoryLevel::parse),
        joined_date: parse_date(text("joined_date")?),
        current_post: text("current_post")?,
        planned_post: text("planned_post")?
            .as_deref()
            .and_then(PlannedPost::parse)
            .unwrap_or(PlannedPost::Member),
        incumbent: flag("incumbent")?,
        science_tech: flag("science_tech")?,
        origin_unit_id: row.try_get("origin_unit_id")?,
        origin: text("origin")?,
        note: text("note")?,
        elected: flag("elected")?,
        elected_directly: flag("elected_directly")?,
        non_local: flag("non_local")?,
        version: row.try_get("version")?,
    })
}

async fn dossier_on(conn: &mut AnyConnection, id: i64) -> Result<Dossier, StoreError> {
    let row = sqlx::query(sqlf!("SELECT {DOSSIER_COLUMNS} FROM dossiers WHERE id = $1"))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(StoreError::NotFound)?;
    Ok(dossier_from_row(&row)?)
}

/// Marks the personnel figures changed (the composition cache is keyed by this counter); a
/// unit's move calls it too, since roll-ups follow paths.
pub(crate) async fn bump(conn: &mut AnyConnection) -> Result<(), StoreError> {
    sqlx::query("UPDATE personnel_changes SET counter = counter + 1 WHERE id = 1")
        .execute(&mut *conn)
        .await?;
    Ok(())
}

fn clean(text: &Option<String>) -> Option<String> {
    text.as_deref()
        .map(|t| vn::nfc(t.split_whitespace().collect::<Vec<_>>().join(" ").as_str()))
        .filter(|t| !t.is_empty())
}

fn check_dossier(input: &DossierInput) -> Result<String, StoreError> {
    let name = clean(&Some(input.full_name.clone())).unwrap_or_default();
    if name.is_empty() {
        return Err(StoreError::rule(
            "name_required",
            "full_name",
            "Họ và tên không được để trống.",
            "The full name is required.",
        ));
    }
    if input.birth.is_none() {
        return Err(StoreError::rule(
            "birth_required",
            "birth",
            "Ngày sinh (hoặc năm sinh) là bắt buộc để tính tuổi và thời gian công tác.",
            "The birth date (or year) is required to compute age and working time left.",
        ));
    }
    if input.sex.is_none() {
        return Err(StoreError::rule(
            "sex_required",
            "sex",
            "Giới tính là bắt buộc (tuổi nghỉ hưu khác nhau theo giới tính).",
            "Sex is required (retirement age differs by sex).",
        ));
    }
    Ok(name)
}

fn step_label(step: i64) -> &'static str {
    daihoi_core::personnel::STEPS
        .iter()
        .find(|(number, _, _)| i64::from(*number) == step)
        .map(|(_, vi, _)| *vi)
        .unwrap_or("")
}

impl Store {
    /// The personnel plan of a congress, or defaults from the congress (campaign by the term's
    /// first year, level by the unit's kind, the campaign's reference date).
    pub async fn personnel_plan(&self, congress_id: i64) -> Result<PersonnelPlan, StoreError> {
        let mut conn = self.pool().acquire().await?;
        plan_on(&mut conn, congress_id).await
    }

    /// Saves the personnel plan.
    pub async fn set_personnel_plan(
        &self,
        tx: &mut WriteTx,
        congress_id: i64,
        input: PlanInput,
    ) -> Result<PersonnelPlan, StoreError> {
        for (size, field) in
            [(input.committee_size, "committee_size"), (input.standing_size, "standing_size")]
        {
            if size.is_some_and(|n| !(1..=500).contains(&n)) {
                return Err(StoreError::rule(
                    "bad_size",
                    field,
                    "Số lượng phải từ 1 đến 500.",
                    "The number must be between 1 and 500.",
                ));
            }
        }
        if let (Some(committee), Some(standing)) = (input.committee_size, input.standing_size)
            && standing >= committee
        {
            return Err(StoreError::rule(
                "standing_too_large",
                "standing_size",
                "Số ủy viên Ban Thường vụ phải ít hơn số ủy viên Ban Chấp hành.",
                "The standing committee must be smaller than the executive committee.",
            ));
        }
        let at = tx.at();
        let congress = congress_on(tx.conn(), congress_id).await?;
        let before = plan_on(tx.conn(), congress_id).await?;
        let conn = tx.conn();
        sqlx::query("DELETE FROM personnel_plans WHERE congress_id = $1")
            .bind(congress_id)
            .execute(&mut *conn)
            .await?;
        sqlx::query(
            "INSERT INTO personnel_plans (congress_id, campaign, level, reference_date, \
             committee_size, standing_size, updated_at, version) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(congress_id)
        .bind(input.campaign.code())
        .bind(input.level.code())
        .bind(date_text(Some(input.reference_date)))
        .bind(input.committee_size)
        .bind(input.standing_size)
        .bind(at)
        .bind(before.version + 1)
        .execute(&mut *conn)
        .await?;
        bump(conn).await?;
        let after = plan_on(conn, congress_id).await?;
        tx.audit(
            AuditRecord::new("personnel.plan", "congress", congress_id)
                .in_unit(congress.unit_id, &congress.unit_path)
                .before(&before)
                .after(&after),
        )
        .await?;
        Ok(after)
    }

    /// Creates a dossier.
    pub async fn create_dossier(
        &self,
        tx: &mut WriteTx,
        congress_id: i64,
        input: &DossierInput,
    ) -> Result<Dossier, StoreError> {
        let name = check_dossier(input)?;
        let at = tx.at();
        let congress = congress_on(tx.conn(), congress_id).await?;
        let conn = tx.conn();
        let id = next_id(conn, "dossiers").await?;
        sqlx::query(
            "INSERT INTO dossiers (id, congress_id, unit_path, member_id, person_id, full_name, \
             name_key, birth, sex, ethnicity, hometown, education, theory_level, joined_date, \
             current_post, planned_post, incumbent, science_tech, origin_unit_id, origin, note, \
             created_at, updated_at, version) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, \
             $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $22, 1)",
        )
        .bind(id)
        .bind(congress_id)
        .bind(&congress.unit_path)
        .bind(input.member_id)
        .bind(input.person_id)
        .bind(&name)
        .bind(vn::person_name_key(&name))
        .bind(input.birth.map(Birth::to_text))
        .bind(input.sex.map(Sex::code))
        .bind(clean(&input.ethnicity))
        .bind(clean(&input.hometown))
        .bind(input.education.map(Education::code))
        .bind(input.theory_level.map(TheoryLevel::code))
        .bind(date_text(input.joined_date))
        .bind(clean(&input.current_post))
        .bind(input.planned_post.unwrap_or(PlannedPost::Member).code())
        .bind(i64::from(input.incumbent))
        .bind(i64::from(input.science_tech))
        .bind(input.origin_unit_id)
        .bind(clean(&input.origin))
        .bind(clean(&input.note))
        .bind(at)
        .execute(&mut *conn)
        .await?;
        bump(conn).await?;
        let dossier = dossier_on(conn, id).await?;
        tx.audit(
            AuditRecord::new("personnel.dossier.create", "dossier", id)
                .in_unit(congress.unit_id, &congress.unit_path)
                .after(&dossier),
        )
        .await?;
        Ok(dossier)
    }

    /// Adds many dossiers to a congress in one change with one audit entry (a list prepared
    /// elsewhere); every row is checked first and nothing is stored if one is refused.
    pub async fn import_dossiers(
        &self,
        tx: &mut WriteTx,
        congress_id: i64,
        inputs: &[DossierInput],
    ) -> Result<usize, StoreError> {
        let names = inputs.iter().map(check_dossier).collect::<Result<Vec<_>, _>>()?;
        let at = tx.at();
        let congress = congress_on(tx.conn(), congress_id).await?;
        let conn = tx.conn();
        let first = next_id(conn, "dossiers").await?;
        for (offset, (input, name)) in inputs.iter().zip(&names).enumerate() {
            sqlx::query(
                "INSERT INTO dossiers (id, congress_id, unit_path, full_name, name_key, birth, sex, \
                 ethnicity, education, theory_level, current_post, planned_post, incumbent, \
                 science_tech, created_at, updated_at, version) VALUES ($1, $2, $3, $4, $5, $6, \
                 $7, $8, $9, $10, $11, $12, $13, $14, $15, $15, 1)",
            )
            .bind(first + offset as i64)
            .bind(congress_id)
            .bind(&congress.unit_path)
            .bind(name)
            .bind(vn::person_name_key(name))
            .bind(input.birth.map(Birth::to_text))
            .bind(input.sex.map(Sex::code))
            .bind(clean(&input.ethnicity))
            .bind(input.education.map(Education::code))
            .bind(input.theory_level.map(TheoryLevel::code))
            .bind(clean(&input.current_post))
            .bind(input.planned_post.unwrap_or(PlannedPost::Member).code())
            .bind(i64::from(input.incumbent))
            .bind(i64::from(input.science_tech))
            .bind(at)
            .execute(&mut *conn)
            .await?;
        }
        bump(conn).await?;
        tx.audit(
            AuditRecord::new("personnel.dossier.import", "congress", congress_id)
                .in_unit(congress.unit_id, &congress.unit_path)
                .after(serde_json::json!({ "count": inputs.len(), "first_id": first })),
        )
        .await?;
        Ok(inputs.len())
    }

    /// Updates a dossier (optimistic: `version` must be the one read).
    pub async fn update_dossier(
        &self,
        tx: &mut WriteTx,
        id: i64,
        version: i64,
        input: &DossierInput,
    ) -> Result<Dossier, StoreError> {
        let name = check_dossier(input)?;
        let at = tx.at();
        let before = dossier_on(tx.conn(), id).await?;
        let congress = congress_on(tx.conn(), before.congress_id).await?;
        let conn = tx.conn();
        let changed = sqlx::query(
            "UPDATE dossiers SET member_id = $1, person_id = $2, full_name = $3, name_key = $4, \
             birth = $5, sex = $6, ethnicity = $7, hometown = $8, education = $9, \
             theory_level = $10, joined_date = $11, current_post = $12, planned_post = $13, \
             incumbent = $14, science_tech = $15, origin_unit_id = $16, origin = $17, note = $18, \
             updated_at = $19, version = version + 1 WHERE id = $20 AND version = $21",
        )
        .bind(input.member_id)
        .bind(input.person_id)
        .bind(&name)
        .bind(vn::person_name_key(&name))
        .bind(input.birth.map(Birth::to_text))
        .bind(input.sex.map(Sex::code))
        .bind(clean(&input.ethnicity))
        .bind(clean(&input.hometown))
        .bind(input.education.map(Education::code))
        .bind(input.theory_level.map(TheoryLevel::code))
        .bind(date_text(input.joined_date))
        .bind(clean(&input.current_post))
        .bind(input.planned_post.unwrap_or(PlannedPost::Member).code())
        .bind(i64::from(input.incumbent))
        .bind(i64::from(input.science_tech))
        .bind(input.origin_unit_id)
        .bind(clean(&input.origin))
        .bind(clean(&input.note))
        .bind(at)
        .bind(id)
        .bind(version)
        .execute(&mut *conn)
        .await?
        .rows_affected();
        if changed == 0 {
            return Err(StoreError::Stale);
        }
        bump(conn).await?;
        let after = dossier_on(conn, id).await?;
        tx.audit(
            AuditRecord::new("personnel.dossier.update", "dossier", id)
                .in_unit(congress.unit_id, &congress.unit_path)
                .before(&before)
                .after(&after),
        )
        .await?;
        Ok(after)
    }

    /// The ids of a congress's dossiers, seen from inside a write.
    pub async fn dossiers_in(
        &self,
        tx: &mut WriteTx,
        congress_id: i64,
    ) -> Result<Vec<i64>, StoreError> {
        self.dossiers_on(tx.conn(), congress_id).await
    }

    /// One dossier.
    pub async fn dossier(&self, id: i64) -> Result<Dossier, StoreError> {
        let mut conn = self.pool().acquire().await?;
        dossier_on(&mut conn, id).await
    }

    /// A congress's dossiers in Vietnamese name order.
    pub async fn dossiers(&self, congress_id: i64) -> Result<Vec<Dossier>, StoreError> {
        let rows = sqlx::query(sqlf!(
            "SELECT {DOSSIER_COLUMNS} FROM dossiers WHERE congress_id = $1 ORDER BY name_key, id"
        ))
        .bind(congress_id)
        .fetch_all(self.pool())
        .await?;
        Ok(rows.iter().map(dossier_from_row).collect::<Result<_, _>>()?)
    }

    /// Records who was elected to the new committee, and for the secretary whether the congress
    /// elected them directly and whether they are a local person. Replaces an earlier record.
    pub async fn record_elected(
        &self,
        tx: &mut WriteTx,
        congress_id: i64,
        elected: &[i64],
        secretary: Option<(i64, bool, bool)>,
    ) -> Result<(), StoreError> {
        let congress = congress_on(tx.conn(), congress_id).await?;
        let known: Vec<i64> = self.dossiers_on(tx.conn(), congress_id).await?;
        if let Some(stray) =
            elected.iter().chain(secretary.as_ref().map(|s| &s.0)).find(|id| !known.contains(id))
        {
            return Err(StoreError::rule(
                "not_a_dossier",
                "elected",
                format!("Hồ sơ số {stray} không thuộc đại hội này."),
                format!("Dossier {stray} does not belong to this congress."),
            ));
        }
        let conn = tx.conn();
        sqlx::query(
            "UPDATE dossiers SET elected = 0, elected_directly = 0, non_local = 0, \
             version = version + 1 WHERE congress_id = $1",
        )
        .bind(congress_id)
        .execute(&mut *conn)
        .await?;
        for id in elected {
            sqlx::query("UPDATE dossiers SET elected = 1 WHERE id = $1")
                .bind(id)
                .execute(&mut *conn)
                .await?;
        }
        if let Some((id, direct, non_local)) = secretary {
            sqlx::query(
                "UPDATE dossiers SET elected = 1, planned_post = 'secretary', \
                 elected_directly = $1, non_local = $2 WHERE id = $3",
            )
            .bind(i64::from(direct))
            .bind(i64::from(non_local))
            .bind(id)
            .execute(&mut *conn)
            .await?;
        }
        bump(conn).await?;
        tx.audit(
            AuditRecord::new("personnel.elected", "congress", congress_id)
                .in_unit(congress.unit_id, &congress.unit_path)
                .after(serde_json::json!({ "elected": elected, "secretary": secretary })),
        )
        .await?;
        Ok(())
    }

    async fn dossiers_on(
        &self,
        conn: &mut AnyConnection,
        congress_id: i64,
    ) -> Result<Vec<i64>, StoreError> {
        Ok(sqlx::query_scalar("SELECT id FROM dossiers WHERE congress_id = $1")
            .bind(congress_id)
            .fetch_all(&mut *conn)
            .await?)
    }

    /// The candidates of a step: step 1 takes every dossier of the track; a later step takes
    /// those carried from the step before (empty until it is recorded).
    pub async fn step_candidates(
        &self,
        congress_id: i64,
        track: StepTrack,
        step: i64,
    ) -> Result<Vec<Dossier>, StoreError> {
        let mut conn = self.pool().acquire().await?;
        step_candidates_on(&mut conn, congress_id, track, step).await
    }

    /// Records a 5-step meeting: votes per candidate, the threshold (more than half of those
    /// summoned) and who is carried to the next step. Re-recording a step is allowed until the
    /// next step is recorded.
    pub async fn record_step(
        &self,
        tx: &mut WriteTx,
        congress_id: i64,
        input: &StepInput,
    ) -> Result<StepMeeting, StoreError> {
        let bad = |code, field, vi: String, en: String| Err(StoreError::rule(code, field, vi, en));
        if !(1..=5).contains(&input.step) {
            return bad(
                "bad_step",
                "step",
                "Bước phải từ 1 đến 5.".into(),
                "The step must be 1 to 5.".into(),
            );
        }
        if input.summoned < 1 {
            return bad(
                "bad_summoned",
                "summoned",
                "Số được triệu tập phải lớn hơn 0.".into(),
                "The number summoned must be more than 0.".into(),
            );
        }
        if input.attended < 0 || input.attended > input.summoned {
            return bad(
                "bad_attended",
                "attended",
                "Số có mặt phải từ 0 đến số được triệu tập.".into(),
                "The number attending must be between 0 and the number summoned.".into(),
            );
        }
        if input.places.is_some_and(|p| p < 1) {
            return bad(
                "bad_places",
                "places",
                "Số cần chọn phải lớn hơn 0.".into(),
                "Places must be more than 0.".into(),
            );
        }
        let at = tx.at();
        let actor = tx.actor().name.clone();
        let congress = congress_on(tx.conn(), congress_id).await?;
        let conn = tx.conn();
        let later: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM step_meetings WHERE congress_id = $1 AND track = $2 AND step > $3",
        )
        .bind(congress_id)
        .bind(input.track.code())
        .bind(input.step)
        .fetch_one(&mut *conn)
        .await?;
        if later > 0 {
            return bad(
                "later_step_recorded",
                "step",
                format!("Bước {} đã có bước sau được ghi nhận; không thể ghi lại.", input.step),
                format!(
                    "A later step than {} is recorded; this one can no longer change.",
                    input.step
                ),
            );
        }
        let candidates = step_candidates_on(conn, congress_id, input.track, input.step).await?;
        if candidates.is_empty() {
            return bad(
                "no_candidates",
                "step",
                format!(
                    "Bước {} chưa có ai để xem xét (bước trước chưa ghi nhận hoặc không ai đạt).",
                    input.step
                ),
                format!(
                    "Step {} has nobody to consider (the previous step is not recorded or nobody passed).",
                    input.step
                ),
            );
        }
        let mut votes: Vec<(i64, u64)> = Vec::new();
        for dossier in &candidates {
            let count =
                input.votes.iter().find(|(id, _)| *id == dossier.id).map(|(_, v)| *v).unwrap_or(0);
            if count < 0 || count > input.attended {
                return bad(
                    "bad_votes",
                    "votes",
                    format!(
                        "Số phiếu của đồng chí {} phải từ 0 đến số có mặt ({}).",
                        dossier.full_name, input.attended
                    ),
                    format!(
                        "The votes for {} must be between 0 and the number attending ({}).",
                        dossier.full_name, input.attended
                    ),
                );
            }
            votes.push((dossier.id, u64::try_from(count).unwrap_or(0)));
        }
        if let Some(stray) =
            input.votes.iter().find(|(id, _)| !candidates.iter().any(|d| d.id == *id))
        {
            return bad(
                "not_a_candidate",
                "votes",
                format!("Hồ sơ số {} không thuộc danh sách của bước này.", stray.0),
                format!("Dossier {} is not on this step's list.", stray.0),
            );
        }
        let summoned = u64::try_from(input.summoned).unwrap_or(0);
        let places = input.places.and_then(|p| usize::try_from(p).ok());
        let outcome = carry(&votes, summoned, places);
        let mut carried = outcome.carried.clone();
        let mut tie_pending = false;
        let mut decided: Vec<i64> = Vec::new();
        if !outcome.tied.is_empty() {
            let chosen: Vec<i64> =
                input.tie_decision.iter().copied().filter(|id| outcome.tied.contains(id)).collect();
            if chosen.is_empty() {
                tie_pending = true;
            } else if chosen.len() != outcome.tied_places
                || chosen.len() != input.tie_decision.len()
            {
                return bad(
                    "bad_tie_decision",
                    "tie_decision",
                    format!(
                        "Phải chọn đúng {} người trong số những người bằng phiếu.",
                        outcome.tied_places
                    ),
                    format!("Choose exactly {} of those tied.", outcome.tied_places),
                );
            } else {
                let tie_count =
                    votes.iter().find(|(id, _)| *id == outcome.tied[0]).map(|v| v.1).unwrap_or(0);
                carried = votes
                    .iter()
                    .filter(|(id, count)| {
                        (*count > tie_count && outcome.passed.contains(id)) || chosen.contains(id)
                    })
                    .map(|(id, _)| *id)
                    .collect();
                decided = chosen;
            }
        }
        let existing: Option<i64> = sqlx::query_scalar(
            "SELECT id FROM step_meetings WHERE congress_id = $1 AND track = $2 AND step = $3",
        )
        .bind(congress_id)
        .bind(input.track.code())
        .bind(input.step)
        .fetch_optional(&mut *conn)
        .await?;
        if let Some(old) = existing {
            sqlx::query("DELETE FROM step_votes WHERE meeting_id = $1")
                .bind(old)
                .execute(&mut *conn)
                .await?;
            sqlx::query("DELETE FROM step_meetings WHERE id = $1")
                .bind(old)
                .execute(&mut *conn)
                .await?;
        }
        let id = next_id(conn, "step_meetings").await?;
        sqlx::query(
            "INSERT INTO step_meetings (id, congress_id, track, step, held_on, summoned, attended, \
             places, tie_pending, tie_note, recorded_by, recorded_at) VALUES ($1, $2, $3, $4, $5, \
             $6, $7, $8, $9, $10, $11, $12)",
        )
        .bind(id)
        .bind(congress_id)
        .bind(input.track.code())
        .bind(input.step)
        .bind(date_text(input.held_on))
        .bind(input.summoned)
        .bind(input.attended)
        .bind(input.places)
        .bind(i64::from(tie_pending))
        .bind(clean(&input.tie_note))
        .bind(&actor)
        .bind(at)
        .execute(&mut *conn)
        .await?;
        for (dossier_id, count) in &votes {
            sqlx::query(
                "INSERT INTO step_votes (meeting_id, dossier_id, votes, passed, carried, tie_decided) \
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(id)
            .bind(dossier_id)
            .bind(i64::try_from(*count).unwrap_or(0))
            .bind(i64::from(outcome.passed.contains(dossier_id)))
            .bind(i64::from(carried.contains(dossier_id)))
            .bind(i64::from(decided.contains(dossier_id)))
            .execute(&mut *conn)
            .await?;
        }
        let meeting = meeting_on(conn, id).await?;
        tx.audit(
            AuditRecord::new("personnel.step", "congress", congress_id)
                .in_unit(congress.unit_id, &congress.unit_path)
                .after(serde_json::json!({
                    "track": input.track.code(),
                    "step": input.step,
                    "body": step_label(input.step),
                    "summoned": input.summoned,
                    "attended": input.attended,
                    "votes": votes,
                    "carried": carried,
                    "tie": outcome.tied,
                    "tie_decision": decided,
                    "tie_note": input.tie_note,
                })),
        )
        .await?;
        Ok(meeting)
    }

    /// The recorded meetings of a track, step order.
    pub async fn steps(
        &self,
        congress_id: i64,
        track: StepTrack,
    ) -> Result<Vec<StepMeeting>, StoreError> {
        let mut conn = self.pool().acquire().await?;
        let ids: Vec<i64> = sqlx::query_scalar(
            "SELECT id FROM step_meetings WHERE congress_id = $1 AND track = $2 ORDER BY step",
        )
        .bind(congress_id)
        .bind(track.code())
        .fetch_all(&mut *conn)
        .await?;
        let mut meetings = Vec::new();
        for id in ids {
            meetings.push(meeting_on(&mut conn, id).await?);
        }
        Ok(meetings)
    }

    /// Puts the list carried by step 5 of both tracks (re-election first) on an election of
    /// this congress as the outgoing committee's candidates (danh sách do cấp ủy khóa cũ giới
    /// thiệu). Inserts only; people already on that election are left as they are. Returns
    /// the number added.
    pub async fn present_to_congress(
        &self,
        tx: &mut WriteTx,
        congress_id: i64,
        election_id: i64,
    ) -> Result<usize, StoreError> {
        let at = tx.at();
        let congress = congress_on(tx.conn(), congress_id).await?;
        let conn = tx.conn();
        let election: Option<(i64, String, String)> =
            sqlx::query_as("SELECT congress_id, kind, status FROM elections WHERE id = $1")
                .bind(election_id)
                .fetch_optional(&mut *conn)
                .await?;
        let Some((election_congress, kind, status)) = election else {
            return Err(StoreError::rule(
                "not_this_congress",
                "election_id",
                "Cuộc bầu cử không thuộc đại hội này.",
                "The election does not belong to this congress.",
            ));
        };
        if election_congress != congress_id {
            return Err(StoreError::rule(
                "not_this_congress",
                "election_id",
                "Cuộc bầu cử không thuộc đại hội này.",
                "The election does not belong to this congress.",
            ));
        }
        if kind != "committee" {
            return Err(StoreError::rule(
                "not_committee_election",
                "election_id",
                "Danh sách qua quy trình 5 bước là danh sách bầu Ban Chấp hành.",
                "The list of the 5-step procedure is the list for the committee election.",
            ));
        }
        if status != "preparing" {
            return Err(StoreError::rule(
                "list_frozen",
                "election_id",
                "Danh sách bầu cử đã được đại hội biểu quyết thông qua: không thể thêm người.",
                "The congress has already approved this election's list: nobody can be added.",
            ));
        }
        let mut list = Vec::new();
        for track in [StepTrack::Reelection, StepTrack::FirstTime] {
            list.extend(step_candidates_on(conn, congress_id, track, 6).await?);
        }
        if list.is_empty() {
            return Err(StoreError::rule(
                "no_final_list",
                "election_id",
                "Chưa có danh sách qua bước 5 để giới thiệu với đại hội.",
                "No list has passed step 5 yet to present to the congress.",
            ));
        }
        let mut added = 0;
        for dossier in &list {
            let present: i64 = sqlx::query_scalar(
                "SELECT COUNT(*) FROM candidates WHERE election_id = $1 AND full_name = $2 \
                 AND (birth_date = $3 OR birth_date IS NULL)",
            )
            .bind(election_id)
            .bind(&dossier.full_name)
            .bind(dossier.birth.map(|b| b.date()).map(|d| date_text(Some(d))))
            .fetch_one(&mut *conn)
            .await?;
            if present > 0 {
                continue;
            }
            let id = next_id(conn, "candidates").await?;
            sqlx::query(
                "INSERT INTO candidates (id, election_id, person_id, member_id, full_name, name_key, \
                 birth_date, sex, source, admitted, withdrawn, note, created_at, version) VALUES \
                 ($1, $2, $3, $4, $5, $6, $7, $8, 'committee', 0, 0, $9, $10, 1)",
            )
            .bind(id)
            .bind(election_id)
            .bind(dossier.person_id)
            .bind(dossier.member_id)
            .bind(&dossier.full_name)
            .bind(vn::person_name_key(&dossier.full_name))
            .bind(dossier.birth.map(|b| b.date()).map(|d| date_text(Some(d))))
            .bind(dossier.sex.map(Sex::code))
            .bind(format!("Quy trình 5 bước: {}", dossier.track().label_vi()))
            .bind(at)
            .execute(&mut *conn)
            .await?;
            added += 1;
        }
        tx.audit(
            AuditRecord::new("personnel.present", "election", election_id)
                .in_unit(congress.unit_id, &congress.unit_path)
                .after(serde_json::json!({
                    "dossiers": list.iter().map(|d| d.id).collect::<Vec<_>>(),
                    "added": added,
                })),
        )
        .await?;
        Ok(added)
    }

    /// The direct subordinate units of the congress's unit, with their official members and
    /// the ex-officio delegates on the roster who come from each subtree.
    pub async fn allocation_candidates(
        &self,
        congress_id: i64,
    ) -> Result<Vec<AllocationCandidate>, StoreError> {
        let mut conn = self.pool().acquire().await?;
        candidates_on(&mut conn, congress_id).await
    }

    /// [`Store::allocation_candidates`] inside a write (sees the transaction's own changes).
    pub async fn allocation_candidates_in(
        &self,
        tx: &mut WriteTx,
        congress_id: i64,
    ) -> Result<Vec<AllocationCandidate>, StoreError> {
        candidates_on(tx.conn(), congress_id).await
    }

    /// Runs the allocation without storing it (the page shows it, or the tie to decide).
    pub async fn preview_allocation(
        &self,
        congress_id: i64,
        setup: &AllocationSetup,
    ) -> Result<Result<Allocation, AllocationError>, StoreError> {
        let candidates = self.allocation_candidates(congress_id).await?;
        let input = allocation_input(&candidates, setup)?;
        Ok(allocate_delegates(&input))
    }

    /// Stores the allocation decided by the convening committee, replacing an earlier one.
    pub async fn save_allocation(
        &self,
        tx: &mut WriteTx,
        congress_id: i64,
        setup: &AllocationSetup,
    ) -> Result<SavedAllocation, StoreError> {
        let candidates = candidates_on(tx.conn(), congress_id).await?;
        let input = allocation_input(&candidates, setup)?;
        let allocation = allocate_delegates(&input).map_err(|error| match error {
            AllocationError::Tie(tie) => StoreError::rule(
                "allocation_tie",
                "tie_decision",
                format!(
                    "Các đơn vị {} bằng nhau cho {} suất cuối: cấp ủy phải quyết định.",
                    tie.units
                        .iter()
                        .map(|&i| input.units[i].name.clone())
                        .collect::<Vec<_>>()
                        .join(", "),
                    tie.seats
                ),
                format!(
                    "Units {} are tied for the last {} seat(s): the committee must decide.",
                    tie.units
                        .iter()
                        .map(|&i| input.units[i].name.clone())
                        .collect::<Vec<_>>()
                        .join(", "),
                    tie.seats
                ),
            ),
            other => StoreError::rule(
                "allocation_invalid",
                "total_seats",
                other.to_string(),
                other.to_string(),
            ),
        })?;
        let at = tx.at();
        let actor = tx.actor().name.clone();
        let congress = congress_on(tx.conn(), congress_id).await?;
        let before = allocation_on(tx.conn(), congress_id).await?;
        let conn = tx.conn();
        sqlx::query("DELETE FROM allocation_units WHERE congress_id = $1")
            .bind(congress_id)
            .execute(&mut *conn)
            .await?;
        sqlx::query("DELETE FROM allocations WHERE congress_id = $1")
            .bind(congress_id)
            .execute(&mut *conn)
            .await?;
        let names = |indices: &[usize]| {
            indices.iter().map(|&i| input.units[i].name.clone()).collect::<Vec<_>>().join("; ")
        };
        let (tie_units, tie_decision) = match &allocation.decided_tie {
            Some(tie) => (Some(names(&tie.units)), Some(names(&input.tie_decision))),
            None => (None, None),
        };
        sqlx::query(
            "INSERT INTO allocations (congress_id, total_seats, base_per_unit, method, \
             alternates_per_unit, pool, total_members, tie_units, tie_decision, tie_note, \
             decided_by, decided_at, version) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
        )
        .bind(congress_id)
        .bind(setup.total_seats as i64)
        .bind(setup.base_per_unit as i64)
        .bind(setup.method.name())
        .bind(setup.alternates_per_unit as i64)
        .bind(allocation.pool as i64)
        .bind(allocation.total_members as i64)
        .bind(&tie_units)
        .bind(&tie_decision)
        .bind(if allocation.decided_tie.is_some() { clean(&setup.tie_note) } else { None })
        .bind(&actor)
        .bind(at)
        .bind(before.as_ref().map(|_| 2).unwrap_or(1))
        .execute(&mut *conn)
        .await?;
        for (position, (row, unit)) in allocation.rows.iter().zip(&setup.units).enumerate() {
            sqlx::query(
                "INSERT INTO allocation_units (congress_id, unit_id, position, name, members, \
                 ex_officio, base, quota, proportional, adjustment, elected, total, alternates, \
                 appointed) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)",
            )
            .bind(congress_id)
            .bind(unit.unit_id)
            .bind(position as i64)
            .bind(&row.unit)
            .bind(row.members as i64)
            .bind(row.ex_officio as i64)
            .bind(row.base as i64)
            .bind(row.quota.to_string())
            .bind(row.proportional as i64)
            .bind(row.adjustment as i64)
            .bind(row.elected as i64)
            .bind(row.total as i64)
            .bind(if unit.appointed { 0 } else { row.alternates as i64 })
            .bind(i64::from(unit.appointed))
            .execute(&mut *conn)
            .await?;
        }
        let after = allocation_on(conn, congress_id).await?.ok_or(StoreError::NotFound)?;
        tx.audit(
            AuditRecord::new("personnel.allocation", "congress", congress_id)
                .in_unit(congress.unit_id, &congress.unit_path)
                .before(&before)
                .after(&after),
        )
        .await?;
        Ok(after)
    }

    /// The stored allocation, if any.
    pub async fn allocation(
        &self,
        congress_id: i64,
    ) -> Result<Option<SavedAllocation>, StoreError> {
        let mut conn = self.pool().acquire().await?;
        allocation_on(&mut conn, congress_id).await
    }

    /// Adds appointed delegates (đại biểu chỉ định) for a unit that elects none, up to the
    /// seats the allocation gave it.
    pub async fn appoint_delegates(
        &self,
        tx: &mut WriteTx,
        congress_id: i64,
        unit_id: i64,
        people: &[NewPerson],
    ) -> Result<Vec<Person>, StoreError> {
        let line = sqlx::query(
            "SELECT name, elected, appointed FROM allocation_units WHERE congress_id = $1 AND unit_id = $2",
        )
        .bind(congress_id)
        .bind(unit_id)
        .fetch_optional(tx.conn())
        .await?
        .ok_or_else(|| {
            StoreError::rule(
                "not_allocated",
                "unit_id",
                "Đơn vị chưa có trong bảng phân bổ đại biểu.",
                "The unit is not in the delegate allocation.",
            )
        })?;
        let name: String = line.try_get("name")?;
        let seats: i64 = line.try_get("elected")?;
        if line.try_get::<i64, _>("appointed")? == 0 {
            return Err(StoreError::rule(
                "unit_elects",
                "unit_id",
                format!("{name} bầu đại biểu tại đại hội của mình; không chỉ định."),
                format!("{name} elects its delegates at its own congress; none are appointed."),
            ));
        }
        let already: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM congress_people WHERE congress_id = $1 AND source_unit_id = $2 AND role = 'appointed'",
        )
        .bind(congress_id)
        .bind(unit_id)
        .fetch_one(tx.conn())
        .await?;
        if already + people.len() as i64 > seats {
            return Err(StoreError::rule(
                "too_many_appointed",
                "full_name",
                format!("{name} được phân bổ {seats} đại biểu; đã chỉ định {already}."),
                format!("{name} was allotted {seats} delegates; {already} already appointed."),
            ));
        }
        let people: Vec<NewPerson> = people
            .iter()
            .cloned()
            .map(|mut person| {
                person.role = PersonRole::Appointed;
                person.source_unit_id = Some(unit_id);
                person.delegation = person.delegation.or_else(|| Some(name.clone()));
                person.alternate_rank = None;
                person.standing = Standing::Active;
                person
            })
            .collect();
        self.add_people(tx, congress_id, &people).await
    }

    /// Seats the next alternate of the delegate's unit (lowest rank not yet seated) in place of
    /// a delegate who cannot attend; the seating is recorded through `seat_alternate`.
    pub async fn replace_with_next_alternate(
        &self,
        tx: &mut WriteTx,
        delegate_id: i64,
    ) -> Result<Person, StoreError> {
        let delegate = person_on(tx.conn(), delegate_id).await?;
        let next: Option<i64> = sqlx::query_scalar(
            "SELECT id FROM congress_people WHERE congress_id = $1 AND role = 'alternate' \
             AND seated_for IS NULL AND ((source_unit_id = $2) OR (source_unit_id IS NULL AND $2 IS NULL)) \
             ORDER BY alternate_rank, id LIMIT 1",
        )
        .bind(delegate.congress_id)
        .bind(delegate.source_unit_id)
        .fetch_optional(tx.conn())
        .await?;
        let Some(alternate_id) = next else {
            return Err(StoreError::rule(
                "no_alternate",
                "delegate",
                format!(
                    "Không còn đại biểu dự khuyết của đơn vị để thay đồng chí {}.",
                    delegate.full_name
                ),
                format!("No alternate of the unit is left to replace {}.", delegate.full_name),
            ));
        };
        self.seat_alternate(tx, alternate_id, Some(delegate_id)).await
    }

    /// The change counter of personnel data (any dossier, plan or election record).
    pub async fn personnel_counter(&self) -> Result<i64, StoreError> {
        Ok(sqlx::query_scalar("SELECT counter FROM personnel_changes WHERE id = 1")
            .fetch_one(self.pool())
            .await?)
    }

    /// Composition of the elected committees in a unit's subtree: the unit's own, each child's
    /// subtree, and the total. Answered from the cache while nothing changed.
    pub async fn composition_tree(&self, unit_id: i64) -> Result<Arc<CompositionTree>, StoreError> {
        let counter = self.personnel_counter().await?;
        let cache = &self.personnel_cache;
        if let Some(tree) = cache.0.lock().ok().and_then(|map| map.get(&unit_id).cloned())
            && tree.counter == counter
        {
            return Ok(tree);
        }
        let tree = Arc::new(self.compute_composition(unit_id, counter).await?);
        if let Ok(mut map) = cache.0.lock() {
            map.insert(unit_id, tree.clone());
        }
        Ok(tree)
    }

    async fn compute_composition(
        &self,
        unit_id: i64,
        counter: i64,
    ) -> Result<CompositionTree, StoreError> {
        let mut conn = self.pool().acquire().await?;
        let unit = sqlx::query("SELECT name, path FROM units WHERE id = $1")
            .bind(unit_id)
            .fetch_optional(&mut *conn)
            .await?
            .ok_or(StoreError::NotFound)?;
        let unit_name: String = unit.try_get("name")?;
        let path: String = unit.try_get("path")?;
        let children: Vec<(i64, String, String)> = sqlx::query(
            "SELECT id, name, path FROM units WHERE parent_id = $1 ORDER BY name_key, id",
        )
        .bind(unit_id)
        .fetch_all(&mut *conn)
        .await?
        .iter()
        .map(|row| Ok((row.try_get("id")?, row.try_get("name")?, row.try_get("path")?)))
        .collect::<Result<_, sqlx::Error>>()?;
        let end = format!("{}0", &path[..path.len() - 1]);
        // The congresses of the subtree with elected members: where each sits and the day its
        // ages are counted at.
        let congresses = sqlx::query(
            "SELECT c.id, c.unit_path, c.term_start, p.reference_date FROM congresses c \
             LEFT JOIN personnel_plans p ON p.congress_id = c.id \
             WHERE c.unit_path >= $1 AND c.unit_path < $2 AND EXISTS \
             (SELECT 1 FROM dossiers d WHERE d.congress_id = c.id AND d.elected = 1)",
        )
        .bind(&path)
        .bind(&end)
        .fetch_all(&mut *conn)
        .await?;
        let mut people: HashMap<i64, (String, Date, Vec<Profile>)> = HashMap::new();
        for row in &congresses {
            let reference = parse_date(row.try_get("reference_date")?).unwrap_or_else(|| {
                let start: i64 = row.try_get("term_start").unwrap_or(2020);
                Campaign::for_term_start(start).reference_date(Level::Grassroots)
            });
            people.insert(row.try_get("id")?, (row.try_get("unit_path")?, reference, Vec::new()));
        }
        // The elected members, each as one packed text column: the rows are many (a quarter of
        // a million at national size) and every column costs a conversion in the driver.
        let rows = sqlx::query(
            "SELECT d.congress_id, COALESCE(d.birth, '') || '|' || COALESCE(d.sex, '') || '|' || \
             COALESCE(d.education, '') || '|' || COALESCE(d.theory_level, '') || '|' || \
             CAST(d.incumbent AS TEXT) || '|' || COALESCE(d.planned_post, '') || '|' || \
             CAST(d.elected_directly AS TEXT) || '|' || CAST(d.non_local AS TEXT) || '|' || \
             COALESCE(d.ethnicity, '') AS facts FROM dossiers d \
             WHERE d.elected = 1 AND d.unit_path >= $1 AND d.unit_path < $2",
        )
        .bind(&path)
        .bind(&end)
        .fetch_all(&mut *conn)
        .await?;
        let mut kinh: HashMap<String, bool> = HashMap::new();
        for row in &rows {
            let congress_id: i64 = row.try_get("congress_id")?;
            let facts: String = row.try_get("facts")?;
            let Some((_, _, list)) = people.get_mut(&congress_id) else { continue };
            let mut parts = facts.splitn(9, '|');
            let mut next = || parts.next().filter(|part| !part.is_empty());
            let mut profile = Profile::new(0, "");
            profile.birth = next().and_then(Birth::parse);
            profile.sex = next().and_then(Sex::parse);
            profile.education = next().and_then(Education::parse);
            profile.theory = next().and_then(TheoryLevel::parse);
            profile.incumbent = next() == Some("1");
            profile.secretary = next() == Some("secretary");
            profile.elected_directly = next() == Some("1");
            profile.non_local = next() == Some("1");
            profile.minority = match next().map(str::trim).filter(|e| !e.is_empty()) {
                None => false,
                Some(ethnicity) => match kinh.get(ethnicity) {
                    Some(is_kinh) => !is_kinh,
                    None => {
                        let is_kinh = vn::fold(ethnicity) == "kinh";
                        kinh.insert(ethnicity.to_string(), is_kinh);
                        !is_kinh
                    }
                },
            };
            list.push(profile);
        }
        // One composition per congress, then each summed into the bucket it belongs to.
        let mut own = Composition::default();
        let mut buckets: Vec<Composition> = vec![Composition::default(); children.len()];
        for (unit_path, reference, list) in people.values() {
            let stats = compose(list, *reference);
            match children.iter().position(|(_, _, child)| unit_path.starts_with(child.as_str())) {
                Some(child) => buckets[child] += &stats,
                None => own += &stats,
            }
        }
        let total = Composition::sum(buckets.iter().chain(std::iter::once(&own)));
        Ok(CompositionTree {
            unit_id,
            unit_name,
            own,
            children: children
                .into_iter()
                .zip(buckets)
                .map(|((id, name, _), stats)| (id, name, stats))
                .collect(),
            total,
            counter,
        })
    }
}

fn allocation_input(
    candidates: &[AllocationCandidate],
    setup: &AllocationSetup,
) -> Result<AllocationInput, StoreError> {
    if setup.units.is_empty() {
        return Err(StoreError::rule(
            "no_units",
            "units",
            "Chưa có đơn vị trực thuộc nào để phân bổ.",
            "There are no subordinate units to allocate among.",
        ));
    }
    let mut units = Vec::new();
    for unit in &setup.units {
        let candidate = candidates.iter().find(|c| c.unit_id == unit.unit_id).ok_or_else(|| {
            StoreError::rule(
                "not_subordinate",
                "units",
                format!("Đơn vị số {} không trực thuộc đơn vị tổ chức đại hội.", unit.unit_id),
                format!("Unit {} is not directly under the congress's unit.", unit.unit_id),
            )
        })?;
        units.push(AllocationUnit {
            name: candidate.name.clone(),
            members: u64::try_from(candidate.members).unwrap_or(0),
            ex_officio: unit.ex_officio,
            adjustment: unit.adjustment,
        });
    }
    let mut tie_decision = Vec::new();
    for id in &setup.tie_decision {
        let index = setup.units.iter().position(|u| u.unit_id == *id).ok_or_else(|| {
            StoreError::rule(
                "bad_tie_decision",
                "tie_decision",
                "Đơn vị được chọn khi bằng nhau không có trong bảng.",
                "A unit chosen for a tie is not in the table.",
            )
        })?;
        tie_decision.push(index);
    }
    Ok(AllocationInput {
        total_seats: setup.total_seats,
        units,
        base_per_unit: setup.base_per_unit,
        method: setup.method,
        alternates: if setup.alternates_per_unit == 0 {
            AlternateRule::None
        } else {
            AlternateRule::PerUnit(setup.alternates_per_unit)
        },
        tie_decision,
    })
}

async fn candidates_on(
    conn: &mut AnyConnection,
    congress_id: i64,
) -> Result<Vec<AllocationCandidate>, StoreError> {
    let congress = congress_on(conn, congress_id).await?;
    let children = sqlx::query(
        "SELECT id, name, path, sub_official FROM units WHERE parent_id = $1 AND retired = 0 \
         ORDER BY name_key, id",
    )
    .bind(congress.unit_id)
    .fetch_all(&mut *conn)
    .await?;
    let sources: Vec<String> = sqlx::query_scalar(
        "SELECT u.path FROM congress_people p JOIN units u ON u.id = p.source_unit_id \
         WHERE p.congress_id = $1 AND p.role = 'ex_officio'",
    )
    .bind(congress_id)
    .fetch_all(&mut *conn)
    .await?;
    let mut out = Vec::new();
    for row in children {
        let path: String = row.try_get("path")?;
        out.push(AllocationCandidate {
            unit_id: row.try_get("id")?,
            name: row.try_get("name")?,
            members: row.try_get("sub_official")?,
            ex_officio: sources.iter().filter(|p| p.starts_with(&path)).count() as i64,
        });
    }
    Ok(out)
}

async fn plan_on(conn: &mut AnyConnection, congress_id: i64) -> Result<PersonnelPlan, StoreError> {
    let congress: Congress = congress_on(conn, congress_id).await?;
    let row = sqlx::query(
        "SELECT campaign, level, reference_date, committee_size, standing_size, version \
         FROM personnel_plans WHERE congress_id = $1",
    )
    .bind(congress_id)
    .fetch_optional(&mut *conn)
    .await?;
    let kind: String = sqlx::query_scalar("SELECT kind FROM units WHERE id = $1")
        .bind(congress.unit_id)
        .fetch_one(&mut *conn)
        .await?;
    let level = UnitKind::parse(&kind).map(level_of).unwrap_or(Level::Grassroots);
    let campaign = Campaign::for_term_start(congress.term_start);
    Ok(match row {
        Some(row) => {
            let campaign =
                Campaign::parse(&row.try_get::<String, _>("campaign")?).unwrap_or(campaign);
            let level = Level::parse(&row.try_get::<String, _>("level")?).unwrap_or(level);
            PersonnelPlan {
                congress_id,
                campaign,
                level,
                reference_date: parse_date(row.try_get("reference_date")?)
                    .unwrap_or_else(|| campaign.reference_date(level)),
                committee_size: row.try_get("committee_size")?,
                standing_size: row.try_get("standing_size")?,
                saved: true,
                version: row.try_get("version")?,
            }
        }
        None => PersonnelPlan {
            congress_id,
            campaign,
            level,
            reference_date: campaign.reference_date(level),
            committee_size: None,
            standing_size: None,
            saved: false,
            version: 0,
        },
    })
}

async fn step_candidates_on(
    conn: &mut AnyConnection,
    congress_id: i64,
    track: StepTrack,
    step: i64,
) -> Result<Vec<Dossier>, StoreError> {
    let rows = if step <= 1 {
        sqlx::query(sqlf!(
            "SELECT {DOSSIER_COLUMNS} FROM dossiers WHERE congress_id = $1 AND incumbent = $2 \
             ORDER BY name_key, id"
        ))
        .bind(congress_id)
        .bind(i64::from(track == StepTrack::Reelection))
        .fetch_all(&mut *conn)
        .await?
    } else {
        let columns =
            DOSSIER_COLUMNS.split(", ").map(|c| format!("d.{c}")).collect::<Vec<_>>().join(", ");
        sqlx::query(sqlf!(
            "SELECT {columns} FROM dossiers d JOIN step_votes v ON v.dossier_id = d.id \
             JOIN step_meetings m ON m.id = v.meeting_id WHERE m.congress_id = $1 AND m.track = $2 \
             AND m.step = $3 AND v.carried = 1 ORDER BY d.name_key, d.id"
        ))
        .bind(congress_id)
        .bind(track.code())
        .bind(step - 1)
        .fetch_all(&mut *conn)
        .await?
    };
    Ok(rows.iter().map(dossier_from_row).collect::<Result<_, _>>()?)
}

async fn meeting_on(conn: &mut AnyConnection, id: i64) -> Result<StepMeeting, StoreError> {
    let row = sqlx::query(
        "SELECT id, congress_id, track, step, held_on, summoned, attended, places, tie_pending, \
         tie_note FROM step_meetings WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(StoreError::NotFound)?;
    let votes = sqlx::query(
        "SELECT v.dossier_id, d.full_name, v.votes, v.passed, v.carried, v.tie_decided \
         FROM step_votes v JOIN dossiers d ON d.id = v.dossier_id WHERE v.meeting_id = $1 \
         ORDER BY d.name_key, d.id",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?
    .iter()
    .map(|v| {
        Ok(StepVote {
            dossier_id: v.try_get("dossier_id")?,
            full_name: v.try_get("full_name")?,
            votes: v.try_get("votes")?,
            passed: v.try_get::<i64, _>("passed")? != 0,
            carried: v.try_get::<i64, _>("carried")? != 0,
            tie_decided: v.try_get::<i64, _>("tie_decided")? != 0,
        })
    })
    .collect::<Result<Vec<_>, sqlx::Error>>()?;
    let summoned: i64 = row.try_get("summoned")?;
    let track: String = row.try_get("track")?;
    Ok(StepMeeting {
        id: row.try_get("id")?,
        congress_id: row.try_get("congress_id")?,
        track: StepTrack::parse(&track).unwrap_or(StepTrack::Reelection),
        step: row.try_get("step")?,
        held_on: parse_date(row.try_get("held_on")?),
        summoned,
        attended: row.try_get("attended")?,
        places: row.try_get("places")?,
        threshold: summoned / 2 + 1,
        tie_pending: row.try_get::<i64, _>("tie_pending")? != 0,
        tie_note: row.try_get("tie_note")?,
        votes,
    })
}

async fn allocation_on(
    conn: &mut AnyConnection,
    congress_id: i64,
) -> Result<Option<SavedAllocation>, StoreError> {
    let Some(head) = sqlx::query(
        "SELECT total_seats, base_per_unit, method, alternates_per_unit, pool, total_members, \
         tie_units, tie_decision, tie_note, decided_by, decided_at FROM allocations WHERE congress_id = $1",
    )
    .bind(congress_id)
    .fetch_optional(&mut *conn)
    .await?
    else {
        return Ok(None);
    };
    let rows = sqlx::query(
        "SELECT unit_id, name, members, ex_officio, base, quota, proportional, adjustment, \
         elected, total, alternates, appointed FROM allocation_units WHERE congress_id = $1 \
         ORDER BY position",
    )
    .bind(congress_id)
    .fetch_all(&mut *conn)
    .await?
    .iter()
    .map(|r| {
        Ok(AllocationLine {
            unit_id: r.try_get("unit_id")?,
            name: r.try_get("name")?,
            members: r.try_get("members")?,
            ex_officio: r.try_get("ex_officio")?,
            base: r.try_get("base")?,
            quota: r.try_get("quota")?,
            proportional: r.try_get("proportional")?,
            adjustment: r.try_get("adjustment")?,
            elected: r.try_get("elected")?,
            total: r.try_get("total")?,
            alternates: r.try_get("alternates")?,
            appointed: r.try_get::<i64, _>("appointed")? != 0,
        })
    })
    .collect::<Result<Vec<_>, sqlx::Error>>()?;
    Ok(Some(SavedAllocation {
        congress_id,
        total_seats: head.try_get("total_seats")?,
        base_per_unit: head.try_get("base_per_unit")?,
        method: head.try_get("method")?,
        alternates_per_unit: head.try_get("alternates_per_unit")?,
        pool: head.try_get("pool")?,
        total_members: head.try_get("total_members")?,
        tie_units: head.try_get("tie_units")?,
        tie_decision: head.try_get("tie_decision")?,
        tie_note: head.try_get("tie_note")?,
        decided_by: head.try_get("decided_by")?,
        decided_at: head.try_get("decided_at")?,
        rows,
    }))
}

/// One delegation on a delegates' congress roster: the people one unit sends (elected,
/// appointed and alternate delegates, grouped by the delegation they sit in), or the ex-officio
/// delegates (the outgoing committee), with their composition at the congress's first day.
#[derive(Debug, Clone, Serialize)]
pub struct Delegation {
    /// The delegation's name (its unit), or the ex-officio delegates' label.
    pub name: String,
    /// Composition of the delegates and alternates together.
    pub composition: Composition,
    /// Of whom alternates.
    pub alternates: u64,
}

impl Store {
    /// The delegations of a congress roster with their composition (numbers, women, ethnic
    /// minorities, age bands at the congress's first day, education and theory level from the
    /// member records), largest first; the ex-officio delegates form their own group. Guests
    /// and the members of a members' congress are not delegates and are left out.
    pub async fn delegations(
        &self,
        congress_id: i64,
    ) -> Result<(Date, Vec<Delegation>), StoreError> {
        let congress = self.congress(congress_id).await?;
        let first_day = self.sessions(congress_id).await?.iter().filter_map(|s| s.starts_on).min();
        let mut conn = self.pool().acquire().await?;
        let reference = first_day.unwrap_or_else(|| {
            Date::from_calendar_date(congress.term_start as i32, time::Month::January, 1)
                .unwrap_or(Date::MIN)
        });
        let rows = sqlx::query(
            "SELECT p.id, p.full_name, p.birth_date, p.sex, p.ethnicity, p.delegation, p.role, \
             m.education, m.theory_level FROM congress_people p \
             LEFT JOIN members m ON m.id = p.member_id \
             WHERE p.congress_id = $1 AND p.role IN ('ex_officio', 'elected', 'appointed', 'alternate') \
             ORDER BY p.name_key, p.id",
        )
        .bind(congress_id)
        .fetch_all(&mut *conn)
        .await?;
        let mut groups: Vec<(String, Vec<Profile>, u64)> = Vec::new();
        for row in &rows {
            let role: String = row.try_get("role")?;
            let name = if role == "ex_officio" {
                "Đại biểu đương nhiên (Ban Chấp hành khóa đương nhiệm)".to_string()
            } else {
                row.try_get::<Option<String>, _>("delegation")?
                    .filter(|d| !d.trim().is_empty())
                    .unwrap_or_else(|| "Chưa ghi đoàn".to_string())
            };
            let ethnicity: Option<String> = row.try_get("ethnicity")?;
            let education: Option<String> = row.try_get("education")?;
            let theory: Option<String> = row.try_get("theory_level")?;
            let sex: Option<String> = row.try_get("sex")?;
            let profile = Profile {
                birth: parse_date(row.try_get("birth_date")?).map(Birth::Date),
                sex: sex.as_deref().and_then(Sex::parse),
                minority: ethnicity
                    .as_deref()
                    .is_some_and(|e| !e.trim().is_empty() && vn::fold(e) != "kinh"),
                incumbent: role == "ex_officio",
                education: education.as_deref().and_then(Education::parse),
                theory: theory.as_deref().and_then(TheoryLevel::parse),
                ..Profile::new(row.try_get("id")?, &row.try_get::<String, _>("full_name")?)
            };
            let alternate = u64::from(role == "alternate");
            match groups.iter_mut().find(|(n, _, _)| *n == name) {
                Some((_, people, alternates)) => {
                    people.push(profile);
                    *alternates += alternate;
                }
                None => groups.push((name, vec![profile], alternate)),
            }
        }
        let mut delegations: Vec<Delegation> = groups
            .into_iter()
            .map(|(name, people, alternates)| Delegation {
                name,
                composition: compose(&people, reference),
                alternates,
            })
            .collect();
        delegations.sort_by(|a, b| {
            b.composition
                .total
                .cmp(&a.composition.total)
                .then_with(|| vn::collation_key(&a.name).cmp(&vn::collation_key(&b.name)))
        });
        Ok((reference, delegations))
    }
}
