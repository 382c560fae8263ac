//! Paths, auth and request validation, over loopback.

mod common;

use common::{call, client, fetch, sim};
use rhombus_sim::{ApiPath, SimConfig};

#[tokio::test]
async fn both_paths_serve_the_same_truth() {
    let sim = sim().await;
    let expected = sim.expected_body();
    for path in ApiPath::ALL {
        let (status, elapsed, body) = fetch(&sim, path).await;
        assert_eq!(status, 200, "{path:?}");
        assert_eq!(elapsed, Some(0));
        assert_eq!(body, expected, "{path:?}");
    }
    let json = sim.expected_json();
    assert_eq!(json["error"], false);
    assert!(!json["splicedClips"].as_array().unwrap().is_empty());
    let counters = sim.counters();
    assert_eq!(counters.total, 2);
    for path in ApiPath::ALL {
        assert_eq!(counters.path(path.as_str()), 1);
    }
    sim.shutdown().await;
}

#[tokio::test]
async fn missing_headers_are_401() {
    let sim = sim().await;
    let url = sim.url_of(ApiPath::Event);
    let no_key = client()
        .post(&url)
        .header("x-auth-scheme", "api-token")
        .body("{}");
    let no_scheme = client()
        .post(&url)
        .header("x-auth-apikey", sim.api_key())
        .body("{}");
    let partner_no_org = client()
        .post(&url)
        .header("x-auth-apikey", sim.api_key())
        .header("x-auth-scheme", "partner-api-token")
        .body("{}");
    let bad_scheme = client()
        .post(&url)
        .header("x-auth-apikey", sim.api_key())
        .header("x-auth-scheme", "bearer")
        .body("{}");
    for request in [no_key, no_scheme, partner_no_org, bad_scheme] {
        let response = request.send().await.unwrap();
        assert_eq!(response.status(), 401);
        let body: serde_json::Value = response.json().await.unwrap();
        assert_eq!(body["error"], true);
    }
}

#[tokio::test]
async fn wrong_key_is_403_invalid_api_key() {
    let sim = sim().await;
    let response = client()
        .post(sim.url_of(ApiPath::Video))
        .header("x-auth-apikey", "not-the-key")
        .header("x-auth-scheme", "api-token")
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 403);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["errorMsg"], "Invalid api key");
}

#[tokio::test]
async fn partner_and_certificate_schemes_are_accepted_and_logged() {
    let sim = sim().await;
    for (scheme, org) in [
        ("partner-api-token", Some("ORGORGORGORGORGORGORGA")),
        ("partner-api", Some("ORGORGORGORGORGORGORGA")),
        ("api", None),
    ] {
        let mut request = call(&client(), &sim, ApiPath::Video).header("x-auth-scheme", scheme);
        if let Some(org) = org {
            request = request.header("x-auth-org", org);
        }
        assert_eq!(request.send().await.unwrap().status(), 200, "{scheme}");
    }
    let seen = sim.requests_to(ApiPath::Video);
    assert_eq!(seen.len(), 3);
    assert_eq!(seen[0].header("x-auth-org"), Some("ORGORGORGORGORGORGORGA"));
    assert_eq!(seen[0].header("x-auth-apikey"), Some(sim.api_key()));
    assert_eq!(seen[2].header("x-auth-org"), None);
    assert!(
        seen.iter()
            .all(|r| r.status == Some(200) && r.fault.is_none())
    );
    assert!(!format!("{seen:?}").contains(sim.api_key()));
}

#[tokio::test]
async fn a_body_that_is_not_a_json_object_is_400() {
    let sim = sim().await;
    for body in ["", "[]", "null", "42", "\"{}\"", "{", "not json"] {
        let response = call(&client(), &sim, ApiPath::Event)
            .body(body)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 400, "body {body:?}");
        let json: serde_json::Value = response.json().await.unwrap();
        assert!(json["msg"].is_string(), "body {body:?}");
    }
    let ok = call(&client(), &sim, ApiPath::Event)
        .body(r#"{"extra":1}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(ok.status(), 200);
}

#[tokio::test]
async fn other_paths_and_methods_are_refused_and_logged() {
    let sim = sim().await;
    let get = client()
        .get(sim.url_of(ApiPath::Video))
        .send()
        .await
        .unwrap();
    assert_eq!(get.status(), 405);
    assert_eq!(get.headers()["allow"], "POST");
    let other = client()
        .post(format!("{}/api/video/other", sim.url()))
        .send()
        .await
        .unwrap();
    assert_eq!(other.status(), 404);
    let counters = sim.counters();
    assert_eq!(counters.total, 2);
    assert_eq!(counters.by_status.get(&405), Some(&1));
    assert_eq!(counters.by_status.get(&404), Some(&1));
}

#[tokio::test]
async fn a_path_can_be_switched_to_404_or_410() {
    let sim = sim().await;
    sim.set_path_status(ApiPath::Event, Some(410));
    assert_eq!(fetch(&sim, ApiPath::Event).await.0, 410);
    assert_eq!(fetch(&sim, ApiPath::Video).await.0, 200);
    sim.set_path_status(ApiPath::Event, Some(404));
    assert_eq!(fetch(&sim, ApiPath::Event).await.0, 404);
    sim.set_path_status(ApiPath::Event, None);
    assert_eq!(fetch(&sim, ApiPath::Event).await.0, 200);
}

#[tokio::test]
async fn debug_output_never_shows_the_key() {
    let config = SimConfig::default().with_api_key("very-secret-key-123");
    assert!(!format!("{config:?}").contains("very-secret-key-123"));
    let sim = rhombus_sim::start(config).await.unwrap();
    let printed = format!("{sim:?}");
    assert!(!printed.contains("very-secret-key-123"), "{printed}");
    assert!(printed.contains("<redacted>"));
}
