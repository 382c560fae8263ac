//! `cargo xtask soak [--requests N]`: the transport's soak example against the
//! local simulator, in release mode.

use crate::flags::Flags;
use crate::shell;

const USAGE: &str = "usage: cargo xtask soak [--requests N] [--seed S]
  runs `cargo run --release -p rhombus-transport --example soak -- [--requests N] [--seed S]`
  (the example's defaults apply to what is not given)";

/// Runs the task.
pub fn run(args: &[String]) -> Result<(), String> {
    let Some(flags) = Flags::parse_or_help(args, USAGE, &[], &["--requests", "--seed"])? else {
        return Ok(());
    };
    let root = shell::root();
    let examples = root.join("crates/rhombus-transport/examples");
    if !examples.join("soak.rs").exists() && !examples.join("soak/main.rs").exists() {
        return Err(format!(
            "the soak example does not exist yet: expected {}/soak.rs (written by the transport crate)",
            examples.display()
        ));
    }
    let mut cmd = shell::cargo();
    cmd.args([
        "run",
        "--release",
        "-p",
        "rhombus-transport",
        "--example",
        "soak",
        "--",
    ]);
    for option in ["--requests", "--seed"] {
        if let Some(value) = flags.value::<u64>(option)? {
            cmd.arg(option).arg(value.to_string());
        }
    }
    shell::run(&mut cmd)
}
