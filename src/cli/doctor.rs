//! `ttydesk doctor`: per profile, the configuration's warnings, where its token comes from
//! (never the token), reachability and version, who it acts as, the clock against the
//! server's; then the proxy in use and the store file. Each problem says what to do.

use std::io::Write;
use std::path::Path;

use crate::config::{self, ConfigError, Keymap};
use crate::ui::Theme;

/// What stops the check itself (not a profile's failure, which is counted).
#[derive(Debug)]
pub enum Failed {
    Config(ConfigError),
    Io(std::io::Error),
}

impl From<ConfigError> for Failed {
    fn from(e: ConfigError) -> Self {
        Failed::Config(e)
    }
}

impl From<std::io::Error> for Failed {
    fn from(e: std::io::Error) -> Self {
        Failed::Io(e)
    }
}

/// Runs the check of the configuration at `config_path` (or the one found), writing to
/// `out`; returns how many profiles failed.
pub async fn run(config_path: Option<&Path>, out: &mut impl Write) -> Result<usize, Failed> {
    let Some(path) = config::locate(config_path) else {
        writeln!(
            out,
            "configuration: none found (ttydesk would open the demo)"
        )?;
        writeln!(
            out,
            "  looked at --config, ${}, and the platform config directory",
            config::CONFIG_ENV
        )?;
        return Ok(0);
    };
    writeln!(out, "configuration: {}", path.display())?;
    let file = config::load(&path)?;
    let (keymap_ok, warnings) = Keymap::load(&file.keys);
    let warnings: Vec<String> = warnings
        .into_iter()
        .chain(Theme::choose(file.theme.as_deref(), false, |k| std::env::var(k).ok()).1)
        .collect();
    drop(keymap_ok);
    for w in &warnings {
        writeln!(out, "  warning: {w}")?;
    }
    let mut failures = 0;
    for (name, profile) in &file.profiles {
        let closed = if profile.open { "" } else { " (open = false)" };
        let user = match profile.user() {
            "" => String::new(),
            user => format!(" as {user}"),
        };
        write!(out, "profile {name}{closed}: {}{user} … ", profile.base_url)?;
        out.flush()?;
        match super::connect(name, profile)
            .await
            .map_err(|e| e.in_file(&path))
        {
            Err(e) => {
                failures += 1;
                writeln!(out, "not usable: {e}")?;
            }
            Ok(connected) => match connected.provider.probe().await {
                Ok(probe) => {
                    writeln!(
                        out,
                        "ok, {} {} (token from {})",
                        probe.server.product, probe.server.version, connected.secret_source
                    )?;
                    let acting = match (&profile.agent, profile.read_only) {
                        (_, true) => "read-only (read_only = true): nothing is written".into(),
                        (None, false) => {
                            "reads only: add agent = \"<user name or email>\" to reply and act"
                                .into()
                        }
                        (Some(login), false) => {
                            match connected.provider.agent(login.clone()).await {
                                Ok(person) => format!(
                                    "acts as {} (user {}{})",
                                    person.name,
                                    person.id,
                                    if person.is_agent {
                                        ""
                                    } else {
                                        ", not an agent!"
                                    }
                                ),
                                Err(e) => {
                                    failures += 1;
                                    format!("agent \"{login}\" not usable: {e}")
                                }
                            }
                        }
                    };
                    writeln!(out, "  {acting}")?;
                    if let Some(skew) = connected.provider.clock_skew() {
                        writeln!(out, "  {}", clock_words(skew))?;
                    }
                }
                Err(e) => {
                    failures += 1;
                    writeln!(out, "failed: {e} (token from {})", connected.secret_source)?;
                }
            },
        }
    }
    for var in [
        "HTTPS_PROXY",
        "https_proxy",
        "HTTP_PROXY",
        "http_proxy",
        "ALL_PROXY",
    ] {
        if let Some(value) = std::env::var(var).ok().filter(|v| !v.is_empty()) {
            let no_proxy = std::env::var("NO_PROXY")
                .or_else(|_| std::env::var("no_proxy"))
                .unwrap_or_default();
            writeln!(
                out,
                "proxy: {var}={}{}",
                super::without_password(&value),
                if no_proxy.is_empty() {
                    String::new()
                } else {
                    format!(" (not for NO_PROXY={no_proxy})")
                }
            )?;
            break;
        }
    }
    if let Some(dir) = config::data_dir() {
        writeln!(out, "log file: {}", dir.join("ttydesk.log").display())?;
        let store = dir.join("store.sqlite3");
        match crate::store::health(&store) {
            Ok(said) => writeln!(out, "store: {}: {said}", store.display())?,
            Err(problem) => {
                failures += 1;
                writeln!(out, "store: {}: {problem}", store.display())?;
            }
        }
    }
    Ok(failures)
}

/// The server's clock against ours, as doctor says it: a minute apart is worth a warning
/// (ages, SLA countdowns and "due" dates on screen are computed here).
pub fn clock_words(skew: i64) -> String {
    let (amount, side) = (
        skew.unsigned_abs(),
        if skew > 0 { "behind" } else { "ahead of" },
    );
    if amount <= 60 {
        format!("clock: within {amount} s of the server's")
    } else {
        format!(
            "warning: this host's clock is {} {side} the server's; ages and due times on screen \
             will be off (is NTP running?)",
            if amount >= 120 {
                format!("{} min", amount / 60)
            } else {
                format!("{amount} s")
            }
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_clock_warns_past_a_minute() {
        assert_eq!(clock_words(-3), "clock: within 3 s of the server's");
        assert!(clock_words(90).starts_with("warning: this host's clock is 90 s behind"));
        assert!(clock_words(-600).contains("10 min ahead of the server's"));
    }
}
