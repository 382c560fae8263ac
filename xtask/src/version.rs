//! Semantic versions and the bump a release asks for.

use std::fmt;

/// A `MAJOR.MINOR.PATCH` version (pre-release and build metadata are refused:
/// releases here are plain versions).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Version {
    /// Incompatible API changes.
    pub major: u64,
    /// Added functionality.
    pub minor: u64,
    /// Fixes.
    pub patch: u64,
}

impl Version {
    /// Parses `1.2.3`.
    pub fn parse(text: &str) -> Result<Version, String> {
        let bad = || format!("not a MAJOR.MINOR.PATCH version: {text:?}");
        let mut parts = text.trim().split('.');
        let mut next = || -> Result<u64, String> {
            let part = parts.next().ok_or_else(bad)?;
            if part.is_empty() || (part.len() > 1 && part.starts_with('0')) {
                return Err(bad());
            }
            part.parse().map_err(|_| bad())
        };
        let v = Version {
            major: next()?,
            minor: next()?,
            patch: next()?,
        };
        if parts.next().is_some() {
            return Err(bad());
        }
        Ok(v)
    }

    /// The version a release of `level` (`major`, `minor`, `patch` or an
    /// explicit `X.Y.Z`) makes from this one; it must be newer.
    pub fn bump(self, level: &str) -> Result<Version, String> {
        let next = match level {
            "major" => Version {
                major: self.major + 1,
                minor: 0,
                patch: 0,
            },
            "minor" => Version {
                major: self.major,
                minor: self.minor + 1,
                patch: 0,
            },
            "patch" => Version {
                patch: self.patch + 1,
                ..self
            },
            explicit => Version::parse(explicit)
                .map_err(|e| format!("{e} (expected major, minor, patch or X.Y.Z)"))?,
        };
        if next <= self {
            return Err(format!("{next} is not newer than the current {self}"));
        }
        Ok(next)
    }

    /// Whether going from `self` to `next` may break the public API under
    /// Cargo's rules: a new major, or a new minor while the major is 0.
    pub fn allows_breaking(self, next: Version) -> bool {
        if self.major == 0 {
            next.major > 0 || next.minor > self.minor
        } else {
            next.major > self.major
        }
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", self.major, self.minor, self.patch)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(text: &str) -> Version {
        Version::parse(text).expect("valid version")
    }

    #[test]
    fn parses_plain_versions_only() {
        assert_eq!(
            v("0.1.0"),
            Version {
                major: 0,
                minor: 1,
                patch: 0
            }
        );
        for bad in [
            "",
            "1",
            "1.2",
            "1.2.3.4",
            "1.2.x",
            "01.2.3",
            "1.2.3-rc.1",
            "-1.0.0",
        ] {
            assert!(Version::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn bumps() {
        assert_eq!(v("0.1.7").bump("patch"), Ok(v("0.1.8")));
        assert_eq!(v("0.1.7").bump("minor"), Ok(v("0.2.0")));
        assert_eq!(v("0.1.7").bump("major"), Ok(v("1.0.0")));
        assert_eq!(v("1.4.2").bump("major"), Ok(v("2.0.0")));
        assert_eq!(v("0.1.0").bump("0.3.1"), Ok(v("0.3.1")));
    }

    #[test]
    fn refuses_going_back_or_nonsense() {
        assert!(v("0.2.0").bump("0.1.9").is_err());
        assert!(v("0.2.0").bump("0.2.0").is_err());
        assert!(v("0.2.0").bump("huge").is_err());
    }

    #[test]
    fn breaking_allowance_follows_cargo() {
        assert!(v("0.1.0").allows_breaking(v("0.2.0")));
        assert!(!v("0.1.0").allows_breaking(v("0.1.1")));
        assert!(v("0.9.3").allows_breaking(v("1.0.0")));
        assert!(!v("1.2.0").allows_breaking(v("1.3.0")));
        assert!(v("1.2.0").allows_breaking(v("2.0.0")));
    }
}
