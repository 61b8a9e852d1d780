"""Stripe Connect OAuth for platforms that onboard Express and Standard accounts.

Build the "Connect with Stripe" URL with a CSRF ``state``, parse the callback and check
``state`` before anything else, exchange the single-use authorization code for the connected
account, refresh, and deauthorize. The work is done by a Rust core, and every network call
releases the GIL.

Rust log records arrive in :mod:`logging` under the ``stripe_connect_oauth`` logger: one
``DEBUG`` line per request with method, path, status and duration, never a secret. An exception
raised by a logging filter or handler is reported through :func:`sys.unraisablehook`, and the
call that logged still returns its result.
"""

from ._errors import (
    AccessDeniedError,
    ApiError,
    AuthorizeError,
    CallbackError,
    ConfigurationError,
    DecodeError,
    DuplicateParameterError,
    MissingCodeError,
    ModeMismatchError,
    OAuthError,
    ParametersInFragmentError,
    RateLimitedError,
    RequestTimeoutError,
    StateMismatchError,
    StateMissingError,
    StripeConnectOAuthError,
    TransportError,
    UnexpectedResponseError,
)
from ._native import (
    Callback,
    Client,
    TokenResponse,
    __version__,
    generate_state,
    parse_callback,
    reset_logging_cache,
)

__all__ = [
    "AccessDeniedError",
    "ApiError",
    "AuthorizeError",
    "Callback",
    "CallbackError",
    "Client",
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
    "TokenResponse",
    "TransportError",
    "UnexpectedResponseError",
    "__version__",
    "generate_state",
    "parse_callback",
    "reset_logging_cache",
]
