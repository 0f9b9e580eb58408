//! Several profiles side by side: their requests never mix, one failing profile leaves the others
//! usable, the tree and the combined queue.

use super::*;
use crate::domain::TicketId;
use crate::provider::{Answer, ProviderError};

#[test]
fn the_tree_shows_every_profile_under_the_queue_of_all_of_them() {
    let m = testing::loaded_two();
    let labels: Vec<String> = tree(&m).into_iter().map(|(l, _)| l).collect();
    assert_eq!(labels[0], "All open · every profile");
    assert_eq!(labels[1], "Acme IT");
    assert!(labels.iter().any(|l| l == "Acme HR"));
    assert_eq!(tree(&m)[0].1, Some(16));
    assert_eq!(m.queues.selected, QueueKey::Everything);
}

#[test]
fn opening_request_1207_of_the_second_profile_shows_the_second_profiles_request() {
    let mut m = testing::loaded_two();
    let hr = m
        .requests
        .position(&crate::domain::TicketKey::new(
            ProfileId(1),
            TicketId::from("1207"),
        ))
        .expect("HR's 1207 is listed");
    send(&mut m, key(KeyCode::Tab));
    m.requests.cursor = hr;
    let effects = update(&mut m, key(KeyCode::Enter));
    let (p, _) = find(&effects, |c| matches!(c, Call::Detail { .. }));
    assert_eq!(p, ProfileId(1), "asked of the second profile");
    testing::settle(&mut m, effects);
    let (session, detail) = m.open_detail().unwrap();
    assert_eq!(session.label.name, "Acme HR");
    let title = detail.data().unwrap().ticket.title.to_string();
    assert_eq!(title, "Parental leave request for March");
    // And 1207 of the first profile is still the first profile's.
    let it = m
        .ticket(&crate::domain::TicketKey::new(
            ProfileId(0),
            TicketId::from("1207"),
        ))
        .unwrap();
    assert_eq!(it.title.as_str(), "Printer prints garbage characters");
}

#[test]
fn one_profile_timing_out_leaves_the_other_fully_usable() {
    let mut m = testing::two_profiles();
    let effects = update(&mut m, Msg::Start);
    testing::settle_with(&mut m, effects, |p, call| {
        if p == ProfileId(0) {
            let e = ProviderError::Timeout {
                what: format!("{}, limit 5 s", call.name()),
            };
            Some(Answer::failed(call, e))
        } else {
            Some(testing::fixture_answer(p, call))
        }
    });
    assert!(matches!(m.sessions[0].connection, Connection::Offline(_)));
    assert!(m.sessions[1].is_online());
    assert_eq!(rows(&m).len(), 8, "Acme HR's requests are listed");
    // The second profile's desks can be opened and its requests read.
    send(&mut m, ch(':'));
    press(&mut m, "profile acme hr");
    send(&mut m, key(KeyCode::Enter));
    send(&mut m, key(KeyCode::Enter));
    assert_eq!(m.focus, Focus::Detail);
    let (session, detail) = m.open_detail().unwrap();
    assert_eq!(session.label.name, "Acme HR");
    assert!(detail.data().is_some());
    // The failing one says so in its own words, and a refresh asks only it again.
    assert!(
        m.notice
            .as_ref()
            .is_some_and(|n| n.text.starts_with("Acme IT: ")),
        "{:?}",
        m.notice
    );
    let effects = update(&mut m, ch('r'));
    assert!(
        calls(&effects)
            .iter()
            .any(|(p, _, c)| *p == ProfileId(0) && matches!(c, Call::Catalog { .. }))
    );
}

#[test]
fn a_slow_profile_does_not_hold_back_the_other() {
    let mut m = testing::two_profiles();
    let effects = update(&mut m, Msg::Start);
    // Profile 0 never answers anything; profile 1 answers everything.
    let pending = testing::settle_with(&mut m, effects, |p, call| {
        (p == ProfileId(1)).then(|| testing::fixture_answer(p, call))
    });
    assert!(
        calls(&pending).iter().all(|(p, _, _)| *p == ProfileId(0)),
        "only the slow profile still waits"
    );
    assert_eq!(rows(&m).len(), 8);
    assert!(m.sessions[1].listing.is_complete());
}

/// A profile (the second) that reaches several accounts and has none chosen: its probe lists
/// them and everything else waits for a choice.
pub(super) fn with_accounts(p: ProfileId, call: &Call) -> Option<Answer> {
    use crate::domain::{AccountChoice, Probe, ServerInfo};
    use crate::text::SafeText;
    if p != ProfileId(1) {
        return Some(testing::fixture_answer(p, call));
    }
    let choice = |id: &str, label: &str, problem: Option<&str>| AccountChoice {
        id: id.into(),
        label: SafeText::ours(label),
        state: SafeText::ours(if problem.is_some() {
            "needs re-authorisation"
        } else {
            "active"
        }),
        problem: problem.map(SafeText::ours),
    };
    Some(match call {
        Call::Probe => Answer::Probe(Ok(Probe {
            accounts: Some(vec![
                choice("zd", "Zendesk · acme.zendesk.com", None),
                choice(
                    "fd",
                    "Freshdesk · acmeretail.freshdesk.com",
                    Some("the Freshdesk connection must be re-authorised in Truto"),
                ),
            ]),
            ..Probe::ready(
                ServerInfo {
                    product: "Truto".into(),
                    version: SafeText::default(),
                    via: None,
                },
                crate::domain::Capabilities::EVERYTHING,
            )
        })),
        Call::ChooseAccount { id } => {
            assert_eq!(id, "zd", "only a usable account is asked for");
            Answer::Probe(Ok(Probe::ready(
                ServerInfo {
                    product: "Truto · Zendesk".into(),
                    version: SafeText::default(),
                    via: None,
                },
                crate::domain::Capabilities::EVERYTHING,
            )))
        }
        _ => testing::fixture_answer(p, call),
    })
}

#[test]
fn a_profile_with_several_accounts_asks_which_and_a_broken_one_says_why() {
    let mut m = testing::two_profiles();
    let effects = update(&mut m, Msg::Start);
    testing::settle_with(&mut m, effects, |p, call| match call {
        Call::Catalog { .. } if p == ProfileId(1) => {
            Some(Answer::Catalog(Err(ProviderError::NoAccount)))
        }
        _ => with_accounts(p, call),
    });
    let Mode::Picker(picker) = &m.mode else {
        panic!("the account picker opens: {:?}", m.mode);
    };
    assert_eq!(picker.title, "Account for Acme HR");
    assert_eq!(picker.options.len(), 2);
    // Waiting for a choice is no error.
    assert!(
        m.notice
            .as_ref()
            .is_none_or(|n| n.level != NoticeLevel::Error),
        "{:?}",
        m.notice
    );
    assert_eq!(rows(&m).len(), 8, "Acme IT's requests are listed meanwhile");
    let screen = testing::drawn(&mut m, 100, 24);
    assert!(
        screen.contains("Freshdesk · acmeretail.freshdesk.com · needs re-authorisation"),
        "{screen}"
    );

    // The one that needs re-authorising says why and is not chosen.
    send(&mut m, key(KeyCode::Down));
    let effects = update(&mut m, key(KeyCode::Enter));
    assert!(
        !effects.iter().any(|e| matches!(e, Effect::Call { .. })),
        "{effects:?}"
    );
    assert!(matches!(m.mode, Mode::Picker(_)));
    let said = m
        .notice
        .as_ref()
        .map(|n| n.text.clone())
        .unwrap_or_default();
    assert!(said.contains("must be re-authorised in Truto"), "{said}");

    // The usable one is opened, and then the profile loads.
    send(&mut m, key(KeyCode::Up));
    let effects = update(&mut m, key(KeyCode::Enter));
    assert_eq!(m.mode, Mode::Normal);
    find(&effects, |c| matches!(c, Call::ChooseAccount { .. }));
    testing::settle_with(&mut m, effects, with_accounts);
    assert_eq!(m.sessions[1].account.as_deref(), Some("zd"));
    assert!(
        m.sessions[1].catalog().is_some(),
        "its catalog loaded after the choice"
    );
    assert_eq!(rows(&m).len(), 16, "both profiles' requests are listed");
    let said = m
        .notice
        .as_ref()
        .map(|n| n.text.clone())
        .unwrap_or_default();
    assert!(
        said.contains("Acme HR: working in Truto · Zendesk"),
        "{said}"
    );

    // `:account` brings the list back, the account in use marked.
    send(&mut m, ch(':'));
    press(&mut m, "account");
    send(&mut m, key(KeyCode::Enter));
    let Mode::Picker(picker) = &m.mode else {
        panic!("{:?}", m.mode);
    };
    assert!(
        picker.options[0].label.ends_with("(in use)"),
        "{}",
        picker.options[0].label
    );
}
