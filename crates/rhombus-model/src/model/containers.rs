//! Lists and objects in the decoded tree: slices in the decoder's arena.
//!
//! Every element of a list and every value of a map is an [`Item`]: the
//! typed value, `null` (Java servers send them), or the raw JSON of a value
//! that did not fit the type, kept in its place (and reported when it was
//! decoded). Nothing the server sent is dropped.

use std::fmt;
use std::ops::Deref;

use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};

use crate::model::ids::DeviceFacetUuid;
use crate::model::leaves::RawJson;

/// One element of a list, or one value of a map.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Item<'a, T> {
    /// A value of the element type.
    Value(T),
    /// `null`.
    Null,
    /// A value that did not fit the element type, as sent.
    Raw(RawJson<'a>),
}

impl<'a, T> Item<'a, T> {
    /// The typed value, if this is one.
    pub fn value(&self) -> Option<&T> {
        match self {
            Item::Value(v) => Some(v),
            _ => None,
        }
    }

    /// Whether the server sent `null` here.
    pub fn is_null(&self) -> bool {
        matches!(self, Item::Null)
    }

    /// The raw JSON of a value that did not fit, if this is one.
    pub fn raw(&self) -> Option<RawJson<'a>> {
        match self {
            Item::Raw(raw) => Some(*raw),
            _ => None,
        }
    }
}

/// A JSON array: its elements in order, in the arena.
pub struct List<'a, T>(&'a [Item<'a, T>]);

impl<'a, T> List<'a, T> {
    /// The list of `items`.
    pub fn new(items: &'a [Item<'a, T>]) -> Self {
        List(items)
    }

    /// Every element, typed or not.
    pub fn items(&self) -> &'a [Item<'a, T>] {
        self.0
    }

    /// The elements of the list's type, in order (skipping `null` and raw ones).
    pub fn values(&self) -> impl DoubleEndedIterator<Item = &'a T> + use<'a, T> {
        self.0.iter().filter_map(Item::value)
    }
}

impl<T> Clone for List<'_, T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for List<'_, T> {}

impl<T> Default for List<'_, T> {
    fn default() -> Self {
        List(&[])
    }
}

impl<'a, T> Deref for List<'a, T> {
    type Target = [Item<'a, T>];
    fn deref(&self) -> &[Item<'a, T>] {
        self.0
    }
}

impl<T: PartialEq> PartialEq for List<'_, T> {
    fn eq(&self, other: &Self) -> bool {
        self.0 == other.0
    }
}

impl<T: fmt::Debug> fmt::Debug for List<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.0).finish()
    }
}

/// A JSON object read as a map: its entries in the order they arrived, in
/// the arena. A key sent twice keeps both entries (and was reported); `get`
/// and every view read the first.
pub struct Map<'a, K, V>(&'a [(K, Item<'a, V>)]);

/// An object keyed by device facet uuid (`deviceMap` and its kin).
pub type FacetMap<'a, V> = Map<'a, DeviceFacetUuid<'a>, V>;

impl<'a, K: AsRef<str>, V> Map<'a, K, V> {
    /// The map holding `entries`, in their order.
    pub fn new(entries: &'a [(K, Item<'a, V>)]) -> Self {
        Map(entries)
    }

    /// Every entry, typed or not, in order.
    pub fn entries(&self) -> &'a [(K, Item<'a, V>)] {
        self.0
    }

    /// The entry for `key` (the first, if the server repeated it).
    pub fn item(&self, key: &str) -> Option<&'a Item<'a, V>> {
        self.0
            .iter()
            .find(|(k, _)| k.as_ref() == key)
            .map(|(_, v)| v)
    }

    /// The typed value for `key` (the first entry, if the server repeated it).
    pub fn get(&self, key: &str) -> Option<&'a V> {
        self.item(key).and_then(Item::value)
    }

    /// The typed entries, each key once (its first entry), in order.
    pub fn iter(&self) -> impl Iterator<Item = (&'a K, &'a V)> + use<'a, K, V> {
        let entries = self.0;
        entries.iter().enumerate().filter_map(move |(i, (k, v))| {
            let first = !entries[..i].iter().any(|(e, _)| e.as_ref() == k.as_ref());
            let value = v.value().filter(|_| first)?;
            Some((k, value))
        })
    }
}

impl<K, V> Clone for Map<'_, K, V> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<K, V> Copy for Map<'_, K, V> {}

impl<K, V> Default for Map<'_, K, V> {
    fn default() -> Self {
        Map(&[])
    }
}

impl<'a, K, V> Deref for Map<'a, K, V> {
    type Target = [(K, Item<'a, V>)];
    fn deref(&self) -> &[(K, Item<'a, V>)] {
        self.0
    }
}

impl<K: PartialEq, V: PartialEq> PartialEq for Map<'_, K, V> {
    fn eq(&self, other: &Self) -> bool {
        self.0 == other.0
    }
}

impl<K: fmt::Debug, V: fmt::Debug> fmt::Debug for Map<'_, K, V> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map()
            .entries(self.0.iter().map(|(k, v)| (k, v)))
            .finish()
    }
}

/// An object's fields this version does not know, and known fields whose
/// value did not fit (or came twice), each as raw JSON in arrival order:
/// written out again after the typed fields, so nothing is lost.
#[derive(Clone, Copy, Default, PartialEq)]
pub struct Extra<'a>(&'a [(&'a str, RawJson<'a>)]);

impl<'a> Extra<'a> {
    /// The set holding `fields`, in their order.
    pub fn new(fields: &'a [(&'a str, RawJson<'a>)]) -> Self {
        Extra(fields)
    }

    /// The raw JSON of the field `name` (the first, if it came twice).
    pub fn get(&self, name: &str) -> Option<RawJson<'a>> {
        self.0.iter().find(|(k, _)| *k == name).map(|(_, v)| *v)
    }

    /// The fields, in order.
    pub fn fields(&self) -> &'a [(&'a str, RawJson<'a>)] {
        self.0
    }

    /// The fields, in order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = (&'a str, RawJson<'a>)> + use<'a> {
        self.0.iter().copied()
    }

    /// Number of fields.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Debug for Extra<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

impl<T: Serialize> Serialize for Item<'_, T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Item::Value(v) => v.serialize(s),
            Item::Null => s.serialize_unit(),
            Item::Raw(raw) => raw.serialize(s),
        }
    }
}

impl<T: Serialize> Serialize for List<'_, T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(self.0.len()))?;
        for item in self.0 {
            seq.serialize_element(item)?;
        }
        seq.end()
    }
}

impl<K: Serialize, V: Serialize> Serialize for Map<'_, K, V> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in self.0 {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}
