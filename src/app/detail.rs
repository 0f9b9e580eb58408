//! The Detail pane's state and its text layout: which request is open, the scroll position, and
//! the lines it is drawn with, wrapped once per width and data (a 200 KB description must not be
//! re-wrapped on every frame). The width comes from the model's geometry, never from a frame.

use std::sync::Arc;

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use super::outbox::OutboxItem;
use crate::domain::{Capabilities, Ticket, TicketDetail, TicketKey, Visibility};

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
    /// The request's web address (drawn as a link where the terminal has them).
    Link,
    /// A write of the agent's the server has not confirmed yet.
    Pending,
    /// A write of the agent's the server refused.
    Refused,
    Blank,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DetailLine {
    pub kind: LineKind,
    pub text: String,
}

#[derive(Debug, Clone, Default)]
pub struct DetailPane {
    /// The request shown.
    pub open: Option<TicketKey>,
    /// First line shown.
    pub scroll: usize,
    /// An unsent draft of a reply on the open request, offered back (`c`).
    pub draft: Option<(TicketKey, super::composer::Draft)>,
    layout: Option<Layout>,
}

/// The lines of one detail at one width.
#[derive(Debug, Clone)]
struct Layout {
    key: TicketKey,
    width: u16,
    caps: Capabilities,
    source: Arc<TicketDetail>,
    /// The session's outbox version the pending marks were drawn from.
    outbox: u64,
    lines: Vec<DetailLine>,
}

impl DetailPane {
    /// Opens `key`, at the top unless it is already open.
    pub fn open(&mut self, key: TicketKey) {
        if self.open.as_ref() != Some(&key) {
            self.scroll = 0;
        }
        self.open = Some(key);
    }

    /// The laid-out lines, when the open request's detail is known.
    pub fn lines(&self) -> &[DetailLine] {
        match (&self.layout, &self.open) {
            (Some(l), Some(open)) if l.key == *open => &l.lines,
            _ => &[],
        }
    }

    /// Lays `detail` out at `width`, with the agent's writes on it not yet confirmed
    /// (`outbox`, of version `version`), unless that is what is laid out already.
    pub fn relayout(
        &mut self,
        detail: Option<&Arc<TicketDetail>>,
        width: u16,
        caps: Capabilities,
        outbox: (&[OutboxItem], u64),
        web: Option<&crate::domain::WebLinks>,
    ) {
        let (Some(detail), Some(key)) = (detail, self.open.clone()) else {
            self.layout = None;
            return;
        };
        let (items, version) = outbox;
        let current = self.layout.as_ref().is_some_and(|l| {
            l.key == key
                && l.width == width
                && l.caps == caps
                && l.outbox == version
                && Arc::ptr_eq(&l.source, detail)
        });
        if !current {
            let mine: Vec<&OutboxItem> = items
                .iter()
                .filter(|i| i.subject.ticket() == Some(&key.id))
                .collect();
            self.layout = Some(Layout {
                key,
                width,
                caps,
                source: Arc::clone(detail),
                outbox: version,
                lines: layout(detail, width, caps, &mine, web),
            });
        }
    }
}

fn layout(
    detail: &TicketDetail,
    width: u16,
    caps: Capabilities,
    pending: &[&OutboxItem],
    web: Option<&crate::domain::WebLinks>,
) -> Vec<DetailLine> {
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
    if let Some(web) = web {
        push(
            LineKind::Link,
            &format!("Web:       {}", web.request(&t.id)),
        );
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
    // Changes of the agent's on their way: drawn as such until the server confirms them, and
    // marked refused (with the reason) if it does not.
    for item in pending.iter().filter(|i| !is_comment(i)) {
        let (kind, text) = pending_text(item);
        push(kind, &text);
    }
    push(LineKind::Blank, "");
    push(LineKind::Heading, "Description");
    if detail.description.is_empty() {
        push(LineKind::Note, "(no description)");
    } else {
        push(LineKind::Body, detail.description.as_str());
    }
    if caps.custom_fields && !detail.custom_fields.is_empty() {
        push(LineKind::Blank, "");
        push(LineKind::Heading, "Custom fields");
        for f in &detail.custom_fields {
            push(LineKind::Field, &format!("{}: {}", f.label, f.value));
        }
    }
    if caps.links && !detail.links.is_empty() {
        push(LineKind::Blank, "");
        push(LineKind::Heading, "Linked requests");
        for l in &detail.links {
            push(LineKind::Body, &format!("#{}  {}", l.id, l.title));
        }
    }
    if caps.approvals && !detail.approvals.is_empty() {
        push(LineKind::Blank, "");
        push(
            LineKind::Heading,
            &format!("Approvals ({})", detail.approvals.len()),
        );
        for a in &detail.approvals {
            let t = a.tally();
            let created = a
                .created_at
                .map(|d| format!(" · {}", d.format("%Y-%m-%d %H:%M")))
                .unwrap_or_default();
            push(
                LineKind::Body,
                &format!("[{}] {}", a.status_text(), a.description),
            );
            push(
                LineKind::Note,
                &format!(
                    "{}{created} · {} approved, {} rejected, {} waiting",
                    a.kind_text(),
                    t.approved,
                    t.rejected,
                    t.waiting
                ),
            );
            let votes: Vec<String> = a
                .voters
                .iter()
                .map(|v| {
                    let word = v.vote_name.as_ref().map_or(v.vote.word(), |n| n.as_str());
                    format!("{} {word}", v.user.name)
                })
                .collect();
            if !votes.is_empty() {
                push(LineKind::Note, &format!("voters: {}", votes.join(" · ")));
            }
            if let Some(why) = &a.voters_error {
                push(LineKind::Note, &format!("voters could not be read: {why}"));
            }
        }
    }
    if !caps.comments {
        // Said, so an empty thread is never mistaken for a request nobody answered.
        push(LineKind::Blank, "");
        push(
            LineKind::Note,
            "no comments: this service desk's API has no comment thread",
        );
        return out;
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
    for item in pending.iter().filter(|i| is_comment(i)) {
        let (kind, state) = pending_text(item);
        push(LineKind::Blank, "");
        push(
            kind,
            &format!("[{}] you  {state}", item.describe().to_uppercase()),
        );
        if let Some(text) = item.queued.as_ref().and_then(|q| q.write.text()) {
            push(kind, text);
        }
    }
    out
}

fn is_comment(item: &OutboxItem) -> bool {
    matches!(
        item.queued.as_ref().map(|q| &q.write),
        Some(crate::domain::Write::Comment { .. })
    )
}

/// "⇡ pending: reassign" or "✕ refused: reopen: the request is open".
fn pending_text(item: &OutboxItem) -> (LineKind, String) {
    if item.failed() {
        let why = item.last_error.as_deref().unwrap_or("no reason given");
        (
            LineKind::Refused,
            format!(
                "✕ not sent: {}: {why} (O: retry or discard)",
                item.describe()
            ),
        )
    } else {
        (
            LineKind::Pending,
            format!("⇡ pending: {} (waiting for the server)", item.describe()),
        )
    }
}

fn fields(t: &Ticket) -> Vec<String> {
    fn name<I>(n: Option<&crate::domain::Named<I>>) -> String {
        n.map_or("—".to_string(), |n| n.name.to_string())
    }
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
