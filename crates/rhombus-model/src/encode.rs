//! [`WriteJson`]: compact JSON straight into a byte buffer, byte for byte what
//! `serde_json::to_writer` writes for the same value.
//!
//! serde_json writes through its `Serializer` one token at a time and escapes
//! strings a byte at a time; these types know their shape, and most of their
//! strings are ids with nothing to escape, so runs are copied whole.

use crate::Extra;
use crate::lex::special_byte;
use crate::model::containers::{Item, List, Map};
use crate::model::enums::{ClipStatus, Integration, Visibility};
use crate::model::ids::{DeviceFacetUuid, Ruuid};
use crate::model::leaves::{Float, RawJson};

/// Appends a value as compact JSON to a buffer: the same bytes as
/// `serde_json::to_writer(&mut out, value)`, without its per-token calls.
///
/// ```
/// use rhombus_model::{Decoder, WriteJson};
///
/// let body = br#"{ "splicedClips": [ {"clipUuid": "AAAAAAAAAAAAAAAAAAAAAA", "x": [1, 2]} ] }"#;
/// let mut decoder = Decoder::new();
/// let response = decoder.decode(body)?;
/// let clip = response.clips().next().expect("a clip");
/// let mut out = Vec::new();
/// clip.write_json(&mut out);
/// assert_eq!(out, serde_json::to_vec(clip)?);
/// assert_eq!(out, br#"{"clipUuid":"AAAAAAAAAAAAAAAAAAAAAA","x":[1, 2]}"#);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub trait WriteJson {
    /// Appends `self` to `out`.
    fn write_json(&self, out: &mut Vec<u8>);
}

impl WriteJson for bool {
    fn write_json(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(if *self { b"true" } else { b"false" });
    }
}

macro_rules! integer {
    ($($t:ty),*) => {$(
        impl WriteJson for $t {
            fn write_json(&self, out: &mut Vec<u8>) {
                out.extend_from_slice(itoa::Buffer::new().format(*self).as_bytes());
            }
        }
    )*};
}
integer!(i32, i64);

impl WriteJson for &str {
    fn write_json(&self, out: &mut Vec<u8>) {
        string(out, self);
    }
}

impl WriteJson for str {
    fn write_json(&self, out: &mut Vec<u8>) {
        string(out, self);
    }
}

/// Ids and open enums are strings on the wire.
macro_rules! as_string {
    ($($t:ident),*) => {$(
        impl WriteJson for $t<'_> {
            fn write_json(&self, out: &mut Vec<u8>) {
                string(out, self.as_str());
            }
        }
    )*};
}
as_string!(Ruuid, DeviceFacetUuid, ClipStatus, Visibility, Integration);

impl WriteJson for Float<'_> {
    /// The number's text as it was read (or as `from_f64` wrote it).
    fn write_json(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(self.as_str().as_bytes());
    }
}

impl WriteJson for RawJson<'_> {
    /// The value's JSON text, verbatim.
    fn write_json(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(self.get().as_bytes());
    }
}

impl<T: WriteJson> WriteJson for Option<T> {
    fn write_json(&self, out: &mut Vec<u8>) {
        match self {
            Some(v) => v.write_json(out),
            None => out.extend_from_slice(b"null"),
        }
    }
}

impl<T: WriteJson> WriteJson for Item<'_, T> {
    fn write_json(&self, out: &mut Vec<u8>) {
        match self {
            Item::Value(v) => v.write_json(out),
            Item::Null => out.extend_from_slice(b"null"),
            Item::Raw(raw) => raw.write_json(out),
        }
    }
}

impl<T: WriteJson> WriteJson for List<'_, T> {
    fn write_json(&self, out: &mut Vec<u8>) {
        out.push(b'[');
        for (i, item) in self.items().iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            item.write_json(out);
        }
        out.push(b']');
    }
}

impl<K: AsRef<str>, V: WriteJson> WriteJson for Map<'_, K, V> {
    fn write_json(&self, out: &mut Vec<u8>) {
        let mut object = Object::open(out);
        for (key, value) in self.entries() {
            object.member(key.as_ref(), value);
        }
        object.close();
    }
}

/// An object being written: members are separated by commas as they come.
pub(crate) struct Object<'o> {
    out: &'o mut Vec<u8>,
    first: bool,
}

impl<'o> Object<'o> {
    /// Writes `{`.
    pub(crate) fn open(out: &'o mut Vec<u8>) -> Self {
        out.push(b'{');
        Object { out, first: true }
    }

    /// Writes `"key":value` (escaping the key).
    pub(crate) fn member(&mut self, key: &str, value: &impl WriteJson) {
        self.separate();
        string(self.out, key);
        self.out.push(b':');
        value.write_json(self.out);
    }

    /// Writes a member whose key is known to need no escapes (a schema key).
    pub(crate) fn known(&mut self, key: &str, value: &impl WriteJson) {
        self.separate();
        self.out.push(b'"');
        self.out.extend_from_slice(key.as_bytes());
        self.out.extend_from_slice(b"\":");
        value.write_json(self.out);
    }

    /// Writes an object's unknown fields, in their order.
    pub(crate) fn extra(&mut self, extra: Extra<'_>) {
        for (key, value) in extra.iter() {
            self.member(key, &value);
        }
    }

    /// Writes `}`.
    pub(crate) fn close(self) {
        self.out.push(b'}');
    }

    fn separate(&mut self) {
        if !self.first {
            self.out.push(b',');
        }
        self.first = false;
    }
}

/// Writes `s` as a JSON string, escaped as serde_json escapes: `\"`, `\\`,
/// the short forms `\b \t \n \f \r`, and `\u00xx` (lowercase hex) for other
/// control characters; everything else, non-ASCII included, as is.
fn string(out: &mut Vec<u8>, s: &str) {
    out.push(b'"');
    let mut rest = s.as_bytes();
    while let (Some(at), _) = special_byte(rest) {
        out.extend_from_slice(&rest[..at]);
        escape(out, rest[at]);
        rest = &rest[at + 1..];
    }
    out.extend_from_slice(rest);
    out.push(b'"');
}

fn escape(out: &mut Vec<u8>, byte: u8) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let short = match byte {
        b'"' => b'"',
        b'\\' => b'\\',
        0x08 => b'b',
        b'\t' => b't',
        b'\n' => b'n',
        0x0c => b'f',
        b'\r' => b'r',
        _ => {
            let hex = [HEX[usize::from(byte >> 4)], HEX[usize::from(byte & 0xf)]];
            out.extend_from_slice(b"\\u00");
            out.extend_from_slice(&hex);
            return;
        }
    };
    out.extend_from_slice(&[b'\\', short]);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn json(s: &str) -> Vec<u8> {
        let mut out = Vec::new();
        string(&mut out, s);
        out
    }

    #[test]
    fn strings_escape_exactly_as_serde_json() {
        let mut every: String = (0u8..0x80).map(char::from).collect();
        every.push_str("é✓😀 \u{7f} \u{2028}");
        for s in [
            every.as_str(),
            "",
            "plain",
            "\"",
            "\\",
            "a\"b\\c\nd",
            "\u{1f}x",
        ] {
            assert_eq!(json(s), serde_json::to_vec(s).unwrap(), "{s:?}");
        }
    }

    #[test]
    fn numbers_and_literals_match_serde_json() {
        let mut out = Vec::new();
        for v in [0, -1, i64::MIN, i64::MAX, 1_731_999_777_649] {
            out.clear();
            v.write_json(&mut out);
            assert_eq!(out, serde_json::to_vec(&v).unwrap());
        }
        for v in [i32::MIN, i32::MAX, 7] {
            out.clear();
            v.write_json(&mut out);
            assert_eq!(out, serde_json::to_vec(&v).unwrap());
        }
        out.clear();
        (true, false).0.write_json(&mut out);
        None::<bool>.write_json(&mut out);
        assert_eq!(out, b"truenull");
    }
}
