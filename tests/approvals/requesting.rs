//! Approvals the agent starts or changes from a request's approvals (`A` in Detail): cancel one
//! the agent asked for, add a voter, ask a person (spontaneous), start a template (custom). Each
//! is checked on the wire and in the simulator's state, and the console reads it back.

use crossterm::event::KeyCode;

use super::harness::{self, agent_login, run_as, sim};
use super::{calls, field, user_id};
use ttydesk::sim::{Instance, SimHandle};

/// Opens request `id` in Detail (filtering the list by its id), then its approvals.
async fn open_approvals_of(console: &harness::Console, id: u64) {
    console.wait(|s| s.contains("refreshed")).await;
    console.key(KeyCode::Tab);
    console.key(KeyCode::Char('/'));
    console.text(&format!("'{id}"));
    console.key(KeyCode::Enter);
    console.key(KeyCode::Enter);
    // The pane's title is "Request SD-#1040": the display id carries the desk's prefix.
    let title = format!("#{id} ─");
    console
        .wait(|s| s.contains(&title) && s.contains("Description"))
        .await;
    console.key(KeyCode::Char('A'));
    let pane = format!("Approvals of #{id}");
    console.wait(|s| s.contains(&pane)).await;
}

/// A person who is not a voter of `approval` (any approval when `None`), and is not `agent`.
fn someone_else(sim: &SimHandle, agent: u64, voters: &[u64]) -> (u64, String) {
    sim.dataset()
        .agents()
        .find(|u| !u.is_disabled && u.id != agent && !voters.contains(&u.id))
        .map(|u| (u.id, u.name.clone()))
        .expect("another agent")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_agent_cancels_an_approval_they_asked_for() {
    let sim = sim(Instance::It).await;
    let login = agent_login(&sim);
    let agent = user_id(&sim, &login);
    let data = sim.dataset();
    let (request, index, id) = data
        .open_requests()
        .find_map(|r| {
            r.approvals
                .iter()
                .position(|a| a.status == -1 && a.author_id == agent)
                .map(|i| (r.id, i, r.approvals[i].id))
        })
        .expect("the demo agent asked for a waiting approval");
    let dir = tempfile::tempdir().unwrap();
    run_as(&sim, &login, dir.path(), (120, 30), |console| async move {
        open_approvals_of(&console, request).await;
        for _ in 0..index {
            console.key(KeyCode::Char('j'));
        }
        console.key(KeyCode::Char('c'));
        console.wait(|s| s.contains("Cancel approval?")).await;
        console.key(KeyCode::Char('y'));
        console
            .wait(|s| s.contains("cancel approval on") && s.contains("delivered"))
            .await;
        // The request's approvals are read again: it shows as cancelled.
        console
            .wait(|s| s.contains("Cancelled") || s.contains("cancelled"))
            .await;
    })
    .await;
    let a = super::approval(&sim, request, id);
    assert_eq!(a.status, -2);
    let puts = calls(&sim, "PUT", "incident.approval.cancel");
    assert_eq!(puts.len(), 1);
    assert_eq!(
        field(&puts[0], "approval_id"),
        Some(id.to_string().as_str())
    );
    assert_eq!(field(&puts[0], "user_id"), Some(agent.to_string().as_str()));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_agent_adds_a_voter() {
    let sim = sim(Instance::It).await;
    let login = agent_login(&sim);
    let agent = user_id(&sim, &login);
    let data = sim.dataset();
    let (request, index, approval) = data
        .open_requests()
        .find_map(|r| {
            r.approvals
                .iter()
                .position(|a| a.status == -1)
                .map(|i| (r.id, i, r.approvals[i].clone()))
        })
        .expect("a waiting approval");
    let voters: Vec<u64> = approval.voters.iter().map(|v| v.user_id).collect();
    let (new_voter, name) = someone_else(&sim, agent, &voters);
    let dir = tempfile::tempdir().unwrap();
    let typed = name.clone();
    run_as(&sim, &login, dir.path(), (120, 30), |console| async move {
        open_approvals_of(&console, request).await;
        for _ in 0..index {
            console.key(KeyCode::Char('j'));
        }
        console.key(KeyCode::Char('v'));
        console.wait(|s| s.contains("Add a voter")).await;
        console.text(&typed);
        console.key(KeyCode::Enter);
        console
            .wait(|s| s.contains("add voter on") && s.contains("delivered"))
            .await;
    })
    .await;
    let a = super::approval(&sim, request, approval.id);
    assert!(
        a.voters
            .iter()
            .any(|v| v.user_id == new_voter && v.status == -1),
        "{name} asked to vote: {:?}",
        a.voters
    );
    let posts = calls(&sim, "POST", "incident.approval.add_voter");
    assert_eq!(posts.len(), 1);
    assert_eq!(
        field(&posts[0], "user_id"),
        Some(new_voter.to_string().as_str())
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_agent_asks_a_person_for_an_approval() {
    let sim = sim(Instance::It).await;
    let login = agent_login(&sim);
    let agent = user_id(&sim, &login);
    let request = sim.dataset().open_requests().next().unwrap().id;
    let (approver, name) = someone_else(&sim, agent, &[]);
    let dir = tempfile::tempdir().unwrap();
    let typed = name.clone();
    run_as(&sim, &login, dir.path(), (120, 30), |console| async move {
        open_approvals_of(&console, request).await;
        console.key(KeyCode::Char('n'));
        console.wait(|s| s.contains("Ask for approval")).await;
        console.text(&typed);
        console.key(KeyCode::Enter);
        console.wait(|s| s.contains("What is to be approved")).await;
        console.text("Order a spare fuser for the third floor");
        console.key(KeyCode::Enter);
        console
            .wait(|s| s.contains("ask for approval on") && s.contains("delivered"))
            .await;
        console
            .wait(|s| s.contains("Order a spare fuser for the third floor"))
            .await;
    })
    .await;
    let data = sim.dataset();
    let created: Vec<_> = data
        .request(request)
        .unwrap()
        .approvals
        .iter()
        .filter(|a| a.kind == 2 && a.author_id == agent)
        .filter(|a| a.description.contains("Order a spare fuser"))
        .collect();
    assert_eq!(created.len(), 1, "asked once");
    assert_eq!(created[0].status, -1);
    assert!(created[0].voters.iter().any(|v| v.user_id == approver));
    let posts = calls(&sim, "POST", "incident.spontaneous_approval");
    assert_eq!(posts.len(), 1);
    assert_eq!(
        field(&posts[0], "approval_user_id"),
        Some(approver.to_string().as_str())
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_agent_starts_a_template_approval() {
    let sim = sim(Instance::It).await;
    let login = agent_login(&sim);
    let agent = user_id(&sim, &login);
    let data = sim.dataset();
    // An open request some template applies to.
    let (request, mut usable) = data
        .open_requests()
        .find_map(|r| {
            let usable: Vec<_> = data
                .approval_templates
                .iter()
                .filter(|t| t.type_ids.contains(&r.type_id))
                .cloned()
                .collect();
            (!usable.is_empty()).then_some((r.id, usable))
        })
        .expect("a request with approval templates");
    usable.sort_by(|a, b| a.title.cmp(&b.title));
    let first = usable[0].clone();
    let dir = tempfile::tempdir().unwrap();
    let title = first.title.clone();
    run_as(&sim, &login, dir.path(), (120, 30), |console| async move {
        open_approvals_of(&console, request).await;
        console.key(KeyCode::Char('t'));
        console
            .wait(|s| s.contains("Start an approval") && s.contains(&title))
            .await;
        console.key(KeyCode::Enter);
        console
            .wait(|s| s.contains("Enter sends the request"))
            .await;
        console.text("Needed for the audit");
        console.key(KeyCode::Enter);
        console
            .wait(|s| s.contains("start approval on") && s.contains("delivered"))
            .await;
    })
    .await;
    let data = sim.dataset();
    let created: Vec<_> = data
        .request(request)
        .unwrap()
        .approvals
        .iter()
        .filter(|a| a.kind == 1 && a.author_id == agent && a.template_id == Some(first.id))
        .collect();
    assert_eq!(created.len(), 1, "started once");
    let posts = calls(&sim, "POST", "incident.custom_approval");
    assert_eq!(posts.len(), 1);
    assert_eq!(
        field(&posts[0], "approval_id"),
        Some(first.id.to_string().as_str())
    );
    assert_eq!(
        field(&posts[0], "description"),
        Some("Needed for the audit")
    );
}
