//! Expands an embedded demo asset into a [`Dataset`], deterministically from a seed: the same
//! instance and seed always yield the same data, on every machine, relative to a fixed "now".

mod approvals;
mod catalog;
mod demo_work;
mod extras;
mod hostile;
pub(crate) mod hostile_seed;
mod people;
mod requests;
pub(crate) mod text;
mod threads;
mod workflow;

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use crate::sim::Instance;
use crate::sim::assets::{self, Assets};
use crate::sim::dataset::Dataset;
use crate::sim::rng::Rng;

pub use text::decode_entities;

/// Salts of the streams drawn from copies of the root generator: parts added after the others
/// existed, so that they leave every earlier part's data as it was.
const TEMPLATE_SALT: u64 = 0xA77E;
const APPROVAL_SALT: u64 = 0xA990;

/// Fallback "now" (2026-11-01T09:00:00Z) if the asset's timestamp cannot be parsed.
const DEFAULT_NOW: i64 = 1_793_523_600;

/// Builds the IT demo instance for `seed`, relative to the asset's fixed "now".
pub fn demo_dataset(seed: u64) -> Dataset {
    demo_dataset_at(seed, None)
}

/// Builds the IT demo instance for `seed` relative to `now` (epoch seconds) when given: the
/// interactive demo uses the wall clock so ages read "2h", not "3w".
pub fn demo_dataset_at(seed: u64, now: Option<i64>) -> Dataset {
    instance_dataset(Instance::It, seed, now)
}

/// Builds `instance` for `seed`, relative to `now` when given, else to the asset's fixed "now".
pub fn instance_dataset(instance: Instance, seed: u64, now: Option<i64>) -> Dataset {
    let assets = assets::load(instance).unwrap_or_else(|err| {
        // The assets are embedded and covered by tests, so this only happens to a broken build;
        // serving an empty instance beats refusing to start the demo.
        tracing::error!(
            %err,
            instance = instance.name(),
            "demo asset is invalid; the simulator serves an empty instance"
        );
        Assets::default()
    });
    build(&assets, seed, now)
}

/// The dataset of `instance` for `seed`, built once per process and shared: every simulator
/// (one per test) serving that instance and seed starts from the same data, and copies it on
/// its first write, so the cached one never changes.
pub fn shared_dataset(instance: Instance, seed: u64) -> Arc<Dataset> {
    type Cache = Mutex<HashMap<(Instance, u64), Arc<Dataset>>>;
    static CACHE: OnceLock<Cache> = OnceLock::new();
    let cache = CACHE.get_or_init(|| Mutex::new(HashMap::new()));
    let mut map = cache
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    map.entry((instance, seed))
        .or_insert_with(|| Arc::new(instance_dataset(instance, seed, None)))
        .clone()
}

pub fn build(assets: &Assets, seed: u64, now: Option<i64>) -> Dataset {
    let mut rng = Rng::new(seed);
    let now = now.unwrap_or_else(|| {
        chrono::DateTime::parse_from_rfc3339(&assets.instance.now)
            .map_or(DEFAULT_NOW, |t| t.timestamp())
    });
    let mut catalog = catalog::build(assets);
    // Each part draws from its own forked stream so that changing one part of the generator
    // leaves the others' data as it was.
    let users = people::build(assets, &mut rng.fork(1), &mut catalog.helpdesks);
    let mut requests = requests::build(&mut rng.fork(2), assets, &catalog, &users, now);
    let next_comment_id = requests
        .iter()
        .flat_map(|r| r.comments.iter().map(|c| c.id))
        .max()
        .unwrap_or(5_000)
        + 1;
    let hostile_ids = hostile::plant(
        &mut requests,
        &assets.hostile,
        &catalog.open_status_ids,
        next_comment_id,
        now,
    );
    let agent_ids: Vec<u64> = users
        .iter()
        .filter(|u| u.is_agent() && u.id != 1)
        .map(|u| u.id)
        .collect();
    let groups = people::groups(assets, &users, &catalog.helpdesks);
    let news = extras::news(
        &mut rng.fork(3),
        assets,
        (&catalog.helpdesks, &groups),
        &agent_ids,
        now,
    );
    let kb_categories = extras::kb_categories(assets);
    let articles = extras::articles(&mut rng.fork(4), assets, &kb_categories, &agent_ids, now);
    let approval_templates = approvals::templates(
        &mut rng.clone().fork(TEMPLATE_SALT),
        assets,
        &catalog.types,
        &catalog.helpdesks,
        &approvals::approvers(&users),
        now,
    );
    let mut dataset = Dataset {
        seed,
        version: assets.instance.version.clone(),
        pretty_prefix: assets.instance.pretty_prefix.clone(),
        now,
        helpdesks: catalog.helpdesks,
        statuses: catalog.statuses,
        open_status_ids: catalog.open_status_ids,
        priorities: catalog.priorities,
        types: catalog.types,
        sources: catalog.sources,
        categories: catalog.categories,
        locations: catalog.locations,
        users,
        groups,
        custom_fields: catalog.custom_fields,
        requests,
        hostile_ids,
        news_statuses: catalog.news_statuses,
        news_types: catalog.news_types,
        news,
        kb_categories,
        articles,
        approval_templates,
        empty_approval_vocabularies: false,
    };
    approvals::plant(&mut rng.clone().fork(APPROVAL_SALT), assets, &mut dataset);
    demo_work::promise(&mut dataset);
    dataset
}

#[cfg(test)]
mod tests;
