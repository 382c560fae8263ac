//! Property tests: arbitrary responses survive decode → encode exactly
//! (null and absent alike), re-encoding is stable, and borrowed, owned and
//! arena decoding agree.

use proptest::prelude::*;
use rhombus_model::{
    ClipStatus, DriftKind, FindDrift, Integration, Response, SplicedClip, Visibility, WriteJson,
    decode, decode_tolerant,
};
use serde_json::{Map, Value};

/// One generated JSON field: `None` value means the input sends `null`,
/// which decodes like an absent field.
type Field = (String, Option<Value>);

/// A nested field: name, what we send (`None`: `null`), what must come back.
type NestedField = BoxedStrategy<Option<(String, Option<Value>, Value)>>;

/// A pair of (what we send, what must come back).
#[derive(Clone, Debug)]
struct Case {
    input: Value,
    expected: Value,
}

fn object(fields: Vec<Field>, extra: Vec<(String, Value)>) -> Case {
    let (mut input, mut expected) = (Map::new(), Map::new());
    for (k, v) in extra {
        input.insert(k.clone(), v.clone());
        expected.insert(k, v);
    }
    for (k, v) in fields {
        match v {
            Some(v) => {
                input.insert(k.clone(), v.clone());
                expected.insert(k, v);
            }
            None => {
                input.insert(k, Value::Null);
            }
        }
    }
    Case {
        input: Value::Object(input),
        expected: Value::Object(expected),
    }
}

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-zA-Z0-9 ._-]{0,24}",
        any::<String>(),
        Just("quote \" backslash \\ tab \t newline \n nul \u{0} emoji 🎥".to_owned()),
    ]
}

fn id() -> impl Strategy<Value = String> {
    prop_oneof!["[A-Za-z0-9_-]{22}", "[A-Za-z0-9_-]{22}\\.[va][0-9]", text()]
}

fn open_enum(known: Vec<&'static str>) -> impl Strategy<Value = String> {
    prop_oneof![3 => proptest::sample::select(known).prop_map(str::to_owned), 1 => "[A-Z_]{1,16}"]
}

/// Numbers for the spec's `float` fields: anything within `f32`'s range.
fn float() -> impl Strategy<Value = Value> {
    prop_oneof![
        any::<f32>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(|f| Value::from(f64::from(f))),
        any::<i32>().prop_map(Value::from),
        (-1e6f64..1e6).prop_map(Value::from),
    ]
}

/// Any finite JSON number, for unknown fields.
fn any_number() -> impl Strategy<Value = Value> {
    any::<f64>()
        .prop_filter("finite", |f| f.is_finite())
        .prop_map(Value::from)
}

/// Arbitrary JSON for unknown fields.
fn any_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any_number(),
        text().prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 32, 6, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            proptest::collection::btree_map(text(), inner, 0..6)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// Unknown fields whose names the schema does not use.
fn extra(known: &'static [&'static str]) -> impl Strategy<Value = Vec<(String, Value)>> {
    proptest::collection::btree_map(text(), any_json(), 0..3).prop_map(move |m| {
        m.into_iter()
            .filter(|(k, _)| !known.contains(&k.as_str()))
            .collect()
    })
}

fn maybe<S: Strategy<Value = Value>>(
    name: &'static str,
    s: S,
) -> impl Strategy<Value = Option<Field>> {
    // absent, null, or a value
    prop_oneof![1 => Just(None), 1 => Just(Some((name.to_owned(), None))), 4 => s.prop_map(move |v| Some((name.to_owned(), Some(v))))]
}

fn fields(parts: Vec<BoxedStrategy<Option<Field>>>) -> impl Strategy<Value = Vec<Field>> {
    parts.prop_map(|v| v.into_iter().flatten().collect())
}

fn case_of(
    fields: impl Strategy<Value = Vec<Field>>,
    known: &'static [&'static str],
) -> impl Strategy<Value = Case> {
    (fields, extra(known)).prop_map(|(f, e)| object(f, e))
}

fn list_of(item: impl Strategy<Value = Case>, max: usize) -> impl Strategy<Value = (Value, Value)> {
    proptest::collection::vec(item, 0..max).prop_map(|cases| {
        let (i, e): (Vec<_>, Vec<_>) = cases.into_iter().map(|c| (c.input, c.expected)).unzip();
        (Value::Array(i), Value::Array(e))
    })
}

/// A nested object or list: the input and expected differ, so carry both.
fn nested(name: &'static str, s: impl Strategy<Value = (Value, Value)> + 'static) -> NestedField {
    prop_oneof![1 => Just(None), 1 => Just(Some((name.to_owned(), None, Value::Null))), 4 => s.prop_map(move |(i, e)| Some((name.to_owned(), Some(i), e)))].boxed()
}

fn object_case(
    case: impl Strategy<Value = Case> + 'static,
) -> impl Strategy<Value = (Value, Value)> {
    case.prop_map(|c| (c.input, c.expected))
}

fn aspect_ratio() -> impl Strategy<Value = Case> {
    case_of(
        fields(vec![
            maybe("height", any::<i32>().prop_map(Value::from)).boxed(),
            maybe("width", any::<i32>().prop_map(Value::from)).boxed(),
        ]),
        rhombus_model::AspectRatio::FIELDS,
    )
}

fn with_nested(
    plain: Vec<BoxedStrategy<Option<Field>>>,
    nested: Vec<NestedField>,
    known: &'static [&'static str],
) -> impl Strategy<Value = Case> {
    (fields(plain), nested, extra(known)).prop_map(|(plain, nested, extra)| {
        let mut c = object(plain, extra);
        for (k, input, expected) in nested.into_iter().flatten() {
            match input {
                Some(i) => {
                    c.input[&k] = i;
                    c.expected[&k] = expected;
                }
                None => c.input[&k] = Value::Null,
            }
        }
        c
    })
}

fn dewarped_view() -> impl Strategy<Value = Case> {
    with_nested(
        vec![
            maybe("pitchDegrees", float()).boxed(),
            maybe("rollDegrees", float()).boxed(),
            maybe(
                "verticalFieldOfViewDegrees",
                any::<i32>().prop_map(Value::from),
            )
            .boxed(),
            maybe("yawDegrees", float()).boxed(),
        ],
        vec![nested("aspectRatio", object_case(aspect_ratio()))],
        rhombus_model::DewarpedView::FIELDS,
    )
}

fn altered_view() -> impl Strategy<Value = Case> {
    let int = || any::<i32>().prop_map(Value::from).boxed();
    let crop = case_of(
        fields(vec![
            maybe("height", int()).boxed(),
            maybe("width", int()).boxed(),
            maybe("x", int()).boxed(),
            maybe("y", int()).boxed(),
        ]),
        rhombus_model::CropRect::FIELDS,
    );
    with_nested(
        vec![],
        vec![
            nested("crop", object_case(crop)),
            nested("dewarp", object_case(dewarped_view())),
        ],
        rhombus_model::AlteredView::FIELDS,
    )
}

fn device_progress() -> impl Strategy<Value = Case> {
    case_of(
        fields(vec![
            maybe("region", text().prop_map(Value::String)).boxed(),
            maybe("segmentsUploaded", any::<i32>().prop_map(Value::from)).boxed(),
            maybe("totalSegments", any::<i32>().prop_map(Value::from)).boxed(),
        ]),
        rhombus_model::DeviceProgress::FIELDS,
    )
}

/// An object keyed by facet id; values are (input, expected) pairs.
fn facet_map(
    value: impl Strategy<Value = (Value, Value)> + 'static,
) -> impl Strategy<Value = (Value, Value)> {
    proptest::collection::btree_map(id(), value, 0..4).prop_map(|m| {
        let (mut i, mut e) = (Map::new(), Map::new());
        for (k, (vi, ve)) in m {
            i.insert(k.clone(), vi);
            e.insert(k, ve);
        }
        (Value::Object(i), Value::Object(e))
    })
}

/// A nullable list inside a map value: null stays null.
fn nullable_list(
    item: impl Strategy<Value = Case> + 'static,
) -> impl Strategy<Value = (Value, Value)> {
    prop_oneof![1 => Just((Value::Null, Value::Null)), 4 => list_of(item, 3)]
}

fn id_list() -> impl Strategy<Value = Value> {
    proptest::collection::vec(
        prop_oneof![1 => Just(Value::Null), 4 => id().prop_map(Value::String)],
        0..4,
    )
    .prop_map(Value::Array)
}

fn access_settings() -> impl Strategy<Value = Case> {
    case_of(
        fields(vec![
            maybe("allowedRoles", id_list()).boxed(),
            maybe("allowedUsers", id_list()).boxed(),
            maybe(
                "visibility",
                open_enum(Visibility::KNOWN.iter().map(vis_str).collect()).prop_map(Value::String),
            )
            .boxed(),
        ]),
        rhombus_model::AccessSettings::FIELDS,
    )
}

fn vis_str(v: &Visibility<'static>) -> &'static str {
    match v {
        Visibility::Private => "PRIVATE",
        Visibility::RoleRestricted => "ROLE_RESTRICTED",
        _ => "ORG_WIDE",
    }
}

fn statuses() -> Vec<&'static str> {
    vec![
        "INITIATING",
        "UPLOADING",
        "RENDERING",
        "FAILED",
        "COMPLETE",
        "OFFLINE",
        "DELETED",
        "UNKNOWN",
    ]
}

fn clip() -> impl Strategy<Value = Case> {
    let int = || any::<i32>().prop_map(Value::from).boxed();
    let long = || any::<i64>().prop_map(Value::from).boxed();
    let flag = || any::<bool>().prop_map(Value::Bool).boxed();
    let string = || text().prop_map(Value::String).boxed();
    let ident = || id().prop_map(Value::String).boxed();
    let integrations = proptest::collection::vec(
        prop_oneof![3 => proptest::sample::select(Integration::KNOWN.to_vec()).prop_map(|i| i.as_str().to_owned()), 1 => "[A-Z_]{1,12}"].prop_map(Value::String),
        0..4,
    )
    .prop_map(Value::Array);
    let plain = vec![
        maybe("analyzeClip", flag()).boxed(),
        maybe("clipUuid", ident()).boxed(),
        maybe("consoleDelete", flag()).boxed(),
        maybe("deleted", flag()).boxed(),
        maybe("description", string()).boxed(),
        maybe("devicePresentationOrder", id_list()).boxed(),
        maybe("deviceUuid", ident()).boxed(),
        maybe("duration", int()).boxed(),
        maybe("integrationUploadList", integrations).boxed(),
        maybe("isPolicyEvent", flag()).boxed(),
        maybe("metadataBucketRegion", string()).boxed(),
        maybe("orgUuid", ident()).boxed(),
        maybe("saveClip", flag()).boxed(),
        maybe("saveFrame", flag()).boxed(),
        maybe("segmentsUploaded", int()).boxed(),
        maybe("sendToSharedStorage", flag()).boxed(),
        maybe("startTime", long()).boxed(),
        maybe("status", open_enum(statuses()).prop_map(Value::String)).boxed(),
        maybe("statusUpdatedAtMs", long()).boxed(),
        maybe("thumbnailRelativeSecond", float()).boxed(),
        maybe("timestampMs", long()).boxed(),
        maybe("title", string()).boxed(),
        maybe("totalSegments", int()).boxed(),
        maybe("transactionUuid", ident()).boxed(),
        maybe("userUuid", ident()).boxed(),
    ];
    let nested_fields = vec![
        nested("accessSettings", object_case(access_settings())),
        nested(
            "clipTargetLocation",
            object_case(case_of(
                fields(vec![maybe("region", string()).boxed()]),
                rhombus_model::TargetLocation::FIELDS,
            )),
        ),
        nested("deviceMap", facet_map(object_case(device_progress()))),
        nested("deviceUuidMap", facet_map(object_case(device_progress()))),
        nested(
            "deviceUuidToAlteredViewMap",
            facet_map(nullable_list(altered_view())),
        ),
        nested(
            "deviceUuidToFisheyePresentationMap",
            facet_map(nullable_list(dewarped_view())),
        ),
    ];
    with_nested(plain, nested_fields, SplicedClip::FIELDS)
}

fn response() -> impl Strategy<Value = Case> {
    with_nested(
        vec![
            maybe("error", any::<bool>().prop_map(Value::Bool)).boxed(),
            maybe("errorMsg", text().prop_map(Value::String)).boxed(),
            maybe("warningMsg", text().prop_map(Value::String)).boxed(),
        ],
        vec![nested("splicedClips", list_of(clip(), 5))],
        Response::FIELDS,
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn decode_then_encode_keeps_every_value(case in response(), pretty in any::<bool>()) {
        let text = if pretty { serde_json::to_string_pretty(&case.input) } else { serde_json::to_string(&case.input) }.expect("encodes");
        let decoded = decode(text.as_bytes()).map_err(|e| TestCaseError::fail(e.to_string()))?;
        // Compare as values parsed from text on both sides: serde_json's float
        // parsing is not exactly rounded, but it is the same on the same text.
        let reparse = |text: String| serde_json::from_str::<Value>(&text).expect("valid JSON");
        let encoded = reparse(serde_json::to_string(&decoded).expect("encodes"));
        prop_assert_eq!(&encoded, &reparse(serde_json::to_string(&case.expected).expect("encodes")));
    }

    #[test]
    fn encode_decode_encode_is_stable(case in response()) {
        let text = serde_json::to_string(&case.input).expect("encodes");
        let first = serde_json::to_string(&decode(text.as_bytes()).expect("decodes")).expect("encodes");
        let second = serde_json::to_string(&decode(first.as_bytes()).expect("decodes again")).expect("encodes");
        prop_assert_eq!(first, second);
    }

    #[test]
    fn write_json_writes_what_serde_json_writes(case in response(), pretty in any::<bool>()) {
        let text = if pretty { serde_json::to_string_pretty(&case.input) } else { serde_json::to_string(&case.input) }.expect("encodes");
        for response in [decode(text.as_bytes()).expect("decodes"), rhombus_model::decode_owned(text.as_bytes()).expect("decodes owned")] {
            let mut out = Vec::new();
            response.write_json(&mut out);
            prop_assert_eq!(String::from_utf8(out).expect("UTF-8"), serde_json::to_string(&response).expect("encodes"));
            for clip in response.clips() {
                let mut out = Vec::new();
                clip.write_json(&mut out);
                prop_assert_eq!(String::from_utf8(out).expect("UTF-8"), serde_json::to_string(clip).expect("encodes"));
            }
        }
    }

    #[test]
    fn borrowed_owned_and_tolerant_decoding_agree(case in response()) {
        let text = serde_json::to_string(&case.input).expect("encodes");
        let borrowed = decode(text.as_bytes()).expect("decodes");
        let owned: Response<'static> = decode(text.clone().as_bytes()).expect("decodes").into_owned();
        prop_assert_eq!(&owned, &borrowed);
        let direct = rhombus_model::decode_owned(text.clone().as_bytes()).expect("decodes owned");
        prop_assert_eq!(&direct, &borrowed);
        let tolerant = decode_tolerant(text.as_bytes()).expect("decodes");
        prop_assert!(tolerant.failures.is_empty());
        prop_assert_eq!(&tolerant.response, &borrowed);
    }

    #[test]
    fn arena_decoding_agrees_with_decode(case in response(), pretty in any::<bool>(), chunk in 1usize..256) {
        use rhombus_model::arena::{ArenaForm, Bump, decode_in};
        use rhombus_model::stream::StreamDecoder;
        let text = if pretty { serde_json::to_string_pretty(&case.input) } else { serde_json::to_string(&case.input) }.expect("encodes");
        let bump = Bump::new();
        let arena = decode_in(text.as_bytes(), &bump).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let model = decode(text.as_bytes()).expect("decodes");
        let (mut from_arena, mut from_model) = (Vec::new(), Vec::new());
        arena.write_json(&mut from_arena);
        model.write_json(&mut from_model);
        prop_assert_eq!(String::from_utf8(from_arena).expect("UTF-8"), String::from_utf8(from_model).expect("UTF-8"));
        prop_assert_eq!(serde_json::to_string(&arena).expect("encodes"), serde_json::to_string(&model).expect("encodes"));
        prop_assert_eq!(arena.drift(), model.drift());
        prop_assert_eq!(format!("{arena:?}"), format!("{model:?}"));
        prop_assert_eq!(arena.clone().into_result().err(), model.clone().into_result().err());
        prop_assert_eq!(&arena, &model.into_arena(&bump));
        // Read in chunks, text copied: the same tree.
        let read = Bump::new();
        let reader = Chunked { data: text.as_bytes(), size: chunk };
        let from_reader = StreamDecoder::new(reader).input_len(text.len() as u64).decode_in(&read);
        prop_assert_eq!(&from_reader.map_err(|e| TestCaseError::fail(e.to_string()))?, &arena);
    }

    #[test]
    fn arena_text_is_in_the_input_or_the_arena(title in text()) {
        use rhombus_model::arena::{Bump, decode_in, decode_reader_in};
        let json = serde_json::to_string(&serde_json::json!({"splicedClips": [{"title": title, "parentClipUuid": "x"}]})).expect("encodes");
        let in_input = |at: usize| (json.as_ptr() as usize..json.as_ptr() as usize + json.len()).contains(&at);
        // `decode_in`: text without escapes points into the input; unescaped
        // text into the arena, so resetting it leaves nothing behind.
        let mut bump = Bump::new();
        let (title_at, unknown_at) = text_at(decode_in(json.as_bytes(), &bump).expect("decodes"), &title)?;
        prop_assert_eq!(in_input(title_at), !json.contains('\\'));
        prop_assert_eq!(in_arena(&mut bump, title_at), !in_input(title_at));
        prop_assert!(in_input(unknown_at));
        // `decode_reader_in`: nothing points into the reader's window.
        let mut bump = Bump::new();
        let (title_at, unknown_at) = text_at(decode_reader_in(json.as_bytes(), &bump).expect("decodes"), &title)?;
        prop_assert!(title.is_empty() || in_arena(&mut bump, title_at));
        prop_assert!(in_arena(&mut bump, unknown_at));
    }

    #[test]
    fn strings_borrow_exactly_when_unescaped(title in text()) {
        let json = serde_json::to_string(&serde_json::json!({"splicedClips": [{"title": title, "parentClipUuid": "x"}]})).expect("encodes");
        let response = decode(json.as_bytes()).expect("decodes");
        let clip = &response.clips()[0];
        let decoded = clip.title.as_ref().expect("title");
        prop_assert_eq!(decoded.as_str(), title.as_str());
        let escaped = json.contains('\\');
        prop_assert_eq!(decoded.is_borrowed(), !escaped);
        prop_assert!(clip.extra.get("parentClipUuid").is_some_and(|r| r.is_borrowed()));
    }

    #[test]
    fn unknown_statuses_surface_as_drift(status in "[A-Z]{1,10}") {
        let json = format!(r#"{{"splicedClips":[{{"status":"{status}"}}]}}"#);
        let response = decode(json.as_bytes()).expect("decodes");
        let decoded = response.clips()[0].status.clone().expect("status");
        prop_assert_eq!(decoded.as_str(), status.as_str());
        let known = ClipStatus::KNOWN.iter().any(|s| s.as_str() == status);
        prop_assert_eq!(decoded.is_other(), !known);
        let drift = response.drift();
        prop_assert_eq!(drift.len(), usize::from(!known));
        if !known {
            prop_assert_eq!(&drift[0].path, "splicedClips[0].status");
            prop_assert_eq!(&drift[0].kind, &DriftKind::UnknownValue(status.clone()));
        }
    }
}

/// A reader handing out at most `size` bytes per call.
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

/// Where the text of the first clip's title and of its unknown
/// `parentClipUuid` starts, checking the title reads `title`.
fn text_at(
    response: rhombus_model::arena::Response<'_>,
    title: &str,
) -> Result<(usize, usize), TestCaseError> {
    let clip = &response.clips()[0];
    let decoded: &str = clip.title.expect("title");
    prop_assert_eq!(decoded, title);
    let unknown = clip
        .extra
        .get("parentClipUuid")
        .expect("unknown field kept");
    Ok((decoded.as_ptr() as usize, unknown.get().as_ptr() as usize))
}

/// Whether the address `at` is in one of `bump`'s chunks.
fn in_arena(bump: &mut rhombus_model::arena::Bump, at: usize) -> bool {
    bump.iter_allocated_chunks()
        .any(|c| (c.as_ptr() as usize..c.as_ptr() as usize + c.len()).contains(&at))
}
