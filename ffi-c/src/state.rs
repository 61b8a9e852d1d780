//! The CSRF `state` parameter: generation and comparison.

use std::ffi::{CString, c_char};

use oauth::State;

use crate::boundary::run;
use crate::error::sco_error;
use crate::ffi::{self, exact_c_string};
use crate::status::sco_status;

/// Generates a state from 32 bytes of the operating system's CSPRNG, encoded as base64url
/// without padding: 43 characters from `A-Z a-z 0-9 - _`.
///
/// Keep the state of each authorization in the user's session or an HttpOnly cookie, and
/// remove it before checking the callback, so that one state serves one callback.
///
/// On success `*state_out` receives an owned string that the caller frees with
/// `sco_string_free`. Fails with `SCO_ERR_INVALID_INPUT` only when the operating system has no
/// random source. Thread safety: safe to call from any thread.
///
/// # Safety
///
/// - `state_out` points to a writable `char *`.
/// - `error_out` is NULL or points to a writable `sco_error *`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sco_state_generate(
    state_out: *mut *mut c_char,
    error_out: *mut *mut sco_error,
) -> sco_status {
    run(error_out, || {
        // SAFETY: forwarded from the caller.
        let state_out = unsafe { ffi::output(state_out, "state_out") }?;
        let state = State::generate()?;
        // A generated state is base64url text, so it has no NUL byte.
        let state: CString = exact_c_string(state.as_str(), || oauth::Error::InvalidInput {
            parameter: "state",
            message: "the generated state contains a NUL byte".to_owned(),
        })?;
        state_out.write(state.into_raw());
        Ok(())
    })
}

/// Compares a received state with the expected one in constant time (for equal lengths).
///
/// On success `*matches_out` receives whether they are equal. Fails with
/// `SCO_ERR_INVALID_INPUT` when `expected_state` is not a valid state (1 to 512 characters from
/// `A-Z a-z 0-9 - _`). `sco_parse_callback` already makes this comparison; this function is
/// for platforms that read `state` themselves. Thread safety: safe to call from any thread.
///
/// # Safety
///
/// - `expected_state` and `received_state` are NULL or NUL-terminated strings.
/// - `matches_out` points to a writable `bool`.
/// - `error_out` is NULL or points to a writable `sco_error *`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sco_state_matches(
    expected_state: *const c_char,
    received_state: *const c_char,
    matches_out: *mut bool,
    error_out: *mut *mut sco_error,
) -> sco_status {
    run(error_out, || {
        // SAFETY: forwarded from the caller.
        let expected_state = unsafe { ffi::text(expected_state, "expected_state") }?;
        // SAFETY: forwarded from the caller.
        let received_state = unsafe { ffi::text(received_state, "received_state") }?;
        // SAFETY: forwarded from the caller.
        let matches_out = unsafe { ffi::output(matches_out, "matches_out") }?;
        let expected_state = State::new(expected_state)?;
        matches_out.write(expected_state.matches(received_state));
        Ok(())
    })
}
