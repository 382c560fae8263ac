//! [`ArenaDecode`]: the fast path's reader, decoding into the arena.

use bumpalo::Bump;
use bumpalo::collections::Vec as ArenaVec;

use crate::arena::leaf::Text;
use crate::arena::{FacetMap, Leaf, Map};
use crate::enums::{ClipStatus, Integration, Visibility};
use crate::fast::{Bail, Borrow, Copy, FastDecode, Items, Key, List, Reader, list, raw_json};
use crate::ids::{DeviceFacetUuid, Ruuid};
use crate::raw::{Float, RawJson};
use crate::text::Str;

/// An arena type the fast path can decode, allocating in `bump`.
pub(crate) trait ArenaDecode<'a>: Sized {
    /// Decodes one value at the reader's position (leading whitespace
    /// allowed), its text borrowed from the input (`'i`) or copied into
    /// `bump` as `P` says.
    fn arena_decode<'i, P: Place<'i, 'a>>(r: &mut Reader<'i>, bump: &'a Bump)
    -> Result<Self, Bail>;
}

/// Where an arena decode puts the text it reads (`'i`: the input's
/// lifetime, `'a`: the arena's).
pub(crate) trait Place<'i, 'a> {
    /// Text read from the input, as the tree keeps it.
    fn text(text: Str<'i>, bump: &'a Bump) -> &'a str;
}

/// The input outlives the tree: text stays in it, and only text that had
/// escapes (already unescaped into a `String`) moves into the arena.
impl<'a> Place<'a, 'a> for Borrow {
    #[inline]
    fn text(text: Str<'a>, bump: &'a Bump) -> &'a str {
        text.into_text(bump)
    }
}

/// The input is a buffer the tree must not borrow (a reader's window):
/// all text is copied into the arena.
impl<'i, 'a> Place<'i, 'a> for Copy {
    #[inline]
    fn text(text: Str<'i>, bump: &'a Bump) -> &'a str {
        bump.alloc_str(text.as_str())
    }
}

impl<'a> ArenaDecode<'a> for bool {
    #[inline]
    fn arena_decode<'i, P: Place<'i, 'a>>(r: &mut Reader<'i>, _: &'a Bump) -> Result<Self, Bail> {
        r.bool()
    }
}

macro_rules! int {
    ($($t:ty),*) => {$(
        impl<'a> ArenaDecode<'a> for $t {
            #[inline]
            fn arena_decode<'i, P: Place<'i, 'a>>(r: &mut Reader<'i>, _: &'a Bump) -> Result<Self, Bail> {
                r.int()
            }
        }
    )*};
}
int!(i32, i64);

impl<'a> ArenaDecode<'a> for &'a str {
    #[inline]
    fn arena_decode<'i, P: Place<'i, 'a>>(
        r: &mut Reader<'i>,
        bump: &'a Bump,
    ) -> Result<Self, Bail> {
        Ok(P::text(r.str()?, bump))
    }
}

/// Ids and open enums accept any string, as their fast decoders do (which
/// read a string and then wrap or parse it): the leaf keeps the string,
/// unparsed.
macro_rules! string_leaf {
    ($($t:ident),*) => {$(
        impl<'a> ArenaDecode<'a> for Leaf<'a, $t<'a>> {
            #[inline]
            fn arena_decode<'i, P: Place<'i, 'a>>(r: &mut Reader<'i>, bump: &'a Bump) -> Result<Self, Bail> {
                <&'a str>::arena_decode::<P>(r, bump).map(Leaf::new)
            }
        }
    )*};
}
string_leaf!(Ruuid, DeviceFacetUuid, ClipStatus, Visibility, Integration);

/// A float reads as the model's does (a JSON number within `f32`'s range),
/// then keeps only its text.
impl<'a> ArenaDecode<'a> for Leaf<'a, Float<'a>> {
    #[inline]
    fn arena_decode<'i, P: Place<'i, 'a>>(
        r: &mut Reader<'i>,
        bump: &'a Bump,
    ) -> Result<Self, Bail> {
        let value = Float::fast_decode::<Borrow>(r)?;
        Ok(Leaf::new(P::text(value.into_str(), bump)))
    }
}

impl<'a> ArenaDecode<'a> for RawJson<'a> {
    #[inline]
    fn arena_decode<'i, P: Place<'i, 'a>>(
        r: &mut Reader<'i>,
        bump: &'a Bump,
    ) -> Result<Self, Bail> {
        raw_json(P::text(Str::borrowed(r.raw()?), bump))
    }
}

impl<'a, T: ArenaDecode<'a>> ArenaDecode<'a> for Option<T> {
    #[inline]
    fn arena_decode<'i, P: Place<'i, 'a>>(
        r: &mut Reader<'i>,
        bump: &'a Bump,
    ) -> Result<Self, Bail> {
        if r.null()? {
            Ok(None)
        } else {
            T::arena_decode::<P>(r, bump).map(Some)
        }
    }
}

impl<'a, T: ArenaDecode<'a>> ArenaDecode<'a> for &'a [T] {
    fn arena_decode<'i, P: Place<'i, 'a>>(
        r: &mut Reader<'i>,
        bump: &'a Bump,
    ) -> Result<Self, Bail> {
        if !r.begin_array()? {
            return Ok(&[]);
        }
        let items = arena_list(
            r,
            Reader::next_element,
            |r| T::arena_decode::<P>(r, bump),
            bump,
        )?;
        Ok(in_arena(items, bump))
    }
}

impl<'a, V: ArenaDecode<'a>> ArenaDecode<'a> for FacetMap<'a, V> {
    fn arena_decode<'i, P: Place<'i, 'a>>(
        r: &mut Reader<'i>,
        bump: &'a Bump,
    ) -> Result<Self, Bail> {
        if !r.begin_object()? {
            return Ok(Map::default());
        }
        let item = |r: &mut Reader<'i>| {
            let key = Leaf::new(P::text(r.key()?.into_str(), bump));
            Ok((key, V::arena_decode::<P>(r, bump)?))
        };
        let entries = arena_list(r, Reader::next_member, item, bump)?;
        Ok(Map::new(in_arena(entries, bump)))
    }
}

/// [`list`] read straight into the arena. The first one begun after
/// [`Reader::plan_next_list`] is sized by the plan when it is larger than
/// the reader's guess (the clip list of a large response).
#[inline]
fn arena_list<'i, 'a, T>(
    r: &mut Reader<'i>,
    more: fn(&mut Reader<'i>) -> Result<bool, Bail>,
    item: impl FnMut(&mut Reader<'i>) -> Result<T, Bail>,
    bump: &'a Bump,
) -> Result<List<T, ArenaVec<'a, T>>, Bail> {
    let planned = r.take_planned();
    list(r, more, item, |n| with_capacity(n.max(planned), bump))
}

/// An arena `Vec` for `n` items; for fewer (at least two) if the arena
/// cannot have room for `n`, which may be an overestimate.
#[inline]
pub(crate) fn with_capacity<'a, T>(n: usize, bump: &'a Bump) -> ArenaVec<'a, T> {
    let mut items = ArenaVec::new_in(bump);
    if items.try_reserve_exact(n).is_err() {
        items.reserve_exact(2);
    }
    items
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
}

/// An unknown field: its key and raw value (the key just read).
pub(crate) fn unknown_field<'i, 'a, P: Place<'i, 'a>>(
    r: &mut Reader<'i>,
    key: Key<'i>,
    bump: &'a Bump,
) -> Result<(&'a str, RawJson<'a>), Bail> {
    let name = P::text(key.into_str(), bump);
    Ok((name, RawJson::arena_decode::<P>(r, bump)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_planned_capacity_sizes_the_next_list_begun_and_only_it() {
        let bump = Bump::new();
        // Two outer items, the first holding a list of three.
        let mut r = Reader::new(r#"[[1,2,3],[4,5]]"#);
        r.plan_next_list(100);
        assert!(r.begin_array().expect("an array"));
        let mut inner_capacities = Vec::new();
        let inner = |r: &mut Reader<'_>| {
            assert!(r.begin_array()?);
            let List::Many(items) = arena_list(r, Reader::next_element, Reader::int::<i32>, &bump)?
            else {
                panic!("two or more")
            };
            inner_capacities.push(items.capacity());
            Ok(items.into_bump_slice())
        };
        let outer = arena_list(&mut r, Reader::next_element, inner, &bump).expect("decodes");
        let List::Many(outer) = outer else {
            panic!("two items")
        };
        assert_eq!(outer.as_slice(), [&[1, 2, 3][..], &[4, 5][..]]);
        assert_eq!(outer.capacity(), 100, "the outer list got the plan");
        assert!(
            inner_capacities.iter().all(|&c| c < 100),
            "{inner_capacities:?}"
        );
    }

    #[test]
    fn a_capacity_the_arena_cannot_have_falls_back_to_a_small_one() {
        let bump = Bump::new();
        bump.set_allocation_limit(Some(64 * 1024));
        let items: ArenaVec<'_, u64> = with_capacity(1_000_000, &bump);
        assert!(
            (2..1_000_000).contains(&items.capacity()),
            "{}",
            items.capacity()
        );
        let items: ArenaVec<'_, u64> = with_capacity(100, &bump);
        assert_eq!(items.capacity(), 100);
    }
}
