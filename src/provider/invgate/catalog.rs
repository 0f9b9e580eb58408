//! The catalog of an InvGate instance: statuses, priorities, types, sources, categories, help
//! desks and levels, people, custom field definitions with how each is entered, and the
//! server's words for approvals, user groups, all read concurrently. The parts an instance may
//! lack (custom fields, the approval vocabularies, groups) and those that only put names on
//! things (people, types, sources, categories) degrade to empty instead of failing the catalog.

use super::client::{Client, Query};
use super::wire::{CustomFieldWire, HelpDeskWire, NamedWire, UserWire};
use super::{approvals, fetch, fields, map};
use crate::domain::Catalog;
use crate::provider::{ProviderError, ProviderResult};

/// A part of the catalog that only puts names on things (people, types, sources, categories):
/// one that cannot be read is left empty and logged, and the rest of the catalog loads. A
/// rejected credential still fails the catalog, as it fails every other part.
async fn cosmetic<T>(
    part: &str,
    read: impl std::future::Future<Output = ProviderResult<Vec<T>>>,
) -> ProviderResult<Vec<T>> {
    match read.await {
        Err(e @ ProviderError::Unauthorized) => Err(e),
        Err(e) => {
            tracing::warn!(part, error = %e, "left out of the catalog: it could not be read");
            Ok(Vec::new())
        }
        ok => ok,
    }
}

pub async fn load(c: &Client) -> ProviderResult<Catalog> {
    let q = Query::new;
    let field_types = fields::type_names(c);
    let (
        statuses,
        priorities,
        types,
        sources,
        categories,
        desks,
        users,
        (fields, field_types),
        approval_words,
        groups,
    ) = tokio::try_join!(
        fetch::list::<NamedWire>(c, "incident.attributes.status", q()),
        fetch::list::<NamedWire>(c, "incident.attributes.priority", q()),
        cosmetic(
            "types",
            fetch::list::<NamedWire>(c, "incident.attributes.type", q())
        ),
        cosmetic(
            "sources",
            fetch::list::<NamedWire>(c, "incident.attributes.source", q())
        ),
        cosmetic("categories", fetch::categories(c)),
        fetch::list::<HelpDeskWire>(c, "helpdesksandlevels", q()),
        // Disabled people still authored old requests and comments: their names are needed,
        // but a list that cannot be read leaves them as "User 12", never the queues empty.
        cosmetic(
            "users",
            fetch::list::<UserWire>(c, "users", q().flag("include_disabled", true))
        ),
        async {
            // Older instances lack custom fields; labels then fall back to uids.
            let (fields, field_types) = tokio::join!(
                fetch::list::<CustomFieldWire>(c, "cf.fields.all", q()),
                field_types,
            );
            match fields {
                Err(ProviderError::NotFound(_) | ProviderError::Forbidden(_)) => {
                    Ok((Vec::new(), field_types))
                }
                other => other.map(|fields| (fields, field_types)),
            }
        },
        // Never fails: a vocabulary that cannot be read is left empty.
        async { Ok::<_, ProviderError>(approvals::words(c).await) },
        // Only breaking news names groups: without them news is announced to help desks.
        async {
            Ok::<_, ProviderError>(
                fetch::list::<NamedWire>(c, "groups", q())
                    .await
                    .unwrap_or_else(|e| {
                        tracing::warn!(error = %e, "user groups unavailable");
                        Vec::new()
                    }),
            )
        },
    )?;
    let custom_fields = fields::definitions(c, &fields, field_types.as_ref()).await;
    let with_id = |w: &&NamedWire| !w.id.is_empty();
    Ok(Catalog {
        statuses: statuses.iter().filter(with_id).map(map::status).collect(),
        priorities: priorities
            .iter()
            .filter(with_id)
            .map(map::priority)
            .collect(),
        types: types
            .iter()
            .filter(with_id)
            .map(|w| map::named(w, "Type"))
            .collect(),
        sources: sources
            .iter()
            .filter(with_id)
            .map(|w| map::named(w, "Source"))
            .collect(),
        categories: categories.iter().map(map::category).collect(),
        help_desks: map::help_desks(&desks),
        groups: groups
            .iter()
            .filter(with_id)
            .map(|w| map::named(w, "Group"))
            .collect(),
        approval_words,
        people: users
            .iter()
            .filter(|u| !u.id.is_empty())
            .map(|u| {
                let person = map::person(u);
                (person.id.clone(), person)
            })
            .collect(),
        custom_fields,
        validators: Default::default(),
    })
}
