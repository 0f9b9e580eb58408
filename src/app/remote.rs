//! [`Remote`]: data that comes from a server, as the UI sees it. A reload keeps the previous
//! data on screen (`stale`) so a refresh never blanks a pane.

use chrono::{DateTime, Utc};

use super::msg::RequestId;
use crate::provider::ProviderError;

#[derive(Debug, Clone, PartialEq, Default)]
pub enum Remote<T> {
    #[default]
    NotAsked,
    Loading {
        id: RequestId,
        stale: Option<T>,
    },
    Loaded {
        data: T,
        at: DateTime<Utc>,
    },
    Failed {
        error: ProviderError,
        stale: Option<T>,
    },
}

impl<T> Remote<T> {
    /// The freshest data there is, loaded or stale.
    pub fn data(&self) -> Option<&T> {
        match self {
            Remote::Loaded { data, .. } => Some(data),
            Remote::Loading { stale, .. } | Remote::Failed { stale, .. } => stale.as_ref(),
            Remote::NotAsked => None,
        }
    }

    pub fn is_loading(&self) -> bool {
        matches!(self, Remote::Loading { .. })
    }

    pub fn waits_for(&self, id: RequestId) -> bool {
        matches!(self, Remote::Loading { id: waiting, .. } if *waiting == id)
    }

    pub fn error(&self) -> Option<&ProviderError> {
        match self {
            Remote::Failed { error, .. } => Some(error),
            _ => None,
        }
    }

    /// Starts a (re)load, keeping what is shown now.
    pub fn start(&mut self, id: RequestId) {
        let stale = match std::mem::take(self) {
            Remote::Loaded { data, .. } => Some(data),
            Remote::Loading { stale, .. } | Remote::Failed { stale, .. } => stale,
            Remote::NotAsked => None,
        };
        *self = Remote::Loading { id, stale };
    }

    /// Shows `data` (saved earlier) where there is nothing to show yet; fresher data or a load
    /// under way keep their place. Returns whether it was taken.
    pub fn offer(&mut self, data: T, at: DateTime<Utc>) -> bool {
        match self {
            Remote::NotAsked => *self = Remote::Loaded { data, at },
            Remote::Loading { stale, .. } | Remote::Failed { stale, .. } if stale.is_none() => {
                *stale = Some(data);
            }
            _ => return false,
        }
        true
    }

    /// Records the answer to `id`; returns false (and changes nothing) for a stale answer.
    pub fn finish(
        &mut self,
        id: RequestId,
        result: Result<T, ProviderError>,
        at: DateTime<Utc>,
    ) -> bool {
        if !self.waits_for(id) {
            return false;
        }
        *self = match result {
            Ok(data) => Remote::Loaded { data, at },
            Err(error) => {
                let stale = match std::mem::take(self) {
                    Remote::Loading { stale, .. } => stale,
                    _ => None,
                };
                Remote::Failed { error, stale }
            }
        };
        true
    }
}
