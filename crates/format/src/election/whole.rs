//! Whole numbers in the wire formats, with messages a person can act on ("expected a whole
//! number from 0 to 4294967295" rather than "expected u32").

use std::fmt;

use serde::de::{self, Unexpected, Visitor};
use serde::{Deserialize, Deserializer};

/// A count in a file: a whole number that fits in 32 bits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct WholeNumber(pub(crate) u32);

/// A count in a result file: a whole number that fits in 64 bits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct WholeU64(pub(crate) u64);

struct WholeVisitor {
    max: u64,
}

impl Visitor<'_> for WholeVisitor {
    type Value = u64;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(formatter, "a whole number from 0 to {}", self.max)
    }

    fn visit_u64<E: de::Error>(self, value: u64) -> Result<u64, E> {
        if value > self.max {
            return Err(E::invalid_value(Unexpected::Unsigned(value), &self));
        }
        Ok(value)
    }

    fn visit_i64<E: de::Error>(self, value: i64) -> Result<u64, E> {
        u64::try_from(value)
            .map_err(|_| E::invalid_value(Unexpected::Signed(value), &self))
            .and_then(|value| self.visit_u64(value))
    }

    fn visit_u128<E: de::Error>(self, value: u128) -> Result<u64, E> {
        match u64::try_from(value) {
            Ok(value) => self.visit_u64(value),
            Err(_) => Err(E::invalid_value(Unexpected::Other("a number too large"), &self)),
        }
    }

    fn visit_i128<E: de::Error>(self, value: i128) -> Result<u64, E> {
        match u64::try_from(value) {
            Ok(value) => self.visit_u64(value),
            Err(_) => Err(E::invalid_value(Unexpected::Other("a number out of range"), &self)),
        }
    }
}

impl<'de> Deserialize<'de> for WholeNumber {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = deserializer.deserialize_u64(WholeVisitor { max: u64::from(u32::MAX) })?;
        // The visitor refused anything above u32::MAX.
        Ok(WholeNumber(u32::try_from(value).unwrap_or(u32::MAX)))
    }
}

impl<'de> Deserialize<'de> for WholeU64 {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(WholeU64(deserializer.deserialize_u64(WholeVisitor { max: u64::MAX })?))
    }
}

/// `deserialize_with` for a required `u32` field.
pub(crate) fn u32_field<'de, D: Deserializer<'de>>(deserializer: D) -> Result<u32, D::Error> {
    WholeNumber::deserialize(deserializer).map(|whole| whole.0)
}

/// `deserialize_with` for an optional `u32` field (with `#[serde(default)]`).
pub(crate) fn opt_u32_field<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<u32>, D::Error> {
    Option::<WholeNumber>::deserialize(deserializer).map(|whole| whole.map(|w| w.0))
}
