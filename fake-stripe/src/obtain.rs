//! Obtaining an authorization code without a browser.

use std::fmt;

use serde::{Deserialize, Serialize};

/// The user's choice on the onboarding page.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    /// The user authorizes the platform; the redirect carries a code.
    #[default]
    Approve,
    /// The user denies; the redirect carries `error=access_denied`.
    Deny,
}

/// The parameters of an authorize request plus the user's decision.
///
/// Unset fields are left out of the authorize request, except `client_id`, which defaults
/// to the platform under test. The request is validated exactly as the authorize endpoints
/// validate a browser's request.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CodeRequest {
    /// Use the Express flow (`/express/oauth/authorize`) instead of Standard.
    pub express: bool,
    /// `client_id`; `None` uses the platform under test.
    pub client_id: Option<String>,
    /// `redirect_uri`; `None` uses the platform's first registered one.
    pub redirect_uri: Option<String>,
    /// `scope` (`read_write` or `read_only`); Standard defaults to `read_only`, Express
    /// ignores it.
    pub scope: Option<String>,
    /// `state`, echoed on the redirect.
    pub state: Option<String>,
    /// `stripe_landing` (`login` or `register`).
    pub stripe_landing: Option<String>,
    /// `suggested_capabilities[]` items; they become the new account's capabilities
    /// (the configured default capabilities when empty).
    pub suggested_capabilities: Vec<String>,
    /// `stripe_user[KEY]` prefill values as (KEY, value).
    pub stripe_user: Vec<(String, String)>,
    /// Approve (default) or deny.
    pub decision: Decision,
    /// Issue a live-mode code; default test mode.
    pub livemode: bool,
    /// Reconnect this existing account (`acct_…`) instead of creating a new one.
    pub stripe_user_id: Option<String>,
}

impl CodeRequest {
    /// Returns a Standard request with every field at its default: approve, test mode.
    pub fn standard() -> Self {
        CodeRequest::default()
    }

    /// Returns an Express request with every other field at its default: approve, test mode.
    pub fn express() -> Self {
        CodeRequest {
            express: true,
            ..CodeRequest::default()
        }
    }

    /// Encodes the request as authorize query pairs.
    pub(crate) fn authorize_pairs(&self, default_client_id: &str) -> Vec<(String, String)> {
        let mut pairs = vec![
            ("response_type".to_owned(), "code".to_owned()),
            (
                "client_id".to_owned(),
                self.client_id
                    .clone()
                    .unwrap_or_else(|| default_client_id.to_owned()),
            ),
        ];
        let optional = [
            ("redirect_uri", &self.redirect_uri),
            ("scope", &self.scope),
            ("state", &self.state),
            ("stripe_landing", &self.stripe_landing),
        ];
        for (name, value) in optional {
            if let Some(value) = value {
                pairs.push((name.to_owned(), value.clone()));
            }
        }
        for capability in &self.suggested_capabilities {
            pairs.push(("suggested_capabilities[]".to_owned(), capability.clone()));
        }
        for (key, value) in &self.stripe_user {
            pairs.push((format!("stripe_user[{key}]"), value.clone()));
        }
        pairs
    }
}

/// The result of an authorize decision: where the browser would be sent, and what that
/// redirect carries.
///
/// `Debug` hides the code and the location, which contains the code.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ObtainedCode {
    /// The full redirect URL (the `Location` header of the decision's 302).
    pub location: String,
    /// The authorization code (`ac_…`); `None` when the user denied.
    pub code: Option<String>,
    /// The `state` echoed on the redirect, if the request had one.
    pub state: Option<String>,
    /// The `scope` parameter on the redirect: Standard approvals only.
    pub scope: Option<String>,
    /// The connected account (`acct_…`) the code is for; `None` when the user denied.
    pub stripe_user_id: Option<String>,
}

impl ObtainedCode {
    /// Returns the authorization code.
    ///
    /// # Panics
    ///
    /// When the user denied, so there is no code; meant for tests.
    pub fn expect_code(&self) -> &str {
        self.code
            .as_deref()
            .expect("the authorize decision was a denial, so no code was issued")
    }
}

impl fmt::Debug for ObtainedCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ObtainedCode")
            .field("location", &"[redacted]")
            .field("code", &self.code.as_ref().map(|_| "ac_[redacted]"))
            .field("state", &self.state)
            .field("scope", &self.scope)
            .field("stripe_user_id", &self.stripe_user_id)
            .finish()
    }
}
