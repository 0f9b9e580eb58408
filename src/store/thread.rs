//! `Store`: the handle to the store thread, `ttydesk-store`, which owns the SQLite connection and
//! runs jobs one at a time in the order they were sent.
//!
//! Sending a job never waits, so the UI task can use the store freely. A job's result is handed
//! to its reply closure on the store thread; the reply typically sends a message to the UI task.
//! The thread ends once every handle is dropped and the jobs already sent have run.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::mpsc;

use super::db::Db;
use super::error::StoreError;

/// The name of the store thread, as seen in `top -H`, debuggers and panic reports.
pub const THREAD_NAME: &str = "ttydesk-store";

/// A cloneable handle to the store thread.
#[derive(Clone)]
pub struct Store {
    jobs: mpsc::Sender<Box<dyn Task>>,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store").finish_non_exhaustive()
    }
}

/// A job with its reply, type-erased so one channel carries them all.
trait Task: Send {
    fn run(self: Box<Self>, db: &mut Db);
    /// The store thread is gone: tell the reply so, on the caller's thread.
    fn cancel(self: Box<Self>);
}

struct Call<J, F> {
    job: J,
    reply: F,
}

impl<R, J, F> Task for Call<J, F>
where
    J: FnOnce(&mut Db) -> Result<R, StoreError> + Send,
    F: FnOnce(Result<R, StoreError>) + Send,
{
    fn run(self: Box<Self>, db: &mut Db) {
        let Call { job, reply } = *self;
        let result = match catch_unwind(AssertUnwindSafe(|| job(db))) {
            Ok(result) => result,
            Err(_) => {
                db.recover_after_panic();
                Err(StoreError::JobPanicked)
            }
        };
        reply(result);
    }

    fn cancel(self: Box<Self>) {
        (self.reply)(Err(StoreError::Stopped));
    }
}

impl Store {
    /// Starts the store thread with its connection.
    pub(crate) fn start(db: Db) -> Result<Store, StoreError> {
        let (jobs, queue) = mpsc::channel::<Box<dyn Task>>();
        std::thread::Builder::new()
            .name(THREAD_NAME.to_owned())
            .spawn(move || serve(db, queue))
            .map_err(StoreError::Thread)?;
        Ok(Store { jobs })
    }

    /// Runs `job` on the store thread (jobs run in order) and hands its result to `reply` on
    /// that thread. Returns at once. A job that panics replies `StoreError::JobPanicked`; if
    /// the thread is gone, `reply` gets `StoreError::Stopped` on the calling thread instead.
    pub fn run<R: Send + 'static>(
        &self,
        job: impl FnOnce(&mut Db) -> Result<R, StoreError> + Send + 'static,
        reply: impl FnOnce(Result<R, StoreError>) + Send + 'static,
    ) {
        if let Err(mpsc::SendError(task)) = self.jobs.send(Box::new(Call { job, reply })) {
            task.cancel();
        }
    }

    /// Fire-and-forget variant of [`Store::run`]: errors are logged at warn.
    pub fn spawn(&self, job: impl FnOnce(&mut Db) -> Result<(), StoreError> + Send + 'static) {
        self.run(job, |result| {
            if let Err(error) = result {
                tracing::warn!(%error, "a store job failed");
            }
        });
    }
}

fn serve(mut db: Db, queue: mpsc::Receiver<Box<dyn Task>>) {
    tracing::debug!(path = %db.path().display(), "store thread started");
    // Ends when every `Store` is dropped and the queue is empty.
    while let Ok(task) = queue.recv() {
        // A panicking reply must not take the thread (and every later job) with it.
        if catch_unwind(AssertUnwindSafe(|| task.run(&mut db))).is_err() {
            db.recover_after_panic();
            tracing::warn!("a store job's reply panicked; the store carries on");
        }
    }
    tracing::debug!("store thread ends: every handle was dropped");
}
