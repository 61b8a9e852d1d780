"""The README's WSGI example, driven through its routes against the fake server."""

from __future__ import annotations

import importlib.util
import threading
import urllib.parse
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from types import ModuleType
from typing import Any
from wsgiref.util import setup_testing_defaults

import pytest

from conftest import FakeStripe

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "wsgi_platform.py"
README = Path(__file__).resolve().parents[1] / "README.md"


@pytest.fixture
def example(fake: FakeStripe, monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    """Import the example afresh, configured from the environment for the fake's platform."""
    monkeypatch.setenv("STRIPE_SECRET_KEY", fake.platform.test_secret_key)
    monkeypatch.setenv("STRIPE_CLIENT_ID", fake.platform.client_id)
    monkeypatch.setenv("STRIPE_CONNECT_BASE", fake.base_url)
    spec = importlib.util.spec_from_file_location("wsgi_platform", EXAMPLE)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def call(
    app: Callable[..., Any], path: str, query: str = "", cookie: str | None = None
) -> tuple[str, dict[str, str], str]:
    """Call a WSGI app and return its status, headers and body text."""
    environ: dict[str, Any] = {"PATH_INFO": path, "QUERY_STRING": query}
    if cookie is not None:
        environ["HTTP_COOKIE"] = cookie
    setup_testing_defaults(environ)
    started: dict[str, Any] = {}

    def start_response(status: str, headers: list[tuple[str, str]]) -> None:
        started["status"] = status
        started["headers"] = dict(headers)

    body = b"".join(app(environ, start_response)).decode()
    return started["status"], started["headers"], body


def connect(example: ModuleType) -> tuple[str, str]:
    """Run the login route and return the authorize URL and the state cookie."""
    status, headers, _ = call(example.app, "/connect")
    assert status == "302 Found"
    assert "HttpOnly" in headers["Set-Cookie"]
    cookie = headers["Set-Cookie"].split(";")[0]
    return headers["Location"], cookie


def test_example_is_in_readme() -> None:
    assert EXAMPLE.read_text(encoding="utf-8") in README.read_text(encoding="utf-8")


def test_example_connects_account(fake: FakeStripe, example: ModuleType) -> None:
    authorize_url, cookie = connect(example)
    assert authorize_url.startswith(f"{fake.base_url}/express/oauth/authorize?")

    obtained = fake.obtain_code(authorize_url=authorize_url)
    query = urllib.parse.urlsplit(obtained["location"]).query
    status, headers, body = call(example.app, "/callback", query, cookie)

    assert status == "200 OK"
    assert body == f"Connected {obtained['stripe_user_id']}.\n"
    assert "Max-Age=0" in headers["Set-Cookie"]


def test_example_reports_denial(fake: FakeStripe, example: ModuleType) -> None:
    authorize_url, cookie = connect(example)
    obtained = fake.obtain_code(authorize_url=authorize_url, decision="deny")
    query = urllib.parse.urlsplit(obtained["location"]).query

    status, _, body = call(example.app, "/callback", query, cookie)

    assert status == "200 OK"
    assert body.startswith("You declined")


def test_example_rejects_callback_without_cookie(fake: FakeStripe, example: ModuleType) -> None:
    authorize_url, _cookie = connect(example)
    obtained = fake.obtain_code(authorize_url=authorize_url)
    query = urllib.parse.urlsplit(obtained["location"]).query

    status, _, _ = call(example.app, "/callback", query)

    assert status == "400 Bad Request"
    assert fake.recorded("/oauth/token") == []


def test_example_rejects_other_state(fake: FakeStripe, example: ModuleType) -> None:
    authorize_url, _cookie = connect(example)
    obtained = fake.obtain_code(authorize_url=authorize_url)
    query = urllib.parse.urlsplit(obtained["location"]).query
    _other_url, other_cookie = connect(example)

    status, _, body = call(example.app, "/callback", query, other_cookie)

    assert status == "400 Bad Request"
    assert body.startswith("Invalid callback: state mismatch")
    assert fake.recorded("/oauth/token") == []


def test_example_rejects_replayed_callback(fake: FakeStripe, example: ModuleType) -> None:
    authorize_url, cookie = connect(example)
    obtained = fake.obtain_code(authorize_url=authorize_url)
    query = urllib.parse.urlsplit(obtained["location"]).query
    first_status, _, _ = call(example.app, "/callback", query, cookie)

    status, _, body = call(example.app, "/callback", query, cookie)

    assert first_status == "200 OK"
    assert status == "400 Bad Request"
    assert body.startswith("No authorization in progress")
    assert len(fake.recorded("/oauth/token")) == 1


def test_example_exchanges_concurrent_duplicates_once(
    fake: FakeStripe, example: ModuleType
) -> None:
    authorize_url, cookie = connect(example)
    obtained = fake.obtain_code(authorize_url=authorize_url)
    query = urllib.parse.urlsplit(obtained["location"]).query
    duplicates = 4
    barrier = threading.Barrier(duplicates, timeout=10)

    def deliver() -> str:
        barrier.wait()
        status, _, _ = call(example.app, "/callback", query, cookie)
        return status

    with ThreadPoolExecutor(max_workers=duplicates) as pool:
        statuses = sorted(pool.map(lambda _: deliver(), range(duplicates)))

    assert statuses == ["200 OK"] + ["400 Bad Request"] * (duplicates - 1)
    assert len(fake.recorded("/oauth/token")) == 1


def test_example_rejects_unrecorded_state(fake: FakeStripe, example: ModuleType) -> None:
    authorize_url, cookie = connect(example)
    obtained = fake.obtain_code(authorize_url=authorize_url)
    query = urllib.parse.urlsplit(obtained["location"]).query
    example.pending_states.clear()  # as after a restart, or for a forged cookie

    status, _, _ = call(example.app, "/callback", query, cookie)

    assert status == "400 Bad Request"
    assert fake.recorded("/oauth/token") == []


def test_example_rejects_expired_state(fake: FakeStripe, example: ModuleType) -> None:
    authorize_url, cookie = connect(example)
    obtained = fake.obtain_code(authorize_url=authorize_url)
    query = urllib.parse.urlsplit(obtained["location"]).query
    state = cookie.split("=", 1)[1]
    example.pending_states[state] -= example.STATE_MAX_AGE + 1

    status, _, _ = call(example.app, "/callback", query, cookie)

    assert status == "400 Bad Request"
    assert fake.recorded("/oauth/token") == []


def test_example_bounds_pending_states(
    example: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(example, "MAX_PENDING_STATES", 2)
    cookies = [connect(example)[1] for _ in range(3)]
    states = [cookie.split("=", 1)[1] for cookie in cookies]

    assert list(example.pending_states) == states[1:]


def test_example_reports_spent_code(fake: FakeStripe, example: ModuleType) -> None:
    authorize_url, cookie = connect(example)
    obtained = fake.obtain_code(authorize_url=authorize_url)
    query = urllib.parse.urlsplit(obtained["location"]).query
    call(example.app, "/callback", query, cookie)
    # A second, fresh state lets the spent code reach Stripe again.
    other_url, other_cookie = connect(example)
    other_state = urllib.parse.parse_qs(urllib.parse.urlsplit(other_url).query)["state"][0]
    spent_query = urllib.parse.urlencode({"code": obtained["code"], "state": other_state})

    status, _, body = call(example.app, "/callback", spent_query, other_cookie)

    assert status == "502 Bad Gateway"
    assert obtained["code"] not in body
