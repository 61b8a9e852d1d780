"""Browser end-to-end test of the demo platform site, in real headless Chromium.

The demo runs as a process on a free port with its in-process fake Stripe server. Chromium
clicks through the flows a user would, and the fake's control API
(GET /__fake/requests?path=/oauth/token) counts the token requests that reached "Stripe".

Run it through tests/e2e/run.sh, which installs Chromium, ChromeDriver and selenium. The
last line of output is "N passed, N failed"; the exit status is 1 when a test failed.
"""

import argparse
import json
import os
import queue
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

# Selenium must never download a driver or a browser, nor report usage: the Debian packages
# are used through explicit paths below.
os.environ["SE_OFFLINE"] = "true"
os.environ["SE_AVOID_STATS"] = "true"

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"

# Flags for headless Chromium as root in a container, with no traffic of its own.
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--window-size=1100,820",
]

# Seconds to wait for a page element, and for the demo to announce itself.
ELEMENT_TIMEOUT = 15
STARTUP_TIMEOUT = 60


class DemoSite:
    """The demo binary, started on a free port with no Stripe credentials."""

    def __init__(self, binary, log_path):
        env = {
            name: value
            for name, value in os.environ.items()
            if name not in ("STRIPE_SECRET_KEY", "STRIPE_CLIENT_ID", "STRIPE_CONNECT_BASE")
        }
        env["RUST_LOG"] = "info"
        self.log_path = log_path
        # The demo writes to this file until it stops, and stop() closes it.
        self._log = open(log_path, "w", encoding="utf-8")  # noqa: SIM115
        self.process = subprocess.Popen(
            [binary, "demo", "--port", "0", "--announce-json"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=self._log,
            env=env,
            text=True,
        )
        announcement = json.loads(self._first_line())
        if announcement.get("fake_stripe") is not True:
            raise RuntimeError("the demo did not start its in-process fake Stripe server")
        self.url = announcement["demo_url"]
        self.connect_base = announcement["connect_base"]

    def _first_line(self):
        lines = queue.Queue()
        reader = threading.Thread(
            target=lambda: lines.put(self.process.stdout.readline()), daemon=True
        )
        reader.start()
        try:
            line = lines.get(timeout=STARTUP_TIMEOUT)
        except queue.Empty:
            line = ""
        if not line:
            self.stop()
            raise RuntimeError(f"the demo did not start; see {self.log_path}")
        return line

    def fake_requests(self, path):
        """Returns how many requests to `path` the fake Stripe server recorded."""
        query = urllib.parse.urlencode({"path": path})
        with urllib.request.urlopen(
            f"{self.connect_base}/__fake/requests?{query}", timeout=10
        ) as response:
            return len(json.load(response)["requests"])

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._log.close()


class Browser:
    """One headless Chromium with a fresh profile, so no cookie carries over between tests."""

    def __init__(self, artifacts):
        self.profile = tempfile.mkdtemp(prefix="sco-e2e-profile-")
        options = webdriver.ChromeOptions()
        options.binary_location = CHROMIUM
        for flag in CHROMIUM_FLAGS:
            options.add_argument(flag)
        options.add_argument(f"--user-data-dir={self.profile}")
        service = Service(
            executable_path=CHROMEDRIVER,
            log_output=str(artifacts / "chromedriver.log"),
        )
        self.driver = webdriver.Chrome(service=service, options=options)

    def open(self, url):
        self.driver.get(url)

    def element(self, element_id):
        """Waits for the element with this id to be visible and returns it."""
        return WebDriverWait(self.driver, ELEMENT_TIMEOUT).until(
            expected_conditions.visibility_of_element_located((By.ID, element_id)),
            f"no visible element #{element_id} on {self.path()}",
        )

    def click(self, element_id):
        WebDriverWait(self.driver, ELEMENT_TIMEOUT).until(
            expected_conditions.element_to_be_clickable((By.ID, element_id)),
            f"no clickable element #{element_id} on {self.path()}",
        ).click()

    def path(self):
        """Returns the path of the current page. The query is left out: it may hold a code."""
        return urllib.parse.urlsplit(self.driver.current_url).path

    def save_failure(self, artifacts, name):
        self.driver.save_screenshot(str(artifacts / f"{name}.png"))
        (artifacts / f"{name}.html").write_text(self.driver.page_source, encoding="utf-8")

    def close(self):
        try:
            self.driver.quit()
        finally:
            shutil.rmtree(self.profile, ignore_errors=True)


def check(condition, message):
    if not condition:
        raise AssertionError(message)


def connect_and_approve(demo, browser, account_type):
    browser.open(demo.url)
    browser.click(f"connect-{account_type}")
    browser.click("authorize")
    return browser.element("account-id").text


def test_approve_shows_connected_account(demo, browser):
    before = demo.fake_requests("/oauth/token")

    account_id = connect_and_approve(demo, browser, "express")

    check(account_id.startswith("acct_"), f"the account id reads {account_id!r}")
    check(browser.element("mode").text == "test mode", "the mode is not test mode")
    check(browser.element("scope").text == "express", "the scope is not express")
    check(
        demo.fake_requests("/oauth/token") == before + 1,
        "the fake did not record exactly one token request",
    )


def test_deny_shows_message_and_retry(demo, browser):
    before = demo.fake_requests("/oauth/token")
    browser.open(demo.url)
    browser.click("connect-express")

    browser.click("deny")

    heading = browser.element("denied").text
    check(heading == "Connection declined", f"the heading reads {heading!r}")
    body = browser.driver.find_element(By.TAG_NAME, "main").text
    check("The user denied your request" in body, "Stripe's description is not shown")
    check(demo.fake_requests("/oauth/token") == before, "a token request was sent")
    browser.click("retry")
    browser.element("connect-express")


def test_tampered_state_shows_error_and_sends_nothing(demo, browser):
    before = demo.fake_requests("/oauth/token")
    browser.open(demo.url)
    browser.click("connect-standard")
    browser.element("authorize")

    # Replace the state on Stripe's page, as an attacker who sends their own link would.
    parts = urllib.parse.urlsplit(browser.driver.current_url)
    query = [
        (name, "TamperedState123" if name == "state" else value)
        for name, value in urllib.parse.parse_qsl(parts.query)
    ]
    tampered = parts._replace(query=urllib.parse.urlencode(query, safe="[]")).geturl()
    browser.open(tampered)
    browser.click("authorize")

    error = browser.element("error").text
    check("This callback does not match" in error, f"the error reads {error!r}")
    check(
        browser.element("nothing-sent").text == "Nothing was sent to Stripe.",
        "the page does not say that nothing was sent",
    )
    check(
        demo.fake_requests("/oauth/token") == before,
        "the fake recorded a token request for a tampered callback",
    )


def test_reload_of_callback_sends_one_token_request(demo, browser):
    before = demo.fake_requests("/oauth/token")
    connect_and_approve(demo, browser, "express")
    check(browser.path() == "/callback", f"the success page is at {browser.path()}")

    browser.driver.refresh()

    error = browser.element("error").text
    check("No connection in progress" in error, f"the error reads {error!r}")
    check(
        demo.fake_requests("/oauth/token") == before + 1,
        "the fake did not record exactly one token request after the reload",
    )


def test_replayed_callback_with_cookie_sends_nothing(demo, browser):
    before = demo.fake_requests("/oauth/token")
    browser.open(demo.url)
    browser.click("connect-express")
    browser.element("authorize")
    # Cookies ignore the port, so the state cookie is readable on the fake's page too.
    captured = browser.driver.get_cookie("stripe_oauth_state")
    check(captured is not None, "no state cookie was set")
    browser.click("authorize")
    browser.element("account-id")

    # Replay the callback with the captured cookie, as someone who copied the request would.
    browser.driver.add_cookie(
        {"name": "stripe_oauth_state", "value": captured["value"], "path": "/"}
    )
    browser.driver.refresh()

    error = browser.element("error").text
    check("No connection in progress" in error, f"the error reads {error!r}")
    check(
        demo.fake_requests("/oauth/token") == before + 1,
        "the replayed callback sent the code to the fake again",
    )


def test_standard_account_disconnects(demo, browser):
    before = demo.fake_requests("/oauth/deauthorize")
    account_id = connect_and_approve(demo, browser, "standard")
    check(browser.element("scope").text == "read_write", "the scope is not read_write")

    browser.click("disconnect")

    check(
        browser.element("disconnected").text == "Account disconnected",
        "the disconnect page is not shown",
    )
    check(browser.element("account-id").text == account_id, "another account was named")
    check(
        demo.fake_requests("/oauth/deauthorize") == before + 1,
        "the fake did not record exactly one deauthorize request",
    )


def test_forged_account_cookie_disconnects_nothing(demo, browser):
    before = demo.fake_requests("/oauth/deauthorize")
    account_id = connect_and_approve(demo, browser, "standard")
    browser.element("disconnect")

    # Swap the session for a cookie that names the account, as a forger would.
    browser.driver.delete_cookie("demo_session")
    browser.driver.add_cookie({"name": "connected_account", "value": account_id, "path": "/"})
    browser.click("disconnect")

    error = browser.element("error").text
    check("No connected account" in error, f"the error reads {error!r}")
    check(
        demo.fake_requests("/oauth/deauthorize") == before,
        "the fake recorded a deauthorize request for a forged cookie",
    )


TESTS = [
    test_approve_shows_connected_account,
    test_deny_shows_message_and_retry,
    test_tampered_state_shows_error_and_sends_nothing,
    test_reload_of_callback_sends_one_token_request,
    test_replayed_callback_with_cookie_sends_nothing,
    test_standard_account_disconnects,
    test_forged_account_cookie_disconnects_nothing,
]


def run_tests(demo, artifacts):
    passed = failed = 0
    for test in TESTS:
        name = test.__name__
        browser = None
        try:
            browser = Browser(artifacts)
            test(demo, browser)
        # Any exception fails this test only: it is reported and counted, and the rest run.
        except Exception as error:
            failed += 1
            lines = str(error).strip().splitlines()
            print(f"FAIL {name}: {type(error).__name__}: {lines[0] if lines else ''}")
            save_failure(browser, artifacts, name)
        else:
            passed += 1
            print(f"ok   {name}")
        finally:
            if browser is not None:
                browser.close()
    return passed, failed


def save_failure(browser, artifacts, name):
    if browser is None:
        print("     no browser started; see chromedriver.log in the artifacts")
        return
    try:
        browser.save_failure(artifacts, name)
    # The test failure is already reported, so a failed screenshot only adds a line.
    except Exception as error:
        print(f"     could not save a screenshot: {type(error).__name__}")
        return
    print(f"     screenshot: {artifacts / (name + '.png')}")


def take_docs_screenshots(demo, artifacts, directory):
    """Saves the home page and the connected page, as the README shows them."""
    directory.mkdir(parents=True, exist_ok=True)
    browser = Browser(artifacts)
    try:
        browser.open(demo.url)
        browser.element("connect-express")
        browser.driver.save_screenshot(str(directory / "demo-home.png"))
        browser.click("connect-express")
        browser.click("authorize")
        browser.element("account-id")
        browser.driver.save_screenshot(str(directory / "demo-connected.png"))
    finally:
        browser.close()
    print(f"saved {directory / 'demo-home.png'} and {directory / 'demo-connected.png'}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--binary", required=True, help="path of the stripe-connect-oauth binary")
    parser.add_argument("--artifacts", required=True, help="directory for logs and screenshots")
    parser.add_argument(
        "--docs-screenshots",
        metavar="DIR",
        help="save demo-home.png and demo-connected.png in DIR instead of running the tests",
    )
    args = parser.parse_args()

    artifacts = Path(args.artifacts).resolve()
    artifacts.mkdir(parents=True, exist_ok=True)
    for old in artifacts.glob("test_*"):
        old.unlink()

    started = time.monotonic()
    try:
        demo = DemoSite(args.binary, artifacts / "demo.log")
    except (OSError, RuntimeError, ValueError, KeyError) as error:
        print(f"FAIL the demo did not start: {error}")
        print("0 passed, 1 failed")
        return 1
    try:
        if args.docs_screenshots:
            take_docs_screenshots(demo, artifacts, Path(args.docs_screenshots))
            return 0
        passed, failed = run_tests(demo, artifacts)
    finally:
        demo.stop()

    if failed:
        print(f"demo log: {demo.log_path}")
    print(f"browser tests took {time.monotonic() - started:.1f} s")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed or not passed else 0


if __name__ == "__main__":
    sys.exit(main())
