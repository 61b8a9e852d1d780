//! The OAuth error body that Stripe's Connect endpoints return.

use std::fmt;

use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::http::Response;

/// An OAuth error as the server sends it: `{"error": …, "error_description": …}` with an HTTP
/// status (RFC 6749 section 5.2).
///
/// The Rust helpers return it for authorize requests that the server rejects, and those never
/// contain a key or a token. Token endpoint errors sent over HTTP may echo the authorization
/// code that the client sent, as Stripe does ("Authorization code does not exist: ac_…").
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OAuthError {
    /// HTTP status of the response: usually 400, and 401 for a failed client authentication
    /// at the token endpoints.
    pub status: u16,
    /// Error code such as `invalid_request`, `invalid_client` or `invalid_grant`.
    pub error: String,
    /// Human-readable description.
    pub error_description: String,
}

impl OAuthError {
    pub(crate) fn new(status: u16, error: &str, description: impl Into<String>) -> Self {
        OAuthError {
            status,
            error: error.to_owned(),
            error_description: description.into(),
        }
    }

    pub(crate) fn invalid_request(description: impl Into<String>) -> Self {
        Self::new(400, "invalid_request", description)
    }

    /// A failed client authentication at a token endpoint, sent with status 401 as RFC 6749
    /// section 5.2 specifies.
    pub(crate) fn invalid_client(description: impl Into<String>) -> Self {
        Self::new(401, "invalid_client", description)
    }

    pub(crate) fn invalid_grant(description: impl Into<String>) -> Self {
        Self::new(400, "invalid_grant", description)
    }

    pub(crate) fn invalid_scope(description: impl Into<String>) -> Self {
        Self::new(400, "invalid_scope", description)
    }

    pub(crate) fn missing_param(name: &str) -> Self {
        Self::invalid_request(format!("Missing required param: {name}."))
    }

    pub(crate) fn duplicate_param(name: &str) -> Self {
        Self::invalid_request(format!(
            "The parameter {name} was sent more than once; send it once."
        ))
    }

    pub(crate) fn to_response(&self) -> Response {
        let body = json!({
            "error": self.error,
            "error_description": self.error_description,
        });
        let mut response = Response::json(self.status, &body).no_store();
        if self.status == 401 {
            response = response.header("WWW-Authenticate", "Basic realm=\"Stripe\"");
        }
        response
    }
}

impl fmt::Display for OAuthError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} (HTTP {}): {}",
            self.error, self.status, self.error_description
        )
    }
}

impl std::error::Error for OAuthError {}
