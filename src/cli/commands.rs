//! The scripting commands' command line: what each takes. What they do is in
//! [`super::script`]; every one shares the console's providers, store and outbox.

use clap::{Args, Subcommand, ValueEnum};

/// How a command prints what it found.
#[derive(Debug, Clone, Copy, Default, Args)]
pub struct OutputArgs {
    /// Print JSON for scripts (the shape is in docs/json.md); errors too, on standard error.
    #[arg(long, conflicts_with = "plain")]
    pub json: bool,
    /// Print tab-separated lines without colour or alignment, for grep and cut.
    #[arg(long, conflicts_with = "table")]
    pub plain: bool,
    /// Print the aligned table even when standard output is not a terminal.
    #[arg(long, conflicts_with = "json")]
    pub table: bool,
}

/// How a write waits for the server.
#[derive(Debug, Clone, Copy, Default, Args)]
pub struct WaitArgs {
    /// Return as soon as the write is in the outbox (exit code 6), without waiting for the
    /// server's confirmation; ttydesk sends it the next time it runs.
    #[arg(long)]
    pub no_wait: bool,
}

#[derive(Debug, Subcommand)]
pub enum Script {
    /// List requests: the open ones by default, newest first.
    Ls(LsArgs),
    /// Show one request: fields, description, custom fields, approvals and comments.
    Show {
        /// The request's id ("1207" or "#1207").
        id: String,
        #[command(flatten)]
        output: OutputArgs,
    },
    /// Reply to a request, or add an internal note or a solution. The text comes from --body,
    /// --file, or standard input.
    Comment(CommentArgs),
    /// Move a request to another help desk (or level), and to one of its agents.
    Assign(AssignArgs),
    /// Change where a request stands: waiting on someone, reopened, cancelled, rejected.
    Status(StatusArgs),
    /// Approve an approval you are asked to vote on.
    Approve(VoteArgs),
    /// Reject an approval you are asked to vote on, saying why.
    Reject(VoteArgs),
    /// Breaking news: list, announce, update and close.
    News {
        #[command(subcommand)]
        command: NewsCommand,
    },
    /// The knowledge base.
    Kb {
        #[command(subcommand)]
        command: KbCommand,
    },
    /// Writes waiting to reach the server: list them, send one again, or give one up.
    Outbox {
        #[command(subcommand)]
        command: OutboxCommand,
    },
}

#[derive(Debug, Args)]
pub struct LsArgs {
    /// Only this help desk (and its levels), by name or id.
    #[arg(long, value_name = "DESK")]
    pub desk: Option<String>,
    /// Only this status, by name or id (repeat for several); default: every open status.
    #[arg(long, value_name = "STATUS")]
    pub status: Vec<String>,
    /// Only requests assigned to you (the profile's `agent`).
    #[arg(long)]
    pub mine: bool,
    /// Only requests matching these words, as the console's `/` filter matches them.
    #[arg(long, value_name = "TEXT")]
    pub filter: Option<String>,
    /// At most this many requests.
    #[arg(long, default_value_t = 100, value_name = "N")]
    pub limit: usize,
    #[command(flatten)]
    pub output: OutputArgs,
}

#[derive(Debug, Args)]
pub struct CommentArgs {
    /// The request's id.
    pub id: String,
    /// The text of the comment.
    #[arg(long, conflicts_with = "file", value_name = "TEXT")]
    pub body: Option<String>,
    /// Read the text from this file ("-" for standard input).
    #[arg(long, value_name = "FILE")]
    pub file: Option<std::path::PathBuf>,
    /// For agents only: an internal note the customer does not see.
    #[arg(long)]
    pub internal: bool,
    /// Propose it as the request's solution.
    #[arg(long, conflicts_with = "internal")]
    pub solution: bool,
    #[command(flatten)]
    pub wait: WaitArgs,
    #[command(flatten)]
    pub output: OutputArgs,
}

#[derive(Debug, Args)]
pub struct AssignArgs {
    /// The request's id.
    pub id: String,
    /// The help desk (or level) to move it to, by name or id.
    #[arg(long, value_name = "DESK")]
    pub desk: String,
    /// One of that desk's agents, by user name, email, name or id.
    #[arg(long, value_name = "AGENT")]
    pub agent: Option<String>,
    #[command(flatten)]
    pub wait: WaitArgs,
    #[command(flatten)]
    pub output: OutputArgs,
}

/// Where a request can be moved with `ttydesk status`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum StatusChange {
    /// Waiting for the customer to answer.
    WaitingCustomer,
    /// Waiting for another agent.
    WaitingAgent,
    /// Waiting until a date (--until).
    WaitingUntil,
    /// Waiting for another request (--on).
    WaitingRequest,
    /// Open again.
    Reopen,
    /// Cancelled, saying why (--comment).
    Cancel,
    /// Rejected.
    Reject,
}

#[derive(Debug, Args)]
pub struct StatusArgs {
    /// The request's id.
    pub id: String,
    /// What the request waits for, or what becomes of it.
    pub change: StatusChange,
    /// Why it is cancelled (with `cancel`).
    #[arg(long, value_name = "TEXT")]
    pub comment: Option<String>,
    /// Until when it waits (with `waiting-until`): YYYY-MM-DD or RFC 3339.
    #[arg(long, value_name = "DATE")]
    pub until: Option<String>,
    /// The request it waits for (with `waiting-request`).
    #[arg(long, value_name = "ID")]
    pub on: Option<String>,
    #[command(flatten)]
    pub wait: WaitArgs,
    #[command(flatten)]
    pub output: OutputArgs,
}

#[derive(Debug, Args)]
pub struct VoteArgs {
    /// The approval's id (`ttydesk show` lists a request's approvals).
    pub approval: String,
    /// What you say with your vote (required to reject).
    #[arg(long, value_name = "TEXT", default_value = "")]
    pub note: String,
    /// The request the approval belongs to; without it, your pending approvals are searched.
    #[arg(long, value_name = "ID")]
    pub request: Option<String>,
    #[command(flatten)]
    pub wait: WaitArgs,
    #[command(flatten)]
    pub output: OutputArgs,
}

/// How much a news item matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ImportanceArg {
    High,
    Medium,
    Low,
}

#[derive(Debug, Subcommand)]
pub enum NewsCommand {
    /// List breaking news, open items first.
    Ls {
        /// Closed items too.
        #[arg(long)]
        all: bool,
        #[command(flatten)]
        output: OutputArgs,
    },
    /// Announce a news item.
    Create {
        #[arg(long, value_name = "TEXT")]
        title: String,
        /// What is happening (or --file).
        #[arg(long, conflicts_with = "file", value_name = "TEXT")]
        body: Option<String>,
        #[arg(long, value_name = "FILE")]
        file: Option<std::path::PathBuf>,
        #[arg(long, value_enum, default_value = "medium")]
        importance: ImportanceArg,
        /// An affected help desk, by name or id (repeat for several).
        #[arg(long, value_name = "DESK")]
        desk: Vec<String>,
        /// An affected user group, by name or id (repeat for several).
        #[arg(long, value_name = "GROUP")]
        group: Vec<String>,
        /// When it is expected to be over: YYYY-MM-DD or RFC 3339.
        #[arg(long, value_name = "DATE")]
        until: Option<String>,
        #[command(flatten)]
        wait: WaitArgs,
        #[command(flatten)]
        output: OutputArgs,
    },
    /// Add an update to a news item's timeline.
    Update(NewsUpdateArgs),
    /// Close a news item, saying how it was solved.
    Close(NewsUpdateArgs),
    /// Open a closed news item again.
    Reopen {
        id: String,
        #[command(flatten)]
        wait: WaitArgs,
        #[command(flatten)]
        output: OutputArgs,
    },
}

#[derive(Debug, Args)]
pub struct NewsUpdateArgs {
    /// The news item's id.
    pub id: String,
    /// The text (or --file, or standard input).
    #[arg(long, conflicts_with = "file", value_name = "TEXT")]
    pub body: Option<String>,
    #[arg(long, value_name = "FILE")]
    pub file: Option<std::path::PathBuf>,
    #[command(flatten)]
    pub wait: WaitArgs,
    #[command(flatten)]
    pub output: OutputArgs,
}

#[derive(Debug, Subcommand)]
pub enum KbCommand {
    /// Search articles, best match first.
    Search {
        /// The words to look for.
        #[arg(required = true)]
        words: Vec<String>,
        #[arg(long, default_value_t = 20, value_name = "N")]
        limit: usize,
        #[command(flatten)]
        output: OutputArgs,
    },
}

#[derive(Debug, Subcommand)]
pub enum OutboxCommand {
    /// List the writes not yet confirmed by the server, of every open profile (or --profile).
    Ls {
        #[command(flatten)]
        output: OutputArgs,
    },
    /// Send a write again now, and wait for the server's confirmation.
    Retry {
        id: String,
        #[command(flatten)]
        wait: WaitArgs,
        #[command(flatten)]
        output: OutputArgs,
    },
    /// Give a write up: it is never sent.
    Discard {
        id: String,
        #[command(flatten)]
        output: OutputArgs,
    },
}

impl Script {
    /// How this command prints.
    pub fn output(&self) -> OutputArgs {
        match self {
            Script::Ls(a) => a.output,
            Script::Show { output, .. } => *output,
            Script::Comment(a) => a.output,
            Script::Assign(a) => a.output,
            Script::Status(a) => a.output,
            Script::Approve(a) | Script::Reject(a) => a.output,
            Script::News { command } => match command {
                NewsCommand::Ls { output, .. }
                | NewsCommand::Create { output, .. }
                | NewsCommand::Reopen { output, .. } => *output,
                NewsCommand::Update(a) | NewsCommand::Close(a) => a.output,
            },
            Script::Kb {
                command: KbCommand::Search { output, .. },
            } => *output,
            Script::Outbox { command } => match command {
                OutboxCommand::Ls { output }
                | OutboxCommand::Retry { output, .. }
                | OutboxCommand::Discard { output, .. } => *output,
            },
        }
    }
}
