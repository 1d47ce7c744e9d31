//! Plausible party members: Vietnamese names by ethnicity (family, middle and given names as
//! each people writes them), birth and joining dates, sex, membership, status, education.
//!
//! The mixes are rough figures for the north-west (Điện Biên) and for the country; they make
//! rosters look real, they are not statistics.

use daihoi_core::member::{Education, MemberStatus, Membership, Sex, TheoryLevel};
use daihoi_store::MemberInput;
use time::{Date, Month};

use crate::rng::Rng;

/// The peoples whose names the demo writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ethnicity {
    /// Kinh.
    Kinh,
    /// Thái.
    Thai,
    /// Mông.
    Mong,
    /// Khơ Mú.
    KhoMu,
    /// Lào.
    Lao,
    /// Hoa.
    Hoa,
}

impl Ethnicity {
    /// The name as written on the party file.
    pub fn label(self) -> &'static str {
        match self {
            Ethnicity::Kinh => "Kinh",
            Ethnicity::Thai => "Thái",
            Ethnicity::Mong => "Mông",
            Ethnicity::KhoMu => "Khơ Mú",
            Ethnicity::Lao => "Lào",
            Ethnicity::Hoa => "Hoa",
        }
    }
}

/// Who a cell's members usually are: it moves ages, sexes and schooling.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Profile {
    /// Residential groups of a ward: many retired members.
    Residential,
    /// Villages (bản, thôn): farmers, younger, less schooling.
    Village,
    /// Party, state and mass-organisation offices.
    Agency,
    /// Police and military.
    Armed,
    /// Schools: mostly women teachers.
    School,
    /// Hospitals and health stations.
    Health,
    /// Enterprises.
    Enterprise,
}

/// An ethnic mix: weights out of any total.
pub type Mix = &'static [(Ethnicity, u32)];

/// Towns and wards of Điện Biên Phủ.
pub const MIX_URBAN: Mix = &[
    (Ethnicity::Kinh, 78),
    (Ethnicity::Thai, 16),
    (Ethnicity::Hoa, 3),
    (Ethnicity::Mong, 1),
    (Ethnicity::KhoMu, 1),
    (Ethnicity::Lao, 1),
];
/// Wards with villages at their edge.
pub const MIX_PERI_URBAN: Mix = &[
    (Ethnicity::Kinh, 55),
    (Ethnicity::Thai, 38),
    (Ethnicity::Mong, 2),
    (Ethnicity::KhoMu, 2),
    (Ethnicity::Lao, 2),
    (Ethnicity::Hoa, 1),
];
/// Communes of the valley.
pub const MIX_VALLEY: Mix = &[
    (Ethnicity::Thai, 60),
    (Ethnicity::Kinh, 22),
    (Ethnicity::KhoMu, 8),
    (Ethnicity::Mong, 6),
    (Ethnicity::Lao, 4),
];
/// Upland communes.
pub const MIX_UPLAND: Mix = &[
    (Ethnicity::Thai, 50),
    (Ethnicity::Mong, 25),
    (Ethnicity::Kinh, 12),
    (Ethnicity::KhoMu, 11),
    (Ethnicity::Lao, 2),
];
/// City offices.
pub const MIX_AGENCY: Mix = &[
    (Ethnicity::Kinh, 74),
    (Ethnicity::Thai, 21),
    (Ethnicity::Mong, 2),
    (Ethnicity::KhoMu, 1),
    (Ethnicity::Hoa, 1),
    (Ethnicity::Lao, 1),
];
/// The whole country, roughly, within the names this module knows.
pub const MIX_NATIONAL: Mix = &[
    (Ethnicity::Kinh, 90),
    (Ethnicity::Thai, 5),
    (Ethnicity::Mong, 2),
    (Ethnicity::Hoa, 1),
    (Ethnicity::KhoMu, 1),
    (Ethnicity::Lao, 1),
];

const KINH_FAMILY: &[(&str, u32)] = &[
    ("Nguyễn", 300),
    ("Trần", 100),
    ("Lê", 90),
    ("Phạm", 70),
    ("Hoàng", 50),
    ("Vũ", 40),
    ("Đỗ", 40),
    ("Bùi", 40),
    ("Đặng", 30),
    ("Phan", 30),
    ("Ngô", 20),
    ("Dương", 20),
    ("Đinh", 20),
    ("Trịnh", 20),
    ("Đào", 20),
    ("Lương", 15),
    ("Hà", 15),
    ("Mai", 10),
    ("Tạ", 10),
    ("Cao", 10),
    ("Lưu", 10),
    ("Đoàn", 10),
    ("Lý", 10),
    ("Vương", 5),
    ("Quách", 5),
];
const KINH_MIDDLE_MALE: &[(&str, u32)] = &[
    ("Văn", 300),
    ("Đức", 80),
    ("Minh", 80),
    ("Quang", 60),
    ("Hữu", 50),
    ("Xuân", 50),
    ("Thanh", 50),
    ("Công", 40),
    ("Tiến", 40),
    ("Mạnh", 30),
    ("Ngọc", 30),
    ("Trung", 30),
    ("Việt", 30),
    ("Duy", 30),
    ("Anh", 20),
    ("Hồng", 20),
];
const KINH_MIDDLE_FEMALE: &[(&str, u32)] = &[
    ("Thị", 500),
    ("Thu", 50),
    ("Hồng", 40),
    ("Ngọc", 40),
    ("Thanh", 40),
    ("Minh", 30),
    ("Phương", 30),
    ("Kim", 30),
    ("Thúy", 30),
    ("Hải", 20),
    ("Mai", 20),
];
const KINH_GIVEN_MALE: &[&str] = &[
    "Anh",
    "Bình",
    "Cường",
    "Dũng",
    "Đức",
    "Giang",
    "Hải",
    "Hiếu",
    "Hòa",
    "Hoàng",
    "Hùng",
    "Hưng",
    "Huy",
    "Khánh",
    "Kiên",
    "Lâm",
    "Long",
    "Minh",
    "Nam",
    "Nghĩa",
    "Phong",
    "Phúc",
    "Quân",
    "Quang",
    "Sơn",
    "Tài",
    "Thắng",
    "Thành",
    "Thịnh",
    "Toàn",
    "Trung",
    "Tú",
    "Tuấn",
    "Tùng",
    "Việt",
    "Vinh",
    "Chiến",
    "Công",
    "Đạt",
    "Định",
    "Hà",
    "Hậu",
    "Hiệp",
    "Khải",
    "Lợi",
    "Lực",
    "Mạnh",
    "Ninh",
    "Sáng",
    "Tâm",
    "Thái",
    "Thuận",
    "Trường",
    "Tuyên",
    "Xuân",
];
const KINH_GIVEN_FEMALE: &[&str] = &[
    "Anh", "Chi", "Dung", "Duyên", "Giang", "Hà", "Hạnh", "Hằng", "Hiền", "Hoa", "Hồng", "Huệ",
    "Hương", "Hường", "Lan", "Liên", "Linh", "Loan", "Lụa", "Mai", "Nga", "Ngọc", "Nhung", "Oanh",
    "Phương", "Quỳnh", "Thảo", "Thoa", "Thu", "Thủy", "Trang", "Tuyết", "Vân", "Yến", "Hảo", "Lệ",
    "Minh", "Nguyệt", "Thanh", "Thúy", "Xuân", "Hiên", "Bích", "Diệp", "Hậu",
];
const THAI_FAMILY: &[(&str, u32)] = &[
    ("Lò", 250),
    ("Quàng", 150),
    ("Lường", 120),
    ("Cầm", 100),
    ("Tòng", 80),
    ("Điêu", 60),
    ("Lù", 50),
    ("Vì", 50),
    ("Bạc", 30),
    ("Hoàng", 30),
    ("Mè", 20),
    ("Khoàng", 20),
];
const THAI_GIVEN_MALE: &[&str] = &[
    "Pâng", "Hặc", "Ún", "Chung", "Thi", "Muôn", "Inh", "Xôm", "Pọm", "Biên", "Thanh", "Chiến",
    "Lợi", "Tương", "Xiêng", "Ọn", "Pánh", "Hoan", "Cương", "Dũng", "Hùng", "Ngoan", "Khiêm",
    "Sướng", "Bun", "Lả", "Kim", "Sinh", "Tiên", "Hiến",
];
const THAI_GIVEN_FEMALE: &[&str] = &[
    "Ơn", "Phong", "Hiên", "Ngoan", "Dung", "Mai", "Sương", "Tiên", "Lai", "Hương", "Bun", "Ín",
    "Xuân", "Thương", "Ánh", "Lả", "Pọm", "Muôn", "Hoa", "Liên", "Chiêm", "Diến", "Nhung", "Lan",
];
const MONG_FAMILY: &[(&str, u32)] = &[
    ("Giàng", 200),
    ("Vàng", 150),
    ("Thào", 120),
    ("Sùng", 100),
    ("Mùa", 80),
    ("Lầu", 60),
    ("Hạng", 50),
    ("Lý", 40),
    ("Tráng", 30),
    ("Cứ", 30),
    ("Hờ", 20),
    ("Chá", 20),
];
const MONG_MIDDLE_MALE: &[(&str, u32)] = &[("A", 600), ("Seo", 150), ("Chứ", 80), ("Văn", 170)];
const MONG_GIVEN_MALE: &[&str] = &[
    "Páo", "Dình", "Chư", "Tủa", "Lử", "Sính", "Dơ", "Vàng", "Chồng", "Pó", "Nhè", "Sử", "Giống",
    "Khua", "Chinh", "Lồng", "Xá", "Dế", "Tếnh", "Su",
];
const MONG_GIVEN_FEMALE: &[&str] =
    &["Dua", "Sông", "Mỷ", "Dế", "Pà", "Chu", "Súa", "Mai", "Xia", "Ía", "Máy", "Dợ", "Chở", "Mua"];
const KHOMU_FAMILY: &[(&str, u32)] =
    &[("Quàng", 200), ("Lò", 150), ("Vì", 120), ("Cút", 80), ("Lường", 50)];
const LAO_FAMILY: &[(&str, u32)] =
    &[("Vì", 150), ("Lò", 120), ("Lường", 100), ("Tòng", 60), ("Khăm", 30)];
const LAO_GIVEN_MALE: &[&str] =
    &["Bun", "Khăm", "Xu", "Ươi", "Phăn", "Chăn", "Nọi", "Pheng", "Sổm", "Ọn"];
const LAO_GIVEN_FEMALE: &[&str] =
    &["Bun", "Khăm", "Phon", "Chăn", "Nọi", "Kẹo", "Ín", "Oanh", "Xen"];
const HOA_FAMILY: &[(&str, u32)] = &[
    ("Lý", 100),
    ("Dương", 80),
    ("Trương", 80),
    ("Hoàng", 60),
    ("Lưu", 50),
    ("Vòng", 40),
    ("Tằng", 30),
    ("Chíu", 20),
];
const HOA_MIDDLE_MALE: &[(&str, u32)] = &[("Văn", 300), ("A", 100), ("Quốc", 50), ("Chí", 50)];
const HOA_GIVEN_MALE: &[&str] =
    &["Sáng", "Phúc", "Sìn", "Cón", "Hỷ", "Lềnh", "Cường", "Minh", "Thắng", "Quý"];
const HOA_GIVEN_FEMALE: &[&str] =
    &["Lìn", "Múi", "Mùi", "Hoa", "Mai", "Lan", "Cúc", "Ngọc", "Phương"];

/// A full name for someone of this people and sex.
pub fn full_name(rng: &mut Rng, ethnicity: Ethnicity, sex: Sex) -> String {
    let female = sex == Sex::Female;
    let (family, middle, given): (&str, &str, &str) = match ethnicity {
        Ethnicity::Kinh => (
            *rng.weighted(KINH_FAMILY),
            if female {
                *rng.weighted(KINH_MIDDLE_FEMALE)
            } else {
                *rng.weighted(KINH_MIDDLE_MALE)
            },
            if female { *rng.pick(KINH_GIVEN_FEMALE) } else { *rng.pick(KINH_GIVEN_MALE) },
        ),
        // Thái, Khơ Mú and Lào names take Văn / Thị as their middle name.
        Ethnicity::Thai => (
            *rng.weighted(THAI_FAMILY),
            if female { "Thị" } else { "Văn" },
            if female { *rng.pick(THAI_GIVEN_FEMALE) } else { *rng.pick(THAI_GIVEN_MALE) },
        ),
        Ethnicity::KhoMu => (
            *rng.weighted(KHOMU_FAMILY),
            if female { "Thị" } else { "Văn" },
            if female { *rng.pick(THAI_GIVEN_FEMALE) } else { *rng.pick(THAI_GIVEN_MALE) },
        ),
        Ethnicity::Lao => (
            *rng.weighted(LAO_FAMILY),
            if female { "Thị" } else { "Văn" },
            if female { *rng.pick(LAO_GIVEN_FEMALE) } else { *rng.pick(LAO_GIVEN_MALE) },
        ),
        Ethnicity::Mong => (
            *rng.weighted(MONG_FAMILY),
            if female { "Thị" } else { *rng.weighted(MONG_MIDDLE_MALE) },
            if female { *rng.pick(MONG_GIVEN_FEMALE) } else { *rng.pick(MONG_GIVEN_MALE) },
        ),
        Ethnicity::Hoa => (
            *rng.weighted(HOA_FAMILY),
            if female { "Thị" } else { *rng.weighted(HOA_MIDDLE_MALE) },
            if female { *rng.pick(HOA_GIVEN_FEMALE) } else { *rng.pick(HOA_GIVEN_MALE) },
        ),
    };
    format!("{family} {middle} {given}")
}

fn date_in_year(rng: &mut Rng, year: i32) -> Date {
    let day = rng.between(1, 365) as u16;
    Date::from_ordinal_date(year, day)
        .unwrap_or_else(|_| Date::from_calendar_date(year, Month::January, 1).unwrap_or(Date::MIN))
}

/// Share of women (per mille) by profile; about 37 % over the demo.
fn women_per_mille(profile: Profile) -> u64 {
    match profile {
        Profile::Residential => 400,
        Profile::Village => 300,
        Profile::Agency => 420,
        Profile::Armed => 80,
        Profile::School => 750,
        Profile::Health => 620,
        Profile::Enterprise => 300,
    }
}

/// Birth years by profile.
fn birth_years(profile: Profile) -> (i64, i64) {
    match profile {
        Profile::Residential => (1940, 1990),
        Profile::Village => (1945, 1998),
        Profile::Agency => (1960, 1995),
        Profile::Armed => (1965, 2000),
        Profile::School => (1962, 1997),
        Profile::Health => (1962, 1996),
        Profile::Enterprise => (1962, 1996),
    }
}

fn education(rng: &mut Rng, profile: Profile) -> Education {
    let weights: &[(Education, u32)] = match profile {
        Profile::Agency => &[
            (Education::University, 650),
            (Education::Master, 200),
            (Education::Doctor, 10),
            (Education::College, 60),
            (Education::Intermediate, 80),
        ],
        Profile::School => &[
            (Education::University, 700),
            (Education::College, 200),
            (Education::Master, 60),
            (Education::Intermediate, 40),
        ],
        Profile::Health => &[
            (Education::University, 450),
            (Education::College, 200),
            (Education::Intermediate, 250),
            (Education::Master, 90),
            (Education::Doctor, 10),
        ],
        Profile::Armed => &[
            (Education::University, 500),
            (Education::Intermediate, 300),
            (Education::College, 100),
            (Education::Master, 50),
            (Education::Elementary, 50),
        ],
        Profile::Enterprise => &[
            (Education::University, 400),
            (Education::College, 150),
            (Education::Intermediate, 300),
            (Education::Elementary, 100),
            (Education::None, 50),
        ],
        Profile::Residential => &[
            (Education::None, 250),
            (Education::Elementary, 100),
            (Education::Intermediate, 300),
            (Education::College, 80),
            (Education::University, 250),
            (Education::Master, 20),
        ],
        Profile::Village => &[
            (Education::None, 550),
            (Education::Elementary, 150),
            (Education::Intermediate, 200),
            (Education::College, 40),
            (Education::University, 60),
        ],
    };
    *rng.weighted(weights)
}

fn theory_level(rng: &mut Rng, profile: Profile) -> TheoryLevel {
    let weights: &[(TheoryLevel, u32)] = match profile {
        Profile::Agency | Profile::Armed => &[
            (TheoryLevel::Elementary, 300),
            (TheoryLevel::Intermediate, 450),
            (TheoryLevel::Advanced, 150),
            (TheoryLevel::Bachelor, 30),
            (TheoryLevel::None, 70),
        ],
        Profile::School | Profile::Health | Profile::Enterprise => &[
            (TheoryLevel::None, 250),
            (TheoryLevel::Elementary, 550),
            (TheoryLevel::Intermediate, 180),
            (TheoryLevel::Advanced, 20),
        ],
        Profile::Residential | Profile::Village => &[
            (TheoryLevel::None, 350),
            (TheoryLevel::Elementary, 550),
            (TheoryLevel::Intermediate, 90),
            (TheoryLevel::Advanced, 10),
        ],
    };
    *rng.weighted(weights)
}

/// A member as of early 2020: born 1940–2000, joined at 18 or later; about 5 % probationary
/// (joined in the twelve months before, Điều lệ Đảng Art. 5), a few exempt, temporarily
/// transferred or suspended.
pub fn member(rng: &mut Rng, mix: Mix, profile: Profile) -> MemberInput {
    const AS_OF_YEAR: i64 = 2020;
    let ethnicity = *rng.weighted(mix);
    let sex = if rng.chance(women_per_mille(profile)) { Sex::Female } else { Sex::Male };
    let probationary = rng.chance(50);
    let (first_year, last_year) = birth_years(profile);
    let birth_year = if probationary {
        // New members are mostly young.
        rng.between(first_year.max(1985), last_year.min(2000))
    } else {
        rng.between(first_year, last_year.min(AS_OF_YEAR - 20))
    };
    let birth_date = date_in_year(rng, birth_year as i32);
    let joined_date = if probationary {
        date_in_year(rng, 2019)
    } else {
        // Most join between 20 and 35; joining is at 18 at the earliest (Art. 1).
        let earliest = birth_year + 19;
        let latest = (AS_OF_YEAR - 2).min(birth_year + 45).max(earliest);
        let span = (latest - earliest).min(16);
        let year = earliest + rng.between(0, span);
        date_in_year(rng, year as i32)
    };
    let age = AS_OF_YEAR - birth_year;
    let status = if age >= 75 && rng.chance(250) {
        // Old members may be exempted from activity (Điều lệ Đảng Art. 7).
        MemberStatus::Exempt
    } else if rng.chance(12) {
        MemberStatus::TemporarilyTransferred
    } else if rng.chance(2) {
        MemberStatus::Suspended
    } else {
        MemberStatus::Active
    };
    MemberInput {
        full_name: full_name(rng, ethnicity, sex),
        birth_date: Some(birth_date),
        sex: Some(sex),
        ethnicity: Some(ethnicity.label().to_string()),
        joined_date: Some(joined_date),
        membership: if probationary { Membership::Probationary } else { Membership::Official },
        status,
        education: Some(education(rng, profile)),
        theory_level: Some(theory_level(rng, profile)),
        note: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn members_joined_at_eighteen_or_later_and_names_have_three_words() {
        let mut rng = Rng::new(7);
        let mut women = 0;
        let mut probationary = 0;
        for _ in 0..5_000 {
            let member = member(&mut rng, MIX_UPLAND, Profile::Village);
            let (Some(birth), Some(joined)) = (member.birth_date, member.joined_date) else {
                panic!("dates are always set");
            };
            assert!(joined.year() - birth.year() >= 18, "{member:?}");
            assert!(birth.year() >= 1940 && birth.year() <= 2000);
            assert!(joined.year() <= 2019);
            assert_eq!(member.full_name.split(' ').count(), 3, "{}", member.full_name);
            assert!(daihoi_store::validate_member(&member).is_ok());
            women += usize::from(member.sex == Some(Sex::Female));
            probationary += usize::from(member.membership == Membership::Probationary);
        }
        assert!((1_200..1_800).contains(&women), "{women} women of 5000");
        assert!((150..350).contains(&probationary), "{probationary} probationary of 5000");
    }
}
