//! The request handler: routing, path switches, faults, auth, body check.

use crate::clips;
use crate::clock::Clock;
use crate::faults::{Fault, FaultPlan};
use crate::log::{Log, REDACTED, RequestRecord};
use crate::ratelimit::{Buckets, RateLimit, RetryAfterForm};
use crate::respond;
use crate::rng::Rng;
use crate::scenario::{Scenario, ms};
use crate::shape::{self, Shape};
use crate::wire::{self, Envelope};
use axum::body::Body;
use axum::extract::State;
use bytes::Bytes;
use http::{HeaderMap, HeaderValue, Method, Response, Uri, header};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, SystemTime};
use tokio::sync::watch;

/// One of the two paths the simulator serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ApiPath {
    /// `/api/event/getSplicedClipsInProgress` (deprecated in the spec).
    Event,
    /// `/api/video/getSplicedClipsInProgress`.
    Video,
}

impl ApiPath {
    /// Both paths.
    pub const ALL: [ApiPath; 2] = [ApiPath::Event, ApiPath::Video];

    /// The URL path, starting with `/`.
    pub const fn as_str(self) -> &'static str {
        match self {
            ApiPath::Event => "/api/event/getSplicedClipsInProgress",
            ApiPath::Video => "/api/video/getSplicedClipsInProgress",
        }
    }

    fn from_path(path: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.as_str() == path)
    }
}

/// Keeps the seeds of shaped bodies apart from the scenario's other draws.
const SHAPE_SEED_LABEL: u64 = 0x5EED_5A4E;

/// Auth schemes the API accepts; the `partner-` ones also need `x-auth-org`.
const SCHEMES: &[&str] = &["api-token", "partner-api-token", "api", "partner-api"];

/// State shared by the server task and the handle.
pub(crate) struct Shared {
    pub api_key: String,
    pub scenario: Scenario,
    pub shape: Shape,
    pub rate_limit: Option<RateLimit>,
    pub buckets: Mutex<Buckets>,
    pub clock: Clock,
    pub faults: Mutex<FaultPlan>,
    pub path_status: Mutex<[Option<u16>; 2]>,
    pub log: Mutex<Log>,
    pub shutdown: watch::Sender<bool>,
}

impl std::fmt::Debug for Shared {
    /// Everything but the API key and the log.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Shared")
            .field("api_key", &REDACTED)
            .field("scenario", &self.scenario)
            .field("shape", &self.shape)
            .field("rate_limit", &self.rate_limit)
            .field("clock", &self.clock)
            .field("faults", &self.faults)
            .field("path_status", &self.path_status)
            .finish_non_exhaustive()
    }
}

/// Locks a mutex, ignoring poisoning (the data stays consistent per operation).
pub(crate) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl Shared {
    /// The 200 body at `elapsed`, shaped by a content fault if any.
    pub(crate) fn success_body(&self, elapsed: Duration, fault: Option<&Fault>) -> Vec<u8> {
        let at = ms(elapsed);
        let mut list = match fault {
            Some(Fault::EmptyList) => Vec::new(),
            _ => clips::clips_at(&self.scenario, at),
        };
        if let Some(Fault::BigList(n)) = fault {
            list.extend(clips::synthetic_clips(&self.scenario, at, *n));
        }
        let warning = match fault {
            Some(Fault::Warning(w)) => Some(w.as_str()),
            _ => None,
        };
        let envelope = Envelope {
            error: false,
            error_msg: None,
            spliced_clips: &list,
            warning_msg: warning,
        };
        if self.shape == Shape::Live {
            return wire::to_bytes(&envelope);
        }
        let state = serde_json::to_value(&envelope).unwrap_or_default();
        let seed = Rng::keyed(self.scenario.seed, &[SHAPE_SEED_LABEL, at]).next_u64();
        shape::shaped(seed, self.shape, &state).bytes
    }

    /// Resolves when shutdown starts.
    async fn until_shutdown(&self) {
        self.shutdown_signal().await;
    }

    /// [`Shared::until_shutdown`] as a future that owns what it waits on.
    fn shutdown_signal(&self) -> impl Future<Output = ()> + Send + 'static {
        let mut rx = self.shutdown.subscribe();
        async move {
            let _ = rx.wait_for(|stop| *stop).await;
        }
    }
}

/// The single handler behind every route (so every request is logged).
pub(crate) async fn handle(
    State(shared): State<Arc<Shared>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response<Body> {
    let received_at = SystemTime::now();
    let seq = lock(&shared.log).seq();
    let mut record = RequestRecord {
        seq,
        method: method.to_string(),
        path: uri.path().to_string(),
        elapsed: shared.clock.elapsed(),
        received_at,
        headers: headers
            .iter()
            .map(|(n, v)| {
                (
                    n.to_string(),
                    String::from_utf8_lossy(v.as_bytes()).into_owned(),
                )
            })
            .collect(),
        fault: None,
        status: None,
    };
    let response = answer(&shared, &method, &headers, &body, &mut record).await;
    let mut response = match response {
        Some(response) => response,
        None => {
            // A hang: log it as unanswered, then wait for shutdown.
            lock(&shared.log).push(record);
            shared.until_shutdown().await;
            return respond::full(503, "text/plain", "simulator shutting down");
        }
    };
    record.status = Some(response.status().as_u16());
    let h = response.headers_mut();
    h.insert(
        "x-rhombus-sim-elapsed-ms",
        HeaderValue::from(ms(record.elapsed)),
    );
    if let Some(fault) = &record.fault {
        h.insert(
            "x-rhombus-sim-fault",
            HeaderValue::from_static(fault.name()),
        );
    }
    tracing::debug!(seq, path = %record.path, status = ?record.status, fault = ?record.fault.as_ref().map(Fault::name), "rhombus-sim request");
    lock(&shared.log).push(record);
    response
}

/// Decides the answer; `None` means hang.
async fn answer(
    shared: &Shared,
    method: &Method,
    headers: &HeaderMap,
    body: &[u8],
    record: &mut RequestRecord,
) -> Option<Response<Body>> {
    let Some(path) = ApiPath::from_path(&record.path) else {
        return Some(respond::full(
            404,
            "application/json",
            r#"{"msg":"Not Found"}"#,
        ));
    };
    if method != Method::POST {
        let mut response =
            respond::full(405, "application/json", r#"{"msg":"Method Not Allowed"}"#);
        response
            .headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("POST"));
        return Some(response);
    }
    if let Some(status) = lock(&shared.path_status)[path as usize] {
        return Some(respond::full(
            status,
            "text/plain; charset=utf-8",
            path_status_text(status),
        ));
    }
    // Refused requests draw no fault: a refusal never carries clip data.
    let org = match check_auth(headers, &shared.api_key) {
        Ok(org) => org,
        Err((status, message)) => return Some(respond::error_json(status, message)),
    };
    if let Some(limit) = &shared.rate_limit {
        let taken = lock(&shared.buckets).take(limit, org, shared.clock.elapsed());
        if let Err(wait) = taken {
            return Some(respond::too_many_requests(retry_after(
                limit.retry_after,
                shared.clock.to_real(wait),
            )));
        }
    }
    if !matches!(
        serde_json::from_slice(body),
        Ok(serde_json::Value::Object(_))
    ) {
        return Some(respond::bad_request(
            "Request body must be a JSON object, e.g. {}",
        ));
    }
    let fault = lock(&shared.faults).next(record.seq);
    record.fault = fault.clone();
    match &fault {
        Some(Fault::Hang) => return None,
        Some(Fault::StallBody(status)) => {
            return Some(respond::stalled(*status, shared.shutdown_signal()));
        }
        Some(Fault::Latency(delay)) => {
            tokio::select! {
                () = tokio::time::sleep(*delay) => {}
                () = shared.until_shutdown() => {}
            }
            record.elapsed = shared.clock.elapsed();
        }
        Some(f) => {
            let replaced = respond::replacing(f, || shared.success_body(record.elapsed, None));
            if replaced.is_some() {
                return replaced;
            }
        }
        None => {}
    }
    Some(respond::ok_json(
        shared.success_body(record.elapsed, fault.as_ref()),
    ))
}

/// The `Retry-After` value for a real wait of `wait`, in `form`.
fn retry_after(form: RetryAfterForm, wait: Duration) -> Option<String> {
    match form {
        RetryAfterForm::Seconds => {
            let whole = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
            Some(whole.to_string())
        }
        RetryAfterForm::Date => Some(respond::http_date_after(wait)),
        RetryAfterForm::Absent => None,
    }
}

fn path_status_text(status: u16) -> &'static str {
    match status {
        404 => "Not Found",
        410 => "Gone: this endpoint has been removed",
        _ => "Unavailable",
    }
}

/// The organisation a request's rate limit counts against when it names none
/// (the key's own).
const OWN_ORG: &str = "";

/// 401 for missing/unknown credentials headers, 403 for a wrong key; on
/// success, the organisation the request acts for (`x-auth-org` for partner
/// keys, [`OWN_ORG`] otherwise).
fn check_auth<'h>(headers: &'h HeaderMap, api_key: &str) -> Result<&'h str, (u16, &'static str)> {
    let get = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .filter(|v| !v.is_empty())
    };
    let (Some(key), Some(scheme)) = (get("x-auth-apikey"), get("x-auth-scheme")) else {
        return Err((
            401,
            "Unauthorized: x-auth-apikey and x-auth-scheme headers are required",
        ));
    };
    if !SCHEMES.contains(&scheme) {
        return Err((401, "Unauthorized: unsupported x-auth-scheme"));
    }
    let org = match (scheme.starts_with("partner-"), get("x-auth-org")) {
        (false, _) => OWN_ORG,
        (true, Some(org)) => org,
        (true, None) => {
            return Err((
                401,
                "Unauthorized: x-auth-org header is required for partner keys",
            ));
        }
    };
    if key != api_key {
        return Err((403, "Invalid api key"));
    }
    Ok(org)
}
