//! Comment threads of a request: customer and agent replies, internal notes and, on solved
//! requests, one solution. Timestamps are increasing and stay inside the request's lifetime.

use crate::sim::assets::Assets;
use crate::sim::dataset::Comment;
use crate::sim::generate::text;
use crate::sim::rng::Rng;

/// Monotonic id counter for one entity kind.
#[derive(Debug, Clone)]
pub struct Seq(pub u64);

impl Seq {
    pub fn take(&mut self) -> u64 {
        let id = self.0;
        self.0 += 1;
        id
    }
}

/// What a thread needs to know about its request.
#[derive(Debug, Clone)]
pub struct ThreadPlan<'a> {
    pub created_at: i64,
    /// Last moment a comment may carry (solution, closing or "recently").
    pub end: i64,
    pub status_id: u64,
    pub customer_id: u64,
    pub customer_first: &'a str,
    /// Agents who may write (the assigned one first when there is one).
    pub agents: &'a [u64],
    pub solved: bool,
}

pub fn comments(
    rng: &mut Rng,
    assets: &Assets,
    plan: &ThreadPlan<'_>,
    comment_ids: &mut Seq,
    attachment_ids: &mut Seq,
) -> Vec<Comment> {
    let count = match plan.status_id {
        1 => rng.range(0, 1),
        8 => 1,
        _ => [1, 1, 2, 2, 3, 3, 4, 5, 6, 8, 10, 12]
            [rng.weighted(&[6, 8, 9, 10, 12, 11, 10, 9, 8, 7, 6, 4])],
    };
    let count = usize::try_from(count).unwrap_or(0);
    let span = (plan.end - plan.created_at).max(60);
    let mut times: Vec<i64> = (0..count)
        .map(|_| (plan.created_at + 60 + rng.range(0, span - 60)).min(plan.end))
        .collect();
    times.sort_unstable();
    let texts = &assets.text;
    let vocab = &assets.vocab;
    let mut out: Vec<Comment> = Vec::with_capacity(count);
    let mut last_public_agent_comment: Option<u64> = None;
    let mut previous = Turn::Start;
    for (n, at) in times.into_iter().enumerate() {
        let last = n + 1 == count;
        let agent = pick_agent(rng, plan.agents);
        let id = comment_ids.take();
        let (author_id, template, visible, solution) = if last && plan.solved && agent.is_some() {
            (agent.unwrap_or(1), rng.word(&texts.solutions), true, true)
        } else if plan.status_id == 8 {
            (
                agent.unwrap_or(1),
                "This request is out of scope for this help desk; please contact your manager.",
                true,
                false,
            )
        } else {
            // A conversation: the agent answers first, then customer and agents take turns,
            // with internal notes in between.
            let weights = match previous {
                Turn::Start => [80, 5, 15],
                Turn::AgentPublic => [20, 60, 20],
                Turn::Customer => [65, 5, 30],
                Turn::Internal => [60, 30, 10],
            };
            match (rng.weighted(&weights), agent) {
                (0, Some(agent)) => (agent, rng.word(&texts.public_replies), true, false),
                (2, Some(agent)) => (agent, rng.word(&texts.internal_notes), false, false),
                _ => (
                    plan.customer_id,
                    rng.word(&texts.customer_replies),
                    true,
                    false,
                ),
            }
        };
        previous = match (author_id == plan.customer_id, visible) {
            (true, _) => Turn::Customer,
            (false, true) => Turn::AgentPublic,
            (false, false) => Turn::Internal,
        };
        let reference = if author_id == plan.customer_id && rng.chance(0.5) {
            last_public_agent_comment
        } else {
            None
        };
        if author_id != plan.customer_id && visible {
            last_public_agent_comment = Some(id);
        }
        let attached_files = if rng.chance(0.08) {
            vec![attachment_ids.take()]
        } else {
            Vec::new()
        };
        out.push(Comment {
            id,
            author_id,
            message: text::comment(rng, template, vocab, plan.customer_first),
            created_at: at,
            customer_visible: visible,
            is_solution: solution,
            reference,
            msg_num: u32::try_from(n + 1).unwrap_or(u32::MAX),
            attached_files,
        });
    }
    out
}

/// Who wrote the previous comment, which shapes who writes the next one.
#[derive(Debug, Clone, Copy)]
enum Turn {
    Start,
    AgentPublic,
    Customer,
    Internal,
}

fn pick_agent(rng: &mut Rng, agents: &[u64]) -> Option<u64> {
    // The assigned agent (first) writes most replies; colleagues chip in.
    if rng.chance(0.7) {
        agents.first().copied()
    } else {
        rng.pick(agents).copied()
    }
}
