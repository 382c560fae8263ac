//! Presenting a response body: decode (tolerant or strict), report, print.

use std::io::Write;

use rhombus_model::{DecodeError, FindDrift, Response, decode, decode_tolerant};
use rhombus_transport::{Secret, shorten};

use super::Context;
use crate::error::{CliError, CliResult, ExitCode};
use crate::output::{Filter, Render, write_response};

/// Decodes `bytes` and prints the clips. `origin` names the input in messages.
///
/// Tolerant: clips that fail to decode are reported with their JSON path and the
/// rest printed (exit 3). Strict: any decode failure or drift fails (exit 3).
/// `"error": true` fails with its `errorMsg` (exit 1); a `warningMsg` is shown.
/// A body fetched with `key` (`None` for a file) is shown without it wherever
/// its text reaches a message (a server may echo the key), and one cut short
/// on the wire is an HTTP failure (exit 1).
pub fn present(
    ctx: &Context,
    bytes: &[u8],
    origin: &str,
    key: Option<&Secret>,
    filter: &Filter,
    render: &Render,
    strict: bool,
) -> CliResult {
    warn_unknown_statuses(ctx, filter);
    let hide = |text: &str| key.map_or_else(|| text.to_owned(), |k| k.hidden_in(text).into_owned());
    let hide_error = |e: DecodeError| match key {
        Some(k) => k.hidden_in_error(e),
        None => e,
    };
    let undecodable = |e: DecodeError| {
        let eof = e.is_eof();
        let mut err = CliError::decode(origin, &hide_error(e));
        if key.is_some() && eof {
            err.code = ExitCode::Failure;
            err.hint = Some("the body was cut short on the way; try again".into());
        }
        err
    };
    let (response, failures) = if strict {
        (decode(bytes).map_err(undecodable)?, Vec::new())
    } else {
        let tolerant = decode_tolerant(bytes).map_err(undecodable)?;
        (tolerant.response, tolerant.failures)
    };
    // The server's own verdict first: an `"error": true` body is that error,
    // whatever else it holds.
    check_envelope(
        ctx,
        response.is_error(),
        response.error_msg.as_deref().map(hide).as_deref(),
        response.warning().map(hide).as_deref(),
    )?;
    if strict {
        reject_drift(&response, origin)?;
    }
    let total = response.clips().len() + failures.len();
    let mut out = ctx.stdout();
    write_response(&mut out, response, filter, render)?;
    out.flush()?;
    let errors: Vec<DecodeError> = failures.into_iter().map(|f| hide_error(f.error)).collect();
    finish(&errors, total, origin)
}

/// `--strict`: exit 3 (naming each on stderr) for fields and values this
/// version does not know.
fn reject_drift(response: &Response<'_>, origin: &str) -> Result<(), CliError> {
    let drift = response.drift();
    if drift.is_empty() {
        return Ok(());
    }
    let mut stderr = std::io::stderr().lock();
    for d in &drift {
        let _ = writeln!(stderr, "drift: {d}");
    }
    Err(CliError::new(
        ExitCode::Decode,
        format!(
            "{origin} has {} field(s) or value(s) this version does not know (--strict)",
            drift.len()
        ),
    )
    .with_hint("drop --strict to accept them (they are kept in the output)"))
}

/// Warns about `--status` values this version does not know (likely typos).
pub fn warn_unknown_statuses(ctx: &Context, filter: &Filter) {
    for status in filter.unknown_statuses() {
        ctx.warn(format!(
            "--status {status} is not a status this version knows"
        ));
    }
}

/// `"error": true` is a failure (exit 1) with its `errorMsg`; a `warningMsg` is
/// shown. Both are [`shorten`]ed (after any key was hidden in them).
pub fn check_envelope(
    ctx: &Context,
    is_error: bool,
    error_msg: Option<&str>,
    warning: Option<&str>,
) -> Result<(), CliError> {
    if is_error {
        let message = error_msg
            .filter(|m| !m.is_empty())
            .unwrap_or("no errorMsg given");
        return Err(CliError::new(
            ExitCode::Failure,
            format!("the Rhombus API reported an error: {}", shorten(message)),
        ));
    }
    if let Some(warning) = warning {
        ctx.warn(format!("the Rhombus API says: {}", shorten(warning)));
    }
    Ok(())
}

/// Names each skipped clip on stderr.
pub fn report_skipped(skipped: &[DecodeError]) {
    let mut stderr = std::io::stderr().lock();
    for error in skipped {
        let _ = writeln!(
            stderr,
            "error: skipped a clip: {}",
            shorten(&error.to_string())
        );
    }
}

/// Success, or (after naming each skipped clip on stderr) exit 3.
pub fn finish(skipped: &[DecodeError], total: usize, origin: &str) -> CliResult {
    if skipped.is_empty() {
        return Ok(ExitCode::Success);
    }
    report_skipped(skipped);
    Err(CliError::new(
        ExitCode::Decode,
        format!(
            "{} of {total} clips in {origin} could not be decoded; the others were printed",
            skipped.len()
        ),
    ))
}
