//! The authorize URL: the "Connect with Stripe" link.

use url::Url;

use crate::config::{ConnectConfig, Scope};
use crate::encoding::PairWriter;
use crate::error::Error;
use crate::state::State;
use crate::stripe_user::StripeUser;

/// The kind of connected account to onboard.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum AccountType {
    /// Express accounts, authorized at `/express/oauth/authorize`.
    Express,
    /// Standard accounts, authorized at `/oauth/authorize`.
    Standard,
}

impl AccountType {
    /// Returns the path of the authorize endpoint for this account type.
    pub fn authorize_path(self) -> &'static str {
        match self {
            Self::Express => "/express/oauth/authorize",
            Self::Standard => "/oauth/authorize",
        }
    }
}

/// The page Stripe shows first to a user who is not signed in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum StripeLanding {
    /// `login`: the sign-in page.
    Login,
    /// `register`: the account registration page.
    Register,
}

impl StripeLanding {
    /// Returns the value as it appears on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Login => "login",
            Self::Register => "register",
        }
    }

    /// Parses `login` or `register`.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] for any other value.
    pub fn parse(stripe_landing: &str) -> Result<Self, Error> {
        match stripe_landing {
            "login" => Ok(Self::Login),
            "register" => Ok(Self::Register),
            _ => Err(Error::invalid_input(
                "stripe_landing",
                "the stripe_landing must be login or register",
            )),
        }
    }
}

/// Names that the typed setters own. An `extra` key must not repeat one, with or without
/// brackets, because Stripe would read both.
const RESERVED_KEYS: [&str; 8] = [
    "response_type",
    "client_id",
    "redirect_uri",
    "scope",
    "state",
    "stripe_landing",
    "always_prompt",
    "suggested_capabilities",
];

/// Parameters of one authorize URL.
///
/// The URL lists its parameters in a fixed order, so equal input always gives an equal string.
/// The order is `response_type=code`, `client_id`, `redirect_uri`, `scope`, `state`, `stripe_landing`,
/// `always_prompt`, one `suggested_capabilities[]` per item, the `stripe_user[…]` fields in the
/// order of [`StripeUserField::ALL`](crate::StripeUserField::ALL), then `extra` entries in
/// insertion order. Keys keep literal brackets, and values are percent-encoded outside
/// `A-Z a-z 0-9 - . _ ~`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuthorizeParams {
    account_type: AccountType,
    redirect_uri: Option<String>,
    scope: Option<Scope>,
    state: Option<State>,
    stripe_landing: Option<StripeLanding>,
    always_prompt: Option<bool>,
    suggested_capabilities: Vec<String>,
    stripe_user: StripeUser,
    extra: Vec<(String, String)>,
}

impl AuthorizeParams {
    /// Creates parameters for an account type, with no optional parameter set.
    pub fn new(account_type: AccountType) -> Self {
        Self {
            account_type,
            redirect_uri: None,
            scope: None,
            state: None,
            stripe_landing: None,
            always_prompt: None,
            suggested_capabilities: Vec::new(),
            stripe_user: StripeUser::new(),
            extra: Vec::new(),
        }
    }

    /// Creates parameters for an Express account.
    pub fn express() -> Self {
        Self::new(AccountType::Express)
    }

    /// Creates parameters for a Standard account.
    pub fn standard() -> Self {
        Self::new(AccountType::Standard)
    }

    /// Sets `redirect_uri`: an absolute `http` or `https` URL without fragment, registered in
    /// the Connect settings. Default: none, so Stripe uses the first registered one.
    pub fn redirect_uri(mut self, redirect_uri: impl Into<String>) -> Self {
        self.redirect_uri = Some(redirect_uri.into());
        self
    }

    /// Sets `scope`, for Standard accounts only. Default: none, which Stripe's Connect OAuth
    /// reference documents as `read_only`.
    pub fn scope(mut self, scope: Scope) -> Self {
        self.scope = Some(scope);
        self
    }

    /// Sets the CSRF `state`. Default: none.
    pub fn state(mut self, state: State) -> Self {
        self.state = Some(state);
        self
    }

    /// Sets `stripe_landing`. Default: none, which Stripe takes as `login`.
    pub fn stripe_landing(mut self, stripe_landing: StripeLanding) -> Self {
        self.stripe_landing = Some(stripe_landing);
        self
    }

    /// Sets `always_prompt`, which makes Stripe show the account picker even for a signed-in
    /// user. Default: none, which Stripe takes as `false`.
    pub fn always_prompt(mut self, always_prompt: bool) -> Self {
        self.always_prompt = Some(always_prompt);
        self
    }

    /// Adds one `suggested_capabilities[]` item, such as `transfers`, for Express accounts only.
    pub fn suggested_capability(mut self, capability: impl Into<String>) -> Self {
        self.suggested_capabilities.push(capability.into());
        self
    }

    /// Sets the `stripe_user[…]` prefill. Default: empty.
    pub fn stripe_user(mut self, stripe_user: StripeUser) -> Self {
        self.stripe_user = stripe_user;
        self
    }

    /// Adds a parameter that has no setter, such as a `stripe_user` field newer than this
    /// version. The key is sent with literal brackets and must not repeat a parameter that has a
    /// setter.
    pub fn extra(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.extra.push((key.into(), value.into()));
        self
    }

    /// Returns the account type.
    pub fn account_type(&self) -> AccountType {
        self.account_type
    }

    /// Returns the state, if set.
    pub fn get_state(&self) -> Option<&State> {
        self.state.as_ref()
    }

    fn validate(&self) -> Result<(), Error> {
        if let Some(redirect_uri) = &self.redirect_uri {
            check_redirect_uri(redirect_uri)?;
        }
        if self.scope.is_some() && self.account_type == AccountType::Express {
            return Err(Error::invalid_input(
                "scope",
                "scope applies to Standard accounts only: remove it for Express",
            ));
        }
        if !self.suggested_capabilities.is_empty() && self.account_type == AccountType::Standard {
            return Err(Error::invalid_input(
                "suggested_capabilities",
                "suggested_capabilities apply to Express accounts only",
            ));
        }
        for capability in &self.suggested_capabilities {
            check_capability("suggested_capabilities", capability)?;
        }
        self.stripe_user.validate()?;
        for (key, _) in &self.extra {
            check_extra_key(key)?;
        }
        Ok(())
    }
}

pub(crate) fn check_capability(parameter: &'static str, capability: &str) -> Result<(), Error> {
    let valid = !capability.is_empty()
        && capability
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
    if valid {
        return Ok(());
    }
    Err(Error::invalid_input(
        parameter,
        format!(
            "invalid {parameter} item: a capability name uses a-z, 0-9 and _, \
             such as card_payments or transfers"
        ),
    ))
}

fn check_redirect_uri(redirect_uri: &str) -> Result<(), Error> {
    let url = Url::parse(redirect_uri).map_err(|error| {
        Error::invalid_input(
            "redirect_uri",
            format!(
                "the redirect_uri is not an absolute URL ({error}): \
                 pass the full https URL registered in the Connect settings"
            ),
        )
    })?;
    // The raw string is what the URL carries, so it must need no cleaning by the parser.
    if redirect_uri
        .chars()
        .any(|c| c.is_whitespace() || c.is_control())
    {
        return Err(Error::invalid_input(
            "redirect_uri",
            "the redirect_uri contains whitespace or control characters: \
             pass the URL exactly as registered, percent-encoding any space",
        ));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(Error::invalid_input(
            "redirect_uri",
            "the redirect_uri must not contain user info (user:password@)",
        ));
    }
    if !matches!(url.scheme(), "http" | "https") || url.host().is_none() {
        return Err(Error::invalid_input(
            "redirect_uri",
            "the redirect_uri must be an http or https URL with a host",
        ));
    }
    if redirect_uri.contains('#') {
        return Err(Error::invalid_input(
            "redirect_uri",
            "the redirect_uri must not have a fragment (#…), because OAuth 2.0 forbids it",
        ));
    }
    Ok(())
}

fn check_extra_key(key: &str) -> Result<(), Error> {
    if key.is_empty() || key.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(Error::invalid_input(
            "extra",
            "an extra parameter name is empty or contains whitespace",
        ));
    }
    let base = key.split('[').next().unwrap_or(key);
    if RESERVED_KEYS
        .iter()
        .any(|reserved| reserved.eq_ignore_ascii_case(base))
    {
        return Err(Error::invalid_input(
            "extra",
            format!("the extra parameter `{key}` has its own setter: use it instead"),
        ));
    }
    let known_field = key
        .strip_prefix("stripe_user[")
        .and_then(|rest| rest.strip_suffix(']'))
        .is_some_and(|name| {
            crate::StripeUserField::ALL
                .iter()
                .any(|field| field.name().eq_ignore_ascii_case(name))
        });
    if known_field {
        return Err(Error::invalid_input(
            "extra",
            format!("the extra parameter `{key}` is a known prefill field: set it on StripeUser"),
        ));
    }
    Ok(())
}

impl ConnectConfig {
    /// Builds the authorize URL that starts onboarding.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] when no client id is configured, the redirect URI is not an
    /// absolute `http`/`https` URL without fragment, `scope` is set for Express,
    /// `suggested_capabilities` are set for Standard, a prefill value is invalid, or an `extra`
    /// key repeats a parameter that has a setter.
    pub fn authorize_url(&self, params: &AuthorizeParams) -> Result<String, Error> {
        let client_id = self.require_client_id()?;
        params.validate()?;

        let prefix = format!(
            "{}?",
            self.connect_base.join(params.account_type.authorize_path())
        );
        let mut query = PairWriter::with_prefix(prefix);
        query.pair("response_type", "code");
        query.pair("client_id", client_id.as_str());
        if let Some(redirect_uri) = &params.redirect_uri {
            query.pair("redirect_uri", redirect_uri);
        }
        if let Some(scope) = params.scope {
            query.pair("scope", scope.as_str());
        }
        if let Some(state) = &params.state {
            query.pair("state", state.as_str());
        }
        if let Some(landing) = params.stripe_landing {
            query.pair("stripe_landing", landing.as_str());
        }
        if let Some(always_prompt) = params.always_prompt {
            query.pair(
                "always_prompt",
                if always_prompt { "true" } else { "false" },
            );
        }
        for capability in &params.suggested_capabilities {
            query.pair("suggested_capabilities[]", capability);
        }
        for (field, value) in params.stripe_user.entries() {
            query.pair(&format!("stripe_user[{}]", field.name()), value);
        }
        for (key, value) in &params.extra {
            query.pair(key, value);
        }
        Ok(query.finish())
    }
}
