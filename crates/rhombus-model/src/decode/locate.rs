//! Where a failure is: its JSON path, line and column, worked out from its
//! byte offset by walking the input again. Only failures and tolerated
//! problems pay for this; a clean decode never tracks a path.

use crate::decode::Limits;
use crate::decode::cx::Noted;
use crate::error::{DecodeError, DecodeErrorKind};
use crate::lex::{Code, Fail, Lexer, StrToken, unescape};
use crate::path::{push_index, push_key};

/// One open container on the way to an offset.
enum Frame {
    /// An object and the key of its current member, once read.
    Object(Option<String>),
    /// An array and the index of its current element.
    Array(usize),
}

/// The JSON paths of the values at each of `offsets` (ascending) in
/// `bytes`: for an offset inside a value or between tokens, the innermost
/// value being read there.
pub(crate) fn paths(bytes: &[u8], offsets: &[usize]) -> Vec<String> {
    let mut out = Vec::with_capacity(offsets.len());
    let mut lx = Lexer::new(bytes);
    let mut frames: Vec<Frame> = Vec::new();
    let render = |frames: &[Frame]| {
        let mut path = String::new();
        for frame in frames {
            match frame {
                Frame::Object(Some(key)) => push_key(&mut path, key),
                Frame::Object(None) => {}
                Frame::Array(i) => push_index(&mut path, *i),
            }
        }
        path
    };
    // Emits the current path for every offset before `pos`.
    let emit = |pos: usize, frames: &[Frame], out: &mut Vec<String>| {
        while out.len() < offsets.len() && offsets[out.len()] < pos {
            out.push(render(frames));
        }
    };
    let walked = (|| -> Result<(), Fail> {
        loop {
            // A value starts at the cursor.
            lx.peek()?;
            emit(lx.pos + 1, &frames, &mut out);
            match lx.bytes[lx.pos] {
                b'{' => {
                    lx.pos += 1;
                    frames.push(Frame::Object(None));
                    if lx.peek()? == b'}' {
                        lx.pos += 1;
                        frames.pop();
                    } else {
                        read_key(&mut lx, &mut frames)?;
                        continue;
                    }
                }
                b'[' => {
                    lx.pos += 1;
                    frames.push(Frame::Array(0));
                    if lx.peek()? == b']' {
                        lx.pos += 1;
                        frames.pop();
                    } else {
                        continue;
                    }
                }
                _ => {
                    lx.skip(&mut crate::lex::Nesting::new())?;
                }
            }
            emit(lx.pos, &frames, &mut out);
            // A value ended: close containers until one goes on.
            loop {
                match frames.last_mut() {
                    None => return Ok(()),
                    Some(Frame::Object(_)) => {
                        if lx.next_member()? {
                            read_key(&mut lx, &mut frames)?;
                            break;
                        }
                    }
                    Some(Frame::Array(i)) => {
                        let more = lx.next_element()?;
                        if more {
                            *i += 1;
                            break;
                        }
                    }
                }
                frames.pop();
                emit(lx.pos, &frames, &mut out);
            }
        }
    })();
    let _ = walked;
    while out.len() < offsets.len() {
        out.push(render(&frames));
    }
    out
}

/// Reads an object key and its colon into the innermost frame.
fn read_key(lx: &mut Lexer<'_>, frames: &mut [Frame]) -> Result<(), Fail> {
    let key = match lx.key_string()? {
        StrToken::Text(text) => text.to_owned(),
        StrToken::Raw { body, .. } => {
            let mut key = String::new();
            unescape(body, &mut key);
            key
        }
    };
    if let Some(Frame::Object(slot)) = frames.last_mut() {
        *slot = Some(key);
    }
    lx.colon()
}

/// Line and column (1-based, in bytes) of `at` in `bytes`.
pub(crate) fn line_column(bytes: &[u8], at: usize) -> (usize, usize) {
    let before = &bytes[..at.min(bytes.len())];
    let line = 1 + memchr::memchr_iter(b'\n', before).count();
    let column = match memchr::memrchr(b'\n', before) {
        Some(nl) => before.len() - nl,
        None => before.len() + 1,
    };
    (line, column)
}

/// The kind a code is reported as.
pub(crate) fn kind(code: Code) -> DecodeErrorKind {
    match code {
        Code::Eof => DecodeErrorKind::Eof,
        Code::TooManyClips | Code::TreeTooLarge | Code::ValueTooLong => DecodeErrorKind::Limit,
        c if c.is_misfit() || c == Code::NotAnObject => DecodeErrorKind::Data,
        _ => DecodeErrorKind::Syntax,
    }
}

/// The JSON type of the value starting at `at`, for messages.
fn found(bytes: &[u8], at: usize) -> &'static str {
    match bytes.get(at) {
        Some(b'"') => "string",
        Some(b'{') => "object",
        Some(b'[') => "array",
        Some(b't' | b'f') => "boolean",
        Some(b'n') => "null",
        Some(b'-' | b'0'..=b'9') => {
            let end = bytes[at..]
                .iter()
                .position(|b| !matches!(b, b'-' | b'+' | b'.' | b'e' | b'E' | b'0'..=b'9'))
                .map_or(bytes.len(), |n| at + n);
            if bytes[at..end]
                .iter()
                .any(|b| matches!(b, b'.' | b'e' | b'E'))
            {
                "floating-point number"
            } else {
                "integer"
            }
        }
        _ => "value",
    }
}

/// Names a byte that JSON text cannot hold outside a string, with its likely
/// cause (`""` for any other byte): a NUL is UTF-16 or binary data, a
/// byte-order mark starts with `EF`, `FE` or `FF`, and any other byte at or
/// above `0x80`, or a control character, is not text the grammar allows.
/// One byte decides it, so every driver words the error alike.
fn not_text(byte: Option<u8>) -> String {
    match byte {
        Some(0) => ", found a NUL byte (UTF-16 text or binary data?)".into(),
        Some(b @ (0xEF | 0xFE | 0xFF)) => {
            format!(", found byte 0x{b:02X} (a byte-order mark? JSON text is UTF-8 without one)")
        }
        Some(b) if b >= 0x80 || (b < 0x20 && !b.is_ascii_whitespace()) => {
            format!(", found byte 0x{b:02X} (not JSON text)")
        }
        _ => String::new(),
    }
}

/// The one-line message for a failure or problem.
fn message(
    code: Code,
    bytes: &[u8],
    at: usize,
    expected: &str,
    key: &str,
    limits: &Limits,
) -> String {
    let text: String = match code {
        Code::ExpectedValue => "expected a JSON value".into(),
        Code::ExpectedColon => "expected `:` after an object key".into(),
        Code::ExpectedCommaOrBrace => "expected `,` or `}` after an object member".into(),
        Code::ExpectedCommaOrBracket => "expected `,` or `]` after an array element".into(),
        Code::KeyMustBeString => "an object key must be a string".into(),
        Code::InvalidLiteral => "invalid literal (true, false or null expected)".into(),
        Code::InvalidNumber => "invalid number".into(),
        Code::InvalidEscape => "invalid escape in a string".into(),
        Code::ControlCharacter => "control character in a string (it must be escaped)".into(),
        Code::TrailingCharacters => "unexpected characters after the response object".into(),
        Code::Eof => "the input ended early (truncated?)".into(),
        Code::NotAnObject => format!("expected a response object, found {}", found(bytes, at)),
        Code::TooManyClips => format!(
            "more than {} clips (the decoder's max_clips limit)",
            limits.max_clips
        ),
        Code::TreeTooLarge => format!(
            "the decoded response outgrew {} bytes (the decoder's max_tree_bytes limit)",
            limits.max_tree_bytes
        ),
        Code::ValueTooLong => format!(
            "a value longer than {} bytes (the decoder's max_value_len limit)",
            limits.max_value_len
        ),
        Code::WrongType => format!("invalid type: {}, expected {expected}", found(bytes, at)),
        Code::OutOfRange => format!("number out of range, expected {expected}"),
        Code::InvalidUtf8 => "invalid UTF-8 in a string (read as U+FFFD)".into(),
        Code::LoneSurrogate => "lone UTF-16 surrogate in a string escape (read as U+FFFD)".into(),
        Code::TooDeep => format!("nested deeper than {} levels", limits.max_depth),
        Code::DuplicateKey => format!("the key {key:?} is sent twice (the first one is used)"),
    };
    match code {
        // Failures at a byte where the grammar wanted structure.
        Code::ExpectedValue
        | Code::ExpectedColon
        | Code::ExpectedCommaOrBrace
        | Code::ExpectedCommaOrBracket
        | Code::KeyMustBeString
        | Code::TrailingCharacters => text + &not_text(bytes.get(at).copied()),
        _ => text,
    }
}

/// The error for a failure at `fail.at` in `bytes`.
pub(crate) fn error(bytes: &[u8], fail: Fail, expected: &str, limits: &Limits) -> DecodeError {
    let path = paths(bytes, &[fail.at]).pop().unwrap_or_default();
    build(bytes, fail.code, fail.at, expected, path, limits)
}

/// The problems noted in a decode of `bytes`, located: paths walked from
/// the value at `value_at` (whose path is `prefix`; a problem before it, in
/// a member's key, is at `prefix`), positions in `bytes`.
pub(crate) fn problems(
    bytes: &[u8],
    noted: &[Noted],
    limits: &Limits,
    prefix: &str,
    value_at: usize,
) -> Vec<DecodeError> {
    let mut noted = noted.to_vec();
    noted.sort_by_key(|n| n.at);
    let inside: Vec<usize> = noted
        .iter()
        .filter(|n| n.at >= value_at)
        .map(|n| n.at - value_at)
        .collect();
    let mut paths = paths(&bytes[value_at.min(bytes.len())..], &inside).into_iter();
    noted
        .iter()
        .map(|n| {
            let path = match n.at >= value_at {
                true => crate::path::join(prefix, &paths.next().unwrap_or_default()),
                false => prefix.to_owned(),
            };
            build(bytes, n.code, n.at, n.expected, path, limits)
        })
        .collect()
}

/// The error or problem `code` at `at` in `bytes`, at `path`.
pub(crate) fn build(
    bytes: &[u8],
    code: Code,
    at: usize,
    expected: &str,
    path: String,
    limits: &Limits,
) -> DecodeError {
    let key = path_key(&path);
    let message = message(code, bytes, at, expected, &key, limits);
    DecodeError::new(kind(code), message, path, line_column(bytes, at), at as u64)
}

/// The last key of a path, for messages about a key.
fn path_key(path: &str) -> String {
    if let Some(quoted) = path.strip_suffix("\"]") {
        if let Some(start) = quoted.rfind("[\"") {
            let json = format!("\"{}\"", &quoted[start + 2..]);
            return serde_json::from_str(&json).unwrap_or_default();
        }
    }
    path.rsplit(['.', ']'])
        .next()
        .unwrap_or_default()
        .to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_name_the_innermost_value_at_each_offset() {
        let text = br#"{"a": [1, {"b": "x", "c\u0021": [true]}], "d": 2}"#;
        let at = |needle: &str| {
            text.windows(needle.len())
                .position(|w| w == needle.as_bytes())
                .expect("needle")
        };
        let offsets = [0, at("1"), at("\"x"), at("true"), at("2}")];
        assert_eq!(
            paths(text, &offsets),
            ["", "a[0]", "a[1].b", "a[1][\"c!\"][0]", "d"]
        );
        assert_eq!(paths(br#"{"a": [1, 2"#, &[11]), ["a[1]"]);
    }

    #[test]
    fn a_byte_json_text_cannot_hold_is_named() {
        let limits = Limits::default();
        let say = |bytes: &[u8], at| message(Code::ExpectedValue, bytes, at, "", "", &limits);
        assert_eq!(say(b"[1,]", 3), "expected a JSON value");
        assert!(say(b"\0\0", 0).ends_with("found a NUL byte (UTF-16 text or binary data?)"));
        assert!(say(b"\xEF\xBB\xBF{}", 0).contains("found byte 0xEF (a byte-order mark?"));
        assert!(say(b"\xFF\xFE{", 0).contains("found byte 0xFF (a byte-order mark?"));
        assert!(say(b"\x80", 0).ends_with("found byte 0x80 (not JSON text)"));
        assert!(say(b"\x07", 0).ends_with("found byte 0x07 (not JSON text)"));
        let utf16 = message(Code::KeyMustBeString, b"{\0\"\0", 1, "", "", &limits);
        assert_eq!(
            utf16,
            "an object key must be a string, found a NUL byte (UTF-16 text or binary data?)"
        );
    }

    #[test]
    fn lines_and_columns_count_from_one() {
        assert_eq!(line_column(b"ab\ncd", 0), (1, 1));
        assert_eq!(line_column(b"ab\ncd", 4), (2, 2));
        assert_eq!(path_key(r#"deviceMap["a.v0"]"#), "a.v0");
        assert_eq!(path_key("splicedClips[0].title"), "title");
    }
}
