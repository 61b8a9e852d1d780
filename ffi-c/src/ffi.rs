//! Checked conversions of C arguments and results: the NULL checks, UTF-8 checks and
//! out-parameters that every exported function goes through.

use std::ffi::{CStr, CString, c_char};

/// The failure of an exported function, before it becomes a status and a `sco_error`.
#[derive(Debug)]
pub(crate) enum Failure {
    /// An error from the Rust core.
    Core(oauth::Error),
    /// An argument that the binding rejected before calling the core.
    Argument {
        /// The name of the argument in the header, such as `code` or `token_out`.
        parameter: &'static str,
        /// The problem, phrased as the end of a sentence about the argument.
        problem: String,
    },
    /// A panic caught by the boundary.
    Panic,
}

impl From<oauth::Error> for Failure {
    fn from(error: oauth::Error) -> Self {
        Self::Core(error)
    }
}

impl Failure {
    pub(crate) fn argument(parameter: &'static str, problem: impl Into<String>) -> Self {
        Self::Argument {
            parameter,
            problem: problem.into(),
        }
    }

    /// An integer argument that is not one of its `SCO_*` values.
    pub(crate) fn out_of_range(parameter: &'static str, value: i64, expected: &str) -> Self {
        Self::argument(parameter, format!("is {value}, which is not {expected}"))
    }
}

/// An opaque handle type, named in messages about NULL handles.
pub(crate) trait Handle {
    /// The C type name, such as `sco_client`.
    const TYPE_NAME: &'static str;
    /// The function that creates the handle.
    const CONSTRUCTOR: &'static str;
}

fn null_handle<T: Handle>(parameter: &'static str) -> Failure {
    Failure::argument(
        parameter,
        format!(
            "is NULL: pass a {} created by {}",
            T::TYPE_NAME,
            T::CONSTRUCTOR
        ),
    )
}

/// Borrows the handle behind `pointer`.
///
/// # Safety
///
/// `pointer` is NULL or points to a live `T` that no thread mutates during the call.
pub(crate) unsafe fn borrow<'a, T: Handle>(
    pointer: *const T,
    parameter: &'static str,
) -> Result<&'a T, Failure> {
    // SAFETY: the caller guarantees that a non-NULL pointer is live and not mutated meanwhile.
    unsafe { pointer.as_ref() }.ok_or_else(|| null_handle::<T>(parameter))
}

/// Borrows the handle behind `pointer` for mutation.
///
/// # Safety
///
/// `pointer` is NULL or points to a live `T` that no other thread uses during the call.
pub(crate) unsafe fn borrow_mut<'a, T: Handle>(
    pointer: *mut T,
    parameter: &'static str,
) -> Result<&'a mut T, Failure> {
    // SAFETY: the caller guarantees that a non-NULL pointer is live and used by no one else.
    unsafe { pointer.as_mut() }.ok_or_else(|| null_handle::<T>(parameter))
}

/// Borrows an optional handle: NULL means "use the defaults".
///
/// # Safety
///
/// `pointer` is NULL or points to a live `T` that no thread mutates during the call.
pub(crate) unsafe fn borrow_optional<'a, T>(pointer: *const T) -> Option<&'a T> {
    // SAFETY: the caller guarantees that a non-NULL pointer is live and not mutated meanwhile.
    unsafe { pointer.as_ref() }
}

/// Reads a NUL-terminated UTF-8 string argument.
///
/// # Safety
///
/// `pointer` is NULL or points to a NUL-terminated string that stays unchanged during the call.
pub(crate) unsafe fn text<'a>(
    pointer: *const c_char,
    parameter: &'static str,
) -> Result<&'a str, Failure> {
    if pointer.is_null() {
        return Err(Failure::argument(
            parameter,
            "is NULL: pass a NUL-terminated UTF-8 string",
        ));
    }
    // SAFETY: the pointer is not NULL, and the caller guarantees a NUL-terminated string that
    // stays unchanged for the whole call, which is as long as the returned borrow is used.
    let bytes = unsafe { CStr::from_ptr(pointer) }.to_bytes();
    std::str::from_utf8(bytes).map_err(|_| {
        Failure::argument(
            parameter,
            "is not valid UTF-8: convert the text to UTF-8 first",
        )
    })
}

/// Reads an optional NUL-terminated UTF-8 string argument, where NULL means "absent".
///
/// # Safety
///
/// As for [`text`].
pub(crate) unsafe fn optional_text<'a>(
    pointer: *const c_char,
    parameter: &'static str,
) -> Result<Option<&'a str>, Failure> {
    if pointer.is_null() {
        return Ok(None);
    }
    // SAFETY: forwarded from the caller.
    unsafe { text(pointer, parameter) }.map(Some)
}

/// An out-parameter, checked for NULL before any work is done and written only on success.
pub(crate) struct Output<'a, T> {
    slot: &'a mut T,
}

impl<T> Output<'_, T> {
    /// Stores the result. Called last, once nothing can fail any more.
    pub(crate) fn write(self, value: T) {
        *self.slot = value;
    }
}

/// Checks an out-parameter for NULL.
///
/// # Safety
///
/// `pointer` is NULL or points to a writable, aligned `T` that no other thread uses during the
/// call.
pub(crate) unsafe fn output<'a, T>(
    pointer: *mut T,
    parameter: &'static str,
) -> Result<Output<'a, T>, Failure> {
    // SAFETY: the caller guarantees that a non-NULL pointer is writable and used by no one else.
    let slot = unsafe { pointer.as_mut() }.ok_or_else(|| {
        Failure::argument(
            parameter,
            "is NULL: pass the address of a variable that receives the result",
        )
    })?;
    Ok(Output { slot })
}

/// Moves a value to the heap and hands it to C as a handle, freed by [`free`].
pub(crate) fn into_handle<T>(value: T) -> *mut T {
    Box::into_raw(Box::new(value))
}

/// Frees a handle created by [`into_handle`]; NULL is ignored.
///
/// # Safety
///
/// `pointer` is NULL or came from [`into_handle`] with the same `T` and was not freed yet.
pub(crate) unsafe fn free<T>(pointer: *mut T) {
    if pointer.is_null() {
        return;
    }
    // SAFETY: the caller guarantees that the pointer came from `Box::into_raw` in
    // `into_handle` and is freed only once.
    drop(unsafe { Box::from_raw(pointer) });
}

/// Returns a borrowed C string from an optional owned one, NULL when absent.
pub(crate) fn as_ptr_or_null(value: Option<&CString>) -> *const c_char {
    value.map_or(std::ptr::null(), |value| value.as_ptr())
}

/// Converts text for C, failing with `on_nul` when it contains a NUL byte, which a C string
/// cannot carry. For values that the caller uses, where a cut or replaced value would be wrong.
pub(crate) fn exact_c_string(
    value: &str,
    on_nul: impl FnOnce() -> oauth::Error,
) -> Result<CString, Failure> {
    CString::new(value).map_err(|_| Failure::Core(on_nul()))
}

/// Converts text for C, replacing each NUL byte with U+FFFD. For messages only.
pub(crate) fn lossy_c_string(value: &str) -> CString {
    let cleaned = value.replace('\0', "\u{FFFD}");
    CString::new(cleaned).unwrap_or_default()
}
