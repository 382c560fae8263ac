//! Helpers shared by the integration tests: a simulator and a loopback client.
#![allow(dead_code)]

use rhombus_sim::{ApiPath, SimConfig, SimHandle};
use std::time::Duration;

/// The key a default simulator accepts.
pub const KEY_OF_DEFAULT: &str = rhombus_sim::DEFAULT_API_KEY;

/// A simulator with the default (manual-clock) config.
pub async fn sim() -> SimHandle {
    rhombus_sim::start(SimConfig::default())
        .await
        .expect("start simulator")
}

/// A client that never goes through a proxy.
pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .no_proxy()
        .build()
        .expect("client")
}

/// A client that gives up after `timeout`.
pub fn client_with_timeout(timeout: Duration) -> reqwest::Client {
    reqwest::Client::builder()
        .no_proxy()
        .timeout(timeout)
        .build()
        .expect("client")
}

/// A correctly authenticated `POST {}` to `path`.
pub fn call(client: &reqwest::Client, sim: &SimHandle, path: ApiPath) -> reqwest::RequestBuilder {
    client
        .post(sim.url_of(path))
        .header("x-auth-apikey", sim.api_key())
        .header("x-auth-scheme", "api-token")
        .header("content-type", "application/json")
        .body("{}")
}

/// Sends a good request and returns the status, elapsed header and body.
pub async fn fetch(sim: &SimHandle, path: ApiPath) -> (u16, Option<u64>, Vec<u8>) {
    let response = call(&client(), sim, path).send().await.expect("send");
    let status = response.status().as_u16();
    let elapsed = response
        .headers()
        .get("x-rhombus-sim-elapsed-ms")
        .and_then(|v| v.to_str().ok()?.parse().ok());
    let body = response.bytes().await.expect("body").to_vec();
    (status, elapsed, body)
}

/// The `splicedClips` array of a successful fetch.
pub async fn clips(sim: &SimHandle) -> Vec<serde_json::Value> {
    let (status, _, body) = fetch(sim, ApiPath::Video).await;
    assert_eq!(status, 200);
    let json: serde_json::Value = serde_json::from_slice(&body).expect("valid JSON");
    json["splicedClips"]
        .as_array()
        .expect("splicedClips array")
        .clone()
}
