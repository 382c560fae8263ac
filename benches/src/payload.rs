//! Deterministic generator of realistic `getSplicedClipsInProgress` responses.
//!
//! A clip is about 2 KB of compact JSON: 1–4 devices, all four facet maps
//! populated, a few escaped titles (`\"`, `\n`, `\u00e9`, surrogate pairs),
//! some nulls, unknown fields the live API sends (`parentClipUuid`,
//! `deviceIntervalMap`, ...) and the odd unknown enum value. The output is
//! written clip by clip, so any size can be produced in constant memory, and
//! the same seed always gives the same bytes.

use std::io::{self, Write};

/// How much to generate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Amount {
    /// Exactly this many clips.
    Clips(u64),
    /// As many whole clips as fit in this many bytes (the response never exceeds it).
    Bytes(u64),
}

/// The seed used when none is given.
pub const DEFAULT_SEED: u64 = 0x5EED_C119;

/// Writes one response to `out`; returns the number of bytes written.
pub fn write_response<W: Write>(out: W, amount: Amount, seed: u64) -> io::Result<u64> {
    let mut out = io::BufWriter::with_capacity(1 << 16, out);
    let mut generator = Generator::new(seed);
    let head = b"{\"error\":false,\"errorMsg\":null,\"splicedClips\":[";
    let mut tail = Vec::new();
    tail.extend_from_slice(b"],\"warningMsg\":null,\"requestId\":\"");
    generator.ruuid(&mut tail);
    tail.extend_from_slice(b"\"}");
    out.write_all(head)?;
    let mut written = head.len() as u64;
    let mut clip = Vec::with_capacity(4096);
    let mut count = 0u64;
    loop {
        if let Amount::Clips(n) = amount {
            if count == n {
                break;
            }
        }
        clip.clear();
        if count > 0 {
            clip.push(b',');
        }
        generator.clip(&mut clip);
        if let Amount::Bytes(limit) = amount {
            if written + (clip.len() + tail.len()) as u64 > limit {
                break;
            }
        }
        out.write_all(&clip)?;
        written += clip.len() as u64;
        count += 1;
    }
    out.write_all(&tail)?;
    out.flush()?;
    Ok(written + tail.len() as u64)
}

/// Generates a response in memory.
pub fn generate(amount: Amount, seed: u64) -> Vec<u8> {
    let mut out = Vec::new();
    // Writing to a Vec cannot fail.
    let _ = write_response(&mut out, amount, seed);
    out
}

/// Parses a size such as `16MiB`, `1GiB`, `512KiB`, `2000000` (bytes).
pub fn parse_size(text: &str) -> Option<u64> {
    let text = text.trim();
    let split = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    let (digits, unit) = text.split_at(split);
    let n: u64 = digits.parse().ok()?;
    let scale: u64 = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "k" | "kib" => 1 << 10,
        "m" | "mib" => 1 << 20,
        "g" | "gib" => 1 << 30,
        "kb" => 1_000,
        "mb" => 1_000_000,
        "gb" => 1_000_000_000,
        _ => return None,
    };
    n.checked_mul(scale)
}

/// Names a size the way the reports do: `1MiB`, `16MiB`, `1GiB`.
pub fn size_name(bytes: u64) -> String {
    if bytes >= 1 << 30 && bytes % (1 << 30) == 0 {
        format!("{}GiB", bytes >> 30)
    } else if bytes >= 1 << 20 && bytes % (1 << 20) == 0 {
        format!("{}MiB", bytes >> 20)
    } else if bytes >= 1 << 10 && bytes % (1 << 10) == 0 {
        format!("{}KiB", bytes >> 10)
    } else {
        format!("{bytes}B")
    }
}

/// SplitMix64: tiny, fast, and stable across versions (unlike a crate's RNG).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n`.
    fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next()) * u128::from(n)) >> 64) as u64
    }

    /// A number in `lo..=hi`.
    fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + self.below((hi - lo + 1) as u64) as i64
    }

    /// True with probability `percent`/100.
    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    fn pick<'t>(&mut self, items: &[&'t str]) -> &'t str {
        items[self.below(items.len() as u64) as usize]
    }
}

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// Statuses as the live API sends them, weighted towards in-progress, plus one
/// value the spec does not list.
const STATUSES: &[&str] = &[
    "UPLOADING",
    "UPLOADING",
    "UPLOADING",
    "INITIATING",
    "RENDERING",
    "RENDERING",
    "COMPLETE",
    "FAILED",
    "OFFLINE",
    "QUEUED",
];
const VISIBILITIES: &[&str] = &["PRIVATE", "ROLE_RESTRICTED", "ORG_WIDE", "ORG_WIDE"];
const INTEGRATIONS: &[&str] = &[
    "WEBHOOKS",
    "GOOGLE",
    "SLACK",
    "MICROSOFT_TEAMS",
    "ZAPIER",
    "LUMEO",
    "AVIGILON_ALTA",
    "SHAREPOINT_ARCHIVE",
];
const REGIONS: &[&str] = &["us-west-2", "us-east-1", "eu-west-1", "eu-central-1"];
/// Titles as JSON string bodies (already escaped), some plain, some not.
const TITLES: &[&str] = &[
    "Front door 08:00-08:15",
    "Loading dock \\u2014 forklift incident",
    "Lobby camera: visitor \\\"J. Smith\\\" badge tailgating",
    "Parking lot B, row 4",
    "Caf\\u00e9 entrance, north side",
    "Warehouse aisle 12\\nsecond angle",
    "Server room \\ud83d\\udcf9 review",
    "Entr\u{e9}e principale \u{2013} r\u{e9}ception",
    "Stairwell C / floor 3",
    "Back gate \\\\ fence line",
    "Perimeter sweep",
    "Shipping & receiving",
];
const WORDS: &[&str] = &[
    "person",
    "vehicle",
    "entered",
    "through",
    "the",
    "north",
    "gate",
    "and",
    "left",
    "a",
    "package",
    "near",
    "reception",
    "after",
    "hours",
    "motion",
    "detected",
    "by",
    "camera",
    "while",
    "alarm",
    "was",
    "armed",
    "review",
    "footage",
    "for",
    "insurance",
    "claim",
];

struct Generator {
    rng: Rng,
    /// Devices of the organization, reused across clips as on a real site.
    devices: Vec<[u8; 22]>,
    users: Vec<[u8; 22]>,
    org: [u8; 22],
    clock_ms: i64,
}

impl Generator {
    fn new(seed: u64) -> Self {
        let mut rng = Rng(seed);
        let id = |rng: &mut Rng| {
            let mut out = [0u8; 22];
            for b in &mut out {
                *b = B64[rng.below(64) as usize];
            }
            out
        };
        let devices = (0..200).map(|_| id(&mut rng)).collect();
        let users = (0..40).map(|_| id(&mut rng)).collect();
        let org = id(&mut rng);
        Generator {
            rng,
            devices,
            users,
            org,
            clock_ms: 1_732_000_000_000,
        }
    }

    fn ruuid(&mut self, out: &mut Vec<u8>) {
        for _ in 0..21 {
            out.push(B64[self.rng.below(64) as usize]);
        }
        // The 22nd character carries 2 bits; its low 4 bits are zero.
        out.push(B64[(self.rng.below(4) << 4) as usize]);
    }

    fn clip(&mut self, out: &mut Vec<u8>) {
        self.clock_ms += self.rng.range(200, 20_000);
        // 1–4 devices, most clips from one or two cameras.
        let n_devices = [1, 1, 1, 1, 2, 2, 2, 3, 3, 4][self.rng.below(10) as usize];
        // Distinct cameras: a device map never has a key twice.
        let mut devices: Vec<[u8; 22]> = Vec::with_capacity(n_devices);
        while devices.len() < n_devices {
            let d = self.devices[self.rng.below(self.devices.len() as u64) as usize];
            if !devices.contains(&d) {
                devices.push(d);
            }
        }
        let audio = self.rng.chance(8);
        let mut facets: Vec<String> = Vec::with_capacity(n_devices * 2);
        for d in &devices {
            let d = String::from_utf8_lossy(d);
            facets.push(format!("{d}.v0"));
            if audio {
                facets.push(format!("{d}.a0"));
            }
        }
        let totals: Vec<i64> = facets.iter().map(|_| self.rng.range(1, 400)).collect();
        let uploaded: Vec<i64> = totals.iter().map(|&t| self.rng.range(0, t)).collect();
        let region = self.rng.pick(REGIONS);
        let status = self.rng.pick(STATUSES);

        out.push(b'{');
        key(out, "accessSettings");
        out.extend_from_slice(b"{");
        key(out, "allowedRoles");
        let roles = self.rng.below(3);
        self.id_list(out, roles);
        out.push(b',');
        key(out, "allowedUsers");
        let users = self.rng.below(4);
        out.push(b'[');
        for i in 0..users {
            if i > 0 {
                out.push(b',');
            }
            let u = self.users[self.rng.below(self.users.len() as u64) as usize];
            string(out, std::str::from_utf8(&u).unwrap_or_default());
        }
        out.push(b']');
        out.push(b',');
        key(out, "visibility");
        string(out, self.rng.pick(VISIBILITIES));
        out.extend_from_slice(b"},");
        key(out, "analyzeClip");
        self.boolean(out, 30);
        key(out, "clipTargetLocation");
        if self.rng.chance(10) {
            out.extend_from_slice(b"null,");
        } else {
            out.push(b'{');
            key(out, "region");
            string(out, region);
            out.extend_from_slice(b"},");
        }
        key(out, "clipUuid");
        self.quoted_ruuid(out);
        out.push(b',');
        key(out, "completedSubClipCount");
        number(out, self.rng.range(0, n_devices as i64));
        out.push(b',');
        key(out, "consoleDelete");
        out.extend_from_slice(b"false,");
        key(out, "deleted");
        self.boolean(out, 2);
        key(out, "description");
        self.description(out);
        out.push(b',');
        if self.rng.chance(30) {
            key(out, "deviceIntervalMap");
            self.interval_map(out, &facets);
            out.push(b',');
        }
        key(out, "deviceMap");
        progress_map(out, &facets, region, &uploaded, &totals);
        out.push(b',');
        key(out, "devicePresentationOrder");
        out.push(b'[');
        for (i, f) in facets.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            string(out, f);
        }
        out.extend_from_slice(b"],");
        key(out, "deviceUuid");
        string(out, &facets[0]);
        out.push(b',');
        key(out, "deviceUuidMap");
        progress_map(out, &facets, region, &uploaded, &totals);
        out.push(b',');
        key(out, "deviceUuidToAlteredViewMap");
        self.facet_lists(out, &facets, true);
        out.push(b',');
        key(out, "deviceUuidToFisheyePresentationMap");
        self.facet_lists(out, &facets, false);
        out.push(b',');
        key(out, "duration");
        number(out, self.rng.range(5, 3600));
        out.push(b',');
        key(out, "expectedSubClipCount");
        number(out, n_devices as i64);
        out.push(b',');
        key(out, "integrationUploadList");
        out.push(b'[');
        for i in 0..self.rng.below(3) {
            if i > 0 {
                out.push(b',');
            }
            string(out, self.rng.pick(INTEGRATIONS));
        }
        out.extend_from_slice(b"],");
        key(out, "isPolicyEvent");
        self.boolean(out, 20);
        key(out, "metadataBucketRegion");
        string(out, region);
        out.push(b',');
        key(out, "orgUuid");
        let org = self.org;
        string(out, std::str::from_utf8(&org).unwrap_or_default());
        out.push(b',');
        if self.rng.chance(25) {
            key(out, "parentClipUuid");
            self.quoted_ruuid(out);
            out.push(b',');
        }
        key(out, "pendingConsumers");
        out.push(b'[');
        if self.rng.chance(40) {
            string(out, "THUMBNAIL");
            out.push(b',');
            string(out, "SEARCH_INDEX");
        }
        out.extend_from_slice(b"],");
        key(out, "saveClip");
        self.boolean(out, 90);
        key(out, "saveFrame");
        self.boolean(out, 10);
        key(out, "segmentsUploaded");
        number(out, uploaded.iter().sum());
        out.push(b',');
        key(out, "sendToSharedStorage");
        self.boolean(out, 5);
        key(out, "startTime");
        number(out, self.clock_ms - self.rng.range(60_000, 86_400_000));
        out.push(b',');
        key(out, "status");
        string(out, status);
        out.push(b',');
        key(out, "statusUpdatedAtMs");
        number(out, self.clock_ms + self.rng.range(0, 600_000));
        out.push(b',');
        key(out, "thumbnailRelativeSecond");
        if self.rng.chance(15) {
            out.extend_from_slice(b"null");
        } else {
            self.float(out);
        }
        out.push(b',');
        key(out, "timestampMs");
        number(out, self.clock_ms);
        out.push(b',');
        key(out, "title");
        string(out, self.rng.pick(TITLES));
        out.push(b',');
        key(out, "totalSegments");
        number(out, totals.iter().sum());
        out.push(b',');
        key(out, "transactionUuid");
        self.quoted_ruuid(out);
        out.push(b',');
        key(out, "userUuid");
        let u = self.users[self.rng.below(self.users.len() as u64) as usize];
        string(out, std::str::from_utf8(&u).unwrap_or_default());
        out.push(b'}');
    }

    fn quoted_ruuid(&mut self, out: &mut Vec<u8>) {
        out.push(b'"');
        self.ruuid(out);
        out.push(b'"');
    }

    fn id_list(&mut self, out: &mut Vec<u8>, n: u64) {
        out.push(b'[');
        for i in 0..n {
            if i > 0 {
                out.push(b',');
            }
            self.quoted_ruuid(out);
        }
        out.push(b']');
    }

    /// Writes `true`/`false` and a comma.
    fn boolean(&mut self, out: &mut Vec<u8>, percent_true: u64) {
        let v: &[u8] = if self.rng.chance(percent_true) {
            b"true,"
        } else {
            b"false,"
        };
        out.extend_from_slice(v);
    }

    /// A float in one of the forms JSON allows: `12.5`, `-0.25`, `90`, `1.5e1`, `2E-3`.
    fn float(&mut self, out: &mut Vec<u8>) {
        let whole = self.rng.range(-90, 179);
        let frac = self.rng.below(1000);
        match self.rng.below(8) {
            0 => number(out, whole),
            1 => {
                let _ = write!(out, "{}.{frac}e1", whole / 10);
            }
            2 => {
                let _ = write!(out, "{frac}E-3");
            }
            _ => {
                let _ = write!(out, "{whole}.{frac}");
            }
        }
    }

    fn description(&mut self, out: &mut Vec<u8>) {
        if self.rng.chance(30) {
            out.extend_from_slice(b"null");
            return;
        }
        out.push(b'"');
        let words = self.rng.range(3, 16);
        for i in 0..words {
            if i > 0 {
                out.push(b' ');
            }
            out.extend_from_slice(self.rng.pick(WORDS).as_bytes());
        }
        if self.rng.chance(20) {
            out.extend_from_slice(b"\\n\\tcase #");
            number(out, self.rng.range(1000, 99999));
        }
        out.push(b'"');
    }

    fn interval_map(&mut self, out: &mut Vec<u8>, facets: &[String]) {
        out.push(b'{');
        for (i, f) in facets.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            key(out, f);
            out.push(b'[');
            let start = self.clock_ms - self.rng.range(60_000, 600_000);
            out.extend_from_slice(b"{\"startMs\":");
            number(out, start);
            out.extend_from_slice(b",\"endMs\":");
            number(out, start + self.rng.range(5_000, 60_000));
            out.extend_from_slice(b"}]");
        }
        out.push(b'}');
    }

    /// `deviceUuidToAlteredViewMap` (`altered`) or `deviceUuidToFisheyePresentationMap`.
    fn facet_lists(&mut self, out: &mut Vec<u8>, facets: &[String], altered: bool) {
        out.push(b'{');
        let mut first = true;
        for f in facets.iter().filter(|f| f.ends_with(".v0")) {
            if !first {
                out.push(b',');
            }
            first = false;
            key(out, f);
            if self.rng.chance(10) {
                out.extend_from_slice(b"null");
                continue;
            }
            out.push(b'[');
            let n = if altered || self.rng.chance(85) { 1 } else { 2 };
            for i in 0..n {
                if i > 0 {
                    out.push(b',');
                }
                if altered {
                    out.push(b'{');
                    key(out, "crop");
                    out.push(b'{');
                    for (j, name) in ["height", "width", "x", "y"].into_iter().enumerate() {
                        if j > 0 {
                            out.push(b',');
                        }
                        key(out, name);
                        number(out, self.rng.range(0, 10_000));
                    }
                    out.extend_from_slice(b"},");
                    key(out, "dewarp");
                    self.dewarp(out);
                    out.push(b'}');
                } else {
                    self.dewarp(out);
                }
            }
            out.push(b']');
        }
        out.push(b'}');
    }

    fn dewarp(&mut self, out: &mut Vec<u8>) {
        out.push(b'{');
        key(out, "aspectRatio");
        let (w, h) = [(16, 9), (4, 3), (1, 1)][self.rng.below(3) as usize];
        out.push(b'{');
        key(out, "height");
        number(out, h);
        out.push(b',');
        key(out, "width");
        number(out, w);
        out.extend_from_slice(b"},");
        key(out, "pitchDegrees");
        self.float(out);
        out.push(b',');
        key(out, "rollDegrees");
        self.float(out);
        out.push(b',');
        key(out, "verticalFieldOfViewDegrees");
        number(out, self.rng.range(30, 180));
        out.push(b',');
        key(out, "yawDegrees");
        self.float(out);
        out.push(b'}');
    }
}

fn progress_map(out: &mut Vec<u8>, facets: &[String], region: &str, up: &[i64], total: &[i64]) {
    out.push(b'{');
    for (i, f) in facets.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        key(out, f);
        out.push(b'{');
        key(out, "region");
        string(out, region);
        out.push(b',');
        key(out, "segmentsUploaded");
        number(out, up[i]);
        out.push(b',');
        key(out, "totalSegments");
        number(out, total[i]);
        out.push(b'}');
    }
    out.push(b'}');
}

/// Writes `"name":` (`name` needs no escaping).
fn key(out: &mut Vec<u8>, name: &str) {
    string(out, name);
    out.push(b':');
}

/// Writes `"text"`; `text` is already a valid JSON string body.
fn string(out: &mut Vec<u8>, text: &str) {
    out.push(b'"');
    out.extend_from_slice(text.as_bytes());
    out.push(b'"');
}

fn number(out: &mut Vec<u8>, n: i64) {
    let _ = write!(out, "{n}");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_bytes_and_valid_json() {
        let a = generate(Amount::Clips(50), 7);
        assert_eq!(a, generate(Amount::Clips(50), 7));
        assert_ne!(a, generate(Amount::Clips(50), 8));
        let v: serde_json::Value = serde_json::from_slice(&a).expect("valid JSON");
        assert_eq!(v["splicedClips"].as_array().map(Vec::len), Some(50));
        let mut decoder = rhombus_model::Decoder::new().strict(true);
        let response = decoder.decode(&a).expect("decodes");
        assert_eq!(response.clips().count(), 50);
    }

    #[test]
    fn byte_budget_is_respected_and_clips_are_about_2kb() {
        let limit = 1 << 20;
        let a = generate(Amount::Bytes(limit), DEFAULT_SEED);
        assert!(a.len() as u64 <= limit);
        assert!(a.len() as u64 > limit - 8 * 1024, "{}", a.len());
        let mut decoder = rhombus_model::Decoder::new();
        let clips = decoder.decode(&a).expect("decodes").clips().count();
        let per_clip = a.len() / clips;
        assert!(
            (1500..3000).contains(&per_clip),
            "{per_clip} bytes per clip"
        );
    }

    #[test]
    fn sizes_parse_and_print() {
        assert_eq!(parse_size("16MiB"), Some(16 << 20));
        assert_eq!(parse_size("1GiB"), Some(1 << 30));
        assert_eq!(parse_size("1000"), Some(1000));
        assert_eq!(parse_size("3 mb"), Some(3_000_000));
        assert_eq!(parse_size("x"), None);
        assert_eq!(size_name(16 << 20), "16MiB");
        assert_eq!(size_name(1 << 30), "1GiB");
    }
}
