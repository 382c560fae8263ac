//! `rhombus clips parse`: decode a saved response offline.

use std::io::{IsTerminal, Read};

use super::Context;
use super::body::present;
use crate::cli::ParseArgs;
use crate::error::{CliError, CliResult};
use crate::output::Filter;

/// Reads the file (or stdin) and prints what decodes.
pub fn run(ctx: &Context, args: &ParseArgs) -> CliResult {
    let settings = ctx.settings()?;
    let (bytes, origin) = match args.file.as_deref() {
        Some(path) if path.as_os_str() != "-" => {
            let bytes = std::fs::read(path)
                .map_err(|e| CliError::usage(format!("cannot read {}: {e}", path.display())))?;
            (bytes, path.display().to_string())
        }
        _ => {
            let mut stdin = std::io::stdin().lock();
            if stdin.is_terminal() {
                ctx.note("reading a response from stdin (end with Ctrl-D)");
            }
            let mut bytes = Vec::new();
            stdin
                .read_to_end(&mut bytes)
                .map_err(|e| CliError::usage(format!("cannot read stdin: {e}")))?;
            (bytes, "stdin".to_owned())
        }
    };
    present(
        ctx,
        &bytes,
        &origin,
        false,
        &Filter::new(&args.filter),
        &ctx.render(&settings),
        args.strict,
    )
}
