//! `ttydesk demo`'s profiles: two simulated InvGate instances whose request ids overlap (Acme
//! IT, Acme HR), and the other vendors the first simulator also serves — an Iden organisation
//! (Acme Access, read-only access requests) and a Truto environment (Acme Support: in its Zendesk
//! account; `:account` lists a Jira too, and a Freshdesk that needs re-authorising). Each is connected through
//! the same `cli::connect` a configured profile goes through — and a Rezolve tenant (Acme
//! Facilities: tickets by team, read-only).

use std::sync::Arc;

use crate::app::ProfileLabel;
use crate::app::persist::Partition;
use crate::cli;
use crate::config::{ConfigError, Profile};
use crate::provider::Provider;
use crate::sim::{Instance, SimHandle, SimOptions};

/// One demo profile, ready to open.
pub struct DemoProfile {
    pub label: ProfileLabel,
    pub provider: Arc<dyn Provider>,
    pub partition: Partition,
}

/// The running simulators (dropping them stops them) and the profiles on them.
pub struct Demo {
    pub sims: Vec<SimHandle>,
    pub profiles: Vec<DemoProfile>,
}

/// The agent the demo acts as on InvGate: the simulator's first agent who works in a help desk
/// (not the API account itself).
fn invgate_agent(sim: &SimHandle) -> Option<String> {
    let data = sim.dataset();
    let in_a_desk = |id: u64| data.helpdesks.iter().any(|d| d.members.contains(&id));
    data.agents()
        .find(|u| !u.is_disabled && in_a_desk(u.id))
        .map(|u| u.username.clone())
}

/// The agent on Truto's first account: its first agent's email.
fn truto_agent(sim: &SimHandle) -> Option<String> {
    let accounts = sim.truto_accounts();
    let first = accounts.first()?;
    first
        .people
        .iter()
        .find(|p| p.is_agent)
        .map(|p| p.email.clone())
}

async fn open(
    name: &str,
    profile: &Profile,
    agent: Option<String>,
    fingerprint: &str,
) -> Result<DemoProfile, ConfigError> {
    let connected = cli::connect(name, profile).await?;
    Ok(DemoProfile {
        label: ProfileLabel {
            name: name.to_string(),
            vendor: connected.vendor.to_string(),
            demo: true,
            agent,
            read_only: false,
            web: connected.provider.web_links(),
        },
        provider: connected.provider,
        // The simulator's port changes every run; its data does not.
        partition: Partition {
            name: format!("demo/{name}"),
            fingerprint: fingerprint.to_string(),
        },
    })
}

/// Starts the simulators (both InvGate data sets are generated at once) and connects every
/// demo profile. `now` anchors the generated data to the wall clock; `hostile` serves the
/// hostile seed on both InvGate instances (see `SimOptions::hostile`).
pub async fn start(latency_ms: u64, now: i64, hostile: bool) -> Result<Demo, ConfigError> {
    let instances = [("Acme IT", Instance::It), ("Acme HR", Instance::Hr)];
    let starting = instances.map(|(_, instance)| {
        tokio::spawn(SimHandle::start(SimOptions {
            instance,
            latency: std::time::Duration::from_millis(latency_ms),
            now: Some(now),
            hostile,
            ..SimOptions::default()
        }))
    });
    let failed = |e: String| ConfigError::Other(format!("the demo simulator did not start: {e}"));
    let mut sims = Vec::new();
    let mut profiles = Vec::new();
    for ((name, instance), sim) in instances.into_iter().zip(starting) {
        let sim = sim
            .await
            .map_err(|e| failed(e.to_string()))?
            .map_err(|e| failed(e.to_string()))?;
        // The hostile data is cached apart from the standard demo's.
        let fingerprint = format!(
            "demo|{}{}",
            instance.name(),
            if hostile { "|hostile" } else { "" }
        );
        profiles.push(
            open(
                name,
                &cli::sim_profile(&sim),
                invgate_agent(&sim),
                &fingerprint,
            )
            .await?,
        );
        sims.push(sim);
    }
    if let Some(sim) = sims.first() {
        let iden = cli::sim_iden_profile(sim, "acme");
        profiles.push(open("Acme Access", &iden, None, "demo|iden").await?);
        // In its Zendesk account; `:account` lists the others (one needs re-authorising).
        let zendesk = sim.truto_accounts().first().map(|a| a.id.clone());
        let truto = cli::sim_truto_profile(sim, zendesk.as_deref());
        profiles.push(open("Acme Support", &truto, truto_agent(sim), "demo|truto").await?);
        let rezolve = cli::sim_rezolve_profile(sim, "acme");
        profiles.push(open("Acme Facilities", &rezolve, None, "demo|rezolve").await?);
    }
    Ok(Demo { sims, profiles })
}
