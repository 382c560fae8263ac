//! The walker: one pass over the schema's [`Shape`]s writing a body, every
//! class decision taken here whether the values are made up or a base's.

use super::choices::{ALWAYS, Choices};
use super::class::{Class, Classes};
use super::content::{self, Content, FLOATS, FUTURE, NOT_OBJECTS, TEXTS, UNKNOWN};
use super::mix::Mix;
use super::text;
use crate::schema::{Described, FieldShape, ObjectShape, Response, Shape};
use serde_json::Value;

/// The envelope's failure flag.
const ERROR: &str = "error";
/// The envelope's clip list.
const CLIPS: &str = "splicedClips";
/// The bytes an invalid-UTF-8 string starts with (Latin-1 "été ", then a
/// byte no UTF-8 text has).
const INVALID_UTF8: &[u8] = b"\xe9t\xe9 \xff";
/// What pads a huge string.
const PADDING: &str = " A very long text.";

/// A response body written from `content`, and the classes it holds.
pub(crate) fn body(
    content: Content<'_>,
    choices: &mut Choices<'_>,
    mix: Mix,
) -> (Vec<u8>, Classes) {
    let mut walker = Walker {
        c: choices,
        classes: Classes::default(),
        out: Vec::new(),
        last_clip: None,
    };
    match &Response::SHAPE {
        Shape::Object(envelope) => walker.object(envelope, content, mix, 0),
        _ => walker.out.extend_from_slice(b"{}"),
    }
    if let Some(last) = walker.last_clip.take() {
        if walker.decide(mix, Class::Truncated, 64) {
            walker
                .out
                .truncate(last.start + (last.end - last.start) / 2);
            walker.classes = last.before;
            walker.classes.add(Class::Truncated);
        }
    }
    (walker.out, walker.classes)
}

/// The clip list's last clip as written: its bytes and the body's classes
/// before it.
struct LastClip {
    start: usize,
    end: usize,
    before: Classes,
}

/// Where the walker is: the content there, the mix that applies, how deep
/// in objects (0: the envelope), and whether a class may change the base's
/// value.
#[derive(Clone, Copy)]
struct At<'v> {
    content: Content<'v>,
    mix: Mix,
    depth: usize,
    breakable: bool,
}

struct Walker<'c, 'b> {
    c: &'c mut Choices<'b>,
    classes: Classes,
    out: Vec<u8>,
    last_clip: Option<LastClip>,
}

impl Walker<'_, '_> {
    /// Whether to put `class` here: the mix allows it and the choices say
    /// so, about `per256` times in 256. Counted when taken.
    fn decide(&mut self, mix: Mix, class: Class, per256: u16) -> bool {
        if !mix.allows(class) || !self.c.chance(per256) {
            return false;
        }
        self.classes.add(class);
        true
    }

    fn separate(&mut self, first: &mut bool) {
        if !*first {
            self.out.push(b',');
        }
        *first = false;
    }

    fn key(&mut self, first: &mut bool, key: &str) {
        self.separate(first);
        text::string(&mut self.out, b"", key, false);
        self.out.push(b':');
    }

    /// A base's value as it is.
    fn raw(&mut self, value: &Value) {
        // Writing a `Value` to memory cannot fail.
        let _ = serde_json::to_writer(&mut self.out, value);
    }

    fn object(
        &mut self,
        object: &'static ObjectShape,
        content: Content<'_>,
        mix: Mix,
        depth: usize,
    ) {
        self.out.push(b'{');
        let mut first = true;
        for member in content.members(object) {
            let at = At {
                content: member.content,
                mix,
                depth,
                breakable: !member.content.keeps(member.key),
            };
            match (member.field, member.content) {
                (Some(field), _) => self.field(&mut first, field, at),
                // A base's member the schema lacks is drift.
                (None, Content::Base(value)) if mix.drift => {
                    self.key(&mut first, member.key);
                    self.raw(value);
                }
                (None, _) => {}
            }
        }
        if self.decide(mix, Class::UnknownField, 40) {
            self.separate(&mut first);
            if self.decide(mix, Class::InvalidUtf8, 32) {
                self.out.extend_from_slice(b"\"future\xffField\":");
            } else {
                self.out.extend_from_slice(b"\"futureField\":");
            }
            let value = UNKNOWN[self.c.below(UNKNOWN.len())];
            self.out.extend_from_slice(value);
        }
        if self.decide(mix, Class::DeepNesting, 8) {
            self.key(&mut first, "deepField");
            let depth = 5 + self.c.below(256) * 4;
            self.out.extend(std::iter::repeat_n(b'[', depth));
            self.out.extend(std::iter::repeat_n(b']', depth));
        }
        self.out.push(b'}');
    }

    /// Settles a base's value the walker writes no class on: its `null`
    /// (after `key`, or as an element) where the mix allows nulls. True when
    /// there is nothing more to write: the value was `null`, or it does not
    /// fit `shape` and the mix has no drift.
    fn settled(&mut self, first: &mut bool, key: Option<&str>, shape: &Shape, at: At<'_>) -> bool {
        if at.content.is_null() {
            if at.mix.nulls {
                match key {
                    Some(key) => self.key(first, key),
                    None => self.separate(first),
                }
                self.out.extend_from_slice(b"null");
            }
            return true;
        }
        !at.content.fits(shape) && !at.mix.drift
    }

    fn field(&mut self, first: &mut bool, field: &'static FieldShape, at: At<'_>) {
        let envelope = at.depth == 0;
        if envelope
            && field.json == ERROR
            && !at.content.is_true()
            && self.decide(at.mix, Class::ErrorNull, ALWAYS)
        {
            self.key(first, field.json);
            self.out.extend_from_slice(b"null");
            return;
        }
        if self.settled(first, Some(field.json), field.shape, at) {
            return;
        }
        let absent = if at.mix.nulls { 40 } else { 24 };
        if at.breakable && self.decide(at.mix, Class::AbsentField, absent) {
            return;
        }
        let copies = 1 + usize::from(self.decide(at.mix, Class::DuplicateKey, 6));
        for _ in 0..copies {
            self.key(first, field.json);
            if at.breakable && self.decide(at.mix, Class::NullField, 16) {
                self.out.extend_from_slice(b"null");
            } else if envelope && field.json == CLIPS {
                self.clips(field.shape, at);
            } else {
                self.value(field.shape, at);
            }
        }
    }

    /// A value of `shape`.
    fn value(&mut self, shape: &'static Shape, at: At<'_>) {
        let (content, mix) = (at.content, at.mix);
        if let Content::Base(value) = content {
            if !content.fits(shape) {
                return self.raw(value);
            }
        }
        if at.breakable && !matches!(shape, Shape::Any) && self.decide(mix, Class::WrongType, 10) {
            return self.retyped(shape, at);
        }
        match shape {
            Shape::Bool => {
                let yes = match content {
                    Content::Base(value) => value.as_bool() == Some(true),
                    Content::Made => self.c.chance(128),
                };
                self.out
                    .extend_from_slice(if yes { b"true" } else { b"false" });
            }
            Shape::Int32 => self.int(i64::from(i32::MIN), i64::from(i32::MAX), at),
            Shape::Int64 => self.int(i64::MIN, i64::MAX, at),
            Shape::Float => match content {
                Content::Base(value) => self.raw(value),
                Content::Made => {
                    let float = FLOATS[self.c.below(FLOATS.len())];
                    self.out.extend_from_slice(float);
                }
            },
            Shape::Text => self.text(content, mix),
            Shape::Ruuid | Shape::FacetUuid => {
                let id = match content {
                    Content::Made => {
                        let n = self.c.below(8);
                        match shape {
                            Shape::Ruuid => content::ruuid(n),
                            _ => content::facet(n),
                        }
                        .into()
                    }
                    Content::Base(_) => content.text(|| ""),
                };
                self.string(b"", &id, mix);
            }
            Shape::Enum(known) => self.enumerated(known, at),
            Shape::Any => match content {
                Content::Base(value) => self.raw(value),
                Content::Made => {
                    let value = UNKNOWN[self.c.below(UNKNOWN.len())];
                    self.out.extend_from_slice(value);
                }
            },
            Shape::List(item) => self.list(item, at),
            Shape::FacetMap(value) => self.map(value, at),
            Shape::Object(object) => self.object(object, content, mix, at.depth + 1),
        }
    }

    /// The value written as another JSON type: a number or boolean as a
    /// string, a string or object in an array, an array in an object.
    fn retyped(&mut self, shape: &'static Shape, at: At<'_>) {
        let start = self.out.len();
        self.value(
            shape,
            At {
                breakable: false,
                ..at
            },
        );
        let (open, close): (&[u8], &[u8]) = match self.out.get(start) {
            Some(b'"' | b'{') => (b"[", b"]"),
            Some(b'[') => (b"{\"items\":", b"}"),
            _ => (b"\"", b"\""),
        };
        self.out.splice(start..start, open.iter().copied());
        self.out.extend_from_slice(close);
    }

    fn int(&mut self, min: i64, max: i64, at: At<'_>) {
        if at.breakable && self.decide(at.mix, Class::OutOfRange, 8) {
            let beyond = i128::from(max) + 1 + i128::from(self.c.byte());
            self.out.extend_from_slice(beyond.to_string().as_bytes());
            return;
        }
        let n = match at.content {
            Content::Base(value) => value.as_i64().unwrap_or_default(),
            Content::Made => match self.c.below(4) {
                0 => 0,
                1 => i64::from(self.c.byte()),
                2 => min,
                _ => max,
            },
        };
        self.out.extend_from_slice(n.to_string().as_bytes());
        if at.breakable && self.decide(at.mix, Class::IntegralFloat, 8) {
            self.out.extend_from_slice(b".0");
        }
    }

    /// One of `known`, a value of the future, or the base's own.
    fn enumerated(&mut self, known: &'static [&'static str], at: At<'_>) {
        let text = if at.breakable && self.decide(at.mix, Class::UnknownEnum, 24) {
            FUTURE[self.c.below(FUTURE.len())]
        } else {
            match at.content {
                Content::Base(value) => {
                    let text = value.as_str().unwrap_or_default();
                    match known.iter().find(|k| **k == text) {
                        Some(k) => *k,
                        // The base's own new value is drift.
                        None if at.mix.drift => return self.string(b"", text, at.mix),
                        None => known.first().copied().unwrap_or_default(),
                    }
                }
                Content::Made => known
                    .get(self.c.below(known.len()))
                    .copied()
                    .unwrap_or_default(),
            }
        };
        self.string(b"", text, at.mix);
    }

    fn text(&mut self, content: Content<'_>, mix: Mix) {
        let mut text = content.text(|| TEXTS[self.c.below(TEXTS.len())]);
        let invalid = self.decide(mix, Class::InvalidUtf8, 12);
        if self.decide(mix, Class::HugeString, 4) {
            let mut padded = text.into_owned();
            while padded.len() < mix.huge {
                padded.push_str(PADDING);
            }
            text = padded.into();
        }
        let prefix = if invalid { INVALID_UTF8 } else { b"" };
        self.string(prefix, &text, mix);
    }

    /// A string, with escapes it does not need now and then.
    fn string(&mut self, prefix: &[u8], text: &str, mix: Mix) {
        let all = self.decide(mix, Class::Escape, 48);
        text::string(&mut self.out, prefix, text, all);
    }

    /// One element of a list, unless the mix leaves it out.
    fn element(&mut self, first: &mut bool, item: &'static Shape, at: At<'_>) {
        if self.settled(first, None, item, at) {
            return;
        }
        self.separate(first);
        self.value(item, at);
    }

    fn list(&mut self, item: &'static Shape, at: At<'_>) {
        let elements = at.content.elements(self.c, 4);
        self.out.push(b'[');
        let mut first = true;
        for slot in 0..=elements.len() {
            if self.decide(at.mix, Class::NullInList, 24) {
                self.separate(&mut first);
                self.out.extend_from_slice(b"null");
            }
            if let Some(&content) = elements.get(slot) {
                self.element(&mut first, item, At { content, ..at });
            }
        }
        self.out.push(b']');
    }

    /// The clip list: hostile classes on one clip (the rest stays sound),
    /// at least one element that is no object, copies of clips; its last
    /// clip noted for truncation.
    fn clips(&mut self, shape: &'static Shape, at: At<'_>) {
        let Shape::List(item) = shape else {
            return self.value(shape, at);
        };
        let mix = at.mix;
        let elements = at.content.elements(self.c, 5);
        let focus = self.c.below(elements.len());
        // Before a clip, so that truncation never cuts it off.
        let odd = self.c.below(elements.len());
        self.out.push(b'[');
        let mut first = true;
        for slot in 0..=elements.len() {
            let per256 = if slot == odd { ALWAYS } else { 24 };
            if self.decide(mix, Class::NonObjectClip, per256) {
                self.separate(&mut first);
                let not_object = NOT_OBJECTS[self.c.below(NOT_OBJECTS.len())];
                self.out.extend_from_slice(not_object);
            }
            if self.decide(mix, Class::NullInList, 16) {
                self.separate(&mut first);
                self.out.extend_from_slice(b"null");
            }
            let Some(&content) = elements.get(slot) else {
                continue;
            };
            let clip_mix = if slot == focus { mix } else { mix.sound() };
            let before = self.classes.clone();
            let start = self.out.len() + usize::from(!first);
            let clip = At {
                content,
                mix: clip_mix,
                ..at
            };
            self.element(&mut first, item, clip);
            if self.out.len() <= start {
                continue;
            }
            let end = self.out.len();
            self.note_last(start, before);
            let before = self.classes.clone();
            if self.decide(mix, Class::DuplicateClip, 16) {
                self.out.push(b',');
                let copy = self.out.len();
                self.out.extend_from_within(start..end);
                self.note_last(copy, before);
            }
        }
        self.out.push(b']');
    }

    /// Notes the clip written from `start` on as the list's last.
    fn note_last(&mut self, start: usize, before: Classes) {
        self.last_clip = Some(LastClip {
            start,
            end: self.out.len(),
            before,
        });
    }

    fn map(&mut self, value: &'static Shape, at: At<'_>) {
        let mix = at.mix;
        let entries = at.content.entries(self.c);
        self.out.push(b'{');
        let mut first = true;
        for slot in 0..=entries.len() {
            if self.decide(mix, Class::NullInMap, 24) {
                self.fresh_key(&mut first);
                self.out.extend_from_slice(b"null");
            }
            if self.decide(mix, Class::OtherShapeMapValue, 12) {
                self.fresh_key(&mut first);
                self.out.extend_from_slice(b"[3,10]");
            }
            if counts(value) && self.decide(mix, Class::ZeroTotal, 12) {
                self.fresh_key(&mut first);
                self.zero(value);
            }
            let Some((key, content)) = entries.get(slot) else {
                continue;
            };
            let entry = At {
                content: *content,
                ..at
            };
            if self.decide(mix, Class::MapsDisagree, 12)
                || self.settled(&mut first, Some(key), value, entry)
            {
                continue;
            }
            let copies = 1 + usize::from(self.decide(mix, Class::DuplicateKey, 12));
            for _ in 0..copies {
                self.key(&mut first, key);
                self.value(value, entry);
            }
        }
        self.out.push(b'}');
    }

    /// A key no entry of the map has yet.
    fn fresh_key(&mut self, first: &mut bool) {
        let key = content::fresh_facet(self.c);
        self.key(first, &key);
    }

    /// An object of `shape` with its integer fields, all `0`.
    fn zero(&mut self, shape: &'static Shape) {
        self.out.push(b'{');
        let mut first = true;
        if let Shape::Object(object) = shape {
            for field in object.fields.iter().filter(|f| is_int(f.shape)) {
                self.key(&mut first, field.json);
                self.out.push(b'0');
            }
        }
        self.out.push(b'}');
    }
}

fn is_int(shape: &Shape) -> bool {
    matches!(shape, Shape::Int32 | Shape::Int64)
}

/// Whether values of `shape` are objects with counts (integer fields).
fn counts(shape: &Shape) -> bool {
    matches!(shape, Shape::Object(object) if object.fields.iter().any(|f| is_int(f.shape)))
}
