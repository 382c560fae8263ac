//! [`ArenaDecode`]: the fast path's reader, decoding into the arena.

use bumpalo::Bump;
use bumpalo::collections::Vec as ArenaVec;

use crate::arena::{ArenaForm, Map};
use crate::enums::{ClipStatus, Integration, Visibility};
use crate::fast::{Bail, Borrow, FastDecode, Items, Key, List, Reader, list};
use crate::ids::{DeviceFacetUuid, Ruuid};
use crate::raw::{Float, RawJson};
use crate::text::Str;

/// An arena type the fast path can decode, allocating in `bump`.
pub(crate) trait ArenaDecode<'a>: Sized {
    /// Decodes one value at the reader's position (leading whitespace allowed).
    fn arena_decode(r: &mut Reader<'a>, bump: &'a Bump) -> Result<Self, Bail>;
}

/// Leaves decode as the fast path decodes them, then move into the arena
/// (a no-op unless the text had escapes).
macro_rules! leaf {
    ($($t:ty),*) => {$(
        impl<'a> ArenaDecode<'a> for $t {
            #[inline]
            fn arena_decode(r: &mut Reader<'a>, bump: &'a Bump) -> Result<Self, Bail> {
                <$t as FastDecode<'a>>::fast_decode::<Borrow>(r).map(|v| v.into_arena(bump))
            }
        }
    )*};
}
leaf!(
    bool,
    i32,
    i64,
    Str<'a>,
    Ruuid<'a>,
    DeviceFacetUuid<'a>,
    ClipStatus<'a>,
    Visibility<'a>,
    Integration<'a>,
    Float<'a>,
    RawJson<'a>
);

impl<'a, T: ArenaDecode<'a>> ArenaDecode<'a> for Option<T> {
    #[inline]
    fn arena_decode(r: &mut Reader<'a>, bump: &'a Bump) -> Result<Self, Bail> {
        if r.null()? {
            Ok(None)
        } else {
            T::arena_decode(r, bump).map(Some)
        }
    }
}

impl<'a, T: ArenaDecode<'a>> ArenaDecode<'a> for &'a [T] {
    fn arena_decode(r: &mut Reader<'a>, bump: &'a Bump) -> Result<Self, Bail> {
        if !r.begin_array()? {
            return Ok(&[]);
        }
        let items = list(
            r,
            Reader::next_element,
            |r| T::arena_decode(r, bump),
            |n| ArenaVec::with_capacity_in(n, bump),
        )?;
        Ok(in_arena(items, bump))
    }
}

impl<'a, V: ArenaDecode<'a>> ArenaDecode<'a> for Map<'a, DeviceFacetUuid<'a>, V> {
    fn arena_decode(r: &mut Reader<'a>, bump: &'a Bump) -> Result<Self, Bail> {
        if !r.begin_object()? {
            return Ok(Map::default());
        }
        let item = |r: &mut Reader<'a>| {
            let key = DeviceFacetUuid::from(r.key()?.into_str()).into_arena(bump);
            Ok((key, V::arena_decode(r, bump)?))
        };
        let entries = list(r, Reader::next_member, item, |n| {
            ArenaVec::with_capacity_in(n, bump)
        })?;
        Ok(Map::new(in_arena(entries, bump)))
    }
}

/// A decoded list's items as a slice in the arena: several were read
/// straight into it (written once, in place, when the length hint was
/// right), one is moved there.
#[inline]
fn in_arena<'a, T>(items: List<T, ArenaVec<'a, T>>, bump: &'a Bump) -> &'a [T] {
    match items {
        List::One(item) => std::slice::from_ref(bump.alloc(item)),
        List::Many(items) => items.into_bump_slice(),
    }
}

impl<T> Items<T> for ArenaVec<'_, T> {
    #[inline]
    fn push(&mut self, item: T) {
        ArenaVec::push(self, item);
    }
    #[inline]
    fn len(&self) -> usize {
        ArenaVec::len(self)
    }
}

/// An unknown field: its key and raw value (the key just read).
pub(crate) fn unknown_field<'a>(
    r: &mut Reader<'a>,
    key: Key<'a>,
    bump: &'a Bump,
) -> Result<(Str<'a>, RawJson<'a>), Bail> {
    let name = key.into_str().into_arena(bump);
    Ok((name, RawJson::arena_decode(r, bump)?))
}
