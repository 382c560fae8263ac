//! The cargo subcommands xtask runs that the toolchain lacks, each pinned to
//! a version and installed with `cargo install --locked` when missing, so a
//! fresh machine (CI's included) gets exactly these.

use std::time::Instant;

use crate::shell;

/// A cargo subcommand from crates.io.
pub struct Tool {
    /// The crate to install.
    pub krate: &'static str,
    /// The version to install.
    pub version: &'static str,
    /// How cargo calls it (`cargo <subcommand>`).
    pub subcommand: &'static str,
}

/// Fuzzing (libFuzzer).
pub const CARGO_FUZZ: Tool = Tool {
    krate: "cargo-fuzz",
    version: "0.13.2",
    subcommand: "fuzz",
};
/// Version bumps, changelog replacements, release commit, tag and publish.
pub const CARGO_RELEASE: Tool = Tool {
    krate: "cargo-release",
    version: "1.1.6",
    subcommand: "release",
};
/// Semver: the public API against the last release tag.
pub const SEMVER_CHECKS: Tool = Tool {
    krate: "cargo-semver-checks",
    version: "0.51.0",
    subcommand: "semver-checks",
};
/// Unused dependencies (a source scan, no build).
pub const MACHETE: Tool = Tool {
    krate: "cargo-machete",
    version: "0.9.2",
    subcommand: "machete",
};

impl Tool {
    /// Installs the pinned version unless `cargo <subcommand> --version` reports it.
    pub fn ensure(&self) -> Result<(), String> {
        let have = shell::output(shell::cargo().args([self.subcommand, "--version"]));
        if have.is_some_and(|text| reports(&text, self.version)) {
            return Ok(());
        }
        println!("==> installing {} {}", self.krate, self.version);
        let start = Instant::now();
        shell::run(
            shell::cargo()
                .args(["install", "--locked", self.krate, "--version"])
                .arg(self.version),
        )?;
        println!("installed {} in {}s", self.krate, start.elapsed().as_secs());
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
