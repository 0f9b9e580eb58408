//! The runtime: performs [`Effect`]s and sends the answers back as messages, and runs the event
//! loop. The loop owns the model; it draws only when something changed, no message is queued
//! and no input is waiting, so a burst of answers or keys costs one frame. `run` is generic over
//! the input and the backend, so tests drive this very loop with scripted keys.

use std::collections::HashMap;
use std::io;
use std::panic::AssertUnwindSafe;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use crossterm::event::Event;
use futures_util::FutureExt;
use ratatui::Terminal;
use ratatui::backend::Backend;
use tokio::sync::mpsc;
use tokio::task::AbortHandle;

use super::input::Input;
use super::matcher::{MatchJob, Matched, Matcher};
use super::model::Model;
use super::msg::{Effect, Msg, RequestId, Timer};
use super::outbox::OutboxWorker;
use super::persist::StoreLink;
use super::startup::StartupReport;
use super::update::update;
use crate::domain::ProfileId;
use crate::provider::{Answer, Provider, ProviderError, perform};

/// Spinner and countdown refresh while something animates; no ticks otherwise.
const TICK: Duration = Duration::from_millis(200);

/// What the runtime works with: one provider per open profile (in profile order) and the store.
pub struct Services {
    pub providers: Vec<Arc<dyn Provider>>,
    pub store: Option<StoreLink>,
}

pub struct Runtime {
    services: Services,
    tx: mpsc::UnboundedSender<Msg>,
    timers: HashMap<Timer, AbortHandle>,
    matcher: MatchWorker,
    outbox: Option<OutboxWorker>,
}

impl Runtime {
    pub fn new(services: Services, tx: mpsc::UnboundedSender<Msg>) -> Runtime {
        let matcher = MatchWorker::start(tx.clone());
        // Writes need somewhere to wait until the server confirms them: no store, no outbox.
        let outbox = services.store.as_ref().map(|link| {
            OutboxWorker::start(
                link.store().clone(),
                link.partitions().to_vec(),
                services.providers.clone(),
                tx.clone(),
            )
        });
        Runtime {
            services,
            tx,
            timers: HashMap::new(),
            matcher,
            outbox,
        }
    }

    /// Performs one effect. `Suspend` needs the terminal and is the loop's job, not this.
    pub fn execute(&mut self, effect: Effect) {
        match effect {
            Effect::Call { profile, id, call } => self.call(profile, id, call),
            Effect::Match(job) => self.matcher.send(job),
            Effect::Store(op) => match &self.services.store {
                Some(store) => store.execute(op, &self.tx),
                None => super::persist::without_store(op, &self.tx),
            },
            Effect::SetTimer { timer, after } => {
                let tx = self.tx.clone();
                let task = tokio::spawn(async move {
                    tokio::time::sleep(after).await;
                    let _ = tx.send(Msg::Timer(timer));
                });
                if let Some(old) = self.timers.insert(timer, task.abort_handle()) {
                    old.abort();
                }
            }
            Effect::CancelTimer(timer) => {
                if let Some(old) = self.timers.remove(&timer) {
                    old.abort();
                }
            }
            Effect::Suspend { id, .. } => {
                tracing::error!(id = id.0, "a terminal hand-over reached the runtime");
            }
            Effect::Bell => {
                // BEL moves no cursor, so it may go out between two frames.
                use std::io::Write;
                let mut out = std::io::stdout();
                let _ = out.write_all(b"\x07").and_then(|()| out.flush());
            }
            Effect::Copy { text, tmux } => match crate::ui::osc::copy(&text, tmux) {
                // Like BEL, OSC 52 moves no cursor: it may go out between two frames.
                Ok(bytes) => {
                    use std::io::Write;
                    let mut out = std::io::stdout();
                    let _ = out.write_all(&bytes).and_then(|()| out.flush());
                }
                Err(why) => tracing::warn!(%why, "a copy was refused"),
            },
            Effect::Launch { id, command } => self.launch(id, command),
            Effect::Outbox(op) => match &self.outbox {
                Some(outbox) => outbox.send(op),
                None => tracing::error!("a write reached a console without an outbox"),
            },
        }
    }

    /// Runs a provider call on tokio and sends its answer back. A panic inside it (a bug on
    /// hostile input, say) becomes an error answer, so the pane shows a message instead of
    /// loading forever.
    fn call(&self, profile: ProfileId, id: RequestId, call: crate::provider::Call) {
        let Some(provider) = self.services.providers.get(usize::from(profile.0)).cloned() else {
            tracing::error!(profile = profile.0, "a call for a profile that is not open");
            return;
        };
        let tx = self.tx.clone();
        let name = call.name();
        tokio::spawn(async move {
            let fallback = Answer::failed(
                &call,
                ProviderError::Internal("reading the server's reply".into()),
            );
            let answer = match AssertUnwindSafe(perform(provider.as_ref(), call))
                .catch_unwind()
                .await
            {
                Ok(answer) => answer,
                Err(_) => {
                    tracing::error!(call = name, "a provider call panicked");
                    fallback
                }
            };
            // A closed channel means the app is quitting; the answer is no longer wanted.
            let _ = tx.send(Msg::Answer {
                profile,
                id,
                answer,
            });
        });
    }

    /// Starts `command` with no terminal (a graphical browser) and does not wait for it; what
    /// goes wrong comes back as `Msg::Resumed` with the reason.
    fn launch(&self, id: RequestId, command: Vec<String>) {
        let tx = self.tx.clone();
        tokio::spawn(async move {
            let Some((program, args)) = command.split_first() else {
                return;
            };
            let started = tokio::process::Command::new(program)
                .args(args)
                .stdin(std::process::Stdio::null())
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::null())
                .kill_on_drop(false)
                .spawn();
            let outcome = match started {
                Err(e) => Err(format!("cannot run {program}: {e}")),
                Ok(mut child) => match child.wait().await {
                    Ok(status) if status.success() => return,
                    Ok(status) => Err(format!("{program} ended with {status}")),
                    Err(e) => Err(format!("{program}: {e}")),
                },
            };
            let _ = tx.send(Msg::Resumed { id, outcome });
        });
    }

    /// Hands the terminal to `command` and reports back with `Msg::Resumed` when it ends; with
    /// `edit`, through a private temporary file the command gets as its last argument.
    fn suspend(&self, id: RequestId, command: Vec<String>, edit: Option<String>) {
        let tx = self.tx.clone();
        tokio::spawn(async move {
            let outcome = match edit {
                None => run_child(&command).await.map(|()| None),
                Some(text) => edit_in(&command, id, &text).await.map(Some),
            };
            let _ = tx.send(Msg::Resumed { id, outcome });
        });
    }
}

/// Writes `text` to a file only this user can read, lets `command` edit it, and reads it back.
async fn edit_in(command: &[String], id: RequestId, text: &str) -> Result<String, String> {
    use std::io::Write as _;
    use std::os::unix::fs::OpenOptionsExt;
    let path =
        std::env::temp_dir().join(format!("ttydesk-reply-{}-{}.txt", std::process::id(), id.0));
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(&path)
        .map_err(|e| format!("cannot hand the reply to the editor ({e})"))?;
    file.write_all(text.as_bytes())
        .map_err(|e| format!("cannot hand the reply to the editor ({e})"))?;
    drop(file);
    let mut argv = command.to_vec();
    argv.push(path.display().to_string());
    let ran = run_child(&argv).await;
    let back = std::fs::read_to_string(&path);
    let _ = std::fs::remove_file(&path);
    ran?;
    back.map_err(|e| {
        format!("cannot read back what the editor saved ({e}); your text is unchanged")
    })
}

async fn run_child(command: &[String]) -> Result<(), String> {
    let Some((program, args)) = command.split_first() else {
        return Err("nothing to run".into());
    };
    let status = tokio::process::Command::new(program)
        .args(args)
        .status()
        .await
        .map_err(|e| format!("cannot run {program}: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{program} ended with {status}"))
    }
}

/// The filter worker: a thread of its own that always runs the newest job it was given, and
/// abandons a pass as soon as a job asking something else arrives.
struct MatchWorker {
    jobs: std::sync::mpsc::Sender<MatchJob>,
    latest: Arc<AtomicU64>,
}

impl MatchWorker {
    fn start(tx: mpsc::UnboundedSender<Msg>) -> MatchWorker {
        let (jobs, queue) = std::sync::mpsc::channel::<MatchJob>();
        let latest = Arc::new(AtomicU64::new(0));
        let newest = Arc::clone(&latest);
        let spawned = std::thread::Builder::new()
            .name("ttydesk-match".into())
            .spawn(move || {
                let mut matcher = Matcher::default();
                while let Ok(mut job) = queue.recv() {
                    while let Ok(newer) = queue.try_recv() {
                        job = newer;
                    }
                    // A pass for the same question over fewer rows is still worth finishing;
                    // one for a question the agent has since changed is not.
                    let superseded = || newest.load(Ordering::Acquire) != job.intent;
                    let matched = match std::panic::catch_unwind(AssertUnwindSafe(|| {
                        matcher.run(&job, &superseded)
                    })) {
                        Ok(matched) => matched,
                        Err(_) => {
                            tracing::error!("the request filter panicked; showing every row");
                            matcher = Matcher::default();
                            Some(Matched {
                                generation: job.generation,
                                intent: job.intent,
                                rows: (0..job.candidates.len() as u32).collect(),
                                candidates: Arc::clone(&job.candidates),
                            })
                        }
                    };
                    if let Some(matched) = matched
                        && tx.send(Msg::Matched(matched)).is_err()
                    {
                        break;
                    }
                }
            });
        if let Err(e) = spawned {
            tracing::error!(error = %e, "cannot start the filter worker");
        }
        MatchWorker { jobs, latest }
    }

    fn send(&self, job: MatchJob) {
        self.latest.store(job.intent, Ordering::Release);
        let _ = self.jobs.send(job);
    }
}

/// Runs the console until the agent quits (or, with a start-up report, until the first frame
/// with fresh data). Terminal errors end it; provider errors never do. Returns the final model.
pub async fn run<B, I>(
    terminal: &mut Terminal<B>,
    input: &mut I,
    mut model: Model,
    services: Services,
    theme: &crate::ui::Theme,
    mut report: Option<&mut StartupReport>,
) -> io::Result<Model>
where
    B: Backend,
    B::Error: std::error::Error + Send + Sync + 'static,
    I: Input,
{
    let (tx, mut rx) = mpsc::unbounded_channel();
    let mut runtime = Runtime::new(services, tx.clone());
    let mut ticker = tokio::time::interval(TICK);
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    let size = terminal.size().map_err(io::Error::other)?;
    let _ = tx.send(Msg::Resize {
        width: size.width,
        height: size.height,
    });
    let _ = tx.send(Msg::Start);
    let mut dirty = true;
    let mut suspended: Option<RequestId> = None;
    loop {
        // Draw only when idle: answers still queued or keys still waiting would make this frame
        // stale before it is seen.
        if dirty && suspended.is_none() && rx.is_empty() && !input.pending() {
            terminal
                .draw(|frame| crate::ui::render(frame, &model, theme))
                .map_err(io::Error::other)?;
            dirty = false;
            if let Some(report) = report.as_deref_mut() {
                report.frame(&model);
                if report.is_done() {
                    break;
                }
            }
        }
        let msg = tokio::select! {
            // Biased: apply answers already queued before reading more input, so each key acts
            // on the latest state, and a hand-over of the terminal starts before input is read.
            biased;
            Some(msg) = rx.recv() => msg,
            event = input.next(), if suspended.is_none() => match event {
                Some(Ok(Event::Key(key))) => Msg::Key(key),
                Some(Ok(Event::Resize(width, height))) => Msg::Resize { width, height },
                Some(Ok(Event::Mouse(mouse))) if model.settings.mouse => Msg::Mouse(mouse),
                Some(Ok(_)) => continue,
                Some(Err(e)) => return Err(e),
                None => break,
            },
            _ = ticker.tick(), if suspended.is_none() && model.animating() => Msg::Tick,
        };
        if let Msg::Resumed { id, .. } = &msg
            && suspended == Some(*id)
        {
            input.reclaim()?;
            terminal.clear().map_err(io::Error::other)?;
            suspended = None;
        }
        if let (Some(report), Msg::Answer { answer, .. }) = (report.as_deref_mut(), &msg)
            && answer.is_ok()
        {
            report.answered();
        }
        model.now = chrono::Utc::now();
        for effect in update(&mut model, msg) {
            match effect {
                Effect::Suspend { id, command, edit } if suspended.is_none() => {
                    // Stop reading keys and leave the screen before the child starts, so every
                    // key typed goes to it; the keys already read stay queued for us.
                    input.release()?;
                    suspended = Some(id);
                    runtime.suspend(id, command, edit);
                }
                Effect::Suspend { id, .. } => {
                    let outcome = Err("another program already has the terminal".to_string());
                    let _ = tx.send(Msg::Resumed { id, outcome });
                }
                effect => runtime.execute(effect),
            }
        }
        dirty = true;
        // Quitting waits for a program that has the terminal to give it back.
        if model.quit && suspended.is_none() {
            break;
        }
    }
    Ok(model)
}
