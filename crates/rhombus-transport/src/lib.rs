#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]

mod body;
mod builder;
mod client;
mod config;
mod credentials;
mod endpoint;
mod error;
mod redact;
mod retry;
mod shorten;
mod tls;
mod watch;

pub use builder::{ClientBuilder, USER_AGENT};
pub use client::{Client, RawResponse};
pub use config::{DEFAULT_MAX_BODY_SIZE, Timeouts, base_url_has_credentials};
pub use credentials::{ClientCertificate, Credentials, Secret};
pub use endpoint::{EU_BASE_URL, Endpoint, Region, US_BASE_URL};
pub use error::{DisplayErrorContext, Error, ErrorKind, TimeoutKind};
pub use retry::{Failure, RetryDecision, RetryPolicy, TransportFailure, retry_after};
pub use shorten::{SHOWN_CHARS, shorten};
pub use watch::{ClipOutcome, Watch, WatchEvent, WatchOptions, diff};

/// Re-exported so callers can name the decoded types without a separate dependency.
pub use rhombus_model;

#[cfg(test)]
mod assertions {
    use super::*;
    static_assertions::assert_impl_all!(Client: Send, Sync, Clone);
    static_assertions::assert_impl_all!(Error: Send, Sync);
    static_assertions::assert_impl_all!(Watch: Send);
}
