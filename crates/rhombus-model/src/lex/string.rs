//! Strings: finding their end, borrowing them whole when they can be, and
//! unescaping (with invalid UTF-8 and lone surrogates made U+FFFD) when not.

use super::{Code, Fail, Lexer, special_byte};

/// A string token's text, as found.
pub(crate) enum StrToken<'i> {
    /// No escapes and valid UTF-8: the text itself.
    Text(&'i str),
    /// The bytes between the quotes, with escapes or not UTF-8:
    /// [`unescape`] makes the text.
    Raw { body: &'i [u8] },
}

impl<'i> Lexer<'i> {
    /// The string at the cursor (a misfit if another value starts here).
    #[inline]
    pub(crate) fn string(&mut self) -> Result<StrToken<'i>, Fail> {
        if self.peek()? != b'"' {
            return Err(self.misfit());
        }
        self.string_at_quote()
    }

    /// An object key: a string, or the syntax error `KeyMustBeString`.
    #[inline]
    pub(crate) fn key_string(&mut self) -> Result<StrToken<'i>, Fail> {
        if self.peek()? != b'"' {
            return Err(self.fail(Code::KeyMustBeString));
        }
        self.string_at_quote()
    }

    /// The string whose opening quote is at the cursor.
    #[inline]
    fn string_at_quote(&mut self) -> Result<StrToken<'i>, Fail> {
        let start = self.pos + 1;
        let (hit, high) = special_byte(&self.bytes[start..]);
        let end = match hit {
            Some(i) => start + i,
            None => return Err(self.eof()),
        };
        match self.bytes[end] {
            b'"' => {
                self.pos = end + 1;
                Ok(self.text(start, end, high))
            }
            _ => self.string_rest(start, end),
        }
    }

    /// The text of `bytes[start..end]`, a string body without escapes.
    #[inline]
    fn text(&self, start: usize, end: usize, high: bool) -> StrToken<'i> {
        if end <= self.text.len() {
            // Inside the prefix already checked to be UTF-8, and quotes are
            // ASCII, so both ends are character boundaries.
            if let Some(text) = self.text.get(start..end) {
                return StrToken::Text(text);
            }
        }
        let body = &self.bytes[start..end];
        let checked = if high {
            simdutf8::basic::from_utf8(body).ok()
        } else {
            // ASCII, so UTF-8: std's check is quick on short ASCII runs.
            std::str::from_utf8(body).ok()
        };
        if let Some(text) = checked {
            return StrToken::Text(text);
        }
        StrToken::Raw { body }
    }

    /// A string with an escape or control character at `at`: checks the
    /// escapes up to the closing quote.
    #[cold]
    fn string_rest(&mut self, start: usize, mut at: usize) -> Result<StrToken<'i>, Fail> {
        loop {
            match self.bytes[at] {
                b'"' => {
                    self.pos = at + 1;
                    return Ok(StrToken::Raw {
                        body: &self.bytes[start..at],
                    });
                }
                b'\\' => at = self.escape(at)?,
                _ => {
                    self.pos = at;
                    return Err(self.fail(Code::ControlCharacter));
                }
            }
            match special_byte(&self.bytes[at..]).0 {
                Some(i) => at += i,
                None => return Err(self.eof()),
            }
        }
    }

    /// Checks the escape whose `\` is at `at`; the offset after it.
    #[inline]
    fn escape(&mut self, at: usize) -> Result<usize, Fail> {
        let bad = |at| Fail {
            code: Code::InvalidEscape,
            at,
        };
        match self.bytes.get(at + 1) {
            None => Err(self.eof()),
            Some(b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't') => Ok(at + 2),
            Some(b'u') => {
                for i in at + 2..at + 6 {
                    match self.bytes.get(i) {
                        None => return Err(self.eof()),
                        Some(b) if b.is_ascii_hexdigit() => {}
                        Some(_) => return Err(bad(i)),
                    }
                }
                Ok(at + 6)
            }
            Some(_) => Err(bad(at + 1)),
        }
    }

    /// The input ends inside a token.
    #[cold]
    pub(crate) fn eof(&self) -> Fail {
        Fail {
            code: Code::Eof,
            at: self.bytes.len(),
        }
    }
}

/// Appends the text of a string body (escapes checked by the lexer) to
/// `out`; the problem, if any part had to become U+FFFD: bytes that are
/// not UTF-8 ([`Code::InvalidUtf8`]) or half a surrogate pair
/// ([`Code::LoneSurrogate`]).
pub(crate) fn unescape(body: &[u8], out: &mut impl Extend<char>) -> Option<Code> {
    let mut problem = None;
    let mut rest = body;
    while !rest.is_empty() {
        let plain = rest.iter().position(|&b| b == b'\\').unwrap_or(rest.len());
        let (run, after) = rest.split_at(plain);
        for chunk in run.utf8_chunks() {
            out.extend(chunk.valid().chars());
            if !chunk.invalid().is_empty() {
                out.extend(Some(char::REPLACEMENT_CHARACTER));
                problem = problem.or(Some(Code::InvalidUtf8));
            }
        }
        if after.is_empty() {
            break;
        }
        let (c, used) = escaped_char(after);
        match c {
            Some(c) => out.extend(Some(c)),
            None => {
                out.extend(Some(char::REPLACEMENT_CHARACTER));
                problem = problem.or(Some(Code::LoneSurrogate));
            }
        }
        rest = &after[used..];
    }
    problem
}

/// The character of the (valid) escape at the start of `s` and the bytes it
/// takes; `None` for a lone surrogate.
fn escaped_char(s: &[u8]) -> (Option<char>, usize) {
    let c = match s[1] {
        b'b' => '\u{8}',
        b'f' => '\u{c}',
        b'n' => '\n',
        b'r' => '\r',
        b't' => '\t',
        b'u' => return unicode_escape(s),
        other => char::from(other),
    };
    (Some(c), 2)
}

fn unicode_escape(s: &[u8]) -> (Option<char>, usize) {
    let unit = hex4(&s[2..6]);
    match unit {
        0xD800..=0xDBFF => {
            let low = (s.len() >= 12 && s[6] == b'\\' && s[7] == b'u')
                .then(|| hex4(&s[8..12]))
                .filter(|low| (0xDC00..=0xDFFF).contains(low));
            match low {
                Some(low) => {
                    let c = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00);
                    (char::from_u32(c), 12)
                }
                None => (None, 6),
            }
        }
        0xDC00..=0xDFFF => (None, 6),
        _ => (char::from_u32(unit), 6),
    }
}

fn hex4(h: &[u8]) -> u32 {
    h.iter().fold(0, |acc, &b| {
        // The lexer checked these are hex digits.
        acc * 16 + char::from(b).to_digit(16).unwrap_or(0)
    })
}
