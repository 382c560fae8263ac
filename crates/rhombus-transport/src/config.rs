//! Timeouts and the validated base URL.

use std::net::IpAddr;
use std::time::Duration;

use reqwest::Url;

use crate::error::Error;

/// Default response size limit: 256 MiB. With the decoder's default tree
/// limit (512 MiB) a body the client accepts decodes in under 1 GiB.
pub const DEFAULT_MAX_BODY_SIZE: u64 = 256 << 20;

/// The three timeouts, each reported by name when it fires.
///
/// A retry that would start after the operation deadline is not made: the last
/// failure is returned instead (a 429 as [`ErrorKind::RateLimited`](crate::ErrorKind::RateLimited)).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timeouts {
    /// Establishing a connection (TCP + TLS). Default 10 s.
    pub connect: Duration,
    /// One attempt: sending the request and reading the whole body. Default 30 s.
    pub attempt: Duration,
    /// The whole operation, retries and their delays included. Default 5 min.
    pub operation: Duration,
}

impl Default for Timeouts {
    fn default() -> Self {
        Timeouts {
            connect: Duration::from_secs(10),
            attempt: Duration::from_secs(30),
            operation: Duration::from_secs(300),
        }
    }
}

impl Timeouts {
    pub(crate) fn validate(&self) -> Result<(), Error> {
        if self.connect.is_zero() || self.attempt.is_zero() || self.operation.is_zero() {
            return Err(Error::config("timeouts must be longer than zero"));
        }
        Ok(())
    }
}

/// Parses and checks a base URL: `https://` anywhere, plain `http://` only for loopback.
///
/// Returns the URL without a trailing slash, ready for an endpoint path to be appended.
pub(crate) fn parse_base_url(input: &str) -> Result<String, Error> {
    // Before any message quotes the input: it would quote the password.
    if base_url_has_credentials(input) {
        return Err(Error::config(
            "the base URL must not contain a user name or password: remove the \
             `user:password@` part (the API key is what authenticates)",
        ));
    }
    let url = Url::parse(input.trim())
        .map_err(|e| Error::config(format!("invalid base URL {input:?}")).with_source(e))?;
    if url.query().is_some() || url.fragment().is_some() {
        return Err(Error::config(format!(
            "the base URL {input:?} must not have a query or fragment"
        )));
    }
    match url.scheme() {
        "https" => {}
        "http" if is_loopback(&url) => {}
        "http" => {
            return Err(Error::config(format!(
                "plain http:// is only allowed for loopback hosts; use https:// for {input:?}"
            )));
        }
        other => {
            return Err(Error::config(format!(
                "unsupported URL scheme {other:?} in {input:?}; use https://"
            )));
        }
    }
    if url.host().is_none() {
        return Err(Error::config(format!("the base URL {input:?} has no host")));
    }
    Ok(url.as_str().trim_end_matches('/').to_owned())
}

/// Whether `url` has a user name or password before its host
/// (`https://user:pass@host`). Read as text, so even a URL that does not
/// parse is caught before a message could quote it: check this first, and
/// show such a URL nowhere.
pub fn base_url_has_credentials(url: &str) -> bool {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    rest.split(['/', '?', '#'])
        .next()
        .is_some_and(|authority| authority.contains('@'))
}

/// True if a (validated) base URL's host is loopback: 127.0.0.0/8, ::1 or
/// `localhost`.
pub(crate) fn is_loopback_base(base_url: &str) -> bool {
    Url::parse(base_url).is_ok_and(|url| is_loopback(&url))
}

fn is_loopback(url: &Url) -> bool {
    let Some(host) = url.host_str() else {
        return false;
    };
    let host = host.trim_start_matches('[').trim_end_matches(']');
    host.eq_ignore_ascii_case("localhost")
        || host.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorKind;

    #[test]
    fn loopback_bases_are_told_apart() {
        for base in [
            "http://127.0.0.1:1",
            "http://127.8.9.10",
            "http://[::1]:80",
            "http://localhost:3000/x",
            "https://LOCALHOST",
        ] {
            assert!(is_loopback_base(base), "{base}");
        }
        for base in [
            "https://api2.rhombussystems.com",
            "https://10.0.0.1",
            "https://[::2]",
            "https://localhost.example.com",
            "not a url",
        ] {
            assert!(!is_loopback_base(base), "{base}");
        }
    }

    #[test]
    fn https_anywhere_http_only_on_loopback() {
        assert_eq!(
            parse_base_url("https://api2.rhombussystems.com/").unwrap(),
            "https://api2.rhombussystems.com"
        );
        assert_eq!(
            parse_base_url("http://127.0.0.1:8080").unwrap(),
            "http://127.0.0.1:8080"
        );
        assert_eq!(parse_base_url("http://[::1]:1/").unwrap(), "http://[::1]:1");
        assert_eq!(
            parse_base_url("http://localhost:3000/x/").unwrap(),
            "http://localhost:3000/x"
        );
        for bad in [
            "http://api2.rhombussystems.com",
            "http://10.0.0.1",
            "ftp://127.0.0.1",
            "not a url",
            "https://host/?q=1",
            "https://user:pw@host",
        ] {
            let err = parse_base_url(bad).unwrap_err();
            assert_eq!(err.kind(), &ErrorKind::Config, "{bad}");
        }
    }

    #[test]
    fn credentials_in_a_url_are_refused_without_quoting_it() {
        for bad in [
            "https://user:hunter2@api2.rhombussystems.com",
            "https://hunter2@host/",
            "http://user:hunter2@127.0.0.1:1",
            " https://u:hunter2@host",
            "user:hunter2@host",
            "https://u:hunter2@host with spaces",
            "https://u:hunter2@[::1",
        ] {
            assert!(base_url_has_credentials(bad), "{bad}");
            let err = parse_base_url(bad).unwrap_err();
            assert_eq!(err.kind(), &ErrorKind::Config, "{bad}");
            let text = format!("{err} {err:?}");
            assert!(!text.contains("hunter2"), "{text}");
            assert!(text.contains("user name or password"), "{text}");
        }
        for good in [
            "https://api2.rhombussystems.com",
            "https://host/path@segment",
            "https://host?q=a@b",
            "http://127.0.0.1:8080/#x@y",
        ] {
            assert!(!base_url_has_credentials(good), "{good}");
        }
    }

    #[test]
    fn timeouts_have_real_defaults_and_reject_zero() {
        let t = Timeouts::default();
        assert!(t.connect < t.attempt && t.attempt < t.operation);
        t.validate().unwrap();
        let zero = Timeouts {
            attempt: Duration::ZERO,
            ..t
        };
        assert_eq!(zero.validate().unwrap_err().kind(), &ErrorKind::Config);
    }
}
