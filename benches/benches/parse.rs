//! Parses the same generated payloads with every method (rhombus-model and its
//! peers) in one run, reporting throughput in bytes.
//!
//! Environment: `RHOMBUS_BENCH_SIZES` (default `1MiB,16MiB,128MiB`),
//! `RHOMBUS_BENCH_PAYLOADS` (a directory of `<size>.json` files from
//! `cargo xtask gen`; payloads are generated in memory when absent),
//! `RHOMBUS_BENCH_QUICK=1` (shorter measurement, for `cargo xtask bench --quick`).
#![allow(missing_docs)] // criterion_group! defines an undocumented pub fn

use std::hint::black_box;
use std::path::PathBuf;
use std::time::Duration;

use criterion::{Criterion, SamplingMode, Throughput, criterion_group, criterion_main};
use rhombus_benches::methods::{Method, Scratch, run};
use rhombus_benches::payload::{Amount, DEFAULT_SEED, generate, parse_size, size_name};

fn payload(size: u64) -> Vec<u8> {
    if let Some(dir) = std::env::var_os("RHOMBUS_BENCH_PAYLOADS") {
        let path = PathBuf::from(dir).join(format!("{}.json", size_name(size)));
        if let Ok(bytes) = std::fs::read(&path) {
            return bytes;
        }
    }
    generate(Amount::Bytes(size), DEFAULT_SEED)
}

fn parse(c: &mut Criterion) {
    let quick = std::env::var_os("RHOMBUS_BENCH_QUICK").is_some_and(|v| v != "0");
    let sizes = std::env::var("RHOMBUS_BENCH_SIZES").unwrap_or_else(|_| "1MiB,16MiB,128MiB".into());
    for size in sizes.split(',').filter_map(parse_size) {
        let bytes = payload(size);
        let mut decoder = rhombus_model::Decoder::new();
        let expected = decoder.decode(&bytes).map_or(0, |r| r.clips().count());
        assert!(
            expected > 0,
            "the {} payload does not decode",
            size_name(size)
        );
        let mut group = c.benchmark_group(size_name(size));
        group.throughput(Throughput::Bytes(bytes.len() as u64));
        let secs = (size as f64 / 40e6).clamp(2.0, 20.0);
        let secs = if quick { (secs / 3.0).max(1.0) } else { secs };
        group.measurement_time(Duration::from_secs_f64(secs));
        group.warm_up_time(Duration::from_secs_f64(if quick { 0.5 } else { 1.0 }));
        group.sample_size(if size >= 64 << 20 || quick { 10 } else { 20 });
        if size >= 16 << 20 {
            group.sampling_mode(SamplingMode::Flat);
        }
        for method in Method::ALL {
            let mut scratch = Scratch::default();
            assert_eq!(
                run(method, &bytes, &mut scratch),
                expected,
                "{} decoded a different number of clips",
                method.id()
            );
            group.bench_function(method.id(), |b| {
                b.iter(|| run(method, black_box(&bytes), &mut scratch))
            });
        }
        group.finish();
    }
}

criterion_group!(benches, parse);
criterion_main!(benches);
