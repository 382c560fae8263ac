//! What must hold for any input: no panic; tolerant and strict agree on
//! what they share; serde_json's reading of valid JSON is kept; the three
//! drivers give the same answer; what is written reads back the same.

use rhombus_model::generate::{Choices, Classes, Mix, response};
use rhombus_model::{DecodeError, DecodeErrorKind, Decoder};
use serde_json::Value;

use crate::drivers::{from_reader, in_memory, streamed};

/// Arbitrary bytes through the in-memory decode, tolerant and strict.
pub fn check_decode(data: &[u8]) {
    let tolerant = in_memory(&Decoder::new(), data);
    let strict = in_memory(&Decoder::new().strict(true), data);
    for error in [&tolerant, &strict]
        .into_iter()
        .filter_map(|a| a.as_ref().err())
    {
        one_line(error);
    }
    match (&tolerant, &strict) {
        (Ok((t, problems)), Ok((s, none))) => {
            assert!(none.is_empty(), "a strict decode tolerates nothing");
            assert!(
                problems.is_empty(),
                "strict accepted what tolerant reported: {problems:?}"
            );
            assert_eq!(t, s);
        }
        (Ok((_, problems)), Err(refused)) => {
            assert_eq!(refused.kind(), DecodeErrorKind::Data, "{refused}");
            assert!(
                problems
                    .iter()
                    .any(|p| p.path() == refused.path() && p.offset() == refused.offset()),
                "strict refused {refused} where tolerant reported {problems:?}"
            );
        }
        (Err(failed), Err(refused)) => {
            assert!(refused.offset() <= failed.offset(), "{refused} / {failed}");
            assert!(
                failed.kind() != DecodeErrorKind::Data
                    || failed.message().contains("response object"),
                "tolerant failed on a value: {failed}"
            );
        }
        (Err(failed), Ok(_)) => panic!("tolerant refused what strict accepts: {failed}"),
    }
    if let Ok(value) = serde_json::from_slice::<Value>(data) {
        if value.is_object() {
            let (json, _) = tolerant.as_ref().expect("valid JSON objects decode");
            let out: Value = serde_json::from_slice(json).expect("the output is JSON");
            assert_eq!(without_null_members(out), without_null_members(value));
        }
    }
    if let Ok((json, _)) = &tolerant {
        // Written out, read back: the same values (a `null` field sent
        // before its duplicate is dropped as any null field is, so the
        // duplicate may come back typed: equal as JSON, not byte for byte).
        let again = in_memory(&Decoder::new(), json).expect("the output decodes");
        match (
            serde_json::from_slice::<Value>(json),
            serde_json::from_slice::<Value>(&again.0),
        ) {
            (Ok(a), Ok(b)) => assert_eq!(without_null_members(a), without_null_members(b)),
            // Deeper than serde_json reads: from the second writing on, the
            // bytes are a fixed point.
            _ => {
                let third = in_memory(&Decoder::new(), &again.0).expect("decodes");
                assert_eq!(third.0, again.0, "re-encoding is stable");
            }
        }
    }
}

/// Arbitrary bytes through every driver (the first byte picks the read size).
pub fn check_drivers(data: &[u8]) {
    let Some((&first, body)) = data.split_first() else {
        return;
    };
    drivers_agree(body, usize::from(first % 32) + 1, first & 0x80 != 0);
}

/// The body the `generated` target makes of `data` (its first byte picks
/// the mix), the mix, and the classes the body holds.
pub fn generated(data: &[u8]) -> Option<(Vec<u8>, Mix, Classes)> {
    let (&first, rest) = data.split_first()?;
    let mix = [Mix::SPEC, Mix::JAVA, Mix::DRIFT, Mix::HOSTILE][usize::from(first % 4)];
    let mut classes = Classes::default();
    let body = response(&mut Choices::new(rest), mix, &mut classes);
    Some((body, mix, classes))
}

/// A generated body (see [`generated`]) through every check.
pub fn check_generated(data: &[u8]) {
    let Some((body, mix, _)) = generated(data) else {
        return;
    };
    let first = data[0];
    check_decode(&body);
    drivers_agree(&body, usize::from(first >> 2) % 64 + 1, false);
    if mix == Mix::SPEC {
        let mut strict = Decoder::new().strict(true);
        if let Err(e) = strict.decode(&body) {
            panic!(
                "spec bodies decode strictly: {e} in {}",
                String::from_utf8_lossy(&body)
            );
        }
    }
}

fn drivers_agree(body: &[u8], chunk: usize, strict: bool) {
    let decoder = Decoder::new().strict(strict).max_depth(64);
    let want = in_memory(&decoder, body);
    assert_eq!(
        from_reader(&decoder, body, chunk),
        want,
        "reader, chunk {chunk}"
    );
    assert_eq!(
        streamed(&decoder, body, chunk),
        want,
        "stream, chunk {chunk}"
    );
}

/// Errors print as one line.
fn one_line(error: &DecodeError) {
    assert!(!error.to_string().contains('\n'), "{error}");
}

/// `value` without object members whose value is `null`: the model reads a
/// `null` field as an absent one.
fn without_null_members(value: Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.into_iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k, without_null_members(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.into_iter().map(without_null_members).collect()),
        other => other,
    }
}
