//! Breaking-news writes on InvGate: how each goes on the wire ([`plan`]) and how a write whose
//! reply was lost is looked for before it is sent again ([`reconcile`]).
//!
//! - Announcing is `breakingnews` POST (`type_id` 1 High, 2 Medium, 3 Low; the audience as
//!   `affected_helpdesk_ids[]` and `affected_group_ids[]`, at least one not empty;
//!   `resolution_time` as epoch seconds; `creator_id` the agent). The body is HTML.
//! - Editing is `breakingnews` PUT with every field: a list sent replaces the item's, so an
//!   emptied list goes as `name[]=` (nothing in it), and a blank `resolution_time` clears it.
//! - An update is `breakingnews.status` POST; `is_solution=1` closes the item.
//! - Reopening is `breakingnews` PUT `status_id=1`.
//!
//! Reconciling: a new item is looked for in `breakingnews.all` (same title, same creator,
//! created no earlier than the clock skew before the first attempt), an update in the item's
//! timeline the same way; an edit or a reopening is read back from the item.

use chrono::{DateTime, Utc};
use reqwest::Method;
use serde_json::Value;

use super::approval_wire;
use super::client::{Client, Query};
use super::news_wire::{self, NewsUpdateWire, NewsWire};
use super::reconcile::{applied, comparable, earliest, shown};
use super::typed::typed_html;
use super::write::Planned;
use crate::domain::{Importance, NewsDraft, Reconciled, UserId, Write};
use crate::provider::{ProviderError, ProviderResult};
use crate::text::SafeText;

const ONE: &str = "breakingnews";
const ALL: &str = "breakingnews.all";
const TIMELINE: &str = "breakingnews.status";
const OPEN: i64 = 1;

/// InvGate's `type_id` for an importance (Other goes as Low, the mildest).
pub fn type_id(importance: Importance) -> i64 {
    match importance {
        Importance::High => 1,
        Importance::Medium => 2,
        Importance::Low | Importance::Other => 3,
    }
}

/// The wire form of a news write; `None` for any other write.
pub fn plan(write: &Write, author: &UserId) -> Option<Planned> {
    let q = Query::new;
    let planned = match write {
        Write::CreateNews { news } => Planned::new(
            Method::POST,
            ONE,
            fields(q(), news, false).param("creator_id", author),
        ),
        Write::EditNews { id, news } => {
            Planned::new(Method::PUT, ONE, fields(q().param("id", id), news, true))
        }
        Write::NewsUpdate { id, body, solution } => Planned::new(
            Method::POST,
            TIMELINE,
            q().param("id", id)
                .param("body", typed_html(body))
                .param("creator_id", author)
                .flag("is_solution", *solution),
        ),
        Write::ReopenNews { id } => Planned::new(
            Method::PUT,
            ONE,
            q().param("id", id).param("status_id", OPEN),
        ),
        _ => return None,
    };
    Some(planned)
}

/// The item's fields. `replace`: every list and the resolution time go even when empty, so the
/// server's copy becomes the draft.
fn fields(params: Query, news: &NewsDraft, replace: bool) -> Query {
    let mut params = params
        .param("title", news.title.trim())
        .param("type_id", type_id(news.importance))
        .param("body", typed_html(&news.body));
    for (name, ids) in [
        (
            "affected_helpdesk_ids",
            news.desks
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>(),
        ),
        ("affected_group_ids", news.groups.clone()),
    ] {
        if !ids.is_empty() {
            params = params.array(name, ids);
        } else if replace {
            params = params.array(name, [""]);
        }
    }
    match news.resolution_at {
        Some(at) => params.param("resolution_time", at.timestamp()),
        None if replace => params.param("resolution_time", ""),
        None => params,
    }
}

/// What the server shows of the news write `write`, made by `author` and first attempted at
/// `since`.
pub async fn reconcile(
    c: &Client,
    write: &Write,
    author: &UserId,
    since: DateTime<Utc>,
) -> ProviderResult<Reconciled> {
    let applied = |created_id: Option<String>| applied(write, created_id);
    let shown = |yes: bool| shown(write, yes);
    let outcome = match write {
        Write::CreateNews { news } => {
            let reply = c.get::<Value>(ALL, Query::new()).await?;
            let items = news_wire::with_ids(ALL, reply, |n: &mut NewsWire| &mut n.id)?;
            match find_created(&items, news, author, since) {
                Some(id) => applied(Some(id)),
                None => Reconciled::NotApplied,
            }
        }
        Write::NewsUpdate { id, body, .. } => {
            let reply = c
                .get::<Value>(TIMELINE, Query::new().param("id", id))
                .await?;
            let updates: Vec<NewsUpdateWire> = approval_wire::elements(TIMELINE, reply)?
                .into_iter()
                .map(|(_, u)| u)
                .collect();
            shown(update_shows(&updates, body, author, since))
        }
        Write::EditNews { id, news } => shown(edit_shows(&item(c, id).await?, news)),
        Write::ReopenNews { id } => shown(item(c, id).await?.status_id == Some(OPEN)),
        _ => {
            return Err(ProviderError::Internal(
                "a request's write was taken for a news write".into(),
            ));
        }
    };
    Ok(outcome)
}

async fn item(c: &Client, id: &str) -> ProviderResult<NewsWire> {
    let reply = c.get::<Value>(ONE, Query::new().param("id", id)).await?;
    news_wire::one_news(ONE, reply)
}

fn same_text(html: Option<&str>, typed: &str) -> bool {
    comparable(html.unwrap_or("")) == comparable(&typed_html(typed))
}

fn same_line(text: Option<&str>, typed: &str) -> bool {
    let line = |t: &str| {
        SafeText::line(t)
            .as_str()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    };
    line(text.unwrap_or("")) == line(typed)
}

/// The id of the item `news` created, if the list shows it; the newest when several match.
pub fn find_created(
    items: &[NewsWire],
    news: &NewsDraft,
    author: &UserId,
    since: DateTime<Utc>,
) -> Option<String> {
    let earliest = earliest(since);
    items
        .iter()
        .filter(|n| n.created_by_id.as_deref() == Some(author.as_str()))
        .filter(|n| n.created_at.is_some_and(|at| at >= earliest))
        .filter(|n| same_line(n.title.as_deref(), &news.title))
        .filter(|n| same_text(n.body.as_deref(), &news.body))
        .max_by_key(|n| (n.created_at, n.id.parse::<u64>().ok()))
        .map(|n| n.id.clone())
}

/// The timeline shows an update with this text by `author` since the first attempt.
pub fn update_shows(
    updates: &[NewsUpdateWire],
    body: &str,
    author: &UserId,
    since: DateTime<Utc>,
) -> bool {
    let earliest = earliest(since);
    updates.iter().any(|u| {
        u.creator_id.as_deref() == Some(author.as_str())
            && u.created_at.is_some_and(|at| at >= earliest)
            && same_text(u.body.as_deref(), body)
    })
}

/// The item carries the draft's fields.
fn edit_shows(item: &NewsWire, news: &NewsDraft) -> bool {
    let desks: Vec<String> = news.desks.iter().map(ToString::to_string).collect();
    let sorted = |v: &[String]| {
        let mut v = v.to_vec();
        v.sort();
        v
    };
    same_line(item.title.as_deref(), &news.title)
        && same_text(item.body.as_deref(), &news.body)
        && item.type_id == Some(type_id(news.importance))
        && sorted(&item.affected_helpdesk_ids) == sorted(&desks)
        && sorted(&item.affected_group_ids) == sorted(&news.groups)
        && item.resolution_time.map(|t| t.timestamp()) == news.resolution_at.map(|t| t.timestamp())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::DeskId;

    fn draft() -> NewsDraft {
        NewsDraft {
            title: "Mail is down".into(),
            body: "Use webmail <b>meanwhile</b>".into(),
            importance: Importance::High,
            desks: vec![DeskId::from("1")],
            groups: Vec::new(),
            resolution_at: DateTime::from_timestamp(1_800_000_000, 0),
        }
    }

    fn pairs(p: &Planned) -> Vec<(String, String)> {
        p.params.pairs().to_vec()
    }

    fn has(p: &Planned, k: &str, v: &str) -> bool {
        pairs(p).iter().any(|(a, b)| a == k && b == v)
    }

    #[test]
    fn an_announcement_goes_with_its_audience_and_creator() {
        let p = plan(&Write::CreateNews { news: draft() }, &UserId::from("2")).unwrap();
        assert_eq!(
            (p.method.clone(), p.endpoint),
            (Method::POST, "breakingnews")
        );
        assert!(has(&p, "type_id", "1"));
        assert!(has(&p, "affected_helpdesk_ids[]", "1"));
        assert!(has(&p, "creator_id", "2"));
        assert!(has(&p, "resolution_time", "1800000000"));
        // No empty group list on a creation: the server would see an empty audience part.
        assert!(!pairs(&p).iter().any(|(k, _)| k == "affected_group_ids[]"));
        // The typed text is HTML-escaped: what the agent typed shows as typed.
        let body = p.params.value("body").unwrap();
        assert!(body.contains("&lt;b&gt;"), "{body}");
    }

    #[test]
    fn an_edit_sends_emptied_fields_so_they_are_replaced() {
        let mut news = draft();
        news.resolution_at = None;
        let p = plan(
            &Write::EditNews {
                id: "7".into(),
                news,
            },
            &UserId::from("2"),
        )
        .unwrap();
        assert_eq!(
            (p.method.clone(), p.endpoint),
            (Method::PUT, "breakingnews")
        );
        assert!(has(&p, "id", "7"));
        assert!(has(&p, "affected_group_ids[]", ""));
        assert!(has(&p, "resolution_time", ""));
    }

    #[test]
    fn closing_is_an_update_marked_as_solution_and_reopening_a_status() {
        let close = Write::NewsUpdate {
            id: "7".into(),
            body: "Fixed".into(),
            solution: true,
        };
        let p = plan(&close, &UserId::from("2")).unwrap();
        assert_eq!(p.endpoint, "breakingnews.status");
        assert!(has(&p, "is_solution", "1"));
        let p = plan(&Write::ReopenNews { id: "7".into() }, &UserId::from("2")).unwrap();
        assert!(has(&p, "status_id", "1"));
        assert!(plan(&Write::Reopen { ticket: "1".into() }, &UserId::from("2")).is_none());
    }

    #[test]
    fn a_lost_announcement_is_found_by_title_creator_and_time() {
        let since = DateTime::from_timestamp(1_800_000_000, 0).unwrap();
        let wire = |id: &str, by: &str, at: i64| NewsWire {
            id: id.into(),
            type_id: Some(1),
            title: Some("Mail  is down".into()),
            body: Some("<p>Use webmail &lt;b&gt;meanwhile&lt;/b&gt;</p>".into()),
            affected_helpdesk_ids: vec!["1".into()],
            affected_group_ids: Vec::new(),
            resolution_time: None,
            created_at: DateTime::from_timestamp(at, 0),
            created_by_id: Some(by.into()),
            status_id: Some(1),
        };
        let me = UserId::from("2");
        let items = [
            wire("3", "2", 1_700_000_000),
            wire("4", "9", 1_800_000_010),
            wire("5", "2", 1_800_000_010),
        ];
        assert_eq!(
            find_created(&items, &draft(), &me, since).as_deref(),
            Some("5")
        );
        assert_eq!(find_created(&items[..2], &draft(), &me, since), None);
    }
}
