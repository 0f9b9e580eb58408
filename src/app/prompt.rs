//! One-line prompts for the words an action needs: the note that goes with a vote (required to
//! reject), the description of a new approval, an update on a breaking-news item. Enter takes it (the write then goes
//! on to its confirmation or the outbox), Esc goes back to where the agent was; a required text
//! left blank says so and keeps the prompt open.

use super::action::Action;
use super::mode::Mode;
use super::model::{Model, NoticeLevel};
use super::msg::Effect;
use super::writes;
use crate::domain::{ApprovalTemplate, ProfileId, TicketId, TicketKey, UserId, Write};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prompt {
    pub title: String,
    /// A line under the field: what the words are for, whether they may be left out.
    pub hint: String,
    pub input: String,
    pub then: PromptThen,
    /// Where Esc (and, once the write is handed on, Enter) goes back to.
    pub back: Box<Mode>,
}

/// The write the words complete.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PromptThen {
    Vote {
        profile: ProfileId,
        ticket: TicketId,
        approval: String,
        approve: bool,
    },
    Ask {
        profile: ProfileId,
        ticket: TicketId,
        user: UserId,
    },
    Template {
        profile: ProfileId,
        ticket: TicketId,
        template: String,
        required: bool,
    },
    /// An update on a news item; a solution closes it.
    NewsUpdate {
        profile: ProfileId,
        id: String,
        solution: bool,
    },
}

impl PromptThen {
    fn write(&self, text: String) -> (ProfileId, Write) {
        match self.clone() {
            PromptThen::Vote {
                profile,
                ticket,
                approval,
                approve,
            } => (
                profile,
                Write::Vote {
                    ticket,
                    approval,
                    approve,
                    note: text,
                },
            ),
            PromptThen::Ask {
                profile,
                ticket,
                user,
            } => (
                profile,
                Write::RequestApproval {
                    ticket,
                    user,
                    description: text,
                },
            ),
            PromptThen::Template {
                profile,
                ticket,
                template,
                ..
            } => (
                profile,
                Write::RequestTemplateApproval {
                    ticket,
                    template,
                    description: text,
                },
            ),
            PromptThen::NewsUpdate {
                profile,
                id,
                solution,
            } => (
                profile,
                Write::NewsUpdate {
                    id,
                    body: text,
                    solution,
                },
            ),
        }
    }
}

fn open(m: &mut Model, title: String, hint: String, then: PromptThen) -> Vec<Effect> {
    let back = Box::new(std::mem::take(&mut m.mode));
    m.mode = Mode::Prompt(Box::new(Prompt {
        title,
        hint,
        input: String::new(),
        then,
        back,
    }));
    Vec::new()
}

/// `a` / `x` on an approval: asks for the vote's note.
pub fn vote(
    m: &mut Model,
    key: TicketKey,
    approval: String,
    approve: bool,
    what: &str,
) -> Vec<Effect> {
    let (title, hint) = if approve {
        (
            format!("Approve {what}"),
            "A note for the other voters (may be left empty). Enter goes on, Esc goes back.",
        )
    } else {
        (
            format!("Reject {what}"),
            "Say why you reject it (required). Enter goes on, Esc goes back.",
        )
    };
    open(
        m,
        title,
        hint.into(),
        PromptThen::Vote {
            profile: key.profile,
            ticket: key.id,
            approval,
            approve,
        },
    )
}

/// After the person is picked: asks what they are to approve.
pub fn ask_approval(m: &mut Model, key: TicketKey, user: UserId, who: String) -> Vec<Effect> {
    open(
        m,
        format!("Ask {who} to approve, on #{}", key.id),
        "What is to be approved (required). Enter sends the request, Esc goes back.".into(),
        PromptThen::Ask {
            profile: key.profile,
            ticket: key.id,
            user,
        },
    )
}

/// After the template is picked: asks for the description it wants.
pub fn template_approval(m: &mut Model, key: TicketKey, template: ApprovalTemplate) -> Vec<Effect> {
    let need = if template.description_required {
        "required"
    } else {
        "may be left empty"
    };
    let asks = template.prompt.as_ref().map_or_else(
        || "A description".to_string(),
        |p| p.as_str().trim_end_matches(['.', ':', ' ']).to_string(),
    );
    open(
        m,
        format!("Start “{}” on #{}", template.title, key.id),
        format!("{asks} ({need}). Enter sends the request, Esc goes back."),
        PromptThen::Template {
            profile: key.profile,
            ticket: key.id,
            template: template.id,
            required: template.description_required,
        },
    )
}

/// `u` / `x` on a news item: asks for the update's words (a closing update says how it ended).
pub fn news_update(
    m: &mut Model,
    profile: ProfileId,
    id: String,
    title: &str,
    solution: bool,
) -> Vec<Effect> {
    let (head, hint) = if solution {
        (
            format!("Close “{title}”"),
            "How it ended: the last update, marked as the solution (required). Enter closes it, \
             Esc goes back.",
        )
    } else {
        (
            format!("Update on “{title}”"),
            "What changed, for everyone it affects (required). Enter posts it, Esc goes back.",
        )
    };
    open(
        m,
        head,
        hint.into(),
        PromptThen::NewsUpdate {
            profile,
            id,
            solution,
        },
    )
}

pub fn type_text(m: &mut Model, c: char) -> Vec<Effect> {
    if let Mode::Prompt(p) = &mut m.mode {
        p.input.push(c);
    }
    Vec::new()
}

pub fn action(m: &mut Model, action: Action) -> Vec<Effect> {
    let Mode::Prompt(p) = &mut m.mode else {
        return Vec::new();
    };
    match action {
        Action::Cancel => m.mode = *std::mem::take(&mut p.back),
        Action::DeleteBack | Action::DeleteWord | Action::ClearLine => {
            super::keys::edit(&mut p.input, action);
        }
        Action::Accept => {
            let text = p.input.trim().to_string();
            if text.is_empty()
                && let PromptThen::Template { required: true, .. } = p.then
            {
                m.notify(NoticeLevel::Warning, "this template needs a description");
                return Vec::new();
            }
            let (profile, write) = p.then.write(text);
            if let Err(why) = write.check() {
                m.notify(NoticeLevel::Warning, why);
                return Vec::new();
            }
            m.mode = *std::mem::take(&mut p.back);
            return writes::submit_or_say(m, profile, write);
        }
        Action::Help => super::keys::open_help(m),
        _ => {}
    }
    Vec::new()
}
