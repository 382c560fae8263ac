//! The measured decode methods, shared by the criterion bench and the
//! peak-memory probe so both run exactly the same code.

use std::io;

use crate::peers;

/// One way of decoding a response.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    /// `Decoder::decode`, the public decode (tolerant, the default):
    /// borrowed text, every map typed, the arena reused between decodes.
    RhombusBorrowed,
    /// The same decode with `Decoder::strict(true)`.
    RhombusStrict,
    /// `Decoder::decode_reader` over an `io::Read`: the same tree with its
    /// text copied into the arena, the input never held whole.
    RhombusRead,
    /// `Decoder::decode_owned`: an `OwnedResponse` holding a copy of the
    /// input and its own arena (what `Client::spliced_clips` returns).
    RhombusOwned,
    /// `Decoder::stream` over an `io::Read`, one clip at a time.
    RhombusStream,
    /// serde_json into owned structs, every map typed.
    SerdeJsonOwned,
    /// serde_json into `serde_json::Value`.
    SerdeJsonValue,
    /// simd-json into borrowed structs, buffers reused, every map typed.
    SimdJsonBorrowed,
    /// sonic-rs into borrowed structs, maps left lazy.
    SonicRsBorrowed,
}

impl Method {
    /// Every method, in report order.
    pub const ALL: [Method; 9] = [
        Method::RhombusBorrowed,
        Method::RhombusStrict,
        Method::RhombusRead,
        Method::RhombusOwned,
        Method::RhombusStream,
        Method::SerdeJsonOwned,
        Method::SerdeJsonValue,
        Method::SimdJsonBorrowed,
        Method::SonicRsBorrowed,
    ];

    /// The id used in reports and on the command line.
    pub fn id(self) -> &'static str {
        match self {
            Method::RhombusBorrowed => "rhombus_borrowed",
            Method::RhombusStrict => "rhombus_strict",
            Method::RhombusRead => "rhombus_read",
            Method::RhombusOwned => "rhombus_owned",
            Method::RhombusStream => "rhombus_stream",
            Method::SerdeJsonOwned => "serde_json_owned",
            Method::SerdeJsonValue => "serde_json_value",
            Method::SimdJsonBorrowed => "simd_json_borrowed",
            Method::SonicRsBorrowed => "sonic_rs_borrowed",
        }
    }

    /// Whether the method reads through an `io::Read` (see [`run_reader`])
    /// rather than from bytes in memory.
    pub fn reads(self) -> bool {
        matches!(self, Method::RhombusStream | Method::RhombusRead)
    }

    /// The method with this id.
    pub fn from_id(id: &str) -> Option<Method> {
        Method::ALL.into_iter().find(|m| m.id() == id)
    }
}

/// Buffers a method may reuse between runs (simd-json's scratch space and
/// its mutable copy of the input, rhombus-model's decoders and their arenas).
pub struct Scratch {
    copy: Vec<u8>,
    simd: Option<simd_json::Buffers>,
    tolerant: rhombus_model::Decoder,
    strict: rhombus_model::Decoder,
}

impl Default for Scratch {
    fn default() -> Self {
        Scratch::with_decoder(rhombus_model::Decoder::new())
    }
}

impl Scratch {
    /// Scratch whose rhombus decoders start from `decoder`'s settings (a
    /// larger tree limit for a 1 GiB payload, say).
    pub fn with_decoder(decoder: rhombus_model::Decoder) -> Self {
        Scratch {
            copy: Vec::new(),
            simd: None,
            strict: decoder.clone().strict(true),
            tolerant: decoder,
        }
    }
}

/// Decodes `bytes` with `method`; returns the number of clips (0 on error, so
/// a broken method shows up as a wrong count in the bench's sanity check).
pub fn run(method: Method, bytes: &[u8], scratch: &mut Scratch) -> usize {
    match method {
        Method::RhombusBorrowed => scratch
            .tolerant
            .decode(bytes)
            .map_or(0, |r| r.clips().count()),
        Method::RhombusStrict => scratch
            .strict
            .decode(bytes)
            .map_or(0, |r| r.clips().count()),
        Method::RhombusRead | Method::RhombusStream => {
            run_reader(method, bytes, scratch).unwrap_or(0)
        }
        Method::RhombusOwned => scratch
            .tolerant
            .decode_owned(bytes)
            .map_or(0, |r| r.response().clips().count()),
        Method::SerdeJsonOwned => {
            serde_json::from_slice::<peers::Owned>(bytes).map_or(0, |r| peers::clip_count(&r))
        }
        Method::SerdeJsonValue => serde_json::from_slice::<serde_json::Value>(bytes)
            .map_or(0, |v| v["splicedClips"].as_array().map_or(0, Vec::len)),
        Method::SimdJsonBorrowed => {
            scratch.copy.clear();
            scratch.copy.extend_from_slice(bytes);
            let buffers = scratch
                .simd
                .get_or_insert_with(|| simd_json::Buffers::new(bytes.len()));
            simd_json::serde::from_slice_with_buffers::<peers::SimdBorrowed<'_>>(
                &mut scratch.copy,
                buffers,
            )
            .map_or(0, |r| peers::clip_count(&r))
        }
        Method::SonicRsBorrowed => sonic_rs::from_slice::<peers::SonicBorrowed<'_>>(bytes)
            .map_or(0, |r| peers::clip_count(&r)),
    }
}

/// Decodes the response in `reader` with a method that [`Method::reads`];
/// returns the number of clips. Any other method reads nothing: `Ok(0)`.
pub fn run_reader(
    method: Method,
    reader: impl io::Read,
    scratch: &mut Scratch,
) -> Result<usize, rhombus_model::DecodeError> {
    match method {
        Method::RhombusStream => {
            let mut clips = 0;
            let mut stream = scratch.tolerant.stream(reader);
            while let Some(clip) = stream.next_clip() {
                clips += usize::from(clip?.item.value().is_some());
            }
            stream.finish()?;
            Ok(clips)
        }
        Method::RhombusRead => scratch
            .tolerant
            .decode_reader(reader)
            .map(|r| r.clips().count()),
        _ => Ok(0),
    }
}
