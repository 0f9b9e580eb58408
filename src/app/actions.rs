//! Actions on the open request from the palette (`:reassign`, `:waiting`, `:reopen`, …) and
//! their keys in Detail: what was typed becomes a [`Write`], names resolved through the profile's
//! catalog, and goes to the outbox through `writes::submit` (which asks first when it cannot be
//! undone).

use chrono::{NaiveDate, NaiveDateTime, TimeZone, Utc};

use super::action::Action;
use super::mode::Mode;
use super::model::{Model, NoticeLevel};
use super::msg::Effect;
use super::palette::{Choices, Palette};
use super::picker::{PickOption, PickValue};
use super::writes;
use crate::domain::{
    Attribute, Catalog, CustomFieldDef, DeskId, FieldEditor, ProfileId, RATING_WITHOUT_COMMENT,
    TicketId, TicketKey, UserId, WaitFor, Write,
};

/// `a` and `w` in Detail.
pub fn detail_key(m: &mut Model, action: Action) -> Vec<Effect> {
    match action {
        Action::Reassign => super::picker::open(m, super::picker::Pick::Reassign),
        Action::WaitForCustomer => run(m, "waiting", "customer"),
        _ => Vec::new(),
    }
}

/// Runs the palette's action `name` with `arg` on the open request.
pub fn run(m: &mut Model, name: &str, arg: &str) -> Vec<Effect> {
    let Some(key) = m.detail.open.clone() else {
        m.notify(
            NoticeLevel::Warning,
            format!(":{name} acts on the open request: open one first"),
        );
        return Vec::new();
    };
    let pick = match name {
        "reassign" => Some(super::picker::Pick::Reassign),
        "observer" => Some(super::picker::Pick::Observer),
        "collaborator" => Some(super::picker::Pick::Collaborator),
        _ => None,
    };
    if let Some(pick) = pick
        && arg.trim().is_empty()
    {
        return super::picker::open(m, pick);
    }
    let catalog = m
        .session(key.profile)
        .and_then(|s| s.catalog())
        .cloned()
        .unwrap_or_default();
    if name == "field" && !arg.contains('=') {
        return choose_field_value(m, arg.trim(), &catalog);
    }
    match write_for(name, arg.trim(), &key, &catalog, m.now) {
        Ok(write) => writes::submit_or_say(m, key.profile, write),
        Err(why) => {
            m.notify(NoticeLevel::Warning, why);
            Vec::new()
        }
    }
}

fn write_for(
    name: &str,
    arg: &str,
    key: &TicketKey,
    catalog: &Catalog,
    now: chrono::DateTime<Utc>,
) -> Result<Write, String> {
    let ticket = key.id.clone();
    Ok(match name {
        "reassign" => {
            let (desk, agent) = desk_and_agent(arg, catalog)?;
            Write::Reassign {
                ticket,
                desk,
                agent,
            }
        }
        "waiting" => Write::Wait {
            ticket,
            on: waiting(arg, now)?,
        },
        "reopen" => Write::Reopen { ticket },
        "reject" => Write::Reject { ticket },
        "cancel" => Write::Cancel {
            ticket,
            comment: arg.to_string(),
        },
        "accept" => {
            let (rating, comment) = arg.split_once(' ').unwrap_or((arg, ""));
            let rating: u8 = rating
                .trim()
                .parse()
                .map_err(|_| format!("“{rating}” is not a rating from 1 to 5"))?;
            if rating < RATING_WITHOUT_COMMENT && comment.trim().is_empty() {
                return Err(format!(
                    "a rating below {RATING_WITHOUT_COMMENT} needs a comment: :accept {rating} <why>"
                ));
            }
            Write::AcceptSolution {
                ticket,
                rating,
                comment: comment.trim().to_string(),
            }
        }
        "reject-solution" => Write::RejectSolution {
            ticket,
            comment: arg.to_string(),
        },
        "observer" => Write::AddObserver {
            ticket,
            user: person(arg, catalog)?,
        },
        "collaborator" => Write::AddCollaborator {
            ticket,
            user: person(arg, catalog)?,
        },
        "link" => Write::Link {
            ticket,
            other: request_id(arg)?,
        },
        "field" => {
            let (label, value) = arg
                .split_once('=')
                .ok_or("write it as :field LABEL = VALUE (nothing after = erases it)")?;
            let field = unique(
                catalog
                    .custom_fields
                    .iter()
                    .map(|f| (f.label.to_string(), f.id.clone())),
                label.trim(),
                "custom field",
            )?;
            let def = catalog.custom_field(&field).cloned();
            let value = match (value.trim(), def) {
                ("", _) => None,
                (value, Some(def)) => Some(field_value(&def, value)?),
                (value, None) => Some(value.to_string()),
            };
            Write::SetField {
                ticket,
                field,
                values: value.into_iter().collect(),
            }
        }
        "priority" => change(ticket, Attribute::Priority, arg, catalog)?,
        "type" => change(ticket, Attribute::Type, arg, catalog)?,
        "category" => change(ticket, Attribute::Category, arg, catalog)?,
        other => return Err(format!(":{other} is not an action on a request")),
    })
}

/// `:field LABEL` without a value: the field's options in a picker, or the palette ready for
/// the value.
fn choose_field_value(m: &mut Model, label: &str, catalog: &Catalog) -> Vec<Effect> {
    let found = unique(
        catalog
            .custom_fields
            .iter()
            .map(|f| (f.label.to_string(), f.clone())),
        label,
        "custom field",
    );
    let def = match found {
        Ok(def) => def,
        Err(why) => {
            m.notify(NoticeLevel::Warning, why);
            return Vec::new();
        }
    };
    let option = |text: String, value: String| PickOption {
        label: text,
        hint: "value",
        value: PickValue::Value(value),
    };
    let options: Vec<PickOption> = match &def.editor {
        FieldEditor::List(options) | FieldEditor::Tree(options) => options
            .iter()
            .map(|o| option(o.to_string(), o.to_string()))
            .collect(),
        FieldEditor::Checkbox => vec![
            option("yes".into(), "1".into()),
            option("no".into(), "0".into()),
        ],
        FieldEditor::ReadOnly => {
            m.notify(
                NoticeLevel::Warning,
                format!("ttydesk cannot set {} (a {} field)", def.label, def.kind),
            );
            return Vec::new();
        }
        FieldEditor::Text | FieldEditor::Number | FieldEditor::Date => {
            m.mode = Mode::Palette(Palette {
                input: format!("field {} = ", def.label),
                selected: 0,
            });
            return Vec::new();
        }
    };
    let profile = m.detail.open.as_ref().map_or(ProfileId(0), |k| k.profile);
    if let Err(why) = writes::may_write(m, profile) {
        m.notify(NoticeLevel::Warning, why);
        return Vec::new();
    }
    super::picker::open_field(m, &def.id, def.label.as_str(), options)
}

/// The value typed for `def`, checked against its kind: a number, a date, one of its options.
fn field_value(def: &CustomFieldDef, value: &str) -> Result<String, String> {
    let label = &def.label;
    match &def.editor {
        FieldEditor::Text => Ok(value.to_string()),
        FieldEditor::Number => value
            .parse::<f64>()
            .map(|_| value.to_string())
            .map_err(|_| format!("{label} takes a number, not “{value}”")),
        FieldEditor::Date => NaiveDate::parse_from_str(value, "%Y-%m-%d")
            .map(|d| d.format("%Y-%m-%d").to_string())
            .map_err(|_| format!("{label} takes a date as YYYY-MM-DD, not “{value}”")),
        FieldEditor::Checkbox => match value.to_lowercase().as_str() {
            "yes" | "y" | "1" | "true" => Ok("1".into()),
            "no" | "n" | "0" | "false" => Ok("0".into()),
            _ => Err(format!("{label} is yes or no, not “{value}”")),
        },
        FieldEditor::List(options) | FieldEditor::Tree(options) => unique(
            options.iter().map(|o| (o.to_string(), o.to_string())),
            value,
            &format!("option of {label}"),
        ),
        FieldEditor::ReadOnly => Err(format!("ttydesk cannot set {label} (a {} field)", def.kind)),
    }
}

/// The completions an action's argument offers, from the open request's profile.
pub fn choices(m: &Model, kind: Choices) -> Vec<String> {
    if kind == Choices::View {
        return m.settings.views.iter().map(|(n, _)| n.clone()).collect();
    }
    let Some(catalog) = m
        .detail
        .open
        .as_ref()
        .and_then(|k| m.session(k.profile))
        .and_then(|s| s.catalog())
    else {
        return Vec::new();
    };
    match kind {
        Choices::Desk => desk_names(catalog),
        Choices::Person => {
            let mut people: Vec<_> = catalog.people.values().collect();
            people.sort_by_key(|p| (!p.is_agent, p.name.to_string()));
            people.iter().map(|p| p.name.to_string()).collect()
        }
        Choices::Priority => catalog
            .priorities
            .iter()
            .map(|p| p.name.to_string())
            .collect(),
        Choices::Type => catalog.types.iter().map(|t| t.name.to_string()).collect(),
        Choices::Category => catalog
            .categories
            .iter()
            .map(|c| c.name.to_string())
            .collect(),
        Choices::Waiting => ["customer", "agent"].map(String::from).to_vec(),
        Choices::View => Vec::new(),
        Choices::Field => catalog
            .custom_fields
            .iter()
            .flat_map(|f| {
                let options: Vec<String> = match &f.editor {
                    FieldEditor::List(o) | FieldEditor::Tree(o) => {
                        o.iter().map(|o| format!("{} = {o}", f.label)).collect()
                    }
                    _ => Vec::new(),
                };
                std::iter::once(format!("{} = ", f.label)).chain(options)
            })
            .collect(),
    }
}

/// "Service Desk", "Service Desk › Level 2": every desk and level by its full name.
fn desk_names(catalog: &Catalog) -> Vec<String> {
    catalog
        .help_desks
        .iter()
        .map(|d| full_desk_name(catalog, d))
        .collect()
}

fn full_desk_name(catalog: &Catalog, desk: &crate::domain::HelpDesk) -> String {
    match desk
        .parent_id
        .as_ref()
        .and_then(|p| catalog.help_desk(p.as_str()))
    {
        Some(parent) => format!("{} › {}", parent.name, desk.name),
        None => desk.name.to_string(),
    }
}

/// "Service Desk › Level 2 / Hana Sato": a desk by its full name, then maybe an agent.
fn desk_and_agent(arg: &str, catalog: &Catalog) -> Result<(DeskId, Option<UserId>), String> {
    let (desk, agent) = match arg.split_once(" / ") {
        Some((desk, agent)) => (desk.trim(), Some(agent.trim())),
        None => (arg.trim(), None),
    };
    let found = unique(
        catalog
            .help_desks
            .iter()
            .map(|d| (full_desk_name(catalog, d), d.id.clone())),
        desk,
        "help desk",
    )?;
    let agent = agent.map(|a| person(a, catalog)).transpose()?;
    Ok((found, agent))
}

fn person(arg: &str, catalog: &Catalog) -> Result<UserId, String> {
    unique(
        catalog
            .people
            .values()
            .map(|p| (p.name.to_string(), p.id.clone())),
        arg,
        "person",
    )
}

fn change(ticket: TicketId, attribute: Attribute, arg: &str, c: &Catalog) -> Result<Write, String> {
    let options: Vec<(String, String)> = match attribute {
        Attribute::Priority => c
            .priorities
            .iter()
            .map(|p| (p.name.to_string(), p.id.clone()))
            .collect(),
        Attribute::Type => c
            .types
            .iter()
            .map(|t| (t.name.to_string(), t.id.clone()))
            .collect(),
        Attribute::Category => c
            .categories
            .iter()
            .map(|t| (t.name.to_string(), t.id.clone()))
            .collect(),
    };
    let value = unique(options.into_iter(), arg, attribute.name())?;
    Ok(Write::Change {
        ticket,
        attribute,
        value,
    })
}

/// The one option called `typed` (exactly, ignoring case), or the only one starting with it.
fn unique<I: Clone>(
    options: impl Iterator<Item = (String, I)>,
    typed: &str,
    what: &str,
) -> Result<I, String> {
    let typed_lower = typed.to_lowercase();
    let options: Vec<(String, I)> = options.collect();
    if let Some((_, id)) = options
        .iter()
        .find(|(n, _)| n.to_lowercase() == typed_lower)
    {
        return Ok(id.clone());
    }
    let starting: Vec<&(String, I)> = options
        .iter()
        .filter(|(n, _)| n.to_lowercase().starts_with(&typed_lower))
        .collect();
    match starting.as_slice() {
        [(_, id)] => Ok(id.clone()),
        [] => Err(format!("no {what} called “{typed}”")),
        several => Err(format!(
            "“{typed}” could be {}",
            several
                .iter()
                .take(4)
                .map(|(n, _)| n.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        )),
    }
}

fn request_id(arg: &str) -> Result<TicketId, String> {
    let id = arg.trim().trim_start_matches('#');
    if id.is_empty() || !id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
        return Err(format!("“{arg}” is not a request id (#1234)"));
    }
    Ok(TicketId::from(id))
}

/// customer | agent | YYYY-MM-DD [HH:MM] (UTC) | #request.
fn waiting(arg: &str, now: chrono::DateTime<Utc>) -> Result<WaitFor, String> {
    let arg = arg.trim();
    match arg.to_lowercase().as_str() {
        "customer" => return Ok(WaitFor::Customer),
        "agent" => return Ok(WaitFor::Agent),
        _ => {}
    }
    if arg.starts_with('#') {
        return Ok(WaitFor::Request(request_id(arg)?));
    }
    let at = NaiveDateTime::parse_from_str(arg, "%Y-%m-%d %H:%M")
        .ok()
        .or_else(|| {
            NaiveDate::parse_from_str(arg, "%Y-%m-%d")
                .ok()
                .and_then(|d| d.and_hms_opt(9, 0, 0))
        })
        .ok_or_else(|| {
            format!("wait for what? customer, agent, YYYY-MM-DD [HH:MM] or #request, not “{arg}”")
        })?;
    let at = Utc.from_utc_datetime(&at);
    if at <= now {
        return Err("that date has passed".into());
    }
    Ok(WaitFor::Until(at))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::ProfileId;

    fn key() -> TicketKey {
        TicketKey {
            profile: ProfileId(0),
            id: TicketId::from("1001"),
        }
    }

    #[test]
    fn typed_arguments_become_writes_or_say_what_is_wrong() {
        let catalog = crate::testing::catalog();
        let now = Utc::now();
        let accept = write_for("accept", "5", &key(), &catalog, now).unwrap();
        assert!(matches!(accept, Write::AcceptSolution { rating: 5, .. }));
        let low = write_for("accept", "2", &key(), &catalog, now).unwrap_err();
        assert!(low.contains("needs a comment"), "{low}");
        let wait = write_for("waiting", "2999-01-02 10:30", &key(), &catalog, now).unwrap();
        assert!(matches!(
            wait,
            Write::Wait {
                on: WaitFor::Until(_),
                ..
            }
        ));
        let past = write_for("waiting", "2001-01-01", &key(), &catalog, now).unwrap_err();
        assert!(past.contains("passed"));
        let link = write_for("link", "#1002", &key(), &catalog, now).unwrap();
        assert_eq!(
            link,
            Write::Link {
                ticket: TicketId::from("1001"),
                other: TicketId::from("1002")
            }
        );
        assert!(write_for("link", "#10; rm", &key(), &catalog, now).is_err());
    }

    #[test]
    fn desks_resolve_by_full_name_or_unique_prefix() {
        let catalog = crate::testing::catalog();
        let names = desk_names(&catalog);
        let first = names.first().cloned().unwrap();
        let (desk, agent) = desk_and_agent(&first, &catalog).unwrap();
        assert_eq!(
            Some(desk.clone()),
            catalog.help_desks.first().map(|d| d.id.clone())
        );
        assert_eq!(agent, None);
        assert!(desk_and_agent("no such desk", &catalog).is_err());
    }
}
