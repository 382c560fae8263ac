//! `rhombus clips parse`: decode a saved response offline.

use std::io::{IsTerminal, Read, Write};

use rhombus_model::DecodeError;
use rhombus_model::stream::StreamDecoder;

use super::Context;
use super::body::{check_envelope, finish, present, report_skipped, warn_unknown_statuses};
use crate::cli::{OutputFormat, ParseArgs};
use crate::error::{CliError, CliResult};
use crate::output::{Filter, Render, sink};

/// Reads the file (or stdin) and prints what decodes.
pub fn run(ctx: &Context, args: &ParseArgs) -> CliResult {
    let settings = ctx.settings()?;
    let render = ctx.render(&settings);
    let filter = Filter::new(&args.filter);
    let (mut reader, origin): (Box<dyn Read>, String) = match args.file.as_deref() {
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
    // NDJSON and CSV are written clip by clip anyway: stream them, so a
    // multi-GiB file decodes in memory bounded by its largest clip.
    let line_format = matches!(render.format, OutputFormat::Ndjson | OutputFormat::Csv);
    if args.stream || (line_format && !args.strict) {
        return stream(ctx, reader, &origin, &filter, &render);
    }
    let mut bytes = Vec::new();
    reader
        .read_to_end(&mut bytes)
        .map_err(|e| CliError::usage(format!("cannot read {origin}: {e}")))?;
    present(ctx, &bytes, &origin, None, &filter, &render, args.strict)
}

/// Why a stream stopped early.
enum Stop {
    Decode(DecodeError),
    Write(std::io::Error),
}

impl From<DecodeError> for Stop {
    fn from(e: DecodeError) -> Self {
        Stop::Decode(e)
    }
}

/// Decodes clip by clip, in memory bounded by the largest clip, printing each as
/// it comes (file order: nothing is sorted).
fn stream(
    ctx: &Context,
    reader: impl Read,
    origin: &str,
    filter: &Filter,
    render: &Render,
) -> CliResult {
    warn_unknown_statuses(ctx, filter);
    let mut out = ctx.stdout();
    let Some(mut sink) = sink(&mut out, render) else {
        return Err(CliError::usage(
            "--stream prints clip by clip: use --output ndjson, csv or table",
        ));
    };
    let mut skipped = Vec::new();
    let envelope = StreamDecoder::new(reader).try_for_each_clip(|_, clip| match clip {
        Ok(clip) if filter.matches(&clip) => sink.clip(&clip).map_err(Stop::Write),
        Ok(_) => Ok(()),
        Err(e) => {
            skipped.push(e);
            Ok(())
        }
    });
    let envelope = match envelope {
        Err(Stop::Write(e)) => return Err(e.into()),
        Err(Stop::Decode(e)) => Err(e),
        Ok(envelope) => Ok(envelope),
    };
    // Keep what decoded, even when the input broke, and say what was skipped
    // before it did.
    sink.finish()?;
    drop(sink);
    out.flush()?;
    let envelope = envelope.map_err(|e| {
        report_skipped(&skipped);
        CliError::decode(origin, &e)
    })?;
    check_envelope(
        ctx,
        envelope.is_error(),
        envelope.error_msg.as_deref(),
        envelope.warning_msg.as_deref(),
    )?;
    finish(&skipped, envelope.clip_count, origin)
}
