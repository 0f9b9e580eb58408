//! Writes, the model's side: who the agent is on each profile (looked up once from the profile's
//! `agent` key and kept in the store), whether a profile may be written to at all, handing a write
//! to the outbox (after a confirmation for destructive ones), and what the outbox reports back:
//! its entries (for the status bar, the outbox panel and the pending marks in Detail), deliveries
//! and refusals. Sending is the outbox worker's job (`outbox.rs`), never this module's.

use std::sync::Arc;

use super::confirm::{Confirm, Confirmed};
use super::mode::Mode;
use super::model::{Model, NoticeLevel};
use super::msg::{Effect, RequestId, StoreOp};
use super::outbox::{OutboxEvent, OutboxOp, Queued};
use crate::domain::{Person, ProfileId, Subject, Ticket, TicketKey, Write};
use crate::provider::{Call, ProviderError};

/// Who the agent is on one profile's server.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Agent {
    /// The profile has no `agent` key.
    #[default]
    NotSet,
    Looking(RequestId),
    Known(Person),
    /// The lookup failed; the sentence says why.
    Failed(String),
}

/// Whether `profile` takes writes now; the sentence says what to do when not.
pub fn may_write(m: &Model, profile: ProfileId) -> Result<(), String> {
    let Some(s) = m.session(profile) else {
        return Err("that profile is not open".into());
    };
    let name = &s.label.name;
    if s.label.read_only {
        return Err(format!(
            "{name} is read-only (read_only = true in its profile): nothing was sent"
        ));
    }
    if s.capabilities.is_some_and(|c| !c.writes) {
        let (api, place) = reached_through(s);
        return Err(format!(
            "{name} is read-only: {api} takes no replies or changes; make them in {place}"
        ));
    }
    if !m.settings.outbox {
        return Err(
            "changes need the local store, which is unavailable (see :log): nothing was sent"
                .into(),
        );
    }
    match &s.agent {
        Agent::Known(_) => Ok(()),
        Agent::NotSet => Err(format!(
            "to reply or change requests on {name}, add agent = \"<your user name or email>\" \
             to its profile in the configuration"
        )),
        Agent::Looking(_) => Err(format!(
            "still looking up who you are on {name}; try again in a moment"
        )),
        Agent::Failed(why) => Err(format!("cannot act on {name}: {why}")),
    }
}

/// Who answers for the profile's API, in words, and where the agent can act instead: "Iden's
/// API" and "Iden"; through Truto, the integration ("Jira Service Management through Truto",
/// "Jira Service Management").
fn reached_through(s: &super::session::Session) -> (String, String) {
    let vendor = &s.label.vendor;
    if let super::session::Connection::Online(server) = &s.connection
        && let Some(integration) = &server.via
    {
        return (
            format!("{integration} through {vendor}"),
            integration.to_string(),
        );
    }
    (format!("{vendor}'s API"), vendor.clone())
}

/// Hands `write` to the outbox, asking first when it cannot be taken back. On `Err` nothing
/// happened and the sentence says why.
pub fn submit(m: &mut Model, profile: ProfileId, write: Write) -> Result<Vec<Effect>, String> {
    may_write(m, profile)?;
    write.check()?;
    if let Write::Comment {
        visibility: crate::domain::Visibility::Internal,
        ..
    } = &write
        && let Some(s) = m.session(profile)
        && s.capabilities.is_some_and(|c| !c.private_comments)
    {
        let (api, _) = reached_through(s);
        return Err(format!(
            "{api} has no agents-only comments: send it as a reply to the customer, \
             or write the note where the request lives; nothing was sent"
        ));
    }
    if let Some(waiting) = &m.guard {
        // One check at a time: a second change must not silently replace the first.
        return Err(format!(
            "still checking #{} for changes before: {}; try again in a moment",
            waiting.key.id,
            waiting.write.describe()
        ));
    }
    // A state change is checked against the server first: someone may have changed the
    // request since the agent looked at it.
    if write.changes_state()
        && let Some(id) = write.ticket()
        && let key = (TicketKey {
            profile,
            id: id.clone(),
        })
        && let Some(seen) = seen(m, &key)
    {
        let effects = super::load::reload_detail(m, &key);
        if effects.iter().any(|e| matches!(e, Effect::Call { .. })) {
            m.notify(
                NoticeLevel::Info,
                format!(
                    "checking #{} for changes before: {}",
                    key.id,
                    write.describe()
                ),
            );
            m.guard = Some(Guard { key, write, seen });
            return Ok(effects);
        }
    }
    proceed(m, profile, write)
}

/// [`submit`], saying in the status bar why nothing happened when it did not.
pub fn submit_or_say(m: &mut Model, profile: ProfileId, write: Write) -> Vec<Effect> {
    submit(m, profile, write).unwrap_or_else(|why| {
        m.notify(NoticeLevel::Warning, why);
        Vec::new()
    })
}

/// What the agent saw of the request: the open detail, else the row.
fn seen(m: &Model, key: &TicketKey) -> Option<Ticket> {
    let s = m.session(key.profile)?;
    s.details
        .get(&key.id)
        .and_then(|d| d.data())
        .map(|d| d.ticket.clone())
        .or_else(|| s.rows.get(&key.id).cloned())
}

/// A state change waiting for a fresh read of its request.
#[derive(Debug, Clone)]
pub struct Guard {
    /// The request read again. Any read of it that completes answers the guard (a refresh in
    /// between replaces the read it started, and must not strand the change).
    pub key: TicketKey,
    pub write: Write,
    pub seen: Ticket,
}

/// A read of `key` completed: `fresh`, or `None` when it failed. If a state change waited for
/// it, it goes on now (or asks, when the request moved).
pub fn checked(m: &mut Model, key: &TicketKey, fresh: Option<&Ticket>) -> Vec<Effect> {
    let Some(guard) = m.guard.take_if(|g| g.key == *key) else {
        return Vec::new();
    };
    let Guard { key, write, seen } = guard;
    let profile = key.profile;
    let changes = match fresh {
        Some(now) => changes(&seen, now),
        None => {
            m.notify(
                NoticeLevel::Warning,
                "could not check the request for changes; the change waits in the outbox",
            );
            Vec::new()
        }
    };
    if changes.is_empty() {
        return proceed(m, profile, write).unwrap_or_else(|why| {
            m.notify(NoticeLevel::Warning, why);
            Vec::new()
        });
    }
    let mut lines = vec![
        about(m, profile, &write),
        "Changed on the server since you looked:".into(),
    ];
    lines.extend(changes.into_iter().map(|c| format!("  {c}")));
    lines.push(format!(
        "y applies “{}” anyway, n leaves it.",
        write.describe()
    ));
    let back = std::mem::take(&mut m.mode);
    m.mode = Mode::Confirm(Box::new(Confirm {
        title: "This request changed since you looked".into(),
        lines,
        then: Confirmed::Submit { profile, write },
        back: Box::new(back),
    }));
    Vec::new()
}

/// What differs between the request as seen and as it is now, in the agent's words.
fn changes(seen: &Ticket, now: &Ticket) -> Vec<String> {
    if seen.updated_at.is_some() && now.updated_at <= seen.updated_at {
        return Vec::new();
    }
    let mut out = Vec::new();
    if seen.status.id != now.status.id {
        out.push(format!(
            "status: {} → {}",
            seen.status.name, now.status.name
        ));
    }
    if seen.agent.as_ref().map(|a| &a.id) != now.agent.as_ref().map(|a| &a.id) {
        out.push(format!(
            "agent: {} → {}",
            named(seen.agent.as_ref()),
            named(now.agent.as_ref())
        ));
    }
    if seen.help_desk.as_ref().map(|d| &d.id) != now.help_desk.as_ref().map(|d| &d.id) {
        out.push(format!(
            "help desk: {} → {}",
            named(seen.help_desk.as_ref()),
            named(now.help_desk.as_ref())
        ));
    }
    let priority = |t: &Ticket| t.priority.as_ref().map(|p| p.name.to_string());
    if priority(seen) != priority(now) {
        out.push(format!(
            "priority: {} → {}",
            priority(seen).unwrap_or_else(|| "—".into()),
            priority(now).unwrap_or_else(|| "—".into())
        ));
    }
    if out.is_empty() {
        let when = now
            .updated_at
            .map(|d| d.format("%Y-%m-%d %H:%M UTC").to_string())
            .unwrap_or_default();
        out.push(format!("updated at {when} (a comment or another field)"));
    }
    out
}

fn named<I>(n: Option<&crate::domain::Named<I>>) -> String {
    n.map_or_else(|| "—".to_string(), |n| n.name.to_string())
}

/// Asks first when the write cannot be undone, else hands it to the outbox.
fn proceed(m: &mut Model, profile: ProfileId, write: Write) -> Result<Vec<Effect>, String> {
    if write.destructive() {
        let mut lines = vec![about(m, profile, &write)];
        lines.extend(super::approval_pane::confirm_lines(m, profile, &write));
        lines.push("This cannot be undone from ttydesk.".into());
        lines.push("y does it, n goes back.".into());
        let back = std::mem::take(&mut m.mode);
        m.mode = Mode::Confirm(Box::new(Confirm {
            title: format!("{}?", capitalized(&write.describe())),
            lines,
            then: Confirmed::Submit { profile, write },
            back: Box::new(back),
        }));
        return Ok(Vec::new());
    }
    enqueue(m, profile, write)
}

/// Commits `write` to the outbox (no more questions).
pub fn enqueue(m: &mut Model, profile: ProfileId, write: Write) -> Result<Vec<Effect>, String> {
    may_write(m, profile)?;
    let Some(s) = m.session(profile) else {
        return Err("that profile is not open".into());
    };
    let Agent::Known(agent) = &s.agent else {
        return Err("the agent is not known".into());
    };
    let title = title_of(m, profile, &write);
    let queued = Queued {
        author: agent.id.clone(),
        title,
        write,
        account: s.account.clone(),
    };
    m.writes_made += 1;
    let id = format!(
        "{}-{}-{}",
        m.now.timestamp_millis(),
        m.settings.instance,
        m.writes_made
    );
    if let Write::Comment { ticket, .. } = &queued.write {
        // Only a reply has a draft to drop once it is queued.
        m.drafts_sent.insert(
            id.clone(),
            TicketKey {
                profile,
                id: ticket.clone(),
            },
        );
    }
    Ok(vec![Effect::Outbox(OutboxOp::Add {
        profile,
        id,
        queued,
    })])
}

/// What the write is about as the agent knows it: "#1207  Printer jams", "“Mail is down”".
fn title_of(m: &Model, profile: ProfileId, write: &Write) -> String {
    match write.subject() {
        Subject::Ticket(id) => m
            .session(profile)
            .and_then(|s| s.rows.get(&id))
            .map_or_else(
                || format!("#{id}"),
                |t| format!("{}  {}", t.display_id, t.title),
            ),
        Subject::News(id) => super::news::title(m, profile, &id)
            .map_or_else(|| format!("news {id}"), |t| format!("“{t}”")),
        Subject::NewNews => match write {
            Write::CreateNews { news } => {
                format!("“{}”", crate::text::SafeText::line(news.title.trim()))
            }
            _ => "a new news item".into(),
        },
    }
}

/// "profile Acme IT, request #1207 Printer jams": what a confirmation is about.
fn about(m: &Model, profile: ProfileId, write: &Write) -> String {
    let name = m.session(profile).map_or("?", |s| s.label.name.as_str());
    let what = match write.subject() {
        Subject::Ticket(_) => "request",
        Subject::News(_) | Subject::NewNews => "news item",
    };
    format!("profile {name}, {what} {}", title_of(m, profile, write))
}

fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(chars).collect()
    })
}

/// After a successful probe: look the agent up, unless already known.
pub fn look_up_agent(m: &mut Model, profile: ProfileId) -> Vec<Effect> {
    let id = m.next_request_id();
    let Some(s) = m.session_mut(profile) else {
        return Vec::new();
    };
    let Some(login) = s.label.agent.clone() else {
        return Vec::new();
    };
    if matches!(s.agent, Agent::Looking(_)) || s.capabilities.is_some_and(|c| !c.writes) {
        return Vec::new();
    }
    // A person saved earlier stays in use while the server is asked again.
    if !matches!(s.agent, Agent::Known(_)) {
        s.agent = Agent::Looking(id);
    }
    s.agent_lookup = Some(id);
    vec![Effect::Call {
        profile,
        id,
        call: Call::Agent { login },
    }]
}

pub fn agent_answer(
    m: &mut Model,
    profile: ProfileId,
    id: RequestId,
    result: Result<Person, ProviderError>,
) -> Vec<Effect> {
    let Some(s) = m
        .session_mut(profile)
        .filter(|s| s.agent_lookup == Some(id))
    else {
        return Vec::new();
    };
    s.agent_lookup = None;
    match result {
        Ok(person) => {
            let login = s.label.agent.clone().unwrap_or_default();
            s.agent = Agent::Known(person.clone());
            vec![Effect::Store(StoreOp::SaveAgent {
                profile,
                login,
                person,
            })]
        }
        // Unreachable now: a person saved earlier keeps serving until the server answers.
        Err(e) if matches!(s.agent, Agent::Known(_)) => {
            tracing::info!(error = %e, "the agent could not be looked up again");
            Vec::new()
        }
        Err(e) => {
            let login = s.label.agent.clone().unwrap_or_default();
            let why = match e {
                ProviderError::NotFound(_) | ProviderError::Rejected(_) => {
                    format!("the server has no user “{login}” (the profile's agent key)")
                }
                e => format!("could not look up “{login}”: {e}"),
            };
            s.agent = Agent::Failed(why.clone());
            let name = s.label.name.clone();
            m.notify(NoticeLevel::Warning, format!("{name}: {why}"));
            Vec::new()
        }
    }
}

/// The agent as an earlier run saved them, for writes while the server cannot be asked.
pub fn restore_agent(m: &mut Model, profile: ProfileId, login: &str, person: Person) {
    if let Some(s) = m.session_mut(profile)
        && s.label.agent.as_deref() == Some(login)
        && !matches!(s.agent, Agent::Known(_))
    {
        s.agent = Agent::Known(person);
    }
}

/// Tells the outbox each profile's newest catalog: its entries may go out from then on.
pub fn ready(m: &mut Model) -> Vec<Effect> {
    if !m.settings.outbox {
        return Vec::new();
    }
    let mut effects = Vec::new();
    for s in &mut m.sessions {
        let Some(catalog) = s.catalog().cloned() else {
            continue;
        };
        if s.outbox_ready
            .as_ref()
            .is_some_and(|r| Arc::ptr_eq(r, &catalog))
        {
            continue;
        }
        s.outbox_ready = Some(Arc::clone(&catalog));
        effects.push(Effect::Outbox(OutboxOp::Ready {
            profile: s.id,
            catalog,
            account: s.account.clone(),
        }));
    }
    effects
}

pub fn event(m: &mut Model, event: OutboxEvent) -> Vec<Effect> {
    match event {
        OutboxEvent::Listed { profile, items } => {
            if let Some(s) = m.session_mut(profile)
                && s.outbox != items
            {
                s.outbox = items;
                s.outbox_version += 1;
            }
            Vec::new()
        }
        OutboxEvent::Queued { id, .. } => match m.drafts_sent.remove(&id) {
            // The reply is safe in the outbox: its draft has done its job.
            Some(key) => vec![Effect::Store(StoreOp::DeleteDraft { key })],
            None => Vec::new(),
        },
        OutboxEvent::NotQueued { id, reason, .. } => {
            let kept = m.drafts_sent.remove(&id).is_some();
            let text = if kept {
                format!("the reply was not queued ({reason}); it is kept as a draft: press c")
            } else {
                format!("the change was not queued ({reason}); nothing was sent")
            };
            m.notify(NoticeLevel::Error, text);
            Vec::new()
        }
        OutboxEvent::Delivered {
            profile,
            subject,
            what,
        } => {
            let Subject::Ticket(ticket) = subject else {
                m.notify(
                    NoticeLevel::Info,
                    format!("{what} {}: delivered", shown(m, profile, &subject)),
                );
                // Read the news again: the server's version of what was just written.
                return super::news::delivered(m, profile, &subject);
            };
            let shown = shown_id(m, profile, &ticket);
            m.notify(NoticeLevel::Info, format!("{what} on {shown}: delivered"));
            let key = TicketKey {
                profile,
                id: ticket,
            };
            // Show the server's version of what was just changed.
            let mut effects = super::approvals::delivered(m, &key);
            if m.detail.open.as_ref() == Some(&key) {
                effects.extend(super::load::reload_detail(m, &key));
            }
            effects
        }
        OutboxEvent::Refused {
            profile,
            subject,
            what,
            reason,
        } => {
            let on = match &subject {
                Subject::Ticket(ticket) => format!("on {}", shown_id(m, profile, ticket)),
                _ => shown(m, profile, &subject),
            };
            let key = m
                .keymap
                .key_for(
                    crate::config::keymap::Context::Global,
                    super::action::Action::Outbox,
                )
                .unwrap_or_else(|| ":outbox".into());
            m.notify(
                NoticeLevel::Error,
                format!("{what} {on} was refused: {reason} (kept in the outbox: {key})"),
            );
            Vec::new()
        }
        OutboxEvent::Busy { .. } => {
            m.notify(
                NoticeLevel::Warning,
                "that write is being sent right now; try again when it has settled",
            );
            Vec::new()
        }
    }
}

/// A news subject as notices name it: "“Mail is down”", "(news)".
fn shown(m: &Model, profile: ProfileId, subject: &Subject) -> String {
    match subject {
        Subject::Ticket(ticket) => shown_id(m, profile, ticket),
        Subject::News(id) => super::news::title(m, profile, id)
            .map_or_else(|| format!("(news {id})"), |t| format!("“{t}”")),
        Subject::NewNews => "(new item)".into(),
    }
}

/// The request's id as the service desk shows it ("HR-#1600"), else "#1600".
fn shown_id(m: &Model, profile: ProfileId, ticket: &crate::domain::TicketId) -> String {
    m.session(profile)
        .and_then(|s| s.rows.get(ticket))
        .map_or_else(|| format!("#{ticket}"), |t| t.display_id.to_string())
}

/// Pending and failed writes over every profile, for the status bar.
pub fn tally(m: &Model) -> (usize, usize) {
    m.sessions
        .iter()
        .flat_map(|s| &s.outbox)
        .fold((0, 0), |(pending, failed), item| {
            if item.failed() {
                (pending, failed + 1)
            } else {
                (pending + 1, failed)
            }
        })
}
