//! Validation of authorize requests and the redirect back to the platform.
//!
//! Errors in the request itself (response type, client id, redirect URI, scope) are shown to
//! the user as a JSON error and never redirected, because the redirect URI cannot be trusted
//! until it is validated (RFC 6749 section 4.1.2.1). Only the user's decision redirects.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

use crate::error::OAuthError;
use crate::state::{Flow, PlatformIndex, State};

/// Characters escaped in the query parameters appended to a redirect URI: everything but
/// the RFC 3986 unreserved characters, so spaces become `%20`.
const QUERY_VALUE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Parameters that must appear at most once.
const SINGLE_VALUED: &[&str] = &[
    "response_type",
    "client_id",
    "redirect_uri",
    "scope",
    "state",
    "stripe_landing",
    "always_prompt",
];

/// The description Stripe sends with `error=access_denied` when the user clicks Deny.
pub(crate) const ACCESS_DENIED_DESCRIPTION: &str = "The user denied your request";

/// A validated authorize request.
#[derive(Clone, Debug)]
pub(crate) struct AuthorizeRequest {
    pub(crate) flow: Flow,
    pub(crate) platform: PlatformIndex,
    pub(crate) client_id: String,
    /// The redirect URI sent, or the platform's first registered one.
    pub(crate) redirect_uri: String,
    /// `read_write`, `read_only`, or `express` for the Express flow.
    pub(crate) scope: String,
    pub(crate) state: Option<String>,
    /// `login` or `register`.
    pub(crate) stripe_landing: String,
    pub(crate) suggested_capabilities: Vec<String>,
    /// `stripe_user[KEY]` prefill values as (KEY, value), in order.
    pub(crate) stripe_user: Vec<(String, String)>,
}

impl AuthorizeRequest {
    /// Validates decoded query pairs as Stripe's authorize endpoint does.
    pub(crate) fn parse(
        flow: Flow,
        pairs: &[(String, String)],
        state: &State,
    ) -> Result<Self, OAuthError> {
        for name in SINGLE_VALUED {
            if pairs.iter().filter(|(key, _)| key == name).count() > 1 {
                return Err(OAuthError::duplicate_param(name));
            }
        }
        let single = |name: &str| {
            pairs
                .iter()
                .find(|(key, _)| key == name)
                .map(|(_, value)| value.as_str())
        };

        check_response_type(single("response_type"))?;
        let platform = find_platform(single("client_id"), state)?;
        let redirect_uri = resolve_redirect_uri(single("redirect_uri"), platform, state)?;
        let scope = resolve_scope(flow, single("scope"))?;
        let stripe_landing = resolve_landing(flow, &scope, single("stripe_landing"))?;
        check_always_prompt(single("always_prompt"))?;
        let suggested_capabilities = suggested_capabilities(pairs)?;

        Ok(AuthorizeRequest {
            flow,
            platform,
            client_id: state.platform(platform).client_id.clone(),
            redirect_uri,
            scope,
            state: single("state").map(str::to_owned),
            stripe_landing,
            suggested_capabilities,
            stripe_user: stripe_user_fields(pairs),
        })
    }

    /// Builds the redirect location for an approval by appending `scope` (Standard only),
    /// `code` and `state` to the redirect URI after its own query parameters.
    pub(crate) fn approval_location(&self, code: &str) -> String {
        let mut parameters = Vec::new();
        if self.flow == Flow::Standard {
            parameters.push(("scope", self.scope.as_str()));
        }
        parameters.push(("code", code));
        if let Some(state) = &self.state {
            parameters.push(("state", state.as_str()));
        }
        append_query(&self.redirect_uri, &parameters)
    }

    /// Builds the redirect location for a denial: `error=access_denied`, its description and
    /// `state`.
    pub(crate) fn denial_location(&self) -> String {
        let mut parameters = vec![
            ("error", "access_denied"),
            ("error_description", ACCESS_DENIED_DESCRIPTION),
        ];
        if let Some(state) = &self.state {
            parameters.push(("state", state.as_str()));
        }
        append_query(&self.redirect_uri, &parameters)
    }
}

fn check_response_type(response_type: Option<&str>) -> Result<(), OAuthError> {
    match response_type {
        None => Err(OAuthError::missing_param("response_type")),
        Some("code") => Ok(()),
        Some(other) => Err(OAuthError::new(
            400,
            "unsupported_response_type",
            format!("Unsupported response_type: {other}. The only supported value is code."),
        )),
    }
}

fn find_platform(client_id: Option<&str>, state: &State) -> Result<PlatformIndex, OAuthError> {
    let client_id = match client_id {
        None | Some("") => return Err(OAuthError::missing_param("client_id")),
        Some(client_id) => client_id,
    };
    // The value is never echoed: a misconfigured platform may send a secret key here.
    state.platform_by_client_id(client_id).ok_or_else(|| {
        OAuthError::new(
            400,
            "invalid_client",
            "No application matches the client_id. Use the ca_ client id from your \
             platform's Connect settings.",
        )
    })
}

fn resolve_redirect_uri(
    redirect_uri: Option<&str>,
    platform: PlatformIndex,
    state: &State,
) -> Result<String, OAuthError> {
    let registered = &state.platform(platform).redirect_uris;
    let Some(redirect_uri) = redirect_uri else {
        return Ok(registered[0].clone());
    };
    if registered.iter().any(|uri| uri == redirect_uri) {
        return Ok(redirect_uri.to_owned());
    }
    Err(OAuthError::new(
        400,
        "invalid_redirect_uri",
        format!(
            "Invalid redirect URI '{redirect_uri}'. Ensure this URI exactly matches one of \
             the redirect URIs registered in your platform's Connect settings."
        ),
    ))
}

/// Standard accepts `read_write` and `read_only` (default `read_only`). Express takes no
/// scope: any `scope` sent is ignored and the grant's scope is `express`.
fn resolve_scope(flow: Flow, scope: Option<&str>) -> Result<String, OAuthError> {
    if flow == Flow::Express {
        return Ok("express".to_owned());
    }
    match scope {
        None => Ok("read_only".to_owned()),
        Some(scope @ ("read_write" | "read_only")) => Ok(scope.to_owned()),
        Some(other) => Err(OAuthError::invalid_scope(format!(
            "Invalid scope: {other}. Use read_write or read_only."
        ))),
    }
}

/// `stripe_landing` is `login` or `register`. Stripe's default is `login` for `read_only`
/// and `register` otherwise.
fn resolve_landing(flow: Flow, scope: &str, landing: Option<&str>) -> Result<String, OAuthError> {
    match landing {
        None if flow == Flow::Standard && scope == "read_only" => Ok("login".to_owned()),
        None => Ok("register".to_owned()),
        Some(landing @ ("login" | "register")) => Ok(landing.to_owned()),
        Some(other) => Err(OAuthError::invalid_request(format!(
            "Invalid stripe_landing: {other}. Use login or register."
        ))),
    }
}

fn check_always_prompt(always_prompt: Option<&str>) -> Result<(), OAuthError> {
    match always_prompt {
        None | Some("true" | "false") => Ok(()),
        Some(other) => Err(OAuthError::invalid_request(format!(
            "Invalid always_prompt: {other}. Use true or false."
        ))),
    }
}

/// Collects `suggested_capabilities[]` values; each must be a capability name of lower-case
/// letters, digits and underscores, as Stripe's capability names are.
fn suggested_capabilities(pairs: &[(String, String)]) -> Result<Vec<String>, OAuthError> {
    let mut capabilities: Vec<String> = Vec::new();
    for (key, value) in pairs {
        if key != "suggested_capabilities[]" {
            continue;
        }
        let valid = !value.is_empty()
            && value
                .bytes()
                .all(|byte| byte.is_ascii_lowercase() || byte.is_ascii_digit() || byte == b'_');
        if !valid {
            return Err(OAuthError::invalid_request(format!(
                "Invalid suggested_capabilities[] value: {value:?}."
            )));
        }
        if !capabilities.contains(value) {
            capabilities.push(value.clone());
        }
    }
    Ok(capabilities)
}

/// Collects `stripe_user[KEY]` pairs whose KEY is lower-case letters, digits and
/// underscores; Stripe silently ignores prefill parameters it cannot use.
fn stripe_user_fields(pairs: &[(String, String)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .filter_map(|(key, value)| {
            let field = key.strip_prefix("stripe_user[")?.strip_suffix(']')?;
            let valid = !field.is_empty()
                && field
                    .bytes()
                    .all(|byte| byte.is_ascii_lowercase() || byte.is_ascii_digit() || byte == b'_');
            valid.then(|| (field.to_owned(), value.clone()))
        })
        .collect()
}

/// Appends percent-encoded parameters to `uri`, after any query it already has.
pub(crate) fn append_query(uri: &str, parameters: &[(&str, &str)]) -> String {
    let mut location = uri.to_owned();
    let mut separator = match uri.find('?') {
        None => "?",
        Some(_) if uri.ends_with('?') || uri.ends_with('&') => "",
        Some(_) => "&",
    };
    for (name, value) in parameters {
        location.push_str(separator);
        location.push_str(name);
        location.push('=');
        location.extend(utf8_percent_encode(value, QUERY_VALUE));
        separator = "&";
    }
    location
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn append_query_starts_a_query() {
        assert_eq!(
            append_query("http://127.0.0.1/cb", &[("code", "ac_1"), ("state", "S 1")]),
            "http://127.0.0.1/cb?code=ac_1&state=S%201"
        );
    }

    #[test]
    fn append_query_keeps_existing_parameters() {
        assert_eq!(
            append_query(
                "http://127.0.0.1/index.php?rt=account/login&provider=stripe",
                &[("code", "ac_1")]
            ),
            "http://127.0.0.1/index.php?rt=account/login&provider=stripe&code=ac_1"
        );
    }

    #[test]
    fn append_query_escapes_reserved_characters() {
        assert_eq!(
            append_query("http://127.0.0.1/cb", &[("state", "a+b&c=d/é")]),
            "http://127.0.0.1/cb?state=a%2Bb%26c%3Dd%2F%C3%A9"
        );
    }

    #[test]
    fn stripe_user_fields_keep_valid_keys_only() {
        let pairs = vec![
            ("stripe_user[email]".to_owned(), "a@b.c".to_owned()),
            ("stripe_user[<b>]".to_owned(), "x".to_owned()),
            ("stripe_user".to_owned(), "y".to_owned()),
        ];
        assert_eq!(
            stripe_user_fields(&pairs),
            vec![("email".to_owned(), "a@b.c".to_owned())]
        );
    }
}
