//! Plays the back ends for tests: [`answer`] answers provider calls from the fixtures and runs
//! filter passes synchronously, so a pure `update` test reads as a script; [`ScriptedInput`]
//! feeds keys into the real event loop and records when the terminal was handed over.

use std::io;
use std::sync::{Arc, Mutex, PoisonError};

use crossterm::event::Event;
use tokio::sync::mpsc;

use crate::app::input::Input;
use crate::app::{Effect, Matcher, Model, Msg, RequestId, StoreOp, Stored, update};
use crate::domain::{Capabilities, Counts, Page, Probe, ProfileId, ServerInfo};
use crate::provider::{Answer, Call, ProviderError};
use crate::text::SafeText;

/// The fixture provider's answer to `call` for `profile`.
pub fn fixture_answer(profile: ProfileId, call: &Call) -> Answer {
    match call {
        Call::ChooseAccount { .. } => Answer::Probe(Err(
            crate::provider::ProviderError::Unsupported("choosing an account"),
        )),
        Call::Probe => Answer::Probe(Ok(Probe {
            server: ServerInfo {
                product: "InvGate Service Management".into(),
                version: SafeText::line("v8.15.13"),
                via: None,
            },
            capabilities: Capabilities {
                writes: false,
                ..Capabilities::EVERYTHING
            },
            accounts: None,
            account: None,
        })),
        Call::Catalog { .. } => Answer::Catalog(Ok(Arc::new(super::catalog()))),
        Call::Counts { .. } => {
            let tickets = super::tickets_of(profile.0);
            Answer::Counts(Ok(Counts::tally(
                tickets
                    .iter()
                    .map(|t| (t.help_desk.as_ref().map(|d| &d.id), Some(&t.status.id))),
            )))
        }
        Call::List { .. } => {
            let items = super::tickets_of(profile.0);
            Answer::Page(Ok(Page {
                unreadable: 0,
                total: Some(items.len() as u64),
                items,
                next: None,
            }))
        }
        Call::Detail { id, .. } => Answer::Detail(
            super::detail_of(profile.0, id.as_str())
                .map(Arc::new)
                .ok_or_else(|| ProviderError::NotFound(SafeText::line(id.as_str()))),
        ),
        Call::Agent { .. } => Answer::Agent(Err(ProviderError::Unsupported("writes"))),
        Call::Write { .. } => Answer::Written(Err(ProviderError::Unsupported("writes"))),
        Call::Reconcile { .. } => Answer::Reconciled(Err(ProviderError::Unsupported("writes"))),
        Call::Approvals { tickets, .. } => {
            Answer::Approvals(Ok(super::approvals_of(profile.0, tickets)))
        }
        Call::ApprovalTemplates { .. } => Answer::ApprovalTemplates(Ok(Vec::new())),
        Call::Kb(kb) => Answer::Kb(super::kb_answer(kb)),
        Call::News { .. } => Answer::News(Ok(Arc::new(super::news_of(profile.0)))),
        Call::NewsDetail { id, .. } => Answer::NewsDetail(
            super::news_detail_of(profile.0, id)
                .map(Arc::new)
                .ok_or_else(|| ProviderError::NotFound(SafeText::line(id))),
        ),
        Call::NewsTimeline { id, .. } => Answer::NewsTimeline(
            super::news_detail_of(profile.0, id)
                .map(|d| d.updates)
                .ok_or_else(|| ProviderError::NotFound(SafeText::line(id))),
        ),
    }
}

/// `Msg::Start`, with the store's answers given (nothing saved, as on a fresh machine): what
/// start-up asks of the providers, and the effects nothing answers.
pub fn start(m: &mut Model) -> Vec<Effect> {
    let (loads, mut asked): (Vec<_>, Vec<_>) = update(m, Msg::Start)
        .into_iter()
        .partition(|e| matches!(e, Effect::Store(StoreOp::Load { .. })));
    // The store answers after start-up's calls went out.
    for load in loads {
        if let Effect::Store(StoreOp::Load { profile }) = load {
            asked.extend(update(
                m,
                Msg::Stored(Stored::Profile {
                    profile,
                    saved: Box::default(),
                }),
            ));
        }
    }
    asked
}

/// A reply for [`settle_with`] and [`answer_with`]: the fixtures' answer to every call but a
/// listing's pages, which are left for the test to deliver.
pub fn all_but_lists(profile: ProfileId, call: &Call) -> Option<Answer> {
    (!matches!(call, Call::List { .. })).then(|| fixture_answer(profile, call))
}

/// The (profile, id) of the only call among `effects` that `pick` picks.
pub fn find_call(effects: &[Effect], pick: impl Fn(&Call) -> bool) -> (ProfileId, RequestId) {
    let found: Vec<(ProfileId, RequestId)> = effects
        .iter()
        .filter_map(|e| match e {
            Effect::Call { profile, id, call } if pick(call) => Some((*profile, *id)),
            _ => None,
        })
        .collect();
    assert_eq!(found.len(), 1, "expected one matching call in {effects:?}");
    found[0]
}

/// Hands `answer` to the model as the answer to call `id` of `profile`; returns what it asks
/// for next, unsettled.
pub fn deliver(m: &mut Model, profile: ProfileId, id: RequestId, answer: Answer) -> Vec<Effect> {
    update(
        m,
        Msg::Answer {
            profile,
            id,
            answer,
        },
    )
}

/// Answers every call among `effects` from the fixtures and runs every filter pass; returns what
/// those answers asked for next, plus the effects nothing answers (timers, store writes). A
/// profile's saved data is asked for and found empty, as on a fresh machine.
pub fn answer(m: &mut Model, effects: Vec<Effect>) -> Vec<Effect> {
    answer_with(m, effects, |p, call| Some(fixture_answer(p, call)))
}

/// As [`answer`], with `reply` choosing each call's answer (`None` leaves the call unanswered,
/// and returned).
pub fn answer_with(
    m: &mut Model,
    effects: Vec<Effect>,
    mut reply: impl FnMut(ProfileId, &Call) -> Option<Answer>,
) -> Vec<Effect> {
    let mut next = Vec::new();
    let mut matcher = Matcher::default();
    for effect in effects {
        match effect {
            Effect::Call { profile, id, call } => match reply(profile, &call) {
                Some(answer) => next.extend(update(
                    m,
                    Msg::Answer {
                        profile,
                        id,
                        answer,
                    },
                )),
                None => next.push(Effect::Call { profile, id, call }),
            },
            // A fresh machine's store: nothing saved.
            Effect::Store(StoreOp::Load { profile }) => next.extend(update(
                m,
                Msg::Stored(Stored::Profile {
                    profile,
                    saved: Box::default(),
                }),
            )),
            Effect::Match(job) => {
                if let Some(matched) = matcher.run(&job, &|| false) {
                    next.extend(update(m, Msg::Matched(matched)));
                }
            }
            other => next.push(other),
        }
    }
    next
}

/// Answers calls and runs passes until none is left; returns the effects nothing answers.
pub fn settle(m: &mut Model, effects: Vec<Effect>) -> Vec<Effect> {
    settle_with(m, effects, |p, call| Some(fixture_answer(p, call)))
}

/// As [`settle`], with `reply` choosing each call's answer; calls it leaves unanswered are
/// returned with the rest.
pub fn settle_with(
    m: &mut Model,
    mut effects: Vec<Effect>,
    mut reply: impl FnMut(ProfileId, &Call) -> Option<Answer>,
) -> Vec<Effect> {
    let mut rest = Vec::new();
    for round in 0.. {
        let (work, other): (Vec<_>, Vec<_>) = effects.into_iter().partition(|e| {
            matches!(
                e,
                Effect::Call { .. } | Effect::Match(_) | Effect::Store(StoreOp::Load { .. })
            )
        });
        rest.extend(other);
        if work.is_empty() {
            break;
        }
        // A model that keeps asking is a bug to see, not a half-settled state to test.
        assert!(
            round < 100,
            "effects never settled after 100 rounds: {work:?}"
        );
        let mut declined = Vec::new();
        let produced = answer_with(m, work, |p, call| {
            let answer = reply(p, call);
            if answer.is_none() {
                declined.push((p, call.clone()));
            }
            answer
        });
        // Calls `reply` left unanswered come back as they were: keep them, do not ask again.
        effects = Vec::new();
        for effect in produced {
            match &effect {
                Effect::Call { profile, call, .. }
                    if declined.iter().any(|(p, c)| p == profile && c == call) =>
                {
                    rest.push(effect)
                }
                _ => effects.push(effect),
            }
        }
    }
    rest
}

/// What happened to a [`ScriptedInput`], in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InputLog {
    Released,
    Reclaimed,
    /// The loop asked for a key while the terminal was handed over: a key a child program
    /// should have had.
    PolledWhileReleased,
}

/// Keys for the real loop, sent by the test through the sender [`ScriptedInput::new`] returns.
/// Dropping the sender ends the input (and the loop).
#[derive(Debug)]
pub struct ScriptedInput {
    events: mpsc::UnboundedReceiver<Event>,
    released: bool,
    pub log: Arc<Mutex<Vec<InputLog>>>,
}

impl ScriptedInput {
    pub fn new() -> (ScriptedInput, mpsc::UnboundedSender<Event>) {
        let (tx, events) = mpsc::unbounded_channel();
        let input = ScriptedInput {
            events,
            released: false,
            log: Arc::default(),
        };
        (input, tx)
    }

    fn record(&self, what: InputLog) {
        self.log
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(what);
    }
}

impl Input for ScriptedInput {
    async fn next(&mut self) -> Option<io::Result<Event>> {
        if self.released {
            self.record(InputLog::PolledWhileReleased);
            return std::future::pending().await;
        }
        self.events.recv().await.map(Ok)
    }

    fn pending(&mut self) -> bool {
        !self.released && !self.events.is_empty()
    }

    fn release(&mut self) -> io::Result<()> {
        self.released = true;
        self.record(InputLog::Released);
        Ok(())
    }

    fn reclaim(&mut self) -> io::Result<()> {
        self.released = false;
        self.record(InputLog::Reclaimed);
        Ok(())
    }
}
