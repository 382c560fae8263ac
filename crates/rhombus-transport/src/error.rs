//! The one error type: what failed, whether the request may have been sent, and why.

use std::borrow::Cow;
use std::error::Error as StdError;
use std::fmt;
use std::time::Duration;

use http::StatusCode;

use crate::endpoint::{EU_BASE_URL, Endpoint, Region, US_BASE_URL};
use crate::redact::{hide, hide_in_error};
use crate::shorten::shorten;

type BoxError = Box<dyn StdError + Send + Sync + 'static>;

/// Which timeout fired.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TimeoutKind {
    /// Establishing the connection (TCP + TLS). The request was not sent.
    Connect,
    /// One attempt (send and read the whole body). The request may have been sent.
    Attempt,
    /// The whole operation, retries included. The request may have been sent.
    Operation,
}

impl fmt::Display for TimeoutKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TimeoutKind::Connect => "connect",
            TimeoutKind::Attempt => "per-attempt",
            TimeoutKind::Operation => "operation",
        })
    }
}

/// What kind of failure an [`Error`] is.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The API answered HTTP 200 with `"error": true` (and maybe `errorMsg`).
    /// The request was sent and processed.
    Api {
        /// The API's `errorMsg`, if any.
        message: Option<String>,
    },
    /// The server answered with a non-success HTTP status (after any retries).
    /// The request was sent.
    Status {
        /// The HTTP status.
        status: StatusCode,
        /// The start of the response body: one line, [`shorten`]ed.
        excerpt: String,
        /// What to try next, when there is something useful to say.
        hint: Option<String>,
    },
    /// Still HTTP 429 when the retries ran out. The request was sent.
    RateLimited {
        /// The last `Retry-After` the server asked for.
        retry_after: Option<Duration>,
    },
    /// A timeout fired; see [`TimeoutKind`] for whether the request may have been sent.
    Timeout(TimeoutKind),
    /// Could not connect (refused, DNS, TLS handshake). The request was not sent.
    Connect,
    /// The server's TLS certificate was refused; the message says why (unknown
    /// issuer, expired, not for this host name). Not retried. The request was
    /// not sent.
    Certificate,
    /// The connection failed after it was established (reset, dropped mid-body,
    /// truncated body). The request may have been sent.
    Transport,
    /// The body is not a valid response; [`Error::decode_error`] has the JSON path,
    /// line and column. The request was sent.
    Decode,
    /// HTTP 200 with a body that cannot be JSON: empty (after the retries),
    /// an HTML page (a proxy or captive portal), or compressed although no
    /// compression was asked for. The message names which. The request was sent.
    NotJson,
    /// The body is larger than the configured limit. The request was sent.
    BodyTooLarge {
        /// The configured limit in bytes.
        limit: u64,
    },
    /// The client configuration is invalid. Nothing was sent.
    Config,
}

impl ErrorKind {
    /// A short stable name: `api`, `status`, `rate-limited`, `timeout`, `connect`, `certificate`,
    /// `transport`, `decode`, `not-json`, `body-too-large` or `config` (for metrics
    /// and counters).
    pub fn as_str(&self) -> &'static str {
        match self {
            ErrorKind::Api { .. } => "api",
            ErrorKind::Status { .. } => "status",
            ErrorKind::RateLimited { .. } => "rate-limited",
            ErrorKind::Timeout(_) => "timeout",
            ErrorKind::Connect => "connect",
            ErrorKind::Certificate => "certificate",
            ErrorKind::Transport => "transport",
            ErrorKind::Decode => "decode",
            ErrorKind::NotJson => "not-json",
            ErrorKind::BodyTooLarge { .. } => "body-too-large",
            ErrorKind::Config => "config",
        }
    }
}

/// An error from the Rhombus client.
///
/// `Display` is one line, server text in it [`shorten`]ed; [`source`](StdError::source) reaches the underlying cause;
/// [`DisplayErrorContext`] prints the whole chain. Never contains the API key.
/// The alternate form (`{:#}`) leaves out the `; hint: …` suffix, for callers
/// that phrase their own advice (a CLI names flags rather than URLs).
pub struct Error {
    inner: Box<Inner>,
}

struct Inner {
    kind: ErrorKind,
    message: Option<String>,
    endpoint: Option<Endpoint>,
    attempts: u32,
    source: Option<BoxError>,
}

impl Error {
    /// A new error of `kind`.
    pub(crate) fn new(kind: ErrorKind) -> Self {
        Error {
            inner: Box::new(Inner {
                kind,
                message: None,
                endpoint: None,
                attempts: 0,
                source: None,
            }),
        }
    }

    /// An invalid-configuration error.
    pub(crate) fn config(message: impl Into<String>) -> Self {
        Error::new(ErrorKind::Config).with_message(message)
    }

    pub(crate) fn with_message(mut self, message: impl Into<String>) -> Self {
        self.inner.message = Some(message.into());
        self
    }

    pub(crate) fn with_source(mut self, source: impl Into<BoxError>) -> Self {
        self.inner.source = Some(source.into());
        self
    }

    pub(crate) fn with_endpoint(mut self, endpoint: Endpoint) -> Self {
        self.inner.endpoint = Some(endpoint);
        self
    }

    pub(crate) fn with_attempts(mut self, attempts: u32) -> Self {
        self.inner.attempts = attempts;
        self
    }

    pub(crate) fn set_kind(mut self, kind: ErrorKind) -> Self {
        self.inner.kind = kind;
        self
    }

    /// Replaces `secret` wherever server-supplied text could carry it (a server that
    /// echoes the key back must not put it into our messages).
    pub(crate) fn redact(mut self, secret: &str) -> Self {
        if secret.is_empty() {
            return self;
        }
        let scrub = |text: &mut String| {
            if let Cow::Owned(hidden) = hide(text, secret) {
                *text = hidden;
            }
        };
        let inner = &mut *self.inner;
        if let Some(message) = &mut inner.message {
            scrub(message);
        }
        match &mut inner.kind {
            ErrorKind::Api {
                message: Some(message),
            } => scrub(message),
            ErrorKind::Status { excerpt, .. } => scrub(excerpt),
            _ => {}
        }
        // A decode error quotes the body (a value of the wrong type, a map key).
        let decode_error = inner.source.as_deref().and_then(|s| s.downcast_ref());
        if let Some(error) = decode_error.cloned() {
            inner.source = Some(Box::new(hide_in_error(error, secret)));
        }
        self
    }

    /// The kind of failure.
    pub fn kind(&self) -> &ErrorKind {
        &self.inner.kind
    }

    /// The HTTP status, for [`ErrorKind::Status`] and [`ErrorKind::RateLimited`].
    pub fn status(&self) -> Option<StatusCode> {
        match &self.inner.kind {
            ErrorKind::Status { status, .. } => Some(*status),
            ErrorKind::RateLimited { .. } => Some(StatusCode::TOO_MANY_REQUESTS),
            _ => None,
        }
    }

    /// The endpoint the last attempt went to, if a request was attempted.
    pub fn endpoint(&self) -> Option<Endpoint> {
        self.inner.endpoint
    }

    /// How many requests were attempted (0 if none was).
    pub fn attempts(&self) -> u32 {
        self.inner.attempts
    }

    /// Whether the request may have reached the server (false only when it surely did not).
    pub fn may_have_been_sent(&self) -> bool {
        !matches!(
            self.inner.kind,
            ErrorKind::Config
                | ErrorKind::Connect
                | ErrorKind::Certificate
                | ErrorKind::Timeout(TimeoutKind::Connect)
        )
    }

    /// The decode error (JSON path, line, column) for [`ErrorKind::Decode`].
    pub fn decode_error(&self) -> Option<&rhombus_model::DecodeError> {
        self.inner.source.as_deref()?.downcast_ref()
    }
}

/// A decoding error as an [`ErrorKind::Decode`] error, for the closure of
/// [`Client::fetch_with`](crate::Client::fetch_with): one for a document cut
/// short ([`DecodeError::is_eof`](rhombus_model::DecodeError::is_eof)) is
/// retried like a truncated body.
impl From<rhombus_model::DecodeError> for Error {
    fn from(e: rhombus_model::DecodeError) -> Self {
        Error::new(ErrorKind::Decode)
            .with_message(e.to_string())
            .with_source(e)
    }
}

/// A hint for a 401/403: a key rejected by one region often belongs to the other.
pub(crate) fn auth_hint(status: StatusCode, excerpt: &str, base_url: &str) -> Option<String> {
    match status.as_u16() {
        403 if excerpt.to_ascii_lowercase().contains("invalid api key") => {
            Some(match Region::from_base_url(base_url) {
                Some(region) => format!(
                    "the key may belong to the other region; try the base URL {}",
                    region.other().base_url()
                ),
                None => format!(
                    "the key may belong to another region; try {US_BASE_URL} or {EU_BASE_URL}"
                ),
            })
        }
        401 | 403 => {
            Some("check the API key, its kind (token, partner, certificate) and its role".into())
        }
        _ => None,
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let inner = &self.inner;
        match &inner.kind {
            ErrorKind::Api { message } => {
                f.write_str("the Rhombus API reported an error")?;
                if let Some(message) = message {
                    // The server's text, kept on one line.
                    let line: String = message
                        .chars()
                        .map(|c| if c.is_control() { ' ' } else { c })
                        .collect();
                    write!(f, ": {}", shorten(&line))?;
                }
            }
            ErrorKind::Status {
                status, excerpt, ..
            } => {
                write!(f, "HTTP {status}")?;
                // Skip an excerpt that only repeats the status ("502 Bad Gateway").
                if !excerpt.is_empty() && *excerpt != status.to_string() {
                    write!(f, ": {}", shorten(excerpt))?;
                }
            }
            ErrorKind::RateLimited { retry_after } => {
                f.write_str("rate limited (HTTP 429)")?;
                if let Some(after) = retry_after {
                    write!(
                        f,
                        "; the server asked to retry after {}s",
                        after.as_secs_f64()
                    )?;
                }
            }
            ErrorKind::Timeout(kind) => write!(f, "{kind} timeout")?,
            ErrorKind::Connect => f.write_str("could not connect to the Rhombus API")?,
            ErrorKind::Certificate => f.write_str("the server's TLS certificate was refused")?,
            ErrorKind::Transport => f.write_str("the connection failed during the request")?,
            ErrorKind::Decode => f.write_str("the response is not valid")?,
            // The message is the whole sentence.
            ErrorKind::NotJson if inner.message.is_some() => {}
            ErrorKind::NotJson => f.write_str("the response is not JSON")?,
            ErrorKind::BodyTooLarge { limit } => {
                write!(f, "the response body is larger than the {limit}-byte limit")?
            }
            ErrorKind::Config => f.write_str("invalid client configuration")?,
        }
        if let Some(message) = &inner.message {
            if inner.kind != ErrorKind::NotJson {
                f.write_str(": ")?;
            }
            // It may quote the server (a decode error quotes the body).
            f.write_str(&shorten(message))?;
        }
        if let Some(endpoint) = inner.endpoint {
            write!(f, " ({}", endpoint.path())?;
            if inner.attempts > 1 {
                write!(f, ", after {} attempts", inner.attempts)?;
            }
            f.write_str(")")?;
        }
        match &inner.kind {
            ErrorKind::Status {
                hint: Some(hint), ..
            } if !f.alternate() => write!(f, "; hint: {hint}")?,
            _ => {}
        }
        Ok(())
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let inner = &self.inner;
        f.debug_struct("Error")
            .field("kind", &inner.kind)
            .field("message", &inner.message)
            .field("endpoint", &inner.endpoint)
            .field("attempts", &inner.attempts)
            .field("source", &inner.source)
            .finish()
    }
}

impl StdError for Error {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        self.inner
            .source
            .as_deref()
            .map(|e| e as &(dyn StdError + 'static))
    }
}

/// Displays an error and its whole `source()` chain on one line, joined by `: `,
/// each part [`shorten`]ed.
///
/// ```
/// # fn show(err: &rhombus_transport::Error) -> String {
/// format!("{}", rhombus_transport::DisplayErrorContext(err))
/// # }
/// ```
pub struct DisplayErrorContext<E>(pub E);

impl<E: StdError> fmt::Display for DisplayErrorContext<E> {
    /// `{:#}` passes the alternate form on to the outermost error.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let head = if f.alternate() {
            format!("{:#}", self.0)
        } else {
            self.0.to_string()
        };
        f.write_str(&head)?;
        let mut last = head;
        let mut source = self.0.source();
        while let Some(err) = source {
            // Sources may quote the server too (a decode error quotes the body).
            let text = shorten(&err.to_string()).into_owned();
            // Some libraries repeat their source's message in their own; skip repeats.
            if !last.contains(&text) {
                write!(f, ": {text}")?;
            }
            last = text;
            source = err.source();
        }
        Ok(())
    }
}

impl<E: StdError> fmt::Debug for DisplayErrorContext<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug)]
    struct Cause;
    impl fmt::Display for Cause {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("connection refused")
        }
    }
    impl StdError for Cause {}

    #[test]
    fn display_is_one_line_with_context() {
        let err = Error::new(ErrorKind::Status {
            status: StatusCode::FORBIDDEN,
            excerpt: "Invalid api key".into(),
            hint: auth_hint(StatusCode::FORBIDDEN, "Invalid api key", US_BASE_URL),
        })
        .with_endpoint(Endpoint::Event)
        .with_attempts(1);
        let text = err.to_string();
        assert!(!text.contains('\n'));
        assert!(
            text.starts_with("HTTP 403 Forbidden: Invalid api key"),
            "{text}"
        );
        assert!(text.contains(EU_BASE_URL), "{text}");
        assert_eq!(err.status(), Some(StatusCode::FORBIDDEN));
        // The alternate form is the same line without the hint, chained or not.
        let bare = format!("{err:#}");
        assert_eq!(Some(bare.as_str()), text.split("; hint: ").next());
        assert_eq!(format!("{:#}", DisplayErrorContext(&err)), bare);
    }

    #[test]
    fn hints_point_to_the_other_region() {
        let hint = auth_hint(StatusCode::FORBIDDEN, "invalid API key", EU_BASE_URL).unwrap();
        assert!(
            hint.contains(US_BASE_URL) && !hint.contains(EU_BASE_URL),
            "{hint}"
        );
        let hint = auth_hint(
            StatusCode::FORBIDDEN,
            "Invalid api key",
            "http://127.0.0.1:1",
        )
        .unwrap();
        assert!(hint.contains(US_BASE_URL) && hint.contains(EU_BASE_URL));
        assert!(auth_hint(StatusCode::UNAUTHORIZED, "", US_BASE_URL).is_some());
        assert!(auth_hint(StatusCode::BAD_REQUEST, "", US_BASE_URL).is_none());
    }

    #[test]
    fn chain_is_reachable_and_printed() {
        let err = Error::new(ErrorKind::Connect).with_source(Cause);
        assert!(err.source().is_some());
        assert!(!err.may_have_been_sent());
        assert_eq!(
            DisplayErrorContext(&err).to_string(),
            "could not connect to the Rhombus API: connection refused"
        );
        assert!(Error::new(ErrorKind::Transport).may_have_been_sent());
        assert!(!Error::new(ErrorKind::Timeout(TimeoutKind::Connect)).may_have_been_sent());
    }

    #[test]
    fn server_text_is_redacted_and_kept_on_one_line() {
        let err = Error::new(ErrorKind::Api {
            message: Some("bad key KEY123\nsecond line".into()),
        })
        .with_message("echo KEY123")
        .redact("KEY123");
        let text = err.to_string();
        assert_eq!(
            text,
            "the Rhombus API reported an error: bad key <redacted> second line: echo <redacted>"
        );
        let err = Error::new(ErrorKind::Status {
            status: StatusCode::FORBIDDEN,
            excerpt: "Invalid api key KEY123".into(),
            hint: None,
        })
        .redact("KEY123");
        assert!(!format!("{err} {err:?}").contains("KEY123"));
    }

    #[test]
    fn attempts_show_when_retried() {
        let err = Error::new(ErrorKind::RateLimited {
            retry_after: Some(Duration::from_secs(2)),
        })
        .with_endpoint(Endpoint::Video)
        .with_attempts(5);
        let text = err.to_string();
        assert!(
            text.contains("after 5 attempts") && text.contains("2s"),
            "{text}"
        );
        assert_eq!(err.status(), Some(StatusCode::TOO_MANY_REQUESTS));
    }
}
