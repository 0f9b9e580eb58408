//! The runtime: performs [`Effect`]s on tokio and sends the answers back as messages, and runs
//! the event loop. The loop owns the model; it draws only when something changed and the message
//! queue is empty, so a burst of answers or key repeats costs one frame.

use std::sync::Arc;
use std::time::Duration;

use crossterm::event::{Event, EventStream};
use std::panic::AssertUnwindSafe;

use futures_util::{FutureExt, StreamExt};
use ratatui::DefaultTerminal;
use tokio::sync::mpsc;
use tokio::task::AbortHandle;

use super::model::Model;
use super::msg::{Effect, Loaded, Msg, RequestId};
use super::update::update;
use crate::provider::{Provider, ProviderError};

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
        match effect {
            Effect::Probe(id) => {
                self.spawn(
                    id,
                    async move { Loaded::Probe(provider.probe().await) },
                    |e| Loaded::Probe(Err(e)),
                );
            }
            Effect::LoadCatalog(id) => {
                let fut = async move { Loaded::Catalog(Box::new(provider.catalog().await)) };
                self.spawn(id, fut, |e| Loaded::Catalog(Box::new(Err(e))));
            }
            Effect::LoadIndex(id, catalog) => {
                let fut = async move { Loaded::Index(provider.queue_index(catalog).await) };
                self.spawn(id, fut, |e| Loaded::Index(Err(e)));
            }
            Effect::LoadTickets(id, ids, catalog) => {
                let fut = async move { Loaded::Tickets(provider.tickets(ids, catalog).await) };
                self.spawn(id, fut, |e| Loaded::Tickets(Err(e)));
            }
            Effect::LoadDetail(id, ticket, catalog) => {
                if let Some(previous) = self.detail_task.take() {
                    previous.abort();
                }
                let fut = async move {
                    Loaded::Detail(Box::new(provider.ticket_detail(ticket, catalog).await))
                };
                let task = self.spawn(id, fut, |e| Loaded::Detail(Box::new(Err(e))));
                self.detail_task = Some(task);
            }
        }
    }

    /// Runs `fut` on tokio and sends its answer back. A panic inside it (a bug on hostile
    /// input, say) becomes an error answer, so the pane shows a message instead of loading
    /// forever.
    fn spawn(
        &self,
        id: RequestId,
        fut: impl Future<Output = Loaded> + Send + 'static,
        on_panic: fn(ProviderError) -> Loaded,
    ) -> AbortHandle {
        let tx = self.tx.clone();
        let task = tokio::spawn(async move {
            let loaded = match AssertUnwindSafe(fut).catch_unwind().await {
                Ok(loaded) => loaded,
                Err(_) => on_panic(ProviderError::Internal("reading the server's reply".into())),
            };
            // A closed channel means the app is quitting; the answer is no longer wanted.
            let _ = tx.send(Msg::Loaded(id, loaded));
        });
        task.abort_handle()
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
