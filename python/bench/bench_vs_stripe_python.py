"""Compare stripe_connect_oauth with stripe-python's OAuth helpers, in one run against the fake.

Measured, for both libraries:

- ``authorize_url`` calls per second, sequential and from 8 threads;
- ``exchange_code`` / ``stripe.OAuth.token`` code exchanges per second against the fake server
  over loopback, sequential and from 8 threads, each exchange with a fresh authorization code;
- the time of ``import`` in a fresh interpreter (median of several runs, minus the time of an
  interpreter that imports nothing), and the resident set size after the import.

Run it through ``python/bench/run-bench.sh``, which builds the wheel and the fake server and
creates a virtualenv with both libraries. Every loop has a fixed count, so the run ends by itself.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import signal
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

THREADS = 8
IMPORT_RUNS = 15
# Seconds allowed for the fake to print its announcement line.
STARTUP_TIMEOUT = 10

REDIRECT_URI = "http://127.0.0.1:8080/callback"
STATE = "bench-state-0123456789"
STRIPE_USER = {"email": "owner@example.com", "business_name": "Café & Bar", "country": "US"}


@contextmanager
def fake_server(binary: str) -> Iterator[dict[str, Any]]:
    process = subprocess.Popen(
        [binary, "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        stdin=subprocess.DEVNULL,
    )
    assert process.stdout is not None
    timer = threading.Timer(STARTUP_TIMEOUT, process.kill)
    timer.start()
    try:
        line = process.stdout.readline()
        timer.cancel()
        if not line:
            raise SystemExit("the fake Stripe server exited before printing its announcement")
        yield json.loads(line)
    finally:
        timer.cancel()
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=10)
        process.stdout.close()


def control(base_url: str, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(
        f"{base_url}/__fake/{path}",
        data=data,
        method=method,
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.load(response)


def obtain_codes(base_url: str, count: int) -> list[str]:
    """Approve ``count`` Standard authorizations through the control API, untimed."""
    control(base_url, "POST", "reset")
    body = {"scope": "read_write", "state": STATE}
    return [control(base_url, "POST", "codes", body)["code"] for _ in range(count)]


def rate(items: Sequence[Any], call: Callable[[Any], object], threads: int) -> float:
    """Return calls per second of ``call(item)`` for every item, split over ``threads`` threads.

    Each thread loops over its own share, so no per-call queue or executor cost is measured.
    """
    shares = [items[index::threads] for index in range(threads)]
    barrier = threading.Barrier(threads + 1)
    failures: list[BaseException] = []

    def work(share: Sequence[Any]) -> None:
        barrier.wait()
        try:
            for item in share:
                call(item)
        except BaseException as error:  # re-raised by the measuring thread
            failures.append(error)

    workers = [threading.Thread(target=work, args=(share,)) for share in shares]
    for worker in workers:
        worker.start()
    barrier.wait()
    started = time.perf_counter()
    for worker in workers:
        worker.join()
    elapsed = time.perf_counter() - started
    if failures:
        raise failures[0]
    return len(items) / elapsed


def measure_import(module: str, preload: str = "") -> tuple[float, int]:
    """Return the median import time in ms and the RSS in KiB after the import.

    Modules in ``preload`` are imported before the clock starts, as an application would have.
    """
    probe = (
        "import time{preload}; started = time.perf_counter(); {statement}; "
        "elapsed = time.perf_counter() - started; "
        "rss = [l for l in open('/proc/self/status') if l.startswith('VmRSS:')][0].split()[1]; "
        "print(elapsed * 1000, rss)"
    )
    statement = f"import {module}" if module else "pass"
    samples = []
    rss = 0
    for _ in range(IMPORT_RUNS):
        output = subprocess.run(
            [sys.executable, "-c", probe.format(preload=preload, statement=statement)],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.split()
        samples.append(float(output[0]))
        rss = int(output[1])
    return statistics.median(samples), rss


def print_row(name: str, ours: float, theirs: float, unit: str, better: str) -> None:
    """Print a table row whose ratio is how many times better our figure is."""
    ratio = ours / theirs if better == "higher" else theirs / ours
    digits = 1 if unit == "ms" else 0
    print(f"| {name} | {ours:,.{digits}f} {unit} | {theirs:,.{digits}f} {unit} | {ratio:.1f}x |")


def main(argv: Sequence[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fake", required=True, help="path of the fake-stripe-connect binary")
    parser.add_argument("--exchanges", type=int, default=2000, help="exchanges per measurement")
    parser.add_argument("--authorize", type=int, default=20000, help="URLs per measurement")
    options = parser.parse_args(argv)

    import stripe

    import stripe_connect_oauth as sco

    with fake_server(options.fake) as fake:
        base_url = fake["base_url"]
        secret_key = fake["test_secret_key"]
        client_id = fake["client_id"]

        stripe.api_key = secret_key
        stripe.client_id = client_id
        stripe.connect_api_base = base_url
        stripe.max_network_retries = 0
        client = sco.Client(secret_key, client_id=client_id, connect_base=base_url)

        def ours_url(_: object) -> str:
            return client.authorize_url(
                redirect_uri=REDIRECT_URI,
                scope="read_write",
                state=STATE,
                stripe_user=STRIPE_USER,
            )

        def stripe_url(_: object) -> str:
            return stripe.OAuth.authorize_url(
                redirect_uri=REDIRECT_URI,
                scope="read_write",
                state=STATE,
                stripe_user=STRIPE_USER,
            )

        def stripe_token(code: str) -> object:
            return stripe.OAuth.token(grant_type="authorization_code", code=code)

        # Warm-up outside the timed loops: the first exchange opens connections and the first
        # stripe-python call builds its HTTP client.
        for code in obtain_codes(base_url, 2):
            client.exchange_code(code)
        for code in obtain_codes(base_url, 2):
            stripe_token(code)

        results: dict[str, tuple[float, float]] = {}
        for threads in (1, THREADS):
            label = "sequential" if threads == 1 else f"{threads} threads"

            calls = range(options.authorize)
            ours = rate(calls, ours_url, threads)
            theirs = rate(calls, stripe_url, threads)
            results[f"authorize_url, {label}"] = (ours, theirs)

            ours = rate(obtain_codes(base_url, options.exchanges), client.exchange_code, threads)
            theirs = rate(obtain_codes(base_url, options.exchanges), stripe_token, threads)
            results[f"exchange_code, {label}"] = (ours, theirs)

    baseline_ms, baseline_rss = measure_import("")
    ours_ms, ours_rss = measure_import("stripe_connect_oauth")
    theirs_ms, theirs_rss = measure_import("stripe")
    # Most applications import logging before either library; both libraries use it.
    ours_warm_ms, _ = measure_import("stripe_connect_oauth", preload=", logging")
    theirs_warm_ms, _ = measure_import("stripe", preload=", logging")

    print(f"python {platform.python_version()}, stripe {stripe.VERSION}, ", end="")
    print(f"stripe_connect_oauth {sco.__version__}, {os.cpu_count()} CPUs, {platform.platform()}")
    print(f"exchanges per measurement: {options.exchanges}, URLs: {options.authorize}")
    print()
    print("| measurement | stripe_connect_oauth | stripe-python | ratio |")
    print("| --- | --- | --- | --- |")
    for name, (ours, theirs) in results.items():
        print_row(name, ours, theirs, "/s", "higher")
    print_row("import time", ours_ms - baseline_ms, theirs_ms - baseline_ms, "ms", "lower")
    print_row(
        "import time, logging imported before",
        ours_warm_ms - baseline_ms,
        theirs_warm_ms - baseline_ms,
        "ms",
        "lower",
    )
    print(
        f"| RSS after import (bare interpreter: {baseline_rss:,} KiB) "
        f"| {ours_rss:,} KiB | {theirs_rss:,} KiB | {theirs_rss / ours_rss:.1f}x |"
    )


if __name__ == "__main__":
    main(sys.argv[1:])
