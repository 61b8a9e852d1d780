"""One test per error family: each asserts the exact class raised and its attributes."""

from __future__ import annotations

import pickle
from typing import Any

import pytest

import stripe_connect_oauth as sco
from conftest import FakeStripe, closed_loopback_port

STATE = "S1"


def approved_code(fake: FakeStripe) -> str:
    code: str = fake.obtain_code(state=STATE)["code"]
    return code


def test_configuration_error_is_value_error() -> None:
    with pytest.raises(sco.ConfigurationError) as raised:
        sco.Client("pk_test_PLACEHOLDER")

    assert type(raised.value) is sco.ConfigurationError
    assert isinstance(raised.value, ValueError)
    assert raised.value.parameter == "secret key"
    assert "pk_test_PLACEHOLDER" not in str(raised.value)
    assert raised.value.may_have_been_processed is False


@pytest.mark.parametrize(
    ("callback", "error_class"),
    [
        ("https://p.example/cb?code=ac_1", sco.StateMissingError),
        ("https://p.example/cb?code=ac_1&state=S2", sco.StateMismatchError),
        ("https://p.example/cb?code=ac_1&code=ac_2&state=S1", sco.DuplicateParameterError),
        ("https://p.example/cb#code=ac_1&state=S1", sco.ParametersInFragmentError),
        ("https://p.example/cb?state=S1", sco.MissingCodeError),
        ("https://p.example/cb?error=access_denied&state=S1", sco.AccessDeniedError),
        ("https://p.example/cb?error=invalid_scope&state=S1", sco.AuthorizeError),
    ],
    ids=lambda value: value.__name__ if isinstance(value, type) else "",
)
def test_callback_error_family(callback: str, error_class: type[sco.CallbackError]) -> None:
    with pytest.raises(sco.CallbackError) as raised:
        sco.parse_callback(callback, STATE)

    assert type(raised.value) is error_class
    assert raised.value.may_have_been_processed is False


def test_duplicate_parameter_names_parameter() -> None:
    with pytest.raises(sco.DuplicateParameterError) as raised:
        sco.parse_callback("https://p.example/cb?code=ac_1&state=S1&state=S1", STATE)

    assert raised.value.parameter == "state"


def test_authorize_error_carries_code() -> None:
    with pytest.raises(sco.AuthorizeError) as raised:
        sco.parse_callback(
            "https://p.example/cb?error=invalid_scope&error_description=Bad+scope&state=S1", STATE
        )

    assert raised.value.error == "invalid_scope"
    assert raised.value.error_description == "Bad scope"


def test_oauth_error_from_unknown_code(fake: FakeStripe, client: sco.Client) -> None:
    with pytest.raises(sco.OAuthError) as raised:
        client.exchange_code("ac_NeverIssued")

    error = raised.value
    assert type(error) is sco.OAuthError
    assert error.error == "invalid_grant"
    assert error.error_description == "Authorization code does not exist: ac_NeverIssued"
    assert error.http_status == 400
    assert error.may_have_been_processed is True
    assert "ac_NeverIssued" not in str(error), "the message shows the code"


def test_oauth_error_for_other_platform_key(fake: FakeStripe, client: sco.Client) -> None:
    code = approved_code(fake)

    with pytest.raises(sco.OAuthError) as raised:
        client.exchange_code(code, secret_key=fake.other_platform.test_secret_key)

    assert raised.value.error == "invalid_grant"
    assert raised.value.error_description == "Authorization code provided does not belong to you"


def test_api_error_from_unknown_path(fake: FakeStripe) -> None:
    # A path prefix on the connect base makes the fake return 404 in Stripe's v1 API shape.
    client = sco.Client(fake.platform.test_secret_key, connect_base=f"{fake.base_url}/v1")

    with pytest.raises(sco.ApiError) as raised:
        client.exchange_code("ac_PLACEHOLDER")

    error = raised.value
    assert type(error) is sco.ApiError
    assert error.http_status == 404
    assert error.error_type == "invalid_request_error"
    assert error.message is not None


def test_rate_limited_error_keeps_retry_after(fake: FakeStripe, client: sco.Client) -> None:
    fake.queue_fault(
        "/oauth/token",
        {"kind": "response", "status": 429, "headers": [["Retry-After", "7"]], "body": ""},
    )

    with pytest.raises(sco.RateLimitedError) as raised:
        client.exchange_code("ac_PLACEHOLDER")

    assert type(raised.value) is sco.RateLimitedError
    assert raised.value.retry_after == 7.0
    assert raised.value.http_status == 429


def test_unexpected_response_from_proxy_page(fake: FakeStripe, client: sco.Client) -> None:
    fake.queue_fault("/oauth/token", {"kind": "html_502"})

    with pytest.raises(sco.UnexpectedResponseError) as raised:
        client.exchange_code("ac_PLACEHOLDER")

    error = raised.value
    assert type(error) is sco.UnexpectedResponseError
    assert error.http_status == 502
    assert error.content_type is not None
    assert error.content_type.startswith("text/html")
    assert "502 Bad Gateway" in error.body_excerpt
    assert error.reason == "the body is not JSON"


def test_unexpected_response_for_redirect(fake: FakeStripe, client: sco.Client) -> None:
    other_host = "http://127.0.0.2:9/oauth/token"
    fake.queue_fault("/oauth/token", {"kind": "redirect", "location": other_host})

    with pytest.raises(sco.UnexpectedResponseError) as raised:
        client.exchange_code("ac_PLACEHOLDER")

    assert raised.value.http_status == 307
    assert len(fake.recorded()) == 1, "the redirect was followed"


def test_unexpected_response_for_oversized_body(fake: FakeStripe, client: sco.Client) -> None:
    fake.queue_fault("/oauth/token", {"kind": "oversized", "bytes": 65 * 1024})

    with pytest.raises(sco.UnexpectedResponseError) as raised:
        client.exchange_code("ac_PLACEHOLDER")

    assert "larger than" in raised.value.reason


def test_transport_error_after_sending(fake: FakeStripe, client: sco.Client) -> None:
    code = approved_code(fake)
    fake.queue_fault("/oauth/token", {"kind": "close", "process": True})

    with pytest.raises(sco.TransportError) as raised:
        client.exchange_code(code)

    assert type(raised.value) is sco.TransportError
    assert raised.value.may_have_been_processed is True
    assert len(fake.recorded("/oauth/token")) == 1, "the code was sent twice"


def test_transport_error_for_truncated_body(fake: FakeStripe, client: sco.Client) -> None:
    code = approved_code(fake)
    fake.queue_fault("/oauth/token", {"kind": "truncated"})

    with pytest.raises(sco.TransportError) as raised:
        client.exchange_code(code)

    assert raised.value.may_have_been_processed is True
    assert len(fake.recorded("/oauth/token")) == 1, "the code was sent twice"


def test_transport_error_before_sending() -> None:
    client = sco.Client(
        "sk_test_PLACEHOLDER",
        connect_base=f"http://127.0.0.1:{closed_loopback_port()}",
        retries=1,
        retry_backoff=0.01,
    )

    with pytest.raises(sco.TransportError) as raised:
        client.exchange_code("ac_PLACEHOLDER")

    assert type(raised.value) is sco.TransportError
    assert raised.value.may_have_been_processed is False


def test_timeout_error_is_builtin_timeout(fake: FakeStripe) -> None:
    client = sco.Client(fake.platform.test_secret_key, connect_base=fake.base_url, timeout=0.2)
    code = approved_code(fake)
    fake.queue_fault("/oauth/token", {"kind": "delay", "ms": 2000})

    with pytest.raises(sco.RequestTimeoutError) as raised:
        client.exchange_code(code)

    assert type(raised.value) is sco.RequestTimeoutError
    assert isinstance(raised.value, TimeoutError)
    assert isinstance(raised.value, sco.TransportError)
    assert raised.value.may_have_been_processed is True


def test_mode_mismatch_keeps_token(fake: FakeStripe, client: sco.Client) -> None:
    body = '{"stripe_user_id": "acct_Live1", "livemode": true, "access_token": "sk_live_TOKEN"}'
    fake.queue_fault("/oauth/token", {"kind": "response", "status": 200, "body": body})

    with pytest.raises(sco.ModeMismatchError) as raised:
        client.exchange_code("ac_PLACEHOLDER")

    error = raised.value
    assert type(error) is sco.ModeMismatchError
    assert error.key_livemode is False
    assert error.token is not None
    assert error.token.livemode is True
    assert error.token.access_token == "sk_live_TOKEN"
    assert "sk_live_TOKEN" not in str(error)


def test_decode_error_for_missing_account(fake: FakeStripe, client: sco.Client) -> None:
    fake.queue_fault(
        "/oauth/token", {"kind": "response", "status": 200, "body": '{"livemode": false}'}
    )

    with pytest.raises(sco.DecodeError) as raised:
        client.exchange_code("ac_PLACEHOLDER")

    assert type(raised.value) is sco.DecodeError
    assert "stripe_user_id" in str(raised.value)


def test_decode_error_keeps_http_status(fake: FakeStripe, client: sco.Client) -> None:
    fake.queue_fault("/oauth/token", {"kind": "response", "status": 200, "body": "{}"})

    with pytest.raises(sco.DecodeError) as raised:
        client.exchange_code("ac_PLACEHOLDER")

    assert raised.value.http_status == 200
    assert raised.value.may_have_been_processed is True


def raise_each_family(fake: FakeStripe, client: sco.Client) -> list[sco.StripeConnectOAuthError]:
    """Raise one exception of every family from the real code paths and collect them."""
    raised: list[sco.StripeConnectOAuthError] = []

    def collect(call: Any, *args: Any, **kwargs: Any) -> None:
        with pytest.raises(sco.StripeConnectOAuthError) as error:
            call(*args, **kwargs)
        raised.append(error.value)

    collect(sco.Client, "pk_test_PLACEHOLDER")
    for callback in [
        "code=ac_1",
        "code=ac_1&state=S2",
        "code=ac_1&code=ac_2&state=S1",
        "https://p.example/cb#code=ac_1&state=S1",
        "state=S1",
        "error=access_denied&error_description=No&state=S1",
        "error=invalid_scope&state=S1",
    ]:
        collect(sco.parse_callback, callback, STATE)

    live_token = '{"stripe_user_id": "acct_1", "livemode": true}'
    responses: list[dict[str, Any]] = [
        {"kind": "response", "status": 400, "body": '{"error": "invalid_grant"}'},
        {"kind": "response", "status": 400, "body": '{"error": {"message": "No"}}'},
        {"kind": "response", "status": 429, "headers": [["Retry-After", "1"]]},
        {"kind": "html_502"},
        {"kind": "close", "process": False},
        {"kind": "response", "status": 200, "body": '{"stripe_user_id": "acct_1"}'},
        {"kind": "response", "status": 200, "body": live_token},
    ]
    for fault in responses:
        fake.queue_fault("/oauth/token", fault)
        collect(client.exchange_code, "ac_PLACEHOLDER")

    fake.queue_fault("/oauth/token", {"kind": "delay", "ms": 1000})
    impatient = sco.Client(fake.platform.test_secret_key, connect_base=fake.base_url, timeout=0.1)
    collect(impatient.exchange_code, "ac_PLACEHOLDER")
    return raised


def test_every_family_pickles(fake: FakeStripe, client: sco.Client) -> None:
    errors = raise_each_family(fake, client)
    assert {error.kind for error in errors} == set(sco._errors.CLASSES_BY_KIND)

    for error in errors:
        restored = pickle.loads(pickle.dumps(error))
        assert type(restored) is type(error)
        assert str(restored) == str(error)
        assert vars(restored) == vars(error), f"{type(error).__name__} lost attributes"


def test_every_family_has_own_class() -> None:
    classes = sco._errors.CLASSES_BY_KIND
    assert len(set(classes.values())) == len(classes) == 16
    for kind, error_class in classes.items():
        assert error_class.kind == kind
        assert issubclass(error_class, sco.StripeConnectOAuthError)
        assert error_class.__name__ in sco.__all__
