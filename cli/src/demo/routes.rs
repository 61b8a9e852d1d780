//! The demo's routes, one small function each.

use log::{info, warn};
use stripe_connect_oauth::{
    AccountId, AccountType, AuthorizeParams, DeauthorizeOptions, Error, ExchangeOptions, Scope,
    State, parse_callback,
};

use super::Demo;
use super::http::{
    ACCOUNT_COOKIE, Method, Request, Response, STATE_COOKIE, account_cookie, cleared_cookie,
    state_cookie,
};
use super::pages::{self, ConnectedAccount};

/// Routes one request and returns its response. Every failure becomes a page.
pub fn handle(demo: &Demo, request: &Request) -> Response {
    if let Some(response) = require_canonical_host(demo, request) {
        return response;
    }

    match (request.method, request.path()) {
        (Method::Get, "/") => home(demo),
        (Method::Get, "/connect/express") => connect(demo, AccountType::Express),
        (Method::Get, "/connect/standard") => connect(demo, AccountType::Standard),
        (Method::Get, "/callback") => callback(demo, request),
        (Method::Post, "/disconnect") => disconnect(demo, request),
        (Method::Get, "/favicon.ico") => Response::page(404, String::new()),
        (_, "/" | "/connect/express" | "/connect/standard" | "/callback" | "/disconnect") => {
            problem(
                demo,
                405,
                "Method not allowed",
                "This page does not accept that request method.",
            )
        }
        _ => problem(demo, 404, "Page not found", "This demo has no such page."),
    }
}

/// Sends requests for another host name (such as `localhost`) to 127.0.0.1, where the
/// cookies live and where Stripe sends the user back. A cookie set under one host name is
/// not sent to the other, so a flow started on `localhost` would always fail its state check.
fn require_canonical_host(demo: &Demo, request: &Request) -> Option<Response> {
    if request.host.as_deref() == Some(demo.host.as_str()) {
        return None;
    }
    if request.method == Method::Get {
        return Some(Response::redirect(&format!(
            "{}{}",
            demo.origin, request.target
        )));
    }
    Some(problem(
        demo,
        400,
        "Wrong address",
        &format!("Open this site at {}/ instead.", demo.origin),
    ))
}

fn home(demo: &Demo) -> Response {
    info!("home page shown");
    Response::page(200, pages::home(&demo.stripe_label))
}

/// Starts an authorization: stores a fresh state in a cookie and redirects to Stripe.
fn connect(demo: &Demo, account_type: AccountType) -> Response {
    let state = match State::generate() {
        Ok(state) => state,
        Err(error) => {
            warn!("connect: cannot generate a state: {error}");
            return problem(demo, 500, "Cannot start the connection", &error.to_string());
        }
    };

    let mut params = AuthorizeParams::new(account_type)
        .redirect_uri(&demo.redirect_uri)
        .state(state.clone());
    if account_type == AccountType::Standard {
        params = params.scope(Scope::ReadWrite);
    }
    let url = match demo.client.authorize_url(&params) {
        Ok(url) => url,
        Err(error) => {
            warn!("connect: cannot build the authorize URL: {error}");
            return problem(demo, 500, "Cannot start the connection", &error.to_string());
        }
    };

    info!(
        "connect: {} authorization started, redirecting the browser to {}{}",
        account_type_name(account_type),
        demo.client.config().get_connect_base().as_str(),
        account_type.authorize_path()
    );
    Response::redirect(&url).with_cookie(state_cookie(state.as_str()))
}

/// Handles Stripe's redirect back: deletes the state cookie, checks the state, exchanges the
/// code once, and shows the connected account.
///
/// The cookie is deleted before anything is checked, so a reload or a replayed callback finds
/// no state and never reaches Stripe.
fn callback(demo: &Demo, request: &Request) -> Response {
    let clear_state = cleared_cookie(STATE_COOKIE);

    let Some(stored) = request.cookie(STATE_COOKIE) else {
        warn!("callback rejected: no state cookie (reload, replay, or expired); nothing sent");
        return problem_nothing_sent(
            demo,
            "No connection in progress",
            "This browser has no authorization in progress: this callback was already used, \
             the 1-hour limit passed, or cookies are blocked.",
        )
        .with_cookie(clear_state);
    };
    let Ok(state) = State::new(stored) else {
        warn!("callback rejected: the state cookie is malformed; nothing sent");
        return problem_nothing_sent(
            demo,
            "No connection in progress",
            "The stored state is malformed.",
        )
        .with_cookie(clear_state);
    };

    let callback = match parse_callback(&request.target, &state) {
        Ok(callback) => callback,
        Err(error @ Error::AccessDenied { .. }) => {
            info!("callback: {error}; nothing sent to Stripe");
            return callback_problem(demo, &error).with_cookie(clear_state);
        }
        Err(error) => {
            warn!("callback rejected: {error}; nothing sent to Stripe");
            return callback_problem(demo, &error).with_cookie(clear_state);
        }
    };

    info!("callback: state verified, exchanging the authorization code");
    let token = match demo
        .client
        .exchange_code(callback.code(), &ExchangeOptions::new())
    {
        Ok(token) => token,
        Err(error) => {
            warn!("callback: the code exchange failed: {error}");
            return exchange_problem(demo, &error).with_cookie(clear_state);
        }
    };

    let scope = token.scope().unwrap_or("(none)");
    let can_disconnect = scope != "express";
    info!(
        "callback: connected account {} ({} mode, scope {scope})",
        token.stripe_user_id(),
        if token.livemode() { "live" } else { "test" },
    );
    let account = ConnectedAccount {
        account_id: token.stripe_user_id().as_str(),
        livemode: token.livemode(),
        scope,
        capabilities: token.capabilities(),
        has_tokens: token.access_token().is_some() || token.refresh_token().is_some(),
        can_disconnect,
    };
    let mut response = Response::page(200, pages::connected(&demo.stripe_label, &account))
        .with_cookie(clear_state);
    if can_disconnect {
        response = response.with_cookie(account_cookie(token.stripe_user_id().as_str()));
    }
    response
}

/// Disconnects the Standard account connected in this browser.
fn disconnect(demo: &Demo, request: &Request) -> Response {
    let other_origin = request
        .origin
        .as_deref()
        .is_some_and(|origin| origin != demo.origin);
    if other_origin {
        warn!("disconnect rejected: the form was posted from another origin");
        return problem_nothing_sent(
            demo,
            "Disconnect rejected",
            "The request came from another site.",
        );
    }

    let clear_account = cleared_cookie(ACCOUNT_COOKIE);
    let Some(Ok(account_id)) = request.cookie(ACCOUNT_COOKIE).map(AccountId::new) else {
        warn!("disconnect rejected: no connected account in this browser");
        return problem_nothing_sent(
            demo,
            "No connected account",
            "This browser has no connected Standard account to disconnect.",
        )
        .with_cookie(clear_account);
    };

    info!("disconnect: deauthorizing {account_id}");
    match demo
        .client
        .deauthorize(&account_id, &DeauthorizeOptions::new())
    {
        Ok(disconnected) => {
            info!("disconnect: {disconnected} deauthorized");
            Response::page(
                200,
                pages::disconnected(&demo.stripe_label, disconnected.as_str()),
            )
            .with_cookie(clear_account)
        }
        Err(error) => {
            warn!("disconnect: deauthorizing {account_id} failed: {error}");
            problem(demo, 502, "Disconnect failed", &error.to_string())
        }
    }
}

/// The page for a callback that failed its checks. None of these reach Stripe.
fn callback_problem(demo: &Demo, error: &Error) -> Response {
    match error {
        Error::AccessDenied { description } => Response::page(
            200,
            pages::denied(&demo.stripe_label, description.as_deref()),
        ),
        Error::StateMissing | Error::StateMismatch => problem_nothing_sent(
            demo,
            "This callback does not match",
            "The state in the callback is not the one this browser started with, so the \
             callback may be forged or belong to another session.",
        ),
        Error::Authorize { .. } => problem_nothing_sent(
            demo,
            "Stripe could not authorize the connection",
            &error.to_string(),
        ),
        _ => problem_nothing_sent(demo, "Invalid callback", &error.to_string()),
    }
}

/// Renders the page for a failed exchange, with what to do next.
fn exchange_problem(demo: &Demo, error: &Error) -> Response {
    let next = if error.may_have_been_processed() {
        "Authorization codes are single use, so this one is spent: start again."
    } else {
        "Stripe did not receive the request: start again."
    };
    problem(
        demo,
        502,
        "The connection could not be completed",
        &format!("Exchanging the authorization code failed: {error}. {next}"),
    )
}

fn problem(demo: &Demo, status: u16, title: &str, detail: &str) -> Response {
    Response::page(
        status,
        pages::problem(&demo.stripe_label, title, detail, false),
    )
}

fn problem_nothing_sent(demo: &Demo, title: &str, detail: &str) -> Response {
    Response::page(400, pages::problem(&demo.stripe_label, title, detail, true))
}

fn account_type_name(account_type: AccountType) -> &'static str {
    match account_type {
        AccountType::Express => "Express",
        _ => "Standard",
    }
}
