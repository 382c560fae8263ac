//! `rhombus completions` and `rhombus man`.

use std::io::Write;

use clap::CommandFactory;

use super::Context;
use crate::cli::Cli;
use crate::error::{CliResult, ExitCode};

/// Prints the completion script for `shell`.
pub fn completions(ctx: &Context, shell: clap_complete::Shell) -> CliResult {
    let mut out = ctx.stdout();
    clap_complete::generate(shell, &mut Cli::command(), "rhombus", &mut out);
    out.flush()?;
    Ok(ExitCode::Success)
}

/// Prints the man page (roff).
pub fn man(ctx: &Context) -> CliResult {
    let mut out = ctx.stdout();
    clap_mangen::Man::new(Cli::command()).render(&mut out)?;
    out.flush()?;
    Ok(ExitCode::Success)
}
