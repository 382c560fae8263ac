//! Leaf values kept as the text the server sent: [`Float`] and [`RawJson`].

use std::fmt;

use serde::{Serialize, Serializer, ser};
use serde_json::value::RawValue;

use crate::lex::{Lexer, Nesting, in_f32_range};

/// A JSON number kept as the text the server sent (`123`, `0.25`, `1e-3`), so
/// it re-encodes exactly; read it with [`Float::as_f64`] or [`Float::as_f32`].
/// A decoded `Float` is always within `f32`'s range, the spec's width.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Float<'a>(&'a str);

impl<'a> Float<'a> {
    /// `text` as a float, if it is one JSON number within `f32`'s range.
    pub fn parse(text: &'a str) -> Option<Self> {
        if !text.starts_with(|c: char| c == '-' || c.is_ascii_digit()) {
            return None;
        }
        // A number must be followed by something to be known complete.
        let padded = format!("{text} ");
        let mut lx = Lexer::new(padded.as_bytes());
        let (_, has_exponent) = lx.number().ok()?;
        (lx.pos == text.len() && in_f32_range(text, has_exponent)).then_some(Float(text))
    }

    /// Number text the lexer already checked.
    pub(crate) fn from_checked(text: &'a str) -> Self {
        Float(text)
    }

    /// The number as sent.
    pub fn as_str(&self) -> &'a str {
        self.0
    }

    /// The number as `f64`.
    pub fn as_f64(&self) -> f64 {
        self.0.parse().unwrap_or(f64::NAN)
    }

    /// The number as `f32`, the spec's width for these fields.
    pub fn as_f32(&self) -> f32 {
        self.0.parse().unwrap_or(f32::NAN)
    }
}

impl fmt::Debug for Float<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}

impl fmt::Display for Float<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}

impl Serialize for Float<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        RawJson(self.0).serialize(s)
    }
}

/// A JSON value kept as its exact text: an unknown field, or a value that did
/// not fit its field's type (reported when it was decoded).
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct RawJson<'a>(&'a str);

impl<'a> RawJson<'a> {
    /// `text` as raw JSON, if it is exactly one JSON value (whitespace
    /// around it allowed).
    pub fn parse(text: &'a str) -> Option<Self> {
        let padded = format!("{text} ");
        let mut lx = Lexer::new(padded.as_bytes());
        lx.skip(&mut Nesting::new()).ok()?;
        lx.at_end().then_some(RawJson(text))
    }

    /// Text the lexer already checked to be one value.
    pub(crate) fn from_checked(text: &'a str) -> Self {
        RawJson(text)
    }

    /// The exact JSON text.
    pub fn get(&self) -> &'a str {
        self.0
    }

    /// The JSON type of the value: `"string"`, `"number"`, `"object"`,
    /// `"array"`, `"boolean"` or `"null"`.
    pub fn json_type(&self) -> &'static str {
        match self.0.trim_start().as_bytes().first() {
            Some(b'"') => "string",
            Some(b'{') => "object",
            Some(b'[') => "array",
            Some(b't' | b'f') => "boolean",
            Some(b'n') => "null",
            _ => "number",
        }
    }

    /// Decodes the raw text as a [`serde_json::Value`].
    ///
    /// Fails only where `serde_json::Value` is stricter than this crate:
    /// nesting past its recursion limit (128), a lone surrogate escape, or a
    /// number beyond `f64`'s range (`1e400`).
    pub fn to_value(&self) -> Result<serde_json::Value, serde_json::Error> {
        serde_json::from_str(self.0)
    }
}

impl fmt::Debug for RawJson<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}

impl fmt::Display for RawJson<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}

impl Serialize for RawJson<'_> {
    /// Verbatim through serde_json's raw values (serde_json refuses nesting
    /// deeper than 128 levels here; [`crate::WriteJson`] has no such limit).
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let raw: &RawValue = serde_json::from_str(self.0).map_err(ser::Error::custom)?;
        raw.serialize(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floats_and_raw_values_check_their_text() {
        assert_eq!(Float::parse("1.5e3").map(|f| f.as_f64()), Some(1500.0));
        assert_eq!(Float::parse("1e39"), None);
        assert_eq!(Float::parse("01"), None);
        assert_eq!(Float::parse("1 2"), None);
        assert_eq!(Float::parse(""), None);
        assert!(RawJson::parse(r#" {"a": [1, "x"]} "#).is_some());
        assert!(RawJson::parse(r#"{"a": [1, "x"]"#).is_none());
        assert!(RawJson::parse("1 2").is_none());
        assert_eq!(RawJson::parse("[]").map(|r| r.json_type()), Some("array"));
    }
}
