//! Breaking news (with their update timelines) and the knowledge base (categories and articles
//! with HTML content), built from the asset.

use crate::sim::assets::Assets;
use crate::sim::dataset::{Article, HelpDesk, KbCategory, NewsItem, NewsUpdate};
use crate::sim::generate::text::escape;
use crate::sim::rng::Rng;

const HOUR: i64 = 3_600;
const DAY: i64 = 86_400;

pub fn news(
    rng: &mut Rng,
    assets: &Assets,
    helpdesks: &[HelpDesk],
    agents: &[u64],
    now: i64,
) -> Vec<NewsItem> {
    (1u64..)
        .zip(&assets.news)
        .map(|(id, seed)| {
            let created_at = if seed.open {
                now - rng.range(HOUR, 2 * DAY)
            } else {
                now - rng.range(5 * DAY, 30 * DAY)
            };
            let helpdesk_ids = seed
                .desks
                .iter()
                .filter_map(|name| {
                    helpdesks
                        .iter()
                        .find(|h| h.parent_id.is_none() && &h.name == name)
                })
                .map(|h| h.id)
                .collect();
            let created_by_id = rng.pick(agents).copied().unwrap_or(1);
            let mut at = created_at;
            let updates = seed
                .updates
                .iter()
                .map(|body| {
                    at += rng.range(20 * 60, 6 * HOUR);
                    NewsUpdate {
                        created_at: at.min(now - 60),
                        creator_id: created_by_id,
                        body: body.clone(),
                    }
                })
                .collect();
            NewsItem {
                id,
                type_id: seed.type_id,
                title: seed.title.clone(),
                body: seed.body.clone(),
                helpdesk_ids,
                group_ids: Vec::new(),
                resolution_time: Some(if seed.open {
                    now + rng.range(2, 48) * HOUR
                } else {
                    at + HOUR
                }),
                created_at,
                created_by_id,
                status_id: if seed.open { 1 } else { 2 },
                updates,
            }
        })
        .collect()
}

pub fn kb_categories(assets: &Assets) -> Vec<KbCategory> {
    let seeds = &assets.kb.categories;
    (1u64..)
        .zip(seeds)
        .map(|(id, seed)| KbCategory {
            id,
            parent_id: (1u64..)
                .zip(seeds)
                .find(|(_, p)| !seed.parent.is_empty() && p.name == seed.parent)
                .map(|(pid, _)| pid),
            name: seed.name.clone(),
        })
        .collect()
}

pub fn articles(
    rng: &mut Rng,
    assets: &Assets,
    categories: &[KbCategory],
    agents: &[u64],
    now: i64,
) -> Vec<Article> {
    (1u64..)
        .zip(&assets.kb.articles)
        .map(|(id, seed)| {
            let mut content = format!("<h2>{}</h2>\r\n<p>{}</p>\r\n<ol>\r\n", escape(&seed.title), escape(&seed.summary));
            for step in &seed.steps {
                // Steps are HTML fragments in the asset (they carry <strong>, <em>, entities).
                content.push_str(&format!("<li>{step}</li>\r\n"));
            }
            content.push_str(&format!(
                "</ol>\r\n<p>Still stuck? Open a request from the <a href=\"{}/portal\">self-service portal</a>.</p>\r\n",
                escape(&assets.instance.intranet)
            ));
            let author_id = rng.pick(agents).copied().unwrap_or(1);
            let creation_date = now - rng.range(30 * DAY, 700 * DAY);
            let rating = (25.0 + rng.below(26) as f64) / 10.0;
            Article {
                id,
                title: seed.title.clone(),
                description: seed.summary.clone(),
                content,
                category_id: categories.iter().find(|c| c.name == seed.category).map_or(1, |c| c.id),
                author_id,
                responsible_id: if rng.chance(0.7) { author_id } else { rng.pick(agents).copied().unwrap_or(author_id) },
                creation_date,
                last_update_date: (creation_date + rng.range(0, 200 * DAY)).min(now - DAY),
                is_private: rng.chance(0.15),
                views: rng.below(5_000),
                rating,
                solved_requests: rng.below(120),
            }
        })
        .collect()
}
