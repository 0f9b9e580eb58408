//! Breaking news, the model's side: each profile's items, polled while the console runs (every
//! `news_interval` seconds, 60 by default, never more often than every 15 s, twice as slow after
//! the server limited calls), items that arrive while it runs announced once in the status bar
//! (with the terminal bell when `bell = true`), and the banner a High item that is still open
//! puts on every pane.

use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration;

use super::model::{Model, NoticeLevel};
use super::msg::{Effect, RequestId, Timer};
use super::remote::Remote;
use crate::domain::{Importance, NewsDetail, NewsItem, ProfileId, sort_news};
use crate::provider::{Call, ProviderResult};

/// How often news is read when the configuration does not say.
pub const DEFAULT_INTERVAL: Duration = Duration::from_secs(60);
/// The shortest interval a configuration may ask for.
pub const MIN_INTERVAL: Duration = Duration::from_secs(15);

/// The interval the configuration asked for, within the floor.
pub fn interval(asked: Option<u64>) -> Duration {
    asked
        .map(Duration::from_secs)
        .unwrap_or(DEFAULT_INTERVAL)
        .max(MIN_INTERVAL)
}

/// One profile's news.
#[derive(Debug, Clone, Default)]
pub struct NewsBoard {
    pub items: Remote<Arc<Vec<NewsItem>>>,
    /// Ids already shown to the agent; `None` until the first answer (whose items are not
    /// news to announce).
    seen: Option<HashSet<String>>,
    /// The item whose timeline is shown or loading, with it.
    pub detail: Option<(String, Remote<Arc<NewsDetail>>)>,
}

/// An open High item for the banner: the newest one, and how many more items are open.
#[derive(Debug, Clone, Copy)]
pub struct Banner<'a> {
    pub profile: ProfileId,
    pub item: &'a NewsItem,
    pub more_open: usize,
}

/// Every profile's items, merged in news order (open first, by importance, newest first).
pub fn all(m: &Model) -> Vec<(ProfileId, &NewsItem)> {
    let mut out: Vec<(ProfileId, &NewsItem)> = m
        .sessions
        .iter()
        .flat_map(|s| {
            s.news
                .items
                .data()
                .into_iter()
                .flat_map(|list| list.iter())
                .map(move |i| (s.id, i))
        })
        .collect();
    out.sort_by(|(pa, a), (pb, b)| {
        (!a.open, a.importance, std::cmp::Reverse(a.created_at), pa).cmp(&(
            !b.open,
            b.importance,
            std::cmp::Reverse(b.created_at),
            pb,
        ))
    });
    out
}

pub fn banner(m: &Model) -> Option<Banner<'_>> {
    let items = all(m);
    let open = items.iter().filter(|(_, i)| i.open).count();
    let (profile, item) = items
        .into_iter()
        .find(|(_, i)| i.open && i.importance == Importance::High)?;
    Some(Banner {
        profile,
        item,
        more_open: open.saturating_sub(1),
    })
}

fn wanted(m: &Model, p: ProfileId) -> bool {
    m.session(p).is_some_and(|s| {
        s.capabilities.is_none_or(|c| c.news)
            && s.catalog().is_some()
            && !s.news.items.is_loading()
            && s.rate_limited_until.is_none()
    })
}

/// Reads `p`'s news now (the catalog is there, nothing is loading).
pub fn load(m: &mut Model, p: ProfileId) -> Vec<Effect> {
    if !wanted(m, p) {
        return Vec::new();
    }
    let id = m.next_request_id();
    let Some(s) = m.session_mut(p) else {
        return Vec::new();
    };
    let Some(catalog) = s.catalog().cloned() else {
        return Vec::new();
    };
    s.news.items.start(id);
    vec![Effect::Call {
        profile: p,
        id,
        call: Call::News { catalog },
    }]
}

/// `Timer::News`: every profile's news again, and the timer set for the next round (twice the
/// interval while a profile is being limited).
pub fn tick(m: &mut Model) -> Vec<Effect> {
    let ids: Vec<ProfileId> = m.sessions.iter().map(|s| s.id).collect();
    let mut effects: Vec<Effect> = ids.into_iter().flat_map(|p| load(m, p)).collect();
    let limited = m.sessions.iter().any(|s| s.rate_limits > 0);
    let every = interval(m.settings.news_interval);
    effects.push(Effect::SetTimer {
        timer: Timer::News,
        after: if limited { every * 2 } else { every },
    });
    effects
}

/// The answer to a news read: the items shown, and the ones not seen before announced once.
pub fn answered(
    m: &mut Model,
    p: ProfileId,
    id: RequestId,
    result: ProviderResult<Arc<Vec<NewsItem>>>,
) -> Vec<Effect> {
    let now = m.now;
    let Some(s) = m.session_mut(p) else {
        return Vec::new();
    };
    if !s.news.items.waits_for(id) {
        return Vec::new();
    }
    let result = result.map(|list| {
        let mut sorted = (*list).clone();
        sort_news(&mut sorted);
        Arc::new(sorted)
    });
    let fresh: Vec<NewsItem> = match (&result, &s.news.seen) {
        (Ok(list), Some(seen)) => list
            .iter()
            .filter(|i| !seen.contains(&i.id))
            .cloned()
            .collect(),
        _ => Vec::new(),
    };
    if let Ok(list) = &result {
        s.news.seen = Some(list.iter().map(|i| i.id.clone()).collect());
    }
    let name = s.label.name.clone();
    s.news.items.finish(id, result, now);
    let Some(first) = fresh.first() else {
        return Vec::new();
    };
    let more = match fresh.len() {
        1 => String::new(),
        n => format!(" (and {} more)", n - 1),
    };
    let several = m.sessions.len() > 1;
    let from = if several {
        format!("{name}: ")
    } else {
        String::new()
    };
    m.notify(
        NoticeLevel::Info,
        format!(
            "{from}breaking news, {}: {}{more}",
            first
                .importance_name
                .as_ref()
                .map_or(first.importance.word(), |n| n.as_str()),
            first.title
        ),
    );
    if m.settings.bell {
        vec![Effect::Bell]
    } else {
        Vec::new()
    }
}

/// Item `id` of `p`, as last listed.
pub fn item<'a>(m: &'a Model, p: ProfileId, id: &str) -> Option<&'a NewsItem> {
    m.session(p)?.news.items.data()?.iter().find(|i| i.id == id)
}

/// The title of item `id` of `p`, when it is listed.
pub fn title(m: &Model, p: ProfileId, id: &str) -> Option<String> {
    item(m, p, id).map(|i| i.title.to_string())
}

/// A news write was delivered: the list (and the item being read) again, to show the server's
/// version.
pub fn delivered(m: &mut Model, p: ProfileId, subject: &crate::domain::Subject) -> Vec<Effect> {
    let mut effects = load(m, p);
    let reading = m
        .session(p)
        .and_then(|s| s.news.detail.as_ref())
        .map(|(id, _)| id.clone());
    if let (crate::domain::Subject::News(id), Some(shown)) = (subject, reading)
        && *id == shown
    {
        effects.extend(load_detail(m, p, id));
    }
    effects
}

/// Reads the timeline of item `id` of `p`.
pub fn load_detail(m: &mut Model, p: ProfileId, news: &str) -> Vec<Effect> {
    let id = m.next_request_id();
    let Some(s) = m.session_mut(p) else {
        return Vec::new();
    };
    let Some(catalog) = s.catalog().cloned() else {
        return Vec::new();
    };
    let mut remote = match s.news.detail.take() {
        Some((shown, remote)) if shown == news => remote,
        _ => Remote::NotAsked,
    };
    remote.start(id);
    s.news.detail = Some((news.to_string(), remote));
    vec![Effect::Call {
        profile: p,
        id,
        call: Call::NewsDetail {
            id: news.to_string(),
            catalog,
        },
    }]
}

pub fn detail_answered(
    m: &mut Model,
    p: ProfileId,
    id: RequestId,
    result: ProviderResult<Arc<NewsDetail>>,
) -> Vec<Effect> {
    let now = m.now;
    if let Some(s) = m.session_mut(p)
        && let Some((_, remote)) = s.news.detail.as_mut()
        && remote.waits_for(id)
    {
        remote.finish(id, result, now);
    }
    Vec::new()
}
