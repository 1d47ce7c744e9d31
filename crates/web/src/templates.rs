//! The templates, compiled into the binary, and the helpers they may call.
//!
//! Every template under `templates/` is embedded. Auto-escaping is on for `.html`; undefined
//! variables are errors, so a typo fails a test instead of printing an empty string.

use include_dir::{Dir, include_dir};
use minijinja::value::Value;
use minijinja::{Environment, State, UndefinedBehavior};

use crate::AppError;

static TEMPLATE_DIR: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/templates");

/// The compiled template set.
pub struct Templates {
    env: Environment<'static>,
}

impl std::fmt::Debug for Templates {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Templates").finish_non_exhaustive()
    }
}

fn collect(dir: &'static Dir<'static>, out: &mut Vec<(String, &'static str)>) {
    for file in dir.files() {
        if let (Some(path), Some(text)) = (file.path().to_str(), file.contents_utf8()) {
            out.push((path.to_string(), text));
        }
    }
    for sub in dir.dirs() {
        collect(sub, out);
    }
}

/// `tr("Vietnamese", "English")`: the text in the page's language.
fn tr(state: &State<'_, '_>, vi: Value, en: Value) -> Value {
    let english = state.lookup("lang").is_some_and(|lang| lang.as_str() == Some("en"));
    if english { en } else { vi }
}

/// Formats an integer with Vietnamese thousands separators: 5.600.000.
pub fn thousands(value: i64) -> String {
    let digits = value.unsigned_abs().to_string();
    let mut out = String::new();
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index).is_multiple_of(3) {
            out.push('.');
        }
        out.push(digit);
    }
    if value < 0 { format!("-{out}") } else { out }
}

/// `YYYY-MM-DD` → `dd/mm/yyyy`, as Vietnamese forms write dates.
pub fn vn_date(text: &str) -> String {
    let parts: Vec<&str> = text.split('-').collect();
    match parts.as_slice() {
        [year, month, day] if year.len() == 4 => format!("{day}/{month}/{year}"),
        _ => text.to_string(),
    }
}

/// Milliseconds since the epoch → `dd/mm/yyyy HH:MM` in Vietnam time (UTC+7).
pub fn vn_datetime(ms: i64) -> String {
    let seconds = ms.div_euclid(1000) + 7 * 3600;
    match time::OffsetDateTime::from_unix_timestamp(seconds) {
        Ok(t) => format!(
            "{:02}/{:02}/{} {:02}:{:02}",
            t.day(),
            u8::from(t.month()),
            t.year(),
            t.hour(),
            t.minute()
        ),
        Err(_) => String::new(),
    }
}

impl Templates {
    /// Loads every embedded template.
    pub fn load() -> Result<Templates, AppError> {
        let mut env = Environment::new();
        env.set_undefined_behavior(UndefinedBehavior::Strict);
        let syntax = minijinja::syntax::SyntaxConfig::builder()
            .trim_blocks(true)
            .lstrip_blocks(true)
            .build()?;
        env.set_syntax(syntax);
        let mut files = Vec::new();
        collect(&TEMPLATE_DIR, &mut files);
        for (name, source) in files {
            env.add_template_owned(name, source)?;
        }
        env.add_function("tr", tr);
        env.add_filter("thousands", |value: i64| thousands(value));
        // Formatted dates are digits and slashes we produce ourselves: marked safe so the
        // auto-escaper does not write every '/' as `&#x2f;`. Text that is not a date is escaped.
        env.add_filter("vndate", |value: Option<String>| match value {
            Some(text) => {
                let formatted = vn_date(&text);
                if formatted.chars().all(|c| c.is_ascii_digit() || c == '/') {
                    Value::from_safe_string(formatted)
                } else {
                    Value::from(formatted)
                }
            }
            None => Value::from(""),
        });
        env.add_filter("vndatetime", |value: i64| Value::from_safe_string(vn_datetime(value)));
        env.add_filter("urlencode_path", |value: String| crate::error::urlencode(&value));
        Ok(Templates { env })
    }

    /// Renders a template with a context.
    pub fn render(&self, name: &str, context: Value) -> Result<String, AppError> {
        let template = self.env.get_template(name)?;
        Ok(template.render(context)?)
    }

    /// Names of all templates (tidy tests render each one).
    pub fn names(&self) -> Vec<String> {
        self.env.templates().map(|(name, _)| name.to_string()).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_and_dates_are_written_the_vietnamese_way() {
        assert_eq!(thousands(5_600_000), "5.600.000");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(-1234), "-1.234");
        assert_eq!(vn_date("2020-01-07"), "07/01/2020");
        assert_eq!(vn_datetime(0), "01/01/1970 07:00");
    }
}
