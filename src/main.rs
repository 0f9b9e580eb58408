//! Start-up only: error hooks, command line, logging, configuration, the terminal, the run, and
//! restoring the terminal. Everything after start-up lives in the library.

use std::io::Write;
use std::process::ExitCode;
use std::sync::Arc;

use clap::Parser;
use ttydesk::app::{Model, NoticeLevel, ProfileLabel};
use ttydesk::cli::{self, Cli, Command};
use ttydesk::config::{self, ConfigError, Keymap};
use ttydesk::provider::Provider;
use ttydesk::sim::{SimHandle, SimOptions};
use ttydesk::ui::Theme;

#[tokio::main]
async fn main() -> color_eyre::Result<ExitCode> {
    color_eyre::install()?;
    let cli = Cli::parse();
    let _log = init_logging();
    match run(cli).await {
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

async fn run(cli: Cli) -> Result<(), Failure> {
    match &cli.command {
        Some(Command::Demo { latency_ms }) => demo(*latency_ms, Vec::new()).await,
        Some(Command::Doctor) => doctor(&cli).await,
        Some(Command::Sim { port, latency_ms }) => sim(*port, *latency_ms).await,
        None => {
            let Some(path) = config::locate(cli.config.as_deref()) else {
                let note = "no configuration found: showing the demo (see README to connect a service desk)";
                return demo(0, vec![note.to_string()]).await;
            };
            let file = config::load(&path)?;
            let (name, profile) = file.pick(cli.profile.as_deref())?;
            let connected = cli::connect(&name, &profile)
                .await
                .map_err(|e| e.in_file(&path))?;
            tracing::info!(profile = %name, source = %connected.secret_source, "profile opened");
            let label = ProfileLabel {
                name,
                vendor: connected.vendor.to_string(),
                demo: false,
            };
            let (keymap, warnings) = Keymap::load(&file.keys);
            require_terminal()?;
            console(label, keymap, warnings, connected.provider).await
        }
    }
}

async fn demo(latency_ms: u64, notes: Vec<String>) -> Result<(), Failure> {
    require_terminal()?;
    let options = SimOptions {
        latency: std::time::Duration::from_millis(latency_ms),
        now: Some(chrono::Utc::now().timestamp()),
        ..SimOptions::default()
    };
    let sim = SimHandle::start(options).await?;
    let provider = demo_provider(&sim).await?;
    let label = ProfileLabel {
        name: "demo".into(),
        vendor: provider.vendor().to_string(),
        demo: true,
    };
    let (keymap, mut warnings) = Keymap::load(&Default::default());
    warnings.extend(notes);
    let result = console(label, keymap, warnings, provider).await;
    drop(sim);
    result
}

async fn demo_provider(sim: &SimHandle) -> Result<Arc<dyn Provider>, Failure> {
    Ok(cli::connect("demo", &cli::sim_profile(sim)).await?.provider)
}

async fn console(
    label: ProfileLabel,
    keymap: Keymap,
    warnings: Vec<String>,
    provider: Arc<dyn Provider>,
) -> Result<(), Failure> {
    let mut model = Model::new(label, Arc::new(keymap), chrono::Utc::now());
    for warning in &warnings {
        tracing::warn!("{warning}");
    }
    if let Some(first) = warnings.first() {
        model.notify(NoticeLevel::Warning, first.clone());
    }
    let theme = Theme::from_env();
    // try_init installs a panic hook that restores the terminal before the report prints.
    let mut terminal = match ratatui::try_init() {
        Ok(terminal) => terminal,
        Err(e) => {
            ratatui::restore();
            return Err(no_terminal(format!("cannot use this terminal ({e})")));
        }
    };
    contain_background_panics();
    let result = ttydesk::app::runtime::run(&mut terminal, model, provider, &theme).await;
    ratatui::restore();
    result.map_err(Failure::from)
}

async fn doctor(cli: &Cli) -> Result<(), Failure> {
    let mut out = std::io::stdout().lock();
    let Some(path) = config::locate(cli.config.as_deref()) else {
        writeln!(
            out,
            "configuration: none found (ttydesk would open the demo)"
        )?;
        writeln!(
            out,
            "  looked at --config, ${}, and the platform config directory",
            config::CONFIG_ENV
        )?;
        return Ok(());
    };
    writeln!(out, "configuration: {}", path.display())?;
    let file = config::load(&path)?;
    let (keymap_ok, warnings) = Keymap::load(&file.keys);
    drop(keymap_ok);
    for w in &warnings {
        writeln!(out, "  warning: {w}")?;
    }
    let mut failures = 0;
    for (name, profile) in &file.profiles {
        write!(
            out,
            "profile {name}: {} as {} … ",
            profile.base_url, profile.username
        )?;
        out.flush()?;
        match cli::connect(name, profile)
            .await
            .map_err(|e| e.in_file(&path))
        {
            Err(e) => {
                failures += 1;
                writeln!(out, "not usable: {e}")?;
            }
            Ok(connected) => match connected.provider.probe().await {
                Ok(info) => writeln!(
                    out,
                    "ok, {} {} (token from {})",
                    info.product, info.version, connected.secret_source
                )?,
                Err(e) => {
                    failures += 1;
                    writeln!(out, "failed: {e} (token from {})", connected.secret_source)?;
                }
            },
        }
    }
    if let Some(dir) = config::data_dir() {
        writeln!(out, "log file: {}", dir.join("ttydesk.log").display())?;
    }
    if failures > 0 {
        return Err(Failure::Config(ConfigError::Other(format!(
            "{failures} profile(s) failed the check"
        ))));
    }
    Ok(())
}

async fn sim(port: u16, latency_ms: u64) -> Result<(), Failure> {
    let options = SimOptions {
        latency: std::time::Duration::from_millis(latency_ms),
        ..SimOptions::default()
    };
    let handle = SimHandle::start_on(port, options).await?;
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "InvGate simulator on {}/api/v1/ (user {}, token {})",
        handle.base_url(),
        handle.username(),
        handle.password()
    )?;
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
fn init_logging() -> Option<()> {
    let dir = config::data_dir()?;
    std::fs::create_dir_all(&dir).ok()?;
    let file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(dir.join("ttydesk.log"))
        .ok()?;
    let filter = tracing_subscriber::EnvFilter::try_from_env("TTYDESK_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    tracing_subscriber::fmt()
        .with_writer(std::sync::Mutex::new(file))
        .with_ansi(false)
        .with_env_filter(filter)
        .try_init()
        .ok()
}
