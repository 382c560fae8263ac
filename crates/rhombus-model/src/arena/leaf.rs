//! [`Leaf`]: an id, open enum or [`Float`] in the arena tree, as 16 bytes of
//! text.

use std::fmt;
use std::hash::{Hash, Hasher};
use std::marker::PhantomData;

use bumpalo::Bump;
use serde::{Serialize, Serializer};

use crate::drift::{Drift, FindDrift};
use crate::encode::WriteJson;
use crate::enums::{ClipStatus, Integration, Visibility};
use crate::ids::{DeviceFacetUuid, Ruuid};
use crate::raw::Float;
use crate::text::Str;

/// A model type that is text underneath ([`Str`], the ids, the open enums,
/// [`Float`]): what an arena tree keeps of it is that text alone.
///
/// Sealed: the text must be what a decoder accepted for the type (a
/// `Float`'s is a JSON number), so only this crate makes values from text.
/// A tree is built by decoding, or from model values with
/// [`ArenaForm::into_arena`](crate::arena::ArenaForm::into_arena).
///
/// ```compile_fail
/// // Not a number: this Float would write invalid JSON.
/// let leaf = rhombus_model::arena::Leaf::<rhombus_model::Float<'_>>::new("abc");
/// ```
pub trait TextLeaf<'a>: Text<'a> {}

impl<'a, T: Text<'a>> TextLeaf<'a> for T {}

/// [`TextLeaf`]'s conversions, out of reach of other crates (this module is
/// private to `arena`).
pub trait Text<'a>: Sized {
    /// The value whose JSON text is `text` (text a decoder accepted for it).
    fn from_text(text: &'a str) -> Self;
    /// The value's text, borrowed for `'a`: as it is when it already is,
    /// else copied into `bump`.
    fn into_text(self, bump: &'a Bump) -> &'a str;
}

/// A `T` (an id, an open enum or a [`Float`]) in an arena tree: just its
/// text, borrowed from the input or the arena. 16 bytes, and
/// `Option<Leaf<T>>` too, where the model's `T` takes 24.
///
/// [`Leaf::get`] gives the model value, with all its accessors; equality,
/// hashing and [`Leaf::as_str`] work on the text.
pub struct Leaf<'a, T> {
    text: &'a str,
    value: PhantomData<fn() -> T>,
}

impl<'a, T> Leaf<'a, T> {
    /// The leaf whose text is `text`, text a decoder accepted for `T`.
    pub(crate) fn new(text: &'a str) -> Self {
        Leaf {
            text,
            value: PhantomData,
        }
    }

    /// The text exactly as sent.
    pub fn as_str(&self) -> &'a str {
        self.text
    }
}

impl<'a, T: TextLeaf<'a>> Leaf<'a, T> {
    /// The model value (no copy: it borrows the same text).
    pub fn get(&self) -> T {
        T::from_text(self.text)
    }
}

// Not derived: derives would ask `T` for the same traits.
impl<T> Clone for Leaf<'_, T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for Leaf<'_, T> {}

impl<T> PartialEq for Leaf<'_, T> {
    fn eq(&self, other: &Self) -> bool {
        self.text == other.text
    }
}

impl<T> Eq for Leaf<'_, T> {}

impl<T> Hash for Leaf<'_, T> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.text.hash(state);
    }
}

impl<T> AsRef<str> for Leaf<'_, T> {
    fn as_ref(&self) -> &str {
        self.text
    }
}

impl<'a, T: TextLeaf<'a> + fmt::Debug> fmt::Debug for Leaf<'a, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.get().fmt(f)
    }
}

impl<'a, T: TextLeaf<'a> + fmt::Display> fmt::Display for Leaf<'a, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.get().fmt(f)
    }
}

impl<'a, T: TextLeaf<'a> + Serialize> Serialize for Leaf<'a, T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.get().serialize(s)
    }
}

impl<'a, T: TextLeaf<'a> + WriteJson> WriteJson for Leaf<'a, T> {
    fn write_json(&self, out: &mut Vec<u8>) {
        self.get().write_json(out);
    }
}

impl<'a, T: TextLeaf<'a> + FindDrift> FindDrift for Leaf<'a, T> {
    fn find_drift(&self, path: &mut String, out: &mut Vec<Drift>) {
        self.get().find_drift(path, out);
    }
}

impl<'a> Text<'a> for Str<'a> {
    #[inline]
    fn from_text(text: &'a str) -> Self {
        Str::borrowed(text)
    }

    #[inline]
    fn into_text(self, bump: &'a Bump) -> &'a str {
        match self.borrowed_str() {
            Some(text) => text,
            None => bump.alloc_str(self.as_str()),
        }
    }
}

/// Ids and [`Float`]s are a [`Str`] inside.
macro_rules! around_str {
    ($($t:ident via $make:expr),* $(,)?) => {$(
        impl<'a> Text<'a> for $t<'a> {
            #[inline]
            fn from_text(text: &'a str) -> Self {
                $make(Str::borrowed(text))
            }

            #[inline]
            fn into_text(self, bump: &'a Bump) -> &'a str {
                self.into_str().into_text(bump)
            }
        }
    )*};
}
around_str!(
    Ruuid via Ruuid::from,
    DeviceFacetUuid via DeviceFacetUuid::from,
    Float via Float::from_valid,
);

/// Open enums: a known value's text is static; `Other` keeps what was sent.
macro_rules! open_enum {
    ($($t:ident),*) => {$(
        impl<'a> Text<'a> for $t<'a> {
            #[inline]
            fn from_text(text: &'a str) -> Self {
                $t::parse(text)
            }

            #[inline]
            fn into_text(self, bump: &'a Bump) -> &'a str {
                match self {
                    $t::Other(text) => text.into_text(bump),
                    known => known.static_str().unwrap_or_default(),
                }
            }
        }
    )*};
}
open_enum!(ClipStatus, Visibility, Integration);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_leaf_is_its_model_value_in_sixteen_bytes() {
        assert_eq!(size_of::<Option<Leaf<'_, ClipStatus<'_>>>>(), 16);
        let known: Leaf<'_, ClipStatus<'_>> = Leaf::new("COMPLETE");
        assert_eq!(known.get(), ClipStatus::Complete);
        assert_eq!(format!("{known:?}"), "Complete");
        let other: Leaf<'_, ClipStatus<'_>> = Leaf::new("NEW_STATE");
        assert!(other.get().is_other());
        assert_eq!(other.as_str(), "NEW_STATE");
        let float: Leaf<'_, Float<'_>> = Leaf::new("1e-3");
        assert_eq!(float.get().as_f32(), 0.001);
        assert_eq!(serde_json::to_string(&float).expect("encodes"), "1e-3");
        let mut out = Vec::new();
        Leaf::<Ruuid<'_>>::new("a\"b").write_json(&mut out);
        assert_eq!(out, br#""a\"b""#);
    }

    #[test]
    fn text_moves_into_the_arena_only_when_owned() {
        let bump = Bump::new();
        let input = String::from("AAAAAAAAAAAAAAAAAAAAAA");
        let borrowed = Ruuid::from(input.as_str()).into_text(&bump);
        assert_eq!(borrowed.as_ptr(), input.as_ptr());
        let owned = Ruuid::from(input.clone()).into_text(&bump);
        assert_eq!(owned, input);
        assert_ne!(owned.as_ptr(), input.as_ptr());
        assert_eq!(ClipStatus::Complete.into_text(&bump), "COMPLETE");
    }
}
