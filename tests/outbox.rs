//! The outbox end to end, through the real console loop, the real InvGate provider and the
//! simulator: a reply whose answer is lost is on the server exactly once after recovery, a
//! refused write keeps its text and says why, and two ttydesk processes sharing one store
//! deliver a write once.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod harness;

use std::sync::Arc;
use std::time::Duration;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use harness::{Desk, agent_login, run_console_stored, sim, store_at};
use ttydesk::app::Msg;
use ttydesk::app::outbox::{OutboxEvent, OutboxOp, OutboxWorker, Queued};
use ttydesk::app::persist::Partition;
use ttydesk::domain::{TicketId, UserId, Visibility, Write};
use ttydesk::provider::Provider;
use ttydesk::sim::{Fault, FaultKind, Instance, SimHandle};

fn ctrl(c: char) -> KeyEvent {
    KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL)
}

/// Comments on request `id` whose text contains `text`.
fn comments_with(sim: &SimHandle, id: u64, text: &str) -> usize {
    sim.dataset().request(id).map_or(0, |r| {
        r.comments
            .iter()
            .filter(|c| c.message.contains(text))
            .count()
    })
}

/// Opens the first request of the queue in the composer for a public reply.
async fn compose_on_first(console: &harness::Console) {
    console.wait(|s| s.contains("refreshed")).await;
    console.key(KeyCode::Tab);
    console.key(KeyCode::Enter);
    console.wait(|s| s.contains("Description")).await;
    console.key(KeyCode::Char('c'));
    console.wait(|s| s.contains("Public reply")).await;
}

/// Opens the first request of the queue and writes `text` as a public reply.
async fn reply(console: &harness::Console, text: &str) {
    compose_on_first(console).await;
    console.text(text);
    console.press(ctrl('s'));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reply_whose_answer_was_lost_is_on_the_server_exactly_once() {
    let sim = sim(Instance::It).await;
    let login = agent_login(&sim);
    let dir = tempfile::tempdir().unwrap();
    // The server takes the comment and the connection drops before it answers.
    sim.inject(Fault {
        endpoint: Some("incident.comment".into()),
        kind: FaultKind::ReplyLost,
        times: 1,
    });
    let desks = [Desk::new("work", &sim).agent(&login)];
    let model = run_console_stored(
        &desks,
        (100, 30),
        Some(store_at(dir.path())),
        |_| {},
        |console| async move {
            reply(&console, "Restarted the spooler, please retry").await;
            // The worker finds it on the server instead of sending it again.
            console
                .wait(|s| {
                    s.contains("public reply on ")
                        && s.contains(": delivered")
                        && !s.contains("pending")
                })
                .await;
        },
    )
    .await;
    let id: u64 = model
        .detail
        .open
        .as_ref()
        .unwrap()
        .id
        .as_str()
        .parse()
        .unwrap();
    assert_eq!(
        comments_with(&sim, id, "Restarted the spooler, please retry"),
        1
    );
    let posts = sim
        .requests()
        .iter()
        .filter(|r| r.method == "POST" && r.endpoint == "incident.comment")
        .count();
    assert_eq!(posts, 1, "reconciled, not resent");
    assert!(
        model.sessions[0].outbox.is_empty(),
        "nothing left in the outbox"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_write_keeps_its_text_and_says_why() {
    let sim = sim(Instance::It).await;
    let login = agent_login(&sim);
    let dir = tempfile::tempdir().unwrap();
    let desks = [Desk::new("work", &sim).agent(&login)];
    let model = run_console_stored(
        &desks,
        (120, 30),
        Some(store_at(dir.path())),
        |_| {},
        |console| async move {
            console.wait(|s| s.contains("refreshed")).await;
            // Only new requests: none of them has a solution to reject.
            console.key(KeyCode::Char('s'));
            console.wait(|s| s.contains("● New")).await;
            console.key(KeyCode::Tab);
            console.key(KeyCode::Enter);
            console
                .wait(|s| s.contains("Description") && s.contains("Status:    New"))
                .await;
            // The server says so.
            console.key(KeyCode::Char(':'));
            console.text("reject-solution the printer still jams");
            console.key(KeyCode::Enter);
            console.wait(|s| s.contains("Reject solution?")).await;
            console.key(KeyCode::Char('y'));
            console
                .wait(|s| s.contains("✕ not sent: reject solution"))
                .await;
            console.key(KeyCode::Char('W'));
            console
                .wait(|s| s.contains("the printer still jams") && s.contains("refused:"))
                .await;
        },
    )
    .await;
    let outbox = &model.sessions[0].outbox;
    assert_eq!(outbox.len(), 1);
    assert!(outbox[0].failed());
    let kept = outbox[0].queued.as_ref().and_then(|q| q.write.text());
    assert_eq!(kept, Some("the printer still jams"));
    assert!(outbox[0].last_error.is_some());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_processes_on_one_store_deliver_a_write_once() {
    let sim = sim(Instance::It).await;
    let dir = tempfile::tempdir().unwrap();
    let data = sim.dataset();
    let request = data.open_requests().next().unwrap().id;
    let author = data.agents().nth(1).unwrap().id;
    let partition = Partition {
        name: "work".into(),
        fingerprint: "test".into(),
    };
    // One write waiting in the shared store.
    let first = store_at(dir.path());
    let queued = Queued {
        write: Write::Comment {
            ticket: TicketId::from(request.to_string().as_str()),
            body: "Only once, please".into(),
            visibility: Visibility::Internal,
            solution: false,
        },
        author: UserId::from(author.to_string().as_str()),
        title: format!("#{request}"),
        account: None,
    };
    let (added, done) = std::sync::mpsc::channel();
    let (name, fingerprint) = (partition.name.clone(), partition.fingerprint.clone());
    first.run(
        move |db| db.outbox_add(&name, &fingerprint, "w1", &request.to_string(), &queued, 0),
        move |r| {
            let _ = added.send(r);
        },
    );
    done.recv().unwrap().unwrap();

    // Two "processes": two connections to the file, two workers, two providers.
    let connected = ttydesk::cli::connect("work", &ttydesk::cli::sim_profile(&sim))
        .await
        .unwrap();
    let provider: Arc<dyn Provider> = connected.provider;
    let catalog = Arc::new(provider.catalog().await.unwrap());
    let mut events = Vec::new();
    let mut workers = Vec::new();
    for store in [first, store_at(dir.path())] {
        let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
        let worker = OutboxWorker::start(
            store,
            vec![partition.clone()],
            vec![Arc::clone(&provider)],
            tx,
        );
        worker.send(OutboxOp::Ready {
            profile: ttydesk::domain::ProfileId(0),
            catalog: Arc::clone(&catalog),
            account: None,
        });
        workers.push(worker);
        events.push(rx);
    }
    let mut delivered = 0;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    // Both workers poll the outbox for a while; only one may send.
    while tokio::time::Instant::now() < deadline {
        for rx in &mut events {
            while let Ok(msg) = rx.try_recv() {
                if let Msg::Outbox(OutboxEvent::Delivered { .. }) = msg {
                    delivered += 1;
                }
            }
        }
        if delivered > 0 {
            // Give the other worker time to (wrongly) send it too.
            tokio::time::sleep(Duration::from_millis(2_500)).await;
            for rx in &mut events {
                while let Ok(msg) = rx.try_recv() {
                    if let Msg::Outbox(OutboxEvent::Delivered { .. }) = msg {
                        delivered += 1;
                    }
                }
            }
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(delivered, 1);
    assert_eq!(comments_with(&sim, request, "Only once, please"), 1);
    drop(workers);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reply_finished_in_the_editor_is_what_the_server_gets() {
    let sim = sim(Instance::It).await;
    let login = agent_login(&sim);
    let dir = tempfile::tempdir().unwrap();
    // An "editor" that adds a line to the file it is given, as an agent in vi would.
    let editor: Vec<String> = [
        "sh",
        "-c",
        "printf '\\nand finished in the editor\\n' >> \"$1\"",
        "editor",
    ]
    .map(String::from)
    .to_vec();
    let desks = [Desk::new("work", &sim).agent(&login)];
    let model = run_console_stored(
        &desks,
        (100, 30),
        Some(store_at(dir.path())),
        move |m| m.settings.editor = editor,
        |console| async move {
            compose_on_first(&console).await;
            console.text("Begun in the console");
            console.press(ctrl('e'));
            console.wait(|s| s.contains("finished in the editor")).await;
            console.press(ctrl('s'));
            console
                .wait(|s| {
                    s.contains("public reply on ")
                        && s.contains(": delivered")
                        && !s.contains("pending")
                })
                .await;
        },
    )
    .await;
    let id: u64 = model
        .detail
        .open
        .as_ref()
        .unwrap()
        .id
        .as_str()
        .parse()
        .unwrap();
    let data = sim.dataset();
    let sent = data
        .request(id)
        .and_then(|r| {
            r.comments
                .iter()
                .find(|c| c.message.contains("Begun in the console"))
        })
        .map(|c| c.message.clone())
        .expect("the reply reached the server");
    assert!(sent.contains("finished in the editor"), "{sent}");
    // The temporary file the editor was given is gone.
    let left: Vec<_> = std::fs::read_dir(std::env::temp_dir())
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| {
            e.file_name()
                .to_string_lossy()
                .starts_with(&format!("ttydesk-reply-{}-", std::process::id()))
        })
        .collect();
    assert!(left.is_empty(), "{left:?}");
}
