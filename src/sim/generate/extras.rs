//! Breaking news (with their update timelines) and the knowledge base (categories and articles
//! with HTML content), built from the asset.

use crate::sim::assets::{ArticleSeed, Assets};
use crate::sim::dataset::{
    Article, Group, HelpDesk, KbCategory, NewsItem, NewsUpdate, news_status,
};
use crate::sim::generate::text::escape;
use crate::sim::rng::Rng;

const HOUR: i64 = 3_600;
const DAY: i64 = 86_400;

/// One item per asset entry, ids in asset order. Open items started in the last two days and
/// their updates are spread between then and "now"; closed items ran for hours to days a few
/// weeks ago, closed by their last update. Every timeline is strictly increasing and ends
/// before "now".
pub fn news(
    rng: &mut Rng,
    assets: &Assets,
    (helpdesks, groups): (&[HelpDesk], &[Group]),
    agents: &[u64],
    now: i64,
) -> Vec<NewsItem> {
    (1u64..)
        .zip(&assets.news)
        .map(|(id, seed)| {
            let created_at = if seed.open {
                now - rng.range(3 * HOUR, 2 * DAY)
            } else {
                now - rng.range(5 * DAY, 30 * DAY)
            };
            let end = if seed.open {
                now - 60
            } else {
                created_at + rng.range(6 * HOUR, 3 * DAY)
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
            let group_ids = seed
                .groups
                .iter()
                .filter_map(|name| groups.iter().find(|g| &g.name == name))
                .map(|g| g.id)
                .collect();
            let created_by_id = rng.pick(agents).copied().unwrap_or(1);
            let updates = timeline(rng, &seed.updates, (created_at, end), created_by_id, agents);
            NewsItem {
                id,
                type_id: seed.type_id,
                title: seed.title.clone(),
                body: seed.body.clone(),
                helpdesk_ids,
                group_ids,
                resolution_time: Some(if seed.open {
                    now + rng.range(2, 48) * HOUR
                } else {
                    updates.last().map_or(end, |u| u.created_at)
                }),
                created_at,
                created_by_id,
                status_id: if seed.open {
                    news_status::OPEN
                } else {
                    news_status::CLOSED
                },
                major_incident_id: None,
                updates,
            }
        })
        .collect()
}

/// The updates of one item, in `(start, end)`: the span is cut into one slot per update and
/// each update lands in the second half of its slot, so the times strictly increase. Most are
/// posted by the item's creator, some by a colleague.
fn timeline(
    rng: &mut Rng,
    bodies: &[String],
    (start, end): (i64, i64),
    creator: u64,
    agents: &[u64],
) -> Vec<NewsUpdate> {
    let count = i64::try_from(bodies.len()).unwrap_or(i64::MAX).max(1);
    let slot = ((end - start) / count).max(2);
    (0i64..)
        .zip(bodies)
        .map(|(index, body)| {
            let first = start + slot * index + slot / 2;
            NewsUpdate {
                created_at: rng.range(first, first + slot / 2 - 1),
                creator_id: if rng.chance(0.7) {
                    creator
                } else {
                    rng.pick(agents).copied().unwrap_or(creator)
                },
                body: body.clone(),
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
    let seeds = &assets.kb.articles;
    let intranet = escape(&assets.instance.intranet);
    (1u64..)
        .zip(seeds)
        .map(|(id, seed)| {
            let mut content = format!("<h2>{}</h2>\r\n<p>{}</p>\r\n<ol>\r\n", escape(&seed.title), escape(&seed.summary));
            for step in &seed.steps {
                // Steps are HTML fragments in the asset (they carry <strong>, <em>, entities).
                content.push_str(&format!("<li>{step}</li>\r\n"));
            }
            content.push_str("</ol>\r\n");
            content.push_str(&related(seeds, id, &intranet));
            content.push_str(&format!(
                "<p>Still stuck? Open a request from the <a href=\"{intranet}/portal\">self-service portal</a>.</p>\r\n"
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

/// "See also" links to the articles next to article `id` in its category (the one before and
/// the one after, in asset order; in the whole KB when it is alone in its category): what
/// makes a KB article's HTML carry several links, as real articles do.
fn related(seeds: &[ArticleSeed], id: u64, intranet: &str) -> String {
    let Some(category) = usize::try_from(id - 1)
        .ok()
        .and_then(|index| seeds.get(index))
        .map(|seed| &seed.category)
    else {
        return String::new();
    };
    let mut peers: Vec<(u64, &ArticleSeed)> = (1u64..)
        .zip(seeds)
        .filter(|(_, seed)| &seed.category == category)
        .collect();
    if peers.len() < 2 {
        peers = (1u64..).zip(seeds).collect();
    }
    let at = peers.iter().position(|(peer, _)| *peer == id).unwrap_or(0);
    let neighbours: Vec<String> = [at.checked_sub(1), Some(at + 1)]
        .into_iter()
        .flatten()
        .filter_map(|index| peers.get(index))
        .map(|(peer, seed)| {
            format!(
                "<a href=\"{intranet}/kb/articles/{peer}\">{}</a>",
                escape(&seed.title)
            )
        })
        .collect();
    if neighbours.is_empty() {
        return String::new();
    }
    format!("<p>See also: {}.</p>\r\n", neighbours.join(" and "))
}
