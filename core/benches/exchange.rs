//! Exchange latency of the client against a bare ureq POST of the same request (the floor).
//!
//! `cargo bench -p stripe-connect-oauth --bench exchange` runs both against an in-process fake
//! Stripe server, interleaved in rounds, and prints the medians and their ratio.
//!
//! `benches/callgrind.sh` runs this binary as `exchange instructions <client|floor> BASE_URL N`
//! under callgrind against a fake in another process, so the count covers the client alone.

use std::env;
use std::hint::black_box;
use std::time::{Duration, Instant};

use fake_stripe::FakeStripe;
use serde_json::Value;
use stripe_connect_oauth::{
    AuthorizationCode, Client, ConnectBase, ExchangeOptions, HttpRequest, SecretKey,
};

/// Exchanges per round for each contender; codes for a round are obtained before it starts.
const ROUND: usize = 200;

/// Rounds per run.
const ROUNDS: usize = 50;

struct Target {
    base_url: String,
    secret_key: String,
    control: ureq::Agent,
}

impl Target {
    fn new(base_url: String, secret_key: String) -> Self {
        Self {
            base_url,
            secret_key,
            control: ureq::Agent::new_with_defaults(),
        }
    }

    fn codes(&self, count: usize) -> Vec<AuthorizationCode> {
        let url = format!("{}/__fake/codes", self.base_url);
        (0..count)
            .map(|_| {
                let mut response = self.control.post(&url).send("{}").unwrap();
                let body: Value = serde_json::from_reader(response.body_mut().as_reader()).unwrap();
                AuthorizationCode::new(body["code"].as_str().unwrap()).unwrap()
            })
            .collect()
    }

    fn client(&self) -> Client {
        Client::builder()
            .connect_base(ConnectBase::new(&self.base_url).unwrap())
            .secret_key(SecretKey::new(self.secret_key.clone()).unwrap())
            .build()
            .unwrap()
    }

    /// The floor: the same method, URL, headers and body as the client sends, through a bare
    /// ureq agent, reading the body and nothing more.
    fn floor_request(&self, code: &AuthorizationCode) -> HttpRequest {
        self.client()
            .config()
            .exchange_code_request(code, &ExchangeOptions::new())
            .unwrap()
            .http()
            .clone()
    }
}

/// A bare agent: ureq's defaults, which set no timeout, so its resolver runs on the calling
/// thread.
fn floor_agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into()
}

#[inline(never)]
fn run_client_exchanges(client: &Client, codes: &[AuthorizationCode]) {
    for code in codes {
        let token = client.exchange_code(code, &ExchangeOptions::new()).unwrap();
        black_box(token);
    }
}

#[inline(never)]
fn run_floor_exchanges(agent: &ureq::Agent, requests: &[HttpRequest]) {
    for request in requests {
        let mut builder = agent.post(request.url());
        for (name, value) in request.headers() {
            builder = builder.header(*name, value.as_ref());
        }
        let mut response = builder.send(request.body()).unwrap();
        assert_eq!(response.status(), 200);
        black_box(response.body_mut().read_to_vec().unwrap());
    }
}

fn median(samples: &mut [Duration]) -> Duration {
    samples.sort_unstable();
    samples[samples.len() / 2]
}

fn wall_time_comparison() {
    let fake = FakeStripe::start().unwrap();
    let target = Target::new(fake.base_url(), fake.platform().test_secret_key);
    let client = target.client();
    let agent = floor_agent();

    // Warm both connection pools so neither pays for the first connect.
    run_client_exchanges(&client, &target.codes(5));
    let warm: Vec<HttpRequest> = target
        .codes(5)
        .iter()
        .map(|c| target.floor_request(c))
        .collect();
    run_floor_exchanges(&agent, &warm);

    // Single exchanges alternate between the contenders, so a burst of load from another
    // process lands on both alike, and the medians ignore the outliers it causes.
    let mut client_samples = Vec::with_capacity(ROUNDS * ROUND);
    let mut floor_samples = Vec::with_capacity(ROUNDS * ROUND);
    for round in 0..ROUNDS {
        let client_codes = target.codes(ROUND);
        let floor_requests: Vec<HttpRequest> = target
            .codes(ROUND)
            .iter()
            .map(|code| target.floor_request(code))
            .collect();
        for (index, (code, request)) in client_codes.iter().zip(&floor_requests).enumerate() {
            let mut measure_client = || {
                let started = Instant::now();
                run_client_exchanges(&client, std::slice::from_ref(code));
                client_samples.push(started.elapsed());
            };
            let mut measure_floor = || {
                let started = Instant::now();
                run_floor_exchanges(&agent, std::slice::from_ref(request));
                floor_samples.push(started.elapsed());
            };
            if (round + index) % 2 == 0 {
                measure_client();
                measure_floor();
            } else {
                measure_floor();
                measure_client();
            }
        }
    }

    let client_median = median(&mut client_samples);
    let floor_median = median(&mut floor_samples);
    let exchanges = ROUNDS * ROUND;
    println!("exchange against the in-process fake, {exchanges} exchanges per contender:");
    println!("  client:          {client_median:?} per exchange (median)");
    println!("  bare ureq floor: {floor_median:?} per exchange (median)");
    println!(
        "  ratio client/floor: {:.3}",
        client_median.as_secs_f64() / floor_median.as_secs_f64()
    );
}

fn instructions(mode: &str, base_url: String, count: usize) {
    let secret_key = env::var("FAKE_SECRET_KEY").expect("FAKE_SECRET_KEY is set by the script");
    let target = Target::new(base_url, secret_key);
    let codes = target.codes(count);
    match mode {
        "client" => run_client_exchanges(&target.client(), &codes),
        "floor" => {
            let requests: Vec<HttpRequest> =
                codes.iter().map(|c| target.floor_request(c)).collect();
            run_floor_exchanges(&floor_agent(), &requests);
        }
        other => panic!("unknown mode {other}: use client or floor"),
    }
}

fn main() {
    let args: Vec<String> = env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("instructions") => {
            let count = args[3].parse().expect("N is a number");
            instructions(&args[1], args[2].clone(), count);
        }
        _ => wall_time_comparison(),
    }
}
