//! Usage errors of the argument parser, rendered as one line without the offending values.
//!
//! clap's own messages quote the value that failed, such as an extra authorization code or
//! a code passed where `--timeout` expects seconds. A secret typed in the wrong place would
//! then reach the terminal and any log that keeps stderr, so the message here names only the
//! kind of error and the argument.

use std::io::{self, Write};
use std::process::ExitCode;

use clap::error::{ContextKind, ContextValue, ErrorKind};

use crate::failure::ExitStatus;

/// Prints help and version as clap does, and a usage error as one line with exit status 2.
pub fn report(error: &clap::Error) -> ExitCode {
    match error.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
            let _ = error.print();
            ExitCode::SUCCESS
        }
        ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            let _ = error.print();
            ExitStatus::Usage.into()
        }
        _ => {
            let _ = writeln!(
                io::stderr(),
                "error: {}; run with --help for usage",
                message(error)
            );
            ExitStatus::Usage.into()
        }
    }
}

/// Describes a usage error from its kind and the names of the arguments involved.
fn message(error: &clap::Error) -> String {
    // The option as clap names it, such as `--timeout <SECONDS>`. This tool defines the name,
    // so it is safe to print.
    let defined_arg = || string_context(error, ContextKind::InvalidArg);

    match error.kind() {
        ErrorKind::UnknownArgument => unknown_argument(error),
        ErrorKind::InvalidSubcommand => {
            let mut message = "unrecognized subcommand".to_owned();
            let suggested = match error.get(ContextKind::SuggestedSubcommand) {
                Some(ContextValue::Strings(names)) => names.first().cloned(),
                _ => string_context(error, ContextKind::SuggestedSubcommand),
            };
            if let Some(suggested) = suggested {
                message.push_str(&format!(
                    "; tip: a similar subcommand exists: '{suggested}'"
                ));
            }
            message
        }
        ErrorKind::InvalidValue | ErrorKind::ValueValidation => {
            let arg = defined_arg().unwrap_or_else(|| "an argument".to_owned());
            let expected = expected_value(error, &arg);
            format!(
                "invalid value for {}: expected {expected}",
                option_name(&arg)
            )
        }
        ErrorKind::NoEquals => match defined_arg() {
            Some(arg) => format!("{} needs its value after an equals sign", option_name(&arg)),
            None => "an option needs its value after an equals sign".to_owned(),
        },
        ErrorKind::TooManyValues | ErrorKind::TooFewValues | ErrorKind::WrongNumberOfValues => {
            match defined_arg() {
                Some(arg) => format!("wrong number of values for {}", option_name(&arg)),
                None => "wrong number of values for an option".to_owned(),
            }
        }
        ErrorKind::ArgumentConflict => {
            let prior = string_context(error, ContextKind::PriorArg);
            match (defined_arg(), prior) {
                (Some(arg), Some(prior)) => format!("{arg} cannot be used with {prior}"),
                _ => "two of the arguments cannot be used together".to_owned(),
            }
        }
        ErrorKind::MissingRequiredArgument => match error.get(ContextKind::InvalidArg) {
            Some(ContextValue::Strings(missing)) => format!(
                "the following required arguments were not provided: {}",
                missing.join(", ")
            ),
            _ => "a required argument was not provided".to_owned(),
        },
        ErrorKind::MissingSubcommand => "a subcommand is required".to_owned(),
        ErrorKind::InvalidUtf8 => "an argument is not valid UTF-8".to_owned(),
        _ => "invalid arguments".to_owned(),
    }
}

/// Describes an argument that no option or positional matches. An option name is repeated
/// only when it looks like one (`--` and lower-case words): anything else may be a value,
/// such as a second authorization code.
fn unknown_argument(error: &clap::Error) -> String {
    let typed = string_context(error, ContextKind::InvalidArg).unwrap_or_default();
    let mut message = match typed.strip_prefix("--") {
        Some(name) if is_option_name(name) => format!("unknown option '{typed}'"),
        Some(_) => "unknown option".to_owned(),
        None if typed.starts_with('-') => "unknown option".to_owned(),
        None => "unexpected extra argument".to_owned(),
    };
    if let Some(suggested) = string_context(error, ContextKind::SuggestedArg) {
        message.push_str(&format!("; tip: a similar option exists: '{suggested}'"));
    }
    message
}

fn is_option_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// Returns `--timeout` from clap's `--timeout <SECONDS>`.
fn option_name(arg: &str) -> &str {
    arg.split_once(' ').map_or(arg, |(name, _)| name)
}

/// Describes the values `arg` accepts: the possible values when clap lists them, a hint for
/// the options whose parser explains itself with the value, and the value name otherwise.
fn expected_value(error: &clap::Error, arg: &str) -> String {
    if let Some(ContextValue::Strings(valid)) = error.get(ContextKind::ValidValue) {
        return format!("one of {}", valid.join(", "));
    }
    match option_name(arg) {
        "--timeout" => "whole seconds from 1 to 600".to_owned(),
        "--port" => "a port number from 0 to 65535".to_owned(),
        "--prefill" => "FIELD=VALUE with a field name before the equals sign".to_owned(),
        "--extra" => "KEY=VALUE with a key before the equals sign".to_owned(),
        _ => match arg.split_once(' ') {
            Some((_, value_name)) => value_name.to_owned(),
            None => "another value".to_owned(),
        },
    }
}

fn string_context(error: &clap::Error, kind: ContextKind) -> Option<String> {
    match error.get(kind)? {
        ContextValue::String(text) => Some(text.clone()),
        ContextValue::StyledStr(text) => Some(text.to_string()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use clap::{CommandFactory, FromArgMatches};

    use super::*;
    use crate::cli::Cli;

    fn usage_message(args: &[&str]) -> String {
        let mut full = vec!["stripe-connect-oauth"];
        full.extend_from_slice(args);
        let error = Cli::command()
            .try_get_matches_from(full)
            .and_then(|matches| Cli::from_arg_matches(&matches))
            .expect_err("the arguments should be rejected");
        message(&error)
    }

    #[test]
    fn extra_positional_is_not_echoed() {
        assert_eq!(
            usage_message(&["exchange", "ac_FirstCode1", "ac_SecondCode2"]),
            "unexpected extra argument"
        );
    }

    #[test]
    fn unknown_option_is_named_with_tip() {
        assert_eq!(
            usage_message(&["exchange", "ac_1", "--jsn"]),
            "unknown option '--jsn'; tip: a similar option exists: '--json'"
        );
    }

    #[test]
    fn unknown_option_with_value_drops_value() {
        assert_eq!(
            usage_message(&["exchange", "ac_1", "--bogus=ac_Value1"]),
            "unknown option '--bogus'"
        );
    }

    #[test]
    fn option_like_secret_is_not_echoed() {
        assert_eq!(
            usage_message(&["exchange", "ac_1", "--sk_test_Value1"]),
            "unknown option"
        );
    }

    #[test]
    fn invalid_number_names_option_only() {
        assert_eq!(
            usage_message(&["exchange", "--timeout", "ac_Value1", "ac_2"]),
            "invalid value for --timeout: expected whole seconds from 1 to 600"
        );
        assert_eq!(
            usage_message(&["exchange", "--timeout", "601", "ac_2"]),
            "invalid value for --timeout: expected whole seconds from 1 to 600"
        );
    }

    #[test]
    fn invalid_choice_lists_possible_values() {
        assert_eq!(
            usage_message(&["authorize-url", "--account-type", "ac_Value1"]),
            "invalid value for --account-type: expected one of express, standard"
        );
    }

    #[test]
    fn invalid_key_value_names_format() {
        assert_eq!(
            usage_message(&["authorize-url", "--prefill", "ac_Value1"]),
            "invalid value for --prefill: expected FIELD=VALUE with a field name before the \
             equals sign"
        );
    }

    #[test]
    fn unknown_subcommand_is_not_echoed() {
        assert_eq!(usage_message(&["ac_Value1"]), "unrecognized subcommand");
        assert_eq!(
            usage_message(&["exchang"]),
            "unrecognized subcommand; tip: a similar subcommand exists: 'exchange'"
        );
    }

    #[test]
    fn missing_argument_is_named() {
        assert_eq!(
            usage_message(&["refresh"]),
            "the following required arguments were not provided: <REFRESH_TOKEN>"
        );
    }
}
