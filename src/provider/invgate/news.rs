//! Breaking news on InvGate: every item (`breakingnews.all`), one item (`breakingnews?id=`)
//! with its timeline (`breakingnews.status?id=`), the timeline alone (what polling for updates
//! reads: the listing carries no count of updates), and the server's names for news types and
//! statuses (`breakingnews.attributes.type`, `.status`) and for the user groups an item
//! affects (`groups`, `[{id, name, total}]`), read alongside through one [`Gate`].
//! The names are optional: when they cannot be read the items come without them. A timeline
//! that cannot be read becomes a note in `NewsDetail::partial`; the item is still shown.
//!
//! Wire types are in `news_wire`, the mapping in `news_map`.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use serde_json::Value;

use super::approval_wire;
use super::approvals::Gate;
use super::client::{Client, Query};
use super::news_map::{self, NewsWords};
use super::news_wire::{self, NewsUpdateWire, NewsWire};
use crate::domain::{Catalog, NewsDetail, NewsItem, NewsUpdate, sort_news};
use crate::provider::{ProviderError, ProviderResult};
use crate::text::SafeText;

const ALL: &str = "breakingnews.all";
const ONE: &str = "breakingnews";
const TIMELINE: &str = "breakingnews.status";
const TYPES: &str = "breakingnews.attributes.type";
const STATUSES: &str = "breakingnews.attributes.status";
const GROUPS: &str = "groups";

/// How long names read in full serve for opening an item without asking for them again.
const WORDS_FRESH: Duration = Duration::from_secs(600);

/// The server's names as last read in full, and when. Opening an item uses them (one round
/// trip instead of two: the names are three more calls) until they are [`WORDS_FRESH`] old;
/// every listing reads them again. Names that could not all be read are not kept.
#[derive(Debug, Default)]
pub struct WordsCache(Mutex<Option<(Instant, NewsWords)>>);

impl WordsCache {
    fn fresh(&self) -> Option<NewsWords> {
        let held = self
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        held.as_ref()
            .filter(|(at, _)| at.elapsed() < WORDS_FRESH)
            .map(|(_, words)| words.clone())
    }

    fn keep(&self, (words, complete): (NewsWords, bool)) -> NewsWords {
        if complete {
            *self
                .0
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner) =
                Some((Instant::now(), words.clone()));
        }
        words
    }
}

/// Every item, open and closed, sorted as `sort_news` says (open first, most important
/// first, newest first). An item listed twice is shown once.
pub async fn all(
    c: &Client,
    cache: &WordsCache,
    catalog: &Catalog,
) -> ProviderResult<Vec<NewsItem>> {
    let gate = Gate::new();
    let (reply, words) = tokio::join!(
        gate.call(c.get::<Value>(ALL, Query::new())),
        words(c, &gate)
    );
    let words = cache.keep(words);
    let wires = news_wire::with_ids(ALL, reply?, |n: &mut NewsWire| &mut n.id)?;
    let mut seen = std::collections::HashSet::new();
    let mut items: Vec<NewsItem> = wires
        .iter()
        .filter(|w| seen.insert(w.id.clone()))
        .map(|w| news_map::news_item(w, catalog, &words))
        .collect();
    sort_news(&mut items);
    Ok(items)
}

/// The item `id` names, trimmed; a blank one is refused before anything is sent.
fn named(id: &str) -> ProviderResult<&str> {
    let id = id.trim();
    if id.is_empty() {
        return Err(ProviderError::Rejected(SafeText::ours(
            "no breaking-news item was named",
        )));
    }
    Ok(id)
}

/// A timeline reply, oldest update first; an update that cannot be read is left out (and
/// logged), the others are kept.
fn updates(reply: Value, catalog: &Catalog) -> ProviderResult<Vec<NewsUpdate>> {
    let list = approval_wire::elements::<NewsUpdateWire>(TIMELINE, reply)?;
    let wires: Vec<NewsUpdateWire> = list.into_iter().map(|(_, u)| u).collect();
    Ok(news_map::news_updates(&wires, catalog))
}

/// The timeline of item `id`, oldest update first: one call.
pub async fn timeline(c: &Client, id: &str, catalog: &Catalog) -> ProviderResult<Vec<NewsUpdate>> {
    let id = named(id)?;
    let reply = c
        .get::<Value>(TIMELINE, Query::new().param("id", id))
        .await?;
    updates(reply, catalog)
}

/// One item with its timeline, oldest update first.
pub async fn detail(
    c: &Client,
    cache: &WordsCache,
    id: &str,
    catalog: &Catalog,
) -> ProviderResult<NewsDetail> {
    let id = named(id)?;
    let gate = Gate::new();
    let known = cache.fresh();
    let (item, timeline, words) = tokio::join!(
        gate.call(c.get::<Value>(ONE, Query::new().param("id", id))),
        gate.call(c.get::<Value>(TIMELINE, Query::new().param("id", id))),
        async {
            match known {
                Some(words) => words,
                None => cache.keep(words(c, &gate).await),
            }
        },
    );
    let mut wire = news_wire::one_news(ONE, item?)?;
    if wire.id.is_empty() {
        wire.id = id.to_string();
    }
    let mut partial = Vec::new();
    let updates = match timeline.and_then(|reply| updates(reply, catalog)) {
        Ok(updates) => updates,
        Err(e) => {
            partial.push(format!("the timeline could not be loaded: {e}"));
            Vec::new()
        }
    };
    Ok(NewsDetail {
        item: news_map::news_item(&wire, catalog, &words),
        updates,
        partial,
    })
}

/// The server's names for news types, statuses and user groups, and whether all three were
/// read. Never fails: a list that cannot be read stays empty and items are shown with
/// ttydesk's own words.
async fn words(c: &Client, gate: &Gate) -> (NewsWords, bool) {
    let (types, statuses, groups) = tokio::join!(
        vocabulary(c, gate, TYPES),
        vocabulary(c, gate, STATUSES),
        vocabulary(c, gate, GROUPS),
    );
    let complete = types.is_some() && statuses.is_some() && groups.is_some();
    let words = NewsWords {
        types: types.unwrap_or_default(),
        statuses: statuses.unwrap_or_default(),
        groups: groups.unwrap_or_default(),
    };
    (words, complete)
}

async fn vocabulary(c: &Client, gate: &Gate, endpoint: &str) -> Option<HashMap<String, SafeText>> {
    match gate.call(c.get::<Value>(endpoint, Query::new())).await {
        Ok(reply) => Some(
            approval_wire::words(endpoint, &reply)
                .into_iter()
                .map(|(id, text)| (id, SafeText::line(&text)))
                .collect(),
        ),
        Err(e) => {
            tracing::warn!(endpoint, error = %e, "news names unavailable; using ttydesk's");
            None
        }
    }
}
