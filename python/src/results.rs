//! Immutable result objects: the parsed callback and the token response.
//!
//! Their `repr` shows `'***'` in place of an authorization code, access token or refresh token;
//! the attributes themselves hold the real values. Both compare equal field by field and pickle
//! through their constructor. They hash like the tuple of their fields, so the hash of a secret
//! is salted per process like any Python `str` hash. PyO3's `hash` option would instead use
//! Rust's `DefaultHasher::new()`, whose keys are fixed.

use pyo3::prelude::*;
use pyo3::types::{PyString, PyTuple};

use crate::arguments::{optional_text, text, text_list};

const REDACTED: &str = "'***'";

/// Formats a value as Python's `repr` would.
fn repr_text(py: Python<'_>, value: Option<&str>) -> PyResult<String> {
    match value {
        Some(value) => Ok(PyString::new(py, value).repr()?.to_string()),
        None => Ok("None".to_owned()),
    }
}

/// Returns the redacted form of a secret that may be absent.
fn redacted(value: Option<&str>) -> &'static str {
    if value.is_some() { REDACTED } else { "None" }
}

fn bool_text(value: bool) -> &'static str {
    if value { "True" } else { "False" }
}

/// A successful callback: the single-use authorization code and the granted scope.
#[pyclass(frozen, eq, module = "stripe_connect_oauth._native")]
#[derive(PartialEq)]
pub(crate) struct Callback {
    #[pyo3(get)]
    code: String,
    #[pyo3(get)]
    scope: Option<String>,
}

impl From<stripe_connect_oauth::Callback> for Callback {
    fn from(callback: stripe_connect_oauth::Callback) -> Self {
        let (code, scope) = callback.into_parts();
        Self {
            code: code.secret().to_owned(),
            scope,
        }
    }
}

#[pymethods]
impl Callback {
    /// Creates a callback from its fields, for pickling and for tests of code that uses
    /// `parse_callback`, which returns the real ones.
    #[new]
    #[pyo3(signature = (code, scope = None))]
    fn new(code: Bound<'_, PyString>, scope: Option<Bound<'_, PyString>>) -> PyResult<Self> {
        Ok(Self {
            code: text(&code, "code")?,
            scope: optional_text(scope, "scope")?,
        })
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        Ok(format!(
            "Callback(code={REDACTED}, scope={})",
            repr_text(py, self.scope.as_deref())?
        ))
    }

    fn __hash__(slf: &Bound<'_, Self>) -> PyResult<isize> {
        Self::__getnewargs__(slf)?.hash()
    }

    /// Returns the constructor's arguments, which `pickle` and `copy` use.
    fn __getnewargs__<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyTuple>> {
        let callback = slf.get();
        (&callback.code, &callback.scope).into_pyobject(slf.py())
    }
}

/// A successful token response: the connected account and what Stripe granted.
#[pyclass(frozen, eq, module = "stripe_connect_oauth._native")]
#[derive(PartialEq)]
pub(crate) struct TokenResponse {
    #[pyo3(get)]
    stripe_user_id: String,
    #[pyo3(get)]
    livemode: bool,
    #[pyo3(get)]
    scope: Option<String>,
    #[pyo3(get)]
    token_type: Option<String>,
    #[pyo3(get)]
    access_token: Option<String>,
    #[pyo3(get)]
    refresh_token: Option<String>,
    #[pyo3(get)]
    stripe_publishable_key: Option<String>,
    capabilities: Vec<String>,
}

impl From<stripe_connect_oauth::TokenResponse> for TokenResponse {
    fn from(token: stripe_connect_oauth::TokenResponse) -> Self {
        Self {
            stripe_user_id: token.stripe_user_id().as_str().to_owned(),
            livemode: token.livemode(),
            scope: token.scope().map(str::to_owned),
            token_type: token.token_type().map(str::to_owned),
            access_token: token.access_token().map(|t| t.secret().to_owned()),
            refresh_token: token.refresh_token().map(|t| t.secret().to_owned()),
            stripe_publishable_key: token.stripe_publishable_key().map(str::to_owned),
            capabilities: token.capabilities().to_vec(),
        }
    }
}

#[pymethods]
impl TokenResponse {
    /// Creates a token response from its fields, for pickling and for tests of code that uses
    /// the client; the client's methods return the real ones.
    #[new]
    #[pyo3(signature = (
        stripe_user_id,
        livemode,
        scope = None,
        token_type = None,
        access_token = None,
        refresh_token = None,
        stripe_publishable_key = None,
        capabilities = Vec::new(),
    ))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        stripe_user_id: Bound<'_, PyString>,
        livemode: bool,
        scope: Option<Bound<'_, PyString>>,
        token_type: Option<Bound<'_, PyString>>,
        access_token: Option<Bound<'_, PyString>>,
        refresh_token: Option<Bound<'_, PyString>>,
        stripe_publishable_key: Option<Bound<'_, PyString>>,
        capabilities: Vec<Bound<'_, PyString>>,
    ) -> PyResult<Self> {
        Ok(Self {
            stripe_user_id: text(&stripe_user_id, "stripe_user_id")?,
            livemode,
            scope: optional_text(scope, "scope")?,
            token_type: optional_text(token_type, "token_type")?,
            access_token: optional_text(access_token, "access_token")?,
            refresh_token: optional_text(refresh_token, "refresh_token")?,
            stripe_publishable_key: optional_text(
                stripe_publishable_key,
                "stripe_publishable_key",
            )?,
            capabilities: text_list(Some(capabilities), "capabilities")?,
        })
    }

    /// The capabilities Stripe confirmed, as a tuple so that the result stays immutable.
    #[getter]
    fn capabilities<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        PyTuple::new(py, &self.capabilities)
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        let capabilities = self.capabilities(py)?.repr()?.to_string();
        Ok(format!(
            "TokenResponse(stripe_user_id={}, livemode={}, scope={}, token_type={}, \
             access_token={}, refresh_token={}, stripe_publishable_key={}, capabilities={})",
            repr_text(py, Some(&self.stripe_user_id))?,
            bool_text(self.livemode),
            repr_text(py, self.scope.as_deref())?,
            repr_text(py, self.token_type.as_deref())?,
            redacted(self.access_token.as_deref()),
            redacted(self.refresh_token.as_deref()),
            repr_text(py, self.stripe_publishable_key.as_deref())?,
            capabilities,
        ))
    }

    fn __hash__(slf: &Bound<'_, Self>) -> PyResult<isize> {
        Self::__getnewargs__(slf)?.hash()
    }

    /// Returns the constructor's arguments, which `pickle` and `copy` use.
    fn __getnewargs__<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyTuple>> {
        let py = slf.py();
        let token = slf.get();
        (
            &token.stripe_user_id,
            token.livemode,
            &token.scope,
            &token.token_type,
            &token.access_token,
            &token.refresh_token,
            &token.stripe_publishable_key,
            token.capabilities(py)?,
        )
            .into_pyobject(py)
    }
}
