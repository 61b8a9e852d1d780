//! The module-level functions of the authorization flow: `generate_state` and `parse_callback`.

use pyo3::prelude::*;
use stripe_connect_oauth::State;

use crate::errors::converter;
use crate::results::Callback;

/// Generates a CSRF state of 43 base64url characters from the operating system's CSPRNG.
#[pyfunction]
pub(crate) fn generate_state(py: Python<'_>) -> PyResult<String> {
    let state = State::generate().map_err(converter(py))?;
    Ok(state.as_str().to_owned())
}

/// Parses the callback URL (or its query string) and checks its state before anything else.
#[pyfunction]
pub(crate) fn parse_callback(
    py: Python<'_>,
    url: &str,
    expected_state: &str,
) -> PyResult<Callback> {
    let expected_state = State::new(expected_state).map_err(converter(py))?;
    let callback =
        stripe_connect_oauth::parse_callback(url, &expected_state).map_err(converter(py))?;
    Ok(Callback::from(callback))
}
