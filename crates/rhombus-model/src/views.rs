//! Derived views of a clip: progress, times, terminal state.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::model::ids::DeviceFacetUuid;
use crate::schema::{DeviceProgress, SplicedClip};

/// Segments uploaded out of segments expected.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Progress {
    /// Segments uploaded.
    pub uploaded: u64,
    /// Segments expected.
    pub total: u64,
}

impl Progress {
    /// Progress from the API's two optional counts (negative counts read as 0).
    pub fn from_counts(uploaded: Option<i32>, total: Option<i32>) -> Option<Self> {
        let clamp = |v: i32| u64::try_from(v).unwrap_or(0);
        Some(Progress {
            uploaded: clamp(uploaded?),
            total: clamp(total?),
        })
    }

    /// The fraction done in `0.0..=1.0`, or `None` when nothing is expected yet.
    pub fn fraction(&self) -> Option<f64> {
        (self.total > 0).then(|| (self.uploaded as f64 / self.total as f64).min(1.0))
    }

    /// The fraction as a whole percentage, rounded down, so 100 only when
    /// done (`None` when the total is 0).
    pub fn percent(&self) -> Option<u8> {
        // In integers: 29/100 as a float times 100 is 28.999….
        let uploaded = u128::from(self.uploaded.min(self.total));
        (self.total > 0).then(|| (uploaded * 100 / u128::from(self.total)) as u8)
    }

    /// Whether every expected segment is uploaded.
    pub fn is_done(&self) -> bool {
        self.total > 0 && self.uploaded >= self.total
    }
}

impl std::ops::Add for Progress {
    type Output = Progress;
    fn add(self, rhs: Progress) -> Progress {
        Progress {
            uploaded: self.uploaded.saturating_add(rhs.uploaded),
            total: self.total.saturating_add(rhs.total),
        }
    }
}

impl DeviceProgress<'_> {
    /// This device's progress, when both counts are present.
    pub fn progress(&self) -> Option<Progress> {
        Progress::from_counts(self.segments_uploaded, self.total_segments)
    }
}

/// Epoch milliseconds as a time value (`None` if out of `SystemTime`'s range).
pub fn epoch_ms(ms: i64) -> Option<SystemTime> {
    let magnitude = Duration::from_millis(ms.unsigned_abs());
    if ms >= 0 {
        UNIX_EPOCH.checked_add(magnitude)
    } else {
        UNIX_EPOCH.checked_sub(magnitude)
    }
}

impl<'a> SplicedClip<'a> {
    /// Overall progress: the clip's own counts when present, otherwise the sum
    /// over its devices.
    pub fn progress(&self) -> Option<Progress> {
        Progress::from_counts(self.segments_uploaded, self.total_segments).or_else(|| {
            self.devices()
                .filter_map(|(_, d)| d.progress())
                .reduce(|a, b| a + b)
        })
    }

    /// Per-device progress: `deviceMap`, or `deviceUuidMap` when that is
    /// absent; each device once (its first entry, if the server repeated
    /// it), as [`FacetMap::get`](crate::FacetMap) reads it.
    pub fn devices(
        &self,
    ) -> impl Iterator<Item = (&'a DeviceFacetUuid<'a>, &'a DeviceProgress<'a>)> + use<'a> {
        self.device_map
            .or(self.device_uuid_map)
            .into_iter()
            .flat_map(|m| m.iter())
    }

    /// Whether the clip's status is terminal (`COMPLETE`, `FAILED`, `DELETED`).
    pub fn is_terminal(&self) -> bool {
        self.status.as_ref().is_some_and(|s| s.is_terminal())
    }

    /// The clip's id as text (`""` when the server sent none).
    pub fn id(&self) -> &'a str {
        self.clip_uuid.map_or("", |u| u.as_str())
    }

    /// Start of the footage.
    pub fn start_time(&self) -> Option<SystemTime> {
        self.start_time.and_then(epoch_ms)
    }

    /// When the status last changed.
    pub fn status_updated_at(&self) -> Option<SystemTime> {
        self.status_updated_at_ms.and_then(epoch_ms)
    }

    /// When the job was created.
    pub fn created_at(&self) -> Option<SystemTime> {
        self.timestamp_ms.and_then(epoch_ms)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::containers::{Item, Map};

    fn device(up: i32, total: i32) -> DeviceProgress<'static> {
        DeviceProgress {
            segments_uploaded: Some(up),
            total_segments: Some(total),
            ..Default::default()
        }
    }

    #[test]
    fn progress_prefers_clip_counts_then_sums_devices() {
        let mut clip = SplicedClip::default();
        assert_eq!(clip.progress(), None);
        let entries = [
            ("A.v0".into(), Item::Value(device(2, 10))),
            ("B.v0".into(), Item::Value(device(5, 10))),
            // A repeated device counts once, as `get` reads it: the first.
            ("A.v0".into(), Item::Value(device(9, 9))),
            ("C.v0".into(), Item::Null),
        ];
        clip.device_map = Some(Map::new(&entries));
        assert_eq!(
            clip.progress(),
            Some(Progress {
                uploaded: 7,
                total: 20
            })
        );
        assert_eq!(clip.progress().and_then(|p| p.percent()), Some(35));
        clip.segments_uploaded = Some(1);
        clip.total_segments = Some(4);
        assert_eq!(clip.progress().and_then(|p| p.fraction()), Some(0.25));
    }

    #[test]
    fn percent_is_exact_and_rounds_down() {
        let percent = |uploaded, total| Progress { uploaded, total }.percent();
        // Each of these came out one short in floating point.
        for (up, total, want) in [(29, 100, 29), (57, 100, 57), (58, 100, 58), (29, 50, 58)] {
            assert_eq!(percent(up, total), Some(want), "{up}/{total}");
        }
        // The floor of up/total in percent: p·total ≤ 100·up < (p+1)·total.
        for total in 1..=300u64 {
            for up in 0..=total {
                let p = u64::from(percent(up, total).unwrap());
                assert!(
                    p * total <= 100 * up && 100 * up < (p + 1) * total,
                    "{up}/{total}"
                );
            }
        }
        assert_eq!(percent(199, 200), Some(99), "100 only when done");
        assert_eq!(percent(u64::MAX - 1, u64::MAX), Some(99));
        assert_eq!(percent(u64::MAX, u64::MAX), Some(100));
        assert_eq!(percent(1, 0), None);
    }

    #[test]
    fn odd_counts_do_not_panic() {
        let p = Progress::from_counts(Some(-5), Some(0)).unwrap_or_default();
        assert_eq!(p.fraction(), None);
        let over = Progress::from_counts(Some(i32::MAX), Some(1)).unwrap_or_default();
        assert_eq!(over.fraction(), Some(1.0));
        assert!(over.is_done());
    }

    #[test]
    fn epoch_ms_extremes() {
        assert_eq!(epoch_ms(0), Some(UNIX_EPOCH));
        assert_eq!(
            epoch_ms(1_000),
            UNIX_EPOCH.checked_add(Duration::from_secs(1))
        );
        let _ = epoch_ms(i64::MIN);
        let _ = epoch_ms(i64::MAX);
    }
}
