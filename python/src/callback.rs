//! The module-level functions of the authorization flow: `generate_state` and `parse_callback`.

use pyo3::prelude::*;
use pyo3::types::PyString;
use stripe_connect_oauth::State;

use crate::arguments::text;
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
    url: Bound<'_, PyString>,
    expected_state: Bound<'_, PyString>,
) -> PyResult<Callback> {
    let url = text(&url, "url")?;
    let expected_state =
        State::new(text(&expected_state, "expected_state")?).map_err(converter(py))?;
    let callback =
        stripe_connect_oauth::parse_callback(&url, &expected_state).map_err(converter(py))?;
    Ok(Callback::from(callback))
}
