//! [`Tracker`]: every clip a watch has seen, when the watch is over, and ETAs.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use rhombus_model::{OwnedClip, SplicedClip};
use rhombus_transport::WatchEvent;

use super::Scope;
use crate::output::text::sanitize;

/// What is known about one clip.
struct Seen {
    /// As last seen: a handle on the latest poll while the clip is listed,
    /// a detached copy once it is gone, so no older poll's answer is kept
    /// for one of its clips, however long the watch runs.
    clip: OwnedClip,
    first: (Instant, u64),
    finished: bool,
    gone: bool,
    /// Seen in the first poll.
    initial: bool,
    /// Already terminal when first seen (its `Terminal` event says nothing new).
    born_terminal: bool,
}

/// Every clip seen so far, in the order they appeared.
#[derive(Default)]
pub struct Tracker {
    order: Vec<String>,
    clips: HashMap<String, Seen>,
    polls: u64,
}

impl Tracker {
    fn update(&mut self, owned: &OwnedClip, now: Instant) {
        let clip = owned.get();
        let uploaded = clip.progress().map_or(0, |p| p.uploaded);
        match self.clips.get_mut(clip.id()) {
            Some(seen) => seen.clip = owned.clone(),
            None => {
                self.order.push(clip.id().to_owned());
                self.clips.insert(
                    clip.id().to_owned(),
                    Seen {
                        clip: owned.clone(),
                        first: (now, uploaded),
                        finished: false,
                        gone: false,
                        initial: self.polls == 0,
                        born_terminal: clip.is_terminal(),
                    },
                );
            }
        }
    }

    /// Records one event.
    pub fn apply(&mut self, event: &WatchEvent, now: Instant) {
        match event {
            WatchEvent::Appeared(clip)
            | WatchEvent::StatusChanged { clip, .. }
            | WatchEvent::ProgressAdvanced { clip, .. } => self.update(clip, now),
            WatchEvent::Terminal(clip) => {
                self.update(clip, now);
                if let Some(seen) = self.clips.get_mut(clip.get().id()) {
                    seen.finished = true;
                }
            }
            WatchEvent::Disappeared(clip) => {
                if let Some(seen) = self.clips.get_mut(clip.get().id()) {
                    seen.gone = true;
                    seen.clip = clip.detach();
                }
            }
            WatchEvent::Polled { clips, .. } => {
                self.polls += 1;
                // Unchanged clips move to this poll's answer too (the first
                // of a repeated uuid, as the events do), so the previous
                // answer can go.
                for clip in clips.iter() {
                    if let Some(seen) = self.clips.get_mut(clip.get().id()) {
                        if !seen.gone && !Arc::ptr_eq(seen.clip.response(), clip.response()) {
                            seen.clip = clip.clone();
                        }
                    }
                }
            }
            _ => {}
        }
    }

    /// Whether the watch is over: every clip in `scope` finished or gone (after at
    /// least one poll; a first poll with no clips ends it at once).
    pub fn done(&self, scope: Scope<'_>) -> bool {
        self.polls > 0 && self.pending(scope).next().is_none() && !self.awaits(scope)
    }

    /// Whether `scope` names a clip not seen yet.
    fn awaits(&self, scope: Scope<'_>) -> bool {
        matches!(scope, Scope::Clip(id) if !self.clips.contains_key(id))
    }

    /// The clips in `scope` still waited for (neither finished nor gone),
    /// as last seen, in first-seen order.
    pub fn pending<'t>(&'t self, scope: Scope<'t>) -> impl Iterator<Item = &'t OwnedClip> {
        self.order.iter().filter_map(move |id| {
            let seen = &self.clips[id];
            let in_scope = match scope {
                Scope::Clip(wanted) => id == wanted,
                Scope::Follow => true,
                Scope::FirstPoll => seen.initial,
            };
            (in_scope && !seen.finished && !seen.gone).then_some(&seen.clip)
        })
    }

    /// Whether `id` is in `scope`, as far as has been seen.
    pub fn in_scope(&self, scope: Scope<'_>, id: &str) -> bool {
        match scope {
            Scope::Clip(wanted) => id == wanted,
            Scope::Follow => true,
            Scope::FirstPoll => self.clips.get(id).is_some_and(|s| s.initial),
        }
    }

    /// Whether the watch has polled and `id` was never among the clips: a
    /// `--clip` that would wait forever.
    pub fn never_saw(&self, id: &str) -> bool {
        self.polls > 0 && !self.clips.contains_key(id)
    }

    /// Whether the clip was already terminal when first seen.
    pub fn born_terminal(&self, id: &str) -> bool {
        self.clips.get(id).is_some_and(|s| s.born_terminal)
    }

    /// The estimated time left for a clip, from its upload rate since first seen.
    pub fn eta(&self, clip: &SplicedClip<'_>, now: Instant) -> Option<Duration> {
        if clip.is_terminal() {
            return None;
        }
        let seen = self.clips.get(clip.id())?;
        let progress = clip.progress()?;
        eta(seen.first, (now, progress.uploaded), progress.total)
    }

    /// `3 clips: 2 COMPLETE, 1 FAILED` (counts by last status, in first-seen order).
    pub fn summary(&self) -> String {
        let mut counts: Vec<(String, usize)> = Vec::new();
        for id in &self.order {
            let seen = &self.clips[id];
            let label = match (&seen.clip.get().status, seen.gone && !seen.finished) {
                (_, true) => "gone".to_owned(),
                (Some(status), false) => sanitize(status.as_str()),
                (None, false) => "no status".to_owned(),
            };
            match counts.iter_mut().find(|(l, _)| *l == label) {
                Some((_, n)) => *n += 1,
                None => counts.push((label, 1)),
            }
        }
        let parts: Vec<String> = counts.iter().map(|(l, n)| format!("{n} {l}")).collect();
        match self.order.len() {
            0 => "no clips in progress".to_owned(),
            1 => format!("1 clip: {}", parts.join(", ")),
            n => format!("{n} clips: {}", parts.join(", ")),
        }
    }
}

/// Time left at the average rate between `first` and `now` (instant, segments uploaded).
pub fn eta(first: (Instant, u64), now: (Instant, u64), total: u64) -> Option<Duration> {
    let elapsed = now.0.checked_duration_since(first.0)?;
    let done = now.1.checked_sub(first.1)?;
    if done == 0 || elapsed.is_zero() || now.1 >= total {
        return None;
    }
    let left = (total - now.1) as f64;
    let secs = elapsed.as_secs_f64() * left / done as f64;
    (secs.is_finite() && secs < 86_400.0 * 365.0).then(|| Duration::from_secs(secs.ceil() as u64))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::commands::watch::test_support::clip;

    #[test]
    fn eta_from_average_rate() {
        let t0 = Instant::now();
        let t1 = t0 + Duration::from_secs(10);
        assert_eq!(eta((t0, 2), (t1, 7), 12), Some(Duration::from_secs(10)));
        assert_eq!(eta((t0, 2), (t1, 2), 12), None, "no progress, no estimate");
        assert_eq!(eta((t0, 2), (t1, 12), 12), None, "done");
        assert_eq!(eta((t1, 2), (t0, 7), 12), None, "time went backwards");
        assert_eq!(eta((t0, 9), (t1, 7), 12), None, "progress went backwards");
    }

    #[test]
    fn done_when_every_seen_clip_is_over() {
        let now = Instant::now();
        let mut t = Tracker::default();
        assert!(!t.done(Scope::FirstPoll), "nothing polled yet");
        t.apply(&WatchEvent::Appeared(clip("A", "UPLOADING", 1, 4)), now);
        t.apply(&WatchEvent::Appeared(clip("B", "UPLOADING", 1, 4)), now);
        t.apply(&polled(), now);
        assert!(!t.done(Scope::FirstPoll));
        t.apply(&WatchEvent::Appeared(clip("C", "INITIATING", 0, 4)), now);
        t.apply(&WatchEvent::Terminal(clip("A", "COMPLETE", 4, 4)), now);
        assert!(t.done(Scope::Clip("A")));
        assert!(!t.done(Scope::FirstPoll));
        assert!(!t.done(Scope::Clip("Z")), "an unseen clip is not done");
        t.apply(&WatchEvent::Disappeared(clip("B", "UPLOADING", 2, 4)), now);
        assert!(t.done(Scope::FirstPoll), "C came later");
        assert!(!t.done(Scope::Follow), "C is still running");
        t.apply(&WatchEvent::Terminal(clip("C", "FAILED", 1, 4)), now);
        assert!(t.done(Scope::Follow));
        assert_eq!(t.summary(), "3 clips: 1 COMPLETE, 1 gone, 1 FAILED");
        t.apply(&WatchEvent::Appeared(clip("D", "ARCHIVED", 1, 4)), now);
        assert!(!t.done(Scope::Follow), "an unknown status is not an end");
        let pending: Vec<&str> = t.pending(Scope::Follow).map(|c| c.get().id()).collect();
        assert_eq!(pending, ["D"]);
    }

    fn polled() -> WatchEvent {
        WatchEvent::Polled {
            clips: std::sync::Arc::from(Vec::new()),
            problems: Vec::new(),
            warning: None,
        }
    }

    /// A poll's answer with `A` and, if `with_b`, `B`: its clips, as the
    /// transport hands them over.
    fn poll(a_uploaded: i32, with_b: bool) -> Arc<[OwnedClip]> {
        let a =
            format!(r#"{{"clipUuid":"A","status":"UPLOADING","segmentsUploaded":{a_uploaded}}}"#);
        let b = r#",{"clipUuid":"B","status":"UPLOADING"}"#;
        let body = format!("{{\"splicedClips\":[{a}{}]}}", if with_b { b } else { "" });
        crate::commands::watch::test_support::clips(body.as_bytes())
            .0
            .into()
    }

    fn snapshot(clips: &Arc<[OwnedClip]>) -> WatchEvent {
        WatchEvent::Polled {
            clips: Arc::clone(clips),
            problems: Vec::new(),
            warning: None,
        }
    }

    #[test]
    fn a_long_watch_keeps_no_older_poll_for_its_clips() {
        let now = Instant::now();
        let mut t = Tracker::default();
        let first = poll(1, true);
        let answer = |clips: &Arc<[OwnedClip]>| Arc::clone(clips[0].response());
        let first_answer = answer(&first);
        for clip in first.iter() {
            t.apply(&WatchEvent::Appeared(clip.clone()), now);
        }
        t.apply(&snapshot(&first), now);
        drop(first);

        // A moved on, B did not: both now point at the second answer.
        let second = poll(2, true);
        let second_answer = answer(&second);
        t.apply(
            &WatchEvent::ProgressAdvanced {
                clip: second[0].clone(),
                previous: None,
            },
            now,
        );
        t.apply(&snapshot(&second), now);
        assert_eq!(
            Arc::strong_count(&first_answer),
            1,
            "the first answer is free"
        );

        // B left: its last state is a copy of its own.
        let third = poll(3, false);
        t.apply(&WatchEvent::Disappeared(second[1].clone()), now);
        drop(second);
        t.apply(&snapshot(&third), now);
        assert_eq!(
            Arc::strong_count(&second_answer),
            1,
            "the second answer is free"
        );
        let b = &t.clips["B"];
        assert!(b.gone);
        assert_eq!(b.clip.get().id(), "B", "its last state is kept");
        assert_eq!(t.summary(), "2 clips: 1 UPLOADING, 1 gone");
    }

    #[test]
    fn an_empty_first_poll_ends_the_watch() {
        let mut t = Tracker::default();
        t.apply(&polled(), Instant::now());
        assert!(t.done(Scope::FirstPoll));
        assert!(!t.done(Scope::Clip("A")), "a named clip may still appear");
    }
}
