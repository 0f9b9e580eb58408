//! Whether a write whose reply was lost (a timeout, a reset connection) shows on the server,
//! asked before it is sent again: InvGate has no idempotency key, so the server's state is the
//! only witness.
//!
//! - A comment is looked for in `incident.comment`: same author, same text (both sides HTML →
//!   plain text through the `text` boundary, whitespace collapsed), same visibility and solution
//!   flags, created no earlier than [`CLOCK_SKEW`] before the first attempt.
//! - A state change is read back from `incident`: the desk and agent, the status kind (through
//!   the catalog), the attribute or custom field value.
//! - Observers, collaborators and links are looked for in their lists.
//! - Approval writes are looked for among the request's approvals and their voters
//!   (`approval_reconcile`).
//!
//! A failed read is an error, never a guess: the caller asks again later and never resends
//! blind.

use chrono::{DateTime, TimeDelta, Utc};
use serde_json::Value;

use super::approval_reconcile;
use super::client::Client;
use super::fetch;
use super::news_write;
use super::typed::typed_html;
use super::wire::{CommentWire, IncidentWire};
use crate::domain::{
    Attribute, Catalog, Reconciled, StatusKind, UserId, Visibility, Write, Written,
};
use crate::provider::ProviderResult;
use crate::text::SafeText;

/// How far the server's clock may be behind the console's: a comment or change stamped up to
/// this long before the write was first attempted still counts as the write's. Ten minutes
/// covers an unsynchronised jump host; a longer skew makes a write look not applied, and it is
/// sent again (a duplicate, which the agent can see, rather than a lost write).
pub const CLOCK_SKEW: TimeDelta = TimeDelta::minutes(10);

/// What the server shows of `write`, made by `author` and first attempted at `since` (the
/// console's clock).
pub async fn reconcile(
    c: &Client,
    write: &Write,
    author: &UserId,
    since: DateTime<Utc>,
    catalog: &Catalog,
) -> ProviderResult<Reconciled> {
    let Some(ticket) = write.ticket() else {
        return news_write::reconcile(c, write, author, since).await;
    };
    let id = ticket.as_str();
    let applied = |created_id: Option<String>| applied(write, created_id);
    let outcome = match write {
        Write::Comment { .. } => {
            let comments = fetch::comments(c, id).await?;
            match find_comment(&comments, write, author, since) {
                Some(found) => applied(Some(found)),
                None => Reconciled::NotApplied,
            }
        }
        Write::AddObserver { user, .. } | Write::AddCollaborator { user, .. } => {
            let endpoint = match write {
                Write::AddObserver { .. } => "incident.observer",
                _ => "incident.collaborator",
            };
            let people = fetch::people(c, endpoint, id).await?;
            verdict(people.iter().any(|p| p == user.as_str()), applied)
        }
        Write::Link { other, .. } => {
            let links = fetch::links(c, id).await?;
            verdict(links.iter().any(|l| l.id == other.as_str()), applied)
        }
        Write::Vote { .. }
        | Write::CancelApproval { .. }
        | Write::AddVoter { .. }
        | Write::RequestApproval { .. }
        | Write::RequestTemplateApproval { .. } => {
            return approval_reconcile::reconcile(c, write, author, since).await;
        }
        _ => {
            let incident = fetch::incident_state(c, id).await?;
            verdict(state_shows(write, &incident, since, catalog), applied)
        }
    };
    Ok(outcome)
}

fn verdict(shown: bool, applied: impl FnOnce(Option<String>) -> Reconciled) -> Reconciled {
    if shown {
        applied(None)
    } else {
        Reconciled::NotApplied
    }
}

/// `write` is on the server, with the id of what it created when it created something.
pub fn applied(write: &Write, created_id: Option<String>) -> Reconciled {
    Reconciled::Applied(Written {
        subject: write.subject(),
        created_id,
    })
}

/// `write`, which creates nothing, shows on the server or does not.
pub fn shown(write: &Write, yes: bool) -> Reconciled {
    if yes {
        applied(write, None)
    } else {
        Reconciled::NotApplied
    }
}

/// A comment's text as compared: HTML to plain text through the text boundary, every run of
/// whitespace one space, trimmed. What the agent typed goes through [`typed_html`] first, so
/// both sides take the same road.
pub fn comparable(html: &str) -> String {
    SafeText::from_html(html)
        .as_str()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The earliest time a record of the write may carry.
pub fn earliest(since: DateTime<Utc>) -> DateTime<Utc> {
    since.checked_sub_signed(CLOCK_SKEW).unwrap_or(since)
}

/// The id of the comment in `comments` that `write` (a [`Write::Comment`]) made, if any; the
/// newest one when several match. A comment without a date is not taken for it: an old
/// identical note must not swallow a new one.
pub fn find_comment(
    comments: &[CommentWire],
    write: &Write,
    author: &UserId,
    since: DateTime<Utc>,
) -> Option<String> {
    let Write::Comment {
        body,
        visibility,
        solution,
        ..
    } = write
    else {
        return None;
    };
    let wanted = comparable(&typed_html(body));
    let public = *visibility == Visibility::Public;
    let earliest = earliest(since);
    comments
        .iter()
        .filter(|c| c.author_id.as_deref() == Some(author.as_str()))
        .filter(|c| c.customer_visible == public && c.is_solution == *solution)
        .filter(|c| c.created_at.is_some_and(|at| at >= earliest))
        .filter(|c| comparable(c.message.as_deref().unwrap_or("")) == wanted)
        .max_by_key(|c| (c.created_at, c.msg_num, c.id.parse::<u64>().ok()))
        .map(|c| c.id.clone())
}

/// The status kind of the request, through the catalog; `None` for a status it does not know
/// (then no state write can be confirmed, and the write is sent again: the server refuses a
/// transition that was already made).
fn kind(incident: &IncidentWire, catalog: &Catalog) -> Option<StatusKind> {
    let id = incident.status_id.as_deref()?;
    let status = catalog.status(id);
    if status.is_none() {
        tracing::debug!(status_id = id, "status not in the catalog; cannot confirm");
    }
    status.map(|s| s.kind)
}

/// Whether `incident` is what `write` (a state change) leaves behind.
pub fn state_shows(
    write: &Write,
    incident: &IncidentWire,
    since: DateTime<Utc>,
    catalog: &Catalog,
) -> bool {
    let kind = kind(incident, catalog);
    match write {
        Write::Reassign { desk, agent, .. } => {
            incident.assigned_group_id.as_deref() == Some(desk.as_str())
                && agent
                    .as_ref()
                    .is_none_or(|a| incident.assigned_id.as_deref() == Some(a.as_str()))
        }
        // The incident does not say what it waits for: the status kind must do.
        Write::Wait { .. } => kind == Some(StatusKind::Waiting),
        Write::Reopen { .. } => matches!(
            kind,
            Some(StatusKind::New | StatusKind::Open | StatusKind::Waiting)
        ),
        Write::Cancel { .. } | Write::Reject { .. } | Write::AcceptSolution { .. } => {
            kind == Some(StatusKind::Closed)
        }
        Write::RejectSolution { .. } => {
            kind.is_some_and(|k| k != StatusKind::Resolved)
                && incident.last_update.is_some_and(|at| at >= earliest(since))
        }
        Write::Change {
            attribute, value, ..
        } => {
            let now = match attribute {
                Attribute::Priority => &incident.priority_id,
                Attribute::Type => &incident.type_id,
                Attribute::Category => &incident.category_id,
            };
            now.as_deref() == Some(value.trim())
        }
        Write::SetField { field, values, .. } => {
            let now = incident
                .custom_fields
                .iter()
                .find(|(uid, _)| uid == field.trim())
                .map(|(_, v)| v);
            field_holds(now, values)
        }
        // Not state changes: looked for in their own lists.
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
        | Write::ReopenNews { .. } => false,
    }
}

/// Whether a custom field's value as read (`None`: the request has no value for it) is what
/// setting `values` leaves. Several values may come back as an array or joined with commas;
/// no value, or only blank ones, means erased.
pub fn field_holds(now: Option<&Value>, values: &[String]) -> bool {
    let mut wanted: Vec<&str> = values
        .iter()
        .map(|v| v.trim())
        .filter(|v| !v.is_empty())
        .collect();
    wanted.sort_unstable();
    let mut read: Vec<String> = match now {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(items)) => items.iter().filter_map(scalar).collect(),
        Some(other) => scalar(other).into_iter().collect(),
    };
    read.retain(|v| !v.is_empty());
    read.sort_unstable();
    if read.iter().map(String::as_str).eq(wanted.iter().copied()) {
        return true;
    }
    // One string holding several values: "a, b".
    if let [joined] = read.as_slice()
        && wanted.len() > 1
    {
        let mut parts: Vec<&str> = joined.split(',').map(str::trim).collect();
        parts.sort_unstable();
        return parts == wanted;
    }
    false
}

fn scalar(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.trim().to_string()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(if *b { "1" } else { "0" }.to_string()),
        Value::Object(map) => ["key", "id", "value", "name", "label"]
            .iter()
            .find_map(|k| map.get(*k).and_then(scalar)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::domain::{DeskId, Status, StatusId, TicketId, WaitFor};

    const SINCE: i64 = 1_800_000_000;

    fn since() -> DateTime<Utc> {
        DateTime::from_timestamp(SINCE, 0).unwrap_or_default()
    }

    fn comment(body: &str, visibility: Visibility, solution: bool) -> Write {
        Write::Comment {
            ticket: TicketId::from("7"),
            body: body.into(),
            visibility,
            solution,
        }
    }

    fn wires(json: serde_json::Value) -> Vec<CommentWire> {
        serde_json::from_value(json).unwrap()
    }

    fn catalog() -> Catalog {
        let status = |id: &str, name: &str, kind| Status {
            id: StatusId::from(id),
            name: SafeText::line(name),
            kind,
        };
        Catalog {
            statuses: vec![
                status("1", "New", StatusKind::New),
                status("3", "In progress", StatusKind::Open),
                status("4", "Waiting for customer", StatusKind::Waiting),
                status("6", "Resolved", StatusKind::Resolved),
                status("7", "Closed", StatusKind::Closed),
                status("9", "Cancelled", StatusKind::Closed),
            ],
            ..Default::default()
        }
    }

    fn incident(json: serde_json::Value) -> IncidentWire {
        serde_json::from_value(json).unwrap()
    }

    #[test]
    fn text_compares_as_plain_text_with_whitespace_collapsed() {
        assert_eq!(
            comparable("<p>Hello,<br>line two</p>\r\n<p> x </p>"),
            "Hello, line two x"
        );
        assert_eq!(
            comparable(&typed_html("a  \n\n b")),
            comparable("<div>a</div> <div>b</div>")
        );
        assert_eq!(
            comparable("<p>5 &lt; 6 &amp; &quot;ok&quot;</p>"),
            comparable(&typed_html("5 < 6 & \"ok\""))
        );
        assert_ne!(
            comparable("<p>5 &lt; 6</p>"),
            comparable(&typed_html("5 < 7"))
        );
    }

    #[test]
    fn the_comment_is_found_by_author_text_flags_and_time() {
        let write = comment("Restarted the spooler & <queue>", Visibility::Public, false);
        let author = UserId::from("12");
        let text = typed_html("Restarted the spooler & <queue>");
        let at = SINCE + 3;
        let list = wires(json!([
            // Same text by someone else, an internal copy, a solution copy, an old copy.
            {"id": 1, "author_id": 13, "message": text, "created_at": at, "customer_visible": true},
            {"id": 2, "author_id": 12, "message": text, "created_at": at, "customer_visible": false},
            {"id": 3, "author_id": 12, "message": text, "created_at": at, "customer_visible": true, "is_solution": true},
            {"id": 4, "author_id": 12, "message": text, "created_at": SINCE - 601, "customer_visible": true},
            {"id": 5, "author_id": 12, "message": text, "customer_visible": true},
        ]));
        assert_eq!(find_comment(&list, &write, &author, since()), None);

        // The server rewrote the markup and decoded the entities; its clock is 9 minutes slow.
        let list = wires(json!([
            {"id": 8, "author_id": "12", "message": "<div>Restarted the spooler &amp; &lt;queue&gt;</div>",
             "created_at": SINCE - 540, "customer_visible": 1, "is_solution": 0},
        ]));
        assert_eq!(
            find_comment(&list, &write, &author, since()),
            Some("8".to_string())
        );
        let other_text = wires(json!([
            {"id": 9, "author_id": 12, "message": "<p>Restarted the printer</p>", "created_at": at,
             "customer_visible": true},
        ]));
        assert_eq!(find_comment(&other_text, &write, &author, since()), None);
    }

    #[test]
    fn an_internal_solution_matches_only_an_internal_solution() {
        let write = comment("Replaced toner", Visibility::Internal, true);
        let list = wires(json!([
            {"id": 1, "author_id": 12, "message": "<p>Replaced toner</p>", "created_at": SINCE,
             "customer_visible": false, "is_solution": false},
            {"id": 2, "author_id": 12, "message": "<p>Replaced toner</p>", "created_at": SINCE + 1,
             "customer_visible": false, "is_solution": true},
        ]));
        assert_eq!(
            find_comment(&list, &write, &UserId::from("12"), since()),
            Some("2".to_string())
        );
    }

    #[test]
    fn state_changes_are_read_back_from_the_request() {
        let c = catalog();
        let t = || TicketId::from("7");
        let shows = |write: &Write, json| state_shows(write, &incident(json), since(), &c);

        let reassign = Write::Reassign {
            ticket: t(),
            desk: DeskId::from("4"),
            agent: Some(UserId::from("30")),
        };
        assert!(shows(
            &reassign,
            json!({"assigned_group_id": 4, "assigned_id": "30"})
        ));
        assert!(!shows(
            &reassign,
            json!({"assigned_group_id": 4, "assigned_id": 31})
        ));
        assert!(!shows(
            &reassign,
            json!({"assigned_group_id": 5, "assigned_id": 30})
        ));
        let to_desk = Write::Reassign {
            ticket: t(),
            desk: DeskId::from("4"),
            agent: None,
        };
        assert!(shows(
            &to_desk,
            json!({"assigned_group_id": 4, "assigned_id": 31})
        ));

        let wait = Write::Wait {
            ticket: t(),
            on: WaitFor::Customer,
        };
        assert!(shows(&wait, json!({"status_id": 4})));
        assert!(!shows(&wait, json!({"status_id": 3})));
        assert!(!shows(&wait, json!({"status_id": 99})), "unknown status");

        let reopen = Write::Reopen { ticket: t() };
        assert!(shows(&reopen, json!({"status_id": 3})));
        assert!(!shows(&reopen, json!({"status_id": 6})));
        assert!(!shows(&reopen, json!({"status_id": 7})));

        for finish in [
            Write::Cancel {
                ticket: t(),
                comment: "dup".into(),
            },
            Write::Reject { ticket: t() },
            Write::AcceptSolution {
                ticket: t(),
                rating: 5,
                comment: String::new(),
            },
        ] {
            assert!(shows(&finish, json!({"status_id": 9})), "{finish:?}");
            assert!(shows(&finish, json!({"status_id": "7"})), "{finish:?}");
            assert!(!shows(&finish, json!({"status_id": 6})), "{finish:?}");
        }

        let reject_solution = Write::RejectSolution {
            ticket: t(),
            comment: "no".into(),
        };
        assert!(shows(
            &reject_solution,
            json!({"status_id": 3, "last_update": SINCE + 2})
        ));
        assert!(shows(
            &reject_solution,
            json!({"status_id": 3, "last_update": SINCE - 300})
        ));
        assert!(!shows(
            &reject_solution,
            json!({"status_id": 3, "last_update": SINCE - 3600})
        ));
        assert!(!shows(
            &reject_solution,
            json!({"status_id": 6, "last_update": SINCE + 2})
        ));

        let change = |attribute| Write::Change {
            ticket: t(),
            attribute,
            value: "4".into(),
        };
        let wire = json!({"priority_id": 4, "type_id": "2", "category_id": 4});
        assert!(shows(&change(Attribute::Priority), wire.clone()));
        assert!(!shows(&change(Attribute::Type), wire.clone()));
        assert!(shows(&change(Attribute::Category), wire));

        let set = |values: &[&str]| Write::SetField {
            ticket: t(),
            field: "20".into(),
            values: values.iter().map(|v| v.to_string()).collect(),
        };
        let wire = json!({"custom_fields": {"20": "HQ", "21": ["a", "b"]}});
        assert!(shows(&set(&["HQ"]), wire.clone()));
        assert!(!shows(&set(&["Annex"]), wire.clone()));
        assert!(!shows(&set(&[]), wire.clone()));
        assert!(shows(&set(&[]), json!({"custom_fields": []})), "erased");
        assert!(shows(&set(&[""]), json!({"custom_fields": {"20": ""}})));
    }

    #[test]
    fn custom_field_values_compare_in_any_of_their_shapes() {
        let v = |values: &[&str]| values.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert!(field_holds(Some(&json!(["b", "a"])), &v(&["a", "b"])));
        assert!(field_holds(Some(&json!("a, b")), &v(&["b", "a"])));
        assert!(field_holds(Some(&json!(12)), &v(&["12"])));
        assert!(field_holds(
            Some(&json!({"key": "3", "value": "Laptop"})),
            &v(&["3"])
        ));
        assert!(field_holds(None, &v(&[])));
        assert!(field_holds(Some(&json!(null)), &v(&[""])));
        assert!(!field_holds(Some(&json!("a")), &v(&["a", "b"])));
        assert!(!field_holds(None, &v(&["a"])));
    }

    #[test]
    fn the_skew_allowance_is_ten_minutes() {
        assert_eq!(earliest(since()).timestamp(), SINCE - 600);
    }
}
