//! Fixtures of the work around requests: approvals with their voters (for the approvals pane)
//! and breaking news with a timeline (for the news pane and its banner).

use super::{catalog, now};
use crate::domain::{
    Approval, ApprovalKind, ApprovalStatus, DeskId, Named, TicketApprovals, TicketId, UserId, Vote,
    Voter,
};
use crate::text::SafeText;

/// The fixture approvals of request `id` of `profile`: 1207 asks Ana (100) and Ravi (101) to
/// approve a repair, Ravi has approved; 1205 asks Ana alone, and holds an older approval that
/// was rejected; 1203 waits only for Ravi.
pub fn approvals_on(profile: u16, id: &str) -> Vec<Approval> {
    let voter = |uid: &str, vote| Voter {
        user: Named {
            id: UserId::from(uid),
            name: catalog()
                .person(uid)
                .map(|p| p.name.clone())
                .unwrap_or_default(),
        },
        vote,
        vote_name: None,
    };
    let approval = |aid: &str, status, kind, text: &str, hours: i64, voters| Approval {
        id: aid.into(),
        ticket: TicketId::from(id),
        status,
        status_name: None,
        kind,
        kind_name: None,
        description: SafeText::line(text),
        author: Some(Named {
            id: UserId::from("101"),
            name: SafeText::line("Ravi Shankar"),
        }),
        created_at: Some(now() - chrono::Duration::hours(hours)),
        voters,
        voters_error: None,
    };
    let p = if profile == 0 { "" } else { "HR " };
    match id {
        "1207" => vec![approval(
            "9",
            ApprovalStatus::Waiting,
            ApprovalKind::Predefined,
            &format!("{p}Replace the fuser unit (cost 180 EUR)"),
            5,
            vec![voter("100", Vote::Waiting), voter("101", Vote::Approved)],
        )],
        "1205" => vec![
            approval(
                "12",
                ApprovalStatus::Waiting,
                ApprovalKind::Spontaneous,
                &format!("{p}Grant VPN access for the contractor until March"),
                30,
                vec![voter("100", Vote::Waiting)],
            ),
            approval(
                "11",
                ApprovalStatus::Rejected,
                ApprovalKind::Spontaneous,
                "Grant VPN access for a year",
                52,
                vec![voter("100", Vote::Rejected), voter("101", Vote::Annulled)],
            ),
        ],
        "1203" => vec![approval(
            "14",
            ApprovalStatus::Waiting,
            ApprovalKind::Predefined,
            &format!("{p}New laptop for the new hire"),
            3,
            vec![voter("101", Vote::Waiting), voter("100", Vote::Approved)],
        )],
        _ => Vec::new(),
    }
}

/// A breaking-news item of the fixtures.
pub fn news_item(
    id: &str,
    importance: crate::domain::Importance,
    open: bool,
    title: &str,
) -> crate::domain::NewsItem {
    crate::domain::NewsItem {
        id: id.into(),
        importance,
        importance_name: None,
        title: SafeText::line(title),
        body: SafeText::block("Jobs queue for minutes before they print.\nUse the second floor."),
        desks: vec![Named {
            id: DeskId::from("11"),
            name: SafeText::line("Service Desk"),
        }],
        groups: Vec::new(),
        resolution_at: Some(now() + chrono::Duration::hours(2)),
        creator: Some(Named {
            id: UserId::from("101"),
            name: SafeText::line("Ravi Shankar"),
        }),
        created_at: Some(now() - chrono::Duration::hours(1)),
        open,
        status_name: None,
    }
}

/// The fixtures' breaking news: one open Medium item, one closed Low one (no High item, so no
/// banner unless a test adds one).
pub fn news_of(profile: u16) -> Vec<crate::domain::NewsItem> {
    use crate::domain::Importance;
    let p = if profile == 0 { "" } else { "HR: " };
    vec![
        news_item(
            "5",
            Importance::Medium,
            true,
            &format!("{p}Printing is slow on floor 3"),
        ),
        news_item(
            "4",
            Importance::Low,
            false,
            &format!("{p}VPN maintenance finished"),
        ),
    ]
}

/// An item of [`news_of`] with a timeline of two updates.
pub fn news_detail_of(profile: u16, id: &str) -> Option<crate::domain::NewsDetail> {
    let item = news_of(profile).into_iter().find(|i| i.id == id)?;
    let update = |hours: i64, body: &str| crate::domain::NewsUpdate {
        at: Some(now() - chrono::Duration::minutes(hours)),
        creator: item.creator.clone(),
        body: SafeText::block(body),
    };
    Some(crate::domain::NewsDetail {
        updates: vec![
            update(
                50,
                "The print server is under load; we are looking into it.",
            ),
            update(20, "A stuck job was removed; queues are draining."),
        ],
        item,
        partial: Vec::new(),
    })
}

/// What the fixture provider answers for the pending approvals of `tickets`.
pub fn approvals_of(profile: u16, tickets: &[TicketId]) -> Vec<TicketApprovals> {
    tickets
        .iter()
        .map(|t| TicketApprovals {
            ticket: t.clone(),
            pending: Ok(approvals_on(profile, t.as_str())
                .into_iter()
                .filter(|a| a.status == ApprovalStatus::Waiting)
                .collect()),
        })
        .collect()
}
