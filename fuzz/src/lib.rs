//! Shared code of the fuzz targets: the checks ([`oracle`]) and the
//! structured input builder ([`build`]).
//!
//! Kept in a library so every target is one line and a crash can be replayed
//! from a unit test as well as from `cargo fuzz run`.

pub mod build;
pub mod oracle;
