//! Conversion of the core's errors into the exception classes of `stripe_connect_oauth._errors`.
//!
//! The classes are written in Python, so they pickle and can be subclassed like any other
//! exception. Each one has a `kind` class attribute equal to the core's `ErrorKind::as_str()`,
//! and the Python module maps those names to classes in `CLASSES_BY_KIND`.

use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyType};
use stripe_connect_oauth::{Error, ErrorKind};

use crate::results::TokenResponse;

const ERRORS_MODULE: &str = "stripe_connect_oauth._errors";

static CLASSES_BY_KIND: PyOnceLock<Py<PyDict>> = PyOnceLock::new();
static BASE_CLASS: PyOnceLock<Py<PyType>> = PyOnceLock::new();

/// Converts a core error into the matching Python exception.
pub(crate) fn to_py_err(py: Python<'_>, error: Error) -> PyErr {
    match exception(py, error) {
        Ok(exception) => PyErr::from_value(exception),
        // Only a broken installation (a missing or edited `_errors` module) ends up here.
        Err(import_error) => import_error,
    }
}

/// Returns a function that converts core errors, for `map_err`.
pub(crate) fn converter(py: Python<'_>) -> impl Fn(Error) -> PyErr + '_ {
    move |error| to_py_err(py, error)
}

fn exception(py: Python<'_>, error: Error) -> PyResult<Bound<'_, PyAny>> {
    let class = class_for(py, error.kind())?;
    let message = error.to_string();

    let attributes = PyDict::new(py);
    attributes.set_item("http_status", error.http_status())?;
    attributes.set_item("may_have_been_processed", error.may_have_been_processed())?;
    attributes.set_item("retry_after", seconds(error.retry_after()))?;
    add_family_attributes(py, &attributes, error)?;

    class.call((message,), Some(&attributes))
}

fn class_for(py: Python<'_>, kind: ErrorKind) -> PyResult<Bound<'_, PyAny>> {
    let classes = CLASSES_BY_KIND.import(py, ERRORS_MODULE, "CLASSES_BY_KIND")?;
    match classes.get_item(kind.as_str())? {
        Some(class) => Ok(class),
        // A family newer than the Python module still raises the package's base class.
        None => Ok(BASE_CLASS
            .import(py, ERRORS_MODULE, "StripeConnectOAuthError")?
            .clone()
            .into_any()),
    }
}

fn seconds(delay: Option<std::time::Duration>) -> Option<f64> {
    delay.map(|delay| delay.as_secs_f64())
}

/// Adds the fields that only one family has, under the names the Python classes document.
fn add_family_attributes(
    py: Python<'_>,
    attributes: &Bound<'_, PyDict>,
    error: Error,
) -> PyResult<()> {
    match error {
        Error::InvalidInput { parameter, .. } => attributes.set_item("parameter", parameter),
        Error::DuplicateParameter { name } => attributes.set_item("parameter", name),
        Error::AccessDenied { description } => {
            attributes.set_item("error_description", description)
        }
        Error::Authorize { error, description } => {
            attributes.set_item("error", error.as_str())?;
            attributes.set_item("error_description", description)
        }
        Error::OAuth(oauth) => {
            attributes.set_item("error", oauth.error.as_str())?;
            attributes.set_item("error_description", oauth.error_description)
        }
        Error::Api(api) => {
            attributes.set_item("message", api.message)?;
            attributes.set_item("error_type", api.error_type)?;
            attributes.set_item("code", api.code)?;
            attributes.set_item("param", api.param)
        }
        Error::UnexpectedResponse(response) => {
            attributes.set_item("content_type", response.content_type)?;
            attributes.set_item("body_excerpt", response.body_excerpt)?;
            attributes.set_item("reason", response.reason)
        }
        Error::ModeMismatch {
            key_livemode,
            response,
        } => {
            attributes.set_item("key_livemode", key_livemode)?;
            let token = Bound::new(py, TokenResponse::from(*response))?;
            attributes.set_item("token", token)
        }
        // The other families carry nothing beyond their message and the common attributes.
        _ => Ok(()),
    }
}

/// Raises `ConfigurationError` for a Python argument that has no core type to check it, such as
/// a timeout that is not a positive number of seconds or a `str` that UTF-8 cannot encode.
pub(crate) fn invalid_argument(py: Python<'_>, parameter: &'static str, message: String) -> PyErr {
    to_py_err(py, Error::InvalidInput { parameter, message })
}
