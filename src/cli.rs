//! The command line: the console (default), `demo`, `doctor` (check configuration and
//! connectivity without the TUI) and `sim` (the simulator on its own, for scripts and benches).

use std::path::PathBuf;
use std::sync::Arc;

use clap::{Parser, Subcommand};

use crate::config::{self, ConfigError, Profile, ProviderKind, SecretSource};
use crate::provider::http::Timeouts;
use crate::provider::invgate::{InvGate, InvGateConfig};
use crate::provider::{Provider, ProviderError};
use crate::sim::SimHandle;

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
    /// Profile to open (default: default_profile, or the only one).
    #[arg(long, global = true, value_name = "NAME")]
    pub profile: Option<String>,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Open the console on built-in demo data (an InvGate simulator on 127.0.0.1).
    Demo {
        /// Delay added to every simulated API call, to feel a slow link.
        #[arg(long, default_value_t = 0, value_name = "MS")]
        latency_ms: u64,
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
    },
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
        username: sim.username().to_string(),
        token_env: None,
        token_command: None,
        token: Some(sim.password().to_string()),
        allow_token_in_file: true,
        timeout_secs: None,
    }
}

/// Builds the provider for a profile: resolves the secret, checks the URL.
pub async fn connect(name: &str, profile: &Profile) -> Result<Connected, ConfigError> {
    let (token, secret_source) = config::resolve_secret(name, profile).await?;
    let mut timeouts = Timeouts::default();
    if let Some(secs) = profile.timeout_secs {
        timeouts.total = std::time::Duration::from_secs(secs.max(1));
        timeouts.read = timeouts.read.min(timeouts.total);
    }
    let provider = match profile.provider {
        ProviderKind::Invgate => InvGate::new(InvGateConfig {
            base_url: profile.base_url.clone(),
            username: profile.username.clone(),
            token,
            timeouts,
        }),
    }
    .map_err(|e: ProviderError| ConfigError::Profile {
        path: "configuration".into(),
        profile: name.to_string(),
        message: e.to_string(),
    })?;
    Ok(Connected {
        vendor: provider.vendor(),
        provider: Arc::new(provider),
        secret_source,
    })
}
