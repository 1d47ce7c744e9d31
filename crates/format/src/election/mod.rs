//! The election file (`daihoi.election/1`) and the result file (`daihoi.result/1`): wire
//! structs, the one `resolve` step into `daihoi_core::counting`, the result document and the
//! text report a counting committee reads out (`spec/election-file.md`).
//!
//! Reading: [`parse`] (bytes → [`ElectionFile`], errors with line/column or JSON path), then
//! [`resolve`] (→ [`Election`], errors with the JSON path, e.g.
//! `ballots.cast[4].crossed: unknown candidate "c9"`). [`count`] does both and tallies.
//! Writing: [`ResultFile::from_report`] and [`text::render`].
//!
//! Readers accept fields they do not know; writers write every required field, in a fixed
//! order.

mod layout;
mod maps;
pub mod result;
pub mod text;
mod whole;

use std::borrow::Cow;
use std::fmt;

use serde::{Deserialize, Serialize};
use thiserror::Error;

use daihoi_core::counting::{
    self, BallotBox, Candidate, CandidateId, CandidateList, CastProblem, CommitteeReason,
    CongressType, CountError, Election, ElectionKind, ElectionSetup, ElectionSpec, Electorate,
    Exclusion, Mark, RoundType, RulePackId, SeatCount, TallyReport,
};
use daihoi_core::rules::RULE_PACKS;

pub use maps::{Counts, Exclusions, Marks};
pub use result::ResultFile;

/// The `format` of an election file.
pub const ELECTION_FORMAT: &str = "daihoi.election/1";
/// The `format` of a result file.
pub const RESULT_FORMAT: &str = "daihoi.result/1";

/// The language of text meant for people: Vietnamese first, English as the alternative.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Lang {
    /// Tiếng Việt (the default).
    #[default]
    Vi,
    /// English.
    En,
}

impl Lang {
    /// Reads `vi` or `en`.
    pub fn from_code(code: &str) -> Option<Lang> {
        match code {
            "vi" => Some(Lang::Vi),
            "en" => Some(Lang::En),
            _ => None,
        }
    }
}

/// An election file as written: one round of one election.
///
/// Ballot ids borrow from the input where they can (`'a`); build one in code with owned
/// strings (`"c1".to_owned().into()`) or `'static` ones.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(expecting = "an election document (daihoi.election/1)")]
pub struct ElectionFile<'a> {
    /// Always `daihoi.election/1`.
    pub format: String,
    /// The rule pack; `qd190-2024` when absent.
    #[serde(default = "default_rules")]
    pub rules: String,
    /// What is being elected, as the minutes say it.
    #[serde(default)]
    pub title: String,
    /// `committee`, `standing_committee`, `secretary`, …
    pub kind: String,
    /// `regular` (default) or `tie_break`.
    #[serde(default = "default_round_type")]
    pub round_type: String,
    /// Seats to fill in this round.
    #[serde(deserialize_with = "whole::u32_field")]
    pub seats: u32,
    /// Alternates the congress may take from a delegates round.
    #[serde(default, deserialize_with = "whole::u32_field")]
    pub alternate_seats: u32,
    /// The approved list, in ballot order.
    pub candidates: Vec<CandidateEntry>,
    /// Who votes.
    pub electorate: ElectorateEntry,
    /// The ballots.
    #[serde(borrow)]
    pub ballots: BallotsEntry<'a>,
}

fn default_rules() -> String {
    RulePackId::default().code().to_owned()
}

fn default_round_type() -> String {
    RoundType::Regular.code().to_owned()
}

/// One name on the list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CandidateEntry {
    /// Unique id.
    pub id: String,
    /// Full name.
    pub name: String,
    /// `YYYY-MM-DD`, optional. Checked, never used by the count.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub birth_date: Option<String>,
}

/// `electorate`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ElectorateEntry {
    /// `members`, `delegates` or `conference`.
    pub congress: String,
    /// Summoned (or incumbent, for a conference).
    #[serde(deserialize_with = "whole::u32_field")]
    pub summoned: u32,
    /// Present when voting.
    #[serde(deserialize_with = "whole::u32_field")]
    pub present: u32,
    /// Counts subtracted from `summoned`, in order.
    #[serde(default)]
    pub excluded: Exclusions,
}

/// `ballots`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BallotsEntry<'a> {
    /// Handed out.
    #[serde(deserialize_with = "whole::u32_field")]
    pub issued: u32,
    /// In the box.
    #[serde(deserialize_with = "whole::u32_field")]
    pub collected: u32,
    /// One entry per ballot or per group of identical ballots.
    #[serde(borrow)]
    pub cast: Vec<CastEntry<'a>>,
}

/// One cast entry: exactly one of `crossed`, `marks`, `invalid`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct CastEntry<'a> {
    /// Strike-through: the ids crossed out.
    #[serde(
        default,
        borrow,
        deserialize_with = "maps::borrowed_ids",
        skip_serializing_if = "Option::is_none"
    )]
    pub crossed: Option<Vec<Cow<'a, str>>>,
    /// Agree/disagree: id → `agree` | `disagree` | `both` | `none`.
    #[serde(default, borrow, skip_serializing_if = "Option::is_none")]
    pub marks: Option<Marks<'a>>,
    /// Ruled invalid by the committee: `not_issued`, `added_name`, `identifying_mark`, `other`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invalid: Option<String>,
    /// The committee's note: reported with an `invalid` ruling; on a ballot the committee
    /// read as valid (an ambiguous mark) it is accepted and not used by the count.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Identical ballots in this entry (1 when absent).
    #[serde(
        default,
        deserialize_with = "whole::opt_u32_field",
        skip_serializing_if = "Option::is_none"
    )]
    pub count: Option<u32>,
}

/// Why a file cannot be counted: where (line and column, or JSON path) and what.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ElectionFileError {
    /// Not JSON: the line and column (1-based) of the problem.
    #[error("line {line} column {column}: {message}")]
    Syntax {
        /// Line, from 1.
        line: usize,
        /// Column, from 1.
        column: usize,
        /// What is wrong.
        message: String,
    },
    /// A field is missing, of the wrong type, or has a value that cannot be counted.
    #[error("{text}")]
    Field {
        /// The JSON path (`ballots.cast[4].crossed`); empty for the document itself.
        path: String,
        /// The whole message, starting with the path.
        text: String,
    },
}

/// `path: message`.
fn at(path: impl Into<String>, message: impl fmt::Display) -> ElectionFileError {
    let path = path.into();
    let text = if path.is_empty() { message.to_string() } else { format!("{path}: {message}") };
    ElectionFileError::Field { path, text }
}

impl ElectionFileError {
    /// The JSON path, when the error has one.
    pub fn path(&self) -> Option<&str> {
        match self {
            ElectionFileError::Syntax { .. } => None,
            ElectionFileError::Field { path, .. } => Some(path),
        }
    }
}

/// Reads an election file (structure and types only; see [`resolve`] for the meaning).
pub fn parse(bytes: &[u8]) -> Result<ElectionFile<'_>, ElectionFileError> {
    parse_document(bytes, ELECTION_FORMAT)
}

/// Reads a result file written by [`ResultFile`]'s serializer.
pub fn parse_result(bytes: &[u8]) -> Result<ResultFile, ElectionFileError> {
    parse_document(bytes, RESULT_FORMAT)
}

/// A document with a `format` field.
trait Document {
    fn format(&self) -> &str;
}

impl Document for ElectionFile<'_> {
    fn format(&self) -> &str {
        &self.format
    }
}

impl Document for ResultFile {
    fn format(&self) -> &str {
        &self.format
    }
}

fn parse_document<'a, T: Deserialize<'a> + Document>(
    bytes: &'a [u8],
    expected_format: &str,
) -> Result<T, ElectionFileError> {
    // The fast path reads the whole document without tracking paths. A document that fails
    // is read again: first for its `format` only, so a wrong kind of document is named as such
    // before its fields are judged as an election file's, then with path tracking to say
    // where the problem is.
    let starts_with_object =
        bytes.iter().find(|byte| !byte.is_ascii_whitespace()).is_some_and(|&byte| byte == b'{');
    match serde_json::from_slice::<T>(bytes) {
        Ok(document) if starts_with_object => {
            check_format(
                vec![serde_json::Value::String(document.format().to_owned())],
                expected_format,
            )?;
            Ok(document)
        }
        Ok(_) => Err(at("", "invalid type: sequence, expected a JSON object")),
        Err(error) if error.classify() != serde_json::error::Category::Data => Err(syntax(&error)),
        Err(_) => {
            match serde_json::from_slice::<Head>(bytes) {
                Ok(head) => check_format(head.formats, expected_format)?,
                Err(error) => return Err(at("", bare_message(&error))),
            }
            Err(located_error::<T>(bytes))
        }
    }
}

/// Reads `bytes` again with path tracking and returns the error with its JSON path.
fn located_error<'a, T: Deserialize<'a>>(bytes: &'a [u8]) -> ElectionFileError {
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    let error = match serde_path_to_error::deserialize::<_, T>(&mut deserializer) {
        Ok(_) => match deserializer.end() {
            Err(error) => return syntax(&error),
            // The untracked read failed, so the tracked one does too; this is unreachable.
            Ok(()) => return at("", "the document could not be read"),
        },
        Err(error) => error,
    };
    let path = path_text(error.path());
    let inner = error.into_inner();
    if inner.classify() != serde_json::error::Category::Data {
        return syntax(&inner);
    }
    let message = bare_message(&inner);
    // "missing field `kind`" is clearer as "kind: required field is missing".
    if let Some(field) =
        message.strip_prefix("missing field `").and_then(|rest| rest.strip_suffix('`'))
    {
        let full = if path.is_empty() { field.to_owned() } else { format!("{path}.{field}") };
        return at(full, "required field is missing");
    }
    at(path, message)
}

/// The root object of a document, of which only `format` is read.
struct Head {
    formats: Vec<serde_json::Value>,
}

impl<'de> Deserialize<'de> for Head {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Head, D::Error> {
        struct HeadVisitor;
        impl<'de> serde::de::Visitor<'de> for HeadVisitor {
            type Value = Head;

            fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
                formatter.write_str("a JSON object")
            }

            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Head, A::Error> {
                let mut formats = Vec::new();
                while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
                    if key == "format" {
                        formats.push(map.next_value::<serde_json::Value>()?);
                    } else {
                        map.next_value::<serde::de::IgnoredAny>()?;
                    }
                }
                Ok(Head { formats })
            }
        }
        deserializer.deserialize_map(HeadVisitor)
    }
}

fn check_format(formats: Vec<serde_json::Value>, expected: &str) -> Result<(), ElectionFileError> {
    if formats.len() > 1 {
        return Err(at("format", "given twice"));
    }
    match formats.into_iter().next() {
        Some(serde_json::Value::String(found)) if found == expected => Ok(()),
        Some(other) => {
            let mut shown = other.to_string();
            if shown.chars().count() > 60 {
                shown = shown.chars().take(60).collect::<String>() + "…";
            }
            Err(at("format", format!("expected \"{expected}\", got {shown}")))
        }
        None => Err(at("format", "required field is missing")),
    }
}

fn syntax(error: &serde_json::Error) -> ElectionFileError {
    ElectionFileError::Syntax {
        line: error.line(),
        column: error.column(),
        message: bare_message(error),
    }
}

/// serde_json's message without its " at line L column C" suffix.
fn bare_message(error: &serde_json::Error) -> String {
    let full = error.to_string();
    let suffix = format!(" at line {} column {}", error.line(), error.column());
    full.strip_suffix(&suffix).map(str::to_owned).unwrap_or(full)
}

fn path_text(path: &serde_path_to_error::Path) -> String {
    let mut text = String::new();
    for segment in path.iter() {
        match segment {
            serde_path_to_error::Segment::Seq { index } => text.push_str(&format!("[{index}]")),
            serde_path_to_error::Segment::Map { key } => push_key(&mut text, key),
            serde_path_to_error::Segment::Enum { variant } => push_key(&mut text, variant),
            serde_path_to_error::Segment::Unknown => push_key(&mut text, "?"),
        }
    }
    text
}

fn push_key(text: &mut String, key: &str) {
    if !text.is_empty() {
        text.push('.');
    }
    text.push_str(key);
}

/// Resolves an election file into a consistent [`Election`]: looks up the rule pack, checks
/// every value and turns candidate ids into ballot positions. The first problem, in document
/// order as far as the checks allow, is returned with its JSON path.
pub fn resolve(file: &ElectionFile<'_>) -> Result<Election, ElectionFileError> {
    let Some(rules) = RulePackId::from_code(&file.rules) else {
        let known: Vec<&str> = RULE_PACKS.iter().map(|pack| pack.code).collect();
        return Err(at(
            "rules",
            format!("unknown rule pack \"{}\"; known: {}", file.rules, known.join(", ")),
        ));
    };
    let pack = rules.pack();
    let Some(kind) = ElectionKind::from_code(&file.kind) else {
        let known: Vec<&str> = ElectionKind::ALL.iter().map(|kind| kind.code()).collect();
        return Err(at(
            "kind",
            format!(
                "unknown election kind \"{}\"; expected one of {}",
                file.kind,
                known.join(", ")
            ),
        ));
    };
    let Some(round_type) = RoundType::from_code(&file.round_type) else {
        return Err(at(
            "round_type",
            format!("unknown round type \"{}\"; expected regular or tie_break", file.round_type),
        ));
    };
    let seats = SeatCount::new(file.seats).map_err(|error| at("seats", error))?;

    let mut candidates = Vec::with_capacity(file.candidates.len());
    for (position, entry) in file.candidates.iter().enumerate() {
        let id = CandidateId::new(entry.id.as_str())
            .map_err(|_| at(format!("candidates[{position}].id"), "empty"))?;
        let candidate = Candidate::new(id, entry.name.as_str())
            .map_err(|_| at(format!("candidates[{position}].name"), "empty"))?;
        if let Some(date) = &entry.birth_date {
            check_date(date)
                .map_err(|message| at(format!("candidates[{position}].birth_date"), message))?;
        }
        candidates.push(candidate);
    }
    let candidates = CandidateList::new(candidates).map_err(|error| match error {
        CountError::RepeatedCandidateId { candidate, first, id } => at(
            format!("candidates[{candidate}].id"),
            format!("repeated id \"{id}\" (also candidates[{first}].id)"),
        ),
        other => at("candidates", other),
    })?;

    let electorate = resolve_electorate(pack, &file.electorate)?;
    let setup = ElectionSetup::new(ElectionSpec {
        rules,
        title: file.title.clone(),
        kind,
        round_type,
        seats,
        alternate_seats: file.alternate_seats,
        candidates,
        electorate,
    })
    .map_err(|error| match error {
        CountError::AlternatesNotTaken { .. } => at(
            "alternate_seats",
            format!(
                "only a regular round of a delegates election takes alternates (kind is \"{}\", round_type \"{}\")",
                kind.code(),
                round_type.code()
            ),
        ),
        CountError::TooFewCandidates { names, seats } => at(
            "candidates",
            format!("{names} names for {seats} seats; a list needs at least as many names as seats"),
        ),
        CountError::TieBreakWithoutTie { names, seats } => at(
            "candidates",
            format!(
                "{names} names for {seats} seats; a tie-break round is held among more tied candidates than seats"
            ),
        ),
        other => at("", other),
    })?;

    let ballots = &file.ballots;
    let mut ballot_box =
        setup.open(ballots.issued, ballots.collected).map_err(|error| match error {
            CountError::CollectedExceedsIssued { collected, issued } => ElectionFileError::Field {
                path: "ballots.collected".to_owned(),
                text: format!("ballots.collected ({collected}) exceeds ballots.issued ({issued})"),
            },
            other => at("ballots", other),
        })?;
    for (entry_index, entry) in ballots.cast.iter().enumerate() {
        push_entry(&mut ballot_box, entry_index, entry)?;
    }
    ballot_box.close().map_err(|error| match error {
        CountError::CastCountMismatch { counted, collected } => at(
            "ballots.cast",
            format!("counts add up to {counted} but ballots.collected is {collected}"),
        ),
        other => at("ballots", other),
    })
}

fn resolve_electorate(
    pack: &'static daihoi_core::rules::RulePack,
    entry: &ElectorateEntry,
) -> Result<Electorate, ElectionFileError> {
    let Some(congress) = CongressType::from_code(&entry.congress) else {
        return Err(at(
            "electorate.congress",
            format!(
                "unknown congress type \"{}\"; expected members, delegates or conference",
                entry.congress
            ),
        ));
    };
    let allowed = pack.base_rule(congress).exclusions;
    let allowed_text =
        || allowed.iter().map(|exclusion| exclusion.code()).collect::<Vec<_>>().join(", ");
    let mut excluded = Vec::with_capacity(entry.excluded.0.len());
    for (key, amount) in &entry.excluded.0 {
        let exclusion = Exclusion::from_code(key).filter(|exclusion| allowed.contains(exclusion));
        let Some(exclusion) = exclusion else {
            return Err(at(
                format!("electorate.excluded.{key}"),
                format!(
                    "not an exclusion for a {} congress; expected one of {}",
                    congress.code(),
                    allowed_text()
                ),
            ));
        };
        excluded.push((exclusion, *amount));
    }
    Electorate::new(pack, congress, entry.summoned, entry.present, &excluded).map_err(|error| {
        match error {
            CountError::NobodySummoned => at("electorate.summoned", "must be at least 1"),
            CountError::RepeatedExclusion { exclusion } => {
                at(format!("electorate.excluded.{}", exclusion.code()), "given twice")
            }
            CountError::ExclusionNotForCongress { exclusion, congress } => at(
                format!("electorate.excluded.{}", exclusion.code()),
                format!(
                    "not an exclusion for a {} congress; expected one of {}",
                    congress.code(),
                    allowed_text()
                ),
            ),
            CountError::ExclusionsExceedSummoned { excluded, summoned } => at(
                "electorate.excluded",
                format!(
                    "exclusions add up to {excluded}, more than electorate.summoned ({summoned})"
                ),
            ),
            CountError::ZeroBase => at(
                "electorate.excluded",
                "the base D is 0 (everyone summoned is excluded); nobody can be elected",
            ),
            other => at("electorate", other),
        }
    })
}

fn push_entry(
    ballot_box: &mut BallotBox,
    entry_index: usize,
    entry: &CastEntry<'_>,
) -> Result<(), ElectionFileError> {
    // The entry's path, built only when there is an error to report.
    let base = || format!("ballots.cast[{entry_index}]");
    let count = entry.count.unwrap_or(1);
    let outcome = match (&entry.crossed, &entry.marks, &entry.invalid) {
        (Some(crossed), None, None) => ballot_box
            .push_crossed(crossed.iter().map(|id| id.as_ref()), count)
            .map_err(|error| (error, "crossed")),
        (None, Some(marks), None) => {
            let mut resolved = Vec::with_capacity(marks.0.len());
            for (id, code) in &marks.0 {
                let Some(mark) = Mark::from_code(code) else {
                    return Err(at(
                        format!("{}.marks.{id}", base()),
                        format!("unknown mark \"{code}\"; expected agree, disagree, both or none"),
                    ));
                };
                resolved.push((id.as_ref(), mark));
            }
            ballot_box.push_marks(resolved, count).map_err(|error| (error, "marks"))
        }
        (None, None, Some(reason)) => {
            let Some(reason) = CommitteeReason::from_code(reason) else {
                return Err(at(
                    format!("{}.invalid", base()),
                    format!(
                        "unknown reason \"{reason}\"; expected not_issued, added_name, identifying_mark or other"
                    ),
                ));
            };
            ballot_box
                .push_invalid(reason, entry.note.clone(), count)
                .map_err(|error| (error, "invalid"))
        }
        _ => {
            return Err(at(base(), "needs exactly one of \"crossed\", \"marks\" or \"invalid\""));
        }
    };
    outcome.map_err(|(error, field)| match error {
        CountError::Cast { problem: CastProblem::ZeroCount, .. } => {
            at(format!("{}.count", base()), "must be at least 1")
        }
        CountError::Cast { problem, .. } => at(format!("{}.{field}", base()), problem),
        other => at(base(), other),
    })
}

/// Checks a `YYYY-MM-DD` calendar date.
fn check_date(text: &str) -> Result<(), String> {
    let description = time::macros::format_description!("[year]-[month]-[day]");
    time::Date::parse(text, &description)
        .map(|_| ())
        .map_err(|_| format!("not a date in the form YYYY-MM-DD: \"{text}\""))
}

/// Reads and resolves an election file.
pub fn read_election(bytes: &[u8]) -> Result<Election, ElectionFileError> {
    resolve(&parse(bytes)?)
}

/// Reads, resolves and counts an election file: the one entry point from bytes to a report.
pub fn count(bytes: &[u8]) -> Result<TallyReport, ElectionFileError> {
    Ok(counting::tally(&read_election(bytes)?))
}
