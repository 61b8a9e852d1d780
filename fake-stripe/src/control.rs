//! The control API under `/__fake/`: JSON in, JSON out. The crate documentation lists every
//! endpoint with its request and response shapes.

use std::collections::BTreeMap;
use std::time::Duration;

use log::debug;
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

use crate::app::App;
use crate::error::OAuthError;
use crate::fault::Fault;
use crate::form::query_pairs;
use crate::http::{Request, Response};
use crate::obtain::{CodeRequest, Decision};

const ENDPOINTS: &[(&str, &str)] = &[
    ("GET", "/__fake/config"),
    ("POST", "/__fake/codes"),
    ("GET", "/__fake/requests"),
    ("DELETE", "/__fake/requests"),
    ("POST", "/__fake/faults"),
    ("GET", "/__fake/faults"),
    ("DELETE", "/__fake/faults"),
    ("GET", "/__fake/clock"),
    ("POST", "/__fake/clock/advance"),
    ("POST", "/__fake/reset"),
    ("POST", "/__fake/redirect_uris"),
    ("GET", "/__fake/accounts"),
];

/// Handles one control request and returns the response.
pub(crate) fn handle(app: &App, request: &Request) -> Response {
    if (request.method.as_str(), request.path.as_str()) == ("GET", "/__fake/config") {
        // Sent as a string so the fields keep their documented order.
        return Response::new(200)
            .header("Content-Type", "application/json")
            .header("Cache-Control", "no-store")
            .body(app.announcement_json().into_bytes());
    }

    let result = match (request.method.as_str(), request.path.as_str()) {
        ("POST", "/__fake/codes") => obtain_code(app, request),
        ("GET", "/__fake/requests") => Ok(list_requests(app, request)),
        ("DELETE", "/__fake/requests") => {
            app.clear_requests();
            Ok(json!({ "cleared": true }))
        }
        ("POST", "/__fake/faults") => queue_fault(app, request),
        ("GET", "/__fake/faults") => Ok(pending_faults(app)),
        ("DELETE", "/__fake/faults") => {
            app.clear_faults();
            Ok(json!({ "cleared": true }))
        }
        ("GET", "/__fake/clock") => Ok(clock(app)),
        ("POST", "/__fake/clock/advance") => advance_clock(app, request),
        ("POST", "/__fake/reset") => {
            app.reset();
            Ok(json!({ "reset": true }))
        }
        ("POST", "/__fake/redirect_uris") => add_redirect_uri(app, request),
        ("GET", "/__fake/accounts") => Ok(json!({ "accounts": app.state().accounts() })),
        (method, path) => Err(unknown_endpoint(method, path)),
    };

    match result {
        Ok(body) => Response::json(200, &body).header("Cache-Control", "no-store"),
        Err(error) => {
            debug!(
                "control request {} {} rejected: {} (HTTP {})",
                request.method, request.path, error.error, error.status
            );
            error.to_response()
        }
    }
}

fn unknown_endpoint(method: &str, path: &str) -> OAuthError {
    let allowed: Vec<&str> = ENDPOINTS
        .iter()
        .filter(|(_, known)| *known == path)
        .map(|(method, _)| *method)
        .collect();
    if allowed.is_empty() {
        OAuthError::new(
            404,
            "invalid_request",
            format!("No control endpoint {method} {path}."),
        )
    } else {
        OAuthError::new(
            405,
            "invalid_request",
            format!(
                "{method} is not allowed on {path}; use {}.",
                allowed.join(" or ")
            ),
        )
    }
}

/// Parses the JSON body; an empty body reads as `{}`.
fn json_body<T: DeserializeOwned>(request: &Request) -> Result<T, OAuthError> {
    let body: &[u8] = if request.body.iter().all(u8::is_ascii_whitespace) {
        b"{}"
    } else {
        &request.body
    };
    serde_json::from_slice(body)
        .map_err(|error| OAuthError::invalid_request(format!("invalid JSON body: {error}")))
}

/// Body of `POST /__fake/codes`: either `authorize_url` or the authorize parameters.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CodeRequestBody {
    authorize_url: Option<String>,
    #[serde(default)]
    express: bool,
    client_id: Option<String>,
    redirect_uri: Option<String>,
    scope: Option<String>,
    state: Option<String>,
    stripe_landing: Option<String>,
    #[serde(default)]
    suggested_capabilities: Vec<String>,
    #[serde(default)]
    stripe_user: BTreeMap<String, String>,
    #[serde(default)]
    decision: Decision,
    #[serde(default)]
    livemode: bool,
    stripe_user_id: Option<String>,
}

fn obtain_code(app: &App, request: &Request) -> Result<Value, OAuthError> {
    let body: CodeRequestBody = json_body(request)?;

    let obtained = match body.authorize_url {
        Some(authorize_url) => {
            let has_parameters = body.express
                || body.client_id.is_some()
                || body.redirect_uri.is_some()
                || body.scope.is_some()
                || body.state.is_some()
                || body.stripe_landing.is_some()
                || !body.suggested_capabilities.is_empty()
                || !body.stripe_user.is_empty();
            if has_parameters {
                return Err(OAuthError::invalid_request(
                    "Send either authorize_url or the authorize parameters, not both.",
                ));
            }
            app.obtain_code_from_url(
                &authorize_url,
                body.decision,
                body.livemode,
                body.stripe_user_id,
            )?
        }
        None => app.obtain_code(&CodeRequest {
            express: body.express,
            client_id: body.client_id,
            redirect_uri: body.redirect_uri,
            scope: body.scope,
            state: body.state,
            stripe_landing: body.stripe_landing,
            suggested_capabilities: body.suggested_capabilities,
            stripe_user: body.stripe_user.into_iter().collect(),
            decision: body.decision,
            livemode: body.livemode,
            stripe_user_id: body.stripe_user_id,
        })?,
    };
    Ok(serde_json::to_value(obtained).unwrap_or_default())
}

fn list_requests(app: &App, request: &Request) -> Value {
    let pairs = query_pairs(request.query.as_deref());
    let path = pairs
        .iter()
        .find(|(key, _)| key == "path")
        .map(|(_, value)| value.as_str());
    json!({ "requests": app.requests(path) })
}

/// Body of `POST /__fake/faults`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FaultBody {
    path: String,
    fault: Fault,
    #[serde(default = "one")]
    times: usize,
}

fn one() -> usize {
    1
}

fn queue_fault(app: &App, request: &Request) -> Result<Value, OAuthError> {
    let body: FaultBody = json_body(request)?;
    app.queue_fault(&body.path, body.fault, body.times)
        .map_err(OAuthError::invalid_request)?;
    Ok(json!({ "queued": body.times }))
}

fn pending_faults(app: &App) -> Value {
    let faults: Vec<Value> = app
        .pending_faults()
        .into_iter()
        .map(|(path, fault)| json!({ "path": path, "fault": fault }))
        .collect();
    json!({ "faults": faults })
}

fn clock(app: &App) -> Value {
    let state = app.state();
    json!({
        "offset_seconds": state.clock_offset().as_secs(),
        "now": state.now().as_secs(),
    })
}

/// Body of `POST /__fake/clock/advance`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AdvanceBody {
    seconds: u64,
}

fn advance_clock(app: &App, request: &Request) -> Result<Value, OAuthError> {
    let body: AdvanceBody = json_body(request)?;
    app.advance_clock(Duration::from_secs(body.seconds));
    Ok(clock(app))
}

/// Body of `POST /__fake/redirect_uris`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RedirectUriBody {
    redirect_uri: String,
    client_id: Option<String>,
}

fn add_redirect_uri(app: &App, request: &Request) -> Result<Value, OAuthError> {
    let body: RedirectUriBody = json_body(request)?;
    let mut state = app.state();
    let platform = match &body.client_id {
        None => 0,
        Some(client_id) => state.platform_by_client_id(client_id).ok_or_else(|| {
            OAuthError::invalid_request("client_id is neither platform's client id.")
        })?,
    };
    state
        .add_redirect_uri(platform, &body.redirect_uri)
        .map_err(OAuthError::invalid_request)?;
    Ok(json!({ "redirect_uris": state.platform(platform).redirect_uris }))
}
