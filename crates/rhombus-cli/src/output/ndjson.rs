//! One JSON object per line.

use std::io::{self, Write};

use rhombus_model::{SplicedClip, WriteJson};

use super::ClipSink;

/// Lines are gathered up to this many bytes before they are written out.
const BATCH: usize = 64 * 1024;

/// Writes each clip as one compact JSON line (unknown fields included).
pub struct NdjsonSink<'w> {
    out: &'w mut dyn Write,
    /// Whole lines not yet written, gathered so that `out` sees a few large
    /// writes instead of a call per clip.
    lines: Vec<u8>,
}

impl<'w> NdjsonSink<'w> {
    /// An NDJSON writer on `out`.
    pub fn new(out: &'w mut dyn Write) -> Self {
        NdjsonSink {
            out,
            lines: Vec::with_capacity(BATCH + BATCH / 4),
        }
    }

    fn write_lines(&mut self) -> io::Result<()> {
        let written = self.out.write_all(&self.lines);
        self.lines.clear();
        written
    }
}

impl ClipSink for NdjsonSink<'_> {
    fn clip(&mut self, clip: &SplicedClip<'_>) -> io::Result<()> {
        // The same bytes as serde_json (rhombus-model tests and fuzzes that),
        // about twice as fast on clips whose strings need no escapes.
        clip.write_json(&mut self.lines);
        self.lines.push(b'\n');
        if self.lines.len() >= BATCH {
            self.write_lines()?;
        }
        Ok(())
    }

    fn finish(&mut self) -> io::Result<()> {
        self.write_lines()?;
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

    #[test]
    fn batches_past_the_threshold_keep_every_line_in_order() {
        let response = rhombus_model::decode_str(fixture::RESPONSE).expect("fixture decodes");
        let clips = response.clips();
        let mut expected = Vec::new();
        let mut out = Vec::new();
        let mut sink = NdjsonSink::new(&mut out);
        for i in 0..2000 {
            let clip = &clips[i % clips.len()];
            sink.clip(clip).unwrap();
            expected.extend(serde_json::to_vec(clip).unwrap());
            expected.push(b'\n');
            if i == 0 {
                assert!(sink.lines.len() < BATCH, "one clip stays buffered");
            }
        }
        assert!(expected.len() > 2 * BATCH, "the threshold is crossed");
        sink.finish().unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            String::from_utf8(expected).unwrap()
        );
    }
}
