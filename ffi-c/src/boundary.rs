//! The panic boundary around every exported function.
//!
//! A panic that unwinds out of an `extern "C"` function aborts the process, so every exported
//! body runs inside `catch_unwind`. A fallible function then returns `SCO_ERR_PANIC`; an
//! accessor returns its documented default (NULL, 0 or false). The boundary needs the default
//! `panic = "unwind"` strategy: a build with `panic = "abort"` aborts instead.

use std::panic::{AssertUnwindSafe, catch_unwind};

use crate::error::sco_error;
use crate::ffi::Failure;
use crate::status::sco_status;

/// Runs the body of a fallible function and reports its failure.
///
/// On failure, and when `error_out` is not NULL, `*error_out` receives an owned `sco_error`.
/// On success `*error_out` is left untouched.
pub(crate) fn run(
    error_out: *mut *mut sco_error,
    body: impl FnOnce() -> Result<(), Failure>,
) -> sco_status {
    // The body only touches state that it owns or that the caller lent for this call, and a
    // panic makes the call fail as a whole, so no broken invariant is observed afterwards.
    let outcome = catch_unwind(AssertUnwindSafe(body)).unwrap_or(Err(Failure::Panic));
    let failure = match outcome {
        Ok(()) => return sco_status::SCO_OK,
        Err(failure) => failure,
    };

    let Ok(error) = catch_unwind(AssertUnwindSafe(|| sco_error::from_failure(failure))) else {
        return sco_status::SCO_ERR_PANIC;
    };
    let status = error.status();
    if !error_out.is_null() {
        // SAFETY: `error_out` is not NULL, and every function documents it as NULL or the
        // address of a writable `sco_error *`.
        unsafe { *error_out = Box::into_raw(Box::new(error)) };
    }
    status
}

/// Runs the body of a function that cannot fail, returning `fallback` if it panics.
pub(crate) fn run_infallible<T>(fallback: T, body: impl FnOnce() -> T) -> T {
    catch_unwind(AssertUnwindSafe(body)).unwrap_or(fallback)
}

#[cfg(test)]
mod tests {
    use std::ptr;

    use super::*;

    fn silence_panic_output() {
        std::panic::set_hook(Box::new(|_| {}));
    }

    #[test]
    fn panic_becomes_panic_status_with_error() {
        silence_panic_output();
        let mut error: *mut sco_error = ptr::null_mut();
        let status = run(&mut error, || panic!("deliberate"));
        assert_eq!(status, sco_status::SCO_ERR_PANIC);
        assert!(!error.is_null());
        // SAFETY: `run` stored a pointer from `Box::into_raw`.
        let error = unsafe { Box::from_raw(error) };
        assert_eq!(error.status(), sco_status::SCO_ERR_PANIC);
    }

    #[test]
    fn panic_in_infallible_body_gives_fallback() {
        silence_panic_output();
        let value = run_infallible(7, || -> i32 { panic!("deliberate") });
        assert_eq!(value, 7);
    }

    #[test]
    fn success_leaves_error_out_untouched() {
        let mut error: *mut sco_error = ptr::null_mut();
        let status = run(&mut error, || Ok(()));
        assert_eq!(status, sco_status::SCO_OK);
        assert!(error.is_null());
    }

    #[test]
    fn failure_without_error_out_returns_status() {
        let status = run(ptr::null_mut(), || {
            Err(Failure::Core(oauth::Error::StateMismatch))
        });
        assert_eq!(status, sco_status::SCO_ERR_STATE_MISMATCH);
    }
}
