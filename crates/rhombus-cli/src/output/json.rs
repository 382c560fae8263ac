//! The whole response as JSON, written as the clips come.

use std::io::{self, Write};

use rhombus_model::{Item, Response, SplicedClip, WriteJson};

use super::ClipSink;

/// Writes `{"splicedClips":[` at the first element, each element on a line
/// of its own (raw values as sent), then `]` and the envelope's other
/// fields; a response without elements is written whole at the end.
///
/// Every value is the one the server sent, unknown fields and raw values
/// in their object; only `splicedClips` moves to the front.
pub struct JsonSink<'w, W> {
    out: &'w mut W,
    /// One element or the envelope, reused.
    buf: Vec<u8>,
    /// Whether `{"splicedClips":[` is written.
    open: bool,
}

impl<'w, W: Write> JsonSink<'w, W> {
    /// A JSON writer on `out`.
    pub fn new(out: &'w mut W) -> Self {
        JsonSink {
            out,
            buf: Vec::new(),
            open: false,
        }
    }
}

impl<W: Write> ClipSink for JsonSink<'_, W> {
    fn item(&mut self, item: &Item<'_, SplicedClip<'_>>) -> io::Result<()> {
        let lead: &[u8] = if self.open {
            b",\n"
        } else {
            b"{\"splicedClips\":[\n"
        };
        self.open = true;
        self.buf.clear();
        self.buf.extend_from_slice(lead);
        item.write_json(&mut self.buf);
        self.out.write_all(&self.buf)
    }

    fn finish(&mut self, envelope: Option<&Response<'_>>) -> io::Result<()> {
        let Some(envelope) = envelope else {
            // The input broke: what was written stays unclosed, not passed
            // off as a whole response.
            if self.open {
                self.out.write_all(b"\n")?;
            }
            return self.out.flush();
        };
        let mut rest = envelope.clone();
        if self.open {
            rest.spliced_clips = None;
        }
        self.buf.clear();
        rest.write_json(&mut self.buf);
        if self.open {
            self.out.write_all(b"\n]")?;
            // `{…}` without its `{`: the fields after the clips, or just `}`.
            if self.buf.len() > 2 {
                self.out.write_all(b",")?;
            }
            self.out.write_all(&self.buf[1..])?;
        } else {
            self.out.write_all(&self.buf)?;
        }
        self.out.write_all(b"\n")?;
        self.out.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::Filter;
    use crate::output::fixture::feed_json;

    fn json(body: &str, filter: &Filter) -> String {
        let mut out = Vec::new();
        feed_json(body, filter, &mut JsonSink::new(&mut out));
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn every_value_comes_back_in_its_place() {
        let body = r#"{"error":false,"splicedClips":[null, 42, {"clipUuid":"A","duration":"long","x":[1, 2]}],"warningMsg":"w","requestId":"r"}"#;
        let text = json(body, &Filter::default());
        assert_eq!(
            text,
            "{\"splicedClips\":[\nnull,\n42,\n{\"clipUuid\":\"A\",\"duration\":\"long\",\"x\":[1, 2]}\n],\
             \"error\":false,\"warningMsg\":\"w\",\"requestId\":\"r\"}\n"
        );
        let printed: serde_json::Value = serde_json::from_str(&text).unwrap();
        let sent: serde_json::Value = serde_json::from_str(body).unwrap();
        assert_eq!(printed, sent);
    }

    #[test]
    fn a_response_without_elements_is_written_whole() {
        for body in [
            r#"{"error":true,"errorMsg":"no"}"#,
            r#"{"splicedClips":[],"error":false}"#,
            r#"{"splicedClips":"odd"}"#,
            r#"{}"#,
        ] {
            let text = json(body, &Filter::default());
            let printed: serde_json::Value = serde_json::from_str(&text).unwrap();
            let sent: serde_json::Value = serde_json::from_str(body).unwrap();
            assert_eq!(printed, sent, "{body}");
        }
    }

    #[test]
    fn a_broken_input_leaves_the_array_open() {
        let mut out = Vec::new();
        let mut sink = JsonSink::new(&mut out);
        sink.item(&Item::Null).unwrap();
        sink.finish(None).unwrap();
        assert_eq!(out, b"{\"splicedClips\":[\nnull\n");
    }
}
