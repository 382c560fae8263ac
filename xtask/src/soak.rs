//! `cargo xtask soak [--requests N]`: the transport's soak example against the
//! local simulator, in release mode.

use crate::flags::Flags;
use crate::shell;

const USAGE: &str = "usage: cargo xtask soak [--requests N]
  runs `cargo run --release -p rhombus-transport --example soak -- --requests N`";

/// Runs the task.
pub fn run(args: &[String]) -> Result<(), String> {
    if Flags::wants_help(args) {
        println!("{USAGE}");
        return Ok(());
    }
    let flags = Flags::parse(args, &[], &["--requests"])?;
    let requests: u64 = flags.value("--requests")?.unwrap_or(10_000);
    let root = shell::root();
    let examples = root.join("crates/rhombus-transport/examples");
    if !examples.join("soak.rs").exists() && !examples.join("soak/main.rs").exists() {
        return Err(format!(
            "the soak example does not exist yet: expected {}/soak.rs (written by the transport crate)",
            examples.display()
        ));
    }
    shell::run(shell::cargo().args([
        "run",
        "--release",
        "-p",
        "rhombus-transport",
        "--example",
        "soak",
        "--",
        "--requests",
        &requests.to_string(),
    ]))
}
