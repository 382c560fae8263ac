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

pub(crate) use reader::{Bail, Reader};

use crate::clip::SplicedClip;
use crate::response::Response;

/// Decodes `bytes` like [`crate::decode`] does when it succeeds; `None` when
/// the input needs the serde path (it is malformed, or the fast path did not
/// want to decide). Never returns a value the serde path would not.
pub fn try_decode(bytes: &[u8]) -> Option<Response<'_>> {
    whole(bytes, false)
}

/// [`try_decode`] for one clip object (as [`crate::decode_clip`] reads it).
pub fn try_decode_clip(bytes: &[u8]) -> Option<SplicedClip<'_>> {
    whole(bytes, false)
}

/// Decodes a whole document of type `T` (only whitespace may follow it).
/// With `owning`, every string is copied as it is read (nothing borrows
/// from `bytes`), which is how [`crate::decode_owned`] avoids a second pass
/// that copies.
pub(crate) fn whole<'a, T: FastDecode<'a>>(bytes: &'a [u8], owning: bool) -> Option<T> {
    // simdutf8 validates with SIMD (chosen at run time), several times
    // faster than `std::str::from_utf8` on large inputs.
    let text = simdutf8::basic::from_utf8(bytes).ok()?;
    let mut reader = Reader::new(text, owning);
    let value = T::fast_decode(&mut reader).ok()?;
    reader.at_end().then_some(value)
}

/// A model type the fast path can decode.
pub(crate) trait FastDecode<'a>: Sized {
    /// Decodes one value at the reader's position (leading whitespace allowed).
    fn fast_decode(r: &mut Reader<'a>) -> Result<Self, Bail>;
}

#[cfg(test)]
mod tests;
