//! The list of notices, a page at a time, soonest deadline first. The
//! indexes sort each status by deadline: a page reads each (index, status)
//! stream once, from the cursor on, and merges them. What a page costs is
//! then a few queries of one page each, whatever the tenant's size.
//!
//! A stream that stopped early (its `Limit` reached) bounds what the others
//! may show: past its last position it has not been read. The next cursor
//! is the last notice shown, or that bound when fewer were found: filters
//! the keys cannot serve (plate, search, offence days) drop items after
//! reading them, so a page reads further, in a few rounds, and may end
//! short of its size with a cursor when the matches are rare.

use super::caller::in_scope;
use super::error::AppError;
use crate::domain::access::Scope;
use crate::domain::{EntityId, NoticeStatus, TenantId};
use crate::ports::NoticeStore;
use crate::store::{
    earliest_live_deadline, NoticeCriteria, NoticeIndex, NoticePosition, NoticeRange, NoticeSlice,
    StoredNotice,
};
use chrono::NaiveDate;
use futures::future::try_join_all;

/// What a page of the list asks for.
#[derive(Debug, Clone, Default)]
pub struct NoticeQuery {
    pub status: Option<NoticeStatus>,
    pub entity: Option<EntityId>,
    /// Deadlines up to this day, included.
    pub due_by: Option<NaiveDate>,
    /// The day (Paris) the list is read: each status's stream starts at the
    /// first deadline still within the retention period, not at years of
    /// expired items DynamoDB has yet to delete.
    pub read_on: Option<NaiveDate>,
    pub criteria: NoticeCriteria,
    /// The previous page's cursor.
    pub after: Option<NoticePosition>,
    pub limit: usize,
}

/// A page, and where the next one starts (`None`: the list ends here).
#[derive(Debug, Clone, Default)]
pub struct NoticePage {
    pub notices: Vec<StoredNotice>,
    pub next: Option<NoticePosition>,
}

/// Rounds of reads a page may make when filters leave it short: each
/// reads twice as far as the one before, so a page reads at most 31 times
/// its size per stream, however large the tenant.
const MAX_ROUNDS: u32 = 5;

/// One page of the tenant's notices within the caller's scope.
pub async fn page<S: NoticeStore + ?Sized>(
    storage: &S,
    tenant: &TenantId,
    scope: &Scope,
    query: &NoticeQuery,
) -> Result<NoticePage, AppError> {
    let indexes = indexes(tenant, scope, query.entity.as_ref());
    let mut found = NoticePage {
        notices: Vec::new(),
        next: query.after.clone(),
    };
    for round in 0..MAX_ROUNDS {
        let wanted = query.limit - found.notices.len();
        // One more than wanted: a stream that fills its read proves there is more.
        let read = (wanted + 1) << round;
        let slices = read_streams(storage, &indexes, query, found.next.as_ref(), read).await?;
        let more = merge(slices, wanted);
        found.notices.extend(more.notices);
        found.next = more.next;
        if found.next.is_none() || found.notices.len() >= query.limit {
            break;
        }
    }
    Ok(found)
}

/// One Query per (index, status), all from `after`, `read` items each.
async fn read_streams<S: NoticeStore + ?Sized>(
    storage: &S,
    indexes: &[NoticeIndex],
    query: &NoticeQuery,
    after: Option<&NoticePosition>,
    read: usize,
) -> Result<Vec<NoticeSlice>, AppError> {
    let statuses = match query.status {
        Some(status) => vec![status],
        None => NoticeStatus::ALL.to_vec(),
    };
    let ranges: Vec<NoticeRange> = indexes
        .iter()
        .flat_map(|index| {
            statuses.iter().map(move |&status| NoticeRange {
                index,
                status,
                after,
                due_from: query.read_on.map(|d| earliest_live_deadline(status, d)),
                due_by: query.due_by,
                criteria: &query.criteria,
                limit: read,
            })
        })
        .collect();
    Ok(try_join_all(ranges.iter().map(|r| storage.notices_in_range(r))).await?)
}

/// Scoped users read their entities' indexes; an entity filter reads that
/// entity's alone (nothing if it is out of scope).
fn indexes(tenant: &TenantId, scope: &Scope, entity: Option<&EntityId>) -> Vec<NoticeIndex> {
    let one = |e: &EntityId| NoticeIndex::Entity(tenant.clone(), e.clone());
    match (scope, entity) {
        (_, Some(e)) if in_scope(scope, e) => vec![one(e)],
        (_, Some(_)) => Vec::new(),
        (Scope::AllEntities, None) => vec![NoticeIndex::Tenant(tenant.clone())],
        (Scope::Entities(list), None) => list.iter().map(one).collect(),
    }
}

/// The streams' notices in list order, up to where every stream was read.
fn merge(slices: Vec<NoticeSlice>, limit: usize) -> NoticePage {
    let bound = slices.iter().filter_map(|s| s.stopped_at.clone()).min();
    let mut notices: Vec<StoredNotice> = slices
        .into_iter()
        .flat_map(|s| s.notices)
        .filter(|n| bound.as_ref().is_none_or(|b| NoticePosition::of(n) <= *b))
        .collect();
    notices.sort_by(StoredNotice::by_deadline);
    if notices.len() > limit {
        notices.truncate(limit);
        let next = notices.last().map(NoticePosition::of);
        return NoticePage { notices, next };
    }
    NoticePage {
        notices,
        next: bound,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(day: u32, number: &str) -> NoticePosition {
        NoticePosition {
            deadline: NaiveDate::from_ymd_opt(2026, 12, day).unwrap(),
            notice_number: number.into(),
        }
    }

    #[test]
    fn a_stream_that_stopped_early_bounds_the_page() {
        let stopped = NoticeSlice {
            notices: Vec::new(),
            stopped_at: Some(at(5, "A")),
        };
        let page = merge(vec![stopped, NoticeSlice::default()], 10);
        assert!(page.notices.is_empty());
        assert_eq!(page.next, Some(at(5, "A")), "the list goes on from there");
        let page = merge(vec![NoticeSlice::default()], 10);
        assert_eq!(page.next, None, "every stream read to its end");
    }

    #[test]
    fn an_entity_out_of_scope_reads_nothing_and_scoped_users_read_their_entities() {
        let tenant = TenantId::from("t");
        let scope = Scope::Entities(["a".into(), "b".into()].into());
        assert!(indexes(&tenant, &scope, Some(&"c".into())).is_empty());
        assert_eq!(indexes(&tenant, &scope, None).len(), 2);
        assert_eq!(
            indexes(&tenant, &Scope::AllEntities, None),
            vec![NoticeIndex::Tenant(tenant.clone())]
        );
    }
}
