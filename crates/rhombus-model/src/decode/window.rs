//! The windowed drivers: a response read from an [`io::Read`] in a window
//! about the size of a clip. Each unit (an envelope member, one clip) is
//! decoded by the same code as the in-memory decode, on a lexer over the
//! window; when the unit runs past the window's end (`Eof`), more input is
//! read and the unit decoded again. So every error and problem is the one
//! the in-memory decode reports, at the same place.

use std::io::{self, Read};

use bumpalo::Bump;
use bumpalo::collections::Vec as ArenaVec;

use crate::decode::cx::{Copy, Cx};
use crate::decode::owned::OwnedResponse;
use crate::decode::{Decoded, Limits, Members, end, locate, located, object_start};
use crate::error::{DecodeError, DecodeErrorKind};
use crate::lex::{Code, Fail, Lexer, StrToken};
use crate::model::containers::{Item, List};
use crate::path::{push_index, push_key};
use crate::schema::{Response, SplicedClip};

/// Bytes read at a time.
const CHUNK: usize = 64 << 10;

/// A window over a reader: `buf[pos..filled]` is read and not yet used.
struct Window<R> {
    reader: R,
    buf: Vec<u8>,
    pos: usize,
    filled: usize,
    done: bool,
    /// Offset in the input of `buf[0]`, and the lines and columns before it.
    base: u64,
    base_lines: usize,
    base_column: usize,
    limits: Limits,
}

impl<R: Read> Window<R> {
    fn new(reader: R, limits: Limits) -> Self {
        Window {
            reader,
            buf: Vec::new(),
            pos: 0,
            filled: 0,
            done: false,
            base: 0,
            base_lines: 0,
            base_column: 0,
            limits,
        }
    }

    /// The bytes read and not yet used.
    fn rest(&self) -> &[u8] {
        &self.buf[self.pos..self.filled]
    }

    /// Reads more input, keeping the unused bytes; `false` at the end.
    fn more(&mut self) -> Result<bool, DecodeError> {
        if self.done {
            return Ok(false);
        }
        if self.pos > 0 {
            let (lines, column) = after(&self.buf[..self.pos]);
            if lines > 0 {
                self.base_column = column;
            } else {
                self.base_column += column;
            }
            self.base_lines += lines;
            self.base += self.pos as u64;
            self.buf.copy_within(self.pos..self.filled, 0);
            self.filled -= self.pos;
            self.pos = 0;
        }
        if self.filled > self.limits.max_value_len {
            let fail = Fail {
                code: Code::ValueTooLong,
                at: 0,
            };
            return Err(self.error(fail, "", String::new()));
        }
        // Room for as much again as is pending (at least a chunk), filled
        // whole before the unit is decoded again: however small the reads,
        // a unit is retried O(log n) times, not once per read.
        let want = self.filled + CHUNK.max(self.filled);
        if self.buf.len() < want {
            self.buf.resize(want, 0);
        }
        let before = self.filled;
        while self.filled < self.buf.len() {
            match self.reader.read(&mut self.buf[self.filled..]) {
                Ok(0) => {
                    self.done = true;
                    break;
                }
                Ok(n) => self.filled += n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => {
                    return Err(DecodeError::other(
                        DecodeErrorKind::Io,
                        format!("reading the input failed: {e}"),
                        "",
                    ));
                }
            }
        }
        Ok(self.filled > before)
    }

    /// Line and column, and input offset, of `buf[pos + at]`.
    fn place(&self, at: usize) -> ((usize, usize), u64) {
        self.place_in_buf(self.pos + at)
    }

    /// Line and column, and input offset, of `buf[at]`.
    fn place_in_buf(&self, at: usize) -> ((usize, usize), u64) {
        let (line, column) = locate::line_column(&self.buf[..self.filled], at);
        let column = if line == 1 {
            column + self.base_column
        } else {
            column
        };
        ((line + self.base_lines, column), self.base + at as u64)
    }

    /// Line and column, and input offset, of `buf[index]`, as
    /// [`DecodeError::shifted`] takes them: newlines before it, bytes
    /// before it on its line, bytes before it in the input.
    fn before(&self, index: usize) -> ((usize, usize), u64) {
        let ((line, column), offset) = self.place_in_buf(index);
        ((line - 1, column - 1), offset)
    }

    /// Runs `f` on the unused bytes until it needs no more input than the
    /// window holds, and moves past what it used; the value and where the
    /// unit started in `buf`. A failure is located by `locate` (given the
    /// unit's bytes and the failure): its path, and the type expected.
    fn unit<T>(
        &mut self,
        mut f: impl FnMut(&[u8]) -> Result<(T, usize), Fail>,
        locate: impl Fn(&[u8], Fail) -> (String, &'static str),
    ) -> Result<(T, usize), DecodeError> {
        loop {
            match f(self.rest()) {
                Ok((value, used)) => {
                    let start = self.pos;
                    self.pos += used;
                    return Ok((value, start));
                }
                Err(fail) if fail.code == Code::Eof && self.more()? => {}
                Err(fail) => {
                    let (path, expected) = locate(self.rest(), fail);
                    return Err(self.error(fail, expected, path));
                }
            }
        }
    }

    /// The error for `fail` (at an offset from the cursor), under `path`.
    fn error(&self, fail: Fail, expected: &str, path: String) -> DecodeError {
        let rest = self.rest();
        let at = fail.at.min(rest.len());
        let error = locate::build(rest, fail.code, at, expected, path, &self.limits);
        let (place, offset) = self.place(at);
        DecodeError::new(
            error.kind(),
            error.message().to_owned(),
            error.path().to_owned(),
            place,
            offset,
        )
    }
}

/// Newlines in `bytes` and the bytes after the last one (or all of them).
fn after(bytes: &[u8]) -> (usize, usize) {
    match memchr::memrchr(b'\n', bytes) {
        None => (0, bytes.len()),
        Some(last) => (
            memchr::memchr_iter(b'\n', bytes).count(),
            bytes.len() - last - 1,
        ),
    }
}

/// Where the walk over the envelope is.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Phase {
    Start,
    Member,
    AfterMember,
    Clip,
    AfterClip,
    End,
    Done,
}

/// The walk over a response in a window: envelope members decoded into an
/// envelope, clips handed over one at a time.
struct Walk<R> {
    window: Window<R>,
    tolerant: bool,
    limits: Limits,
    phase: Phase,
    /// The key of the member just read, for paths.
    key: Option<String>,
    /// Elements of the clip list handed over so far.
    index: usize,
    /// Bytes the last clip took.
    last_clip: usize,
}

/// The index of `splicedClips` among the response's fields.
fn clips_bit() -> u64 {
    let index = Response::FIELDS
        .iter()
        .position(|f| *f == "splicedClips")
        .unwrap_or(63);
    1 << index
}

impl<R: Read> Walk<R> {
    fn new(reader: R, tolerant: bool, limits: Limits) -> Self {
        Walk {
            window: Window::new(reader, limits),
            tolerant,
            limits,
            phase: Phase::Start,
            key: None,
            index: 0,
            last_clip: 0,
        }
    }

    /// The path of the place the walk is at, for errors between units.
    fn path(&self) -> String {
        let mut path = String::new();
        match self.phase {
            // Before the next key, the walk is still at the last one.
            Phase::AfterMember | Phase::Member => {
                if let Some(key) = &self.key {
                    push_key(&mut path, key);
                }
            }
            // At an element, or just after one.
            Phase::Clip | Phase::AfterClip => {
                push_key(&mut path, "splicedClips");
                let after = usize::from(self.phase == Phase::AfterClip);
                push_index(&mut path, self.index - after);
            }
            _ => {}
        }
        path
    }

    /// A token of the envelope's own (`{`, `,`, `]`, a key, …), read by
    /// `f`; the value and where the token started in the window's buffer.
    fn token<T>(
        &mut self,
        f: impl Fn(&mut Lexer<'_>) -> Result<T, Fail>,
    ) -> Result<(T, usize), DecodeError> {
        let path = self.path();
        let phase = self.phase;
        self.window.unit(
            |bytes| {
                let mut lx = Lexer::window(bytes);
                let value = f(&mut lx)?;
                Ok((value, lx.pos))
            },
            |bytes, fail| {
                let path = match phase {
                    // The document starts here: the walk finds the path.
                    Phase::Start => locate::paths(bytes, &[fail.at]).pop().unwrap_or_default(),
                    // Once a key is read, the path is the key's.
                    Phase::Member => {
                        let mut lx = Lexer::window(bytes);
                        match lx.peek().and_then(|_| lx.key_string()) {
                            Ok(token) => {
                                let mut path = String::new();
                                push_key(&mut path, &key_text(token).0);
                                path
                            }
                            Err(_) => path.clone(),
                        }
                    }
                    _ => path.clone(),
                };
                (path, "")
            },
        )
    }

    /// Walks on until a clip is decoded into `clips` (`Some`) or the
    /// response ends (`None`); envelope members on the way are decoded into
    /// `envelope` (its arena, response and member state). Problems found on
    /// the way are added to `problems`.
    fn next<'c, 'e>(
        &mut self,
        clips: &'c Bump,
        envelope: (&'e Bump, &mut Response<'e>, &mut Members<'e>),
        problems: &mut Vec<DecodeError>,
    ) -> Result<Option<Item<'c, SplicedClip<'c>>>, DecodeError> {
        let (env_bump, response, members) = envelope;
        loop {
            match self.phase {
                Phase::Start => {
                    let (empty, _) = self.token(|lx| {
                        object_start(lx)?;
                        lx.pos += 1;
                        let empty = lx.peek()? == b'}';
                        if empty {
                            lx.pos += 1;
                        }
                        Ok(empty)
                    })?;
                    self.phase = if empty { Phase::End } else { Phase::Member };
                }
                Phase::Member => {
                    let strict = !self.tolerant;
                    let ((key, key_at, list), start) = self.token(|lx| {
                        lx.peek()?;
                        let key_at = lx.pos;
                        let (key, problem) = key_text(lx.key_string()?);
                        // As the in-memory decode reads it: a key that is not
                        // UTF-8 is refused (strict) before the colon is looked for.
                        if let (true, Some(code)) = (strict, problem) {
                            return Err(Fail { code, at: key_at });
                        }
                        lx.colon()?;
                        let list = lx.peek()? == b'[';
                        Ok((key, key_at, list))
                    })?;
                    let clips = key == "splicedClips";
                    self.key = Some(key);
                    if clips && list && members.seen & clips_bit() == 0 {
                        members.seen |= clips_bit();
                        response.spliced_clips = Some(List::default());
                        self.phase = Phase::Clip;
                        let (more, _) = self.token(|lx| lx.begin_array())?;
                        self.phase = if more {
                            Phase::Clip
                        } else {
                            Phase::AfterMember
                        };
                        continue;
                    }
                    // Back to the key: the member is decoded whole, by the model.
                    self.window.pos = start + key_at;
                    self.member(env_bump, response, members, problems)?;
                    self.phase = Phase::AfterMember;
                }
                Phase::AfterMember => {
                    let (more, _) = self.token(|lx| lx.next_member())?;
                    self.phase = if more { Phase::Member } else { Phase::End };
                }
                Phase::Clip => {
                    let clip = self.clip(clips, problems)?;
                    self.index += 1;
                    self.phase = Phase::AfterClip;
                    return Ok(Some(clip));
                }
                Phase::AfterClip => {
                    let (more, _) = self.token(|lx| lx.next_element())?;
                    self.phase = if more {
                        Phase::Clip
                    } else {
                        Phase::AfterMember
                    };
                }
                Phase::End => {
                    // Only whitespace may follow, to the end of the input.
                    loop {
                        let mut lx = Lexer::window(self.window.rest());
                        if let Err(fail) = end(&mut lx) {
                            return Err(self.window.error(fail, "", String::new()));
                        }
                        self.window.pos = self.window.filled;
                        if !self.window.more()? {
                            break;
                        }
                    }
                    self.phase = Phase::Done;
                }
                Phase::Done => return Ok(None),
            }
        }
    }

    /// Decodes the envelope member at the cursor (its key first) into `response`.
    fn member<'e>(
        &mut self,
        bump: &'e Bump,
        response: &mut Response<'e>,
        members: &mut Members<'e>,
        problems: &mut Vec<DecodeError>,
    ) -> Result<(), DecodeError> {
        let (tolerant, limits) = (self.tolerant, self.limits);
        let key = self.key.clone().unwrap_or_default();
        let mut prefix = String::new();
        push_key(&mut prefix, &key);
        // A retry starts from the member state before the first try.
        let before = (members.seen, members.hint);
        let mut noted = Vec::new();
        let expected = std::cell::Cell::new("");
        let ((), start) = self.window.unit(
            |bytes| {
                (members.seen, members.hint) = before;
                let mut cx = Cx::new(Lexer::window(bytes), bump, tolerant, limits);
                let result = response.member::<Copy>(&mut cx, members);
                expected.set(cx.expected);
                result?;
                let value_at = value_start(bytes);
                noted = located(&bytes[..cx.lx.pos], &cx, limits, &prefix, value_at);
                Ok(((), cx.lx.pos))
            },
            |bytes, fail| {
                let at = value_start(bytes);
                (unit_path(bytes, at, fail.at, &prefix), expected.get())
            },
        )?;
        if !noted.is_empty() {
            let (delta, offset) = self.window.before(start);
            problems.extend(noted.into_iter().map(|p| p.shifted("", delta, offset)));
        }
        Ok(())
    }

    /// Decodes the clip at the cursor into `bump`.
    fn clip<'c>(
        &mut self,
        bump: &'c Bump,
        problems: &mut Vec<DecodeError>,
    ) -> Result<Item<'c, SplicedClip<'c>>, DecodeError> {
        let (tolerant, limits, index) = (self.tolerant, self.limits, self.index);
        // Clips are alike in size: check about twice the last one at once.
        let expect = self.last_clip * 2 + 64;
        let mut prefix = String::from("splicedClips");
        push_index(&mut prefix, index);
        let mut noted = Vec::new();
        let expected = std::cell::Cell::new("");
        let (item, start) = self.window.unit(
            |bytes| {
                let lx = Lexer::window_expecting(bytes, expect);
                let mut cx = Cx::new(lx, bump, tolerant, limits);
                cx.clips = index;
                let result = cx.item::<SplicedClip<'c>, Copy>();
                let result = result.and_then(|item| cx.count_clip(0).map(|()| item));
                expected.set(cx.expected);
                let item = result?;
                cx.lx.peek().ok();
                noted = located(&bytes[..cx.lx.pos], &cx, limits, &prefix, 0);
                Ok((item, cx.lx.pos))
            },
            |bytes, fail| (unit_path(bytes, 0, fail.at, &prefix), expected.get()),
        )?;
        if !noted.is_empty() {
            let (delta, offset) = self.window.before(start);
            problems.extend(noted.into_iter().map(|p| p.shifted("", delta, offset)));
        }
        self.last_clip = self.window.pos - start;
        Ok(item)
    }
}

/// The text of a key token, for paths and comparisons, and the problem
/// if part of it had to become U+FFFD.
fn key_text(token: StrToken<'_>) -> (String, Option<Code>) {
    match token {
        StrToken::Text(text) => (text.to_owned(), None),
        StrToken::Raw { body, .. } => {
            let mut key = String::new();
            let problem = crate::lex::unescape(body, &mut key);
            (key, problem)
        }
    }
}

/// Where the value of the member (`"key": value`) at the start of `bytes`
/// starts (0 if the member is cut short before it).
fn value_start(bytes: &[u8]) -> usize {
    let mut lx = Lexer::window(bytes);
    let found = lx
        .key_string()
        .and_then(|_| lx.colon())
        .and_then(|()| lx.peek());
    if found.is_ok() { lx.pos } else { 0 }
}

/// The path of offset `at` in a unit whose value starts at `value_at`,
/// under `prefix` (the unit's own path).
fn unit_path(bytes: &[u8], value_at: usize, at: usize, prefix: &str) -> String {
    if at < value_at || value_at > bytes.len() {
        return prefix.to_owned();
    }
    let inner = locate::paths(&bytes[value_at..], &[at - value_at])
        .pop()
        .unwrap_or_default();
    crate::path::join(prefix, &inner)
}

/// Reads a whole response from `reader` into `bump` (the reader driver).
pub(crate) fn read_whole<'a, R: Read>(
    reader: R,
    bump: &'a Bump,
    tolerant: bool,
    limits: Limits,
) -> Result<Decoded<Response<'a>>, DecodeError> {
    let mut walk = Walk::new(reader, tolerant, limits);
    let mut response = Response::default();
    let mut members = Members::default();
    let mut problems = Vec::new();
    let mut clips = ArenaVec::new_in(bump);
    while let Some(clip) = walk.next(bump, (bump, &mut response, &mut members), &mut problems)? {
        clips.push(clip);
    }
    if response.spliced_clips.is_some() {
        response.spliced_clips = Some(List::new(clips.into_bump_slice()));
    }
    response.extra = members.finish(bump);
    Ok(Decoded {
        value: response,
        problems,
    })
}

/// One element of the clip list, handed over by a [`ClipStream`].
#[derive(Debug)]
pub struct StreamedClip<'a> {
    /// Position in `splicedClips`.
    pub index: usize,
    /// The clip, `null`, or the raw JSON of an element that is no clip.
    pub item: Item<'a, SplicedClip<'a>>,
    /// Problems found since the previous clip: in this clip, or in the
    /// envelope fields before it.
    pub problems: Vec<DecodeError>,
}

/// The clips of a response read from an [`io::Read`], one at a time, in
/// memory bounded by the largest clip (and the envelope's own fields).
///
/// ```
/// use rhombus_model::Decoder;
///
/// let body = br#"{"splicedClips": [{"duration": 5}, 42, {"duration": 7}], "error": false}"#;
/// let mut stream = Decoder::new().stream(&body[..]);
/// let mut durations = Vec::new();
/// while let Some(clip) = stream.next_clip() {
///     let clip = clip?;
///     durations.push(clip.item.value().and_then(|c| c.duration));
/// }
/// assert_eq!(durations, [Some(5), None, Some(7)]);
/// let envelope = stream.finish()?;
/// assert_eq!(envelope.response().error, Some(false));
/// # Ok::<(), rhombus_model::DecodeError>(())
/// ```
pub struct ClipStream<R> {
    walk: Walk<R>,
    clip_arena: Bump,
    envelope: OwnedResponse,
    /// The error the stream stopped at, once it has.
    failed: Option<DecodeError>,
}

impl<R: Read> ClipStream<R> {
    pub(crate) fn new(reader: R, tolerant: bool, limits: Limits) -> Self {
        ClipStream {
            walk: Walk::new(reader, tolerant, limits),
            clip_arena: Bump::new(),
            envelope: OwnedResponse::envelope(),
            failed: None,
        }
    }

    /// The next element of `splicedClips`; `None` after the last one (or
    /// after an error). Its memory is reused for the clip after it.
    pub fn next_clip(&mut self) -> Option<Result<StreamedClip<'_>, DecodeError>> {
        if self.failed.is_some() {
            return None;
        }
        self.clip_arena.reset();
        let mut problems = Vec::new();
        let (walk, arena) = (&mut self.walk, &self.clip_arena);
        let result = self.envelope.0.with_dependent_mut(|source, parts| {
            let members = parts.members.get_or_insert_with(Members::default);
            walk.next(
                arena,
                (&source.arena, &mut parts.decoded.value, members),
                &mut problems,
            )
        });
        match result {
            Ok(Some(item)) => Some(Ok(StreamedClip {
                index: self.walk.index - 1,
                item,
                problems,
            })),
            Ok(None) => {
                self.envelope
                    .0
                    .with_dependent_mut(|_, parts| parts.decoded.problems.extend(problems));
                None
            }
            Err(err) => {
                self.failed = Some(err.clone());
                Some(Err(err))
            }
        }
    }

    /// Reads to the end of the response (skipping the clips not yet
    /// handed over) and returns its envelope: every field but the clips
    /// (`splicedClips` is an empty list when it was a list), with the
    /// problems found after the last clip. After an error, that error again.
    pub fn finish(mut self) -> Result<OwnedResponse, DecodeError> {
        while let Some(clip) = self.next_clip() {
            clip?;
        }
        if let Some(err) = self.failed {
            return Err(err);
        }
        self.envelope.0.with_dependent_mut(|source, parts| {
            if let Some(members) = parts.members.take() {
                parts.decoded.value.extra = members.finish(&source.arena);
            }
        });
        Ok(self.envelope)
    }
}
