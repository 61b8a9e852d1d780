//! Logging to stderr through `env_logger`, with two guards that `RUST_LOG` cannot lift.
//!
//! - The HTTP and TLS crates log at `info` at most. At `debug` and `trace`, `ureq` and
//!   `ureq_proto` log request headers (the `Authorization` header contains the secret key)
//!   and hex dumps of bodies, which contain authorization codes and tokens.
//! - Every message is written as one line with its control characters escaped, so text from
//!   a server or a callback URL cannot act on the terminal.

use log::{LevelFilter, Log, Metadata, Record};

use crate::text::single_line;

/// Log targets (crates, with their modules) that log at most at `info`, whatever level
/// `RUST_LOG` sets.
const CAPPED_TARGETS: [&str; 3] = ["ureq", "ureq_proto", "rustls"];

/// The level that [`CAPPED_TARGETS`] log at most.
const CAPPED_LEVEL: LevelFilter = LevelFilter::Info;

/// Sets up logging to stderr, at `info` for the servers and `warn` for the one-shot commands.
/// `RUST_LOG` overrides the level, except for the capped targets.
pub fn init(server: bool) {
    let default_level = if server { "info" } else { "warn" };
    let inner =
        env_logger::Builder::from_env(env_logger::Env::default().default_filter_or(default_level))
            .target(env_logger::Target::Stderr)
            .build();
    let max_level = inner.filter();
    // Fails only when a logger is already set; `main` calls this once, before anything logs.
    if log::set_boxed_logger(Box::new(GuardedLogger { inner })).is_ok() {
        log::set_max_level(max_level);
    }
}

/// An `env_logger` logger behind the two guards of this module.
struct GuardedLogger {
    inner: env_logger::Logger,
}

impl Log for GuardedLogger {
    fn enabled(&self, metadata: &Metadata<'_>) -> bool {
        !is_capped(metadata.target(), metadata.level().to_level_filter())
            && self.inner.enabled(metadata)
    }

    fn log(&self, record: &Record<'_>) {
        if !self.enabled(record.metadata()) {
            return;
        }
        let message = single_line(&record.args().to_string());
        self.inner.log(
            &Record::builder()
                .args(format_args!("{message}"))
                .metadata(record.metadata().clone())
                .module_path(record.module_path())
                .file(record.file())
                .line(record.line())
                .build(),
        );
    }

    fn flush(&self) {
        self.inner.flush();
    }
}

/// Tells whether a record of `target` at `level` is dropped by the cap.
fn is_capped(target: &str, level: LevelFilter) -> bool {
    level > CAPPED_LEVEL
        && CAPPED_TARGETS.iter().any(|capped| {
            target
                .strip_prefix(capped)
                .is_some_and(|rest| rest.is_empty() || rest.starts_with("::"))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn http_and_tls_targets_are_capped_above_info() {
        for target in [
            "ureq",
            "ureq::run",
            "ureq_proto::util",
            "rustls::client::hs",
        ] {
            assert!(is_capped(target, LevelFilter::Debug), "{target} at debug");
            assert!(is_capped(target, LevelFilter::Trace), "{target} at trace");
            assert!(!is_capped(target, LevelFilter::Info), "{target} at info");
            assert!(!is_capped(target, LevelFilter::Warn), "{target} at warn");
        }
    }

    #[test]
    fn other_targets_are_not_capped() {
        for target in [
            "stripe_connect_oauth",
            "ureqx",
            "my_rustls",
            "fake_stripe::http",
        ] {
            assert!(!is_capped(target, LevelFilter::Trace), "{target}");
        }
    }
}
