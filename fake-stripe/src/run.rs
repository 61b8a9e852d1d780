//! Running the fake as a process: arguments, the announcement line, signals.

use std::io::{self, Write};
use std::sync::mpsc;

use log::info;

use crate::FakeStripe;
use crate::config::{DEFAULT_PORT, FakeStripeConfig};

/// Help text of the `fake-stripe-connect` binary.
pub const USAGE: &str = "\
Usage: fake-stripe-connect [--port PORT] [--redirect-uri URI]...

Serves a local fake of connect.stripe.com's OAuth endpoints on 127.0.0.1 until SIGINT or
SIGTERM. Prints one JSON line on stdout with the base URL, the platform's client id and keys,
and the registered redirect URIs.

Options:
  --port PORT          TCP port on 127.0.0.1; 0 picks a free port [default: 12121]
  --redirect-uri URI   register one more redirect URI for the platform (repeatable)
  -h, --help           print this help

Set RUST_LOG (for example RUST_LOG=debug) to change the log level on stderr.";

/// Builds the configuration from command-line arguments (without the program name).
/// Returns `Ok(None)` when `--help` was asked for.
///
/// # Errors
///
/// A message naming the invalid or unknown argument.
pub fn config_from_args<I>(args: I) -> Result<Option<FakeStripeConfig>, String>
where
    I: IntoIterator<Item = String>,
{
    let mut config = FakeStripeConfig::default().with_port(DEFAULT_PORT);
    let mut args = args.into_iter();

    while let Some(arg) = args.next() {
        let (name, inline_value) = match arg.split_once('=') {
            Some((name, value)) if name.starts_with("--") => {
                (name.to_owned(), Some(value.to_owned()))
            }
            _ => (arg.clone(), None),
        };
        let mut value = |name: &str| {
            inline_value
                .clone()
                .or_else(|| args.next())
                .ok_or_else(|| format!("{name} needs a value"))
        };

        match name.as_str() {
            "-h" | "--help" => return Ok(None),
            "--port" => {
                let text = value("--port")?;
                config.port = text.parse().map_err(|_| {
                    format!("--port must be a number from 0 to 65535, not {text:?}")
                })?;
            }
            "--redirect-uri" => {
                config = config.with_redirect_uri(value("--redirect-uri")?);
            }
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    Ok(Some(config))
}

/// Starts the fake, writes its announcement line to `announce_to`, and serves until the
/// process receives SIGINT or SIGTERM (Ctrl-C on Windows). Then it stops the server and
/// returns `Ok(())`.
///
/// The line is the JSON object of [`FakeStripe::announcement_json`] followed by `\n`.
///
/// # Errors
///
/// When the signal handler cannot be installed (it can be installed once per process),
/// the configuration is invalid, the port cannot be bound, or the line cannot be written.
pub fn run_until_signal(config: FakeStripeConfig, announce_to: &mut dyn Write) -> io::Result<()> {
    // The handler is installed before the line is written, so a signal sent as soon as the
    // line is read still stops the server cleanly.
    let (signal_sender, signal_receiver) = mpsc::channel();
    ctrlc::set_handler(move || {
        let _ = signal_sender.send(());
    })
    .map_err(|error| io::Error::other(format!("cannot install the signal handler: {error}")))?;

    let fake = FakeStripe::start_with(config)?;
    writeln!(announce_to, "{}", fake.announcement_json())?;
    announce_to.flush()?;

    // recv fails only once the sender is dropped, and ctrlc keeps the handler that owns it
    // for the life of the process.
    let _ = signal_receiver.recv();
    info!("termination signal received, stopping the fake Stripe server");
    drop(fake);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<String> {
        list.iter().map(|arg| (*arg).to_owned()).collect()
    }

    #[test]
    fn no_arguments_use_default_port() {
        let config = config_from_args(args(&[])).unwrap().unwrap();
        assert_eq!(config.port, DEFAULT_PORT);
    }

    #[test]
    fn port_and_redirect_uris_are_read() {
        let config = config_from_args(args(&[
            "--port",
            "0",
            "--redirect-uri=http://127.0.0.1:9/cb",
        ]))
        .unwrap()
        .unwrap();

        assert_eq!(config.port, 0);
        assert_eq!(
            config.platform.redirect_uris.last().map(String::as_str),
            Some("http://127.0.0.1:9/cb")
        );
    }

    #[test]
    fn help_returns_none() {
        assert_eq!(
            config_from_args(args(&["--help"])).unwrap().map(|_| ()),
            None
        );
    }

    #[test]
    fn bad_arguments_are_errors() {
        assert!(config_from_args(args(&["--port", "x"])).is_err());
        assert!(config_from_args(args(&["--port"])).is_err());
        assert!(config_from_args(args(&["--bogus"])).is_err());
    }
}
