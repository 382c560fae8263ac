//! [`Decode`] for the leaves and containers of the model.

use std::collections::HashSet;

use crate::decode::cx::{Cx, Decode, Place};
use crate::lex::Fail;
use crate::model::containers::{Item, List, Map};
use crate::model::enums::{ClipStatus, Integration, Visibility};
use crate::model::ids::{DeviceFacetUuid, Ruuid};
use crate::model::leaves::{Float, RawJson};

impl<'a> Decode<'a> for bool {
    const EXPECTED: &'static str = "a boolean";
    #[inline]
    fn decode<'i, P: Place<'i, 'a>>(cx: &mut Cx<'i, 'a>) -> Result<Self, Fail> {
        cx.lx.bool()
    }
}

impl<'a> Decode<'a> for i32 {
    const EXPECTED: &'static str = "a 32-bit integer";
    #[inline]
    fn decode<'i, P: Place<'i, 'a>>(cx: &mut Cx<'i, 'a>) -> Result<Self, Fail> {
        cx.lx.int()
    }
}

impl<'a> Decode<'a> for i64 {
    const EXPECTED: &'static str = "a 64-bit integer";
    #[inline]
    fn decode<'i, P: Place<'i, 'a>>(cx: &mut Cx<'i, 'a>) -> Result<Self, Fail> {
        cx.lx.int()
    }
}

impl<'a> Decode<'a> for &'a str {
    const EXPECTED: &'static str = "a string";
    #[inline]
    fn decode<'i, P: Place<'i, 'a>>(cx: &mut Cx<'i, 'a>) -> Result<Self, Fail> {
        let at = cx.lx.pos;
        let token = cx.lx.string()?;
        cx.text::<P>(token, at)
    }
}

/// Ids and open enums are strings underneath.
macro_rules! from_text {
    ($($t:ident: $expected:literal via $make:path),* $(,)?) => {$(
        impl<'a> Decode<'a> for $t<'a> {
            const EXPECTED: &'static str = $expected;
            #[inline]
            fn decode<'i, P: Place<'i, 'a>>(cx: &mut Cx<'i, 'a>) -> Result<Self, Fail> {
                <&'a str>::decode::<P>(cx).map($make)
            }
        }
    )*};
}
from_text!(
    Ruuid: "a uuid string" via Ruuid::from,
    DeviceFacetUuid: "a device uuid string" via DeviceFacetUuid::from,
    ClipStatus: "a status string" via ClipStatus::parse,
    Visibility: "a visibility string" via Visibility::parse,
    Integration: "an integration string" via Integration::parse,
);

impl<'a> Decode<'a> for Float<'a> {
    const EXPECTED: &'static str = "a number within the range of a 32-bit float";
    #[inline]
    fn decode<'i, P: Place<'i, 'a>>(cx: &mut Cx<'i, 'a>) -> Result<Self, Fail> {
        if !matches!(cx.lx.peek()?, b'-' | b'0'..=b'9') {
            return Err(cx.lx.misfit());
        }
        let start = cx.lx.pos;
        let (text, has_exponent) = cx.lx.number()?;
        if !crate::lex::in_f32_range(text, has_exponent) {
            cx.lx.pos = start;
            return Err(cx.lx.fail(crate::lex::Code::OutOfRange));
        }
        Ok(Float::from_checked(P::text(text, cx.bump)))
    }
}

impl<'a> Decode<'a> for RawJson<'a> {
    const EXPECTED: &'static str = "any JSON value";
    #[inline]
    fn decode<'i, P: Place<'i, 'a>>(cx: &mut Cx<'i, 'a>) -> Result<Self, Fail> {
        cx.raw::<P>()
    }
}

impl<'a, T: Decode<'a>> Decode<'a> for List<'a, T> {
    const EXPECTED: &'static str = "an array";
    fn decode<'i, P: Place<'i, 'a>>(cx: &mut Cx<'i, 'a>) -> Result<Self, Fail> {
        if !cx.lx.begin_array()? {
            return Ok(List::default());
        }
        let first = element::<T, P>(cx)?;
        if !cx.lx.next_element()? {
            return Ok(List::new(std::slice::from_ref(cx.bump.alloc(first))));
        }
        let mut items = cx.list_buffer();
        items.push(first);
        loop {
            items.push(element::<T, P>(cx)?);
            if items.len() % 1024 == 0 {
                cx.check_tree()?;
            }
            if !cx.lx.next_element()? {
                break;
            }
        }
        cx.saw_length(items.len());
        Ok(List::new(items.into_bump_slice()))
    }
}

/// A map's key type: made from the key's text, which it gives back.
pub(crate) trait MapKey<'a>: From<&'a str> + AsRef<str> {
    fn key(&self) -> &'a str;
}

impl<'a> MapKey<'a> for DeviceFacetUuid<'a> {
    fn key(&self) -> &'a str {
        self.as_str()
    }
}

/// One element of a list, counted when it is a clip.
#[inline]
fn element<'i, 'a, T: Decode<'a>, P: Place<'i, 'a>>(
    cx: &mut Cx<'i, 'a>,
) -> Result<Item<'a, T>, Fail> {
    let start = cx.lx.pos;
    let item = cx.item::<T, P>()?;
    if T::COUNTED {
        cx.count_clip(start)?;
    }
    Ok(item)
}

impl<'a, K: MapKey<'a>, V: Decode<'a>> Decode<'a> for Map<'a, K, V> {
    const EXPECTED: &'static str = "an object";
    fn decode<'i, P: Place<'i, 'a>>(cx: &mut Cx<'i, 'a>) -> Result<Self, Fail> {
        if !cx.lx.begin_object()? {
            return Ok(Map::default());
        }
        let key = cx.key::<P>()?;
        let first = (K::from(key), cx.item::<V, P>()?);
        if !cx.lx.next_member()? {
            return Ok(Map::new(std::slice::from_ref(cx.bump.alloc(first))));
        }
        let mut entries = cx.list_buffer();
        entries.push(first);
        let mut keys = Keys::default();
        loop {
            let key = cx.key::<P>()?;
            let before = entries.iter().map(|(k, _): &(K, _)| k.key());
            if !keys.is_new(key, entries.len(), before) {
                cx.lx.peek()?;
                cx.note(crate::lex::Code::DuplicateKey, cx.lx.pos, "each key once")?;
            }
            entries.push((K::from(key), cx.item::<V, P>()?));
            if entries.len() % 1024 == 0 {
                cx.check_tree()?;
            }
            if !cx.lx.next_member()? {
                break;
            }
        }
        cx.saw_length(entries.len());
        Ok(Map::new(entries.into_bump_slice()))
    }
}

/// A check for keys sent twice in one object: a scan of the keys so far
/// while they are few (no allocation for the usual object), then a hash set
/// (a hostile object of a million keys costs a million look-ups, not a
/// million squared).
#[derive(Default)]
pub(crate) struct Keys<'a> {
    set: Option<HashSet<&'a str>>,
}

/// Keys scanned before a set is built.
const FEW: usize = 16;

impl<'a> Keys<'a> {
    /// Whether `key` is new, given the object's keys so far (`before`);
    /// the caller then adds it to its own list.
    #[inline]
    pub(crate) fn is_new(
        &mut self,
        key: &'a str,
        count: usize,
        mut before: impl Iterator<Item = &'a str>,
    ) -> bool {
        if let Some(set) = &mut self.set {
            return set.insert(key);
        }
        if count < FEW {
            return !before.any(|k| k == key);
        }
        let mut set: HashSet<&'a str> = before.collect();
        let new = set.insert(key);
        self.set = Some(set);
        new
    }
}
