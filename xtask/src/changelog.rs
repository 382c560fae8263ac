//! `CHANGELOG.md` in Keep a Changelog form: moving `Unreleased` under a version.

use std::time::{SystemTime, UNIX_EPOCH};

use crate::version::Version;

/// The changelog with its `## [Unreleased]` section renamed to
/// `## [version] - date`, a fresh empty `Unreleased` section above it, and the
/// compare links at the bottom (if any) updated.
///
/// Fails when there is no `Unreleased` section or it says nothing: a release
/// without release notes is a mistake.
pub fn release(
    text: &str,
    version: Version,
    date: &str,
    previous: Option<Version>,
) -> Result<String, String> {
    let lines: Vec<&str> = text.lines().collect();
    let start = lines
        .iter()
        .position(|l| is_unreleased_heading(l))
        .ok_or("CHANGELOG.md has no `## [Unreleased]` section")?;
    let end = section_end(&lines, start);
    let says_something = lines[start + 1..end]
        .iter()
        .any(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'));
    if !says_something {
        return Err(
            "the Unreleased section of CHANGELOG.md is empty: describe the changes first".into(),
        );
    }
    let mut out: Vec<String> = Vec::with_capacity(lines.len() + 4);
    for (i, line) in lines.iter().enumerate() {
        if i == start {
            out.push("## [Unreleased]".to_owned());
            out.push(String::new());
            out.push(format!("## [{version}] - {date}"));
        } else if let Some(url) = line.strip_prefix("[Unreleased]:") {
            match repo_base(url.trim()) {
                Some(base) => {
                    out.push(format!("[Unreleased]: {base}/compare/v{version}...HEAD"));
                    out.push(match previous {
                        Some(prev) => format!("[{version}]: {base}/compare/v{prev}...v{version}"),
                        None => format!("[{version}]: {base}/releases/tag/v{version}"),
                    });
                }
                None => out.push((*line).to_owned()),
            }
        } else {
            out.push((*line).to_owned());
        }
    }
    let mut joined = out.join("\n");
    joined.push('\n');
    Ok(joined)
}

/// The body of the `## [version]` section (for the tag message).
pub fn section(text: &str, version: Version) -> Option<String> {
    let lines: Vec<&str> = text.lines().collect();
    let wanted = format!("## [{version}]");
    let start = lines.iter().position(|l| l.starts_with(&wanted))?;
    let end = section_end(&lines, start);
    Some(lines[start + 1..end].join("\n").trim().to_owned())
}

fn is_unreleased_heading(line: &str) -> bool {
    let Some(rest) = line.strip_prefix("## ") else {
        return false;
    };
    let name = rest.trim().trim_start_matches('[').trim_end_matches(']');
    name.eq_ignore_ascii_case("unreleased")
}

/// The line after the last line of the section starting at `start`.
fn section_end(lines: &[&str], start: usize) -> usize {
    lines[start + 1..]
        .iter()
        .position(|l| l.starts_with("## ") || is_link_definition(l))
        .map_or(lines.len(), |i| start + 1 + i)
}

fn is_link_definition(line: &str) -> bool {
    line.starts_with('[') && line.contains("]: ")
}

/// `https://host/owner/repo` from a compare, commits or tree link.
fn repo_base(url: &str) -> Option<&str> {
    ["/compare/", "/commits/", "/tree/", "/releases/"]
        .iter()
        .find_map(|marker| url.find(marker).map(|i| &url[..i]))
}

/// Today's date in UTC, `YYYY-MM-DD`.
pub fn today() -> String {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let (y, m, d) = civil_from_days((secs / 86_400) as i64);
    format!("{y:04}-{m:02}-{d:02}")
}

/// The proleptic Gregorian date of a day counted from 1970-01-01
/// (Howard Hinnant's `civil_from_days`).
pub fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    const BEFORE: &str = "# Changelog

All notable changes to this project are documented here.

## [Unreleased]

### Added
- Fuzz targets.

## [0.1.0] - 2026-01-02

### Added
- First release.

[Unreleased]: https://github.com/o/r/compare/v0.1.0...HEAD
[0.1.0]: https://github.com/o/r/releases/tag/v0.1.0
";

    fn v(s: &str) -> Version {
        Version::parse(s).expect("version")
    }

    #[test]
    fn unreleased_moves_under_the_new_version() {
        let after = release(BEFORE, v("0.2.0"), "2026-11-28", Some(v("0.1.0"))).expect("ok");
        let expected = "# Changelog

All notable changes to this project are documented here.

## [Unreleased]

## [0.2.0] - 2026-11-28

### Added
- Fuzz targets.

## [0.1.0] - 2026-01-02

### Added
- First release.

[Unreleased]: https://github.com/o/r/compare/v0.2.0...HEAD
[0.2.0]: https://github.com/o/r/compare/v0.1.0...v0.2.0
[0.1.0]: https://github.com/o/r/releases/tag/v0.1.0
";
        assert_eq!(after, expected);
        assert_eq!(
            section(&after, v("0.2.0")).as_deref(),
            Some("### Added\n- Fuzz targets.")
        );
    }

    #[test]
    fn first_release_links_to_its_tag() {
        let text =
            "## [Unreleased]\n- Something.\n\n[Unreleased]: https://github.com/o/r/commits/HEAD\n";
        let after = release(text, v("0.1.0"), "2026-11-28", None).expect("ok");
        assert!(after.contains("[0.1.0]: https://github.com/o/r/releases/tag/v0.1.0"));
        assert!(after.contains("[Unreleased]: https://github.com/o/r/compare/v0.1.0...HEAD"));
    }

    #[test]
    fn refuses_missing_or_empty_unreleased() {
        assert!(release("# Changelog\n", v("0.2.0"), "d", None).is_err());
        let empty = "## [Unreleased]\n\n### Added\n\n## [0.1.0] - x\n- a\n";
        let err = release(empty, v("0.2.0"), "d", None).expect_err("empty");
        assert!(err.contains("empty"), "{err}");
    }

    #[test]
    fn dates() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(19_782), (2024, 2, 29));
        assert_eq!(civil_from_days(20_785), (2026, 11, 28));
        assert_eq!(civil_from_days(-1), (1969, 12, 31));
        assert_eq!(today().len(), 10);
    }
}
