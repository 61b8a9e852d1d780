//! Conversion of `Client.authorize_url` keyword arguments into the core's `AuthorizeParams`.
//!
//! Values are only converted here; the core checks them when it builds the URL.

use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyInt, PyMapping, PyString};
use stripe_connect_oauth::{
    AuthorizeParams, Scope, State, StripeLanding, StripeUser, StripeUserField,
};

use crate::errors::converter;

/// The keyword arguments of `Client.authorize_url`, as extracted by PyO3.
pub(crate) struct AuthorizeArguments<'py> {
    pub(crate) express: bool,
    pub(crate) redirect_uri: Option<String>,
    pub(crate) state: Option<String>,
    pub(crate) scope: Option<String>,
    pub(crate) stripe_landing: Option<String>,
    pub(crate) always_prompt: Option<bool>,
    pub(crate) stripe_user: Option<Bound<'py, PyAny>>,
    pub(crate) suggested_capabilities: Option<Vec<String>>,
    pub(crate) extra: Option<Bound<'py, PyAny>>,
}

impl AuthorizeArguments<'_> {
    pub(crate) fn into_params(self, py: Python<'_>) -> PyResult<AuthorizeParams> {
        let mut params = if self.express {
            AuthorizeParams::express()
        } else {
            AuthorizeParams::standard()
        };

        if let Some(redirect_uri) = self.redirect_uri {
            params = params.redirect_uri(redirect_uri);
        }
        if let Some(scope) = self.scope {
            params = params.scope(Scope::parse(&scope).map_err(converter(py))?);
        }
        if let Some(state) = self.state {
            params = params.state(State::new(state).map_err(converter(py))?);
        }
        if let Some(stripe_landing) = self.stripe_landing {
            params = params
                .stripe_landing(StripeLanding::parse(&stripe_landing).map_err(converter(py))?);
        }
        if let Some(always_prompt) = self.always_prompt {
            params = params.always_prompt(always_prompt);
        }
        for capability in self.suggested_capabilities.into_iter().flatten() {
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
        let (name, value): (String, Bound<'_, PyAny>) = item.extract()?;
        let field = StripeUserField::from_name(&name).map_err(converter(py))?;
        if let Some(text) = prefill_text(&name, &value)? {
            stripe_user.set(field, text);
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
        let text = if flag.is_true() { "true" } else { "false" };
        return Ok(Some(text.to_owned()));
    }
    if value.is_instance_of::<PyInt>() {
        return Ok(Some(value.extract::<i64>()?.to_string()));
    }
    if value.is_instance_of::<PyString>() {
        return Ok(Some(value.extract::<String>()?));
    }
    Err(PyTypeError::new_err(format!(
        "stripe_user[{name}] must be a str, int or bool, not {}",
        value.get_type().name()?
    )))
}

/// Reads `extra` as a mapping or as an iterable of `(key, value)` pairs, keeping their order.
fn extra_pairs(extra: &Bound<'_, PyAny>) -> PyResult<Vec<(String, String)>> {
    let pairs = match extra.cast::<PyMapping>() {
        Ok(mapping) => mapping.items()?.into_any(),
        Err(_) => extra.clone(),
    };
    pairs.extract().map_err(|_| {
        PyTypeError::new_err(
            "extra must be a mapping of str to str or a sequence of (str, str) pairs",
        )
    })
}
