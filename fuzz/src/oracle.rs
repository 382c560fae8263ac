//! The properties every target checks, with serde_json as the reference.

use rhombus_model::{DecodeErrorKind, FindDrift, Response, WriteJson, decode, decode_tolerant};
use serde_json::Value;

/// `decode` against serde_json on arbitrary bytes.
///
/// - input serde_json rejects is rejected;
/// - input serde_json accepts is rejected only for its shape (`Data`);
/// - a decoded response re-encodes to the same JSON value as the input
///   (absent and `null` count as the same), and decodes again to itself.
pub fn check_strict(data: &[u8]) {
    let reference = serde_json::from_slice::<Value>(data);
    match decode(data) {
        Ok(response) => match reference {
            Ok(reference) => check_reencodes(&response, &reference),
            Err(e) if known_deviation(&e) => {}
            Err(e) => panic!("decode accepted input serde_json rejects ({e})"),
        },
        Err(err) => {
            check_error_line(&err);
            if reference.is_ok() {
                assert_eq!(
                    err.kind(),
                    DecodeErrorKind::Data,
                    "valid JSON failed as {err}"
                );
            }
        }
    }
}

/// `decode_tolerant` against serde_json and `decode` on arbitrary bytes.
///
/// Besides the properties of [`check_strict`]: the response holds exactly the
/// input minus the failed clips, each failure's `raw` is that clip's JSON and
/// its path points at it, and a failure means the strict decoder fails too.
pub fn check_tolerant(data: &[u8]) {
    let reference = serde_json::from_slice::<Value>(data);
    let strict = decode(data);
    let tolerant = match decode_tolerant(data) {
        Ok(tolerant) => tolerant,
        Err(err) => {
            check_error_line(&err);
            assert!(
                strict.is_err(),
                "strict decode succeeded where tolerant failed: {err}"
            );
            return;
        }
    };
    let mut reference = match reference {
        Ok(reference) => reference,
        Err(e) if known_deviation(&e) => return,
        Err(e) => panic!("decode_tolerant accepted input serde_json rejects ({e})"),
    };
    if let Ok(response) = &strict {
        assert!(
            tolerant.failures.is_empty(),
            "failures on input that decodes strictly"
        );
        assert_eq!(&tolerant.response, response);
    }
    if !tolerant.failures.is_empty() {
        assert!(
            strict.is_err(),
            "strict decode succeeded despite failed clips"
        );
        let clips = reference
            .get_mut("splicedClips")
            .and_then(Value::as_array_mut)
            .expect("failed clips come from a splicedClips array");
        let mut last = None;
        for failure in tolerant.failures.iter().rev() {
            check_error_line(&failure.error);
            assert!(
                last.is_none_or(|l| failure.index < l),
                "failures out of order"
            );
            last = Some(failure.index);
            let prefix = format!("splicedClips[{}]", failure.index);
            assert!(
                failure.error.path().starts_with(&prefix),
                "failure path {:?} is not under {prefix}",
                failure.error.path()
            );
            assert!(failure.index < clips.len(), "failure index past the array");
            let raw: Value = serde_json::from_str(failure.raw).expect("failure raw is JSON");
            assert_eq!(
                raw,
                clips.remove(failure.index),
                "failure raw is not the clip"
            );
        }
    }
    check_reencodes(&tolerant.response, &reference);
}

/// A structured response: encode → decode → encode gives the same bytes and
/// the same value, compact and pretty-printed, strict and tolerant.
pub fn check_roundtrip(response: &Response<'_>) {
    let first = serde_json::to_vec(response).expect("a response encodes");
    check_write_json(response, &first);
    let decoded = match decode(&first) {
        Ok(decoded) => decoded,
        Err(e) => panic!("our own output does not decode: {e}\n{}", lossy(&first)),
    };
    assert_eq!(
        &decoded,
        response,
        "decode(encode(x)) != x for {}",
        lossy(&first)
    );
    let second = serde_json::to_vec(&decoded).expect("a response encodes");
    assert_eq!(
        lossy(&first),
        lossy(&second),
        "re-encoding changed the bytes"
    );

    let pretty = serde_json::to_vec_pretty(response).expect("a response encodes");
    assert_eq!(
        decode(&pretty).as_ref(),
        Ok(response),
        "pretty form decodes differently"
    );

    let tolerant = decode_tolerant(&first).expect("our own output decodes tolerantly");
    assert!(tolerant.failures.is_empty());
    assert_eq!(&tolerant.response, response);
    assert_eq!(&response.clone().into_owned(), response);
}

/// Input the model accepts although serde_json rejects it, reported and
/// waiting on a fix in rhombus-model; each case has a reproducer in
/// `fuzz/regressions/`.
///
/// Lone UTF-16 surrogates (`"\ud800"`) inside an *unknown* field: the model
/// keeps unknown values as raw JSON, and serde_json validates escapes only
/// when it builds a `String`, not when it skips a value to capture it raw.
/// (`regressions/*/lone_surrogate_in_unknown_field.json`.)
///
/// Nesting deeper than serde_json's recursion limit (128) inside an unknown
/// field: skipping a value is iterative in serde_json, so the model accepts
/// any depth there (without using stack), while `Value` stops at 128.
/// (`regressions/*/deep_nesting_in_unknown_field.json`.)
///
/// Numbers beyond `f64`'s range (`1e400`) inside an unknown field (kept as
/// raw text), which `Value` rejects as "number out of range". (Float fields
/// reject anything beyond `f32`'s range themselves.)
/// (`regressions/*/number_out_of_range.json`.)
///
/// Delete an exception once the model rejects such input.
fn known_deviation(err: &serde_json::Error) -> bool {
    let text = err.to_string();
    text.starts_with("lone leading surrogate in hex escape")
        || text.starts_with("unexpected end of hex escape")
        || text.starts_with("recursion limit exceeded")
        || text.starts_with("number out of range")
}

/// Re-encodes a decoded response and compares it with the input's value.
fn check_reencodes(response: &Response<'_>, input: &Value) {
    let bytes = serde_json::to_vec(response).expect("a decoded response re-encodes");
    check_write_json(response, &bytes);
    let ours: Value = serde_json::from_slice(&bytes).expect("our output is JSON");
    assert_eq!(
        without_nulls(&ours),
        without_nulls(input),
        "re-encoded response differs from the input"
    );
    match decode(&bytes) {
        Ok(again) => assert_eq!(&again, response, "decode(encode(x)) != x"),
        Err(e) => panic!("our own output does not decode: {e}\n{}", lossy(&bytes)),
    }
    assert_eq!(
        &response.clone().into_owned(),
        response,
        "into_owned changed the value"
    );
    let _ = response.drift();
    for clip in response.clips() {
        let _ = (clip.progress(), clip.start_time(), clip.status_updated_at());
        let _ = clip.devices().count();
    }
}

/// `WriteJson` writes exactly serde_json's bytes (`serde`), for the
/// response and for each clip.
fn check_write_json(response: &Response<'_>, serde: &[u8]) {
    let mut ours = Vec::new();
    response.write_json(&mut ours);
    assert_eq!(
        lossy(&ours),
        lossy(serde),
        "write_json differs from serde_json"
    );
    for clip in response.clips() {
        ours.clear();
        clip.write_json(&mut ours);
        let serde = serde_json::to_vec(clip).expect("a clip encodes");
        assert_eq!(lossy(&ours), lossy(&serde), "write_json differs for a clip");
    }
}

/// The documented error format: one line, and it names the path when there is one.
fn check_error_line(err: &rhombus_model::DecodeError) {
    let text = err.to_string();
    assert!(!text.contains('\n'), "error is not one line: {text:?}");
    if !err.path().is_empty() {
        assert!(text.contains(err.path()), "error {text:?} lacks its path");
    }
}

/// A value with every object member that is `null` removed, recursively:
/// the API treats `null` and absent alike, and so does the model.
pub fn without_nulls(value: &Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k.clone(), without_nulls(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(without_nulls).collect()),
        other => other.clone(),
    }
}

fn lossy(bytes: &[u8]) -> std::borrow::Cow<'_, str> {
    String::from_utf8_lossy(bytes)
}

/// `stream::StreamDecoder` against `decode_tolerant` on arbitrary bytes, read
/// in small chunks so every buffer boundary gets crossed.
///
/// The stream must hand over the same clips and the same per-clip errors
/// (path, line, column, message) as the tolerant decoder, and an envelope
/// that makes the same response; it may fail where the tolerant decoder does
/// not only for a repeated `splicedClips` key (documented).
pub fn check_stream(data: &[u8]) {
    use rhombus_model::stream::StreamDecoder;

    let reader = Chunked {
        data,
        size: 1 + data.len() % 13,
    };
    let mut clips = Vec::new();
    let mut failures = Vec::new();
    let streamed = StreamDecoder::new(reader).for_each_clip(|index, clip| match clip {
        Ok(clip) => clips.push((index, clip.into_owned())),
        Err(error) => failures.push((index, error)),
    });
    let tolerant = decode_tolerant(data);
    let envelope = match streamed {
        Ok(envelope) => envelope,
        Err(err) => {
            check_error_line(&err);
            let deviation =
                serde_json::from_slice::<Value>(data).is_err_and(|e| known_deviation(&e));
            if let (Ok(t), false) = (&tolerant, deviation) {
                assert!(
                    err.message().contains("duplicate field `splicedClips`"),
                    "stream failed ({err}) where decode_tolerant succeeded with {} clips",
                    t.response.clips().len()
                );
            }
            return;
        }
    };
    let tolerant = match tolerant {
        Ok(tolerant) => tolerant,
        Err(e) => {
            if serde_json::from_slice::<Value>(data).is_err_and(|e| known_deviation(&e)) {
                return;
            }
            panic!("stream accepted input decode_tolerant rejects ({e})")
        }
    };
    assert_eq!(envelope.clip_count, clips.len() + failures.len());
    let expected: Vec<(usize, &rhombus_model::DecodeError)> = tolerant
        .failures
        .iter()
        .map(|f| (f.index, &f.error))
        .collect();
    let got: Vec<(usize, &rhombus_model::DecodeError)> =
        failures.iter().map(|(i, e)| (*i, e)).collect();
    assert_eq!(got, expected, "per-clip errors differ");
    let response = envelope.into_response(clips.into_iter().map(|(_, c)| c).collect());
    assert_eq!(response, tolerant.response, "streamed response differs");
}

/// A reader that hands out at most `size` bytes per call.
struct Chunked<'a> {
    data: &'a [u8],
    size: usize,
}

impl std::io::Read for Chunked<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.size.min(buf.len()).min(self.data.len());
        buf[..n].copy_from_slice(&self.data[..n]);
        self.data = &self.data[n..];
        Ok(n)
    }
}

/// `fast::try_decode` against the serde path (`serde_json::from_slice` with
/// the model's `Deserialize` impls) on arbitrary bytes: the fast decoder may
/// decline, but whatever it returns is exactly what the serde path returns.
/// The same for one clip (`fast::try_decode_clip`).
pub fn check_fast_vs_serde(data: &[u8]) {
    use rhombus_model::{SplicedClip, fast};

    if let Some(fast) = fast::try_decode(data) {
        match serde_json::from_slice::<Response<'_>>(data) {
            Ok(serde) => assert_eq!(fast, serde, "fast and serde decoders disagree"),
            Err(e) => panic!("fast decoder accepted input the serde path rejects ({e})"),
        }
    }
    if let Some(fast) = fast::try_decode_clip(data) {
        match serde_json::from_slice::<SplicedClip<'_>>(data) {
            Ok(serde) => assert_eq!(fast, serde, "fast and serde clip decoders disagree"),
            Err(e) => panic!("fast clip decoder accepted input the serde path rejects ({e})"),
        }
    }
    // The one-pass owned decode (the fast path copying as it reads) agrees
    // with the borrowed decode, in success and in its error.
    match (
        rhombus_model::decode(data),
        rhombus_model::decode_owned(data),
    ) {
        (Ok(borrowed), Ok(owned)) => assert_eq!(owned, borrowed, "decode_owned disagrees"),
        (Err(a), Err(b)) => assert_eq!(
            a.to_string(),
            b.to_string(),
            "decode_owned errs differently"
        ),
        (a, b) => panic!("decode {:?} but decode_owned {:?}", a.is_ok(), b.is_ok()),
    }
}

/// `rhombus_model::arena::decode_in` against `decode` on arbitrary bytes:
/// the same error, or the same values. Values are compared three ways: as
/// the model's decode moved into an arena (`ArenaForm`, field by field), as
/// the JSON each tree writes, and as the drift each reports.
pub fn check_arena(data: &[u8]) {
    use rhombus_model::arena::{ArenaForm, Bump, decode_in};

    let bump = Bump::new();
    match (decode(data), decode_in(data, &bump)) {
        (Ok(model), Ok(arena)) => {
            let (mut from_model, mut from_arena) = (Vec::new(), Vec::new());
            model.write_json(&mut from_model);
            arena.write_json(&mut from_arena);
            assert_eq!(from_arena, from_model, "the arena tree writes other JSON");
            assert_eq!(
                arena.drift(),
                model.drift(),
                "the arena tree drifts otherwise"
            );
            assert_eq!(arena, model.into_arena(&bump), "the arena decode disagrees");
        }
        (Err(a), Err(b)) => assert_eq!(b.to_string(), a.to_string(), "decode_in errs differently"),
        (a, b) => panic!("decode {:?} but decode_in {:?}", a.is_ok(), b.is_ok()),
    }
    check_arena_reader(data);
}

/// `rhombus_model::arena::decode_reader_in`, reading `data` in small chunks,
/// against `decode_in`: the same tree, or both fail, with the same error
/// inside a clip. It may fail where `decode_in` does not, or otherwise, only
/// for a repeated `splicedClips` key, which the stream refuses as it reads it.
fn check_arena_reader(data: &[u8]) {
    use rhombus_model::arena::{Bump, decode_in, decode_reader_in};

    let (in_memory, read) = (Bump::new(), Bump::new());
    let reader = Chunked {
        data,
        size: 1 + data.len() % 13,
    };
    let deviation = || serde_json::from_slice::<Value>(data).is_err_and(|e| known_deviation(&e));
    let repeated =
        |e: &rhombus_model::DecodeError| e.message().contains("duplicate field `splicedClips`");
    match (decode_in(data, &in_memory), decode_reader_in(reader, &read)) {
        (Ok(a), Ok(b)) => assert_eq!(b, a, "decode_reader_in disagrees with decode_in"),
        (Err(a), Err(b)) => {
            check_error_line(&b);
            // The same error inside a clip. In the envelope, the stream's
            // own scanner may find another error first (a syntax error
            // further into a value of the wrong type).
            if a.path().starts_with("splicedClips[") && !repeated(&b) {
                assert_eq!(
                    b.to_string(),
                    a.to_string(),
                    "decode_reader_in errs differently"
                );
            }
        }
        (Ok(_), Err(e)) => assert!(
            repeated(&e) || deviation(),
            "decode_reader_in failed ({e}) where decode_in succeeded"
        ),
        (Err(e), Ok(_)) => assert!(
            deviation(),
            "decode_reader_in accepted input decode_in rejects ({e})"
        ),
    }
}
