//! The command line: the console (default), `demo`, `doctor` (check configuration and
//! connectivity without the TUI) and `sim` (the simulator on its own, for scripts and benches).

pub mod commands;
pub mod doctor;
pub mod script;

use std::path::PathBuf;
use std::sync::Arc;

use clap::{Parser, Subcommand};

use crate::config::{self, ConfigError, Profile, ProviderKind, SecretSource};
use crate::provider::http::HttpSettings;
use crate::provider::iden::{Iden, IdenConfig};
use crate::provider::invgate::{InvGate, InvGateConfig};
use crate::provider::rezolve::{Rezolve, RezolveConfig};
use crate::provider::truto::{Truto, TrutoConfig};
use crate::provider::{Provider, ProviderError};
use crate::sim::{Instance, SimHandle};

fn parse_instance(text: &str) -> Result<Instance, String> {
    Instance::parse(text).ok_or_else(|| format!("`{text}` is not a demo instance (it, hr)"))
}

/// The demo's data: the ordinary service desk, or the same with hostile text and broken replies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum DemoSeed {
    #[default]
    Standard,
    Hostile,
}

#[derive(Debug, Parser)]
#[command(
    name = "ttydesk",
    version,
    about = "A terminal helpdesk console for service-desk agents"
)]
pub struct Cli {
    /// Configuration file (default: $TTYDESK_CONFIG, then ~/.config/ttydesk/ttydesk.toml).
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Open just this profile (default: every profile without `open = false`).
    #[arg(long, global = true, value_name = "NAME")]
    pub profile: Option<String>,
    /// Run without the local store: nothing saved, nothing read back.
    #[arg(long, global = true)]
    pub no_store: bool,
    /// Print (on standard error) how long each start-up phase took, and exit after the first
    /// frame with fresh data.
    #[arg(long, global = true)]
    pub startup_report: bool,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Open the console on built-in demo data simulated on 127.0.0.1: two InvGate instances
    /// ("Acme IT", "Acme HR"), an Iden org, a Truto environment and a Rezolve tenant.
    Demo {
        /// Delay added to every simulated API call, to feel a slow link.
        #[arg(long, default_value_t = 0, value_name = "MS")]
        latency_ms: u64,
        /// Which data to serve: `standard`, or `hostile` (the worst vendor text and replies:
        /// escape sequences, invisible characters, a 20 MB body, deep HTML, invalid UTF-8,
        /// broken list elements), to see that the console stays whole.
        #[arg(long, value_enum, default_value_t = DemoSeed::Standard)]
        seed: DemoSeed,
    },
    /// Check the configuration and that each profile's server answers; prints a report.
    Doctor,
    /// Run the InvGate simulator alone until interrupted, printing its address.
    Sim {
        /// Port on 127.0.0.1 (0 = any free port).
        #[arg(long, default_value_t = 0)]
        port: u16,
        #[arg(long, default_value_t = 0, value_name = "MS")]
        latency_ms: u64,
        /// Which demo instance to serve: `it` (Acme IT) or `hr` (Acme HR).
        #[arg(long, default_value = "it", value_parser = parse_instance)]
        instance: Instance,
        /// Which data to serve: `standard` or `hostile` (see `ttydesk demo --help`).
        #[arg(long, value_enum, default_value_t = DemoSeed::Standard)]
        seed: DemoSeed,
    },
    #[command(flatten)]
    Script(commands::Script),
    /// Print a shell completion script: `ttydesk completions bash > ~/.local/share/bash-completion/completions/ttydesk`.
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff): `ttydesk man | man -l -`.
    Man,
}

/// The command line's definition, for completions and the manual page.
pub fn definition() -> clap::Command {
    <Cli as clap::CommandFactory>::command()
}

/// The completion script for `shell`.
pub fn completions(shell: clap_complete::Shell) -> Vec<u8> {
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut definition(), "ttydesk", &mut out);
    out
}

/// The manual page, in roff.
pub fn man_page() -> std::io::Result<Vec<u8>> {
    let mut out = Vec::new();
    clap_mangen::Man::new(definition()).render(&mut out)?;
    Ok(out)
}

/// A provider ready to use, and where its secret came from.
pub struct Connected {
    pub provider: Arc<dyn Provider>,
    pub vendor: &'static str,
    pub secret_source: SecretSource,
}

/// The profile that talks to a running simulator (the demo, tests, benches). The token is the
/// simulator's own made-up one, so keeping it "in the file" is harmless.
pub fn sim_profile(sim: &SimHandle) -> Profile {
    Profile {
        provider: ProviderKind::Invgate,
        base_url: sim.base_url(),
        username: Some(sim.username().to_string()),
        token_env: None,
        token_command: None,
        token_file: None,
        keyring: None,
        token: Some(sim.password().to_string()),
        allow_token_in_file: true,
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

/// A profile for the simulator's Iden org `slug` (the key in the file: it is the simulator's).
pub fn sim_iden_profile(sim: &SimHandle, slug: &str) -> Profile {
    Profile {
        provider: ProviderKind::Iden,
        base_url: sim.iden_base_url(slug),
        username: None,
        token: Some(sim.iden_key()),
        ..sim_profile(sim)
    }
}

/// A profile for the simulator's Truto environment, in `account` (`None`: pick one).
pub fn sim_truto_profile(sim: &SimHandle, account: Option<&str>) -> Profile {
    Profile {
        provider: ProviderKind::Truto,
        base_url: sim.truto_base_url(),
        username: None,
        token: Some(sim.truto_token()),
        integrated_account_id: account.map(str::to_string),
        ..sim_profile(sim)
    }
}

/// A profile for the simulator's Rezolve tenant `slug`, with its tenant id and realm.
pub fn sim_rezolve_profile(sim: &SimHandle, slug: &str) -> Profile {
    Profile {
        provider: ProviderKind::Rezolve,
        base_url: sim.rezolve_base_url(slug),
        username: None,
        token: Some(sim.rezolve_token()),
        tenant_id: Some(sim.rezolve_tenant_id()),
        realm: Some(sim.rezolve_realm()),
        ..sim_profile(sim)
    }
}

/// The vendor's name as the screen shows it.
pub fn vendor_name(kind: ProviderKind) -> &'static str {
    kind.vendor()
}

/// What identifies where a profile's saved data came from: vendor, server (the API root the
/// provider talks to, normalized as it normalizes it: no query, fragment, trailing slashes, any
/// case of `/api/v1`) and user; never the token. Saved data under another fingerprint is not
/// shown for this profile.
pub fn fingerprint(profile: &Profile) -> String {
    let server = match profile.provider {
        ProviderKind::Invgate => crate::provider::invgate::normalize_base(&profile.base_url)
            .map(|url| url.to_string())
            // Not a URL the provider can use: the profile cannot connect either.
            .unwrap_or_else(|_| profile.base_url.trim().to_string()),
        ProviderKind::Iden => crate::provider::iden::normalize_base(&profile.base_url)
            .map(|url| url.to_string())
            .unwrap_or_else(|_| profile.base_url.trim().to_string()),
        // One token reaches several accounts: what is saved is the configured account's.
        ProviderKind::Truto => {
            let base = crate::provider::truto::normalize_base(&profile.base_url)
                .map(|url| url.to_string())
                .unwrap_or_else(|_| profile.base_url.trim().to_string());
            match &profile.integrated_account_id {
                Some(account) => format!("{base}#{}", account.trim()),
                None => base,
            }
        }
        // One address may serve several tenants: the tenant is part of where data came from.
        ProviderKind::Rezolve => {
            let base = crate::provider::rezolve::normalize_base(&profile.base_url)
                .map(|url| url.to_string())
                .unwrap_or_else(|_| profile.base_url.trim().to_string());
            format!(
                "{base}#{}",
                profile.tenant_id.as_deref().unwrap_or("").trim()
            )
        }
    };
    format!(
        "{}|{server}|{}",
        vendor_name(profile.provider).to_lowercase(),
        profile.user()
    )
}

/// A proxy address as `ttydesk doctor` prints it: its password, if it has one, left out
/// (`http://alice:…@proxy:3128`), with or without a scheme, whatever the password holds.
pub fn without_password(url: &str) -> String {
    let (scheme, rest) = match url.split_once("://") {
        Some((scheme, rest)) => (format!("{scheme}://"), rest),
        None => (String::new(), url),
    };
    let (authority, path) = match rest.find('/') {
        Some(at) => rest.split_at(at),
        None => (rest, ""),
    };
    match authority.rsplit_once('@') {
        Some((credentials, host)) => {
            let user = credentials.split(':').next().unwrap_or_default();
            format!("{scheme}{user}:…@{host}{path}")
        }
        None => url.to_string(),
    }
}

/// Builds the provider for a profile: resolves the secret, checks the URL.
pub async fn connect(name: &str, profile: &Profile) -> Result<Connected, ConfigError> {
    let (token, secret_source) = config::resolve_secret(name, profile).await?;
    let mut timeouts = HttpSettings::default();
    if let Some(secs) = profile.timeout_secs {
        timeouts.total = std::time::Duration::from_secs(secs.max(1));
        timeouts.read = timeouts.read.min(timeouts.total);
    }
    if let Some(path) = &profile.ca_file {
        let fail = |message: String| ConfigError::Profile {
            path: "configuration".into(),
            profile: name.to_string(),
            message,
        };
        let pem = std::fs::read_to_string(path)
            .map_err(|e| fail(format!("ca_file {path} cannot be read ({e})")))?;
        if !pem.contains("-----BEGIN CERTIFICATE-----") {
            return Err(fail(format!(
                "ca_file {path} is not a PEM certificate (-----BEGIN CERTIFICATE-----)"
            )));
        }
        // Read once per profile and process: kept for the process's life.
        timeouts.extra_roots = Some(Box::leak(pem.into_boxed_str()));
    }
    let provider: Result<Arc<dyn Provider>, ProviderError> = match profile.provider {
        ProviderKind::Invgate => InvGate::new(InvGateConfig {
            base_url: profile.base_url.clone(),
            username: profile.user().to_string(),
            token,
            timeouts,
        })
        .map(|p| Arc::new(p) as Arc<dyn Provider>),
        ProviderKind::Iden => Iden::new(IdenConfig {
            base_url: profile.base_url.clone(),
            token,
            timeouts,
        })
        .map(|p| Arc::new(p) as Arc<dyn Provider>),
        ProviderKind::Truto => Truto::new(TrutoConfig {
            base_url: profile.base_url.clone(),
            token,
            integrated_account_id: profile.integrated_account_id.clone(),
            timeouts,
        })
        .map(|p| Arc::new(p) as Arc<dyn Provider>),
        ProviderKind::Rezolve => Rezolve::new(RezolveConfig {
            base_url: profile.base_url.clone(),
            token,
            tenant_id: profile.tenant_id.clone().unwrap_or_default(),
            realm: profile.realm.clone(),
            timeouts,
        })
        .map(|p| Arc::new(p) as Arc<dyn Provider>),
    };
    let provider = provider.map_err(|e: ProviderError| ConfigError::Profile {
        path: "configuration".into(),
        profile: name.to_string(),
        message: e.to_string(),
    })?;
    Ok(Connected {
        vendor: vendor_name(profile.provider),
        provider,
        secret_source,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn profile(base_url: &str, username: &str) -> Profile {
        Profile {
            base_url: base_url.into(),
            username: Some(username.into()),
            token: Some("s3cret".into()),
            ..sim_like()
        }
    }

    fn sim_like() -> Profile {
        Profile {
            provider: ProviderKind::Invgate,
            base_url: String::new(),
            username: None,
            token_env: None,
            token_command: None,
            token_file: None,
            keyring: None,
            token: None,
            allow_token_in_file: true,
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

    #[test]
    fn a_proxy_password_is_never_printed() {
        for (url, shown) in [
            (
                "http://alice:hunter2@proxy:3128",
                "http://alice:…@proxy:3128",
            ),
            ("alice:hunter2@proxy:3128", "alice:…@proxy:3128"),
            ("http://u:p@ss@host:8080/x", "http://u:…@host:8080/x"),
            ("http://proxy:3128", "http://proxy:3128"),
        ] {
            assert_eq!(without_password(url), shown);
        }
    }

    #[test]
    fn a_fingerprint_names_the_server_and_user_and_nothing_secret() {
        let a = fingerprint(&profile("https://Desk.example.com/API/v1/", "api"));
        assert_eq!(a, "invgate|https://desk.example.com/api/v1/|api");
        assert_eq!(a, fingerprint(&profile("https://desk.example.com", "api")));
        assert_eq!(
            a,
            fingerprint(&profile("https://desk.example.com/?token=s3cret#x", "api")),
            "a query never reaches the store"
        );
        assert_ne!(a, fingerprint(&profile("https://other.example.com", "api")));
        assert_ne!(
            a,
            fingerprint(&profile("https://desk.example.com", "apiuser"))
        );
        assert_ne!(
            a,
            fingerprint(&profile("https://desk.example.com:8443", "api"))
        );
        assert!(!a.contains("s3cret"));
    }
}
