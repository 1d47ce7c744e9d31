//! Synthetic unit trees of any size, deterministic for a seed, written in one bulk
//! transaction: for benchmarks and load tests.
//!
//! For a large `units` the tree has the national shape of late 2025 (congress-process.md §2.2):
//! about 40 units under the Central Committee (34 provinces and cities, four central blocs, the
//! Army, Public Security), about 3,300 commune committees under the provinces, about 50,000
//! grassroots units (a third of them committees with cells) and about 300,000 cells for 350,000
//! units; smaller trees keep the proportions. Every cell and grassroots cell gets about
//! `members_per_unit` members (±⅓); `--units 350000 --members-per-unit 17` gives about 5.6
//! million members, the national figure.

use daihoi_core::unit::UnitKind;
use daihoi_store::{Actor, BulkSource, BulkSummary, BulkUnit, Store, StoreError};

use crate::people::{self, MIX_NATIONAL, Profile};
use crate::rng::Rng;

/// What to generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GenerateOptions {
    /// Units in the tree, the root included (at least 2).
    pub units: u64,
    /// Average members per cell and grassroots cell.
    pub members_per_unit: u64,
    /// Seed of every random choice.
    pub seed: u64,
}

/// How far a generation has got, for a progress bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GenerateProgress {
    /// Units written so far.
    pub units: u64,
    /// Members written so far.
    pub members: u64,
    /// Rows expected in all (units plus about `members_per_unit` per cell).
    pub expected_rows: u64,
    /// True once every row is written and the totals and indexes are being settled.
    pub finishing: bool,
}

/// Why a tree could not be generated.
#[derive(Debug, thiserror::Error)]
pub enum GenerateError {
    /// The database already holds units: a synthetic tree goes into an empty one only.
    #[error("the database already holds units; generate into an empty database")]
    NotEmpty,
    /// The options cannot make a tree.
    #[error("{0}")]
    BadOptions(String),
    /// The database failed; nothing was written.
    #[error(transparent)]
    Store(#[from] StoreError),
}

const PROVINCES: &[&str] = &[
    "thành phố Hà Nội",
    "thành phố Hồ Chí Minh",
    "thành phố Hải Phòng",
    "thành phố Đà Nẵng",
    "thành phố Cần Thơ",
    "thành phố Huế",
    "tỉnh Lai Châu",
    "tỉnh Điện Biên",
    "tỉnh Sơn La",
    "tỉnh Lạng Sơn",
    "tỉnh Quảng Ninh",
    "tỉnh Thanh Hóa",
    "tỉnh Nghệ An",
    "tỉnh Hà Tĩnh",
    "tỉnh Cao Bằng",
    "tỉnh Tuyên Quang",
    "tỉnh Lào Cai",
    "tỉnh Thái Nguyên",
    "tỉnh Phú Thọ",
    "tỉnh Bắc Ninh",
    "tỉnh Hưng Yên",
    "tỉnh Ninh Bình",
    "tỉnh Quảng Trị",
    "tỉnh Quảng Ngãi",
    "tỉnh Gia Lai",
    "tỉnh Khánh Hòa",
    "tỉnh Lâm Đồng",
    "tỉnh Đắk Lắk",
    "tỉnh Đồng Nai",
    "tỉnh Tây Ninh",
    "tỉnh Vĩnh Long",
    "tỉnh Đồng Tháp",
    "tỉnh Cà Mau",
    "tỉnh An Giang",
];

const OTHER_TOP: &[(&str, UnitKind)] = &[
    ("Đảng bộ Quân đội", UnitKind::Army),
    ("Đảng bộ Công an Trung ương", UnitKind::PublicSecurity),
    ("Đảng bộ các cơ quan Đảng Trung ương", UnitKind::CentralBloc),
    ("Đảng bộ Chính phủ", UnitKind::CentralBloc),
    ("Đảng bộ Quốc hội", UnitKind::CentralBloc),
    ("Đảng bộ Mặt trận Tổ quốc, các đoàn thể Trung ương", UnitKind::CentralBloc),
];

const SYLLABLES: &[&str] = &[
    "An", "Bình", "Hòa", "Tân", "Phú", "Thịnh", "Hưng", "Long", "Thanh", "Xuân", "Minh", "Đông",
    "Tây", "Nam", "Bắc", "Quang", "Phúc", "Thuận", "Yên", "Lạc", "Sơn", "Hải", "Trung", "Vĩnh",
    "Đức", "Thái", "Mỹ", "Hiệp", "Thạch", "Kim", "Lợi", "Tiến", "Cường", "Nghĩa", "Lộc", "Hà",
    "Khánh", "Phong", "Định", "Thành",
];

const DEPARTMENTS: &[&str] = &[
    "Tài chính",
    "Xây dựng",
    "Nông nghiệp và Môi trường",
    "Y tế",
    "Giáo dục và Đào tạo",
    "Nội vụ",
    "Tư pháp",
    "Công Thương",
    "Khoa học và Công nghệ",
    "Văn hóa, Thể thao và Du lịch",
    "Dân tộc và Tôn giáo",
    "Ngoại vụ",
];

const SECTIONS: &[&str] = &[
    "Văn phòng",
    "Phòng Tổ chức – Hành chính",
    "Phòng Kế hoạch – Tài chính",
    "Phòng Nghiệp vụ",
    "Phòng Thanh tra",
    "Phòng Kỹ thuật",
    "Khoa Nội",
    "Khoa Ngoại",
    "Khoa Sản",
    "Khoa Nhi",
    "Tổ Ngữ văn",
    "Tổ Toán – Tin",
    "Tổ Khoa học xã hội",
    "Phân xưởng",
    "Đội",
    "Đại đội",
];

fn place(rng: &mut Rng) -> String {
    let first = rng.pick(SYLLABLES);
    let mut second = rng.pick(SYLLABLES);
    while second == first {
        second = rng.pick(SYLLABLES);
    }
    format!("{first} {second}")
}

/// `total` spread over `count` parts: part `index` gets its share, the first ones one more.
fn share(total: u64, count: u64, index: u64) -> u64 {
    if count == 0 {
        return 0;
    }
    total / count + u64::from(index < total % count)
}

/// How many units of each level a tree of `units` units has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shape {
    /// Units under the root.
    pub top: u64,
    /// Commune committees under the provinces.
    pub communes: u64,
    /// Grassroots committees (with cells).
    pub committees: u64,
    /// Grassroots cells.
    pub grassroots_cells: u64,
    /// Cells under communes.
    pub commune_cells: u64,
    /// Cells under grassroots committees.
    pub committee_cells: u64,
}

impl Shape {
    /// The shape of a tree of `units` units (root included).
    pub fn of(units: u64) -> Shape {
        let units = units.max(2);
        // About 40 under the root for the national 350,000; fewer, by the square root, below.
        let top = ((units.isqrt() * 10 + 74) / 148).clamp(1, 40).min(units - 1);
        let rest = units - 1 - top;
        let mut communes = rest * 95 / 10_000;
        if communes == 0 && rest >= 20 {
            communes = 1;
        }
        let grassroots = rest * 143 / 1_000;
        let mut cells = rest - communes - grassroots;
        // A third of the grassroots units are committees (they have the cells under them).
        let mut committees = grassroots / 20 * 7 + (grassroots % 20).min(7);
        let mut grassroots_cells = grassroots - committees;
        if communes == 0 && committees == 0 {
            // Too small for cells under anything: they are grassroots cells.
            grassroots_cells += cells;
            cells = 0;
        }
        if cells == 0 && committees > 0 {
            // A committee needs cells; without any it is a grassroots cell.
            grassroots_cells += committees;
            committees = 0;
        }
        let commune_cells = if committees == 0 {
            cells
        } else if communes == 0 {
            0
        } else {
            cells / 3
        };
        Shape {
            top,
            communes,
            committees,
            grassroots_cells,
            commune_cells,
            committee_cells: cells - commune_cells,
        }
    }

    /// Units in all.
    pub fn units(&self) -> u64 {
        1 + self.top
            + self.communes
            + self.committees
            + self.grassroots_cells
            + self.commune_cells
            + self.committee_cells
    }

    /// Units that get members (cells and grassroots cells).
    pub fn rostered(&self) -> u64 {
        self.grassroots_cells + self.commune_cells + self.committee_cells
    }
}

struct Writer<'a> {
    bulk: daihoi_store::Bulk,
    tx: daihoi_store::WriteTx,
    rng: Rng,
    members_per_unit: u64,
    progress: &'a dyn Fn(GenerateProgress),
    expected_rows: u64,
    committees_written: u64,
    grassroots_written: u64,
    shape: Shape,
}

impl Writer<'_> {
    async fn unit(&mut self, parent: i64, name: String, kind: UnitKind) -> Result<i64, StoreError> {
        let id = self.bulk.add_unit(&mut self.tx, Some(parent), BulkUnit::new(name, kind)).await?;
        let written = self.bulk.n_units() + self.bulk.n_members();
        if written.is_multiple_of(8_192) {
            self.report(false);
        }
        Ok(id)
    }

    fn report(&self, finishing: bool) {
        (self.progress)(GenerateProgress {
            units: self.bulk.n_units(),
            members: self.bulk.n_members(),
            expected_rows: self.expected_rows,
            finishing,
        });
    }

    async fn roster(&mut self, unit: i64, profile: Profile) -> Result<(), StoreError> {
        let mut rng = self.rng.fork(unit as u64);
        let spread = (self.members_per_unit / 3) as i64;
        let average = self.members_per_unit as i64;
        let count =
            if average == 0 { 0 } else { rng.between(average - spread, average + spread).max(3) };
        for _ in 0..count {
            let member = people::member(&mut rng, MIX_NATIONAL, profile);
            self.bulk.add_member(&mut self.tx, unit, member).await?;
            if self.bulk.n_members().is_multiple_of(8_192) {
                self.report(false);
            }
        }
        Ok(())
    }

    /// One grassroots unit (committee with cells, or grassroots cell) under `parent`.
    async fn grassroots(
        &mut self,
        parent: i64,
        in_commune: bool,
        army: bool,
    ) -> Result<(), StoreError> {
        let index = self.grassroots_written;
        self.grassroots_written += 1;
        let is_committee = index % 20 < 7 && self.committees_written < self.shape.committees;
        let mut rng = self.rng.fork(0x6772_0000 + index);
        let where_ = place(&mut rng);
        let (name, profile) = match (is_committee, in_commune, army, rng.below(4)) {
            (_, _, true, n) => (
                format!(
                    "{} {} {where_}",
                    if is_committee { "Đảng bộ" } else { "Chi bộ" },
                    ["Sư đoàn", "Trung đoàn", "Lữ đoàn", "Bộ Chỉ huy"][n as usize]
                ),
                Profile::Armed,
            ),
            (true, true, _, 0) => (format!("Đảng bộ Trường THPT {where_}"), Profile::School),
            (true, true, _, 1) => (format!("Đảng bộ Bệnh viện Đa khoa {where_}"), Profile::Health),
            (true, true, _, _) => {
                (format!("Đảng bộ Công ty Cổ phần {where_}"), Profile::Enterprise)
            }
            (true, false, _, 0) => {
                (format!("Đảng bộ Sở {}", rng.pick(DEPARTMENTS)), Profile::Agency)
            }
            (true, false, _, 1) => (format!("Đảng bộ Trường Đại học {where_}"), Profile::School),
            (true, false, _, _) => (format!("Đảng bộ Tổng công ty {where_}"), Profile::Enterprise),
            (false, true, _, 0) => (format!("Chi bộ Trường Tiểu học {where_}"), Profile::School),
            (false, true, _, 1) => (format!("Chi bộ Trạm Y tế {where_}"), Profile::Health),
            (false, true, _, 2) => (format!("Chi bộ Trường Mầm non {where_}"), Profile::School),
            (false, true, _, _) => (format!("Chi bộ Hợp tác xã {where_}"), Profile::Enterprise),
            (false, false, _, 0) => (format!("Chi bộ Chi cục {where_}"), Profile::Agency),
            (false, false, _, 1) => (format!("Chi bộ Trung tâm {where_}"), Profile::Agency),
            (false, false, _, _) => (format!("Chi bộ Công ty TNHH {where_}"), Profile::Enterprise),
        };
        if is_committee {
            let committee_index = self.committees_written;
            self.committees_written += 1;
            let id = self.unit(parent, name, UnitKind::GrassrootsCommittee).await?;
            let n_cells = share(self.shape.committee_cells, self.shape.committees, committee_index);
            for cell in 0..n_cells {
                let section = rng.pick(SECTIONS);
                let cell_id =
                    self.unit(id, format!("Chi bộ {section} {}", cell + 1), UnitKind::Cell).await?;
                self.roster(cell_id, profile).await?;
            }
        } else {
            let id = self.unit(parent, name, UnitKind::GrassrootsCell).await?;
            self.roster(id, profile).await?;
        }
        Ok(())
    }
}

/// Generates a tree into an empty database, in one transaction with one audit entry
/// (`tree.generate`); `progress` is called every few thousand rows.
pub async fn generate(
    store: &Store,
    options: GenerateOptions,
    progress: &dyn Fn(GenerateProgress),
) -> Result<BulkSummary, GenerateError> {
    if options.units < 2 {
        return Err(GenerateError::BadOptions("--units must be at least 2".into()));
    }
    if !store.is_empty().await? {
        return Err(GenerateError::NotEmpty);
    }
    let shape = Shape::of(options.units);
    let mut tx = store.begin_bulk_write(&Actor::system("generate")).await?;
    let bulk = store.begin_bulk(&mut tx, true).await?;
    let expected_rows = shape.units() + shape.rostered() * options.members_per_unit;
    let mut writer = Writer {
        bulk,
        tx,
        rng: Rng::new(options.seed),
        members_per_unit: options.members_per_unit,
        progress,
        expected_rows,
        committees_written: 0,
        grassroots_written: 0,
        shape,
    };
    let root = writer
        .bulk
        .add_unit(
            &mut writer.tx,
            None,
            BulkUnit {
                issuer_abbrev: Some("TW".into()),
                ..BulkUnit::new("Ban Chấp hành Trung ương", UnitKind::Central)
            },
        )
        .await?;
    // Top-level units: provinces first, then the Army, Public Security and the blocs.
    let mut tops: Vec<(String, UnitKind)> = PROVINCES
        .iter()
        .map(|name| (format!("Đảng bộ {name}"), UnitKind::Province))
        .chain(OTHER_TOP.iter().map(|(name, kind)| (name.to_string(), *kind)))
        .collect();
    tops.truncate(shape.top as usize);
    let n_provinces = tops.iter().filter(|(_, kind)| *kind == UnitKind::Province).count() as u64;
    let grassroots = shape.committees + shape.grassroots_cells;
    // 60 % of grassroots units sit under communes (schools, health stations, cooperatives),
    // the rest directly under the top-level units (departments, enterprises, armed forces).
    let in_communes = if shape.communes == 0 { 0 } else { grassroots * 6 / 10 };
    let at_top = grassroots - in_communes;
    let mut commune_index = 0;
    for (top_index, (name, kind)) in tops.iter().enumerate() {
        let top_index = top_index as u64;
        let top = writer.unit(root, name.clone(), *kind).await?;
        if *kind == UnitKind::Province {
            for _ in 0..share(shape.communes, n_provinces, top_index) {
                let mut rng = writer.rng.fork(0x636f_0000 + commune_index);
                let ward = rng.chance(200);
                let where_ = place(&mut rng);
                let level = if ward { "phường" } else { "xã" };
                let commune = writer
                    .unit(top, format!("Đảng bộ {level} {where_}"), UnitKind::Commune)
                    .await?;
                for cell in 0..share(shape.commune_cells, shape.communes, commune_index) {
                    let cell_name = if ward {
                        format!("Chi bộ tổ dân phố {}", cell + 1)
                    } else if rng.chance(300) {
                        format!("Chi bộ bản {}", place(&mut rng))
                    } else {
                        format!("Chi bộ thôn {}", place(&mut rng))
                    };
                    let cell_id = writer.unit(commune, cell_name, UnitKind::Cell).await?;
                    let profile = if ward { Profile::Residential } else { Profile::Village };
                    writer.roster(cell_id, profile).await?;
                }
                for _ in 0..share(in_communes, shape.communes, commune_index) {
                    writer.grassroots(commune, true, false).await?;
                }
                commune_index += 1;
            }
        }
        let army = matches!(kind, UnitKind::Army | UnitKind::PublicSecurity);
        for _ in 0..share(at_top, shape.top, top_index) {
            writer.grassroots(top, false, army).await?;
        }
    }
    writer.report(true);
    let Writer { mut tx, bulk, .. } = writer;
    let summary = bulk
        .finish(
            &mut tx,
            BulkSource {
                action: "tree.generate",
                file_name: format!(
                    "generate --units {} --members-per-unit {} --seed {}",
                    options.units, options.members_per_unit, options.seed
                ),
                sha256: None,
                rows: summary_rows(&shape, options.members_per_unit),
                unit_id: Some(root),
            },
        )
        .await?;
    tx.commit().await?;
    Ok(summary)
}

fn summary_rows(shape: &Shape, members_per_unit: u64) -> u64 {
    shape.units() + shape.rostered() * members_per_unit
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_national_shape_and_its_small_versions() {
        let national = Shape::of(350_000);
        assert_eq!(national.units(), 350_000);
        assert_eq!(national.top, 40);
        assert!((3_200..3_400).contains(&national.communes), "{national:?}");
        assert!((48_000..52_000).contains(&(national.committees + national.grassroots_cells)));
        assert!((290_000..300_000).contains(&(national.commune_cells + national.committee_cells)));
        for units in [2, 3, 10, 50, 100, 1_000, 12_345] {
            let shape = Shape::of(units);
            assert_eq!(shape.units(), units, "{shape:?}");
            assert!(shape.top >= 1);
            if shape.committees > 0 {
                assert!(shape.committee_cells >= shape.committees, "{shape:?}");
            }
        }
        assert_eq!(share(10, 3, 0), 4);
        assert_eq!((0..3).map(|i| share(10, 3, i)).sum::<u64>(), 10);
    }
}
