"""A platform's "Connect with Stripe" routes as a WSGI app, with the standard library only.

Run it with STRIPE_SECRET_KEY and STRIPE_CLIENT_ID set, then open http://127.0.0.1:8080/connect.
STRIPE_CONNECT_BASE points it at a stand-in such as the fake-stripe-connect server.
"""

import os
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


def connect(environ, start_response):
    """Login route: remember a fresh state in an HttpOnly cookie and send the user to Stripe."""
    state = sco.generate_state()
    url = client.authorize_url(express=True, redirect_uri=REDIRECT_URI, state=state)
    cookie = f"{STATE_COOKIE}={state}; Path=/callback; Max-Age=600; HttpOnly; SameSite=Lax"
    start_response("302 Found", [("Location", url), ("Set-Cookie", cookie)])
    return [b""]


def callback(environ, start_response):
    """Callback route: check the state, then exchange the single-use code once."""
    cookies = SimpleCookie(environ.get("HTTP_COOKIE", ""))
    # One state serves one callback, so the cookie is cleared whatever happens next.
    headers = [
        ("Content-Type", "text/plain; charset=utf-8"),
        ("Set-Cookie", f"{STATE_COOKIE}=; Path=/callback; Max-Age=0; HttpOnly; SameSite=Lax"),
    ]
    if STATE_COOKIE not in cookies:
        start_response("400 Bad Request", headers)
        return [b"No authorization in progress: start again at /connect.\n"]

    try:
        expected_state = cookies[STATE_COOKIE].value
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
