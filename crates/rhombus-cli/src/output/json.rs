//! The whole response as JSON, unknown fields included.

use std::io::{self, Write};

use rhombus_model::Response;

/// Pretty-prints `response` (re-encoded from the decoded value, so unknown
/// fields and enum values appear exactly as they were kept), then a newline.
pub fn write_json(out: &mut dyn Write, response: &Response<'_>) -> io::Result<()> {
    // serde_json writes in many small pieces: a concrete buffer in front of
    // `dyn Write` keeps them inlined copies instead of dynamic calls.
    let mut buffered = io::BufWriter::with_capacity(64 * 1024, out);
    serde_json::to_writer_pretty(&mut buffered, response).map_err(io::Error::from)?;
    buffered.write_all(b"\n")?;
    buffered.flush()
}
