//! `clips watch`: piped lines, NDJSON events, a real pseudo-terminal, Ctrl-C.

use std::io::{BufRead, BufReader, Read};
use std::process::Command;
use std::time::Duration;

use crate::common::*;

const STEP: Duration = Duration::from_secs(10);
const MAX_STEPS: u32 = 300;

#[test]
fn piped_stdout_gets_one_plain_line_per_change() {
    let sim = Sim::quick();
    let home = Home::new();
    let first: Vec<String> = sim
        .clips()
        .iter()
        .map(|c| c["clipUuid"].as_str().unwrap().to_owned())
        .collect();
    assert!(!first.is_empty());
    let mut child = spawn(&mut against(
        &home,
        &sim,
        &["clips", "watch", "--interval", "1s"],
    ));
    let code = drive(&sim, &mut child, STEP, MAX_STEPS);
    let run = collect(child, code);
    run.code(0).no_key();
    assert!(!run.stdout.contains('\x1b'), "no escape codes when piped");
    for id in &first {
        assert!(
            run.stdout.contains(&format!("{id} appeared ")),
            "{id} appeared\n{}",
            run.stdout
        );
    }
    assert!(run.stdout.contains(" finished "), "{}", run.stdout);
    assert!(run.stdout.contains(" status "), "{}", run.stdout);
    assert!(run.stdout.lines().all(|l| l.len() > 22), "{}", run.stdout);
    run.stderr_has(" clips: ");
}

#[test]
fn ndjson_streams_change_events() {
    let sim = Sim::quick();
    let home = Home::new();
    sim.push_faults(vec![
        rhombus_sim::Fault::Warning(
            "Results may be incomplete".into()
        );
        3
    ]);
    let mut child = spawn(&mut against(
        &home,
        &sim,
        &["clips", "watch", "--interval", "1s", "-o", "ndjson"],
    ));
    let code = drive(&sim, &mut child, STEP, MAX_STEPS);
    let run = collect(child, code);
    run.code(0);
    let events = run.ndjson();
    let kinds: std::collections::BTreeSet<&str> =
        events.iter().filter_map(|e| e["event"].as_str()).collect();
    assert!(
        kinds.contains("appeared") && kinds.contains("terminal"),
        "{kinds:?}"
    );
    for e in &events {
        assert_eq!(
            e["clip"]["clipUuid"], e["clipUuid"],
            "each event carries its clip"
        );
    }
    assert_eq!(
        run.stderr.matches("Results may be incomplete").count(),
        1,
        "a repeated warning is shown once:\n{}",
        run.stderr
    );
    let changed = events
        .iter()
        .find(|e| e["event"] == "status_changed")
        .expect("a status change");
    assert_ne!(changed["previousStatus"], changed["status"]);
}

#[test]
fn clip_flag_ends_when_that_clip_finishes() {
    let sim = Sim::quick();
    let home = Home::new();
    let clip = sim
        .clips()
        .iter()
        .find(|c| !["COMPLETE", "FAILED", "DELETED"].contains(&c["status"].as_str().unwrap_or("")))
        .and_then(|c| c["clipUuid"].as_str().map(str::to_owned))
        .expect("a clip in progress");
    let mut child = spawn(&mut against(
        &home,
        &sim,
        &["clips", "watch", "--interval", "1s", "--clip", &clip],
    ));
    let code = drive(&sim, &mut child, STEP, MAX_STEPS);
    let run = collect(child, code);
    run.code(0);
    assert!(
        run.stdout.lines().all(|l| l.starts_with(&clip)),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains(&format!("{clip} finished "))
            || run.stdout.contains(&format!("{clip} disappeared")),
        "{}",
        run.stdout
    );
}

#[test]
fn clip_flag_for_a_clip_not_in_progress_ends_after_the_first_poll() {
    let sim = Sim::quick();
    let home = Home::new();
    let mut child = spawn(&mut against(
        &home,
        &sim,
        &[
            "clips",
            "watch",
            "--interval",
            "1s",
            "--clip",
            "NOTACLIPAAAAAAAAAAAAAA",
        ],
    ));
    let code = drive(&sim, &mut child, STEP, MAX_STEPS);
    let run = collect(child, code);
    run.code(1);
    run.stderr_has("clip NOTACLIPAAAAAAAAAAAAAA is not among the clips in progress");
    run.stderr_has("rhombus clips ls");
    assert_eq!(sim.requests().len(), 1, "one poll");
}

#[test]
fn ctrl_c_prints_a_summary_and_exits_130() {
    let sim = Sim::start();
    let home = Home::new();
    // The Go CLI's usual `output = json` is for one-shot calls: still plain lines.
    home.write("config", "[default]\noutput = json\n", 0o600);
    let mut child = spawn(&mut against(&home, &sim, &["clips", "watch"]));
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    stdout.read_line(&mut line).unwrap();
    assert!(line.contains(" appeared "), "{line}");
    let status = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .expect("kill");
    assert!(status.success());
    let mut rest = String::new();
    stdout.read_to_string(&mut rest).unwrap();
    let code = child.wait().unwrap().code();
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    assert_eq!(code, Some(130), "{stderr}");
    assert!(stderr.contains("interrupted; "), "{stderr}");
    assert!(stderr.contains(" clips: "), "{stderr}");
}

#[test]
fn a_fatal_poll_failure_ends_the_watch_with_exit_1() {
    let sim = Sim::start();
    let home = Home::new();
    let run = run(rhombus(&home).args([
        "--endpoint-url",
        &sim.url(),
        "--api-key",
        "sEcReT-wrong-key-98765",
        "clips",
        "watch",
    ]));
    run.code(1).stderr_has("HTTP 403").stderr_has("hint:");
    assert!(!run.stderr.contains("sEcReT-wrong-key-98765"));
}

/// Runs the watch on a pseudo-terminal (stdout and stderr both on it).
#[test]
fn bars_render_and_finish_in_a_terminal() {
    use portable_pty::{CommandBuilder, PtySize, native_pty_system};

    let sim = Sim::quick();
    let home = Home::new();
    let pair = native_pty_system()
        .openpty(PtySize {
            rows: 40,
            cols: 120,
            pixel_width: 0,
            pixel_height: 0,
        })
        .expect("open a pseudo-terminal");
    let mut command = CommandBuilder::new(env!("CARGO_BIN_EXE_rhombus"));
    command.env_clear();
    command.env("HOME", home.path());
    command.env("PATH", "/usr/bin:/bin");
    command.env("TERM", "xterm");
    let url = sim.url();
    command.args([
        "--endpoint-url",
        &url,
        "--api-key",
        KEY,
        "clips",
        "watch",
        "--interval",
        "1s",
    ]);
    let mut child = pair
        .slave
        .spawn_command(command)
        .expect("spawn on the terminal");
    drop(pair.slave);
    // Read all along, so a full terminal buffer never blocks the watch.
    let mut reader = pair.master.try_clone_reader().expect("terminal reader");
    let screen = std::thread::spawn(move || {
        let mut bytes = Vec::new();
        // The read ends in EIO or EOF once the watch has exited.
        let _ = reader.read_to_end(&mut bytes);
        String::from_utf8_lossy(&bytes).into_owned()
    });
    let mut code = None;
    for step in 0..MAX_STEPS {
        if let Some(status) = child.try_wait().expect("try_wait") {
            code = Some(status.exit_code());
            break;
        }
        if !sim.requests().is_empty() {
            sim.advance(STEP);
        }
        assert!(step + 1 < MAX_STEPS, "the watch did not end");
        std::thread::sleep(Duration::from_millis(200));
    }
    drop(pair.master);
    let screen = screen.join().expect("reader thread");
    assert_eq!(code, Some(0), "{screen}");
    assert!(!screen.contains(KEY), "the key reached the terminal");
    assert!(
        screen.contains("\x1b["),
        "the bars redraw with escape codes"
    );
    assert!(screen.contains("===="), "a bar is drawn:\n{screen}");
    assert!(screen.contains("COMPLETE") || screen.contains("FAILED"));
    assert!(screen.contains(" clips: "), "the summary follows the bars");
    assert!(
        !screen.contains(" appeared "),
        "no plain lines on a terminal"
    );
}
