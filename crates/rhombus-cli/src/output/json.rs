//! The whole response as JSON, unknown fields included.

use std::io::{self, Write};

use rhombus_model::Response;

/// Pretty-prints `response` (re-encoded from the decoded value, so unknown
/// fields and enum values appear exactly as they were kept), then a newline.
pub fn write_json(out: &mut impl Write, response: &Response<'_>) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, response).map_err(io::Error::from)?;
    writeln!(out)
}
