//! [`FastDecode`] for the model's leaf and container types.

use crate::enums::{ClipStatus, Integration, Visibility};
use crate::facet_map::FacetMap;
use crate::fast::{Bail, FastDecode, Mode, Reader, raw_json};
use crate::ids::{DeviceFacetUuid, Ruuid};
use crate::raw::{Float, RawJson};
use crate::text::Str;

impl<'a, T: FastDecode<'a>> FastDecode<'a> for Option<T> {
    #[inline]
    fn fast_decode<'i, M: Mode<'i, 'a>>(r: &mut Reader<'i>) -> Result<Self, Bail> {
        if r.null()? {
            Ok(None)
        } else {
            T::fast_decode::<M>(r).map(Some)
        }
    }
}

impl<'a, T: FastDecode<'a>> FastDecode<'a> for Vec<T> {
    fn fast_decode<'i, M: Mode<'i, 'a>>(r: &mut Reader<'i>) -> Result<Self, Bail> {
        if !r.begin_array()? {
            return Ok(Vec::new());
        }
        exact(r, Reader::next_element, T::fast_decode::<M>)
    }
}

impl<'a, V: FastDecode<'a>> FastDecode<'a> for FacetMap<'a, V> {
    fn fast_decode<'i, M: Mode<'i, 'a>>(r: &mut Reader<'i>) -> Result<Self, Bail> {
        if !r.begin_object()? {
            return Ok(FacetMap::default());
        }
        let entries = exact(r, Reader::next_member, |r| {
            let key = DeviceFacetUuid::from(M::text(r.key()?.into_str()));
            Ok((key, V::fast_decode::<M>(r)?))
        })?;
        Ok(FacetMap::from_entries(entries))
    }
}

/// The items of an opened array or object (`item` reads one, `more`
/// consumes the separator after it), in a Vec without growth slack: a Vec
/// starts at four elements, most lists here hold one to four (a clip's
/// cameras, one view each), and the slack would be most of a decoded
/// response's memory.
#[inline]
fn exact<'i, T>(
    r: &mut Reader<'i>,
    more: fn(&mut Reader<'i>) -> Result<bool, Bail>,
    item: impl FnMut(&mut Reader<'i>) -> Result<T, Bail>,
) -> Result<Vec<T>, Bail> {
    Ok(match list(r, more, item, Vec::with_capacity)? {
        List::One(item) => vec![item],
        List::Many(mut items) => {
            if items.len() != items.capacity() {
                items.shrink_to_fit();
            }
            items
        }
    })
}

/// The items of a non-empty list: one, or several in `C`.
pub(crate) enum List<T, C> {
    One(T),
    Many(C),
}

/// A growable list [`list`] can fill: a `Vec`, or one in an arena.
pub(crate) trait Items<T> {
    fn push(&mut self, item: T);
}

impl<T> Items<T> for Vec<T> {
    #[inline]
    fn push(&mut self, item: T) {
        Vec::push(self, item);
    }
}

/// Reads the items of an opened array or object (`item` reads one, `more`
/// consumes the separator after it). A list of two or more goes into
/// `many(capacity)`, the capacity being the reader's length hint (the last
/// such list's length: a clip's device maps and lists have one entry per
/// camera), so it is usually allocated once at its exact size.
#[inline]
pub(crate) fn list<'i, T, C: Items<T>>(
    r: &mut Reader<'i>,
    more: fn(&mut Reader<'i>) -> Result<bool, Bail>,
    mut item: impl FnMut(&mut Reader<'i>) -> Result<T, Bail>,
    many: impl FnOnce(usize) -> C,
) -> Result<List<T, C>, Bail> {
    let first = item(r)?;
    if !more(r)? {
        return Ok(List::One(first));
    }
    let mut out = many(r.length_hint().clamp(2, 16));
    out.push(first);
    out.push(item(r)?);
    let mut len = 2;
    while more(r)? {
        out.push(item(r)?);
        len += 1;
    }
    r.saw_length(len);
    Ok(List::Many(out))
}

impl<'a> FastDecode<'a> for bool {
    #[inline]
    fn fast_decode<'i, M: Mode<'i, 'a>>(r: &mut Reader<'i>) -> Result<Self, Bail> {
        r.bool()
    }
}

impl<'a> FastDecode<'a> for i32 {
    #[inline]
    fn fast_decode<'i, M: Mode<'i, 'a>>(r: &mut Reader<'i>) -> Result<Self, Bail> {
        r.int()
    }
}

impl<'a> FastDecode<'a> for i64 {
    #[inline]
    fn fast_decode<'i, M: Mode<'i, 'a>>(r: &mut Reader<'i>) -> Result<Self, Bail> {
        r.int()
    }
}

impl<'a> FastDecode<'a> for Str<'a> {
    #[inline]
    fn fast_decode<'i, M: Mode<'i, 'a>>(r: &mut Reader<'i>) -> Result<Self, Bail> {
        r.str().map(M::text)
    }
}

/// Types that are a string underneath: ids (kept as text) and open enums
/// (parsed; a copied known value is short, so inline, never allocated).
macro_rules! from_str {
    ($($t:ident via $make:path),* $(,)?) => {$(
        impl<'a> FastDecode<'a> for $t<'a> {
            #[inline]
            fn fast_decode<'i, M: Mode<'i, 'a>>(r: &mut Reader<'i>) -> Result<Self, Bail> {
                r.str().map(M::text).map($make)
            }
        }
    )*};
}
from_str!(
    Ruuid via Ruuid::from,
    DeviceFacetUuid via DeviceFacetUuid::from,
    ClipStatus via ClipStatus::parse,
    Visibility via Visibility::parse,
    Integration via Integration::parse,
);

impl<'a> FastDecode<'a> for Float<'a> {
    #[inline]
    fn fast_decode<'i, M: Mode<'i, 'a>>(r: &mut Reader<'i>) -> Result<Self, Bail> {
        let (text, has_exponent) = r.number()?;
        Float::from_number(M::text(Str::borrowed(text)), has_exponent).ok_or(Bail)
    }
}

impl<'a> FastDecode<'a> for RawJson<'a> {
    #[inline]
    fn fast_decode<'i, M: Mode<'i, 'a>>(r: &mut Reader<'i>) -> Result<Self, Bail> {
        raw_json(r.raw()?).map(M::raw)
    }
}
