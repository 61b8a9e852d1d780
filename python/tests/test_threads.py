"""Network calls release the GIL: exchanges from several threads are in flight together."""

from __future__ import annotations

import threading
import time

import stripe_connect_oauth as sco
from conftest import FakeStripe

THREADS = 4
DELAY_MS = 500


def test_exchanges_from_four_threads_overlap(fake: FakeStripe, client: sco.Client) -> None:
    codes = [fake.obtain_code(state="S1")["code"] for _ in range(THREADS)]
    # The fake processes each exchange at once, then delays its response by DELAY_MS.
    fake.queue_fault("/oauth/token", {"kind": "delay", "ms": DELAY_MS}, times=THREADS)
    barrier = threading.Barrier(THREADS)
    results: list[sco.TokenResponse] = []
    failures: list[BaseException] = []

    def exchange(code: str) -> None:
        barrier.wait()
        try:
            results.append(client.exchange_code(code))
        except BaseException as error:  # reported by the main thread
            failures.append(error)

    threads = [threading.Thread(target=exchange, args=(code,)) for code in codes]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)
    elapsed = time.monotonic() - started

    assert failures == []
    assert len(results) == THREADS
    records = fake.recorded("/oauth/token")
    assert len(records) == THREADS
    assert all(record["fault"] == "delay" for record in records)
    last_arrival = max(record["received_at_us"] for record in records)
    first_response = min(record["responded_at_us"] for record in records)
    # Had a thread kept the GIL while waiting, no request could arrive before the one ahead of
    # it got its response. Here every request arrived before the first response was sent.
    assert last_arrival < first_response, "the requests ran one after another"
    assert elapsed < 2 * DELAY_MS / 1000, f"four delayed exchanges took {elapsed:.2f} s"


def test_python_thread_runs_during_exchange(fake: FakeStripe, client: sco.Client) -> None:
    code = fake.obtain_code(state="S1")["code"]
    fake.queue_fault("/oauth/token", {"kind": "delay", "ms": DELAY_MS})
    ticks = 0
    done = threading.Event()

    def count() -> None:
        nonlocal ticks
        while not done.is_set():
            ticks += 1
            time.sleep(0.01)

    counter = threading.Thread(target=count)
    counter.start()
    try:
        client.exchange_code(code)
    finally:
        done.set()
        counter.join(timeout=10)

    # About DELAY_MS / 10 ms ticks; far fewer means the counter was starved of the GIL.
    assert ticks >= 10, f"the Python thread ran only {ticks} times during the exchange"
