//! Which classes a body may hold.

use super::class::{Class, Family};

/// Which families of [`Class`] a body may hold. Content a base document
/// brings is held to the same: a mix without `nulls` leaves its `null`s
/// out, one without `drift` its unknown fields and misfit values.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Mix {
    /// `null` for fields, list elements and map values; `"error": null`.
    pub nulls: bool,
    /// Unknown fields at every level, new enum values, values of another
    /// type (integral floats included), out-of-range numbers, map entries
    /// of another shape, left out or with counts of `0`.
    pub drift: bool,
    /// Invalid UTF-8, duplicate keys and clips, deep nesting, huge strings,
    /// elements of `splicedClips` that are no object, truncation; all on one
    /// clip of the list, so the rest stays sound.
    pub hostile: bool,
    /// Escapes strings do not need.
    pub escapes: bool,
    /// How long a [`Class::HugeString`] is, in bytes.
    pub huge: usize,
}

/// The length of a huge string in the mixes defined here.
const HUGE: usize = 4096;

impl Mix {
    /// What the OpenAPI reference allows: every field present or absent,
    /// values of their types.
    pub const SPEC: Mix = Mix {
        nulls: false,
        drift: false,
        hostile: false,
        escapes: false,
        huge: HUGE,
    };
    /// What a Java server sends: nulls anywhere, absent fields, escapes.
    pub const JAVA: Mix = Mix {
        nulls: true,
        escapes: true,
        ..Mix::SPEC
    };
    /// A newer server: unknown fields and values, retyped values.
    pub const DRIFT: Mix = Mix {
        drift: true,
        ..Mix::JAVA
    };
    /// Everything, hostile content included.
    pub const HOSTILE: Mix = Mix {
        hostile: true,
        ..Mix::DRIFT
    };

    /// Whether a body of this mix may hold `class`.
    pub const fn allows(&self, class: Class) -> bool {
        match class.family() {
            Family::Any => true,
            Family::Nulls => self.nulls,
            Family::Escapes => self.escapes,
            Family::Drift => self.drift,
            Family::Hostile => self.hostile,
        }
    }

    /// Every class a body of this mix may hold.
    pub fn classes(&self) -> Vec<Class> {
        Class::ALL.into_iter().filter(|&c| self.allows(c)).collect()
    }

    /// The mix without its hostile family (for the clips it spares).
    pub(crate) const fn sound(self) -> Mix {
        Mix {
            hostile: false,
            ..self
        }
    }
}
