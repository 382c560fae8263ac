//! Shared helpers: a simulator, a fast-retrying client, log capture and the sim's truth.
#![allow(dead_code)]

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use rhombus_sim::{Fault, SimConfig, SimHandle};
use rhombus_transport::rhombus_model::{Decoder, OwnedClip, OwnedResponse};
use rhombus_transport::{Client, ClientBuilder, RetryPolicy};

/// Millisecond backoff so tests retry quickly; 5 attempts as by default.
pub fn fast_policy() -> RetryPolicy {
    RetryPolicy::default().with_backoff(Duration::from_millis(1), Duration::from_millis(4))
}

/// A simulator with a manual clock and the default scenario.
pub async fn sim() -> SimHandle {
    sim_with(SimConfig::default()).await
}

/// A simulator with `config`.
pub async fn sim_with(config: SimConfig) -> SimHandle {
    rhombus_sim::start(config).await.expect("start simulator")
}

/// A builder pointed at `sim` with its key, the fast policy and generous timeouts.
pub fn builder(sim: &SimHandle) -> ClientBuilder {
    Client::builder()
        .base_url(sim.url())
        .api_key(sim.api_key())
        .retry_policy(fast_policy())
        .attempt_timeout(Duration::from_secs(20))
        .operation_timeout(Duration::from_secs(60))
}

/// [`builder`], built.
pub fn client(sim: &SimHandle) -> Client {
    builder(sim).build().expect("client")
}

/// What a fault-free success decodes to now (the manual clock makes it stable).
pub fn truth(sim: &SimHandle) -> OwnedResponse {
    truth_with(sim, None)
}

/// What a success under `fault` decodes to now.
pub fn truth_with(sim: &SimHandle, fault: Option<&Fault>) -> OwnedResponse {
    let body = sim
        .success_body_with(sim.elapsed(), fault)
        .expect("fault keeps the success shape");
    Decoder::new()
        .decode_owned(body)
        .expect("sim truth decodes")
}

/// The clips of [`truth`], as a watch hands them over.
pub fn truth_clips(sim: &SimHandle) -> Vec<OwnedClip> {
    OwnedClip::all(&Arc::new(truth(sim)))
}

/// Requests the simulator received so far.
pub fn requests(sim: &SimHandle) -> u64 {
    sim.counters().total
}

/// Captures every `tracing` event on this thread (use with a current-thread runtime).
#[derive(Clone, Default)]
pub struct LogCapture(Arc<Mutex<Vec<u8>>>);

impl LogCapture {
    /// Starts capturing at TRACE level; capturing stops when the guard drops.
    pub fn start() -> (LogCapture, tracing::subscriber::DefaultGuard) {
        let capture = LogCapture::default();
        let writer = capture.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_max_level(tracing::Level::TRACE)
            .with_ansi(false)
            .with_writer(move || writer.clone())
            .finish();
        (capture, tracing::subscriber::set_default(subscriber))
    }

    /// Everything captured so far.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }
}

impl Write for LogCapture {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
