//! Strings as JSON text: with the escapes JSON requires, or with every
//! escape it allows.

/// Writes `bytes` as a JSON string: `"`, `\` and control characters
/// escaped; with `all`, also `/`, the first ASCII letter and every
/// non-ASCII character (`\uXXXX`, surrogate pairs above U+FFFF). `prefix`
/// goes in verbatim after the opening quote (bytes that may not be UTF-8).
pub(crate) fn string(out: &mut Vec<u8>, prefix: &[u8], text: &str, all: bool) {
    out.push(b'"');
    out.extend_from_slice(prefix);
    if all {
        escaped(out, text);
    } else {
        for &b in text.as_bytes() {
            required(out, b);
        }
    }
    out.push(b'"');
}

/// One byte of string content, escaped if JSON requires it.
fn required(out: &mut Vec<u8>, b: u8) {
    match b {
        b'"' => out.extend_from_slice(b"\\\""),
        b'\\' => out.extend_from_slice(b"\\\\"),
        b'\n' => out.extend_from_slice(b"\\n"),
        b'\t' => out.extend_from_slice(b"\\t"),
        0..0x20 => unicode(out, u16::from(b)),
        _ => out.push(b),
    }
}

fn escaped(out: &mut Vec<u8>, text: &str) {
    let mut letter = false;
    let mut units = [0u16; 2];
    for c in text.chars() {
        if c.is_ascii_alphabetic() && !letter {
            letter = true;
            unicode(out, c as u16);
        } else if c == '/' {
            out.extend_from_slice(b"\\/");
        } else if c.is_ascii() {
            required(out, c as u8);
        } else {
            for unit in c.encode_utf16(&mut units) {
                unicode(out, *unit);
            }
        }
    }
}

fn unicode(out: &mut Vec<u8>, unit: u16) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.extend_from_slice(b"\\u");
    for shift in [12, 8, 4, 0] {
        out.push(HEX[usize::from((unit >> shift) & 0xf)]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaped_text_reads_back_the_same() {
        for text in ["Ab\"é🚧/\\\n\u{1}", "", "受付 東京 #14"] {
            for all in [false, true] {
                let mut out = Vec::new();
                string(&mut out, b"", text, all);
                let back: String = serde_json::from_slice(&out).unwrap();
                assert_eq!(back, text);
            }
        }
        let mut out = Vec::new();
        string(&mut out, b"\xff", "Ab/é🚧", true);
        assert_eq!(out, b"\"\xff\\u0041b\\/\\u00e9\\ud83d\\udea7\"");
    }
}
