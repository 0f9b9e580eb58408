//! Approvals: a request's questions to named voters ("may we buy this laptop?"), who voted what,
//! and what the agent needs to find the ones waiting for their vote across thousands of open
//! requests without asking the server about each one on every refresh.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::catalog::Named;
use super::ids::{TicketId, UserId};
use crate::text::SafeText;

/// Where an approval stands as a whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ApprovalStatus {
    Waiting,
    Approved,
    Rejected,
    Cancelled,
    Expired,
}

impl ApprovalStatus {
    /// The console's own word, used where the server gave none.
    pub fn word(self) -> &'static str {
        match self {
            ApprovalStatus::Waiting => "waiting",
            ApprovalStatus::Approved => "approved",
            ApprovalStatus::Rejected => "rejected",
            ApprovalStatus::Cancelled => "cancelled",
            ApprovalStatus::Expired => "expired",
        }
    }
}

/// How an approval came to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ApprovalKind {
    /// From one of the service desk's approval templates (InvGate: "custom approval").
    Predefined,
    /// Asked of one person by an agent, with a free description.
    Spontaneous,
    /// A kind this console does not know yet.
    Other,
}

impl ApprovalKind {
    pub fn word(self) -> &'static str {
        match self {
            ApprovalKind::Predefined => "predefined",
            ApprovalKind::Spontaneous => "spontaneous",
            ApprovalKind::Other => "other",
        }
    }
}

/// One voter's vote.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Vote {
    Waiting,
    Approved,
    Rejected,
    /// The vote no longer counts (the approval was decided or cancelled without it).
    Annulled,
    /// The approval expired before this voter voted.
    Expired,
}

impl Vote {
    pub fn word(self) -> &'static str {
        match self {
            Vote::Waiting => "waiting",
            Vote::Approved => "approved",
            Vote::Rejected => "rejected",
            Vote::Annulled => "annulled",
            Vote::Expired => "expired",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Voter {
    pub user: Named<UserId>,
    pub vote: Vote,
    /// The server's name for the vote, when its catalog gave one.
    pub vote_name: Option<SafeText>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Approval {
    pub id: String,
    /// The request it belongs to.
    pub ticket: TicketId,
    pub status: ApprovalStatus,
    /// The server's name for the status, when its catalog gave one.
    pub status_name: Option<SafeText>,
    pub kind: ApprovalKind,
    pub kind_name: Option<SafeText>,
    pub description: SafeText,
    pub author: Option<Named<UserId>>,
    pub created_at: Option<DateTime<Utc>>,
    /// Everyone asked, with their vote.
    pub voters: Vec<Voter>,
    /// Why the voters could not be read, when they could not: the approval is still shown.
    pub voters_error: Option<String>,
}

/// How many voters approved, rejected and have still to vote.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct VoteTally {
    pub approved: usize,
    pub rejected: usize,
    pub waiting: usize,
}

impl Approval {
    pub fn tally(&self) -> VoteTally {
        let mut t = VoteTally::default();
        for v in &self.voters {
            match v.vote {
                Vote::Approved => t.approved += 1,
                Vote::Rejected => t.rejected += 1,
                Vote::Waiting => t.waiting += 1,
                Vote::Annulled | Vote::Expired => {}
            }
        }
        t
    }

    /// Still open, and `user` is asked and has not voted yet.
    pub fn waits_for(&self, user: &UserId) -> bool {
        self.status == ApprovalStatus::Waiting
            && self
                .voters
                .iter()
                .any(|v| &v.user.id == user && v.vote == Vote::Waiting)
    }

    /// The vote `user` gave, if they are a voter.
    pub fn vote_of(&self, user: &UserId) -> Option<Vote> {
        self.voters
            .iter()
            .find(|v| &v.user.id == user)
            .map(|v| v.vote)
    }

    /// The status as the agent reads it: the server's word where it gave one.
    pub fn status_text(&self) -> &str {
        self.status_name
            .as_ref()
            .map_or(self.status.word(), SafeText::as_str)
    }

    pub fn kind_text(&self) -> &str {
        self.kind_name
            .as_ref()
            .map_or(self.kind.word(), SafeText::as_str)
    }
}

/// An approval template a request may be sent through (InvGate's `incident.custom_approval`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApprovalTemplate {
    pub id: String,
    pub title: SafeText,
    pub description: SafeText,
    /// A description must be given when requesting it.
    pub description_required: bool,
    /// What the template asks the requester to describe.
    pub prompt: Option<SafeText>,
}

/// The server's names for approval statuses, kinds and votes, by the vendor's id ("-1", "1"…);
/// empty where the vendor has no such catalog.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApprovalWords {
    pub statuses: HashMap<String, SafeText>,
    pub kinds: HashMap<String, SafeText>,
    pub votes: HashMap<String, SafeText>,
}

/// One request's open approvals, as read from the server at one moment. An error costs only
/// this request: the others of the same check still count.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TicketApprovals {
    pub ticket: TicketId,
    /// Approvals still waiting for votes, each with its voters.
    pub pending: Result<Vec<Approval>, String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn voter(id: &str, vote: Vote) -> Voter {
        Voter {
            user: Named {
                id: UserId::from(id),
                name: SafeText::line(id),
            },
            vote,
            vote_name: None,
        }
    }

    fn approval(status: ApprovalStatus, voters: Vec<Voter>) -> Approval {
        Approval {
            id: "5".into(),
            ticket: TicketId::from("7"),
            status,
            status_name: None,
            kind: ApprovalKind::Spontaneous,
            kind_name: Some(SafeText::line("Spontaneous approval")),
            description: SafeText::line("Buy it"),
            author: None,
            created_at: None,
            voters,
            voters_error: None,
        }
    }

    #[test]
    fn a_waiting_approval_waits_only_for_voters_who_have_not_voted() {
        let a = approval(
            ApprovalStatus::Waiting,
            vec![
                voter("1", Vote::Approved),
                voter("2", Vote::Waiting),
                voter("3", Vote::Rejected),
                voter("4", Vote::Annulled),
            ],
        );
        assert!(a.waits_for(&UserId::from("2")));
        assert!(!a.waits_for(&UserId::from("1")));
        assert!(!a.waits_for(&UserId::from("9")));
        assert_eq!(
            a.tally(),
            VoteTally {
                approved: 1,
                rejected: 1,
                waiting: 1
            }
        );
        let decided = approval(ApprovalStatus::Approved, vec![voter("2", Vote::Waiting)]);
        assert!(!decided.waits_for(&UserId::from("2")));
        assert_eq!(a.vote_of(&UserId::from("3")), Some(Vote::Rejected));
    }

    #[test]
    fn the_servers_words_win_over_the_consoles() {
        let a = approval(ApprovalStatus::Waiting, vec![]);
        assert_eq!(a.status_text(), "waiting");
        assert_eq!(a.kind_text(), "Spontaneous approval");
    }
}
