//! Borrowed raw JSON without a second parse: [`RawText`] hands text the fast
//! path has already validated to `serde_json::value::RawValue`'s own
//! `Deserialize` impl, the way serde_json's deserializer does.
//!
//! That handshake is serde_json's (stable but unpublished) protocol; should
//! it ever change, deserializing fails, the fast path declines, and the
//! serde path decodes the input instead. Nothing is assumed that the
//! differential tests do not check.

use serde::Deserialize;
use serde::de::value::{BorrowedStrDeserializer, Error};
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, Visitor};

use crate::fast::Bail;
use crate::raw::RawJson;

/// The name serde_json gives `RawValue`'s newtype.
const TOKEN: &str = "$serde_json::private::RawValue";

/// The raw value of `text`, one JSON value the reader has validated; `Bail`
/// only should serde_json's handshake ever change.
#[inline]
pub(crate) fn raw_json(text: &str) -> Result<RawJson<'_>, Bail> {
    RawJson::deserialize(RawText(text)).map_err(|_| Bail)
}

/// JSON text known to be one valid value.
pub(crate) struct RawText<'a>(pub(crate) &'a str);

impl<'de> Deserializer<'de> for RawText<'de> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_borrowed_str(self.0)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        if name == TOKEN {
            visitor.visit_map(RawMap(Some(self.0)))
        } else {
            Err(de::Error::custom("not a raw value"))
        }
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf option unit unit_struct seq tuple tuple_struct map
        struct enum identifier ignored_any
    }
}

/// The one-entry map `{TOKEN: text}` that `RawValue` expects.
struct RawMap<'a>(Option<&'a str>);

impl<'de> MapAccess<'de> for RawMap<'de> {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Error> {
        if self.0.is_none() {
            return Ok(None);
        }
        seed.deserialize(BorrowedStrDeserializer::new(TOKEN))
            .map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Error> {
        let text = self.0.take().ok_or_else(|| de::Error::custom("no value"))?;
        seed.deserialize(BorrowedStrDeserializer::new(text))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::raw::Float;

    #[test]
    fn raw_values_borrow_the_text() {
        let text = r#"{"a": [1, "x"]}"#;
        let raw = RawJson::deserialize(RawText(text)).expect("raw");
        assert!(raw.is_borrowed());
        assert_eq!(raw.get(), text);
        let float = Float::deserialize(RawText("-1.5e3")).expect("float");
        assert_eq!(float.as_f64(), -1500.0);
        assert!(Float::deserialize(RawText("\"x\"")).is_err());
    }
}
