//! The `fake-stripe-connect` binary: the JSON line, serving, and a clean stop on signals.

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::{agent, get};
use serde_json::Value;

fn spawn(args: &[&str]) -> (Child, Value) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_fake-stripe-connect"))
        .args(args)
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("the binary starts");
    let mut line = String::new();
    BufReader::new(child.stdout.as_mut().unwrap())
        .read_line(&mut line)
        .expect("the binary prints a line");
    let announcement = serde_json::from_str(&line).expect("the line is JSON");
    (child, announcement)
}

fn send_signal(child: &Child, signal: &str) {
    let status = Command::new("kill")
        .args([signal, &child.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(status.success());
}

/// Waits up to 10 s for the child to exit; kills it and fails otherwise.
fn wait_for_exit(child: &mut Child) -> std::process::ExitStatus {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("the binary did not exit within 10 s of the signal");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn announces_serves_and_stops_on_sigterm() {
    let (mut child, announcement) = spawn(&["--port", "0"]);

    let base_url = announcement["base_url"].as_str().unwrap();
    assert!(base_url.starts_with("http://127.0.0.1:"));
    assert!(
        announcement["client_id"]
            .as_str()
            .unwrap()
            .starts_with("ca_")
    );
    assert!(
        announcement["test_secret_key"]
            .as_str()
            .unwrap()
            .starts_with("sk_test_")
    );
    assert!(
        announcement["live_secret_key"]
            .as_str()
            .unwrap()
            .starts_with("sk_live_")
    );
    assert!(
        announcement["test_publishable_key"]
            .as_str()
            .unwrap()
            .starts_with("pk_test_")
    );
    assert!(announcement["redirect_uris"].is_array());
    assert!(announcement["other_platform"]["client_id"].is_string());
    let config = get(&agent(), &format!("{base_url}/__fake/config"));
    assert_eq!(config.json(), announcement);

    send_signal(&child, "-TERM");

    assert_eq!(wait_for_exit(&mut child).code(), Some(0));
}

#[test]
fn stops_cleanly_on_sigint() {
    let (mut child, _) = spawn(&["--port=0"]);

    send_signal(&child, "-INT");

    assert_eq!(wait_for_exit(&mut child).code(), Some(0));
}

#[test]
fn extra_redirect_uri_is_registered() {
    let (mut child, announcement) = spawn(&[
        "--port",
        "0",
        "--redirect-uri",
        "http://127.0.0.1:8080/demo",
    ]);
    send_signal(&child, "-TERM");
    wait_for_exit(&mut child);

    let uris = announcement["redirect_uris"].as_array().unwrap();
    assert_eq!(uris.last().unwrap(), "http://127.0.0.1:8080/demo");
}

#[test]
fn bad_argument_exits_with_usage_error() {
    let output = Command::new(env!("CARGO_BIN_EXE_fake-stripe-connect"))
        .arg("--nonsense")
        .output()
        .unwrap();

    assert_eq!(output.status.code(), Some(2));
    assert!(output.stdout.is_empty());
    assert!(String::from_utf8_lossy(&output.stderr).contains("unknown argument"));
}
