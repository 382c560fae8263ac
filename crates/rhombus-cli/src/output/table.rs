//! Aligned columns for people.

use std::io::{self, Write};
use std::time::SystemTime;

use rhombus_model::{Item, Response, SplicedClip};

use super::ClipSink;
use super::text::{
    device_count, duration, paint_status, progress, relative, sanitize, truncate, width,
};

const HEADERS: [&str; 7] = [
    "CLIP", "TITLE", "STATUS", "PROGRESS", "DEVICES", "STARTED", "DURATION",
];
const STATUS_COLUMN: usize = 2;
const TITLE_WIDTH: usize = 32;
/// Rows held back to size the columns: the widths come from the first
/// `LOOKAHEAD` rows, and grow (never shrink) with each later batch.
pub const LOOKAHEAD: usize = 1000;

type Row = [String; 7];

/// Lays rows out in batches of [`LOOKAHEAD`]: memory follows the batch,
/// not the clip count.
pub struct TableSink<'w, W> {
    out: &'w mut W,
    color: bool,
    now: SystemTime,
    rows: Vec<Row>,
    /// The column widths so far, once the header is written.
    widths: Option<[usize; 7]>,
}

impl<'w, W: Write> TableSink<'w, W> {
    /// A table writing to `out`, times relative to `now`.
    pub fn new(out: &'w mut W, color: bool, now: SystemTime) -> Self {
        TableSink {
            out,
            color,
            now,
            rows: Vec::new(),
            widths: None,
        }
    }

    /// Writes the rows held back (after the header, the first time).
    fn flush_rows(&mut self) -> io::Result<()> {
        let header = HEADERS.map(str::to_owned);
        let first = self.widths.is_none();
        let mut widths = self.widths.unwrap_or(HEADERS.map(width));
        for row in &self.rows {
            for (w, cell) in widths.iter_mut().zip(row) {
                *w = (*w).max(width(cell));
            }
        }
        self.widths = Some(widths);
        if first {
            self.line(&header, widths, false)?;
        }
        for row in std::mem::take(&mut self.rows) {
            self.line(&row, widths, self.color)?;
        }
        Ok(())
    }

    /// One line: cells padded to `widths`, the status painted when `color`.
    fn line(&mut self, row: &Row, widths: [usize; 7], color: bool) -> io::Result<()> {
        let mut line = String::new();
        for (col, (cell, column_width)) in row.iter().zip(widths).enumerate() {
            let last = col == HEADERS.len() - 1;
            let pad = column_width.saturating_sub(width(cell));
            if col == STATUS_COLUMN {
                line.push_str(&paint_status(cell, cell, color));
            } else {
                line.push_str(cell);
            }
            if !last {
                line.extend(std::iter::repeat_n(' ', pad + 2));
            }
        }
        writeln!(self.out, "{}", line.trim_end())
    }
}

/// One row of display text.
fn row(clip: &SplicedClip<'_>, now: SystemTime) -> Row {
    let dash = || "-".to_owned();
    [
        clip.clip_uuid.map_or_else(dash, |u| sanitize(u.as_str())),
        clip.title
            .map_or_else(dash, |t| truncate(&sanitize(t), TITLE_WIDTH)),
        clip.status.map_or_else(dash, |s| sanitize(s.as_str())),
        progress(clip.progress()),
        match device_count(clip) {
            0 => dash(),
            n => n.to_string(),
        },
        clip.start_time().map_or_else(dash, |t| relative(t, now)),
        duration(clip),
    ]
}

impl<W: Write> ClipSink for TableSink<'_, W> {
    fn item(&mut self, item: &Item<'_, SplicedClip<'_>>) -> io::Result<()> {
        // A table shows clips; `null` and raw elements were warned about.
        if let Some(clip) = item.value() {
            self.rows.push(row(clip, self.now));
            if self.rows.len() >= LOOKAHEAD {
                self.flush_rows()?;
            }
        }
        Ok(())
    }

    fn finish(&mut self, envelope: Option<&Response<'_>>) -> io::Result<()> {
        if self.rows.is_empty() && self.widths.is_none() {
            // Not said of an input that broke: it may have had clips.
            if envelope.is_some() {
                writeln!(self.out, "No clips in progress.")?;
            }
        } else {
            self.flush_rows()?;
        }
        self.out.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::fixture;

    fn render(color: bool) -> String {
        let mut out = Vec::new();
        fixture::feed(&mut TableSink::new(&mut out, color, fixture::now()));
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn table() {
        insta::assert_snapshot!(render(false));
    }

    #[test]
    fn colors_only_the_status_and_keeps_alignment() {
        let plain = render(false);
        let colored = render(true);
        assert!(colored.contains("\x1b[32mCOMPLETE\x1b[0m"));
        let stripped = colored
            .replace("\x1b[32m", "")
            .replace("\x1b[33m", "")
            .replace("\x1b[0m", "");
        assert_eq!(stripped, plain);
    }

    #[test]
    fn columns_are_sized_by_a_bounded_lookahead() {
        let clip = |title: &str| {
            rhombus_model::OwnedClip::parse(
                format!(r#"{{"clipUuid":"A","title":"{title}"}}"#).as_bytes(),
            )
            .unwrap()
        };
        let mut out = Vec::new();
        let mut sink = TableSink::new(&mut out, false, fixture::now());
        let short = clip("s");
        for _ in 0..LOOKAHEAD {
            sink.item(&Item::Value(short.get().clone())).unwrap();
        }
        assert!(!sink.out.is_empty(), "the first batch is written at once");
        let long = clip("a longer title");
        sink.item(&Item::Value(long.get().clone())).unwrap();
        sink.item(&Item::Null).unwrap();
        sink.finish(None).unwrap();
        let text = String::from_utf8(out).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), LOOKAHEAD + 2, "a header and one row per clip");
        assert!(lines[1].starts_with("A     s      -"), "{}", lines[1]);
        assert!(
            lines[LOOKAHEAD + 1].starts_with("A     a longer title  -"),
            "a later batch widens its columns: {}",
            lines[LOOKAHEAD + 1]
        );
    }

    #[test]
    fn empty_table_says_so() {
        let mut out = Vec::new();
        let mut sink = TableSink::new(&mut out, false, fixture::now());
        sink.finish(Some(&rhombus_model::Response::default()))
            .unwrap();
        assert_eq!(out, b"No clips in progress.\n");
        let mut broken = Vec::new();
        TableSink::new(&mut broken, false, fixture::now())
            .finish(None)
            .unwrap();
        assert_eq!(broken, b"", "nothing is said of an input that broke");
    }
}
