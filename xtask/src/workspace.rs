//! The workspace's publishable crates, from `cargo metadata`.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::shell;

/// A crate that `cargo publish` may upload.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Crate {
    /// Package name.
    pub name: String,
    /// Its `Cargo.toml`.
    pub manifest: PathBuf,
    /// Whether it has a library target (and so a public API snapshot).
    pub has_lib: bool,
}

/// The publishable crates of the workspace at `root`, each after every crate
/// it depends on (normal, build and dev dependencies alike, so that
/// `cargo publish` finds each one already uploaded); ties keep member order.
pub fn publishable(root: &Path) -> Result<Vec<Crate>, String> {
    let text = shell::capture(shell::cargo_in(root).args([
        "metadata",
        "--no-deps",
        "--format-version",
        "1",
    ]))?;
    let meta: Value =
        serde_json::from_str(&text).map_err(|e| format!("cargo metadata: bad JSON: {e}"))?;
    order(&meta)
}

/// The ordering of [`publishable`], from `cargo metadata` JSON.
pub fn order(meta: &Value) -> Result<Vec<Crate>, String> {
    let packages: Vec<&Value> = meta["packages"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|p| !matches!(p["publish"].as_array(), Some(list) if list.is_empty()))
        .collect();
    let names: Vec<&str> = packages.iter().filter_map(|p| p["name"].as_str()).collect();
    let deps: Vec<Vec<&str>> = packages
        .iter()
        .map(|p| {
            p["dependencies"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|d| d["name"].as_str())
                .filter(|d| names.contains(d) && Some(*d) != p["name"].as_str())
                .collect()
        })
        .collect();
    let mut done: Vec<usize> = Vec::new();
    while done.len() < packages.len() {
        let next = (0..packages.len()).find(|&i| {
            !done.contains(&i) && deps[i].iter().all(|d| done.iter().any(|&j| names[j] == *d))
        });
        match next {
            Some(i) => done.push(i),
            None => return Err("the workspace crates depend on each other in a cycle".into()),
        }
    }
    Ok(done
        .into_iter()
        .map(|i| {
            let p = packages[i];
            Crate {
                name: names[i].to_owned(),
                manifest: PathBuf::from(p["manifest_path"].as_str().unwrap_or_default()),
                has_lib: p["targets"].as_array().into_iter().flatten().any(|t| {
                    t["kind"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .any(|k| k == "lib")
                }),
            }
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn package(name: &str, deps: &[&str], publish: Value, kind: &str) -> Value {
        json!({
            "name": name,
            "manifest_path": format!("/r/{name}/Cargo.toml"),
            "publish": publish,
            "dependencies": deps.iter().map(|d| json!({"name": d})).collect::<Vec<_>>(),
            "targets": [{"kind": [kind]}],
        })
    }

    #[test]
    fn dependencies_first_unpublishable_left_out() {
        let meta = json!({"packages": [
            package("rhombus-model", &["serde"], Value::Null, "lib"),
            package("rhombus-transport", &["rhombus-model", "rhombus-sim"], Value::Null, "lib"),
            package("rhombus-sim", &["axum"], Value::Null, "lib"),
            package("rhombus-cli", &["rhombus-transport", "rhombus-model"], Value::Null, "bin"),
            package("xtask", &["serde_json"], json!([]), "bin"),
        ]});
        let crates = order(&meta).expect("no cycle");
        let names: Vec<&str> = crates.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "rhombus-model",
                "rhombus-sim",
                "rhombus-transport",
                "rhombus-cli"
            ]
        );
        assert!(crates[0].has_lib && !crates[3].has_lib);
    }

    #[test]
    fn cycles_are_reported() {
        let meta = json!({"packages": [
            package("a", &["b"], Value::Null, "lib"),
            package("b", &["a"], Value::Null, "lib"),
        ]});
        assert!(order(&meta).is_err());
    }
}
