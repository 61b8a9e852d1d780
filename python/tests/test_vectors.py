"""The shared vectors in tests/vectors/, run through the Python API.

Authorize and callback cases need no server. Token request cases are sent to the fake server,
whose records give the exact bytes on the wire. Token response cases make the fake send
the vector's status, headers and body, so the whole client decodes them.
"""

from __future__ import annotations

from typing import Any

import pytest

import stripe_connect_oauth as sco
from conftest import FakeStripe, load_vectors

CLASSES_BY_KIND: dict[str, type[sco.StripeConnectOAuthError]] = {
    "invalid_input": sco.ConfigurationError,
    "state_missing": sco.StateMissingError,
    "state_mismatch": sco.StateMismatchError,
    "duplicate_parameter": sco.DuplicateParameterError,
    "parameters_in_fragment": sco.ParametersInFragmentError,
    "missing_code": sco.MissingCodeError,
    "access_denied": sco.AccessDeniedError,
    "authorize_error": sco.AuthorizeError,
    "oauth_error": sco.OAuthError,
    "api_error": sco.ApiError,
    "rate_limited": sco.RateLimitedError,
    "unexpected_response": sco.UnexpectedResponseError,
    "transport": sco.TransportError,
    "timeout": sco.RequestTimeoutError,
    "mode_mismatch": sco.ModeMismatchError,
    "decode": sco.DecodeError,
}

# The connect base that the vectors print; requests go to the fake server instead.
VECTOR_CONNECT_BASES = ("https://connect.stripe.com", "http://127.0.0.1:12121")


def by_name(cases: list[dict[str, Any]]) -> pytest.MarkDecorator:
    return pytest.mark.parametrize("case", cases, ids=[case["name"] for case in cases])


def check_error(expect: dict[str, Any], error: sco.StripeConnectOAuthError) -> None:
    assert type(error) is CLASSES_BY_KIND[expect["error"]]
    assert error.kind == expect["error"]
    for excluded in expect.get("message_excludes", []):
        assert excluded not in str(error), "the message shows a secret value"


def authorize_arguments(params: dict[str, Any]) -> dict[str, Any]:
    """Translate a vector's authorize parameters into keyword arguments."""
    arguments = {key: value for key, value in params.items() if key != "account_type"}
    arguments["express"] = params["account_type"] == "express"
    if "extra" in arguments:
        arguments["extra"] = [tuple(pair) for pair in arguments["extra"]]
    return arguments


def build_authorize_url(case: dict[str, Any]) -> str:
    client = sco.Client(client_id=case["client_id"], connect_base=case.get("connect_base"))
    return client.authorize_url(**authorize_arguments(case["params"]))


@by_name(load_vectors("authorize"))
def test_authorize_vector(case: dict[str, Any]) -> None:
    expect = case["expect"]

    if "url" in expect:
        assert build_authorize_url(case) == expect["url"]
        return

    with pytest.raises(sco.StripeConnectOAuthError) as raised:
        build_authorize_url(case)
    check_error(expect, raised.value)


@by_name(load_vectors("callback"))
def test_callback_vector(case: dict[str, Any]) -> None:
    expect = case["expect"]

    if "code" in expect:
        callback = sco.parse_callback(case["callback"], case["expected_state"])
        assert callback.code == expect["code"]
        assert callback.scope == expect["scope"]
        return

    with pytest.raises(sco.StripeConnectOAuthError) as raised:
        sco.parse_callback(case["callback"], case["expected_state"])
    error = raised.value
    check_error(expect, error)
    if isinstance(error, (sco.AccessDeniedError, sco.AuthorizeError)):
        assert error.error_description == expect["description"]
    if isinstance(error, sco.AuthorizeError):
        assert error.error == expect["oauth_error"]
    if isinstance(error, sco.DuplicateParameterError):
        assert error.parameter == expect["parameter"]


def send_request(config: dict[str, Any], request: dict[str, Any]) -> None:
    """Create a client from a vector's config and send the vector's request with it."""
    client = sco.Client(**config)
    per_call = {"secret_key": request["secret_key"]} if "secret_key" in request else {}
    if request["kind"] == "exchange":
        client.exchange_code(
            request["code"],
            assert_capabilities=request.get("assert_capabilities"),
            **per_call,
        )
    elif request["kind"] == "refresh":
        client.refresh(request["refresh_token"], scope=request.get("scope"), **per_call)
    else:
        client.deauthorize(request["stripe_user_id"], **per_call)


@by_name(load_vectors("token_request"))
def test_token_request_vector(case: dict[str, Any], fake: FakeStripe) -> None:
    expect = case["expect"]
    config = dict(case["config"])
    config["connect_base"] = fake.base_url

    if "error" in expect:
        with pytest.raises(sco.ConfigurationError) as raised:
            send_request(config, case["request"])
        check_error(expect, raised.value)
        assert fake.recorded() == [], "a request was sent despite invalid input"
        return

    # The fake accepts none of the vectors' placeholder keys, so it rejects every request.
    with pytest.raises(sco.OAuthError) as rejected:
        send_request(config, case["request"])
    assert rejected.value.error == "invalid_client"

    (record,) = fake.recorded()
    expected_path = expect["url"]
    for base in VECTOR_CONNECT_BASES:
        expected_path = expected_path.removeprefix(base)
    assert record["method"] == expect["method"]
    assert record["path"] == expected_path
    assert record["body"] == expect["body"], "wrong body"
    headers: list[list[str]] = record["headers"]
    authorization = [value for name, value in headers if name.lower() == "authorization"]
    assert authorization == [expect["authorization"]], "wrong credential or more than one"
    content_type = [value for name, value in headers if name.lower() == "content-type"]
    assert content_type == [expect["content_type"]]
    for absent in expect.get("absent", []):
        everywhere = [record["body"], record["path"], *(value for _, value in headers)]
        assert not any(absent in text for text in everywhere), "an excluded credential was sent"


def fault_response(spec: dict[str, Any]) -> dict[str, Any]:
    headers = []
    if spec["content_type"] is not None:
        headers.append(["Content-Type", spec["content_type"]])
    if "retry_after" in spec:
        headers.append(["Retry-After", spec["retry_after"]])
    body = spec["body"] * spec.get("body_repeat", 1)
    return {"kind": "response", "status": spec["status"], "headers": headers, "body": body}


def receive_response(fake: FakeStripe, request: dict[str, Any]) -> Any:
    client = sco.Client(
        request["secret_key"],
        client_id="ca_PLACEHOLDER",
        connect_base=fake.base_url,
    )
    if request["kind"] == "exchange":
        return client.exchange_code(request.get("code", "ac_PLACEHOLDER"))
    if request["kind"] == "refresh":
        return client.refresh(request.get("refresh_token", "rt_PLACEHOLDER"))
    return client.deauthorize(request["stripe_user_id"])


def check_token(expected: dict[str, Any], token: sco.TokenResponse) -> None:
    assert token.stripe_user_id == expected["stripe_user_id"]
    assert token.livemode is expected["livemode"]
    assert token.scope == expected["scope"]
    assert token.token_type == expected["token_type"]
    assert token.access_token == expected["access_token"], "wrong access token"
    assert token.refresh_token == expected["refresh_token"], "wrong refresh token"
    assert token.stripe_publishable_key == expected["stripe_publishable_key"]
    assert token.capabilities == tuple(expected["capabilities"])


def check_response_error(expect: dict[str, Any], error: sco.StripeConnectOAuthError) -> None:
    check_error(expect, error)
    if "http_status" in expect:
        assert error.http_status == expect["http_status"]
    if "retry_after" in expect:
        seconds = None if error.retry_after is None else int(error.retry_after)
        assert seconds == expect["retry_after"]
    # A case that leaves out a field of the error does not check it.
    if isinstance(error, sco.OAuthError):
        if "oauth_error" in expect:
            assert error.error == expect["oauth_error"]
        if "description" in expect:
            assert error.error_description == expect["description"]
    if isinstance(error, sco.ApiError):
        if "message" in expect:
            assert error.message == expect["message"]
        if "param" in expect:
            assert error.param == expect["param"]
    if isinstance(error, sco.UnexpectedResponseError):
        assert error.content_type == expect["content_type"]
        assert len(error.body_excerpt.encode()) <= expect.get("excerpt_max_len", 512)
        if "excerpt_contains" in expect:
            assert expect["excerpt_contains"] in error.body_excerpt
        for excluded in expect.get("excerpt_excludes", []):
            assert excluded not in error.body_excerpt, "unmasked secret in the excerpt"


@by_name(load_vectors("token_response"))
def test_token_response_vector(case: dict[str, Any], fake: FakeStripe) -> None:
    expect = case["expect"]
    request = case["request"]
    path = "/oauth/deauthorize" if request["kind"] == "deauthorize" else "/oauth/token"
    fake.queue_fault(path, fault_response(case["response"]))

    if "token" in expect:
        check_token(expect["token"], receive_response(fake, request))
    elif "account" in expect:
        assert receive_response(fake, request) == expect["account"]
    else:
        with pytest.raises(sco.StripeConnectOAuthError) as raised:
            receive_response(fake, request)
        check_response_error(expect, raised.value)

    (record,) = fake.recorded(path)
    assert record["fault"] == "response", "the vector's response was not the one served"
