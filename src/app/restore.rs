//! What the store answered: a profile's data from an earlier run goes on screen at once, marked
//! with its age, wherever this run has nothing fresher; the server's answers replace it as they
//! arrive.

use super::model::{Model, NoticeLevel};
use super::msg::{Effect, StoreOp, Stored};
use super::session::Connection;
use std::sync::Arc;

pub fn stored(m: &mut Model, stored: Stored) -> Vec<Effect> {
    match stored {
        Stored::Profile { profile, saved } => {
            let Some(s) = m.session_mut(profile) else {
                return Vec::new();
            };
            let saved = *saved;
            // Saved while the profile was in another account than the one it is in now (chosen
            // this run before the store answered, or configured): none of it is this account's.
            let chosen_now = s.data_account.is_some();
            if (chosen_now && saved.account != s.data_account)
                || (saved.account.is_some() && s.account.is_some() && saved.account != s.account)
            {
                let mut effects = Vec::new();
                // The configured account: what is saved from now on is its own. (A choice made
                // this run already cleared the store.)
                if let Some(account) = s.account.clone().filter(|_| !chosen_now) {
                    s.data_account = Some(account.clone());
                    effects.push(Effect::Store(StoreOp::ForgetData { profile }));
                    effects.push(Effect::Store(StoreOp::SaveAccount { profile, account }));
                }
                effects.extend(super::load::after_restore(m, profile));
                return effects;
            }
            s.data_account = saved.account.clone();
            if s.capabilities.is_none() {
                s.capabilities = saved.capabilities;
            }
            if let Some((catalog, at)) = saved.catalog {
                s.catalog.offer(Arc::new(catalog), at);
            }
            if let Some((counts, at)) = saved.counts
                && s.counts.offer(counts, at)
            {
                s.counts_saved = true;
            }
            // Rows saved of requests no fresh listing has any more stay out.
            if !(s.listing.is_fresh() && s.listing.is_complete()) {
                for ticket in saved.tickets {
                    s.rows.offer(ticket);
                }
            }
            if let Some((listing, at)) = saved.listing {
                s.listing.restore(listing.ids, listing.total, at);
            }
            s.recount();
            s.approvals.restore(saved.approvals);
            if let Some((login, person)) = saved.agent {
                super::writes::restore_agent(m, profile, &login, person);
            }
            let Some(s) = m.session_mut(profile) else {
                return Vec::new();
            };
            // The server already said it cannot be reached: what is on screen now is all there
            // is, and the agent should know it cannot be changed.
            if matches!(s.connection, Connection::Offline(_)) && s.shows_saved_data() {
                let text = format!(
                    "{} is offline; showing what was saved, read-only",
                    s.label.name
                );
                m.notify(NoticeLevel::Warning, text);
            }
            let mut effects = super::load::after_restore(m, profile);
            // The probe may have listed the accounts before the saved one was known.
            effects.extend(super::accounts::resume(m, profile).unwrap_or_default());
            return effects;
        }
        Stored::Detail {
            profile,
            id,
            detail,
        } => {
            let Some(s) = m.session_mut(profile) else {
                return Vec::new();
            };
            if let Some(saved) = detail {
                let (detail, at) = *saved;
                s.rows.offer(detail.ticket.clone());
                s.details.entry(id).or_default().offer(Arc::new(detail), at);
            }
        }
        Stored::Draft { key, draft } => {
            if let Some((draft, at)) = draft
                && m.detail.open.as_ref() == Some(&key)
                && !matches!(&m.mode, super::mode::Mode::Composer(c) if c.key == key)
            {
                let when = if at.date_naive() == m.now.date_naive() {
                    at.format("%H:%M UTC").to_string()
                } else {
                    at.format("%Y-%m-%d %H:%M UTC").to_string()
                };
                m.notify(
                    NoticeLevel::Info,
                    format!("unsent draft from {when}: press c to go on"),
                );
                m.detail.draft = Some((key, draft));
            }
        }
        Stored::Notice(text) => m.notify(NoticeLevel::Warning, text),
    }
    Vec::new()
}
