//! One JSON value per line: insignificant whitespace taken out.
//!
//! A raw value is kept as the server sent it, spaces and line breaks
//! included; an NDJSON line must not break, so what is written on one line
//! goes through [`compact`] (the same JSON value, without the whitespace
//! between its tokens).

/// Appends `json` to `out` without the whitespace outside its strings
/// (a JSON string holds no raw line break: the lexer refused any).
pub fn compact(json: &[u8], out: &mut Vec<u8>) {
    if !json.iter().any(|b| is_space(*b)) {
        out.extend_from_slice(json);
        return;
    }
    let (mut in_string, mut escaped) = (false, false);
    for &b in json {
        if in_string {
            if escaped {
                escaped = false;
            } else if b == b'\\' {
                escaped = true;
            } else if b == b'"' {
                in_string = false;
            }
        } else if b == b'"' {
            in_string = true;
        } else if is_space(b) {
            continue;
        }
        out.push(b);
    }
}

fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\n' | b'\r' | b'\t')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn compacted(json: &str) -> String {
        let mut out = Vec::new();
        compact(json.as_bytes(), &mut out);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn whitespace_goes_only_outside_strings() {
        assert_eq!(
            compacted("{ \"a b\" :\n [1,\r\n\t2 ], \"c\":\"x \\\" y\\\\\" }"),
            r#"{"a b":[1,2],"c":"x \" y\\"}"#
        );
        assert_eq!(compacted(r#"{"a":"b"}"#), r#"{"a":"b"}"#);
        let value: serde_json::Value =
            serde_json::from_str(&compacted("[ \"\\\\\" , \"\\\"\\n\" ]")).unwrap();
        assert_eq!(value, serde_json::json!(["\\", "\"\n"]));
    }
}
