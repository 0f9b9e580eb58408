//! `O`, `y` and `Y`: the request under the cursor (the open one in Detail, the selected row in
//! Requests) opened in a web browser, or its web link or id put on the clipboard with OSC 52.
//! The link comes from the profile's configured address and the id ([`WebLinks`]); no text the
//! server sent goes into either.

use super::action::Action;
use super::model::{Browser, Focus, Model, NoticeLevel};
use super::msg::Effect;
use crate::domain::{TicketKey, WebLinks};

/// The request these keys act on, if any.
fn target(m: &Model) -> Option<TicketKey> {
    match m.focus {
        Focus::Detail => m.detail.open.clone(),
        Focus::Requests => m.requests.selected_key().cloned(),
        Focus::Queues => None,
    }
}

/// The web address of `key`'s request, or why there is none.
pub fn web_link(m: &Model, key: &TicketKey) -> Result<String, String> {
    let session = m
        .session(key.profile)
        .ok_or_else(|| "that profile is not open".to_string())?;
    let links: &WebLinks = session.label.web.as_ref().ok_or_else(|| {
        format!(
            "{} gives no web address for a request (profile {})",
            session.label.vendor, session.label.name
        )
    })?;
    Ok(links.request(&key.id))
}

pub fn act(m: &mut Model, action: Action) -> Vec<Effect> {
    let Some(key) = target(m) else {
        m.notify(NoticeLevel::Info, "no request selected");
        return Vec::new();
    };
    match action {
        Action::CopyId => copy(m, key.id.as_str().to_string(), "id"),
        Action::CopyLink => match web_link(m, &key) {
            Ok(link) => copy(m, link, "link"),
            Err(why) => {
                m.notify(NoticeLevel::Warning, format!("no link to copy: {why}"));
                Vec::new()
            }
        },
        Action::OpenInBrowser => open(m, &key),
        _ => Vec::new(),
    }
}

fn copy(m: &mut Model, text: String, what: &str) -> Vec<Effect> {
    let tmux = m.settings.in_tmux;
    match crate::ui::osc::copy(&text, tmux) {
        Ok(_) => {
            m.notify(
                NoticeLevel::Info,
                format!("copied the {what} {text} (through the terminal: OSC 52)"),
            );
            vec![Effect::Copy { text, tmux }]
        }
        Err(why) => {
            m.notify(
                NoticeLevel::Warning,
                format!("the {what} was not copied: {why}"),
            );
            Vec::new()
        }
    }
}

fn open(m: &mut Model, key: &TicketKey) -> Vec<Effect> {
    let link = match web_link(m, key) {
        Ok(link) => link,
        Err(why) => {
            m.notify(
                NoticeLevel::Warning,
                format!("cannot open a browser: {why}"),
            );
            return Vec::new();
        }
    };
    match m.settings.browser.clone() {
        Browser::None => {
            let effects = copy(m, link.clone(), "link");
            if !effects.is_empty() {
                m.notify(
                    NoticeLevel::Info,
                    format!(
                        "no browser on this host (no display, no $BROWSER): copied the link {link} instead"
                    ),
                );
            }
            effects
        }
        Browser::Desktop(mut command) => {
            command.push(link.clone());
            m.notify(NoticeLevel::Info, format!("opening {link} in the browser"));
            let id = m.next_request_id();
            vec![Effect::Launch { id, command }]
        }
        Browser::Terminal(mut command) => {
            command.push(link);
            let id = m.next_request_id();
            vec![Effect::Suspend {
                id,
                command,
                edit: None,
            }]
        }
    }
}
