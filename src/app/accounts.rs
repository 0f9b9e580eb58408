//! Choosing the account a profile works in, for vendors whose one token reaches several
//! (Truto's integrated accounts: a Zendesk, a Jira…). The probe lists them; the picker shows
//! each with its state, and one that cannot be used (it needs re-authorising, its install
//! failed) says why instead of being chosen. Nothing of the profile loads before a choice;
//! after one, its catalog and queues load as any profile's do. `:account` picks again.

use super::mode::Mode;
use super::model::{Model, NoticeLevel};
use super::msg::Effect;
use super::picker::{self, Pick, PickOption, PickValue};
use crate::domain::{ProfileId, TicketId, TicketKey};
use crate::provider::Call;

/// The probe listed accounts to pick from: the picker opens (unless the agent is busy with
/// something else, then the status bar says how to open it).
pub fn offer(m: &mut Model, p: ProfileId) -> Vec<Effect> {
    if m.mode == Mode::Normal {
        return show(m, p);
    }
    let name = m
        .session(p)
        .map(|s| s.label.name.clone())
        .unwrap_or_default();
    m.notify(
        NoticeLevel::Warning,
        format!("{name}: pick the account to work in with :account"),
    );
    Vec::new()
}

/// `:account`: the picker for the selected profile, or the first that has accounts to pick.
pub fn open(m: &mut Model) -> Vec<Effect> {
    let selected = m.queues.selected.profile();
    let target = selected
        .filter(|p| m.session(*p).is_some_and(|s| s.accounts.is_some()))
        .or_else(|| {
            m.sessions
                .iter()
                .find(|s| s.accounts.is_some())
                .map(|s| s.id)
        });
    match target {
        Some(p) => show(m, p),
        None => {
            m.notify(
                NoticeLevel::Info,
                "no open profile has accounts to pick from (a Truto profile without \
                 integrated_account_id has)",
            );
            Vec::new()
        }
    }
}

fn show(m: &mut Model, p: ProfileId) -> Vec<Effect> {
    let Some(s) = m.session(p) else {
        return Vec::new();
    };
    let Some(choices) = s.accounts.clone() else {
        return Vec::new();
    };
    let current = s.account.clone();
    let title = format!("Account for {}", s.label.name);
    let options = choices
        .into_iter()
        .map(|c| PickOption {
            label: format!(
                "{} · {}{}",
                c.label,
                c.state,
                if current.as_deref() == Some(c.id.as_str()) {
                    " (in use)"
                } else {
                    ""
                }
            ),
            hint: if c.problem.is_some() {
                "cannot be used"
            } else {
                "account"
            },
            value: PickValue::Account {
                id: c.id,
                problem: c.problem.map(|why| why.to_string()),
            },
        })
        .collect();
    let key = TicketKey {
        profile: p,
        id: TicketId::from(""),
    };
    picker::show_titled(m, key, Pick::Account, title, options);
    Vec::new()
}

/// The agent picked `id` for `p`: the server is asked to open it (answered as a probe).
pub fn choose(m: &mut Model, p: ProfileId, id: String) -> Vec<Effect> {
    let request = m.next_request_id();
    let Some(s) = m.session_mut(p) else {
        return Vec::new();
    };
    s.probe = Some(request);
    s.choosing = Some((request, id.clone()));
    vec![Effect::Call {
        profile: p,
        id: request,
        call: Call::ChooseAccount { id },
    }]
}

/// The chosen account answered: it is the profile's from now on, and everything loads.
pub fn chosen(m: &mut Model, p: ProfileId, account: String) -> Vec<Effect> {
    let Some(s) = m.session_mut(p) else {
        return Vec::new();
    };
    s.account = Some(account);
    // Another account's catalog is no use: it is read again, and the queues after it.
    s.catalog_loaded_at = None;
    let name = s.label.name.clone();
    let product = match &s.connection {
        super::session::Connection::Online(server) => server.product.clone(),
        _ => String::new(),
    };
    m.notify(NoticeLevel::Info, format!("{name}: working in {product}"));
    let mut effects = super::load::refresh(m, p);
    // Writes are made as the agent of this account.
    if let Some(s) = m.session_mut(p) {
        s.agent = super::writes::Agent::NotSet;
    }
    effects.extend(super::writes::look_up_agent(m, p));
    effects
}
