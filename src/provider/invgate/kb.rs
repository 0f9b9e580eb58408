//! The knowledge base on InvGate: keyword search (`kb.articles.by.keywords`), the category tree
//! (`kb.categories`), a category's articles page by page (`kb.articles.by.category` with
//! `limit`/`offset`) and articles to read (`kb.articles.by.ids`, 100 ids a call). Articles name
//! only their category's id, so `kb.categories` is read alongside each of them to name it; when
//! it cannot be read the category is shown as "Category <id>". Every call of one operation goes
//! through one [`Gate`] (at most four in flight, none once the profile cannot be served).
//!
//! Search results are ordered here, best score first, whatever order the server sent; results
//! under the asked `min_score`, past the asked `limit`, or listed twice are dropped here too, so
//! a server that ignores those parameters still gives what was asked.

use std::collections::{HashMap, HashSet};

use futures_util::stream::{self, StreamExt, TryStreamExt};
use serde_json::Value;

use super::approvals::Gate;
use super::client::{Client, Query};
use super::news_map;
use super::news_wire::{self, ArticleWire, KbCategoryWire};
use super::queues::IN_FLIGHT;
use crate::domain::{Cursor, KbArticle, KbCategory, KbHit, KbQuery, KbSummary, Page};
use crate::provider::{ProviderError, ProviderResult};
use crate::text::SafeText;

const SEARCH: &str = "kb.articles.by.keywords";
const CATEGORIES: &str = "kb.categories";
const BY_CATEGORY: &str = "kb.articles.by.category";
const BY_IDS: &str = "kb.articles.by.ids";

/// Results of a search that asks for no particular number: the API's own default.
const SEARCH_LIMIT: usize = 25;
/// Articles per page of a category.
pub const CATEGORY_PAGE: usize = 50;
/// A category is not paged past this offset: a server that ignores `offset` and sends no
/// `total_count` would otherwise offer one more page forever.
const MAX_CATEGORY_OFFSET: usize = 10_000;
/// Ids per `kb.articles.by.ids` call; longer URLs risk proxies' limits.
const ARTICLE_BATCH: usize = 100;

/// The articles matching `query`, best first. Blank words are refused before anything is sent.
pub async fn search(c: &Client, query: &KbQuery) -> ProviderResult<Vec<KbHit>> {
    let words = query.words.trim();
    if words.is_empty() {
        return Err(ProviderError::Rejected(SafeText::ours(
            "type a word to search the knowledge base for",
        )));
    }
    let min = query
        .min_score
        .filter(|m| m.is_finite())
        .map(|m| m.clamp(0.0, 1.0));
    let limit = if query.limit == 0 {
        SEARCH_LIMIT
    } else {
        query.limit
    };
    let mut params = Query::new().param("keywords", words);
    if let Some(min) = min {
        params = params.param("min_search_scoring", min);
    }
    params = params.param("limit", limit);
    let gate = Gate::new();
    let (reply, names) = tokio::join!(
        gate.call(c.get::<Value>(SEARCH, params)),
        category_names(c, &gate)
    );
    let page = news_wire::articles(SEARCH, reply?)?;
    let mut seen = HashSet::new();
    let mut hits: Vec<KbHit> = page
        .articles
        .iter()
        .filter(|a| seen.insert(a.id.clone()))
        .map(|a| news_map::hit(a, &names))
        .filter(|h| match (h.score, min) {
            (Some(score), Some(min)) => score >= min,
            _ => true,
        })
        .collect();
    news_map::sort_hits(&mut hits);
    hits.truncate(limit);
    Ok(hits)
}

/// Every category, each once, in the server's order.
pub async fn categories(c: &Client) -> ProviderResult<Vec<KbCategory>> {
    let reply: Value = c.get(CATEGORIES, Query::new()).await?;
    let mut seen = HashSet::new();
    Ok(
        news_wire::with_ids(CATEGORIES, reply, |w: &mut KbCategoryWire| &mut w.id)?
            .iter()
            .filter(|w| seen.insert(w.id.clone()))
            .map(news_map::category)
            .collect(),
    )
}

/// The names of the categories, or none when they cannot be read (articles then show
/// "Category <id>").
async fn category_names(c: &Client, gate: &Gate) -> HashMap<String, SafeText> {
    match gate.call(categories(c)).await {
        Ok(list) => news_map::category_names(&list),
        Err(e) => {
            tracing::warn!(endpoint = CATEGORIES, error = %e, "category names unavailable");
            HashMap::new()
        }
    }
}

/// `"<offset>"`, as [`category_page`] writes it.
fn parse_offset(cursor: &Cursor) -> Option<usize> {
    cursor.0.trim().parse().ok()
}

/// One page of `category`'s articles. The next page starts after everything this one sent
/// (elements that could not be read included), while `total_count` says more remain or, when
/// the server gives no total, while pages come full.
pub async fn category_page(
    c: &Client,
    category: &str,
    cursor: Option<&Cursor>,
) -> ProviderResult<Page<KbSummary>> {
    let offset = match cursor {
        None => 0,
        Some(cursor) => parse_offset(cursor).ok_or_else(|| {
            ProviderError::Internal("continuing a knowledge-base category".into())
        })?,
    };
    let params = Query::new()
        .param("category_id", category.trim())
        .param("limit", CATEGORY_PAGE)
        .param("offset", offset);
    let gate = Gate::new();
    let (reply, names) = tokio::join!(
        gate.call(c.get::<Value>(BY_CATEGORY, params)),
        category_names(c, &gate)
    );
    let page = news_wire::articles(BY_CATEGORY, reply?)?;
    let end = offset + page.sent;
    let more = match page.total {
        Some(total) => (end as u64) < total,
        None => page.sent >= CATEGORY_PAGE,
    };
    Ok(Page {
        unreadable: 0,
        items: page
            .articles
            .iter()
            .map(|a| news_map::summary(a, &names))
            .collect(),
        next: (more && page.sent > 0 && end < MAX_CATEGORY_OFFSET).then(|| Cursor(end.to_string())),
        total: page.total,
    })
}

/// The articles with these ids, in the order asked, each once; ids the server does not know
/// are left out. No ids, no call.
pub async fn by_ids(c: &Client, ids: Vec<String>) -> ProviderResult<Vec<KbArticle>> {
    let mut seen = HashSet::new();
    let ids: Vec<String> = ids
        .into_iter()
        .map(|id| id.trim().to_string())
        .filter(|id| !id.is_empty() && seen.insert(id.clone()))
        .collect();
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let gate = Gate::new();
    let gate = &gate;
    let chunks: Vec<Vec<String>> = ids.chunks(ARTICLE_BATCH).map(<[String]>::to_vec).collect();
    let batches = stream::iter(chunks)
        .map(|batch| async move {
            let reply = gate
                .call(c.get::<Value>(BY_IDS, Query::new().array("ids", batch)))
                .await?;
            news_wire::articles(BY_IDS, reply)
        })
        .buffer_unordered(IN_FLIGHT)
        .try_collect::<Vec<_>>();
    let (batches, names) = tokio::join!(batches, category_names(c, gate));
    let mut by_id: HashMap<String, ArticleWire> = HashMap::new();
    for wire in batches?.into_iter().flat_map(|page| page.articles) {
        by_id.entry(wire.id.clone()).or_insert(wire);
    }
    Ok(ids
        .iter()
        .filter_map(|id| by_id.get(id))
        .map(|w| news_map::article(w, &names))
        .collect())
}
