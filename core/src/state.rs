//! The CSRF `state` parameter of the authorize URL (RFC 6749 §10.12).

use std::fmt;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use subtle::ConstantTimeEq;

use crate::error::Error;

/// Random bytes in a generated state: 256 bits, so a state cannot be guessed.
const GENERATED_BYTES: usize = 32;

/// Maximum length of a caller-supplied state.
pub const MAX_STATE_LEN: usize = 512;

/// A CSRF `state` value: base64url characters (`A-Z a-z 0-9 - _`), 1 to 512 of them.
///
/// The platform keeps the state of each authorization (in the session or an HttpOnly cookie)
/// and removes it before checking a callback, so that one state serves one callback.
#[derive(Clone, PartialEq, Eq)]
pub struct State(String);

impl State {
    /// Generates a state from 32 bytes of the operating system's CSPRNG, encoded as base64url
    /// without padding (43 characters).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] when the operating system has no random source to offer.
    pub fn generate() -> Result<Self, Error> {
        let mut bytes = [0u8; GENERATED_BYTES];
        getrandom::fill(&mut bytes).map_err(|error| {
            Error::invalid_input(
                "state",
                format!("the operating system's random source failed: {error}"),
            )
        })?;
        Ok(Self(URL_SAFE_NO_PAD.encode(bytes)))
    }

    /// Checks and wraps a caller-supplied state.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] when the value is empty, longer than 512 characters, or has a
    /// character outside `A-Z a-z 0-9 - _`.
    pub fn new(state: impl Into<String>) -> Result<Self, Error> {
        let state = state.into();
        if state.is_empty() || state.len() > MAX_STATE_LEN {
            return Err(Error::invalid_input(
                "state",
                format!("the state must have 1 to {MAX_STATE_LEN} characters"),
            ));
        }
        let valid = state
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        if !valid {
            return Err(Error::invalid_input(
                "state",
                "the state must use only A-Z, a-z, 0-9, - and _, as a generated state does",
            ));
        }
        Ok(Self(state))
    }

    /// Returns the state text, as it goes into the authorize URL and a cookie.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Compares `received` with this state in constant time for equal lengths.
    pub fn matches(&self, received: &str) -> bool {
        self.matches_bytes(received.as_bytes())
    }

    pub(crate) fn matches_bytes(&self, received: &[u8]) -> bool {
        self.0.as_bytes().ct_eq(received).into()
    }
}

impl fmt::Debug for State {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("State").field(&self.0).finish()
    }
}

impl fmt::Display for State {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_state_has_43_base64url_chars() {
        let state = State::generate().unwrap();
        assert_eq!(state.as_str().len(), 43);
        assert!(State::new(state.as_str()).is_ok());
    }

    #[test]
    fn generated_states_differ() {
        assert_ne!(State::generate().unwrap(), State::generate().unwrap());
    }

    #[test]
    fn state_rejects_bad_values() {
        let too_long = "a".repeat(MAX_STATE_LEN + 1);
        for bad in ["", "a b", "a+b", "a=b", "é", too_long.as_str()] {
            assert!(State::new(bad).is_err(), "{bad:?} was accepted");
        }
        assert!(State::new("a".repeat(MAX_STATE_LEN)).is_ok());
    }

    #[test]
    fn state_matches_only_itself() {
        let state = State::new("S1").unwrap();
        assert!(state.matches("S1"));
        assert!(!state.matches("S2"));
        assert!(!state.matches("S"));
        assert!(!state.matches(""));
    }
}
