//! [`Mode`]: the one state that says how keys are read (normal, filter, help, palette; later the
//! composer, pickers and confirmations). Each mode names the keymap sections it reads keys
//! through ([`Chain`]), so `update` never looks at a key code and help lists exactly what acts.

use super::approval_pane::ApprovalView;
use super::composer::Composer;
use super::confirm::Confirm;
use super::kb_pane::{KbFocus, KbView};
use super::model::Focus;
use super::news_form::NewsForm;
use super::news_pane::NewsView;
use super::palette::Palette;
use super::picker::Picker;
use super::prompt::Prompt;
use crate::config::keymap::{Chain, Context};

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Mode {
    /// Keys move between and within panes.
    #[default]
    Normal,
    /// Keys type into the Requests filter.
    Filter,
    /// The help overlay for the mode it was opened from.
    Help { scroll: usize, of: Box<Mode> },
    /// The command palette (`:`).
    Palette(Palette),
    /// Writing a reply on the open request.
    Composer(Box<Composer>),
    /// A question to answer before something irreversible.
    Confirm(Box<Confirm>),
    /// The outbox panel, its cursor on the entry with that index.
    Outbox { cursor: usize },
    /// Choosing what an action needs (a desk and agent, a person).
    Picker(Box<Picker>),
    /// The approvals pane.
    Approvals(Box<ApprovalView>),
    /// A line of words an action needs (a vote's note, an approval's description).
    Prompt(Box<Prompt>),
    /// The breaking-news pane.
    News(Box<NewsView>),
    /// Writing a breaking-news item (new, or changing one).
    NewsForm(Box<NewsForm>),
    /// The knowledge base.
    Kb(Box<KbView>),
    /// Every warning and error of this run, in full (`E`).
    Messages { scroll: usize },
}

const QUEUES: Chain = normal(&[Context::Queues, Context::Navigation, Context::Global]);
const REQUESTS: Chain = normal(&[Context::Requests, Context::Navigation, Context::Global]);
const DETAIL: Chain = normal(&[Context::Detail, Context::Navigation, Context::Global]);
const FILTER: Chain = field(&[Context::Filter]);
const PALETTE: Chain = field(&[Context::Palette]);
const PICKER: Chain = field(&[Context::Picker]);
const PROMPT: Chain = field(&[Context::Prompt]);
const APPROVALS: Chain = normal(&[Context::Approvals, Context::Navigation, Context::Global]);
const NEWS: Chain = normal(&[Context::News, Context::Navigation, Context::Global]);
const HELP: Chain = Chain {
    contexts: &[Context::Help, Context::Navigation],
    typing: false,
    chords_to_global: true,
    editor: false,
};
const NEWS_FORM: Chain = Chain {
    contexts: &[Context::NewsForm],
    typing: true,
    chords_to_global: false,
    editor: true,
};
const KB_SEARCH: Chain = field(&[Context::Kb]);
const KB_BROWSE: Chain = Chain {
    contexts: &[Context::KbBrowse, Context::Navigation],
    typing: false,
    chords_to_global: true,
    editor: false,
};
const COMPOSER: Chain = Chain {
    contexts: &[Context::Composer],
    typing: true,
    chords_to_global: false,
    editor: true,
};
const CONFIRM: Chain = Chain {
    contexts: &[Context::Confirm],
    typing: false,
    chords_to_global: true,
    editor: false,
};
const OUTBOX: Chain = Chain {
    contexts: &[Context::Outbox, Context::Navigation],
    typing: false,
    chords_to_global: true,
    editor: false,
};

/// Every way the console reads keys, with what help calls it: user bindings are checked against
/// each of them for conflicts at start-up.
pub const CHAINS: &[(&str, Chain)] = &[
    ("Queues pane", QUEUES),
    ("Requests pane", REQUESTS),
    ("Detail pane", DETAIL),
    ("filter", FILTER),
    ("command palette", PALETTE),
    ("picker", PICKER),
    ("prompt", PROMPT),
    ("approvals pane", APPROVALS),
    ("breaking-news pane", NEWS),
    ("help", HELP),
    ("news form", NEWS_FORM),
    ("knowledge-base search", KB_SEARCH),
    ("knowledge-base browser", KB_BROWSE),
    ("reply composer", COMPOSER),
    ("confirmation", CONFIRM),
    ("outbox", OUTBOX),
];

const fn normal(contexts: &'static [Context]) -> Chain {
    Chain {
        contexts,
        typing: false,
        chords_to_global: false,
        editor: false,
    }
}

const fn field(contexts: &'static [Context]) -> Chain {
    Chain {
        contexts,
        typing: true,
        chords_to_global: true,
        editor: false,
    }
}

impl Mode {
    /// How keys are read in this mode, with `focus` the pane that has them.
    pub fn chain(&self, focus: Focus) -> Chain {
        match self {
            Mode::Normal => match focus {
                Focus::Queues => QUEUES,
                Focus::Requests => REQUESTS,
                Focus::Detail => DETAIL,
            },
            Mode::Filter => FILTER,
            Mode::Palette(_) => PALETTE,
            Mode::Help { .. } | Mode::Messages { .. } => HELP,
            Mode::Composer(_) => COMPOSER,
            Mode::Confirm(_) => CONFIRM,
            Mode::Outbox { .. } => OUTBOX,
            Mode::Picker(_) => PICKER,
            Mode::Approvals(_) => APPROVALS,
            Mode::Prompt(_) => PROMPT,
            Mode::News(_) => NEWS,
            Mode::NewsForm(_) => NEWS_FORM,
            Mode::Kb(view) if view.focus == KbFocus::Search => KB_SEARCH,
            Mode::Kb(_) => KB_BROWSE,
        }
    }

    /// What the help overlay calls the keys of this mode.
    pub fn title(&self, focus: Focus) -> &'static str {
        match self {
            Mode::Normal => match focus {
                Focus::Queues => "Queues pane",
                Focus::Requests => "Requests pane",
                Focus::Detail => "Detail pane",
            },
            Mode::Filter => "filter",
            Mode::Palette(_) => "command palette",
            Mode::Help { .. } => "help",
            Mode::Composer(_) => "reply composer",
            Mode::Confirm(_) => "confirmation",
            Mode::Outbox { .. } => "outbox",
            Mode::Picker(_) => "picker",
            Mode::Approvals(_) => "approvals",
            Mode::Prompt(_) => "prompt",
            Mode::News(_) => "breaking news",
            Mode::NewsForm(_) => "news form",
            Mode::Kb(_) => "knowledge base",
            Mode::Messages { .. } => "messages",
        }
    }
}
