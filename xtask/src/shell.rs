//! Running cargo and other tools from the workspace root.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// Writes `text` to stdout. A reader that went away (`| head`) is not an
/// error worth a panic: the rest of the task (report files, README) still runs.
pub fn print(text: &str) {
    use std::io::Write;
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
}

/// The workspace root (the directory above `xtask/`).
pub fn root() -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().unwrap_or(manifest).to_path_buf()
}

/// The cargo that runs us (falls back to `cargo` on PATH), in the root.
pub fn cargo() -> Command {
    cargo_in(&root())
}

/// The target directory cargo builds into.
pub fn target_dir() -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) => root().join(dir),
        None => root().join("target"),
    }
}

/// Runs `cmd`, inheriting stdio; an error names the command on failure.
pub fn run(cmd: &mut Command) -> Result<(), String> {
    let status = cmd
        .status()
        .map_err(|e| format!("cannot run {}: {e}", describe(cmd)))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{} failed ({status})", describe(cmd)))
    }
}

/// Runs `cmd` and returns its trimmed stdout (`None` if it could not run or failed).
pub fn output(cmd: &mut Command) -> Option<String> {
    Some(capture(cmd.stderr(Stdio::null())).ok()?.trim().to_owned())
}

/// The command line, for messages (never includes the environment).
pub fn describe(cmd: &Command) -> String {
    let mut text = cmd.get_program().to_string_lossy().into_owned();
    for arg in cmd.get_args() {
        text.push(' ');
        text.push_str(&arg.to_string_lossy());
    }
    text
}

/// `git` run in `dir`.
pub fn git(dir: &Path) -> Command {
    let mut cmd = Command::new("git");
    cmd.current_dir(dir);
    cmd
}

/// The cargo that runs us, in `dir`.
pub fn cargo_in(dir: &Path) -> Command {
    let mut cmd = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    // `cargo run` set it for xtask; cargo-machete reads it to mean "not run by cargo".
    cmd.current_dir(dir).env_remove("CARGO_PKG_NAME");
    cmd
}

/// Runs `cmd` and returns its stdout; the error carries its stderr.
pub fn capture(cmd: &mut Command) -> Result<String, String> {
    let out = cmd
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("cannot run {}: {e}", describe(cmd)))?;
    if out.status.success() {
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    } else {
        Err(format!(
            "{} failed ({}): {}",
            describe(cmd),
            out.status,
            String::from_utf8_lossy(&out.stderr).trim()
        ))
    }
}

/// `cargo metadata` of the workspace at `root` (with `extra` arguments), parsed.
pub fn metadata(root: &Path, extra: &[&str]) -> Result<serde_json::Value, String> {
    let meta = ["metadata", "--format-version", "1"];
    let text = capture(cargo_in(root).args(meta).args(extra))?;
    serde_json::from_str(&text).map_err(|e| format!("cargo metadata: bad JSON: {e}"))
}
