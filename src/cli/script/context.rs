//! One profile opened for a scripting command, the way the console opens it: the provider, the
//! store partition with what was saved there (catalog, capabilities, the agent), and the
//! lookups a command needs, each saved back for the console and the next command.

use std::sync::Arc;

use tokio::sync::mpsc;

use super::Failure;
use crate::app::persist::{Partition, StoreLink};
use crate::app::{Msg, Saved, StoreOp, Stored};
use crate::cli::{self, Cli};
use crate::config::{self, ConfigFile, Profile};
use crate::domain::{Capabilities, Catalog, DeskId, Person, ProfileId, UserId};
use crate::provider::{Provider, ProviderError};
use crate::store::Store;

/// The one profile a command works on is always the first (and only) of its store link.
pub const PROFILE: ProfileId = ProfileId(0);

pub struct Context {
    pub name: String,
    pub profile: Profile,
    pub provider: Arc<dyn Provider>,
    pub partition: Partition,
    pub link: Option<StoreLink>,
    pub saved: Saved,
    pub kb_min_score: Option<f64>,
    catalog: Option<Arc<Catalog>>,
    capabilities: Option<Capabilities>,
    /// Why the server could not be reached, when a write went on with what was saved.
    pub offline: Option<String>,
}

/// The configuration and the profile a command is about.
pub fn select(cli: &Cli) -> Result<(ConfigFile, Vec<(String, Profile)>), Failure> {
    select_named(cli, cli.profile.as_deref())
}

fn select_named(
    cli: &Cli,
    wanted: Option<&str>,
) -> Result<(ConfigFile, Vec<(String, Profile)>), Failure> {
    let Some(path) = config::locate(cli.config.as_deref()) else {
        return Err(Failure::usage(format!(
            "no configuration found: pass --config FILE, set ${}, or write \
             ~/.config/ttydesk/ttydesk.toml (see the README)",
            config::CONFIG_ENV
        )));
    };
    let file = config::load(&path)?;
    let chosen = file.chosen(wanted)?;
    Ok((file, chosen))
}

/// The one profile of `chosen` a command works on: the only one, else `default_profile`.
pub fn one(
    file: &ConfigFile,
    chosen: Vec<(String, Profile)>,
) -> Result<(String, Profile), Failure> {
    let mut chosen = chosen;
    if chosen.len() == 1
        && let Some(only) = chosen.pop()
    {
        return Ok(only);
    }
    let names = chosen
        .iter()
        .map(|(n, _)| n.as_str())
        .collect::<Vec<_>>()
        .join(", ");
    if let Some(default) = &file.default_profile
        && let Some(found) = chosen.iter().find(|(n, _)| n == default)
    {
        return Ok(found.clone());
    }
    Err(Failure::usage(format!(
        "several profiles are open ({names}): pick one with --profile NAME, or set default_profile"
    )))
}

/// Opens the store in the data directory (none with `--no-store`, or when it cannot be
/// opened: said on standard error).
pub async fn open_store(cli: &Cli, file: &ConfigFile) -> Option<Store> {
    if cli.no_store {
        return None;
    }
    let journal = file.store_journal;
    let opened = tokio::task::spawn_blocking(move || {
        let dir = config::data_dir()?;
        Some(crate::app::persist::open(
            dir.join("store.sqlite3"),
            journal,
        ))
    })
    .await
    .ok()
    .flatten();
    let (store, notes) = opened.unwrap_or((None, vec!["no data directory".into()]));
    for note in notes {
        tracing::warn!("{note}");
        if store.is_none() {
            eprintln!("ttydesk: {note}");
        }
    }
    store
}

impl Context {
    /// Opens the command's profile; `writes` commands refuse a read-only profile at once.
    pub async fn open(cli: &Cli, writes: bool) -> Result<Context, Failure> {
        Context::open_named(cli, cli.profile.as_deref(), writes).await
    }

    /// Opens profile `wanted` (else as [`Context::open`] chooses).
    pub async fn open_named(
        cli: &Cli,
        wanted: Option<&str>,
        writes: bool,
    ) -> Result<Context, Failure> {
        let (file, chosen) = select_named(cli, wanted)?;
        let (name, profile) = one(&file, chosen)?;
        if writes && profile.read_only {
            return Err(Failure::usage(format!(
                "profile `{name}` is read-only (read_only = true): nothing is written"
            )));
        }
        let connected = cli::connect(&name, &profile).await?;
        tracing::info!(profile = %name, source = %connected.secret_source, "profile opened for a command");
        let store = open_store(cli, &file).await;
        let partition = Partition {
            name: name.clone(),
            fingerprint: cli::fingerprint(&profile),
        };
        let link = store.map(|store| StoreLink::new(store, vec![partition.clone()]));
        let saved = match &link {
            Some(link) => load(link).await,
            None => Saved::default(),
        };
        Ok(Context {
            name,
            profile,
            provider: connected.provider,
            partition,
            link,
            saved,
            kb_min_score: file.kb_min_score,
            catalog: None,
            capabilities: None,
            offline: None,
        })
    }

    /// Waits until what the command saved is on disk.
    pub async fn flush(&self) {
        if let Some(link) = &self.link {
            let _ = tokio::time::timeout(
                std::time::Duration::from_secs(3),
                crate::app::persist::flush(link.store()),
            )
            .await;
        }
    }

    fn save(&self, op: StoreOp) {
        if let Some(link) = &self.link {
            let (tx, _rx) = mpsc::unbounded_channel();
            link.execute(op, &tx);
        }
    }

    /// What the server can do for this profile, asked once.
    pub async fn capabilities(&mut self) -> Result<Capabilities, Failure> {
        if let Some(known) = self.capabilities {
            return Ok(known);
        }
        let probe = self.provider.probe().await?;
        if let Some(accounts) = &probe.accounts
            && probe.account.is_none()
        {
            let ids = accounts
                .iter()
                .map(|a| format!("{} ({})", a.id, a.label))
                .collect::<Vec<_>>()
                .join(", ");
            return Err(Failure::usage(format!(
                "profile `{}` reaches several accounts: set integrated_account_id to one of {ids}",
                self.name
            )));
        }
        self.capabilities = Some(probe.capabilities);
        self.save(StoreOp::SaveCapabilities {
            profile: PROFILE,
            capabilities: probe.capabilities,
        });
        Ok(probe.capabilities)
    }

    /// The catalog (desks, statuses, people), revalidated against the saved one.
    pub async fn catalog(&mut self) -> Result<Arc<Catalog>, Failure> {
        if let Some(catalog) = &self.catalog {
            return Ok(Arc::clone(catalog));
        }
        let fetched = match &self.saved.catalog {
            Some((saved, _)) => {
                self.provider
                    .revalidate_catalog(Arc::new(saved.clone()))
                    .await
            }
            None => self.provider.catalog().await,
        }?;
        let catalog = Arc::new(fetched);
        self.save(StoreOp::SaveCatalog {
            profile: PROFILE,
            catalog: Arc::clone(&catalog),
        });
        self.catalog = Some(Arc::clone(&catalog));
        Ok(catalog)
    }

    /// The agent the profile acts as (`agent = "…"`), looked up on the server.
    pub async fn agent(&mut self) -> Result<Person, Failure> {
        let Some(login) = self.profile.agent.clone() else {
            return Err(Failure::usage(format!(
                "profile `{}` has no agent: add agent = \"<user name or email>\" to act as someone",
                self.name
            )));
        };
        let person = match self.provider.agent(login.clone()).await {
            Ok(person) => person,
            Err(e @ (ProviderError::NotFound(_) | ProviderError::Rejected(_))) => {
                return Err(Failure::usage(format!(
                    "profile `{}`: agent = \"{login}\" is not a user of this service desk ({e})",
                    self.name
                )));
            }
            Err(e) => return Err(e.into()),
        };
        self.save(StoreOp::SaveAgent {
            profile: PROFILE,
            login,
            person: person.clone(),
        });
        Ok(person)
    }

    /// What a write needs (capabilities, catalog, agent), from the server when it answers and
    /// from what was saved when it cannot be reached: the write then waits in the outbox.
    pub async fn for_writing(&mut self) -> Result<Writer, Failure> {
        let online = async {
            let capabilities = self.capabilities().await?;
            let catalog = self.catalog().await?;
            let agent = self.agent().await?;
            Ok::<_, Failure>((capabilities, Some(catalog), agent))
        }
        .await;
        let (capabilities, catalog, agent) = match online {
            Ok(found) => found,
            Err(failure) if unreachable(&failure) => {
                let login = self.profile.agent.clone().unwrap_or_default();
                let Some((saved_login, person)) = self.saved.agent.clone() else {
                    return Err(Failure::new(
                        failure.exit,
                        format!(
                            "{}; the write cannot be queued before ttydesk has once reached \
                             the server as this agent",
                            failure.message
                        ),
                    ));
                };
                if saved_login != login {
                    return Err(failure);
                }
                self.offline = Some(failure.message);
                let capabilities = self.saved.capabilities.unwrap_or(Capabilities::EVERYTHING);
                let catalog = self.saved.catalog.clone().map(|(c, _)| Arc::new(c));
                (capabilities, catalog, person)
            }
            Err(failure) => return Err(failure),
        };
        if !capabilities.writes {
            return Err(Failure::usage(format!(
                "profile `{}` cannot write: its service desk is read-only through its API",
                self.name
            )));
        }
        Ok(Writer {
            capabilities,
            catalog,
            author: agent.id,
        })
    }
}

/// What a write is made with.
pub struct Writer {
    pub capabilities: Capabilities,
    /// `None` when the server was never reached: the write waits until it is.
    pub catalog: Option<Arc<Catalog>>,
    pub author: UserId,
}

/// The server could not be reached or did not answer in time (not a refusal).
fn unreachable(failure: &Failure) -> bool {
    failure.transport
}

/// What the store holds for the command's profile.
async fn load(link: &StoreLink) -> Saved {
    let (tx, mut rx) = mpsc::unbounded_channel();
    link.execute(StoreOp::Load { profile: PROFILE }, &tx);
    while let Some(msg) = rx.recv().await {
        match msg {
            Msg::Stored(Stored::Profile { saved, .. }) => return *saved,
            Msg::Stored(Stored::Notice(text)) => eprintln!("ttydesk: {text}"),
            _ => {}
        }
    }
    Saved::default()
}

/// A help desk by id, or by name (any case), or as "Desk › Level" / "Desk/Level".
pub fn desk(catalog: &Catalog, wanted: &str) -> Result<DeskId, Failure> {
    let wanted = wanted.trim();
    if let Some(d) = catalog.help_desks.iter().find(|d| d.id.as_str() == wanted) {
        return Ok(d.id.clone());
    }
    let path_of = |d: &crate::domain::HelpDesk| match &d.parent_id {
        Some(parent) => catalog
            .help_desk(parent.as_str())
            .map_or_else(|| d.name.to_string(), |p| format!("{}/{}", p.name, d.name)),
        None => d.name.to_string(),
    };
    let norm = |s: &str| s.replace(" › ", "/").to_lowercase();
    let found: Vec<_> = catalog
        .help_desks
        .iter()
        .filter(|d| {
            d.name.as_str().to_lowercase() == wanted.to_lowercase()
                || norm(&path_of(d)) == norm(wanted)
        })
        .collect();
    match found.as_slice() {
        [one] => Ok(one.id.clone()),
        [] => Err(Failure::not_found(format!(
            "no help desk named `{wanted}` (known: {})",
            catalog
                .help_desks
                .iter()
                .map(path_of)
                .collect::<Vec<_>>()
                .join(", ")
        ))),
        several => Err(Failure::usage(format!(
            "`{wanted}` names several help desks ({}): give its id",
            several
                .iter()
                .map(|d| format!("{} = {}", d.id, path_of(d)))
                .collect::<Vec<_>>()
                .join(", ")
        ))),
    }
}

/// A request id as typed: "#1207" and "1207" are the same.
pub fn ticket_id(typed: &str) -> crate::domain::TicketId {
    crate::domain::TicketId::from(typed.trim().trim_start_matches('#'))
}
