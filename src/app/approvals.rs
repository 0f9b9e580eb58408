//! Approvals waiting for the agent's vote, across every open profile.

use super::model::Model;
use super::msg::{Effect, RequestId};
use crate::domain::{ApprovalTemplate, ProfileId, TicketApprovals};
use crate::provider::ProviderResult;

pub fn answered(
    _m: &mut Model,
    _p: ProfileId,
    _id: RequestId,
    _result: ProviderResult<Vec<TicketApprovals>>,
) -> Vec<Effect> {
    Vec::new()
}

pub fn templates(
    _m: &mut Model,
    _p: ProfileId,
    _id: RequestId,
    _result: ProviderResult<Vec<ApprovalTemplate>>,
) -> Vec<Effect> {
    Vec::new()
}
