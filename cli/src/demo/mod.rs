//! `stripe-connect-oauth demo`: a platform site on 127.0.0.1 that runs the whole Connect
//! OAuth flow, against an in-process fake Stripe server or against Stripe.

mod http;
mod pages;
mod routes;
mod store;

use std::io::{self, Write};
use std::net::{Ipv4Addr, TcpListener};
use std::panic::{self, AssertUnwindSafe};
use std::sync::Mutex;
use std::thread;

use fake_stripe::{FakeStripe, FakeStripeConfig};
use log::{debug, error, info, warn};
use serde_json::json;
use stripe_connect_oauth::{AccountId, Client, ClientId, ConnectBase, SecretKey, State};

use crate::cli::DemoArgs;
use crate::credentials::{self, DemoCredentials};
use crate::failure::Failure;

use self::http::{Request, Response};
use self::store::{ExpiringMap, MAX_AGE, MAX_RECORDS};

/// Threads that serve requests. An exchange blocks its thread while it waits for Stripe, so
/// the other threads keep serving pages meanwhile.
const WORKERS: usize = 4;

/// The state shared by every route: the client, the site's own addresses, and the
/// server-side records that the cookies name.
pub struct Demo {
    client: Client,
    /// The state of every authorization in progress, keyed by itself. A callback removes its
    /// state before anything else, so each state serves one callback.
    states: Mutex<ExpiringMap<State>>,
    /// Session id → the Standard account connected in that browser, for Disconnect.
    sessions: Mutex<ExpiringMap<AccountId>>,
    /// `127.0.0.1:PORT`, the only `Host` the site serves pages under.
    host: String,
    /// `http://127.0.0.1:PORT`.
    origin: String,
    /// `http://127.0.0.1:PORT/callback`, sent as `redirect_uri`.
    redirect_uri: String,
    /// The Stripe server in use, as the page header shows it.
    stripe_label: String,
}

/// The Stripe server the demo talks to.
struct Backend {
    client: Client,
    connect_base: String,
    stripe_label: String,
    /// The in-process fake, kept alive as long as the site runs.
    fake: Option<FakeStripe>,
    /// Whether `STRIPE_CONNECT_BASE` named a server other than `https://connect.stripe.com`.
    custom_base: bool,
}

/// Runs the demo until the process is stopped.
///
/// # Errors
///
/// A usage failure when only one of the two credentials is set, when `STRIPE_CONNECT_BASE` is
/// set without them, or when a value is invalid. Another failure when the port cannot be bound
/// or the fake cannot start.
pub fn run(args: DemoArgs) -> Result<(), Failure> {
    let credentials = credentials::demo_credentials()?;

    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, args.port)).map_err(|error| {
        Failure::other(format!(
            "cannot listen on 127.0.0.1:{}: {error}; pick another port with --port",
            args.port
        ))
    })?;
    let port = listener
        .local_addr()
        .map_err(|error| Failure::other(format!("cannot read the listening address: {error}")))?
        .port();
    let origin = format!("http://127.0.0.1:{port}");
    let redirect_uri = format!("{origin}/callback");

    let backend = match credentials {
        DemoCredentials::None => fake_backend(&redirect_uri)?,
        DemoCredentials::Stripe {
            secret_key,
            client_id,
            connect_base,
        } => stripe_backend(secret_key, client_id, connect_base, &redirect_uri)?,
    };
    let demo = Demo {
        client: backend.client,
        states: Mutex::new(ExpiringMap::new(MAX_RECORDS, MAX_AGE)),
        sessions: Mutex::new(ExpiringMap::new(MAX_RECORDS, MAX_AGE)),
        host: format!("127.0.0.1:{port}"),
        origin,
        redirect_uri,
        stripe_label: backend.stripe_label,
    };

    let server = tiny_http::Server::from_listener(listener, None)
        .map_err(|error| Failure::other(format!("cannot start the demo site: {error}")))?;
    info!("demo site listening on {}/", demo.origin);
    announce(
        &demo,
        &backend.connect_base,
        backend.fake.is_some(),
        backend.custom_base,
        &args,
    )?;

    serve(&server, &demo);
    drop(backend.fake);
    Ok(())
}

/// Starts the fake Stripe server in-process and registers the demo's callback with it.
fn fake_backend(redirect_uri: &str) -> Result<Backend, Failure> {
    let fake = FakeStripe::start_with(FakeStripeConfig::default())
        .map_err(|error| Failure::other(format!("cannot start the fake Stripe server: {error}")))?;
    fake.add_redirect_uri(redirect_uri).map_err(|error| {
        Failure::other(format!(
            "cannot register {redirect_uri} with the fake: {error}"
        ))
    })?;
    let base_url = fake.base_url();
    info!(
        "STRIPE_SECRET_KEY and STRIPE_CLIENT_ID are not set: started the fake Stripe server \
         in-process at {base_url}"
    );

    let platform = fake.platform();
    let client = (|| {
        Client::builder()
            .secret_key(SecretKey::new(platform.test_secret_key)?)
            .client_id(ClientId::new(platform.client_id)?)
            .connect_base(ConnectBase::new(&base_url)?)
            .build()
    })()
    .map_err(|error| {
        Failure::other(format!("cannot configure the client for the fake: {error}"))
    })?;

    Ok(Backend {
        client,
        stripe_label: format!("fake Stripe server at {base_url} (in-process, offline)"),
        connect_base: base_url,
        fake: Some(fake),
        custom_base: false,
    })
}

/// Uses the platform's credentials with `connect_base`: connect.stripe.com unless
/// `STRIPE_CONNECT_BASE` names another server.
fn stripe_backend(
    secret_key: SecretKey,
    client_id: ClientId,
    connect_base: ConnectBase,
    redirect_uri: &str,
) -> Result<Backend, Failure> {
    let mode = if secret_key.livemode() {
        "live"
    } else {
        "test"
    };
    let base = connect_base.as_str().to_owned();
    let custom_base = base != stripe_connect_oauth::DEFAULT_CONNECT_BASE;
    let source = if custom_base {
        "from STRIPE_CONNECT_BASE"
    } else {
        "the default"
    };
    info!(
        "using {base} ({source}) as client_id {client_id} with a {mode} mode secret key; \
         {redirect_uri} must be a registered redirect URI"
    );
    if secret_key.livemode() {
        warn!("STRIPE_SECRET_KEY is a live mode key: connections are real");
    }
    let client = Client::builder()
        .secret_key(secret_key)
        .client_id(client_id)
        .connect_base(connect_base)
        .build()
        .map_err(|error| Failure::other(format!("cannot configure the client: {error}")))?;
    let stripe_label = if custom_base {
        format!("{base} ({mode} mode)")
    } else {
        format!("connect.stripe.com ({mode} mode)")
    };
    Ok(Backend {
        client,
        connect_base: base,
        stripe_label,
        fake: None,
        custom_base,
    })
}

/// Prints where to open the site and which Stripe it uses, as text or as one JSON line.
fn announce(
    demo: &Demo,
    connect_base: &str,
    fake: bool,
    custom_base: bool,
    args: &DemoArgs,
) -> Result<(), Failure> {
    let demo_url = format!("{}/", demo.origin);
    let text = if args.announce_json {
        json!({
            "demo_url": demo_url,
            "redirect_uri": demo.redirect_uri,
            "connect_base": connect_base,
            "fake_stripe": fake,
        })
        .to_string()
    } else if fake {
        format!(
            "Demo platform site: {demo_url} (open it in a browser)\n\
             Stripe: the fake Stripe server at {connect_base}, started in-process because \
             STRIPE_SECRET_KEY and STRIPE_CLIENT_ID are not set. Nothing leaves this machine.\n\
             Stop the demo with Ctrl-C."
        )
    } else if custom_base {
        format!(
            "Demo platform site: {demo_url} (open it in a browser)\n\
             Stripe: {}, from STRIPE_CONNECT_BASE, with STRIPE_CLIENT_ID and \
             STRIPE_SECRET_KEY from the environment.\n\
             Register {} as a redirect URI with that server (fake-stripe takes \
             --redirect-uri URL), or it rejects the authorization.\n\
             Stop the demo with Ctrl-C.",
            demo.stripe_label, demo.redirect_uri
        )
    } else {
        format!(
            "Demo platform site: {demo_url} (open it in a browser)\n\
             Stripe: {}, with STRIPE_CLIENT_ID and STRIPE_SECRET_KEY from the environment.\n\
             Register {} as a redirect URI in the Connect settings of the Stripe Dashboard, \
             or Stripe rejects the authorization.\n\
             Stop the demo with Ctrl-C.",
            demo.stripe_label, demo.redirect_uri
        )
    };

    let mut stdout = io::stdout().lock();
    writeln!(stdout, "{text}")
        .and_then(|()| stdout.flush())
        .map_err(|error| Failure::other(format!("cannot write to stdout: {error}")))
}

/// Serves requests on a few threads until the server stops.
fn serve(server: &tiny_http::Server, demo: &Demo) {
    thread::scope(|scope| {
        for _ in 0..WORKERS {
            scope.spawn(|| {
                for request in server.incoming_requests() {
                    serve_one(demo, request);
                }
            });
        }
    });
}

fn serve_one(demo: &Demo, request: tiny_http::Request) {
    let view = Request::from_tiny(&request);
    let response = respond(demo, &view);
    // The path only, because the query of a callback contains the authorization code.
    debug!("{:?} {} -> {}", view.method, view.path(), response.status);
    if let Err(error) = request.respond(response.into_tiny()) {
        warn!("cannot send the response to {}: {error}", view.path());
    }
}

/// Runs the route, and turns a panic into an error page so the site keeps serving.
fn respond(demo: &Demo, request: &Request) -> Response {
    match panic::catch_unwind(AssertUnwindSafe(|| routes::handle(demo, request))) {
        Ok(response) => response,
        Err(_) => {
            error!(
                "the route for {} panicked; sent an error page",
                request.path()
            );
            Response::page(
                500,
                pages::problem(
                    &demo.stripe_label,
                    "Something went wrong",
                    "The demo hit an internal error. The log on the terminal has details.",
                    false,
                ),
            )
        }
    }
}
