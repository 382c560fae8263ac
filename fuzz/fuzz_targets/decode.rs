//! See `rhombus_fuzz::oracle::check_decode`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| rhombus_fuzz::oracle::check_decode(data));
