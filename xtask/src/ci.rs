//! `cargo xtask ci`: everything `.ci/run` checks, in one place.

use std::path::Path;
use std::time::Instant;

use serde_json::Value;

use crate::fuzz::{self, Budget, Output};
use crate::{api, package, shell, tools};

/// Crates the model must never pull in: it is types only.
const MODEL_FORBIDDEN: &[&str] = &["tokio", "reqwest", "hyper", "clap", "axum"];
/// Crates the transport's default features must not pull in: TLS is rustls.
const TRANSPORT_FORBIDDEN: &[&str] = &["openssl", "openssl-sys", "native-tls"];
/// What the lean CLI (`--no-default-features`) must not pull in: any server.
const LEAN_CLI_FORBIDDEN: &[&str] = &["rhombus-sim", "axum", "hyper/server", "hyper-util/server"];
/// The CLI without its default feature (no simulator).
const LEAN_CLI: &str = "-p rhombus-cli --no-default-features";

/// What to run.
#[derive(clap::Args, Clone, Debug)]
pub struct Options {
    /// Seconds each fuzz target runs
    #[arg(long, default_value_t = 20, value_name = "N")]
    pub fuzz_seconds: u64,
    /// Skip fuzzing
    #[arg(long)]
    pub no_fuzz: bool,
    /// Run only this step
    #[arg(long, value_name = "STEP", value_parser = STEPS.map(|(name, _)| name))]
    pub only: Option<String>,
}

type StepFn = fn(&Path, &Options) -> Result<(), String>;

const STEPS: [(&str, StepFn); 11] = [
    ("fmt", fmt),
    ("clippy", clippy),
    ("msrv", msrv),
    ("test", test),
    ("native-tls", native_tls),
    ("doc", doc),
    ("tree", tree),
    ("deps", deps),
    ("package", package),
    ("api", api_check),
    ("fuzz", fuzz_step),
];

/// Runs the task.
pub fn run(options: &Options) -> Result<(), String> {
    run_all(&shell::root(), options)
}

/// Runs every step (or the chosen one), stopping at the first failure.
pub fn run_all(root: &Path, options: &Options) -> Result<(), String> {
    let start = Instant::now();
    for (name, step) in STEPS {
        if options.only.as_deref().is_some_and(|only| only != name) {
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

/// Runs `cargo` with the space-separated `args` in `root`.
fn cargo(root: &Path, args: &str) -> Result<(), String> {
    shell::run(shell::cargo_in(root).args(args.split_whitespace()))
}

fn fmt(root: &Path, _: &Options) -> Result<(), String> {
    cargo(root, "fmt --all -- --check")
}

/// Clippy over everything, and over the lean CLI; `incompatible_msrv`
/// (denied in `[workspace.lints]`) holds the code to the declared `rust-version`.
fn clippy(root: &Path, _: &Options) -> Result<(), String> {
    cargo(root, "clippy --workspace --all-targets -- -D warnings")?;
    cargo(
        root,
        &format!("clippy {LEAN_CLI} --all-targets -- -D warnings"),
    )
}

/// No dependency in the lock file declares a `rust-version` above ours
/// (clippy checks our own code; this, what we build on).
fn msrv(root: &Path, _: &Options) -> Result<(), String> {
    let meta = shell::metadata(root, &["--locked"])?;
    let cli = meta["packages"].as_array().into_iter().flatten();
    let cli = cli
        .filter(|p| p["name"] == "rhombus-cli")
        .find_map(|p| p["rust_version"].as_str());
    let ours = cli.ok_or("rhombus-cli declares no rust-version")?;
    let newer = newer_than(&meta, ours);
    if !newer.is_empty() {
        return Err(format!(
            "these need a newer Rust than rust-version {ours}: {}; pin them back (cargo update -p NAME --precise V) or raise rust-version",
            newer.join(", ")
        ));
    }
    println!("every dependency builds on Rust {ours}, the declared rust-version");
    Ok(())
}

/// `name version (needs X)` for every package in `cargo metadata` output whose
/// `rust_version` is above `ours`.
pub fn newer_than(meta: &Value, ours: &str) -> Vec<String> {
    let parse = |v: &str| {
        let mut n = [0u64; 3];
        for (slot, part) in n.iter_mut().zip(v.split('.')) {
            *slot = part.parse().unwrap_or(0);
        }
        n
    };
    let ours = parse(ours);
    meta["packages"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|p| {
            let needs = p["rust_version"].as_str()?;
            let (name, version) = (p["name"].as_str()?, p["version"].as_str()?);
            (parse(needs) > ours).then(|| format!("{name} {version} (needs {needs})"))
        })
        .collect()
}

/// An address nothing listens at, given to every proxy variable while the
/// tests run: a test that went through a proxy instead of straight to
/// loopback fails.
const DEAD_PROXY: &str = "http://127.0.0.1:9";
const PROXY_VARS: [&str; 6] = [
    "HTTP_PROXY",
    "HTTPS_PROXY",
    "ALL_PROXY",
    "http_proxy",
    "https_proxy",
    "all_proxy",
];

/// The workspace's tests and the lean CLI's, built first (building may
/// fetch) and then run offline with every proxy variable at [`DEAD_PROXY`];
/// then the fuzz corpus and past crashes replayed on stable (`fuzz/` is
/// its own workspace, outside `--workspace`).
fn test(root: &Path, _: &Options) -> Result<(), String> {
    for what in ["--workspace", LEAN_CLI] {
        cargo(root, &format!("test {what} --no-run"))?;
        let mut cmd = shell::cargo_in(root);
        cmd.args(format!("test {what}").split_whitespace())
            .env("CARGO_NET_OFFLINE", "true");
        for var in PROXY_VARS {
            cmd.env(var, DEAD_PROXY);
        }
        shell::run(&mut cmd)?;
    }
    shell::run(shell::cargo_in(&root.join("fuzz")).arg("test"))
}

/// The transport on its other TLS backend: clippy, its unit tests and the
/// refused-certificate tests (OpenSSL's headers are installed with apt-get
/// when pkg-config cannot find them).
fn native_tls(root: &Path, _: &Options) -> Result<(), String> {
    let openssl = || {
        shell::output(std::process::Command::new("pkg-config").args(["--exists", "openssl"]))
            .is_some()
    };
    if !openssl() {
        println!("==> installing libssl-dev and pkg-config (apt-get)");
        shell::run(std::process::Command::new("apt-get").args(["update", "-qq"]))?;
        shell::run(std::process::Command::new("apt-get").args([
            "install",
            "-y",
            "-qq",
            "libssl-dev",
            "pkg-config",
        ]))?;
    }
    let build = "-p rhombus-transport --no-default-features --features native-tls";
    cargo(
        root,
        &format!("clippy {build} --all-targets -- -D warnings"),
    )?;
    cargo(root, &format!("test {build} --lib --test tls"))
}

/// No unused dependency (cargo-machete, a source scan).
fn deps(root: &Path, _: &Options) -> Result<(), String> {
    tools::MACHETE.ensure()?;
    cargo(root, "machete")
}

/// Every publishable crate packages and its package builds.
fn package(root: &Path, _: &Options) -> Result<(), String> {
    package::run(root)
}

/// The API docs build without warnings (broken or private intra-doc links),
/// as docs.rs will build them.
fn doc(root: &Path, _: &Options) -> Result<(), String> {
    let doc = ["doc", "--workspace", "--no-deps"];
    shell::run(
        shell::cargo_in(root)
            .args(doc)
            .env("RUSTDOCFLAGS", "-D warnings"),
    )
}

fn tree(root: &Path, _: &Options) -> Result<(), String> {
    for (what, forbidden, why) in [
        (
            "-p rhombus-model",
            MODEL_FORBIDDEN,
            "the model is types only",
        ),
        (
            "-p rhombus-transport",
            TRANSPORT_FORBIDDEN,
            "default TLS is rustls",
        ),
        (LEAN_CLI, LEAN_CLI_FORBIDDEN, "the lean CLI has no server"),
    ] {
        let args = format!("tree {what} -e normal --prefix none --format");
        let out = shell::capture(
            shell::cargo_in(root)
                .args(args.split_whitespace())
                .arg("{p} [{f}]"),
        )?;
        let found = forbidden_in(&out, forbidden);
        if !found.is_empty() {
            return Err(format!(
                "{what} depends on {} ({why}); see `cargo tree {what} -e normal,features -i {}`",
                found.join(", "),
                found[0].split('/').next().unwrap_or_default()
            ));
        }
        println!(
            "{what}: none of {} in its dependency tree",
            forbidden.join(", ")
        );
    }
    Ok(())
}

/// The forbidden entries present in `cargo tree --prefix none --format "{p} [{f}]"`
/// output: a crate by name, or `crate/feature` for one of its features.
pub fn forbidden_in(tree: &str, forbidden: &[&str]) -> Vec<String> {
    let mut found: Vec<String> = tree
        .lines()
        .flat_map(|line| {
            let name = line.split_whitespace().next().unwrap_or_default();
            let features = line
                .rsplit_once('[')
                .map_or("", |(_, f)| f.trim_end_matches([']', ' ', ')', '*', '(']));
            forbidden
                .iter()
                .filter(move |entry| match entry.split_once('/') {
                    Some((krate, feature)) => {
                        krate == name && features.split(',').any(|f| f == feature)
                    }
                    None => **entry == name,
                })
        })
        .map(|entry| (*entry).to_owned())
        .collect();
    found.sort();
    found.dedup();
    found
}

fn api_check(root: &Path, _: &Options) -> Result<(), String> {
    api::check(root, None)
}

fn fuzz_step(root: &Path, options: &Options) -> Result<(), String> {
    if options.no_fuzz || options.fuzz_seconds == 0 {
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
        let tree = "rhombus-model v0.1.0 (/w/crates/rhombus-model) []\nserde v1.0.1 [derive]\ntokio-util v0.7.0 []\nhyper v1.0.0 [client]\nhyper v1.0.0 [client] (*)\n";
        assert_eq!(forbidden_in(tree, MODEL_FORBIDDEN), ["hyper"]);
        assert!(forbidden_in("rhombus-model v0.1.0 []\nserde v1 []\n", MODEL_FORBIDDEN).is_empty());
    }

    #[test]
    fn forbidden_features_are_found_by_crate_and_feature() {
        let client =
            "hyper v1.12.0 [client,default,http1]\nhyper-util v0.1.21 [client,tokio] (*)\n";
        assert!(forbidden_in(client, LEAN_CLI_FORBIDDEN).is_empty());
        let server = "hyper v1.12.0 [client,http1,server]\nhyper-util v0.1.21 [server,tokio] (*)\naxum v0.8.9 [json]\n";
        assert_eq!(
            forbidden_in(server, LEAN_CLI_FORBIDDEN),
            ["axum", "hyper-util/server", "hyper/server"]
        );
    }

    #[test]
    fn dependencies_newer_than_the_msrv_are_named() {
        let meta = serde_json::json!({"packages": [
            {"name": "old", "version": "1.0.0", "rust_version": "1.70"},
            {"name": "same", "version": "2.0.0", "rust_version": "1.85.0"},
            {"name": "none", "version": "3.0.0", "rust_version": null},
            {"name": "new", "version": "4.0.0", "rust_version": "1.88"},
        ]});
        assert_eq!(newer_than(&meta, "1.85"), ["new 4.0.0 (needs 1.88)"]);
    }
}
