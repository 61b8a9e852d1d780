"""Fixtures: the fake Stripe Connect server as a process, its control API, and clients.

The server is the `fake-stripe-connect` binary of this repository, started once per test
session with ``--port 0``. Its path comes from ``FAKE_STRIPE_CONNECT``, or defaults to the
workspace's debug build (``cargo build -p fake-stripe --bin fake-stripe-connect``).
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import tempfile
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

import stripe_connect_oauth as sco

REPOSITORY = Path(__file__).resolve().parents[2]
VECTORS = REPOSITORY / "tests" / "vectors"
DEFAULT_FAKE_BINARY = REPOSITORY / "target" / "debug" / "fake-stripe-connect"

# Seconds allowed for the fake to print its announcement line, and to exit after SIGTERM.
STARTUP_TIMEOUT = 10
SHUTDOWN_TIMEOUT = 10


def load_vectors(name: str) -> list[dict[str, Any]]:
    """Return the cases of one shared vector file, such as ``"callback"``."""
    with (VECTORS / f"{name}.json").open(encoding="utf-8") as file:
        cases: list[dict[str, Any]] = json.load(file)["cases"]
    return cases


@dataclass(frozen=True)
class Platform:
    """The credentials of one platform of the fake server."""

    client_id: str
    test_secret_key: str
    live_secret_key: str
    test_publishable_key: str
    redirect_uris: list[str]


class FakeStripe:
    """A running fake server and a small client of its control API under ``/__fake/``."""

    def __init__(self, announcement: dict[str, Any]) -> None:
        self.base_url: str = announcement["base_url"]
        self.platform = Platform(
            client_id=announcement["client_id"],
            test_secret_key=announcement["test_secret_key"],
            live_secret_key=announcement["live_secret_key"],
            test_publishable_key=announcement["test_publishable_key"],
            redirect_uris=announcement["redirect_uris"],
        )
        other = announcement["other_platform"]
        self.other_platform = Platform(
            client_id=other["client_id"],
            test_secret_key=other["test_secret_key"],
            live_secret_key=other["live_secret_key"],
            test_publishable_key=other["test_publishable_key"],
            redirect_uris=other["redirect_uris"],
        )

    def control(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        """Call a control endpoint and return its decoded JSON response."""
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(
            f"{self.base_url}/__fake/{path}",
            data=data,
            method=method,
            headers={"Content-Type": "application/json"},
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return json.load(response)
        except urllib.error.HTTPError as error:
            detail = error.read().decode(errors="replace")
            error.close()
            raise AssertionError(f"control call {method} {path} failed: {detail}") from None

    def obtain_code(self, **body: Any) -> dict[str, Any]:
        """Run the authorize page and the user's decision without a browser."""
        answer: dict[str, Any] = self.control("POST", "codes", body)
        return answer

    def recorded(self, path: str | None = None) -> list[dict[str, Any]]:
        """Return the recorded requests, oldest first, optionally only those to ``path``."""
        query = "" if path is None else f"?path={path}"
        answer = self.control("GET", f"requests{query}")
        requests: list[dict[str, Any]] = answer["requests"]
        return requests

    def queue_fault(self, path: str, fault: dict[str, Any], times: int = 1) -> None:
        """Apply ``fault`` to the next ``times`` requests to ``path``."""
        self.control("POST", "faults", {"path": path, "fault": fault, "times": times})

    def advance_clock(self, seconds: int) -> None:
        self.control("POST", "clock/advance", {"seconds": seconds})

    def reset(self) -> None:
        self.control("POST", "reset")


def closed_loopback_port() -> int:
    """Return a loopback port that nothing listens on, so a connection is refused."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def fake_binary() -> Path:
    configured = os.environ.get("FAKE_STRIPE_CONNECT")
    binary = Path(configured) if configured else DEFAULT_FAKE_BINARY
    if not binary.is_file():
        pytest.fail(
            f"fake Stripe server binary not found at {binary}: build it with "
            "`cargo build -p fake-stripe --bin fake-stripe-connect` or set FAKE_STRIPE_CONNECT"
        )
    return binary


@pytest.fixture(scope="session")
def fake_server() -> Iterator[FakeStripe]:
    """Start the fake server once per session and stop it with SIGTERM at the end."""
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(
            [str(fake_binary()), "--port", "0"],
            stdout=subprocess.PIPE,
            stderr=log,
            stdin=subprocess.DEVNULL,
        )
        try:
            announcement = read_announcement(process)
            yield FakeStripe(announcement)
        finally:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=SHUTDOWN_TIMEOUT)
            finally:
                if process.poll() is None:
                    process.kill()
                    process.wait()
                assert process.stdout is not None
                process.stdout.close()


def read_announcement(process: subprocess.Popen[bytes]) -> dict[str, Any]:
    assert process.stdout is not None
    # The fake prints its line as soon as it listens, so a read that outlives the limit means
    # that it is stuck. A timer then kills it, and the read returns an empty line.
    timer = threading.Timer(STARTUP_TIMEOUT, process.kill)
    timer.start()
    try:
        line = process.stdout.readline()
    finally:
        timer.cancel()
    if not line:
        pytest.fail("the fake Stripe server exited before printing its announcement line")
    announcement: dict[str, Any] = json.loads(line)
    return announcement


@pytest.fixture
def fake(fake_server: FakeStripe) -> FakeStripe:
    """The fake server with no records, faults, codes or accounts left by earlier tests."""
    fake_server.reset()
    return fake_server


@pytest.fixture
def client(fake: FakeStripe) -> sco.Client:
    """A client of the fake's platform with its test-mode secret key."""
    return sco.Client(
        fake.platform.test_secret_key,
        client_id=fake.platform.client_id,
        connect_base=fake.base_url,
    )
