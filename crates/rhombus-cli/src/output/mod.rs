//! Turning decoded clips into output: filters, ordering, and the four formats.
//!
//! Table, CSV and NDJSON take clips one at a time through [`ClipSink`], so a
//! streaming decoder can feed them clip by clip; JSON prints the whole response.

mod csv;
mod json;
mod ndjson;
mod table;
pub mod text;

use std::io::{self, Write};
use std::time::SystemTime;

use rhombus_model::{ClipStatus, Response, SplicedClip};

use crate::cli::{FilterArgs, OutputFormat};

pub use csv::CsvSink;
pub use json::write_json;
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

/// Receives clips one at a time, then `finish`.
pub trait ClipSink {
    /// Writes (or buffers) one clip.
    fn clip(&mut self, clip: &SplicedClip<'_>) -> io::Result<()>;
    /// Flushes whatever is buffered.
    fn finish(&mut self) -> io::Result<()>;
}

/// The sink for a per-clip format (`None` for JSON, which prints the whole response).
///
/// The sinks write to a concrete `W` (a `BufWriter` in the CLI), so their
/// many small writes are inlined copies rather than calls through `dyn Write`.
pub fn sink<'w, W: Write>(out: &'w mut W, render: &Render) -> Option<Box<dyn ClipSink + 'w>> {
    match render.format {
        OutputFormat::Table => Some(Box::new(TableSink::new(out, render.color, render.now))),
        OutputFormat::Csv => Some(Box::new(CsvSink::new(out))),
        OutputFormat::Ndjson => Some(Box::new(NdjsonSink::new(out))),
        OutputFormat::Json => None,
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
}

/// Every device id a clip names: its main device and the keys of its progress maps.
fn device_ids<'c>(clip: &'c SplicedClip<'_>) -> impl Iterator<Item = &'c str> {
    let main = clip.device_uuid.as_ref().map(|d| d.as_str());
    let maps = [clip.device_map.as_ref(), clip.device_uuid_map.as_ref()]
        .into_iter()
        .flatten()
        .flat_map(|m| m.keys().map(|k| k.as_str()));
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

/// The clips to show, filtered and in a stable order: oldest start first (clips
/// without a start last), ties kept in the order the server sent them.
pub fn select<'c, 'a>(clips: &'c [SplicedClip<'a>], filter: &Filter) -> Vec<&'c SplicedClip<'a>> {
    let mut chosen: Vec<_> = clips.iter().filter(|c| filter.matches(c)).collect();
    chosen.sort_by_key(|c| (c.start_time.is_none(), c.start_time));
    chosen
}

/// Prints a response in `render.format`: JSON as a whole (filtered in place,
/// unknown fields kept, server order), the others clip by clip in [`select`] order.
pub fn write_response(
    out: &mut impl Write,
    mut response: Response<'_>,
    filter: &Filter,
    render: &Render,
) -> io::Result<()> {
    let Some(mut sink) = sink(out, render) else {
        if let Some(clips) = response
            .spliced_clips
            .as_mut()
            .filter(|_| !filter.is_empty())
        {
            clips.retain(|c| filter.matches(c));
        }
        return write_json(out, &response);
    };
    for clip in select(response.clips(), filter) {
        sink.clip(clip)?;
    }
    sink.finish()
}

#[cfg(test)]
pub(crate) mod fixture {
    //! A response with every case the renderers must handle.

    /// 2026-01-15T09:10:00Z, "now" for the snapshot tests.
    pub const NOW_MS: u64 = 1_768_468_200_000;

    /// The fixed "now".
    pub fn now() -> std::time::SystemTime {
        std::time::UNIX_EPOCH + std::time::Duration::from_millis(NOW_MS)
    }

    /// Feeds the fixture's clips (in display order) through `sink`, then finishes it.
    pub fn feed(sink: &mut dyn super::ClipSink) {
        let response = rhombus_model::decode_str(RESPONSE).expect("fixture decodes");
        for clip in super::select(response.clips(), &super::Filter::default()) {
            sink.clip(clip).expect("write");
        }
        sink.finish().expect("finish");
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
    use super::*;

    fn ids(clips: &[&SplicedClip<'_>]) -> Vec<String> {
        clips.iter().map(|c| c.id()[..1].to_owned()).collect()
    }

    fn filter(status: &[&str], device: &[&str]) -> Filter {
        Filter::new(&FilterArgs {
            status: status.iter().map(|s| s.to_string()).collect(),
            device: device.iter().map(|s| s.to_string()).collect(),
        })
    }

    #[test]
    fn select_sorts_by_start_stably() {
        let response = rhombus_model::decode_str(fixture::RESPONSE).unwrap();
        assert_eq!(
            ids(&select(response.clips(), &Filter::default())),
            ["A", "B", "C", "D"]
        );
    }

    #[test]
    fn filters_by_status_and_device() {
        let response = rhombus_model::decode_str(fixture::RESPONSE).unwrap();
        let clips = response.clips();
        assert_eq!(
            ids(&select(clips, &filter(&["uploading", "COMPLETE"], &[]))),
            ["A", "B"]
        );
        assert_eq!(ids(&select(clips, &filter(&["QUEUED"], &[]))), ["C"]);
        assert_eq!(
            ids(&select(clips, &filter(&[], &["DEVAAAAAAAAAAAAAAAAAAA"]))),
            ["B", "C"]
        );
        assert_eq!(
            ids(&select(clips, &filter(&[], &["DEVAAAAAAAAAAAAAAAAAAA.a0"]))),
            ["C"]
        );
        assert_eq!(
            ids(&select(clips, &filter(&[], &["DEVCCCCCCCCCCCCCCCCCCC"]))),
            ["A"]
        );
        assert!(select(clips, &filter(&["UPLOADING"], &["DEVCCCCCCCCCCCCCCCCCCC"])).is_empty());
        assert_eq!(
            filter(&["UPLOADNG", "FAILED"], &[]).unknown_statuses(),
            ["UPLOADNG"]
        );
    }

    #[test]
    fn json_keeps_unknown_fields_and_filters() {
        let response = rhombus_model::decode_str(fixture::RESPONSE).unwrap();
        let render = Render {
            format: OutputFormat::Json,
            color: false,
            now: fixture::now(),
        };
        let mut out = Vec::new();
        write_response(&mut out, response, &filter(&["UPLOADING"], &[]), &render).unwrap();
        let value: serde_json::Value = serde_json::from_slice(&out).unwrap();
        let clips = value["splicedClips"].as_array().unwrap();
        assert_eq!(clips.len(), 1);
        assert_eq!(clips[0]["parentClipUuid"], "PPPPPPPPPPPPPPPPPPPPPP");
        assert_eq!(value["error"], false);
    }
}
