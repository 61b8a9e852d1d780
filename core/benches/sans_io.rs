//! Benchmarks of the sans-I/O layer: building an authorize URL, parsing a callback, and decoding
//! a token response. Run with `cargo bench -p stripe-connect-oauth --bench sans_io`.

use divan::black_box;
use stripe_connect_oauth::{
    AuthorizationCode, AuthorizeParams, ClientId, ConnectConfig, ExchangeOptions, HttpResponse,
    SecretKey, State, StripeUser, parse_callback,
};

fn main() {
    divan::main();
}

fn config() -> ConnectConfig {
    ConnectConfig::new()
        .client_id(ClientId::new("ca_32D88BD1qLklliziD7gYQvctJIhWBSQ7").unwrap())
        .secret_key(SecretKey::new("sk_test_4eC39HqLyjWDarjtT1zdp7dc").unwrap())
}

#[divan::bench]
fn authorize_url_express_minimal(bencher: divan::Bencher) {
    let config = config();
    let params = AuthorizeParams::express()
        .redirect_uri("https://platform.example/stripe/callback")
        .state(State::new("mJ0B2aZqV1b6sQh4nTz3Lw8cXyP5dRk7uE9fG2hK1oM").unwrap());
    bencher.bench_local(|| config.authorize_url(black_box(&params)).unwrap());
}

#[divan::bench]
fn authorize_url_standard_prefilled(bencher: divan::Bencher) {
    let config = config();
    let user = StripeUser::new()
        .email("jane+test@example.com")
        .business_name("Café & Bar = Ünï 東京")
        .url("https://shop.example/p?id=1&ref=a b")
        .country("US")
        .first_name("Jane")
        .last_name("Doe");
    let params = AuthorizeParams::standard()
        .redirect_uri("https://platform.example/stripe/callback")
        .state(State::new("mJ0B2aZqV1b6sQh4nTz3Lw8cXyP5dRk7uE9fG2hK1oM").unwrap())
        .stripe_user(user);
    bencher.bench_local(|| config.authorize_url(black_box(&params)).unwrap());
}

#[divan::bench]
fn state_generate() -> State {
    State::generate().unwrap()
}

#[divan::bench]
fn parse_callback_success(bencher: divan::Bencher) {
    let state = State::new("mJ0B2aZqV1b6sQh4nTz3Lw8cXyP5dRk7uE9fG2hK1oM").unwrap();
    let url = "https://platform.example/stripe/callback?scope=read_write\
               &code=ac_AbCdEfGhIjKlMnOpQrStUvWxYz012345\
               &state=mJ0B2aZqV1b6sQh4nTz3Lw8cXyP5dRk7uE9fG2hK1oM";
    bencher.bench_local(|| parse_callback(black_box(url), &state).unwrap());
}

#[divan::bench]
fn decode_standard_token_response(bencher: divan::Bencher) {
    let code = AuthorizationCode::new("ac_AbCdEfGhIjKlMnOpQrStUvWxYz012345").unwrap();
    let request = config()
        .exchange_code_request(&code, &ExchangeOptions::new())
        .unwrap();
    let body = br#"{"access_token":"sk_test_AbCdEfGhIjKlMnOpQrStUvWx","livemode":false,"refresh_token":"rt_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789abcdef","token_type":"bearer","stripe_publishable_key":"pk_test_AbCdEfGhIjKlMnOpQrStUvWx","stripe_user_id":"acct_1032D82eZvKYlo2C","scope":"read_write"}"#;
    bencher.bench_local(|| {
        let response = HttpResponse::new(200, black_box(body)).content_type("application/json");
        request.decode_response(&response).unwrap()
    });
}
