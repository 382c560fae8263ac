//! `clips parse`: saved responses, offline.

use std::io::{BufRead, BufReader, Write};
use std::process::Stdio;

use crate::common::*;

const GOOD: &str = r#"{"error":false,"warningMsg":null,"splicedClips":[
 {"clipUuid":"AAAAAAAAAAAAAAAAAAAAAA","status":"UPLOADING","startTime":1768467600000,"parentClipUuid":"PPPPPPPPPPPPPPPPPPPPPP"},
 {"clipUuid":"BBBBBBBBBBBBBBBBBBBBBB","status":"COMPLETE","startTime":1768467000000}]}"#;

const ONE_BAD: &str = r#"{"splicedClips":[
 {"clipUuid":"AAAAAAAAAAAAAAAAAAAAAA","status":"UPLOADING"},
 {"clipUuid":"BBBBBBBBBBBBBBBBBBBBBB","duration":"ninety"},
 {"clipUuid":"CCCCCCCCCCCCCCCCCCCCCC","status":"COMPLETE"}]}"#;

#[test]
fn json_round_trips_a_saved_response_with_unknown_fields() {
    let home = Home::new();
    let file = home.file("saved.json", GOOD.as_bytes());
    let run = run(rhombus(&home).args(["clips", "parse"]).arg(&file));
    run.code(0);
    let printed: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let original: serde_json::Value = serde_json::from_str(GOOD).unwrap();
    assert_eq!(
        json_diff(&without_nulls(printed), &without_nulls(original), ""),
        None
    );
}

#[test]
fn every_format_from_stdin() {
    let home = Home::new();
    for (format, check) in [
        ("ndjson", "\"parentClipUuid\""),
        ("csv", "clip_uuid,title"),
        ("table", "CLIP"),
        ("json", "\"splicedClips\""),
    ] {
        let mut child = rhombus(&home)
            .args(["clips", "parse", "-", "-o", format])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(GOOD.as_bytes())
            .unwrap();
        let out = child.wait_with_output().unwrap();
        let stdout = String::from_utf8(out.stdout).unwrap();
        assert_eq!(out.status.code(), Some(0), "{format}");
        assert!(stdout.contains(check), "{format}: {stdout}");
        // Every format is written clip by clip, in the file's order (A first).
        if format != "json" {
            let a = stdout.find("AAAAAAAAAAAAAAAAAAAAAA").unwrap();
            let b = stdout.find("BBBBBBBBBBBBBBBBBBBBBB").unwrap();
            assert!(a < b, "{format} keeps file order");
        }
    }
}

#[test]
fn a_misfit_value_is_kept_warned_with_its_path_and_every_clip_printed() {
    let home = Home::new();
    let file = home.file("one-bad.json", ONE_BAD.as_bytes());
    let run = run(rhombus(&home)
        .args(["clips", "parse", "-o", "ndjson"])
        .arg(&file));
    run.code(3)
        .stderr_has(
            "warning: invalid type: string, expected a 32-bit integer at splicedClips[1].duration",
        )
        .stderr_has("line 3")
        .stderr_has("1 value(s) in");
    let clips = run.ndjson();
    let ids: Vec<_> = clips.iter().map(|c| c["clipUuid"].clone()).collect();
    assert_eq!(
        ids,
        [
            "AAAAAAAAAAAAAAAAAAAAAA",
            "BBBBBBBBBBBBBBBBBBBBBB",
            "CCCCCCCCCCCCCCCCCCCCCC"
        ]
    );
    assert_eq!(clips[1]["duration"], "ninety", "kept as sent");
}

#[test]
fn malformed_input_is_one_line_with_a_position() {
    let home = Home::new();
    for (name, text) in [
        ("truncated", "{\"splicedClips\": [{\"clipUuid\": \"A"),
        ("garbage", "{\"splicedClips\": [}"),
        ("empty", ""),
        ("binary", "\u{0}\u{1}\u{2}"),
    ] {
        let file = home.file(name, text.as_bytes());
        let run = run(rhombus(&home).args(["clips", "parse"]).arg(&file));
        run.code(3);
        let errors: Vec<_> = run
            .stderr
            .lines()
            .filter(|l| l.starts_with("error:"))
            .collect();
        assert_eq!(errors.len(), 1, "{name}: {}", run.stderr);
        assert!(
            errors[0].contains("line 1, column"),
            "{name}: {}",
            errors[0]
        );
        assert!(!run.stderr.contains("panicked") && !run.stderr.contains("backtrace"));
        assert_eq!(run.stdout, "");
    }
    let missing = run(rhombus(&home).args(["clips", "parse", "/no/such/file.json"]));
    missing.code(2).stderr_has("cannot read /no/such/file.json");
}

#[test]
fn error_true_prints_its_message_and_warnings_go_to_stderr() {
    let home = Home::new();
    let error = home.file(
        "error.json",
        br#"{"error":true,"errorMsg":"Access denied"}"#,
    );
    run(rhombus(&home).args(["clips", "parse"]).arg(&error))
        .code(1)
        .stderr_has("error: the Rhombus API reported an error: Access denied");
    let warning = home.file(
        "warning.json",
        br#"{"warningMsg":"Partial results","splicedClips":[{"clipUuid":"AAAAAAAAAAAAAAAAAAAAAA"}]}"#,
    );
    let run = run(rhombus(&home)
        .args(["clips", "parse", "-o", "ndjson"])
        .arg(&warning));
    run.code(0)
        .stderr_has("warning: the Rhombus API says: Partial results");
    assert_eq!(run.ndjson().len(), 1);
    let quiet = crate::common::run(
        rhombus(&home)
            .args(["-q", "clips", "parse", "-o", "ndjson"])
            .arg(&warning),
    );
    quiet.code(0);
    assert_eq!(quiet.stderr, "");
}

#[test]
fn strict_fails_on_drift() {
    let home = Home::new();
    let file = home.file(
        "drift.json",
        GOOD.replace("\"COMPLETE\"", "\"ARCHIVED\"").as_bytes(),
    );
    let run = run(rhombus(&home)
        .args(["clips", "parse", "--strict"])
        .arg(&file));
    run.code(3)
        .stderr_has("unknown field at splicedClips[0].parentClipUuid")
        .stderr_has("unknown value \"ARCHIVED\" at splicedClips[1].status")
        .stderr_has("2 field(s) or value(s)");
    assert_eq!(run.stdout, "");
    // Tolerant by default: the same file prints fine.
    crate::common::run(rhombus(&home).args(["clips", "parse"]).arg(&file)).code(0);
    let clean = home.file(
        "clean.json",
        br#"{"splicedClips":[{"clipUuid":"AAAAAAAAAAAAAAAAAAAAAA","status":"COMPLETE"}]}"#,
    );
    crate::common::run(
        rhombus(&home)
            .args(["clips", "parse", "--strict"])
            .arg(&clean),
    )
    .code(0);
    let bad = home.file("one-bad.json", ONE_BAD.as_bytes());
    crate::common::run(
        rhombus(&home)
            .args(["clips", "parse", "--strict"])
            .arg(&bad),
    )
    .code(3)
    .stderr_has("error: ")
    .stderr_has(" at splicedClips[1].duration");
    // The server's error comes before drift: it is what went wrong.
    let refused = home.file(
        "refused.json",
        br#"{"error":true,"errorMsg":"Access denied","requestId":"r-1"}"#,
    );
    crate::common::run(
        rhombus(&home)
            .args(["clips", "parse", "--strict"])
            .arg(&refused),
    )
    .code(1)
    .stderr_has("Access denied");
}

#[test]
fn the_stream_flag_is_accepted_and_every_format_streams() {
    let home = Home::new();
    let good = home.file("saved.json", GOOD.as_bytes());
    let run = run(rhombus(&home)
        .args(["clips", "parse", "--stream", "-o", "ndjson"])
        .arg(&good));
    run.code(0);
    let ids: Vec<_> = run.ndjson().iter().map(|c| c["clipUuid"].clone()).collect();
    assert_eq!(
        ids,
        ["AAAAAAAAAAAAAAAAAAAAAA", "BBBBBBBBBBBBBBBBBBBBBB"],
        "file order"
    );
    assert_eq!(run.ndjson()[0]["parentClipUuid"], "PPPPPPPPPPPPPPPPPPPPPP");

    let bad = home.file("one-bad.json", ONE_BAD.as_bytes());
    let filtered = crate::common::run(
        rhombus(&home)
            .args(["clips", "parse", "-o", "csv", "--status", "COMPLETE"])
            .arg(&bad),
    );
    filtered.code(3).stderr_has("splicedClips[1].duration");
    let rows: Vec<_> = filtered.stdout.lines().skip(1).collect();
    assert_eq!(rows.len(), 1, "the COMPLETE clip:\n{}", filtered.stdout);
    assert!(rows[0].starts_with("CCCCCCCCCCCCCCCCCCCCCC,"));

    // Cut inside the third clip: the clips before the break are kept, the
    // problem before it is warned about, and the error says where it broke.
    let cut = home.file("cut.json", &ONE_BAD.as_bytes()[..ONE_BAD.len() - 30]);
    for format in ["ndjson", "json", "csv", "table"] {
        let truncated = crate::common::run(
            rhombus(&home)
                .args(["clips", "parse", "-o", format])
                .arg(&cut),
        );
        truncated
            .code(3)
            .stderr_has("line 4, column")
            .stderr_has("warning: invalid type: string")
            .stderr_has("the input ended early");
        assert!(
            truncated.stdout.contains("BBBBBBBBBBBBBBBBBBBBBB")
                && !truncated.stdout.contains("CCCCCCCCCCCCCCCCCCCCCC"),
            "{format}: the clips before the break:\n{}",
            truncated.stdout
        );
    }

    let error = home.file(
        "error.json",
        br#"{"error":true,"errorMsg":"Access denied"}"#,
    );
    for format in ["csv", "json"] {
        let refused = crate::common::run(
            rhombus(&home)
                .args(["clips", "parse", "-o", format])
                .arg(&error),
        );
        refused.code(1).stderr_has("Access denied");
        assert_eq!(refused.stdout.lines().skip(1).count(), 0, "{format}");
    }
}

#[test]
fn a_directory_is_not_read_in_any_mode() {
    let home = Home::new();
    for format in ["csv", "ndjson", "table", "json"] {
        let run = run(rhombus(&home)
            .args(["clips", "parse", "-o", format])
            .arg(home.path()));
        run.code(2).stderr_has("it is a directory");
        assert_eq!(run.stdout, "", "{format}: nothing printed");
    }
}

#[test]
fn a_start_time_outside_rfc3339_is_written_as_sent() {
    let home = Home::new();
    let file = home.file(
        "far.json",
        br#"{"splicedClips":[{"clipUuid":"A","startTime":-1000},{"clipUuid":"B","startTime":253402300800000}]}"#,
    );
    for mode in [None, Some("--strict")] {
        let run = run(rhombus(&home)
            .args(["clips", "parse", "-o", "csv"])
            .args(mode)
            .arg(&file));
        run.code(0);
        let rows: Vec<&str> = run.stdout.lines().skip(1).collect();
        assert!(
            rows[0].starts_with("A,") && rows[0].ends_with(",-1000,"),
            "{rows:?}"
        );
        assert!(rows[1].ends_with(",253402300800000,"), "{rows:?}");
    }
}

#[test]
fn a_closed_pipe_ends_quietly() {
    let home = Home::new();
    let clips: Vec<String> = (0..20_000)
        .map(|i| {
            format!(
                r#"{{"clipUuid":"CLIP{i:018}","status":"UPLOADING","title":"clip number {i}"}}"#
            )
        })
        .collect();
    let file = home.file(
        "big.json",
        format!("{{\"splicedClips\":[{}]}}", clips.join(",")).as_bytes(),
    );
    for mode in ["json", "ndjson", "csv"] {
        let mut child = rhombus(&home)
            .args(["clips", "parse", "-o", mode])
            .arg(&file)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut first = String::new();
        let mut lines = BufReader::new(child.stdout.take().unwrap());
        while !first.contains("CLIP") {
            first.clear();
            assert_ne!(lines.read_line(&mut first).unwrap(), 0, "{mode}");
        }
        drop(lines);
        // The reader is dropped here: stdout is closed.
        let out = child.wait_with_output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{mode:?}");
        assert_eq!(String::from_utf8_lossy(&out.stderr), "", "{mode:?}");
    }
}
