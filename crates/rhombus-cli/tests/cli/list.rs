//! `clips in-progress` (alias `ls`): every output format and filter.

use std::collections::BTreeSet;

use crate::common::*;

fn ids(clips: &[serde_json::Value]) -> BTreeSet<String> {
    clips
        .iter()
        .map(|c| c["clipUuid"].as_str().unwrap_or_default().to_owned())
        .collect()
}

#[test]
fn json_is_the_whole_response_as_decoded() {
    let sim = Sim::start();
    let home = Home::new();
    // Piped stdout: JSON by default.
    let run = run(&mut against(&home, &sim, &["clips", "in-progress"]));
    run.code(0).no_key();
    let printed: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON");
    let expected = without_nulls(sim.expected_json());
    assert_eq!(
        json_diff(&without_nulls(printed), &expected, ""),
        None,
        "unknown fields survive"
    );
    assert!(
        run.stdout.contains("\"parentClipUuid\""),
        "a field the spec lacks"
    );
}

#[test]
fn ndjson_has_one_clip_per_line() {
    let sim = Sim::start();
    let home = Home::new();
    let run = run(&mut against(
        &home,
        &sim,
        &["clips", "ls", "--output", "ndjson"],
    ));
    run.code(0);
    let lines = run.ndjson();
    assert!(!lines.is_empty());
    assert_eq!(ids(&lines), ids(&sim.clips()));
    assert_eq!(lines.len(), sim.clips().len());
}

#[test]
fn csv_has_a_header_and_a_row_per_clip() {
    let sim = Sim::start();
    let home = Home::new();
    let run = run(&mut against(&home, &sim, &["clips", "ls", "-o", "csv"]));
    run.code(0);
    let mut lines = run.stdout.lines();
    assert!(lines.next().unwrap().starts_with("clip_uuid,title,status,"));
    let rows: BTreeSet<String> = lines
        .map(|l| l.split(',').next().unwrap().to_owned())
        .collect();
    assert_eq!(rows, ids(&sim.clips()));
}

#[test]
fn table_lists_every_clip() {
    let sim = Sim::start();
    let home = Home::new();
    let run = run(&mut against(&home, &sim, &["clips", "ls", "-o", "table"]));
    run.code(0);
    let mut lines = run.stdout.lines();
    let header: Vec<&str> = lines.next().unwrap().split_whitespace().collect();
    assert_eq!(
        header,
        [
            "CLIP", "TITLE", "STATUS", "PROGRESS", "DEVICES", "STARTED", "DURATION"
        ]
    );
    assert_eq!(lines.count(), sim.clips().len());
    for id in ids(&sim.clips()) {
        assert!(run.stdout.contains(&id), "{id} missing");
    }
    assert!(!run.stdout.contains('\x1b'), "no color when not a terminal");
    let colored = crate::common::run(&mut against(
        &home,
        &sim,
        &["clips", "ls", "-o", "table", "--color", "always"],
    ));
    assert!(colored.stdout.contains("\x1b[33mUPLOADING\x1b[0m"));
}

#[test]
fn environment_selects_the_output_format() {
    let sim = Sim::start();
    let home = Home::new();
    let run = run(against(&home, &sim, &["clips", "ls"]).env("RHOMBUS_OUTPUT", "csv"));
    run.code(0);
    assert!(run.stdout.starts_with("clip_uuid,"));
}

#[test]
fn status_filter_is_repeatable() {
    let sim = Sim::start();
    let home = Home::new();
    let clips = sim.clips();
    let statuses: BTreeSet<&str> = clips.iter().filter_map(|c| c["status"].as_str()).collect();
    assert!(statuses.len() >= 2, "the scenario has several statuses");
    let mut chosen = statuses.iter().take(2);
    let (a, b) = (*chosen.next().unwrap(), *chosen.next().unwrap());
    let expected: BTreeSet<String> = ids(&clips
        .iter()
        .filter(|c| c["status"] == a || c["status"] == b)
        .cloned()
        .collect::<Vec<_>>());
    let run = run(&mut against(
        &home,
        &sim,
        &[
            "clips",
            "ls",
            "-o",
            "ndjson",
            "--status",
            a,
            "--status",
            &b.to_lowercase(),
        ],
    ));
    run.code(0);
    assert_eq!(ids(&run.ndjson()), expected);

    let json = crate::common::run(&mut against(&home, &sim, &["clips", "ls", "--status", a]));
    let value: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    let kept = value["splicedClips"].as_array().unwrap();
    assert!(!kept.is_empty() && kept.iter().all(|c| c["status"] == a));
}

#[test]
fn device_filter_matches_with_or_without_facet() {
    let sim = Sim::start();
    let home = Home::new();
    let clips = sim.clips();
    let key = clips
        .iter()
        .find_map(|c| c["deviceMap"].as_object()?.keys().next().cloned())
        .expect("a clip with a deviceMap");
    let device = key.split('.').next().unwrap().to_owned();
    let involves = |c: &serde_json::Value, wanted: &str| {
        let in_map = |m: &str| {
            c[m].as_object().is_some_and(|o| {
                o.keys()
                    .any(|k| k == wanted || k.split('.').next() == Some(wanted))
            })
        };
        c["deviceUuid"]
            .as_str()
            .is_some_and(|d| d == wanted || d.split('.').next() == Some(wanted))
            || in_map("deviceMap")
            || in_map("deviceUuidMap")
    };
    for wanted in [&key, &device] {
        let run = run(&mut against(
            &home,
            &sim,
            &["clips", "ls", "-o", "ndjson", "--device", wanted],
        ));
        run.code(0);
        let expected = ids(&clips
            .iter()
            .filter(|c| involves(c, wanted))
            .cloned()
            .collect::<Vec<_>>());
        assert!(!expected.is_empty());
        assert_eq!(ids(&run.ndjson()), expected, "--device {wanted}");
    }
    let none = run(&mut against(
        &home,
        &sim,
        &["clips", "ls", "-o", "ndjson", "--device", "NOSUCHDEVICE"],
    ));
    none.code(0);
    assert_eq!(none.stdout, "");
}

#[test]
fn a_warning_goes_to_stderr_and_data_to_stdout() {
    let sim = Sim::start();
    let home = Home::new();
    sim.push_fault(rhombus_sim::Fault::Warning(
        "Results may be incomplete".into(),
    ));
    let run = run(&mut against(&home, &sim, &["clips", "ls", "-o", "ndjson"]));
    run.code(0)
        .stderr_has("warning: the Rhombus API says: Results may be incomplete");
    assert_eq!(run.ndjson().len(), sim.clips().len());
}
