//! Shared helpers for the parse benchmarks.
