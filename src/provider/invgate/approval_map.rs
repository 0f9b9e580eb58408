//! InvGate approvals as the agent sees them: the status, kind and vote codes as domain values,
//! the server's words for them from the catalog (`None` where it has none), people named
//! through the catalog, text through the `text` boundary. One mapping, used by the Detail pane
//! and the pending check alike.

use std::collections::HashMap;

use super::approvals::ApprovalRead;
use super::map;
use crate::domain::{Approval, ApprovalKind, ApprovalStatus, Catalog, TicketId, Vote, Voter};
use crate::text::SafeText;

pub fn status(code: Option<i64>) -> ApprovalStatus {
    match code {
        Some(-2) => ApprovalStatus::Cancelled,
        Some(0) => ApprovalStatus::Rejected,
        Some(1) => ApprovalStatus::Approved,
        Some(2) => ApprovalStatus::Expired,
        // -1, and anything newer we do not know yet: still open as far as we can tell.
        _ => ApprovalStatus::Waiting,
    }
}

fn kind(code: Option<i64>) -> ApprovalKind {
    match code {
        Some(1) => ApprovalKind::Predefined,
        Some(2) => ApprovalKind::Spontaneous,
        _ => ApprovalKind::Other,
    }
}

/// A vote by its code. A code this console does not know counts as annulled: the voter is
/// shown (with the server's word for it, when the catalog has one) but never offered a vote
/// the server may not take.
pub fn vote(code: Option<i64>) -> Vote {
    match code {
        Some(-1) => Vote::Waiting,
        Some(0) => Vote::Rejected,
        Some(1) => Vote::Approved,
        Some(2) => Vote::Expired,
        _ => Vote::Annulled,
    }
}

/// The server's word for `code` in `words`, if it has one.
fn word(words: &HashMap<String, SafeText>, code: Option<i64>) -> Option<SafeText> {
    code.and_then(|c| words.get(&c.to_string())).cloned()
}

/// One approval of request `ticket` as the agent sees it: names through the catalog, the
/// server's words where it has them, text scrubbed.
pub fn approval(read: &ApprovalRead, ticket: &TicketId, catalog: &Catalog) -> Approval {
    let w = &read.wire;
    let words = &catalog.approval_words;
    let (voters, voters_error) = match &read.voters {
        Ok(list) => (
            list.iter()
                .filter_map(|v| {
                    Some(Voter {
                        user: map::person_named(catalog, v.user()?),
                        vote: vote(v.status),
                        vote_name: word(&words.votes, v.status),
                    })
                })
                .collect(),
            None,
        ),
        Err(e) => (Vec::new(), Some(e.to_string())),
    };
    Approval {
        id: w.id.clone(),
        ticket: ticket.clone(),
        status: status(w.status),
        status_name: word(&words.statuses, w.status),
        kind: kind(w.kind),
        kind_name: word(&words.kinds, w.kind),
        description: SafeText::block(w.approval_request_description.as_deref().unwrap_or("")),
        author: w
            .author_id
            .as_deref()
            .map(|u| map::person_named(catalog, u)),
        created_at: w.created_at,
        voters,
        voters_error,
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::domain::{ApprovalWords, Person, UserId};
    use crate::provider::ProviderError;
    use crate::provider::invgate::approval_wire::{ApprovalWire, VoterWire};

    fn words(pairs: &[(&str, &str)]) -> HashMap<String, SafeText> {
        pairs
            .iter()
            .map(|(id, w)| (id.to_string(), SafeText::line(w)))
            .collect()
    }

    fn catalog() -> Catalog {
        let mut c = Catalog {
            approval_words: ApprovalWords {
                statuses: words(&[("-1", "Awaiting votes"), ("1", "Approved")]),
                kinds: words(&[("2", "Spontaneous approval")]),
                votes: words(&[("-1", "Not voted yet"), ("1", "Yes")]),
            },
            ..Default::default()
        };
        c.people.insert(
            UserId::from("30"),
            Person {
                id: UserId::from("30"),
                name: SafeText::line("Grace Hopper"),
                email: None,
                is_agent: true,
            },
        );
        c
    }

    fn read(
        wire: serde_json::Value,
        voters: Result<Vec<VoterWire>, ProviderError>,
    ) -> ApprovalRead {
        ApprovalRead {
            wire: serde_json::from_value::<ApprovalWire>(wire).unwrap(),
            voters,
        }
    }

    #[test]
    fn codes_become_domain_values_named_in_the_servers_words() {
        let r = read(
            json!({"id": 5, "status": -1, "type": 2, "author_id": 30, "created_at": 1_700_000_000,
                   "approval_request_description": "Buy a laptop\n\u{1b}[2Jfor Ada"}),
            Ok(vec![
                VoterWire::new("30", 1),
                VoterWire::new("31", -1),
                VoterWire::new("32", 2),
                VoterWire::new("33", 9),
            ]),
        );
        let a = approval(&r, &TicketId::from("7"), &catalog());
        assert_eq!(
            (a.status, a.kind),
            (ApprovalStatus::Waiting, ApprovalKind::Spontaneous)
        );
        assert_eq!(a.status_text(), "Awaiting votes");
        assert_eq!(a.kind_text(), "Spontaneous approval");
        assert_eq!(
            a.author.as_ref().map(|p| p.name.as_str()),
            Some("Grace Hopper")
        );
        assert_eq!(a.description.as_str(), "Buy a laptop\nfor Ada");
        assert_eq!(a.created_at.map(|t| t.timestamp()), Some(1_700_000_000));
        let voters: Vec<(&str, Vote, Option<&str>)> = a
            .voters
            .iter()
            .map(|v| {
                (
                    v.user.name.as_str(),
                    v.vote,
                    v.vote_name.as_ref().map(SafeText::as_str),
                )
            })
            .collect();
        assert_eq!(
            voters,
            [
                ("Grace Hopper", Vote::Approved, Some("Yes")),
                ("User 31", Vote::Waiting, Some("Not voted yet")),
                ("User 32", Vote::Expired, None),
                ("User 33", Vote::Annulled, None),
            ]
        );
        assert!(a.waits_for(&UserId::from("31")));
        assert!(
            !a.waits_for(&UserId::from("33")),
            "an unknown vote is not offered"
        );
        assert_eq!(a.voters_error, None);
    }

    #[test]
    fn without_words_or_voters_the_approval_still_shows() {
        let r = read(
            json!({"id": 6, "status": 2, "type": 1, "approval_request_id": 3}),
            Err(ProviderError::Timeout {
                what: "incident.approval.possible_voters, limit 30 s".into(),
            }),
        );
        let a = approval(&r, &TicketId::from("7"), &Catalog::default());
        assert_eq!(
            (a.status, a.kind),
            (ApprovalStatus::Expired, ApprovalKind::Predefined)
        );
        assert_eq!((a.status_name.as_ref(), a.kind_name.as_ref()), (None, None));
        assert_eq!(a.status_text(), "expired");
        assert!(a.voters.is_empty());
        let why = a.voters_error.unwrap_or_default();
        assert!(why.contains("did not answer in time"), "{why}");
        assert!(a.author.is_none() && a.created_at.is_none());
    }
}
