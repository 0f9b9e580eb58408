//! Reference data of one profile: statuses, priorities, help desks, people, custom field
//! definitions. Loaded once per profile and used to put names on ids.

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};

use super::approval::ApprovalWords;
use super::ids::{DeskId, StatusId, UserId};
use crate::text::SafeText;

/// An id with a display name: types, sources, categories (plain string ids), and references to
/// people (`Named<UserId>`) and help desks (`Named<DeskId>`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Named<I = String> {
    pub id: I,
    pub name: SafeText,
}

/// What a status means for the work, independent of its localized name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum StatusKind {
    /// Not yet touched by an agent.
    New,
    /// Being worked on.
    Open,
    /// Paused until someone else answers (customer, third party, a date).
    Waiting,
    /// A solution was given; the customer may still reject it.
    Resolved,
    /// Finished: closed, rejected or cancelled.
    Closed,
}

impl StatusKind {
    /// True while the request still needs an agent or a customer.
    pub fn is_open(self) -> bool {
        !matches!(self, StatusKind::Closed)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Status {
    pub id: StatusId,
    pub name: SafeText,
    pub kind: StatusKind,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Priority {
    pub id: String,
    pub name: SafeText,
    /// 1 = lowest … 5 = most urgent; drives sorting and colour.
    pub rank: u8,
}

/// A help desk or one of its levels (a level has `parent_id` set).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HelpDesk {
    pub id: DeskId,
    pub name: SafeText,
    pub parent_id: Option<DeskId>,
    /// Order among the levels of one help desk (1 = first line).
    pub level_order: Option<u32>,
    /// The agents who work in it (for a help desk with levels, those of its levels too), where
    /// the vendor says.
    #[serde(default)]
    pub members: Vec<UserId>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Person {
    pub id: UserId,
    pub name: SafeText,
    pub email: Option<SafeText>,
    pub is_agent: bool,
}

/// Definition of a custom field: its label is what the agent reads.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomFieldDef {
    pub id: String,
    pub label: SafeText,
    /// The vendor's name (or code) for its type, as it said.
    pub kind: SafeText,
    /// How a value is entered: free text, a number, a date, one of a list, a node of a tree.
    #[serde(default)]
    pub editor: FieldEditor,
}

/// How the value of a custom field is chosen.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FieldEditor {
    /// Any text (also what a type ttydesk does not know falls back to; the server checks).
    #[default]
    Text,
    /// A number (integer or decimal).
    Number,
    /// A calendar date, written YYYY-MM-DD.
    Date,
    /// Yes or no.
    Checkbox,
    /// One of these options (as the server names them).
    List(Vec<SafeText>),
    /// One node of a tree, each given as its path from the root ("Madrid › Floor 3").
    Tree(Vec<SafeText>),
    /// A kind ttydesk cannot set (files, configuration items, people): shown, not edited.
    ReadOnly,
}

/// Everything needed to turn ids into names for one profile.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Catalog {
    pub statuses: Vec<Status>,
    pub priorities: Vec<Priority>,
    pub types: Vec<Named>,
    pub sources: Vec<Named>,
    pub categories: Vec<Named>,
    pub help_desks: Vec<HelpDesk>,
    pub people: HashMap<UserId, Person>,
    pub custom_fields: Vec<CustomFieldDef>,
    /// The server's names for approval statuses, kinds and votes.
    #[serde(default)]
    pub approval_words: ApprovalWords,
    /// User groups (the audiences of breaking news), when the server lists them.
    #[serde(default)]
    pub groups: Vec<Named>,
    /// How to ask the server whether parts of this catalog changed, by the vendor's name for
    /// each part; empty where the vendor has no validators. Saved with the catalog, so a later
    /// run revalidates instead of downloading again.
    #[serde(default)]
    pub validators: BTreeMap<String, Validator>,
}

/// What a part of a catalog (one of the vendor's lists) was read with: the server's validator
/// (`ETag`) and the people that part brought, so a "not modified" answer rebuilds the part
/// from what is kept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Validator {
    pub tag: String,
    #[serde(default)]
    pub people: Vec<UserId>,
}

impl Validator {
    /// A validator as the server sent it, kept only when it can be sent back as a header
    /// value unchanged (visible ASCII, a sane length): anything else is not worth keeping.
    pub fn new(tag: &str, people: Vec<UserId>) -> Option<Validator> {
        let fits = !tag.is_empty()
            && tag.len() <= 256
            && tag.bytes().all(|b| b.is_ascii_graphic() || b == b' ');
        fits.then(|| Validator {
            tag: tag.to_string(),
            people,
        })
    }
}

impl Catalog {
    pub fn status(&self, id: &str) -> Option<&Status> {
        self.statuses.iter().find(|s| s.id == id)
    }

    pub fn priority(&self, id: &str) -> Option<&Priority> {
        self.priorities.iter().find(|p| p.id == id)
    }

    pub fn help_desk(&self, id: &str) -> Option<&HelpDesk> {
        self.help_desks.iter().find(|h| h.id == id)
    }

    pub fn person(&self, id: &str) -> Option<&Person> {
        self.people.get(id)
    }

    pub fn custom_field(&self, id: &str) -> Option<&CustomFieldDef> {
        self.custom_fields.iter().find(|f| f.id == id)
    }

    /// Statuses a ticket can still be worked in.
    pub fn open_statuses(&self) -> impl Iterator<Item = &Status> {
        self.statuses.iter().filter(|s| s.kind.is_open())
    }

    /// Top-level help desks, in catalog order.
    pub fn root_desks(&self) -> impl Iterator<Item = &HelpDesk> {
        self.help_desks.iter().filter(|h| h.parent_id.is_none())
    }

    /// Levels of one help desk, first line first.
    pub fn levels_of<'a>(&'a self, desk_id: &'a str) -> Vec<&'a HelpDesk> {
        let mut levels: Vec<_> = self
            .help_desks
            .iter()
            .filter(|h| h.parent_id.as_ref().is_some_and(|p| *p == desk_id))
            .collect();
        levels.sort_by_key(|h| (h.level_order.unwrap_or(u32::MAX), h.id.clone()));
        levels
    }

    /// A request sitting in `at` is in the queue of `desk`: it is that desk (or level), or one
    /// of its levels.
    pub fn within(&self, at: &DeskId, desk: &DeskId) -> bool {
        at == desk || self.root_of(at) == desk
    }

    /// The top-level desk a desk or level belongs to (itself for a top-level desk).
    pub fn root_of<'a>(&'a self, desk_id: &'a DeskId) -> &'a DeskId {
        match self.help_desk(desk_id.as_str()) {
            Some(HelpDesk {
                parent_id: Some(parent),
                ..
            }) => parent,
            _ => desk_id,
        }
    }
}
