//! Figures as Vietnamese documents print them: percentages with a decimal comma, computed
//! exactly from integers (never used to decide anything; the winner test stays `2 * votes > D`).

/// Count with a reason, e.g. absences or invalid ballots by reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReasonCount {
    /// The reason, e.g. `vắng có lý do`, `gạch tên quá số lượng`.
    pub reason: String,
    /// How many.
    pub count: u32,
}

impl ReasonCount {
    /// A count with its reason.
    pub fn new(reason: impl Into<String>, count: u32) -> Self {
        Self { reason: reason.into(), count }
    }
}

/// `part / whole` as a percentage with two decimals, rounded half up, with a decimal comma:
/// `54,55`. `None` when `whole` is 0.
///
/// election-rules.md §6.3: the Party texts fix no rounding; two decimals half-up follows the
/// State guidance and keeps 6 of 11 (54,55 %) visibly apart from 5 of 10 (50,00 %).
pub fn percent(part: u64, whole: u64) -> Option<String> {
    if whole == 0 {
        return None;
    }
    let part = u128::from(part);
    let whole = u128::from(whole);
    let hundredths = (2 * part * 10_000 + whole) / (2 * whole);
    Some(format!("{},{:02}", hundredths / 100, hundredths % 100))
}

/// [`percent`] with a `%` sign, or an em dash when there is no base.
pub(crate) fn percent_cell(part: u64, whole: u64) -> String {
    percent(part, whole).map_or_else(|| "\u{2014}".to_owned(), |p| format!("{p}%"))
}

/// `(có lý do: 2; không có lý do: 1)`, or an empty string for no reasons.
pub(crate) fn reasons_in_brackets(reasons: &[ReasonCount]) -> String {
    if reasons.is_empty() {
        return String::new();
    }
    let parts: Vec<String> =
        reasons.iter().map(|r| format!("{}: {}", r.reason.trim(), r.count)).collect();
    format!(" ({})", parts.join("; "))
}

pub(crate) fn sum(reasons: &[ReasonCount]) -> u64 {
    reasons.iter().map(|r| u64::from(r.count)).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentages_round_half_up_with_a_decimal_comma() {
        assert_eq!(percent(6, 11).as_deref(), Some("54,55"));
        assert_eq!(percent(5, 10).as_deref(), Some("50,00"));
        assert_eq!(percent(1, 3).as_deref(), Some("33,33"));
        assert_eq!(percent(2, 3).as_deref(), Some("66,67"));
        assert_eq!(percent(1, 8).as_deref(), Some("12,50"));
        assert_eq!(percent(1, 80_000).as_deref(), Some("0,00"));
        assert_eq!(percent(1, 40_000).as_deref(), Some("0,00"));
        assert_eq!(percent(1, 20_000).as_deref(), Some("0,01"), "0.005 % rounds up");
        assert_eq!(percent(148, 148).as_deref(), Some("100,00"));
        assert_eq!(percent(1, 0), None);
        assert_eq!(percent_cell(1, 0), "\u{2014}");
        assert_eq!(percent_cell(3, 4), "75,00%");
    }

    #[test]
    fn reasons() {
        let reasons = [ReasonCount::new("có lý do", 2), ReasonCount::new("không có lý do", 1)];
        assert_eq!(reasons_in_brackets(&reasons), " (có lý do: 2; không có lý do: 1)");
        assert_eq!(reasons_in_brackets(&[]), "");
        assert_eq!(sum(&reasons), 3);
    }

    proptest::proptest! {
        #[test]
        fn percent_is_monotonic_and_bounded(whole in 1u64..100_000, a in 0u64..100_000, b in 0u64..100_000) {
            let (a, b) = (a.min(whole), b.min(whole));
            let value = |p: &str| p.replace(',', "").parse::<u64>().unwrap();
            let (pa, pb) = (value(&percent(a, whole).unwrap()), value(&percent(b, whole).unwrap()));
            proptest::prop_assert!(pa <= 10_000);
            if a <= b { proptest::prop_assert!(pa <= pb); }
        }
    }
}
