//! The JSON the scripting commands print: its own types, so the shape documented in
//! docs/json.md stays put when the console's types change. Times are RFC 3339 in UTC; what is
//! unknown is `null`, never left out.

use chrono::{DateTime, SecondsFormat, Utc};
use serde::Serialize;

use crate::app::OutboxItem;
use crate::domain::{Approval, Comment, KbHit, Named, NewsItem, Ticket, TicketDetail, Visibility};

/// A vendor's id or address: as untrusted as its text, so through the same boundary.
pub fn clean(raw: impl std::fmt::Display) -> String {
    crate::text::SafeText::line(&raw.to_string()).to_string()
}

pub fn time(at: Option<DateTime<Utc>>) -> Option<String> {
    at.map(|t| t.to_rfc3339_opts(SecondsFormat::Secs, true))
}

#[derive(Debug, Serialize)]
pub struct Ref {
    pub id: String,
    pub name: String,
}

impl<I: std::fmt::Display> From<&Named<I>> for Ref {
    fn from(n: &Named<I>) -> Ref {
        Ref {
            id: clean(&n.id),
            name: n.name.to_string(),
        }
    }
}

fn named<I: std::fmt::Display>(n: Option<&Named<I>>) -> Option<Ref> {
    n.map(Ref::from)
}

#[derive(Debug, Serialize)]
pub struct StatusJson {
    pub id: String,
    pub name: String,
    /// new, open, waiting, resolved or closed.
    pub kind: &'static str,
}

#[derive(Debug, Serialize)]
pub struct RequestJson {
    pub id: String,
    pub display_id: String,
    pub title: String,
    pub status: StatusJson,
    pub priority: Option<Ref>,
    #[serde(rename = "type")]
    pub kind: Option<Ref>,
    pub category: Option<Ref>,
    pub customer: Option<Ref>,
    pub agent: Option<Ref>,
    pub desk: Option<Ref>,
    pub created_at: Option<String>,
    pub updated_at: Option<String>,
    pub closed_at: Option<String>,
}

pub fn status_kind(kind: crate::domain::StatusKind) -> &'static str {
    use crate::domain::StatusKind as K;
    match kind {
        K::New => "new",
        K::Open => "open",
        K::Waiting => "waiting",
        K::Resolved => "resolved",
        K::Closed => "closed",
    }
}

impl From<&Ticket> for RequestJson {
    fn from(t: &Ticket) -> RequestJson {
        RequestJson {
            id: clean(&t.id),
            display_id: t.display_id.to_string(),
            title: t.title.to_string(),
            status: StatusJson {
                id: clean(&t.status.id),
                name: t.status.name.to_string(),
                kind: status_kind(t.status.kind),
            },
            priority: t.priority.as_ref().map(|p| Ref {
                id: clean(&p.id),
                name: p.name.to_string(),
            }),
            kind: named(t.kind.as_ref()),
            category: named(t.category.as_ref()),
            customer: named(t.customer.as_ref()),
            agent: named(t.agent.as_ref()),
            desk: named(t.help_desk.as_ref()),
            created_at: time(t.created_at),
            updated_at: time(t.updated_at),
            closed_at: time(t.closed_at),
        }
    }
}

#[derive(Debug, Serialize)]
pub struct Listing {
    pub profile: String,
    pub requests: Vec<RequestJson>,
    /// Requests the server sent that could not be read (left out; the log says why).
    pub unreadable: u64,
    /// More requests matched than `--limit` let through.
    pub truncated: bool,
}

#[derive(Debug, Serialize)]
pub struct CommentJson {
    pub id: String,
    pub author: Option<Ref>,
    pub created_at: Option<String>,
    /// public or internal.
    pub visibility: &'static str,
    pub solution: bool,
    pub body: String,
}

pub fn visibility(v: Visibility) -> &'static str {
    match v {
        Visibility::Public => "public",
        Visibility::Internal => "internal",
    }
}

impl From<&Comment> for CommentJson {
    fn from(c: &Comment) -> CommentJson {
        CommentJson {
            id: clean(&c.id),
            author: named(c.author.as_ref()),
            created_at: time(c.created_at),
            visibility: visibility(c.visibility),
            solution: c.is_solution,
            body: c.body.to_string(),
        }
    }
}

#[derive(Debug, Serialize)]
pub struct VoterJson {
    pub id: String,
    pub name: String,
    /// waiting, approved, rejected, annulled or expired.
    pub vote: &'static str,
}

#[derive(Debug, Serialize)]
pub struct ApprovalJson {
    pub id: String,
    pub request: String,
    /// waiting, approved, rejected, cancelled or expired.
    pub status: &'static str,
    pub kind: &'static str,
    pub description: String,
    pub author: Option<Ref>,
    pub created_at: Option<String>,
    pub voters: Vec<VoterJson>,
}

impl From<&Approval> for ApprovalJson {
    fn from(a: &Approval) -> ApprovalJson {
        ApprovalJson {
            id: clean(&a.id),
            request: clean(&a.ticket),
            status: a.status.word(),
            kind: a.kind.word(),
            description: a.description.to_string(),
            author: named(a.author.as_ref()),
            created_at: time(a.created_at),
            voters: a
                .voters
                .iter()
                .map(|v| VoterJson {
                    id: clean(&v.user.id),
                    name: v.user.name.to_string(),
                    vote: v.vote.word(),
                })
                .collect(),
        }
    }
}

#[derive(Debug, Serialize)]
pub struct FieldJson {
    pub id: String,
    pub label: String,
    pub value: String,
}

#[derive(Debug, Serialize)]
pub struct DetailJson {
    pub profile: String,
    pub request: RequestJson,
    pub description: String,
    pub custom_fields: Vec<FieldJson>,
    pub links: Vec<Ref>,
    pub approvals: Vec<ApprovalJson>,
    pub comments: Vec<CommentJson>,
    /// Parts that could not be loaded, in words; the rest is complete.
    pub partial: Vec<String>,
    /// The server's text held control sequences or hidden characters, which were removed.
    pub cleaned: bool,
}

impl DetailJson {
    pub fn new(profile: &str, d: &TicketDetail) -> DetailJson {
        DetailJson {
            profile: profile.to_string(),
            request: RequestJson::from(&d.ticket),
            description: d.description.to_string(),
            custom_fields: d
                .custom_fields
                .iter()
                .map(|f| FieldJson {
                    id: clean(&f.field_id),
                    label: f.label.to_string(),
                    value: f.value.to_string(),
                })
                .collect(),
            links: d
                .links
                .iter()
                .map(|l| Ref {
                    id: clean(&l.id),
                    name: l.title.to_string(),
                })
                .collect(),
            approvals: d.approvals.iter().map(ApprovalJson::from).collect(),
            comments: d.comments.iter().map(CommentJson::from).collect(),
            partial: d.partial.clone(),
            cleaned: d.had_hidden_controls,
        }
    }
}

#[derive(Debug, Serialize)]
pub struct NewsJson {
    pub id: String,
    /// high, medium, low or other.
    pub importance: &'static str,
    pub title: String,
    pub body: String,
    pub open: bool,
    pub status: Option<String>,
    pub desks: Vec<Ref>,
    pub groups: Vec<Ref>,
    pub resolution_at: Option<String>,
    pub creator: Option<Ref>,
    pub created_at: Option<String>,
}

impl From<&NewsItem> for NewsJson {
    fn from(n: &NewsItem) -> NewsJson {
        NewsJson {
            id: clean(&n.id),
            importance: n.importance.word(),
            title: n.title.to_string(),
            body: n.body.to_string(),
            open: n.open,
            status: n.status_name.as_ref().map(ToString::to_string),
            desks: n.desks.iter().map(Ref::from).collect(),
            groups: n.groups.iter().map(Ref::from).collect(),
            resolution_at: time(n.resolution_at),
            creator: named(n.creator.as_ref()),
            created_at: time(n.created_at),
        }
    }
}

#[derive(Debug, Serialize)]
pub struct NewsList {
    pub profile: String,
    pub news: Vec<NewsJson>,
}

#[derive(Debug, Serialize)]
pub struct ArticleJson {
    pub id: String,
    pub title: String,
    pub category: Option<Ref>,
    /// 0 to 1, higher is better; `null` where the vendor gives none.
    pub score: Option<f64>,
    pub views: Option<u64>,
    pub rating: Option<f64>,
    pub updated_at: Option<String>,
    pub url: Option<String>,
}

impl From<&KbHit> for ArticleJson {
    fn from(h: &KbHit) -> ArticleJson {
        let a = &h.article;
        ArticleJson {
            id: a.id.clone(),
            title: a.title.to_string(),
            category: named(a.category.as_ref()),
            score: h.score,
            views: a.views,
            rating: a.rating,
            updated_at: time(a.updated_at),
            url: a.url.as_deref().map(clean),
        }
    }
}

#[derive(Debug, Serialize)]
pub struct KbResults {
    pub profile: String,
    pub articles: Vec<ArticleJson>,
}

/// One outbox entry.
#[derive(Debug, Serialize)]
pub struct EntryJson {
    pub id: String,
    pub profile: String,
    /// pending, sending, uncertain (may have arrived: checked before resending) or failed.
    pub state: &'static str,
    pub attempts: u32,
    /// "request 1207", "news 5", "new news item".
    pub subject: String,
    /// What the write does ("reply", "internal note", "vote").
    pub what: String,
    pub title: Option<String>,
    pub created_at: Option<String>,
    pub next_attempt_at: Option<String>,
    pub in_flight: bool,
    pub last_error: Option<String>,
}

impl EntryJson {
    pub fn new(profile: &str, item: &OutboxItem) -> EntryJson {
        EntryJson {
            id: clean(&item.id),
            profile: profile.to_string(),
            state: item.state.as_str(),
            attempts: item.attempts,
            subject: item.subject.shown(),
            what: item.describe(),
            title: item.queued.as_ref().map(|q| q.title.clone()),
            created_at: time(Some(item.created_at)),
            next_attempt_at: time(Some(item.next_attempt_at)),
            in_flight: item.in_flight,
            last_error: item.last_error.clone(),
        }
    }
}

#[derive(Debug, Serialize)]
pub struct OutboxList {
    pub entries: Vec<EntryJson>,
}

/// How a write ended.
#[derive(Debug, Serialize)]
pub struct WriteJson {
    pub outbox_id: String,
    pub profile: String,
    /// sent (the server confirmed it), pending (waiting in the outbox) or refused.
    pub state: &'static str,
    pub subject: String,
    pub what: String,
    /// Why it is pending or was refused.
    pub error: Option<String>,
}
