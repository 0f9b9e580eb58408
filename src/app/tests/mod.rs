//! Behaviour of `update` as an agent would notice it: loading order, navigation, filters, modes,
//! several profiles, saved data, stale answers, errors. No terminal, no network: effects are
//! inspected and answered from the fixtures (`testing::answer`), filter passes run inline.

mod accounts;
mod approvals;
mod conveniences;
mod filter;
mod kb;
mod loading;
mod modes;
mod navigation;
mod news;
mod news_writes;
mod profiles;
mod saved;
mod writes;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::*;
use crate::domain::ProfileId;
use crate::provider::Call;
use crate::testing;

fn key(code: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

fn ch(c: char) -> Msg {
    key(KeyCode::Char(c))
}

/// The status bar's notice, or nothing.
fn notice(m: &Model) -> String {
    m.notice
        .as_ref()
        .map(|n| n.text.clone())
        .unwrap_or_default()
}

/// Sends `msg` and settles what it asks for from the fixtures.
fn send(m: &mut Model, msg: Msg) -> Vec<Effect> {
    let effects = update(m, msg);
    testing::settle(m, effects)
}

/// One key press per character of `keys`.
fn chars(keys: &str) -> Vec<Msg> {
    keys.chars().map(ch).collect()
}

/// Sends `msgs` in one go without settling anything: keys typed ahead of the
/// work they start. Returns every effect they asked for, to settle later.
fn type_ahead(m: &mut Model, msgs: impl IntoIterator<Item = Msg>) -> Vec<Effect> {
    msgs.into_iter().flat_map(|msg| update(m, msg)).collect()
}

/// Types each character of `keys` as a key press, settling after each.
fn press(m: &mut Model, keys: &str) {
    for c in keys.chars() {
        send(m, ch(c));
    }
}

/// The calls among `effects`, as (profile, id, call).
fn calls(effects: &[Effect]) -> Vec<(ProfileId, RequestId, Call)> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::Call { profile, id, call } => Some((*profile, *id, call.clone())),
            _ => None,
        })
        .collect()
}

/// The id of the only call matching `pick`.
fn find(effects: &[Effect], pick: impl Fn(&Call) -> bool) -> (ProfileId, RequestId) {
    testing::find_call(effects, pick)
}

/// Rows drawn, as request ids.
fn rows(m: &Model) -> Vec<String> {
    (0..m.requests.len())
        .filter_map(|i| m.requests.row(i))
        .map(|c| c.key.id.to_string())
        .collect()
}

fn selected(m: &Model) -> Option<String> {
    m.requests.selected_key().map(|k| k.id.to_string())
}

/// Rows of the tree as (label, count).
fn tree(m: &Model) -> Vec<(String, Option<u64>)> {
    queue_rows(m)
        .into_iter()
        .map(|r| (r.label.to_string(), r.count))
        .collect()
}

fn answer(
    m: &mut Model,
    profile: ProfileId,
    id: RequestId,
    answer: crate::provider::Answer,
) -> Vec<Effect> {
    testing::deliver(m, profile, id, answer)
}
