//! One console over every vendor: the real providers (InvGate, Iden, Truto, Rezolve) against the
//! project's simulator, their answers fed through the app as the runtime feeds them, and the
//! screen as the agent sees it — the combined queue of every profile, each provider's queue and
//! detail, and Truto's account picker. The clock is the simulators' fixed "now", so ages and
//! snapshots do not move.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ttydesk::app::{Model, Msg, ProfileLabel, update};
use ttydesk::config::{Keymap, Profile};
use ttydesk::provider::{Provider, perform};
use ttydesk::sim::{Instance, SimHandle, SimOptions};
use ttydesk::testing;
use ttydesk::ui::{Theme, render};

/// The simulators' "now" (the Iden and Truto seeds'; InvGate's is set to it).
const NOW: &str = "2026-11-01T09:00:00Z";

struct World {
    rt: tokio::runtime::Runtime,
    _sim: SimHandle,
    providers: Vec<Arc<dyn Provider>>,
    model: Model,
}

fn now() -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::parse_from_rfc3339(NOW).unwrap().to_utc()
}

/// A console with these profiles of one simulator (`invgate` adds Acme HR first).
fn world(profiles: impl FnOnce(&SimHandle) -> Vec<(&'static str, Profile)>) -> World {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let sim = rt.block_on(async {
        SimHandle::start(SimOptions {
            instance: Instance::Hr,
            now: Some(now().timestamp()),
            ..SimOptions::default()
        })
        .await
        .expect("simulator starts")
    });
    let mut providers = Vec::new();
    let mut labels = Vec::new();
    for (name, profile) in profiles(&sim) {
        let connected = rt
            .block_on(ttydesk::cli::connect(name, &profile))
            .expect("connects");
        labels.push(ProfileLabel {
            name: name.to_string(),
            vendor: connected.vendor.to_string(),
            demo: false,
            agent: None,
            read_only: false,
            web: connected.provider.web_links(),
        });
        providers.push(connected.provider);
    }
    let (keymap, _) = Keymap::load(&Default::default());
    let mut model = Model::new(labels, Arc::new(keymap), now());
    model.settings.instance = "test".into();
    let mut w = World {
        rt,
        _sim: sim,
        providers,
        model,
    };
    w.run(Msg::Start);
    w
}

impl World {
    /// Applies `msg` and answers every call it leads to from the real providers.
    fn run(&mut self, msg: Msg) {
        let effects = update(&mut self.model, msg);
        let (rt, providers) = (&self.rt, &self.providers);
        testing::settle_with(&mut self.model, effects, |p, call| {
            let provider = Arc::clone(&providers[usize::from(p.0)]);
            Some(rt.block_on(perform(&*provider, call.clone())))
        });
    }

    fn key(&mut self, code: KeyCode) {
        self.run(Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)));
    }

    fn text(&mut self, text: &str) {
        for c in text.chars() {
            self.key(KeyCode::Char(c));
        }
    }

    /// What the status bar's notice says, whole (the screen may cut it).
    fn said(&self) -> String {
        self.model
            .notice
            .as_ref()
            .map(|n| n.text.clone())
            .unwrap_or_default()
    }

    fn draw(&mut self, width: u16, height: u16) -> String {
        self.run(Msg::Resize { width, height });
        let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
        terminal
            .draw(|f| render(f, &self.model, &Theme::default()))
            .unwrap();
        // The simulator's port changes every run: its digits become "P"s of the same width.
        let text = terminal.backend().to_string();
        let mut out = String::new();
        let mut rest = text.as_str();
        while let Some(at) = rest.find("127.0.0.1:") {
            let (head, tail) = rest.split_at(at + "127.0.0.1:".len());
            out.push_str(head);
            let digits = tail.chars().take_while(char::is_ascii_digit).count();
            out.push_str(&"P".repeat(digits));
            rest = &tail[digits..];
        }
        out.push_str(rest);
        out
    }

    /// Selects `profile`'s queue and opens its first request.
    fn open_first_of(&mut self, profile: &str) {
        self.key(KeyCode::Char(':'));
        self.text(&format!("profile {profile}"));
        self.key(KeyCode::Enter);
        self.key(KeyCode::Enter);
    }
}

const ZENDESK: &str = "8a1f0c2e-5b7d-4e93-a6f1-0d2c9b4e7a11";
const JIRA: &str = "3c9e7b10-2d4f-4a68-9b0e-6f1a2c8d5e22";

fn every_vendor(sim: &SimHandle) -> Vec<(&'static str, Profile)> {
    vec![
        ("Acme HR", ttydesk::cli::sim_profile(sim)),
        ("Acme Access", ttydesk::cli::sim_iden_profile(sim, "acme")),
        (
            "Acme Support",
            ttydesk::cli::sim_truto_profile(sim, Some(ZENDESK)),
        ),
        (
            "Acme Facilities",
            ttydesk::cli::sim_rezolve_profile(sim, "acme"),
        ),
    ]
}

#[test]
fn the_combined_queue_lists_every_vendor_under_its_profile() {
    let mut w = world(every_vendor);
    let screen = w.draw(140, 36);
    for profile in [
        "Acme HR InvGate",
        "Acme Access Iden",
        "Acme Support Truto",
        "Acme Facilities Rezolve",
    ] {
        assert!(screen.contains(profile), "{profile} in the tree: {screen}");
    }
    assert!(screen.contains("All open · every profile"));
    assert!(screen.contains("Profile "), "the profile column: {screen}");
    // Every profile's open requests are in the merged list.
    for s in &w.model.sessions {
        let listed = s
            .rows
            .values()
            .filter(|t| t.status.kind.is_open())
            .filter(|t| {
                let key = ttydesk::domain::TicketKey::new(s.id, t.id.clone());
                w.model.requests.position(&key).is_some()
            })
            .count();
        assert!(listed > 10, "{}: {listed} in the merged list", s.label.name);
    }
    insta::assert_snapshot!("every_vendor_combined_140x36", screen);
}

#[test]
fn an_iden_request_opens_read_only_with_its_access_fields() {
    let mut w = world(every_vendor);
    w.open_first_of("acme access");
    let screen = w.draw(120, 32);
    assert!(screen.contains("Access until"), "{screen}");
    assert!(screen.contains("no comments: this service desk's API has no comment thread"));
    w.key(KeyCode::Char('c'));
    let said = w.said();
    assert!(said.contains("Iden's API takes no replies"), "{said}");
    insta::assert_snapshot!("iden_queue_and_detail_120x32", screen);
}

#[test]
fn a_truto_request_opens_with_its_thread_and_the_integration_named() {
    let mut w = world(every_vendor);
    w.open_first_of("acme support");
    let screen = w.draw(120, 32);
    assert!(screen.contains("Via"), "{screen}");
    assert!(screen.contains("Zendesk"), "{screen}");
    assert!(screen.contains("Comments ("), "{screen}");
    insta::assert_snapshot!("truto_queue_and_detail_120x32", screen);
    // The configured account is in use; `:account` lists the others to switch to.
    w.key(KeyCode::Esc);
    w.key(KeyCode::Char(':'));
    w.text("account");
    w.key(KeyCode::Enter);
    let screen = w.draw(120, 32);
    assert!(
        screen.contains("Zendesk · acme.zendesk.com · active (in use)"),
        "{screen}"
    );
    assert!(screen.contains("needs re-authorisation"), "{screen}");
}

#[test]
fn a_rezolve_request_opens_with_its_team_and_sla() {
    let mut w = world(every_vendor);
    w.open_first_of("acme facilities");
    let screen = w.draw(120, 32);
    assert!(screen.contains("TKT-2026-"), "{screen}");
    assert!(screen.contains("SLA:"), "{screen}");
    assert!(screen.contains("no comments: this service desk's API has no comment thread"));
    w.key(KeyCode::Char('c'));
    let said = w.said();
    assert!(said.contains("Rezolve's API takes no replies"), "{said}");
    insta::assert_snapshot!("rezolve_queue_and_detail_120x32", screen);
}

#[test]
fn an_invgate_request_opens_beside_the_other_vendors() {
    let mut w = world(every_vendor);
    w.open_first_of("acme hr");
    let screen = w.draw(120, 32);
    assert!(screen.contains("Comments ("), "{screen}");
    insta::assert_snapshot!("invgate_queue_and_detail_120x32", screen);
}

#[test]
fn a_read_only_truto_account_says_why_it_takes_no_reply() {
    let mut w = world(|sim| {
        vec![(
            "Acme Internal",
            ttydesk::cli::sim_truto_profile(sim, Some(JIRA)),
        )]
    });
    w.open_first_of("acme internal");
    w.key(KeyCode::Char('c'));
    let said = w.said();
    assert!(
        said.contains("Jira Service Management through Truto takes no replies"),
        "{said}"
    );
}

#[test]
fn truto_without_an_account_asks_which_and_names_the_one_to_reauthorise() {
    let mut w = world(|sim| vec![("Acme Support", ttydesk::cli::sim_truto_profile(sim, None))]);
    let screen = w.draw(100, 24);
    assert!(screen.contains("Account for Acme Support"), "{screen}");
    assert!(screen.contains("needs re-authorisation"), "{screen}");
    insta::assert_snapshot!("truto_account_picker_100x24", screen);
    w.key(KeyCode::Enter);
    let said = w.said();
    assert_eq!(
        said,
        "Acme Support: working in Truto · Zendesk (:account picks another)"
    );
    assert!(
        w.model.sessions[0].rows.values().next().is_some(),
        "the account's requests loaded"
    );
}

#[test]
fn pending_iden_requests_wait_in_the_approvals_pane_and_are_decided_in_iden() {
    let mut w = world(every_vendor);
    w.key(KeyCode::Char('A'));
    let screen = w.draw(120, 30);
    assert!(screen.contains("access request"), "{screen}");
    assert!(
        screen.contains("AWS production account: ReadOnlyAccess"),
        "{screen}"
    );
    insta::assert_snapshot!("iden_in_approvals_120x30", screen);
    w.key(KeyCode::Char('a'));
    let said = w.said();
    assert_eq!(
        said,
        "Iden decisions are made in Iden: its API shows them but takes no votes"
    );
}
