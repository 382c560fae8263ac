//! `cargo xtask ci`: everything `.ci/run` checks, in one place.

use std::path::Path;
use std::time::Instant;

use crate::flags::Flags;
use crate::fuzz::{self, Budget, Output};
use crate::{api, shell};

const USAGE: &str = "usage: cargo xtask ci [--fuzz-seconds N] [--no-fuzz] [--only STEP]
  steps: fmt, clippy, test, doc, tree, api, fuzz (each target N seconds, default 20)";

/// Crates the model must never pull in: it is types only.
const MODEL_FORBIDDEN: &[&str] = &["tokio", "reqwest", "hyper", "clap", "axum"];
/// Crates the transport's default features must not pull in: TLS is rustls.
const TRANSPORT_FORBIDDEN: &[&str] = &["openssl", "openssl-sys", "native-tls"];

/// What to run.
#[derive(Clone, Debug)]
pub struct Options {
    /// Seconds each fuzz target runs (0 skips fuzzing).
    pub fuzz_seconds: u64,
    /// Run only this step.
    pub only: Option<String>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            fuzz_seconds: 20,
            only: None,
        }
    }
}

type StepFn = fn(&Path, &Options) -> Result<(), String>;

const STEPS: &[(&str, StepFn)] = &[
    ("fmt", fmt),
    ("clippy", clippy),
    ("test", test),
    ("doc", doc),
    ("tree", tree),
    ("api", api_check),
    ("fuzz", fuzz_step),
];

/// Runs the task.
pub fn run(args: &[String]) -> Result<(), String> {
    let Some(flags) =
        Flags::parse_or_help(args, USAGE, &["--no-fuzz"], &["--fuzz-seconds", "--only"])?
    else {
        return Ok(());
    };
    let mut options = Options::default();
    if let Some(s) = flags.value("--fuzz-seconds")? {
        options.fuzz_seconds = s;
    }
    if flags.has("--no-fuzz") {
        options.fuzz_seconds = 0;
    }
    options.only = flags.value("--only")?;
    if let Some(only) = &options.only {
        if !STEPS.iter().any(|(name, _)| name == only) {
            return Err(format!("no CI step {only:?}\n{USAGE}"));
        }
    }
    run_all(&shell::root(), &options)
}

/// Runs every step (or the chosen one), stopping at the first failure.
pub fn run_all(root: &Path, options: &Options) -> Result<(), String> {
    let start = Instant::now();
    for (name, step) in STEPS {
        if options.only.as_deref().is_some_and(|only| only != *name) {
            continue;
        }
        let t = Instant::now();
        println!("==> ci: {name}");
        step(root, options).map_err(|e| format!("ci step {name} failed: {e}"))?;
        println!("==> ci: {name} ok ({}s)", t.elapsed().as_secs());
    }
    println!("==> ci: all steps passed ({}s)", start.elapsed().as_secs());
    Ok(())
}

fn fmt(root: &Path, _: &Options) -> Result<(), String> {
    shell::run(shell::cargo_in(root).args(["fmt", "--all", "--", "--check"]))
}

fn clippy(root: &Path, _: &Options) -> Result<(), String> {
    shell::run(shell::cargo_in(root).args([
        "clippy",
        "--workspace",
        "--all-targets",
        "--",
        "-D",
        "warnings",
    ]))
}

fn test(root: &Path, _: &Options) -> Result<(), String> {
    shell::run(shell::cargo_in(root).args(["test", "--workspace"]))
}

/// The API docs build without warnings (broken or private intra-doc links),
/// as docs.rs will build them.
fn doc(root: &Path, _: &Options) -> Result<(), String> {
    shell::run(
        shell::cargo_in(root)
            .args(["doc", "--workspace", "--no-deps"])
            .env("RUSTDOCFLAGS", "-D warnings"),
    )
}

fn tree(root: &Path, _: &Options) -> Result<(), String> {
    for (krate, forbidden, why) in [
        ("rhombus-model", MODEL_FORBIDDEN, "the model is types only"),
        (
            "rhombus-transport",
            TRANSPORT_FORBIDDEN,
            "default TLS is rustls",
        ),
    ] {
        let out = shell::capture(shell::cargo_in(root).args([
            "tree", "-p", krate, "-e", "normal", "--prefix", "none", "--format", "{p}",
        ]))?;
        let found = forbidden_in(&out, forbidden);
        if !found.is_empty() {
            return Err(format!(
                "{krate} depends on {} ({why}); see `cargo tree -p {krate} -e normal -i {}`",
                found.join(", "),
                found[0]
            ));
        }
        println!(
            "{krate}: none of {} in its dependency tree",
            forbidden.join(", ")
        );
    }
    Ok(())
}

/// The forbidden crate names present in `cargo tree --prefix none` output.
pub fn forbidden_in(tree: &str, forbidden: &[&str]) -> Vec<String> {
    let mut found: Vec<String> = tree
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .filter(|name| forbidden.contains(name))
        .map(str::to_owned)
        .collect();
    found.sort();
    found.dedup();
    found
}

fn api_check(root: &Path, _: &Options) -> Result<(), String> {
    api::check(root)
}

fn fuzz_step(root: &Path, options: &Options) -> Result<(), String> {
    if options.fuzz_seconds == 0 {
        println!("fuzzing skipped (--no-fuzz)");
        return Ok(());
    }
    let targets = fuzz::targets(root)?;
    fuzz::fuzz(
        root,
        &targets,
        Budget::Seconds(options.fuzz_seconds),
        Output::Summary,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forbidden_crates_are_found_by_exact_name() {
        let tree = "rhombus-model v0.1.0 (/w/crates/rhombus-model)\nserde v1.0.1\ntokio-util v0.7.0\nhyper v1.0.0\nhyper v1.0.0\n";
        assert_eq!(forbidden_in(tree, MODEL_FORBIDDEN), ["hyper"]);
        assert!(forbidden_in("rhombus-model v0.1.0\nserde v1\n", MODEL_FORBIDDEN).is_empty());
    }
}
