//! What every driver made of one input, side by side.

#![allow(dead_code)]

use std::io::Read;

use rhombus_model::{DecodeError, Decoder, WriteJson};

/// One driver's answer: the response as JSON and its problems, or the error.
pub type Answer = Result<(Vec<u8>, Vec<DecodeError>), DecodeError>;

/// A reader handing over `chunk` bytes at a time (a window's worst case).
pub struct Chunked<'a> {
    pub bytes: &'a [u8],
    pub chunk: usize,
}

impl Read for Chunked<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.chunk.min(buf.len()).min(self.bytes.len());
        buf[..n].copy_from_slice(&self.bytes[..n]);
        self.bytes = &self.bytes[n..];
        Ok(n)
    }
}

/// The in-memory decode.
pub fn in_memory(decoder: &Decoder, bytes: &[u8]) -> Answer {
    let mut decoder = decoder.clone();
    let decoded = decoder.decode(bytes)?;
    let mut json = Vec::new();
    decoded.value.write_json(&mut json);
    Ok((json, sorted(decoded.problems)))
}

/// The reader decode, `chunk` bytes per read.
pub fn from_reader(decoder: &Decoder, bytes: &[u8], chunk: usize) -> Answer {
    let mut decoder = decoder.clone();
    let decoded = decoder.decode_reader(Chunked { bytes, chunk })?;
    let mut json = Vec::new();
    decoded.value.write_json(&mut json);
    Ok((json, sorted(decoded.problems)))
}

/// The clip stream, `chunk` bytes per read: the clips are put back in the
/// envelope where the list was, to compare with the others.
pub fn streamed(decoder: &Decoder, bytes: &[u8], chunk: usize) -> Answer {
    let mut stream = decoder.stream(Chunked { bytes, chunk });
    let mut clips = Vec::new();
    let mut problems = Vec::new();
    while let Some(clip) = stream.next_clip() {
        let clip = clip?;
        let mut json = Vec::new();
        clip.item.write_json(&mut json);
        clips.push(json);
        problems.extend(clip.problems);
    }
    let envelope = stream.finish()?;
    problems.extend(envelope.problems().iter().cloned());
    let mut json = Vec::new();
    envelope.response().write_json(&mut json);
    // The envelope holds `"splicedClips":[]` where the list was.
    let list = format!(
        "[{}]",
        clips
            .iter()
            .map(|c| String::from_utf8_lossy(c))
            .collect::<Vec<_>>()
            .join(",")
    );
    let text = String::from_utf8_lossy(&json).replacen(
        "\"splicedClips\":[]",
        &format!("\"splicedClips\":{list}"),
        1,
    );
    Ok((text.into_bytes(), sorted(problems)))
}

fn sorted(mut problems: Vec<DecodeError>) -> Vec<DecodeError> {
    problems.sort_by_key(|p| p.offset());
    problems
}
