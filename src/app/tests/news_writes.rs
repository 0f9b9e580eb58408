//! Writing breaking news as the agent does it, key by key: the form for a new item (what it
//! sends, what it refuses and why, the draft `esc` keeps), changing an item, posting an update,
//! closing and reopening one, a profile that cannot write, and what a delivery reads again.

use chrono::TimeDelta;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::*;
use crate::app::outbox::{OutboxEvent, OutboxOp, Queued};
use crate::domain::{DeskId, Importance, NewsDraft, Subject, Write};

fn ctrl(c: char) -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL))
}

/// The writes handed to the outbox among `effects`.
fn queued(effects: &[Effect]) -> Vec<Queued> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::Outbox(OutboxOp::Add { queued, .. }) => Some(queued.clone()),
            _ => None,
        })
        .collect()
}

/// Types `text` key by key; returns what the keys asked for.
fn typed(m: &mut Model, text: &str) -> Vec<Effect> {
    text.chars().flat_map(|c| send(m, ch(c))).collect()
}

fn form(m: &Model) -> &crate::app::NewsForm {
    match &m.mode {
        Mode::NewsForm(form) => form,
        other => panic!("expected the news form, got {other:?}"),
    }
}

fn in_news_pane(m: &Model) -> bool {
    matches!(m.mode, Mode::News(_))
}

/// The fixtures' profile taking writes as Ana, with the news pane open on its items: the open
/// Medium item "5" first, the closed Low item "4" below it.
fn news_pane() -> Model {
    let mut m = testing::loaded_model();
    testing::as_agent(&mut m);
    send(&mut m, ch('N'));
    assert!(in_news_pane(&m), "{:?}", m.mode);
    m
}

/// `n`, then a title, importance Medium (→ from High), the second help desk ticked
/// (IT Infrastructure), "2h" to resolution and a body: the form half filled, not sent.
fn half_filled() -> Model {
    let mut m = news_pane();
    send(&mut m, ch('n'));
    assert_eq!(form(&m).field, crate::app::NewsField::Title);
    typed(&mut m, "Mail is down");
    send(&mut m, key(KeyCode::Tab));
    send(&mut m, key(KeyCode::Right));
    send(&mut m, key(KeyCode::Tab));
    send(&mut m, key(KeyCode::Right));
    send(&mut m, ch(' '));
    // Groups (none on the fixtures' server), then the resolution.
    send(&mut m, key(KeyCode::Tab));
    send(&mut m, key(KeyCode::Tab));
    typed(&mut m, "2h");
    send(&mut m, key(KeyCode::Tab));
    assert_eq!(form(&m).field, crate::app::NewsField::Body);
    typed(&mut m, "Nobody can send or receive mail.");
    m
}

#[test]
fn a_new_item_typed_in_the_form_goes_to_the_outbox_once_with_its_fields() {
    let mut m = half_filled();
    let effects = send(&mut m, ctrl('s'));
    let writes = queued(&effects);
    assert_eq!(writes.len(), 1, "exactly one write: {effects:?}");
    assert_eq!(
        writes[0].write,
        Write::CreateNews {
            news: NewsDraft {
                title: "Mail is down".into(),
                body: "Nobody can send or receive mail.".into(),
                importance: Importance::Medium,
                desks: vec![DeskId::from("2")],
                groups: Vec::new(),
                resolution_at: Some(m.now + TimeDelta::hours(2)),
            }
        }
    );
    assert_eq!(writes[0].author.as_str(), "100", "written as Ana");
    assert_eq!(writes[0].title, "“Mail is down”", "the outbox names it");
    assert!(in_news_pane(&m), "back to the news pane: {:?}", m.mode);
    assert!(m.news_draft.is_none(), "a sent item leaves no draft behind");
}

#[test]
fn an_item_that_affects_nobody_or_ends_at_no_time_keeps_the_form_open_with_the_reason() {
    let mut m = news_pane();
    send(&mut m, ch('n'));
    typed(&mut m, "Mail is down");
    for _ in 0..5 {
        send(&mut m, key(KeyCode::Tab));
    }
    typed(&mut m, "Nobody can send mail.");
    let effects = send(&mut m, ctrl('s'));
    assert!(queued(&effects).is_empty(), "{effects:?}");
    assert_eq!(
        form(&m).error.as_deref(),
        Some("name at least one affected help desk or group")
    );
    assert_eq!(
        form(&m).field,
        crate::app::NewsField::Desks,
        "the cursor goes where the fix is"
    );
    // Tick the first desk: the error goes as soon as something changes.
    send(&mut m, ch(' '));
    assert_eq!(form(&m).error, None);
    // Over by "soon": not a time.
    send(&mut m, key(KeyCode::Tab));
    send(&mut m, key(KeyCode::Tab));
    typed(&mut m, "soon");
    let effects = send(&mut m, ctrl('s'));
    assert!(queued(&effects).is_empty(), "{effects:?}");
    let error = form(&m).error.clone().unwrap_or_default();
    assert!(error.contains("“soon” is not a time"), "{error}");
    assert_eq!(form(&m).field, crate::app::NewsField::Resolution);
}

#[test]
fn esc_keeps_the_new_item_and_n_brings_it_back() {
    let mut m = news_pane();
    send(&mut m, ch('n'));
    typed(&mut m, "Mail is down");
    send(&mut m, key(KeyCode::Esc));
    assert!(in_news_pane(&m), "{:?}", m.mode);
    assert!(
        notice(&m).contains("n in the news pane brings it back"),
        "{}",
        notice(&m)
    );
    send(&mut m, ch('n'));
    assert_eq!(form(&m).title.lines(), ["Mail is down"]);
    assert_eq!(notice(&m), "the item you were writing is back");
    assert!(m.news_draft.is_none(), "the draft is in the form now");
}

#[test]
fn e_opens_the_item_in_the_form_and_sends_a_change_of_that_item() {
    let mut m = news_pane();
    send(&mut m, ch('e'));
    let f = form(&m);
    assert_eq!(f.editing.as_deref(), Some("5"));
    assert_eq!(f.title.lines(), ["Printing is slow on floor 3"]);
    assert_eq!(f.importance, Importance::Medium);
    // The item affects desk 11, a level: it is shown and ticked although only top-level desks
    // are offered for new items, so a change does not drop it.
    let ticked: Vec<&str> = f
        .desks
        .items
        .iter()
        .filter(|c| c.ticked)
        .map(|c| c.id.as_str())
        .collect();
    assert_eq!(ticked, ["11"]);
    // A new title, the rest as it was.
    // ctrl-j clears the line up to the cursor (the end).
    send(&mut m, ctrl('j'));
    typed(&mut m, "Printing is slow everywhere");
    let effects = send(&mut m, ctrl('s'));
    let writes = queued(&effects);
    assert_eq!(writes.len(), 1, "{effects:?}");
    let Write::EditNews { id, news } = &writes[0].write else {
        panic!("expected a change of the item, got {:?}", writes[0].write);
    };
    assert_eq!(id, "5");
    assert_eq!(news.title, "Printing is slow everywhere");
    assert_eq!(news.importance, Importance::Medium);
    assert_eq!(news.desks, [DeskId::from("11")]);
    assert_eq!(
        news.resolution_at,
        Some(testing::now() + TimeDelta::hours(2))
    );
    assert!(in_news_pane(&m));
    assert!(
        m.news_draft.is_none(),
        "a change is never kept as a new item's draft"
    );
}

#[test]
fn u_posts_an_update_and_x_closes_an_open_item() {
    let mut m = news_pane();
    send(&mut m, ch('u'));
    assert!(matches!(m.mode, Mode::Prompt(_)), "{:?}", m.mode);
    typed(&mut m, "Queues are empty again");
    let effects = send(&mut m, key(KeyCode::Enter));
    let writes = queued(&effects);
    assert_eq!(writes.len(), 1, "{effects:?}");
    assert_eq!(
        writes[0].write,
        Write::NewsUpdate {
            id: "5".into(),
            body: "Queues are empty again".into(),
            solution: false,
        }
    );
    assert!(in_news_pane(&m), "{:?}", m.mode);

    send(&mut m, ch('x'));
    typed(&mut m, "Fixed: a driver was rolled back");
    let effects = send(&mut m, key(KeyCode::Enter));
    let writes = queued(&effects);
    assert_eq!(writes.len(), 1, "{effects:?}");
    assert_eq!(
        writes[0].write,
        Write::NewsUpdate {
            id: "5".into(),
            body: "Fixed: a driver was rolled back".into(),
            solution: true,
        }
    );
}

#[test]
fn a_closed_item_takes_no_update_and_o_reopens_it() {
    let mut m = news_pane();
    // The closed Low item, below the open one.
    send(&mut m, ch('j'));
    let effects = send(&mut m, ch('u'));
    assert!(queued(&effects).is_empty(), "{effects:?}");
    assert!(in_news_pane(&m), "no prompt: {:?}", m.mode);
    assert!(
        notice(&m).contains("“VPN maintenance finished” is closed"),
        "{}",
        notice(&m)
    );
    let effects = send(&mut m, ch('x'));
    assert!(queued(&effects).is_empty(), "{effects:?}");
    assert!(in_news_pane(&m));

    let effects = send(&mut m, ch('o'));
    let writes = queued(&effects);
    assert_eq!(writes.len(), 1, "{effects:?}");
    assert_eq!(writes[0].write, Write::ReopenNews { id: "4".into() });
}

#[test]
fn a_profile_whose_agent_is_unknown_opens_no_form_and_says_what_to_set() {
    let mut m = testing::loaded_model();
    // Everything but the agent: the store is there, the server takes writes.
    m.settings.outbox = true;
    if let Some(c) = m
        .session_mut(ProfileId(0))
        .and_then(|s| s.capabilities.as_mut())
    {
        c.writes = true;
    }
    let why = crate::app::writes::may_write(&m, ProfileId(0)).unwrap_err();
    assert!(why.contains("agent ="), "{why}");
    send(&mut m, ch('N'));
    let effects = send(&mut m, ch('n'));
    assert!(in_news_pane(&m), "nothing opens: {:?}", m.mode);
    assert!(queued(&effects).is_empty());
    assert_eq!(notice(&m), why);
    // Nor on an item.
    send(&mut m, ch('u'));
    assert!(in_news_pane(&m), "{:?}", m.mode);
    assert_eq!(notice(&m), why);
}

#[test]
fn a_delivered_news_write_reads_the_news_and_the_item_being_read_again() {
    let mut m = news_pane();
    let delivered = |m: &mut Model, id: &str| {
        update(
            m,
            Msg::Outbox(OutboxEvent::Delivered {
                profile: ProfileId(0),
                subject: Subject::News(id.into()),
                what: "news update".into(),
            }),
        )
    };
    // Not reading anything: the list only.
    let effects = delivered(&mut m, "5");
    find(&effects, |c| matches!(c, Call::News { .. }));
    assert!(
        !effects.iter().any(|e| matches!(
            e,
            Effect::Call {
                call: Call::NewsDetail { .. },
                ..
            }
        )),
        "{effects:?}"
    );
    assert_eq!(
        notice(&m),
        "news update “Printing is slow on floor 3”: delivered"
    );
    testing::settle(&mut m, effects);

    // Reading item 5: its timeline too.
    send(&mut m, key(KeyCode::Enter));
    let effects = delivered(&mut m, "5");
    find(&effects, |c| matches!(c, Call::News { .. }));
    find(
        &effects,
        |c| matches!(c, Call::NewsDetail { id, .. } if id == "5"),
    );
    testing::settle(&mut m, effects);
    // A write about another item leaves the one being read alone.
    let effects = delivered(&mut m, "4");
    assert!(
        !effects.iter().any(|e| matches!(
            e,
            Effect::Call {
                call: Call::NewsDetail { .. },
                ..
            }
        )),
        "{effects:?}"
    );
}
