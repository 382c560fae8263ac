//! `clips watch` on answers that do not all decode: it keeps watching,
//! warns once per clip and cause, and says so in its exit code; it ends by
//! its deadline, naming why, when a clip's status is unknown or a uuid is
//! listed twice; NDJSON events stay one per line.

use std::time::Duration;

use crate::common::*;

const A: &str = "AAAAAAAAAAAAAAAAAAAAAA";
const B: &str = "BBBBBBBBBBBBBBBBBBBBBB";

/// A clip with counts, and `more` JSON members after them.
fn clip(id: &str, status: &str, up: u32, total: u32, more: &str) -> String {
    format!(
        r#"{{"clipUuid":"{id}","status":"{status}","segmentsUploaded":{up},"totalSegments":{total}{more}}}"#
    )
}

fn body(clips: &[String]) -> String {
    format!("{{\"splicedClips\":[{}]}}", clips.join(","))
}

/// Runs a watch to its end (its own end: the simulator's clock is not driven).
fn watch(home: &Home, sim: &Sim, args: &[&str]) -> Run {
    let mut all = vec!["clips", "watch", "--interval", "1s"];
    all.extend_from_slice(args);
    let mut child = spawn(&mut against(home, sim, &all));
    let code = drive(sim, &mut child, Duration::from_secs(1), 120);
    collect(child, code)
}

#[test]
fn a_value_that_does_not_fit_is_warned_once_and_the_watch_goes_on() {
    let sim = Sim::start();
    let home = Home::new();
    let odd = r#","duration":"long""#;
    sim.answer_with([
        body(&[
            clip(A, "UPLOADING", 1, 4, odd),
            "42".into(),
            clip(B, "UPLOADING", 1, 2, ""),
        ]),
        body(&[
            clip(A, "UPLOADING", 3, 4, odd),
            "42".into(),
            clip(B, "RENDERING", 2, 2, ""),
        ]),
        body(&[
            clip(A, "COMPLETE", 4, 4, odd),
            "42".into(),
            clip(B, "COMPLETE", 2, 2, ""),
        ]),
    ]);
    let run = watch(&home, &sim, &[]);
    run.code(3)
        .stderr_has("2 value(s) in the answers did not fit");
    for line in [
        format!("{A} appeared UPLOADING 1/4"),
        format!("{A} progress 3/4"),
        format!("{B} status UPLOADING -> RENDERING"),
        format!("{A} finished COMPLETE"),
        format!("{B} finished COMPLETE"),
    ] {
        assert!(run.stdout.contains(&line), "{line}:\n{}", run.stdout);
    }
    assert_eq!(
        run.stderr.matches(".duration").count(),
        1,
        "once, not at every poll:\n{}",
        run.stderr
    );
    assert_eq!(
        run.stderr.matches("element 1 of splicedClips").count(),
        1,
        "{}",
        run.stderr
    );
}

#[test]
fn an_unknown_status_ends_the_watch_by_its_deadline_naming_it() {
    let sim = Sim::start();
    let home = Home::new();
    sim.answer_with(vec![body(&[clip(A, "ARCHIVED", 4, 4, "")]); 30]);
    let run = watch(&home, &sim, &["--deadline", "3s"]);
    run.code(1)
        .stderr_has("gave up after 3s (--deadline) with 1 clip(s) not finished")
        .stderr_has(&format!(
            "{A} (status \"ARCHIVED\" is unknown to this version)"
        ))
        .stderr_has("hint: raise --deadline");
    assert_eq!(
        run.stderr
            .matches("which this version does not know")
            .count(),
        1,
        "warned once:\n{}",
        run.stderr
    );
}

#[test]
fn a_uuid_listed_twice_ends_the_watch_by_its_deadline_naming_it() {
    let sim = Sim::start();
    let home = Home::new();
    sim.answer_with(vec![
        body(&[
            clip(A, "UPLOADING", 1, 4, ""),
            clip(A, "COMPLETE", 4, 4, "")
        ]);
        30
    ]);
    let run = watch(&home, &sim, &["--deadline", "3s"]);
    run.code(1)
        .stderr_has(&format!("{A} (its uuid is listed more than once)"));
    assert_eq!(
        run.stderr
            .matches("is listed more than once in one answer")
            .count(),
        1,
        "{}",
        run.stderr
    );
}

#[test]
fn ndjson_events_keep_every_value_on_one_line() {
    let sim = Sim::start();
    let home = Home::new();
    let deep = format!("{}1{}", "[".repeat(200), "]".repeat(200));
    let more = format!(",\"extraInfo\":{{\n \"a\" : [1,\n 2]\n}},\"deep\":{deep}");
    sim.answer_with([
        body(&[clip(A, "UPLOADING", 1, 4, &more)]),
        body(&[clip(A, "COMPLETE", 4, 4, &more)]),
    ]);
    let run = watch(&home, &sim, &["-o", "ndjson"]);
    run.code(3).stderr_has("nested deeper than");
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert!(lines.len() >= 3, "{}", run.stdout);
    for line in lines {
        assert!(line.starts_with("{\"") && line.ends_with('}'), "{line}");
        assert!(!line.contains(":null}"), "no clip printed as null: {line}");
        assert!(
            line.contains(&format!(
                ",\"extraInfo\":{{\"a\":[1,2]}},\"deep\":{deep}}}}}"
            )),
            "every value, on the one line: {line}"
        );
    }
}
