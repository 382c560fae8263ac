//! Decoding: [`Decoder`] and its three drivers over the one scanner.
//!
//! - in memory ([`Decoder::decode`]): the tree borrows its text from your
//!   bytes and its lists from the decoder's arena;
//! - from an [`io::Read`](std::io::Read) ([`Decoder::decode_reader`]): the
//!   same tree, its text copied into the arena, the input read in a window
//!   about the size of a clip and never held whole;
//! - clip by clip ([`Decoder::stream`]): one clip at a time in memory
//!   bounded by the largest clip.
//!
//! All three run the same decode of each value and report the same values,
//! problems and errors for the same bytes.

mod cx;
pub(crate) mod locate;
mod owned;
mod values;
mod window;

use std::io::Read;

use bumpalo::Bump;

pub(crate) use cx::{Borrow, Cx, Decode, Place};
pub use owned::{OwnedClip, OwnedResponse};
pub(crate) use values::Keys;
pub use window::{ClipStream, StreamedClip};

use crate::Extra;
use crate::error::{DecodeError, DecodeErrorKind};
use crate::lex::{Code, Fail, Lexer, Nesting};
use crate::model::leaves::RawJson;
use crate::schema::{Response, SplicedClip};

/// What one decode may take: past a limit it fails with a
/// [`DecodeErrorKind::Limit`] error naming it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Limits {
    pub(crate) max_clips: usize,
    pub(crate) max_tree_bytes: usize,
    pub(crate) max_depth: usize,
    pub(crate) max_value_len: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_clips: 1_000_000,
            max_tree_bytes: 512 << 20,
            max_depth: 128,
            max_value_len: 64 << 20,
        }
    }
}

/// JSON bytes per clip the clip list is first sized for: under half of a
/// clip with every field (about 2 KiB). A list of smaller clips regrows as
/// any other list does; pages of the capacity no clip fills are never
/// touched, so the system gives them no memory.
const CLIP_BYTES: usize = 1024;

/// Decodes `getSplicedClipsInProgress` responses; keep one and reuse it.
///
/// Tolerant by default: a value that does not fit its field (a string
/// where a number belongs, a number out of range, text that is not UTF-8,
/// a key sent twice, nesting past [`Decoder::max_depth`]) costs only that
/// value, which stays in the tree as raw JSON, in its place, and is listed
/// in [`Decoded::problems`] with its JSON path. [`Decoder::strict`] refuses
/// each of them instead, with the same path. `null` is a value like any
/// other, everywhere.
///
/// The decoder owns an arena: every list, map and unescaped string of a
/// decoded tree lives there, so a decode makes a handful of large
/// allocations instead of many small ones, and the next decode reuses the
/// memory.
///
/// ```
/// use rhombus_model::{ClipStatus, Decoder};
///
/// let body = br#"{"splicedClips": [
///   {"clipUuid": "AAAAAAAAAAAAAAAAAAAAAA", "status": "UPLOADING",
///    "segmentsUploaded": 3, "totalSegments": 12, "duration": "long"}
/// ]}"#;
/// let mut decoder = Decoder::new();
/// let decoded = decoder.decode(body)?;
/// let clip = decoded.clips().next().expect("one clip");
/// assert_eq!(clip.status, Some(ClipStatus::Uploading));
/// assert_eq!(clip.progress().and_then(|p| p.percent()), Some(25));
/// // "long" is no i32: kept raw, in its place, and reported with its path.
/// assert_eq!(clip.duration, None);
/// assert_eq!(clip.extra.get("duration").map(|raw| raw.get()), Some(r#""long""#));
/// assert_eq!(decoded.problems[0].path(), "splicedClips[0].duration");
/// # Ok::<(), rhombus_model::DecodeError>(())
/// ```
#[derive(Debug, Default)]
pub struct Decoder {
    options: DecodeOptions,
    arena: Bump,
}

/// A [`Decoder`]'s settings without its arena: `Copy`, `Send` and `Sync`,
/// to keep in shared configuration. `Decoder::from(options)` makes a
/// decoder with them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DecodeOptions {
    strict: bool,
    limits: Limits,
}

impl From<DecodeOptions> for Decoder {
    fn from(options: DecodeOptions) -> Self {
        Decoder {
            options,
            arena: Bump::new(),
        }
    }
}

/// A decoded value and the problems tolerated on the way (empty for a
/// strict decode, which refuses them). Derefs to the value.
#[derive(Debug)]
pub struct Decoded<T> {
    /// The value.
    pub value: T,
    /// Each value that did not fit and was kept raw, with its path and
    /// position, in input order (at most 1000, then one line counting the rest).
    pub problems: Vec<DecodeError>,
}

impl<T> std::ops::Deref for Decoded<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.value
    }
}

/// A decoder with the same settings and an arena of its own.
impl Clone for Decoder {
    fn clone(&self) -> Self {
        Decoder::from(self.options)
    }
}

impl Decoder {
    /// A tolerant decoder with the default limits: 1,000,000 clips, a
    /// 512 MiB tree, nesting 128 deep, 64 MiB for one value read from a
    /// stream.
    pub fn new() -> Self {
        Decoder::default()
    }

    /// Whether this decoder refuses what tolerant mode keeps raw.
    pub fn is_strict(&self) -> bool {
        self.options.strict
    }

    /// Its settings.
    pub fn options(&self) -> DecodeOptions {
        self.options
    }

    /// Refuses every value tolerant mode would keep raw.
    pub fn strict(mut self, strict: bool) -> Self {
        self.options.strict = strict;
        self
    }

    /// The most elements a clip list may have.
    pub fn max_clips(mut self, clips: usize) -> Self {
        self.options.limits.max_clips = clips;
        self
    }

    /// The most memory a decoded tree may take in the arena. This bounds
    /// what a hostile body can make the decoder allocate: a body of ten
    /// million `{}` clips is 30 MB, but each clip is a struct of about
    /// 500 bytes.
    pub fn max_tree_bytes(mut self, bytes: usize) -> Self {
        self.options.limits.max_tree_bytes = bytes;
        self
    }

    /// How deep a value may nest before it is a problem (kept raw in
    /// tolerant mode, refused in strict mode). Skipping never recurses, so
    /// deeper input cannot overflow the stack either way.
    pub fn max_depth(mut self, depth: usize) -> Self {
        self.options.limits.max_depth = depth;
        self
    }

    /// The longest one clip or envelope field may be when reading from a
    /// stream: the window's bound.
    pub fn max_value_len(mut self, bytes: usize) -> Self {
        self.options.limits.max_value_len = bytes;
        self
    }

    /// Decodes a response, borrowing its text from `bytes`. Frees the tree
    /// of the previous decode (its arena is reused).
    pub fn decode<'a>(&'a mut self, bytes: &'a [u8]) -> Result<Decoded<Response<'a>>, DecodeError> {
        self.arena.reset();
        decode_slice::<Response<'a>, Borrow>(
            bytes,
            &self.arena,
            !self.options.strict,
            self.options.limits,
        )
    }

    /// Decodes one clip object on its own.
    pub fn decode_clip<'a>(
        &'a mut self,
        bytes: &'a [u8],
    ) -> Result<Decoded<SplicedClip<'a>>, DecodeError> {
        self.arena.reset();
        decode_slice::<SplicedClip<'a>, Borrow>(
            bytes,
            &self.arena,
            !self.options.strict,
            self.options.limits,
        )
    }

    /// Decodes a response from `reader` without holding the input: it is
    /// read in a window about the size of a clip, and the tree's text is
    /// copied into the arena.
    pub fn decode_reader<R: Read>(
        &mut self,
        reader: R,
    ) -> Result<Decoded<Response<'_>>, DecodeError> {
        self.arena.reset();
        window::read_whole(
            reader,
            &self.arena,
            !self.options.strict,
            self.options.limits,
        )
    }

    /// Hands the clips of the response in `reader` over one at a time.
    pub fn stream<R: Read>(&self, reader: R) -> ClipStream<R> {
        ClipStream::new(reader, !self.options.strict, self.options.limits)
    }

    /// Decodes `bytes` into a response that owns them and its tree.
    pub fn decode_owned(&self, bytes: impl Into<Vec<u8>>) -> Result<OwnedResponse, DecodeError> {
        OwnedResponse::decode(bytes.into(), !self.options.strict, self.options.limits)
    }
}

/// The in-memory driver: one value of type `T` making up all of `bytes`.
pub(crate) fn decode_slice<'i, 'a, T: Decode<'a>, P: Place<'i, 'a>>(
    bytes: &'i [u8],
    bump: &'a Bump,
    tolerant: bool,
    limits: Limits,
) -> Result<Decoded<T>, DecodeError> {
    let mut cx = Cx::new(Lexer::new(bytes), bump, tolerant, limits);
    cx.plan_next_list(bytes.len() / CLIP_BYTES);
    match top::<T, P>(&mut cx) {
        Ok(value) => Ok(Decoded {
            value,
            problems: located(bytes, &cx, limits, "", 0),
        }),
        Err(fail) => Err(locate::error(bytes, fail, cx.expected, &limits)),
    }
}

/// The whole document: one object, then only whitespace.
fn top<'i, 'a, T: Decode<'a>, P: Place<'i, 'a>>(cx: &mut Cx<'i, 'a>) -> Result<T, Fail> {
    object_start(&mut cx.lx)?;
    let value = T::decode::<P>(cx)?;
    end(&mut cx.lx)?;
    Ok(value)
}

/// Checks that an object starts at the cursor: `NotAnObject` for another
/// JSON value (after checking it is one), else the syntax error.
pub(crate) fn object_start(lx: &mut Lexer<'_>) -> Result<(), Fail> {
    if lx.peek()? == b'{' {
        return Ok(());
    }
    let start = lx.pos;
    lx.skip(&mut Nesting::new())?;
    Err(Fail {
        code: Code::NotAnObject,
        at: start,
    })
}

/// Checks that only whitespace follows.
pub(crate) fn end(lx: &mut Lexer<'_>) -> Result<(), Fail> {
    match lx.peek() {
        Err(_) => Ok(()),
        Ok(_) => Err(lx.fail(Code::TrailingCharacters)),
    }
}

/// The problems a decode noted, located in `bytes` (see
/// [`locate::problems`]), with a last line counting those past the
/// detailed ones.
pub(crate) fn located(
    bytes: &[u8],
    cx: &Cx<'_, '_>,
    limits: Limits,
    prefix: &str,
    value_at: usize,
) -> Vec<DecodeError> {
    if cx.noted_total == 0 {
        return Vec::new();
    }
    let mut problems = locate::problems(bytes, &cx.noted, &limits, prefix, value_at);
    let more = cx.noted_total - cx.noted.len();
    if more > 0 {
        problems.push(DecodeError::other(
            DecodeErrorKind::Data,
            format!("{more} more values did not fit (not listed)"),
            "",
        ));
    }
    problems
}

/// What an object's members leave for the ones after them: the next key
/// to try first, the known keys seen, and the fields kept raw.
///
/// The raw fields gather in a plain `Vec` (empty ones allocate nothing;
/// they are rare) and move into the arena when the object ends.
#[derive(Default)]
pub(crate) struct Members<'a> {
    pub(crate) hint: usize,
    pub(crate) seen: u64,
    extra: Vec<(&'a str, RawJson<'a>)>,
    keys: Keys<'a>,
}

impl<'a> Members<'a> {
    /// Keeps `(key, raw)` among the object's raw fields (in a buffer from
    /// `cx`'s pool, so an object with unknown fields allocates nothing).
    #[inline]
    pub(crate) fn push(&mut self, cx: &mut Cx<'_, 'a>, key: &'a str, raw: RawJson<'a>) {
        if self.extra.capacity() == 0 {
            self.extra = cx.spare.pop().unwrap_or_default();
        }
        self.extra.push((key, raw));
    }

    /// A member whose key the object does not know: its value kept raw
    /// (and noted, if the key came before).
    #[cold]
    pub(crate) fn unknown<'i, P: Place<'i, 'a>>(
        &mut self,
        cx: &mut Cx<'i, 'a>,
        key: &'a str,
    ) -> Result<(), Fail> {
        let before = self.extra.iter().map(|(k, _)| *k);
        let raw = if self.keys.is_new(key, self.extra.len(), before) {
            cx.raw::<P>()?
        } else {
            cx.duplicate::<P>()?
        };
        self.push(cx, key, raw);
        Ok(())
    }

    /// The object's raw fields.
    pub(crate) fn finish(self, bump: &'a Bump) -> Extra<'a> {
        if self.extra.is_empty() {
            return Extra::default();
        }
        Extra::new(bump.alloc_slice_copy(&self.extra))
    }

    /// [`Members::finish`], handing the buffer back to `cx`'s pool.
    #[inline]
    pub(crate) fn finish_in(mut self, cx: &mut Cx<'_, 'a>) -> Extra<'a> {
        if self.extra.capacity() == 0 {
            return Extra::default();
        }
        let extra = Extra::new(cx.bump.alloc_slice_copy(&self.extra));
        self.extra.clear();
        cx.spare.push(std::mem::take(&mut self.extra));
        extra
    }
}
