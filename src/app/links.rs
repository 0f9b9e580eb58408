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

/// How `O` opens a page here: `$BROWSER` (a graphical one with a display, else a text browser
/// given the terminal), else `xdg-open` / `open` where there is a display, else none (the link
/// is copied instead).
pub fn browser(env: impl Fn(&str) -> Option<String>) -> Browser {
    let set = |k: &str| env(k).is_some_and(|v| !v.is_empty());
    let display = set("DISPLAY")
        || set("WAYLAND_DISPLAY")
        || (cfg!(target_os = "macos") && !set("SSH_CONNECTION"));
    // $BROWSER may list several, separated by colons; the first is used.
    let configured: Vec<String> = env("BROWSER")
        .unwrap_or_default()
        .split(':')
        .next()
        .unwrap_or_default()
        .split_whitespace()
        .map(str::to_string)
        .collect();
    // The text browsers people set $BROWSER to run in the terminal, display or not.
    let text_browser = configured.first().is_some_and(|program| {
        let name = std::path::Path::new(program)
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default();
        [
            "w3m",
            "lynx",
            "links",
            "links2",
            "elinks",
            "browsh",
            "carbonyl",
            "www-browser",
        ]
        .contains(&name.as_str())
    });
    if !configured.is_empty() {
        return if display && !text_browser {
            Browser::Desktop(configured)
        } else {
            Browser::Terminal(configured)
        };
    }
    let opener = if cfg!(target_os = "macos") {
        "open"
    } else {
        "xdg-open"
    };
    let on_path = env("PATH")
        .is_some_and(|path| std::env::split_paths(&path).any(|dir| dir.join(opener).is_file()));
    if display && on_path {
        Browser::Desktop(vec![opener.to_string()])
    } else {
        Browser::None
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::env_of as env;

    #[test]
    fn the_browser_is_the_one_this_host_has() {
        let w3m = Browser::Terminal(vec!["w3m".into()]);
        assert_eq!(browser(env(&[("BROWSER", "w3m")])), w3m);
        assert_eq!(
            browser(env(&[("BROWSER", "/usr/bin/w3m"), ("DISPLAY", ":0")])),
            Browser::Terminal(vec!["/usr/bin/w3m".into()]),
            "a text browser, display or not"
        );
        assert_eq!(
            browser(env(&[
                ("BROWSER", "firefox --new-tab:chromium"),
                ("DISPLAY", ":0")
            ])),
            Browser::Desktop(vec!["firefox".into(), "--new-tab".into()])
        );
        // No $BROWSER, no display: none, whatever is installed.
        assert_eq!(browser(env(&[("PATH", "/usr/bin:/bin")])), Browser::None);
        let dir = tempfile::tempdir().unwrap();
        let opener = if cfg!(target_os = "macos") {
            "open"
        } else {
            "xdg-open"
        };
        std::fs::write(dir.path().join(opener), "").unwrap();
        let path = dir.path().display().to_string();
        assert_eq!(
            browser(env(&[("PATH", path.as_str()), ("DISPLAY", ":0")])),
            Browser::Desktop(vec![opener.into()])
        );
    }
}
