//! Entry points for the fuzz targets (`tests/fuzz`): a reply's body as a server could send it,
//! through the decoding and mapping the providers use, into the domain. Nothing here sends a
//! call; each target is the pure part of one vendor's read.
//!
//! [`run`] decodes, maps, and then checks what came out: every string of the domain values, and
//! the words of any error, must be clean by [`crate::text::leak`]. A panic is the fuzzer's
//! finding: a decoder that panics, or vendor text that crossed the boundary unscrubbed.

use std::collections::HashMap;

use reqwest::header::{CONTENT_TYPE, HeaderMap, HeaderValue};
use serde::Serialize;
use serde_json::Value;

use super::ProviderError;
use super::http::Reply;
use super::{iden, invgate, rezolve, truto};
use crate::domain::{Catalog, TicketId};
use crate::text::{self, SafeText};

/// One vendor read, named as the fuzz target that drives it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// `incidents?ids[]=…`: a batch of requests for the queue.
    InvgateIncidents,
    /// `incident?id=…&comments=1`: one request with its embedded comments, as the detail.
    InvgateIncident,
    /// `users`: the directory behind every name.
    InvgateUsers,
    /// `breakingnews.all`.
    InvgateNews,
    /// `kb.articles.by.ids` and the other article pages.
    InvgateArticles,
    /// `GET /tickets/`: a DRF page of access requests, each also mapped as a detail.
    IdenTickets,
    /// `GET /unified/ticketing/tickets`: a page of tickets, each also mapped as a detail.
    TrutoTickets,
    /// `GET /unified/ticketing/comments`.
    TrutoComments,
    /// `POST ticket/list`: Rezolve's envelope with a page of tickets, each also a detail.
    RezolveTickets,
    /// `POST user/list`: users and the desks made of their groups.
    RezolveUsers,
    /// An HTML body to text, as a request's description is shown.
    Html,
    /// The scrubber on its own, as a line and as a block; both idempotent.
    Scrub,
    /// A certificate's DER, for the name of its issuer (an untrusted server's chain).
    CertificateIssuer,
}

impl Target {
    pub const ALL: [Target; 13] = [
        Target::InvgateIncidents,
        Target::InvgateIncident,
        Target::InvgateUsers,
        Target::InvgateNews,
        Target::InvgateArticles,
        Target::IdenTickets,
        Target::TrutoTickets,
        Target::TrutoComments,
        Target::RezolveTickets,
        Target::RezolveUsers,
        Target::Html,
        Target::Scrub,
        Target::CertificateIssuer,
    ];

    /// The fuzz target's name (`cargo fuzz run <name>`), also its seed folder's.
    pub fn name(self) -> &'static str {
        match self {
            Target::InvgateIncidents => "invgate_incidents",
            Target::InvgateIncident => "invgate_incident",
            Target::InvgateUsers => "invgate_users",
            Target::InvgateNews => "invgate_news",
            Target::InvgateArticles => "invgate_articles",
            Target::IdenTickets => "iden_tickets",
            Target::TrutoTickets => "truto_tickets",
            Target::TrutoComments => "truto_comments",
            Target::RezolveTickets => "rezolve_tickets",
            Target::RezolveUsers => "rezolve_users",
            Target::Html => "html",
            Target::Scrub => "scrub",
            Target::CertificateIssuer => "certificate_issuer",
        }
    }
}

/// Reads `body` as `target`'s reply and checks the result; panics on a finding. Says how many
/// domain values came out, or the error's words (a refused reply is not a finding).
pub fn run(target: Target, body: &[u8]) -> Result<usize, String> {
    let catalog = crate::testing::catalog();
    let outcome = match target {
        Target::InvgateIncidents => invgate_incidents(body, &catalog),
        Target::InvgateIncident => invgate_incident(body, &catalog),
        Target::InvgateUsers => {
            invgate::client::decode::<invgate::lenient::Listing<_>>("users", body)
                .map(|l| values(l.into_values().iter().map(invgate::map::person)))
        }
        Target::InvgateNews => invgate_news(body, &catalog),
        Target::InvgateArticles => invgate_articles(body),
        Target::IdenTickets => iden_tickets(body, &catalog),
        Target::TrutoTickets => truto_tickets(body, &catalog),
        Target::TrutoComments => truto::client::decode("comments", &reply(body))
            .and_then(|v| truto::wire::page::<truto::wire::CommentWire>("comments", v))
            .map(|p| {
                values(
                    p.items
                        .iter()
                        .filter_map(|w| truto::map::comment(w, &catalog)),
                )
            }),
        Target::RezolveTickets => rezolve_tickets(body, &catalog),
        Target::RezolveUsers => rezolve_users(body),
        Target::Html => {
            let raw = String::from_utf8_lossy(body);
            let shown = SafeText::from_html(&raw);
            Ok(vec![Value::String(shown.as_str().to_string())])
        }
        Target::Scrub => {
            scrub(body);
            return Ok(1);
        }
        Target::CertificateIssuer => Ok(super::issuer::issuer_name(body)
            .map(|name| Value::String(text::scrub_line(&name)))
            .into_iter()
            .collect()),
    };
    match outcome {
        Ok(values) => {
            values.iter().for_each(|v| check(target, v));
            Ok(values.len())
        }
        Err(e) => {
            let words = e.to_string();
            if let Some(leak) = text::leak(&words) {
                panic!(
                    "{}: the error's words hold {leak}: {words:?}",
                    target.name()
                );
            }
            Err(words)
        }
    }
}

type Outcome = Result<Vec<Value>, ProviderError>;

/// Domain values as JSON, to walk every string they hold.
fn values<T: Serialize>(items: impl Iterator<Item = T>) -> Vec<Value> {
    items
        .filter_map(|item| serde_json::to_value(item).ok())
        .collect()
}

/// A 200 with a JSON content type, as the vendors send.
fn reply(body: &[u8]) -> Reply {
    let mut headers = HeaderMap::new();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    Reply {
        status: 200,
        body: body.to_vec(),
        headers,
    }
}

fn check(target: Target, value: &Value) {
    match value {
        Value::String(s) => {
            if let Some(leak) = text::leak(s) {
                panic!("{}: a decoded string holds {leak}", target.name());
            }
        }
        Value::Array(items) => items.iter().for_each(|v| check(target, v)),
        Value::Object(map) => map.iter().for_each(|(k, v)| {
            check(target, &Value::String(k.clone()));
            check(target, v);
        }),
        Value::Null | Value::Bool(_) | Value::Number(_) => {}
    }
}

fn invgate_incidents(body: &[u8], catalog: &Catalog) -> Outcome {
    use invgate::wire::IncidentWire;
    let listing: invgate::lenient::Listing<IncidentWire> =
        invgate::client::decode("incidents", body)?;
    Ok(values(listing.items.iter().filter_map(|(key, wire)| {
        let id = wire.id.clone().or_else(|| key.clone())?;
        Some(invgate::map::ticket(wire, TicketId::from(id), catalog))
    })))
}

fn invgate_incident(body: &[u8], catalog: &Catalog) -> Outcome {
    let reply: Value = invgate::client::decode("incident", body)?;
    let incident = invgate::fetch::incident_object(reply)?;
    let id = TicketId::from(incident.id.clone().unwrap_or_else(|| "1".into()));
    let parts = invgate::detail::DetailParts {
        incident,
        // As when `incident.comment` fails: the embedded comments are read instead.
        comments: Err(ProviderError::Internal("not asked".into())),
        links: Ok(Vec::new()),
        approvals: Ok(Vec::new()),
    };
    Ok(values(std::iter::once(invgate::detail::detail(
        &id, parts, catalog,
    ))))
}

fn invgate_news(body: &[u8], catalog: &Catalog) -> Outcome {
    use invgate::news_wire::NewsWire;
    let reply: Value = invgate::client::decode("breakingnews.all", body)?;
    let wires =
        invgate::news_wire::with_ids("breakingnews.all", reply, |n: &mut NewsWire| &mut n.id)?;
    let words = invgate::news_map::NewsWords {
        types: HashMap::new(),
        statuses: HashMap::new(),
        groups: HashMap::new(),
    };
    Ok(values(
        wires
            .iter()
            .map(|w| invgate::news_map::news_item(w, catalog, &words)),
    ))
}

fn invgate_articles(body: &[u8]) -> Outcome {
    let reply: Value = invgate::client::decode("kb.articles.by.ids", body)?;
    let page = invgate::news_wire::articles("kb.articles.by.ids", reply)?;
    let names = HashMap::from([("1".to_string(), SafeText::ours("Printers"))]);
    let mut out = values(
        page.articles
            .iter()
            .map(|a| invgate::news_map::article(a, &names)),
    );
    out.extend(values(
        page.articles
            .iter()
            .map(|a| invgate::news_map::hit(a, &names)),
    ));
    Ok(out)
}

fn iden_tickets(body: &[u8], catalog: &Catalog) -> Outcome {
    let reply = iden::client::decode("tickets", &reply(body))?;
    let page = iden::wire::page::<iden::wire::TicketWire>("tickets", reply)?;
    let mut out = values(
        page.items
            .iter()
            .filter_map(|w| iden::map::ticket(w, catalog)),
    );
    out.extend(values(
        page.items
            .iter()
            .filter_map(|w| iden::map::detail(w, catalog)),
    ));
    Ok(out)
}

fn truto_tickets(body: &[u8], catalog: &Catalog) -> Outcome {
    let reply = truto::client::decode("tickets", &reply(body))?;
    let page = truto::wire::page::<truto::wire::TicketWire>("tickets", reply)?;
    let mut out = values(
        page.items
            .iter()
            .filter_map(|w| truto::map::ticket(w, catalog)),
    );
    out.extend(values(page.items.iter().filter_map(|w| {
        truto::map::detail(w, Vec::new(), "zendesk", catalog)
    })));
    Ok(out)
}

fn rezolve_tickets(body: &[u8], catalog: &Catalog) -> Outcome {
    let mut data = rezolve::client::data("ticket/list", &reply(body))?;
    let (items, _, _) = rezolve::wire::list_after::<rezolve::wire::TicketWire>(
        "ticket/list",
        &mut data,
        "tickets",
        0,
    )?;
    let mut out = values(
        items
            .iter()
            .filter_map(|w| rezolve::map::ticket(w, catalog)),
    );
    out.extend(values(
        items
            .iter()
            .filter_map(|w| rezolve::map::detail(w, catalog)),
    ));
    Ok(out)
}

fn rezolve_users(body: &[u8]) -> Outcome {
    let mut data = rezolve::client::data("user/list", &reply(body))?;
    let (users, _) =
        rezolve::wire::list::<rezolve::wire::UserWire>("user/list", &mut data, "users")?;
    let mut out = values(users.iter().filter_map(rezolve::map::person));
    out.extend(values(rezolve::map::desks(&users).into_iter()));
    Ok(out)
}

/// Any text through the scrubber: nothing hidden comes out, and cleaning again changes nothing.
fn scrub(body: &[u8]) {
    let raw = String::from_utf8_lossy(body);
    let line = text::scrub_line(&raw);
    let block = text::scrub_block(&raw);
    for (what, clean) in [("line", &line), ("block", &block)] {
        if let Some(leak) = text::leak(clean) {
            panic!("scrub: the {what} holds {leak}");
        }
    }
    assert!(!line.contains('\n'), "scrub: a line break in a line");
    assert_eq!(
        text::scrub_line(&line),
        line,
        "scrub: a line cleaned twice changed"
    );
    assert_eq!(
        text::scrub_block(&block),
        block,
        "scrub: a block cleaned twice changed"
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every target's seeds (`tests/fuzz/seeds/<target>/`) run clean, and the ordinary one
    /// decodes into domain values: the seeds reach the mapping, not only the parser.
    #[test]
    fn every_target_runs_clean_over_its_seeds() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz/seeds");
        for target in Target::ALL {
            let folder = root.join(target.name());
            let mut seeds: Vec<_> = std::fs::read_dir(&folder)
                .unwrap_or_else(|e| panic!("{}: {e}", folder.display()))
                .filter_map(|entry| entry.ok().map(|e| e.path()))
                .collect();
            seeds.sort();
            assert!(!seeds.is_empty(), "{} has no seeds", target.name());
            for seed in seeds {
                let body = std::fs::read(&seed).unwrap_or_default();
                let outcome = run(target, &body);
                let name = seed.file_name().and_then(|n| n.to_str()).unwrap_or("");
                if name.starts_with("plain") || name.starts_with("hostile") {
                    let produced =
                        outcome.unwrap_or_else(|e| panic!("{name} of {}: {e}", target.name()));
                    assert!(produced > 0, "{name} of {} produced nothing", target.name());
                }
            }
        }
    }

    #[test]
    fn a_leak_is_found_in_what_a_decoder_returns() {
        let leaked = serde_json::json!({"title": "a\u{1b}[2J"});
        let found = std::panic::catch_unwind(|| check(Target::InvgateIncidents, &leaked));
        assert!(
            found.is_err(),
            "an ESC in a decoded title must be a finding"
        );
        check(
            Target::InvgateIncidents,
            &serde_json::json!({"title": "Zoë 👩\u{200d}💻"}),
        );
    }

    #[test]
    fn a_web_page_is_refused_in_words_not_a_finding() {
        let page = b"<html><head><title>Sign in</title></head></html>";
        for target in [
            Target::InvgateIncidents,
            Target::IdenTickets,
            Target::TrutoTickets,
            Target::RezolveTickets,
        ] {
            let words = run(target, page).err().unwrap_or_default();
            assert!(words.contains("HTML page"), "{}: {words}", target.name());
        }
    }
}
