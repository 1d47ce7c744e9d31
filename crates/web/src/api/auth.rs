//! Who is calling the API: a bearer token or the browser session.

use axum::extract::FromRequestParts;
use axum::http::header;
use axum::http::request::Parts;
use daihoi_core::access::Access;
use daihoi_store::{Actor, User};

use crate::csrf::LoadedSession;
use crate::{AppError, AppState};

/// The authenticated caller of an API route.
#[derive(Debug, Clone)]
pub struct ApiUser {
    /// The account.
    pub user: User,
    /// What it may do, and where.
    pub access: Access,
}

impl ApiUser {
    /// The actor for audit entries.
    pub fn actor(&self) -> Actor {
        Actor::user(self.user.id, &self.user.username)
    }
}

impl FromRequestParts<AppState> for ApiUser {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let bearer = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.strip_prefix("Bearer "))
            .map(str::trim);
        if let Some(token) = bearer {
            return match state.store.api_token_user(token).await? {
                Some((user, access)) => Ok(ApiUser { user, access }),
                None => Err(AppError::Unauthenticated { next: String::new() }),
            };
        }
        match parts.extensions.get::<LoadedSession>().and_then(|loaded| loaded.0.clone()) {
            Some(session) => Ok(ApiUser { user: session.user, access: session.access }),
            None => Err(AppError::Unauthenticated { next: String::new() }),
        }
    }
}
