//! The error object returned through `sco_error **error_out`.

use std::ffi::{CString, c_char};
use std::time::Duration;

use oauth::{Error, OAuthErrorCode, mask_secrets};

use crate::boundary::run_infallible;
use crate::ffi::{self, Failure, Handle, as_ptr_or_null, lossy_c_string};
use crate::status::sco_status;
use crate::token::sco_token;

/// The details of a failed call: its status, a message, and the fields of its error family.
///
/// Created by a failing function when its `error_out` argument is not NULL; owned by the
/// caller and freed with `sco_error_free`. Strings returned by its accessors are borrowed and
/// live as long as the error. No string of an error contains a secret key, an access or
/// refresh token, or an authorization code: text from Stripe is masked (`sk_***`).
///
/// Thread safety: an error is never modified after creation, so its accessors may be called
/// from several threads at once.
#[derive(Debug)]
pub struct sco_error {
    status: sco_status,
    message: CString,
    parameter: Option<CString>,
    oauth_error: Option<CString>,
    description: Option<CString>,
    api_error_type: Option<CString>,
    api_error_code: Option<CString>,
    content_type: Option<CString>,
    body_excerpt: Option<CString>,
    http_status: u16,
    retry_after: Option<Duration>,
    may_have_been_processed: bool,
    token: Option<sco_token>,
}

impl Handle for sco_error {
    const TYPE_NAME: &'static str = "sco_error";
    const CONSTRUCTOR: &'static str = "a failing call";
}

/// Converts server text for an error accessor: secrets masked, NUL bytes replaced.
fn server_text(text: &str) -> CString {
    lossy_c_string(&mask_secrets(text))
}

fn optional_server_text(text: Option<&str>) -> Option<CString> {
    text.map(server_text)
}

impl sco_error {
    fn new(status: sco_status, message: &str) -> Self {
        Self {
            status,
            message: lossy_c_string(message),
            parameter: None,
            oauth_error: None,
            description: None,
            api_error_type: None,
            api_error_code: None,
            content_type: None,
            body_excerpt: None,
            http_status: 0,
            retry_after: None,
            may_have_been_processed: false,
            token: None,
        }
    }

    pub(crate) fn status(&self) -> sco_status {
        self.status
    }

    pub(crate) fn from_failure(failure: Failure) -> Self {
        match failure {
            Failure::Core(error) => Self::from_core(error),
            Failure::Argument { parameter, problem } => {
                let message = format!("the `{parameter}` argument {problem}");
                let mut error = Self::new(sco_status::SCO_ERR_INVALID_ARGUMENT, &message);
                error.parameter = Some(lossy_c_string(parameter));
                error
            }
            Failure::Panic => Self::new(
                sco_status::SCO_ERR_PANIC,
                "stripe_connect_oauth panicked, which is a bug: the call had no effect on its \
                 outputs; please report it with the steps that led to it",
            ),
        }
    }

    fn from_core(error: Error) -> Self {
        // `Display` of a core error never contains a secret.
        let mut object = Self::new(sco_status::of_kind(error.kind()), &error.to_string());
        object.http_status = error.http_status().unwrap_or(0);
        object.retry_after = error.retry_after();
        object.may_have_been_processed = error.may_have_been_processed();

        match error {
            Error::InvalidInput { parameter, .. } => {
                object.parameter = Some(lossy_c_string(parameter));
            }
            Error::DuplicateParameter { name } => {
                object.parameter = Some(server_text(&name));
            }
            Error::AccessDenied { description } => {
                object.oauth_error = Some(server_text(OAuthErrorCode::AccessDenied.as_str()));
                object.description = optional_server_text(description.as_deref());
            }
            Error::Authorize { error, description } => {
                object.oauth_error = Some(server_text(error.as_str()));
                object.description = optional_server_text(description.as_deref());
            }
            Error::OAuth(oauth) => {
                object.oauth_error = Some(server_text(&oauth.safe_error()));
                object.description = optional_server_text(oauth.safe_description().as_deref());
            }
            Error::Api(api) => {
                let [error_type, code, param] = api.safe_fields();
                object.description = optional_server_text(api.safe_message().as_deref());
                object.api_error_type = optional_server_text(error_type.as_deref());
                object.api_error_code = optional_server_text(code.as_deref());
                object.parameter = optional_server_text(param.as_deref());
            }
            Error::UnexpectedResponse(response) => {
                object.content_type = optional_server_text(response.content_type.as_deref());
                object.body_excerpt = Some(server_text(&response.body_excerpt));
            }
            Error::ModeMismatch { response, .. } => {
                // A token field with a NUL byte leaves the token out, while the status and
                // the message still report the mismatch.
                object.token = sco_token::new(*response).ok();
            }
            _ => {}
        }
        object
    }
}

/// Runs an accessor on an error that may be NULL.
///
/// # Safety
///
/// `error` is NULL or a live error from this library.
unsafe fn with_error<T>(
    error: *const sco_error,
    fallback: T,
    read: impl FnOnce(&sco_error) -> T,
) -> T
where
    T: Copy,
{
    run_infallible(fallback, || {
        // SAFETY: forwarded from the caller.
        match unsafe { ffi::borrow(error, "error") } {
            Ok(error) => read(error),
            Err(_) => fallback,
        }
    })
}

/// Returns the status of the failed call; `SCO_OK` when `error` is NULL.
///
/// # Safety
///
/// `error` is NULL or an error from this library that has not been freed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sco_error_status(error: *const sco_error) -> sco_status {
    // SAFETY: forwarded from the caller.
    unsafe { with_error(error, sco_status::SCO_OK, |error| error.status) }
}

/// Returns a short lower-case message that names what failed and, where it helps, what to do
/// next, such as "state mismatch: the callback's state is not the one stored for this
/// session". It never contains a secret.
///
/// The string is borrowed from `error`; NULL when `error` is NULL.
///
/// # Safety
///
/// `error` is NULL or an error from this library that has not been freed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sco_error_message(error: *const sco_error) -> *const c_char {
    // SAFETY: forwarded from the caller.
    unsafe { with_error(error, std::ptr::null(), |error| error.message.as_ptr()) }
}

/// Returns the argument or parameter at fault: the argument name for
/// `SCO_ERR_INVALID_ARGUMENT` (such as "code"), the role of the value for
/// `SCO_ERR_INVALID_INPUT` (such as "client_id" or "secret key"), the repeated callback
/// parameter for `SCO_ERR_DUPLICATE_PARAMETER`, and Stripe's `param` for `SCO_ERR_API`.
///
/// The string is borrowed from `error`; NULL for other errors, when absent, or when `error`
/// is NULL.
///
/// # Safety
///
/// `error` is NULL or an error from this library that has not been freed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sco_error_parameter(error: *const sco_error) -> *const c_char {
    // SAFETY: forwarded from the caller.
    unsafe {
        with_error(error, std::ptr::null(), |error| {
            as_ptr_or_null(error.parameter.as_ref())
        })
    }
}

/// Returns the OAuth error code, such as "invalid_grant", for `SCO_ERR_OAUTH` (from the token
/// or deauthorize endpoint), `SCO_ERR_AUTHORIZE` (from the callback), and "access_denied" for
/// `SCO_ERR_ACCESS_DENIED`. Codes unknown to this version are kept as Stripe sent them.
///
/// The string is borrowed from `error`; NULL for other errors or when `error` is NULL.
///
/// # Safety
///
/// `error` is NULL or an error from this library that has not been freed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sco_error_oauth_error(error: *const sco_error) -> *const c_char {
    // SAFETY: forwarded from the caller.
    unsafe {
        with_error(error, std::ptr::null(), |error| {
            as_ptr_or_null(error.oauth_error.as_ref())
        })
    }
}

/// Returns Stripe's explanation: the `error_description` of `SCO_ERR_OAUTH`,
/// `SCO_ERR_AUTHORIZE` and `SCO_ERR_ACCESS_DENIED`, or the `message` of `SCO_ERR_API`.
/// Secret-looking tokens in it are masked (`ac_***`), because Stripe may quote the code that
/// was sent.
///
/// The string is borrowed from `error`; NULL when absent or when `error` is NULL.
///
/// # Safety
///
/// `error` is NULL or an error from this library that has not been freed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sco_error_description(error: *const sco_error) -> *const c_char {
    // SAFETY: forwarded from the caller.
    unsafe {
        with_error(error, std::ptr::null(), |error| {
            as_ptr_or_null(error.description.as_ref())
        })
    }
}

/// Returns the `type` of an `SCO_ERR_API` error, such as "invalid_request_error".
///
/// The string is borrowed from `error`; NULL when absent, for other errors, or when `error`
/// is NULL.
///
/// # Safety
///
/// `error` is NULL or an error from this library that has not been freed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sco_error_api_error_type(error: *const sco_error) -> *const c_char {
    // SAFETY: forwarded from the caller.
    unsafe {
        with_error(error, std::ptr::null(), |error| {
            as_ptr_or_null(error.api_error_type.as_ref())
        })
    }
}

/// Returns the `code` of an `SCO_ERR_API` error, such as "parameter_unknown".
///
/// The string is borrowed from `error`; NULL when absent, for other errors, or when `error`
/// is NULL.
///
/// # Safety
///
/// `error` is NULL or an error from this library that has not been freed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sco_error_api_error_code(error: *const sco_error) -> *const c_char {
    // SAFETY: forwarded from the caller.
    unsafe {
        with_error(error, std::ptr::null(), |error| {
            as_ptr_or_null(error.api_error_code.as_ref())
        })
    }
}

/// Returns the `Content-Type` of the response of an `SCO_ERR_UNEXPECTED_RESPONSE` error,
/// kept for diagnostics.
///
/// The string is borrowed from `error`; NULL when the response had none, for other errors, or
/// when `error` is NULL.
///
/// # Safety
///
/// `error` is NULL or an error from this library that has not been freed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sco_error_content_type(error: *const sco_error) -> *const c_char {
    // SAFETY: forwarded from the caller.
    unsafe {
        with_error(error, std::ptr::null(), |error| {
            as_ptr_or_null(error.content_type.as_ref())
        })
    }
}

/// Returns the start of the body (at most 512 bytes, decoded as UTF-8 with invalid bytes
/// replaced, secrets masked) of an `SCO_ERR_UNEXPECTED_RESPONSE` error.
///
/// The string is borrowed from `error`; NULL for other errors or when `error` is NULL.
///
/// # Safety
///
/// `error` is NULL or an error from this library that has not been freed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sco_error_body_excerpt(error: *const sco_error) -> *const c_char {
    // SAFETY: forwarded from the caller.
    unsafe {
        with_error(error, std::ptr::null(), |error| {
            as_ptr_or_null(error.body_excerpt.as_ref())
        })
    }
}

/// Returns the HTTP status of the response that caused the error (200 for an OAuth error sent
/// with a success status), or 0 when no response was involved or `error` is NULL.
///
/// # Safety
///
/// `error` is NULL or an error from this library that has not been freed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sco_error_http_status(error: *const sco_error) -> u16 {
    // SAFETY: forwarded from the caller.
    unsafe { with_error(error, 0, |error| error.http_status) }
}

/// Reads the `Retry-After` delay of an `SCO_ERR_RATE_LIMITED` or
/// `SCO_ERR_UNEXPECTED_RESPONSE` error, in milliseconds.
///
/// Returns true and writes `*retry_after_ms_out` when the response carried a valid
/// `Retry-After` (seconds or an HTTP date; a past date gives 0). Returns false and leaves
/// `*retry_after_ms_out` untouched otherwise, or when an argument is NULL.
///
/// # Safety
///
/// - `error` is NULL or an error from this library that has not been freed.
/// - `retry_after_ms_out` is NULL or points to a writable `uint64_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sco_error_retry_after_ms(
    error: *const sco_error,
    retry_after_ms_out: *mut u64,
) -> bool {
    run_infallible(false, || {
        // SAFETY: forwarded from the caller.
        let Ok(error) = (unsafe { ffi::borrow(error, "error") }) else {
            return false;
        };
        // SAFETY: forwarded from the caller.
        let Ok(output) = (unsafe { ffi::output(retry_after_ms_out, "retry_after_ms_out") }) else {
            return false;
        };
        let Some(delay) = error.retry_after else {
            return false;
        };
        output.write(u64::try_from(delay.as_millis()).unwrap_or(u64::MAX));
        true
    })
}

/// Returns whether the server may have processed the request.
///
/// False for errors raised before any I/O and for network failures that provably happened
/// before sending. True for every response from the server and for failures after a byte of
/// the request may have been written. When true after a code exchange, treat the
/// authorization code as spent and restart the authorization. False when `error` is NULL.
///
/// # Safety
///
/// `error` is NULL or an error from this library that has not been freed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sco_error_may_have_been_processed(error: *const sco_error) -> bool {
    // SAFETY: forwarded from the caller.
    unsafe { with_error(error, false, |error| error.may_have_been_processed) }
}

/// Returns the token response kept inside an `SCO_ERR_MODE_MISMATCH` error, whose `livemode`
/// differs from the mode of the key that was used.
///
/// The token is borrowed from `error`: do not free it. NULL for other errors or when `error`
/// is NULL.
///
/// # Safety
///
/// `error` is NULL or an error from this library that has not been freed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sco_error_token(error: *const sco_error) -> *const sco_token {
    // SAFETY: forwarded from the caller.
    unsafe {
        with_error(error, std::ptr::null(), |error| {
            error
                .token
                .as_ref()
                .map_or(std::ptr::null(), |token| token as *const sco_token)
        })
    }
}

/// Frees an error. Accepts NULL.
///
/// # Safety
///
/// `error` is NULL or an error from this library that has not been freed yet. Strings and
/// the token borrowed from it become invalid.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sco_error_free(error: *mut sco_error) {
    // SAFETY: forwarded from the caller.
    run_infallible((), || unsafe { ffi::free(error) })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_in_server_text_are_masked() {
        let masked = server_text("code ac_123 for sk_test_9, task_done rt_x");
        assert_eq!(
            masked.to_str().unwrap(),
            "code ac_*** for sk_***, task_done rt_***"
        );
    }

    #[test]
    fn argument_failure_names_the_parameter() {
        let error = sco_error::from_failure(Failure::argument("code", "is NULL"));
        assert_eq!(error.status, sco_status::SCO_ERR_INVALID_ARGUMENT);
        assert_eq!(
            error.message.to_str().unwrap(),
            "the `code` argument is NULL"
        );
        assert_eq!(error.parameter.unwrap().to_str().unwrap(), "code");
    }

    /// Decodes a token response through the core, as a real exchange of `ac_SECRET` would.
    fn decoded(status: u16, body: &str) -> Error {
        let config = oauth::ConnectConfig::new()
            .secret_key(oauth::SecretKey::new("sk_test_PLATFORM").unwrap());
        let code = oauth::AuthorizationCode::new("ac_SECRET").unwrap();
        let request = config
            .exchange_code_request(&code, &oauth::ExchangeOptions::new())
            .unwrap();
        request
            .decode_response(&oauth::HttpResponse::new(status, body.as_bytes()))
            .unwrap_err()
    }

    #[test]
    fn api_error_fields_are_kept() {
        let error = decoded(
            404,
            r#"{"error":{"message":"No such key: sk_test_LEAKED","type":"invalid_request_error","code":"resource_missing","param":"client_secret"}}"#,
        );
        let error = sco_error::from_core(error);
        assert_eq!(error.status, sco_status::SCO_ERR_API);
        let text = |value: Option<CString>| value.unwrap().into_string().unwrap();
        assert_eq!(text(error.description), "No such key: sk_***");
        assert_eq!(text(error.api_error_type), "invalid_request_error");
        assert_eq!(text(error.api_error_code), "resource_missing");
        assert_eq!(text(error.parameter), "client_secret");
        assert_eq!(error.http_status, 404);
    }

    #[test]
    fn oauth_description_is_masked() {
        let error = decoded(
            400,
            r#"{"error":"invalid_grant","error_description":"Authorization code does not exist: ac_SECRET"}"#,
        );
        let error = sco_error::from_core(error);
        let description = error.description.unwrap();
        assert_eq!(
            description.to_str().unwrap(),
            "Authorization code does not exist: ***"
        );
        assert_eq!(error.http_status, 400);
        assert!(error.may_have_been_processed);
    }
}
