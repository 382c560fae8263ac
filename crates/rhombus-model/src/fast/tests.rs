//! The fast path decodes every input exactly as the serde path does, or
//! declines it.

use proptest::prelude::*;

use super::{try_decode, whole};
use crate::decode::from_slice;
use crate::response::Response;

/// Asserts fast == serde whenever the fast path answers; returns whether it did.
fn same(input: &[u8]) -> bool {
    let serde = from_slice::<Response<'_>>(input);
    let owning = whole::<Response<'static>, super::Copy>(input);
    match try_decode(input) {
        Some(fast) => {
            assert_eq!(owning.as_ref(), Some(&fast), "owning mode differs");
            match &serde {
                Ok(expected) => assert_eq!(&fast, expected, "{}", String::from_utf8_lossy(input)),
                Err(e) => panic!(
                    "fast path accepted what serde rejects ({e}): {}",
                    String::from_utf8_lossy(input)
                ),
            }
            true
        }
        None => {
            assert!(
                owning.is_none(),
                "owning mode accepted what borrowing declined"
            );
            false
        }
    }
}

const CLIP: &str = r#"{"accessSettings":{"allowedRoles":["AAAAAAAAAAAAAAAAAAAAAA",null],"allowedUsers":[],"visibility":"ORG_WIDE"},"analyzeClip":false,"clipTargetLocation":{"region":"us-west-2"},"clipUuid":"Gc3B6R8FiSZnBRbFqMrbnw","completedSubClipCount":1,"consoleDelete":false,"deleted":false,"description":null,"deviceMap":{"hWwZ8TQuoB7HjHoJCkNmrv.v0":{"region":"eu","segmentsUploaded":228,"totalSegments":341}},"devicePresentationOrder":["hWwZ8TQuoB7HjHoJCkNmrv.v0"],"deviceUuid":"hWwZ8TQuoB7HjHoJCkNmrv.v0","deviceUuidMap":{},"deviceUuidToAlteredViewMap":{"A.v0":[{"crop":{"height":1639,"width":3427,"x":9622,"y":417},"dewarp":{"aspectRatio":{"height":1,"width":1},"pitchDegrees":105.625,"rollDegrees":-82.126,"verticalFieldOfViewDegrees":107,"yawDegrees":97}}],"B.v0":null},"deviceUuidToFisheyePresentationMap":{"A.v0":[{"aspectRatio":{"height":9,"width":16},"pitchDegrees":-5.6e1,"rollDegrees":0,"verticalFieldOfViewDegrees":30,"yawDegrees":1E-3}]},"duration":120,"integrationUploadList":["SLACK","NEW_ONE"],"isPolicyEvent":true,"metadataBucketRegion":"us","orgUuid":"AAAAAAAAAAAAAAAAAAAAAA","parentClipUuid":"BBBBBBBBBBBBBBBBBBBBBB","pendingConsumers":["THUMBNAIL"],"deviceIntervalMap":{"A.v0":[{"startMs":1,"endMs":2.5e3}],"B\u002ev0":[]},"weird":[true,false,null,-0,{"k":"\u00e9\n\/"},[[]],{}],"saveClip":true,"saveFrame":false,"segmentsUploaded":228,"sendToSharedStorage":false,"startTime":1731999856068,"status":"QUEUED","statusUpdatedAtMs":1732000000000,"thumbnailRelativeSecond":2.5,"timestampMs":1732000000001,"title":"Caf\u00e9 \"x\" \ud83d\udcf9\n","totalSegments":341,"transactionUuid":"CCCCCCCCCCCCCCCCCCCCCC","userUuid":"DDDDDDDDDDDDDDDDDDDDDD"}"#;

fn response(clips: &str) -> String {
    format!(
        r#"{{"error":false,"errorMsg":null,"splicedClips":[{clips}],"warningMsg":"w","requestId":"r"}}"#
    )
}

#[test]
fn realistic_response_takes_the_fast_path() {
    let body = response(&[CLIP, CLIP, "{}"].join(","));
    assert!(same(body.as_bytes()));
    let fast = try_decode(body.as_bytes()).expect("fast");
    let clip = &fast.clips()[0];
    assert!(clip.clip_uuid.as_ref().is_some_and(|u| u.is_borrowed()));
    assert!(clip.title.as_ref().is_some_and(|t| !t.is_borrowed()));
    assert_eq!(clip.title.as_deref(), Some("Caf\u{e9} \"x\" \u{1f4f9}\n"));
    assert_eq!(clip.extra.len(), 5);
    assert!(fast.extra.get("requestId").is_some());

    let owning = whole::<Response<'static>, super::Copy>(body.as_bytes()).expect("owning");
    let clip = &owning.clips()[0];
    assert!(clip.clip_uuid.as_ref().is_some_and(|u| !u.is_borrowed()));
    let (key, value) = clip.extra.iter().next().expect("an unknown field");
    assert!(!key.is_borrowed() && !value.is_borrowed());
    let (facet, _) = clip
        .device_map
        .as_ref()
        .and_then(|m| m.iter().next())
        .expect("a device");
    assert!(!facet.is_borrowed());
    let view = clip
        .device_uuid_to_fisheye_presentation_map
        .as_ref()
        .and_then(|m| m.get("A.v0"))
        .and_then(|v| v.as_ref())
        .expect("views");
    assert!(!view[0].pitch_degrees.as_ref().expect("pitch").is_borrowed());
}

#[test]
fn whitespace_escapes_nulls_unknowns_and_duplicates() {
    for body in [
        "{}",
        " {\n\t\"splicedClips\" :\r\n [ ] } ",
        r#"{"splicedClips":null,"error":null,"errorMsg":null}"#,
        r#"{"splicedClips":[{"title":"a\/b\\c\"d\b\f\n\r\t\u0041\u00e9\u20ac\ud83d\ude00"}]}"#,
        r#"{"splicedClips":[{"dur\u0061tion":5,"t\u00eftle":"x"}]}"#,
        r#"{"splicedClips":[{"duration":5,"duration":6,"duration":null}]}"#,
        r#"{"splicedClips":[{"deviceMap":{"A.v0":{"totalSegments":1},"A.v0":{"totalSegments":2},"\u0041.a0":null}}]}"#,
        r#"{"splicedClips":[{"x":{"deep":[1,2,{"a":[]}]},"y":-1.5e-7,"z":"\ud83d\ude00"}],"x":[]}"#,
        r#"{"splicedClips":[{"status":"UPLOADING","integrationUploadList":["WEBHOOKS","X\u0059"]}]}"#,
        r#"{"error":true,"errorMsg":"nope","error":false}"#,
        r#"{"x":"\x"}"#,
        r#"{"x":"\u12"}"#,
        r#"{"x":"\u12G4"}"#,
        r#"{"x":"\ud800"}"#,
        r#"{"x":"\udc00\ud800"}"#,
        "{\"x\":\"\u{7}\"}",
        "{\"x\":[\"a\",\"\t\"]}",
        r#"{"x":-}"#,
        r#"{"x":1.}"#,
        r#"{"x":1e}"#,
        r#"{"x":01}"#,
        r#"{"x":-01.5}"#,
        r#"{"x":[1,2,]}"#,
        r#"{"x":{"a":1,}}"#,
        r#"{"x":{"a" 1}}"#,
        r#"{"x":{1:1}}"#,
        r#"{"x":[}"#,
        r#"{"x":{]}"#,
        r#"{"x":nul}"#,
        r#"{"x":truefalse}"#,
        r#"{"x":[true false]}"#,
        r#"{"x":{"a":{"b":[0.5e-3,-1E+9,"s"]}},"y":[]}"#,
    ] {
        same(body.as_bytes());
    }
}

#[test]
fn deep_unknown_values_decode_on_either_path() {
    for depth in [50, 99, 100, 101, 150] {
        let body = format!(r#"{{"x":{}0{}}}"#, "[".repeat(depth), "]".repeat(depth));
        same(body.as_bytes());
        let body = format!(
            r#"{{"x":{}0{}}}"#,
            r#"{"a":"#.repeat(depth),
            "}".repeat(depth)
        );
        same(body.as_bytes());
    }
    let shallow = format!(r#"{{"x":{}0{}}}"#, "[".repeat(100), "]".repeat(100));
    assert!(same(shallow.as_bytes()), "100 levels stay on the fast path");
}

#[test]
fn numbers_at_the_limits_and_in_every_form() {
    for n in [
        "0",
        "-0",
        "1",
        "-1",
        "2147483647",
        "-2147483648",
        "2147483648",
        "-2147483649",
        "9223372036854775807",
        "-9223372036854775808",
        "9223372036854775808",
        "-9223372036854775809",
        "123456789012345678",
        "1234567890123456789",
        "00",
        "01",
        "-",
        "1.",
        ".5",
        "1.0",
        "1e2",
        "1E+2",
        "-1e-2",
        "0.5",
        "1e400",
        "-0.0",
        "1x",
        "+1",
        "1.5e",
        "true",
        "\"5\"",
        "null",
    ] {
        for field in ["duration", "startTime", "thumbnailRelativeSecond"] {
            let body = format!(r#"{{"splicedClips":[{{"{field}":{n}}}]}}"#);
            same(body.as_bytes());
        }
        let body = format!(
            r#"{{"splicedClips":[{{"deviceUuidToFisheyePresentationMap":{{"A":[{{"pitchDegrees":{n},"verticalFieldOfViewDegrees":{n}}}]}}}}]}}"#
        );
        same(body.as_bytes());
    }
    let plain = r#"{"splicedClips":[{"duration":-2147483648,"startTime":-123456789012345678}]}"#;
    assert!(
        same(plain.as_bytes()),
        "plain integers stay on the fast path"
    );
}

#[test]
fn bad_input_is_left_to_the_serde_path() {
    for body in [
        "",
        "{",
        "[]",
        "null",
        "{\"splicedClips\":[{}]",
        "{\"splicedClips\":[{},]}",
        "{\"splicedClips\":[{\"title\":\"\u{1}\"}]}",
        "{\"splicedClips\":[{\"title\":\"\\ud800\"}]}",
        "{\"a\":1}x",
        "{\"a\" 1}",
        "{\"duration\":tru}",
        "{\"splicedClips\":[{\"analyzeClip\":truex}]}",
        "{\"splicedClips\":[{\"duration\":\"5\"}]}",
        "{\"splicedClips\":{}}",
        "{\"splicedClips\":[null]}",
        "{\"splicedClips\":[{\"deviceMap\":[]}]}",
        "{\"x\":[1,]}",
        "{\"x\":01}",
    ] {
        assert!(!same(body.as_bytes()), "fast path answered {body:?}");
    }
    assert!(try_decode(b"{\"title\":\"\xff\"}").is_none());
}

/// Mutates a realistic response at random (JSON-ish bytes inserted,
/// replaced, removed) and checks the two paths agree on every result.
fn mutated() -> impl Strategy<Value = Vec<u8>> {
    let base = response(&[CLIP, CLIP].join(",")).into_bytes();
    let len = base.len();
    let alphabet: &'static [u8] = b"{}[]\",:\\-+.eE0123456789 \ntrufalsn\x01u";
    proptest::collection::vec((0..len, 0..3u8, 0..alphabet.len()), 1..4).prop_map(move |edits| {
        let mut bytes = base.clone();
        for (at, op, c) in edits {
            let at = at.min(bytes.len().saturating_sub(1));
            match op {
                0 => bytes.insert(at, alphabet[c]),
                1 => bytes[at] = alphabet[c],
                _ => {
                    bytes.remove(at);
                }
            }
        }
        bytes
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]
    #[test]
    fn mutated_inputs_decode_identically(input in mutated()) {
        same(&input);
    }
}
