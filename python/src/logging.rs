//! The bridge from Rust `log` records to Python's `logging`, through pyo3-log.
//!
//! The bridge is registered with `log` when the module is imported, but the pyo3-log logger
//! behind it, which imports Python's `logging` (about 10 ms for a bare CPython 3.11 on a 2-core VM), is created
//! only when the first record that can pass arrives.
//!
//! An exception raised by a Python filter or handler never reaches the caller of the function
//! that logged: the bridge reports it through `sys.unraisablehook` and the call goes on. The
//! record may be logged in the middle of a request, after an authorization code was spent, so
//! raising then would lose the result.

use std::sync::OnceLock;

use log::{Level, LevelFilter, Log, Metadata, Record};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3_log::{Caching, Logger};

/// The target of the core crate's records, which become the Python logger
/// `stripe_connect_oauth.client` (pyo3-log replaces `::` with `.`).
const CORE_TARGET: &str = "stripe_connect_oauth";

/// The pyo3-log logger, created on first use while attached to the interpreter.
static LOGGER: PyOnceLock<Logger> = PyOnceLock::new();

/// The same logger once created, read without attaching to the interpreter.
static CREATED: OnceLock<&'static Logger> = OnceLock::new();

/// Returns the most verbose level passed for a target.
///
/// The core's records pass from `debug` up. Records of the crates below it (ureq, rustls) pass
/// from `warn` up only, so turning on `DEBUG` for the root logger shows one line per request and
/// not the HTTP client's connection chatter.
fn level_for(target: &str) -> LevelFilter {
    let is_core = target
        .strip_prefix(CORE_TARGET)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with("::"));
    if is_core {
        LevelFilter::Debug
    } else {
        LevelFilter::Warn
    }
}

fn passes(metadata: &Metadata<'_>) -> bool {
    metadata.level() <= level_for(metadata.target())
}

fn create(py: Python<'_>) -> PyResult<Logger> {
    // Python logger levels are cached on first use. After that, a record below the level is
    // dropped without attaching to the interpreter. `reset_logging_cache` drops the cache.
    Ok(Logger::new(py, Caching::LoggersAndLevels)?
        .filter(LevelFilter::Warn)
        .filter_target(CORE_TARGET.to_owned(), LevelFilter::Debug))
}

/// Returns the pyo3-log logger, creating it on the first call.
///
/// `None` means that it could not be created, as while the interpreter shuts down; a later call
/// tries again.
fn logger() -> Option<&'static Logger> {
    if let Some(logger) = CREATED.get() {
        return Some(logger);
    }
    Python::try_attach(|py| {
        let logger: &'static Logger = LOGGER.get_or_try_init(py, || create(py)).ok()?;
        Some(*CREATED.get_or_init(|| logger))
    })
    .flatten()
}

/// The `log` logger of this module: a filter in front of the lazily created pyo3-log logger.
struct Bridge;

impl Log for Bridge {
    fn enabled(&self, metadata: &Metadata<'_>) -> bool {
        passes(metadata) && logger().is_some_and(|logger| logger.enabled(metadata))
    }

    fn log(&self, record: &Record<'_>) {
        if !passes(record.metadata()) {
            return;
        }
        let Some(logger) = logger() else {
            return;
        };
        // A record below a cached Python level is dropped here, without attaching.
        if !logger.enabled(record.metadata()) {
            return;
        }
        Python::try_attach(|py| log_reporting_failure(py, logger, record));
    }

    fn flush(&self) {}
}

/// Passes a record to pyo3-log and reports any exception that Python's `logging` raised.
///
/// pyo3-log restores such an exception as the thread's pending exception. Left there, it makes
/// the Python function that is running fail with `SystemError` ("returned a result with an
/// exception set"), or it would be raised by some later, unrelated call. An exception that was
/// already pending before the record stays pending.
fn log_reporting_failure(py: Python<'_>, logger: &Logger, record: &Record<'_>) {
    let earlier = PyErr::take(py);
    logger.log(record);
    if let Some(failure) = PyErr::take(py) {
        let python_logger = python_logger(py, record.target());
        failure.write_unraisable(py, python_logger.as_ref());
    }
    if let Some(earlier) = earlier {
        earlier.restore(py);
    }
}

/// Returns the Python logger that pyo3-log uses for a target, to name it in the report.
fn python_logger<'py>(py: Python<'py>, target: &str) -> Option<Bound<'py, PyAny>> {
    let name = target.replace("::", ".");
    let found = py
        .import("logging")
        .and_then(|logging| logging.call_method1("getLogger", (name,)));
    // On failure the report names no logger, and dropping the error keeps nothing pending.
    found.ok()
}

static BRIDGE: Bridge = Bridge;

/// Registers the bridge with `log` once per process.
pub(crate) fn install() {
    // `set_logger` fails only when a logger is already set, as after a second import of the
    // module in another interpreter. The first bridge then keeps working.
    if log::set_logger(&BRIDGE).is_ok() {
        log::set_max_level(Level::Debug.to_level_filter());
    }
}

/// Drops the cached Python loggers and levels, so a changed logging configuration applies.
#[pyfunction]
pub(crate) fn reset_logging_cache() {
    if let Some(logger) = CREATED.get() {
        logger.reset_handle().reset();
    }
}
