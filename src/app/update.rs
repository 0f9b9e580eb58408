//! [`update`]: the one place the model changes. Pure: no IO, no clock (it reads `Model::now`), no
//! terminal. It returns the IO it wants as [`Effect`]s. After every step, [`settle`] brings what
//! is derived up to date in one place: the Requests pane's input, the geometry-bound state
//! (scroll offsets, the detail's wrapped lines), and the notice's timer.

use super::keys;
use super::load;
use super::model::Model;
use super::msg::{Effect, Msg, Timer};
use super::queues;
use super::requests::Inputs;
use super::restore;
use crate::domain::Capabilities;

pub fn update(m: &mut Model, msg: Msg) -> Vec<Effect> {
    let mut effects = match msg {
        Msg::Start => load::start(m),
        Msg::Key(event) => keys::key(m, event),
        Msg::Resize { width, height } => {
            m.size = (width, height);
            Vec::new()
        }
        Msg::Mouse(mouse) => super::mouse::event(m, mouse),
        Msg::Answer {
            profile,
            id,
            answer,
        } => load::answer(m, profile, id, answer),
        Msg::Matched(matched) => {
            let top_stays = m.deferred_keys.is_empty();
            if m.requests.matched(matched, top_stays) {
                keys::replay(m)
            } else {
                Vec::new()
            }
        }
        Msg::Stored(stored) => restore::stored(m, stored),
        Msg::Timer(timer) => match timer {
            Timer::Notice => {
                m.notice_timer = None;
                if m.notice.as_ref().is_some_and(|n| n.until <= m.now) {
                    m.notice = None;
                }
                Vec::new()
            }
            Timer::Clock => vec![Effect::SetTimer {
                timer: Timer::Clock,
                after: load::CLOCK,
            }],
            Timer::RateLimit(p) => load::pause_over(m, p),
            Timer::Draft => super::composer::save(m),
            Timer::Approvals => super::approvals::tick(m),
            Timer::News => super::news::tick(m),
            Timer::KbSearch => super::kb::search(m),
        },
        Msg::Resumed { id, outcome } => {
            let mut effects = Vec::new();
            let editing = m.composer_editor == Some(id);
            if editing {
                m.composer_editor = None;
            }
            match outcome {
                Ok(Some(text)) if editing => effects.extend(super::composer::edited(m, text)),
                Ok(_) => {}
                Err(why) => m.notify(super::model::NoticeLevel::Error, why),
            }
            // Keys typed before the hand-over that waited behind it.
            effects.extend(keys::replay(m));
            effects
        }
        Msg::Outbox(event) => super::writes::event(m, event),
        Msg::Tick => Vec::new(),
    };
    effects.extend(settle(m));
    effects
}

/// The queue's requests, rebuilt when the queue, the status filter or any listing or rows they
/// come from changed: a pass for the worker, or nothing when they are up to date.
pub(super) fn rebuild_rows(m: &mut Model) -> Option<Effect> {
    // A status filter none of the queue's profiles has would list nothing and mark nothing.
    if let Some(filter) = &m.queues.status_filter
        && !queues::status_rows(m)
            .iter()
            .any(|r| r.key.as_ref() == Some(filter))
        && queues::sessions_of(m, &m.queues.selected).any(|s| s.catalog().is_some())
    {
        m.queues.status_filter = None;
    }
    let inputs = Inputs {
        queue: m.queues.selected.clone(),
        status_filter: m.queues.status_filter.clone(),
        versions: m
            .sessions
            .iter()
            .map(|s| (s.listing.version(), s.rows.version()))
            .collect(),
    };
    if m.requests.inputs.as_ref() == Some(&inputs) {
        return None;
    }
    let from_top =
        m.requests.inputs.as_ref().is_none_or(|old| {
            old.queue != inputs.queue || old.status_filter != inputs.status_filter
        });
    let candidates = queues::members(m, &inputs.queue);
    let job = m.requests.set_candidates(candidates, from_top);
    m.requests.inputs = Some(inputs);
    Some(Effect::Match(job))
}

/// Brings derived state up to date after a step.
fn settle(m: &mut Model) -> Vec<Effect> {
    let mut effects: Vec<Effect> = rebuild_rows(m).into_iter().collect();
    effects.extend(super::writes::ready(m));
    let screen = m.screen();
    // The tree: the selection always names a row (a desk that vanished falls back to its
    // profile), and the tree scrolls to keep it in view.
    let rows = queues::rows(m);
    let at = match rows.iter().position(|r| r.key == m.queues.selected) {
        Some(at) => at,
        None => {
            let fallback = m
                .queues
                .selected
                .profile()
                .map(queues::QueueKey::Profile)
                .and_then(|p| rows.iter().position(|r| r.key == p))
                .unwrap_or(0);
            if let Some(row) = rows.get(fallback) {
                m.queues.selected = row.key.clone();
            }
            fallback
        }
    };
    // Offsets follow the cursor in panes on screen; a hidden pane keeps its place.
    if screen.queues.is_some() {
        m.queues.offset = scrolled(m.queues.offset, at, screen.queue_rows());
    }
    // The list.
    m.requests.cursor = m.requests.cursor.min(m.requests.len().saturating_sub(1));
    if screen.requests.is_some() {
        m.requests.offset = scrolled(m.requests.offset, m.requests.cursor, screen.request_rows());
    }
    // The detail, laid out at the width it is drawn at, and its scroll bounded by it.
    if screen.detail.is_some() {
        let width = screen.detail_text().width;
        // The detail pane and the sessions are borrowed apart: the outbox is read in place,
        // not copied on every step.
        let session = m
            .detail
            .open
            .as_ref()
            .and_then(|k| m.sessions.get(usize::from(k.profile.0)).map(|s| (s, k)));
        let (data, caps, outbox, version, web) = match session {
            Some((s, key)) => (
                s.details.get(&key.id).and_then(|d| d.data()).cloned(),
                s.capabilities.unwrap_or(Capabilities::EVERYTHING),
                s.outbox.as_slice(),
                s.outbox_version,
                s.label.web.as_ref(),
            ),
            None => (None, Capabilities::EVERYTHING, &[][..], 0, None),
        };
        m.detail
            .relayout(data.as_ref(), width, caps, (outbox, version), web);
        let max = m.detail.lines().len().saturating_sub(screen.detail_rows());
        m.detail.scroll = m.detail.scroll.min(max);
    }
    // The notice fades by a timer, not by ticking.
    match (&m.notice, m.notice_timer) {
        (Some(notice), set) if set != Some(notice.until) => {
            let after = (notice.until - m.now).to_std().unwrap_or_default();
            m.notice_timer = Some(notice.until);
            effects.push(Effect::SetTimer {
                timer: Timer::Notice,
                after,
            });
        }
        (None, Some(_)) => {
            m.notice_timer = None;
            effects.push(Effect::CancelTimer(Timer::Notice));
        }
        _ => {}
    }
    effects
}

/// The first visible line for a list of `visible` lines, moved as little as possible so the
/// cursor stays in view: the list scrolls, it does not jump.
pub fn scrolled(offset: usize, cursor: usize, visible: usize) -> usize {
    if cursor < offset {
        cursor
    } else if cursor >= offset + visible {
        cursor + 1 - visible
    } else {
        offset
    }
}
