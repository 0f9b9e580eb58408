//! Breaking news, the model's side: each profile's items, polled while the console runs (every
//! `news_interval` seconds, 60 by default, never more often than every 15 s, twice as slow after
//! the server limited calls), items and updates that arrive while it runs announced once in the
//! status bar (with the terminal bell when `bell = true`), and the banner a High item that is
//! still open puts on every pane.
//!
//! A listing does not say how many updates an item has, so after each listing the timelines of
//! the open items are read too (at most [`TIMELINES_PER_ROUND`], High first, the longest unread
//! first among equals), and of an item that closed since the last round once more, for the
//! update that closed it. The first read of an item only records how many updates it has; a
//! later read that finds more announces the newest. What the agent wrote themselves (an item,
//! an update) is not announced to them.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::time::Duration;

use super::model::{Model, NoticeLevel};
use super::msg::{Effect, RequestId, Timer};
use super::remote::Remote;
use crate::domain::{Importance, NewsDetail, NewsItem, NewsUpdate, ProfileId, UserId, sort_news};
use crate::provider::{Call, ProviderError, ProviderResult};

/// How often news is read when the configuration does not say.
pub const DEFAULT_INTERVAL: Duration = Duration::from_secs(60);
/// The shortest interval a configuration may ask for.
pub const MIN_INTERVAL: Duration = Duration::from_secs(15);
/// Timelines read after one listing, at most: a server with many open items is not asked
/// about all of them every round.
pub const TIMELINES_PER_ROUND: usize = 8;

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
    /// What polling knows of each listed item's timeline, by id.
    timelines: HashMap<String, Watch>,
    /// Listings answered so far: timeline reads take turns by it.
    round: u64,
    /// The provider cannot read a timeline alone: it is not asked again.
    no_timelines: bool,
}

/// What polling knows of one item's timeline.
#[derive(Debug, Clone, Default)]
struct Watch {
    /// Updates seen; `None` until the first read, which only records.
    seen: Option<usize>,
    /// Open at the last listing.
    open: bool,
    /// The round it was last asked for in (0: never).
    asked_in: u64,
    /// The read in flight.
    waiting: Option<RequestId>,
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

/// The answer to a news read: the items shown, the ones not seen before announced once (unless
/// the agent wrote them), and the timelines to read for updates.
pub fn answered(
    m: &mut Model,
    p: ProfileId,
    id: RequestId,
    result: ProviderResult<Arc<Vec<NewsItem>>>,
) -> Vec<Effect> {
    let now = m.now;
    let me = agent(m, p);
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
            .filter(|i| !by(i.creator.as_ref().map(|c| &c.id), me.as_ref()))
            .cloned()
            .collect(),
        _ => Vec::new(),
    };
    if let Ok(list) = &result {
        s.news.seen = Some(list.iter().map(|i| i.id.clone()).collect());
    }
    let listed = result.as_ref().ok().cloned();
    s.news.items.finish(id, result, now);
    let mut effects = match listed {
        Some(list) => read_timelines(m, p, &list),
        None => Vec::new(),
    };
    let Some(first) = fresh.first() else {
        return effects;
    };
    let more = match fresh.len() {
        1 => String::new(),
        n => format!(" (and {} more)", n - 1),
    };
    let what = format!(
        "breaking news, {}: {}{more}",
        first
            .importance_name
            .as_ref()
            .map_or(first.importance.word(), |n| n.as_str()),
        first.title
    );
    effects.extend(announce(m, p, what));
    effects
}

/// Says `what` in the status bar (after the profile's name when several are open), with the
/// bell when asked for.
fn announce(m: &mut Model, p: ProfileId, what: String) -> Vec<Effect> {
    let from = match m.session(p) {
        Some(s) if m.sessions.len() > 1 => format!("{}: ", s.label.name),
        _ => String::new(),
    };
    m.notify(NoticeLevel::Info, format!("{from}{what}"));
    if m.settings.bell {
        vec![Effect::Bell]
    } else {
        Vec::new()
    }
}

/// The agent's user id on `p`, when known.
fn agent(m: &Model, p: ProfileId) -> Option<UserId> {
    match &m.session(p)?.agent {
        super::writes::Agent::Known(person) => Some(person.id.clone()),
        _ => None,
    }
}

/// Written by the agent.
fn by(creator: Option<&UserId>, me: Option<&UserId>) -> bool {
    creator.is_some() && creator == me
}

/// After a listing of `p`: the timelines to read this round.
fn read_timelines(m: &mut Model, p: ProfileId, list: &[NewsItem]) -> Vec<Effect> {
    let Some(s) = m.session(p) else {
        return Vec::new();
    };
    if s.news.no_timelines || s.rate_limited_until.is_some() {
        return Vec::new();
    }
    let Some(catalog) = s.catalog().cloned() else {
        return Vec::new();
    };
    let board = &s.news;
    let round = board.round + 1;
    // Open items, and items that closed since the last round (for the update that closed
    // them), not already being read: High first, then the one asked for longest ago.
    let mut due: Vec<(bool, Importance, u64, &str)> = list
        .iter()
        .filter_map(|i| {
            let watch = board.timelines.get(&i.id);
            let closed_now = !i.open && watch.is_some_and(|w| w.open && w.seen.is_some());
            let idle = watch.is_none_or(|w| w.waiting.is_none());
            ((i.open || closed_now) && idle).then(|| {
                let asked = watch.map_or(0, |w| w.asked_in);
                (!closed_now, i.importance, asked, i.id.as_str())
            })
        })
        .collect();
    due.sort();
    let due: Vec<String> = due
        .into_iter()
        .take(TIMELINES_PER_ROUND)
        .map(|(.., id)| id.to_string())
        .collect();
    let ids: Vec<RequestId> = due.iter().map(|_| m.next_request_id()).collect();
    let Some(s) = m.session_mut(p) else {
        return Vec::new();
    };
    let board = &mut s.news;
    board.round = round;
    // Items no longer listed are forgotten; the others remember whether they were open.
    board
        .timelines
        .retain(|id, _| list.iter().any(|i| i.id == *id));
    for item in list {
        board.timelines.entry(item.id.clone()).or_default().open = item.open;
    }
    due.into_iter()
        .zip(ids)
        .map(|(news, id)| {
            let watch = board.timelines.entry(news.clone()).or_default();
            watch.waiting = Some(id);
            watch.asked_in = round;
            Effect::Call {
                profile: p,
                id,
                call: Call::NewsTimeline {
                    id: news,
                    catalog: Arc::clone(&catalog),
                },
            }
        })
        .collect()
}

/// A timeline read by polling: recorded the first time, its newest update announced when it
/// has more than before (unless the agent wrote it).
pub fn timeline_answered(
    m: &mut Model,
    p: ProfileId,
    id: RequestId,
    result: ProviderResult<Vec<NewsUpdate>>,
) -> Vec<Effect> {
    let me = agent(m, p);
    let Some(s) = m.session_mut(p) else {
        return Vec::new();
    };
    let Some((news, watch)) = s
        .news
        .timelines
        .iter_mut()
        .find(|(_, w)| w.waiting == Some(id))
    else {
        return Vec::new();
    };
    watch.waiting = None;
    let updates = match result {
        Ok(updates) => updates,
        Err(ProviderError::Unsupported(_)) => {
            s.news.no_timelines = true;
            return Vec::new();
        }
        Err(e) => {
            // Polling in the background: the next round asks again.
            tracing::info!(news = %news, error = %e, "a news timeline could not be read");
            return Vec::new();
        }
    };
    let before = watch.seen.replace(updates.len());
    let news = news.clone();
    let newest = match before {
        Some(before) => updates
            .get(before..)
            .unwrap_or_default()
            .iter()
            .rev()
            .find(|u| !by(u.creator.as_ref().map(|c| &c.id), me.as_ref())),
        None => None,
    };
    let Some(update) = newest else {
        return Vec::new();
    };
    let first_line = update
        .body
        .as_str()
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or_default()
        .to_string();
    let title = title(m, p, &news).unwrap_or_else(|| format!("news {news}"));
    announce(m, p, format!("breaking news update: {title}: {first_line}"))
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
        && let Some((news, remote)) = s.news.detail.as_mut()
        && remote.waits_for(id)
    {
        // The agent is reading these updates: polling does not announce them again.
        if let Ok(detail) = &result
            && let Some(watch) = s.news.timelines.get_mut(news.as_str())
            && watch.seen.is_some()
        {
            watch.seen = Some(detail.updates.len());
        }
        remote.finish(id, result, now);
    }
    Vec::new()
}
