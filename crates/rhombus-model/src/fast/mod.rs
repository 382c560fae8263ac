//! A schema-specialised decoder: the same [`Response`] as the serde impls,
//! about 1.5–2× faster on realistic payloads (see `benches/README.md`).
//!
//! It walks the bytes once, dispatches keys by comparing them with the field
//! expected next (the server sends fields in a stable order), borrows every
//! unescaped string, and parses plain integers itself. Anything unusual
//! (escapes, floats, unknown fields) is handed to serde_json at that exact
//! position, so the two paths share one definition of what each value means.
//! On any error it gives up and [`crate::decode`]'s serde path runs, which
//! produces the error with its JSON path: the fast path never decides an
//! input is bad, it only ever returns the value the serde path would.

#[macro_use]
mod object;
mod raw;
mod reader;
mod values;

pub(crate) use raw::raw_json;
pub(crate) use reader::{Bail, Key, Reader, find_any, special_byte};
pub(crate) use values::{Items, List, list};

use crate::clip::SplicedClip;
use crate::owned::IntoOwned;
use crate::raw::RawJson;
use crate::response::Response;
use crate::text::Str;

/// Decodes `bytes` like [`crate::decode`] does when it succeeds; `None` when
/// the input needs the serde path (it is malformed, or the fast path did not
/// want to decide). Never returns a value the serde path would not.
pub fn try_decode(bytes: &[u8]) -> Option<Response<'_>> {
    whole::<_, Borrow>(bytes)
}

/// [`try_decode`] for one clip object (as [`crate::decode_clip`] reads it).
pub fn try_decode_clip(bytes: &[u8]) -> Option<SplicedClip<'_>> {
    whole::<_, Borrow>(bytes)
}

/// Decodes a whole document of type `T` (only whitespace may follow it),
/// borrowing from `bytes` or copying out of it as `M` says.
pub(crate) fn whole<'i, 'a, T: FastDecode<'a>, M: Mode<'i, 'a>>(bytes: &'i [u8]) -> Option<T> {
    read_whole(bytes, T::fast_decode::<M>)
}

/// Reads a whole document with `read` (only whitespace may follow it);
/// `None` when the bytes are not UTF-8 or `read` declines.
pub(crate) fn read_whole<'i, T>(
    bytes: &'i [u8],
    read: impl FnOnce(&mut Reader<'i>) -> Result<T, Bail>,
) -> Option<T> {
    // simdutf8 validates with SIMD (chosen at run time), several times
    // faster than `std::str::from_utf8` on large inputs.
    let text = simdutf8::basic::from_utf8(bytes).ok()?;
    let mut reader = Reader::new(text);
    let value = read(&mut reader).ok()?;
    reader.at_end().then_some(value)
}

/// The value of type `T` at the start of `text` (borrowed) and the bytes it
/// took; `None` when the fast path declines (or `text` ends inside it).
pub(crate) fn prefix<'a, T: FastDecode<'a>>(text: &'a str) -> Option<(T, usize)> {
    let mut reader = Reader::new(text);
    let value = T::fast_decode::<Borrow>(&mut reader).ok()?;
    Some((value, reader.position()))
}

/// A model type the fast path can decode.
pub(crate) trait FastDecode<'a>: Sized {
    /// Decodes one value at the reader's position (leading whitespace
    /// allowed), its text borrowed from the input or copied as `M` says.
    fn fast_decode<'i, M: Mode<'i, 'a>>(r: &mut Reader<'i>) -> Result<Self, Bail>;
}

/// How decoded text relates to the input (`'i`): borrowed from it
/// ([`Borrow`]) or copied out of it ([`Copy`], for `'static` values).
pub(crate) trait Mode<'i, 'a> {
    /// Text read from the input.
    fn text(s: Str<'i>) -> Str<'a>;
    /// A raw JSON value read from the input.
    fn raw(raw: RawJson<'i>) -> RawJson<'a>;
}

/// Decoded values borrow from the input.
pub(crate) enum Borrow {}

impl<'a> Mode<'a, 'a> for Borrow {
    #[inline]
    fn text(s: Str<'a>) -> Str<'a> {
        s
    }
    #[inline]
    fn raw(raw: RawJson<'a>) -> RawJson<'a> {
        raw
    }
}

/// Decoded values own their text: `'static`, in one pass.
pub(crate) enum Copy {}

impl<'i> Mode<'i, 'static> for Copy {
    #[inline]
    fn text(s: Str<'i>) -> Str<'static> {
        s.into_owned()
    }
    #[inline]
    fn raw(raw: RawJson<'i>) -> RawJson<'static> {
        raw.into_owned()
    }
}

#[cfg(test)]
mod tests;
