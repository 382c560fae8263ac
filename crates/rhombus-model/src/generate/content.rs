//! Where the walker takes its values from: made up from the choices, or a
//! base document's. Only this differs between generating a body and
//! rendering one; every class decision is the walker's, the same for both.

use super::choices::Choices;
use crate::schema::{FieldShape, ObjectShape, Shape};
use serde_json::Value;
use std::borrow::Cow;

/// Keys whose base values a rendered body keeps as they are (never left
/// out, `null`ed, retyped or replaced): the clip list and what a client
/// follows each clip by, its id, status and progress.
pub const KEPT: &[&str] = &[
    "splicedClips",
    "clipUuid",
    "status",
    "segmentsUploaded",
    "totalSegments",
];

/// The source of one value.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Content<'v> {
    /// Made up from the choices.
    Made,
    /// A base document's value.
    Base(&'v Value),
}

/// One member of an object to write: its key, its field in the schema (none
/// for a base's member the schema lacks) and its content.
pub(crate) struct Member<'v> {
    pub key: &'v str,
    pub field: Option<&'static FieldShape>,
    pub content: Content<'v>,
}

impl<'v> Content<'v> {
    /// The members of an object of `object`'s shape: every field when made
    /// up, the base's members in its order otherwise.
    pub(crate) fn members(self, object: &'static ObjectShape) -> Vec<Member<'v>> {
        match self {
            Content::Made => object
                .fields
                .iter()
                .map(|field| Member {
                    key: field.json,
                    field: Some(field),
                    content: Content::Made,
                })
                .collect(),
            Content::Base(value) => value
                .as_object()
                .into_iter()
                .flatten()
                .map(|(key, v)| Member {
                    key,
                    field: object.fields.iter().find(|f| f.json == key),
                    content: Content::Base(v),
                })
                .collect(),
        }
    }

    /// The elements of a list: up to `max - 1` made up, or the base's.
    pub(crate) fn elements(self, c: &mut Choices<'_>, max: usize) -> Vec<Content<'v>> {
        match self {
            Content::Made => vec![Content::Made; c.below(max)],
            Content::Base(value) => value
                .as_array()
                .into_iter()
                .flatten()
                .map(Content::Base)
                .collect(),
        }
    }

    /// The entries of a map keyed by facet uuid: up to 3 made up, or the
    /// base's.
    pub(crate) fn entries(self, c: &mut Choices<'_>) -> Vec<(Cow<'v, str>, Content<'v>)> {
        match self {
            Content::Made => (0..c.below(4))
                .map(|i| (Cow::Owned(facet(i)), Content::Made))
                .collect(),
            Content::Base(value) => value
                .as_object()
                .into_iter()
                .flatten()
                .map(|(k, v)| (Cow::Borrowed(k.as_str()), Content::Base(v)))
                .collect(),
        }
    }

    /// Whether the value under `key` must be kept as it is ([`KEPT`]).
    pub(crate) fn keeps(self, key: &str) -> bool {
        matches!(self, Content::Base(_)) && KEPT.contains(&key)
    }

    /// Whether the base has `null` here.
    pub(crate) fn is_null(self) -> bool {
        matches!(self, Content::Base(Value::Null))
    }

    /// Whether the base has `true` here.
    pub(crate) fn is_true(self) -> bool {
        matches!(self, Content::Base(Value::Bool(true)))
    }

    /// Whether the value fits `shape` (made up values always do).
    pub(crate) fn fits(self, shape: &Shape) -> bool {
        let Content::Base(value) = self else {
            return true;
        };
        match shape {
            Shape::Bool => value.is_boolean(),
            Shape::Int32 => value.as_i64().is_some_and(|n| i32::try_from(n).is_ok()),
            Shape::Int64 => value.is_i64(),
            Shape::Float => value
                .as_f64()
                .is_some_and(|f| f.abs() <= f64::from(f32::MAX)),
            Shape::Text | Shape::Ruuid | Shape::FacetUuid | Shape::Enum(_) => value.is_string(),
            Shape::Any => true,
            Shape::List(_) => value.is_array(),
            Shape::FacetMap(_) | Shape::Object(_) => value.is_object(),
        }
    }

    /// The base's text (`""` for a value that is none), or `made` when made up.
    pub(crate) fn text(self, made: impl FnOnce() -> &'static str) -> Cow<'v, str> {
        match self {
            Content::Made => Cow::Borrowed(made()),
            Content::Base(value) => Cow::Borrowed(value.as_str().unwrap_or_default()),
        }
    }
}

/// Texts made up for strings: plain, with characters JSON must escape, and
/// beyond the Basic Multilingual Plane.
pub(crate) const TEXTS: &[&str] = &[
    "clip caf\u{e9}",
    "line\nbreak",
    "say \"hi\"",
    "a/b\\c",
    "smile \u{1f600}",
    "\u{53d7}\u{4ed8} \u{6771}\u{4eac} #14",
];

/// Values of the enums' future: none of them is a value the schema lists.
pub(crate) const FUTURE: &[&str] = &["NEW_VALUE", "ARCHIVING", "LINK_SHARED"];

/// Values made up for unknown fields.
pub(crate) const UNKNOWN: &[&[u8]] =
    &[b"{\"a\":[1,2.5,\"x\",null,true]}", b"\"new\"", b"12", b"[]"];

/// Elements of `splicedClips` that are no object.
pub(crate) const NOT_OBJECTS: &[&[u8]] = &[b"42", b"\"clip\"", b"[]", b"true"];

/// Floats made up.
pub(crate) const FLOATS: &[&[u8]] = &[b"0.5", b"-12.25", b"1e-3", b"90", b"0", b"3.4e38"];

/// The `n`th of a few uuids.
pub(crate) fn ruuid(n: usize) -> String {
    let c = char::from(b'A' + (n % 26) as u8);
    std::iter::repeat_n(c, 22).collect()
}

/// The `n`th of a few video facets.
pub(crate) fn facet(n: usize) -> String {
    format!("{}.v0", ruuid(n))
}

/// A video facet of 16 bytes from the choices (a key no map has yet).
pub(crate) fn fresh_facet(c: &mut Choices<'_>) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut id: String = (0..22)
        .map(|_| char::from(ALPHABET[usize::from(c.byte() % 64)]))
        .collect();
    id.push_str(".v0");
    id
}
