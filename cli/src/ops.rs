//! The operation subcommands: `authorize-url`, `exchange`, `refresh` and `deauthorize`.

use std::io::{self, BufRead, Write};
use std::time::Duration;

use serde_json::{Value, json};
use stripe_connect_oauth::{
    AccountId, AuthorizationCode, AuthorizeParams, Client, ConnectBase, DeauthorizeOptions,
    ExchangeOptions, RefreshOptions, RefreshToken, State, StripeUser, StripeUserField,
    TokenResponse,
};

use crate::cli::{AuthorizeUrlArgs, DeauthorizeArgs, ExchangeArgs, RefreshArgs, RequestArgs};
use crate::credentials;
use crate::failure::{Failure, Operation};
use crate::text::{json_line, single_line};

/// Builds and prints an authorize URL with its state. Sends nothing.
///
/// # Errors
///
/// A usage failure for a missing client id or any invalid parameter; another failure when
/// stdout cannot be written.
pub fn authorize_url(args: AuthorizeUrlArgs) -> Result<(), Failure> {
    let client_id = credentials::client_id(args.client_id.client_id.as_deref())?;
    let connect_base = connect_base(&args.connect.connect_base)?;
    let client = Client::builder()
        .client_id(client_id)
        .connect_base(connect_base)
        .build()
        .map_err(|error| Failure::from_core(Operation::AuthorizeUrl, &error))?;

    let state = match &args.state {
        Some(state) => State::new(state.as_str()),
        None => State::generate(),
    }
    .map_err(|error| Failure::from_core(Operation::AuthorizeUrl, &error))?;
    let params = authorize_params(&args, state.clone())?;
    let url = client
        .authorize_url(&params)
        .map_err(|error| Failure::from_core(Operation::AuthorizeUrl, &error))?;

    let account_type = args.account_type.as_str();
    if args.json {
        let output = json!({
            "authorize_url": url,
            "state": state.as_str(),
            "account_type": account_type,
        });
        return print_json(&output);
    }
    print_lines(&[
        format!("authorize_url: {url}"),
        format!("state: {}", state.as_str()),
        format!("account_type: {account_type}"),
    ])
}

fn authorize_params(args: &AuthorizeUrlArgs, state: State) -> Result<AuthorizeParams, Failure> {
    let mut params = AuthorizeParams::new(args.account_type.into()).state(state);
    if let Some(redirect_uri) = &args.redirect_uri {
        params = params.redirect_uri(redirect_uri);
    }
    if let Some(scope) = args.scope {
        params = params.scope(scope.into());
    }
    if let Some(landing) = args.stripe_landing {
        params = params.stripe_landing(landing.into());
    }
    if args.always_prompt {
        params = params.always_prompt(true);
    }
    for capability in &args.suggested_capabilities {
        params = params.suggested_capability(capability);
    }

    let mut stripe_user = StripeUser::new();
    for (name, value) in &args.prefill {
        let field = StripeUserField::from_name(name)
            .map_err(|error| Failure::from_core(Operation::AuthorizeUrl, &error))?;
        stripe_user.set(field, value);
    }
    params = params.stripe_user(stripe_user);

    for (key, value) in &args.extra {
        params = params.extra(key, value);
    }
    Ok(params)
}

/// Exchanges an authorization code and prints the connected account.
///
/// # Errors
///
/// Usage failures for missing credentials or input; Stripe and transport failures from the
/// request.
pub fn exchange(args: ExchangeArgs) -> Result<(), Failure> {
    let client = request_client(&args.request, None)?;
    let code = read_secret_argument(&args.code, "authorization code")?;
    let code = AuthorizationCode::new(code)
        .map_err(|error| Failure::from_core(Operation::Exchange, &error))?;
    let mut options = ExchangeOptions::new();
    for capability in &args.assert_capabilities {
        options = options.assert_capability(capability);
    }

    let token = client
        .exchange_code(&code, &options)
        .map_err(|error| Failure::from_core(Operation::Exchange, &error))?;
    print_token(&token, args.request.json, args.show_secrets)
}

/// Refreshes an access token and prints the result.
///
/// # Errors
///
/// As for [`exchange`].
pub fn refresh(args: RefreshArgs) -> Result<(), Failure> {
    let client = request_client(&args.request, None)?;
    let token = read_secret_argument(&args.refresh_token, "refresh token")?;
    let token =
        RefreshToken::new(token).map_err(|error| Failure::from_core(Operation::Refresh, &error))?;
    let mut options = RefreshOptions::new();
    if let Some(scope) = args.scope {
        options = options.scope(scope.into());
    }

    let response = client
        .refresh(&token, &options)
        .map_err(|error| Failure::from_core(Operation::Refresh, &error))?;
    print_token(&response, args.request.json, args.show_secrets)
}

/// Disconnects a connected account and prints its id.
///
/// # Errors
///
/// As for [`exchange`], and a usage failure for a missing client id.
pub fn deauthorize(args: DeauthorizeArgs) -> Result<(), Failure> {
    let client_id = credentials::client_id(args.client_id.client_id.as_deref())?;
    let client = request_client(&args.request, Some(client_id))?;
    let account_id = AccountId::new(args.account_id.as_str())
        .map_err(|error| Failure::from_core(Operation::Deauthorize, &error))?;

    let disconnected = client
        .deauthorize(&account_id, &DeauthorizeOptions::new())
        .map_err(|error| Failure::from_core(Operation::Deauthorize, &error))?;

    if args.request.json {
        let output = json!({
            "stripe_user_id": disconnected.as_str(),
            "deauthorized": true,
        });
        return print_json(&output);
    }
    print_lines(&[
        format!("stripe_user_id: {disconnected}"),
        "deauthorized: true".to_owned(),
    ])
}

/// Builds a client with the secret key from the environment and the request settings.
fn request_client(
    args: &RequestArgs,
    client_id: Option<stripe_connect_oauth::ClientId>,
) -> Result<Client, Failure> {
    let secret_key = credentials::secret_key()?;
    let connect_base = connect_base(&args.connect.connect_base)?;
    let mut builder = Client::builder()
        .secret_key(secret_key)
        .connect_base(connect_base)
        .timeout(Duration::from_secs(args.timeout));
    if let Some(client_id) = client_id {
        builder = builder.client_id(client_id);
    }
    builder
        .build()
        .map_err(|error| Failure::usage(error.to_string()))
}

fn connect_base(value: &str) -> Result<ConnectBase, Failure> {
    ConnectBase::new(value).map_err(|error| Failure::usage(format!("--connect-base: {error}")))
}

/// Returns `value`, or the first line of standard input when `value` is `-`.
fn read_secret_argument(value: &str, role: &str) -> Result<String, Failure> {
    if value != "-" {
        return Ok(value.to_owned());
    }
    let mut line = String::new();
    io::stdin()
        .lock()
        .read_line(&mut line)
        .map_err(|error| Failure::usage(format!("cannot read the {role} from stdin: {error}")))?;
    Ok(line.trim_end_matches(['\r', '\n']).to_owned())
}

/// Prints a token response. The access and refresh tokens are printed only when
/// `show_secrets` is set. Otherwise the output only states whether Stripe sent them.
fn print_token(token: &TokenResponse, json: bool, show_secrets: bool) -> Result<(), Failure> {
    if json {
        return print_json(&token_json(token, show_secrets));
    }

    let mut lines = vec![
        format!("stripe_user_id: {}", token.stripe_user_id()),
        format!("livemode: {}", token.livemode()),
        format!("scope: {}", token.scope().unwrap_or("-")),
        format!("token_type: {}", token.token_type().unwrap_or("-")),
        format!(
            "stripe_publishable_key: {}",
            token.stripe_publishable_key().unwrap_or("-")
        ),
        format!("capabilities: {}", capabilities(token.capabilities())),
    ];
    let access_token = token.access_token().map(|token| token.secret());
    let refresh_token = token.refresh_token().map(|token| token.secret());
    lines.push(secret_line("access_token", access_token, show_secrets));
    lines.push(secret_line("refresh_token", refresh_token, show_secrets));
    print_lines(&lines)
}

fn capabilities(capabilities: &[String]) -> String {
    if capabilities.is_empty() {
        return "-".to_owned();
    }
    capabilities.join(", ")
}

fn secret_line(name: &str, value: Option<&str>, show_secrets: bool) -> String {
    match (value, show_secrets) {
        (None, _) => format!("{name}: -"),
        (Some(value), true) => format!("{name}: {value}"),
        (Some(_), false) => format!("{name}: (hidden; pass --show-secrets to print it)"),
    }
}

/// Builds the JSON object of a token response. `has_access_token` and `has_refresh_token` are
/// always present, and `access_token` and `refresh_token` only with `show_secrets`.
fn token_json(token: &TokenResponse, show_secrets: bool) -> Value {
    let mut output = json!({
        "stripe_user_id": token.stripe_user_id().as_str(),
        "livemode": token.livemode(),
        "scope": token.scope(),
        "token_type": token.token_type(),
        "stripe_publishable_key": token.stripe_publishable_key(),
        "capabilities": token.capabilities(),
        "has_access_token": token.access_token().is_some(),
        "has_refresh_token": token.refresh_token().is_some(),
    });
    if show_secrets {
        output["access_token"] = json!(token.access_token().map(|token| token.secret()));
        output["refresh_token"] = json!(token.refresh_token().map(|token| token.secret()));
    }
    output
}

/// Prints one JSON object on one line. Characters that could act on a terminal and that JSON
/// leaves unescaped (DEL, C1 and bidirectional controls) are written as `\uXXXX` escapes,
/// which decode to the same value.
fn print_json(value: &Value) -> Result<(), Failure> {
    write_lines(&[json_line(&value.to_string())])
}

/// Prints text lines, each made one line with its control characters escaped, because values
/// such as `scope` come from the server.
fn print_lines(lines: &[String]) -> Result<(), Failure> {
    let lines: Vec<String> = lines.iter().map(|line| single_line(line)).collect();
    write_lines(&lines)
}

fn write_lines(lines: &[String]) -> Result<(), Failure> {
    let mut stdout = io::stdout().lock();
    for line in lines {
        writeln!(stdout, "{line}")
            .map_err(|error| Failure::other(format!("cannot write to stdout: {error}")))?;
    }
    stdout
        .flush()
        .map_err(|error| Failure::other(format!("cannot write to stdout: {error}")))
}
