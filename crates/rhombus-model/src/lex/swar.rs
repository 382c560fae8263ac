//! Byte searches eight bytes at a time in a `u64` ("SIMD within a
//! register"): cheaper than a vector search when hits are a few bytes apart,
//! as quotes are in JSON, and safe Rust on every target.

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGHS: u64 = ONES * 0x80;

/// The high bit of every byte of `x` that is zero, and maybe of bytes above
/// the first one (a borrow runs upward): exact for the lowest flagged byte.
#[inline]
fn zero_bytes(x: u64) -> u64 {
    x.wrapping_sub(ONES) & !x & HIGHS
}

/// Flags the bytes a JSON string cannot hold as they are: `"`, `\` and
/// control characters (exact for the lowest flagged byte).
#[inline]
fn special_bytes(x: u64) -> u64 {
    zero_bytes(x ^ (ONES * u64::from(b'"')))
        | zero_bytes(x ^ (ONES * u64::from(b'\\')))
        // Bytes below 0x20 set their high bit when 0x20 is taken away.
        | (x.wrapping_sub(ONES * 0x20) & !x & HIGHS)
}

#[inline]
fn is_special(b: u8) -> bool {
    b == b'"' || b == b'\\' || b < 0x20
}

/// Index of the first `"`, `\\` or control character in `bytes`, and
/// whether any byte before it is non-ASCII.
#[inline]
pub(crate) fn special_byte(bytes: &[u8]) -> (Option<usize>, bool) {
    let mut offset = 0;
    let mut high = 0u64;
    while offset + 8 <= bytes.len() {
        let x = load8(bytes, offset);
        let flags = special_bytes(x);
        if flags != 0 {
            let at = (flags.trailing_zeros() / 8) as usize;
            // The bytes below the hit: `at` whole bytes.
            let below = (1u64 << (at * 8)).wrapping_sub(1);
            high |= x & HIGHS & below;
            return (Some(offset + at), high != 0);
        }
        high |= x & HIGHS;
        offset += 8;
    }
    let rest = &bytes[offset..];
    match rest.iter().position(|&b| is_special(b)) {
        Some(i) => (
            Some(offset + i),
            high != 0 || rest[..i].iter().any(|b| !b.is_ascii()),
        ),
        None => (None, high != 0 || rest.iter().any(|b| !b.is_ascii())),
    }
}

/// Equality of short byte strings (keys), eight bytes at a time (the last
/// word overlapping the one before it; no copies through memory).
#[inline]
pub(crate) fn eq_short(a: &[u8], b: &[u8]) -> bool {
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
        a == b
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
    fn special_bytes_are_found_first_and_non_ascii_before_them_noticed() {
        assert_eq!(special_byte(b"abc"), (None, false));
        assert_eq!(special_byte(br#"abcdefghij\"#), (Some(10), false));
        assert_eq!(special_byte(br#"abcdefgh\"xx"#), (Some(8), false));
        assert_eq!(special_byte(b"\"abcdefghijk"), (Some(0), false));
        assert_eq!(special_byte(b"abcdefg\x1f\""), (Some(7), false));
        assert_eq!(
            special_byte("caf\u{e9} \u{1f4f9} \u{7f}!\"".as_bytes()),
            (Some(13), true)
        );
        // Non-ASCII after the hit does not count.
        assert_eq!(
            special_byte("abcdefghij\"\u{e9}".as_bytes()),
            (Some(10), false)
        );
        assert_eq!(
            special_byte("ab\"\u{e9}cdefgh".as_bytes()),
            (Some(2), false)
        );
        for n in 0..40 {
            let mut s = vec![b'a'; n];
            s.push(b'"');
            s.extend_from_slice(b"\\\x01\xff");
            assert_eq!(special_byte(&s), (Some(n), false));
            let mut t = vec![b'a'; n];
            t.push(0xc3);
            t.push(0xa9);
            assert_eq!(special_byte(&t), (None, true));
        }
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
