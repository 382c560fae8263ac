//! The cargo subcommands xtask runs that the toolchain lacks, each pinned to
//! a version and installed with `cargo install --locked` when missing, so a
//! fresh machine (CI's included) gets exactly these.

use std::time::Instant;

use crate::shell;

/// A cargo subcommand from crates.io: its crate (`cargo-NAME`, called as
/// `cargo NAME`) and the version to install.
pub struct Tool(&'static str, &'static str);

/// Fuzzing (libFuzzer).
pub const CARGO_FUZZ: Tool = Tool("cargo-fuzz", "0.13.2");
/// Version bumps, changelog replacements, release commit, tag and publish.
pub const CARGO_RELEASE: Tool = Tool("cargo-release", "1.1.6");
/// Semver: the public API against the last release tag.
pub const SEMVER_CHECKS: Tool = Tool("cargo-semver-checks", "0.51.0");
/// Unused dependencies (a source scan, no build).
pub const MACHETE: Tool = Tool("cargo-machete", "0.9.2");

impl Tool {
    /// Installs the pinned version unless `cargo NAME --version` reports it.
    pub fn ensure(&self) -> Result<(), String> {
        let Tool(krate, version) = *self;
        let subcommand = krate.trim_start_matches("cargo-");
        let have = shell::output(shell::cargo().args([subcommand, "--version"]));
        if have.is_some_and(|text| reports(&text, version)) {
            return Ok(());
        }
        println!("==> installing {krate} {version}");
        let start = Instant::now();
        let install = ["install", "--locked", krate, "--version", version];
        shell::run(shell::cargo().args(install))?;
        println!("installed {krate} in {}s", start.elapsed().as_secs());
        Ok(())
    }
}

/// Whether a `--version` line names exactly `version` (`cargo-release 1.1.6`, `0.9.2`).
pub fn reports(text: &str, version: &str) -> bool {
    text.split_whitespace()
        .any(|word| word.trim_start_matches('v') == version)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_lines_match_exactly() {
        assert!(reports("cargo-release 1.1.6", "1.1.6"));
        assert!(reports("0.9.2\n", "0.9.2"));
        assert!(!reports("cargo-release 1.1.60", "1.1.6"));
        assert!(!reports("cargo-semver-checks 0.50.0", "0.51.0"));
    }
}
