//! On generated payloads the fast path, the serde path, and the streaming
//! decoder all decode the same response (pretty printed or compact, whatever
//! the read size).

use std::io::Read;

use rhombus_benches::payload::{Amount, generate};
use rhombus_model::stream::StreamDecoder;
use rhombus_model::{Response, decode};

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

fn streamed(input: &[u8], chunk: usize) -> Response<'static> {
    let mut clips = StreamDecoder::new(Chunked(input, chunk)).into_clips();
    let decoded: Vec<_> = clips
        .by_ref()
        .map(|c| c.expect("every generated clip decodes"))
        .collect();
    let envelope = clips.envelope().cloned().expect("stream completes");
    envelope.into_response(decoded)
}

#[test]
fn stream_equals_decode_on_generated_payloads() {
    for seed in 1..=4 {
        let compact = generate(Amount::Clips(40), seed);
        let expected = decode(&compact).expect("decodes").into_owned();
        assert_eq!(expected.clips().len(), 40);
        for chunk in [1, 13, 4096, 1 << 20] {
            assert_eq!(
                streamed(&compact, chunk),
                expected,
                "seed {seed} chunk {chunk}"
            );
        }
        let value: serde_json::Value = serde_json::from_slice(&compact).expect("valid");
        let pretty = serde_json::to_vec_pretty(&value).expect("prints");
        let expected = decode(&pretty).expect("decodes").into_owned();
        assert_eq!(streamed(&pretty, 777), expected, "seed {seed} pretty");
    }
}

#[test]
fn stream_error_matches_decode_error_for_a_bad_clip() {
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
    let strict = decode(bad.as_bytes()).expect_err("bad clip");
    let mut errors = Vec::new();
    StreamDecoder::new(bad.as_bytes())
        .for_each_clip(|i, clip| {
            if let Err(e) = clip {
                errors.push((i, e));
            }
        })
        .expect("the stream goes on");
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].0, 3);
    assert_eq!(errors[0].1, strict);
    assert_eq!(strict.path(), "splicedClips[3].duration");
}

#[test]
fn fast_path_equals_serde_path_on_generated_payloads() {
    for seed in 0..20 {
        let compact = generate(Amount::Clips(30), seed);
        let serde: Response<'_> = serde_json::from_slice(&compact).expect("serde decodes");
        let fast = rhombus_model::fast::try_decode(&compact).expect("takes the fast path");
        assert_eq!(fast, serde, "seed {seed}");
        let value: serde_json::Value = serde_json::from_slice(&compact).expect("valid");
        let pretty = serde_json::to_vec_pretty(&value).expect("prints");
        let serde: Response<'_> = serde_json::from_slice(&pretty).expect("serde decodes");
        assert_eq!(rhombus_model::fast::try_decode(&pretty), Some(serde));
    }
}
