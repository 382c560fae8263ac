//! Streaming decode: clips handed over one at a time from any [`io::Read`],
//! in memory bounded by the largest clip rather than the whole response.
//!
//! A byte scanner walks the top-level object, decodes the envelope fields
//! (`error`, `errorMsg`, `warningMsg`, unknown fields) as they come, and for
//! `splicedClips` cuts each element's bytes (string and escape aware) into a
//! reusable buffer and decodes it with the same code as [`crate::decode`].
//! Errors carry `splicedClips[i]...` paths and the line and column in the
//! whole input, exactly as [`crate::decode`] reports them for clip content.
//! Unlike [`crate::decode`], which keeps the last of a repeated key, a
//! repeated `splicedClips` is an error: the first list's clips are gone.
//!
//! The same walk can keep what it reads: [`StreamDecoder::decode_in`] (or
//! [`crate::arena::decode_reader_in`]) decodes each clip into an arena,
//! copying its text there, and returns the whole response.

use std::io::{self, Read};

use crate::clip::SplicedClip;
use crate::decode::{fast_or_serde, from_slice};
use crate::error::{DecodeError, DecodeErrorKind, position_after};
use crate::fast::{find_any, prefix};
use crate::owned::IntoOwned;
use crate::path::{clip as clip_path, push_key};
use crate::raw::{Extra, RawJson};
use crate::response::{ApiError, Response};
use crate::text::Str;

/// Depth limits below this turn the fast path off: it decodes objects up to
/// about 110 levels deep (its raw values stop at 100), which a lower limit
/// would refuse.
const FAST_DEPTH: usize = 128;

/// Read size and initial buffer capacity.
const CHUNK: usize = 64 * 1024;

/// The envelope of a streamed response: everything but the clips, complete
/// once the stream has been read to the end.
#[derive(Clone, Debug, Default, PartialEq)]
#[non_exhaustive]
pub struct Envelope {
    /// `true` when the call failed (see `error_msg`).
    pub error: Option<bool>,
    /// Why the call failed.
    pub error_msg: Option<Str<'static>>,
    /// A caveat on a successful answer.
    pub warning_msg: Option<Str<'static>>,
    /// Top-level fields this version does not know, as raw JSON.
    pub extra: Extra<'static>,
    /// Whether `splicedClips` was present and not `null`.
    pub has_clips: bool,
    /// How many `splicedClips` elements were handed over (decoded or not).
    pub clip_count: usize,
}

impl Envelope {
    /// Whether the server said the call failed (`"error": true`).
    pub fn is_error(&self) -> bool {
        self.error == Some(true)
    }

    /// `Err` when the body says `"error": true`.
    pub fn into_result(self) -> Result<Self, ApiError> {
        ApiError::check(self.error, self.error_msg.as_deref())?;
        Ok(self)
    }

    /// The whole response: this envelope with `clips` (which should be the
    /// clips streamed from it) as `splicedClips`.
    pub fn into_response<'a>(self, clips: Vec<SplicedClip<'a>>) -> Response<'a> {
        Response {
            error: self.error,
            error_msg: self.error_msg,
            spliced_clips: self.has_clips.then_some(clips),
            warning_msg: self.warning_msg,
            extra: self.extra,
        }
    }
}

/// How a stream decodes each clip: into the model ([`Model`]), or into an
/// arena (`arena::decode_reader_in`).
pub(crate) trait ClipDecode {
    /// A decoded clip; it may borrow the stream's buffer for `'b`.
    type Clip<'b>;
    /// Whether the stream goes on after a clip of the wrong shape, which
    /// must then still be JSON; if not, the clip's first error is the
    /// decode's, as [`crate::decode`] reports it.
    const TOLERANT: bool;
    /// The clip at the start of `text` and its length, when the fast path
    /// can decode it from the bytes buffered so far; `None` leaves it to
    /// [`ClipDecode::whole`], once the clip is buffered whole.
    fn prefix<'b>(&mut self, text: &'b str) -> Option<(Self::Clip<'b>, usize)>;
    /// The clip that is all of `bytes`, or the decoder's error.
    fn whole<'b>(&mut self, bytes: &'b [u8]) -> Result<Self::Clip<'b>, DecodeError>;
}

/// Clips as the model's [`SplicedClip`], borrowing the stream's buffer.
pub(crate) struct Model;

impl ClipDecode for Model {
    type Clip<'b> = SplicedClip<'b>;
    const TOLERANT: bool = true;

    fn prefix<'b>(&mut self, text: &'b str) -> Option<(SplicedClip<'b>, usize)> {
        prefix(text)
    }

    fn whole<'b>(&mut self, bytes: &'b [u8]) -> Result<SplicedClip<'b>, DecodeError> {
        fast_or_serde(bytes)
    }
}

/// The longest prefix of `bytes` that is whole UTF-8 characters (a window
/// may end inside one), as text; `None` if it is not UTF-8.
fn whole_chars(bytes: &[u8]) -> Option<&str> {
    match simdutf8::compat::from_utf8(bytes) {
        Ok(text) => Some(text),
        Err(e) => simdutf8::basic::from_utf8(&bytes[..e.valid_up_to()]).ok(),
    }
}

/// Where the top-level walk is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    /// Nothing read yet.
    Start,
    /// Inside the top-level object, before a key (`first`: no key read yet).
    Keys { first: bool },
    /// Just after `"splicedClips": [`.
    ClipsOpen,
    /// After a comma between clips: another clip must follow.
    ClipNext,
    /// A clip was handed over: `,` or `]` follows it.
    AfterClip,
    /// The object closed and only whitespace followed.
    Done,
    /// A fatal error was returned; nothing more will be read.
    Failed,
}

const DUPLICATE_CLIPS: &str =
    "duplicate field `splicedClips` (a stream cannot replace clips it already handed over)";

/// Decodes a response from a reader, one clip at a time.
///
/// ```
/// use rhombus_model::stream::StreamDecoder;
///
/// let body = br#"{"splicedClips": [{"duration": 5}, {"duration": "x"}], "warningMsg": "slow"}"#;
/// let mut durations = Vec::new();
/// let envelope = StreamDecoder::new(&body[..]).for_each_clip(|index, clip| match clip {
///     Ok(clip) => durations.push(clip.duration),
///     Err(e) => assert_eq!((index, e.path()), (1, "splicedClips[1].duration")),
/// })?;
/// assert_eq!(durations, [Some(5)]);
/// assert_eq!(envelope.warning_msg.as_deref(), Some("slow"));
/// # Ok::<(), rhombus_model::DecodeError>(())
/// ```
///
/// A clip of the wrong shape is reported on its own (`Err` with
/// [`DecodeErrorKind::Data`]) and the stream goes on, as in
/// [`crate::decode_tolerant`]; input that is not JSON, is truncated, or whose
/// envelope has the wrong shape ends the stream with an error.
///
/// Unlike [`crate::decode`], a second `splicedClips` key is an error: the
/// clips of the first were already handed over and cannot be replaced.
///
/// To keep every clip, in less memory than the input and its decoded tree
/// together, [`StreamDecoder::decode_in`] builds the whole response in an
/// arena as it reads.
pub struct StreamDecoder<R> {
    reader: R,
    buf: Vec<u8>,
    /// First byte not yet consumed.
    start: usize,
    /// End of the bytes read into `buf`.
    end: usize,
    eof: bool,
    /// Newlines before `buf[start]` in the whole input.
    newlines: usize,
    /// Bytes between the last newline and `buf[start]`.
    column: usize,
    state: State,
    /// Bytes of the clip last handed over, consumed on the next call.
    pending: usize,
    /// Length of the last clip (sizes the window the fast path tries).
    last_clip_len: usize,
    index: usize,
    envelope: Envelope,
    max_value_len: usize,
    max_depth: usize,
    /// The input's length, when the caller knows it (0: unknown); read by
    /// [`StreamDecoder::decode_in`].
    pub(crate) input_len: u64,
    /// Whether the clip decoder goes on after a bad clip
    /// ([`ClipDecode::TOLERANT`]).
    tolerant: bool,
}

impl<R: Read> StreamDecoder<R> {
    /// A decoder reading `reader` (no need to wrap it: it buffers itself).
    pub fn new(reader: R) -> Self {
        StreamDecoder {
            reader,
            buf: Vec::new(),
            start: 0,
            end: 0,
            eof: false,
            newlines: 0,
            column: 0,
            state: State::Start,
            pending: 0,
            last_clip_len: 0,
            index: 0,
            envelope: Envelope::default(),
            max_value_len: 256 << 20,
            max_depth: 1024,
            input_len: 0,
            tolerant: true,
        }
    }

    /// Largest single value (a clip, or an envelope field) accepted, in bytes
    /// (default 256 MiB). The decoder's memory is bounded by it.
    pub fn max_value_len(mut self, bytes: usize) -> Self {
        self.max_value_len = bytes.max(1);
        self
    }

    /// Deepest nesting the scanner follows inside a clip, counting objects in
    /// a clip (arrays in an array) (default 1024; deeper input is an error).
    pub fn max_depth(mut self, depth: usize) -> Self {
        self.max_depth = depth.max(1);
        self
    }

    /// The input's length in bytes, when known (a file's size, a
    /// `Content-Length`). [`StreamDecoder::decode_in`] sizes its clip list
    /// from it; a wrong value costs memory or time, never correctness.
    pub fn input_len(mut self, bytes: u64) -> Self {
        self.input_len = bytes;
        self
    }

    /// The next clip and its index in `splicedClips`: `Ok(None)` once the
    /// document is done (the envelope is then complete). The clip borrows
    /// from the decoder's buffer. An outer `Err` is fatal.
    ///
    /// [`StreamDecoder::for_each_clip`], [`StreamDecoder::try_for_each_clip`]
    /// and [`StreamDecoder::into_clips`] are faster: they decode a clip
    /// straight from the buffer, where this finds its end first.
    #[allow(clippy::type_complexity)]
    pub fn next_clip(
        &mut self,
    ) -> Result<Option<(usize, Result<SplicedClip<'_>, DecodeError>)>, DecodeError> {
        let Some(index) = self.begin_clip()? else {
            return Ok(None);
        };
        self.cut_and_decode(&mut Model, index)
            .map(|clip| Some((index, clip)))
    }

    /// Walks to the next clip; its index, or `None` once the document is done.
    fn begin_clip(&mut self) -> Result<Option<usize>, DecodeError> {
        match self.advance() {
            Ok(true) => Ok(Some(self.index)),
            Ok(false) => Ok(None),
            Err(e) => {
                self.state = State::Failed;
                Err(e)
            }
        }
    }

    /// Hands over the `len` bytes of the clip at `start` (consumed on the
    /// next call).
    fn took_clip(&mut self, len: usize) {
        self.pending = len;
        self.last_clip_len = len;
        self.state = State::AfterClip;
        self.index += 1;
        self.envelope.clip_count = self.index;
    }

    /// Buffers the clip at `start` whole, then decodes it. The outer `Err`
    /// is fatal; the inner one is this clip's alone.
    #[allow(clippy::type_complexity)]
    fn cut_and_decode<D: ClipDecode>(
        &mut self,
        decode: &mut D,
        index: usize,
    ) -> Result<Result<D::Clip<'_>, DecodeError>, DecodeError> {
        let (a, b) = match self.cut_clip() {
            Ok(range) => range,
            Err(e) => {
                self.state = State::Failed;
                return Err(e);
            }
        };
        let (newlines, column) = (self.newlines, self.column);
        let bytes = &self.buf[a..b];
        let e = match decode.whole(bytes) {
            Ok(clip) => return Ok(Ok(clip)),
            Err(e) => self.cut_short(e, a, b),
        };
        // The decoder stops at a clip's first wrong type; bytes after it may
        // not be JSON at all (or not UTF-8), and then the document is not.
        // Capturing the clip as raw JSON checks both, as leniently as unknown
        // fields are read.
        let e = match e.kind() {
            DecodeErrorKind::Data if self.tolerant => {
                from_slice::<RawJson<'_>>(bytes).err().unwrap_or(e)
            }
            _ => e,
        };
        let e = e.shifted(&clip_path(index), newlines, column);
        if e.kind() == DecodeErrorKind::Data {
            Ok(Err(e))
        } else {
            self.state = State::Failed;
            Err(e)
        }
    }

    /// Calls `f` with each clip in order, then returns the envelope.
    pub fn for_each_clip<F>(self, mut f: F) -> Result<Envelope, DecodeError>
    where
        F: FnMut(usize, Result<SplicedClip<'_>, DecodeError>),
    {
        self.try_for_each_clip(|index, clip| {
            f(index, clip);
            Ok::<(), DecodeError>(())
        })
    }

    /// Like [`StreamDecoder::for_each_clip`], stopping at the first `Err` that
    /// `f` returns (a closed pipe, or a strict caller's first bad clip).
    pub fn try_for_each_clip<E, F>(self, f: F) -> Result<Envelope, E>
    where
        E: From<DecodeError>,
        F: FnMut(usize, Result<SplicedClip<'_>, DecodeError>) -> Result<(), E>,
    {
        self.try_for_each_clip_as(Model, f)
    }

    /// [`StreamDecoder::try_for_each_clip`], each clip decoded by `decode`.
    pub(crate) fn try_for_each_clip_as<D, E, F>(
        mut self,
        mut decode: D,
        mut f: F,
    ) -> Result<Envelope, E>
    where
        D: ClipDecode,
        E: From<DecodeError>,
        F: FnMut(usize, Result<D::Clip<'_>, DecodeError>) -> Result<(), E>,
    {
        self.tolerant = D::TOLERANT;
        while let Some(result) = self.with_next_clip(&mut decode, &mut f)? {
            result?;
        }
        Ok(self.envelope)
    }

    /// Decodes the next clip and hands it to `f`; `None` once the document
    /// is done. The outer `Err` is fatal.
    ///
    /// The clip is usually buffered whole already: decoding it straight from
    /// the buffer finds its end too, without a separate scan. That takes a
    /// callback rather than returning the clip (as `next_clip` does, which
    /// always scans first): a clip borrowed on one branch while the buffer is
    /// refilled on the other does not borrow-check in a function returning it.
    fn with_next_clip<D: ClipDecode, T>(
        &mut self,
        decode: &mut D,
        f: impl FnOnce(usize, Result<D::Clip<'_>, DecodeError>) -> T,
    ) -> Result<Option<T>, DecodeError> {
        let Some(index) = self.begin_clip()? else {
            return Ok(None);
        };
        // The window never holds more than the size limit, and the fast path
        // nests less deep than the default limit (`FAST_DEPTH`), so it never
        // takes a clip the scanner would refuse.
        let window = (2 * self.last_clip_len + 1024).min(self.max_value_len);
        let window = self.end.min(self.start + window);
        let text = (self.max_depth >= FAST_DEPTH)
            .then(|| whole_chars(&self.buf[self.start..window]))
            .flatten();
        // `f` runs inside this statement, so the clip and its borrow of the
        // buffer end with it; `f` cannot keep the clip (its lifetime is
        // `f`'s own), and the buffer is free again for the bookkeeping.
        let fast = match text.and_then(|text| decode.prefix(text)) {
            Some((clip, len)) => Ok((f(index, Ok(clip)), len)),
            None => Err(f),
        };
        match fast {
            Ok((out, len)) => {
                self.took_clip(len);
                Ok(Some(out))
            }
            Err(f) => {
                let clip = self.cut_and_decode(decode, index)?;
                Ok(Some(f(index, clip)))
            }
        }
    }

    /// Reads to the end, skipping the clips not taken yet without decoding
    /// them, and returns the envelope.
    pub fn finish(mut self) -> Result<Envelope, DecodeError> {
        while self.advance()? {
            self.cut_clip()?;
        }
        Ok(self.envelope)
    }

    /// An iterator of owned clips; see [`OwnedClips`].
    pub fn into_clips(self) -> OwnedClips<R> {
        OwnedClips {
            decoder: Some(self),
            envelope: None,
        }
    }

    /// Walks until the next clip starts at `start` (`true`; the caller then
    /// takes it, which sets `pending`) or the document ends (`false`; the
    /// envelope is complete).
    fn advance(&mut self) -> Result<bool, DecodeError> {
        if self.pending > 0 {
            self.consume(self.pending);
            self.pending = 0;
        }
        loop {
            match self.state {
                State::Failed => {
                    return Err(DecodeError::other(
                        DecodeErrorKind::Syntax,
                        "the stream already failed",
                        "",
                    ));
                }
                State::Done => return Ok(false),
                State::Start => match self.peek()? {
                    Some(b'{') => {
                        self.consume(1);
                        self.state = State::Keys { first: true };
                    }
                    Some(_) => {
                        // Not an object: the decoder says what is wrong with it.
                        let (a, b) = self.cut_value()?;
                        let err = self.decode_at::<Response<'_>>(a, b, "").err();
                        return Err(err.unwrap_or_else(|| {
                            self.error_here(DecodeErrorKind::Data, "expected an object")
                        }));
                    }
                    None => return Err(self.eof_error("EOF while parsing a value")),
                },
                State::Keys { first } => {
                    match self.peek()? {
                        Some(b'"') => {}
                        Some(b'}') if first => {
                            self.consume(1);
                            self.finish_document()?;
                            continue;
                        }
                        Some(b'}') => return Err(self.syntax_here("trailing comma")),
                        Some(_) => return Err(self.syntax_here("key must be a string")),
                        None => return Err(self.eof_error("EOF while parsing an object")),
                    }
                    if self.member()? {
                        self.state = State::ClipsOpen;
                    } else {
                        self.after_member()?;
                    }
                }
                State::ClipsOpen | State::ClipNext => match self.peek()? {
                    Some(b']') if self.state == State::ClipsOpen => {
                        self.consume(1);
                        self.after_member()?;
                    }
                    Some(b']') => return Err(self.syntax_here("trailing comma")),
                    Some(_) => return Ok(true),
                    None if self.state == State::ClipsOpen => {
                        return Err(self.eof_error("EOF while parsing a list"));
                    }
                    None => return Err(self.eof_error("EOF while parsing a value")),
                },
                State::AfterClip => match self.peek()? {
                    Some(b',') => {
                        self.consume(1);
                        self.state = State::ClipNext;
                    }
                    Some(b']') => {
                        self.consume(1);
                        self.after_member()?;
                    }
                    Some(_) => return Err(self.syntax_here("expected `,` or `]`")),
                    None => return Err(self.eof_error("EOF while parsing a list")),
                },
            }
        }
    }

    /// Reads one `"key": value` member of the envelope. Returns `true` when it
    /// opened the `splicedClips` array (the `[` is consumed).
    fn member(&mut self) -> Result<bool, DecodeError> {
        let (a, b) = self.cut_value()?;
        let key: Str<'static> = self.decode_at::<Str<'_>>(a, b, "")?.into_owned();
        self.consume(b - a);
        match self.peek()? {
            Some(b':') => self.consume(1),
            Some(_) => return Err(self.syntax_here("expected `:`")),
            None => return Err(self.eof_error("EOF while parsing an object")),
        }
        let Some(first) = self.peek()? else {
            return Err(self.eof_error("EOF while parsing a value"));
        };
        if key.as_str() == "splicedClips" && first == b'[' {
            if self.envelope.has_clips {
                return Err(self.error_here(DecodeErrorKind::Data, DUPLICATE_CLIPS));
            }
            self.envelope.has_clips = true;
            self.consume(1);
            return Ok(true);
        }
        let mut path = String::new();
        push_key(&mut path, &key);
        let (a, b) = self.cut_value()?;
        match key.as_str() {
            "error" => self.envelope.error = self.decode_at(a, b, &path)?,
            "errorMsg" => {
                self.envelope.error_msg =
                    self.decode_at::<Option<Str<'_>>>(a, b, &path)?.into_owned();
            }
            "warningMsg" => {
                self.envelope.warning_msg =
                    self.decode_at::<Option<Str<'_>>>(a, b, &path)?.into_owned();
            }
            "splicedClips" => {
                // Not an array: `null` is fine, anything else is the decoder's error.
                let clips = self.decode_at::<Option<Vec<SplicedClip<'_>>>>(a, b, &path)?;
                if clips.is_some() || self.envelope.has_clips {
                    return Err(self.error_here(DecodeErrorKind::Data, DUPLICATE_CLIPS));
                }
            }
            _ => {
                let raw = self.decode_at::<RawJson<'_>>(a, b, &path)?.into_owned();
                self.envelope.extra.push(key, raw);
            }
        }
        self.consume(b - a);
        Ok(false)
    }

    /// After a member of the top-level object: `,` (another key) or `}`.
    fn after_member(&mut self) -> Result<(), DecodeError> {
        match self.peek()? {
            Some(b',') => {
                self.consume(1);
                self.state = State::Keys { first: false };
                Ok(())
            }
            Some(b'}') => {
                self.consume(1);
                self.finish_document()
            }
            Some(_) => Err(self.syntax_here("expected `,` or `}`")),
            None => Err(self.eof_error("EOF while parsing an object")),
        }
    }

    /// After the closing `}`: only whitespace may follow.
    fn finish_document(&mut self) -> Result<(), DecodeError> {
        match self.peek()? {
            None => {
                self.state = State::Done;
                Ok(())
            }
            Some(_) => Err(self.syntax_here("trailing characters")),
        }
    }

    /// Decodes `buf[a..b]` (which starts at `start`), placing errors under
    /// `path` at their position in the whole input.
    fn decode_at<'s, T: serde::Deserialize<'s>>(
        &'s self,
        a: usize,
        b: usize,
        path: &str,
    ) -> Result<T, DecodeError> {
        from_slice(&self.buf[a..b]).map_err(|e| {
            self.cut_short(e, a, b)
                .shifted(path, self.newlines, self.column)
        })
    }

    /// The decoder's error `e` on the value `buf[a..b]`, as the
    /// whole-input decoder reports it: an end of input inside a scalar the
    /// scanner cut at a delimiter (`tru}`, `1.,`, `- `, or no scalar at all
    /// before it) is that delimiter's syntax error.
    fn cut_short(&self, e: DecodeError, a: usize, b: usize) -> DecodeError {
        if !(e.is_eof() && b < self.end) {
            return e;
        }
        let message = match self.buf[a..b].first() {
            // Not a scalar: the scanner and the decoder agree on where
            // strings and brackets end, so the decoder's error stands.
            Some(b'{' | b'[' | b'"') => return e,
            Some(b't' | b'f' | b'n') => "expected ident",
            Some(_) => "invalid number",
            None => "expected value",
        };
        // serde_json reports the position after the byte it rejected: for
        // a newline, the start of the next line.
        let (line, column) = match self.buf[b] {
            b'\n' => (2, 0),
            _ => (1, b - a + 1),
        };
        DecodeError::at(DecodeErrorKind::Syntax, message, line, column)
    }

    /// Buffers the whole clip at `start` and hands over its range in `buf`.
    fn cut_clip(&mut self) -> Result<(usize, usize), DecodeError> {
        let (a, b) = self.cut_value()?;
        self.took_clip(b - a);
        Ok((a, b))
    }

    /// Skips whitespace and returns the next byte without consuming it.
    fn peek(&mut self) -> Result<Option<u8>, DecodeError> {
        loop {
            let ws = self.buf[self.start..self.end]
                .iter()
                .position(|b| !matches!(b, b' ' | b'\n' | b'\r' | b'\t'));
            match ws {
                Some(i) => {
                    self.consume(i);
                    return Ok(Some(self.buf[self.start]));
                }
                None => {
                    self.consume(self.end - self.start);
                    if !self.fill()? {
                        return Ok(None);
                    }
                }
            }
        }
    }

    /// Finds the end of the JSON value at `start` (reading more as needed)
    /// without consuming it; returns its range in `buf`.
    fn cut_value(&mut self) -> Result<(usize, usize), DecodeError> {
        let first = self.buf[self.start];
        let len = match first {
            b'{' | b'[' => self.cut_nested(first)?,
            b'"' => self.skip_string(1)?,
            _ => self.cut_scalar()?,
        };
        // `fill` stops reading at the limit; a value that came in fewer
        // reads than that took is measured here.
        if len > self.max_value_len {
            return Err(self.over_limit());
        }
        Ok((self.start, self.start + len))
    }

    /// The error for a value longer than `max_value_len`, at its start.
    fn over_limit(&self) -> DecodeError {
        self.error_here(
            DecodeErrorKind::Data,
            &format!(
                "value larger than the streaming limit of {} bytes",
                self.max_value_len
            ),
        )
    }

    /// An object or array: counts its own kind of bracket outside strings
    /// (the other kind balances inside valid JSON; the decoder rejects the rest).
    fn cut_nested(&mut self, open: u8) -> Result<usize, DecodeError> {
        let close = if open == b'{' { b'}' } else { b']' };
        let mut depth = 0usize;
        let mut off = 0;
        loop {
            let hay = &self.buf[self.start + off..self.end];
            match find_any(hay, [b'"', open, close]) {
                None => {
                    off = self.end - self.start;
                    if !self.fill()? {
                        return Err(self.eof_in_value("EOF while parsing a value"));
                    }
                }
                Some(i) => {
                    let c = hay[i];
                    off += i + 1;
                    if c == b'"' {
                        off = self.skip_string(off)?;
                    } else if c == open {
                        depth += 1;
                        if depth > self.max_depth {
                            return Err(self.error_in_value(
                                DecodeErrorKind::Syntax,
                                off - 1,
                                "recursion limit exceeded",
                            ));
                        }
                    } else {
                        depth -= 1;
                        if depth == 0 {
                            return Ok(off);
                        }
                    }
                }
            }
        }
    }

    /// A string whose body starts `off` bytes after `start`; returns the
    /// offset just past its closing quote.
    fn skip_string(&mut self, mut off: usize) -> Result<usize, DecodeError> {
        loop {
            if self.start + off >= self.end {
                if !self.fill()? {
                    return Err(self.eof_in_value("EOF while parsing a string"));
                }
                continue;
            }
            let hay = &self.buf[self.start + off..self.end];
            match find_any(hay, [b'"', b'\\']) {
                Some(i) if hay[i] == b'"' => return Ok(off + i + 1),
                // An escape. `\u` takes the four bytes after it, whatever
                // they are, as serde_json reads it: a quote among them (`\u1"`)
                // does not end the string there, for the decoder either.
                Some(i) => match hay.get(i + 1) {
                    Some(b'u') => off += i + 6,
                    Some(_) => off += i + 2,
                    None => {
                        // Which escape it is comes with the next read.
                        off += i;
                        if !self.fill()? {
                            return Err(self.eof_in_value("EOF while parsing a string"));
                        }
                    }
                },
                None => off = self.end - self.start,
            }
        }
    }

    /// A number or literal: runs to the next delimiter or the end of input.
    fn cut_scalar(&mut self) -> Result<usize, DecodeError> {
        let mut off = 0;
        loop {
            let hay = &self.buf[self.start + off..self.end];
            let stop = hay
                .iter()
                .position(|b| matches!(b, b',' | b']' | b'}' | b' ' | b'\n' | b'\r' | b'\t'));
            match stop {
                Some(i) => return Ok(off + i),
                None => {
                    off = self.end - self.start;
                    if !self.fill()? {
                        return Ok(off);
                    }
                }
            }
        }
    }

    /// Reads more input after `end`, keeping `buf[start..end]`; `false` at EOF.
    fn fill(&mut self) -> Result<bool, DecodeError> {
        if self.eof {
            return Ok(false);
        }
        let kept = self.end - self.start;
        if self.start > 0 && (self.end == self.buf.len() || self.start >= self.buf.len() / 2) {
            self.buf.copy_within(self.start..self.end, 0);
            self.start = 0;
            self.end = kept;
        }
        if self.end == self.buf.len() {
            if kept >= self.max_value_len {
                return Err(self.over_limit());
            }
            let grown = (self.buf.len() * 2).clamp(CHUNK, self.max_value_len.saturating_add(CHUNK));
            self.buf.resize(grown, 0);
        }
        loop {
            match self.reader.read(&mut self.buf[self.end..]) {
                Ok(0) => {
                    self.eof = true;
                    return Ok(false);
                }
                Ok(n) => {
                    self.end += n;
                    return Ok(true);
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => {
                    let message = format!("read failed: {e}");
                    return Err(if self.state == State::Start {
                        DecodeError::other(DecodeErrorKind::Io, message, "")
                    } else {
                        self.error_here(DecodeErrorKind::Io, &message)
                    });
                }
            }
        }
    }

    /// Marks `n` bytes at `start` as consumed, keeping the line count.
    fn consume(&mut self, n: usize) {
        let bytes = &self.buf[self.start..self.start + n];
        (self.newlines, self.column) = position_after((self.newlines, self.column), bytes);
        self.start += n;
    }

    /// A syntax error at the byte at `start`.
    fn syntax_here(&self, message: &str) -> DecodeError {
        self.error_here(DecodeErrorKind::Syntax, message)
    }

    /// An error at the byte at `start` (serde_json counts its column 1-based).
    fn error_here(&self, kind: DecodeErrorKind, message: &str) -> DecodeError {
        let e = DecodeError::at(kind, message, 1, 1);
        e.shifted(&self.path_here(), self.newlines, self.column)
    }

    /// An error at the end of the input.
    fn eof_error(&self, message: &str) -> DecodeError {
        let e = DecodeError::at(DecodeErrorKind::Eof, message, 1, 0);
        e.shifted(&self.path_here(), self.newlines, self.column)
    }

    /// The input ended inside the value at `start`: the decoder's own error
    /// on the bytes read so far (what [`crate::decode`] reports) when it has one.
    fn eof_in_value(&self, message: &str) -> DecodeError {
        let bytes = &self.buf[self.start..self.end];
        let in_clip = matches!(self.state, State::ClipsOpen | State::ClipNext);
        let decoded = match from_slice::<SplicedClip<'_>>(bytes) {
            // The clip's own error has the deeper path. A wrong type before
            // the cut is not the problem here when the stream would go on
            // after it, so then ask for syntax only; a strict decode stops
            // at it, as `crate::decode` does.
            Err(e) if in_clip && (e.kind() != DecodeErrorKind::Data || !self.tolerant) => Err(e),
            _ => from_slice::<serde::de::IgnoredAny>(bytes).map(|_| ()),
        };
        match decoded {
            Err(e) if e.kind() != DecodeErrorKind::Data || !self.tolerant => {
                e.shifted(&self.path_here(), self.newlines, self.column)
            }
            _ => self.error_in_value(DecodeErrorKind::Eof, bytes.len(), message),
        }
    }

    /// An error at the byte `off` bytes into the value at `start` (for
    /// [`DecodeErrorKind::Eof`], just before it, as serde_json counts).
    fn error_in_value(&self, kind: DecodeErrorKind, off: usize, message: &str) -> DecodeError {
        let before = &self.buf[self.start..self.start + off];
        let (newlines, column) = position_after((self.newlines, self.column), before);
        let first_column = usize::from(kind != DecodeErrorKind::Eof);
        DecodeError::at(kind, message, 1, first_column).shifted(&self.path_here(), newlines, column)
    }

    /// The JSON path of the value at `start`, as far as the walk knows it.
    fn path_here(&self) -> String {
        match self.state {
            State::ClipNext | State::ClipsOpen => clip_path(self.index),
            State::AfterClip => "splicedClips".to_owned(),
            _ => String::new(),
        }
    }
}

/// The clips of a stream as owned values, for callers that keep them or
/// want an `Iterator`.
///
/// A clip of the wrong shape is an `Err` item ([`DecodeErrorKind::Data`]) and
/// iteration goes on; any other error is the last item. After `None`,
/// [`OwnedClips::envelope`] holds the rest of the response.
pub struct OwnedClips<R> {
    decoder: Option<StreamDecoder<R>>,
    envelope: Option<Envelope>,
}

impl<R> OwnedClips<R> {
    /// The envelope, once the iterator has returned `None`.
    pub fn envelope(&self) -> Option<&Envelope> {
        self.envelope.as_ref()
    }
}

impl<R: Read> Iterator for OwnedClips<R> {
    type Item = Result<SplicedClip<'static>, DecodeError>;

    fn next(&mut self) -> Option<Self::Item> {
        let decoder = self.decoder.as_mut()?;
        match decoder.with_next_clip(&mut Model, |_, clip| clip.map(IntoOwned::into_owned)) {
            Ok(Some(clip)) => Some(clip),
            Ok(None) => {
                self.envelope = self.decoder.take().map(|d| d.envelope);
                None
            }
            Err(e) => {
                self.decoder = None;
                Some(Err(e))
            }
        }
    }
}

impl<R: Read> std::iter::FusedIterator for OwnedClips<R> {}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decode::{decode, decode_tolerant};

    /// A reader handing out at most `chunk` bytes per call.
    struct Chunked<'a> {
        data: &'a [u8],
        chunk: usize,
    }

    impl Read for Chunked<'_> {
        fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
            let n = self.chunk.min(out.len()).min(self.data.len());
            out[..n].copy_from_slice(&self.data[..n]);
            self.data = &self.data[n..];
            Ok(n)
        }
    }

    type Streamed = (Response<'static>, Vec<(usize, DecodeError)>);

    /// Streams `input` in `chunk`-byte reads into a whole response plus the
    /// clips that failed.
    fn stream(input: &[u8], chunk: usize) -> Result<Streamed, DecodeError> {
        let mut clips = Vec::new();
        let mut failures = Vec::new();
        let envelope =
            StreamDecoder::new(Chunked { data: input, chunk }).for_each_clip(|index, clip| {
                match clip {
                    Ok(clip) => clips.push(clip.into_owned()),
                    Err(e) => failures.push((index, e)),
                }
            })?;
        assert_eq!(envelope.clip_count, clips.len() + failures.len());
        Ok((envelope.into_response(clips), failures))
    }

    /// The stream agrees with `decode_tolerant` (and so with `decode` on
    /// clean input) for every read size.
    fn assert_same(input: &[u8]) {
        let expected = decode_tolerant(input).map(|t| {
            let failures: Vec<_> = t.failures.into_iter().map(|f| (f.index, f.error)).collect();
            (t.response.into_owned(), failures)
        });
        for chunk in [1, 2, 3, 7, 64, 1 << 20] {
            let got = stream(input, chunk);
            match (&expected, &got) {
                (Ok(e), Ok(g)) => assert_eq!(e, g, "chunk {chunk}"),
                (Err(e), Err(g)) => assert_eq!(e.kind(), g.kind(), "chunk {chunk}: {e} / {g}"),
                _ => panic!(
                    "chunk {chunk}: decode_tolerant {:?} but stream {:?} on {}",
                    expected.as_ref().err(),
                    got.as_ref().err(),
                    String::from_utf8_lossy(input)
                ),
            }
        }
    }

    const CLIP: &str = r#"{"clipUuid":"AAAAAAAAAAAAAAAAAAAAAA","title":"a \"quoted\" {[brace]} \\ title \u00e9\ud83d\udcf9","status":"QUEUED","duration":12,"deviceMap":{"AAAAAAAAAAAAAAAAAAAAAA.v0":{"region":"us","segmentsUploaded":1,"totalSegments":4}},"deviceUuidToAlteredViewMap":{"A.v0":[{"crop":{"x":1,"y":2,"width":3,"height":4},"dewarp":{"pitchDegrees":-1.5e2,"rollDegrees":0,"yawDegrees":1E-3}}],"B.v0":null},"thumbnailRelativeSecond":2.5,"parentClipUuid":"BBBBBBBBBBBBBBBBBBBBBB","pendingConsumers":[{"x":"]"},[]]}"#;

    #[test]
    fn a_wrong_type_does_not_hide_malformed_json_after_it() {
        // Found by the decode_stream fuzz target: `[1:2]` fails as a clip
        // (a sequence) before the decoder reaches the `:`.
        for body in [
            &br#"{"splicedClips":[[1:2]]}"#[..],
            br#"{"splicedClips":[{"status":[1,"x":1},{}]}"#,
            b"{\"splicedClips\":[{\"clipUuid\":1,\"x\":\"\xb0\"}]}",
        ] {
            let err = stream(body, 3).expect_err("not JSON");
            assert_eq!(err.kind(), DecodeErrorKind::Syntax, "{err}");
            assert_same(body);
        }
    }

    #[test]
    fn matches_decode_on_clean_input() {
        let body = format!(
            r#"{{"error":false,"x-first":[1,{{"a":"}}"}}],"splicedClips":[{CLIP},{CLIP},{{}}],"warningMsg":"late","errorMsg":null,"tail":{{"k":[true,null]}}}}"#
        );
        assert_same(body.as_bytes());
        let (response, failures) = stream(body.as_bytes(), 5).expect("streams");
        assert!(failures.is_empty());
        assert_eq!(
            response,
            decode(body.as_bytes()).expect("decodes").into_owned()
        );
        assert_eq!(response.clips().len(), 3);
        assert_eq!(response.extra.len(), 2);
    }

    #[test]
    fn whitespace_variety_and_pretty_printing() {
        let pretty = serde_json::to_string_pretty(
            &serde_json::from_str::<serde_json::Value>(&format!(
                r#"{{"splicedClips":[{CLIP},{CLIP}],"error":false}}"#
            ))
            .expect("valid"),
        )
        .expect("prints");
        assert_same(pretty.as_bytes());
        assert_same(pretty.replace('\n', "\r\n").as_bytes());
        assert_same(b" \t\r\n{ \"splicedClips\" \n:\t[ {} ,\n{ } ] , \"error\" : true } \n");
        assert_same(b"{}");
        assert_same(b"{\"splicedClips\":[]}");
        assert_same(b"{\"splicedClips\":null,\"warningMsg\":\"w\"}");
    }

    #[test]
    fn bad_clips_are_reported_with_whole_input_positions() {
        let body = format!(
            "{{\"splicedClips\": [\n  {CLIP},\n  {{\"duration\": \"five\"}},\n  {{\"deviceMap\": {{\"X.v0\": {{\"totalSegments\": 1e99}}}}}},\n  null, 7\n]}}"
        );
        assert_same(body.as_bytes());
        let (response, failures) = stream(body.as_bytes(), 3).expect("streams");
        assert_eq!(response.clips().len(), 1);
        let indices: Vec<usize> = failures.iter().map(|(i, _)| *i).collect();
        assert_eq!(indices, [1, 2, 3, 4]);
        assert_eq!(failures[0].1.path(), "splicedClips[1].duration");
        assert_eq!(failures[0].1.line(), 3);
        assert_eq!(
            failures[1].1.path(),
            r#"splicedClips[2].deviceMap["X.v0"].totalSegments"#
        );
        // The same error, position included, as the strict whole-input decode.
        let strict = decode(body.as_bytes()).expect_err("clip 1 is bad");
        assert_eq!(strict, failures[0].1);
    }

    #[test]
    fn every_truncation_fails_cleanly() {
        let body = format!(r#"{{"error":false,"splicedClips":[{CLIP},{CLIP}],"warningMsg":"w"}}"#);
        for cut in 0..body.len() {
            let input = &body.as_bytes()[..cut];
            let err = stream(input, 4).expect_err("truncated input is an error");
            assert!(
                err.is_eof() || err.message() == "invalid number",
                "cut {cut}: {err}"
            );
            assert_same(input);
        }
    }

    #[test]
    fn garbage_and_wrong_shapes_fail_without_panicking() {
        for input in [
            &b"nul"[..],
            b"[]",
            b"\"x\"",
            b"{\"splicedClips\":{}}",
            b"{\"splicedClips\":[1,]}",
            b"{\"splicedClips\":[{}}",
            b"{\"splicedClips\":[{}] \"error\":true}",
            b"{\"error\":\"yes\"}",
            b"{\"error\" true}",
            b"{,}",
            b"{\"a\":1,}",
            b"{\"a\":1} x",
            b"{\"a\":tru}",
            b"{\"splicedClips\":[{\"title\":\"\xff\"}]}",
            b"\xef\xbb\xbf{}",
            b"{\"splicedClips\":[{\"a\":[}]}",
            b"{\"splicedClips\":[]]}",
        ] {
            assert_same(input);
        }
        let err = stream(b"{\"error\":\"yes\"}", 1).expect_err("wrong type");
        assert_eq!((err.path(), err.line(), err.column()), ("error", 1, 14));
        let mut x = 0x2545_F491_4F6C_DD1Du64;
        for _ in 0..300 {
            let len = (x % 40) as usize;
            let bytes: Vec<u8> = (0..len)
                .map(|_| {
                    x ^= x << 13;
                    x ^= x >> 7;
                    x ^= x << 17;
                    b"{}[]\",:0a\\ n"[(x % 12) as usize]
                })
                .collect();
            let _ = stream(&bytes, 3);
        }
    }

    #[test]
    fn deep_nesting_is_followed_up_to_the_limit() {
        let deep = |depth: usize| {
            format!(
                r#"{{"splicedClips":[{{"deep":[{}0{}]}}]}}"#,
                r#"{"a":"#.repeat(depth),
                "}".repeat(depth)
            )
        };
        assert_same(deep(200).as_bytes());
        // Past the scanner's limit the stream refuses what `decode` would keep.
        let err = stream(deep(1100).as_bytes(), 1 << 20).expect_err("too deep");
        assert_eq!(err.message(), "recursion limit exceeded");
        assert_eq!(
            (err.path(), err.column()),
            ("splicedClips[0]", 17 + 9 + 1023 * 5 + 1)
        );
        let ok = StreamDecoder::new(deep(1100).as_bytes())
            .max_depth(2000)
            .for_each_clip(|_, clip| assert!(clip.is_ok()));
        assert!(ok.is_ok());
    }

    #[test]
    fn the_depth_limit_holds_for_clips_the_fast_path_could_take() {
        // CLIP nests objects 4 deep; the second clip 6.
        let deep = r#"{"x":[{"a":{"b":{"c":{"d":{}}}}}]}"#;
        let body = format!(r#"{{"splicedClips":[{CLIP},{deep},{CLIP}]}}"#);
        assert_same(body.as_bytes());
        let err = StreamDecoder::new(body.as_bytes())
            .max_depth(4)
            .for_each_clip(|_, _| {})
            .expect_err("too deep");
        assert_eq!(err.message(), "recursion limit exceeded");
        assert_eq!(err.path(), "splicedClips[1]");
    }

    #[test]
    fn huge_clip_is_buffered_whole_unless_over_the_limit() {
        let title = "x".repeat(3 << 20);
        let body = format!(r#"{{"splicedClips":[{{"title":"{title}"}},{CLIP}]}}"#);
        assert_same(body.as_bytes());
        let err = StreamDecoder::new(body.as_bytes())
            .max_value_len(1 << 20)
            .for_each_clip(|_, _| {})
            .expect_err("over the limit");
        assert_eq!(err.kind(), DecodeErrorKind::Data);
        assert_eq!(err.path(), "splicedClips[0]");
    }

    #[test]
    fn the_size_limit_holds_for_values_read_in_one_go() {
        // Each value arrives in a single read, well inside the buffer.
        let clip = format!(r#"{{"title":"{}"}}"#, "x".repeat(1000));
        for (body, path) in [
            (
                format!(r#"{{"splicedClips":[{{}},{clip}]}}"#),
                "splicedClips[1]",
            ),
            // (The scanner names no path in the envelope.)
            (
                format!(
                    r#"{{"warningMsg":"{}","splicedClips":[]}}"#,
                    "w".repeat(1000)
                ),
                "",
            ),
        ] {
            let err = StreamDecoder::new(body.as_bytes())
                .max_value_len(200)
                .for_each_clip(|_, _| {})
                .expect_err("over the limit");
            assert_eq!((err.kind(), err.path()), (DecodeErrorKind::Data, path));
            assert!(err.message().contains("limit of 200 bytes"), "{err}");
            // At the limit exactly it is accepted.
            let len = if path.is_empty() { 1002 } else { clip.len() };
            StreamDecoder::new(body.as_bytes())
                .max_value_len(len)
                .for_each_clip(|_, c| assert!(c.is_ok()))
                .expect("at the limit");
        }
    }

    #[test]
    fn duplicate_clip_arrays_are_refused() {
        let err = stream(br#"{"splicedClips":[{}],"splicedClips":[]}"#, 8).expect_err("dup");
        assert_eq!(err.kind(), DecodeErrorKind::Data);
        assert_same(br#"{"splicedClips":null,"splicedClips":[{}]}"#);
    }

    #[test]
    fn owned_iterator_and_envelope() {
        let body = format!(
            r#"{{"error":true,"errorMsg":"no","splicedClips":[{CLIP},{{"duration":"x"}},{CLIP}]}}"#
        );
        let mut clips = StreamDecoder::new(body.as_bytes()).into_clips();
        let results: Vec<_> = clips.by_ref().collect();
        assert_eq!(results.len(), 3);
        assert!(results[0].is_ok() && results[1].is_err() && results[2].is_ok());
        let envelope = clips.envelope().cloned().expect("done");
        assert_eq!(envelope.clip_count, 3);
        assert_eq!(
            envelope
                .into_result()
                .expect_err("error: true")
                .message
                .as_deref(),
            Some("no")
        );
        // A fatal error is the last item.
        let mut broken = StreamDecoder::new(&b"{\"splicedClips\":[{},{"[..]).into_clips();
        assert!(broken.next().is_some_and(|c| c.is_ok()));
        assert!(broken.next().is_some_and(|c| c.is_err_and(|e| e.is_eof())));
        assert!(broken.next().is_none());
        assert!(broken.envelope().is_none());
    }

    #[test]
    fn finish_skips_clips_and_reads_the_envelope() {
        let body = format!(r#"{{"splicedClips":[{CLIP},{CLIP}],"warningMsg":"w"}}"#);
        let mut decoder = StreamDecoder::new(body.as_bytes());
        let first = decoder
            .next_clip()
            .expect("ok")
            .map(|(i, c)| (i, c.is_ok()));
        assert_eq!(first, Some((0, true)));
        let envelope = decoder.finish().expect("finishes");
        assert_eq!(envelope.clip_count, 2);
        assert_eq!(envelope.warning_msg.as_deref(), Some("w"));
    }

    #[test]
    fn read_errors_are_io_errors() {
        struct Failing;
        impl Read for Failing {
            fn read(&mut self, _: &mut [u8]) -> io::Result<usize> {
                Err(io::Error::other("disk on fire"))
            }
        }
        let err = StreamDecoder::new(Failing)
            .for_each_clip(|_, _| {})
            .expect_err("fails");
        assert_eq!(err.kind(), DecodeErrorKind::Io);
        assert!(err.to_string().contains("disk on fire"));
    }
}
