//! JSONTestSuite's parsing cases, each placed inside a response where the
//! model meets any JSON: an unknown envelope field, a clip field of another
//! type, an element of `splicedClips`.
//!
//! Valid JSON (`y_`) is accepted by the tolerant decoder wherever it sits;
//! invalid JSON (`n_`) is refused in both modes; every case (`i_` too)
//! gets the same answer, value or error, from every driver.

use std::path::{Path, PathBuf};

use rhombus_model::{DecodeError, Decoder};

/// The places a case is put: before and after it.
const PLACES: [(&str, &[u8], &[u8]); 3] = [
    ("an unknown field", b"{\"splicedClips\":[],\"x\":", b"}"),
    ("a clip's title", b"{\"splicedClips\":[{\"title\":", b"}]}"),
    // The `{}` after it keeps a blank case from making an empty list.
    ("an element", b"{\"splicedClips\":[", b",{}]}"),
];

fn cases() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/json-test-suite");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("the suite's files")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    assert!(files.len() > 300, "{} cases", files.len());
    files
}

/// What a driver made of a body: the response as JSON and its problems, or
/// the error.
type Outcome = Result<(String, Vec<DecodeError>), DecodeError>;

/// The whole response, decoded from memory or from a reader.
fn whole(body: &[u8], strict: bool, from_reader: bool) -> Outcome {
    let mut decoder = Decoder::new().strict(strict);
    let decoded = if from_reader {
        decoder.decode_reader(body)?
    } else {
        decoder.decode(body)?
    };
    Ok((
        serde_json::to_string(&decoded.value).unwrap(),
        decoded.problems,
    ))
}

/// The stream's clips and envelope, put back together (as text: a raw
/// number such as `1e400` has no `serde_json::Value`).
fn streamed(body: &[u8], strict: bool) -> Outcome {
    let mut stream = Decoder::new().strict(strict).stream(body);
    let mut clips = Vec::new();
    let mut problems = Vec::new();
    while let Some(clip) = stream.next_clip() {
        let clip = clip?;
        clips.push(serde_json::to_string(&clip.item).unwrap());
        problems.extend(clip.problems);
    }
    let envelope = stream.finish()?;
    problems.extend(envelope.problems().iter().cloned());
    let json = serde_json::to_string(envelope.response()).unwrap();
    let list = format!("\"splicedClips\":[{}]", clips.join(","));
    Ok((json.replacen("\"splicedClips\":[]", &list, 1), problems))
}

#[test]
fn every_case_in_every_place_as_json_says_and_alike_in_every_driver() {
    let mut wrong = Vec::new();
    for path in cases() {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let case = std::fs::read(&path).unwrap();
        for (place, before, after) in PLACES {
            let body = [before, &case[..], after].concat();
            for strict in [false, true] {
                let memory = whole(&body, strict, false);
                let mode = if strict { "strict" } else { "tolerant" };
                let at = format!("{name} as {place} ({mode})");
                for (driver, other) in [
                    ("reader", whole(&body, strict, true)),
                    ("stream", streamed(&body, strict)),
                ] {
                    if other != memory {
                        wrong.push(format!("{at}: the {driver} says {other:?}, not {memory:?}"));
                    }
                }
                match (&name[..2], &memory) {
                    ("y_", Err(e)) if !strict => wrong.push(format!("{at}: valid, refused: {e}")),
                    ("n_", Ok(_)) => wrong.push(format!("{at}: invalid, accepted")),
                    _ => {}
                }
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn a_valid_value_in_an_unknown_field_comes_back_as_the_same_json() {
    for path in cases() {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if !name.starts_with("y_") {
            continue;
        }
        let case = std::fs::read(&path).unwrap();
        let (before, after) = (PLACES[0].1, PLACES[0].2);
        let body = [before, &case[..], after].concat();
        let (json, _) = whole(&body, false, false).unwrap();
        let ours: serde_json::Value = serde_json::from_str(&json).unwrap();
        let sent: serde_json::Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(ours["x"], sent["x"], "{name}");
    }
}
