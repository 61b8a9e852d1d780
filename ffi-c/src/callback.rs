//! Parsing of the redirect back to the platform (the callback).

use std::ffi::{CString, c_char};

use oauth::{State, parse_callback};

use crate::boundary::{run, run_infallible};
use crate::error::sco_error;
use crate::ffi::{self, Failure, Handle, as_ptr_or_null, exact_c_string, into_handle};
use crate::status::sco_status;

/// A successful callback: the single-use authorization code and the scope Stripe granted.
///
/// Returned by `sco_parse_callback`, owned by the caller and freed with `sco_callback_free`.
/// Strings returned by its accessors are borrowed and live as long as the callback.
///
/// Thread safety: a callback is never modified after creation, so its accessors may be called
/// from several threads at once.
#[derive(Debug)]
pub struct sco_callback {
    code: CString,
    scope: Option<CString>,
}

impl Handle for sco_callback {
    const TYPE_NAME: &'static str = "sco_callback";
    const CONSTRUCTOR: &'static str = "sco_parse_callback";
}

/// Converts a callback value for C. A NUL byte (`%00`) cannot be carried by a C string, and
/// no value that Stripe sends has one.
fn callback_text(name: &str, value: &str) -> Result<CString, Failure> {
    exact_c_string(value, || oauth::Error::InvalidInput {
        parameter: "callback",
        message: format!("the callback's {name} contains a NUL byte (%00)"),
    })
}

/// Parses the callback and checks its `state` before anything else.
///
/// `callback` is the full callback URL or just its query string, decoded as
/// `application/x-www-form-urlencoded` (`+` is a space). `expected_state` is the state stored
/// for this session, which the platform should remove from the session before this call so
/// that a replayed callback fails. The rules apply in this order:
///
/// 1. Only the query counts. OAuth parameters found only in the fragment fail with
///    `SCO_ERR_PARAMETERS_IN_FRAGMENT`; a fragment after a valid query (such as `#_=_`) is
///    ignored.
/// 2. `code`, `state`, `error`, `error_description` and `scope` appear at most once each
///    (`SCO_ERR_DUPLICATE_PARAMETER`).
/// 3. `state` must be present and non-empty (`SCO_ERR_STATE_MISSING`) and equal to
///    `expected_state` (`SCO_ERR_STATE_MISMATCH`).
/// 4. An `error` wins over a `code`: `access_denied` gives `SCO_ERR_ACCESS_DENIED` (the user
///    declined), any other code `SCO_ERR_AUTHORIZE`; the error object carries the code and
///    the description.
/// 5. Otherwise a non-empty `code` must be present (`SCO_ERR_MISSING_CODE`). Other parameters,
///    such as the platform's own on its redirect URI, are ignored.
///
/// An invalid `expected_state` fails with `SCO_ERR_INVALID_INPUT`. On success
/// `*callback_out` receives a callback that the caller frees with `sco_callback_free`. No
/// failure here ever sends a request. Thread safety: safe to call from any thread.
///
/// # Safety
///
/// - `callback` and `expected_state` are NULL or NUL-terminated strings.
/// - `callback_out` points to a writable `sco_callback *`.
/// - `error_out` is NULL or points to a writable `sco_error *`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sco_parse_callback(
    callback: *const c_char,
    expected_state: *const c_char,
    callback_out: *mut *mut sco_callback,
    error_out: *mut *mut sco_error,
) -> sco_status {
    run(error_out, || {
        // SAFETY: forwarded from the caller.
        let callback = unsafe { ffi::text(callback, "callback") }?;
        // SAFETY: forwarded from the caller.
        let expected_state = unsafe { ffi::text(expected_state, "expected_state") }?;
        // SAFETY: forwarded from the caller.
        let callback_out = unsafe { ffi::output(callback_out, "callback_out") }?;

        let expected_state = State::new(expected_state)?;
        let (code, scope) = parse_callback(callback, &expected_state)?.into_parts();

        let code = callback_text("code", code.secret())?;
        let scope = scope
            .map(|scope| callback_text("scope", &scope))
            .transpose()?;
        callback_out.write(into_handle(sco_callback { code, scope }));
        Ok(())
    })
}

/// Returns the single-use authorization code, which `sco_client_exchange_code` takes. It is a
/// secret: keep it out of logs, and exchange it once.
///
/// The string is borrowed from `callback`; NULL when `callback` is NULL.
///
/// # Safety
///
/// `callback` is NULL or a callback from `sco_parse_callback` that has not been freed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sco_callback_code(callback: *const sco_callback) -> *const c_char {
    run_infallible(std::ptr::null(), || {
        // SAFETY: forwarded from the caller.
        unsafe { ffi::borrow(callback, "callback") }
            .map_or(std::ptr::null(), |callback| callback.code.as_ptr())
    })
}

/// Returns the `scope` parameter of the callback, which Stripe sends for Standard accounts.
///
/// The string is borrowed from `callback`; NULL when the callback had none or `callback` is
/// NULL.
///
/// # Safety
///
/// `callback` is NULL or a callback from `sco_parse_callback` that has not been freed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sco_callback_scope(callback: *const sco_callback) -> *const c_char {
    run_infallible(std::ptr::null(), || {
        // SAFETY: forwarded from the caller.
        unsafe { ffi::borrow(callback, "callback") }.map_or(std::ptr::null(), |callback| {
            as_ptr_or_null(callback.scope.as_ref())
        })
    })
}

/// Frees a callback. Accepts NULL.
///
/// # Safety
///
/// `callback` is NULL or a callback from `sco_parse_callback` that has not been freed yet.
/// Strings borrowed from it become invalid.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sco_callback_free(callback: *mut sco_callback) {
    // SAFETY: forwarded from the caller.
    run_infallible((), || unsafe { ffi::free(callback) })
}
