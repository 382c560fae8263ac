//! Body shapes: the same clip state written the ways real servers write it.
//!
//! [`shaped`] is a pure function from (seed, [`Shape`], clip state) to the
//! bytes of a response body, plus the [`Class`]es it really contains. The
//! writing is the model's generator ([`rhombus_model::generate::render`])
//! walking the state alongside the schema, so the classes the simulator
//! serves are the ones the model's property tests and fuzzers produce.

use crate::rng::Rng;
use rhombus_model::generate::{Choices, Classes, Mix, render};
use serde_json::Value;
use std::collections::BTreeSet;
use std::fmt;
use std::str::FromStr;

pub use rhombus_model::generate::Class;

/// How the simulator writes its bodies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub enum Shape {
    /// What the live API sends today: every spec field, a few undocumented
    /// ones, now and then an enum value the spec lacks. Bytes of this shape
    /// are the state as serialized, unchanged.
    #[default]
    Live,
    /// Only what the OpenAPI reference allows: its fields (some left out),
    /// its enum values, no `null` ([`Mix::SPEC`]).
    Spec,
    /// What a Java (Jackson) server sends: nulls for fields, in lists and
    /// maps, absent fields, escapes, `error: null` ([`Mix::JAVA`]).
    Java,
    /// A newer server: the `java` classes, plus unknown fields at every
    /// level, new enum values, retyped and out-of-range values, map entries
    /// of another shape, left out or with no segments ([`Mix::DRIFT`]).
    Drift,
    /// A broken or malicious server: the `drift` classes, plus invalid
    /// UTF-8, repeated keys and clips, deep nesting, huge strings,
    /// non-object clips and truncation ([`Mix::HOSTILE`], its strings
    /// [`HUGE_STRING_LEN`] bytes).
    Hostile,
}

/// How long a huge string of the `hostile` shape is, in bytes.
pub const HUGE_STRING_LEN: usize = 1 << 20;

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

    /// The mix the shape's bodies are written in (none for `live`: the
    /// state as it is).
    pub const fn mix(self) -> Option<Mix> {
        match self {
            Shape::Live => None,
            Shape::Spec => Some(Mix::SPEC),
            Shape::Java => Some(Mix::JAVA),
            Shape::Drift => Some(Mix::DRIFT),
            Shape::Hostile => Some(Mix {
                huge: HUGE_STRING_LEN,
                ..Mix::HOSTILE
            }),
        }
    }

    /// The classes this shape puts in its bodies.
    pub fn classes(self) -> Vec<Class> {
        self.mix().map(|mix| mix.classes()).unwrap_or_default()
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

/// A body written in some shape, and what it contains.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShapedBody {
    /// The body's bytes (JSON, except where a class says otherwise).
    pub bytes: Vec<u8>,
    /// Every class the bytes really contain (a class cut off by
    /// [`Class::Truncated`] is not listed).
    pub classes: BTreeSet<Class>,
}

/// Keeps shape draws apart from every other use of the seed.
const SHAPE_LABEL: u64 = 0x5A4E_0000;

/// Writes `state` (a success envelope, `{"error":…,"splicedClips":[…],…}`)
/// in `shape`, with every choice drawn from `seed`: the same arguments give
/// the same bytes.
///
/// Classes land by chance, each about as often as the generator's property
/// tests see it, except these: `java` and the shapes after it write `error`
/// as `null` in every body; `hostile` puts at least one element that is no
/// object in every clip list, keeps its other classes on one clip so the
/// rest stays sound, and cuts about one body in four in the middle of the
/// list's last element. Every clip keeps its id, status and progress
/// ([`KEPT`](rhombus_model::generate::KEPT)) in every shape.
pub fn shaped(seed: u64, shape: Shape, state: &Value) -> ShapedBody {
    let Some(mix) = shape.mix() else {
        return ShapedBody {
            bytes: serde_json::to_vec(state).unwrap_or_default(),
            classes: BTreeSet::new(),
        };
    };
    let mut rng = Rng::keyed(seed, &[SHAPE_LABEL, shape as u64]);
    let (mut word, mut left) = (0u64, 0);
    let mut choices = Choices::from_fn(move || {
        if left == 0 {
            (word, left) = (rng.next_u64(), 8);
        }
        left -= 1;
        let byte = word as u8;
        word >>= 8;
        byte
    });
    let mut classes = Classes::default();
    let bytes = render(state, &mut choices, mix, &mut classes);
    ShapedBody {
        bytes,
        classes: classes.seen().into_iter().collect(),
    }
}
