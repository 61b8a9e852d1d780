//! `fake-stripe-connect`: serves the fake Stripe Connect OAuth endpoints on 127.0.0.1 until
//! SIGINT or SIGTERM. Run with `--help` for the options.

use std::io::{self, Write};
use std::process::ExitCode;

fn main() -> ExitCode {
    env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("info"))
        .target(env_logger::Target::Stderr)
        .init();

    let config = match fake_stripe::config_from_args(std::env::args().skip(1)) {
        Ok(Some(config)) => config,
        Ok(None) => {
            let _ = writeln!(io::stdout(), "{}", fake_stripe::USAGE);
            return ExitCode::SUCCESS;
        }
        Err(message) => {
            let _ = writeln!(io::stderr(), "error: {message}\n\n{}", fake_stripe::USAGE);
            return ExitCode::from(2);
        }
    };

    match fake_stripe::run_until_signal(config, &mut io::stdout()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            let _ = writeln!(io::stderr(), "error: {error}");
            ExitCode::FAILURE
        }
    }
}
