//! Version edits in `Cargo.toml` text, line by line so comments and layout survive.

use crate::version::Version;

/// The manifest with `new` as the package version (in `[package]` or
/// `[workspace.package]`, when written there literally) and as the version
/// requirement of every dependency on one of `crates`.
///
/// Returns the text unchanged when it mentions none of them.
pub fn bump(text: &str, new: Version, crates: &[String]) -> String {
    let mut section = String::new();
    let mut out = Vec::new();
    for line in text.lines() {
        let trimmed = line.trim();
        if trimmed.starts_with('[') {
            section = trimmed
                .trim_matches(|c| c == '[' || c == ']')
                .trim()
                .to_owned();
            out.push(line.to_owned());
            continue;
        }
        let edited = if section == "package" || section == "workspace.package" {
            key_value(line, "version").map(|_| set_string(line, "version", &new.to_string()))
        } else if let Some(dep) = dependency_table(&section) {
            // `[dependencies.rhombus-model]` tables.
            (crates.iter().any(|c| c == dep) && key_value(line, "version").is_some())
                .then(|| set_requirement(line, new))
        } else if is_dependency_section(&section) {
            let name = trimmed.split(['=', ' ', '.']).next().unwrap_or("");
            (crates.iter().any(|c| c == name) && trimmed.contains("version"))
                .then(|| set_requirement(line, new))
        } else {
            None
        };
        out.push(edited.unwrap_or_else(|| line.to_owned()));
    }
    let mut joined = out.join("\n");
    if text.ends_with('\n') {
        joined.push('\n');
    }
    joined
}

/// The literal `version = "x"` of `[package]` or `[workspace.package]`, if any.
pub fn package_version(text: &str) -> Option<String> {
    let mut section = "";
    for line in text.lines() {
        let trimmed = line.trim();
        if trimmed.starts_with('[') {
            section = trimmed;
            continue;
        }
        if section == "[package]" || section == "[workspace.package]" {
            if let Some(v) = key_value(line, "version") {
                return Some(v.to_owned());
            }
        }
    }
    None
}

fn is_dependency_section(section: &str) -> bool {
    section == "workspace.dependencies"
        || section == "dependencies"
        || section == "dev-dependencies"
        || section == "build-dependencies"
        || (section.starts_with("target.") && section.ends_with("dependencies"))
}

/// `rhombus-model` from `dependencies.rhombus-model` (and the workspace / dev / build forms).
fn dependency_table(section: &str) -> Option<&str> {
    [
        "workspace.dependencies.",
        "dependencies.",
        "dev-dependencies.",
        "build-dependencies.",
    ]
    .iter()
    .find_map(|p| section.strip_prefix(p))
}

/// The string value of `key = "value"` on this line.
fn key_value<'a>(line: &'a str, key: &str) -> Option<&'a str> {
    let rest = line
        .trim()
        .strip_prefix(key)?
        .trim_start()
        .strip_prefix('=')?;
    let rest = rest.trim_start().strip_prefix('"')?;
    rest.split('"').next()
}

fn set_string(line: &str, key: &str, value: &str) -> String {
    match key_value(line, key) {
        Some(old) => {
            let at = line.find(&format!("\"{old}\"")).unwrap_or(0);
            format!("{}\"{value}\"{}", &line[..at], &line[at + old.len() + 2..])
        }
        None => line.to_owned(),
    }
}

/// Replaces the `version = "REQ"` inside a dependency line, keeping REQ's operator.
fn set_requirement(line: &str, new: Version) -> String {
    let Some(at) = line.find("version") else {
        return line.to_owned();
    };
    let tail = &line[at + "version".len()..];
    let Some(open) = tail.find('"') else {
        return line.to_owned();
    };
    let value_start = at + "version".len() + open + 1;
    let Some(len) = line[value_start..].find('"') else {
        return line.to_owned();
    };
    let old = &line[value_start..value_start + len];
    let op: String = old.chars().take_while(|c| "=^~<> ".contains(*c)).collect();
    format!(
        "{}{op}{new}{}",
        &line[..value_start],
        &line[value_start + len..]
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const ROOT: &str = r#"[workspace]
members = ["a", "b"]

[workspace.package]
version = "0.1.0" # shared by every crate
edition = "2024"

[workspace.dependencies]
rhombus-model = { path = "crates/rhombus-model", version = "0.1.0" }
rhombus-transport = { path = "crates/rhombus-transport", version = "=0.1.0", default-features = false }
serde = { version = "1", features = ["derive"] }
rhombus-modelling = { version = "0.1.0" }

[workspace.dependencies.rhombus-sim]
path = "crates/rhombus-sim"
version = "0.1.0"
"#;

    fn crates() -> Vec<String> {
        ["rhombus-model", "rhombus-transport", "rhombus-sim"]
            .map(String::from)
            .to_vec()
    }

    #[test]
    fn bumps_workspace_version_and_internal_requirements_only() {
        let new = Version::parse("0.2.0").expect("version");
        let after = bump(ROOT, new, &crates());
        let expected = r#"[workspace]
members = ["a", "b"]

[workspace.package]
version = "0.2.0" # shared by every crate
edition = "2024"

[workspace.dependencies]
rhombus-model = { path = "crates/rhombus-model", version = "0.2.0" }
rhombus-transport = { path = "crates/rhombus-transport", version = "=0.2.0", default-features = false }
serde = { version = "1", features = ["derive"] }
rhombus-modelling = { version = "0.1.0" }

[workspace.dependencies.rhombus-sim]
path = "crates/rhombus-sim"
version = "0.2.0"
"#;
        assert_eq!(after, expected);
        assert_eq!(package_version(&after).as_deref(), Some("0.2.0"));
    }

    #[test]
    fn member_manifests_using_the_workspace_version_are_untouched() {
        let member = "[package]\nname = \"a\"\nversion.workspace = true\n\n[dependencies]\nrhombus-model.workspace = true\n";
        let new = Version::parse("1.0.0").expect("version");
        assert_eq!(bump(member, new, &crates()), member);
        assert_eq!(package_version(member), None);
    }

    #[test]
    fn literal_member_versions_are_bumped() {
        let member = "[package]\nname = \"a\"\nversion = \"0.1.0\"\n\n[dev-dependencies]\nrhombus-sim = { path = \"../sim\", version = \"0.1\" }\n";
        let new = Version::parse("0.1.1").expect("version");
        let after = bump(member, new, &crates());
        assert!(after.contains("version = \"0.1.1\"\n"));
        assert!(after.contains("rhombus-sim = { path = \"../sim\", version = \"0.1.1\" }"));
    }
}
