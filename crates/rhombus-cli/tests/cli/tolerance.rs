//! The model's promise through the CLI: the same tolerant responses through
//! `clips parse` (a file) and `clips ls` (the simulator, or a raw server
//! for bytes that are not UTF-8): every clip printed with every value it
//! came with, each problem warned about with its path, exit 3; `null`
//! anywhere is normal (exit 0); `--strict` refuses each (but `null`) with
//! the same path.

use crate::common::*;

/// A response body and what tolerant decoding must say about it.
struct Case {
    name: &'static str,
    body: Vec<u8>,
    /// The path warned about (`None`: nothing to warn about).
    path: Option<&'static str>,
    /// Text the warning holds besides the path.
    says: &'static str,
}

fn cases() -> Vec<Case> {
    let case = |name, body: &str, path, says| Case {
        name,
        body: body.as_bytes().to_vec(),
        path,
        says,
    };
    let mut bad_utf8 =
        br#"{"splicedClips":[{"clipUuid":"AAAAAAAAAAAAAAAAAAAAAA","title":"Lobby "#.to_vec();
    bad_utf8.extend_from_slice(b"\xff\xfe");
    bad_utf8
        .extend_from_slice(br#" door"},{"clipUuid":"BBBBBBBBBBBBBBBBBBBBBB","title":"Dock"}]}"#);
    vec![
        case(
            "nulls",
            r#"{"splicedClips":[null,{"clipUuid":"AAAAAAAAAAAAAAAAAAAAAA","deviceMap":{"DEVAAAAAAAAAAAAAAAAAAA.v0":null},"integrationUploadList":[null],"accessSettings":{"allowedUsers":[null,"UUUUUUUUUUUUUUUUUUUUUU"]}}]}"#,
            None,
            "",
        ),
        case(
            "wrong type",
            r#"{"splicedClips":[{"clipUuid":"AAAAAAAAAAAAAAAAAAAAAA","status":"UPLOADING"},{"clipUuid":"BBBBBBBBBBBBBBBBBBBBBB","duration":"ninety","status":"COMPLETE"}]}"#,
            Some("splicedClips[1].duration"),
            "invalid type: string",
        ),
        case(
            "42 in the list",
            r#"{"splicedClips":[{"clipUuid":"AAAAAAAAAAAAAAAAAAAAAA"},42,{"clipUuid":"CCCCCCCCCCCCCCCCCCCCCC"}]}"#,
            Some("splicedClips[1]"),
            "invalid type: integer",
        ),
        Case {
            name: "invalid UTF-8",
            body: bad_utf8,
            path: Some("splicedClips[0].title"),
            says: "invalid UTF-8",
        },
        case(
            "duplicate key",
            r#"{"splicedClips":[{"clipUuid":"AAAAAAAAAAAAAAAAAAAAAA","status":"UPLOADING","status":"COMPLETE"}]}"#,
            Some("splicedClips[0].status"),
            "\"status\" is sent twice",
        ),
    ]
}

/// What the JSON output must be: the body itself, as JSON values (text that
/// is not UTF-8 read as U+FFFD).
fn sent(body: &[u8]) -> serde_json::Value {
    serde_json::from_str(&String::from_utf8_lossy(body)).expect("the case is JSON")
}

/// Checks a tolerant run of `case`: exit code, warning, every value printed.
#[track_caller]
fn tolerated(case: &Case, run: &Run, how: &str) {
    let name = format!("{} ({how})", case.name);
    match case.path {
        None => {
            run.code(0);
            assert!(!run.stderr.contains("warning"), "{name}: {}", run.stderr);
        }
        Some(path) => {
            run.code(3).stderr_has(path).stderr_has(case.says);
            let warnings = run.stderr_lines("warning:");
            assert_eq!(warnings.len(), 1, "{name}: {}", run.stderr);
        }
    }
    let printed: serde_json::Value = serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("{name}: not JSON ({e}): {}", run.stdout));
    assert_eq!(
        printed,
        sent(&case.body),
        "{name}: every value, in its place"
    );
}

#[test]
fn parse_prints_every_value_and_warns_with_the_path() {
    let home = Home::new();
    for case in cases() {
        let file = home.file("case.json", &case.body);
        let run = run(rhombus(&home)
            .args(["clips", "parse", "-o", "json"])
            .arg(&file));
        tolerated(&case, &run, "parse");
        // NDJSON: one element per line, the same values.
        let lines = crate::common::run(
            rhombus(&home)
                .args(["clips", "parse", "-o", "ndjson"])
                .arg(&file),
        );
        let elements: Vec<serde_json::Value> = lines.ndjson();
        assert_eq!(
            serde_json::Value::Array(elements),
            sent(&case.body)["splicedClips"],
            "{}",
            case.name
        );
    }
}

#[test]
fn strict_refuses_each_but_null_with_the_same_path() {
    let home = Home::new();
    for case in cases() {
        let file = home.file("case.json", &case.body);
        let run = run(rhombus(&home)
            .args(["clips", "parse", "--strict"])
            .arg(&file));
        match case.path {
            None => {
                run.code(0);
            }
            Some(path) => {
                run.code(3)
                    .stderr_has(&format!("error: {}: ", file.display()));
                let error = run.stderr_lines("error:")[0];
                assert!(
                    error.contains(&format!(" at {path} ")),
                    "{}: {error}",
                    case.name
                );
            }
        }
    }
}

#[test]
fn ls_against_the_simulator_prints_every_value_and_warns_with_the_path() {
    let sim = Sim::start();
    let home = Home::new();
    for case in cases() {
        let Ok(body) = String::from_utf8(case.body.clone()) else {
            continue; // the simulator sends text; see the raw server below
        };
        sim.answer_with([body]);
        let run = run(&mut against(&home, &sim, &["clips", "ls", "-o", "json"]));
        tolerated(&case, &run, "ls");
        assert_eq!(sim.queued_faults(), 0, "one request: nothing retried");
    }
}

#[test]
fn ls_keeps_a_title_that_is_not_utf8_as_u_fffd() {
    let home = Home::new();
    let case = cases()
        .into_iter()
        .find(|c| c.name == "invalid UTF-8")
        .unwrap();
    let server = RawServer::serve(vec![case.body.clone()]);
    let run = run(rhombus(&home).args([
        "--endpoint-url",
        &server.url(),
        "--api-key",
        KEY,
        "clips",
        "ls",
        "-o",
        "json",
    ]));
    tolerated(&case, &run, "ls");
    assert!(
        run.stdout.contains("Lobby \u{fffd}\u{fffd} door"),
        "{}",
        run.stdout
    );
}
