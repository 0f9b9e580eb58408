//! The knowledge base, the model's side: what the agent searches for and what came back, the
//! category tree, a category's articles, and the article being read, for one profile at a time.
//!
//! Search as you type: each change to the words sets [`Timer::KbSearch`] ([`DEBOUNCE`]); when
//! typing pauses the words go out. Latest wins: every search gets a new request id and only the
//! answer to the newest one is taken, so a slow answer to older words never replaces the answer
//! to newer ones (the list shown stays until the newer answer is in).
//!
//! From the reply composer (`ctrl-k`) the pane opens over the reply; the chosen article's link,
//! or lines of it, go into the reply where its cursor was.

use std::sync::Arc;
use std::time::Duration;

use super::model::{Model, NoticeLevel};
use super::msg::{Effect, RequestId, Timer};
use super::remote::Remote;
use crate::domain::{
    KbArticle, KbCategory, KbHit, KbQuery, KbSummary, Page, ProfileId, SafeText, category_path,
};
use crate::provider::{Call, KbAnswer, KbCall, ProviderResult};

/// How long typing may pause before the words are searched.
pub const DEBOUNCE: Duration = Duration::from_millis(250);
/// How many results a search asks for.
pub const LIMIT: usize = 30;
/// The most articles of one category read (page after page) before the list stops growing.
pub const CATEGORY_MAX: usize = 2_000;

/// The knowledge base as the console last read it.
#[derive(Debug, Clone, Default)]
pub struct Kb {
    /// The profile searched; `None` until the pane first opens.
    pub profile: Option<ProfileId>,
    /// The words typed.
    pub query: String,
    /// The words of the newest search sent (to not send the same twice).
    searched: Option<String>,
    pub hits: Remote<Arc<Vec<KbHit>>>,
    pub categories: Remote<Arc<Vec<KbCategory>>>,
    /// The category being browsed, with its articles.
    pub category: Option<(String, Remote<Arc<Vec<KbSummary>>>)>,
    /// The category read under way is a next page: its articles go after those shown.
    category_more: bool,
    /// The article being read.
    pub article: Option<(String, Remote<Arc<KbArticle>>)>,
}

impl Kb {
    /// The words a search was last sent for, when it is the one shown or loading.
    pub fn searched(&self) -> Option<&str> {
        self.searched.as_deref()
    }

    /// "Hardware › Printers" for a category id.
    pub fn path(&self, category: Option<&str>) -> String {
        let (Some(id), Some(tree)) = (category, self.categories.data()) else {
            return String::new();
        };
        category_path(tree, id)
            .iter()
            .map(SafeText::as_str)
            .collect::<Vec<_>>()
            .join(" › ")
    }
}

/// The profile the pane searches when opened from where the agent is: the open request's, else
/// the first that has a knowledge base.
pub fn profile_for(m: &Model) -> Option<ProfileId> {
    let has_kb = |p: ProfileId| {
        m.session(p)
            .is_some_and(|s| s.capabilities.is_none_or(|c| c.kb))
    };
    m.detail
        .open
        .as_ref()
        .map(|k| k.profile)
        .filter(|p| has_kb(*p))
        .or_else(|| m.sessions.iter().map(|s| s.id).find(|p| has_kb(*p)))
}

/// Points the knowledge base at `profile` (forgetting another profile's results) and reads its
/// categories if they are not there yet.
pub fn attach(m: &mut Model, profile: ProfileId) -> Vec<Effect> {
    if m.kb.profile != Some(profile) {
        m.kb = Kb {
            profile: Some(profile),
            ..Kb::default()
        };
    }
    if m.kb.categories.data().is_some() || m.kb.categories.is_loading() {
        return Vec::new();
    }
    let id = m.next_request_id();
    m.kb.categories.start(id);
    vec![call(profile, id, KbCall::Categories)]
}

fn call(profile: ProfileId, id: RequestId, call: KbCall) -> Effect {
    Effect::Call {
        profile,
        id,
        call: Call::Kb(call),
    }
}

/// The words changed: search when typing pauses.
pub fn typed(m: &mut Model) -> Vec<Effect> {
    if m.kb.query.trim().is_empty() {
        // Nothing to look for: the list empties now, and no answer to older words is taken.
        m.kb.searched = None;
        m.kb.hits = Remote::NotAsked;
        return vec![Effect::CancelTimer(Timer::KbSearch)];
    }
    vec![Effect::SetTimer {
        timer: Timer::KbSearch,
        after: DEBOUNCE,
    }]
}

/// `Timer::KbSearch`, or Enter before it: the words as they are now go out, unless they are
/// the ones already searched.
pub fn search(m: &mut Model) -> Vec<Effect> {
    let Some(profile) = m.kb.profile else {
        return Vec::new();
    };
    let words = m.kb.query.trim().to_string();
    if words.is_empty() || m.kb.searched.as_deref() == Some(words.as_str()) {
        return Vec::new();
    }
    let id = m.next_request_id();
    m.kb.searched = Some(words.clone());
    m.kb.hits.start(id);
    vec![
        Effect::CancelTimer(Timer::KbSearch),
        call(
            profile,
            id,
            KbCall::Search(KbQuery {
                words,
                min_score: m.settings.kb_min_score,
                limit: LIMIT,
            }),
        ),
    ]
}

/// `r`: the same words again, even though they were searched.
pub fn search_again(m: &mut Model) -> Vec<Effect> {
    m.kb.searched = None;
    search(m)
}

/// Reads the articles of category `id`.
pub fn browse(m: &mut Model, category: &str) -> Vec<Effect> {
    let Some(profile) = m.kb.profile else {
        return Vec::new();
    };
    let id = m.next_request_id();
    let mut remote = match m.kb.category.take() {
        Some((shown, remote)) if shown == category => remote,
        _ => Remote::NotAsked,
    };
    remote.start(id);
    m.kb.category = Some((category.to_string(), remote));
    m.kb.category_more = false;
    vec![call(
        profile,
        id,
        KbCall::Category {
            id: category.to_string(),
            cursor: None,
        },
    )]
}

/// A page of the category browsed came in: shown at once, after the pages before it, and the
/// next one asked for until the last (or [`CATEGORY_MAX`] articles).
fn category_page(
    m: &mut Model,
    p: ProfileId,
    id: RequestId,
    result: ProviderResult<Page<KbSummary>>,
) -> Vec<Effect> {
    let now = m.now;
    let more = m.kb.category_more;
    let Some((category, remote)) = m.kb.category.as_mut() else {
        return Vec::new();
    };
    if !remote.waits_for(id) {
        return Vec::new();
    }
    let page = match result {
        Ok(page) => page,
        Err(e) => {
            remote.finish(id, Err(e), now);
            return Vec::new();
        }
    };
    let mut items = if more {
        remote.data().map(|d| (**d).clone()).unwrap_or_default()
    } else {
        Vec::new()
    };
    items.extend(page.items);
    let full = items.len() >= CATEGORY_MAX;
    remote.finish(id, Ok(Arc::new(items)), now);
    let (Some(next), false) = (page.next, full) else {
        return Vec::new();
    };
    let category = category.clone();
    let next_id = m.next_request_id();
    if let Some((_, remote)) = m.kb.category.as_mut() {
        remote.start(next_id);
    }
    m.kb.category_more = true;
    vec![call(
        p,
        next_id,
        KbCall::Category {
            id: category,
            cursor: Some(next),
        },
    )]
}

/// Reads article `id` to show it.
pub fn read(m: &mut Model, article: &str) -> Vec<Effect> {
    let Some(profile) = m.kb.profile else {
        return Vec::new();
    };
    let id = m.next_request_id();
    let mut remote = match m.kb.article.take() {
        Some((shown, remote)) if shown == article => remote,
        _ => Remote::NotAsked,
    };
    remote.start(id);
    m.kb.article = Some((article.to_string(), remote));
    vec![call(
        profile,
        id,
        KbCall::Article {
            id: article.to_string(),
        },
    )]
}

/// An answer to one of the reads above; answers to anything but the newest read are dropped.
pub fn answered(m: &mut Model, p: ProfileId, id: RequestId, answer: KbAnswer) -> Vec<Effect> {
    if m.kb.profile != Some(p) {
        return Vec::new();
    }
    let now = m.now;
    let kb = &mut m.kb;
    match answer {
        KbAnswer::Search(result) => {
            kb.hits.finish(id, result.map(Arc::new), now);
        }
        KbAnswer::Categories(result) => {
            kb.categories.finish(id, result.map(Arc::new), now);
        }
        KbAnswer::Category(result) => return category_page(m, p, id, result),
        KbAnswer::Article(result) => {
            if let Some((shown, remote)) = kb.article.as_mut() {
                let missing = || {
                    crate::provider::ProviderError::NotFound(SafeText::ours(format!(
                        "article {shown}"
                    )))
                };
                let result = result.and_then(|a| a.map(Arc::new).ok_or_else(missing));
                remote.finish(id, result, now);
            }
        }
    }
    Vec::new()
}

/// What goes into a reply for an article: its title and web address, or, where the server
/// gives none, its title and number so the customer can find it.
pub fn link_text(summary: &KbSummary) -> (String, bool) {
    match &summary.url {
        Some(url) => (format!("“{}”: {url}", summary.title), true),
        None => (
            format!("knowledge-base article {}: “{}”", summary.id, summary.title),
            false,
        ),
    }
}

/// Lines of an article as a quotation for a reply, with where they come from.
pub fn excerpt_text(summary: &KbSummary, lines: &[&str]) -> String {
    let mut out: Vec<String> = lines
        .iter()
        .map(|l| {
            if l.trim().is_empty() {
                ">".to_string()
            } else {
                format!("> {l}")
            }
        })
        .collect();
    out.push(format!("(from {})", link_text(summary).0));
    out.join("\n")
}

/// Tells the agent that an article has no web address on this server (said once per insert).
pub fn say_no_address(m: &mut Model) {
    m.notify(
        NoticeLevel::Info,
        "the server gives no web address for this article: its title and number went in",
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    fn summary(url: Option<&str>) -> KbSummary {
        KbSummary {
            id: "42".into(),
            title: SafeText::line("Reset your VPN token"),
            category: None,
            views: None,
            rating: None,
            updated_at: None,
            url: url.map(str::to_string),
        }
    }

    #[test]
    fn a_link_names_the_article_and_its_address_or_its_number() {
        assert_eq!(
            link_text(&summary(Some("https://kb.example/42"))).0,
            "“Reset your VPN token”: https://kb.example/42"
        );
        assert_eq!(
            link_text(&summary(None)),
            (
                "knowledge-base article 42: “Reset your VPN token”".to_string(),
                false
            )
        );
    }

    #[test]
    fn an_excerpt_is_quoted_with_its_source() {
        let text = excerpt_text(&summary(None), &["Open the portal.", "", "Click Reset."]);
        assert_eq!(
            text,
            "> Open the portal.\n>\n> Click Reset.\n(from knowledge-base article 42: “Reset your VPN token”)"
        );
    }
}
