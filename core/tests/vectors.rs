//! The shared vectors in `tests/vectors/`, run against the core crate.

mod support;

use serde_json::Value;
use stripe_connect_oauth::{
    ClientId, ConnectConfig, Error, HttpResponse, SecretKey, State, TokenResponse, parse_callback,
};
use support::{BuiltRequest, text};
use url::form_urlencoded;

/// Checks the error-related expectations shared by every vector file.
fn check_error(name: &str, expect: &Value, error: &Error) {
    let kind = expect["error"].as_str().unwrap();
    assert_eq!(
        error.kind().as_str(),
        kind,
        "{name}: wrong error family ({error})"
    );
    let message = error.to_string();
    for excluded in expect["message_excludes"].as_array().into_iter().flatten() {
        let excluded = excluded.as_str().unwrap();
        assert!(
            !message.contains(excluded),
            "{name}: message shows a secret value"
        );
    }
}

#[test]
fn authorize_vectors() {
    for case in support::cases("authorize") {
        let name = case["name"].as_str().unwrap();
        let expect = &case["expect"];
        let outcome = support::config(&case).and_then(|config| {
            let params = support::authorize_params(&case["params"])?;
            config.authorize_url(&params)
        });
        match (outcome, text(expect, "url")) {
            (Ok(url), Some(expected)) => assert_eq!(url, expected, "{name}"),
            (Err(error), None) => check_error(name, expect, &error),
            (Ok(url), None) => panic!("{name}: expected an error, got {url}"),
            (Err(error), Some(_)) => panic!("{name}: expected a URL, got error: {error}"),
        }
    }
}

#[test]
fn authorize_values_round_trip_byte_for_byte() {
    for case in support::cases("authorize") {
        let Some(url) = text(&case["expect"], "url") else {
            continue;
        };
        let query = url.split_once('?').map_or("", |(_, query)| query);
        let decoded: Vec<(String, String)> = form_urlencoded::parse(query.as_bytes())
            .into_owned()
            .collect();
        let fields = case["params"]["stripe_user"]
            .as_object()
            .cloned()
            .unwrap_or_default();
        for (field, value) in fields {
            let key = format!("stripe_user[{field}]");
            let found = decoded
                .iter()
                .find(|(name, _)| *name == key)
                .map(|(_, v)| v.as_str());
            assert_eq!(found, value.as_str(), "{}: {key}", case["name"]);
        }
        if let Some(redirect_uri) = text(&case["params"], "redirect_uri") {
            let found = decoded.iter().find(|(name, _)| name == "redirect_uri");
            assert_eq!(found.map(|(_, v)| v.as_str()), Some(redirect_uri));
        }
    }
}

#[test]
fn callback_vectors() {
    for case in support::cases("callback") {
        let name = case["name"].as_str().unwrap();
        let expect = &case["expect"];
        let state = State::new(text(&case, "expected_state").unwrap()).unwrap();
        let outcome = parse_callback(text(&case, "callback").unwrap(), &state);
        match (outcome, text(expect, "code")) {
            (Ok(callback), Some(code)) => {
                assert_eq!(callback.code().secret(), code, "{name}: code");
                assert_eq!(callback.scope(), text(expect, "scope"), "{name}: scope");
            }
            (Err(error), None) => {
                check_error(name, expect, &error);
                match &error {
                    Error::AccessDenied { description } => {
                        assert_eq!(
                            description.as_deref(),
                            text(expect, "description"),
                            "{name}"
                        );
                    }
                    Error::Authorize { error, description } => {
                        assert_eq!(Some(error.as_str()), text(expect, "oauth_error"), "{name}");
                        assert_eq!(
                            description.as_deref(),
                            text(expect, "description"),
                            "{name}"
                        );
                    }
                    Error::DuplicateParameter { name: parameter } => {
                        assert_eq!(
                            Some(parameter.as_str()),
                            text(expect, "parameter"),
                            "{name}"
                        );
                    }
                    _ => {}
                }
            }
            (Ok(_), None) => panic!("{name}: expected an error, got a code"),
            (Err(error), Some(_)) => panic!("{name}: expected a code, got error: {error}"),
        }
    }
}

#[test]
fn token_request_vectors() {
    for case in support::cases("token_request") {
        let name = case["name"].as_str().unwrap();
        let expect = &case["expect"];
        let outcome =
            support::config(&case).and_then(|config| support::request(&config, &case["request"]));
        let request = match (outcome, text(expect, "error")) {
            (Ok(request), None) => request,
            (Err(error), Some(_)) => {
                check_error(name, expect, &error);
                continue;
            }
            (Ok(_), Some(_)) => panic!("{name}: expected an error, got a request"),
            (Err(error), None) => panic!("{name}: expected a request, got error: {error}"),
        };
        let http = request.http();
        assert_eq!(
            http.method(),
            text(expect, "method").unwrap(),
            "{name}: method"
        );
        assert_eq!(http.url(), text(expect, "url").unwrap(), "{name}: url");
        assert!(
            http.header("Authorization") == text(expect, "authorization"),
            "{name}: wrong Authorization header"
        );
        assert_eq!(
            http.header("Content-Type"),
            text(expect, "content_type"),
            "{name}"
        );
        assert!(
            http.body() == text(expect, "body").unwrap(),
            "{name}: wrong body"
        );
        let authorization_count = http
            .headers()
            .iter()
            .filter(|(header, _)| header.eq_ignore_ascii_case("Authorization"))
            .count();
        assert_eq!(authorization_count, 1, "{name}: credential count");
        for absent in expect["absent"].as_array().into_iter().flatten() {
            let absent = absent.as_str().unwrap();
            let everywhere = http
                .headers()
                .iter()
                .any(|(_, value)| value.contains(absent))
                || http.body().contains(absent)
                || http.url().contains(absent);
            assert!(
                !everywhere,
                "{name}: an excluded credential appears in the request"
            );
        }
    }
}

fn response_body(response: &Value) -> Vec<u8> {
    let body = text(response, "body").unwrap();
    let repeat = response
        .get("body_repeat")
        .and_then(Value::as_u64)
        .unwrap_or(1);
    body.repeat(repeat as usize).into_bytes()
}

fn check_token(name: &str, expected: &Value, token: &TokenResponse) {
    assert_eq!(
        token.stripe_user_id().as_str(),
        text(expected, "stripe_user_id").unwrap(),
        "{name}"
    );
    assert_eq!(
        token.livemode(),
        expected["livemode"].as_bool().unwrap(),
        "{name}: livemode"
    );
    assert_eq!(token.scope(), text(expected, "scope"), "{name}: scope");
    assert_eq!(
        token.token_type(),
        text(expected, "token_type"),
        "{name}: token_type"
    );
    assert!(
        token.access_token().map(|t| t.secret()) == text(expected, "access_token"),
        "{name}: wrong access token"
    );
    assert!(
        token.refresh_token().map(|t| t.secret()) == text(expected, "refresh_token"),
        "{name}: wrong refresh token"
    );
    assert_eq!(
        token.stripe_publishable_key(),
        text(expected, "stripe_publishable_key"),
        "{name}"
    );
    let capabilities: Vec<&str> = expected["capabilities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap())
        .collect();
    assert_eq!(token.capabilities(), capabilities, "{name}: capabilities");
}

fn check_response_error(name: &str, expect: &Value, error: &Error) {
    check_error(name, expect, error);
    if let Some(status) = expect.get("http_status").and_then(Value::as_u64) {
        assert_eq!(
            error.http_status(),
            Some(status as u16),
            "{name}: http status"
        );
    }
    if let Some(retry_after) = expect.get("retry_after") {
        let seconds = error.retry_after().map(|delay| delay.as_secs());
        assert_eq!(seconds, retry_after.as_u64(), "{name}: retry after");
    }
    match error {
        Error::OAuth(oauth) => {
            if expect.get("oauth_error").is_some() {
                assert_eq!(
                    Some(oauth.error.as_str()),
                    text(expect, "oauth_error"),
                    "{name}"
                );
            }
            if expect.get("description").is_some() {
                let description = oauth.error_description.as_deref();
                assert_eq!(description, text(expect, "description"), "{name}");
            }
        }
        Error::Api(api) => {
            if expect.get("message").is_some() {
                assert_eq!(
                    api.message.as_deref(),
                    text(expect, "message"),
                    "{name}: message"
                );
            }
            if expect.get("param").is_some() {
                assert_eq!(api.param.as_deref(), text(expect, "param"), "{name}: param");
            }
        }
        Error::UnexpectedResponse(response) => {
            assert_eq!(
                response.content_type.as_deref(),
                text(expect, "content_type"),
                "{name}"
            );
            assert!(
                response.body_excerpt.len() <= 512,
                "{name}: excerpt too long"
            );
            if let Some(fragment) = text(expect, "excerpt_contains") {
                assert!(response.body_excerpt.contains(fragment), "{name}: excerpt");
            }
            for excluded in expect["excerpt_excludes"].as_array().into_iter().flatten() {
                let excluded = excluded.as_str().unwrap();
                assert!(
                    !response.body_excerpt.contains(excluded),
                    "{name}: unmasked secret"
                );
            }
        }
        _ => {}
    }
}

#[test]
fn token_response_vectors() {
    for case in support::cases("token_response") {
        let name = case["name"].as_str().unwrap();
        let expect = &case["expect"];
        let request_spec = &case["request"];
        let config = ConnectConfig::new()
            .client_id(ClientId::new("ca_PLACEHOLDER").unwrap())
            .secret_key(SecretKey::new(text(request_spec, "secret_key").unwrap()).unwrap());
        let request = support::request(&config, request_spec).unwrap();

        let spec = &case["response"];
        let body = response_body(spec);
        let mut response = HttpResponse::new(spec["status"].as_u64().unwrap() as u16, &body);
        if let Some(content_type) = text(spec, "content_type") {
            response = response.content_type(content_type);
        }
        if let Some(retry_after) = text(spec, "retry_after") {
            response = response.retry_after(retry_after);
        }

        match request {
            BuiltRequest::Token(request) => {
                match (request.decode_response(&response), expect.get("token")) {
                    (Ok(token), Some(expected)) => check_token(name, expected, &token),
                    (Err(error), None) => check_response_error(name, expect, &error),
                    (Ok(_), None) => panic!("{name}: expected an error, got a token"),
                    (Err(error), Some(_)) => panic!("{name}: expected a token, got error: {error}"),
                }
            }
            BuiltRequest::Deauthorize(request) => {
                match (request.decode_response(&response), text(expect, "account")) {
                    (Ok(account), Some(expected)) => {
                        assert_eq!(account.as_str(), expected, "{name}")
                    }
                    (Err(error), None) => check_response_error(name, expect, &error),
                    (Ok(account), None) => panic!("{name}: expected an error, got {account}"),
                    (Err(error), Some(_)) => {
                        panic!("{name}: expected an account, got error: {error}")
                    }
                }
            }
        }
    }
}
