//! Where requests go: the two regional base URLs and the two twin endpoint paths.

use std::sync::atomic::{AtomicU8, Ordering};

/// Base URL of the US region (the default).
pub const US_BASE_URL: &str = "https://api2.rhombussystems.com";
/// Base URL of the EU region.
pub const EU_BASE_URL: &str = "https://api2.eu.rhombussystems.com";

/// A Rhombus API region.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Region {
    /// `https://api2.rhombussystems.com`.
    #[default]
    Us,
    /// `https://api2.eu.rhombussystems.com`.
    Eu,
}

impl Region {
    /// The region's base URL.
    pub fn base_url(self) -> &'static str {
        match self {
            Region::Us => US_BASE_URL,
            Region::Eu => EU_BASE_URL,
        }
    }

    /// The other region (a key rejected in one region often belongs to the other).
    pub fn other(self) -> Region {
        match self {
            Region::Us => Region::Eu,
            Region::Eu => Region::Us,
        }
    }

    /// The region whose base URL is `url` (ignoring a trailing slash), if any.
    pub fn from_base_url(url: &str) -> Option<Region> {
        let url = url.trim_end_matches('/');
        [Region::Us, Region::Eu]
            .into_iter()
            .find(|r| r.base_url().eq_ignore_ascii_case(url))
    }
}

/// Which of the two twin paths serves the spliced-clips call.
///
/// Both take the same request (`{}`) and return the same response shape.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Endpoint {
    /// `/api/event/getSplicedClipsInProgress` (documented, marked deprecated; the default).
    #[default]
    Event,
    /// `/api/video/getSplicedClipsInProgress` (its non-deprecated twin).
    Video,
}

impl Endpoint {
    /// The URL path of this endpoint.
    pub fn path(self) -> &'static str {
        match self {
            Endpoint::Event => "/api/event/getSplicedClipsInProgress",
            Endpoint::Video => "/api/video/getSplicedClipsInProgress",
        }
    }

    /// The twin endpoint.
    pub fn other(self) -> Endpoint {
        match self {
            Endpoint::Event => Endpoint::Video,
            Endpoint::Video => Endpoint::Event,
        }
    }
}

/// The endpoint currently in use, shared by all clones of a client so a fallback
/// is remembered.
#[derive(Debug)]
pub(crate) struct CurrentEndpoint(AtomicU8);

impl CurrentEndpoint {
    pub(crate) fn new(endpoint: Endpoint) -> Self {
        CurrentEndpoint(AtomicU8::new(endpoint as u8))
    }

    pub(crate) fn get(&self) -> Endpoint {
        match self.0.load(Ordering::Relaxed) {
            0 => Endpoint::Event,
            _ => Endpoint::Video,
        }
    }

    /// Switches from `from` to its twin; returns false if another task already switched.
    pub(crate) fn switch_from(&self, from: Endpoint) -> bool {
        self.0
            .compare_exchange(
                from as u8,
                from.other() as u8,
                Ordering::Relaxed,
                Ordering::Relaxed,
            )
            .is_ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn twins_point_at_each_other() {
        assert_eq!(Endpoint::Event.other(), Endpoint::Video);
        assert_eq!(Endpoint::Video.other(), Endpoint::Event);
        assert!(Endpoint::Video.path().starts_with("/api/video/"));
        assert!(Endpoint::Event.path().starts_with("/api/event/"));
    }

    #[test]
    fn current_endpoint_switches_once() {
        let current = CurrentEndpoint::new(Endpoint::Event);
        assert!(current.switch_from(Endpoint::Event));
        assert_eq!(current.get(), Endpoint::Video);
        assert!(
            !current.switch_from(Endpoint::Event),
            "stale switch is ignored"
        );
        assert_eq!(current.get(), Endpoint::Video);
    }

    #[test]
    fn regions_round_trip_through_urls() {
        assert_eq!(Region::from_base_url(EU_BASE_URL), Some(Region::Eu));
        assert_eq!(
            Region::from_base_url("https://api2.rhombussystems.com/"),
            Some(Region::Us)
        );
        assert_eq!(Region::from_base_url("http://127.0.0.1:9"), None);
        assert_eq!(Region::Us.other(), Region::Eu);
    }
}
