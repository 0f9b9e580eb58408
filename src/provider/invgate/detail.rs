//! Wire → domain for the Detail pane: the request, its comment thread (HTML → text), custom field
//! values with their catalog labels, linked requests and approvals. Parts that could not be
//! loaded become short notes in `TicketDetail::partial` instead of failing the whole detail.
//! This is CPU work on possibly huge HTML bodies, so callers run it on a blocking thread.

use serde_json::Value;

use super::approval_map;
use super::approvals::ApprovalRead;
use super::map;
use super::wire::{CommentWire, IncidentWire, LinkWire};
use crate::domain::{
    Catalog, Comment, CustomFieldValue, LinkedTicket, TicketDetail, TicketId, Visibility,
};
use crate::provider::ProviderError;
use crate::text::{SafeText, has_hidden_controls, html_has_hidden_controls};

/// What the detail calls brought back; only the incident itself is required.
#[derive(Debug)]
pub struct DetailParts {
    pub incident: IncidentWire,
    /// The `incident.comment` list; on failure the comments embedded in the incident are used.
    pub comments: Result<Vec<CommentWire>, ProviderError>,
    pub links: Result<Vec<LinkWire>, ProviderError>,
    /// Every approval of the request, each with its voters (or why they could not be read).
    pub approvals: Result<Vec<ApprovalRead>, ProviderError>,
}

pub fn detail(id: &TicketId, parts: DetailParts, catalog: &Catalog) -> TicketDetail {
    let DetailParts {
        mut incident,
        comments,
        links,
        approvals,
    } = parts;
    let mut partial = Vec::new();
    let embedded = incident.comments.take().map(|c| c.into_values());
    let comment_wires = match (comments, embedded) {
        (Ok(list), _) => list,
        (Err(e), Some(embedded)) => {
            tracing::debug!(error = %e, "incident.comment failed; using the embedded comments");
            embedded
        }
        (Err(e), None) => {
            partial.push(format!("comments could not be loaded: {e}"));
            Vec::new()
        }
    };
    let links = links.unwrap_or_else(|e| {
        partial.push(format!("linked requests could not be loaded: {e}"));
        Vec::new()
    });
    let approval_reads = approvals.unwrap_or_else(|e| {
        partial.push(format!("approvals could not be loaded: {e}"));
        Vec::new()
    });

    // Titles are plain text (a reference in them is shown as typed); bodies are HTML.
    let had_hidden_controls = incident.title.as_deref().is_some_and(has_hidden_controls)
        || incident
            .description
            .as_deref()
            .is_some_and(html_has_hidden_controls)
        || comment_wires
            .iter()
            .filter_map(|c| c.message.as_deref())
            .any(html_has_hidden_controls)
        || approval_reads
            .iter()
            .filter_map(|a| a.wire.approval_request_description.as_deref())
            .any(has_hidden_controls);
    let ticket_id = incident
        .id
        .as_deref()
        .map_or_else(|| id.clone(), TicketId::from);
    let ticket = map::ticket(&incident, ticket_id, catalog);
    let approvals = approval_reads
        .iter()
        .map(|a| approval_map::approval(a, &ticket.id, catalog))
        .collect();
    TicketDetail {
        ticket,
        description: SafeText::from_html(incident.description.as_deref().unwrap_or("")),
        comments: thread(comment_wires, catalog),
        custom_fields: custom_fields(&incident.custom_fields, catalog),
        links: links
            .iter()
            .filter(|l| !l.id.is_empty())
            .map(|l| LinkedTicket {
                id: TicketId::from(l.id.as_str()),
                title: SafeText::line(l.title.as_deref().unwrap_or("")),
            })
            .collect(),
        approvals,
        partial,
        had_hidden_controls,
    }
}

/// Comments oldest first (the server's order is not promised), HTML rendered to text.
fn thread(mut wires: Vec<CommentWire>, catalog: &Catalog) -> Vec<Comment> {
    wires.sort_by_key(|c| (c.created_at, c.msg_num, c.id.parse::<u64>().ok()));
    wires
        .iter()
        .map(|c| Comment {
            id: c.id.clone(),
            author: c
                .author_id
                .as_deref()
                .map(|a| map::person_named(catalog, a)),
            created_at: c.created_at,
            body: SafeText::from_html(c.message.as_deref().unwrap_or("")),
            visibility: if c.customer_visible {
                Visibility::Public
            } else {
                Visibility::Internal
            },
            is_solution: c.is_solution,
        })
        .collect()
}

/// Values with their labels, in the catalog's field order; uids the catalog does not know follow
/// in uid order. Empty values are left out.
fn custom_fields(values: &[(String, Value)], catalog: &Catalog) -> Vec<CustomFieldValue> {
    let rendered: Vec<(&str, String)> = values
        .iter()
        // A uid is a number; one that is not a plain id (controls, a path) is not a field.
        .filter_map(|(uid, v)| {
            let uid = crate::provider::elements::safe_id(uid)?;
            render(v).map(|text| (uid, text))
        })
        .filter(|(_, text)| !text.trim().is_empty())
        .collect();
    let position = |uid: &str| {
        catalog
            .custom_fields
            .iter()
            .position(|f| f.id == uid)
            .unwrap_or(usize::MAX)
    };
    let mut ordered: Vec<(usize, usize, &str, &String)> = rendered
        .iter()
        .enumerate()
        .map(|(i, (uid, text))| (position(uid), i, *uid, text))
        .collect();
    ordered.sort();
    ordered
        .into_iter()
        .map(|(_, _, uid, text)| CustomFieldValue {
            field_id: uid.to_string(),
            label: match catalog.custom_field(uid) {
                Some(def) => def.label.clone(),
                None => SafeText::line(uid),
            },
            value: SafeText::block(text),
        })
        .collect()
}

/// A custom field value as raw text (scrubbed by the caller): strings as they are, numbers
/// printed, arrays joined with ", ", objects by their label-like member or their scalar members.
fn render(value: &Value) -> Option<String> {
    let text = match value {
        Value::Null => return None,
        Value::String(s) => s.trim().to_string(),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => if *b { "yes" } else { "no" }.to_string(),
        Value::Array(items) => join(items.iter().filter_map(render)),
        Value::Object(map) => {
            let preferred = ["label", "name", "value", "title"]
                .iter()
                .find_map(|k| map.get(*k).and_then(render));
            match preferred {
                Some(text) => text,
                None => join(map.values().filter_map(render)),
            }
        }
    };
    (!text.is_empty()).then_some(text)
}

fn join(parts: impl Iterator<Item = String>) -> String {
    parts
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{ApprovalStatus, CustomFieldDef};
    use crate::provider::invgate::approval_wire::ApprovalWire;

    fn catalog() -> Catalog {
        Catalog {
            custom_fields: vec![
                CustomFieldDef {
                    id: "20".into(),
                    label: SafeText::line("Asset tag"),
                    kind: SafeText::line("1"),
                    editor: crate::domain::FieldEditor::default(),
                },
                CustomFieldDef {
                    id: "5".into(),
                    label: SafeText::line("Office"),
                    kind: SafeText::line("2"),
                    editor: crate::domain::FieldEditor::default(),
                },
            ],
            ..Default::default()
        }
    }

    fn parts(json: &str) -> DetailParts {
        DetailParts {
            incident: serde_json::from_str(json).unwrap(),
            comments: Err(ProviderError::Timeout {
                what: "incident.comment".into(),
            }),
            links: Ok(vec![]),
            approvals: Ok(vec![]),
        }
    }

    #[test]
    fn custom_fields_follow_catalog_order_then_unknown_uids() {
        let d = detail(
            &TicketId::from("1"),
            parts(
                r#"{"id":1,"custom_fields":{"5":"HQ","7":["a","b"],"20":123,"8":null,"9":"",
                    "30":{"id":4,"name":"Laptop"},"\u007f":"hidden","../x":"path"}}"#,
            ),
            &catalog(),
        );
        let got: Vec<_> = d
            .custom_fields
            .iter()
            .map(|f| (f.label.as_str(), f.value.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                ("Asset tag", "123"),
                ("Office", "HQ"),
                ("7", "a, b"),
                ("30", "Laptop")
            ]
        );
    }

    #[test]
    fn embedded_comments_are_the_fallback_without_a_note() {
        let d = detail(
            &TicketId::from("1"),
            parts(
                r#"{"id":1,"description":"<p>Printer <b>jams</b></p>","comments":[
                    {"id":2,"message":"<p>internal</p>","customer_visible":0,"created_at":20},
                    {"id":1,"message":"<p>hello</p>","customer_visible":1,"is_solution":1,"created_at":10}]}"#,
            ),
            &catalog(),
        );
        assert!(d.partial.is_empty(), "{:?}", d.partial);
        assert!(d.description.as_str().contains("Printer"));
        assert!(!d.description.as_str().contains("<b>"));
        assert_eq!(d.comments.len(), 2);
        assert_eq!(d.comments[0].id, "1");
        assert_eq!(d.comments[0].visibility, Visibility::Public);
        assert!(d.comments[0].is_solution);
        assert_eq!(d.comments[1].visibility, Visibility::Internal);
    }

    #[test]
    fn failed_parts_become_notes() {
        let mut p = parts(r#"{"id":1}"#);
        p.links = Err(ProviderError::Server {
            status: 500,
            message: SafeText::default(),
        });
        let d = detail(&TicketId::from("1"), p, &catalog());
        assert_eq!(d.partial.len(), 2, "{:?}", d.partial);
        assert!(
            d.partial
                .iter()
                .any(|n| n.starts_with("comments could not"))
        );
        assert!(d.partial.iter().any(|n| n.starts_with("linked requests")));
    }

    #[test]
    fn approval_statuses_and_separate_comment_list() {
        let mut p = parts(r#"{"id":1}"#);
        p.comments = Ok(serde_json::from_str(
            r#"[{"id":3,"message":"x","customer_visible":true,"is_solution":false}]"#,
        )
        .unwrap());
        let wires: Vec<ApprovalWire> = serde_json::from_str(
            r#"[{"id":1,"status":-2},{"id":2,"status":"-1"},{"id":3,"status":0},
                {"id":4,"status":1},{"id":5,"status":2,"approval_request_description":"Buy it"}]"#,
        )
        .unwrap();
        p.approvals = Ok(wires
            .into_iter()
            .map(|wire| ApprovalRead {
                wire,
                voters: Ok(vec![]),
            })
            .collect());
        let d = detail(&TicketId::from("1"), p, &catalog());
        assert!(d.partial.is_empty());
        assert_eq!(d.comments[0].visibility, Visibility::Public);
        let statuses: Vec<_> = d.approvals.iter().map(|a| a.status).collect();
        assert_eq!(
            statuses,
            [
                ApprovalStatus::Cancelled,
                ApprovalStatus::Waiting,
                ApprovalStatus::Rejected,
                ApprovalStatus::Approved,
                ApprovalStatus::Expired
            ]
        );
        assert_eq!(d.approvals[4].description.as_str(), "Buy it");
    }
}
