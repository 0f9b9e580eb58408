//! The approvals pane: the approvals waiting for the agent's vote on every open profile (`A`,
//! `:approvals`), or every approval of the open request (`A` in Detail). Enter reads one (the
//! request, the description, every voter and their vote); `a` approves and `x` rejects (a note
//! is asked for, required to reject, then a confirmation names the profile, the request and the
//! vote); `c` cancels an approval the agent asked for; `v` adds a voter; `n` asks someone for a
//! new approval and `t` starts one from the request's templates; `o` opens the request.

use super::action::Action;
use super::approvals::{self, waiting};
use super::keys::moved;
use super::mode::Mode;
use super::model::{Model, NoticeLevel};
use super::msg::{Effect, RequestId};
use super::picker::{self, Pick};
use super::writes;
use crate::domain::{Approval, ApprovalTemplate, ProfileId, TicketKey, Vote, Write};
use crate::provider::Call;

/// Which approvals the pane lists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// Waiting for the agent's vote, every profile.
    Mine,
    /// Every approval of one request.
    Request(TicketKey),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApprovalView {
    pub scope: Scope,
    pub cursor: usize,
    /// The approval open for reading (its voters shown), by profile and id: when it leaves the
    /// list (the agent's vote was counted) the list shows again.
    pub reading: Option<(ProfileId, String)>,
    /// The templates call whose answer opens the template picker.
    pub templates: Option<RequestId>,
}

/// One approval the pane lists, with its profile.
#[derive(Debug, Clone, Copy)]
pub struct Item<'a> {
    pub profile: ProfileId,
    pub approval: &'a Approval,
}

impl ApprovalView {
    /// Where the approval being read is in `items`, if it is still there.
    pub fn read_at(&self, items: &[Item<'_>]) -> Option<usize> {
        let (profile, id) = self.reading.as_ref()?;
        items
            .iter()
            .position(|i| i.profile == *profile && &i.approval.id == id)
    }

    /// The approval the keys act on: the one being read, else the one under the cursor.
    pub fn selected(&self, items: &[Item<'_>]) -> Option<usize> {
        self.read_at(items)
            .or_else(|| (!items.is_empty()).then(|| self.cursor.min(items.len() - 1)))
    }
}

impl Item<'_> {
    pub fn key(&self) -> TicketKey {
        TicketKey {
            profile: self.profile,
            id: self.approval.ticket.clone(),
        }
    }
}

/// What the pane lists for `view`, in order.
pub fn items<'a>(m: &'a Model, view: &ApprovalView) -> Vec<Item<'a>> {
    match &view.scope {
        Scope::Mine => waiting(m)
            .into_iter()
            .map(|w| Item {
                profile: w.profile,
                approval: w.approval,
            })
            .collect(),
        Scope::Request(key) => m
            .session(key.profile)
            .and_then(|s| s.details.get(&key.id))
            .and_then(|d| d.data())
            .map(|d| {
                d.approvals
                    .iter()
                    .map(|approval| Item {
                        profile: key.profile,
                        approval,
                    })
                    .collect()
            })
            .unwrap_or_default(),
    }
}

/// The write for this approval waiting in the outbox, if any: drawn as pending.
pub fn pending_write<'a>(m: &'a Model, item: &Item<'_>) -> Option<&'a Write> {
    m.session(item.profile)?
        .outbox
        .iter()
        .filter_map(|o| o.queued.as_ref())
        .map(|q| &q.write)
        .find(|w| w.approval() == Some(item.approval.id.as_str()))
}

/// `A`, `:approvals`: the approvals waiting for the agent's vote.
pub fn open_mine(m: &mut Model) -> Vec<Effect> {
    m.mode = Mode::Approvals(Box::new(ApprovalView {
        scope: Scope::Mine,
        cursor: 0,
        reading: None,
        templates: None,
    }));
    if m.sessions.iter().all(|s| s.label.agent.is_none()) {
        m.notify(
            NoticeLevel::Info,
            "to see the approvals waiting for you, add agent = \"<your user name>\" to a profile",
        );
    }
    Vec::new()
}

/// `A` in Detail: every approval of the open request.
pub fn open_request(m: &mut Model) -> Vec<Effect> {
    let Some(key) = m.detail.open.clone() else {
        return open_mine(m);
    };
    m.mode = Mode::Approvals(Box::new(ApprovalView {
        scope: Scope::Request(key),
        cursor: 0,
        reading: None,
        templates: None,
    }));
    Vec::new()
}

pub fn action(m: &mut Model, action: Action) -> Vec<Effect> {
    let Mode::Approvals(view) = &m.mode else {
        return Vec::new();
    };
    let view = (**view).clone();
    let list = items(m, &view);
    let len = list.len();
    let at = view.selected(&list);
    let reading = view.read_at(&list).is_some();
    let key_at = |i: usize| list.get(i).map(|i| (i.profile, i.approval.id.clone()));
    let chosen = at
        .and_then(|i| list.get(i))
        .map(|i| (i.profile, i.approval.clone()));
    let set = |m: &mut Model, v: ApprovalView| m.mode = Mode::Approvals(Box::new(v));
    match action {
        Action::Close | Action::Cancel | Action::Back | Action::Approvals => {
            if reading {
                let cursor = at.unwrap_or(view.cursor);
                drop(list);
                set(
                    m,
                    ApprovalView {
                        reading: None,
                        cursor,
                        ..view
                    },
                );
            } else {
                m.mode = Mode::Normal;
            }
        }
        Action::Up
        | Action::Down
        | Action::Top
        | Action::Bottom
        | Action::PageUp
        | Action::PageDown => {
            let cursor = moved(at.unwrap_or(0), len, action, 5);
            // While reading, the next one is read.
            let next = if reading { key_at(cursor) } else { None };
            drop(list);
            set(
                m,
                ApprovalView {
                    cursor,
                    reading: next,
                    ..view
                },
            );
        }
        Action::Open => {
            let next = if reading { None } else { at.and_then(key_at) };
            drop(list);
            set(
                m,
                ApprovalView {
                    cursor: at.unwrap_or(view.cursor),
                    reading: next,
                    ..view
                },
            );
        }
        Action::Approve | Action::RejectApproval => {
            if let Some((profile, a)) = chosen {
                return vote(m, profile, &a, action == Action::Approve);
            }
        }
        Action::CancelApproval => {
            if let Some((profile, a)) = chosen {
                return cancel(m, profile, &a);
            }
        }
        Action::AddVoter => {
            if let Some((profile, a)) = chosen {
                let key = key_of(profile, &a);
                if let Err(why) = usable(m, profile, &a) {
                    m.notify(NoticeLevel::Warning, why);
                    return Vec::new();
                }
                return picker::open_for(m, key, Pick::Voter, Some(a.id), Vec::new());
            }
        }
        Action::AskApproval => {
            if let Some(key) = target(m, &view, chosen.as_ref()) {
                if let Err(why) = writes::may_write(m, key.profile) {
                    m.notify(NoticeLevel::Warning, why);
                    return Vec::new();
                }
                return picker::open_for(m, key, Pick::Approver, None, Vec::new());
            }
        }
        Action::TemplateApproval => {
            if let Some(key) = target(m, &view, chosen.as_ref()) {
                if let Err(why) = writes::may_write(m, key.profile) {
                    m.notify(NoticeLevel::Warning, why);
                    return Vec::new();
                }
                let id = m.next_request_id();
                set(
                    m,
                    ApprovalView {
                        templates: Some(id),
                        ..view
                    },
                );
                m.notify(NoticeLevel::Info, "loading the approval templates…");
                return vec![Effect::Call {
                    profile: key.profile,
                    id,
                    call: Call::ApprovalTemplates { ticket: key.id },
                }];
            }
        }
        Action::OpenRequest => {
            if let Some(key) = chosen
                .map(|(p, a)| key_of(p, &a))
                .or_else(|| target(m, &view, None))
            {
                return super::load::show_request(m, key);
            }
        }
        Action::Refresh => {
            let mut effects = super::load::refresh_all(m);
            let ids: Vec<ProfileId> = m.sessions.iter().map(|s| s.id).collect();
            for p in ids {
                effects.extend(approvals::recheck(m, p, None));
            }
            return effects;
        }
        Action::Help => super::keys::open_help(m),
        _ => {}
    }
    Vec::new()
}

fn key_of(profile: ProfileId, a: &Approval) -> TicketKey {
    TicketKey {
        profile,
        id: a.ticket.clone(),
    }
}

/// The request a new approval goes on: the pane's request, else the selected approval's.
fn target(
    m: &Model,
    view: &ApprovalView,
    chosen: Option<&(ProfileId, Approval)>,
) -> Option<TicketKey> {
    match &view.scope {
        Scope::Request(key) => Some(key.clone()),
        Scope::Mine => chosen
            .map(|(p, a)| key_of(*p, a))
            .or_else(|| m.detail.open.clone()),
    }
}

/// Whether the approval still takes changes from this agent.
fn usable(m: &Model, profile: ProfileId, a: &Approval) -> Result<(), String> {
    if let Some(s) = m.session(profile)
        && s.capabilities.is_some_and(|c| c.approvals && !c.votes)
    {
        let vendor = &s.label.vendor;
        return Err(format!(
            "{vendor} decisions are made in {vendor}: its API shows them but takes no votes"
        ));
    }
    writes::may_write(m, profile)?;
    if a.status != crate::domain::ApprovalStatus::Waiting {
        return Err(format!("this approval is {} already", a.status_text()));
    }
    Ok(())
}

fn vote(m: &mut Model, profile: ProfileId, a: &Approval, approve: bool) -> Vec<Effect> {
    if let Err(why) = usable(m, profile, a) {
        m.notify(NoticeLevel::Warning, why);
        return Vec::new();
    }
    let Some(me) = approvals::me(m, profile).cloned() else {
        return Vec::new();
    };
    match a.vote_of(&me) {
        Some(Vote::Waiting) => {}
        None => {
            m.notify(
                NoticeLevel::Warning,
                "you are not one of this approval's voters (v adds a voter)",
            );
            return Vec::new();
        }
        Some(v) => {
            m.notify(
                NoticeLevel::Warning,
                format!("your vote on this approval is {} already", v.word()),
            );
            return Vec::new();
        }
    }
    let what = format!("approval {} on #{}", a.id, a.ticket);
    super::prompt::vote(m, key_of(profile, a), a.id.clone(), approve, &what)
}

fn cancel(m: &mut Model, profile: ProfileId, a: &Approval) -> Vec<Effect> {
    if let Err(why) = usable(m, profile, a) {
        m.notify(NoticeLevel::Warning, why);
        return Vec::new();
    }
    let me = approvals::me(m, profile).cloned();
    if a.author.as_ref().map(|p| &p.id) != me.as_ref() {
        let who = a
            .author
            .as_ref()
            .map_or_else(|| "its author".to_string(), |p| p.name.to_string());
        m.notify(
            NoticeLevel::Warning,
            format!("only the one who asked for this approval ({who}) can cancel it"),
        );
        return Vec::new();
    }
    let write = Write::CancelApproval {
        ticket: a.ticket.clone(),
        approval: a.id.clone(),
    };
    writes::submit_or_say(m, profile, write)
}

/// Whether the templates call `id` is the one the pane waits for.
pub fn templates_awaited(m: &Model, id: RequestId) -> bool {
    matches!(&m.mode, Mode::Approvals(v) if v.templates == Some(id))
}

/// The templates arrived: the picker opens over them (or the pane says there are none).
pub fn templates_arrived(
    m: &mut Model,
    p: ProfileId,
    id: RequestId,
    list: Vec<ApprovalTemplate>,
) -> Vec<Effect> {
    if !templates_awaited(m, id) {
        return Vec::new();
    }
    let Mode::Approvals(view) = &mut m.mode else {
        return Vec::new();
    };
    view.templates = None;
    let view = (**view).clone();
    let shown = items(m, &view);
    let chosen = view
        .selected(&shown)
        .and_then(|i| shown.get(i))
        .map(|i| (i.profile, i.approval.clone()));
    drop(shown);
    let Some(key) = target(m, &view, chosen.as_ref()).filter(|k| k.profile == p) else {
        return Vec::new();
    };
    if list.is_empty() {
        m.notify(
            NoticeLevel::Info,
            format!(
                "#{} has no approval templates; n asks a person instead",
                key.id
            ),
        );
        return Vec::new();
    }
    m.notice = None;
    picker::open_for(m, key, Pick::Template, None, list)
}

/// Lines a vote's or cancellation's confirmation adds: which approval, and the note.
pub fn confirm_lines(m: &Model, profile: ProfileId, write: &Write) -> Vec<String> {
    let (Some(approval), Some(ticket)) = (write.approval(), write.ticket()) else {
        return Vec::new();
    };
    let s = m.session(profile);
    let found = s.and_then(|s| {
        s.approvals
            .get(ticket)
            .and_then(|c| c.pending.iter().find(|a| a.id == approval))
            .or_else(|| {
                s.details
                    .get(ticket)
                    .and_then(|d| d.data())
                    .and_then(|d| d.approvals.iter().find(|a| a.id == approval))
            })
            .cloned()
    });
    let mut lines = Vec::new();
    if let Some(a) = found {
        lines.push(format!(
            "approval: {}",
            one_line(a.description.as_str(), 60)
        ));
    }
    if let Write::Vote { note, .. } = write
        && !note.trim().is_empty()
    {
        lines.push(format!("note: {}", one_line(note, 60)));
    }
    lines
}

fn one_line(text: &str, max: usize) -> String {
    let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= max {
        flat
    } else {
        let cut: String = flat.chars().take(max.saturating_sub(1)).collect();
        format!("{cut}…")
    }
}
