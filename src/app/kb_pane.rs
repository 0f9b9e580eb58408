//! The knowledge-base pane (`K`, `:kb`, and `ctrl-k` in the reply composer). Four places, one
//! at a time:
//! - **search**: typing searches (see `kb.rs`), `↑` `↓` choose a result, `enter` reads it,
//!   `tab` goes to the categories;
//! - **categories**: the tree, `enter` lists a category's articles;
//! - **a category's articles**: `enter` reads one;
//! - **an article**: `↑` `↓` move a line cursor, `v` marks where a selection starts.
//!
//! Opened from a reply, `ctrl-l` (in search) or `L` puts the article's link into the reply and
//! `i` the selected lines (or the paragraph under the cursor) as a quotation; the pane closes and
//! the reply goes on where its cursor was. `esc` goes back a place, and from search back to the
//! reply (or to the panes).

use super::action::Action;
use super::composer::Composer;
use super::kb;
use super::keys::moved;
use super::mode::Mode;
use super::model::{Model, NoticeLevel};
use super::msg::{Effect, Timer};
use crate::domain::{KbCategory, KbSummary, ProfileId};

/// Where in the pane the keys act.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum KbFocus {
    #[default]
    Search,
    Tree,
    Category,
    Article,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct KbView {
    pub focus: KbFocus,
    /// The highlighted search result.
    pub hit: usize,
    /// The highlighted category of the tree.
    pub tree: usize,
    /// The highlighted article of the category.
    pub listed: usize,
    /// The article's line under the cursor.
    pub line: usize,
    /// Where the selection of article lines starts, when one is being made.
    pub mark: Option<usize>,
    /// Where the article was opened from, to go back to.
    pub from: KbFocus,
    /// The reply the pane was opened from: inserts go into it, and closing goes back to it.
    pub reply: Option<Box<Composer>>,
}

/// `K` / `:kb`: the pane on the profile the agent is looking at.
pub fn open(m: &mut Model) -> Vec<Effect> {
    let Some(profile) = kb::profile_for(m) else {
        m.notify(NoticeLevel::Warning, "no open profile has a knowledge base");
        return Vec::new();
    };
    start(m, profile, None)
}

/// `:kb WORDS`: the pane, searching the words at once.
pub fn open_with(m: &mut Model, words: &str) -> Vec<Effect> {
    let mut effects = open(m);
    if !words.trim().is_empty() && matches!(m.mode, Mode::Kb(_)) {
        m.kb.query = words.trim().to_string();
        effects.extend(kb::search(m));
    }
    effects
}

/// `ctrl-k` in the composer: the pane over the reply, searching the request's profile.
pub fn from_reply(m: &mut Model) -> Vec<Effect> {
    // The draft is saved first: while the pane is open the reply is not being typed in.
    let mut effects = super::composer::save(m);
    let Mode::Composer(composer) = std::mem::take(&mut m.mode) else {
        return effects;
    };
    let profile = composer.key.profile;
    if m.session(profile)
        .is_some_and(|s| s.capabilities.is_some_and(|c| !c.kb))
    {
        let name = m.session(profile).map_or("?", |s| s.label.name.as_str());
        let why = format!("{name} has no knowledge base to search");
        m.mode = Mode::Composer(composer);
        m.notify(NoticeLevel::Warning, why);
        return effects;
    }
    effects.extend(start(m, profile, Some(composer)));
    effects
}

fn start(m: &mut Model, profile: ProfileId, reply: Option<Box<Composer>>) -> Vec<Effect> {
    let effects = kb::attach(m, profile);
    m.mode = Mode::Kb(Box::new(KbView {
        reply,
        ..KbView::default()
    }));
    effects
}

/// A character typed into the search words.
pub fn type_text(m: &mut Model, c: char) -> Vec<Effect> {
    if let Mode::Kb(view) = &mut m.mode
        && view.focus == KbFocus::Search
    {
        m.kb.query.push(c);
        view.hit = 0;
        return kb::typed(m);
    }
    Vec::new()
}

/// The tree in display order: each category after its parent, with its depth. A category whose
/// parent is unknown is a root; a cycle is shown once and never loops.
pub fn tree_rows(categories: &[KbCategory]) -> Vec<(usize, &KbCategory)> {
    let known = |id: &str| categories.iter().any(|c| c.id == id);
    let mut out = Vec::new();
    let mut shown = std::collections::HashSet::new();
    let mut stack: Vec<(usize, &KbCategory)> = categories
        .iter()
        .filter(|c| c.parent.as_deref().is_none_or(|p| !known(p) || p == c.id))
        .rev()
        .map(|c| (0, c))
        .collect();
    loop {
        while let Some((depth, c)) = stack.pop() {
            if !shown.insert(c.id.as_str()) {
                continue;
            }
            out.push((depth, c));
            let children = categories
                .iter()
                .filter(|k| k.parent.as_deref() == Some(c.id.as_str()) && k.id != c.id);
            let children: Vec<_> = children.collect();
            stack.extend(children.into_iter().rev().map(|k| (depth + 1, k)));
        }
        // Categories only reachable through a cycle: shown as roots, once.
        match categories.iter().find(|c| !shown.contains(c.id.as_str())) {
            Some(c) => stack.push((0, c)),
            None => break,
        }
    }
    out
}

fn hits_len(m: &Model) -> usize {
    m.kb.hits.data().map_or(0, |h| h.len())
}

fn article_lines(m: &Model) -> Vec<String> {
    m.kb.article
        .as_ref()
        .and_then(|(_, r)| r.data())
        .map(|a| a.body.as_str().split('\n').map(str::to_owned).collect())
        .unwrap_or_default()
}

/// The article the keys act on: the highlighted result or category article, or the one read.
fn chosen(m: &Model, view: &KbView) -> Option<KbSummary> {
    match view.focus {
        KbFocus::Search => {
            m.kb.hits
                .data()
                .and_then(|h| h.get(view.hit))
                .map(|h| h.article.clone())
        }
        KbFocus::Category => {
            m.kb.category
                .as_ref()
                .and_then(|(_, r)| r.data())
                .and_then(|l| l.get(view.listed))
                .cloned()
        }
        KbFocus::Article => {
            m.kb.article
                .as_ref()
                .and_then(|(_, r)| r.data())
                .map(|a| a.summary.clone())
        }
        KbFocus::Tree => None,
    }
}

pub fn action(m: &mut Model, action: Action) -> Vec<Effect> {
    let Mode::Kb(view) = &m.mode else {
        return Vec::new();
    };
    let mut view = (**view).clone();
    let effects = match view.focus {
        KbFocus::Search => search_action(m, &mut view, action),
        KbFocus::Tree => tree_action(m, &mut view, action),
        KbFocus::Category => category_action(m, &mut view, action),
        KbFocus::Article => article_action(m, &mut view, action),
    };
    match effects {
        Step::Stay(effects) => {
            if matches!(m.mode, Mode::Kb(_)) {
                m.mode = Mode::Kb(Box::new(view));
            }
            effects
        }
        Step::Left(effects) => effects,
    }
}

/// Whether the pane is still open after an action.
enum Step {
    Stay(Vec<Effect>),
    /// The pane closed (or another mode took over): the view is not put back.
    Left(Vec<Effect>),
}

fn shared(m: &mut Model, view: &mut KbView, action: Action) -> Option<Step> {
    match action {
        Action::Help => {
            m.mode = Mode::Kb(Box::new(view.clone()));
            super::keys::open_help(m);
            Some(Step::Left(Vec::new()))
        }
        Action::InsertLink => Some(insert_link(m, view)),
        Action::Close => Some(close(m, view)),
        _ => None,
    }
}

fn search_action(m: &mut Model, view: &mut KbView, action: Action) -> Step {
    if let Some(step) = shared(m, view, action) {
        return step;
    }
    match action {
        Action::Cancel => return close(m, view),
        Action::DeleteBack | Action::DeleteWord | Action::ClearLine
            if super::keys::edit(&mut m.kb.query, action) =>
        {
            view.hit = 0;
            return Step::Stay(kb::typed(m));
        }
        a if a.moves() => view.hit = moved(view.hit, hits_len(m), action, 10),
        Action::Open | Action::Accept => {
            // Words typed since the last search are searched first.
            if m.kb.searched() != Some(m.kb.query.trim()) {
                return Step::Stay(kb::search(m));
            }
            if let Some(article) = chosen(m, view) {
                return Step::Stay(open_article(m, view, &article.id));
            }
        }
        Action::Refresh => return Step::Stay(kb::search_again(m)),
        Action::KbBrowse => view.focus = KbFocus::Tree,
        _ => {}
    }
    Step::Stay(Vec::new())
}

fn tree_action(m: &mut Model, view: &mut KbView, action: Action) -> Step {
    if let Some(step) = shared(m, view, action) {
        return step;
    }
    let rows: Vec<String> =
        m.kb.categories
            .data()
            .map(|c| tree_rows(c).iter().map(|(_, c)| c.id.clone()).collect())
            .unwrap_or_default();
    match action {
        a if a.moves() => view.tree = moved(view.tree, rows.len(), action, 10),
        Action::Open | Action::Expand => {
            if let Some(id) = rows.get(view.tree) {
                view.focus = KbFocus::Category;
                view.listed = 0;
                return Step::Stay(kb::browse(m, id));
            }
        }
        Action::Refresh => {
            let profile = m.kb.profile;
            m.kb.categories = super::remote::Remote::NotAsked;
            return Step::Stay(profile.map(|p| kb::attach(m, p)).unwrap_or_default());
        }
        Action::Back | Action::Cancel | Action::KbBrowse | Action::Filter => {
            view.focus = KbFocus::Search;
        }
        _ => {}
    }
    Step::Stay(Vec::new())
}

fn category_action(m: &mut Model, view: &mut KbView, action: Action) -> Step {
    if let Some(step) = shared(m, view, action) {
        return step;
    }
    let len =
        m.kb.category
            .as_ref()
            .and_then(|(_, r)| r.data())
            .map_or(0, |l| l.len());
    match action {
        a if a.moves() => view.listed = moved(view.listed, len, action, 10),
        Action::Open | Action::Expand => {
            if let Some(article) = chosen(m, view) {
                return Step::Stay(open_article(m, view, &article.id));
            }
        }
        Action::Refresh => {
            if let Some(id) = m.kb.category.as_ref().map(|(id, _)| id.clone()) {
                return Step::Stay(kb::browse(m, &id));
            }
        }
        Action::Back | Action::Cancel | Action::Collapse => view.focus = KbFocus::Tree,
        Action::KbBrowse | Action::Filter => view.focus = KbFocus::Search,
        _ => {}
    }
    Step::Stay(Vec::new())
}

fn open_article(m: &mut Model, view: &mut KbView, id: &str) -> Vec<Effect> {
    view.from = view.focus;
    view.focus = KbFocus::Article;
    view.line = 0;
    view.mark = None;
    kb::read(m, id)
}

fn article_action(m: &mut Model, view: &mut KbView, action: Action) -> Step {
    if let Some(step) = shared(m, view, action) {
        return step;
    }
    let len = article_lines(m).len();
    match action {
        a if a.moves() => view.line = moved(view.line, len, action, 10),
        Action::Select => {
            view.mark = match view.mark {
                Some(_) => None,
                None => Some(view.line),
            };
        }
        Action::InsertExcerpt => return insert_excerpt(m, view),
        Action::Refresh => {
            if let Some(id) = m.kb.article.as_ref().map(|(id, _)| id.clone()) {
                return Step::Stay(kb::read(m, &id));
            }
        }
        Action::Back | Action::Cancel | Action::Collapse => {
            view.focus = view.from;
            view.mark = None;
        }
        _ => {}
    }
    Step::Stay(Vec::new())
}

/// The article lines an excerpt takes: the selection, else the paragraph under the cursor.
pub fn excerpt_range(lines: &[String], line: usize, mark: Option<usize>) -> (usize, usize) {
    if lines.is_empty() {
        return (0, 0);
    }
    let line = line.min(lines.len() - 1);
    if let Some(mark) = mark {
        let mark = mark.min(lines.len() - 1);
        return (line.min(mark), line.max(mark));
    }
    let blank = |i: usize| lines[i].trim().is_empty();
    let mut start = line;
    while start > 0 && !blank(start - 1) {
        start -= 1;
    }
    let mut end = line;
    while end + 1 < lines.len() && !blank(end + 1) {
        end += 1;
    }
    (start, end)
}

fn insert_link(m: &mut Model, view: &mut KbView) -> Step {
    let Some(article) = chosen(m, view) else {
        return Step::Stay(Vec::new());
    };
    let (text, addressed) = kb::link_text(&article);
    let step = insert(
        m,
        view,
        &text,
        false,
        &format!("the link to “{}”", article.title),
    );
    if !addressed && matches!(step, Step::Left(_)) {
        kb::say_no_address(m);
    }
    step
}

fn insert_excerpt(m: &mut Model, view: &mut KbView) -> Step {
    let Some(article) = chosen(m, view) else {
        return Step::Stay(Vec::new());
    };
    let lines = article_lines(m);
    if lines.iter().all(|l| l.trim().is_empty()) {
        m.notify(NoticeLevel::Warning, "this article has no text to quote");
        return Step::Stay(Vec::new());
    }
    let (start, end) = excerpt_range(&lines, view.line, view.mark);
    let chosen_lines: Vec<&str> = lines[start..=end].iter().map(String::as_str).collect();
    let text = kb::excerpt_text(&article, &chosen_lines);
    let what = match end - start {
        0 => format!("a line of “{}”", article.title),
        n => format!("{} lines of “{}”", n + 1, article.title),
    };
    insert(m, view, &text, true, &what)
}

/// Puts `text` into the reply and goes back to it. `block`: on lines of its own.
fn insert(m: &mut Model, view: &mut KbView, text: &str, block: bool, what: &str) -> Step {
    let Some(mut reply) = view.reply.take() else {
        m.notify(
            NoticeLevel::Info,
            "to put it into a reply, open the knowledge base from the reply (ctrl-k)",
        );
        return Step::Stay(Vec::new());
    };
    let column = reply.text.cursor().1;
    let mut inserted = String::new();
    if block && column > 0 {
        inserted.push('\n');
    }
    inserted.push_str(text);
    if block {
        inserted.push('\n');
    }
    reply.text.insert_str(&inserted);
    reply.dirty = true;
    m.mode = Mode::Composer(reply);
    m.notify(NoticeLevel::Info, format!("put {what} into the reply"));
    Step::Left(vec![Effect::SetTimer {
        timer: Timer::Draft,
        after: super::composer::DRAFT_DEBOUNCE,
    }])
}

fn close(m: &mut Model, view: &mut KbView) -> Step {
    m.mode = match view.reply.take() {
        Some(reply) => Mode::Composer(reply),
        None => Mode::Normal,
    };
    Step::Left(vec![Effect::CancelTimer(Timer::KbSearch)])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::SafeText;

    fn c(id: &str, parent: Option<&str>) -> KbCategory {
        KbCategory {
            id: id.into(),
            name: SafeText::line(id),
            parent: parent.map(str::to_string),
        }
    }

    #[test]
    fn the_tree_puts_children_under_parents_and_survives_cycles_and_orphans() {
        let cats = [
            c("hw", None),
            c("sw", None),
            c("printers", Some("hw")),
            c("toner", Some("printers")),
            c("vpn", Some("sw")),
            c("orphan", Some("gone")),
            c("a", Some("b")),
            c("b", Some("a")),
        ];
        let rows: Vec<(usize, &str)> = tree_rows(&cats)
            .iter()
            .map(|(d, c)| (*d, c.id.as_str()))
            .collect();
        assert_eq!(
            rows,
            [
                (0, "hw"),
                (1, "printers"),
                (2, "toner"),
                (0, "sw"),
                (1, "vpn"),
                (0, "orphan"),
                (0, "a"),
                (1, "b"),
            ]
        );
    }

    #[test]
    fn an_excerpt_is_the_selection_or_the_paragraph_under_the_cursor() {
        let lines: Vec<String> = ["Intro", "", "Step one", "Step two", "", "End"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert_eq!(excerpt_range(&lines, 3, None), (2, 3));
        assert_eq!(excerpt_range(&lines, 5, Some(2)), (2, 5));
        assert_eq!(excerpt_range(&lines, 0, None), (0, 0));
        assert_eq!(excerpt_range(&[], 4, None), (0, 0));
    }
}
