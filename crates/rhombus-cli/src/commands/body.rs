//! Printing a response clip by clip, as the stream decodes it: the one path
//! `clips ls` and `clips parse` share.
//!
//! Memory follows the largest clip (and the window the stream reads in),
//! never the clip count: each element of `splicedClips` is decoded, warned
//! about, printed and dropped before the next is read.

use std::io::{Read, Write};

use rhombus_model::{DecodeError, Decoder, FindDrift, Item, OwnedResponse, SplicedClip};
use rhombus_transport::{Secret, shorten};

use super::Context;
use crate::cli::LimitArgs;
use crate::error::{CliError, CliResult, ExitCode};
use crate::output::text::sanitize;
use crate::output::{Filter, Render, sink};

/// Problems shown one per line; past this many they are only counted.
const SHOWN: usize = 100;

/// How a command reads a response; this decides which limits bound its memory.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reading {
    /// Clip by clip (`ls`, `parse`): memory follows the largest clip, so the
    /// clip count is not capped unless `--max-clips` asks.
    ClipByClip,
    /// Whole, two polls at a time (`watch` diffs them): the body and tree
    /// caps default to [`WATCH_BODY_MIB`] and [`WATCH_TREE_MIB`].
    Whole,
}

/// `clips watch`'s default body cap, in MiB: two polls, each its body and
/// its tree, stay within 512 MiB.
pub const WATCH_BODY_MIB: u64 = 64;

/// `clips watch`'s default tree cap, in MiB (see [`WATCH_BODY_MIB`]).
pub const WATCH_TREE_MIB: usize = 160;

impl Reading {
    /// The decoder the limits ask for (tolerant unless `strict`).
    pub fn decoder(self, strict: bool, limits: &LimitArgs) -> Decoder {
        let mut decoder = Decoder::new().strict(strict);
        let clips = match self {
            Reading::ClipByClip => limits.max_clips.or(Some(usize::MAX)),
            Reading::Whole => limits.max_clips,
        };
        if let Some(clips) = clips {
            decoder = decoder.max_clips(clips);
        }
        if let Some(mib) = limits.max_value_mib {
            decoder = decoder.max_value_len(mib.saturating_mul(1 << 20));
        }
        if self == Reading::Whole {
            let mib = limits.max_tree_mib.unwrap_or(WATCH_TREE_MIB);
            decoder = decoder.max_tree_bytes(mib.saturating_mul(1 << 20));
        }
        decoder
    }

    /// The largest response body to accept, in bytes (`None`: the
    /// transport's default).
    pub fn body_cap(self, limits: &LimitArgs) -> Option<u64> {
        let mib = match self {
            Reading::ClipByClip => limits.max_body_mib,
            Reading::Whole => Some(limits.max_body_mib.unwrap_or(WATCH_BODY_MIB)),
        };
        mib.map(|mib| mib.saturating_mul(1 << 20))
    }
}

/// Where a body comes from, for messages: its name, and the key it was
/// fetched with (`None` for a file), hidden wherever the body's text
/// reaches a message (a server may echo the key).
#[derive(Clone, Copy)]
pub struct Origin<'a> {
    /// `the response`, a file name, `stdin`.
    pub name: &'a str,
    /// The key the body was fetched with.
    pub key: Option<&'a Secret>,
}

impl Origin<'_> {
    /// `text` without the key.
    pub fn hide(&self, text: &str) -> String {
        self.key
            .map_or_else(|| text.to_owned(), |k| k.hidden_in(text).into_owned())
    }

    /// `error` without the key.
    pub fn hide_error(&self, error: DecodeError) -> DecodeError {
        match self.key {
            Some(k) => k.hidden_in_error(error),
            None => error,
        }
    }

    /// The error for an input that stopped decoding; a fetched body cut
    /// short was cut on the way (exit 1), not undecodable.
    pub fn undecodable(&self, error: DecodeError) -> CliError {
        let eof = error.is_eof();
        let mut err = CliError::decode(self.name, &self.hide_error(error));
        if self.key.is_some() && eof {
            err.code = ExitCode::Failure;
            err.hint = Some("the body was cut short on the way; try again".into());
        }
        err
    }
}

/// Reads a body through once without printing: its envelope, or the
/// error that stops it (a first pass, so nothing is printed for a body that
/// is cut short, fails or says `"error": true`).
pub fn check(decoder: &Decoder, bytes: &[u8]) -> Result<OwnedResponse, DecodeError> {
    let mut stream = decoder.stream(bytes);
    while let Some(clip) = stream.next_clip() {
        clip?;
    }
    stream.finish()
}

/// What is printed, and how.
pub struct Show<'a> {
    /// Which clips.
    pub filter: &'a Filter,
    /// The format.
    pub render: &'a Render,
}

/// Decodes `reader` clip by clip and prints each element `show.filter`
/// keeps as it comes, then the envelope.
///
/// Tolerant: each value kept raw is warned about with its path, and the
/// command ends with exit 3. Strict (a strict `decoder`): the first value
/// that does not fit stops the input; anything this version does not know
/// (drift) is named, printing stops at the first clip that has any, and the
/// command ends with exit 3. `"error": true` fails with its `errorMsg`
/// (exit 1); a `warningMsg` is shown.
pub fn print(
    ctx: &Context,
    decoder: &Decoder,
    reader: impl Read,
    origin: Origin<'_>,
    show: &Show<'_>,
) -> CliResult {
    warn_unknown_statuses(ctx, show.filter);
    let mut out = ctx.stdout();
    let mut sink = sink(&mut out, show.render);
    let mut report = Report::new(ctx, origin);
    let mut stream = decoder.stream(reader);
    while let Some(next) = stream.next_clip() {
        let clip = match next {
            Ok(clip) => clip,
            Err(e) => {
                // Keep what was printed; say what went wrong before the break.
                sink.finish(None)?;
                report.close();
                return Err(origin.undecodable(e));
            }
        };
        report.problems(clip.problems);
        if decoder.is_strict() {
            report.drift(&clip.item, clip.index);
        }
        if report.drifted == 0 && show.filter.keeps(&clip.item) {
            sink.item(&clip.item)?;
        }
    }
    let envelope = stream.finish().map_err(|e| origin.undecodable(e))?;
    report.problems(envelope.problems().to_vec());
    let response = envelope.response();
    if decoder.is_strict() {
        report.envelope_drift(response);
    }
    let whole = report.drifted == 0 && !response.is_error();
    sink.finish(whole.then_some(response))?;
    drop(sink);
    out.flush()?;
    report.close();
    // The server's own verdict first: an `"error": true` body is that
    // error, whatever else it holds.
    check_envelope(
        ctx,
        response.is_error(),
        response.error_msg.map(|m| origin.hide(m)).as_deref(),
        response.warning().map(|w| origin.hide(w)).as_deref(),
    )?;
    report.verdict()
}

/// What a decode reported on stderr, for the exit code.
struct Report<'c> {
    ctx: &'c Context,
    origin: Origin<'c>,
    /// Values kept raw (tolerant) or unknown to this version (strict).
    problems: usize,
    drifted: usize,
}

impl<'c> Report<'c> {
    fn new(ctx: &'c Context, origin: Origin<'c>) -> Self {
        Report {
            ctx,
            origin,
            problems: 0,
            drifted: 0,
        }
    }

    /// Warns about each value kept raw (the first [`SHOWN`] of them).
    fn problems(&mut self, problems: Vec<DecodeError>) {
        for problem in problems {
            self.problems += 1;
            if self.problems <= SHOWN {
                let problem = self.origin.hide_error(problem);
                self.ctx.warn(format!(
                    "{}; kept in the output",
                    shorten(&problem.to_string())
                ));
            }
        }
    }

    /// `--strict`: names what this version does not know in an element.
    fn drift(&mut self, item: &Item<'_, SplicedClip<'_>>, index: usize) {
        let mut path = format!("splicedClips[{index}]");
        let mut found = Vec::new();
        item.find_drift(&mut path, &mut found);
        self.name_drift(found);
    }

    /// `--strict`: names what this version does not know in the envelope.
    fn envelope_drift(&mut self, response: &rhombus_model::Response<'_>) {
        self.name_drift(response.drift());
    }

    fn name_drift(&mut self, found: Vec<rhombus_model::Drift>) {
        let mut stderr = std::io::stderr().lock();
        for drift in found {
            self.drifted += 1;
            if self.drifted <= SHOWN {
                let line = sanitize(&self.origin.hide(&drift.to_string()));
                let line = shorten(&line);
                let _ = writeln!(stderr, "drift: {line}");
            }
        }
    }

    /// Counts what was not shown.
    fn close(&self) {
        let unshown = self.problems.saturating_sub(SHOWN) + self.drifted.saturating_sub(SHOWN);
        if unshown > 0 {
            self.ctx
                .warn(format!("{unshown} more like these (not listed)"));
        }
    }

    /// Exit 3 when anything was refused or kept raw, else success.
    fn verdict(&self) -> CliResult {
        let name = self.origin.name;
        if self.drifted > 0 {
            return Err(CliError::new(
                ExitCode::Decode,
                format!(
                    "{name} has {} field(s) or value(s) this version does not know (--strict)",
                    self.drifted
                ),
            )
            .with_hint("drop --strict to accept them (they are kept in the output)"));
        }
        if self.problems > 0 {
            return Err(CliError::new(
                ExitCode::Decode,
                format!(
                    "{} value(s) in {name} did not decode cleanly (each is warned about \
                     above, with its path); nothing else was lost",
                    self.problems
                ),
            ));
        }
        Ok(ExitCode::Success)
    }
}

/// Warns about `--status` values this version does not know (likely typos).
pub fn warn_unknown_statuses(ctx: &Context, filter: &Filter) {
    for status in filter.unknown_statuses() {
        ctx.warn(format!(
            "--status {status} is not a status this version knows"
        ));
    }
}

/// `"error": true` is a failure (exit 1) with its `errorMsg`; a `warningMsg` is shown.
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
        // Server text: shown shortened.
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
