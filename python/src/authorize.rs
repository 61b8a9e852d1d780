//! Conversion of `Client.authorize_url` keyword arguments into the core's `AuthorizeParams`.
//!
//! Values are only converted here; the core checks them when it builds the URL.

use pyo3::exceptions::{PyOverflowError, PyTypeError};
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyInt, PyMapping, PyString};
use stripe_connect_oauth::{
    AuthorizeParams, Scope, State, StripeLanding, StripeUser, StripeUserField,
};

use crate::arguments::{labelled_text, optional_text, text, text_list};
use crate::errors::{converter, invalid_argument};

/// The keyword arguments of `Client.authorize_url`, as extracted by PyO3.
pub(crate) struct AuthorizeArguments<'py> {
    pub(crate) express: bool,
    pub(crate) redirect_uri: Option<Bound<'py, PyString>>,
    pub(crate) state: Option<Bound<'py, PyString>>,
    pub(crate) scope: Option<Bound<'py, PyString>>,
    pub(crate) stripe_landing: Option<Bound<'py, PyString>>,
    pub(crate) always_prompt: Option<bool>,
    pub(crate) stripe_user: Option<Bound<'py, PyAny>>,
    pub(crate) suggested_capabilities: Option<Vec<Bound<'py, PyString>>>,
    pub(crate) extra: Option<Bound<'py, PyAny>>,
}

impl AuthorizeArguments<'_> {
    pub(crate) fn into_params(self, py: Python<'_>) -> PyResult<AuthorizeParams> {
        let mut params = if self.express {
            AuthorizeParams::express()
        } else {
            AuthorizeParams::standard()
        };

        if let Some(redirect_uri) = optional_text(self.redirect_uri, "redirect_uri")? {
            params = params.redirect_uri(redirect_uri);
        }
        if let Some(scope) = optional_text(self.scope, "scope")? {
            params = params.scope(Scope::parse(&scope).map_err(converter(py))?);
        }
        if let Some(state) = optional_text(self.state, "state")? {
            params = params.state(State::new(state).map_err(converter(py))?);
        }
        if let Some(stripe_landing) = optional_text(self.stripe_landing, "stripe_landing")? {
            params = params
                .stripe_landing(StripeLanding::parse(&stripe_landing).map_err(converter(py))?);
        }
        if let Some(always_prompt) = self.always_prompt {
            params = params.always_prompt(always_prompt);
        }
        for capability in text_list(self.suggested_capabilities, "suggested_capabilities")? {
            params = params.suggested_capability(capability);
        }
        if let Some(stripe_user) = self.stripe_user {
            params = params.stripe_user(stripe_user_from(py, &stripe_user)?);
        }
        if let Some(extra) = self.extra {
            for (key, value) in extra_pairs(&extra)? {
                params = params.extra(key, value);
            }
        }
        Ok(params)
    }
}

/// Converts the `stripe_user` mapping. The core rejects an unknown field by name.
///
/// A value may be a `str`, an `int` (such as `dob_day=5`) or a `bool` (`physical_product=True`,
/// sent as `true`). A `None` value leaves the field unset, as stripe-python drops `None`
/// parameters.
fn stripe_user_from(py: Python<'_>, mapping: &Bound<'_, PyAny>) -> PyResult<StripeUser> {
    let mapping = mapping.cast::<PyMapping>().map_err(|_| {
        PyTypeError::new_err("stripe_user must be a mapping of field name to value, such as a dict")
    })?;

    let mut stripe_user = StripeUser::new();
    for item in mapping.items()?.iter() {
        let (name, value): (Bound<'_, PyString>, Bound<'_, PyAny>) = item.extract()?;
        let name = text(&name, "stripe_user")?;
        let field = StripeUserField::from_name(&name).map_err(converter(py))?;
        if let Some(prefill) = prefill_text(&name, &value)? {
            stripe_user.set(field, prefill);
        }
    }
    Ok(stripe_user)
}

fn prefill_text(name: &str, value: &Bound<'_, PyAny>) -> PyResult<Option<String>> {
    if value.is_none() {
        return Ok(None);
    }
    // `bool` comes before `int`, because Python's `True` is also an `int`.
    if let Ok(flag) = value.cast::<PyBool>() {
        let literal = if flag.is_true() { "true" } else { "false" };
        return Ok(Some(literal.to_owned()));
    }
    if value.is_instance_of::<PyInt>() {
        return prefill_int(name, value).map(Some);
    }
    if let Ok(value) = value.cast::<PyString>() {
        return labelled_text(value, "stripe_user", &format!("stripe_user[{name}]")).map(Some);
    }
    Err(PyTypeError::new_err(format!(
        "stripe_user[{name}] must be a str, int or bool, not {}",
        value.get_type().name()?
    )))
}

/// Formats an `int` prefill value in decimal. The range is that of the `i64` it is read into.
fn prefill_int(name: &str, value: &Bound<'_, PyAny>) -> PyResult<String> {
    let py = value.py();
    match value.extract::<i64>() {
        Ok(number) => Ok(number.to_string()),
        Err(error) if error.is_instance_of::<PyOverflowError>(py) => Err(invalid_argument(
            py,
            "stripe_user",
            format!("stripe_user[{name}] must be an int from -2**63 to 2**63 - 1"),
        )),
        Err(error) => Err(error),
    }
}

/// Reads `extra` as a mapping or as an iterable of `(key, value)` pairs, keeping their order.
fn extra_pairs(extra: &Bound<'_, PyAny>) -> PyResult<Vec<(String, String)>> {
    let pairs = match extra.cast::<PyMapping>() {
        Ok(mapping) => mapping.items()?.into_any(),
        Err(_) => extra.clone(),
    };
    let pairs: Vec<(Bound<'_, PyString>, Bound<'_, PyString>)> = pairs.extract().map_err(|_| {
        PyTypeError::new_err(
            "extra must be a mapping of str to str or a sequence of (str, str) pairs",
        )
    })?;
    pairs
        .iter()
        .map(|(key, value)| Ok((text(key, "extra")?, text(value, "extra")?)))
        .collect()
}
