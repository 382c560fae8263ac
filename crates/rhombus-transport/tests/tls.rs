//! A server whose TLS certificate is refused: not retried, and the error says
//! what was wrong with the certificate. Certificates from tests/fixtures/tls
//! (see make.sh there), served on loopback.

mod common;

use common::{RawServer, fast_policy, http_200};
use rhombus_transport::{Client, DisplayErrorContext, ErrorKind};

const CA: &[u8] = include_bytes!("fixtures/tls/ca.pem");
const KEY: &[u8] = include_bytes!("fixtures/tls/server.key");

/// `{}` with no clips: what the server says once the handshake succeeds.
fn no_clips() -> Vec<u8> {
    http_200(
        "Content-Type: application/json\r\n",
        br#"{"splicedClips":[]}"#,
    )
}

/// A client of the server, trusting the test authority, retrying quickly.
fn client_of(server: &RawServer) -> Client {
    Client::builder()
        .base_url(&server.url)
        .api_key("test-key-0123456789")
        .retry_policy(fast_policy())
        .add_root_certificate(CA)
        .build()
        .unwrap()
}

#[tokio::test]
async fn a_certificate_of_the_trusted_authority_for_this_host_works() {
    // The control: the same server and client with a good certificate.
    let chain = include_bytes!("fixtures/tls/localhost.pem");
    let server = RawServer::start_tls(vec![no_clips()], chain, KEY).await;
    let response = client_of(&server).spliced_clips().await.unwrap();
    assert_eq!(response.response().clips().count(), 0);
    assert_eq!(server.connections(), 1);
}

#[tokio::test]
async fn refused_certificates_are_named_and_not_retried() {
    // rustls says more than OpenSSL's verify result does (native-tls only).
    let rustls = cfg!(feature = "rustls");
    let cases: [(&[u8], &str); 3] = [
        (
            include_bytes!("fixtures/tls/self-signed.pem"),
            "it was issued by an authority this client does not trust",
        ),
        (
            include_bytes!("fixtures/tls/expired.pem"),
            if rustls {
                "it expired on Fri, 01 Jan 2021 00:00:00 GMT"
            } else {
                "it has expired"
            },
        ),
        (
            include_bytes!("fixtures/tls/wrong-name.pem"),
            if rustls {
                "it is for wrong.example, not for 127.0.0.1"
            } else {
                "it is not valid for this host name"
            },
        ),
    ];
    for (chain, why) in cases {
        let server = RawServer::start_tls(vec![no_clips()], chain, KEY).await;
        let err = client_of(&server).spliced_clips().await.unwrap_err();
        assert_eq!(err.kind(), &ErrorKind::Certificate, "{err:?}");
        let text = DisplayErrorContext(&err).to_string();
        assert!(
            text.starts_with(&format!("the server's TLS certificate was refused: {why}")),
            "{text}"
        );
        assert!(!err.may_have_been_sent());
        assert_eq!(err.attempts(), 1, "{text}");
        assert_eq!(
            server.connections(),
            1,
            "a refused certificate is not retried"
        );
        assert!(server.heads().is_empty(), "no request was sent");
    }
}
