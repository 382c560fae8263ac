//! The `package` step: every publishable crate packages, and its package
//! builds as a registry would see it.
//!
//! Packaging a workspace "publishes" its crates to a temporary local registry
//! and builds the dependents from there. Cargo extracts those crates under
//! `$CARGO_HOME/registry/src/-<hash>/` (the registry has no host name, hence
//! the leading `-`) and reuses an extraction of the same name and version if
//! it exists, so a machine that packaged an older tree of the same version
//! would build against the old sources. The step removes those extractions
//! first.

use std::fs;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::shell;

/// Packages every publishable crate together (cargo resolves the unpublished
/// path dependencies through its temporary registry).
pub fn run(root: &Path) -> Result<(), String> {
    let meta = shell::metadata(root, &["--no-deps"])?;
    let crates = publishable(&meta);
    forget_local_extractions(&cargo_home()?, &crates)?;
    let mut cmd = shell::cargo_in(root);
    cmd.args(["package", "--locked"]);
    for (name, _) in &crates {
        cmd.args(["-p", name]);
    }
    shell::run(&mut cmd)
}

/// `(name, version)` of every workspace crate that may be published.
fn publishable(meta: &Value) -> Vec<(String, String)> {
    let packages = meta["packages"].as_array().into_iter().flatten();
    packages
        .filter(|krate| !matches!(krate["publish"].as_array(), Some(list) if list.is_empty()))
        .filter_map(|krate| {
            let name = krate["name"].as_str()?;
            let version = krate["version"].as_str()?;
            Some((name.to_owned(), version.to_owned()))
        })
        .collect()
}

/// Cargo's home: `$CARGO_HOME`, else `~/.cargo`.
fn cargo_home() -> Result<PathBuf, String> {
    if let Some(home) = std::env::var_os("CARGO_HOME") {
        return Ok(PathBuf::from(home));
    }
    std::env::var_os("HOME")
        .map(|home| PathBuf::from(home).join(".cargo"))
        .ok_or_else(|| "neither CARGO_HOME nor HOME is set".to_owned())
}

/// Removes the extracted sources and `.crate` files of `crates` from every
/// host-less (local, temporary) registry under `cargo_home`. Registries with a
/// host, such as crates.io, are left alone.
fn forget_local_extractions(cargo_home: &Path, crates: &[(String, String)]) -> Result<(), String> {
    for (kind, suffix) in [("src", ""), ("cache", ".crate")] {
        let Ok(registries) = fs::read_dir(cargo_home.join("registry").join(kind)) else {
            continue;
        };
        for registry in registries.flatten() {
            if !registry.file_name().to_string_lossy().starts_with('-') {
                continue;
            }
            for (name, version) in crates {
                remove(&registry.path().join(format!("{name}-{version}{suffix}")))?;
            }
        }
    }
    Ok(())
}

/// Removes a file or directory tree; one that does not exist is fine.
fn remove(path: &Path) -> Result<(), String> {
    let result = match fs::symlink_metadata(path) {
        Ok(meta) if meta.is_dir() => fs::remove_dir_all(path),
        Ok(_) => fs::remove_file(path),
        Err(_) => return Ok(()),
    };
    result.map_err(|e| format!("cannot remove stale {}: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_local_registries_lose_the_workspace_crates() {
        let dir = tempfile::tempdir().expect("tempdir");
        let home = dir.path();
        let local_src = home.join("registry/src/-0123abcd");
        let local_cache = home.join("registry/cache/-0123abcd");
        let crates_io = home.join("registry/src/index.crates.io-1949cf8c6b5b557f");
        for dir in [&local_src, &local_cache, &crates_io] {
            fs::create_dir_all(dir).unwrap();
        }
        fs::create_dir_all(local_src.join("demo-0.1.0/src")).unwrap();
        fs::create_dir_all(local_src.join("other-0.1.0")).unwrap();
        fs::write(local_cache.join("demo-0.1.0.crate"), b"old").unwrap();
        fs::create_dir_all(crates_io.join("demo-0.1.0")).unwrap();

        let crates = [("demo".to_owned(), "0.1.0".to_owned())];
        forget_local_extractions(home, &crates).unwrap();

        assert!(!local_src.join("demo-0.1.0").exists());
        assert!(!local_cache.join("demo-0.1.0.crate").exists());
        assert!(
            local_src.join("other-0.1.0").exists(),
            "another crate stays"
        );
        assert!(crates_io.join("demo-0.1.0").exists(), "crates.io stays");
    }

    #[test]
    fn unpublished_crates_are_not_packaged() {
        let meta = serde_json::json!({"packages": [
            {"name": "lib", "version": "1.2.3", "publish": null},
            {"name": "xtask", "version": "0.0.0", "publish": []},
            {"name": "private", "version": "0.1.0", "publish": ["corp"]},
        ]});
        let names: Vec<_> = publishable(&meta).into_iter().map(|(n, _)| n).collect();
        assert_eq!(names, ["lib", "private"]);
    }
}
