//! [`Listing`]: one profile's open requests in listing order, as pages arrive. A first listing is
//! shown page by page; a refresh keeps the complete listing on screen and swaps in the new one
//! when its last page is in, so a refresh never shrinks or blanks the list. Pages that overlap
//! (items shifting between pages while they are read) never list a request twice.

use std::collections::HashSet;

use chrono::{DateTime, Utc};

use super::msg::RequestId;
use crate::domain::TicketId;
use crate::provider::ProviderError;

/// A listing ends after this many pages even if the server keeps offering more.
const MAX_PAGES: usize = 10_000;

#[derive(Debug, Clone, Default)]
pub struct Listing {
    /// What is shown, in listing order.
    ids: Vec<TicketId>,
    /// `ids` is a whole listing, not its first pages.
    complete: bool,
    /// How many the server said the listing holds.
    total: Option<u64>,
    /// When the shown ids were saved, if they came from the store rather than this run.
    saved_at: Option<DateTime<Utc>>,
    /// The listing being read now.
    pending: Option<Pending>,
    /// Why the last listing stopped short.
    error: Option<ProviderError>,
    /// Bumped whenever `ids` changes, so views built from them know to rebuild.
    version: u64,
    /// Requests of the shown listing the server sent but that could not be read.
    unreadable: u64,
}

#[derive(Debug, Clone)]
struct Pending {
    request: RequestId,
    ids: Vec<TicketId>,
    seen: HashSet<TicketId>,
    pages: usize,
    /// Pages are shown as they arrive (nothing complete was on screen).
    progressive: bool,
    /// Requests of these pages that could not be read.
    unreadable: u64,
}

/// What to do after a page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Progress {
    /// Ask for the next page.
    More,
    /// The listing is complete.
    Done,
    /// The answer was for a listing no longer awaited; nothing changed.
    Stale,
}

impl Listing {
    pub fn ids(&self) -> &[TicketId] {
        &self.ids
    }

    /// Requests of the shown listing the server sent but that could not be read (each one
    /// left out, the rest listed).
    pub fn unreadable(&self) -> u64 {
        self.unreadable
    }

    /// Counts `n` unreadable requests in the page answering `request`; call before [`page`].
    ///
    /// [`page`]: Listing::page
    pub fn unreadable_in(&mut self, request: RequestId, n: u64) {
        if let Some(pending) = self.pending.as_mut().filter(|p| p.request == request) {
            pending.unreadable += n;
        }
    }

    pub fn is_complete(&self) -> bool {
        self.complete
    }

    pub fn total(&self) -> Option<u64> {
        self.total
    }

    pub fn saved_at(&self) -> Option<DateTime<Utc>> {
        self.saved_at
    }

    pub fn error(&self) -> Option<&ProviderError> {
        self.error.as_ref()
    }

    pub fn version(&self) -> u64 {
        self.version
    }

    pub fn is_loading(&self) -> bool {
        self.pending.is_some()
    }

    pub fn waits_for(&self, request: RequestId) -> bool {
        self.pending.as_ref().is_some_and(|p| p.request == request)
    }

    /// Requests read so far by the listing under way (0 when none is).
    pub fn reading(&self) -> usize {
        self.pending.as_ref().map_or(0, |p| p.seen.len())
    }

    /// Fresh data from this run is shown (at least a first page).
    pub fn is_fresh(&self) -> bool {
        self.saved_at.is_none() && (self.complete || !self.ids.is_empty())
    }

    /// Starts reading the listing from its first page; a listing under way is forgotten (its
    /// answers will be dropped).
    pub fn start(&mut self, request: RequestId) {
        self.pending = Some(Pending {
            request,
            ids: Vec::new(),
            seen: HashSet::new(),
            pages: 0,
            progressive: !self.complete,
            unreadable: 0,
        });
        self.error = None;
    }

    /// Records the next page of the listing under way, asked for with `next_request` if the
    /// answer is [`Progress::More`].
    pub fn page(
        &mut self,
        request: RequestId,
        items: impl IntoIterator<Item = TicketId>,
        has_more: bool,
        total: Option<u64>,
        next_request: RequestId,
    ) -> Progress {
        let Some(pending) = self.pending.as_mut().filter(|p| p.request == request) else {
            return Progress::Stale;
        };
        pending.pages += 1;
        if pending.progressive && pending.pages == 1 {
            // Shown as it grows, replacing a partial listing saved earlier.
            self.ids.clear();
            self.saved_at = None;
        }
        let target = if pending.progressive {
            &mut self.ids
        } else {
            &mut pending.ids
        };
        let before = target.len();
        for id in items {
            if pending.seen.insert(id.clone()) {
                target.push(id);
            }
        }
        if pending.progressive && (target.len() != before || pending.pages == 1) {
            self.version += 1;
        }
        if total.is_some() {
            self.total = total;
        }
        if pending.progressive {
            self.unreadable = pending.unreadable;
        }
        if has_more && pending.pages < MAX_PAGES {
            pending.request = next_request;
            return Progress::More;
        }
        if let Some(done) = self.pending.take()
            && !done.progressive
        {
            self.ids = done.ids;
            self.unreadable = done.unreadable;
            self.version += 1;
        }
        self.complete = true;
        self.saved_at = None;
        Progress::Done
    }

    /// Records that the listing under way failed; what is shown stays. Returns false for an
    /// answer no longer awaited.
    pub fn fail(&mut self, request: RequestId, error: ProviderError) -> bool {
        if !self.waits_for(request) {
            return false;
        }
        self.pending = None;
        self.error = Some(error);
        true
    }

    /// Shows a (complete) listing saved earlier, unless this run already shows one.
    pub fn restore(
        &mut self,
        ids: Vec<TicketId>,
        total: Option<u64>,
        saved_at: DateTime<Utc>,
    ) -> bool {
        // Fresh pages already read (even an empty first one) are newer than anything saved.
        let reading = self.pending.as_ref().is_some_and(|p| p.pages > 0);
        if !self.ids.is_empty() || self.complete || reading {
            return false;
        }
        self.ids = ids;
        self.complete = true;
        self.total = total;
        self.saved_at = Some(saved_at);
        self.version += 1;
        if let Some(pending) = &mut self.pending {
            // The saved listing is complete: keep it on screen until the new one is.
            pending.progressive = false;
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(list: &[&str]) -> Vec<TicketId> {
        list.iter().map(|s| TicketId::from(*s)).collect()
    }

    fn shown(l: &Listing) -> Vec<&str> {
        l.ids().iter().map(TicketId::as_str).collect()
    }

    #[test]
    fn a_first_listing_shows_pages_as_they_come_and_never_twice() {
        let mut l = Listing::default();
        l.start(RequestId(1));
        let p = l.page(RequestId(1), ids(&["9", "8"]), true, Some(4), RequestId(2));
        assert_eq!(p, Progress::More);
        assert_eq!(shown(&l), ["9", "8"]);
        assert!(!l.is_complete() && l.is_loading());
        // The next page overlaps the first (a request moved up while paging).
        let p = l.page(
            RequestId(2),
            ids(&["8", "7", "6"]),
            false,
            Some(4),
            RequestId(3),
        );
        assert_eq!(p, Progress::Done);
        assert_eq!(shown(&l), ["9", "8", "7", "6"]);
        assert!(l.is_complete() && !l.is_loading() && l.is_fresh());
        assert_eq!(
            l.page(RequestId(2), ids(&["1"]), false, None, RequestId(4)),
            Progress::Stale
        );
    }

    #[test]
    fn a_refresh_keeps_the_old_listing_until_the_new_one_is_complete() {
        let mut l = Listing::default();
        l.start(RequestId(1));
        l.page(RequestId(1), ids(&["9", "8"]), false, None, RequestId(2));
        l.start(RequestId(3));
        l.page(RequestId(3), ids(&["10"]), true, None, RequestId(4));
        assert_eq!(shown(&l), ["9", "8"], "no half listing on screen");
        assert!(!l.fail(RequestId(3), ProviderError::Connect("x".into())));
        assert!(l.fail(RequestId(4), ProviderError::Connect("x".into())));
        assert_eq!(
            shown(&l),
            ["9", "8"],
            "a failed refresh keeps what was shown"
        );
        assert!(l.error().is_some());
        l.start(RequestId(5));
        l.page(RequestId(5), ids(&["10", "9"]), false, None, RequestId(6));
        assert_eq!(shown(&l), ["10", "9"]);
        assert!(l.error().is_none());
    }

    #[test]
    fn a_saved_listing_shows_until_a_fresh_one_replaces_it() {
        let mut l = Listing::default();
        l.start(RequestId(1));
        let at = DateTime::from_timestamp(1_800_000_000, 0).unwrap();
        assert!(l.restore(ids(&["5", "4"]), Some(2), at));
        assert_eq!(l.saved_at(), Some(at));
        assert!(!l.is_fresh());
        l.page(RequestId(1), ids(&["6"]), true, None, RequestId(2));
        assert_eq!(shown(&l), ["5", "4"], "still the saved listing");
        l.page(RequestId(2), ids(&["5"]), false, None, RequestId(3));
        assert_eq!(shown(&l), ["6", "5"]);
        assert_eq!(l.saved_at(), None);
        assert!(!l.restore(ids(&["1"]), None, at), "fresh data stays");
    }
}
