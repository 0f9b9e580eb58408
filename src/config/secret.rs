//! Getting a profile's API token: from an environment variable, from a command's output (argv,
//! no shell, with a timeout), from a file only its owner can read, from the OS keyring, or,
//! only when the user insisted, from the configuration file itself. The token is held as a
//! `SecretString` from the moment it is read; errors name the source, never the value.

use std::time::Duration;

use secrecy::SecretString;

use super::{ConfigError, Profile};

const COMMAND_TIMEOUT: Duration = Duration::from_secs(20);
/// A keyring that has not answered by then is not there (no session bus over SSH, a locked
/// collection waiting for a password prompt nobody sees).
const KEYRING_TIMEOUT: Duration = Duration::from_secs(2);

/// Where a token came from, for `doctor` and the log (never the token itself).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SecretSource {
    Env(String),
    Command(String),
    /// `token` in the configuration file.
    File,
    /// `token_file`, by its path.
    TokenFile(String),
    /// `keyring`, as "service/user".
    Keyring(String),
    /// The keyring did not give the token (`why`); the profile's other source did.
    AfterKeyring {
        why: String,
        then: Box<SecretSource>,
    },
}

impl std::fmt::Display for SecretSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SecretSource::Env(var) => write!(f, "environment variable {var}"),
            SecretSource::Command(cmd) => write!(f, "command `{cmd}`"),
            SecretSource::File => f.write_str("the config file"),
            SecretSource::TokenFile(path) => write!(f, "file {path}"),
            SecretSource::Keyring(entry) => write!(f, "the keyring ({entry})"),
            SecretSource::AfterKeyring { why, then } => {
                write!(f, "{then}, because the keyring gave nothing: {why}")
            }
        }
    }
}

/// The program that reads the OS keyring: `secret-tool` (libsecret: GNOME Keyring, KWallet)
/// on Linux and the BSDs, `security` on macOS. Tests give a stub.
#[derive(Debug, Clone)]
pub struct KeyringTool {
    pub program: String,
}

impl Default for KeyringTool {
    fn default() -> Self {
        KeyringTool {
            program: if cfg!(target_os = "macos") {
                "security".into()
            } else {
                "secret-tool".into()
            },
        }
    }
}

impl KeyringTool {
    /// The argv that prints the secret of `service`/`user`.
    fn argv(&self, service: &str, user: &str) -> Vec<String> {
        let mut argv = vec![self.program.clone()];
        if self.program.ends_with("security") {
            argv.extend(
                ["find-generic-password", "-s", service, "-a", user, "-w"].map(String::from),
            );
        } else {
            argv.extend(["lookup", "service", service, "username", user].map(String::from));
        }
        argv
    }
}

pub async fn resolve_secret(
    name: &str,
    profile: &Profile,
) -> Result<(SecretString, SecretSource), ConfigError> {
    resolve_with(name, profile, &KeyringTool::default()).await
}

/// [`resolve_secret`] with the keyring read through `keyring`.
pub async fn resolve_with(
    name: &str,
    profile: &Profile,
    keyring: &KeyringTool,
) -> Result<(SecretString, SecretSource), ConfigError> {
    let mut keyring_failed = None;
    if let Some(entry) = &profile.keyring {
        let (service, user) = entry.split_once('/').unwrap_or((entry.as_str(), ""));
        match read_keyring(keyring, service.trim(), user.trim()).await {
            Ok(value) => return Ok((value, SecretSource::Keyring(entry.clone()))),
            Err(why) => keyring_failed = Some(why),
        }
    }
    // When the keyring gave nothing, its reason goes with the fallback's failure.
    let fail = |message: String| ConfigError::Profile {
        path: "configuration".into(),
        profile: name.to_string(),
        message: match &keyring_failed {
            Some(why) if profile.keyring.is_some() && has_fallback(profile) => {
                format!("the keyring gave nothing ({why}), and {message}")
            }
            _ => message,
        },
    };
    let after = |source: SecretSource| match &keyring_failed {
        Some(why) => SecretSource::AfterKeyring {
            why: why.clone(),
            then: Box::new(source),
        },
        None => source,
    };
    if let Some(var) = &profile.token_env {
        return match std::env::var(var) {
            Ok(value) if !value.trim().is_empty() => Ok((
                SecretString::from(value.trim().to_string()),
                after(SecretSource::Env(var.clone())),
            )),
            Ok(_) => Err(fail(format!("environment variable {var} is empty"))),
            Err(_) => Err(fail(format!("environment variable {var} is not set"))),
        };
    }
    if let Some(argv) = &profile.token_command {
        // Only the program is shown: arguments sometimes carry secrets of their own.
        let shown = argv.first().cloned().unwrap_or_default();
        let value = run_command(argv, COMMAND_TIMEOUT)
            .await
            .map_err(|e| fail(format!("token_command `{shown}` {e}")))?;
        return Ok((
            SecretString::from(value),
            after(SecretSource::Command(shown)),
        ));
    }
    if let Some(path) = &profile.token_file {
        let value = read_token_file(path).map_err(|e| fail(format!("token_file {path}: {e}")))?;
        return Ok((value, after(SecretSource::TokenFile(path.clone()))));
    }
    if let Some(token) = &profile.token {
        return Ok((SecretString::from(token.clone()), after(SecretSource::File)));
    }
    match &keyring_failed {
        Some(why) => Err(fail(format!(
            "keyring = \"{}\": {why}; jump hosts rarely have a keyring: set token_env, \
             token_command or token_file (it may stay beside keyring, as its fallback)",
            profile.keyring.as_deref().unwrap_or_default()
        ))),
        None => Err(fail("no credentials configured".into())),
    }
}

/// The profile has a source besides the keyring.
fn has_fallback(profile: &Profile) -> bool {
    profile.token_env.is_some()
        || profile.token_command.is_some()
        || profile.token_file.is_some()
        || profile.token.is_some()
}

/// The secret of `service`/`user`, or why there is none, in words for the agent.
async fn read_keyring(
    tool: &KeyringTool,
    service: &str,
    user: &str,
) -> Result<SecretString, String> {
    let argv = tool.argv(service, user);
    match run_command(&argv, KEYRING_TIMEOUT).await {
        Ok(value) => Ok(SecretString::from(value)),
        Err(e) if e.starts_with("could not start") => Err(format!(
            "no keyring on this host ({} is not installed)",
            tool.program
        )),
        Err(e) if e.starts_with("gave no answer") => Err(format!(
            "the keyring did not answer within {} s (no session bus over SSH?)",
            KEYRING_TIMEOUT.as_secs()
        )),
        Err(e) if e.starts_with("printed nothing") || e.starts_with("exited") => Err(format!(
            "the keyring has no entry for service {service}, user {user}"
        )),
        Err(e) => Err(format!("{} {e}", tool.program)),
    }
}

/// `path`'s first line, refused (as ssh refuses a private key) when the group or others may
/// read or write it: a token is a password.
fn read_token_file(path: &str) -> Result<SecretString, String> {
    use std::os::unix::fs::PermissionsExt;
    let expanded = match path.strip_prefix("~/") {
        Some(rest) => match std::env::var_os("HOME") {
            Some(home) => std::path::Path::new(&home).join(rest),
            None => return Err("starts with ~/ but $HOME is not set".into()),
        },
        None => std::path::PathBuf::from(path),
    };
    let meta = std::fs::metadata(&expanded).map_err(|e| format!("cannot be read ({e})"))?;
    if !meta.is_file() {
        return Err("is not a file".into());
    }
    let mode = meta.permissions().mode() & 0o777;
    if mode & 0o077 != 0 {
        return Err(format!(
            "may be read or written by others (mode {mode:04o}); only its owner may: chmod 600 {path}"
        ));
    }
    let text = std::fs::read_to_string(&expanded).map_err(|e| format!("cannot be read ({e})"))?;
    let first = text.lines().next().unwrap_or("").trim();
    if first.is_empty() {
        return Err("is empty".into());
    }
    Ok(SecretString::from(first.to_string()))
}

async fn run_command(argv: &[String], limit: Duration) -> Result<String, String> {
    let (program, args) = argv.split_first().ok_or("is empty")?;
    let child = tokio::process::Command::new(program)
        .args(args)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        // The secret tool's own messages may contain the secret; they are not shown.
        .stderr(std::process::Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .map_err(|e| format!("could not start: {e}"))?;
    let output = tokio::time::timeout(limit, child.wait_with_output())
        .await
        .map_err(|_| format!("gave no answer within {} s", limit.as_secs()))?
        .map_err(|e| format!("failed: {e}"))?;
    if !output.status.success() {
        return Err(format!("exited with {}", output.status));
    }
    let text =
        String::from_utf8(output.stdout).map_err(|_| "printed something that is not text")?;
    // `pass` and friends print the secret on the first line, sometimes followed by metadata.
    let first = text.lines().next().unwrap_or("").trim().to_string();
    if first.is_empty() {
        return Err("printed nothing".into());
    }
    Ok(first)
}

#[cfg(test)]
mod tests {
    use secrecy::ExposeSecret;

    use super::*;
    use crate::config::ProviderKind;

    fn profile() -> Profile {
        Profile {
            provider: ProviderKind::Invgate,
            base_url: "https://x".into(),
            username: Some("api".into()),
            token_env: None,
            token_command: None,
            token_file: None,
            keyring: None,
            token: None,
            allow_token_in_file: false,
            timeout_secs: None,
            ca_file: None,
            open: true,
            agent: None,
            read_only: false,
            integrated_account_id: None,
            tenant_id: None,
            realm: None,
        }
    }

    #[tokio::test]
    async fn a_command_supplies_the_first_line_of_its_output() {
        let p = Profile {
            token_command: Some(vec!["printf".into(), "tok-123\nuser: x\n".into()]),
            ..profile()
        };
        let (secret, source) = resolve_secret("w", &p).await.unwrap();
        assert_eq!(secret.expose_secret(), "tok-123");
        assert_eq!(
            source,
            SecretSource::Command("printf".into()),
            "arguments are not shown"
        );
    }

    #[tokio::test]
    async fn failing_commands_and_missing_variables_are_explained() {
        let p = Profile {
            token_command: Some(vec!["false".into()]),
            ..profile()
        };
        let err = resolve_secret("w", &p).await.unwrap_err().to_string();
        assert!(err.contains("exited"), "{err}");
        let p = Profile {
            token_env: Some("TTYDESK_TEST_SURELY_UNSET".into()),
            ..profile()
        };
        let err = resolve_secret("w", &p).await.unwrap_err().to_string();
        assert!(
            err.contains("TTYDESK_TEST_SURELY_UNSET is not set"),
            "{err}"
        );
    }

    /// A stub keyring tool: a script that prints `answer` (or sleeps, or exits 1).
    fn stub(dir: &std::path::Path, body: &str) -> KeyringTool {
        use std::os::unix::fs::PermissionsExt;
        let path = dir.join("secret-tool");
        std::fs::write(&path, format!("#!/bin/sh\n{body}\n")).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o700)).unwrap();
        KeyringTool {
            program: path.display().to_string(),
        }
    }

    #[tokio::test]
    async fn the_keyring_answers_first_and_its_absence_falls_back_with_the_reason() {
        let dir = tempfile::tempdir().unwrap();
        let secret = "kr-secret-value-91";
        let answering = stub(
            dir.path(),
            &format!(
                "[ \"$1 $2 $3 $4 $5\" = \"lookup service ttydesk username work\" ] && echo {secret}"
            ),
        );
        let p = Profile {
            keyring: Some("ttydesk/work".into()),
            token_env: Some("TTYDESK_TEST_SURELY_UNSET".into()),
            ..profile()
        };
        let (token, source) = resolve_with("w", &p, &answering).await.unwrap();
        assert_eq!(token.expose_secret(), secret);
        assert_eq!(source.to_string(), "the keyring (ttydesk/work)");

        // No keyring installed, a fallback file: the file, and why.
        let file = dir.path().join("tok");
        std::fs::write(&file, "file-secret-77\n").unwrap();
        std::fs::set_permissions(&file, std::os::unix::fs::PermissionsExt::from_mode(0o600))
            .unwrap();
        let p = Profile {
            keyring: Some("ttydesk/work".into()),
            token_file: Some(file.display().to_string()),
            ..profile()
        };
        let missing = KeyringTool {
            program: dir.path().join("nope").display().to_string(),
        };
        let (token, source) = resolve_with("w", &p, &missing).await.unwrap();
        assert_eq!(token.expose_secret(), "file-secret-77");
        let said = source.to_string();
        assert!(
            said.contains("because the keyring gave nothing: no keyring on this host"),
            "{said}"
        );

        // A keyring that hangs is given up after 2 s; alone, it is a clear error.
        let hanging = stub(dir.path(), "sleep 10");
        let p = Profile {
            keyring: Some("ttydesk/work".into()),
            ..profile()
        };
        let err = resolve_with("w", &p, &hanging)
            .await
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("did not answer within 2 s") && err.contains("token_file"),
            "{err}"
        );
        assert!(!err.contains(secret));
        // With a fallback that fails too, both reasons are said.
        let p = Profile {
            keyring: Some("ttydesk/work".into()),
            token_env: Some("TTYDESK_TEST_SURELY_UNSET".into()),
            ..profile()
        };
        let err = resolve_with("w", &p, &missing)
            .await
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("the keyring gave nothing (no keyring on this host")
                && err.contains("TTYDESK_TEST_SURELY_UNSET is not set"),
            "{err}"
        );
    }

    #[tokio::test]
    async fn a_token_file_others_can_read_is_refused_and_its_content_never_shown() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("work.token");
        std::fs::write(&file, "tf-secret-0644\n").unwrap();
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).unwrap();
        let p = Profile {
            token_file: Some(file.display().to_string()),
            ..profile()
        };
        let err = resolve_secret("w", &p).await.unwrap_err().to_string();
        assert!(
            err.contains("mode 0644") && err.contains("chmod 600"),
            "{err}"
        );
        assert!(!err.contains("tf-secret"), "{err}");
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600)).unwrap();
        let (token, source) = resolve_secret("w", &p).await.unwrap();
        assert_eq!(token.expose_secret(), "tf-secret-0644");
        assert_eq!(source, SecretSource::TokenFile(file.display().to_string()));
        assert!(!format!("{p:?}").contains("tf-secret"));
    }
}
