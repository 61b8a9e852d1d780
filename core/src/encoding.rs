//! Percent-encoding shared by the authorize URL and the form bodies.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

/// Every byte outside the RFC 3986 unreserved set (`A-Z a-z 0-9 - . _ ~`).
///
/// Escaping this much keeps `+`, `&`, `=`, `/`, `?`, `#`, spaces and non-ASCII text intact through
/// both URL query parsing and `application/x-www-form-urlencoded` parsing.
const VALUE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// The value set, except that `[` and `]` stay literal, as Stripe's docs print keys such as
/// `stripe_user[email]` and `suggested_capabilities[]`.
const KEY: &AsciiSet = &VALUE.remove(b'[').remove(b']');

/// Percent-encodes a value as form bodies and authorize URLs carry it.
pub(crate) fn encode_value(value: &str) -> String {
    utf8_percent_encode(value, VALUE).to_string()
}

fn is_unreserved(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~')
}

/// A `key=value&key=value` string in insertion order.
#[derive(Default)]
pub(crate) struct PairWriter {
    out: String,
}

impl PairWriter {
    pub(crate) fn with_capacity(capacity: usize) -> Self {
        Self {
            out: String::with_capacity(capacity),
        }
    }

    pub(crate) fn with_prefix(prefix: String) -> Self {
        Self { out: prefix }
    }

    pub(crate) fn pair(&mut self, key: &str, value: &str) {
        if !self.out.is_empty() && !self.out.ends_with('?') {
            self.out.push('&');
        }
        // Most keys and values (codes, ids, capability names) need no escape, and copying them
        // whole is several times cheaper than the escaping iterator.
        if key
            .bytes()
            .all(|byte| is_unreserved(byte) || byte == b'[' || byte == b']')
        {
            self.out.push_str(key);
        } else {
            self.out.extend(utf8_percent_encode(key, KEY));
        }
        self.out.push('=');
        if value.bytes().all(is_unreserved) {
            self.out.push_str(value);
        } else {
            self.out.extend(utf8_percent_encode(value, VALUE));
        }
    }

    pub(crate) fn finish(self) -> String {
        self.out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reserved_bytes_are_escaped() {
        let mut writer = PairWriter::default();
        writer.pair("k", "a+b&c=d/e?f#g h~i-j.k_l");
        assert_eq!(writer.finish(), "k=a%2Bb%26c%3Dd%2Fe%3Ff%23g%20h~i-j.k_l");
    }

    #[test]
    fn key_brackets_stay_literal() {
        let mut writer = PairWriter::with_prefix("x?".to_owned());
        writer.pair("stripe_user[email]", "a");
        writer.pair("suggested_capabilities[]", "b");
        assert_eq!(
            writer.finish(),
            "x?stripe_user[email]=a&suggested_capabilities[]=b"
        );
    }
}
