//! JSON objects read as ordered lists of entries, so that file order is kept (the base's
//! derivation lists exclusions as given) and a key given twice is reported, not silently
//! overwritten.

use std::borrow::Cow;
use std::fmt;

use serde::de::{DeserializeSeed, MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::whole::{WholeNumber, WholeU64};

/// `electorate.excluded`: exclusion key → count, in file order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Exclusions(pub Vec<(String, u32)>);

/// A cast entry's `marks`: candidate id → mark, in file order (borrowed from the input where
/// possible).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Marks<'a>(pub Vec<(Cow<'a, str>, Cow<'a, str>)>);

/// `ballots.invalid_by_reason` of a result: reason → ballots, in report order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Counts(pub Vec<(String, u64)>);

fn serialize_entries<S, V>(entries: &[(String, V)], serializer: S) -> Result<S::Ok, S::Error>
where
    S: Serializer,
    V: Serialize,
{
    let mut map = serializer.serialize_map(Some(entries.len()))?;
    for (key, value) in entries {
        map.serialize_entry(key, value)?;
    }
    map.end()
}

impl Serialize for Exclusions {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serialize_entries(&self.0, serializer)
    }
}

impl Serialize for Marks<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (key, value) in &self.0 {
            map.serialize_entry(key, value)?;
        }
        map.end()
    }
}

impl Serialize for Counts {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serialize_entries(&self.0, serializer)
    }
}

/// Reads a JSON object into entries, values through `seed`.
struct EntriesVisitor<Seed> {
    seed: Seed,
    expecting: &'static str,
}

impl<'de, Seed> Visitor<'de> for EntriesVisitor<Seed>
where
    Seed: DeserializeSeed<'de> + Copy,
{
    type Value = Vec<(String, Seed::Value)>;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(self.expecting)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut entries = Vec::with_capacity(map.size_hint().unwrap_or(0).min(256));
        while let Some(key) = map.next_key::<String>()? {
            let value = map.next_value_seed(self.seed)?;
            entries.push((key, value));
        }
        Ok(entries)
    }
}

struct Plain<T>(std::marker::PhantomData<T>);

impl<T> Clone for Plain<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for Plain<T> {}

impl<'de, T: Deserialize<'de>> DeserializeSeed<'de> for Plain<T> {
    type Value = T;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<T, D::Error> {
        T::deserialize(deserializer)
    }
}

impl<'de> Deserialize<'de> for Exclusions {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let visitor = EntriesVisitor {
            seed: Plain::<WholeNumber>(std::marker::PhantomData),
            expecting: "an object of exclusion counts",
        };
        let entries = deserializer.deserialize_map(visitor)?;
        Ok(Exclusions(entries.into_iter().map(|(key, value)| (key, value.0)).collect()))
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for Marks<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct MarksVisitor;
        impl<'de> Visitor<'de> for MarksVisitor {
            type Value = Vec<(Cow<'de, str>, Cow<'de, str>)>;

            fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
                formatter.write_str(
                    "an object of candidate id → \"agree\", \"disagree\", \"both\" or \"none\"",
                )
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut entries = Vec::with_capacity(map.size_hint().unwrap_or(0).min(256));
                while let Some(key) = map.next_key_seed(CowStr)? {
                    let value = map.next_value_seed(CowStr)?;
                    entries.push((key, value));
                }
                Ok(entries)
            }
        }
        Ok(Marks(deserializer.deserialize_map(MarksVisitor)?))
    }
}

/// Reads a string, borrowing it from the input when it has no escapes.
#[derive(Clone, Copy)]
struct CowStr;

impl<'de> DeserializeSeed<'de> for CowStr {
    type Value = Cow<'de, str>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for CowStr {
    type Value = Cow<'de, str>;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("a string")
    }

    fn visit_borrowed_str<E: serde::de::Error>(self, text: &'de str) -> Result<Self::Value, E> {
        Ok(Cow::Borrowed(text))
    }

    fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<Self::Value, E> {
        Ok(Cow::Owned(text.to_owned()))
    }

    fn visit_string<E: serde::de::Error>(self, text: String) -> Result<Self::Value, E> {
        Ok(Cow::Owned(text))
    }
}

impl<'de> Deserialize<'de> for Counts {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let visitor = EntriesVisitor {
            seed: Plain::<WholeU64>(std::marker::PhantomData),
            expecting: "an object of counts",
        };
        let entries = deserializer.deserialize_map(visitor)?;
        Ok(Counts(entries.into_iter().map(|(key, value)| (key, value.0)).collect()))
    }
}

/// `deserialize_with` for a cast entry's `crossed`: a list of ids, borrowed from the input
/// when they have no escapes (serde's own `Cow` impl always copies).
pub(crate) fn borrowed_ids<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<Vec<Cow<'de, str>>>, D::Error> {
    struct IdsVisitor;
    impl<'de> Visitor<'de> for IdsVisitor {
        type Value = Option<Vec<Cow<'de, str>>>;

        fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
            formatter.write_str("a list of candidate ids")
        }

        fn visit_none<E: serde::de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }

        fn visit_unit<E: serde::de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }

        fn visit_some<D: Deserializer<'de>>(
            self,
            deserializer: D,
        ) -> Result<Self::Value, D::Error> {
            deserializer.deserialize_seq(self)
        }

        fn visit_seq<A: serde::de::SeqAccess<'de>>(
            self,
            mut seq: A,
        ) -> Result<Self::Value, A::Error> {
            let mut ids = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(1024));
            while let Some(id) = seq.next_element_seed(CowStr)? {
                ids.push(id);
            }
            Ok(Some(ids))
        }
    }
    deserializer.deserialize_option(IdsVisitor)
}
