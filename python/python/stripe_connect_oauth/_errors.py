"""Exceptions raised by stripe_connect_oauth, one class per error family.

The native module raises these classes. They live in Python so that they pickle and subclass
like any other exception. ``str(error)`` is a short message that never contains a secret key,
an access or refresh token, or an authorization code. Attributes hold Stripe's text verbatim:
``error_description`` may quote the code that Stripe rejected, so log ``str(error)`` instead.
"""

from __future__ import annotations

# Importing typing takes longer than importing this package, so only type checkers import it.
# With `from __future__ import annotations`, the annotations are never evaluated at run time.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, ClassVar

    from ._native import TokenResponse

__all__ = [
    "AccessDeniedError",
    "ApiError",
    "AuthorizeError",
    "CallbackError",
    "ConfigurationError",
    "DecodeError",
    "DuplicateParameterError",
    "MissingCodeError",
    "ModeMismatchError",
    "OAuthError",
    "ParametersInFragmentError",
    "RateLimitedError",
    "RequestTimeoutError",
    "StateMismatchError",
    "StateMissingError",
    "StripeConnectOAuthError",
    "TransportError",
    "UnexpectedResponseError",
]


class StripeConnectOAuthError(Exception):
    """Base class of every exception this package raises.

    Attributes:
        kind: The stable snake_case name of the error family, such as ``"oauth_error"``.
        http_status: The HTTP status of the response that caused the error, if there was one.
        may_have_been_processed: Whether Stripe may have processed the request. When it is
            true after an exchange, treat the authorization code as spent.
        retry_after: The ``Retry-After`` delay in seconds of the response that caused the
            error, when it had a valid one.
    """

    kind: ClassVar[str] = "error"

    def __init__(
        self,
        message: str,
        /,
        *,
        http_status: int | None = None,
        may_have_been_processed: bool = False,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(message)
        self.http_status = http_status
        self.may_have_been_processed = may_have_been_processed
        self.retry_after = retry_after


class ConfigurationError(StripeConnectOAuthError, ValueError):
    """A setting or an argument is missing or invalid. No request was sent.

    Attributes:
        parameter: The role of the invalid value, such as ``"client_id"`` or ``"secret key"``.
            The message names the problem and the fix, never a secret value.
    """

    kind: ClassVar[str] = "invalid_input"

    def __init__(self, message: str, /, *, parameter: str = "", **common: Any) -> None:
        super().__init__(message, **common)
        self.parameter = parameter


class CallbackError(StripeConnectOAuthError):
    """The callback to the redirect URI is not a valid authorization. No request was sent."""


class StateMissingError(CallbackError):
    """The callback has no ``state``, or an empty one: restart from the connect link."""

    kind: ClassVar[str] = "state_missing"


class StateMismatchError(CallbackError):
    """The callback's ``state`` differs from the one stored for this session."""

    kind: ClassVar[str] = "state_mismatch"


class DuplicateParameterError(CallbackError):
    """An OAuth parameter appears more than once in the callback's query.

    Attributes:
        parameter: The repeated parameter, such as ``"code"``.
    """

    kind: ClassVar[str] = "duplicate_parameter"

    def __init__(self, message: str, /, *, parameter: str = "", **common: Any) -> None:
        super().__init__(message, **common)
        self.parameter = parameter


class ParametersInFragmentError(CallbackError):
    """OAuth parameters appear only in the callback's fragment (``#…``), never in its query."""

    kind: ClassVar[str] = "parameters_in_fragment"


class MissingCodeError(CallbackError):
    """The callback has a valid state but neither an authorization code nor an error."""

    kind: ClassVar[str] = "missing_code"


class AccessDeniedError(CallbackError):
    """The user declined the authorization (``error=access_denied`` on the callback).

    Attributes:
        error: Always ``"access_denied"``.
        error_description: The callback's ``error_description`` as plain text, if sent.
    """

    kind: ClassVar[str] = "access_denied"

    def __init__(
        self,
        message: str,
        /,
        *,
        error_description: str | None = None,
        **common: Any,
    ) -> None:
        super().__init__(message, **common)
        self.error = "access_denied"
        self.error_description = error_description


class AuthorizeError(CallbackError):
    """The callback carries an OAuth error other than ``access_denied``.

    Attributes:
        error: The OAuth error code, such as ``"invalid_scope"``.
        error_description: The callback's ``error_description``, if sent.
    """

    kind: ClassVar[str] = "authorize_error"

    def __init__(
        self,
        message: str,
        /,
        *,
        error: str = "",
        error_description: str | None = None,
        **common: Any,
    ) -> None:
        super().__init__(message, **common)
        self.error = error
        self.error_description = error_description


class OAuthError(StripeConnectOAuthError):
    """The token or deauthorize endpoint returned an OAuth error, even inside HTTP 200.

    Attributes:
        error: The OAuth error code, such as ``"invalid_grant"`` for a used or expired code.
            Codes this version does not know are kept as Stripe sent them.
        error_description: Stripe's ``error_description``, verbatim; it may quote the code.
        http_status: The HTTP status of the response.
    """

    kind: ClassVar[str] = "oauth_error"

    def __init__(
        self,
        message: str,
        /,
        *,
        error: str = "",
        error_description: str | None = None,
        **common: Any,
    ) -> None:
        super().__init__(message, **common)
        self.error = error
        self.error_description = error_description


class ApiError(StripeConnectOAuthError):
    """The endpoint returned an error in the shape of Stripe's v1 API (``{"error": {...}}``).

    Proxies and stripe-mock send this shape.

    Attributes:
        message: The ``message`` field, verbatim.
        error_type: The ``type`` field, such as ``"invalid_request_error"``.
        code: The ``code`` field.
        param: The request parameter at fault.
    """

    kind: ClassVar[str] = "api_error"

    def __init__(
        self,
        summary: str,
        /,
        *,
        message: str | None = None,
        error_type: str | None = None,
        code: str | None = None,
        param: str | None = None,
        **common: Any,
    ) -> None:
        super().__init__(summary, **common)
        self.message = message
        self.error_type = error_type
        self.code = code
        self.param = param


class RateLimitedError(StripeConnectOAuthError):
    """The endpoint returned HTTP 429; ``retry_after`` is the delay it asked for, if any."""

    kind: ClassVar[str] = "rate_limited"


class UnexpectedResponseError(StripeConnectOAuthError):
    """The response is neither a success nor a recognized error.

    Examples are an HTML proxy page, an empty body, a redirect, truncated JSON, or a body over
    64 KiB.

    Attributes:
        content_type: The ``Content-Type`` header, kept for diagnostics.
        body_excerpt: At most 512 bytes of the body, with secret-looking tokens masked.
        reason: Why the response was not accepted.
    """

    kind: ClassVar[str] = "unexpected_response"

    def __init__(
        self,
        message: str,
        /,
        *,
        content_type: str | None = None,
        body_excerpt: str = "",
        reason: str = "",
        **common: Any,
    ) -> None:
        super().__init__(message, **common)
        self.content_type = content_type
        self.body_excerpt = body_excerpt
        self.reason = reason


class TransportError(StripeConnectOAuthError):
    """The request failed on the network.

    ``may_have_been_processed`` distinguishes a failure before any byte was sent (connection
    refused, which the client retries) from one after (connection reset, truncated response).
    The client never sends an authorization code twice, so treat the code as spent when it is
    true.
    """

    kind: ClassVar[str] = "transport"


class RequestTimeoutError(TransportError, TimeoutError):
    """The request timed out; ``may_have_been_processed`` is false only for a connect timeout."""

    kind: ClassVar[str] = "timeout"


class ModeMismatchError(StripeConnectOAuthError):
    """A success whose ``livemode`` differs from the mode of the secret key used.

    Attributes:
        key_livemode: The mode of the key used, true for live mode.
        token: The token response, kept for inspection.
    """

    kind: ClassVar[str] = "mode_mismatch"

    def __init__(
        self,
        message: str,
        /,
        *,
        key_livemode: bool = False,
        token: TokenResponse | None = None,
        **common: Any,
    ) -> None:
        super().__init__(message, **common)
        self.key_livemode = key_livemode
        self.token = token


class DecodeError(StripeConnectOAuthError):
    """A success response lacks a required field, or has one of the wrong type."""

    kind: ClassVar[str] = "decode"


CLASSES_BY_KIND: dict[str, type[StripeConnectOAuthError]] = {
    error_class.kind: error_class
    for error_class in (
        ConfigurationError,
        StateMissingError,
        StateMismatchError,
        DuplicateParameterError,
        ParametersInFragmentError,
        MissingCodeError,
        AccessDeniedError,
        AuthorizeError,
        OAuthError,
        ApiError,
        RateLimitedError,
        UnexpectedResponseError,
        TransportError,
        RequestTimeoutError,
        ModeMismatchError,
        DecodeError,
    )
}
"""The class of each error family, by the family's ``kind``; the native module reads it."""
