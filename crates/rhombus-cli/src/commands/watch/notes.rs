//! [`Notes`]: what a watch warns about once, however many polls repeat it —
//! values that did not fit, statuses this version does not know, a uuid
//! listed twice — and what the end of the watch should say about them.

use std::collections::{HashMap, HashSet};

use rhombus_model::{DecodeError, OwnedClip};

use crate::output::text::sanitize;
use rhombus_transport::shorten;

/// The warnings given so far, each once.
#[derive(Default)]
pub struct Notes {
    /// (clip, cause) pairs warned about.
    warned: HashSet<(String, String)>,
    /// How many distinct values did not fit.
    pub undecoded: usize,
    /// Clips whose status this version does not know, with that status.
    unknown_status: HashMap<String, String>,
    /// Clips listed more than once in one answer.
    twice: HashSet<String>,
}

/// Server text (an id, a status) as a message shows it: one line, cut.
pub fn shown(text: &str) -> String {
    shorten(&sanitize(text)).into_owned()
}

/// Which clip a problem is in: its id, or `element N` for an element of
/// the list that is no clip; and the cause (the problem without the index).
fn place(problem: &DecodeError, clips: &[OwnedClip]) -> (String, String) {
    let path = problem.path();
    let index = path
        .strip_prefix("splicedClips[")
        .and_then(|rest| rest.split(']').next())
        .and_then(|n| n.parse::<usize>().ok());
    let clip = index.and_then(|i| clips.iter().find(|c| c.index() == i));
    let who = match (clip, index) {
        (Some(clip), _) if !clip.get().id().is_empty() => format!("clip {}", clip.get().id()),
        (_, Some(i)) => format!("element {i} of splicedClips"),
        (_, None) => "the response".to_owned(),
    };
    let within = match index {
        Some(i) => path.trim_start_matches(&format!("splicedClips[{i}]")),
        None => path,
    };
    (shown(&who), format!("{within} {}", problem.message()))
}

impl Notes {
    /// The new warnings a poll's answer brings: each problem once per clip
    /// and cause (`wanted` says which clips matter), each clip with an
    /// unknown status or listed twice once.
    pub fn poll(
        &mut self,
        clips: &[OwnedClip],
        problems: &[DecodeError],
        wanted: impl Fn(&str) -> bool,
    ) -> Vec<String> {
        let mut new = Vec::new();
        for problem in problems {
            let (who, cause) = place(problem, clips);
            let id = who.strip_prefix("clip ").unwrap_or("");
            if (id.is_empty() || wanted(id)) && self.warned.insert((who.clone(), cause)) {
                self.undecoded += 1;
                let problem = shorten(&problem.to_string()).into_owned();
                new.push(format!("{who}: {problem}; kept in the output"));
            }
        }
        let mut seen = HashSet::new();
        for clip in clips.iter().map(OwnedClip::get) {
            let id = clip.id();
            if id.is_empty() || !wanted(id) {
                continue;
            }
            if !seen.insert(id) && self.twice.insert(id.to_owned()) {
                new.push(format!(
                    "clip {} is listed more than once in one answer; the first is watched",
                    shown(id)
                ));
            }
            let Some(status) = clip.status.filter(|s| s.is_other()) else {
                continue;
            };
            let known = self.unknown_status.get(id).map(String::as_str);
            if known != Some(status.as_str()) {
                self.unknown_status
                    .insert(id.to_owned(), status.as_str().to_owned());
                new.push(format!(
                    "clip {} has status {:?}, which this version does not know: \
                     whether it finished cannot be told (the watch waits for it until --deadline)",
                    shown(id),
                    shown(status.as_str())
                ));
            }
        }
        new
    }

    /// Why a clip still waited for at the deadline may never end, if known.
    pub fn why_pending(&self, clip: &OwnedClip) -> Option<String> {
        let clip = clip.get();
        let id = clip.id();
        let unknown = clip
            .status
            .filter(|s| s.is_other())
            .map(|s| format!("status {:?} is unknown to this version", shown(s.as_str())));
        let twice = self
            .twice
            .contains(id)
            .then(|| "its uuid is listed more than once".to_owned());
        let reasons: Vec<String> = unknown.into_iter().chain(twice).collect();
        (!reasons.is_empty()).then(|| reasons.join(", "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::commands::watch::test_support::clips;

    #[test]
    fn each_problem_is_warned_once_per_clip_and_cause() {
        let body = br#"{"splicedClips":[{"clipUuid":"A","duration":"x"},42,{"clipUuid":"B","duration":"x"}]}"#;
        let (snapshot, problems) = clips(body);
        assert_eq!(problems.len(), 3, "{problems:?}");
        let mut notes = Notes::default();
        let first = notes.poll(&snapshot, &problems, |_| true);
        assert_eq!(first.len(), 3, "{first:?}");
        assert!(first[0].starts_with("clip A: ") && first[0].contains("splicedClips[0].duration"));
        assert!(first[1].starts_with("element 1 of splicedClips: "));
        assert!(
            notes.poll(&snapshot, &problems, |_| true).is_empty(),
            "not again"
        );
        assert_eq!(notes.undecoded, 3);
        // The same clip and cause at another place in the list: not again.
        let moved = br#"{"splicedClips":[{"clipUuid":"B","duration":"x"},{"clipUuid":"A","duration":"x"}]}"#;
        let (snapshot, problems) = clips(moved);
        assert!(notes.poll(&snapshot, &problems, |_| true).is_empty());
        let mut only_a = Notes::default();
        assert_eq!(only_a.poll(&snapshot, &problems, |id| id == "A").len(), 1);
    }

    #[test]
    fn unknown_statuses_and_repeated_uuids_are_named_once() {
        let body = br#"{"splicedClips":[{"clipUuid":"A","status":"ARCHIVED"},{"clipUuid":"B","status":"UPLOADING"},{"clipUuid":"B","status":"UPLOADING"}]}"#;
        let (snapshot, problems) = clips(body);
        let mut notes = Notes::default();
        let new = notes.poll(&snapshot, &problems, |_| true);
        assert_eq!(new.len(), 2, "{new:?}");
        assert!(new.iter().any(|w| w.contains("\"ARCHIVED\"")));
        assert!(
            new.iter()
                .any(|w| w.contains("clip B is listed more than once"))
        );
        assert!(notes.poll(&snapshot, &problems, |_| true).is_empty());
        assert_eq!(
            notes.why_pending(&snapshot[0]).unwrap(),
            "status \"ARCHIVED\" is unknown to this version"
        );
        assert_eq!(
            notes.why_pending(&snapshot[1]).unwrap(),
            "its uuid is listed more than once"
        );
    }
}
