//! Masking of secret-looking tokens in text that came from a server.

use std::borrow::Cow;

/// Prefixes of Stripe values that grant access: secret keys, restricted keys, refresh tokens and
/// authorization codes.
const SECRET_PREFIXES: [&str; 4] = ["sk_", "rk_", "rt_", "ac_"];

/// The marker that replaces the characters after a secret prefix.
const MASK: &str = "***";

fn is_token_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// Replaces every token that starts with a secret prefix (`sk_`, `rk_`, `rt_`, `ac_`) at a word
/// boundary by the prefix followed by `***`, so `sk_test_abc` becomes `sk_***`.
///
/// Use it on text from a server, such as an `error_description` that quotes the rejected code,
/// before logging or showing it.
pub fn mask_secrets(text: &str) -> Cow<'_, str> {
    if !SECRET_PREFIXES.iter().any(|prefix| text.contains(prefix)) {
        return Cow::Borrowed(text);
    }

    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    let mut previous: Option<char> = None;
    while let Some(c) = rest.chars().next() {
        let at_boundary = previous.is_none_or(|p| !is_token_char(p));
        let prefix = SECRET_PREFIXES
            .iter()
            .find(|prefix| at_boundary && rest.starts_with(**prefix));
        if let Some(prefix) = prefix {
            let tail = &rest[prefix.len()..];
            let token_len = tail.find(|c| !is_token_char(c)).unwrap_or(tail.len());
            out.push_str(prefix);
            out.push_str(MASK);
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
