"""Types and documentation of the native module; import them from ``stripe_connect_oauth``."""

from collections.abc import Iterable, Mapping, Sequence
from typing import Literal, final

from typing_extensions import Self

__all__ = [
    "Callback",
    "Client",
    "TokenResponse",
    "__version__",
    "generate_state",
    "parse_callback",
    "reset_logging_cache",
]

__version__: str
"""The package version, equal to the Rust core's."""

@final
class Callback:
    """A successful callback: the single-use authorization code and the granted scope.

    Instances are immutable, compare equal field by field, are hashable, and pickle. ``repr``
    shows ``code='***'``; the attribute contains the real value.
    """

    def __new__(cls, code: str, scope: str | None = None) -> Self:
        """Create a callback from its fields, for pickling and for tests of code that uses
        :func:`parse_callback`, which returns the real ones. The fields are not checked."""

    @property
    def code(self) -> str:
        """The authorization code. Exchange it once, within 5 minutes, with
        :meth:`Client.exchange_code`."""

    @property
    def scope(self) -> str | None:
        """The ``scope`` parameter, which Stripe sends for Standard accounts."""

@final
class TokenResponse:
    """A successful token response: the connected account and what Stripe granted.

    Instances are immutable, compare equal field by field, are hashable, and pickle. ``repr``
    shows ``access_token='***'`` and ``refresh_token='***'``; the attributes hold the real
    values.
    """

    def __new__(
        cls,
        stripe_user_id: str,
        livemode: bool,
        scope: str | None = None,
        token_type: str | None = None,
        access_token: str | None = None,
        refresh_token: str | None = None,
        stripe_publishable_key: str | None = None,
        capabilities: Sequence[str] = ...,
    ) -> Self:
        """Create a token response from its fields, for pickling and for tests of code that
        uses the client. The client's methods return the real ones."""

    @property
    def stripe_user_id(self) -> str:
        """The connected account id, ``acct_…``. Store it to act on the account."""

    @property
    def livemode(self) -> bool:
        """Whether the grant is for live mode. It always equals the mode of the key used:
        a difference raises :class:`ModeMismatchError`."""

    @property
    def scope(self) -> str | None:
        """The granted scope: ``read_write``, ``read_only``, ``express``, or a newer value."""

    @property
    def token_type(self) -> str | None:
        """The token type in lower case, normally ``bearer``."""

    @property
    def access_token(self) -> str | None:
        """The access token, which Stripe still sends for Standard accounts. Stripe recommends
        the platform key with the ``Stripe-Account`` header instead."""

    @property
    def refresh_token(self) -> str | None:
        """The refresh token (``rt_…``), for :meth:`Client.refresh`."""

    @property
    def stripe_publishable_key(self) -> str | None:
        """The connected account's publishable key (``pk_…``), when Stripe sent one."""

    @property
    def capabilities(self) -> tuple[str, ...]:
        """The capabilities Stripe confirmed (Express), empty when it sent none."""

@final
class Client:
    """A client for Stripe's Connect OAuth endpoints.

    One client owns one connection pool and is safe to share between threads. Every network
    call releases the GIL, so calls from several threads run at the same time.

    A client never sends a request twice once any byte of it may have been written. It retries,
    with doubling backoff, only failures that provably happened before sending, such as a
    refused connection.

    Args:
        secret_key: The platform's secret key (``sk_test_…``, ``sk_live_…``) or restricted key
            (``rk_…``), sent as HTTP Basic user name with an empty password. ``None`` is fine
            for a client that only builds authorize URLs, or when every call passes its own.
        client_id: The platform's client id (``ca_…``) from the Connect settings of the Stripe
            Dashboard, needed for :meth:`authorize_url` and :meth:`deauthorize`.
        connect_base: The origin of the OAuth endpoints, used for authorize, token and
            deauthorize alike. Default: ``https://connect.stripe.com``. It must use ``https``
            unless its host is loopback (``127.0.0.1``, ``::1``, ``localhost``).
        credential_scheme: ``"basic"`` (the default, as Stripe's docs show) or ``"bearer"``.
        timeout: Seconds allowed for a whole request, from connecting to the end of the
            response, greater than 0 (at least 1e-9). ``None`` keeps the default of 30.
        connect_timeout: Seconds allowed to open a connection, TLS handshake included,
            greater than 0 (at least 1e-9). ``None`` keeps the default of 10. There is no
            value for "no limit".
        retries: How many times a request that provably was not sent is retried, from 0 to
            ``2**32 - 1``. ``None`` keeps the default of 2.
        retry_backoff: Seconds before the first retry, doubled for each later one, 0 or more.
            ``None`` keeps the default of 0.1.

    Raises:
        ConfigurationError: A value is invalid, such as a publishable key (``pk_…``) as the
            secret key, an ``http`` connect base on a public host, a number out of range, or
            a ``str`` that contains a lone surrogate (U+D800..U+DFFF). The message names the
            parameter and never contains the key.
    """

    def __new__(
        cls,
        secret_key: str | None = None,
        *,
        client_id: str | None = None,
        connect_base: str | None = None,
        credential_scheme: Literal["basic", "bearer"] = "basic",
        timeout: float | None = None,
        connect_timeout: float | None = None,
        retries: int | None = None,
        retry_backoff: float | None = None,
    ) -> Self: ...
    @property
    def connect_base(self) -> str:
        """The origin of the OAuth endpoints, such as ``https://connect.stripe.com``."""

    @property
    def client_id(self) -> str | None:
        """The platform's client id, if configured."""

    def authorize_url(
        self,
        *,
        express: bool = False,
        redirect_uri: str | None = None,
        state: str | None = None,
        scope: Literal["read_write", "read_only"] | None = None,
        stripe_landing: Literal["login", "register"] | None = None,
        always_prompt: bool | None = None,
        stripe_user: Mapping[str, str | int | bool | None] | None = None,
        suggested_capabilities: Sequence[str] | None = None,
        extra: Mapping[str, str] | Iterable[tuple[str, str]] | None = None,
    ) -> str:
        """Build the authorize URL, the "Connect with Stripe" link. No request is sent.

        Generate the state with :func:`generate_state`, store it in the user's session or an
        HttpOnly cookie, and redirect the user to the returned URL.

        Parameters come in a fixed order (``response_type=code``, ``client_id``,
        ``redirect_uri``, ``scope``, ``state``, ``stripe_landing``, ``always_prompt``,
        ``suggested_capabilities[]``, ``stripe_user[…]`` in Stripe's field order, then
        ``extra``), so equal input gives an equal string. Keys keep literal brackets, and values
        are percent-encoded outside ``A-Z a-z 0-9 - . _ ~``.

        Args:
            express: ``True`` for Express accounts (``/express/oauth/authorize``), ``False``
                for Standard accounts (``/oauth/authorize``).
            redirect_uri: An absolute ``http``/``https`` URL without fragment, registered in
                the Connect settings. Default: Stripe uses the first registered one.
            state: The CSRF state, 1 to 512 characters of ``A-Z a-z 0-9 - _``.
            scope: ``"read_write"`` or ``"read_only"``, for Standard accounts only.
            stripe_landing: ``"login"`` or ``"register"``: the page shown to a signed-out user.
            always_prompt: Whether Stripe shows the account picker to a signed-in user.
            stripe_user: Prefill values for the onboarding form, by Stripe's field name
                (``email``, ``url``, ``country``, ``phone_number``, ``business_name``,
                ``business_type``, ``first_name``, ``last_name``, ``dob_day``, ``dob_month``,
                ``dob_year``, ``street_address``, ``city``, ``state``, ``zip``,
                ``physical_product``, ``product_description``, ``currency``, and the Japanese
                ``*_kana``/``*_kanji`` and ``gender`` fields). An ``int`` is sent in decimal, a
                ``bool`` as ``true``/``false``, and a ``None`` value leaves the field out.
            suggested_capabilities: Capabilities such as ``"transfers"``, for Express only.
            extra: Parameters this version has no argument for, such as a ``stripe_user``
                field newer than it, as a mapping or as ``(key, value)`` pairs. A key may not
                repeat a parameter that has its own argument.

        Returns:
            The URL to redirect the user to.

        Raises:
            ConfigurationError: No client id is configured, an unknown ``stripe_user`` field
                is given (named in the message), ``scope`` is set for Express or
                ``suggested_capabilities`` for Standard, or a value is invalid, such as an
                ``int`` outside ``-2**63`` to ``2**63 - 1`` in ``stripe_user``.
            TypeError: ``stripe_user`` or ``extra`` has the wrong shape.
        """

    def exchange_code(
        self,
        code: str,
        *,
        assert_capabilities: Sequence[str] | None = None,
        secret_key: str | None = None,
    ) -> TokenResponse:
        """Exchange a single-use authorization code for the connected account.

        Sends ``POST {connect_base}/oauth/token`` with ``grant_type=authorization_code``. The
        code is sent at most once: after :class:`TransportError` or
        :class:`RequestTimeoutError` with ``may_have_been_processed``, treat it as spent and
        restart the authorization.

        Args:
            code: The ``code`` of :func:`parse_callback`'s result.
            assert_capabilities: Capabilities the Express account must have requested, such as
                ``"card_payments"``; Stripe fails the exchange otherwise.
            secret_key: A key for this call, replacing the client's.

        Returns:
            The token response, whose ``stripe_user_id`` is the connected account.

        Raises:
            ConfigurationError: Before any I/O: no secret key, an empty code, one with
                whitespace, or one that is another kind of Stripe id (``ca_``, ``sk_``,
                ``rk_``, ``pk_``, ``acct_``).
            OAuthError: Stripe's answer, such as ``invalid_grant`` for a used or expired code.
            ApiError, RateLimitedError, UnexpectedResponseError, DecodeError: Other answers.
            ModeMismatchError: The account's mode differs from the key's.
            TransportError, RequestTimeoutError: Network failures.
        """

    def refresh(
        self,
        refresh_token: str,
        *,
        scope: Literal["read_write", "read_only"] | None = None,
        secret_key: str | None = None,
    ) -> TokenResponse:
        """Obtain a new access token with a refresh token (``grant_type=refresh_token``).

        Args:
            refresh_token: The ``refresh_token`` of an earlier token response.
            scope: A scope narrower than the one granted. Default: the granted scope.
            secret_key: A key for this call, replacing the client's.

        Returns:
            The new token response.

        Raises:
            ConfigurationError: Before any I/O: no secret key, an invalid refresh token (an
                authorization code included), or an invalid scope.
            StripeConnectOAuthError: The response and network errors of
                :meth:`exchange_code`.
        """

    def deauthorize(self, stripe_user_id: str, *, secret_key: str | None = None) -> str:
        """Disconnect a connected account from the platform (``POST /oauth/deauthorize``).

        Args:
            stripe_user_id: The connected account id, ``acct_…``.
            secret_key: A key for this call, replacing the client's.

        Returns:
            The id of the disconnected account, as Stripe confirmed it.

        Raises:
            ConfigurationError: Before any I/O: no client id or secret key, or an invalid
                account id.
            UnexpectedResponseError: Stripe confirmed another account than the one sent.
            StripeConnectOAuthError: The other response and network errors of
                :meth:`exchange_code`, except mode mismatch.
        """

def generate_state() -> str:
    """Generate a CSRF state: 32 bytes from the operating system's CSPRNG, as 43 base64url
    characters.

    Store it in the user's session or an HttpOnly cookie, pass it to
    :meth:`Client.authorize_url`, and remove it from the session when the callback arrives, so
    that one state serves one callback.

    Raises:
        ConfigurationError: The operating system has no random source.
    """

def parse_callback(url: str, expected_state: str) -> Callback:
    """Parse the callback to the redirect URI and check its state before anything else.

    ``url`` is the full callback URL or just its query string, decoded as
    ``application/x-www-form-urlencoded`` (``+`` is a space). The rules apply in this order:

    1. Only the query counts. OAuth parameters only in the fragment are an error, and a
       fragment after a valid query (such as ``#_=_``) is ignored.
    2. ``code``, ``state``, ``error``, ``error_description`` and ``scope`` appear at most once.
    3. ``state`` must be present, non-empty, and equal to ``expected_state`` (compared in
       constant time).
    4. An ``error`` wins over a ``code``: ``access_denied`` means the user declined.
    5. Otherwise a non-empty ``code`` must be present. The platform's own query parameters on
       its redirect URI are ignored.

    No failure here sends a request.

    Args:
        url: The callback URL, or its query string.
        expected_state: The state stored for this session, removed from it before the call.

    Returns:
        The authorization code and granted scope.

    Raises:
        ConfigurationError: ``expected_state`` is not a valid state.
        StateMissingError, StateMismatchError, DuplicateParameterError,
        ParametersInFragmentError, AccessDeniedError, AuthorizeError, MissingCodeError:
            The callback breaks the rule of the same name above.
    """

def reset_logging_cache() -> None:
    """Make a changed :mod:`logging` configuration apply to the Rust log records.

    The bridge caches each Python logger and its level on first use. After that, a record
    below the logger's level is dropped without attaching to the interpreter, so a request
    does not wait for the GIL to find out that ``DEBUG`` is off. Call this after changing
    logger levels or handlers at run time.

    An exception raised by a filter or handler while a record of this package is logged goes to
    :func:`sys.unraisablehook`, with the logger as its ``object``; the call that logged still
    returns its result or raises its own error.
    """
