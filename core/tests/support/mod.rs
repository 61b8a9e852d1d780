//! The loader of the shared test vectors in `tests/vectors/` at the repository root.

use std::path::PathBuf;

use serde_json::Value;
use stripe_connect_oauth::{
    AccountId, AccountType, AuthorizationCode, AuthorizeParams, ClientId, ConnectBase,
    ConnectConfig, CredentialScheme, DeauthorizeOptions, Error, ExchangeOptions, RefreshOptions,
    RefreshToken, Scope, SecretKey, State, StripeLanding, StripeUser, StripeUserField,
};

/// Reads the `cases` array of `tests/vectors/{name}.json`.
pub fn cases(name: &str) -> Vec<Value> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/vectors")
        .join(format!("{name}.json"));
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|error| panic!("cannot read {}: {error}", path.display()));
    let document: Value = serde_json::from_str(&text)
        .unwrap_or_else(|error| panic!("{} is not JSON: {error}", path.display()));
    document["cases"].as_array().expect("a cases array").clone()
}

pub fn text<'a>(value: &'a Value, key: &str) -> Option<&'a str> {
    value.get(key).and_then(Value::as_str)
}

fn strings(value: &Value, key: &str) -> Vec<String> {
    value
        .get(key)
        .and_then(Value::as_array)
        .map(|items| {
            items
                .iter()
                .map(|item| item.as_str().unwrap().to_owned())
                .collect()
        })
        .unwrap_or_default()
}

/// Builds a config from a vector's `config` object, or a `client_id` and `connect_base`.
pub fn config(case: &Value) -> Result<ConnectConfig, Error> {
    let settings = case.get("config").unwrap_or(case);
    let mut config = ConnectConfig::new();
    if let Some(base) = text(settings, "connect_base") {
        config = config.connect_base(ConnectBase::new(base)?);
    }
    if let Some(client_id) = text(settings, "client_id") {
        config = config.client_id(ClientId::new(client_id)?);
    }
    if let Some(key) = text(settings, "secret_key") {
        config = config.secret_key(SecretKey::new(key)?);
    }
    if text(settings, "credential_scheme") == Some("bearer") {
        config = config.credential_scheme(CredentialScheme::Bearer);
    }
    Ok(config)
}

/// Builds authorize parameters from a vector's `params` object.
pub fn authorize_params(params: &Value) -> Result<AuthorizeParams, Error> {
    let account_type = match text(params, "account_type") {
        Some("express") => AccountType::Express,
        _ => AccountType::Standard,
    };
    let mut built = AuthorizeParams::new(account_type);
    if let Some(redirect_uri) = text(params, "redirect_uri") {
        built = built.redirect_uri(redirect_uri);
    }
    if let Some(scope) = text(params, "scope") {
        built = built.scope(Scope::parse(scope)?);
    }
    if let Some(state) = text(params, "state") {
        built = built.state(State::new(state)?);
    }
    match text(params, "stripe_landing") {
        Some("login") => built = built.stripe_landing(StripeLanding::Login),
        Some("register") => built = built.stripe_landing(StripeLanding::Register),
        _ => {}
    }
    if let Some(always_prompt) = params.get("always_prompt").and_then(Value::as_bool) {
        built = built.always_prompt(always_prompt);
    }
    for capability in strings(params, "suggested_capabilities") {
        built = built.suggested_capability(capability);
    }
    if let Some(fields) = params.get("stripe_user").and_then(Value::as_object) {
        let mut user = StripeUser::new();
        for (name, value) in fields {
            user.set(StripeUserField::from_name(name)?, value.as_str().unwrap());
        }
        built = built.stripe_user(user);
    }
    if let Some(extra) = params.get("extra").and_then(Value::as_array) {
        for pair in extra {
            built = built.extra(pair[0].as_str().unwrap(), pair[1].as_str().unwrap());
        }
    }
    Ok(built)
}

/// A request built from a `token_request` vector.
pub enum BuiltRequest {
    Token(stripe_connect_oauth::TokenRequest),
    Deauthorize(stripe_connect_oauth::DeauthorizeRequest),
}

impl BuiltRequest {
    pub fn http(&self) -> &stripe_connect_oauth::HttpRequest {
        match self {
            Self::Token(request) => request.http(),
            Self::Deauthorize(request) => request.http(),
        }
    }
}

/// Builds the request a vector's `request` object describes, with `config`.
pub fn request(config: &ConnectConfig, request: &Value) -> Result<BuiltRequest, Error> {
    let per_call_key = text(request, "secret_key")
        .map(SecretKey::new)
        .transpose()?;
    match text(request, "kind") {
        Some("exchange") => {
            let mut options = ExchangeOptions::new();
            for capability in strings(request, "assert_capabilities") {
                options = options.assert_capability(capability);
            }
            if let Some(key) = per_call_key {
                options = options.secret_key(key);
            }
            let code = AuthorizationCode::new(text(request, "code").unwrap_or("ac_PLACEHOLDER"))?;
            config
                .exchange_code_request(&code, &options)
                .map(BuiltRequest::Token)
        }
        Some("refresh") => {
            let mut options = RefreshOptions::new();
            if let Some(scope) = text(request, "scope") {
                options = options.scope(Scope::parse(scope)?);
            }
            if let Some(key) = per_call_key {
                options = options.secret_key(key);
            }
            let token =
                RefreshToken::new(text(request, "refresh_token").unwrap_or("rt_PLACEHOLDER"))?;
            config
                .refresh_request(&token, &options)
                .map(BuiltRequest::Token)
        }
        Some("deauthorize") => {
            let mut options = DeauthorizeOptions::new();
            if let Some(key) = per_call_key {
                options = options.secret_key(key);
            }
            let account = AccountId::new(text(request, "stripe_user_id").unwrap())?;
            config
                .deauthorize_request(&account, &options)
                .map(BuiltRequest::Deauthorize)
        }
        other => panic!("unknown request kind {other:?}"),
    }
}
