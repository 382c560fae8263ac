//! What the simulator saw: one record per request, and running counters.

use crate::faults::Fault;
use std::collections::{BTreeMap, VecDeque};
use std::fmt;
use std::time::{Duration, SystemTime};

/// What a secret (the API key) prints as in `Debug` output.
pub(crate) const REDACTED: &str = "<redacted>";

/// How many records the log keeps (oldest dropped first); counters never drop.
pub const LOG_CAPACITY: usize = 100_000;

/// One request as the simulator received and answered it.
#[derive(Clone)]
pub struct RequestRecord {
    /// 0-based arrival order across all paths.
    pub seq: u64,
    /// HTTP method.
    pub method: String,
    /// Request path, e.g. `/api/video/getSplicedClipsInProgress`.
    pub path: String,
    /// Simulated elapsed time the request was answered at.
    pub elapsed: Duration,
    /// Wall-clock arrival time.
    pub received_at: SystemTime,
    /// Every header, lower-cased names, in arrival order (non-UTF-8 values lossily).
    pub headers: Vec<(String, String)>,
    /// The fault applied, if any.
    pub fault: Option<Fault>,
    /// Status sent, or `None` when the request was left hanging.
    pub status: Option<u16>,
}

impl RequestRecord {
    /// The first value of header `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

impl fmt::Debug for RequestRecord {
    /// Like a derived `Debug`, but the `x-auth-apikey` value prints as `<redacted>`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let headers: Vec<(&str, &str)> = self
            .headers
            .iter()
            .map(|(n, v)| match n.as_str() {
                "x-auth-apikey" => (n.as_str(), REDACTED),
                _ => (n.as_str(), v.as_str()),
            })
            .collect();
        f.debug_struct("RequestRecord")
            .field("seq", &self.seq)
            .field("method", &self.method)
            .field("path", &self.path)
            .field("elapsed", &self.elapsed)
            .field("received_at", &self.received_at)
            .field("headers", &headers)
            .field("fault", &self.fault)
            .field("status", &self.status)
            .finish()
    }
}

/// Totals since start (or the last [`SimHandle::reset_log`](crate::SimHandle::reset_log)).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Counters {
    /// All requests.
    pub total: u64,
    /// Requests per path.
    pub by_path: BTreeMap<String, u64>,
    /// Responses per status code (hanging requests are not counted here).
    pub by_status: BTreeMap<u16, u64>,
    /// Applied faults per [`Fault::name`].
    pub by_fault: BTreeMap<&'static str, u64>,
}

impl Counters {
    /// Requests seen on `path`.
    pub fn path(&self, path: &str) -> u64 {
        self.by_path.get(path).copied().unwrap_or(0)
    }
}

/// The log and counters behind one lock.
#[derive(Debug, Default)]
pub(crate) struct Log {
    pub records: VecDeque<RequestRecord>,
    pub counters: Counters,
    pub next_seq: u64,
}

impl Log {
    /// Takes the next sequence number.
    pub(crate) fn seq(&mut self) -> u64 {
        self.next_seq += 1;
        self.next_seq - 1
    }

    /// Stores a finished record and counts it.
    pub(crate) fn push(&mut self, record: RequestRecord) {
        let c = &mut self.counters;
        c.total += 1;
        *c.by_path.entry(record.path.clone()).or_default() += 1;
        if let Some(status) = record.status {
            *c.by_status.entry(status).or_default() += 1;
        }
        if let Some(fault) = &record.fault {
            *c.by_fault.entry(fault.name()).or_default() += 1;
        }
        if self.records.len() == LOG_CAPACITY {
            self.records.pop_front();
        }
        self.records.push_back(record);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_redacts_the_api_key() {
        let record = RequestRecord {
            seq: 0,
            method: "POST".into(),
            path: "/x".into(),
            elapsed: Duration::ZERO,
            received_at: SystemTime::UNIX_EPOCH,
            headers: vec![
                ("x-auth-apikey".into(), "s3cr3t-key".into()),
                ("x-auth-scheme".into(), "api-token".into()),
            ],
            fault: None,
            status: Some(200),
        };
        let printed = format!("{record:?}");
        assert!(!printed.contains("s3cr3t-key"), "{printed}");
        assert!(printed.contains("<redacted>") && printed.contains("api-token"));
        assert_eq!(record.header("X-Auth-ApiKey"), Some("s3cr3t-key"));
    }
}
