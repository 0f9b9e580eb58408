//! End to end without a terminal: the real InvGate provider against the simulator, the real
//! runtime executing effects, `update` applying the answers, and the panes drawn into a test
//! backend. This is what an agent sees after starting the demo and pressing a few keys.

use std::sync::Arc;
use std::time::Duration;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use tokio::sync::mpsc;
use ttydesk::app::runtime::Runtime;
use ttydesk::app::{Model, Msg, ProfileLabel, update};
use ttydesk::config::{Keymap, Profile};
use ttydesk::sim::{Fault, FaultKind, SimHandle, SimOptions};
use ttydesk::ui::{Theme, render};

struct Harness {
    model: Model,
    runtime: Runtime,
    rx: mpsc::UnboundedReceiver<Msg>,
    in_flight: usize,
}

impl Harness {
    async fn new(sim: &SimHandle) -> Harness {
        let profile = Profile {
            timeout_secs: Some(5),
            ..ttydesk::cli::sim_profile(sim)
        };
        let connected = ttydesk::cli::connect("demo", &profile)
            .await
            .unwrap_or_else(|e| panic!("cannot connect to the simulator: {e}"));
        let (tx, rx) = mpsc::unbounded_channel();
        let (keymap, _) = Keymap::load(&Default::default());
        let label = ProfileLabel {
            name: "demo".into(),
            vendor: "InvGate".into(),
            demo: true,
        };
        let model = Model::new(label, Arc::new(keymap), chrono::Utc::now());
        Harness {
            model,
            runtime: Runtime::new(connected.provider, tx),
            rx,
            in_flight: 0,
        }
    }

    fn send(&mut self, msg: Msg) {
        for effect in update(&mut self.model, msg) {
            self.in_flight += 1;
            self.runtime.execute(effect);
        }
    }

    /// Applies answers until no call is in flight.
    async fn settle(&mut self) {
        while self.in_flight > 0 {
            let msg = tokio::time::timeout(Duration::from_secs(10), self.rx.recv())
                .await
                .unwrap_or_else(|_| panic!("no answer within 10 s"))
                .unwrap_or_else(|| panic!("runtime gone"));
            self.in_flight -= 1;
            self.send(msg);
        }
    }

    async fn key(&mut self, code: KeyCode) {
        self.send(Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)));
        self.settle().await;
    }

    fn screen(&mut self, width: u16, height: u16) -> String {
        self.model.size = (width, height);
        let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
        terminal
            .draw(|f| render(f, &mut self.model, &Theme::default()))
            .unwrap();
        terminal.backend().to_string()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_shows_queues_requests_and_a_request_with_its_comments() {
    let sim = SimHandle::start(SimOptions::default()).await.unwrap();
    let mut h = Harness::new(&sim).await;
    h.send(Msg::Start);
    h.settle().await;

    let screen = h.screen(80, 24);
    assert!(screen.contains("online"), "{screen}");
    assert!(screen.contains("All open"), "{screen}");
    let data = sim.dataset();
    let open = data
        .requests
        .iter()
        .filter(|r| data.open_status_ids.contains(&r.status_id))
        .count();
    assert_eq!(
        h.model.requests.members.len(),
        open,
        "every open request is listed"
    );
    assert_eq!(h.model.requests.loading(), 0);
    assert!(!screen.contains("loading…"), "{screen}");

    // The agent opens the first request.
    h.key(KeyCode::Tab).await;
    h.key(KeyCode::Enter).await;
    let id = h.model.detail.id.clone().unwrap();
    let detail = h
        .model
        .detail
        .data
        .data()
        .unwrap_or_else(|| panic!("detail not loaded"))
        .clone();
    let wire = sim
        .dataset()
        .requests
        .iter()
        .find(|r| r.id.to_string() == id.0)
        .unwrap();
    assert_eq!(detail.comments.len(), wire.comments.len());
    let screen = h.screen(160, 48);
    assert!(screen.contains("Description"), "{screen}");
    h.key(KeyCode::Char('G')).await;
    let screen = h.screen(160, 48);
    assert!(
        !wire.comments.is_empty(),
        "the newest demo request has a thread"
    );
    if let Some(last) = wire.comments.last() {
        let marker = if last.is_solution {
            "[SOLUTION]"
        } else if last.customer_visible {
            "[PUBLIC]"
        } else {
            "[INTERNAL]"
        };
        assert!(
            screen.contains(marker),
            "the last comment is at the bottom: {screen}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_error_is_explained_and_r_recovers() {
    let sim = SimHandle::start(SimOptions::default()).await.unwrap();
    sim.inject(Fault {
        endpoint: Some("incident.attributes.status".into()),
        kind: FaultKind::Status(
            500,
            "{\"error\":\"database unavailable\",\"status\":500}".into(),
        ),
        times: 1,
    });
    let mut h = Harness::new(&sim).await;
    h.send(Msg::Start);
    h.settle().await;
    let screen = h.screen(80, 24);
    assert!(screen.contains("Could not load the"), "{screen}");
    assert!(
        screen.contains("database"),
        "the server's own words: {screen}"
    );

    h.key(KeyCode::Char('r')).await;
    let screen = h.screen(80, 24);
    assert!(!screen.contains("Could not load"), "{screen}");
    assert!(
        h.model.requests.members.len() > 100,
        "queues loaded after the retry"
    );
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
    let sim = SimHandle::start(SimOptions::default()).await.unwrap();
    let mut h = Harness::new(&sim).await;
    h.send(Msg::Start);
    h.settle().await;
    h.key(KeyCode::Tab).await;
    let hostile = sim.dataset().hostile_ids.clone();
    assert!(hostile.len() >= 6, "the demo plants hostile requests");
    let mut flagged = 0;
    for id in hostile {
        let id = id.to_string();
        let at = h
            .model
            .requests
            .rows
            .iter()
            .position(|r| r.0 == id)
            .expect("hostile request listed");
        h.model.requests.cursor = at;
        let list = h.screen(160, 48);
        assert_clean(&list, &format!("list around {id}"));
        h.key(KeyCode::Enter).await;
        assert!(
            h.model.detail.data.data().is_some(),
            "detail of {id} loaded"
        );
        let top = h.screen(160, 48);
        assert_clean(&top, &format!("detail of {id}"));
        if h.model
            .detail
            .data
            .data()
            .is_some_and(|d| d.had_hidden_controls)
        {
            flagged += 1;
            assert!(
                top.contains("hidden terminal control"),
                "the agent is told: {top}"
            );
        }
        h.key(KeyCode::Char('G')).await;
        let bottom = h.screen(160, 48);
        assert_clean(&bottom, &format!("end of detail of {id}"));
        h.key(KeyCode::Esc).await;
    }
    // OSC 0 title, OSC 52 body, CSI 2J body, bidi comment, OSC 8 link: five carry controls.
    assert_eq!(flagged, 5, "hostile requests flagged");
    // An ordinary request is not flagged.
    let plain = h.model.requests.rows.iter().position(|r| {
        !sim.dataset()
            .hostile_ids
            .iter()
            .any(|id| id.to_string() == r.0)
    });
    h.model.requests.cursor = plain.expect("an ordinary request");
    h.key(KeyCode::Enter).await;
    assert!(
        !h.model
            .detail
            .data
            .data()
            .expect("loaded")
            .had_hidden_controls
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hostile_ticket_text_never_reaches_the_screen_raw() {
    let sim = SimHandle::start(SimOptions::default()).await.unwrap();
    let mut h = Harness::new(&sim).await;
    h.send(Msg::Start);
    h.settle().await;
    for ticket in h.model.tickets.values() {
        let title = ticket.title.as_str();
        assert!(
            !title.chars().any(|c| c.is_control()),
            "control character in {title:?}"
        );
        assert!(!title.contains("]0;"), "escape residue in {title:?}");
        assert!(
            !title.contains('\u{202e}') && !title.contains('\u{200b}'),
            "invisible in {title:?}"
        );
    }
}
