//! Writes to InvGate: each [`Write`] as the endpoint, HTTP method and parameter list InvGate
//! expects ([`plan`]), and the typed text turned into HTML the server can only show as text
//! ([`typed_html`]). Sending goes through [`Client::send`] (form body, Basic auth), with the
//! write's own idempotency, so the shared client never repeats a comment or a transition.
//!
//! The API's parameter-name traps: `request_id` on the `incident.*` actions, but `id` on
//! `incident` and `incident.solution.*`; `group_id` (a help desk or level) on
//! `incident.reassign`; PHP arrays (`request_ids[]`, `values[]`); booleans as `1`/`0`.

use reqwest::Method;

use super::client::{Client, Query};
use super::typed::typed_html;
use crate::domain::{Attribute, UserId, Visibility, WaitFor, Write, Written};
use crate::provider::http::Idempotency;
use crate::provider::{ProviderError, ProviderResult};
use crate::text::SafeText;

/// One write as it goes on the wire.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Planned {
    pub method: Method,
    pub endpoint: &'static str,
    pub params: Query,
}

impl Planned {
    pub fn new(method: Method, endpoint: &'static str, params: Query) -> Planned {
        Planned {
            method,
            endpoint,
            params,
        }
    }
}

/// The endpoint, method and parameters of `write`, made as `author`. Text the agent typed
/// (a comment, the reason for a cancellation, the customer's word on a solution) goes as HTML:
/// every field that ends up in the request's thread is an HTML field on InvGate.
pub fn plan(write: &Write, author: &UserId) -> Planned {
    if let Some(planned) = super::news_write::plan(write, author) {
        return planned;
    }
    let q = Query::new;
    let author = author.as_str();
    match write {
        Write::Comment {
            ticket,
            body,
            visibility,
            solution,
        } => Planned::new(
            Method::POST,
            "incident.comment",
            q().param("request_id", ticket)
                .param("comment", typed_html(body))
                .param("author_id", author)
                .flag("is_solution", *solution)
                .flag("customer_visible", *visibility == Visibility::Public),
        ),
        Write::Reassign {
            ticket,
            desk,
            agent,
        } => {
            let mut params = q()
                .param("request_id", ticket)
                .param("author_id", author)
                .param("group_id", desk);
            if let Some(agent) = agent {
                params = params.param("agent_id", agent);
            }
            Planned::new(Method::POST, "incident.reassign", params)
        }
        Write::Wait { ticket, on } => {
            let params = q().param("request_id", ticket);
            match on {
                WaitFor::Customer => {
                    Planned::new(Method::POST, "incident.waitingfor.customer", params)
                }
                WaitFor::Agent => Planned::new(Method::POST, "incident.waitingfor.agent", params),
                WaitFor::Until(at) => Planned::new(
                    Method::POST,
                    "incident.waitingfor.date",
                    params.param("timestamp", at.timestamp()),
                ),
                WaitFor::Request(other) => Planned::new(
                    Method::POST,
                    "incident.waitingfor.incident",
                    params.param("wait_request_id", other),
                ),
            }
        }
        Write::Reopen { ticket } => Planned::new(
            Method::PUT,
            "incident.reopen",
            q().param("request_id", ticket).param("author_id", author),
        ),
        Write::Cancel { ticket, comment } => Planned::new(
            Method::POST,
            "incident.cancel",
            q().param("request_id", ticket)
                .param("author_id", author)
                .param("comment", typed_html(comment)),
        ),
        Write::Reject { ticket } => Planned::new(
            Method::POST,
            "incident.reject",
            q().param("request_id", ticket).param("author_id", author),
        ),
        Write::AcceptSolution {
            ticket,
            rating,
            comment,
        } => {
            let mut params = q().param("id", ticket).param("rating", rating);
            if !comment.trim().is_empty() {
                params = params.param("comment", typed_html(comment));
            }
            Planned::new(Method::PUT, "incident.solution.accept", params)
        }
        Write::RejectSolution { ticket, comment } => Planned::new(
            Method::PUT,
            "incident.solution.reject",
            q().param("id", ticket)
                .param("comment", typed_html(comment)),
        ),
        Write::AddObserver { ticket, user } => Planned::new(
            Method::POST,
            "incident.observer",
            q().param("request_id", ticket)
                .param("author_id", author)
                .param("user_id", user),
        ),
        Write::AddCollaborator { ticket, user } => Planned::new(
            Method::POST,
            "incident.collaborator",
            q().param("request_id", ticket)
                .param("author_id", author)
                .param("user_id", user),
        ),
        Write::Link { ticket, other } => Planned::new(
            Method::POST,
            "incident.link",
            q().param("request_id", ticket)
                .array("request_ids", [other]),
        ),
        Write::SetField {
            ticket,
            field,
            values,
        } => {
            let params = q()
                .param("request_id", ticket)
                .param("author_id", author)
                .param("custom_field_uid", field);
            // `values[]=` with nothing in it is how the API erases a value.
            let params = if values.is_empty() {
                params.array("values", [""])
            } else {
                params.array("values", values)
            };
            Planned::new(Method::POST, "incident.custom_field", params)
        }
        Write::Change {
            ticket,
            attribute,
            value,
        } => Planned::new(
            Method::PUT,
            "incident",
            q().param("id", ticket)
                .param(attribute_param(*attribute), value.trim()),
        ),
        Write::Vote {
            approval,
            approve,
            note,
            ..
        } => {
            let mut params = q().param("approval_id", approval).param("user_id", author);
            if !note.trim().is_empty() {
                params = params.param("note", note.trim());
            }
            let endpoint = if *approve {
                "incident.approval.accept"
            } else {
                "incident.approval.reject"
            };
            Planned::new(Method::PUT, endpoint, params)
        }
        Write::CancelApproval { approval, .. } => Planned::new(
            Method::PUT,
            "incident.approval.cancel",
            q().param("approval_id", approval).param("user_id", author),
        ),
        Write::AddVoter { approval, user, .. } => Planned::new(
            Method::POST,
            "incident.approval.add_voter",
            q().param("approval_id", approval).param("user_id", user),
        ),
        Write::RequestApproval {
            ticket,
            user,
            description,
        } => Planned::new(
            Method::POST,
            "incident.spontaneous_approval",
            q().param("request_id", ticket)
                .param("author_id", author)
                .param("approval_user_id", user)
                .param("description", description.trim()),
        ),
        Write::RequestTemplateApproval {
            ticket,
            template,
            description,
        } => {
            let mut params = q()
                .param("request_id", ticket)
                .param("author_id", author)
                .param("approval_id", template);
            if !description.trim().is_empty() {
                params = params.param("description", description.trim());
            }
            Planned::new(Method::POST, "incident.custom_approval", params)
        }
        Write::CreateNews { .. }
        | Write::EditNews { .. }
        | Write::NewsUpdate { .. }
        | Write::ReopenNews { .. } => unreachable_news(),
    }
}

/// News writes are planned by `news_write`, before this match is reached.
fn unreachable_news() -> Planned {
    Planned::new(Method::GET, "breakingnews", Query::new())
}

/// The `incident` field an [`Attribute`] is.
pub fn attribute_param(attribute: Attribute) -> &'static str {
    match attribute {
        Attribute::Priority => "priority_id",
        Attribute::Type => "type_id",
        Attribute::Category => "category_id",
    }
}

/// Sends `write` as `author`. A write that does not pass [`Write::check`] is refused here,
/// before anything is sent.
pub async fn send(c: &Client, write: &Write, author: &UserId) -> ProviderResult<Written> {
    write
        .check()
        .map_err(|why| ProviderError::Rejected(SafeText::ours(why)))?;
    if author.as_str().trim().is_empty() {
        return Err(ProviderError::Rejected(SafeText::ours(
            "the agent making the change is not known yet",
        )));
    }
    let planned = plan(write, author);
    let idempotency = if write.idempotent() {
        Idempotency::Idempotent
    } else {
        Idempotency::NotIdempotent
    };
    let reply = c
        .send(
            planned.method,
            planned.endpoint,
            &planned.params,
            idempotency,
        )
        .await?;
    Ok(Written {
        subject: write.subject(),
        // Only a comment or a news item is created; the `id` of other replies names the
        // request.
        created_id: match write {
            Write::Comment { .. } | Write::CreateNews { .. } => reply.id,
            _ => None,
        },
    })
}

#[cfg(test)]
mod tests {
    use chrono::DateTime;

    use super::*;
    use crate::domain::{DeskId, TicketId};

    fn t(id: &str) -> TicketId {
        TicketId::from(id)
    }

    fn author() -> UserId {
        UserId::from("12")
    }

    /// `(method, endpoint, [(name, value)])` of a write, for comparing whole parameter lists.
    fn wire(write: &Write) -> (String, &'static str, Vec<(String, String)>) {
        let p = plan(write, &author());
        (p.method.to_string(), p.endpoint, p.params.pairs().to_vec())
    }

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn a_comment_is_posted_with_its_flags() {
        let comment = Write::Comment {
            ticket: t("1001"),
            body: "Fixed <now>".into(),
            visibility: Visibility::Public,
            solution: false,
        };
        assert_eq!(
            wire(&comment),
            (
                "POST".into(),
                "incident.comment",
                pairs(&[
                    ("request_id", "1001"),
                    ("comment", "<p>Fixed &lt;now&gt;</p>"),
                    ("author_id", "12"),
                    ("is_solution", "0"),
                    ("customer_visible", "1"),
                ])
            )
        );
        let note = Write::Comment {
            ticket: t("1001"),
            body: "x".into(),
            visibility: Visibility::Internal,
            solution: true,
        };
        let p = plan(&note, &author());
        assert_eq!(p.params.value("is_solution"), Some("1"));
        assert_eq!(p.params.value("customer_visible"), Some("0"));
    }

    #[test]
    fn reassign_names_the_agent_only_when_given() {
        let to = |agent: Option<&str>| Write::Reassign {
            ticket: t("7"),
            desk: DeskId::from("4"),
            agent: agent.map(UserId::from),
        };
        assert_eq!(
            wire(&to(Some("30"))),
            (
                "POST".into(),
                "incident.reassign",
                pairs(&[
                    ("request_id", "7"),
                    ("author_id", "12"),
                    ("group_id", "4"),
                    ("agent_id", "30"),
                ])
            )
        );
        assert_eq!(
            wire(&to(None)).2,
            pairs(&[("request_id", "7"), ("author_id", "12"), ("group_id", "4")])
        );
    }

    #[test]
    fn each_wait_has_its_endpoint() {
        let wait = |on| Write::Wait { ticket: t("7"), on };
        assert_eq!(
            wire(&wait(WaitFor::Customer)),
            (
                "POST".into(),
                "incident.waitingfor.customer",
                pairs(&[("request_id", "7")])
            )
        );
        assert_eq!(
            wire(&wait(WaitFor::Agent)),
            (
                "POST".into(),
                "incident.waitingfor.agent",
                pairs(&[("request_id", "7")])
            )
        );
        let at = DateTime::from_timestamp(1_800_000_000, 0).unwrap_or_default();
        assert_eq!(
            wire(&wait(WaitFor::Until(at))),
            (
                "POST".into(),
                "incident.waitingfor.date",
                pairs(&[("request_id", "7"), ("timestamp", "1800000000")])
            )
        );
        assert_eq!(
            wire(&wait(WaitFor::Request(t("9")))),
            (
                "POST".into(),
                "incident.waitingfor.incident",
                pairs(&[("request_id", "7"), ("wait_request_id", "9")])
            )
        );
    }

    #[test]
    fn transitions_use_their_methods_and_names() {
        assert_eq!(
            wire(&Write::Reopen { ticket: t("7") }),
            (
                "PUT".into(),
                "incident.reopen",
                pairs(&[("request_id", "7"), ("author_id", "12")])
            )
        );
        assert_eq!(
            wire(&Write::Cancel {
                ticket: t("7"),
                comment: "Duplicate of #6".into()
            }),
            (
                "POST".into(),
                "incident.cancel",
                pairs(&[
                    ("request_id", "7"),
                    ("author_id", "12"),
                    ("comment", "<p>Duplicate of #6</p>"),
                ])
            )
        );
        assert_eq!(
            wire(&Write::Reject { ticket: t("7") }),
            (
                "POST".into(),
                "incident.reject",
                pairs(&[("request_id", "7"), ("author_id", "12")])
            )
        );
    }

    #[test]
    fn solutions_are_answered_by_request_id_as_id() {
        let accept = |comment: &str| Write::AcceptSolution {
            ticket: t("7"),
            rating: 3,
            comment: comment.into(),
        };
        assert_eq!(
            wire(&accept("Slow but OK")),
            (
                "PUT".into(),
                "incident.solution.accept",
                pairs(&[
                    ("id", "7"),
                    ("rating", "3"),
                    ("comment", "<p>Slow but OK</p>")
                ])
            )
        );
        assert_eq!(
            wire(&accept("  ")).2,
            pairs(&[("id", "7"), ("rating", "3")])
        );
        assert_eq!(
            wire(&Write::RejectSolution {
                ticket: t("7"),
                comment: "Still broken".into()
            }),
            (
                "PUT".into(),
                "incident.solution.reject",
                pairs(&[("id", "7"), ("comment", "<p>Still broken</p>")])
            )
        );
    }

    #[test]
    fn people_links_fields_and_attributes() {
        for (write, endpoint) in [
            (
                Write::AddObserver {
                    ticket: t("7"),
                    user: UserId::from("40"),
                },
                "incident.observer",
            ),
            (
                Write::AddCollaborator {
                    ticket: t("7"),
                    user: UserId::from("40"),
                },
                "incident.collaborator",
            ),
        ] {
            assert_eq!(
                wire(&write),
                (
                    "POST".into(),
                    endpoint,
                    pairs(&[("request_id", "7"), ("author_id", "12"), ("user_id", "40")])
                )
            );
        }
        assert_eq!(
            wire(&Write::Link {
                ticket: t("7"),
                other: t("9")
            }),
            (
                "POST".into(),
                "incident.link",
                pairs(&[("request_id", "7"), ("request_ids[]", "9")])
            )
        );
        let field = |values: &[&str]| Write::SetField {
            ticket: t("7"),
            field: "20".into(),
            values: values.iter().map(|v| v.to_string()).collect(),
        };
        assert_eq!(
            wire(&field(&["a", "b"])),
            (
                "POST".into(),
                "incident.custom_field",
                pairs(&[
                    ("request_id", "7"),
                    ("author_id", "12"),
                    ("custom_field_uid", "20"),
                    ("values[]", "a"),
                    ("values[]", "b"),
                ])
            )
        );
        assert_eq!(
            wire(&field(&[])).2,
            pairs(&[
                ("request_id", "7"),
                ("author_id", "12"),
                ("custom_field_uid", "20"),
                ("values[]", ""),
            ]),
            "no value erases the field"
        );
        for (attribute, name) in [
            (Attribute::Priority, "priority_id"),
            (Attribute::Type, "type_id"),
            (Attribute::Category, "category_id"),
        ] {
            assert_eq!(
                wire(&Write::Change {
                    ticket: t("7"),
                    attribute,
                    value: "4".into()
                }),
                ("PUT".into(), "incident", pairs(&[("id", "7"), (name, "4")]))
            );
        }
    }
}
