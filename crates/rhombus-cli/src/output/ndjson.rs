//! One JSON value per line.

use std::io::{self, Write};

use rhombus_model::{Item, Response, SplicedClip, WriteJson};

use super::ClipSink;
use super::line::compact;

/// Writes each element of the list as one compact JSON line: a clip with
/// its unknown fields, `null`, or a raw element (its whitespace taken out,
/// so a line never breaks).
pub struct NdjsonSink<'w, W> {
    out: &'w mut W,
    /// The element as encoded, reused from clip to clip.
    json: Vec<u8>,
    /// The line being written, reused from clip to clip.
    line: Vec<u8>,
}

impl<'w, W: Write> NdjsonSink<'w, W> {
    /// An NDJSON writer on `out`.
    pub fn new(out: &'w mut W) -> Self {
        NdjsonSink {
            out,
            json: Vec::new(),
            line: Vec::new(),
        }
    }
}

impl<W: Write> ClipSink for NdjsonSink<'_, W> {
    fn item(&mut self, item: &Item<'_, SplicedClip<'_>>) -> io::Result<()> {
        self.json.clear();
        item.write_json(&mut self.json);
        self.line.clear();
        compact(&self.json, &mut self.line);
        self.line.push(b'\n');
        self.out.write_all(&self.line)
    }

    fn finish(&mut self, _: Option<&Response<'_>>) -> io::Result<()> {
        self.out.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::Filter;
    use crate::output::fixture::{self, feed_json};

    #[test]
    fn one_line_per_clip_with_unknown_fields() {
        let mut out = Vec::new();
        fixture::feed(&mut NdjsonSink::new(&mut out));
        let text = String::from_utf8(out).unwrap();
        let lines: Vec<_> = text.lines().collect();
        assert_eq!(lines.len(), 4);
        let first: serde_json::Value = serde_json::from_str(lines[0]).unwrap();
        assert_eq!(first["parentClipUuid"], "PPPPPPPPPPPPPPPPPPPPPP");
        assert_eq!(first["status"], "UPLOADING");
    }

    #[test]
    fn raw_values_with_line_breaks_stay_on_their_line() {
        let body = "{\"splicedClips\":[{\"clipUuid\":\"A\",\"x\":{\n \"a\" : [1,\r\n 2],\"s\":\"two  spaces\"}},\n[ 1,\n 2 ],\nnull]}";
        let mut out = Vec::new();
        feed_json(body, &Filter::default(), &mut NdjsonSink::new(&mut out));
        let text = String::from_utf8(out).unwrap();
        assert_eq!(
            text,
            "{\"clipUuid\":\"A\",\"x\":{\"a\":[1,2],\"s\":\"two  spaces\"}}\n[1,2]\nnull\n"
        );
    }
}
