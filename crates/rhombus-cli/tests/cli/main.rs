//! End-to-end tests: the built `rhombus` binary against the simulator on 127.0.0.1.

mod common;

mod commands;
mod config;
mod faults;
mod list;
mod parse;
// `rhombus sim` is in the default build only (the `sim` feature).
#[cfg(feature = "sim")]
mod sim;
mod streaming;
mod tolerance;
mod watch;
mod watch_tolerance;
