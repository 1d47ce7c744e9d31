//! A router that remembers its routes: every route is added with its method through
//! [`RouteList`], so the list the tests walk (access control, the OpenAPI document) is the list
//! the application serves, not a copy that can drift.

use axum::Router;
use axum::handler::Handler;
use axum::routing::{MethodRouter, delete, get, patch, post};

use crate::AppState;

/// One route: an HTTP method and a path template as axum spells it (`/units/{id}`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RouteInfo {
    /// `GET`, `POST`, `PATCH` or `DELETE`.
    pub method: &'static str,
    /// The full path template, prefixes of nested routers included.
    pub path: String,
}

/// A [`Router`] being built, with the list of its routes.
pub struct RouteList {
    router: Router<AppState>,
    routes: Vec<RouteInfo>,
}

impl std::fmt::Debug for RouteList {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RouteList").field("routes", &self.routes).finish_non_exhaustive()
    }
}

impl Default for RouteList {
    fn default() -> RouteList {
        RouteList::new()
    }
}

impl RouteList {
    /// No routes yet.
    pub fn new() -> RouteList {
        RouteList { router: Router::new(), routes: Vec::new() }
    }

    fn add(mut self, method: &'static str, path: &str, route: MethodRouter<AppState>) -> RouteList {
        // axum merges method routers registered on the same path.
        self.router = self.router.route(path, route);
        self.routes.push(RouteInfo { method, path: path.to_string() });
        self
    }

    /// A `GET` route (axum answers `HEAD` with it too).
    pub fn get<H, T>(self, path: &str, handler: H) -> RouteList
    where
        H: Handler<T, AppState>,
        T: 'static,
    {
        self.add("GET", path, get(handler))
    }

    /// A `POST` route.
    pub fn post<H, T>(self, path: &str, handler: H) -> RouteList
    where
        H: Handler<T, AppState>,
        T: 'static,
    {
        self.add("POST", path, post(handler))
    }

    /// A `PATCH` route.
    pub fn patch<H, T>(self, path: &str, handler: H) -> RouteList
    where
        H: Handler<T, AppState>,
        T: 'static,
    {
        self.add("PATCH", path, patch(handler))
    }

    /// A `DELETE` route.
    pub fn delete<H, T>(self, path: &str, handler: H) -> RouteList
    where
        H: Handler<T, AppState>,
        T: 'static,
    {
        self.add("DELETE", path, delete(handler))
    }

    /// Adds the routes of another list.
    pub fn merge(mut self, other: RouteList) -> RouteList {
        self.router = self.router.merge(other.router);
        self.routes.extend(other.routes);
        self
    }

    /// Adds the routes of another list under a path prefix (`/api`).
    pub fn nest(mut self, prefix: &str, other: RouteList) -> RouteList {
        self.router = self.router.nest(prefix, other.router);
        self.routes.extend(other.routes.into_iter().map(|route| RouteInfo {
            method: route.method,
            path: format!("{prefix}{}", route.path),
        }));
        self
    }

    /// The router and the list of its routes.
    pub fn into_parts(self) -> (Router<AppState>, Vec<RouteInfo>) {
        (self.router, self.routes)
    }
}
