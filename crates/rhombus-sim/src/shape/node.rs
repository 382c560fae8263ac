//! A JSON tree that can say what `serde_json::Value` cannot: a key twice in
//! one object, a number as it is written (`60.0`), a string with `\uXXXX`
//! escapes or with bytes that are not UTF-8, and text spliced in verbatim.

use serde_json::Value;

/// One JSON value as the shapes write it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Node {
    /// `null`.
    Null,
    /// `true` / `false`.
    Bool(bool),
    /// A number, exactly as written (`60`, `60.0`, `4294967296`).
    Num(String),
    /// A string, escaped only where JSON requires it.
    Str(String),
    /// A string with every non-ASCII character, and its first ASCII letter,
    /// written as `\uXXXX` escapes (UTF-16 surrogate pairs above U+FFFF).
    Escaped(String),
    /// A string whose bytes are written as they are: may be invalid UTF-8.
    Bytes(Vec<u8>),
    /// An array.
    Arr(Vec<Node>),
    /// An object; keys keep their order and may repeat.
    Obj(Vec<(String, Node)>),
    /// Text written verbatim (deep nesting built without recursion).
    Raw(Vec<u8>),
}

impl Node {
    /// The tree of a parsed value.
    pub(crate) fn from_value(value: &Value) -> Node {
        match value {
            Value::Null => Node::Null,
            Value::Bool(b) => Node::Bool(*b),
            Value::Number(n) => Node::Num(n.to_string()),
            Value::String(s) => Node::Str(s.clone()),
            Value::Array(items) => Node::Arr(items.iter().map(Node::from_value).collect()),
            Value::Object(map) => Node::Obj(
                map.iter()
                    .map(|(k, v)| (k.clone(), Node::from_value(v)))
                    .collect(),
            ),
        }
    }

    /// A number node.
    pub(crate) fn num(n: impl ToString) -> Node {
        Node::Num(n.to_string())
    }

    /// A string node.
    pub(crate) fn str(s: impl Into<String>) -> Node {
        Node::Str(s.into())
    }

    /// The first member called `key`, if this is an object that has one.
    pub(crate) fn get(&self, key: &str) -> Option<&Node> {
        match self {
            Node::Obj(members) => members.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// The first member called `key`, mutably.
    pub(crate) fn get_mut(&mut self, key: &str) -> Option<&mut Node> {
        match self {
            Node::Obj(members) => members.iter_mut().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// The members of an object (empty for anything else).
    pub(crate) fn members_mut(&mut self) -> &mut [(String, Node)] {
        match self {
            Node::Obj(members) => members,
            _ => &mut [],
        }
    }

    /// The first value of the map `key` that is an object, if any.
    pub(crate) fn first_obj_value(&mut self, key: &str) -> Option<&mut Node> {
        self.get_mut(key)?
            .members_mut()
            .iter_mut()
            .map(|(_, v)| v)
            .find(|v| matches!(v, Node::Obj(_)))
    }

    /// Replaces the first member `key`, or appends it; turns a non-object into
    /// an empty object first.
    pub(crate) fn set(&mut self, key: &str, value: Node) {
        let members = self.as_obj();
        match members.iter_mut().find(|(k, _)| k == key) {
            Some((_, v)) => *v = value,
            None => members.push((key.to_owned(), value)),
        }
    }

    /// Appends a member even if the key is already there (the object then
    /// repeats it).
    pub(crate) fn push(&mut self, key: &str, value: Node) {
        self.as_obj().push((key.to_owned(), value));
    }

    /// Removes every member `key`; true if there was one.
    pub(crate) fn remove(&mut self, key: &str) -> bool {
        let members = self.as_obj();
        let before = members.len();
        members.retain(|(k, _)| k != key);
        members.len() != before
    }

    /// The member `key` as an object, created (or replaced, if it was not an
    /// object) as needed.
    pub(crate) fn child(&mut self, key: &str) -> &mut Node {
        if !matches!(self.get(key), Some(Node::Obj(_))) {
            self.set(key, Node::Obj(Vec::new()));
        }
        self.get_mut(key).expect("just set")
    }

    /// The member `key` as an array, created (or replaced) as needed.
    pub(crate) fn list(&mut self, key: &str) -> &mut Vec<Node> {
        if !matches!(self.get(key), Some(Node::Arr(_))) {
            self.set(key, Node::Arr(Vec::new()));
        }
        match self.get_mut(key) {
            Some(Node::Arr(items)) => items,
            _ => unreachable!("just set"),
        }
    }

    /// The object's members, turning a non-object into an empty object.
    fn as_obj(&mut self) -> &mut Vec<(String, Node)> {
        if !matches!(self, Node::Obj(_)) {
            *self = Node::Obj(Vec::new());
        }
        match self {
            Node::Obj(members) => members,
            _ => unreachable!("just replaced"),
        }
    }

    /// Calls `f` on every string node in this tree (iteratively: a deep tree
    /// cannot overflow the stack).
    pub(crate) fn for_each_str(&mut self, mut f: impl FnMut(&mut Node)) {
        let mut stack = vec![self];
        while let Some(node) = stack.pop() {
            match node {
                Node::Str(_) => f(node),
                Node::Arr(items) => stack.extend(items.iter_mut()),
                Node::Obj(members) => stack.extend(members.iter_mut().map(|(_, v)| v)),
                _ => {}
            }
        }
    }

    /// Writes the JSON text.
    pub(crate) fn write(&self, out: &mut Vec<u8>) {
        match self {
            Node::Null => out.extend_from_slice(b"null"),
            Node::Bool(b) => out.extend_from_slice(if *b { b"true" } else { b"false" }),
            Node::Num(n) => out.extend_from_slice(n.as_bytes()),
            Node::Str(s) => write_str(s, out),
            Node::Escaped(s) => write_escaped(s, out),
            Node::Bytes(bytes) => write_bytes(bytes, out),
            Node::Raw(raw) => out.extend_from_slice(raw),
            Node::Arr(items) => {
                out.push(b'[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(b',');
                    }
                    item.write(out);
                }
                out.push(b']');
            }
            Node::Obj(members) => {
                out.push(b'{');
                for (i, (key, value)) in members.iter().enumerate() {
                    if i > 0 {
                        out.push(b',');
                    }
                    write_str(key, out);
                    out.push(b':');
                    value.write(out);
                }
                out.push(b'}');
            }
        }
    }

    /// The JSON text as bytes.
    pub(crate) fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::new();
        self.write(&mut out);
        out
    }
}

/// A string with JSON's required escapes only.
fn write_str(s: &str, out: &mut Vec<u8>) {
    write_bytes(s.as_bytes(), out);
}

/// A string's bytes with `"`, `\` and control characters escaped; every other
/// byte as it is.
fn write_bytes(bytes: &[u8], out: &mut Vec<u8>) {
    out.push(b'"');
    for &b in bytes {
        escape_byte(b, out);
    }
    out.push(b'"');
}

/// One byte of string content, escaped if JSON requires it.
fn escape_byte(b: u8, out: &mut Vec<u8>) {
    match b {
        b'"' => out.extend_from_slice(b"\\\""),
        b'\\' => out.extend_from_slice(b"\\\\"),
        b'\n' => out.extend_from_slice(b"\\n"),
        b'\t' => out.extend_from_slice(b"\\t"),
        0..0x20 => push_unicode_escape(u16::from(b), out),
        _ => out.push(b),
    }
}

/// A string with `\uXXXX` for every non-ASCII character and for its first
/// ASCII letter.
fn write_escaped(s: &str, out: &mut Vec<u8>) {
    out.push(b'"');
    let mut letter_escaped = false;
    let mut units = [0u16; 2];
    for c in s.chars() {
        if c.is_ascii_alphabetic() && !letter_escaped {
            letter_escaped = true;
            push_unicode_escape(c as u16, out);
        } else if c.is_ascii() {
            escape_byte(c as u8, out);
        } else {
            for unit in c.encode_utf16(&mut units) {
                push_unicode_escape(*unit, out);
            }
        }
    }
    out.push(b'"');
}

fn push_unicode_escape(unit: u16, out: &mut Vec<u8>) {
    out.extend_from_slice(format!("\\u{unit:04x}").as_bytes());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeated_keys_raw_numbers_and_escapes_are_written_as_built() {
        let mut obj = Node::Obj(Vec::new());
        obj.push("a", Node::num(1));
        obj.push("a", Node::Num("60.0".into()));
        obj.push("t", Node::Escaped("Ab\"é🚧".into()));
        obj.push("b", Node::Bytes(b"x\xffy".to_vec()));
        obj.push("s", Node::str("q\"\\\n\u{1}"));
        let bytes = obj.to_bytes();
        assert_eq!(
            bytes,
            b"{\"a\":1,\"a\":60.0,\"t\":\"\\u0041b\\\"\\u00e9\\ud83d\\udea7\",\"b\":\"x\xffy\",\"s\":\"q\\\"\\\\\\n\\u0001\"}"
        );
        let mut without_bytes = obj.clone();
        without_bytes.remove("b");
        let parsed: Value = serde_json::from_slice(&without_bytes.to_bytes()).unwrap();
        assert_eq!(parsed["t"], "Ab\"é🚧");
        assert_eq!(parsed["a"], 60.0);
        assert_eq!(parsed["s"], "q\"\\\n\u{1}");
    }

    #[test]
    fn a_value_round_trips() {
        let value = serde_json::json!({"x": [1, -2.5, null, true, "é"], "y": {"z": {}}});
        let back: Value = serde_json::from_slice(&Node::from_value(&value).to_bytes()).unwrap();
        assert_eq!(back, value);
    }
}
