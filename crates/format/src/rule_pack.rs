//! Rule packs for people and scripts: `daihoi rules list` and `daihoi rules show` as text
//! (Vietnamese by default, English) and JSON.

use serde::Serialize;

use daihoi_core::rules::{
    Citation, Confidence, CongressType, RULE_PACKS, RulePack, RulePackId, TieBreak,
};

use crate::election::Lang;
use crate::election::result::{base_item_text, citation_text};
use daihoi_core::counting::BaseItem;

/// One line per pack: code, regulation, decision and date, status.
pub fn list_text(lang: Lang) -> String {
    let mut out = String::new();
    for pack in RULE_PACKS {
        let status = match (lang, pack.in_force, pack.id == RulePackId::default()) {
            (Lang::Vi, true, true) => "đang có hiệu lực, mặc định",
            (Lang::Vi, true, false) => "đang có hiệu lực",
            (Lang::Vi, false, _) => "đã được thay thế",
            (Lang::En, true, true) => "in force, default",
            (Lang::En, true, false) => "in force",
            (Lang::En, false, _) => "replaced",
        };
        let title = match lang {
            Lang::Vi => pack.title_vi,
            Lang::En => pack.title_en,
        };
        out.push_str(&format!(
            "{}  {title}, QĐ {} ({}) — {status}\n",
            pack.code,
            pack.document,
            date(pack.issued, lang)
        ));
    }
    out
}

/// A summary line of a pack, for `rules list --format json`.
#[derive(Debug, Serialize)]
pub struct PackSummary {
    /// `qd190-2024`.
    pub code: &'static str,
    /// `190-QĐ/TW`.
    pub document: &'static str,
    /// `YYYY-MM-DD`.
    pub issued: &'static str,
    /// Title (Vietnamese).
    pub title_vi: &'static str,
    /// Title (English).
    pub title_en: &'static str,
    /// In force.
    pub in_force: bool,
    /// The default pack of election files.
    pub default: bool,
}

/// `rules list --format json`.
pub fn list_json() -> String {
    let packs: Vec<PackSummary> = RULE_PACKS
        .iter()
        .map(|pack| PackSummary {
            code: pack.code,
            document: pack.document,
            issued: pack.issued,
            title_vi: pack.title_vi,
            title_en: pack.title_en,
            in_force: pack.in_force,
            default: pack.id == RulePackId::default(),
        })
        .collect();
    json(&packs)
}

/// `rules show CODE --format json`: the pack's data as it is.
pub fn show_json(pack: &RulePack) -> String {
    json(pack)
}

fn json<T: Serialize + ?Sized>(value: &T) -> String {
    // Static data of plain types: serialization cannot fail.
    let mut text = serde_json::to_string_pretty(value).unwrap_or_default();
    text.push('\n');
    text
}

/// `rules show CODE`: every rule of the pack with its article and how sure the reference
/// material is about it.
pub fn show_text(pack: &RulePack, lang: Lang) -> String {
    let vi = lang == Lang::Vi;
    let mut out = String::new();
    let mut line = |text: String| {
        out.push_str(&text);
        out.push('\n');
    };
    let cite = |cites: &Citation| {
        format!("{} [{}]", citation_text(cites, lang), confidence_text(cites.confidence, lang))
    };
    let (title, issuer) =
        if vi { (pack.title_vi, pack.issuer_vi) } else { (pack.title_en, pack.issuer_en) };
    line(format!("{} — {title}", pack.code));
    line(format!(
        "{} {} ({}), {issuer}; {}",
        if vi { "Ban hành kèm Quyết định" } else { "Issued with Decision" },
        pack.document,
        date(pack.issued, lang),
        match (vi, pack.in_force) {
            (true, true) => "đang có hiệu lực",
            (true, false) => "đã được thay thế",
            (false, true) => "in force",
            (false, false) => "replaced",
        }
    ));
    line(format!("{}: {}", if vi { "Hướng dẫn" } else { "Guidance" }, pack.guidance));
    line(String::new());

    line((if vi { "Điều khoản" } else { "Articles" }).to_owned());
    let articles = &pack.articles;
    let rows: [(&str, &str, &Citation); 8] = [
        ("Ban kiểm phiếu", "Counting committee", &articles.counting_committee),
        ("Phiếu bầu, hợp lệ / không hợp lệ", "Ballots and validity", &articles.ballot_validity),
        ("Tính kết quả bầu cử", "Computing results", &articles.results),
        ("Bầu đại biểu và đại biểu dự khuyết", "Delegates and alternates", &articles.delegates),
        ("Bầu tiếp khi chưa đủ đại biểu", "Further rounds for delegates", &articles.further_rounds),
        (
            "Bầu tiếp khi chưa đủ số lượng (cơ quan khác)",
            "Further rounds for other bodies",
            &articles.further_rounds_other,
        ),
        ("Số dư trong danh sách bầu cử", "Surplus on the list", &articles.surplus),
        ("Bằng phiếu ở vị trí cuối", "Tie at the last seat", &articles.tie_break),
    ];
    for (label_vi, label_en, cites) in rows {
        line(format!("  - {}: {}", if vi { label_vi } else { label_en }, cite(cites)));
    }
    line(String::new());

    line(format!(
        "{}: {} × {} > D × {}",
        if vi {
            "Trúng cử (quá một nửa, so sánh số nguyên)"
        } else {
            "Elected (more than half, integer test)"
        },
        if vi { "số phiếu" } else { "votes" },
        pack.majority.denominator,
        pack.majority.numerator
    ));
    line(String::new());

    line((if vi { "Cơ sở tính kết quả D" } else { "The base D" }).to_owned());
    for congress in CongressType::ALL {
        let rule = pack.base_rule(congress);
        let congress_name = match (congress, vi) {
            (CongressType::Members, true) => "Đại hội đảng viên",
            (CongressType::Members, false) => "Members' congress",
            (CongressType::Delegates, true) => "Đại hội đại biểu",
            (CongressType::Delegates, false) => "Delegates' congress",
            (CongressType::Conference, true) => "Hội nghị",
            (CongressType::Conference, false) => "Conference",
        };
        line(format!("  {congress_name} ({}): {}", congress.code(), cite(&rule.cites)));
        line(format!(
            "    {}",
            base_item_text(BaseItem::Summoned, rule.summoned_vi, rule.summoned_en, lang)
        ));
        for &exclusion in rule.exclusions {
            line(format!(
                "    {} ({})",
                base_item_text(BaseItem::Excluded(exclusion), "", "", lang),
                exclusion.code()
            ));
        }
    }
    line(String::new());

    let surplus = &pack.surplus;
    let required: Vec<&str> = surplus.required_for.iter().map(|kind| kind.code()).collect();
    line(format!("{}: {}", if vi { "Số dư" } else { "Surplus" }, cite(&surplus.cites)));
    line(format!(
        "  {}: {}",
        if vi { "Bắt buộc có số dư" } else { "Surplus required for" },
        required.join(", ")
    ));
    line(format!(
        "  {}: {}% {}, {} {}",
        if vi { "Tối đa" } else { "Cap" },
        surplus.cap_percent,
        if vi { "số lượng, làm tròn xuống" } else { "of the seats, rounded down" },
        if vi { "ít nhất" } else { "at least" },
        surplus.min_cap
    ));
    if let Some((low, high)) = surplus.advised_percent {
        line(format!(
            "  {}: {low}–{high}%",
            if vi {
                "Cấp ủy triệu tập chuẩn bị số dư"
            } else {
                "Convening committee prepares a surplus of"
            }
        ));
    }
    line(String::new());

    match &pack.floor_nomination {
        Some(rule) => {
            line(format!(
                "{}: {}",
                if vi {
                    "Ứng cử, đề cử tại đại hội"
                } else {
                    "Nominated at the congress"
                },
                cite(&rule.cites)
            ));
            line(format!(
                "  {} {}% {} ({} × 100 {} {} × {})",
                if vi { "Phải được hơn" } else { "Needs more than" },
                rule.percent,
                if vi { "số người có mặt đồng ý" } else { "of those present agreeing" },
                if vi { "đồng ý" } else { "agree" },
                if rule.strict { ">" } else { "≥" },
                rule.percent,
                if vi { "có mặt" } else { "present" },
            ));
        }
        None => line(
            (if vi {
                "Ứng cử, đề cử tại đại hội: quy chế này không có phép thử hơn 30% số có mặt"
            } else {
                "Nominated at the congress: this regulation has no more-than-30%-of-present test"
            })
            .to_owned(),
        ),
    }
    line(String::new());

    let tie = &pack.tie;
    line(format!("{}: {}", if vi { "Bằng phiếu" } else { "Ties" }, cite(&tie.cites)));
    match tie.tie_break {
        TieBreak::RevoteAmongTied => line(
            (if vi {
                "  Bầu lại giữa những người bằng phiếu; người nhiều phiếu hơn trúng cử, không cần quá một nửa. Không xét tuổi."
            } else {
                "  A further ballot among the tied; the highest votes win without needing more than half. Never by age."
            })
            .to_owned(),
        ),
    }
    line(
        (if vi {
            "  Bằng phiếu ở vị trí dự khuyết cuối: báo cáo để đại hội quyết định."
        } else {
            "  A tie for the last alternate place: reported for the congress to decide."
        })
        .to_owned(),
    );
    line(String::new());
    line(format!(
        "{}: {} {}",
        if vi {
            "Tỷ lệ phần trăm (chỉ để hiển thị)"
        } else {
            "Percentages (display only)"
        },
        pack.percent_decimals,
        if vi {
            "chữ số thập phân, làm tròn nửa lên"
        } else {
            "decimals, rounded half up"
        }
    ));
    line(String::new());
    line(
        (if vi {
            "Độ tin cậy: [C] đã đối chiếu nguồn; [P] một phần; [M] theo hiểu biết, chưa đối chiếu; [U] chưa xác định."
        } else {
            "Confidence: [C] confirmed in a source; [P] partly; [M] from background knowledge, not re-verified; [U] unknown."
        })
        .to_owned(),
    );
    out
}

fn confidence_text(confidence: Confidence, _lang: Lang) -> &'static str {
    confidence.tag()
}

fn date(iso: &str, lang: Lang) -> String {
    match lang {
        Lang::En => iso.to_owned(),
        Lang::Vi => {
            let parts: Vec<&str> = iso.split('-').collect();
            match parts.as_slice() {
                [year, month, day] => format!("{day}/{month}/{year}"),
                _ => iso.to_owned(),
            }
        }
    }
}
