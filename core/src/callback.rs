//! Parsing of the redirect back to the platform (the callback).

use url::form_urlencoded;

use crate::error::{Error, OAuthErrorCode};
use crate::secret::AuthorizationCode;
use crate::state::State;

/// The OAuth parameters of a callback; each may appear at most once.
const OAUTH_PARAMETERS: [&str; 5] = ["code", "state", "error", "error_description", "scope"];

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
#[derive(Default)]
struct OAuthParameters {
    code: Option<String>,
    state: Option<String>,
    error: Option<String>,
    error_description: Option<String>,
    scope: Option<String>,
}

impl OAuthParameters {
    fn slot(&mut self, name: &str) -> Option<&mut Option<String>> {
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
        for (name, value) in form_urlencoded::parse(query.as_bytes()) {
            let Some(slot) = parameters.slot(&name) else {
                continue;
            };
            if slot.is_some() {
                return Err(Error::DuplicateParameter {
                    name: name.into_owned(),
                });
            }
            *slot = Some(value.into_owned());
        }
        Ok(parameters)
    }
}

/// Splits a callback URL, or just its query, into query and fragment.
///
/// Only the first `?` starts the query, so a later `?` belongs to a value. Input without `?` is
/// taken as a bare query unless it looks like a URL or a path.
fn split_callback(input: &str) -> (&str, Option<&str>) {
    let (before_fragment, fragment) = match input.split_once('#') {
        Some((before, fragment)) => (before, Some(fragment)),
        None => (input, None),
    };
    let query = match before_fragment.split_once('?') {
        Some((_, query)) => query,
        None if before_fragment.contains("://") || before_fragment.starts_with('/') => "",
        None => before_fragment,
    };
    (query, fragment)
}

fn has_oauth_parameter(text: &str) -> bool {
    form_urlencoded::parse(text.as_bytes()).any(|(name, _)| OAUTH_PARAMETERS.contains(&&*name))
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

    let in_query = has_oauth_parameter(query);
    if !in_query && fragment.is_some_and(has_oauth_parameter) {
        return Err(Error::ParametersInFragment);
    }

    let parameters = OAuthParameters::from_query(query)?;

    let Some(state) = non_empty(parameters.state) else {
        return Err(Error::StateMissing);
    };
    if !expected_state.matches(&state) {
        return Err(Error::StateMismatch);
    }

    if let Some(error) = parameters.error {
        let description = non_empty(parameters.error_description);
        return Err(match OAuthErrorCode::from_code(&error) {
            OAuthErrorCode::AccessDenied => Error::AccessDenied { description },
            error => Error::Authorize { error, description },
        });
    }

    let Some(code) = non_empty(parameters.code) else {
        return Err(Error::MissingCode);
    };
    Ok(Callback {
        // The exchange checks the code's format before any request.
        code: AuthorizationCode::from_raw(code),
        scope: non_empty(parameters.scope),
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
        assert_eq!(split_callback("/cb#code=1"), ("", Some("code=1")));
    }
}
