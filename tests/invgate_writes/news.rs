//! Breaking-news writes through the real InvGate provider against the simulator: an item
//! announced (and found again by reconciliation, with the id the server gave it), updated,
//! closed with a solution, refused an update while closed, reopened, and changed field by field
//! (an emptied list and a cleared resolution time replace the server's).

use ttydesk::domain::{Importance, NewsDraft, NewsItem, Subject};

use super::*;

fn draft(desk: &str) -> NewsDraft {
    NewsDraft {
        title: "Mail is down for the 3rd floor".into(),
        body: "Outlook cannot connect.\nUse webmail <meanwhile>.".into(),
        importance: Importance::High,
        desks: vec![DeskId::from(desk)],
        groups: Vec::new(),
        resolution_at: DateTime::from_timestamp(Utc::now().timestamp() + 7200, 0),
    }
}

impl Desk {
    fn first_desk(&self) -> String {
        let desk = (self.catalog.help_desks.iter())
            .find(|d| d.parent_id.is_none())
            .expect("a help desk");
        desk.id.to_string()
    }

    async fn news(&self, id: &str) -> NewsItem {
        let list = self.ig.news(Arc::clone(&self.catalog)).await.expect("news");
        list.into_iter()
            .find(|i| i.id == id)
            .unwrap_or_else(|| panic!("item {id} is listed"))
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_item_is_announced_updated_closed_reopened_and_changed() {
    let d = desk().await;
    let news = draft(&d.first_desk());
    let created = d.check(&Write::CreateNews { news: news.clone() }).await;
    let id = created.created_id.expect("the server names the new item");
    let item = d.news(&id).await;
    assert_eq!(item.title.as_str(), news.title);
    assert!(item.open);
    assert_eq!(item.importance, Importance::High);
    assert_eq!(item.creator.as_ref().map(|c| &c.id), Some(&d.agent));
    assert_eq!(item.resolution_at, news.resolution_at);
    // What the agent typed shows as typed: the angle brackets are text, not markup.
    assert!(
        item.body.as_str().contains("webmail <meanwhile>"),
        "{}",
        item.body
    );

    let update = Write::NewsUpdate {
        id: id.clone(),
        body: "Exchange is restarting; 20 more minutes.".into(),
        solution: false,
    };
    d.check(&update).await;
    let close = Write::NewsUpdate {
        id: id.clone(),
        body: "Mail is back.".into(),
        solution: true,
    };
    d.check(&close).await;
    assert!(!d.news(&id).await.open, "a solution closes the item");
    let catalog = Arc::clone(&d.catalog);
    let detail = d.ig.news_detail(id.clone(), catalog).await.expect("detail");
    let bodies: Vec<&str> = detail.updates.iter().map(|u| u.body.as_str()).collect();
    assert_eq!(
        bodies,
        ["Exchange is restarting; 20 more minutes.", "Mail is back."]
    );

    let late = Write::NewsUpdate {
        id: id.clone(),
        body: "One more thing".into(),
        solution: false,
    };
    match d.write(&late).await {
        Err(ProviderError::Rejected(why)) => {
            assert!(why.as_str().contains("closed"), "{why}")
        }
        other => panic!("an update on a closed item is refused, got {other:?}"),
    }
    d.check(&Write::ReopenNews { id: id.clone() }).await;
    assert!(d.news(&id).await.open);

    let mut changed = news.clone();
    changed.title = "Mail is slow".into();
    changed.importance = Importance::Medium;
    changed.resolution_at = None;
    let group = d
        .catalog
        .groups
        .first()
        .expect("the demo has groups")
        .id
        .clone();
    changed.desks = Vec::new();
    changed.groups = vec![group.clone()];
    let edit = Write::EditNews {
        id: id.clone(),
        news: changed,
    };
    let written = d.check(&edit).await;
    assert_eq!(written.subject, Subject::News(id.clone()));
    let item = d.news(&id).await;
    assert_eq!(item.title.as_str(), "Mail is slow");
    assert_eq!(item.importance, Importance::Medium);
    assert_eq!(item.resolution_at, None);
    assert!(item.desks.is_empty(), "the emptied list replaced the desks");
    assert_eq!(
        item.groups
            .iter()
            .map(|g| g.id.as_str())
            .collect::<Vec<_>>(),
        [group.as_str()]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_item_without_an_audience_is_refused_before_anything_is_sent() {
    let d = desk().await;
    let mut news = draft(&d.first_desk());
    news.desks.clear();
    d.sim.clear_requests();
    match d.write(&Write::CreateNews { news }).await {
        Err(ProviderError::Rejected(why)) => {
            assert_eq!(
                why.as_str(),
                "name at least one affected help desk or group"
            )
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
    assert!(d.sim.requests().is_empty(), "nothing went on the wire");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lost_announcement_is_found_and_not_sent_twice() {
    let d = desk().await;
    let news = draft(&d.first_desk());
    let create = Write::CreateNews { news };
    let since = Utc::now();
    let before = d.ig.news(Arc::clone(&d.catalog)).await.expect("news").len();
    // The server applies it, then the reply is lost.
    d.sim.inject(Fault {
        endpoint: Some("breakingnews".into()),
        kind: FaultKind::ReplyLost,
        times: 1,
    });
    assert!(d.write(&create).await.is_err(), "the reply was lost");
    match d.reconcile(&create, since).await {
        Reconciled::Applied(found) => assert!(found.created_id.is_some()),
        other => panic!("the item is on the server: {other:?}"),
    }
    let after = d.ig.news(Arc::clone(&d.catalog)).await.expect("news").len();
    assert_eq!(after, before + 1, "exactly one item was created");
}
