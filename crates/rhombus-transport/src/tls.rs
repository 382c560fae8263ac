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
/// source of it) failed; `None` for any other failure. With `rustls` the
/// verifier's own error says; with `native-tls` only, OpenSSL's verify
/// result in the error's text.
pub(crate) fn certificate_problem(error: &(dyn StdError + 'static)) -> Option<String> {
    let mut next = Some(error);
    while let Some(e) = next {
        if let Some(problem) = problem_of(e) {
            return Some(problem);
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

/// The certificate problem `error` itself names, if any.
#[allow(unused_variables)] // without a TLS feature there is nothing to look for
fn problem_of(error: &(dyn StdError + 'static)) -> Option<String> {
    #[cfg(feature = "rustls")]
    if let Some(rustls::Error::InvalidCertificate(problem)) = error.downcast_ref() {
        return Some(describe(problem));
    }
    #[cfg(feature = "native-tls")]
    if let Some(problem) = openssl_verify_problem(&error.to_string()) {
        return Some(problem.to_owned());
    }
    None
}

/// What was wrong with a certificate, in the words of every backend.
#[cfg(any(feature = "rustls", feature = "native-tls", test))]
mod sentence {
    pub(super) const UNTRUSTED: &str = "it was issued by an authority this client does not \
         trust (a self-signed certificate, or a proxy that intercepts TLS?)";
    pub(super) const EXPIRED: &str = "it has expired";
    pub(super) const NOT_YET_VALID: &str = "it is not valid yet (is this machine's clock right?)";
    pub(super) const WRONG_NAME: &str = "it is not valid for this host name";
    pub(super) const REVOKED: &str = "it has been revoked";
    pub(super) const BAD_SIGNATURE: &str = "its signature is not valid";
}
#[cfg(any(feature = "rustls", feature = "native-tls", test))]
use sentence::*;

/// What OpenSSL's verify result in `text` (a native-tls error's message,
/// `… certificate verify failed … (REASON)`) says was wrong.
#[cfg(any(feature = "native-tls", test))]
fn openssl_verify_problem(text: &str) -> Option<&'static str> {
    let text = text.to_ascii_lowercase();
    if !text.contains("certificate verify failed") {
        return None;
    }
    // X509_verify_cert_error_string's texts (OpenSSL 1.1 and 3).
    let reasons: [(&[&str], &'static str); 6] = [
        (
            &[
                "self-signed certificate",
                "self signed certificate",
                "unable to get local issuer certificate",
                "unable to get issuer certificate",
                "unable to verify the first certificate",
            ],
            UNTRUSTED,
        ),
        (&["certificate has expired"], EXPIRED),
        (&["certificate is not yet valid"], NOT_YET_VALID),
        (&["hostname mismatch", "ip address mismatch"], WRONG_NAME),
        (&["certificate revoked"], REVOKED),
        (&["certificate signature failure"], BAD_SIGNATURE),
    ];
    let found = reasons
        .iter()
        .find(|(texts, _)| texts.iter().any(|t| text.contains(t)));
    Some(found.map_or("it could not be verified", |(_, problem)| problem))
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
        E::UnknownIssuer => UNTRUSTED.to_owned(),
        E::Expired => EXPIRED.to_owned(),
        E::ExpiredContext { not_after, .. } => {
            format!("it expired on {}", date(not_after))
        }
        E::NotValidYet => NOT_YET_VALID.to_owned(),
        E::NotValidYetContext { not_before, .. } => format!(
            "it is not valid before {} (is this machine's clock right?)",
            date(not_before)
        ),
        E::NotValidForName => WRONG_NAME.to_owned(),
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
        E::Revoked => REVOKED.to_owned(),
        E::BadSignature => BAD_SIGNATURE.to_owned(),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn openssl_verify_results_are_named() {
        let failed = |reason: &str| {
            format!(
                "error:0A000086:SSL routines:tls_post_process_server_certificate:\
                 certificate verify failed:ssl/statem/statem_clnt.c:1889: ({reason})"
            )
        };
        for (reason, problem) in [
            ("self-signed certificate", UNTRUSTED),
            ("self signed certificate in certificate chain", UNTRUSTED),
            ("unable to get local issuer certificate", UNTRUSTED),
            ("certificate has expired", EXPIRED),
            ("certificate is not yet valid", NOT_YET_VALID),
            ("hostname mismatch", WRONG_NAME),
            ("IP address mismatch", WRONG_NAME),
            ("certificate revoked", REVOKED),
            ("something new", "it could not be verified"),
        ] {
            assert_eq!(
                openssl_verify_problem(&failed(reason)),
                Some(problem),
                "{reason}"
            );
        }
        assert_eq!(openssl_verify_problem("connection reset by peer"), None);
        assert_eq!(
            openssl_verify_problem("certificate has expired"),
            None,
            "not a verify failure"
        );
    }

    #[cfg(feature = "rustls")]
    #[test]
    fn presented_names_lose_their_wrappers() {
        assert_eq!(bare_name("DnsName(\"wrong.example\")"), "wrong.example");
        assert_eq!(bare_name("IpAddress(10.0.0.1)"), "10.0.0.1");
        assert_eq!(bare_name("something else"), "something else");
    }
}
