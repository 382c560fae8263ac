//! One JSON object per line.

use std::io::{self, Write};

use rhombus_model::SplicedClip;

use super::ClipSink;
use super::text::write_json_line;

/// Writes each clip as one compact JSON line (unknown fields included).
pub struct NdjsonSink<'w> {
    out: &'w mut dyn Write,
}

impl<'w> NdjsonSink<'w> {
    /// An NDJSON writer on `out`.
    pub fn new(out: &'w mut dyn Write) -> Self {
        NdjsonSink { out }
    }
}

impl ClipSink for NdjsonSink<'_> {
    fn clip(&mut self, clip: &SplicedClip<'_>) -> io::Result<()> {
        write_json_line(self.out, clip)
    }

    fn finish(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::fixture;

    #[test]
    fn one_line_per_clip_with_unknown_fields() {
        let mut out = Vec::new();
        fixture::feed(&mut NdjsonSink::new(&mut out));
        let text = String::from_utf8(out).unwrap();
        let lines: Vec<_> = text.lines().collect();
        assert_eq!(lines.len(), 4);
        let first: serde_json::Value = serde_json::from_str(lines[1]).unwrap();
        assert_eq!(first["parentClipUuid"], "PPPPPPPPPPPPPPPPPPPPPP");
        assert_eq!(first["status"], "UPLOADING");
    }
}
