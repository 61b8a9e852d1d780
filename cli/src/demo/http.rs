//! The demo's view of HTTP: a request and a response independent of the server crate, and
//! the cookies that link a browser to its records on the server.

use std::io::Cursor;

use tiny_http::Header;

use super::store::MAX_AGE;

/// Cookie with the `state` of the authorization in progress. The server keeps its own record
/// of every state it issued, and the cookie names which one belongs to this browser.
pub const STATE_COOKIE: &str = "stripe_oauth_state";

/// Cookie with the opaque id of this browser's session, which the server maps to the
/// Standard account connected in it, for Disconnect.
pub const SESSION_COOKIE: &str = "demo_session";

/// The request methods the demo serves.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    /// GET.
    Get,
    /// POST.
    Post,
    /// Any other method.
    Other,
}

/// A request as the routes see it.
#[derive(Debug)]
pub struct Request {
    /// The method.
    pub method: Method,
    /// The request target: path and query, such as `/callback?code=…&state=…`.
    pub target: String,
    /// The `Host` header.
    pub host: Option<String>,
    /// The `Origin` header, which browsers send on form posts.
    pub origin: Option<String>,
    /// Every `Cookie` header, in order.
    pub cookie_headers: Vec<String>,
}

impl Request {
    /// Converts a request of the server crate.
    pub fn from_tiny(request: &tiny_http::Request) -> Self {
        let method = match request.method() {
            // HEAD counts as another method: a HEAD of the callback must not spend the code.
            tiny_http::Method::Get => Method::Get,
            tiny_http::Method::Post => Method::Post,
            _ => Method::Other,
        };
        let header = |name: &'static str| {
            request
                .headers()
                .iter()
                .filter(move |header| header.field.equiv(name))
                .map(|header| header.value.as_str().to_owned())
        };
        Self {
            method,
            target: request.url().to_owned(),
            host: header("Host").next(),
            origin: header("Origin").next(),
            cookie_headers: header("Cookie").collect(),
        }
    }

    /// Returns the path, without the query.
    pub fn path(&self) -> &str {
        match self.target.split_once('?') {
            Some((path, _)) => path,
            None => &self.target,
        }
    }

    /// Returns the value of the first cookie named `name`.
    pub fn cookie(&self, name: &str) -> Option<&str> {
        self.cookie_headers
            .iter()
            .flat_map(|header| header.split(';'))
            .filter_map(|pair| pair.trim().split_once('='))
            .find(|(cookie_name, _)| *cookie_name == name)
            .map(|(_, value)| value.trim_matches('"'))
    }
}

/// A response as the routes build it.
#[derive(Debug)]
pub struct Response {
    /// The HTTP status.
    pub status: u16,
    /// Headers besides the ones every response gets.
    pub headers: Vec<(&'static str, String)>,
    /// The HTML body, empty for a redirect.
    pub body: String,
}

impl Response {
    /// Creates an HTML page response.
    pub fn page(status: u16, html: String) -> Self {
        Self {
            status,
            headers: vec![("Content-Type", "text/html; charset=utf-8".to_owned())],
            body: html,
        }
    }

    /// Creates a `302 Found` redirect to `location`.
    pub fn redirect(location: &str) -> Self {
        Self {
            status: 302,
            headers: vec![("Location", location.to_owned())],
            body: String::new(),
        }
    }

    /// Adds a `Set-Cookie` header.
    pub fn with_cookie(mut self, set_cookie: String) -> Self {
        self.headers.push(("Set-Cookie", set_cookie));
        self
    }

    /// Converts to a response of the server crate, with headers that every page gets.
    pub fn into_tiny(self) -> tiny_http::Response<Cursor<Vec<u8>>> {
        let mut response =
            tiny_http::Response::from_string(self.body).with_status_code(self.status);
        let common = [
            // Pages show account ids and the callback URL contains a code: keep them out of
            // caches and out of the Referer header sent to other sites. "no-referrer" would
            // also make browsers send `Origin: null` on the Disconnect form post.
            ("Cache-Control", "no-store"),
            ("Referrer-Policy", "same-origin"),
            ("X-Content-Type-Options", "nosniff"),
            (
                "Content-Security-Policy",
                "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; \
                 frame-ancestors 'none'; base-uri 'none'",
            ),
        ];
        for (name, value) in common {
            add_header(&mut response, name, value);
        }
        for (name, value) in &self.headers {
            add_header(&mut response, name, value);
        }
        response
    }
}

fn add_header(response: &mut tiny_http::Response<Cursor<Vec<u8>>>, name: &str, value: &str) {
    match Header::from_bytes(name.as_bytes(), value.as_bytes()) {
        Ok(header) => response.add_header(header),
        // Header values come from this crate and Stripe's ASCII URLs; a non-ASCII value is
        // dropped rather than sent malformed.
        Err(()) => log::error!("dropped the {name} header: its value is not ASCII"),
    }
}

/// Returns the `Set-Cookie` value that stores the state of a new authorization.
///
/// HttpOnly keeps it from scripts. SameSite=Lax still sends it on the top-level GET
/// navigation of Stripe's redirect to the callback, which SameSite=Strict would not.
/// A production site also adds `Secure`, which browsers ignore on plain-http loopback.
pub fn state_cookie(state: &str) -> String {
    record_cookie(STATE_COOKIE, state)
}

/// Returns the `Set-Cookie` value that stores the session id of a browser with a connected Standard
/// account. Lax keeps it off cross-site form posts, so another site cannot disconnect the
/// account.
pub fn session_cookie(session_id: &str) -> String {
    record_cookie(SESSION_COOKIE, session_id)
}

/// Formats a cookie that lives as long as the server-side record it names.
fn record_cookie(name: &str, value: &str) -> String {
    format!(
        "{name}={value}; Path=/; Max-Age={}; HttpOnly; SameSite=Lax",
        MAX_AGE.as_secs()
    )
}

/// The `Set-Cookie` value that deletes the cookie `name`.
pub fn cleared_cookie(name: &str) -> String {
    format!("{name}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request_with_cookies(headers: &[&str]) -> Request {
        Request {
            method: Method::Get,
            target: "/callback?code=ac_1&state=S".to_owned(),
            host: None,
            origin: None,
            cookie_headers: headers.iter().map(|header| (*header).to_owned()).collect(),
        }
    }

    #[test]
    fn cookie_is_found_among_others() {
        let request = request_with_cookies(&["a=1; stripe_oauth_state=S1 ; b=2", "c=3"]);
        assert_eq!(request.cookie(STATE_COOKIE), Some("S1"));
        assert_eq!(request.cookie("c"), Some("3"));
        assert_eq!(request.cookie("missing"), None);
    }

    #[test]
    fn cookie_name_must_match_exactly() {
        let request = request_with_cookies(&["xstripe_oauth_state=S1"]);
        assert_eq!(request.cookie(STATE_COOKIE), None);
    }

    #[test]
    fn path_drops_query() {
        assert_eq!(request_with_cookies(&[]).path(), "/callback");
    }

    #[test]
    fn record_cookies_are_http_only_and_lax() {
        assert_eq!(
            state_cookie("S1"),
            "stripe_oauth_state=S1; Path=/; Max-Age=3600; HttpOnly; SameSite=Lax"
        );
        assert_eq!(
            session_cookie("I1"),
            "demo_session=I1; Path=/; Max-Age=3600; HttpOnly; SameSite=Lax"
        );
        assert_eq!(
            cleared_cookie(STATE_COOKIE),
            "stripe_oauth_state=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax"
        );
    }
}
