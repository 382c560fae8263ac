//! Replays the committed corpus and past crashes through the targets'
//! checks on plain stable Rust (no sanitizers, no cargo-fuzz): `cargo test`
//! in `fuzz/`, which `cargo xtask ci` runs.

use std::fs;
use std::path::Path;

use rhombus_fuzz::oracle;

fn replay(target: &str, mut check: impl FnMut(&[u8])) {
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

/// The `generated` target's corpus reaches every class the generator has:
/// what the simulator serves and the property tests try is fuzzed too.
#[test]
fn the_generated_corpus_holds_every_class() {
    let mut seen = rhombus_model::generate::Classes::default();
    replay("generated", |data| {
        if let Some((_, _, classes)) = oracle::generated(data) {
            seen.add_all(&classes);
        }
    });
    let missing: Vec<_> = rhombus_model::generate::Class::ALL
        .into_iter()
        .filter(|&class| seen.get(class) == 0)
        .collect();
    assert!(missing.is_empty(), "never generated: {missing:?}");
}
