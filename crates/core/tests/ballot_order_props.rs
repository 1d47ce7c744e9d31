//! Properties of the ballot order: a stable permutation, idempotent, independent of the order
//! the names arrive in (except among exact duplicates), and the same for NFC and NFD text.

use daihoi_core::ballot_order::{BallotEntry, ballot_order};
use daihoi_core::vn::{PersonName, name_order_key};
use proptest::prelude::*;
use time::{Date, Month};
use unicode_normalization::UnicodeNormalization;

const FAMILIES: &[&str] = &[
    "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ",
    "Hồ", "Ngô", "Dương", "Lý",
];
const MIDDLES: &[&str] =
    &["Văn", "Thị", "Minh", "Thanh", "Thành", "Hữu", "Đức", "Quốc", "Ngọc", "Hồng"];
const GIVENS: &[&str] = &[
    "An", "Ân", "Ẩn", "Anh", "Ánh", "Bình", "Châu", "Chi", "Cường", "Dũng", "Dung", "Đức", "Hà",
    "Hạ", "Ha", "Hoa", "Hòa", "Hoà", "Hùng", "Hưng", "Lan", "Lân", "Nga", "Nhàn", "Như", "Thủy",
    "Thuỷ", "Thúy", "Tú", "Tuấn", "Út",
];
const TITLES: &[&str] = &["", "", "", "Ông ", "Bà ", "Đồng chí ", "Thượng tọa "];

/// A name text and a birth date.
fn entry() -> impl Strategy<Value = (String, Option<Date>)> {
    (
        prop::sample::select(TITLES),
        prop::sample::select(FAMILIES),
        prop::collection::vec(prop::sample::select(MIDDLES), 0..3),
        prop::sample::select(GIVENS),
        prop::option::of(0u8..4),
        prop::option::of(1960i32..1964),
    )
        .prop_map(|(title, family, middle, given, aside, year)| {
            let mut text = format!("{title}{family}");
            for word in middle {
                text.push(' ');
                text.push_str(word);
            }
            text.push(' ');
            text.push_str(given);
            if let Some(n) = aside {
                text.push_str(&format!(" (Tư {n})"));
            }
            let date = year.and_then(|y| Date::from_calendar_date(y, Month::May, 19).ok());
            (text, date)
        })
}

fn entries_of(list: &[(String, Option<Date>)]) -> Vec<BallotEntry> {
    list.iter()
        .map(|(text, birth_date)| BallotEntry {
            name: PersonName::parse(text).expect("generated names parse"),
            birth_date: *birth_date,
        })
        .collect()
}

/// What the order decides on: the name key and the birth date.
fn sort_keys(entries: &[BallotEntry], order: &[usize]) -> Vec<(Vec<u8>, Option<Date>)> {
    order.iter().map(|&i| (name_order_key(&entries[i].name), entries[i].birth_date)).collect()
}

proptest! {
    #[test]
    fn order_is_a_permutation(list in prop::collection::vec(entry(), 0..40)) {
        let mut order = ballot_order(&entries_of(&list));
        order.sort_unstable();
        prop_assert_eq!(order, (0..list.len()).collect::<Vec<_>>());
    }

    #[test]
    fn ordering_twice_changes_nothing(list in prop::collection::vec(entry(), 0..40)) {
        let entries = entries_of(&list);
        let once: Vec<BallotEntry> =
            ballot_order(&entries).into_iter().map(|i| entries[i].clone()).collect();
        prop_assert_eq!(ballot_order(&once), (0..once.len()).collect::<Vec<_>>());
    }

    #[test]
    fn order_does_not_depend_on_input_order(
        (list, shuffled) in prop::collection::vec(entry(), 0..40)
            .prop_flat_map(|list| (Just(list.clone()), Just(list).prop_shuffle()))
    ) {
        let (entries, shuffled_entries) = (entries_of(&list), entries_of(&shuffled));
        let (order, shuffled_order) = (ballot_order(&entries), ballot_order(&shuffled_entries));
        let keys = sort_keys(&entries, &order);
        prop_assert_eq!(&keys, &sort_keys(&shuffled_entries, &shuffled_order));
        // Where no two entries are duplicates for the order, even the texts agree.
        let mut distinct = keys.clone();
        distinct.dedup();
        if distinct.len() == keys.len() {
            let texts: Vec<&str> = order.iter().map(|&i| list[i].0.as_str()).collect();
            let shuffled_texts: Vec<&str> =
                shuffled_order.iter().map(|&i| shuffled[i].0.as_str()).collect();
            prop_assert_eq!(texts, shuffled_texts);
        }
    }

    #[test]
    fn nfc_and_nfd_give_the_same_order(list in prop::collection::vec(entry(), 0..40)) {
        let decomposed: Vec<(String, Option<Date>)> =
            list.iter().map(|(text, date)| (text.nfd().collect(), *date)).collect();
        prop_assert_eq!(ballot_order(&entries_of(&list)), ballot_order(&entries_of(&decomposed)));
    }

    #[test]
    fn given_name_comes_first(list in prop::collection::vec(entry(), 2..40)) {
        let entries = entries_of(&list);
        let order = ballot_order(&entries);
        for pair in order.windows(2) {
            let given = |i: usize| {
                let key = name_order_key(&entries[i].name);
                // The given name's part ends at the first part terminator 0x00.
                let end = key.iter().position(|&b| b == 0).expect("part terminator");
                key[..end].to_vec()
            };
            prop_assert!(given(pair[0]) <= given(pair[1]));
        }
    }
}
