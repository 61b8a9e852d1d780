//! Parsing of the redirect back to the platform (the callback).

use percent_encoding::percent_decode_str;
use url::form_urlencoded;

use crate::error::{Error, OAuthErrorCode};
use crate::secret::AuthorizationCode;
use crate::state::State;

/// The parameters that make a callback: found only in the fragment, they fail the parse.
const FRAGMENT_CHECKED_PARAMETERS: [&str; 3] = ["code", "state", "error"];

/// A successful callback: the authorization code and the scope Stripe granted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Callback {
    code: AuthorizationCode,
    scope: Option<String>,
}

impl Callback {
    /// Returns the single-use authorization code.
    pub fn code(&self) -> &AuthorizationCode {
        &self.code
    }

    /// Returns the `scope` parameter, which Stripe sends for Standard accounts.
    pub fn scope(&self) -> Option<&str> {
        self.scope.as_deref()
    }

    /// Splits the callback into its code and scope.
    pub fn into_parts(self) -> (AuthorizationCode, Option<String>) {
        (self.code, self.scope)
    }
}

/// The OAuth parameters found in one query, each at most once.
///
/// Values are kept as decoded bytes, so that a percent-escape that is not UTF-8 is caught
/// where the value is used instead of being replaced silently.
#[derive(Default)]
struct OAuthParameters {
    code: Option<Vec<u8>>,
    state: Option<Vec<u8>>,
    error: Option<Vec<u8>>,
    error_description: Option<Vec<u8>>,
    scope: Option<Vec<u8>>,
}

/// Decodes one `application/x-www-form-urlencoded` component: `+` is a space, then
/// percent-escapes become bytes.
fn decode_component(component: &str) -> Vec<u8> {
    let spaced = component.replace('+', " ");
    percent_decode_str(&spaced).collect()
}

fn lossy_text(value: Option<Vec<u8>>) -> Option<String> {
    value.map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
}

impl OAuthParameters {
    fn slot(&mut self, name: &str) -> Option<&mut Option<Vec<u8>>> {
        match name {
            "code" => Some(&mut self.code),
            "state" => Some(&mut self.state),
            "error" => Some(&mut self.error),
            "error_description" => Some(&mut self.error_description),
            "scope" => Some(&mut self.scope),
            _ => None,
        }
    }

    /// Collects the OAuth parameters of a query and ignores the platform's own.
    fn from_query(query: &str) -> Result<Self, Error> {
        let mut parameters = Self::default();
        for pair in query.split('&').filter(|pair| !pair.is_empty()) {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            let name = String::from_utf8_lossy(&decode_component(name)).into_owned();
            let Some(slot) = parameters.slot(&name) else {
                continue;
            };
            if slot.is_some() {
                return Err(Error::DuplicateParameter { name });
            }
            *slot = Some(decode_component(value));
        }
        Ok(parameters)
    }
}

/// Returns whether the input starts like a URL: a scheme followed by `://`, or a path.
fn starts_like_url(input: &str) -> bool {
    if input.starts_with('/') {
        return true;
    }
    let Some((scheme, _)) = input.split_once("://") else {
        return false;
    };
    let mut characters = scheme.chars();
    characters.next().is_some_and(|c| c.is_ascii_alphabetic())
        && characters.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
}

/// Splits a callback URL, or just its query, into query and fragment.
///
/// Input that starts with a scheme and `://`, or with `/`, is a URL: its query starts after the
/// first `?`, so a later `?` belongs to a value. Any other input is the query itself, with or
/// without a leading `?`, so a query that contains `?` or `://` in a value reads the same as the
/// URL it came from.
fn split_callback(input: &str) -> (&str, Option<&str>) {
    let (before_fragment, fragment) = match input.split_once('#') {
        Some((before, fragment)) => (before, Some(fragment)),
        None => (input, None),
    };
    let query = if starts_like_url(before_fragment) {
        before_fragment
            .split_once('?')
            .map_or("", |(_, query)| query)
    } else {
        before_fragment.strip_prefix('?').unwrap_or(before_fragment)
    };
    (query, fragment)
}

/// Names of the parameters in a query or fragment.
fn parameter_names(text: &str) -> Vec<String> {
    form_urlencoded::parse(text.as_bytes())
        .map(|(name, _)| name.into_owned())
        .collect()
}

/// Returns whether the fragment carries `code`, `state` or `error` that the query lacks, as a
/// redirect that put its parameters in the fragment does.
fn has_fragment_only_parameters(query: &str, fragment: &str) -> bool {
    let in_query = parameter_names(query);
    parameter_names(fragment).iter().any(|name| {
        FRAGMENT_CHECKED_PARAMETERS.contains(&name.as_str()) && !in_query.contains(name)
    })
}

fn non_empty(value: Option<String>) -> Option<String> {
    value.filter(|value| !value.is_empty())
}

/// Parses the callback and checks its `state` before anything else.
///
/// `callback` is the full callback URL or just its query string, decoded as
/// `application/x-www-form-urlencoded` (`+` is a space). The rules apply in this order:
///
/// 1. Only the query counts. OAuth parameters found only in the fragment are an error, while a
///    fragment after a valid query (Stripe sometimes appends `#` or `#_=_`) is ignored.
/// 2. `code`, `state`, `error`, `error_description` and `scope` appear at most once each.
/// 3. `state` must be present, non-empty, and equal to `expected_state`.
/// 4. An `error` wins over a `code`: `access_denied` means the user declined.
/// 5. Otherwise a non-empty `code` must be present. Other parameters, such as the platform's
///    own on its redirect URI, are ignored.
///
/// The platform should remove the expected state from its session before calling this, so a
/// replayed callback fails.
///
/// # Errors
///
/// [`Error::ParametersInFragment`], [`Error::DuplicateParameter`], [`Error::StateMissing`],
/// [`Error::StateMismatch`], [`Error::AccessDenied`], [`Error::Authorize`] and
/// [`Error::MissingCode`], following the rules above.
pub fn parse_callback(callback: &str, expected_state: &State) -> Result<Callback, Error> {
    let (query, fragment) = split_callback(callback);

    if fragment.is_some_and(|fragment| has_fragment_only_parameters(query, fragment)) {
        return Err(Error::ParametersInFragment);
    }

    let parameters = OAuthParameters::from_query(query)?;

    let Some(state) = parameters.state.filter(|state| !state.is_empty()) else {
        return Err(Error::StateMissing);
    };
    // A state that is not UTF-8 cannot equal a valid state, so the byte comparison suffices.
    if !expected_state.matches_bytes(&state) {
        return Err(Error::StateMismatch);
    }

    // An empty `error` carries no error code, so it does not override a code.
    if let Some(error) = non_empty(lossy_text(parameters.error)) {
        let description = non_empty(lossy_text(parameters.error_description));
        return Err(match OAuthErrorCode::from_code(&error) {
            OAuthErrorCode::AccessDenied => Error::AccessDenied { description },
            error => Error::Authorize { error, description },
        });
    }

    let Some(code) = parameters.code.filter(|code| !code.is_empty()) else {
        return Err(Error::MissingCode);
    };
    let Ok(code) = String::from_utf8(code) else {
        return Err(Error::invalid_input(
            "callback",
            "the callback's code is not valid UTF-8 after percent-decoding, so it was altered \
             on the way: restart the authorization",
        ));
    };
    Ok(Callback {
        // The exchange checks the code's format before any request.
        code: AuthorizationCode::from_raw(code),
        scope: non_empty(lossy_text(parameters.scope)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_takes_first_question_mark() {
        assert_eq!(split_callback("https://p/cb?a=b?c#f"), ("a=b?c", Some("f")));
        assert_eq!(split_callback("code=1&state=2"), ("code=1&state=2", None));
        assert_eq!(split_callback("?code=1"), ("code=1", None));
        assert_eq!(split_callback("https://p/cb"), ("", None));
        assert_eq!(split_callback("a=b?c&d=1"), ("a=b?c&d=1", None));
        assert_eq!(
            split_callback("next=https://p/x&d=1"),
            ("next=https://p/x&d=1", None)
        );
        assert_eq!(split_callback("/cb#code=1"), ("", Some("code=1")));
    }
}
