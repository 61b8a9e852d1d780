//! Text that goes to the terminal: one line, with no character that a terminal would act on.

use std::fmt::Write as _;

/// Joins the lines of `text` into one line and makes every control character visible.
///
/// Runs of whitespace (including newlines and tabs) become one space, and leading and trailing
/// whitespace is dropped. Every other control character (C0, DEL and C1, such as ESC or BEL)
/// and every bidirectional formatting character (U+061C, U+200E, U+200F, U+202A to U+202E,
/// U+2066 to U+2069) is written as a Rust escape such as `\u{1b}`. Server text, such as
/// an `error_description`, then cannot move the cursor, recolour or reorder the terminal.
pub fn single_line(text: &str) -> String {
    let mut line = String::with_capacity(text.len());
    let mut pending_space = false;
    for character in text.chars() {
        if character.is_whitespace() {
            pending_space = !line.is_empty();
            continue;
        }
        if pending_space {
            line.push(' ');
            pending_space = false;
        }
        if is_terminal_control(character) {
            let _ = write!(line, "\\u{{{:x}}}", u32::from(character));
        } else {
            line.push(character);
        }
    }
    line
}

/// Escapes, in serialized JSON, the characters of [`single_line`]'s list that JSON leaves
/// as they are (DEL, C1 and bidirectional controls), as `\uXXXX`.
///
/// The result decodes to the same value: outside strings, serialized JSON has only ASCII
/// punctuation, digits, letters and whitespace, and these characters are all in the Basic
/// Multilingual Plane, so one `\uXXXX` escape stands for each.
pub fn json_line(json: &str) -> String {
    let mut line = String::with_capacity(json.len());
    for character in json.chars() {
        if is_terminal_control(character) {
            let _ = write!(line, "\\u{:04x}", u32::from(character));
        } else {
            line.push(character);
        }
    }
    line
}

/// Tells whether `character` is a control character or a bidirectional formatting character.
fn is_terminal_control(character: char) -> bool {
    character.is_control()
        || matches!(
            character,
            '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn single_line_joins_lines() {
        assert_eq!(single_line("a\n  b\tc "), "a b c");
        assert_eq!(single_line("\r\n a \u{85} b \u{2028}"), "a b");
    }

    #[test]
    fn single_line_escapes_control_characters() {
        assert_eq!(
            single_line("red\u{1b}[31m bell\u{7} del\u{7f} csi\u{9b}"),
            "red\\u{1b}[31m bell\\u{7} del\\u{7f} csi\\u{9b}"
        );
    }

    #[test]
    fn single_line_escapes_bidi_controls() {
        assert_eq!(
            single_line("acct_1\u{202e}gnp.exe\u{2066}"),
            "acct_1\\u{202e}gnp.exe\\u{2066}"
        );
    }

    #[test]
    fn json_line_escapes_what_json_leaves() {
        let json = serde_json::json!({"scope": "a\u{7f}b\u{9b}c\u{202e}d\u{1b}e"}).to_string();

        let line = json_line(&json);

        assert_eq!(line, r#"{"scope":"a\u007fb\u009bc\u202ed\u001be"}"#);
        let decoded: serde_json::Value = serde_json::from_str(&line).expect("valid JSON");
        assert_eq!(decoded["scope"], "a\u{7f}b\u{9b}c\u{202e}d\u{1b}e");
    }

    #[test]
    fn single_line_keeps_printable_text() {
        let text = "Café “quoted” – ac_*** 🙂";
        assert_eq!(single_line(text), text);
    }
}
