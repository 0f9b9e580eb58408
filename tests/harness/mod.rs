#![allow(dead_code)]
//! Runs the real console loop for a test: real providers against simulators, scripted keys in,
//! frames out through a `ScreenBackend` the script reads while the loop runs. When the script
//! ends, the keys end, the loop ends, and the final model comes back.

pub mod bin;
pub mod pty;

use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use tokio::sync::mpsc::UnboundedSender;
use ttydesk::app::persist::{Partition, StoreLink};
use ttydesk::app::runtime::{Services, run};
use ttydesk::app::{Model, ProfileLabel};
use ttydesk::config::{Keymap, Profile};
use ttydesk::sim::{Instance, SimHandle, SimOptions};
use ttydesk::testing::{InputLog, ScreenBackend, ScreenWatch, ScriptedInput};
use ttydesk::ui::Theme;

/// A simulator on 127.0.0.1 (port 0) with `options`.
pub async fn sim_with(options: SimOptions) -> SimHandle {
    SimHandle::start(options).await.expect("simulator starts")
}

/// The user name of an agent who works in one of `sim`'s help desks.
pub fn agent_login(sim: &SimHandle) -> String {
    let data = sim.dataset();
    data.agents()
        .find(|u| {
            !u.is_disabled
                && data
                    .helpdesks
                    .iter()
                    .any(|d| !d.deleted && d.members.contains(&u.id))
        })
        .map(|u| u.username.clone())
        .expect("the simulator has an agent in a desk")
}

/// A simulator of the demo `instance`, otherwise as by default.
pub async fn sim(instance: Instance) -> SimHandle {
    sim_with(SimOptions {
        instance,
        ..SimOptions::default()
    })
    .await
}

/// How many open requests `sim` serves: what a loaded queue of every desk counts.
pub fn open_count(sim: &SimHandle) -> usize {
    sim.dataset().open_requests().count()
}

/// How long a script waits for a screen before it fails.
const WAIT: Duration = Duration::from_secs(15);

/// One profile of the console under test: a name and the simulator it talks to.
pub struct Desk<'a> {
    name: &'a str,
    base_url: String,
    sim: &'a SimHandle,
    timeout_secs: u64,
    agent: Option<String>,
    /// Another vendor's profile of `sim` (InvGate's when `None`).
    profile: Option<Profile>,
}

impl<'a> Desk<'a> {
    pub fn new(name: &'a str, sim: &'a SimHandle) -> Desk<'a> {
        Desk {
            name,
            base_url: sim.base_url(),
            sim,
            timeout_secs: 10,
            agent: None,
            profile: None,
        }
    }

    /// The profile is `profile` (another vendor's, of the same simulator).
    pub fn with_profile(self, profile: Profile) -> Desk<'a> {
        Desk {
            profile: Some(profile),
            ..self
        }
    }

    /// The profile acts as `login` (its `agent` key).
    pub fn agent(self, login: &str) -> Desk<'a> {
        Desk {
            agent: Some(login.to_string()),
            ..self
        }
    }

    /// Talks to `base_url` instead of the simulator's (a server that is not there).
    pub fn at(self, base_url: String) -> Desk<'a> {
        Desk { base_url, ..self }
    }

    /// Calls of this profile give up after `secs`.
    pub fn timeout(self, secs: u64) -> Desk<'a> {
        Desk {
            timeout_secs: secs,
            ..self
        }
    }
}

/// The script's side of the console.
pub struct Console {
    keys: UnboundedSender<Event>,
    pub screen: ScreenWatch,
    pub input_log: Arc<Mutex<Vec<InputLog>>>,
}

impl Console {
    pub fn key(&self, code: KeyCode) {
        self.press(KeyEvent::new(code, KeyModifiers::NONE));
    }

    pub fn press(&self, event: KeyEvent) {
        // A closed channel means the loop ended early; the script's waits will say so.
        let _ = self.keys.send(Event::Key(event));
    }

    /// Types `text`, one key per character.
    pub fn text(&self, text: &str) {
        for c in text.chars() {
            self.key(KeyCode::Char(c));
        }
    }

    /// The first frame that satisfies `ready`; fails the test with the last frame otherwise.
    pub async fn wait(&self, ready: impl Fn(&str) -> bool) -> String {
        match self.screen.wait_for(WAIT, ready).await {
            Ok(screen) => screen,
            Err(last) => panic!("the expected screen never came; the last one was:\n{last}"),
        }
    }

    /// Waits until the console has drawn nothing for a while (it is idle).
    pub async fn settle(&self) {
        self.screen
            .settle(Duration::from_millis(150), Duration::from_secs(10))
            .await;
    }

    /// Waits `at_least`, then until idle.
    pub async fn settle_for(&self, at_least: Duration) {
        tokio::time::sleep(at_least).await;
        self.settle().await;
    }
}

/// Runs the console on `desks` at `size`, with `setup` applied to the model before it starts
/// (a keymap, settings), while `script` types and reads; returns the model as the loop left it.
pub async fn run_console_with<F, Fut>(
    desks: &[Desk<'_>],
    size: (u16, u16),
    setup: impl FnOnce(&mut Model),
    script: F,
) -> Model
where
    F: FnOnce(Console) -> Fut,
    Fut: Future<Output = ()>,
{
    run_console_stored(desks, size, None, setup, script).await
}

/// [`run_console_with`] keeping what it sees in `store` (the profiles' partitions are their
/// names, with a fingerprint that stays the same across runs).
pub async fn run_console_stored<F, Fut>(
    desks: &[Desk<'_>],
    size: (u16, u16),
    store: Option<ttydesk::store::Store>,
    setup: impl FnOnce(&mut Model),
    script: F,
) -> Model
where
    F: FnOnce(Console) -> Fut,
    Fut: Future<Output = ()>,
{
    let mut providers = Vec::new();
    let mut labels = Vec::new();
    for desk in desks {
        let profile = match &desk.profile {
            Some(profile) => Profile {
                timeout_secs: Some(desk.timeout_secs),
                ..profile.clone()
            },
            None => Profile {
                timeout_secs: Some(desk.timeout_secs),
                base_url: desk.base_url.clone(),
                agent: desk.agent.clone(),
                ..ttydesk::cli::sim_profile(desk.sim)
            },
        };
        let connected = ttydesk::cli::connect(desk.name, &profile)
            .await
            .unwrap_or_else(|e| panic!("cannot connect to the simulator: {e}"));
        labels.push(ProfileLabel {
            name: desk.name.to_string(),
            vendor: connected.vendor.to_string(),
            demo: false,
            agent: profile.agent.clone(),
            read_only: profile.read_only,
            web: connected.provider.web_links(),
        });
        providers.push(connected.provider);
    }
    let (keymap, _) = Keymap::load(&Default::default());
    let mut model = Model::new(labels, Arc::new(keymap), chrono::Utc::now());
    model.settings.outbox = store.is_some();
    model.settings.instance = "test".into();
    setup(&mut model);
    let (mut input, keys) = ScriptedInput::new();
    let input_log = Arc::clone(&input.log);
    let (backend, screen) = ScreenBackend::new(size.0, size.1);
    let mut terminal = Terminal::new(backend).unwrap_or_else(|e| panic!("terminal: {e}"));
    let store = store.map(|store| {
        let partitions = desks
            .iter()
            .map(|d| Partition {
                name: d.name.to_string(),
                fingerprint: "test".to_string(),
            })
            .collect();
        StoreLink::new(store, partitions)
    });
    let services = Services { providers, store };
    let theme = Theme::default();
    let console = Console {
        keys,
        screen,
        input_log,
    };
    let (model, ()) = tokio::join!(
        run(&mut terminal, &mut input, model, services, &theme, None),
        // The console ends when the script does: its keys end.
        async move { script(console).await },
    );
    model.unwrap_or_else(|e| panic!("the loop failed: {e}"))
}

/// A store in `dir` (a test's temporary directory), opened as the console opens it.
pub fn store_at(dir: &std::path::Path) -> ttydesk::store::Store {
    ttydesk::store::open(ttydesk::store::StoreOptions {
        path: dir.join("store.sqlite3"),
        journal: ttydesk::store::JournalChoice::Auto,
        network_fs: Some(false),
    })
    .expect("store opens")
    .store
}

/// The console on one profile, "work", of `sim`, acting as `login`, with its store in `dir`:
/// what a test of writes needs.
pub async fn run_as<F, Fut>(
    sim: &SimHandle,
    login: &str,
    dir: &std::path::Path,
    size: (u16, u16),
    script: F,
) -> Model
where
    F: FnOnce(Console) -> Fut,
    Fut: Future<Output = ()>,
{
    let desks = [Desk::new("work", sim).agent(login)];
    run_console_stored(&desks, size, Some(store_at(dir)), |_| {}, script).await
}

/// [`run_console_with`] with nothing to set up.
pub async fn run_console<F, Fut>(desks: &[Desk<'_>], size: (u16, u16), script: F) -> Model
where
    F: FnOnce(Console) -> Fut,
    Fut: Future<Output = ()>,
{
    run_console_with(desks, size, |_| {}, script).await
}
