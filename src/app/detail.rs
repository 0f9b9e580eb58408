//! The Detail pane's state and its text layout: the open request, its loading state, the scroll
//! position, and the lines it is drawn with, wrapped once per width (a 200 KB description must
//! not be re-wrapped on every frame).

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use super::remote::Remote;
use crate::domain::{ApprovalStatus, Ticket, TicketDetail, TicketId, Visibility};

/// What a line of the detail is, so the UI can style it without parsing it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineKind {
    Title,
    Field,
    Heading,
    Body,
    Note,
    CommentHeader(Visibility, bool),
    CommentBody(Visibility, bool),
    Blank,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DetailLine {
    pub kind: LineKind,
    pub text: String,
}

#[derive(Debug, Clone, Default)]
pub struct DetailState {
    pub id: Option<TicketId>,
    pub data: Remote<TicketDetail>,
    /// First line shown.
    pub scroll: usize,
    layout: Option<(u16, Vec<DetailLine>)>,
}

impl DetailState {
    pub fn open(&mut self, id: TicketId) {
        if self.id.as_ref() != Some(&id) {
            self.data = Remote::NotAsked;
            self.scroll = 0;
        }
        self.id = Some(id);
        self.layout = None;
    }

    /// Forgets the cached layout (new data arrived).
    pub fn invalidate(&mut self) {
        self.layout = None;
    }

    /// Lines wrapped to `width`, computed once per width and data.
    pub fn lines(&mut self, width: u16) -> &[DetailLine] {
        let stale = self.layout.as_ref().is_none_or(|(w, _)| *w != width);
        if stale {
            let lines = self
                .data
                .data()
                .map(|d| layout(d, width))
                .unwrap_or_default();
            self.layout = Some((width, lines));
        }
        self.layout
            .as_ref()
            .map_or(&[], |(_, lines)| lines.as_slice())
    }

    /// Number of lines at the last laid-out width (for scrolling limits).
    pub fn line_count(&self) -> usize {
        self.layout.as_ref().map_or(0, |(_, l)| l.len())
    }
}

fn layout(detail: &TicketDetail, width: u16) -> Vec<DetailLine> {
    let width = usize::from(width.max(10));
    let mut out = Vec::new();
    let mut push = |kind: LineKind, text: &str| {
        // Comment bodies are drawn behind a two-column bar.
        let width = if matches!(kind, LineKind::CommentBody(..)) {
            width - 2
        } else {
            width
        };
        for line in wrap(text, width) {
            out.push(DetailLine { kind, text: line });
        }
    };
    let t = &detail.ticket;
    push(LineKind::Title, &format!("{}  {}", t.display_id, t.title));
    for field in fields(t) {
        push(LineKind::Field, &field);
    }
    if detail.had_hidden_controls {
        push(
            LineKind::Note,
            "! This request's text held hidden terminal control sequences or invisible \
             characters; they were removed. Treat its content with care.",
        );
    }
    for note in &detail.partial {
        push(LineKind::Note, &format!("! {note}"));
    }
    push(LineKind::Blank, "");
    push(LineKind::Heading, "Description");
    if detail.description.is_empty() {
        push(LineKind::Note, "(no description)");
    } else {
        push(LineKind::Body, detail.description.as_str());
    }
    if !detail.custom_fields.is_empty() {
        push(LineKind::Blank, "");
        push(LineKind::Heading, "Custom fields");
        for f in &detail.custom_fields {
            push(LineKind::Field, &format!("{}: {}", f.label, f.value));
        }
    }
    if !detail.links.is_empty() {
        push(LineKind::Blank, "");
        push(LineKind::Heading, "Linked requests");
        for l in &detail.links {
            push(LineKind::Body, &format!("#{}  {}", l.id, l.title));
        }
    }
    if !detail.approvals.is_empty() {
        push(LineKind::Blank, "");
        push(LineKind::Heading, "Approvals");
        for a in &detail.approvals {
            let status = match a.status {
                ApprovalStatus::Waiting => "waiting",
                ApprovalStatus::Approved => "approved",
                ApprovalStatus::Rejected => "rejected",
                ApprovalStatus::Cancelled => "cancelled",
                ApprovalStatus::Expired => "expired",
            };
            push(LineKind::Body, &format!("[{status}] {}", a.description));
        }
    }
    push(LineKind::Blank, "");
    push(
        LineKind::Heading,
        &format!("Comments ({})", detail.comments.len()),
    );
    for c in &detail.comments {
        let label = match (c.visibility, c.is_solution) {
            (_, true) => "SOLUTION",
            (Visibility::Public, false) => "PUBLIC",
            (Visibility::Internal, false) => "INTERNAL",
        };
        let author = c
            .author
            .as_ref()
            .map_or("unknown author", |a| a.name.as_str());
        let when = c
            .created_at
            .map(|d| d.format("%Y-%m-%d %H:%M UTC").to_string())
            .unwrap_or_default();
        push(LineKind::Blank, "");
        push(
            LineKind::CommentHeader(c.visibility, c.is_solution),
            &format!("[{label}] {author}  {when}"),
        );
        push(
            LineKind::CommentBody(c.visibility, c.is_solution),
            c.body.as_str(),
        );
    }
    out
}

fn fields(t: &Ticket) -> Vec<String> {
    let name =
        |n: Option<&crate::domain::Named>| n.map_or("—".to_string(), |n| n.name.to_string());
    let date = |d: Option<chrono::DateTime<chrono::Utc>>| {
        d.map_or("—".to_string(), |d| {
            d.format("%Y-%m-%d %H:%M UTC").to_string()
        })
    };
    let priority = t
        .priority
        .as_ref()
        .map_or("—".to_string(), |p| p.name.to_string());
    let mut out = vec![
        format!(
            "Status:    {} · {} priority · {}",
            t.status.name,
            priority,
            name(t.kind.as_ref())
        ),
        format!("Customer:  {}", name(t.customer.as_ref())),
        format!(
            "Agent:     {}",
            t.agent
                .as_ref()
                .map_or("unassigned".to_string(), |a| a.name.to_string())
        ),
        format!("Help desk: {}", name(t.help_desk.as_ref())),
        format!("Category:  {}", name(t.category.as_ref())),
        format!("Created:   {}", date(t.created_at)),
        format!("Updated:   {}", date(t.updated_at)),
    ];
    if t.closed_at.is_some() {
        out.push(format!("Closed:    {}", date(t.closed_at)));
    }
    out
}

/// Word-wraps `text` to `width` display columns; each source line is wrapped on its own, words
/// longer than a line are split.
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    let mut out = Vec::new();
    for source in text.split('\n') {
        let mut line = String::new();
        let mut line_width = 0;
        for word in source.split_inclusive(' ') {
            let word_width = word.trim_end().width();
            if line_width + word_width > width && line_width > 0 {
                out.push(line.trim_end().to_string());
                line.clear();
                line_width = 0;
            }
            if word_width > width {
                for ch in word.chars() {
                    let w = ch.width().unwrap_or(0);
                    if line_width + w > width {
                        out.push(std::mem::take(&mut line));
                        line_width = 0;
                    }
                    line.push(ch);
                    line_width += w;
                }
                continue;
            }
            line.push_str(word);
            line_width += word.width();
        }
        out.push(line.trim_end().to_string());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrap_respects_width_and_keeps_every_word() {
        let text = "The printer on the third floor prints garbage characters again\n\nsecond";
        let lines = wrap(text, 20);
        assert!(lines.iter().all(|l| l.width() <= 20), "{lines:?}");
        assert_eq!(
            lines.join(" ").split_whitespace().count(),
            text.split_whitespace().count()
        );
        assert!(lines.contains(&String::new()), "blank line kept: {lines:?}");
    }

    #[test]
    fn wrap_splits_words_longer_than_the_line_and_counts_wide_chars() {
        let lines = wrap("https://example.com/a/very/long/path/that/does/not/fit", 16);
        assert!(lines.iter().all(|l| l.width() <= 16), "{lines:?}");
        let cjk = wrap("打印机打印乱码字符", 6);
        assert!(cjk.iter().all(|l| l.width() <= 6), "{cjk:?}");
        assert_eq!(cjk.concat(), "打印机打印乱码字符");
    }
}
