//! The blocking client: code exchange, refresh and deauthorize over HTTP.

use std::ffi::c_char;

use oauth::{AccountId, AuthorizationCode, Client, RefreshToken};

use crate::boundary::{run, run_infallible};
use crate::config::{
    sco_config, sco_deauthorize_options, sco_exchange_options, sco_refresh_options,
};
use crate::error::sco_error;
use crate::ffi::{self, Handle, exact_c_string, into_handle};
use crate::status::sco_status;
use crate::token::sco_token;

/// A blocking client for Stripe's token and deauthorize endpoints.
///
/// Created by `sco_client_new` from a `sco_config`, freed with `sco_client_free`. It owns a
/// connection pool that keeps connections alive between requests, and it has no thread of its
/// own: each call blocks the calling thread until the response or a timeout.
///
/// Thread safety: a client is safe to share. Every function taking a `const sco_client *`
/// may run in several threads at once on one client; only `sco_client_free` must wait until
/// no other call on it is running.
///
/// Single-use codes: the client never sends a request twice once any byte of it may have been
/// written. It retries only failures that provably happened before sending (name resolution,
/// TCP connect). After a failure with `sco_error_may_have_been_processed` true, treat the
/// authorization code as spent and restart the authorization.
#[derive(Debug)]
pub struct sco_client {
    inner: Client,
}

impl Handle for sco_client {
    const TYPE_NAME: &'static str = "sco_client";
    const CONSTRUCTOR: &'static str = "sco_client_new";
}

impl sco_client {
    pub(crate) fn inner(&self) -> &Client {
        &self.inner
    }
}

/// Creates a client with a copy of `config`'s settings; the config may be freed right after.
///
/// On success `*client_out` receives a client that the caller frees with `sco_client_free`.
/// Nothing is sent until a request is made.
///
/// # Safety
///
/// - `config` is NULL or a live config that no thread changes during the call.
/// - `client_out` points to a writable `sco_client *`.
/// - `error_out` is NULL or points to a writable `sco_error *`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sco_client_new(
    config: *const sco_config,
    client_out: *mut *mut sco_client,
    error_out: *mut *mut sco_error,
) -> sco_status {
    run(error_out, || {
        // SAFETY: forwarded from the caller.
        let config = unsafe { ffi::borrow(config, "config") }?;
        // SAFETY: forwarded from the caller.
        let client_out = unsafe { ffi::output(client_out, "client_out") }?;
        client_out.write(into_handle(sco_client {
            inner: config.build_client()?,
        }));
        Ok(())
    })
}

/// Exchanges a single-use authorization code for the connected account
/// (`POST {connect_base}/oauth/token` with `grant_type=authorization_code`).
///
/// `options` may be NULL for the defaults. On success `*token_out` receives a token that the
/// caller frees with `sco_token_free`. The code is sent at most once. Fails with:
///
/// - `SCO_ERR_INVALID_INPUT` before any I/O: no secret key, a code that is empty, has
///   whitespace or control characters, or is plainly another Stripe id, or an invalid
///   capability name;
/// - `SCO_ERR_OAUTH` from Stripe, such as `invalid_grant` for a used or expired code;
/// - `SCO_ERR_API`, `SCO_ERR_RATE_LIMITED`, `SCO_ERR_UNEXPECTED_RESPONSE` (proxy pages,
///   redirects, bodies over 64 KiB) and `SCO_ERR_DECODE`;
/// - `SCO_ERR_MODE_MISMATCH` when the account's mode differs from the key's;
/// - `SCO_ERR_TRANSPORT` and `SCO_ERR_TIMEOUT`, for which
///   `sco_error_may_have_been_processed` says whether the code may be spent.
///
/// # Safety
///
/// - `client` is NULL or a live client.
/// - `code` is NULL or a NUL-terminated string.
/// - `options` is NULL or live options that no thread changes during the call.
/// - `token_out` points to a writable `sco_token *`.
/// - `error_out` is NULL or points to a writable `sco_error *`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sco_client_exchange_code(
    client: *const sco_client,
    code: *const c_char,
    options: *const sco_exchange_options,
    token_out: *mut *mut sco_token,
    error_out: *mut *mut sco_error,
) -> sco_status {
    run(error_out, || {
        // SAFETY: forwarded from the caller.
        let client = unsafe { ffi::borrow(client, "client") }?;
        // SAFETY: forwarded from the caller.
        let code = unsafe { ffi::text(code, "code") }?;
        // SAFETY: forwarded from the caller.
        let options = sco_exchange_options::inner(unsafe { ffi::borrow_optional(options) });
        // SAFETY: forwarded from the caller.
        let token_out = unsafe { ffi::output(token_out, "token_out") }?;

        let code = AuthorizationCode::new(code)?;
        let token = client.inner.exchange_code(&code, &options)?;
        token_out.write(into_handle(sco_token::new(token)?));
        Ok(())
    })
}

/// Obtains a new access token with a refresh token (`grant_type=refresh_token`), optionally
/// for a narrower scope set in `options`.
///
/// `options` may be NULL for the defaults. On success `*token_out` receives a token that the
/// caller frees with `sco_token_free`. Fails as `sco_client_exchange_code` does;
/// `SCO_ERR_INVALID_INPUT` also covers a refresh token that is plainly an authorization code
/// or another Stripe id.
///
/// # Safety
///
/// - `client` is NULL or a live client.
/// - `refresh_token` is NULL or a NUL-terminated string.
/// - `options` is NULL or live options that no thread changes during the call.
/// - `token_out` points to a writable `sco_token *`.
/// - `error_out` is NULL or points to a writable `sco_error *`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sco_client_refresh(
    client: *const sco_client,
    refresh_token: *const c_char,
    options: *const sco_refresh_options,
    token_out: *mut *mut sco_token,
    error_out: *mut *mut sco_error,
) -> sco_status {
    run(error_out, || {
        // SAFETY: forwarded from the caller.
        let client = unsafe { ffi::borrow(client, "client") }?;
        // SAFETY: forwarded from the caller.
        let refresh_token = unsafe { ffi::text(refresh_token, "refresh_token") }?;
        // SAFETY: forwarded from the caller.
        let options = sco_refresh_options::inner(unsafe { ffi::borrow_optional(options) });
        // SAFETY: forwarded from the caller.
        let token_out = unsafe { ffi::output(token_out, "token_out") }?;

        let refresh_token = RefreshToken::new(refresh_token)?;
        let token = client.inner.refresh(&refresh_token, &options)?;
        token_out.write(into_handle(sco_token::new(token)?));
        Ok(())
    })
}

/// Disconnects a connected account (`acct_...`) from the platform
/// (`POST {connect_base}/oauth/deauthorize`).
///
/// `options` may be NULL for the defaults. On success `*stripe_user_id_out` receives the
/// disconnected account id as an owned string that the caller frees with `sco_string_free`.
/// Fails with `SCO_ERR_INVALID_INPUT` when no client id or key is configured or the account id
/// is not `acct_...`, with the response errors of `sco_client_exchange_code` except
/// `SCO_ERR_MODE_MISMATCH`, and with `SCO_ERR_UNEXPECTED_RESPONSE` when Stripe confirms another
/// account.
///
/// # Safety
///
/// - `client` is NULL or a live client.
/// - `stripe_user_id` is NULL or a NUL-terminated string.
/// - `options` is NULL or live options that no thread changes during the call.
/// - `stripe_user_id_out` points to a writable `char *`.
/// - `error_out` is NULL or points to a writable `sco_error *`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sco_client_deauthorize(
    client: *const sco_client,
    stripe_user_id: *const c_char,
    options: *const sco_deauthorize_options,
    stripe_user_id_out: *mut *mut c_char,
    error_out: *mut *mut sco_error,
) -> sco_status {
    run(error_out, || {
        // SAFETY: forwarded from the caller.
        let client = unsafe { ffi::borrow(client, "client") }?;
        // SAFETY: forwarded from the caller.
        let stripe_user_id = unsafe { ffi::text(stripe_user_id, "stripe_user_id") }?;
        // SAFETY: forwarded from the caller.
        let options = sco_deauthorize_options::inner(unsafe { ffi::borrow_optional(options) });
        // SAFETY: forwarded from the caller.
        let stripe_user_id_out = unsafe { ffi::output(stripe_user_id_out, "stripe_user_id_out") }?;

        let account_id = AccountId::new(stripe_user_id)?;
        let disconnected = client.inner.deauthorize(&account_id, &options)?;
        let disconnected = account_id_to_c(&disconnected)?;
        stripe_user_id_out.write(disconnected.into_raw());
        Ok(())
    })
}

/// Converts a checked account id (`acct_` and letters, digits or `_`) for C.
pub(crate) fn account_id_to_c(
    account_id: &AccountId,
) -> Result<std::ffi::CString, crate::ffi::Failure> {
    exact_c_string(account_id.as_str(), || oauth::Error::Decode {
        message: "`stripe_user_id` contains a NUL byte".to_owned(),
        http_status: None,
    })
}

/// Frees a client and closes its pooled connections. Accepts NULL.
///
/// # Safety
///
/// `client` is NULL or a client from `sco_client_new` that has not been freed yet, and no
/// other thread is using it.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sco_client_free(client: *mut sco_client) {
    // SAFETY: forwarded from the caller.
    run_infallible((), || unsafe { ffi::free(client) })
}
