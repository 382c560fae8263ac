//! On the benchmark's generated payloads (realistic clips, compact or
//! pretty printed), every driver decodes the same response, whatever the
//! read size, and a bad clip costs only its value, reported alike.

use std::io::Read;

use rhombus_benches::payload::{Amount, generate};
use rhombus_model::{DecodeError, Decoder, Item, SplicedClip, WriteJson};

/// A reader returning at most `chunk` bytes per call.
struct Chunked<'a>(&'a [u8], usize);

impl Read for Chunked<'_> {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        let n = self.1.min(out.len()).min(self.0.len());
        out[..n].copy_from_slice(&self.0[..n]);
        self.0 = &self.0[n..];
        Ok(n)
    }
}

/// Each element of a decoded clip list as JSON.
fn json(items: &[Item<'_, SplicedClip<'_>>]) -> Vec<Vec<u8>> {
    items
        .iter()
        .map(|c| {
            let mut json = Vec::new();
            c.write_json(&mut json);
            json
        })
        .collect()
}

/// The clips' JSON and every problem, as the in-memory decode gives them.
fn in_memory(input: &[u8]) -> (Vec<Vec<u8>>, Vec<DecodeError>) {
    let mut decoder = Decoder::new();
    let decoded = decoder.decode(input).expect("decodes");
    (json(decoded.clip_items()), decoded.problems)
}

/// The same from the reader decode.
fn read(input: &[u8], chunk: usize) -> (Vec<Vec<u8>>, Vec<DecodeError>) {
    let mut decoder = Decoder::new();
    let decoded = decoder
        .decode_reader(Chunked(input, chunk))
        .expect("decodes");
    (json(decoded.clip_items()), decoded.problems)
}

/// The same from the clip stream.
fn streamed(input: &[u8], chunk: usize) -> (Vec<Vec<u8>>, Vec<DecodeError>) {
    let mut stream = Decoder::new().stream(Chunked(input, chunk));
    let (mut clips, mut problems) = (Vec::new(), Vec::new());
    while let Some(clip) = stream.next_clip() {
        let clip = clip.expect("every generated clip decodes");
        let mut json = Vec::new();
        clip.item.write_json(&mut json);
        clips.push(json);
        problems.extend(clip.problems);
    }
    stream.finish().expect("the stream completes");
    (clips, problems)
}

#[test]
fn every_driver_decodes_generated_payloads_alike() {
    for seed in 1..=4 {
        let compact = generate(Amount::Clips(40), seed);
        let value: serde_json::Value = serde_json::from_slice(&compact).expect("valid");
        let pretty = serde_json::to_vec_pretty(&value).expect("prints");
        for input in [&compact, &pretty] {
            let expected = in_memory(input);
            assert_eq!(expected.0.len(), 40);
            assert!(expected.1.is_empty(), "{:?}", expected.1);
            for chunk in [1, 13, 777, 1 << 20] {
                assert_eq!(read(input, chunk), expected, "seed {seed} chunk {chunk}");
                assert_eq!(
                    streamed(input, chunk),
                    expected,
                    "seed {seed} chunk {chunk}"
                );
            }
        }
    }
}

#[test]
fn a_bad_value_costs_only_itself_in_every_driver() {
    let good = generate(Amount::Clips(5), 9);
    let text = String::from_utf8(good).expect("utf8");
    // Break the fourth clip's duration.
    let at = text
        .match_indices("\"duration\":")
        .nth(3)
        .expect("4 clips")
        .0;
    let bad = format!(
        "{}\"duration\":\"x\",\"was\":{}",
        &text[..at],
        &text[at + 11..]
    );
    let (clips, problems) = in_memory(bad.as_bytes());
    assert_eq!(clips.len(), 5, "no clip is lost");
    assert_eq!(problems.len(), 1);
    assert_eq!(problems[0].path(), "splicedClips[3].duration");
    assert_eq!(read(bad.as_bytes(), 64), (clips.clone(), problems.clone()));
    assert_eq!(streamed(bad.as_bytes(), 64), (clips, problems.clone()));
    let strict = Decoder::new()
        .strict(true)
        .decode(bad.as_bytes())
        .map(|_| ());
    let refused = strict.expect_err("strict refuses");
    assert_eq!(refused.path(), problems[0].path());
    assert_eq!(refused.offset(), problems[0].offset());
}
