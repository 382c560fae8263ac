//! `rhombus clips in-progress`: one call, printed.
//!
//! The transport holds the body (at most `--max-body-mib`); the body is
//! then read through twice by the clip stream, never decoded whole: once
//! to check it (so a body cut short is retried, and one that fails prints
//! nothing), once to print. Peak memory is the body plus the largest clip,
//! whatever the clip count; a whole decoded tree would add up to the
//! decoder's tree limit (512 MiB) on top of the body.

use rhombus_model::{DecodeError, Decoder, OwnedResponse};
use rhombus_transport::{Client, Error, RawResponse};

use super::Context;
use super::body::{Origin, Reading, Show, check, check_envelope, print};
use crate::cli::ListArgs;
use crate::error::{CliError, CliResult};
use crate::output::Filter;

/// Fetches the clips in progress and prints them.
pub async fn run(ctx: &Context, args: &ListArgs) -> CliResult {
    let settings = ctx.settings()?;
    let reading = Reading::ClipByClip;
    let decoder = reading.decoder(false, &args.limits);
    let client = ctx.client(&settings, reading.body_cap(&args.limits), &decoder)?;
    let base_url = &settings.base_url.value;
    let origin = Origin {
        name: "the response",
        // `client` succeeded, so the settings have a key.
        key: settings.api_key.as_ref().map(|k| &k.value),
    };
    let (raw, envelope) =
        fetch_checked(&client, &decoder)
            .await
            .map_err(|failure| match failure {
                Failed::CutShort(e) => origin.undecodable(e),
                Failed::Transport(e) => CliError::from_transport(&e, base_url),
            })?;
    tracing::debug!(
        bytes = raw.bytes.len(),
        attempts = raw.attempts,
        endpoint = raw.endpoint.path(),
        "response received"
    );
    let envelope = envelope.map_err(|e| origin.undecodable(e))?;
    let response = envelope.response();
    if response.is_error() {
        check_envelope(
            ctx,
            true,
            response.error_msg.map(|m| origin.hide(m)).as_deref(),
            None,
        )?;
    }
    drop(envelope);
    let show = Show {
        filter: &Filter::new(&args.filter),
        render: &ctx.render(&settings),
    };
    print(ctx, &decoder, &raw.bytes[..], origin, &show)
}

/// Why no body was checked.
enum Failed {
    /// Every attempt's body was cut short: the last one's error.
    CutShort(DecodeError),
    /// The call failed.
    Transport(Error),
}

/// Fetches a body and reads it through once (see [`check`]); a body cut
/// short is retried as the client's policy says (the transport reads a
/// decode error at the end of input as a truncated body).
async fn fetch_checked(
    client: &Client,
    decoder: &Decoder,
) -> Result<(RawResponse, Result<OwnedResponse, DecodeError>), Failed> {
    client
        .fetch_with(|raw| match check(decoder, &raw.bytes) {
            Err(e) if e.is_eof() => Err(Error::from(e)),
            checked => Ok((raw.clone(), checked)),
        })
        .await
        .map_err(|e| match e.decode_error() {
            Some(eof) if eof.is_eof() => Failed::CutShort(eof.clone()),
            _ => Failed::Transport(e),
        })
}
