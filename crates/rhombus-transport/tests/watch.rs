//! The watch stream and `wait_for_clip` against the simulator's manual clock.

mod common;

use std::time::Duration;

use common::{builder, client, fast_policy, requests, sim, truth_clips};
use futures_util::StreamExt;
use rhombus_sim::{Fault, RetryAfter, SimHandle};
use rhombus_transport::rhombus_model::OwnedClip;
use rhombus_transport::{ClipOutcome, Watch, WatchEvent, WatchOptions, diff};

fn options() -> WatchOptions {
    WatchOptions {
        interval: Duration::from_millis(5),
        ..WatchOptions::default()
    }
}

/// A comparable summary of a change event: (what, clip id).
fn summary(event: &WatchEvent) -> Option<(&'static str, String)> {
    let (what, clip) = match event {
        WatchEvent::Appeared(c) => ("appeared", c),
        WatchEvent::StatusChanged { clip, .. } => ("status", clip),
        WatchEvent::ProgressAdvanced { clip, .. } => ("progress", clip),
        WatchEvent::Terminal(c) => ("terminal", c),
        WatchEvent::Disappeared(c) => ("disappeared", c),
        _ => return None,
    };
    Some((what, clip.get().id().to_owned()))
}

/// Reads events until a poll whose snapshot equals `expected`; returns the change
/// events seen on the way (earlier polls of an older state add none).
async fn changes_until(watch: &mut Watch, expected: &[OwnedClip]) -> Vec<(&'static str, String)> {
    let mut changes = Vec::new();
    loop {
        let event = tokio::time::timeout(Duration::from_secs(30), watch.next())
            .await
            .expect("the watch keeps polling")
            .expect("the watch does not end");
        match &event {
            WatchEvent::Polled { clips, .. } if &clips[..] == expected => return changes,
            WatchEvent::PollFailed { error, .. } => panic!("poll failed: {error}"),
            _ => changes.extend(summary(&event)),
        }
    }
}

#[tokio::test]
async fn watch_reports_exactly_the_simulator_changes() {
    let sim = sim().await;
    let mut watch = client(&sim).watch(options());

    let first = truth_clips(&sim);
    let expected: Vec<_> = diff(&[], &first).iter().filter_map(summary).collect();
    assert!(expected.iter().any(|(what, _)| *what == "appeared"));
    assert_eq!(changes_until(&mut watch, &first).await, expected);

    for step in [30, 90, 300] {
        let before = truth_clips(&sim);
        sim.advance(Duration::from_secs(step));
        let after = truth_clips(&sim);
        let expected: Vec<_> = diff(&before, &after).iter().filter_map(summary).collect();
        assert!(
            !expected.is_empty(),
            "{step} s of simulated time changes something"
        );
        assert_eq!(
            changes_until(&mut watch, &after).await,
            expected,
            "after {step} s"
        );
    }
}

/// Advances the clock one step, then waits until at least one whole poll has seen
/// the new time (or the waiting task is done).
async fn step_clock<T>(sim: &SimHandle, step: Duration, task: &tokio::task::JoinHandle<T>) {
    sim.advance(step);
    let seen = requests(sim);
    while requests(sim) < seen + 2 && !task.is_finished() {
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
}

#[tokio::test]
async fn wait_for_clip_resolves_when_the_clip_finishes() {
    let sim = sim().await;
    let client = client(&sim);
    let clips = truth_clips(&sim);
    let clip = clips
        .iter()
        .find(|c| !c.get().is_terminal())
        .expect("a clip in flight");
    let id = clip.get().id().to_owned();
    let waiting = tokio::spawn({
        let client = client.clone();
        let id = id.clone();
        async move { client.wait_for_clip(&id, options()).await }
    });
    let mut simulated = Duration::ZERO;
    while !waiting.is_finished() {
        assert!(
            simulated < Duration::from_secs(3600),
            "the clip finishes within an hour"
        );
        step_clock(&sim, Duration::from_secs(10), &waiting).await;
        simulated += Duration::from_secs(10);
    }
    match waiting.await.unwrap().unwrap() {
        ClipOutcome::Terminal(done) => {
            assert_eq!(done.get().id(), id);
            assert!(done.get().is_terminal(), "{:?}", done.get().status);
        }
        other => panic!("every state was observed, so the terminal one was too: {other:?}"),
    }
}

#[tokio::test]
async fn poll_failures_are_reported_and_fatal_ones_end_the_stream() {
    let sim = sim().await;
    let client = builder(&sim)
        .retry_policy(fast_policy().with_max_attempts(1))
        .build()
        .unwrap();
    sim.push_fault(Fault::ServerError(503));
    let mut watch = client.watch(WatchOptions {
        max_consecutive_failures: Some(2),
        ..options()
    });
    watch.set_interval(Duration::from_millis(2));
    assert_eq!(watch.interval(), Duration::from_millis(2));

    let Some(WatchEvent::PollFailed {
        consecutive: 1,
        fatal: false,
        error,
    }) = watch.next().await
    else {
        panic!("first poll fails");
    };
    assert_eq!(error.status().map(|s| s.as_u16()), Some(503));
    let mut next = watch.next().await.unwrap();
    while !matches!(next, WatchEvent::Polled { .. }) {
        assert!(summary(&next).is_some(), "{next:?}");
        next = watch.next().await.unwrap();
    }

    sim.push_faults(Fault::burst(500, 2));
    assert!(matches!(
        watch.next().await,
        Some(WatchEvent::PollFailed {
            consecutive: 1,
            fatal: false,
            ..
        })
    ));
    assert!(matches!(
        watch.next().await,
        Some(WatchEvent::PollFailed {
            consecutive: 2,
            fatal: true,
            ..
        })
    ));
    assert!(
        watch.next().await.is_none(),
        "the stream ends after a fatal failure"
    );
}

#[tokio::test]
async fn a_rejected_key_is_fatal_at_once() {
    let sim = sim().await;
    let client = builder(&sim).api_key("wrong").build().unwrap();
    let mut watch = client.watch(options());
    let Some(WatchEvent::PollFailed {
        fatal: true, error, ..
    }) = watch.next().await
    else {
        panic!("a 403 is fatal");
    };
    assert_eq!(error.status().map(|s| s.as_u16()), Some(403));
    assert!(watch.next().await.is_none());
    let err = client
        .wait_for_clip("AAAAAAAAAAAAAAAAAAAAAA", options())
        .await
        .unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(403));
}

/// Polls until one succeeds; whether one failed on the way.
async fn failed_before_success(watch: &mut Watch) -> bool {
    let mut failed = false;
    while let Some(event) = watch.next().await {
        match event {
            WatchEvent::PollFailed { .. } => failed = true,
            WatchEvent::Polled { .. } => return failed,
            _ => {}
        }
    }
    panic!("the watch ended");
}

#[tokio::test]
async fn a_rate_limited_poll_puts_the_next_off_by_retry_after() {
    let sim = sim().await;
    // One attempt per poll, so the 429 reaches the watch.
    let client = builder(&sim)
        .retry_policy(fast_policy().with_max_attempts(1))
        .build()
        .unwrap();
    sim.push_fault(Fault::RateLimited(RetryAfter::Seconds(1)));
    let mut watch = client.watch(options());
    assert!(failed_before_success(&mut watch).await);
    let log = sim.requests();
    assert_eq!(log.len(), 2);
    let gap = log[1]
        .received_at
        .duration_since(log[0].received_at)
        .unwrap();
    assert!(gap >= Duration::from_secs(1), "polled again after {gap:?}");

    // No longer than the policy would wait within a call.
    let capped = builder(&sim)
        .retry_policy(
            fast_policy()
                .with_max_attempts(1)
                .with_max_retry_after(Duration::from_millis(10)),
        )
        .build()
        .unwrap();
    sim.push_fault(Fault::RateLimited(RetryAfter::Seconds(3600)));
    let mut watch = capped.watch(options());
    let within = tokio::time::timeout(Duration::from_secs(30), failed_before_success(&mut watch));
    assert!(within.await.expect("polled again without waiting an hour"));
}
