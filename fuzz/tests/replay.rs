//! Replays the committed corpus and past crashes through the targets'
//! checks on plain stable Rust (no sanitizers, no cargo-fuzz): `cargo test`
//! in `fuzz/`, which `cargo xtask ci` runs.

use std::fs;
use std::path::Path;

use rhombus_fuzz::oracle;

fn replay(target: &str, check: impl Fn(&[u8])) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut inputs = Vec::new();
    for dir in ["corpus", "regressions"] {
        let Ok(entries) = fs::read_dir(root.join(dir).join(target)) else {
            continue;
        };
        for entry in entries.flatten() {
            if entry.path().is_file() {
                inputs.push(entry.path());
            }
        }
    }
    inputs.sort();
    assert!(!inputs.is_empty(), "no corpus for {target}");
    for path in inputs {
        eprintln!("replaying {}", path.display());
        check(&fs::read(&path).expect("readable input"));
    }
}

#[test]
fn decode() {
    replay("decode", oracle::check_decode);
}

#[test]
fn drivers() {
    replay("drivers", oracle::check_drivers);
}

#[test]
fn generated() {
    replay("generated", oracle::check_generated);
}
