//! [`OwnedResponse`]: a decoded response that owns its input and its arena,
//! so it can be stored, sent to another thread, or returned from a function.

use std::fmt;

use bumpalo::Bump;

use crate::decode::{Borrow, Decoded, Limits, Members, decode_slice};
use crate::error::DecodeError;
use crate::schema::{Response, SplicedClip};

/// What an owned tree borrows from: the input and the arena.
pub(crate) struct Source {
    input: Box<[u8]>,
    pub(crate) arena: Bump,
}

// SAFETY: `Bump` is not `Sync` because allocating through `&Bump` mutates
// it. This arena is allocated from only while its tree is built: inside
// `Tree::try_new`/`Tree::new`'s builder, before the value exists anywhere
// else, and through `with_dependent_mut`, which takes `&mut` of the whole
// response (a stream's envelope). Shared references to an `OwnedResponse`
// reach the tree and the input, never the arena (`Source` is private), so
// threads sharing one can only read memory nobody writes.
#[allow(unsafe_code)]
unsafe impl Sync for Source {}

/// The tree of an owned response: the response, its problems and, while a
/// stream is still reading the envelope, the envelope's member state.
pub(crate) struct Parts<'a> {
    pub(crate) decoded: Decoded<Response<'a>>,
    pub(crate) members: Option<Members<'a>>,
}

self_cell::self_cell!(
    /// The input and arena, and the tree borrowing both.
    pub(crate) struct Tree {
        owner: Source,
        #[covariant]
        dependent: Parts,
    }
);

/// A decoded response that owns its input and its tree: `'static`, `Send`.
///
/// Made by [`Decoder::decode_owned`](crate::Decoder::decode_owned),
/// [`Response::into_owned`] and a stream's
/// [`finish`](crate::ClipStream::finish).
pub struct OwnedResponse(pub(crate) Tree);

impl OwnedResponse {
    /// Decodes `input`, keeping it and the tree together.
    pub(crate) fn decode(
        input: Vec<u8>,
        tolerant: bool,
        limits: Limits,
    ) -> Result<Self, DecodeError> {
        let source = Source {
            input: input.into_boxed_slice(),
            arena: Bump::new(),
        };
        Tree::try_new(source, |source| {
            let decoded = decode_slice::<Response<'_>, Borrow>(
                &source.input,
                &source.arena,
                tolerant,
                limits,
            )?;
            Ok(Parts {
                decoded,
                members: None,
            })
        })
        .map(OwnedResponse)
    }

    /// An empty response with an arena of its own, for a stream's envelope.
    pub(crate) fn envelope() -> Self {
        let source = Source {
            input: Box::default(),
            arena: Bump::new(),
        };
        OwnedResponse(Tree::new(source, |_| Parts {
            decoded: Decoded {
                value: Response::default(),
                problems: Vec::new(),
            },
            members: Some(Members::default()),
        }))
    }

    /// The response.
    pub fn response(&self) -> &Response<'_> {
        &self.0.borrow_dependent().decoded.value
    }

    /// The values that did not fit and were kept raw (see [`Decoded::problems`]).
    pub fn problems(&self) -> &[DecodeError] {
        &self.0.borrow_dependent().decoded.problems
    }

    /// The bytes the response was decoded from (empty for a stream's envelope).
    pub fn input(&self) -> &[u8] {
        &self.0.borrow_owner().input
    }
}

impl fmt::Debug for OwnedResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OwnedResponse")
            .field("response", self.response())
            .field("problems", &self.problems())
            .finish()
    }
}

/// No limits: what is re-read was decoded within limits already.
const UNLIMITED: Limits = Limits {
    max_clips: usize::MAX,
    max_tree_bytes: usize::MAX,
    max_depth: usize::MAX,
    max_value_len: usize::MAX,
};

/// `json` (written by this crate) read back, or an empty response.
fn reread(json: Vec<u8>) -> OwnedResponse {
    // What this crate writes it reads back: the fallback is unreachable in practice.
    OwnedResponse::decode(json, true, UNLIMITED).unwrap_or_else(|_| OwnedResponse::envelope())
}

impl<'a> Response<'a> {
    /// A copy that owns its text and lists (the response written as JSON
    /// and decoded again: the same values, raw ones included).
    pub fn into_owned(self) -> OwnedResponse {
        let mut json = Vec::new();
        crate::WriteJson::write_json(&self, &mut json);
        reread(json)
    }
}

/// One clip of a shared [`OwnedResponse`]: `'static`, cheap to clone, for
/// keeping clips across polls.
///
/// A handle keeps its whole response alive. To keep one clip for long
/// while the rest of its response goes, keep [`OwnedClip::detach`]'s copy.
#[derive(Clone)]
pub struct OwnedClip {
    response: std::sync::Arc<OwnedResponse>,
    index: usize,
}

impl OwnedClip {
    /// A handle on each clip of `response`, in order (elements that are
    /// `null` or no clip are left out).
    pub fn all(response: &std::sync::Arc<OwnedResponse>) -> Vec<OwnedClip> {
        let items = response.response().clip_items();
        (0..items.len())
            .filter(|&i| items[i].value().is_some())
            .map(|index| OwnedClip {
                response: std::sync::Arc::clone(response),
                index,
            })
            .collect()
    }

    /// Decodes one clip object (tolerant, default limits) on its own.
    pub fn parse(json: &[u8]) -> Result<OwnedClip, DecodeError> {
        let mut body = Vec::with_capacity(json.len() + 20);
        body.extend_from_slice(b"{\"splicedClips\":[");
        body.extend_from_slice(json);
        body.extend_from_slice(b"]}");
        let response = std::sync::Arc::new(OwnedResponse::decode(body, true, Limits::default())?);
        OwnedClip::all(&response).pop().ok_or_else(|| {
            DecodeError::other(crate::DecodeErrorKind::Data, "expected a clip object", "")
        })
    }

    /// A copy of this clip in a response of its own (the clip written as
    /// JSON and decoded again, raw values included), so holding it does not
    /// hold the rest of the response this one came from.
    pub fn detach(&self) -> OwnedClip {
        if self.response.response().clip_items().len() == 1 {
            return self.clone();
        }
        let mut json = Vec::with_capacity(64);
        json.extend_from_slice(b"{\"splicedClips\":[");
        crate::WriteJson::write_json(self.get(), &mut json);
        json.extend_from_slice(b"]}");
        OwnedClip {
            response: std::sync::Arc::new(reread(json)),
            index: 0,
        }
    }

    /// The clip.
    pub fn get(&self) -> &SplicedClip<'_> {
        // `all` hands out typed clips only, so this finds one.
        static NONE: std::sync::OnceLock<SplicedClip<'static>> = std::sync::OnceLock::new();
        self.response.response().clip_items()[self.index]
            .value()
            .unwrap_or_else(|| NONE.get_or_init(SplicedClip::default))
    }

    /// Its position in the response's `splicedClips`.
    pub fn index(&self) -> usize {
        self.index
    }

    /// The response it belongs to.
    pub fn response(&self) -> &std::sync::Arc<OwnedResponse> {
        &self.response
    }
}

impl PartialEq for OwnedClip {
    fn eq(&self, other: &Self) -> bool {
        self.get() == other.get()
    }
}

impl fmt::Debug for OwnedClip {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.get().fmt(f)
    }
}

/// Equal when the responses and their problems are.
impl PartialEq for OwnedResponse {
    fn eq(&self, other: &Self) -> bool {
        self.response() == other.response() && self.problems() == other.problems()
    }
}

impl OwnedResponse {
    /// Rewrites each problem (e.g. to hide a secret the server echoed in a path).
    pub fn map_problems(&mut self, mut f: impl FnMut(DecodeError) -> DecodeError) {
        self.0.with_dependent_mut(|_, parts| {
            let problems = std::mem::take(&mut parts.decoded.problems);
            parts.decoded.problems = problems.into_iter().map(&mut f).collect();
        });
    }
}
