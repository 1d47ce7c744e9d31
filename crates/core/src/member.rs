//! Party members on a unit's roster: membership, status, and the personal facts the roster keeps.

use serde::{Deserialize, Serialize};

/// Official or probationary membership (đảng viên chính thức / dự bị).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Membership {
    /// Đảng viên chính thức: votes, nominates and stands.
    Official,
    /// Đảng viên dự bị: attends without voting (Điều lệ Đảng Art. 5).
    Probationary,
}

/// A member's standing in party activity, which decides whether they count in the majority base.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MemberStatus {
    /// Sinh hoạt bình thường.
    Active,
    /// Miễn công tác và sinh hoạt đảng.
    Exempt,
    /// Sinh hoạt tạm thời ở đảng bộ khác.
    TemporarilyTransferred,
    /// Đình chỉ sinh hoạt đảng.
    Suspended,
}

/// Sex as recorded on the party file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Sex {
    /// Nam.
    Male,
    /// Nữ.
    Female,
}

macro_rules! coded_enum {
    ($ty:ident { $($variant:ident => $code:literal, $vi:literal, $en:literal, [$($alias:literal),*]);* $(;)? }) => {
        impl $ty {
            /// Every value.
            pub const ALL: &'static [$ty] = &[$($ty::$variant),*];

            /// Stable code used in files, the API and the database.
            pub fn code(self) -> &'static str {
                match self { $($ty::$variant => $code),* }
            }

            /// Vietnamese label.
            pub fn label_vi(self) -> &'static str {
                match self { $($ty::$variant => $vi),* }
            }

            /// English label.
            pub fn label_en(self) -> &'static str {
                match self { $($ty::$variant => $en),* }
            }

            /// Parses a code or a label in either language, ignoring case and diacritics.
            pub fn parse(text: &str) -> Option<$ty> {
                let folded = crate::vn::fold(text);
                $(
                    if folded == $code
                        || folded == crate::vn::fold($vi)
                        || folded == crate::vn::fold($en)
                        $(|| folded == $alias)*
                    {
                        return Some($ty::$variant);
                    }
                )*
                None
            }
        }
    };
}

coded_enum!(Membership {
    Official => "official", "Chính thức", "Official", ["ct", "chinh thuc"];
    Probationary => "probationary", "Dự bị", "Probationary", ["db", "du bi"];
});

coded_enum!(MemberStatus {
    Active => "active", "Sinh hoạt bình thường", "Active", ["binh thuong", "dang sinh hoat"];
    Exempt => "exempt", "Miễn sinh hoạt", "Exempt from activity", ["mien cong tac va sinh hoat dang", "mien sinh hoat dang"];
    TemporarilyTransferred => "temporarily_transferred", "Sinh hoạt tạm thời nơi khác", "Temporarily transferred", ["sinh hoat tam thoi", "tam chuyen"];
    Suspended => "suspended", "Đình chỉ sinh hoạt", "Suspended", ["dinh chi sinh hoat dang", "dinh chi"];
});

coded_enum!(Sex {
    Male => "male", "Nam", "Male", ["m"];
    Female => "female", "Nữ", "Female", ["f", "nu"];
});

/// Highest professional education (trình độ chuyên môn).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Education {
    /// Chưa qua đào tạo.
    None,
    /// Sơ cấp.
    Elementary,
    /// Trung cấp.
    Intermediate,
    /// Cao đẳng.
    College,
    /// Đại học.
    University,
    /// Thạc sĩ.
    Master,
    /// Tiến sĩ.
    Doctor,
}

coded_enum!(Education {
    None => "none", "Chưa qua đào tạo", "No training", [];
    Elementary => "elementary", "Sơ cấp", "Elementary", [];
    Intermediate => "intermediate", "Trung cấp", "Intermediate", [];
    College => "college", "Cao đẳng", "College", [];
    University => "university", "Đại học", "University", ["cu nhan", "ky su"];
    Master => "master", "Thạc sĩ", "Master's", ["thac sy"];
    Doctor => "doctor", "Tiến sĩ", "Doctorate", ["tien sy"];
});

/// Political theory level (trình độ lý luận chính trị).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TheoryLevel {
    /// Chưa qua đào tạo.
    None,
    /// Sơ cấp.
    Elementary,
    /// Trung cấp.
    Intermediate,
    /// Cao cấp.
    Advanced,
    /// Cử nhân.
    Bachelor,
}

coded_enum!(TheoryLevel {
    None => "none", "Chưa qua đào tạo", "None", [];
    Elementary => "elementary", "Sơ cấp", "Elementary", [];
    Intermediate => "intermediate", "Trung cấp", "Intermediate", [];
    Advanced => "advanced", "Cao cấp", "Advanced", [];
    Bachelor => "bachelor", "Cử nhân", "Bachelor", ["cu nhan chinh tri"];
});

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_labels_parse_back() {
        for status in MemberStatus::ALL {
            assert_eq!(MemberStatus::parse(status.code()), Some(*status));
            assert_eq!(MemberStatus::parse(status.label_vi()), Some(*status));
        }
        assert_eq!(Sex::parse("Nữ"), Some(Sex::Female));
        assert_eq!(Sex::parse("NAM"), Some(Sex::Male));
        assert_eq!(Membership::parse("dự bị"), Some(Membership::Probationary));
        assert_eq!(TheoryLevel::parse("Cao cấp"), Some(TheoryLevel::Advanced));
        assert_eq!(Education::parse("thạc sĩ"), Some(Education::Master));
        assert_eq!(Education::parse("phd?"), None);
    }
}
