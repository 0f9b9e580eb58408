//! How a scripting write goes out: committed to the outbox by the console's outbox worker, then
//! followed through the worker's `Listed` events until the server confirms it (gone from the
//! outbox), refuses it (failed), or it was tried and is due again later (pending, exit code 6).

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use tokio::sync::mpsc;

use super::context::{Context, PROFILE, Writer};
use super::json::WriteJson;
use super::output::{self, Format};
use super::{Done, Exit, Failure};
use crate::app::outbox::{LEASE, OutboxWorker};
use crate::app::{Msg, OutboxEvent, OutboxOp, Queued};
use crate::cli::commands::WaitArgs;
use crate::domain::Write;

/// How a write ended, as far as this command waited.
pub enum Settled {
    Sent,
    Pending(String),
    Refused(String),
}

/// Commits the write to the outbox and waits for the server (see the module's comment).
pub async fn submit(
    ctx: &mut Context,
    writer: Writer,
    write: Write,
    title: String,
    wait: WaitArgs,
    format: Format,
) -> Done {
    write.check().map_err(Failure::usage)?;
    let Some(link) = ctx.link.clone() else {
        return Err(Failure::usage(
            "writes go through the outbox, which lives in the local store: run without --no-store",
        ));
    };
    let subject = write.subject().shown();
    let what = write.describe();
    let id = new_id();
    let (tx, mut rx) = mpsc::unbounded_channel();
    let worker = OutboxWorker::start(
        link.store().clone(),
        link.partitions().to_vec(),
        vec![Arc::clone(&ctx.provider)],
        tx,
    );
    worker.send(OutboxOp::Add {
        profile: PROFILE,
        id: id.clone(),
        queued: Queued {
            write,
            author: writer.author,
            title,
            account: ctx.provider.account(),
        },
    });
    queued(&mut rx, &id).await?;
    output::progress(format, &format!("queued in the outbox as {id}"));
    let settled = if wait.no_wait {
        Settled::Pending("not sent yet (--no-wait)".into())
    } else if let Some(reason) = ctx.offline.clone() {
        Settled::Pending(reason)
    } else if let Some(catalog) = writer.catalog {
        output::progress(format, "waiting for the server's confirmation…");
        let started = Utc::now();
        worker.send(OutboxOp::Ready {
            profile: PROFILE,
            catalog,
            account: ctx.provider.account(),
        });
        settle(&mut rx, &id, started).await
    } else {
        Settled::Pending("the service desk's catalog is not known yet".into())
    };
    report(&ctx.name, &id, &subject, &what, settled, format)
}

async fn queued(rx: &mut mpsc::UnboundedReceiver<Msg>, id: &str) -> Result<(), Failure> {
    while let Some(msg) = rx.recv().await {
        match msg {
            Msg::Outbox(OutboxEvent::Queued { id: got, .. }) if got == id => return Ok(()),
            Msg::Outbox(OutboxEvent::NotQueued {
                id: got, reason, ..
            }) if got == id => {
                return Err(Failure::new(
                    Exit::Error,
                    format!("the write could not be saved, so nothing was sent: {reason}"),
                ));
            }
            _ => {}
        }
    }
    Err(Failure::new(Exit::Error, "the outbox stopped"))
}

/// Waits until entry `id` is confirmed (gone from the outbox), refused, or has been tried and
/// is due again later; `started` is when it was last made due.
pub async fn settle(
    rx: &mut mpsc::UnboundedReceiver<Msg>,
    id: &str,
    started: DateTime<Utc>,
) -> Settled {
    let deadline = tokio::time::Instant::now() + LEASE + Duration::from_secs(5);
    loop {
        let msg = match tokio::time::timeout_at(deadline, rx.recv()).await {
            Ok(Some(msg)) => msg,
            Ok(None) => return Settled::Pending("the outbox stopped".into()),
            Err(_) => return Settled::Pending("the server did not answer in time".into()),
        };
        let Msg::Outbox(OutboxEvent::Listed { items, .. }) = msg else {
            continue;
        };
        match items.iter().find(|i| i.id == id) {
            None => return Settled::Sent,
            Some(item) if item.failed() => {
                return Settled::Refused(item.last_error.clone().unwrap_or_default());
            }
            Some(item) if !item.in_flight && item.next_attempt_at > started => {
                let why = item
                    .last_error
                    .clone()
                    .unwrap_or_else(|| "the server did not confirm it".into());
                return Settled::Pending(why);
            }
            Some(_) => {}
        }
    }
}

pub fn report(
    profile: &str,
    id: &str,
    subject: &str,
    what: &str,
    settled: Settled,
    format: Format,
) -> Done {
    let (state, error, exit) = match settled {
        Settled::Sent => ("sent", None, Exit::Ok),
        Settled::Pending(why) => ("pending", Some(why), Exit::Pending),
        Settled::Refused(why) => {
            return Err(Failure {
                outbox_id: Some(id.to_string()),
                ..Failure::new(
                    Exit::Error,
                    format!(
                        "the server refused the {what} on {subject}: {why} (kept in the outbox as \
                         {id}: `ttydesk outbox retry {id}` or `ttydesk outbox discard {id}`)"
                    ),
                )
            });
        }
    };
    match format {
        Format::Json => output::json(&WriteJson {
            outbox_id: id.to_string(),
            profile: profile.to_string(),
            state,
            subject: subject.to_string(),
            what: what.to_string(),
            error: error.clone(),
        })?,
        Format::Plain => output::print(&format!("{id}\t{state}\n"))?,
        Format::Table => output::print(&match state {
            "sent" => format!("sent: {what} on {subject} (outbox {id})\n"),
            _ => format!("pending: {what} on {subject} waits in the outbox as {id}\n"),
        })?,
    }
    if let Some(why) = error {
        output::note(
            format,
            &format!(
                "not confirmed yet: {why}. It stays in the outbox and is sent the next time \
                 ttydesk runs (see `ttydesk outbox ls`)"
            ),
        );
    }
    Ok(exit)
}

/// An outbox id unique across processes: time, process, and a random-enough tail.
fn new_id() -> String {
    let now = Utc::now();
    format!(
        "{}-{:x}{:x}",
        now.timestamp_millis(),
        std::process::id(),
        now.timestamp_subsec_nanos()
    )
}
