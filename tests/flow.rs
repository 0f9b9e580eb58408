//! End to end through the real event loop: scripted keys go into `runtime::run`, which drives the
//! real providers against simulators on 127.0.0.1 and draws into a test backend whose frames the
//! test reads. This is what an agent sees after starting the console and pressing a few keys.

// Helpers outside `#[test]` functions: a failed setup is a failed test.
#![allow(clippy::expect_used)]

mod harness;

use std::collections::BTreeMap;
use std::time::Duration;

use crossterm::event::KeyCode;
use harness::{Console, Desk, open_count, run_console, run_console_with, sim};
use ttydesk::config::{Keymap, UserKeys};
use ttydesk::sim::{Fault, FaultKind, Instance, SimHandle};
use ttydesk::testing::InputLog;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_shows_queues_requests_and_a_request_with_its_comments() {
    let it = sim(Instance::It).await;
    let open = open_count(&it);
    let newest = it
        .dataset()
        .open_requests()
        .max_by_key(|r| r.created_at)
        .expect("an open request")
        .clone();
    let comments = newest.comments.len();
    let model = run_console(
        &[Desk::new("demo", &it)],
        (80, 24),
        |c: Console| async move {
            let screen = c
                .wait(|s| s.contains(&format!("· {open} ")) && s.contains("online"))
                .await;
            assert!(screen.contains("Service Desk"), "{screen}");
            assert!(!screen.contains("loading"), "{screen}");
            c.key(KeyCode::Tab);
            c.key(KeyCode::Enter);
            let screen = c.wait(|s| s.contains("Description")).await;
            let title = ttydesk::text::SafeText::line(&newest.title);
            assert!(screen.contains(title.as_str()), "{screen}");
            c.text("G");
            let last = newest
                .comments
                .last()
                .expect("the newest request has a thread");
            let marker = if last.is_solution {
                "[SOLUTION]"
            } else if last.customer_visible {
                "[PUBLIC]"
            } else {
                "[INTERNAL]"
            };
            c.wait(|s| s.contains(marker)).await;
        },
    )
    .await;
    assert_eq!(model.requests.len(), open, "every open request is listed");
    let (_, detail) = model.open_detail().expect("a request is open");
    let detail = detail.data().expect("its detail is loaded");
    assert_eq!(detail.comments.len(), comments);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_profiles_whose_ids_collide_never_mix() {
    // Opening request N of the second profile shows the second profile's request N.
    let (it, hr) = (sim(Instance::It).await, sim(Instance::Hr).await);
    // A request id open in both instances.
    let open_ids = |sim: &SimHandle| -> std::collections::BTreeSet<u64> {
        sim.dataset().open_requests().map(|r| r.id).collect()
    };
    let both = open_ids(&it)
        .intersection(&open_ids(&hr))
        .copied()
        .find(|id| !it.dataset().hostile_ids.contains(id) && !hr.dataset().hostile_ids.contains(id))
        .expect("an id open in both");
    let title = |sim: &SimHandle| {
        let ds = sim.dataset();
        let r = ds.request(both).expect("the request");
        ttydesk::text::SafeText::line(&r.title).to_string()
    };
    let (it_title, hr_title) = (title(&it), title(&hr));
    assert_ne!(it_title, hr_title);
    let total = open_count(&it) + open_count(&hr);
    let desks = [Desk::new("Acme IT", &it), Desk::new("Acme HR", &hr)];
    run_console(&desks, (160, 48), |c: Console| async move {
        c.wait(|s| s.contains(&format!("All open · every profile · {total} ")))
            .await;
        // The request both profiles have, opened in the second.
        c.text(":profile Acme HR");
        c.key(KeyCode::Enter);
        c.wait(|s| s.contains("Acme HR · all open")).await;
        c.text(&format!("/'HR-#{both}"));
        c.key(KeyCode::Enter);
        c.key(KeyCode::Enter);
        let screen = c
            .wait(|s| s.contains(&format!("Request HR-#{both}")) && s.contains("Description"))
            .await;
        assert!(screen.contains(&hr_title), "{screen}");
        assert!(!screen.contains(&it_title), "{screen}");
        // And 1207 of the first.
        c.key(KeyCode::Esc);
        c.key(KeyCode::Esc);
        c.text(":profile Acme IT");
        c.key(KeyCode::Enter);
        c.wait(|s| s.contains("Acme IT · all open")).await;
        c.text(&format!("/'SD-#{both}"));
        c.key(KeyCode::Enter);
        c.key(KeyCode::Enter);
        let screen = c
            .wait(|s| s.contains(&format!("Request SD-#{both}")) && s.contains("Description"))
            .await;
        assert!(screen.contains(&it_title), "{screen}");
        assert!(!screen.contains(&hr_title), "{screen}");
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_profile_timing_out_leaves_the_other_fully_usable() {
    let (it, hr) = (sim(Instance::It).await, sim(Instance::Hr).await);
    it.inject(Fault {
        endpoint: None,
        kind: FaultKind::Delay(Duration::from_secs(20)),
        times: 10_000,
    });
    let hr_open = open_count(&hr);
    let desks = [
        Desk::new("Acme IT", &it).timeout(1),
        Desk::new("Acme HR", &hr),
    ];
    run_console(&desks, (160, 48), |c: Console| async move {
        // The other profile loads while the first is still waiting for its first answer.
        let screen = c.wait(|s| s.contains(&format!("· {hr_open} "))).await;
        assert!(
            screen.contains("○ Acme IT") || screen.contains("✕ Acme IT"),
            "{screen}"
        );
        c.text(":profile Acme HR");
        c.key(KeyCode::Enter);
        c.key(KeyCode::Enter);
        c.wait(|s| s.contains("Description")).await;
        let screen = c.wait(|s| s.contains("✕ Acme IT")).await;
        assert!(screen.contains("Request HR-#"), "{screen}");
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_palette_opens_a_pane_and_switches_profile() {
    let (it, hr) = (sim(Instance::It).await, sim(Instance::Hr).await);
    let hr_open = open_count(&hr);
    let desks = [Desk::new("Acme IT", &it), Desk::new("Acme HR", &hr)];
    let model = run_console(&desks, (80, 24), |c: Console| async move {
        c.wait(|s| s.contains("All open · every profile")).await;
        c.text(":pro");
        let screen = c.wait(|s| s.contains(":profile")).await;
        assert!(screen.contains("show one profile's queues"), "{screen}");
        c.key(KeyCode::Tab);
        c.text("acme h");
        c.key(KeyCode::Tab);
        c.key(KeyCode::Enter);
        c.wait(|s| s.contains(&format!("Acme HR · all open · {hr_open} ")))
            .await;
        c.text(":queues");
        c.key(KeyCode::Enter);
        c.settle().await;
    })
    .await;
    assert_eq!(model.focus, ttydesk::app::Focus::Queues);
}

/// The text lines inside the help overlay's border, trimmed.
fn help_box(screen: &str) -> Vec<String> {
    let lines: Vec<Vec<char>> = screen.lines().map(|l| l.chars().collect()).collect();
    let (top, left) = lines
        .iter()
        .enumerate()
        .find_map(|(row, line)| {
            let title = line.iter().collect::<String>().find("Help · ")?;
            let title_col = line.iter().collect::<String>()[..title].chars().count();
            let left = line[..title_col].iter().rposition(|c| *c == '┌')?;
            Some((row, left))
        })
        .expect("the help overlay is drawn");
    let right = (left + 1..lines[top].len())
        .find(|&col| lines[top][col] == '┐')
        .expect("the overlay's top right corner");
    lines[top + 1..]
        .iter()
        .take_while(|line| line.get(left) == Some(&'│'))
        .map(|line| {
            line[left + 1..right.min(line.len())]
                .iter()
                .collect::<String>()
                .trim()
                .to_string()
        })
        .collect()
}

/// `keys` padded to 16 columns, a space, then a description.
fn looks_like_a_binding(line: &str) -> bool {
    let chars: Vec<char> = line.chars().collect();
    chars.len() > 17
        && !chars[0].is_whitespace()
        && chars[16] == ' '
        && !chars[17].is_whitespace()
        && chars[..16].iter().rev().take_while(|c| **c == ' ').count() >= 1
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn help_lists_exactly_the_keys_the_keymap_binds_in_the_mode() {
    let it = sim(Instance::It).await;
    let user = BTreeMap::from([(
        "requests".to_string(),
        BTreeMap::from([
            ("f".to_string(), "filter".to_string()),
            ("/".to_string(), "none".to_string()),
        ]),
    )]);
    let (keymap, warnings) = Keymap::load(&UserKeys::from_tables(&user));
    assert!(warnings.is_empty(), "{warnings:?}");
    let chain = ttydesk::app::Mode::Normal.chain(ttydesk::app::Focus::Requests);
    let sections = keymap.help_sections(chain);
    let keymap = std::sync::Arc::new(keymap);
    run_console_with(
        &[Desk::new("work", &it)],
        (160, 60),
        |m| m.keymap = keymap,
        |c: Console| async move {
            c.wait(|s| s.contains("online")).await;
            c.key(KeyCode::Tab);
            c.text("?");
            let screen = c.wait(|s| s.contains("Help · Requests pane")).await;
            // Every line of the overlay shaped like a binding (keys padded to 16 columns, then
            // what they do), in order: exactly the keymap's bindings, none more, none less.
            let expected: Vec<String> = sections
                .iter()
                .flat_map(|(_, rows)| rows.iter())
                .map(|(keys, describe)| format!("{keys:<16} {describe}"))
                .collect();
            let drawn: Vec<String> = help_box(&screen)
                .into_iter()
                .filter(|line| looks_like_a_binding(line))
                .collect();
            assert_eq!(drawn, expected, "\n{screen}");
            assert!(
                screen.contains(&format!("{:<16} filter the requests", "f")),
                "{screen}"
            );
            assert!(
                !screen.contains(&format!("{:<16} filter the requests", "/")),
                "{screen}"
            );
            c.key(KeyCode::Esc);
            c.text("f");
            c.wait(|s| s.contains("/▏")).await;
        },
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_burst_of_keys_costs_one_frame_not_fifty() {
    let it = sim(Instance::It).await;
    let model = run_console(
        &[Desk::new("work", &it)],
        (80, 24),
        |c: Console| async move {
            c.wait(|s| s.contains("online") && !s.contains("loading"))
                .await;
            c.key(KeyCode::Tab);
            c.settle().await;
            let before = c.screen.frames();
            for _ in 0..50 {
                c.text("j");
            }
            c.settle().await;
            let drawn = c.screen.frames() - before;
            assert!(drawn <= 2, "50 queued keys drew {drawn} frames");
        },
    )
    .await;
    assert_eq!(model.requests.cursor, 50, "every key acted");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_terminal_is_handed_to_a_child_and_no_key_is_lost_or_doubled() {
    let it = sim(Instance::It).await;
    let dir = tempfile::tempdir().expect("a temp dir");
    let log_file = dir.path().join("ttydesk.log");
    std::fs::write(&log_file, "log line\n").expect("a log file");
    // The "pager" takes a moment, so keys typed meanwhile are queued, not read.
    let pager: Vec<String> = ["sh", "-c", "sleep 0.3", "pager"]
        .map(String::from)
        .to_vec();
    let file = log_file.clone();
    let setup = move |m: &mut ttydesk::app::Model| {
        m.settings.pager = pager;
        m.settings.log_file = Some(file);
    };
    let mut log = None;
    let model = run_console_with(&[Desk::new("work", &it)], (80, 24), setup, |c: Console| {
        log = Some(c.input_log.clone());
        async move {
            c.wait(|s| s.contains("online") && !s.contains("loading"))
                .await;
            c.key(KeyCode::Tab);
            c.text(":log");
            c.key(KeyCode::Enter);
            // Typed right after: must reach the console once it is back, exactly once each.
            c.text("jj");
            c.settle_for(Duration::from_millis(600)).await;
        }
    })
    .await;
    let log = log.expect("the script ran");
    let log = log.lock().expect("log").clone();
    assert_eq!(log, [InputLog::Released, InputLog::Reclaimed], "{log:?}");
    assert_eq!(model.requests.cursor, 2, "two keys, two moves");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_error_is_explained_and_r_recovers() {
    let it = sim(Instance::It).await;
    it.inject(Fault {
        endpoint: Some("incident.attributes.status".into()),
        kind: FaultKind::Status(
            500,
            "{\"error\":\"database unavailable\",\"status\":500}".into(),
        ),
        times: 1,
    });
    let open = open_count(&it);
    run_console(
        &[Desk::new("work", &it)],
        (80, 24),
        |c: Console| async move {
            let screen = c.wait(|s| s.contains("Could not load the")).await;
            assert!(
                screen.contains("database"),
                "the server's own words: {screen}"
            );
            c.text("r");
            let screen = c.wait(|s| s.contains(&format!("· {open} "))).await;
            assert!(!screen.contains("Could not load"), "{screen}");
        },
    )
    .await;
}

/// What a hostile payload could leave on screen if it got through: the escape itself, the
/// printable tail of an OSC or CSI, a bidi override, a zero-width space.
fn assert_clean(screen: &str, what: &str) {
    for bad in ['\u{1b}', '\u{7}', '\u{9b}', '\u{202e}', '\u{200b}'] {
        assert!(!screen.contains(bad), "{what}: {bad:?} on screen\n{screen}");
    }
    for residue in ["]0;", "]52;", "]8;;", "[2J"] {
        assert!(
            !screen.contains(residue),
            "{what}: {residue:?} on screen\n{screen}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hostile_requests_are_drawn_clean_in_the_list_and_the_detail() {
    let it = sim(Instance::It).await;
    let hostile = it.dataset().hostile_ids.clone();
    assert!(hostile.len() >= 6, "the demo plants hostile requests");
    let prefix = it.dataset().pretty_prefix.clone();
    let model = run_console(
        &[Desk::new("work", &it)],
        (160, 48),
        |c: Console| async move {
            c.wait(|s| s.contains("online") && !s.contains("loading"))
                .await;
            c.key(KeyCode::Tab);
            let mut flagged = 0;
            for id in hostile {
                let shown = format!("{prefix}{id}");
                c.text(&format!("/'{shown}"));
                c.key(KeyCode::Enter);
                let list = c
                    .wait(|s| s.contains(&format!("{shown} ")) && s.contains("· 1/"))
                    .await;
                assert_clean(&list, &format!("list around {id}"));
                c.key(KeyCode::Enter);
                let top = c
                    .wait(|s| s.contains(&format!("Request {shown} ")) && s.contains("Description"))
                    .await;
                assert_clean(&top, &format!("detail of {id}"));
                if top.contains("hidden terminal control") {
                    flagged += 1;
                }
                c.text("G");
                c.settle().await;
                assert_clean(&c.screen.text(), &format!("end of detail of {id}"));
                c.key(KeyCode::Esc);
                c.key(KeyCode::Esc);
                c.wait(|s| !s.contains("· 1/")).await;
            }
            // OSC 0 title, OSC 52 body, CSI 2J body, bidi comment, OSC 8 link: five carry controls.
            assert_eq!(flagged, 5, "hostile requests flagged");
        },
    )
    .await;
    // Every row the console holds is clean, listed or not.
    for s in &model.sessions {
        for ticket in s.rows.values() {
            let title = ticket.title.as_str();
            assert!(!title.chars().any(char::is_control), "{title:?}");
            assert!(!title.contains("]0;"), "{title:?}");
            assert!(
                !title.contains('\u{202e}') && !title.contains('\u{200b}'),
                "{title:?}"
            );
        }
    }
}
