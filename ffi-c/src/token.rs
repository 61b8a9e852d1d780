//! The token response of a code exchange or refresh.

use std::ffi::{CString, c_char};

use oauth::{Error, TokenResponse};

use crate::boundary::run_infallible;
use crate::ffi::{self, Failure, Handle, as_ptr_or_null, exact_c_string};

/// A successful token response: the connected account and what Stripe granted.
///
/// Returned by `sco_client_exchange_code`, `sco_client_refresh` and
/// `sco_token_request_decode_response`; owned by the caller and freed with `sco_token_free`.
/// Strings returned by its accessors are borrowed and live as long as the token.
///
/// Thread safety: a token is never modified after creation, so its accessors may be called
/// from several threads at once.
#[derive(Debug)]
pub struct sco_token {
    stripe_user_id: CString,
    livemode: bool,
    scope: Option<CString>,
    token_type: Option<CString>,
    access_token: Option<CString>,
    refresh_token: Option<CString>,
    stripe_publishable_key: Option<CString>,
    capabilities: Vec<CString>,
}

impl Handle for sco_token {
    const TYPE_NAME: &'static str = "sco_token";
    const CONSTRUCTOR: &'static str = "sco_client_exchange_code";
}

/// Converts one optional field, failing on a NUL byte, which a C string cannot carry.
fn field(name: &str, value: Option<&str>) -> Result<Option<CString>, Failure> {
    value
        .map(|value| {
            exact_c_string(value, || Error::Decode {
                message: format!("`{name}` contains a NUL byte, which a C string cannot carry"),
                http_status: None,
            })
        })
        .transpose()
}

impl sco_token {
    /// Converts a core token response for C.
    ///
    /// # Errors
    ///
    /// A decode failure when a field contains a NUL byte.
    pub(crate) fn new(token: TokenResponse) -> Result<Self, Failure> {
        let capabilities = token
            .capabilities()
            .iter()
            .map(|capability| field("capabilities", Some(capability)))
            .collect::<Result<Vec<_>, _>>()?
            .into_iter()
            .flatten()
            .collect();
        Ok(Self {
            stripe_user_id: field("stripe_user_id", Some(token.stripe_user_id().as_str()))?
                .unwrap_or_default(),
            livemode: token.livemode(),
            scope: field("scope", token.scope())?,
            token_type: field("token_type", token.token_type())?,
            access_token: field("access_token", token.access_token().map(|t| t.secret()))?,
            refresh_token: field("refresh_token", token.refresh_token().map(|t| t.secret()))?,
            stripe_publishable_key: field(
                "stripe_publishable_key",
                token.stripe_publishable_key(),
            )?,
            capabilities,
        })
    }
}

/// Runs an accessor on a token that may be NULL.
///
/// # Safety
///
/// `token` is NULL or a live token from this library.
unsafe fn with_token<T: Copy>(
    token: *const sco_token,
    fallback: T,
    read: impl FnOnce(&sco_token) -> T,
) -> T {
    run_infallible(fallback, || {
        // SAFETY: forwarded from the caller.
        match unsafe { ffi::borrow(token, "token") } {
            Ok(token) => read(token),
            Err(_) => fallback,
        }
    })
}

/// Returns the connected account id (`stripe_user_id`, `acct_...`).
///
/// The string is borrowed from `token`; NULL when `token` is NULL.
///
/// # Safety
///
/// `token` is NULL or a token from this library that has not been freed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sco_token_stripe_user_id(token: *const sco_token) -> *const c_char {
    // SAFETY: forwarded from the caller.
    unsafe {
        with_token(token, std::ptr::null(), |token| {
            token.stripe_user_id.as_ptr()
        })
    }
}

/// Returns whether the grant is for live mode. False when `token` is NULL.
///
/// # Safety
///
/// `token` is NULL or a token from this library that has not been freed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sco_token_livemode(token: *const sco_token) -> bool {
    // SAFETY: forwarded from the caller.
    unsafe { with_token(token, false, |token| token.livemode) }
}

/// Returns the granted scope: "read_write", "read_only", "express", or a newer value.
///
/// The string is borrowed from `token`; NULL when Stripe sent none or `token` is NULL.
///
/// # Safety
///
/// `token` is NULL or a token from this library that has not been freed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sco_token_scope(token: *const sco_token) -> *const c_char {
    // SAFETY: forwarded from the caller.
    unsafe {
        with_token(token, std::ptr::null(), |token| {
            as_ptr_or_null(token.scope.as_ref())
        })
    }
}

/// Returns the token type in lower case, normally "bearer".
///
/// The string is borrowed from `token`; NULL when Stripe sent none or `token` is NULL.
///
/// # Safety
///
/// `token` is NULL or a token from this library that has not been freed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sco_token_token_type(token: *const sco_token) -> *const c_char {
    // SAFETY: forwarded from the caller.
    unsafe {
        with_token(token, std::ptr::null(), |token| {
            as_ptr_or_null(token.token_type.as_ref())
        })
    }
}

/// Returns the access token of the connected account, which Stripe still sends for Standard
/// accounts. It is a secret: keep it out of logs and error messages.
///
/// The string is borrowed from `token`; NULL when Stripe sent none or `token` is NULL.
///
/// # Safety
///
/// `token` is NULL or a token from this library that has not been freed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sco_token_access_token(token: *const sco_token) -> *const c_char {
    // SAFETY: forwarded from the caller.
    unsafe {
        with_token(token, std::ptr::null(), |token| {
            as_ptr_or_null(token.access_token.as_ref())
        })
    }
}

/// Returns the refresh token (`rt_...`), which `sco_client_refresh` takes. It is a secret:
/// keep it out of logs and error messages.
///
/// The string is borrowed from `token`; NULL when Stripe sent none or `token` is NULL.
///
/// # Safety
///
/// `token` is NULL or a token from this library that has not been freed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sco_token_refresh_token(token: *const sco_token) -> *const c_char {
    // SAFETY: forwarded from the caller.
    unsafe {
        with_token(token, std::ptr::null(), |token| {
            as_ptr_or_null(token.refresh_token.as_ref())
        })
    }
}

/// Returns the connected account's publishable key (`pk_...`).
///
/// The string is borrowed from `token`; NULL when Stripe sent none or `token` is NULL.
///
/// # Safety
///
/// `token` is NULL or a token from this library that has not been freed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sco_token_stripe_publishable_key(
    token: *const sco_token,
) -> *const c_char {
    // SAFETY: forwarded from the caller.
    unsafe {
        with_token(token, std::ptr::null(), |token| {
            as_ptr_or_null(token.stripe_publishable_key.as_ref())
        })
    }
}

/// Returns how many capabilities Stripe confirmed; 0 when it sent none or `token` is NULL.
///
/// # Safety
///
/// `token` is NULL or a token from this library that has not been freed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sco_token_capability_count(token: *const sco_token) -> usize {
    // SAFETY: forwarded from the caller.
    unsafe { with_token(token, 0, |token| token.capabilities.len()) }
}

/// Returns the confirmed capability at `index`, such as "transfers", in the order Stripe sent
/// them.
///
/// The string is borrowed from `token`; NULL when `index` is not below
/// `sco_token_capability_count(token)` or `token` is NULL.
///
/// # Safety
///
/// `token` is NULL or a token from this library that has not been freed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sco_token_capability(
    token: *const sco_token,
    index: usize,
) -> *const c_char {
    // SAFETY: forwarded from the caller.
    unsafe {
        with_token(token, std::ptr::null(), |token| {
            as_ptr_or_null(token.capabilities.get(index))
        })
    }
}

/// Frees a token. Accepts NULL.
///
/// # Safety
///
/// `token` is NULL or a token returned through a `sco_token **` out-parameter that has not been
/// freed yet, never the token that `sco_error_token` borrows from an error. Strings borrowed from
/// the token become invalid.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sco_token_free(token: *mut sco_token) {
    // SAFETY: forwarded from the caller.
    run_infallible((), || unsafe { ffi::free(token) })
}

#[cfg(test)]
mod tests {
    use oauth::{AuthorizationCode, ConnectConfig, ExchangeOptions, HttpResponse, SecretKey};

    use super::*;

    fn decode(body: &str) -> TokenResponse {
        let config = ConnectConfig::new().secret_key(SecretKey::new("sk_test_1").unwrap());
        let code = AuthorizationCode::new("ac_1").unwrap();
        let request = config
            .exchange_code_request(&code, &ExchangeOptions::new())
            .unwrap();
        request
            .decode_response(&HttpResponse::new(200, body.as_bytes()))
            .unwrap()
    }

    #[test]
    fn field_with_nul_byte_is_a_decode_error() {
        let token = decode(r#"{"stripe_user_id":"acct_1","livemode":false,"scope":"a\u0000b"}"#);
        let Err(Failure::Core(error)) = sco_token::new(token) else {
            panic!("a NUL byte was accepted");
        };
        assert_eq!(error.kind(), oauth::ErrorKind::Decode);
        assert!(error.to_string().contains("`scope`"));
    }

    #[test]
    fn capabilities_keep_their_order() {
        let token =
            decode(r#"{"stripe_user_id":"acct_1","livemode":false,"capabilities":["b","a"]}"#);
        let token = sco_token::new(token).unwrap();
        let names: Vec<&str> = token
            .capabilities
            .iter()
            .map(|c| c.to_str().unwrap())
            .collect();
        assert_eq!(names, ["b", "a"]);
    }
}
