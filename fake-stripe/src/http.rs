//! A small blocking HTTP/1.1 server on `std::net`, one thread per connection.
//!
//! It is written here instead of taken from a server crate because several faults need the
//! raw socket: closing a connection after reading a request without a response, and sending
//! fewer body bytes than the `Content-Length` header promises. Requests are parsed with
//! httparse; bodies may use `Content-Length` or chunked transfer coding; keep-alive and
//! `Expect: 100-continue` work.

use std::collections::HashMap;
use std::io::{self, Read, Write};
use std::net::{Ipv4Addr, Shutdown, SocketAddr, SocketAddrV4, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use log::{debug, info, warn};

use crate::ids::unix_micros;

/// Largest request head (request line and headers) accepted, in bytes.
const MAX_HEAD_BYTES: usize = 64 * 1024;
/// Largest request body accepted, in bytes.
const MAX_BODY_BYTES: usize = 1024 * 1024;
/// Most header fields in one request.
const MAX_HEADERS: usize = 100;

/// One parsed HTTP request with its whole body.
#[derive(Debug)]
pub(crate) struct Request {
    pub(crate) method: String,
    pub(crate) path: String,
    pub(crate) query: Option<String>,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) body: Vec<u8>,
    pub(crate) connection_id: u64,
    /// When the whole request had been read, in microseconds since the Unix epoch.
    pub(crate) received_at_us: u64,
    http_minor: u8,
}

impl Request {
    /// Returns the values of every header named `name` (case-insensitive), in order.
    pub(crate) fn header_values(&self, name: &str) -> Vec<&str> {
        header_values(&self.headers, name)
    }

    /// Returns the first header named `name` (case-insensitive).
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.header_values(name).into_iter().next()
    }

    /// Returns whether the client allows the connection to stay open after the response
    /// (RFC 9112 section 9.3).
    fn keep_alive(&self) -> bool {
        let connection_tokens: Vec<String> = self
            .header_values("connection")
            .iter()
            .flat_map(|value| value.split(','))
            .map(|token| token.trim().to_ascii_lowercase())
            .collect();
        if connection_tokens.iter().any(|token| token == "close") {
            return false;
        }
        self.http_minor >= 1 || connection_tokens.iter().any(|token| token == "keep-alive")
    }
}

fn header_values<'a>(headers: &'a [(String, String)], name: &str) -> Vec<&'a str> {
    headers
        .iter()
        .filter(|(header, _)| header.eq_ignore_ascii_case(name))
        .map(|(_, value)| value.as_str())
        .collect()
}

/// A response to send: status, headers and body. `Content-Length` is added when writing
/// unless the headers already have one.
#[derive(Clone, Debug)]
pub(crate) struct Response {
    pub(crate) status: u16,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) body: Vec<u8>,
}

impl Response {
    pub(crate) fn new(status: u16) -> Self {
        Response {
            status,
            headers: Vec::new(),
            body: Vec::new(),
        }
    }

    pub(crate) fn json(status: u16, body: &serde_json::Value) -> Self {
        Response::new(status)
            .header("Content-Type", "application/json")
            .body(body.to_string().into_bytes())
    }

    pub(crate) fn html(status: u16, page: String) -> Self {
        Response::new(status)
            .header("Content-Type", "text/html; charset=utf-8")
            .body(page.into_bytes())
    }

    pub(crate) fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }

    pub(crate) fn body(mut self, body: Vec<u8>) -> Self {
        self.body = body;
        self
    }

    /// Adds the headers that forbid caching a response that carries credentials
    /// (RFC 6749 section 5.1).
    pub(crate) fn no_store(self) -> Self {
        self.header("Cache-Control", "no-store")
            .header("Pragma", "no-cache")
    }

    fn has_header(&self, name: &str) -> bool {
        self.headers
            .iter()
            .any(|(header, _)| header.eq_ignore_ascii_case(name))
    }
}

/// Action the connection takes once the service has handled a request.
#[derive(Debug)]
pub(crate) enum Reply {
    /// Send the response.
    Send(Response),
    /// Wait, then send the response.
    SendAfter(Response, Duration),
    /// Close the connection without sending anything.
    Close,
    /// Send the head with the full `Content-Length`, then half of the body, then close.
    Truncate(Response),
}

/// The application behind the server.
pub(crate) trait Service: Send + Sync + 'static {
    /// Handles one request. The returned token, if any, is passed to `completed` once the
    /// reply has been written or abandoned.
    fn handle(&self, request: &Request) -> (Reply, Option<u64>);

    /// Reports that the response with `status` for `token` is about to be written, or with
    /// `None` that the connection is closed without a complete response.
    fn completed(&self, token: u64, status: Option<u16>);
}

/// Connection limits.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Limits {
    pub(crate) idle_timeout: Duration,
    pub(crate) max_connections: usize,
}

/// State shared by the accept thread, the connection threads and the owner.
struct Shared {
    stopping: AtomicBool,
    stop_lock: Mutex<()>,
    stop_signal: Condvar,
    connections: Mutex<HashMap<u64, TcpStream>>,
    next_connection_id: AtomicU64,
    limits: Limits,
}

impl Shared {
    fn is_stopping(&self) -> bool {
        self.stopping.load(Ordering::SeqCst)
    }

    /// Sleeps for `duration` unless the server stops first; returns false if it stopped.
    fn sleep(&self, duration: Duration) -> bool {
        let deadline = Instant::now() + duration;
        let mut guard = lock(&self.stop_lock);
        loop {
            if self.is_stopping() {
                return false;
            }
            let now = Instant::now();
            if now >= deadline {
                return true;
            }
            guard = self
                .stop_signal
                .wait_timeout(guard, deadline - now)
                .unwrap_or_else(PoisonError::into_inner)
                .0;
        }
    }

    fn connections(&self) -> MutexGuard<'_, HashMap<u64, TcpStream>> {
        lock(&self.connections)
    }
}

/// Locks a mutex, recovering the data if a thread panicked while holding it.
pub(crate) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// A running server. Dropping it stops accepting, closes every connection and joins all
/// threads.
pub(crate) struct Server {
    local_addr: SocketAddr,
    shared: Arc<Shared>,
    accept_thread: Option<JoinHandle<()>>,
}

/// Binds a listener on `127.0.0.1:port`; port 0 picks a free port.
pub(crate) fn bind_loopback(port: u16) -> io::Result<TcpListener> {
    TcpListener::bind(SocketAddrV4::new(Ipv4Addr::LOCALHOST, port))
}

impl Server {
    /// Serves `service` on `listener` from background threads.
    pub(crate) fn start(
        listener: TcpListener,
        limits: Limits,
        service: Arc<dyn Service>,
    ) -> io::Result<Self> {
        let local_addr = listener.local_addr()?;
        let shared = Arc::new(Shared {
            stopping: AtomicBool::new(false),
            stop_lock: Mutex::new(()),
            stop_signal: Condvar::new(),
            connections: Mutex::new(HashMap::new()),
            next_connection_id: AtomicU64::new(1),
            limits,
        });

        let accept_shared = Arc::clone(&shared);
        let accept_thread = thread::Builder::new()
            .name(format!("fake-stripe-accept-{}", local_addr.port()))
            .spawn(move || accept_loop(listener, accept_shared, service))?;

        info!("fake Stripe server listening on http://{local_addr}");
        Ok(Server {
            local_addr,
            shared,
            accept_thread: Some(accept_thread),
        })
    }

    pub(crate) fn local_addr(&self) -> SocketAddr {
        self.local_addr
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        {
            let _guard = lock(&self.shared.stop_lock);
            self.shared.stopping.store(true, Ordering::SeqCst);
            self.shared.stop_signal.notify_all();
        }

        // The accept thread is blocked in accept(); a connection of our own wakes it so it
        // can see the stop flag.
        if let Err(error) = TcpStream::connect_timeout(&self.local_addr, Duration::from_secs(1)) {
            warn!("could not wake the accept thread of the fake Stripe server: {error}");
        }
        if let Some(thread) = self.accept_thread.take() {
            if thread.join().is_err() {
                warn!("the accept thread of the fake Stripe server panicked");
            }
        }
        info!("fake Stripe server on http://{} stopped", self.local_addr);
    }
}

fn accept_loop(listener: TcpListener, shared: Arc<Shared>, service: Arc<dyn Service>) {
    let mut workers: Vec<JoinHandle<()>> = Vec::new();

    for incoming in listener.incoming() {
        if shared.is_stopping() {
            break;
        }
        let stream = match incoming {
            Ok(stream) => stream,
            Err(error) => {
                // Errors such as EMFILE are transient; pause so the loop does not spin.
                warn!("accepting a connection failed: {error}");
                shared.sleep(Duration::from_millis(50));
                continue;
            }
        };

        workers.retain(|worker| !worker.is_finished());
        if workers.len() >= shared.limits.max_connections {
            warn!(
                "rejecting a connection: {} connections are open, the limit",
                workers.len()
            );
            reject_busy(stream);
            continue;
        }

        match spawn_connection(stream, &shared, &service) {
            Ok(worker) => workers.push(worker),
            Err(error) => warn!("could not start a connection thread: {error}"),
        }
    }

    // Shutting the sockets down ends reads that are blocked waiting for the next request.
    for (_, stream) in shared.connections().drain() {
        let _ = stream.shutdown(Shutdown::Both);
    }
    for worker in workers {
        if worker.join().is_err() {
            warn!("a connection thread of the fake Stripe server panicked");
        }
    }
}

fn reject_busy(mut stream: TcpStream) {
    let response = Response::new(503).header("Retry-After", "1");
    let _ = write_response(&mut stream, &response, false);
    let _ = stream.shutdown(Shutdown::Both);
}

fn spawn_connection(
    stream: TcpStream,
    shared: &Arc<Shared>,
    service: &Arc<dyn Service>,
) -> io::Result<JoinHandle<()>> {
    let id = shared.next_connection_id.fetch_add(1, Ordering::Relaxed);
    shared.connections().insert(id, stream.try_clone()?);

    let shared_for_thread = Arc::clone(shared);
    let service = Arc::clone(service);
    let spawned = thread::Builder::new()
        .name(format!("fake-stripe-connection-{id}"))
        .spawn(move || {
            let peer = stream.peer_addr().ok();
            debug!("connection {id} opened from {peer:?}");
            if let Err(error) = serve_connection(stream, id, &shared_for_thread, service.as_ref()) {
                debug!("connection {id} ended with an error: {error}");
            }
            shared_for_thread.connections().remove(&id);
            debug!("connection {id} closed");
        });
    if spawned.is_err() {
        shared.connections().remove(&id);
    }
    spawned
}

fn serve_connection(
    stream: TcpStream,
    id: u64,
    shared: &Shared,
    service: &dyn Service,
) -> io::Result<()> {
    stream.set_read_timeout(Some(shared.limits.idle_timeout))?;
    stream.set_nodelay(true)?;
    let mut connection = Connection {
        stream,
        buffer: Vec::new(),
        id,
    };

    while !shared.is_stopping() {
        let request = match connection.read_request() {
            Ok(Some(request)) => request,
            Ok(None) => break,
            Err(ReadError::Io(error)) => return Err(error),
            Err(ReadError::Rejected(status, message)) => {
                debug!("connection {id}: rejected a malformed request ({status}: {message})");
                let response = Response::new(status)
                    .header("Content-Type", "text/plain; charset=utf-8")
                    .body(message.into_bytes());
                write_response(&mut connection.stream, &response, false)?;
                break;
            }
        };

        let started = Instant::now();
        let keep_alive = request.keep_alive();
        let (reply, token) = service.handle(&request);
        let complete = |status: Option<u16>| {
            if let Some(token) = token {
                service.completed(token, status);
            }
        };
        let (status, open) =
            send_reply(&mut connection.stream, reply, keep_alive, shared, &complete);
        debug!(
            "{} {} -> {} in {} ms (connection {id})",
            request.method,
            request.path,
            status.map_or_else(|| "no response".to_owned(), |status| status.to_string()),
            started.elapsed().as_millis()
        );
        if !open {
            break;
        }
    }

    let _ = connection.stream.shutdown(Shutdown::Both);
    Ok(())
}

/// Writes `reply`; returns the status sent (`None` when no complete response went out) and
/// whether the connection stays open.
///
/// `complete` is called before the first byte of the response is written (or the
/// connection is closed), so a client that has seen the response always finds its record
/// complete. A failed write calls it again with `None`.
fn send_reply(
    stream: &mut TcpStream,
    reply: Reply,
    keep_alive: bool,
    shared: &Shared,
    complete: &dyn Fn(Option<u16>),
) -> (Option<u16>, bool) {
    let response = match reply {
        Reply::Send(response) => response,
        Reply::SendAfter(response, delay) => {
            if !shared.sleep(delay) {
                complete(None);
                return (None, false);
            }
            response
        }
        Reply::Close => {
            complete(None);
            return (None, false);
        }
        Reply::Truncate(response) => {
            complete(None);
            let _ = write_truncated(stream, &response);
            return (None, false);
        }
    };

    complete(Some(response.status));
    if write_response(stream, &response, keep_alive).is_err() {
        complete(None);
        return (None, false);
    }
    (Some(response.status), keep_alive)
}

fn response_head(response: &Response, body_length: usize, keep_alive: bool) -> Vec<u8> {
    let mut head = format!(
        "HTTP/1.1 {} {}\r\n",
        response.status,
        reason_phrase(response.status)
    );
    for (name, value) in &response.headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    if !response.has_header("content-length") {
        head.push_str(&format!("Content-Length: {body_length}\r\n"));
    }
    if !keep_alive {
        head.push_str("Connection: close\r\n");
    }
    head.push_str("\r\n");
    head.into_bytes()
}

fn write_response(stream: &mut TcpStream, response: &Response, keep_alive: bool) -> io::Result<()> {
    let mut message = response_head(response, response.body.len(), keep_alive);
    message.extend_from_slice(&response.body);
    stream.write_all(&message)?;
    stream.flush()
}

fn write_truncated(stream: &mut TcpStream, response: &Response) -> io::Result<()> {
    let mut message = response_head(response, response.body.len(), true);
    message.extend_from_slice(&response.body[..response.body.len() / 2]);
    stream.write_all(&message)?;
    stream.flush()?;
    stream.shutdown(Shutdown::Both)
}

fn reason_phrase(status: u16) -> &'static str {
    match status {
        100 => "Continue",
        200 => "OK",
        201 => "Created",
        204 => "No Content",
        301 => "Moved Permanently",
        302 => "Found",
        303 => "See Other",
        307 => "Temporary Redirect",
        308 => "Permanent Redirect",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        411 => "Length Required",
        413 => "Content Too Large",
        415 => "Unsupported Media Type",
        429 => "Too Many Requests",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        501 => "Not Implemented",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "Unknown",
    }
}

enum ReadError {
    Io(io::Error),
    /// A malformed request: the server sends this status and closes the connection.
    Rejected(u16, String),
}

impl From<io::Error> for ReadError {
    fn from(error: io::Error) -> Self {
        ReadError::Io(error)
    }
}

/// A connection's socket plus the bytes read from it but not yet consumed, which may hold
/// the start of a pipelined request.
struct Connection {
    stream: TcpStream,
    buffer: Vec<u8>,
    id: u64,
}

/// Request line and headers, parsed.
struct Head {
    method: String,
    target: String,
    http_minor: u8,
    headers: Vec<(String, String)>,
}

impl Connection {
    /// Reads the next request; `None` when the client closed the connection or stayed idle
    /// past the timeout between requests.
    fn read_request(&mut self) -> Result<Option<Request>, ReadError> {
        let Some(head) = self.read_head()? else {
            return Ok(None);
        };

        let body = self.read_body(&head)?;

        let (path, query) = split_target(&head.target);
        Ok(Some(Request {
            method: head.method,
            path,
            query,
            headers: head.headers,
            body,
            connection_id: self.id,
            received_at_us: unix_micros(),
            http_minor: head.http_minor,
        }))
    }

    fn read_head(&mut self) -> Result<Option<Head>, ReadError> {
        loop {
            if !self.buffer.is_empty() {
                if let Some(head) = self.parse_head()? {
                    return Ok(Some(head));
                }
                if self.buffer.len() > MAX_HEAD_BYTES {
                    return Err(ReadError::Rejected(
                        431,
                        "request head too large".to_owned(),
                    ));
                }
            }

            let was_empty = self.buffer.is_empty();
            match self.fill() {
                Ok(0) if was_empty => return Ok(None),
                Ok(0) => {
                    return Err(ReadError::Io(io::Error::new(
                        io::ErrorKind::UnexpectedEof,
                        "connection closed inside a request head",
                    )));
                }
                Ok(_) => {}
                Err(error) if was_empty && is_timeout(&error) => return Ok(None),
                Err(error) => return Err(ReadError::Io(error)),
            }
        }
    }

    /// Parses a complete head at the start of the buffer and removes it; `None` if the
    /// buffer does not hold a whole head yet.
    fn parse_head(&mut self) -> Result<Option<Head>, ReadError> {
        let mut header_slots = [httparse::EMPTY_HEADER; MAX_HEADERS];
        let mut parsed = httparse::Request::new(&mut header_slots);
        let head_length = match parsed.parse(&self.buffer) {
            Ok(httparse::Status::Complete(length)) => length,
            Ok(httparse::Status::Partial) => return Ok(None),
            Err(httparse::Error::TooManyHeaders) => {
                return Err(ReadError::Rejected(431, "too many headers".to_owned()));
            }
            Err(error) => {
                return Err(ReadError::Rejected(
                    400,
                    format!("malformed request: {error}"),
                ));
            }
        };

        let head = Head {
            method: parsed.method.unwrap_or_default().to_owned(),
            target: parsed.path.unwrap_or_default().to_owned(),
            http_minor: parsed.version.unwrap_or(1),
            headers: parsed
                .headers
                .iter()
                .map(|header| {
                    (
                        header.name.to_owned(),
                        String::from_utf8_lossy(header.value).into_owned(),
                    )
                })
                .collect(),
        };
        self.buffer.drain(..head_length);
        Ok(Some(head))
    }

    fn read_body(&mut self, head: &Head) -> Result<Vec<u8>, ReadError> {
        let transfer_encoding = header_values(&head.headers, "transfer-encoding")
            .into_iter()
            .next();
        let content_length = content_length(&head.headers)?;

        if let Some(encoding) = transfer_encoding {
            if content_length.is_some() {
                return Err(ReadError::Rejected(
                    400,
                    "both Transfer-Encoding and Content-Length sent".to_owned(),
                ));
            }
            if !encoding.trim().eq_ignore_ascii_case("chunked") {
                return Err(ReadError::Rejected(
                    501,
                    "only chunked transfer coding is supported".to_owned(),
                ));
            }
            self.send_continue_if_expected(head)?;
            return self.read_chunked_body();
        }

        let length = content_length.unwrap_or(0);
        if length > MAX_BODY_BYTES {
            return Err(ReadError::Rejected(
                413,
                format!("request body larger than {MAX_BODY_BYTES} bytes"),
            ));
        }
        if length > self.buffer.len() {
            self.send_continue_if_expected(head)?;
        }
        self.take_exact(length)
    }

    /// Sends the interim 100 response that a client sending `Expect: 100-continue` waits
    /// for before the body (RFC 9110 section 10.1.1).
    fn send_continue_if_expected(&mut self, head: &Head) -> Result<(), ReadError> {
        let expects_continue = header_values(&head.headers, "expect")
            .into_iter()
            .any(|value| value.trim().eq_ignore_ascii_case("100-continue"));
        if expects_continue && head.http_minor >= 1 {
            self.stream.write_all(b"HTTP/1.1 100 Continue\r\n\r\n")?;
        }
        Ok(())
    }

    fn read_chunked_body(&mut self) -> Result<Vec<u8>, ReadError> {
        let mut body = Vec::new();
        loop {
            let size_line = self.take_line()?;
            let size_text = size_line.split(';').next().unwrap_or_default().trim();
            let size = usize::from_str_radix(size_text, 16)
                .map_err(|_| ReadError::Rejected(400, "malformed chunk size".to_owned()))?;
            if size == 0 {
                // Trailer fields end with an empty line; their content is ignored.
                while !self.take_line()?.is_empty() {}
                return Ok(body);
            }
            if body.len() + size > MAX_BODY_BYTES {
                return Err(ReadError::Rejected(
                    413,
                    format!("request body larger than {MAX_BODY_BYTES} bytes"),
                ));
            }
            body.extend(self.take_exact(size)?);
            if !self.take_line()?.is_empty() {
                return Err(ReadError::Rejected(
                    400,
                    "chunk data not followed by CRLF".to_owned(),
                ));
            }
        }
    }

    /// Removes and returns the next line without its CRLF.
    fn take_line(&mut self) -> Result<String, ReadError> {
        loop {
            if let Some(end) = self.buffer.windows(2).position(|pair| pair == b"\r\n") {
                let line = String::from_utf8_lossy(&self.buffer[..end]).into_owned();
                self.buffer.drain(..end + 2);
                return Ok(line);
            }
            if self.buffer.len() > MAX_HEAD_BYTES {
                return Err(ReadError::Rejected(400, "chunk line too long".to_owned()));
            }
            self.fill_or_eof()?;
        }
    }

    fn take_exact(&mut self, length: usize) -> Result<Vec<u8>, ReadError> {
        while self.buffer.len() < length {
            self.fill_or_eof()?;
        }
        Ok(self.buffer.drain(..length).collect())
    }

    fn fill_or_eof(&mut self) -> Result<(), ReadError> {
        if self.fill()? == 0 {
            return Err(ReadError::Io(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                "connection closed inside a request body",
            )));
        }
        Ok(())
    }

    fn fill(&mut self) -> io::Result<usize> {
        let mut chunk = [0u8; 16 * 1024];
        loop {
            match self.stream.read(&mut chunk) {
                Ok(count) => {
                    self.buffer.extend_from_slice(&chunk[..count]);
                    return Ok(count);
                }
                Err(error) if error.kind() == io::ErrorKind::Interrupted => {}
                Err(error) => return Err(error),
            }
        }
    }
}

/// Returns the request's `Content-Length`; several headers must agree (RFC 9112 section 6.3).
fn content_length(headers: &[(String, String)]) -> Result<Option<usize>, ReadError> {
    let mut length = None;
    for value in header_values(headers, "content-length") {
        let parsed = value
            .trim()
            .parse::<usize>()
            .map_err(|_| ReadError::Rejected(400, "invalid Content-Length".to_owned()))?;
        if length.is_some_and(|previous| previous != parsed) {
            return Err(ReadError::Rejected(
                400,
                "conflicting Content-Length headers".to_owned(),
            ));
        }
        length = Some(parsed);
    }
    Ok(length)
}

fn is_timeout(error: &io::Error) -> bool {
    matches!(
        error.kind(),
        io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
    )
}

/// Splits a request target into path and query; an absolute-form target
/// (`http://host/path?query`) keeps only its path and query.
fn split_target(target: &str) -> (String, Option<String>) {
    let origin_form = match target.find("://") {
        Some(scheme_end) => {
            let after_authority = &target[scheme_end + 3..];
            match after_authority.find('/') {
                Some(path_start) => &after_authority[path_start..],
                None => "/",
            }
        }
        None => target,
    };
    match origin_form.split_once('?') {
        Some((path, query)) => (path.to_owned(), Some(query.to_owned())),
        None => (origin_form.to_owned(), None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_target_separates_path_and_query() {
        assert_eq!(
            split_target("/oauth/authorize?a=1&b=2"),
            ("/oauth/authorize".to_owned(), Some("a=1&b=2".to_owned()))
        );
        assert_eq!(
            split_target("/oauth/token"),
            ("/oauth/token".to_owned(), None)
        );
    }

    #[test]
    fn split_target_accepts_absolute_form() {
        assert_eq!(
            split_target("http://127.0.0.1:1/oauth/token?x=1"),
            ("/oauth/token".to_owned(), Some("x=1".to_owned()))
        );
        assert_eq!(split_target("http://127.0.0.1:1"), ("/".to_owned(), None));
    }

    #[test]
    fn response_head_adds_length_and_close() {
        let response = Response::new(200).header("X-Test", "1");
        let head = String::from_utf8(response_head(&response, 5, false)).unwrap();

        assert_eq!(
            head,
            "HTTP/1.1 200 OK\r\nX-Test: 1\r\nContent-Length: 5\r\nConnection: close\r\n\r\n"
        );
    }

    #[test]
    fn response_head_keeps_explicit_length() {
        let response = Response::new(200).header("Content-Length", "99");
        let head = String::from_utf8(response_head(&response, 5, true)).unwrap();

        assert_eq!(head, "HTTP/1.1 200 OK\r\nContent-Length: 99\r\n\r\n");
    }
}
