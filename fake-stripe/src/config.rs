//! Platform credentials and server settings.

use std::fmt;
use std::io;
use std::time::Duration;

use serde::{Deserialize, Serialize};

/// Port that the `fake-stripe-connect` binary listens on when `--port` is not given.
pub const DEFAULT_PORT: u16 = 12121;

/// Credentials and registered redirect URIs of one Connect platform.
///
/// The keys are fake values that only this server accepts. `Debug` shows the client id and
/// the redirect URIs but only the prefix of each key.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlatformCredentials {
    /// Platform client id (`ca_…`), sent as `client_id` on authorize and deauthorize.
    pub client_id: String,
    /// Test-mode secret key (`sk_test_…`).
    pub test_secret_key: String,
    /// Live-mode secret key (`sk_live_…`).
    pub live_secret_key: String,
    /// Test-mode restricted key (`rk_test_…`), accepted like the test secret key.
    pub test_restricted_key: String,
    /// Live-mode restricted key (`rk_live_…`), accepted like the live secret key.
    pub live_restricted_key: String,
    /// Test-mode publishable key (`pk_test_…`), rejected by the token endpoints.
    pub test_publishable_key: String,
    /// Live-mode publishable key (`pk_live_…`), rejected by the token endpoints.
    pub live_publishable_key: String,
    /// Registered redirect URIs in order. The first one is used when an authorize request
    /// has no `redirect_uri`.
    pub redirect_uris: Vec<String>,
}

impl PlatformCredentials {
    /// Builds credentials whose identifiers all end in `name`, such as `ca_{name}` and
    /// `sk_test_{name}`, with the given redirect URIs.
    pub fn named(name: &str, redirect_uris: Vec<String>) -> Self {
        PlatformCredentials {
            client_id: format!("ca_{name}"),
            test_secret_key: format!("sk_test_{name}"),
            live_secret_key: format!("sk_live_{name}"),
            test_restricted_key: format!("rk_test_{name}"),
            live_restricted_key: format!("rk_live_{name}"),
            test_publishable_key: format!("pk_test_{name}"),
            live_publishable_key: format!("pk_live_{name}"),
            redirect_uris,
        }
    }

    /// Checks key prefixes and redirect URIs.
    fn validate(&self, role: &str) -> Result<(), String> {
        let prefixed = [
            ("client_id", &self.client_id, "ca_"),
            ("test_secret_key", &self.test_secret_key, "sk_test_"),
            ("live_secret_key", &self.live_secret_key, "sk_live_"),
            ("test_restricted_key", &self.test_restricted_key, "rk_test_"),
            ("live_restricted_key", &self.live_restricted_key, "rk_live_"),
            (
                "test_publishable_key",
                &self.test_publishable_key,
                "pk_test_",
            ),
            (
                "live_publishable_key",
                &self.live_publishable_key,
                "pk_live_",
            ),
        ];
        for (field, value, prefix) in prefixed {
            if !value.starts_with(prefix) || value.len() == prefix.len() {
                return Err(format!(
                    "{role} {field} must start with {prefix} and have characters after it"
                ));
            }
        }

        if self.redirect_uris.is_empty() {
            return Err(format!("{role} needs at least one redirect URI"));
        }
        for uri in &self.redirect_uris {
            validate_redirect_uri(uri).map_err(|reason| format!("{role} {reason}"))?;
        }
        Ok(())
    }

    pub(crate) fn keys(&self) -> [&str; 6] {
        [
            &self.test_secret_key,
            &self.live_secret_key,
            &self.test_restricted_key,
            &self.live_restricted_key,
            &self.test_publishable_key,
            &self.live_publishable_key,
        ]
    }
}

impl fmt::Debug for PlatformCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PlatformCredentials")
            .field("client_id", &self.client_id)
            .field("test_secret_key", &"sk_test_[redacted]")
            .field("live_secret_key", &"sk_live_[redacted]")
            .field("test_restricted_key", &"rk_test_[redacted]")
            .field("live_restricted_key", &"rk_live_[redacted]")
            .field("test_publishable_key", &self.test_publishable_key)
            .field("live_publishable_key", &self.live_publishable_key)
            .field("redirect_uris", &self.redirect_uris)
            .finish()
    }
}

/// Checks that `uri` is an absolute http or https URL without a fragment, as OAuth 2.0
/// requires of a redirection endpoint (RFC 6749 section 3.1.2).
pub(crate) fn validate_redirect_uri(uri: &str) -> Result<(), String> {
    let parsed = url::Url::parse(uri)
        .map_err(|error| format!("redirect URI is not an absolute URL ({error})"))?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err("redirect URI must use http or https".to_owned());
    }
    if parsed.fragment().is_some() {
        return Err("redirect URI must not have a fragment".to_owned());
    }
    Ok(())
}

/// Settings of a fake server: its two platforms and its connection limits.
///
/// `Default` gives port 0 (any free port), the platform `ca_FakeStripePlatformA` with
/// redirect URIs `http://127.0.0.1:8080/callback` and
/// `http://127.0.0.1:8080/index.php?rt=account/login&provider=stripe`, the other platform
/// `ca_FakeStripePlatformB` with `http://127.0.0.1:8081/callback`, default capabilities
/// `card_payments` and `transfers`, a 30 s idle timeout and at most 256 open connections.
#[derive(Clone, Debug)]
pub struct FakeStripeConfig {
    /// Loopback port to bind; 0 picks a free port. Default 0.
    pub port: u16,
    /// The platform under test.
    pub platform: PlatformCredentials,
    /// A second platform, so tests can present one platform's code with the other's key.
    pub other_platform: PlatformCredentials,
    /// Capabilities a new connected account gets when the authorize request suggests none.
    /// Default `card_payments`, `transfers`.
    pub default_capabilities: Vec<String>,
    /// How long an idle keep-alive connection stays open. Default 30 s.
    pub idle_timeout: Duration,
    /// Open connections served at once; further ones get a 503 and are closed. Default 256.
    pub max_connections: usize,
}

impl Default for FakeStripeConfig {
    fn default() -> Self {
        FakeStripeConfig {
            port: 0,
            platform: PlatformCredentials::named(
                "FakeStripePlatformA",
                vec![
                    "http://127.0.0.1:8080/callback".to_owned(),
                    "http://127.0.0.1:8080/index.php?rt=account/login&provider=stripe".to_owned(),
                ],
            ),
            other_platform: PlatformCredentials::named(
                "FakeStripePlatformB",
                vec!["http://127.0.0.1:8081/callback".to_owned()],
            ),
            default_capabilities: vec!["card_payments".to_owned(), "transfers".to_owned()],
            idle_timeout: Duration::from_secs(30),
            max_connections: 256,
        }
    }
}

impl FakeStripeConfig {
    /// Sets the loopback port to bind (0 picks a free one).
    pub fn with_port(mut self, port: u16) -> Self {
        self.port = port;
        self
    }

    /// Registers one more redirect URI for the platform under test, after the existing ones.
    pub fn with_redirect_uri(mut self, uri: impl Into<String>) -> Self {
        self.platform.redirect_uris.push(uri.into());
        self
    }

    /// Checks the configuration before the server starts.
    ///
    /// # Errors
    ///
    /// `InvalidInput` when a key has the wrong prefix, a redirect URI is not an absolute
    /// http(s) URL without fragment, a platform has no redirect URI, the two platforms share
    /// an identifier, or `max_connections` is 0.
    pub fn validate(&self) -> io::Result<()> {
        let invalid = |message: String| io::Error::new(io::ErrorKind::InvalidInput, message);

        self.platform.validate("platform").map_err(invalid)?;
        self.other_platform
            .validate("other platform")
            .map_err(invalid)?;

        let mut identifiers: Vec<&str> = vec![&self.platform.client_id];
        identifiers.extend(self.platform.keys());
        identifiers.push(&self.other_platform.client_id);
        identifiers.extend(self.other_platform.keys());
        let count = identifiers.len();
        identifiers.sort_unstable();
        identifiers.dedup();
        if identifiers.len() != count {
            return Err(invalid(
                "every client id and key must be different across both platforms".to_owned(),
            ));
        }

        if self.max_connections == 0 {
            return Err(invalid("max_connections must be at least 1".to_owned()));
        }
        Ok(())
    }
}
