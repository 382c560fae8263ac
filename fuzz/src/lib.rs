//! The checks the fuzz targets run, in a library so each target is one
//! line and a crash replays from `cargo test` here as well as from
//! `cargo fuzz run`.

/// The three drivers side by side (shared with the model's property tests).
#[path = "../../crates/rhombus-model/tests/common/mod.rs"]
pub mod drivers;

pub mod oracle;
