//! The scripting commands (`ttydesk ls`, `show`, `comment` …): one profile, the console's
//! providers, store and outbox, and an answer on standard output as a table, tab-separated
//! lines or JSON (docs/json.md). What went wrong goes to standard error, with an exit code a
//! script can branch on ([`Exit`]).

mod context;
mod json;
mod outbox;
mod output;
mod reads;
mod send;
mod writes;

use std::process::ExitCode;

use super::Cli;
use super::commands::{KbCommand, NewsCommand, OutboxCommand, Script};
use crate::config::ConfigError;
use crate::provider::ProviderError;
use crate::store::StoreError;
pub use context::Context;
pub use output::Format;

/// What a command's exit code says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    Ok = 0,
    /// Anything else: the server failed, refused the write, the store failed.
    Error = 1,
    /// The command line or the configuration is wrong.
    Usage = 2,
    /// The server refused the credentials or the permission.
    Auth = 3,
    /// No such request, approval, news item or outbox entry.
    NotFound = 4,
    /// The server limits calls: try again later.
    RateLimited = 5,
    /// The write is in the outbox but the server has not confirmed it yet.
    Pending = 6,
}

impl Exit {
    /// The word scripts read in a JSON error.
    pub fn kind(self) -> &'static str {
        match self {
            Exit::Ok => "ok",
            Exit::Error => "error",
            Exit::Usage => "usage",
            Exit::Auth => "auth",
            Exit::NotFound => "not_found",
            Exit::RateLimited => "rate_limited",
            Exit::Pending => "pending",
        }
    }

    pub fn code(self) -> ExitCode {
        ExitCode::from(self as u8)
    }
}

/// Why a command did not do what it was asked, in words for the agent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    pub exit: Exit,
    pub message: String,
    /// The outbox entry the failure is about, when there is one.
    pub outbox_id: Option<String>,
    /// The server could not be asked (unreachable, timed out, failing, limiting calls): a
    /// write may still wait in the outbox.
    pub transport: bool,
}

impl Failure {
    pub fn new(exit: Exit, message: impl Into<String>) -> Failure {
        Failure {
            exit,
            message: message.into(),
            outbox_id: None,
            transport: false,
        }
    }

    pub fn usage(message: impl Into<String>) -> Failure {
        Failure::new(Exit::Usage, message)
    }

    pub fn not_found(message: impl Into<String>) -> Failure {
        Failure::new(Exit::NotFound, message)
    }
}

impl From<ProviderError> for Failure {
    fn from(e: ProviderError) -> Failure {
        let exit = match &e {
            ProviderError::Unauthorized | ProviderError::Forbidden(_) => Exit::Auth,
            ProviderError::NotFound(_) => Exit::NotFound,
            ProviderError::RateLimited { .. } | ProviderError::Unavailable { .. } => {
                Exit::RateLimited
            }
            ProviderError::Config(_) | ProviderError::NoAccount => Exit::Usage,
            _ => Exit::Error,
        };
        let message = match &e {
            ProviderError::NoAccount => {
                "this profile reaches several accounts: set integrated_account_id in its section"
                    .to_string()
            }
            _ => e.to_string(),
        };
        let transport = matches!(
            e,
            ProviderError::Connect(_)
                | ProviderError::Timeout { .. }
                | ProviderError::Server { .. }
                | ProviderError::RateLimited { .. }
                | ProviderError::Unavailable { .. }
        );
        Failure {
            transport,
            ..Failure::new(exit, message)
        }
    }
}

impl From<ConfigError> for Failure {
    fn from(e: ConfigError) -> Failure {
        Failure::usage(e.to_string())
    }
}

impl From<StoreError> for Failure {
    fn from(e: StoreError) -> Failure {
        Failure::new(Exit::Error, format!("the local store failed: {e}"))
    }
}

impl From<std::io::Error> for Failure {
    fn from(e: std::io::Error) -> Failure {
        Failure::new(Exit::Error, e.to_string())
    }
}

pub type Done = Result<Exit, Failure>;

/// Runs one scripting command and says how it ended; what it printed is already out.
pub async fn run(cli: &Cli, script: &Script) -> ExitCode {
    let format = Format::choose(script.output());
    let result = dispatch(cli, script, format).await;
    let exit = match result {
        Ok(exit) => exit,
        Err(failure) => {
            tracing::warn!(exit = failure.exit.kind(), "{}", failure.message);
            output::failure(format, &failure);
            failure.exit
        }
    };
    exit.code()
}

async fn dispatch(cli: &Cli, script: &Script, format: Format) -> Done {
    if let Script::Outbox { command } = script {
        return outbox::run(cli, command, format).await;
    }
    // The text first: a missing one is said before anything is asked of the server.
    let body = match script {
        Script::Comment(a) => Some(writes::body_of(a.body.as_deref(), a.file.as_deref())?),
        _ => None,
    };
    let mut ctx = Context::open(cli, script_writes(script)).await?;
    let result = match script {
        Script::Ls(args) => reads::ls(&mut ctx, args, format).await,
        Script::Show { id, .. } => reads::show(&mut ctx, id, format).await,
        Script::Comment(args) => {
            writes::comment(&mut ctx, args, body.unwrap_or_default(), format).await
        }
        Script::Assign(args) => writes::assign(&mut ctx, args, format).await,
        Script::Status(args) => writes::status(&mut ctx, args, format).await,
        Script::Approve(args) => writes::vote(&mut ctx, args, true, format).await,
        Script::Reject(args) => writes::vote(&mut ctx, args, false, format).await,
        Script::News { command } => match command {
            NewsCommand::Ls { all, .. } => reads::news(&mut ctx, *all, format).await,
            other => writes::news(&mut ctx, other, format).await,
        },
        Script::Kb {
            command: KbCommand::Search { words, limit, .. },
        } => reads::kb(&mut ctx, words, *limit, format).await,
        Script::Outbox { .. } => Ok(Exit::Ok),
    };
    ctx.flush().await;
    result
}

/// Whether the command writes (it then needs the store and the agent).
fn script_writes(script: &Script) -> bool {
    !matches!(
        script,
        Script::Ls(_)
            | Script::Show { .. }
            | Script::Kb { .. }
            | Script::News {
                command: NewsCommand::Ls { .. }
            }
            | Script::Outbox {
                command: OutboxCommand::Ls { .. }
            }
    )
}
