//! See `rhombus_fuzz::oracle::check_generated`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| rhombus_fuzz::oracle::check_generated(data));
