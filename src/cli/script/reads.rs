//! The commands that only read: `ls`, `show`, `news ls`, `kb search`.

use std::sync::Arc;

use chrono::{DateTime, Local, Utc};

use super::context::{self, Context, PROFILE};
use super::json::{self, DetailJson, Listing, NewsList, RequestJson, clean};
use super::output::{self, Format, Table, escaped};
use super::{Done, Exit, Failure};
use crate::app::{Candidate, MatchJob, Matcher, Row, SortOrder};
use crate::cli::commands::LsArgs;
use crate::domain::{
    Catalog, KbQuery, QueueQuery, StatusId, StatusScope, Ticket, TicketKey, sort_news,
};

/// A time as a person reads it in a table: local, to the minute.
pub fn local(at: Option<DateTime<Utc>>) -> String {
    at.map(|t| t.with_timezone(&Local).format("%Y-%m-%d %H:%M").to_string())
        .unwrap_or_default()
}

/// A time in a tab-separated line: RFC 3339, UTC.
pub fn utc(at: Option<DateTime<Utc>>) -> String {
    json::time(at).unwrap_or_default()
}

/// A time in a cell of `format`.
pub fn when_for(format: Format, at: Option<DateTime<Utc>>) -> String {
    match format {
        Format::Table => local(at),
        _ => utc(at),
    }
}

/// Statuses by id or name (any case).
fn statuses(catalog: &Catalog, wanted: &[String]) -> Result<Vec<StatusId>, Failure> {
    wanted
        .iter()
        .map(|w| {
            let w = w.trim();
            catalog
                .statuses
                .iter()
                .find(|s| s.id.as_str() == w || s.name.as_str().eq_ignore_ascii_case(w))
                .map(|s| s.id.clone())
                .ok_or_else(|| {
                    let known: Vec<&str> =
                        catalog.statuses.iter().map(|s| s.name.as_str()).collect();
                    Failure::not_found(format!(
                        "no status named `{w}` (known: {})",
                        known.join(", ")
                    ))
                })
        })
        .collect()
}

pub async fn ls(ctx: &mut Context, args: &LsArgs, format: Format) -> Done {
    let catalog = ctx.catalog().await?;
    let desk = args
        .desk
        .as_deref()
        .map(|d| context::desk(&catalog, d))
        .transpose()?;
    let status = if args.status.is_empty() {
        StatusScope::Open
    } else {
        StatusScope::Only(statuses(&catalog, &args.status)?)
    };
    let mine = if args.mine {
        Some(ctx.agent().await?.id)
    } else {
        None
    };
    let query = QueueQuery { desk, status };
    let narrowing = mine.is_some() || args.filter.is_some();
    let mut tickets: Vec<Ticket> = Vec::new();
    let mut unreadable = 0;
    let mut cursor = None;
    loop {
        let page = ctx
            .provider
            .list(query.clone(), cursor, Arc::clone(&catalog))
            .await?;
        unreadable += page.unreadable;
        tickets.extend(page.items.into_iter().filter(|t| {
            mine.as_ref()
                .is_none_or(|me| t.agent.as_ref().is_some_and(|a| &a.id == me))
        }));
        cursor = page.next;
        // Without narrowing the server's order is newest first already: stop once there are
        // enough; a filter has to see every request.
        if cursor.is_none() || (!narrowing && tickets.len() > args.limit) {
            break;
        }
    }
    let mut shown = matched(tickets, args.filter.as_deref().unwrap_or(""));
    let truncated = shown.len() > args.limit;
    shown.truncate(args.limit);
    if unreadable > 0 {
        output::note(
            format,
            &format!("{unreadable} requests could not be read (see the log)"),
        );
    }
    if format == Format::Json {
        output::json(&Listing {
            profile: ctx.name.clone(),
            requests: shown.iter().map(RequestJson::from).collect(),
            unreadable,
            truncated,
        })?;
        return Ok(Exit::Ok);
    }
    let mut table = Table::new(
        vec![
            "ID", "STATUS", "PRIORITY", "DESK", "AGENT", "UPDATED", "TITLE",
        ],
        6,
    );
    for t in &shown {
        let name = |n: Option<String>| n.unwrap_or_default();
        table.push(vec![
            clean(&t.id),
            t.status.name.to_string(),
            name(t.priority.as_ref().map(|p| p.name.to_string())),
            name(t.help_desk.as_ref().map(|d| d.name.to_string())),
            name(t.agent.as_ref().map(|a| a.name.to_string())),
            when_for(format, t.updated_at.or(t.created_at)),
            t.title.to_string(),
        ]);
    }
    table.print(format)?;
    if truncated && format == Format::Table {
        output::note(
            format,
            &format!("showing the first {}: more with --limit", args.limit),
        );
    }
    Ok(Exit::Ok)
}

/// The requests the console's `/` filter would show for `query`, newest first.
fn matched(tickets: Vec<Ticket>, query: &str) -> Vec<Ticket> {
    let candidates: Arc<[Candidate]> = tickets
        .into_iter()
        .map(|t| Candidate {
            key: TicketKey::new(PROFILE, t.id.clone()),
            row: Arc::new(Row::new(t)),
        })
        .collect();
    let job = MatchJob {
        generation: 1,
        intent: 1,
        candidates: Arc::clone(&candidates),
        query: query.to_string(),
        sort: SortOrder::Newest,
    };
    let Some(matched) = Matcher::default().run(&job, &|| false) else {
        return Vec::new();
    };
    matched
        .rows
        .iter()
        .filter_map(|&at| candidates.get(at as usize))
        .map(|c| c.row.ticket.clone())
        .collect()
}

pub async fn show(ctx: &mut Context, id: &str, format: Format) -> Done {
    let catalog = ctx.catalog().await?;
    let id = context::ticket_id(id);
    let detail = ctx.provider.detail(id.clone(), catalog).await?;
    for part in &detail.partial {
        output::note(format, &format!("not loaded: {part}"));
    }
    let t = &detail.ticket;
    let mut fields: Vec<(&str, String)> = vec![
        ("id", t.display_id.to_string()),
        ("title", t.title.to_string()),
        ("status", t.status.name.to_string()),
    ];
    let mut opt = |label: &'static str, value: Option<String>| {
        if let Some(v) = value {
            fields.push((label, v));
        }
    };
    opt("priority", t.priority.as_ref().map(|p| p.name.to_string()));
    opt("type", t.kind.as_ref().map(|n| n.name.to_string()));
    opt("category", t.category.as_ref().map(|n| n.name.to_string()));
    opt("customer", t.customer.as_ref().map(|n| n.name.to_string()));
    opt("agent", t.agent.as_ref().map(|n| n.name.to_string()));
    opt("desk", t.help_desk.as_ref().map(|n| n.name.to_string()));
    opt("created", t.created_at.map(|at| when_for(format, Some(at))));
    opt("updated", t.updated_at.map(|at| when_for(format, Some(at))));
    opt("closed", t.closed_at.map(|at| when_for(format, Some(at))));
    match format {
        Format::Json => output::json(&DetailJson::new(&ctx.name, &detail))?,
        Format::Plain => {
            let mut out = String::new();
            for (label, value) in &fields {
                out.push_str(&format!("{label}\t{}\n", output::cell(value)));
            }
            out.push_str(&format!(
                "description\t{}\n",
                escaped(detail.description.as_str())
            ));
            for f in &detail.custom_fields {
                out.push_str(&format!(
                    "field\t{}\t{}\n",
                    output::cell(f.label.as_str()),
                    escaped(f.value.as_str())
                ));
            }
            for l in &detail.links {
                out.push_str(&format!(
                    "link\t{}\t{}\n",
                    clean(&l.id),
                    output::cell(l.title.as_str())
                ));
            }
            for a in &detail.approvals {
                out.push_str(&format!(
                    "approval\t{}\t{}\t{}\n",
                    clean(&a.id),
                    a.status.word(),
                    escaped(a.description.as_str())
                ));
            }
            for c in &detail.comments {
                out.push_str(&format!(
                    "comment\t{}\t{}\t{}\t{}{}\t{}\n",
                    clean(&c.id),
                    output::cell(c.author.as_ref().map_or("", |a| a.name.as_str())),
                    utc(c.created_at),
                    json::visibility(c.visibility),
                    if c.is_solution { ",solution" } else { "" },
                    escaped(c.body.as_str())
                ));
            }
            output::print(&out)?;
        }
        Format::Table => output::print(&readable(&fields, &detail))?,
    }
    Ok(Exit::Ok)
}

/// The detail as a person reads it on a terminal.
fn readable(fields: &[(&str, String)], d: &crate::domain::TicketDetail) -> String {
    let mut out = String::new();
    let width = fields.iter().map(|(l, _)| l.len()).max().unwrap_or(0);
    for (label, value) in fields {
        out.push_str(&format!("{label:>width$}  {value}\n"));
    }
    let section = |out: &mut String, title: &str| out.push_str(&format!("\n── {title} ──\n"));
    section(&mut out, "Description");
    out.push_str(d.description.as_str().trim_end());
    out.push('\n');
    if !d.custom_fields.is_empty() {
        section(&mut out, "Custom fields");
        for f in &d.custom_fields {
            out.push_str(&format!("{}: {}\n", f.label, f.value));
        }
    }
    if !d.links.is_empty() {
        section(&mut out, "Linked requests");
        for l in &d.links {
            out.push_str(&format!("#{} {}\n", clean(&l.id), l.title));
        }
    }
    if !d.approvals.is_empty() {
        section(&mut out, "Approvals");
        for a in &d.approvals {
            let tally = a.tally();
            out.push_str(&format!(
                "{} · {} · {} approved, {} rejected, {} waiting · {}\n",
                clean(&a.id),
                a.status_text(),
                tally.approved,
                tally.rejected,
                tally.waiting,
                a.description
            ));
        }
    }
    section(&mut out, &format!("Comments ({})", d.comments.len()));
    for c in &d.comments {
        let mut marks = Vec::new();
        if c.visibility == crate::domain::Visibility::Internal {
            marks.push("internal");
        }
        if c.is_solution {
            marks.push("solution");
        }
        let marks = if marks.is_empty() {
            String::new()
        } else {
            format!(" [{}]", marks.join(", "))
        };
        out.push_str(&format!(
            "\n{} · {}{marks}\n{}\n",
            c.author.as_ref().map_or("unknown", |a| a.name.as_str()),
            local(c.created_at),
            c.body.as_str().trim_end()
        ));
    }
    out
}

pub async fn news(ctx: &mut Context, all: bool, format: Format) -> Done {
    if !ctx.capabilities().await?.news {
        return Err(Failure::usage(format!(
            "profile `{}` has no breaking news",
            ctx.name
        )));
    }
    let catalog = ctx.catalog().await?;
    let mut items = ctx.provider.news(catalog).await?;
    items.retain(|n| all || n.open);
    sort_news(&mut items);
    if format == Format::Json {
        output::json(&NewsList {
            profile: ctx.name.clone(),
            news: items.iter().map(json::NewsJson::from).collect(),
        })?;
        return Ok(Exit::Ok);
    }
    let mut table = Table::new(
        vec!["ID", "IMPORTANCE", "STATE", "UNTIL", "AFFECTS", "TITLE"],
        5,
    );
    for n in &items {
        let affects: Vec<String> = n
            .desks
            .iter()
            .map(|d| d.name.to_string())
            .chain(n.groups.iter().map(|g| g.name.to_string()))
            .collect();
        table.push(vec![
            clean(&n.id),
            n.importance.word().into(),
            if n.open { "open" } else { "closed" }.into(),
            when_for(format, n.resolution_at),
            affects.join(", "),
            n.title.to_string(),
        ]);
    }
    table.print(format)?;
    Ok(Exit::Ok)
}

pub async fn kb(ctx: &mut Context, words: &[String], limit: usize, format: Format) -> Done {
    if !ctx.capabilities().await?.kb {
        return Err(Failure::usage(format!(
            "profile `{}` has no knowledge base",
            ctx.name
        )));
    }
    let query = KbQuery {
        words: words.join(" "),
        min_score: ctx.kb_min_score.map(|s| s.clamp(0.0, 1.0)),
        limit,
    };
    let hits = ctx.provider.kb_search(query).await?;
    if format == Format::Json {
        output::json(&json::KbResults {
            profile: ctx.name.clone(),
            articles: hits.iter().map(json::ArticleJson::from).collect(),
        })?;
        return Ok(Exit::Ok);
    }
    let mut table = Table::new(vec!["ID", "SCORE", "CATEGORY", "TITLE", "LINK"], 3);
    for h in &hits {
        let a = &h.article;
        table.push(vec![
            clean(&a.id),
            h.score.map(|s| format!("{s:.2}")).unwrap_or_default(),
            a.category
                .as_ref()
                .map(|c| c.name.to_string())
                .unwrap_or_default(),
            a.title.to_string(),
            a.url.as_deref().map(clean).unwrap_or_default(),
        ]);
    }
    table.print(format)?;
    Ok(Exit::Ok)
}
