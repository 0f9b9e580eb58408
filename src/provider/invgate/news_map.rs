//! Breaking news and knowledge-base wire → domain: every server string becomes a [`SafeText`]
//! here (titles and names as lines, HTML bodies rendered with their links as numbered
//! footnotes), ids get names through the catalog (user groups through `groups`), and an id
//! nobody names gets a neutral one
//! ("Help desk 12", "Group 7", "User 30", "Category 4") instead of failing the item.

use std::collections::HashMap;

use reqwest::Url;

use super::map::{desk_named, person_named};
use super::news_wire::{ArticleWire, KbCategoryWire, NewsUpdateWire, NewsWire};
use crate::domain::{
    Catalog, Importance, KbArticle, KbCategory, KbHit, KbSummary, Named, NewsItem, NewsUpdate,
};
use crate::text::SafeText;

/// The server's names for news types and statuses (`breakingnews.attributes.type`, `.status`)
/// and for user groups (`groups`), by id; empty when they could not be read.
#[derive(Debug, Clone, Default)]
pub struct NewsWords {
    pub types: HashMap<String, SafeText>,
    pub statuses: HashMap<String, SafeText>,
    pub groups: HashMap<String, SafeText>,
}

/// `type_id`: 1 High, 2 Medium, 3 Low; anything else is a level ttydesk does not know.
pub fn importance(type_id: Option<i64>) -> Importance {
    match type_id {
        Some(1) => Importance::High,
        Some(2) => Importance::Medium,
        Some(3) => Importance::Low,
        _ => Importance::Other,
    }
}

/// `status_id` 2 is closed. Any other status (1, or one ttydesk does not know) counts as still
/// going on: an outage shown once too often costs less than one hidden.
pub fn is_open(status_id: Option<i64>) -> bool {
    status_id != Some(2)
}

/// A group of `affected_group_ids`: its name from `groups` when that list could be read. The
/// catalog holds no InvGate groups, but InvGate's help desks are groups too: otherwise a help
/// desk's id gets the desk's name, any other "Group <id>".
pub fn group_named(catalog: &Catalog, groups: &HashMap<String, SafeText>, id: &str) -> Named {
    if let Some(name) = groups.get(id) {
        return Named {
            id: id.to_string(),
            name: name.clone(),
        };
    }
    match catalog.help_desk(id) {
        Some(_) => {
            let desk = desk_named(catalog, id);
            Named {
                id: desk.id.to_string(),
                name: desk.name,
            }
        }
        None => Named {
            id: id.to_string(),
            name: SafeText::line(&format!("Group {id}")),
        },
    }
}

fn word(words: &HashMap<String, SafeText>, id: Option<i64>) -> Option<SafeText> {
    id.and_then(|id| words.get(&id.to_string())).cloned()
}

/// Text that may be blank, or what to say instead.
fn line_or(text: Option<&str>, fallback: impl FnOnce() -> String) -> SafeText {
    match text.map(str::trim) {
        Some(text) if !text.is_empty() => SafeText::line(text),
        _ => SafeText::line(&fallback()),
    }
}

pub fn news_item(w: &NewsWire, catalog: &Catalog, words: &NewsWords) -> NewsItem {
    NewsItem {
        id: w.id.clone(),
        importance: importance(w.type_id),
        importance_name: word(&words.types, w.type_id),
        title: line_or(w.title.as_deref(), || format!("Breaking news {}", w.id)),
        body: SafeText::from_html(w.body.as_deref().unwrap_or("")),
        desks: unique(&w.affected_helpdesk_ids)
            .map(|id| desk_named(catalog, id))
            .collect(),
        groups: unique(&w.affected_group_ids)
            .map(|id| group_named(catalog, &words.groups, id))
            .collect(),
        resolution_at: w.resolution_time,
        creator: w
            .created_by_id
            .as_deref()
            .map(|id| person_named(catalog, id)),
        created_at: w.created_at,
        open: is_open(w.status_id),
        status_name: word(&words.statuses, w.status_id),
    }
}

fn unique(ids: &[String]) -> impl Iterator<Item = &str> {
    let mut seen = std::collections::HashSet::new();
    ids.iter()
        .map(String::as_str)
        .filter(move |id| seen.insert(*id))
}

/// The timeline, oldest first (updates without a date keep their place after the dated ones).
pub fn news_updates(wires: &[NewsUpdateWire], catalog: &Catalog) -> Vec<NewsUpdate> {
    let mut updates: Vec<NewsUpdate> = wires
        .iter()
        .map(|w| NewsUpdate {
            at: w.created_at,
            creator: w.creator_id.as_deref().map(|id| person_named(catalog, id)),
            body: SafeText::from_html(w.body.as_deref().unwrap_or("")),
        })
        .collect();
    updates.sort_by_key(|u| (u.at.is_none(), u.at));
    updates
}

/// An http(s) address, as the URL parser writes it (controls and spaces percent-encoded), so
/// it can be shown and opened as is; anything else is dropped.
fn web_address(raw: &str) -> Option<String> {
    let url = Url::parse(raw.trim()).ok()?;
    matches!(url.scheme(), "http" | "https").then(|| url.to_string())
}

/// An article as lists show it; `categories` names its category ("Category <id>" otherwise).
pub fn summary(w: &ArticleWire, categories: &HashMap<String, SafeText>) -> KbSummary {
    KbSummary {
        id: w.id.clone(),
        title: line_or(w.title.as_deref(), || format!("Article {}", w.id)),
        category: w.category_id.as_ref().map(|id| Named {
            id: id.clone(),
            name: categories
                .get(id)
                .cloned()
                .unwrap_or_else(|| SafeText::line(&format!("Category {id}"))),
        }),
        views: w.views(),
        rating: w.rating,
        updated_at: w.updated_at(),
        url: w.url().and_then(web_address),
    }
}

/// A search result; scores are kept only between 0 and 1, as the API defines them.
pub fn hit(w: &ArticleWire, categories: &HashMap<String, SafeText>) -> KbHit {
    KbHit {
        article: summary(w, categories),
        score: w.search_scoring.filter(|s| (0.0..=1.0).contains(s)),
    }
}

/// Best score first; results without a score last; ties keep the server's order.
pub fn sort_hits(hits: &mut [KbHit]) {
    hits.sort_by(|a, b| match (a.score, b.score) {
        (Some(a), Some(b)) => b.total_cmp(&a),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => std::cmp::Ordering::Equal,
    });
}

/// An article to read: its content rendered (links as footnotes), or its summary when it has
/// no content.
pub fn article(w: &ArticleWire, categories: &HashMap<String, SafeText>) -> KbArticle {
    let body = match w.content.as_deref().map(str::trim) {
        Some(html) if !html.is_empty() => SafeText::from_html(html),
        _ => SafeText::block(w.description.as_deref().unwrap_or("").trim()),
    };
    KbArticle {
        summary: summary(w, categories),
        body,
    }
}

pub fn category(w: &KbCategoryWire) -> KbCategory {
    KbCategory {
        id: w.id.clone(),
        name: line_or(w.name.as_deref(), || format!("Category {}", w.id)),
        // A category that names itself as parent would be its own root.
        parent: w.parent_id.clone().filter(|p| *p != w.id),
    }
}

/// Category names by id, to name the category of each article.
pub fn category_names(categories: &[KbCategory]) -> HashMap<String, SafeText> {
    categories
        .iter()
        .map(|c| (c.id.clone(), c.name.clone()))
        .collect()
}
