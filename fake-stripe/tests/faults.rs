//! Queued faults, keep-alive and the HTTP layer, over real sockets (raw TCP where the
//! fault breaks HTTP).

mod common;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::sync::Barrier;
use std::thread;
use std::time::{Duration, Instant};

use common::{
    agent, exchange, post_form, raw_exchange, raw_token_request, split_response, standard_code,
};
use fake_stripe::{DEFAULT_OVERSIZED_BYTES, FakeStripe, Fault};

const TOKEN: &str = "/oauth/token";
const REUSED: &str = "This authorization code has already been used. All tokens issued with this \
                      code have been revoked.";

fn header_value<'a>(head: &'a str, name: &str) -> Option<&'a str> {
    head.lines().find_map(|line| {
        let (header, value) = line.split_once(':')?;
        header.eq_ignore_ascii_case(name).then_some(value.trim())
    })
}

#[test]
fn delay_fault_delays_a_processed_response() {
    let fake = FakeStripe::start().unwrap();
    fake.queue_fault(TOKEN, Fault::Delay { ms: 300 }).unwrap();
    let code = standard_code(&fake);

    let started = Instant::now();
    let reply = exchange(&agent(), &fake, &fake.platform().test_secret_key, &code);

    assert!(started.elapsed() >= Duration::from_millis(300));
    assert_eq!(reply.status, 200);
    let recorded = &fake.requests_to(TOKEN)[0];
    assert_eq!(recorded.fault.as_deref(), Some("delay"));
    assert!(recorded.responded_at_us.unwrap() >= recorded.received_at_us + 300_000);
}

#[test]
fn delayed_requests_overlap() {
    const CLIENTS: usize = 4;
    const DELAY_MS: u64 = 500;
    let fake = FakeStripe::start().unwrap();
    fake.queue_fault_times(TOKEN, Fault::Delay { ms: DELAY_MS }, CLIENTS)
        .unwrap();
    let key = fake.platform().test_secret_key;
    let codes: Vec<String> = (0..CLIENTS).map(|_| standard_code(&fake)).collect();
    let barrier = Barrier::new(CLIENTS);

    thread::scope(|scope| {
        for code in &codes {
            let (fake, key, barrier) = (&fake, &key, &barrier);
            scope.spawn(move || {
                barrier.wait();
                assert_eq!(exchange(&agent(), fake, key, code).status, 200);
            });
        }
    });

    // The recorded times show the overlap, so no wall-clock bound is needed.
    let records = fake.requests_to(TOKEN);
    assert_eq!(records.len(), CLIENTS);
    let last_received = records.iter().map(|r| r.received_at_us).max().unwrap();
    let first_responded = records
        .iter()
        .map(|r| r.responded_at_us.unwrap())
        .min()
        .unwrap();
    assert!(
        last_received < first_responded,
        "every request arrived before any answer"
    );
}

#[test]
fn response_fault_overrides_status_headers_and_body() {
    let fake = FakeStripe::start().unwrap();
    fake.queue_fault(
        TOKEN,
        Fault::Response {
            status: 429,
            headers: vec![("Retry-After".to_owned(), "2".to_owned())],
            body: r#"{"error":"rate_limit"}"#.to_owned(),
        },
    )
    .unwrap();
    let request = raw_token_request(&fake, &fake.platform().test_secret_key, "ac_any");

    let (raw, _) = raw_exchange(fake.local_addr(), &request);
    let (head, body) = split_response(&raw);

    assert!(head.starts_with("HTTP/1.1 429 Too Many Requests"));
    assert_eq!(header_value(&head, "retry-after"), Some("2"));
    assert_eq!(
        header_value(&head, "content-type"),
        Some("application/json")
    );
    assert_eq!(body, br#"{"error":"rate_limit"}"#.to_vec());
    assert_eq!(fake.requests_to(TOKEN)[0].status, Some(429));
}

#[test]
fn response_fault_leaves_code_unused() {
    let fake = FakeStripe::start().unwrap();
    let key = fake.platform().test_secret_key;
    let agent = agent();
    fake.queue_fault(
        TOKEN,
        Fault::Response {
            status: 200,
            headers: Vec::new(),
            body: r#"{"error":"invalid_grant","error_description":"Authorization code expired"}"#
                .to_owned(),
        },
    )
    .unwrap();
    let code = standard_code(&fake);

    let faulted = exchange(&agent, &fake, &key, &code);
    let normal = exchange(&agent, &fake, &key, &code);

    assert_eq!(faulted.status, 200);
    assert_eq!(faulted.oauth_error().1, "Authorization code expired");
    assert_eq!(normal.status, 200);
    assert!(normal.json()["stripe_user_id"].is_string());
}

#[test]
fn html_502_fault_sends_nginx_page() {
    let fake = FakeStripe::start().unwrap();
    fake.queue_fault(TOKEN, Fault::Html502).unwrap();

    let reply = exchange(&agent(), &fake, &fake.platform().test_secret_key, "ac_any");

    assert_eq!(reply.status, 502);
    assert_eq!(reply.content_type.as_deref(), Some("text/html"));
    assert!(reply.body.contains("<title>502 Bad Gateway</title>"));
    assert!(reply.body.contains("nginx"));
}

#[test]
fn empty_body_fault_sends_status_only() {
    let fake = FakeStripe::start().unwrap();
    fake.queue_fault(TOKEN, Fault::EmptyBody { status: 500 })
        .unwrap();

    let reply = exchange(&agent(), &fake, &fake.platform().test_secret_key, "ac_any");

    assert_eq!(reply.status, 500);
    assert_eq!(reply.content_type, None);
    assert_eq!(reply.body, "");
}

#[test]
fn close_fault_sends_nothing() {
    let fake = FakeStripe::start().unwrap();
    let key = fake.platform().test_secret_key;
    fake.queue_fault(TOKEN, Fault::Close { process: true })
        .unwrap();
    let code = standard_code(&fake);

    let (raw, closed) = raw_exchange(fake.local_addr(), &raw_token_request(&fake, &key, &code));
    let again = exchange(&agent(), &fake, &key, &code);

    assert!(raw.is_empty());
    assert!(closed);
    assert_eq!(again.oauth_error().1, REUSED);
    let recorded = &fake.requests_to(TOKEN)[0];
    assert_eq!(recorded.status, None);
    assert_eq!(recorded.fault.as_deref(), Some("close"));
    assert!(recorded.responded_at_us.is_some());
}

#[test]
fn close_fault_without_processing_leaves_code_unused() {
    let fake = FakeStripe::start().unwrap();
    let key = fake.platform().test_secret_key;
    fake.queue_fault(TOKEN, Fault::Close { process: false })
        .unwrap();
    let code = standard_code(&fake);

    let (raw, closed) = raw_exchange(fake.local_addr(), &raw_token_request(&fake, &key, &code));
    let again = exchange(&agent(), &fake, &key, &code);

    assert!(raw.is_empty());
    assert!(closed);
    assert_eq!(again.status, 200);
}

#[test]
fn close_fault_on_pooled_connection() {
    let fake = FakeStripe::start().unwrap();
    let key = fake.platform().test_secret_key;
    let agent = agent();
    assert_eq!(
        exchange(&agent, &fake, &key, &standard_code(&fake)).status,
        200
    );
    fake.queue_fault(TOKEN, Fault::Close { process: true })
        .unwrap();

    let result = agent
        .post(fake.url(TOKEN))
        .header("Authorization", common::basic(&key))
        .send_form([
            ("grant_type", "authorization_code"),
            ("code", standard_code(&fake).as_str()),
        ]);

    let records = fake.requests_to(TOKEN);
    // Whatever the client does (fail, or retry on a new connection), the server saw the
    // faulted request on the pooled connection.
    assert_eq!(records[1].connection_id, records[0].connection_id);
    assert_eq!(records[1].fault.as_deref(), Some("close"));
    if result.is_ok() {
        assert_eq!(
            records.len(),
            3,
            "a successful result means the client retried"
        );
    }
}

#[test]
fn truncated_fault_sends_half_the_body_then_closes() {
    let fake = FakeStripe::start().unwrap();
    let key = fake.platform().test_secret_key;
    fake.queue_fault(TOKEN, Fault::Truncated).unwrap();
    let code = standard_code(&fake);

    let (raw, closed) = raw_exchange(fake.local_addr(), &raw_token_request(&fake, &key, &code));
    let (head, body) = split_response(&raw);
    let again = exchange(&agent(), &fake, &key, &code);

    assert!(closed);
    assert!(head.starts_with("HTTP/1.1 200 OK"));
    let promised: usize = header_value(&head, "content-length")
        .unwrap()
        .parse()
        .unwrap();
    assert_eq!(body.len(), promised / 2);
    assert!(body.len() < promised);
    assert_eq!(
        again.oauth_error().1,
        REUSED,
        "the truncated exchange consumed the code"
    );
}

#[test]
fn oversized_fault_sends_more_than_a_mebibyte() {
    let fake = FakeStripe::start().unwrap();
    fake.queue_fault(
        TOKEN,
        Fault::Oversized {
            bytes: DEFAULT_OVERSIZED_BYTES,
        },
    )
    .unwrap();
    let request = raw_token_request(&fake, &fake.platform().test_secret_key, "ac_any");

    let (raw, _) = raw_exchange(fake.local_addr(), &request);
    let (head, body) = split_response(&raw);

    assert!(head.starts_with("HTTP/1.1 200 OK"));
    assert_eq!(body.len(), DEFAULT_OVERSIZED_BYTES);
    assert!(body.len() > 1024 * 1024);
    assert_eq!(
        header_value(&head, "content-length"),
        Some(DEFAULT_OVERSIZED_BYTES.to_string().as_str())
    );
}

#[test]
fn oversized_fault_survives_client_hanging_up() {
    let fake = FakeStripe::start().unwrap();
    fake.queue_fault(
        TOKEN,
        Fault::Oversized {
            bytes: 8 * 1024 * 1024,
        },
    )
    .unwrap();
    let request = raw_token_request(&fake, &fake.platform().test_secret_key, "ac_any");

    let mut stream = TcpStream::connect(fake.local_addr()).unwrap();
    stream.write_all(&request).unwrap();
    let mut first_bytes = [0u8; 1024];
    stream.read_exact(&mut first_bytes).unwrap();
    drop(stream);

    let reply = exchange(&agent(), &fake, &fake.platform().test_secret_key, "ac_any");
    assert_eq!(
        reply.status, 400,
        "the server still answers after the hang-up"
    );
}

#[test]
fn redirect_fault_points_elsewhere() {
    let fake = FakeStripe::start().unwrap();
    let elsewhere = FakeStripe::start().unwrap();
    let location = elsewhere.url(TOKEN);
    fake.queue_fault(
        TOKEN,
        Fault::Redirect {
            location: location.clone(),
            status: 307,
        },
    )
    .unwrap();

    let reply = exchange(&agent(), &fake, &fake.platform().test_secret_key, "ac_any");

    assert_eq!(reply.status, 307);
    assert_eq!(reply.location.as_deref(), Some(location.as_str()));
    assert!(
        elsewhere.requests().is_empty(),
        "the client followed no redirect"
    );
}

#[test]
fn faults_apply_in_order_to_their_path_only() {
    let fake = FakeStripe::start().unwrap();
    let agent = agent();
    let key = fake.platform().test_secret_key;
    fake.queue_fault("/oauth/deauthorize", Fault::Html502)
        .unwrap();
    fake.queue_fault(TOKEN, Fault::EmptyBody { status: 503 })
        .unwrap();
    fake.queue_fault(TOKEN, Fault::Html502).unwrap();

    let first = exchange(&agent, &fake, &key, "ac_any");
    let second = exchange(&agent, &fake, &key, "ac_any");
    let third = exchange(&agent, &fake, &key, "ac_any");

    assert_eq!(first.status, 503);
    assert_eq!(second.status, 502);
    assert_eq!(third.status, 400);
    assert_eq!(fake.pending_faults().len(), 1);
    assert_eq!(fake.pending_faults()[0].0, "/oauth/deauthorize");
}

#[test]
fn keep_alive_reuses_one_connection() {
    let fake = FakeStripe::start().unwrap();
    let agent = agent();
    let key = fake.platform().test_secret_key;

    for _ in 0..3 {
        assert_eq!(
            exchange(&agent, &fake, &key, &standard_code(&fake)).status,
            200
        );
    }

    let connections: Vec<u64> = fake
        .requests_to(TOKEN)
        .iter()
        .map(|recorded| recorded.connection_id)
        .collect();
    assert_eq!(connections.len(), 3);
    assert!(connections.iter().all(|id| *id == connections[0]));
}

#[test]
fn expect_continue_gets_interim_response() {
    let fake = FakeStripe::start().unwrap();
    let body = "grant_type=authorization_code&code=ac_any";
    let head = format!(
        "POST /oauth/token HTTP/1.1\r\nHost: x\r\nConnection: close\r\nExpect: 100-continue\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    let mut stream = TcpStream::connect(fake.local_addr()).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    stream.write_all(head.as_bytes()).unwrap();

    let mut interim = [0u8; 25];
    stream.read_exact(&mut interim).unwrap();
    stream.write_all(body.as_bytes()).unwrap();
    let mut rest = Vec::new();
    stream.read_to_end(&mut rest).unwrap();

    assert_eq!(&interim, b"HTTP/1.1 100 Continue\r\n\r\n");
    assert!(String::from_utf8_lossy(&rest).starts_with("HTTP/1.1 401 Unauthorized"));
}

#[test]
fn chunked_request_body_is_decoded() {
    let fake = FakeStripe::start().unwrap();
    let request = format!(
        "POST /oauth/token HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\
         Authorization: {}\r\nContent-Type: application/x-www-form-urlencoded\r\n\
         Transfer-Encoding: chunked\r\n\r\n\
         b\r\ngrant_type=\r\n12\r\nauthorization_code\r\n0\r\n\r\n",
        common::basic(&fake.platform().test_secret_key)
    );

    let (raw, _) = raw_exchange(fake.local_addr(), request.as_bytes());

    assert!(String::from_utf8_lossy(&raw).contains("Missing required param: code."));
    assert_eq!(
        fake.requests_to(TOKEN)[0].body,
        "grant_type=authorization_code"
    );
}

#[test]
fn malformed_request_is_rejected_and_closed() {
    let fake = FakeStripe::start().unwrap();

    let (raw, closed) = raw_exchange(fake.local_addr(), b"NOT HTTP AT ALL\r\n\r\n");

    assert!(closed);
    assert!(String::from_utf8_lossy(&raw).starts_with("HTTP/1.1 400 Bad Request"));
}

#[test]
fn too_large_request_body_is_rejected() {
    let fake = FakeStripe::start().unwrap();
    let request = "POST /oauth/token HTTP/1.1\r\nHost: x\r\nContent-Length: 2000000\r\n\r\n";

    let (raw, closed) = raw_exchange(fake.local_addr(), request.as_bytes());

    assert!(closed);
    assert!(String::from_utf8_lossy(&raw).starts_with("HTTP/1.1 413"));
}

#[test]
fn drop_stops_server_during_a_delay() {
    let fake = FakeStripe::start().unwrap();
    let addr = fake.local_addr();
    fake.queue_fault(TOKEN, Fault::Delay { ms: 60_000 })
        .unwrap();
    let request = raw_token_request(&fake, &fake.platform().test_secret_key, "ac_any");
    let client = thread::spawn(move || raw_exchange(addr, &request));
    while fake.requests().is_empty() {
        thread::sleep(Duration::from_millis(10));
    }

    let started = Instant::now();
    drop(fake);
    let (raw, closed) = client.join().unwrap();

    assert!(started.elapsed() < Duration::from_secs(5));
    assert!(raw.is_empty());
    assert!(closed);
    assert!(TcpStream::connect_timeout(&addr, Duration::from_secs(1)).is_err());
}

#[test]
fn deauthorize_path_can_be_faulted() {
    let fake = FakeStripe::start().unwrap();
    fake.queue_fault("/oauth/deauthorize", Fault::EmptyBody { status: 502 })
        .unwrap();

    let reply = post_form(
        &agent(),
        &fake.url("/oauth/deauthorize"),
        Some(&fake.platform().test_secret_key),
        &[("client_id", "ca_x"), ("stripe_user_id", "acct_x")],
    );

    assert_eq!(reply.status, 502);
}
