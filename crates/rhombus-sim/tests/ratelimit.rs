//! The per-organisation token bucket: `429` with a real `Retry-After`.

mod common;

use common::{call, client};
use rhombus_sim::{ApiPath, ClockMode, RateLimit, RetryAfterForm, SimConfig, SimHandle};
use std::time::{Duration, SystemTime};

async fn limited(limit: RateLimit) -> SimHandle {
    rhombus_sim::start(SimConfig::default().with_rate_limit(Some(limit)))
        .await
        .unwrap()
}

/// Status and `Retry-After` of one good request.
async fn poll(sim: &SimHandle, org: Option<&str>) -> (u16, Option<String>) {
    let request = match org {
        None => call(&client(), sim, ApiPath::Video),
        Some(org) => client()
            .post(sim.url_of(ApiPath::Video))
            .header("x-auth-apikey", sim.api_key())
            .header("x-auth-scheme", "partner-api-token")
            .header("x-auth-org", org)
            .body("{}"),
    };
    let response = request.send().await.unwrap();
    let retry_after = response
        .headers()
        .get("retry-after")
        .map(|v| v.to_str().unwrap().to_owned());
    (response.status().as_u16(), retry_after)
}

#[tokio::test]
async fn a_drained_bucket_answers_429_until_it_refills() {
    let sim = limited(RateLimit::new(3, 0.25)).await;
    for _ in 0..3 {
        assert_eq!(poll(&sim, None).await, (200, None));
    }
    assert_eq!(poll(&sim, None).await, (429, Some("4".into())));
    sim.advance(Duration::from_secs(3));
    assert_eq!(poll(&sim, None).await, (429, Some("1".into())));
    sim.advance(Duration::from_secs(1));
    assert_eq!(poll(&sim, None).await.0, 200);
    assert_eq!(poll(&sim, None).await, (429, Some("4".into())));
    let counters = sim.counters();
    assert_eq!(counters.by_status.get(&429), Some(&3));
    assert!(counters.by_fault.is_empty(), "a rate limit is not a fault");
    sim.shutdown().await;
}

#[tokio::test]
async fn each_organisation_has_its_own_bucket_and_refusals_take_no_token() {
    let sim = limited(RateLimit::new(1, 0.1)).await;
    assert_eq!(poll(&sim, None).await.0, 200);
    assert_eq!(poll(&sim, None).await.0, 429);
    assert_eq!(poll(&sim, Some("CLIENTORGAAAAAAAAAAAAA")).await.0, 200);
    assert_eq!(poll(&sim, Some("CLIENTORGAAAAAAAAAAAAA")).await.0, 429);
    assert_eq!(poll(&sim, Some("CLIENTORGBBBBBBBBBBBBB")).await.0, 200);
    // A wrong key is refused for what it is, not rate limited, and costs nothing.
    let wrong = client()
        .post(sim.url_of(ApiPath::Video))
        .header("x-auth-apikey", "wrong")
        .header("x-auth-scheme", "partner-api-token")
        .header("x-auth-org", "CLIENTORGCCCCCCCCCCCCC")
        .body("{}");
    assert_eq!(wrong.send().await.unwrap().status(), 403);
    assert_eq!(poll(&sim, Some("CLIENTORGCCCCCCCCCCCCC")).await.0, 200);
    sim.shutdown().await;
}

#[tokio::test]
async fn retry_after_comes_as_a_future_date_or_not_at_all() {
    let dated = limited(RateLimit::new(1, 1.0 / 90.0).with_retry_after(RetryAfterForm::Date)).await;
    assert_eq!(poll(&dated, None).await.0, 200);
    let (status, retry_after) = poll(&dated, None).await;
    assert_eq!(status, 429);
    let date = httpdate::parse_http_date(&retry_after.expect("a date")).unwrap();
    let ahead = date
        .duration_since(SystemTime::now())
        .expect("a future date");
    assert!(
        ahead > Duration::from_secs(85) && ahead <= Duration::from_secs(91),
        "{ahead:?}"
    );

    let bare = limited(RateLimit::new(1, 1.0).with_retry_after(RetryAfterForm::Absent)).await;
    assert_eq!(poll(&bare, None).await.0, 200);
    assert_eq!(poll(&bare, None).await, (429, None));
}

#[tokio::test]
async fn on_a_fast_clock_the_wait_is_in_real_seconds() {
    let config = SimConfig::default()
        .with_clock(ClockMode::Fast(30))
        .with_rate_limit(Some(RateLimit::new(1, 1.0 / 60.0)));
    let sim = rhombus_sim::start(config).await.unwrap();
    assert_eq!(poll(&sim, None).await.0, 200);
    // 60 simulated seconds (less the few already run) are 2 real ones, rounded up.
    assert_eq!(poll(&sim, None).await, (429, Some("2".into())));
    sim.shutdown().await;
}
