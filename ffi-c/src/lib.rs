//! The C ABI of stripe-connect-oauth: `libstripe_connect_oauth.so` and `.a`, described by the
//! cbindgen-generated header `include/stripe_connect_oauth.h`.
//!
//! Every behaviour lives in the Rust core. This crate only converts between C and Rust: it
//! checks each pointer for NULL and each string for UTF-8, runs every exported body inside a
//! panic boundary, and hands results to C as opaque handles and NUL-terminated strings.
//!
//! Conventions, repeated in the header for C readers:
//!
//! - Every symbol and type starts with `sco_`. Handles are opaque and freed with their own
//!   `_free` function, which accepts NULL.
//! - A fallible function returns a `sco_status` (`SCO_OK` is 0) and writes its results to
//!   out-parameters placed last, only on success. The last parameter, `error_out`, may be
//!   NULL. On failure, when it is not NULL, it receives an owned `sco_error` that the caller
//!   frees with `sco_error_free`.
//! - Strings returned through `char **` are owned by the caller and freed with
//!   `sco_string_free`. Strings returned as `const char *` are borrowed from a handle and live
//!   as long as that handle.

// The exported names follow the C convention of the header (`sco_client`, `SCO_OK`).
#![allow(non_camel_case_types)]

mod authorize;
mod boundary;
mod callback;
mod client;
mod config;
mod error;
mod ffi;
mod http;
mod state;
mod status;
mod token;

use std::ffi::{CStr, CString, c_char};

pub use authorize::*;
pub use callback::*;
pub use client::*;
pub use config::*;
pub use error::*;
pub use http::*;
pub use state::*;
pub use status::*;
pub use token::*;

use boundary::run_infallible;

const VERSION: &CStr =
    match CStr::from_bytes_with_nul(concat!(env!("CARGO_PKG_VERSION"), "\0").as_bytes()) {
        Ok(version) => version,
        Err(_) => panic!("the package version contains a NUL byte"),
    };

/// Returns the version of this library, such as "0.1.0".
///
/// The string is static: do not free it. Thread safety: safe to call from any thread.
#[unsafe(no_mangle)]
pub extern "C" fn sco_version() -> *const c_char {
    run_infallible(std::ptr::null(), || VERSION.as_ptr())
}

/// Frees a string that this library returned through a `char **` out-parameter.
///
/// Accepts NULL. Strings borrowed from a handle (returned as `const char *`) must not be passed
/// here.
///
/// # Safety
///
/// `string` is NULL or a string returned through a `char **` out-parameter of this library that
/// has not been freed yet.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sco_string_free(string: *mut c_char) {
    run_infallible((), || {
        if string.is_null() {
            return;
        }
        // SAFETY: the caller guarantees that `string` came from `CString::into_raw` in this
        // library (every `char **` output does) and that it is freed only once.
        drop(unsafe { CString::from_raw(string) });
    })
}
