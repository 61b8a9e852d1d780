//! The authorize URL: the "Connect with Stripe" link and its parameters.

use std::ffi::{CString, c_char, c_int};

use oauth::{
    AccountType, AuthorizeParams, Scope, State, StripeLanding, StripeUser, StripeUserField,
};

use crate::boundary::{run, run_infallible};
use crate::client::sco_client;
use crate::config::sco_config;
use crate::error::sco_error;
use crate::ffi::{self, Failure, Handle, exact_c_string, into_handle};
use crate::status::sco_status;

/// The kind of connected account to onboard: one of the `SCO_ACCOUNT_TYPE_*` values.
pub type sco_account_type = c_int;

/// Express accounts, authorized at `/express/oauth/authorize`.
pub const SCO_ACCOUNT_TYPE_EXPRESS: sco_account_type = 1;

/// Standard accounts, authorized at `/oauth/authorize`.
pub const SCO_ACCOUNT_TYPE_STANDARD: sco_account_type = 2;

/// The page Stripe shows first to a user who is not signed in: one of the
/// `SCO_STRIPE_LANDING_*` values.
pub type sco_stripe_landing = c_int;

/// `login`: the sign-in page.
pub const SCO_STRIPE_LANDING_LOGIN: sco_stripe_landing = 1;

/// `register`: the account registration page.
pub const SCO_STRIPE_LANDING_REGISTER: sco_stripe_landing = 2;

fn account_type_from_c(account_type: sco_account_type) -> Result<AccountType, Failure> {
    match account_type {
        SCO_ACCOUNT_TYPE_EXPRESS => Ok(AccountType::Express),
        SCO_ACCOUNT_TYPE_STANDARD => Ok(AccountType::Standard),
        other => Err(Failure::out_of_range(
            "account_type",
            other.into(),
            "SCO_ACCOUNT_TYPE_EXPRESS or SCO_ACCOUNT_TYPE_STANDARD",
        )),
    }
}

fn stripe_landing_from_c(stripe_landing: sco_stripe_landing) -> Result<StripeLanding, Failure> {
    match stripe_landing {
        SCO_STRIPE_LANDING_LOGIN => Ok(StripeLanding::Login),
        SCO_STRIPE_LANDING_REGISTER => Ok(StripeLanding::Register),
        other => Err(Failure::out_of_range(
            "stripe_landing",
            other.into(),
            "SCO_STRIPE_LANDING_LOGIN or SCO_STRIPE_LANDING_REGISTER",
        )),
    }
}

/// The parameters of one authorize URL.
///
/// Created by `sco_authorize_params_new`, changed by the `sco_authorize_params_*` functions
/// and freed with `sco_authorize_params_free`. Values are checked when the URL is built, except
/// `state` and the `stripe_user` field names, which are checked when set.
///
/// The URL lists its parameters in a fixed order, so equal input always gives an equal
/// string: `response_type=code`, `client_id`, `redirect_uri`, `scope`, `state`,
/// `stripe_landing`, `always_prompt`, one `suggested_capabilities[]` per item, the
/// `stripe_user[...]` fields in Stripe's documented order, then the extra parameters in the
/// order they were added. Values are percent-encoded outside `A-Z a-z 0-9 - . _ ~`.
///
/// Thread safety: not synchronized. Do not change parameters while another thread uses them.
#[derive(Debug)]
pub struct sco_authorize_params {
    params: AuthorizeParams,
    stripe_user: StripeUser,
}

impl Handle for sco_authorize_params {
    const TYPE_NAME: &'static str = "sco_authorize_params";
    const CONSTRUCTOR: &'static str = "sco_authorize_params_new";
}

impl sco_authorize_params {
    fn update(&mut self, change: impl FnOnce(AuthorizeParams) -> AuthorizeParams) {
        let placeholder = AuthorizeParams::new(self.params.account_type());
        let params = std::mem::replace(&mut self.params, placeholder);
        self.params = change(params);
    }

    /// Returns the core parameters with the `stripe_user` prefill included.
    fn build(&self) -> AuthorizeParams {
        self.params.clone().stripe_user(self.stripe_user.clone())
    }
}

/// Creates parameters for an account type (`SCO_ACCOUNT_TYPE_EXPRESS` or
/// `SCO_ACCOUNT_TYPE_STANDARD`) with no optional parameter set.
///
/// On success `*params_out` receives parameters that the caller frees with
/// `sco_authorize_params_free`.
///
/// # Safety
///
/// - `params_out` points to a writable `sco_authorize_params *`.
/// - `error_out` is NULL or points to a writable `sco_error *`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sco_authorize_params_new(
    account_type: sco_account_type,
    params_out: *mut *mut sco_authorize_params,
    error_out: *mut *mut sco_error,
) -> sco_status {
    run(error_out, || {
        // SAFETY: forwarded from the caller.
        let params_out = unsafe { ffi::output(params_out, "params_out") }?;
        let account_type = account_type_from_c(account_type)?;
        params_out.write(into_handle(sco_authorize_params {
            params: AuthorizeParams::new(account_type),
            stripe_user: StripeUser::new(),
        }));
        Ok(())
    })
}

/// Sets `redirect_uri`: an absolute http or https URL without fragment, registered in the
/// Connect settings. Default: none, so Stripe uses the first registered one. Checked when the
/// URL is built.
///
/// # Safety
///
/// - `params` is NULL or live parameters not used by another thread.
/// - `redirect_uri` is NULL or a NUL-terminated string.
/// - `error_out` is NULL or points to a writable `sco_error *`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sco_authorize_params_set_redirect_uri(
    params: *mut sco_authorize_params,
    redirect_uri: *const c_char,
    error_out: *mut *mut sco_error,
) -> sco_status {
    run(error_out, || {
        // SAFETY: forwarded from the caller.
        let params = unsafe { ffi::borrow_mut(params, "params") }?;
        // SAFETY: forwarded from the caller.
        let redirect_uri = unsafe { ffi::text(redirect_uri, "redirect_uri") }?;
        params.update(|built| built.redirect_uri(redirect_uri));
        Ok(())
    })
}

/// Sets `scope`, for Standard accounts only: "read_write" or "read_only". Default: none,
/// which Stripe takes as `read_write`. Any other value fails with `SCO_ERR_INVALID_INPUT`, and
/// so does building the URL of Express parameters with a scope.
///
/// # Safety
///
/// - `params` is NULL or live parameters not used by another thread.
/// - `scope` is NULL or a NUL-terminated string.
/// - `error_out` is NULL or points to a writable `sco_error *`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sco_authorize_params_set_scope(
    params: *mut sco_authorize_params,
    scope: *const c_char,
    error_out: *mut *mut sco_error,
) -> sco_status {
    run(error_out, || {
        // SAFETY: forwarded from the caller.
        let params = unsafe { ffi::borrow_mut(params, "params") }?;
        // SAFETY: forwarded from the caller.
        let scope = Scope::parse(unsafe { ffi::text(scope, "scope") }?)?;
        params.update(|built| built.scope(scope));
        Ok(())
    })
}

/// Sets the CSRF `state`, such as one from `sco_state_generate`. Default: none.
///
/// Fails with `SCO_ERR_INVALID_INPUT` unless the state has 1 to 512 characters from
/// `A-Z a-z 0-9 - _`.
///
/// # Safety
///
/// - `params` is NULL or live parameters not used by another thread.
/// - `state` is NULL or a NUL-terminated string.
/// - `error_out` is NULL or points to a writable `sco_error *`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sco_authorize_params_set_state(
    params: *mut sco_authorize_params,
    state: *const c_char,
    error_out: *mut *mut sco_error,
) -> sco_status {
    run(error_out, || {
        // SAFETY: forwarded from the caller.
        let params = unsafe { ffi::borrow_mut(params, "params") }?;
        // SAFETY: forwarded from the caller.
        let state = State::new(unsafe { ffi::text(state, "state") }?)?;
        params.update(|built| built.state(state));
        Ok(())
    })
}

/// Sets `stripe_landing`: `SCO_STRIPE_LANDING_LOGIN` or `SCO_STRIPE_LANDING_REGISTER`.
/// Default: none, which Stripe takes as `login`.
///
/// # Safety
///
/// - `params` is NULL or live parameters not used by another thread.
/// - `error_out` is NULL or points to a writable `sco_error *`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sco_authorize_params_set_stripe_landing(
    params: *mut sco_authorize_params,
    stripe_landing: sco_stripe_landing,
    error_out: *mut *mut sco_error,
) -> sco_status {
    run(error_out, || {
        // SAFETY: forwarded from the caller.
        let params = unsafe { ffi::borrow_mut(params, "params") }?;
        let stripe_landing = stripe_landing_from_c(stripe_landing)?;
        params.update(|built| built.stripe_landing(stripe_landing));
        Ok(())
    })
}

/// Sets `always_prompt`, which makes Stripe show the account picker even for a signed-in user.
/// Sent as the word `true` or `false`. Default: none, which Stripe takes as `false`.
///
/// # Safety
///
/// - `params` is NULL or live parameters not used by another thread.
/// - `error_out` is NULL or points to a writable `sco_error *`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sco_authorize_params_set_always_prompt(
    params: *mut sco_authorize_params,
    always_prompt: bool,
    error_out: *mut *mut sco_error,
) -> sco_status {
    run(error_out, || {
        // SAFETY: forwarded from the caller.
        let params = unsafe { ffi::borrow_mut(params, "params") }?;
        params.update(|built| built.always_prompt(always_prompt));
        Ok(())
    })
}

/// Adds one `suggested_capabilities[]` item, such as "transfers", for Express accounts only.
/// Checked when the URL is built.
///
/// # Safety
///
/// - `params` is NULL or live parameters not used by another thread.
/// - `capability` is NULL or a NUL-terminated string.
/// - `error_out` is NULL or points to a writable `sco_error *`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sco_authorize_params_add_suggested_capability(
    params: *mut sco_authorize_params,
    capability: *const c_char,
    error_out: *mut *mut sco_error,
) -> sco_status {
    run(error_out, || {
        // SAFETY: forwarded from the caller.
        let params = unsafe { ffi::borrow_mut(params, "params") }?;
        // SAFETY: forwarded from the caller.
        let capability = unsafe { ffi::text(capability, "capability") }?;
        params.update(|built| built.suggested_capability(capability));
        Ok(())
    })
}

/// Sets one `stripe_user[...]` prefill field by its name inside the brackets, overwriting an
/// earlier value of the same field.
///
/// `field` is one of Stripe's documented names: email, url, country, phone_number,
/// business_name, business_type, first_name, last_name, dob_day, dob_month, dob_year,
/// street_address, city, state, zip, physical_product, product_description, currency,
/// first_name_kana, first_name_kanji, last_name_kana, last_name_kanji, gender, block_kana,
/// block_kanji, building_kana, building_kanji. An unknown name fails with
/// `SCO_ERR_INVALID_INPUT`; send newer fields with `sco_authorize_params_add_extra`. Values are
/// checked when the URL is built (dob_day 1 to 31, dob_month 1 to 12, dob_year four digits,
/// physical_product "true" or "false", none empty).
///
/// # Safety
///
/// - `params` is NULL or live parameters not used by another thread.
/// - `field` and `value` are NULL or NUL-terminated strings.
/// - `error_out` is NULL or points to a writable `sco_error *`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sco_authorize_params_set_stripe_user(
    params: *mut sco_authorize_params,
    field: *const c_char,
    value: *const c_char,
    error_out: *mut *mut sco_error,
) -> sco_status {
    run(error_out, || {
        // SAFETY: forwarded from the caller.
        let params = unsafe { ffi::borrow_mut(params, "params") }?;
        // SAFETY: forwarded from the caller.
        let field = StripeUserField::from_name(unsafe { ffi::text(field, "field") }?)?;
        // SAFETY: forwarded from the caller.
        let value = unsafe { ffi::text(value, "value") }?;
        params.stripe_user.set(field, value);
        Ok(())
    })
}

/// Adds a parameter that has no setter, such as a `stripe_user` field newer than this version.
/// The key is sent with literal brackets. Building the URL fails with `SCO_ERR_INVALID_INPUT`
/// when the key is empty, contains whitespace, or repeats a parameter that has a setter.
///
/// # Safety
///
/// - `params` is NULL or live parameters not used by another thread.
/// - `key` and `value` are NULL or NUL-terminated strings.
/// - `error_out` is NULL or points to a writable `sco_error *`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sco_authorize_params_add_extra(
    params: *mut sco_authorize_params,
    key: *const c_char,
    value: *const c_char,
    error_out: *mut *mut sco_error,
) -> sco_status {
    run(error_out, || {
        // SAFETY: forwarded from the caller.
        let params = unsafe { ffi::borrow_mut(params, "params") }?;
        // SAFETY: forwarded from the caller.
        let key = unsafe { ffi::text(key, "key") }?;
        // SAFETY: forwarded from the caller.
        let value = unsafe { ffi::text(value, "value") }?;
        params.update(|built| built.extra(key, value));
        Ok(())
    })
}

/// Frees authorize parameters. Accepts NULL.
///
/// # Safety
///
/// `params` is NULL or parameters from `sco_authorize_params_new` that have not been freed yet.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sco_authorize_params_free(params: *mut sco_authorize_params) {
    // SAFETY: forwarded from the caller.
    run_infallible((), || unsafe { ffi::free(params) })
}

fn url_to_c(url: String) -> Result<CString, Failure> {
    // Every value in the URL is percent-encoded, so it has no NUL byte.
    exact_c_string(&url, || oauth::Error::InvalidInput {
        parameter: "authorize_url",
        message: "the authorize URL contains a NUL byte".to_owned(),
    })
}

/// Builds the authorize URL that starts onboarding, with the config's connect base and client
/// id.
///
/// On success `*url_out` receives an owned string that the caller frees with
/// `sco_string_free`. Fails with `SCO_ERR_INVALID_INPUT` when no client id is configured, the
/// redirect URI is not an absolute http or https URL without fragment, a scope is set for
/// Express, suggested capabilities are set for Standard, a prefill value is invalid, or an
/// extra key repeats a parameter that has a setter.
///
/// # Safety
///
/// - `config` and `params` are NULL or live handles that no thread changes during the call.
/// - `url_out` points to a writable `char *`.
/// - `error_out` is NULL or points to a writable `sco_error *`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sco_config_authorize_url(
    config: *const sco_config,
    params: *const sco_authorize_params,
    url_out: *mut *mut c_char,
    error_out: *mut *mut sco_error,
) -> sco_status {
    run(error_out, || {
        // SAFETY: forwarded from the caller.
        let config = unsafe { ffi::borrow(config, "config") }?;
        // SAFETY: forwarded from the caller.
        let params = unsafe { ffi::borrow(params, "params") }?;
        // SAFETY: forwarded from the caller.
        let url_out = unsafe { ffi::output(url_out, "url_out") }?;
        let url = url_to_c(config.connect().authorize_url(&params.build())?)?;
        url_out.write(url.into_raw());
        Ok(())
    })
}

/// Builds the authorize URL with the client's connect base and client id, as
/// `sco_config_authorize_url` does.
///
/// On success `*url_out` receives an owned string that the caller frees with
/// `sco_string_free`.
///
/// # Safety
///
/// - `client` is NULL or a live client.
/// - `params` is NULL or live parameters that no thread changes during the call.
/// - `url_out` points to a writable `char *`.
/// - `error_out` is NULL or points to a writable `sco_error *`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sco_client_authorize_url(
    client: *const sco_client,
    params: *const sco_authorize_params,
    url_out: *mut *mut c_char,
    error_out: *mut *mut sco_error,
) -> sco_status {
    run(error_out, || {
        // SAFETY: forwarded from the caller.
        let client = unsafe { ffi::borrow(client, "client") }?;
        // SAFETY: forwarded from the caller.
        let params = unsafe { ffi::borrow(params, "params") }?;
        // SAFETY: forwarded from the caller.
        let url_out = unsafe { ffi::output(url_out, "url_out") }?;
        let url = url_to_c(client.inner().authorize_url(&params.build())?)?;
        url_out.write(url.into_raw());
        Ok(())
    })
}
