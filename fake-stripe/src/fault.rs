//! Faults queued for the next requests to a path.

use std::collections::{HashMap, VecDeque};

use serde::{Deserialize, Serialize};

/// Most faults queued at once over all paths.
pub(crate) const MAX_QUEUED_FAULTS: usize = 10_000;

/// Body size of an [`Fault::Oversized`] response when `bytes` is not given: 2 MiB.
pub const DEFAULT_OVERSIZED_BYTES: usize = 2 * 1024 * 1024;

/// A fault applied to one request instead of, or on top of, the normal response.
///
/// In JSON the variant is the `kind` field in snake case, for example
/// `{"kind": "delay", "ms": 500}` or `{"kind": "html_502"}`.
///
/// Whether the request is processed matters for authorization codes: a processed
/// code-exchange request consumes the code even though the client never sees the response.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Fault {
    /// Processes the request, then waits `ms` milliseconds before sending the response.
    Delay {
        /// Wait in milliseconds.
        ms: u64,
    },
    /// Sends this response instead of processing the request. When the body is not empty
    /// and `headers` has no `Content-Type`, `Content-Type: application/json` is added. A
    /// `Content-Length` in `headers` replaces the computed one.
    Response {
        /// HTTP status, 200 to 599.
        status: u16,
        /// Header fields as `[name, value]` pairs.
        #[serde(default)]
        headers: Vec<(String, String)>,
        /// Body text.
        #[serde(default)]
        body: String,
    },
    /// Sends nginx's `502 Bad Gateway` HTML page (`text/html`) instead of processing the
    /// request.
    #[serde(rename = "html_502")]
    Html502,
    /// Sends `status` with an empty body and no `Content-Type` instead of processing the
    /// request.
    EmptyBody {
        /// HTTP status, 200 to 599; default 500.
        #[serde(default = "default_empty_body_status")]
        status: u16,
    },
    /// Reads the request, then closes the connection without sending a byte.
    Close {
        /// Whether the request is processed first (a code sent is consumed); default true.
        #[serde(default = "default_true")]
        process: bool,
    },
    /// Processes the request, sends the response head with the full `Content-Length` and
    /// only the first half of the body, then closes the connection.
    Truncated,
    /// Sends a 200 `application/json` response with a body of `bytes` bytes instead of
    /// processing the request.
    Oversized {
        /// Body size in bytes; default 2 MiB.
        #[serde(default = "default_oversized_bytes")]
        bytes: usize,
    },
    /// Sends a redirect to `location` instead of processing the request.
    Redirect {
        /// Absolute URL for the `Location` header.
        location: String,
        /// Redirect status, 300 to 399; default 307.
        #[serde(default = "default_redirect_status")]
        status: u16,
    },
}

fn default_empty_body_status() -> u16 {
    500
}

fn default_true() -> bool {
    true
}

fn default_oversized_bytes() -> usize {
    DEFAULT_OVERSIZED_BYTES
}

fn default_redirect_status() -> u16 {
    307
}

impl Fault {
    /// Returns the `kind` name used in JSON and in recorded requests.
    pub fn kind(&self) -> &'static str {
        match self {
            Fault::Delay { .. } => "delay",
            Fault::Response { .. } => "response",
            Fault::Html502 => "html_502",
            Fault::EmptyBody { .. } => "empty_body",
            Fault::Close { .. } => "close",
            Fault::Truncated => "truncated",
            Fault::Oversized { .. } => "oversized",
            Fault::Redirect { .. } => "redirect",
        }
    }

    /// Checks statuses, sizes and header text.
    ///
    /// # Errors
    ///
    /// A message naming the invalid field.
    pub fn validate(&self) -> Result<(), String> {
        match self {
            Fault::Delay { ms } if *ms > 600_000 => {
                Err("delay ms must be at most 600000 (10 minutes)".to_owned())
            }
            Fault::Response {
                status, headers, ..
            } => {
                check_status(*status, 200..=599, "response status")?;
                for (name, value) in headers {
                    check_header(name, value)?;
                }
                Ok(())
            }
            Fault::EmptyBody { status } => check_status(*status, 200..=599, "empty_body status"),
            Fault::Oversized { bytes } if *bytes > 64 * 1024 * 1024 => {
                Err("oversized bytes must be at most 67108864 (64 MiB)".to_owned())
            }
            Fault::Redirect { location, status } => {
                check_status(*status, 300..=399, "redirect status")?;
                check_header("Location", location)?;
                url::Url::parse(location)
                    .map(|_| ())
                    .map_err(|error| format!("redirect location is not an absolute URL: {error}"))
            }
            _ => Ok(()),
        }
    }
}

fn check_status(
    status: u16,
    range: std::ops::RangeInclusive<u16>,
    field: &str,
) -> Result<(), String> {
    if range.contains(&status) {
        Ok(())
    } else {
        Err(format!(
            "{field} {status} is outside {}..={}",
            range.start(),
            range.end()
        ))
    }
}

/// Rejects header text that would break the response framing.
fn check_header(name: &str, value: &str) -> Result<(), String> {
    let name_is_token = !name.is_empty()
        && name
            .bytes()
            .all(|byte| byte.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&byte));
    if !name_is_token {
        return Err(format!("header name {name:?} is not a valid HTTP token"));
    }
    if value
        .bytes()
        .any(|byte| byte == b'\r' || byte == b'\n' || byte == 0)
    {
        return Err(format!("header {name} has a CR, LF or NUL in its value"));
    }
    Ok(())
}

/// Faults waiting for requests, first in first out per path.
#[derive(Debug, Default)]
pub(crate) struct FaultQueue {
    by_path: HashMap<String, VecDeque<Fault>>,
    count: usize,
}

impl FaultQueue {
    /// Queues `fault` for the next `times` requests to `path`.
    pub(crate) fn push(&mut self, path: &str, fault: Fault, times: usize) -> Result<(), String> {
        if !path.starts_with('/') {
            return Err(format!("fault path {path:?} must start with /"));
        }
        if path.starts_with("/__fake/") {
            return Err("faults cannot target the control API under /__fake/".to_owned());
        }
        if times == 0 {
            return Err("times must be at least 1".to_owned());
        }
        if self.count + times > MAX_QUEUED_FAULTS {
            return Err(format!(
                "at most {MAX_QUEUED_FAULTS} faults can be queued at once"
            ));
        }
        fault.validate()?;

        let queue = self.by_path.entry(path.to_owned()).or_default();
        queue.extend(std::iter::repeat_n(fault, times));
        self.count += times;
        Ok(())
    }

    /// Removes and returns the next fault for `path`.
    pub(crate) fn take(&mut self, path: &str) -> Option<Fault> {
        let queue = self.by_path.get_mut(path)?;
        let fault = queue.pop_front()?;
        if queue.is_empty() {
            self.by_path.remove(path);
        }
        self.count -= 1;
        Some(fault)
    }

    /// Returns every pending fault with its path, sorted by path, in queue order.
    pub(crate) fn pending(&self) -> Vec<(String, Fault)> {
        let mut paths: Vec<&String> = self.by_path.keys().collect();
        paths.sort();
        paths
            .into_iter()
            .flat_map(|path| {
                self.by_path[path]
                    .iter()
                    .map(move |fault| (path.clone(), fault.clone()))
            })
            .collect()
    }

    pub(crate) fn clear(&mut self) {
        self.by_path.clear();
        self.count = 0;
    }
}

/// nginx's default page for a 502, as a proxy in front of an API sends it.
pub(crate) const NGINX_502_PAGE: &str = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n\
<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fault_json_uses_kind_tag() {
        let fault: Fault = serde_json::from_str(r#"{"kind":"delay","ms":250}"#).unwrap();
        assert_eq!(fault, Fault::Delay { ms: 250 });

        let fault: Fault = serde_json::from_str(r#"{"kind":"close"}"#).unwrap();
        assert_eq!(fault, Fault::Close { process: true });

        let fault: Fault = serde_json::from_str(r#"{"kind":"html_502"}"#).unwrap();
        assert_eq!(fault, Fault::Html502);
    }

    #[test]
    fn fault_json_rejects_unknown_fields() {
        let parsed = serde_json::from_str::<Fault>(r#"{"kind":"delay","ms":1,"extra":2}"#);
        assert!(parsed.is_err());
    }

    #[test]
    fn fault_header_with_newline_is_rejected() {
        let fault = Fault::Response {
            status: 200,
            headers: vec![("X-A".to_owned(), "a\r\nX-B: b".to_owned())],
            body: String::new(),
        };
        assert!(fault.validate().is_err());
    }

    #[test]
    fn queue_is_fifo_per_path() {
        let mut queue = FaultQueue::default();
        queue.push("/oauth/token", Fault::Html502, 2).unwrap();
        queue.push("/oauth/token", Fault::Truncated, 1).unwrap();
        queue
            .push("/oauth/deauthorize", Fault::Truncated, 1)
            .unwrap();

        assert_eq!(queue.take("/oauth/token"), Some(Fault::Html502));
        assert_eq!(queue.take("/oauth/token"), Some(Fault::Html502));
        assert_eq!(queue.take("/oauth/token"), Some(Fault::Truncated));
        assert_eq!(queue.take("/oauth/token"), None);
        assert_eq!(queue.pending().len(), 1);
    }

    #[test]
    fn queue_rejects_control_paths() {
        let mut queue = FaultQueue::default();
        assert!(queue.push("/__fake/reset", Fault::Html502, 1).is_err());
    }
}
