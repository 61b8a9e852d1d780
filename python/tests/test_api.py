"""The shape of the Python API: arguments, immutability, exports."""

from __future__ import annotations

import copy
import pickle
import re
from typing import Any

import pytest

import stripe_connect_oauth as sco
from conftest import FakeStripe

CLIENT_ID = "ca_Platform1"


@pytest.fixture
def offline_client() -> sco.Client:
    """A client for authorize URLs, which send no request."""
    return sco.Client(client_id=CLIENT_ID)


def test_all_names_are_exported() -> None:
    for name in sco.__all__:
        assert hasattr(sco, name), name
    assert re.fullmatch(r"\d+\.\d+\.\d+", sco.__version__)


def test_generated_state_is_43_base64url_characters() -> None:
    states = {sco.generate_state() for _ in range(100)}

    assert len(states) == 100
    for state in states:
        assert re.fullmatch(r"[A-Za-z0-9_-]{43}", state)


def test_authorize_url_leaves_arguments_unchanged(offline_client: sco.Client) -> None:
    arguments: dict[str, Any] = {
        "stripe_user": {"email": "a@example.com", "dob_day": 5, "physical_product": True},
        "suggested_capabilities": ["transfers", "card_payments"],
        "extra": [("stripe_user[future_field]", "x")],
    }
    before = copy.deepcopy(arguments)

    offline_client.authorize_url(express=True, **arguments)

    assert arguments == before


def test_stripe_user_converts_int_bool_and_none(offline_client: sco.Client) -> None:
    url = offline_client.authorize_url(
        stripe_user={"dob_day": 5, "physical_product": False, "phone_number": None}
    )

    assert url.endswith("&stripe_user[dob_day]=5&stripe_user[physical_product]=false")


def test_stripe_user_unknown_key_is_named(offline_client: sco.Client) -> None:
    with pytest.raises(sco.ConfigurationError, match="favorite_color"):
        offline_client.authorize_url(stripe_user={"email": "a@example.com", "favorite_color": "b"})


def test_stripe_user_rejects_other_value_types(offline_client: sco.Client) -> None:
    with pytest.raises(TypeError, match=r"stripe_user\[dob_day\]"):
        offline_client.authorize_url(stripe_user={"dob_day": 5.0})  # type: ignore[dict-item]


def test_stripe_user_must_be_mapping(offline_client: sco.Client) -> None:
    with pytest.raises(TypeError, match="stripe_user"):
        offline_client.authorize_url(stripe_user=[("email", "a@example.com")])  # type: ignore[arg-type]


def test_capabilities_string_is_not_split(offline_client: sco.Client) -> None:
    with pytest.raises(TypeError):
        offline_client.authorize_url(express=True, suggested_capabilities="transfers")


def test_extra_accepts_mapping_in_order(offline_client: sco.Client) -> None:
    url = offline_client.authorize_url(extra={"b": "2", "a": "1"})

    assert url.endswith("&b=2&a=1")


def test_stripe_landing_is_checked(offline_client: sco.Client) -> None:
    with pytest.raises(sco.ConfigurationError) as raised:
        offline_client.authorize_url(stripe_landing="signup")  # type: ignore[arg-type]

    assert raised.value.parameter == "stripe_landing"


def test_credential_scheme_is_checked() -> None:
    with pytest.raises(sco.ConfigurationError) as raised:
        sco.Client(credential_scheme="digest")  # type: ignore[arg-type]

    assert raised.value.parameter == "credential_scheme"


def test_plain_http_base_off_loopback_is_rejected() -> None:
    with pytest.raises(sco.ConfigurationError) as raised:
        sco.Client("sk_test_PLACEHOLDER", connect_base="http://connect.example")

    assert raised.value.parameter == "connect_base"


def test_invalid_expected_state_is_configuration_error() -> None:
    with pytest.raises(sco.ConfigurationError):
        sco.parse_callback("code=ac_1&state=S1", "")


def test_results_are_immutable(fake: FakeStripe, client: sco.Client) -> None:
    token = client.exchange_code(fake.obtain_code(express=True)["code"])
    callback = sco.parse_callback("code=ac_1&state=S1", "S1")

    with pytest.raises(AttributeError):
        token.stripe_user_id = "acct_Other"  # type: ignore[misc]
    with pytest.raises(AttributeError):
        callback.code = "ac_2"  # type: ignore[misc]
    with pytest.raises(AttributeError):
        client.connect_base = "http://127.0.0.1:1"  # type: ignore[misc]
    assert isinstance(token.capabilities, tuple)


def test_token_response_pickles(fake: FakeStripe, client: sco.Client) -> None:
    state = sco.generate_state()
    obtained = fake.obtain_code(authorize_url=client.authorize_url(state=state))
    token = client.exchange_code(sco.parse_callback(obtained["location"], state).code)

    restored = pickle.loads(pickle.dumps(token))

    assert restored == token
    assert restored.access_token == token.access_token


def test_client_properties(fake: FakeStripe, client: sco.Client) -> None:
    assert client.connect_base == fake.base_url
    assert client.client_id == fake.platform.client_id
    assert sco.Client().client_id is None


def test_callback_compares_by_value() -> None:
    first = sco.parse_callback("code=ac_1&scope=read_write&state=S1", "S1")
    second = sco.parse_callback("code=ac_1&scope=read_write&state=S1", "S1")
    other_code = sco.parse_callback("code=ac_2&scope=read_write&state=S1", "S1")
    other_scope = sco.parse_callback("code=ac_1&state=S1", "S1")

    assert first == second
    assert first == sco.Callback("ac_1", "read_write")
    assert first != other_code
    assert first != other_scope
    assert first != ("ac_1", "read_write")  # type: ignore[comparison-overlap]


def test_callback_pickles_and_copies() -> None:
    callback = sco.parse_callback("code=ac_SECRETCODE&scope=read_only&state=S1", "S1")

    for restored in [
        pickle.loads(pickle.dumps(callback)),
        copy.copy(callback),
        copy.deepcopy(callback),
    ]:
        assert type(restored) is sco.Callback
        assert restored == callback
        assert restored.code == "ac_SECRETCODE"
        assert restored.scope == "read_only"
        assert repr(restored) == "Callback(code='***', scope='read_only')"


def test_callback_is_hashable() -> None:
    callback = sco.parse_callback("code=ac_1&state=S1", "S1")
    same = sco.Callback("ac_1")

    assert hash(callback) == hash(same)
    assert len({callback, same, sco.Callback("ac_2")}) == 2
    # The hash of the fields' tuple is salted per process, as the code is a secret.
    assert hash(callback) == hash(("ac_1", None))


def test_token_response_is_hashable(fake: FakeStripe, client: sco.Client) -> None:
    token = client.exchange_code(fake.obtain_code(express=True)["code"])
    restored = pickle.loads(pickle.dumps(token))
    other = sco.TokenResponse("acct_Other", False)

    assert hash(restored) == hash(token)
    assert len({token, restored, other}) == 2
    assert copy.copy(token) == token


def test_token_response_equality_covers_capabilities() -> None:
    with_transfers = sco.TokenResponse("acct_1", False, capabilities=["transfers"])
    without = sco.TokenResponse("acct_1", False)

    assert with_transfers != without
    assert with_transfers == sco.TokenResponse("acct_1", False, capabilities=("transfers",))
