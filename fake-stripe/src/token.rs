//! `POST /oauth/token` and `POST /oauth/deauthorize`.

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD};
use log::debug;
use serde_json::Value;

use crate::error::OAuthError;
use crate::form::Form;
use crate::http::{Request, Response};
use crate::state::{Caller, KeyKind, State};

/// Handles `POST /oauth/token`: `grant_type=authorization_code` or `refresh_token`.
pub(crate) fn token(state: &mut State, request: &Request) -> Response {
    let result = exchange(state, request);
    log_outcome("token", &result);
    respond(result)
}

/// Handles `POST /oauth/deauthorize` with `client_id` and `stripe_user_id`.
pub(crate) fn deauthorize(state: &mut State, request: &Request) -> Response {
    let result = disconnect(state, request);
    log_outcome("deauthorize", &result);
    respond(result)
}

fn exchange(state: &mut State, request: &Request) -> Result<Value, OAuthError> {
    let form = Form::from_request(request)?;
    let caller = authenticate(request, &form, state)?;

    let grant_type = match form.single("grant_type")? {
        None | Some("") => return Err(OAuthError::missing_param("grant_type")),
        Some(grant_type) => grant_type,
    };
    match grant_type {
        "authorization_code" => {
            let code = form.required("code")?;
            let asserted = form.array("assert_capabilities");
            state.exchange_code(caller, code, &asserted)
        }
        "refresh_token" => {
            let refresh_token = form.required("refresh_token")?;
            let scope = form.single("scope")?;
            state.refresh(caller, refresh_token, scope)
        }
        other => Err(OAuthError::new(
            400,
            "unsupported_grant_type",
            format!("Unsupported grant_type: {other}. Use authorization_code or refresh_token."),
        )),
    }
}

fn disconnect(state: &mut State, request: &Request) -> Result<Value, OAuthError> {
    let form = Form::from_request(request)?;
    let caller = authenticate(request, &form, state)?;

    let client_id = form.required("client_id")?;
    let account_id = form.required("stripe_user_id")?;
    state.deauthorize(caller, client_id, account_id)
}

fn respond(result: Result<Value, OAuthError>) -> Response {
    match result {
        Ok(body) => Response::json(200, &body).no_store(),
        Err(error) => error.to_response(),
    }
}

/// Logs the outcome without any key, code or token.
fn log_outcome(endpoint: &str, result: &Result<Value, OAuthError>) {
    match result {
        Ok(body) => debug!(
            "{endpoint}: success for account {}",
            body["stripe_user_id"].as_str().unwrap_or("?")
        ),
        Err(error) => debug!("{endpoint}: {} (HTTP {})", error.error, error.status),
    }
}

/// Finds the platform and mode from the one secret key presented: HTTP Basic user name
/// (Stripe's documented `-u sk_…:`), a Bearer token, or the `client_secret` form field.
fn authenticate(request: &Request, form: &Form, state: &State) -> Result<Caller, OAuthError> {
    let key = presented_key(request, form)?;
    match state.identify_key(&key) {
        KeyKind::Secret(caller) => Ok(caller),
        KeyKind::Publishable => Err(OAuthError::invalid_client(
            "This API call cannot be made with a publishable API key. Use a secret API key \
             (sk_) or a restricted key (rk_).",
        )),
        KeyKind::Unknown => Err(OAuthError::invalid_client(
            "Invalid API Key provided. Use your platform's secret key.",
        )),
    }
}

fn presented_key(request: &Request, form: &Form) -> Result<String, OAuthError> {
    let headers = request.header_values("authorization");
    if headers.len() > 1 {
        return Err(OAuthError::invalid_request(
            "Several Authorization headers were sent; send exactly one.",
        ));
    }
    let from_header = headers
        .first()
        .map(|value| key_from_authorization(value))
        .transpose()?;
    let from_form = form.single("client_secret")?;

    let key = match (from_header, from_form) {
        (Some(_), Some(_)) => {
            return Err(OAuthError::invalid_request(
                "The API key was sent both in the Authorization header and as client_secret; \
                 send it once.",
            ));
        }
        (Some(key), None) => key,
        (None, Some(key)) => key.to_owned(),
        (None, None) => String::new(),
    };
    if key.is_empty() {
        return Err(OAuthError::invalid_client(
            "No API key provided. Send your secret key as the HTTP Basic user name with an \
             empty password, as a Bearer token, or as client_secret.",
        ));
    }
    Ok(key)
}

fn key_from_authorization(value: &str) -> Result<String, OAuthError> {
    let value = value.trim();
    let (scheme, credentials) = value.split_once(' ').unwrap_or((value, ""));
    let credentials = credentials.trim();

    if scheme.eq_ignore_ascii_case("bearer") {
        return Ok(credentials.to_owned());
    }
    if !scheme.eq_ignore_ascii_case("basic") {
        return Err(OAuthError::invalid_client(
            "Unsupported Authorization scheme. Use Basic with the secret key as user name, or \
             Bearer.",
        ));
    }

    let invalid_basic =
        || OAuthError::invalid_client("The Basic Authorization header is not valid base64 text.");
    let decoded = STANDARD
        .decode(credentials)
        .or_else(|_| STANDARD_NO_PAD.decode(credentials))
        .map_err(|_| invalid_basic())?;
    let user_and_password = String::from_utf8(decoded).map_err(|_| invalid_basic())?;
    // The key is the user name; Stripe ignores the password, which clients leave empty.
    let user = user_and_password
        .split_once(':')
        .map_or(user_and_password.as_str(), |(user, _)| user);
    Ok(user.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn basic_header_yields_user_name() {
        let header = format!("Basic {}", STANDARD.encode("sk_test_x:"));
        assert_eq!(key_from_authorization(&header).unwrap(), "sk_test_x");
    }

    #[test]
    fn bearer_header_yields_token() {
        assert_eq!(
            key_from_authorization("bearer sk_test_y").unwrap(),
            "sk_test_y"
        );
    }

    #[test]
    fn unknown_scheme_is_invalid_client() {
        let error = key_from_authorization("Digest abc").unwrap_err();
        assert_eq!(
            (error.status, error.error.as_str()),
            (401, "invalid_client")
        );
    }

    #[test]
    fn malformed_basic_is_invalid_client() {
        let error = key_from_authorization("Basic ***").unwrap_err();
        assert_eq!(error.error, "invalid_client");
    }
}
