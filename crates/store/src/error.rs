//! The store's one error type. Callers match on the variant; database details stay inside.

/// What can go wrong in the store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database URL or options are wrong.
    #[error("database configuration: {0}")]
    Config(String),
    /// The database could not be reached.
    #[error("cannot connect to {url}: {message}")]
    Connect {
        /// The URL, password redacted.
        url: String,
        /// What the driver said.
        message: String,
    },
    /// A migration failed.
    #[error("database migration failed: {0}")]
    Migrate(String),
    /// The record does not exist (or is outside what the caller may see).
    #[error("not found")]
    NotFound,
    /// A uniqueness or foreign-key rule refused the change; `constraint` names it.
    #[error("conflict with {constraint}")]
    Conflict {
        /// The index, key or rule that refused.
        constraint: String,
    },
    /// Someone else changed the record since it was read (optimistic concurrency).
    #[error("the record was changed by someone else; reload and try again")]
    Stale,
    /// The change breaks a domain rule; the message is for the user, in Vietnamese and English.
    #[error("{message_en}")]
    Rule {
        /// Stable code of the rule.
        code: &'static str,
        /// Form field concerned.
        field: &'static str,
        /// Vietnamese message.
        message_vi: String,
        /// English message.
        message_en: String,
    },
    /// The record is locked (a signed-off count) and cannot change.
    #[error("locked: {0}")]
    Locked(String),
    /// Anything else from the database.
    #[error("database error: {0}")]
    Other(String),
}

impl StoreError {
    /// A rule violation with both messages.
    pub fn rule(
        code: &'static str,
        field: &'static str,
        message_vi: impl Into<String>,
        message_en: impl Into<String>,
    ) -> StoreError {
        StoreError::Rule {
            code,
            field,
            message_vi: message_vi.into(),
            message_en: message_en.into(),
        }
    }
}

impl From<sqlx::Error> for StoreError {
    fn from(error: sqlx::Error) -> StoreError {
        match &error {
            sqlx::Error::RowNotFound => StoreError::NotFound,
            sqlx::Error::Database(db) => {
                let message = db.message().to_string();
                if message.contains("append-only") {
                    return StoreError::Locked(message);
                }
                if message.contains("locked:") {
                    return StoreError::Locked(message);
                }
                match db.kind() {
                    sqlx::error::ErrorKind::UniqueViolation
                    | sqlx::error::ErrorKind::ForeignKeyViolation
                    | sqlx::error::ErrorKind::CheckViolation
                    | sqlx::error::ErrorKind::NotNullViolation => StoreError::Conflict {
                        constraint: db.constraint().map(str::to_string).unwrap_or(message),
                    },
                    _ => StoreError::Other(message),
                }
            }
            _ => StoreError::Other(error.to_string()),
        }
    }
}
