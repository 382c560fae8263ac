//! The one scanner: JSON tokens over a byte slice, for every driver.
//!
//! A [`Lexer`] reads a slice that is either the whole input (the in-memory
//! decode) or a window over an `io::Read` (the reader decode and the clip
//! stream). It never assumes more bytes follow: a token cut by the end of
//! the slice is [`Code::Eof`], and a windowed driver answers that by reading
//! more and running the same decode again. So every driver decodes with the
//! same code and fails with the same errors.
//!
//! Failures are [`Fail`]: a [`Code`] and the byte offset where it happened,
//! 16 bytes, cheap to return. The JSON path, line and column are worked out
//! afterwards from the offset (see `decode::locate`), never on the way.

mod number;
mod skip;
mod string;
mod swar;

pub(crate) use number::in_f32_range;
pub(crate) use skip::Nesting;
pub(crate) use string::{StrToken, unescape};
pub(crate) use swar::{eq_short, special_byte};

/// What went wrong, without where.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Code {
    // Syntax: the bytes are not JSON. Fatal in every mode.
    /// A value was expected.
    ExpectedValue,
    /// `:` after an object key.
    ExpectedColon,
    /// `,` or `}` after an object member.
    ExpectedCommaOrBrace,
    /// `,` or `]` after an array element.
    ExpectedCommaOrBracket,
    /// An object key must be a string.
    KeyMustBeString,
    /// `true`, `false` or `null` misspelt.
    InvalidLiteral,
    /// A number against JSON's grammar.
    InvalidNumber,
    /// A `\` escape JSON does not have.
    InvalidEscape,
    /// A control character (below U+0020) inside a string.
    ControlCharacter,
    /// Something after the response object.
    TrailingCharacters,
    /// The input ended inside a value.
    Eof,
    /// The body is valid JSON but not an object.
    NotAnObject,
    // Limits: fatal, with the option that sets them.
    /// More clips than `max_clips`.
    TooManyClips,
    /// The decoded tree outgrew `max_tree_bytes`.
    TreeTooLarge,
    /// One value (a clip, an envelope field) longer than `max_value_len`.
    ValueTooLong,
    // Misfits: one value that does not fit where it is. Tolerated (kept raw,
    // reported) in tolerant mode, refused in strict mode.
    /// A value of another JSON type than the field's.
    WrongType,
    /// A number outside the field's range (or not an integer for an integer field).
    OutOfRange,
    /// Bytes that are not UTF-8 inside a string (kept with U+FFFD).
    InvalidUtf8,
    /// A `\u` escape of half a surrogate pair (kept as U+FFFD).
    LoneSurrogate,
    /// Nesting deeper than `max_depth` (the value is kept as it was sent).
    TooDeep,
    /// A key an object already had (the first one is the typed one).
    DuplicateKey,
}

impl Code {
    /// Whether tolerant mode keeps going past this (one value's problem).
    pub(crate) fn is_misfit(self) -> bool {
        matches!(
            self,
            Code::WrongType
                | Code::OutOfRange
                | Code::InvalidUtf8
                | Code::LoneSurrogate
                | Code::TooDeep
                | Code::DuplicateKey
        )
    }
}

/// A failure at a byte offset of the slice being read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Fail {
    pub(crate) code: Code,
    pub(crate) at: usize,
}

/// A cursor over JSON bytes.
pub(crate) struct Lexer<'i> {
    pub(crate) bytes: &'i [u8],
    /// The longest prefix of `bytes` known to be UTF-8: strings inside it
    /// are borrowed without another check.
    pub(crate) text: &'i str,
    pub(crate) pos: usize,
}

impl<'i> Lexer<'i> {
    /// A lexer at the start of `bytes` (checked for UTF-8 once, here).
    pub(crate) fn new(bytes: &'i [u8]) -> Self {
        let text = match simdutf8::compat::from_utf8(bytes) {
            Ok(text) => text,
            Err(e) => std::str::from_utf8(&bytes[..e.valid_up_to()]).unwrap_or_default(),
        };
        Lexer {
            bytes,
            text,
            pos: 0,
        }
    }

    /// A lexer over a window of a stream: nothing is known to be UTF-8
    /// beforehand, so each string is checked on its own.
    pub(crate) fn window(bytes: &'i [u8]) -> Self {
        Lexer {
            bytes,
            text: "",
            pos: 0,
        }
    }

    /// A failure at the cursor.
    #[cold]
    pub(crate) fn fail(&self, code: Code) -> Fail {
        Fail { code, at: self.pos }
    }

    /// Skips JSON whitespace; the next byte, not consumed.
    #[inline]
    pub(crate) fn peek(&mut self) -> Result<u8, Fail> {
        while let Some(&b) = self.bytes.get(self.pos) {
            // Every byte above the space is a token: one compare in the
            // common case of no whitespace.
            if b > b' ' || !matches!(b, b' ' | b'\n' | b'\r' | b'\t') {
                return Ok(b);
            }
            self.pos += 1;
        }
        Err(self.fail(Code::Eof))
    }

    /// Whether only whitespace is left.
    pub(crate) fn at_end(&mut self) -> bool {
        self.peek().is_err()
    }

    /// Consumes `{` (a misfit if another value starts here); `false` when
    /// `}` follows at once (consumed too).
    #[inline]
    pub(crate) fn begin_object(&mut self) -> Result<bool, Fail> {
        self.begin(b'{', b'}')
    }

    /// Consumes `[` (a misfit if another value starts here); `false` when
    /// `]` follows at once.
    #[inline]
    pub(crate) fn begin_array(&mut self) -> Result<bool, Fail> {
        self.begin(b'[', b']')
    }

    #[inline]
    fn begin(&mut self, open: u8, close: u8) -> Result<bool, Fail> {
        if self.peek()? != open {
            return Err(self.misfit());
        }
        self.pos += 1;
        if self.peek()? == close {
            self.pos += 1;
            return Ok(false);
        }
        Ok(true)
    }

    /// After an object member: `,` (`true`, a key follows) or `}` (`false`).
    #[inline]
    pub(crate) fn next_member(&mut self) -> Result<bool, Fail> {
        match self.peek()? {
            b',' => {
                self.pos += 1;
                Ok(true)
            }
            b'}' => {
                self.pos += 1;
                Ok(false)
            }
            _ => Err(self.fail(Code::ExpectedCommaOrBrace)),
        }
    }

    /// After an array element: `,` (`true`) or `]` (`false`).
    #[inline]
    pub(crate) fn next_element(&mut self) -> Result<bool, Fail> {
        match self.peek()? {
            b',' => {
                self.pos += 1;
                Ok(true)
            }
            b']' => {
                self.pos += 1;
                Ok(false)
            }
            _ => Err(self.fail(Code::ExpectedCommaOrBracket)),
        }
    }

    /// Consumes `:`.
    #[inline]
    pub(crate) fn colon(&mut self) -> Result<(), Fail> {
        if self.peek()? != b':' {
            return Err(self.fail(Code::ExpectedColon));
        }
        self.pos += 1;
        Ok(())
    }

    /// A wrong-type failure for the value at the cursor, or the syntax error
    /// if no JSON value starts here at all.
    #[cold]
    pub(crate) fn misfit(&mut self) -> Fail {
        match self.peek() {
            Ok(b'{' | b'[' | b'"' | b't' | b'f' | b'n' | b'-' | b'0'..=b'9') => {
                self.fail(Code::WrongType)
            }
            Ok(_) => self.fail(Code::ExpectedValue),
            Err(eof) => eof,
        }
    }

    /// Consumes `null` if it is next.
    #[inline]
    pub(crate) fn null(&mut self) -> Result<bool, Fail> {
        if self.peek()? != b'n' {
            return Ok(false);
        }
        self.literal(b"null").map(|()| true)
    }

    /// `true` or `false`.
    #[inline]
    pub(crate) fn bool(&mut self) -> Result<bool, Fail> {
        match self.peek()? {
            b't' => self.literal(b"true").map(|()| true),
            b'f' => self.literal(b"false").map(|()| false),
            _ => Err(self.misfit()),
        }
    }

    /// Consumes the literal `word` (its first byte already seen).
    #[inline]
    pub(crate) fn literal(&mut self, word: &[u8]) -> Result<(), Fail> {
        let rest = &self.bytes[self.pos..];
        if rest.starts_with(word) {
            self.pos += word.len();
            return Ok(());
        }
        // A word cut short by the end of the slice is a truncation.
        let n = rest.len().min(word.len());
        if rest.len() < word.len() && rest[..n] == word[..n] {
            return Err(Fail {
                code: Code::Eof,
                at: self.bytes.len(),
            });
        }
        Err(self.fail(Code::InvalidLiteral))
    }

    /// Consumes `member` (a key written as `"key":`) if the input continues
    /// with exactly those bytes.
    #[inline]
    pub(crate) fn member(&mut self, member: &[u8]) -> bool {
        let end = self.pos + member.len();
        match self.bytes.get(self.pos..end) {
            // The key has no quotes or escapes, so equal bytes up to and
            // including the colon mean this is that key.
            Some(bytes) if eq_short(bytes, member) => {
                self.pos = end;
                true
            }
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests;
