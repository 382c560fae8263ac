//! `rhombus clips parse`: decode a saved response offline.

use std::io::{IsTerminal, Read};

use super::Context;
use super::body::{Origin, Reading, Show, print};
use crate::cli::ParseArgs;
use crate::error::{CliError, CliResult};
use crate::output::Filter;

/// Reads the file (or stdin) clip by clip and prints each as it comes.
pub fn run(ctx: &Context, args: &ParseArgs) -> CliResult {
    let settings = ctx.settings()?;
    let render = ctx.render(&settings);
    let filter = Filter::new(&args.filter);
    let (reader, name): (Box<dyn Read>, String) = match args.file.as_deref() {
        Some(path) if path.as_os_str() != "-" => {
            let cannot_read = |why: &dyn std::fmt::Display| {
                CliError::usage(format!("cannot read {}: {why}", path.display()))
            };
            let file = std::fs::File::open(path).map_err(|e| cannot_read(&e))?;
            // Opening a directory succeeds; reading it would fail after the
            // output had begun.
            if file.metadata().is_ok_and(|m| m.is_dir()) {
                return Err(cannot_read(&"it is a directory"));
            }
            // A path may name a FIFO: read it in full buffers too.
            (Box::new(file), path.display().to_string())
        }
        _ => {
            let stdin = std::io::stdin().lock();
            if stdin.is_terminal() {
                ctx.note("reading a response from stdin (end with Ctrl-D)");
            }
            (Box::new(stdin), "stdin".to_owned())
        }
    };
    let origin = Origin {
        name: &name,
        key: None,
    };
    let show = Show {
        filter: &filter,
        render: &render,
    };
    print(
        ctx,
        &Reading::ClipByClip.decoder(args.strict, &args.limits),
        reader,
        origin,
        &show,
    )
}
