//! [`Str`]: a JSON string that borrows from the input when it can.

use std::borrow::{Borrow, Cow};
use std::fmt;
use std::hash::{Hash, Hasher};
use std::ops::Deref;

use serde::de::{self, Deserialize, Deserializer, Visitor};
use serde::{Serialize, Serializer};

use crate::owned::IntoOwned;

/// A string from the response: borrowed from the input buffer when the JSON
/// text had no escapes, owned when it had to be unescaped or was copied.
///
/// Unlike `Option<Cow<str>>` with `#[serde(borrow)]`, this borrows inside
/// `Option`, `Vec` and map keys too. Owned strings of up to 22 bytes (a
/// Rhombus uuid, a region, a number) are kept inline, without an allocation,
/// in the same 24 bytes a `Cow<str>` takes.
#[derive(Clone)]
pub struct Str<'a>(Repr<'a>);

#[derive(Clone)]
enum Repr<'a> {
    Borrowed(&'a str),
    Inline(Inline),
    Heap(Box<str>),
}

/// Bytes an owned string can hold inline.
const INLINE: usize = 22;

/// A short owned string: `len` bytes of `bytes`, always whole UTF-8.
#[derive(Clone, Copy)]
struct Inline {
    len: u8,
    bytes: [u8; INLINE],
}

impl Inline {
    fn new(s: &str) -> Option<Inline> {
        let mut bytes = [0; INLINE];
        bytes.get_mut(..s.len())?.copy_from_slice(s.as_bytes());
        Some(Inline {
            len: s.len() as u8,
            bytes,
        })
    }

    fn as_str(&self) -> &str {
        // Built from a whole `&str`, so this never falls back; the check
        // costs a few nanoseconds on at most 22 bytes.
        std::str::from_utf8(&self.bytes[..usize::from(self.len)]).unwrap_or_default()
    }
}

impl<'a> Str<'a> {
    /// Wraps a borrowed string.
    pub const fn borrowed(s: &'a str) -> Self {
        Str(Repr::Borrowed(s))
    }

    /// An owned copy of `s` (inline when it is short: no allocation).
    pub fn copied(s: &str) -> Str<'static> {
        match Inline::new(s) {
            Some(inline) => Str(Repr::Inline(inline)),
            None => Str(Repr::Heap(s.into())),
        }
    }

    /// The text.
    pub fn as_str(&self) -> &str {
        match &self.0 {
            Repr::Borrowed(s) => s,
            Repr::Inline(s) => s.as_str(),
            Repr::Heap(s) => s,
        }
    }

    /// Whether this string points into the decoded input (no copy was made).
    pub fn is_borrowed(&self) -> bool {
        matches!(self.0, Repr::Borrowed(_))
    }

    /// The borrowed text, for all of `'a`; `None` when owned.
    pub(crate) fn borrowed_str(&self) -> Option<&'a str> {
        match self.0 {
            Repr::Borrowed(s) => Some(s),
            _ => None,
        }
    }

    /// The text as a `Cow`.
    pub fn into_cow(self) -> Cow<'a, str> {
        match self.0 {
            Repr::Borrowed(s) => Cow::Borrowed(s),
            Repr::Inline(s) => Cow::Owned(s.as_str().to_owned()),
            Repr::Heap(s) => Cow::Owned(s.into()),
        }
    }
}

impl Default for Str<'_> {
    fn default() -> Self {
        Str::borrowed("")
    }
}

impl PartialEq for Str<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for Str<'_> {}

impl PartialOrd for Str<'_> {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Str<'_> {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.as_str().cmp(other.as_str())
    }
}

impl Hash for Str<'_> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        // The same hash as `str`'s, as `Borrow<str>` requires.
        self.as_str().hash(state);
    }
}

impl IntoOwned for Str<'_> {
    type Owned = Str<'static>;
    fn into_owned(self) -> Str<'static> {
        match self.0 {
            Repr::Borrowed(s) => Str::copied(s),
            Repr::Inline(s) => Str(Repr::Inline(s)),
            Repr::Heap(s) => Str(Repr::Heap(s)),
        }
    }
}

impl Deref for Str<'_> {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<str> for Str<'_> {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl Borrow<str> for Str<'_> {
    fn borrow(&self) -> &str {
        self.as_str()
    }
}

impl<'a> From<&'a str> for Str<'a> {
    fn from(s: &'a str) -> Self {
        Str::borrowed(s)
    }
}

impl From<String> for Str<'_> {
    fn from(s: String) -> Self {
        match Inline::new(&s) {
            Some(inline) => Str(Repr::Inline(inline)),
            None => Str(Repr::Heap(s.into_boxed_str())),
        }
    }
}

impl<'a> From<Cow<'a, str>> for Str<'a> {
    fn from(s: Cow<'a, str>) -> Self {
        match s {
            Cow::Borrowed(s) => Str::borrowed(s),
            Cow::Owned(s) => Str::from(s),
        }
    }
}

impl PartialEq<str> for Str<'_> {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for Str<'_> {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl fmt::Debug for Str<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl fmt::Display for Str<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Str<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for Str<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct StrVisitor;
        impl<'de> Visitor<'de> for StrVisitor {
            type Value = Str<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(Str::borrowed(v))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(Str::copied(v))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
                Ok(Str::from(v))
            }
        }
        d.deserialize_str(StrVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fits_in_a_cow_and_keeps_short_copies_inline() {
        assert_eq!(std::mem::size_of::<Str<'_>>(), 24);
        assert_eq!(std::mem::size_of::<Option<Str<'_>>>(), 24);
        for text in [
            "",
            "us-east-1",
            "AAAAAAAAAAAAAAAAAAAAAA",
            "caf\u{e9} \u{1f4f9}",
        ] {
            let copy = Str::copied(text);
            assert!(matches!(copy.0, Repr::Inline(_)), "{text:?}");
            assert_eq!(copy.as_str(), text);
            assert_eq!(Str::from(text.to_owned()), copy);
            assert_eq!(copy.clone().into_cow(), text);
        }
        let long = "AAAAAAAAAAAAAAAAAAAAAA.v0";
        let copy = Str::borrowed(long).into_owned();
        assert!(matches!(copy.0, Repr::Heap(_)));
        assert!(!copy.is_borrowed());
        assert_eq!(copy, Str::borrowed(long));
        assert_eq!(copy.into_cow(), long);
    }

    #[test]
    fn equal_strings_hash_alike_whatever_their_storage() {
        use std::collections::hash_map::DefaultHasher;
        let hash = |v: &dyn Fn(&mut DefaultHasher)| {
            let mut h = DefaultHasher::new();
            v(&mut h);
            h.finish()
        };
        let text = "us-east-1";
        let plain = hash(&|h| text.hash(h));
        assert_eq!(hash(&|h| Str::borrowed(text).hash(h)), plain);
        assert_eq!(hash(&|h| Str::copied(text).hash(h)), plain);
        assert!(Str::copied("a") < Str::borrowed("b"));
    }
}
