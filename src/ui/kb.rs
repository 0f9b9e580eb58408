//! The knowledge-base pane: the search line with its results (score, title; category path,
//! rating, views, last change), the category tree, a category's articles, and an article read
//! with a line cursor, the selected lines marked and links shown as numbered footnotes.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::Theme;
use super::format::{age, fit};
use super::writes::{centred, hints, open_overlay};
use crate::app::{Action, KbFocus, KbView, Model, Remote, kb_excerpt_range, kb_tree_rows, wrap};
use crate::config::keymap::Context;
use crate::domain::{KbArticle, KbSummary};

pub fn render(frame: &mut Frame, area: Rect, model: &Model, view: &KbView, theme: &Theme) {
    let rect = centred(
        area,
        area.width.saturating_sub(2).max(20),
        area.height.saturating_sub(2),
    );
    let inner = usize::from(rect.width.saturating_sub(2));
    let profile = model
        .kb
        .profile
        .and_then(|p| model.session(p))
        .map_or("?", |s| s.label.name.as_str());
    let into = view.reply.as_ref().map_or_else(String::new, |r| {
        let id = model
            .ticket(&r.key)
            .map_or_else(|| format!("#{}", r.key.id), |t| t.display_id.to_string());
        format!(" · for the reply on {id}")
    });
    let title = format!(" Knowledge base · {profile}{into} ");
    let footer = footer(model, view);
    let body = open_overlay(frame, rect, &title, &footer, theme);
    let lines = match view.focus {
        KbFocus::Search => search(model, view, inner, body.height, theme),
        KbFocus::Tree => tree(model, view, inner, body.height, theme),
        KbFocus::Category => category(model, view, inner, body.height, theme),
        KbFocus::Article => article(model, view, inner, body.height, theme),
    };
    frame.render_widget(Paragraph::new(lines), body);
    if view.focus == KbFocus::Search && body.height > 0 {
        // The terminal's cursor sits where the next letter goes.
        let typed = unicode_width::UnicodeWidthStr::width(model.kb.query.as_str());
        let x = body.x + u16::try_from(9 + typed).unwrap_or(u16::MAX);
        if x < body.x + body.width {
            frame.set_cursor_position((x, body.y));
        }
    }
}

fn footer(model: &Model, view: &KbView) -> String {
    let replying = view.reply.is_some();
    let (context, keys): (Context, Vec<(Action, &str)>) = match view.focus {
        KbFocus::Search => {
            let mut keys = vec![(Action::Open, "read"), (Action::KbBrowse, "categories")];
            if replying {
                keys.push((Action::InsertLink, "insert link"));
            }
            keys.push((
                Action::Cancel,
                if replying { "back to reply" } else { "close" },
            ));
            (Context::Kb, keys)
        }
        KbFocus::Tree => (
            Context::KbBrowse,
            vec![
                (Action::Open, "list"),
                (Action::Filter, "search"),
                (Action::Back, "back"),
            ],
        ),
        KbFocus::Category => {
            let mut keys = vec![(Action::Open, "read")];
            if replying {
                keys.push((Action::InsertLink, "insert link"));
            }
            keys.push((Action::Back, "back"));
            (Context::KbBrowse, keys)
        }
        KbFocus::Article => {
            let mut keys = vec![(Action::Select, "select")];
            if replying {
                keys.push((Action::InsertExcerpt, "insert lines"));
                keys.push((Action::InsertLink, "insert link"));
            }
            keys.push((Action::Back, "back"));
            (Context::KbBrowse, keys)
        }
    };
    hints(model, context, &keys)
}

/// "★4.5 · 1,204 views · updated 3d ago", with the category path first when known.
fn meta(model: &Model, s: &KbSummary) -> String {
    let mut parts = Vec::new();
    let path = model.kb.path(s.category.as_ref().map(|c| c.id.as_str()));
    if !path.is_empty() {
        parts.push(path);
    } else if let Some(c) = &s.category {
        parts.push(c.name.to_string());
    }
    if let Some(r) = s.rating {
        parts.push(format!("★{r:.1}"));
    }
    if let Some(v) = s.views {
        parts.push(format!("{} views", thousands(v)));
    }
    if let Some(at) = s.updated_at {
        parts.push(format!("updated {} ago", age(model.now, Some(at))));
    }
    parts.join(" · ")
}

fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The mark and style of a list row, the highlighted one standing out.
fn row(highlighted: bool, theme: &Theme) -> (&'static str, Style) {
    if highlighted {
        ("▸", theme.selection())
    } else {
        (" ", theme.text())
    }
}

/// What a read that has nothing to show yet says instead.
fn state<T>(remote: &Remote<T>, loading: &str) -> Option<String> {
    if remote.data().is_some() {
        return None;
    }
    match remote {
        Remote::Loading { .. } => Some(loading.to_string()),
        Remote::Failed { error, .. } => Some(format!("could not be read: {error}")),
        Remote::NotAsked | Remote::Loaded { .. } => None,
    }
}

/// Two lines an article: title (with the score when searched), then where it is and how it
/// fares. The highlighted one stays in sight.
fn articles<'a>(
    model: &Model,
    list: impl Iterator<Item = (Option<f64>, &'a KbSummary)>,
    cursor: usize,
    room: usize,
    inner: usize,
    theme: &Theme,
) -> Vec<Line<'static>> {
    let first = (cursor * 2 + 2).saturating_sub(room).div_ceil(2);
    let mut out = Vec::new();
    for (i, (score, s)) in list.enumerate().skip(first) {
        let (mark, style) = row(i == cursor, theme);
        let score = score.map_or_else(|| "    ".to_string(), |v| format!("{v:.2}"));
        out.push(Line::styled(
            fit(&format!(" {mark} {score}  {}", s.title), inner),
            style,
        ));
        out.push(Line::styled(
            fit(&format!("         {}", meta(model, s)), inner),
            theme.muted(),
        ));
    }
    out
}

fn search(
    model: &Model,
    view: &KbView,
    inner: usize,
    height: u16,
    theme: &Theme,
) -> Vec<Line<'static>> {
    let kb = &model.kb;
    let mut out = vec![Line::from(vec![
        Span::styled(" Search: ", theme.accent().add_modifier(Modifier::BOLD)),
        Span::raw(kb.query.clone()),
        Span::styled(
            if kb.hits.is_loading() {
                "   searching…"
            } else {
                ""
            },
            theme.muted(),
        ),
    ])];
    out.push(Line::raw(""));
    if kb.query.trim().is_empty() {
        out.push(Line::styled(
            " Type words to search titles and text; tab browses the categories.",
            theme.muted(),
        ));
        return out;
    }
    if let Some(e) = kb.hits.error() {
        out.push(Line::styled(
            fit(&format!(" The search failed: {e}"), inner),
            theme.danger(),
        ));
    }
    let Some(hits) = kb.hits.data() else {
        if !kb.hits.is_loading() && kb.hits.error().is_none() {
            out.push(Line::styled(" …", theme.muted()));
        }
        return out;
    };
    if hits.is_empty() {
        out.push(Line::styled(
            fit(
                &format!(
                    " Nothing in the knowledge base matches “{}”.",
                    kb.searched().unwrap_or_default()
                ),
                inner,
            ),
            theme.muted(),
        ));
        return out;
    }
    let room = usize::from(height).saturating_sub(out.len());
    let cursor = view.hit.min(hits.len() - 1);
    out.extend(articles(
        model,
        hits.iter().map(|h| (h.score, &h.article)),
        cursor,
        room,
        inner,
        theme,
    ));
    out
}

fn tree(
    model: &Model,
    view: &KbView,
    inner: usize,
    height: u16,
    theme: &Theme,
) -> Vec<Line<'static>> {
    let mut out = vec![Line::styled(" Categories", theme.title()), Line::raw("")];
    if let Some(said) = state(&model.kb.categories, " Reading the categories…") {
        out.push(Line::styled(fit(&format!(" {said}"), inner), theme.muted()));
        return out;
    }
    let Some(categories) = model.kb.categories.data() else {
        return out;
    };
    let rows = kb_tree_rows(categories);
    if rows.is_empty() {
        out.push(Line::styled(
            " This knowledge base has no categories.",
            theme.muted(),
        ));
        return out;
    }
    let cursor = view.tree.min(rows.len() - 1);
    let room = usize::from(height).saturating_sub(out.len()).max(1);
    let first = (cursor + 1).saturating_sub(room);
    for (i, (depth, c)) in rows.iter().enumerate().skip(first) {
        let (mark, style) = row(i == cursor, theme);
        let indent = "  ".repeat((*depth).min(8));
        out.push(Line::styled(
            fit(&format!(" {mark} {indent}{}", c.name), inner),
            style,
        ));
    }
    out
}

fn category(
    model: &Model,
    view: &KbView,
    inner: usize,
    height: u16,
    theme: &Theme,
) -> Vec<Line<'static>> {
    let Some((id, remote)) = &model.kb.category else {
        return Vec::new();
    };
    let mut out = vec![
        Line::styled(
            fit(&format!(" {}", model.kb.path(Some(id))), inner),
            theme.title(),
        ),
        Line::raw(""),
    ];
    if let Some(said) = state(remote, "Reading its articles…") {
        out.push(Line::styled(fit(&format!(" {said}"), inner), theme.muted()));
        return out;
    }
    let Some(list) = remote.data() else {
        return out;
    };
    if list.is_empty() {
        out.push(Line::styled(
            " No articles in this category.",
            theme.muted(),
        ));
        return out;
    }
    let room = usize::from(height).saturating_sub(out.len());
    let cursor = view.listed.min(list.len() - 1);
    out.extend(articles(
        model,
        list.iter().map(|s| (None, s)),
        cursor,
        room,
        inner,
        theme,
    ));
    out
}

fn article(
    model: &Model,
    view: &KbView,
    inner: usize,
    height: u16,
    theme: &Theme,
) -> Vec<Line<'static>> {
    let Some((id, remote)) = &model.kb.article else {
        return Vec::new();
    };
    let Some(a) = remote.data() else {
        let said = state(remote, "Reading the article…").unwrap_or_default();
        return vec![Line::styled(
            fit(&format!(" article {id}: {said}"), inner),
            theme.muted(),
        )];
    };
    let mut out = head(model, a, inner, theme);
    let lines: Vec<&str> = a.body.as_str().split('\n').collect();
    let owned: Vec<String> = lines.iter().map(|l| (*l).to_string()).collect();
    let cursor = view.line.min(lines.len().saturating_sub(1));
    let selected = view
        .mark
        .map(|_| kb_excerpt_range(&owned, view.line, view.mark));
    // Each source line wrapped to the width; the cursor's line stays in sight.
    let width = inner.saturating_sub(3).max(1);
    let wrapped: Vec<Vec<String>> = lines.iter().map(|l| wrap(l, width)).collect();
    let room = usize::from(height).saturating_sub(out.len()).max(1);
    let before: usize = wrapped[..cursor].iter().map(Vec::len).sum();
    let through = before + wrapped.get(cursor).map_or(1, Vec::len);
    let skip = through.saturating_sub(room);
    let mut row = 0;
    for (i, pieces) in wrapped.iter().enumerate() {
        let marked = selected.is_some_and(|(s, e)| (s..=e).contains(&i));
        let style = if i == cursor {
            theme.selection()
        } else if marked {
            theme.accent()
        } else {
            Style::default()
        };
        for (n, piece) in pieces.iter().enumerate() {
            row += 1;
            if row <= skip {
                continue;
            }
            let gutter = match (n, marked, i == cursor) {
                (0, _, true) => "▸",
                (_, true, _) => "┃",
                _ => " ",
            };
            out.push(Line::styled(
                fit(&format!(" {gutter} {piece}"), inner),
                style,
            ));
        }
    }
    out
}

fn head(model: &Model, a: &KbArticle, inner: usize, theme: &Theme) -> Vec<Line<'static>> {
    let s = &a.summary;
    let mut out = vec![
        Line::styled(
            fit(&format!(" {}", s.title), inner),
            theme.title().add_modifier(Modifier::BOLD),
        ),
        Line::styled(fit(&format!(" {}", meta(model, s)), inner), theme.muted()),
    ];
    let address = s.url.as_ref().map_or_else(
        || format!(" article {} · the server gives no web address", s.id),
        |u| format!(" {u}"),
    );
    out.push(Line::styled(fit(&address, inner), theme.muted()));
    out.push(Line::raw(""));
    out
}
