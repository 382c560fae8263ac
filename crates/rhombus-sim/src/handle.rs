//! Starting the simulator and steering it from a test or the CLI.

use crate::clock::{Clock, ClockMode};
use crate::faults::{Fault, RandomFaults};
use crate::log::{Counters, REDACTED, RequestRecord};
use crate::ratelimit::RateLimit;
use crate::scenario::{Scenario, ms};
use crate::server::{self, ApiPath, Shared, lock};
use crate::shape::Shape;
use std::fmt;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::watch;
use tokio::task::JoinHandle;

/// The API key a [`SimConfig::default`] accepts.
pub const DEFAULT_API_KEY: &str = "sim-api-key";

/// How long [`SimHandle::shutdown`] waits for open connections before cutting them.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(2);

/// Everything needed to start a simulator.
#[derive(Clone)]
pub struct SimConfig {
    /// Where to listen; the default `127.0.0.1:0` picks a free loopback port.
    pub addr: SocketAddr,
    /// The only key accepted in `x-auth-apikey`.
    pub api_key: String,
    /// Manual (tests) or real (demo, soak) time.
    pub clock: ClockMode,
    /// Which clips exist and how they move.
    pub scenario: Scenario,
    /// How success bodies are written ([`Shape::Live`] by default).
    pub shape: Shape,
    /// A per-organisation token bucket answering `429` (`None`: no limit).
    pub rate_limit: Option<RateLimit>,
}

impl Default for SimConfig {
    /// Loopback, [`DEFAULT_API_KEY`], manual clock, [`Scenario::default`].
    fn default() -> Self {
        Self {
            addr: SocketAddr::from(([127, 0, 0, 1], 0)),
            api_key: DEFAULT_API_KEY.to_string(),
            clock: ClockMode::Manual,
            scenario: Scenario::default(),
            shape: Shape::Live,
            rate_limit: None,
        }
    }
}

impl fmt::Debug for SimConfig {
    /// Prints everything but the API key.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SimConfig")
            .field("addr", &self.addr)
            .field("api_key", &REDACTED)
            .field("clock", &self.clock)
            .field("scenario", &self.scenario)
            .field("shape", &self.shape)
            .field("rate_limit", &self.rate_limit)
            .finish()
    }
}

impl SimConfig {
    /// The demo: real clock, [`Scenario::demo`] with epoch values from now.
    pub fn demo() -> Self {
        Self {
            clock: ClockMode::Real,
            scenario: Scenario::demo().starting_now(),
            ..Self::default()
        }
    }

    /// The same config accepting `api_key`.
    pub fn with_api_key(mut self, api_key: impl Into<String>) -> Self {
        self.api_key = api_key.into();
        self
    }

    /// The same config listening on `addr`.
    pub fn with_addr(mut self, addr: SocketAddr) -> Self {
        self.addr = addr;
        self
    }

    /// The same config with another clock mode.
    pub fn with_clock(mut self, clock: ClockMode) -> Self {
        self.clock = clock;
        self
    }

    /// The same config with another scenario.
    pub fn with_scenario(mut self, scenario: Scenario) -> Self {
        self.scenario = scenario;
        self
    }

    /// The same config writing its bodies in `shape`.
    pub fn with_shape(mut self, shape: Shape) -> Self {
        self.shape = shape;
        self
    }

    /// The same config with a per-organisation rate limit (`None`: none).
    pub fn with_rate_limit(mut self, limit: Option<RateLimit>) -> Self {
        self.rate_limit = limit;
        self
    }
}

/// Binds `config.addr` and serves on the current tokio runtime until
/// [`SimHandle::shutdown`] (or the handle is dropped).
///
/// # Errors
/// Binding the listener failed (address in use, not permitted…).
pub async fn start(config: SimConfig) -> std::io::Result<SimHandle> {
    let listener = tokio::net::TcpListener::bind(config.addr).await?;
    let addr = listener.local_addr()?;
    let (shutdown, mut stop) = watch::channel(false);
    let shared = Arc::new(Shared {
        api_key: config.api_key,
        scenario: config.scenario,
        shape: config.shape,
        rate_limit: config.rate_limit,
        buckets: Default::default(),
        clock: Clock::new(config.clock),
        faults: Default::default(),
        path_status: Default::default(),
        log: Default::default(),
        shutdown,
    });
    let app = axum::Router::new()
        .fallback(server::handle)
        .with_state(Arc::clone(&shared));
    let task = tokio::spawn(async move {
        let graceful = async move {
            let _ = stop.wait_for(|s| *s).await;
        };
        if let Err(error) = axum::serve(listener, app)
            .with_graceful_shutdown(graceful)
            .await
        {
            tracing::warn!(%error, "rhombus-sim server stopped");
        }
    });
    tracing::info!(%addr, "rhombus-sim listening");
    Ok(SimHandle {
        addr,
        shared,
        task: Some(task),
    })
}

/// A running simulator. Dropping it stops the server too (without waiting).
#[derive(Debug)]
pub struct SimHandle {
    addr: SocketAddr,
    shared: Arc<Shared>,
    task: Option<JoinHandle<()>>,
}

impl SimHandle {
    /// Base URL, e.g. `http://127.0.0.1:41234` (no trailing slash).
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Full URL of one API path.
    pub fn url_of(&self, path: ApiPath) -> String {
        format!("{}{}", self.url(), path.as_str())
    }

    /// The bound socket address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The API key the simulator accepts (handle with care: it is a secret in spirit).
    pub fn api_key(&self) -> &str {
        &self.shared.api_key
    }

    /// The scenario being served.
    pub fn scenario(&self) -> &Scenario {
        &self.shared.scenario
    }

    /// The shape bodies are written in.
    pub fn shape(&self) -> Shape {
        self.shared.shape
    }

    /// Stops accepting, ends hanging requests, waits briefly for open
    /// connections, then cuts whatever is left.
    pub async fn shutdown(mut self) {
        let _ = self.shared.shutdown.send(true);
        if let Some(mut task) = self.task.take() {
            if tokio::time::timeout(SHUTDOWN_GRACE, &mut task)
                .await
                .is_err()
            {
                task.abort();
            }
        }
    }

    /// Moves simulated time forward.
    pub fn advance(&self, by: Duration) {
        self.shared.clock.advance(by);
    }

    /// Simulated time since start.
    pub fn elapsed(&self) -> Duration {
        self.shared.clock.elapsed()
    }

    /// Queues one fault for the next request that has none queued before it.
    pub fn push_fault(&self, fault: Fault) {
        lock(&self.shared.faults).queue.push_back(fault);
    }

    /// Queues several faults, consumed one per request in order.
    pub fn push_faults(&self, faults: impl IntoIterator<Item = Fault>) {
        lock(&self.shared.faults).queue.extend(faults);
    }

    /// Faults still waiting in the queue.
    pub fn queued_faults(&self) -> usize {
        lock(&self.shared.faults).queue.len()
    }

    /// Draws faults at random once the queue is empty (`None` turns that off).
    pub fn set_random_faults(&self, random: Option<RandomFaults>) {
        lock(&self.shared.faults).random = random;
    }

    /// Empties the queue and turns random faults off.
    pub fn clear_faults(&self) {
        let mut faults = lock(&self.shared.faults);
        faults.queue.clear();
        faults.random = None;
    }

    /// Makes `path` answer every request with `status` (e.g. 404 or 410, to
    /// test a client's fallback to the other path); `None` restores it.
    pub fn set_path_status(&self, path: ApiPath, status: Option<u16>) {
        lock(&self.shared.path_status)[path as usize] = status;
    }

    /// Every request so far, in arrival order (the newest [`LOG_CAPACITY`](crate::LOG_CAPACITY)).
    pub fn requests(&self) -> Vec<RequestRecord> {
        lock(&self.shared.log).records.iter().cloned().collect()
    }

    /// Requests so far on one API path.
    pub fn requests_to(&self, path: ApiPath) -> Vec<RequestRecord> {
        let log = lock(&self.shared.log);
        log.records
            .iter()
            .filter(|r| r.path == path.as_str())
            .cloned()
            .collect()
    }

    /// Running totals per path, status and fault.
    pub fn counters(&self) -> Counters {
        lock(&self.shared.log).counters.clone()
    }

    /// Forgets the log and zeroes the counters (sequence numbers keep counting).
    pub fn reset_log(&self) {
        let mut log = lock(&self.shared.log);
        log.records.clear();
        log.counters = Counters::default();
    }

    /// The exact body a fault-free success would carry now.
    pub fn expected_body(&self) -> Vec<u8> {
        self.body_at(self.elapsed())
    }

    /// The exact body a fault-free success carries at simulated time `elapsed`
    /// (responses say theirs in the `x-rhombus-sim-elapsed-ms` header).
    pub fn body_at(&self, elapsed: Duration) -> Vec<u8> {
        self.shared.success_body(elapsed, None)
    }

    /// The exact 200 body sent at `elapsed` under `fault`, for faults that still
    /// answer with the full success shape ([`Fault::Latency`], [`Fault::Warning`],
    /// [`Fault::EmptyList`], [`Fault::BigList`], or none); `None` otherwise.
    pub fn success_body_with(&self, elapsed: Duration, fault: Option<&Fault>) -> Option<Vec<u8>> {
        match fault {
            None
            | Some(Fault::Latency(_) | Fault::Warning(_) | Fault::EmptyList | Fault::BigList(_)) => {
                Some(self.shared.success_body(elapsed, fault))
            }
            // Listed, not `_`: a new fault must be placed on one side or the other.
            Some(
                Fault::RateLimited(_)
                | Fault::ServerError(_)
                | Fault::DropMidBody
                | Fault::TruncatedBody
                | Fault::CutJson
                | Fault::InvalidJson
                | Fault::ErrorBody(_)
                | Fault::Respond { .. }
                | Fault::Hang
                | Fault::StallBody(_),
            ) => None,
        }
    }

    /// [`expected_body`](Self::expected_body) parsed, for assertions.
    pub fn expected_json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.expected_body()).unwrap_or_default()
    }

    /// Milliseconds form of [`elapsed`](Self::elapsed), as the header carries it.
    pub fn elapsed_ms(&self) -> u64 {
        ms(self.elapsed())
    }
}

impl Drop for SimHandle {
    fn drop(&mut self) {
        let _ = self.shared.shutdown.send(true);
    }
}
