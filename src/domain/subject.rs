//! [`Subject`]: what an outbox entry is about — a request, a news item, or a news item not
//! created yet — and its text form as the store keeps it.

use serde::{Deserialize, Serialize};

use super::ids::TicketId;

/// What an outbox entry is about: a request, a news item, or a news item not created yet. Its
/// text form (`"1207"`, `"news:12"`, `"news:new"`) is the outbox's subject, which keeps writes
/// about one subject in order.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Subject {
    Ticket(TicketId),
    News(String),
    NewNews,
}

const NEWS_PREFIX: &str = "news:";
const NEW_NEWS: &str = "news:new";

impl Subject {
    /// Reads the text form back (a subject saved by [`Subject`]'s `Display`).
    pub fn parse(text: &str) -> Subject {
        if text == NEW_NEWS {
            Subject::NewNews
        } else if let Some(id) = text.strip_prefix(NEWS_PREFIX) {
            Subject::News(id.to_string())
        } else {
            Subject::Ticket(TicketId::from(text))
        }
    }

    pub fn ticket(&self) -> Option<&TicketId> {
        match self {
            Subject::Ticket(t) => Some(t),
            Subject::News(_) | Subject::NewNews => None,
        }
    }

    /// How notices name it: "#1207", "news 12", "new news".
    pub fn shown(&self) -> String {
        match self {
            Subject::Ticket(t) => format!("#{t}"),
            Subject::News(id) => format!("news {id}"),
            Subject::NewNews => "new news".into(),
        }
    }
}

impl std::fmt::Display for Subject {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Subject::Ticket(t) => write!(f, "{t}"),
            Subject::News(id) => write!(f, "{NEWS_PREFIX}{id}"),
            Subject::NewNews => f.write_str(NEW_NEWS),
        }
    }
}
