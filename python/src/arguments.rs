//! Conversion of Python arguments whose failures PyO3 would report with the wrong exception.
//!
//! PyO3 raises `UnicodeEncodeError` for a `str` that is not valid UTF-8, and that exception
//! carries the whole string in its `object` attribute, its `args` and its pickle. The string may
//! be a secret key, a code or a token. So every `str` argument of the module is extracted as a
//! `PyString` and converted here, where a failure becomes a `ConfigurationError` that names the
//! parameter and never the value. Numbers out of range become `ConfigurationError` too, in
//! place of `OverflowError`.

use std::time::Duration;

use pyo3::exceptions::{PyOverflowError, PyUnicodeEncodeError};
use pyo3::prelude::*;
use pyo3::types::PyString;

use crate::errors::invalid_argument;

/// Returns the text of a `str` argument.
///
/// A lone surrogate (U+D800 to U+DFFF) is the only thing a Python `str` can hold that UTF-8
/// cannot encode, so that is the problem the error names.
pub(crate) fn text(value: &Bound<'_, PyString>, parameter: &'static str) -> PyResult<String> {
    labelled_text(value, parameter, parameter)
}

/// Returns the text of a `str` argument, naming it `label` in the error message, such as
/// `stripe_user[email]` for one value of the `stripe_user` parameter.
pub(crate) fn labelled_text(
    value: &Bound<'_, PyString>,
    parameter: &'static str,
    label: &str,
) -> PyResult<String> {
    let py = value.py();
    match value.to_cow() {
        Ok(text) => Ok(text.into_owned()),
        // The `UnicodeEncodeError` contains the value, so it is dropped here, not chained.
        Err(error) if error.is_instance_of::<PyUnicodeEncodeError>(py) => Err(invalid_argument(
            py,
            parameter,
            format!("{label} contains a lone surrogate (U+D800..U+DFFF), which is not valid text"),
        )),
        Err(error) => Err(error),
    }
}

/// Returns the text of an optional `str` argument.
pub(crate) fn optional_text(
    value: Option<Bound<'_, PyString>>,
    parameter: &'static str,
) -> PyResult<Option<String>> {
    value.map(|value| text(&value, parameter)).transpose()
}

/// Returns the texts of an optional sequence of `str`, empty when the argument is `None`.
pub(crate) fn text_list(
    values: Option<Vec<Bound<'_, PyString>>>,
    parameter: &'static str,
) -> PyResult<Vec<String>> {
    values
        .into_iter()
        .flatten()
        .map(|value| text(&value, parameter))
        .collect()
}

/// Extracts `retries`, for `#[pyo3(from_py_with)]`: `None`, or an int that fits in a `u32`.
pub(crate) fn retry_count(value: &Bound<'_, PyAny>) -> PyResult<Option<u32>> {
    if value.is_none() {
        return Ok(None);
    }
    let py = value.py();
    value.extract::<u32>().map(Some).map_err(|error| {
        if error.is_instance_of::<PyOverflowError>(py) {
            invalid_argument(
                py,
                "retries",
                format!("retries must be an int from 0 to {}", u32::MAX),
            )
        } else {
            error
        }
    })
}

/// Extracts `timeout`, for `#[pyo3(from_py_with)]`.
pub(crate) fn timeout(value: &Bound<'_, PyAny>) -> PyResult<Option<Duration>> {
    positive_seconds(value, "timeout")
}

/// Extracts `connect_timeout`, for `#[pyo3(from_py_with)]`.
pub(crate) fn connect_timeout(value: &Bound<'_, PyAny>) -> PyResult<Option<Duration>> {
    positive_seconds(value, "connect_timeout")
}

/// Extracts `retry_backoff`, for `#[pyo3(from_py_with)]`. Zero means no wait between tries.
pub(crate) fn retry_backoff(value: &Bound<'_, PyAny>) -> PyResult<Option<Duration>> {
    let rule = "a finite number of seconds, 0 or more";
    let Some(seconds) = seconds(value, "retry_backoff", rule)? else {
        return Ok(None);
    };
    Duration::try_from_secs_f64(seconds)
        .map(Some)
        .map_err(|_| invalid_seconds(value.py(), "retry_backoff", rule))
}

/// Extracts a time limit: `None`, or a finite number of seconds of at least one nanosecond.
///
/// Zero is rejected in both roles, because neither acts as a limit of zero. A zero request
/// timeout fails every request, possibly after sending it, and a zero connect timeout does not
/// stop ureq 3 from connecting.
fn positive_seconds(
    value: &Bound<'_, PyAny>,
    parameter: &'static str,
) -> PyResult<Option<Duration>> {
    let rule = "a finite number of seconds greater than 0, at least 1e-9 (one nanosecond)";
    let Some(seconds) = seconds(value, parameter, rule)? else {
        return Ok(None);
    };
    match Duration::try_from_secs_f64(seconds) {
        Ok(duration) if !duration.is_zero() => Ok(Some(duration)),
        _ => Err(invalid_seconds(value.py(), parameter, rule)),
    }
}

/// Extracts `None` or a `float`, with an int too large for a `float` reported by `rule`.
fn seconds(value: &Bound<'_, PyAny>, parameter: &'static str, rule: &str) -> PyResult<Option<f64>> {
    if value.is_none() {
        return Ok(None);
    }
    let py = value.py();
    value.extract::<f64>().map(Some).map_err(|error| {
        if error.is_instance_of::<PyOverflowError>(py) {
            invalid_seconds(py, parameter, rule)
        } else {
            error
        }
    })
}

fn invalid_seconds(py: Python<'_>, parameter: &'static str, rule: &str) -> PyErr {
    invalid_argument(py, parameter, format!("{parameter} must be {rule}"))
}
