//! Failures of a command: a one-line message and the exit status that classifies it.

use std::process::ExitCode;

use stripe_connect_oauth::{Error, ErrorKind, OAuthErrorCode};

use crate::text::single_line;

/// The exit status of a failed command. The numbers are part of the command-line interface
/// and are listed in `--help`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExitStatus {
    /// Any other failure: output could not be written, the demo could not start.
    Other = 1,
    /// Bad usage or invalid input; nothing was sent to Stripe.
    Usage = 2,
    /// Stripe returned an error, or a response that is not a valid one.
    Stripe = 3,
    /// The request failed on the network or timed out.
    Transport = 4,
}

impl From<ExitStatus> for ExitCode {
    fn from(status: ExitStatus) -> Self {
        ExitCode::from(status as u8)
    }
}

/// The request a core error came from, which decides the advice in the message.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Operation {
    /// Building an authorize URL.
    AuthorizeUrl,
    /// Exchanging an authorization code.
    Exchange,
    /// Refreshing an access token.
    Refresh,
    /// Disconnecting a connected account.
    Deauthorize,
}

impl Operation {
    fn failed(self) -> &'static str {
        match self {
            Self::AuthorizeUrl => "building the authorize URL failed",
            Self::Exchange => "the authorization code exchange failed",
            Self::Refresh => "the token refresh failed",
            Self::Deauthorize => "the deauthorization failed",
        }
    }
}

/// A failed command: the message printed on stderr after `error: `, and the exit status.
///
/// Messages never contain a secret key, token or authorization code: they are built from
/// roles and from the core error's `Display`, which masks secrets.
#[derive(Debug)]
pub struct Failure {
    /// The exit status.
    pub status: ExitStatus,
    /// The one-line message: what failed and what to do next.
    pub message: String,
}

impl Failure {
    /// Creates a failure of usage or input, with exit status 2.
    pub fn usage(message: impl Into<String>) -> Self {
        Self {
            status: ExitStatus::Usage,
            message: message.into(),
        }
    }

    /// Creates any other failure, with exit status 1.
    pub fn other(message: impl Into<String>) -> Self {
        Self {
            status: ExitStatus::Other,
            message: message.into(),
        }
    }

    /// Classifies a core error of `operation` and adds what to do next.
    pub fn from_core(operation: Operation, error: &Error) -> Self {
        let status = exit_status(error.kind());
        let advice = advice(operation, error);
        // Stripe's descriptions end in a full stop, which would stand before the advice.
        let error_text = error.to_string();
        let error_text = error_text.trim_end_matches('.');
        let message = match advice {
            Some(advice) => format!("{}: {error_text}; {advice}", operation.failed()),
            None => format!("{}: {error_text}", operation.failed()),
        };
        Self {
            status,
            message: single_line(&message),
        }
    }
}

/// Maps an error family to the exit status documented in `--help`.
pub fn exit_status(kind: ErrorKind) -> ExitStatus {
    match kind {
        ErrorKind::InvalidInput => ExitStatus::Usage,
        ErrorKind::OAuth
        | ErrorKind::Api
        | ErrorKind::RateLimited
        | ErrorKind::UnexpectedResponse
        | ErrorKind::ModeMismatch
        | ErrorKind::Decode => ExitStatus::Stripe,
        ErrorKind::Transport | ErrorKind::Timeout => ExitStatus::Transport,
        _ => ExitStatus::Other,
    }
}

/// Returns what the user should do next, where the core message does not already say it.
fn advice(operation: Operation, error: &Error) -> Option<String> {
    let advice = match error {
        // The core's input messages name the value and the fix.
        Error::InvalidInput { .. } => return None,
        Error::OAuth(oauth) => match (&oauth.error, operation) {
            (OAuthErrorCode::InvalidGrant, Operation::Exchange) => {
                "authorization codes are single use and expire after 5 minutes: \
                 start the authorization again for a new code"
            }
            (OAuthErrorCode::InvalidGrant, _) => {
                "the refresh token is unknown, revoked or of the other mode: \
                 connect the account again"
            }
            (OAuthErrorCode::InvalidClient, Operation::Deauthorize) => {
                "check STRIPE_CLIENT_ID and STRIPE_SECRET_KEY, and that the account is \
                 connected to this platform"
            }
            (OAuthErrorCode::InvalidClient, _) => {
                "check STRIPE_SECRET_KEY against the API keys of the Stripe Dashboard"
            }
            (OAuthErrorCode::InvalidScope, _) => {
                "request the granted scope or a narrower one, such as read_only"
            }
            _ => "check the arguments against Stripe's Connect OAuth reference",
        },
        Error::Api(_) => "check --connect-base and the secret key, then retry",
        Error::RateLimited { retry_after } => {
            return Some(match retry_after {
                Some(delay) => format!("wait {} s and retry", delay.as_secs()),
                None => "wait a few seconds and retry".to_owned(),
            });
        }
        Error::UnexpectedResponse(_) | Error::Decode { .. } => {
            "check that --connect-base is Stripe's Connect origin (https://connect.stripe.com) \
             and not a proxy, then retry"
        }
        Error::ModeMismatch { .. } => {
            "use a secret key of the same mode (test or live) as the authorization"
        }
        Error::Transport { .. } | Error::Timeout { .. } => {
            if error.may_have_been_processed() && operation == Operation::Exchange {
                "Stripe may have used the code, so do not resend it: \
                 start the authorization again for a new code"
            } else if error.may_have_been_processed() {
                "Stripe may have processed the request: check the account before retrying"
            } else {
                "check the network and --connect-base, then retry"
            }
        }
        _ => return None,
    };
    Some(advice.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exit_status_by_family() {
        assert_eq!(exit_status(ErrorKind::InvalidInput), ExitStatus::Usage);
        assert_eq!(exit_status(ErrorKind::OAuth), ExitStatus::Stripe);
        assert_eq!(exit_status(ErrorKind::Api), ExitStatus::Stripe);
        assert_eq!(exit_status(ErrorKind::RateLimited), ExitStatus::Stripe);
        assert_eq!(
            exit_status(ErrorKind::UnexpectedResponse),
            ExitStatus::Stripe
        );
        assert_eq!(exit_status(ErrorKind::Transport), ExitStatus::Transport);
        assert_eq!(exit_status(ErrorKind::Timeout), ExitStatus::Transport);
        assert_eq!(exit_status(ErrorKind::StateMismatch), ExitStatus::Other);
    }

    #[test]
    fn spent_code_advice_says_start_again() {
        let error = Error::Timeout {
            may_have_been_processed: true,
        };
        let failure = Failure::from_core(Operation::Exchange, &error);
        assert_eq!(failure.status, ExitStatus::Transport);
        assert_eq!(
            failure.message,
            "the authorization code exchange failed: request timed out (the request may have \
             been processed); Stripe may have used the code, so do not resend it: start the \
             authorization again for a new code"
        );
    }
}
