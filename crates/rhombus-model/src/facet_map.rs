//! [`FacetMap`]: the API's objects keyed by device facet uuid.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{Deserialize, Deserializer, MapAccess, Visitor};
use serde::ser::{Serialize, SerializeMap, Serializer};

use crate::ids::DeviceFacetUuid;
use crate::owned::IntoOwned;

/// A JSON object keyed by device facet uuid (`deviceMap`, `deviceUuidMap`,
/// the altered-view and fisheye maps), kept in the order the server sent it.
///
/// Lookups are linear: these maps hold one entry per camera of a clip.
#[derive(Clone, PartialEq)]
pub struct FacetMap<'a, V>(Vec<(DeviceFacetUuid<'a>, V)>);

impl<V> Default for FacetMap<'_, V> {
    fn default() -> Self {
        FacetMap(Vec::new())
    }
}

impl<'a, V> FacetMap<'a, V> {
    /// The map holding `entries`, in their order.
    pub(crate) fn from_entries(entries: Vec<(DeviceFacetUuid<'a>, V)>) -> Self {
        FacetMap(entries)
    }

    /// The value for a facet uuid (the last one, if the server repeated a key).
    pub fn get(&self, key: &str) -> Option<&V> {
        last_value(&self.0, key)
    }

    /// Entries in the order they arrived.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = (&DeviceFacetUuid<'a>, &V)> {
        self.0.iter().map(|(k, v)| (k, v))
    }

    /// The keys in the order they arrived.
    pub fn keys(&self) -> impl ExactSizeIterator<Item = &DeviceFacetUuid<'a>> {
        self.0.iter().map(|(k, _)| k)
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether the map is empty.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Appends an entry.
    pub fn push(&mut self, key: DeviceFacetUuid<'a>, value: V) {
        self.0.push((key, value));
    }

    /// The entries as a slice.
    pub(crate) fn entries(&self) -> &[(DeviceFacetUuid<'a>, V)] {
        &self.0
    }

    /// The entries, by value.
    pub(crate) fn into_entries(self) -> Vec<(DeviceFacetUuid<'a>, V)> {
        self.0
    }
}

/// The value of the last entry keyed `key` (a repeated key's last value
/// wins, as in serde_json's maps).
pub(crate) fn last_value<'s, K: AsRef<str>, V>(entries: &'s [(K, V)], key: &str) -> Option<&'s V> {
    entries
        .iter()
        .rev()
        .find(|(k, _)| k.as_ref() == key)
        .map(|(_, v)| v)
}

impl<'a, V> FromIterator<(DeviceFacetUuid<'a>, V)> for FacetMap<'a, V> {
    fn from_iter<I: IntoIterator<Item = (DeviceFacetUuid<'a>, V)>>(iter: I) -> Self {
        FacetMap(iter.into_iter().collect())
    }
}

impl<V: fmt::Debug> fmt::Debug for FacetMap<'_, V> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

impl<V: IntoOwned> IntoOwned for FacetMap<'_, V> {
    type Owned = FacetMap<'static, V::Owned>;
    fn into_owned(self) -> Self::Owned {
        FacetMap(
            self.0
                .into_iter()
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect(),
        )
    }
}

impl<V: Serialize> Serialize for FacetMap<'_, V> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        serialize_entries(s, &self.0)
    }
}

/// Serialises `(key, value)` entries as one map, in their order.
pub(crate) fn serialize_entries<S: Serializer, K: Serialize, V: Serialize>(
    s: S,
    entries: &[(K, V)],
) -> Result<S::Ok, S::Error> {
    let mut map = s.serialize_map(Some(entries.len()))?;
    for (k, v) in entries {
        map.serialize_entry(k, v)?;
    }
    map.end()
}

impl<'de: 'a, 'a, V: Deserialize<'de>> Deserialize<'de> for FacetMap<'a, V> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct MapVisitor<'a, V>(PhantomData<FacetMap<'a, V>>);
        impl<'de: 'a, 'a, V: Deserialize<'de>> Visitor<'de> for MapVisitor<'a, V> {
            type Value = FacetMap<'a, V>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object keyed by device facet uuid")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                // Cap the pre-allocation: the size hint comes from untrusted input.
                let mut entries = Vec::with_capacity(map.size_hint().unwrap_or(0).min(16));
                while let Some((k, v)) = map.next_entry()? {
                    entries.push((k, v));
                }
                Ok(FacetMap(entries))
            }
        }
        d.deserialize_map(MapVisitor(PhantomData))
    }
}
