//! Aligned columns for people.

use std::io::{self, Write};
use std::time::SystemTime;

use rhombus_model::SplicedClip;

use super::ClipSink;
use super::text::{
    device_count, duration, paint_status, progress, relative, sanitize, truncate, width,
};

const HEADERS: [&str; 7] = [
    "CLIP", "TITLE", "STATUS", "PROGRESS", "DEVICES", "STARTED", "DURATION",
];
const STATUS_COLUMN: usize = 2;
const TITLE_WIDTH: usize = 32;

/// Buffers rows (column widths need them all), then prints the table.
pub struct TableSink<'w, W> {
    out: &'w mut W,
    color: bool,
    now: SystemTime,
    rows: Vec<[String; 7]>,
}

impl<'w, W: Write> TableSink<'w, W> {
    /// A table writing to `out`, times relative to `now`.
    pub fn new(out: &'w mut W, color: bool, now: SystemTime) -> Self {
        TableSink {
            out,
            color,
            now,
            rows: Vec::new(),
        }
    }
}

/// One row of display text.
fn row(clip: &SplicedClip<'_>, now: SystemTime) -> [String; 7] {
    let dash = || "-".to_owned();
    [
        clip.clip_uuid
            .as_ref()
            .map_or_else(dash, |u| sanitize(u.as_str())),
        clip.title
            .as_deref()
            .map_or_else(dash, |t| truncate(&sanitize(t), TITLE_WIDTH)),
        clip.status
            .as_ref()
            .map_or_else(dash, |s| sanitize(s.as_str())),
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
    fn clip(&mut self, clip: &SplicedClip<'_>) -> io::Result<()> {
        self.rows.push(row(clip, self.now));
        Ok(())
    }

    fn finish(&mut self) -> io::Result<()> {
        if self.rows.is_empty() {
            return writeln!(self.out, "No clips in progress.");
        }
        let mut widths = HEADERS.map(width);
        for row in &self.rows {
            for (w, cell) in widths.iter_mut().zip(row) {
                *w = (*w).max(width(cell));
            }
        }
        let header = HEADERS.map(str::to_owned);
        for (i, row) in std::iter::once(&header).chain(&self.rows).enumerate() {
            let mut line = String::new();
            for (col, (cell, column_width)) in row.iter().zip(widths).enumerate() {
                let last = col == HEADERS.len() - 1;
                let pad = column_width - width(cell);
                let text = if i > 0 && col == STATUS_COLUMN {
                    paint_status(cell, cell, self.color)
                } else {
                    cell.clone()
                };
                line.push_str(&text);
                if !last {
                    line.extend(std::iter::repeat_n(' ', pad + 2));
                }
            }
            writeln!(self.out, "{}", line.trim_end())?;
        }
        Ok(())
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
    fn empty_table_says_so() {
        let mut out = Vec::new();
        TableSink::new(&mut out, false, fixture::now())
            .finish()
            .unwrap();
        assert_eq!(out, b"No clips in progress.\n");
    }
}
