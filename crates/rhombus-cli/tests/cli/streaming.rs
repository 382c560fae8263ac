//! Every format clip by clip: output before the input ends, the envelope
//! after the clips, and input that is not JSON or never ends stopped with
//! a clear error within the input limits.

use std::io::{BufRead, BufReader, Write};
use std::process::{Child, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use crate::common::*;

const FORMATS: [&str; 4] = ["json", "ndjson", "csv", "table"];

/// A hang guard, not a measure: output that never comes fails the test.
const HANG: Duration = Duration::from_secs(120);

/// `rhombus clips parse - ARGS` reading a pipe, its stdout lines sent
/// to the receiver as they come (so it never blocks writing them).
fn parse_pipe(home: &Home, args: &[&str]) -> (Child, mpsc::Receiver<String>) {
    let mut child = rhombus(home)
        .args(["clips", "parse", "-"])
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn rhombus");
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    (child, rx)
}

fn clip(i: usize) -> String {
    format!(r#"{{"clipUuid":"CLIP{i:018}","status":"UPLOADING","title":"clip number {i}"}},"#)
}

#[test]
fn every_format_prints_clips_before_the_input_ends() {
    let home = Home::new();
    for format in FORMATS {
        let (mut child, lines) = parse_pipe(&home, &["-o", format]);
        let mut stdin = child.stdin.take().unwrap();
        stdin.write_all(b"{\"splicedClips\":[").unwrap();
        // More than a table's look-ahead, and than the output buffer holds.
        for i in 0..5000 {
            stdin.write_all(clip(i).as_bytes()).unwrap();
        }
        stdin.flush().unwrap();
        // The input is still open: the first clip must already be out.
        loop {
            let line = lines
                .recv_timeout(HANG)
                .expect("output before the input ended");
            if line.contains("CLIP000000000000000000") {
                break;
            }
        }
        stdin
            .write_all(format!("{}]}}", clip(5000).trim_end_matches(',')).as_bytes())
            .unwrap();
        drop(stdin);
        let status = child.wait().unwrap();
        assert_eq!(status.code(), Some(0), "{format}");
        let rest: Vec<String> = lines.iter().collect();
        assert!(
            rest.iter().any(|l| l.contains("CLIP000000000000005000")),
            "{format}: the last clip"
        );
    }
}

#[test]
fn input_that_is_not_json_stops_at_once_in_every_format() {
    let home = Home::new();
    let binary = env!("CARGO_BIN_EXE_rhombus");
    for input in ["/dev/zero", "/dev/urandom", binary] {
        for format in FORMATS {
            let error = parse_fails_once(&home, input.as_ref(), format);
            // Random bytes may open with whitespace (a newline moves the
            // error to a later line), so the place is named, not fixed.
            assert!(
                error.contains("(line ") && error.contains(", column "),
                "{error}"
            );
            if input == "/dev/zero" {
                assert!(error.contains("found a NUL byte"), "{error}");
            }
        }
    }
}

#[test]
fn a_file_in_another_encoding_is_named_in_every_format() {
    let home = Home::new();
    let body = r#"{"splicedClips":[]}"#;
    let utf16 = |bom: bool| {
        let units = bom.then_some(0xFEFF).into_iter().chain(body.encode_utf16());
        units.flat_map(u16::to_le_bytes).collect::<Vec<u8>>()
    };
    let cases = [
        (
            "utf8-bom.json",
            [b"\xEF\xBB\xBF", body.as_bytes()].concat(),
            "found byte 0xEF (a byte-order mark?",
        ),
        (
            "utf16-bom.json",
            utf16(true),
            "found byte 0xFF (a byte-order mark?",
        ),
        ("utf16.json", utf16(false), "found a NUL byte (UTF-16 text"),
    ];
    for (name, bytes, named) in cases {
        let file = home.file(name, &bytes);
        for format in FORMATS {
            let error = parse_fails_once(&home, &file, format);
            assert!(error.contains(named), "{name} {format}: {error}");
        }
    }
}

/// `rhombus clips parse INPUT -o FORMAT`: exit 3, nothing on stdout and one
/// `error:` line, which is returned.
fn parse_fails_once(home: &Home, input: &std::path::Path, format: &str) -> String {
    let run = run(rhombus(home)
        .args(["clips", "parse"])
        .arg(input)
        .args(["-o", format]));
    let what = format!("{} {format}", input.display());
    run.code(3);
    assert_eq!(run.stdout, "", "{what}");
    let errors = run.stderr_lines("error:");
    assert_eq!(errors.len(), 1, "{what}: {}", run.stderr);
    errors[0].to_string()
}

/// Writes `head`, then `unit` until the reader goes away.
fn endless(child: &mut Child, head: &'static [u8], unit: &'static [u8]) {
    let mut stdin = child.stdin.take().unwrap();
    std::thread::spawn(move || {
        let block: Vec<u8> = unit.iter().copied().cycle().take(64 * 1024).collect();
        if stdin.write_all(head).is_err() {
            return;
        }
        while stdin.write_all(&block).is_ok() {}
    });
}

/// `clips parse - -o FORMAT LIMIT` fed `head` then `unit` without end:
/// the run and the lines it printed.
fn endless_run(
    home: &Home,
    format: &str,
    limit: [&str; 2],
    head: &'static [u8],
    unit: &'static [u8],
) -> (Run, Vec<String>) {
    let (mut child, lines) = parse_pipe(home, &["-o", format, limit[0], limit[1]]);
    endless(&mut child, head, unit);
    let code = child.wait().unwrap().code().unwrap_or(-1);
    (collect(child, code), lines.iter().collect())
}

#[test]
fn input_that_never_ends_stops_at_its_limit_in_every_format() {
    let home = Home::new();
    for format in FORMATS {
        let head = b"{\"splicedClips\":[{\"title\":\"";
        let (run, lines) = endless_run(&home, format, ["--max-value-mib", "1"], head, b"a");
        run.code(3)
            .stderr_has("max_value_len")
            .stderr_has("--max-value-mib");
        let clips = lines.iter().filter(|l| l.contains("aaaa")).count();
        assert_eq!(clips, 0, "{format}: no clip came whole");

        let (head, unit) = (b"{\"splicedClips\":[", b"{\"title\":\"x\"},");
        let (run, lines) = endless_run(&home, format, ["--max-clips", "1000"], head, unit);
        run.code(3)
            .stderr_has("more than 1000 clips")
            .stderr_has("--max-clips");
        let printed = lines.iter().filter(|l| l.contains("x")).count();
        assert_eq!(printed, 1000, "{format}: the clips within the limit");
    }
}

#[test]
fn ls_json_writes_the_envelope_after_the_clips() {
    let sim = Sim::start();
    let home = Home::new();
    sim.push_fault(rhombus_sim::Fault::Warning("careful".into()));
    let run = run(&mut against(&home, &sim, &["clips", "ls", "-o", "json"]));
    run.code(0).stderr_has("the Rhombus API says: careful");
    let printed: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(printed["warningMsg"], "careful");
    assert_eq!(
        printed["splicedClips"].as_array().unwrap().len(),
        sim.clips().len()
    );
    let last = run.stdout.lines().last().unwrap();
    assert!(
        last.starts_with("],") && last.contains("\"warningMsg\":\"careful\""),
        "{last}"
    );
}

#[test]
fn ndjson_is_one_value_per_line_whatever_whitespace_a_raw_value_holds() {
    let sim = Sim::start();
    let home = Home::new();
    let body = "{\"splicedClips\":[{\"clipUuid\":\"AAAAAAAAAAAAAAAAAAAAAA\",\"extraInfo\":{\n  \"a\" : [1,\r\n 2],\n  \"s\": \"two  spaces\"\n}},\n [ 3,\n 4 ]\n]}";
    sim.answer_with([body.to_owned()]);
    let run = run(&mut against(&home, &sim, &["clips", "ls", "-o", "ndjson"]));
    run.code(3).stderr_has("splicedClips[1]");
    assert_eq!(
        run.stdout,
        "{\"clipUuid\":\"AAAAAAAAAAAAAAAAAAAAAA\",\"extraInfo\":{\"a\":[1,2],\"s\":\"two  spaces\"}}\n[3,4]\n"
    );
}

#[test]
fn a_write_error_on_stdout_is_an_error_in_every_format() {
    let home = Home::new();
    let file = home.file(
        "one.json",
        br#"{"splicedClips":[{"clipUuid":"AAAAAAAAAAAAAAAAAAAAAA"}]}"#,
    );
    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .expect("Linux has /dev/full");
    for format in FORMATS {
        let out = rhombus(&home)
            .args(["clips", "parse", "-o", format])
            .arg(&file)
            .stdout(full.try_clone().unwrap())
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{format}: {stderr}");
        assert!(
            stderr.contains("error: cannot write to standard output: "),
            "{stderr}"
        );
    }
}

#[test]
fn many_problems_are_listed_up_to_a_point_then_counted() {
    let home = Home::new();
    let clips = vec![r#"{"duration":"long"}"#; 150].join(",");
    let file = home.file(
        "many.json",
        format!("{{\"splicedClips\":[{clips}]}}").as_bytes(),
    );
    let run = run(rhombus(&home)
        .args(["clips", "parse", "-o", "ndjson"])
        .arg(&file));
    run.code(3)
        .stderr_has("warning: 50 more like these (not listed)")
        .stderr_has("error: 150 value(s) in ");
    assert_eq!(run.stderr_lines("warning:").len(), 101, "{}", run.stderr);
    assert_eq!(run.ndjson().len(), 150, "every clip printed");
}

#[test]
fn ls_past_a_limit_prints_nothing_and_names_the_flag() {
    let sim = Sim::start();
    let home = Home::new();
    let body = run(&mut against(
        &home,
        &sim,
        &["clips", "ls", "--max-body-mib", "0"],
    ));
    body.code(1)
        .stderr_has("larger than the 0-byte limit")
        .stderr_has("hint: if the response is genuine, raise the limit with --max-body-mib N");
    assert_eq!(body.stdout, "");
    let clips = run(&mut against(
        &home,
        &sim,
        &["clips", "ls", "--max-clips", "3"],
    ));
    clips
        .code(3)
        .stderr_has("more than 3 clips")
        .stderr_has("hint: if the input is genuine, raise the limit with --max-clips N");
    assert_eq!(clips.stdout, "", "checked before printing");
}

/// A body of `n` empty clips: three bytes each, hundreds of bytes decoded.
fn empty_clips(n: usize) -> String {
    let mut body = String::from("{\"splicedClips\":[");
    body.push_str(&vec!["{}"; n].join(","));
    body.push_str("]}");
    body
}

#[test]
fn ls_reads_any_number_of_clips_while_watch_caps_what_it_keeps() {
    let sim = Sim::start();
    let home = Home::new();
    // Past the model's default clip cap: `ls` holds one clip at a time.
    let many = 1_000_001;
    sim.answer_with([empty_clips(many)]);
    let ls = run(&mut against(&home, &sim, &["clips", "ls", "-o", "ndjson"]));
    ls.code(0);
    assert_eq!(ls.stdout.lines().filter(|l| *l == "{}").count(), many);

    // `watch` decodes each poll whole and keeps two: its tree cap ends it.
    sim.answer_with(vec![empty_clips(20_000); 10]);
    let watch = run(&mut against(
        &home,
        &sim,
        &["clips", "watch", "--interval", "1s", "--max-tree-mib", "1"],
    ));
    watch
        .code(1)
        .stderr_has("max_tree_bytes")
        .stderr_has("raise the limit with --max-tree-mib N");
}
