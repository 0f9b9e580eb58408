//! The integrated account a Truto profile works in: reading it and its capabilities (refused,
//! never queried further, unless it is active), what those capabilities let the console do,
//! and the environment's accounts as the picker lists them.

use std::collections::BTreeMap;

use super::client::decode_error;
use super::wire::{self, AccountWire, CapabilitiesWire};
use super::{PAGE_SIZE, Truto, map};
use crate::domain::{AccountChoice, Capabilities};
use crate::provider::{ProviderError, ProviderResult};
use crate::text::SafeText;

/// Integrations whose comments have an agents-only form Truto's `is_private` sets.
const PRIVATE_COMMENTS: [&str; 8] = [
    "zendesk",
    "freshdesk",
    "freshservice",
    "servicenow",
    "helpscout",
    "zohodesk",
    "jira",
    "intercom",
];

/// The account a profile works in, and what it may do there.
#[derive(Debug, Clone)]
pub(super) struct Chosen {
    pub id: String,
    /// The integration's slug (`zendesk`) and its name in words.
    pub slug: String,
    pub vendor: String,
    /// Unified resource → methods.
    pub methods: BTreeMap<String, Vec<String>>,
}

impl Chosen {
    pub fn allows(&self, resource: &str, method: &str) -> bool {
        self.methods
            .get(resource)
            .is_some_and(|m| m.iter().any(|x| x == method))
    }

    pub fn capabilities(&self) -> Capabilities {
        let comments_write = self.allows("comments", "create");
        Capabilities {
            counts: false,
            help_desks: false,
            statuses: true,
            comments: self.allows("comments", "list"),
            custom_fields: true,
            links: false,
            approvals: false,
            writes: comments_write || self.allows("tickets", "update"),
            news: false,
            kb: false,
            private_comments: comments_write && PRIVATE_COMMENTS.contains(&self.slug.as_str()),
            votes: false,
        }
    }
}

impl Truto {
    /// The account `id` with its capabilities, refused (never queried further) unless active.
    pub(super) async fn open_account(&self, id: &str) -> ProviderResult<Chosen> {
        let url = self.client.url(&["integrated-account", id], &[]);
        let wire: AccountWire = wire::one(
            "integrated-account/{id}",
            self.client
                .get(url, "integrated-account/{id}")
                .await
                .map_err(|e| match e {
                    ProviderError::NotFound(_) => ProviderError::Config(format!(
                        "Truto has no integrated account {id} in this token's environment; \
                         check integrated_account_id, or leave it out to pick one"
                    )),
                    other => other,
                })?,
        )?;
        let choice = map::choice(&wire).ok_or_else(|| {
            decode_error("integrated-account/{id}", "the account has no usable id")
        })?;
        if let Some(problem) = choice.problem {
            return Err(ProviderError::Config(problem.to_string()));
        }
        let url = self.client.url(
            &["integrated-account", id, "capabilities"],
            &[("type", "unified".to_string())],
        );
        let caps: CapabilitiesWire =
            wire::one("capabilities", self.client.get(url, "capabilities").await?)?;
        let slug = wire
            .integration
            .as_ref()
            .and_then(|i| i.name.clone())
            .or_else(|| caps.integration.as_ref().and_then(|i| i.name.clone()))
            .unwrap_or_default();
        let methods = caps
            .unified
            .iter()
            .filter(|u| u.model.as_deref().is_none_or(|m| m == "ticketing"))
            .filter_map(|u| Some((u.resource.clone()?, u.methods.clone())))
            .collect();
        // The integration's own label ("Jira Service Management") where Truto gives one.
        let vendor = caps
            .integration
            .as_ref()
            .and_then(|i| i.label.as_deref())
            .map(|l| SafeText::line(l).to_string())
            .filter(|l| !l.is_empty())
            .unwrap_or_else(|| map::integration_name(&slug));
        Ok(Chosen {
            id: id.to_string(),
            vendor,
            slug,
            methods,
        })
    }

    /// Every integrated account of the environment, as the picker lists them.
    pub(super) async fn choices(&self) -> ProviderResult<Vec<AccountChoice>> {
        let first = self
            .client
            .url(&["integrated-account"], &[("limit", PAGE_SIZE.to_string())]);
        let accounts: Vec<AccountWire> = self.read_all(first, "integrated-account").await?;
        Ok(accounts.iter().filter_map(map::choice).collect())
    }
}
