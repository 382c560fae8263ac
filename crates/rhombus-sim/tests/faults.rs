//! Every fault kind, observed on the wire.

mod common;

use common::{call, client, client_with_timeout, fetch, sim};
use rhombus_sim::{ApiPath, Fault, RandomFaults, RetryAfter};
use serde_json::Value;
use std::collections::BTreeSet;
use std::time::{Duration, SystemTime};

fn fault_header(response: &reqwest::Response) -> Option<String> {
    Some(
        response
            .headers()
            .get("x-rhombus-sim-fault")?
            .to_str()
            .ok()?
            .to_string(),
    )
}

#[tokio::test]
async fn server_error_burst_is_served_in_order_then_recovers() {
    let sim = sim().await;
    sim.push_faults(Fault::burst(503, 2));
    sim.push_faults([500, 502, 504].map(Fault::ServerError));
    assert_eq!(sim.queued_faults(), 5);
    let mut seen = Vec::new();
    for _ in 0..6 {
        let response = call(&client(), &sim, ApiPath::Event).send().await.unwrap();
        let content_type = response.headers()["content-type"]
            .to_str()
            .unwrap()
            .to_string();
        seen.push((response.status().as_u16(), content_type));
    }
    let statuses: Vec<u16> = seen.iter().map(|s| s.0).collect();
    assert_eq!(statuses, [503, 503, 500, 502, 504, 200]);
    assert!(seen[0].1.starts_with("text/html"));
    assert!(seen[2].1.starts_with("application/json"));
    assert_eq!(sim.queued_faults(), 0);
    let counters = sim.counters();
    assert_eq!(counters.by_fault.get("server-error"), Some(&5));
    assert_eq!(counters.by_status.get(&503), Some(&2));
    let faults: Vec<_> = sim.requests().into_iter().map(|r| r.fault).collect();
    assert_eq!(faults[1], Some(Fault::ServerError(503)));
    assert_eq!(faults[5], None);
}

#[tokio::test]
async fn rate_limits_carry_retry_after_in_both_forms() {
    let sim = sim().await;
    sim.push_fault(Fault::RateLimited(RetryAfter::Seconds(7)));
    sim.push_fault(Fault::RateLimited(RetryAfter::Date(Duration::from_secs(
        120,
    ))));
    sim.push_fault(Fault::RateLimited(RetryAfter::Absent));

    let seconds = call(&client(), &sim, ApiPath::Video).send().await.unwrap();
    assert_eq!(seconds.status(), 429);
    assert_eq!(seconds.headers()["retry-after"], "7");
    assert!(
        seconds.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/plain")
    );
    assert!(!seconds.text().await.unwrap().is_empty());

    let dated = call(&client(), &sim, ApiPath::Video).send().await.unwrap();
    assert_eq!(dated.status(), 429);
    let date = httpdate::parse_http_date(dated.headers()["retry-after"].to_str().unwrap()).unwrap();
    assert!(
        date > SystemTime::now() + Duration::from_secs(60),
        "Retry-After date is not ahead"
    );

    let bare = call(&client(), &sim, ApiPath::Video).send().await.unwrap();
    assert_eq!(bare.status(), 429);
    assert!(bare.headers().get("retry-after").is_none());

    // A date beyond what HTTP can write is the furthest it can: no panic.
    sim.push_fault(Fault::RateLimited(RetryAfter::Date(Duration::MAX)));
    let far = call(&client(), &sim, ApiPath::Video).send().await.unwrap();
    assert_eq!(far.status(), 429);
    let date = httpdate::parse_http_date(far.headers()["retry-after"].to_str().unwrap()).unwrap();
    assert!(date > SystemTime::now() + Duration::from_secs(50 * 365 * 86_400));
}

#[tokio::test]
async fn broken_connections_fail_the_body_read_after_a_200_head() {
    let sim = sim().await;
    // Chunked and cut, then Content-Length of the whole body but only half sent.
    for (fault, content_length) in [
        (Fault::DropMidBody, None),
        (Fault::TruncatedBody, Some(sim.expected_body().len() as u64)),
    ] {
        sim.push_fault(fault.clone());
        let response = call(&client(), &sim, ApiPath::Video).send().await.unwrap();
        assert_eq!(response.status(), 200, "{fault:?}");
        let declared = response
            .headers()
            .get("content-length")
            .map(|v| v.to_str().unwrap().parse().unwrap());
        assert_eq!(declared, content_length, "{fault:?}");
        assert!(
            response.bytes().await.is_err(),
            "{fault:?}: the body read should fail"
        );
        assert_eq!(
            fetch(&sim, ApiPath::Video).await.0,
            200,
            "the next request is fine"
        );
    }
}

#[tokio::test]
async fn cut_and_invalid_json_arrive_whole_but_do_not_parse() {
    let sim = sim().await;
    sim.push_faults([Fault::CutJson, Fault::InvalidJson]);
    let expected = sim.expected_body();
    let (status, _, cut) = fetch(&sim, ApiPath::Video).await;
    assert_eq!(status, 200);
    assert_eq!(cut, expected[..expected.len() / 2]);
    assert!(serde_json::from_slice::<Value>(&cut).is_err());
    let (status, _, invalid) = fetch(&sim, ApiPath::Video).await;
    assert_eq!(status, 200);
    assert!(serde_json::from_slice::<Value>(&invalid).is_err());
}

#[tokio::test]
async fn body_level_faults_shape_the_success() {
    let sim = sim().await;
    sim.push_faults([
        Fault::ErrorBody("Backend unavailable".into()),
        Fault::Warning("Partial results".into()),
        Fault::EmptyList,
    ]);
    let json = |body: &[u8]| serde_json::from_slice::<Value>(body).unwrap();

    let (status, _, error) = fetch(&sim, ApiPath::Event).await;
    let error = json(&error);
    assert_eq!(
        (status, &error["error"], &error["errorMsg"]),
        (200, &Value::Bool(true), &Value::from("Backend unavailable"))
    );

    let (_, elapsed, warned) = fetch(&sim, ApiPath::Event).await;
    let at = Duration::from_millis(elapsed.unwrap());
    assert_eq!(
        Some(warned.clone()),
        sim.success_body_with(at, Some(&Fault::Warning("Partial results".into())))
    );
    let warned = json(&warned);
    assert_eq!(warned["warningMsg"], "Partial results");
    assert_eq!(warned["splicedClips"], sim.expected_json()["splicedClips"]);

    let (_, _, empty) = fetch(&sim, ApiPath::Event).await;
    assert_eq!(json(&empty)["splicedClips"], Value::Array(vec![]));
}

#[tokio::test]
async fn big_list_adds_thousands_of_distinct_in_flight_clips() {
    let sim = sim().await;
    sim.push_fault(Fault::BigList(5000));
    let normal = sim.expected_json()["splicedClips"]
        .as_array()
        .unwrap()
        .len();
    let (status, _, body) = fetch(&sim, ApiPath::Video).await;
    assert_eq!(status, 200);
    let json: Value = serde_json::from_slice(&body).unwrap();
    let list = json["splicedClips"].as_array().unwrap();
    assert_eq!(list.len(), normal + 5000);
    let ids: BTreeSet<&str> = list
        .iter()
        .map(|c| c["clipUuid"].as_str().unwrap())
        .collect();
    assert_eq!(ids.len(), list.len(), "clip ids repeat");
    assert!(list[normal..].iter().all(|c| ["INITIATING", "QUEUED", "UPLOADING"].contains(&c["status"].as_str().unwrap())));
}

#[tokio::test]
async fn arbitrary_responses_are_sent_verbatim() {
    let sim = sim().await;
    sim.push_fault(Fault::text(403, "Invalid api key"));
    let response = call(&client(), &sim, ApiPath::Event).send().await.unwrap();
    assert_eq!(response.status(), 403);
    assert_eq!(fault_header(&response).as_deref(), Some("respond"));
    assert_eq!(response.text().await.unwrap(), "Invalid api key");
}

/// Every way a request can be refused before the API looks at it.
fn refused_requests(client: &reqwest::Client, url: &str) -> Vec<reqwest::RequestBuilder> {
    let post = || client.post(url).body("{}");
    vec![
        post(),
        post().header("x-auth-scheme", "api-token"),
        post().header("x-auth-apikey", "wrong-key"),
        post()
            .header("x-auth-apikey", "wrong-key")
            .header("x-auth-scheme", "api-token"),
        post()
            .header("x-auth-apikey", "wrong-key")
            .header("x-auth-scheme", "partner-api-token")
            .header("x-auth-org", "ORGORGORGORGORGORGORGA"),
        post()
            .header("x-auth-apikey", common::KEY_OF_DEFAULT)
            .header("x-auth-scheme", "bearer"),
        post()
            .header("x-auth-apikey", common::KEY_OF_DEFAULT)
            .header("x-auth-scheme", "partner-api"),
    ]
}

#[tokio::test]
async fn refused_requests_draw_no_fault_and_never_carry_clip_data() {
    let sim = sim().await;
    let mut menu = RandomFaults::soak(3, 1.0).menu;
    menu.extend([Fault::BigList(5), Fault::Latency(Duration::from_millis(1))]);
    sim.set_random_faults(Some(RandomFaults {
        seed: 3,
        probability: 1.0,
        menu,
    }));
    sim.push_faults([Fault::EmptyList, Fault::Warning("queued".into())]);
    let client = client();
    let mut statuses = BTreeSet::new();
    for round in 0..6 {
        for request in refused_requests(&client, &sim.url_of(ApiPath::ALL[round % 2])) {
            let response = request.send().await.unwrap();
            let status = response.status().as_u16();
            statuses.insert(status);
            assert!(
                fault_header(&response).is_none(),
                "a fault on a refused request"
            );
            let body = response.bytes().await.unwrap();
            let json: Value = serde_json::from_slice(&body).expect("a refusal is JSON");
            assert_eq!(json["error"], true);
            assert_eq!(json["splicedClips"], Value::Null, "clip data in a {status}");
        }
        sim.advance(Duration::from_secs(30));
    }
    assert_eq!(statuses, BTreeSet::from([401, 403]));
    assert!(sim.requests().iter().all(|r| r.fault.is_none()));
    assert_eq!(sim.queued_faults(), 2, "refusals used up queued faults");
    // The first good request gets the first queued fault.
    let response = call(&client, &sim, ApiPath::Video).send().await.unwrap();
    assert_eq!(fault_header(&response).as_deref(), Some("empty-list"));
}

#[tokio::test]
async fn a_hang_trips_the_client_timeout_and_the_next_call_works() {
    let sim = sim().await;
    sim.push_fault(Fault::Hang);
    let error = call(
        &client_with_timeout(Duration::from_millis(300)),
        &sim,
        ApiPath::Video,
    )
    .send()
    .await
    .unwrap_err();
    assert!(error.is_timeout(), "{error}");
    assert_eq!(fetch(&sim, ApiPath::Video).await.0, 200);
    let log = sim.requests();
    assert_eq!(log[0].fault, Some(Fault::Hang));
    assert_eq!(log[0].status, None);
    assert_eq!(log[1].status, Some(200));
    sim.shutdown().await;
}

#[tokio::test]
async fn latency_delays_then_answers_normally() {
    let sim = sim().await;
    sim.push_fault(Fault::Latency(Duration::from_secs(30)));
    let slow = call(
        &client_with_timeout(Duration::from_millis(200)),
        &sim,
        ApiPath::Video,
    )
    .send()
    .await;
    assert!(slow.unwrap_err().is_timeout());
    sim.push_fault(Fault::Latency(Duration::from_millis(10)));
    let response = call(&client(), &sim, ApiPath::Video).send().await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(fault_header(&response).as_deref(), Some("latency"));
    assert_eq!(response.bytes().await.unwrap(), sim.expected_body());
}

#[tokio::test]
async fn random_faults_replay_from_the_seed_and_successes_match_the_truth() {
    let mut runs = Vec::new();
    for _ in 0..2 {
        let sim = sim().await;
        sim.set_random_faults(Some(RandomFaults::soak(99, 0.4)));
        let client = client();
        let mut outcomes = Vec::new();
        for _ in 0..150 {
            let outcome = match call(&client, &sim, ApiPath::Video).send().await {
                Ok(response) => {
                    let status = response.status().as_u16();
                    (status, response.bytes().await.ok().map(|b| b.to_vec()))
                }
                Err(_) => (0, None),
            };
            outcomes.push(outcome);
            sim.advance(Duration::from_secs(1));
        }
        let log = sim.requests();
        assert_eq!(log.len(), outcomes.len());
        for ((status, body), record) in outcomes.iter().zip(&log) {
            if let (200, Some(body)) = (status, body) {
                if let Some(truth) = sim.success_body_with(record.elapsed, record.fault.as_ref()) {
                    assert_eq!(
                        body, &truth,
                        "request {} under {:?}",
                        record.seq, record.fault
                    );
                }
            }
        }
        let faulted = log.iter().filter(|r| r.fault.is_some()).count();
        assert!(
            (30..=90).contains(&faulted),
            "{faulted} faults in 150 at p=0.4"
        );
        assert_eq!(
            sim.counters().by_fault.values().sum::<u64>(),
            faulted as u64
        );
        runs.push(log.into_iter().map(|r| r.fault).collect::<Vec<_>>());
        sim.shutdown().await;
    }
    assert_eq!(runs[0], runs[1]);
}
