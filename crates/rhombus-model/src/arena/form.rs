//! [`ArenaForm`]: what each model type becomes in the arena, and how a
//! model value moves there.

use bumpalo::Bump;

use crate::arena::leaf::Text;
use crate::arena::{Leaf, Map};
use crate::enums::{ClipStatus, Integration, Visibility};
use crate::facet_map::FacetMap;
use crate::ids::{DeviceFacetUuid, Ruuid};
use crate::raw::{Extra, Float, RawJson};
use crate::text::Str;

/// A model type's form in an arena-decoded tree.
///
/// Numbers and booleans keep their type; a [`Str`] becomes `&'a str`, and
/// the other text leaves (ids, open enums, [`Float`]) a [`Leaf`], borrowing
/// from the input or the arena; [`RawJson`] stays, borrowing too; `Vec<T>`
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

impl<'a> ArenaForm<'a> for Str<'a> {
    type Form = &'a str;
    #[inline]
    fn into_arena(self, bump: &'a Bump) -> &'a str {
        self.into_text(bump)
    }
}

/// Ids, open enums and floats become a [`Leaf`]: their text alone.
macro_rules! leaf {
    ($($t:ident),*) => {$(
        impl<'a> ArenaForm<'a> for $t<'a> {
            type Form = Leaf<'a, $t<'a>>;
            #[inline]
            fn into_arena(self, bump: &'a Bump) -> Self::Form {
                Leaf::new(self.into_text(bump))
            }
        }
    )*};
}
leaf!(
    Ruuid,
    DeviceFacetUuid,
    Float,
    ClipStatus,
    Visibility,
    Integration
);

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
    type Form = Map<'a, Leaf<'a, DeviceFacetUuid<'a>>, V::Form>;
    fn into_arena(self, bump: &'a Bump) -> Self::Form {
        Map::new(self.into_entries().into_arena(bump))
    }
}

impl<'a> ArenaForm<'a> for Extra<'a> {
    type Form = Map<'a, &'a str, RawJson<'a>>;
    fn into_arena(self, bump: &'a Bump) -> Self::Form {
        Map::new(self.into_fields().into_arena(bump))
    }
}
