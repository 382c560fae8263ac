//! Arbitrary bytes through `rhombus_model::decode`, checked against serde_json.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| rhombus_fuzz::oracle::check_strict(data));
