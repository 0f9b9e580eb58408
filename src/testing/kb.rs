//! A small knowledge base for tests: a category tree (with a child and a grandchild), articles
//! found by a word of their title, and one article with a link, read with its footnote.

use chrono::DateTime;

use crate::domain::{KbArticle, KbCategory, KbHit, KbSummary, Named, Page};
use crate::provider::{KbAnswer, KbCall};
use crate::text::SafeText;

/// The tree: Hardware › Printers › Toner, and Network.
pub fn kb_categories() -> Vec<KbCategory> {
    let c = |id: &str, name: &str, parent: Option<&str>| KbCategory {
        id: id.into(),
        name: SafeText::line(name),
        parent: parent.map(str::to_string),
    };
    vec![
        c("1", "Hardware", None),
        c("2", "Printers", Some("1")),
        c("3", "Toner", Some("2")),
        c("4", "Network", None),
    ]
}

fn summary(id: &str, title: &str, category: (&str, &str), url: Option<&str>) -> KbSummary {
    KbSummary {
        id: id.into(),
        title: SafeText::line(title),
        category: Some(Named {
            id: category.0.into(),
            name: SafeText::line(category.1),
        }),
        views: Some(1204),
        rating: Some(4.5),
        updated_at: DateTime::from_timestamp(1_795_000_000, 0),
        url: url.map(str::to_string),
    }
}

/// Every article: (summary, body).
pub fn kb_articles() -> Vec<(KbSummary, &'static str)> {
    vec![
        (
            summary(
                "21",
                "Printer prints random symbols",
                ("2", "Printers"),
                Some("https://kb.example.com/articles/21"),
            ),
            "A printer that prints symbols has the wrong driver.\n\nOpen Devices and Printers.\nRemove the printer.\nAdd it again with the PCL6 driver [1].\n\n[1]: https://drivers.example.com/pcl6",
        ),
        (
            summary("22", "Replace a toner cartridge", ("3", "Toner"), None),
            "Open the front cover.\nPull the old cartridge out.",
        ),
        (
            summary("31", "Reset your VPN token", ("4", "Network"), None),
            "Go to the portal and choose Reset token.",
        ),
    ]
}

/// The fixture answer to a knowledge-base read: a search finds the articles whose title has a
/// word starting with one of the words typed, best first.
pub fn kb_answer(call: &KbCall) -> KbAnswer {
    match call {
        KbCall::Search(query) => {
            let words: Vec<String> = query
                .words
                .split_whitespace()
                .map(str::to_lowercase)
                .collect();
            let mut hits: Vec<KbHit> = kb_articles()
                .into_iter()
                .filter_map(|(s, _)| {
                    let title = s.title.as_str().to_lowercase();
                    let matched = words
                        .iter()
                        .filter(|w| title.split_whitespace().any(|t| t.starts_with(w.as_str())))
                        .count();
                    (matched > 0).then(|| KbHit {
                        score: Some(matched as f64 / words.len().max(1) as f64),
                        article: s,
                    })
                })
                .take(query.limit)
                .collect();
            hits.sort_by(|a, b| {
                b.score
                    .partial_cmp(&a.score)
                    .unwrap_or(std::cmp::Ordering::Equal)
            });
            KbAnswer::Search(Ok(hits))
        }
        KbCall::Categories => KbAnswer::Categories(Ok(kb_categories())),
        KbCall::Category { id, .. } => {
            let items: Vec<KbSummary> = kb_articles()
                .into_iter()
                .map(|(s, _)| s)
                .filter(|s| s.category.as_ref().is_some_and(|c| c.id == *id))
                .collect();
            KbAnswer::Category(Ok(Page {
                unreadable: 0,
                total: Some(items.len() as u64),
                items,
                next: None,
            }))
        }
        KbCall::Article { id } => KbAnswer::Article(Ok(kb_articles()
            .into_iter()
            .find(|(s, _)| s.id == *id)
            .map(|(summary, body)| KbArticle {
                summary,
                body: SafeText::block(body),
            }))),
    }
}
