//! Choosing the account a profile works in, for vendors whose one token reaches several
//! (Truto's integrated accounts: a Zendesk, a Jira…). The probe lists them; the picker shows
//! each with its state, and one that cannot be used (it needs re-authorising, its install
//! failed) says why instead of being chosen. Nothing of the profile loads before a choice;
//! after one, its catalog and queues load as any profile's do. `:account` picks again.

use super::mode::Mode;
use super::model::{Model, NoticeLevel};
use super::msg::{Effect, StoreOp};
use super::picker::{self, Pick, PickOption, PickValue};
use crate::domain::{ProfileId, TicketId, TicketKey};
use crate::provider::Call;

/// The probe listed accounts to pick from. The account worked in last (this run or an
/// earlier one) is opened again when it is still there and usable; otherwise the picker opens
/// (unless the agent is busy with something else, then the status bar says how to open it).
pub fn offer(m: &mut Model, p: ProfileId) -> Vec<Effect> {
    if let Some(effects) = resume(m, p) {
        return effects;
    }
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

/// Opens the account the profile's data is of, when the profile is waiting for a choice and
/// that account is offered and usable; `None` when there is nothing to resume.
pub fn resume(m: &mut Model, p: ProfileId) -> Option<Vec<Effect>> {
    let s = m.session(p)?;
    if s.account.is_some() || s.choosing.is_some() {
        return None;
    }
    let last = s.data_account.as_deref()?;
    let choice = s
        .accounts
        .as_ref()?
        .iter()
        .find(|c| c.id == last && c.problem.is_none())?;
    let text = format!(
        "{}: opening {}, the account worked in last (:account picks another)",
        s.label.name, choice.label
    );
    let id = choice.id.clone();
    // A picker opened for this profile before the saved account was known closes.
    if let Mode::Picker(picker) = &mut m.mode
        && picker.pick == super::picker::Pick::Account
        && picker.key.profile == p
    {
        m.mode = *std::mem::take(&mut picker.back);
    }
    m.notify(NoticeLevel::Info, text);
    Some(choose(m, p, id))
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

/// The chosen account answered: it is the profile's from now on, and everything loads. What
/// was shown of another account (saved or loaded) goes, on screen and in the store: its
/// request #12 is not this account's #12.
pub fn chosen(m: &mut Model, p: ProfileId, account: String) -> Vec<Effect> {
    let Some(s) = m.session_mut(p) else {
        return Vec::new();
    };
    let mut effects = Vec::new();
    if s.data_account.as_deref() != Some(account.as_str()) {
        s.forget_account_data();
        effects.push(Effect::Store(StoreOp::ForgetData { profile: p }));
        if m.detail.open.as_ref().is_some_and(|k| k.profile == p) {
            m.detail = super::detail::DetailPane::default();
            if m.focus == super::model::Focus::Detail {
                m.focus = super::model::Focus::Requests;
            }
        }
    }
    let Some(s) = m.session_mut(p) else {
        return effects;
    };
    s.data_account = Some(account.clone());
    s.account = Some(account.clone());
    effects.push(Effect::Store(StoreOp::SaveAccount {
        profile: p,
        account,
    }));
    // Another account's catalog is no use: it is read again, and the queues after it.
    s.catalog_loaded_at = None;
    let name = s.label.name.clone();
    let product = match &s.connection {
        super::session::Connection::Online(server) => server.product.clone(),
        _ => String::new(),
    };
    // Where there is another account to move to, the agent is told how.
    let others = s.accounts.as_ref().is_some_and(|a| a.len() > 1);
    let hint = if others {
        " (:account picks another)"
    } else {
        ""
    };
    m.notify(
        NoticeLevel::Info,
        format!("{name}: working in {product}{hint}"),
    );
    effects.extend(super::load::refresh(m, p));
    // Writes are made as the agent of this account.
    if let Some(s) = m.session_mut(p) {
        s.agent = super::writes::Agent::NotSet;
    }
    effects.extend(super::writes::look_up_agent(m, p));
    effects
}
