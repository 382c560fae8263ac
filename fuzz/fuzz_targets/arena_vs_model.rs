//! Differential: `rhombus_model::arena::decode_in` against `decode`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| rhombus_fuzz::oracle::check_arena(data));
