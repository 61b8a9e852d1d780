//! The link between ureq and the sans-I/O layer: received responses and error classification.

use std::io;
use std::net::{IpAddr, SocketAddr};

use ureq::Timeout;
use ureq::http::{HeaderMap, Uri};
use ureq::unversioned::resolver::{DefaultResolver, ResolvedSocketAddrs, Resolver};
use ureq::unversioned::transport::NextTimeout;

use crate::error::Error;
use crate::response::HttpResponse;

/// A response read in full, within the body size limit.
#[derive(Debug)]
pub(crate) struct ReceivedResponse {
    pub(crate) status: u16,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Vec<u8>,
}

impl ReceivedResponse {
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|value| value.to_str().ok())
    }

    pub(crate) fn as_http_response(&self) -> HttpResponse<'_> {
        let mut response = HttpResponse::new(self.status, &self.body);
        if let Some(content_type) = self.header("content-type") {
            response = response.content_type(content_type);
        }
        if let Some(retry_after) = self.header("retry-after") {
            response = response.retry_after(retry_after);
        }
        response
    }
}

/// I/O errors that only opening a connection produces, so no byte of the request was written.
///
/// Unreachable host or network errors are left out: Linux also reports them on a connected
/// socket after an ICMP error, where part of the request may already be on its way.
fn is_connect_io_error(error: &io::Error) -> bool {
    matches!(
        error.kind(),
        io::ErrorKind::ConnectionRefused
            | io::ErrorKind::AddrNotAvailable
            | io::ErrorKind::AddrInUse
    )
}

/// Maps a ureq failure to an [`Error`] that records whether the request may have been processed.
///
/// Only failures that provably happen before the first byte is written count as not processed:
/// name resolution, connection refused, and connect timeouts.
pub(crate) fn classify_ureq_error(error: &ureq::Error) -> Error {
    let not_sent = |message: String| Error::Transport {
        may_have_been_processed: false,
        message,
    };
    match error {
        ureq::Error::Timeout(Timeout::Resolve | Timeout::Connect) => Error::Timeout {
            may_have_been_processed: false,
        },
        // A global timeout may fire in any phase, so it counts as after sending.
        ureq::Error::Timeout(_) => Error::Timeout {
            may_have_been_processed: true,
        },
        ureq::Error::HostNotFound => not_sent("host not found".to_owned()),
        ureq::Error::ConnectionFailed => not_sent("connection failed".to_owned()),
        ureq::Error::Io(io_error) if is_connect_io_error(io_error) => {
            not_sent(format!("connection failed: {io_error}"))
        }
        ureq::Error::Io(io_error) if io_error.kind() == io::ErrorKind::TimedOut => Error::Timeout {
            may_have_been_processed: true,
        },
        ureq::Error::BadUri(_) | ureq::Error::Http(_) => not_sent(error.to_string()),
        // NOTE: TLS errors count as after sending: ureq does not tell a handshake failure, which
        // happens before the request is written, from a failure in the middle of a response.
        other => Error::Transport {
            may_have_been_processed: true,
            message: other.to_string(),
        },
    }
}

/// Resolves hosts that are IP literals without a lookup, and hands names to ureq's resolver.
///
/// ureq 3.5 resolves the host on every request, even one that reuses a pooled connection, and
/// with a timeout set it does so on a new thread. For an IP literal, such as a local stand-in
/// of Stripe at 127.0.0.1, that thread is pure overhead. A failed lookup becomes
/// `HostNotFound`, so it counts as a failure before sending.
// NOTE: the resolver API is in ureq's `unversioned` module, which may change in a minor release.
#[derive(Debug, Default)]
pub(crate) struct LiteralFirstResolver {
    /// The connect base's authority and address, when its host is an IP literal, parsed once
    /// because every request goes to it.
    base: Option<(String, SocketAddr)>,
    names: DefaultResolver,
}

/// Returns the address of a URI whose host is an IP literal.
fn literal_address(uri: &Uri) -> Option<SocketAddr> {
    let host = uri.host()?;
    let ip = host
        .trim_start_matches('[')
        .trim_end_matches(']')
        .parse::<IpAddr>()
        .ok()?;
    let port = uri.port_u16().or(match uri.scheme_str() {
        Some("https") => Some(443),
        Some("http") => Some(80),
        _ => None,
    })?;
    Some(SocketAddr::new(ip, port))
}

impl LiteralFirstResolver {
    pub(crate) fn for_base(base: &str) -> Self {
        let uri = base.parse::<Uri>().ok();
        let base = uri.and_then(|uri| {
            let authority = uri.authority()?.as_str().to_owned();
            Some((authority, literal_address(&uri)?))
        });
        Self {
            base,
            names: DefaultResolver::default(),
        }
    }
}

impl Resolver for LiteralFirstResolver {
    fn resolve(
        &self,
        uri: &Uri,
        config: &ureq::config::Config,
        timeout: NextTimeout,
    ) -> Result<ResolvedSocketAddrs, ureq::Error> {
        let authority = uri.authority().map(|authority| authority.as_str());
        let address = match &self.base {
            Some((base, address)) if authority == Some(base.as_str()) => Some(*address),
            _ => literal_address(uri),
        };
        if let Some(address) = address {
            let mut addresses = self.empty();
            addresses.push(address);
            return Ok(addresses);
        }
        match self.names.resolve(uri, config, timeout) {
            Err(ureq::Error::Io(_)) => Err(ureq::Error::HostNotFound),
            other => other,
        }
    }
}
