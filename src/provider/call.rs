//! [`Call`]: every provider operation as data, and [`perform`], the one place a call meets the
//! [`Provider`] trait. The app asks for calls through one effect and gets an [`Answer`] back;
//! adding an operation adds a variant here and an arm in `perform`, nowhere else.

use std::sync::Arc;

use super::http::Idempotency;
use super::{Provider, ProviderResult};
use crate::domain::{
    ApprovalTemplate, Catalog, CountScope, Counts, Cursor, KbArticle, KbCategory, KbHit, KbQuery,
    KbSummary, NewsDetail, NewsItem, Page, Person, Probe, QueueQuery, Reconciled, Ticket,
    TicketApprovals, TicketDetail, TicketId, UserId, Write, Written,
};

#[derive(Debug, Clone, PartialEq)]
pub enum Call {
    Probe,
    /// Work in this account (of several the profile reaches) from now on; answered as a
    /// probe of it.
    ChooseAccount {
        id: String,
    },
    /// The catalog; `previous` (the one on screen, fresh or saved) lets the provider revalidate
    /// instead of downloading again.
    Catalog {
        previous: Option<Arc<Catalog>>,
    },
    Counts {
        scope: CountScope,
        catalog: Arc<Catalog>,
    },
    List {
        query: QueueQuery,
        cursor: Option<Cursor>,
        catalog: Arc<Catalog>,
    },
    Detail {
        id: TicketId,
        catalog: Arc<Catalog>,
    },
    /// Who the profile's `agent` is on the server.
    Agent {
        login: String,
    },
    Write {
        write: Write,
        author: UserId,
        catalog: Arc<Catalog>,
    },
    /// Whether a write whose reply was lost was applied.
    Reconcile {
        write: Write,
        author: UserId,
        since: chrono::DateTime<chrono::Utc>,
        catalog: Arc<Catalog>,
    },
    /// The approvals still waiting for votes on these requests, with their voters.
    Approvals {
        tickets: Vec<TicketId>,
        catalog: Arc<Catalog>,
    },
    /// The approval templates a request may be sent through.
    ApprovalTemplates {
        ticket: TicketId,
    },
    /// A knowledge-base read.
    Kb(KbCall),
    /// Every breaking-news item, open and closed.
    News {
        catalog: Arc<Catalog>,
    },
    /// One news item with its timeline.
    NewsDetail {
        id: String,
        catalog: Arc<Catalog>,
    },
    /// One news item's timeline alone (polling for updates).
    NewsTimeline {
        id: String,
        catalog: Arc<Catalog>,
    },
}

impl Call {
    /// Whether performing it twice has the effect of performing it once: every read does,
    /// whatever HTTP method the vendor reads with (Rezolve lists with POST); a write says for
    /// itself. A vendor's client hands this to [`HttpClient::execute`], whose retry rule keys
    /// on it.
    ///
    /// [`HttpClient::execute`]: super::http::HttpClient::execute
    pub fn idempotency(&self) -> Idempotency {
        match self {
            Call::Probe
            | Call::ChooseAccount { .. }
            | Call::Catalog { .. }
            | Call::Counts { .. }
            | Call::List { .. }
            | Call::Detail { .. }
            | Call::Agent { .. }
            | Call::Reconcile { .. }
            | Call::Approvals { .. }
            | Call::ApprovalTemplates { .. }
            | Call::Kb(_)
            | Call::News { .. }
            | Call::NewsDetail { .. }
            | Call::NewsTimeline { .. } => Idempotency::Idempotent,
            Call::Write { write, .. } if write.idempotent() => Idempotency::Idempotent,
            Call::Write { .. } => Idempotency::NotIdempotent,
        }
    }

    /// A short name for logs.
    pub fn name(&self) -> &'static str {
        match self {
            Call::Probe => "probe",
            Call::ChooseAccount { .. } => "choose account",
            Call::Catalog { .. } => "catalog",
            Call::Counts { .. } => "counts",
            Call::List { .. } => "list",
            Call::Detail { .. } => "detail",
            Call::Agent { .. } => "agent",
            Call::Write { .. } => "write",
            Call::Reconcile { .. } => "reconcile",
            Call::Approvals { .. } => "approvals",
            Call::ApprovalTemplates { .. } => "approval templates",
            Call::Kb(kb) => kb.name(),
            Call::News { .. } => "news",
            Call::NewsDetail { .. } => "news detail",
            Call::NewsTimeline { .. } => "news timeline",
        }
    }
}

/// What a call returned, one variant per [`Call`] variant.
#[derive(Debug)]
pub enum Answer {
    Probe(ProviderResult<Probe>),
    Catalog(ProviderResult<Arc<Catalog>>),
    Counts(ProviderResult<Counts>),
    Page(ProviderResult<Page<Ticket>>),
    Detail(ProviderResult<Arc<TicketDetail>>),
    Agent(ProviderResult<Person>),
    Written(ProviderResult<Written>),
    Reconciled(ProviderResult<Reconciled>),
    Approvals(ProviderResult<Vec<TicketApprovals>>),
    ApprovalTemplates(ProviderResult<Vec<ApprovalTemplate>>),
    Kb(KbAnswer),
    News(ProviderResult<Arc<Vec<NewsItem>>>),
    NewsDetail(ProviderResult<Arc<NewsDetail>>),
    NewsTimeline(ProviderResult<Vec<crate::domain::NewsUpdate>>),
}

impl Answer {
    /// What kind of call this answers, in a word ("list", "approvals"): a fault reported about
    /// one kind clears when that kind answers well again.
    pub fn kind(&self) -> &'static str {
        match self {
            Answer::Probe(_) => "probe",
            Answer::Catalog(_) => "catalog",
            Answer::Counts(_) => "counts",
            Answer::Page(_) => "list",
            Answer::Detail(_) => "detail",
            Answer::Agent(_) => "agent",
            Answer::Written(_) => "write",
            Answer::Reconciled(_) => "reconcile",
            Answer::Approvals(_) => "approvals",
            Answer::ApprovalTemplates(_) => "approval templates",
            Answer::Kb(_) => "kb",
            Answer::News(_) => "news",
            Answer::NewsDetail(_) => "news detail",
            Answer::NewsTimeline(_) => "news timeline",
        }
    }

    /// The answer a call gets when it could not run to the end (a panic while reading the
    /// reply, say): the same shape as a normal answer, carrying the error.
    pub fn failed(call: &Call, error: super::ProviderError) -> Answer {
        match call {
            Call::Probe | Call::ChooseAccount { .. } => Answer::Probe(Err(error)),
            Call::Catalog { .. } => Answer::Catalog(Err(error)),
            Call::Counts { .. } => Answer::Counts(Err(error)),
            Call::List { .. } => Answer::Page(Err(error)),
            Call::Detail { .. } => Answer::Detail(Err(error)),
            Call::Agent { .. } => Answer::Agent(Err(error)),
            Call::Write { .. } => Answer::Written(Err(error)),
            Call::Reconcile { .. } => Answer::Reconciled(Err(error)),
            Call::Approvals { .. } => Answer::Approvals(Err(error)),
            Call::ApprovalTemplates { .. } => Answer::ApprovalTemplates(Err(error)),
            Call::Kb(kb) => Answer::Kb(kb.failed(error)),
            Call::News { .. } => Answer::News(Err(error)),
            Call::NewsDetail { .. } => Answer::NewsDetail(Err(error)),
            Call::NewsTimeline { .. } => Answer::NewsTimeline(Err(error)),
        }
    }

    pub fn is_ok(&self) -> bool {
        self.error().is_none()
    }

    pub fn error(&self) -> Option<&super::ProviderError> {
        match self {
            Answer::Probe(r) => r.as_ref().err(),
            Answer::Catalog(r) => r.as_ref().err(),
            Answer::Counts(r) => r.as_ref().err(),
            Answer::Page(r) => r.as_ref().err(),
            Answer::Detail(r) => r.as_ref().err(),
            Answer::Agent(r) => r.as_ref().err(),
            Answer::Written(r) => r.as_ref().err(),
            Answer::Reconciled(r) => r.as_ref().err(),
            Answer::Approvals(r) => r.as_ref().err(),
            Answer::ApprovalTemplates(r) => r.as_ref().err(),
            Answer::Kb(kb) => kb.error(),
            Answer::News(r) => r.as_ref().err(),
            Answer::NewsDetail(r) => r.as_ref().err(),
            Answer::NewsTimeline(r) => r.as_ref().err(),
        }
    }
}

/// Runs `call` against `provider`.
pub async fn perform(provider: &dyn Provider, call: Call) -> Answer {
    match call {
        Call::Probe => Answer::Probe(provider.probe().await),
        Call::ChooseAccount { id } => Answer::Probe(provider.choose_account(id).await),
        Call::Catalog { previous } => Answer::Catalog(
            match previous {
                Some(previous) => provider.revalidate_catalog(previous).await,
                None => provider.catalog().await,
            }
            .map(Arc::new),
        ),
        Call::Counts { scope, catalog } => Answer::Counts(provider.counts(scope, catalog).await),
        Call::List {
            query,
            cursor,
            catalog,
        } => Answer::Page(provider.list(query, cursor, catalog).await),
        Call::Detail { id, catalog } => {
            Answer::Detail(provider.detail(id, catalog).await.map(Arc::new))
        }
        Call::Agent { login } => Answer::Agent(provider.agent(login).await),
        Call::Write {
            write,
            author,
            catalog,
        } => Answer::Written(provider.write(write, author, catalog).await),
        Call::Reconcile {
            write,
            author,
            since,
            catalog,
        } => Answer::Reconciled(provider.reconcile(write, author, since, catalog).await),
        Call::Approvals { tickets, catalog } => {
            Answer::Approvals(provider.pending_approvals(tickets, catalog).await)
        }
        Call::ApprovalTemplates { ticket } => {
            Answer::ApprovalTemplates(provider.approval_templates(ticket).await)
        }
        Call::Kb(kb) => Answer::Kb(kb.perform(provider).await),
        Call::News { catalog } => Answer::News(provider.news(catalog).await.map(Arc::new)),
        Call::NewsDetail { id, catalog } => {
            Answer::NewsDetail(provider.news_detail(id, catalog).await.map(Arc::new))
        }
        Call::NewsTimeline { id, catalog } => {
            Answer::NewsTimeline(provider.news_timeline(id, catalog).await)
        }
    }
}

/// The knowledge-base reads.
#[derive(Debug, Clone, PartialEq)]
pub enum KbCall {
    /// Articles matching the words, best first.
    Search(KbQuery),
    /// The category tree.
    Categories,
    /// One page of a category's articles.
    Category { id: String, cursor: Option<Cursor> },
    /// One article to read.
    Article { id: String },
}

/// What a [`KbCall`] returned.
#[derive(Debug)]
pub enum KbAnswer {
    Search(ProviderResult<Vec<KbHit>>),
    Categories(ProviderResult<Vec<KbCategory>>),
    Category(ProviderResult<Page<KbSummary>>),
    /// `None`: the server does not know the article.
    Article(ProviderResult<Option<KbArticle>>),
}

impl KbCall {
    fn name(&self) -> &'static str {
        match self {
            KbCall::Search(_) => "kb search",
            KbCall::Categories => "kb categories",
            KbCall::Category { .. } => "kb category",
            KbCall::Article { .. } => "kb article",
        }
    }

    fn failed(&self, error: super::ProviderError) -> KbAnswer {
        match self {
            KbCall::Search(_) => KbAnswer::Search(Err(error)),
            KbCall::Categories => KbAnswer::Categories(Err(error)),
            KbCall::Category { .. } => KbAnswer::Category(Err(error)),
            KbCall::Article { .. } => KbAnswer::Article(Err(error)),
        }
    }

    async fn perform(self, provider: &dyn Provider) -> KbAnswer {
        match self {
            KbCall::Search(query) => KbAnswer::Search(provider.kb_search(query).await),
            KbCall::Categories => KbAnswer::Categories(provider.kb_categories().await),
            KbCall::Category { id, cursor } => {
                KbAnswer::Category(provider.kb_category(id, cursor).await)
            }
            KbCall::Article { id } => KbAnswer::Article(
                provider
                    .kb_articles(vec![id.clone()])
                    .await
                    .map(|list| list.into_iter().find(|a| a.summary.id == id)),
            ),
        }
    }
}

impl KbAnswer {
    fn error(&self) -> Option<&super::ProviderError> {
        match self {
            KbAnswer::Search(r) => r.as_ref().err(),
            KbAnswer::Categories(r) => r.as_ref().err(),
            KbAnswer::Category(r) => r.as_ref().err(),
            KbAnswer::Article(r) => r.as_ref().err(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{TicketId, Visibility};

    #[test]
    fn reads_may_be_repeated_and_a_comment_may_not() {
        let catalog = Arc::new(crate::testing::catalog());
        let list = Call::List {
            query: QueueQuery::open(),
            cursor: None,
            catalog: Arc::clone(&catalog),
        };
        assert_eq!(list.idempotency(), Idempotency::Idempotent);
        assert_eq!(Call::Probe.idempotency(), Idempotency::Idempotent);
        let comment = Call::Write {
            write: Write::Comment {
                ticket: TicketId::from("7"),
                body: "Restarted the spooler".into(),
                visibility: Visibility::Public,
                solution: false,
            },
            author: crate::domain::UserId::from("12"),
            catalog,
        };
        assert_eq!(
            comment.idempotency(),
            Idempotency::NotIdempotent,
            "a second send is a second comment"
        );
    }
}
