//! [`CliError`]: one line for the user, a hint where one helps, and an exit code.

use std::fmt;
use std::io;

use rhombus_model::{DecodeError, DecodeErrorKind};
use rhombus_transport::{DisplayErrorContext, Error, ErrorKind, Region, shorten};

/// The process exit codes (documented in `--help` and the README).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitCode {
    /// 0: success.
    Success = 0,
    /// 1: the API or HTTP call failed.
    Failure = 1,
    /// 2: usage or configuration error.
    Usage = 2,
    /// 3: a value did not fit (kept as sent), the input could not be decoded,
    /// or strict mode found drift.
    Decode = 3,
    /// 130: interrupted.
    Interrupted = 130,
}

/// A failure to report: `error: <message>` then, if any, `hint: <hint>`.
#[derive(Debug)]
pub struct CliError {
    /// The exit code.
    pub code: ExitCode,
    /// One line, no secrets.
    pub message: String,
    /// What to try next.
    pub hint: Option<String>,
}

impl CliError {
    /// An error with `code`.
    pub fn new(code: ExitCode, message: impl Into<String>) -> Self {
        CliError {
            code,
            message: message.into(),
            hint: None,
        }
    }

    /// A usage or configuration error (exit 2).
    pub fn usage(message: impl Into<String>) -> Self {
        CliError::new(ExitCode::Usage, message)
    }

    /// Adds a hint.
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// An undecodable input (exit 3), positioned; an input that could not be
    /// read (exit 2).
    pub fn decode(what: &str, err: &DecodeError) -> Self {
        if err.kind() == DecodeErrorKind::Io {
            // The input could not be read at all: not a decoding verdict.
            return CliError::usage(format!("cannot read {what}: {}", err.message()));
        }
        // The error quotes the input: shown shortened.
        let mut e = CliError::new(
            ExitCode::Decode,
            format!("{what}: {}", shorten(&err.to_string())),
        );
        e.hint = match err.kind() {
            DecodeErrorKind::Eof => {
                Some("the input ends early: it was cut short (truncated)".into())
            }
            DecodeErrorKind::Limit => Some(limit_hint(err.message()).into()),
            _ => None,
        };
        e
    }

    /// An ended-quietly marker: stdout was closed by its reader.
    pub fn broken_pipe() -> Self {
        CliError::new(ExitCode::Success, String::new())
    }

    /// Whether this is a closed stdout, to be ignored.
    pub fn is_broken_pipe(&self) -> bool {
        self.code == ExitCode::Success && self.message.is_empty()
    }

    /// A transport error as the user should see it, with a CLI-flavoured hint.
    pub fn from_transport(err: &Error, base_url: &str) -> Self {
        // `{:#}`: without the transport's own hint, which names URLs; ours names flags.
        let text = format!("{:#}", DisplayErrorContext(err));
        let code = match err.kind() {
            ErrorKind::Config => ExitCode::Usage,
            _ => ExitCode::Failure,
        };
        let mut e = CliError::new(code, text);
        e.hint = transport_hint(err, base_url);
        e
    }
}

/// How to raise the limit a decode ran into.
fn limit_hint(message: &str) -> &'static str {
    if message.contains("max_clips") {
        "if the input is genuine, raise the limit with --max-clips N"
    } else if message.contains("max_tree_bytes") {
        "if the response is genuine, raise the limit with --max-tree-mib N"
    } else if message.contains("max_value_len") {
        "a clip this long is no clip (is the input JSON at all?); if it is genuine, \
         raise the limit with --max-value-mib N"
    } else {
        "if the input is genuine, see the limits in the README"
    }
}

/// What to try after a transport failure.
fn transport_hint(err: &Error, base_url: &str) -> Option<String> {
    Some(match err.kind() {
        ErrorKind::Status {
            status, excerpt, ..
        } => return status_hint(status.as_u16(), excerpt, base_url),
        ErrorKind::RateLimited { .. } => {
            "the rate limit is shared by every key of the organization; wait, then retry".into()
        }
        ErrorKind::Timeout(_) => "the server did not answer in time; raise --timeout".into(),
        ErrorKind::Connect => "check --endpoint-url (or --region) and your network".into(),
        ErrorKind::Certificate => "check --endpoint-url (its host name) and this machine's clock; \
             a proxy that intercepts TLS is not trusted"
            .into(),
        ErrorKind::NotJson => {
            "something other than the Rhombus API answered: check --endpoint-url and \
             any proxy, captive portal or firewall on the way"
                .into()
        }
        ErrorKind::Transport => "the connection broke mid-response; try again".into(),
        ErrorKind::BodyTooLarge { .. } => {
            "if the response is genuine, raise the limit with --max-body-mib N".into()
        }
        ErrorKind::Decode => match err.decode_error() {
            Some(e) if e.kind() == DecodeErrorKind::Limit => limit_hint(e.message()).into(),
            _ => "save the body and run `rhombus clips parse FILE` to see every problem".into(),
        },
        _ => return None,
    })
}

/// What to try after an HTTP error status, given the body excerpt and base URL.
pub fn status_hint(status: u16, excerpt: &str, base_url: &str) -> Option<String> {
    let flag = |r: Region| match r {
        Region::Us => "--region us",
        Region::Eu => "--region eu",
    };
    let name = |r: Region| match r {
        Region::Us => "US",
        Region::Eu => "EU",
    };
    Some(match status {
        403 if excerpt.to_ascii_lowercase().contains("invalid api key") => {
            match Region::from_base_url(base_url) {
                Some(r) => format!(
                    "the key may belong to the {} region; try {}",
                    name(r.other()),
                    flag(r.other())
                ),
                None => {
                    "the key may belong to another region; try --region us or --region eu".into()
                }
            }
        }
        403 => "the key may lack the role this call needs; check it in the Rhombus console".into(),
        401 => "check the API key (--api-key, RHOMBUS_API_KEY or ~/.rhombus/credentials) and its kind (token, partner, cert)".into(),
        404 | 410 => "neither endpoint path answered; check --endpoint-url".into(),
        500..=599 => "the Rhombus API is having trouble; try again in a minute".into(),
        _ => return None,
    })
}

impl From<io::Error> for CliError {
    fn from(err: io::Error) -> Self {
        if err.kind() == io::ErrorKind::BrokenPipe {
            CliError::broken_pipe()
        } else {
            CliError::new(
                ExitCode::Failure,
                format!("cannot write to standard output: {err}"),
            )
        }
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// The result of a command: the exit code to end with.
pub type CliResult = Result<ExitCode, CliError>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn region_hints_name_the_other_region_flag() {
        let us = Region::Us.base_url();
        let eu = Region::Eu.base_url();
        assert_eq!(
            status_hint(403, "Invalid api key", us).unwrap(),
            "the key may belong to the EU region; try --region eu"
        );
        assert_eq!(
            status_hint(403, "invalid API key", eu).unwrap(),
            "the key may belong to the US region; try --region us"
        );
        assert!(
            status_hint(403, "Invalid api key", "http://127.0.0.1:1")
                .unwrap()
                .contains("--region us or --region eu")
        );
        assert!(
            status_hint(403, "missing role", us)
                .unwrap()
                .contains("role")
        );
        assert!(status_hint(503, "", us).is_some());
        assert_eq!(status_hint(400, "", us), None);
    }

    #[test]
    fn broken_pipe_is_quiet_success() {
        let err = CliError::from(io::Error::from(io::ErrorKind::BrokenPipe));
        assert!(err.is_broken_pipe());
        let other = CliError::from(io::Error::other("disk full"));
        assert!(!other.is_broken_pipe());
        assert_eq!(other.code, ExitCode::Failure);
        assert_eq!(other.message, "cannot write to standard output: disk full");
    }
}
