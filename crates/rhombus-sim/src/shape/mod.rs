//! Body shapes: the same clip state written the ways real servers write it.
//!
//! [`shaped`] is a pure function from (seed, [`Shape`], clip state) to the
//! bytes of a response body, plus the [`Class`]es of oddity that body really
//! contains. The simulator serves it; property tests and fuzz builders can
//! call it with their own seeds and states.

mod drift;
mod hostile;
mod java;
mod node;
mod spec;

use crate::rng::Rng;
use node::Node;
use serde_json::Value;
use std::collections::BTreeSet;
use std::fmt;
use std::str::FromStr;

/// How the simulator writes its bodies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub enum Shape {
    /// What the live API sends today: every spec field, a few undocumented
    /// ones, now and then an enum value the spec lacks. Bytes of this shape
    /// are the state as serialized, unchanged.
    #[default]
    Live,
    /// Only what the OpenAPI reference allows: its fields, its enum values.
    Spec,
    /// What a Java (Jackson) server sends: nulls inside lists and maps, absent
    /// fields, nulls wherever a value may be, `\uXXXX` escapes, `error: null`.
    Java,
    /// A newer server: unknown fields at every level, new enum values,
    /// retyped and out-of-range values, map values of another shape.
    Drift,
    /// A broken or malicious server: invalid UTF-8, repeated keys and clips,
    /// deep nesting, huge strings, non-object clips, truncated bodies.
    Hostile,
}

impl Shape {
    /// Every shape.
    pub const ALL: [Shape; 5] = [
        Shape::Live,
        Shape::Spec,
        Shape::Java,
        Shape::Drift,
        Shape::Hostile,
    ];

    /// The shape's name: `live`, `spec`, `java`, `drift` or `hostile`.
    pub const fn name(self) -> &'static str {
        match self {
            Shape::Live => "live",
            Shape::Spec => "spec",
            Shape::Java => "java",
            Shape::Drift => "drift",
            Shape::Hostile => "hostile",
        }
    }

    /// The classes this shape deliberately puts in its bodies.
    pub fn classes(self) -> &'static [Class] {
        match self {
            Shape::Live | Shape::Spec => &[],
            Shape::Java => java::CLASSES,
            Shape::Drift => drift::CLASSES,
            Shape::Hostile => hostile::CLASSES,
        }
    }
}

impl fmt::Display for Shape {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Shape {
    type Err = String;

    /// A shape by [`Shape::name`].
    fn from_str(name: &str) -> Result<Self, Self::Err> {
        Shape::ALL
            .into_iter()
            .find(|s| s.name() == name)
            .ok_or_else(|| {
                format!("unknown shape {name:?}; try live, spec, java, drift or hostile")
            })
    }
}

/// One kind of oddity a shaped body can contain; each is put there on purpose.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Class {
    /// `null` elements in lists (`"allowedRoles":[null,"…"]`, `devicePresentationOrder`).
    NullInList,
    /// A `null` map value (`deviceMap`, `deviceUuidMap`).
    NullMapValue,
    /// A `null` element in a `deviceUuidToAlteredViewMap` list.
    NullInMapList,
    /// Fields left out (of a clip, or `errorMsg` of the envelope).
    AbsentField,
    /// `null` for a value at every level (clip, `accessSettings`, a device's progress).
    NullValue,
    /// Strings written with `\uXXXX` escapes (surrogate pairs included).
    UnicodeEscape,
    /// `"error": null` in a success.
    ErrorNull,
    /// Unknown fields in the envelope.
    UnknownEnvelopeField,
    /// Unknown fields in a clip.
    UnknownClipField,
    /// Unknown fields in nested objects (`accessSettings`, `clipTargetLocation`, crops, dewarps).
    UnknownNestedField,
    /// An unknown field inside a map value (a `deviceMap` progress).
    UnknownMapValueField,
    /// Enum values the reference lacks (`status`, `visibility`, an integration).
    NewEnumValue,
    /// A string where an integer belongs (`"duration":"60"`).
    StringForInt,
    /// An integral float for an integer field (`"totalSegments":60.0`).
    IntegralFloat,
    /// An array where a number belongs (`"thumbnailRelativeSecond":[1.5]`).
    ArrayForNumber,
    /// An integer outside int32 (`"segmentsUploaded":2147483648`).
    OutOfRangeInt,
    /// A map value of another shape (`deviceUuidMap` value `[3,10]`).
    OtherShapeMapValue,
    /// `deviceUuidMap` not equal to `deviceMap` (a device missing from one).
    MapsDisagree,
    /// A device whose `totalSegments` is `0`.
    ZeroTotal,
    /// Bytes that are not UTF-8 inside a string (`title`).
    InvalidUtf8,
    /// A field twice in one clip (`status`; the last one is the current value).
    DuplicateField,
    /// A map key twice (`deviceMap`; the last one is the current value).
    DuplicateMapKey,
    /// The same clip twice in `splicedClips`.
    DuplicateClip,
    /// An unknown field nested [`DEEP_NESTING`] arrays deep.
    DeepNesting,
    /// A [`HUGE_STRING_LEN`]-byte `description`.
    HugeString,
    /// `splicedClips` elements that are not objects (`42`, `null`).
    NonObjectElement,
    /// The body stops in the middle of its last clip.
    Truncated,
}

impl Class {
    /// A short stable name, e.g. `null-in-list`.
    pub const fn name(self) -> &'static str {
        match self {
            Class::NullInList => "null-in-list",
            Class::NullMapValue => "null-map-value",
            Class::NullInMapList => "null-in-map-list",
            Class::AbsentField => "absent-field",
            Class::NullValue => "null-value",
            Class::UnicodeEscape => "unicode-escape",
            Class::ErrorNull => "error-null",
            Class::UnknownEnvelopeField => "unknown-envelope-field",
            Class::UnknownClipField => "unknown-clip-field",
            Class::UnknownNestedField => "unknown-nested-field",
            Class::UnknownMapValueField => "unknown-map-value-field",
            Class::NewEnumValue => "new-enum-value",
            Class::StringForInt => "string-for-int",
            Class::IntegralFloat => "integral-float",
            Class::ArrayForNumber => "array-for-number",
            Class::OutOfRangeInt => "out-of-range-int",
            Class::OtherShapeMapValue => "other-shape-map-value",
            Class::MapsDisagree => "maps-disagree",
            Class::ZeroTotal => "zero-total",
            Class::InvalidUtf8 => "invalid-utf8",
            Class::DuplicateField => "duplicate-field",
            Class::DuplicateMapKey => "duplicate-map-key",
            Class::DuplicateClip => "duplicate-clip",
            Class::DeepNesting => "deep-nesting",
            Class::HugeString => "huge-string",
            Class::NonObjectElement => "non-object-element",
            Class::Truncated => "truncated",
        }
    }
}

/// How deep [`Class::DeepNesting`] nests its arrays.
pub const DEEP_NESTING: usize = 1_000;

/// How long the string of [`Class::HugeString`] is, in bytes.
pub const HUGE_STRING_LEN: usize = 1 << 20;

/// A body written in some shape, and what it contains.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShapedBody {
    /// The body's bytes (JSON, except where a class says otherwise).
    pub bytes: Vec<u8>,
    /// Every class the bytes really contain (a class cut off by
    /// [`Class::Truncated`] is not listed).
    pub classes: BTreeSet<Class>,
}

/// Writes `state` (a success envelope, `{"error":…,"splicedClips":[…],…}`)
/// in `shape`, with every choice drawn from `seed`: the same arguments give
/// the same bytes.
///
/// Each class of [`Shape::classes`] is placed on purpose: the envelope's on
/// every body; a clip's on a clip chosen by the seed in every body with an
/// object clip (`java` and `drift` also on one other clip in five, by chance;
/// `hostile` on that one clip only, so the rest of the list stays sound);
/// [`Class::Truncated`] on one body in four (by seed).
pub fn shaped(seed: u64, shape: Shape, state: &Value) -> ShapedBody {
    if shape == Shape::Live {
        return ShapedBody {
            bytes: serde_json::to_vec(state).unwrap_or_default(),
            classes: BTreeSet::new(),
        };
    }
    let mut rng = Rng::keyed(seed, &[SHAPE_LABEL, shape as u64]);
    let mut body = Body::split(state);
    match shape {
        Shape::Live => {}
        Shape::Spec => {
            spec::prune_envelope(&mut body.envelope);
            for (clip, _) in &mut body.elements {
                spec::prune_clip(clip);
            }
        }
        Shape::Java => java::apply(&mut body, &mut rng),
        Shape::Drift => drift::apply(&mut body, &mut rng),
        Shape::Hostile => hostile::apply(&mut body, &mut rng),
    }
    body.finish()
}

/// Chance that a `java` or `drift` clip carries a class besides the clip
/// chosen for it.
const EXTRA_RATE: f64 = 0.2;

/// Keeps shape draws apart from every other use of the seed.
const SHAPE_LABEL: u64 = 0x5A4E_0000;

/// A body being shaped: the envelope without its list, the list's elements
/// with the classes each carries, and whether to cut it short.
#[derive(Debug)]
pub(crate) struct Body {
    envelope: Node,
    /// False when `splicedClips` is not an array (it then stays in the envelope).
    has_list: bool,
    elements: Vec<(Node, BTreeSet<Class>)>,
    /// Classes of the envelope and of the list as a whole.
    classes: BTreeSet<Class>,
    truncate: bool,
}

impl Body {
    /// Takes `splicedClips` out of the envelope, if it is an array.
    fn split(state: &Value) -> Self {
        let mut envelope = Node::from_value(state);
        let items = match envelope.get_mut("splicedClips") {
            Some(Node::Arr(items)) => Some(std::mem::take(items)),
            _ => None,
        };
        let has_list = items.is_some();
        if has_list {
            envelope.remove("splicedClips");
        }
        Body {
            envelope,
            has_list,
            elements: items
                .unwrap_or_default()
                .into_iter()
                .map(|clip| (clip, BTreeSet::new()))
                .collect(),
            classes: BTreeSet::new(),
            truncate: false,
        }
    }

    /// Indices of the elements that are objects (clips).
    fn clip_indices(&self) -> Vec<usize> {
        (0..self.elements.len())
            .filter(|&i| matches!(self.elements[i].0, Node::Obj(_)))
            .collect()
    }

    /// Offers each class, in order, to one clip chosen for it and, with
    /// probability `extra_rate`, to every other clip; `apply` says whether it
    /// could put the class there, and the clip records it if so.
    fn place(
        &mut self,
        rng: &mut Rng,
        classes: &[Class],
        extra_rate: f64,
        mut apply: impl FnMut(Class, &mut Node, &mut Rng) -> bool,
    ) {
        let clips = self.clip_indices();
        if clips.is_empty() {
            return;
        }
        let chosen: Vec<usize> = classes.iter().map(|_| *rng.pick(&clips)).collect();
        for &i in &clips {
            for (&class, &pick) in classes.iter().zip(&chosen) {
                if pick == i || rng.chance(extra_rate) {
                    let (clip, carried) = &mut self.elements[i];
                    if apply(class, clip, rng) {
                        carried.insert(class);
                    }
                }
            }
        }
    }

    /// Writes the envelope with `splicedClips` as its last member, cut in the
    /// middle of the last element if asked to, and lists the classes written.
    fn finish(self) -> ShapedBody {
        let mut classes = self.classes;
        let mut bytes = self.envelope.to_bytes();
        let mut last_start = None;
        if self.has_list && bytes.last() == Some(&b'}') {
            bytes.pop();
            if bytes.len() > 1 {
                bytes.push(b',');
            }
            bytes.extend_from_slice(b"\"splicedClips\":[");
            for (i, (element, _)) in self.elements.iter().enumerate() {
                if i > 0 {
                    bytes.push(b',');
                }
                last_start = Some(bytes.len());
                element.write(&mut bytes);
            }
            bytes.extend_from_slice(b"]}");
        }
        let last = self.elements.len().checked_sub(1);
        for (i, (_, carried)) in self.elements.iter().enumerate() {
            if !(self.truncate && Some(i) == last) {
                classes.extend(carried);
            }
        }
        if self.truncate {
            let cut = match last_start {
                Some(start) => start + (bytes.len() - 2 - start) / 2,
                None => bytes.len() / 2,
            };
            bytes.truncate(cut);
            classes.insert(Class::Truncated);
        }
        ShapedBody { bytes, classes }
    }
}
