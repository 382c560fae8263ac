//! `rhombus clips in-progress`: one call, printed.

use super::Context;
use super::body::present;
use crate::cli::ListArgs;
use crate::error::{CliError, CliResult};
use crate::output::Filter;

/// Fetches the clips in progress and prints them.
pub async fn run(ctx: &Context, args: &ListArgs) -> CliResult {
    let settings = ctx.settings()?;
    let client = ctx.client(&settings)?;
    let raw = client
        .fetch_raw()
        .await
        .map_err(|e| CliError::from_transport(&e, &settings.base_url.value))?;
    tracing::debug!(
        bytes = raw.bytes.len(),
        attempts = raw.attempts,
        endpoint = raw.endpoint.path(),
        "response received"
    );
    present(
        ctx,
        &raw.bytes,
        "the response",
        // `client` succeeded, so the settings have a key.
        settings.api_key.as_ref().map(|k| &k.value),
        &Filter::new(&args.filter),
        &ctx.render(&settings),
        false,
    )
}
