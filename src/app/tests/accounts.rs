//! A profile whose token reaches several accounts (Truto): the account worked in last opens
//! again without asking, and what was shown of one account never stays beside another's.

use super::profiles::with_accounts;
use super::*;
use crate::domain::{AccountChoice, Probe, ServerInfo, TicketId};
use crate::provider::Answer;
use crate::text::SafeText;

/// Saved data of profile 1 ("Acme HR") made in `account`, its requests' titles marked.
fn saved_in(account: &str) -> Saved {
    let mut tickets = testing::tickets_of(1);
    for t in &mut tickets {
        t.title = SafeText::ours(format!("Saved in {account}"));
    }
    Saved {
        account: Some(account.into()),
        tickets: tickets.clone(),
        listing: Some((
            crate::app::SavedListing {
                ids: tickets.iter().map(|t| t.id.clone()).collect(),
                total: Some(tickets.len() as u64),
            },
            testing::now(),
        )),
        ..Saved::default()
    }
}

fn restore(m: &mut Model, profile: u16, saved: Saved) -> Vec<Effect> {
    update(
        m,
        Msg::Stored(Stored::Profile {
            profile: ProfileId(profile),
            saved: Box::new(saved),
        }),
    )
}

/// Start-up, the store answering that profile 1 worked in `account` last.
fn start_from(m: &mut Model, account: &str) -> Vec<Effect> {
    let mut effects = start_holding_the_store(m);
    effects.extend(restore(m, 0, Saved::default()));
    effects.extend(restore(m, 1, saved_in(account)));
    effects
}

/// Start-up with the store's answers held back: the calls, and the profiles asked of the store.
fn start_holding_the_store(m: &mut Model) -> Vec<Effect> {
    update(m, Msg::Start)
        .into_iter()
        .filter(|e| !matches!(e, Effect::Store(StoreOp::Load { .. })))
        .collect()
}

fn shown_titles(m: &Model) -> Vec<String> {
    (0..m.requests.len())
        .filter_map(|i| m.requests.row(i))
        .map(|r| r.row.ticket.title.to_string())
        .collect()
}

fn store_ops(effects: &[Effect]) -> Vec<&StoreOp> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::Store(op) => Some(op),
            _ => None,
        })
        .collect()
}

/// As [`with_accounts`], with Jira usable too, and whichever account is asked for opened.
fn two_usable(p: ProfileId, call: &Call) -> Option<Answer> {
    if p != ProfileId(1) {
        return with_accounts(p, call);
    }
    let choice = |id: &str, label: &str| AccountChoice {
        id: id.into(),
        label: SafeText::ours(label),
        state: SafeText::ours("active"),
        problem: None,
    };
    let ready = |product: &str| {
        Probe::ready(
            ServerInfo {
                product: product.into(),
                version: SafeText::default(),
                via: None,
            },
            crate::domain::Capabilities::EVERYTHING,
        )
    };
    Some(match call {
        Call::Probe => Answer::Probe(Ok(Probe {
            accounts: Some(vec![
                choice("zd", "Zendesk · acme.zendesk.com"),
                choice("jr", "Jira · acme.atlassian.net"),
            ]),
            ..ready("Truto")
        })),
        Call::ChooseAccount { id } => Answer::Probe(Ok(ready(&format!("Truto · {id}")))),
        _ => testing::fixture_answer(p, call),
    })
}

#[test]
fn the_account_worked_in_last_opens_again_without_the_picker() {
    let mut m = testing::two_profiles();
    // The store answers first: the profile worked in Zendesk last time.
    let effects = start_from(&mut m, "zd");
    // While Zendesk is being opened.
    let held = testing::settle_with(&mut m, effects, |p, call| {
        (!matches!(call, Call::ChooseAccount { .. })).then(|| with_accounts(p, call))?
    });
    assert_eq!(m.mode, Mode::Normal, "no picker: {:?}", m.mode);
    assert!(
        notice(&m).contains("opening Zendesk · acme.zendesk.com, the account worked in last"),
        "{}",
        notice(&m)
    );
    let rest = testing::settle_with(&mut m, held, with_accounts);
    assert_eq!(m.mode, Mode::Normal);
    assert_eq!(m.sessions[1].account.as_deref(), Some("zd"));
    assert_eq!(
        notice(&m),
        "Acme HR: working in Truto · Zendesk (:account picks another)"
    );
    // Its saved rows were the same account's: they stayed until fresh ones replaced them, and
    // nothing was forgotten.
    assert!(
        !store_ops(&rest)
            .iter()
            .any(|op| matches!(op, StoreOp::ForgetData { .. })),
        "{rest:?}"
    );
    assert_eq!(rows(&m).len(), 16, "both profiles' requests are listed");
    assert!(m.sessions[1].catalog().is_some());
}

#[test]
fn a_picker_opened_before_the_store_answered_closes_for_the_account_worked_in_last() {
    let mut m = testing::two_profiles();
    let effects = start_holding_the_store(&mut m);
    testing::settle_with(&mut m, effects, with_accounts);
    assert!(matches!(m.mode, Mode::Picker(_)), "{:?}", m.mode);
    let mut effects = restore(&mut m, 0, Saved::default());
    effects.extend(restore(&mut m, 1, saved_in("zd")));
    assert_eq!(m.mode, Mode::Normal, "the picker closed");
    find(
        &effects,
        |c| matches!(c, Call::ChooseAccount { id } if id == "zd"),
    );
    testing::settle_with(&mut m, effects, with_accounts);
    assert_eq!(m.sessions[1].account.as_deref(), Some("zd"));
    assert_eq!(rows(&m).len(), 16);
}

#[test]
fn an_account_worked_in_last_that_now_needs_reauthorising_is_not_opened() {
    let mut m = testing::two_profiles();
    let effects = start_from(&mut m, "fd");
    testing::settle_with(&mut m, effects, with_accounts);
    assert!(
        matches!(&m.mode, Mode::Picker(p) if p.title == "Account for Acme HR"),
        "the agent is asked: {:?}",
        m.mode
    );
    assert_eq!(m.sessions[1].account, None);
}

#[test]
fn moving_to_another_account_drops_the_first_accounts_requests_and_detail() {
    let mut m = testing::two_profiles();
    let effects = update(&mut m, Msg::Start);
    testing::settle_with(&mut m, effects, two_usable);
    let effects = update(&mut m, key(KeyCode::Enter));
    testing::settle_with(&mut m, effects, two_usable);
    assert_eq!(m.sessions[1].account.as_deref(), Some("zd"));
    // The agent reads Zendesk's 1207.
    let hr = crate::domain::TicketKey::new(ProfileId(1), TicketId::from("1207"));
    send(&mut m, key(KeyCode::Tab));
    m.requests.cursor = m.requests.position(&hr).expect("HR's 1207 is listed");
    let effects = update(&mut m, key(KeyCode::Enter));
    testing::settle_with(&mut m, effects, two_usable);
    assert!(m.open_detail().is_some());

    // Then moves the profile to Jira, whose lists are slow to come.
    send(&mut m, ch(':'));
    press(&mut m, "account");
    send(&mut m, key(KeyCode::Enter));
    send(&mut m, key(KeyCode::Down));
    let effects = update(&mut m, key(KeyCode::Enter));
    let rest = testing::settle_with(&mut m, effects, |p, call| {
        (!matches!(call, Call::List { .. }) || p != ProfileId(1)).then(|| two_usable(p, call))?
    });
    assert_eq!(m.sessions[1].account.as_deref(), Some("jr"));
    assert!(
        m.open_detail().is_none(),
        "Zendesk's 1207 is not Jira's: the detail closed"
    );
    assert!(
        m.ticket(&hr).is_none(),
        "no Zendesk request is listed under Jira"
    );
    assert_eq!(
        rows(&m).len(),
        8,
        "only Acme IT's requests until Jira's come"
    );
    let ops = store_ops(&rest);
    assert!(
        ops.iter()
            .any(|op| matches!(op, StoreOp::ForgetData { profile } if *profile == ProfileId(1))),
        "{ops:?}"
    );
    assert!(
        ops.iter().any(|op| matches!(
            op,
            StoreOp::SaveAccount { profile, account } if *profile == ProfileId(1) && account == "jr"
        )),
        "{ops:?}"
    );
}

#[test]
fn data_saved_in_another_account_than_the_configured_one_is_never_shown() {
    let mut m = testing::two_profiles();
    // The profile's config names Zendesk; the store holds what an earlier run saw in Jira.
    let configured = |p: ProfileId, call: &Call| match call {
        Call::Probe if p == ProfileId(1) => Some(Answer::Probe(Ok(Probe {
            account: Some("zd".into()),
            ..match two_usable(p, call) {
                Some(Answer::Probe(Ok(probe))) => probe,
                other => panic!("{other:?}"),
            }
        }))),
        Call::List { .. } if p == ProfileId(1) => None,
        _ => two_usable(p, call),
    };
    let effects = start_holding_the_store(&mut m);
    testing::settle_with(&mut m, effects, configured);
    let mut effects = restore(&mut m, 0, Saved::default());
    effects.extend(restore(&mut m, 1, saved_in("jr")));
    let rest = testing::settle_with(&mut m, effects, configured);
    assert!(
        !shown_titles(&m).iter().any(|t| t == "Saved in jr"),
        "{:?}",
        shown_titles(&m)
    );
    assert_eq!(m.sessions[1].account.as_deref(), Some("zd"));
    let ops = store_ops(&rest);
    assert!(
        ops.iter()
            .any(|op| matches!(op, StoreOp::ForgetData { profile } if *profile == ProfileId(1))),
        "{ops:?}"
    );
    assert!(
        ops.iter()
            .any(|op| matches!(op, StoreOp::SaveAccount { account, .. } if account == "zd")),
        "{ops:?}"
    );
}

/// In the store: a draft typed in one account is not offered in another and comes back in its
/// own; moving drops the first account's saved requests and remembers the second.
#[tokio::test]
async fn drafts_are_kept_per_account_and_a_move_forgets_the_saved_requests() {
    use crate::app::composer::{Draft, ReplyKind};
    use crate::app::persist::{self, Partition, StoreLink};
    use crate::app::rows::Row;
    use crate::domain::TicketKey;
    use std::sync::Arc;

    let dir = tempfile::tempdir().expect("temp dir");
    let (store, _) = persist::open(
        dir.path().join("store.sqlite3"),
        crate::store::JournalChoice::Auto,
    );
    let link = StoreLink::new(
        store.expect("store"),
        vec![Partition {
            name: "desk".into(),
            fingerprint: "fixture".into(),
        }],
    );
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let profile = ProfileId(0);
    let key = TicketKey::new(profile, TicketId::from("12"));
    let draft_of = async |link: &StoreLink, rx: &mut tokio::sync::mpsc::UnboundedReceiver<Msg>| {
        link.execute(StoreOp::LoadDraft { key: key.clone() }, &tx);
        match rx.recv().await {
            Some(Msg::Stored(Stored::Draft { draft, .. })) => draft.map(|(d, _)| d.text),
            other => panic!("{other:?}"),
        }
    };
    let account = |a: &str| StoreOp::SaveAccount {
        profile,
        account: a.into(),
    };

    link.execute(account("zd"), &tx);
    let rows = testing::tickets()
        .into_iter()
        .map(|t| Arc::new(Row::new(t)));
    link.execute(
        StoreOp::SaveRows {
            profile,
            rows: rows.collect(),
        },
        &tx,
    );
    link.execute(
        StoreOp::SaveDraft {
            key: key.clone(),
            draft: Draft {
                text: "Zendesk's #12: the printer".into(),
                kind: ReplyKind::Public,
            },
        },
        &tx,
    );
    assert_eq!(
        draft_of(&link, &mut rx).await.as_deref(),
        Some("Zendesk's #12: the printer")
    );

    // The agent moves to Jira: its #12 has no draft, and Zendesk's requests are gone.
    link.execute(account("jr"), &tx);
    link.execute(StoreOp::ForgetData { profile }, &tx);
    assert_eq!(draft_of(&link, &mut rx).await, None);
    link.execute(StoreOp::Load { profile }, &tx);
    let Some(Msg::Stored(Stored::Profile { saved, .. })) = rx.recv().await else {
        panic!("the saved profile comes back");
    };
    assert_eq!(saved.account.as_deref(), Some("jr"));
    assert!(
        saved.tickets.is_empty(),
        "{} rows kept",
        saved.tickets.len()
    );

    // Back in Zendesk, its draft is there again.
    link.execute(account("zd"), &tx);
    assert_eq!(
        draft_of(&link, &mut rx).await.as_deref(),
        Some("Zendesk's #12: the printer")
    );
}
