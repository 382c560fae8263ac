//! `cargo xtask release <LEVEL|X.Y.Z> [--dry-run]`: cargo-release, configured
//! in `release.toml` (and, for `CHANGELOG.md`, in rhombus-cli's manifest),
//! bumps every publishable crate together, dates the changelog, commits,
//! tags and publishes in dependency order. `--dry-run` is cargo-release's
//! own dry run, which changes nothing.
//!
//! What this adds, because no tool does it: refusing a release whose
//! `Unreleased` section says nothing (cargo-release only replaces text), the
//! semver check for the level asked for (cargo-release has none), and
//! checking that a dry run left `git status` as it found it.

use crate::{api, shell, tools};

/// `cargo xtask release`: push the commit and tag yourself afterwards.
#[derive(clap::Args)]
pub struct Args {
    /// major, minor, patch or an explicit X.Y.Z
    level: String,
    /// Print the plan; change nothing (cargo-release's own dry run)
    #[arg(long)]
    dry_run: bool,
}

/// Runs the task.
pub fn run(args: &Args) -> Result<(), String> {
    let level = &args.level;
    let root = shell::root();
    let changelog = std::fs::read_to_string(root.join("CHANGELOG.md"))
        .map_err(|e| format!("cannot read CHANGELOG.md: {e}"))?;
    if !has_unreleased_notes(&changelog) {
        return Err(
            "CHANGELOG.md has nothing under ## [Unreleased]: describe the changes first".into(),
        );
    }
    let meta = shell::metadata(&root, &["--no-deps"])?;
    let cli = meta["packages"].as_array().into_iter().flatten();
    let cli = cli
        .filter(|p| p["name"] == "rhombus-cli")
        .find_map(|p| p["version"].as_str());
    let current = cli.ok_or("cargo metadata shows no rhombus-cli version")?;
    api::check(&root, semver_type(current, level))?;
    tools::CARGO_RELEASE.ensure()?;
    let status = || shell::capture(shell::git(&root).args(["status", "--porcelain"]));
    let before = status()?;
    let mut cmd = shell::cargo_in(&root);
    cmd.args(["release", level, "--workspace"]);
    if !args.dry_run {
        cmd.arg("--execute");
    }
    shell::run(&mut cmd)?;
    if args.dry_run {
        if status()? != before {
            return Err("the dry run changed the work tree (see git status)".into());
        }
        println!("dry run: nothing changed (git status as before)");
    }
    Ok(())
}

/// Whether the `## [Unreleased]` section of a Keep a Changelog file has an
/// entry (a line that is not blank, a heading or a link definition).
pub fn has_unreleased_notes(changelog: &str) -> bool {
    changelog
        .split("\n## ")
        .find(|section| section.starts_with("[Unreleased]"))
        .is_some_and(|section| {
            section
                .lines()
                .skip(1)
                .map(str::trim)
                .any(|l| !l.is_empty() && !l.starts_with('#') && !l.starts_with('['))
        })
}

/// The cargo-semver-checks release type of going from `current` by `level`
/// (or to an explicit version), by cargo's rule that the first non-zero
/// number is the one that may break: below 1.0 a minor release may break and
/// a patch may add. `None` for levels it cannot tell (pre-releases).
pub fn semver_type(current: &str, level: &str) -> Option<&'static str> {
    let now = numbers(current)?;
    let changed = match level {
        "major" => 0,
        "minor" => 1,
        "patch" => 2,
        explicit => {
            let next = numbers(explicit)?;
            (0..3).find(|&i| next[i] != now[i])?
        }
    };
    let significant = now.iter().position(|&n| n > 0).unwrap_or(2);
    Some(match changed.checked_sub(significant) {
        None | Some(0) => "major",
        Some(1) => "minor",
        Some(_) => "patch",
    })
}

/// `[MAJOR, MINOR, PATCH]` of a plain version.
fn numbers(version: &str) -> Option<[u64; 3]> {
    let mut parts = version.split('.').map(|p| p.parse().ok());
    let numbers = [parts.next()??, parts.next()??, parts.next()??];
    parts.next().is_none().then_some(numbers)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_release_needs_notes_under_unreleased() {
        let notes = "# Changelog\n\n## [Unreleased]\n\n### Added\n\n- Widgets.\n\n## [0.1.0] - 2026-01-01\n\n- First.\n";
        assert!(has_unreleased_notes(notes));
        let empty =
            "# Changelog\n\n## [Unreleased]\n\n### Added\n\n## [0.1.0] - 2026-01-01\n\n- First.\n";
        assert!(!has_unreleased_notes(empty));
        let only_links = "# Changelog\n\n## [Unreleased]\n\n[Unreleased]: https://example.invalid/commits/HEAD\n";
        assert!(!has_unreleased_notes(only_links));
        assert!(!has_unreleased_notes("# Changelog\n"));
    }

    #[test]
    fn release_types_follow_cargo_below_and_above_one() {
        for (current, level, kind) in [
            ("0.1.0", "patch", "minor"),
            ("0.1.0", "minor", "major"),
            ("0.1.0", "major", "major"),
            ("0.1.0", "0.1.5", "minor"),
            ("0.1.0", "0.2.0", "major"),
            ("0.0.3", "patch", "major"),
            ("1.2.3", "patch", "patch"),
            ("1.2.3", "minor", "minor"),
            ("1.2.3", "2.0.0", "major"),
        ] {
            assert_eq!(semver_type(current, level), Some(kind), "{current} {level}");
        }
        assert_eq!(semver_type("0.1.0", "rc"), None);
        assert_eq!(semver_type("0.1", "patch"), None);
        assert_eq!(semver_type("0.1.0", "0.1.0-rc.1"), None);
    }
}
