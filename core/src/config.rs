//! The platform's Connect settings shared by every request this crate builds.

use std::net::IpAddr;

use url::{Host, Url};

use crate::error::Error;
use crate::secret::{ClientId, SecretKey};

/// The default connect base, used for authorize, token and deauthorize alike.
pub const DEFAULT_CONNECT_BASE: &str = "https://connect.stripe.com";

/// The origin of Stripe's OAuth endpoints: `https://connect.stripe.com` unless overridden.
///
/// The base must use `https`, except on a loopback host (`127.0.0.0/8`, `::1`, `localhost`),
/// which local stand-ins of Stripe use. It has no query, fragment or user info. A path prefix
/// is kept, so a base of `http://127.0.0.1:8000/stripe` gives `…/stripe/oauth/token`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConnectBase(String);

impl ConnectBase {
    /// Checks and wraps a connect base URL.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] when the value is not an absolute `http` or `https` URL, uses
    /// `http` on a host that is not loopback, or has a query, fragment or user info.
    pub fn new(base: &str) -> Result<Self, Error> {
        let url = Url::parse(base).map_err(|error| {
            Error::invalid_input(
                "connect_base",
                format!("the connect_base is not an absolute URL ({error}): use https://connect.stripe.com"),
            )
        })?;
        let loopback = match url.host() {
            Some(Host::Domain(domain)) => domain.eq_ignore_ascii_case("localhost"),
            Some(Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
            Some(Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
            None => false,
        };
        match url.scheme() {
            "https" => {}
            "http" if loopback => {}
            "http" => {
                return Err(Error::invalid_input(
                    "connect_base",
                    "the connect_base must use https unless its host is loopback \
                     (127.0.0.1, ::1 or localhost), because requests carry the secret key",
                ));
            }
            _ => {
                return Err(Error::invalid_input(
                    "connect_base",
                    "the connect_base must be an https URL such as https://connect.stripe.com",
                ));
            }
        }
        if url.host().is_none() {
            return Err(Error::invalid_input(
                "connect_base",
                "the connect_base has no host: use https://connect.stripe.com",
            ));
        }
        if url.query().is_some() || url.fragment().is_some() {
            return Err(Error::invalid_input(
                "connect_base",
                "the connect_base must not have a query or fragment",
            ));
        }
        if !url.username().is_empty() || url.password().is_some() {
            return Err(Error::invalid_input(
                "connect_base",
                "the connect_base must not contain user info: pass the secret key separately",
            ));
        }
        let serialized = url.as_str().trim_end_matches('/').to_owned();
        Ok(Self(serialized))
    }

    /// Returns the base without a trailing slash.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub(crate) fn join(&self, path: &str) -> String {
        [self.0.as_str(), path].concat()
    }
}

impl Default for ConnectBase {
    fn default() -> Self {
        Self(DEFAULT_CONNECT_BASE.to_owned())
    }
}

/// The credential scheme of token and deauthorize requests.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum CredentialScheme {
    /// HTTP Basic with the key as user name and an empty password, as Stripe's docs show
    /// (`curl -u sk_test_…:`).
    #[default]
    Basic,
    /// `Authorization: Bearer sk_…`.
    Bearer,
}

impl CredentialScheme {
    /// Parses `basic` or `bearer`.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] for any other value.
    pub fn parse(credential_scheme: &str) -> Result<Self, Error> {
        match credential_scheme {
            "basic" => Ok(Self::Basic),
            "bearer" => Ok(Self::Bearer),
            _ => Err(Error::invalid_input(
                "credential_scheme",
                "the credential_scheme must be basic or bearer",
            )),
        }
    }
}

/// A scope of Standard account access.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Scope {
    /// `read_write`: the default for Standard accounts.
    ReadWrite,
    /// `read_only`.
    ReadOnly,
}

impl Scope {
    /// Returns the scope as it appears on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::ReadWrite => "read_write",
            Self::ReadOnly => "read_only",
        }
    }

    /// Parses `read_write` or `read_only`.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] for any other value.
    pub fn parse(scope: &str) -> Result<Self, Error> {
        match scope {
            "read_write" => Ok(Self::ReadWrite),
            "read_only" => Ok(Self::ReadOnly),
            _ => Err(Error::invalid_input(
                "scope",
                "the scope must be read_write or read_only",
            )),
        }
    }
}

/// A platform's Connect OAuth settings: the connect base, the client id, the secret key and
/// how the key is sent.
///
/// Setters are named after the fields. Nothing here performs I/O.
#[derive(Clone, Debug, Default)]
pub struct ConnectConfig {
    pub(crate) connect_base: ConnectBase,
    pub(crate) client_id: Option<ClientId>,
    pub(crate) secret_key: Option<SecretKey>,
    pub(crate) credential_scheme: CredentialScheme,
}

impl ConnectConfig {
    /// Creates settings with the default base, no client id and no secret key.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the origin of Stripe's OAuth endpoints. Default: `https://connect.stripe.com`.
    pub fn connect_base(mut self, connect_base: ConnectBase) -> Self {
        self.connect_base = connect_base;
        self
    }

    /// Sets the platform's client id, needed for authorize URLs and deauthorize. Default: none.
    pub fn client_id(mut self, client_id: ClientId) -> Self {
        self.client_id = Some(client_id);
        self
    }

    /// Sets the platform's secret key, used unless a call passes its own. Default: none.
    pub fn secret_key(mut self, secret_key: SecretKey) -> Self {
        self.secret_key = Some(secret_key);
        self
    }

    /// Sets how the secret key is sent. Default: [`CredentialScheme::Basic`].
    pub fn credential_scheme(mut self, credential_scheme: CredentialScheme) -> Self {
        self.credential_scheme = credential_scheme;
        self
    }

    /// Returns the connect base.
    pub fn get_connect_base(&self) -> &ConnectBase {
        &self.connect_base
    }

    /// Returns the client id, if set.
    pub fn get_client_id(&self) -> Option<&ClientId> {
        self.client_id.as_ref()
    }

    pub(crate) fn require_client_id(&self) -> Result<&ClientId, Error> {
        self.client_id.as_ref().ok_or_else(|| {
            Error::invalid_input(
                "client_id",
                "no client_id is configured: set the platform's ca_… client id \
                 from the Connect settings of the Stripe Dashboard",
            )
        })
    }

    /// Picks the per-call key when given, else the configured one.
    pub(crate) fn pick_secret_key<'a>(
        &'a self,
        per_call: Option<&'a SecretKey>,
    ) -> Result<&'a SecretKey, Error> {
        per_call.or(self.secret_key.as_ref()).ok_or_else(|| {
            Error::invalid_input(
                "secret key",
                "no secret key is configured or passed: set the platform's secret key (sk_…)",
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn connect_base_requires_https_off_loopback() {
        assert!(ConnectBase::new("http://connect.stripe.com").is_err());
        assert!(ConnectBase::new("https://connect.stripe.com").is_ok());
        for loopback in [
            "http://127.0.0.1:12121",
            "http://127.9.8.7",
            "http://[::1]:80",
            "http://localhost:1",
        ] {
            assert!(
                ConnectBase::new(loopback).is_ok(),
                "{loopback} was rejected"
            );
        }
    }

    #[test]
    fn connect_base_rejects_query_and_user_info() {
        for bad in [
            "https://connect.stripe.com/?a=b",
            "https://connect.stripe.com/#x",
            "https://sk_test_1:@connect.stripe.com",
            "ftp://connect.stripe.com",
            "connect.stripe.com",
        ] {
            assert!(ConnectBase::new(bad).is_err(), "{bad} was accepted");
        }
    }

    #[test]
    fn connect_base_drops_trailing_slash() {
        let base = ConnectBase::new("http://127.0.0.1:9/prefix/").unwrap();
        assert_eq!(
            base.join("/oauth/token"),
            "http://127.0.0.1:9/prefix/oauth/token"
        );
    }
}
