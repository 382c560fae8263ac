//! What was wrong with a server's TLS certificate, found in an error's chain:
//! a permanent failure, which no retry fixes.

use std::error::Error as StdError;

use crate::error::Error;

/// `http`, also trusting each of `roots` (PEM certificates) for servers.
pub(crate) fn trust_roots(
    http: reqwest::ClientBuilder,
    roots: &[Vec<u8>],
) -> Result<reqwest::ClientBuilder, Error> {
    #[cfg(any(feature = "rustls", feature = "native-tls"))]
    {
        roots.iter().try_fold(http, |http, pem| {
            let root = reqwest::Certificate::from_pem(pem).map_err(|e| {
                Error::config("invalid root certificate (PEM expected)").with_source(e)
            })?;
            Ok(http.add_root_certificate(root))
        })
    }
    #[cfg(not(any(feature = "rustls", feature = "native-tls")))]
    {
        match roots {
            [] => Ok(http),
            _ => Err(Error::config(
                "root certificates need the `rustls` or `native-tls` feature",
            )),
        }
    }
}

/// Why the server's certificate was refused, when that is why `error` (or a
/// source of it) failed; `None` for any other failure. Known with the
/// `rustls` feature only.
pub(crate) fn certificate_problem(error: &(dyn StdError + 'static)) -> Option<String> {
    #[cfg(feature = "rustls")]
    {
        let mut next = Some(error);
        while let Some(e) = next {
            if let Some(rustls::Error::InvalidCertificate(problem)) = e.downcast_ref() {
                return Some(describe(problem));
            }
            // TLS errors travel inside (nested) `io::Error`s, whose `source`
            // skips the error they wrap: step into it instead.
            next = match e.downcast_ref::<std::io::Error>() {
                Some(io) => io.get_ref().map(|inner| inner as &(dyn StdError + 'static)),
                None => e.source(),
            };
        }
        None
    }
    #[cfg(not(feature = "rustls"))]
    {
        let _ = error;
        None
    }
}

/// One sentence on a refused certificate.
#[cfg(feature = "rustls")]
fn describe(problem: &rustls::CertificateError) -> String {
    use rustls::CertificateError as E;
    use rustls::pki_types::{ServerName, UnixTime};
    let date = |t: &UnixTime| {
        let at = std::time::UNIX_EPOCH + std::time::Duration::from_secs(t.as_secs());
        httpdate::fmt_http_date(at)
    };
    match problem {
        E::UnknownIssuer => "it was issued by an authority this client does not trust \
             (a self-signed certificate, or a proxy that intercepts TLS?)"
            .to_owned(),
        E::Expired => "it has expired".to_owned(),
        E::ExpiredContext { not_after, .. } => {
            format!("it expired on {}", date(not_after))
        }
        E::NotValidYet => "it is not valid yet (is this machine's clock right?)".to_owned(),
        E::NotValidYetContext { not_before, .. } => format!(
            "it is not valid before {} (is this machine's clock right?)",
            date(not_before)
        ),
        E::NotValidForName => "it is not valid for this host name".to_owned(),
        E::NotValidForNameContext {
            expected,
            presented,
        } => {
            let expected = match expected {
                ServerName::IpAddress(ip) => std::net::IpAddr::from(*ip).to_string(),
                other => other.to_str().into_owned(),
            };
            format!(
                "it is for {}, not for {expected}",
                if presented.is_empty() {
                    "no host name".to_owned()
                } else {
                    let names: Vec<_> = presented.iter().map(|n| bare_name(n)).collect();
                    names.join(", ")
                }
            )
        }
        E::Revoked => "it has been revoked".to_owned(),
        E::BadSignature => "its signature is not valid".to_owned(),
        other => other.to_string(),
    }
}

/// A name as the verifier presents it (`DnsName("host")`, `IpAddress(1.2.3.4)`),
/// without the wrapper.
#[cfg(feature = "rustls")]
fn bare_name(presented: &str) -> &str {
    [("DnsName(\"", "\")"), ("IpAddress(", ")")]
        .iter()
        .find_map(|(open, close)| presented.strip_prefix(open)?.strip_suffix(close))
        .unwrap_or(presented)
}

#[cfg(all(test, feature = "rustls"))]
mod tests {
    use super::bare_name;

    #[test]
    fn presented_names_lose_their_wrappers() {
        assert_eq!(bare_name("DnsName(\"wrong.example\")"), "wrong.example");
        assert_eq!(bare_name("IpAddress(10.0.0.1)"), "10.0.0.1");
        assert_eq!(bare_name("something else"), "something else");
    }
}
