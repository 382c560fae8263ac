//! Parse benchmarks for `rhombus-model`: a payload generator, the peer
//! parsers' structs, and one entry point per measured method.

pub mod methods;
pub mod paired;
pub mod payload;
pub mod peers;
