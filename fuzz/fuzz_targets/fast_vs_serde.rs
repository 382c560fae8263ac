//! Differential: `rhombus_model::fast` against the model's serde path.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| rhombus_fuzz::oracle::check_fast_vs_serde(data));
