"""Arguments that PyO3 alone would reject with another exception than ConfigurationError:
``str`` values that UTF-8 cannot encode, and numbers out of range."""

from __future__ import annotations

import pickle
import traceback
from collections.abc import Callable
from typing import Any

import pytest

import stripe_connect_oauth as sco
from conftest import FakeStripe

# Each value below contains this marker, so that a leak of the value shows as a leak of it.
MARKER = "SECRET"
HIGH_SURROGATE = "\ud800"
LOW_SURROGATE = "\udfff"

Call = Callable[[sco.Client], object]

SURROGATE_CASES: list[tuple[str, Call, str]] = [
    (
        "Client secret_key",
        lambda client: sco.Client(
            f"sk_live_{MARKER}{HIGH_SURROGATE}", connect_base=client.connect_base
        ),
        "secret_key",
    ),
    (
        "Client client_id",
        lambda client: sco.Client(
            client_id=f"ca_{MARKER}{LOW_SURROGATE}", connect_base=client.connect_base
        ),
        "client_id",
    ),
    (
        "Client connect_base",
        lambda _client: sco.Client(connect_base=f"http://127.0.0.1/{MARKER}{HIGH_SURROGATE}"),
        "connect_base",
    ),
    (
        "Client credential_scheme",
        lambda client: sco.Client(
            connect_base=client.connect_base,
            credential_scheme=f"{MARKER}{HIGH_SURROGATE}",  # type: ignore[arg-type]
        ),
        "credential_scheme",
    ),
    (
        "exchange_code code",
        lambda client: client.exchange_code(f"ac_{MARKER}{LOW_SURROGATE}"),
        "code",
    ),
    (
        "exchange_code secret_key",
        lambda client: client.exchange_code(
            "ac_PLACEHOLDER", secret_key=f"sk_live_{MARKER}{HIGH_SURROGATE}"
        ),
        "secret_key",
    ),
    (
        "exchange_code assert_capabilities",
        lambda client: client.exchange_code(
            "ac_PLACEHOLDER", assert_capabilities=["transfers", f"{MARKER}{LOW_SURROGATE}"]
        ),
        "assert_capabilities",
    ),
    (
        "refresh refresh_token",
        lambda client: client.refresh(f"rt_{MARKER}{LOW_SURROGATE}"),
        "refresh_token",
    ),
    (
        "refresh scope",
        lambda client: client.refresh("rt_PLACEHOLDER", scope=f"{MARKER}{LOW_SURROGATE}"),  # type: ignore[arg-type]
        "scope",
    ),
    (
        "refresh secret_key",
        lambda client: client.refresh(
            "rt_PLACEHOLDER", secret_key=f"rk_live_{MARKER}{HIGH_SURROGATE}"
        ),
        "secret_key",
    ),
    (
        "deauthorize stripe_user_id",
        lambda client: client.deauthorize(f"acct_{MARKER}{HIGH_SURROGATE}"),
        "stripe_user_id",
    ),
    (
        "deauthorize secret_key",
        lambda client: client.deauthorize(
            "acct_PLACEHOLDER", secret_key=f"sk_live_{MARKER}{LOW_SURROGATE}"
        ),
        "secret_key",
    ),
    (
        "authorize_url redirect_uri",
        lambda client: client.authorize_url(
            redirect_uri=f"http://127.0.0.1:8080/callback?{MARKER}{HIGH_SURROGATE}"
        ),
        "redirect_uri",
    ),
    (
        "authorize_url state",
        lambda client: client.authorize_url(state=f"{MARKER}{HIGH_SURROGATE}"),
        "state",
    ),
    (
        "authorize_url scope",
        lambda client: client.authorize_url(scope=f"{MARKER}{HIGH_SURROGATE}"),  # type: ignore[arg-type]
        "scope",
    ),
    (
        "authorize_url stripe_landing",
        lambda client: client.authorize_url(stripe_landing=f"{MARKER}{HIGH_SURROGATE}"),  # type: ignore[arg-type]
        "stripe_landing",
    ),
    (
        "authorize_url suggested_capabilities",
        lambda client: client.authorize_url(
            express=True, suggested_capabilities=[f"{MARKER}{LOW_SURROGATE}"]
        ),
        "suggested_capabilities",
    ),
    (
        "authorize_url stripe_user key",
        lambda client: client.authorize_url(stripe_user={f"{MARKER}{LOW_SURROGATE}": "x"}),
        "stripe_user",
    ),
    (
        "authorize_url stripe_user value",
        lambda client: client.authorize_url(
            stripe_user={"email": f"{MARKER}{LOW_SURROGATE}@example.com"}
        ),
        "stripe_user",
    ),
    (
        "authorize_url extra key",
        lambda client: client.authorize_url(extra={f"{MARKER}{LOW_SURROGATE}": "x"}),
        "extra",
    ),
    (
        "authorize_url extra value",
        lambda client: client.authorize_url(extra=[("future", f"{MARKER}{LOW_SURROGATE}")]),
        "extra",
    ),
    (
        "parse_callback url",
        lambda _client: sco.parse_callback(f"code=ac_{MARKER}{LOW_SURROGATE}&state=S1", "S1"),
        "url",
    ),
    (
        "parse_callback expected_state",
        lambda _client: sco.parse_callback("code=ac_1&state=S1", f"{MARKER}{HIGH_SURROGATE}"),
        "expected_state",
    ),
    (
        "Callback code",
        lambda _client: sco.Callback(f"ac_{MARKER}{LOW_SURROGATE}"),
        "code",
    ),
    (
        "TokenResponse access_token",
        lambda _client: sco.TokenResponse(
            "acct_1", False, access_token=f"sk_test_{MARKER}{HIGH_SURROGATE}"
        ),
        "access_token",
    ),
    (
        "TokenResponse refresh_token",
        lambda _client: sco.TokenResponse(
            "acct_1", False, refresh_token=f"rt_{MARKER}{LOW_SURROGATE}"
        ),
        "refresh_token",
    ),
    (
        "TokenResponse capabilities",
        lambda _client: sco.TokenResponse(
            "acct_1", False, capabilities=[f"{MARKER}{LOW_SURROGATE}"]
        ),
        "capabilities",
    ),
]


@pytest.mark.parametrize(
    ("call", "parameter"),
    [pytest.param(call, parameter, id=name) for name, call, parameter in SURROGATE_CASES],
)
def test_lone_surrogate_is_configuration_error(
    fake: FakeStripe, client: sco.Client, call: Call, parameter: str
) -> None:
    with pytest.raises(sco.ConfigurationError) as raised:
        call(client)

    error = raised.value
    assert type(error) is sco.ConfigurationError
    assert isinstance(error, ValueError)
    assert error.parameter == parameter
    assert "lone surrogate" in str(error)
    assert fake.recorded() == [], "a request was sent"


@pytest.mark.parametrize(
    "call",
    [pytest.param(call, id=name) for name, call, _parameter in SURROGATE_CASES],
)
def test_lone_surrogate_error_hides_value(client: sco.Client, call: Call) -> None:
    with pytest.raises(sco.ConfigurationError) as raised:
        call(client)

    error = raised.value
    assert MARKER not in str(error)
    assert MARKER not in repr(error)
    assert MARKER not in repr(error.args)
    assert MARKER not in repr(vars(error))
    assert MARKER.encode() not in pickle.dumps(error)
    # The traceback shows notes, causes and contexts, so no chained exception keeps the value.
    assert MARKER not in "".join(
        traceback.format_exception(type(error), error, error.__traceback__)
    )


def test_lone_surrogate_message_names_field(client: sco.Client) -> None:
    with pytest.raises(sco.ConfigurationError) as raised:
        client.authorize_url(stripe_user={"email": f"a{LOW_SURROGATE}@example.com"})

    assert str(raised.value) == (
        "stripe_user[email] contains a lone surrogate (U+D800..U+DFFF), which is not valid text"
    )


def test_non_str_argument_is_still_type_error(client: sco.Client) -> None:
    with pytest.raises(TypeError):
        client.exchange_code(b"ac_1")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        sco.Client(client_id=1, connect_base=client.connect_base)  # type: ignore[arg-type]


@pytest.mark.parametrize("retries", [-1, 2**32, 2**64])
def test_retries_out_of_range(fake: FakeStripe, retries: int) -> None:
    with pytest.raises(sco.ConfigurationError) as raised:
        sco.Client(connect_base=fake.base_url, retries=retries)

    assert raised.value.parameter == "retries"
    assert str(raised.value) == "retries must be an int from 0 to 4294967295"


@pytest.mark.parametrize("retries", [0, 2**32 - 1, None])
def test_retries_in_range_are_accepted(fake: FakeStripe, retries: int | None) -> None:
    sco.Client(connect_base=fake.base_url, retries=retries)


def test_retries_of_wrong_type_is_type_error(fake: FakeStripe) -> None:
    with pytest.raises(TypeError):
        sco.Client(connect_base=fake.base_url, retries="2")  # type: ignore[arg-type]


@pytest.mark.parametrize("parameter", ["timeout", "connect_timeout"])
@pytest.mark.parametrize(
    "seconds",
    [0, 0.0, -0.0, 1e-12, -1.0, float("nan"), float("inf"), pytest.param(10**400, id="10**400")],
)
def test_invalid_time_limit_rejected(fake: FakeStripe, parameter: str, seconds: float) -> None:
    arguments: dict[str, Any] = {parameter: seconds}

    with pytest.raises(sco.ConfigurationError) as raised:
        sco.Client(connect_base=fake.base_url, **arguments)

    assert raised.value.parameter == parameter
    assert "greater than 0" in str(raised.value)


@pytest.mark.parametrize("parameter", ["timeout", "connect_timeout"])
def test_smallest_time_limit_is_accepted(fake: FakeStripe, parameter: str) -> None:
    arguments: dict[str, Any] = {parameter: 1e-9}

    sco.Client(connect_base=fake.base_url, **arguments)


@pytest.mark.parametrize(
    "seconds", [-1.0, float("nan"), float("inf"), pytest.param(10**400, id="10**400")]
)
def test_invalid_retry_backoff_rejected(fake: FakeStripe, seconds: float) -> None:
    with pytest.raises(sco.ConfigurationError) as raised:
        sco.Client(connect_base=fake.base_url, retry_backoff=seconds)

    assert raised.value.parameter == "retry_backoff"


def test_zero_retry_backoff_is_accepted(fake: FakeStripe) -> None:
    sco.Client(connect_base=fake.base_url, retry_backoff=0)


@pytest.mark.parametrize("day", [2**63, 2**70, -(2**63) - 1])
def test_stripe_user_int_out_of_range(client: sco.Client, day: int) -> None:
    with pytest.raises(sco.ConfigurationError) as raised:
        client.authorize_url(stripe_user={"dob_day": day})

    assert raised.value.parameter == "stripe_user"
    assert str(raised.value) == "stripe_user[dob_day] must be an int from -2**63 to 2**63 - 1"


def test_stripe_user_int_limits_accepted(client: sco.Client) -> None:
    # Free-text fields, because the core checks the range of dob_day, dob_month and dob_year.
    url = client.authorize_url(stripe_user={"phone_number": 2**63 - 1, "zip": -(2**63)})

    assert f"stripe_user[phone_number]={2**63 - 1}" in url
    assert f"stripe_user[zip]={-(2**63)}" in url
