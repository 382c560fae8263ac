//! JSON paths as this crate prints them: `splicedClips[3].deviceMap["AAAA….v0"].totalSegments`.

/// Appends an object key: `.name` for identifier-like keys, `["key"]` otherwise.
pub(crate) fn push_key(path: &mut String, key: &str) {
    let ident = key
        .bytes()
        .enumerate()
        .all(|(i, b)| b == b'_' || b.is_ascii_alphabetic() || (i > 0 && b.is_ascii_digit()));
    if ident && !key.is_empty() {
        if !path.is_empty() {
            path.push('.');
        }
        path.push_str(key);
    } else {
        path.push('[');
        // Serialising a str to JSON cannot fail.
        path.push_str(&serde_json::to_string(key).unwrap_or_default());
        path.push(']');
    }
}

/// Appends an array index: `[3]`.
pub(crate) fn push_index(path: &mut String, index: usize) {
    use std::fmt::Write;
    let _ = write!(path, "[{index}]");
}

/// `rest` (a path relative to `prefix`) under `prefix`.
pub(crate) fn join(prefix: &str, rest: &str) -> String {
    if rest.is_empty() {
        prefix.to_owned()
    } else if prefix.is_empty() || rest.starts_with('[') {
        format!("{prefix}{rest}")
    } else {
        format!("{prefix}.{rest}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_and_indices() {
        let mut p = String::new();
        push_key(&mut p, "splicedClips");
        push_index(&mut p, 3);
        push_key(&mut p, "deviceMap");
        push_key(&mut p, "AAAA.v0");
        push_key(&mut p, "totalSegments");
        assert_eq!(p, r#"splicedClips[3].deviceMap["AAAA.v0"].totalSegments"#);
        let mut q = String::new();
        push_key(&mut q, "with \"quote\"");
        assert_eq!(q, r#"["with \"quote\""]"#);
    }
}
