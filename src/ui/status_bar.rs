//! The status bar: demo badge, profile, connection state, last refresh, the latest notice, and
//! the help hint. When space is short the notice wins over the profile details, but the
//! connection state always stays.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use unicode_width::UnicodeWidthStr;

use super::{Theme, format};
use crate::app::{Connection, Model, NoticeLevel};

/// Columns a notice gets before optional details are dropped.
const NOTICE_MIN: usize = 36;

pub fn render(frame: &mut Frame, area: Rect, model: &Model, theme: &Theme) {
    let width = usize::from(area.width);
    let hint = " ? help ";
    let mut spans = Vec::new();
    if model.profile.demo {
        spans.push(Span::styled(" DEMO ", theme.demo_badge()));
    }
    let (dot, state) = match &model.connection {
        Connection::Connecting => ("○", "connecting".to_string()),
        Connection::Online(info) => ("●", format!("online {}", info.version)),
        Connection::Offline(why) => ("✕", why.clone()),
    };
    spans.push(Span::raw(format!(" {} ", model.profile.name)));
    let connection = Span::raw(format!("{dot} {state} "));
    let vendor = Span::raw(format!("· {} ", model.profile.vendor));
    let refreshed = model.last_refresh.map(|at| {
        let ago = format::age(model.now, Some(at));
        let ago = if ago == "now" {
            "just now".to_string()
        } else {
            format!("{ago} ago")
        };
        Span::raw(format!("· refreshed {ago} "))
    });
    let used = |spans: &[Span]| spans.iter().map(|s| s.content.width()).sum::<usize>();
    let reserve = if model.notice.is_some() {
        NOTICE_MIN
    } else {
        0
    } + hint.len();
    let base = used(&spans) + connection.content.width();
    if base + vendor.content.width() + reserve <= width {
        spans.push(vendor);
    }
    spans.push(connection);
    if let Some(refreshed) = refreshed
        && used(&spans) + refreshed.content.width() + reserve <= width
    {
        spans.push(refreshed);
    }
    if let Some(notice) = &model.notice {
        let style = match notice.level {
            NoticeLevel::Info => theme.status_bar(),
            NoticeLevel::Warning => theme.status_bar().patch(theme.warning()),
            NoticeLevel::Error => theme.status_bar().patch(theme.danger()),
        };
        let room = width.saturating_sub(used(&spans) + hint.len() + 1);
        spans.push(Span::styled(
            format!("{} ", format::fit(&notice.text, room)),
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
