//! `ttydesk outbox ls|retry|discard`: the writes not yet confirmed, across the open profiles.

use std::sync::Arc;

use chrono::Utc;
use tokio::sync::mpsc;

use super::context::{self, Context, PROFILE};
use super::json::{EntryJson, OutboxList, clean};
use super::output::{self, Format, Table};
use super::reads::when_for;
use super::send::{Settled, report, settle};
use super::{Done, Exit, Failure};
use crate::app::OutboxItem;
use crate::app::OutboxOp;
use crate::app::outbox::OutboxWorker;
use crate::cli::Cli;
use crate::cli::commands::{OutboxCommand, WaitArgs};

/// `ttydesk outbox ls|retry|discard`: across the open profiles (or `--profile`).
pub async fn run(cli: &Cli, command: &OutboxCommand, format: Format) -> Done {
    let (file, chosen) = context::select(cli)?;
    let Some(store) = context::open_store(cli, &file).await else {
        return Err(Failure::usage(
            "the outbox lives in the local store: run without --no-store",
        ));
    };
    let mut listed: Vec<(String, Vec<OutboxItem>)> = Vec::new();
    for (name, profile) in &chosen {
        let part = crate::app::persist::Partition {
            name: name.clone(),
            fingerprint: crate::cli::fingerprint(profile),
        };
        let items = crate::app::outbox::list(&store, part).await?;
        listed.push((name.clone(), items));
    }
    let holder = |id: &str| {
        listed
            .iter()
            .find(|(_, items)| items.iter().any(|i| i.id == id))
            .map(|(name, _)| name.clone())
            .ok_or_else(|| Failure::not_found(format!("no outbox entry {}", clean(id))))
    };
    match command {
        OutboxCommand::Ls { .. } => {
            print_entries(&listed, format)?;
            Ok(Exit::Ok)
        }
        OutboxCommand::Discard { id, .. } => {
            holder(id)?;
            let key = id.clone();
            let gone = crate::app::outbox::on_store(&store, move |db| {
                db.outbox_discard(&key, Utc::now().timestamp_millis())
            })
            .await?;
            if !gone {
                return Err(Failure::new(
                    Exit::Error,
                    "it is being sent right now: look again in a moment",
                ));
            }
            match format {
                Format::Json => {
                    output::json(&serde_json::json!({"outbox_id": id, "state": "discarded"}))?
                }
                Format::Plain => output::print(&format!("{id}\tdiscarded\n"))?,
                Format::Table => output::print(&format!("discarded {id}: it will not be sent\n"))?,
            }
            Ok(Exit::Ok)
        }
        OutboxCommand::Retry { id, wait, .. } => {
            let name = holder(id)?;
            drop(store);
            let mut ctx = Context::open_named(cli, Some(&name), true).await?;
            let result = retry(&mut ctx, id, *wait, format).await;
            ctx.flush().await;
            result
        }
    }
}

async fn retry(ctx: &mut Context, id: &str, wait: WaitArgs, format: Format) -> Done {
    let Some(link) = ctx.link.clone() else {
        return Err(Failure::usage("the outbox lives in the local store"));
    };
    let key = id.to_string();
    let store = link.store().clone();
    crate::app::outbox::on_store(&store, move |db| {
        db.outbox_retry(&key, Utc::now().timestamp_millis())
    })
    .await?;
    let started = Utc::now();
    let items = crate::app::outbox::list(&store, ctx.partition.clone()).await?;
    let Some(item) = items.into_iter().find(|i| i.id == id) else {
        return Err(Failure::not_found(format!("no outbox entry {}", clean(id))));
    };
    let (subject, what) = (item.subject.shown(), item.describe());
    if wait.no_wait {
        let why = "due now; sent the next time ttydesk runs".to_string();
        return report(
            &ctx.name,
            id,
            &subject,
            &what,
            Settled::Pending(why),
            format,
        );
    }
    let settled = match ctx.catalog().await {
        Ok(catalog) => {
            let (tx, mut rx) = mpsc::unbounded_channel();
            let worker = OutboxWorker::start(
                store,
                link.partitions().to_vec(),
                vec![Arc::clone(&ctx.provider)],
                tx,
            );
            output::progress(format, "waiting for the server's confirmation…");
            worker.send(OutboxOp::Ready {
                profile: PROFILE,
                catalog,
                account: ctx.provider.account(),
            });
            settle(&mut rx, id, started).await
        }
        Err(f) if f.transport => Settled::Pending(f.message),
        Err(f) => return Err(f),
    };
    report(&ctx.name, id, &subject, &what, settled, format)
}

fn print_entries(listed: &[(String, Vec<OutboxItem>)], format: Format) -> std::io::Result<()> {
    if format == Format::Json {
        let entries = listed
            .iter()
            .flat_map(|(name, items)| items.iter().map(move |i| EntryJson::new(name, i)))
            .collect();
        return output::json(&OutboxList { entries });
    }
    let mut table = Table::new(
        vec![
            "ID",
            "PROFILE",
            "STATE",
            "TRIES",
            "CREATED",
            "WHAT",
            "ABOUT",
            "LAST ERROR",
        ],
        6,
    );
    for (name, items) in listed {
        for i in items {
            table.push(vec![
                clean(&i.id),
                name.clone(),
                i.state.as_str().into(),
                i.attempts.to_string(),
                when_for(format, Some(i.created_at)),
                i.describe(),
                i.queued
                    .as_ref()
                    .map_or_else(|| i.subject.shown(), |q| q.title.clone()),
                i.last_error.clone().unwrap_or_default(),
            ]);
        }
    }
    table.print(format)
}
