//! The status codes that every fallible function returns.

use std::ffi::{CStr, c_char, c_int};

use oauth::ErrorKind;

use crate::boundary::run_infallible;

/// The outcome of a call. `SCO_OK` is 0 and every error is positive.
///
/// The numbers are stable: a number is never reused for another meaning. Statuses from 10 on
/// are the error families of the Rust core, in the same order, and `sco_status_name` returns
/// the family names that the core and the other bindings use.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum sco_status {
    /// The call succeeded and wrote its out-parameters.
    SCO_OK = 0,
    /// An argument is NULL, is not valid UTF-8, or is not one of its `SCO_*` values. The
    /// error's parameter names the argument. Nothing else ran.
    SCO_ERR_INVALID_ARGUMENT = 1,
    /// The library panicked, which is a bug. No out-parameter was written.
    SCO_ERR_PANIC = 2,
    /// An error of a family that this version of the header has no status for. Every family of
    /// this version has its own status, so this status is reserved for newer cores.
    SCO_ERR_UNKNOWN = 3,
    /// A configuration value or an argument is invalid (an unknown key format, a redirect URI
    /// with a fragment, ...). No request was sent.
    SCO_ERR_INVALID_INPUT = 10,
    /// The callback carries no `state`, or an empty one.
    SCO_ERR_STATE_MISSING = 11,
    /// The callback's `state` differs from the one stored for this session.
    SCO_ERR_STATE_MISMATCH = 12,
    /// A callback parameter appears more than once.
    SCO_ERR_DUPLICATE_PARAMETER = 13,
    /// OAuth parameters appear only in the callback's fragment, never in its query.
    SCO_ERR_PARAMETERS_IN_FRAGMENT = 14,
    /// The callback has a valid state but neither an authorization code nor an error.
    SCO_ERR_MISSING_CODE = 15,
    /// The user declined the authorization (`error=access_denied` on the callback).
    SCO_ERR_ACCESS_DENIED = 16,
    /// The callback carries an error other than `access_denied`.
    SCO_ERR_AUTHORIZE = 17,
    /// The token or deauthorize endpoint returned an OAuth error, such as `invalid_grant`.
    SCO_ERR_OAUTH = 18,
    /// The endpoint returned an error in the shape of Stripe's v1 API.
    SCO_ERR_API = 19,
    /// The endpoint returned HTTP 429.
    SCO_ERR_RATE_LIMITED = 20,
    /// The response is neither a success nor a recognized error (an HTML proxy page, an empty
    /// body, a redirect, a body over 64 KiB, ...).
    SCO_ERR_UNEXPECTED_RESPONSE = 21,
    /// The request failed on the network. `sco_error_may_have_been_processed` reports whether
    /// the server may have processed it.
    SCO_ERR_TRANSPORT = 22,
    /// The request timed out. `sco_error_may_have_been_processed` reports whether the server
    /// may have processed it.
    SCO_ERR_TIMEOUT = 23,
    /// A success whose `livemode` differs from the mode of the secret key that was used.
    SCO_ERR_MODE_MISMATCH = 24,
    /// A success response lacks a required field or has one of the wrong type.
    SCO_ERR_DECODE = 25,
}

impl sco_status {
    /// Every status, in declaration order.
    const ALL: [sco_status; 20] = [
        Self::SCO_OK,
        Self::SCO_ERR_INVALID_ARGUMENT,
        Self::SCO_ERR_PANIC,
        Self::SCO_ERR_UNKNOWN,
        Self::SCO_ERR_INVALID_INPUT,
        Self::SCO_ERR_STATE_MISSING,
        Self::SCO_ERR_STATE_MISMATCH,
        Self::SCO_ERR_DUPLICATE_PARAMETER,
        Self::SCO_ERR_PARAMETERS_IN_FRAGMENT,
        Self::SCO_ERR_MISSING_CODE,
        Self::SCO_ERR_ACCESS_DENIED,
        Self::SCO_ERR_AUTHORIZE,
        Self::SCO_ERR_OAUTH,
        Self::SCO_ERR_API,
        Self::SCO_ERR_RATE_LIMITED,
        Self::SCO_ERR_UNEXPECTED_RESPONSE,
        Self::SCO_ERR_TRANSPORT,
        Self::SCO_ERR_TIMEOUT,
        Self::SCO_ERR_MODE_MISMATCH,
        Self::SCO_ERR_DECODE,
    ];

    /// Returns the status of a core error family.
    pub(crate) fn of_kind(kind: ErrorKind) -> Self {
        match kind {
            ErrorKind::InvalidInput => Self::SCO_ERR_INVALID_INPUT,
            ErrorKind::StateMissing => Self::SCO_ERR_STATE_MISSING,
            ErrorKind::StateMismatch => Self::SCO_ERR_STATE_MISMATCH,
            ErrorKind::DuplicateParameter => Self::SCO_ERR_DUPLICATE_PARAMETER,
            ErrorKind::ParametersInFragment => Self::SCO_ERR_PARAMETERS_IN_FRAGMENT,
            ErrorKind::MissingCode => Self::SCO_ERR_MISSING_CODE,
            ErrorKind::AccessDenied => Self::SCO_ERR_ACCESS_DENIED,
            ErrorKind::Authorize => Self::SCO_ERR_AUTHORIZE,
            ErrorKind::OAuth => Self::SCO_ERR_OAUTH,
            ErrorKind::Api => Self::SCO_ERR_API,
            ErrorKind::RateLimited => Self::SCO_ERR_RATE_LIMITED,
            ErrorKind::UnexpectedResponse => Self::SCO_ERR_UNEXPECTED_RESPONSE,
            ErrorKind::Transport => Self::SCO_ERR_TRANSPORT,
            ErrorKind::Timeout => Self::SCO_ERR_TIMEOUT,
            ErrorKind::ModeMismatch => Self::SCO_ERR_MODE_MISMATCH,
            ErrorKind::Decode => Self::SCO_ERR_DECODE,
            _ => Self::SCO_ERR_UNKNOWN,
        }
    }

    /// Returns the stable snake_case name: the core's family name for core errors.
    fn name(self) -> &'static CStr {
        match self {
            Self::SCO_OK => c"ok",
            Self::SCO_ERR_INVALID_ARGUMENT => c"invalid_argument",
            Self::SCO_ERR_PANIC => c"panic",
            Self::SCO_ERR_UNKNOWN => c"unknown",
            Self::SCO_ERR_INVALID_INPUT => c"invalid_input",
            Self::SCO_ERR_STATE_MISSING => c"state_missing",
            Self::SCO_ERR_STATE_MISMATCH => c"state_mismatch",
            Self::SCO_ERR_DUPLICATE_PARAMETER => c"duplicate_parameter",
            Self::SCO_ERR_PARAMETERS_IN_FRAGMENT => c"parameters_in_fragment",
            Self::SCO_ERR_MISSING_CODE => c"missing_code",
            Self::SCO_ERR_ACCESS_DENIED => c"access_denied",
            Self::SCO_ERR_AUTHORIZE => c"authorize_error",
            Self::SCO_ERR_OAUTH => c"oauth_error",
            Self::SCO_ERR_API => c"api_error",
            Self::SCO_ERR_RATE_LIMITED => c"rate_limited",
            Self::SCO_ERR_UNEXPECTED_RESPONSE => c"unexpected_response",
            Self::SCO_ERR_TRANSPORT => c"transport",
            Self::SCO_ERR_TIMEOUT => c"timeout",
            Self::SCO_ERR_MODE_MISMATCH => c"mode_mismatch",
            Self::SCO_ERR_DECODE => c"decode",
        }
    }
}

/// Returns the stable snake_case name of a status, such as "ok", "invalid_argument" or
/// "oauth_error". Error families use the names of the Rust core and the other bindings.
///
/// `status` is an `int` so that any value is safe to pass. A value that is not a `sco_status`
/// gives "unknown". The string is static: do not free it. Thread safety: safe to call from
/// any thread.
#[unsafe(no_mangle)]
pub extern "C" fn sco_status_name(status: c_int) -> *const c_char {
    run_infallible(std::ptr::null(), || {
        let known = sco_status::ALL
            .into_iter()
            .find(|candidate| *candidate as c_int == status);
        known.unwrap_or(sco_status::SCO_ERR_UNKNOWN).name().as_ptr()
    })
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    #[test]
    fn every_core_kind_has_its_own_status() {
        let mut seen = HashSet::new();
        for kind in ErrorKind::ALL {
            let status = sco_status::of_kind(kind);
            assert_ne!(status, sco_status::SCO_ERR_UNKNOWN, "{kind:?}");
            assert!(seen.insert(status as c_int), "{kind:?} shares a status");
        }
    }

    #[test]
    fn status_names_are_the_core_family_names() {
        for kind in ErrorKind::ALL {
            let name = sco_status::of_kind(kind).name().to_str().unwrap();
            assert_eq!(name, kind.as_str());
        }
    }

    #[test]
    fn status_list_is_complete_and_names_are_unique() {
        let names: HashSet<&CStr> = sco_status::ALL.iter().map(|s| s.name()).collect();
        assert_eq!(names.len(), sco_status::ALL.len());
        assert_eq!(sco_status::ALL.len(), ErrorKind::ALL.len() + 4);
    }

    #[test]
    fn unknown_number_is_named_unknown() {
        // SAFETY: sco_status_name returns a static NUL-terminated string.
        let name = unsafe { CStr::from_ptr(sco_status_name(9999)) };
        assert_eq!(name, c"unknown");
        // SAFETY: as above.
        let name = unsafe { CStr::from_ptr(sco_status_name(18)) };
        assert_eq!(name, c"oauth_error");
    }
}
