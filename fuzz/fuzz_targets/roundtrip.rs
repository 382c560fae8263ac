//! A structured response built by `arbitrary`: encode → decode → encode is unchanged.
#![no_main]

use arbitrary::Unstructured;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let mut u = Unstructured::new(data);
    if let Ok(response) = rhombus_fuzz::build::response(&mut u) {
        rhombus_fuzz::oracle::check_roundtrip(&response);
    }
});
