//! `stripe-connect-oauth`: a demo Stripe Connect platform site and the Connect OAuth
//! operations (authorize URL, code exchange, refresh, deauthorize) on the command line.
//!
//! Run `stripe-connect-oauth --help` for the subcommands, the environment variables and the
//! exit statuses.

mod cli;
mod credentials;
mod demo;
mod failure;
mod logging;
mod ops;
mod text;
mod usage;

use std::io::{self, Write};
use std::process::ExitCode;

use clap::Parser;

use crate::cli::{Cli, Command, FakeStripeArgs};
use crate::failure::Failure;
use crate::text::single_line;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => return usage::report(&error),
    };

    logging::init(matches!(
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
            let _ = writeln!(io::stderr(), "error: {}", single_line(&failure.message));
            failure.status.into()
        }
    }
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
