//! Routing of requests to the Connect endpoints, faults and the control API.

use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

use log::{debug, info};
use serde::Serialize;
use serde_json::json;

use crate::authorize::AuthorizeRequest;
use crate::config::{FakeStripeConfig, PlatformCredentials};
use crate::error::OAuthError;
use crate::fault::{Fault, FaultQueue, NGINX_502_PAGE};
use crate::form::{Form, query_pairs};
use crate::http::{Reply, Request, Response, Service, lock};
use crate::ids::unix_micros;
use crate::obtain::{CodeRequest, Decision, ObtainedCode};
use crate::page::{self, DECISION_PATH};
use crate::record::{RecordedRequest, Records};
use crate::state::{Flow, Grant, State};
use crate::{control, token};

const STANDARD_AUTHORIZE_PATH: &str = "/oauth/authorize";
const EXPRESS_AUTHORIZE_PATH: &str = "/express/oauth/authorize";
const TOKEN_PATH: &str = "/oauth/token";
const DEAUTHORIZE_PATH: &str = "/oauth/deauthorize";

/// Prefix of the control API; requests under it are neither recorded nor faulted.
pub(crate) const CONTROL_PREFIX: &str = "/__fake/";

/// The fake's whole state, shared by the connection threads and the owner.
#[derive(Debug)]
pub(crate) struct App {
    base_url: String,
    state: Mutex<State>,
    records: Mutex<Records>,
    faults: Mutex<FaultQueue>,
}

/// The JSON line the binary prints and `GET /__fake/config` returns.
#[derive(Serialize)]
struct Announcement<'a> {
    base_url: &'a str,
    #[serde(flatten)]
    platform: &'a PlatformCredentials,
    other_platform: &'a PlatformCredentials,
}

impl App {
    pub(crate) fn new(base_url: String, config: &FakeStripeConfig) -> Self {
        App {
            base_url,
            state: Mutex::new(State::new(config)),
            records: Mutex::new(Records::default()),
            faults: Mutex::new(FaultQueue::default()),
        }
    }

    pub(crate) fn base_url(&self) -> &str {
        &self.base_url
    }

    pub(crate) fn state(&self) -> MutexGuard<'_, State> {
        lock(&self.state)
    }

    /// Returns the announcement as one line of JSON, fields in declaration order.
    pub(crate) fn announcement_json(&self) -> String {
        let state = self.state();
        let announcement = Announcement {
            base_url: &self.base_url,
            platform: state.platform(0),
            other_platform: state.platform(1),
        };
        // Every field is a string or a list of strings, so serialization cannot fail.
        serde_json::to_string(&announcement).unwrap_or_default()
    }

    pub(crate) fn requests(&self, path: Option<&str>) -> Vec<RecordedRequest> {
        lock(&self.records).list(path)
    }

    pub(crate) fn clear_requests(&self) {
        lock(&self.records).clear();
    }

    pub(crate) fn queue_fault(&self, path: &str, fault: Fault, times: usize) -> Result<(), String> {
        let kind = fault.kind();
        lock(&self.faults).push(path, fault, times)?;
        info!("queued fault {kind} x{times} for {path}");
        Ok(())
    }

    pub(crate) fn pending_faults(&self) -> Vec<(String, Fault)> {
        lock(&self.faults).pending()
    }

    pub(crate) fn clear_faults(&self) {
        lock(&self.faults).clear();
    }

    pub(crate) fn advance_clock(&self, by: Duration) {
        let mut state = self.state();
        state.advance_clock(by);
        info!(
            "fake clock advanced by {} s, now {} s ahead",
            by.as_secs(),
            state.clock_offset().as_secs()
        );
    }

    /// Clears records, faults, accounts, codes and tokens and sets the clock back.
    pub(crate) fn reset(&self) {
        self.state().reset();
        self.clear_requests();
        self.clear_faults();
        info!("fake Stripe state reset");
    }

    /// Validates an authorize request and applies the user's decision.
    pub(crate) fn decide(
        &self,
        flow: Flow,
        pairs: &[(String, String)],
        decision: Decision,
        livemode: bool,
        existing_account: Option<String>,
    ) -> Result<ObtainedCode, OAuthError> {
        let mut state = self.state();
        let request = AuthorizeRequest::parse(flow, pairs, &state)?;

        if decision == Decision::Deny {
            info!(
                "authorization denied by the user for platform {}",
                request.client_id
            );
            return Ok(ObtainedCode {
                location: request.denial_location(),
                code: None,
                state: request.state.clone(),
                scope: None,
                stripe_user_id: None,
            });
        }

        let capabilities = if request.suggested_capabilities.is_empty() {
            state.default_capabilities().to_vec()
        } else {
            request.suggested_capabilities.clone()
        };
        let (code, account_id) = state.issue_code(Grant {
            platform: request.platform,
            flow,
            scope: request.scope.clone(),
            livemode,
            capabilities,
            existing_account,
        })?;
        info!(
            "authorization approved: {} account {account_id} for platform {} ({} mode)",
            flow.name(),
            request.client_id,
            if livemode { "live" } else { "test" }
        );
        Ok(ObtainedCode {
            location: request.approval_location(&code),
            state: request.state.clone(),
            scope: (flow == Flow::Standard).then(|| request.scope.clone()),
            stripe_user_id: Some(account_id),
            code: Some(code),
        })
    }

    /// Obtains a code from the fields of a [`CodeRequest`].
    pub(crate) fn obtain_code(&self, request: &CodeRequest) -> Result<ObtainedCode, OAuthError> {
        let flow = if request.express {
            Flow::Express
        } else {
            Flow::Standard
        };
        let default_client_id = self.state().platform(0).client_id.clone();
        let pairs = request.authorize_pairs(&default_client_id);
        self.decide(
            flow,
            &pairs,
            request.decision,
            request.livemode,
            request.stripe_user_id.clone(),
        )
    }

    /// Obtains a code from an authorize URL as a browser would open it. The URL may be full
    /// or a path with query, and only its path and query are read.
    pub(crate) fn obtain_code_from_url(
        &self,
        authorize_url: &str,
        decision: Decision,
        livemode: bool,
        existing_account: Option<String>,
    ) -> Result<ObtainedCode, OAuthError> {
        let base = url::Url::parse(&self.base_url).map_err(|error| {
            OAuthError::invalid_request(format!("base URL is invalid: {error}"))
        })?;
        let url = base.join(authorize_url).map_err(|error| {
            OAuthError::invalid_request(format!("authorize_url is not a valid URL: {error}"))
        })?;
        let flow = match url.path() {
            STANDARD_AUTHORIZE_PATH => Flow::Standard,
            EXPRESS_AUTHORIZE_PATH => Flow::Express,
            other => {
                return Err(OAuthError::invalid_request(format!(
                    "authorize_url path {other} is not {STANDARD_AUTHORIZE_PATH} or \
                     {EXPRESS_AUTHORIZE_PATH}."
                )));
            }
        };
        let pairs = query_pairs(url.query());
        self.decide(flow, &pairs, decision, livemode, existing_account)
    }

    fn route(&self, request: &Request) -> Response {
        match (request.method.as_str(), request.path.as_str()) {
            ("GET", STANDARD_AUTHORIZE_PATH) => self.authorize_page(Flow::Standard, request),
            ("GET", EXPRESS_AUTHORIZE_PATH) => self.authorize_page(Flow::Express, request),
            ("POST", DECISION_PATH) => self.decision(request),
            ("POST", TOKEN_PATH) => token::token(&mut self.state(), request),
            ("POST", DEAUTHORIZE_PATH) => token::deauthorize(&mut self.state(), request),
            (_, STANDARD_AUTHORIZE_PATH | EXPRESS_AUTHORIZE_PATH) => {
                method_not_allowed(request, "GET")
            }
            (_, DECISION_PATH | TOKEN_PATH | DEAUTHORIZE_PATH) => {
                method_not_allowed(request, "POST")
            }
            _ => not_found(request),
        }
    }

    fn authorize_page(&self, flow: Flow, request: &Request) -> Response {
        let pairs = query_pairs(request.query.as_deref());
        let parsed = AuthorizeRequest::parse(flow, &pairs, &self.state());
        match parsed {
            Ok(authorize) => Response::html(200, page::render(&authorize))
                .header("Cache-Control", "no-store")
                .header(
                    "Content-Security-Policy",
                    "default-src 'none'; style-src 'unsafe-inline'",
                )
                .header("X-Frame-Options", "DENY"),
            Err(error) => {
                debug!("authorize request rejected: {}", error.error);
                error.to_response()
            }
        }
    }

    /// Handles the onboarding form's decision and returns a 302 to the redirect URI.
    fn decision(&self, request: &Request) -> Response {
        match self.decision_location(request) {
            Ok(location) => Response::html(
                302,
                format!(
                    "<!DOCTYPE html>\n<p>Redirecting to <a href=\"{0}\">{0}</a>.</p>\n",
                    page::escape_html(&location)
                ),
            )
            .header("Location", &location)
            .header("Cache-Control", "no-store"),
            Err(error) => {
                debug!("authorize decision rejected: {}", error.error);
                error.to_response()
            }
        }
    }

    fn decision_location(&self, request: &Request) -> Result<String, OAuthError> {
        let form = Form::from_request(request)?;
        let decision = match form.single("decision")? {
            Some("approve") => Decision::Approve,
            Some("deny") => Decision::Deny,
            _ => {
                return Err(OAuthError::invalid_request(
                    "The decision must be approve or deny.",
                ));
            }
        };
        let flow = match form.single("flow")? {
            Some("express") => Flow::Express,
            Some("standard") => Flow::Standard,
            _ => {
                return Err(OAuthError::invalid_request(
                    "The flow must be standard or express.",
                ));
            }
        };
        let livemode = matches!(form.single("livemode")?, Some("true" | "on"));

        let mut pairs: Vec<(String, String)> = form
            .pairs
            .into_iter()
            .filter(|(key, _)| !matches!(key.as_str(), "decision" | "flow" | "livemode"))
            .collect();
        pairs.push(("response_type".to_owned(), "code".to_owned()));

        let outcome = self.decide(flow, &pairs, decision, livemode, None)?;
        Ok(outcome.location)
    }

    fn apply_fault(&self, fault: Fault, request: &Request) -> Reply {
        match fault {
            Fault::Delay { ms } => Reply::SendAfter(self.route(request), Duration::from_millis(ms)),
            Fault::Response {
                status,
                headers,
                body,
            } => {
                let mut response = Response::new(status).body(body.into_bytes());
                let has_content_type = headers
                    .iter()
                    .any(|(name, _)| name.eq_ignore_ascii_case("content-type"));
                response.headers = headers;
                if !has_content_type && !response.body.is_empty() {
                    response = response.header("Content-Type", "application/json");
                }
                Reply::Send(response)
            }
            Fault::Html502 => Reply::Send(
                Response::new(502)
                    .header("Server", "nginx")
                    .header("Content-Type", "text/html")
                    .body(NGINX_502_PAGE.as_bytes().to_vec()),
            ),
            Fault::EmptyBody { status } => Reply::Send(Response::new(status)),
            Fault::Close { process } => {
                if process {
                    let _ = self.route(request);
                }
                Reply::Close
            }
            Fault::Truncated => Reply::Truncate(self.route(request)),
            Fault::Oversized { bytes } => Reply::Send(
                Response::new(200)
                    .header("Content-Type", "application/json")
                    .body(oversized_body(bytes)),
            ),
            Fault::Redirect { location, status } => Reply::Send(
                Response::new(status)
                    .header("Location", &location)
                    .header("Content-Type", "text/plain; charset=utf-8")
                    .body(format!("Redirecting to {location}\n").into_bytes()),
            ),
        }
    }
}

impl Service for App {
    fn handle(&self, request: &Request) -> (Reply, Option<u64>) {
        if request.path.starts_with(CONTROL_PREFIX) {
            return (Reply::Send(control::handle(self, request)), None);
        }

        let record = lock(&self.records).start(request);
        let fault = lock(&self.faults).take(&request.path);
        let reply = match fault {
            None => Reply::Send(self.route(request)),
            Some(fault) => {
                info!(
                    "applying fault {} to {} {}",
                    fault.kind(),
                    request.method,
                    request.path
                );
                lock(&self.records).set_fault(record, fault.kind());
                self.apply_fault(fault, request)
            }
        };
        (reply, Some(record))
    }

    fn completed(&self, token: u64, status: Option<u16>) {
        lock(&self.records).complete(token, status, unix_micros());
    }
}

/// Returns a JSON object of exactly `bytes` bytes, or spaces when `bytes` is below 14.
fn oversized_body(bytes: usize) -> Vec<u8> {
    const OPEN: &[u8] = b"{\"padding\":\"";
    const CLOSE: &[u8] = b"\"}";
    if bytes < OPEN.len() + CLOSE.len() {
        return vec![b' '; bytes];
    }
    let mut body = Vec::with_capacity(bytes);
    body.extend_from_slice(OPEN);
    body.resize(bytes - CLOSE.len(), b'x');
    body.extend_from_slice(CLOSE);
    body
}

fn method_not_allowed(request: &Request, allowed: &str) -> Response {
    OAuthError::new(
        405,
        "invalid_request",
        format!(
            "{} is not allowed on {}; use {allowed}.",
            request.method, request.path
        ),
    )
    .to_response()
    .header("Allow", allowed)
}

/// Returns the 404 that Stripe's API sends for an unknown path, with an object `error`.
fn not_found(request: &Request) -> Response {
    Response::json(
        404,
        &json!({
            "error": {
                "type": "invalid_request_error",
                "message": format!(
                    "Unrecognized request URL ({}: {}).",
                    request.method, request.path
                ),
            }
        }),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn oversized_body_has_exact_length_and_is_json() {
        let body = oversized_body(2000);
        assert_eq!(body.len(), 2000);
        assert!(serde_json::from_slice::<serde_json::Value>(&body).is_ok());
    }

    #[test]
    fn oversized_body_below_json_size_is_spaces() {
        assert_eq!(oversized_body(3), b"   ".to_vec());
    }
}
