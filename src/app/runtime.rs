//! The runtime: performs [`Effect`]s on tokio and sends the answers back as messages, and runs
//! the event loop. The loop owns the model; it draws only when something changed and the message
//! queue is empty, so a burst of answers or key repeats costs one frame.

use std::sync::Arc;
use std::time::Duration;

use crossterm::event::{Event, EventStream};
use futures_util::StreamExt;
use ratatui::DefaultTerminal;
use tokio::sync::mpsc;
use tokio::task::AbortHandle;

use super::model::Model;
use super::msg::{Effect, Loaded, Msg};
use super::update::update;
use crate::provider::Provider;

/// Spinner and notice refresh while something is loading; no ticks otherwise.
const TICK: Duration = Duration::from_millis(200);

pub struct Runtime {
    provider: Arc<dyn Provider>,
    tx: mpsc::UnboundedSender<Msg>,
    /// The detail load in flight: a newer one makes it pointless, so it is aborted.
    detail_task: Option<AbortHandle>,
}

impl Runtime {
    pub fn new(provider: Arc<dyn Provider>, tx: mpsc::UnboundedSender<Msg>) -> Runtime {
        Runtime {
            provider,
            tx,
            detail_task: None,
        }
    }

    pub fn execute(&mut self, effect: Effect) {
        let provider = Arc::clone(&self.provider);
        let tx = self.tx.clone();
        let send = move |id, loaded| {
            // A closed channel means the app is quitting; the answer is no longer wanted.
            let _ = tx.send(Msg::Loaded(id, loaded));
        };
        match effect {
            Effect::Probe(id) => {
                tokio::spawn(async move { send(id, Loaded::Probe(provider.probe().await)) });
            }
            Effect::LoadCatalog(id) => {
                tokio::spawn(async move {
                    send(id, Loaded::Catalog(Box::new(provider.catalog().await)))
                });
            }
            Effect::LoadIndex(id, catalog) => {
                tokio::spawn(async move {
                    send(id, Loaded::Index(provider.queue_index(catalog).await))
                });
            }
            Effect::LoadTickets(id, ids, catalog) => {
                tokio::spawn(async move {
                    send(id, Loaded::Tickets(provider.tickets(ids, catalog).await))
                });
            }
            Effect::LoadDetail(id, ticket, catalog) => {
                if let Some(previous) = self.detail_task.take() {
                    previous.abort();
                }
                let task = tokio::spawn(async move {
                    let detail = provider.ticket_detail(ticket, catalog).await;
                    send(id, Loaded::Detail(Box::new(detail)));
                });
                self.detail_task = Some(task.abort_handle());
            }
        }
    }
}

/// Runs the console until the agent quits. Terminal errors end it; provider errors never do.
pub async fn run(
    terminal: &mut DefaultTerminal,
    mut model: Model,
    provider: Arc<dyn Provider>,
    theme: &crate::ui::Theme,
) -> std::io::Result<()> {
    let (tx, mut rx) = mpsc::unbounded_channel();
    let mut runtime = Runtime::new(provider, tx.clone());
    let mut events = EventStream::new();
    let mut ticker = tokio::time::interval(TICK);
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    let size = terminal.size()?;
    let _ = tx.send(Msg::Resize {
        width: size.width,
        height: size.height,
    });
    let _ = tx.send(Msg::Start);
    let mut dirty = true;
    loop {
        if dirty && rx.is_empty() {
            terminal.draw(|frame| crate::ui::render(frame, &mut model, theme))?;
            dirty = false;
        }
        let msg = tokio::select! {
            // Biased: apply answers already queued before reading more input, so each key acts
            // on the latest state.
            biased;
            Some(msg) = rx.recv() => msg,
            event = events.next() => match event {
                Some(Ok(Event::Key(key))) => Msg::Key(key),
                Some(Ok(Event::Resize(width, height))) => Msg::Resize { width, height },
                Some(Ok(_)) => continue,
                Some(Err(e)) => return Err(e),
                None => break,
            },
            _ = ticker.tick(), if model.wants_tick() => Msg::Tick,
        };
        model.now = chrono::Utc::now();
        for effect in update(&mut model, msg) {
            runtime.execute(effect);
        }
        dirty = true;
        if model.quit {
            break;
        }
    }
    Ok(())
}
