//! The outbox with a Truto profile whose token reaches several accounts: a reply written in
//! one account is never sent to the request of the same number in another. It waits while the
//! profile works in another account, says why, and goes out once its own account is chosen
//! again; against the simulator, through the real provider and worker.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod harness;

use std::sync::Arc;
use std::time::Duration;

use harness::store_at;
use secrecy::SecretString;
use tokio::sync::mpsc::UnboundedReceiver;
use ttydesk::app::Msg;
use ttydesk::app::outbox::{OutboxEvent, OutboxItem, OutboxOp, OutboxWorker, Queued};
use ttydesk::app::persist::Partition;
use ttydesk::domain::{ProfileId, TicketId, UserId, Visibility, Write};
use ttydesk::provider::Provider;
use ttydesk::provider::http::HttpSettings;
use ttydesk::provider::truto::{Truto, TrutoConfig};
use ttydesk::sim::{SimHandle, SimOptions};

const ZENDESK: &str = "8a1f0c2e-5b7d-4e93-a6f1-0d2c9b4e7a11";
const JIRA: &str = "3c9e7b10-2d4f-4a68-9b0e-6f1a2c8d5e22";

/// Truto calls that wrote something.
fn truto_writes(sim: &SimHandle) -> Vec<ttydesk::sim::RecordedRequest> {
    sim.requests()
        .into_iter()
        .filter(|r| r.endpoint.starts_with("truto/") && r.method != "GET")
        .collect()
}

/// Waits (up to 10 s) for the worker to list an entry that `done` accepts, or to deliver one
/// (`done` sees `None`); returns the last list seen.
async fn until(
    rx: &mut UnboundedReceiver<Msg>,
    done: impl Fn(Option<&[OutboxItem]>) -> bool,
) -> Vec<OutboxItem> {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    let mut last = Vec::new();
    loop {
        let left = deadline.saturating_duration_since(tokio::time::Instant::now());
        let msg = tokio::time::timeout(left, rx.recv())
            .await
            .unwrap_or_else(|_| panic!("the outbox never got there; last listed: {last:?}"))
            .expect("the worker runs");
        match msg {
            Msg::Outbox(OutboxEvent::Listed { items, .. }) => {
                if done(Some(&items)) {
                    return items;
                }
                last = items;
            }
            Msg::Outbox(OutboxEvent::Delivered { .. }) if done(None) => return last,
            _ => {}
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reply_made_in_one_account_waits_in_another_and_goes_out_in_its_own() {
    let sim = SimHandle::start(SimOptions::default()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let ticket = sim.truto_accounts()[0].tickets[0].id.clone();
    let partition = Partition {
        name: "desk".into(),
        fingerprint: "test".into(),
    };
    // A reply the agent wrote while working in Zendesk, waiting in the store.
    let store = store_at(dir.path());
    let queued = Queued {
        write: Write::Comment {
            ticket: TicketId::from(ticket.as_str()),
            body: "Zendesk only, please".into(),
            visibility: Visibility::Public,
            solution: false,
        },
        author: UserId::from("0"),
        title: format!("#{ticket}"),
        account: Some(ZENDESK.into()),
    };
    let (added, done) = std::sync::mpsc::channel();
    let subject = ticket.clone();
    store.run(
        move |db| db.outbox_add("desk", "test", "w1", &subject, &queued, 0),
        move |r| {
            let _ = added.send(r);
        },
    );
    done.recv().unwrap().unwrap();

    // The console starts again and the agent opens Jira, an account of the same token.
    let truto = Truto::new(TrutoConfig {
        base_url: sim.truto_base_url(),
        token: SecretString::from(sim.truto_token()),
        integrated_account_id: None,
        timeouts: HttpSettings::default(),
    })
    .unwrap();
    truto.choose_account(JIRA.into()).await.expect("jira opens");
    let jira_catalog = Arc::new(truto.catalog().await.expect("jira catalog"));
    let provider: Arc<dyn Provider> = Arc::new(truto.clone());
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let worker = OutboxWorker::start(store, vec![partition], vec![Arc::clone(&provider)], tx);
    worker.send(OutboxOp::Ready {
        profile: ProfileId(0),
        catalog: jira_catalog,
        account: Some(JIRA.into()),
    });
    let items = until(&mut rx, |items| {
        items.is_some_and(|i| {
            i.iter().any(|e| {
                e.last_error
                    .as_deref()
                    .is_some_and(|r| r.contains("made in another account"))
            })
        })
    })
    .await;
    let reason = items[0].last_error.clone().unwrap();
    assert!(reason.contains("it is sent once that account is in use again (:account)"));
    assert!(
        truto_writes(&sim).is_empty(),
        "nothing was sent to Jira: {:?}",
        truto_writes(&sim)
    );

    // Back in Zendesk: the reply goes out at once, to Zendesk's request.
    truto.choose_account(ZENDESK.into()).await.expect("zendesk");
    let catalog = Arc::new(truto.catalog().await.expect("zendesk catalog"));
    worker.send(OutboxOp::Ready {
        profile: ProfileId(0),
        catalog,
        account: Some(ZENDESK.into()),
    });
    until(&mut rx, |items| items.is_none()).await;
    let writes = truto_writes(&sim);
    assert_eq!(writes.len(), 1, "{writes:?}");
    let account = writes[0]
        .query
        .iter()
        .find(|(k, _)| k == "integrated_account_id")
        .map(|(_, v)| v.as_str());
    assert_eq!(account, Some(ZENDESK));
    let thread = &sim.truto_accounts()[0].tickets[0].comments;
    assert!(
        thread
            .iter()
            .any(|c| c.body.contains("Zendesk only, please")),
        "the reply is on Zendesk's request"
    );
}
