//! Command-line arguments of `stripe-connect-oauth`.

use clap::{Args, Parser, Subcommand, ValueEnum};
use stripe_connect_oauth::{AccountType, DEFAULT_CONNECT_BASE, Scope, StripeLanding};

/// Text shown after the options of every `--help`.
const AFTER_HELP: &str = "\
Environment:
  STRIPE_SECRET_KEY    the platform's secret key (sk_test_…, sk_live_…, rk_…); read only from
                       the environment, never from an option, and never printed
  STRIPE_CLIENT_ID     the platform's client id (ca_…), the default of --client-id
  STRIPE_CONNECT_BASE  the default of --connect-base
  RUST_LOG             log level on stderr, such as debug [default: info for demo, warn otherwise];
                       ureq, ureq_proto and rustls log at info at most whatever it sets, because
                       their debug and trace output shows the secret key, codes and tokens

Exit status:
  0  success
  1  any other failure (output could not be written, the demo could not start)
  2  bad usage or invalid input; nothing was sent to Stripe
  3  Stripe answered with an error: OAuth error, API error, rate limit, or an invalid response
  4  transport failure or timeout: no answer from Stripe";

/// Stripe Connect OAuth for platforms: a demo platform site, and the authorize, exchange,
/// refresh and deauthorize operations.
#[derive(Debug, Parser)]
#[command(name = "stripe-connect-oauth", version, after_help = AFTER_HELP)]
pub struct Cli {
    /// The operation to run.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run a demo platform site on 127.0.0.1 that connects Stripe accounts end to end.
    ///
    /// Without STRIPE_SECRET_KEY and STRIPE_CLIENT_ID in the environment, the demo starts a
    /// fake Stripe server in-process, so the whole flow runs offline. With both set, it talks
    /// to connect.stripe.com, or to the server that STRIPE_CONNECT_BASE names.
    #[command(after_help = AFTER_HELP)]
    Demo(DemoArgs),

    /// Build a "Connect with Stripe" authorize URL and print it with its state.
    #[command(after_help = AFTER_HELP)]
    AuthorizeUrl(AuthorizeUrlArgs),

    /// Exchange an authorization code for the connected account (POST /oauth/token).
    #[command(after_help = AFTER_HELP)]
    Exchange(ExchangeArgs),

    /// Obtain a new access token with a refresh token (POST /oauth/token).
    #[command(after_help = AFTER_HELP)]
    Refresh(RefreshArgs),

    /// Disconnect a connected account from the platform (POST /oauth/deauthorize).
    #[command(after_help = AFTER_HELP)]
    Deauthorize(DeauthorizeArgs),

    /// Serve the fake Stripe Connect OAuth server on 127.0.0.1 until SIGINT or SIGTERM.
    ///
    /// Prints one JSON line on stdout with the base URL, the fake platform's client id and
    /// keys, and the registered redirect URIs. The keys are fake: only this server accepts them.
    FakeStripe(FakeStripeArgs),
}

/// Options of `demo`.
#[derive(Debug, Args)]
pub struct DemoArgs {
    /// TCP port of the site on 127.0.0.1; 0 picks a free port. The callback URL
    /// http://127.0.0.1:PORT/callback uses the same port.
    #[arg(long, value_name = "PORT", default_value_t = 8080)]
    pub port: u16,

    /// Print one JSON line on stdout when the site is ready, with demo_url, redirect_uri,
    /// connect_base and fake_stripe, instead of the text banner.
    #[arg(long)]
    pub announce_json: bool,
}

/// The origin of Stripe's endpoints.
#[derive(Debug, Args)]
pub struct ConnectArgs {
    /// Origin of Stripe's OAuth endpoints; sets the base of the authorize, token and
    /// deauthorize URLs. http is accepted for loopback hosts only.
    #[arg(
        long,
        env = "STRIPE_CONNECT_BASE",
        hide_env_values = true,
        value_name = "URL",
        default_value = DEFAULT_CONNECT_BASE
    )]
    pub connect_base: String,
}

/// Settings of commands that send a request to Stripe.
#[derive(Debug, Args)]
pub struct RequestArgs {
    #[command(flatten)]
    pub connect: ConnectArgs,

    /// Time allowed for the whole request, in seconds, from connecting to the end of the
    /// response.
    #[arg(
        long,
        value_name = "SECONDS",
        default_value_t = 30,
        value_parser = clap::value_parser!(u64).range(1..=600)
    )]
    pub timeout: u64,

    /// Print the result as one JSON object instead of text.
    #[arg(long)]
    pub json: bool,
}

/// The platform's client id, from an option or the environment.
#[derive(Debug, Args)]
pub struct ClientIdArgs {
    /// The platform's client id (ca_…) from the Connect settings of the Stripe Dashboard;
    /// sets client_id.
    #[arg(
        long,
        env = "STRIPE_CLIENT_ID",
        hide_env_values = true,
        value_name = "CLIENT_ID"
    )]
    pub client_id: Option<String>,
}

/// Options of `authorize-url`.
#[derive(Debug, Args)]
pub struct AuthorizeUrlArgs {
    /// Kind of connected account to onboard; sets the path, /express/oauth/authorize or
    /// /oauth/authorize.
    #[arg(long, value_enum, value_name = "TYPE", default_value_t = AccountTypeArg::Express)]
    pub account_type: AccountTypeArg,

    #[command(flatten)]
    pub client_id: ClientIdArgs,

    /// URL that Stripe sends the user back to; sets redirect_uri. It must be registered in the
    /// Connect settings. Default: none, so Stripe uses the first registered one.
    #[arg(long, value_name = "URL")]
    pub redirect_uri: Option<String>,

    /// CSRF value to embed; sets state (A-Z a-z 0-9 - _, at most 512 characters).
    /// Default: 43 random base64url characters.
    #[arg(long, value_name = "STATE")]
    pub state: Option<String>,

    /// Access to request, for Standard accounts only; sets scope. Default: none, which
    /// Stripe takes as read_only.
    #[arg(long, value_enum, value_name = "SCOPE")]
    pub scope: Option<ScopeArg>,

    /// First page Stripe shows a signed-out user; sets stripe_landing.
    #[arg(long, value_enum, value_name = "PAGE")]
    pub stripe_landing: Option<LandingArg>,

    /// Show Stripe's account picker even to a signed-in user; sets always_prompt=true.
    #[arg(long)]
    pub always_prompt: bool,

    /// Capability to suggest, for Express accounts only; adds one
    /// suggested_capabilities[]=NAME (repeatable), such as transfers.
    #[arg(long = "suggested-capability", value_name = "NAME")]
    pub suggested_capabilities: Vec<String>,

    /// Prefill a field of Stripe's onboarding form; sets stripe_user[FIELD]=VALUE
    /// (repeatable), such as --prefill email=jenny@example.com.
    #[arg(long, value_name = "FIELD=VALUE", value_parser = parse_key_value)]
    pub prefill: Vec<(String, String)>,

    /// Add a parameter this tool has no option for, such as a newer stripe_user[…] field;
    /// sends KEY=VALUE as is (repeatable).
    #[arg(long, value_name = "KEY=VALUE", value_parser = parse_key_value)]
    pub extra: Vec<(String, String)>,

    #[command(flatten)]
    pub connect: ConnectArgs,

    /// Print the URL and the state as one JSON object instead of text.
    #[arg(long)]
    pub json: bool,
}

/// Options of `exchange`.
#[derive(Debug, Args)]
pub struct ExchangeArgs {
    /// The authorization code from the callback's code parameter (single use, valid for 5
    /// minutes). Pass - to read it from standard input, which keeps it out of the process
    /// list and the shell history.
    #[arg(value_name = "CODE")]
    pub code: String,

    /// Capability the connected account must have, for Express accounts; adds one
    /// assert_capabilities[]=NAME (repeatable).
    #[arg(long = "assert-capability", value_name = "NAME")]
    pub assert_capabilities: Vec<String>,

    /// Print the access token and refresh token. Without it they are never printed.
    #[arg(long)]
    pub show_secrets: bool,

    #[command(flatten)]
    pub request: RequestArgs,
}

/// Options of `refresh`.
#[derive(Debug, Args)]
pub struct RefreshArgs {
    /// The refresh token (rt_…) from an earlier exchange. Pass - to read it from standard
    /// input, which keeps it out of the process list and the shell history.
    #[arg(value_name = "REFRESH_TOKEN")]
    pub refresh_token: String,

    /// Narrower scope for the new access token; sets scope. Default: the granted scope.
    #[arg(long, value_enum, value_name = "SCOPE")]
    pub scope: Option<ScopeArg>,

    /// Print the access token and refresh token. Without it they are never printed.
    #[arg(long)]
    pub show_secrets: bool,

    #[command(flatten)]
    pub request: RequestArgs,
}

/// Options of `deauthorize`.
#[derive(Debug, Args)]
pub struct DeauthorizeArgs {
    /// The connected account to disconnect (acct_…); sets stripe_user_id.
    #[arg(value_name = "ACCOUNT_ID")]
    pub account_id: String,

    #[command(flatten)]
    pub client_id: ClientIdArgs,

    #[command(flatten)]
    pub request: RequestArgs,
}

/// Options of `fake-stripe`.
#[derive(Debug, Args)]
pub struct FakeStripeArgs {
    /// TCP port on 127.0.0.1; 0 picks a free port.
    #[arg(long, value_name = "PORT", default_value_t = fake_stripe::DEFAULT_PORT)]
    pub port: u16,

    /// Register one more redirect URI for the fake platform (repeatable). Registered by
    /// default: http://127.0.0.1:8080/callback.
    #[arg(long = "redirect-uri", value_name = "URL")]
    pub redirect_uris: Vec<String>,
}

/// The `--account-type` values.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum AccountTypeArg {
    /// Express accounts (/express/oauth/authorize).
    Express,
    /// Standard accounts (/oauth/authorize).
    Standard,
}

impl AccountTypeArg {
    /// Returns the value as written on the command line and in JSON output.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Express => "express",
            Self::Standard => "standard",
        }
    }
}

impl From<AccountTypeArg> for AccountType {
    fn from(value: AccountTypeArg) -> Self {
        match value {
            AccountTypeArg::Express => AccountType::Express,
            AccountTypeArg::Standard => AccountType::Standard,
        }
    }
}

/// The `--scope` values.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ScopeArg {
    /// read_write: full access to the account.
    #[value(name = "read_write")]
    ReadWrite,
    /// read_only: read access only.
    #[value(name = "read_only")]
    ReadOnly,
}

impl From<ScopeArg> for Scope {
    fn from(value: ScopeArg) -> Self {
        match value {
            ScopeArg::ReadWrite => Scope::ReadWrite,
            ScopeArg::ReadOnly => Scope::ReadOnly,
        }
    }
}

/// The `--stripe-landing` values.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum LandingArg {
    /// The sign-in page.
    Login,
    /// The account registration page.
    Register,
}

impl From<LandingArg> for StripeLanding {
    fn from(value: LandingArg) -> Self {
        match value {
            LandingArg::Login => StripeLanding::Login,
            LandingArg::Register => StripeLanding::Register,
        }
    }
}

/// Splits `KEY=VALUE` at the first `=`; the value may be empty or contain `=`.
fn parse_key_value(text: &str) -> Result<(String, String), String> {
    match text.split_once('=') {
        Some((key, value)) if !key.is_empty() => Ok((key.to_owned(), value.to_owned())),
        _ => Err(format!("expected KEY=VALUE, not {text:?}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn arguments_are_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn key_value_splits_at_first_equals() {
        assert_eq!(
            parse_key_value("url=https://a.example/?x=1"),
            Ok(("url".to_owned(), "https://a.example/?x=1".to_owned()))
        );
        assert_eq!(
            parse_key_value("email="),
            Ok(("email".to_owned(), String::new()))
        );
        assert!(parse_key_value("email").is_err());
        assert!(parse_key_value("=value").is_err());
    }
}
