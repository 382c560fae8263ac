//! The client: one call, retried by the policy, under three timeouts.

use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http::header::{CONTENT_ENCODING, CONTENT_TYPE};
use http::{HeaderMap, HeaderValue, StatusCode};
use rhombus_model::{ApiError, Decoded, Decoder, OwnedResponse, Response};
use tokio::time::Instant;

use crate::body::{BodyError, NotJson, error_message, read_limited, read_prefix, without_secret};
use crate::config::Timeouts;
use crate::credentials::Secret;
use crate::endpoint::{CurrentEndpoint, Endpoint};
use crate::error::{Error, ErrorKind, TimeoutKind, auth_hint};
use crate::retry::{Failure, RetryDecision, RetryPolicy, TransportFailure, retry_after};
use crate::tls::certificate_problem;

/// How much of an error body is read for the error message.
const EXCERPT_BYTES: usize = 4096;
/// How long an error body may take after its status, at most.
const EXCERPT_WAIT: Duration = Duration::from_secs(1);
/// The time a retry must have left after its delay (or a whole attempt, if
/// shorter): an attempt squeezed into less mostly ends as an operation
/// timeout, hiding the failure it retried.
const LEAST_ATTEMPT: Duration = Duration::from_millis(250);

/// An async client for `getSplicedClipsInProgress`.
///
/// Cheap to clone (clones share the connection pool and the remembered endpoint).
/// Build one with [`Client::builder`].
#[derive(Clone, Debug)]
pub struct Client {
    inner: Arc<Inner>,
}

#[derive(Debug)]
pub(crate) struct Inner {
    pub(crate) http: reqwest::Client,
    pub(crate) base_url: String,
    pub(crate) auth: HeaderMap,
    pub(crate) key: Secret,
    pub(crate) endpoint: CurrentEndpoint,
    pub(crate) fallback: bool,
    pub(crate) retry: RetryPolicy,
    pub(crate) timeouts: Timeouts,
    pub(crate) max_body_size: u64,
    pub(crate) decoder: rhombus_model::DecodeOptions,
}

/// A successful HTTP 200 answer, undecoded: keep the bytes, borrow from them.
#[derive(Debug, Clone)]
pub struct RawResponse {
    /// The whole body.
    pub bytes: Bytes,
    /// The HTTP status (a success: 2xx).
    pub status: StatusCode,
    /// The response headers.
    pub headers: HeaderMap,
    /// The endpoint that answered.
    pub endpoint: Endpoint,
    /// How many requests it took (1 when nothing was retried).
    pub attempts: u32,
    /// Redacted from error messages built from this body.
    key: Secret,
}

impl RawResponse {
    /// Decodes the body with `decoder` (tolerant unless it is strict),
    /// borrowing text from [`bytes`](Self::bytes) and lists from the
    /// decoder's arena.
    ///
    /// `"error": true` is an [`ErrorKind::Api`] error, never a success; a `warningMsg`
    /// stays on the returned response, and values that did not fit are in
    /// its `problems`.
    pub fn decode<'a>(&'a self, decoder: &'a mut Decoder) -> Result<Decoded<Response<'a>>, Error> {
        let decoded = decoder.decode(&self.bytes).map_err(Error::from);
        let mut decoded = self.annotate(decoded.and_then(|d| match api_failure(&d) {
            Some(e) => Err(api_error(e)),
            None => Ok(d),
        }))?;
        // A problem's path can quote a map key the server echoed.
        let problems = std::mem::take(&mut decoded.problems);
        decoded.problems = problems
            .into_iter()
            .map(|p| self.key.hidden_in_error(p))
            .collect();
        Ok(decoded)
    }

    /// Decodes a copy of the body into a response that owns it (see
    /// [`into_owned_response`](Self::into_owned_response), which does not copy).
    pub fn decode_owned(&self, decoder: &Decoder) -> Result<OwnedResponse, Error> {
        self.clone().into_owned_response(decoder)
    }

    /// Decodes the body into a response that owns it, without copying it
    /// when this holds the body's only handle. Errors as
    /// [`RawResponse::decode`] does.
    pub fn into_owned_response(mut self, decoder: &Decoder) -> Result<OwnedResponse, Error> {
        let bytes = std::mem::take(&mut self.bytes);
        let owned = decoder.decode_owned(bytes).map_err(Error::from);
        let mut owned = self.annotate(owned.and_then(|o| match api_failure(o.response()) {
            Some(e) => Err(api_error(e)),
            None => Ok(o),
        }))?;
        // A problem's path can quote a map key the server echoed.
        owned.map_problems(|p| self.key.hidden_in_error(p));
        Ok(owned)
    }

    /// Adds where the body came from to a decoding error, without the key.
    fn annotate<T>(&self, result: Result<T, Error>) -> Result<T, Error> {
        result.map_err(|e| {
            e.with_endpoint(self.endpoint)
                .with_attempts(self.attempts)
                .redact(self.key.expose_secret())
        })
    }
}

/// The failure a body reports (`"error": true`), if it does.
fn api_failure(response: &Response<'_>) -> Option<ApiError> {
    response.clone().into_result().err()
}

fn api_error(e: ApiError) -> Error {
    Error::new(ErrorKind::Api { message: e.message })
}

/// Why an attempt did not produce a value, and how the retry policy should see it.
pub(crate) struct Rejected {
    error: Error,
    failure: OwnedFailure,
}

enum OwnedFailure {
    Status(StatusCode, HeaderMap),
    Transport(TransportFailure),
}

impl OwnedFailure {
    fn status(&self) -> Option<StatusCode> {
        match self {
            OwnedFailure::Status(status, _) => Some(*status),
            OwnedFailure::Transport(_) => None,
        }
    }

    fn as_failure(&self) -> Failure<'_> {
        match self {
            OwnedFailure::Status(status, headers) => Failure::Status(*status, headers),
            OwnedFailure::Transport(kind) => Failure::Transport(*kind),
        }
    }
}

impl Rejected {
    fn transport(error: Error, kind: TransportFailure) -> Self {
        Rejected {
            error,
            failure: OwnedFailure::Transport(kind),
        }
    }
}

impl Client {
    pub(crate) fn from_inner(inner: Inner) -> Self {
        Client {
            inner: Arc::new(inner),
        }
    }

    /// The base URL requests go to (no trailing slash).
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// The endpoint the next request goes to (changes after a 404/410 fallback).
    pub fn endpoint(&self) -> Endpoint {
        self.inner.endpoint.get()
    }

    /// The retry policy in use.
    pub fn retry_policy(&self) -> &RetryPolicy {
        &self.inner.retry
    }

    /// `text` from the server as it may be shown: this client's key replaced
    /// wherever the server echoed it.
    pub(crate) fn hide_key<'t>(&self, text: &'t str) -> std::borrow::Cow<'t, str> {
        self.inner.key.hidden_in(text)
    }

    /// Fetches and decodes the clips in progress into a response that owns
    /// the body (see [`ClientBuilder::decoder`](crate::ClientBuilder::decoder)).
    ///
    /// Retries as the [`RetryPolicy`] says (a JSON document cut short counts as a
    /// truncated body and is retried; other decode errors are not).
    pub async fn spliced_clips(&self) -> Result<OwnedResponse, Error> {
        let options = self.inner.decoder;
        // By value: the body is decoded in place, never copied.
        self.execute(|raw| {
            raw.into_owned_response(&Decoder::from(options))
                .map_err(rejected)
        })
        .await
    }

    /// Fetches, then runs `f` on each successful body inside the retry loop, so a
    /// [`ErrorKind::Decode`] error from `f` for a document cut short (see
    /// [`DecodeError::is_eof`](rhombus_model::DecodeError::is_eof)) is retried like a
    /// truncated body; any other error from `f` ends the operation. Turn a
    /// [`DecodeError`](rhombus_model::DecodeError) into that error with `Error::from`.
    ///
    /// Use it to decode and keep what you need (and the headers) in one go.
    pub async fn fetch_with<T>(
        &self,
        mut f: impl FnMut(&RawResponse) -> Result<T, Error>,
    ) -> Result<T, Error> {
        self.execute(|raw| f(&raw).map_err(rejected)).await
    }

    /// Fetches the body without decoding it; decode with [`RawResponse::decode`], which
    /// borrows from the bytes (zero-copy). A body that cannot be JSON at all (empty,
    /// an HTML page, compressed) is an [`ErrorKind::NotJson`] error, an empty one
    /// after the retries the policy allows.
    pub async fn fetch_raw(&self) -> Result<RawResponse, Error> {
        self.execute(Ok).await
    }

    /// Runs attempts until `accept` takes a response, the policy stops, or time runs out.
    async fn execute<T>(
        &self,
        mut accept: impl FnMut(RawResponse) -> Result<T, Rejected>,
    ) -> Result<T, Error> {
        let inner = &*self.inner;
        // `None`: an operation timeout too long to be an instant (no deadline).
        let deadline = Instant::now().checked_add(inner.timeouts.operation);
        let mut attempts = 0u32;
        let mut fell_back = false;
        loop {
            let endpoint = inner.endpoint.get();
            let remaining = deadline.map_or(Duration::MAX, |d| {
                d.saturating_duration_since(Instant::now())
            });
            let limit = inner.timeouts.attempt.min(remaining);
            attempts += 1;
            let started = Instant::now();
            let outcome =
                match tokio::time::timeout(limit, self.attempt(endpoint, attempts, limit)).await {
                    Ok(Ok(raw)) => {
                        let status = raw.status;
                        accept(raw).map(|value| (status, value))
                    }
                    Ok(Err(rejected)) => Err(rejected),
                    Err(_) if limit < inner.timeouts.attempt => {
                        tracing::debug!(
                            path = endpoint.path(),
                            attempt = attempts,
                            "operation timed out"
                        );
                        return Err(Error::new(ErrorKind::Timeout(TimeoutKind::Operation))
                            .with_message(format!("{:?}", inner.timeouts.operation))
                            .with_endpoint(endpoint)
                            .with_attempts(attempts));
                    }
                    Err(_) => Err(Rejected::transport(
                        Error::new(ErrorKind::Timeout(TimeoutKind::Attempt))
                            .with_message(format!("{limit:?}")),
                        TransportFailure::AttemptTimeout,
                    )),
                };
            let mut log = AttemptLog {
                path: endpoint.path(),
                attempt: attempts,
                status: None,
                elapsed_ms: started.elapsed().as_millis() as u64,
            };
            let Rejected { error, failure } = match outcome {
                Ok((status, value)) => {
                    log.status = Some(status.as_u16());
                    log.emit("request succeeded", None, None);
                    return Ok(value);
                }
                Err(rejected) => rejected,
            };
            log.status = failure.status().map(|s| s.as_u16());
            let error = error
                .with_endpoint(endpoint)
                .with_attempts(attempts)
                .redact(inner.key.expose_secret());
            if matches!(log.status, Some(404 | 410)) && inner.fallback && !fell_back {
                fell_back = true;
                log.emit("endpoint gone", None, None);
                self.fall_back(endpoint, log.status);
                continue;
            }
            // The fallback request is not the policy's: it sees one attempt fewer.
            let policy_attempts = attempts - u32::from(fell_back);
            let room = LEAST_ATTEMPT.min(inner.timeouts.attempt);
            match inner.retry.decide(&failure.as_failure(), policy_attempts) {
                RetryDecision::Retry(delay)
                    if in_time(
                        Instant::now().checked_add(delay.saturating_add(room)),
                        deadline,
                    ) =>
                {
                    log.emit("request failed; retrying", Some(delay), Some(&error));
                    tokio::time::sleep(delay).await;
                }
                _ => {
                    log.emit("request failed", None, Some(&error));
                    return Err(finish(error, &failure));
                }
            }
        }
    }

    /// Switches to the twin endpoint after a 404/410 (clones share the switch;
    /// a call makes at most one).
    fn fall_back(&self, endpoint: Endpoint, status: Option<u16>) {
        if self.inner.endpoint.switch_from(endpoint) {
            tracing::info!(
                from = endpoint.path(),
                to = endpoint.other().path(),
                status,
                "endpoint unavailable; using its twin from now on"
            );
        }
    }

    /// One request: send, check the status, read the body under the size limit;
    /// `limit` is the time it has.
    async fn attempt(
        &self,
        endpoint: Endpoint,
        attempt: u32,
        limit: Duration,
    ) -> Result<RawResponse, Rejected> {
        let begun = Instant::now();
        let inner = &*self.inner;
        let url = format!("{}{}", inner.base_url, endpoint.path());
        let mut response = inner
            .http
            .post(url)
            .headers(inner.auth.clone())
            .header(CONTENT_TYPE, HeaderValue::from_static("application/json"))
            .body(rhombus_model::REQUEST_BODY)
            .send()
            .await
            .map_err(send_error)?;
        let status = response.status();
        if !status.is_success() {
            let headers = std::mem::take(response.headers_mut());
            // Half the attempt's time left, at most `EXCERPT_WAIT`: the status
            // decides what happens next, even when the body never comes.
            let wait = EXCERPT_WAIT.min(limit.saturating_sub(begun.elapsed()) / 2);
            let (body, whole) = read_prefix(&mut response, EXCERPT_BYTES, wait).await;
            let body = without_secret(&body, whole, inner.key.expose_secret());
            let excerpt = error_message(&body);
            let hint = auth_hint(status, &excerpt, &inner.base_url);
            return Err(Rejected {
                error: Error::new(ErrorKind::Status {
                    status,
                    excerpt,
                    hint,
                }),
                failure: OwnedFailure::Status(status, headers),
            });
        }
        let bytes = read_limited(&mut response, inner.max_body_size)
            .await
            .map_err(|e| match e {
                BodyError::TooLarge => Rejected::transport(
                    Error::new(ErrorKind::BodyTooLarge {
                        limit: inner.max_body_size,
                    }),
                    TransportFailure::Other,
                ),
                BodyError::Transport(e) => Rejected::transport(
                    Error::new(ErrorKind::Transport)
                        .with_message("the response body ended early")
                        .with_source(e),
                    TransportFailure::TruncatedBody,
                ),
            })?;
        let encoding = response.headers().get(CONTENT_ENCODING);
        if let Some(not_json) = NotJson::sniff(&bytes, encoding.and_then(|e| e.to_str().ok())) {
            let failure = match not_json {
                NotJson::Empty => TransportFailure::EmptyBody,
                _ => TransportFailure::Other,
            };
            let message = not_json.describe(&bytes, EXCERPT_BYTES, inner.key.expose_secret());
            return Err(Rejected::transport(
                Error::new(ErrorKind::NotJson).with_message(message),
                failure,
            ));
        }
        Ok(RawResponse {
            bytes,
            status,
            headers: std::mem::take(response.headers_mut()),
            endpoint,
            attempts: attempt,
            key: inner.key.clone(),
        })
    }
}

/// The fields of the one `tracing` event each attempt gets (never a header value).
struct AttemptLog {
    path: &'static str,
    attempt: u32,
    status: Option<u16>,
    elapsed_ms: u64,
}

impl AttemptLog {
    /// Emits the event: `warn` when a retry follows, `debug` otherwise.
    fn emit(&self, what: &str, retry_delay: Option<std::time::Duration>, error: Option<&Error>) {
        let retry_delay_ms = retry_delay.map(|d| d.as_millis() as u64);
        let error = error.map(tracing::field::display);
        let (path, attempt, status, elapsed_ms) =
            (self.path, self.attempt, self.status, self.elapsed_ms);
        if retry_delay.is_some() {
            tracing::warn!(
                path,
                attempt,
                status,
                elapsed_ms,
                retry_delay_ms,
                error,
                "{what}"
            );
        } else {
            tracing::debug!(path, attempt, status, elapsed_ms, error, "{what}");
        }
    }
}

/// An error from reading a body, as the retry policy sees it: a document
/// cut short is a truncated body.
fn rejected(error: Error) -> Rejected {
    let kind = if error.decode_error().is_some_and(|e| e.is_eof()) {
        TransportFailure::TruncatedBody
    } else {
        TransportFailure::Other
    };
    Rejected::transport(error, kind)
}

/// Classifies an error from sending the request.
fn send_error(e: reqwest::Error) -> Rejected {
    let (error, kind) = if let Some(problem) = certificate_problem(&e) {
        (
            Error::new(ErrorKind::Certificate).with_message(problem),
            TransportFailure::Certificate,
        )
    } else if e.is_connect() && e.is_timeout() {
        (
            Error::new(ErrorKind::Timeout(TimeoutKind::Connect)),
            TransportFailure::Connect,
        )
    } else if e.is_connect() {
        (Error::new(ErrorKind::Connect), TransportFailure::Connect)
    } else if e.is_builder() {
        (Error::new(ErrorKind::Config), TransportFailure::Other)
    } else {
        (
            Error::new(ErrorKind::Transport)
                .with_message("the connection closed before a response arrived"),
            TransportFailure::ConnectionReset,
        )
    };
    Rejected::transport(error.with_source(e), kind)
}

/// Whether an instant (`None`: beyond what an instant can be) comes before the
/// deadline (`None`: none).
fn in_time(at: Option<Instant>, deadline: Option<Instant>) -> bool {
    match (at, deadline) {
        (Some(at), Some(deadline)) => at < deadline,
        (at, None) => at.is_some(),
        (None, Some(_)) => false,
    }
}

/// Turns the last failure into the reported error (a 429 becomes `RateLimited`).
fn finish(error: Error, failure: &OwnedFailure) -> Error {
    match failure {
        OwnedFailure::Status(StatusCode::TOO_MANY_REQUESTS, headers) => {
            error.set_kind(ErrorKind::RateLimited {
                retry_after: retry_after(headers, std::time::SystemTime::now()),
            })
        }
        _ => error,
    }
}
