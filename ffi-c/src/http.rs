//! The bring-your-own-HTTP path: requests built for any HTTP client, and the decoding of the
//! responses that client received.

use std::ffi::{CString, c_char};

use oauth::{
    AccountId, AuthorizationCode, DeauthorizeRequest, HttpRequest, HttpResponse, RefreshToken,
    TokenRequest,
};

use crate::boundary::{run, run_infallible};
use crate::client::account_id_to_c;
use crate::config::{
    sco_config, sco_deauthorize_options, sco_exchange_options, sco_refresh_options,
};
use crate::error::sco_error;
use crate::ffi::{self, Failure, Handle, exact_c_string, into_handle};
use crate::status::sco_status;
use crate::token::sco_token;

/// An HTTP request ready to send: method, absolute URL, headers and form body.
///
/// Borrowed from a `sco_token_request` or `sco_deauthorize_request` and valid as long as that
/// request; never freed on its own. The `Authorization` header carries the secret key and the
/// body may carry an authorization code or refresh token: keep both out of logs.
///
/// Send it at most once, because a code exchange that may have reached the server has spent
/// the code. Do not follow redirects, because a redirect could carry the secret key to another
/// host. Hand a 3xx response to the decoder, which reports it.
#[derive(Debug)]
pub struct sco_http_request {
    method: CString,
    url: CString,
    headers: Vec<(CString, CString)>,
    body: CString,
}

impl sco_http_request {
    fn new(request: &HttpRequest) -> Result<Self, Failure> {
        // The core builds these from checked values and percent-encoding, so none has a NUL
        // byte; the check keeps a C string from silently ending early.
        let convert = |part: &str, text: &str| {
            exact_c_string(text, || oauth::Error::InvalidInput {
                parameter: "request",
                message: format!("the request's {part} contains a NUL byte"),
            })
        };
        let headers = request
            .headers()
            .iter()
            .map(|(name, value)| Ok((convert("header name", name)?, convert("header", value)?)))
            .collect::<Result<Vec<_>, Failure>>()?;
        Ok(Self {
            method: convert("method", request.method())?,
            url: convert("url", request.url())?,
            headers,
            body: convert("body", request.body())?,
        })
    }
}

impl Handle for sco_http_request {
    const TYPE_NAME: &'static str = "sco_http_request";
    const CONSTRUCTOR: &'static str = "sco_token_request_http";
}

/// A received HTTP response, described by the caller for decoding. Every pointer is borrowed
/// for the duration of the decoding call only.
#[repr(C)]
#[derive(Debug)]
pub struct sco_http_response {
    /// The HTTP status code, such as 200 or 400.
    pub status: u16,
    /// The `Content-Type` header as a NUL-terminated string, or NULL when the response had
    /// none. Kept for diagnostics: the body decides how the response is decoded.
    pub content_type: *const c_char,
    /// The `Retry-After` header as a NUL-terminated string (seconds or an HTTP date), or NULL
    /// when the response had none.
    pub retry_after: *const c_char,
    /// The body bytes, which need no NUL terminator. May be NULL when `body_len` is 0.
    pub body: *const u8,
    /// The number of bytes in `body`. Bodies over 64 KiB are reported as
    /// `SCO_ERR_UNEXPECTED_RESPONSE`, so a client may stop reading after 64 KiB + 1 bytes.
    pub body_len: usize,
}

/// The core's view of a C response: the borrowed strings and body.
struct ResponseParts<'a> {
    status: u16,
    content_type: Option<&'a str>,
    retry_after: Option<&'a str>,
    body: &'a [u8],
}

impl ResponseParts<'_> {
    fn as_core(&self) -> HttpResponse<'_> {
        let mut response = HttpResponse::new(self.status, self.body);
        if let Some(content_type) = self.content_type {
            response = response.content_type(content_type);
        }
        if let Some(retry_after) = self.retry_after {
            response = response.retry_after(retry_after);
        }
        response
    }
}

/// Reads a C response description.
///
/// # Safety
///
/// `response` is NULL or points to a `sco_http_response` whose strings are NULL or
/// NUL-terminated and whose `body` is NULL or points to `body_len` readable bytes, all
/// unchanged during the call.
unsafe fn response_parts<'a>(
    response: *const sco_http_response,
) -> Result<ResponseParts<'a>, Failure> {
    // SAFETY: the caller guarantees that a non-NULL pointer is a readable response.
    let response = unsafe { response.as_ref() }.ok_or_else(|| {
        Failure::argument(
            "response",
            "is NULL: pass the address of a sco_http_response that describes the response",
        )
    })?;
    // SAFETY: forwarded from the caller.
    let content_type =
        unsafe { ffi::optional_text(response.content_type, "response.content_type") }?;
    // SAFETY: forwarded from the caller.
    let retry_after = unsafe { ffi::optional_text(response.retry_after, "response.retry_after") }?;
    let body: &[u8] = match (response.body.is_null(), response.body_len) {
        (_, 0) => &[],
        (true, _) => {
            return Err(Failure::argument(
                "response.body",
                "is NULL while response.body_len is not 0: pass the body bytes",
            ));
        }
        // SAFETY: the pointer is not NULL, and the caller guarantees `body_len` readable bytes
        // that stay unchanged during the call, which is as long as the slice is used.
        (false, length) => unsafe { std::slice::from_raw_parts(response.body, length) },
    };
    Ok(ResponseParts {
        status: response.status,
        content_type,
        retry_after,
        body,
    })
}

/// A request to the token endpoint (code exchange or refresh), with what decoding its
/// response needs.
///
/// Created by `sco_config_exchange_code_request` or `sco_config_refresh_request`, freed with
/// `sco_token_request_free`.
///
/// Thread safety: never modified after creation, so its functions may run in several threads
/// at once.
#[derive(Debug)]
pub struct sco_token_request {
    request: TokenRequest,
    http: sco_http_request,
}

impl Handle for sco_token_request {
    const TYPE_NAME: &'static str = "sco_token_request";
    const CONSTRUCTOR: &'static str = "sco_config_exchange_code_request";
}

impl sco_token_request {
    fn new(request: TokenRequest) -> Result<Self, Failure> {
        let http = sco_http_request::new(request.http())?;
        Ok(Self { request, http })
    }
}

/// A request to the deauthorize endpoint, with the account it disconnects.
///
/// Created by `sco_config_deauthorize_request`, freed with `sco_deauthorize_request_free`.
///
/// Thread safety: never modified after creation, so its functions may run in several threads
/// at once.
#[derive(Debug)]
pub struct sco_deauthorize_request {
    request: DeauthorizeRequest,
    http: sco_http_request,
}

impl Handle for sco_deauthorize_request {
    const TYPE_NAME: &'static str = "sco_deauthorize_request";
    const CONSTRUCTOR: &'static str = "sco_config_deauthorize_request";
}

/// Builds the exchange of an authorization code, to send with your own HTTP client:
/// `POST {connect_base}/oauth/token` with `grant_type=authorization_code&code=...` plus one
/// `assert_capabilities[]` per item, and the secret key as the credential.
///
/// `options` may be NULL for the defaults. On success `*request_out` receives a request that
/// the caller frees with `sco_token_request_free`. Fails with `SCO_ERR_INVALID_INPUT` when no
/// secret key is configured or passed, the code is empty, has whitespace or control
/// characters, or is plainly another Stripe id, or a capability name is invalid.
///
/// # Safety
///
/// - `config` is NULL or a live config that no thread changes during the call.
/// - `code` is NULL or a NUL-terminated string.
/// - `options` is NULL or live options that no thread changes during the call.
/// - `request_out` points to a writable `sco_token_request *`.
/// - `error_out` is NULL or points to a writable `sco_error *`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sco_config_exchange_code_request(
    config: *const sco_config,
    code: *const c_char,
    options: *const sco_exchange_options,
    request_out: *mut *mut sco_token_request,
    error_out: *mut *mut sco_error,
) -> sco_status {
    run(error_out, || {
        // SAFETY: forwarded from the caller.
        let config = unsafe { ffi::borrow(config, "config") }?;
        // SAFETY: forwarded from the caller.
        let code = unsafe { ffi::text(code, "code") }?;
        // SAFETY: forwarded from the caller.
        let options = sco_exchange_options::inner(unsafe { ffi::borrow_optional(options) });
        // SAFETY: forwarded from the caller.
        let request_out = unsafe { ffi::output(request_out, "request_out") }?;

        let code = AuthorizationCode::new(code)?;
        let request = config.connect().exchange_code_request(&code, &options)?;
        request_out.write(into_handle(sco_token_request::new(request)?));
        Ok(())
    })
}

/// Builds a refresh, to send with your own HTTP client: `POST {connect_base}/oauth/token` with
/// `grant_type=refresh_token&refresh_token=...`, plus `scope` when `options` sets a narrower
/// one.
///
/// `options` may be NULL for the defaults. On success `*request_out` receives a request that
/// the caller frees with `sco_token_request_free`. Fails with `SCO_ERR_INVALID_INPUT` when no
/// secret key is configured or passed, or the refresh token is empty, has whitespace, or is
/// plainly an authorization code or another Stripe id.
///
/// # Safety
///
/// - `config` is NULL or a live config that no thread changes during the call.
/// - `refresh_token` is NULL or a NUL-terminated string.
/// - `options` is NULL or live options that no thread changes during the call.
/// - `request_out` points to a writable `sco_token_request *`.
/// - `error_out` is NULL or points to a writable `sco_error *`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sco_config_refresh_request(
    config: *const sco_config,
    refresh_token: *const c_char,
    options: *const sco_refresh_options,
    request_out: *mut *mut sco_token_request,
    error_out: *mut *mut sco_error,
) -> sco_status {
    run(error_out, || {
        // SAFETY: forwarded from the caller.
        let config = unsafe { ffi::borrow(config, "config") }?;
        // SAFETY: forwarded from the caller.
        let refresh_token = unsafe { ffi::text(refresh_token, "refresh_token") }?;
        // SAFETY: forwarded from the caller.
        let options = sco_refresh_options::inner(unsafe { ffi::borrow_optional(options) });
        // SAFETY: forwarded from the caller.
        let request_out = unsafe { ffi::output(request_out, "request_out") }?;

        let refresh_token = RefreshToken::new(refresh_token)?;
        let request = config.connect().refresh_request(&refresh_token, &options)?;
        request_out.write(into_handle(sco_token_request::new(request)?));
        Ok(())
    })
}

/// Builds a deauthorize request, to send with your own HTTP client:
/// `POST {connect_base}/oauth/deauthorize` with `client_id=...&stripe_user_id=...`.
///
/// `options` may be NULL for the defaults. On success `*request_out` receives a request that
/// the caller frees with `sco_deauthorize_request_free`. Fails with `SCO_ERR_INVALID_INPUT`
/// when no client id or secret key is configured, or the account id is not `acct_...`.
///
/// # Safety
///
/// - `config` is NULL or a live config that no thread changes during the call.
/// - `stripe_user_id` is NULL or a NUL-terminated string.
/// - `options` is NULL or live options that no thread changes during the call.
/// - `request_out` points to a writable `sco_deauthorize_request *`.
/// - `error_out` is NULL or points to a writable `sco_error *`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sco_config_deauthorize_request(
    config: *const sco_config,
    stripe_user_id: *const c_char,
    options: *const sco_deauthorize_options,
    request_out: *mut *mut sco_deauthorize_request,
    error_out: *mut *mut sco_error,
) -> sco_status {
    run(error_out, || {
        // SAFETY: forwarded from the caller.
        let config = unsafe { ffi::borrow(config, "config") }?;
        // SAFETY: forwarded from the caller.
        let stripe_user_id = unsafe { ffi::text(stripe_user_id, "stripe_user_id") }?;
        // SAFETY: forwarded from the caller.
        let options = sco_deauthorize_options::inner(unsafe { ffi::borrow_optional(options) });
        // SAFETY: forwarded from the caller.
        let request_out = unsafe { ffi::output(request_out, "request_out") }?;

        let account_id = AccountId::new(stripe_user_id)?;
        let request = config
            .connect()
            .deauthorize_request(&account_id, &options)?;
        let http = sco_http_request::new(request.http())?;
        request_out.write(into_handle(sco_deauthorize_request { request, http }));
        Ok(())
    })
}

/// Returns the HTTP request to send for a token request.
///
/// The request is borrowed from `request` and lives as long as it; NULL when `request` is
/// NULL.
///
/// # Safety
///
/// `request` is NULL or a token request from this library that has not been freed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sco_token_request_http(
    request: *const sco_token_request,
) -> *const sco_http_request {
    run_infallible(std::ptr::null(), || {
        // SAFETY: forwarded from the caller.
        unsafe { ffi::borrow(request, "request") }
            .map_or(std::ptr::null(), |request| &request.http as *const _)
    })
}

/// Returns the HTTP request to send for a deauthorize request.
///
/// The request is borrowed from `request` and lives as long as it; NULL when `request` is
/// NULL.
///
/// # Safety
///
/// `request` is NULL or a deauthorize request from this library that has not been freed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sco_deauthorize_request_http(
    request: *const sco_deauthorize_request,
) -> *const sco_http_request {
    run_infallible(std::ptr::null(), || {
        // SAFETY: forwarded from the caller.
        unsafe { ffi::borrow(request, "request") }
            .map_or(std::ptr::null(), |request| &request.http as *const _)
    })
}

/// Runs an accessor on an HTTP request that may be NULL.
///
/// # Safety
///
/// `request` is NULL or a live HTTP request borrowed from this library.
unsafe fn with_http<T: Copy>(
    request: *const sco_http_request,
    fallback: T,
    read: impl FnOnce(&sco_http_request) -> T,
) -> T {
    run_infallible(fallback, || {
        // SAFETY: forwarded from the caller.
        match unsafe { ffi::borrow(request, "request") } {
            Ok(request) => read(request),
            Err(_) => fallback,
        }
    })
}

/// Returns the method, which is always "POST".
///
/// The string is borrowed from `request`; NULL when `request` is NULL.
///
/// # Safety
///
/// `request` is NULL or a live HTTP request borrowed from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sco_http_request_method(
    request: *const sco_http_request,
) -> *const c_char {
    // SAFETY: forwarded from the caller.
    unsafe { with_http(request, std::ptr::null(), |request| request.method.as_ptr()) }
}

/// Returns the absolute URL, such as "https://connect.stripe.com/oauth/token".
///
/// The string is borrowed from `request`; NULL when `request` is NULL.
///
/// # Safety
///
/// `request` is NULL or a live HTTP request borrowed from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sco_http_request_url(request: *const sco_http_request) -> *const c_char {
    // SAFETY: forwarded from the caller.
    unsafe { with_http(request, std::ptr::null(), |request| request.url.as_ptr()) }
}

/// Returns how many headers the request has; 0 when `request` is NULL.
///
/// The headers are `Authorization` (the secret key: keep it out of logs), `Content-Type`,
/// `Accept` and `User-Agent`, in that order.
///
/// # Safety
///
/// `request` is NULL or a live HTTP request borrowed from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sco_http_request_header_count(request: *const sco_http_request) -> usize {
    // SAFETY: forwarded from the caller.
    unsafe { with_http(request, 0, |request| request.headers.len()) }
}

/// Returns the name of the header at `index`, such as "Authorization".
///
/// The string is borrowed from `request`; NULL when `index` is not below
/// `sco_http_request_header_count(request)` or `request` is NULL.
///
/// # Safety
///
/// `request` is NULL or a live HTTP request borrowed from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sco_http_request_header_name(
    request: *const sco_http_request,
    index: usize,
) -> *const c_char {
    // SAFETY: forwarded from the caller.
    unsafe {
        with_http(request, std::ptr::null(), |request| {
            request
                .headers
                .get(index)
                .map_or(std::ptr::null(), |(name, _)| name.as_ptr())
        })
    }
}

/// Returns the value of the header at `index`. The `Authorization` value is secret.
///
/// The string is borrowed from `request`; NULL when `index` is not below
/// `sco_http_request_header_count(request)` or `request` is NULL.
///
/// # Safety
///
/// `request` is NULL or a live HTTP request borrowed from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sco_http_request_header_value(
    request: *const sco_http_request,
    index: usize,
) -> *const c_char {
    // SAFETY: forwarded from the caller.
    unsafe {
        with_http(request, std::ptr::null(), |request| {
            request
                .headers
                .get(index)
                .map_or(std::ptr::null(), |(_, value)| value.as_ptr())
        })
    }
}

/// Returns the `application/x-www-form-urlencoded` body. It may contain an authorization code
/// or refresh token: keep it out of logs.
///
/// The string is borrowed from `request`; NULL when `request` is NULL.
///
/// # Safety
///
/// `request` is NULL or a live HTTP request borrowed from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sco_http_request_body(request: *const sco_http_request) -> *const c_char {
    // SAFETY: forwarded from the caller.
    unsafe { with_http(request, std::ptr::null(), |request| request.body.as_ptr()) }
}

/// Returns the length of the body in bytes, without the NUL terminator; 0 when `request` is
/// NULL.
///
/// # Safety
///
/// `request` is NULL or a live HTTP request borrowed from this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sco_http_request_body_len(request: *const sco_http_request) -> usize {
    // SAFETY: forwarded from the caller.
    unsafe { with_http(request, 0, |request| request.body.as_bytes().len()) }
}

/// Decodes the response to a token request.
///
/// The body decides, not the `Content-Type`: a JSON object with a string `error` is an OAuth
/// error even on HTTP 200. On success `*token_out` receives a token that the caller frees with
/// `sco_token_free`. Fails with `SCO_ERR_OAUTH`, `SCO_ERR_API`, `SCO_ERR_RATE_LIMITED`,
/// `SCO_ERR_UNEXPECTED_RESPONSE`, `SCO_ERR_DECODE`, and `SCO_ERR_MODE_MISMATCH` when
/// `livemode` differs from the mode of the key that sent the request.
///
/// # Safety
///
/// - `request` is NULL or a live token request.
/// - `response` is NULL or points to a `sco_http_response` as its documentation describes.
/// - `token_out` points to a writable `sco_token *`.
/// - `error_out` is NULL or points to a writable `sco_error *`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sco_token_request_decode_response(
    request: *const sco_token_request,
    response: *const sco_http_response,
    token_out: *mut *mut sco_token,
    error_out: *mut *mut sco_error,
) -> sco_status {
    run(error_out, || {
        // SAFETY: forwarded from the caller.
        let request = unsafe { ffi::borrow(request, "request") }?;
        // SAFETY: forwarded from the caller.
        let response = unsafe { response_parts(response) }?;
        // SAFETY: forwarded from the caller.
        let token_out = unsafe { ffi::output(token_out, "token_out") }?;

        let token = request.request.decode_response(&response.as_core())?;
        token_out.write(into_handle(sco_token::new(token)?));
        Ok(())
    })
}

/// Decodes the response to a deauthorize request.
///
/// On success `*stripe_user_id_out` receives the disconnected account id as an owned string
/// that the caller frees with `sco_string_free`. Fails as `sco_token_request_decode_response`
/// does, except `SCO_ERR_MODE_MISMATCH`, and with `SCO_ERR_UNEXPECTED_RESPONSE` when Stripe
/// confirms another account than the one sent.
///
/// # Safety
///
/// - `request` is NULL or a live deauthorize request.
/// - `response` is NULL or points to a `sco_http_response` as its documentation describes.
/// - `stripe_user_id_out` points to a writable `char *`.
/// - `error_out` is NULL or points to a writable `sco_error *`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sco_deauthorize_request_decode_response(
    request: *const sco_deauthorize_request,
    response: *const sco_http_response,
    stripe_user_id_out: *mut *mut c_char,
    error_out: *mut *mut sco_error,
) -> sco_status {
    run(error_out, || {
        // SAFETY: forwarded from the caller.
        let request = unsafe { ffi::borrow(request, "request") }?;
        // SAFETY: forwarded from the caller.
        let response = unsafe { response_parts(response) }?;
        // SAFETY: forwarded from the caller.
        let stripe_user_id_out = unsafe { ffi::output(stripe_user_id_out, "stripe_user_id_out") }?;

        let account_id = request.request.decode_response(&response.as_core())?;
        stripe_user_id_out.write(account_id_to_c(&account_id)?.into_raw());
        Ok(())
    })
}

/// Frees a token request and the HTTP request borrowed from it. Accepts NULL.
///
/// # Safety
///
/// `request` is NULL or a token request from this library that has not been freed yet.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sco_token_request_free(request: *mut sco_token_request) {
    // SAFETY: forwarded from the caller.
    run_infallible((), || unsafe { ffi::free(request) })
}

/// Frees a deauthorize request and the HTTP request borrowed from it. Accepts NULL.
///
/// # Safety
///
/// `request` is NULL or a deauthorize request from this library that has not been freed yet.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sco_deauthorize_request_free(request: *mut sco_deauthorize_request) {
    // SAFETY: forwarded from the caller.
    run_infallible((), || unsafe { ffi::free(request) })
}
