//! `cargo xtask api [--check]`: cargo-semver-checks over every publishable
//! library crate, against the last release tag (`v*`).
//!
//! Between releases the workspace version stays at the last release's, so a
//! breaking change fails here until the same change raises
//! `[workspace.package] version` to one that allows it. With no tag there is
//! no baseline: the check says so and passes.

use std::path::Path;

use crate::{shell, tools};

/// `cargo xtask api`: cargo-semver-checks is installed if missing.
#[derive(clap::Args)]
pub struct Args {
    /// The same check (the flag CI passes)
    #[arg(long)]
    check: bool,
}

/// Runs the task.
pub fn run(_: &Args) -> Result<(), String> {
    check(&shell::root(), None)
}

/// The newest `v*` tag reachable from `HEAD` in the repository at `root`.
pub fn last_release_tag(root: &Path) -> Option<String> {
    let describe = ["describe", "--tags", "--abbrev=0", "--match", "v[0-9]*"];
    shell::output(shell::git(root).args(describe)).filter(|t| !t.is_empty())
}

/// Checks the API since the last release tag; `release_type` (`major`,
/// `minor`, `patch`) replaces the one cargo-semver-checks derives from the
/// versions.
pub fn check(root: &Path, release_type: Option<&str>) -> Result<(), String> {
    let Some(tag) = last_release_tag(root) else {
        println!(
            "semver check skipped: no release tag (v*) yet, so there is no baseline; the first `cargo xtask release` makes one"
        );
        return Ok(());
    };
    tools::SEMVER_CHECKS.ensure()?;
    let mut cmd = shell::cargo_in(root);
    cmd.args(["semver-checks", "check-release", "--workspace"])
        .args(["--baseline-rev", &tag]);
    if let Some(kind) = release_type {
        cmd.args(["--release-type", kind]);
    }
    shell::run(&mut cmd).map_err(|e| {
        format!("{e}\nthe public API broke since {tag}: undo that, or raise [workspace.package] version in Cargo.toml to a release that allows it")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_baseline_is_the_newest_release_tag() {
        let dir = tempfile::tempdir().expect("tempdir");
        let git = |args: &[&str]| shell::capture(shell::git(dir.path()).args(args)).expect("git");
        git(&["init", "-q"]);
        git(&[
            "-c",
            "user.name=t",
            "-c",
            "user.email=t@example.invalid",
            "commit",
            "-q",
            "--allow-empty",
            "-m",
            "one",
        ]);
        assert_eq!(last_release_tag(dir.path()), None);
        git(&["tag", "v0.1.0"]);
        git(&["tag", "nightly"]);
        assert_eq!(last_release_tag(dir.path()).as_deref(), Some("v0.1.0"));
    }
}
