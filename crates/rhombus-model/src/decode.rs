//! Entry points: strict and tolerant decoding of a whole response from bytes.

use serde::Deserialize;

use crate::clip::SplicedClip;
use crate::error::{DecodeError, DecodeErrorKind};
use crate::fast::FastDecode;
use crate::path::{clip as clip_path, render};
use crate::raw::RawJson;
use crate::response::Response;

/// Decodes a response, borrowing its strings from `bytes`.
///
/// Strict: any value of the wrong type fails the whole response (see
/// [`decode_tolerant`] to keep the clips that do decode). Unknown fields and
/// enum values are not errors; they are kept.
pub fn decode(bytes: &[u8]) -> Result<Response<'_>, DecodeError> {
    fast_or_serde(bytes)
}

/// Decodes a response into owned values that outlive `bytes`.
///
/// The same result as `decode(bytes)?.into_owned()`, in one pass: strings
/// are copied as they are read, instead of borrowed and then copied in a
/// second walk over the whole tree.
pub fn decode_owned(bytes: &[u8]) -> Result<Response<'static>, DecodeError> {
    match crate::fast::whole::<_, crate::fast::Copy>(bytes) {
        Some(response) => Ok(response),
        None => from_slice::<Response<'_>>(bytes).map(|response| response.into_owned()),
    }
}

/// [`decode`] for text.
pub fn decode_str(text: &str) -> Result<Response<'_>, DecodeError> {
    decode(text.as_bytes())
}

/// Decodes one clip object on its own.
pub fn decode_clip(bytes: &[u8]) -> Result<SplicedClip<'_>, DecodeError> {
    fast_or_serde(bytes)
}

/// Decodes a whole document of type `T`: the fast path's value when it has
/// one, else the serde path's (which also explains a failure).
pub(crate) fn fast_or_serde<'a, T>(bytes: &'a [u8]) -> Result<T, DecodeError>
where
    T: FastDecode<'a> + Deserialize<'a>,
{
    crate::fast::whole::<_, crate::fast::Borrow>(bytes).map_or_else(|| from_slice(bytes), Ok)
}

/// Decodes any model type; on failure re-reads the input once to find the
/// JSON path, so the successful path pays nothing for it.
pub(crate) fn from_slice<'a, T: Deserialize<'a>>(bytes: &'a [u8]) -> Result<T, DecodeError> {
    serde_json::from_slice(bytes).map_err(|err| locate::<T>(bytes, &err))
}

fn locate<'a, T: Deserialize<'a>>(bytes: &'a [u8], err: &serde_json::Error) -> DecodeError {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let path = match serde_path_to_error::deserialize::<_, T>(&mut de) {
        Err(e) => render(e.path()),
        Ok(_) => String::new(), // the value was fine; trailing characters followed it
    };
    DecodeError::from_json(err, path)
}

/// A response decoded tolerantly: the clips that decoded, plus each one that did not.
#[derive(Clone, Debug)]
pub struct Tolerant<'a> {
    /// The response with every clip that decoded, in order.
    pub response: Response<'a>,
    /// The clips that did not decode.
    pub failures: Vec<ClipFailure<'a>>,
}

/// A clip that failed to decode in [`decode_tolerant`].
#[derive(Clone, Debug)]
pub struct ClipFailure<'a> {
    /// Position in `splicedClips`.
    pub index: usize,
    /// What failed, with the full path (`splicedClips[1].duration`) and position.
    pub error: DecodeError,
    /// The clip's raw JSON, as sent.
    pub raw: &'a str,
}

#[allow(dead_code, missing_docs)]
mod envelope {
    use crate::raw::RawJson;
    use crate::text::Str;

    json_object! {
        /// The response with its clips left as raw JSON.
        pub struct RawEnvelope<'a> {
            "error" => error: bool,
            "errorMsg" => error_msg: Str<'a>,
            "splicedClips" => spliced_clips: Vec<RawJson<'a>>,
            "warningMsg" => warning_msg: Str<'a>,
        }
    }
}

/// Decodes a response, keeping every clip that decodes and reporting each one
/// that does not (index, path, error, raw JSON).
///
/// Fails as a whole only when the input is not JSON, is truncated, or the
/// envelope itself has the wrong shape. On clean input this is exactly
/// [`decode`]; the per-clip pass runs only after a failure.
pub fn decode_tolerant(bytes: &[u8]) -> Result<Tolerant<'_>, DecodeError> {
    let fast = crate::fast::try_decode(bytes);
    let first = match fast.map_or_else(|| serde_json::from_slice::<Response<'_>>(bytes), Ok) {
        Ok(response) => {
            return Ok(Tolerant {
                response,
                failures: Vec::new(),
            });
        }
        Err(err) => err,
    };
    if crate::error::kind_of(&first) != DecodeErrorKind::Data {
        return Err(locate::<Response<'_>>(bytes, &first));
    }
    let envelope: envelope::RawEnvelope<'_> = from_slice(bytes)?;
    let mut failures = Vec::new();
    let clips = envelope.spliced_clips.map(|raws| {
        let mut clips = Vec::with_capacity(raws.len());
        for (index, raw) in raws.into_iter().enumerate() {
            match decode_raw_clip(bytes, &raw, index) {
                Ok(clip) => clips.push(clip),
                Err(failure) => failures.push(failure),
            }
        }
        clips
    });
    let response = Response {
        error: envelope.error,
        error_msg: envelope.error_msg,
        spliced_clips: clips,
        warning_msg: envelope.warning_msg,
        extra: envelope.extra,
    };
    Ok(Tolerant { response, failures })
}

fn decode_raw_clip<'a>(
    whole: &'a [u8],
    raw: &RawJson<'a>,
    index: usize,
) -> Result<SplicedClip<'a>, ClipFailure<'a>> {
    let text: &'a str = match raw.borrowed_str() {
        Some(text) => text,
        None => {
            let error = DecodeError::other(
                DecodeErrorKind::Data,
                "clip was not borrowed",
                clip_path(index),
            );
            return Err(ClipFailure {
                index,
                error,
                raw: "",
            });
        }
    };
    from_slice(text.as_bytes()).map_err(|error| {
        let offset = (text.as_ptr() as usize).wrapping_sub(whole.as_ptr() as usize);
        ClipFailure {
            index,
            error: error.nested(&clip_path(index), whole, offset),
            raw: text,
        }
    })
}
