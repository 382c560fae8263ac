//! Building the HTTP responses: the success body and every broken variant.

use crate::faults::{Fault, RetryAfter};
use axum::body::Body;
use bytes::Bytes;
use futures_util::StreamExt;
use http::{HeaderValue, Response, StatusCode, header};
use std::time::{Duration, SystemTime};

const JSON: &str = "application/json";
const TEXT: &str = "text/plain; charset=utf-8";
const HTML: &str = "text/html; charset=utf-8";
/// How long a broken body waits after its first half before the cut.
const FLUSH_PAUSE: Duration = Duration::from_millis(50);

/// A complete response with a fixed body.
pub(crate) fn full(status: u16, content_type: &str, body: impl Into<Bytes>) -> Response<Body> {
    let mut response = Response::new(Body::from(body.into()));
    *response.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::IM_A_TEAPOT);
    if let Ok(value) = HeaderValue::from_str(content_type) {
        response.headers_mut().insert(header::CONTENT_TYPE, value);
    }
    response
}

/// The API's `{"error":true,"errorMsg":...}` shape with some status.
pub(crate) fn error_json(status: u16, message: &str) -> Response<Body> {
    let body = serde_json::json!({ "error": true, "errorMsg": message, "splicedClips": null, "warningMsg": null });
    full(status, JSON, body.to_string())
}

/// The 400 shape: `{"msg": ...}`.
pub(crate) fn bad_request(message: &str) -> Response<Body> {
    full(400, JSON, serde_json::json!({ "msg": message }).to_string())
}

/// `429` with a `text/plain` body and this `Retry-After`, if any.
pub(crate) fn too_many_requests(retry_after: Option<String>) -> Response<Body> {
    let mut response = full(
        429,
        TEXT,
        "Too Many Requests: rate limit exceeded for this organization",
    );
    if let Some(value) = retry_after.and_then(|v| HeaderValue::from_str(&v).ok()) {
        response.headers_mut().insert(header::RETRY_AFTER, value);
    }
    response
}

/// The HTTP date of the first whole second strictly after `now + after`
/// (HTTP dates have whole seconds: rounding down could name a past instant).
pub(crate) fn http_date_after(after: Duration) -> String {
    // An HTTP date has a four-digit year: a century ahead is as far as it goes here.
    let after = after.min(Duration::from_secs(100 * 366 * 86_400));
    let target = SystemTime::now() + after;
    let secs = target
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    httpdate::fmt_http_date(SystemTime::UNIX_EPOCH + Duration::from_secs(secs + 1))
}

/// A 200 success with this JSON body.
pub(crate) fn ok_json(body: Vec<u8>) -> Response<Body> {
    full(200, JSON, body)
}

/// The response for a fault that replaces the whole answer, given the success
/// body it would otherwise have sent; `None` for faults that do not replace it.
pub(crate) fn replacing(
    fault: &Fault,
    success: impl FnOnce() -> Vec<u8>,
) -> Option<Response<Body>> {
    Some(match fault {
        Fault::RateLimited(retry_after) => too_many_requests(match retry_after {
            RetryAfter::Seconds(s) => Some(s.to_string()),
            RetryAfter::Date(after) => Some(http_date_after(*after)),
            RetryAfter::Absent => None,
        }),
        Fault::ServerError(500) => error_json(500, "Internal server error"),
        Fault::ServerError(status @ 502..=504) => {
            let reason = StatusCode::from_u16(*status)
                .ok()
                .and_then(|s| s.canonical_reason())
                .unwrap_or("Error");
            full(
                *status,
                HTML,
                format!(
                    "<html><head><title>{status} {reason}</title></head><body><center><h1>{status} {reason}</h1></center></body></html>\n"
                ),
            )
        }
        Fault::ServerError(status) => full(*status, TEXT, "Server error"),
        Fault::DropMidBody => broken(success(), false),
        Fault::TruncatedBody => broken(success(), true),
        Fault::CutJson => {
            let mut body = success();
            body.truncate(body.len() / 2);
            ok_json(body)
        }
        Fault::InvalidJson => ok_json(
            b"{\"error\":false,\"splicedClips\":[{'clipUuid': 'AAAAAAAAAAAAAAAAAAAAAA'}]".to_vec(),
        ),
        Fault::ErrorBody(message) => error_json(200, message),
        Fault::Respond {
            status,
            content_type,
            body,
        } => full(*status, content_type, body.clone()),
        Fault::Latency(_)
        | Fault::Warning(_)
        | Fault::EmptyList
        | Fault::BigList(_)
        | Fault::Hang
        | Fault::StallBody(_) => {
            return None;
        }
    })
}

/// `status` with a text body whose first line is sent and whose rest is not,
/// until `shutdown` resolves (then the connection breaks).
pub(crate) fn stalled(
    status: u16,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Response<Body> {
    let first = Bytes::from(format!("{status}: a body that stalls\n"));
    let cut = async {
        shutdown.await;
        Err(std::io::Error::new(
            std::io::ErrorKind::ConnectionAborted,
            "simulator shutting down",
        ))
    };
    let stream =
        futures_util::stream::once(async { Ok(first) }).chain(futures_util::stream::once(cut));
    let mut response = full(status, TEXT, Bytes::new());
    *response.body_mut() = Body::from_stream(stream);
    response
}

/// A 200 that sends half of `body` and then breaks the connection: with a
/// `Content-Length` of the full body (`declare_length`) or chunked.
fn broken(body: Vec<u8>, declare_length: bool) -> Response<Body> {
    let full_len = body.len();
    let half = Bytes::from(body).slice(..full_len / 2);
    // Pause before failing so the head and the first half really reach the
    // client (hyper drops buffered output when the body errors at once).
    let cut = async {
        tokio::time::sleep(FLUSH_PAUSE).await;
        Err(std::io::Error::new(
            std::io::ErrorKind::ConnectionAborted,
            "simulated connection drop",
        ))
    };
    let stream =
        futures_util::stream::once(async { Ok(half) }).chain(futures_util::stream::once(cut));
    let mut response = Response::new(Body::from_stream(stream));
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(JSON));
    if declare_length {
        headers.insert(header::CONTENT_LENGTH, HeaderValue::from(full_len));
    }
    response
}
