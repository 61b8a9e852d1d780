//! Random identifiers and wall-clock timestamps.

use std::time::{SystemTime, UNIX_EPOCH};

const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/// Returns `prefix` followed by `length` random ASCII letters and digits.
///
/// The bytes come from the OS random generator. The small modulo bias of mapping a byte onto
/// 62 symbols does not matter for identifiers that only this fake server checks.
///
/// # Panics
///
/// When the OS random generator fails, which getrandom reports only on broken systems.
pub(crate) fn random_id(prefix: &str, length: usize) -> String {
    let mut bytes = vec![0u8; length];
    getrandom::fill(&mut bytes).expect("the OS random generator failed");

    let mut id = String::with_capacity(prefix.len() + length);
    id.push_str(prefix);
    for byte in bytes {
        id.push(char::from(ALPHABET[usize::from(byte) % ALPHABET.len()]));
    }
    id
}

/// Returns the wall-clock time in microseconds since the Unix epoch.
pub(crate) fn unix_micros() -> u64 {
    let since_epoch = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default();
    u64::try_from(since_epoch.as_micros()).unwrap_or(u64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn random_id_has_prefix_length_and_alphabet() {
        let id = random_id("ac_", 32);

        assert!(id.starts_with("ac_"));
        assert_eq!(id.len(), 35);
        assert!(id[3..].bytes().all(|byte| byte.is_ascii_alphanumeric()));
    }

    #[test]
    fn random_ids_differ() {
        assert_ne!(random_id("rt_", 32), random_id("rt_", 32));
    }
}
