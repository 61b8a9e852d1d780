//! Immutable result objects: the parsed callback and the token response.
//!
//! Their `repr` shows `'***'` in place of an authorization code, access token or refresh token;
//! the attributes themselves hold the real values.

use pyo3::prelude::*;
use pyo3::types::{PyString, PyTuple};

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
#[pyclass(frozen, module = "stripe_connect_oauth._native")]
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
    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        Ok(format!(
            "Callback(code={REDACTED}, scope={})",
            repr_text(py, self.scope.as_deref())?
        ))
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
        stripe_user_id: String,
        livemode: bool,
        scope: Option<String>,
        token_type: Option<String>,
        access_token: Option<String>,
        refresh_token: Option<String>,
        stripe_publishable_key: Option<String>,
        capabilities: Vec<String>,
    ) -> Self {
        Self {
            stripe_user_id,
            livemode,
            scope,
            token_type,
            access_token,
            refresh_token,
            stripe_publishable_key,
            capabilities,
        }
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

    fn __reduce__<'py>(
        slf: &Bound<'py, Self>,
    ) -> PyResult<(Bound<'py, PyAny>, Bound<'py, PyTuple>)> {
        let py = slf.py();
        let token = slf.get();
        let arguments = (
            &token.stripe_user_id,
            token.livemode,
            &token.scope,
            &token.token_type,
            &token.access_token,
            &token.refresh_token,
            &token.stripe_publishable_key,
            token.capabilities(py)?,
        )
            .into_pyobject(py)?;
        Ok((slf.get_type().into_any(), arguments))
    }
}
