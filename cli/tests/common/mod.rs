//! Helpers shared by the integration tests: running the built binary with a clean
//! environment, a plain HTTP client, and a check that output contains no secret.

#![allow(dead_code, unreachable_pub)]

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::process::{Child, Command, Output, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use serde_json::Value;

/// Path of the binary under test.
pub const BIN: &str = env!("CARGO_BIN_EXE_stripe-connect-oauth");

/// Environment variables the binary reads; every run starts without them.
const STRIPE_VARS: [&str; 3] = [
    "STRIPE_SECRET_KEY",
    "STRIPE_CLIENT_ID",
    "STRIPE_CONNECT_BASE",
];

/// Builds a command for the binary without the user's Stripe variables or log settings.
pub fn command(args: &[&str]) -> Command {
    let mut command = Command::new(BIN);
    command.args(args);
    for var in STRIPE_VARS {
        command.env_remove(var);
    }
    command.env_remove("RUST_LOG");
    command
}

/// The result of one run. It has no `Debug`, because stdout contains tokens when a test
/// passes `--show-secrets`.
pub struct Run {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// Parses stdout as one JSON value.
    pub fn json(&self) -> Value {
        serde_json::from_str(self.stdout.trim()).unwrap_or_else(|error| {
            panic!(
                "stdout is not JSON ({error}); exit {:?}, stderr: {}",
                self.code, self.stderr
            )
        })
    }

    /// Returns the value after `name: ` on the first stdout line that has it.
    pub fn field(&self, name: &str) -> Option<&str> {
        let prefix = format!("{name}: ");
        self.stdout
            .lines()
            .find_map(|line| line.strip_prefix(prefix.as_str()))
    }
}

fn collect(output: Output) -> Run {
    Run {
        code: output.status.code(),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// Runs the binary with `args` and extra environment variables.
pub fn run(args: &[&str], env: &[(&str, &str)]) -> Run {
    let mut command = command(args);
    command.envs(env.iter().copied());
    collect(command.output().expect("the binary should start"))
}

/// Runs the binary with `input` on its standard input.
pub fn run_with_stdin(args: &[&str], env: &[(&str, &str)], input: &str) -> Run {
    let mut command = command(args);
    command
        .envs(env.iter().copied())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = command.spawn().expect("the binary should start");
    child
        .stdin
        .take()
        .expect("stdin is piped")
        .write_all(input.as_bytes())
        .expect("stdin should accept the input");
    collect(child.wait_with_output().expect("the binary should finish"))
}

/// Prefixes of Stripe values that grant access.
const SECRET_PREFIXES: [&str; 6] = ["sk_test_", "sk_live_", "rk_test_", "rk_live_", "rt_", "ac_"];

/// Returns the secret-looking tokens in `text`: a secret prefix at a word boundary followed by
/// at least one letter or digit. Masked values such as `ac_***` do not count.
pub fn secret_tokens(text: &str) -> Vec<String> {
    let is_token_char = |c: char| c.is_ascii_alphanumeric() || c == '_';
    let mut found = Vec::new();
    for prefix in SECRET_PREFIXES {
        for (index, _) in text.match_indices(prefix) {
            let at_boundary = text[..index]
                .chars()
                .next_back()
                .is_none_or(|c| !is_token_char(c));
            let rest = &text[index + prefix.len()..];
            if at_boundary && rest.starts_with(|c: char| c.is_ascii_alphanumeric()) {
                let end = rest.find(|c| !is_token_char(c)).unwrap_or(rest.len());
                found.push(format!("{prefix}{}", &rest[..end]));
            }
        }
    }
    found
}

/// Asserts that neither stdout nor stderr contains a secret-looking token or any of `secrets`.
/// The failure message names the stream, never the secret.
pub fn assert_no_secrets(run: &Run, secrets: &[&str]) {
    for (stream, text) in [("stdout", &run.stdout), ("stderr", &run.stderr)] {
        let tokens = secret_tokens(text);
        assert!(
            tokens.is_empty(),
            "{stream} holds {} secret-looking token(s)",
            tokens.len()
        );
        for (index, secret) in secrets.iter().enumerate() {
            assert!(!text.contains(secret), "{stream} holds secret #{index}");
        }
    }
}

/// A ureq agent that returns 4xx/5xx responses instead of errors and follows no redirect.
pub fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .timeout_global(Some(Duration::from_secs(15)))
        .build()
        .into()
}

/// A response read to the end.
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Reply {
    /// Returns the first header named `name`, compared without case.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(header, _)| header.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }

    /// Returns every `Set-Cookie` header.
    pub fn set_cookies(&self) -> Vec<&str> {
        self.headers
            .iter()
            .filter(|(header, _)| header.eq_ignore_ascii_case("set-cookie"))
            .map(|(_, value)| value.as_str())
            .collect()
    }

    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body)
            .unwrap_or_else(|error| panic!("body is not JSON ({error}); status {}", self.status))
    }
}

fn read_reply(response: ureq::http::Response<ureq::Body>) -> Reply {
    let status = response.status().as_u16();
    let headers = response
        .headers()
        .iter()
        .map(|(name, value)| {
            (
                name.as_str().to_owned(),
                value.to_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    let body = response
        .into_body()
        .read_to_string()
        .expect("the body should be readable");
    Reply {
        status,
        headers,
        body,
    }
}

/// Sends a GET with optional extra headers.
pub fn get(url: &str, headers: &[(&str, &str)]) -> Reply {
    let mut request = agent().get(url);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    read_reply(request.call().expect("the GET should get a response"))
}

/// Sends a POST with a body and optional extra headers.
pub fn post(url: &str, headers: &[(&str, &str)], body: &str) -> Reply {
    let mut request = agent().post(url);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    read_reply(request.send(body).expect("the POST should get a response"))
}

/// Sends a JSON POST to a control endpoint of the fake and returns the JSON response.
pub fn post_json(url: &str, body: &Value) -> Value {
    let reply = post(
        url,
        &[("Content-Type", "application/json")],
        &body.to_string(),
    );
    assert_eq!(reply.status, 200, "control request to {url} failed");
    reply.json()
}

/// Returns a loopback port with nothing listening on it.
pub fn closed_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("a free port");
    let port = listener.local_addr().expect("an address").port();
    drop(listener);
    port
}

/// A child process killed when dropped.
pub struct ChildGuard {
    pub child: Child,
    pub stderr_lines: mpsc::Receiver<String>,
}

impl Drop for ChildGuard {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl ChildGuard {
    /// Collects the stderr lines received so far.
    pub fn stderr_so_far(&self) -> String {
        let mut text = String::new();
        while let Ok(line) = self.stderr_lines.try_recv() {
            text.push_str(&line);
            text.push('\n');
        }
        text
    }
}

/// Starts the binary with piped output and waits up to 60 s for its first stdout line.
pub fn spawn_and_read_line(args: &[&str], env: &[(&str, &str)]) -> (ChildGuard, String) {
    let mut command = command(args);
    command
        .envs(env.iter().copied())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = command.spawn().expect("the binary should start");
    let stdout = child.stdout.take().expect("stdout is piped");
    let stderr = child.stderr.take().expect("stderr is piped");

    let (line_sender, line_receiver) = mpsc::channel();
    thread::spawn(move || {
        let mut reader = BufReader::new(stdout);
        let mut line = String::new();
        let _ = reader.read_line(&mut line);
        let _ = line_sender.send(line);
        // Keep draining so the child never blocks on a full pipe.
        let _ = std::io::copy(&mut reader, &mut std::io::sink());
    });
    let (stderr_sender, stderr_lines) = mpsc::channel();
    thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            let _ = stderr_sender.send(line);
        }
    });

    let guard = ChildGuard {
        child,
        stderr_lines,
    };
    let line = line_receiver
        .recv_timeout(Duration::from_secs(60))
        .unwrap_or_else(|_| {
            panic!(
                "no stdout line within 60 s; stderr: {}",
                guard.stderr_so_far()
            )
        });
    (guard, line)
}
