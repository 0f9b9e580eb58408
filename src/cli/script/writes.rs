//! The commands that write. Each builds the same [`Write`] the console would, commits it to the
//! outbox with the console's outbox worker, and waits for the server's confirmation
//! ([`submit`]); with `--no-wait`, or with the server unreachable, it leaves the write in the
//! outbox (exit code 6) for the next ttydesk to send.

use std::io::{IsTerminal, Read};
use std::path::Path;
use std::sync::Arc;

use chrono::{DateTime, Utc};

use super::context::{self, Context, Writer};
use super::json::clean;
use super::output::{self, Format};
use super::send::submit;
use super::{Done, Exit, Failure};
use crate::cli::commands::{
    AssignArgs, CommentArgs, ImportanceArg, NewsCommand, StatusArgs, StatusChange, VoteArgs,
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
            let title = news_title(ctx, &writer, &a.id).await?;
            (write, title, a.wait)
        }
        NewsCommand::Reopen { id, wait, .. } => (
            Write::ReopenNews {
                id: id.trim().to_string(),
            },
            news_title(ctx, &writer, id).await?,
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

/// "news 5 SAP finance module unavailable", read from the server (an unknown id stops here,
/// exit code 4); just "news 5" when the server cannot be reached.
async fn news_title(ctx: &mut Context, writer: &Writer, id: &str) -> Result<String, Failure> {
    let shown = format!("news {}", clean(id));
    let Some(catalog) = writer.catalog.clone().filter(|_| ctx.offline.is_none()) else {
        return Ok(shown);
    };
    match ctx.provider.news(catalog).await {
        Ok(items) => match items.iter().find(|n| n.id == id.trim()) {
            Some(item) => Ok(format!("{shown} {}", item.title)),
            None => Err(Failure::not_found(format!(
                "no breaking-news item {}",
                clean(id)
            ))),
        },
        Err(e) => {
            let failure = Failure::from(e);
            if failure.transport {
                ctx.offline = Some(failure.message);
                Ok(shown)
            } else {
                Err(failure)
            }
        }
    }
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
