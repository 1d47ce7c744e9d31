//! The Điện Biên Phủ city party organisation as of early 2020 (congress-process.md §7): the
//! city committee under the Điện Biên provincial committee, its 12 ward and commune committees
//! and about 36 agency, school, hospital, enterprise, police and military units (48 grassroots
//! units), their cells, and about 7,000 members.
//!
//! Unit names follow the real pattern; village and residential-group names, the sizes and every
//! member except the three of the seed article are invented.

use daihoi_core::member::{Education, MemberStatus, Membership, Sex, TheoryLevel};
use daihoi_core::unit::UnitKind;
use daihoi_store::MemberInput;
use time::{Date, Month};

use crate::people::{MIX_AGENCY, MIX_PERI_URBAN, MIX_UPLAND, MIX_URBAN, MIX_VALLEY, Mix, Profile};
use crate::rng::Rng;

/// A unit of the demo tree and its members-to-be.
#[derive(Debug, Clone)]
pub struct Node {
    /// Full name.
    pub name: String,
    /// Kind.
    pub kind: UnitKind,
    /// Issuer abbreviation.
    pub issuer: &'static str,
    /// Members to generate for a cell.
    pub size: u32,
    /// Who they are.
    pub profile: Profile,
    /// Their peoples.
    pub mix: Mix,
    /// Named members written first (the seed article's people).
    pub named: Vec<MemberInput>,
    /// Units under it.
    pub children: Vec<Node>,
}

impl Node {
    fn unit(name: impl Into<String>, kind: UnitKind, issuer: &'static str) -> Node {
        Node {
            name: name.into(),
            kind,
            issuer,
            size: 0,
            profile: Profile::Agency,
            mix: MIX_AGENCY,
            named: Vec::new(),
            children: Vec::new(),
        }
    }

    fn cell(
        name: impl Into<String>,
        kind: UnitKind,
        size: u32,
        profile: Profile,
        mix: Mix,
    ) -> Node {
        Node { size, profile, mix, ..Node::unit(name, kind, "CB") }
    }

    /// Members in this node and under it.
    pub fn n_members(&self) -> u64 {
        u64::from(self.size)
            + self.named.len() as u64
            + self.children.iter().map(Node::n_members).sum::<u64>()
    }

    /// Units in this node and under it.
    pub fn n_units(&self) -> u64 {
        1 + self.children.iter().map(Node::n_units).sum::<u64>()
    }
}

struct Locality {
    name: &'static str,
    ward: bool,
    mix: Mix,
    residential: &'static [&'static str],
    villages: &'static [&'static str],
}

const LOCALITIES: &[Locality] = &[
    Locality {
        name: "Him Lam",
        ward: true,
        mix: MIX_URBAN,
        residential: &["1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "13", "14"],
        villages: &["Him Lam 1", "Him Lam 2", "Bánh"],
    },
    Locality {
        name: "Mường Thanh",
        ward: true,
        mix: MIX_URBAN,
        residential: &[
            "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "13", "14", "15", "16",
            "17", "18",
        ],
        villages: &[],
    },
    Locality {
        name: "Tân Thanh",
        ward: true,
        mix: MIX_URBAN,
        residential: &["1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12"],
        villages: &[],
    },
    Locality {
        name: "Thanh Bình",
        ward: true,
        mix: MIX_URBAN,
        residential: &["1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11"],
        villages: &[],
    },
    Locality {
        name: "Thanh Trường",
        ward: true,
        mix: MIX_URBAN,
        residential: &["1", "2", "3", "4", "5", "6", "7", "8", "9", "10"],
        villages: &["Phiêng Lơi", "Kéo"],
    },
    Locality {
        name: "Noong Bua",
        ward: true,
        mix: MIX_PERI_URBAN,
        residential: &["1", "2", "3", "4", "5", "6", "7", "8"],
        villages: &["Noong Bua", "Co Mỵ", "Noong Chứn", "Pú Tửu"],
    },
    Locality {
        name: "Nam Thanh",
        ward: true,
        mix: MIX_PERI_URBAN,
        residential: &["1", "2", "3", "4", "5", "6", "7", "8", "9", "10"],
        villages: &["Hồng Lếch Cang", "Phiêng Bua"],
    },
    Locality {
        name: "Thanh Minh",
        ward: false,
        mix: MIX_VALLEY,
        residential: &[],
        villages: &[
            "Co Củ",
            "Pa Pốm",
            "Tâu Pung",
            "Huổi Phạ",
            "Kê Nênh",
            "Nghịu",
            "Púng Tôm",
            "Xá Nhè",
            "Bó Định",
            "Tà Lèng",
            "Na Pen",
        ],
    },
    Locality {
        name: "Nà Tấu",
        ward: false,
        mix: MIX_UPLAND,
        residential: &[],
        villages: &[
            "Nà Tấu 1",
            "Nà Tấu 2",
            "Nà Pen",
            "Co Thón",
            "Nà Cọ",
            "Phiêng Ban",
            "Huổi Tắc",
            "Kéo Pháy",
            "Pá Pao",
            "Nà Láy",
            "Tà Cáng",
            "Có Hạ",
        ],
    },
    Locality {
        name: "Nà Nhạn",
        ward: false,
        mix: MIX_UPLAND,
        residential: &[],
        villages: &[
            "Nà Nhạn 1",
            "Nà Nhạn 2",
            "Nà Lơi",
            "Nà Hai",
            "Đội 1",
            "Đội 2",
            "Co Cượm",
            "Huổi Hoa",
            "Hua Pe",
            "Nà Pọng",
            "Khá",
        ],
    },
    Locality {
        name: "Mường Phăng",
        ward: false,
        mix: MIX_UPLAND,
        residential: &[],
        villages: &[
            "Phăng 1",
            "Phăng 2",
            "Che Phai 1",
            "Che Phai 2",
            "Yên",
            "Bua 1",
            "Bua 2",
            "Cang",
            "Tân Bình",
            "Khẩu Cuông",
            "Lịch Cang",
            "Xôm",
            "Co Mận",
        ],
    },
    Locality {
        name: "Pá Khoang",
        ward: false,
        mix: MIX_UPLAND,
        residential: &[],
        villages: &[
            "Co Né",
            "Pá Khoang",
            "Huổi Hua",
            "Đông Mệt 1",
            "Đông Mệt 2",
            "Co Cục",
            "Nà Táu",
            "Lọong Luông",
            "Hồng Líu",
            "Pá Ban",
        ],
    },
];

fn locality_committee(rng: &mut Rng, locality: &Locality) -> Node {
    let level = if locality.ward { "phường" } else { "xã" };
    let name = locality.name;
    let mut committee =
        Node::unit(format!("Đảng bộ {level} {name}"), UnitKind::GrassrootsCommittee, "ĐU");
    let residential = if locality.ward { Profile::Residential } else { Profile::Village };
    for group in locality.residential {
        let size = rng.between(28, 52) as u32;
        committee.children.push(Node::cell(
            format!("Chi bộ tổ dân phố {group}"),
            UnitKind::Cell,
            size,
            residential,
            locality.mix,
        ));
    }
    for village in locality.villages {
        let size = rng.between(20, 42) as u32;
        committee.children.push(Node::cell(
            format!("Chi bộ bản {village}"),
            UnitKind::Cell,
            size,
            Profile::Village,
            locality.mix,
        ));
    }
    let extras: [(String, u32, u32, Profile); 6] = [
        (format!("Chi bộ Cơ quan {level} {name}"), 16, 26, Profile::Agency),
        (format!("Chi bộ Công an {level} {name}"), 6, 12, Profile::Armed),
        (format!("Chi bộ Quân sự {level} {name}"), 5, 8, Profile::Armed),
        (format!("Chi bộ Trường Mầm non {name}"), 6, 14, Profile::School),
        (format!("Chi bộ Trường Tiểu học {name}"), 8, 18, Profile::School),
        (format!("Chi bộ Trạm Y tế {level} {name}"), 5, 8, Profile::Health),
    ];
    for (cell_name, low, high, profile) in extras {
        let size = rng.between(i64::from(low), i64::from(high)) as u32;
        committee.children.push(Node::cell(cell_name, UnitKind::Cell, size, profile, locality.mix));
    }
    committee
}

fn committee(
    rng: &mut Rng,
    name: &str,
    profile: Profile,
    mix: Mix,
    cells: &[(&str, u32, u32)],
) -> Node {
    let mut node = Node::unit(name, UnitKind::GrassrootsCommittee, "ĐU");
    node.profile = profile;
    for (cell_name, low, high) in cells {
        let size = rng.between(i64::from(*low), i64::from(*high)) as u32;
        node.children.push(Node::cell(*cell_name, UnitKind::Cell, size, profile, mix));
    }
    node
}

fn date(year: i32, month: Month, day: u8) -> Option<Date> {
    Date::from_calendar_date(year, month, day).ok()
}

/// The three people of the seed article (Hội nghị ngày 7/1/2020), with their offices; their
/// birth and joining dates are invented.
pub fn seed_people() -> Vec<MemberInput> {
    let person =
        |name: &str, birth: Option<Date>, joined: Option<Date>, office: &str| MemberInput {
            full_name: name.into(),
            birth_date: birth,
            sex: Some(Sex::Male),
            ethnicity: Some("Kinh".into()),
            joined_date: joined,
            membership: Membership::Official,
            status: MemberStatus::Active,
            education: Some(Education::University),
            theory_level: Some(TheoryLevel::Advanced),
            note: Some(office.into()),
        };
    vec![
        person(
            "Lê Tiến Dũng",
            date(1968, Month::May, 12),
            date(1993, Month::March, 3),
            "Phó Bí thư Thường trực Thành ủy",
        ),
        person(
            "Lê Quang Xuyến",
            date(1970, Month::August, 20),
            date(1996, Month::June, 15),
            "Ủy viên Ban Thường vụ, Trưởng Ban Tổ chức Thành ủy",
        ),
        person(
            "Nguyễn Hồng",
            date(1966, Month::November, 2),
            date(1990, Month::September, 1),
            "Ủy viên Ban Thường vụ, Chủ nhiệm Ủy ban Kiểm tra Thành ủy",
        ),
    ]
}

/// The name of the city's agency cell, where the seed article's people are.
pub const AGENCY_CELL: &str = "Chi bộ Cơ quan Thành ủy Điện Biên Phủ";

/// The tree under the city committee, deterministic for `seed`.
pub fn city(seed: u64) -> Node {
    let mut rng = Rng::new(seed);
    let mut city = Node::unit("Đảng bộ thành phố Điện Biên Phủ", UnitKind::District, "TU");
    for locality in LOCALITIES {
        city.children.push(locality_committee(&mut rng, locality));
    }
    city.children.push(committee(
        &mut rng,
        "Đảng bộ Cơ quan Chính quyền thành phố",
        Profile::Agency,
        MIX_AGENCY,
        &[
            ("Chi bộ Văn phòng HĐND và UBND thành phố", 14, 22),
            ("Chi bộ Phòng Tài chính – Kế hoạch", 8, 14),
            ("Chi bộ Phòng Kinh tế", 6, 12),
            ("Chi bộ Phòng Quản lý đô thị", 7, 13),
            ("Chi bộ Phòng Tài nguyên và Môi trường", 7, 12),
            ("Chi bộ Phòng Nội vụ", 6, 10),
            ("Chi bộ Phòng Lao động – Thương binh và Xã hội", 6, 11),
            ("Chi bộ Phòng Văn hóa và Thông tin", 5, 9),
            ("Chi bộ Thanh tra thành phố", 5, 9),
            ("Chi bộ Phòng Tư pháp", 4, 7),
        ],
    ));
    city.children.push(committee(
        &mut rng,
        "Đảng bộ Công an thành phố",
        Profile::Armed,
        MIX_AGENCY,
        &[
            ("Chi bộ Đội Tham mưu – Tổng hợp", 10, 16),
            ("Chi bộ Đội An ninh", 10, 16),
            ("Chi bộ Đội Cảnh sát điều tra tội phạm về trật tự xã hội", 12, 20),
            ("Chi bộ Đội Cảnh sát điều tra tội phạm về ma túy", 12, 20),
            ("Chi bộ Đội Cảnh sát giao thông – trật tự", 14, 24),
            ("Chi bộ Đội Cảnh sát quản lý hành chính về trật tự xã hội", 10, 16),
            ("Chi bộ Đội Cảnh sát thi hành án hình sự và hỗ trợ tư pháp", 8, 14),
        ],
    ));
    city.children.push(committee(
        &mut rng,
        "Đảng bộ Quân sự thành phố",
        Profile::Armed,
        MIX_AGENCY,
        &[
            ("Chi bộ Ban Chỉ huy Quân sự", 6, 10),
            ("Chi bộ Cơ quan Quân sự", 10, 16),
            ("Chi bộ Trung đội Dân quân thường trực", 8, 14),
            ("Chi bộ Hậu cần – Kỹ thuật", 6, 10),
        ],
    ));
    city.children.push(committee(
        &mut rng,
        "Đảng bộ Trung tâm Y tế thành phố",
        Profile::Health,
        MIX_AGENCY,
        &[
            ("Chi bộ Khoa Nội – Nhi", 10, 16),
            ("Chi bộ Khoa Ngoại – Sản", 10, 16),
            ("Chi bộ Khối Dự phòng", 8, 14),
            ("Chi bộ Khối Hành chính", 6, 12),
        ],
    ));
    let mut agency =
        Node::cell(AGENCY_CELL, UnitKind::GrassrootsCell, 21, Profile::Agency, MIX_AGENCY);
    agency.named = seed_people();
    city.children.push(agency);
    let grassroots_cells: &[(&str, u32, u32, Profile)] = &[
        (
            "Chi bộ Cơ quan Ủy ban Mặt trận Tổ quốc và các đoàn thể thành phố",
            14,
            24,
            Profile::Agency,
        ),
        ("Chi bộ Trung tâm Chính trị thành phố", 5, 9, Profile::Agency),
        ("Chi bộ Viện Kiểm sát nhân dân thành phố", 8, 14, Profile::Agency),
        ("Chi bộ Tòa án nhân dân thành phố", 8, 14, Profile::Agency),
        ("Chi bộ Chi cục Thi hành án dân sự thành phố", 6, 12, Profile::Agency),
        ("Chi bộ Chi cục Thuế thành phố", 12, 22, Profile::Agency),
        ("Chi bộ Kho bạc Nhà nước thành phố", 6, 11, Profile::Agency),
        ("Chi bộ Phòng Giáo dục và Đào tạo", 8, 14, Profile::Agency),
        ("Chi bộ Trung tâm Văn hóa, Thể thao và Truyền thông", 8, 14, Profile::Agency),
        ("Chi bộ Ban Quản lý dự án các công trình xây dựng", 8, 14, Profile::Agency),
        ("Chi bộ Trung tâm Phát triển quỹ đất", 5, 9, Profile::Agency),
        ("Chi bộ Đội Quản lý trật tự đô thị", 6, 11, Profile::Agency),
        ("Chi bộ Phòng Giao dịch Ngân hàng Chính sách xã hội", 5, 9, Profile::Agency),
        ("Chi bộ Bảo hiểm xã hội thành phố", 8, 14, Profile::Agency),
        ("Chi bộ Hạt Kiểm lâm thành phố", 6, 11, Profile::Agency),
        ("Chi bộ Trung tâm Giáo dục nghề nghiệp – Giáo dục thường xuyên", 8, 14, Profile::School),
        ("Chi bộ Trường THCS Him Lam", 10, 18, Profile::School),
        ("Chi bộ Trường THCS Trần Can", 10, 18, Profile::School),
        ("Chi bộ Trường THCS Thanh Bình", 10, 18, Profile::School),
        ("Chi bộ Trường THCS Nguyễn Trãi", 10, 18, Profile::School),
        ("Chi bộ Trường THCS Tân Thanh", 9, 16, Profile::School),
        ("Chi bộ Trường THCS Nam Thanh", 8, 15, Profile::School),
        ("Chi bộ Trường Tiểu học Mường Thanh", 10, 18, Profile::School),
        ("Chi bộ Trường Tiểu học Thanh Bình", 9, 16, Profile::School),
        ("Chi bộ Trường Tiểu học Tân Thanh", 9, 16, Profile::School),
        ("Chi bộ Trường Mầm non Hoa Ban", 8, 14, Profile::School),
        ("Chi bộ Trường Mầm non Hoa Hồng", 8, 14, Profile::School),
        ("Chi bộ Trường Mầm non 19-8", 8, 14, Profile::School),
        (
            "Chi bộ Công ty Cổ phần Môi trường và Dịch vụ đô thị Điện Biên Phủ",
            12,
            22,
            Profile::Enterprise,
        ),
        ("Chi bộ Công ty Cổ phần Xây dựng và Thương mại Điện Biên Phủ", 6, 12, Profile::Enterprise),
        ("Chi bộ Ban Quản lý chợ trung tâm thành phố", 5, 10, Profile::Enterprise),
    ];
    for (name, low, high, profile) in grassroots_cells {
        let size = rng.between(i64::from(*low), i64::from(*high)) as u32;
        city.children.push(Node::cell(*name, UnitKind::GrassrootsCell, size, *profile, MIX_AGENCY));
    }
    city
}

#[cfg(test)]
mod tests {
    use super::*;
    use daihoi_core::unit::{UnitFacts, check_unit};

    fn check(node: &Node, parent: Option<UnitKind>, problems: &mut Vec<String>) {
        let official = node.n_members() as i64;
        let facts = UnitFacts {
            kind: node.kind,
            parent_kind: parent,
            official,
            probationary: 0,
            counted_from_roster: true,
            n_children: node.children.len() as i64,
        };
        for finding in check_unit(&facts) {
            problems.push(format!("{}: {}", node.name, finding.message_en));
        }
        for child in &node.children {
            check(child, Some(node.kind), problems);
        }
    }

    #[test]
    fn the_city_has_48_grassroots_units_about_7000_members_and_follows_the_statute() {
        let city = city(2020);
        let grassroots = city.children.iter().filter(|c| c.kind.is_grassroots()).count();
        assert_eq!(grassroots, 48);
        let members = city.n_members();
        assert!((6_500..7_500).contains(&members), "{members} members");
        let mut problems = Vec::new();
        check(&city, Some(UnitKind::Province), &mut problems);
        assert_eq!(problems, Vec::<String>::new());
        let agency = city.children.iter().find(|c| c.name == AGENCY_CELL).unwrap();
        assert_eq!(agency.named[0].full_name, "Lê Tiến Dũng");
    }
}
