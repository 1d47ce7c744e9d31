//! Helpers shared by the in-process HTTP tests: the application over a fresh database on every
//! backend, units and accounts built through the store, sessions, and requests sent with
//! `tower::ServiceExt::oneshot` (no socket).

#![allow(dead_code)] // each test binary uses its own part of the helpers

use axum::Router;
use axum::body::{Body, to_bytes};
use axum::http::{HeaderMap, Method, Request, StatusCode, header};
use daihoi_core::access::Role;
use daihoi_core::member::{MemberStatus, Membership, Sex};
use daihoi_core::unit::UnitKind;
use daihoi_store::testing::{TestDb, every_backend};
use daihoi_store::{Actor, Member, MemberInput, NewUnit, Store, Unit, User};
use daihoi_web::{AppState, Config, router};
use tower::ServiceExt;

/// The application over one fresh database.
pub struct App {
    /// The router, as `serve` runs it.
    pub router: Router,
    /// The store under it, to arrange data and check what was stored.
    pub store: Store,
    /// `sqlite` or `postgres`, for assertion messages.
    pub label: &'static str,
    _db: TestDb,
}

/// One application per available backend.
pub async fn apps() -> Vec<App> {
    let mut apps = Vec::new();
    for db in every_backend().await {
        let state = AppState::new(db.store.clone(), Config::default()).expect("templates load");
        apps.push(App { router: router(state), store: db.store.clone(), label: db.label, _db: db });
    }
    apps
}

/// A unit to create, with the counts the registry rules accept.
pub fn new_unit(parent: Option<i64>, name: &str, kind: UnitKind, official: i64) -> NewUnit {
    NewUnit {
        parent_id: parent,
        name: name.into(),
        kind,
        issuer_abbrev: None,
        declared_official: official,
        declared_probationary: 0,
        valid_from: None,
        valid_to: None,
        note: None,
        lineage: Vec::new(),
    }
}

/// Creates a unit through the store.
pub async fn unit(
    store: &Store,
    parent: Option<i64>,
    name: &str,
    kind: UnitKind,
    official: i64,
) -> Unit {
    let mut tx = store.begin_write(&Actor::system("test")).await.expect("begin");
    let (unit, _) = store
        .create_unit(&mut tx, new_unit(parent, name, kind, official))
        .await
        .expect("create unit");
    tx.commit().await.expect("commit");
    unit
}

/// A member to add.
pub fn member_input(name: &str, membership: Membership) -> MemberInput {
    MemberInput {
        full_name: name.into(),
        birth_date: time::Date::from_calendar_date(1980, time::Month::March, 15).ok(),
        sex: Some(Sex::Male),
        ethnicity: Some("Mông".into()),
        joined_date: time::Date::from_calendar_date(2005, time::Month::May, 19).ok(),
        membership,
        status: MemberStatus::Active,
        education: None,
        theory_level: None,
        note: None,
    }
}

/// Adds a member through the store.
pub async fn member(store: &Store, unit_id: i64, name: &str, membership: Membership) -> Member {
    let mut tx = store.begin_write(&Actor::system("test")).await.expect("begin");
    let member = store
        .create_member(&mut tx, unit_id, &member_input(name, membership))
        .await
        .expect("add member");
    tx.commit().await.expect("commit");
    member
}

/// Creates an account with one role over a unit's subtree.
pub async fn account(store: &Store, username: &str, role: Role, unit_id: i64) -> User {
    let mut tx = store.begin_write(&Actor::system("test")).await.expect("begin");
    let user = store
        .create_user(&mut tx, username, username, "a-long-test-password", "vi")
        .await
        .expect("create user");
    store.grant_role(&mut tx, user.id, role, unit_id).await.expect("grant");
    tx.commit().await.expect("commit");
    user
}

/// A logged-in browser session: the cookie and the CSRF token its forms carry.
#[derive(Debug, Clone)]
pub struct Session {
    /// `daihoi_session=…`.
    pub cookie: String,
    /// The session's CSRF token.
    pub csrf: String,
}

/// Opens a session for an account, as logging in does.
pub async fn session(store: &Store, user_id: i64) -> Session {
    let secret = store.create_session(user_id).await.expect("session");
    let info = store.session(&secret).await.expect("read session").expect("live session");
    Session { cookie: format!("daihoi_session={secret}"), csrf: info.csrf_token }
}

/// An answer: status, headers and body text.
#[derive(Debug)]
pub struct Answer {
    /// Status.
    pub status: StatusCode,
    /// Headers.
    pub headers: HeaderMap,
    /// Body as text.
    pub body: String,
}

impl Answer {
    /// The `Location` header of a redirect.
    pub fn location(&self) -> &str {
        self.headers.get(header::LOCATION).and_then(|v| v.to_str().ok()).unwrap_or("")
    }

    /// The body with the auto-escaper's `&#x2f;` read back as `/` (dates in user text).
    pub fn text(&self) -> String {
        self.body.replace("&#x2f;", "/")
    }

    /// The body as JSON.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body)
            .unwrap_or_else(|error| panic!("not JSON ({error}): {}", self.body))
    }
}

/// What a request carries.
#[derive(Debug, Clone)]
pub enum Payload {
    /// No body.
    None,
    /// A url-encoded form.
    Form(Vec<(String, String)>),
    /// A JSON body.
    Json(serde_json::Value),
}

/// Percent-encodes a form value.
pub fn encode(text: &str) -> String {
    let mut out = String::new();
    for byte in text.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(byte as char)
            }
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

/// A form from pairs.
pub fn form(pairs: &[(&str, &str)]) -> Payload {
    Payload::Form(pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect())
}

/// Sends one request to the router, as a session (with its CSRF token) or anonymously.
pub async fn send(
    app: &App,
    method: Method,
    uri: &str,
    session: Option<&Session>,
    payload: Payload,
) -> Answer {
    let mut request = Request::builder().method(method).uri(uri).header(header::HOST, "localhost");
    if let Some(session) = session {
        request =
            request.header(header::COOKIE, &session.cookie).header("x-csrf-token", &session.csrf);
    }
    let body = match payload {
        Payload::None => Body::empty(),
        Payload::Form(pairs) => {
            request = request.header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
            let text = pairs
                .iter()
                .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
                .collect::<Vec<_>>()
                .join("&");
            Body::from(text)
        }
        Payload::Json(value) => {
            request = request.header(header::CONTENT_TYPE, "application/json");
            Body::from(value.to_string())
        }
    };
    let response =
        app.router.clone().oneshot(request.body(body).expect("request")).await.expect("infallible");
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = to_bytes(response.into_body(), 16 * 1024 * 1024).await.expect("body");
    Answer { status, headers, body: String::from_utf8_lossy(&bytes).into_owned() }
}

/// `GET` as a session.
pub async fn get(app: &App, uri: &str, session: &Session) -> Answer {
    send(app, Method::GET, uri, Some(session), Payload::None).await
}

/// `POST` a form as a session.
pub async fn post(app: &App, uri: &str, session: &Session, pairs: &[(&str, &str)]) -> Answer {
    send(app, Method::POST, uri, Some(session), form(pairs)).await
}

/// A GET answered as bytes: (status, content type, body).
pub async fn download(app: &App, uri: &str, session: &Session) -> (StatusCode, String, Vec<u8>) {
    let request = Request::builder()
        .uri(uri)
        .header(header::HOST, "localhost")
        .header(header::COOKIE, &session.cookie)
        .body(Body::empty())
        .unwrap();
    let response = app.router.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let content_type = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    let bytes = to_bytes(response.into_body(), 64 * 1024 * 1024).await.unwrap().to_vec();
    (status, content_type, bytes)
}
