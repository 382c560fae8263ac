//! The measured decode methods, shared by the criterion bench and the
//! peak-memory probe so both run exactly the same code.

use std::io;

use crate::peers;

/// One way of decoding a response.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    /// `rhombus_model::decode`: borrowed, every map typed.
    RhombusBorrowed,
    /// `rhombus_model::arena::decode_in`: borrowed, every map typed, lists
    /// in an arena reused between decodes.
    RhombusArena,
    /// `rhombus_model::arena::decode_reader_in` over an `io::Read`: the
    /// arena tree with its text copied there, the input never held whole.
    RhombusArenaRead,
    /// `rhombus_model::decode_owned`: owned strings, one pass.
    RhombusOwned,
    /// `rhombus_model::decode_tolerant`.
    RhombusTolerant,
    /// `rhombus_model::stream::StreamDecoder` over an `io::Read`, one clip at a time.
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
    pub const ALL: [Method; 10] = [
        Method::RhombusBorrowed,
        Method::RhombusArena,
        Method::RhombusArenaRead,
        Method::RhombusOwned,
        Method::RhombusTolerant,
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
            Method::RhombusArena => "rhombus_arena",
            Method::RhombusArenaRead => "rhombus_arena_read",
            Method::RhombusOwned => "rhombus_owned",
            Method::RhombusTolerant => "rhombus_tolerant",
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
        matches!(self, Method::RhombusStream | Method::RhombusArenaRead)
    }

    /// The method with this id.
    pub fn from_id(id: &str) -> Option<Method> {
        Method::ALL.into_iter().find(|m| m.id() == id)
    }
}

/// Buffers a method may reuse between runs (simd-json's scratch space and
/// its mutable copy of the input, rhombus-model's arena).
#[derive(Default)]
pub struct Scratch {
    copy: Vec<u8>,
    simd: Option<simd_json::Buffers>,
    bump: rhombus_model::arena::Bump,
}

/// Decodes `bytes` with `method`; returns the number of clips (0 on error, so
/// a broken method shows up as a wrong count in the bench's sanity check).
pub fn run(method: Method, bytes: &[u8], scratch: &mut Scratch) -> usize {
    match method {
        Method::RhombusBorrowed => rhombus_model::decode(bytes).map_or(0, |r| r.clips().len()),
        Method::RhombusArena => {
            let clips = rhombus_model::arena::decode_in(bytes, &scratch.bump)
                .map_or(0, |r| r.clips().len());
            scratch.bump.reset();
            clips
        }
        Method::RhombusArenaRead | Method::RhombusStream => {
            run_reader(method, bytes, bytes.len() as u64, scratch).unwrap_or(0)
        }
        Method::RhombusOwned => rhombus_model::decode_owned(bytes).map_or(0, |r| r.clips().len()),
        Method::RhombusTolerant => {
            rhombus_model::decode_tolerant(bytes).map_or(0, |t| t.response.clips().len())
        }
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

/// Decodes the response in `reader`, `len` bytes long, with a method that
/// [`Method::reads`]; returns the number of clips. Any other method reads
/// nothing: `Ok(0)`.
pub fn run_reader(
    method: Method,
    reader: impl io::Read,
    len: u64,
    scratch: &mut Scratch,
) -> Result<usize, rhombus_model::DecodeError> {
    match method {
        Method::RhombusStream => {
            let mut clips = 0;
            rhombus_model::stream::StreamDecoder::new(reader)
                .try_for_each_clip(|_, clip| clip.map(|_| clips += 1))?;
            Ok(clips)
        }
        Method::RhombusArenaRead => {
            let clips = rhombus_model::stream::StreamDecoder::new(reader)
                .input_len(len)
                .decode_in(&scratch.bump)
                .map(|r| r.clips().len());
            scratch.bump.reset();
            clips
        }
        _ => Ok(0),
    }
}
