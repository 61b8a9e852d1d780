//! The error type of every operation in this crate.

use std::fmt;
use std::time::Duration;

use crate::redact::sanitize_server_text;
use crate::response::TokenResponse;

/// An OAuth error code, from Stripe's OAuth reference and RFC 6749 §5.2, with a catch-all that
/// keeps codes this version does not know.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum OAuthErrorCode {
    /// `invalid_grant`: the code or refresh token is unknown, expired, used or revoked.
    InvalidGrant,
    /// `invalid_request`: a parameter is missing or invalid.
    InvalidRequest,
    /// `invalid_client`: the credential or client_id is unknown.
    InvalidClient,
    /// `invalid_scope`: the requested scope is invalid or wider than granted.
    InvalidScope,
    /// `unsupported_grant_type`: the `grant_type` is not supported.
    UnsupportedGrantType,
    /// `unsupported_response_type`: the `response_type` is not `code`.
    UnsupportedResponseType,
    /// `access_denied`: the user or Stripe denied the request.
    AccessDenied,
    /// Any other code, kept as Stripe sent it.
    Other(String),
}

impl OAuthErrorCode {
    /// Maps a wire code to its variant; unknown codes become [`OAuthErrorCode::Other`].
    pub fn from_code(code: &str) -> Self {
        match code {
            "invalid_grant" => Self::InvalidGrant,
            "invalid_request" => Self::InvalidRequest,
            "invalid_client" => Self::InvalidClient,
            "invalid_scope" => Self::InvalidScope,
            "unsupported_grant_type" => Self::UnsupportedGrantType,
            "unsupported_response_type" => Self::UnsupportedResponseType,
            "access_denied" => Self::AccessDenied,
            other => Self::Other(other.to_owned()),
        }
    }

    /// Returns the code as it appears on the wire.
    pub fn as_str(&self) -> &str {
        match self {
            Self::InvalidGrant => "invalid_grant",
            Self::InvalidRequest => "invalid_request",
            Self::InvalidClient => "invalid_client",
            Self::InvalidScope => "invalid_scope",
            Self::UnsupportedGrantType => "unsupported_grant_type",
            Self::UnsupportedResponseType => "unsupported_response_type",
            Self::AccessDenied => "access_denied",
            Self::Other(code) => code,
        }
    }
}

impl fmt::Display for OAuthErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An OAuth error returned by the token or deauthorize endpoint.
///
/// `Display` and `Debug` show the description through [`OAuthError::safe_description`],
/// because Stripe quotes the rejected code in it.
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct OAuthError {
    /// The error code.
    pub error: OAuthErrorCode,
    /// Stripe's `error_description`, verbatim. It may quote the code that was sent.
    pub error_description: Option<String>,
    /// The HTTP status of the response, which is 200 for errors sent inside a success status.
    pub http_status: u16,
    /// The `Retry-After` delay of the response, when it had a valid one.
    pub retry_after: Option<Duration>,
    /// The code or refresh token the request sent, hidden wherever this error's text is shown.
    sent_secret: Option<String>,
}

impl OAuthError {
    pub(crate) fn new(
        error: OAuthErrorCode,
        error_description: Option<String>,
        http_status: u16,
        retry_after: Option<Duration>,
        sent_secret: Option<&str>,
    ) -> Self {
        Self {
            error,
            error_description,
            http_status,
            retry_after,
            sent_secret: sent_secret.map(str::to_owned),
        }
    }

    /// Returns the description made safe to log: the code or refresh token that the request
    /// sent becomes `***` whatever its format, other secret-looking tokens are masked, and
    /// control characters become U+FFFD.
    pub fn safe_description(&self) -> Option<String> {
        self.error_description
            .as_deref()
            .map(|text| self.safe(text))
    }

    /// Returns the error code made safe to log, masked like the description.
    pub fn safe_error(&self) -> String {
        self.safe(self.error.as_str())
    }

    fn safe(&self, text: &str) -> String {
        sanitize_server_text(text, self.sent_secret.as_deref(), false)
    }
}

/// An error in the shape of Stripe's v1 API (`{"error": {"message": …}}`), as proxies and
/// stripe-mock send it. `Display` and `Debug` show its text masked like
/// [`OAuthError::safe_description`].
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ApiError {
    /// The `message` field.
    pub message: Option<String>,
    /// The `type` field, such as `invalid_request_error`.
    pub error_type: Option<String>,
    /// The `code` field.
    pub code: Option<String>,
    /// The `param` field: the request parameter at fault.
    pub param: Option<String>,
    /// The HTTP status of the response.
    pub http_status: u16,
    /// The `Retry-After` delay of the response, when it had a valid one.
    pub retry_after: Option<Duration>,
    /// The code or refresh token the request sent, hidden wherever this error's text is shown.
    sent_secret: Option<String>,
}

impl ApiError {
    /// Builds the error from its `message`, `type`, `code` and `param` fields.
    pub(crate) fn new(
        fields: [Option<String>; 4],
        http_status: u16,
        retry_after: Option<Duration>,
        sent_secret: Option<&str>,
    ) -> Self {
        let [message, error_type, code, param] = fields;
        Self {
            message,
            error_type,
            code,
            param,
            http_status,
            retry_after,
            sent_secret: sent_secret.map(str::to_owned),
        }
    }

    /// Returns the message made safe to log, masked like [`OAuthError::safe_description`].
    pub fn safe_message(&self) -> Option<String> {
        self.safe(&self.message)
    }

    /// Returns the `type`, `code` and `param` fields made safe to log, in that order.
    pub fn safe_fields(&self) -> [Option<String>; 3] {
        [
            self.safe(&self.error_type),
            self.safe(&self.code),
            self.safe(&self.param),
        ]
    }

    fn safe(&self, text: &Option<String>) -> Option<String> {
        text.as_deref()
            .map(|text| sanitize_server_text(text, self.sent_secret.as_deref(), false))
    }
}

fn safe(text: &Option<String>) -> Option<String> {
    text.as_deref()
        .map(|text| sanitize_server_text(text, None, false))
}

fn safe_str(text: &str) -> String {
    sanitize_server_text(text, None, false)
}

impl fmt::Debug for OAuthError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OAuthError")
            .field("error", &self.safe_error())
            .field("error_description", &self.safe_description())
            .field("http_status", &self.http_status)
            .field("retry_after", &self.retry_after)
            .finish()
    }
}

impl fmt::Debug for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let [error_type, code, param] = self.safe_fields();
        f.debug_struct("ApiError")
            .field("message", &self.safe_message())
            .field("error_type", &error_type)
            .field("code", &code)
            .field("param", &param)
            .field("http_status", &self.http_status)
            .field("retry_after", &self.retry_after)
            .finish()
    }
}

/// A response that is neither a success nor an error this crate recognizes: an HTML proxy page,
/// an empty body, a redirect, truncated JSON and the like.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnexpectedResponse {
    /// The HTTP status.
    pub http_status: u16,
    /// The `Content-Type` header, kept for diagnostics only.
    pub content_type: Option<String>,
    /// The start of the body (at most 512 bytes), lossily decoded as UTF-8, with secret-looking
    /// tokens (`sk_`, `rk_`, `rt_`, `ac_`) masked.
    pub body_excerpt: String,
    /// The `Retry-After` delay, when the response had one.
    pub retry_after: Option<Duration>,
    /// The reason the response was not accepted.
    pub reason: String,
}

/// The failure of an operation, one variant per family.
///
/// `Display` gives a short lower-case message that never contains a secret key, an access or
/// refresh token, or an authorization code. Text from a server is masked where it is shown, and
/// `Debug` masks the same way.
#[non_exhaustive]
pub enum Error {
    /// A configuration value or an argument is missing or invalid. No request was sent.
    InvalidInput {
        /// The role of the value, such as `client_id` or `redirect_uri`.
        parameter: &'static str,
        /// The problem and the fix. It never contains a secret value.
        message: String,
    },
    /// The callback carries no `state`, or an empty one.
    StateMissing,
    /// The callback's `state` differs from the one stored for this session.
    StateMismatch,
    /// A callback parameter appears more than once.
    DuplicateParameter {
        /// The repeated parameter.
        name: String,
    },
    /// OAuth parameters appear only in the callback's fragment, never in its query.
    ParametersInFragment,
    /// The callback has a valid state but no authorization code and no error.
    MissingCode,
    /// The user declined the authorization (`error=access_denied` on the callback).
    AccessDenied {
        /// The `error_description` of the callback, as plain text.
        description: Option<String>,
    },
    /// The callback carries an error other than `access_denied`.
    Authorize {
        /// The error code.
        error: OAuthErrorCode,
        /// The `error_description` of the callback.
        description: Option<String>,
    },
    /// The endpoint returned an OAuth error.
    OAuth(Box<OAuthError>),
    /// The endpoint returned an error in Stripe's v1 API shape.
    Api(Box<ApiError>),
    /// The endpoint returned HTTP 429.
    RateLimited {
        /// The `Retry-After` delay, when the response had a valid one.
        retry_after: Option<Duration>,
    },
    /// The response is neither a success nor a recognized error.
    UnexpectedResponse(Box<UnexpectedResponse>),
    /// The request failed on the network.
    Transport {
        /// Whether any byte of the request may have been written, so that the server may have
        /// processed it. An authorization code in such a request must be treated as spent.
        may_have_been_processed: bool,
        /// The failure, as the HTTP client reported it.
        message: String,
    },
    /// The request timed out.
    Timeout {
        /// Whether the request may have reached the server: `false` only for a connect timeout.
        may_have_been_processed: bool,
    },
    /// A success whose `livemode` differs from the mode of the key used in the request.
    ModeMismatch {
        /// The mode of the key used (`true` for live mode).
        key_livemode: bool,
        /// The token response, kept for inspection. Its secrets are redacted in `Debug`.
        response: Box<TokenResponse>,
    },
    /// A success response lacks a required field or has one of the wrong type.
    Decode {
        /// The problem with the response.
        message: String,
        /// The HTTP status of the response, set by the request's `decode_response`.
        http_status: Option<u16>,
    },
}

/// The family of an [`Error`], as a stable name for bindings and logs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// [`Error::InvalidInput`].
    InvalidInput,
    /// [`Error::StateMissing`].
    StateMissing,
    /// [`Error::StateMismatch`].
    StateMismatch,
    /// [`Error::DuplicateParameter`].
    DuplicateParameter,
    /// [`Error::ParametersInFragment`].
    ParametersInFragment,
    /// [`Error::MissingCode`].
    MissingCode,
    /// [`Error::AccessDenied`].
    AccessDenied,
    /// [`Error::Authorize`].
    Authorize,
    /// [`Error::OAuth`].
    OAuth,
    /// [`Error::Api`].
    Api,
    /// [`Error::RateLimited`].
    RateLimited,
    /// [`Error::UnexpectedResponse`].
    UnexpectedResponse,
    /// [`Error::Transport`].
    Transport,
    /// [`Error::Timeout`].
    Timeout,
    /// [`Error::ModeMismatch`].
    ModeMismatch,
    /// [`Error::Decode`].
    Decode,
}

impl ErrorKind {
    /// Every kind, in declaration order.
    pub const ALL: [ErrorKind; 16] = [
        Self::InvalidInput,
        Self::StateMissing,
        Self::StateMismatch,
        Self::DuplicateParameter,
        Self::ParametersInFragment,
        Self::MissingCode,
        Self::AccessDenied,
        Self::Authorize,
        Self::OAuth,
        Self::Api,
        Self::RateLimited,
        Self::UnexpectedResponse,
        Self::Transport,
        Self::Timeout,
        Self::ModeMismatch,
        Self::Decode,
    ];

    /// Returns the snake_case name used in test vectors and bindings.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::InvalidInput => "invalid_input",
            Self::StateMissing => "state_missing",
            Self::StateMismatch => "state_mismatch",
            Self::DuplicateParameter => "duplicate_parameter",
            Self::ParametersInFragment => "parameters_in_fragment",
            Self::MissingCode => "missing_code",
            Self::AccessDenied => "access_denied",
            Self::Authorize => "authorize_error",
            Self::OAuth => "oauth_error",
            Self::Api => "api_error",
            Self::RateLimited => "rate_limited",
            Self::UnexpectedResponse => "unexpected_response",
            Self::Transport => "transport",
            Self::Timeout => "timeout",
            Self::ModeMismatch => "mode_mismatch",
            Self::Decode => "decode",
        }
    }
}

impl Error {
    pub(crate) fn decode(message: impl Into<String>) -> Self {
        Self::Decode {
            message: message.into(),
            http_status: None,
        }
    }

    /// Records the status of the response on a decode error.
    pub(crate) fn with_status(mut self, status: u16) -> Self {
        if let Self::Decode { http_status, .. } = &mut self {
            *http_status = Some(status);
        }
        self
    }

    pub(crate) fn invalid_input(parameter: &'static str, message: impl Into<String>) -> Self {
        Self::InvalidInput {
            parameter,
            message: message.into(),
        }
    }

    /// Returns the family of this error.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Self::InvalidInput { .. } => ErrorKind::InvalidInput,
            Self::StateMissing => ErrorKind::StateMissing,
            Self::StateMismatch => ErrorKind::StateMismatch,
            Self::DuplicateParameter { .. } => ErrorKind::DuplicateParameter,
            Self::ParametersInFragment => ErrorKind::ParametersInFragment,
            Self::MissingCode => ErrorKind::MissingCode,
            Self::AccessDenied { .. } => ErrorKind::AccessDenied,
            Self::Authorize { .. } => ErrorKind::Authorize,
            Self::OAuth(_) => ErrorKind::OAuth,
            Self::Api(_) => ErrorKind::Api,
            Self::RateLimited { .. } => ErrorKind::RateLimited,
            Self::UnexpectedResponse(_) => ErrorKind::UnexpectedResponse,
            Self::Transport { .. } => ErrorKind::Transport,
            Self::Timeout { .. } => ErrorKind::Timeout,
            Self::ModeMismatch { .. } => ErrorKind::ModeMismatch,
            Self::Decode { .. } => ErrorKind::Decode,
        }
    }

    /// Returns the HTTP status of the response that caused this error, if there was one.
    pub fn http_status(&self) -> Option<u16> {
        match self {
            Self::OAuth(error) => Some(error.http_status),
            Self::Api(error) => Some(error.http_status),
            Self::RateLimited { .. } => Some(429),
            Self::UnexpectedResponse(response) => Some(response.http_status),
            Self::Decode { http_status, .. } => *http_status,
            _ => None,
        }
    }

    /// Returns the `Retry-After` delay of the response that caused this error, if it had one.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            Self::RateLimited { retry_after } => *retry_after,
            Self::OAuth(error) => error.retry_after,
            Self::Api(error) => error.retry_after,
            Self::UnexpectedResponse(response) => response.retry_after,
            _ => None,
        }
    }

    /// Returns whether the server may have processed the request.
    ///
    /// `false` for errors raised before any I/O and for failures that provably happened before
    /// the request was sent; `true` for every response from the server and for failures after a
    /// byte of the request may have been written.
    pub fn may_have_been_processed(&self) -> bool {
        match self {
            Self::Transport {
                may_have_been_processed,
                ..
            }
            | Self::Timeout {
                may_have_been_processed,
            } => *may_have_been_processed,
            Self::OAuth(_)
            | Self::Api(_)
            | Self::RateLimited { .. }
            | Self::UnexpectedResponse(_)
            | Self::ModeMismatch { .. }
            | Self::Decode { .. } => true,
            _ => false,
        }
    }
}

fn write_description(f: &mut fmt::Formatter<'_>, description: Option<&str>) -> fmt::Result {
    match description {
        Some(description) => write!(f, ": {}", safe_str(description)),
        None => Ok(()),
    }
}

fn mode_name(livemode: bool) -> &'static str {
    if livemode { "live" } else { "test" }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::InvalidInput { message, .. } => f.write_str(message),
            Self::StateMissing => f.write_str(
                "state missing from the callback: restart the authorization from the connect link",
            ),
            Self::StateMismatch => f.write_str(
                "state mismatch: the callback's state is not the one stored for this session",
            ),
            Self::DuplicateParameter { name } => {
                write!(f, "duplicate callback parameter `{}`", safe_str(name))
            }
            Self::ParametersInFragment => {
                f.write_str("callback parameters found in the URL fragment instead of the query")
            }
            Self::MissingCode => f.write_str("the callback has no authorization code"),
            Self::AccessDenied { description } => {
                f.write_str("access denied by the user")?;
                write_description(f, description.as_deref())
            }
            Self::Authorize { error, description } => {
                write!(
                    f,
                    "authorization failed with `{}`",
                    safe_str(error.as_str())
                )?;
                write_description(f, description.as_deref())
            }
            Self::OAuth(error) => {
                write!(
                    f,
                    "oauth error `{}` (http {})",
                    error.safe_error(),
                    error.http_status
                )?;
                write_description(f, error.safe_description().as_deref())
            }
            Self::Api(error) => {
                write!(f, "api error (http {})", error.http_status)?;
                write_description(f, error.safe_message().as_deref())?;
                let [_, _, param] = error.safe_fields();
                match param {
                    Some(param) => write!(f, " (param `{param}`)"),
                    None => Ok(()),
                }
            }
            Self::RateLimited { retry_after } => {
                f.write_str("rate limited by stripe (http 429)")?;
                match retry_after {
                    Some(delay) => write!(f, ": retry after {} s", delay.as_secs()),
                    None => Ok(()),
                }
            }
            Self::UnexpectedResponse(response) => {
                write!(
                    f,
                    "unexpected response (http {}, {}): {}",
                    response.http_status,
                    response
                        .content_type
                        .as_deref()
                        .unwrap_or("no content type"),
                    response.reason
                )
            }
            Self::Transport {
                may_have_been_processed,
                message,
            } => {
                write!(f, "transport error: {}", safe_str(message))?;
                if *may_have_been_processed {
                    f.write_str(" (the request may have been processed)")
                } else {
                    f.write_str(" (the request was not sent)")
                }
            }
            Self::Timeout {
                may_have_been_processed,
            } => {
                if *may_have_been_processed {
                    f.write_str("request timed out (the request may have been processed)")
                } else {
                    f.write_str("connection timed out (the request was not sent)")
                }
            }
            Self::ModeMismatch {
                key_livemode,
                response,
            } => write!(
                f,
                "mode mismatch: a {} mode key received a {} mode token",
                mode_name(*key_livemode),
                mode_name(response.livemode())
            ),
            Self::Decode { message, .. } => write!(f, "invalid success response: {message}"),
        }
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::InvalidInput { parameter, message } => f
                .debug_struct("InvalidInput")
                .field("parameter", parameter)
                .field("message", message)
                .finish(),
            Self::DuplicateParameter { name } => f
                .debug_struct("DuplicateParameter")
                .field("name", &safe_str(name))
                .finish(),
            Self::AccessDenied { description } => f
                .debug_struct("AccessDenied")
                .field("description", &safe(description))
                .finish(),
            Self::Authorize { error, description } => f
                .debug_struct("Authorize")
                .field("error", &safe_str(error.as_str()))
                .field("description", &safe(description))
                .finish(),
            Self::OAuth(error) => f.debug_tuple("OAuth").field(error).finish(),
            Self::Api(error) => f.debug_tuple("Api").field(error).finish(),
            Self::RateLimited { retry_after } => f
                .debug_struct("RateLimited")
                .field("retry_after", retry_after)
                .finish(),
            Self::UnexpectedResponse(response) => {
                f.debug_tuple("UnexpectedResponse").field(response).finish()
            }
            Self::Transport {
                may_have_been_processed,
                message,
            } => f
                .debug_struct("Transport")
                .field("may_have_been_processed", may_have_been_processed)
                .field("message", &safe_str(message))
                .finish(),
            Self::Timeout {
                may_have_been_processed,
            } => f
                .debug_struct("Timeout")
                .field("may_have_been_processed", may_have_been_processed)
                .finish(),
            Self::ModeMismatch {
                key_livemode,
                response,
            } => f
                .debug_struct("ModeMismatch")
                .field("key_livemode", key_livemode)
                .field("response", response)
                .finish(),
            Self::Decode {
                message,
                http_status,
            } => f
                .debug_struct("Decode")
                .field("message", message)
                .field("http_status", http_status)
                .finish(),
            Self::StateMissing
            | Self::StateMismatch
            | Self::ParametersInFragment
            | Self::MissingCode => f.write_str(self.kind().as_str()),
        }
    }
}

impl std::error::Error for Error {}
