//! One JSON object per line.

use std::io::{self, Write};

use rhombus_model::{SplicedClip, WriteJson};

use super::ClipSink;

/// Writes each clip as one compact JSON line (unknown fields included).
pub struct NdjsonSink<'w, W> {
    out: &'w mut W,
    /// The line being written, reused from clip to clip.
    line: Vec<u8>,
}

impl<'w, W: Write> NdjsonSink<'w, W> {
    /// An NDJSON writer on `out`.
    pub fn new(out: &'w mut W) -> Self {
        NdjsonSink {
            out,
            line: Vec::new(),
        }
    }
}

impl<W: Write> ClipSink for NdjsonSink<'_, W> {
    fn clip(&mut self, clip: &SplicedClip<'_>) -> io::Result<()> {
        // The same bytes as serde_json (rhombus-model tests and fuzzes that),
        // about twice as fast on clips whose strings need no escapes.
        self.line.clear();
        clip.write_json(&mut self.line);
        self.line.push(b'\n');
        self.out.write_all(&self.line)
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

    #[test]
    fn many_clips_keep_every_line_in_order() {
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
        }
        sink.finish().unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            String::from_utf8(expected).unwrap()
        );
    }
}
