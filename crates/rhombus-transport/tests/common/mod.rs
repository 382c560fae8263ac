//! Shared helpers: a simulator, a fast-retrying client, log capture and the sim's truth.
#![allow(dead_code)]

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use rhombus_sim::{Fault, SimConfig, SimHandle};
use rhombus_transport::rhombus_model::{self, Response};
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
pub fn truth(sim: &SimHandle) -> Response<'static> {
    truth_with(sim, None)
}

/// What a success under `fault` decodes to now.
pub fn truth_with(sim: &SimHandle, fault: Option<&Fault>) -> Response<'static> {
    let body = sim
        .success_body_with(sim.elapsed(), fault)
        .expect("fault keeps the success shape");
    rhombus_model::decode(&body)
        .expect("sim truth decodes")
        .into_owned()
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

/// A loopback HTTP/1.1 server for answers the simulator cannot give (raw
/// bytes, any header): each request gets the next of its responses (the last
/// one again once they run out), then the connection closes.
pub struct RawServer {
    /// `http://127.0.0.1:PORT`.
    pub url: String,
    requests: Arc<std::sync::atomic::AtomicUsize>,
    seen: Arc<Mutex<Vec<String>>>,
}

impl RawServer {
    /// Starts serving `responses` (whole HTTP responses, head and body).
    pub async fn start(responses: Vec<Vec<u8>>) -> RawServer {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let requests = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let seen = Arc::new(Mutex::new(Vec::new()));
        let (count, heads) = (Arc::clone(&requests), Arc::clone(&seen));
        tokio::spawn(async move {
            while let Ok((mut stream, _)) = listener.accept().await {
                let n = count.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                let response = responses[n.min(responses.len() - 1)].clone();
                let heads = Arc::clone(&heads);
                tokio::spawn(async move {
                    // The head, and the body its Content-Length announces.
                    let mut request = Vec::new();
                    let mut buf = [0u8; 4096];
                    loop {
                        let Ok(read) = stream.read(&mut buf).await else {
                            return;
                        };
                        if read == 0 {
                            return;
                        }
                        request.extend_from_slice(&buf[..read]);
                        let text = String::from_utf8_lossy(&request).into_owned();
                        if let Some(end) = text.find("\r\n\r\n") {
                            let length = text[..end]
                                .lines()
                                .find_map(|l| {
                                    let (name, value) = l.split_once(':')?;
                                    name.eq_ignore_ascii_case("content-length")
                                        .then(|| value.trim().parse::<usize>().ok())?
                                })
                                .unwrap_or(0);
                            if request.len() >= end + 4 + length {
                                heads.lock().unwrap().push(text[..end].to_owned());
                                break;
                            }
                        }
                    }
                    let _ = stream.write_all(&response).await;
                    let _ = stream.shutdown().await;
                });
            }
        });
        RawServer {
            url,
            requests,
            seen,
        }
    }

    /// How many connections were made (one request each).
    pub fn requests(&self) -> usize {
        self.requests.load(std::sync::atomic::Ordering::SeqCst)
    }

    /// The request heads received, lower-cased.
    pub fn heads(&self) -> Vec<String> {
        self.seen
            .lock()
            .unwrap()
            .iter()
            .map(|h| h.to_ascii_lowercase())
            .collect()
    }
}

/// An HTTP 200 with `headers` (each ending in CRLF) and `body`.
pub fn http_200(headers: &str, body: &[u8]) -> Vec<u8> {
    let mut response = format!(
        "HTTP/1.1 200 OK\r\n{headers}Content-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    )
    .into_bytes();
    response.extend_from_slice(body);
    response
}
