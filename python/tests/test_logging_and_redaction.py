"""Rust log records reach Python's logging; secrets stay out of logs, reprs and messages."""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterator

import pytest

import stripe_connect_oauth as sco
from conftest import FakeStripe, closed_loopback_port


@pytest.fixture
def debug_logs(caplog: pytest.LogCaptureFixture) -> Iterator[pytest.LogCaptureFixture]:
    caplog.set_level(logging.DEBUG)
    sco.reset_logging_cache()
    yield caplog
    # caplog restores the levels after this; the bridge must not keep the DEBUG level cached.
    sco.reset_logging_cache()


def standard_token(fake: FakeStripe, client: sco.Client) -> tuple[str, sco.TokenResponse]:
    state = sco.generate_state()
    obtained = fake.obtain_code(authorize_url=client.authorize_url(state=state))
    code = sco.parse_callback(obtained["location"], state).code
    return code, client.exchange_code(code)


def test_request_is_logged_at_debug(
    fake: FakeStripe, client: sco.Client, debug_logs: pytest.LogCaptureFixture
) -> None:
    _code, _token = standard_token(fake, client)

    records = [r for r in debug_logs.records if r.name == "stripe_connect_oauth.client"]
    assert len(records) == 1
    assert records[0].levelno == logging.DEBUG
    assert records[0].getMessage().startswith("POST /oauth/token -> 200 in ")


def test_failed_request_is_logged_without_code(
    fake: FakeStripe, client: sco.Client, debug_logs: pytest.LogCaptureFixture
) -> None:
    fake.queue_fault("/oauth/token", {"kind": "close", "process": True})

    with pytest.raises(sco.TransportError):
        client.exchange_code("ac_SECRETCODE")

    messages = [r.getMessage() for r in debug_logs.records if r.name.startswith("stripe")]
    assert any("POST /oauth/token failed" in message for message in messages)
    assert not any("ac_SECRETCODE" in message for message in messages)


def test_http_client_chatter_is_not_forwarded(
    fake: FakeStripe, client: sco.Client, debug_logs: pytest.LogCaptureFixture
) -> None:
    standard_token(fake, client)

    names = {record.name for record in debug_logs.records}
    assert not any(name.startswith(("ureq", "rustls")) for name in names), names


def test_logs_hold_no_secret(
    fake: FakeStripe, client: sco.Client, debug_logs: pytest.LogCaptureFixture
) -> None:
    code, token = standard_token(fake, client)
    assert token.refresh_token is not None
    client.refresh(token.refresh_token)
    client.deauthorize(token.stripe_user_id)

    secrets = [fake.platform.test_secret_key, code, token.access_token, token.refresh_token]
    text = "\n".join(record.getMessage() for record in debug_logs.records)
    for secret in secrets:
        assert secret is not None
        assert secret not in text, "a secret reached the logs"


def test_token_repr_hides_tokens(fake: FakeStripe, client: sco.Client) -> None:
    _code, token = standard_token(fake, client)
    assert token.access_token is not None
    assert token.refresh_token is not None

    text = repr(token)

    assert token.access_token not in text
    assert token.refresh_token not in text
    assert "access_token='***'" in text
    assert "refresh_token='***'" in text
    assert token.stripe_user_id in text


def test_callback_repr_hides_code() -> None:
    callback = sco.parse_callback("https://p.example/cb?code=ac_SECRETCODE&state=S1", "S1")

    assert "ac_SECRETCODE" not in repr(callback)
    assert repr(callback) == "Callback(code='***', scope=None)"


def test_client_repr_hides_secret_key() -> None:
    client = sco.Client("sk_test_SECRETKEY", client_id="ca_Platform1")

    assert "sk_test_SECRETKEY" not in repr(client)
    assert repr(client) == (
        "Client(connect_base='https://connect.stripe.com', client_id='ca_Platform1')"
    )


def test_mode_mismatch_message_hides_token(fake: FakeStripe, client: sco.Client) -> None:
    body = '{"stripe_user_id": "acct_1", "livemode": true, "refresh_token": "rt_SECRET"}'
    fake.queue_fault("/oauth/token", {"kind": "response", "status": 200, "body": body})

    with pytest.raises(sco.ModeMismatchError) as raised:
        client.exchange_code("ac_PLACEHOLDER")

    assert "rt_SECRET" not in str(raised.value)
    assert "rt_SECRET" not in repr(raised.value)
    assert "rt_SECRET" not in repr(raised.value.token)


class RaisingFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        raise ValueError("filter failed")


class RaisingHandler(logging.Handler):
    def emit(self, record: logging.LogRecord) -> None:
        raise ValueError("handler failed")


@pytest.fixture
def unraisable(monkeypatch: pytest.MonkeyPatch) -> list[sys.UnraisableHookArgs]:
    """The reports sent to ``sys.unraisablehook`` during the test, in order."""
    reports: list[sys.UnraisableHookArgs] = []
    monkeypatch.setattr(sys, "unraisablehook", reports.append)
    return reports


@pytest.fixture(params=["filter", "handler"])
def failing_logger(request: pytest.FixtureRequest) -> Iterator[logging.Logger]:
    """The core's Python logger at DEBUG, with a filter or a handler that raises ValueError."""
    logger = logging.getLogger("stripe_connect_oauth.client")
    level = logger.level
    failing_filter = RaisingFilter()
    failing_handler = RaisingHandler()
    if request.param == "filter":
        logger.addFilter(failing_filter)
    else:
        logger.addHandler(failing_handler)
    logger.setLevel(logging.DEBUG)
    sco.reset_logging_cache()
    yield logger
    logger.removeFilter(failing_filter)
    logger.removeHandler(failing_handler)
    logger.setLevel(level)
    sco.reset_logging_cache()


def assert_logging_failures(
    reports: list[sys.UnraisableHookArgs], logger: logging.Logger, count: int
) -> None:
    assert len(reports) == count, [str(report.exc_value) for report in reports]
    for report in reports:
        assert type(report.exc_value) is ValueError
        assert str(report.exc_value) in {"filter failed", "handler failed"}
        assert report.object is logger


def test_failing_logging_keeps_exchange_result(
    fake: FakeStripe,
    client: sco.Client,
    failing_logger: logging.Logger,
    unraisable: list[sys.UnraisableHookArgs],
) -> None:
    obtained = fake.obtain_code(express=True)

    token = client.exchange_code(obtained["code"])

    assert token.stripe_user_id == obtained["stripe_user_id"]
    assert len(fake.recorded("/oauth/token")) == 1
    assert_logging_failures(unraisable, failing_logger, 1)


def test_failing_logging_keeps_oauth_error(
    fake: FakeStripe,
    client: sco.Client,
    failing_logger: logging.Logger,
    unraisable: list[sys.UnraisableHookArgs],
) -> None:
    with pytest.raises(sco.OAuthError) as raised:
        client.exchange_code("ac_NeverIssued")

    assert raised.value.error == "invalid_grant"
    assert_logging_failures(unraisable, failing_logger, 1)


def test_failing_logging_during_retries(
    failing_logger: logging.Logger, unraisable: list[sys.UnraisableHookArgs]
) -> None:
    client = sco.Client(
        "sk_test_PLACEHOLDER",
        connect_base=f"http://127.0.0.1:{closed_loopback_port()}",
        retries=2,
        retry_backoff=0.01,
    )

    with pytest.raises(sco.TransportError) as raised:
        client.exchange_code("ac_PLACEHOLDER")

    assert raised.value.may_have_been_processed is False
    # Two "retry" records and one "failed" record, and logging each of them raises.
    assert_logging_failures(unraisable, failing_logger, 3)


def test_failing_logging_keeps_refresh_and_deauthorize(
    fake: FakeStripe,
    client: sco.Client,
    failing_logger: logging.Logger,
    unraisable: list[sys.UnraisableHookArgs],
) -> None:
    _code, token = standard_token(fake, client)
    assert token.refresh_token is not None

    refreshed = client.refresh(token.refresh_token)
    disconnected = client.deauthorize(token.stripe_user_id)

    assert refreshed.stripe_user_id == token.stripe_user_id
    assert disconnected == token.stripe_user_id
    assert_logging_failures(unraisable, failing_logger, 3)
