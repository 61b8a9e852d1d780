//! The private native module `stripe_connect_oauth._native`.
//!
//! This crate converts Python arguments into the core crate's types, calls the core, and converts
//! results and errors back. Every check and decision belongs to the core; the module only
//! translates. The public package is `stripe_connect_oauth`, whose `_native.pyi` stub carries the
//! documentation that Python users read.

mod arguments;
mod authorize;
mod callback;
mod client;
mod errors;
mod logging;
mod results;

use pyo3::prelude::*;

/// Native part of the `stripe_connect_oauth` package; import the package instead.
#[pymodule(name = "_native")]
mod native {
    use pyo3::prelude::*;

    #[pymodule_export]
    use crate::callback::{generate_state, parse_callback};
    #[pymodule_export]
    use crate::client::Client;
    #[pymodule_export]
    use crate::logging::reset_logging_cache;
    #[pymodule_export]
    use crate::results::{Callback, TokenResponse};

    #[pymodule_init]
    fn init(module: &Bound<'_, PyModule>) -> PyResult<()> {
        module.add("__version__", env!("CARGO_PKG_VERSION"))?;
        crate::logging::install();
        Ok(())
    }
}
