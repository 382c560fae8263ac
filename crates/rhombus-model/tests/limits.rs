//! Limits: each one a clear error naming it, from every driver; memory
//! bounded by them, never by what a hostile body makes the decoder allocate.

mod common;

use common::Chunked;
use rhombus_model::{DecodeErrorKind, Decoder};

fn empty_clips(n: usize) -> Vec<u8> {
    let mut body = b"{\"splicedClips\":[".to_vec();
    for i in 0..n {
        if i > 0 {
            body.push(b',');
        }
        body.extend_from_slice(b"{}");
    }
    body.extend_from_slice(b"]}");
    body
}

#[test]
fn too_many_clips_is_an_error_naming_the_limit() {
    let body = empty_clips(11);
    let mut decoder = Decoder::new().max_clips(10);
    let err = decoder.decode(&body).unwrap_err();
    assert_eq!(err.kind(), DecodeErrorKind::Limit);
    assert!(err.message().contains("max_clips"), "{err}");
    let reader = decoder.decode_reader(&body[..]).unwrap_err();
    assert_eq!(reader, err);
    let mut stream = decoder.stream(&body[..]);
    let mut last = None;
    while let Some(clip) = stream.next_clip() {
        last = Some(clip.map(|c| c.index));
    }
    assert_eq!(last, Some(Err(err)));
    assert!(Decoder::new().max_clips(11).decode(&body).is_ok());
}

#[test]
fn a_tree_past_its_limit_is_an_error_not_gigabytes() {
    // A million `{}` clips are 3 MB; as structs they would be 700 MB
    // (ten million, a 30 MB body, 7 GB).
    let body = empty_clips(1_000_000);
    let mut decoder = Decoder::new().max_tree_bytes(16 << 20);
    let err = decoder.decode(&body).unwrap_err();
    assert_eq!(err.kind(), DecodeErrorKind::Limit);
    assert!(err.message().contains("max_tree_bytes"), "{err}");
}

#[test]
fn one_streamed_value_past_its_limit_is_an_error() {
    let title = "x".repeat(100_000);
    let body = format!(r#"{{"splicedClips":[{{"title":"{title}"}}]}}"#);
    let decoder = Decoder::new().max_value_len(10_000);
    let mut stream = decoder.stream(Chunked {
        bytes: body.as_bytes(),
        chunk: 4096,
    });
    let err = stream.next_clip().expect("an answer").unwrap_err();
    assert_eq!(err.kind(), DecodeErrorKind::Limit);
    assert!(err.message().contains("max_value_len"), "{err}");
}

#[test]
fn input_that_never_ends_stops_at_the_value_limit() {
    // An endless string, as `/dev/zero` is an endless stream of bytes.
    let endless = std::io::Read::chain(
        &b"{\"splicedClips\":[{\"title\":\""[..],
        std::io::repeat(b'a'),
    );
    let decoder = Decoder::new().max_value_len(1 << 20);
    let mut stream = decoder.stream(endless);
    let err = stream.next_clip().expect("an answer").unwrap_err();
    assert_eq!(err.kind(), DecodeErrorKind::Limit);
    let mut decoder = Decoder::new().max_value_len(1 << 20);
    let zeros = decoder.decode_reader(std::io::repeat(0)).map(|_| ());
    assert_eq!(zeros.unwrap_err().kind(), DecodeErrorKind::Syntax);
}
