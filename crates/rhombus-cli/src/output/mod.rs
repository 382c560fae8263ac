//! Turning decoded clips into output: filters and the four formats.
//!
//! Every format takes the elements of `splicedClips` one at a time through
//! [`ClipSink`], as the stream decodes them, and the envelope (the other
//! fields) at the end: memory follows the largest clip, not the clip count.

mod csv;
mod json;
pub mod line;
mod ndjson;
mod table;
pub mod text;

use std::io::{self, Write};
use std::time::SystemTime;

use rhombus_model::{ClipStatus, Item, Response, SplicedClip};

use crate::cli::{FilterArgs, OutputFormat};

pub use csv::CsvSink;
pub use json::JsonSink;
pub use ndjson::NdjsonSink;
pub use table::TableSink;

/// How to render: the format, whether to color, and the "now" relative times use.
#[derive(Debug, Clone, Copy)]
pub struct Render {
    /// The output format.
    pub format: OutputFormat,
    /// Whether to use ANSI colors.
    pub color: bool,
    /// The instant "3m ago" is measured from (fixed in tests).
    pub now: SystemTime,
}

/// Receives the elements of `splicedClips` one at a time, then `finish`.
pub trait ClipSink {
    /// Writes (or buffers a bounded number of) one element: a clip, `null`,
    /// or the raw JSON of an element that is no clip.
    fn item(&mut self, item: &Item<'_, SplicedClip<'_>>) -> io::Result<()>;
    /// Writes what is left: the envelope's fields when the input ended
    /// well (`None` when it broke: what came before it is kept, unclosed).
    fn finish(&mut self, envelope: Option<&Response<'_>>) -> io::Result<()>;
}

/// The sink for `render.format`.
///
/// The sinks write to a concrete `W` (a `BufWriter` in the CLI), so their
/// many small writes are inlined copies rather than calls through `dyn Write`.
pub fn sink<'w, W: Write>(out: &'w mut W, render: &Render) -> Box<dyn ClipSink + 'w> {
    match render.format {
        OutputFormat::Table => Box::new(TableSink::new(out, render.color, render.now)),
        OutputFormat::Csv => Box::new(CsvSink::new(out)),
        OutputFormat::Ndjson => Box::new(NdjsonSink::new(out)),
        OutputFormat::Json => Box::new(JsonSink::new(out)),
    }
}

/// Which clips to keep (`--status`, `--device`).
#[derive(Debug, Clone, Default)]
pub struct Filter {
    statuses: Vec<String>,
    devices: Vec<String>,
}

impl Filter {
    /// The filter the flags ask for.
    pub fn new(args: &FilterArgs) -> Self {
        let clean = |v: &Vec<String>| {
            v.iter()
                .map(|s| s.trim().to_owned())
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
        };
        Filter {
            statuses: clean(&args.status)
                .into_iter()
                .map(|s| s.to_ascii_uppercase())
                .collect(),
            devices: clean(&args.device),
        }
    }

    /// Statuses asked for that this version does not know (probably typos).
    pub fn unknown_statuses(&self) -> Vec<&str> {
        self.statuses
            .iter()
            .filter(|s| ClipStatus::parse(s.as_str()).is_other())
            .map(String::as_str)
            .collect()
    }

    /// Whether nothing is filtered.
    pub fn is_empty(&self) -> bool {
        self.statuses.is_empty() && self.devices.is_empty()
    }

    /// Whether `clip` passes.
    pub fn matches(&self, clip: &SplicedClip<'_>) -> bool {
        let status_ok = self.statuses.is_empty()
            || clip
                .status
                .as_ref()
                .is_some_and(|s| self.statuses.iter().any(|w| w == s.as_str()));
        let device_ok = self.devices.is_empty()
            || device_ids(clip).any(|id| self.devices.iter().any(|w| device_matches(w, id)));
        status_ok && device_ok
    }

    /// Whether an element of the list passes: every element when nothing is
    /// filtered (`null` and raw ones too), else the clips that match.
    pub fn keeps(&self, item: &Item<'_, SplicedClip<'_>>) -> bool {
        self.is_empty() || item.value().is_some_and(|clip| self.matches(clip))
    }
}

/// Every device id a clip names: its main device and the keys of its progress maps.
fn device_ids<'c>(clip: &'c SplicedClip<'_>) -> impl Iterator<Item = &'c str> {
    let main = clip.device_uuid.as_ref().map(|d| d.as_str());
    let maps = [clip.device_map.as_ref(), clip.device_uuid_map.as_ref()]
        .into_iter()
        .flatten()
        .flat_map(|m| m.entries().iter().map(|(k, _)| k.as_str()));
    main.into_iter().chain(maps)
}

/// `wanted` with a facet (`X.v0`) matches exactly; without one, any facet of the device.
fn device_matches(wanted: &str, id: &str) -> bool {
    if wanted.contains('.') {
        wanted == id
    } else {
        id.split('.').next() == Some(wanted)
    }
}

#[cfg(test)]
pub(crate) mod fixture {
    //! A response with every case the renderers must handle.

    use rhombus_model::Decoder;

    use super::{ClipSink, Filter};

    /// 2026-01-15T09:10:00Z, "now" for the snapshot tests.
    pub const NOW_MS: u64 = 1_768_468_200_000;

    /// The fixed "now".
    pub fn now() -> std::time::SystemTime {
        std::time::UNIX_EPOCH + std::time::Duration::from_millis(NOW_MS)
    }

    /// Feeds the elements of `json` that `filter` keeps through `sink`, in
    /// the server's order, then its envelope.
    pub fn feed_json(json: &str, filter: &Filter, sink: &mut dyn ClipSink) {
        let mut decoder = Decoder::new();
        let response = decoder.decode(json.as_bytes()).expect("fixture decodes");
        for item in response.clip_items().iter().filter(|i| filter.keeps(i)) {
            sink.item(item).expect("write");
        }
        sink.finish(Some(&response)).expect("finish");
    }

    /// Feeds the fixture's clips through `sink`, then finishes it.
    pub fn feed(sink: &mut dyn ClipSink) {
        feed_json(RESPONSE, &Filter::default(), sink);
    }

    /// Four clips: in progress with two devices, complete, an unknown status with
    /// an awkward title, and one with almost nothing set.
    pub const RESPONSE: &str = r#"{
      "error": false,
      "warningMsg": null,
      "splicedClips": [
        {"clipUuid": "BBBBBBBBBBBBBBBBBBBBBB", "title": "Loading dock, north", "status": "UPLOADING",
         "startTime": 1768467600000, "duration": 90,
         "deviceMap": {"DEVAAAAAAAAAAAAAAAAAAA.v0": {"segmentsUploaded": 3, "totalSegments": 10},
                       "DEVBBBBBBBBBBBBBBBBBBB.v0": {"segmentsUploaded": 4, "totalSegments": 10}},
         "parentClipUuid": "PPPPPPPPPPPPPPPPPPPPPP"},
        {"clipUuid": "AAAAAAAAAAAAAAAAAAAAAA", "title": "Lobby", "status": "COMPLETE",
         "startTime": 1768464000000, "duration": 3600, "segmentsUploaded": 12, "totalSegments": 12,
         "deviceUuid": "DEVCCCCCCCCCCCCCCCCCCC.v0"},
        {"clipUuid": "CCCCCCCCCCCCCCCCCCCCCC", "title": "Parking \"east\", gate 2\nsecond line with a very long title indeed",
         "status": "QUEUED", "startTime": 1768468195000, "duration": 5,
         "deviceUuidMap": {"DEVAAAAAAAAAAAAAAAAAAA.a0": {"segmentsUploaded": 0, "totalSegments": 0}}},
        {"clipUuid": "DDDDDDDDDDDDDDDDDDDDDD"}
      ]
    }"#;
}

#[cfg(test)]
mod tests {
    use rhombus_model::Decoder;

    use super::*;

    fn filter(status: &[&str], device: &[&str]) -> Filter {
        Filter::new(&FilterArgs {
            status: status.iter().map(|s| s.to_string()).collect(),
            device: device.iter().map(|s| s.to_string()).collect(),
        })
    }

    /// The first letter of each kept clip's id, in the server's order.
    fn kept(filter: &Filter) -> Vec<String> {
        let mut decoder = Decoder::new();
        let response = decoder.decode(fixture::RESPONSE.as_bytes()).unwrap();
        response
            .clip_items()
            .iter()
            .filter(|i| filter.keeps(i))
            .filter_map(|i| i.value().map(|c| c.id()[..1].to_owned()))
            .collect()
    }

    #[test]
    fn filters_by_status_and_device() {
        assert_eq!(kept(&Filter::default()), ["B", "A", "C", "D"]);
        assert_eq!(kept(&filter(&["uploading", "COMPLETE"], &[])), ["B", "A"]);
        assert_eq!(kept(&filter(&["QUEUED"], &[])), ["C"]);
        assert_eq!(kept(&filter(&[], &["DEVAAAAAAAAAAAAAAAAAAA"])), ["B", "C"]);
        assert_eq!(kept(&filter(&[], &["DEVAAAAAAAAAAAAAAAAAAA.a0"])), ["C"]);
        assert_eq!(kept(&filter(&[], &["DEVCCCCCCCCCCCCCCCCCCC"])), ["A"]);
        assert!(kept(&filter(&["UPLOADING"], &["DEVCCCCCCCCCCCCCCCCCCC"])).is_empty());
        assert_eq!(
            filter(&["UPLOADNG", "FAILED"], &[]).unknown_statuses(),
            ["UPLOADNG"]
        );
    }

    #[test]
    fn a_filter_keeps_only_clips_and_no_filter_keeps_every_element() {
        let mut decoder = Decoder::new();
        let response = decoder
            .decode(br#"{"splicedClips":[null,42,{"status":"UPLOADING"}]}"#)
            .unwrap();
        let items = response.clip_items();
        assert!(items.iter().all(|i| Filter::default().keeps(i)));
        let uploading = filter(&["UPLOADING"], &[]);
        let kept: Vec<_> = items.iter().map(|i| uploading.keeps(i)).collect();
        assert_eq!(kept, [false, false, true]);
    }
}
