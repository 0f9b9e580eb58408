//! The commands that write. Each builds the same [`Write`] the console would, commits it to the
//! outbox with the console's outbox worker, and waits for the server's confirmation
//! ([`submit`]); with `--no-wait`, or with the server unreachable, it leaves the write in the
//! outbox (exit code 6) for the next ttydesk to send.

use std::io::{IsTerminal, Read};
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use tokio::sync::mpsc;

use super::context::{self, Context, PROFILE, Writer};
use super::json::{EntryJson, OutboxList, WriteJson, clean};
use super::output::{self, Format, Table};
use super::reads::when_for;
use super::{Done, Exit, Failure};
use crate::app::outbox::{LEASE, OutboxWorker};
use crate::app::{Msg, OutboxEvent, OutboxItem, OutboxOp, Queued};
use crate::cli::Cli;
use crate::cli::commands::{
    AssignArgs, CommentArgs, ImportanceArg, NewsCommand, OutboxCommand, StatusArgs, StatusChange,
    VoteArgs, WaitArgs,
};
use crate::domain::{
    Approval, ApprovalStatus, Catalog, Importance, NewsDraft, TicketId, UserId, Visibility,
    WaitFor, Write,
};

/// The text of a comment or update: `--body`, else `--file` ("-": standard input), else
/// standard input when it is not a terminal.
pub fn body_of(body: Option<&str>, file: Option<&Path>) -> Result<String, Failure> {
    if let Some(body) = body {
        return Ok(body.to_string());
    }
    let stdin = || {
        let mut text = String::new();
        std::io::stdin().read_to_string(&mut text).map_err(|e| {
            Failure::usage(format!("standard input could not be read as text ({e})"))
        })?;
        Ok(text)
    };
    match file {
        Some(path) if path.as_os_str() == "-" => stdin(),
        Some(path) => std::fs::read_to_string(path)
            .map_err(|e| Failure::usage(format!("{} could not be read: {e}", path.display()))),
        None if std::io::stdin().is_terminal() => Err(Failure::usage(
            "give the text with --body TEXT, --file FILE, or on standard input",
        )),
        None => stdin(),
    }
}

pub async fn comment(ctx: &mut Context, args: &CommentArgs, body: String, format: Format) -> Done {
    let writer = ctx.for_writing().await?;
    if args.internal && !writer.capabilities.private_comments {
        return Err(Failure::usage(format!(
            "profile `{}` cannot write internal notes: every comment there reaches the customer",
            ctx.name
        )));
    }
    let ticket = context::ticket_id(&args.id);
    let title = request_title(ctx, &writer, &ticket).await?;
    let write = Write::Comment {
        ticket,
        body,
        visibility: if args.internal {
            Visibility::Internal
        } else {
            Visibility::Public
        },
        solution: args.solution,
    };
    submit(ctx, writer, write, title, args.wait, format).await
}

pub async fn assign(ctx: &mut Context, args: &AssignArgs, format: Format) -> Done {
    let writer = ctx.for_writing().await?;
    let catalog = needs_catalog(ctx, &writer)?;
    let desk = context::desk(&catalog, &args.desk)?;
    let agent = match &args.agent {
        Some(wanted) => Some(person(ctx, &catalog, wanted).await?),
        None => None,
    };
    let ticket = context::ticket_id(&args.id);
    let title = request_title(ctx, &writer, &ticket).await?;
    let write = Write::Reassign {
        ticket,
        desk,
        agent,
    };
    submit(ctx, writer, write, title, args.wait, format).await
}

/// A person by id, user name, email or name (any case): the catalog first, then the server.
async fn person(ctx: &mut Context, catalog: &Catalog, wanted: &str) -> Result<UserId, Failure> {
    let w = wanted.trim();
    let found = catalog.people.values().find(|p| {
        p.id.as_str() == w
            || p.name.as_str().eq_ignore_ascii_case(w)
            || p.email
                .as_ref()
                .is_some_and(|e| e.as_str().eq_ignore_ascii_case(w))
    });
    if let Some(p) = found {
        return Ok(p.id.clone());
    }
    match ctx.provider.agent(w.to_string()).await {
        Ok(p) => Ok(p.id),
        Err(crate::provider::ProviderError::NotFound(_)) => Err(Failure::not_found(format!(
            "no agent `{w}` on this service desk"
        ))),
        Err(e) => Err(e.into()),
    }
}

/// A date as typed: RFC 3339, or YYYY-MM-DD (the start of that day, local time).
fn date(typed: &str) -> Result<DateTime<Utc>, Failure> {
    if let Ok(at) = DateTime::parse_from_rfc3339(typed.trim()) {
        return Ok(at.with_timezone(&Utc));
    }
    chrono::NaiveDate::parse_from_str(typed.trim(), "%Y-%m-%d")
        .ok()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .and_then(|t| t.and_local_timezone(chrono::Local).earliest())
        .map(|t| t.with_timezone(&Utc))
        .ok_or_else(|| {
            Failure::usage(format!(
                "`{typed}` is not a date (YYYY-MM-DD or 2026-12-24T09:00:00Z)"
            ))
        })
}

pub async fn status(ctx: &mut Context, args: &StatusArgs, format: Format) -> Done {
    let ticket = context::ticket_id(&args.id);
    let needs = |what: Option<&String>, flag: &str| {
        what.cloned()
            .ok_or_else(|| Failure::usage(format!("{flag} is needed with this change")))
    };
    let write = match args.change {
        StatusChange::WaitingCustomer => Write::Wait {
            ticket: ticket.clone(),
            on: WaitFor::Customer,
        },
        StatusChange::WaitingAgent => Write::Wait {
            ticket: ticket.clone(),
            on: WaitFor::Agent,
        },
        StatusChange::WaitingUntil => Write::Wait {
            ticket: ticket.clone(),
            on: WaitFor::Until(date(&needs(args.until.as_ref(), "--until DATE")?)?),
        },
        StatusChange::WaitingRequest => Write::Wait {
            ticket: ticket.clone(),
            on: WaitFor::Request(context::ticket_id(&needs(args.on.as_ref(), "--on ID")?)),
        },
        StatusChange::Reopen => Write::Reopen {
            ticket: ticket.clone(),
        },
        StatusChange::Cancel => Write::Cancel {
            ticket: ticket.clone(),
            comment: needs(
                args.comment.as_ref(),
                "--comment TEXT (why it is cancelled)",
            )?,
        },
        StatusChange::Reject => Write::Reject {
            ticket: ticket.clone(),
        },
    };
    write.check().map_err(Failure::usage)?;
    let writer = ctx.for_writing().await?;
    let title = request_title(ctx, &writer, &ticket).await?;
    submit(ctx, writer, write, title, args.wait, format).await
}

pub async fn vote(ctx: &mut Context, args: &VoteArgs, approve: bool, format: Format) -> Done {
    let writer = ctx.for_writing().await?;
    if !writer.capabilities.votes {
        return Err(Failure::usage(format!(
            "approvals of profile `{}` are decided in the service desk's own tool",
            ctx.name
        )));
    }
    let approval = args.approval.trim().to_string();
    let ticket = if ctx.offline.is_some() {
        // Nothing can be checked: the server decides when it is back.
        offline_ticket_of(ctx, args, &approval)?
    } else {
        let found = find_approval(ctx, &writer, args.request.as_deref(), &approval).await?;
        if found.status != ApprovalStatus::Waiting {
            return Err(Failure::usage(format!(
                "approval {} is {} already",
                clean(&approval),
                found.status_text()
            )));
        }
        if !found.waits_for(&writer.author) {
            return Err(Failure::usage(format!(
                "approval {} does not wait for your vote (you are not asked, or voted already)",
                clean(&approval)
            )));
        }
        found.ticket
    };
    let title = format!("#{ticket}");
    let write = Write::Vote {
        ticket,
        approval,
        approve,
        note: args.note.clone(),
    };
    submit(ctx, writer, write, title, args.wait, format).await
}

fn offline_ticket_of(ctx: &Context, args: &VoteArgs, approval: &str) -> Result<TicketId, Failure> {
    if let Some(request) = &args.request {
        return Ok(context::ticket_id(request));
    }
    ctx.saved
        .approvals
        .iter()
        .find(|c| c.pending.iter().any(|a| a.id == approval))
        .map(|c| c.ticket.clone())
        .ok_or_else(|| {
            Failure::new(
                Exit::Error,
                format!(
                    "{}; give --request ID to queue the vote anyway",
                    ctx.offline.clone().unwrap_or_default()
                ),
            )
        })
}

/// The approval `id`: on the request given, else on the request the console last saw it on,
/// else searched among the open requests' pending approvals.
async fn find_approval(
    ctx: &mut Context,
    writer: &Writer,
    request: Option<&str>,
    id: &str,
) -> Result<Approval, Failure> {
    let catalog = needs_catalog(ctx, writer)?;
    let known = request.map(context::ticket_id).or_else(|| {
        ctx.saved
            .approvals
            .iter()
            .find(|c| c.pending.iter().any(|a| a.id == id))
            .map(|c| c.ticket.clone())
    });
    if let Some(ticket) = known {
        let detail = ctx
            .provider
            .detail(ticket.clone(), Arc::clone(&catalog))
            .await?;
        if let Some(found) = detail.approvals.into_iter().find(|a| a.id == id) {
            return Ok(found);
        }
        if request.is_some() {
            return Err(Failure::not_found(format!(
                "request #{} has no approval {}",
                clean(&ticket),
                clean(id)
            )));
        }
    }
    let mut cursor = None;
    let mut searched = 0;
    loop {
        let page = ctx
            .provider
            .list(
                crate::domain::QueueQuery::open(),
                cursor,
                Arc::clone(&catalog),
            )
            .await?;
        for chunk in page.items.chunks(crate::app::APPROVAL_CHUNK) {
            let ids = chunk.iter().map(|t| t.id.clone()).collect();
            searched += chunk.len();
            output::progress(
                Format::Table,
                &format!(
                    "looking for approval {} ({searched} requests so far)…",
                    clean(id)
                ),
            );
            let answers = ctx
                .provider
                .pending_approvals(ids, Arc::clone(&catalog))
                .await?;
            let found = answers
                .into_iter()
                .filter_map(|a| a.pending.ok())
                .flatten()
                .find(|a| a.id == id);
            if let Some(found) = found {
                return Ok(found);
            }
        }
        cursor = page.next;
        if cursor.is_none() {
            return Err(Failure::not_found(format!(
                "no approval {} waits among {searched} open requests (give --request ID)",
                clean(id)
            )));
        }
    }
}

pub async fn news(ctx: &mut Context, command: &NewsCommand, format: Format) -> Done {
    let writer = ctx.for_writing().await?;
    if !writer.capabilities.news {
        return Err(Failure::usage(format!(
            "profile `{}` has no breaking news",
            ctx.name
        )));
    }
    let (write, title, wait) = match command {
        NewsCommand::Ls { .. } => return Ok(Exit::Ok),
        NewsCommand::Create {
            title,
            body,
            file,
            importance,
            desk,
            group,
            until,
            wait,
            ..
        } => {
            let catalog = needs_catalog(ctx, &writer)?;
            let desks = desk
                .iter()
                .map(|d| context::desk(&catalog, d))
                .collect::<Result<Vec<_>, _>>()?;
            let groups = group
                .iter()
                .map(|g| {
                    catalog
                        .groups
                        .iter()
                        .find(|n| {
                            n.id == g.trim() || n.name.as_str().eq_ignore_ascii_case(g.trim())
                        })
                        .map(|n| n.id.clone())
                        .ok_or_else(|| Failure::not_found(format!("no user group named `{g}`")))
                })
                .collect::<Result<Vec<_>, _>>()?;
            let draft = NewsDraft {
                title: title.clone(),
                body: body_of(body.as_deref(), file.as_deref())?,
                importance: match importance {
                    ImportanceArg::High => Importance::High,
                    ImportanceArg::Medium => Importance::Medium,
                    ImportanceArg::Low => Importance::Low,
                },
                desks,
                groups,
                resolution_at: until.as_deref().map(date).transpose()?,
            };
            draft.check().map_err(Failure::usage)?;
            (Write::CreateNews { news: draft }, title.clone(), *wait)
        }
        NewsCommand::Update(a) | NewsCommand::Close(a) => {
            let solution = matches!(command, NewsCommand::Close(_));
            let body = body_of(a.body.as_deref(), a.file.as_deref())?;
            let write = Write::NewsUpdate {
                id: a.id.trim().to_string(),
                body,
                solution,
            };
            (write, format!("news {}", clean(&a.id)), a.wait)
        }
        NewsCommand::Reopen { id, wait, .. } => (
            Write::ReopenNews {
                id: id.trim().to_string(),
            },
            format!("news {}", clean(id)),
            *wait,
        ),
    };
    submit(ctx, writer, write, title, wait, format).await
}

fn needs_catalog(ctx: &Context, writer: &Writer) -> Result<Arc<Catalog>, Failure> {
    writer.catalog.clone().ok_or_else(|| {
        Failure::new(
            Exit::Error,
            ctx.offline
                .clone()
                .unwrap_or_else(|| "the service desk's catalog is not known".into()),
        )
    })
}

/// "#1207 Printer jams", read from the server (an unknown id stops here, exit code 4); just
/// "#1207" when the server cannot be reached.
async fn request_title(
    ctx: &mut Context,
    writer: &Writer,
    ticket: &TicketId,
) -> Result<String, Failure> {
    let Some(catalog) = writer.catalog.clone().filter(|_| ctx.offline.is_none()) else {
        return Ok(format!("#{}", clean(ticket)));
    };
    match ctx.provider.detail(ticket.clone(), catalog).await {
        Ok(d) => Ok(format!("{} {}", d.ticket.display_id, d.ticket.title)),
        Err(e) => {
            let failure = Failure::from(e);
            if failure.transport {
                ctx.offline = Some(failure.message);
                Ok(format!("#{}", clean(ticket)))
            } else if failure.exit == Exit::NotFound {
                Err(Failure::not_found(format!("no request #{}", clean(ticket))))
            } else {
                Err(failure)
            }
        }
    }
}

/// How a write ended, as far as this command waited.
enum Settled {
    Sent,
    Pending(String),
    Refused(String),
}

/// Commits the write to the outbox and waits for the server (see the module's comment).
async fn submit(
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
async fn settle(
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

fn report(
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

/// `ttydesk outbox ls|retry|discard`: across the open profiles (or `--profile`).
pub async fn outbox(cli: &Cli, command: &OutboxCommand, format: Format) -> Done {
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
