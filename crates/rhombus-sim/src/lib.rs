#![doc = include_str!("../README.md")]

mod clips;
mod clock;
mod faults;
mod handle;
mod log;
mod plan;
mod ratelimit;
mod respond;
mod rng;
mod scenario;
mod server;
mod shape;
mod text;
mod wire;

pub use clock::ClockMode;
pub use faults::{Fault, RandomFaults, RetryAfter};
pub use handle::{DEFAULT_API_KEY, SimConfig, SimHandle, start};
pub use log::{Counters, LOG_CAPACITY, RequestRecord};
pub use ratelimit::{MAX_WAIT, RateLimit, RetryAfterForm};
pub use rhombus_model::generate::Mix;
pub use scenario::{DEFAULT_BASE_EPOCH_MS, Scenario, Span};
pub use server::ApiPath;
pub use shape::{Class, HUGE_STRING_LEN, Shape, ShapedBody, shaped};
pub use text::FAULT_SYNTAX;
