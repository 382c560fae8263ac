//! The API key never shows up in a log line, an error or `Debug` output.

mod common;

use rhombus_transport::rhombus_model::Decoder;
use std::time::Duration;

use common::{LogCapture, builder, fast_policy, sim_with};
use futures_util::StreamExt;
use rhombus_sim::{ApiPath, Fault, SimConfig};
use rhombus_transport::{
    ClientCertificate, Credentials, DisplayErrorContext, Error, WatchEvent, WatchOptions,
};

const KEY: &str = "TOPSECRET-9f8e7d6c5b4a";
const WRONG_KEY: &str = "WRONGSECRET-0a1b2c3d";

fn describe(err: &Error) -> String {
    format!("{err}\n{err:?}\n{}\n", DisplayErrorContext(err))
}

#[tokio::test]
async fn the_key_appears_in_no_log_error_or_debug_output() {
    let sim = sim_with(SimConfig::default().with_api_key(KEY)).await;
    let (logs, _guard) = LogCapture::start();
    let builder = builder(&sim).attempt_timeout(Duration::from_millis(200));
    let client = builder.clone().build().unwrap();
    let strict = builder
        .clone()
        .decoder(&Decoder::new().strict(true))
        .build()
        .unwrap();
    let mut seen = format!("{builder:?}\n{client:?}\n");

    // A success, with the request log and the response kept around.
    let raw = client.fetch_raw().await.unwrap();
    seen += &format!("{raw:?}\n{:?}\n", raw.decode(&mut Decoder::new()).unwrap());

    // Every failure path the client has.
    sim.push_faults(Fault::burst(503, 5));
    seen += &describe(&client.spliced_clips().await.unwrap_err());
    for fault in [
        Fault::InvalidJson,
        Fault::ErrorBody("nope".into()),
        Fault::text(401, "Unauthorized"),
    ] {
        sim.push_fault(fault);
        seen += &describe(&client.spliced_clips().await.unwrap_err());
    }
    // A server that echoes the key back, in every place text reaches a message:
    // a status's body (also across the excerpt's cut and the read's), `errorMsg`,
    // a value of the wrong type and a map key quoted by a decode error.
    let pad = "x".repeat(190);
    let tags = "<i>".repeat(4096 / 3);
    for fault in [
        Fault::text(403, format!("{pad} {KEY}")),
        Fault::Respond {
            status: 400,
            content_type: "text/html".into(),
            body: format!("{tags}{KEY}"),
        },
        Fault::Respond {
            status: 200,
            content_type: "application/json".into(),
            body: format!(r#"{{"splicedClips":[{{"duration":"{KEY}"}}]}}"#),
        },
        Fault::Respond {
            status: 200,
            content_type: "application/json".into(),
            body: format!(r#"{{"splicedClips":[{{"deviceMap":{{"{KEY}":1}}}}]}}"#),
        },
        Fault::text(403, format!("Invalid api key {KEY}")),
        Fault::ErrorBody(format!("key {KEY} is not allowed")),
        Fault::Respond {
            status: 400,
            content_type: "application/json".into(),
            body: format!(r#"{{"msg":"bad header {KEY}"}}"#),
        },
    ] {
        // Strict: each echo is an error.
        sim.push_fault(fault.clone());
        seen += &describe(&strict.spliced_clips().await.unwrap_err());
        sim.push_fault(fault.clone());
        match client.fetch_raw().await {
            Ok(raw) => {
                let strict = Decoder::new().strict(true);
                seen += &describe(&raw.decode(&mut strict.clone()).unwrap_err());
                seen += &describe(&raw.decode_owned(&strict).unwrap_err());
                // Tolerant: a value kept raw is data (the server's own text),
                // but its problem's message and path hide the key.
                if let Ok(decoded) = raw.decode(&mut Decoder::new()) {
                    seen += &format!("{:?}\n", decoded.problems);
                }
            }
            Err(err) => seen += &describe(&err),
        }
        sim.push_fault(fault);
        match client.spliced_clips().await {
            Ok(owned) => seen += &format!("{:?}\n", owned.problems()),
            Err(err) => seen += &describe(&err),
        }
    }
    // A watch shows a poll's warningMsg: without the key.
    sim.push_fault(Fault::Warning(format!("slow for {KEY}")));
    let mut watch = client.watch(WatchOptions::default());
    while let Some(event) = watch.next().await {
        if let WatchEvent::Polled { warning, .. } = event {
            seen += &format!("{warning:?}\n");
            assert_eq!(warning.as_deref(), Some("slow for <redacted>"));
            break;
        }
    }
    assert!(
        seen.contains("<redacted>"),
        "echoed keys are replaced: {seen}"
    );
    sim.push_faults(vec![Fault::Hang; 5]);
    let quick = builder
        .clone()
        .retry_policy(fast_policy().with_max_attempts(1))
        .build()
        .unwrap();
    seen += &describe(&quick.spliced_clips().await.unwrap_err());
    sim.clear_faults();
    sim.set_path_status(ApiPath::Event, Some(404));
    client.spliced_clips().await.unwrap();

    // A wrong key (403) must not leak either.
    let wrong = builder.clone().api_key(WRONG_KEY).build().unwrap();
    seen += &describe(&wrong.spliced_clips().await.unwrap_err());
    let small = builder.clone().max_body_size(8).build().unwrap();
    seen += &describe(&small.fetch_raw().await.unwrap_err());

    // Credentials of every kind, and configuration errors built from them.
    let cert =
        ClientCertificate::from_pem(b"-----BEGIN CERTIFICATE-----".to_vec(), "PEMKEY-SECRET");
    let creds = Credentials::partner_certificate(KEY, "ORG", cert);
    seen += &format!("{creds:?}\n{:?}\n", creds.headers().unwrap());
    let err = builder.clone().credentials(creds).build().unwrap_err();
    seen += &describe(&err);
    let err = builder.api_key(format!("{KEY}\n")).build().unwrap_err();
    seen += &describe(&err);

    let logged = logs.text();
    assert!(logged.contains("retrying"), "the capture works: {logged}");
    assert!(logged.contains("request"), "{logged}");
    // Nor any start of it (a key cut by an excerpt).
    assert!(
        !seen.contains(&KEY[..4]),
        "output leaks part of the key:\n{seen}"
    );
    for secret in [KEY, WRONG_KEY, "PEMKEY-SECRET"] {
        assert!(!logged.contains(secret), "log leaks {secret}:\n{logged}");
        assert!(!seen.contains(secret), "output leaks {secret}:\n{seen}");
    }
    assert!(
        sim.requests()
            .iter()
            .any(|r| r.header("x-auth-apikey") == Some(KEY)),
        "the key was sent"
    );
}
