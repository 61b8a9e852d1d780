//! Every error variant and secret type, built from canary secrets, formatted with `Display` and
//! `Debug`: no canary may appear.

use std::time::Duration;

use stripe_connect_oauth::{
    AccessToken, AccountId, AuthorizationCode, ClientId, ConnectConfig, Error, ErrorKind,
    ExchangeOptions, HttpResponse, RefreshToken, SecretKey, State, parse_callback,
};

const CANARY_KEY: &str = "sk_test_CANARYKEY";
const CANARY_LIVE_KEY: &str = "sk_live_CANARYLIVE";
const CANARY_CODE: &str = "ac_CANARYCODE";
const CANARY_ACCESS: &str = "sk_test_CANARYACCESS";
const CANARY_REFRESH: &str = "rt_CANARYREFRESH";
const CANARIES: [&str; 5] = [
    CANARY_KEY,
    CANARY_LIVE_KEY,
    CANARY_CODE,
    CANARY_ACCESS,
    CANARY_REFRESH,
];

fn config() -> ConnectConfig {
    ConnectConfig::new()
        .client_id(ClientId::new("ca_PLACEHOLDER").unwrap())
        .secret_key(SecretKey::new(CANARY_LIVE_KEY).unwrap())
}

fn decode(status: u16, body: &str) -> Error {
    let code = AuthorizationCode::new(CANARY_CODE).unwrap();
    let request = config()
        .exchange_code_request(&code, &ExchangeOptions::new())
        .unwrap();
    request
        .decode_response(&HttpResponse::new(status, body.as_bytes()).content_type("text/html"))
        .unwrap_err()
}

/// Builds one error of every family, each carrying canaries wherever it can.
fn every_error() -> Vec<Error> {
    let state = State::new("S1").unwrap();
    let callback = |query: &str| parse_callback(query, &state).unwrap_err();
    vec![
        SecretKey::new("pk_test_CANARYKEY").unwrap_err(),
        ClientId::new(CANARY_LIVE_KEY).unwrap_err(),
        AuthorizationCode::new(format!("{CANARY_KEY}\n")).unwrap_err(),
        callback("code=ac_CANARYCODE"),
        callback("code=ac_CANARYCODE&state=S2"),
        callback("code=ac_CANARYCODE&code=ac_CANARYCODE&state=S1"),
        callback("#code=ac_CANARYCODE&state=S1"),
        callback("state=S1"),
        callback("error=access_denied&error_description=ac_CANARYCODE&state=S1"),
        callback("error=invalid_scope&error_description=rt_CANARYREFRESH&state=S1"),
        decode(
            400,
            r#"{"error":"invalid_grant","error_description":"Authorization code does not exist: ac_CANARYCODE"}"#,
        ),
        decode(
            400,
            r#"{"error":{"message":"Invalid key sk_live_CANARYLIVE","param":"code"}}"#,
        ),
        decode(429, ""),
        decode(
            502,
            "<html>ac_CANARYCODE sk_test_CANARYKEY rt_CANARYREFRESH sk_test_CANARYACCESS</html>",
        ),
        Error::Transport {
            may_have_been_processed: true,
            message: format!("connection reset while sending {CANARY_CODE}"),
        },
        Error::Timeout {
            may_have_been_processed: true,
        },
        decode(
            200,
            r#"{"stripe_user_id":"acct_1","livemode":false,"access_token":"sk_test_CANARYACCESS","refresh_token":"rt_CANARYREFRESH"}"#,
        ),
        decode(200, r#"{"stripe_user_id":"acct_1"}"#),
    ]
}

#[test]
fn every_error_family_is_built() {
    let kinds: Vec<ErrorKind> = every_error().iter().map(Error::kind).collect();
    for kind in ErrorKind::ALL {
        assert!(kinds.contains(&kind), "no error of kind {kind:?} was built");
    }
}

#[test]
fn errors_never_show_canaries() {
    for error in every_error() {
        let shown = format!("{error} {error:?}");
        for canary in CANARIES {
            assert!(
                !shown.contains(canary),
                "{:?} error shows a canary secret",
                error.kind()
            );
        }
    }
}

#[test]
fn code_of_any_format_is_hidden_in_error_text() {
    let code = AuthorizationCode::new("XYZSECRETCODE").unwrap();
    let request = config()
        .exchange_code_request(&code, &ExchangeOptions::new())
        .unwrap();
    let body = br#"{"error":"invalid_grant","error_description":"Authorization code does not exist: XYZSECRETCODE"}"#;

    let error = request
        .decode_response(&HttpResponse::new(400, body))
        .unwrap_err();

    let Error::OAuth(oauth) = &error else {
        panic!("expected an OAuth error, got {:?}", error.kind());
    };
    assert_eq!(
        oauth.error_description.as_deref(),
        Some("Authorization code does not exist: XYZSECRETCODE"),
        "the description field stays verbatim"
    );
    assert_eq!(
        oauth.safe_description(),
        Some("Authorization code does not exist: ***".to_owned())
    );
    assert!(!format!("{error} {error:?}").contains("XYZSECRETCODE"));
}

#[test]
fn server_codes_and_fields_are_masked_in_debug() {
    let oauth = decode(400, r#"{"error":"ac_CANARYCODE"}"#);
    let api = decode(
        400,
        r#"{"error":{"message":"m","type":"rt_CANARYREFRESH","code":"ac_CANARYCODE"}}"#,
    );
    for error in [oauth, api] {
        let shown = format!("{error} {error:?}");
        assert!(
            !shown.contains(CANARY_CODE),
            "{:?} shows the code",
            error.kind()
        );
        assert!(
            !shown.contains(CANARY_REFRESH),
            "{:?} shows the token",
            error.kind()
        );
    }
}

#[test]
fn control_characters_from_server_are_replaced() {
    let error = decode(
        400,
        "{\"error\":\"invalid_grant\",\"error_description\":\"bad\\u001b[2J\\u0007\"}",
    );
    let shown = error.to_string();
    assert!(!shown.contains('\u{1b}'), "escape reached the message");
    assert!(!shown.contains('\u{7}'), "bell reached the message");
}

#[test]
fn secret_types_never_show_canaries() {
    let code = AuthorizationCode::new(CANARY_CODE).unwrap();
    let refresh = RefreshToken::new(CANARY_REFRESH).unwrap();
    let key = SecretKey::new(CANARY_KEY).unwrap();
    let request = config()
        .exchange_code_request(&code, &ExchangeOptions::new().secret_key(key.clone()))
        .unwrap();
    let token = decode_live_token();
    let callback = parse_callback(
        &format!("code={CANARY_CODE}&state=S1"),
        &State::new("S1").unwrap(),
    )
    .unwrap();
    let shown = format!(
        "{code:?} {refresh:?} {key:?} {request:?} {token:?} {callback:?} {:?} {:?}",
        config(),
        token.access_token()
    );
    for canary in CANARIES {
        assert!(
            !shown.contains(canary),
            "a secret type shows a canary: {shown}"
        );
    }
    let _: Option<&AccessToken> = token.access_token();
    assert_eq!(AccountId::new("acct_1").unwrap().to_string(), "acct_1");
}

fn decode_live_token() -> stripe_connect_oauth::TokenResponse {
    let code = AuthorizationCode::new(CANARY_CODE).unwrap();
    let request = config()
        .exchange_code_request(&code, &ExchangeOptions::new())
        .unwrap();
    let body = format!(
        r#"{{"stripe_user_id":"acct_1","livemode":true,"access_token":"{CANARY_ACCESS}","refresh_token":"{CANARY_REFRESH}"}}"#
    );
    request
        .decode_response(&HttpResponse::new(200, body.as_bytes()))
        .unwrap()
}

#[test]
fn mode_mismatch_keeps_token_inspectable() {
    let Error::ModeMismatch {
        key_livemode,
        response,
    } = decode(
        200,
        r#"{"stripe_user_id":"acct_1","livemode":false,"access_token":"sk_test_CANARYACCESS"}"#,
    )
    else {
        panic!("expected a mode mismatch");
    };
    assert!(key_livemode);
    assert!(!response.livemode());
    assert!(
        response
            .access_token()
            .is_some_and(|t| t.secret() == CANARY_ACCESS)
    );
}

#[test]
fn rate_limit_display_names_delay() {
    let error = Error::RateLimited {
        retry_after: Some(Duration::from_secs(2)),
    };
    assert_eq!(
        error.to_string(),
        "rate limited by stripe (http 429): retry after 2 s"
    );
}
