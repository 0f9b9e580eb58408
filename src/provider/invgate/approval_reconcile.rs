//! Whether an approval write whose reply was lost shows on the server. Reads go through
//! `incident.approval` (all the request's approvals, not only pending ones: the write may have
//! decided one) and `incident.approval.possible_voters`.
//!
//! - A vote: the agent's own entry among the voters holds the vote that was sent.
//! - A cancellation: the approval's status is cancelled (-2).
//! - A new voter: the user is among the voters, whatever their vote.
//! - A spontaneous approval: one of type 2 by the agent, created no earlier than [`CLOCK_SKEW`]
//!   before the first attempt, with the description sent (compared as text, like comments),
//!   and the user asked among its voters.
//! - A template approval: one of type 1 from that template, by the agent, created since then.
//!
//! When the server refuses to show an approval (`{status:"ERROR"}`, "The approval does not
//! exist."), that answer is as final as its refusal of the write would be: the write is not
//! applied, and sending it again brings the server's own reason to the agent.
//!
//! [`CLOCK_SKEW`]: super::reconcile::CLOCK_SKEW

use chrono::{DateTime, Utc};

use super::approval_map::vote;
use super::approval_wire::{ApprovalWire, VoterWire};
use super::approvals;
use super::client::Client;
use super::reconcile::{applied, comparable, earliest, shown};
use super::typed::typed_html;
use crate::domain::{Reconciled, UserId, Vote, Write};
use crate::provider::{ProviderError, ProviderResult};

/// What the server shows of the approval write `write`, made by `author` and first attempted
/// at `since`. Any other write is not this module's and is never shown here.
pub async fn reconcile(
    c: &Client,
    write: &Write,
    author: &UserId,
    since: DateTime<Utc>,
) -> ProviderResult<Reconciled> {
    let Some(ticket) = write.ticket() else {
        return Err(ProviderError::Internal(
            "a news write was taken for an approval write".into(),
        ));
    };
    let applied = |created_id: Option<String>| applied(write, created_id);
    let shown = |yes: bool| shown(write, yes);
    let outcome = match write {
        Write::Vote {
            approval, approve, ..
        } => match voters_of(c, approval).await? {
            Some(voters) => shown(vote_shows(&voters, author, *approve)),
            None => Reconciled::NotApplied,
        },
        Write::AddVoter { approval, user, .. } => match voters_of(c, approval).await? {
            Some(voters) => shown(voters.iter().any(|v| v.user() == Some(user.as_str()))),
            None => Reconciled::NotApplied,
        },
        Write::CancelApproval { approval, .. } => {
            let list = approvals::list(c, ticket.as_str(), false).await?;
            shown(
                list.iter()
                    .any(|a| a.id == approval.as_str() && a.status == Some(-2)),
            )
        }
        Write::RequestApproval {
            user, description, ..
        } => {
            let list = approvals::list(c, ticket.as_str(), false).await?;
            let mut candidates = spontaneous_candidates(&list, author, description, since);
            candidates.sort_by_key(|a| std::cmp::Reverse(newest(a)));
            let mut found = None;
            for candidate in candidates {
                let asked = voters_of(c, &candidate.id)
                    .await?
                    .is_some_and(|voters| voters.iter().any(|v| v.user() == Some(user.as_str())));
                if asked {
                    found = Some(candidate.id.clone());
                    break;
                }
            }
            match found {
                Some(id) => applied(Some(id)),
                None => Reconciled::NotApplied,
            }
        }
        Write::RequestTemplateApproval { template, .. } => {
            let list = approvals::list(c, ticket.as_str(), false).await?;
            match template_match(&list, author, template, since) {
                Some(id) => applied(Some(id)),
                None => Reconciled::NotApplied,
            }
        }
        _ => Reconciled::NotApplied,
    };
    Ok(outcome)
}

/// The voters of `approval`; `None` when the server refuses to show them (the approval is
/// gone, or never was): see the module's note.
async fn voters_of(c: &Client, approval: &str) -> ProviderResult<Option<Vec<VoterWire>>> {
    match approvals::voters(c, approval).await {
        Ok(voters) => Ok(Some(voters)),
        Err(ProviderError::Rejected(why)) => {
            tracing::debug!(reason = %why, "the approval's voters were refused; not applied");
            Ok(None)
        }
        Err(e) => Err(e),
    }
}

/// Whether the agent's vote shows: only the vote that was sent counts as applied.
///
/// Every other state is "not applied", and that is deliberate. Still waiting, or not among
/// the voters: plainly not cast. Annulled, expired, or the opposite vote: the approval was
/// decided, cancelled or expired without this vote, or someone voted otherwise in the agent's
/// name (the web UI). Calling any of those applied would confirm "approved" to the agent about
/// an approval their vote did not decide. Sending again is not blind: the server takes a vote
/// only from a voter still waiting, so a second send cannot count twice; it is refused, and
/// that refusal, in the server's words, is what the agent sees on the write. The honest
/// outcome of a vote that can no longer be cast is the server saying so.
pub fn vote_shows(voters: &[VoterWire], author: &UserId, approve: bool) -> bool {
    let wanted = if approve {
        Vote::Approved
    } else {
        Vote::Rejected
    };
    voters
        .iter()
        .find(|v| v.user() == Some(author.as_str()))
        .is_some_and(|v| v.status.is_some() && vote(v.status) == wanted)
}

/// Spontaneous approvals (type 2) by `author`, created no earlier than the skew allows, whose
/// description is the one sent. One without a date is not taken for it: an old identical
/// request must not swallow a new one.
pub fn spontaneous_candidates<'a>(
    list: &'a [ApprovalWire],
    author: &UserId,
    description: &str,
    since: DateTime<Utc>,
) -> Vec<&'a ApprovalWire> {
    let earliest = earliest(since);
    list.iter()
        .filter(|a| a.kind == Some(2))
        .filter(|a| a.author_id.as_deref() == Some(author.as_str()))
        .filter(|a| a.created_at.is_some_and(|at| at >= earliest))
        .filter(|a| {
            a.approval_request_description
                .as_deref()
                .is_some_and(|d| same_text(d, description))
        })
        .collect()
}

/// The id of the newest predefined approval (type 1) from `template` by `author`, created no
/// earlier than the skew allows.
pub fn template_match(
    list: &[ApprovalWire],
    author: &UserId,
    template: &str,
    since: DateTime<Utc>,
) -> Option<String> {
    let earliest = earliest(since);
    list.iter()
        .filter(|a| a.kind == Some(1))
        .filter(|a| a.approval_request_id.as_deref() == Some(template.trim()))
        .filter(|a| a.author_id.as_deref() == Some(author.as_str()))
        .filter(|a| a.created_at.is_some_and(|at| at >= earliest))
        .max_by_key(|a| newest(a))
        .map(|a| a.id.clone())
}

fn newest(a: &ApprovalWire) -> (Option<DateTime<Utc>>, Option<u64>) {
    (a.created_at, a.id.parse::<u64>().ok())
}

/// Whether the server's description is the text the agent sent. It goes as plain text; the
/// server may keep it as it is, escape it into HTML or wrap it in paragraphs, so it is compared
/// both ways: as HTML read back to text (like a comment), and as plain text, whitespace
/// collapsed either way.
pub fn same_text(server: &str, sent: &str) -> bool {
    let collapse = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    comparable(server) == comparable(&typed_html(sent)) || collapse(server) == collapse(sent)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    const SINCE: i64 = 1_800_000_000;

    fn since() -> DateTime<Utc> {
        DateTime::from_timestamp(SINCE, 0).unwrap_or_default()
    }

    fn wires(value: serde_json::Value) -> Vec<ApprovalWire> {
        serde_json::from_value(value).unwrap()
    }

    #[test]
    fn only_the_vote_sent_counts_as_cast() {
        let agent = UserId::from("12");
        let with = |status| vec![VoterWire::new("30", 1), VoterWire::new("12", status)];
        assert!(vote_shows(&with(1), &agent, true));
        assert!(vote_shows(&with(0), &agent, false));
        for status in [-1, -2, 2, 0, 7] {
            assert!(!vote_shows(&with(status), &agent, true), "{status}");
        }
        assert!(!vote_shows(&with(1), &agent, false), "the opposite vote");
        assert!(
            !vote_shows(&[VoterWire::new("30", 1)], &agent, true),
            "not a voter"
        );
    }

    #[test]
    fn descriptions_match_as_text_however_the_server_keeps_them() {
        let sent = "Buy <b>two</b> & a\n  dock";
        for kept in [
            "Buy <b>two</b> & a dock",
            "<p>Buy &lt;b&gt;two&lt;/b&gt; &amp; a<br>dock</p>",
            "Buy &lt;b&gt;two&lt;/b&gt; &amp; a dock",
        ] {
            assert!(same_text(kept, sent), "{kept}");
        }
        assert!(!same_text("Buy one & a dock", sent));
    }

    #[test]
    fn a_spontaneous_approval_is_the_agents_recent_one_with_that_text() {
        let list = wires(json!([
            {"id": 1, "type": 2, "author_id": 12, "created_at": SINCE - 601,
             "approval_request_description": "Laptop"},
            {"id": 2, "type": 2, "author_id": 13, "created_at": SINCE,
             "approval_request_description": "Laptop"},
            {"id": 3, "type": 1, "author_id": 12, "created_at": SINCE,
             "approval_request_description": "Laptop"},
            {"id": 4, "type": 2, "author_id": 12, "approval_request_description": "Laptop"},
            {"id": 5, "type": 2, "author_id": 12, "created_at": SINCE,
             "approval_request_description": "Desktop"},
            {"id": 6, "type": "2", "author_id": "12", "created_at": SINCE - 540,
             "approval_request_description": "<p>Laptop</p>"},
        ]));
        let found = spontaneous_candidates(&list, &UserId::from("12"), " Laptop ", since());
        let ids: Vec<&str> = found.iter().map(|a| a.id.as_str()).collect();
        assert_eq!(ids, ["6"]);
    }

    #[test]
    fn a_template_approval_is_the_agents_recent_one_from_that_template() {
        let list = wires(json!([
            {"id": 1, "type": 1, "approval_request_id": 3, "author_id": 12,
             "created_at": SINCE - 3600},
            {"id": 2, "type": 1, "approval_request_id": 4, "author_id": 12, "created_at": SINCE},
            {"id": 3, "type": 2, "approval_request_id": 3, "author_id": 12, "created_at": SINCE},
            {"id": 4, "type": 1, "approval_request_id": "3", "author_id": 12,
             "created_at": SINCE + 5},
            {"id": 5, "type": 1, "approval_request_id": 3, "author_id": 12,
             "created_at": SINCE + 1},
        ]));
        let agent = UserId::from("12");
        assert_eq!(
            template_match(&list, &agent, "3", since()),
            Some("4".to_string())
        );
        assert_eq!(
            template_match(&list, &UserId::from("13"), "3", since()),
            None
        );
        assert_eq!(template_match(&list, &agent, "9", since()), None);
    }
}
