//! The command palette (`:`, as in k9s and lazygit): the commands that exist, what they take,
//! completion of what is typed, and parsing it into a [`Command`]. Panes add their commands to
//! [`COMMANDS`]; running them is `update`'s job.

/// A command the palette can run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    /// Focus the Queues pane.
    Queues,
    /// Show one open profile's queues and requests.
    Profile(String),
    Refresh,
    Help,
    Quit,
    /// Read the log file in the pager.
    Log,
    /// The outbox panel.
    Outbox,
    /// The approvals waiting for my vote.
    Approvals,
    /// The breaking-news pane.
    News,
    /// The knowledge base, searching these words when given.
    Kb(String),
    /// Pick the account a profile works in (Truto's integrated accounts).
    Account,
    /// The messages overlay.
    Messages,
    /// Open a saved view (`[views.NAME]`).
    View(String),
    /// An action on the open request: the command's name and what was typed after it.
    Act {
        name: &'static str,
        arg: String,
    },
}

/// What a command takes after its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Arg {
    None,
    /// The name of an open profile.
    Profile,
    /// One of a list the open request's profile knows (completed from it).
    Choice(Choices),
    /// Free text (a comment, a rating and a comment); may be required.
    Text {
        required: bool,
    },
}

/// The lists an action's argument is chosen from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Choices {
    /// Help desks and levels, and "desk / agent" for each member.
    Desk,
    /// People (agents first).
    Person,
    Priority,
    Type,
    Category,
    /// customer, agent, a date (YYYY-MM-DD [HH:MM]) or #request.
    Waiting,
    /// Custom fields by label, completed as "Label = ".
    Field,
    /// The saved views' names.
    View,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CommandSpec {
    pub name: &'static str,
    pub arg: Arg,
    pub describe: &'static str,
}

pub const COMMANDS: &[CommandSpec] = &[
    CommandSpec {
        name: "queues",
        arg: Arg::None,
        describe: "go to the Queues pane",
    },
    CommandSpec {
        name: "profile",
        arg: Arg::Profile,
        describe: "show one profile's queues",
    },
    CommandSpec {
        name: "refresh",
        arg: Arg::None,
        describe: "reload every profile",
    },
    CommandSpec {
        name: "help",
        arg: Arg::None,
        describe: "the keys of this pane",
    },
    CommandSpec {
        name: "log",
        arg: Arg::None,
        describe: "read the log file in the pager",
    },
    CommandSpec {
        name: "quit",
        arg: Arg::None,
        describe: "quit ttydesk",
    },
    CommandSpec {
        name: "outbox",
        arg: Arg::None,
        describe: "writes not yet confirmed (retry, discard)",
    },
    CommandSpec {
        name: "approvals",
        arg: Arg::None,
        describe: "approvals waiting for your vote (approve, reject)",
    },
    CommandSpec {
        name: "news",
        arg: Arg::None,
        describe: "breaking news of every profile",
    },
    CommandSpec {
        name: "messages",
        arg: Arg::None,
        describe: "every warning and error of this run, in full",
    },
    CommandSpec {
        name: "view",
        arg: Arg::Choice(Choices::View),
        describe: "open a saved view ([views.NAME])",
    },
    CommandSpec {
        name: "account",
        arg: Arg::None,
        describe: "pick the integrated account a Truto profile works in",
    },
    CommandSpec {
        name: "kb",
        arg: Arg::Text { required: false },
        describe: "search the knowledge base [for these words]",
    },
    CommandSpec {
        name: "reassign",
        arg: Arg::Choice(Choices::Desk),
        describe: "move the request to a help desk [/ agent]",
    },
    CommandSpec {
        name: "waiting",
        arg: Arg::Choice(Choices::Waiting),
        describe: "wait for customer, agent, a date or #request",
    },
    CommandSpec {
        name: "reopen",
        arg: Arg::None,
        describe: "reopen the request",
    },
    CommandSpec {
        name: "cancel",
        arg: Arg::Text { required: true },
        describe: "cancel the request, saying why",
    },
    CommandSpec {
        name: "reject",
        arg: Arg::None,
        describe: "reject the request",
    },
    CommandSpec {
        name: "accept",
        arg: Arg::Text { required: true },
        describe: "accept the solution: rating 1-5 [comment]",
    },
    CommandSpec {
        name: "reject-solution",
        arg: Arg::Text { required: true },
        describe: "reject the solution, saying why",
    },
    CommandSpec {
        name: "observer",
        arg: Arg::Choice(Choices::Person),
        describe: "add an observer",
    },
    CommandSpec {
        name: "collaborator",
        arg: Arg::Choice(Choices::Person),
        describe: "add a collaborator",
    },
    CommandSpec {
        name: "link",
        arg: Arg::Text { required: true },
        describe: "link to another request: #id",
    },
    CommandSpec {
        name: "field",
        arg: Arg::Choice(Choices::Field),
        describe: "set a custom field: LABEL = VALUE (nothing after = erases)",
    },
    CommandSpec {
        name: "priority",
        arg: Arg::Choice(Choices::Priority),
        describe: "change the priority",
    },
    CommandSpec {
        name: "type",
        arg: Arg::Choice(Choices::Type),
        describe: "change the type",
    },
    CommandSpec {
        name: "category",
        arg: Arg::Choice(Choices::Category),
        describe: "change the category",
    },
];

/// The palette's line and which completion is highlighted.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Palette {
    pub input: String,
    pub selected: usize,
}

/// One way to finish what was typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Completion {
    /// The whole line it completes to.
    pub line: String,
    pub describe: String,
}

/// Completions of `input` given the open profiles' names and the lists actions choose from
/// (`choices`): command names while the first word is typed, then the command's argument.
pub fn completions(
    input: &str,
    profiles: &[&str],
    choices: &dyn Fn(Choices) -> Vec<String>,
) -> Vec<Completion> {
    let input = input.trim_start();
    match input.split_once(' ') {
        None => COMMANDS
            .iter()
            .filter(|c| c.name.starts_with(&input.to_lowercase()))
            .map(|c| Completion {
                line: match c.arg {
                    Arg::None => c.name.to_string(),
                    _ => format!("{} ", c.name),
                },
                describe: c.describe.to_string(),
            })
            .collect(),
        Some((name, rest)) => {
            let Some(spec) = find(name) else {
                return Vec::new();
            };
            match spec.arg {
                Arg::None | Arg::Text { .. } => Vec::new(),
                Arg::Choice(kind) => {
                    let all = choices(kind);
                    let all: Vec<&str> = all.iter().map(String::as_str).collect();
                    contains(&all, rest.trim())
                        .into_iter()
                        .take(50)
                        .map(|choice| Completion {
                            line: format!("{} {choice}", spec.name),
                            describe: spec.describe.to_string(),
                        })
                        .collect()
                }
                Arg::Profile => matching(profiles, rest.trim())
                    .into_iter()
                    .map(|p| Completion {
                        line: format!("{} {p}", spec.name),
                        describe: "profile".to_string(),
                    })
                    .collect(),
            }
        }
    }
}

/// The command `input` names. A command may be shortened to any prefix only it has (`:ref`,
/// `:qui`; `:q` could be `:queues` or `:quit`); a profile name may be shortened the same way,
/// case-insensitively.
pub fn parse(input: &str, profiles: &[&str]) -> Result<Command, String> {
    let input = input.trim();
    let (name, rest) = input.split_once(' ').unwrap_or((input, ""));
    let rest = rest.trim();
    let spec = find(name).ok_or_else(|| {
        let known: Vec<&str> = COMMANDS.iter().map(|c| c.name).collect();
        format!("no command “{name}” (known: {})", known.join(", "))
    })?;
    match spec.arg {
        Arg::None if !rest.is_empty() => Err(format!(":{} takes nothing after it", spec.name)),
        Arg::None => Ok(match spec.name {
            "queues" => Command::Queues,
            "refresh" => Command::Refresh,
            "help" => Command::Help,
            "log" => Command::Log,
            "messages" => Command::Messages,
            "outbox" => Command::Outbox,
            "approvals" => Command::Approvals,
            "news" => Command::News,
            "account" => Command::Account,
            "quit" => Command::Quit,
            name => Command::Act {
                name,
                arg: String::new(),
            },
        }),
        // Without a name, a desk or a person is chosen in a picker.
        Arg::Choice(Choices::Desk | Choices::Person) if rest.is_empty() => Ok(Command::Act {
            name: spec.name,
            arg: String::new(),
        }),
        Arg::Text { .. } if spec.name == "kb" => Ok(Command::Kb(rest.to_string())),
        Arg::Choice(Choices::View) if !rest.is_empty() => Ok(Command::View(rest.to_string())),
        Arg::Choice(_) | Arg::Text { required: true } if rest.is_empty() => {
            Err(format!(":{} needs {}", spec.name, spec.describe_arg()))
        }
        Arg::Choice(_) | Arg::Text { .. } => Ok(Command::Act {
            name: spec.name,
            arg: rest.to_string(),
        }),
        Arg::Profile if rest.is_empty() => Err(format!(
            ":{} needs a profile name ({})",
            spec.name,
            profiles.join(", ")
        )),
        Arg::Profile => match matching(profiles, rest).as_slice() {
            [one] => Ok(Command::Profile(one.to_string())),
            [] => Err(format!(
                "no open profile “{rest}” (open: {})",
                profiles.join(", ")
            )),
            several => Err(format!("“{rest}” could be {}", several.join(" or "))),
        },
    }
}

impl CommandSpec {
    /// What goes after the command, for an error.
    fn describe_arg(&self) -> &'static str {
        match self.arg {
            Arg::Choice(Choices::Desk) => "a help desk (tab completes)",
            Arg::Choice(Choices::Person) => "a person (tab completes)",
            Arg::Choice(Choices::Waiting) => "customer, agent, a date or #request",
            Arg::Choice(Choices::Field) => "LABEL = VALUE (tab completes the label)",
            Arg::Choice(Choices::View) => "a view's name (tab completes)",
            Arg::Choice(_) => "a value (tab completes)",
            _ => self.describe,
        }
    }
}

/// Choices containing `typed` (ignoring case), those starting with it first.
pub fn contains<'a>(choices: &[&'a str], typed: &str) -> Vec<&'a str> {
    let typed = typed.to_lowercase();
    let (mut first, rest): (Vec<&str>, Vec<&str>) = choices
        .iter()
        .filter(|c| c.to_lowercase().contains(&typed))
        .partition(|c| c.to_lowercase().starts_with(&typed));
    first.extend(rest);
    first
}

/// The spec a command word names: exactly, or as the prefix of one command only.
fn find(word: &str) -> Option<&'static CommandSpec> {
    let word = word.to_lowercase();
    if let Some(exact) = COMMANDS.iter().find(|c| c.name == word) {
        return Some(exact);
    }
    let mut prefixed = COMMANDS.iter().filter(|c| c.name.starts_with(&word));
    match (prefixed.next(), prefixed.next()) {
        (Some(one), None) if !word.is_empty() => Some(one),
        _ => None,
    }
}

/// Profiles whose name is `typed` (exactly, ignoring case) or starts with it.
fn matching<'a>(profiles: &[&'a str], typed: &str) -> Vec<&'a str> {
    let typed = typed.to_lowercase();
    if let Some(exact) = profiles.iter().find(|p| p.to_lowercase() == typed) {
        return vec![exact];
    }
    profiles
        .iter()
        .filter(|p| p.to_lowercase().starts_with(&typed))
        .copied()
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const PROFILES: &[&str] = &["Acme IT", "Acme HR", "lab"];

    #[test]
    fn commands_complete_by_prefix_and_profiles_after_a_space() {
        let lines = |input: &str| -> Vec<String> {
            completions(input, PROFILES, &|_| vec!["Service Desk".into()])
                .into_iter()
                .map(|c| c.line)
                .collect()
        };
        assert_eq!(lines("pro"), ["profile "]);
        assert_eq!(lines("q"), ["queues", "quit"]);
        assert_eq!(
            lines("profile acme"),
            ["profile Acme IT", "profile Acme HR"]
        );
        assert_eq!(lines("profile l"), ["profile lab"]);
        assert!(lines("nope").is_empty());
        assert_eq!(lines("").len(), COMMANDS.len());
    }

    #[test]
    fn unique_prefixes_run_and_ambiguity_is_explained() {
        assert_eq!(parse("ref", PROFILES), Ok(Command::Refresh));
        assert_eq!(parse("quit", PROFILES), Ok(Command::Quit));
        assert!(parse("q", PROFILES).unwrap_err().contains("no command"));
        assert_eq!(
            parse("profile acme hr", PROFILES),
            Ok(Command::Profile("Acme HR".into()))
        );
        assert_eq!(
            parse("pro LAB", PROFILES),
            Ok(Command::Profile("lab".into()))
        );
        let err = parse("profile acme", PROFILES).unwrap_err();
        assert!(err.contains("Acme IT or Acme HR"), "{err}");
        let err = parse("profile", PROFILES).unwrap_err();
        assert!(err.contains("needs a profile name"), "{err}");
        let err = parse("refresh now", PROFILES).unwrap_err();
        assert!(err.contains("takes nothing"), "{err}");
    }
}
