//! `stripe-connect-oauth`: a demo Stripe Connect platform site and the Connect OAuth
//! operations (authorize URL, code exchange, refresh, deauthorize) on the command line.
//!
//! Run `stripe-connect-oauth --help` for the subcommands, the environment variables and the
//! exit statuses.

mod cli;
mod credentials;
mod demo;
mod failure;
mod ops;

use std::io::{self, Write};
use std::process::ExitCode;

use clap::Parser;
use clap::error::ErrorKind as ClapErrorKind;

use crate::cli::{Cli, Command, FakeStripeArgs};
use crate::failure::{ExitStatus, Failure, single_line};

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => return usage_error(&error),
    };

    init_logging(matches!(
        cli.command,
        Command::Demo(_) | Command::FakeStripe(_)
    ));

    let outcome = match cli.command {
        Command::Demo(args) => demo::run(args),
        Command::AuthorizeUrl(args) => ops::authorize_url(args),
        Command::Exchange(args) => ops::exchange(args),
        Command::Refresh(args) => ops::refresh(args),
        Command::Deauthorize(args) => ops::deauthorize(args),
        Command::FakeStripe(args) => fake_stripe(args),
    };

    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            let _ = writeln!(io::stderr(), "error: {}", failure.message);
            failure.status.into()
        }
    }
}

/// Sets up logging to stderr, at `info` for the servers and `warn` for the one-shot commands.
/// `RUST_LOG` overrides the level.
fn init_logging(server: bool) {
    let default_level = if server { "info" } else { "warn" };
    env_logger::Builder::from_env(env_logger::Env::default().default_filter_or(default_level))
        .target(env_logger::Target::Stderr)
        .init();
}

/// Prints help and version as clap does, and a usage error as one line with exit status 2.
fn usage_error(error: &clap::Error) -> ExitCode {
    if matches!(
        error.kind(),
        ClapErrorKind::DisplayHelp
            | ClapErrorKind::DisplayVersion
            | ClapErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
    ) {
        let _ = error.print();
        return if error.kind() == ClapErrorKind::DisplayHelpOnMissingArgumentOrSubcommand {
            ExitStatus::Usage.into()
        } else {
            ExitCode::SUCCESS
        };
    }

    let _ = writeln!(io::stderr(), "{}", one_line_usage_error(&error.to_string()));
    ExitStatus::Usage.into()
}

/// Joins clap's message before its usage block into one line that points to `--help`.
fn one_line_usage_error(rendered: &str) -> String {
    let mut message = String::new();
    let lines = rendered
        .lines()
        .take_while(|line| !line.starts_with("Usage:"))
        .map(single_line)
        .filter(|line| !line.is_empty());
    for line in lines {
        if !message.is_empty() {
            // A line ending in a colon introduces the next one, such as a missing argument.
            message.push_str(if message.ends_with(':') { " " } else { "; " });
        }
        message.push_str(&line);
    }
    format!("{message}; run with --help for usage")
}

/// Serves the fake Stripe server in the foreground.
fn fake_stripe(args: FakeStripeArgs) -> Result<(), Failure> {
    let mut config = fake_stripe::FakeStripeConfig::default().with_port(args.port);
    for uri in args.redirect_uris {
        config = config.with_redirect_uri(uri);
    }
    fake_stripe::run_until_signal(config, &mut io::stdout()).map_err(|error| {
        if error.kind() == io::ErrorKind::InvalidInput {
            Failure::usage(format!("the fake Stripe server cannot start: {error}"))
        } else {
            Failure::other(format!(
                "the fake Stripe server cannot start: {error}; \
                 if the port is in use, pick another with --port"
            ))
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usage_error_joins_missing_argument() {
        let rendered = "error: the following required arguments were not provided:\n  \
                        <CODE>\n\nUsage: stripe-connect-oauth exchange <CODE>\n";
        assert_eq!(
            one_line_usage_error(rendered),
            "error: the following required arguments were not provided: <CODE>; \
             run with --help for usage"
        );
    }

    #[test]
    fn usage_error_keeps_message_and_tip() {
        let rendered = "error: unexpected argument '--jsn' found\n\n  \
                        tip: a similar argument exists: '--json'\n\n\
                        Usage: stripe-connect-oauth exchange --json <CODE>\n\n\
                        For more information, try '--help'.\n";
        assert_eq!(
            one_line_usage_error(rendered),
            "error: unexpected argument '--jsn' found; tip: a similar argument exists: \
             '--json'; run with --help for usage"
        );
    }
}
