//! Contract tests for the InvGate provider's writes, against the project's simulator: what each
//! write puts on the wire (method, endpoint, form-encoded parameter names and values, nothing in
//! the query string), what the request looks like afterwards (through `detail` or the GET
//! endpoints), refusals carrying the server's sentence, the agent's lookup, and reconciliation:
//! `NotApplied` before a write, `Applied` after it, after a lost reply and after a timeout.

// Helpers outside `#[test]` functions: a failed setup is a failed test.
#![allow(clippy::expect_used)]

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use secrecy::SecretString;
use serde_json::Value;
use ttydesk::domain::{
    Attribute, Catalog, DeskId, Reconciled, StatusKind, TicketDetail, TicketId, UserId, Visibility,
    WaitFor, Write, Written,
};
use ttydesk::provider::http::HttpSettings;
use ttydesk::provider::invgate::{InvGate, InvGateConfig};
use ttydesk::provider::{Provider, ProviderError};
use ttydesk::sim::{Fault, FaultKind, RecordedRequest, SimHandle, SimOptions};

/// Form pairs as the simulator records them: `form!["request_id" => id, …]`.
macro_rules! form {
    ($($k:literal => $v:expr),* $(,)?) => { vec![$(($k.to_string(), $v.to_string())),*] };
}

fn provider_with(sim: &SimHandle, timeouts: HttpSettings) -> InvGate {
    InvGate::new(InvGateConfig {
        base_url: sim.base_url(),
        username: sim.username().to_string(),
        token: SecretString::from(sim.password().to_string()),
        timeouts,
    })
    .expect("provider builds")
}

/// A simulator, its provider, the catalog, and the agent the writes are made as.
struct Desk {
    sim: SimHandle,
    ig: InvGate,
    catalog: Arc<Catalog>,
    agent: UserId,
}

async fn desk_with(opts: SimOptions) -> Desk {
    let sim = SimHandle::start(opts).await.expect("simulator starts");
    let ig = provider_with(&sim, HttpSettings::default());
    let catalog = Arc::new(ig.catalog().await.expect("catalog"));
    let login = (sim.dataset().agents())
        .find(|u| !u.is_disabled && !u.is_deleted)
        .expect("an agent")
        .username
        .clone();
    let agent = ig.agent(login).await.expect("the agent is known").id;
    sim.clear_requests();
    Desk {
        sim,
        ig,
        catalog,
        agent,
    }
}

async fn desk() -> Desk {
    desk_with(SimOptions::default()).await
}

impl Desk {
    /// Requests in the status called `name`, without the deliberately hostile ones.
    fn tickets(&self, name: &str) -> Vec<TicketId> {
        let ds = self.sim.dataset();
        let status = (ds.statuses.iter())
            .find(|s| s.name.eq_ignore_ascii_case(name))
            .unwrap_or_else(|| panic!("status {name}"))
            .id;
        (ds.requests.iter())
            .filter(|r| r.status_id == status && !ds.hostile_ids.contains(&r.id))
            .map(|r| TicketId::from(r.id.to_string()))
            .collect()
    }

    async fn write(&self, write: &Write) -> Result<Written, ProviderError> {
        let catalog = Arc::clone(&self.catalog);
        self.ig
            .write(write.clone(), self.agent.clone(), catalog)
            .await
    }

    async fn try_reconcile(
        &self,
        write: &Write,
        since: DateTime<Utc>,
    ) -> Result<Reconciled, ProviderError> {
        let (author, catalog) = (self.agent.clone(), Arc::clone(&self.catalog));
        self.ig
            .reconcile(write.clone(), author, since, catalog)
            .await
    }

    async fn reconcile(&self, write: &Write, since: DateTime<Utc>) -> Reconciled {
        (self.try_reconcile(write, since).await).expect("the server can be read")
    }

    async fn detail(&self, id: &TicketId) -> TicketDetail {
        let catalog = Arc::clone(&self.catalog);
        self.ig.detail(id.clone(), catalog).await.expect("detail")
    }

    async fn kind(&self, id: &TicketId) -> StatusKind {
        self.detail(id).await.ticket.status.kind
    }

    /// Sends `write` with the log cleared, reconciling around it: not applied before, applied
    /// after.
    async fn check(&self, write: &Write) -> Written {
        self.sim.clear_requests();
        let since = Utc::now();
        let what = write.describe();
        let before = self.reconcile(write, since).await;
        assert_eq!(before, Reconciled::NotApplied, "before {what}");
        let written = self.write(write).await.expect("the write is accepted");
        assert_eq!(written.subject, write.subject());
        match self.reconcile(write, since).await {
            Reconciled::Applied(found) => assert_eq!(found.subject, write.subject()),
            other => panic!("after {what}: {other:?}"),
        }
        written
    }

    /// The one write on the wire since [`Desk::check`] cleared the log is `call` ("POST
    /// incident.comment") with exactly the pairs `want`, in order, in a form body, and nothing
    /// in the query string.
    fn expect_sent(&self, call: &str, want: Vec<(String, String)>) {
        let writes: Vec<RecordedRequest> = (self.sim.requests().into_iter())
            .filter(|r| r.method != "GET")
            .collect();
        assert_eq!(writes.len(), 1, "one write on the wire: {writes:?}");
        let r = &writes[0];
        assert_eq!(format!("{} {}", r.method, r.endpoint), call);
        assert!(r.query.is_empty(), "parameters in the URL: {:?}", r.query);
        assert_eq!(r.form, want, "{call}");
        assert!(r.authorization.is_some());
    }

    /// A GET of the simulator, decoded (for lists `detail` does not show).
    async fn get(&self, endpoint: &str, query: &[(&str, &str)]) -> Value {
        let base = format!("{}/api/v1/{endpoint}", self.sim.base_url());
        let url = reqwest::Url::parse_with_params(&base, query).expect("url");
        let reply = reqwest::Client::new()
            .get(url)
            .basic_auth(self.sim.username(), Some(self.sim.password()))
            .send()
            .await
            .expect("reply");
        serde_json::from_slice(&reply.bytes().await.expect("body")).expect("json")
    }
}

fn comment(ticket: &TicketId, body: &str, visibility: Visibility, solution: bool) -> Write {
    Write::Comment {
        ticket: ticket.clone(),
        body: body.into(),
        visibility,
        solution,
    }
}

fn words(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_agent_is_looked_up_by_user_name_or_email() {
    let sim = SimHandle::start(SimOptions::default()).await.expect("sim");
    let ig = provider_with(&sim, HttpSettings::default());
    let user = (sim.dataset().agents())
        .find(|u| !u.is_disabled && !u.is_deleted && !u.email.is_empty())
        .expect("an agent with an e-mail")
        .clone();
    let asked = || {
        let r = (sim.requests().into_iter())
            .find(|r| r.endpoint == "user.by")
            .expect("user.by asked");
        sim.clear_requests();
        r.query
    };
    let by_name = ig.agent(user.username.clone()).await.expect("by user name");
    assert_eq!(by_name.id, UserId::from(user.id.to_string()));
    assert!(by_name.is_agent);
    assert_eq!(asked(), form!["username" => user.username]);

    let by_mail = ig
        .agent(user.email.to_uppercase())
        .await
        .expect("by e-mail");
    assert_eq!(by_mail.id, by_name.id);
    assert_eq!(asked(), form!["email" => user.email.to_uppercase()]);

    let err = ig.agent("nobody-here".into()).await.expect_err("unknown");
    assert!(matches!(err, ProviderError::Rejected(_)), "{err:?}");
    assert!(
        err.to_string()
            .contains("no InvGate user called nobody-here"),
        "{err}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reply_is_posted_as_escaped_html_and_shows_in_the_thread() {
    let d = desk().await;
    let ticket = &d.tickets("In progress")[0];
    let typed = "Restarted the spooler & cleared <queue> \"A\"\nThanks";
    let written = d
        .check(&comment(ticket, typed, Visibility::Public, false))
        .await;
    d.expect_sent(
        "POST incident.comment",
        form![
            "request_id" => ticket,
            "comment" => "<p>Restarted the spooler &amp; cleared &lt;queue&gt; &quot;A&quot;<br>Thanks</p>",
            "author_id" => d.agent,
            "is_solution" => 0,
            "customer_visible" => 1,
        ],
    );
    let detail = d.detail(ticket).await;
    let ours: Vec<_> = (detail.comments.iter())
        .filter(|c| words(c.body.as_str()) == words(typed))
        .collect();
    assert_eq!(ours.len(), 1, "shown once, as typed: {:?}", detail.comments);
    assert_eq!(ours[0].author.as_ref().map(|a| &a.id), Some(&d.agent));
    assert_eq!(ours[0].visibility, Visibility::Public);
    assert!(!ours[0].is_solution);
    if let Some(created) = written.created_id {
        assert_eq!(created, ours[0].id);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_internal_solution_is_flagged_and_resolves_the_request() {
    let d = desk().await;
    let ticket = &d.tickets("In progress")[1];
    let text = "Replaced the fuser unit";
    d.check(&comment(ticket, text, Visibility::Internal, true))
        .await;
    d.expect_sent(
        "POST incident.comment",
        form![
            "request_id" => ticket, "comment" => format!("<p>{text}</p>"), "author_id" => d.agent,
            "is_solution" => 1, "customer_visible" => 0,
        ],
    );
    let detail = d.detail(ticket).await;
    let ours = (detail.comments.iter())
        .find(|c| c.body.as_str().contains(text))
        .expect("the solution in the thread");
    assert!(ours.is_solution);
    assert_eq!(ours.visibility, Visibility::Internal);
    assert_eq!(detail.ticket.status.kind, StatusKind::Resolved);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reassign_moves_the_request_to_a_desk_and_one_of_its_agents() {
    let d = desk().await;
    let ticket = &d.tickets("Open")[0];
    let (desk, agent) = {
        let ds = d.sim.dataset();
        let now = ds.request(ticket.number().expect("id")).expect("request");
        let usable = |id: &u64| {
            ds.user(*id)
                .is_some_and(|u| !u.is_disabled && !u.is_deleted)
        };
        let desk = (ds.helpdesks.iter())
            .find(|h| !h.deleted && h.id != now.assigned_group_id && h.members.iter().any(usable))
            .expect("another desk with people");
        let agent = *desk.members.iter().find(|m| usable(m)).expect("a member");
        (desk.id, agent)
    };
    let write = Write::Reassign {
        ticket: ticket.clone(),
        desk: DeskId::from(desk.to_string()),
        agent: Some(UserId::from(agent.to_string())),
    };
    d.check(&write).await;
    d.expect_sent(
        "POST incident.reassign",
        form![
            "request_id" => ticket, "author_id" => d.agent, "group_id" => desk,
            "agent_id" => agent,
        ],
    );
    let now = d.detail(ticket).await.ticket;
    assert_eq!(
        now.help_desk.map(|h| h.id.to_string()),
        Some(desk.to_string())
    );
    assert_eq!(now.agent.map(|a| a.id.to_string()), Some(agent.to_string()));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_kind_of_wait_puts_the_request_on_hold() {
    let d = desk().await;
    let open = d.tickets("In progress");
    let until = DateTime::from_timestamp(Utc::now().timestamp() + 86_400, 0).expect("a date");
    let cases = [
        (WaitFor::Customer, "customer", form![]),
        (WaitFor::Agent, "agent", form![]),
        (
            WaitFor::Until(until),
            "date",
            form!["timestamp" => until.timestamp()],
        ),
        (
            WaitFor::Request(open[9].clone()),
            "incident",
            form!["wait_request_id" => open[9]],
        ),
    ];
    for (ticket, (on, what, extra)) in open.iter().zip(cases) {
        d.check(&Write::Wait {
            ticket: ticket.clone(),
            on,
        })
        .await;
        let mut want = form!["request_id" => ticket];
        want.extend(extra);
        d.expect_sent(&format!("POST incident.waitingfor.{what}"), want);
        assert_eq!(d.kind(ticket).await, StatusKind::Waiting, "{what}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reopen_cancel_and_reject_move_the_request_through_its_lifecycle() {
    let d = desk().await;
    let closed = &d.tickets("Closed")[0];
    d.check(&Write::Reopen {
        ticket: closed.clone(),
    })
    .await;
    d.expect_sent(
        "PUT incident.reopen",
        form!["request_id" => closed, "author_id" => d.agent],
    );
    let kind = d.kind(closed).await;
    assert!(
        matches!(kind, StatusKind::Open | StatusKind::New),
        "{kind:?}"
    );

    let open = d.tickets("Open");
    let cancel = Write::Cancel {
        ticket: open[1].clone(),
        comment: "Duplicate of an earlier request".into(),
    };
    d.check(&cancel).await;
    d.expect_sent(
        "POST incident.cancel",
        form![
            "request_id" => open[1], "author_id" => d.agent,
            "comment" => "<p>Duplicate of an earlier request</p>",
        ],
    );
    let status = d.detail(&open[1]).await.ticket.status;
    assert_eq!(status.kind, StatusKind::Closed);
    assert!(
        status.name.as_str().to_lowercase().starts_with("cancel"),
        "{}",
        status.name
    );

    d.check(&Write::Reject {
        ticket: open[2].clone(),
    })
    .await;
    d.expect_sent(
        "POST incident.reject",
        form!["request_id" => open[2], "author_id" => d.agent],
    );
    let status = d.detail(&open[2]).await.ticket.status;
    assert_eq!(
        (status.kind, status.name.as_str()),
        (StatusKind::Closed, "Rejected")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_proposed_solution_is_accepted_or_rejected_by_request_id_as_id() {
    let d = desk().await;
    let resolved = d.tickets("Resolved");
    let accept = Write::AcceptSolution {
        ticket: resolved[0].clone(),
        rating: 3,
        comment: "Took a while, works now".into(),
    };
    d.check(&accept).await;
    d.expect_sent(
        "PUT incident.solution.accept",
        form![
            "id" => resolved[0], "rating" => 3, "comment" => "<p>Took a while, works now</p>",
        ],
    );
    assert_eq!(d.kind(&resolved[0]).await, StatusKind::Closed);

    let reject = Write::RejectSolution {
        ticket: resolved[1].clone(),
        comment: "Still jams on tray 2".into(),
    };
    d.check(&reject).await;
    d.expect_sent(
        "PUT incident.solution.reject",
        form!["id" => resolved[1], "comment" => "<p>Still jams on tray 2</p>"],
    );
    let kind = d.kind(&resolved[1]).await;
    assert!(kind != StatusKind::Resolved && kind.is_open(), "{kind:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn observers_collaborators_and_links_are_added() {
    let d = desk().await;
    let ticket = &d.tickets("Open")[3];
    let (user, other) = {
        let ds = d.sim.dataset();
        let r = ds.request(ticket.number().expect("id")).expect("request");
        let new = |id: &u64| !r.observers.contains(id) && !r.collaborators.contains(id);
        let user = (ds.agents())
            .find(|u| !u.is_disabled && !u.is_deleted && new(&u.id))
            .expect("someone new")
            .id;
        let other = (ds.open_requests())
            .find(|o| o.id != r.id && !r.links.contains(&o.id))
            .expect("an unlinked request")
            .id;
        (user, TicketId::from(other.to_string()))
    };
    let someone = UserId::from(user.to_string());
    for (write, endpoint) in [
        (
            Write::AddObserver {
                ticket: ticket.clone(),
                user: someone.clone(),
            },
            "incident.observer",
        ),
        (
            Write::AddCollaborator {
                ticket: ticket.clone(),
                user: someone,
            },
            "incident.collaborator",
        ),
    ] {
        d.check(&write).await;
        d.expect_sent(
            &format!("POST {endpoint}"),
            form!["request_id" => ticket, "author_id" => d.agent, "user_id" => user],
        );
        let people = d.get(endpoint, &[("request_id", ticket.as_str())]).await;
        let listed = people
            .as_array()
            .is_some_and(|p| p.contains(&Value::from(user)));
        assert!(listed, "{endpoint}: {people}");
    }

    let link = Write::Link {
        ticket: ticket.clone(),
        other: other.clone(),
    };
    d.check(&link).await;
    d.expect_sent(
        "POST incident.link",
        form!["request_id" => ticket, "request_ids[]" => other],
    );
    let links = d.detail(ticket).await.links;
    assert!(links.iter().any(|l| l.id == other), "{links:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_custom_field_is_set_and_erased() {
    let d = desk().await;
    let uid = d.sim.dataset().custom_fields[0].uid;
    let ticket = (d.tickets("Open").into_iter())
        .find(|t| {
            let ds = d.sim.dataset();
            let r = ds.request(t.number().expect("id")).expect("request");
            r.custom_fields.iter().all(|(u, _)| *u != uid)
        })
        .expect("a request without that field");
    let value = |detail: TicketDetail| {
        (detail.custom_fields.into_iter())
            .find(|f| f.field_id == uid.to_string())
            .map(|f| f.value.as_str().to_string())
    };
    let set = |values: &[&str]| Write::SetField {
        ticket: ticket.clone(),
        field: uid.to_string(),
        values: values.iter().map(|v| v.to_string()).collect(),
    };
    d.check(&set(&["Annex B, floor 2"])).await;
    d.expect_sent(
        "POST incident.custom_field",
        form![
            "request_id" => ticket, "author_id" => d.agent, "custom_field_uid" => uid,
            "values[]" => "Annex B, floor 2",
        ],
    );
    let now = value(d.detail(&ticket).await);
    assert_eq!(now.as_deref(), Some("Annex B, floor 2"));

    d.check(&set(&[])).await;
    d.expect_sent(
        "POST incident.custom_field",
        form![
            "request_id" => ticket, "author_id" => d.agent, "custom_field_uid" => uid,
            "values[]" => "",
        ],
    );
    assert_eq!(value(d.detail(&ticket).await), None, "erased");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn priority_type_and_category_change_with_an_incident_put() {
    let d = desk().await;
    let ticket = &d.tickets("Open")[4];
    let ds = d.sim.dataset();
    let r = ds.request(ticket.number().expect("id")).expect("request");
    let other = |ids: Vec<u64>, now: u64| ids.into_iter().find(|id| *id != now).expect("another");
    let cases = [
        (
            Attribute::Priority,
            "priority_id",
            other(ds.priorities.iter().map(|p| p.id).collect(), r.priority_id),
        ),
        (
            Attribute::Type,
            "type_id",
            other(ds.types.iter().map(|t| t.id).collect(), r.type_id),
        ),
        (
            Attribute::Category,
            "category_id",
            other(ds.categories.iter().map(|c| c.id).collect(), r.category_id),
        ),
    ];
    for (attribute, name, value) in cases {
        let change = Write::Change {
            ticket: ticket.clone(),
            attribute,
            value: value.to_string(),
        };
        d.check(&change).await;
        let mut want = form!["id" => ticket];
        want.push((name.to_string(), value.to_string()));
        d.expect_sent("PUT incident", want);
        let t = d.detail(ticket).await.ticket;
        let now = match attribute {
            Attribute::Priority => t.priority.map(|p| p.id),
            Attribute::Type => t.kind.map(|k| k.id),
            Attribute::Category => t.category.map(|c| c.id),
        };
        assert_eq!(now, Some(value.to_string()), "{name}");
    }
}

// Refusals, legacy numbers and reconciliation after lost replies.
#[path = "invgate_writes/recovery.rs"]
mod recovery;

#[path = "invgate_writes/news.rs"]
mod news;
