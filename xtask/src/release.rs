//! `cargo xtask release <major|minor|patch|X.Y.Z> [--dry-run]`: bump every
//! publishable crate together, date the changelog, check, package, commit and tag.
//!
//! Publishing is a separate step (`cargo xtask publish`), so a release can be
//! reviewed and pushed before anything reaches the registry.

use std::fs;
use std::path::{Path, PathBuf};

use crate::flags::Flags;
use crate::version::Version;
use crate::{changelog, ci, manifest, shell, workspace};

const USAGE: &str = "usage: cargo xtask release <major|minor|patch|X.Y.Z> [--dry-run] [--skip-checks] [--allow-breaking]
  --dry-run         change nothing; print the whole plan
  --skip-checks     do not run the CI checks (for tests of this task)
  --allow-breaking  release even though the public API lost items";

/// What the user asked for.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// `major`, `minor`, `patch` or an explicit `X.Y.Z`.
    pub level: String,
    /// Print the plan only.
    pub dry_run: bool,
    /// Skip the CI checks.
    pub skip_checks: bool,
    /// Go ahead when the API check finds a breaking change.
    pub allow_breaking: bool,
}

/// What a release did (or, dry, would do).
#[derive(Debug)]
pub struct Outcome {
    /// The version released.
    pub version: Version,
    /// The tag created.
    pub tag: String,
    /// Files rewritten, relative to the root.
    pub files: Vec<String>,
}

/// Runs the task.
pub fn run(args: &[String]) -> Result<(), String> {
    let Some(flags) = Flags::parse_or_help(
        args,
        USAGE,
        &["--dry-run", "--skip-checks", "--allow-breaking"],
        &[],
    )?
    else {
        return Ok(());
    };
    let [level] = flags.positional.as_slice() else {
        return Err(USAGE.to_owned());
    };
    let options = Options {
        level: level.clone(),
        dry_run: flags.has("--dry-run"),
        skip_checks: flags.has("--skip-checks"),
        allow_breaking: flags.has("--allow-breaking"),
    };
    let outcome = release(&shell::root(), &options)?;
    let verb = if options.dry_run {
        "would rewrite"
    } else {
        "rewrote"
    };
    println!(
        "{} {}: {verb} {}",
        outcome.tag,
        outcome.version,
        outcome.files.join(", ")
    );
    Ok(())
}

/// One file the release rewrites.
struct Edit {
    path: PathBuf,
    rel: String,
    before: String,
    after: String,
}

/// Performs (or with `dry_run`, describes) a release of the workspace at `root`.
pub fn release(root: &Path, options: &Options) -> Result<Outcome, String> {
    // cargo metadata reports canonical paths; compare like with like.
    let root = &root
        .canonicalize()
        .map_err(|e| format!("cannot open {}: {e}", root.display()))?;
    let clean = shell::capture(shell::git(root).args(["status", "--porcelain"]))?
        .trim()
        .is_empty();
    if !clean && !options.dry_run {
        return Err(
            "the working tree is not clean: commit or stash your changes first (git status)".into(),
        );
    }

    let root_manifest = root.join("Cargo.toml");
    let root_text = read(&root_manifest)?;
    let current = manifest::package_version(&root_text)
        .ok_or_else(|| "Cargo.toml has no `version` in [workspace.package]".to_owned())
        .and_then(|v| Version::parse(&v))?;
    let next = current.bump(&options.level)?;
    let tag = format!("v{next}");
    if shell::capture(shell::git(root).args(["tag", "--list", &tag]))?.trim() == tag {
        return Err(format!("tag {tag} already exists"));
    }
    let previous_tag = shell::capture(shell::git(root).args([
        "describe",
        "--tags",
        "--abbrev=0",
        "--match",
        "v[0-9]*",
    ]))
    .ok()
    .map(|t| t.trim().to_owned());
    let previous = previous_tag
        .as_deref()
        .and_then(|t| Version::parse(t.trim_start_matches('v')).ok());

    let crates = workspace::publishable(root)?;
    let names: Vec<String> = crates.iter().map(|c| c.name.clone()).collect();
    let mut edits = Vec::new();
    let mut manifests = vec![root_manifest];
    manifests.extend(crates.iter().map(|c| c.manifest.clone()));
    for path in manifests {
        let before = read(&path)?;
        let after = manifest::bump(&before, next, &names);
        if after != before {
            edits.push(Edit {
                rel: relative(root, &path),
                path,
                before,
                after,
            });
        }
    }
    let changelog_path = root.join("CHANGELOG.md");
    let date = changelog::today();
    let log_before = read(&changelog_path)?;
    let log_after = changelog::release(&log_before, next, &date, previous)?;
    let notes = changelog::section(&log_after, next).unwrap_or_default();
    edits.push(Edit {
        path: changelog_path,
        rel: "CHANGELOG.md".into(),
        before: log_before,
        after: log_after,
    });

    // The plan.
    println!(
        "release {current} -> {next} (tag {tag}; previous tag: {})",
        previous_tag.as_deref().unwrap_or("none")
    );
    if !clean {
        println!("! the working tree is not clean: a real release would stop here");
    }
    println!("crates, in publish order: {}", names.join(" -> "));
    for edit in &edits {
        println!("edit {}:", edit.rel);
        for line in changed_lines(&edit.before, &edit.after) {
            println!("    {line}");
        }
    }
    println!("refresh Cargo.lock: cargo update --workspace");
    println!(
        "checks: {}",
        if options.skip_checks {
            "skipped (--skip-checks)"
        } else {
            "cargo xtask ci"
        }
    );
    let package_args: Vec<String> = names
        .iter()
        .flat_map(|n| ["-p".to_owned(), n.clone()])
        .collect();
    println!("package: cargo package {}", package_args.join(" "));
    println!(
        "publish dry run: cargo publish --dry-run {}",
        package_args.join(" ")
    );
    println!("commit \"Release {tag}\" and annotated tag {tag} with the notes:");
    for line in notes.lines() {
        println!("    {line}");
    }
    let breaking = semver_check(root, previous_tag.as_deref(), current, next)?;
    if let Some(report) = &breaking {
        let msg = format!(
            "{report}\n{current} -> {next} does not allow breaking changes: release a {} or pass --allow-breaking",
            if current.major == 0 { "minor" } else { "major" }
        );
        if options.dry_run {
            println!("! {msg}");
        } else if !options.allow_breaking {
            return Err(msg);
        }
    }
    let files: Vec<String> = edits.iter().map(|e| e.rel.clone()).collect();
    let outcome = Outcome {
        version: next,
        tag: tag.clone(),
        files: files.clone(),
    };
    if options.dry_run {
        println!("dry run: nothing was changed");
        return Ok(outcome);
    }

    // Apply, roll back on any failure before the commit.
    let lock = root.join("Cargo.lock");
    let lock_before = fs::read_to_string(&lock).ok();
    let applied = apply(root, options, &edits, &package_args, &tag, &notes);
    if let Err(e) = applied {
        for edit in &edits {
            let _ = fs::write(&edit.path, &edit.before);
        }
        match &lock_before {
            Some(text) => {
                let _ = fs::write(&lock, text);
            }
            None => {
                let _ = fs::remove_file(&lock);
            }
        }
        return Err(format!("{e}\nrelease abandoned: the files were restored"));
    }
    println!("released {tag}; next: push the commit and the tag, then `cargo xtask publish`");
    Ok(outcome)
}

fn apply(
    root: &Path,
    options: &Options,
    edits: &[Edit],
    package_args: &[String],
    tag: &str,
    notes: &str,
) -> Result<(), String> {
    for edit in edits {
        fs::write(&edit.path, &edit.after)
            .map_err(|e| format!("cannot write {}: {e}", edit.rel))?;
    }
    if shell::capture(shell::cargo_in(root).args(["update", "--workspace", "--offline"])).is_err() {
        shell::capture(shell::cargo_in(root).args(["update", "--workspace"]))?;
    }
    if !options.skip_checks {
        ci::run_all(root, &ci::Options::default())?;
    }
    shell::run(
        shell::cargo_in(root)
            .args(["package", "--allow-dirty"])
            .args(package_args),
    )?;
    publish_dry_run(root, package_args)?;

    let mut files: Vec<String> = edits.iter().map(|e| e.rel.clone()).collect();
    let tracked = shell::capture(shell::git(root).args(["ls-files", "Cargo.lock"]))?;
    if !tracked.trim().is_empty() {
        files.push("Cargo.lock".into());
    }
    shell::capture(shell::git(root).arg("add").arg("--").args(&files))?;
    shell::capture(
        shell::git(root)
            .args(["commit", "-m", &format!("Release {tag}"), "--"])
            .args(&files),
    )?;
    let message = format!("{tag}\n\n{notes}\n");
    shell::capture(shell::git(root).args(["tag", "-a", tag, "-m", &message]))?;
    Ok(())
}

/// `cargo publish --dry-run`, or a clear notice when the registry cannot be reached.
fn publish_dry_run(root: &Path, package_args: &[String]) -> Result<(), String> {
    let result = shell::capture(
        shell::cargo_in(root)
            .args(["publish", "--dry-run", "--allow-dirty", "--no-verify"])
            .args(package_args),
    );
    match result {
        Ok(_) => {
            println!("publish dry run: ok");
            Ok(())
        }
        Err(e) if is_network_error(&e) => {
            println!(
                "publish dry run: skipped, the registry cannot be reached from here ({})",
                first_line(&e)
            );
            Ok(())
        }
        Err(e) => Err(e),
    }
}

fn is_network_error(text: &str) -> bool {
    let text = text.to_ascii_lowercase();
    [
        "network",
        "could not resolve",
        "failed to connect",
        "timed out",
        "offline",
        "unable to update registry",
        "failed to get",
        "download",
    ]
    .iter()
    .any(|needle| text.contains(needle))
}

/// Flags public API lost since the previous tag, with cargo-semver-checks when
/// installed and by comparing the `api/` snapshots otherwise.
/// `Ok(Some(report))` means a breaking change that `current -> next` does not allow.
fn semver_check(
    root: &Path,
    previous_tag: Option<&str>,
    current: Version,
    next: Version,
) -> Result<Option<String>, String> {
    let Some(prev) = previous_tag else {
        println!("semver check: skipped, there is no previous release tag");
        return Ok(None);
    };
    if current.allows_breaking(next) {
        println!("semver check: {current} -> {next} may break the API; nothing to check");
        return Ok(None);
    }
    if shell::output(shell::cargo_in(root).args(["semver-checks", "--version"])).is_some() {
        let release_type = if next.minor != current.minor {
            "minor"
        } else {
            "patch"
        };
        let result = shell::run(shell::cargo_in(root).args([
            "semver-checks",
            "check-release",
            "--workspace",
            "--baseline-rev",
            prev,
            "--release-type",
            release_type,
        ]));
        return Ok(result
            .err()
            .map(|e| format!("cargo-semver-checks found breaking changes since {prev}: {e}")));
    }
    println!(
        "semver check: cargo-semver-checks is not installed (cargo install cargo-semver-checks --locked); comparing api/ snapshots with {prev} instead"
    );
    let mut report = String::new();
    let Ok(dir) = fs::read_dir(root.join("api")) else {
        println!("semver check: skipped, there is no api/ directory");
        return Ok(None);
    };
    let mut snapshots: Vec<PathBuf> = dir.flatten().map(|e| e.path()).collect();
    snapshots.sort();
    for path in snapshots {
        let rel = relative(root, &path);
        let Ok(old) = shell::capture(shell::git(root).args(["show", &format!("{prev}:{rel}")]))
        else {
            continue;
        };
        let new = read(&path)?;
        for line in crate::api::removed(&old, &new) {
            report.push_str(&format!("  {rel}: - {line}\n"));
        }
    }
    if report.is_empty() {
        println!("semver check: no public item removed or changed since {prev}");
        Ok(None)
    } else {
        Ok(Some(format!(
            "public API removed or changed since {prev}:\n{}",
            report.trim_end()
        )))
    }
}

/// `- old` / `+ new` lines between two texts (a longest-common-subsequence
/// line diff; the files it is used on are small).
fn changed_lines(before: &str, after: &str) -> Vec<String> {
    let (b, a): (Vec<&str>, Vec<&str>) = (before.lines().collect(), after.lines().collect());
    // lcs[i][j]: length of the common subsequence of b[i..] and a[j..].
    let mut lcs = vec![vec![0usize; a.len() + 1]; b.len() + 1];
    for i in (0..b.len()).rev() {
        for j in (0..a.len()).rev() {
            lcs[i][j] = if b[i] == a[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let (mut i, mut j, mut out) = (0, 0, Vec::new());
    while i < b.len() || j < a.len() {
        if i < b.len() && j < a.len() && b[i] == a[j] {
            i += 1;
            j += 1;
        } else if i < b.len() && (j == a.len() || lcs[i + 1][j] >= lcs[i][j + 1]) {
            out.push(format!("- {}", b[i]));
            i += 1;
        } else {
            out.push(format!("+ {}", a[j]));
            j += 1;
        }
    }
    out
}

fn read(path: &Path) -> Result<String, String> {
    fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))
}

fn relative(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .display()
        .to_string()
}

fn first_line(text: &str) -> &str {
    text.lines().next().unwrap_or("")
}

#[cfg(test)]
mod tests {
    use super::*;

    const CHANGELOG: &str = "# Changelog\n\n## [Unreleased]\n\n### Added\n- Widgets.\n\n## [0.1.0] - 2026-01-01\n\n- First.\n\n[Unreleased]: https://example.invalid/o/r/compare/v0.1.0...HEAD\n[0.1.0]: https://example.invalid/o/r/releases/tag/v0.1.0\n";

    fn write(root: &Path, rel: &str, text: &str) {
        let path = root.join(rel);
        fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        fs::write(path, text).expect("write");
    }

    fn git(root: &Path, args: &[&str]) -> String {
        shell::capture(shell::git(root).args(args)).expect("git")
    }

    fn member(root: &Path, dir: &str, name: &str, deps: &str, publish: bool) {
        let publish = if publish { "" } else { "publish = false\n" };
        write(
            root,
            &format!("{dir}/Cargo.toml"),
            &format!(
                "[package]\nname = \"{name}\"\nversion.workspace = true\nedition.workspace = true\nlicense.workspace = true\ndescription = \"test crate\"\nrepository.workspace = true\n{publish}\n[dependencies]\n{deps}"
            ),
        );
        write(
            root,
            &format!("{dir}/src/lib.rs"),
            "//! Test crate.\n\n/// Nothing.\npub fn nothing() {}\n",
        );
    }

    /// A git repository holding a two-crate workspace (plus an unpublished
    /// tool) released once as v0.1.0, with an API snapshot.
    fn fake_repo() -> tempfile::TempDir {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path();
        write(
            root,
            "Cargo.toml",
            "[workspace]\nresolver = \"2\"\nmembers = [\"a\", \"b\", \"tool\"]\n\n[workspace.package]\nversion = \"0.1.0\"\nedition = \"2021\"\nlicense = \"MIT\"\nrepository = \"https://example.invalid/o/r\"\n\n[workspace.dependencies]\nfake-a = { path = \"a\", version = \"0.1.0\" }\n",
        );
        member(root, "a", "fake-a", "", true);
        member(root, "b", "fake-b", "fake-a.workspace = true\n", true);
        member(
            root,
            "tool",
            "fake-tool",
            "fake-a.workspace = true\n",
            false,
        );
        write(root, "CHANGELOG.md", CHANGELOG);
        write(root, ".gitignore", "/target\n");
        write(
            root,
            "api/fake-a.txt",
            "# Public API of fake-a.\npub fn fake_a::nothing()\npub fn fake_a::old()\n",
        );
        shell::capture(shell::cargo_in(root).args(["generate-lockfile", "--offline"]))
            .expect("lockfile");
        git(root, &["init", "-q", "-b", "main"]);
        git(root, &["config", "user.name", "Release Test"]);
        git(
            root,
            &["config", "user.email", "release-test@example.invalid"],
        );
        git(root, &["config", "commit.gpgsign", "false"]);
        git(root, &["config", "tag.gpgsign", "false"]);
        git(root, &["add", "."]);
        git(root, &["commit", "-q", "-m", "0.1.0"]);
        git(root, &["tag", "-a", "v0.1.0", "-m", "v0.1.0"]);
        // Since then `old` was removed from the API.
        write(
            root,
            "api/fake-a.txt",
            "# Public API of fake-a.\npub fn fake_a::nothing()\n",
        );
        git(root, &["commit", "-q", "-am", "remove old"]);
        dir
    }

    fn options(level: &str, dry_run: bool) -> Options {
        Options {
            level: level.into(),
            dry_run,
            skip_checks: true,
            allow_breaking: false,
        }
    }

    fn read(root: &Path, rel: &str) -> String {
        fs::read_to_string(root.join(rel)).expect("read")
    }

    #[test]
    fn changed_lines_shows_only_what_changed() {
        let before = "a\nb\nc\nd\n";
        let after = "a\nB\nc\nnew\nd\n";
        assert_eq!(changed_lines(before, after), ["- b", "+ B", "+ new"]);
        assert!(changed_lines(before, before).is_empty());
    }

    #[test]
    fn release_bumps_dates_commits_and_tags() {
        let dir = fake_repo();
        let root = dir.path();
        let outcome = release(root, &options("minor", false)).expect("release");
        assert_eq!(outcome.tag, "v0.2.0");

        let manifest = read(root, "Cargo.toml");
        assert!(
            manifest.contains("version = \"0.2.0\"\nedition"),
            "{manifest}"
        );
        assert!(
            manifest.contains("fake-a = { path = \"a\", version = \"0.2.0\" }"),
            "{manifest}"
        );
        assert!(read(root, "Cargo.lock").contains("name = \"fake-a\"\nversion = \"0.2.0\""));

        let log = read(root, "CHANGELOG.md");
        let heading = format!(
            "## [Unreleased]\n\n## [0.2.0] - {}\n\n### Added\n- Widgets.",
            changelog::today()
        );
        assert!(log.contains(&heading), "{log}");
        assert!(log.contains("[0.2.0]: https://example.invalid/o/r/compare/v0.1.0...v0.2.0"));

        assert_eq!(git(root, &["cat-file", "-t", "v0.2.0"]).trim(), "tag");
        assert_eq!(
            git(root, &["rev-parse", "v0.2.0^{commit}"]),
            git(root, &["rev-parse", "HEAD"])
        );
        let tag_message = git(root, &["tag", "-l", "--format=%(contents)", "v0.2.0"]);
        assert!(tag_message.contains("- Widgets."), "{tag_message}");
        assert_eq!(
            git(root, &["log", "-1", "--format=%s"]).trim(),
            "Release v0.2.0"
        );
        assert_eq!(git(root, &["status", "--porcelain"]).trim(), "");
        let committed = git(root, &["show", "--name-only", "--format=", "HEAD"]);
        let mut committed: Vec<&str> = committed.lines().collect();
        committed.sort();
        assert_eq!(committed, ["CHANGELOG.md", "Cargo.lock", "Cargo.toml"]);
    }

    #[test]
    fn dry_run_changes_nothing() {
        let dir = fake_repo();
        let root = dir.path();
        let head = git(root, &["rev-parse", "HEAD"]);
        let manifest = read(root, "Cargo.toml");
        let outcome = release(root, &options("1.0.0", true)).expect("dry run");
        assert_eq!(outcome.tag, "v1.0.0");
        assert_eq!(outcome.files, ["Cargo.toml", "CHANGELOG.md"]);
        assert_eq!(read(root, "Cargo.toml"), manifest);
        assert_eq!(read(root, "CHANGELOG.md"), CHANGELOG);
        assert_eq!(git(root, &["rev-parse", "HEAD"]), head);
        assert_eq!(git(root, &["tag", "-l", "v1.0.0"]).trim(), "");
    }

    #[test]
    fn refuses_a_dirty_tree_an_existing_tag_and_an_empty_changelog() {
        let dir = fake_repo();
        let root = dir.path();
        write(root, "stray.txt", "x");
        let err = release(root, &options("minor", false)).expect_err("dirty");
        assert!(err.contains("not clean"), "{err}");
        fs::remove_file(root.join("stray.txt")).expect("rm");

        let err = release(root, &options("0.1.0", false)).expect_err("not newer");
        assert!(err.contains("not newer"), "{err}");
        git(root, &["tag", "v0.3.0"]);
        let err = release(root, &options("0.3.0", false)).expect_err("tag exists");
        assert!(err.contains("already exists"), "{err}");

        write(
            root,
            "CHANGELOG.md",
            "# Changelog\n\n## [Unreleased]\n\n## [0.1.0] - x\n- a\n",
        );
        git(root, &["commit", "-q", "-am", "empty notes"]);
        let err = release(root, &options("minor", false)).expect_err("no notes");
        assert!(err.contains("empty"), "{err}");
        assert!(read(root, "Cargo.toml").contains("version = \"0.1.0\""));
    }

    #[test]
    fn a_patch_release_that_removes_api_is_flagged() {
        let semver_checks_installed =
            shell::output(shell::cargo().args(["semver-checks", "--version"])).is_some();
        if semver_checks_installed {
            return; // the real tool decides then; this tests the fallback
        }
        let dir = fake_repo();
        let root = dir.path();
        let err = release(root, &options("patch", false)).expect_err("breaking");
        assert!(err.contains("pub fn fake_a::old()"), "{err}");
        assert!(err.contains("--allow-breaking"), "{err}");
        assert!(read(root, "Cargo.toml").contains("version = \"0.1.0\""));
        assert_eq!(git(root, &["status", "--porcelain"]).trim(), "");
        // The same release with the API loss acknowledged goes through.
        let mut opts = options("patch", false);
        opts.allow_breaking = true;
        assert_eq!(release(root, &opts).expect("allowed").tag, "v0.1.1");
    }
}
