//! Accounts, roles over subtrees, login sessions, API tokens and login throttling.
//!
//! Passwords are kept only as argon2id hashes. Session ids and API tokens are random 256-bit
//! values; only their SHA-256 is stored, so a copy of the database opens no session.

use argon2::password_hash::PasswordHasher;
use argon2::{Argon2, PasswordVerifier};
use daihoi_core::access::{Access, Grant, Role};
use serde::Serialize;
use sha2::{Digest, Sha256};
use sqlx::Row;

use crate::audit::AuditRecord;
use crate::units::unit_on;
use crate::{Store, StoreError, WriteTx, clock};

/// An account.
#[derive(Debug, Clone, Serialize)]
pub struct User {
    /// Id.
    pub id: i64,
    /// Login name.
    pub username: String,
    /// Name shown on pages and in the audit log.
    pub display_name: String,
    /// Preferred language, `vi` or `en`.
    pub lang: String,
    /// Whether the account may log in.
    pub disabled: bool,
}

/// A live session, as the web layer needs it on each request.
#[derive(Debug, Clone)]
pub struct SessionInfo {
    /// The user.
    pub user: User,
    /// The user's grants.
    pub access: Access,
    /// The per-session CSRF token that every form must send back.
    pub csrf_token: String,
    /// When the session ends, in milliseconds since the epoch.
    pub expires_at: i64,
}

/// An API token's metadata (never the token itself).
#[derive(Debug, Clone, Serialize)]
pub struct ApiTokenInfo {
    /// Id.
    pub id: i64,
    /// Owner.
    pub user_id: i64,
    /// A name to recognise it by.
    pub name: String,
    /// Created, ms since the epoch.
    pub created_at: i64,
    /// Last used.
    pub last_used_at: Option<i64>,
    /// Revoked.
    pub revoked_at: Option<i64>,
}

/// How long a session lives without use.
pub const SESSION_IDLE_MS: i64 = 8 * 60 * 60 * 1000;
/// How long a session lives at most.
pub const SESSION_MAX_MS: i64 = 7 * 24 * 60 * 60 * 1000;
/// Failed logins allowed in a window before the key is locked.
pub const THROTTLE_FAILURES: i64 = 5;
/// Length of the throttling window and of the lock.
pub const THROTTLE_WINDOW_MS: i64 = 15 * 60 * 1000;

/// SHA-256 in hex: how secrets are stored.
pub fn secret_hash(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

/// A new random secret: 32 bytes, hex.
pub fn random_secret() -> String {
    let mut bytes = [0u8; 32];
    rand::fill(&mut bytes);
    hex::encode(bytes)
}

/// Hashes a password with argon2id (default parameters: 19 MiB, 2 passes).
pub fn hash_password(password: &str) -> Result<String, StoreError> {
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|hash| hash.to_string())
        .map_err(|error| StoreError::Other(format!("password hashing failed: {error}")))
}

/// Checks a password against a stored argon2 hash.
pub fn password_matches(password: &str, hash: &str) -> bool {
    PasswordVerifier::<str>::verify_password(&Argon2::default(), password.as_bytes(), hash).is_ok()
}

/// The password policy: at least 10 characters.
pub fn check_password_policy(password: &str) -> Result<(), StoreError> {
    if password.chars().count() < 10 {
        return Err(StoreError::rule(
            "password_too_short",
            "password",
            "Mật khẩu phải có ít nhất 10 ký tự.",
            "The password must have at least 10 characters.",
        ));
    }
    Ok(())
}

fn user_from_row(row: &sqlx::any::AnyRow) -> Result<User, sqlx::Error> {
    Ok(User {
        id: row.try_get("id")?,
        username: row.try_get("username")?,
        display_name: row.try_get("display_name")?,
        lang: row.try_get("lang")?,
        disabled: row.try_get::<i64, _>("disabled")? != 0,
    })
}

const USER_COLUMNS: &str = "id, username, display_name, lang, disabled";

fn validate_username(username: &str) -> Result<String, StoreError> {
    let username = username.trim().to_lowercase();
    let ok = !username.is_empty()
        && username.len() <= 64
        && username.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'));
    if !ok {
        return Err(StoreError::rule(
            "bad_username",
            "username",
            "Tên đăng nhập chỉ gồm chữ không dấu, số và . _ - (tối đa 64 ký tự).",
            "A username has only ASCII letters, digits and . _ - (at most 64 characters).",
        ));
    }
    Ok(username)
}

impl Store {
    /// Creates an account. The password must meet the policy.
    pub async fn create_user(
        &self,
        tx: &mut WriteTx,
        username: &str,
        display_name: &str,
        password: &str,
        lang: &str,
    ) -> Result<User, StoreError> {
        let username = validate_username(username)?;
        check_password_policy(password)?;
        let display_name = display_name.trim();
        let display_name = if display_name.is_empty() { username.as_str() } else { display_name };
        let hash = hash_password(password)?;
        let at = tx.at();
        let lang = if lang == "en" { "en" } else { "vi" };
        let row = sqlx::query(
            "INSERT INTO users (username, display_name, password_hash, lang, disabled, created_at, \
             password_changed_at) VALUES ($1, $2, $3, $4, 0, $5, $5) RETURNING id",
        )
        .bind(&username)
        .bind(display_name)
        .bind(&hash)
        .bind(lang)
        .bind(at)
        .fetch_one(tx.conn())
        .await
        .map_err(|error| match StoreError::from(error) {
            StoreError::Conflict { .. } => StoreError::rule(
                "username_taken",
                "username",
                format!("Tên đăng nhập “{username}” đã có người dùng."),
                format!("The username “{username}” is taken."),
            ),
            other => other,
        })?;
        let id: i64 = row.try_get("id")?;
        let user = User {
            id,
            username: username.clone(),
            display_name: display_name.to_string(),
            lang: lang.to_string(),
            disabled: false,
        };
        tx.audit(AuditRecord::new("user.create", "user", id).after(&user)).await?;
        Ok(user)
    }

    /// Grants a role over the subtree of a unit.
    pub async fn grant_role(
        &self,
        tx: &mut WriteTx,
        user_id: i64,
        role: Role,
        unit_id: i64,
    ) -> Result<(), StoreError> {
        let unit = unit_on(tx.conn(), unit_id).await?;
        sqlx::query("INSERT INTO user_roles (user_id, role, unit_id) VALUES ($1, $2, $3)")
            .bind(user_id)
            .bind(role.code())
            .bind(unit_id)
            .execute(tx.conn())
            .await?;
        tx.audit(
            AuditRecord::new("user.grant", "user", user_id)
                .in_unit(unit_id, &unit.path)
                .after(serde_json::json!({ "role": role.code(), "unit_id": unit_id })),
        )
        .await?;
        Ok(())
    }

    /// An account by login name.
    pub async fn user_by_username(&self, username: &str) -> Result<User, StoreError> {
        let row = sqlx::query(sqlf!("SELECT {USER_COLUMNS} FROM users WHERE username = $1"))
            .bind(username.trim().to_lowercase())
            .fetch_optional(self.pool())
            .await?
            .ok_or(StoreError::NotFound)?;
        Ok(user_from_row(&row)?)
    }

    /// All accounts, by username.
    pub async fn users(&self) -> Result<Vec<User>, StoreError> {
        let rows = sqlx::query(sqlf!("SELECT {USER_COLUMNS} FROM users ORDER BY username"))
            .fetch_all(self.pool())
            .await?;
        Ok(rows.iter().map(user_from_row).collect::<Result<_, _>>()?)
    }

    /// The grants of a user, with their units' paths.
    pub async fn grants(&self, user_id: i64) -> Result<Vec<Grant>, StoreError> {
        let rows = sqlx::query(
            "SELECT r.role, r.unit_id, u.path FROM user_roles r JOIN units u ON u.id = r.unit_id \
             WHERE r.user_id = $1 ORDER BY u.depth, r.role",
        )
        .bind(user_id)
        .fetch_all(self.pool())
        .await?;
        let mut grants = Vec::new();
        for row in rows {
            let role: String = row.try_get("role")?;
            if let Some(role) = Role::parse(&role) {
                grants.push(Grant {
                    role,
                    unit_id: row.try_get("unit_id")?,
                    unit_path: row.try_get("path")?,
                });
            }
        }
        Ok(grants)
    }

    /// Checks a login. Returns the user if the password matches and the account is enabled.
    /// Takes the same time whether or not the user exists.
    pub async fn check_login(
        &self,
        username: &str,
        password: &str,
    ) -> Result<Option<User>, StoreError> {
        let row = sqlx::query(sqlf!(
            "SELECT {USER_COLUMNS}, password_hash FROM users WHERE username = $1"
        ))
        .bind(username.trim().to_lowercase())
        .fetch_optional(self.pool())
        .await?;
        let Some(row) = row else {
            // Spend the same effort as a real check so timing does not reveal usernames.
            let _ = password_matches(password, DUMMY_HASH);
            return Ok(None);
        };
        let hash: String = row.try_get("password_hash")?;
        let user = user_from_row(&row)?;
        let password = password.to_string();
        let matches = tokio::task::spawn_blocking(move || password_matches(&password, &hash))
            .await
            .map_err(|error| StoreError::Other(error.to_string()))?;
        Ok((matches && !user.disabled).then_some(user))
    }

    /// Changes a password after checking the current one.
    pub async fn change_password(
        &self,
        tx: &mut WriteTx,
        user_id: i64,
        current: &str,
        new: &str,
    ) -> Result<(), StoreError> {
        let hash: String = sqlx::query_scalar("SELECT password_hash FROM users WHERE id = $1")
            .bind(user_id)
            .fetch_one(tx.conn())
            .await?;
        if !password_matches(current, &hash) {
            return Err(StoreError::rule(
                "wrong_password",
                "current_password",
                "Mật khẩu hiện tại không đúng.",
                "The current password is wrong.",
            ));
        }
        check_password_policy(new)?;
        let at = tx.at();
        sqlx::query("UPDATE users SET password_hash = $1, password_changed_at = $2 WHERE id = $3")
            .bind(hash_password(new)?)
            .bind(at)
            .bind(user_id)
            .execute(tx.conn())
            .await?;
        // A changed password ends every other session of the account.
        sqlx::query("DELETE FROM sessions WHERE user_id = $1")
            .bind(user_id)
            .execute(tx.conn())
            .await?;
        tx.audit(AuditRecord::new("user.password", "user", user_id)).await?;
        Ok(())
    }

    /// Opens a session; returns the secret for the cookie.
    pub async fn create_session(&self, user_id: i64) -> Result<String, StoreError> {
        let secret = random_secret();
        let now = clock::now_ms();
        sqlx::query(
            "INSERT INTO sessions (id_hash, user_id, csrf_token, created_at, last_seen_at, expires_at) \
             VALUES ($1, $2, $3, $4, $4, $5)",
        )
        .bind(secret_hash(&secret))
        .bind(user_id)
        .bind(random_secret())
        .bind(now)
        .bind(now + SESSION_IDLE_MS)
        .execute(self.pool())
        .await?;
        // Old sessions are swept as new ones open: no background job needed.
        sqlx::query("DELETE FROM sessions WHERE expires_at < $1")
            .bind(now)
            .execute(self.pool())
            .await?;
        Ok(secret)
    }

    /// The session for a cookie secret, if it is live; extends its idle expiry.
    pub async fn session(&self, secret: &str) -> Result<Option<SessionInfo>, StoreError> {
        let now = clock::now_ms();
        let id_hash = secret_hash(secret);
        let row = sqlx::query(
            "SELECT s.csrf_token, s.created_at, s.expires_at, s.last_seen_at, u.id, u.username, \
             u.display_name, u.lang, u.disabled FROM sessions s JOIN users u ON u.id = s.user_id \
             WHERE s.id_hash = $1",
        )
        .bind(&id_hash)
        .fetch_optional(self.pool())
        .await?;
        let Some(row) = row else { return Ok(None) };
        let expires_at: i64 = row.try_get("expires_at")?;
        let created_at: i64 = row.try_get("created_at")?;
        let last_seen_at: i64 = row.try_get("last_seen_at")?;
        let user = user_from_row(&row)?;
        if expires_at < now || created_at + SESSION_MAX_MS < now || user.disabled {
            self.end_session(secret).await?;
            return Ok(None);
        }
        let mut expires_at = expires_at;
        // Touch at most once a minute: page loads stay read-only most of the time.
        if now - last_seen_at > 60_000 {
            expires_at = (now + SESSION_IDLE_MS).min(created_at + SESSION_MAX_MS);
            sqlx::query(
                "UPDATE sessions SET last_seen_at = $1, expires_at = $2 WHERE id_hash = $3",
            )
            .bind(now)
            .bind(expires_at)
            .bind(&id_hash)
            .execute(self.pool())
            .await?;
        }
        let access = Access::new(self.grants(user.id).await?);
        Ok(Some(SessionInfo { user, access, csrf_token: row.try_get("csrf_token")?, expires_at }))
    }

    /// Ends a session (logout).
    pub async fn end_session(&self, secret: &str) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM sessions WHERE id_hash = $1")
            .bind(secret_hash(secret))
            .execute(self.pool())
            .await?;
        Ok(())
    }

    /// Creates an API token for a user; returns the secret, shown once.
    pub async fn create_api_token(
        &self,
        tx: &mut WriteTx,
        user_id: i64,
        name: &str,
    ) -> Result<(ApiTokenInfo, String), StoreError> {
        let secret = format!("dh_{}", random_secret());
        let at = tx.at();
        let name = if name.trim().is_empty() { "token" } else { name.trim() };
        let row = sqlx::query(
            "INSERT INTO api_tokens (user_id, name, token_hash, created_at) VALUES ($1, $2, $3, $4) \
             RETURNING id",
        )
        .bind(user_id)
        .bind(name)
        .bind(secret_hash(&secret))
        .bind(at)
        .fetch_one(tx.conn())
        .await?;
        let info = ApiTokenInfo {
            id: row.try_get("id")?,
            user_id,
            name: name.to_string(),
            created_at: at,
            last_used_at: None,
            revoked_at: None,
        };
        tx.audit(AuditRecord::new("token.create", "api_token", info.id).after(&info)).await?;
        Ok((info, secret))
    }

    /// The user and access for a bearer token, if it is valid and not revoked.
    pub async fn api_token_user(&self, secret: &str) -> Result<Option<(User, Access)>, StoreError> {
        let row = sqlx::query(
            "SELECT t.id AS token_id, t.last_used_at, u.id, u.username, u.display_name, u.lang, \
             u.disabled FROM api_tokens t JOIN users u ON u.id = t.user_id \
             WHERE t.token_hash = $1 AND t.revoked_at IS NULL",
        )
        .bind(secret_hash(secret))
        .fetch_optional(self.pool())
        .await?;
        let Some(row) = row else { return Ok(None) };
        let user = user_from_row(&row)?;
        if user.disabled {
            return Ok(None);
        }
        let now = clock::now_ms();
        let last_used: Option<i64> = row.try_get("last_used_at")?;
        if last_used.is_none_or(|last| now - last > 60_000) {
            let token_id: i64 = row.try_get("token_id")?;
            sqlx::query("UPDATE api_tokens SET last_used_at = $1 WHERE id = $2")
                .bind(now)
                .bind(token_id)
                .execute(self.pool())
                .await?;
        }
        let access = Access::new(self.grants(user.id).await?);
        Ok(Some((user, access)))
    }

    /// Whether logins for this key (username and address) are locked now.
    pub async fn login_locked(&self, key: &str) -> Result<bool, StoreError> {
        let locked_until: Option<i64> =
            sqlx::query_scalar("SELECT locked_until FROM login_throttle WHERE throttle_key = $1")
                .bind(key)
                .fetch_optional(self.pool())
                .await?;
        Ok(locked_until.is_some_and(|until| until > clock::now_ms()))
    }

    /// Records a failed login; locks the key after too many failures in the window.
    pub async fn login_failed(&self, key: &str) -> Result<(), StoreError> {
        let now = clock::now_ms();
        let current: Option<(i64, i64)> = sqlx::query_as(
            "SELECT failures, window_start FROM login_throttle WHERE throttle_key = $1",
        )
        .bind(key)
        .fetch_optional(self.pool())
        .await?;
        let (failures, window_start) = match current {
            Some((failures, start)) if now - start < THROTTLE_WINDOW_MS => (failures + 1, start),
            _ => (1, now),
        };
        let locked_until = if failures >= THROTTLE_FAILURES { now + THROTTLE_WINDOW_MS } else { 0 };
        sqlx::query("DELETE FROM login_throttle WHERE throttle_key = $1")
            .bind(key)
            .execute(self.pool())
            .await?;
        sqlx::query(
            "INSERT INTO login_throttle (throttle_key, failures, window_start, locked_until) \
             VALUES ($1, $2, $3, $4)",
        )
        .bind(key)
        .bind(failures)
        .bind(window_start)
        .bind(locked_until)
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// Forgets failures after a successful login.
    pub async fn login_succeeded(&self, key: &str) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM login_throttle WHERE throttle_key = $1")
            .bind(key)
            .execute(self.pool())
            .await?;
        Ok(())
    }
}

/// A valid argon2id hash of a random string, verified against when the user does not exist.
const DUMMY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$2dZ0Rzd7yLh2XpyaM+3k3TfJKGf5Ct29JQkxIV6pAUc";
