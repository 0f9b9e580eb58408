//! Getting a profile's API token: from an environment variable, from a command's output (argv,
//! no shell, with a timeout), or, only when the user insisted, from the file. The token is held
//! as a `SecretString` from the moment it is read; errors name the source, never the value.

use std::time::Duration;

use secrecy::SecretString;

use super::{ConfigError, Profile};

const COMMAND_TIMEOUT: Duration = Duration::from_secs(20);

/// Where a token came from, for `doctor` and the log (never the token itself).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SecretSource {
    Env(String),
    Command(String),
    File,
}

impl std::fmt::Display for SecretSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SecretSource::Env(var) => write!(f, "environment variable {var}"),
            SecretSource::Command(cmd) => write!(f, "command `{cmd}`"),
            SecretSource::File => f.write_str("the config file"),
        }
    }
}

pub async fn resolve_secret(
    name: &str,
    profile: &Profile,
) -> Result<(SecretString, SecretSource), ConfigError> {
    let fail = |message: String| ConfigError::Profile {
        path: "configuration".into(),
        profile: name.to_string(),
        message,
    };
    if let Some(var) = &profile.token_env {
        return match std::env::var(var) {
            Ok(value) if !value.trim().is_empty() => Ok((
                SecretString::from(value.trim().to_string()),
                SecretSource::Env(var.clone()),
            )),
            Ok(_) => Err(fail(format!("environment variable {var} is empty"))),
            Err(_) => Err(fail(format!("environment variable {var} is not set"))),
        };
    }
    if let Some(argv) = &profile.token_command {
        // Only the program is shown: arguments sometimes carry secrets of their own.
        let shown = argv.first().cloned().unwrap_or_default();
        let value = run_command(argv)
            .await
            .map_err(|e| fail(format!("token_command `{shown}` {e}")))?;
        return Ok((SecretString::from(value), SecretSource::Command(shown)));
    }
    if let Some(token) = &profile.token {
        return Ok((SecretString::from(token.clone()), SecretSource::File));
    }
    Err(fail("no credentials configured".into()))
}

async fn run_command(argv: &[String]) -> Result<String, String> {
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
    let output = tokio::time::timeout(COMMAND_TIMEOUT, child.wait_with_output())
        .await
        .map_err(|_| format!("gave no answer within {} s", COMMAND_TIMEOUT.as_secs()))?
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
            token: None,
            allow_token_in_file: false,
            timeout_secs: None,
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
}
