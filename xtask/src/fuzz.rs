//! `cargo xtask fuzz`: every cargo-fuzz target for a while, starting from the
//! committed corpus and past crashes.
//!
//! New inputs go to a scratch directory, so the committed corpus stays as it
//! is; crashes land in `fuzz/artifacts/<target>/` as usual.

use std::fs;
use std::path::{Path, PathBuf};

use crate::{shell, tools};

/// `cargo xtask fuzz`: runs on stable through `RUSTC_BOOTSTRAP=1` (see
/// fuzz/README.md) and installs the pinned cargo-fuzz when missing.
#[derive(clap::Args)]
pub struct Args {
    /// Seconds each target runs after the replay
    #[arg(long, default_value_t = 60, value_name = "N")]
    seconds: u64,
    /// Only replay fuzz/corpus/TARGET/ and fuzz/regressions/TARGET/
    #[arg(long)]
    replay: bool,
    /// The targets to run (default: every one)
    targets: Vec<String>,
}

/// Runs the task.
pub fn run(args: &Args) -> Result<(), String> {
    let root = shell::root();
    let all = targets(&root)?;
    if let Some(name) = args.targets.iter().find(|t| !all.contains(t)) {
        return Err(format!(
            "no fuzz target {name:?} (have: {})",
            all.join(", ")
        ));
    }
    let chosen = if args.targets.is_empty() {
        all
    } else {
        args.targets.clone()
    };
    let budget = if args.replay {
        Budget::ReplayOnly
    } else {
        Budget::Seconds(args.seconds)
    };
    fuzz(&root, &chosen, budget, Output::Stream)
}

/// Where libFuzzer's progress lines go.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Output {
    /// To the terminal, as they come.
    Stream,
    /// Kept back: one summary line per target, the tail of the log on failure (CI).
    Summary,
}

/// How long each target runs.
#[derive(Clone, Copy, Debug)]
pub enum Budget {
    /// Replay the corpus and regressions, nothing more.
    ReplayOnly,
    /// Replay, then fuzz for this many seconds.
    Seconds(u64),
}

/// Builds and runs `targets` under `root/fuzz`.
pub fn fuzz(root: &Path, targets: &[String], budget: Budget, output: Output) -> Result<(), String> {
    tools::CARGO_FUZZ.ensure()?;
    shell::run(fuzz_cargo(root).args(["fuzz", "build"]))?;
    let mut failed = Vec::new();
    for target in targets {
        println!("==> fuzz {target} ({budget:?})");
        if let Err(e) = run_target(root, target, budget, output) {
            eprintln!("{e}");
            failed.push(target.clone());
        }
    }
    if failed.is_empty() {
        Ok(())
    } else {
        Err(format!("fuzz targets failed: {}", failed.join(", ")))
    }
}

fn run_target(root: &Path, target: &str, budget: Budget, output: Output) -> Result<(), String> {
    let fuzz_dir = root.join("fuzz");
    let scratch =
        std::env::temp_dir().join(format!("rhombus-fuzz-{target}-{}", std::process::id()));
    fs::create_dir_all(&scratch)
        .map_err(|e| format!("cannot create {}: {e}", scratch.display()))?;
    let artifacts = fuzz_dir.join("artifacts").join(target);
    let before = files(&artifacts);

    let mut cmd = fuzz_cargo(root);
    cmd.args(["fuzz", "run", target]).arg(&scratch);
    for dir in ["corpus", "regressions"] {
        let d = fuzz_dir.join(dir).join(target);
        if d.is_dir() {
            cmd.arg(d);
        }
    }
    cmd.args([
        "--",
        "-timeout=10",
        "-rss_limit_mb=4096",
        "-print_final_stats=1",
    ]);
    match budget {
        Budget::ReplayOnly => cmd.arg("-runs=0"),
        Budget::Seconds(s) => cmd.arg(format!("-max_total_time={s}")),
    };
    let result = match output {
        Output::Stream => shell::run(&mut cmd),
        Output::Summary => summarized(&mut cmd),
    };
    let _ = fs::remove_dir_all(&scratch);
    if result.is_ok() {
        return Ok(());
    }
    let found: Vec<PathBuf> = files(&artifacts)
        .into_iter()
        .filter(|f| !before.contains(f))
        .collect();
    let mut msg = format!("fuzz target {target} failed");
    for f in &found {
        let rel = f.strip_prefix(&fuzz_dir).unwrap_or(f);
        msg.push_str(&format!(
            "\n  reproducer: fuzz/{}\n  replay:     cd fuzz && RUSTC_BOOTSTRAP=1 cargo fuzz run {target} {}\n  then copy it to fuzz/regressions/{target}/ with a name saying what broke",
            rel.display(),
            rel.display()
        ));
    }
    Err(msg)
}

/// Runs libFuzzer with its output captured: prints its final line on success
/// and the last lines of its log on failure.
fn summarized(cmd: &mut std::process::Command) -> Result<(), String> {
    let out = cmd
        .stdin(std::process::Stdio::null())
        .output()
        .map_err(|e| format!("cannot run {}: {e}", shell::describe(cmd)))?;
    let log = String::from_utf8_lossy(&out.stderr);
    if out.status.success() {
        let done = log
            .lines()
            .rev()
            .find(|l| l.starts_with("Done "))
            .unwrap_or("done");
        println!("{done}");
        return Ok(());
    }
    for line in failure_excerpt(&log) {
        eprintln!("{line}");
    }
    Err(format!("{} failed ({})", shell::describe(cmd), out.status))
}

/// The lines of a failed libFuzzer log worth showing: the panic message
/// (with the two lines after it), libFuzzer's summary and where it wrote the
/// input, rather than the sanitizer's long stack trace.
pub fn failure_excerpt(log: &str) -> Vec<&str> {
    let lines: Vec<&str> = log.lines().collect();
    let mut keep = vec![false; lines.len()];
    for (i, line) in lines.iter().enumerate() {
        if line.contains("panicked at") {
            for k in keep.iter_mut().skip(i).take(3) {
                *k = true;
            }
        }
        if line.starts_with("SUMMARY:")
            || line.contains("Test unit written to")
            || line.contains("ERROR: libFuzzer")
            || line.contains("ERROR: AddressSanitizer")
        {
            keep[i] = true;
        }
    }
    let picked: Vec<&str> = lines
        .iter()
        .zip(&keep)
        .filter(|(_, k)| **k)
        .map(|(l, _)| *l)
        .collect();
    if picked.is_empty() {
        lines[lines.len().saturating_sub(40)..].to_vec()
    } else {
        picked
    }
}

/// The fuzz targets: the binaries of `fuzz/Cargo.toml`, as cargo reads it.
pub fn targets(root: &Path) -> Result<Vec<String>, String> {
    let meta = shell::metadata(&root.join("fuzz"), &["--no-deps"])?;
    let targets = meta["packages"].as_array().into_iter().flatten();
    let targets = targets.flat_map(|p| p["targets"].as_array().into_iter().flatten());
    let bins = targets.filter(|t| {
        t["kind"]
            .as_array()
            .is_some_and(|k| k.iter().any(|k| k == "bin"))
    });
    Ok(bins
        .filter_map(|t| Some(t["name"].as_str()?.to_owned()))
        .collect())
}

/// Cargo in `fuzz/`, with the unstable flags cargo-fuzz needs allowed on stable.
fn fuzz_cargo(root: &Path) -> std::process::Command {
    let mut cmd = shell::cargo_in(&root.join("fuzz"));
    cmd.env("RUSTC_BOOTSTRAP", "1");
    cmd
}

fn files(dir: &Path) -> Vec<PathBuf> {
    fs::read_dir(dir)
        .map(|entries| entries.flatten().map(|e| e.path()).collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failure_excerpt_shows_the_panic_not_the_stack() {
        let log = "INFO: Seed: 1\n#100 NEW cov: 5\n\nthread '<unnamed>' panicked at src/oracle.rs:17:23:\ndecode accepted input serde_json rejects\nstack backtrace:\n   0: frame\n   1: frame\n==1== ERROR: libFuzzer: deadly signal\n    #0 0x1 in f\nSUMMARY: libFuzzer: deadly signal\nTest unit written to artifacts/t/crash-1\n";
        assert_eq!(
            failure_excerpt(log),
            [
                "thread '<unnamed>' panicked at src/oracle.rs:17:23:",
                "decode accepted input serde_json rejects",
                "stack backtrace:",
                "==1== ERROR: libFuzzer: deadly signal",
                "SUMMARY: libFuzzer: deadly signal",
                "Test unit written to artifacts/t/crash-1",
            ]
        );
        assert_eq!(failure_excerpt("a\nb\n"), ["a", "b"]);
    }

    #[test]
    fn the_repository_has_the_documented_targets() {
        let names = targets(&shell::root()).expect("fuzz/Cargo.toml");
        for t in ["decode", "drivers", "generated"] {
            assert!(names.iter().any(|n| n == t), "{t} missing from {names:?}");
            assert!(
                shell::root().join("fuzz/corpus").join(t).is_dir(),
                "no seed corpus for {t}"
            );
        }
    }
}
