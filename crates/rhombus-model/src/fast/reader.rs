//! [`Reader`]: a cursor over valid UTF-8 with the few JSON primitives the
//! fast path needs, and the hand-over to serde_json for the rest.

use serde::Deserialize;

use crate::text::Str;

/// The fast path declines: the serde path decides this input.
#[derive(Debug)]
pub(crate) struct Bail;

/// A position in the input text.
pub(crate) struct Reader<'a> {
    text: &'a str,
    pos: usize,
    /// Length of the last list of two or more items (a capacity guess).
    length_hint: usize,
    /// Capacity for the next list begun, when the caller knows better than
    /// `length_hint` (see [`Reader::plan_next_list`]); 0 when not.
    planned: usize,
}

/// An object key: raw bytes when it had no escapes, else unescaped text.
pub(crate) enum Key<'a> {
    Plain(&'a str),
    Unescaped(Str<'a>),
}

impl<'a> Key<'a> {
    /// The key as a model string (for unknown fields and map keys).
    #[inline]
    pub(crate) fn into_str(self) -> Str<'a> {
        match self {
            Key::Plain(k) => Str::borrowed(k),
            Key::Unescaped(k) => k,
        }
    }
}

impl<'a> Reader<'a> {
    pub(crate) fn new(text: &'a str) -> Self {
        Reader {
            text,
            pos: 0,
            length_hint: 4,
            planned: 0,
        }
    }

    /// Bytes read so far.
    pub(crate) fn position(&self) -> usize {
        self.pos
    }

    /// A capacity guess for the next list of two or more items.
    #[inline]
    pub(crate) fn length_hint(&self) -> usize {
        self.length_hint
    }

    /// Sets the capacity for the next arena list begun, the lists inside
    /// its first item not counted: the arena decode's estimate of the
    /// number of clips (see `arena::decode::arena_list`).
    pub(crate) fn plan_next_list(&mut self, capacity: usize) {
        self.planned = capacity;
    }

    /// The capacity [`Reader::plan_next_list`] set, once (0 if none).
    #[inline]
    pub(crate) fn take_planned(&mut self) -> usize {
        std::mem::take(&mut self.planned)
    }

    /// Records a decoded list's length for [`Reader::length_hint`].
    #[inline]
    pub(crate) fn saw_length(&mut self, len: usize) {
        if len >= 2 {
            self.length_hint = len;
        }
    }

    #[inline]
    fn bytes(&self) -> &'a [u8] {
        self.text.as_bytes()
    }

    /// Skips JSON whitespace; returns the next byte (not consumed).
    #[inline]
    pub(crate) fn peek(&mut self) -> Result<u8, Bail> {
        let bytes = self.bytes();
        while let Some(&b) = bytes.get(self.pos) {
            // Every byte above the space is a token: one compare in the
            // common case of no whitespace.
            if b > b' ' || !matches!(b, b' ' | b'\n' | b'\r' | b'\t') {
                return Ok(b);
            }
            self.pos += 1;
        }
        Err(Bail)
    }

    /// Whether only whitespace is left.
    pub(crate) fn at_end(&mut self) -> bool {
        self.peek().is_err()
    }

    /// Consumes `{`; `false` when the object is empty (`}` consumed too).
    #[inline]
    pub(crate) fn begin_object(&mut self) -> Result<bool, Bail> {
        self.begin(b'{', b'}')
    }

    /// After a member: consumes `,` (`true`, another follows) or `}` (`false`).
    #[inline]
    pub(crate) fn next_member(&mut self) -> Result<bool, Bail> {
        self.next_item(b'}')
    }

    /// Consumes `[`; `false` when the array is empty (`]` consumed too).
    #[inline]
    pub(crate) fn begin_array(&mut self) -> Result<bool, Bail> {
        self.begin(b'[', b']')
    }

    /// After an element: consumes `,` (`true`) or `]` (`false`).
    #[inline]
    pub(crate) fn next_element(&mut self) -> Result<bool, Bail> {
        self.next_item(b']')
    }

    /// Consumes `open`; `false` when `close` follows at once (consumed too).
    #[inline]
    fn begin(&mut self, open: u8, close: u8) -> Result<bool, Bail> {
        if self.peek()? != open {
            return Err(Bail);
        }
        self.pos += 1;
        if self.peek()? == close {
            self.pos += 1;
            return Ok(false);
        }
        Ok(true)
    }

    /// After an item: consumes `,` (`true`) or `close` (`false`).
    #[inline]
    fn next_item(&mut self, close: u8) -> Result<bool, Bail> {
        let b = self.peek()?;
        self.pos += 1;
        match b {
            b',' => Ok(true),
            _ if b == close => Ok(false),
            _ => Err(Bail),
        }
    }

    /// Consumes `null` if it is next.
    #[inline]
    pub(crate) fn null(&mut self) -> Result<bool, Bail> {
        if self.peek()? != b'n' {
            return Ok(false);
        }
        if self.bytes().get(self.pos..self.pos + 4) == Some(b"null") {
            self.pos += 4;
            return Ok(true);
        }
        Err(Bail)
    }

    /// A `true` or `false` literal.
    #[inline]
    pub(crate) fn bool(&mut self) -> Result<bool, Bail> {
        let first = self.peek()?;
        let rest = &self.bytes()[self.pos..];
        if first == b't' && rest.starts_with(b"true") {
            self.pos += 4;
            Ok(true)
        } else if first == b'f' && rest.starts_with(b"false") {
            self.pos += 5;
            Ok(false)
        } else {
            Err(Bail)
        }
    }

    /// The text of a string without escapes, borrowed; anything else (escapes)
    /// is unescaped by serde_json.
    #[inline]
    pub(crate) fn str(&mut self) -> Result<Str<'a>, Bail> {
        match self.plain_str()? {
            Some(s) => Ok(Str::borrowed(s)),
            None => self.delegate(),
        }
    }

    /// A string at the cursor: `Some` (consumed) when it has no escapes or
    /// control characters, `None` (not consumed) otherwise.
    #[inline]
    fn plain_str(&mut self) -> Result<Option<&'a str>, Bail> {
        if self.peek()? != b'"' {
            return Err(Bail);
        }
        let bytes = self.bytes();
        let start = self.pos + 1;
        let i = start + special_byte(bytes.get(start..).ok_or(Bail)?).ok_or(Bail)?;
        if bytes[i] != b'"' {
            return Ok(None);
        }
        self.pos = i + 1;
        // Quotes are ASCII, so both ends are char boundaries.
        self.text.get(start..i).map(Some).ok_or(Bail)
    }

    /// Consumes `member` (a key written as `"key":`) if the input continues
    /// with exactly those bytes.
    #[inline]
    pub(crate) fn member(&mut self, member: &[u8]) -> bool {
        let end = self.pos + member.len();
        match self.bytes().get(self.pos..end) {
            // The key has no quotes or escapes, so equal bytes up to and
            // including the colon mean this is that key.
            Some(bytes) if eq_short(bytes, member) => {
                self.pos = end;
                true
            }
            _ => false,
        }
    }

    /// An object key and the `:` after it: `Ok(index)` when it is one of
    /// `keys`, else the key.
    #[inline(never)]
    pub(crate) fn key_in(&mut self, keys: &[&[u8]]) -> Result<Result<usize, Key<'a>>, Bail> {
        let key = self.key()?;
        let text = match &key {
            Key::Plain(k) => k.as_bytes(),
            Key::Unescaped(k) => k.as_bytes(),
        };
        Ok(keys.iter().position(|k| eq_short(k, text)).ok_or(key))
    }

    /// An object key and the `:` after it.
    #[inline]
    pub(crate) fn key(&mut self) -> Result<Key<'a>, Bail> {
        let key = self.key_text()?;
        self.colon()?;
        Ok(key)
    }

    #[inline]
    fn key_text(&mut self) -> Result<Key<'a>, Bail> {
        Ok(match self.plain_str()? {
            Some(k) => Key::Plain(k),
            None => Key::Unescaped(self.delegate()?),
        })
    }

    #[inline]
    fn colon(&mut self) -> Result<(), Bail> {
        if self.peek()? != b':' {
            return Err(Bail);
        }
        self.pos += 1;
        Ok(())
    }

    /// An integer written plainly (`-?(0|[1-9][0-9]*)`, at most 18 digits);
    /// other numbers go to serde_json (as `T`, which then range-checks).
    #[inline]
    pub(crate) fn int<T>(&mut self) -> Result<T, Bail>
    where
        T: TryFrom<i64> + Deserialize<'a>,
    {
        let first = self.peek()?;
        let bytes = self.bytes();
        let negative = first == b'-';
        let digits_start = self.pos + usize::from(negative);
        let mut i = digits_start;
        let mut value: i64 = 0;
        while let Some(&b) = bytes.get(i) {
            if !b.is_ascii_digit() {
                break;
            }
            value = value.wrapping_mul(10).wrapping_add(i64::from(b - b'0'));
            i += 1;
        }
        let n = i - digits_start;
        // `-0` is a float to serde_json (`-0.0`), so it goes there too.
        let plain = n > 0
            && n <= 18
            && !(negative && value == 0)
            && (n == 1 || bytes[digits_start] != b'0')
            && !matches!(bytes.get(i), Some(b'.' | b'e' | b'E'));
        if plain {
            if let Ok(v) = T::try_from(if negative { -value } else { value }) {
                self.pos = i;
                return Ok(v);
            }
        }
        self.delegate()
    }

    /// A JSON number at the cursor, checked against the grammar
    /// (`-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`); returns its text
    /// and whether it has an exponent part.
    #[inline]
    pub(crate) fn number(&mut self) -> Result<(&'a str, bool), Bail> {
        self.peek()?;
        let bytes = self.bytes();
        let start = self.pos;
        let mut i = start;
        let digits = |mut i: usize| {
            while bytes.get(i).is_some_and(u8::is_ascii_digit) {
                i += 1;
            }
            i
        };
        if bytes.get(i) == Some(&b'-') {
            i += 1;
        }
        match bytes.get(i) {
            Some(b'0') => i += 1,
            Some(b'1'..=b'9') => i = digits(i + 1),
            _ => return Err(Bail),
        }
        if bytes.get(i) == Some(&b'.') {
            let end = digits(i + 1);
            if end == i + 1 {
                return Err(Bail);
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
                return Err(Bail);
            }
            i = end;
        }
        self.pos = i;
        let text = self.text.get(start..i).ok_or(Bail)?;
        Ok((text, has_exponent))
    }

    /// The JSON value at the cursor as its text, validated at least as
    /// strictly as serde_json does when it captures a raw value (nesting is
    /// capped at 100 levels; deeper values go to the serde path).
    pub(crate) fn raw(&mut self) -> Result<&'a str, Bail> {
        self.peek()?;
        let start = self.pos;
        // One bit per open container: 1 for an object, 0 for an array.
        let mut stack: u128 = 0;
        let mut depth = 0u32;
        loop {
            // A value is expected here.
            match self.peek()? {
                open @ (b'{' | b'[') => {
                    self.pos += 1;
                    let close = if open == b'{' { b'}' } else { b']' };
                    if self.peek()? == close {
                        self.pos += 1;
                    } else {
                        depth += 1;
                        if depth > 100 {
                            return Err(Bail);
                        }
                        stack = (stack << 1) | u128::from(open == b'{');
                        if open == b'{' {
                            self.string_token()?;
                            self.colon()?;
                        }
                        continue;
                    }
                }
                b'"' => self.string_token()?,
                b'-' | b'0'..=b'9' => {
                    self.number()?;
                }
                b't' => self.literal(b"true")?,
                b'f' => self.literal(b"false")?,
                b'n' => self.literal(b"null")?,
                _ => return Err(Bail),
            }
            // After a value: close containers, or a separator and the next value.
            loop {
                if depth == 0 {
                    return self.text.get(start..self.pos).ok_or(Bail);
                }
                let object = stack & 1 == 1;
                match (self.peek()?, object) {
                    (b',', _) => {
                        self.pos += 1;
                        if object {
                            self.string_token()?;
                            self.colon()?;
                        }
                        break;
                    }
                    (b'}', true) | (b']', false) => {
                        self.pos += 1;
                        stack >>= 1;
                        depth -= 1;
                    }
                    _ => return Err(Bail),
                }
            }
        }
    }

    fn literal(&mut self, word: &[u8]) -> Result<(), Bail> {
        if self.bytes()[self.pos..].starts_with(word) {
            self.pos += word.len();
            Ok(())
        } else {
            Err(Bail)
        }
    }

    /// Skips a string, checking its escapes as serde_json does for a raw
    /// value (`\u` needs four hex digits; surrogates are not paired there).
    fn string_token(&mut self) -> Result<(), Bail> {
        if self.peek()? != b'"' {
            return Err(Bail);
        }
        let bytes = self.bytes();
        let mut i = self.pos + 1;
        loop {
            i += special_byte(bytes.get(i..).ok_or(Bail)?).ok_or(Bail)?;
            match bytes[i] {
                b'"' => {
                    self.pos = i + 1;
                    return Ok(());
                }
                b'\\' => match bytes.get(i + 1) {
                    Some(b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't') => i += 2,
                    Some(b'u') => {
                        let hex = bytes.get(i + 2..i + 6).ok_or(Bail)?;
                        if !hex.iter().all(u8::is_ascii_hexdigit) {
                            return Err(Bail);
                        }
                        i += 6;
                    }
                    _ => return Err(Bail),
                },
                _ => return Err(Bail),
            }
        }
    }

    /// Decodes the value at the cursor with serde_json (the same code the
    /// serde path runs) and moves past it.
    #[inline(never)]
    pub(crate) fn delegate<T: Deserialize<'a>>(&mut self) -> Result<T, Bail> {
        let rest = self.text.get(self.pos..).ok_or(Bail)?;
        let mut values = serde_json::Deserializer::from_str(rest).into_iter::<T>();
        match values.next() {
            Some(Ok(v)) => {
                self.pos += values.byte_offset();
                Ok(v)
            }
            _ => Err(Bail),
        }
    }
}

const ONES: u64 = 0x0101_0101_0101_0101;

/// The high bit of every byte of `x` that is zero, and maybe of bytes above
/// the first one (a borrow runs upward): exact for the lowest flagged byte.
#[inline]
fn zero_bytes(x: u64) -> u64 {
    x.wrapping_sub(ONES) & !x & (ONES * 0x80)
}

/// Index of the first byte of `bytes` that `hit` accepts, eight at a time:
/// `hits` flags (high bit set) the accepted bytes of a little-endian word,
/// exactly for the lowest one. Cheaper than a SIMD search when hits are a
/// few bytes apart, as quotes and brackets are in JSON.
#[inline]
fn first_byte(bytes: &[u8], hits: impl Fn(u64) -> u64, hit: impl Fn(u8) -> bool) -> Option<usize> {
    let mut offset = 0;
    while offset + 8 <= bytes.len() {
        let flags = hits(load8(bytes, offset));
        if flags != 0 {
            return Some(offset + (flags.trailing_zeros() / 8) as usize);
        }
        offset += 8;
    }
    bytes[offset..]
        .iter()
        .position(|&b| hit(b))
        .map(|i| offset + i)
}

/// Index of the first `"`, `\\` or control character in `bytes`: the bytes
/// a JSON string must escape.
#[inline]
pub(crate) fn special_byte(bytes: &[u8]) -> Option<usize> {
    first_byte(
        bytes,
        // Bytes below 0x20 set their high bit when 0x20 is taken away.
        |x| {
            zero_bytes(x ^ (ONES * u64::from(b'"')))
                | zero_bytes(x ^ (ONES * u64::from(b'\\')))
                | (x.wrapping_sub(ONES * 0x20) & !x & (ONES * 0x80))
        },
        |b| b == b'"' || b == b'\\' || b < 0x20,
    )
}

/// Index of the first byte of `bytes` that is one of `set`.
#[inline]
pub(crate) fn find_any<const N: usize>(bytes: &[u8], set: [u8; N]) -> Option<usize> {
    first_byte(
        bytes,
        |x| {
            set.iter()
                .fold(0, |hits, &c| hits | zero_bytes(x ^ (ONES * u64::from(c))))
        },
        |x| set.contains(&x),
    )
}

/// Equality of short byte strings (keys), eight bytes at a time (the last
/// word overlapping the one before it; no copies through memory).
#[inline]
fn eq_short(a: &[u8], b: &[u8]) -> bool {
    let n = a.len();
    if n != b.len() {
        return false;
    }
    if n >= 8 {
        let mut i = 0;
        while i + 8 <= n {
            if load8(a, i) != load8(b, i) {
                return false;
            }
            i += 8;
        }
        load8(a, n - 8) == load8(b, n - 8)
    } else if n >= 4 {
        load4(a, 0) == load4(b, 0) && load4(a, n - 4) == load4(b, n - 4)
    } else {
        a.iter().zip(b).all(|(x, y)| x == y)
    }
}

/// The four bytes at `at` as a number (`bytes` holds at least `at + 4`).
#[inline]
fn load4(bytes: &[u8], at: usize) -> u32 {
    let mut w = [0u8; 4];
    w.copy_from_slice(&bytes[at..at + 4]);
    u32::from_le_bytes(w)
}

/// The eight bytes at `at` as a number (`bytes` holds at least `at + 8`).
#[inline]
fn load8(bytes: &[u8], at: usize) -> u64 {
    let mut w = [0u8; 8];
    w.copy_from_slice(&bytes[at..at + 8]);
    u64::from_le_bytes(w)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn special_bytes_are_found_first() {
        assert_eq!(special_byte(b"abc"), None);
        assert_eq!(special_byte(br#"abcdefghij\"#), Some(10));
        assert_eq!(special_byte(br#"abcdefgh\"xx"#), Some(8));
        assert_eq!(special_byte(b"\"abcdefghijk"), Some(0));
        assert_eq!(special_byte(b"abcdefg\x1f\""), Some(7));
        assert_eq!(
            special_byte("caf\u{e9} \u{1f4f9} \u{7f}!\"".as_bytes()),
            Some(13)
        );
        for n in 0..40 {
            let mut s = vec![b'a'; n];
            s.push(b'"');
            s.extend_from_slice(b"\\\x01");
            assert_eq!(special_byte(&s), Some(n));
        }
    }

    #[test]
    fn find_any_finds_the_first_of_the_bytes() {
        for n in 0..40 {
            let mut s = vec![b'a'; n];
            s.extend_from_slice(b"}\"{");
            assert_eq!(find_any(&s, [b'"', b'{', b'}']), Some(n));
            assert_eq!(find_any(&s, [b'"', b'x', b'y']), Some(n + 1));
            assert_eq!(find_any(&s, [b'q', b'x', b'y']), None);
        }
        let tricky = [0x01, 0x00, 0x22, 0xff, 0x7b];
        assert_eq!(find_any(&tricky, [b'"', b'{', b'}']), Some(2));
        assert_eq!(
            find_any(&[0x80, 0x7a, 0x7c, 0x7d], [b'"', b'{', b'}']),
            Some(3)
        );
    }

    #[test]
    fn short_equality() {
        assert!(eq_short(b"segmentsUploaded", b"segmentsUploaded"));
        assert!(!eq_short(b"segmentsUploaded", b"segmentsUploadeD"));
        assert!(!eq_short(b"x", b"xy"));
        assert!(eq_short(b"\"crop\":", b"\"crop\":"));
        assert!(!eq_short(b"\"crop\":", b"\"cxop\":"));
        assert!(!eq_short(b"\"x\":", b"\"y\":"));
        assert!(!eq_short(b"abcde", b"abcdf"));
        assert!(eq_short(b"", b""));
    }
}
