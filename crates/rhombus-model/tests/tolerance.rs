//! Each tolerance rule of the model's promise, with the exact values kept,
//! the exact problems reported, and strict mode refusing each (but `null`)
//! at the same path.

use rhombus_model::{DecodeErrorKind, Decoder, Item, WriteJson};

/// Decodes tolerantly: the response re-encoded and the problems' paths.
fn tolerant(body: &[u8]) -> (String, Vec<String>) {
    let mut decoder = Decoder::new();
    let decoded = decoder.decode(body).expect("tolerant decode");
    let mut json = Vec::new();
    decoded.value.write_json(&mut json);
    let paths = decoded
        .problems
        .iter()
        .map(|p| p.path().to_owned())
        .collect();
    (String::from_utf8(json).expect("UTF-8 out"), paths)
}

/// The strict decode's error path (it must fail).
fn strict_path(body: &[u8]) -> String {
    let mut decoder = Decoder::new().strict(true);
    let err = decoder.decode(body).expect_err("strict refuses");
    assert_eq!(err.kind(), DecodeErrorKind::Data, "{err}");
    err.path().to_owned()
}

#[test]
fn null_is_a_value_everywhere_and_nothing_is_reported() {
    let body = br#"{"splicedClips":[null,{"allowedRoles":null,"accessSettings":{"allowedRoles":[null,"AAAAAAAAAAAAAAAAAAAAAA"]},"deviceMap":{"A.v0":null,"B.v0":{"totalSegments":null}},"deviceUuidToAlteredViewMap":{"A.v0":[null,{"crop":null}]},"integrationUploadList":[null]}],"error":null}"#;
    let (json, problems) = tolerant(body);
    assert!(problems.is_empty(), "{problems:?}");
    // Nulls in lists and maps stay in place; a null field is like an absent one.
    assert_eq!(
        json,
        r#"{"splicedClips":[null,{"accessSettings":{"allowedRoles":[null,"AAAAAAAAAAAAAAAAAAAAAA"]},"deviceMap":{"A.v0":null,"B.v0":{}},"deviceUuidToAlteredViewMap":{"A.v0":[null,{}]},"integrationUploadList":[null],"allowedRoles":null}]}"#
    );
    let mut strict = Decoder::new().strict(true);
    assert!(strict.decode(body).is_ok(), "strict accepts null too");
}

#[test]
fn a_value_of_the_wrong_type_costs_only_itself() {
    for (value, found) in [
        (r#""five""#, "string"),
        ("[5]", "array"),
        (r#"{"n":5}"#, "object"),
        ("60.0", "floating-point number"),
        ("true", "boolean"),
    ] {
        let body = format!(
            r#"{{"splicedClips":[{{"clipUuid":"AAAAAAAAAAAAAAAAAAAAAA","duration":{value},"title":"t"}}]}}"#
        );
        let mut decoder = Decoder::new();
        let decoded = decoder.decode(body.as_bytes()).expect("decodes");
        let clip = decoded.clips().next().expect("the clip stays");
        assert_eq!(clip.title, Some("t"), "the rest stays typed");
        assert_eq!(clip.duration, None);
        assert_eq!(clip.extra.get("duration").map(|r| r.get()), Some(value));
        let problem = &decoded.problems[0];
        assert_eq!(problem.path(), "splicedClips[0].duration");
        assert!(problem.message().contains(found), "{problem}");
        assert_eq!(problem.kind(), DecodeErrorKind::Data);
        assert_eq!(strict_path(body.as_bytes()), "splicedClips[0].duration");
        // Written back out: every value the server sent.
        let (json, _) = tolerant(body.as_bytes());
        let sent: serde_json::Value = serde_json::from_str(&body).unwrap();
        let out: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(out, sent, "{value}");
    }
}

#[test]
fn misfits_in_lists_maps_and_nested_objects_stay_in_place() {
    let body = br#"{"splicedClips":[42,{"deviceMap":{"A.v0":7,"B.v0":{"segmentsUploaded":"x","totalSegments":2}},"devicePresentationOrder":["A.v0",3],"deviceUuidToFisheyePresentationMap":{"A.v0":[{"aspectRatio":[1],"pitchDegrees":1e39}]}}]}"#;
    let (json, problems) = tolerant(body);
    assert_eq!(
        problems,
        [
            "splicedClips[0]",
            r#"splicedClips[1].deviceMap["A.v0"]"#,
            r#"splicedClips[1].deviceMap["B.v0"].segmentsUploaded"#,
            "splicedClips[1].devicePresentationOrder[1]",
            r#"splicedClips[1].deviceUuidToFisheyePresentationMap["A.v0"][0].aspectRatio"#,
            r#"splicedClips[1].deviceUuidToFisheyePresentationMap["A.v0"][0].pitchDegrees"#,
        ]
    );
    let sent: serde_json::Value = serde_json::from_slice(body).unwrap();
    let out: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(out, sent);
    let mut decoder = Decoder::new();
    let decoded = decoder.decode(body).unwrap();
    let items = decoded.clip_items();
    assert_eq!(items[0].raw().map(|r| r.get()), Some("42"));
    let clip = items[1].value().expect("the second element is a clip");
    let map = clip.device_map.expect("deviceMap");
    assert!(matches!(map.item("A.v0"), Some(Item::Raw(_))));
    assert_eq!(map.get("B.v0").and_then(|p| p.total_segments), Some(2));
    assert_eq!(strict_path(body), "splicedClips[0]");
}

#[test]
fn invalid_utf8_costs_only_its_string() {
    let body = b"{\"splicedClips\":[{\"title\":\"caf\xe9 \xff!\",\"description\":\"ok\"},{\"title\":\"fine\"}]}";
    let mut decoder = Decoder::new();
    let decoded = decoder.decode(body).expect("decodes");
    let clips: Vec<_> = decoded.clips().collect();
    assert_eq!(clips.len(), 2);
    assert_eq!(clips[0].title, Some("caf\u{fffd} \u{fffd}!"));
    assert_eq!(clips[0].description, Some("ok"));
    assert_eq!(clips[1].title, Some("fine"));
    assert_eq!(decoded.problems.len(), 1);
    assert_eq!(decoded.problems[0].path(), "splicedClips[0].title");
    assert_eq!(strict_path(body), "splicedClips[0].title");
    // In a key and inside an unknown field's value, too.
    let body = b"{\"x\":{\"a\":\"\xc3\"},\"splicedClips\":[{\"deviceMap\":{\"\xffA\":{}}}]}";
    let (json, problems) = tolerant(body);
    assert_eq!(problems, ["x", "splicedClips[0].deviceMap[\"\u{fffd}A\"]"]);
    assert!(
        json.contains("\\ufffd") || json.contains('\u{fffd}'),
        "{json}"
    );
}

#[test]
fn lone_surrogates_are_replaced_and_reported() {
    let body = br#"{"splicedClips":[{"title":"a\ud800b","description":"\ud83d\ude00"}]}"#;
    let mut decoder = Decoder::new();
    let decoded = decoder.decode(body).unwrap();
    let clip = decoded.clips().next().unwrap();
    assert_eq!(clip.title, Some("a\u{fffd}b"));
    assert_eq!(clip.description, Some("\u{1f600}"));
    assert_eq!(decoded.problems.len(), 1);
    assert_eq!(strict_path(body), "splicedClips[0].title");
}

#[test]
fn a_key_sent_twice_keeps_the_first_typed_and_the_second_raw() {
    let body = br#"{"splicedClips":[{"duration":5,"duration":6,"x":1,"x":2,"deviceMap":{"A.v0":{"totalSegments":1},"A.v0":{"totalSegments":9}}}],"splicedClips":[]}"#;
    let mut decoder = Decoder::new();
    let decoded = decoder.decode(body).unwrap();
    let clip = decoded.clips().next().unwrap();
    assert_eq!(clip.duration, Some(5));
    let extra: Vec<_> = clip.extra.iter().map(|(k, v)| (k, v.get())).collect();
    assert_eq!(extra, [("duration", "6"), ("x", "1"), ("x", "2")]);
    let map = clip.device_map.unwrap();
    assert_eq!(map.len(), 2, "both entries are kept");
    assert_eq!(map.get("A.v0").and_then(|p| p.total_segments), Some(1));
    // Every view reads the first entry: the device counts once.
    assert_eq!(clip.devices().count(), 1);
    assert_eq!(clip.progress().map(|p| p.total), None);
    let paths: Vec<_> = decoded.problems.iter().map(|p| p.path()).collect();
    assert_eq!(
        paths,
        [
            "splicedClips[0].duration",
            "splicedClips[0].x",
            r#"splicedClips[0].deviceMap["A.v0"]"#,
            "splicedClips",
        ]
    );
    assert!(decoded.problems[0].message().contains("\"duration\""));
    assert_eq!(decoded.clip_items().len(), 1, "the first list is the clips");
    assert_eq!(
        decoded.extra.get("splicedClips").map(|r| r.get()),
        Some("[]")
    );
    assert_eq!(strict_path(body), "splicedClips[0].duration");
}

#[test]
fn nesting_past_the_limit_is_kept_and_reported_never_a_stack_overflow() {
    let deep = "[".repeat(200_000) + &"]".repeat(200_000);
    let body = format!(r#"{{"splicedClips":[{{"x":{deep},"duration":1}}]}}"#);
    let mut decoder = Decoder::new();
    let decoded = decoder.decode(body.as_bytes()).unwrap();
    let clip = decoded.clips().next().unwrap();
    assert_eq!(clip.duration, Some(1));
    assert_eq!(clip.extra.get("x").map(|r| r.get().len()), Some(400_000));
    assert_eq!(decoded.problems[0].path(), "splicedClips[0].x");
    assert!(decoded.problems[0].message().contains("128"));
    assert_eq!(strict_path(body.as_bytes()), "splicedClips[0].x");
}

#[test]
fn unescaped_text_borrows_from_the_input_and_escaped_text_decodes() {
    let body = br#"{"splicedClips":[{"clipUuid":"AAAAAAAAAAAAAAAAAAAAAA","title":"a\nb\u00e9"}]}"#;
    let mut decoder = Decoder::new();
    let decoded = decoder.decode(body).unwrap();
    let clip = decoded.clips().next().unwrap();
    let id = clip.clip_uuid.unwrap().as_str();
    assert!(body.as_ptr_range().contains(&id.as_ptr()), "borrowed");
    assert_eq!(clip.title, Some("a\nb\u{e9}"));
    assert!(decoded.problems.is_empty());
}

#[test]
fn a_failure_in_the_body_is_never_a_success() {
    for body in [
        &br#"{"error":true,"errorMsg":"no"}"#[..],
        br#"{"error":"true","errorMsg":"no"}"#,
        br#"{"error":1}"#,
    ] {
        let mut decoder = Decoder::new();
        let decoded = decoder.decode(body).unwrap();
        assert!(decoded.is_error(), "{}", String::from_utf8_lossy(body));
        assert!(decoded.value.clone().into_result().is_err());
    }
    let mut decoder = Decoder::new();
    assert!(!decoder.decode(br#"{"error":false}"#).unwrap().is_error());
}
