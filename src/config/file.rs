//! The TOML file: profiles and key bindings. Strict on purpose: a misspelt key is an error that
//! names file, line and key, not a silently ignored setting.

use std::collections::BTreeMap;

use indexmap::IndexMap;

use serde::Deserialize;
use toml::Spanned;

use super::ConfigError;
use super::keymap::{UserAction, UserBinding, UserKeys};
use crate::store::JournalChoice;

#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ConfigFile {
    /// The profile selected at start (every profile with `open` still opens).
    pub default_profile: Option<String>,
    /// How the store keeps its journal: `auto` (WAL unless the data directory is on a network
    /// file system) or `delete` (a rollback journal, always).
    #[serde(default)]
    pub store_journal: JournalChoice,
    /// Seconds between two reads of breaking news (default 60; never below 15).
    pub news_interval: Option<u64>,
    /// Ring the terminal's bell when breaking news arrives.
    #[serde(default)]
    pub bell: bool,
    /// The lowest relevance (0 to 1) a knowledge-base search result may have to be shown.
    pub kb_min_score: Option<f64>,
    /// In the order the file lists them.
    #[serde(default)]
    pub profiles: IndexMap<String, Profile>,
    /// Key bindings per context, merged over the defaults (with where each was written).
    #[serde(default, rename = "keys")]
    key_tables: BTreeMap<String, BTreeMap<Spanned<String>, Spanned<String>>>,
    /// The bindings of `[keys.*]` and of the views' `key`, with their lines: filled by `parse`.
    #[serde(skip)]
    pub keys: UserKeys,
    /// The colour theme: `dark` (default), `light`, `high-contrast`, `16-colour`.
    pub theme: Option<String>,
    /// Box-drawing and marks: `auto` (ASCII where the terminal or locale cannot draw them),
    /// `unicode` or `ascii`.
    #[serde(default)]
    pub glyphs: GlyphChoice,
    /// Let the mouse scroll and click (off by default: then the terminal's own text selection
    /// works as always).
    #[serde(default)]
    pub mouse: bool,
    /// Clickable links (OSC 8): `auto` (terminals known to draw them), `always`, `never`.
    #[serde(default)]
    pub hyperlinks: LinkChoice,
    /// Saved views, in the order the file lists them.
    #[serde(default)]
    pub views: IndexMap<String, View>,
}

/// `glyphs = "…"`.
#[derive(Debug, Clone, Copy, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum GlyphChoice {
    #[default]
    Auto,
    Unicode,
    Ascii,
}

/// `hyperlinks = "…"`.
#[derive(Debug, Clone, Copy, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum LinkChoice {
    #[default]
    Auto,
    Always,
    Never,
}

/// `[views.NAME]`: a queue, status, filter and sort one key or `:view NAME` away.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct View {
    /// The profile whose queues it shows; every open profile when absent.
    pub profile: Option<String>,
    /// A help desk of that profile ("Service Desk", or a level "Service Desk › Level 2");
    /// the whole profile when absent.
    pub queue: Option<String>,
    /// Only requests in this status (its name, as the status filter shows it).
    pub status: Option<String>,
    /// The Requests filter text, as typed after `/`.
    pub filter: Option<String>,
    pub sort: Option<ViewSort>,
    /// The key that opens it from the panes ("1", "f2", "alt-m").
    pub key: Option<Spanned<String>>,
}

/// A view's `sort`.
#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum ViewSort {
    Newest,
    Priority,
    Updated,
}

#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum ProviderKind {
    Invgate,
    /// Iden's read-only access-request tickets; authenticated by an API key alone.
    Iden,
    /// Truto's unified ticketing API (Zendesk, Jira, Freshdesk… behind one API); a Bearer token.
    Truto,
    /// Rezolve.ai ticketing; a Bearer JWT plus the tenant (and realm) headers.
    Rezolve,
}

fn yes() -> bool {
    true
}

#[derive(Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    pub provider: ProviderKind,
    pub base_url: String,
    /// The API user (InvGate's HTTP Basic user name). Required for InvGate; Iden has none.
    #[serde(default)]
    pub username: Option<String>,
    /// Name of the environment variable holding the API token.
    pub token_env: Option<String>,
    /// Command (argv, no shell) whose standard output is the token.
    pub token_command: Option<Vec<String>>,
    /// A file holding the token (its first line); refused unless only its owner can read it.
    #[serde(default)]
    pub token_file: Option<String>,
    /// The OS keyring entry holding the token, as "service/user"; tried first, the profile's
    /// other source (if any) used when no keyring answers.
    #[serde(default)]
    pub keyring: Option<String>,
    /// The token itself. Refused unless `allow_token_in_file = true`.
    pub token: Option<String>,
    #[serde(default)]
    pub allow_token_in_file: bool,
    /// Seconds before a call is abandoned.
    pub timeout_secs: Option<u64>,
    /// A PEM file of certificate authorities to trust besides the system's (a proxy that
    /// inspects TLS).
    #[serde(default)]
    pub ca_file: Option<String>,
    /// Opened at start (default true); `--profile NAME` opens just that one either way.
    #[serde(default = "yes")]
    pub open: bool,
    /// Who acts through the API user: the agent's user name or email on the server. Writes
    /// are made in their name; without it the profile only reads.
    pub agent: Option<String>,
    /// Refuse every write from this profile.
    #[serde(default)]
    pub read_only: bool,
    /// Truto: the integrated account (one connected Zendesk, Jira…) to work in. Without it the
    /// console lists the environment's accounts to pick from.
    #[serde(default)]
    pub integrated_account_id: Option<String>,
    /// Rezolve: the tenant's id, sent as `x-tenantid`. Required for Rezolve.
    #[serde(default)]
    pub tenant_id: Option<String>,
    /// Rezolve: the realm, sent as `realmname` when set.
    #[serde(default)]
    pub realm: Option<String>,
}

/// Written by hand so a token kept in the file never reaches a log or a panic message.
impl std::fmt::Debug for Profile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Profile")
            .field("provider", &self.provider)
            .field("base_url", &self.base_url)
            .field("username", &self.username)
            .field("token_env", &self.token_env)
            .field(
                "token_command",
                &self.token_command.as_ref().and_then(|c| c.first()),
            )
            .field("token_file", &self.token_file)
            .field("keyring", &self.keyring)
            .field("token", &self.token.as_ref().map(|_| "[redacted]"))
            .field("allow_token_in_file", &self.allow_token_in_file)
            .field("timeout_secs", &self.timeout_secs)
            .field("ca_file", &self.ca_file)
            .field("agent", &self.agent)
            .field("read_only", &self.read_only)
            .field("open", &self.open)
            .field("integrated_account_id", &self.integrated_account_id)
            .field("tenant_id", &self.tenant_id)
            .field("realm", &self.realm)
            .finish()
    }
}

impl ConfigFile {
    pub fn parse(text: &str, path: &str) -> Result<ConfigFile, ConfigError> {
        let mut file: ConfigFile = toml::from_str(text).map_err(|e| {
            let (line, column) = e.span().map(|s| line_col(text, s.start)).unwrap_or((1, 1));
            ConfigError::Invalid {
                path: path.to_string(),
                line,
                column,
                message: e.message().trim().to_string(),
            }
        })?;
        for (name, profile) in &file.profiles {
            // The name is drawn in the console and printed in errors as it is.
            if name.trim().is_empty() || name.chars().any(char::is_control) {
                return Err(ConfigError::Profile {
                    path: path.to_string(),
                    profile: name.escape_debug().to_string(),
                    message: "a profile name must be printable text, without control characters"
                        .into(),
                });
            }
            profile.validate().map_err(|problem| match problem {
                Problem::Key(message) => ConfigError::Profile {
                    // The profile's own line, so the key can be added where it belongs.
                    path: match header_line(text, name) {
                        Some(line) => format!("{path}:{line}"),
                        None => path.to_string(),
                    },
                    profile: name.clone(),
                    message,
                },
                Problem::Value(message) => ConfigError::Profile {
                    path: path.to_string(),
                    profile: name.clone(),
                    message,
                },
            })?;
        }
        for (name, view) in &file.views {
            if let Some(profile) = &view.profile
                && !file.profiles.contains_key(profile)
            {
                return Err(ConfigError::Other(format!(
                    "{path}: [views.{name}] profile = \"{profile}\" but there is no [profiles.{profile}]"
                )));
            }
        }
        file.keys = user_keys(&file, text, path);
        if let Some(default) = &file.default_profile
            && !file.profiles.contains_key(default)
        {
            return Err(ConfigError::Other(format!(
                "{path}: default_profile = \"{default}\" but there is no [profiles.{default}]"
            )));
        }
        Ok(file)
    }

    /// The profiles to open, in file order: just `wanted` if given, else every profile whose
    /// `open` is not false.
    pub fn chosen(&self, wanted: Option<&str>) -> Result<Vec<(String, Profile)>, ConfigError> {
        let names = || self.profiles.keys().cloned().collect::<Vec<_>>().join(", ");
        if self.profiles.is_empty() {
            return Err(ConfigError::Other(
                "the configuration has no [profiles.…] section".into(),
            ));
        }
        if let Some(name) = wanted {
            return match self.profiles.get(name) {
                Some(p) => Ok(vec![(name.to_string(), p.clone())]),
                None => Err(ConfigError::Other(format!(
                    "no profile named `{name}` (known: {})",
                    names()
                ))),
            };
        }
        let open: Vec<(String, Profile)> = self
            .profiles
            .iter()
            .filter(|(_, p)| p.open)
            .map(|(n, p)| (n.clone(), p.clone()))
            .collect();
        if open.is_empty() {
            return Err(ConfigError::Other(format!(
                "every profile has open = false; open one with --profile NAME (known: {})",
                names()
            )));
        }
        Ok(open)
    }
}

/// Why a profile cannot be used: a key that is missing or does not belong, or a value.
enum Problem {
    Key(String),
    Value(String),
}

impl From<String> for Problem {
    fn from(message: String) -> Self {
        Problem::Value(message)
    }
}

impl From<&str> for Problem {
    fn from(message: &str) -> Self {
        Problem::Value(message.to_string())
    }
}

/// The line of `[profiles.<name>]` (quoted or not), 1-based.
fn header_line(text: &str, name: &str) -> Option<usize> {
    let quoted = format!("\"{name}\"");
    text.lines()
        .position(|line| {
            let line = line.trim();
            line.strip_prefix("[profiles.")
                .and_then(|rest| rest.strip_suffix(']'))
                .is_some_and(|key| key.trim() == name || key.trim() == quoted)
        })
        .map(|index| index + 1)
}

impl Profile {
    /// The user name, trimmed; `""` for a profile without one (Iden).
    pub fn user(&self) -> &str {
        self.username.as_deref().map_or("", str::trim)
    }

    fn validate(&self) -> Result<(), Problem> {
        let url = self.base_url.trim();
        let Some(rest) = url
            .strip_prefix("https://")
            .or_else(|| url.strip_prefix("http://"))
        else {
            return Err("base_url must start with https://".into());
        };
        // `https://user:token@host` would put the secret in every log line and error message.
        if rest
            .split(['/', '?', '#'])
            .next()
            .is_some_and(|authority| authority.contains('@'))
        {
            return Err("base_url must not contain a user name or password; \
                        use username and token_env or token_command"
                .into());
        }
        match (self.provider, self.username.as_deref().map(str::trim)) {
            (ProviderKind::Invgate, None) => {
                return Err(Problem::Key(
                    "an InvGate profile needs username = \"…\" (the API user)".into(),
                ));
            }
            (ProviderKind::Invgate, Some("")) => return Err("username is empty".into()),
            (ProviderKind::Iden, Some(_)) => {
                return Err(Problem::Key(
                    "an Iden profile has no username (the API key alone identifies it); \
                     remove the line"
                        .into(),
                ));
            }
            (ProviderKind::Truto | ProviderKind::Rezolve, Some(_)) => {
                return Err(Problem::Key(format!(
                    "a {} profile has no username (the token alone identifies it); remove the line",
                    self.provider.vendor()
                )));
            }
            _ => {}
        }
        self.validate_vendor_keys()?;
        let sources = [
            self.token_env.is_some(),
            self.token_command.is_some(),
            self.token_file.is_some(),
            self.token.is_some(),
        ];
        match (
            sources.iter().filter(|s| **s).count(),
            self.keyring.is_some(),
        ) {
            (0, false) => {
                return Err(
                    "no credentials: set token_env, token_command, token_file or keyring".into(),
                );
            }
            (0 | 1, _) => {}
            _ => {
                return Err(
                    "set only one of token_env, token_command, token_file, token \
                            (keyring may go with one of them, as its fallback)"
                        .into(),
                );
            }
        }
        if let Some(entry) = &self.keyring
            && !entry.split_once('/').is_some_and(|(service, user)| {
                !service.trim().is_empty() && !user.trim().is_empty()
            })
        {
            return Err(format!(
                "keyring = \"{}\" must be \"service/user\" (e.g. \"ttydesk/work\")",
                entry.escape_debug()
            )
            .into());
        }
        if self
            .token_file
            .as_deref()
            .is_some_and(|f| f.trim().is_empty())
        {
            return Err("token_file is empty".into());
        }
        if self.token.is_some() && !self.allow_token_in_file {
            return Err(
                "a token written in the file is refused; use token_env or token_command \
                        (or set allow_token_in_file = true if you really want it there)"
                    .into(),
            );
        }
        if self.token_command.as_ref().is_some_and(|c| c.is_empty()) {
            return Err("token_command is empty".into());
        }
        Ok(())
    }
}

impl ProviderKind {
    /// The vendor's name as the screen shows it.
    pub fn vendor(self) -> &'static str {
        match self {
            ProviderKind::Invgate => "InvGate",
            ProviderKind::Iden => "Iden",
            ProviderKind::Truto => "Truto",
            ProviderKind::Rezolve => "Rezolve",
        }
    }
}

impl Profile {
    /// Keys that only one vendor reads are refused on the others' profiles (a typo'd
    /// provider would otherwise silently ignore them), and Rezolve's tenant is required.
    fn validate_vendor_keys(&self) -> Result<(), Problem> {
        let vendor = self.provider.vendor();
        let misplaced = |key: &str, owner: &str| {
            Problem::Key(format!(
                "{key} is a {owner} setting; a {vendor} profile does not read it: remove the line"
            ))
        };
        if self.integrated_account_id.is_some() && self.provider != ProviderKind::Truto {
            return Err(misplaced("integrated_account_id", "Truto"));
        }
        if self.provider != ProviderKind::Rezolve {
            if self.tenant_id.is_some() {
                return Err(misplaced("tenant_id", "Rezolve"));
            }
            if self.realm.is_some() {
                return Err(misplaced("realm", "Rezolve"));
            }
        }
        let blank = |value: &Option<String>| value.as_deref().is_some_and(|v| v.trim().is_empty());
        if blank(&self.integrated_account_id) {
            return Err("integrated_account_id is empty (leave it out to pick an account)".into());
        }
        if blank(&self.realm) {
            return Err("realm is empty (leave it out if the tenant has none)".into());
        }
        if self.provider == ProviderKind::Rezolve {
            match self.tenant_id.as_deref().map(str::trim) {
                None => {
                    return Err(Problem::Key(
                        "a Rezolve profile needs tenant_id = \"…\" (sent as x-tenantid)".into(),
                    ));
                }
                Some("") => return Err("tenant_id is empty".into()),
                Some(_) => {}
            }
        }
        Ok(())
    }
}

/// The user's bindings with their lines: `[keys.*]`, then each view's `key`.
fn user_keys(file: &ConfigFile, text: &str, path: &str) -> UserKeys {
    let line = |span: std::ops::Range<usize>| line_col(text, span.start).0;
    let mut bindings = Vec::new();
    for (context, table) in &file.key_tables {
        for (key, action) in table {
            bindings.push(UserBinding {
                context: context.clone(),
                key: key.get_ref().clone(),
                action: UserAction::Named(action.get_ref().clone()),
                line: line(key.span()),
            });
        }
    }
    for (index, (name, view)) in file.views.iter().enumerate() {
        let (Some(key), Ok(index)) = (&view.key, u8::try_from(index)) else {
            continue;
        };
        bindings.push(UserBinding {
            context: "global".into(),
            key: key.get_ref().clone(),
            action: UserAction::View {
                index,
                name: name.clone(),
            },
            line: line(key.span()),
        });
    }
    UserKeys {
        file: path.to_string(),
        bindings,
    }
}

fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

#[cfg(test)]
#[path = "file_tests.rs"]
mod tests;
