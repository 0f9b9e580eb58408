//! [`Action`]: the verbs a key can be bound to. Each has a description, which is what the help
//! overlay shows, so help cannot drift from the bindings.

use serde::Deserialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    Quit,
    Help,
    Palette,
    FocusNext,
    FocusPrev,
    Refresh,
    Up,
    Down,
    Top,
    Bottom,
    PageUp,
    PageDown,
    Open,
    Back,
    Expand,
    Collapse,
    Filter,
    ClearFilter,
    NextStatusFilter,
    PrevStatusFilter,
    CycleSort,
    /// Text fields (filter, palette): keep what was typed and leave the field.
    Accept,
    /// Text fields: leave the field, dropping what was typed.
    Cancel,
    /// Palette: take the highlighted completion.
    Complete,
    DeleteBack,
    DeleteWord,
    ClearLine,
    /// Close an overlay (help).
    Close,
    /// Detail: write a public reply.
    Reply,
    /// Detail: write an internal note.
    Note,
    /// Detail: move the request to another help desk or agent.
    Reassign,
    /// Detail: wait for the customer's answer.
    WaitForCustomer,
    /// The outbox panel.
    Outbox,
    /// Composer: send the reply.
    Send,
    /// Composer: public reply → internal note → solution.
    CycleKind,
    /// Composer: write the reply in $VISUAL / $EDITOR.
    ExternalEditor,
    /// Outbox: send the selected write again now.
    Retry,
    /// Outbox: give the selected write up.
    Discard,
    /// The approvals waiting for my vote (in Detail: the open request's approvals).
    Approvals,
    /// Approvals: approve the selected one (a note is asked for).
    Approve,
    /// Approvals: reject the selected one (a note is required).
    RejectApproval,
    /// Approvals: cancel one I asked for.
    CancelApproval,
    /// Approvals: ask one more person to vote.
    AddVoter,
    /// Approvals: ask a person to approve something about the request.
    AskApproval,
    /// Approvals: start one of the request's approval templates.
    TemplateApproval,
    /// Open the request in the Detail pane.
    OpenRequest,
    /// The breaking-news pane (on the banner's item when there is one).
    News,
    /// News: announce a new item.
    NewNews,
    /// News: change the selected item's fields.
    EditNews,
    /// News: post an update on the selected item.
    NewsUpdate,
    /// News: close the selected item with a last update (its solution).
    CloseNews,
    /// News: open a closed item again.
    ReopenNews,
    /// Forms: the next field.
    NextField,
    /// Forms: the previous field.
    PrevField,
    /// The knowledge base (from a reply: to insert an article's link or lines).
    Kb,
    /// Knowledge base: between the search and the category tree.
    KbBrowse,
    /// Knowledge base: put the article's link into the reply.
    InsertLink,
    /// Knowledge base: put the selected lines (or the paragraph) into the reply.
    InsertExcerpt,
    /// Knowledge base: start or drop a selection of lines.
    Select,
    /// Every warning and error of this run, and each profile's state, in full.
    Messages,
    /// Requests and Detail: open the request in a web browser.
    OpenInBrowser,
    /// Requests and Detail: copy the request's web link to the clipboard (OSC 52).
    CopyLink,
    /// Requests and Detail: copy the request's id to the clipboard (OSC 52).
    CopyId,
    /// A saved view (`[views.NAME]`), by its place in the configuration; bound by the view's
    /// `key`, never by name in `[keys.*]`.
    #[serde(skip)]
    View(u8),
    /// Explicitly unbinds a key inherited from the defaults.
    None,
}

impl Action {
    /// It moves a cursor through a list (a line, a page, to an end).
    pub fn moves(self) -> bool {
        matches!(
            self,
            Action::Up
                | Action::Down
                | Action::Top
                | Action::Bottom
                | Action::PageUp
                | Action::PageDown
        )
    }

    pub fn describe(self) -> &'static str {
        match self {
            Action::Quit => "quit ttydesk",
            Action::Help => "show the keys of this mode",
            Action::Palette => "command palette (:refresh, :profile NAME…)",
            Action::FocusNext => "next pane",
            Action::FocusPrev => "previous pane",
            Action::Refresh => "reload every profile and the open request",
            Action::Up => "move up",
            Action::Down => "move down",
            Action::Top => "go to the first line",
            Action::Bottom => "go to the last line",
            Action::PageUp => "page up",
            Action::PageDown => "page down",
            Action::Open => "open the selected queue or request",
            Action::Back => "back: detail → requests → queues",
            Action::Expand => "show what a profile or help desk holds",
            Action::Collapse => "hide what a profile or help desk holds",
            Action::Filter => "filter the requests (fuzzy)",
            Action::ClearFilter => "clear the filter",
            Action::NextStatusFilter => "show only the next status",
            Action::PrevStatusFilter => "show only the previous status",
            Action::CycleSort => "sort: newest, priority, last update",
            Action::Accept => "keep it and leave the field",
            Action::Cancel => "leave the field, dropping what was typed",
            Action::Complete => "take the highlighted completion",
            Action::DeleteBack => "delete the character before the cursor",
            Action::DeleteWord => "delete the word before the cursor",
            Action::ClearLine => "clear the field",
            Action::Close => "close",
            Action::Reply => "reply to the customer",
            Action::Note => "write an internal note",
            Action::Reassign => "reassign to a help desk or agent",
            Action::WaitForCustomer => "set waiting for the customer",
            Action::Outbox => "writes not yet confirmed (retry, discard)",
            Action::Send => "send (it waits in the outbox until the server confirms)",
            Action::CycleKind => "public reply → internal note → solution",
            Action::ExternalEditor => "write it in $VISUAL / $EDITOR",
            Action::Retry => "send it again now",
            Action::Discard => "give it up (asks first)",
            Action::Approvals => "approvals waiting for your vote",
            Action::Approve => "approve it (asks for a note)",
            Action::RejectApproval => "reject it (asks why)",
            Action::CancelApproval => "cancel an approval you asked for",
            Action::AddVoter => "ask one more person to vote",
            Action::AskApproval => "ask a person for a new approval",
            Action::TemplateApproval => "start an approval from a template",
            Action::OpenRequest => "open the request",
            Action::News => "breaking news (the banner's item first)",
            Action::NewNews => "announce a breaking-news item",
            Action::EditNews => "change the item's fields",
            Action::NewsUpdate => "post an update on the item",
            Action::CloseNews => "close the item with a last update",
            Action::ReopenNews => "open a closed item again",
            Action::NextField => "next field",
            Action::PrevField => "previous field",
            Action::Kb => "search the knowledge base",
            Action::KbBrowse => "the category tree / back to the search",
            Action::InsertLink => "put the article's link into the reply",
            Action::InsertExcerpt => "put the selected lines (or the paragraph) into the reply",
            Action::Select => "start or drop a selection of lines",
            Action::Messages => "every warning and error, in full",
            Action::OpenInBrowser => "open the request in a web browser",
            Action::CopyLink => "copy the request's web link",
            Action::CopyId => "copy the request's id",
            Action::View(_) => "open a saved view",
            Action::None => "unbound",
        }
    }
}
