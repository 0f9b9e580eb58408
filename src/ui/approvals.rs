//! The approvals pane: approvals waiting for the agent's vote (or every approval of one request),
//! two lines each — the request and the approval's kind, creation and age; the description and
//! how the votes stand — and, opened, the request's summary, the description and every voter
//! with their vote. A vote waiting in the outbox is drawn as pending until its server confirms
//! it. Also the one-line prompt for a vote's note or an approval's description.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph, Wrap};
use unicode_width::UnicodeWidthStr;

use super::Theme;
use super::format::{age, fit};
use super::writes::{centred, hints, open_overlay, overlay};
use crate::app::{
    Action, ApprovalItem, ApprovalScope, ApprovalView, Model, Prompt, approval_items,
    approval_pending_write,
};
use crate::config::keymap::Context;
use crate::domain::{Approval, ApprovalStatus, Vote, Write};

pub fn render(frame: &mut Frame, area: Rect, model: &Model, view: &ApprovalView, theme: &Theme) {
    let items = approval_items(model, view);
    let rect = centred(
        area,
        area.width.saturating_sub(2).max(20),
        area.height.saturating_sub(2),
    );
    let inner = usize::from(rect.width.saturating_sub(2));
    let read = view.read_at(&items);
    let keys: &[(Action, &str)] = if read.is_some() {
        &[
            (Action::Approve, "approve"),
            (Action::RejectApproval, "reject"),
            (Action::AddVoter, "add voter"),
            (Action::CancelApproval, "cancel it"),
            (Action::OpenRequest, "request"),
            (Action::Close, "back"),
        ]
    } else {
        &[
            (Action::Approve, "approve"),
            (Action::RejectApproval, "reject"),
            (Action::Open, "read"),
            (Action::AskApproval, "ask someone"),
            (Action::TemplateApproval, "template"),
            (Action::Close, "close"),
        ]
    };
    let footer = hints(model, Context::Approvals, keys);
    let title = match &view.scope {
        ApprovalScope::Mine => format!(" Approvals waiting for your vote · {} ", items.len()),
        ApprovalScope::Request(key) => {
            format!(" Approvals of #{} · {} ", key.id, items.len())
        }
    };
    let body = open_overlay(frame, rect, &title, &footer, theme);
    let mut lines = state_lines(model, view, inner, theme);
    let cursor = view.cursor.min(items.len().saturating_sub(1));
    if let Some(item) = read.and_then(|i| items.get(i)) {
        lines.extend(reading(model, item, inner, theme));
        frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), body);
        return;
    }
    if items.is_empty() {
        lines.extend(empty(model, view, theme));
        frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), body);
        return;
    }
    // Each approval takes its lines; the list scrolls so the selected one shows in full.
    let blocks: Vec<Vec<Line>> = items
        .iter()
        .enumerate()
        .map(|(i, item)| row(model, view, item, i == cursor, inner, theme))
        .collect();
    let height = usize::from(body.height).saturating_sub(lines.len()).max(1);
    let mut first = 0;
    while first < cursor && blocks[first..=cursor].iter().map(Vec::len).sum::<usize>() > height {
        first += 1;
    }
    lines.extend(blocks.into_iter().skip(first).flatten());
    frame.render_widget(Paragraph::new(lines), body);
}

/// The scan's progress and each profile's trouble, above the list.
fn state_lines(
    model: &Model,
    view: &ApprovalView,
    inner: usize,
    theme: &Theme,
) -> Vec<Line<'static>> {
    if view.scope != ApprovalScope::Mine {
        return Vec::new();
    }
    let several = model.sessions.len() > 1;
    let mut out = Vec::new();
    for s in &model.sessions {
        let who = if several {
            format!("{}: ", s.label.name)
        } else {
            String::new()
        };
        if let Some((done, total)) = s.approvals.progress() {
            out.push(Line::styled(
                fit(
                    &format!(" {who}checking approvals: {done} of {total} requests read…"),
                    inner,
                ),
                theme.muted(),
            ));
        } else if let Some(why) = &s.approvals.error {
            out.push(Line::styled(
                fit(
                    &format!(" {who}could not check approvals: {why} (r tries again)"),
                    inner,
                ),
                theme.danger(),
            ));
        }
        let failed = s.approvals.checked().filter(|c| c.error.is_some()).count();
        if failed > 0 {
            out.push(Line::styled(
                fit(
                    &format!(" {who}{failed} request(s) could not be checked; shown as last read"),
                    inner,
                ),
                theme.warning(),
            ));
        }
    }
    out
}

fn empty(model: &Model, view: &ApprovalView, theme: &Theme) -> Vec<Line<'static>> {
    match &view.scope {
        ApprovalScope::Request(_) => vec![Line::styled(
            " This request has no approvals. n asks someone, t starts a template.",
            theme.muted(),
        )],
        ApprovalScope::Mine => {
            let mut out = Vec::new();
            let unknown: Vec<&str> = model
                .sessions
                .iter()
                .filter(|s| !matches!(s.agent, crate::app::Agent::Known(_)))
                .map(|s| s.label.name.as_str())
                .collect();
            let scanning = model.sessions.iter().any(|s| s.approvals.is_scanning());
            let never = model.sessions.iter().all(|s| {
                s.approvals.scanned_at.is_none() && s.approvals.checked().next().is_none()
            });
            if scanning && never {
                out.push(Line::styled(" Looking for approvals…", theme.muted()));
            } else {
                out.push(Line::styled(
                    " No approval is waiting for your vote.",
                    theme.muted(),
                ));
            }
            if !unknown.is_empty() {
                out.push(Line::styled(
                    format!(
                        " Not known who you are on {}: add agent = \"<your user name>\" to its profile.",
                        unknown.join(", ")
                    ),
                    theme.muted(),
                ));
            }
            out
        }
    }
}

fn tally_text(a: &Approval) -> String {
    if a.voters.is_empty() {
        return "reviewers not named by the API".into();
    }
    let t = a.tally();
    format!(
        "{} approved, {} rejected, {} waiting",
        t.approved, t.rejected, t.waiting
    )
}

/// From this many columns a row has room for the server's words and the time of day.
const ROOMY: usize = 110;

/// The vote counts in the room a row has.
fn tally_fit(a: &Approval, inner: usize) -> String {
    if inner >= ROOMY || a.voters.is_empty() {
        return tally_text(a);
    }
    let t = a.tally();
    format!(
        "{} yes · {} no · {} waiting",
        t.approved, t.rejected, t.waiting
    )
}

fn status_style(theme: &Theme, status: ApprovalStatus) -> Style {
    match status {
        ApprovalStatus::Waiting => theme.warning(),
        ApprovalStatus::Approved => theme.success(),
        ApprovalStatus::Rejected => theme.danger(),
        ApprovalStatus::Cancelled | ApprovalStatus::Expired => theme.muted(),
    }
}

/// `left` and `right` on one line of `width` columns (the last one left blank), `left` cut
/// first.
fn spread(left: &str, right: &str, width: usize) -> String {
    let width = width.saturating_sub(1);
    let right_w = right.width();
    if right_w + 2 >= width {
        return fit(left, width);
    }
    let left = fit(left, width - right_w - 1);
    let gap = width.saturating_sub(left.width() + right_w);
    format!("{left}{}{right}", " ".repeat(gap))
}

fn row(
    model: &Model,
    view: &ApprovalView,
    item: &ApprovalItem<'_>,
    selected: bool,
    inner: usize,
    theme: &Theme,
) -> Vec<Line<'static>> {
    let a = item.approval;
    let profile = if model.sessions.len() > 1 {
        model
            .session(item.profile)
            .map(|s| format!("{} · ", s.label.name))
            .unwrap_or_default()
    } else {
        String::new()
    };
    let title = model
        .session(item.profile)
        .and_then(|s| s.rows.get(&a.ticket))
        .map_or_else(
            || format!("#{}", a.ticket),
            |t| format!("{}  {}", t.display_id, t.title),
        );
    // Narrow rows keep the title readable: the console's short words, the day only.
    let roomy = inner >= ROOMY;
    let created = a
        .created_at
        .map(|d| {
            d.format(if roomy { "%Y-%m-%d %H:%M" } else { "%Y-%m-%d" })
                .to_string()
        })
        .unwrap_or_else(|| "—".into());
    let (status, kind) = if roomy {
        (a.status_text(), a.kind_text())
    } else {
        (a.status.word(), a.kind.word())
    };
    let status = if view.scope == ApprovalScope::Mine {
        String::new()
    } else {
        format!("{status} · ")
    };
    let right = format!(
        "{status}{kind} · {created} · {}",
        age(model.now, a.created_at)
    );
    let mark = if selected { "▸" } else { " " };
    let what = if view.scope == ApprovalScope::Mine {
        format!("{profile}{title}")
    } else {
        let asked = a
            .author
            .as_ref()
            .map_or_else(String::new, |p| format!(" · asked by {}", p.name));
        format!("Approval {}{asked}", a.id)
    };
    let head = spread(&format!(" {mark} {what}"), &right, inner);
    let head_style = if selected {
        theme.selection()
    } else {
        theme.text()
    };
    let description = a
        .description
        .as_str()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let second = spread(&format!("     {description}"), &tally_fit(a, inner), inner);
    let mut out = vec![
        Line::styled(head, head_style),
        Line::styled(
            second,
            if view.scope == ApprovalScope::Mine {
                theme.muted()
            } else {
                status_style(theme, a.status)
            },
        ),
    ];
    if let Some(line) = pending_line(model, item, inner, theme) {
        out.push(line);
    }
    out
}

/// "your vote: reject · waiting in the outbox" while a write on the approval is unconfirmed.
fn pending_line(
    model: &Model,
    item: &ApprovalItem<'_>,
    inner: usize,
    theme: &Theme,
) -> Option<Line<'static>> {
    let write = approval_pending_write(model, item)?;
    let refused = model.session(item.profile).and_then(|s| {
        s.outbox
            .iter()
            .find(|o| o.queued.as_ref().is_some_and(|q| &q.write == write))
            .filter(|o| o.failed())
            .and_then(|o| o.last_error.clone())
    });
    let what = match write {
        Write::Vote { approve: true, .. } => "your vote: approve".to_string(),
        Write::Vote { approve: false, .. } => "your vote: reject".to_string(),
        other => other.describe(),
    };
    Some(match refused {
        Some(why) => Line::styled(
            fit(
                &format!(
                    "     ✕ {what} · refused: {why}{}",
                    super::key_of(model, Context::Global, crate::app::Action::Outbox)
                        .map(|k| format!(" ({k})"))
                        .unwrap_or_default()
                ),
                inner,
            ),
            theme.danger(),
        ),
        None => Line::styled(
            fit(
                &format!("     ⇡ {what} · waiting for the server to confirm"),
                inner,
            ),
            theme.warning(),
        ),
    })
}

fn reading(
    model: &Model,
    item: &ApprovalItem<'_>,
    inner: usize,
    theme: &Theme,
) -> Vec<Line<'static>> {
    let a = item.approval;
    let mut out = Vec::new();
    let session = model.session(item.profile);
    match session.and_then(|s| s.rows.get(&a.ticket)) {
        Some(t) => {
            out.push(Line::styled(
                fit(&format!(" {}  {}", t.display_id, t.title), inner),
                theme.title(),
            ));
            let mut facts = vec![t.status.name.to_string()];
            if let Some(p) = &t.priority {
                facts.push(p.name.to_string());
            }
            if let Some(d) = &t.help_desk {
                facts.push(d.name.to_string());
            }
            if let Some(c) = &t.customer {
                facts.push(format!("customer {}", c.name));
            }
            if let Some(g) = &t.agent {
                facts.push(format!("agent {}", g.name));
            }
            if let Some(s) = session.filter(|_| model.sessions.len() > 1) {
                facts.insert(0, s.label.name.clone());
            }
            out.push(Line::styled(
                fit(&format!(" {}", facts.join(" · ")), inner),
                theme.muted(),
            ));
        }
        None => out.push(Line::styled(format!(" #{}", a.ticket), theme.title())),
    }
    out.push(Line::raw(""));
    out.push(Line::from(vec![
        Span::styled(format!(" Approval {} · ", a.id), theme.text()),
        Span::styled(a.status_text().to_string(), status_style(theme, a.status)),
        Span::styled(format!(" · {}", a.kind_text()), theme.text()),
    ]));
    let asked = a
        .author
        .as_ref()
        .map_or_else(|| "asked".to_string(), |p| format!("asked by {}", p.name));
    if let Some(d) = a.created_at {
        out.push(Line::styled(
            fit(
                &format!(
                    " {asked} on {} ({} ago)",
                    d.format("%Y-%m-%d %H:%M"),
                    age(model.now, a.created_at)
                ),
                inner,
            ),
            theme.muted(),
        ));
    } else {
        out.push(Line::styled(format!(" {asked}"), theme.muted()));
    }
    for line in a.description.as_str().lines() {
        out.push(Line::raw(format!(" {line}")));
    }
    out.push(Line::raw(""));
    out.push(Line::styled(
        format!(" Voters ({})", tally_text(a)),
        theme.title(),
    ));
    let me = model.session(item.profile).and_then(|s| match &s.agent {
        crate::app::Agent::Known(p) => Some(p.id.clone()),
        _ => None,
    });
    let name_width = a
        .voters
        .iter()
        .map(|v| v.user.name.as_str().width())
        .max()
        .unwrap_or(0)
        .min(32);
    for v in &a.voters {
        let word = v
            .vote_name
            .as_ref()
            .map_or(v.vote.word(), |n| n.as_str())
            .to_string();
        let style = match v.vote {
            Vote::Approved => theme.success(),
            Vote::Rejected => theme.danger(),
            Vote::Waiting => theme.warning(),
            Vote::Annulled | Vote::Expired => theme.muted(),
        };
        let name = fit(v.user.name.as_str(), name_width);
        let pad = " ".repeat(name_width.saturating_sub(name.width()));
        let you = if me.as_ref() == Some(&v.user.id) {
            "  ← you"
        } else {
            ""
        };
        out.push(Line::from(vec![
            Span::raw(format!("   {name}{pad}  ")),
            Span::styled(word, style),
            Span::styled(you.to_string(), theme.accent()),
        ]));
    }
    if a.voters.is_empty() && a.voters_error.is_none() {
        out.push(Line::styled(
            "   nobody has been asked yet (v adds a voter)",
            theme.muted(),
        ));
    }
    if let Some(why) = &a.voters_error {
        out.push(Line::styled(
            format!("   the voters could not be read: {why}"),
            theme.danger(),
        ));
    }
    if let Some(line) = pending_line(model, item, inner, theme) {
        out.push(Line::raw(""));
        out.push(line);
    }
    out
}

/// The prompt for a vote's note or an approval's description.
pub fn prompt(frame: &mut Frame, area: Rect, model: &Model, p: &Prompt, theme: &Theme) {
    let rect = centred(area, area.width.saturating_sub(4).clamp(20, 76), 7);
    let inner = usize::from(rect.width.saturating_sub(2));
    let footer = hints(
        model,
        Context::Prompt,
        &[(Action::Accept, "go on"), (Action::Cancel, "back")],
    );
    let block = overlay(
        Line::styled(fit(&format!(" {} ", p.title), inner), theme.title()),
        &footer,
        inner,
        theme,
    );
    let body = block.inner(rect);
    frame.render_widget(Clear, rect);
    frame.render_widget(block, rect);
    // The end of a long line stays in sight.
    let room = inner.saturating_sub(3);
    let shown: String = {
        let total = p.input.width();
        if total <= room {
            p.input.clone()
        } else {
            let mut skip = total - room;
            p.input
                .chars()
                .skip_while(|c| {
                    let w = unicode_width::UnicodeWidthChar::width(*c).unwrap_or(0);
                    if skip == 0 {
                        false
                    } else {
                        skip = skip.saturating_sub(w);
                        true
                    }
                })
                .collect()
        }
    };
    let lines = vec![
        Line::styled(format!(" {}", p.hint), theme.muted()),
        Line::raw(""),
        Line::from(vec![
            Span::styled(" > ", theme.accent()),
            Span::raw(shown),
            Span::styled("▏", theme.accent()),
        ]),
    ];
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), body);
}
