//! Decoding of token and deauthorize responses, for any HTTP client.

use std::time::{Duration, SystemTime};

use serde::Deserialize;
use serde_json::{Map, Value};

use crate::error::{ApiError, Error, OAuthError, OAuthErrorCode, UnexpectedResponse};
use crate::redact::{sanitize_server_text, truncate_at_char_boundary};
use crate::secret::{AccessToken, AccountId, RefreshToken};

/// Largest response body accepted, in bytes. Stripe's OAuth responses are well under 2 KiB.
pub const MAX_RESPONSE_BODY: usize = 64 * 1024;

/// Largest body excerpt kept in an [`UnexpectedResponse`], in bytes.
pub const MAX_BODY_EXCERPT: usize = 512;

/// A received HTTP response: status, the headers decoding looks at, and the body.
#[derive(Clone, Copy, Debug)]
pub struct HttpResponse<'a> {
    pub(crate) status: u16,
    content_type: Option<&'a str>,
    retry_after: Option<&'a str>,
    body: &'a [u8],
}

impl<'a> HttpResponse<'a> {
    /// Creates a response from its status and body bytes.
    pub fn new(status: u16, body: &'a [u8]) -> Self {
        Self {
            status,
            content_type: None,
            retry_after: None,
            body,
        }
    }

    /// Sets the `Content-Type` header, which is kept for diagnostics. Default: none.
    pub fn content_type(mut self, content_type: &'a str) -> Self {
        self.content_type = Some(content_type);
        self
    }

    /// Sets the `Retry-After` header: seconds or an HTTP date. Default: none.
    pub fn retry_after(mut self, retry_after: &'a str) -> Self {
        self.retry_after = Some(retry_after);
        self
    }
}

/// Parses `Retry-After` as delay seconds or an HTTP date (RFC 9110 §10.2.3). A date in the past
/// gives zero.
pub fn parse_retry_after(value: &str) -> Option<Duration> {
    let value = value.trim();
    if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        return value.parse::<u64>().ok().map(Duration::from_secs);
    }
    let date = httpdate::parse_http_date(value).ok()?;
    Some(
        date.duration_since(SystemTime::now())
            .unwrap_or(Duration::ZERO),
    )
}

/// Longest `Content-Type` kept, in bytes; a real one is well under 100.
const MAX_CONTENT_TYPE: usize = 128;

/// Keeps a `Content-Type` for diagnostics: masked, without control characters, and short.
fn safe_content_type(content_type: &str) -> String {
    let safe = sanitize_server_text(content_type, None, false);
    truncate_at_char_boundary(&safe, MAX_CONTENT_TYPE).to_owned()
}

pub(crate) fn unexpected(
    response: &HttpResponse<'_>,
    reason: impl Into<String>,
    sent_secret: Option<&str>,
) -> Error {
    let body = String::from_utf8_lossy(response.body);
    let safe_body = sanitize_server_text(&body, sent_secret, true);
    let excerpt = truncate_at_char_boundary(&safe_body, MAX_BODY_EXCERPT).to_owned();
    Error::UnexpectedResponse(Box::new(UnexpectedResponse {
        http_status: response.status,
        content_type: response.content_type.map(safe_content_type),
        body_excerpt: excerpt,
        retry_after: response.retry_after.and_then(parse_retry_after),
        reason: reason.into(),
    }))
}

/// Keeps a JSON `null` as `Some(Value::Null)`, so a present but null field differs from an
/// absent one.
fn present<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Option<Value>, D::Error> {
    Value::deserialize(deserializer).map(Some)
}

/// The fields of a response object that decoding reads. Others are skipped unparsed.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct Fields {
    #[serde(deserialize_with = "present")]
    error: Option<Value>,
    #[serde(deserialize_with = "present")]
    error_description: Option<Value>,
    #[serde(deserialize_with = "present")]
    stripe_user_id: Option<Value>,
    #[serde(deserialize_with = "present")]
    livemode: Option<Value>,
    #[serde(deserialize_with = "present")]
    scope: Option<Value>,
    #[serde(deserialize_with = "present")]
    token_type: Option<Value>,
    #[serde(deserialize_with = "present")]
    access_token: Option<Value>,
    #[serde(deserialize_with = "present")]
    refresh_token: Option<Value>,
    #[serde(deserialize_with = "present")]
    stripe_publishable_key: Option<Value>,
    #[serde(deserialize_with = "present")]
    capabilities: Option<Value>,
}

fn optional_string(value: Option<Value>, name: &str) -> Result<Option<String>, Error> {
    match value {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(text)) => Ok(Some(text)),
        Some(_) => Err(Error::decode(format!("`{name}` is not a string"))),
    }
}

/// Reads the error fields of Stripe's v1 API shape, ignoring fields of other types.
fn api_error(
    object: &Map<String, Value>,
    response: &HttpResponse<'_>,
    sent_secret: Option<&str>,
) -> ApiError {
    let text = |name: &str| object.get(name).and_then(Value::as_str).map(str::to_owned);
    ApiError::new(
        [text("message"), text("type"), text("code"), text("param")],
        response.status,
        response.retry_after.and_then(parse_retry_after),
        sent_secret,
    )
}

/// Parses the body as a JSON object, telling apart an empty body, a non-JSON body and JSON of
/// another type.
fn parse_object(response: &HttpResponse<'_>, sent_secret: Option<&str>) -> Result<Fields, Error> {
    let first = response
        .body
        .iter()
        .find(|byte| !byte.is_ascii_whitespace());
    if first == Some(&b'{') {
        if let Ok(fields) = serde_json::from_slice::<Fields>(response.body) {
            return Ok(fields);
        }
        // JSON must be UTF-8, but a server may still send a stray Latin-1 byte in a
        // description; decoding it lossily keeps the error code readable.
        if std::str::from_utf8(response.body).is_err() {
            let text = String::from_utf8_lossy(response.body);
            if let Ok(fields) = serde_json::from_str::<Fields>(&text) {
                return Ok(fields);
            }
        }
    }
    let reason = match serde_json::from_slice::<Value>(response.body) {
        _ if response.body.is_empty() => "the body is empty",
        Ok(Value::Object(_)) => "the body is a JSON object with a repeated field",
        Ok(_) => "the body is JSON but not an object",
        Err(_) => "the body is not JSON",
    };
    Err(unexpected(response, reason, sent_secret))
}

/// Classifies a response and returns the fields of a success.
///
/// The body decides: a string `error` is an OAuth error and an object `error` is an API error,
/// whatever the status. Only a 2xx JSON object without `error` is a success.
///
/// `sent_secret` is the code or refresh token the request carried, hidden wherever the
/// response's text is shown.
pub(crate) fn decode_success_object(
    response: &HttpResponse<'_>,
    sent_secret: Option<&str>,
) -> Result<Fields, Error> {
    if response.body.len() > MAX_RESPONSE_BODY {
        return Err(unexpected(
            response,
            format!("the body is larger than {MAX_RESPONSE_BODY} bytes"),
            sent_secret,
        ));
    }
    if response.status == 429 {
        return Err(Error::RateLimited {
            retry_after: response.retry_after.and_then(parse_retry_after),
        });
    }

    if (300..400).contains(&response.status) {
        return Err(unexpected(
            response,
            "the response is a redirect, which is not followed because it could carry the \
             secret key to another host",
            sent_secret,
        ));
    }

    let mut fields = parse_object(response, sent_secret)?;
    match fields.error.take() {
        Some(Value::String(code)) => {
            let error_description = match fields.error_description {
                Some(Value::String(description)) => Some(description),
                _ => None,
            };
            Err(Error::OAuth(Box::new(OAuthError::new(
                OAuthErrorCode::from_code(&code),
                error_description,
                response.status,
                response.retry_after.and_then(parse_retry_after),
                sent_secret,
            ))))
        }
        Some(Value::Object(object)) => Err(Error::Api(Box::new(api_error(
            &object,
            response,
            sent_secret,
        )))),
        Some(_) => Err(unexpected(
            response,
            "the `error` field is neither a string nor an object",
            sent_secret,
        )),
        None if (200..300).contains(&response.status) => Ok(fields),
        None => Err(unexpected(
            response,
            "the status is not a success and the body has no `error` field",
            sent_secret,
        )),
    }
}

pub(crate) fn required_account_id(fields: &mut Fields) -> Result<AccountId, Error> {
    let Some(text) = optional_string(fields.stripe_user_id.take(), "stripe_user_id")? else {
        return Err(Error::decode("`stripe_user_id` is missing"));
    };
    if !AccountId::is_valid(&text) {
        return Err(Error::decode(
            "`stripe_user_id` is not a connected account id (acct_…)",
        ));
    }
    Ok(AccountId::from_checked(text))
}

fn required_livemode(value: Option<Value>) -> Result<bool, Error> {
    match value {
        Some(Value::Bool(livemode)) => Ok(livemode),
        Some(Value::String(text)) if text == "true" => Ok(true),
        Some(Value::String(text)) if text == "false" => Ok(false),
        Some(_) => Err(Error::decode(
            "`livemode` is neither a boolean nor \"true\" or \"false\"",
        )),
        None => Err(Error::decode("`livemode` is missing")),
    }
}

fn capabilities(value: Option<Value>) -> Result<Vec<String>, Error> {
    let invalid = || Error::decode("`capabilities` is neither a string nor a list of strings");
    match value {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::String(capability)) => Ok(vec![capability]),
        Some(Value::Array(items)) => items
            .into_iter()
            .map(|item| match item {
                Value::String(capability) => Ok(capability),
                _ => Err(invalid()),
            })
            .collect(),
        Some(_) => Err(invalid()),
    }
}

/// A successful token response: the connected account and what Stripe granted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TokenResponse {
    stripe_user_id: AccountId,
    livemode: bool,
    scope: Option<String>,
    token_type: Option<String>,
    access_token: Option<AccessToken>,
    refresh_token: Option<RefreshToken>,
    stripe_publishable_key: Option<String>,
    capabilities: Vec<String>,
}

impl TokenResponse {
    pub(crate) fn from_fields(mut fields: Fields) -> Result<Self, Error> {
        let stripe_user_id = required_account_id(&mut fields)?;
        let mut token_type = optional_string(fields.token_type, "token_type")?;
        if let Some(token_type) = &mut token_type {
            token_type.make_ascii_lowercase();
        }
        Ok(Self {
            stripe_user_id,
            livemode: required_livemode(fields.livemode)?,
            scope: optional_string(fields.scope, "scope")?,
            token_type,
            access_token: optional_string(fields.access_token, "access_token")?
                .map(AccessToken::from_raw),
            refresh_token: optional_string(fields.refresh_token, "refresh_token")?
                .map(RefreshToken::from_raw),
            stripe_publishable_key: optional_string(
                fields.stripe_publishable_key,
                "stripe_publishable_key",
            )?,
            capabilities: capabilities(fields.capabilities)?,
        })
    }

    /// Returns the connected account id (`stripe_user_id`).
    pub fn stripe_user_id(&self) -> &AccountId {
        &self.stripe_user_id
    }

    /// Returns whether the grant is for live mode.
    pub fn livemode(&self) -> bool {
        self.livemode
    }

    /// Returns the granted scope: `read_write`, `read_only`, `express`, or a newer value.
    pub fn scope(&self) -> Option<&str> {
        self.scope.as_deref()
    }

    /// Returns the token type in lower case, normally `bearer`.
    pub fn token_type(&self) -> Option<&str> {
        self.token_type.as_deref()
    }

    /// Returns the access token, which Stripe still sends for Standard accounts.
    pub fn access_token(&self) -> Option<&AccessToken> {
        self.access_token.as_ref()
    }

    /// Returns the refresh token, when Stripe sent one.
    pub fn refresh_token(&self) -> Option<&RefreshToken> {
        self.refresh_token.as_ref()
    }

    /// Returns the connected account's publishable key (`pk_…`), when Stripe sent one.
    pub fn stripe_publishable_key(&self) -> Option<&str> {
        self.stripe_publishable_key.as_deref()
    }

    /// Returns the capabilities Stripe confirmed, empty when it sent none.
    pub fn capabilities(&self) -> &[String] {
        &self.capabilities
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_utf8_in_description_keeps_oauth_error() {
        let body = b"{\"error\":\"invalid_grant\",\"error_description\":\"bad \xff byte\"}";
        let error = decode_success_object(&HttpResponse::new(400, body), None).unwrap_err();
        let Error::OAuth(oauth) = error else {
            panic!("expected an OAuth error, got {error}");
        };
        assert_eq!(oauth.error, OAuthErrorCode::InvalidGrant);
        assert_eq!(
            oauth.error_description.as_deref(),
            Some("bad \u{FFFD} byte")
        );
    }

    #[test]
    fn retry_after_accepts_seconds_and_dates() {
        assert_eq!(parse_retry_after("2"), Some(Duration::from_secs(2)));
        assert_eq!(parse_retry_after(" 30 "), Some(Duration::from_secs(30)));
        assert_eq!(
            parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT"),
            Some(Duration::ZERO)
        );
        let future = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(120));
        let delay = parse_retry_after(&future).unwrap();
        assert!(delay > Duration::from_secs(100), "{delay:?}");
        assert_eq!(parse_retry_after("soon"), None);
        assert_eq!(parse_retry_after("-1"), None);
    }
}
