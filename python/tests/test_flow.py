"""The whole OAuth flow against the fake server, for Express and Standard accounts."""

from __future__ import annotations

import base64
import urllib.parse

import pytest

import stripe_connect_oauth as sco
from conftest import FakeStripe


def basic_credential(secret_key: str) -> str:
    return "Basic " + base64.b64encode(f"{secret_key}:".encode()).decode()


def header(record: dict[str, object], name: str) -> list[str]:
    headers = record["headers"]
    assert isinstance(headers, list)
    return [value for key, value in headers if key.lower() == name.lower()]


def test_express_flow_connects_account(fake: FakeStripe, client: sco.Client) -> None:
    state = sco.generate_state()
    redirect_uri = fake.platform.redirect_uris[0]
    url = client.authorize_url(
        express=True,
        redirect_uri=redirect_uri,
        state=state,
        stripe_user={"email": "owner@example.com", "country": "US"},
        suggested_capabilities=["card_payments", "transfers"],
    )
    assert url.startswith(f"{fake.base_url}/express/oauth/authorize?response_type=code&")

    obtained = fake.obtain_code(authorize_url=url)
    callback = sco.parse_callback(obtained["location"], state)
    assert callback.code == obtained["code"]
    assert callback.scope is None

    token = client.exchange_code(callback.code, assert_capabilities=["transfers"])

    assert token.stripe_user_id == obtained["stripe_user_id"]
    assert token.stripe_user_id.startswith("acct_")
    assert token.livemode is False
    assert token.scope == "express"
    assert "transfers" in token.capabilities

    (exchange,) = fake.recorded("/oauth/token")
    assert exchange["method"] == "POST"
    assert exchange["body"] == (
        f"grant_type=authorization_code&code={callback.code}&assert_capabilities[]=transfers"
    )
    assert header(exchange, "Authorization") == [basic_credential(fake.platform.test_secret_key)]
    assert header(exchange, "Content-Type") == ["application/x-www-form-urlencoded"]


def test_standard_flow_refreshes_and_deauthorizes(fake: FakeStripe, client: sco.Client) -> None:
    state = sco.generate_state()
    url = client.authorize_url(scope="read_write", state=state, stripe_landing="register")
    assert url.startswith(f"{fake.base_url}/oauth/authorize?response_type=code&")

    obtained = fake.obtain_code(authorize_url=url)
    callback = sco.parse_callback(obtained["location"], state)
    assert callback.scope == "read_write"

    token = client.exchange_code(callback.code)
    assert token.stripe_user_id == obtained["stripe_user_id"]
    assert token.scope == "read_write"
    assert token.token_type == "bearer"
    assert token.access_token is not None
    assert token.access_token.startswith("sk_test_")
    assert token.refresh_token is not None
    assert token.stripe_publishable_key is not None
    assert token.stripe_publishable_key.startswith("pk_test_")
    assert token.capabilities == ()

    refreshed = client.refresh(token.refresh_token, scope="read_only")
    assert refreshed.stripe_user_id == token.stripe_user_id
    assert refreshed.scope == "read_only"
    assert refreshed.access_token is not None
    assert refreshed.access_token != token.access_token

    assert client.deauthorize(token.stripe_user_id) == token.stripe_user_id

    # Deauthorizing revokes the refresh tokens.
    with pytest.raises(sco.OAuthError) as revoked:
        client.refresh(token.refresh_token)
    assert revoked.value.error == "invalid_grant"

    refresh, _revoked_refresh = fake.recorded("/oauth/token")[1:]
    assert refresh["body"] == (
        "grant_type=refresh_token&refresh_token="
        + urllib.parse.quote(token.refresh_token, safe="")
        + "&scope=read_only"
    )
    (deauthorize,) = fake.recorded("/oauth/deauthorize")
    assert deauthorize["body"] == (
        f"client_id={fake.platform.client_id}&stripe_user_id={token.stripe_user_id}"
    )


def test_denied_authorization_raises_access_denied(fake: FakeStripe, client: sco.Client) -> None:
    state = sco.generate_state()
    url = client.authorize_url(express=True, state=state)
    obtained = fake.obtain_code(authorize_url=url, decision="deny")

    with pytest.raises(sco.AccessDeniedError) as denied:
        sco.parse_callback(obtained["location"], state)

    assert denied.value.error == "access_denied"
    assert denied.value.error_description == "The user denied your request"
    assert fake.recorded("/oauth/token") == []


def test_reused_code_is_rejected_by_stripe(fake: FakeStripe, client: sco.Client) -> None:
    state = sco.generate_state()
    obtained = fake.obtain_code(authorize_url=client.authorize_url(state=state))
    code = sco.parse_callback(obtained["location"], state).code
    client.exchange_code(code)

    with pytest.raises(sco.OAuthError) as reused:
        client.exchange_code(code)

    assert reused.value.error == "invalid_grant"
    assert reused.value.http_status == 400
    assert reused.value.error_description is not None
    assert "already been used" in reused.value.error_description


def test_expired_code_is_rejected_by_stripe(fake: FakeStripe, client: sco.Client) -> None:
    state = sco.generate_state()
    obtained = fake.obtain_code(authorize_url=client.authorize_url(state=state))
    fake.advance_clock(301)

    with pytest.raises(sco.OAuthError) as expired:
        client.exchange_code(obtained["code"])

    assert expired.value.error_description == "Authorization code expired"


def test_callback_with_other_state_sends_nothing(fake: FakeStripe, client: sco.Client) -> None:
    state = sco.generate_state()
    obtained = fake.obtain_code(authorize_url=client.authorize_url(state=state))

    with pytest.raises(sco.StateMismatchError):
        sco.parse_callback(obtained["location"], sco.generate_state())

    assert fake.recorded("/oauth/token") == []


def test_per_call_key_replaces_client_key(fake: FakeStripe) -> None:
    keyless = sco.Client(client_id=fake.platform.client_id, connect_base=fake.base_url)
    state = sco.generate_state()
    obtained = fake.obtain_code(authorize_url=keyless.authorize_url(state=state))

    token = keyless.exchange_code(obtained["code"], secret_key=fake.platform.test_secret_key)

    assert token.stripe_user_id == obtained["stripe_user_id"]
    (exchange,) = fake.recorded("/oauth/token")
    assert header(exchange, "Authorization") == [basic_credential(fake.platform.test_secret_key)]


def test_bearer_credential_scheme_is_accepted(fake: FakeStripe) -> None:
    bearer = sco.Client(
        fake.platform.test_secret_key,
        client_id=fake.platform.client_id,
        connect_base=fake.base_url,
        credential_scheme="bearer",
    )
    state = sco.generate_state()
    obtained = fake.obtain_code(authorize_url=bearer.authorize_url(state=state))

    bearer.exchange_code(obtained["code"])

    (exchange,) = fake.recorded("/oauth/token")
    assert header(exchange, "Authorization") == [f"Bearer {fake.platform.test_secret_key}"]
