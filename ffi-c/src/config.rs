//! The platform's settings (`sco_config`) and the per-call options of exchange, refresh and
//! deauthorize.

use std::ffi::{c_char, c_int};
use std::time::Duration;

use oauth::{
    Client, ClientBuilder, ClientId, ConnectBase, ConnectConfig, CredentialScheme,
    DeauthorizeOptions, ExchangeOptions, RefreshOptions, Scope, SecretKey,
};

use crate::boundary::{run, run_infallible};
use crate::error::sco_error;
use crate::ffi::{self, Failure, Handle, into_handle};
use crate::status::sco_status;

/// The scheme that carries the secret key: one of the `SCO_CREDENTIAL_SCHEME_*` values.
pub type sco_credential_scheme = c_int;

/// HTTP Basic with the key as user name and an empty password, as Stripe's docs show
/// (`curl -u sk_test_...:`). The default.
pub const SCO_CREDENTIAL_SCHEME_BASIC: sco_credential_scheme = 1;

/// `Authorization: Bearer sk_...`.
pub const SCO_CREDENTIAL_SCHEME_BEARER: sco_credential_scheme = 2;

fn credential_scheme_from_c(scheme: sco_credential_scheme) -> Result<CredentialScheme, Failure> {
    match scheme {
        SCO_CREDENTIAL_SCHEME_BASIC => Ok(CredentialScheme::Basic),
        SCO_CREDENTIAL_SCHEME_BEARER => Ok(CredentialScheme::Bearer),
        other => Err(Failure::out_of_range(
            "credential_scheme",
            other.into(),
            "SCO_CREDENTIAL_SCHEME_BASIC or SCO_CREDENTIAL_SCHEME_BEARER",
        )),
    }
}

/// A platform's Connect settings: the connect base, client id, secret key and credential
/// scheme, plus the transport settings of a client (timeouts and retries).
///
/// Created by `sco_config_new` with the defaults, changed by the `sco_config_set_*`
/// functions, and freed with `sco_config_free`. `sco_client_new` copies it, so it may be freed
/// right after. The bring-your-own-HTTP functions (`sco_config_exchange_code_request`, ...)
/// use it directly and ignore the transport settings.
///
/// Thread safety: not synchronized. Do not change a config while another thread uses it;
/// reading functions (those taking `const sco_config *`) may run in several threads at once.
#[derive(Debug, Default)]
pub struct sco_config {
    connect: ConnectConfig,
    connect_timeout: Option<Duration>,
    timeout: Option<Duration>,
    retries: Option<u32>,
    retry_backoff: Option<Duration>,
}

impl Handle for sco_config {
    const TYPE_NAME: &'static str = "sco_config";
    const CONSTRUCTOR: &'static str = "sco_config_new";
}

impl sco_config {
    pub(crate) fn connect(&self) -> &ConnectConfig {
        &self.connect
    }

    fn update_connect(&mut self, change: impl FnOnce(ConnectConfig) -> ConnectConfig) {
        let connect = std::mem::take(&mut self.connect);
        self.connect = change(connect);
    }

    /// Builds a client; settings left unset keep the core's defaults.
    pub(crate) fn build_client(&self) -> Result<Client, oauth::Error> {
        let mut builder: ClientBuilder = Client::builder().config(self.connect.clone());
        if let Some(connect_timeout) = self.connect_timeout {
            builder = builder.connect_timeout(connect_timeout);
        }
        if let Some(timeout) = self.timeout {
            builder = builder.timeout(timeout);
        }
        if let Some(retries) = self.retries {
            builder = builder.retries(retries);
        }
        if let Some(retry_backoff) = self.retry_backoff {
            builder = builder.retry_backoff(retry_backoff);
        }
        builder.build()
    }
}

/// Creates settings with the defaults: base "https://connect.stripe.com", no client id, no
/// secret key, Basic credentials, 10 s to connect, 30 s per request, 2 retries of failures
/// that happened before sending, with a 100 ms backoff that doubles.
///
/// On success `*config_out` receives a config that the caller frees with `sco_config_free`.
///
/// # Safety
///
/// - `config_out` points to a writable `sco_config *`.
/// - `error_out` is NULL or points to a writable `sco_error *`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sco_config_new(
    config_out: *mut *mut sco_config,
    error_out: *mut *mut sco_error,
) -> sco_status {
    run(error_out, || {
        // SAFETY: forwarded from the caller.
        let config_out = unsafe { ffi::output(config_out, "config_out") }?;
        config_out.write(into_handle(sco_config::default()));
        Ok(())
    })
}

/// Sets the platform's secret key (`sk_test_...`, `sk_live_...`, `rk_test_...` or
/// `rk_live_...`), used unless a call passes its own. Default: none.
///
/// Fails with `SCO_ERR_INVALID_INPUT` for an empty key, a publishable key (`pk_...`), or an
/// unknown format; the message never contains the key. The config keeps its own copy.
///
/// # Safety
///
/// - `config` is NULL or a live config not used by another thread.
/// - `secret_key` is NULL or a NUL-terminated string.
/// - `error_out` is NULL or points to a writable `sco_error *`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sco_config_set_secret_key(
    config: *mut sco_config,
    secret_key: *const c_char,
    error_out: *mut *mut sco_error,
) -> sco_status {
    run(error_out, || {
        // SAFETY: forwarded from the caller.
        let config = unsafe { ffi::borrow_mut(config, "config") }?;
        // SAFETY: forwarded from the caller.
        let secret_key = SecretKey::new(unsafe { ffi::text(secret_key, "secret_key") }?)?;
        config.update_connect(|connect| connect.secret_key(secret_key));
        Ok(())
    })
}

/// Sets the platform's client id (`ca_...` from the Connect settings of the Stripe
/// Dashboard), needed for authorize URLs and deauthorize. Default: none.
///
/// Fails with `SCO_ERR_INVALID_INPUT` unless the value is `ca_` followed by letters, digits
/// or `_`; a key passed by mistake is not echoed in the message.
///
/// # Safety
///
/// - `config` is NULL or a live config not used by another thread.
/// - `client_id` is NULL or a NUL-terminated string.
/// - `error_out` is NULL or points to a writable `sco_error *`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sco_config_set_client_id(
    config: *mut sco_config,
    client_id: *const c_char,
    error_out: *mut *mut sco_error,
) -> sco_status {
    run(error_out, || {
        // SAFETY: forwarded from the caller.
        let config = unsafe { ffi::borrow_mut(config, "config") }?;
        // SAFETY: forwarded from the caller.
        let client_id = ClientId::new(unsafe { ffi::text(client_id, "client_id") }?)?;
        config.update_connect(|connect| connect.client_id(client_id));
        Ok(())
    })
}

/// Sets the origin of Stripe's OAuth endpoints, used for authorize, token and deauthorize
/// alike. Default: "https://connect.stripe.com".
///
/// Fails with `SCO_ERR_INVALID_INPUT` unless the value is an absolute https URL without query,
/// fragment or user info. Plain http is accepted only for a loopback host (127.0.0.0/8, ::1,
/// localhost), which local test servers use.
///
/// # Safety
///
/// - `config` is NULL or a live config not used by another thread.
/// - `connect_base` is NULL or a NUL-terminated string.
/// - `error_out` is NULL or points to a writable `sco_error *`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sco_config_set_connect_base(
    config: *mut sco_config,
    connect_base: *const c_char,
    error_out: *mut *mut sco_error,
) -> sco_status {
    run(error_out, || {
        // SAFETY: forwarded from the caller.
        let config = unsafe { ffi::borrow_mut(config, "config") }?;
        // SAFETY: forwarded from the caller.
        let connect_base = ConnectBase::new(unsafe { ffi::text(connect_base, "connect_base") }?)?;
        config.update_connect(|connect| connect.connect_base(connect_base));
        Ok(())
    })
}

/// Sets how the secret key is sent: `SCO_CREDENTIAL_SCHEME_BASIC` (the default) or
/// `SCO_CREDENTIAL_SCHEME_BEARER`.
///
/// # Safety
///
/// - `config` is NULL or a live config not used by another thread.
/// - `error_out` is NULL or points to a writable `sco_error *`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sco_config_set_credential_scheme(
    config: *mut sco_config,
    credential_scheme: sco_credential_scheme,
    error_out: *mut *mut sco_error,
) -> sco_status {
    run(error_out, || {
        // SAFETY: forwarded from the caller.
        let config = unsafe { ffi::borrow_mut(config, "config") }?;
        let credential_scheme = credential_scheme_from_c(credential_scheme)?;
        config.update_connect(|connect| connect.credential_scheme(credential_scheme));
        Ok(())
    })
}

/// Sets the time a client allows to open a connection, TLS handshake included, in
/// milliseconds. Default: 10000. Zero makes `sco_client_new` fail with `SCO_ERR_INVALID_INPUT`.
///
/// # Safety
///
/// - `config` is NULL or a live config not used by another thread.
/// - `error_out` is NULL or points to a writable `sco_error *`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sco_config_set_connect_timeout_ms(
    config: *mut sco_config,
    connect_timeout_ms: u64,
    error_out: *mut *mut sco_error,
) -> sco_status {
    run(error_out, || {
        // SAFETY: forwarded from the caller.
        let config = unsafe { ffi::borrow_mut(config, "config") }?;
        config.connect_timeout = Some(Duration::from_millis(connect_timeout_ms));
        Ok(())
    })
}

/// Sets the time a client allows for a whole request, from connecting to the end of the
/// response body, in milliseconds. Default: 30000. Zero makes `sco_client_new` fail with
/// `SCO_ERR_INVALID_INPUT`.
///
/// # Safety
///
/// - `config` is NULL or a live config not used by another thread.
/// - `error_out` is NULL or points to a writable `sco_error *`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sco_config_set_timeout_ms(
    config: *mut sco_config,
    timeout_ms: u64,
    error_out: *mut *mut sco_error,
) -> sco_status {
    run(error_out, || {
        // SAFETY: forwarded from the caller.
        let config = unsafe { ffi::borrow_mut(config, "config") }?;
        config.timeout = Some(Duration::from_millis(timeout_ms));
        Ok(())
    })
}

/// Sets how many times a client retries a request after a failure that provably happened
/// before any byte was sent (name resolution, TCP connect). A request that may have reached
/// the server is never retried. Default: 2.
///
/// # Safety
///
/// - `config` is NULL or a live config not used by another thread.
/// - `error_out` is NULL or points to a writable `sco_error *`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sco_config_set_retries(
    config: *mut sco_config,
    retries: u32,
    error_out: *mut *mut sco_error,
) -> sco_status {
    run(error_out, || {
        // SAFETY: forwarded from the caller.
        let config = unsafe { ffi::borrow_mut(config, "config") }?;
        config.retries = Some(retries);
        Ok(())
    })
}

/// Sets the wait before a client's first retry, in milliseconds; it doubles for each later
/// retry. Default: 100.
///
/// # Safety
///
/// - `config` is NULL or a live config not used by another thread.
/// - `error_out` is NULL or points to a writable `sco_error *`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sco_config_set_retry_backoff_ms(
    config: *mut sco_config,
    retry_backoff_ms: u64,
    error_out: *mut *mut sco_error,
) -> sco_status {
    run(error_out, || {
        // SAFETY: forwarded from the caller.
        let config = unsafe { ffi::borrow_mut(config, "config") }?;
        config.retry_backoff = Some(Duration::from_millis(retry_backoff_ms));
        Ok(())
    })
}

/// Frees a config. Accepts NULL.
///
/// # Safety
///
/// `config` is NULL or a config from `sco_config_new` that has not been freed yet.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sco_config_free(config: *mut sco_config) {
    // SAFETY: forwarded from the caller.
    run_infallible((), || unsafe { ffi::free(config) })
}

/// Options of one code exchange: capabilities to assert and a secret key for this call.
///
/// Created by `sco_exchange_options_new`, freed with `sco_exchange_options_free`. Functions
/// that take options accept NULL for the defaults.
///
/// Thread safety: not synchronized. Do not change options while another thread uses them.
#[derive(Debug, Default)]
pub struct sco_exchange_options {
    inner: ExchangeOptions,
}

impl Handle for sco_exchange_options {
    const TYPE_NAME: &'static str = "sco_exchange_options";
    const CONSTRUCTOR: &'static str = "sco_exchange_options_new";
}

impl sco_exchange_options {
    pub(crate) fn inner(options: Option<&Self>) -> ExchangeOptions {
        options
            .map(|options| options.inner.clone())
            .unwrap_or_default()
    }
}

/// Creates exchange options with no capability assertion and the configured key.
///
/// On success `*options_out` receives options that the caller frees with
/// `sco_exchange_options_free`.
///
/// # Safety
///
/// - `options_out` points to a writable `sco_exchange_options *`.
/// - `error_out` is NULL or points to a writable `sco_error *`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sco_exchange_options_new(
    options_out: *mut *mut sco_exchange_options,
    error_out: *mut *mut sco_error,
) -> sco_status {
    run(error_out, || {
        // SAFETY: forwarded from the caller.
        let options_out = unsafe { ffi::output(options_out, "options_out") }?;
        options_out.write(into_handle(sco_exchange_options::default()));
        Ok(())
    })
}

/// Adds one `assert_capabilities[]` item (Express), such as "transfers": Stripe fails the
/// exchange unless the account requested that capability. The name is checked when the
/// request is built (a-z, 0-9 and _).
///
/// # Safety
///
/// - `options` is NULL or live options not used by another thread.
/// - `capability` is NULL or a NUL-terminated string.
/// - `error_out` is NULL or points to a writable `sco_error *`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sco_exchange_options_add_assert_capability(
    options: *mut sco_exchange_options,
    capability: *const c_char,
    error_out: *mut *mut sco_error,
) -> sco_status {
    run(error_out, || {
        // SAFETY: forwarded from the caller.
        let options = unsafe { ffi::borrow_mut(options, "options") }?;
        // SAFETY: forwarded from the caller.
        let capability = unsafe { ffi::text(capability, "capability") }?;
        options.inner = std::mem::take(&mut options.inner).assert_capability(capability);
        Ok(())
    })
}

/// Sets the secret key of this exchange, which replaces the configured one. Default: none.
///
/// Fails with `SCO_ERR_INVALID_INPUT` as `sco_config_set_secret_key` does.
///
/// # Safety
///
/// - `options` is NULL or live options not used by another thread.
/// - `secret_key` is NULL or a NUL-terminated string.
/// - `error_out` is NULL or points to a writable `sco_error *`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sco_exchange_options_set_secret_key(
    options: *mut sco_exchange_options,
    secret_key: *const c_char,
    error_out: *mut *mut sco_error,
) -> sco_status {
    run(error_out, || {
        // SAFETY: forwarded from the caller.
        let options = unsafe { ffi::borrow_mut(options, "options") }?;
        // SAFETY: forwarded from the caller.
        let secret_key = SecretKey::new(unsafe { ffi::text(secret_key, "secret_key") }?)?;
        options.inner = std::mem::take(&mut options.inner).secret_key(secret_key);
        Ok(())
    })
}

/// Frees exchange options. Accepts NULL.
///
/// # Safety
///
/// `options` is NULL or options from `sco_exchange_options_new` that have not been freed yet.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sco_exchange_options_free(options: *mut sco_exchange_options) {
    // SAFETY: forwarded from the caller.
    run_infallible((), || unsafe { ffi::free(options) })
}

/// Options of one refresh: a narrower scope and a secret key for this call.
///
/// Created by `sco_refresh_options_new`, freed with `sco_refresh_options_free`. Functions
/// that take options accept NULL for the defaults.
///
/// Thread safety: not synchronized. Do not change options while another thread uses them.
#[derive(Debug, Default)]
pub struct sco_refresh_options {
    inner: RefreshOptions,
}

impl Handle for sco_refresh_options {
    const TYPE_NAME: &'static str = "sco_refresh_options";
    const CONSTRUCTOR: &'static str = "sco_refresh_options_new";
}

impl sco_refresh_options {
    pub(crate) fn inner(options: Option<&Self>) -> RefreshOptions {
        options
            .map(|options| options.inner.clone())
            .unwrap_or_default()
    }
}

/// Creates refresh options that keep the granted scope and use the configured key.
///
/// On success `*options_out` receives options that the caller frees with
/// `sco_refresh_options_free`.
///
/// # Safety
///
/// - `options_out` points to a writable `sco_refresh_options *`.
/// - `error_out` is NULL or points to a writable `sco_error *`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sco_refresh_options_new(
    options_out: *mut *mut sco_refresh_options,
    error_out: *mut *mut sco_error,
) -> sco_status {
    run(error_out, || {
        // SAFETY: forwarded from the caller.
        let options_out = unsafe { ffi::output(options_out, "options_out") }?;
        options_out.write(into_handle(sco_refresh_options::default()));
        Ok(())
    })
}

/// Sets a scope narrower than the one granted: "read_write" or "read_only". Default: none,
/// which keeps the granted scope. Any other value fails with `SCO_ERR_INVALID_INPUT`.
///
/// # Safety
///
/// - `options` is NULL or live options not used by another thread.
/// - `scope` is NULL or a NUL-terminated string.
/// - `error_out` is NULL or points to a writable `sco_error *`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sco_refresh_options_set_scope(
    options: *mut sco_refresh_options,
    scope: *const c_char,
    error_out: *mut *mut sco_error,
) -> sco_status {
    run(error_out, || {
        // SAFETY: forwarded from the caller.
        let options = unsafe { ffi::borrow_mut(options, "options") }?;
        // SAFETY: forwarded from the caller.
        let scope = Scope::parse(unsafe { ffi::text(scope, "scope") }?)?;
        options.inner = std::mem::take(&mut options.inner).scope(scope);
        Ok(())
    })
}

/// Sets the secret key of this refresh, which replaces the configured one. Default: none.
///
/// Fails with `SCO_ERR_INVALID_INPUT` as `sco_config_set_secret_key` does.
///
/// # Safety
///
/// - `options` is NULL or live options not used by another thread.
/// - `secret_key` is NULL or a NUL-terminated string.
/// - `error_out` is NULL or points to a writable `sco_error *`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sco_refresh_options_set_secret_key(
    options: *mut sco_refresh_options,
    secret_key: *const c_char,
    error_out: *mut *mut sco_error,
) -> sco_status {
    run(error_out, || {
        // SAFETY: forwarded from the caller.
        let options = unsafe { ffi::borrow_mut(options, "options") }?;
        // SAFETY: forwarded from the caller.
        let secret_key = SecretKey::new(unsafe { ffi::text(secret_key, "secret_key") }?)?;
        options.inner = std::mem::take(&mut options.inner).secret_key(secret_key);
        Ok(())
    })
}

/// Frees refresh options. Accepts NULL.
///
/// # Safety
///
/// `options` is NULL or options from `sco_refresh_options_new` that have not been freed yet.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sco_refresh_options_free(options: *mut sco_refresh_options) {
    // SAFETY: forwarded from the caller.
    run_infallible((), || unsafe { ffi::free(options) })
}

/// Options of one deauthorize request: a secret key for this call.
///
/// Created by `sco_deauthorize_options_new`, freed with `sco_deauthorize_options_free`.
/// Functions that take options accept NULL for the defaults.
///
/// Thread safety: not synchronized. Do not change options while another thread uses them.
#[derive(Debug, Default)]
pub struct sco_deauthorize_options {
    inner: DeauthorizeOptions,
}

impl Handle for sco_deauthorize_options {
    const TYPE_NAME: &'static str = "sco_deauthorize_options";
    const CONSTRUCTOR: &'static str = "sco_deauthorize_options_new";
}

impl sco_deauthorize_options {
    pub(crate) fn inner(options: Option<&Self>) -> DeauthorizeOptions {
        options
            .map(|options| options.inner.clone())
            .unwrap_or_default()
    }
}

/// Creates deauthorize options that use the configured key.
///
/// On success `*options_out` receives options that the caller frees with
/// `sco_deauthorize_options_free`.
///
/// # Safety
///
/// - `options_out` points to a writable `sco_deauthorize_options *`.
/// - `error_out` is NULL or points to a writable `sco_error *`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sco_deauthorize_options_new(
    options_out: *mut *mut sco_deauthorize_options,
    error_out: *mut *mut sco_error,
) -> sco_status {
    run(error_out, || {
        // SAFETY: forwarded from the caller.
        let options_out = unsafe { ffi::output(options_out, "options_out") }?;
        options_out.write(into_handle(sco_deauthorize_options::default()));
        Ok(())
    })
}

/// Sets the secret key of this deauthorize request, which replaces the configured one.
/// Default: none.
///
/// Fails with `SCO_ERR_INVALID_INPUT` as `sco_config_set_secret_key` does.
///
/// # Safety
///
/// - `options` is NULL or live options not used by another thread.
/// - `secret_key` is NULL or a NUL-terminated string.
/// - `error_out` is NULL or points to a writable `sco_error *`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sco_deauthorize_options_set_secret_key(
    options: *mut sco_deauthorize_options,
    secret_key: *const c_char,
    error_out: *mut *mut sco_error,
) -> sco_status {
    run(error_out, || {
        // SAFETY: forwarded from the caller.
        let options = unsafe { ffi::borrow_mut(options, "options") }?;
        // SAFETY: forwarded from the caller.
        let secret_key = SecretKey::new(unsafe { ffi::text(secret_key, "secret_key") }?)?;
        options.inner = std::mem::take(&mut options.inner).secret_key(secret_key);
        Ok(())
    })
}

/// Frees deauthorize options. Accepts NULL.
///
/// # Safety
///
/// `options` is NULL or options from `sco_deauthorize_options_new` that have not been freed
/// yet.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sco_deauthorize_options_free(options: *mut sco_deauthorize_options) {
    // SAFETY: forwarded from the caller.
    run_infallible((), || unsafe { ffi::free(options) })
}
