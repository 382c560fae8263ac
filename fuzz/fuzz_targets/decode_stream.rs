//! Arbitrary bytes through `rhombus_model::stream::StreamDecoder` in small
//! chunks, checked against `decode_tolerant`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| rhombus_fuzz::oracle::check_stream(data));
