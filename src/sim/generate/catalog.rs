//! The fixed part of the instance, taken straight from the asset: attributes (statuses,
//! priorities, types, sources), help desks with their levels, the category tree, custom field
//! definitions and locations. No randomness here, so ids never depend on the seed.

use crate::sim::assets::Assets;
use crate::sim::dataset::{
    Category, CustomField, HelpDesk, Named, TREE_SEPARATOR, field_type, is_cancelled_name,
    tree_parent,
};

/// Where requests of one parent category go, and which child categories (with the index of the
/// child in the asset, for its title templates) they can get.
#[derive(Debug, Clone)]
pub struct Route {
    pub desk_id: u64,
    pub weight: u32,
    /// Index into `Assets::categories`.
    pub seed_index: usize,
    /// `(category id, index into the parent's children)`.
    pub children: Vec<(u64, usize)>,
}

#[derive(Debug, Clone)]
pub struct Catalog {
    pub statuses: Vec<Named>,
    pub open_status_ids: Vec<u64>,
    pub priorities: Vec<Named>,
    pub types: Vec<Named>,
    pub sources: Vec<Named>,
    pub news_statuses: Vec<Named>,
    pub news_types: Vec<Named>,
    pub helpdesks: Vec<HelpDesk>,
    pub categories: Vec<Category>,
    pub custom_fields: Vec<CustomField>,
    pub locations: Vec<Named>,
    pub routes: Vec<Route>,
}

/// Level ids are `desk id * 10 + order`, so "21" reads as "desk 2, level 1" in logs and tests.
pub const LEVEL_ID_FACTOR: u64 = 10;

/// Ids follow positions, 1-based.
pub fn named(names: &[String]) -> Vec<Named> {
    (1u64..)
        .zip(names)
        .map(|(id, name)| Named {
            id,
            name: name.clone(),
        })
        .collect()
}

pub fn build(assets: &Assets) -> Catalog {
    let attrs = &assets.attributes;
    let open_status_ids = (1..=attrs.open_statuses).collect();
    let helpdesks = helpdesks(assets);
    let (categories, routes) = categories(assets, &helpdesks);
    let custom_fields = custom_fields(assets, &categories);
    Catalog {
        statuses: statuses(&attrs.statuses),
        open_status_ids,
        priorities: named(&attrs.priorities),
        types: named(&attrs.types),
        sources: named(&attrs.sources),
        news_statuses: named(&attrs.news_statuses),
        news_types: named(&attrs.news_types),
        helpdesks,
        categories,
        custom_fields,
        locations: named(&assets.vocab.site),
        routes,
    }
}

/// The asset's statuses, plus "Cancelled" when the asset does not list it: InvGate has that
/// status (it is where `incident.cancel` puts a request), and it is not an open one.
fn statuses(names: &[String]) -> Vec<Named> {
    let mut statuses = named(names);
    if !statuses.iter().any(|s| is_cancelled_name(&s.name)) {
        statuses.push(Named {
            id: statuses.len() as u64 + 1,
            name: "Cancelled".into(),
        });
    }
    statuses
}

fn helpdesks(assets: &Assets) -> Vec<HelpDesk> {
    let mut out = Vec::new();
    for (desk_id, seed) in (1u64..).zip(&assets.helpdesks) {
        let status_id = if seed.deleted { 4 } else { 1 };
        out.push(HelpDesk {
            id: desk_id,
            name: seed.name.clone(),
            parent_id: None,
            level_order: None,
            status_id,
            engine_id: seed.engine,
            members: Vec::new(),
            deleted: seed.deleted,
        });
        for (order, level) in (1u32..).zip(&seed.levels) {
            out.push(HelpDesk {
                id: desk_id * LEVEL_ID_FACTOR + u64::from(order),
                name: level.clone(),
                parent_id: Some(desk_id),
                level_order: Some(order),
                status_id,
                engine_id: seed.engine,
                members: Vec::new(),
                deleted: seed.deleted,
            });
        }
    }
    out
}

fn categories(assets: &Assets, helpdesks: &[HelpDesk]) -> (Vec<Category>, Vec<Route>) {
    let mut categories = Vec::new();
    let mut routes = Vec::new();
    let mut next_id = 1u64;
    for (seed_index, seed) in assets.categories.iter().enumerate() {
        let desk = helpdesks
            .iter()
            .find(|h| h.parent_id.is_none() && h.name == seed.desk);
        let desk_id = desk.map_or(0, |d| d.id);
        let weight = assets
            .helpdesks
            .iter()
            .find(|d| d.name == seed.desk)
            .map_or(0, |d| d.weight);
        let parent_id = next_id;
        next_id += 1;
        categories.push(Category {
            id: parent_id,
            name: seed.name.clone(),
            parent_id: None,
            desk_id,
        });
        let mut children = Vec::new();
        for (child_index, child) in seed.children.iter().enumerate() {
            categories.push(Category {
                id: next_id,
                name: child.name.clone(),
                parent_id: Some(parent_id),
                desk_id,
            });
            children.push((next_id, child_index));
            next_id += 1;
        }
        if desk.is_some() && !children.is_empty() {
            routes.push(Route {
                desk_id,
                weight,
                seed_index,
                children,
            });
        }
    }
    (categories, routes)
}

fn custom_fields(assets: &Assets, categories: &[Category]) -> Vec<CustomField> {
    (1u64..)
        .zip(&assets.custom_fields)
        .map(|(uid, seed)| {
            let mut category_ids = Vec::new();
            for name in &seed.categories {
                let parents = categories
                    .iter()
                    .filter(|c| c.parent_id.is_none() && &c.name == name);
                for parent in parents {
                    category_ids.push(parent.id);
                    let children = categories.iter().filter(|c| c.parent_id == Some(parent.id));
                    category_ids.extend(children.map(|c| c.id));
                }
            }
            CustomField {
                uid,
                label: seed.label.clone(),
                description: seed.description.clone(),
                field_type: seed.field_type,
                category_ids,
                is_required: seed.required,
                options: options(seed.field_type, &seed.values),
            }
        })
        .collect()
}

/// The options of a list field (its values, duplicates dropped) or the nodes of a tree field:
/// the asset lists a tree's paths ("Madrid HQ › Floor 3 › Room 301"), and every prefix of one is
/// a node too, listed before its children. Other types have no options.
fn options(kind: u8, values: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut add = |option: String| {
        if !option.is_empty() && !out.contains(&option) {
            out.push(option);
        }
    };
    match kind {
        field_type::LIST => values.iter().map(|v| v.trim().to_string()).for_each(add),
        field_type::TREE => {
            for value in values {
                let names: Vec<&str> = value.split(TREE_SEPARATOR).map(str::trim).collect();
                for depth in 1..=names.len() {
                    add(names[..depth].join(TREE_SEPARATOR));
                }
            }
            return depth_first(&out, None);
        }
        _ => {}
    }
    out
}

/// The nodes under `parent` (the roots for `None`), each followed by its own subtree, siblings
/// in the order they first appear.
fn depth_first(paths: &[String], parent: Option<&str>) -> Vec<String> {
    let mut out = Vec::new();
    for path in paths.iter().filter(|p| tree_parent(p) == parent) {
        out.push(path.clone());
        out.extend(depth_first(paths, Some(path)));
    }
    out
}
