"""A platform's "Connect with Stripe" routes as a WSGI app, with the standard library only.

Run it with STRIPE_SECRET_KEY and STRIPE_CLIENT_ID set, then open http://127.0.0.1:8080/connect.
STRIPE_CONNECT_BASE points it at a stand-in such as the fake-stripe-connect server.
"""

import os
import threading
import time
from http.cookies import SimpleCookie
from wsgiref.simple_server import make_server

import stripe_connect_oauth as sco

client = sco.Client(
    os.environ["STRIPE_SECRET_KEY"],
    client_id=os.environ["STRIPE_CLIENT_ID"],
    connect_base=os.environ.get("STRIPE_CONNECT_BASE"),  # None: https://connect.stripe.com
)
REDIRECT_URI = "http://127.0.0.1:8080/callback"  # registered in the Connect settings
STATE_COOKIE = "stripe_oauth_state"
STATE_MAX_AGE = 600  # seconds, for the cookie and the server's record alike
MAX_PENDING_STATES = 10_000

# Issued states that no callback has used yet, mapped to their time.monotonic() issue time,
# oldest first. A replayed callback carries the captured cookie too, so only a record on the
# server can make each state serve one callback. A real app keeps this in its session store;
# this dict lives in one process and is lost on restart.
pending_states: dict[str, float] = {}
pending_states_lock = threading.Lock()


def remember_state(state: str) -> None:
    """Record a new state, first dropping the oldest ones while expired or over the limit."""
    now = time.monotonic()
    with pending_states_lock:
        while pending_states:
            oldest = next(iter(pending_states))
            expired = now - pending_states[oldest] > STATE_MAX_AGE
            if not expired and len(pending_states) < MAX_PENDING_STATES:
                break
            del pending_states[oldest]
        pending_states[state] = now


def take_state(state: str) -> bool:
    """Remove a state from the record and return whether it was there and unexpired."""
    with pending_states_lock:
        issued = pending_states.pop(state, None)
    return issued is not None and time.monotonic() - issued <= STATE_MAX_AGE


def connect(environ, start_response):
    """Login route: record a fresh state, set it in an HttpOnly cookie, send the user to Stripe."""
    state = sco.generate_state()
    remember_state(state)
    url = client.authorize_url(express=True, redirect_uri=REDIRECT_URI, state=state)
    cookie = (
        f"{STATE_COOKIE}={state}; Path=/callback; Max-Age={STATE_MAX_AGE}; HttpOnly; SameSite=Lax"
    )
    start_response("302 Found", [("Location", url), ("Set-Cookie", cookie)])
    return [b""]


def callback(environ, start_response):
    """Callback route: use up the state, check the callback, then exchange the code once."""
    cookies = SimpleCookie(environ.get("HTTP_COOKIE", ""))
    headers = [
        ("Content-Type", "text/plain; charset=utf-8"),
        ("Set-Cookie", f"{STATE_COOKIE}=; Path=/callback; Max-Age=0; HttpOnly; SameSite=Lax"),
    ]
    # The state leaves the record before the callback is parsed, so a replayed or concurrent
    # duplicate callback finds it gone and never sends the single-use code a second time.
    expected_state = cookies[STATE_COOKIE].value if STATE_COOKIE in cookies else None
    if expected_state is None or not take_state(expected_state):
        start_response("400 Bad Request", headers)
        return [b"No authorization in progress: start again at /connect.\n"]

    try:
        authorization = sco.parse_callback(environ.get("QUERY_STRING", ""), expected_state)
        token = client.exchange_code(authorization.code)
    except sco.AccessDeniedError:
        start_response("200 OK", headers)
        return [b"You declined to connect your Stripe account.\n"]
    except sco.CallbackError as error:
        start_response("400 Bad Request", headers)
        return [f"Invalid callback: {error}\n".encode()]
    except sco.StripeConnectOAuthError as error:
        # str(error) never contains a key, token or code, so it is safe to show and log.
        start_response("502 Bad Gateway", headers)
        return [f"Stripe did not connect the account: {error}\n".encode()]

    # Store token.stripe_user_id with the platform's user; it identifies the connected account.
    start_response("200 OK", headers)
    return [f"Connected {token.stripe_user_id}.\n".encode()]


def app(environ, start_response):
    routes = {"/connect": connect, "/callback": callback}
    route = routes.get(environ["PATH_INFO"])
    if route is None:
        start_response("404 Not Found", [("Content-Type", "text/plain")])
        return [b"Not found\n"]
    return route(environ, start_response)


if __name__ == "__main__":
    with make_server("127.0.0.1", 8080, app) as server:
        server.serve_forever()
