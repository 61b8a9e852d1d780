//! Helpers shared by the integration tests: a plain HTTP client that returns every status
//! and never follows redirects, and raw-socket requests for the faults that break HTTP.

#![allow(dead_code, unreachable_pub)]

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::Duration;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use fake_stripe::{CodeRequest, FakeStripe};
use serde_json::Value;

/// A response read to the end. It has no `Debug`, because the body may hold tokens.
pub struct Reply {
    pub status: u16,
    pub content_type: Option<String>,
    pub location: Option<String>,
    pub body: String,
}

impl Reply {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|error| {
            panic!(
                "response body is not JSON ({error}); status {}, {} bytes",
                self.status,
                self.body.len()
            )
        })
    }

    /// Returns the `error` and `error_description` of an OAuth error body.
    pub fn oauth_error(&self) -> (String, String) {
        let body = self.json();
        (
            body["error"].as_str().unwrap_or_default().to_owned(),
            body["error_description"]
                .as_str()
                .unwrap_or_default()
                .to_owned(),
        )
    }
}

/// A ureq agent that returns 4xx/5xx responses instead of errors and follows no redirect.
pub fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .timeout_global(Some(Duration::from_secs(10)))
        .build()
        .into()
}

fn read_reply(response: ureq::http::Response<ureq::Body>) -> Reply {
    let status = response.status().as_u16();
    let header = |name: &str| {
        response
            .headers()
            .get(name)
            .and_then(|value| value.to_str().ok())
            .map(str::to_owned)
    };
    let content_type = header("content-type");
    let location = header("location");
    let body = response
        .into_body()
        .read_to_string()
        .expect("response body should be readable");
    Reply {
        status,
        content_type,
        location,
        body,
    }
}

/// Returns the `Authorization` header value for `key` as Stripe documents it: Basic, key as
/// user name, empty password.
pub fn basic(key: &str) -> String {
    format!("Basic {}", STANDARD.encode(format!("{key}:")))
}

pub fn get(agent: &ureq::Agent, url: &str) -> Reply {
    read_reply(agent.get(url).call().expect("GET should complete"))
}

/// POSTs a form with the key as HTTP Basic user name (no header when `key` is `None`).
pub fn post_form(
    agent: &ureq::Agent,
    url: &str,
    key: Option<&str>,
    form: &[(&str, &str)],
) -> Reply {
    let mut request = agent.post(url);
    if let Some(key) = key {
        request = request.header("Authorization", basic(key));
    }
    read_reply(
        request
            .send_form(form.iter().copied())
            .expect("POST should complete"),
    )
}

/// POSTs a raw body with the given headers.
pub fn post_raw(agent: &ureq::Agent, url: &str, headers: &[(&str, &str)], body: &str) -> Reply {
    let mut request = agent.post(url);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    read_reply(request.send(body).expect("POST should complete"))
}

pub fn post_json(agent: &ureq::Agent, url: &str, body: &Value) -> Reply {
    post_raw(
        agent,
        url,
        &[("Content-Type", "application/json")],
        &body.to_string(),
    )
}

pub fn delete(agent: &ureq::Agent, url: &str) -> Reply {
    read_reply(agent.delete(url).call().expect("DELETE should complete"))
}

/// Obtains an approved test-mode code for the platform under test.
pub fn standard_code(fake: &FakeStripe) -> String {
    fake.obtain_code(&CodeRequest {
        scope: Some("read_write".to_owned()),
        ..CodeRequest::standard()
    })
    .expect("a valid authorize request")
    .expect_code()
    .to_owned()
}

/// Exchanges `code` at the token endpoint with `key`.
pub fn exchange(agent: &ureq::Agent, fake: &FakeStripe, key: &str, code: &str) -> Reply {
    post_form(
        agent,
        &fake.url("/oauth/token"),
        Some(key),
        &[("grant_type", "authorization_code"), ("code", code)],
    )
}

/// Sends raw bytes on a new connection and reads until the server closes it or 5 s pass.
/// Returns the bytes read and whether the server closed the connection.
pub fn raw_exchange(addr: SocketAddr, request: &[u8]) -> (Vec<u8>, bool) {
    let mut stream = TcpStream::connect(addr).expect("connect to the fake");
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    stream.write_all(request).expect("write the request");

    let mut received = Vec::new();
    let mut chunk = [0u8; 64 * 1024];
    loop {
        match stream.read(&mut chunk) {
            Ok(0) => return (received, true),
            Ok(count) => received.extend_from_slice(&chunk[..count]),
            Err(_) => return (received, false),
        }
    }
}

/// Builds a form POST to `/oauth/token` as raw HTTP/1.1 bytes, with `Connection: close`.
pub fn raw_token_request(fake: &FakeStripe, key: &str, code: &str) -> Vec<u8> {
    let body = format!("grant_type=authorization_code&code={code}");
    format!(
        "POST /oauth/token HTTP/1.1\r\nHost: {}\r\nAuthorization: {}\r\nConnection: close\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{body}",
        fake.local_addr(),
        basic(key),
        body.len()
    )
    .into_bytes()
}

/// Splits a raw HTTP response into head and body at the first empty line.
pub fn split_response(raw: &[u8]) -> (String, Vec<u8>) {
    let end = raw
        .windows(4)
        .position(|window| window == b"\r\n\r\n")
        .expect("a complete response head");
    (
        String::from_utf8_lossy(&raw[..end]).into_owned(),
        raw[end + 4..].to_vec(),
    )
}

/// Reads one query parameter from a URL (`+` is a space).
pub fn query_param(url: &str, name: &str) -> Option<String> {
    let query = url.split_once('?')?.1;
    form_urlencoded::parse(query.as_bytes())
        .find(|(key, _)| key == name)
        .map(|(_, value)| value.into_owned())
}
