//! InvGate's wire types for breaking news (`breakingnews`, `breakingnews.all`,
//! `breakingnews.status`) and the knowledge base (`kb.articles.by.*`, `kb.categories`).
//! Numbers may arrive as strings (legacy instances), dates as epoch seconds or ISO-8601, and
//! the KB's replies come in a `{status: "OK"|"success", data[], total_count?}` envelope.
//! Collections are read element by element with [`approval_wire::elements`], so one element
//! that cannot be read costs only itself; the attribute lists (`breakingnews.attributes.*`,
//! `[{id, name}]`) are read with [`approval_wire::words`].

use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde_json::Value;

use super::approval_wire;
use super::client::decode_error;
use super::lenient;
use crate::provider::ProviderError;

/// One breaking-news item, as `breakingnews` and `breakingnews.all` send it.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct NewsWire {
    #[serde(default, deserialize_with = "lenient::id")]
    pub id: String,
    /// 1 High, 2 Medium, 3 Low.
    #[serde(default, deserialize_with = "lenient::opt_i64")]
    pub type_id: Option<i64>,
    #[serde(default, deserialize_with = "lenient::opt_text")]
    pub title: Option<String>,
    /// HTML.
    #[serde(default, deserialize_with = "lenient::opt_text")]
    pub body: Option<String>,
    #[serde(default, deserialize_with = "lenient::id_list")]
    pub affected_helpdesk_ids: Vec<String>,
    #[serde(default, deserialize_with = "lenient::id_list")]
    pub affected_group_ids: Vec<String>,
    #[serde(default, deserialize_with = "lenient::epoch")]
    pub resolution_time: Option<DateTime<Utc>>,
    #[serde(default, deserialize_with = "lenient::epoch")]
    pub created_at: Option<DateTime<Utc>>,
    #[serde(default, deserialize_with = "lenient::opt_id")]
    pub created_by_id: Option<String>,
    /// 1 open, 2 closed.
    #[serde(default, deserialize_with = "lenient::opt_i64")]
    pub status_id: Option<i64>,
}

/// One entry of `breakingnews.status`, the item's timeline.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct NewsUpdateWire {
    #[serde(default, deserialize_with = "lenient::epoch")]
    pub created_at: Option<DateTime<Utc>>,
    #[serde(default, deserialize_with = "lenient::opt_id")]
    pub creator_id: Option<String>,
    /// HTML.
    #[serde(default, deserialize_with = "lenient::opt_text")]
    pub body: Option<String>,
}

/// One knowledge-base article. The reference and the instances seen differ on a few names
/// (`views` or `visits`, `last_update_date` or `last_update`, `url` or `link`): each is read
/// under every name seen, the first one present wins.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ArticleWire {
    #[serde(default, deserialize_with = "lenient::id")]
    pub id: String,
    #[serde(default, deserialize_with = "lenient::opt_text")]
    pub title: Option<String>,
    /// A short summary, plain text.
    #[serde(default, deserialize_with = "lenient::opt_text")]
    pub description: Option<String>,
    /// The article, HTML.
    #[serde(default, deserialize_with = "lenient::opt_text")]
    pub content: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_id")]
    pub category_id: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_count")]
    views: Option<u64>,
    #[serde(default, deserialize_with = "lenient::opt_count")]
    visits: Option<u64>,
    #[serde(default, deserialize_with = "lenient::opt_f64")]
    pub rating: Option<f64>,
    #[serde(default, deserialize_with = "lenient::epoch")]
    last_update_date: Option<DateTime<Utc>>,
    #[serde(default, deserialize_with = "lenient::epoch")]
    last_update: Option<DateTime<Utc>>,
    #[serde(default, deserialize_with = "lenient::epoch")]
    creation_date: Option<DateTime<Utc>>,
    #[serde(default, deserialize_with = "lenient::opt_text")]
    url: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_text")]
    link: Option<String>,
    /// How well the article matched a `kb.articles.by.keywords` search (0 to 1).
    #[serde(default, deserialize_with = "lenient::opt_f64")]
    pub search_scoring: Option<f64>,
}

impl ArticleWire {
    pub fn views(&self) -> Option<u64> {
        self.views.or(self.visits)
    }

    /// The last change, or the creation when the article was never changed.
    pub fn updated_at(&self) -> Option<DateTime<Utc>> {
        self.last_update_date
            .or(self.last_update)
            .or(self.creation_date)
    }

    pub fn url(&self) -> Option<&str> {
        self.url.as_deref().or(self.link.as_deref())
    }
}

/// One `kb.categories` entry; `parent_id` 0 or absent is a root.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct KbCategoryWire {
    #[serde(default, deserialize_with = "lenient::id")]
    pub id: String,
    #[serde(default, deserialize_with = "lenient::opt_id")]
    pub parent_id: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_text")]
    pub name: Option<String>,
}

/// A KB listing: the articles that could be read, how many elements the server sent (read or
/// not: where the next page starts), and `total_count` when the server said.
#[derive(Debug, Default)]
pub struct ArticlePage {
    pub articles: Vec<ArticleWire>,
    pub sent: usize,
    pub total: Option<u64>,
}

/// The elements of a collection reply with an id of their own or the key they were filed
/// under; elements with neither are skipped (logged with `endpoint` and position).
pub fn with_ids<T: serde::de::DeserializeOwned>(
    endpoint: &str,
    reply: Value,
    id: impl Fn(&mut T) -> &mut String,
) -> Result<Vec<T>, ProviderError> {
    let list = approval_wire::elements::<T>(endpoint, reply)?
        .into_iter()
        .enumerate()
        .filter_map(|(position, (key, mut element))| {
            let own = id(&mut element);
            if own.is_empty() {
                *own = key.unwrap_or_default();
            }
            if own.is_empty() {
                tracing::warn!(endpoint, position, "skipped an element: no id");
                return None;
            }
            Some(element)
        })
        .collect();
    Ok(list)
}

/// A KB reply (`{status, data[], total_count?}`, or a bare list as the reference documents).
pub fn articles(endpoint: &str, reply: Value) -> Result<ArticlePage, ProviderError> {
    let total = reply
        .get("total_count")
        .and_then(|v| lenient::opt_count(v.clone()).ok().flatten());
    let sent = element_count(&reply);
    let articles = with_ids(endpoint, reply, |a: &mut ArticleWire| &mut a.id)?;
    Ok(ArticlePage {
        articles,
        sent,
        total,
    })
}

/// How many elements a collection reply holds, as [`approval_wire::elements`] walks it: an
/// array's items, a map's numeric keys, and what sits under `data` or `requests`.
fn element_count(reply: &Value) -> usize {
    match reply {
        Value::Array(items) => items.len(),
        Value::Object(map) => map
            .iter()
            .map(|(key, value)| match key.as_str() {
                "data" | "requests" => element_count(value),
                key if key.trim().parse::<i64>().is_ok() => 1,
                _ => 0,
            })
            .sum(),
        _ => 0,
    }
}

/// The single object `breakingnews?id=` answers with (also read inside a `{data: …}` envelope
/// or as a list of one).
pub fn one_news(endpoint: &str, reply: Value) -> Result<NewsWire, ProviderError> {
    let object = match reply {
        Value::Object(mut map) if matches!(map.get("data"), Some(Value::Object(_))) => {
            map.remove("data").unwrap_or_default()
        }
        Value::Array(items) => items.into_iter().next().unwrap_or_default(),
        other => other,
    };
    if !object.is_object() {
        return Err(ProviderError::Decode {
            endpoint: endpoint.to_string(),
            detail: "no news item in the reply".into(),
        });
    }
    serde_json::from_value(object).map_err(|e| decode_error(endpoint, &e))
}
