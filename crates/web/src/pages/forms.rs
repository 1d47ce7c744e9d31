//! Form handling shared by the registry pages: url-encoded fields (repeated ones too), numbers
//! and dates as people type them, and field errors for the error summary at the top of a form
//! and the message beside each field (the GOV.UK pattern).

use axum::extract::{FromRequest, Request};
use axum::response::{IntoResponse, Response};
use daihoi_store::StoreError;
use serde::Serialize;
use time::{Date, Month};

use crate::Lang;

/// The fields of a submitted url-encoded form, in order, repeated names kept.
#[derive(Debug, Clone, Default)]
pub struct FormData {
    pairs: Vec<(String, String)>,
}

impl<S: Send + Sync> FromRequest<S> for FormData {
    type Rejection = Response;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        let axum::Form(pairs) = axum::Form::<Vec<(String, String)>>::from_request(request, state)
            .await
            .map_err(IntoResponse::into_response)?;
        Ok(FormData { pairs })
    }
}

impl FormData {
    /// A form from pairs.
    #[cfg(test)]
    pub fn from_pairs(pairs: Vec<(String, String)>) -> FormData {
        FormData { pairs }
    }

    /// The first value of a field, trimmed; empty when absent.
    pub fn get(&self, name: &str) -> &str {
        self.pairs.iter().find(|(key, _)| key == name).map(|(_, value)| value.trim()).unwrap_or("")
    }

    /// The first value of a field, untrimmed (passwords).
    pub fn raw(&self, name: &str) -> &str {
        self.pairs
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
            .unwrap_or("")
    }

    /// Every non-empty value of a repeated field (checkboxes).
    pub fn all(&self, name: &str) -> Vec<&str> {
        self.pairs
            .iter()
            .filter(|(key, value)| key == name && !value.trim().is_empty())
            .map(|(_, value)| value.trim())
            .collect()
    }
}

/// One problem with one field.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct FieldError {
    /// The id of the input the message belongs to (the summary links to `#field`).
    pub field: String,
    /// The message, in the page's language.
    pub message: String,
}

/// The problems of a submitted form, in the order of the fields.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FieldErrors {
    list: Vec<FieldError>,
}

impl FieldErrors {
    /// No problem yet.
    pub fn new() -> FieldErrors {
        FieldErrors::default()
    }

    /// Records a problem; only the first problem of a field is kept.
    pub fn add(&mut self, field: &str, message: impl Into<String>) {
        if !self.list.iter().any(|error| error.field == field) {
            self.list.push(FieldError { field: field.to_string(), message: message.into() });
        }
    }

    /// Records a problem in the page's language.
    pub fn add_tr(&mut self, lang: Lang, field: &str, vi: &str, en: &str) {
        self.add(field, lang.pick(vi, en));
    }

    /// Whether the form is free of problems.
    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    /// The problems, in order.
    pub fn list(&self) -> &[FieldError] {
        &self.list
    }

    /// The template value: `list` for the summary and `by_field` for the messages beside fields.
    pub fn to_value(&self) -> minijinja::Value {
        let by_field: std::collections::BTreeMap<&str, &str> =
            self.list.iter().map(|error| (error.field.as_str(), error.message.as_str())).collect();
        minijinja::context! { list => minijinja::value::Serde(self.list.clone()), by_field => minijinja::value::Serde(by_field) }
    }
}

/// What a store refusal means for a form: a message beside a field, or a whole-form message.
#[derive(Debug)]
pub enum Refusal {
    /// The store refused a value: show it at this input.
    Field(FieldError),
    /// Someone else changed the record first.
    Stale(String),
    /// Anything else is an error page.
    Other(StoreError),
}

/// Sorts a store error into a form problem. `input_of` maps the store's field names (`official`,
/// `parent`, …) to the ids of this form's inputs.
pub fn refusal(error: StoreError, lang: Lang, input_of: impl Fn(&str) -> &'static str) -> Refusal {
    match error {
        StoreError::Rule { field, message_vi, message_en, .. } => Refusal::Field(FieldError {
            field: input_of(field).to_string(),
            message: lang.pick(&message_vi, &message_en).to_string(),
        }),
        StoreError::Stale => Refusal::Stale(
            lang.pick(
                "Trong lúc bạn sửa, người khác đã thay đổi hồ sơ này nên thay đổi của bạn chưa được lưu. Hãy tải lại để xem dữ liệu mới nhất rồi sửa lại.",
                "Someone else changed this record while you were editing, so your change was not saved. Reload to see the latest data and make your change again.",
            )
            .to_string(),
        ),
        other => Refusal::Other(other),
    }
}

/// Parses a count typed by a person: digits, with `.` or spaces as thousands separators.
pub fn parse_count(text: &str) -> Option<i64> {
    let digits: String = text.chars().filter(|c| !matches!(c, '.' | ' ' | '\u{a0}')).collect();
    if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) || digits.len() > 12 {
        return None;
    }
    digits.parse().ok()
}

/// Parses a date as a date input sends it (`2020-01-07`) or as Vietnamese forms write it
/// (`07/01/2020`, `7/1/2020`, `07-01-2020`).
pub fn parse_date(text: &str) -> Option<Date> {
    let text = text.trim();
    let parts: Vec<&str> = text.split(['-', '/', '.']).collect();
    let [a, b, c] = parts.as_slice() else { return None };
    let number = |part: &str| -> Option<i32> {
        (!part.is_empty() && part.len() <= 4 && part.chars().all(|c| c.is_ascii_digit()))
            .then(|| part.parse().ok())
            .flatten()
    };
    let (year, month, day) = if a.len() == 4 {
        (number(a)?, number(b)?, number(c)?)
    } else if c.len() == 4 {
        (number(c)?, number(b)?, number(a)?)
    } else {
        return None;
    };
    if !(1800..=2200).contains(&year) {
        return None;
    }
    let month = Month::try_from(u8::try_from(month).ok()?).ok()?;
    Date::from_calendar_date(year, month, u8::try_from(day).ok()?).ok()
}

/// A date as a date input wants its value: `YYYY-MM-DD`; empty for none.
pub fn date_value(date: Option<Date>) -> String {
    date.map(|date| format!("{:04}-{:02}-{:02}", date.year(), u8::from(date.month()), date.day()))
        .unwrap_or_default()
}

/// A date as Vietnamese forms write it and as the date fields show it: `07/01/2020`.
pub fn form_date(date: Option<Date>) -> String {
    date.map(|date| format!("{:02}/{:02}/{:04}", date.day(), u8::from(date.month()), date.year()))
        .unwrap_or_default()
}

/// Reads an optional date field, recording a problem if it is not a date.
pub fn optional_date(
    form: &FormData,
    field: &str,
    lang: Lang,
    errors: &mut FieldErrors,
) -> Option<Date> {
    let text = form.get(field);
    if text.is_empty() {
        return None;
    }
    let date = parse_date(text);
    if date.is_none() {
        errors.add_tr(
            lang,
            field,
            "Ngày chưa đúng: hãy ghi theo dạng ngày/tháng/năm, ví dụ 07/01/2020.",
            "This is not a date: write it as day/month/year, for example 07/01/2020.",
        );
    }
    date
}

/// Reads a count field (empty reads as 0), recording a problem if it is not a whole number.
pub fn count_field(form: &FormData, field: &str, lang: Lang, errors: &mut FieldErrors) -> i64 {
    let text = form.get(field);
    if text.is_empty() {
        return 0;
    }
    match parse_count(text) {
        Some(count) => count,
        None => {
            errors.add_tr(
                lang,
                field,
                "Hãy nhập một số nguyên không âm, ví dụ 25.",
                "Enter a whole number of zero or more, for example 25.",
            );
            0
        }
    }
}

/// Reads an optional id field (radio buttons of a picker).
pub fn id_field(form: &FormData, field: &str) -> Option<i64> {
    form.get(field).parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_read_as_people_write_them() {
        let expected = Date::from_calendar_date(2020, Month::January, 7).ok();
        assert_eq!(parse_date("2020-01-07"), expected);
        assert_eq!(parse_date("07/01/2020"), expected);
        assert_eq!(parse_date("7/1/2020"), expected);
        assert_eq!(parse_date(" 07-01-2020 "), expected);
        assert_eq!(parse_date("31/02/2020"), None);
        assert_eq!(parse_date("2020/13/01"), None);
        assert_eq!(parse_date("07/01/20"), None);
        assert_eq!(parse_date("hôm qua"), None);
        assert_eq!(date_value(expected), "2020-01-07");
        assert_eq!(form_date(expected), "07/01/2020");
        assert_eq!(parse_date(&form_date(expected)), expected);
    }

    #[test]
    fn counts_accept_thousands_separators_only() {
        assert_eq!(parse_count("1.234"), Some(1234));
        assert_eq!(parse_count("40 000"), Some(40_000));
        assert_eq!(parse_count("0"), Some(0));
        assert_eq!(parse_count("-3"), None);
        assert_eq!(parse_count("3,5"), None);
        assert_eq!(parse_count("ba"), None);
        assert_eq!(parse_count("9999999999999"), None);
    }

    #[test]
    fn only_the_first_problem_of_a_field_is_kept() {
        let mut errors = FieldErrors::new();
        errors.add("name", "first");
        errors.add("name", "second");
        errors.add("kind", "other");
        assert_eq!(errors.list().len(), 2);
        assert_eq!(errors.list()[0].message, "first");
    }

    #[test]
    fn repeated_fields_are_all_kept() {
        let form = FormData::from_pairs(vec![
            ("lineage_id".into(), "3".into()),
            ("name".into(), "  Chi bộ 1 ".into()),
            ("lineage_id".into(), "7".into()),
            ("lineage_id".into(), "".into()),
        ]);
        assert_eq!(form.all("lineage_id"), vec!["3", "7"]);
        assert_eq!(form.get("name"), "Chi bộ 1");
        assert_eq!(form.get("missing"), "");
    }
}
