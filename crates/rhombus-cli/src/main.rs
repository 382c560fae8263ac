#![doc = include_str!("../README.md")]

mod cli;
mod commands;
mod config;
mod error;
mod logging;
mod output;

use std::io::Write;

use crate::cli::{Cli, ColorChoice};
use crate::commands::Context;
use crate::error::ExitCode;
use crate::output::text::sanitize;

fn main() -> std::process::ExitCode {
    // One line, never a backtrace, even for a bug.
    std::panic::set_hook(Box::new(|info| {
        let _ = writeln!(
            std::io::stderr(),
            "error: internal error ({info}); please report it"
        );
    }));
    let cli = match Cli::parse_from_process() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return std::process::ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    let ctx = Context::from_process(cli.global);
    let ansi = match ctx.global.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => ctx.stderr_tty && !ctx.env.contains_key("NO_COLOR"),
    };
    logging::init(ctx.global.verbose, ansi);
    // What a command printed must reach stdout, or the exit code says it did
    // not (a full disk, an I/O error; a closed pipe is a normal end).
    let result = commands::run(&ctx, cli.command).and_then(|code| {
        std::io::stdout().flush()?;
        Ok(code)
    });
    let code = match result {
        Ok(code) => code,
        Err(e) if e.is_broken_pipe() => ExitCode::Success,
        Err(e) => {
            // Messages quote server and file text: one line each, and no
            // control character (an escape code) reaches the terminal.
            let mut stderr = std::io::stderr().lock();
            let _ = writeln!(stderr, "error: {}", sanitize(&e.message));
            if let Some(hint) = &e.hint {
                let _ = writeln!(stderr, "hint: {}", sanitize(hint));
            }
            e.code
        }
    };
    std::process::ExitCode::from(code as u8)
}
