//! Saved views (`[views.NAME]` in the configuration): a profile, a help desk, a status, a
//! filter and a sort, one key (the view's `key`) or `:view NAME` away. Opening one puts the
//! Queues and Requests panes where the view says and focuses the Requests pane; what cannot be
//! found (a desk the profile does not have, a status no queue holds) is said, and the rest of
//! the view still applies.

use super::matcher::SortOrder;
use super::model::{Focus, Model, NoticeLevel};
use super::msg::Effect;
use super::queues::QueueKey;
use super::session::fold;
use crate::config::{View, ViewSort};
use crate::domain::Catalog;

/// Opens the view at `index` of the configuration.
pub fn open(m: &mut Model, index: u8) -> Vec<Effect> {
    match m.settings.views.get(usize::from(index)).cloned() {
        Some((name, view)) => apply(m, &name, &view),
        None => Vec::new(),
    }
}

/// `:view NAME`: a name, or a prefix only one view has.
pub fn open_named(m: &mut Model, wanted: &str) -> Vec<Effect> {
    let names: Vec<&str> = m.settings.views.iter().map(|(n, _)| n.as_str()).collect();
    if names.is_empty() {
        m.notify(
            NoticeLevel::Warning,
            "no saved views: add a [views.NAME] section to the configuration",
        );
        return Vec::new();
    }
    let exact = names.iter().position(|n| n.eq_ignore_ascii_case(wanted));
    let prefixed: Vec<usize> = (0..names.len())
        .filter(|i| names[*i].to_lowercase().starts_with(&wanted.to_lowercase()))
        .collect();
    let at = match (exact, prefixed.as_slice()) {
        (Some(at), _) | (None, &[at]) => at,
        (None, []) => {
            let text = format!("no saved view “{wanted}” (views: {})", names.join(", "));
            m.notify(NoticeLevel::Warning, text);
            return Vec::new();
        }
        (None, several) => {
            let could: Vec<&str> = several.iter().map(|i| names[*i]).collect();
            let text = format!("“{wanted}” could be {}", could.join(" or "));
            m.notify(NoticeLevel::Warning, text);
            return Vec::new();
        }
    };
    let (name, view) = m.settings.views[at].clone();
    apply(m, &name, &view)
}

fn apply(m: &mut Model, name: &str, view: &View) -> Vec<Effect> {
    let mut missing: Vec<String> = Vec::new();
    let profile = match &view.profile {
        // A help desk belongs to a profile: with one open, that one.
        None if view.queue.is_some() && m.sessions.len() == 1 => m.sessions.first().map(|s| s.id),
        None => {
            if view.queue.is_some() {
                missing.push("a queue needs the view's profile (profile = \"…\")".to_string());
            }
            None
        }
        Some(wanted) => match m.session_named(wanted) {
            Some(session) => Some(session.id),
            None => {
                missing.push(format!("profile {wanted} is not open"));
                None
            }
        },
    };
    let queue = match (profile, &view.queue) {
        (None, _) => QueueKey::Everything,
        (Some(p), None) => QueueKey::Profile(p),
        (Some(p), Some(desk)) => match m.session(p).and_then(|s| s.catalog()) {
            None => {
                missing.push(format!(
                    "the help desks of {} are not loaded yet",
                    label(m, p)
                ));
                QueueKey::Profile(p)
            }
            Some(catalog) => match find_desk(catalog, desk) {
                Some(id) => {
                    // The desk's parent is shown open, so the selection is in sight.
                    if let Some(parent) = catalog
                        .help_desk(id.as_str())
                        .and_then(|d| d.parent_id.clone())
                    {
                        m.queues.expanded.insert((p, parent));
                    }
                    m.queues.collapsed.remove(&p);
                    QueueKey::Desk(p, id)
                }
                None => {
                    missing.push(format!("{} has no help desk “{desk}”", label(m, p)));
                    QueueKey::Profile(p)
                }
            },
        },
    };
    m.queues.selected = queue;
    m.queues.status_filter = view.status.as_deref().map(fold);
    if let Some(status) = &view.status
        && !super::queues::status_rows(m)
            .iter()
            .any(|r| r.key.as_deref() == Some(fold(status).as_str()))
        && super::queues::sessions_of(m, &m.queues.selected).any(|s| s.catalog().is_some())
    {
        missing.push(format!("no open status “{status}” in this queue"));
    }
    m.requests.filter = view.filter.clone().unwrap_or_default();
    if let Some(sort) = view.sort {
        m.requests.sort = match sort {
            ViewSort::Newest => SortOrder::Newest,
            ViewSort::Priority => SortOrder::Priority,
            ViewSort::Updated => SortOrder::Updated,
        };
    }
    m.requests.cursor = 0;
    m.requests.offset = 0;
    m.focus = Focus::Requests;
    if missing.is_empty() {
        m.notify(NoticeLevel::Info, format!("view {name}"));
    } else {
        m.notify(
            NoticeLevel::Warning,
            format!("view {name}: {}", missing.join("; ")),
        );
    }
    vec![Effect::Match(m.requests.reset())]
}

fn label(m: &Model, p: crate::domain::ProfileId) -> String {
    m.session(p)
        .map_or_else(|| "the profile".to_string(), |s| s.label.name.clone())
}

/// A desk by its name or its full name ("Service Desk › Level 2", also with ">"), any case.
fn find_desk(catalog: &Catalog, wanted: &str) -> Option<crate::domain::DeskId> {
    let norm = |s: &str| {
        s.replace('›', ">")
            .split('>')
            .map(|p| p.trim().to_lowercase())
            .collect::<Vec<_>>()
            .join(">")
    };
    let wanted = norm(wanted);
    let full = |d: &crate::domain::HelpDesk| match d
        .parent_id
        .as_ref()
        .and_then(|p| catalog.help_desk(p.as_str()))
    {
        Some(parent) => format!("{}>{}", parent.name, d.name),
        None => d.name.to_string(),
    };
    catalog
        .help_desks
        .iter()
        .find(|d| norm(&full(d)) == wanted)
        .or_else(|| {
            catalog
                .help_desks
                .iter()
                .find(|d| norm(d.name.as_str()) == wanted)
        })
        .map(|d| d.id.clone())
}
