//! Changes through Truto: a comment is `POST comments` (public, or private where the
//! integration has agents-only comments), a state change or an assignment is
//! `PATCH tickets/{id}`. Each needs the account's capability for it; without one the agent
//! is told which integration refuses what, before anything is sent. A write whose reply was
//! lost is looked for on the server before it is sent again.

use chrono::{DateTime, Utc};
use reqwest::Method;
use serde_json::{Value, json};

use super::wire::{self, CommentWire, TicketWire};
use super::{Chosen, Truto, map};
use crate::domain::{
    Catalog, Reconciled, StatusKind, TicketId, Visibility, WaitFor, Write, Written,
};
use crate::provider::http::Idempotency;
use crate::provider::{ProviderError, ProviderResult};
use crate::text::SafeText;

fn refused(text: String) -> ProviderError {
    ProviderError::Rejected(SafeText::line(&text))
}

/// The first status of `kind` in the catalog (the account's own list).
fn status_of(catalog: &Catalog, kinds: &[StatusKind]) -> Option<String> {
    kinds.iter().find_map(|kind| {
        catalog
            .statuses
            .iter()
            .find(|s| s.kind == *kind)
            .map(|s| s.id.to_string())
    })
}

/// What a state change sets, as the PATCH body; `None` for a write Truto cannot express.
fn patch_of(chosen: &Chosen, write: &Write, catalog: &Catalog) -> ProviderResult<Option<Value>> {
    let vendor = &chosen.vendor;
    let status = |kinds: &[StatusKind], what: &str| {
        status_of(catalog, kinds)
            .map(|id| json!({ "status": { "id": id } }))
            .ok_or_else(|| refused(format!("{vendor} lists no status for {what}")))
    };
    Ok(Some(match write {
        Write::Wait {
            on: WaitFor::Customer | WaitFor::Agent | WaitFor::Until(_),
            ..
        } => status(&[StatusKind::Waiting], "waiting")?,
        Write::Reopen { .. } => status(&[StatusKind::Open, StatusKind::New], "an open request")?,
        Write::Reassign {
            agent: Some(agent), ..
        } => json!({ "assignees": [{ "id": agent.as_str() }] }),
        _ => return Ok(None),
    }))
}

pub async fn send(truto: &Truto, write: Write, catalog: &Catalog) -> ProviderResult<Written> {
    let chosen = truto.chosen()?;
    let subject = write.subject();
    let Some(ticket) = write
        .ticket()
        .and_then(|t| map::id(t.as_str()))
        .map(str::to_string)
    else {
        return Err(ProviderError::Unsupported("this change through Truto"));
    };
    if let Write::Comment {
        body,
        visibility,
        solution,
        ..
    } = &write
    {
        if *solution {
            return Err(refused(format!(
                "{} has no solution flow through Truto; reply, then change the status",
                chosen.vendor
            )));
        }
        if !chosen.allows("comments", "create") {
            return Err(refused(format!(
                "{} through Truto takes no new comments; reply in {}",
                chosen.vendor, chosen.vendor
            )));
        }
        let private = *visibility == Visibility::Internal;
        if private && !chosen.capabilities().private_comments {
            return Err(refused(format!(
                "{} comments through Truto are all public; send it as a reply or write the note in {}",
                chosen.vendor, chosen.vendor
            )));
        }
        let url = truto.unified(&chosen, &["comments"], &[("ticket[id]", ticket.clone())]);
        let payload = json!({ "body": body, "is_private": private, "ticket": { "id": ticket } });
        let reply = truto
            .client
            .send(
                Method::POST,
                url,
                Some(&payload),
                "comments",
                Idempotency::NotIdempotent,
            )
            .await?;
        let created: CommentWire = wire::one("comments", reply)?;
        return Ok(Written {
            subject,
            created_id: map::id(&created.id).map(str::to_string),
        });
    }
    let Some(patch) = patch_of(&chosen, &write, catalog)? else {
        return Err(refused(format!(
            "this change cannot be made on {} through Truto; make it in {}",
            chosen.vendor, chosen.vendor
        )));
    };
    if !chosen.allows("tickets", "update") {
        return Err(refused(format!(
            "{} through Truto takes no changes to tickets; make them in {}",
            chosen.vendor, chosen.vendor
        )));
    }
    let url = truto.unified(&chosen, &["tickets", &ticket], &[]);
    let reply = truto
        .client
        .send(
            Method::PATCH,
            url,
            Some(&patch),
            "tickets/{id}",
            Idempotency::Idempotent,
        )
        .await?;
    wire::one::<TicketWire>("tickets/{id}", reply)?;
    Ok(Written {
        subject,
        created_id: None,
    })
}

/// Whether a write whose reply was lost shows on the server: a comment by its text, posted
/// since the first attempt; a state change by the ticket's status or assignee now.
pub async fn reconcile(
    truto: &Truto,
    write: Write,
    since: DateTime<Utc>,
    catalog: &Catalog,
) -> ProviderResult<Reconciled> {
    let chosen = truto.chosen()?;
    let subject = write.subject();
    let Some(ticket) = write.ticket().cloned() else {
        return Ok(Reconciled::NotApplied);
    };
    if let Write::Comment { body, .. } = &write {
        let comments = truto.comments(&chosen, ticket.as_str(), catalog).await?;
        let wanted = SafeText::block(body);
        let found = comments.into_iter().find(|c| {
            c.body.as_str().trim() == wanted.as_str().trim()
                && c.created_at
                    .is_none_or(|at| at >= since - chrono::Duration::minutes(1))
        });
        return Ok(match found {
            Some(c) => Reconciled::Applied(Written {
                subject,
                created_id: Some(c.id),
            }),
            None => Reconciled::NotApplied,
        });
    }
    // A PATCH sets a state: sending it twice does what sending it once does.
    let detail = truto
        .load_detail(
            TicketId::from(ticket.as_str()),
            std::sync::Arc::new(catalog.clone()),
        )
        .await?;
    let applied = match (&write, patch_of(&chosen, &write, catalog)?) {
        (Write::Reassign { agent: Some(a), .. }, _) => {
            detail.ticket.agent.as_ref().is_some_and(|who| who.id == *a)
        }
        (_, Some(patch)) => patch
            .pointer("/status/id")
            .and_then(Value::as_str)
            .is_some_and(|id| detail.ticket.status.id.as_str() == id),
        _ => false,
    };
    Ok(if applied {
        Reconciled::Applied(Written {
            subject,
            created_id: None,
        })
    } else {
        Reconciled::NotApplied
    })
}
