//! Server-rendered pages: the shared page context and one module per area.

mod admin;
mod audit;
pub(crate) mod campaign;
mod congress;
mod documents;
mod elections;
pub(crate) mod forms;
mod home;
pub mod import;
pub(crate) mod listing;
pub(crate) mod members;
mod personnel;
pub(crate) mod preparation;
mod search;
pub(crate) mod units;

use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Response};
use daihoi_core::access::Action;
use minijinja::Value;

use crate::auth::CurrentUser;
use crate::error::page_error;
use crate::routing::RouteList;
use crate::{AppError, AppState, Lang};

/// Routes of every page module.
pub fn routes() -> RouteList {
    RouteList::new()
        .merge(home::routes())
        .merge(units::routes())
        .merge(members::routes())
        .merge(search::routes())
        .merge(audit::routes())
        .merge(admin::routes())
        .merge(import::routes())
        .merge(congress::routes())
        .merge(campaign::routes())
        .merge(documents::routes())
        .merge(preparation::routes())
        .merge(personnel::routes())
        .merge(elections::routes())
}

/// The context every page template receives: language, user, CSRF token, menu.
#[derive(Debug, Clone)]
pub struct PageCtx {
    base: Value,
}

impl PageCtx {
    /// The context of a logged-in user's page; `section` marks the active menu entry.
    pub fn for_user(user: &CurrentUser, section: &str) -> PageCtx {
        let access = &user.access;
        PageCtx {
            base: minijinja::context! {
                lang => user.lang.code(),
                csrf => user.csrf.clone(),
                section => section,
                user => minijinja::context! {
                    id => user.user.id,
                    username => user.user.username.clone(),
                    display_name => user.user.display_name.clone(),
                },
                can => minijinja::context! {
                    edit_units => access.can_anywhere(Action::EditUnits),
                    edit_members => access.can_anywhere(Action::EditMembers),
                    run_congress => access.can_anywhere(Action::RunCongress),
                    count => access.can_anywhere(Action::Count),
                    manage_users => access.can_anywhere(Action::ManageUsers),
                    read_audit => access.can_anywhere(Action::ReadAudit),
                },
            },
        }
    }

    /// The context of a page seen before logging in.
    pub fn anonymous(lang: Lang, csrf: &str) -> PageCtx {
        PageCtx {
            base: minijinja::context! {
                lang => lang.code(),
                csrf => csrf,
                section => "",
                user => Value::from(()),
                can => minijinja::context! {},
            },
        }
    }

    /// The context with page-specific values added.
    pub fn with(&self, extra: Value) -> Value {
        minijinja::context! { ..extra, ..self.base.clone() }
    }
}

/// An HTML response.
pub fn html(body: String) -> Response {
    ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], body).into_response()
}

/// Renders a page for a user, or the error page if rendering fails.
pub fn render(
    state: &AppState,
    user: &CurrentUser,
    headers: &HeaderMap,
    section: &str,
    template: &str,
    extra: Value,
) -> Response {
    let ctx = PageCtx::for_user(user, section);
    match state.templates.render(template, ctx.with(extra)) {
        Ok(body) => html(body),
        Err(error) => page_error(error, user.lang, headers, &state.templates),
    }
}

/// Turns a handler's result into a response, rendering errors as pages.
pub fn respond(
    state: &AppState,
    user: &CurrentUser,
    headers: &HeaderMap,
    result: Result<Response, AppError>,
) -> Response {
    match result {
        Ok(response) => response,
        // Full-page errors keep the user's header and menu; the rest as `page_error` does.
        Err(error)
            if !headers.contains_key("hx-request")
                && !matches!(error, AppError::Unauthenticated { .. } | AppError::Internal(_)) =>
        {
            let status = error.status();
            let ctx = PageCtx::for_user(user, "");
            let body = state.templates.render(
                "error.html",
                ctx.with(minijinja::context! {
                    status => status.as_u16(),
                    message => error.message(user.lang),
                }),
            );
            match body {
                Ok(body) => (status, html(body)).into_response(),
                Err(_) => page_error(error, user.lang, headers, &state.templates),
            }
        }
        Err(error) => page_error(error, user.lang, headers, &state.templates),
    }
}
