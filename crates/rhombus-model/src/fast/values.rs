//! [`FastDecode`] for the model's leaf and container types.

use serde::Deserialize;

use crate::enums::{ClipStatus, Integration, Visibility};
use crate::facet_map::FacetMap;
use crate::fast::raw::RawText;
use crate::fast::{Bail, FastDecode, Reader};
use crate::ids::{DeviceFacetUuid, Ruuid};
use crate::raw::{Float, RawJson};
use crate::text::Str;

impl<'a, T: FastDecode<'a>> FastDecode<'a> for Option<T> {
    #[inline]
    fn fast_decode(r: &mut Reader<'a>) -> Result<Self, Bail> {
        if r.null()? {
            Ok(None)
        } else {
            T::fast_decode(r).map(Some)
        }
    }
}

impl<'a, T: FastDecode<'a>> FastDecode<'a> for Vec<T> {
    fn fast_decode(r: &mut Reader<'a>) -> Result<Self, Bail> {
        let mut out = Vec::new();
        if r.begin_array()? {
            loop {
                out.push(T::fast_decode(r)?);
                if !r.next_element()? {
                    break;
                }
            }
        }
        // A Vec starts at four elements: most lists here hold one, and the
        // slack would be most of a decoded response's memory.
        out.shrink_to_fit();
        Ok(out)
    }
}

impl<'a, V: FastDecode<'a>> FastDecode<'a> for FacetMap<'a, V> {
    fn fast_decode(r: &mut Reader<'a>) -> Result<Self, Bail> {
        let mut entries = Vec::new();
        if r.begin_object()? {
            loop {
                let key = r.key()?.into_str();
                entries.push((DeviceFacetUuid::from(key), V::fast_decode(r)?));
                if !r.next_member()? {
                    break;
                }
            }
        }
        entries.shrink_to_fit();
        // Collecting a Vec's own iterator reuses its allocation.
        Ok(entries.into_iter().collect())
    }
}

impl<'a> FastDecode<'a> for bool {
    #[inline]
    fn fast_decode(r: &mut Reader<'a>) -> Result<Self, Bail> {
        r.bool()
    }
}

impl<'a> FastDecode<'a> for i32 {
    #[inline]
    fn fast_decode(r: &mut Reader<'a>) -> Result<Self, Bail> {
        r.int()
    }
}

impl<'a> FastDecode<'a> for i64 {
    #[inline]
    fn fast_decode(r: &mut Reader<'a>) -> Result<Self, Bail> {
        r.int()
    }
}

impl<'a> FastDecode<'a> for Str<'a> {
    #[inline]
    fn fast_decode(r: &mut Reader<'a>) -> Result<Self, Bail> {
        r.str()
    }
}

/// Types that are a string underneath (ids, open enums).
macro_rules! from_str {
    ($($t:ident via $make:expr),* $(,)?) => {$(
        impl<'a> FastDecode<'a> for $t<'a> {
            #[inline]
            fn fast_decode(r: &mut Reader<'a>) -> Result<Self, Bail> {
                r.str().map($make)
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
    fn fast_decode(r: &mut Reader<'a>) -> Result<Self, Bail> {
        let text = r.number()?;
        Float::deserialize(RawText(text)).map_err(|_| Bail)
    }
}

impl<'a> FastDecode<'a> for RawJson<'a> {
    #[inline]
    fn fast_decode(r: &mut Reader<'a>) -> Result<Self, Bail> {
        let text = r.raw()?;
        RawJson::deserialize(RawText(text)).map_err(|_| Bail)
    }
}
