//! [`FastDecode`] for the model's leaf and container types.

use serde::Deserialize;

use crate::enums::{ClipStatus, Integration, Visibility};
use crate::facet_map::FacetMap;
use crate::fast::raw::RawText;
use crate::fast::{Bail, FastDecode, Mode, Reader};
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
        let first = T::fast_decode::<M>(r)?;
        let hint = r.length_hint();
        let items = exact(first, hint, || {
            Ok(if r.next_element()? {
                Some(T::fast_decode::<M>(r)?)
            } else {
                None
            })
        })?;
        r.saw_length(items.len());
        Ok(items)
    }
}

impl<'a, V: FastDecode<'a>> FastDecode<'a> for FacetMap<'a, V> {
    fn fast_decode<'i, M: Mode<'i, 'a>>(r: &mut Reader<'i>) -> Result<Self, Bail> {
        if !r.begin_object()? {
            return Ok(FacetMap::default());
        }
        let entry = |r: &mut Reader<'i>| -> Result<_, Bail> {
            let key = DeviceFacetUuid::from(M::text(r.key()?.into_str()));
            Ok((key, V::fast_decode::<M>(r)?))
        };
        let first = entry(r)?;
        let hint = r.length_hint();
        let entries = exact(first, hint, || {
            Ok(if r.next_member()? {
                Some(entry(r)?)
            } else {
                None
            })
        })?;
        r.saw_length(entries.len());
        // Collecting a Vec's own iterator reuses its allocation.
        Ok(entries.into_iter().collect())
    }
}

/// `first` and the items `next` yields, in a Vec without growth slack: a
/// Vec starts at four elements, most lists here hold one to four (a clip's
/// cameras, one view each), and the slack would be most of a decoded
/// response's memory. A list of two or more starts at `hint` (the length of
/// the last such list: a clip's device maps and lists have one entry per
/// camera), so it is usually allocated once at its exact size.
#[inline]
fn exact<T>(
    first: T,
    hint: usize,
    mut next: impl FnMut() -> Result<Option<T>, Bail>,
) -> Result<Vec<T>, Bail> {
    let Some(second) = next()? else {
        return Ok(vec![first]);
    };
    let mut out = Vec::with_capacity(hint.clamp(2, 16));
    out.push(first);
    out.push(second);
    while let Some(item) = next()? {
        out.push(item);
    }
    if out.len() != out.capacity() {
        out.shrink_to_fit();
    }
    Ok(out)
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

/// Ids: a string underneath.
macro_rules! id {
    ($($t:ident),*) => {$(
        impl<'a> FastDecode<'a> for $t<'a> {
            #[inline]
            fn fast_decode<'i, M: Mode<'i, 'a>>(r: &mut Reader<'i>) -> Result<Self, Bail> {
                r.str().map(M::text).map($t::from)
            }
        }
    )*};
}
id!(Ruuid, DeviceFacetUuid);

/// Open enums: a string underneath, parsed.
macro_rules! open_enum {
    ($($t:ident),*) => {$(
        impl<'a> FastDecode<'a> for $t<'a> {
            #[inline]
            fn fast_decode<'i, M: Mode<'i, 'a>>(r: &mut Reader<'i>) -> Result<Self, Bail> {
                // A copied known value is inline (short), never allocated.
                r.str().map(M::text).map($t::parse)
            }
        }
    )*};
}
open_enum!(ClipStatus, Visibility, Integration);

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
        let text = r.raw()?;
        RawJson::deserialize(RawText(text))
            .map(M::raw)
            .map_err(|_| Bail)
    }
}
