//! The demo's routes, one small function each.

use std::time::Instant;

use log::{debug, info, warn};
use stripe_connect_oauth::{
    AccountId, AccountType, AuthorizeParams, DeauthorizeOptions, Error, ExchangeOptions, Scope,
    State, parse_callback,
};

use super::Demo;
use super::http::{
    Method, Request, Response, SESSION_COOKIE, STATE_COOKIE, cleared_cookie, session_cookie,
    state_cookie,
};
use super::pages::{self, ConnectedAccount};
use super::store::lock;

/// Routes one request and returns its response. Every failure becomes a page.
pub fn handle(demo: &Demo, request: &Request) -> Response {
    if let Some(response) = require_canonical_host(demo, request) {
        return response;
    }

    match (request.method, request.path()) {
        (Method::Get, "/") => home(demo),
        (Method::Get, "/connect/express") => connect(demo, request, AccountType::Express),
        (Method::Get, "/connect/standard") => connect(demo, request, AccountType::Standard),
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

/// Starts an authorization: records a fresh state on the server, names it in a cookie, and
/// redirects to Stripe.
fn connect(demo: &Demo, request: &Request, account_type: AccountType) -> Response {
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

    let now = Instant::now();
    let mut states = lock(&demo.states);
    // The new cookie replaces the old one, so the browser's earlier state can serve nothing.
    if let Some(previous) = request.cookie(STATE_COOKIE) {
        states.take(previous, now);
    }
    let evicted = states.insert(state.as_str().to_owned(), state.clone(), now);
    drop(states);
    if evicted > 0 {
        debug!("connect: the state records are full; dropped the oldest {evicted}");
    }

    info!(
        "connect: {} authorization started, redirecting the browser to {}{}",
        account_type_name(account_type),
        demo.client.config().get_connect_base().as_str(),
        account_type.authorize_path()
    );
    Response::redirect(&url).with_cookie(state_cookie(state.as_str()))
}

/// Handles Stripe's redirect back: removes the state record, checks the state, exchanges the
/// code once, and shows the connected account.
///
/// Removing the record named by the cookie is the first step, so a reload, a replayed
/// request (even with the cookie captured) or a concurrent duplicate finds no state and never
/// reaches Stripe. A state the site never issued has no record either.
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
    let Some(state) = lock(&demo.states).take(stored, Instant::now()) else {
        warn!(
            "callback rejected: the state cookie names no authorization in progress (already \
             used, expired, or never issued by this site); nothing sent"
        );
        return problem_nothing_sent(
            demo,
            "No connection in progress",
            "This site has no authorization in progress for this browser: this callback was \
             already used, the 1-hour limit passed, or the demo restarted since it started.",
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
    info!(
        "callback: connected account {} ({} mode, scope {scope})",
        token.stripe_user_id(),
        if token.livemode() { "live" } else { "test" },
    );
    // Express accounts have no Disconnect here, so only a Standard account gets a session.
    let session_id = if scope == "express" {
        None
    } else {
        start_session(demo, request, token.stripe_user_id())
    };
    let account = ConnectedAccount {
        account_id: token.stripe_user_id().as_str(),
        livemode: token.livemode(),
        scope,
        capabilities: token.capabilities(),
        has_tokens: token.access_token().is_some() || token.refresh_token().is_some(),
        can_disconnect: session_id.is_some(),
    };
    let response = Response::page(200, pages::connected(&demo.stripe_label, &account))
        .with_cookie(clear_state);
    match session_id {
        Some(session_id) => response.with_cookie(session_cookie(session_id.as_str())),
        None => response,
    }
}

/// Records `account_id` under a new random session id and returns the id, which only this
/// browser receives. Ends the browser's earlier session, if any. Returns `None`, and the page
/// offers no Disconnect, when the random source fails.
fn start_session(demo: &Demo, request: &Request, account_id: &AccountId) -> Option<State> {
    let session_id = match State::generate() {
        Ok(session_id) => session_id,
        Err(error) => {
            warn!("callback: cannot create a session for Disconnect: {error}");
            return None;
        }
    };

    let now = Instant::now();
    let mut sessions = lock(&demo.sessions);
    if let Some(previous) = request.cookie(SESSION_COOKIE) {
        sessions.take(previous, now);
    }
    let evicted = sessions.insert(session_id.as_str().to_owned(), account_id.clone(), now);
    drop(sessions);
    if evicted > 0 {
        debug!("callback: the session records are full; dropped the oldest {evicted}");
    }
    Some(session_id)
}

/// Disconnects the Standard account of this browser's session. The account comes from the
/// server's record of the session, never from the request.
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

    let clear_session = cleared_cookie(SESSION_COOKIE);
    let Some(session_id) = request.cookie(SESSION_COOKIE) else {
        warn!("disconnect rejected: no session cookie; nothing sent");
        return no_connected_account(demo).with_cookie(clear_session);
    };
    // Taking the record makes a second, concurrent Disconnect find nothing.
    let Some(account_id) = lock(&demo.sessions).take(session_id, Instant::now()) else {
        warn!(
            "disconnect rejected: the session cookie names no session (ended, expired, or \
             forged); nothing sent"
        );
        return no_connected_account(demo).with_cookie(clear_session);
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
            .with_cookie(clear_session)
        }
        Err(error) => {
            warn!("disconnect: deauthorizing {account_id} failed: {error}");
            // The account may still be connected, so the session stays for another try.
            lock(&demo.sessions).insert(session_id.to_owned(), account_id, Instant::now());
            problem(demo, 502, "Disconnect failed", &error.to_string())
        }
    }
}

fn no_connected_account(demo: &Demo) -> Response {
    problem_nothing_sent(
        demo,
        "No connected account",
        "This browser has no connected Standard account to disconnect: it was disconnected \
         already, the 1-hour limit passed, or the demo restarted.",
    )
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
