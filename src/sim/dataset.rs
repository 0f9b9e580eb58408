//! The simulator's in-memory service desk: every entity the InvGate endpoints serve, in the
//! simulator's own vocabulary (not the wire format, which `endpoints/` renders from this).
//! Approvals, their templates and the rules that decide them live in `dataset/approvals.rs`.

mod approvals;

pub use approvals::{
    Approval, ApprovalTemplate, Vote, approval_kind, approval_status, vote_status,
};

/// Everything the simulated instance knows. Ids are unique per entity kind; users and requests
/// are sorted by id (lookups are binary searches), help desks list each desk before its levels.
#[derive(Debug, Clone, PartialEq)]
pub struct Dataset {
    pub seed: u64,
    /// Value of `sd.version`.
    pub version: String,
    /// Prefix of `pretty_id` ("SD-#" gives "SD-#1864").
    pub pretty_prefix: String,
    /// The fixed "now" (epoch seconds) that every timestamp is relative to.
    pub now: i64,
    /// Help desks and their levels, a desk followed by its levels.
    pub helpdesks: Vec<HelpDesk>,
    pub statuses: Vec<Named>,
    /// Status ids that count as open (InvGate's by.* listings return only these).
    pub open_status_ids: Vec<u64>,
    pub priorities: Vec<Named>,
    pub types: Vec<Named>,
    pub sources: Vec<Named>,
    pub categories: Vec<Category>,
    pub locations: Vec<Named>,
    pub users: Vec<User>,
    /// User groups (`groups`), the other audience a breaking news item can name
    /// (`affected_group_ids`). Their ids never collide with help desk or level ids: InvGate
    /// keeps both kinds of group in one table.
    pub groups: Vec<Group>,
    pub custom_fields: Vec<CustomField>,
    pub requests: Vec<Request>,
    /// Requests carrying hostile text on purpose (escape sequences, bidi, huge or deep HTML).
    pub hostile_ids: Vec<u64>,
    pub news_statuses: Vec<Named>,
    pub news_types: Vec<Named>,
    pub news: Vec<NewsItem>,
    pub kb_categories: Vec<KbCategory>,
    pub articles: Vec<Article>,
    /// The approval templates of the instance (`incident.custom_approval`), by id.
    pub approval_templates: Vec<ApprovalTemplate>,
    /// While `true`, `incident.approval.status`, `.type` and `.vote_status` answer `[]`, as
    /// PHP serialises an empty map, so that a client's tolerance of it can be tested.
    pub empty_approval_vocabularies: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Named {
    pub id: u64,
    pub name: String,
}

/// A help desk (`parent_id == None`) or one of its levels.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HelpDesk {
    pub id: u64,
    pub name: String,
    pub parent_id: Option<u64>,
    /// 1-based order for levels, `None` for desks.
    pub level_order: Option<u32>,
    /// 1 enabled, 2 suspended, 3 out of working time, 4 disabled.
    pub status_id: u8,
    /// 1 round robin, 2 by load, 3 free, 4 manual.
    pub engine_id: u8,
    pub members: Vec<u64>,
    pub deleted: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Category {
    pub id: u64,
    pub name: String,
    pub parent_id: Option<u64>,
    /// The help desk this category routes to.
    pub desk_id: u64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub id: u64,
    pub name: String,
    pub lastname: String,
    pub username: String,
    pub email: String,
    /// 1 agent, 2 end user.
    pub user_type: u8,
    /// 1 System, 2 LDAP, 3 Webservice, 4 Customer, 5 Mailbox.
    pub kind: u8,
    pub role_name: String,
    pub is_disabled: bool,
    pub is_deleted: bool,
    pub is_external: bool,
    pub company: String,
    pub department: String,
    pub position: String,
    pub location: String,
    pub city: String,
    pub country: String,
    pub phone: String,
    pub mobile: String,
    pub employee_number: String,
    pub manager_id: Option<u64>,
}

/// A group of users (InvGate's `groups`, often mirrored from the directory's departments).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    pub id: u64,
    pub name: String,
    /// User ids, ascending.
    pub members: Vec<u64>,
}

impl User {
    pub fn is_agent(&self) -> bool {
        self.user_type == 1
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomField {
    pub uid: u64,
    pub label: String,
    pub description: String,
    /// Custom field type id (see `cf.fields.types`).
    pub field_type: u8,
    /// Categories (parents and their children) where the field applies; empty = all.
    pub category_ids: Vec<u64>,
    pub is_required: bool,
    /// What a value may be. A list field: its option labels, in order. A tree field: the full
    /// path of every node ([`TREE_SEPARATOR`]-joined names from the root), depth first, each
    /// parent before its children. Empty for the other types (any value is accepted there).
    pub options: Vec<String>,
}

/// Custom field type ids of `cf.fields.types` that the simulator treats specially.
pub mod field_type {
    pub const LIST: u8 = 3;
    pub const TREE: u8 = 4;
    pub const NUMBER: u8 = 5;
    pub const DATE: u8 = 6;
}

/// Joins the node names of a tree field's path, root first: a tree field's value, on the
/// incident object and in `incident.custom_field`, is the chosen node's full path
/// ("Madrid HQ › Floor 3 › Room 301").
pub const TREE_SEPARATOR: &str = " › ";

/// The path of a tree node's parent (`None` for a root).
pub fn tree_parent(path: &str) -> Option<&str> {
    path.rfind(TREE_SEPARATOR).map(|at| &path[..at])
}

/// A request ("incident" on the wire).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    pub id: u64,
    pub title: String,
    /// HTML, entities encoded as the PHP backend stores them.
    pub description: String,
    pub status_id: u64,
    pub priority_id: u64,
    pub type_id: u64,
    pub category_id: u64,
    pub source_id: u64,
    pub location_id: Option<u64>,
    /// Customer.
    pub user_id: u64,
    pub creator_id: u64,
    pub assigned_id: Option<u64>,
    /// A help desk or level id.
    pub assigned_group_id: u64,
    pub created_at: i64,
    pub date_ocurred: i64,
    pub last_update: i64,
    pub solved_at: Option<i64>,
    pub closed_at: Option<i64>,
    /// 1 solution accepted, 2 solution expired, 3 customer timeout, 4 finalized workflow.
    pub closed_reason: Option<u8>,
    pub rating: Option<u8>,
    /// Due dates (epoch) of the first-reply and resolution SLAs, when an SLA applies.
    pub sla_first_reply: Option<i64>,
    pub sla_resolution: Option<i64>,
    pub process_id: Option<u64>,
    pub sentiment_initial: Option<String>,
    pub sentiment_current: Option<String>,
    /// `(custom field uid, value)`.
    pub custom_fields: Vec<(u64, String)>,
    pub attachments: Vec<u64>,
    pub comments: Vec<Comment>,
    pub links: Vec<u64>,
    pub approvals: Vec<Approval>,
    pub tasks: Vec<Task>,
    pub observers: Vec<u64>,
    pub collaborators: Vec<u64>,
    /// What a request in a waiting status waits for (set by `incident.waitingfor.*`).
    pub waiting_for: Option<WaitingFor>,
}

/// What a waiting request waits for. The wire's incident object does not carry it; the
/// simulator remembers it so that tests can check what `incident.waitingfor.*` did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WaitingFor {
    Customer,
    Agent,
    /// Until this date (epoch seconds).
    Date(i64),
    /// Until this other request is done.
    Request(u64),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comment {
    pub id: u64,
    pub author_id: u64,
    /// HTML.
    pub message: String,
    pub created_at: i64,
    pub customer_visible: bool,
    pub is_solution: bool,
    /// Id of the comment this one replies to.
    pub reference: Option<u64>,
    pub msg_num: u32,
    pub attached_files: Vec<u64>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Task {
    pub id: u64,
    pub name: String,
    pub description: String,
    pub expiration_date: Option<i64>,
    pub agent_id: Option<u64>,
    pub helpdesk_id: Option<u64>,
    /// 1 user, 2 help desk.
    pub assignment_type: u8,
    /// 0 open, 1 finished, 2 deleted, 3 skipped.
    pub status: u8,
    pub created_at: i64,
    pub completed_at: Option<i64>,
    pub is_predefined: bool,
    pub is_required: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewsItem {
    pub id: u64,
    /// 1 High, 2 Medium, 3 Low.
    pub type_id: u64,
    pub title: String,
    pub body: String,
    /// Help desks or levels the item affects (`affected_helpdesk_ids`).
    pub helpdesk_ids: Vec<u64>,
    /// User groups it affects (`affected_group_ids`, see [`Dataset::groups`]).
    pub group_ids: Vec<u64>,
    /// When the outage is expected to be (or was) resolved, as its creator estimated it.
    pub resolution_time: Option<i64>,
    pub created_at: i64,
    pub created_by_id: u64,
    /// [`news_status::OPEN`] or [`news_status::CLOSED`].
    pub status_id: u64,
    /// The request this item was raised for (`major_incident_id` of the POST). The GET object
    /// documents no such field, so it is not served; tests read it here.
    pub major_incident_id: Option<u64>,
    /// The timeline, oldest first.
    pub updates: Vec<NewsUpdate>,
}

impl NewsItem {
    pub fn is_open(&self) -> bool {
        self.status_id == news_status::OPEN
    }
}

/// `breakingnews.attributes.status` ids.
pub mod news_status {
    pub const OPEN: u64 = 1;
    pub const CLOSED: u64 = 2;
}

/// `breakingnews.attributes.type` ids: the importance of an item.
pub mod news_type {
    pub const HIGH: u64 = 1;
    pub const MEDIUM: u64 = 2;
    pub const LOW: u64 = 3;
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewsUpdate {
    pub created_at: i64,
    pub creator_id: u64,
    pub body: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KbCategory {
    pub id: u64,
    pub parent_id: Option<u64>,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Article {
    pub id: u64,
    pub title: String,
    pub description: String,
    /// HTML.
    pub content: String,
    pub category_id: u64,
    pub author_id: u64,
    pub responsible_id: u64,
    pub creation_date: i64,
    pub last_update_date: i64,
    pub is_private: bool,
    pub views: u64,
    pub rating: f64,
    pub solved_requests: u64,
}

/// The status ids the simulated workflow moves requests between, found by name in
/// [`Dataset::statuses`] (InvGate's default ids when a name is missing).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Lifecycle {
    pub new: u64,
    pub open: u64,
    pub in_progress: u64,
    /// "Waiting for customer": `incident.waitingfor.customer`.
    pub waiting_customer: u64,
    /// The other waiting status ("Waiting for third party"): agent, date, another request.
    pub waiting_other: u64,
    pub resolved: u64,
    pub closed: u64,
    pub rejected: u64,
    pub cancelled: u64,
}

impl Lifecycle {
    /// Closed, rejected or cancelled: the request is finished and off the open listings.
    pub fn is_finished(&self, status_id: u64) -> bool {
        [self.closed, self.rejected, self.cancelled].contains(&status_id)
    }

    /// Where a request goes when work on it resumes: "In progress" when an agent has it,
    /// "Open" otherwise.
    pub fn resumed(&self, assigned: bool) -> u64 {
        if assigned {
            self.in_progress
        } else {
            self.open
        }
    }
}

/// Whether a status name means "cancelled" (either spelling).
pub fn is_cancelled_name(name: &str) -> bool {
    let name = name.trim().to_ascii_lowercase();
    name == "cancelled" || name == "canceled"
}

impl Dataset {
    pub fn request(&self, id: u64) -> Option<&Request> {
        self.requests
            .binary_search_by_key(&id, |r| r.id)
            .ok()
            .and_then(|index| self.requests.get(index))
    }

    pub fn request_mut(&mut self, id: u64) -> Option<&mut Request> {
        self.requests
            .binary_search_by_key(&id, |r| r.id)
            .ok()
            .and_then(|index| self.requests.get_mut(index))
    }

    /// The id the next new comment gets: one more than any comment of any request.
    pub fn next_comment_id(&self) -> u64 {
        self.requests
            .iter()
            .flat_map(|r| r.comments.iter().map(|c| c.id))
            .max()
            .unwrap_or(0)
            + 1
    }

    /// The workflow's status ids, by name.
    pub fn lifecycle(&self) -> Lifecycle {
        let find = |fallback: u64, test: &dyn Fn(&str) -> bool| {
            self.statuses
                .iter()
                .find(|s| test(&s.name.trim().to_ascii_lowercase()))
                .map_or(fallback, |s| s.id)
        };
        Lifecycle {
            new: find(1, &|n| n == "new"),
            open: find(2, &|n| n == "open" || n == "opened"),
            in_progress: find(3, &|n| n.contains("progress")),
            waiting_customer: find(4, &|n| n.starts_with("waiting") && n.contains("customer")),
            waiting_other: find(5, &|n| n.starts_with("waiting") && !n.contains("customer")),
            resolved: find(6, &|n| n == "resolved" || n == "solved"),
            closed: find(7, &|n| n == "closed"),
            rejected: find(8, &|n| n == "rejected"),
            cancelled: find(9, &|n| is_cancelled_name(n)),
        }
    }

    pub fn user(&self, id: u64) -> Option<&User> {
        self.users
            .binary_search_by_key(&id, |u| u.id)
            .ok()
            .and_then(|index| self.users.get(index))
    }

    pub fn group(&self, id: u64) -> Option<&Group> {
        self.groups.iter().find(|g| g.id == id)
    }

    pub fn news_item(&self, id: u64) -> Option<&NewsItem> {
        self.news.iter().find(|n| n.id == id)
    }

    pub fn news_item_mut(&mut self, id: u64) -> Option<&mut NewsItem> {
        self.news.iter_mut().find(|n| n.id == id)
    }

    /// The id the next breaking news item gets: one more than any item's.
    pub fn next_news_id(&self) -> u64 {
        self.news.iter().map(|n| n.id).max().unwrap_or(0) + 1
    }

    pub fn helpdesk(&self, id: u64) -> Option<&HelpDesk> {
        self.helpdesks.iter().find(|h| h.id == id)
    }

    pub fn is_open_status(&self, status_id: u64) -> bool {
        self.open_status_ids.contains(&status_id)
    }

    /// Open requests in id order: what every `incidents.by.*` listing draws from.
    pub fn open_requests(&self) -> impl Iterator<Item = &Request> {
        self.requests
            .iter()
            .filter(|r| self.is_open_status(r.status_id))
    }

    pub fn agents(&self) -> impl Iterator<Item = &User> {
        self.users.iter().filter(|u| u.is_agent())
    }

    pub fn customers(&self) -> impl Iterator<Item = &User> {
        self.users.iter().filter(|u| !u.is_agent())
    }
}
