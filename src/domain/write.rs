//! Writes a provider may be asked to make: a reply, a state change, a new value. Declared here so
//! every kind exists in one place with its retry rule; each vendor implements the kinds it
//! supports. A write is data (it serializes), because it waits in the outbox until the server has
//! confirmed it, across restarts. A write that is not idempotent is never repeated blindly: after
//! an ambiguous failure it is reconciled with the server first ([`Reconciled`]).
//!
//! A write never carries a credential. Who acts is a separate [`UserId`] (the agent), given with
//! the write to the provider.

pub use super::subject::Subject;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::ids::{DeskId, TicketId, UserId};
use super::news::Importance;
use super::ticket::Visibility;

/// Lowest rating that may be given without a comment when accepting a solution.
pub const RATING_WITHOUT_COMMENT: u8 = 4;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Write {
    /// A reply to the customer, an internal note, or a proposed solution.
    Comment {
        ticket: TicketId,
        body: String,
        visibility: Visibility,
        solution: bool,
    },
    /// Moves the request to another help desk (or level), and to one of its agents if given.
    Reassign {
        ticket: TicketId,
        desk: DeskId,
        agent: Option<UserId>,
    },
    /// Pauses the request until someone or something answers.
    Wait {
        ticket: TicketId,
        on: WaitFor,
    },
    Reopen {
        ticket: TicketId,
    },
    /// Cancels the request, saying why.
    Cancel {
        ticket: TicketId,
        comment: String,
    },
    Reject {
        ticket: TicketId,
    },
    /// The customer's side of the solution flow: accept it with a rating of 1 to 5 (a comment is
    /// required below [`RATING_WITHOUT_COMMENT`]).
    AcceptSolution {
        ticket: TicketId,
        rating: u8,
        comment: String,
    },
    /// Rejects the proposed solution, saying why.
    RejectSolution {
        ticket: TicketId,
        comment: String,
    },
    AddObserver {
        ticket: TicketId,
        user: UserId,
    },
    AddCollaborator {
        ticket: TicketId,
        user: UserId,
    },
    /// Links the request to another one.
    Link {
        ticket: TicketId,
        other: TicketId,
    },
    /// Sets a custom field. Several values for a multiple-choice list; no value erases it.
    SetField {
        ticket: TicketId,
        field: String,
        values: Vec<String>,
    },
    /// Changes the priority, type or category to the id given.
    Change {
        ticket: TicketId,
        attribute: Attribute,
        value: String,
    },
    /// The agent's vote on an approval of the request: approve, or reject (saying why).
    Vote {
        ticket: TicketId,
        approval: String,
        approve: bool,
        note: String,
    },
    /// Withdraws an approval the agent asked for.
    CancelApproval {
        ticket: TicketId,
        approval: String,
    },
    /// Asks one more person to vote on an approval.
    AddVoter {
        ticket: TicketId,
        approval: String,
        user: UserId,
    },
    /// Asks one person to approve something about the request (a spontaneous approval).
    RequestApproval {
        ticket: TicketId,
        user: UserId,
        description: String,
    },
    /// Sends the request through one of the service desk's approval templates.
    RequestTemplateApproval {
        ticket: TicketId,
        template: String,
        description: String,
    },
    /// Announces a breaking-news item.
    CreateNews {
        news: NewsDraft,
    },
    /// Changes a news item's fields to the draft's.
    EditNews {
        id: String,
        news: NewsDraft,
    },
    /// Adds an update to a news item's timeline; a solution closes the item.
    NewsUpdate {
        id: String,
        body: String,
        solution: bool,
    },
    /// Opens a closed news item again.
    ReopenNews {
        id: String,
    },
}

/// A breaking-news item as the agent writes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewsDraft {
    pub title: String,
    pub body: String,
    pub importance: Importance,
    pub desks: Vec<DeskId>,
    /// User groups, by id.
    pub groups: Vec<String>,
    /// When the service desk expects it to be over.
    pub resolution_at: Option<DateTime<Utc>>,
}

/// What a request waits for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WaitFor {
    Customer,
    Agent,
    Until(DateTime<Utc>),
    /// Another request of the same service desk.
    Request(TicketId),
}

/// A request's attribute with a value from the catalog.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Attribute {
    Priority,
    Type,
    Category,
}

impl Attribute {
    pub fn name(self) -> &'static str {
        match self {
            Attribute::Priority => "priority",
            Attribute::Type => "type",
            Attribute::Category => "category",
        }
    }
}

impl Write {
    /// The request it changes; news writes change none.
    pub fn ticket(&self) -> Option<&TicketId> {
        match self.subject_ref() {
            SubjectRef::Ticket(t) => Some(t),
            SubjectRef::News(_) | SubjectRef::NewNews => None,
        }
    }

    /// What it is about, for the outbox.
    pub fn subject(&self) -> Subject {
        match self.subject_ref() {
            SubjectRef::Ticket(t) => Subject::Ticket(t.clone()),
            SubjectRef::News(id) => Subject::News(id.to_string()),
            SubjectRef::NewNews => Subject::NewNews,
        }
    }

    fn subject_ref(&self) -> SubjectRef<'_> {
        match self {
            Write::CreateNews { .. } => SubjectRef::NewNews,
            Write::EditNews { id, .. }
            | Write::NewsUpdate { id, .. }
            | Write::ReopenNews { id } => SubjectRef::News(id),
            Write::Comment { ticket, .. }
            | Write::Reassign { ticket, .. }
            | Write::Wait { ticket, .. }
            | Write::Reopen { ticket }
            | Write::Cancel { ticket, .. }
            | Write::Reject { ticket }
            | Write::AcceptSolution { ticket, .. }
            | Write::RejectSolution { ticket, .. }
            | Write::AddObserver { ticket, .. }
            | Write::AddCollaborator { ticket, .. }
            | Write::Link { ticket, .. }
            | Write::SetField { ticket, .. }
            | Write::Change { ticket, .. }
            | Write::Vote { ticket, .. }
            | Write::CancelApproval { ticket, .. }
            | Write::AddVoter { ticket, .. }
            | Write::RequestApproval { ticket, .. }
            | Write::RequestTemplateApproval { ticket, .. } => SubjectRef::Ticket(ticket),
        }
    }

    /// The news item it acts on, for the news writes that act on one.
    pub fn news(&self) -> Option<&str> {
        match self.subject_ref() {
            SubjectRef::News(id) => Some(id),
            SubjectRef::Ticket(_) | SubjectRef::NewNews => None,
        }
    }

    /// Sending it twice has the same effect as sending it once. Only values that are set
    /// (not transitions, not things created) are: a second reopen of a request reopened in
    /// between is refused, and a second comment is a second comment.
    pub fn idempotent(&self) -> bool {
        match self {
            Write::Reassign { .. }
            | Write::AddObserver { .. }
            | Write::AddCollaborator { .. }
            | Write::Link { .. }
            | Write::SetField { .. }
            | Write::Change { .. }
            | Write::AddVoter { .. }
            | Write::EditNews { .. }
            | Write::ReopenNews { .. } => true,
            Write::CreateNews { .. } | Write::NewsUpdate { .. } => false,
            Write::Comment { .. }
            | Write::Vote { .. }
            | Write::CancelApproval { .. }
            | Write::RequestApproval { .. }
            | Write::RequestTemplateApproval { .. }
            | Write::Wait { .. }
            | Write::Reopen { .. }
            | Write::Cancel { .. }
            | Write::Reject { .. }
            | Write::AcceptSolution { .. }
            | Write::RejectSolution { .. } => false,
        }
    }

    /// It changes the request's state or fields (not only adds to it), so it is checked against
    /// what changed on the server since the agent looked. Approval writes act on the approval,
    /// whose own state the server checks (a vote on a decided approval is refused).
    pub fn changes_state(&self) -> bool {
        !matches!(
            self,
            Write::Comment { .. }
                | Write::AddObserver { .. }
                | Write::AddCollaborator { .. }
                | Write::Link { .. }
                | Write::Vote { .. }
                | Write::CancelApproval { .. }
                | Write::AddVoter { .. }
                | Write::RequestApproval { .. }
                | Write::RequestTemplateApproval { .. }
                | Write::CreateNews { .. }
                | Write::EditNews { .. }
                | Write::NewsUpdate { .. }
                | Write::ReopenNews { .. }
        )
    }

    /// The approval it acts on, for the approval writes that act on one.
    pub fn approval(&self) -> Option<&str> {
        match self {
            Write::Vote { approval, .. }
            | Write::CancelApproval { approval, .. }
            | Write::AddVoter { approval, .. } => Some(approval),
            _ => None,
        }
    }

    /// It cannot be taken back from the console, so the agent confirms it first.
    pub fn destructive(&self) -> bool {
        matches!(
            self,
            Write::Cancel { .. }
                | Write::Reject { .. }
                | Write::AcceptSolution { .. }
                | Write::RejectSolution { .. }
                | Write::Vote { .. }
                | Write::CancelApproval { .. }
        )
    }

    /// What the agent typed for it, kept whatever happens to the write.
    pub fn text(&self) -> Option<&str> {
        match self {
            Write::Comment { body, .. } | Write::NewsUpdate { body, .. } => Some(body),
            Write::CreateNews { news } | Write::EditNews { news, .. } => Some(&news.body),
            Write::Cancel { comment, .. }
            | Write::AcceptSolution { comment, .. }
            | Write::RejectSolution { comment, .. } => Some(comment),
            Write::Vote { note, .. } => Some(note),
            Write::RequestApproval { description, .. }
            | Write::RequestTemplateApproval { description, .. } => Some(description),
            _ => None,
        }
    }

    /// A few words for the outbox and notices: "public reply", "reassign", "wait for customer".
    pub fn describe(&self) -> String {
        match self {
            Write::Comment { solution: true, .. } => "solution".into(),
            Write::Comment {
                visibility: Visibility::Public,
                ..
            } => "public reply".into(),
            Write::Comment { .. } => "internal note".into(),
            Write::Reassign { .. } => "reassign".into(),
            Write::Wait { on, .. } => match on {
                WaitFor::Customer => "wait for customer".into(),
                WaitFor::Agent => "wait for agent".into(),
                WaitFor::Until(at) => format!("wait until {}", at.format("%Y-%m-%d %H:%M")),
                WaitFor::Request(other) => format!("wait for request {other}"),
            },
            Write::Reopen { .. } => "reopen".into(),
            Write::Cancel { .. } => "cancel".into(),
            Write::Reject { .. } => "reject".into(),
            Write::AcceptSolution { rating, .. } => format!("accept solution ({rating}/5)"),
            Write::RejectSolution { .. } => "reject solution".into(),
            Write::AddObserver { .. } => "add observer".into(),
            Write::AddCollaborator { .. } => "add collaborator".into(),
            Write::Link { other, .. } => format!("link to {other}"),
            Write::SetField { .. } => "set custom field".into(),
            Write::Change { attribute, .. } => format!("change {}", attribute.name()),
            Write::Vote { approve: true, .. } => "approve".into(),
            Write::Vote { approve: false, .. } => "reject approval".into(),
            Write::CancelApproval { .. } => "cancel approval".into(),
            Write::AddVoter { .. } => "add voter".into(),
            Write::RequestApproval { .. } => "ask for approval".into(),
            Write::RequestTemplateApproval { .. } => "start approval".into(),
            Write::CreateNews { .. } => "announce news".into(),
            Write::EditNews { .. } => "edit news".into(),
            Write::NewsUpdate { solution: true, .. } => "close news".into(),
            Write::NewsUpdate { .. } => "news update".into(),
            Write::ReopenNews { .. } => "reopen news".into(),
        }
    }

    /// Whether the write can be sent as it is; the sentence says what is missing.
    pub fn check(&self) -> Result<(), String> {
        let blank = |s: &str| s.trim().is_empty();
        match self {
            Write::Comment { body, .. } if blank(body) => Err("the reply is empty".into()),
            Write::Cancel { comment, .. } if blank(comment) => {
                Err("say why the request is cancelled".into())
            }
            Write::RejectSolution { comment, .. } if blank(comment) => {
                Err("say why the solution is rejected".into())
            }
            Write::AcceptSolution { rating, .. } if !(1..=5).contains(rating) => {
                Err("the rating goes from 1 to 5".into())
            }
            Write::AcceptSolution {
                rating, comment, ..
            } if *rating < RATING_WITHOUT_COMMENT && blank(comment) => Err(format!(
                "a rating below {RATING_WITHOUT_COMMENT} needs a comment"
            )),
            Write::Vote {
                approve: false,
                note,
                ..
            } if blank(note) => Err("say why you reject it".into()),
            Write::RequestApproval { description, .. } if blank(description) => {
                Err("say what is to be approved".into())
            }
            Write::CreateNews { news } | Write::EditNews { news, .. } => news.check(),
            Write::NewsUpdate {
                body,
                solution: false,
                ..
            } if blank(body) => Err("the update is empty".into()),
            Write::NewsUpdate {
                body,
                solution: true,
                ..
            } if blank(body) => Err("say how it was solved".into()),
            Write::Link { ticket, other } if ticket == other => {
                Err("a request cannot be linked to itself".into())
            }
            Write::Wait {
                ticket,
                on: WaitFor::Request(other),
            } if ticket == other => Err("a request cannot wait for itself".into()),
            _ => Ok(()),
        }
    }
}

impl NewsDraft {
    /// Whether it can be announced; the sentence says what is missing.
    pub fn check(&self) -> Result<(), String> {
        if self.title.trim().is_empty() {
            return Err("the news item needs a title".into());
        }
        if self.body.trim().is_empty() {
            return Err("say what is happening (the body is empty)".into());
        }
        if self.desks.is_empty() && self.groups.is_empty() {
            return Err("name at least one affected help desk or group".into());
        }
        Ok(())
    }
}

enum SubjectRef<'a> {
    Ticket(&'a TicketId),
    News(&'a str),
    NewNews,
}

/// The server's confirmation of a write.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Written {
    pub subject: Subject,
    /// The id the server gave what was created (a comment, a news item), when it says.
    pub created_id: Option<String>,
}

/// What the server shows about a write whose reply was lost: it was applied (so it must not be
/// sent again), or it was not (so it may be).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reconciled {
    Applied(Written),
    NotApplied,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(id: &str) -> TicketId {
        TicketId::from(id)
    }

    #[test]
    fn writes_survive_the_outbox_round_trip() {
        let writes = [
            Write::Comment {
                ticket: t("7"),
                body: "Restarted the spooler".into(),
                visibility: Visibility::Internal,
                solution: false,
            },
            Write::Wait {
                ticket: t("7"),
                on: WaitFor::Until(DateTime::from_timestamp(1_800_000_000, 0).unwrap_or_default()),
            },
            Write::Change {
                ticket: t("7"),
                attribute: Attribute::Priority,
                value: "4".into(),
            },
        ];
        for w in writes {
            let json = serde_json::to_string(&w).unwrap();
            assert_eq!(serde_json::from_str::<Write>(&json).unwrap(), w, "{json}");
        }
    }

    #[test]
    fn incomplete_writes_say_what_is_missing() {
        let accept = |rating, comment: &str| Write::AcceptSolution {
            ticket: t("7"),
            rating,
            comment: comment.into(),
        };
        assert!(accept(5, "").check().is_ok());
        assert_eq!(
            accept(3, " ").check(),
            Err("a rating below 4 needs a comment".into())
        );
        assert!(accept(3, "slow").check().is_ok());
        assert!(accept(0, "x").check().is_err());
        assert!(accept(6, "x").check().is_err());
        let cancel = Write::Cancel {
            ticket: t("7"),
            comment: "\n".into(),
        };
        assert_eq!(
            cancel.check(),
            Err("say why the request is cancelled".into())
        );
        let link = Write::Link {
            ticket: t("7"),
            other: t("7"),
        };
        assert!(link.check().is_err());
    }

    #[test]
    fn transitions_and_creations_are_not_idempotent_and_set_values_are() {
        assert!(!Write::Reopen { ticket: t("1") }.idempotent());
        assert!(
            Write::SetField {
                ticket: t("1"),
                field: "cf".into(),
                values: vec![]
            }
            .idempotent()
        );
        assert!(Write::Reject { ticket: t("1") }.destructive());
        assert!(!Write::Reopen { ticket: t("1") }.destructive());
    }

    #[test]
    fn a_subject_reads_back_from_its_outbox_form() {
        let draft = NewsDraft {
            title: "Mail down".into(),
            body: "Webmail works".into(),
            importance: Importance::High,
            desks: vec![DeskId::from("1")],
            groups: Vec::new(),
            resolution_at: None,
        };
        let writes = [
            Write::Reopen { ticket: t("1207") },
            Write::CreateNews {
                news: draft.clone(),
            },
            Write::EditNews {
                id: "12".into(),
                news: draft,
            },
            Write::NewsUpdate {
                id: "12".into(),
                body: "Fixed".into(),
                solution: true,
            },
        ];
        let forms: Vec<String> = writes.iter().map(|w| w.subject().to_string()).collect();
        assert_eq!(forms, ["1207", "news:new", "news:12", "news:12"]);
        for w in &writes {
            assert_eq!(Subject::parse(&w.subject().to_string()), w.subject());
        }
        assert_eq!(writes[0].ticket(), Some(&t("1207")));
        assert_eq!(writes[3].ticket(), None);
        assert_eq!(writes[3].news(), Some("12"));
        assert_eq!(writes[3].describe(), "close news");
    }

    #[test]
    fn a_news_item_needs_a_title_a_body_and_someone_affected() {
        let mut draft = NewsDraft {
            title: " ".into(),
            body: "Webmail works".into(),
            importance: Importance::High,
            desks: Vec::new(),
            groups: Vec::new(),
            resolution_at: None,
        };
        assert_eq!(draft.check(), Err("the news item needs a title".into()));
        draft.title = "Mail down".into();
        assert_eq!(
            draft.check(),
            Err("name at least one affected help desk or group".into())
        );
        draft.groups.push("4".into());
        assert!(Write::CreateNews { news: draft }.check().is_ok());
        let empty = Write::NewsUpdate {
            id: "1".into(),
            body: "".into(),
            solution: false,
        };
        assert_eq!(empty.check(), Err("the update is empty".into()));
    }
}
