//! The application core, Elm style: [`Model`] is the state, [`Msg`] what happened,
//! [`update`] the pure step from one to the next (no IO, no clock, no terminal), [`Effect`]
//! the IO `update` asks for, and [`runtime`] the part that performs it and reports back.

mod action;
mod detail;
mod model;
mod msg;
mod queues;
mod remote;
mod requests;
pub mod runtime;
mod tickets;
mod update;

pub use action::{Action, HELP_FOOTER, help_len};
pub use detail::{DetailLine, DetailState, LineKind};
pub use model::{Connection, Focus, Model, Notice, NoticeLevel, ProfileLabel};
pub use msg::{Effect, Loaded, Msg, RequestId};
pub use queues::{QueueKey, QueueRow, QueuesState};
pub use remote::Remote;
pub use requests::{RequestsState, SortOrder};
pub use tickets::TicketCache;
pub use update::update;

#[cfg(test)]
mod tests;
