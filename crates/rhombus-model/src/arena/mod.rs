//! The model in an arena: the fastest way to decode a large response.
//!
//! [`decode_in`] decodes the same responses as [`crate::decode`], to the same
//! values, into types with the same fields in a compact form. Every list,
//! facet map and set of unknown fields is a slice allocated in a [`Bump`]
//! arena that the caller owns, and every text leaf is 16 bytes of borrowed
//! text: a [`Str`](crate::Str) is a `&'a str`, and an id, open enum or
//! [`Float`](crate::Float) a [`Leaf`], whose [`Leaf::get`] gives the model
//! value. Text is borrowed from the input, or from the arena when it had
//! escapes. Lists are read straight into the arena, at the size of the last
//! list like them (the clip list at a size estimated from the input's), so
//! each is usually written once, in place. A decode makes a handful of large
//! allocations instead of about sixteen small ones per clip, and the tree is
//! freed at once, by resetting or dropping the arena, with no walk over it.
//! Reuse one arena for a stream of responses: after the first, a decode asks
//! the system allocator for nothing. A list that outgrows its first guess
//! leaves its outgrown buffers in the arena until it is reset.
//!
//! ```
//! use rhombus_model::arena::{Bump, decode_in};
//! use rhombus_model::WriteJson;
//!
//! let body = br#"{"splicedClips": [{"clipUuid": "AAAAAAAAAAAAAAAAAAAAAA",
//!     "deviceMap": {"BBBBBBBBBBBBBBBBBBBBBB.v0": {"segmentsUploaded": 3, "totalSegments": 10}}}]}"#;
//! let mut bump = Bump::new();
//! {
//!     let response = decode_in(body, &bump)?;
//!     let clip = &response.clips()[0];
//!     let progress = clip.device_map.as_ref().and_then(|m| m.get("BBBBBBBBBBBBBBBBBBBBBB.v0"));
//!     assert_eq!(progress.and_then(|p| p.segments_uploaded), Some(3));
//!     // Ids, enums and floats are `Leaf`s: `get` gives the model value.
//!     let uuid = clip.clip_uuid.expect("sent");
//!     assert_eq!(uuid.as_str(), "AAAAAAAAAAAAAAAAAAAAAA");
//!     assert_eq!(uuid.get().to_bytes(), Some([0; 16]));
//!     // The same value, field for field, as the model's decode.
//!     let (mut a, mut b) = (Vec::new(), Vec::new());
//!     response.write_json(&mut a);
//!     rhombus_model::decode(body)?.write_json(&mut b);
//!     assert_eq!(a, b);
//! }
//! bump.reset(); // frees the whole tree; the next decode reuses the memory
//! # Ok::<(), rhombus_model::DecodeError>(())
//! ```
//!
//! [`decode_reader_in`] (or [`StreamDecoder::decode_in`](crate::stream::StreamDecoder::decode_in),
//! with the stream's options) builds the same tree from an [`io::Read`](std::io::Read)
//! without holding the input: it is read in a window about the size of a
//! clip, and all text is copied into the arena. Peak memory is then the tree
//! and its text, where `decode_in` adds the input it borrows from.
//!
//! The tree reports the same [`FindDrift`](crate::FindDrift) as the model's,
//! and [`Response::into_result`] checks the envelope as the model's does.
//! `rhombus_transport::RawResponse::decode_in` decodes a fetched body this
//! way.
//!
//! Values in the tree never need dropping: the decoder leaves every string
//! borrowed (from the input or the arena). A value built by hand with owned
//! text and placed in an arena slice is not dropped when the arena is reset;
//! move it in with [`ArenaForm::into_arena`], which copies the text there.

mod decode;
mod form;
mod leaf;
mod map;
#[macro_use]
mod object;
mod read;

pub use bumpalo::Bump;
pub use form::{ArenaForm, Form};
pub use leaf::{Leaf, TextLeaf};
pub use map::{Extra, FacetMap, Map};
pub use read::decode_reader_in;

pub(crate) use decode::{ArenaDecode, Place, unknown_field, with_capacity};

pub use crate::clip::{
    ArenaAccessSettings as AccessSettings, ArenaAlteredView as AlteredView,
    ArenaAspectRatio as AspectRatio, ArenaCropRect as CropRect,
    ArenaDeviceProgress as DeviceProgress, ArenaDewarpedView as DewarpedView,
    ArenaSplicedClip as SplicedClip, ArenaTargetLocation as TargetLocation,
};
pub use crate::response::ArenaResponse as Response;

use crate::error::DecodeError;
use crate::response::ApiError;

/// Decodes a response into `bump`, borrowing its strings from `bytes`.
///
/// Accepts and rejects exactly what [`crate::decode`] does, with the same
/// errors, and gives the same values in their arena form.
pub fn decode_in<'a>(bytes: &'a [u8], bump: &'a Bump) -> Result<Response<'a>, DecodeError> {
    if let Some(response) = fast(bytes, bump) {
        return Ok(response);
    }
    // The fast path declined, so the serde path decides and explains a
    // failure. Not `crate::decode`: its fast path shares every reader with
    // this one and would decline too, after a second pass over the input.
    crate::decode::from_slice::<crate::Response<'a>>(bytes)
        .map(|response| response.into_arena(bump))
}

/// The fast path's decode into the arena; `None` where it declines (see
/// [`crate::fast`]). Memory it allocated before declining stays in the arena
/// until it is reset.
fn fast<'a>(bytes: &'a [u8], bump: &'a Bump) -> Option<Response<'a>> {
    crate::fast::read_whole(bytes, |r| {
        // The clip list, the response's only list, is the first one begun.
        // Sized for clips of `CLIP_BYTES` in all of `bytes`, it is written
        // once, in place: never regrown, leaving no outgrown copies in the
        // arena. Pages of the capacity that no clip fills are never touched,
        // so the system gives them no memory.
        r.plan_next_list(bytes.len() / CLIP_BYTES);
        Response::arena_decode::<crate::fast::Borrow>(r, bump)
    })
}

/// JSON bytes per clip the clip list is sized for: under half of a clip
/// with every field (about 2 KiB). A list of smaller clips regrows as any
/// other list does.
pub(crate) const CLIP_BYTES: usize = 1024;

impl<'a> Response<'a> {
    /// The clips (empty when the server sent none or `null`).
    pub fn clips(&self) -> &'a [SplicedClip<'a>] {
        self.spliced_clips.unwrap_or_default()
    }

    /// Whether the server said the call failed (`"error": true`).
    pub fn is_error(&self) -> bool {
        self.error == Some(true)
    }

    /// The warning on a successful answer, if any.
    pub fn warning(&self) -> Option<&'a str> {
        self.warning_msg
    }

    /// `Err` when the body says `"error": true`; the response itself otherwise.
    pub fn into_result(self) -> Result<Self, ApiError> {
        ApiError::check(self.error, self.error_msg)?;
        Ok(self)
    }
}
