//! The hand-written raw material of the demo service desks (`assets/demo/service-desk.toml` for
//! the IT instance, `assets/demo/hr-desk.toml` for the HR one), embedded in the binary and parsed
//! into plain structs that the generator expands. Both files share one schema.

use serde::Deserialize;

use crate::sim::Instance;

/// The embedded TOML, so `ttydesk demo` needs no files next to the binary.
const SERVICE_DESK_TOML: &str = include_str!("../../assets/demo/service-desk.toml");
const HR_DESK_TOML: &str = include_str!("../../assets/demo/hr-desk.toml");

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct Assets {
    pub instance: InstanceSeed,
    pub attributes: Attributes,
    pub helpdesks: Vec<DeskSeed>,
    pub vocab: Vocab,
    pub categories: Vec<CategorySeed>,
    pub people: People,
    pub custom_fields: Vec<CustomFieldSeed>,
    pub text: Texts,
    pub hostile: HostileSeed,
    pub kb: KbSeed,
    pub news: Vec<NewsSeed>,
    pub approval_templates: Vec<ApprovalTemplateSeed>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(default)]
pub struct InstanceSeed {
    pub version: String,
    pub pretty_prefix: String,
    pub email_domain: String,
    pub intranet: String,
    pub now: String,
    pub history_days: u32,
    pub request_count: u32,
    pub first_request_id: u64,
}

impl Default for InstanceSeed {
    fn default() -> Self {
        Self {
            version: "v8.15.13".into(),
            pretty_prefix: "#".into(),
            email_domain: "example.com".into(),
            intranet: "https://intranet.example.com".into(),
            now: "2026-11-01T09:00:00Z".into(),
            history_days: 90,
            request_count: 0,
            first_request_id: 1,
        }
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct Attributes {
    pub statuses: Vec<String>,
    pub open_statuses: u64,
    pub priorities: Vec<String>,
    pub types: Vec<String>,
    pub sources: Vec<String>,
    pub news_statuses: Vec<String>,
    pub news_types: Vec<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct DeskSeed {
    pub name: String,
    pub levels: Vec<String>,
    pub engine: u8,
    pub weight: u32,
    pub deleted: bool,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct Vocab {
    pub asset: Vec<String>,
    pub app: Vec<String>,
    pub site: Vec<String>,
    pub room: Vec<String>,
    pub vendor: Vec<String>,
    pub device: Vec<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct CategorySeed {
    pub name: String,
    pub desk: String,
    pub details: Vec<String>,
    pub children: Vec<ChildCategorySeed>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ChildCategorySeed {
    pub name: String,
    pub titles: Vec<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct People {
    /// `[first, last]` pairs.
    pub agents: Vec<Vec<String>>,
    pub roles: Vec<String>,
    pub customer_first: Vec<String>,
    pub customer_last: Vec<String>,
    pub customers: u32,
    /// The first company is the agents' employer.
    pub companies: Vec<String>,
    /// Companies whose people are external customers (a partner, an agency), not directory users.
    pub external_companies: Vec<String>,
    /// Department and position shown on every agent's profile.
    pub agent_department: String,
    pub agent_position: String,
    pub departments: Vec<String>,
    pub positions: Vec<String>,
    /// `[city, country]` pairs.
    pub cities: Vec<Vec<String>>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct CustomFieldSeed {
    pub label: String,
    pub description: String,
    #[serde(rename = "type")]
    pub field_type: u8,
    pub categories: Vec<String>,
    pub required: bool,
    pub values: Vec<String>,
    pub pattern: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct Texts {
    pub greetings: Vec<String>,
    pub closings: Vec<String>,
    pub openers: Vec<String>,
    /// Heading of the "what I tried" list in medium and long descriptions.
    pub tried_heading: String,
    pub tried: Vec<String>,
    /// "What happened" cells of the timeline table in long descriptions.
    pub timeline: Vec<String>,
    /// Intranet path (after `instance.intranet`) and link text of the page long descriptions
    /// point to.
    pub related_page: String,
    pub related_page_label: String,
    pub public_replies: Vec<String>,
    pub customer_replies: Vec<String>,
    pub internal_notes: Vec<String>,
    pub solutions: Vec<String>,
    pub approval_descriptions: Vec<String>,
    pub tasks: Vec<String>,
}

/// One approval template (`incident.custom_approval`); ids follow the order in the asset.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ApprovalTemplateSeed {
    pub title: String,
    pub description: String,
    pub description_required: bool,
    pub description_prompt: String,
    /// Hours from the request of an approval to its expiry; 0 never expires.
    pub expires_in_hours: u32,
    /// An expired approval counts as approved (else as rejected).
    pub expired_approved: bool,
    pub pause_sla: bool,
    /// Names of the request types it may be used on.
    pub types: Vec<String>,
    /// Names of the help desks whose requests may use it; empty: every desk.
    pub desks: Vec<String>,
    /// How many approvers it asks (1 to 4).
    pub voters: u32,
}

/// The words around the hostile payloads; the generator adds the escape sequences, bidi
/// override and huge or deep HTML itself (`generate/hostile.rs`).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct HostileSeed {
    /// One title per payload, in payload order.
    pub titles: Vec<String>,
    /// Line before the clipboard-writing (OSC 52) sequence.
    pub clipboard_intro: String,
    /// Line before the screen-clearing sequence, and the text printed after it.
    pub screen_clear_intro: String,
    pub screen_clear_text: String,
    /// One line of the huge pasted log.
    pub log_line: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct KbSeed {
    pub categories: Vec<KbCategorySeed>,
    pub articles: Vec<ArticleSeed>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct KbCategorySeed {
    pub name: String,
    /// Name of the parent category, `""` for a root.
    pub parent: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ArticleSeed {
    pub title: String,
    pub category: String,
    pub summary: String,
    /// HTML fragments (they may contain markup on purpose).
    pub steps: Vec<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct NewsSeed {
    pub title: String,
    pub body: String,
    #[serde(rename = "type")]
    pub type_id: u64,
    pub open: bool,
    pub desks: Vec<String>,
    /// Names of the user groups (departments) it affects.
    pub groups: Vec<String>,
    pub updates: Vec<String>,
}

/// Parses the embedded asset of `instance`.
pub fn load(instance: Instance) -> Result<Assets, toml::de::Error> {
    toml::from_str(match instance {
        Instance::It => SERVICE_DESK_TOML,
        Instance::Hr => HR_DESK_TOML,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_asset_parses_and_is_complete() {
        let assets = load(Instance::It).expect("asset parses");
        assert_eq!(assets.attributes.statuses.len(), 8);
        assert!(assets.helpdesks.len() >= 5);
        assert!(assets.people.agents.len() >= 30);
        assert!(assets.people.agents.iter().all(|pair| pair.len() == 2));
        assert_eq!(assets.kb.articles.len(), 30);
        assert_eq!(assets.news.len(), 9);
        check_references(&assets);
    }

    #[test]
    fn hr_asset_parses_and_is_complete() {
        let it = load(Instance::It).expect("IT asset parses");
        let assets = load(Instance::Hr).expect("HR asset parses");
        let instance = &assets.instance;
        assert_eq!(instance.pretty_prefix, "HR-#");
        assert_eq!(instance.first_request_id, it.instance.first_request_id);
        assert_eq!(instance.request_count, 600);
        assert_eq!(instance.email_domain, "acme-hr.example");
        assert!(
            instance.intranet.starts_with("https://")
                && instance.intranet.ends_with(".acme-hr.example")
        );
        assert_eq!(
            instance.now, it.instance.now,
            "both desks share one fixed now"
        );
        // InvGate's system attributes are the same on every instance.
        assert_eq!(assets.attributes.statuses, it.attributes.statuses);
        assert_eq!(assets.attributes.types, it.attributes.types);
        assert_eq!(assets.attributes.sources, it.attributes.sources);
        assert!((4..=5).contains(&assets.helpdesks.len()));
        assert!(
            assets
                .helpdesks
                .iter()
                .all(|d| (1..=3).contains(&d.levels.len()) && !d.deleted && d.weight > 0)
        );
        let levels: usize = assets.helpdesks.iter().map(|d| d.levels.len()).sum();
        assert!(
            assets.people.agents.len() >= levels,
            "one agent per level at least"
        );
        assert!(assets.people.agents.iter().all(|pair| pair.len() == 2));
        assert_eq!(assets.kb.articles.len(), 16);
        assert_eq!(assets.news.len(), 5);
        check_references(&assets);
    }

    /// Names that point at other entries (a category's desk, a news item's desks, an article's
    /// category, an external company) must exist, or the generator silently drops the link.
    fn check_references(assets: &Assets) {
        for category in &assets.categories {
            assert!(
                assets.helpdesks.iter().any(|d| d.name == category.desk),
                "{}",
                category.name
            );
            assert!(!category.details.is_empty(), "{}", category.name);
            assert!(category.children.iter().all(|c| !c.titles.is_empty()));
        }
        for item in &assets.news {
            assert!(!item.desks.is_empty(), "{}", item.title);
            for desk in &item.desks {
                assert!(assets.helpdesks.iter().any(|d| &d.name == desk), "{desk}");
            }
            for group in &item.groups {
                let people = &assets.people;
                assert!(
                    &people.agent_department == group || people.departments.contains(group),
                    "{group}"
                );
            }
        }
        for article in &assets.kb.articles {
            assert!(
                assets
                    .kb
                    .categories
                    .iter()
                    .any(|c| c.name == article.category),
                "{}",
                article.title
            );
        }
        assert!(assets.approval_templates.len() >= 4);
        for template in &assets.approval_templates {
            let title = &template.title;
            assert!(!title.is_empty() && !template.description.is_empty());
            assert!((1..=4).contains(&template.voters), "{title}");
            assert!(!template.types.is_empty(), "{title}");
            for name in &template.types {
                assert!(assets.attributes.types.contains(name), "{title}: {name}");
            }
            for desk in &template.desks {
                assert!(assets.helpdesks.iter().any(|d| &d.name == desk), "{desk}");
            }
            // Generated waiting approvals are requested at least two hours before they expire.
            assert!(
                template.expires_in_hours == 0 || template.expires_in_hours >= 24,
                "{title}"
            );
            assert!(
                !template.description_required || !template.description_prompt.is_empty(),
                "{title}: a required description says what to describe"
            );
        }
        for company in &assets.people.external_companies {
            assert!(assets.people.companies.contains(company), "{company}");
        }
        assert!(!assets.people.agent_department.is_empty());
        assert!(!assets.people.agent_position.is_empty());
        assert_eq!(assets.text.timeline.len(), 5);
        assert!(assets.text.related_page.starts_with('/'));
        let hostile = &assets.hostile;
        assert_eq!(hostile.titles.len(), 8);
        assert!(
            hostile.titles.get(4).is_some_and(|t| t.contains(' ')),
            "room for the hidden space"
        );
        for text in [
            &hostile.clipboard_intro,
            &hostile.screen_clear_intro,
            &hostile.screen_clear_text,
            &hostile.log_line,
        ] {
            assert!(!text.is_empty());
        }
    }
}
