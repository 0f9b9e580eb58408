//! The knowledge base: `kb.articles` and its `.by.category` / `.by.ids` / `.by.keywords`
//! variants, with the KB's `{status, data[], total_count}` envelope, `kb.articles.attachments`,
//! and the category tree (`kb.categories`, `.by.ids`: `parent_id` links a category to its
//! parent, `null` for a root).
//!
//! `kb.articles.by.keywords` is a small search engine. The query is cut into words (case and
//! punctuation ignored, one-letter words dropped, each word once); a word matches an article
//! when one of the article's words starts with it ("disconnect" finds "disconnections"). The
//! text searched is what a reader sees: tags are removed and entities decoded, so `strong` or
//! `href` never match. Each query word scores 1 when it is in the title and 0.5 when it is
//! only in the description or content; `search_scoring` is the average over the query's
//! words, rounded to two decimals, so it lies in `0..=1`. Articles scoring 0 or below
//! `min_search_scoring` are left out, the best come first (ties by id), `limit` of them.

use serde_json::{Value, json};

use crate::sim::dataset::Article;
use crate::sim::endpoints::Ctx;
use crate::sim::generate::decode_entities;
use crate::sim::params::{STRING_FOR_ARRAY, missing};
use crate::sim::reply::{ApiError, Outcome};

/// `kb.articles.by.keywords` result count when `limit` is absent (documented default).
const KEYWORD_LIMIT: u64 = 25;

fn article_json(a: &Article) -> Value {
    json!({
        "id": a.id, "title": a.title, "description": a.description, "content": a.content,
        "category_id": a.category_id, "author_id": a.author_id, "responsible_id": a.responsible_id,
        "creation_date": a.creation_date, "last_update_date": a.last_update_date,
        "is_private": a.is_private, "views": a.views, "rating": a.rating,
        "solved_requests": a.solved_requests, "attachments": [],
    })
}

/// The KB envelope with limit/offset over `articles` (already filtered and sorted).
fn kb_page(ctx: &Ctx<'_>, articles: Vec<&Article>) -> Outcome {
    let p = ctx.params;
    let offset = usize::try_from(p.uint("offset")?.unwrap_or(0)).unwrap_or(usize::MAX);
    let limit = p
        .uint("limit")?
        .filter(|l| *l > 0)
        .map_or(usize::MAX, |l| usize::try_from(l).unwrap_or(usize::MAX));
    let total = articles.len();
    let data: Vec<Value> = articles
        .into_iter()
        .skip(offset)
        .take(limit)
        .map(article_json)
        .collect();
    Ok(json!({ "status": "OK", "data": data, "total_count": total }))
}

/// `order_by=last_update_date` and `sort_by=desc` (sic: `sort_by` carries the direction and
/// `order_by` the attribute).
pub fn articles(ctx: &Ctx<'_>) -> Outcome {
    let p = ctx.params;
    let mut list: Vec<&Article> = ctx.ds.articles.iter().collect();
    if p.get("order_by") == Some("last_update_date") {
        list.sort_by_key(|a| (a.last_update_date, a.id));
    }
    if p.get("sort_by")
        .is_some_and(|s| s.eq_ignore_ascii_case("desc"))
    {
        list.reverse();
    }
    kb_page(ctx, list)
}

pub fn articles_by_category(ctx: &Ctx<'_>) -> Outcome {
    let category = ctx.params.require_uint("category_id")?;
    let list = ctx
        .ds
        .articles
        .iter()
        .filter(|a| a.category_id == category)
        .collect();
    kb_page(ctx, list)
}

pub fn articles_by_ids(ctx: &Ctx<'_>) -> Outcome {
    let ids = ctx
        .params
        .uint_array("ids")?
        .ok_or_else(|| ApiError::Precondition(STRING_FOR_ARRAY.into()))?;
    let data: Vec<Value> = ctx
        .ds
        .articles
        .iter()
        .filter(|a| ids.contains(&a.id))
        .map(article_json)
        .collect();
    Ok(json!({ "status": "OK", "data": data }))
}

/// The words of `text` as a reader sees them: lowercase, split at anything that is not a
/// letter or a digit.
fn words(text: &str) -> Vec<String> {
    text.to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

/// The text of an HTML fragment: tags dropped (each one a word break), entities decoded.
fn visible_text(html: &str) -> String {
    let mut text = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                text.push(' ');
            }
            _ if !in_tag => text.push(c),
            _ => {}
        }
    }
    decode_entities(&text)
}

/// The query's words, each once; one-letter words carry no meaning and are dropped.
fn query_words(keywords: &str) -> Vec<String> {
    let mut list: Vec<String> = Vec::new();
    for word in words(keywords) {
        if word.chars().count() > 1 && !list.contains(&word) {
            list.push(word);
        }
    }
    list
}

/// See the module's doc: 1 per query word in the title, 0.5 per word only in the body,
/// averaged and rounded to two decimals.
fn score(article: &Article, query: &[String]) -> f64 {
    if query.is_empty() {
        return 0.0;
    }
    let title = words(&visible_text(&article.title));
    let body = words(&format!(
        "{} {}",
        visible_text(&article.description),
        visible_text(&article.content)
    ));
    let found = |list: &[String], word: &str| list.iter().any(|w| w.starts_with(word));
    let points: f64 = query
        .iter()
        .map(|word| {
            if found(&title, word) {
                1.0
            } else if found(&body, word) {
                0.5
            } else {
                0.0
            }
        })
        .sum();
    (points / query.len() as f64 * 100.0).round() / 100.0
}

/// `keywords`* (HTTP 428 when absent or blank), `min_search_scoring` (a number in 0..=1, else
/// 428), `limit` (default 25; 0 means the default). `{status, data[]}`, each article with its
/// `search_scoring`; no match is `data: []`.
pub fn articles_by_keywords(ctx: &Ctx<'_>) -> Outcome {
    let p = ctx.params;
    let keywords = p
        .get("keywords")
        .filter(|k| !k.trim().is_empty())
        .ok_or_else(|| missing("keywords"))?;
    let min = match p.text("min_search_scoring") {
        None => 0.0,
        Some(v) => v
            .trim()
            .parse::<f64>()
            .ok()
            .filter(|m| (0.0..=1.0).contains(m))
            .ok_or_else(|| {
                ApiError::Precondition(
                    "The parameter min_search_scoring must be a number between 0 and 1.".into(),
                )
            })?,
    };
    let limit = usize::try_from(p.uint("limit")?.filter(|l| *l > 0).unwrap_or(KEYWORD_LIMIT))
        .unwrap_or(usize::MAX);
    let query = query_words(keywords);
    let mut scored: Vec<(f64, &Article)> = ctx
        .ds
        .articles
        .iter()
        .map(|a| (score(a, &query), a))
        .filter(|(s, _)| *s > 0.0 && *s >= min)
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.id.cmp(&b.1.id)));
    let data: Vec<Value> = scored
        .into_iter()
        .take(limit)
        .map(|(s, a)| {
            let mut value = article_json(a);
            if let Value::Object(map) = &mut value {
                map.insert("search_scoring".into(), json!(s));
            }
            value
        })
        .collect();
    Ok(json!({ "status": "OK", "data": data }))
}

pub fn kb_categories(ctx: &Ctx<'_>) -> Outcome {
    let id = ctx.params.uint("id")?;
    let list = ctx
        .ds
        .kb_categories
        .iter()
        .filter(|c| id.is_none_or(|id| c.id == id))
        .map(|c| json!({ "id": c.id, "parent_id": c.parent_id, "name": c.name }))
        .collect();
    Ok(Value::Array(list))
}

pub fn kb_categories_by_ids(ctx: &Ctx<'_>) -> Outcome {
    let ids = ctx
        .params
        .uint_array("ids")?
        .ok_or_else(|| ApiError::Precondition(STRING_FOR_ARRAY.into()))?;
    let list = ctx
        .ds
        .kb_categories
        .iter()
        .filter(|c| ids.contains(&c.id))
        .map(|c| json!({ "id": c.id, "parent_id": c.parent_id, "name": c.name }))
        .collect();
    Ok(Value::Array(list))
}

pub fn article_attachments(ctx: &Ctx<'_>) -> Outcome {
    let id = ctx.params.require_uint("article_id")?;
    if !ctx.ds.articles.iter().any(|a| a.id == id) {
        return Err(ApiError::Logical("The article does not exist.".into()));
    }
    Ok(json!({ "status": "OK", "data": [] }))
}
