//! [`ArenaForm`]: what each model type becomes in the arena, and how a
//! model value moves there.

use bumpalo::Bump;

use crate::arena::Map;
use crate::enums::{ClipStatus, Integration, Visibility};
use crate::facet_map::FacetMap;
use crate::ids::{DeviceFacetUuid, Ruuid};
use crate::raw::{Extra, Float, RawJson};
use crate::text::Str;

/// A model type's form in an arena-decoded tree.
///
/// Leaf values ([`Str`], ids, enums, [`Float`], [`RawJson`], numbers) keep
/// their type, always borrowing (from the input or the arena); `Vec<T>`
/// becomes `&'a [T]`, a [`FacetMap`] an arena [`FacetMap`](crate::arena::FacetMap),
/// an [`Extra`] an arena [`Extra`](crate::arena::Extra), and each model
/// object its arena struct, all allocated in the [`Bump`].
pub trait ArenaForm<'a> {
    /// The type in the arena tree.
    type Form: 'a;
    /// Moves `self` into `bump`'s tree: lists become slices there, and any
    /// text not borrowed from the input is copied there.
    fn into_arena(self, bump: &'a Bump) -> Self::Form;
}

/// The arena form of the model type `T` (see [`ArenaForm`]).
pub type Form<'a, T> = <T as ArenaForm<'a>>::Form;

macro_rules! plain {
    ($($t:ty),*) => {$(
        impl<'a> ArenaForm<'a> for $t {
            type Form = $t;
            #[inline]
            fn into_arena(self, _: &'a Bump) -> $t {
                self
            }
        }
    )*};
}
plain!(bool, i32, i64);

/// Text leaves: kept when borrowed, else rebuilt (by `$make`) from a copy
/// of their text in the arena.
macro_rules! text {
    ($($t:ident via $make:expr),* $(,)?) => {$(
        impl<'a> ArenaForm<'a> for $t<'a> {
            type Form = $t<'a>;
            #[inline]
            fn into_arena(self, bump: &'a Bump) -> $t<'a> {
                if self.is_borrowed() {
                    self
                } else {
                    let text: &'a str = bump.alloc_str(self.as_str());
                    $make(text)
                }
            }
        }
    )*};
}
text!(
    Str via Str::borrowed,
    Ruuid via Ruuid::from,
    DeviceFacetUuid via DeviceFacetUuid::from,
    Float via |text| Float::from_valid(Str::borrowed(text)),
);

/// An open enum's known values hold no text; `Other` keeps its text in the arena.
macro_rules! open_enum {
    ($($t:ident),*) => {$(
        impl<'a> ArenaForm<'a> for $t<'a> {
            type Form = $t<'a>;
            #[inline]
            fn into_arena(self, bump: &'a Bump) -> $t<'a> {
                match self {
                    $t::Other(text) => $t::Other(text.into_arena(bump)),
                    known => known,
                }
            }
        }
    )*};
}
open_enum!(ClipStatus, Visibility, Integration);

impl<'a> ArenaForm<'a> for RawJson<'a> {
    type Form = RawJson<'a>;
    fn into_arena(self, bump: &'a Bump) -> RawJson<'a> {
        if self.is_borrowed() {
            return self;
        }
        // Valid JSON text stays valid in the arena, and an owned RawJson
        // was read by serde_json within its nesting limit, so this parse
        // succeeds; were it ever to fail, the owned value is kept.
        match serde_json::from_str(bump.alloc_str(self.get())) {
            Ok(raw) => RawJson::from_raw(raw),
            Err(_) => self,
        }
    }
}

impl<'a, T: ArenaForm<'a>> ArenaForm<'a> for Option<T> {
    type Form = Option<T::Form>;
    #[inline]
    fn into_arena(self, bump: &'a Bump) -> Self::Form {
        self.map(|v| v.into_arena(bump))
    }
}

impl<'a, T: ArenaForm<'a>> ArenaForm<'a> for Vec<T> {
    type Form = &'a [T::Form];
    fn into_arena(self, bump: &'a Bump) -> Self::Form {
        bump.alloc_slice_fill_iter(self.into_iter().map(|v| v.into_arena(bump)))
    }
}

impl<'a, K: ArenaForm<'a>, V: ArenaForm<'a>> ArenaForm<'a> for (K, V) {
    type Form = (K::Form, V::Form);
    #[inline]
    fn into_arena(self, bump: &'a Bump) -> Self::Form {
        (self.0.into_arena(bump), self.1.into_arena(bump))
    }
}

impl<'a, V: ArenaForm<'a>> ArenaForm<'a> for FacetMap<'a, V> {
    type Form = Map<'a, DeviceFacetUuid<'a>, V::Form>;
    fn into_arena(self, bump: &'a Bump) -> Self::Form {
        Map::new(self.into_entries().into_arena(bump))
    }
}

impl<'a> ArenaForm<'a> for Extra<'a> {
    type Form = Map<'a, Str<'a>, RawJson<'a>>;
    fn into_arena(self, bump: &'a Bump) -> Self::Form {
        Map::new(self.into_fields().into_arena(bump))
    }
}
