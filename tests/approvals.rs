//! Approvals end to end, through the real console loop, the real InvGate provider and the
//! simulator: the pane lists what waits for the agent, a rejection with a note and an approval
//! reach the server and the approval leaves the list, a vote made while the server is down is
//! delivered once it is back (and once only when its reply was lost), and a vote the server
//! refuses is shown with the server's reason. Cancel, add voter and the two kinds of new
//! approval are in `approvals/requesting.rs`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod harness;

#[path = "approvals/requesting.rs"]
mod requesting;

use std::time::Duration;

use crossterm::event::KeyCode;
use harness::{Desk, agent_login, run_as, run_console_stored, sim, store_at};
use ttydesk::app::approvals_waiting;
use ttydesk::domain::{TicketId, UserId, Write};
use ttydesk::sim::{Fault, FaultKind, Instance, SimHandle};

/// The user id behind `login`.
pub fn user_id(sim: &SimHandle, login: &str) -> u64 {
    sim.dataset()
        .users
        .iter()
        .find(|u| u.username == login)
        .map(|u| u.id)
        .expect("the login is a user")
}

/// (request, approval) of every approval of an open request waiting for `agent`'s vote.
pub fn waiting_for(sim: &SimHandle, agent: u64) -> Vec<(u64, u64)> {
    let data = sim.dataset();
    let mut out: Vec<(u64, u64)> = data
        .open_requests()
        .flat_map(|r| {
            r.approvals
                .iter()
                .filter(|a| {
                    a.status == -1
                        && a.voters
                            .iter()
                            .any(|v| v.user_id == agent && v.status == -1)
                })
                .map(move |a| (r.id, a.id))
        })
        .collect();
    out.sort_unstable();
    out
}

/// The approval `approval` of request `request` as the simulator holds it now.
pub fn approval(sim: &SimHandle, request: u64, approval: u64) -> ttydesk::sim::Approval {
    sim.dataset()
        .request(request)
        .and_then(|r| r.approvals.iter().find(|a| a.id == approval).cloned())
        .expect("the approval exists")
}

/// Calls of `method` `endpoint` the simulator received.
pub fn calls(sim: &SimHandle, method: &str, endpoint: &str) -> Vec<ttydesk::sim::RecordedRequest> {
    sim.requests()
        .into_iter()
        .filter(|r| r.method == method && r.endpoint == endpoint)
        .collect()
}

/// A form field of a recorded write.
pub fn field<'a>(call: &'a ttydesk::sim::RecordedRequest, name: &str) -> Option<&'a str> {
    call.form
        .iter()
        .chain(call.query.iter())
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

/// Opens the approvals pane once the first scan has found what waits for the agent.
async fn open_pane(console: &harness::Console) {
    console.wait(|s| s.contains("to vote (A)")).await;
    console.key(KeyCode::Char('A'));
    console
        .wait(|s| s.contains("Approvals waiting for your vote"))
        .await;
}

/// The one approval that stopped waiting for the agent between `before` and now.
fn decided(sim: &SimHandle, agent: u64, before: &[(u64, u64)]) -> (u64, u64) {
    let now = waiting_for(sim, agent);
    let gone: Vec<_> = before.iter().filter(|a| !now.contains(a)).collect();
    assert_eq!(gone.len(), 1, "exactly one approval decided: {gone:?}");
    *gone[0]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rejection_with_a_note_reaches_the_server_and_leaves_the_list() {
    let sim = sim(Instance::It).await;
    let login = agent_login(&sim);
    let agent = user_id(&sim, &login);
    let before = waiting_for(&sim, agent);
    assert!(before.len() >= 2, "the demo agent has approvals to vote");
    let dir = tempfile::tempdir().unwrap();
    let model = run_as(&sim, &login, dir.path(), (120, 30), |console| async move {
        open_pane(&console).await;
        // Read the first one: its voters, the agent among them.
        console.key(KeyCode::Enter);
        console
            .wait(|s| s.contains("Voters (") && s.contains("← you"))
            .await;
        console.key(KeyCode::Char('x'));
        console.wait(|s| s.contains("Say why you reject it")).await;
        console.text("Over budget this quarter");
        console.key(KeyCode::Enter);
        let confirm = console.wait(|s| s.contains("Reject approval?")).await;
        assert!(confirm.contains("profile work"), "{confirm}");
        assert!(
            confirm.contains("note: Over budget this quarter"),
            "{confirm}"
        );
        console.key(KeyCode::Char('y'));
        console
            .wait(|s| {
                s.contains("reject approval on")
                    && s.contains("delivered")
                    && !s.contains("pending")
            })
            .await;
        console.settle_for(Duration::from_millis(500)).await;
    })
    .await;
    let (request, id) = decided(&sim, agent, &before);
    let a = approval(&sim, request, id);
    assert_eq!(a.status, 0, "one rejection rejects the approval");
    let mine = a.voters.iter().find(|v| v.user_id == agent).unwrap();
    assert_eq!(mine.status, 0);
    assert_eq!(mine.note.as_deref(), Some("Over budget this quarter"));
    let puts = calls(&sim, "PUT", "incident.approval.reject");
    assert_eq!(puts.len(), 1);
    assert_eq!(
        field(&puts[0], "approval_id"),
        Some(id.to_string().as_str())
    );
    assert_eq!(field(&puts[0], "user_id"), Some(agent.to_string().as_str()));
    // Read again after the delivery: it no longer waits for the agent.
    let still: Vec<String> = approvals_waiting(&model)
        .iter()
        .map(|w| w.approval.id.clone())
        .collect();
    assert!(!still.contains(&id.to_string()), "{still:?}");
    assert_eq!(still.len(), before.len() - 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_approval_with_a_note_is_counted_on_the_server() {
    let sim = sim(Instance::It).await;
    let login = agent_login(&sim);
    let agent = user_id(&sim, &login);
    let before = waiting_for(&sim, agent);
    let dir = tempfile::tempdir().unwrap();
    run_as(&sim, &login, dir.path(), (100, 30), |console| async move {
        open_pane(&console).await;
        console.key(KeyCode::Char('a'));
        console.wait(|s| s.contains("may be left empty")).await;
        console.text("Fine by me");
        console.key(KeyCode::Enter);
        console.wait(|s| s.contains("Approve?")).await;
        console.key(KeyCode::Char('y'));
        console
            .wait(|s| s.contains("approve on") && s.contains("delivered") && !s.contains("pending"))
            .await;
    })
    .await;
    let (request, id) = decided(&sim, agent, &before);
    let mine = approval(&sim, request, id)
        .voters
        .into_iter()
        .find(|v| v.user_id == agent)
        .unwrap();
    assert_eq!(mine.status, 1);
    assert_eq!(mine.note.as_deref(), Some("Fine by me"));
    assert_eq!(calls(&sim, "PUT", "incident.approval.accept").len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_vote_made_while_the_server_is_down_is_delivered_once_it_is_back() {
    let sim = sim(Instance::It).await;
    let login = agent_login(&sim);
    let agent = user_id(&sim, &login);
    let before = waiting_for(&sim, agent);
    let dir = tempfile::tempdir().unwrap();
    let sim_ref = &sim;
    let unchanged = before.clone();
    run_as(&sim, &login, dir.path(), (120, 30), |console| async move {
        open_pane(&console).await;
        sim_ref.set_refusing(true);
        console.key(KeyCode::Char('a'));
        console.wait(|s| s.contains("may be left empty")).await;
        console.key(KeyCode::Enter);
        console.wait(|s| s.contains("Approve?")).await;
        console.key(KeyCode::Char('y'));
        console
            .wait(|s| s.contains("your vote: approve") && s.contains("pending"))
            .await;
        // Still nothing on the server; then it comes back.
        tokio::time::sleep(Duration::from_secs(3)).await;
        assert_eq!(waiting_for(sim_ref, agent), unchanged);
        sim_ref.set_refusing(false);
        console
            .wait(|s| s.contains("approve on") && s.contains("delivered") && !s.contains("pending"))
            .await;
    })
    .await;
    decided(&sim, agent, &before);
    assert_eq!(calls(&sim, "PUT", "incident.approval.accept").len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_vote_whose_reply_was_lost_is_found_on_the_server_not_sent_again() {
    let sim = sim(Instance::It).await;
    let login = agent_login(&sim);
    let agent = user_id(&sim, &login);
    let before = waiting_for(&sim, agent);
    let dir = tempfile::tempdir().unwrap();
    sim.inject(Fault {
        endpoint: Some("incident.approval.reject".into()),
        kind: FaultKind::ReplyLost,
        times: 1,
    });
    let desks = [Desk::new("work", &sim).agent(&login).timeout(2)];
    let model = run_console_stored(
        &desks,
        (120, 30),
        Some(store_at(dir.path())),
        |_| {},
        |console| async move {
            open_pane(&console).await;
            console.key(KeyCode::Char('x'));
            console.text("No budget");
            console.key(KeyCode::Enter);
            console.wait(|s| s.contains("Reject approval?")).await;
            console.key(KeyCode::Char('y'));
            console
                .wait(|s| {
                    s.contains("reject approval on")
                        && s.contains("delivered")
                        && !s.contains("pending")
                })
                .await;
        },
    )
    .await;
    let (request, id) = decided(&sim, agent, &before);
    assert_eq!(approval(&sim, request, id).status, 0);
    assert_eq!(
        calls(&sim, "PUT", "incident.approval.reject").len(),
        1,
        "reconciled, not sent twice"
    );
    assert!(model.sessions[0].outbox.is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_vote_by_someone_who_is_not_a_voter_is_refused_with_the_servers_reason() {
    let sim = sim(Instance::It).await;
    let login = agent_login(&sim);
    let agent = user_id(&sim, &login);
    let dir = tempfile::tempdir().unwrap();
    // A vote queued earlier by another process of this agent, on an approval the agent was
    // never asked about.
    let data = sim.dataset();
    let (request, id) = data
        .open_requests()
        .flat_map(|r| r.approvals.iter().map(move |a| (r, a)))
        .find(|(_, a)| a.status == -1 && a.voters.iter().all(|v| v.user_id != agent))
        .map(|(r, a)| (r.id, a.id))
        .expect("an approval the agent is not asked about");
    let store = store_at(dir.path());
    let queued = ttydesk::app::Queued {
        write: Write::Vote {
            ticket: TicketId::from(request.to_string().as_str()),
            approval: id.to_string(),
            approve: true,
            note: String::new(),
        },
        author: UserId::from(agent.to_string().as_str()),
        title: format!("#{request}"),
        account: None,
    };
    let (added, done) = std::sync::mpsc::channel();
    store.run(
        move |db| db.outbox_add("work", "test", "v1", &request.to_string(), &queued, 0),
        move |r| {
            let _ = added.send(r);
        },
    );
    done.recv().unwrap().unwrap();
    let desks = [Desk::new("work", &sim).agent(&login)];
    let model = run_console_stored(
        &desks,
        (140, 30),
        Some(store),
        |_| {},
        |console| async move {
            let screen = console.wait(|s| s.contains("was refused")).await;
            assert!(screen.contains("approve on"), "{screen}");
            console.key(KeyCode::Char('W'));
            console
                .wait(|s| s.contains("refused:") && s.contains("voter"))
                .await;
        },
    )
    .await;
    let item = &model.sessions[0].outbox[0];
    assert!(item.failed());
    assert!(
        item.last_error
            .as_deref()
            .is_some_and(|e| e.contains("voter")),
        "{:?}",
        item.last_error
    );
    assert_eq!(approval(&sim, request, id).status, -1, "nothing changed");
}

/// Waits until the simulator has seen more than `after` `incident.approval` calls and then none
/// for a second; returns how many it has seen.
async fn approval_reads_settle(sim: &SimHandle, after: usize) -> usize {
    let reads = || calls(sim, "GET", "incident.approval").len();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    while reads() <= after {
        assert!(
            tokio::time::Instant::now() < deadline,
            "no approval was read"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let mut seen = reads();
    loop {
        tokio::time::sleep(Duration::from_millis(1_000)).await;
        let now = reads();
        if now == seen {
            return now;
        }
        seen = now;
    }
}

/// The first start reads every open request's approvals once; a refresh with nothing changed
/// reads only the requests that hold a pending approval.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refresh_reads_approvals_only_where_they_can_have_changed() {
    let sim = sim(Instance::It).await;
    let login = agent_login(&sim);
    let open = harness::open_count(&sim);
    let pending = sim
        .dataset()
        .open_requests()
        .filter(|r| r.approvals.iter().any(|a| a.status == -1))
        .count();
    let dir = tempfile::tempdir().unwrap();
    let sim_ref = &sim;
    run_as(&sim, &login, dir.path(), (120, 30), |console| async move {
        console.wait(|s| s.contains("to vote (A)")).await;
        let first = approval_reads_settle(sim_ref, 0).await;
        assert_eq!(first, open, "every open request once");
        console.key(KeyCode::Char('r'));
        let second = approval_reads_settle(sim_ref, first).await - first;
        assert_eq!(
            second, pending,
            "only the requests holding pending approvals"
        );
    })
    .await;
}
