//! daihoi-web: the web application and the JSON API.
//!
//! Server-rendered HTML (minijinja templates, auto-escaped) with htmx for partial updates,
//! everything served from the binary: a congress hall may have no network at all.
//!
//! Architecture Invariant: every handler that reads or changes a unit's data first checks the
//! user's [`daihoi_core::access::Access`] for that unit's path (`require`), and answers 404 —
//! not 403 — for units outside the user's subtrees, so the existence of other units does not
//! leak. Every state-changing request passes the CSRF guard in `csrf.rs`.

mod api;
mod assets;
mod auth;
mod csrf;
mod election_docs;
mod error;
mod i18n;
mod pages;
mod routing;
mod scope;
mod templates;

use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use axum::http::{HeaderName, HeaderValue, header};
use daihoi_store::Store;
use tower_http::set_header::SetResponseHeaderLayer;

pub use auth::{CurrentUser, SESSION_COOKIE};
pub use error::AppError;
pub use i18n::Lang;
pub use routing::{RouteInfo, RouteList};
pub use templates::Templates;

/// Settings of a running server.
#[derive(Debug, Clone)]
pub struct Config {
    /// Mark cookies `Secure` (set when served behind TLS).
    pub secure_cookies: bool,
    /// Largest request body accepted, in bytes (imports are the large ones).
    pub max_body_bytes: usize,
}

impl Default for Config {
    fn default() -> Config {
        Config { secure_cookies: false, max_body_bytes: 64 * 1024 * 1024 }
    }
}

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    /// The database.
    pub store: Store,
    /// The compiled templates.
    pub templates: Arc<Templates>,
    /// Server settings.
    pub config: Arc<Config>,
    /// Uploads waiting for confirmation and imports under way (`pages/import.rs`).
    pub imports: Arc<pages::import::ImportJobs>,
}

impl std::fmt::Debug for AppState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppState").field("store", &self.store).finish_non_exhaustive()
    }
}

impl AppState {
    /// State over a store with default settings.
    pub fn new(store: Store, config: Config) -> Result<AppState, AppError> {
        Ok(AppState {
            store,
            templates: Arc::new(Templates::load()?),
            config: Arc::new(config),
            imports: Arc::default(),
        })
    }
}

/// Every route of the application, built once: [`router`] serves them and [`route_paths`]
/// lists them for the tests.
fn app_routes() -> RouteList {
    RouteList::new()
        .merge(pages::routes())
        .merge(auth::routes())
        .nest("/api", api::routes())
        .merge(assets::routes())
}

/// Every route the application serves, with its method, in registration order.
pub fn route_paths() -> Vec<RouteInfo> {
    app_routes().into_parts().1
}

/// The whole application as one router: pages, API, assets.
pub fn router(state: AppState) -> Router {
    let security_headers = [
        (
            header::CONTENT_SECURITY_POLICY,
            "default-src 'self'; img-src 'self' data: blob:; media-src 'self' blob:; \
             style-src 'self'; script-src 'self'; object-src 'none'; base-uri 'self'; \
             form-action 'self'; frame-ancestors 'none'",
        ),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::X_FRAME_OPTIONS, "DENY"),
        (header::REFERRER_POLICY, "same-origin"),
        (
            HeaderName::from_static("permissions-policy"),
            "camera=(self), microphone=(), geolocation=()",
        ),
    ];
    let (routes, _) = app_routes().into_parts();
    let mut app = routes
        .fallback(error::not_found)
        .layer(axum::middleware::from_fn_with_state(state.clone(), csrf::guard))
        .layer(axum::extract::DefaultBodyLimit::max(state.config.max_body_bytes));
    for (name, value) in security_headers {
        app = app
            .layer(SetResponseHeaderLayer::if_not_present(name, HeaderValue::from_static(value)));
    }
    app.with_state(state)
}

/// Serves the application on `addr` until the process is told to stop.
pub async fn serve(state: AppState, addr: SocketAddr) -> std::io::Result<()> {
    let listener = tokio::net::TcpListener::bind(addr).await?;
    serve_on(state, listener).await
}

/// Serves on an already-bound listener (tests bind port 0 and read the address).
pub async fn serve_on(state: AppState, listener: tokio::net::TcpListener) -> std::io::Result<()> {
    let app = router(state);
    axum::serve(listener, app.into_make_service_with_connect_info::<SocketAddr>())
        .with_graceful_shutdown(shutdown_signal())
        .await
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        if let Ok(mut signal) =
            tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            signal.recv().await;
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
}
