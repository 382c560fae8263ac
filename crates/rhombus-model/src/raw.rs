//! Raw JSON kept verbatim: unknown fields ([`Extra`]) and float numbers ([`Float`]).

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, Deserialize, Deserializer};
use serde::{Serialize, Serializer, ser};
use serde_json::value::RawValue;

use crate::owned::IntoOwned;
use crate::text::Str;

/// A JSON value kept as its exact source text, borrowed from the input.
///
/// Decoding it needs a `serde_json` deserializer reading from a slice or `str`.
#[derive(Clone)]
pub struct RawJson<'a>(Cow<'a, RawValue>);

impl<'a> RawJson<'a> {
    /// The exact JSON text.
    pub fn get(&self) -> &str {
        self.0.get()
    }

    /// Wraps already-validated raw JSON.
    pub fn from_raw(raw: &'a RawValue) -> Self {
        RawJson(Cow::Borrowed(raw))
    }

    /// Parses `json` (validating it) into an owned raw value.
    pub fn parse(json: &str) -> Result<RawJson<'static>, serde_json::Error> {
        RawValue::from_string(json.to_owned()).map(|b| RawJson(Cow::Owned(b)))
    }

    /// The text with the input's lifetime, when it still points into the input.
    pub fn borrowed_str(&self) -> Option<&'a str> {
        match &self.0 {
            Cow::Borrowed(raw) => Some(raw.get()),
            Cow::Owned(_) => None,
        }
    }

    /// Whether the text still points into the decoded input.
    pub fn is_borrowed(&self) -> bool {
        matches!(self.0, Cow::Borrowed(_))
    }

    /// Decodes the raw text as a [`serde_json::Value`].
    ///
    /// Fails only where `serde_json::Value` is stricter than the raw capture:
    /// nesting past its recursion limit, a lone surrogate escape, or a
    /// number beyond `f64`'s range (`1e400`).
    pub fn to_value(&self) -> Result<serde_json::Value, serde_json::Error> {
        serde_json::from_str(self.get())
    }
}

impl PartialEq for RawJson<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.get() == other.get()
    }
}

impl fmt::Debug for RawJson<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.get())
    }
}

impl IntoOwned for RawJson<'_> {
    type Owned = RawJson<'static>;
    fn into_owned(self) -> RawJson<'static> {
        RawJson(Cow::Owned(self.0.into_owned()))
    }
}

impl Serialize for RawJson<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(s)
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for RawJson<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        <&'de RawValue>::deserialize(d).map(|r| RawJson(Cow::Borrowed(r)))
    }
}

/// Fields of an object that this version of the model does not know, in the
/// order the server sent them, each kept as raw JSON so nothing is lost.
///
/// Serialising the object emits them again after the known fields. Every
/// object has one and most have no unknown fields, so the list sits behind
/// one pointer: an empty `Extra` is 8 bytes and allocates nothing.
// Deliberate: the box keeps an empty Extra at one pointer's size.
#[allow(clippy::box_collection)]
#[derive(Clone, Default, PartialEq)]
pub struct Extra<'a>(Option<Box<Vec<(Str<'a>, RawJson<'a>)>>>);

impl<'a> Extra<'a> {
    /// The unknown fields, in order.
    pub(crate) fn fields(&self) -> &[(Str<'a>, RawJson<'a>)] {
        self.0.as_deref().map_or(&[], Vec::as_slice)
    }

    /// The raw JSON of the unknown field `name`, if the server sent it.
    pub fn get(&self, name: &str) -> Option<&RawJson<'a>> {
        crate::facet_map::last_value(self.fields(), name)
    }

    /// Unknown fields in the order they arrived.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = (&Str<'a>, &RawJson<'a>)> {
        self.fields().iter().map(|(k, v)| (k, v))
    }

    /// Number of unknown fields.
    pub fn len(&self) -> usize {
        self.fields().len()
    }

    /// Whether the server sent only known fields.
    pub fn is_empty(&self) -> bool {
        self.fields().is_empty()
    }

    /// The unknown fields, by value.
    pub(crate) fn into_fields(self) -> Vec<(Str<'a>, RawJson<'a>)> {
        self.0.map_or_else(Vec::new, |fields| *fields)
    }

    /// Adds an unknown field.
    pub fn push(&mut self, name: Str<'a>, value: RawJson<'a>) {
        self.0.get_or_insert_default().push((name, value));
    }
}

impl fmt::Debug for Extra<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

impl IntoOwned for Extra<'_> {
    type Owned = Extra<'static>;
    fn into_owned(self) -> Extra<'static> {
        Extra(self.0.map(|fields| {
            Box::new(
                fields
                    .into_iter()
                    .map(|(k, v)| (k.into_owned(), v.into_owned()))
                    .collect(),
            )
        }))
    }
}

/// A JSON number kept as the text the server sent (`123`, `0.25`, `1e-3`), so
/// it re-encodes exactly; read it with [`Float::as_f64`] or [`Float::as_f32`].
///
/// The text is a [`Str`]: borrowed from the input, or (owned) inline, since
/// numbers are short.
#[derive(Clone, PartialEq)]
pub struct Float<'a>(Str<'a>);

impl<'a> Float<'a> {
    /// The number as sent.
    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }

    /// Whether the text points into the decoded input.
    pub fn is_borrowed(&self) -> bool {
        self.0.is_borrowed()
    }

    /// The number as `f64` (decoded floats are always within `f32`'s range).
    pub fn as_f64(&self) -> f64 {
        self.as_str().parse().unwrap_or(f64::NAN)
    }

    /// The number as `f32`, the spec's width for these fields.
    pub fn as_f32(&self) -> f32 {
        self.as_str().parse().unwrap_or(f32::NAN)
    }

    /// A float from a Rust value (non-finite values become `0`). Values beyond
    /// `f32`'s range encode, but do not decode back: the spec's width is `f32`.
    pub fn from_f64(v: f64) -> Float<'static> {
        let text = if v.is_finite() {
            v.to_string()
        } else {
            "0".to_owned()
        };
        Float(Str::from(text))
    }

    /// A float from number text already known to match JSON's number
    /// grammar (with an exponent part or not); `None` when it is beyond
    /// `f32`'s range.
    pub(crate) fn from_number(text: Str<'a>, has_exponent: bool) -> Option<Self> {
        in_f32_range(&text, has_exponent).then_some(Float(text))
    }

    /// The text of a float already decoded (so known to be valid), moved.
    pub(crate) fn from_valid(text: Str<'a>) -> Self {
        Float(text)
    }

    /// The text, moved out.
    pub(crate) fn into_str(self) -> Str<'a> {
        self.0
    }
}

/// Whether JSON number text is within `f32`'s range. The spec's width is a
/// 32-bit float: a number beyond it is an error, never a silent infinity.
/// A number with `d` integer digits and exponent `e` is below `10^(d + e)`,
/// so `d + e <= 38` (below f32::MAX, about 3.4e38) needs no parse; only
/// the rest is parsed.
fn in_f32_range(text: &str, has_exponent: bool) -> bool {
    if !has_exponent && text.len() <= 38 {
        return true;
    }
    let bytes = text.as_bytes();
    let sign = usize::from(bytes.first() == Some(&b'-'));
    let digits = bytes[sign..]
        .iter()
        .take_while(|b| b.is_ascii_digit())
        .count();
    let exponent = match bytes.iter().position(|&b| b == b'e' || b == b'E') {
        Some(at) => text[at + 1..].parse::<i64>().ok(),
        None => Some(0),
    };
    let surely_small = exponent.is_some_and(|e| e.saturating_add(digits as i64) <= 38);
    surely_small || text.parse::<f32>().is_ok_and(f32::is_finite)
}

impl fmt::Debug for Float<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Display for Float<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl IntoOwned for Float<'_> {
    type Owned = Float<'static>;
    fn into_owned(self) -> Float<'static> {
        Float(self.0.into_owned())
    }
}

impl Serialize for Float<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        // The text is a JSON number, so it reads back as a raw value that
        // borrows it, and serde_json writes it out verbatim.
        let raw: &RawValue = serde_json::from_str(self.as_str()).map_err(ser::Error::custom)?;
        raw.serialize(s)
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for Float<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let raw = RawJson::deserialize(d)?;
        let text = raw.get();
        if !matches!(text.as_bytes().first(), Some(b'-' | b'0'..=b'9')) {
            return Err(de::Error::invalid_type(unexpected(text), &"a number"));
        }
        let text = match raw.borrowed_str() {
            Some(text) => Str::borrowed(text),
            None => Str::copied(text),
        };
        let has_exponent = text.bytes().any(|b| b | 0x20 == b'e');
        Float::from_number(text, has_exponent).ok_or_else(|| {
            de::Error::invalid_value(
                de::Unexpected::Other(&format!("number {}", raw.get())),
                &"a number within the range of a 32-bit float",
            )
        })
    }
}

/// Describes non-number JSON text for an "invalid type" error.
fn unexpected(text: &str) -> de::Unexpected<'_> {
    match text.as_bytes().first() {
        Some(b'"') => de::Unexpected::Other("a string"),
        Some(b't') => de::Unexpected::Bool(true),
        Some(b'f') => de::Unexpected::Bool(false),
        Some(b'[') => de::Unexpected::Seq,
        Some(b'{') => de::Unexpected::Map,
        _ => de::Unexpected::Other("a value"),
    }
}
