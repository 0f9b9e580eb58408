//! How scripting commands print: an aligned table for people on a terminal, tab-separated lines
//! for grep (the default into a pipe), JSON for scripts. Every value printed is text the text
//! boundary already cleaned, or ours; tab-separated cells lose their tabs and line breaks so a
//! line is always one record.

use std::io::{IsTerminal, Write};

use serde::Serialize;
use unicode_width::UnicodeWidthStr;

use super::Failure;
use crate::cli::commands::OutputArgs;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Table,
    Plain,
    Json,
}

impl Format {
    /// `--json`, `--plain`, else a table on a terminal and plain lines into a pipe.
    pub fn choose(args: OutputArgs) -> Format {
        if args.json {
            Format::Json
        } else if args.table {
            Format::Table
        } else if args.plain || !std::io::stdout().is_terminal() {
            Format::Plain
        } else {
            Format::Table
        }
    }
}

/// Rows under headings; `flex` is the column cut to fit the terminal (the title).
#[derive(Debug, Clone)]
pub struct Table {
    pub headings: Vec<&'static str>,
    pub rows: Vec<Vec<String>>,
    pub flex: usize,
}

impl Table {
    pub fn new(headings: Vec<&'static str>, flex: usize) -> Table {
        Table {
            headings,
            rows: Vec::new(),
            flex,
        }
    }

    pub fn push(&mut self, row: Vec<String>) {
        self.rows.push(row);
    }

    /// Aligned columns, two spaces apart, at most `width` columns wide (the flex column is
    /// cut with "…"; `None`: as wide as it takes).
    pub fn aligned(&self, width: Option<usize>) -> String {
        let columns = self.headings.len();
        let mut widths: Vec<usize> = self.headings.iter().map(|h| h.width()).collect();
        for row in &self.rows {
            for (at, cell) in row.iter().enumerate().take(columns) {
                widths[at] = widths[at].max(cell.width());
            }
        }
        if let Some(width) = width {
            let floors: Vec<usize> = (0..columns)
                .map(|at| match self.headings[at] {
                    // A time cut short says nothing: kept whole.
                    "UPDATED" | "CREATED" | "UNTIL" => widths[at],
                    _ if at == self.flex => FLEX_MIN,
                    _ => COLUMN_MIN,
                })
                .collect();
            shrink(&mut widths, &floors, width);
        }
        let mut out = String::new();
        let headings: Vec<String> = self.headings.iter().map(|h| (*h).to_string()).collect();
        for row in std::iter::once(&headings).chain(&self.rows) {
            let mut line = String::new();
            for (at, w) in widths.iter().enumerate() {
                let cell = row.get(at).map_or("", String::as_str);
                let cell = fit(cell, *w);
                line.push_str(&cell);
                if at + 1 < columns {
                    line.push_str(&" ".repeat(w.saturating_sub(cell.width()) + 2));
                }
            }
            out.push_str(line.trim_end());
            out.push('\n');
        }
        out
    }

    /// One tab-separated line per row, no headings.
    pub fn plain(&self) -> String {
        let mut out = String::new();
        for row in &self.rows {
            let cells: Vec<String> = row.iter().map(|c| cell(c)).collect();
            out.push_str(&cells.join("\t"));
            out.push('\n');
        }
        out
    }

    pub fn print(&self, format: Format) -> std::io::Result<()> {
        let text = match format {
            Format::Plain => self.plain(),
            _ => self.aligned(terminal_width()),
        };
        print(&text)
    }
}

/// Narrows `widths` until the row fits `width`: always the column with the most to give above
/// its floor (never the first, the id).
fn shrink(widths: &mut [usize], floors: &[usize], width: usize) {
    loop {
        let total: usize = widths.iter().sum::<usize>() + 2 * widths.len().saturating_sub(1);
        if total <= width {
            return;
        }
        let floor = |at: usize| floors.get(at).copied().unwrap_or(COLUMN_MIN);
        let widest = (1..widths.len())
            .filter(|&at| widths[at] > floor(at))
            .max_by_key(|&at| widths[at] - floor(at));
        match widest {
            Some(at) => widths[at] -= 1,
            None => return,
        }
    }
}

/// The narrowest the title column gets before the table is allowed to run wider than the
/// terminal.
const FLEX_MIN: usize = 16;
const COLUMN_MIN: usize = 6;

/// One tab-separated cell: tabs and line breaks become spaces (`\n` written as `\\n` where a
/// body keeps its lines).
pub fn cell(text: &str) -> String {
    text.replace(['\t', '\r', '\n'], " ")
}

/// A body on one tab-separated line: line breaks written as `\n`, backslashes doubled.
pub fn escaped(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('\n', "\\n")
        .replace(['\t', '\r'], " ")
}

/// `text` cut to `width` columns, ending in "…" when cut.
pub fn fit(text: &str, width: usize) -> String {
    if text.width() <= width {
        return text.to_string();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if used + w + 1 > width {
            break;
        }
        used += w;
        out.push(c);
    }
    out.push('…');
    out
}

fn terminal_width() -> Option<usize> {
    if !std::io::stdout().is_terminal() {
        return None;
    }
    crossterm::terminal::size()
        .ok()
        .map(|(w, _)| usize::from(w))
}

/// Writes `text` to standard output (a closed pipe, as with `| head`, is not an error).
pub fn print(text: &str) -> std::io::Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => other,
    }
}

/// `value` as pretty JSON on standard output.
pub fn json<T: Serialize>(value: &T) -> std::io::Result<()> {
    let mut text = serde_json::to_string_pretty(value).map_err(std::io::Error::other)?;
    text.push('\n');
    print(&text)
}

/// A progress sentence on standard error, only where a person watches it.
pub fn progress(format: Format, text: &str) {
    if format != Format::Json && std::io::stderr().is_terminal() {
        eprintln!("{text}");
    }
}

/// A note on standard error that scripts may also want (unreadable rows): JSON carries it in
/// its own field, the other formats say it.
pub fn note(format: Format, text: &str) {
    if format != Format::Json {
        eprintln!("ttydesk: {text}");
    }
}

#[derive(Serialize)]
struct ErrorJson<'a> {
    error: ErrorBody<'a>,
}

#[derive(Serialize)]
struct ErrorBody<'a> {
    code: u8,
    kind: &'static str,
    message: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    outbox_id: Option<&'a str>,
}

/// How a failure is said on standard error.
pub fn failure(format: Format, failure: &Failure) {
    let text = match format {
        Format::Json => {
            let body = ErrorJson {
                error: ErrorBody {
                    code: failure.exit as u8,
                    kind: failure.exit.kind(),
                    message: &failure.message,
                    outbox_id: failure.outbox_id.as_deref(),
                },
            };
            serde_json::to_string(&body).unwrap_or_default()
        }
        _ => format!("ttydesk: {}", failure.message),
    };
    let _ = writeln!(std::io::stderr().lock(), "{text}");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_table_cuts_its_title_column_to_the_width() {
        let mut t = Table::new(vec!["ID", "TITLE", "STATUS"], 1);
        t.push(vec![
            "1".into(),
            "A very long title indeed".into(),
            "Open".into(),
        ]);
        let text = t.aligned(Some(30));
        for line in text.lines() {
            assert!(line.width() <= 30, "{line:?}");
        }
        assert!(text.contains("A very long title…  Open"), "{text}");
        assert!(text.starts_with("ID  TITLE"), "{text}");
        // Wide columns other than the title give way too, the id never.
        let mut t = Table::new(vec!["ID", "DESK", "TITLE"], 2);
        t.push(vec![
            "1207".into(),
            "Service Desk / Level 1".into(),
            "Printer jams again and again".into(),
        ]);
        let text = t.aligned(Some(40));
        for line in text.lines() {
            assert!(line.width() <= 40, "{line:?}");
        }
        assert!(text.contains("1207  Service De…  Printer jams"), "{text}");
    }

    #[test]
    fn a_plain_line_is_one_record() {
        let mut t = Table::new(vec!["A", "B"], 1);
        t.push(vec!["x\ty".into(), "two\nlines".into()]);
        assert_eq!(t.plain(), "x y\ttwo lines\n");
        assert_eq!(escaped("a\\b\nc"), "a\\\\b\\nc");
    }
}
