//! [`DecodeError`]: what failed, and where (JSON path, line, column, byte offset).

use std::fmt;

/// The class of a decode failure or tolerated problem.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum DecodeErrorKind {
    /// The bytes are not valid JSON.
    Syntax,
    /// The input ended early: a truncated body or file.
    Eof,
    /// Valid JSON that does not fit the model where it is: a wrong type, a
    /// number out of range, text that is not UTF-8, a key sent twice, a
    /// body that is not an object.
    Data,
    /// The input is larger than a limit allows (clips, tree size, one value).
    Limit,
    /// Reading the input failed.
    Io,
}

/// A response that could not be decoded, or (in a tolerant decode's
/// problems) one value that did not fit and was kept raw.
///
/// `Display` is one line: `invalid type: string, expected a 32-bit integer
/// at splicedClips[0].duration (line 1, column 42)`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DecodeError {
    message: String,
    path: String,
    line: usize,
    column: usize,
    offset: u64,
    kind: DecodeErrorKind,
}

impl DecodeError {
    /// An error at a known place.
    pub(crate) fn new(
        kind: DecodeErrorKind,
        message: String,
        path: String,
        (line, column): (usize, usize),
        offset: u64,
    ) -> Self {
        DecodeError {
            message,
            path,
            line,
            column,
            offset,
            kind,
        }
    }

    /// An error not tied to a JSON position (e.g. an I/O failure while reading).
    pub fn other(
        kind: DecodeErrorKind,
        message: impl Into<String>,
        path: impl Into<String>,
    ) -> Self {
        DecodeError::new(kind, message.into(), path.into(), (0, 0), 0)
    }

    /// The same error under `prefix` (a path), shifted by `offset` bytes
    /// and to after `newlines` lines and `column` bytes of the first.
    pub(crate) fn shifted(
        mut self,
        prefix: &str,
        (newlines, column): (usize, usize),
        offset: u64,
    ) -> Self {
        self.path = crate::path::join(prefix, &self.path);
        if self.line == 1 {
            self.column += column;
        }
        if self.line > 0 {
            self.line += newlines;
        }
        self.offset += offset;
        self
    }

    /// What went wrong, without the place.
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

    /// 1-based column of the failure, in bytes (0 when unknown).
    pub fn column(&self) -> usize {
        self.column
    }

    /// Byte offset of the failure in the whole input.
    pub fn offset(&self) -> u64 {
        self.offset
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
    /// `with`: a path can quote input (a map key), so this hides a secret
    /// the input may echo. The escaped forms `text` takes there (Rust's,
    /// JSON's) are replaced too.
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
