//! Start-up only: error hooks, command line, logging, configuration, the store, the terminal,
//! the run, and restoring the terminal. Everything after start-up lives in the library.

use std::io::Write;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Instant;

use clap::Parser;
use ttydesk::app::input::{FullScreen, TerminalInput};
use ttydesk::app::persist::{Partition, StoreLink};
use ttydesk::app::runtime::Services;
use ttydesk::app::startup::StartupReport;
use ttydesk::app::{Model, NoticeLevel, ProfileLabel, Settings};
use ttydesk::cli::{self, Cli, Command, DemoSeed};
use ttydesk::config::{self, ConfigError, Keymap};
use ttydesk::domain::ProfileId;
use ttydesk::provider::{Provider, Unusable};
use ttydesk::sim::{Instance, SimHandle, SimOptions};
use ttydesk::store::JournalChoice;
use ttydesk::ui::Theme;

#[tokio::main]
async fn main() -> color_eyre::Result<ExitCode> {
    let launched = Instant::now();
    color_eyre::install()?;
    let cli = Cli::parse();
    let logging = init_logging();
    match &cli.command {
        Some(Command::Script(script)) => return Ok(cli::script::run(&cli, script).await),
        Some(Command::Completions { shell }) => {
            std::io::stdout()
                .lock()
                .write_all(&cli::completions(*shell))?;
            return Ok(ExitCode::SUCCESS);
        }
        Some(Command::Man) => {
            std::io::stdout().lock().write_all(&cli::man_page()?)?;
            return Ok(ExitCode::SUCCESS);
        }
        _ => {}
    }
    match run(cli, launched, logging).await {
        Ok(()) => Ok(ExitCode::SUCCESS),
        Err(Failure::Config(e)) => {
            eprintln!("ttydesk: {e}");
            Ok(ExitCode::from(2))
        }
        Err(Failure::Other(e)) => Err(e),
    }
}

enum Failure {
    /// The agent must fix the configuration: a plain message, no backtrace.
    Config(ConfigError),
    Other(color_eyre::Report),
}

impl From<ConfigError> for Failure {
    fn from(e: ConfigError) -> Self {
        Failure::Config(e)
    }
}

impl From<cli::doctor::Failed> for Failure {
    fn from(e: cli::doctor::Failed) -> Self {
        match e {
            cli::doctor::Failed::Config(e) => Failure::from(e),
            cli::doctor::Failed::Io(e) => Failure::from(e),
        }
    }
}

impl From<std::io::Error> for Failure {
    fn from(e: std::io::Error) -> Self {
        Failure::Other(e.into())
    }
}

/// Drawing into a pipe would only fill it with escape codes. Checked after the configuration
/// (so its mistakes are still reported to scripts) and before the simulator or the terminal
/// are touched.
fn require_terminal() -> Result<(), Failure> {
    if std::io::IsTerminal::is_terminal(&std::io::stdout()) {
        Ok(())
    } else {
        Err(no_terminal("standard output is not a terminal".into()))
    }
}

fn no_terminal(why: String) -> Failure {
    Failure::Config(ConfigError::Other(format!(
        "{why}: ttydesk needs an interactive terminal \
         (for scripts, see `ttydesk doctor` and `ttydesk sim`)"
    )))
}

/// One profile ready to open.
struct Opened {
    label: ProfileLabel,
    provider: Arc<dyn Provider>,
    partition: Partition,
}

/// What the configuration says about keys, looks and conveniences (the defaults for the demo
/// without a configuration).
#[derive(Default)]
struct Prefs {
    keys: config::UserKeys,
    theme: Option<String>,
    glyphs: config::GlyphChoice,
    mouse: bool,
    hyperlinks: config::LinkChoice,
    views: Vec<(String, config::View)>,
}

impl Prefs {
    fn of(file: &config::ConfigFile) -> Prefs {
        Prefs {
            keys: file.keys.clone(),
            theme: file.theme.clone(),
            glyphs: file.glyphs,
            mouse: file.mouse,
            hyperlinks: file.hyperlinks,
            views: file
                .views
                .iter()
                .map(|(n, v)| (n.clone(), v.clone()))
                .collect(),
        }
    }
}

/// Everything the console starts with.
struct Start {
    profiles: Vec<Opened>,
    prefs: Prefs,
    warnings: Vec<String>,
    /// The store, being opened on a blocking thread while the profiles connect.
    store: Option<OpeningStore>,
    /// The profile selected at start (`default_profile`).
    selected: Option<String>,
    /// `news_interval` (seconds) and `bell` from the configuration.
    news_interval: Option<u64>,
    bell: bool,
    /// `kb_min_score` from the configuration.
    kb_min_score: Option<f64>,
}

/// The store as it comes out of opening: the store if there is one, and the sentences for the
/// agent (a file moved aside, a journal fallback, no store at all).
type OpeningStore = tokio::task::JoinHandle<(Option<ttydesk::store::Store>, Vec<String>)>;

/// Starts opening the store in the data directory, off the async threads (a lock held by
/// another ttydesk can make it wait); `None` with `--no-store`.
fn open_store(cli: &Cli, journal: JournalChoice) -> Option<OpeningStore> {
    if cli.no_store {
        return None;
    }
    Some(tokio::task::spawn_blocking(move || {
        let Some(dir) = config::data_dir() else {
            let why = "no data directory: nothing is saved between runs".to_string();
            return (None, vec![why]);
        };
        ttydesk::app::persist::open(dir.join("store.sqlite3"), journal)
    }))
}

async fn run(
    cli: Cli,
    launched: Instant,
    logging: Option<std::path::PathBuf>,
) -> Result<(), Failure> {
    let mut report = cli.startup_report.then(|| StartupReport::new(launched));
    match &cli.command {
        Some(Command::Demo { latency_ms, seed }) => {
            demo(&cli, (*latency_ms, *seed), Vec::new(), report, logging).await
        }
        Some(Command::Doctor) => doctor(&cli).await,
        Some(Command::Sim {
            port,
            latency_ms,
            instance,
            seed,
        }) => sim(*port, *latency_ms, *instance, *seed).await,
        // Answered before the console starts (see main).
        Some(Command::Script(_) | Command::Completions { .. } | Command::Man) => Ok(()),
        None => {
            let Some(path) = config::locate(cli.config.as_deref()) else {
                let note = "no configuration found: showing the demo (see README to connect a service desk)";
                return demo(
                    &cli,
                    (0, DemoSeed::Standard),
                    vec![note.to_string()],
                    report,
                    logging,
                )
                .await;
            };
            let file = config::load(&path)?;
            let chosen = file.chosen(cli.profile.as_deref())?;
            let store = open_store(&cli, file.store_journal);
            // Secrets are resolved at once (a token_command may take seconds each).
            let connected = futures_util::future::join_all(
                chosen
                    .iter()
                    .map(|(name, profile)| cli::connect(name, profile)),
            )
            .await;
            let several = chosen.len() > 1;
            let mut profiles = Vec::new();
            let mut unusable = Vec::new();
            for ((name, profile), connected) in chosen.into_iter().zip(connected) {
                let (vendor, provider) = match connected.map_err(|e| e.in_file(&path)) {
                    Ok(connected) => {
                        tracing::info!(profile = %name, source = %connected.secret_source, "profile opened");
                        (connected.vendor, connected.provider)
                    }
                    // The only profile: nothing to show, so say it plainly before the screen.
                    Err(e) if !several => return Err(e.into()),
                    // One of several: the others open, this one says why it cannot.
                    Err(e) => {
                        unusable.push(e.to_string());
                        let vendor = cli::vendor_name(profile.provider);
                        let provider: Arc<dyn Provider> = Arc::new(Unusable::new(e.to_string()));
                        (vendor, provider)
                    }
                };
                profiles.push(Opened {
                    label: ProfileLabel {
                        name: name.clone(),
                        vendor: vendor.to_string(),
                        demo: false,
                        agent: profile.agent.clone(),
                        read_only: profile.read_only,
                        web: provider.web_links(),
                    },
                    provider,
                    partition: Partition {
                        name,
                        fingerprint: cli::fingerprint(&profile),
                    },
                });
            }
            if let Some(report) = report.as_mut() {
                report.mark("config");
            }
            require_terminal()?;
            let start = Start {
                profiles,
                prefs: Prefs::of(&file),
                // What cannot be used comes first: it is what the agent must fix.
                warnings: unusable,
                store,
                selected: file.default_profile.clone(),
                news_interval: file.news_interval,
                bell: file.bell,
                kb_min_score: file.kb_min_score,
            };
            console(start, report, logging).await
        }
    }
}

/// The demo: the profiles of [`ttydesk::demo`], opened side by side on simulated servers.
async fn demo(
    cli: &Cli,
    (latency_ms, seed): (u64, DemoSeed),
    notes: Vec<String>,
    mut report: Option<StartupReport>,
    logging: Option<std::path::PathBuf>,
) -> Result<(), Failure> {
    require_terminal()?;
    if let Some(report) = report.as_mut() {
        report.mark("config");
    }
    // The demo shares the store file with the configured profiles (same journal choice), and
    // the agent's keys and looks.
    let file = config::locate(cli.config.as_deref()).and_then(|path| config::load(&path).ok());
    let journal = file.as_ref().map(|f| f.store_journal).unwrap_or_default();
    let prefs = file.as_ref().map(Prefs::of).unwrap_or_default();
    let store = open_store(cli, journal);
    let now = chrono::Utc::now().timestamp();
    let demo = ttydesk::demo::start(latency_ms, now, seed == DemoSeed::Hostile).await?;
    let profiles = demo
        .profiles
        .into_iter()
        .map(|p| Opened {
            label: p.label,
            provider: p.provider,
            partition: p.partition,
        })
        .collect();
    let sims = demo.sims;
    let start = Start {
        profiles,
        prefs,
        warnings: notes,
        store,
        selected: None,
        news_interval: None,
        bell: false,
        kb_min_score: None,
    };
    let result = console(start, report, logging).await;
    drop(sims);
    result
}

async fn console(
    start: Start,
    mut report: Option<StartupReport>,
    log_file: Option<std::path::PathBuf>,
) -> Result<(), Failure> {
    let Start {
        profiles,
        prefs,
        mut warnings,
        store,
        selected,
        news_interval,
        bell,
        kb_min_score,
    } = start;
    let store = match store {
        Some(opening) => {
            let (store, notices) = opening.await.map_err(std::io::Error::other)?;
            warnings.extend(notices);
            store
        }
        None => None,
    };
    let store = store.map(|store| {
        StoreLink::new(
            store,
            profiles.iter().map(|p| p.partition.clone()).collect(),
        )
    });
    if let Some(report) = report.as_mut() {
        report.mark("store open");
    }
    let (keymap, key_warnings) = Keymap::load(&prefs.keys);
    warnings.extend(key_warnings);
    let env = |k: &str| std::env::var(k).ok();
    let ascii = ttydesk::ui::glyphs::ascii(prefs.glyphs, env);
    let (theme, theme_warnings) = Theme::choose(prefs.theme.as_deref(), ascii, env);
    warnings.extend(theme_warnings);
    let labels: Vec<ProfileLabel> = profiles.iter().map(|p| p.label.clone()).collect();
    let start_profile = selected.and_then(|name| {
        let at = labels.iter().position(|l| l.name == name);
        if at.is_none() && labels.len() > 1 {
            warnings.push(format!(
                "default_profile = \"{name}\" is not open (open = false?); starting on every profile"
            ));
        }
        Some(ProfileId(u16::try_from(at?).ok()?))
    });
    let mut model = Model::new(labels, Arc::new(keymap), chrono::Utc::now());
    model.settings = Settings {
        pager: pager(),
        log_file,
        start_profile,
        editor: editor(),
        outbox: store.is_some(),
        instance: format!(
            "{:x}{:x}",
            std::process::id(),
            chrono::Utc::now().timestamp_subsec_nanos()
        ),
        news_interval,
        bell,
        kb_min_score: kb_min_score.map(|s| s.clamp(0.0, 1.0)),
        browser: ttydesk::app::browser(env),
        in_tmux: env("TMUX").is_some_and(|v| !v.is_empty()),
        hyperlinks: match prefs.hyperlinks {
            config::LinkChoice::Always => true,
            config::LinkChoice::Never => false,
            config::LinkChoice::Auto => ttydesk::ui::osc::links_supported(env),
        },
        mouse: prefs.mouse,
        views: prefs.views,
    };
    for warning in &warnings {
        tracing::warn!("{warning}");
    }
    // Every warning is kept for the messages overlay; the first is shown.
    for warning in warnings.iter().rev() {
        model.remember(NoticeLevel::Warning, warning);
    }
    if let Some(first) = warnings.first() {
        let key = model
            .keymap
            .key_for(
                ttydesk::config::keymap::Context::Global,
                ttydesk::app::Action::Messages,
            )
            .unwrap_or_else(|| ":messages".into());
        let text = match warnings.len() - 1 {
            0 => first.clone(),
            more => format!("{first} (and {more} more: {key} shows them)"),
        };
        model.show(NoticeLevel::Warning, text);
    }
    let flush = store.as_ref().map(|link| link.store().clone());
    let services = Services {
        providers: profiles.into_iter().map(|p| p.provider).collect(),
        store,
    };
    // try_init enters raw mode and the alternate screen, and installs a panic hook that
    // restores the terminal before the report prints. The console draws through a backend that
    // never asks the terminal where its cursor is.
    if let Err(e) = ratatui::try_init() {
        ratatui::restore();
        return Err(no_terminal(format!("cannot use this terminal ({e})")));
    }
    let backend = FullScreen::new(ratatui::backend::CrosstermBackend::new(std::io::stdout()));
    let mut terminal = match ratatui::Terminal::new(backend) {
        Ok(terminal) => terminal,
        Err(e) => {
            ratatui::restore();
            return Err(no_terminal(format!("cannot use this terminal ({e})")));
        }
    };
    contain_background_panics();
    let mouse = model.settings.mouse;
    let mut input = match TerminalInput::new().with_mouse(mouse) {
        Ok(input) => input,
        Err(e) => {
            ratatui::restore();
            return Err(no_terminal(format!("cannot use this terminal ({e})")));
        }
    };
    let result = ttydesk::app::runtime::run(
        &mut terminal,
        &mut input,
        model,
        services,
        &theme,
        report.as_mut(),
    )
    .await;
    input.finish();
    ratatui::restore();
    // What was seen last is written before the process ends (a few seconds at most).
    if let Some(store) = flush {
        let _ = tokio::time::timeout(
            std::time::Duration::from_secs(3),
            ttydesk::app::persist::flush(&store),
        )
        .await;
    }
    // On standard error, so it can be kept apart from the screen: `2>startup.txt`.
    if let Some(report) = report
        && let Err(e) = std::io::stderr().write_all(report.render().as_bytes())
    {
        tracing::warn!(error = %e, "could not print the start-up report");
    }
    result.map(drop).map_err(Failure::from)
}

/// `$PAGER` (as argv, split at spaces), else `less`.
/// `$VISUAL`, else `$EDITOR`, else `vi`, as argv (split on blanks: `code -w` works).
fn editor() -> Vec<String> {
    ["VISUAL", "EDITOR"]
        .iter()
        .map(|var| std::env::var(var).unwrap_or_default())
        .map(|value| {
            value
                .split_whitespace()
                .map(str::to_string)
                .collect::<Vec<_>>()
        })
        .find(|argv| !argv.is_empty())
        .unwrap_or_else(|| vec!["vi".into()])
}

fn pager() -> Vec<String> {
    let configured: Vec<String> = std::env::var("PAGER")
        .unwrap_or_default()
        .split_whitespace()
        .map(str::to_string)
        .collect();
    if configured.is_empty() {
        vec!["less".into()]
    } else {
        configured
    }
}

async fn doctor(cli: &Cli) -> Result<(), Failure> {
    let failures = cli::doctor::run(cli.config.as_deref(), &mut std::io::stdout().lock()).await?;
    if failures > 0 {
        return Err(Failure::Config(ConfigError::Other(format!(
            "{failures} profile(s) failed the check"
        ))));
    }
    Ok(())
}

async fn sim(
    port: u16,
    latency_ms: u64,
    instance: Instance,
    seed: DemoSeed,
) -> Result<(), Failure> {
    let options = SimOptions {
        instance,
        latency: std::time::Duration::from_millis(latency_ms),
        hostile: seed == DemoSeed::Hostile,
        ..SimOptions::default()
    };
    let handle = SimHandle::start_on(port, options).await?;
    let mut out = std::io::stdout().lock();
    write!(out, "{}", handle.addresses(instance))?;
    drop(out);
    tokio::signal::ctrl_c().await?;
    Ok(())
}

/// ratatui's hook restores the terminal on any panic, on any thread. A panic in a background
/// task (a provider call, HTML conversion) is caught and shown as an error in its pane, so it
/// must not tear the screen down: only panics on the main thread, which owns the terminal,
/// go to ratatui's hook (restore, then color-eyre's report). The others are logged by location
/// only, since their message may quote ticket text.
fn contain_background_panics() {
    let restore_and_report = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if std::thread::current().name() == Some("main") {
            // Mouse reporting (mouse = true) is not part of ratatui's restore: a shell left
            // with it fills with escape codes at every move. Turning it off is harmless when
            // it was never on.
            let _ = crossterm::execute!(std::io::stdout(), crossterm::event::DisableMouseCapture);
            restore_and_report(info);
        } else {
            let at = info
                .location()
                .map(|l| format!("{}:{}", l.file(), l.line()));
            tracing::error!(
                location = at.as_deref().unwrap_or("unknown"),
                "panic in a background task"
            );
        }
    }));
}

/// Logs go to a file in the data directory, never to the terminal the console draws on.
/// Returns the file's path when logging to it.
fn init_logging() -> Option<std::path::PathBuf> {
    use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
    let dir = config::data_dir()?;
    // The data directory holds the store and this log: private to the agent, as is the log
    // (request ids, titles in debug logs).
    ttydesk::store::create_private_dirs(&dir).ok()?;
    let path = dir.join("ttydesk.log");
    let file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .mode(0o600)
        .open(&path)
        .ok()?;
    if file
        .metadata()
        .is_ok_and(|m| m.permissions().mode() & 0o077 != 0)
    {
        let _ = file.set_permissions(std::fs::Permissions::from_mode(0o600));
    }
    let filter = tracing_subscriber::EnvFilter::try_from_env("TTYDESK_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    tracing_subscriber::fmt()
        .with_writer(std::sync::Mutex::new(file))
        .with_ansi(false)
        .with_env_filter(filter)
        .try_init()
        .ok()?;
    Some(path)
}
