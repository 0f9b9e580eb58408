//! Contract tests: the real Truto provider against the project's simulator. They check what goes
//! over the wire (the Bearer header, `integrated_account_id` and `truto_ignore_remote_data` on
//! every unified call, `next_cursor` followed to the end and never in a circle, PATCH for
//! updates) and what comes back (the account picker, an account that needs re-authorisation
//! never queried, errors classified, one unreadable ticket costing only itself).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration;

use secrecy::SecretString;
use ttydesk::domain::{
    Catalog, Cursor, QueueQuery, StatusKind, StatusScope, Ticket, TicketId, UserId, Visibility,
    WaitFor, Write,
};
use ttydesk::provider::http::HttpSettings;
use ttydesk::provider::truto::{Truto, TrutoConfig};
use ttydesk::provider::{Provider, ProviderError};
use ttydesk::sim::{Fault, FaultKind, RecordedRequest, SimHandle, SimOptions, TrutoCursor};

const ZENDESK: &str = "8a1f0c2e-5b7d-4e93-a6f1-0d2c9b4e7a11";
const JIRA: &str = "3c9e7b10-2d4f-4a68-9b0e-6f1a2c8d5e22";
const FRESHDESK: &str = "f05d2a9c-7e1b-4c3d-8a2f-9b6e0c4d1f33";

async fn sim() -> SimHandle {
    SimHandle::start(SimOptions::default())
        .await
        .expect("simulator starts")
}

fn provider_with(sim: &SimHandle, token: &str, account: Option<&str>) -> Truto {
    Truto::new(TrutoConfig {
        base_url: sim.truto_base_url(),
        token: SecretString::from(token.to_string()),
        integrated_account_id: account.map(str::to_string),
        timeouts: HttpSettings::default(),
    })
    .expect("provider builds")
}

fn provider(sim: &SimHandle, account: Option<&str>) -> Truto {
    provider_with(sim, &sim.truto_token(), account)
}

fn truto_calls(sim: &SimHandle) -> Vec<RecordedRequest> {
    sim.requests()
        .into_iter()
        .filter(|r| r.endpoint.starts_with("truto/"))
        .collect()
}

fn param<'a>(r: &'a RecordedRequest, key: &str) -> Option<&'a str> {
    r.query
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
}

async fn ready(sim: &SimHandle, account: &str) -> (Truto, Arc<Catalog>) {
    let p = provider(sim, Some(account));
    p.probe().await.expect("probe");
    let catalog = Arc::new(p.catalog().await.expect("catalog"));
    (p, catalog)
}

fn every_status(catalog: &Catalog) -> QueueQuery {
    QueueQuery {
        desk: None,
        status: StatusScope::Only(catalog.statuses.iter().map(|s| s.id.clone()).collect()),
    }
}

/// Every page of `query`, with how many pages it took.
async fn list_all(p: &Truto, query: QueueQuery, catalog: &Arc<Catalog>) -> (Vec<Ticket>, usize) {
    let mut all = Vec::new();
    let mut cursor: Option<Cursor> = None;
    let mut pages = 0;
    loop {
        let page = p
            .list(query.clone(), cursor.take(), Arc::clone(catalog))
            .await
            .expect("page");
        pages += 1;
        all.extend(page.items);
        assert!(pages < 50, "the listing does not end");
        match page.next {
            Some(next) => cursor = Some(next),
            None => return (all, pages),
        }
    }
}

#[tokio::test]
async fn without_an_account_the_probe_lists_them_and_says_which_needs_reauthorising() {
    let sim = sim().await;
    let p = provider(&sim, None);
    let probe = p.probe().await.expect("probe");
    let choices = probe.accounts.expect("accounts to pick from");
    // Two to a page on the simulator: the second page was followed.
    assert_eq!(choices.len(), 3);
    assert!(
        choices[0].label.as_str().starts_with("Zendesk"),
        "{:?}",
        choices[0].label
    );
    assert!(choices[0].problem.is_none());
    let fresh = &choices[2];
    assert_eq!(fresh.state.as_str(), "needs re-authorisation");
    let problem = fresh.problem.as_ref().expect("a reason").as_str();
    assert!(problem.contains("re-authorised in Truto"), "{problem}");
    assert!(problem.contains("API key was revoked"), "{problem}");
    // Nothing else loads before an account is picked.
    assert_eq!(p.catalog().await.unwrap_err(), ProviderError::NoAccount);
    for r in truto_calls(&sim) {
        assert_eq!(
            r.authorization.as_deref(),
            Some(format!("Bearer {}", sim.truto_token()).as_str())
        );
        assert!(!r.endpoint.starts_with("truto/tickets"), "{}", r.endpoint);
    }
}

#[tokio::test]
async fn an_account_that_needs_reauthorising_is_never_queried() {
    let sim = sim().await;
    let p = provider(&sim, None);
    let err = p.choose_account(FRESHDESK.into()).await.unwrap_err();
    let ProviderError::Config(text) = &err else {
        panic!("{err:?}")
    };
    assert!(
        text.contains("Freshdesk connection must be re-authorised"),
        "{text}"
    );
    let configured = provider(&sim, Some(FRESHDESK));
    assert!(matches!(
        configured.probe().await,
        Err(ProviderError::Config(_))
    ));
    assert!(
        truto_calls(&sim)
            .iter()
            .all(|r| param(r, "integrated_account_id").is_none()
                && r.endpoint != "truto/capabilities"),
        "a unified call or a capabilities read reached the account"
    );
}

#[tokio::test]
async fn capabilities_come_from_the_chosen_account() {
    let sim = sim().await;
    let p = provider(&sim, None);
    let zendesk = p
        .choose_account(ZENDESK.into())
        .await
        .expect("zendesk")
        .capabilities;
    assert!(zendesk.comments && zendesk.writes && zendesk.private_comments);
    assert!(!zendesk.counts && !zendesk.approvals && !zendesk.news && !zendesk.kb);
    let jira = p.choose_account(JIRA.into()).await.expect("jira");
    assert!(jira.capabilities.comments);
    assert!(!jira.capabilities.writes, "Jira's account only reads");
    assert_eq!(jira.server.product, "Truto · Jira Service Management");
}

#[tokio::test]
async fn every_unified_call_names_the_account_and_leaves_out_remote_data() {
    let sim = sim().await;
    let (p, catalog) = ready(&sim, ZENDESK).await;
    assert_eq!(catalog.statuses.len(), 6);
    assert_eq!(
        catalog.status("hold").map(|s| s.kind),
        Some(StatusKind::Waiting)
    );
    assert_eq!(
        catalog.status("solved").map(|s| s.kind),
        Some(StatusKind::Resolved)
    );
    assert!(catalog.people.values().any(|p| p.is_agent));
    let (tickets, _) = list_all(&p, every_status(&catalog), &catalog).await;
    p.detail(tickets[0].id.clone(), Arc::clone(&catalog))
        .await
        .expect("detail");
    let unified: Vec<_> = truto_calls(&sim)
        .into_iter()
        .filter(|r| r.path.contains("/unified/"))
        .collect();
    assert!(unified.len() > 4);
    for r in unified {
        assert_eq!(
            param(&r, "integrated_account_id"),
            Some(ZENDESK),
            "{}",
            r.path
        );
        assert_eq!(
            param(&r, "truto_ignore_remote_data"),
            Some("true"),
            "{}",
            r.path
        );
    }
}

#[tokio::test]
async fn pages_are_followed_to_the_end_each_ticket_once() {
    let sim = sim().await;
    let (p, catalog) = ready(&sim, ZENDESK).await;
    let (tickets, pages) = list_all(&p, every_status(&catalog), &catalog).await;
    assert_eq!(pages, 1, "45 tickets fit one page of 50");
    let ids: HashSet<_> = tickets.iter().map(|t| t.id.clone()).collect();
    assert_eq!(ids.len(), 45);
    assert_eq!(tickets.len(), 45);
    // The open queue is narrowed here: solved and closed ones are left out.
    let (open, _) = list_all(&p, QueueQuery::open(), &catalog).await;
    assert!(!open.is_empty() && open.len() < 45);
    assert!(open.iter().all(|t| t.status.kind.is_open()));
}

#[tokio::test]
async fn a_repeated_cursor_ends_the_listing_instead_of_looping() {
    let sim = sim().await;
    let (p, catalog) = ready(&sim, ZENDESK).await;
    for _ in 0..60 {
        sim.add_truto_ticket(ZENDESK, "More work");
    }
    sim.set_truto_cursor(TrutoCursor::Repeat);
    let (tickets, pages) = list_all(&p, every_status(&catalog), &catalog).await;
    assert_eq!(pages, 2, "the second page's cursor repeats itself");
    assert_eq!(tickets.len(), 100);
}

#[tokio::test]
async fn tickets_that_shift_between_pages_leave_no_gap_and_no_duplicate() {
    let sim = sim().await;
    let (p, catalog) = ready(&sim, ZENDESK).await;
    for _ in 0..80 {
        sim.add_truto_ticket(ZENDESK, "Backlog");
    }
    let before: Vec<String> = sim.truto_accounts()[0]
        .tickets
        .iter()
        .map(|t| t.id.clone())
        .collect();
    let query = every_status(&catalog);
    let first = p
        .list(query.clone(), None, Arc::clone(&catalog))
        .await
        .expect("page 1");
    // Between the pages: one already-listed ticket is deleted and a new one arrives.
    let gone = first.items[3].id.to_string();
    sim.remove_truto_ticket(ZENDESK, &gone);
    let new = sim
        .add_truto_ticket(ZENDESK, "Arrived meanwhile")
        .expect("added");
    let mut seen: Vec<String> = first.items.iter().map(|t| t.id.to_string()).collect();
    let mut cursor = first.next;
    while let Some(c) = cursor.take() {
        let page = p
            .list(query.clone(), Some(c), Arc::clone(&catalog))
            .await
            .expect("page");
        seen.extend(page.items.iter().map(|t| t.id.to_string()));
        cursor = page.next;
    }
    let unique: HashSet<_> = seen.iter().cloned().collect();
    assert_eq!(unique.len(), seen.len(), "a ticket was listed twice");
    for id in &before {
        assert!(unique.contains(id), "ticket {id} was skipped");
    }
    assert!(unique.contains(&new));
}

#[tokio::test]
async fn a_revoked_token_is_a_credentials_problem_sent_once() {
    let sim = sim().await;
    sim.set_truto_token_revoked(true);
    let p = provider(&sim, Some(ZENDESK));
    assert_eq!(p.probe().await.unwrap_err(), ProviderError::Unauthorized);
    assert_eq!(truto_calls(&sim).len(), 1, "a 401 is not retried");
    let wrong = provider_with(&sim, "not-the-token", None);
    assert_eq!(
        wrong.probe().await.unwrap_err(),
        ProviderError::Unauthorized
    );
}

#[tokio::test]
async fn errors_are_classified_in_words() {
    let sim = sim().await;
    let (p, catalog) = ready(&sim, ZENDESK).await;
    let missing = p
        .detail(TicketId::from("999999"), Arc::clone(&catalog))
        .await;
    assert!(
        matches!(missing, Err(ProviderError::NotFound(_))),
        "{missing:?}"
    );

    let fault = |kind: FaultKind| Fault {
        endpoint: Some("truto/tickets".into()),
        kind,
        times: 1,
    };
    // Three times: a read is tried twice more after a 502 before it fails.
    sim.inject(Fault {
        times: 3,
        ..fault(FaultKind::Status(502, "upstream down".into()))
    });
    let err = p
        .list(QueueQuery::open(), None, Arc::clone(&catalog))
        .await
        .unwrap_err();
    assert!(
        matches!(err, ProviderError::Server { status: 502, .. }),
        "{err:?}"
    );

    sim.inject(fault(FaultKind::Malformed));
    let err = p
        .list(QueueQuery::open(), None, Arc::clone(&catalog))
        .await
        .unwrap_err();
    assert!(matches!(err, ProviderError::Decode { .. }), "{err:?}");

    sim.inject(fault(FaultKind::Status(
        200,
        "<!DOCTYPE html><html><head><title>Sign in</title></head></html>".into(),
    )));
    let err = p
        .list(QueueQuery::open(), None, Arc::clone(&catalog))
        .await
        .unwrap_err();
    assert!(
        err.to_string()
            .contains("an HTML page (“Sign in”) instead of data"),
        "{err}"
    );

    sim.inject(fault(FaultKind::RateLimit {
        retry_after_secs: 30,
    }));
    let err = p
        .list(QueueQuery::open(), None, Arc::clone(&catalog))
        .await
        .unwrap_err();
    assert_eq!(
        err,
        ProviderError::RateLimited {
            retry_after: Some(Duration::from_secs(30))
        }
    );
}

#[tokio::test]
async fn the_quota_headers_are_read_and_a_used_up_quota_is_not_spent_on_a_429() {
    let sim = sim().await;
    let (p, catalog) = ready(&sim, ZENDESK).await;
    let quota = p.quota().expect("ratelimit-* headers read");
    assert_eq!(quota.limit, 50);
    assert!(quota.remaining < 50);
    sim.set_truto_account_limit(1);
    p.list(QueueQuery::open(), None, Arc::clone(&catalog))
        .await
        .expect("the last call of the window");
    assert_eq!(p.quota().map(|q| q.remaining), Some(0));
    let sent = truto_calls(&sim).len();
    let err = p
        .list(QueueQuery::open(), None, Arc::clone(&catalog))
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            ProviderError::RateLimited {
                retry_after: Some(_)
            }
        ),
        "{err:?}"
    );
    assert_eq!(
        truto_calls(&sim).len(),
        sent,
        "nothing was sent into the 429"
    );
}

#[tokio::test]
async fn one_unreadable_ticket_costs_only_its_own_fields_and_hostile_text_is_scrubbed() {
    let sim = sim().await;
    let (p, catalog) = ready(&sim, ZENDESK).await;
    let broken = sim.truto_accounts()[0].tickets[5].id.clone();
    sim.break_truto_ticket(&broken);
    let (tickets, _) = list_all(&p, every_status(&catalog), &catalog).await;
    assert_eq!(tickets.len(), 45);
    let row = tickets
        .iter()
        .find(|t| t.id.as_str() == broken)
        .expect("kept");
    assert_eq!(row.title.as_str(), "(no title)");
    let hostile_id = sim.truto_accounts()[0].tickets[ttydesk::sim::TRUTO_HOSTILE_TICKET]
        .id
        .clone();
    let hostile = p
        .detail(TicketId::from(hostile_id.as_str()), Arc::clone(&catalog))
        .await
        .expect("detail");
    for text in [hostile.ticket.title.as_str(), hostile.description.as_str()] {
        assert!(
            !text.contains('\u{1b}') && !text.contains('\u{202e}') && !text.contains('\u{7}'),
            "{text:?}"
        );
    }
    assert!(hostile.had_hidden_controls);
}

#[tokio::test]
async fn comments_are_read_and_written_public_or_private_where_the_integration_allows() {
    let sim = sim().await;
    let (p, catalog) = ready(&sim, ZENDESK).await;
    let ticket = sim.truto_accounts()[0].tickets[0].id.clone();
    let tid = TicketId::from(ticket.as_str());
    let comment = |body: &str, visibility| Write::Comment {
        ticket: tid.clone(),
        body: body.into(),
        visibility,
        solution: false,
    };
    let author = UserId::from("0");
    p.write(
        comment("We are on it.", Visibility::Public),
        author.clone(),
        Arc::clone(&catalog),
    )
    .await
    .expect("public reply");
    p.write(
        comment("Same root cause as INC-9.", Visibility::Internal),
        author.clone(),
        Arc::clone(&catalog),
    )
    .await
    .expect("private note");
    let detail = p
        .detail(tid.clone(), Arc::clone(&catalog))
        .await
        .expect("detail");
    let last: Vec<_> = detail.comments.iter().rev().take(2).collect();
    assert_eq!(last[0].body.as_str(), "Same root cause as INC-9.");
    assert_eq!(last[0].visibility, Visibility::Internal);
    assert_eq!(last[1].visibility, Visibility::Public);
    let posts: Vec<_> = truto_calls(&sim)
        .into_iter()
        .filter(|r| r.method == "POST")
        .collect();
    assert_eq!(posts.len(), 2);
    assert!(
        posts
            .iter()
            .all(|r| param(r, "ticket[id]") == Some(ticket.as_str()))
    );

    // Jira's account reads comments but takes none: refused before anything is sent.
    let (jira, jira_catalog) = ready(&sim, JIRA).await;
    let jira_ticket = TicketId::from(sim.truto_accounts()[1].tickets[0].id.as_str());
    let detail = jira
        .detail(jira_ticket.clone(), Arc::clone(&jira_catalog))
        .await
        .expect("jira detail");
    assert!(
        detail
            .custom_fields
            .iter()
            .any(|f| f.value.as_str() == "Jira Service Management")
    );
    let sent = truto_calls(&sim).len();
    let err = jira
        .write(
            Write::Comment {
                ticket: jira_ticket,
                body: "hi".into(),
                visibility: Visibility::Public,
                solution: false,
            },
            author,
            jira_catalog,
        )
        .await
        .unwrap_err();
    assert!(err.to_string().contains("takes no new comments"), "{err}");
    assert_eq!(truto_calls(&sim).len(), sent);
}

#[tokio::test]
async fn a_state_change_is_a_patch_and_a_lost_reply_is_found_not_repeated() {
    let sim = sim().await;
    let (p, catalog) = ready(&sim, ZENDESK).await;
    let ticket = TicketId::from(sim.truto_accounts()[0].tickets[1].id.as_str());
    let wait = Write::Wait {
        ticket: ticket.clone(),
        on: WaitFor::Customer,
    };
    p.write(wait, UserId::from("0"), Arc::clone(&catalog))
        .await
        .expect("waits");
    let patch = truto_calls(&sim)
        .into_iter()
        .find(|r| r.method == "PATCH")
        .expect("a PATCH");
    assert_eq!(patch.endpoint, "truto/tickets/{id}");
    let detail = p
        .detail(ticket.clone(), Arc::clone(&catalog))
        .await
        .expect("detail");
    assert_eq!(detail.ticket.status.kind, StatusKind::Waiting);

    // The reply to a comment is lost: reconciliation finds it, so it is not sent again.
    sim.inject(Fault {
        endpoint: Some("truto/comments".into()),
        kind: FaultKind::ReplyLost,
        times: 1,
    });
    let since = chrono::Utc::now() - chrono::Duration::seconds(5);
    let note = Write::Comment {
        ticket: ticket.clone(),
        body: "Sent once.".into(),
        visibility: Visibility::Public,
        solution: false,
    };
    assert!(
        p.write(note.clone(), UserId::from("0"), Arc::clone(&catalog))
            .await
            .is_err()
    );
    let found = p
        .reconcile(note, UserId::from("0"), since, Arc::clone(&catalog))
        .await
        .expect("reconciled");
    assert!(
        matches!(found, ttydesk::domain::Reconciled::Applied(_)),
        "{found:?}"
    );
    let thread = &sim.truto_accounts()[0].tickets[1].comments;
    assert_eq!(thread.iter().filter(|c| c.body == "Sent once.").count(), 1);
}
