//! The classes of content a generated body can hold, and their count.

use std::fmt;

/// One kind of content a generated body holds on purpose. Each belongs to a
/// family that a [`Mix`](super::Mix) turns on or off; [`Class::name`] is
/// stable.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Class {
    /// A field left out (any mix: nothing is required).
    AbsentField,
    /// `null` for a field's value.
    NullField,
    /// `null` as a list element (a clip too).
    NullInList,
    /// `null` as a map value.
    NullInMap,
    /// `"error": null` in the envelope of a success.
    ErrorNull,
    /// A string written with escapes it does not need (`\u0041`, `\u00e9`,
    /// surrogate pairs, `\/`).
    Escape,
    /// A field the schema does not have, at any level.
    UnknownField,
    /// An enum value the schema does not list.
    UnknownEnum,
    /// A value of another JSON type than its field's (`"60"` for `60`,
    /// `[1.5]` for `1.5`).
    WrongType,
    /// An integral float (`60.0`) for an integer.
    IntegralFloat,
    /// An integer beyond its field's range.
    OutOfRange,
    /// A map entry whose value has another shape (`[3,10]` for a progress).
    OtherShapeMapValue,
    /// A map entry left out, so the map disagrees with its twin
    /// (`deviceUuidMap` with a device `deviceMap` has).
    MapsDisagree,
    /// A map entry whose counts are all `0` (a device whose `totalSegments`
    /// is `0`).
    ZeroTotal,
    /// Bytes that are not UTF-8 in a string or a key.
    InvalidUtf8,
    /// A key twice in one object or map.
    DuplicateKey,
    /// A clip sent twice (the copy follows its original).
    DuplicateClip,
    /// An element of `splicedClips` that is no object (`42`, `"clip"`).
    NonObjectClip,
    /// An unknown field whose value nests 5 to 1,025 arrays deep.
    DeepNesting,
    /// A string of [`Mix::huge`](super::Mix::huge) bytes or more.
    HugeString,
    /// The body stops in the middle of its clip list's last clip.
    Truncated,
}

/// The families of classes a [`Mix`](super::Mix) turns on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Family {
    /// Allowed in every mix.
    Any,
    /// [`Mix::nulls`](super::Mix::nulls).
    Nulls,
    /// [`Mix::escapes`](super::Mix::escapes).
    Escapes,
    /// [`Mix::drift`](super::Mix::drift).
    Drift,
    /// [`Mix::hostile`](super::Mix::hostile).
    Hostile,
}

impl Class {
    /// Every class, in declaration order.
    pub const ALL: [Class; 21] = [
        Class::AbsentField,
        Class::NullField,
        Class::NullInList,
        Class::NullInMap,
        Class::ErrorNull,
        Class::Escape,
        Class::UnknownField,
        Class::UnknownEnum,
        Class::WrongType,
        Class::IntegralFloat,
        Class::OutOfRange,
        Class::OtherShapeMapValue,
        Class::MapsDisagree,
        Class::ZeroTotal,
        Class::InvalidUtf8,
        Class::DuplicateKey,
        Class::DuplicateClip,
        Class::NonObjectClip,
        Class::DeepNesting,
        Class::HugeString,
        Class::Truncated,
    ];

    /// A short stable name, e.g. `null-in-list`.
    pub const fn name(self) -> &'static str {
        match self {
            Class::AbsentField => "absent-field",
            Class::NullField => "null-field",
            Class::NullInList => "null-in-list",
            Class::NullInMap => "null-in-map",
            Class::ErrorNull => "error-null",
            Class::Escape => "escape",
            Class::UnknownField => "unknown-field",
            Class::UnknownEnum => "unknown-enum",
            Class::WrongType => "wrong-type",
            Class::IntegralFloat => "integral-float",
            Class::OutOfRange => "out-of-range",
            Class::OtherShapeMapValue => "other-shape-map-value",
            Class::MapsDisagree => "maps-disagree",
            Class::ZeroTotal => "zero-total",
            Class::InvalidUtf8 => "invalid-utf8",
            Class::DuplicateKey => "duplicate-key",
            Class::DuplicateClip => "duplicate-clip",
            Class::NonObjectClip => "non-object-clip",
            Class::DeepNesting => "deep-nesting",
            Class::HugeString => "huge-string",
            Class::Truncated => "truncated",
        }
    }

    /// The family the class belongs to.
    pub(crate) const fn family(self) -> Family {
        match self {
            Class::AbsentField => Family::Any,
            Class::NullField | Class::NullInList | Class::NullInMap | Class::ErrorNull => {
                Family::Nulls
            }
            Class::Escape => Family::Escapes,
            Class::UnknownField
            | Class::UnknownEnum
            | Class::WrongType
            | Class::IntegralFloat
            | Class::OutOfRange
            | Class::OtherShapeMapValue
            | Class::MapsDisagree
            | Class::ZeroTotal => Family::Drift,
            Class::InvalidUtf8
            | Class::DuplicateKey
            | Class::DuplicateClip
            | Class::NonObjectClip
            | Class::DeepNesting
            | Class::HugeString
            | Class::Truncated => Family::Hostile,
        }
    }
}

impl fmt::Display for Class {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl std::str::FromStr for Class {
    type Err = String;

    /// A class by [`Class::name`].
    fn from_str(name: &str) -> Result<Self, Self::Err> {
        Class::ALL
            .into_iter()
            .find(|c| c.name() == name)
            .ok_or_else(|| format!("unknown class {name:?}"))
    }
}

/// How many times each class appeared in generated bodies.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Classes([usize; Class::ALL.len()]);

impl Classes {
    /// How many times `class` appeared.
    pub fn get(&self, class: Class) -> usize {
        self.0[class as usize]
    }

    /// Counts one more `class`.
    pub fn add(&mut self, class: Class) {
        let n = &mut self.0[class as usize];
        *n = n.saturating_add(1);
    }

    /// Adds every count of `other`.
    pub fn add_all(&mut self, other: &Classes) {
        for (n, more) in self.0.iter_mut().zip(other.0) {
            *n = n.saturating_add(more);
        }
    }

    /// The classes that appeared at least once, in [`Class::ALL`]'s order.
    pub fn seen(&self) -> Vec<Class> {
        Class::ALL
            .into_iter()
            .filter(|&c| self.get(c) > 0)
            .collect()
    }
}
