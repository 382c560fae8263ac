//! `sim`, `demo`, `completions`, `man`, `--help`.

#[cfg(feature = "sim")]
use std::io::{BufRead, BufReader};

use crate::common::*;

#[cfg(feature = "sim")]
#[test]
fn sim_prints_its_url_and_a_command_that_works() {
    let home = Home::new();
    let mut child = spawn(rhombus(&home).args(["sim", "--for", "20s", "--accept-key", KEY]));
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let (mut url, mut command) = (String::new(), String::new());
    stdout.read_line(&mut url).unwrap();
    stdout.read_line(&mut command).unwrap();
    let url = url.trim();
    assert!(url.starts_with("http://127.0.0.1:"), "{url}");
    assert_eq!(
        command.trim(),
        format!("rhombus --endpoint-url {url} --api-key {KEY} clips watch")
    );
    let list = run(rhombus(&home).args([
        "--endpoint-url",
        url,
        "--api-key",
        KEY,
        "clips",
        "ls",
        "-o",
        "ndjson",
    ]));
    list.code(0);
    assert!(!list.ndjson().is_empty());
    let _ = child.kill();
    let _ = child.wait();
}

#[cfg(feature = "sim")]
#[test]
fn demo_runs_and_ends_by_itself() {
    let home = Home::new();
    let run = run(rhombus(&home).arg("demo"));
    run.code(0).stderr_has("5 clips: ");
    assert_eq!(
        run.stdout
            .lines()
            .filter(|l| l.contains(" appeared "))
            .count(),
        5
    );
    assert!(run.stdout.contains(" finished COMPLETE"));
    assert!(run.stdout.contains(" finished FAILED"));
}

/// Without the `sim` feature, `sim` and `demo` (with any flags) are a usage
/// error that says how to get them.
#[cfg(not(feature = "sim"))]
#[test]
fn a_build_without_the_simulator_says_how_to_get_it() {
    let home = Home::new();
    for args in [&["demo"][..], &["sim", "--port", "0", "--preset", "demo"]] {
        run(rhombus(&home).args(args))
            .code(2)
            .stderr_has("installed without the simulator (the `sim` feature)")
            .stderr_has("hint: reinstall with the default features: `cargo install rhombus-cli`");
    }
    let help = run(rhombus(&home).arg("--help"));
    help.code(0);
    assert!(help.stdout.contains("Not in this build"), "{}", help.stdout);
}

#[test]
fn completions_and_man_page() {
    let home = Home::new();
    let bash = run(rhombus(&home).args(["completions", "bash"]));
    bash.code(0);
    assert!(bash.stdout.contains("rhombus") && bash.stdout.contains("in-progress"));
    let man = run(rhombus(&home).arg("man"));
    man.code(0);
    assert!(man.stdout.contains(".TH rhombus"));
}

#[test]
fn help_documents_the_exit_codes() {
    let home = Home::new();
    let help = run(rhombus(&home).arg("--help"));
    help.code(0);
    for code in ["0 ", "1 ", "2 ", "3 ", "130"] {
        assert!(help.stdout.contains(&format!("  {code}")), "{code}");
    }
    run(rhombus(&home).arg("--no-such-flag")).code(2);
}
