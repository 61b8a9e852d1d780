//! Recorded requests, so tests can assert the exact bytes a client sent.

use std::collections::VecDeque;
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::http::Request;

/// Maximum number of requests kept; the oldest record is dropped to make room.
pub(crate) const MAX_RECORDS: usize = 10_000;

/// One request to a Connect endpoint (any path outside `/__fake/`), as the server read it.
///
/// Times are wall-clock microseconds since the Unix epoch (integers). The records hold
/// secrets as sent (the `Authorization` header, `client_secret`, codes and refresh tokens
/// in the body), so `Debug` prints header names and the body length only.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordedRequest {
    /// Sequence number, starting at 1, in arrival order.
    pub id: u64,
    /// Number of the TCP connection that carried the request; equal numbers mean a reused
    /// keep-alive connection.
    pub connection_id: u64,
    /// Request method, such as `POST`.
    pub method: String,
    /// Path without the query, such as `/oauth/token`.
    pub path: String,
    /// Raw query string without `?`, if the target had one.
    pub query: Option<String>,
    /// Header fields in the order sent, names as sent.
    pub headers: Vec<(String, String)>,
    /// Body decoded as UTF-8 (invalid bytes become U+FFFD).
    pub body: String,
    /// When the whole request had been read.
    pub received_at_us: u64,
    /// When the server started writing the response (after any delay) or closed the
    /// connection; `None` while the request is still in progress. It is set before the
    /// client can read a byte of the response.
    pub responded_at_us: Option<u64>,
    /// Status of the response; `None` while pending, or when the connection was closed
    /// without a complete response or the write failed.
    pub status: Option<u16>,
    /// Kind of the fault applied to this request (`delay`, `close`, …), if any.
    pub fault: Option<String>,
}

impl RecordedRequest {
    /// Returns the values of every header named `name` (case-insensitive), in order.
    pub fn header_values(&self, name: &str) -> Vec<&str> {
        self.headers
            .iter()
            .filter(|(header, _)| header.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
            .collect()
    }

    /// Returns the first header named `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.header_values(name).into_iter().next()
    }

    /// Returns the body decoded as `application/x-www-form-urlencoded` pairs, in order.
    pub fn form(&self) -> Vec<(String, String)> {
        form_urlencoded::parse(self.body.as_bytes())
            .into_owned()
            .collect()
    }
}

impl fmt::Debug for RecordedRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let header_names: Vec<&str> = self.headers.iter().map(|(name, _)| name.as_str()).collect();
        f.debug_struct("RecordedRequest")
            .field("id", &self.id)
            .field("connection_id", &self.connection_id)
            .field("method", &self.method)
            .field("path", &self.path)
            .field("header_names", &header_names)
            .field("body_length", &self.body.len())
            .field("received_at_us", &self.received_at_us)
            .field("responded_at_us", &self.responded_at_us)
            .field("status", &self.status)
            .field("fault", &self.fault)
            .finish()
    }
}

/// The recorded requests, oldest first.
#[derive(Debug, Default)]
pub(crate) struct Records {
    next_id: u64,
    entries: VecDeque<RecordedRequest>,
}

impl Records {
    /// Records `request` as received and returns its id.
    pub(crate) fn start(&mut self, request: &Request) -> u64 {
        self.next_id += 1;
        if self.entries.len() == MAX_RECORDS {
            self.entries.pop_front();
        }
        self.entries.push_back(RecordedRequest {
            id: self.next_id,
            connection_id: request.connection_id,
            method: request.method.clone(),
            path: request.path.clone(),
            query: request.query.clone(),
            headers: request.headers.clone(),
            body: String::from_utf8_lossy(&request.body).into_owned(),
            received_at_us: request.received_at_us,
            responded_at_us: None,
            status: None,
            fault: None,
        });
        self.next_id
    }

    pub(crate) fn set_fault(&mut self, id: u64, fault: &str) {
        if let Some(entry) = self.find(id) {
            entry.fault = Some(fault.to_owned());
        }
    }

    pub(crate) fn complete(&mut self, id: u64, status: Option<u16>, at_us: u64) {
        if let Some(entry) = self.find(id) {
            entry.status = status;
            entry.responded_at_us = Some(at_us);
        }
    }

    pub(crate) fn list(&self, path: Option<&str>) -> Vec<RecordedRequest> {
        self.entries
            .iter()
            .filter(|entry| path.is_none_or(|path| entry.path == path))
            .cloned()
            .collect()
    }

    /// Removes every record; ids keep counting up.
    pub(crate) fn clear(&mut self) {
        self.entries.clear();
    }

    fn find(&mut self, id: u64) -> Option<&mut RecordedRequest> {
        // Completions usually concern recent requests, so search from the newest.
        self.entries.iter_mut().rev().find(|entry| entry.id == id)
    }
}
