//! Connected accounts, authorization codes and refresh tokens, and the fake clock.
//!
//! The rules follow Stripe's Connect OAuth reference. A code is single use and expires after
//! five minutes, and presenting a used code revokes what its first exchange issued. The
//! tokens returned have the mode of the secret key used, but a test-mode grant never yields
//! live tokens. A refresh token yields an equal or narrower scope.

use std::collections::HashMap;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::config::{FakeStripeConfig, PlatformCredentials};
use crate::error::OAuthError;
use crate::ids::random_id;

/// How long an authorization code can be exchanged, on the fake clock.
pub const CODE_LIFETIME: Duration = Duration::from_secs(5 * 60);

/// Index of a platform: 0 is the platform under test, 1 the other platform.
pub(crate) type PlatformIndex = usize;

/// The two onboarding flows, with their own authorize paths.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Flow {
    Standard,
    Express,
}

impl Flow {
    pub(crate) fn name(self) -> &'static str {
        match self {
            Flow::Standard => "standard",
            Flow::Express => "express",
        }
    }
}

/// A connected account as the control API reports it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConnectedAccount {
    /// Account id (`acct_…`).
    pub stripe_user_id: String,
    /// Client id of the platform the account was connected to.
    pub client_id: String,
    /// `standard` or `express`.
    pub account_type: String,
    /// False once the platform deauthorized the account.
    pub connected: bool,
    /// Capabilities the account has, checked by `assert_capabilities[]`.
    pub capabilities: Vec<String>,
}

/// The platform and mode of a token endpoint caller, found from its secret key.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Caller {
    pub(crate) platform: PlatformIndex,
    pub(crate) livemode: bool,
}

/// Kind of a key presented to a token endpoint.
pub(crate) enum KeyKind {
    Secret(Caller),
    Publishable,
    Unknown,
}

/// An approval on the onboarding page, with what it grants.
pub(crate) struct Grant {
    pub(crate) platform: PlatformIndex,
    pub(crate) flow: Flow,
    /// `read_write`, `read_only` or `express`.
    pub(crate) scope: String,
    pub(crate) livemode: bool,
    pub(crate) capabilities: Vec<String>,
    /// Reconnect this existing account instead of creating one.
    pub(crate) existing_account: Option<String>,
}

struct Account {
    platform: PlatformIndex,
    flow: Flow,
    connected: bool,
    capabilities: Vec<String>,
    test_publishable_key: String,
    live_publishable_key: String,
}

struct AuthorizationCode {
    platform: PlatformIndex,
    account: String,
    scope: String,
    livemode: bool,
    /// Fake-clock time of issue, since the Unix epoch.
    issued_at: Duration,
    used: bool,
    /// Refresh tokens issued by the first exchange, revoked if the code is presented again.
    refresh_tokens: Vec<String>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Revocation {
    CodeReused,
    Deauthorized,
}

struct RefreshGrant {
    platform: PlatformIndex,
    account: String,
    scope: String,
    /// Mode of the code the token came from; a test-mode origin never yields live tokens.
    livemode: bool,
    revoked: Option<Revocation>,
}

/// Everything the OAuth endpoints read and change, behind one lock.
pub(crate) struct State {
    platforms: [PlatformCredentials; 2],
    default_capabilities: Vec<String>,
    clock_offset: Duration,
    accounts: HashMap<String, Account>,
    codes: HashMap<String, AuthorizationCode>,
    refresh_tokens: HashMap<String, RefreshGrant>,
}

impl std::fmt::Debug for State {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("State")
            .field("platforms", &self.platforms)
            .field("clock_offset", &self.clock_offset)
            .field("accounts", &self.accounts.len())
            .field("codes", &self.codes.len())
            .field("refresh_tokens", &self.refresh_tokens.len())
            .finish()
    }
}

impl State {
    pub(crate) fn new(config: &FakeStripeConfig) -> Self {
        State {
            platforms: [config.platform.clone(), config.other_platform.clone()],
            default_capabilities: config.default_capabilities.clone(),
            clock_offset: Duration::ZERO,
            accounts: HashMap::new(),
            codes: HashMap::new(),
            refresh_tokens: HashMap::new(),
        }
    }

    pub(crate) fn platform(&self, index: PlatformIndex) -> &PlatformCredentials {
        &self.platforms[index]
    }

    pub(crate) fn platform_by_client_id(&self, client_id: &str) -> Option<PlatformIndex> {
        self.platforms
            .iter()
            .position(|platform| platform.client_id == client_id)
    }

    pub(crate) fn default_capabilities(&self) -> &[String] {
        &self.default_capabilities
    }

    /// Registers one more redirect URI for a platform, after the existing ones.
    pub(crate) fn add_redirect_uri(
        &mut self,
        platform: PlatformIndex,
        uri: &str,
    ) -> Result<(), String> {
        crate::config::validate_redirect_uri(uri)?;
        let uris = &mut self.platforms[platform].redirect_uris;
        if !uris.iter().any(|existing| existing == uri) {
            uris.push(uri.to_owned());
        }
        Ok(())
    }

    /// Current time on the fake clock, since the Unix epoch.
    pub(crate) fn now(&self) -> Duration {
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap_or_default()
            + self.clock_offset
    }

    pub(crate) fn clock_offset(&self) -> Duration {
        self.clock_offset
    }

    pub(crate) fn advance_clock(&mut self, by: Duration) {
        self.clock_offset = self.clock_offset.saturating_add(by);
    }

    /// Forgets accounts, codes and tokens and sets the clock back; registered redirect URIs
    /// stay.
    pub(crate) fn reset(&mut self) {
        self.clock_offset = Duration::ZERO;
        self.accounts.clear();
        self.codes.clear();
        self.refresh_tokens.clear();
    }

    pub(crate) fn identify_key(&self, key: &str) -> KeyKind {
        for (platform, credentials) in self.platforms.iter().enumerate() {
            let secret_keys = [
                (&credentials.test_secret_key, false),
                (&credentials.live_secret_key, true),
                (&credentials.test_restricted_key, false),
                (&credentials.live_restricted_key, true),
            ];
            if let Some((_, livemode)) = secret_keys.iter().find(|(known, _)| *known == key) {
                return KeyKind::Secret(Caller {
                    platform,
                    livemode: *livemode,
                });
            }
            if key == credentials.test_publishable_key || key == credentials.live_publishable_key {
                return KeyKind::Publishable;
            }
        }
        if key.starts_with("pk_") {
            KeyKind::Publishable
        } else {
            KeyKind::Unknown
        }
    }

    /// Creates (or reconnects) the connected account and issues a code for it.
    /// Returns the code and the account id.
    pub(crate) fn issue_code(&mut self, grant: Grant) -> Result<(String, String), OAuthError> {
        let account_id = match grant.existing_account.clone() {
            Some(account_id) => {
                self.reconnect(&account_id, &grant)?;
                account_id
            }
            None => self.create_account(&grant),
        };

        let code = random_id("ac_", 32);
        self.codes.insert(
            code.clone(),
            AuthorizationCode {
                platform: grant.platform,
                account: account_id.clone(),
                scope: grant.scope,
                livemode: grant.livemode,
                issued_at: self.now(),
                used: false,
                refresh_tokens: Vec::new(),
            },
        );
        Ok((code, account_id))
    }

    fn create_account(&mut self, grant: &Grant) -> String {
        let account_id = random_id("acct_", 16);
        self.accounts.insert(
            account_id.clone(),
            Account {
                platform: grant.platform,
                flow: grant.flow,
                connected: true,
                capabilities: grant.capabilities.clone(),
                test_publishable_key: random_id("pk_test_", 32),
                live_publishable_key: random_id("pk_live_", 32),
            },
        );
        account_id
    }

    fn reconnect(&mut self, account_id: &str, grant: &Grant) -> Result<(), OAuthError> {
        let account = self
            .accounts
            .get_mut(account_id)
            .filter(|account| account.platform == grant.platform && account.flow == grant.flow)
            .ok_or_else(|| {
                OAuthError::invalid_request(format!(
                    "No {} account {account_id} was ever connected to this platform.",
                    grant.flow.name()
                ))
            })?;
        account.connected = true;
        Ok(())
    }

    /// Exchanges an authorization code (`grant_type=authorization_code`).
    pub(crate) fn exchange_code(
        &mut self,
        caller: Caller,
        code: &str,
        asserted_capabilities: &[String],
    ) -> Result<Value, OAuthError> {
        let now = self.now();
        let Some(grant) = self.codes.get(code) else {
            return Err(OAuthError::invalid_grant(format!(
                "Authorization code does not exist: {code}"
            )));
        };

        if grant.platform != caller.platform {
            return Err(OAuthError::invalid_grant(
                "Authorization code provided does not belong to you",
            ));
        }
        if grant.used {
            self.revoke_code_tokens(code);
            return Err(OAuthError::invalid_grant(
                "This authorization code has already been used. All tokens issued with this \
                 code have been revoked.",
            ));
        }
        if now.saturating_sub(grant.issued_at) >= CODE_LIFETIME {
            return Err(OAuthError::invalid_grant("Authorization code expired"));
        }
        if caller.livemode && !grant.livemode {
            return Err(OAuthError::invalid_grant(
                "Passed in livemode API key but authorization code only supports returning \
                 test keys",
            ));
        }

        let account_id = grant.account.clone();
        let scope = grant.scope.clone();
        let origin_livemode = grant.livemode;
        let account = &self.accounts[&account_id];
        if !account.connected {
            return Err(OAuthError::invalid_grant(format!(
                "The account {account_id} was disconnected from your platform after this \
                 authorization code was issued."
            )));
        }
        check_capabilities(&account_id, &account.capabilities, asserted_capabilities)?;

        let refresh_token = random_id("rt_", 32);
        self.refresh_tokens.insert(
            refresh_token.clone(),
            RefreshGrant {
                platform: caller.platform,
                account: account_id.clone(),
                scope: scope.clone(),
                livemode: origin_livemode,
                revoked: None,
            },
        );
        if let Some(grant) = self.codes.get_mut(code) {
            grant.used = true;
            grant.refresh_tokens.push(refresh_token.clone());
        }

        let capabilities = (!asserted_capabilities.is_empty()).then_some(asserted_capabilities);
        Ok(self.token_response(
            &account_id,
            caller.livemode,
            &scope,
            &refresh_token,
            capabilities,
        ))
    }

    fn revoke_code_tokens(&mut self, code: &str) {
        let Some(grant) = self.codes.get(code) else {
            return;
        };
        for token in &grant.refresh_tokens {
            if let Some(refresh) = self.refresh_tokens.get_mut(token) {
                refresh.revoked.get_or_insert(Revocation::CodeReused);
            }
        }
    }

    /// Issues a new access token from a refresh token (`grant_type=refresh_token`).
    pub(crate) fn refresh(
        &mut self,
        caller: Caller,
        refresh_token: &str,
        requested_scope: Option<&str>,
    ) -> Result<Value, OAuthError> {
        let Some(grant) = self.refresh_tokens.get(refresh_token) else {
            return Err(OAuthError::invalid_grant(
                "Invalid refresh token: no such refresh token exists.",
            ));
        };

        if grant.platform != caller.platform {
            return Err(OAuthError::invalid_grant(
                "Refresh token provided does not belong to you",
            ));
        }
        match grant.revoked {
            Some(Revocation::CodeReused) => {
                return Err(OAuthError::invalid_grant(
                    "This refresh token has been revoked because its authorization code was \
                     used more than once.",
                ));
            }
            Some(Revocation::Deauthorized) => {
                return Err(OAuthError::invalid_grant(
                    "This refresh token has been revoked because the account was disconnected \
                     from your platform.",
                ));
            }
            None => {}
        }
        if caller.livemode && !grant.livemode {
            return Err(OAuthError::invalid_grant(
                "Passed in livemode API key but refresh token only supports returning test \
                 keys",
            ));
        }

        let scope = narrowed_scope(&grant.scope, requested_scope)?;
        let account_id = grant.account.clone();
        Ok(self.token_response(&account_id, caller.livemode, &scope, refresh_token, None))
    }

    /// Disconnects an account from the caller's platform (`POST /oauth/deauthorize`).
    pub(crate) fn deauthorize(
        &mut self,
        caller: Caller,
        client_id: &str,
        account_id: &str,
    ) -> Result<Value, OAuthError> {
        match self.platform_by_client_id(client_id) {
            None => {
                return Err(OAuthError::invalid_client(format!(
                    "No such application: {client_id}"
                )));
            }
            Some(platform) if platform != caller.platform => {
                return Err(OAuthError::invalid_client(
                    "The client_id belongs to a different platform than the API key.",
                ));
            }
            Some(_) => {}
        }

        let not_connected = || {
            OAuthError::invalid_client(format!(
                "This application is not connected to stripe account {account_id}, or that \
                 account does not exist."
            ))
        };
        let account = self
            .accounts
            .get_mut(account_id)
            .filter(|account| account.platform == caller.platform && account.connected)
            .ok_or_else(not_connected)?;
        account.connected = false;

        for grant in self.refresh_tokens.values_mut() {
            if grant.account == account_id {
                grant.revoked.get_or_insert(Revocation::Deauthorized);
            }
        }
        Ok(json!({ "stripe_user_id": account_id }))
    }

    pub(crate) fn accounts(&self) -> Vec<ConnectedAccount> {
        let mut accounts: Vec<ConnectedAccount> = self
            .accounts
            .iter()
            .map(|(id, account)| ConnectedAccount {
                stripe_user_id: id.clone(),
                client_id: self.platforms[account.platform].client_id.clone(),
                account_type: account.flow.name().to_owned(),
                connected: account.connected,
                capabilities: account.capabilities.clone(),
            })
            .collect();
        accounts.sort_by(|a, b| a.stripe_user_id.cmp(&b.stripe_user_id));
        accounts
    }

    fn token_response(
        &self,
        account_id: &str,
        livemode: bool,
        scope: &str,
        refresh_token: &str,
        capabilities: Option<&[String]>,
    ) -> Value {
        let account = &self.accounts[account_id];
        let (access_token, publishable_key) = if livemode {
            (random_id("sk_live_", 32), &account.live_publishable_key)
        } else {
            (random_id("sk_test_", 32), &account.test_publishable_key)
        };

        let mut response = json!({
            "access_token": access_token,
            "livemode": livemode,
            "refresh_token": refresh_token,
            "token_type": "bearer",
            "stripe_publishable_key": publishable_key,
            "stripe_user_id": account_id,
            "scope": scope,
        });
        if let Some(capabilities) = capabilities {
            response["capabilities"] = json!(capabilities);
        }
        response
    }
}

/// Checks `assert_capabilities[]` against the account's capabilities.
fn check_capabilities(
    account_id: &str,
    capabilities: &[String],
    asserted: &[String],
) -> Result<(), OAuthError> {
    let missing: Vec<&str> = asserted
        .iter()
        .filter(|capability| !capabilities.contains(capability))
        .map(String::as_str)
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    Err(OAuthError::invalid_request(format!(
        "The account {account_id} does not have the asserted capabilities: {}.",
        missing.join(", ")
    )))
}

/// Returns the scope a refresh may grant: the original one, or a narrower one on request.
/// `read_write` covers `read_only`; `express` covers only itself.
fn narrowed_scope(granted: &str, requested: Option<&str>) -> Result<String, OAuthError> {
    let Some(requested) = requested else {
        return Ok(granted.to_owned());
    };
    if !matches!(requested, "read_write" | "read_only" | "express") {
        return Err(OAuthError::invalid_scope(format!(
            "Invalid scope: {requested}. Use read_write or read_only, or express for Express \
             accounts."
        )));
    }

    let allowed = requested == granted || (granted == "read_write" && requested == "read_only");
    if !allowed {
        return Err(OAuthError::invalid_scope(format!(
            "The refresh token was granted {granted}; it cannot be refreshed to the wider or \
             different scope {requested}."
        )));
    }
    Ok(requested.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn narrowed_scope_allows_equal_and_narrower() {
        assert_eq!(narrowed_scope("read_write", None).unwrap(), "read_write");
        assert_eq!(
            narrowed_scope("read_write", Some("read_only")).unwrap(),
            "read_only"
        );
        assert_eq!(
            narrowed_scope("read_only", Some("read_only")).unwrap(),
            "read_only"
        );
    }

    #[test]
    fn narrowed_scope_rejects_wider_and_unknown() {
        let wider = narrowed_scope("read_only", Some("read_write")).unwrap_err();
        assert_eq!(wider.error, "invalid_scope");

        let unknown = narrowed_scope("read_write", Some("admin")).unwrap_err();
        assert_eq!(unknown.error, "invalid_scope");

        let express = narrowed_scope("express", Some("read_only")).unwrap_err();
        assert_eq!(express.error, "invalid_scope");
    }
}
