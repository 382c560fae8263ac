//! [`DecodeError`]: what failed, and where (JSON path, line, column).

use std::fmt;

/// Why a response could not be decoded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum DecodeErrorKind {
    /// The bytes are not valid JSON.
    Syntax,
    /// The input ended early: a truncated body or file.
    Eof,
    /// Valid JSON of the wrong shape: a wrong type, a number out of range
    /// (also beyond `f64`'s), a lone UTF-16 surrogate in a string.
    Data,
    /// Reading the input failed.
    Io,
}

/// A response that could not be decoded, with where it went wrong.
///
/// `Display` is one line: `invalid type: string "x", expected i32 at
/// splicedClips[0].duration (line 1, column 42)`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DecodeError {
    message: String,
    path: String,
    line: usize,
    column: usize,
    kind: DecodeErrorKind,
}

impl DecodeError {
    /// Builds an error from a serde_json error and the JSON path it happened at.
    pub(crate) fn from_json(err: &serde_json::Error, path: String) -> Self {
        let (line, column) = (err.line(), err.column());
        let full = err.to_string();
        let suffix = format!(" at line {line} column {column}");
        let message = full.strip_suffix(&suffix).unwrap_or(&full).to_owned();
        let kind = kind_of(err);
        DecodeError {
            message,
            path,
            line,
            column,
            kind,
        }
    }

    /// An error not tied to a JSON position (e.g. an I/O failure while streaming).
    pub fn other(
        kind: DecodeErrorKind,
        message: impl Into<String>,
        path: impl Into<String>,
    ) -> Self {
        DecodeError {
            message: message.into(),
            path: path.into(),
            line: 0,
            column: 0,
            kind,
        }
    }

    /// Moves the error under `prefix` and shifts its position by where the
    /// sub-document started in the whole input (`offset` bytes into `whole`).
    pub(crate) fn nested(self, prefix: &str, whole: &[u8], offset: usize) -> Self {
        let (newlines, column) = position_after((0, 0), &whole[..offset.min(whole.len())]);
        self.shifted(prefix, newlines, column)
    }

    /// Moves the error under `prefix` and shifts its position by where the
    /// sub-document started: after `newlines` newlines of the whole input,
    /// `column` bytes into its line.
    pub(crate) fn shifted(mut self, prefix: &str, newlines: usize, column: usize) -> Self {
        self.path = crate::path::join(prefix, &self.path);
        if self.line == 1 {
            self.column += column;
        }
        if self.line > 0 {
            self.line += newlines;
        }
        self
    }

    /// An error at a known position (1-based line; column as serde_json counts it).
    pub(crate) fn at(kind: DecodeErrorKind, message: &str, line: usize, column: usize) -> Self {
        DecodeError {
            message: message.to_owned(),
            path: String::new(),
            line,
            column,
            kind,
        }
    }

    /// What went wrong, without the position.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// JSON path of the failing value (`""` for the document itself).
    pub fn path(&self) -> &str {
        &self.path
    }

    /// 1-based line of the failure (0 when unknown).
    pub fn line(&self) -> usize {
        self.line
    }

    /// 1-based column of the failure (0 when unknown).
    pub fn column(&self) -> usize {
        self.column
    }

    /// The class of failure.
    pub fn kind(&self) -> DecodeErrorKind {
        self.kind
    }

    /// Whether the input ended early (a truncated body).
    pub fn is_eof(&self) -> bool {
        self.kind == DecodeErrorKind::Eof
    }

    /// The same error with every `text` in its message and path replaced by
    /// `with`: the message quotes input (a value of the wrong type, a map
    /// key in the path), so this hides a secret the input may echo. The
    /// escaped forms `text` takes there (Rust's in a quoted value, JSON's in
    /// a path) are replaced too.
    pub fn replace_text(mut self, text: &str, with: &str) -> Self {
        if text.is_empty() {
            return self;
        }
        let json = serde_json::to_string(text).unwrap_or_default();
        let forms = [
            text.to_owned(),
            text.escape_debug().to_string(),
            json.get(1..json.len().saturating_sub(1))
                .unwrap_or_default()
                .to_owned(),
        ];
        for field in [&mut self.message, &mut self.path] {
            for form in forms.iter().filter(|f| !f.is_empty()) {
                if field.contains(form.as_str()) {
                    *field = field.replace(form.as_str(), with);
                }
            }
        }
        self
    }
}

/// The kind of a serde_json error.
pub(crate) fn kind_of(err: &serde_json::Error) -> DecodeErrorKind {
    match err.classify() {
        // serde_json files these under syntax, but the JSON is valid: it is a
        // value no Rust type here can hold (the text stays readable as raw
        // JSON), so it fails only its own clip.
        serde_json::error::Category::Syntax => {
            let message = err.to_string();
            if UNREPRESENTABLE.iter().any(|m| message.starts_with(m)) {
                DecodeErrorKind::Data
            } else {
                DecodeErrorKind::Syntax
            }
        }
        serde_json::error::Category::Eof => DecodeErrorKind::Eof,
        serde_json::error::Category::Data => DecodeErrorKind::Data,
        serde_json::error::Category::Io => DecodeErrorKind::Io,
    }
}

/// serde_json's messages for valid JSON it cannot turn into a value: a
/// number beyond `f64`'s range, a lone UTF-16 surrogate escape.
const UNREPRESENTABLE: [&str; 3] = [
    "number out of range",
    "lone leading surrogate in hex escape",
    "unexpected end of hex escape",
];

/// The position `(newlines, column)` just after `bytes`, which start at
/// `from` (newlines before them, bytes into their first line).
pub(crate) fn position_after(from: (usize, usize), bytes: &[u8]) -> (usize, usize) {
    let (newlines, column) = from;
    match memchr::memrchr(b'\n', bytes) {
        None => (newlines, column + bytes.len()),
        Some(last) => (
            newlines + memchr::memchr_iter(b'\n', bytes).count(),
            bytes.len() - last - 1,
        ),
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)?;
        if !self.path.is_empty() {
            write!(f, " at {}", self.path)?;
        }
        if self.line > 0 {
            write!(f, " (line {}, column {})", self.line, self.column)?;
        }
        Ok(())
    }
}

impl std::error::Error for DecodeError {}

#[cfg(test)]
mod tests {
    #[test]
    fn replaced_text_leaves_neither_message_nor_path_but_keeps_the_position() {
        let body = br#"{"splicedClips": [{"deviceMap": {"KEY-1": {"region": 5}}, "title": 7}],
            "errorMsg": 1, "x": "KEY-1"}"#;
        let err = crate::decode(br#"{"splicedClips": [{"duration": "KEY-1"}]}"#).unwrap_err();
        assert!(err.to_string().contains("KEY-1"), "{err}");
        let hidden = err.clone().replace_text("KEY-1", "<redacted>");
        assert!(!hidden.to_string().contains("KEY-1"), "{hidden}");
        assert!(hidden.message().contains("<redacted>"));
        assert_eq!(
            (hidden.line(), hidden.column(), hidden.kind()),
            (err.line(), err.column(), err.kind())
        );

        let err = crate::decode(body).unwrap_err();
        assert!(err.path().contains("KEY-1"), "{}", err.path());
        let hidden = err.replace_text("KEY-1", "<redacted>");
        assert!(!hidden.path().contains("KEY-1") && hidden.path().contains("<redacted>"));
        assert_eq!(
            hidden.clone().replace_text("", "x"),
            hidden,
            "empty text: unchanged"
        );
    }

    #[test]
    fn replaced_text_is_found_in_its_escaped_forms() {
        for secret in [
            "sk\"KEY",
            "back\\KEY",
            "new\nKEY",
            "del\u{7f}KEY",
            "zw\u{200b}KEY",
        ] {
            let value = serde_json::to_string(secret).unwrap();
            let bodies = [
                format!(r#"{{"splicedClips": [{{"duration": {value}}}]}}"#),
                format!(r#"{{"splicedClips": [{{"deviceMap": {{{value}: 1}}}}]}}"#),
            ];
            for body in bodies {
                let err = crate::decode(body.as_bytes()).unwrap_err();
                let hidden = err.replace_text(secret, "<redacted>").to_string();
                assert!(hidden.contains("<redacted>"), "{secret:?}: {hidden}");
                assert!(!hidden.contains("KEY"), "{secret:?}: {hidden}");
            }
        }
    }
}
