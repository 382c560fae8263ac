//! [`Map`]: a JSON object's entries as a slice in the arena.

use std::fmt;
use std::ops::Deref;

use serde::ser::{Serialize, Serializer};

use crate::arena::Leaf;
use crate::drift::{Drift, FindDrift};
use crate::encode::WriteJson;
use crate::ids::DeviceFacetUuid;
use crate::raw::RawJson;

/// A JSON object's entries in the order they arrived, in the arena: an
/// arena [`FacetMap`] or [`Extra`]. Derefs to the slice of `(key, value)`.
#[derive(Clone, PartialEq)]
pub struct Map<'a, K, V>(&'a [(K, V)]);

/// An object keyed by device facet uuid: the arena form of [`crate::FacetMap`].
pub type FacetMap<'a, V> = Map<'a, Leaf<'a, DeviceFacetUuid<'a>>, V>;

/// An object's unknown fields, as raw JSON: the arena form of [`crate::Extra`].
pub type Extra<'a> = Map<'a, &'a str, RawJson<'a>>;

impl<'a, K, V> Map<'a, K, V> {
    /// The map holding `entries`, in their order.
    pub fn new(entries: &'a [(K, V)]) -> Self {
        Map(entries)
    }
}

impl<'a, K: AsRef<str>, V> Map<'a, K, V> {
    /// The value for `key` (the last one, if the server repeated a key).
    pub fn get(&self, key: &str) -> Option<&'a V> {
        crate::facet_map::last_value(self.0, key)
    }
}

impl<'a> Map<'a, &'a str, RawJson<'a>> {
    /// The unknown fields, in order.
    pub(crate) fn fields(&self) -> &'a [(&'a str, RawJson<'a>)] {
        self.0
    }
}

impl<K, V> Default for Map<'_, K, V> {
    fn default() -> Self {
        Map(&[])
    }
}

impl<'a, K, V> Deref for Map<'a, K, V> {
    type Target = [(K, V)];
    fn deref(&self) -> &[(K, V)] {
        self.0
    }
}

impl<K: fmt::Debug, V: fmt::Debug> fmt::Debug for Map<'_, K, V> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map()
            .entries(self.0.iter().map(|(k, v)| (k, v)))
            .finish()
    }
}

impl<K: AsRef<str>, V: WriteJson> WriteJson for Map<'_, K, V> {
    fn write_json(&self, out: &mut Vec<u8>) {
        crate::encode::map(out, self.0);
    }
}

impl<V: FindDrift> FindDrift for FacetMap<'_, V> {
    fn find_drift(&self, path: &mut String, out: &mut Vec<Drift>) {
        crate::drift::entries_drift(self.0, path, out);
    }
}

impl FindDrift for Extra<'_> {
    fn find_drift(&self, path: &mut String, out: &mut Vec<Drift>) {
        crate::drift::unknown_fields(self.0, path, out);
    }
}

impl<K: Serialize, V: Serialize> Serialize for Map<'_, K, V> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        crate::facet_map::serialize_entries(s, self.0)
    }
}
