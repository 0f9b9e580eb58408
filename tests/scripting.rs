//! The scripting commands as a script runs them: the real binary, a configuration pointing at the
//! simulator, no terminal. Each command in each output format, each exit code, and writes that go
//! through the outbox: confirmed, left pending with the server down, retried, discarded, refused.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod harness;

use std::process::Output;

use harness::agent_login;
use harness::bin::{run_with, text, write_config};
use serde_json::Value;
use tempfile::TempDir;
use ttydesk::sim::{Fault, FaultKind, SimHandle, SimOptions};

const TOKEN_ENV: &str = "TTYDESK_SCRIPT_TOKEN";

struct Script {
    sim: SimHandle,
    dir: TempDir,
    config: String,
    token: String,
    agent: String,
}

impl Script {
    async fn new() -> Script {
        let sim = SimHandle::start(SimOptions::default()).await.unwrap();
        let dir = tempfile::tempdir().unwrap();
        let agent = agent_login(&sim);
        let config = format!(
            "[profiles.it]\nprovider = \"invgate\"\nbase_url = \"{}\"\nusername = \"{}\"\n\
             token_env = \"{TOKEN_ENV}\"\nagent = \"{agent}\"\n",
            sim.base_url(),
            sim.username()
        );
        let config = write_config(&dir, &config).to_str().unwrap().to_string();
        let token = sim.password().to_string();
        Script {
            sim,
            dir,
            config,
            token,
            agent,
        }
    }

    async fn run(&self, args: &[&str]) -> Output {
        self.run_in(args, None).await
    }

    async fn run_in(&self, args: &[&str], stdin: Option<&str>) -> Output {
        let mut all = vec!["--config", self.config.as_str()];
        all.extend_from_slice(args);
        run_with(&self.dir, &all, &[(TOKEN_ENV, self.token.as_str())], stdin).await
    }

    fn agent_id(&self) -> u64 {
        self.sim
            .dataset()
            .users
            .iter()
            .find(|u| u.username == self.agent)
            .map(|u| u.id)
            .unwrap()
    }

    /// An open request that is not one of the simulator's hostile ones.
    fn open_request(&self) -> ttydesk::sim::Request {
        let data = self.sim.dataset();
        data.open_requests()
            .find(|r| !data.hostile_ids.contains(&r.id) && !r.comments.is_empty())
            .cloned()
            .unwrap()
    }
}

fn json(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}\n{}", text(&out.stdout), text(&out.stderr)))
}

fn error_json(out: &Output) -> Value {
    serde_json::from_slice(&out.stderr).unwrap_or_else(|e| panic!("{e}: {}", text(&out.stderr)))
}

fn code(out: &Output) -> i32 {
    out.status.code().unwrap_or(-1)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ls_lists_open_requests_as_json_plain_lines_and_a_table() {
    let s = Script::new().await;
    let out = s.run(&["ls", "--limit", "5", "--json"]).await;
    assert_eq!(code(&out), 0, "{}", text(&out.stderr));
    let v = json(&out);
    assert_eq!(v["profile"], "it");
    let requests = v["requests"].as_array().unwrap();
    assert_eq!(requests.len(), 5);
    assert_eq!(
        v["truncated"], true,
        "the simulator has more than 5 open requests"
    );
    let data = s.sim.dataset();
    let ids: Vec<&str> = requests.iter().map(|r| r["id"].as_str().unwrap()).collect();
    for r in requests {
        let id: u64 = r["id"].as_str().unwrap().parse().unwrap();
        let served = data.request(id).unwrap();
        assert!(data.open_status_ids.contains(&served.status_id), "{r}");
        assert_ne!(r["status"]["kind"], "closed");
    }

    let plain = text(&s.run(&["ls", "--limit", "5", "--plain"]).await.stdout);
    let lines: Vec<&str> = plain.lines().collect();
    assert_eq!(lines.len(), 5, "{plain}");
    for (line, id) in lines.iter().zip(&ids) {
        let cells: Vec<&str> = line.split('\t').collect();
        assert_eq!(cells.len(), 7, "{line}");
        assert_eq!(cells[0], *id, "the first column is the id `show` takes");
    }
    // Into a pipe without a flag: the plain lines.
    assert_eq!(text(&s.run(&["ls", "--limit", "5"]).await.stdout), plain);

    let table = text(&s.run(&["ls", "--limit", "5", "--table"]).await.stdout);
    let rows: Vec<&str> = table.lines().collect();
    assert_eq!(rows.len(), 6, "{table}");
    assert!(rows[0].starts_with("ID  "), "{table}");
    assert!(rows[0].contains("TITLE"), "{table}");
    assert!(rows[1].starts_with(ids[0]), "{table}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ls_narrows_to_mine_a_status_a_desk_and_a_filter() {
    let s = Script::new().await;
    let me = s.agent_id();
    let mine = json(
        &s.run(&["ls", "--mine", "--limit", "100000", "--json"])
            .await,
    );
    let mine = mine["requests"].as_array().unwrap().clone();
    let expected = s
        .sim
        .dataset()
        .open_requests()
        .filter(|r| r.assigned_id == Some(me))
        .count();
    assert!(expected > 0);
    assert_eq!(mine.len(), expected);
    assert!(
        mine.iter()
            .all(|r| r["agent"]["id"].as_str() == Some(me.to_string().as_str()))
    );

    let new = json(
        &s.run(&["ls", "--status", "new", "--limit", "100000", "--json"])
            .await,
    );
    let new = new["requests"].as_array().unwrap().clone();
    assert!(!new.is_empty());
    assert!(
        new.iter().all(|r| r["status"]["name"] == "New"),
        "any case of a name"
    );

    let data = s.sim.dataset();
    let desk = data
        .helpdesks
        .iter()
        .find(|d| d.parent_id.is_none() && !d.deleted)
        .unwrap();
    let listed = json(
        &s.run(&["ls", "--desk", &desk.name, "--limit", "100000", "--json"])
            .await,
    );
    let listed = listed["requests"].as_array().unwrap().clone();
    assert!(!listed.is_empty());
    for r in &listed {
        let name = r["desk"]["name"].as_str().unwrap();
        assert!(name.starts_with(&desk.name), "{name} is in {}", desk.name);
    }

    let target = s.open_request();
    let word = target
        .title
        .split_whitespace()
        .max_by_key(|w| w.len())
        .unwrap()
        .to_string();
    let found = json(
        &s.run(&["ls", "--filter", &word, "--limit", "100000", "--json"])
            .await,
    );
    let found = found["requests"].as_array().unwrap().clone();
    assert!(
        found
            .iter()
            .any(|r| r["id"].as_str() == Some(target.id.to_string().as_str())),
        "{word}"
    );
    assert!(
        found.len() < data.open_requests().count(),
        "the filter narrows"
    );

    let unknown = s.run(&["ls", "--desk", "No Such Desk", "--json"]).await;
    assert_eq!(code(&unknown), 4);
    assert_eq!(error_json(&unknown)["error"]["kind"], "not_found");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn show_prints_a_request_with_its_thread_and_an_unknown_id_exits_4() {
    let s = Script::new().await;
    let r = s.open_request();
    let id = r.id.to_string();
    let out = s.run(&["show", &id, "--json"]).await;
    assert_eq!(code(&out), 0, "{}", text(&out.stderr));
    let v = json(&out);
    assert_eq!(v["request"]["id"], id);
    assert_eq!(v["request"]["title"], r.title.as_str());
    assert_eq!(v["comments"].as_array().unwrap().len(), r.comments.len());
    assert!(v["custom_fields"].is_array() && v["approvals"].is_array());

    let plain = text(&s.run(&["show", &format!("#{id}"), "--plain"]).await.stdout);
    assert!(plain.contains(&format!("title\t{}\n", r.title)), "{plain}");
    let comments = plain.lines().filter(|l| l.starts_with("comment\t")).count();
    assert_eq!(comments, r.comments.len(), "one line per comment:\n{plain}");

    let table = text(&s.run(&["show", &id, "--table"]).await.stdout);
    assert!(table.contains("── Description ──"), "{table}");
    assert!(
        table.contains(&format!("── Comments ({}) ──", r.comments.len())),
        "{table}"
    );

    let missing = s.run(&["show", "987654", "--json"]).await;
    assert_eq!(code(&missing), 4, "{}", text(&missing.stderr));
    let e = error_json(&missing);
    assert_eq!(e["error"]["code"], 4);
    assert_eq!(e["error"]["kind"], "not_found");
    assert!(missing.stdout.is_empty());
    let missing = s.run(&["show", "987654"]).await;
    assert_eq!(code(&missing), 4);
    assert!(
        text(&missing.stderr).starts_with("ttydesk: "),
        "{}",
        text(&missing.stderr)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_comment_from_standard_input_reaches_the_server_once() {
    let s = Script::new().await;
    let r = s.open_request();
    let id = r.id.to_string();
    let body = "Rebooted the print server; please try again.";
    let out = s.run_in(&["comment", &id, "--json"], Some(body)).await;
    assert_eq!(code(&out), 0, "{}", text(&out.stderr));
    let v = json(&out);
    assert_eq!(v["state"], "sent");
    assert!(!v["outbox_id"].as_str().unwrap().is_empty());
    let served = s.sim.dataset().request(r.id).unwrap().clone();
    let sent: Vec<_> = served
        .comments
        .iter()
        .filter(|c| c.message.contains("Rebooted the print server"))
        .collect();
    assert_eq!(sent.len(), 1);
    assert!(sent[0].customer_visible);

    let out = s
        .run(&[
            "comment",
            &id,
            "--body",
            "Checked the logs.",
            "--internal",
            "--plain",
        ])
        .await;
    assert_eq!(code(&out), 0, "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).ends_with("\tsent\n"),
        "{}",
        text(&out.stdout)
    );
    let served = s.sim.dataset().request(r.id).unwrap().clone();
    let note = served
        .comments
        .iter()
        .find(|c| c.message.contains("Checked the logs."))
        .unwrap();
    assert!(!note.customer_visible, "an internal note stays internal");

    let empty = s.run_in(&["comment", &id], Some("  \n")).await;
    assert_eq!(code(&empty), 2, "an empty reply is a usage error");
    assert!(
        text(&empty.stderr).contains("empty"),
        "{}",
        text(&empty.stderr)
    );
    let outbox = json(&s.run(&["outbox", "ls", "--json"]).await);
    assert_eq!(outbox["entries"].as_array().unwrap().len(), 0, "{outbox}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_write_with_the_server_down_exits_6_and_a_retry_delivers_it() {
    let s = Script::new().await;
    let r = s.open_request();
    let id = r.id.to_string();
    // Once online: the catalog and the agent are saved for later.
    assert_eq!(code(&s.run(&["ls", "--mine", "--limit", "1"]).await), 0);
    s.sim.set_refusing(true);
    let out = s
        .run(&["comment", &id, "--body", "Written on the train.", "--json"])
        .await;
    assert_eq!(code(&out), 6, "{}", text(&out.stderr));
    let v = json(&out);
    assert_eq!(v["state"], "pending");
    assert!(v["error"].as_str().is_some());
    let outbox_id = v["outbox_id"].as_str().unwrap().to_string();
    let listed = json(&s.run(&["outbox", "ls", "--json"]).await);
    let entries = listed["entries"].as_array().unwrap();
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0]["id"], outbox_id.as_str());
    assert_eq!(entries[0]["what"], "public reply");
    let plain = text(&s.run(&["outbox", "ls", "--plain"]).await.stdout);
    assert!(plain.starts_with(&format!("{outbox_id}\tit\t")), "{plain}");

    s.sim.set_refusing(false);
    let out = s.run(&["outbox", "retry", &outbox_id, "--json"]).await;
    assert_eq!(code(&out), 0, "{}", text(&out.stderr));
    assert_eq!(json(&out)["state"], "sent");
    let served = s.sim.dataset().request(r.id).unwrap().clone();
    let copies = served
        .comments
        .iter()
        .filter(|c| c.message.contains("Written on the train."))
        .count();
    assert_eq!(copies, 1);
    let listed = json(&s.run(&["outbox", "ls", "--json"]).await);
    assert_eq!(listed["entries"].as_array().unwrap().len(), 0);
    let unknown = s.run(&["outbox", "retry", &outbox_id]).await;
    assert_eq!(code(&unknown), 4);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_wait_leaves_the_write_queued_and_discard_gives_it_up() {
    let s = Script::new().await;
    let id = s.open_request().id.to_string();
    let out = s
        .run(&[
            "comment",
            &id,
            "--body",
            "Never mind.",
            "--no-wait",
            "--plain",
        ])
        .await;
    assert_eq!(code(&out), 6, "{}", text(&out.stderr));
    let line = text(&out.stdout);
    let (outbox_id, state) = line.trim_end().split_once('\t').unwrap();
    assert_eq!(state, "pending");
    let out = s.run(&["outbox", "discard", outbox_id, "--json"]).await;
    assert_eq!(code(&out), 0, "{}", text(&out.stderr));
    assert_eq!(json(&out)["state"], "discarded");
    assert_eq!(text(&s.run(&["outbox", "ls", "--plain"]).await.stdout), "");
    let served = s
        .sim
        .dataset()
        .request(id.parse().unwrap())
        .unwrap()
        .clone();
    assert!(
        !served
            .comments
            .iter()
            .any(|c| c.message.contains("Never mind."))
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_write_exits_1_naming_its_outbox_entry() {
    let s = Script::new().await;
    let id = s.open_request().id.to_string();
    s.sim.inject(Fault {
        endpoint: Some("incident.comment".into()),
        kind: FaultKind::LogicalError("The request is closed.".into()),
        // The request's comments are read first (its title for the outbox); the reply next.
        times: 2,
    });
    let out = s.run(&["comment", &id, "--body", "Hello", "--json"]).await;
    assert_eq!(code(&out), 1, "{}", text(&out.stderr));
    let e = error_json(&out);
    assert_eq!(e["error"]["kind"], "error");
    assert!(
        e["error"]["message"]
            .as_str()
            .unwrap()
            .contains("The request is closed."),
        "{e}"
    );
    let outbox_id = e["error"]["outbox_id"].as_str().unwrap();
    let listed = json(&s.run(&["outbox", "ls", "--json"]).await);
    assert_eq!(listed["entries"][0]["id"], outbox_id);
    assert_eq!(listed["entries"][0]["state"], "failed");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn exit_codes_say_auth_rate_limit_and_usage() {
    let mut s = Script::new().await;
    s.sim.inject(Fault {
        endpoint: Some("incidents.by.status".into()),
        kind: FaultKind::RateLimit {
            retry_after_secs: 30,
        },
        times: 1,
    });
    let limited = s.run(&["ls", "--json"]).await;
    assert_eq!(code(&limited), 5, "{}", text(&limited.stderr));
    assert_eq!(error_json(&limited)["error"]["kind"], "rate_limited");

    let usage = s.run(&["--profile", "nope", "ls"]).await;
    assert_eq!(code(&usage), 2);
    assert!(text(&usage.stderr).contains("no profile named `nope`"));
    let usage = s.run(&["status", "1", "cancel"]).await;
    assert_eq!(code(&usage), 2);
    assert!(
        text(&usage.stderr).contains("--comment"),
        "{}",
        text(&usage.stderr)
    );

    let wrong_agent = std::fs::read_to_string(&s.config).unwrap().replace(
        &format!("agent = \"{}\"", s.agent),
        "agent = \"nobody-here\"",
    );
    std::fs::write(&s.config, wrong_agent).unwrap();
    let unknown = s.run(&["ls", "--mine"]).await;
    assert_eq!(code(&unknown), 2, "{}", text(&unknown.stderr));
    assert!(text(&unknown.stderr).contains("agent = \"nobody-here\" is not a user"));

    s.token = "revoked-token-0000".into();
    let revoked = s.run(&["ls", "--json"]).await;
    assert_eq!(code(&revoked), 3, "{}", text(&revoked.stderr));
    assert_eq!(error_json(&revoked)["error"]["kind"], "auth");
    assert!(!text(&revoked.stderr).contains("revoked-token-0000"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn assign_status_and_votes_reach_the_server() {
    let s = Script::new().await;
    let r = s.open_request();
    let id = r.id.to_string();
    let data = s.sim.dataset();
    let desk = data
        .helpdesks
        .iter()
        .find(|d| !d.deleted && d.id != r.assigned_group_id && d.parent_id.is_none())
        .unwrap();
    let out = s
        .run(&["assign", &id, "--desk", &desk.id.to_string(), "--json"])
        .await;
    assert_eq!(code(&out), 0, "{}", text(&out.stderr));
    assert_eq!(json(&out)["state"], "sent");
    assert_eq!(
        s.sim.dataset().request(r.id).unwrap().assigned_group_id,
        desk.id
    );

    let out = s.run(&["status", &id, "waiting-customer", "--table"]).await;
    assert_eq!(code(&out), 0, "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).starts_with("sent: "),
        "{}",
        text(&out.stdout)
    );
    let after = s.sim.dataset().request(r.id).unwrap().status_id;
    assert_ne!(after, r.status_id, "the status changed on the server");

    let me = s.agent_id();
    let waiting: Vec<(u64, u64)> = s
        .sim
        .dataset()
        .open_requests()
        .flat_map(|q| {
            q.approvals
                .iter()
                .filter(|a| {
                    a.status == -1 && a.voters.iter().any(|v| v.user_id == me && v.status == -1)
                })
                .map(move |a| (q.id, a.id))
        })
        .collect();
    let (request, approval) = *waiting.first().expect("an approval waits for the agent");
    let out = s
        .run(&[
            "approve",
            &approval.to_string(),
            "--note",
            "fine by me",
            "--json",
        ])
        .await;
    assert_eq!(code(&out), 0, "{}", text(&out.stderr));
    let served = s.sim.dataset().request(request).unwrap().clone();
    let vote = served
        .approvals
        .iter()
        .find(|a| a.id == approval)
        .and_then(|a| a.voters.iter().find(|v| v.user_id == me))
        .unwrap()
        .clone();
    assert_eq!(vote.status, 1, "approved on the server");

    let none = s
        .run(&["reject", "424242", "--request", &id, "--note", "no"])
        .await;
    assert_eq!(code(&none), 4, "{}", text(&none.stderr));
    let again = s
        .run(&[
            "approve",
            &approval.to_string(),
            "--request",
            &request.to_string(),
        ])
        .await;
    assert_eq!(code(&again), 2, "a decided vote is not made twice");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn news_and_the_knowledge_base() {
    let s = Script::new().await;
    let desk = s
        .sim
        .dataset()
        .helpdesks
        .iter()
        .find(|d| !d.deleted && d.parent_id.is_none())
        .unwrap()
        .clone();
    let out = s
        .run(&[
            "news",
            "create",
            "--title",
            "Mail is down",
            "--body",
            "Exchange is not answering.",
            "--importance",
            "high",
            "--desk",
            &desk.name,
            "--json",
        ])
        .await;
    assert_eq!(code(&out), 0, "{}", text(&out.stderr));
    assert_eq!(json(&out)["state"], "sent");
    let listed = json(&s.run(&["news", "ls", "--json"]).await);
    let item = listed["news"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["title"] == "Mail is down")
        .cloned()
        .expect("the new item is listed");
    assert_eq!(item["importance"], "high");
    assert_eq!(item["open"], true);
    let news_id = item["id"].as_str().unwrap().to_string();
    let plain = text(&s.run(&["news", "ls", "--plain"]).await.stdout);
    assert!(
        plain
            .lines()
            .any(|l| l.starts_with(&format!("{news_id}\thigh\topen\t"))),
        "{plain}"
    );

    let out = s
        .run_in(
            &["news", "close", &news_id, "--json"],
            Some("Mail flows again."),
        )
        .await;
    assert_eq!(code(&out), 0, "{}", text(&out.stderr));
    // A write left in the outbox names the item by its title, read from the server.
    let out = s
        .run_in(
            &["news", "update", &news_id, "--no-wait", "--json"],
            Some("Still down."),
        )
        .await;
    assert_eq!(code(&out), 6, "{}", text(&out.stderr));
    let pending = json(&out)["outbox_id"].as_str().unwrap().to_string();
    let listed = json(&s.run(&["outbox", "ls", "--json"]).await);
    let entry = &listed["entries"].as_array().unwrap()[0];
    assert_eq!(
        entry["title"],
        format!("news {news_id} Mail is down").as_str(),
        "{listed}"
    );
    assert_eq!(
        code(&s.run(&["outbox", "discard", &pending, "--json"]).await),
        0
    );
    let out = s
        .run_in(&["news", "update", "987654", "--json"], Some("x"))
        .await;
    assert_eq!(code(&out), 4, "an unknown item: {}", text(&out.stderr));
    let open = json(&s.run(&["news", "ls", "--json"]).await);
    assert!(
        !open["news"]
            .as_array()
            .unwrap()
            .iter()
            .any(|n| n["id"] == news_id.as_str())
    );
    let all = json(&s.run(&["news", "ls", "--all", "--json"]).await);
    assert!(
        all["news"]
            .as_array()
            .unwrap()
            .iter()
            .any(|n| n["id"] == news_id.as_str() && n["open"] == false)
    );

    let article = s.sim.dataset().articles.first().unwrap().clone();
    let word = article
        .title
        .split_whitespace()
        .max_by_key(|w| w.len())
        .unwrap()
        .to_string();
    let out = s.run(&["kb", "search", &word, "--json"]).await;
    assert_eq!(code(&out), 0, "{}", text(&out.stderr));
    let hits = json(&out)["articles"].as_array().unwrap().clone();
    assert!(
        hits.iter()
            .any(|h| h["id"].as_str() == Some(article.id.to_string().as_str())),
        "{word}: {hits:?}"
    );
    let table = text(&s.run(&["kb", "search", &word, "--table"]).await.stdout);
    assert!(table.starts_with("ID  "), "{table}");
}

#[tokio::test]
async fn completions_and_the_manual_page_come_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    for shell in ["bash", "zsh", "fish"] {
        let out = harness::bin::run(&dir, &["completions", shell], &[]).await;
        assert_eq!(code(&out), 0);
        let script = text(&out.stdout);
        assert!(script.contains("ttydesk"), "{shell}");
        assert!(
            script.contains("outbox"),
            "{shell}: the scripting commands complete"
        );
    }
    let man = harness::bin::run(&dir, &["man"], &[]).await;
    assert_eq!(code(&man), 0);
    let page = text(&man.stdout);
    assert!(
        page.starts_with(".ie") || page.contains(".TH ttydesk"),
        "{page}"
    );
    assert!(page.contains("comment"), "{page}");
}
