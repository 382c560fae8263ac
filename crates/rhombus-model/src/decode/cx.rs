//! [`Cx`]: the state of one decode, and [`Decode`], the trait every model
//! type implements on it. Tolerance lives here, at the smallest unit: a
//! value that does not fit its slot is kept raw in its place
//! ([`Cx::item`]), never more.

use bumpalo::Bump;
use bumpalo::collections::Vec as ArenaVec;

use crate::decode::Limits;
use crate::lex::{Code, Fail, Lexer, Nesting, StrToken, unescape};
use crate::model::containers::Item;
use crate::model::leaves::RawJson;

/// A model type the decoder reads.
pub(crate) trait Decode<'a>: Sized {
    /// What a value of this type is, for "expected …" in messages.
    const EXPECTED: &'static str;
    /// Whether each element of a list of these counts against `max_clips`.
    const COUNTED: bool = false;
    /// Decodes the value at the cursor (leading whitespace allowed, `null`
    /// already ruled out), its text borrowed or copied as `P` says. A value
    /// of another type fails with a misfit code and moves nothing.
    fn decode<'i, P: Place<'i, 'a>>(cx: &mut Cx<'i, 'a>) -> Result<Self, Fail>;
}

/// Where decoded text goes (`'i`: the input's lifetime, `'a`: the tree's).
pub(crate) trait Place<'i, 'a> {
    /// Text read from the input, as the tree keeps it.
    fn text(text: &'i str, bump: &'a Bump) -> &'a str;
}

/// The input outlives the tree: text stays in it.
pub(crate) enum Borrow {}

impl<'a> Place<'a, 'a> for Borrow {
    #[inline]
    fn text(text: &'a str, _: &'a Bump) -> &'a str {
        text
    }
}

/// The input is a window the tree must not borrow: text is copied into the arena.
pub(crate) enum Copy {}

impl<'i, 'a> Place<'i, 'a> for Copy {
    #[inline]
    fn text(text: &'i str, bump: &'a Bump) -> &'a str {
        bump.alloc_str(text)
    }
}

/// A problem tolerated on the way: the code, where, and the type expected
/// there. Paths and positions are worked out after the decode (see
/// [`crate::decode::locate`]).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Noted {
    pub(crate) code: Code,
    pub(crate) at: usize,
    pub(crate) expected: &'static str,
}

/// Problems kept in detail; past this only counted.
pub(crate) const MAX_NOTED: usize = 1000;

/// One decode's state.
pub(crate) struct Cx<'i, 'a> {
    pub(crate) lx: Lexer<'i>,
    pub(crate) bump: &'a Bump,
    pub(crate) tolerant: bool,
    pub(crate) limits: Limits,
    /// Tolerated problems (the first [`MAX_NOTED`]) and how many in all.
    pub(crate) noted: Vec<Noted>,
    pub(crate) noted_total: usize,
    /// The type expected where a strict decode failed on a misfit.
    pub(crate) expected: &'static str,
    /// Elements of clip lists decoded so far.
    pub(crate) clips: usize,
    /// Buffers for objects' raw fields, reused (see `Members::push`).
    pub(crate) spare: Vec<Vec<(&'a str, RawJson<'a>)>>,
    nesting: Nesting,
    /// Length of the last list of two or more items (a capacity guess).
    length_hint: usize,
    /// Capacity for the next list begun (the clip list), 0 for none.
    planned: usize,
}

impl<'i, 'a> Cx<'i, 'a> {
    pub(crate) fn new(lx: Lexer<'i>, bump: &'a Bump, tolerant: bool, limits: Limits) -> Self {
        Cx {
            lx,
            bump,
            tolerant,
            limits,
            noted: Vec::new(),
            noted_total: 0,
            expected: "",
            clips: 0,
            spare: Vec::new(),
            nesting: Nesting::new(),
            length_hint: 4,
            planned: 0,
        }
    }

    /// Sizes the next list begun (the clip list of a large response) so it
    /// is written once, in place.
    pub(crate) fn plan_next_list(&mut self, capacity: usize) {
        self.planned = capacity;
    }

    /// Records a tolerated problem (or, in strict mode, fails with it).
    #[cold]
    pub(crate) fn note(
        &mut self,
        code: Code,
        at: usize,
        expected: &'static str,
    ) -> Result<(), Fail> {
        if !self.tolerant {
            self.expected = expected;
            return Err(Fail { code, at });
        }
        self.noted_total += 1;
        if self.noted.len() < MAX_NOTED {
            self.noted.push(Noted { code, at, expected });
        }
        Ok(())
    }

    /// The value at the cursor for a slot of type `T`: typed, `null`, or,
    /// when it does not fit, its raw JSON (tolerant) or the failure (strict).
    #[inline]
    pub(crate) fn item<T: Decode<'a>, P: Place<'i, 'a>>(&mut self) -> Result<Item<'a, T>, Fail> {
        if self.lx.null()? {
            return Ok(Item::Null);
        }
        let start = self.lx.pos;
        match T::decode::<P>(self) {
            Ok(v) => Ok(Item::Value(v)),
            // This value's own misfit (one inside it, in strict mode, has
            // already been noted where it was, and passes through).
            Err(fail) if fail.code.is_misfit() && fail.at == start => {
                self.misfit::<P>(fail, start, T::EXPECTED).map(Item::Raw)
            }
            Err(fail) => Err(fail),
        }
    }

    /// The value at the cursor for an object's field of type `T`, decoded
    /// in place into `slot` (`null` leaves it `None`); a value that does
    /// not fit comes back raw (tolerant) or fails (strict).
    #[inline]
    pub(crate) fn field<T: Decode<'a>, P: Place<'i, 'a>>(
        &mut self,
        slot: &mut Option<T>,
    ) -> Result<Option<RawJson<'a>>, Fail> {
        if self.lx.null()? {
            return Ok(None);
        }
        let start = self.lx.pos;
        match T::decode::<P>(self) {
            Ok(v) => {
                *slot = Some(v);
                Ok(None)
            }
            Err(fail) if fail.code.is_misfit() && fail.at == start => {
                self.misfit::<P>(fail, start, T::EXPECTED).map(Some)
            }
            Err(fail) => Err(fail),
        }
    }

    /// A value that did not fit: kept raw from `start`, and noted.
    #[cold]
    fn misfit<P: Place<'i, 'a>>(
        &mut self,
        fail: Fail,
        start: usize,
        expected: &'static str,
    ) -> Result<RawJson<'a>, Fail> {
        self.note(fail.code, fail.at, expected)?;
        self.lx.pos = start;
        self.raw::<P>()
    }

    /// The value at the cursor as raw JSON (any type, checked as JSON).
    pub(crate) fn raw<P: Place<'i, 'a>>(&mut self) -> Result<RawJson<'a>, Fail> {
        self.lx.peek()?;
        let start = self.lx.pos;
        let depth = self.lx.skip(&mut self.nesting)?;
        if depth > self.limits.max_depth {
            self.note(Code::TooDeep, start, "a value nested less deeply")?;
        }
        let end = self.lx.pos;
        let text = match self.lx.text.get(start..end) {
            Some(text) => P::text(text, self.bump),
            None => match std::str::from_utf8(&self.lx.bytes[start..end]) {
                Ok(text) => P::text(text, self.bump),
                Err(_) => {
                    self.note(Code::InvalidUtf8, start, "UTF-8 text")?;
                    let lossy = String::from_utf8_lossy(&self.lx.bytes[start..end]);
                    self.bump.alloc_str(&lossy)
                }
            },
        };
        Ok(RawJson::from_checked(text))
    }

    /// The text of a string token that started at `at`: borrowed or copied
    /// as `P` says, unescaped into the arena, or (tolerant) with what is not
    /// UTF-8 made U+FFFD, and noted.
    #[inline]
    pub(crate) fn text<P: Place<'i, 'a>>(
        &mut self,
        token: StrToken<'i>,
        at: usize,
    ) -> Result<&'a str, Fail> {
        match token {
            StrToken::Text(text) => Ok(P::text(text, self.bump)),
            StrToken::Raw { body, .. } => self.unescaped(body, at),
        }
    }

    #[cold]
    fn unescaped(&mut self, body: &[u8], at: usize) -> Result<&'a str, Fail> {
        let mut out = bumpalo::collections::String::with_capacity_in(body.len(), self.bump);
        if let Some(code) = unescape(body, &mut out) {
            self.note(code, at, "a string")?;
        }
        Ok(out.into_bump_str())
    }

    /// An object key and the `:` after it.
    #[inline]
    pub(crate) fn key<P: Place<'i, 'a>>(&mut self) -> Result<&'a str, Fail> {
        // A problem in the key is placed at its quote, not at the space before.
        self.lx.peek()?;
        let at = self.lx.pos;
        let token = self.lx.key_string()?;
        let key = self.text::<P>(token, at)?;
        self.lx.colon()?;
        Ok(key)
    }

    /// A key the object already had: the value is kept raw (tolerant) and
    /// noted, or refused (strict).
    #[cold]
    pub(crate) fn duplicate<P: Place<'i, 'a>>(&mut self) -> Result<RawJson<'a>, Fail> {
        self.lx.peek()?;
        self.note(Code::DuplicateKey, self.lx.pos, "each key once")?;
        self.raw::<P>()
    }

    /// Counts one element of a clip list (which started at `at`) against
    /// the limits.
    #[inline]
    pub(crate) fn count_clip(&mut self, at: usize) -> Result<(), Fail> {
        self.clips += 1;
        if self.clips > self.limits.max_clips {
            return Err(Fail {
                code: Code::TooManyClips,
                at,
            });
        }
        if self.clips % 64 == 0 {
            self.check_tree()?;
        }
        Ok(())
    }

    /// Fails when the tree has outgrown `max_tree_bytes`.
    #[cold]
    pub(crate) fn check_tree(&mut self) -> Result<(), Fail> {
        if self.bump.allocated_bytes() > self.limits.max_tree_bytes {
            return Err(self.lx.fail(Code::TreeTooLarge));
        }
        Ok(())
    }

    /// A list buffer for the items of a list of two or more.
    #[inline]
    pub(crate) fn list_buffer<T>(&mut self) -> ArenaVec<'a, T> {
        let planned = std::mem::take(&mut self.planned);
        let n = self.length_hint.clamp(2, 16).max(planned);
        let mut items = ArenaVec::new_in(self.bump);
        // The plan may overestimate: fall back to a small list.
        if items.try_reserve_exact(n).is_err() {
            items.reserve_exact(2);
        }
        items
    }

    /// Records a decoded list's length for the next capacity guess.
    #[inline]
    pub(crate) fn saw_length(&mut self, len: usize) {
        if len >= 2 {
            self.length_hint = len;
        }
    }
}
