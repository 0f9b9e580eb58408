//! The TOML file: profiles and key bindings. Strict on purpose: a misspelt key is an error that
//! names file, line and key, not a silently ignored setting.

use std::collections::BTreeMap;

use indexmap::IndexMap;

use serde::Deserialize;

use super::ConfigError;
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
    /// Key bindings per context, merged over the defaults.
    #[serde(default)]
    pub keys: BTreeMap<String, BTreeMap<String, String>>,
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
    /// The token itself. Refused unless `allow_token_in_file = true`.
    pub token: Option<String>,
    #[serde(default)]
    pub allow_token_in_file: bool,
    /// Seconds before a call is abandoned.
    pub timeout_secs: Option<u64>,
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
            .field("token", &self.token.as_ref().map(|_| "[redacted]"))
            .field("allow_token_in_file", &self.allow_token_in_file)
            .field("timeout_secs", &self.timeout_secs)
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
        let file: ConfigFile = toml::from_str(text).map_err(|e| {
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
            self.token.is_some(),
        ];
        match sources.iter().filter(|s| **s).count() {
            0 => return Err("no credentials: set token_env or token_command".into()),
            1 => {}
            _ => return Err("set only one of token_env, token_command, token".into()),
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

fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"
[profiles.work]
provider = "invgate"
base_url = "https://acme.cloud.invgate.net"
username = "api"
token_env = "TTYDESK_WORK_TOKEN"
"#;

    #[test]
    fn the_documented_minimum_parses_and_is_opened() {
        let file = ConfigFile::parse(GOOD, "t.toml").unwrap();
        let chosen = file.chosen(None).unwrap();
        assert_eq!(chosen.len(), 1);
        assert_eq!(chosen[0].0, "work");
        assert_eq!(chosen[0].1.token_env.as_deref(), Some("TTYDESK_WORK_TOKEN"));
        assert_eq!(file.store_journal, JournalChoice::Auto);
    }

    #[test]
    fn news_and_knowledge_base_settings_are_read_from_the_top_level() {
        let text = format!("news_interval = 30\nbell = true\nkb_min_score = 0.25\n{GOOD}");
        let file = ConfigFile::parse(&text, "t.toml").unwrap();
        assert_eq!(file.news_interval, Some(30));
        assert!(file.bell);
        assert_eq!(file.kb_min_score, Some(0.25));
        let wrong = format!("kb_min_score = \"high\"\n{GOOD}");
        let err = ConfigFile::parse(&wrong, "t.toml").unwrap_err().to_string();
        assert!(err.starts_with("t.toml:1:"), "{err}");
    }

    #[test]
    fn the_example_file_parses() {
        let text = include_str!("../../config/ttydesk.example.toml");
        let file = ConfigFile::parse(text, "example").unwrap();
        assert!(!file.profiles.is_empty());
    }

    #[test]
    fn a_misspelt_key_names_file_line_and_key() {
        let text = GOOD.replace("token_env", "tokn_env");
        let err = ConfigFile::parse(&text, "/home/a/ttydesk.toml")
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("/home/a/ttydesk.toml:6:"), "{err}");
        assert!(err.contains("tokn_env"), "{err}");
    }

    #[test]
    fn a_profile_name_with_control_characters_is_refused_without_echoing_them() {
        let text = GOOD.replace("[profiles.work]", "[profiles.\"wo\\u001b[2Jrk\"]");
        let err = ConfigFile::parse(&text, "c.toml").unwrap_err().to_string();
        assert!(err.contains("printable"), "{err}");
        assert!(
            !err.contains('\u{1b}'),
            "the escape is not printed raw: {err:?}"
        );
        let empty = GOOD.replace("[profiles.work]", "[profiles.\" \"]");
        assert!(ConfigFile::parse(&empty, "c.toml").is_err());
    }

    #[test]
    fn broken_toml_names_the_line() {
        let err = ConfigFile::parse("[profiles.work\nprovider=1", "c.toml")
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("c.toml:1:"), "{err}");
    }

    #[test]
    fn a_token_in_the_file_is_refused_unless_insisted() {
        let text = GOOD.replace("token_env = \"TTYDESK_WORK_TOKEN\"", "token = \"s3cret\"");
        let err = ConfigFile::parse(&text, "c.toml").unwrap_err().to_string();
        assert!(err.contains("refused"), "{err}");
        assert!(
            !err.contains("s3cret"),
            "the secret must not be echoed: {err}"
        );
        let insisted = format!("{text}allow_token_in_file = true\n");
        assert!(ConfigFile::parse(&insisted, "c.toml").is_ok());
    }

    #[test]
    fn unknown_provider_and_bad_url_are_explained() {
        let err = ConfigFile::parse(&GOOD.replace("invgate", "jira"), "c.toml").unwrap_err();
        assert!(err.to_string().contains("jira"), "{err}");
        let err = ConfigFile::parse(&GOOD.replace("https://", "ftp://"), "c.toml").unwrap_err();
        assert!(err.to_string().contains("profile `work`"), "{err}");
    }

    #[test]
    fn every_profile_opens_unless_closed_and_a_name_opens_just_that_one() {
        let text = format!(
            "{GOOD}\n{}\n{}open = false\n",
            GOOD.replace("profiles.work", "profiles.lab"),
            GOOD.replace("profiles.work", "profiles.old")
        );
        let file = ConfigFile::parse(&text, "c.toml").unwrap();
        let names = |chosen: Vec<(String, Profile)>| -> Vec<String> {
            chosen.into_iter().map(|(n, _)| n).collect()
        };
        assert_eq!(
            names(file.chosen(None).unwrap()),
            ["work", "lab"],
            "in the order of the file"
        );
        assert_eq!(names(file.chosen(Some("old")).unwrap()), ["old"]);
        let err = file.chosen(Some("nope")).unwrap_err().to_string();
        assert!(err.contains("work, lab, old"), "{err}");
        let closed = GOOD.replace("token_env", "open = false\ntoken_env");
        let file = ConfigFile::parse(&closed, "c.toml").unwrap();
        assert!(
            file.chosen(None)
                .unwrap_err()
                .to_string()
                .contains("open = false")
        );
        let delete = format!("store_journal = \"delete\"\n{GOOD}");
        let file = ConfigFile::parse(&delete, "c.toml").unwrap();
        assert_eq!(file.store_journal, JournalChoice::Delete);
    }

    #[test]
    fn secrets_stay_out_of_urls_and_debug_output() {
        let text = GOOD.replace("https://acme", "https://api:s3cret@acme");
        let err = ConfigFile::parse(&text, "c.toml").unwrap_err().to_string();
        assert!(
            err.contains("must not contain a user name or password"),
            "{err}"
        );
        assert!(!err.contains("s3cret"), "{err}");
        let text = GOOD.replace(
            "token_env = \"TTYDESK_WORK_TOKEN\"",
            "token = \"s3cret\"\nallow_token_in_file = true",
        );
        let file = ConfigFile::parse(&text, "c.toml").unwrap();
        let debug = format!("{file:?}");
        assert!(
            !debug.contains("s3cret") && debug.contains("[redacted]"),
            "{debug}"
        );
    }

    const IDEN: &str = r#"
[profiles.access]
provider = "iden"
base_url = "https://developer.idenhq.com/org/acme"
token_env = "TTYDESK_IDEN_KEY"
"#;

    #[test]
    fn an_iden_profile_needs_no_username() {
        let file = ConfigFile::parse(IDEN, "t.toml").unwrap();
        let access = &file.profiles["access"];
        assert_eq!(access.provider, ProviderKind::Iden);
        assert_eq!(access.username, None);
        assert_eq!(access.user(), "");
        let with_user = IDEN.replace("token_env", "username = \"api\"\ntoken_env");
        let err = ConfigFile::parse(&with_user, "t.toml")
            .unwrap_err()
            .to_string();
        assert!(err.contains("an Iden profile has no username"), "{err}");
        let misspelt = IDEN.replace("token_env", "tokenenv");
        let err = ConfigFile::parse(&misspelt, "t.toml")
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with("t.toml:5:") && err.contains("tokenenv"),
            "{err}"
        );
    }

    const VENDORS: &str = r#"
[profiles.unified]
provider = "truto"
base_url = "https://api.truto.one"
token_env = "TRUTO_TOKEN"
integrated_account_id = "8a1f0c2e-5b7d-4e93-a6f1-0d2c9b4e7a11"

[profiles.rz]
provider = "rezolve"
base_url = "https://acme.rezolve.ai"
token_env = "REZOLVE_JWT"
tenant_id = "5b0e9f3a"
realm = "acme"
"#;

    #[test]
    fn truto_and_rezolve_profiles_read_their_own_keys_and_refuse_the_others() {
        let file = ConfigFile::parse(VENDORS, "t.toml").unwrap();
        let truto = &file.profiles["unified"];
        assert_eq!(truto.provider, ProviderKind::Truto);
        assert_eq!(
            truto.integrated_account_id.as_deref(),
            Some("8a1f0c2e-5b7d-4e93-a6f1-0d2c9b4e7a11")
        );
        let rz = &file.profiles["rz"];
        assert_eq!(rz.provider, ProviderKind::Rezolve);
        assert_eq!(
            (rz.tenant_id.as_deref(), rz.realm.as_deref()),
            (Some("5b0e9f3a"), Some("acme"))
        );
        // Rezolve needs its tenant, said at the profile's line.
        let no_tenant = VENDORS.replace("tenant_id = \"5b0e9f3a\"\n", "");
        let err = ConfigFile::parse(&no_tenant, "t.toml")
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("t.toml:8") && err.contains("needs tenant_id"),
            "{err}"
        );
        // A key of another vendor is refused, not ignored.
        let misplaced = VENDORS.replace(
            "realm = \"acme\"",
            "realm = \"acme\"\nintegrated_account_id = \"x\"",
        );
        let err = ConfigFile::parse(&misplaced, "t.toml")
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("integrated_account_id is a Truto setting"),
            "{err}"
        );
        let with_user = VENDORS.replace(
            "token_env = \"TRUTO_TOKEN\"",
            "username = \"api\"\ntoken_env = \"TRUTO_TOKEN\"",
        );
        let err = ConfigFile::parse(&with_user, "t.toml")
            .unwrap_err()
            .to_string();
        assert!(err.contains("a Truto profile has no username"), "{err}");
    }

    #[test]
    fn an_invgate_profile_without_username_names_file_line_and_profile() {
        let text = format!("bell = true\n{}", GOOD.replace("username = \"api\"\n", ""));
        let err = ConfigFile::parse(&text, "/home/a/ttydesk.toml")
            .unwrap_err()
            .to_string();
        assert_eq!(
            err,
            "/home/a/ttydesk.toml:3: profile `work`: \
             an InvGate profile needs username = \"…\" (the API user)"
        );
        let blank = GOOD.replace("username = \"api\"", "username = \" \"");
        let err = ConfigFile::parse(&blank, "c.toml").unwrap_err().to_string();
        assert!(err.contains("username is empty"), "{err}");
    }
}
