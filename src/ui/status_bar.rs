//! The status bar: demo badge, the current profile (the selected queue's) with its connection
//! state, vendor, rate-limit countdown and freshness, the approvals waiting for the agent's
//! vote, how many other profiles are not online,
//! the latest notice, and the help hint. When space is short the notice wins over the profile
//! details, but the connection state always stays.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use unicode_width::UnicodeWidthStr;

use super::{Theme, format};
use crate::app::{Action, Connection, Model, NoticeLevel};
use crate::config::keymap::Context;

/// Columns a notice gets before optional details are dropped.
const NOTICE_MIN: usize = 36;

pub fn render(frame: &mut Frame, area: Rect, model: &Model, theme: &Theme) {
    let width = usize::from(area.width);
    let hint = match model.keymap.key_for(Context::Global, Action::Help) {
        Some(key) => format!(" {key} help "),
        None => String::new(),
    };
    let hint = hint.as_str();
    let mut spans = Vec::new();
    if model.sessions.iter().any(|s| s.label.demo) {
        spans.push(Span::styled(" DEMO ", theme.demo_badge()));
    }
    let used = |spans: &[Span]| spans.iter().map(|s| s.content.width()).sum::<usize>();
    let reserve = if model.notice.is_some() {
        NOTICE_MIN
    } else {
        0
    } + hint.len();
    let mut optional: Vec<Span> = Vec::new();
    if let Some(s) = model.current_session() {
        let (dot, state) = match &s.connection {
            Connection::Connecting => ("○", "connecting".to_string()),
            Connection::Online(info) => ("●", format!("online {}", info.version)),
            Connection::Offline(why) => ("✕", why.clone()),
        };
        spans.push(Span::raw(format!(" {} ", s.label.name)));
        let vendor = Span::raw(format!("· {} ", s.label.vendor));
        spans.push(Span::raw(format!("{dot} {state} ")));
        if let Some(until) = s.rate_limited_until {
            let secs = (until - model.now).num_seconds().max(0);
            spans.push(Span::styled(
                format!("· rate limited, retrying in {secs} s "),
                theme.warning(),
            ));
        }
        optional.push(vendor);
        if let Some(saved) = s.listing.saved_at() {
            let read_only = if s.is_online() { "" } else { ", read-only" };
            optional.push(Span::styled(
                format!("· saved {}{read_only} ", format::ago(model.now, saved)),
                theme.stale(),
            ));
        } else if let Some(at) = s.last_refresh {
            optional.push(Span::raw(format!(
                "· refreshed {} ",
                format::ago(model.now, at)
            )));
        }
    }
    let waiting = crate::app::approvals_waiting(model).len();
    if waiting > 0 {
        let key = model
            .keymap
            .key_for(Context::Global, Action::Approvals)
            .map_or_else(String::new, |k| format!(" ({k})"));
        let noun = if waiting == 1 {
            "approval"
        } else {
            "approvals"
        };
        // Before the other details, but never at the cost of the connection state or help.
        optional.insert(
            0,
            Span::styled(format!("· {waiting} {noun} to vote{key} "), theme.accent()),
        );
    }
    let (pending, failed) = crate::app::outbox_tally(model);
    if pending > 0 {
        spans.push(Span::styled(
            format!("· ⇡{pending} pending "),
            theme.warning(),
        ));
    }
    if failed > 0 {
        let key = model
            .keymap
            .key_for(Context::Global, Action::Outbox)
            .map(|k| format!(" ({k})"))
            .unwrap_or_default();
        spans.push(Span::styled(
            format!("· ✕{failed} refused{key} "),
            theme.danger(),
        ));
    }
    let others = model
        .sessions
        .iter()
        .filter(|s| Some(s.id) != model.current_session().map(|c| c.id))
        .filter(|s| !s.is_online())
        .count();
    if others > 0 {
        optional.push(Span::styled(
            format!("· {others} other profile(s) not online "),
            theme.warning(),
        ));
    }
    for span in optional {
        if used(&spans) + span.content.width() + reserve <= width {
            spans.push(span);
        }
    }
    if let Some(notice) = &model.notice {
        let style = match notice.level {
            NoticeLevel::Info => theme.status_bar(),
            NoticeLevel::Warning => theme.status_bar().patch(theme.warning()),
            NoticeLevel::Error => theme.status_bar().patch(theme.danger()),
        };
        // "· " sets the notice apart from the details before it.
        let room = width.saturating_sub(used(&spans) + hint.len() + 3);
        spans.push(Span::styled(
            format!("· {} ", format::fit(&notice.text, room)),
            style,
        ));
    }
    let pad = width.saturating_sub(used(&spans) + hint.len());
    spans.push(Span::raw(" ".repeat(pad)));
    spans.push(Span::raw(hint));
    frame.render_widget(
        Paragraph::new(Line::from(spans)).style(theme.status_bar()),
        area,
    );
}
