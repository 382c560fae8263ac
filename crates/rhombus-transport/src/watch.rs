//! Watching clips: poll, diff consecutive snapshots, stream the changes.

use std::collections::{HashMap, VecDeque};
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::task::{Context, Poll};
use std::time::Duration;

use futures_util::{Stream, StreamExt, stream};
use rhombus_model::{DecodeError, OwnedClip, Progress};

use crate::client::Client;
use crate::error::{Error, ErrorKind};
use crate::shorten::shorten;

/// How to watch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WatchOptions {
    /// Time between the end of one poll and the start of the next (default 5 s).
    pub interval: Duration,
    /// After this many failed polls in a row the stream ends (default `Some(5)`;
    /// `None` keeps polling). Each poll already retries as the client's policy says.
    pub max_consecutive_failures: Option<u32>,
}

impl Default for WatchOptions {
    fn default() -> Self {
        WatchOptions {
            interval: Duration::from_secs(5),
            max_consecutive_failures: Some(5),
        }
    }
}

/// A change seen between two polls (or a poll's outcome).
#[derive(Debug)]
#[non_exhaustive]
pub enum WatchEvent {
    /// A clip not in the previous snapshot (every clip, on the first poll).
    Appeared(OwnedClip),
    /// A clip's status changed.
    StatusChanged {
        /// The clip as it is now.
        clip: OwnedClip,
        /// The clip as it was in the previous snapshot.
        previous: OwnedClip,
    },
    /// A clip's progress changed (segments uploaded, usually going up).
    ProgressAdvanced {
        /// The clip as it is now.
        clip: OwnedClip,
        /// Its progress in the previous snapshot.
        previous: Option<Progress>,
    },
    /// A clip reached a terminal status (`COMPLETE`, `FAILED`, `DELETED`).
    Terminal(OwnedClip),
    /// A clip from the previous snapshot is gone; this is its last seen state.
    Disappeared(OwnedClip),
    /// A poll succeeded; sent after that poll's change events, with the whole snapshot.
    Polled {
        /// Every clip in this poll's answer.
        clips: Arc<[OwnedClip]>,
        /// The values of this poll's answer that did not fit the model
        /// (kept raw in the clips), with their paths.
        problems: Vec<DecodeError>,
        /// The response's `warningMsg`, if any, shown without the client's
        /// key (a server may echo it), [`shorten`](crate::shorten)ed.
        warning: Option<String>,
    },
    /// A poll failed (after the client's retries). When `fatal` is true this is the
    /// last event: the error will not go away by polling again (bad key, bad request,
    /// invalid configuration) or too many polls failed in a row.
    PollFailed {
        /// Why the poll failed.
        error: Error,
        /// Failed polls in a row, this one included.
        consecutive: u32,
        /// Whether the stream ends after this event.
        fatal: bool,
    },
}

/// The tracked clips of a snapshot by id (the first of duplicates wins).
fn by_id(clips: &[OwnedClip]) -> HashMap<&str, &OwnedClip> {
    let mut map = HashMap::with_capacity(clips.len());
    for clip in clips.iter().filter(|c| c.get().clip_uuid.is_some()) {
        map.entry(clip.get().id()).or_insert(clip);
    }
    map
}

/// The clips of `clips` that `map` tracks, in order: the first of each id only.
fn tracked<'s>(
    clips: &'s [OwnedClip],
    map: &'s HashMap<&'s str, &'s OwnedClip>,
) -> impl Iterator<Item = &'s OwnedClip> {
    clips.iter().filter(|clip| {
        map.get(clip.get().id())
            .is_some_and(|first| std::ptr::eq(*first, *clip))
    })
}

/// The change events between two snapshots: a pure function of them.
///
/// Clips are matched by `clipUuid` (clips without one are not tracked). Order: the new
/// snapshot's clips in order (for each: `Appeared` or `StatusChanged` and
/// `ProgressAdvanced`, then `Terminal` when it just became terminal), then
/// `Disappeared` in the previous snapshot's order.
pub fn diff(previous: &[OwnedClip], next: &[OwnedClip]) -> Vec<WatchEvent> {
    let old = by_id(previous);
    let new = by_id(next);
    let mut events = Vec::new();
    for clip in tracked(next, &new) {
        let now = clip.get();
        match old.get(now.id()) {
            None => {
                events.push(WatchEvent::Appeared(clip.clone()));
                if now.is_terminal() {
                    events.push(WatchEvent::Terminal(clip.clone()));
                }
            }
            Some(&then) => {
                let before = then.get();
                if before.status != now.status {
                    events.push(WatchEvent::StatusChanged {
                        clip: clip.clone(),
                        previous: then.clone(),
                    });
                }
                if before.progress() != now.progress() {
                    events.push(WatchEvent::ProgressAdvanced {
                        clip: clip.clone(),
                        previous: before.progress(),
                    });
                }
                if now.is_terminal() && !before.is_terminal() {
                    events.push(WatchEvent::Terminal(clip.clone()));
                }
            }
        }
    }
    for clip in tracked(previous, &old) {
        if !new.contains_key(clip.get().id()) {
            events.push(WatchEvent::Disappeared(clip.clone()));
        }
    }
    events
}

/// Whether polling again cannot fix this error.
fn is_fatal(error: &Error) -> bool {
    match error.kind() {
        ErrorKind::Config => true,
        ErrorKind::Status { status, .. } => status.is_client_error(),
        _ => false,
    }
}

/// A stream of [`WatchEvent`]s from polling (see [`Client::watch`]).
///
/// Dropping it stops polling, cancelling any request in flight.
pub struct Watch {
    events: Pin<Box<dyn Stream<Item = WatchEvent> + Send>>,
    interval_ms: Arc<AtomicU64>,
}

impl std::fmt::Debug for Watch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Watch")
            .field("interval", &self.interval())
            .finish_non_exhaustive()
    }
}

impl Watch {
    /// Changes the polling interval from the next wait on.
    pub fn set_interval(&self, interval: Duration) {
        self.interval_ms
            .store(interval.as_millis() as u64, Ordering::Relaxed);
    }

    /// The current polling interval.
    pub fn interval(&self) -> Duration {
        Duration::from_millis(self.interval_ms.load(Ordering::Relaxed))
    }
}

impl Stream for Watch {
    type Item = WatchEvent;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<WatchEvent>> {
        self.events.as_mut().poll_next(cx)
    }
}

struct State {
    client: Client,
    interval_ms: Arc<AtomicU64>,
    max_failures: Option<u32>,
    previous: Arc<[OwnedClip]>,
    queue: VecDeque<WatchEvent>,
    failures: u32,
    /// Whether a poll was made yet (the first one does not wait).
    polled: bool,
    /// The wait a 429 asked for before the next poll (zero: none).
    retry_after: Duration,
    done: bool,
}

impl State {
    async fn next(mut self) -> Option<(WatchEvent, State)> {
        loop {
            if let Some(event) = self.queue.pop_front() {
                return Some((event, self));
            }
            if self.done {
                return None;
            }
            if self.polled {
                let interval = Duration::from_millis(self.interval_ms.load(Ordering::Relaxed));
                let asked = std::mem::take(&mut self.retry_after);
                tokio::time::sleep(interval.max(asked)).await;
            }
            self.polled = true;
            self.poll_once().await;
        }
    }

    async fn poll_once(&mut self) {
        match self.client.spliced_clips().await {
            Ok(response) => {
                self.failures = 0;
                let warning = response
                    .response()
                    .warning()
                    .map(|w| shorten(&self.client.hide_key(w)).into_owned());
                let problems = response.problems().to_vec();
                let clips: Arc<[_]> = OwnedClip::all(&Arc::new(response)).into();
                self.queue.extend(diff(&self.previous, &clips));
                self.queue.push_back(WatchEvent::Polled {
                    clips: Arc::clone(&clips),
                    problems,
                    warning,
                });
                self.previous = clips;
            }
            Err(error) => {
                self.failures += 1;
                // A rate limit that outlasted the poll's retries: the next poll
                // comes no sooner than the server asked (as far as the policy
                // would wait within a call).
                if let ErrorKind::RateLimited {
                    retry_after: Some(asked),
                } = error.kind()
                {
                    let policy = self.client.retry_policy();
                    self.retry_after = policy.retry_after_wait(*asked, fastrand::f64());
                }
                let fatal =
                    is_fatal(&error) || self.max_failures.is_some_and(|max| self.failures >= max);
                tracing::debug!(consecutive = self.failures, fatal, error = %error, "watch poll failed");
                self.done = fatal;
                self.queue.push_back(WatchEvent::PollFailed {
                    error,
                    consecutive: self.failures,
                    fatal,
                });
            }
        }
    }
}

/// How a watched clip ended (see [`Client::wait_for_clip`]).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum ClipOutcome {
    /// The clip reached a terminal status; this is its final state.
    Terminal(OwnedClip),
    /// The clip was seen, then vanished from the list; this is its last seen state.
    Disappeared(OwnedClip),
}

impl Client {
    /// Polls every `options.interval` and streams what changed. After a poll
    /// that ended rate limited, the next waits at least the server's
    /// `Retry-After`, jittered as the policy's
    /// [`retry_after_wait`](crate::RetryPolicy::retry_after_wait) says.
    ///
    /// The first poll reports every clip as [`WatchEvent::Appeared`]. Each poll retries
    /// as the client's [`RetryPolicy`](crate::RetryPolicy) says; a poll that still
    /// fails yields [`WatchEvent::PollFailed`], and the stream ends after a fatal one.
    ///
    /// Memory: the watch keeps the last poll's answer, decoded whole, to diff
    /// the next one against, so at most two answers are held, each bounded by
    /// the body cap ([`ClientBuilder::max_body_size`](crate::ClientBuilder::max_body_size))
    /// and the decoder's tree cap ([`Decoder::max_tree_bytes`](rhombus_model::Decoder::max_tree_bytes)).
    /// An event's clip holds its whole answer: keep
    /// [`OwnedClip::detach`](rhombus_model::OwnedClip::detach)'s copy to keep one clip for long.
    pub fn watch(&self, options: WatchOptions) -> Watch {
        let interval_ms = Arc::new(AtomicU64::new(options.interval.as_millis() as u64));
        let state = State {
            client: self.clone(),
            interval_ms: Arc::clone(&interval_ms),
            max_failures: options.max_consecutive_failures,
            previous: Arc::new([]),
            queue: VecDeque::new(),
            failures: 0,
            polled: false,
            retry_after: Duration::ZERO,
            done: false,
        };
        Watch {
            events: stream::unfold(state, State::next).boxed(),
            interval_ms,
        }
    }

    /// Resolves when the clip `clip_uuid` reaches a terminal status, or disappears
    /// after having been seen. Fails when the watch ends with a fatal error.
    ///
    /// Waits as long as it takes: wrap it in `tokio::time::timeout` to bound it.
    pub async fn wait_for_clip(
        &self,
        clip_uuid: &str,
        options: WatchOptions,
    ) -> Result<ClipOutcome, Error> {
        let mut watch = self.watch(options);
        while let Some(event) = watch.next().await {
            match event {
                WatchEvent::Terminal(clip) if clip.get().id() == clip_uuid => {
                    return Ok(ClipOutcome::Terminal(clip));
                }
                WatchEvent::Disappeared(clip) if clip.get().id() == clip_uuid => {
                    return Ok(ClipOutcome::Disappeared(clip));
                }
                WatchEvent::PollFailed {
                    error, fatal: true, ..
                } => return Err(error),
                _ => {}
            }
        }
        Err(Error::new(ErrorKind::Transport).with_message("the watch ended unexpectedly"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clip(id: &str, status: &str, uploaded: i32, total: i32) -> OwnedClip {
        let json = format!(
            r#"{{"clipUuid":"{id}","status":"{status}","segmentsUploaded":{uploaded},"totalSegments":{total}}}"#
        );
        OwnedClip::parse(json.as_bytes()).unwrap()
    }

    fn names(events: &[WatchEvent]) -> Vec<String> {
        events
            .iter()
            .map(|e| match e {
                WatchEvent::Appeared(c) => format!("appeared {}", c.get().id()),
                WatchEvent::StatusChanged { clip, previous } => format!(
                    "status {} {}->{}",
                    clip.get().id(),
                    previous.get().status.map_or("-", |s| s.as_str()),
                    clip.get().status.map_or("-", |s| s.as_str())
                ),
                WatchEvent::ProgressAdvanced { clip, previous } => format!(
                    "progress {} {:?}->{:?}",
                    clip.get().id(),
                    previous.map(|p| p.uploaded),
                    clip.get().progress().map(|p| p.uploaded)
                ),
                WatchEvent::Terminal(c) => format!("terminal {}", c.get().id()),
                WatchEvent::Disappeared(c) => format!("disappeared {}", c.get().id()),
                other => format!("{other:?}"),
            })
            .collect()
    }

    #[test]
    fn first_snapshot_reports_every_clip_and_terminal_ones() {
        let next = [clip("a", "UPLOADING", 1, 4), clip("b", "COMPLETE", 4, 4)];
        assert_eq!(
            names(&diff(&[], &next)),
            ["appeared a", "appeared b", "terminal b"]
        );
    }

    #[test]
    fn changes_progress_terminal_and_disappearance() {
        let prev = [
            clip("a", "UPLOADING", 1, 4),
            clip("b", "RENDERING", 4, 4),
            clip("c", "UPLOADING", 0, 2),
        ];
        let next = [
            clip("a", "UPLOADING", 3, 4),
            clip("b", "COMPLETE", 4, 4),
            clip("d", "INITIATING", 0, 1),
        ];
        assert_eq!(
            names(&diff(&prev, &next)),
            [
                "progress a Some(1)->Some(3)",
                "status b RENDERING->COMPLETE",
                "terminal b",
                "appeared d",
                "disappeared c",
            ]
        );
    }

    #[test]
    fn unchanged_snapshot_has_no_events_and_terminal_is_reported_once() {
        let snap = [clip("a", "COMPLETE", 4, 4), clip("b", "UPLOADING", 1, 2)];
        assert!(diff(&snap, &snap).is_empty());
        let unknown = [clip("a", "SOMETHING_NEW", 4, 4)];
        assert_eq!(
            names(&diff(&snap[..1], &unknown)),
            ["status a COMPLETE->SOMETHING_NEW"]
        );
    }

    #[test]
    fn clips_without_ids_and_duplicates_are_not_tracked_twice() {
        let anonymous = OwnedClip::parse(br#"{"status":"UPLOADING"}"#).unwrap();
        let next = [
            anonymous,
            clip("a", "UPLOADING", 1, 2),
            clip("a", "UPLOADING", 1, 2),
        ];
        assert_eq!(names(&diff(&[], &next)), ["appeared a"]);
        assert_eq!(names(&diff(&next, &[])), ["disappeared a"]);
    }

    #[test]
    fn only_client_errors_and_config_are_fatal() {
        let status = |code| {
            Error::new(ErrorKind::Status {
                status: http::StatusCode::from_u16(code).unwrap(),
                excerpt: String::new(),
                hint: None,
            })
        };
        assert!(is_fatal(&status(401)));
        assert!(is_fatal(&status(400)));
        assert!(!is_fatal(&status(503)));
        assert!(is_fatal(&Error::config("x")));
        assert!(!is_fatal(&Error::new(ErrorKind::Transport)));
    }
}
