//! [`ClientBuilder`]: every setting of a [`Client`], validated once in `build`.

use std::time::Duration;

use crate::client::{Client, Inner};
use crate::config::{DEFAULT_MAX_BODY_SIZE, Timeouts, is_loopback_base, parse_base_url};
use crate::credentials::{Credentials, Secret};
use crate::endpoint::{CurrentEndpoint, Endpoint, Region};
use crate::error::Error;
use crate::retry::RetryPolicy;
use crate::tls::trust_roots;

/// The `User-Agent` sent with every request: `rhombus-rs/<version>`.
pub const USER_AGENT: &str = concat!("rhombus-rs/", env!("CARGO_PKG_VERSION"));

impl Client {
    /// A builder with the defaults (US base URL, event endpoint, 5 attempts, ...).
    ///
    /// Defined here rather than in `client.rs`, so that the builder depends
    /// on the client and not the other way round.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::new()
    }
}

/// Builds a [`Client`].
///
/// ```
/// use std::time::Duration;
/// use rhombus_transport::{Client, Credentials, Region};
///
/// let client = Client::builder()
///     .region(Region::Eu)
///     .credentials(Credentials::api_token("my-key"))
///     .attempt_timeout(Duration::from_secs(20))
///     .build()?;
/// assert_eq!(client.base_url(), "https://api2.eu.rhombussystems.com");
/// # Ok::<(), rhombus_transport::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct ClientBuilder {
    base_url: String,
    credentials: Option<Credentials>,
    timeouts: Timeouts,
    retry: RetryPolicy,
    endpoint: Endpoint,
    fallback: bool,
    max_body_size: u64,
    product: Option<String>,
    roots: Vec<Vec<u8>>,
    decoder: rhombus_model::DecodeOptions,
}

impl Default for ClientBuilder {
    fn default() -> Self {
        ClientBuilder::new()
    }
}

impl ClientBuilder {
    /// The defaults: US base URL, event endpoint with fallback, [`Timeouts::default`],
    /// [`RetryPolicy::default`], a 256 MiB body limit, a tolerant
    /// [`Decoder`](rhombus_model::Decoder) with its default limits, no credentials yet.
    pub fn new() -> Self {
        ClientBuilder {
            base_url: Region::Us.base_url().to_owned(),
            credentials: None,
            timeouts: Timeouts::default(),
            retry: RetryPolicy::default(),
            endpoint: Endpoint::Event,
            fallback: true,
            max_body_size: DEFAULT_MAX_BODY_SIZE,
            product: None,
            roots: Vec::new(),
            decoder: rhombus_model::DecodeOptions::default(),
        }
    }

    /// Uses any base URL (`https://`, or `http://` on a loopback host).
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = url.into();
        self
    }

    /// Uses a region's base URL.
    pub fn region(self, region: Region) -> Self {
        self.base_url(region.base_url())
    }

    /// Sets the credentials (required).
    pub fn credentials(mut self, credentials: Credentials) -> Self {
        self.credentials = Some(credentials);
        self
    }

    /// Shorthand for `credentials(Credentials::api_token(key))`.
    pub fn api_key(self, key: impl Into<Secret>) -> Self {
        self.credentials(Credentials::api_token(key))
    }

    /// Sets all three timeouts.
    pub fn timeouts(mut self, timeouts: Timeouts) -> Self {
        self.timeouts = timeouts;
        self
    }

    /// Sets the connect timeout (default 10 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.timeouts.connect = timeout;
        self
    }

    /// Sets the per-attempt timeout (default 30 s).
    pub fn attempt_timeout(mut self, timeout: Duration) -> Self {
        self.timeouts.attempt = timeout;
        self
    }

    /// Sets the whole-operation timeout, retries included (default 5 min).
    pub fn operation_timeout(mut self, timeout: Duration) -> Self {
        self.timeouts.operation = timeout;
        self
    }

    /// Sets the retry policy.
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Chooses the endpoint tried first (default [`Endpoint::Event`]).
    pub fn endpoint(mut self, endpoint: Endpoint) -> Self {
        self.endpoint = endpoint;
        self
    }

    /// Whether a 404/410 switches to the twin endpoint (default true).
    pub fn endpoint_fallback(mut self, enabled: bool) -> Self {
        self.fallback = enabled;
        self
    }

    /// The decoder [`Client::spliced_clips`](crate::Client::spliced_clips) and
    /// watches use: tolerant or strict, and its limits (clips, tree size).
    /// With the default body limit, any body accepted decodes within 1 GiB.
    pub fn decoder(mut self, decoder: &rhombus_model::Decoder) -> Self {
        self.decoder = decoder.options();
        self
    }

    /// Sets the response size limit in bytes (default 1 GiB).
    pub fn max_body_size(mut self, bytes: u64) -> Self {
        self.max_body_size = bytes;
        self
    }

    /// Prepends a product token to the user agent, e.g. `rhombus-cli/0.1.0`.
    pub fn user_agent_product(mut self, product: impl Into<String>) -> Self {
        self.product = Some(product.into());
        self
    }

    /// Also trusts this authority (a PEM certificate) for the server's
    /// certificate, besides the built-in ones: a private endpoint, a proxy
    /// that intercepts TLS.
    pub fn add_root_certificate(mut self, pem: impl Into<Vec<u8>>) -> Self {
        self.roots.push(pem.into());
        self
    }

    /// Validates the settings and builds the client.
    ///
    /// The client honours `HTTP_PROXY`, `HTTPS_PROXY`, `ALL_PROXY` and
    /// `NO_PROXY`, except for a loopback base URL (127.0.0.0/8, `::1`,
    /// `localhost`), which it always reaches directly.
    ///
    /// Fails with [`ErrorKind::Config`](crate::ErrorKind::Config) for a missing key, a
    /// bad URL (plain `http://` off loopback), zero timeouts or an unreadable certificate
    /// (client or root).
    pub fn build(self) -> Result<Client, Error> {
        let base_url = parse_base_url(&self.base_url)?;
        self.timeouts.validate()?;
        let credentials = self
            .credentials
            .ok_or_else(|| Error::config("no credentials: set an API key"))?;
        let auth = credentials.headers()?;
        let user_agent = match &self.product {
            Some(product) => format!("{product} {USER_AGENT}"),
            None => USER_AGENT.to_owned(),
        };
        let mut http = reqwest::Client::builder()
            .user_agent(user_agent)
            .connect_timeout(self.timeouts.connect)
            // A redirect could carry the key to another host: never follow one.
            .redirect(reqwest::redirect::Policy::none());
        // A loopback host (the simulator) is reached directly: HTTP_PROXY and
        // friends would send its requests, key included, to the proxy.
        if is_loopback_base(&base_url) {
            http = http.no_proxy();
        }
        #[cfg(feature = "rustls")]
        {
            http = http.use_rustls_tls();
        }
        http = trust_roots(http, &self.roots)?;
        if let Some(certificate) = credentials.client_certificate() {
            http = certificate.apply(http)?;
        }
        let http = http
            .build()
            .map_err(|e| Error::config("could not build the HTTP client").with_source(e))?;
        Ok(Client::from_inner(Inner {
            http,
            base_url,
            auth,
            key: credentials.key().clone(),
            endpoint: CurrentEndpoint::new(self.endpoint),
            fallback: self.fallback,
            retry: self.retry,
            timeouts: self.timeouts,
            max_body_size: self.max_body_size,
            decoder: self.decoder,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorKind;

    #[test]
    fn defaults_are_us_and_event() {
        let client = ClientBuilder::new().api_key("k").build().unwrap();
        assert_eq!(client.base_url(), "https://api2.rhombussystems.com");
        assert_eq!(client.endpoint(), Endpoint::Event);
        assert_eq!(client.retry_policy(), &RetryPolicy::default());
        assert!(USER_AGENT.starts_with("rhombus-rs/"));
    }

    #[test]
    fn missing_key_and_plain_http_are_config_errors() {
        let err = ClientBuilder::new().build().unwrap_err();
        assert_eq!(err.kind(), &ErrorKind::Config);
        let err = ClientBuilder::new()
            .api_key("k")
            .base_url("http://api2.rhombussystems.com")
            .build()
            .unwrap_err();
        assert_eq!(err.kind(), &ErrorKind::Config);
        assert!(!err.may_have_been_sent());
        let err = ClientBuilder::new()
            .api_key("k")
            .operation_timeout(Duration::ZERO)
            .build()
            .unwrap_err();
        assert_eq!(err.kind(), &ErrorKind::Config);
    }

    #[test]
    fn video_endpoint_is_selectable() {
        let client = ClientBuilder::new()
            .api_key("k")
            .endpoint(Endpoint::Video)
            .base_url("http://127.0.0.1:1")
            .build()
            .unwrap();
        assert_eq!(client.endpoint(), Endpoint::Video);
        assert_eq!(client.base_url(), "http://127.0.0.1:1");
    }
}
