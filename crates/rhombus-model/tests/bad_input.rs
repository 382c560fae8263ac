//! Regression fixtures for every class of bad input: each asserts the error's
//! kind, JSON path and position, and that nothing panics.

use rhombus_model::arena::{Bump, decode_in};
use rhombus_model::{DecodeErrorKind, WriteJson, decode, decode_owned, decode_tolerant};

/// Decodes `json`, expecting failure, and returns (kind, path, line, column, message).
fn fail(json: &str) -> (DecodeErrorKind, String, usize, usize, String) {
    let err = decode(json.as_bytes()).expect_err("should not decode");
    let owned = decode_owned(json.as_bytes()).expect_err("should not decode owned");
    assert_eq!(
        owned.to_string(),
        err.to_string(),
        "decode_owned errs alike"
    );
    let arena =
        decode_in(json.as_bytes(), &Bump::new()).expect_err("should not decode in an arena");
    assert_eq!(arena.to_string(), err.to_string(), "decode_in errs alike");
    (
        err.kind(),
        err.path().to_owned(),
        err.line(),
        err.column(),
        err.to_string(),
    )
}

#[test]
fn wrong_type_names_the_field() {
    let (kind, path, line, col, msg) = fail(r#"{"splicedClips":[{},{"duration":"long"}]}"#);
    assert_eq!(kind, DecodeErrorKind::Data);
    assert_eq!(path, "splicedClips[1].duration");
    assert_eq!((line, col), (1, 38));
    assert!(
        msg.starts_with(r#"invalid type: string "long", expected i32 at splicedClips[1].duration"#),
        "{msg}"
    );
}

#[test]
fn int32_overflow_is_an_error_not_a_wrap() {
    let json = "{\"splicedClips\":[\n {\"deviceMap\":{\"BBBBBBBBBBBBBBBBBBBBBB.v0\":{\"totalSegments\":2147483648}}}]}";
    let (kind, path, line, _, msg) = fail(json);
    assert_eq!(kind, DecodeErrorKind::Data);
    assert_eq!(
        path,
        r#"splicedClips[0].deviceMap["BBBBBBBBBBBBBBBBBBBBBB.v0"].totalSegments"#
    );
    assert_eq!(line, 2);
    assert!(msg.contains("2147483648"), "{msg}");
    // The largest i32 is fine.
    let ok =
        decode(br#"{"splicedClips":[{"duration":2147483647,"segmentsUploaded":-2147483648}]}"#)
            .expect("in range");
    assert_eq!(ok.clips()[0].duration, Some(i32::MAX));
}

#[test]
fn int64_overflow_and_fractions_are_errors() {
    let (_, path, ..) = fail(r#"{"splicedClips":[{"startTime":9223372036854775808}]}"#);
    assert_eq!(path, "splicedClips[0].startTime");
    let (_, path, ..) = fail(r#"{"splicedClips":[{"timestampMs":1.5}]}"#);
    assert_eq!(path, "splicedClips[0].timestampMs");
    let (_, path, ..) = fail(r#"{"splicedClips":[{"duration":1e3}]}"#);
    assert_eq!(path, "splicedClips[0].duration");
}

#[test]
fn floats_accept_any_json_number_and_reject_other_types() {
    let ok = decode(br#"{"splicedClips":[{"thumbnailRelativeSecond":-1.25E+2}]}"#).expect("number");
    let t = ok.clips()[0]
        .thumbnail_relative_second
        .as_ref()
        .expect("float");
    assert_eq!((t.as_str(), t.as_f64()), ("-1.25E+2", -125.0));
    let (kind, path, _, _, msg) = fail(r#"{"splicedClips":[{"thumbnailRelativeSecond":"3.5"}]}"#);
    assert_eq!(
        (kind, path.as_str()),
        (
            DecodeErrorKind::Data,
            "splicedClips[0].thumbnailRelativeSecond"
        )
    );
    assert!(msg.contains("expected a number"), "{msg}");
    let (_, path, ..) = fail(
        r#"{"splicedClips":[{"deviceUuidToFisheyePresentationMap":{"X.v0":[{"yawDegrees":true}]}}]}"#,
    );
    assert_eq!(
        path,
        r#"splicedClips[0].deviceUuidToFisheyePresentationMap["X.v0"][0].yawDegrees"#
    );
    // The spec's width is f32: beyond its range is an error naming the field.
    // In range: at the edge, by digits plus exponent, tiny, and a zero with
    // an exponent too long for any integer type.
    for in_range in [
        "3.4e38",
        "99e36",
        "-12.5E+36",
        "1e-400",
        "0.0e99999999999999999999",
    ] {
        let json = format!(r#"{{"splicedClips":[{{"thumbnailRelativeSecond":{in_range}}}]}}"#);
        let ok = decode(json.as_bytes()).expect(in_range);
        let float = ok.clips()[0]
            .thumbnail_relative_second
            .as_ref()
            .expect(in_range);
        assert!(float.as_f32().is_finite(), "{in_range}");
        assert_eq!(float.as_str(), in_range);
    }
    let long_ok = format!(
        r#"{{"splicedClips":[{{"thumbnailRelativeSecond":{}}}]}}"#,
        "9".repeat(38)
    );
    assert!(
        decode(long_ok.as_bytes()).is_ok(),
        "38 digits are within f32"
    );
    // Without an exponent too: 39 digits, and 38 after a minus and a point.
    let (long, long_negative) = (
        format!("4{}", "0".repeat(38)),
        format!("-{}.5", "9".repeat(39)),
    );
    for out_of_range in [
        "3.5e38",
        "-1e39",
        "1e400",
        "99e37",
        "-0.5e40",
        &long,
        &long_negative,
    ] {
        let json = format!(r#"{{"splicedClips":[{{"thumbnailRelativeSecond":{out_of_range}}}]}}"#);
        let (kind, path, _, _, msg) = fail(&json);
        assert_eq!(
            (kind, path.as_str()),
            (
                DecodeErrorKind::Data,
                "splicedClips[0].thumbnailRelativeSecond"
            ),
            "{msg}"
        );
        assert!(msg.contains("32-bit float"), "{msg}");
    }
}

#[test]
fn truncated_body_is_eof_with_position() {
    let json = "{\"splicedClips\":[{\"clipUuid\":\"AAAA";
    let err = decode(json.as_bytes()).expect_err("truncated");
    assert!(err.is_eof());
    assert_eq!((err.line(), err.column()), (1, json.len()));
    assert_eq!(err.path(), "splicedClips[0].clipUuid");
    assert!(decode(b"").expect_err("empty").is_eof());
    assert!(
        decode_tolerant(json.as_bytes())
            .expect_err("tolerant cannot fix truncation")
            .is_eof()
    );
}

#[test]
fn syntax_errors_report_line_and_column() {
    let (kind, _, line, col, msg) = fail("{\n  \"error\": false,\n  \"splicedClips\": [}\n}");
    assert_eq!(kind, DecodeErrorKind::Syntax);
    assert_eq!((line, col), (3, 20));
    assert!(msg.ends_with("(line 3, column 20)"), "{msg}");
    let (kind, ..) = fail(r#"{"error": false} trailing"#);
    assert_eq!(kind, DecodeErrorKind::Syntax);
    let (kind, ..) = fail("\u{feff}{}");
    assert_eq!(kind, DecodeErrorKind::Syntax);
    // JSON's grammar allows a lone surrogate; it is no text, so it fails its
    // field's type (`valid_json_no_type_can_hold_fails_only_its_clip`).
    let (kind, ..) = fail(r#"{"splicedClips":[{"title": "\ud800"}]}"#);
    assert_eq!(kind, DecodeErrorKind::Data, "a lone surrogate is not text");
    assert_eq!(
        fail("{\"title\": \"\u{0}\"}").0,
        DecodeErrorKind::Syntax,
        "control characters must be escaped"
    );
}

#[test]
fn wrong_shapes_at_every_level() {
    assert_eq!(fail("[]").0, DecodeErrorKind::Data);
    assert_eq!(fail("null").0, DecodeErrorKind::Data);
    assert_eq!(fail(r#"{"error":"yes"}"#).1, "error");
    assert_eq!(fail(r#"{"splicedClips":{}}"#).1, "splicedClips");
    assert_eq!(fail(r#"{"splicedClips":[null]}"#).1, "splicedClips[0]");
    assert_eq!(
        fail(r#"{"splicedClips":[{"status":7}]}"#).1,
        "splicedClips[0].status"
    );
    assert_eq!(
        fail(r#"{"splicedClips":[{"deviceMap":[]}]}"#).1,
        "splicedClips[0].deviceMap"
    );
    assert_eq!(
        fail(r#"{"splicedClips":[{"accessSettings":{"allowedRoles":[1]}}]}"#).1,
        "splicedClips[0].accessSettings.allowedRoles[0]"
    );
}

#[test]
fn unknown_values_are_not_errors() {
    let json = r#"{"splicedClips":[{"status":"QUEUED","integrationUploadList":["NEW_VENDOR"],
        "accessSettings":{"visibility":"TEAM"},"parentClipUuid":"X","deviceIntervalMap":{"a":[[1,2]]}}],"newTop":1}"#;
    let response = decode(json.as_bytes()).expect("decodes");
    let clip = &response.clips()[0];
    assert_eq!(clip.status.as_ref().map(|s| s.as_str()), Some("QUEUED"));
    assert_eq!(
        clip.extra.get("deviceIntervalMap").map(|r| r.get()),
        Some(r#"{"a":[[1,2]]}"#)
    );
    assert_eq!(response.extra.get("newTop").map(|r| r.get()), Some("1"));
}

#[test]
fn deep_nesting_never_overflows_the_stack() {
    let depth = 100_000;
    // Where the schema expects something else, decoding stops at the first bracket.
    let typed = format!(r#"{{"splicedClips":[{{"deviceMap":{}"#, "[".repeat(depth));
    let err = decode(typed.as_bytes()).expect_err("wrong shape");
    assert_eq!(
        (err.path(), err.kind()),
        ("splicedClips[0].deviceMap", DecodeErrorKind::Data)
    );
    assert!(decode_tolerant(typed.as_bytes()).is_err());
    // A truncated deep unknown value is an EOF error, found without recursion.
    let open = format!(r#"{{"x":{}"#, "[".repeat(depth));
    assert!(decode(open.as_bytes()).expect_err("truncated").is_eof());
    // In an unknown field: skipped without recursion and kept verbatim.
    let nested = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
    let json = format!(r#"{{"splicedClips":[{{"x":{nested}}}]}}"#);
    let response = decode(json.as_bytes()).expect("kept as raw JSON");
    assert_eq!(
        response.clips()[0].extra.get("x").map(|r| r.get().len()),
        Some(2 * depth)
    );
    assert_eq!(arena_json(&json), json_of(&response));
    assert!(
        serde_json::to_string(&response)
            .expect("re-encodes")
            .contains(&nested)
    );
}

#[test]
fn huge_inputs_decode() {
    let title = "x".repeat(1 << 20);
    let json = format!(r#"{{"splicedClips":[{{"title":"{title}"}}]}}"#);
    let response = decode(json.as_bytes()).expect("decodes");
    assert_eq!(
        response.clips()[0].title.as_ref().map(|t| t.len()),
        Some(1 << 20)
    );
    assert_eq!(arena_json(&json), json_of(&response));
    let many = format!(r#"{{"splicedClips":[{}{{}}]}}"#, "{},".repeat(100_000));
    assert_eq!(
        decode(many.as_bytes()).expect("decodes").clips().len(),
        100_001
    );
    let bump = Bump::new();
    let arena = decode_in(many.as_bytes(), &bump).expect("decodes in an arena");
    assert_eq!(arena.clips().len(), 100_001);
}

#[test]
fn tolerant_decode_keeps_good_clips_and_reports_bad_ones() {
    let json = "{\"splicedClips\": [\n  {\"clipUuid\": \"A\"},\n  {\"clipUuid\": \"B\", \"duration\": \"x\"},\n  {\"clipUuid\": \"C\"},\n  null\n], \"warningMsg\": \"w\"}";
    let t = decode_tolerant(json.as_bytes()).expect("envelope is fine");
    let ids: Vec<_> = t.response.clips().iter().map(|c| c.id()).collect();
    assert_eq!(ids, ["A", "C"]);
    assert_eq!(t.response.warning(), Some("w"));
    assert_eq!(t.failures.len(), 2);
    let bad = &t.failures[0];
    assert_eq!(bad.index, 1);
    assert_eq!(bad.error.path(), "splicedClips[1].duration");
    // The position is in the whole input, exactly where strict decoding stops.
    let strict = decode(json.as_bytes()).expect_err("strict fails");
    assert_eq!(
        (bad.error.line(), bad.error.column()),
        (strict.line(), strict.column())
    );
    assert_eq!((bad.error.line(), bad.error.column()), (3, 35));
    assert_eq!(bad.raw, r#"{"clipUuid": "B", "duration": "x"}"#);
    assert_eq!(
        (
            t.failures[1].index,
            t.failures[1].error.path(),
            t.failures[1].raw
        ),
        (3, "splicedClips[3]", "null")
    );
    // The envelope itself failing is still an error.
    assert_eq!(
        decode_tolerant(br#"{"error":1,"splicedClips":[]}"#)
            .expect_err("bad envelope")
            .path(),
        "error"
    );
}

#[test]
fn valid_json_no_type_can_hold_fails_only_its_clip() {
    use rhombus_model::stream::StreamDecoder;
    // Valid JSON that serde_json calls a syntax error: a number beyond f64,
    // lone UTF-16 surrogates (followed by nothing, by a non-surrogate escape).
    for value in [
        "1e400",
        "-1e400",
        r#""a\ud83d""#,
        r#""\udc00""#,
        r#""\ud83d\u0041""#,
    ] {
        let json = format!(
            r#"{{"splicedClips":[{{"clipUuid":"A"}},{{"clipUuid":"B","title":{value}}},{{"clipUuid":"C"}}]}}"#
        );
        let (kind, path, ..) = fail(&json);
        assert_eq!(
            (kind, path.as_str()),
            (DecodeErrorKind::Data, "splicedClips[1].title"),
            "{value}"
        );
        let t = decode_tolerant(json.as_bytes()).expect("one clip fails, not the response");
        let ids: Vec<_> = t.response.clips().iter().map(|c| c.id()).collect();
        assert_eq!(ids, ["A", "C"], "{value}");
        assert_eq!((t.failures.len(), t.failures[0].index), (1, 1), "{value}");
        let mut streamed = Vec::new();
        let envelope = StreamDecoder::new(json.as_bytes())
            .for_each_clip(|i, clip| streamed.push((i, clip.map(|c| c.id().to_owned()))))
            .expect("the stream goes on after the clip");
        assert_eq!(envelope.clip_count, 3);
        assert_eq!(
            streamed[1].1.as_ref().unwrap_err(),
            &t.failures[0].error,
            "{value}"
        );
        assert_eq!(streamed[2].1.as_deref(), Ok("C"), "{value}");
    }
    // In the envelope it is the response's failure (with the same kind).
    let err = decode_tolerant(br#"{"errorMsg":"\ud83d","splicedClips":[]}"#).expect_err("envelope");
    assert_eq!(
        (err.kind(), err.path()),
        (DecodeErrorKind::Data, "errorMsg")
    );
}

#[test]
fn tolerant_on_clean_input_equals_strict() {
    let json = include_str!("fixtures/doc_example_ok.json");
    let t = decode_tolerant(json.as_bytes()).expect("decodes");
    assert!(t.failures.is_empty());
    assert_eq!(t.response, decode(json.as_bytes()).expect("decodes"));
}

proptest::proptest! {
    /// A float field decodes exactly when its number is within f32's range
    /// (as `str::parse::<f32>` sees it), whatever its digits and exponent.
    #[test]
    fn float_fields_accept_exactly_the_f32_range(
        negative in proptest::bool::ANY,
        int in "[1-9][0-9]{0,44}|0",
        frac in proptest::option::of("[0-9]{1,6}"),
        exp in proptest::option::of(("[eE]", "[+-]?", -60i32..60)),
    ) {
        let mut text = format!("{}{int}", if negative { "-" } else { "" });
        if let Some(frac) = frac {
            text = format!("{text}.{frac}");
        }
        if let Some((e, sign, value)) = exp {
            let sign = if value < 0 { "-" } else { sign.as_str() };
            text = format!("{text}{e}{sign}{}", value.unsigned_abs());
        }
        let in_range = text.parse::<f32>().is_ok_and(f32::is_finite);
        let json = format!(r#"{{"splicedClips":[{{"thumbnailRelativeSecond":{text}}}]}}"#);
        proptest::prop_assert_eq!(decode(json.as_bytes()).is_ok(), in_range, "{}", text);
        proptest::prop_assert_eq!(decode_owned(json.as_bytes()).is_ok(), in_range, "{}", text);
    }
}

/// `value` written as JSON.
fn json_of(value: &impl WriteJson) -> Vec<u8> {
    let mut out = Vec::new();
    value.write_json(&mut out);
    out
}

/// `json` decoded into an arena, written back as JSON.
fn arena_json(json: &str) -> Vec<u8> {
    let bump = Bump::new();
    json_of(&decode_in(json.as_bytes(), &bump).expect("decodes in an arena"))
}
