//! Replays the committed corpus and past crashes through the targets' checks
//! on plain stable Rust (no sanitizers, no cargo-fuzz): `cargo test` in `fuzz/`.

use std::fs;
use std::path::Path;

use arbitrary::Unstructured;
use rhombus_fuzz::{build, oracle};

fn inputs(target: &str) -> Vec<(String, Vec<u8>)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut out = Vec::new();
    for dir in ["corpus", "regressions"] {
        let Ok(entries) = fs::read_dir(root.join(dir).join(target)) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_file() {
                let bytes = fs::read(&path).expect("readable input");
                out.push((path.display().to_string(), bytes));
            }
        }
    }
    out.sort();
    out
}

fn replay(target: &str, check: impl Fn(&[u8])) {
    let inputs = inputs(target);
    assert!(!inputs.is_empty(), "no corpus for {target}");
    for (name, bytes) in inputs {
        eprintln!("replaying {name}");
        check(&bytes);
    }
}

#[test]
fn decode_strict() {
    replay("decode_strict", oracle::check_strict);
}

#[test]
fn decode_tolerant() {
    replay("decode_tolerant", oracle::check_tolerant);
}

#[test]
fn roundtrip() {
    replay("roundtrip", |bytes| {
        if let Ok(response) = build::response(&mut Unstructured::new(bytes)) {
            oracle::check_roundtrip(&response);
        }
    });
}

/// The seed with a bad clip really exercises the tolerant path.
#[test]
fn tolerant_seed_has_failures() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let bytes = fs::read(root.join("corpus/decode_tolerant/bad_clip.json")).expect("seed");
    let tolerant = rhombus_model::decode_tolerant(&bytes).expect("envelope decodes");
    let failed: Vec<usize> = tolerant.failures.iter().map(|f| f.index).collect();
    assert_eq!(failed, [1, 2, 3]);
    assert_eq!(tolerant.response.clips().len(), 2);
}

#[test]
fn decode_stream() {
    replay("decode_stream", oracle::check_stream);
}

#[test]
fn arena_vs_model() {
    replay("arena_vs_model", oracle::check_arena);
}

#[test]
fn fast_vs_serde() {
    replay("fast_vs_serde", oracle::check_fast_vs_serde);
}
