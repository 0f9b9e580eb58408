//! Approvals: a request's question to named voters, the templates predefined approvals come
//! from, and the rules that decide an approval. The endpoints and the generator both go through
//! these rules, so served data and generated data can never disagree about what a vote does:
//! one rejection rejects the approval and annuls the votes still waiting, the last approval of
//! all voters approves it, a cancel annuls the waiting votes, and an expiry decides it as its
//! template says, the waiting votes becoming "expired".

use super::{Dataset, Request};

/// Values of [`Approval::status`] (`incident.approval.status`).
pub mod approval_status {
    pub const CANCELLED: i8 = -2;
    pub const WAITING: i8 = -1;
    pub const REJECTED: i8 = 0;
    pub const APPROVED: i8 = 1;
}

/// Values of [`Vote::status`] (`incident.approval.vote_status`).
pub mod vote_status {
    pub const ANNULLED: i8 = -2;
    pub const WAITING: i8 = -1;
    pub const REJECTED: i8 = 0;
    pub const APPROVED: i8 = 1;
    pub const EXPIRED: i8 = 2;
}

/// Values of [`Approval::kind`] (`incident.approval.type`).
pub mod approval_kind {
    pub const PREDEFINED: u8 = 1;
    pub const SPONTANEOUS: u8 = 2;
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Approval {
    pub id: u64,
    pub author_id: u64,
    /// See [`approval_status`]: -2 cancelled, -1 waiting, 0 rejected, 1 approved.
    pub status: i8,
    /// See [`approval_kind`]: 1 predefined, 2 spontaneous.
    pub kind: u8,
    pub created_at: i64,
    /// The [`ApprovalTemplate`] a predefined approval comes from (`approval_request_id`).
    pub template_id: Option<u64>,
    pub description: String,
    /// When a waiting approval is decided by its template's expiry rule, on the simulator's clock
    /// (see `SimHandle::clock`); `None` never expires (spontaneous approvals).
    pub expires_at: Option<i64>,
    pub voters: Vec<Vote>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Vote {
    pub user_id: u64,
    /// See [`vote_status`]: -2 annulled, -1 waiting, 0 rejected, 1 approved, 2 expired.
    pub status: i8,
    /// The note the voter sent with the vote. The wire shows it nowhere the reference documents;
    /// the simulator keeps it so that tests can check what was sent.
    pub note: Option<String>,
}

/// A predefined approval as the service desk configured it (`incident.custom_approval`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApprovalTemplate {
    pub id: u64,
    pub title: String,
    pub description: String,
    /// Requesting it needs a `description`.
    pub description_required: bool,
    /// What the requester is asked to describe ("" when nothing).
    pub description_prompt: String,
    /// Seconds from the request of an approval to its expiry; 0 never expires.
    pub expired_in: i64,
    /// An expired approval counts as approved (else as rejected).
    pub expired_approved: bool,
    pub pause_sla: bool,
    pub created_at: i64,
    /// The users asked to vote, in order.
    pub voters: Vec<u64>,
    /// Request types it may be used on.
    pub type_ids: Vec<u64>,
    /// Help desks (top-level) whose requests may use it; empty: every desk.
    pub desk_ids: Vec<u64>,
}

impl ApprovalTemplate {
    /// Whether a request of `type_id` handled by the top-level desk `desk_id` may use it.
    pub fn applies_to(&self, type_id: u64, desk_id: u64) -> bool {
        self.type_ids.contains(&type_id)
            && (self.desk_ids.is_empty() || self.desk_ids.contains(&desk_id))
    }
}

impl Approval {
    pub fn is_waiting(&self) -> bool {
        self.status == approval_status::WAITING
    }

    pub fn vote_of(&self, user_id: u64) -> Option<&Vote> {
        self.voters.iter().find(|v| v.user_id == user_id)
    }

    /// Waiting, and `user_id` is asked and has not voted yet.
    pub fn waits_for(&self, user_id: u64) -> bool {
        self.is_waiting()
            && self
                .vote_of(user_id)
                .is_some_and(|v| v.status == vote_status::WAITING)
    }

    /// Whether the expiry is due at `clock` (only a waiting approval expires).
    pub fn is_due(&self, clock: i64) -> bool {
        self.is_waiting() && self.expires_at.is_some_and(|at| at <= clock)
    }

    /// Records the vote of `user_id`, who must be waiting to vote (see [`Approval::waits_for`];
    /// anyone else is left alone). A rejection rejects the approval and annuls the votes still
    /// waiting; the approval is approved once every voter approved.
    pub fn vote(&mut self, user_id: u64, approve: bool, note: Option<String>) {
        if !self.waits_for(user_id) {
            return;
        }
        if let Some(vote) = self.voters.iter_mut().find(|v| v.user_id == user_id) {
            vote.status = if approve {
                vote_status::APPROVED
            } else {
                vote_status::REJECTED
            };
            vote.note = note;
        }
        if !approve {
            self.close(approval_status::REJECTED, vote_status::ANNULLED);
        } else if self
            .voters
            .iter()
            .all(|v| v.status == vote_status::APPROVED)
        {
            self.status = approval_status::APPROVED;
        }
    }

    /// Withdraws a waiting approval: the votes still waiting are annulled.
    pub fn cancel(&mut self) {
        if self.is_waiting() {
            self.close(approval_status::CANCELLED, vote_status::ANNULLED);
        }
    }

    /// Decides a waiting approval whose time ran out, as its template says: approved when
    /// `approved`, else rejected; the votes still waiting are marked expired.
    pub fn expire(&mut self, approved: bool) {
        if self.is_waiting() {
            let status = if approved {
                approval_status::APPROVED
            } else {
                approval_status::REJECTED
            };
            self.close(status, vote_status::EXPIRED);
        }
    }

    /// Asks `user_id` too, with a waiting vote; someone already asked is not asked twice.
    /// Returns whether a vote was added.
    pub fn add_voter(&mut self, user_id: u64) -> bool {
        if self.vote_of(user_id).is_some() {
            return false;
        }
        self.voters.push(Vote {
            user_id,
            status: vote_status::WAITING,
            note: None,
        });
        true
    }

    fn close(&mut self, status: i8, waiting_votes: i8) {
        self.status = status;
        for vote in &mut self.voters {
            if vote.status == vote_status::WAITING {
                vote.status = waiting_votes;
            }
        }
    }
}

impl Dataset {
    /// The approval `id` and the request it belongs to.
    pub fn approval(&self, id: u64) -> Option<(&Request, &Approval)> {
        self.requests
            .iter()
            .find_map(|r| r.approvals.iter().find(|a| a.id == id).map(|a| (r, a)))
    }

    pub fn approval_template(&self, id: u64) -> Option<&ApprovalTemplate> {
        self.approval_templates.iter().find(|t| t.id == id)
    }

    /// The top-level help desk of a desk or level id (the id itself when it is unknown).
    pub fn desk_of(&self, group_id: u64) -> u64 {
        self.helpdesk(group_id)
            .and_then(|h| h.parent_id)
            .unwrap_or(group_id)
    }

    /// The templates `request` may be sent through: by its type and its help desk.
    pub fn approval_templates_for<'a>(
        &'a self,
        request: &Request,
    ) -> impl Iterator<Item = &'a ApprovalTemplate> + use<'a> {
        let (type_id, desk_id) = (request.type_id, self.desk_of(request.assigned_group_id));
        self.approval_templates
            .iter()
            .filter(move |t| t.applies_to(type_id, desk_id))
    }

    /// The id the next new approval gets: one more than any approval of any request.
    pub fn next_approval_id(&self) -> u64 {
        self.requests
            .iter()
            .flat_map(|r| r.approvals.iter().map(|a| a.id))
            .max()
            .unwrap_or(0)
            + 1
    }

    /// Whether some waiting approval's expiry is due at `clock`.
    pub fn approvals_due(&self, clock: i64) -> bool {
        self.requests
            .iter()
            .any(|r| r.approvals.iter().any(|a| a.is_due(clock)))
    }

    /// Decides every waiting approval whose expiry is due at `clock` (see
    /// [`Approval::expire`]); an approval whose template is gone counts as rejected. The
    /// request's `last_update` is left alone: the reference does not say an expiry touches it.
    /// Returns how many approvals expired.
    pub fn expire_approvals(&mut self, clock: i64) -> usize {
        let templates = &self.approval_templates;
        let mut expired = 0;
        for approval in self
            .requests
            .iter_mut()
            .flat_map(|r| r.approvals.iter_mut())
            .filter(|a| a.is_due(clock))
        {
            let approved = approval
                .template_id
                .and_then(|id| templates.iter().find(|t| t.id == id))
                .is_some_and(|t| t.expired_approved);
            approval.expire(approved);
            expired += 1;
        }
        expired
    }

    /// The person the interactive demo acts as: the first enabled agent who is a member of a
    /// help desk or level. `main.rs` picks its demo agent with the same rule, and the generated
    /// data promise this person work on the Approvals pane (see `generate/demo_work.rs`).
    pub fn demo_agent(&self) -> Option<&super::User> {
        let in_a_desk = |id: u64| self.helpdesks.iter().any(|d| d.members.contains(&id));
        self.agents().find(|u| !u.is_disabled && in_a_desk(u.id))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn waiting(voters: &[u64]) -> Approval {
        Approval {
            id: 1,
            author_id: 9,
            status: approval_status::WAITING,
            kind: approval_kind::PREDEFINED,
            created_at: 0,
            template_id: Some(1),
            description: String::new(),
            expires_at: Some(100),
            voters: voters
                .iter()
                .map(|&user_id| Vote {
                    user_id,
                    status: vote_status::WAITING,
                    note: None,
                })
                .collect(),
        }
    }

    fn votes(a: &Approval) -> Vec<i8> {
        a.voters.iter().map(|v| v.status).collect()
    }

    #[test]
    fn the_last_approval_approves_and_one_rejection_rejects() {
        let mut a = waiting(&[1, 2]);
        a.vote(1, true, Some("ok".into()));
        assert!(a.is_waiting());
        a.vote(2, true, None);
        assert_eq!(a.status, approval_status::APPROVED);
        assert_eq!(a.voters[0].note.as_deref(), Some("ok"));

        let mut b = waiting(&[1, 2, 3]);
        b.vote(1, true, None);
        b.vote(2, false, None);
        assert_eq!(b.status, approval_status::REJECTED);
        assert_eq!(votes(&b), [1, 0, -2]);
        b.vote(3, true, None);
        assert_eq!(votes(&b), [1, 0, -2], "a decided approval takes no votes");
    }

    #[test]
    fn cancel_and_expiry_close_the_waiting_votes() {
        let mut a = waiting(&[1, 2]);
        a.vote(1, true, None);
        a.cancel();
        assert_eq!(a.status, approval_status::CANCELLED);
        assert_eq!(votes(&a), [1, -2]);

        let mut b = waiting(&[1, 2]);
        b.vote(1, true, None);
        assert!(!b.is_due(99) && b.is_due(100));
        b.expire(false);
        assert_eq!(b.status, approval_status::REJECTED);
        assert_eq!(votes(&b), [1, 2]);
        assert!(!b.is_due(1_000), "a decided approval is not due");
    }

    #[test]
    fn a_voter_is_asked_once() {
        let mut a = waiting(&[1]);
        assert!(!a.add_voter(1));
        assert!(a.add_voter(2));
        assert_eq!(votes(&a), [-1, -1]);
        a.vote(1, true, None);
        assert!(a.is_waiting(), "the added voter still has to vote");
    }
}
