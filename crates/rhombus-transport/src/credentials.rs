//! API keys and the authentication headers (and client certificate) they turn into.

use std::borrow::Cow;
use std::fmt;
use std::sync::Arc;

use http::{HeaderMap, HeaderName, HeaderValue};

use rhombus_model::DecodeError;

use crate::error::Error;
use crate::redact::{REDACTED, hide, hide_in_error};

/// A secret string (an API key or a PEM private key) that never prints.
///
/// `Debug` and `Display` both write `<redacted>`; read the value with
/// [`Secret::expose_secret`].
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(Arc<str>);

impl Secret {
    /// Wraps a secret value.
    pub fn new(value: impl Into<String>) -> Self {
        Secret(Arc::from(value.into()))
    }

    /// The secret value itself. Do not log it.
    pub fn expose_secret(&self) -> &str {
        &self.0
    }

    /// Server `text` as it may be shown: this secret replaced by
    /// `<redacted>` wherever the server echoed it.
    pub fn hidden_in<'t>(&self, text: &'t str) -> Cow<'t, str> {
        hide(text, &self.0)
    }

    /// A decode error as it may be shown: this secret replaced in what it
    /// quotes of the input (see [`DecodeError::replace_text`]).
    pub fn hidden_in_error(&self, error: DecodeError) -> DecodeError {
        hide_in_error(error, &self.0)
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(REDACTED)
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(REDACTED)
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Secret::new(value)
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Secret::new(value)
    }
}

/// A PEM client certificate and its private key, for mutual-TLS ("certificate") keys.
#[derive(Clone)]
pub struct ClientCertificate {
    cert_pem: Arc<[u8]>,
    key_pem: Secret,
}

impl ClientCertificate {
    /// A certificate chain and private key, both PEM-encoded.
    pub fn from_pem(cert_pem: impl Into<Vec<u8>>, key_pem: impl Into<String>) -> Self {
        ClientCertificate {
            cert_pem: Arc::from(cert_pem.into()),
            key_pem: Secret::new(key_pem),
        }
    }

    /// Configures `http` to present this certificate (mutual TLS).
    pub(crate) fn apply(
        &self,
        http: reqwest::ClientBuilder,
    ) -> Result<reqwest::ClientBuilder, Error> {
        let invalid = |e: reqwest::Error| {
            Error::config("invalid client certificate or key (PEM)").with_source(e)
        };
        #[cfg(feature = "rustls")]
        {
            let mut pem = Vec::with_capacity(self.cert_pem.len() + self.key_pem.0.len() + 1);
            pem.extend_from_slice(&self.cert_pem);
            pem.push(b'\n');
            pem.extend_from_slice(self.key_pem.expose_secret().as_bytes());
            Ok(http.identity(reqwest::Identity::from_pem(&pem).map_err(invalid)?))
        }
        #[cfg(all(not(feature = "rustls"), feature = "native-tls"))]
        {
            let identity = reqwest::Identity::from_pkcs8_pem(
                &self.cert_pem,
                self.key_pem.expose_secret().as_bytes(),
            )
            .map_err(invalid)?;
            Ok(http.identity(identity))
        }
        #[cfg(not(any(feature = "rustls", feature = "native-tls")))]
        {
            let _ = (http, invalid);
            Err(Error::config(
                "certificate keys need the `rustls` or `native-tls` feature",
            ))
        }
    }
}

impl fmt::Debug for ClientCertificate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientCertificate")
            .field("cert_pem_len", &self.cert_pem.len())
            .field("key_pem", &self.key_pem)
            .finish()
    }
}

/// How the client authenticates: an API key plus its kind.
///
/// | kind | headers |
/// | --- | --- |
/// | [`api_token`](Credentials::api_token) | `x-auth-apikey`, `x-auth-scheme: api-token` |
/// | [`partner_token`](Credentials::partner_token) | `x-auth-apikey`, `x-auth-scheme: partner-api-token`, `x-auth-org` |
/// | [`certificate`](Credentials::certificate) | mutual TLS, `x-auth-apikey`, `x-auth-scheme: api` |
/// | [`partner_certificate`](Credentials::partner_certificate) | mutual TLS, `x-auth-apikey`, `x-auth-scheme: partner-api`, `x-auth-org` |
#[derive(Clone, Debug)]
pub struct Credentials {
    key: Secret,
    partner_org: Option<String>,
    certificate: Option<ClientCertificate>,
}

impl Credentials {
    /// An organization API token.
    pub fn api_token(key: impl Into<Secret>) -> Self {
        Credentials {
            key: key.into(),
            partner_org: None,
            certificate: None,
        }
    }

    /// A partner API token acting on behalf of the client organization `org_uuid`.
    pub fn partner_token(key: impl Into<Secret>, org_uuid: impl Into<String>) -> Self {
        Credentials {
            partner_org: Some(org_uuid.into()),
            ..Credentials::api_token(key)
        }
    }

    /// A certificate-based key: mutual TLS with `certificate`, the key still sent.
    pub fn certificate(key: impl Into<Secret>, certificate: ClientCertificate) -> Self {
        Credentials {
            certificate: Some(certificate),
            ..Credentials::api_token(key)
        }
    }

    /// A certificate-based partner key acting on behalf of `org_uuid`.
    pub fn partner_certificate(
        key: impl Into<Secret>,
        org_uuid: impl Into<String>,
        certificate: ClientCertificate,
    ) -> Self {
        Credentials {
            certificate: Some(certificate),
            ..Credentials::partner_token(key, org_uuid)
        }
    }

    /// The API key.
    pub fn key(&self) -> &Secret {
        &self.key
    }

    /// The client organization a partner key acts for.
    pub fn partner_org(&self) -> Option<&str> {
        self.partner_org.as_deref()
    }

    /// The client certificate, for certificate-based keys.
    pub fn client_certificate(&self) -> Option<&ClientCertificate> {
        self.certificate.as_ref()
    }

    /// The value of the `x-auth-scheme` header.
    pub fn scheme(&self) -> &'static str {
        match (self.partner_org.is_some(), self.certificate.is_some()) {
            (false, false) => "api-token",
            (true, false) => "partner-api-token",
            (false, true) => "api",
            (true, true) => "partner-api",
        }
    }

    /// The authentication headers; the key's value is marked sensitive. An
    /// empty (or blank) key is a configuration error: nothing would accept it.
    pub fn headers(&self) -> Result<HeaderMap, Error> {
        if self.key.expose_secret().trim().is_empty() {
            return Err(Error::config("the API key is empty"));
        }
        let mut headers = HeaderMap::with_capacity(3);
        let mut key = HeaderValue::from_str(self.key.expose_secret()).map_err(|_| {
            Error::config("the API key contains characters not allowed in an HTTP header")
        })?;
        key.set_sensitive(true);
        headers.insert(HeaderName::from_static("x-auth-apikey"), key);
        headers.insert(
            HeaderName::from_static("x-auth-scheme"),
            HeaderValue::from_static(self.scheme()),
        );
        if let Some(org) = &self.partner_org {
            let org = HeaderValue::from_str(org).map_err(|_| {
                Error::config(
                    "the partner org uuid contains characters not allowed in an HTTP header",
                )
            })?;
            headers.insert(HeaderName::from_static("x-auth-org"), org);
        }
        Ok(headers)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "sEcReT-kEy-123";

    #[test]
    fn secret_never_prints() {
        let secret = Secret::new(KEY);
        assert_eq!(format!("{secret:?}"), "<redacted>");
        assert_eq!(format!("{secret}"), "<redacted>");
        assert_eq!(secret.expose_secret(), KEY);
        let creds = Credentials::partner_certificate(
            KEY,
            "org",
            ClientCertificate::from_pem(b"CERT".to_vec(), "PRIVATE-KEY-PEM"),
        );
        let debug = format!("{creds:?} {:#?}", creds.headers().unwrap());
        assert!(!debug.contains(KEY), "{debug}");
        assert!(!debug.contains("PRIVATE-KEY-PEM"), "{debug}");
    }

    #[test]
    fn api_token_headers() {
        let headers = Credentials::api_token(KEY).headers().unwrap();
        assert_eq!(headers["x-auth-apikey"], KEY);
        assert!(headers["x-auth-apikey"].is_sensitive());
        assert_eq!(headers["x-auth-scheme"], "api-token");
        assert!(headers.get("x-auth-org").is_none());
    }

    #[test]
    fn partner_and_certificate_schemes() {
        let cert = || ClientCertificate::from_pem(Vec::new(), "");
        let partner = Credentials::partner_token(KEY, "ORG");
        let headers = partner.headers().unwrap();
        assert_eq!(headers["x-auth-scheme"], "partner-api-token");
        assert_eq!(headers["x-auth-org"], "ORG");
        assert_eq!(Credentials::certificate(KEY, cert()).scheme(), "api");
        let pc = Credentials::partner_certificate(KEY, "ORG", cert());
        assert_eq!(pc.scheme(), "partner-api");
        assert_eq!(pc.headers().unwrap()["x-auth-apikey"], KEY);
    }

    #[test]
    fn bad_header_characters_are_config_errors_without_the_key() {
        let err = Credentials::api_token("bad\nkey-SECRET")
            .headers()
            .unwrap_err();
        assert_eq!(err.kind(), &crate::ErrorKind::Config);
        assert!(!format!("{err} {err:?}").contains("SECRET"));
    }

    #[test]
    fn an_empty_key_is_a_config_error() {
        for key in ["", "  ", "\t"] {
            let err = Credentials::api_token(key).headers().unwrap_err();
            assert_eq!(err.kind(), &crate::ErrorKind::Config);
            assert!(err.to_string().contains("the API key is empty"), "{err}");
        }
    }

    #[test]
    fn invalid_pem_is_a_config_error() {
        let err = ClientCertificate::from_pem(b"not pem".to_vec(), "nope")
            .apply(reqwest::Client::builder())
            .unwrap_err();
        assert_eq!(err.kind(), &crate::ErrorKind::Config);
    }
}
