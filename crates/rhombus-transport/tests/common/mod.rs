//! Shared helpers: a simulator, a fast-retrying client, log capture and the sim's truth.
#![allow(dead_code)]

use std::io::Write;
use std::sync::atomic::{AtomicUsize, Ordering};
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

/// A loopback HTTP/1.1 server for answers the simulator cannot give (raw
/// bytes, any header, TLS): each connection gets the next of its responses
/// (the last one again once they run out) to its one request, then closes.
pub struct RawServer {
    /// `http://127.0.0.1:PORT` (`https://` when serving TLS).
    pub url: String,
    connections: Arc<AtomicUsize>,
    seen: Arc<Mutex<Vec<String>>>,
}

type Heads = Arc<Mutex<Vec<String>>>;

impl RawServer {
    /// Serves `responses` (whole HTTP responses, head and body) over plain TCP.
    pub async fn start(responses: Vec<Vec<u8>>) -> RawServer {
        RawServer::serve(responses, None).await
    }

    /// Serves `responses` over TLS with this certificate chain and key (PEM).
    pub async fn start_tls(responses: Vec<Vec<u8>>, chain: &[u8], key: &[u8]) -> RawServer {
        use tokio_rustls::rustls::{self, pki_types::pem::PemObject};
        let chain = rustls::pki_types::CertificateDer::pem_slice_iter(chain)
            .collect::<Result<Vec<_>, _>>()
            .expect("certificate PEM");
        let key = rustls::pki_types::PrivateKeyDer::from_pem_slice(key).expect("key PEM");
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let config = rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_no_client_auth()
            .with_single_cert(chain, key)
            .expect("server certificate");
        let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
        RawServer::serve(responses, Some(acceptor)).await
    }

    async fn serve(responses: Vec<Vec<u8>>, tls: Option<tokio_rustls::TlsAcceptor>) -> RawServer {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let scheme = if tls.is_some() { "https" } else { "http" };
        let url = format!("{scheme}://{}", listener.local_addr().unwrap());
        let connections = Arc::new(AtomicUsize::new(0));
        let seen = Heads::default();
        let (count, heads) = (Arc::clone(&connections), Arc::clone(&seen));
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let n = count.fetch_add(1, Ordering::SeqCst);
                let response = responses[n.min(responses.len() - 1)].clone();
                let heads = Arc::clone(&heads);
                let tls = tls.clone();
                tokio::spawn(async move {
                    match tls {
                        // A refused certificate ends here, in the handshake.
                        Some(tls) => {
                            if let Ok(stream) = tls.accept(stream).await {
                                answer(stream, &response, &heads).await;
                            }
                        }
                        None => answer(stream, &response, &heads).await,
                    }
                });
            }
        });
        RawServer {
            url,
            connections,
            seen,
        }
    }

    /// How many connections were made (at most one request each).
    pub fn connections(&self) -> usize {
        self.connections.load(Ordering::SeqCst)
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

/// Reads one request (its head, and the body its Content-Length announces),
/// then writes `response` and closes.
async fn answer<S>(mut stream: S, response: &[u8], heads: &Heads)
where
    S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin,
{
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut request = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        match stream.read(&mut buf).await {
            Ok(0) | Err(_) => return,
            Ok(read) => request.extend_from_slice(&buf[..read]),
        }
        let text = String::from_utf8_lossy(&request).into_owned();
        let Some(end) = text.find("\r\n\r\n") else {
            continue;
        };
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
    let _ = stream.write_all(response).await;
    let _ = stream.shutdown().await;
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
