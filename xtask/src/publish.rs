//! `cargo xtask publish [--dry-run]`: uploads the tagged release, crate by
//! crate in dependency order.
//!
//! The token comes from `CARGO_REGISTRY_TOKEN` and reaches cargo only through
//! its environment: it is never an argument, never printed.

use std::path::Path;

use crate::flags::Flags;
use crate::version::Version;
use crate::{manifest, shell, workspace};

const USAGE: &str = "usage: cargo xtask publish [--dry-run]
  publishes every crate of the release tagged at HEAD, in dependency order;
  reads the registry token from CARGO_REGISTRY_TOKEN";

/// The environment variable cargo reads the token from.
pub const TOKEN_VAR: &str = "CARGO_REGISTRY_TOKEN";

/// Runs the task.
pub fn run(args: &[String]) -> Result<(), String> {
    let Some(flags) = Flags::parse_or_help(args, USAGE, &["--dry-run"], &[])? else {
        return Ok(());
    };
    let token = std::env::var(TOKEN_VAR)
        .ok()
        .filter(|t| !t.trim().is_empty());
    publish(&shell::root(), token.as_deref(), flags.has("--dry-run"))
}

/// Publishes the workspace at `root` with `token`.
pub fn publish(root: &Path, token: Option<&str>, dry_run: bool) -> Result<(), String> {
    let Some(token) = token else {
        return Err(format!(
            "{TOKEN_VAR} is not set: export a registry API token in it (it is passed to cargo through the environment and never printed)"
        ));
    };
    let dirty = shell::capture(shell::git(root).args(["status", "--porcelain"]))?;
    if !dirty.trim().is_empty() {
        return Err("the working tree is not clean: publish from the release commit".into());
    }
    let text = std::fs::read_to_string(root.join("Cargo.toml"))
        .map_err(|e| format!("cannot read Cargo.toml: {e}"))?;
    let version = manifest::package_version(&text)
        .ok_or_else(|| "Cargo.toml has no `version` in [workspace.package]".to_owned())
        .and_then(|v| Version::parse(&v))?;
    let tag = format!("v{version}");
    let at_head = shell::capture(shell::git(root).args(["tag", "--points-at", "HEAD"]))?;
    if !at_head.lines().any(|t| t.trim() == tag) {
        return Err(format!(
            "HEAD is not tagged {tag}: run `cargo xtask release` first, or check out the release tag"
        ));
    }
    for krate in workspace::publishable(root)? {
        let mut cmd = shell::cargo_in(root);
        cmd.env(TOKEN_VAR, token)
            .args(["publish", "-p", &krate.name]);
        if dry_run {
            cmd.arg("--dry-run");
        }
        println!("==> {}", shell::describe(&cmd));
        match shell::capture(&mut cmd) {
            Ok(_) => println!("published {} {version}", krate.name),
            Err(e) if e.contains("already exists") => {
                println!("skip: {} {version} is already published", krate.name);
            }
            Err(e) => return Err(redact(&e, token)),
        }
    }
    Ok(())
}

/// `text` with every occurrence of the secret replaced.
pub fn redact(text: &str, secret: &str) -> String {
    if secret.is_empty() {
        text.to_owned()
    } else {
        text.replace(secret, "<redacted>")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_token_is_a_clear_error() {
        let err = publish(&shell::root(), None, true).expect_err("no token");
        assert!(err.contains(TOKEN_VAR), "{err}");
    }

    #[test]
    fn redact_hides_the_secret() {
        assert_eq!(
            redact("bad token abc123 here", "abc123"),
            "bad token <redacted> here"
        );
        assert_eq!(redact("nothing", ""), "nothing");
    }
}
