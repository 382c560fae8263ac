//! Numbers: integers read in place, other numbers checked against JSON's
//! grammar and kept as text.

use super::{Code, Fail, Lexer};

/// An integer type a field can have.
pub(crate) trait Int: Sized + TryFrom<i64> {}
impl Int for i32 {}
impl Int for i64 {}

impl<'i> Lexer<'i> {
    /// An integer (a misfit for a non-number, `OutOfRange` for a fraction,
    /// an exponent or a value beyond `T`).
    #[inline]
    pub(crate) fn int<T: Int>(&mut self) -> Result<T, Fail> {
        let first = self.peek()?;
        let start = self.pos;
        let negative = first == b'-';
        let digits_start = start + usize::from(negative);
        let mut i = digits_start;
        let mut value: i64 = 0;
        while let Some(&b) = self.bytes.get(i) {
            if !b.is_ascii_digit() {
                break;
            }
            value = value.wrapping_mul(10).wrapping_add(i64::from(b - b'0'));
            i += 1;
        }
        let n = i - digits_start;
        let plain = n > 0
            && n <= 18
            && (n == 1 || self.bytes[digits_start] != b'0')
            && !matches!(self.bytes.get(i), Some(b'.' | b'e' | b'E') | None);
        if plain {
            if let Ok(v) = T::try_from(if negative { -value } else { value }) {
                self.pos = i;
                return Ok(v);
            }
        }
        self.int_slow(start)
    }

    /// A number the quick path leaves (19 digits or more, a fraction or an
    /// exponent, a value beyond `T`), or a misfit or syntax error: the
    /// integer if it is one within `T`, else `WrongType` for a fraction or
    /// exponent and `OutOfRange` for an integer that does not fit (the
    /// cursor then stays at `start`).
    #[cold]
    fn int_slow<T: Int>(&mut self, start: usize) -> Result<T, Fail> {
        if !matches!(self.bytes[start], b'-' | b'0'..=b'9') {
            return Err(self.misfit());
        }
        let (text, _) = self.number()?;
        if text.bytes().any(|b| matches!(b, b'.' | b'e' | b'E')) {
            self.pos = start;
            return Err(self.fail(Code::WrongType));
        }
        match text.parse::<i64>().ok().and_then(|v| T::try_from(v).ok()) {
            Some(v) => Ok(v),
            None => {
                self.pos = start;
                Err(self.fail(Code::OutOfRange))
            }
        }
    }

    /// A JSON number at the cursor, checked against the grammar
    /// (`-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`); its text and
    /// whether it has an exponent. A number must be followed by something
    /// (the response is an object), so one ending the slice is cut short.
    #[inline]
    pub(crate) fn number(&mut self) -> Result<(&'i str, bool), Fail> {
        self.peek()?;
        let bytes = self.bytes;
        let start = self.pos;
        let mut i = start;
        let digits = |mut i: usize| {
            while bytes.get(i).is_some_and(u8::is_ascii_digit) {
                i += 1;
            }
            i
        };
        let bad = |at: usize| {
            if at >= bytes.len() {
                Fail {
                    code: Code::Eof,
                    at: bytes.len(),
                }
            } else {
                Fail {
                    code: Code::InvalidNumber,
                    at,
                }
            }
        };
        if bytes.get(i) == Some(&b'-') {
            i += 1;
        }
        match bytes.get(i) {
            Some(b'0') => i += 1,
            Some(b'1'..=b'9') => i = digits(i + 1),
            _ => return Err(bad(i)),
        }
        if bytes.get(i) == Some(&b'.') {
            let end = digits(i + 1);
            if end == i + 1 {
                return Err(bad(end));
            }
            i = end;
        }
        let has_exponent = matches!(bytes.get(i), Some(b'e' | b'E'));
        if has_exponent {
            i += 1;
            if matches!(bytes.get(i), Some(b'+' | b'-')) {
                i += 1;
            }
            let end = digits(i);
            if end == i {
                return Err(bad(end));
            }
            i = end;
        }
        if i >= bytes.len() {
            return Err(bad(i));
        }
        self.pos = i;
        // Digits, signs, dots and exponents are ASCII: in the prefix known
        // to be UTF-8 a slice of it, else a (short) check.
        let text = match self.text.get(start..i) {
            Some(text) => text,
            None => std::str::from_utf8(&bytes[start..i]).map_err(|_| bad(start))?,
        };
        Ok((text, has_exponent))
    }
}

/// Whether JSON number text is within `f32`'s range. The spec's width is a
/// 32-bit float: a number beyond it does not fit, never a silent infinity.
/// A number with `d` integer digits and exponent `e` is below `10^(d + e)`,
/// so `d + e <= 38` (below f32::MAX, about 3.4e38) needs no parse; only
/// the rest is parsed.
pub(crate) fn in_f32_range(text: &str, has_exponent: bool) -> bool {
    if !has_exponent && text.len() <= 38 {
        return true;
    }
    let bytes = text.as_bytes();
    let sign = usize::from(bytes.first() == Some(&b'-'));
    let digits = bytes[sign..]
        .iter()
        .take_while(|b| b.is_ascii_digit())
        .count();
    let exponent = match bytes.iter().position(|&b| b == b'e' || b == b'E') {
        Some(at) => text[at + 1..].parse::<i64>().ok(),
        None => Some(0),
    };
    let surely_small = exponent.is_some_and(|e| e.saturating_add(digits as i64) <= 38);
    surely_small || text.parse::<f32>().is_ok_and(f32::is_finite)
}
