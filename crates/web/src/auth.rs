//! Logging in and out, the session cookie, the current-user extractor, password change and the
//! language switch.

use std::net::SocketAddr;

use axum::Form;
use axum::extract::{ConnectInfo, FromRequestParts, Query, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Redirect, Response};
use daihoi_core::access::Access;
use daihoi_store::{Actor, User};
use serde::Deserialize;

use crate::csrf::{ANON_CSRF_COOKIE, LoadedSession};
use crate::error::page_error;
use crate::i18n::{LANG_COOKIE, cookie};
use crate::pages::{PageCtx, html};
use crate::routing::RouteList;
use crate::{AppError, AppState, Lang};

/// The session cookie's name.
pub const SESSION_COOKIE: &str = "daihoi_session";

/// The logged-in user of a page request.
#[derive(Debug, Clone)]
pub struct CurrentUser {
    /// The account.
    pub user: User,
    /// What the account may do, and where.
    pub access: Access,
    /// The session's CSRF token, for forms.
    pub csrf: String,
    /// The page language.
    pub lang: Lang,
}

impl CurrentUser {
    /// The actor for audit entries.
    pub fn actor(&self) -> Actor {
        Actor::user(self.user.id, &self.user.username)
    }
}

impl FromRequestParts<AppState> for CurrentUser {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let lang = Lang::from_headers(&parts.headers);
        let session = parts.extensions.get::<LoadedSession>().and_then(|loaded| loaded.0.clone());
        match session {
            Some(session) => Ok(CurrentUser {
                user: session.user,
                access: session.access,
                csrf: session.csrf_token,
                lang,
            }),
            None => {
                let next = parts
                    .uri
                    .path_and_query()
                    .map(|pq| pq.as_str().to_string())
                    .unwrap_or_else(|| "/".into());
                Err(page_error(
                    AppError::Unauthenticated { next },
                    lang,
                    &parts.headers,
                    &state.templates,
                ))
            }
        }
    }
}

/// Builds a `Set-Cookie` header value with the attributes every daihoi cookie carries.
pub fn cookie_header(
    name: &str,
    value: &str,
    max_age: Option<i64>,
    secure: bool,
    http_only: bool,
) -> HeaderValue {
    let mut text = format!("{name}={value}; Path=/; SameSite=Strict");
    if http_only {
        text.push_str("; HttpOnly");
    }
    if secure {
        text.push_str("; Secure");
    }
    if let Some(age) = max_age {
        text.push_str(&format!("; Max-Age={age}"));
    }
    HeaderValue::from_str(&text).unwrap_or_else(|_| HeaderValue::from_static(""))
}

/// Routes of this module.
pub fn routes() -> RouteList {
    RouteList::new()
        .get("/login", login_form)
        .post("/login", login)
        .post("/logout", logout)
        .get("/account/password", password_form)
        .post("/account/password", change_password)
        .get("/lang/{code}", switch_language)
}

#[derive(Debug, Deserialize)]
struct NextQuery {
    next: Option<String>,
}

/// Only local paths are followed after login: never an open redirect.
fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(next) if next.starts_with('/') && !next.starts_with("//") && !next.contains('\\') => {
            next.to_string()
        }
        _ => "/".to_string(),
    }
}

async fn login_form(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(query): Query<NextQuery>,
) -> Response {
    let lang = Lang::from_headers(&headers);
    render_login(&state, &headers, lang, query.next.as_deref(), "", None)
}

fn render_login(
    state: &AppState,
    headers: &HeaderMap,
    lang: Lang,
    next: Option<&str>,
    username: &str,
    error: Option<String>,
) -> Response {
    // The login form has no session yet: it gets a CSRF token in its own cookie (double submit).
    let existing = cookie(headers, ANON_CSRF_COOKIE).filter(|token| token.len() >= 32);
    let token = existing.clone().unwrap_or_else(daihoi_store::users::random_secret);
    let ctx = PageCtx::anonymous(lang, &token);
    let body = state.templates.render(
        "login.html",
        ctx.with(minijinja::context! {
            next => safe_next(next),
            username => username,
            error => error,
        }),
    );
    let mut response = match body {
        Ok(body) => html(body),
        Err(error) => return page_error(error, lang, headers, &state.templates),
    };
    if existing.is_none() {
        response.headers_mut().append(
            header::SET_COOKIE,
            cookie_header(ANON_CSRF_COOKIE, &token, None, state.config.secure_cookies, true),
        );
    }
    response
}

#[derive(Debug, Deserialize)]
struct LoginForm {
    username: String,
    password: String,
    next: Option<String>,
}

async fn login(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Form(form): Form<LoginForm>,
) -> Response {
    let lang = Lang::from_headers(&headers);
    let key = format!("{}|{}", form.username.trim().to_lowercase(), peer.ip());
    let outcome: Result<Response, AppError> = async {
        if state.store.login_locked(&key).await? {
            return Err(AppError::TooManyRequests);
        }
        let Some(user) = state.store.check_login(&form.username, &form.password).await? else {
            state.store.login_failed(&key).await?;
            let message = lang
                .pick(
                    "Tên đăng nhập hoặc mật khẩu không đúng.",
                    "The username or password is wrong.",
                )
                .to_string();
            return Ok(render_login(
                &state,
                &headers,
                lang,
                form.next.as_deref(),
                &form.username,
                Some(message),
            ));
        };
        state.store.login_succeeded(&key).await?;
        let secret = state.store.create_session(user.id).await?;
        let mut response = Redirect::to(&safe_next(form.next.as_deref())).into_response();
        response.headers_mut().append(
            header::SET_COOKIE,
            cookie_header(SESSION_COOKIE, &secret, None, state.config.secure_cookies, true),
        );
        if cookie(&headers, LANG_COOKIE).is_none() && user.lang == "en" {
            response.headers_mut().append(
                header::SET_COOKIE,
                cookie_header(
                    LANG_COOKIE,
                    "en",
                    Some(31_536_000),
                    state.config.secure_cookies,
                    false,
                ),
            );
        }
        Ok(response)
    }
    .await;
    match outcome {
        Ok(response) => response,
        Err(AppError::TooManyRequests) => {
            let message = AppError::TooManyRequests.message(lang);
            let mut response = render_login(
                &state,
                &headers,
                lang,
                form.next.as_deref(),
                &form.username,
                Some(message),
            );
            *response.status_mut() = axum::http::StatusCode::TOO_MANY_REQUESTS;
            response
        }
        Err(error) => page_error(error, lang, &headers, &state.templates),
    }
}

async fn logout(State(state): State<AppState>, headers: HeaderMap) -> Response {
    if let Some(secret) = cookie(&headers, SESSION_COOKIE)
        && let Err(error) = state.store.end_session(&secret).await
    {
        tracing::error!(%error, "ending a session");
    }
    let mut response = Redirect::to("/login").into_response();
    response.headers_mut().append(
        header::SET_COOKIE,
        cookie_header(SESSION_COOKIE, "", Some(0), state.config.secure_cookies, true),
    );
    response
}

async fn password_form(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
) -> Response {
    render_password(&state, &user, &headers, None, false)
}

fn render_password(
    state: &AppState,
    user: &CurrentUser,
    headers: &HeaderMap,
    error: Option<(String, String)>,
    done: bool,
) -> Response {
    let ctx = PageCtx::for_user(user, "account");
    let (field, message) = error.unzip();
    match state.templates.render(
        "password.html",
        ctx.with(minijinja::context! { error_field => field, error => message, done => done }),
    ) {
        Ok(body) => html(body),
        Err(error) => page_error(error, user.lang, headers, &state.templates),
    }
}

#[derive(Debug, Deserialize)]
struct PasswordForm {
    current_password: String,
    new_password: String,
    confirm_password: String,
}

async fn change_password(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    Form(form): Form<PasswordForm>,
) -> Response {
    if form.new_password != form.confirm_password {
        let message = user
            .lang
            .pick("Hai lần nhập mật khẩu mới không khớp.", "The two new passwords differ.")
            .to_string();
        return render_password(
            &state,
            &user,
            &headers,
            Some(("confirm_password".into(), message)),
            false,
        );
    }
    let result: Result<(), daihoi_store::StoreError> = async {
        let mut tx = state.store.begin_write(&user.actor()).await?;
        state
            .store
            .change_password(&mut tx, user.user.id, &form.current_password, &form.new_password)
            .await?;
        tx.commit().await
    }
    .await;
    match result {
        Ok(()) => {
            // The change ended every session, this one too: log in again with the new password.
            let mut response = Redirect::to("/login?next=/").into_response();
            response.headers_mut().append(
                header::SET_COOKIE,
                cookie_header(SESSION_COOKIE, "", Some(0), state.config.secure_cookies, true),
            );
            response
        }
        Err(daihoi_store::StoreError::Rule { field, message_vi, message_en, .. }) => {
            let message = user.lang.pick(&message_vi, &message_en).to_string();
            render_password(&state, &user, &headers, Some((field.to_string(), message)), false)
        }
        Err(error) => page_error(error.into(), user.lang, &headers, &state.templates),
    }
}

async fn switch_language(
    State(state): State<AppState>,
    headers: HeaderMap,
    axum::extract::Path(code): axum::extract::Path<String>,
    Query(query): Query<NextQuery>,
) -> Response {
    let lang = Lang::parse(&code);
    // Back to the page the switch was clicked on (same site only).
    let referer_path = headers
        .get(header::REFERER)
        .and_then(|value| value.to_str().ok())
        .and_then(|referer| referer.split_once("://"))
        .and_then(|(_, rest)| rest.find('/').map(|slash| rest[slash..].to_string()));
    let next = query.next.or(referer_path);
    let mut response = Redirect::to(&safe_next(next.as_deref())).into_response();
    response.headers_mut().append(
        header::SET_COOKIE,
        cookie_header(
            LANG_COOKIE,
            lang.code(),
            Some(31_536_000),
            state.config.secure_cookies,
            false,
        ),
    );
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_never_leaves_the_site() {
        assert_eq!(safe_next(Some("/units/5")), "/units/5");
        assert_eq!(safe_next(Some("//evil.example")), "/");
        assert_eq!(safe_next(Some("https://evil.example")), "/");
        assert_eq!(safe_next(Some("/\\evil")), "/");
        assert_eq!(safe_next(None), "/");
    }
}
