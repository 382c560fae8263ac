//! Arbitrary bytes through `rhombus_model::decode_tolerant`, checked against
//! serde_json and the strict decoder.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| rhombus_fuzz::oracle::check_tolerant(data));
