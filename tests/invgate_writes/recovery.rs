//! Writes that go wrong: refusals with the server's sentence, legacy string numbers, and
//! reconciliation after a lost reply, a timeout, or an unreachable server.

use super::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_impossible_transition_is_refused_with_the_servers_sentence() {
    let d = desk().await;
    let ticket = &d.tickets("In progress")[2];
    // What the server says to this reopen, asked directly.
    let said = reqwest::Client::new()
        .put(format!("{}/api/v1/incident.reopen", d.sim.base_url()))
        .basic_auth(d.sim.username(), Some(d.sim.password()))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!("request_id={ticket}"))
        .send()
        .await
        .expect("reply");
    let said: Value = serde_json::from_slice(&said.bytes().await.expect("body")).expect("json");
    assert_eq!(said["status"], "ERROR", "{said}");

    let reopen = Write::Reopen {
        ticket: ticket.clone(),
    };
    match d.write(&reopen).await {
        Err(ProviderError::Rejected(text)) => {
            assert_eq!(Some(text.as_str()), said["info"].as_str())
        }
        other => panic!("expected Rejected, got {other:?}"),
    }
    assert_eq!(d.kind(ticket).await, StatusKind::Open, "nothing changed");
    // Reconciliation reads state, not history: an open request is what a reopen leaves.
    let written = Written {
        subject: ttydesk::domain::Subject::Ticket(ticket.clone()),
        created_id: None,
    };
    assert_eq!(
        d.reconcile(&reopen, Utc::now()).await,
        Reconciled::Applied(written)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn legacy_string_numbers_reconcile_like_modern_ones() {
    let d = desk_with(SimOptions {
        legacy_strings: true,
        ..SimOptions::default()
    })
    .await;
    let ticket = &d.tickets("In progress")[3];
    d.check(&comment(
        ticket,
        "Checked the logs",
        Visibility::Internal,
        false,
    ))
    .await;
    d.check(&Write::Wait {
        ticket: ticket.clone(),
        on: WaitFor::Customer,
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_comment_is_not_taken_for_an_older_one_with_the_same_words() {
    let d = desk().await;
    let ds = d.sim.dataset();
    let (r, old) = (ds.requests.iter())
        .filter(|r| !ds.hostile_ids.contains(&r.id))
        .find_map(|r| Some((r, r.comments.iter().find(|c| !c.message.trim().is_empty())?)))
        .expect("a request with comments");
    // The same words as an old comment, by its author, checked at least an hour after it.
    let write = comment(
        &TicketId::from(r.id.to_string()),
        &ttydesk::text::html_to_text(&old.message),
        if old.customer_visible {
            Visibility::Public
        } else {
            Visibility::Internal
        },
        old.is_solution,
    );
    let since = Utc::now().max(DateTime::from_timestamp(old.created_at + 3600, 0).expect("date"));
    let author = UserId::from(old.author_id.to_string());
    let catalog = Arc::clone(&d.catalog);
    let found =
        d.ig.reconcile(write, author, since, catalog)
            .await
            .expect("read");
    assert_eq!(found, Reconciled::NotApplied);
}

/// Queues `kind` for the next call of `endpoint` (inject it just before the write: a fault
/// matches the endpoint whatever the method).
fn fault(sim: &SimHandle, endpoint: &str, kind: FaultKind) {
    sim.inject(Fault {
        endpoint: Some(endpoint.into()),
        kind,
        times: 1,
    });
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_comment_whose_reply_was_lost_is_found_and_sent_once() {
    let d = desk().await;
    let ticket = &d.tickets("In progress")[4];
    let body = "Swapped the network cable";
    let write = comment(ticket, body, Visibility::Public, false);
    let since = Utc::now();
    assert_eq!(d.reconcile(&write, since).await, Reconciled::NotApplied);
    fault(&d.sim, "incident.comment", FaultKind::ReplyLost);
    let lost = d.write(&write).await.expect_err("the connection drops");
    assert!(
        matches!(
            lost,
            ProviderError::Connect(_) | ProviderError::Timeout { .. }
        ),
        "an ambiguous failure, not a refusal: {lost:?}"
    );
    let found = match d.reconcile(&write, since).await {
        Reconciled::Applied(found) => found,
        other => panic!("the server kept it: {other:?}"),
    };
    let thread = d.detail(ticket).await.comments;
    let ours: Vec<_> = thread
        .iter()
        .filter(|c| c.body.as_str().trim() == body)
        .collect();
    assert_eq!(ours.len(), 1, "applied once");
    assert_eq!(found.created_id.as_deref(), Some(ours[0].id.as_str()));
    let posts = d
        .sim
        .requests()
        .iter()
        .filter(|r| r.method == "POST")
        .count();
    assert_eq!(posts, 1, "never sent twice");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_state_change_that_timed_out_is_found_applied() {
    let d = desk().await;
    let impatient = provider_with(
        &d.sim,
        HttpSettings {
            connect: Duration::from_secs(2),
            read: Duration::from_millis(500),
            total: Duration::from_millis(800),
            ..HttpSettings::default()
        },
    );
    let ticket = &d.tickets("Open")[5];
    let write = Write::Cancel {
        ticket: ticket.clone(),
        comment: "Raised twice".into(),
    };
    let since = Utc::now();
    assert_eq!(d.reconcile(&write, since).await, Reconciled::NotApplied);
    fault(
        &d.sim,
        "incident.cancel",
        FaultKind::Hang(Duration::from_secs(3)),
    );
    let catalog = Arc::clone(&d.catalog);
    let late = impatient
        .write(write.clone(), d.agent.clone(), catalog)
        .await;
    assert!(
        matches!(late, Err(ProviderError::Timeout { .. })),
        "{late:?}"
    );
    assert!(matches!(
        d.reconcile(&write, since).await,
        Reconciled::Applied(_)
    ));
    assert_eq!(d.kind(ticket).await, StatusKind::Closed);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unreachable_server_is_an_error_to_reconcile_not_a_verdict() {
    let d = desk().await;
    let write = Write::Reject {
        ticket: d.tickets("Open")[6].clone(),
    };
    let since = Utc::now();
    d.sim.set_refusing(true);
    let sent = d.write(&write).await;
    assert!(matches!(sent, Err(ProviderError::Connect(_))), "{sent:?}");
    let checked = d.try_reconcile(&write, since).await;
    assert!(
        matches!(checked, Err(ProviderError::Connect(_))),
        "{checked:?}"
    );
    d.sim.set_refusing(false);
    assert_eq!(d.reconcile(&write, since).await, Reconciled::NotApplied);
}
