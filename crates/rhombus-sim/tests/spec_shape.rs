//! The `spec` shape against the OpenAPI reference (a copy of the project's
//! `reference/spliced-clips.openapi.json` in `fixtures/`), read as JSON
//! Schema: `nullable: true` admits `null`, a `$ref` takes its target's
//! nullability, nothing is required. Stricter than JSON Schema on purpose:
//! members the reference does not describe are refused, and the `RUUID` /
//! `DeviceFacetUuid` / `int32` / `int64` formats are checked.

mod common;

use rhombus_sim::{ApiPath, Class, Scenario, Shape, SimConfig, shaped};
use serde_json::Value;
use std::time::Duration;

const REFERENCE: &str = include_str!("fixtures/spliced-clips.openapi.json");

/// Where each response schema sits in the reference.
const RESPONSES: [&str; 2] = [
    "Event_GetSplicedClipsInProgressWSResponse",
    "Video_GetSplicedClipsInProgressWSResponse",
];

fn reference() -> Value {
    serde_json::from_str(REFERENCE).expect("the reference is JSON")
}

/// Every way `value` breaks `schema`, as `path: what`.
fn violations(reference: &Value, schema: &Value, value: &Value, path: &str, out: &mut Vec<String>) {
    if let Some(target) = schema.get("$ref").and_then(Value::as_str) {
        let name = target.trim_start_matches("#/components/schemas/");
        let resolved = &reference["components"]["schemas"][name];
        assert!(resolved.is_object(), "unresolved $ref {target}");
        return violations(reference, resolved, value, path, out);
    }
    if value.is_null() {
        if schema["nullable"] != Value::Bool(true) {
            out.push(format!("{path}: null where the reference has no nullable"));
        }
        return;
    }
    let kind = schema["type"].as_str().unwrap_or("object");
    let format = schema["format"].as_str().unwrap_or("");
    let fits = match kind {
        "object" => value.is_object(),
        "array" => value.is_array(),
        "string" => value.is_string(),
        "boolean" => value.is_boolean(),
        "number" => value.is_number(),
        "integer" => match format {
            "int32" => value.as_i64().is_some_and(|n| i32::try_from(n).is_ok()),
            _ => value.is_i64(),
        },
        other => panic!("schema type {other} not handled"),
    };
    if !fits {
        out.push(format!("{path}: {value} is not {kind} {format}"));
        return;
    }
    if let Some(allowed) = schema["enum"].as_array() {
        if !allowed.contains(value) {
            out.push(format!("{path}: {value} is not in the enum"));
        }
    }
    if let Some(text) = value.as_str() {
        let ruuid = |s: &str| {
            s.len() == 22
                && s.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        };
        let ok = match format {
            "RUUID" => ruuid(text),
            "DeviceFacetUuid" => {
                let (id, facet) = text.split_once('.').unwrap_or((text, "v0"));
                ruuid(id) && facet.len() == 2 && facet.starts_with(['v', 'a'])
            }
            _ => true,
        };
        if !ok {
            out.push(format!("{path}: {text:?} is not a {format}"));
        }
    }
    if let Some(items) = value.as_array() {
        for (i, item) in items.iter().enumerate() {
            violations(
                reference,
                &schema["items"],
                item,
                &format!("{path}[{i}]"),
                out,
            );
        }
        if schema["uniqueItems"] == Value::Bool(true)
            && (1..items.len()).any(|i| items[..i].contains(&items[i]))
        {
            out.push(format!("{path}: items repeat"));
        }
    }
    if let Some(members) = value.as_object() {
        for (key, member) in members {
            let at = format!("{path}.{key}");
            match (
                schema["properties"].get(key),
                schema.get("additionalProperties"),
            ) {
                (Some(property), _) => violations(reference, property, member, &at, out),
                (None, Some(additional)) => violations(reference, additional, member, &at, out),
                (None, None) => out.push(format!("{at}: not in the reference")),
            }
        }
    }
}

fn check(body: &[u8]) -> Vec<String> {
    let reference = reference();
    let value: Value = serde_json::from_slice(body).expect("a spec body is JSON");
    let mut out = Vec::new();
    for name in RESPONSES {
        let schema = serde_json::json!({ "$ref": format!("#/components/schemas/{name}") });
        violations(&reference, &schema, &value, "$", &mut out);
    }
    out
}

/// Instants across a scenario's clips' whole lives.
fn instants() -> impl Iterator<Item = Duration> {
    (0..40).map(|k| Duration::from_secs(k * 37))
}

#[test]
fn spec_bodies_validate_against_the_reference() {
    for scenario in [Scenario::default(), Scenario::busy().with_seed(5)] {
        let mut clips = 0;
        for at in instants() {
            let state = scenario.state_at(at);
            clips += state["splicedClips"].as_array().unwrap().len();
            let body = shaped(at.as_secs(), Shape::Spec, &state);
            assert!(
                body.classes.iter().all(|c| *c == Class::AbsentField),
                "{:?}",
                body.classes
            );
            let problems = check(&body.bytes);
            assert!(problems.is_empty(), "at {at:?}: {problems:#?}");
        }
        assert!(clips > 100, "only {clips} clips checked");
    }
}

#[test]
fn the_checker_refuses_what_the_reference_does_not_allow() {
    // The live shape carries undocumented fields and, in a busy scenario,
    // enum values the reference lacks: the same checker must say so.
    let state = Scenario::busy().state_at(Duration::from_secs(60));
    let problems = check(&shaped(0, Shape::Live, &state).bytes);
    assert!(
        problems
            .iter()
            .any(|p| p.ends_with(".completedSubClipCount: not in the reference")),
        "{problems:#?}"
    );
    assert!(
        problems.iter().any(|p| p.ends_with("is not in the enum")),
        "{problems:#?}"
    );
    let broken = [
        (
            r#"{"splicedClips":[{"duration":2147483648}]}"#,
            "is not integer int32",
        ),
        (
            r#"{"splicedClips":[{"accessSettings":null}]}"#,
            "null where",
        ),
        (
            r#"{"splicedClips":[{"clipUuid":"short"}]}"#,
            "is not a RUUID",
        ),
        (
            r#"{"splicedClips":[{"deviceMap":{"A":{"totalSegments":"3"}}}]}"#,
            "is not integer",
        ),
        (
            r#"{"splicedClips":[{"accessSettings":{"allowedRoles":["AAAAAAAAAAAAAAAAAAAAAA","AAAAAAAAAAAAAAAAAAAAAA"]}}]}"#,
            "items repeat",
        ),
        (r#"{"error":"no"}"#, "is not boolean"),
    ];
    for (body, expected) in broken {
        let problems = check(body.as_bytes());
        assert!(
            problems.iter().any(|p| p.contains(expected)),
            "{body}: {problems:#?}"
        );
    }
    assert!(
        check(br#"{"error":null,"splicedClips":[{"description":null,"deviceMap":{}}]}"#).is_empty()
    );
}

#[tokio::test]
async fn a_simulator_in_the_spec_shape_serves_spec_bodies() {
    let sim = rhombus_sim::start(SimConfig::default().with_shape(Shape::Spec))
        .await
        .unwrap();
    for _ in 0..5 {
        let (status, _, body) = common::fetch(&sim, ApiPath::Video).await;
        assert_eq!(status, 200);
        assert_eq!(body, sim.expected_body());
        let problems = check(&body);
        assert!(problems.is_empty(), "{problems:#?}");
        sim.advance(Duration::from_secs(90));
    }
    sim.shutdown().await;
}
