//! Breaking news (the service desk's announcements of outages and incidents that affect many)
//! and the knowledge base (articles agents search and link in replies), as the console shows
//! them whichever vendor they come from.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::catalog::Named;
use super::ids::{DeskId, UserId};
use crate::text::SafeText;

/// How much a news item matters; sorts High first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Importance {
    High,
    Medium,
    Low,
    /// A level this console does not know yet: after the known ones.
    Other,
}

impl Importance {
    pub fn word(self) -> &'static str {
        match self {
            Importance::High => "high",
            Importance::Medium => "medium",
            Importance::Low => "low",
            Importance::Other => "other",
        }
    }
}

/// One breaking-news item, without its timeline of updates.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewsItem {
    pub id: String,
    pub importance: Importance,
    /// The server's name for the importance, when its catalog gave one.
    pub importance_name: Option<SafeText>,
    pub title: SafeText,
    /// Plain text (the vendor's HTML rendered, links as footnotes).
    pub body: SafeText,
    pub desks: Vec<Named<DeskId>>,
    pub groups: Vec<Named>,
    /// When the service desk expects it to be over.
    pub resolution_at: Option<DateTime<Utc>>,
    pub creator: Option<Named<UserId>>,
    pub created_at: Option<DateTime<Utc>>,
    /// Still going on (not closed).
    pub open: bool,
    /// The server's name for the status, when its catalog gave one.
    pub status_name: Option<SafeText>,
}

/// One entry of a news item's timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewsUpdate {
    pub at: Option<DateTime<Utc>>,
    pub creator: Option<Named<UserId>>,
    pub body: SafeText,
}

/// A news item with its timeline, oldest update first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewsDetail {
    pub item: NewsItem,
    pub updates: Vec<NewsUpdate>,
    /// Parts that could not be loaded (the timeline): the rest is still shown.
    pub partial: Vec<String>,
}

/// Open items first, then by importance (High, Medium, Low), then newest first.
pub fn sort_news(items: &mut [NewsItem]) {
    items.sort_by(|a, b| {
        (
            !a.open,
            a.importance,
            std::cmp::Reverse(a.created_at),
            &a.id,
        )
            .cmp(&(
                !b.open,
                b.importance,
                std::cmp::Reverse(b.created_at),
                &b.id,
            ))
    });
}

/// A knowledge-base search: the words typed, the lowest relevance wanted (0 to 1), how many.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KbQuery {
    pub words: String,
    pub min_score: Option<f64>,
    pub limit: usize,
}

/// An article as lists show it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KbSummary {
    pub id: String,
    pub title: SafeText,
    pub category: Option<Named>,
    pub views: Option<u64>,
    /// Average rating, as the vendor counts it.
    pub rating: Option<f64>,
    pub updated_at: Option<DateTime<Utc>>,
    /// Where agents and customers read it on the web, when the vendor says.
    pub url: Option<String>,
}

/// One search result: the article and how well it matched (0 to 1, higher is better).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KbHit {
    pub article: KbSummary,
    pub score: Option<f64>,
}

/// A category of the knowledge base; `parent` makes the tree.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KbCategory {
    pub id: String,
    pub name: SafeText,
    pub parent: Option<String>,
}

/// An article to read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KbArticle {
    pub summary: KbSummary,
    /// Plain text: the vendor's HTML rendered, every link as a numbered footnote showing its
    /// real target.
    pub body: SafeText,
}

/// The names from the root down to `id` ("Hardware › Printers › Toner"); unknown parents end
/// the walk, and a cycle never loops.
pub fn category_path(categories: &[KbCategory], id: &str) -> Vec<SafeText> {
    let mut path = Vec::new();
    let mut at = Some(id.to_string());
    while let Some(current) = at {
        if path.len() > categories.len() {
            break;
        }
        let Some(c) = categories.iter().find(|c| c.id == current) else {
            break;
        };
        path.push(c.name.clone());
        at = c.parent.clone();
    }
    path.reverse();
    path
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(id: &str, importance: Importance, open: bool, hours_ago: i64) -> NewsItem {
        NewsItem {
            id: id.into(),
            importance,
            importance_name: None,
            title: SafeText::line(id),
            body: SafeText::line(""),
            desks: Vec::new(),
            groups: Vec::new(),
            resolution_at: None,
            creator: None,
            created_at: DateTime::from_timestamp(1_800_000_000 - hours_ago * 3600, 0),
            open,
            status_name: None,
        }
    }

    #[test]
    fn open_news_comes_first_by_importance_then_newest() {
        let mut items = vec![
            item("low-new", Importance::Low, true, 1),
            item("high-closed", Importance::High, false, 1),
            item("high-old", Importance::High, true, 9),
            item("medium", Importance::Medium, true, 2),
            item("high-new", Importance::High, true, 2),
        ];
        sort_news(&mut items);
        let order: Vec<&str> = items.iter().map(|i| i.id.as_str()).collect();
        assert_eq!(
            order,
            ["high-new", "high-old", "medium", "low-new", "high-closed"]
        );
    }

    #[test]
    fn a_category_path_runs_from_the_root_and_survives_a_cycle() {
        let c = |id: &str, name: &str, parent: Option<&str>| KbCategory {
            id: id.into(),
            name: SafeText::line(name),
            parent: parent.map(str::to_string),
        };
        let tree = [
            c("1", "Hardware", None),
            c("2", "Printers", Some("1")),
            c("3", "Toner", Some("2")),
            c("8", "Loop A", Some("9")),
            c("9", "Loop B", Some("8")),
        ];
        let names = |id| -> Vec<String> {
            category_path(&tree, id)
                .iter()
                .map(|n| n.to_string())
                .collect()
        };
        assert_eq!(names("3"), ["Hardware", "Printers", "Toner"]);
        assert_eq!(names("404"), Vec::<String>::new());
        assert!(names("8").len() <= tree.len() + 1);
    }
}
