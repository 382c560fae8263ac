//! The real client against the simulator over loopback, one fault at a time.

mod common;

use std::time::Duration;

use common::{builder, client, fast_policy, requests, sim, truth, truth_with};
use http::StatusCode;
use rhombus_sim::{ApiPath, Fault, RetryAfter};
use rhombus_transport::rhombus_model::Decoder;
use rhombus_transport::{Endpoint, ErrorKind, RetryPolicy, TimeoutKind};

#[tokio::test]
async fn success_matches_the_simulator_truth() {
    let sim = sim().await;
    let client = client(&sim);
    let response = client.spliced_clips().await.unwrap();
    assert!(
        response.response().clips().next().is_some(),
        "the default scenario has clips in flight"
    );
    assert_eq!(response, truth(&sim));
    assert_eq!(requests(&sim), 1);

    let record = &sim.requests()[0];
    assert_eq!(record.method, "POST");
    assert_eq!(record.path, ApiPath::Event.as_str());
    assert_eq!(record.header("x-auth-scheme"), Some("api-token"));
    assert_eq!(record.header("x-auth-apikey"), Some(sim.api_key()));
    let agent = record.header("user-agent").unwrap();
    assert!(agent.starts_with("rhombus-rs/"), "{agent}");
}

#[tokio::test]
async fn raw_bytes_are_the_body_and_decode_borrows_from_them() {
    let sim = sim().await;
    let raw = client(&sim).fetch_raw().await.unwrap();
    assert_eq!(&raw.bytes[..], &sim.expected_body()[..]);
    assert_eq!(raw.attempts, 1);
    assert_eq!(raw.endpoint, Endpoint::Event);
    let mut decoder = Decoder::new();
    let response = raw.decode(&mut decoder).unwrap();
    assert_eq!(&response.value, truth(&sim).response());
    let id = response.clips().next().unwrap().clip_uuid.unwrap().as_str();
    let body = raw.bytes.as_ptr_range();
    assert!(body.contains(&id.as_ptr()), "decoding is zero-copy");
}

#[tokio::test]
async fn raw_bytes_decode_borrowed_and_owned_alike() {
    let sim = sim().await;
    let raw = client(&sim).fetch_raw().await.unwrap();
    let mut decoder = Decoder::new();
    let owned = raw.decode_owned(&decoder).unwrap();
    assert_eq!(owned, truth(&sim));

    sim.push_fault(Fault::ErrorBody("Simulated backend failure".into()));
    let raw = client(&sim).fetch_raw().await.unwrap();
    let err = raw.decode_owned(&decoder).unwrap_err();
    assert_eq!(
        err.to_string(),
        raw.decode(&mut decoder).unwrap_err().to_string()
    );
    assert_eq!(
        err.kind(),
        &ErrorKind::Api {
            message: Some("Simulated backend failure".into())
        }
    );

    sim.push_fault(Fault::InvalidJson);
    let raw = client(&sim).fetch_raw().await.unwrap();
    let err = raw.decode_owned(&decoder).unwrap_err();
    assert_eq!(err.kind(), &ErrorKind::Decode);
    assert_eq!(
        err.to_string(),
        raw.decode(&mut decoder).unwrap_err().to_string()
    );
}

#[tokio::test]
async fn rate_limit_honours_retry_after_seconds_and_http_date() {
    for retry_after in [RetryAfter::Seconds(0), RetryAfter::Date(Duration::ZERO)] {
        let sim = sim().await;
        // With a 30-60 s backoff and a 5 s operation deadline, only honouring
        // `Retry-After` (zero, or a date already past) lets a second attempt happen.
        let client = builder(&sim)
            .retry_policy(
                RetryPolicy::default()
                    .with_backoff(Duration::from_secs(60), Duration::from_secs(60)),
            )
            .operation_timeout(Duration::from_secs(5))
            .build()
            .unwrap();
        sim.push_fault(Fault::RateLimited(retry_after.clone()));
        let response = client.spliced_clips().await;
        assert_eq!(response.unwrap(), truth(&sim), "{retry_after:?}");
        assert_eq!(requests(&sim), 2, "{retry_after:?}");
    }
}

#[tokio::test]
async fn durations_too_long_for_a_clock_mean_no_deadline_and_no_wait() {
    let sim = sim().await;
    // "No overall timeout", said the natural way.
    let client = builder(&sim)
        .operation_timeout(Duration::MAX)
        .attempt_timeout(Duration::MAX)
        .retry_policy(fast_policy().with_max_retry_after(Duration::MAX))
        .build()
        .unwrap();
    assert_eq!(client.spliced_clips().await.unwrap(), truth(&sim));
    // A `Retry-After` no clock can add is not waited for: the 429 is the answer.
    sim.push_fault(Fault::RateLimited(RetryAfter::Seconds(u64::MAX)));
    let err = client.spliced_clips().await.unwrap_err();
    assert!(
        matches!(err.kind(), ErrorKind::RateLimited { retry_after: Some(d) } if d.as_secs() == u64::MAX),
        "{err:?}"
    );
    assert_eq!(err.attempts(), 1);
}

#[tokio::test]
async fn a_retry_with_too_little_time_left_is_not_made() {
    let sim = sim().await;
    sim.push_faults(Fault::burst(500, 5));
    // Backoff of 100-200 ms, and 300 ms in all: after its delay, a retry would
    // have under the 250 ms an attempt is given at least.
    let client = builder(&sim)
        .retry_policy(
            RetryPolicy::default()
                .with_backoff(Duration::from_millis(200), Duration::from_millis(200)),
        )
        .operation_timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    let err = client.spliced_clips().await.unwrap_err();
    assert_eq!(
        err.status(),
        Some(StatusCode::INTERNAL_SERVER_ERROR),
        "{err:?}"
    );
    assert_eq!((err.attempts(), requests(&sim)), (1, 1));
}

#[tokio::test]
async fn an_error_status_whose_body_stalls_keeps_its_status() {
    let sim = sim().await;
    let client = builder(&sim)
        .attempt_timeout(Duration::from_millis(400))
        .build()
        .unwrap();
    // Not a retried timeout: a 403 is final, with what of its body came.
    sim.push_fault(Fault::StallBody(403));
    let err = client.spliced_clips().await.unwrap_err();
    assert_eq!(err.status(), Some(StatusCode::FORBIDDEN), "{err:?}");
    assert_eq!(err.attempts(), 1);
    assert!(err.to_string().contains("a body that stalls"), "{err}");
    // A 503 is retried as a 503.
    sim.push_fault(Fault::StallBody(503));
    assert_eq!(client.spliced_clips().await.unwrap(), truth(&sim));
    let statuses: Vec<_> = sim.requests().iter().map(|r| r.status).collect();
    assert_eq!(statuses[1..], [Some(503), Some(200)]);
}

#[test]
fn a_content_length_no_buffer_can_hold_is_not_trusted() {
    use std::io::{Read, Write};
    // A server that announces 2^62 bytes and sends two chunks before closing.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let server = std::thread::spawn(move || {
        let (mut socket, _) = listener.accept().unwrap();
        let mut request = [0u8; 4096];
        let _ = socket.read(&mut request).unwrap();
        let head = format!("HTTP/1.1 200 OK\r\ncontent-length: {}\r\n\r\n", 1u64 << 62);
        for part in [head.as_str(), "{\"splicedClips\":", "[]"] {
            socket.write_all(part.as_bytes()).unwrap();
            socket.flush().unwrap();
            std::thread::sleep(Duration::from_millis(50));
        }
    });
    let client = rhombus_transport::Client::builder()
        .base_url(format!("http://{addr}"))
        .api_key("k")
        .max_body_size(u64::MAX)
        .retry_policy(fast_policy().with_max_attempts(1))
        .build()
        .unwrap();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let err = runtime.block_on(client.fetch_raw()).unwrap_err();
    assert_eq!(
        err.kind(),
        &ErrorKind::Transport,
        "a truncated body: {err:?}"
    );
    server.join().unwrap();
}

#[tokio::test]
async fn rate_limit_without_retry_after_backs_off() {
    let sim = sim().await;
    sim.push_faults(vec![Fault::RateLimited(RetryAfter::Absent); 2]);
    assert_eq!(client(&sim).spliced_clips().await.unwrap(), truth(&sim));
    assert_eq!(requests(&sim), 3);
}

#[tokio::test]
async fn rate_limit_after_all_retries_is_its_own_kind() {
    let sim = sim().await;
    sim.push_faults(vec![Fault::RateLimited(RetryAfter::Seconds(0)); 5]);
    let err = client(&sim).spliced_clips().await.unwrap_err();
    assert!(
        matches!(err.kind(), ErrorKind::RateLimited { retry_after: Some(d) } if d.is_zero()),
        "{err:?}"
    );
    assert_eq!(err.attempts(), 5);
    assert_eq!(requests(&sim), 5);
    assert_eq!(err.status(), Some(StatusCode::TOO_MANY_REQUESTS));
}

#[tokio::test]
async fn server_error_burst_then_success() {
    let sim = sim().await;
    sim.push_faults([500, 502, 503, 504].map(Fault::ServerError));
    assert_eq!(client(&sim).spliced_clips().await.unwrap(), truth(&sim));
    assert_eq!(requests(&sim), 5);
}

#[tokio::test]
async fn exhausting_retries_reports_the_last_status() {
    let sim = sim().await;
    sim.push_faults(Fault::burst(503, 10));
    let client = builder(&sim)
        .retry_policy(fast_policy().with_max_attempts(3))
        .build()
        .unwrap();
    let err = client.spliced_clips().await.unwrap_err();
    assert_eq!(err.status(), Some(StatusCode::SERVICE_UNAVAILABLE));
    assert_eq!(err.attempts(), 3);
    assert_eq!(requests(&sim), 3);
    assert!(err.to_string().contains("after 3 attempts"), "{err}");
}

#[tokio::test]
async fn broken_bodies_are_retried() {
    for fault in [Fault::DropMidBody, Fault::TruncatedBody, Fault::CutJson] {
        let sim = sim().await;
        sim.push_fault(fault.clone());
        assert_eq!(
            client(&sim).spliced_clips().await.unwrap(),
            truth(&sim),
            "{fault:?}"
        );
        assert_eq!(requests(&sim), 2, "{fault:?}");
    }
}

#[tokio::test]
async fn broken_bodies_every_time_end_in_a_transport_error() {
    let sim = sim().await;
    sim.push_faults(vec![Fault::DropMidBody; 5]);
    let err = client(&sim).fetch_raw().await.unwrap_err();
    assert_eq!(err.kind(), &ErrorKind::Transport);
    assert!(err.may_have_been_sent());
    assert_eq!(requests(&sim), 5);
}

#[tokio::test]
async fn invalid_json_is_a_decode_error_with_position_and_no_retry() {
    let sim = sim().await;
    sim.push_fault(Fault::InvalidJson);
    let err = client(&sim).spliced_clips().await.unwrap_err();
    assert_eq!(err.kind(), &ErrorKind::Decode);
    let decode = err.decode_error().expect("decode error in the chain");
    assert_eq!(decode.line(), 1);
    assert!(decode.column() > 1);
    assert!(
        decode.path().starts_with("splicedClips[0]"),
        "{}",
        decode.path()
    );
    assert!(err.to_string().contains("splicedClips[0]"), "{err}");
    assert_eq!(requests(&sim), 1);
}

#[tokio::test]
async fn error_true_is_an_api_error_and_not_retried() {
    let sim = sim().await;
    sim.push_fault(Fault::ErrorBody("Simulated backend failure".into()));
    let err = client(&sim).spliced_clips().await.unwrap_err();
    assert_eq!(
        err.kind(),
        &ErrorKind::Api {
            message: Some("Simulated backend failure".into())
        }
    );
    assert!(err.to_string().contains("Simulated backend failure"));
    assert_eq!(requests(&sim), 1);

    sim.push_fault(Fault::ErrorBody("again".into()));
    let raw = client(&sim).fetch_raw().await.unwrap();
    let err = raw.decode(&mut Decoder::new()).unwrap_err();
    assert!(
        matches!(err.kind(), ErrorKind::Api { .. }),
        "raw decode never succeeds on error:true"
    );
}

#[tokio::test]
async fn warning_stays_reachable() {
    let sim = sim().await;
    let fault = Fault::Warning("Results may be incomplete".into());
    sim.push_fault(fault.clone());
    let response = client(&sim).spliced_clips().await.unwrap();
    assert_eq!(
        response.response().warning(),
        Some("Results may be incomplete")
    );
    assert_eq!(response, truth_with(&sim, Some(&fault)));
}

#[tokio::test]
async fn client_errors_are_not_retried() {
    let cases = [
        (
            Fault::Respond {
                status: 400,
                content_type: "application/json".into(),
                body: r#"{"msg":"Request body must be a JSON object"}"#.into(),
            },
            400,
            "Request body must be a JSON object",
        ),
        (Fault::text(401, "Unauthorized"), 401, "Unauthorized"),
    ];
    for (fault, status, message) in cases {
        let sim = sim().await;
        sim.push_fault(fault);
        let err = client(&sim).spliced_clips().await.unwrap_err();
        assert_eq!(err.status().map(|s| s.as_u16()), Some(status));
        let ErrorKind::Status { excerpt, .. } = err.kind() else {
            panic!("{err:?}")
        };
        assert_eq!(excerpt, message);
        assert_eq!(requests(&sim), 1, "{status} is never retried");
    }
}

#[tokio::test]
async fn wrong_key_gets_a_403_with_a_region_hint() {
    let sim = sim().await;
    let client = builder(&sim).api_key("not-the-key").build().unwrap();
    let err = client.spliced_clips().await.unwrap_err();
    assert_eq!(err.status(), Some(StatusCode::FORBIDDEN));
    let ErrorKind::Status {
        hint: Some(hint), ..
    } = err.kind()
    else {
        panic!("{err:?}")
    };
    assert!(hint.contains(rhombus_transport::EU_BASE_URL), "{hint}");
    assert!(err.to_string().contains("Invalid api key"), "{err}");
    assert_eq!(requests(&sim), 1);
}

#[tokio::test]
async fn gone_endpoint_falls_back_to_its_twin_and_remembers() {
    for status in [404, 410] {
        let sim = sim().await;
        sim.set_path_status(ApiPath::Event, Some(status));
        let client = client(&sim);
        let (logs, _guard) = common::LogCapture::start();
        assert_eq!(client.spliced_clips().await.unwrap(), truth(&sim));
        assert_eq!(client.endpoint(), Endpoint::Video);
        assert_eq!(client.clone().spliced_clips().await.unwrap(), truth(&sim));
        let counters = sim.counters();
        assert_eq!(
            counters.path(ApiPath::Event.as_str()),
            1,
            "the event path is tried once"
        );
        assert_eq!(counters.path(ApiPath::Video.as_str()), 2);
        let text = logs.text();
        assert_eq!(text.matches("using its twin").count(), 1, "{text}");
        assert!(!text.contains("ERROR"), "{text}");
    }
}

#[tokio::test]
async fn both_endpoints_gone_is_a_status_error() {
    let sim = sim().await;
    for path in ApiPath::ALL {
        sim.set_path_status(path, Some(404));
    }
    let client = client(&sim);
    let err = client.spliced_clips().await.unwrap_err();
    assert_eq!(err.status(), Some(StatusCode::NOT_FOUND));
    assert_eq!(requests(&sim), 2);
    // Each call tries both (as documented), starting where the last one ended.
    assert_eq!(client.endpoint(), Endpoint::Video);
    client.spliced_clips().await.unwrap_err();
    assert_eq!(requests(&sim), 4);
    assert_eq!(client.endpoint(), Endpoint::Event);
}

#[tokio::test]
async fn video_endpoint_without_fallback() {
    let sim = sim().await;
    sim.set_path_status(ApiPath::Video, Some(410));
    let client = builder(&sim)
        .endpoint(Endpoint::Video)
        .endpoint_fallback(false)
        .build()
        .unwrap();
    let err = client.spliced_clips().await.unwrap_err();
    assert_eq!(err.status(), Some(StatusCode::GONE));
    assert_eq!(client.endpoint(), Endpoint::Video);
    assert_eq!(requests(&sim), 1);
}

#[tokio::test]
async fn hang_hits_the_attempt_timeout_and_is_retried() {
    let sim = sim().await;
    sim.push_faults([Fault::Hang, Fault::Hang]);
    let client = builder(&sim)
        .attempt_timeout(Duration::from_millis(100))
        .retry_policy(fast_policy().with_max_attempts(2))
        .build()
        .unwrap();
    let err = client.spliced_clips().await.unwrap_err();
    assert_eq!(err.kind(), &ErrorKind::Timeout(TimeoutKind::Attempt));
    assert_eq!(err.attempts(), 2);
    assert_eq!(requests(&sim), 2);

    sim.push_fault(Fault::Hang);
    assert_eq!(
        client.spliced_clips().await.unwrap(),
        truth(&sim),
        "a hang then success"
    );
}

#[tokio::test]
async fn hang_past_the_operation_deadline_is_an_operation_timeout() {
    let sim = sim().await;
    sim.push_fault(Fault::Hang);
    let client = builder(&sim)
        .attempt_timeout(Duration::from_secs(30))
        .operation_timeout(Duration::from_millis(150))
        .build()
        .unwrap();
    let err = client.spliced_clips().await.unwrap_err();
    assert_eq!(err.kind(), &ErrorKind::Timeout(TimeoutKind::Operation));
    assert_eq!(requests(&sim), 1);
}

#[tokio::test]
async fn dropping_the_future_cancels_and_the_client_stays_usable() {
    let sim = sim().await;
    sim.push_fault(Fault::Hang);
    let client = client(&sim);
    let cancelled = tokio::time::timeout(Duration::from_millis(100), client.spliced_clips()).await;
    assert!(cancelled.is_err());
    assert_eq!(client.spliced_clips().await.unwrap(), truth(&sim));
    assert_eq!(requests(&sim), 2);
}

#[tokio::test]
async fn large_list_decodes_exactly() {
    let sim = sim().await;
    let fault = Fault::BigList(2_000);
    sim.push_fault(fault.clone());
    let response = client(&sim).spliced_clips().await.unwrap();
    let expected = truth_with(&sim, Some(&fault));
    assert!(response.response().clips().count() >= 2_000);
    assert_eq!(response, expected);
}

#[tokio::test]
async fn body_over_the_limit_is_refused_without_retry() {
    let sim = sim().await;
    let limit = sim.expected_body().len() as u64 - 1;
    let client = builder(&sim).max_body_size(limit).build().unwrap();
    let err = client.fetch_raw().await.unwrap_err();
    assert_eq!(err.kind(), &ErrorKind::BodyTooLarge { limit });
    assert_eq!(requests(&sim), 1);

    // Without Content-Length (a chunked body), the limit holds while streaming.
    sim.push_fault(Fault::DropMidBody);
    let small = builder(&sim).max_body_size(16).build().unwrap();
    let err = small.fetch_raw().await.unwrap_err();
    assert_eq!(err.kind(), &ErrorKind::BodyTooLarge { limit: 16 });

    let exact = builder(&sim).max_body_size(limit + 1).build().unwrap();
    assert_eq!(exact.spliced_clips().await.unwrap(), truth(&sim));
}

#[tokio::test]
async fn closed_port_is_a_connect_error_that_was_not_sent() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    let client = rhombus_transport::Client::builder()
        .base_url(format!("http://{addr}"))
        .api_key("k")
        .retry_policy(fast_policy().with_max_attempts(2))
        .build()
        .unwrap();
    let err = client.spliced_clips().await.unwrap_err();
    assert_eq!(err.kind(), &ErrorKind::Connect, "{err:?}");
    assert!(!err.may_have_been_sent());
    assert_eq!(err.attempts(), 2);
    let chain = rhombus_transport::DisplayErrorContext(&err).to_string();
    assert!(chain.len() > err.to_string().len(), "{chain}");
}

#[tokio::test]
async fn partner_and_certificate_headers_reach_the_server() {
    use rhombus_transport::{ClientCertificate, Credentials};
    // A throwaway self-signed test certificate (not a secret).
    let cert = || {
        ClientCertificate::from_pem(
            include_bytes!("fixtures/client-cert.pem").to_vec(),
            include_str!("fixtures/client-key.pem"),
        )
    };
    const ORG: &str = "CLIENTORGAAAAAAAAAAAAA";
    let sim = sim().await;
    let cases = [
        (
            Credentials::partner_token(sim.api_key(), ORG),
            "partner-api-token",
            Some(ORG),
        ),
        (Credentials::certificate(sim.api_key(), cert()), "api", None),
        (
            Credentials::partner_certificate(sim.api_key(), ORG, cert()),
            "partner-api",
            Some(ORG),
        ),
    ];
    for (creds, scheme, org) in cases {
        sim.reset_log();
        let client = builder(&sim).credentials(creds).build().unwrap();
        assert_eq!(client.spliced_clips().await.unwrap(), truth(&sim));
        let record = &sim.requests()[0];
        assert_eq!(record.header("x-auth-scheme"), Some(scheme));
        assert_eq!(record.header("x-auth-org"), org);
        assert_eq!(
            record.header("x-auth-apikey"),
            Some(sim.api_key()),
            "{scheme} still sends the key"
        );
    }
}
