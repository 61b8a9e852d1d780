//! Masking of secret-looking tokens in text that came from a server.

use std::borrow::Cow;

use crate::encoding::encode_value;

/// Prefixes of Stripe values that grant access: secret keys, restricted keys, refresh tokens and
/// authorization codes.
const SECRET_PREFIXES: [&str; 4] = ["sk_", "rk_", "rt_", "ac_"];

/// The marker that replaces the characters after a secret prefix.
const MASK: &str = "***";

fn is_token_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// Returns whether `before` ends with a percent-escape such as `%3D`, which separates words in encoded
/// text like `code%3Dac_123`.
fn ends_with_percent_escape(before: &str) -> bool {
    let bytes = before.as_bytes();
    bytes.len() >= 3
        && bytes[bytes.len() - 3] == b'%'
        && bytes[bytes.len() - 2].is_ascii_hexdigit()
        && bytes[bytes.len() - 1].is_ascii_hexdigit()
}

/// Replaces every token that starts with a secret prefix (`sk_`, `rk_`, `rt_`, `ac_`) at a word
/// boundary by the prefix followed by `***`, so `sk_test_abc` becomes `sk_***`.
///
/// A percent-escape such as `%3D` counts as a boundary. Masking is idempotent: masked text stays
/// as it is. Use it on text from a server, such as an `error_description` that quotes the
/// rejected code, before logging or showing it.
pub fn mask_secrets(text: &str) -> Cow<'_, str> {
    if !SECRET_PREFIXES.iter().any(|prefix| text.contains(prefix)) {
        return Cow::Borrowed(text);
    }

    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    let mut previous: Option<char> = None;
    while let Some(c) = rest.chars().next() {
        let done = &text[..text.len() - rest.len()];
        let at_boundary =
            previous.is_none_or(|p| !is_token_char(p)) || ends_with_percent_escape(done);
        let prefix = SECRET_PREFIXES
            .iter()
            .find(|prefix| at_boundary && rest.starts_with(**prefix));
        if let Some(prefix) = prefix {
            let tail = &rest[prefix.len()..];
            let token_len = tail.find(|c| !is_token_char(c)).unwrap_or(tail.len());
            out.push_str(prefix);
            if token_len > 0 {
                out.push_str(MASK);
            }
            rest = &tail[token_len..];
            previous = Some('_');
            continue;
        }
        out.push(c);
        previous = Some(c);
        rest = &rest[c.len_utf8()..];
    }
    Cow::Owned(out)
}

/// Makes text from a server safe to show: the value the request sent (an authorization code or
/// refresh token, whatever its format) becomes `***`, secret-looking tokens are masked, and
/// control characters become U+FFFD so they cannot drive a terminal. Line breaks and tabs are
/// kept when `keep_line_breaks` is set, for multi-line excerpts.
pub(crate) fn sanitize_server_text(
    text: &str,
    sent_secret: Option<&str>,
    keep_line_breaks: bool,
) -> String {
    let mut text = Cow::Borrowed(text);
    if let Some(secret) = sent_secret.filter(|secret| !secret.is_empty()) {
        // A server may quote the value as sent in the form body, percent-encoded.
        for form in [Cow::Borrowed(secret), Cow::Owned(encode_value(secret))] {
            if text.contains(&*form) {
                text = Cow::Owned(text.replace(&*form, MASK));
            }
        }
    }
    let allowed = |c: char| keep_line_breaks && matches!(c, '\n' | '\r' | '\t');
    mask_secrets(&text)
        .chars()
        .map(|c| {
            if c.is_control() && !allowed(c) {
                '\u{FFFD}'
            } else {
                c
            }
        })
        .collect()
}

/// Cuts `text` to at most `max_bytes` bytes at a character boundary.
pub(crate) fn truncate_at_char_boundary(text: &str, max_bytes: usize) -> &str {
    if text.len() <= max_bytes {
        return text;
    }
    let mut end = max_bytes;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_tokens_are_masked() {
        let masked = mask_secrets("key sk_live_abc123, code=ac_XYZ; rt_1 and rk_test_9");
        assert_eq!(masked, "key sk_***, code=ac_***; rt_*** and rk_***");
    }

    #[test]
    fn masking_is_idempotent() {
        let once = mask_secrets("sk_test_1 ac_2").into_owned();
        assert_eq!(mask_secrets(&once), once);
    }

    #[test]
    fn percent_escape_is_a_boundary() {
        assert_eq!(mask_secrets("code%3Dac_SECRET%26x"), "code%3Dac_***%26x");
    }

    #[test]
    fn server_text_hides_sent_value_and_controls() {
        let shown = sanitize_server_text("no code XYZ123\u{1b}[2J here", Some("XYZ123"), false);
        assert_eq!(shown, "no code ***\u{FFFD}[2J here");
    }

    #[test]
    fn server_text_hides_encoded_sent_value() {
        let shown =
            sanitize_server_text("body: code=ZZ%2BSEC%2FRET%3D", Some("ZZ+SEC/RET="), false);
        assert_eq!(shown, "body: code=***");
    }

    #[test]
    fn prefix_inside_word_is_kept() {
        assert_eq!(mask_secrets("task_done back_up"), "task_done back_up");
    }

    #[test]
    fn text_without_prefix_is_borrowed() {
        assert!(matches!(mask_secrets("plain text"), Cow::Borrowed(_)));
    }

    #[test]
    fn truncation_respects_char_boundary() {
        assert_eq!(truncate_at_char_boundary("aé", 2), "a");
        assert_eq!(truncate_at_char_boundary("abc", 5), "abc");
    }
}
