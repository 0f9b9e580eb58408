//! [`Msg`] (what happened), [`Loaded`] (what a provider call returned) and [`Effect`] (the IO
//! `update` asks the runtime for). Every provider call carries a [`RequestId`]; an answer whose id
//! the model no longer waits for is dropped.

use std::sync::Arc;

use crossterm::event::KeyEvent;

use crate::domain::{Catalog, QueueIndex, ServerInfo, Ticket, TicketDetail, TicketId};
use crate::provider::ProviderResult;

/// Identifies one provider call, so a late answer can be told from the one awaited.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RequestId(pub u64);

#[derive(Debug)]
pub enum Msg {
    /// First message: start loading.
    Start,
    /// A key press from the terminal.
    Key(KeyEvent),
    /// The terminal changed size.
    Resize { width: u16, height: u16 },
    /// A provider call finished.
    Loaded(RequestId, Loaded),
    /// Time passed (spinners, notice expiry); the clock itself is `Model::now`.
    Tick,
}

#[derive(Debug)]
pub enum Loaded {
    Probe(ProviderResult<ServerInfo>),
    Catalog(Box<ProviderResult<Catalog>>),
    Index(ProviderResult<QueueIndex>),
    Tickets(ProviderResult<Vec<Ticket>>),
    Detail(Box<ProviderResult<TicketDetail>>),
}

/// IO that `update` asks for; the runtime performs it and answers with `Msg::Loaded`.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// Check that the server answers and the credentials work.
    Probe(RequestId),
    /// Load reference data (statuses, help desks, people, custom fields).
    LoadCatalog(RequestId),
    /// Load which open request sits in which queue.
    LoadIndex(RequestId, Arc<Catalog>),
    /// Load the rows for these requests.
    LoadTickets(RequestId, Vec<TicketId>, Arc<Catalog>),
    /// Load one request's detail.
    LoadDetail(RequestId, TicketId, Arc<Catalog>),
}

impl Effect {
    /// The id its answer will carry.
    pub fn request_id(&self) -> RequestId {
        match self {
            Effect::Probe(id)
            | Effect::LoadCatalog(id)
            | Effect::LoadIndex(id, _)
            | Effect::LoadTickets(id, _, _)
            | Effect::LoadDetail(id, _, _) => *id,
        }
    }
}
